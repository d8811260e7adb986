"""The orchestration economy as a DSGE (§7): steady states, linear vs nonlinear responses, the SLO-weight
floor, Blanchard–Kahn for a backward-looking map, spectra, stability maps and the command line.

Expected values come from closed forms worked out by hand (a one-agent economy), from central finite
differences of the nonlinear map (independent of the linearization), and from identities (a rule
neutral at its targets, a floor that freezes a weight).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from dsge.orchestration import (
    compare_policies,
    impulse_response,
    linearize,
    nonlinear_path,
    observables,
    spectral_radius,
    stability_map,
    steady_state,
    taylor_rule,
)
from geo_sym.economy.policy import resolve_shock_channel
from geo_sym.economy.spec import Economy, load_economy
from geo_sym.errors import ValidationError
from geo_sym.maps.core import evaluate_map, evaluate_reduced
from proofs.claims.reference import reference_economy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "economies" / "orchestration_taylor.yaml"


@pytest.fixture(scope="module")
def econ():
    return load_economy(EXAMPLE)


@pytest.fixture(scope="module")
def ss(econ):
    return steady_state(econ)


@pytest.fixture(scope="module")
def ss_rule(econ, ss):
    return steady_state(econ, ss.state, policy=taylor_rule(econ))


# ----------------------------------------------------------------------------- steady states and the rule
def test_steady_state_is_a_fixed_point(econ, ss):
    x = ss.state
    assert np.linalg.norm(evaluate_map(econ, x).state.flat() - x.flat()) < 1e-12
    assert ss.isolated is True and ss.policy is None


def test_taylor_rule_is_neutral_at_its_default_targets(econ, ss, ss_rule):
    rule = ss_rule.policy
    assert rule.has_targets and (rule.phi_lat, rule.phi_qual) == (2.0, 2.0)
    np.testing.assert_allclose(ss_rule.state.flat(), ss.state.flat(), atol=1e-12)
    x = ss_rule.state  # the targets are its aggregates: the rule returns λ* there whatever φ
    res = evaluate_map(econ, x, policy=rule.with_coefficients(3.0, 4.0))
    assert np.linalg.norm(res.state.flat() - x.flat()) < 1e-12
    assert (res.policy_rates.lat, res.policy_rates.qual) == (1.0, 1.0)  # λ* of the file


def test_explicit_targets_move_the_steady_state(econ, ss):
    rule = taylor_rule(econ).with_targets(ss_rule_targets(econ, ss)[0] - 0.05, ss_rule_targets(econ, ss)[1])
    s2 = steady_state(econ, ss.state, policy=rule)
    assert np.linalg.norm(evaluate_map(econ, s2.state, policy=s2.policy).state.flat() - s2.state.flat()) < 1e-10
    assert np.linalg.norm(s2.state.flat() - ss.state.flat()) > 1e-4


def ss_rule_targets(econ, ss):
    from geo_sym.economy.policy import aggregate_metrics

    rs = ss.reduced_state(econ)
    return tuple(float(v) for v in aggregate_metrics(econ.slo, rs.y, rs.w))


def test_continuum_of_steady_states_is_reported():
    # two interchangeable agents, tâtonnement prices: at market clearing the prices are indeterminate
    s = steady_state(reference_economy("two-parallel"))
    assert s.isolated is False and s.continuum_dimension >= 1


# ----------------------------------------------------------------------------- linear responses
SIZES = [0.01, 0.1, 0.5, 1.0, 5.0, -0.3, -2.0]


@pytest.mark.parametrize("channel", ["spike_w1", "fail_w2", "qdrop_w3", "load"])
def test_linear_responses_scale_exactly_with_the_shock(econ, ss_rule, channel):
    lin = linearize(econ, ss_rule, [resolve_shock_channel(econ, channel)])
    unit = impulse_response(econ, channel, 15, 1.0, steady=ss_rule, lin=lin).linear
    for size in SIZES:
        ir = impulse_response(econ, channel, 15, size, steady=ss_rule, lin=lin)
        for name, series in ir.linear.items():  # every series, aggregates and SLO weights included
            np.testing.assert_allclose(series, size * unit[name], rtol=1e-12, atol=1e-15, err_msg=name)


@pytest.mark.parametrize("channel", ["spike_w1", "fail_w2", "qdrop_w3", "load"])
def test_linear_responses_are_the_derivative_of_the_nonlinear_ones(econ, ss_rule, channel):
    """Central differences of the nonlinear responses in the shock size (independent of the linearization)."""
    ch = resolve_shock_channel(econ, channel)
    rs = ss_rule.reduced_state(econ)
    h = 1e-5

    def series(size):
        X, note = nonlinear_path(econ, rs, ch, size, 12, ss_rule.policy)
        assert not note
        return observables(econ, X, ss_rule.policy)[0]

    up, dn = series(h), series(-h)
    lin = impulse_response(econ, ch, 12, 1.0, steady=ss_rule).linear
    for name in lin:
        fd = (up[name] - dn[name]) / (2 * h)
        np.testing.assert_allclose(lin[name], fd, rtol=1e-5, atol=1e-8, err_msg=name)


def test_gap_shrinks_with_the_shock_on_the_same_series(econ, ss):
    ch = resolve_shock_channel(econ, "spike_w1")
    lin = linearize(econ, ss, [ch])
    irs = [impulse_response(econ, ch, 20, s, steady=ss, lin=lin) for s in (1e-1, 1e-2, 1e-3)]
    gaps = [ir.relative_gap for ir in irs]
    assert gaps[0] > gaps[1] > gaps[2]  # second-order remainder: ∝ the shock
    assert 5 < gaps[0] / gaps[1] < 20 and 5 < gaps[1] / gaps[2] < 20
    ir = irs[1]
    for name, g in ir.gap.items():
        assert g == pytest.approx(np.max(np.abs(ir.linear[name] - ir.nonlinear[name])), abs=0)


# ----------------------------------------------------------------------------- a one-agent economy, by hand
def one_agent(taylor=None, **extra) -> Economy:
    """One agent, K = 2 (latency, quality), u = (1, 1/2) inside the box, sequential map with prices y'/2.

    The single path carries all traffic (w = 1), so y' = y + α(u − y): the steady state is y* = u and a
    deviation decays as (1 − α)^t. L = y_lat, Q = y_qual.
    """
    data = {
        "agents": [{"name": "a", "demand": [1, "1/2"], "box": [[0, 2], [0, 2]]}],
        "map": "sequential",
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "gamma": "1/2"},
        "metrics": {"names": ["latency", "quality"], "stats": 1},
        "slo": {"weights": {"latency": 1, "quality": 1}},
        "shocks": [
            {"name": "spike", "kind": "latency", "agent": "a"},
            {"name": "qdrop", "kind": "quality", "agent": "a"},
            {"name": "load", "kind": "load"},
            {"name": "fail", "kind": "failure", "agent": "a"},
        ],
    }
    if taylor is not None:
        data["taylor"] = taylor
    data.update(extra)
    return Economy.from_dict(data)


def test_one_agent_closed_form_responses():
    econ = one_agent({"phi_lat": 3, "phi_qual": 4})
    s = steady_state(econ, policy=taylor_rule(econ))
    np.testing.assert_allclose(s.state.y.ravel(), [1.0, 0.5], atol=1e-14)
    t = np.arange(10)
    decay = 0.5**t  # (1 − α)^t
    eps = 0.2
    # latency spike: ΔL_t = ε (1 − α)^t; λ1 − λ1* = φ_lat ΔL_t (eq. (18)); quality unmoved
    ir = impulse_response(econ, "spike", 10, eps, steady=s)
    np.testing.assert_allclose(ir.linear["latency"], eps * decay, atol=1e-15)
    np.testing.assert_allclose(ir.linear["lambda_lat"], 3 * eps * decay, atol=1e-14)
    np.testing.assert_allclose(ir.linear["quality"], 0, atol=1e-15)
    np.testing.assert_allclose(ir.linear["lambda_qual"], 0, atol=1e-15)
    np.testing.assert_allclose(ir.linear["price[a]"], eps * decay / 2, atol=1e-15)  # p = y/2
    # quality drop: ΔQ_t = −ε (1 − α)^t; λ2 − λ2* = φ_qual (Q* − Q) = +4 ε (1 − α)^t (eq. (19))
    ir = impulse_response(econ, "qdrop", 10, eps, steady=s)
    np.testing.assert_allclose(ir.linear["quality"], -eps * decay, atol=1e-15)
    np.testing.assert_allclose(ir.linear["lambda_qual"], 4 * eps * decay, atol=1e-14)
    # load: d = (1 + ε) u, so Δy_0 = α ε u: ΔL_t = α ε (1 − α)^t
    ir = impulse_response(econ, "load", 10, eps, steady=s)
    np.testing.assert_allclose(ir.linear["latency"], 0.5 * eps * decay, atol=1e-15)
    np.testing.assert_allclose(ir.linear["quality"], 0.5 * eps * 0.5 * decay, atol=1e-15)
    # failure: y' = (1 − ε) v, so Δy_0 = −ε u: ΔL_t = −ε (1 − α)^t
    ir = impulse_response(econ, "fail", 10, eps, steady=s)
    np.testing.assert_allclose(ir.linear["latency"], -eps * decay, atol=1e-15)
    np.testing.assert_allclose(ir.linear["w[a]"], 0, atol=1e-15)
    # the map is linear in y here (no kink reached), so the nonlinear responses are the same numbers
    for name in ("latency", "quality", "lambda_lat", "lambda_qual"):
        np.testing.assert_allclose(ir.nonlinear[name], ir.linear[name], atol=1e-14)


def test_floor_binds_on_a_large_shock():
    """λ2 = max(0, 1 + 4 (Q* − Q)); a quality *rise* of 0.9 (a quality 'drop' of size −0.9) asks for
    λ2 − λ2* = −3.6 (1/2)^t: −3.6, −1.8, −0.9, ... so the floor 0 (deviation −1) binds in periods 0 and 1."""
    econ = one_agent({"phi_lat": 3, "phi_qual": 4})
    s = steady_state(econ, policy=taylor_rule(econ))
    ir = impulse_response(econ, "qdrop", 8, -0.9, steady=s)
    t = np.arange(8)
    asked = -3.6 * 0.5**t
    np.testing.assert_allclose(ir.linear["lambda_qual"], asked, atol=1e-13)  # the derivative at x*: no kink
    np.testing.assert_allclose(ir.nonlinear["lambda_qual"], np.maximum(asked, -1.0), atol=1e-13)
    assert ir.floor_binding == {"lambda_lat": (), "lambda_qual": (0, 1)}
    assert ir.levels["lambda_qual"] + ir.nonlinear["lambda_qual"].min() >= 0  # never below the floor
    # a higher floor (1/2) binds longer: −3.6, −1.8, −0.9, −0.45 < −1/2 only for t ≤ 2
    econ_f = one_agent({"phi_lat": 3, "phi_qual": 4, "floor": {"latency": 0, "quality": "1/2"}})
    ir_f = impulse_response(econ_f, "qdrop", 8, -0.9, policy=taylor_rule(econ_f))
    assert ir_f.floor_binding["lambda_qual"] == (0, 1, 2)
    np.testing.assert_allclose(ir_f.nonlinear["lambda_qual"], np.maximum(asked, -0.5), atol=1e-13)


def test_floor_binding_at_the_steady_state_freezes_the_weight(econ, ss):
    """With Q* far below the steady state, λ2 sits at its floor at x*: the stability of the economy under
    the rule is then that of the economy whose quality weight is the floor, whatever φ_qual."""
    base = taylor_rule(econ)
    L, Q = ss_rule_targets(econ, ss)
    rule = base.with_targets(L, Q - 5.0).with_coefficients(base.phi_lat, 1)
    s = steady_state(econ, ss.state, policy=rule)
    act = evaluate_reduced(econ, s.reduced_state(econ), policy=s.policy).active
    assert act.slo_at_floor.tolist() == [False, True]
    rho = spectral_radius(econ, s).spectral_radius
    s_more = dataclasses.replace(s, policy=dataclasses.replace(s.policy, phi_qual=7.0))
    assert spectral_radius(econ, s_more).spectral_radius == rho
    sm = stability_map(econ, [float(base.phi_lat)], [1.0, 7.0], steady=ss, rule=rule)
    assert sm.floor_binds.all() and sm.rho[0, 0] == pytest.approx(sm.rho[1, 0], abs=1e-9)
    ir = impulse_response(econ, "qdrop_w3", 5, 0.01, steady=s)
    assert ir.floor_at_steady_state == ("lambda_qual",)
    np.testing.assert_array_equal(ir.linear["lambda_qual"], 0.0)
    assert ir.floor_binding["lambda_qual"] == (0, 1, 2, 3, 4)


# ----------------------------------------------------------------------------- Blanchard–Kahn, explosive rules
def test_blanchard_kahn_for_the_backward_looking_map(econ, ss):
    sr = spectral_radius(econ, ss)
    assert sr.status == "determinate" and sr.stable and sr.n_unstable == 0
    bk = sr.bk
    assert bk.n_forward == 0 and bk.status == "determinate" and bk.rank_condition is None
    assert "predetermined" in bk.message
    d = sr.to_dict()
    assert d["n_forward"] == 0 and d["formulation"] == "backward-looking" and d["complete"] is True
    # all roots are counted: the moduli are those of the tangent Jacobian
    assert max(bk.moduli) == pytest.approx(sr.spectral_radius)


def test_explosive_rule_is_refused(econ, ss):
    rule = taylor_rule(econ, 0, 20)
    s = steady_state(econ, ss.state, policy=rule)
    ir = impulse_response(econ, "qdrop_w3", 10, 0.01, steady=s)
    assert ir.stability.status == "no-stable-solution" and ir.stability.n_unstable >= 1
    assert ir.linear is None and ir.gap is None and not ir.stable
    assert len(ir.nonlinear["latency"]) == 10  # the map's own path is kept, labelled as such
    with pytest.raises(ValidationError, match="no linear"):
        ir.to_frame("linear")
    assert ir.to_frame("nonlinear").shape[0] == 10
    # the same statement from the stability map at that pair
    sm = stability_map(econ, [0.0], [20.0], steady=ss)
    assert not sm.stable[0, 0] and sm.status[0, 0] == "no-stable-solution"
    assert sm.n_unstable[0, 0] == ir.stability.n_unstable


def test_arnoldi_matches_dense(econ, ss):
    dense = spectral_radius(econ, ss, method="dense")
    arn = spectral_radius(econ, ss, method="arnoldi", k=6)
    assert abs(dense.spectral_radius - arn.spectral_radius) < 1e-8
    assert dense.n_unstable == arn.n_unstable == 0
    s = dataclasses.replace(ss, policy=taylor_rule(econ, 0, 20).with_targets(*ss_rule_targets(econ, ss)).as_float())
    dense, arn = spectral_radius(econ, s, method="dense"), spectral_radius(econ, s, method="arnoldi", k=4)
    assert dense.n_unstable >= 1 and dense.n_unstable == arn.n_unstable
    assert abs(dense.spectral_radius - arn.spectral_radius) < 1e-8


def test_reduced_spectrum_matches_the_full_state(econ, ss):
    """The non-zero eigenvalues of the reduced Jacobian are those of DΦ_K on (y, p, π)."""
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues

    full = tangent_eigenvalues(econ, numeric_jacobian(econ, ss.state))
    sr = spectral_radius(econ, ss, method="dense")
    assert sr.spectral_radius == pytest.approx(np.abs(full).max(), rel=1e-10)
    big = np.sort(np.abs(full))[::-1][:5]
    np.testing.assert_allclose(sorted(map(abs, sr.eigenvalues), reverse=True)[:5], big, rtol=1e-8)


def test_stability_map(econ, ss):
    sm = stability_map(econ, [0.0, 2.0], [0.0, 20.0], steady=ss)
    assert sm.rho.shape == (2, 2)
    assert abs(sm.rho[0, 0] - spectral_radius(econ, ss).spectral_radius) < 1e-10  # φ = 0: the rule does nothing
    assert sm.stable[0, 0] and not sm.stable[1, 0]
    assert not sm.floor_binds.any()
    fig = sm.plot()
    assert "phi" in fig.axes[0].get_xlabel()
    frame = sm.to_frame()
    assert frame.loc[(20.0, 0.0), "status"] == "no-stable-solution"


def test_large_dag_uses_the_reduced_state():
    layers, width = 3, 14  # 2744 paths: above the threshold, never enumerated
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
        metrics={"names": ["latency", "quality"], "stats": 1},
        slo={"weights": {"latency": "1/2", "quality": "1/2"}},
        shocks=[{"name": "spike", "kind": "latency", "agent": "l2_0"}],
        taylor={"phi_lat": 1, "phi_qual": 1},
    )
    assert e.n_paths > 2000
    s = steady_state(e, policy=taylor_rule(e))
    assert s.reduced and s.residual < 1e-9
    ir = impulse_response(e, "spike", 10, 0.01, steady=s)
    assert ir.stable and ir.max_gap < 1e-4
    dense = spectral_radius(e, s, method="dense")
    arn = spectral_radius(e, s, method="arnoldi", k=6)
    assert abs(dense.spectral_radius - arn.spectral_radius) < 1e-8


# ----------------------------------------------------------------------------- the comparison, table and figure
def test_policy_comparison_table_and_figure(econ, ss):
    cmp = compare_policies(econ, periods=12, steady=ss)
    assert cmp.channels == ("spike_w1", "fail_w2", "qdrop_w3", "load")
    frame = cmp.to_frame()
    assert frame.index.names == ["channel", "policy", "response", "period"]
    assert set(frame.index.get_level_values("policy")) == {"none", "taylor"}
    assert {"latency", "quality", "lambda_lat", "lambda_qual", "w[w1]"} <= set(frame.columns)
    row = frame.loc[("spike_w1", "taylor", "linear")]
    np.testing.assert_array_equal(row["latency"].to_numpy(), cmp[("spike_w1", "taylor")].linear["latency"])
    # without the rule the SLO weights are the constants λ*: zero deviation
    assert (frame.loc[("load", "none", "nonlinear")]["lambda_lat"] == 0).all()
    fig = cmp.plot()
    axes = fig.axes
    assert len(axes) == 4 * 4
    assert "routing shares" in axes[0].get_title() and "lambda" in axes[3].get_title()
    assert axes[-1].get_xlabel().startswith("period")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("w1" in t for t in legend) and "with the Taylor rule" in legend


def test_unknown_shock_channel(econ):
    for name in ("nonexistent", "latency:nobody", "failure", "bogus:w1"):
        with pytest.raises(ValidationError, match="--shock"):
            resolve_shock_channel(econ, name)


def test_impulse_response_bad_arguments(econ, ss):
    with pytest.raises(ValidationError, match="periods"):
        impulse_response(econ, "load", 0, steady=ss)
    with pytest.raises(ValidationError, match="size"):
        impulse_response(econ, "load", 5, 0.0, steady=ss)


# ----------------------------------------------------------------------------- command line
def test_cli_irf_json(capsys):
    from geo_sym.cli.main import main

    argv = ["irf", str(EXAMPLE), "--shock", "load", "--policy", "taylor", "--periods", "8", "--json"]
    assert main(argv) == 0
    d = json.loads(capsys.readouterr().out)
    for key in ("steady_state", "bk", "irf", "irf_nonlinear", "without_policy", "gap", "policy", "responses"):
        assert key in d
    assert len(d["irf"]["latency"]) == 8
    assert d["bk"]["status"] == "determinate" and d["bk"]["n_forward"] == 0
    assert d["without_policy"]["bk"]["status"] == "determinate"
    assert d["floor_binding"] == {"lambda_lat": [], "lambda_qual": []}
    assert d["floor_at_steady_state"] == []


def test_cli_irf_refuses_an_explosive_rule(capsys):
    from geo_sym.cli.main import main

    argv = ["irf", str(EXAMPLE), "--shock", "qdrop_w3", "--policy", "taylor", "--phi-qual", "20", "--json"]
    assert main(argv + ["--periods", "6"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["bk"]["status"] == "no-stable-solution" and d["irf"] is None and d["gap"] is None
    assert len(d["irf_nonlinear"]["latency"]) == 6
    assert main(argv[:-1] + ["--periods", "6"]) == 0
    out = capsys.readouterr().out
    assert "no equilibrium response" in out and "nonlinear path of the map" in out


def test_cli_plot_irf_for_an_economy(tmp_path, capsys):
    from geo_sym.cli.main import main

    out = tmp_path / "responses.png"
    assert main(["plot", str(EXAMPLE), "--kind", "irf", "--periods", "10", "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000


def test_cli_help_explains_blanchard_kahn(capsys):
    from geo_sym.cli.main import main

    assert main(["irf", "--help"]) == 0
    text = capsys.readouterr().out
    assert "backward-looking" in text and "predetermined" in text and "geo-sym dsge" in text
    assert "--jumps" not in text


@pytest.mark.parametrize(
    "argv, msg",
    [
        (["irf", str(EXAMPLE), "--shock", "nope"], "--shock"),
        (["irf", str(EXAMPLE), "--shock", "load", "--periods", "0"], "--periods"),
        (["irf", str(EXAMPLE), "--shock", "load", "--size", "0"], "--size"),
        (["irf", str(EXAMPLE), "--shock", "load", "--phi-lat", "3"], "--policy taylor"),
        (
            ["irf", str(ROOT / "examples" / "economies" / "two_by_two.yaml"), "--shock", "load", "--policy", "taylor"],
            "slo",
        ),
        (["irf", str(ROOT / "examples" / "economies" / "two_by_two.yaml")], "--shock"),
        (["stability-map", str(EXAMPLE), "--phi-lat", "0:1"], "--phi-lat"),
        (["stability-map", str(EXAMPLE), "--phi-qual", "a:b:c"], "--phi-qual"),
    ],
)
def test_cli_bad_input(argv, msg, capsys):
    from geo_sym.cli.main import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1


def test_cli_stability_map_json(capsys):
    from geo_sym.cli.main import main

    argv = ["stability-map", str(EXAMPLE), "--phi-lat", "0:2:2", "--phi-qual", "0:20:2", "--json"]
    assert main(argv) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["status"][0][0] == "determinate" and d["status"][1][0] == "no-stable-solution"
    assert "backward-looking" in d["formulation"]


def test_notebook_displays(econ, ss):
    ir = impulse_response(econ, "spike_w1", 6, 0.01, steady=ss)
    tex = ir._repr_latex_()
    assert tex.startswith("$$") and r"\Delta L" in tex and "determinate" in tex
    assert "backward-looking" in ir.stability._repr_latex_()
    rule = taylor_rule(econ, 0, 20)
    bad = impulse_response(econ, "qdrop_w3", 6, 0.01, steady=steady_state(econ, ss.state, policy=rule))
    assert "nonlinear path" in bad._repr_latex_()
    assert "stable (Blanchard" in stability_map(econ, [0.0], [0.0], steady=ss)._repr_latex_()


def test_figure_without_slo_readouts_or_rule():
    e = load_economy(ROOT / "examples" / "economies" / "example_6_3.yaml")
    cmp = compare_policies(e, ["load"], periods=6, policies=("none",))
    assert cmp.rule is None and set(cmp.to_frame().index.get_level_values("policy")) == {"none"}
    fig = cmp.plot()
    titles = [ax.get_title() for ax in fig.axes]
    assert len(fig.axes) == 3 and "production" in titles[1] and "price" in titles[2]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "with the Taylor rule" not in legend and any("no SLO policy" in t for t in legend)
    with pytest.raises(ValidationError, match="slo"):
        compare_policies(e, ["load"], periods=6)
