"""``--set NAME=VALUE`` pairs from the command line (kept apart so a cached run imports no model reader)."""

from __future__ import annotations

from geo_sym.errors import ValidationError

__all__ = ["parse_overrides", "parse_defines"]


def parse_overrides(pairs) -> dict:
    """Split ``NAME=VALUE`` strings into a dict ``name -> value text`` (read later as a number or formula).

    Raises
    ------
    ValidationError
        When an item has no ``=`` or an empty name.
    """
    out = {}
    for item in pairs or ():
        if not isinstance(item, str) or "=" not in item:
            raise ValidationError("--set", item, "NAME=VALUE")
        name, value = item.split("=", 1)
        name = name.strip()
        if not name:
            raise ValidationError("--set", item, "NAME=VALUE with a non-empty NAME")
        out[name] = value.strip()
    return out


def parse_defines(items) -> dict:
    """``-D NAME[=VALUE]`` strings (Dynare's ``-DNAME=VALUE``) as ``name -> macro expression text``; no value is ``true``.

    Raises
    ------
    ValidationError
        When a name is empty.
    """
    out = {}
    for item in items or ():
        name, eq, value = str(item).partition("=")
        name = name.strip()
        if not name:
            raise ValidationError("--define", item, "NAME=VALUE with a non-empty NAME")
        out[name] = value.strip() if eq else "true"
    return out
