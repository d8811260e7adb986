"""Notebook display hooks that keep the layers apart.

Objects of the lower layers (an :class:`~geo_sym.economy.spec.Economy`, an exact Jacobian, a DSGE
solution) display as LaTeX in Jupyter, but the code that writes that LaTeX lives in the
presentation layers above them. A presentation module registers a formatter for a class by its
import path with :func:`latex_formatter`; the object's ``_repr_latex_`` (from :class:`LatexDisplay`)
looks it up with :func:`latex_of`, loading the presentation module named in :data:`PROVIDERS` on the
first display. Importing a core module therefore never imports presentation code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

__all__ = ["LatexDisplay", "latex_formatter", "latex_of", "PROVIDERS"]

#: module-path prefix of a displayed class -> the presentation module that registers its formatters
PROVIDERS: dict[str, str] = {
    "geo_sym.": "geo_sym.render.notebook",
    "geo_sym.rigorous.region_result.": "geo_sym.render.regions",
    "dsge.": "dsge.document",
    "dsge.orchestration.": "dsge.orchestration.display",
    "proofs.": "proofs.report",
}

_FORMATTERS: dict[str, Callable[[object], str | None]] = {}


def _key(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def latex_formatter(class_path: str):
    """Decorator registering ``fn(obj) -> str | None`` as the LaTeX display of the class ``class_path``."""

    def register(fn):
        _FORMATTERS[class_path] = fn
        return fn

    return register


def latex_of(obj) -> str | None:
    """The registered LaTeX display of ``obj`` (``None`` when none is registered or the object is too large)."""
    key = _key(type(obj))
    fn = _FORMATTERS.get(key)
    if fn is None:
        for prefix, module in PROVIDERS.items():
            if key.startswith(prefix):
                importlib.import_module(module)
        fn = _FORMATTERS.get(key)
    return None if fn is None else fn(obj)


class LatexDisplay:
    """Mixin: ``_repr_latex_`` through the registry (see the module docstring)."""

    __slots__ = ()

    def _repr_latex_(self):
        return latex_of(self)
