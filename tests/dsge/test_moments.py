"""Moments, variance decompositions and HP-filtered moments against closed forms and quadrature."""

from __future__ import annotations

import math

import numpy as np
import pytest

import dsge
from dsge.solution.moments import lyapunov, semidefinite_cholesky
from geo_sym.errors import SolverError

R1, R2, S1, S2 = 0.9, 0.5, 0.02, 0.05


@pytest.fixture(scope="module")
def two_ar1():
    return dsge.model_from_dict(
        {
            "variables": ["x1", "x2", "y", "z"],
            "shocks": ["e1", "e2"],
            "parameters": {"r1": R1, "r2": R2},
            "equations": ["x1 = r1*x1(-1) + e1", "x2 = r2*x2(-1) + e2", "y = x1 + x2", "z = 0*x1"],
            "shock_std": {"e1": S1, "e2": S2},
        }
    ).solve()


def test_variances_autocorrelations_and_correlations(two_ar1):
    m = two_ar1.moments(ar=4)
    v1, v2 = S1**2 / (1 - R1**2), S2**2 / (1 - R2**2)
    assert m.variance[:3] == pytest.approx([v1, v2, v1 + v2], rel=1e-12)
    assert m.autocorrelation[0] == pytest.approx(R1 ** np.arange(1, 5), rel=1e-12)
    ac_y = [(v1 * R1**k + v2 * R2**k) / (v1 + v2) for k in range(1, 5)]
    assert m.autocorrelation[2] == pytest.approx(ac_y, rel=1e-12)
    assert m.correlation[0, 2] == pytest.approx(v1 / math.sqrt(v1 * (v1 + v2)), rel=1e-12)
    assert m.correlation[0, 1] == pytest.approx(0, abs=1e-14)
    assert m.variance[3] == 0 and np.isnan(m.correlation[3, 0]) and np.all(np.isnan(m.autocorrelation[3]))
    # cross autocorrelation: Cov(y_t, x1_{t-1}) = R1 v1
    assert m.autocorrelation_matrices[0][2, 0] == pytest.approx(R1 * v1 / math.sqrt((v1 + v2) * v1), rel=1e-12)
    assert m.to_frame().shape == (4, 2 + 4) and m.correlation_frame().shape == (4, 4)


def test_variance_decomposition_of_independent_processes(two_ar1):
    vd = two_ar1.variance_decomposition()
    v1, v2 = S1**2 / (1 - R1**2), S2**2 / (1 - R2**2)
    assert vd.shares[2] == pytest.approx([100 * v1 / (v1 + v2), 100 * v2 / (v1 + v2)], rel=1e-12)
    assert vd.shares[0] == pytest.approx([100, 0], abs=1e-12)
    assert np.allclose(np.nansum(vd.shares[:3], axis=1), 100)
    assert np.all(np.isnan(vd.shares[3]))  # a constant has no decomposition
    assert vd.to_frame().loc["y", "e1"] == pytest.approx(100 * v1 / (v1 + v2))


def test_conditional_variance_decomposition_closed_form(two_ar1):
    cv = two_ar1.conditional_variance_decomposition([1, 3, 10])
    for k, h in enumerate((1, 3, 10)):
        v1 = S1**2 * (1 - R1 ** (2 * h)) / (1 - R1**2)
        v2 = S2**2 * (1 - R2 ** (2 * h)) / (1 - R2**2)
        assert cv.shares[k, 2] == pytest.approx([100 * v1 / (v1 + v2), 100 * v2 / (v1 + v2)], rel=1e-12)
    assert cv.to_frame().shape == (3 * 4, 2)


def test_correlated_shocks_are_decomposed_by_cholesky():
    s1, s2, r = 0.02, 0.03, 0.4
    sol = dsge.model_from_dict(
        {
            "variables": ["y"],
            "shocks": ["e", "u"],
            "parameters": {},
            "equations": ["y = e + u"],
            "shock_std": {"e": s1, "u": s2},
            "shock_corr": {"e": {"u": r}},
        }
    ).solve()
    var = s1**2 + s2**2 + 2 * r * s1 * s2
    assert sol.moments().variance[0] == pytest.approx(var, rel=1e-14)
    shares = sol.variance_decomposition().shares[0]
    assert shares == pytest.approx([100 * (s1 + r * s2) ** 2 / var, 100 * s2**2 * (1 - r * r) / var], rel=1e-12)


def _hp_gain(omega, lam=1600.0):
    g = 4 * lam * (1 - np.cos(omega)) ** 2
    return g / (1 + g)


def _quad(f):
    from scipy.integrate import quad

    # the integrand is smooth and 2*pi periodic; split where the HP gain turns
    points = [0, 0.05, 0.2, 1.0, math.pi]
    return sum(quad(f, a, b, limit=400, epsabs=1e-16, epsrel=1e-13)[0] for a, b in zip(points, points[1:])) / math.pi


@pytest.mark.parametrize("rho", [0.0, 0.9, 0.99])
def test_hp_filtered_ar1_matches_quadrature(rho):
    sigma = 0.01
    sol = dsge.model_from_dict(
        {
            "variables": ["x"],
            "shocks": ["e"],
            "parameters": {"rho": rho},
            "equations": ["x = rho*x(-1) + e"],
            "shock_std": {"e": sigma},
        }
    ).solve()
    m = sol.moments(ar=3, hp_filter=1600)

    def density(w):
        return sigma**2 * _hp_gain(w) ** 2 / (1 - 2 * rho * math.cos(w) + rho * rho)

    var = _quad(density)
    assert m.variance[0] == pytest.approx(var, rel=1e-9)
    for k in (1, 2, 3):
        cov_k = _quad(lambda w, k=k: density(w) * math.cos(k * w))
        assert m.autocorrelation[0, k - 1] == pytest.approx(cov_k / var, rel=1e-8, abs=1e-12)


def test_hp_filtered_moments_exist_with_a_unit_root():
    sol = dsge.model_from_dict(
        {"variables": ["x"], "shocks": ["e"], "parameters": {}, "equations": ["x = x(-1) + e"], "shock_std": {"e": 1}}
    ).solve()
    unfiltered = sol.moments()
    assert unfiltered.nonstationary == ("x",) and np.isnan(unfiltered.variance[0])
    m = sol.moments(hp_filter=1600)
    assert m.nonstationary == ()
    var = _quad(lambda w: _hp_gain(w) ** 2 / (2 - 2 * math.cos(w)))
    assert m.variance[0] == pytest.approx(var, rel=1e-9)
    assert sol.variance_decomposition(hp_filter=1600).shares[0, 0] == pytest.approx(100)


def test_semidefinite_cholesky():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 4))
    pd = a @ a.T + np.eye(4)
    assert np.allclose(semidefinite_cholesky(pd), np.linalg.cholesky(pd), rtol=1e-14, atol=1e-14)
    psd = np.diag([1.0, 0.0, 4.0])
    psd[0, 2] = psd[2, 0] = 2.0  # perfectly correlated first and third, second degenerate
    low = semidefinite_cholesky(psd)
    assert np.allclose(low @ low.T, psd, atol=1e-14) and np.all(low[:, 1] == 0) and low[2, 2] == 0


def test_lyapunov_solves_its_equation():
    rng = np.random.default_rng(7)
    t = rng.standard_normal((6, 6))
    t *= 0.97 / max(abs(np.linalg.eigvals(t)))
    q = rng.standard_normal((6, 2))
    q = q @ q.T
    s = lyapunov(t, q)
    assert np.max(np.abs(s - t @ s @ t.T - q)) <= 1e-12 * np.max(np.abs(s))
    with pytest.raises(SolverError, match="no solution"):
        lyapunov(np.array([[1.0]]), np.array([[1.0]]))
    stack = lyapunov(t, np.stack([q, 2 * q]))  # a stack of right-hand sides
    assert np.allclose(stack[0], s, rtol=1e-12, atol=1e-14) and np.allclose(stack[1], 2 * s, rtol=1e-12, atol=1e-14)
    rotation = np.array([[0.5, -0.6, 0.1], [0.6, 0.5, 0.2], [0.0, 0.0, -0.3]])  # a complex pair: a 2 x 2 Schur block
    x = lyapunov(rotation, np.eye(3))
    assert np.max(np.abs(x - rotation @ x @ rotation.T - np.eye(3))) <= 1e-14 * np.max(np.abs(x))


# The state block of Kiyotaki and Moore (1997) as Johannes Pfeifer's DSGE_mod file gives it (rows b, k, kp: coefficients
# up to 5.5e5, roots 0.2236 and a defective 0), and its impact vector: plain numbers here, exact as binary fractions.
KM_STATES = np.array(
    [
        [-7.8644381660086647e03, 5.5045562055344391e05, 0.0],
        [-1.1236354667169677e02, 7.8646617221920642e03, 0.0],
        [2.2472709334339353e02, -1.5729323444384128e04, 0.0],
    ]
)
KM_IMPACT = np.array([[7.221111393451018], [0.10317198380254401], [-0.20634396760508802]])


def test_impulse_responses_of_a_transition_far_from_normal():
    """Responses propagated period by period agree with exact rational arithmetic on the same numbers to 1e-8 of
    their scale; powers by repeated squaring lose 1e-5 here (the error of A^2 is of the size of |A|^2 ~ 3e11)."""
    from fractions import Fraction

    from dsge.solution.results import _state_path

    a = [[Fraction(x) for x in row] for row in KM_STATES]
    y, exact = [Fraction(x) for x in KM_IMPACT[:, 0]], []
    for _ in range(40):
        exact.append([float(v) for v in y])
        y = [sum(a[i][k] * y[k] for k in range(3)) for i in range(3)]
    exact = np.array(exact)
    ours = _state_path(KM_STATES, KM_IMPACT, 40)[:, :, 0]
    assert np.max(np.abs(ours - exact) / np.abs(exact).max(axis=0)) <= 1e-8


def test_lyapunov_of_a_transition_far_from_normal():
    """Sigma = A Sigma A' + c c' against the exact rational solution of (I - A kron A) vec(Sigma) = vec(c c') on the
    same numbers: within 1e-7 of sqrt(Sigma_ii Sigma_jj) (the doubling algorithm is off by 6e-7 here)."""
    import sympy as sp

    a = sp.Matrix(3, 3, lambda i, j: sp.Rational(KM_STATES[i, j]))
    c = sp.Matrix([sp.Rational(x) for x in KM_IMPACT[:, 0]])
    kron = sp.Matrix(9, 9, lambda r, s: a[r // 3, s // 3] * a[r % 3, s % 3])
    q = c * c.T
    vec = (sp.eye(9) - kron).LUsolve(sp.Matrix([q[i, j] for i in range(3) for j in range(3)]))
    exact = np.array([[float(vec[3 * i + j]) for j in range(3)] for i in range(3)])
    ours = lyapunov(KM_STATES, KM_IMPACT @ KM_IMPACT.T)
    scale = np.sqrt(np.outer(np.diag(exact), np.diag(exact)))
    assert np.max(np.abs(ours - exact) / scale) <= 1e-7


def test_simulation_in_levels_and_deviations(rbc):
    sol = rbc.solve(log_variables=["y"])
    dev = sol.simulate(30, seed=5, burn_in=10)
    lev = sol.simulate(30, seed=5, burn_in=10, levels=True)
    ss = sol.steady_state.as_dict()
    iy, ic = sol.reported.index("y"), sol.reported.index("c")
    assert lev.values[:, iy] == pytest.approx(ss["y"] * np.exp(dev.values[:, iy]), rel=1e-14)
    assert lev.values[:, ic] == pytest.approx(ss["c"] + dev.values[:, ic], rel=1e-14)
    assert repr(lev) == "SimulationResult(periods=30, seed=5, levels=True)"
