"""Statements found in Dynare's own test suite (``tests/**/*.mod`` of Dynare's repository) that geo-sym misread.

Each expectation comes from Dynare 5.3 (its preprocessor ``dynare_m`` or a full run under Octave on the
same text, quoted where it matters) or from a hand derivation, never from the code under test.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

import dsge
from dsge.model.macro import expand
from dsge.model.mod_file import read_mod
from geo_sym.errors import ModelFileError

#: y = 0.5 y(-1) + e + 0.3 z, z = 0.9 z(-1) + u, yobs = y; sd(e) = 0.1, sd(u) = 0.2
BASE = """\
var y z yobs;
varexo e u;
parameters rho;
rho = 0.5;
model;
  y = rho*y(-1) + e + 0.3*z;
  z = 0.9*z(-1) + u;
  yobs = y;
end;
shocks;
  var e; stderr 0.1;
  var u; stderr 0.2;
end;
"""


def _write(tmp_path, text, name="m.mod"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def _hand_covariance():
    """Var(z) = 0.04/(1 - 0.81); Cov(y, z) = C = 0.45 C + 0.3 Var(z); Var(y) = 0.25 Var(y) + 0.01 + 0.09 Var(z) + 0.27 C."""
    vz = 0.04 / 0.19
    c = 0.3 * vz / 0.55
    vy = (0.01 + 0.09 * vz + 0.27 * c) / 0.75
    return vy, vz, c


# -- measurement errors (tests/TeX/fs2000_corr_ME.mod, tests/kalman/likelihood_from_dynare/*_ME.mod) ---------
def test_a_measurement_error_on_an_observed_variable_is_ignored_as_dynare_does_in_stoch_simul(tmp_path):
    # Dynare 5.3 accepts stderr/corr on observed endogenous variables (varobs) and its stoch_simul results with
    # them equal those without (run side by side: identical to 1e-8; Var(yobs) = Var(y) = 0.0799362...)
    text = BASE + "varobs yobs y;\nshocks;\n  var yobs; stderr 0.05;\n  corr yobs, y = 0.3;\nend;\n"
    text += "stoch_simul(order=1, irf=0);\n"
    from dsge.solution.stoch_simul import stoch_simul

    model = dsge.load_model(_write(tmp_path, text), cache=False)
    assert np.allclose(np.array(model.shock_cov, dtype=float), np.diag([0.01, 0.04]), rtol=1e-15, atol=0)
    assert sum("measurement error" in n for n in model.notes) == 2
    res = stoch_simul(model)
    cov = np.asarray(res.moments.covariance, dtype=float)
    vy, vz, c = _hand_covariance()
    assert cov[0, 0] == pytest.approx(vy, rel=1e-12) and cov[2, 2] == pytest.approx(vy, rel=1e-12)
    assert cov[1, 1] == pytest.approx(vz, rel=1e-12) and cov[0, 1] == pytest.approx(c, rel=1e-12)


def test_varobs_after_stoch_simul_still_makes_a_measurement_error(tmp_path):
    # Dynare checks the shocks block against every varobs of the file (fs2000_corr_ME.mod declares it later)
    text = BASE + "shocks;\n  var yobs; stderr 0.05;\nend;\nstoch_simul(order=1, irf=0);\nvarobs yobs;\n"
    model = dsge.load_model(_write(tmp_path, text), cache=False)
    assert any("measurement error on yobs" in n for n in model.notes)


@pytest.mark.parametrize(
    "entry, message",
    [
        # Dynare 5.3: "setting a standard error on 'yobs' is not allowed, because it is neither an exogenous
        # variable nor an observed endogenous variable"
        ("var yobs; stderr 0.05;", r"line 16: got 'yobs', expected a declared exogenous variable .*varobs"),
        # Dynare 5.3: "setting a correlation between 'yobs' and 'e'is not allowed; correlations can only be
        # specified for exogenous or observed endogenous variables of same type"
        ("varobs_here corr yobs, e = 0.1;", r"line 16: got 'yobs, e', expected two shocks or two observed"),
    ],
)
def test_shocks_entries_on_other_endogenous_variables_are_errors(tmp_path, entry, message):
    observed = "varobs yobs;\n" if entry.startswith("varobs_here") else "\n"
    entry = entry.removeprefix("varobs_here ")
    text = BASE + observed + f"shocks;\n  {entry}\nend;\nstoch_simul(order=1);\n"
    with pytest.raises(ModelFileError, match=message):
        dsge.load_model(_write(tmp_path, text), cache=False)


# -- deterministic shocks (tests/ep/*.mod, tests/deterministic_simulations/*.mod) ----------------------------
def test_deterministic_shocks_are_refused_by_name_not_as_a_missing_stderr(tmp_path):
    text = BASE + "shocks;\n  var e;\n  periods 1:4;\n  values 0.1;\nend;\nstoch_simul(order=1);\n"
    with pytest.raises(ModelFileError, match=r"line 16: got 'var e; periods 1:4', expected no deterministic shocks"):
        dsge.load_model(_write(tmp_path, text), cache=False)


# -- the periods statement (tests/t_lag2a.mod, tests/variance_0.mod) -----------------------------------------
def test_the_periods_statement_is_stoch_simuls_periods_unless_it_sets_its_own():
    # Dynare 5.3's driver: 'periods 400;' is 'options_.periods = 400;' (with a deprecation warning), and a
    # stoch_simul(periods=10) after it sets options_.periods = 10
    mod = read_mod("periods 400;\n" + BASE + "stoch_simul(order=1, irf=0);\n")
    assert mod.data["stoch_simul"]["periods"] == 400
    assert any("line 1: the periods statement" in n for n in mod.notes)
    mod = read_mod("periods 400;\n" + BASE + "stoch_simul(order=1, periods=10);\n")
    assert mod.data["stoch_simul"]["periods"] == 10
    with pytest.raises(ModelFileError, match=r"line 1: .*non-negative integer"):
        read_mod("periods -3;\n" + BASE + "stoch_simul(order=1);\n")


# -- statements and options Dynare 5.3 accepts that do not change first-order results ----------------------
@pytest.mark.parametrize(
    "before, command, note",
    [
        ("", "check(nocheck);\nstoch_simul(order=1);", None),  # tests/fs2000/fs2000a.mod
        ("", "model_diagnostics;\nstoch_simul(order=1);", "model_diagnostics ignored"),  # tests/second_order/ds1.mod
        ("", "stoch_simul(order=1, simul);", "option simul ignored"),  # tests/variance_0.mod
        ("", "stoch_simul(order=1, k_order_solver);", "k_order_solver ignored"),  # tests/k_order_perturbation
        ("varobs yobs;\n", "observation_trends;\n  yobs (rho);\nend;\nstoch_simul(order=1);", "observation_trends"),
    ],
)
def test_options_that_do_not_change_first_order_results_are_accepted(before, command, note):
    plain = read_mod(BASE + before + "stoch_simul(order=1);\n")
    mod = read_mod(BASE + before + command + "\n")
    assert mod.data == plain.data
    assert note is None or any(note in n for n in mod.notes)


def test_model_option_cutoff_is_accepted():
    # tests/block_bytecode/*.mod: model(block, cutoff=0) (a threshold of the block decomposition only)
    plain = read_mod(BASE + "stoch_simul(order=1);\n")
    mod = read_mod(BASE.replace("model;", "model(cutoff=0);") + "stoch_simul(order=1);\n")
    assert mod.data == plain.data


# -- macro processor: 'in', array + and - (tests/example1_macro.mod) ---------------------------------------
@pytest.mark.parametrize(
    "expr, dynare",
    [  # Dynare 5.3 (dynare_m savemacro onlymacro) on '@{EXPR}'
        ("[1,2,2,3] - [2]", "[1, 3]"),
        ("2 in [1:3]", "false"),  # [1:3] is an array holding one array
        ("2 in 1:3", "true"),
        ("1 in [1] == true", "true"),  # 'in' binds tighter than '=='
        ('"ab" in ["ab", "c"]', "true"),
        ('[1, "a"] + ["b"]', "[1, a, b]"),
        ("1 in [1] && 2 in [1]", "false"),
    ],
)
def test_macro_array_operators_as_dynare_evaluates_them(expr, dynare):
    assert expand("@{" + expr + "}\n", "m.mod")[0].strip() == dynare


def test_macro_loop_building_an_array_and_membership_tests_from_example1_macro():
    text = """\
    @#define v = [ "a", 1, 2:3]
    @#define w = [ 1 ]
    @#for elt in v
    @#define w = w + [ elt ]
    @#endfor
    @{w}
    @{5 in v} @{"a" in v} @{v[2:3] == [1, [2, 3]]}
    """
    out = [line.strip() for line in expand(textwrap.dedent(text), "m.mod")[0].split("\n") if line.strip()]
    assert out == ["[1, a, 1, [2, 3]]", "false true true"]  # Dynare 5.3's output


@pytest.mark.parametrize("expr", ["[1] + 2:3", "[2] - 1", "1 in 2"])
def test_macro_type_mismatches_are_errors_as_in_dynare(expr):
    # Dynare 5.3: "Type mismatch for operands of + operator", "Second argument of `in` operator must be an array"
    with pytest.raises(ModelFileError, match="line 1"):
        expand("@{" + expr + "}\n", "m.mod")


# -- MATLAB steady-state files (tests/steady_state/walsh1_old_ss.mod, tests/identification/kim/kim2.mod) ------
@pytest.mark.parametrize("suffix", ["_steadystate.m", "_steadystate2.m"])
def test_a_matlab_steady_state_file_next_to_the_mod_is_named_in_a_note(tmp_path, suffix):
    # Dynare runs FILENAME_steadystate.m (or the older FILENAME_steadystate2.m) when it exists; geo-sym runs no MATLAB
    (tmp_path / f"m{suffix}").write_text("function [ys, params, check] = m_steadystate(ys, exo, M_, options_)\n")
    model = dsge.load_model(_write(tmp_path, BASE + "stoch_simul(order=1, irf=0);\n"), cache=False)
    assert any(n.startswith(f"m{suffix} (a MATLAB steady-state file") for n in model.notes)
    text = BASE + "steady_state_model;\n  y = 0; z = 0; yobs = 0;\nend;\nstoch_simul(order=1, irf=0);\n"
    model = dsge.load_model(_write(tmp_path, text), cache=False)
    assert not any("MATLAB steady-state file" in n for n in model.notes)


def test_macro_includepath_adds_a_folder_searched_by_later_includes(tmp_path):
    # tests/parallel/ls2003.mod: '@#includepath "folder"' then '@#include "endovars.mod"' (found in folder/);
    # Dynare 5.3 expands it to the declarations of folder/endovars.mod
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "endovars.mod").write_text("var y z yobs;\n")
    (tmp_path / "here.inc").write_text("// the including file's folder comes first\n")
    (tmp_path / "folder" / "here.inc").write_text("var wrong;\n")
    text = '@#includepath "folder"\n@#include "endovars.mod"\n@#include "here.inc"\n' + BASE.split("\n", 1)[1]
    model = dsge.load_model(_write(tmp_path, text + "stoch_simul(order=1, irf=0);\n"), cache=False)
    assert list(model.variables) == ["y", "z", "yobs"]
    with pytest.raises(ModelFileError, match=r"line 1: got '@#include \"endovars.mod\"', expected a readable file"):
        dsge.load_model(_write(tmp_path, text.split("\n", 1)[1], name="n.mod"), cache=False)


# -- Sigma_e (tests/t_lag2a.mod, tests/t_lag2_checka.mod, tests/test_matlab.mod) -----------------------------
@pytest.mark.parametrize(
    "matrix",
    ["[0.0025; (0.3*0.05*0.2) 0.04]", "[0.0025 (0.3*0.05*0.2); 0.04]"],  # lower and upper triangular
)
def test_sigma_e_replaces_the_covariance_matrix_as_dynare_does(matrix):
    # Dynare 5.3 writes 'M_.Sigma_e = [0.0025 0.003; 0.003 0.04]' (the whole matrix: the shocks block before it
    # is discarded), rows in the order of varexo, entries numbers or expressions in parentheses
    mod = read_mod(BASE + f"Sigma_e = {matrix};\nstoch_simul(order=1);\n")
    d = mod.data
    assert d["shock_var"] == {"e": "0.0025", "u": "0.04"} and "shock_std" not in d
    assert d["shock_cov"] == {"u": {"e": "(0.3*0.05*0.2)"}} or d["shock_cov"] == {"e": {"u": "(0.3*0.05*0.2)"}}
    assert mod.line_of("shock_var.e") == 14


@pytest.mark.parametrize(
    "matrix, message",
    [
        # Dynare 5.3: "Sigma_e: matrix is neither upper triangular nor lower triangular" (a full matrix too)
        ("[0.01 (0.002); 0.002 0.04]", "got 'Sigma_e = .*', expected Sigma_e as a lower or upper triangular matrix"),
        # Dynare 5.3: "syntax error, unexpected TIMES, expecting ';' or ']'"
        ("[0.01; 0.3*0.1 0.04]", "got '0.3\\*0.1', expected a number or an expression in parentheses"),
    ],
)
def test_sigma_e_errors_as_in_dynare(matrix, message):
    with pytest.raises(ModelFileError, match=f"line 14: {message}"):
        read_mod(BASE + f"Sigma_e = {matrix};\nstoch_simul(order=1);\n")
