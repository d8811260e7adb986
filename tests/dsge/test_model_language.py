"""The model language beyond the basics, each feature against a fact derived by hand.

Derived parameters, model-local names, analytic steady states, leads and lags beyond one
period (auxiliary variables), shocks with a timing, shock covariances, log variables.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dsge
from geo_sym.errors import ModelFileError, ParseError, SolverError, UnknownNameError, ValidationError


def model(equations, variables, parameters, shocks=("e",), **extra):
    data = {"variables": list(variables), "shocks": list(shocks), "parameters": parameters, "equations": equations}
    data.update(extra)
    return dsge.model_from_dict(data, source="test")


# -- parameters defined from parameters -------------------------------------------------------------
def test_derived_parameters_in_any_order_follow_their_inputs():
    m = model(["x = beta*x(+1) + e"], ["x"], {"beta": "1/(1 + r)", "r": "0.01"})
    assert m.parameters["beta"] == pytest.approx(1 / 1.01, rel=1e-15)
    assert m.spec.parameter_formulas.keys() == {"beta"}
    assert m.with_parameters({"r": "1/4"}).parameters["beta"] == pytest.approx(0.8, rel=1e-15)
    pinned = m.with_parameters({"beta": 0.5, "r": 3})
    assert pinned.parameters["beta"] == 0.5  # a parameter set explicitly keeps its value


def test_override_of_an_input_and_of_a_derived_parameter(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        "variables: [x]\nshocks: [e]\nparameters: {beta: '1/(1+r)', r: 0.01}\nequations: ['x = beta*x(+1) + e']\n"
    )
    assert dsge.load_model(path, {"r": "0.25"}, cache=False).parameters["beta"] == pytest.approx(0.8)
    assert dsge.load_model(path, {"beta": "0.5"}, cache=False).parameters["beta"] == 0.5
    assert dsge.load_model(path, {"beta": "r/2"}, cache=False).parameters["beta"] == pytest.approx(0.005)


@pytest.mark.parametrize(
    "parameters,cycle",
    [
        ({"a": "b + 1", "b": "2*a"}, "a -> b -> a"),
        ({"a": "a/2"}, "a -> a"),
        ({"a": "c", "b": "a", "c": "b*2"}, "a -> c -> b -> a"),
    ],
)
def test_a_cycle_of_definitions_is_named(parameters, cycle):
    with pytest.raises(ModelFileError, match=f"cycle {cycle}"):
        model(["x = 0.5*x(-1) + e"], ["x"], parameters)


def test_parameter_formulas_are_exact_when_rational():
    from fractions import Fraction

    m = model(["x = a*x(-1) + e"], ["x"], {"a": "(1/3 + 0.1)^2", "b": "exp(0)"})
    assert m.spec.parameters["a"] == Fraction(13, 30) ** 2
    assert m.spec.parameters["b"] == 1.0 and isinstance(m.spec.parameters["b"], float)


# -- model-local variables ------------------------------------------------------------------------
def test_locals_equal_the_inlined_model():
    common = dict(
        variables=["c", "k"], parameters={"alpha": 0.3, "beta": 0.95, "delta": 0.1}, steady_state={"c": 1, "k": 3}
    )
    inline = model(
        ["1/c = beta/c(+1)*(alpha*k^(alpha - 1) + 1 - delta)", "k = k(-1)^alpha - c + (1 - delta)*k(-1) + e"], **common
    )
    local = model(
        ["1/c = beta/c(+1)*(mpk + 1 - delta)", "k = k(-1)^alpha - c + (1 - delta)*k(-1) + e"],
        **common,
        locals={"kk": "k", "mpk": "alpha*kk^(alpha - 1)"},
    )
    a, b = inline.solve(), local.solve()
    assert np.allclose(a.steady_state.values, b.steady_state.values, rtol=1e-13)
    assert np.allclose(a.transition, b.transition, rtol=1e-12, atol=1e-14)


def test_a_local_may_not_carry_a_timing():
    with pytest.raises(ParseError, match="local name 'm' has a timing"):
        model(["x = m(+1) + e"], ["x"], {"a": 1}, locals={"m": "a*x"})


# -- analytic steady state -------------------------------------------------------------------------
BM = dict(
    variables=["c", "k", "z"],
    parameters={"alpha": 0.36, "beta": 0.96, "rho": 0.9},
    equations=["1/c = beta*alpha*exp(z(+1))*k^(alpha - 1)/c(+1)", "c + k = exp(z)*k(-1)^alpha", "z = rho*z(-1) + e"],
)


def test_analytic_steady_state_block_with_helpers():
    m = model(
        **BM,
        steady_state_model={
            "kstar": "(alpha*beta)^(1/(1 - alpha))",
            "k": "kstar",
            "c": "(1 - alpha*beta)*k^alpha",
            "z": "0",
        },
    )
    ss = m.steady_state()
    assert ss.method == "analytic"
    assert ss.as_dict()["k"] == pytest.approx((0.36 * 0.96) ** (1 / 0.64), rel=1e-15)


def test_a_parameter_calibrated_in_the_block():
    # rho is recomputed by the block (a calibration that depends on a steady-state helper)
    block = {
        "kstar": "(alpha*beta)^(1/(1 - alpha))",
        "rho": "0.5 + kstar",
        "k": "kstar",
        "c": "(1 - alpha*beta)*k^alpha",
        "z": "0",
    }
    m = model(**BM, steady_state_model=block)
    kstar = (0.36 * 0.96) ** (1 / 0.64)
    assert m.parameters["rho"] == pytest.approx(0.5 + kstar, rel=1e-14)
    assert m.with_parameters({"alpha": 0.3}).parameters["rho"] == pytest.approx(
        0.5 + (0.3 * 0.96) ** (1 / 0.7), rel=1e-14
    )
    assert m.with_parameters({"rho": 0.2}).parameters["rho"] == 0.2  # set explicitly: kept
    bad = dict(BM, parameters={"alpha": 0.36, "beta": "rho/2", "rho": 0.9})
    with pytest.raises(ModelFileError, match="parameters.beta"):
        model(**bad, steady_state_model={"rho": "0.5"})


def test_a_wrong_analytic_steady_state_is_reported_not_patched():
    m = model(**BM, steady_state_model={"k": "0.2", "c": "0.6", "z": "0"})
    with pytest.raises(SolverError, match=r"steady_state_model block.*does not solve.*\[1\]"):
        m.steady_state()


@pytest.mark.parametrize(
    "block,message",
    [
        ({"c": "k", "k": "1"}, "assigned before they are used"),
        ({"k": "kk", "kk": "1"}, "unknown name 'kk'"),
        ({"k": "k(-1)"}, "has a timing"),
    ],
)
def test_bad_steady_state_blocks(block, message):
    with pytest.raises((ModelFileError, ParseError), match=message):
        model(**BM, steady_state_model=block)


# -- leads and lags beyond one period -------------------------------------------------------------------
def test_ar2_impulse_response_follows_its_recursion():
    a1, a2 = 1.3, -0.4
    sol = model([f"x = {a1}*x(-1) + {a2}*x(-2) + e"], ["x"], {}).solve()
    psi = [1.0, a1]
    for _ in range(18):
        psi.append(a1 * psi[-1] + a2 * psi[-2])
    assert sol.irf("e", 20)["x"] == pytest.approx(psi, rel=1e-12)
    assert [a[0] for a in sol.aux] == ["AUX_LAG_x_1"]
    rules = sol.decision_rules().to_dict()["x"]
    assert rules["x(-1)"] == pytest.approx(a1) and rules["x(-2)"] == pytest.approx(a2)


def test_lead_of_two_periods_has_the_undetermined_coefficients_solution():
    beta, rho = 0.9, 0.6
    sol = model(["x = beta*x(+2) + z", "z = rho*z(-1) + e"], ["x", "z"], {"beta": beta, "rho": rho}).solve()
    assert sol.bk.determinate
    irf = sol.irf("e", 10)
    assert irf["x"] == pytest.approx(rho ** np.arange(10) / (1 - beta * rho**2), rel=1e-12)


def test_shocks_with_a_lag_or_a_lead():
    sol = model(["y = e(-2) + 0.5*e(+1) + u"], ["y"], {}, shocks=("e", "u")).solve()
    assert sol.irf("e", 5)["y"] == pytest.approx([0, 0, 1, 0, 0], abs=1e-15)  # E_t e_{t+1} = 0
    assert sol.irf("u", 3)["y"] == pytest.approx([1, 0, 0], abs=1e-15)
    assert sol.decision_rules().to_dict()["y"]["e(-2)"] == pytest.approx(1.0)


# -- shocks ------------------------------------------------------------------------------------------
def nk_with(**shock_keys):
    return model(["x = 0.5*x(-1) + e + u", "w = u"], ["x", "w"], {"s": 0.02}, shocks=("e", "u"), **shock_keys)


def test_standard_deviations_variances_correlations_and_covariances():
    m = nk_with(shock_std={"e": "s"}, shock_var={"u": "0.03^2"}, shock_corr={"e": {"u": 0.25}})
    expected = np.array([[0.02**2, 0.25 * 0.02 * 0.03], [0.25 * 0.02 * 0.03, 0.03**2]])
    assert np.allclose(m.shock_cov, expected, rtol=1e-14)
    assert np.allclose(m.with_parameters({"s": 0.04}).shock_cov[0], [0.04**2, 0.25 * 0.04 * 0.03], rtol=1e-14)
    cov = nk_with(shock_cov={"e": {"u": 0.001}}).shock_cov  # default standard deviation 1 in a YAML file
    assert np.allclose(cov, [[1, 0.001], [0.001, 1]])
    full = nk_with(shock_cov=[[4, 1], [1, 1]]).shock_cov
    assert np.array_equal(full, [[4, 1], [1, 1]])


@pytest.mark.parametrize(
    "keys,error,message",
    [
        ({"shock_corr": {"e": {"u": 1.5}}}, ValidationError, r"shock_corr.e.u.*between -1 and 1"),
        ({"shock_cov": [[1, 2], [2, 1]]}, ValidationError, r"positive semidefinite"),
        ({"shock_cov": [[1, 0.5], [0.4, 1]]}, ValidationError, r"symmetric"),
        ({"shock_std": {"e": -1}}, ValidationError, r"shock_std.e.*a standard deviation >= 0"),
        ({"shock_std": {"e": 1}, "shock_var": {"e": 1}}, ModelFileError, r"only one of shock_std and shock_var"),
        ({"shock_corr": {"e": {"u": 0.1}}, "shock_cov": {"u": {"e": 0.1}}}, ModelFileError, r"each pair once"),
        ({"shock_cov": [[1, 0], [0, 1]], "shock_std": {"e": 1}}, ModelFileError, r"whole matrix alone"),
        ({"shock_corr": {"e": {"e": 0.1}}}, ModelFileError, r"two different shocks"),
        ({"shock_corr": {"e": {"q": 0.1}}}, UnknownNameError, r"declared shock"),
    ],
)
def test_bad_shock_covariances(keys, error, message):
    with pytest.raises(error, match=message):
        nk_with(**keys)


def test_a_later_parameter_change_is_checked_too():
    m = model(["x = e + u"], ["x"], {"r": 0.5}, shocks=("e", "u"), shock_corr={"e": {"u": "r"}})
    with pytest.raises(ValidationError, match="positive semidefinite"):
        m.with_parameters({"r": 2})


def test_correlated_shocks_give_cholesky_impulses():
    s1, s2, r = 0.02, 0.03, 0.4
    m = model(
        ["y = e + u", "w = u"],
        ["y", "w"],
        {},
        shocks=("e", "u"),
        shock_std={"e": s1, "u": s2},
        shock_corr={"e": {"u": r}},
    )
    irfs = m.solve().irfs(2)
    # Cholesky in declaration order: e moves e and (through the correlation) u; u's own part is orthogonal
    assert irfs["e"]["y"][0] == pytest.approx(s1 + r * s2, rel=1e-14)
    assert irfs["e"]["w"][0] == pytest.approx(r * s2, rel=1e-14)
    assert irfs["u"]["y"][0] == pytest.approx(s2 * math.sqrt(1 - r * r), rel=1e-14)
    assert m.solve().irf("e", 2, unit=True)["y"][0] == 1.0


# -- logs -------------------------------------------------------------------------------------------
def test_log_variables_give_log_deviations(rbc):
    levels = rbc.solve()
    logs = rbc.solve(log_variables=["y", "k"])
    ss = levels.steady_state.as_dict()
    a, b = levels.irf("eps_a", 12), logs.irf("eps_a", 12)
    assert b["y"] == pytest.approx(a["y"] / ss["y"], rel=1e-11)  # first order: d log y = dy / y
    assert b["k"] == pytest.approx(a["k"] / ss["k"], rel=1e-11)
    assert b["c"] == pytest.approx(a["c"], rel=1e-11)
    everything = rbc.solve(loglinear=True)
    assert set(everything.log_variables) == set(rbc.variables) and everything.levels == ()


def test_loglinear_keeps_non_positive_steady_states_in_levels(nk3):
    sol = nk3.solve(loglinear=True)
    assert sol.log_variables == () and sol.levels == tuple(nk3.variables)
    with pytest.raises(ValidationError, match="positive steady state"):
        nk3.solve(log_variables=["x"])


# -- stoch_simul options in the file ----------------------------------------------------------------
@pytest.mark.parametrize(
    "options,error,message",
    [
        ({"order": 2}, ModelFileError, "order 1"),
        ({"irff": 3}, ModelFileError, "one of the options"),
        ({"irf": -1}, ModelFileError, "integer >= 0"),
        ({"irf_shocks": ["q"]}, UnknownNameError, "one of e"),
        ({"var_list": ["q"]}, UnknownNameError, "one of x"),
        ({"conditional_variance_decomposition": [0]}, ModelFileError, "horizons"),
        ({"loglinear": "yes"}, ModelFileError, "true or false"),
    ],
)
def test_bad_options(options, error, message):
    with pytest.raises(error, match=message):
        model(["x = 0.5*x(-1) + e"], ["x"], {}, stoch_simul=options)
