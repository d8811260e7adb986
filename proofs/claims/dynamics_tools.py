"""Shared rigorous tools of the dynamics claims (§6–8): the paper's rate, states, norms, spectra, iterates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from geo_sym.economy.state import State, tangent_basis
from geo_sym.errors import DegenerateNormalizationError
from geo_sym.maps.core import active_set
from geo_sym.maps.jacobian import numeric_jacobian
from geo_sym.maps.symbolic import exact_jacobian
from geo_sym.rigorous.arb import require_flint
from geo_sym.rigorous.dual import yp_norm_ratio
from geo_sym.rigorous.exact import is_rational_matrix
from geo_sym.rigorous.spectral import (
    PREC,
    arb_fraction_bounds,
    charpoly_ball,
    exact_eigenvalues,
    norm_lower_bound,
    point_slope,
    precise_interval_map,
    roots_in_disk,
)
from geo_sym.solve.fixed_point import random_state

__all__ = [
    "RateBounds",
    "paper_rate",
    "map_economy",
    "rational_states",
    "NormHit",
    "largest_norm",
    "SpectralFacts",
    "spectral_facts",
    "fraction",
    "OnePathContraction",
    "one_path_contraction",
]


def fraction(v) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, sp.Rational):
        return Fraction(int(v.p), int(v.q))
    return Fraction(v)


def map_economy(econ, kind: str):
    """The economy with ``map`` set to ``kind`` (``simultaneous`` = Φ_K, ``sequential`` = eq. (13))."""
    return econ if econ.map_kind == kind else econ.replace(map=kind)


# ------------------------------------------------------------------------------------ the paper's rate
@dataclass(frozen=True)
class RateBounds:
    """``λ = (1 − α)γ_A P/τ`` (Proposition 6.2): exact (``lo == hi``) or rigorous bounds.

    ``hypothesis`` is True/False when ``τ > (1 − α)γ_A P`` (i.e. ``λ < 1``) is decided, ``None`` otherwise.
    """

    lo: Fraction
    hi: Fraction
    gamma_lo: Fraction
    gamma_hi: Fraction

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    @property
    def hypothesis(self) -> bool | None:
        if self.hi < 1:
            return True
        if self.lo >= 1:
            return False
        return None

    def text(self) -> str:
        return _q(self.lo) if self.exact else f"in [{float(self.lo):.6g}, {float(self.hi):.6g}]"


def _q(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def _gamma_bounds(pm) -> tuple[Fraction, Fraction]:
    exact = pm.spectral_norm_exact
    if exact is not None:
        g = fraction(exact)
        return g, g
    G = sp.Matrix(pm.G)
    eigs = exact_eigenvalues(G.T * G)  # squared singular values, real and non-negative
    top = max(eigs, key=lambda e: e.modulus_bounds[1])
    lo, hi = top.modulus_bounds
    flint = require_flint()
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        s_lo = arb_fraction_bounds(flint.arb(flint.fmpq(lo.numerator, lo.denominator)).sqrt())[0]
        s_hi = arb_fraction_bounds(flint.arb(flint.fmpq(hi.numerator, hi.denominator)).sqrt())[1]
    finally:
        flint.ctx.prec = old
    return max(s_lo, Fraction(0)), s_hi


def paper_rate(econ) -> RateBounds | None:
    """The paper's rate for a linear price mechanism, ``None`` for the tâtonnement (no ``γ_A``)."""
    pm = econ.price_mechanism
    if pm.kind != "linear":
        return None
    g_lo, g_hi = _gamma_bounds(pm)
    c = (1 - fraction(econ.alpha)) * econ.depth / fraction(econ.tau)
    return RateBounds(c * g_lo, c * g_hi, g_lo, g_hi)


# ------------------------------------------------------------------------------------ exact states
def _rational(v, den: int = 997) -> sp.Rational:
    fr = Fraction(float(v)).limit_denominator(den)
    return sp.Rational(fr.numerator, fr.denominator)


def _inside(econ, y) -> np.ndarray:
    """``y`` moved into the production sets exactly (clipped into boxes, scaled towards a ball's centre)."""
    out = np.empty_like(y)
    for a, s in enumerate(econ.production_sets):
        if s.kind == "box":
            out[a] = [min(max(v, lo), hi) for v, lo, hi in zip(y[a], s.lo, s.hi)]
        else:
            c = np.array(s.center, dtype=object)
            row = np.array(y[a], dtype=object)
            while not s.contains(list(row)):
                row = c + (row - c) * sp.Rational(9, 10)
            out[a] = row
    return out


def rational_states(econ, rng, n: int) -> list:
    """``n`` exact states of the map's state space, away from kinks (seeded)."""
    out = []
    attempts = 0
    while len(out) < n and attempts < 4 * n + 8:
        attempts += 1
        x = random_state(econ, rng)
        y = _inside(econ, np.vectorize(_rational, otypes=[object])(x.y))
        if econ.price_mechanism.kind == "tatonnement":
            raw = [_rational(v) + sp.Rational(1, 1000) for v in x.p.ravel()]
            total = sum(raw)
            p = np.array([v / total for v in raw], dtype=object).reshape(x.p.shape)
        else:  # prices the mechanism can produce: p = G y' + b for some y' ∈ Y
            y2 = _inside(econ, np.vectorize(_rational, otypes=[object])(random_state(econ, rng).y))
            G = np.array(econ.price_mechanism.G, dtype=object)
            b = np.array(econ.price_mechanism.b, dtype=object)
            p = (G.dot(y2.ravel()) + b).reshape(y.shape)
        raw = [_rational(v) + sp.Rational(1, 1000) for v in x.pi]
        total = sum(raw)  # once, not per coordinate
        pi = np.array([v / total for v in raw], dtype=object)
        st = State(y, p, pi)
        try:
            if active_set(econ, st).at_kink:
                continue
        except DegenerateNormalizationError:
            continue
        out.append(st)
    return out


# ------------------------------------------------------------------------------------ operator norms
@dataclass(frozen=True)
class NormHit:
    """The state where the largest rigorous operator-norm lower bound was found."""

    state: State
    tangent: list
    ratio_squared: tuple
    estimates: list
    rows_only: bool = False

    def __repr__(self) -> str:
        if self.ratio_squared is None:
            return f"NormHit(estimate={max(self.estimates):.6g})"
        return f"NormHit(ratio²≥{float(self.ratio_squared[0]):.6g})"

    @property
    def proves_at_least_one(self) -> bool:
        return self.ratio_squared is not None and self.ratio_squared[0] >= 1


#: the Arb enclosure of the whole Jacobian (routing block included) is tried up to this state size
ARB_NORM_SIZE = 60


def _screen(econ, st, Q):
    """Float ``(‖DΦ‖_op, ‖rows y,p of DΦ‖_op, top right singular vector of the y,p rows, ambient)``."""
    J = numeric_jacobian(econ, st).dense()
    if Q.shape[1] == 0:
        return 0.0, 0.0, None
    full = float(np.linalg.norm(Q.T @ J @ Q, 2))
    rows = 2 * econ.A * econ.K
    _, sv, vt = np.linalg.svd(J[:rows] @ Q)
    return full, float(sv[0]), Q @ vt[0]


def _exact_tangent(econ, v, max_den: int = 10**6) -> list:
    """A rational ambient vector near ``v``, exactly sum-zero on every simplex block (so exactly tangent)."""
    t = [Fraction(float(c)).limit_denominator(max_den) for c in v / np.max(np.abs(v))]
    A, K = econ.A, econ.K
    blocks = [range(2 * A * K, 2 * A * K + econ.n_paths)]
    if econ.prices_on_simplex:
        blocks.append(range(A * K, 2 * A * K))
    for block in blocks:
        idx = list(block)
        if idx:
            t[idx[-1]] -= sum((t[i] for i in idx), Fraction(0))
    return t


def largest_norm(econ, states, decide_above: float = 1.0) -> NormHit | None:
    """Over ``states`` (exact, off kinks): screen the operator norms in floating point, then decide at the best.

    First exactly: the ``y`` and ``p`` rows of ``DΦ(x) t`` are rational at a rational state, so
    ``‖(DΦ t)_{y,p}‖² / ‖t‖²`` — a lower bound of ``‖DΦ(x)‖²_op`` — is computed in exact arithmetic with
    dual numbers (:mod:`geo_sym.rigorous.dual`). When that block alone stays below ``decide_above`` but
    the whole norm does not, the Arb enclosure of the whole Jacobian is used (small economies only).
    Nothing rigorous is computed when every estimate is below ``decide_above``; the hit then carries
    ``ratio_squared = None``.
    """
    if not states:
        return None
    Q = tangent_basis(econ)
    screens = [_screen(econ, st, Q) for st in states]
    estimates = [f for f, _, _ in screens]
    if max(estimates) < decide_above:
        return NormHit(states[int(np.argmax(estimates))], None, None, estimates)
    b = int(np.argmax([s for _, s, _ in screens]))
    if econ.all_boxes and screens[b][1] >= decide_above and screens[b][2] is not None:  # rational rows
        t = _exact_tangent(econ, screens[b][2])
        r = yp_norm_ratio(econ, states[b], t)
        if r >= decide_above**2:
            return NormHit(states[b], t, (r, r), estimates, rows_only=True)
    if econ.state_size() > ARB_NORM_SIZE:
        return NormHit(states[int(np.argmax(estimates))], None, None, estimates)
    idx = int(np.argmax(estimates))
    chart, S = point_slope(econ, states[idx])
    nb = None if S is None else norm_lower_bound(chart, S)
    if nb is None:
        return NormHit(states[idx], None, None, estimates)
    return NormHit(states[idx], nb.tangent, nb.ratio_squared, estimates)


# ------------------------------------------------------------------------------------ spectra at fixed points
@dataclass(frozen=True)
class SpectralFacts:
    """What is proved about ``ρ(DΦ(x*))`` at one fixed point.

    ``radius_lo``/``radius_hi``: rigorous bounds when known (``radius_hi`` may be ``None``); ``eigenvalue``:
    an exact eigenvalue of largest modulus (``ExactEigenvalue``) at an exact fixed point; ``n``: the tangent
    dimension; ``inside_unit``: roots strictly inside the unit circle (``None`` when undecided).
    """

    n: int
    radius_lo: Fraction | None
    radius_hi: Fraction | None
    estimate: float
    eigenvalue: object = None
    inside_unit: int | None = None
    exact: bool = False


def _slope_over(econ, box):
    flint = require_flint()
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        imap = precise_interval_map(econ)
        balls = []
        for k in imap.chart.kept:
            lo, hi = box[k]
            balls.append(flint.arb(float(lo)).union(flint.arb(float(hi))))
        img = imap.evaluate(balls, jacobian=True)
    finally:
        flint.ctx.prec = old
    return img.slope if img.ok else None


def _radius_bounds_from_poly(coeffs, n, guess: float):
    """Rigorous ``[lo, hi]`` of the spectral radius by root counts in disks around the float estimate."""
    lo = hi = None
    for rel in (1e-9, 1e-6, 1e-3):
        r_lo = Fraction(guess * (1 - rel)).limit_denominator(10**12) if guess > 0 else None
        r_hi = Fraction(guess * (1 + rel) + 1e-30).limit_denominator(10**12)
        if hi is None and roots_in_disk(coeffs, r_hi) == n:
            hi = r_hi
        if lo is None and r_lo is not None and r_lo > 0:
            c = roots_in_disk(coeffs, r_lo)
            if c is not None and c < n:
                lo = r_lo
        if lo is not None and hi is not None:
            break
    return lo, hi


#: above this state size the spectrum at an exact fixed point is enclosed in Arb instead of computed exactly
EXACT_SPECTRUM_SIZE = 40


def spectral_facts(econ, fp) -> SpectralFacts | None:
    """Rigorous facts about the spectrum of ``DΦ`` (tangent space) at the fixed point ``fp``.

    Exact eigenvalues up to :data:`EXACT_SPECTRUM_SIZE` state coordinates, Arb root counts on the
    characteristic polynomial up to :data:`ARB_NORM_SIZE`; ``None`` above (and at kinks).
    """
    if econ.state_size() > ARB_NORM_SIZE:
        return None
    if fp.exact is not None and econ.state_size() <= EXACT_SPECTRUM_SIZE:
        ej = exact_jacobian(econ, fp.exact)
        if ej.active.at_kink:
            return None
        Jt = ej.tangent_jacobian
        if is_rational_matrix(Jt):
            eigs = exact_eigenvalues(Jt)
            n = Jt.shape[0]
            if not eigs:
                return SpectralFacts(0, Fraction(0), Fraction(0), 0.0, None, 0, True)
            top = max(eigs, key=lambda e: e.modulus_bounds[0])
            lo = max(e.modulus_bounds[0] for e in eigs)
            hi = max(e.modulus_bounds[1] for e in eigs)
            coeffs = _charpoly_rational(Jt)
            return SpectralFacts(n, lo, hi, float((lo + hi) / 2), top, roots_in_disk(coeffs, 1), True)
        _, S = point_slope(econ, fp.exact)
    elif fp.exact is not None:
        if active_set(econ, fp.exact).at_kink:
            return None
        _, S = point_slope(econ, fp.exact)
    elif not fp.near_kink and fp.enclosure is not None:
        S = _slope_over(econ, fp.enclosure)
    else:
        return None
    if S is None:
        return None
    n = S.nrows()
    mid = np.array([[float(S[i, j].mid()) for j in range(n)] for i in range(n)])
    guess = float(np.max(np.abs(np.linalg.eigvals(mid)))) if n else 0.0
    coeffs = charpoly_ball(S)
    lo, hi = _radius_bounds_from_poly(coeffs, n, guess)
    return SpectralFacts(n, lo, hi, guess, None, roots_in_disk(coeffs, 1), False)


def _charpoly_rational(J) -> list:
    from sympy.polys.matrices import DomainMatrix

    cs = DomainMatrix.from_Matrix(J).convert_to(sp.QQ).charpoly()  # highest degree first
    return [fraction(sp.QQ.to_sympy(c)) for c in reversed(cs)]


def is_finite(v) -> bool:
    return v is not None and math.isfinite(float(v))


# ------------------------------------------------------------------------------------ one path, exactly
@dataclass(frozen=True)
class OnePathContraction:
    """Theorem 6.1's hypothesis decided exactly on a one-path economy (``docs/corpus.md`` F7–F8).

    With one path ``π ≡ 1`` and ``d = u``; ``y' = Proj_Y((1 − α)y + αu)`` has derivative ``(1 − α)D`` with
    ``D`` the diagonal of the coordinates that can be free; prices never feed back into ``y``. So
    ``sup ‖DΦ_K‖² = λmax((1 − α)²D + GᵀG)`` (linear ``A_K``; ``D`` alone for one tâtonnement price) and
    ``sup ‖DT‖² = (1 − α)² λmax(D(I + GᵀG)D)`` for the sequential map, both exact algebraic numbers.
    """

    holds: bool
    sequential_ok: bool
    text: str
    sequential_text: str


def _free_coordinates(econ) -> list:
    """Coordinates whose production can be strictly inside its bounds for some state (one path, boxes)."""
    out = []
    a_ = sp.Rational(econ.alpha)
    for a, s in enumerate(econ.production_sets):
        for k in range(econ.K):
            lo, hi, u = s.lo[k], s.hi[k], econ.demand[a][k]
            v_lo, v_hi = (1 - a_) * lo + a_ * u, (1 - a_) * hi + a_ * u
            out.append(lo < hi and v_lo < hi and v_hi > lo)
    return out


def _lambda_max_bounds(M) -> tuple[Fraction, Fraction]:
    """Bounds of the largest eigenvalue of a rational symmetric PSD matrix (exact when it is rational)."""
    eigs = exact_eigenvalues(M)
    if not eigs:
        return Fraction(0), Fraction(0)
    bounds = [(e.rational, e.rational) if e.rational is not None else e.modulus_bounds for e in eigs]
    return max(lo for lo, _ in bounds), max(hi for _, hi in bounds)


def one_path_contraction(econ) -> OnePathContraction | None:
    """The exact one-path analysis, or ``None`` when it does not apply (several paths, balls, tâtonnement with AK > 1)."""
    if econ.n_paths != 1 or not econ.all_boxes:
        return None
    pm = econ.price_mechanism
    if pm.kind == "tatonnement" and econ.A * econ.K != 1:
        return None
    n = econ.A * econ.K
    D = sp.diag(*[1 if f else 0 for f in _free_coordinates(econ)])
    c = (1 - sp.Rational(econ.alpha)) ** 2
    GtG = sp.zeros(n, n) if pm.kind == "tatonnement" else sp.Matrix(pm.G).T * sp.Matrix(pm.G)
    lo, hi = _lambda_max_bounds(c * D + GtG)
    t_lo, t_hi = _lambda_max_bounds(c * D * (sp.eye(n) + GtG) * D)
    if hi < 1:
        holds = True
    elif lo >= 1:
        holds = False
    else:
        return None
    exact = lo == hi
    text = (f"sup ‖DΦ_K‖² = {_q(lo)}" if exact else f"sup ‖DΦ_K‖² ∈ [{float(lo):.6g}, {float(hi):.6g}]") + (
        " < 1" if holds else " ≥ 1"
    )
    seq_text = f"sup ‖DT‖² = {_q(t_lo)}" if t_lo == t_hi else f"sup ‖DT‖² ≤ {float(t_hi):.6g}"
    return OnePathContraction(holds, t_hi <= lo, text, seq_text)
