"""Exact derivatives vs central finite differences; Lyapunov moments vs identity and simulation."""

from __future__ import annotations

import numpy as np
import pytest

import dsge


def central_jacobian(func, x, h):
    out = np.empty((func(x).size, x.size))
    for j in range(x.size):
        step = h * max(1.0, abs(x[j]))
        xp, xm = x.copy(), x.copy()
        xp[j] += step
        xm[j] -= step
        out[:, j] = (func(xp) - func(xm)) / (2 * step)
    return out


@pytest.mark.parametrize("name", ["rbc", "brock_mirman", "nk3"])
def test_exact_jacobian_matches_central_differences(request, name):
    model = request.getfixturevalue(name)
    ss = model.steady_state().values
    n, ne = model.n, len(model.shocks)
    rng = np.random.default_rng(20260301)
    for _ in range(5):
        # random points near the steady state (multiplicative perturbation keeps logs defined)
        lead, cur, lag = (
            ss * (1 + 0.05 * rng.uniform(-1, 1, n)) + 0.01 * rng.uniform(-1, 1, n) * (ss == 0) for _ in range(3)
        )
        shocks = 0.01 * rng.standard_normal(ne)
        x = np.concatenate([lead, cur, lag, shocks])

        def f(z):
            return model.residual(z[:n], z[n : 2 * n], z[2 * n : 3 * n], z[3 * n :])

        fd = central_jacobian(f, x, 1e-6)
        exact = np.hstack(model.jacobian(lead, cur, lag, shocks))
        assert np.allclose(exact, fd, rtol=1e-6, atol=1e-7)


def test_static_jacobian_is_sum_of_blocks(rbc):
    y = rbc.steady_state().values * 1.01
    fd = central_jacobian(rbc.static_residual, np.array(y), 1e-6)
    assert np.allclose(rbc.static_jacobian(y), fd, rtol=1e-6, atol=1e-8)


def test_parsed_expression_derivative_by_hand():
    m = dsge.model_from_dict(
        {
            "variables": ["x"],
            "shocks": [],
            "parameters": {"a": "1/2"},
            "equations": ["exp(x) + log(x(-1))*x(+1)^2 - sqrt(x) = a"],
        }
    )
    x0, xl, xp = 1.3, 0.7, 2.0
    fl, fc, fm, _ = m.jacobian([xp], [x0], [xl])
    assert fl[0, 0] == pytest.approx(2 * np.log(xl) * xp, rel=1e-14)
    assert fc[0, 0] == pytest.approx(np.exp(x0) - 0.5 / np.sqrt(x0), rel=1e-14)
    assert fm[0, 0] == pytest.approx(xp**2 / xl, rel=1e-14)
    assert m.residual([xp], [x0], [xl])[0] == pytest.approx(
        np.exp(x0) + np.log(xl) * xp**2 - np.sqrt(x0) - 0.5, rel=1e-14
    )


@pytest.mark.parametrize("name", ["rbc", "nk3", "brock_mirman"])
def test_lyapunov_identity(request, name):
    sol = request.getfixturevalue(name).solve()
    mom = sol.moments()
    T, R, omega = sol.transition, sol.impact, sol.shock_cov
    sigma = mom.covariance
    resid = sigma - T @ sigma @ T.T - R @ omega @ R.T
    assert np.max(np.abs(resid)) <= 1e-10 * max(1.0, np.max(np.abs(sigma)))
    assert np.allclose(sigma, sigma.T)
    assert np.all(np.linalg.eigvalsh(sigma) > -1e-12 * np.max(np.abs(sigma)))


def test_nk_variance_closed_form(nk3):
    # v is AR(1) with unit innovation variance: var(v) = 1/(1-rho^2)
    rho = nk3.parameters["rho_v"]
    mom = nk3.solve().moments()
    iv = nk3.variables.index("v")
    assert mom.covariance[iv, iv] == pytest.approx(1 / (1 - rho**2), rel=1e-10)
    assert mom.autocorrelation[iv] == pytest.approx(rho ** np.arange(1, 6), rel=1e-10)


def test_moments_match_long_seeded_simulation(rbc):
    sol = rbc.solve()
    mom = sol.moments()
    sim = sol.simulate(100_000, seed=12345, burn_in=1000)
    emp = np.cov(sim.values.T)
    std = np.sqrt(np.diag(mom.covariance))
    assert np.allclose(np.sqrt(np.diag(emp)), std, rtol=0.08)
    assert np.allclose(sim.values.mean(axis=0), 0.0, atol=0.1 * std.max())


def test_simulation_is_reproducible(nk3):
    sol = nk3.solve()
    a = sol.simulate(50, seed=7).values
    b = sol.simulate(50, seed=7).values
    c = sol.simulate(50, seed=8).values
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    # the path solves the linear law of motion with the recorded innovations
    sim = sol.simulate(20, seed=3)
    y_prev = np.zeros(nk3.n)
    for t in range(20):
        y_prev = sol.transition @ y_prev + sol.impact @ sim.innovations[t]
        assert np.allclose(sim.values[t], y_prev)


def test_linearized_equations_hold_along_irf(rbc):
    # F+ y_{t+1} + F0 y_t + F- y_{t-1} + Fe e_t = 0 along the impulse response
    sol = rbc.solve()
    lin = sol.linearization
    irf = sol.irf("eps_a", 60, unit=True).values
    prev = np.zeros(rbc.n)
    for t in range(59):
        e = np.array([1.0 if t == 0 else 0.0])
        res = lin.f_lead @ irf[t + 1] + lin.f_cur @ irf[t] + lin.f_lag @ prev + lin.f_shock @ e
        assert np.max(np.abs(res)) < 1e-9
        prev = irf[t]


def test_result_objects(nk3, tmp_path):
    sol = nk3.solve()
    irf = sol.irf("eps_v", 12)
    assert repr(irf) == "IRFResult(shock='eps_v', periods=12, n=4, scale='std')"
    assert "\n" not in repr(sol) and "\n" not in repr(sol.bk) and "\n" not in repr(nk3)
    with pytest.raises(Exception):
        irf.shock = "other"
    frame = irf.to_frame()
    assert list(frame.columns) == list(nk3.variables) and len(frame) == 12
    fig = irf.plot()
    fig.savefig(tmp_path / "irf.png")
    assert (tmp_path / "irf.png").read_bytes()[:4] == b"\x89PNG"
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 4
    assert sol.moments().to_frame().shape == (4, 2 + 5)
    assert sol.steady_state.to_frame().shape == (4, 3)
    assert sol.to_frame().shape == (1 + 1 + 1, 4)  # constant, v(-1), eps_v rows; one column per variable
    assert list(sol.bk.to_frame().columns) == ["modulus", "real", "imaginary"] and len(sol.bk.to_frame()) == 3
    lin = sol.linearization.to_frame()
    assert set(lin.columns) == {"equation", "name", "timing", "derivative"}
    assert ((lin.name == "pi") & (lin.timing == 1) & (lin.equation == 1)).sum() == 1
    assert sol.variance_decomposition().to_frame().shape == (4, 1)
    assert sol.conditional_variance_decomposition([1, 2]).to_frame().shape == (8, 1)
    assert sol.simulate(5, seed=1).to_frame().shape == (5, 4) and sol.decision_rules().to_frame().shape == (3, 4)
