"""Badly scaled models, huge coefficients, boundary and rank failures: answers that do not depend on scaling."""

from __future__ import annotations

import numpy as np
import pytest

import dsge

NK = {
    "variables": ["x", "pi", "i", "v"],
    "shocks": ["eps_v"],
    "parameters": {"beta": 0.99, "sigma": 1, "kappa": 0.1, "phi_pi": 1.5, "phi_y": 0.125, "rho_v": 0.5},
    "equations": [
        "x = x(+1) - (1/sigma)*(i - pi(+1))",
        "pi = beta*pi(+1) + kappa*x",
        "i = phi_pi*pi + phi_y*x + v",
        "v = rho_v*v(-1) + eps_v",
    ],
}


def nk(**changes):
    data = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in NK.items()}
    data["parameters"].update(changes.pop("parameters", {}))
    for k, eq in changes.pop("equations", {}).items():
        data["equations"][k] = eq
    return dsge.model_from_dict(data)


def exact_roots(phi_pi, beta=0.99, sigma=1.0, kappa=0.1, phi_y=0.125):
    """Eigenvalues of E[x', pi'] = M [x, pi] once i is substituted (a 2 x 2 matrix by hand)."""
    m = np.array(
        [[1 + phi_y / sigma + kappa / (beta * sigma), phi_pi / sigma - 1 / (beta * sigma)], [-kappa / beta, 1 / beta]]
    )
    return np.sort(np.abs(np.linalg.eigvals(m)))


@pytest.mark.parametrize(
    "k,scaled", [(2, "1e12*i = 1e12*(phi_pi*pi + phi_y*x + v)"), (0, "1e-9*x = 1e-9*(x(+1) - (1/sigma)*(i - pi(+1)))")]
)
def test_an_equation_times_a_constant_gives_the_same_answer(k, scaled):
    base, big = nk().solve(), nk(equations={k: scaled}).solve()
    assert big.bk.status == base.bk.status == "determinate"
    assert np.allclose(big.bk.moduli, base.bk.moduli, rtol=1e-12)
    assert np.allclose(big.transition, base.transition, rtol=1e-10, atol=1e-13)
    assert np.allclose(big.impact, base.impact, rtol=1e-10, atol=1e-13)


def test_a_scaled_nonlinear_equation_keeps_the_steady_state_and_solution(rbc, models_dir):
    text = (models_dir / "rbc.yaml").read_text().replace("  - y = c + i", "  - 1e12*y = 1e12*(c + i)")
    scaled = dsge.model_from_yaml(text)
    a, b = rbc.solve(), scaled.solve()
    assert np.allclose(a.steady_state.values, b.steady_state.values, rtol=1e-12)
    assert np.allclose(a.transition, b.transition, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("phi_pi", [1e9, 1e12])
def test_a_huge_taylor_coefficient(phi_pi):
    sol = nk(parameters={"phi_pi": phi_pi}).solve()
    assert sol.bk.status == "determinate" and all(np.isfinite(sol.bk.moduli))
    finite = sorted(sol.bk.moduli)
    assert finite[0] == pytest.approx(0.5, rel=1e-12)
    assert finite[1:] == pytest.approx(exact_roots(phi_pi), rel=1e-8)  # sqrt(phi_pi*kappa/beta) each
    irf = sol.irf("eps_v", 6)
    assert irf["v"] == pytest.approx(0.5 ** np.arange(6), rel=1e-12)
    # strict inflation targeting in the limit: pi = v/(rho - sigma(1-rho)(1-beta rho)/kappa - phi_pi - phi_y(1-beta rho)/kappa)
    rho, beta, kappa = 0.5, 0.99, 0.1
    denom = rho - (1 - rho) * (1 - beta * rho) / kappa - phi_pi - 0.125 * (1 - beta * rho) / kappa
    pi0 = 1 / denom
    assert irf["pi"][0] == pytest.approx(pi0, rel=1e-5)
    assert np.max(np.abs(irf.values[:, :3])) < 1e-7


def test_json_moduli_are_finite_numbers_for_phi_pi_1e9(models_dir, capsys):
    from geo_sym.cli.main import main

    assert main(["dsge", str(models_dir / "nk3.yaml"), "--set", "phi_pi=1e9", "--json"]) == 0
    import json

    moduli = json.loads(capsys.readouterr().out)["bk"]["moduli"]
    assert "inf" not in moduli and max(moduli) == pytest.approx(exact_roots(1e9)[-1], rel=1e-8)


def test_a_rank_failure_is_explained():
    # k explodes (root 2), x has an unstable root 2, u a stable root 1/2 that lives in a jump:
    # two unstable roots for two forward-looking variables, but the stable direction has no k component
    m = dsge.model_from_dict(
        {
            "variables": ["k", "x", "u"],
            "shocks": ["e"],
            "parameters": {},
            "equations": ["k = 2*k(-1) + e", "x = 0.5*x(+1)", "u = 2*u(+1)"],
        }
    )
    bk = m.solve().bk
    assert bk.n_unstable == bk.n_forward == 2 and bk.rank_condition is False
    assert bk.status == "no-stable-solution"
    assert "rank condition fails" in bk.message and "k(-1)" in bk.message


def test_boundary_and_singular_cases():
    from geo_sym.errors import SolverError

    unit = nk(parameters={"phi_pi": 1, "phi_y": 0}).solve(tol=1e-8)
    assert unit.bk.boundary is True and unit.bk.status == "indeterminate"
    singular = dsge.model_from_dict(
        {
            "variables": ["x", "y"],
            "shocks": ["e"],
            "parameters": {},
            "equations": ["x + y = x(-1) + e", "2*x + 2*y = 2*x(-1) + 2*e"],
        }
    )
    with pytest.raises(SolverError, match="singular"):
        singular.solve()


def test_newton_backtracks_from_an_overflowing_step():
    """From x = 1e-10 the full Newton step of 1e300 (x^2 - 1) = 0 lands near x = 5e9, where the residual
    overflows to inf without an exception; the line search must reject it and still reach x = 1 (by hand)."""
    m = dsge.model_from_dict(
        {
            "variables": ["x"],
            "shocks": ["e"],
            "parameters": {},
            "equations": ["1e300*x*x = 1e300 + e"],
            "steady_state": {"x": 1e-10},
        }
    )
    ss = m.steady_state()
    assert ss.method == "newton"
    assert ss.values[0] == pytest.approx(1.0, rel=1e-9)
    assert np.isfinite(ss.residuals).all()


def test_newton_backtracks_from_a_step_outside_the_domain():
    """log(x) = 0 from x = 5: the Newton step x - x log x lands at 5 - 5 log 5 < 0, outside the domain of log;
    the step is halved and x = 1 is reached (by hand)."""
    m = dsge.model_from_dict(
        {"variables": ["x"], "shocks": ["e"], "parameters": {}, "equations": ["log(x) = e"], "steady_state": {"x": 5}}
    )
    ss = m.steady_state()
    assert ss.method == "newton" and ss.values[0] == pytest.approx(1.0, rel=1e-12)
