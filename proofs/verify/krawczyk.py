"""Enclosures of fixed points: the verifier's own Krawczyk test, in tangent coordinates.

A witness's enclosure is a box over the flat state. Fixed points of either map lie on the affine
hull of the simplex blocks (``π`` sums to 1; ``p`` too with the tâtonnement), so the test works in the
chart ``z`` that drops the last coordinate of each simplex block (the dropped coordinate is
``1 − Σ`` the others): ``F(z) = T⁺Φ(lift z) − z``, ``DF = T⁺ DΦ T − I`` (``T`` the basis ``e_i − e_last``).
With ``Z`` the chart box, ``c`` its midpoint and any preconditioner ``Y`` (here the inverse of the
midpoint of ``DF(Z)`` in floating point — rigour does not depend on it),

    K(Z) = c − Y F(c) + (I − Y DF(Z)) (Z − c)  ⊂  int(Z)

proves that ``F`` has exactly one zero in ``Z``, and that it lies in ``K(Z)`` (Krawczyk 1969; Moore 1977).
``F(c)`` and ``DF(Z)`` are Arb enclosures (outward rounding); ``DF(Z)`` is the SymPy derivative of the
map on the branch that is active on the whole box (a box meeting a kink fails the test).

Every fixed point in the witness's box has chart coordinates in ``Z``, so the box holds at most one; the
one fixed point found has its dropped coordinates in ``1 − Σ K(Z)``, and the verifier checks that these
meet the box's own intervals (otherwise the box holds no fixed point). Later checks use the lift of
``K(Z)``, which contains the fixed point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from proofs.verify.decide import arb_interval, arb_q, arb_to_fraction_bounds, flint, precision
from proofs.verify.maps import ball_map_value, jacobian, tangent_coordinates, tangent_matrix
from proofs.verify.reading import Failed, Model

__all__ = ["Enclosure", "krawczyk", "lift"]

KRAWCZYK_BITS = (128, 256, 512, 1024)


@dataclass(frozen=True)
class Enclosure:
    """A verified enclosure: ``chart`` (rational ``(lo, hi)`` per chart coordinate) holds exactly one
    fixed point of ``which``; :func:`lift` gives the ambient balls."""

    which: str
    chart: tuple

    def __repr__(self) -> str:
        return f"Enclosure({self.which}, {len(self.chart)} chart coordinates)"


def lift(m: Model, chart, balls: bool = True) -> list:
    """Ambient balls of the flat state from chart intervals (dropped coordinate ``1 − Σ`` its block)."""
    kept, last = tangent_coordinates(m)
    f = flint()
    out: list = [None] * m.size
    for i, (lo, hi) in zip(kept, chart):
        out[i] = arb_interval(lo, hi) if balls else (lo, hi)
    for start, size in m.simplex_blocks():
        dropped = start + size - 1
        total = sum((out[i] for i in range(start, dropped)), f.arb(0))
        out[dropped] = 1 - total
    return out


def _chart_function(m: Model, which: str, z_point: list) -> list:
    """``F(c) = T⁺Φ(lift c) − c`` in balls at an exact chart point ``c``."""
    kept, _ = tangent_coordinates(m)
    x = lift(m, [(v, v) for v in z_point])
    fx = ball_map_value(m, which, x)
    return [fx[i] - arb_q(c) for i, c in zip(kept, z_point)]


def _attempt(m: Model, which: str, Z: list, bits: int):
    f = flint()
    with precision(bits):
        c = [(lo + hi) / 2 for lo, hi in Z]
        Fc = _chart_function(m, which, c)
        J = jacobian(m, which, lift(m, Z), "ball")
        N = tangent_matrix(m, J)
        n = len(Z)
        DF = f.arb_mat([[N[i][j] - (1 if i == j else 0) for j in range(n)] for i in range(n)])
        mid = np.array([[float(DF[i, j].mid()) for j in range(n)] for i in range(n)])
        if not np.all(np.isfinite(mid)):
            raise Failed("the interval Jacobian on the box is not finite: no Krawczyk test")
        try:
            Y = np.linalg.inv(mid)
        except np.linalg.LinAlgError:
            raise Failed("the midpoint Jacobian of Φ(x) − x is singular on the box: no Krawczyk test") from None
        Ym = f.arb_mat([[f.arb(float(Y[i, j])) for j in range(n)] for i in range(n)])
        I = f.arb_mat([[1 if i == j else 0 for j in range(n)] for i in range(n)])
        dev = f.arb_mat([[arb_interval(lo, hi) - arb_q(ci)] for (lo, hi), ci in zip(Z, c)])
        cm = f.arb_mat([[arb_q(ci)] for ci in c])
        K = cm - Ym * f.arb_mat([[v] for v in Fc]) + (I - Ym * DF) * dev
        ok = all(K[i, 0] > arb_q(lo) and K[i, 0] < arb_q(hi) for i, (lo, hi) in enumerate(Z))
        return ok, [arb_to_fraction_bounds(K[i, 0]) for i in range(n)]


def krawczyk(m: Model, which: str, box: list, field: str) -> Enclosure:
    """Verify that the witness's box holds exactly one fixed point of ``which``; fails otherwise."""
    kept, _ = tangent_coordinates(m)
    Z = [box[i] for i in kept]
    if any(lo == hi for lo, hi in Z):
        raise Failed(f"{field}: a chart interval has zero width; the Krawczyk test needs an open box")
    for bits in KRAWCZYK_BITS:
        ok, tight = _attempt(m, which, Z, bits)
        if ok:
            break
    else:
        raise Failed(f"{field}: the Krawczyk test K(Z) ⊂ int(Z) fails at {KRAWCZYK_BITS[-1]} bits ({which} map)")
    with precision(KRAWCZYK_BITS[-1]):
        x = lift(m, tight)
        for start, size in m.simplex_blocks():
            i = start + size - 1
            lo, hi = box[i]
            if x[i] < arb_q(lo) or x[i] > arb_q(hi):
                raise Failed(f"{field}: the fixed point's coordinate {i} (1 − Σ its simplex block) is outside box[{i}]")
    return Enclosure(which, tuple(tight))
