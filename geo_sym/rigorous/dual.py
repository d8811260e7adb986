"""Exact directional derivatives of the production and price blocks, by forward-mode dual numbers.

At a rational state the updates ``y' = Proj_Y(y + α(d(π) − y))`` and ``p'`` (the tâtonnement's
``normalize(max(0, q))`` or a linear ``A_K``) are rational functions of the state: only the routing block
involves ``exp``. Running the single definition of the map (:func:`geo_sym.maps.core.update_blocks`) on
dual numbers ``x + ε t`` with exact ``Fraction`` parts gives the ``y`` and ``p`` rows of ``DΦ(x) t``
exactly, in one pass and without a symbolic build. Since ``‖DΦ(x) t‖ ≥ ‖(DΦ(x) t)_{y, p}‖``, the ratio
``‖(DΦ(x) t)_{y,p}‖² / ‖t‖²`` is an exact lower bound of the squared operator norm (Proposition 6.2,
Theorem 6.1). Branches are decided on the real parts (the point must not be at a kink).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from geo_sym.economy.state import State

__all__ = ["Dual", "yp_directional_derivative", "yp_norm_ratio"]


def _fr(v) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, sp.Rational):
        return Fraction(int(v.p), int(v.q))
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    raise TypeError(f"an exact rational is needed, got {v!r}")


class Dual:
    """``a + b ε`` with ``ε² = 0`` and exact rational parts; comparisons look at ``a`` only."""

    __slots__ = ("a", "b")

    def __init__(self, a, b=0):
        self.a = _fr(a)
        self.b = _fr(b)

    def __repr__(self) -> str:
        return f"Dual({self.a}, {self.b})"

    @staticmethod
    def lift(v) -> Dual:
        return v if isinstance(v, Dual) else Dual(v, 0)

    def __add__(self, o):
        o = Dual.lift(o)
        return Dual(self.a + o.a, self.b + o.b)

    __radd__ = __add__

    def __sub__(self, o):
        o = Dual.lift(o)
        return Dual(self.a - o.a, self.b - o.b)

    def __rsub__(self, o):
        return Dual.lift(o) - self

    def __mul__(self, o):
        o = Dual.lift(o)
        return Dual(self.a * o.a, self.a * o.b + self.b * o.a)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = Dual.lift(o)
        if o.a == 0:
            raise ZeroDivisionError("division by a dual number with zero real part")
        return Dual(self.a / o.a, (self.b * o.a - self.a * o.b) / (o.a * o.a))

    def __rtruediv__(self, o):
        return Dual.lift(o) / self

    def __pow__(self, k):
        if not isinstance(k, int) or k < 0:
            raise TypeError("dual numbers take non-negative integer powers only")
        out = Dual(1)
        for _ in range(k):
            out = out * self
        return out

    def __neg__(self):
        return Dual(-self.a, -self.b)

    def _cmp(self, o):
        return self.a - Dual.lift(o).a

    def __lt__(self, o):
        return self._cmp(o) < 0

    def __le__(self, o):
        return self._cmp(o) <= 0

    def __gt__(self, o):
        return self._cmp(o) > 0

    def __ge__(self, o):
        return self._cmp(o) >= 0

    def __eq__(self, o):
        return isinstance(o, (Dual, int, Fraction, sp.Rational, np.integer)) and self._cmp(o) == 0

    def __hash__(self):
        return hash((self.a, self.b))


def yp_directional_derivative(econ, state: State, tangent) -> tuple[list, list]:
    """``((DΦ t)_y, (DΦ t)_p)`` exactly (flat lists of Fractions) at the exact state ``state``.

    ``tangent`` is a flat ambient vector (the state order) of rationals. Production sets must be boxes (a
    ball's projection onto its sphere is not rational).
    """
    if not econ.all_boxes:
        raise TypeError("exact directional derivatives need box production sets")
    from geo_sym.maps.core import update_blocks

    A, K = econ.A, econ.K
    x = state.flat()
    t = list(tangent)
    duals = np.array([Dual(xv, tv) for xv, tv in zip(x, t)], dtype=object)
    st = State.from_flat(econ, duals)
    y_new, p_new = update_blocks(econ, st)
    dy = [v.b if isinstance(v, Dual) else Fraction(0) for v in np.asarray(y_new, dtype=object).ravel()]
    dp = [v.b if isinstance(v, Dual) else Fraction(0) for v in np.asarray(p_new, dtype=object).ravel()]
    assert len(dy) == A * K and len(dp) == A * K
    return dy, dp


def yp_norm_ratio(econ, state: State, tangent) -> Fraction:
    """``‖(DΦ(x) t)_{y,p}‖² / ‖t‖²`` exactly: a lower bound of ``‖DΦ(x)‖²_op`` on the tangent space."""
    dy, dp = yp_directional_derivative(econ, state, tangent)
    num = sum((v * v for v in dy + dp), Fraction(0))
    den = sum((_fr(v) ** 2 for v in tangent), Fraction(0))
    return num / den
