"""``geo-sym determinacy`` and ``geo-sym region``: JSON shape, files written, one-line errors (exit code 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo_sym.cli.main import main
from geo_sym.cli.regions import parse_param_specs
from geo_sym.errors import NumberFormatError, ValidationError

ROOT = Path(__file__).resolve().parents[2]
NK3 = ROOT / "examples" / "models" / "nk3.yaml"
EX63 = ROOT / "examples" / "economies" / "example_6_3.yaml"


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_determinacy_json(capsys):
    code, out, err = run(
        ["determinacy", str(NK3), "--params", "phi_pi=0:", "phi_y=0:", "--json", "--points", "50"], capsys
    )
    assert code == 0, err
    d = json.loads(out)
    assert d["params"] == ["phi_pi", "phi_y"]
    assert d["fixed"]["beta"] == "99/100"
    assert d["regions"]["determinate"] == [["10*phi_pi + phi_y - 10 > 0"]]
    assert d["regions"]["indeterminate"] == [["-10*phi_pi - phi_y + 10 > 0"]]
    assert d["regions"]["no-stable-solution"] == []
    assert d["boundary"] == [["10*phi_pi + phi_y - 10 >= 0", "-10*phi_pi - phi_y + 10 >= 0"]]
    assert d["check"]["points"] == 50 and d["check"]["agreed"] + d["check"]["skipped_near_boundary"] == 50
    assert err == ""  # --json: no progress bar


def test_determinacy_text_plot_and_latex(tmp_path, capsys):
    png, tex = tmp_path / "nk.png", tmp_path / "nk.tex"
    argv = ["determinacy", str(NK3), "--params", "phi_pi=0:3", "--set", "phi_y=1/4", "--points", "30"]
    code, out, err = run(argv + ["--plot", str(png), "--latex", str(tex), "--grid", "12"], capsys)
    assert code == 0, err
    assert "determinate:" in out and "boundary (a root on the unit circle):" in out and "phi_y = 1/4" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = tex.read_text()
    assert text.startswith(r"\documentclass") and r"\end{document}" in text and r"\includegraphics" in text


def test_region_json_on_example_6_3(capsys):
    code, out, err = run(["region", str(EX63), "--params", "tau", "gamma", "--json", "--points", "40"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert d["fixed_point"]["mode"] == "tracked exactly"
    assert sorted(d["regions"]) == ["stable", "unstable"]
    # hand derivation (tests/regions/test_regions_economy.py): stable iff γ + 2τ > 0 and 40τ - γ > 0 at α = 1/10
    assert d["regions"]["stable"] == [["gamma + 2*tau > 0", "-gamma + 40*tau > 0"]]


@pytest.mark.parametrize(
    "argv, match",
    [
        (["determinacy", str(NK3), "--params", "phi_z"], "--params: got 'phi_z', expected a parameter of the model"),
        (["determinacy", str(NK3), "--params", "phi_pi", "phi_y", "kappa"], "one or two parameter names"),
        (["determinacy", str(NK3), "--params", "phi_pi", "--set", "beta=abc"], "--set beta"),
        (["determinacy", str(NK3), "--params", "phi_pi", "--set", "gamma=1"], "--set: got 'gamma'"),
        (["determinacy", str(NK3), "--params", "phi_pi=0"], "NAME=LO:HI"),
        (["determinacy", str(NK3), "--params", "phi_pi=a:b"], "lower bound"),
        (["determinacy", str(NK3), "--params", "phi_pi=2:1"], "smaller than the upper bound"),
        (["determinacy", str(NK3), "--params", "phi_pi", "phi_pi"], "each parameter named once"),
        (["determinacy", str(NK3), "--params", "phi_pi", "--pdf"], "--latex FILE.tex as well"),
        (["determinacy", str(NK3), "--params", "phi_pi", "--points", "0"], "--points"),
        (["determinacy", str(ROOT / "missing.yaml"), "--params", "phi_pi"], "missing.yaml"),
        (["region", str(EX63), "--params", "lambda"], "one of alpha, beta, tau, gamma, phi_lat, phi_qual"),
        (["region", str(EX63), "--params", "beta"], "tatonnement"),
        (["region", str(EX63), "--params", "phi_lat"], "taylor"),
        (["region", str(EX63), "--params", "alpha", "tau", "gamma"], "one or two parameter"),
    ],
)
def test_errors_are_one_line(argv, match, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err.startswith("geo-sym: error: ") and err.count("\n") == 1 and match in err, err


def test_bad_mod_file_is_one_line(tmp_path, capsys):
    mod = tmp_path / "m.mod"
    mod.write_text("var y;\n")
    code, out, err = run(["determinacy", str(mod), "--params", "rho"], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and "equations" in err, err


def test_parse_param_specs():
    assert parse_param_specs(["a", "b=0:", "c=:1/2", "d=-1:2.5"]) == (
        ["a", "b", "c", "d"],
        {"b": (0, None), "c": (None, pytest.approx(0.5)), "d": (-1, pytest.approx(2.5))},
    )
    with pytest.raises(NumberFormatError):
        parse_param_specs(["a=x:1"])
    with pytest.raises(ValidationError):
        parse_param_specs(["1a"])


def test_published_strings_re_evaluate_to_the_model_solution(capsys):
    """Anyone can re-evaluate the JSON: parse each inequality with the model grammar and compare with `dsge` QZ."""
    import numpy as np
    import sympy as sp

    from dsge.model.parser import parse_formula, to_sympy
    from dsge.solution.model import model_from_yaml

    code, out, err = run(["determinacy", str(NK3), "--params", "phi_pi", "phi_y", "--json", "--points", "20"], capsys)
    assert code == 0, err
    d = json.loads(out)
    syms = {("par", n, 0): sp.Symbol(n) for n in d["params"]}

    def holds(text, point):
        expr, op, _zero = text.rsplit(" ", 2)
        value = to_sympy(parse_formula(expr, parameters=d["params"]), syms).subs(point)
        return value > 0 if op == ">" else value >= 0

    rng = np.random.default_rng(21)
    text = NK3.read_text()
    compared = 0
    for _ in range(10):
        pv, yv = sp.Rational(int(rng.integers(-80, 240)), 80), sp.Rational(int(rng.integers(-80, 80)), 80)
        point = {sp.Symbol("phi_pi"): pv, sp.Symbol("phi_y"): yv}
        inside = [k for k, alts in d["regions"].items() if any(all(holds(q, point) for q in t) for t in alts)]
        on = any(all(holds(q, point) for q in t) for t in d["boundary"])
        assert len(inside) + on == 1
        sol = model_from_yaml(text, {"phi_pi": str(pv), "phi_y": str(yv)}).solve()
        if on or sol.bk.boundary:
            continue
        assert inside == [sol.bk.status]
        compared += 1
    assert compared >= 8
