"""LaTeX displays of the economy core's objects in notebooks (registered with :mod:`geo_sym.display`).

Every display is one MathJax display block (``$$ … $$``) built from math-mode constructs MathJax
renders: names upright (``\\mathrm{a1}``), text only in ``\\text{}`` without macros inside, numbers as
``10^{-6}`` (see ``tests/test_documents_notebook.py`` for the constructs that are ruled out).
"""

from __future__ import annotations

from geo_sym.display import latex_formatter
from geo_sym.render.economy_tex import economy_latex, map_latex
from geo_sym.render.jacobian_tex import jacobian_blocks_latex

__all__ = ["economy_display", "symbolic_map_display", "exact_jacobian_display"]


@latex_formatter("geo_sym.economy.spec.Economy")
def economy_display(econ):
    """The economy in the paper's notation (``None`` above 64 commodity coordinates)."""
    return economy_latex(econ) if econ.A * econ.K <= 64 else None


@latex_formatter("geo_sym.maps.symbolic.SymbolicMap")
def symbolic_map_display(smap):
    """Each component of the map in closed form (``None`` for large economies)."""
    e = smap.econ
    return None if e.A * e.K > 16 or e.n_paths > 16 else map_latex(e, smap.active, display=True)


@latex_formatter("geo_sym.maps.symbolic.ExactJacobian")
def exact_jacobian_display(ej):
    """The Jacobian by blocks, each written by its structure (``None`` above 40 state coordinates)."""
    return None if len(ej.value) > 40 else "$$" + jacobian_blocks_latex(ej, ej.symbolic.econ) + "$$"
