r"""Rigorous certificates for fixed points of the maps: Krawczyk, contraction, branch and prune.

Everything here is proved with outward-rounded Arb arithmetic (:mod:`geo_sym.rigorous.interval`);
floating point is used only to *choose* things (a Newton point, a preconditioner, weights,
where to bisect), never to decide. Any enclosure that is not finite, and any division by a
ball that contains 0, makes the test in question fail (undecided), never pass.

Fixed points are zeros of ``F(u) = T⁺ Φ(T u + e) - u`` in tangent coordinates ``u`` (the last
coordinate of each simplex block dropped, see :class:`geo_sym.rigorous.interval.TangentChart`). On
the affine hull of the state space ``Φ`` is still defined, and its image lies in the state
space (``Proj_Y``, ``normalize``, ``softmax``), so a zero of ``F`` is a fixed point of ``Φ``
in ``Ω_K`` and conversely.

Krawczyk test
    For a box ``X``, a point ``x̃ ∈ X``, a float matrix ``C ≈ S^{-1}`` and the interval
    slope matrix ``S(X)`` of ``F`` (a Lipschitz matrix: ``F(x) - F(x') ∈ S(X)(x - x')`` for
    all ``x, x' ∈ X``; kinks of ``max``/``clip`` enter with slope range ``[0, 1]``)

    .. math:: K(X) = x̃ - C F(x̃) + (I - C\,S(X))(X - x̃).

    ``K(X) ⊂ int X`` proves that ``F`` has exactly one zero in ``X`` (Krawczyk 1969,
    Moore 1977, Rump 1983; for Lipschitz matrices see Neumaier, *Interval Methods for
    Systems of Equations*, 1990, §5.1); every zero in ``X`` lies in ``K(X) ∩ X``, so an
    empty intersection proves there is none.
Contraction (the hypothesis of Theorem 6.1, for this instance)
    On a region subdivided into boxes ``B``, ``‖S_Φ(B)‖ ≤ L_B`` bounds the Lipschitz
    constant of the tangent map on ``B`` in the weighted max-norm
    ``‖u‖_w = max_i |u_i| / w_i`` (operator norm ``max_i Σ_j |s_ij| w_j / w_i``); the region
    being convex, ``L = max_B L_B < 1`` proves the map is a contraction there.
All fixed points (branch and prune)
    Boxes of the state space are excluded (``X ∩ Φ(X) = ∅``, ``K(X) ∩ X = ∅``, a simplex
    coordinate certainly negative), contracted (``X ← X ∩ Φ(X) ∩ K(X)``), certified by
    Krawczyk (on the box, or on a box inflated around a float Newton point), or bisected,
    within a stated box budget. ``complete`` is true only when no box is left unresolved.
    A continuum of fixed points (an eigenvalue exactly 1) can never be certified box by box:
    the budget runs out, ``complete`` stays false and the unresolved boxes are reported with
    numeric evidence of the continuum.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass, field

import numpy as np

from geo_sym.economy.state import State
from geo_sym.errors import ShapeError, ValidationError
from geo_sym.rigorous.interval import IntervalMap, TangentBox, float_down, float_up, interval_map, require_flint

__all__ = [
    "MAX_SEARCH_DIMENSION",
    "MAX_CERTIFY_DIMENSION",
    "SearchTooLargeError",
    "KrawczykResult",
    "ContractionResult",
    "CertifiedFixedPoint",
    "FixedPointSearchResult",
    "krawczyk_test",
    "certify_fixed_point",
    "contraction_certificate",
    "find_all_fixed_points",
    "certify_fixed_points",
]

MAX_SEARCH_DIMENSION = 12
"""Largest tangent dimension (``2AK + |P|`` minus one per simplex block) for an exhaustive search."""

MAX_CERTIFY_DIMENSION = 400
"""Largest tangent dimension for a Krawczyk test or a contraction certificate."""


class SearchTooLargeError(ValidationError):
    """The economy has too many state coordinates for the requested rigorous computation."""


# ------------------------------------------------------------------------------------ helpers
def _as_map(target):
    """An :class:`IntervalMap` for an economy; objects with the same protocol pass through.

    The protocol: ``m``, ``chart`` (a :class:`~geo_sym.rigorous.interval.TangentChart`),
    ``evaluate(box, jacobian)``, ``state_dict(u)`` and ``state_space_box()``.
    """
    if hasattr(target, "evaluate") and hasattr(target, "chart"):
        return target
    return interval_map(target)


def _check_dimension(imap, limit: int, what: str):
    if imap.m > limit:
        econ = getattr(imap, "econ", None)
        desc = (
            f"{econ.name!r} with {imap.m} tangent coordinates (A={econ.A}, K={econ.K}, |P|={econ.n_paths})"
            if econ is not None
            else f"a map with {imap.m} coordinates"
        )
        expected = f"at most {limit} tangent coordinates for {what}"
        raise SearchTooLargeError("economy", imap.m, expected, message=f"economy: {desc}; expected {expected}")


def _check_state(econ, state) -> State:
    if not isinstance(state, State):
        raise ValidationError("state", type(state).__name__, "a geo_sym.economy.state.State")
    A, K, P = econ.A, econ.K, econ.n_paths
    if state.y.shape != (A, K) or state.p.shape != (A, K) or state.pi.shape != (P,):
        raise ShapeError(
            "state", (state.y.shape, state.p.shape, state.pi.shape), f"y and p of shape ({A}, {K}) and pi of length {P}"
        )
    return state.to_float() if state.exact else state


def _check_positive(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(name, value, "a positive number") from None
    if not (v > 0 and math.isfinite(v)):
        raise ValidationError(name, value, "a positive finite number")
    return v


def _check_count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValidationError(name, value, "a positive integer")
    return int(value)


def _float_residual(imap, u):
    """``F(u)`` and a float ``DF`` (midpoints of the interval evaluation at the point ``u``), or ``None``.

    Used only to choose Newton points, preconditioners and weights, never to decide.
    """
    u = np.asarray(u, dtype=float)
    img = imap.evaluate(TangentBox(u.copy(), u.copy()), jacobian=True)
    if not img.ok:
        return None
    m = imap.m
    F = np.array([float(v.mid()) for v in img.tangent_value]) - u
    DF = np.array([[float(img.slope[i, j].mid()) for j in range(m)] for i in range(m)]).reshape(m, m) - np.eye(m)
    return F, DF


def _newton(imap, u0, iters: int = 12, tol: float = 1e-14):
    """Float Newton (least squares where singular) for ``F(u) = 0``; returns ``(u, max|F|, σ_min(DF))`` or ``None``."""
    u = np.array(u0, dtype=float)
    best = None
    for _ in range(iters):
        r = _float_residual(imap, u)
        if r is None:
            break
        F, DF = r
        res = float(np.max(np.abs(F))) if F.size else 0.0
        if not np.all(np.isfinite(DF)) or not math.isfinite(res):
            break
        if best is None or res < best[1]:
            best = (u.copy(), res, DF)
        if res <= tol:
            break
        step = np.linalg.lstsq(DF, -F, rcond=None)[0]
        if not np.all(np.isfinite(step)):
            break
        u = u + step
    if best is None:
        return None
    u, res, DF = best
    smin = float(np.linalg.svd(DF, compute_uv=False).min()) if DF.size else math.inf
    return u, res, smin


def _arb_vec(vals):
    flint = require_flint()
    return flint.arb_mat([[v] for v in vals]) if vals else flint.arb_mat(0, 1)


def _upper_norm_inf(R, weights=None) -> float:
    """Upper bound (float) of ``max_i Σ_j |r_ij| w_j / w_i`` for an interval matrix ``R``."""
    flint = require_flint()
    n = R.nrows()
    best = 0.0
    for i in range(n):
        acc = flint.arb(0)
        for j in range(R.ncols()):
            a = R[i, j].abs_upper()
            acc = acc + (a if weights is None else a * flint.arb(float(weights[j])))
        if weights is not None:
            acc = acc / flint.arb(float(weights[i]))
        best = max(best, float_up(acc))
    return best


def _box_full(imap, box: TangentBox) -> list:
    """A tangent box in the flat state coordinates (the dropped simplex coordinates as ``1 - Σ``), outward."""
    return [[float_down(b), float_up(b)] for b in imap.chart.state_balls(box.balls())]


def _enclosure_full(imap: IntervalMap, box: TangentBox, image=None) -> list:
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


def _state_dict(imap, u) -> dict:
    return imap.state_dict(u)


# ------------------------------------------------------------------------------------ Krawczyk
@dataclass(frozen=True, eq=False)
class _Step:
    status: str  # "certified", "excluded", "undecided", "failed"
    box: TangentBox | None  # the box after contraction (all zeros of the input box lie in it)
    reason: str
    norm: float | None = None  # upper bound of ||I - C S||_inf
    smear: np.ndarray | None = None
    tested: TangentBox | None = None  # the box the test ran on (contains the input box)


def _simplex_contract(imap: IntervalMap, X: TangentBox) -> TangentBox | None:
    """Use ``1 - Σ(block) ≥ 0`` (the dropped simplex coordinate of a fixed point) to shrink ``X``.

    Returns ``None`` when the box certainly lies outside the state space.
    """
    arb = require_flint().arb
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


def _identity(m: int):
    return require_flint().arb_mat(m, m, [1 if i == j else 0 for i in range(m) for j in range(m)])


def _inflate_flat(X: TangentBox) -> TangentBox:
    """Widen (almost) zero-width coordinates a little, so that ``K(X) ⊂ int X`` can hold there despite
    rounding (``X`` only grows, so every statement about the wider box covers ``X``)."""
    size = np.maximum(1.0, np.maximum(np.abs(X.lo), np.abs(X.hi)))
    flat = X.width <= 1e-13 * size
    if not np.any(flat):
        return X
    delta = np.where(flat, 1e-12 * size, 0.0)
    return TangentBox(np.nextafter(X.lo - delta, -np.inf), np.nextafter(X.hi + delta, np.inf))


def _krawczyk_step(imap: IntervalMap, X: TangentBox, center=None) -> _Step:
    """One Krawczyk step on ``X`` (zero-width coordinates slightly inflated), natural image test first.

    ``certified`` means exactly one zero of ``F`` in ``tested`` (which contains ``X``); the
    returned ``box`` contains every zero of ``F`` in ``X``.
    """
    flint = require_flint()
    arb = flint.arb
    m = imap.m
    X = _inflate_flat(X)
    img = imap.evaluate(X, jacobian=True)
    if not img.ok:
        return _Step("failed", X, img.reason, tested=X)
    # fixed points in X lie in Φ(X): the natural exclusion / contraction test (0 ∉ F(X))
    Xc = X.intersect_balls(img.tangent_value)
    if Xc is None:
        return _Step("excluded", None, "Φ(X) does not meet X (0 ∉ F(X))", tested=X)
    state_balls = imap.chart.state_balls(Xc.balls())
    for j, _ in imap.chart.dropped:
        if not state_balls[j].overlaps(img.value[j]):
            return _Step("excluded", None, "the rebuilt simplex coordinate does not meet its image", tested=X)
    if m == 0:
        return _Step(
            "certified", Xc, "zero-dimensional state space: the single state is the fixed point", 0.0, tested=X
        )
    xt = Xc.mid if center is None else np.clip(np.asarray(center, dtype=float), Xc.lo, Xc.hi)
    pt = imap.evaluate(TangentBox(xt.copy(), xt.copy()), jacobian=False)
    if not pt.ok:
        return _Step("failed", Xc, pt.reason, tested=X)
    Fx = [pt.tangent_value[i] - arb(float(xt[i])) for i in range(m)]
    I = _identity(m)
    SF = img.slope - I
    Smid = np.array([[float(SF[i, j].mid()) for j in range(m)] for i in range(m)])
    smag = np.array([[float_up(SF[i, j].abs_upper()) for j in range(m)] for i in range(m)])
    smear = smag.sum(axis=0) * Xc.width
    try:
        C = np.linalg.inv(Smid)
    except np.linalg.LinAlgError:
        C = None
    if C is None or not np.all(np.isfinite(C)):
        return _Step(
            "undecided", Xc, "the midpoint slope matrix is singular (no preconditioner)", None, smear, tested=X
        )
    Ca = flint.arb_mat(C.tolist())
    R = I - Ca * SF
    d = _arb_vec([b - arb(float(xt[i])) for i, b in enumerate(X.balls())])
    K = _arb_vec([arb(float(v)) for v in xt]) - Ca * _arb_vec(Fx) + R * d
    Kb = [K[i, 0] for i in range(m)]
    norm = _upper_norm_inf(R)
    if not all(k.is_finite() for k in Kb):
        return _Step("failed", Xc, "the Krawczyk operator is not finite", norm, smear, tested=X)
    Xk = Xc.intersect_balls(Kb)  # every zero in X lies in Φ(X) ∩ K(X)
    if Xk is None:
        return _Step("excluded", None, "K(X) ∩ X ∩ Φ(X) = ∅", norm, smear, tested=X)
    lo = [arb(float(v)) for v in X.lo]
    hi = [arb(float(v)) for v in X.hi]
    if all(lo[i] < k and k < hi[i] for i, k in enumerate(Kb)):
        return _Step("certified", Xk, "K(X) ⊂ int X", norm, smear, tested=X)
    # Second criterion: K(X) ⊆ X gives a zero by Brouwer, and ||I - C S(X)||_inf < 1 makes
    # x ↦ x - C F(x) a contraction on X, so C is nonsingular and the zero is the only one in X.
    if norm < 1 and all(lo[i] <= k and k <= hi[i] for i, k in enumerate(Kb)):
        return _Step("certified", Xk, f"K(X) ⊆ X and ||I - C S(X)||_inf <= {norm:.3g} < 1", norm, smear, tested=X)
    return _Step("undecided", Xk, f"K(X) is not inside X (||I - C S||_inf <= {norm:.3g})", norm, smear, tested=X)


def _tighten(imap: IntervalMap, box: TangentBox, within: TangentBox, rounds: int = 12) -> TangentBox:
    """A tight box around the fixed point certified in ``box``.

    ``X ← K(X) ∩ Φ(X) ∩ X`` while it shrinks; then, if the box is still wide (slow contraction at a
    kink), a Krawczyk test on a tiny box around a float Newton point: a certified tiny box inside
    ``within`` (a box where the fixed point is proved unique) contains that same fixed point.
    """
    for _ in range(rounds):
        st = _krawczyk_step(imap, box)
        if st.box is None or st.status in ("failed", "excluded"):
            break
        shrink = st.box.max_width < 0.9 * box.max_width
        box = st.box
        if not shrink:
            break
    size = np.maximum(1.0, np.maximum(np.abs(box.lo), np.abs(box.hi)))
    if np.all(box.width <= 1e-12 * size):
        return box
    nw = _newton(imap, box.mid)
    if nw is None or not box.contains(nw[0]):
        return box
    u = nw[0]
    for r in (1e-13, 1e-11, 1e-9):
        B = TangentBox.around(u, r * np.maximum(1.0, np.abs(u)))
        if not B.subset_of(within):
            continue
        st = _krawczyk_step(imap, B, u)
        if st.status == "certified" and st.tested.subset_of(within):
            # both boxes contain the fixed point (unique in ``within``): keep their intersection
            lo, hi = np.maximum(st.box.lo, box.lo), np.minimum(st.box.hi, box.hi)
            return TangentBox(lo, hi) if np.all(lo <= hi) else box
    return box


@dataclass(frozen=True, eq=False)
class KrawczykResult:
    """Outcome of a Krawczyk existence-and-uniqueness test on a box around a state.

    Attributes
    ----------
    success : bool
        True when exactly one fixed point in ``box`` is proved.
    exists : bool or None
        True: a fixed point in ``box`` is proved; False: proved that there is none; None: undecided.
    unique : bool or None
        True: exactly one fixed point in ``box``; False: none; None: undecided.
    box : list of [lo, hi]
        The tested box, in the flat state coordinates (its tangent coordinates are a cube of
        half-width ``radius``; the last coordinate of each simplex block is ``1 - Σ`` of the others).
    enclosure : list of [lo, hi] or None
        A (tight) box containing the fixed point, in the flat state coordinates.
    center : dict
        The point ``x̃`` of the Krawczyk operator, in the state-file format (floats).
    radius : float
    contraction_bound : float or None
        Upper bound of ``‖I - C S(X)‖_∞`` (below 1 is typical of a successful test).
    message : str
    """

    success: bool
    exists: bool | None
    unique: bool | None
    box: list
    enclosure: list | None
    center: dict
    radius: float
    contraction_bound: float | None
    message: str
    labels: tuple = field(repr=False, default=())

    def __repr__(self) -> str:
        return f"KrawczykResult(exists={self.exists}, unique={self.unique}, radius={self.radius:g})"

    def to_dict(self) -> dict:
        return {
            "exists": self.exists,
            "unique": self.unique,
            "success": self.success,
            "enclosure": self.enclosure,
            "box": self.box,
            "center": self.center,
            "radius": self.radius,
            "contraction_bound": self.contraction_bound,
            "labels": list(self.labels),
            "method": "Krawczyk operator K(X) = x̃ - C F(x̃) + (I - C S(X))(X - x̃) for F(u) = T⁺Φ(Tu + e) - u "
            "in tangent coordinates, Arb ball arithmetic (python-flint), slope range [0, 1] at kinks",
            "message": self.message,
        }


def krawczyk_test(econ, box: TangentBox, center=None) -> KrawczykResult:
    """Krawczyk test on a box given in tangent coordinates (see :class:`geo_sym.rigorous.interval.TangentChart`).

    Parameters
    ----------
    econ : Economy
    box : TangentBox
    center : array_like, optional
        The point ``x̃`` (tangent coordinates); default the box midpoint.

    Returns
    -------
    KrawczykResult
    """
    imap = _as_map(econ)
    _check_dimension(imap, MAX_CERTIFY_DIMENSION, "a Krawczyk test")
    if box.lo.shape != (imap.m,) or box.hi.shape != (imap.m,):
        raise ShapeError("box", box.lo.shape, f"{imap.m} tangent coordinates")
    radius = 0.5 * box.max_width
    return _krawczyk_result(imap, box, center, radius)


def _krawczyk_result(imap: IntervalMap, X: TangentBox, center, radius: float) -> KrawczykResult:
    xt = X.mid if center is None else np.clip(np.asarray(center, dtype=float), X.lo, X.hi)
    box_full = _box_full(imap, X)
    st = _krawczyk_step(imap, X, xt)
    labels = imap.chart.full_labels
    if st.status == "certified":
        tight = _tighten(imap, st.box, st.tested)
        enc = _enclosure_full(imap, tight)
        if not tight.subset_of(X):  # only when X had (almost) zero-width coordinates and was widened
            return KrawczykResult(
                False,
                None,
                None,
                box_full,
                enc,
                _state_dict(imap, tight.mid),
                radius,
                st.norm,
                "at most one fixed point in the box, and exactly one in a slightly wider box "
                f"({st.reason}); try a larger --radius",
                labels,
            )
        return KrawczykResult(
            True,
            True,
            True,
            box_full,
            enc,
            _state_dict(imap, tight.mid),
            radius,
            st.norm,
            f"exactly one fixed point in the box: {st.reason}",
            labels,
        )
    if st.status == "excluded":
        return KrawczykResult(
            False,
            False,
            False,
            box_full,
            None,
            _state_dict(imap, xt),
            radius,
            st.norm,
            f"no fixed point in the box: {st.reason}",
            labels,
        )
    # undecided: say what would help
    hint = ""
    r = _float_residual(imap, xt)
    if r is not None and r[0].size:
        res = float(np.max(np.abs(r[0])))
        if res > radius:
            hint = (
                f"; the residual max|Φ(x̃) - x̃| ≈ {res:.3g} exceeds the radius: the state is not within "
                "the box of a fixed point (try a larger --radius, or a state closer to a fixed point)"
            )
        elif st.norm is not None and st.norm >= 1:
            hint = (
                "; the slope enclosure is too wide for this box (||I - C S|| >= 1): try a smaller --radius, "
                "or the fixed point is not isolated (singular Jacobian)"
            )
    status = "undecided" if st.status == "undecided" else "the interval evaluation failed"
    return KrawczykResult(
        False,
        None,
        None,
        box_full,
        None,
        _state_dict(imap, xt),
        radius,
        st.norm,
        f"{status}: {st.reason}{hint}",
        labels,
    )


class _NoImage:
    ok = False


_NO_IMAGE = _NoImage()


def certify_fixed_point(econ, state: State, radius: float = 1e-6, *, polish: bool = True) -> KrawczykResult:
    """Prove existence and uniqueness of a fixed point near ``state`` (Krawczyk, in tangent coordinates).

    The tested box is the cube of half-width ``radius`` around ``state`` in tangent coordinates.
    With ``polish``, the point ``x̃`` of the operator is improved by float Newton steps when the
    improved point stays inside the box (the box itself does not move).

    Parameters
    ----------
    econ : Economy
    state : State
        Exact or float; should lie (nearly) on the state space.
    radius : float
        Half-width of the box, > 0.
    polish : bool

    Returns
    -------
    KrawczykResult

    Raises
    ------
    ValidationError
        ``radius`` not a positive finite number.
    ShapeError
        ``state`` does not have the economy's shapes.
    SearchTooLargeError
        More than :data:`MAX_CERTIFY_DIMENSION` tangent coordinates.
    """
    r = _check_positive("radius", radius)
    st = _check_state(econ, state)
    imap = interval_map(econ)
    _check_dimension(imap, MAX_CERTIFY_DIMENSION, "a Krawczyk test")
    u0 = imap.chart.to_tangent(st.flat())
    X = TangentBox.around(u0, r)
    center = u0
    if polish:
        nw = _newton(imap, u0)
        if nw is not None and X.contains(nw[0]):
            center = nw[0]
    return _krawczyk_result(imap, X, center, r)


# ------------------------------------------------------------------------------------ contraction
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
        given, else the whole state space (:func:`geo_sym.rigorous.interval.state_space_box`: production
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
    imap = _as_map(econ)
    _check_dimension(imap, MAX_CERTIFY_DIMENSION, "a contraction certificate")
    max_boxes = _check_count("max_boxes", max_boxes)
    if norm not in ("weighted", "inf"):
        raise ValidationError("norm", norm, "'weighted' or 'inf'")
    m = imap.m
    default_region = region is None and center is None
    if region is None:
        if center is not None:
            st = _check_state(imap.econ, center)
            r = _check_positive("radius", 1e-3 if radius is None else radius)
            region = TangentBox.around(imap.chart.to_tangent(st.flat()), r)
        else:
            region = imap.state_space_box()
    elif region.lo.shape != (m,):
        raise ShapeError("region", region.lo.shape, f"{m} tangent coordinates")
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (m,) or not np.all(w > 0) or not np.all(np.isfinite(w)):
            raise ValidationError("weights", weights, f"{m} positive finite numbers")
        norm = "weighted"
    elif norm == "inf":
        w = np.ones(m)
    scale = np.where(region.width > 0, region.width, 1.0)
    checked = 0
    invariant = True

    def examine(X):
        """(box, magnitude matrix or None, reason) for a box of the state space, or None outside it."""
        nonlocal checked, invariant
        if imap.chart.dropped:
            X = _simplex_contract(imap, X)
            if X is None:
                return None
        checked += 1
        if progress is not None:
            progress(min(checked, max_boxes), max_boxes)
        img = imap.evaluate(X, jacobian=True)
        if not img.ok:
            invariant = False
            return X, None, img.reason
        if invariant:
            for i, v in enumerate(img.tangent_value):
                if float_down(v) < region.lo[i] or float_up(v) > region.hi[i]:
                    invariant = False
                    break
        return X, _magnitudes(img.slope, m), ""

    # phase 1 (weights only): a breadth-first subdivision; w = Perron vector of the entrywise max of |S|
    queue = [region]
    leaves = []
    if w is None:
        n1 = max(1, min(max_boxes // 4, 32 * max(m, 1)))
        while queue and len(leaves) + len(queue) < n1:
            queue.sort(key=lambda B: -float(np.max(B.width / scale)))
            B = queue.pop(0)
            queue.extend(B.bisect(int(np.argmax(B.width / scale))))
        for B in queue:
            got = examine(B)
            if got is not None:
                leaves.append(got)
        mags = [mg for _, mg, _ in leaves if mg is not None]
        w = _perron_weights(np.max(mags, axis=0)) if mags else np.ones(m)
        queue = []
    else:
        got = examine(region)
        leaves = [got] if got is not None else []
    # phase 2: fixed weights, adaptive subdivision of the boxes whose bound is not below 1, largest
    # boxes first (so that, when the budget runs out, the boxes left are spread over where it fails)
    worst, failed, n_failed = 0.0, [], 0
    heap, count = [], 0
    for X, mag, reason in leaves:
        count += 1
        heap.append((-float(np.max(X.width / scale)), count, X, mag, reason))
    heapq.heapify(heap)
    while heap:
        _, _, X, mag, reason = heapq.heappop(heap)
        bound = _weighted_bound(mag, w) if mag is not None else None
        if bound is not None and bound < 1:
            worst = max(worst, bound)
            continue
        if bound is not None:
            reason = f"norm bound {bound:.4g} >= 1"
        ws = X.width / scale
        if np.max(ws) <= min_width or checked + 2 > max_boxes:
            n_failed += 1
            if len(failed) < max_reported:
                failed.append(
                    {
                        "box": X.to_list(),
                        "bound": bound,
                        "reason": reason if np.max(ws) <= min_width else f"{reason} (box budget exhausted)",
                    }
                )
            continue
        i = int(np.argmax(ws))
        if mag is not None:
            score = np.where(ws > min_width, (mag * w[None, :]).sum(axis=0) * X.width / w, -1.0)
            if np.all(np.isfinite(score)) and np.max(score) > 0:
                i = int(np.argmax(score))
        for child in X.bisect(i):
            got = examine(child)
            if got is not None:
                count += 1
                heapq.heappush(heap, (-float(np.max(got[0].width / scale)), count) + got)
    success = n_failed == 0
    if default_region:
        # Φ maps every point of the region into the state space (Proj_Y lands in Y, normalize and
        # softmax on their simplices, A_K in the range of G y + b that bounds the region), which the
        # region contains: invariance holds by construction, not by the interval check above.
        invariant = True
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
            f"({checked} boxes)"
            + ("; Φ maps the region into itself, so it has exactly one fixed point there" if invariant else "")
        )
    else:
        msg = (
            f"not proved: {n_failed} box(es) where the bound is not below 1 or could not be computed "
            f"(budget {max_boxes} boxes, {checked} checked)"
        )
    return ContractionResult(
        success,
        worst if worst > 0 or success else None,
        wdesc,
        [float(v) for v in w],
        region.to_list(),
        checked,
        failed,
        n_failed,
        bool(invariant) if success else None,
        msg,
        imap.chart.labels,
    )


# ------------------------------------------------------------------------------------ all fixed points
@dataclass(frozen=True, eq=False)
class CertifiedFixedPoint:
    """A fixed point with its enclosure.

    Attributes
    ----------
    state : dict
        The state-file format (floats): a point of the enclosure (its midpoint when certified).
    enclosure : list of [lo, hi]
        Flat state coordinates; contains the fixed point when ``certified``. Otherwise: in an
        exhaustive search, the unresolved box the float point lies in; in the numeric search, the
        float point itself (a zero-width box, no claim).
    certified : bool
        True when a rigorous test proved exactly one fixed point in ``unique_in``.
    unique_in : list of [lo, hi] or None
        The box (flat state coordinates) in which uniqueness is proved.
    residual : float or None
        ``max|Φ(x) - x|`` of ``state`` in floats (for uncertified candidates).
    """

    state: dict
    enclosure: list
    certified: bool
    unique_in: list | None = None
    residual: float | None = None

    def __repr__(self) -> str:
        w = max((b - a for a, b in self.enclosure), default=0.0)
        return f"CertifiedFixedPoint(certified={self.certified}, width={w:.3g})"

    def to_dict(self) -> dict:
        d = {"state": self.state, "enclosure": self.enclosure, "certified": self.certified}
        if self.unique_in is not None:
            d["unique_in"] = self.unique_in
        if self.residual is not None:
            d["residual"] = self.residual
        return d


@dataclass(frozen=True, eq=False)
class FixedPointSearchResult:
    """All fixed points of the map, with a completeness flag.

    Attributes
    ----------
    fixed_points : tuple of CertifiedFixedPoint
    complete : bool
        True only when the search proved there are no fixed points other than the certified
        ones (every box excluded or covered by a uniqueness box).
    success : bool
        Same as ``complete``.
    boxes_processed, max_boxes : int
    n_unresolved : int
        Boxes left undecided (budget exhausted, or narrower than ``min_width``).
    unresolved : list of list of [lo, hi]
        The first unresolved boxes (flat state coordinates).
    unresolved_hull : list of [lo, hi] or None
    continuum : dict or None
        ``{"suspected": bool, "evidence": str, ...}``: numeric evidence of a continuum of fixed
        points when boxes remain unresolved.
    exhaustive : bool
        False for the numeric search (:func:`certify_fixed_points`), which never claims completeness.
    message : str
    elapsed : float
        Seconds.
    """

    fixed_points: tuple
    complete: bool
    boxes_processed: int
    max_boxes: int
    n_unresolved: int
    unresolved: list
    unresolved_hull: list | None
    continuum: dict | None
    exhaustive: bool
    message: str
    elapsed: float
    labels: tuple = field(repr=False, default=())

    @property
    def success(self) -> bool:
        return self.complete

    @property
    def n_certified(self) -> int:
        return sum(1 for f in self.fixed_points if f.certified)

    def __repr__(self) -> str:
        return (
            f"FixedPointSearchResult(certified={self.n_certified}, candidates={len(self.fixed_points)}, "
            f"complete={self.complete}, boxes={self.boxes_processed}, unresolved={self.n_unresolved})"
        )

    def to_dict(self) -> dict:
        return {
            "fixed_points": [f.to_dict() for f in self.fixed_points],
            "complete": self.complete,
            "n_certified": self.n_certified,
            "exhaustive": self.exhaustive,
            "boxes_processed": self.boxes_processed,
            "max_boxes": self.max_boxes,
            "unresolved": {"count": self.n_unresolved, "boxes": self.unresolved, "hull": self.unresolved_hull},
            "continuum": self.continuum,
            "labels": list(self.labels),
            "elapsed_seconds": round(self.elapsed, 3),
            "method": (
                "branch and prune over the state space in tangent coordinates: exclusion (X ∩ Φ(X) = ∅, "
                "K(X) ∩ X = ∅, simplex bounds), Krawczyk contraction and certification, bisection; Arb "
                "ball arithmetic (python-flint)"
                if self.exhaustive
                else "numeric search from seeded starts, each fixed point then tested by Krawczyk; "
                "not exhaustive (use --all for a complete search)"
            ),
            "message": self.message,
        }


@dataclass(eq=False)
class _Root:
    unique_box: TangentBox
    enclosure: TangentBox


def _register_root(roots: list, enclosure: TangentBox, unique_box: TangentBox) -> str:
    """Add a certified root unless it is a known one. Returns ``"new"``, ``"known"`` or ``"ambiguous"``."""
    for r in roots:
        if enclosure.subset_of(r.unique_box):
            return "known"
    if all(enclosure.disjoint_from(r.enclosure) for r in roots):
        roots.append(_Root(unique_box, enclosure))
        return "new"
    return "ambiguous"


def _inflate_and_certify(imap: IntervalMap, u: np.ndarray, base: TangentBox, domain: TangentBox):
    """Krawczyk on boxes of decreasing size around a float zero ``u``; the first success or ``None``."""
    widths = np.maximum(base.width, 1e-12 * np.maximum(domain.width, 1.0))
    for f in (0.5, 0.05, 1e-3, 1e-6):
        X = TangentBox.around(u, f * widths)  # may stick out of the state space (see _grow_uniqueness)
        st = _krawczyk_step(imap, X, u)
        if st.status == "certified":
            return st.tested, st.box
        if st.status == "excluded":
            return None
    return None


def _grow_uniqueness(imap, root: _Root, scale: np.ndarray, steps: int = 14) -> None:
    """Enlarge a root's uniqueness box by Krawczyk tests on growing boxes around its enclosure.

    A certified box that contains the root's enclosure has that root as its only fixed point, so
    the largest such box can replace ``root.unique_box``: more boxes of the search then lie inside it.
    """
    E = root.enclosure
    c = float(np.max(root.unique_box.width / scale))
    c = max(c, 1e-12)
    for _ in range(steps):
        c *= 4.0
        if c > 0.5:
            break
        # not clipped to the state space: the map is defined on the whole affine chart, and a root on
        # the boundary of the state space (a zero price) must lie in the interior of the tested box
        X = TangentBox.around(E.mid, c * scale)
        st = _krawczyk_step(imap, TangentBox(np.minimum(X.lo, E.lo), np.maximum(X.hi, E.hi)), E.mid)
        if st.status != "certified":
            break
        root.unique_box = st.tested


def find_all_fixed_points(
    econ,
    *,
    max_boxes: int = 20000,
    min_width: float = 1e-10,
    max_listed: int = 20,
    time_limit: float | None = None,
    progress=None,
) -> FixedPointSearchResult:
    """Every fixed point of the map in the state space, by branch and prune (rigorous).

    Parameters
    ----------
    econ : Economy
        At most :data:`MAX_SEARCH_DIMENSION` tangent coordinates.
    max_boxes : int
        Box budget; when it runs out the remaining boxes are reported unresolved and
        ``complete`` is false (a continuum of fixed points always ends this way).
    min_width : float
        Boxes narrower than this fraction of the state space in every coordinate are not
        bisected further (reported unresolved).
    max_listed : int
        Unresolved boxes listed in the result (all are counted).
    time_limit : float, optional
        Seconds; like the box budget, running out leaves ``complete`` false.
    progress : callable, optional
        ``progress(boxes_processed, max_boxes)`` after each box (the command line draws a bar).

    Returns
    -------
    FixedPointSearchResult

    Raises
    ------
    SearchTooLargeError
        More than :data:`MAX_SEARCH_DIMENSION` tangent coordinates.
    """
    require_flint()
    t0 = time.perf_counter()
    max_boxes = _check_count("max_boxes", max_boxes)
    imap = _as_map(econ)
    _check_dimension(imap, MAX_SEARCH_DIMENSION, "an exhaustive fixed-point search (--all)")
    chart = imap.chart
    domain = imap.state_space_box()
    scale = np.where(domain.width > 0, domain.width, 1.0)
    counter = 0
    heap = [(-1.0, counter, domain)]
    roots: list[_Root] = []
    unresolved: list[TangentBox] = []
    processed = 0
    ambiguous = 0
    out_of_budget = False
    while heap:
        if processed >= max_boxes or (time_limit is not None and time.perf_counter() - t0 > time_limit):
            out_of_budget = True
            unresolved.extend(item[2] for item in heap)
            heap = []
            break
        _, _, X = heapq.heappop(heap)
        processed += 1
        if progress is not None:
            progress(processed, max_boxes)
        if any(X.subset_of(r.unique_box) for r in roots):
            continue
        X = _simplex_contract(imap, X) if chart.dropped else X
        if X is None:
            continue
        leaf = X
        status, step = None, None
        for _ in range(6):
            step = _krawczyk_step(imap, X)
            status = step.status
            if status in ("excluded", "certified", "failed"):
                break
            shrunk = np.max(step.box.width / scale) < 0.7 * np.max(X.width / scale)
            X = step.box
            if not shrunk:
                break
            if any(X.subset_of(r.unique_box) for r in roots):
                status = "covered"
                break
        if status in ("excluded", "covered"):
            continue
        if status == "certified":
            tight = _tighten(imap, step.box, step.tested)
            kind = _register_root(roots, tight, step.tested)
            if kind == "new":
                _grow_uniqueness(imap, roots[-1], scale)
            elif kind == "ambiguous":
                ambiguous += 1
                unresolved.append(leaf)
            continue
        # undecided: a float zero nearby with a good slope bound -> an inflated Krawczyk box
        if step.norm is not None and step.norm < 1 and not any(not X.disjoint_from(r.unique_box) for r in roots):
            nw = _newton(imap, X.mid, iters=8)
            if nw is not None and nw[1] < 1e-9 and domain.contains(nw[0]):
                got = _inflate_and_certify(imap, nw[0], X, domain)
                if got is not None:
                    ubox, enc = got
                    kind = _register_root(roots, _tighten(imap, enc, ubox), ubox)
                    if kind == "new":
                        _grow_uniqueness(imap, roots[-1], scale)
                    elif kind == "ambiguous":
                        ambiguous += 1
                    if X.subset_of(ubox):
                        continue
        ws = X.width / scale
        if np.max(ws) <= min_width:
            unresolved.append(X)
            continue
        if step.smear is not None and np.all(np.isfinite(step.smear)) and np.max(step.smear) > 0:
            score = np.where(ws > min_width, step.smear / scale, -1.0)
            i = int(np.argmax(score))
        else:
            i = int(np.argmax(ws))
        for child in X.bisect(i):
            counter += 1
            heapq.heappush(heap, (-float(np.max(child.width / scale)), counter, child))
    complete = not heap and not unresolved and not out_of_budget and ambiguous == 0
    fps = []
    for r in roots:
        enc = _enclosure_full(imap, r.enclosure)
        fps.append(CertifiedFixedPoint(_state_dict(imap, r.enclosure.mid), enc, True, _box_full(imap, r.unique_box)))
    continuum = None
    if unresolved:
        cands, continuum = _probe_unresolved(imap, unresolved, roots)
        fps.extend(cands)
    listed = [_enclosure_full(imap, B, image=_NO_IMAGE) for B in unresolved[:max_listed]]
    hull = None
    if unresolved:
        lo = np.min([B.lo for B in unresolved], axis=0)
        hi = np.max([B.hi for B in unresolved], axis=0)
        hull = _enclosure_full(imap, TangentBox(lo, hi), image=_NO_IMAGE)
    n_cert = len(roots)
    if complete:
        msg = f"complete: exactly {n_cert} fixed point(s) in the state space, each certified ({processed} boxes)"
    else:
        why = []
        if out_of_budget:
            why.append(f"the budget of {max_boxes} boxes" + (" / the time limit" if time_limit else "") + " ran out")
        if ambiguous:
            why.append(f"{ambiguous} certified box(es) could not be told apart from known fixed points")
        if not why:
            why.append(f"boxes narrower than {min_width:g} of the state space stayed undecided")
        msg = (
            f"not complete: {n_cert} certified fixed point(s); {len(unresolved)} box(es) unresolved ("
            + "; ".join(why)
            + ")"
        )
        if continuum and continuum.get("suspected"):
            msg += "; a continuum of fixed points is suspected (see 'continuum')"
    return FixedPointSearchResult(
        tuple(fps),
        complete,
        processed,
        max_boxes,
        len(unresolved),
        listed,
        hull,
        continuum,
        True,
        msg,
        time.perf_counter() - t0,
        chart.full_labels,
    )


def _probe_unresolved(imap, unresolved: list, roots: list, n_probe: int = 12):
    """Float Newton from a spread of unresolved boxes: candidates and evidence of a continuum."""
    idx = np.unique(np.linspace(0, len(unresolved) - 1, num=min(n_probe, len(unresolved))).astype(int))
    pts = []
    for k in idx:
        B = unresolved[int(k)]
        nw = _newton(imap, B.mid, iters=15)
        if nw is None or nw[1] > 1e-9:
            continue
        u, res, smin = nw
        if any(r.unique_box.contains(u) for r in roots):
            continue
        owner = next((C for C in unresolved if C.contains(u)), None)
        if owner is None:
            continue  # in an excluded box: a float artefact, not a fixed point
        if any(np.max(np.abs(u - q[0])) < 1e-7 for q in pts):
            continue
        pts.append((u, res, smin, owner))
    cands = [
        CertifiedFixedPoint(_state_dict(imap, u), _enclosure_full(imap, owner), False, None, float(res))
        for u, res, smin, owner in pts[:5]
    ]
    if len(pts) >= 2:
        diam = float(max(np.max(np.abs(a[0] - b[0])) for a in pts for b in pts))
        singular = [p for p in pts if p[2] < 1e-6]
        sdiam = float(max((np.max(np.abs(a[0] - b[0])) for a in singular for b in singular), default=0.0))
        suspected = len(singular) >= 2 and sdiam > 1e-6
        evidence = (
            f"{len(singular)} of {len(pts)} distinct float fixed points (residual <= 1e-9) found in unresolved "
            f"boxes have a singular tangent Jacobian of Φ - I (smallest singular value < 1e-6) and are spread "
            f"over {sdiam:.3g} (max-norm, tangent coordinates): a continuum of fixed points (eigenvalue 1 of "
            "DΦ), which interval tests cannot resolve into isolated points"
            if suspected
            else f"{len(pts)} distinct float fixed points in unresolved boxes, {len(singular)} with a singular "
            "Jacobian: the budget may simply be too small"
        )
        return cands, {
            "suspected": suspected,
            "evidence": evidence,
            "numeric_points": len(pts),
            "singular_points": len(singular),
            "diameter": diam,
        }
    if len(pts) == 1:
        return cands, {
            "suspected": pts[0][2] < 1e-6,
            "evidence": f"one float fixed point in the unresolved boxes; smallest singular value of the "
            f"tangent Jacobian of Φ - I ≈ {pts[0][2]:.2g}",
            "numeric_points": 1,
        }
    return cands, {
        "suspected": False,
        "evidence": "no float fixed point found in the unresolved boxes",
        "numeric_points": 0,
    }


def certify_fixed_points(econ, *, n_starts: int = 8, seed: int = 0, progress=None) -> FixedPointSearchResult:
    """Numeric fixed points from seeded starts, each tested by Krawczyk (not exhaustive: ``complete`` is false).

    Without python-flint the points are returned with ``certified = false`` and the reason in
    the message. ``progress(done, total)`` is called after each start.
    """
    from geo_sym.solve.fixed_point import find_fixed_points

    t0 = time.perf_counter()
    found = find_fixed_points(econ, n_starts=n_starts, seed=seed, progress=progress)
    why_not = None
    try:
        require_flint()
        imap = interval_map(econ)
        if imap.m > MAX_CERTIFY_DIMENSION:
            why_not = f"more than {MAX_CERTIFY_DIMENSION} tangent coordinates"
    except ImportError:
        imap, why_not = None, "python-flint is not installed (pip install python-flint)"
    have_flint = why_not is None
    fps = []
    for res in found:
        st = res.state
        if not have_flint:
            x = st.flat()
            fps.append(
                CertifiedFixedPoint(st.to_dict(), [[float(v), float(v)] for v in x], False, None, float(res.residual))
            )
            continue
        u0 = imap.chart.to_tangent(st.flat())
        nw = _newton(imap, u0)
        center = nw[0] if nw is not None else u0
        done = None
        for r in (1e-6, 1e-9, 1e-4):
            X = TangentBox.around(center, r * np.maximum(1.0, np.abs(center)))
            step = _krawczyk_step(imap, X, center)
            if step.status == "certified":
                done = (step.tested, _tighten(imap, step.box, step.tested))
                break
        if done is None:
            fps.append(
                CertifiedFixedPoint(
                    _state_dict(imap, center),
                    [[float(v), float(v)] for v in imap.chart.from_tangent(center)],
                    False,
                    None,
                    float(res.residual),
                )
            )
        else:
            X, enc = done
            fps.append(
                CertifiedFixedPoint(_state_dict(imap, enc.mid), _enclosure_full(imap, enc), True, _box_full(imap, X))
            )
    labels = imap.chart.full_labels if imap is not None else ()
    n_cert = sum(f.certified for f in fps)
    msg = (
        f"{len(fps)} fixed point(s) found numerically from {n_starts + 1} starts, {n_cert} certified by Krawczyk; "
        "not an exhaustive search (complete is false; use --all)"
    )
    if not have_flint and fps:
        msg += f"; nothing was certified: {why_not}"
    return FixedPointSearchResult(
        tuple(fps), False, 0, 0, 0, [], None, None, False, msg, time.perf_counter() - t0, labels
    )
