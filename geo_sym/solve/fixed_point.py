"""Fixed points of the maps (equilibria of Theorem 4.4, steady states of §7): numeric and exact.

Numeric search combines plain iteration of the map with Newton steps in tangent
coordinates (exact Jacobian formulas from :mod:`geo_sym.maps.jacobian`), from seeded
starting points. :func:`exact_fixed_point` turns a numeric fixed point into an exact
one when the fixed point is rational (symmetric economies, where equal path values
make the softmax rational) and proves it by evaluating the map in exact arithmetic.
:func:`refine_high_precision` polishes a fixed point to many digits with SymPy
floats (numeric evidence, labelled as such).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

from geo_sym.economy.state import State, tangent_basis
from geo_sym.errors import DegenerateNormalizationError, DomainError
from geo_sym.maps.core import evaluate_map
from geo_sym.maps.jacobian import numeric_jacobian

__all__ = [
    "FixedPointResult",
    "find_fixed_point",
    "find_fixed_points",
    "exact_fixed_point",
    "refine_high_precision",
    "random_state",
    "center_state",
]


@dataclass(frozen=True, eq=False)
class FixedPointResult:
    """Outcome of a fixed-point search (the fields of SciPy's ``OptimizeResult``).

    Attributes
    ----------
    state : State
    success : bool
    residual : float
        ``‖Φ(x) - x‖_2``.
    iterations : int
    message : str
    """

    state: State
    success: bool
    residual: float
    iterations: int
    message: str

    def __repr__(self) -> str:
        return f"FixedPointResult(success={self.success}, residual={self.residual:.3g}, iterations={self.iterations})"


def center_state(econ) -> State:
    """A float state in Ω_K: ``y = 0`` (inaction), uniform prices and routing.

    Raises
    ------
    ValidationError
        When the DAG has too many paths for a full state (one routing coordinate per path).
    """
    A, K, P = econ.A, econ.K, len(econ.paths)  # path enumeration refuses DAGs too large for a full state
    return State(np.zeros((A, K)), np.full((A, K), 1.0 / (A * K)), np.full(P, 1.0 / P))


def random_state(econ, rng: np.random.Generator) -> State:
    """A random float state in Ω_K (production inside the sets, prices and routing on their simplices)."""
    A, K, P = econ.A, econ.K, econ.n_paths
    y = np.zeros((A, K))
    for a, s in enumerate(econ.production_sets):
        if s.kind == "box":
            lo = np.array([float(v) for v in s.lo])
            hi = np.array([float(v) for v in s.hi])
            y[a] = lo + rng.random(K) * (hi - lo)
        else:
            c = np.array([float(v) for v in s.center])
            d = rng.normal(size=K)
            d /= max(np.linalg.norm(d), 1e-12)
            y[a] = c + d * float(s.radius) * rng.random() ** (1.0 / K)
    if econ.prices_on_simplex:
        p = rng.dirichlet(np.ones(A * K)).reshape(A, K)
    else:
        p = rng.normal(size=(A, K))
    pi = rng.dirichlet(np.ones(P))
    return State(y, p, pi)


def _residual(econ, x: State, policy=None) -> tuple[float, State]:
    fx = evaluate_map(econ, x, policy=policy).state
    return float(np.linalg.norm(fx.flat() - x.flat())), fx


def find_fixed_point(
    econ, start: State | None = None, *, tol: float = 1e-12, max_iter: int = 5000, newton: bool = True, policy=None
) -> FixedPointResult:
    """Iterate the map, switching to damped Newton steps in tangent coordinates when close.

    ``policy`` (a :class:`geo_sym.economy.policy.TaylorRule`) sets the SLO weights by the Taylor rule. The
    Newton step is the least-squares one, so a singular ``DΦ - I`` (a continuum of fixed points)
    gives the minimum-norm step instead of a blown-up one.

    Raises nothing on failure: ``success`` is False and ``message`` says why.
    """
    x = center_state(econ) if start is None else (start.to_float() if start.exact else start)
    Q = tangent_basis(econ)
    n_it = 0
    next_newton = 0  # Newton is tried when close (residual < 1e-2), and every few steps otherwise
    try:
        res, fx = _residual(econ, x, policy)
        while n_it < max_iter and res > tol:
            n_it += 1
            step_done = False
            if newton and (res < 1e-2 or n_it >= next_newton):
                J = numeric_jacobian(econ, x, policy=policy).dense()
                Jt = Q.T @ (J - np.eye(J.shape[0])) @ Q
                g = Q.T @ (fx.flat() - x.flat())
                try:
                    delta = np.linalg.lstsq(Jt, -g, rcond=None)[0]
                except np.linalg.LinAlgError:
                    delta = None
                if delta is not None and np.all(np.isfinite(delta)):
                    t = 1.0
                    while t > 1e-4:
                        cand = State.from_flat(econ, x.flat() + t * (Q @ delta))
                        try:
                            cres, cfx = _residual(econ, cand, policy)
                        except (DegenerateNormalizationError, DomainError):
                            cres = np.inf
                        if cres < res:
                            x, fx, res = cand, cfx, cres
                            step_done = True
                            break
                        t /= 2
                if not step_done:
                    next_newton = n_it + 10
            if not step_done:
                x = fx
                res, fx = _residual(econ, x, policy)
    except DegenerateNormalizationError as exc:
        return FixedPointResult(x, False, float("inf"), n_it, f"the map is undefined along the iteration: {exc}")
    ok = res <= tol
    msg = "converged" if ok else f"no convergence after {n_it} iterations (residual {res:.3g})"
    return FixedPointResult(x, ok, res, n_it, msg)


def find_fixed_points(
    econ, n_starts: int = 8, seed: int = 0, tol: float = 1e-11, distinct: float = 1e-6, progress=None
):
    """Fixed points from the centre and ``n_starts`` seeded random starts, duplicates merged.

    ``progress(done, total)`` is called after each start (the command line draws a bar).
    """
    rng = np.random.default_rng(seed)
    starts = [center_state(econ)] + [random_state(econ, rng) for _ in range(n_starts)]
    found: list[FixedPointResult] = []
    for done, s in enumerate(starts, start=1):
        r = find_fixed_point(econ, s, tol=tol)
        if r.success and not any(np.linalg.norm(r.state.flat() - f.state.flat()) < distinct for f in found):
            found.append(r)
        if progress is not None:
            progress(done, len(starts))
    return found


def _rationalize(v: float, max_den: int) -> sp.Rational:
    fr = Fraction(float(v)).limit_denominator(max_den)
    return sp.Rational(fr.numerator, fr.denominator)


def exact_fixed_point(econ, approx: State, max_den: int = 10**6) -> State | None:
    """An exact fixed point near ``approx`` when there is a rational one, else ``None``.

    ``y`` and ``p`` are rounded to nearby rationals, ``π`` is recomputed exactly by the map,
    and ``Φ(x) = x`` is then checked in exact arithmetic (a proof, not a tolerance).

    At a rational state the path values are rational, and ``π_j/π_i = exp((V_i − V_j)/τ)`` is irrational
    unless ``V_i = V_j`` (Lindemann–Weierstrass), so a rational fixed point has the uniform routing:
    a point whose routing is visibly not uniform is rejected before any exact arithmetic.
    """
    pi = np.asarray(approx.pi, dtype=float)
    if pi.size and np.max(np.abs(pi - 1.0 / pi.size)) > 1e-6:
        return None
    f = np.vectorize(lambda v: _rationalize(v, max_den), otypes=[object])
    cand = State(f(approx.y), f(approx.p), f(approx.pi))
    try:
        img = evaluate_map(econ, cand).state
    except (DegenerateNormalizationError, DomainError):
        return None
    # An image entry that SymPy leaves as an expression in exp(rational) is irrational
    # (Lindemann–Weierstrass), so it cannot equal a rational coordinate.
    if all(isinstance(a, sp.Rational) and a == b for a, b in zip(img.flat(), cand.flat())):
        return cand
    return None


def _onto_simplices(econ, x: State, digits: int) -> State:
    """Rescale the simplex blocks to sum exactly 1 at this precision (float steps leave O(1e-16) drift)."""

    def scale(arr):
        tot = sum(arr.ravel())
        return np.array([sp.Float(v / tot, digits) for v in arr.ravel()], dtype=object).reshape(arr.shape)

    return State(x.y, scale(x.p) if econ.prices_on_simplex else x.p, scale(x.pi))


def refine_high_precision(econ, approx: State, digits: int = 60, steps: int = 25) -> tuple[State, float]:
    """Polish a fixed point with SymPy floats of ``digits`` digits (Newton with a float Jacobian).

    Returns the refined state (object arrays of ``sympy.Float``) and the residual
    ``max|Φ(x) - x|`` evaluated at that precision. Numeric evidence, not a proof.
    """
    Q = tangent_basis(econ)
    x = approx.to_float() if approx.exact else approx
    J = numeric_jacobian(econ, x).dense()
    Jt = Q.T @ (J - np.eye(J.shape[0])) @ Q
    lu = np.linalg.pinv(Jt)
    flt = np.vectorize(lambda v: sp.Float(float(v), digits), otypes=[object])
    xh = State(flt(x.y), flt(x.p), flt(x.pi))
    xh = _onto_simplices(econ, xh, digits)
    res = None
    for _ in range(steps):
        img = evaluate_map(econ, xh).state
        diff = np.array([sp.Float(a - b, digits) for a, b in zip(img.flat(), xh.flat())], dtype=object)
        res = max(abs(float(v)) for v in diff) if diff.size else 0.0
        if res < 10.0 ** (-(digits - 8)):
            break
        # Newton step in tangent coordinates, computed in high precision with the float inverse
        g = np.array([sum(Q[i, j] * diff[i] for i in range(Q.shape[0])) for j in range(Q.shape[1])], dtype=object)
        delta = [-sum(lu[j, k] * g[k] for k in range(len(g))) for j in range(len(g))]
        step = np.array([sum(Q[i, j] * delta[j] for j in range(len(delta))) for i in range(Q.shape[0])], dtype=object)
        xh = _onto_simplices(
            econ,
            State.from_flat(econ, np.array([sp.Float(a + b, digits) for a, b in zip(xh.flat(), step)], dtype=object)),
            digits,
        )
    img = evaluate_map(econ, xh).state
    res = max((abs(sp.Float(a - b, digits)) for a, b in zip(img.flat(), xh.flat())), default=sp.Float(0))
    return xh, float(res)
