r"""The Krawczyk test: existence and uniqueness of a fixed point in a box, proved in Arb arithmetic.

For a box ``X`` (tangent coordinates, see :mod:`geo_sym.rigorous.fixed_point_problem`), a point
``x̃ ∈ X``, a float matrix ``C ≈ S^{-1}`` and the interval slope matrix ``S(X)`` of
``F(u) = T⁺ Φ(T u + e) - u`` (a Lipschitz matrix: ``F(x) - F(x') ∈ S(X)(x - x')`` for all
``x, x' ∈ X``; kinks of ``max``/``clip`` enter with slope range ``[0, 1]``)

.. math:: K(X) = x̃ - C F(x̃) + (I - C\,S(X))(X - x̃).

``K(X) ⊂ int X`` proves that ``F`` has exactly one zero in ``X`` (Krawczyk 1969, Moore 1977,
Rump 1983; for Lipschitz matrices see Neumaier, *Interval Methods for Systems of Equations*,
1990, §5.1); every zero in ``X`` lies in ``K(X) ∩ X``, so an empty intersection proves there is
none. Floating point only chooses ``x̃`` and ``C``; a failed or non-finite evaluation leaves the
test undecided, never passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from geo_sym.economy.state import State
from geo_sym.errors import ShapeError
from geo_sym.rigorous.arb import float_up, require_flint
from geo_sym.rigorous.boxes import TangentBox, box_full, enclosure_full
from geo_sym.rigorous.fixed_point_problem import (
    MAX_CERTIFY_DIMENSION,
    as_interval_map,
    check_dimension,
    check_positive,
    check_state,
    float_residual,
    newton,
)
from geo_sym.rigorous.interval import IntervalMap, interval_map

__all__ = ["KrawczykResult", "krawczyk_test", "certify_fixed_point", "KrawczykStep", "krawczyk_step", "tighten"]


# ------------------------------------------------------------------------------------ one step
def _arb_vec(vals):
    """A column of Arb balls (an ``n × 1`` ``arb_mat``; ``0 × 1`` when empty)."""
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


@dataclass(frozen=True, eq=False)
class KrawczykStep:
    """One Krawczyk step on a box (see :func:`krawczyk_step`)."""

    status: str  # "certified", "excluded", "undecided", "failed"
    box: TangentBox | None  # the box after contraction (all zeros of the input box lie in it)
    reason: str
    norm: float | None = None  # upper bound of ||I - C S||_inf
    smear: np.ndarray | None = None
    tested: TangentBox | None = None  # the box the test ran on (contains the input box)

    def __repr__(self) -> str:
        return f"KrawczykStep(status={self.status!r})"


def _identity(m: int):
    """The ``m × m`` identity as an ``arb_mat``."""
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


def krawczyk_step(imap: IntervalMap, X: TangentBox, center=None) -> KrawczykStep:
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
        return KrawczykStep("failed", X, img.reason, tested=X)
    # fixed points in X lie in Φ(X): the natural exclusion / contraction test (0 ∉ F(X))
    Xc = X.intersect_balls(img.tangent_value)
    if Xc is None:
        return KrawczykStep("excluded", None, "Φ(X) does not meet X (0 ∉ F(X))", tested=X)
    state_balls = imap.chart.state_balls(Xc.balls())
    for j, _ in imap.chart.dropped:
        if not state_balls[j].overlaps(img.value[j]):
            return KrawczykStep("excluded", None, "the rebuilt simplex coordinate does not meet its image", tested=X)
    if m == 0:
        return KrawczykStep(
            "certified", Xc, "zero-dimensional state space: the single state is the fixed point", 0.0, tested=X
        )
    xt = Xc.mid if center is None else np.clip(np.asarray(center, dtype=float), Xc.lo, Xc.hi)
    pt = imap.evaluate(TangentBox(xt.copy(), xt.copy()), jacobian=False)
    if not pt.ok:
        return KrawczykStep("failed", Xc, pt.reason, tested=X)
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
        return KrawczykStep(
            "undecided", Xc, "the midpoint slope matrix is singular (no preconditioner)", None, smear, tested=X
        )
    Ca = flint.arb_mat(C.tolist())
    R = I - Ca * SF
    d = _arb_vec([b - arb(float(xt[i])) for i, b in enumerate(X.balls())])
    K = _arb_vec([arb(float(v)) for v in xt]) - Ca * _arb_vec(Fx) + R * d
    Kb = [K[i, 0] for i in range(m)]
    norm = _upper_norm_inf(R)
    if not all(k.is_finite() for k in Kb):
        return KrawczykStep("failed", Xc, "the Krawczyk operator is not finite", norm, smear, tested=X)
    Xk = Xc.intersect_balls(Kb)  # every zero in X lies in Φ(X) ∩ K(X)
    if Xk is None:
        return KrawczykStep("excluded", None, "K(X) ∩ X ∩ Φ(X) = ∅", norm, smear, tested=X)
    lo = [arb(float(v)) for v in X.lo]
    hi = [arb(float(v)) for v in X.hi]
    if all(lo[i] < k and k < hi[i] for i, k in enumerate(Kb)):
        return KrawczykStep("certified", Xk, "K(X) ⊂ int X", norm, smear, tested=X)
    # Second criterion: K(X) ⊆ X gives a zero by Brouwer, and ||I - C S(X)||_inf < 1 makes
    # x ↦ x - C F(x) a contraction on X, so C is nonsingular and the zero is the only one in X.
    if norm < 1 and all(lo[i] <= k and k <= hi[i] for i, k in enumerate(Kb)):
        return KrawczykStep(
            "certified", Xk, f"K(X) ⊆ X and ||I - C S(X)||_inf <= {norm:.3g} < 1", norm, smear, tested=X
        )
    return KrawczykStep("undecided", Xk, f"K(X) is not inside X (||I - C S||_inf <= {norm:.3g})", norm, smear, tested=X)


def tighten(imap: IntervalMap, box: TangentBox, within: TangentBox, rounds: int = 12) -> TangentBox:
    """A tight box around the fixed point certified in ``box``.

    ``X ← K(X) ∩ Φ(X) ∩ X`` while it shrinks; then, if the box is still wide (slow contraction at a
    kink), a Krawczyk test on a tiny box around a float Newton point: a certified tiny box inside
    ``within`` (a box where the fixed point is proved unique) contains that same fixed point.
    """
    for _ in range(rounds):
        st = krawczyk_step(imap, box)
        if st.box is None or st.status in ("failed", "excluded"):
            break
        shrink = st.box.max_width < 0.9 * box.max_width
        box = st.box
        if not shrink:
            break
    size = np.maximum(1.0, np.maximum(np.abs(box.lo), np.abs(box.hi)))
    if np.all(box.width <= 1e-12 * size):
        return box
    nw = newton(imap, box.mid)
    if nw is None or not box.contains(nw[0]):
        return box
    u = nw[0]
    for r in (1e-13, 1e-11, 1e-9):
        B = TangentBox.around(u, r * np.maximum(1.0, np.abs(u)))
        if not B.subset_of(within):
            continue
        st = krawczyk_step(imap, B, u)
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
    """Krawczyk test on a box given in tangent coordinates (see :class:`geo_sym.economy.state.TangentChart`).

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
    imap = as_interval_map(econ)
    check_dimension(imap, MAX_CERTIFY_DIMENSION, "a Krawczyk test")
    if box.lo.shape != (imap.m,) or box.hi.shape != (imap.m,):
        raise ShapeError("box", box.lo.shape, f"{imap.m} tangent coordinates")
    radius = 0.5 * box.max_width
    return _krawczyk_result(imap, box, center, radius)


def _krawczyk_result(imap: IntervalMap, X: TangentBox, center, radius: float) -> KrawczykResult:
    """One test on ``X`` as a :class:`KrawczykResult`: proved (tightened enclosure), excluded, or undecided."""
    xt = X.mid if center is None else np.clip(np.asarray(center, dtype=float), X.lo, X.hi)
    tested_box = box_full(imap, X)
    st = krawczyk_step(imap, X, xt)
    labels = imap.chart.full_labels
    if st.status == "certified":
        tight = tighten(imap, st.box, st.tested)
        enc = enclosure_full(imap, tight)
        if not tight.subset_of(X):  # only when X had (almost) zero-width coordinates and was widened
            return KrawczykResult(
                False,
                None,
                None,
                tested_box,
                enc,
                imap.state_dict(tight.mid),
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
            tested_box,
            enc,
            imap.state_dict(tight.mid),
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
            tested_box,
            None,
            imap.state_dict(xt),
            radius,
            st.norm,
            f"no fixed point in the box: {st.reason}",
            labels,
        )
    hint = _undecided_hint(imap, xt, radius, st.norm)
    status = "undecided" if st.status == "undecided" else "the interval evaluation failed"
    return KrawczykResult(
        False,
        None,
        None,
        tested_box,
        None,
        imap.state_dict(xt),
        radius,
        st.norm,
        f"{status}: {st.reason}{hint}",
        labels,
    )


def _undecided_hint(imap: IntervalMap, xt, radius: float, norm: float | None) -> str:
    """What would help an undecided test: a state nearer a fixed point, or a smaller box."""
    r = float_residual(imap, xt)
    if r is None or not r[0].size:
        return ""
    res = float(np.max(np.abs(r[0])))
    if res > radius:
        return (
            f"; the residual max|Φ(x̃) - x̃| ≈ {res:.3g} exceeds the radius: the state is not within "
            "the box of a fixed point (try a larger --radius, or a state closer to a fixed point)"
        )
    if norm is not None and norm >= 1:
        return (
            "; the slope enclosure is too wide for this box (||I - C S|| >= 1): try a smaller --radius, "
            "or the fixed point is not isolated (singular Jacobian)"
        )
    return ""


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
    r = check_positive("radius", radius)
    st = check_state(econ, state)
    imap = interval_map(econ)
    check_dimension(imap, MAX_CERTIFY_DIMENSION, "a Krawczyk test")
    u0 = imap.chart.to_tangent(st.flat())
    X = TangentBox.around(u0, r)
    center = u0
    if polish:
        nw = newton(imap, u0)
        if nw is not None and X.contains(nw[0]):
            center = nw[0]
    return _krawczyk_result(imap, X, center, r)
