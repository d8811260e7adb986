"""Moments of models with unit roots, as Dynare's ``stoch_simul`` computes them.

The stationary variables get their moments and variance decomposition from the stable block; the
non-stationary ones are NaN (``n/a``, JSON ``null``). Expected values are derived by hand:

* an AR(1) ``a = rho a(-1) + u`` next to a random walk: variance ``s_u^2 / (1 - rho^2)``,
  autocorrelations ``rho^k``, all of its variance from ``u``;
* cointegration ``p2 = k p1 + a + e`` with ``p1 = p1(-1) + e``: ``c = p2 - k p1 = a + e`` is
  stationary with variance ``s_u^2 / (1 - rho^2) + s_e^2`` and first autocovariance
  ``rho s_u^2 / (1 - rho^2)``, although both ``p1`` and ``p2`` are not.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import dsge
from dsge.solution.moments import lyapunov, unit_root_split
from dsge.solution.stoch_simul import StochSimulOptions, stoch_simul
from geo_sym.cli.main import main

RHO, SE, SU = 0.5, 0.3, 0.2


def _model(equations, variables, shocks=("e", "u"), parameters=None):
    return dsge.model_from_dict(
        {
            "variables": list(variables),
            "shocks": list(shocks),
            "parameters": {"rho": RHO, **(parameters or {})},
            "equations": list(equations),
            "shock_std": {"e": SE, "u": SU} if set(shocks) == {"e", "u"} else {s: 1.0 for s in shocks},
        }
    )


def test_random_walk_next_to_an_ar1():
    sol = _model(["x = x(-1) + e", "a = rho*a(-1) + u"], ["x", "a"]).solve()
    m = sol.moments(ar=3)
    var_a = SU**2 / (1 - RHO**2)
    assert m.nonstationary == ("x",)
    assert m.variance[1] == pytest.approx(var_a, rel=1e-14)
    assert m.autocorrelation[1] == pytest.approx(RHO ** np.arange(1, 4), rel=1e-13)
    assert np.isnan(m.variance[0]) and np.isnan(m.std[0]) and np.all(np.isnan(m.autocorrelation[0]))
    assert np.isnan(m.correlation[0, 1]) and m.correlation[1, 1] == pytest.approx(1.0)
    vd = sol.variance_decomposition()
    assert np.all(np.isnan(vd.shares[0])) and vd.shares[1] == pytest.approx([0.0, 100.0], abs=1e-12)


@pytest.mark.parametrize("k", [1.0, 2.0, 1e6])
def test_a_cointegrating_combination_is_stationary(k):
    sol = _model(
        ["p1 = p1(-1) + e", "a = rho*a(-1) + u", "p2 = k*p1 + a + e", "c = p2 - k*p1"],
        ["p1", "a", "p2", "c"],
        parameters={"k": k},
    ).solve()
    m = sol.moments(ar=2)
    var_a = SU**2 / (1 - RHO**2)
    var_c = var_a + SE**2
    assert m.nonstationary == ("p1", "p2")
    assert m.variance[3] == pytest.approx(var_c, rel=1e-9)
    assert m.autocorrelation[3, 0] == pytest.approx(RHO * var_a / var_c, rel=1e-9)
    assert m.covariance[1, 3] == pytest.approx(var_a, rel=1e-9)  # Cov(a, c) = Var(a)
    shares = sol.variance_decomposition().shares
    assert shares[3] == pytest.approx([100 * SE**2 / var_c, 100 * var_a / var_c], rel=1e-9)
    assert np.all(np.isnan(shares[[0, 2]]))


def test_conditional_decompositions_exist_for_every_variable():
    sol = _model(["x = x(-1) + e + a(-1)", "a = rho*a(-1) + u"], ["x", "a"]).solve()
    cv = sol.conditional_variance_decomposition([1, 2])
    # h = 1: x_t - E_{t-1} x_t = e_t; h = 2: e_t + e_{t-1} + u_{t-1} (a(-1) carries u one period later)
    assert cv.shares[0, 0] == pytest.approx([100.0, 0.0], abs=1e-12)
    total = 2 * SE**2 + SU**2
    assert cv.shares[1, 0] == pytest.approx([100 * 2 * SE**2 / total, 100 * SU**2 / total], rel=1e-12)


def test_no_stationary_variable_and_a_double_unit_root():
    model = _model(["x = x(-1) + e", "y = y(-1) + x"], ["x", "y"], shocks=("e",))
    res = stoch_simul(model, StochSimulOptions(ar=2, conditional=(1, 3)))
    assert res.moments.nonstationary == ("x", "y") and np.all(np.isnan(res.moments.covariance))
    assert np.all(np.isnan(res.variance_decomposition.shares))
    assert res.conditional.shares[:, :, 0] == pytest.approx(np.full((2, 2), 100.0))
    text = json.dumps(res.to_dict(), allow_nan=False)  # NaN is null, never NaN in JSON
    data = json.loads(text)
    assert data["moments"]["std"] == {"x": None, "y": None} and data["moments"]["nonstationary"] == ["x", "y"]
    assert "moments" not in res.unavailable


def test_hp_filtered_moments_of_a_unit_root_model_are_all_there():
    sol = _model(["x = x(-1) + e", "a = rho*a(-1) + u"], ["x", "a"]).solve()
    m = sol.moments(hp_filter=1600)
    assert m.nonstationary == () and np.all(np.isfinite(m.covariance))


@pytest.mark.parametrize(
    "rho, unit",
    [(1 - 1e-8, True), (1 - 1e-4, False)],  # within the unit-circle tolerance 1e-6 of 1, or outside it
)
def test_a_root_within_the_tolerance_counts_as_a_unit_root(rho, unit):
    sol = _model(["a = rho*a(-1) + u"], ["a"], shocks=("u",), parameters={"rho": rho}).solve()
    m = sol.moments()
    if unit:
        assert m.nonstationary == ("a",)
    else:
        assert m.nonstationary == () and m.variance[0] == pytest.approx(1 / (1 - rho**2), rel=1e-9)


def test_the_stable_block_is_invariant_and_its_lyapunov_equation_holds():
    sol = _model(
        ["p1 = p1(-1) + e", "a = rho*a(-1) + u", "p2 = 2*p1 + a + e", "c = p2 - 2*p1"], ["p1", "a", "p2", "c"]
    ).solve()
    t, c = sol.transition, sol.orthogonalized_impact()
    split = unit_root_split(t, sol.bk.tolerance)
    q2, s22 = split.q_stable, split.s_stable
    assert split.n_unit == 1 and list(split.stationary[:4]) == [False, True, False, True]
    assert np.allclose(q2.T @ t, s22 @ q2.T, atol=1e-14)  # Q2' T = S22 Q2': z = Q2' y is autonomous
    assert np.allclose(q2.T @ q2, np.eye(q2.shape[1]), atol=1e-14)
    x = lyapunov(s22, q2.T @ c @ c.T @ q2)
    assert np.allclose(x, s22 @ x @ s22.T + q2.T @ c @ c.T @ q2, atol=1e-15)
    assert unit_root_split(np.diag([0.5, 0.9]), 1e-6) is None


def test_cli_prints_na_and_names_the_non_stationary_variables(tmp_path, capsys):
    path = tmp_path / "rw.yaml"
    path.write_text(
        "variables: [x, a]\nshocks: [e, u]\nparameters: {rho: 0.5}\nequations: ['x = x(-1) + e', 'a = rho*a(-1) + u']\n"
    )
    assert main(["dsge", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["moments"]["variance"]["x"] is None and data["moments"]["variance"]["a"] == pytest.approx(4 / 3)
    assert data["variance_decomposition"]["x"] == {"e": None, "u": None}
    assert data["moments"]["nonstationary"] == ["x"]
    assert main(["dsge", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "non-stationary variables (unit root; moments n/a): x" in (captured.out)
    row = next(line for line in captured.out.splitlines() if line.startswith("x ") and "n/a" in line)
    assert row.split()[1:] == ["n/a", "n/a", "n/a"]  # mean, std, variance


def test_a_single_unit_root_state_permanent_income():
    """Permanent income (Fernández-Villaverde et al. 2007): ``c = c(-1) + (1 - 1/R) w``, ``s = -c(-1) + w/R``.

    Income ``y = c + s = w`` is white noise (variance ``sigma^2``) although ``c`` and saving ``s`` are not.
    With one state, Dynare 5.3's ``lyapunov_symm`` skips the Schur step (``b / (1 - a^2)``): it reports an
    infinite variance for ``c`` and ``s`` and NaN for ``y``.
    """
    sigma = 0.7
    model = dsge.model_from_dict(
        {
            "variables": ["y", "c", "s"],
            "shocks": ["w"],
            "parameters": {"R": 1.2},
            "equations": ["c = c(-1) + (1 - 1/R)*w", "s = -c(-1) + w/R", "s = y - c"],
            "shock_std": {"w": sigma},
        }
    )
    res = stoch_simul(model, StochSimulOptions(ar=2))
    m = res.moments
    assert m.nonstationary == ("c", "s")
    assert m.variance[0] == pytest.approx(sigma**2, rel=1e-14) and m.autocorrelation[0] == pytest.approx([0, 0])
    assert res.variance_decomposition.shares[0] == pytest.approx([100.0])
