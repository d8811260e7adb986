r"""Contraction certificates: the hypothesis of Theorem 6.1 proved on a region, or where it fails.

On a region subdivided into boxes ``B``, ``‖S_Φ(B)‖ ≤ L_B`` bounds the Lipschitz constant of the
tangent map ``u ↦ T⁺Φ(Tu + e)`` on ``B`` (``S_Φ(B)`` its interval slope matrix, Arb arithmetic,
:mod:`geo_sym.rigorous.interval`) in the weighted max-norm ``‖u‖_w = max_i |u_i| / w_i``
(operator norm ``max_i Σ_j |s_ij| w_j / w_i``); the region being convex, ``L = max_B L_B < 1``
proves the map is a contraction there. The weights are a float choice (the Perron vector of the
entrywise maximum of ``|S(B)|`` over a first subdivision), never part of the proof: the same
weights serve every box, so the bound is one norm's.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from geo_sym.economy.state import State
from geo_sym.errors import ShapeError, ValidationError
from geo_sym.rigorous.arb import float_down, float_up, require_flint
from geo_sym.rigorous.boxes import TangentBox, simplex_contract
from geo_sym.rigorous.fixed_point_problem import (
    MAX_CERTIFY_DIMENSION,
    as_interval_map,
    check_count,
    check_dimension,
    check_positive,
    check_state,
)

__all__ = ["ContractionResult", "contraction_certificate"]


@dataclass(frozen=True, eq=False)
class ContractionResult:
    """Certificate that the map is a contraction on a region (the hypothesis of Theorem 6.1), or where it fails.

    Attributes
    ----------
    success : bool
        True when ``constant < 1`` is proved on the whole region.
    constant : float or None
        Proved upper bound of the Lipschitz constant on the boxes that passed (on the whole region
        when ``success``).
    norm : str
        The norm: ``‖u‖_w = max_i |u_i| / w_i`` on tangent coordinates (``u = T⁺ x``).
    weights : list of float
    region : list of [lo, hi]
        In tangent coordinates (``tangent_labels``), intersected with the state space.
    boxes_checked : int
    failed_boxes : list of dict
        ``{"box": [[lo, hi], ...], "bound": float or None, "reason": str}`` (at most ``max_reported``).
    n_failed : int
    invariant : bool or None
        True when ``Φ(region) ⊂ region`` was also proved (Banach: a unique fixed point in the region).
    message : str
    """

    success: bool
    constant: float | None
    norm: str
    weights: list
    region: list
    boxes_checked: int
    failed_boxes: list
    n_failed: int
    invariant: bool | None
    message: str
    tangent_labels: tuple = field(repr=False, default=())

    def __repr__(self) -> str:
        c = "None" if self.constant is None else f"{self.constant:.4g}"
        return (
            f"ContractionResult(success={self.success}, constant={c}, boxes={self.boxes_checked}, "
            f"failed={self.n_failed})"
        )

    @property
    def unique_fixed_point(self) -> bool:
        return bool(self.success and self.invariant)

    def to_dict(self) -> dict:
        return {
            "success": self.success,
            "constant": self.constant,
            "norm": self.norm,
            "weights": self.weights,
            "region": self.region,
            "tangent_labels": list(self.tangent_labels),
            "boxes_checked": self.boxes_checked,
            "n_failed": self.n_failed,
            "failed_boxes": self.failed_boxes,
            "invariant": self.invariant,
            "unique_fixed_point": self.unique_fixed_point,
            "method": "interval slope matrix S(B) of u -> T⁺Φ(Tu + e) on each box B of a subdivision (Arb), "
            "bound max_i sum_j |s_ij| w_j / w_i; the region is convex, so the largest bound is a "
            "Lipschitz constant on it",
            "message": self.message,
        }


def _perron_weights(mag: np.ndarray) -> np.ndarray:
    """Positive weights from the Perron vector of a non-negative matrix (a choice, not a proof)."""
    m = mag.shape[0]
    if m == 0 or not np.all(np.isfinite(mag)):
        return np.ones(m)
    B = mag + 1e-3 * max(float(mag.max()), 1e-12)
    vals, vecs = np.linalg.eig(B)
    v = np.abs(np.real(vecs[:, int(np.argmax(np.real(vals)))]))
    if not np.all(np.isfinite(v)) or v.max() <= 0:
        return np.ones(m)
    v = v / v.max()
    return np.maximum(v, 1e-6)


def _magnitudes(slope, m: int) -> np.ndarray:
    """Float upper bounds of ``|s_ij|`` over an interval matrix (rounded up)."""
    return np.array([[float_up(slope[i, j].abs_upper()) for j in range(m)] for i in range(m)]).reshape(m, m)


def _weighted_bound(mag: np.ndarray, w: np.ndarray) -> float:
    """Rigorous upper bound of ``max_i Σ_j mag_ij w_j / w_i`` (Arb arithmetic on the float data)."""
    arb = require_flint().arb
    best = 0.0
    ws = [arb(float(v)) for v in w]
    for i in range(mag.shape[0]):
        acc = arb(0)
        for j in range(mag.shape[1]):
            if mag[i, j]:
                acc = acc + arb(float(mag[i, j])) * ws[j]
        best = max(best, float_up(acc / ws[i]))
    return best


def contraction_certificate(
    econ,
    region: TangentBox | None = None,
    *,
    center: State | None = None,
    radius: float | None = None,
    norm: str = "weighted",
    weights=None,
    max_boxes: int = 4000,
    min_width: float = 1e-6,
    max_reported: int = 20,
    progress=None,
) -> ContractionResult:
    """Prove that the map is a contraction on a region, by subdivision, or report where it fails.

    Parameters
    ----------
    econ : Economy
    region : TangentBox, optional
        In tangent coordinates. Default: the box around ``center`` of half-width ``radius`` if
        given, else the whole state space (:func:`geo_sym.rigorous.boxes.state_space_box`: production
        sets, price and routing simplices, and for a linear price mechanism the range of
        ``G y + b`` that every price takes after one step). Boxes certainly outside the state
        space (a simplex coordinate ``< 0``) are left out; the region stays convex.
    center, radius : State, float, optional
    norm : {"weighted", "inf"}
        ``"inf"``: ``w = 1`` (max-norm); ``"weighted"``: ``w`` is the Perron vector of the
        entrywise maximum of ``|S(B)|`` over a first subdivision of the region (so that a
        certificate exists whenever that matrix has spectral radius below 1), or the given
        ``weights``. The same weights serve every box, so the bound is one norm's.
    max_boxes : int
        Box budget of the subdivision.
    min_width : float
        Boxes narrower than this (relative to the region) are not split further.
    max_reported : int
        Failed boxes listed in the result.
    progress : callable, optional
        ``progress(boxes_checked, max_boxes)`` as boxes are bounded (the command line draws a bar).

    Returns
    -------
    ContractionResult
    """
    require_flint()
    imap = as_interval_map(econ)
    check_dimension(imap, MAX_CERTIFY_DIMENSION, "a contraction certificate")
    max_boxes = check_count("max_boxes", max_boxes)
    if norm not in ("weighted", "inf"):
        raise ValidationError("norm", norm, "'weighted' or 'inf'")
    default_region = region is None and center is None
    region = _region(imap, region, center, radius)
    w = _fixed_weights(imap.m, norm, weights)
    sub = _Subdivision(imap, region, progress, max_boxes)
    if w is None:  # phase 1: weights from a first, breadth-first subdivision
        w, leaves = _perron_phase(sub, max_boxes)
    else:
        got = sub.examine(region)
        leaves = [got] if got is not None else []
    worst, failed, n_failed = _refine(sub, leaves, w, max_boxes, min_width, max_reported)  # phase 2
    # Φ maps every point of the default region into the state space (Proj_Y lands in Y, normalize and
    # softmax on their simplices, A_K in the range of G y + b that bounds the region), which the region
    # contains: invariance holds by construction there, not by the interval check.
    invariant = True if default_region else sub.invariant
    return _contraction_result(imap, sub, w, worst, failed, n_failed, invariant, max_boxes)


def _region(imap, region: TangentBox | None, center, radius) -> TangentBox:
    """The region in tangent coordinates: given, the box around ``center``, or the state space."""
    if region is None:
        if center is not None:
            st = check_state(imap.econ, center)
            r = check_positive("radius", 1e-3 if radius is None else radius)
            return TangentBox.around(imap.chart.to_tangent(st.flat()), r)
        return imap.state_space_box()
    if region.lo.shape != (imap.m,):
        raise ShapeError("region", region.lo.shape, f"{imap.m} tangent coordinates")
    return region


def _fixed_weights(m: int, norm: str, weights) -> np.ndarray | None:
    """The given weights (validated), ``1`` for the max-norm, or ``None`` (Perron weights to be chosen)."""
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (m,) or not np.all(w > 0) or not np.all(np.isfinite(w)):
            raise ValidationError("weights", weights, f"{m} positive finite numbers")
        return w
    if norm == "inf":
        return np.ones(m)
    return None


class _Subdivision:
    """The boxes of a region examined so far, and whether ``Φ(box) ⊂ region`` has held on each of them."""

    def __init__(self, imap, region: TangentBox, progress=None, max_boxes: int = 0):
        self.imap = imap
        self.progress = progress
        self.max_boxes = max_boxes
        self.region = region
        self.m = imap.m
        self.scale = np.where(region.width > 0, region.width, 1.0)
        self.checked = 0
        self.invariant = True

    def __repr__(self) -> str:
        return f"_Subdivision(checked={self.checked})"

    def size(self, X: TangentBox) -> float:
        """The largest width of ``X`` relative to the region."""
        return float(np.max(X.width / self.scale))

    def examine(self, X: TangentBox):
        """``(box, magnitude matrix or None, reason)`` for a box of the state space, or ``None`` outside it."""
        imap = self.imap
        if imap.chart.dropped:
            X = simplex_contract(imap, X)
            if X is None:
                return None
        self.checked += 1
        if self.progress is not None:
            self.progress(min(self.checked, self.max_boxes), self.max_boxes)
        img = imap.evaluate(X, jacobian=True)
        if not img.ok:
            self.invariant = False
            return X, None, img.reason
        if self.invariant:
            for i, v in enumerate(img.tangent_value):
                if float_down(v) < self.region.lo[i] or float_up(v) > self.region.hi[i]:
                    self.invariant = False
                    break
        return X, _magnitudes(img.slope, self.m), ""


def _perron_phase(sub: _Subdivision, max_boxes: int):
    """A breadth-first subdivision and the Perron vector of the entrywise maximum of ``|S|`` over it."""
    m = sub.m
    n1 = max(1, min(max_boxes // 4, 32 * max(m, 1)))
    queue = [sub.region]
    while queue and len(queue) < n1:
        queue.sort(key=lambda B: -sub.size(B))
        B = queue.pop(0)
        queue.extend(B.bisect(int(np.argmax(B.width / sub.scale))))
    leaves = []
    for B in queue:
        got = sub.examine(B)
        if got is not None:
            leaves.append(got)
    mags = [mg for _, mg, _ in leaves if mg is not None]
    w = _perron_weights(np.max(mags, axis=0)) if mags else np.ones(m)
    return w, leaves


def _refine(sub: _Subdivision, leaves, w, max_boxes: int, min_width: float, max_reported: int):
    """Split the boxes whose bound is not below 1, largest first; ``(worst bound below 1, failed, n_failed)``.

    Largest boxes first, so that when the budget runs out the boxes left are spread over where it fails.
    """
    worst, failed, n_failed = 0.0, [], 0
    heap, count = [], 0
    for X, mag, reason in leaves:
        count += 1
        heap.append((-sub.size(X), count, X, mag, reason))
    heapq.heapify(heap)
    while heap:
        _, _, X, mag, reason = heapq.heappop(heap)
        bound = _weighted_bound(mag, w) if mag is not None else None
        if bound is not None and bound < 1:
            worst = max(worst, bound)
            continue
        if bound is not None:
            reason = f"norm bound {bound:.4g} >= 1"
        ws = X.width / sub.scale
        if np.max(ws) <= min_width or sub.checked + 2 > max_boxes:
            n_failed += 1
            if len(failed) < max_reported:
                why = reason if np.max(ws) <= min_width else f"{reason} (box budget exhausted)"
                failed.append({"box": X.to_list(), "bound": bound, "reason": why})
            continue
        for child in X.bisect(_split_coordinate(X, mag, w, ws, min_width)):
            got = sub.examine(child)
            if got is not None:
                count += 1
                heapq.heappush(heap, (-sub.size(got[0]), count) + got)
    return worst, failed, n_failed


def _split_coordinate(X: TangentBox, mag, w, ws, min_width: float) -> int:
    """The coordinate to bisect: the one contributing most to the weighted bound, else the widest."""
    i = int(np.argmax(ws))
    if mag is not None:
        score = np.where(ws > min_width, (mag * w[None, :]).sum(axis=0) * X.width / w, -1.0)
        if np.all(np.isfinite(score)) and np.max(score) > 0:
            i = int(np.argmax(score))
    return i


def _contraction_result(imap, sub, w, worst, failed, n_failed, invariant, max_boxes) -> ContractionResult:
    """The :class:`ContractionResult`, with the norm described and the outcome in the message."""
    success = n_failed == 0
    unit = bool(np.all(w == 1))
    wdesc = (
        "max-norm ‖u‖_∞ on tangent coordinates u = T⁺x (last coordinate of each simplex block dropped)"
        if unit
        else "weighted max-norm ‖u‖_w = max_i |u_i|/w_i on tangent coordinates u = T⁺x (last coordinate of each "
        "simplex block dropped)"
    )
    short = "max-norm" if unit else "weighted max-norm"
    if success:
        msg = (
            f"contraction proved on the region: Lipschitz constant <= {worst:.6g} < 1 in the {short} "
            f"({sub.checked} boxes)"
            + ("; Φ maps the region into itself, so it has exactly one fixed point there" if invariant else "")
        )
    else:
        msg = (
            f"not proved: {n_failed} box(es) where the bound is not below 1 or could not be computed "
            f"(budget {max_boxes} boxes, {sub.checked} checked)"
        )
    return ContractionResult(
        success,
        worst if worst > 0 or success else None,
        wdesc,
        [float(v) for v in w],
        sub.region.to_list(),
        sub.checked,
        failed,
        n_failed,
        bool(invariant) if success else None,
        msg,
        imap.chart.labels,
    )
