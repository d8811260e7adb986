"""Linear policies against closed forms derived by hand.

Brock–Mirman (log utility, Cobb–Douglas, full depreciation) has the exact policy
    k_t = alpha*beta*A*exp(z_t)*k_{t-1}^alpha,   c_t = (1 - alpha*beta)*A*exp(z_t)*k_{t-1}^alpha,
with z_t = rho*z_{t-1} + eps_t. Differentiating at the steady state
k* = (alpha*beta*A)^(1/(1-alpha)), c* = (1-alpha*beta)*A*k*^alpha (levels):
    dk_t/dk_{t-1} = alpha*beta*A*alpha*k*^(alpha-1) = alpha
    dk_t/dz_t     = k*            => dk_t/dz_{t-1} = rho*k*,  dk_t/deps_t = k*
    dc_t/dk_{t-1} = (1-alpha*beta)*A*alpha*k*^(alpha-1)
    dc_t/dz_t     = c*
"""

from __future__ import annotations

import numpy as np
import pytest


def bm_facts(alpha, beta, A, rho):
    k = (alpha * beta * A) ** (1 / (1 - alpha))
    c = (1 - alpha * beta) * A * k**alpha
    return k, c


@pytest.mark.parametrize("params", [None, {"alpha": "1/3", "beta": 0.95, "A": 2, "rho": 0.5}])
def test_brock_mirman_linear_policy_is_derivative_of_closed_form(brock_mirman, params):
    model = brock_mirman if params is None else brock_mirman.with_parameters(params)
    p = model.parameters
    alpha, beta, A, rho = p["alpha"], p["beta"], p["A"], p["rho"]
    k, c = bm_facts(alpha, beta, A, rho)
    sol = model.solve()
    assert sol.bk.status == "determinate"
    ss = sol.steady_state.as_dict()
    assert ss["k"] == pytest.approx(k, rel=1e-10)
    assert ss["c"] == pytest.approx(c, rel=1e-10)
    assert ss["z"] == pytest.approx(0, abs=1e-12)
    ic, ik, iz = (model.variables.index(v) for v in ("c", "k", "z"))
    T, R = sol.transition, sol.impact
    assert T[ik, ik] == pytest.approx(alpha, rel=1e-9)
    assert T[ik, iz] == pytest.approx(rho * k, rel=1e-9)
    assert R[ik, 0] == pytest.approx(k, rel=1e-9)
    assert T[ic, ik] == pytest.approx((1 - alpha * beta) * A * alpha * k ** (alpha - 1), rel=1e-9)
    assert T[ic, iz] == pytest.approx(rho * c, rel=1e-9)
    assert R[ic, 0] == pytest.approx(c, rel=1e-9)
    # the Euler root 1/(alpha*beta) is the unstable one
    finite = [m for m in sol.bk.moduli if np.isfinite(m)]
    assert max(finite) == pytest.approx(1 / (alpha * beta), rel=1e-9)


def test_brock_mirman_irf_follows_closed_form_recursion(brock_mirman):
    p = brock_mirman.parameters
    alpha, rho = p["alpha"], p["rho"]
    k, _ = bm_facts(p["alpha"], p["beta"], p["A"], rho)
    irf = brock_mirman.solve().irf("eps_z", 30, unit=True)
    z = rho ** np.arange(30)
    khat = np.zeros(30)
    prev = 0.0
    for t in range(30):
        prev = alpha * prev + k * z[t]
        khat[t] = prev
    assert irf["z"] == pytest.approx(z, rel=1e-10)
    assert irf["k"] == pytest.approx(khat, rel=1e-8)


def test_nk_irf_closed_form(nk3):
    # With an AR(1) shock and no endogenous state, x and pi are proportional to v
    # (Gali 2015, ch. 3): x = -(1-beta*rho)*L*v, pi = -kappa*L*v,
    # L = 1/((1-beta*rho)*(sigma*(1-rho)+phi_y) + kappa*(phi_pi-rho)).
    p = nk3.parameters
    beta, sigma, kappa, phi_pi, phi_y, rho = (p[k] for k in ("beta", "sigma", "kappa", "phi_pi", "phi_y", "rho_v"))
    L = 1 / ((1 - beta * rho) * (sigma * (1 - rho) + phi_y) + kappa * (phi_pi - rho))
    irf = nk3.solve().irf("eps_v", 10)
    v = rho ** np.arange(10)
    assert irf["v"] == pytest.approx(v, rel=1e-12)
    assert irf["x"] == pytest.approx(-(1 - beta * rho) * L * v, rel=1e-10)
    assert irf["pi"] == pytest.approx(-kappa * L * v, rel=1e-10)
    assert irf["i"] == pytest.approx(phi_pi * irf["pi"] + phi_y * irf["x"] + v, rel=1e-10)


def test_rbc_steady_state_by_hand(rbc):
    # y/k from the Euler equation, n from the labour condition (eta = 1, chi given)
    p = rbc.parameters
    alpha, beta, delta, chi, eta = (p[k] for k in ("alpha", "beta", "delta", "chi", "eta"))
    yk = (1 / beta - 1 + delta) / alpha
    ck = yk - delta
    # chi*n^eta*c = (1-alpha)*y/n  ->  n^(1+eta) = (1-alpha)*(y/k)/(chi*(c/k))
    n = ((1 - alpha) * yk / (chi * ck)) ** (1 / (1 + eta))
    k = n * yk ** (1 / (alpha - 1))
    ss = rbc.steady_state().as_dict()
    assert ss["n"] == pytest.approx(n, rel=1e-9)
    assert ss["k"] == pytest.approx(k, rel=1e-9)
    assert ss["y"] == pytest.approx(yk * k, rel=1e-9)
    assert ss["a"] == pytest.approx(1.0)
    assert rbc.solve().bk.status == "determinate"
