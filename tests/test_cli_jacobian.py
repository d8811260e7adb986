"""``geo-sym jacobian``: text and JSON output, numeric and exact, checked against independent computations."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from geo_sym.cli import jacobian as cli_jacobian
from geo_sym.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies" / "two_by_two.yaml"
STATE = ROOT / "examples" / "economies" / "two_by_two_state.json"

ONE_AGENT = """\
name: one-agent
agents:
  - {name: a, demand: [1, 2, "1/2"], box: [[0, 1], [0, 1], [0, 1]]}
parameters: {alpha: "1/5", beta: "1/2", tau: 1}
"""
ONE_AGENT_STATE = '{"y": [["1/2", 1, "1/4"]], "p": [["1/3", "1/3", "1/3"]], "pi": [1]}'


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def one_agent(tmp_path):
    (tmp_path / "e.yaml").write_text(ONE_AGENT)
    (tmp_path / "s.json").write_text(ONE_AGENT_STATE)
    return str(tmp_path / "e.yaml"), str(tmp_path / "s.json")


def test_exact_text_shows_labelled_exact_entries_and_the_factored_charpoly(capsys):
    code, out, err = run(["jacobian", str(ECON), "--at", str(STATE), "--exact"], capsys)
    assert code == 0, err
    # y'_a = y_a + α(w_a − y_a) with α = 1/10: ∂y'_{a1}/∂y_{a1} = 9/10 and ∂y'_{a1}/∂π_{a1>b1} = 1/10
    assert "y[a1,1]   <- y[a1,1]    9/10" in out
    assert "y[a1,1]   <- pi[a1>b1]  1/10" in out
    # path values V = s_a + s_b with s = p·y = (1/8, 1/16, 1/12, 1/20); -V/τ differ by multiples of 1/2400
    assert "t = exp(1/2400)" in out and "L(t) = t^23 + t^15 + t^8 + 1" in out
    assert "χ(λ) = " in out and "f1(λ) = λ^3" in out
    assert "spectral radius in [" in out
    assert "True" not in out and "False" not in out


def test_exact_json_keeps_the_design_fields_and_adds_the_exact_charpoly(capsys):
    code, out, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--exact", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    for key in ("value", "jacobian", "eigenvalues", "active_set", "labels", "tangent_dimension"):
        assert key in d
    ex = d["exact"]
    assert ex["t"] == "exp(1/2400)"
    cp = ex["charpoly"]
    assert cp["degree"] == d["tangent_dimension"] == 10 == len(d["eigenvalues"])
    assert sum(f["degree"] * f["multiplicity"] for f in cp["factors"]) == 10
    assert len(ex["tangent_charpoly"]) == len(cp["coefficients"]) == 11
    # independent numeric evidence: the numeric backend's tangent eigenvalues (no --exact)
    _, num, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--json"], capsys)
    ev = np.array([complex(*z) for z in json.loads(num)["eigenvalues"]])
    lo, hi = ex["roots"]["spectral_radius"]
    assert lo - 1e-12 <= np.max(np.abs(ev)) <= hi + 1e-12
    centers = np.array([complex(*z) for z in d["eigenvalues"]])
    assert np.allclose(np.sort_complex(centers), np.sort_complex(ev), atol=1e-7)


def test_one_agent_factors_by_hand_in_the_text(one_agent, capsys):
    """α = 1/5 on two free coordinates, one clamped, prices 1/Σq = 8/15 twice (tests/geo_sym/test_charpoly.py)."""
    econ, state = one_agent
    code, out, _ = run(["jacobian", econ, "--at", state, "--exact"], capsys)
    assert code == 0
    line = next(x for x in out.splitlines() if x.strip().startswith("χ(λ)"))
    for piece in ("(λ - 4/5)^2", "(λ - 8/15)^2", "λ"):
        assert piece in line
    assert "t = exp" not in out  # one path: no transcendental


def test_without_python_flint_the_roots_are_null_and_say_why(monkeypatch, capsys):
    from geo_sym.errors import OptionalDependencyError
    from geo_sym.rigorous import roots

    def missing():
        raise OptionalDependencyError("python-flint is not installed")

    monkeypatch.setattr(roots, "require_flint", missing)
    code, out, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--exact", "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and d["exact"]["roots"] is None and "python-flint" in d["exact"]["roots_note"]
    assert len(d["eigenvalues"]) == 10


def test_numeric_table_fits_the_terminal_and_is_labelled(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "72")
    code, out, _ = run(["jacobian", str(ECON), "--at", str(STATE)], capsys)
    assert code == 0
    table = out[out.index("DΦ(x)") :].splitlines()[1:-1]
    assert all(len(line) <= 72 for line in table)
    assert any(line.strip().startswith("pi[a2>b2]") for line in table)
    assert "True" not in out and "False" not in out
    assert "shown as 0" in out


def test_float_noise_is_shown_as_zero_only_below_the_stated_tolerance():
    assert cli_jacobian._num(-1.1102e-16, 1.0) == "0"
    assert cli_jacobian._num(-1.1102e-16, 1e-10) == "-1.1102e-16"  # relative to the table's scale
    assert cli_jacobian._num(0.25, 1.0) == "0.25"


def test_long_listings_are_cut_with_a_pointer_to_json(capsys):
    cli_jacobian._listing([(f"y[{i}]", "x", "1") for i in range(cli_jacobian.MAX_LISTED + 3)])
    out = capsys.readouterr().out
    assert out.count("<-") == cli_jacobian.MAX_LISTED and "3 more (use --json" in out


def test_exact_with_reduced_is_one_clear_error(capsys):
    code, out, err = run(["jacobian", str(ECON), "--at", str(STATE), "--exact", "--reduced"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--reduced" in err


def test_help_describes_the_exact_output(capsys):
    assert main(["jacobian", "--help"]) == 0
    out = capsys.readouterr().out
    assert "charpoly" in out and "Arb" in out and "--quiet" in out


def test_a_factor_that_cannot_be_isolated_is_reported_not_guessed(monkeypatch, capsys):
    pytest.importorskip("flint")
    from geo_sym.rigorous import roots

    monkeypatch.setattr(roots, "_isolate", lambda coeffs, flint, prec: None)
    code, out, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--exact", "--json"], capsys)
    d = json.loads(out)
    assert code == 0 and d["exact"]["roots"]["spectral_radius"] is None
    assert all(f["roots"] is None and "not isolated" in f["note"] for f in d["exact"]["roots"]["factors"])
    assert len(d["eigenvalues"]) == 10  # floating-point eigenvalues instead
    code, text, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--exact"], capsys)
    assert "not isolated at 4096 bits" in text and "spectral radius in" not in text
