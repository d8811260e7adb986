"""Numbers and states written into witnesses (``docs/witness-format.md``): exact, or rigorous enclosures."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

__all__ = [
    "exact_str",
    "json_number",
    "decimal_str",
    "state_json",
    "matrix_json",
    "rational_box",
    "enclosure_json",
    "arb_enclosure",
    "figure_json",
]


def json_number(v):
    """A rational (``int``, ``Fraction``, SymPy ``Rational``, exact float) as an int or a ``"p/q"`` string."""
    if isinstance(v, sp.Rational):
        fr = Fraction(int(v.p), int(v.q))
    elif isinstance(v, (int, np.integer)):
        fr = Fraction(int(v))
    elif isinstance(v, (float, np.floating)):
        fr = Fraction(float(v))  # a float is an exact dyadic rational
    elif isinstance(v, Fraction):
        fr = v
    else:
        raise TypeError(f"not an exact rational: {v!r}")
    return fr.numerator if fr.denominator == 1 else f"{fr.numerator}/{fr.denominator}"


def exact_str(v):
    """A rational for a witness: an int, or ``"p/q"``; raises ``TypeError`` for anything inexact."""
    if isinstance(v, (float, np.floating)):
        raise TypeError(f"a float is not a witness figure: {v!r}")
    return json_number(v)


def decimal_str(v, digits: int = 30) -> str:
    """A decimal approximation for display (never used to decide anything)."""
    return str(sp.N(v, digits))


def state_json(state) -> dict:
    """An exact state in the state-file format."""
    return {
        "y": [[exact_str(v) for v in row] for row in state.y],
        "p": [[exact_str(v) for v in row] for row in state.p],
        "pi": [exact_str(v) for v in state.pi],
    }


def matrix_json(rows) -> list:
    return [[exact_str(v) for v in row] for row in rows]


def rational_box(box) -> list:
    """A box of float endpoints (exact dyadic rationals) as ``[["p/q", "p/q"], …]``."""
    return [[json_number(float(lo)), json_number(float(hi))] for lo, hi in box]


def enclosure_json(lo, hi) -> list:
    """``[lo, hi]`` with exact rational endpoints."""
    return [json_number(lo), json_number(hi)]


def _arb_endpoints(x) -> tuple[Fraction, Fraction]:
    mid = x.mid().man_exp()
    rad = x.rad().man_exp()
    m = Fraction(int(mid[0])) * Fraction(2) ** int(mid[1])
    r = Fraction(int(rad[0])) * Fraction(2) ** int(rad[1])
    return m - r, m + r


def arb_enclosure(x) -> list:
    """An Arb ball as ``[lo, hi]`` with exact rational endpoints (the ball is contained in it)."""
    lo, hi = _arb_endpoints(x)
    return [json_number(lo), json_number(hi)]


def figure_json(v):
    """A witness figure: a rational exactly, otherwise (square roots, exp) a rigorous ``{"enclosure": [lo, hi]}``."""
    if isinstance(v, (sp.Rational, int, np.integer, Fraction)):
        return json_number(v)
    from geo_sym.rigorous.exact import exact_bounds

    lo, hi = exact_bounds(v, 60)
    return {"enclosure": [json_number(lo), json_number(hi)]}
