""".mod files as published ones are written: Dynare's macro processor, keywords in any case, attributes with
parentheses, Latin-1 text, steady_state(x), steady_state_model reassignments, MATLAB code around the model.

Expected values are derived by hand from Dynare's documented semantics (macro processor: the manual's
"Macro processing language" chapter; steady_state(x): the steady-state value, a constant of the dynamic model).
A whole file with all of these is compared with Dynare itself in test_dynare.py (nk_features.mod).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dsge import load_model
from dsge.model.macro import expand
from dsge.model.mod_file import read_mod, read_mod_file
from geo_sym.errors import ModelFileError, ParseError

AR1 = "var x;\nvarexo e;\nparameters rho;\nrho = 0.5;\nmodel;\nx = rho*x(-1) + e;\nend;\n"


def _lines(text: str, **defines) -> list[str]:
    out, _, _ = expand(text, "m.mod", defines or None)
    return [line.strip() for line in out.split("\n") if line.strip()]


@pytest.mark.parametrize(
    "text, kept",
    [
        ("@#define a = 1\n@#if a == 1\nyes\n@#else\nno\n@#endif\n", ["yes"]),
        ("@#define a = 0\n@#if a\nyes\n@#elseif a + 1 == 1\nsecond\n@#else\nno\n@#endif\n", ["second"]),
        ("@#ifdef b\nyes\n@#endif\n@#ifndef b\nno-b\n@#endif\n", ["no-b"]),
        ('@#define s = "ab"\n@#if s == "ab" && !(1 > 2) || false\nyes\n@#endif\n', ["yes"]),
        ("@#for k in 1:3\nx@{k} = @{k*2};\n@#endfor\n", ["x1 = 2;", "x2 = 4;", "x3 = 6;"]),
        ('@#for c in ["a", "b"]\nv_@{c};\n@#endfor\n', ["v_a;", "v_b;"]),
        ("@#define n = 2\n@#for i in 1:n\n@#if i == 2\nlast @{i}\n@#endif\n@#endfor\n", ["last 2"]),
        ("@#define L = [1, 2, 3]\nsize @{length(L)} @{L}\n", ["size 3 [1, 2, 3]"]),
        ("@# if defined(zz)\nyes\n@# else\nno\n@# endif\n", ["no"]),
        ("@#define r = 7/2\nhalf @{r} and @{4/2}\n", ["half 3.5 and 2"]),
    ],
)
def test_macro_directives_expand_as_dynares_processor(text, kept):
    assert _lines(text) == kept


def test_macro_defines_from_outside_and_line_map():
    out, where, _ = expand("a\n@#if flag\nb\n@#endif\n@#for k in 1:2\nc@{k}\n@#endfor", "m.mod", {"flag": True})
    assert out.split("\n") == ["a", "b", "c1", "c2"]
    assert where == [1, 3, 6, 6]  # each expanded line points at the file's line it came from


def test_macro_include_is_relative_to_the_file_and_not_cached(tmp_path):
    (tmp_path / "params.inc").write_text("rho = 0.25;\n")
    mod = tmp_path / "m.mod"
    mod.write_text(AR1.replace("rho = 0.5;\n", '@#include "params.inc"\n') + "shocks;\nvar e; stderr 1;\nend;\n")
    first = load_model(mod)
    assert first.parameters["rho"] == 0.25
    (tmp_path / "params.inc").write_text("rho = 0.75;\n")
    assert load_model(mod).parameters["rho"] == 0.75  # a changed include is read again


@pytest.mark.parametrize(
    "text, message",
    [
        ("x\n@#if 1 +\ny\n@#endif\n", r"line 2.*macro expression"),
        ("@#for k in 3\nx\n@#endfor\n", r"line 1.*array or a range"),
        ('@#error "stop here"\n', r"line 1.*stop here"),
        ("@#define a = 1 / 0\n", r"line 1.*division by zero"),
        ("a\n@#else\n", r"line 2.*matching @#if"),
        ('@#include "missing.inc"\n', r"line 1.*readable file"),
        ('@#if "text"\nx\n@#endif\n', r"line 1.*true or false"),
    ],
)
def test_bad_macro_input_is_one_error_with_its_line(text, message):
    with pytest.raises(ModelFileError, match=message):
        expand(text, "m.mod")


def test_commented_out_directives_do_nothing():
    data = read_mod('// @#define x = 1\n/* @#error "no" */\n' + AR1).data
    assert data["variables"] == ["x"]


def test_keywords_in_any_case_and_attributes_with_parentheses():
    text = (
        "VAR c ${c}$ (long_name='consumption (intensive form)') k (long_name='capital (per worker)');\n"
        "VarExo e;\nPARAMETERS beta $\\beta$ (long_name='discount (quarterly)');\nbeta = 0.99;\n"
        "Model;\nc = beta*c(+1) + e;\nk = k(-1) + c;\nEND;\n"
    )
    d = read_mod(text).data
    assert d["variables"] == ["c", "k"] and d["shocks"] == ["e"] and d["parameters"] == {"beta": "0.99"}
    assert d["latex_names"] == {"c": "{c}", "beta": "\\beta"}


def test_latin1_file_and_binary_file(tmp_path):
    mod = tmp_path / "m.mod"
    mod.write_bytes(("// Galí (2015)\n" + AR1).encode("latin-1"))
    assert read_mod_file(mod).data["variables"] == ["x"]
    mod.write_bytes(b"var x;\x00\n")
    with pytest.raises(ModelFileError, match="NUL"):
        read_mod_file(mod)


def test_steady_state_operator_is_a_constant_of_the_dynamic_model(tmp_path):
    """x = rho x(-1) + e with level y = ybar*exp(x) and yhat = log(y) - log(steady_state(y)) = x exactly."""
    text = (
        "var x y yhat;\nvarexo e;\nparameters rho ybar;\nrho = 0.5;\nybar = 3;\n"
        "model;\nx = rho*x(-1) + e;\ny = ybar*exp(x);\nyhat = log(y) - log(steady_state(y));\nend;\n"
        "initval;\ny = 1;\nend;\nshocks;\nvar e; stderr 0.1;\nend;\n"
    )
    mod = tmp_path / "ss.mod"
    mod.write_text(text)
    model = load_model(mod, cache=False)
    sol = model.solve()
    values = dict(zip(sol.variables, sol.steady_state.values))
    assert values["y"] == pytest.approx(3.0, rel=1e-12) and values["yhat"] == pytest.approx(0.0, abs=1e-12)
    irf = sol.irfs(4)["e"]
    # yhat responds like x (0.1, 0.05, ...): the derivative of log(steady_state(y)) is zero, not -1/y
    assert np.allclose(irf["yhat"], 0.1 * 0.5 ** np.arange(4), rtol=1e-12, atol=1e-15)
    assert np.allclose(irf["yhat"], irf["x"], rtol=1e-12, atol=1e-15)
    # static system: yhat = log(y) - log(y) = 0 for every y, so its Jacobian row is (0, 0, 1) in (x, y, yhat)
    jac = model.static_jacobian([0.0, 2.0, 0.0])
    assert np.allclose(jac[2], [0.0, 0.0, 1.0], atol=1e-15)


def test_steady_state_of_something_else_is_an_error():
    text = AR1.replace("x = rho*x(-1) + e;", "x = rho*steady_state(rho) + e;")
    with pytest.raises(ParseError, match=r"steady_state\(VARIABLE\)"):
        load_model_text(text)


def load_model_text(text: str):
    from dsge.model.model_file import read_model_spec

    mod = read_mod(text)
    return read_model_spec(mod.data, source="m.mod", notes=mod.notes, default_std="0")


def test_steady_state_model_reassignment_uses_the_earlier_value():
    text = (
        "var x y;\nvarexo e;\nparameters a;\na = 2;\nmodel;\nx = 0.5*x(-1) + e;\ny = a*exp(x);\nend;\n"
        "steady_state_model;\nx = 0;\ny = a;\ny = y*exp(x);\nend;\n"
    )
    mod = read_mod(text)
    assert mod.data["steady_state_model"] == {"x": "0", "y__1": "a", "y": "y__1*exp(x)"}
    assert any("assigned again" in n for n in mod.notes)


def test_matlab_around_the_model_is_noted_and_reading_stops_after_stoch_simul():
    text = (
        "title_string = 'An AR(1)'\n" + AR1 + "options_.TeX = 1;\ncase_name = 'base';\n"
        "shocks;\nvar e; stderr 1;\nend;\nstoch_simul(order=1, irf=3, TeX, pruning);\n"
        "figure\nplot(oo_.irfs.x_e)\nrho = 0.9;\nstoch_simul(irf=5);\n"
    )
    mod = read_mod(text)
    assert mod.data["parameters"] == {"rho": "0.5"}  # the assignment after stoch_simul is not read
    assert mod.data["stoch_simul"]["irf"] == 3
    notes = " | ".join(mod.notes)
    for expected in ("title_string", "options_.TeX", "case_name", "not read", "tex ignored", "pruning ignored"):
        assert expected in notes, expected


def test_unterminated_matlab_before_stoch_simul_is_still_an_error():
    with pytest.raises(ModelFileError, match=r"line 8.*ending with ';'"):
        read_mod(AR1 + "figure\n")


def test_shocks_overwrite_discards_earlier_blocks_and_estimation_blocks_are_skipped():
    text = (
        AR1 + "shocks;\nvar e; stderr 5;\nend;\nshocks(overwrite);\nvar e = 0.04;\nend;\n"
        "varobs x;\nestimated_params;\nrho, beta_pdf, 0.5, 0.1;\nend;\nstoch_simul(irf=2);\n"
    )
    mod = read_mod(text)
    assert mod.data["shock_var"] == {"e": "0.04"} and mod.data.get("shock_std", {}) == {}
    assert any("estimated_params" in n for n in mod.notes) and any("varobs" in n for n in mod.notes)


def test_set_param_value_is_an_assignment():
    mod = read_mod(AR1 + "set_param_value('rho', 0.25);\n")
    assert mod.data["parameters"]["rho"] == "0.25"


def test_constant_variable_has_no_variance_shares_or_correlations(tmp_path):
    """z = x - x is constant; its variance is rounding noise at most: shares and correlations are n/a (NaN)."""
    mod = tmp_path / "c.mod"
    mod.write_text(
        "var x z;\nvarexo e u;\nparameters rho;\nrho = 0.5;\nmodel;\nx = rho*x(-1) + e + 0.3*u;\n"
        "z = 1.1*x - 1.1*x;\nend;\nshocks;\nvar e; stderr 1;\nvar u; stderr 1;\nend;\n"
    )
    sol = load_model(mod, cache=False).solve()
    vd = sol.variance_decomposition()
    assert np.all(np.isnan(vd.shares[1])) and vd.shares[0] == pytest.approx([100 / 1.09, 9 / 1.09])
    m = sol.moments()
    assert math.isnan(m.correlation[0, 1]) and math.isnan(m.autocorrelation[1, 0])
    assert m.correlation[0, 0] == pytest.approx(1.0)


DEFAULTED = (
    "@#ifndef persistence\n  @#define persistence = 0.5\n@#endif\n"
    + AR1.replace("rho = 0.5;", "rho = @{persistence};")
    + "shocks;\nvar e; stderr 1;\nend;\nstoch_simul(order=1, irf=2, nomoments);\n"
)


def test_defines_from_outside_replace_the_files_defaults(tmp_path):
    mod = tmp_path / "d.mod"
    mod.write_text(DEFAULTED)
    assert load_model(mod, cache=False).parameters["rho"] == 0.5
    assert load_model(mod, defines={"persistence": "0.25"}).parameters["rho"] == 0.25
    assert load_model(mod, defines={"persistence": "0.75"}).parameters["rho"] == 0.75  # defines are in the cache key
    with pytest.raises(ModelFileError, match="macro value"):
        load_model(mod, defines={"persistence": "0.25 +"})


def test_define_on_the_command_line(tmp_path, capsys):
    import json

    from geo_sym.cli.main import main

    mod = tmp_path / "d.mod"
    mod.write_text(DEFAULTED)
    assert main(["dsge", str(mod), "-D", "persistence=0.25", "--json", "--no-cache"]) == 0
    irf = json.loads(capsys.readouterr().out)["irfs"]["e"]["x"]
    assert irf == pytest.approx([1.0, 0.25])
    assert main(["dsge", str(tmp_path / "d.mod"), "--define", "=1"]) == 2
    assert "--define" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, message",
    [
        ("@#if 1\n" * 3000 + "x\n" + "@#endif\n" * 3000, r"line 51.*nested more than 50 deep"),
        ("".join(f"@#for i{k} in 1:1\n" for k in range(2000)) + "x\n" + "@#endfor\n" * 2000, r"nested more than 50"),
        ("@#define a = " + "(" * 5000 + "1" + ")" * 5000 + "\n", r"line 1.*nested more than 40 deep"),
        ("@#define a = " + "-" * 5000 + "1\n", r"nested more than 40 deep"),
        ("@#define a = " + "[" * 3000 + "]" * 3000 + "\n", r"nested more than 40 deep"),
        ("@#for i in 1:100000000\nx@{i}\n@#endfor\n", r"at most a million"),
    ],
)
def test_deep_or_huge_macro_input_is_an_error_not_a_recursion_error(text, message):
    with pytest.raises(ModelFileError, match=message):
        expand(text, "m.mod")


def test_macro_arrays_are_indexed_from_one():
    text = '@#define c = ["H", "F"]\n@#define s = "abc"\nrho_@{c[1]}_@{c[2]} @{c[2:2]} @{s[2]} @{c[[2, 1]]}\n'
    assert _lines(text) == ['rho_H_F ["F"] b ["F", "H"]'.replace('"', "")]
    with pytest.raises(ModelFileError, match="index 3 outside 1..2"):
        expand("@#define c = [1, 2]\n@{c[3]}\n", "m.mod")
    with pytest.raises(ModelFileError, match="indexed"):
        expand("@#define c = 5\n@{c[1]}\n", "m.mod")


def test_stoch_simul_without_order_is_noted_as_dynares_order_2():
    notes = " ".join(read_mod(AR1 + "stoch_simul;\n").notes)
    assert "default is order=2" in notes and "order 1" in notes
    assert "default is order=2" not in " ".join(read_mod(AR1 + "stoch_simul(order=1);\n").notes)
