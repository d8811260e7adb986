r"""Boxes in tangent coordinates, the box of the state space, and boxes in the flat state coordinates.

Boxes live in *tangent* coordinates: the last coordinate of each simplex block (prices under
tâtonnement, routing ``π``) is dropped and rebuilt as ``1 - Σ(others)``: the one chart of the state
space, :class:`geo_sym.economy.state.TangentChart` (``x = T u + e``, ``u = T⁺ x``), whose
:meth:`~geo_sym.economy.state.TangentChart.state_balls` is its interval view. A :class:`TangentBox`
has float endpoints (exact dyadics); its Arb balls contain it. Results are reported in the flat
state coordinates (:func:`box_full`, :func:`enclosure_full`), endpoints rounded outwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo_sym.economy.production import Ball
from geo_sym.economy.state import TangentChart
from geo_sym.rigorous.arb import flint_module, float_down, float_up, rational_ball

__all__ = [
    "TangentBox",
    "state_space_box",
    "simplex_contract",
    "box_full",
    "enclosure_full",
    "NO_IMAGE",
]


# ------------------------------------------------------------------------------------ tangent boxes
@dataclass(frozen=True, eq=False)
class TangentBox:
    """An axis-aligned box ``[lo, hi]`` in tangent coordinates; the endpoints are floats (exact dyadics)."""

    lo: np.ndarray
    hi: np.ndarray

    def __repr__(self) -> str:
        return f"TangentBox(m={self.lo.size}, max_width={self.max_width:.3g})"

    @staticmethod
    def around(center, radius) -> TangentBox:
        """``[c - r, c + r]`` with outward rounding of the float endpoints."""
        c = np.asarray(center, dtype=float)
        r = np.broadcast_to(np.asarray(radius, dtype=float), c.shape)
        lo = np.nextafter(c - r, -np.inf)
        hi = np.nextafter(c + r, np.inf)
        return TangentBox(lo, hi)

    @property
    def width(self) -> np.ndarray:
        return self.hi - self.lo

    @property
    def max_width(self) -> float:
        return float(np.max(self.width)) if self.lo.size else 0.0

    @property
    def mid(self) -> np.ndarray:
        return np.clip(0.5 * (self.lo + self.hi), self.lo, self.hi)

    def balls(self):
        """The box as Arb balls (each contains ``[lo_i, hi_i]``)."""
        arb = flint_module().arb
        return [arb(float(a)).union(arb(float(b))) if a != b else arb(float(a)) for a, b in zip(self.lo, self.hi)]

    def contains(self, u) -> bool:
        u = np.asarray(u, dtype=float)
        return bool(np.all(self.lo <= u) and np.all(u <= self.hi))

    def subset_of(self, other: TangentBox) -> bool:
        return bool(np.all(other.lo <= self.lo) and np.all(self.hi <= other.hi))

    def disjoint_from(self, other: TangentBox) -> bool:
        return bool(np.any(self.hi < other.lo) or np.any(other.hi < self.lo))

    def bisect(self, i: int) -> tuple[TangentBox, TangentBox]:
        m = 0.5 * (self.lo[i] + self.hi[i])
        hi1 = self.hi.copy()
        hi1[i] = m
        lo2 = self.lo.copy()
        lo2[i] = m
        return TangentBox(self.lo.copy(), hi1), TangentBox(lo2, self.hi.copy())

    def intersect_balls(self, balls) -> TangentBox | None:
        """``self ∩ hull(balls)`` with outward-rounded float endpoints, ``None`` when empty."""
        lo = self.lo.copy()
        hi = self.hi.copy()
        for i, b in enumerate(balls):
            lo[i] = max(lo[i], float_down(b))
            hi[i] = min(hi[i], float_up(b))
        if np.any(lo > hi):
            return None
        return TangentBox(lo, hi)

    def to_list(self) -> list:
        return [[float(a), float(b)] for a, b in zip(self.lo, self.hi)]


def state_space_box(econ, chart: TangentChart | None = None) -> TangentBox:
    """A box in tangent coordinates that contains every fixed point of the map.

    ``y``: the bounding box of each production set (fixed points satisfy ``y = Proj_Y(·) ∈ Y``);
    prices under tâtonnement and routing: ``[0, 1]`` (simplex coordinates); linear prices: the
    range of ``G y_ref + b`` over the bounding boxes (``p = A_K(y')`` at a fixed point, eq. (13)).
    """
    flint_module()
    chart = TangentChart.build(econ) if chart is None else chart
    A, K = econ.A, econ.K
    ylo, yhi = [], []
    for S in econ.production_sets:
        if isinstance(S, Ball):
            ylo += [S.center[k] - S.radius for k in range(K)]
            yhi += [S.center[k] + S.radius for k in range(K)]
        else:
            ylo += list(S.lo)
            yhi += list(S.hi)
    lo_full = [float_down(rational_ball(v)) for v in ylo]
    hi_full = [float_up(rational_ball(v)) for v in yhi]
    pm = econ.price_mechanism
    if pm.kind == "tatonnement":
        lo_full += [0.0] * (A * K)
        hi_full += [1.0] * (A * K)
    else:
        ybox = [rational_ball(a).union(rational_ball(b)) for a, b in zip(ylo, yhi)]
        for i in range(A * K):
            acc = rational_ball(pm.b[i])
            row = pm.G[i]
            for j in range(A * K):
                if row[j] != 0:
                    acc = acc + rational_ball(row[j]) * ybox[j]
            lo_full.append(float_down(acc))
            hi_full.append(float_up(acc))
    lo_full += [0.0] * econ.n_paths
    hi_full += [1.0] * econ.n_paths
    lo = np.array(lo_full)[chart.kept]
    hi = np.array(hi_full)[chart.kept]
    return TangentBox(lo, hi)


# ------------------------------------------------------------------------------------ boxes of fixed points
def simplex_contract(imap, X: TangentBox) -> TangentBox | None:
    """Use ``1 - Σ(block) ≥ 0`` (the dropped simplex coordinate of a fixed point) to shrink ``X``.

    Returns ``None`` when the box certainly lies outside the state space.
    """
    arb = flint_module().arb
    lo, hi = X.lo, X.hi.copy()
    for _, block in imap.chart.dropped:
        if not block:
            continue
        los = [arb(float(lo[i])) for i in block]
        total = sum(los, arb(0))
        if total > 1:
            return None
        for t, i in enumerate(block):
            cap = float_up(arb(1) - (total - los[t]))
            if cap < hi[i]:
                hi[i] = cap
    if np.any(lo > hi):
        return None
    return TangentBox(lo.copy(), hi)


def box_full(imap, box: TangentBox) -> list:
    """A tangent box in the flat state coordinates (the dropped simplex coordinates as ``1 - Σ``), outward."""
    return [[float_down(b), float_up(b)] for b in imap.chart.state_balls(box.balls())]


def enclosure_full(imap, box: TangentBox, image=None) -> list:
    """A box in the flat state coordinates that contains every fixed point lying in ``box``.

    The chart's reconstruction ``T u + e`` intersected with the image ``Φ(box)`` (a fixed point
    ``x`` satisfies ``x = Φ(x)``), endpoints rounded outwards.
    """
    chart = imap.chart
    balls = chart.state_balls(box.balls())
    if image is None:
        image = imap.evaluate(box, jacobian=False)
    simplex = set()
    for j, block in chart.dropped:
        simplex.add(j)
        simplex.update(int(chart.kept[i]) for i in block)
    out = []
    for k, b in enumerate(balls):
        lo, hi = float_down(b), float_up(b)
        if image.ok:
            lo, hi = max(lo, float_down(image.value[k])), min(hi, float_up(image.value[k]))
        if k in simplex:  # a fixed point has its simplex blocks in [0, 1]
            lo, hi = max(lo, 0.0), min(hi, 1.0)
        out.append([lo, hi])
    return out


class _NoImage:
    """Stands for "no image": :func:`enclosure_full` then uses the chart's reconstruction alone (no ``Φ(box)``)."""

    ok = False


NO_IMAGE = _NoImage()
