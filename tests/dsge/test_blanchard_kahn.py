"""Blanchard–Kahn diagnostics against facts known independently of the code.

* NK 3-equation model (Galí, ch. 3): with phi_pi, phi_y >= 0 the equilibrium is
  determinate iff kappa*(phi_pi - 1) + (1 - beta)*phi_y > 0 (Bullard–Mitra 2002).
  On the boundary (= 0) there is a continuum of steady states, i.e. a unit root.
* Scalar toys whose roots are read off the equation.
* Hybrid Phillips curve (variable with both lead and lag): the solution's
  persistence is the stable root of gamma_f*l^2 - l + gamma_b = 0.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import dsge
from geo_sym.errors import SolverError

BETA, KAPPA = 0.99, 0.1


def taylor(phi_pi, phi_y):
    return KAPPA * (phi_pi - 1) + (1 - BETA) * phi_y


GRID = [(pp, py) for pp in (0.0, 0.5, 0.9, 0.97, 1.05, 1.5, 3.0) for py in (0.0, 0.125, 0.5, 2.0)]


@pytest.mark.parametrize("phi_pi,phi_y", GRID)
def test_nk_determinacy_matches_taylor_principle(nk3, phi_pi, phi_y):
    cond = taylor(phi_pi, phi_y)
    assert abs(cond) > 1e-4  # the grid stays clear of the boundary
    sol = nk3.with_parameters({"phi_pi": phi_pi, "phi_y": phi_y}).solve()
    bk = sol.bk
    assert bk.n_forward == 2 and bk.n_predetermined == 1
    assert bk.boundary is False
    if cond > 0:
        assert bk.status == "determinate"
        assert bk.n_unstable == 2
        assert sol.transition is not None
    else:
        assert bk.status == "indeterminate"
        assert bk.n_unstable < 2
        assert sol.transition is None and sol.impact is None
        with pytest.raises(SolverError, match="indeterminate"):
            sol.irf("eps_v", 10)


def test_grid_covers_both_sides():
    signs = {taylor(pp, py) > 0 for pp, py in GRID}
    assert signs == {True, False}


@pytest.mark.parametrize("phi_pi,phi_y", [(1, 0), ("9/10", 1)])
def test_nk_boundary_reported(nk3, phi_pi, phi_y):
    # kappa*(phi_pi-1) + (1-beta)*phi_y = 0 exactly: a continuum of steady states (unit root)
    sol = nk3.with_parameters({"phi_pi": phi_pi, "phi_y": phi_y}).solve()
    bk = sol.bk
    assert bk.boundary is True
    assert bk.tolerance == 1e-6
    assert any(abs(m - 1) <= 1e-6 for m in bk.moduli)
    # a unit root is not unstable: one explosive root for two forward variables
    assert bk.status == "indeterminate" and bk.n_unstable == 1
    assert sol.transition is None
    assert "boundary" in bk.message
    assert json.loads(json.dumps(bk.to_dict()))["boundary"] is True


def test_status_uses_the_tolerance(nk3):
    # just inside the determinacy region: a root within ~1e-5 of the unit circle
    model = nk3.with_parameters({"phi_pi": "1.0001", "phi_y": 0})
    tight = model.solve(tol=1e-9).bk
    assert tight.status == "determinate" and tight.boundary is False
    gap = min(abs(m - 1) for m in tight.moduli)
    assert 1e-9 < gap < 1e-2
    loose = model.solve(tol=10 * gap).bk
    assert loose.boundary is True and loose.tolerance == 10 * gap
    assert loose.status == "indeterminate"


def toy(equation, variables=("x",), shocks=("e",)):
    return dsge.model_from_dict(
        {"variables": list(variables), "shocks": list(shocks), "parameters": {}, "equations": [equation]}
    )


def test_explosive_backward_model_has_no_stable_solution():
    sol = toy("x = 2*x(-1) + e").solve()
    assert sol.bk.status == "no-stable-solution"
    assert sol.bk.n_forward == 0 and sol.bk.n_unstable == 1
    assert sol.bk.moduli == pytest.approx((2.0,))
    assert sol.transition is None and sol.impact is None
    with pytest.raises(SolverError, match="no-stable-solution"):
        sol.irf("e", 5)
    with pytest.raises(SolverError, match="no-stable-solution"):
        sol.moments()


def test_sunspot_model_is_indeterminate():
    # x_t = 2 E_t x_{t+1}: E_t x_{t+1} = x_t / 2, any stable sunspot path works
    sol = toy("x = 2*x(+1) + e").solve()
    assert sol.bk.status == "indeterminate"
    assert sol.bk.n_forward == 1 and sol.bk.n_unstable == 0
    assert sol.bk.moduli == pytest.approx((0.5,))
    with pytest.raises(SolverError, match="indeterminate"):
        sol.simulate(10, seed=1)


def test_forward_model_with_unstable_root_is_determinate():
    # x_t = 0.5 E_t x_{t+1} + e_t  =>  x_t = e_t
    sol = toy("x = 0.5*x(+1) + e").solve()
    assert sol.bk.status == "determinate" and sol.bk.rank_condition is True
    assert sol.irf("e", 3)["x"] == pytest.approx([1.0, 0.0, 0.0])


def test_random_walk_is_a_boundary_case():
    sol = toy("x = x(-1) + e").solve()
    assert sol.bk.boundary is True and sol.bk.status == "determinate"
    assert sol.irf("e", 4)["x"] == pytest.approx([1, 1, 1, 1])
    m = sol.moments()  # a random walk has no unconditional moments: NaN, named as non-stationary
    assert m.nonstationary == ("x",) and np.isnan(m.variance[0]) and np.all(np.isnan(m.autocorrelation))


def test_moduli_serialize_inf_as_string(rbc):
    d = rbc.solve().bk.to_dict()
    assert "inf" in d["moduli"]
    text = json.dumps(d, allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text


@pytest.mark.parametrize("gf,gb,kappa,rho", [(0.6, 0.3, 0.1, 0.5), (0.5, 0.45, 0.05, 0.9)])
def test_variable_with_lead_and_lag(gf, gb, kappa, rho):
    m = dsge.model_from_dict(
        {
            "variables": ["pi", "x"],
            "shocks": ["e"],
            "parameters": {"gf": gf, "gb": gb, "kappa": kappa, "rho": rho},
            "equations": ["pi = gf*pi(+1) + gb*pi(-1) + kappa*x", "x = rho*x(-1) + e"],
        }
    )
    sol = m.solve()
    assert sol.bk.status == "determinate"
    lam = (1 - math.sqrt(1 - 4 * gf * gb)) / (2 * gf)  # stable root by hand
    b = kappa / (1 - gf * lam - gf * rho)  # undetermined coefficients
    i_pi, i_x = 0, 1
    assert sol.transition[i_pi, i_pi] == pytest.approx(lam, rel=1e-10)
    assert sol.impact[i_pi, 0] == pytest.approx(b, rel=1e-10)
    assert sol.transition[i_pi, i_x] == pytest.approx(b * rho, rel=1e-10)


def test_klein_textbook_pencil():
    # k' = 0.9 k ; u = 2 k  written as A s' = B s with an unstable jump root 1.5
    # u_{t+1} - 2 k_{t+1} = 1.5 (u_t - 2 k_t)
    a = np.array([[1.0, 0.0], [-2.0, 1.0]])
    b = np.array([[0.9, 0.0], [-3.0, 1.5]])
    bk, f, p = dsge.klein(a, b, 1)
    assert bk.status == "determinate"
    assert f == pytest.approx(np.array([[2.0]]))
    assert p == pytest.approx(np.array([[0.9]]))
    assert bk.moduli == pytest.approx((0.9, 1.5))
