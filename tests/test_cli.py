"""The geo-sym command line: JSON shapes, numbers checked independently, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geo_sym.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies" / "two_by_two.yaml"
STATE = ROOT / "examples" / "economies" / "two_by_two_state.json"


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def _phi_by_hand(x, alpha=0.1, beta=0.1, tau=10.0):
    """Φ_K of the two-by-two economy written out independently (paths a1b1, a1b2, a2b1, a2b2; u = 1; boxes [0,1])."""
    y, p, pi = x[:4], x[4:8], x[8:]
    M = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]], dtype=float)
    d = M @ pi
    y_new = np.clip(y + alpha * (d - y), 0, 1)
    q = np.maximum(0, p + beta * (d - y))
    p_new = q / q.sum()
    V = M.T @ (p * y)
    e = np.exp(-V / tau)
    return np.concatenate([y_new, p_new, e / e.sum()])


def test_jacobian_json_matches_an_independent_finite_difference(capsys):
    code, out, err = run(["jacobian", str(ECON), "--at", str(STATE), "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    x0 = np.array([1 / 2, 1 / 4, 1 / 3, 1 / 5, 1 / 4, 1 / 4, 1 / 4, 1 / 4, 1 / 4, 1 / 4, 1 / 4, 1 / 4])
    assert np.allclose(d["value"], _phi_by_hand(x0), atol=1e-12)
    h = 1e-6
    fd = np.column_stack([(_phi_by_hand(x0 + h * e) - _phi_by_hand(x0 - h * e)) / (2 * h) for e in np.eye(12)])
    assert np.abs(np.array(d["jacobian"]) - fd).max() < 1e-8
    assert d["tangent_dimension"] == 4 + 3 + 3
    assert d["active_set"]["at_kink"] is False
    assert len(d["eigenvalues"]) == 10 and d["labels"][0] == "y[a1,1]"


def test_exact_jacobian_json_has_exact_entries(capsys):
    code, out, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--exact", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    # y' = y + (1/10)(d - y): a1: 1/2 + (1/2 - 1/2)/10 = 1/2; a2: 1/4 + (1/2 - 1/4)/10 = 11/40
    assert d["exact"]["value"][:2] == ["1/2", "11/40"]
    assert d["exact"]["jacobian"][0][0] == "9/10"
    assert len(d["exact"]["tangent_charpoly"]) == 11


def test_reduced_jacobian_has_the_same_nonzero_eigenvalues(capsys):
    _, full, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--json"], capsys)
    _, red, _ = run(["jacobian", str(ECON), "--at", str(STATE), "--reduced", "--json"], capsys)
    ev = lambda s: sorted(abs(complex(*z)) for z in json.loads(s)["eigenvalues"] if abs(complex(*z)) > 1e-9)
    assert np.allclose(ev(full), ev(red), atol=1e-10)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["jacobian", "missing.yaml", "--at", "x.json"], "missing.yaml"),
        (["jacobian", str(ECON), "--at", "missing.json"], "missing.json"),
        (["check", "--claim", "thm-9.9"], "thm-3.1"),
        (["check", "missing.yaml"], "missing.yaml"),
    ],
)
def test_bad_input_prints_one_line_and_exits_2(argv, message, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("geo-sym: error:") and message in err
    assert "Traceback" not in err


def test_state_outside_the_simplex_is_rejected(tmp_path, capsys):
    bad = tmp_path / "s.json"
    bad.write_text(json.dumps({"y": [[0], [0], [0], [0]], "p": [[1], [1], [0], [0]], "pi": ["1/4"] * 4}))
    code, _, err = run(["jacobian", str(ECON), "--at", str(bad)], capsys)
    assert code == 2 and "price simplex" in err


def test_check_json_for_one_claim(capsys):
    code, out, _ = run(["check", "--claim", "lem-4.2", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    assert [v["id"] for v in d] == ["lem-4.2"]
    assert {"id", "statement", "status", "holds_under", "method", "witness", "seconds"} <= set(d[0])


def test_check_writes_latex(tmp_path, capsys):
    tex = tmp_path / "r.tex"
    code, out, _ = run(["check", "--claim", "thm-3.1", "--claim", "ex-6.3", "--latex", str(tex)], capsys)
    assert code == 0 and "thm-3.1" in out
    text = tex.read_text()
    assert text.startswith("\\documentclass") and text.rstrip().endswith("\\end{document}")


def test_console_script_help():
    r = subprocess.run([sys.executable, "-m", "geo_sym", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for cmd in ("jacobian", "check", "verify", "dsge"):
        assert cmd in r.stdout
