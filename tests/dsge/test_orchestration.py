"""The orchestration economy as a DSGE: shocks, Taylor rule, steady states, IRFs, spectra."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dsge.orchestration.core import (
    impulse_response,
    linearize,
    shock_channel,
    shock_values,
    spectral_radius,
    stability_map,
    steady_state,
    taylor_rule,
)
from geo_sym.economy.spec import Economy, load_economy
from geo_sym.economy.state import State
from geo_sym.errors import ValidationError
from geo_sym.maps.core import evaluate_map
from geo_sym.maps.jacobian import numeric_jacobian
from proofs.claims.reference import reference_economy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "economies" / "orchestration_taylor.yaml"


@pytest.fixture(scope="module")
def econ():
    return load_economy(EXAMPLE)


@pytest.fixture(scope="module")
def ss(econ):
    return steady_state(econ)


def test_steady_state_is_a_fixed_point(econ, ss):
    x = ss.state
    assert np.linalg.norm(evaluate_map(econ, x).state.flat() - x.flat()) < 1e-12
    assert ss.isolated is True


def test_taylor_rule_is_neutral_at_the_steady_state(econ, ss):
    pol = taylor_rule(econ, ss.state, 3.0, 4.0)
    x = ss.state
    assert np.linalg.norm(evaluate_map(econ, x, policy=pol).state.flat() - x.flat()) < 1e-12


def test_shock_and_policy_jacobians_match_finite_differences(econ, ss):
    pol = taylor_rule(econ, ss.state, 1.5, 2.5)
    chans = [shock_channel(econ, c.name) for c in econ.shock_channels]
    nj = numeric_jacobian(econ, ss.state, policy=pol, shock_channels=chans)
    h = 1e-6
    for j, ch in enumerate(chans):
        up = evaluate_map(econ, ss.state, shocks=shock_values(econ, ch, h), policy=pol).state.flat()
        dn = evaluate_map(econ, ss.state, shocks=shock_values(econ, ch, -h), policy=pol).state.flat()
        assert np.abs((up - dn) / (2 * h) - nj.shock_jacobian[:, j]).max() < 1e-7, ch.name
    # state Jacobian with the policy on, at a point off the steady state
    rng = np.random.default_rng(3)
    x0 = ss.state.flat()
    x = State.from_flat(econ, x0)
    J = numeric_jacobian(econ, x, policy=pol).dense()
    for j in rng.choice(x0.size, 8, replace=False):
        e = np.zeros(x0.size)
        e[j] = h
        fd = (
            evaluate_map(econ, State.from_flat(econ, x0 + e), policy=pol).state.flat()
            - evaluate_map(econ, State.from_flat(econ, x0 - e), policy=pol).state.flat()
        ) / (2 * h)
        assert np.abs(fd - J[:, j]).max() < 1e-7


def test_linear_and_nonlinear_irfs_converge_as_the_shock_shrinks(econ, ss):
    ch = shock_channel(econ, "spike_w1")
    lin = linearize(econ, ss, [ch])
    gaps = [impulse_response(econ, ch, 20, s, steady=ss, lin=lin).relative_gap for s in (1e-1, 1e-2, 1e-3)]
    # second-order remainder: the relative gap shrinks in proportion to the shock
    assert gaps[0] > gaps[1] > gaps[2]
    assert 5 < gaps[0] / gaps[1] < 20 and 5 < gaps[1] / gaps[2] < 20


def test_irf_impact_equals_the_shock_column(econ, ss):
    ch = shock_channel(econ, "fail_w2")
    lin = linearize(econ, ss, [ch])
    path = lin.irf(0, 3, 1.0)
    nj = numeric_jacobian(econ, ss.state, shock_channels=[ch])
    Q = lin.Q
    assert np.allclose(path[0], Q @ (Q.T @ nj.shock_jacobian[:, 0]), atol=1e-12)
    assert np.allclose(path[1], Q @ (lin.A @ (Q.T @ nj.shock_jacobian[:, 0])), atol=1e-12)


def test_blanchard_kahn_readings(econ, ss):
    lin = linearize(econ, ss)
    assert np.abs(lin.eigenvalues).max() < 1
    assert lin.blanchard_kahn("none").status == "determinate"
    assert lin.blanchard_kahn("prices").status == "indeterminate"
    with pytest.raises(ValidationError, match="jumps"):
        lin.blanchard_kahn("everything")


def test_arnoldi_matches_dense(econ, ss):
    dense = spectral_radius(econ, ss, method="dense")
    arn = spectral_radius(econ, ss, method="arnoldi", k=6)
    assert abs(dense.spectral_radius - arn.spectral_radius) < 1e-8
    assert dense.n_unstable == arn.n_unstable == 0


def test_unstable_roots_counted_under_an_aggressive_rule(econ, ss):
    pol = taylor_rule(econ, ss.state, 0.0, 20.0)
    dense = spectral_radius(econ, ss, pol, method="dense")
    arn = spectral_radius(econ, ss, pol, method="arnoldi", k=4)
    assert dense.n_unstable >= 1 and dense.n_unstable == arn.n_unstable
    assert abs(dense.spectral_radius - arn.spectral_radius) < 1e-8


def test_stability_map(econ, ss):
    sm = stability_map(econ, [0.0, 2.0], [0.0, 20.0], steady=ss)
    assert sm.rho.shape == (2, 2)
    base = spectral_radius(econ, ss).spectral_radius
    assert abs(sm.rho[0, 0] - base) < 1e-10  # φ = 0: the rule does nothing
    assert sm.stable[0, 0] and not sm.stable[1, 0]
    fig = sm.plot()
    assert fig.axes[0].get_xlabel().startswith("φ_lat")


def test_continuum_of_steady_states_is_reported():
    # two interchangeable agents, tâtonnement prices: at market clearing the prices are indeterminate
    s = steady_state(reference_economy("two-parallel"))
    assert s.isolated is False and s.continuum_dimension >= 1


def test_reduced_steady_state_and_arnoldi_on_a_layered_dag():
    layers, width = 4, 6
    names = [[f"l{i}_{j}" for j in range(width)] for i in range(layers)]
    rng = np.random.default_rng(0)
    agents = [
        {"name": n, "demand": [float(round(v, 3)) for v in rng.uniform(0.3, 1, 2)], "box": [[0, 2], [0, 2]]}
        for row in names
        for n in row
    ]
    edges = [[a, b] for i in range(layers - 1) for a in names[i] for b in names[i + 1]]
    e = Economy.build(
        agents=agents,
        edges=edges,
        map="sequential",
        parameters={"alpha": 0.5, "tau": 1},
        price_mechanism={"kind": "linear", "gamma": 0.5},
    )
    s = steady_state(e, reduced=True)
    assert s.reduced and s.residual < 1e-9
    dense = spectral_radius(e, s, method="dense")
    arn = spectral_radius(e, s, method="arnoldi", k=6)
    assert abs(dense.spectral_radius - arn.spectral_radius) < 1e-8


@pytest.mark.parametrize("name", ["nonexistent", "latency:nobody", "failure", "bogus:w1"])
def test_unknown_shock_channel(econ, name):
    with pytest.raises(ValidationError):
        shock_channel(econ, name)


def test_latency_shock_needs_readouts():
    e = reference_economy("two-by-two")
    with pytest.raises(ValidationError, match="read-out"):
        shock_channel(e, "latency:a1")


def test_cli_irf_json(capsys):
    from geo_sym.cli.main import main

    assert main(["irf", str(EXAMPLE), "--shock", "load", "--policy", "taylor", "--periods", "8", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("steady_state", "bk", "irf", "irf_nonlinear", "irf_without_policy", "gap", "policy"):
        assert key in d
    assert len(d["irf"]["latency"]) == 8
    assert d["bk"]["status"] == "determinate"


@pytest.mark.parametrize(
    "argv, msg",
    [
        (["irf", str(EXAMPLE), "--shock", "nope"], "--shock"),
        (["irf", str(EXAMPLE), "--shock", "load", "--periods", "0"], "--periods"),
        (["stability-map", str(EXAMPLE), "--phi-lat", "0:1"], "--phi-lat"),
        (["stability-map", str(EXAMPLE), "--phi-qual", "a:b:c"], "--phi-qual"),
    ],
)
def test_cli_bad_input(argv, msg, capsys):
    from geo_sym.cli.main import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1
