"""Malformed input, as a newcomer types it, across every subcommand and every file format.

Each case runs ``geo-sym`` in process and asserts what a user sees: an exit code that is neither 0
(success) nor 3 (an internal error), exactly one line on stderr starting ``geo-sym: error:`` and
naming what was wrong (the substrings listed with the case: the option or field, the value, or what
was expected), no traceback, and nothing on stdout. The files are written by the fixture below
(economy YAML and JSON, state JSON, DSGE YAML and ``.mod``, sweep specs, witness JSON), each with
one thing wrong. ``RuntimeWarning``/``UserWarning`` are errors here: a warning would be a second
line on a real terminal. The same inputs go through the Python API (``geo_sym.load_economy``,
``dsge.load_model``, ``load_state``, ``load_spec``) for the typed exception.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo_sym.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"

TWO = (EX / "economies" / "two_by_two.yaml").read_text(encoding="utf-8")
TAYLOR = (EX / "economies" / "orchestration_taylor.yaml").read_text(encoding="utf-8")
NK3 = (EX / "models" / "nk3.yaml").read_text(encoding="utf-8")
NK3_MOD = (EX / "models" / "nk3.mod").read_text(encoding="utf-8")
BIG = "9" * 5000


def _two(**changes) -> str:
    """The 2x2 economy with lines replaced: key -> new text of that line (None drops it)."""
    lines = TWO.splitlines()
    out = []
    for line in lines:
        key = line.split(":")[0].strip()
        if key in changes:
            if changes[key] is not None:
                out.append(changes[key])
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def _agents(*agent_lines: str) -> str:
    head = "name: t\nagents:\n" + "".join(f"  - {a}\n" for a in agent_lines)
    return head + "edges: []\nmap: simultaneous\nparameters: {alpha: '1/10', beta: '1/10', tau: 10}\n"


ECONOMY_FILES = {
    "e_no_agents.yaml": _two(**{"agents": None, "- {name": None}),
    "e_agents_empty.yaml": _agents().replace("agents:\n", "agents: []\n"),
    "e_agents_scalar.yaml": _agents().replace("agents:\n", "agents: 5\n"),
    "e_agent_noname.yaml": _agents("{demand: [1], box: [[0, 1]]}"),
    "e_agent_dup.yaml": _agents("{name: a, demand: [1], box: [[0, 1]]}", "{name: a, demand: [1], box: [[0, 1]]}"),
    "e_demand_len.yaml": _agents("{name: a, demand: [1, 2], box: [[0, 1]]}"),
    "e_box_reversed.yaml": _agents("{name: a, demand: [1], box: [[1, 0]]}"),
    "e_box_no_zero.yaml": _agents("{name: a, demand: [1], box: [[1, 2]]}"),
    "e_box_scalar.yaml": _agents("{name: a, demand: [1], box: 3}"),
    "e_ball_negative.yaml": _agents("{name: a, demand: [1], ball: {center: [0], radius: -1}}"),
    "e_ball_far.yaml": _agents("{name: a, demand: [1], ball: {center: [5], radius: 1}}"),
    "e_box_and_ball.yaml": _agents("{name: a, demand: [1], box: [[0, 1]], ball: {center: [0], radius: 1}}"),
    "e_demand_bool.yaml": _agents("{name: a, demand: [true], box: [[0, 1]]}"),
    "e_demand_text.yaml": _agents("{name: a, demand: [one], box: [[0, 1]]}"),
    "e_edge_unknown.yaml": _two(edges="edges: [[a1, zz]]"),
    "e_edge_cycle.yaml": _two(edges="edges: [[a1, b1], [b1, a2], [a2, a1]]"),
    "e_edge_self.yaml": _two(edges="edges: [[a1, a1]]"),
    "e_edge_string.yaml": _two(edges="edges: a1->b1"),
    "e_edge_short.yaml": _two(edges="edges: [[a1]]"),
    "e_map_bogus.yaml": _two(map="map: parallel"),
    "e_alpha_two.yaml": _two(parameters="parameters: {alpha: 2, beta: '1/10', tau: 10}"),
    "e_alpha_zero.yaml": _two(parameters="parameters: {alpha: 0, beta: '1/10', tau: 10}"),
    "e_tau_zero.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: 0}"),
    "e_tau_negative.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: -3}"),
    "e_beta_negative.yaml": _two(parameters="parameters: {alpha: '1/10', beta: -1, tau: 10}"),
    "e_beta_missing.yaml": _two(parameters="parameters: {alpha: '1/10', tau: 10}"),
    "e_alpha_text.yaml": _two(parameters="parameters: {alpha: abc, beta: '1/10', tau: 10}"),
    "e_alpha_div0.yaml": _two(parameters="parameters: {alpha: '1/0', beta: '1/10', tau: 10}"),
    "e_alpha_nan.yaml": _two(parameters="parameters: {alpha: .nan, beta: '1/10', tau: 10}"),
    "e_tau_inf.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: .inf}"),
    "e_tau_overflow.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: 1.0e+999}"),
    "e_tau_5000_digits.yaml": _two(parameters=f"parameters: {{alpha: '1/10', beta: '1/10', tau: {BIG}}}"),
    "e_tau_5000_text.yaml": _two(parameters=f"parameters: {{alpha: '1/10', beta: '1/10', tau: '1/{BIG}'}}"),
    "e_tau_exponent.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: '1e99999'}"),
    "e_tau_expression.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: '__import__(\"os\")'}"),
    "e_param_unknown.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: 10, gamma2: 1}"),
    "e_params_list.yaml": _two(parameters="parameters: [1, 2, 3]"),
    "e_unknown_key.yaml": TWO + "colour: blue\n",
    "e_price_bogus.yaml": _two(price_mechanism="price_mechanism: {kind: auction}"),
    "e_price_G_shape.yaml": _two(
        map="map: sequential", price_mechanism="price_mechanism: {kind: linear, G: [[1, 0], [0, 1]]}"
    ),
    "e_box_5000_digits.yaml": _agents(f"{{name: a, demand: [1], box: [[0, {BIG}]]}}"),
    "e_box_1e308.yaml": _agents("{name: a, demand: [1], box: [[0, 1e308]]}"),
    "e_tau_tiny.yaml": _two(parameters="parameters: {alpha: '1/10', beta: '1/10', tau: 1e-200}"),
    "e_syntax_bracket.yaml": TWO.replace("edges: [[a1, b1],", "edges: [[a1, b1,"),
    "e_syntax_tab.yaml": TWO.replace("  - {name: a2", "\t- {name: a2"),
    "e_syntax_colon.yaml": TWO.replace("map: simultaneous", "map: simultaneous: yes"),
    "e_top_list.yaml": "- a\n- b\n",
    "e_top_scalar.yaml": "42\n",
    "e_empty.yaml": "",
    "e_comments.yaml": "# nothing here\n# at all\n",
    "e_python_tag.yaml": "!!python/object/apply:os.system ['echo hi']\n",
    "e_shock_kind.yaml": TAYLOR.replace("kind: load}", "kind: earthquake}"),
    "e_shock_agent.yaml": TAYLOR.replace("agent: w1}", "agent: w9}"),
    "e_taylor_text.yaml": TAYLOR.replace("phi_lat: 2 ", "phi_lat: fast "),
    "e_slo_negative.yaml": TAYLOR.replace("weights: {latency: 1,", "weights: {latency: -1,"),
    "e_metrics_stats.yaml": TAYLOR.replace("stats: 1}", "stats: 0}"),
    "e_json_syntax.json": '{"name": "t", "agents": [\n  {"name": "a", "demand": [1], "box": [[0, 1]]},\n  {"name": "b"\n',
    "e_json_big.json": '{"name": "t", "agents": [{"name": "a", "demand": [' + BIG + '], "box": [[0, 1]]}]}',
}

STATE_FILES = {
    "s_missing_pi.json": '{"y": [[0], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]]}',
    "s_short_y.json": '{"y": [[0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": ["1/4", "1/4", "1/4", "1/4"]}',
    "s_p_off_simplex.json": '{"y": [[0], [0], [0], [0]], "p": [[1], [1], [0], [0]], "pi": ["1/4", "1/4", "1/4", "1/4"]}',
    "s_pi_negative.json": '{"y": [[0], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": [2, -1, 0, 0]}',
    "s_text.json": '{"y": [["abc"], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": ["1/4", "1/4", "1/4", "1/4"]}',
    "s_nan.json": '{"y": [[NaN], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": ["1/4", "1/4", "1/4", "1/4"]}',
    "s_inf.json": '{"y": [[Infinity], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": ["1/4", "1/4", "1/4", "1/4"]}',
    "s_big.json": '{"y": [['
    + BIG
    + '], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": [1, 0, 0, 0]}',
    "s_syntax.json": '{"y": [[0], [0], [0], [0]],\n "p": [["1/4"] ["1/4"], ["1/4"], ["1/4"]]}',
    "s_list.json": "[1, 2, 3]",
    "s_empty.json": "",
    "s_nested.json": "[" * 100000 + "]" * 100000,
    "s_huge.json": '{"y": [["1e200"], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": [1, 0, 0, 0]}',
    "s_y_outside.json": '{"y": [[5], [0], [0], [0]], "p": [["1/4"], ["1/4"], ["1/4"], ["1/4"]], "pi": ["1/4", "1/4", "1/4", "1/4"]}',
}


def _laughs(levels: int = 9) -> str:
    """A "billion laughs" YAML line: nine references per level, 9**levels values once expanded."""
    parts = ["&x0 [lol, lol]"] + [f"&x{i} [" + ", ".join([f"*x{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "description: [" + ", ".join(parts) + "]\n"


ECONOMY_FILES["e_yaml_bomb.yaml"] = _laughs() + TWO.replace("name: two-by-two", "name: *x8")
ECONOMY_FILES["e_yaml_recursive.yaml"] = TWO.replace("name: two-by-two", "name: &me [a, *me]")
ECONOMY_FILES["e_yaml_deep.yaml"] = "name: " + "[" * 20000 + "]" * 20000 + "\n"


def _nk3(old: str, new: str) -> str:
    assert old in NK3, old
    return NK3.replace(old, new)


def _mod(old: str, new: str) -> str:
    assert old in NK3_MOD, old
    return NK3_MOD.replace(old, new)


MODEL_FILES = {
    "m_no_equations.yaml": "name: m\nvariables: [x]\nparameters: {a: 1}\n",
    "m_unknown_name.yaml": _nk3("kappa*x", "kappa*zz"),
    "m_equation_count.yaml": _nk3("  - v = rho_v*v(-1) + eps_v\n", ""),
    "m_equation_syntax.yaml": _nk3("pi = beta*pi(+1)", "pi = = beta*pi(+1)"),
    "m_equation_eval.yaml": _nk3("kappa*x", "__import__('os').system('echo hi')"),
    "m_equation_attr.yaml": _nk3("kappa*x", "x.real"),
    "m_timing_fraction.yaml": _nk3("pi(+1) + kappa", "pi(+1.5) + kappa"),
    "m_param_text.yaml": _nk3("kappa: 0.1", "kappa: abc"),
    "m_param_5000.yaml": _nk3("kappa: 0.1", f"kappa: {BIG}"),
    "m_param_5000_text.yaml": _nk3("kappa: 0.1", f"kappa: '{BIG}'"),
    "m_param_overflow.yaml": _nk3("kappa: 0.1", "kappa: '1e999'"),
    "m_param_cycle.yaml": _nk3("kappa: 0.1", "kappa: 'phi_y*kappa'"),
    "m_unknown_key.yaml": NK3 + "solver: magic\n",
    "m_dup_variable.yaml": _nk3("variables: [x, pi, i, v]", "variables: [x, pi, i, x]"),
    "m_shock_std_negative.yaml": NK3 + "shock_std: {eps_v: -1}\n",
    "m_shock_unknown.yaml": NK3 + "shock_std: {eps_zz: 1}\n",
    "m_steady_unknown.yaml": _nk3("steady_state: {x: 0,", "steady_state: {zz: 0, x: 0,"),
    "m_variables_scalar.yaml": _nk3("variables: [x, pi, i, v]", "variables: 7"),
    "m_syntax.yaml": _nk3("shocks: [eps_v]", "shocks: [eps_v"),
    "m_empty.yaml": "",
    "m_stoch_simul_bad.yaml": NK3 + "stoch_simul: {irf: -5}\n",
    "m_tolerance_bad.yaml": NK3 + "tolerance: {unit_circle: -1}\n",
    "m_rbc_huge_shock.yaml": (EX / "models" / "rbc.yaml")
    .read_text(encoding="utf-8")
    .replace("shock_std: {eps_a: 0.01}", "shock_std: {eps_a: 1.0e+100}"),
    "m_no_semicolon.mod": _mod("var x pi i v;", "var x pi i v"),
    "m_unknown_statement.mod": _mod("steady;", "frobnicate;"),
    "m_undeclared.mod": _mod("kappa*x;", "kappa*zz;"),
    "m_unclosed.mod": _mod("end;\n\nshocks;", "\nshocks;"),
    "m_param_value.mod": _mod("kappa = 0.1;", "kappa = 0.1.2;"),
    "m_empty.mod": "",
    "m_binary.mod": b"\x00\x01\x02\xff\xfe var x;",
}

SWEEP_FILES = {
    "w_syntax.yaml": "economy: base.yaml\nvary: {tau: {grid: [1, 2, 3]\n",
    "w_unknown_key.yaml": "economy: base.yaml\nvary: {parameters.tau: {grid: [1, 2, 3]}}\ncompute: [spectral_radius]\ncolour: 1\n",
    "w_missing_base.yaml": "economy: nowhere.yaml\nvary: {parameters.tau: {grid: [1, 2, 3]}}\ncompute: [spectral_radius]\n",
    "w_bad_path.yaml": "economy: base.yaml\nvary: {parameters.zeta: {grid: [1, 2, 3]}}\ncompute: [spectral_radius]\n",
    "w_bad_grid.yaml": "economy: base.yaml\nvary: {parameters.tau: {grid: [1, 2]}}\ncompute: [spectral_radius]\n",
    "w_bad_compute.yaml": "economy: base.yaml\nvary: {parameters.tau: {grid: [1, 2, 3]}}\ncompute: [happiness]\n",
    "w_bad_kind.yaml": "kind: lottery\neconomy: base.yaml\n",
    "w_base_is_model.yaml": "economy: nk3.yaml\nvary: {parameters.tau: {grid: [1, 2, 3]}}\ncompute: [spectral_radius]\n",
    "base.yaml": TWO,
    "nk3.yaml": NK3,
}

WITNESS_FILES = {
    "v_syntax.json": '[{"id": "thm-3.1", "status": "refuted",}]',
    "v_scalar.json": "17",
    "v_big.json": '{"kind": "walras_value", "claimed": {"value": ' + BIG + "}}",
    "v_empty.json": "",
}


def _layered(layers: int, width: int, name: str) -> str:
    """A layered DAG economy (every agent feeds every agent of the next layer): width**layers paths."""
    agents = [f"a{i}_{j}" for i in range(layers) for j in range(width)]
    edges = [[f"a{i}_{j}", f"a{i + 1}_{k}"] for i in range(layers - 1) for j in range(width) for k in range(width)]
    return (
        f"name: {name}\nagents:\n"
        + "".join(f"  - {{name: {a}, demand: [1], box: [[0, 2]]}}\n" for a in agents)
        + f"edges: {edges}\n".replace("'", "")
        + "map: sequential\nparameters: {alpha: '1/2', tau: 1}\nprice_mechanism: {kind: linear, gamma: '1/2'}\n"
    )


OTHER_FILES = {
    "dag_248832_paths.yaml": _layered(5, 12, "paths-248832"),
    "dag_64000_paths.yaml": _layered(3, 40, "paths-64000"),
    "binary.yaml": bytes(range(256)) * 4,
    "latin1.yaml": "name: café\n".encode("latin-1"),
    "nul.yaml": "name: t\x00\nagents: []\n",
    "notes.txt": "just some words\n",
    "existing.tex": "x",
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad_input")
    for name, content in {
        **ECONOMY_FILES,
        **STATE_FILES,
        **MODEL_FILES,
        **SWEEP_FILES,
        **WITNESS_FILES,
        **OTHER_FILES,
    }.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (folder / "a_directory").mkdir()
    (folder / "csv_is_a_file").write_text("x")
    return folder


E2 = str(EX / "economies" / "two_by_two.yaml")
S2 = str(EX / "economies" / "two_by_two_state.json")
ET = str(EX / "economies" / "orchestration_taylor.yaml")
E63 = str(EX / "economies" / "example_6_3.yaml")
M3 = str(EX / "models" / "nk3.yaml")
MOD = str(EX / "models" / "rbc.mod")
RBC = str(EX / "models" / "rbc.yaml")
SW = str(EX / "sweeps" / "minimal.yaml")

# (id, argv, substrings every one of which the error line contains). "{T}" is the folder of the files.
ECONOMY_CASES = [
    ("economy-no-agents", ["check", "{T}/e_no_agents.yaml"], ["agents"]),
    ("economy-agents-empty", ["jacobian", "{T}/e_agents_empty.yaml", "--at", S2], ["agents"]),
    ("economy-agents-scalar", ["irf", "{T}/e_agents_scalar.yaml"], ["agents"]),
    ("economy-agent-noname", ["fixed-points", "{T}/e_agent_noname.yaml"], ["name"]),
    ("economy-agent-duplicate", ["certify", "{T}/e_agent_dup.yaml", "--at", S2], ["agents", "'a'"]),
    ("economy-demand-length", ["plot", "{T}/e_demand_len.yaml", "-o", "{T}/x.png"], ["box", "K = 2"]),
    ("economy-box-reversed", ["derive", "{T}/e_box_reversed.yaml", "-o", "{T}/x.tex"], ["box"]),
    ("economy-box-without-zero", ["stability-map", "{T}/e_box_no_zero.yaml"], ["box", "0"]),
    ("economy-box-scalar", ["check", "{T}/e_box_scalar.yaml"], ["box"]),
    ("economy-ball-negative", ["check", "{T}/e_ball_negative.yaml"], ["radius"]),
    ("economy-ball-far", ["jacobian", "{T}/e_ball_far.yaml", "--at", S2], ["ball"]),
    ("economy-box-and-ball", ["check", "{T}/e_box_and_ball.yaml"], ["box", "ball"]),
    ("economy-demand-bool", ["irf", "{T}/e_demand_bool.yaml"], ["demand", "True"]),
    ("economy-demand-text", ["fixed-points", "{T}/e_demand_text.yaml"], ["demand", "one"]),
    ("economy-edge-unknown", ["check", "{T}/e_edge_unknown.yaml"], ["edges", "zz"]),
    ("economy-edge-cycle", ["jacobian", "{T}/e_edge_cycle.yaml", "--at", S2], ["cycle", "a1"]),
    ("economy-edge-self", ["certify", "{T}/e_edge_self.yaml", "--at", S2], ["edges", "a1"]),
    ("economy-edge-string", ["check", "{T}/e_edge_string.yaml"], ["edges"]),
    ("economy-edge-short", ["plot", "{T}/e_edge_short.yaml", "-o", "{T}/x.png"], ["edges"]),
    ("economy-map-bogus", ["check", "{T}/e_map_bogus.yaml"], ["map", "parallel"]),
    ("economy-alpha-two", ["irf", "{T}/e_alpha_two.yaml"], ["alpha", "2"]),
    ("economy-alpha-zero", ["fixed-points", "{T}/e_alpha_zero.yaml"], ["alpha", "0"]),
    ("economy-tau-zero", ["check", "{T}/e_tau_zero.yaml"], ["tau"]),
    ("economy-tau-negative", ["derive", "{T}/e_tau_negative.yaml", "-o", "{T}/x.tex"], ["tau", "-3"]),
    ("economy-beta-negative", ["stability-map", "{T}/e_beta_negative.yaml"], ["beta"]),
    ("economy-beta-missing", ["check", "{T}/e_beta_missing.yaml"], ["beta"]),
    ("economy-alpha-text", ["check", "{T}/e_alpha_text.yaml"], ["alpha", "abc"]),
    ("economy-alpha-div0", ["jacobian", "{T}/e_alpha_div0.yaml", "--at", S2], ["alpha", "denominator"]),
    ("economy-alpha-nan", ["check", "{T}/e_alpha_nan.yaml"], ["alpha", "nan"]),
    ("economy-tau-inf", ["certify", "{T}/e_tau_inf.yaml", "--at", S2], ["tau", "inf"]),
    ("economy-tau-overflow", ["check", "{T}/e_tau_overflow.yaml"], ["line 10", "1.0e+999"]),
    ("economy-tau-5000-digits", ["check", "{T}/e_tau_5000_digits.yaml"], ["line 10", "1000 digits"]),
    ("economy-tau-5000-digits-irf", ["irf", "{T}/e_tau_5000_digits.yaml"], ["line 10", "1000 digits"]),
    ("economy-tau-5000-digit-fraction", ["check", "{T}/e_tau_5000_text.yaml"], ["tau", "1000 digits"]),
    ("economy-tau-huge-exponent", ["fixed-points", "{T}/e_tau_exponent.yaml"], ["tau", "1000 digits"]),
    ("economy-tau-python-expression", ["check", "{T}/e_tau_expression.yaml"], ["tau", "__import__"]),
    ("economy-parameter-unknown", ["check", "{T}/e_param_unknown.yaml"], ["gamma2"]),
    ("economy-parameters-list", ["plot", "{T}/e_params_list.yaml", "-o", "{T}/x.png"], ["parameters"]),
    ("economy-unknown-key", ["check", "{T}/e_unknown_key.yaml"], ["colour"]),
    ("economy-price-bogus", ["irf", "{T}/e_price_bogus.yaml"], ["price_mechanism", "auction"]),
    ("economy-price-G-shape", ["check", "{T}/e_price_G_shape.yaml"], ["G"]),
    ("economy-box-5000-digits", ["check", "{T}/e_box_5000_digits.yaml"], ["line 3", "1000 digits"]),
    ("economy-box-1e308", ["fixed-points", "{T}/e_box_1e308.yaml"], ["box", "1e308", "1e100"]),
    ("economy-tau-tiny", ["check", "{T}/e_tau_tiny.yaml"], ["tau", "1e-100"]),
    ("economy-yaml-bracket", ["check", "{T}/e_syntax_bracket.yaml"], ["line", "column", "valid YAML"]),
    ("economy-yaml-tab", ["jacobian", "{T}/e_syntax_tab.yaml", "--at", S2], ["line 5", "column", "valid YAML"]),
    ("economy-yaml-colon", ["irf", "{T}/e_syntax_colon.yaml"], ["line 9", "column", "valid YAML"]),
    ("economy-top-list", ["check", "{T}/e_top_list.yaml"], ["e_top_list.yaml", "mapping"]),
    ("economy-top-scalar", ["fixed-points", "{T}/e_top_scalar.yaml"], ["e_top_scalar.yaml", "mapping"]),
    ("economy-empty-file", ["check", "{T}/e_empty.yaml"], ["e_empty.yaml", "empty"]),
    ("economy-only-comments", ["stability-map", "{T}/e_comments.yaml"], ["e_comments.yaml", "empty"]),
    ("economy-python-tag", ["check", "{T}/e_python_tag.yaml"], ["python/object", "valid YAML"]),
    ("economy-yaml-bomb", ["check", "{T}/e_yaml_bomb.yaml"], ["e_yaml_bomb.yaml", "aliases", "20000000"]),
    ("economy-yaml-recursive", ["irf", "{T}/e_yaml_recursive.yaml"], ["e_yaml_recursive.yaml", "contain itself"]),
    ("economy-yaml-deep", ["fixed-points", "{T}/e_yaml_deep.yaml"], ["e_yaml_deep.yaml", "depth"]),
    ("model-yaml-bomb", ["dsge", "{T}/e_yaml_bomb.yaml"], ["aliases"]),
    ("economy-shock-kind", ["irf", "{T}/e_shock_kind.yaml"], ["earthquake"]),
    ("economy-shock-agent", ["irf", "{T}/e_shock_agent.yaml"], ["w9"]),
    ("economy-taylor-text", ["stability-map", "{T}/e_taylor_text.yaml"], ["phi_lat", "fast"]),
    ("economy-slo-negative", ["irf", "{T}/e_slo_negative.yaml"], ["latency", "-1"]),
    ("economy-metrics-stats", ["check", "{T}/e_metrics_stats.yaml"], ["stats", "0"]),
    ("economy-json-syntax", ["check", "{T}/e_json_syntax.json"], ["line 4", "column", "valid YAML"]),
    ("economy-json-5000-digits", ["check", "{T}/e_json_big.json"], ["1000 digits"]),
    ("economy-binary", ["check", "{T}/binary.yaml"], ["binary.yaml"]),
    ("economy-latin1", ["jacobian", "{T}/latin1.yaml", "--at", S2], ["latin1.yaml", "UTF-8"]),
    ("economy-nul", ["check", "{T}/nul.yaml"], ["nul.yaml", "line 1, column 8", "control characters"]),
    ("economy-plain-text", ["irf", "{T}/notes.txt"], ["notes.txt"]),
    ("economy-directory", ["check", "{T}/a_directory"], ["a_directory", "directory"]),
    ("economy-missing", ["fixed-points", "{T}/nowhere.yaml"], ["nowhere.yaml", "No such file"]),
    ("economy-missing-certify", ["certify", "{T}/nowhere.yaml", "--at", S2], ["nowhere.yaml"]),
    ("economy-missing-derive", ["derive", "{T}/nowhere.yaml", "-o", "{T}/x.tex"], ["nowhere.yaml"]),
    ("economy-missing-plot", ["plot", "{T}/nowhere.yaml", "-o", "{T}/x.png"], ["nowhere.yaml"]),
    ("economy-missing-corrigendum", ["corrigendum", "{T}/nowhere.yaml", "-o", "{T}/x.tex"], ["nowhere.yaml"]),
]

KIND_CASES = [  # a file of one kind where another belongs: say which it is and what reads it
    (f"model-to-{cmd}", [cmd, M3, *extra], ["DSGE model file", "geo-sym dsge"])
    for cmd, extra in [
        ("check", []),
        ("jacobian", ["--at", S2]),
        ("irf", []),
        ("fixed-points", []),
        ("certify", ["--at", S2]),
        ("stability-map", []),
        ("corrigendum", ["-o", "{T}/x.tex"]),
    ]
] + [
    ("mod-to-check", ["check", MOD], ["DSGE model file", "geo-sym dsge"]),
    ("mod-to-irf", ["irf", MOD], ["DSGE model file", "geo-sym dsge"]),
    ("mod-to-jacobian", ["jacobian", MOD, "--at", S2], ["DSGE model file", "geo-sym dsge"]),
    ("economy-to-dsge", ["dsge", E2], ["economy file", "geo-sym check"]),
    ("economy-json-to-dsge", ["dsge", "{T}/e_json_big.json"], ["1000 digits"]),
    ("economy-to-convert", ["convert", E2, "-o", "{T}/x.yaml"], [".mod"]),
    ("economy-to-verify", ["verify", E2], ["economy file", "not a witness file"]),
    ("state-to-verify", ["verify", S2], ["state file", "--at"]),
    ("economy-as-state", ["jacobian", E2, "--at", E2], ["economy file", "--at"]),
    ("state-as-economy", ["check", S2], ["state file", "--at"]),
    ("sweep-as-economy", ["check", SW], ["sweep spec", "geo-sym sweep"]),
    ("economy-as-sweep", ["sweep", E2], ["economy file", "sweep spec"]),
    ("model-as-sweep", ["sweep", M3], ["DSGE model file", "sweep spec"]),
    ("verdicts-as-economy", ["check", "{T}/verdicts.json"], ["verdict", "geo-sym verify"]),
]

STATE_CASES = [
    ("state-missing-pi", ["jacobian", E2, "--at", "{T}/s_missing_pi.json"], ["pi"]),
    ("state-short-y", ["jacobian", E2, "--at", "{T}/s_short_y.json"], ["y"]),
    ("state-p-off-simplex", ["certify", E2, "--at", "{T}/s_p_off_simplex.json"], ["price simplex"]),
    ("state-pi-negative", ["jacobian", E2, "--at", "{T}/s_pi_negative.json"], ["pi"]),
    ("state-text-number", ["jacobian", E2, "--at", "{T}/s_text.json"], ["y", "abc"]),
    ("state-nan", ["jacobian", E2, "--at", "{T}/s_nan.json"], ["y", "nan"]),
    ("state-infinity", ["certify", E2, "--at", "{T}/s_inf.json"], ["y", "inf"]),
    ("state-5000-digits", ["jacobian", E2, "--at", "{T}/s_big.json"], ["line 1", "1000 digits"]),
    ("state-json-syntax", ["jacobian", E2, "--at", "{T}/s_syntax.json"], ["line 2", "column", "valid JSON"]),
    ("state-list", ["jacobian", E2, "--at", "{T}/s_list.json"], ["s_list.json"]),
    ("state-empty", ["certify", E2, "--at", "{T}/s_empty.json"], ["s_empty.json"]),
    ("state-deeply-nested", ["jacobian", E2, "--at", "{T}/s_nested.json"], ["s_nested.json", "deep"]),
    ("state-huge", ["jacobian", E2, "--at", "{T}/s_huge.json"], ["y", "1e200", "1e100"]),
    ("state-y-outside", ["jacobian", E2, "--at", "{T}/s_y_outside.json"], ["y"]),
    ("state-missing", ["jacobian", E2, "--at", "{T}/nowhere.json"], ["nowhere.json"]),
    ("state-directory", ["certify", E2, "--at", "{T}/a_directory"], ["a_directory", "directory"]),
    ("state-binary", ["jacobian", E2, "--at", "{T}/binary.yaml"], ["binary.yaml"]),
    ("plot-at-missing", ["plot", E2, "--at", "{T}/nowhere.json", "-o", "{T}/x.png"], ["nowhere.json"]),
]

MODEL_CASES = [
    ("model-no-equations", ["dsge", "{T}/m_no_equations.yaml"], ["equations"]),
    ("model-unknown-name", ["dsge", "{T}/m_unknown_name.yaml"], ["zz"]),
    ("model-equation-count", ["dsge", "{T}/m_equation_count.yaml"], ["equation"]),
    ("model-equation-syntax", ["dsge", "{T}/m_equation_syntax.yaml"], ["equations[1]"]),
    ("model-equation-eval", ["dsge", "{T}/m_equation_eval.yaml"], ["__import__"]),
    ("model-equation-attribute", ["dsge", "{T}/m_equation_attr.yaml"], ["equations[1]"]),
    ("model-timing-fraction", ["dsge", "{T}/m_timing_fraction.yaml"], ["equations[1]"]),
    ("model-param-text", ["dsge", "{T}/m_param_text.yaml"], ["kappa", "abc"]),
    ("model-param-5000-digits", ["dsge", "{T}/m_param_5000.yaml"], ["line 4", "1000 digits"]),
    ("model-param-5000-digit-text", ["dsge", "{T}/m_param_5000_text.yaml"], ["kappa", "1000 digits"]),
    ("model-param-overflow", ["dsge", "{T}/m_param_overflow.yaml"], ["kappa", "1e999"]),
    ("model-param-cycle", ["dsge", "{T}/m_param_cycle.yaml"], ["kappa"]),
    ("model-unknown-key", ["dsge", "{T}/m_unknown_key.yaml"], ["solver"]),
    ("model-duplicate-variable", ["dsge", "{T}/m_dup_variable.yaml"], ["x"]),
    ("model-shock-std-negative", ["dsge", "{T}/m_shock_std_negative.yaml"], ["eps_v", "-1"]),
    ("model-shock-unknown", ["dsge", "{T}/m_shock_unknown.yaml"], ["eps_zz"]),
    ("model-steady-unknown", ["dsge", "{T}/m_steady_unknown.yaml"], ["zz"]),
    ("model-variables-scalar", ["dsge", "{T}/m_variables_scalar.yaml"], ["variables"]),
    ("model-yaml-syntax", ["dsge", "{T}/m_syntax.yaml"], ["line", "column", "valid YAML"]),
    ("model-empty", ["dsge", "{T}/m_empty.yaml"], ["m_empty.yaml", "empty"]),
    ("model-stoch-simul-bad", ["dsge", "{T}/m_stoch_simul_bad.yaml"], ["irf", "-5"]),
    ("model-tolerance-bad", ["dsge", "{T}/m_tolerance_bad.yaml"], ["unit_circle", "-1"]),
    (
        "model-simulation-overflows",
        ["dsge", "{T}/m_rbc_huge_shock.yaml", "--loglinear", "--simulate", "10", "--json"],
        ["overflow", "--deviations"],
    ),
    ("mod-no-semicolon", ["dsge", "{T}/m_no_semicolon.mod"], ["m_no_semicolon.mod"]),
    ("mod-unknown-statement", ["dsge", "{T}/m_unknown_statement.mod"], ["frobnicate"]),
    ("mod-undeclared", ["dsge", "{T}/m_undeclared.mod"], ["zz"]),
    ("mod-unclosed-model", ["dsge", "{T}/m_unclosed.mod"], ["m_unclosed.mod", "line 13", "end;"]),
    ("mod-parameter-value", ["dsge", "{T}/m_param_value.mod"], ["kappa"]),
    ("mod-empty", ["dsge", "{T}/m_empty.mod"], ["m_empty.mod"]),
    ("mod-binary", ["dsge", "{T}/m_binary.mod"], ["m_binary.mod", "UTF-8"]),
    ("mod-convert-binary", ["convert", "{T}/m_binary.mod", "-o", "{T}/x.yaml"], ["m_binary.mod"]),
    ("model-missing", ["dsge", "{T}/nowhere.yaml"], ["nowhere.yaml"]),
    ("model-directory", ["dsge", "{T}/a_directory"], ["a_directory", "directory"]),
    ("model-plain-text", ["dsge", "{T}/notes.txt"], ["notes.txt"]),
    ("model-derive-syntax", ["derive", "{T}/m_syntax.yaml", "-o", "{T}/x.tex"], ["line", "valid YAML"]),
    ("model-plot-unknown-name", ["plot", "{T}/m_unknown_name.yaml", "--kind", "irf", "-o", "{T}/x.png"], ["zz"]),
]

DSGE_OPTION_CASES = [
    ("dsge-periods-zero", ["dsge", M3, "--irf", "--periods", "0"], ["--periods", "0"]),
    ("dsge-periods-negative", ["dsge", M3, "--irf", "--periods", "-1"], ["--periods", "-1"]),
    ("dsge-periods-text", ["dsge", M3, "--irf", "--periods", "ten"], ["--periods", "ten"]),
    ("dsge-periods-huge", ["dsge", M3, "--irf", "--periods", "100000000"], ["--periods", "100000000", "10000"]),
    ("dsge-periods-float", ["dsge", M3, "--irf", "--periods", "2.5"], ["--periods", "2.5"]),
    ("dsge-periods-without-irf", ["dsge", M3, "--periods", "5"], ["--periods", "--irf"]),
    ("dsge-simulate-zero", ["dsge", M3, "--simulate", "0"], ["--simulate", "0"]),
    ("dsge-simulate-huge", ["dsge", M3, "--simulate", "1000000000"], ["--simulate", "1000000"]),
    ("dsge-drop-negative", ["dsge", M3, "--simulate", "10", "--drop", "-1"], ["--drop", "-1"]),
    ("dsge-seed-negative", ["dsge", M3, "--simulate", "10", "--seed", "-7"], ["--seed", "-7"]),
    ("dsge-ar-negative", ["dsge", M3, "--ar", "-1"], ["--ar", "-1"]),
    ("dsge-hp-zero", ["dsge", M3, "--hp-filter", "0"], ["--hp-filter", "0"]),
    ("dsge-hp-nan", ["dsge", M3, "--hp-filter", "nan"], ["--hp-filter", "nan"]),
    ("dsge-conditional-zero", ["dsge", M3, "--conditional", "0"], ["--conditional", "0"]),
    ("dsge-conditional-text", ["dsge", M3, "--conditional", "a,b"], ["--conditional", "a,b"]),
    ("dsge-conditional-reversed", ["dsge", M3, "--conditional", "8:1"], ["--conditional", "8:1"]),
    ("dsge-conditional-huge", ["dsge", M3, "--conditional", "1:99999999999"], ["--conditional"]),
    ("dsge-tol-zero", ["dsge", M3, "--tol", "0"], ["--tol", "0"]),
    ("dsge-tol-negative", ["dsge", M3, "--tol", "-1e-6"], ["--tol", "-1e-6"]),
    ("dsge-tol-nan", ["dsge", M3, "--tol", "nan"], ["--tol", "nan"]),
    ("dsge-tol-inf", ["dsge", M3, "--tol", "inf"], ["--tol", "inf"]),
    ("dsge-tol-one", ["dsge", M3, "--tol", "1"], ["--tol", "1"]),
    ("dsge-set-no-equals", ["dsge", M3, "--set", "beta"], ["--set", "beta"]),
    ("dsge-set-no-name", ["dsge", M3, "--set", "=1"], ["--set", "=1"]),
    ("dsge-set-no-value", ["dsge", M3, "--set", "beta="], ["beta"]),
    ("dsge-set-unknown", ["dsge", M3, "--set", "gamma=1"], ["gamma"]),
    ("dsge-set-text", ["dsge", M3, "--set", "beta=abc"], ["beta", "abc"]),
    ("dsge-set-eval", ["dsge", M3, "--set", "beta=__import__('os')"], ["beta"]),
    ("dsge-set-5000-digits", ["dsge", M3, "--set", f"beta={BIG}"], ["beta", "1000 digits"]),
    ("dsge-irf-unknown-shock", ["dsge", M3, "--irf", "eps_zz"], ["eps_zz", "eps_v"]),
    ("dsge-csv-is-file", ["dsge", M3, "--csv", "{T}/csv_is_a_file"], ["--csv", "csv_is_a_file"]),
    ("dsge-csv-missing-parent", ["dsge", M3, "--csv", "{T}/no/such/dir"], ["--csv", "does not exist"]),
    ("dsge-plot-extension", ["dsge", M3, "--irf", "--plot", "{T}/x.xyz"], ["--plot", ".png"]),
    ("dsge-plot-missing-dir", ["dsge", M3, "--irf", "--plot", "{T}/no/x.png"], ["--plot", "does not exist"]),
    ("dsge-plot-directory", ["dsge", M3, "--irf", "--plot", "{T}/a_directory"], ["--plot", "directory"]),
    ("dsge-unknown-option", ["dsge", M3, "--order", "2"], ["--order"]),
    ("convert-not-mod", ["convert", M3, "-o", "{T}/x.yaml"], [".mod"]),
    ("convert-output-extension", ["convert", MOD, "-o", "{T}/x.txt"], ["-o", ".yaml"]),
    ("convert-output-missing-dir", ["convert", MOD, "-o", "{T}/no/x.yaml"], ["-o", "does not exist"]),
    ("convert-missing-output", ["convert", MOD], ["-o"]),
    ("convert-missing-input", ["convert", "{T}/nowhere.mod", "-o", "{T}/x.yaml"], ["nowhere.mod"]),
]

ORCHESTRATION_CASES = [
    ("irf-shock-unknown", ["irf", ET, "--shock", "meteor"], ["meteor"]),
    ("irf-shock-bad-agent", ["irf", ET, "--shock", "latency:zz"], ["zz"]),
    ("irf-size-zero", ["irf", ET, "--size", "0"], ["--size", "0"]),
    ("irf-size-nan", ["irf", ET, "--size", "nan"], ["--size", "nan"]),
    ("irf-size-inf", ["irf", ET, "--size", "inf"], ["--size", "inf"]),
    ("irf-size-text", ["irf", ET, "--size", "big"], ["--size", "big"]),
    ("irf-periods-zero", ["irf", ET, "--periods", "0"], ["--periods", "0"]),
    ("irf-periods-huge", ["irf", ET, "--periods", "100000000"], ["--periods", "100000000"]),
    ("irf-policy-bogus", ["irf", ET, "--policy", "magic"], ["--policy", "magic"]),
    ("irf-phi-nan", ["irf", ET, "--policy", "taylor", "--phi-lat", "nan"], ["--phi-lat", "nan"]),
    ("irf-phi-without-policy", ["irf", ET, "--phi-lat", "2"], ["--phi-lat", "--policy taylor"]),
    ("irf-tol-negative", ["irf", ET, "--tol", "-1"], ["--tol", "-1"]),
    ("irf-plot-extension", ["irf", ET, "--plot", "{T}/x.xyz"], ["--plot", ".png"]),
    ("irf-plot-missing-dir", ["irf", ET, "--plot", "{T}/no/x.png"], ["--plot", "does not exist"]),
    ("irf-no-shocks", ["irf", E2], ["--shock", "shocks"]),
    ("irf-policy-without-slo", ["irf", E2, "--shock", "load", "--policy", "taylor"], ["slo"]),
    ("map-grid-two-parts", ["stability-map", ET, "--phi-lat", "0:1"], ["--phi-lat", "0:1"]),
    ("map-grid-text", ["stability-map", ET, "--phi-lat", "a:b:c"], ["--phi-lat", "a:b:c"]),
    ("map-grid-zero-points", ["stability-map", ET, "--phi-lat", "0:1:0"], ["--phi-lat", "0:1:0"]),
    ("map-grid-huge", ["stability-map", ET, "--phi-lat", "0:1:100000"], ["--phi-lat", "0:1:100000"]),
    ("map-grid-nan", ["stability-map", ET, "--phi-qual", "nan:1:3"], ["--phi-qual", "nan:1:3"]),
    ("map-tol-nan", ["stability-map", ET, "--tol", "nan"], ["--tol", "nan"]),
    ("map-plot-extension", ["stability-map", ET, "--plot", "{T}/map.jpeg2000"], ["--plot", ".png"]),
    ("map-without-slo", ["stability-map", E2], ["slo"]),
]

CERTIFY_CASES = [
    ("certify-radius-zero", ["certify", E2, "--at", S2, "--radius", "0"], ["--radius", "0"]),
    ("certify-radius-negative", ["certify", E2, "--at", S2, "--radius", "-1"], ["--radius", "-1"]),
    ("certify-radius-nan", ["certify", E2, "--at", S2, "--radius", "nan"], ["--radius", "nan"]),
    ("certify-radius-inf", ["certify", E2, "--at", S2, "--radius", "inf"], ["--radius", "inf"]),
    ("certify-radius-text", ["certify", E2, "--at", S2, "--radius", "tiny"], ["--radius", "tiny"]),
    ("certify-max-boxes-zero", ["certify", E2, "--contraction", "--max-boxes", "0"], ["--max-boxes", "0"]),
    ("certify-max-boxes-text", ["certify", E2, "--contraction", "--max-boxes", "many"], ["--max-boxes", "many"]),
    ("certify-norm-bogus", ["certify", E2, "--contraction", "--norm", "l2"], ["--norm", "l2"]),
    ("certify-no-at", ["certify", E2], ["--at"]),
    ("fixed-points-max-boxes-zero", ["fixed-points", E2, "--all", "--max-boxes", "0"], ["--max-boxes", "0"]),
    ("fixed-points-max-boxes-negative", ["fixed-points", E2, "--all", "--max-boxes", "-3"], ["--max-boxes", "-3"]),
    ("fixed-points-time-limit-zero", ["fixed-points", E2, "--all", "--time-limit", "0"], ["--time-limit", "0"]),
    ("fixed-points-time-limit-nan", ["fixed-points", E2, "--all", "--time-limit", "nan"], ["--time-limit", "nan"]),
    ("fixed-points-starts-negative", ["fixed-points", E2, "--starts", "-1"], ["--starts", "-1"]),
    ("fixed-points-seed-text", ["fixed-points", E2, "--seed", "abc"], ["--seed", "abc"]),
    ("fixed-points-all-too-large", ["fixed-points", E63, "--all"], ["tangent coordinates", "12"]),
]

CHECK_CASES = [
    ("check-claim-unknown", ["check", "--claim", "thm-9.9"], ["--claim", "thm-9.9", "thm-3.1"]),
    ("check-claim-empty", ["check", "--claim", ""], ["--claim"]),
    ("check-seed-negative", ["check", "--seed", "-1"], ["--seed", "-1"]),
    ("check-seed-float", ["check", "--seed", "1.5"], ["--seed", "1.5"]),
    ("check-seed-huge", ["check", "--seed", "1" + "0" * 30], ["--seed"]),
    ("check-latex-extension", ["check", "--latex", "{T}/report.pdf"], ["--latex", ".tex"]),
    ("check-latex-missing-dir", ["check", "--latex", "{T}/no/report.tex"], ["--latex", "does not exist"]),
    ("check-latex-directory", ["check", "--latex", "{T}/a_directory"], ["--latex", "directory"]),
    ("check-pdf-without-latex", ["check", "--pdf"], ["--pdf", "--latex"]),
    ("check-unknown-option", ["check", "--claims", "thm-3.1", "--fast"], ["--fast"]),
    ("check-two-economies", ["check", E2, E2], ["unrecognized"]),
    ("verify-missing", ["verify", "{T}/nowhere.json"], ["nowhere.json"]),
    ("verify-syntax", ["verify", "{T}/v_syntax.json"], ["line 1", "column", "valid JSON"]),
    ("verify-scalar", ["verify", "{T}/v_scalar.json"], ["witness"]),
    ("verify-5000-digits", ["verify", "{T}/v_big.json"], ["1000 digits"]),
    ("verify-empty", ["verify", "{T}/v_empty.json"], ["v_empty.json"]),
    ("verify-directory", ["verify", "{T}/a_directory"], ["a_directory", "directory"]),
    ("verify-binary", ["verify", "{T}/binary.yaml"], ["binary.yaml"]),
    ("verify-no-argument", ["verify"], ["WITNESS.json"]),
]

DOCUMENT_CASES = [
    ("plot-output-extension", ["plot", E2, "-o", "{T}/x.xyz"], ["-o", "x.xyz", ".png"]),
    ("plot-output-no-extension", ["plot", E2, "-o", "{T}/figure"], ["-o", ".png"]),
    ("plot-output-missing-dir", ["plot", E2, "-o", "{T}/no/such/x.png"], ["-o", "does not exist"]),
    ("plot-output-directory", ["plot", E2, "-o", "{T}/a_directory"], ["-o", "directory"]),
    ("plot-output-empty", ["plot", E2, "-o", ""], ["-o"]),
    ("plot-dpi-zero", ["plot", E2, "-o", "{T}/x.png", "--dpi", "0"], ["--dpi", "0", "1200"]),
    ("plot-dpi-negative", ["plot", E2, "-o", "{T}/x.png", "--dpi", "-5"], ["--dpi", "-5"]),
    ("plot-dpi-huge", ["plot", E2, "-o", "{T}/x.png", "--dpi", "100000"], ["--dpi", "100000"]),
    ("plot-dpi-text", ["plot", E2, "-o", "{T}/x.png", "--dpi", "high"], ["--dpi", "high"]),
    ("plot-dpi-float", ["plot", E2, "-o", "{T}/x.png", "--dpi", "72.5"], ["--dpi", "72.5"]),
    ("plot-kind-bogus", ["plot", E2, "-o", "{T}/x.png", "--kind", "pie"], ["--kind", "pie"]),
    ("plot-n-zero", ["plot", E63, "--kind", "convergence", "-o", "{T}/x.png", "--n", "0"], ["--n", "0"]),
    ("plot-lam-two", ["plot", E63, "--kind", "convergence", "-o", "{T}/x.png", "--lam", "2"], ["--lam", "2"]),
    ("plot-periods-zero", ["plot", M3, "--kind", "irf", "-o", "{T}/x.png", "--periods", "0"], ["--periods", "0"]),
    ("plot-periods-huge", ["plot", M3, "--kind", "irf", "-o", "{T}/x.png", "--periods", "100000000"], ["--periods"]),
    (
        "plot-x-malformed",
        ["plot", E2, "--kind", "stability", "--x", "tau", "--y", "alpha=0.1:0.9", "-o", "{T}/x.png"],
        ["--x", "tau"],
    ),
    (
        "plot-x-unknown",
        ["plot", E2, "--kind", "stability", "--x", "zeta=1:2", "--y", "alpha=0.1:0.9", "-o", "{T}/x.png"],
        ["--x", "zeta"],
    ),
    ("plot-missing-output", ["plot", E2], ["-o"]),
    (
        "plot-grid-huge",
        ["plot", M3, "--kind", "stability", "--x", "phi_pi=0:3:100000", "--y", "phi_y=0:1:5", "-o", "{T}/x.png"],
        ["--x", "400"],
    ),
    (
        "plot-grid-infinite",
        ["plot", M3, "--kind", "stability", "--x", "phi_pi=0:inf", "--y", "phi_y=0:1:5", "-o", "{T}/x.png"],
        ["--x", "inf"],
    ),
    ("plot-set-economy", ["plot", E2, "-o", "{T}/x.png", "--set", "tau=1"], ["--set"]),
    ("derive-output-extension", ["derive", E2, "-o", "{T}/x.pdf"], ["-o", ".tex"]),
    ("derive-output-missing-dir", ["derive", E2, "-o", "{T}/no/x.tex"], ["-o", "does not exist"]),
    ("derive-plot-extension", ["derive", E2, "-o", "{T}/x.tex", "--plot", "{T}/x.xyz"], ["--plot", ".png"]),
    ("derive-periods-negative", ["derive", M3, "-o", "{T}/x.tex", "--periods", "-1"], ["--periods", "-1"]),
    ("derive-seed-negative", ["derive", E2, "-o", "{T}/x.tex", "--seed", "-1"], ["--seed", "-1"]),
    ("corrigendum-output-extension", ["corrigendum", "-o", "{T}/x.txt"], ["-o", ".tex"]),
    ("corrigendum-missing-output", ["corrigendum"], ["-o"]),
    ("region-unknown-param", ["region", E63, "--params", "nope"], ["--params", "nope", "tau"]),
    ("region-three-params", ["region", E63, "--params", "alpha", "tau", "gamma"], ["params", "at most 2"]),
    ("region-model-file", ["region", M3, "--params", "tau"], ["DSGE model file", "geo-sym dsge"]),
    ("region-bounds-text", ["region", E63, "--params", "tau=abc"], ["--params", "tau=abc", "LO:HI"]),
    ("region-plot-extension", ["region", E63, "--params", "tau", "--plot", "{T}/x.xyz"], ["--plot", ".png"]),
    ("region-latex-extension", ["region", E63, "--params", "tau", "--latex", "{T}/x.pdf"], ["--latex", ".tex"]),
    ("determinacy-economy-file", ["determinacy", E63, "--params", "tau"], ["economy file", "geo-sym check"]),
    ("determinacy-empty-bounds", ["determinacy", M3, "--params", "phi_pi=3:1"], ["--params", "lower bound"]),
    ("determinacy-points-zero", ["determinacy", M3, "--params", "phi_pi", "--points", "0"], ["--points", "0"]),
    ("determinacy-grid-one", ["determinacy", M3, "--params", "phi_pi", "--grid", "1"], ["--grid", "1"]),
    ("determinacy-set-overflow", ["determinacy", M3, "--params", "phi_pi", "--set", "phi_y=1e999"], ["phi_y", "1e999"]),
]

SWEEP_CASES = [
    ("sweep-missing", ["sweep", "{T}/nowhere.yaml"], ["nowhere.yaml"]),
    ("sweep-syntax", ["sweep", "{T}/w_syntax.yaml"], ["line", "column", "valid YAML"]),
    ("sweep-unknown-key", ["sweep", "{T}/w_unknown_key.yaml"], ["colour"]),
    ("sweep-missing-base", ["sweep", "{T}/w_missing_base.yaml"], ["nowhere.yaml"]),
    ("sweep-bad-path", ["sweep", "{T}/w_bad_path.yaml"], ["zeta"]),
    ("sweep-bad-grid", ["sweep", "{T}/w_bad_grid.yaml"], ["grid"]),
    ("sweep-bad-compute", ["sweep", "{T}/w_bad_compute.yaml"], ["happiness"]),
    ("sweep-bad-kind", ["sweep", "{T}/w_bad_kind.yaml"], ["kind", "lottery"]),
    ("sweep-base-is-model", ["sweep", "{T}/w_base_is_model.yaml"], ["DSGE model file"]),
    ("sweep-empty", ["sweep", "{T}/e_empty.yaml"], ["empty"]),
    ("sweep-workers-zero", ["sweep", SW, "--workers", "0"], ["--workers", "0"]),
    ("sweep-workers-text", ["sweep", SW, "--workers", "all"], ["--workers", "all"]),
    ("sweep-out-extension", ["sweep", SW, "--out", "{T}/results.csv"], ["--out", ".zarr"]),
    ("sweep-out-missing-dir", ["sweep", SW, "--out", "{T}/no/results.zarr"], ["--out", "does not exist"]),
    ("sweep-plot-extension", ["sweep", SW, "--plot", "{T}/x.xyz"], ["--plot", ".png"]),
]

SIZE_CASES = [  # computations too large for the input: refused with the sizes before allocating
    ("eigenvalues-of-248832-paths", ["plot", "{T}/dag_248832_paths.yaml", "-o", "{T}/x.png"], ["248832", "200000"]),
    ("eigenvalues-of-64000-paths", ["plot", "{T}/dag_64000_paths.yaml", "-o", "{T}/x.png"], ["64240", "GiB", "5000"]),
    ("jacobian-state-of-another-economy", ["jacobian", "{T}/dag_64000_paths.yaml", "--at", S2], ["y", "120 rows"]),
    ("fixed-points-of-64000-paths", ["fixed-points", "{T}/dag_64000_paths.yaml"], ["64240"]),
]

GLOBAL_CASES = [
    ("no-command", [], ["COMMAND"]),
    ("unknown-command", ["solve"], ["solve"]),
    ("unknown-global-option", ["--frobnicate", "check"], ["--frobnicate"]),
    ("jacobian-missing-at", ["jacobian", E2], ["--at"]),
    ("jacobian-reduced-exact", ["jacobian", E2, "--at", S2, "--reduced", "--exact"], ["--reduced"]),
]

CASES = (
    ECONOMY_CASES
    + KIND_CASES
    + STATE_CASES
    + MODEL_CASES
    + DSGE_OPTION_CASES
    + ORCHESTRATION_CASES
    + CERTIFY_CASES
    + CHECK_CASES
    + DOCUMENT_CASES
    + SWEEP_CASES
    + SIZE_CASES
    + GLOBAL_CASES
)


def test_the_table_is_large_and_its_ids_unique():
    ids = [c[0] for c in CASES]
    assert len(ids) >= 150
    assert len(set(ids)) == len(ids)


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path_factory):
    monkeypatch.chdir(
        tmp_path_factory.mktemp("cwd")
    )  # a command that wrongly succeeds writes nothing in the repository
    monkeypatch.delenv("GEO_SYM_DEBUG", raising=False)
    monkeypatch.delenv("GEO_SYM_PROGRESS", raising=False)
    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.mark.filterwarnings("error::RuntimeWarning", "error::UserWarning")
@pytest.mark.parametrize("case_id, argv, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_one_clear_line(case_id, argv, expected, files, capsys):
    if case_id == "verdicts-as-economy":
        (files / "verdicts.json").write_text('[{"id": "thm-3.1", "status": "refuted", "witness": {}}]')
    args = [a.replace("{T}", str(files)) for a in argv]
    code = main(args)
    out, err = capsys.readouterr()
    assert code not in (0, 3), (code, err)
    assert out == "", out
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith("geo-sym: error: "), err
    for text in expected:
        assert text.replace("{T}", str(files)) in err, (text, err)


def test_no_input_file_was_modified_or_created_by_failed_commands(files):
    """Bad input is refused before any work: no figure, report or CSV folder appears."""
    for name in ("x.png", "x.tex", "x.yaml", "map.jpeg2000", "report.tex", "no"):
        assert not (files / name).exists(), name


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_named(tmp_path, capsys):
    p = tmp_path / "secret.yaml"
    p.write_text(TWO)
    p.chmod(0)
    code = main(["check", str(p)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "secret.yaml" in err and "Permission denied" in err


# --------------------------------------------------------------------------------------- the API
API_ECONOMY = [name for name in ECONOMY_FILES if name.endswith(".yaml")]


@pytest.mark.parametrize("name", API_ECONOMY)
def test_load_economy_raises_a_typed_error(name, files):
    from geo_sym import load_economy
    from geo_sym.errors import GeoSymError

    with pytest.raises(GeoSymError) as info:
        load_economy(files / name)
    assert isinstance(info.value, ValueError)  # every input error is also a ValueError
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", [n for n in MODEL_FILES if n != "m_rbc_huge_shock.yaml"] + ["e_empty.yaml"])
def test_load_model_raises_a_typed_error(name, files, tmp_path, monkeypatch):
    import dsge
    from geo_sym.errors import GeoSymError

    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path))
    with pytest.raises(GeoSymError) as info:
        dsge.load_model(files / name)
    assert isinstance(info.value, ValueError)
    assert "\n" not in str(info.value)


def test_a_simulation_that_overflows_raises_a_typed_error(files, tmp_path, monkeypatch):
    import dsge
    from geo_sym.errors import SolverError

    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path))
    sol = dsge.load_model(files / "m_rbc_huge_shock.yaml").solve(loglinear=True)
    with pytest.raises(SolverError, match="overflow double precision"):
        sol.simulate(10, seed=0, levels=True)
    assert sol.simulate(10, seed=0).values.shape == (10, 6)  # deviations of 1e100 are finite


def test_the_api_names_the_kind_of_file():
    import dsge
    from geo_sym import load_economy
    from geo_sym.errors import ModelFileError

    with pytest.raises(ModelFileError, match="DSGE model file.*geo-sym dsge"):
        load_economy(M3)
    with pytest.raises(ModelFileError, match="DSGE model file.*geo-sym dsge"):
        load_economy(MOD)
    with pytest.raises(ModelFileError, match="economy file.*geo-sym check"):
        dsge.load_model(E2)


@pytest.mark.parametrize("name", list(STATE_FILES))
def test_load_state_raises_a_typed_error(name, files):
    from geo_sym import load_economy
    from geo_sym.economy.state import load_state
    from geo_sym.errors import GeoSymError

    econ = load_economy(E2)
    with pytest.raises(GeoSymError) as info:
        load_state(econ, files / name)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", [n for n in SWEEP_FILES if n.startswith("w_")])
def test_load_spec_raises_a_typed_error(name, files):
    from geo_sym.errors import GeoSymError
    from geo_sym.sweep.spec import load_spec

    with pytest.raises(GeoSymError):
        load_spec(files / name)


# ------------------------------------------------------------------------------ a real process
@pytest.mark.parametrize(
    "argv",
    [
        ["plot", E2, "-o", "x.xyz"],
        ["check", "{T}/e_tau_5000_digits.yaml"],
        ["irf", M3],
        ["dsge", M3, "--irf", "--periods", "100000000"],
    ],
    ids=["extension", "5000-digits", "model-to-irf", "periods"],
)
def test_a_real_process_prints_one_line(argv, files, tmp_path):
    """The console entry point, in its own process: one line on stderr (no warnings, no usage block)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), GEO_SYM_CACHE=str(tmp_path))
    env.pop("GEO_SYM_DEBUG", None)
    args = [a.replace("{T}", str(files)) for a in argv]
    r = subprocess.run([sys.executable, "-m", "geo_sym", *args], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("geo-sym: error: "), r.stderr
