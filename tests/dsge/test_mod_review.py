"""Adversarial review of the .mod reader (issue 12): Dynare's semantics and hostile input.

Expected behaviour comes from Dynare 5.3 itself (run under Octave on the same text; quoted where it
matters) or from its manual, never from the code under test:

* the macro processor computes with doubles (``@#define big = 2`` squared twelve times echoes ``inf``
  in Dynare 5.3, not a 1234-digit integer);
* ``@#elseif``/``@#else`` after ``@#else`` is Dynare's "syntax error, unexpected ELSEIF, expecting ENDIF";
* parameter assignments run in the order of the file (Dynare writes them into the driver in order:
  ``a = 0.1; b = a; a = 0.2;`` gives ``M_.params = [0.2 0.1]`` and ``c = 0.3; c = c*2;`` gives 0.6).

Hostile input (huge loops, includes of devices or of themselves, malformed blocks) must end quickly
with one :class:`geo_sym.errors.ModelFileError` naming the line.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from dsge.model.macro import expand
from geo_sym.errors import GeoSymError, ModelFileError


def _lines(text: str, **defines) -> list[str]:
    out, _, _ = expand(text, "m.mod", defines or None)
    return [line.strip() for line in out.split("\n") if line.strip()]


# -- macro processor -------------------------------------------------------------------------------------
def test_macro_numbers_are_doubles_so_repeated_squaring_overflows_instead_of_growing_forever():
    # 2 squared 40 times is 2**(2**40): as a Python integer it never finishes; as a double it is inf (Dynare: inf)
    text = "@#define x = 2\n@#for i in 1:40\n@#define x = x*x\n@#endfor\n@#if x > 1e308\nhuge\n@#endif\n"
    assert _lines(text) == ["huge"]


def test_macro_integer_valued_results_print_without_a_decimal_point():
    assert _lines("@#define n = 3\nx@{n*2} @{7/2} @{n - 3}\n") == ["x6 3.5 0"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a\n@#define x = 1e400\n@#for i in 1:x\n@#endfor\n", 3, "range of integers"),  # was an OverflowError
        ("@#define x = 1e400\ny = @{x};\n", 2, "not finite"),  # 'inf' is no number of the model language
        ("@#define x = 1e400 - 1e400\ny = @{x};\n", 2, "not finite"),
        ("@#if 0\na\n@#else\nb\n@#elseif 1\nc\n@#endif\n", 5, "@#elseif after @#else"),
        ("@#if 0\na\n@#else\nb\n@#else\nc\n@#endif\n", 5, "@#else after @#else"),
        ("@#if 1\na\n@#endfor\n", 3, "@#endif closing the block of line 1"),
        ("@#for i in 1:2\na\n@#endif\n", 3, "@#endfor closing the block of line 1"),
    ],
)
def test_bad_macro_input_is_one_error_naming_the_files_line(text, line, message):
    with pytest.raises(ModelFileError, match=rf"line {line}\b.*{message}|{message}.*line {line}\b") as info:
        expand(text, "m.mod")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "@#for i in 1:1000000\n@#for j in 1:1000000\n@#endfor\n@#endfor\n",  # 1e12 passes, nothing written
        "@#for i in 1:1000\n@#for j in 1:1000\n@#for k in 1:1000\n@#define z = k\n@#endfor\n@#endfor\n@#endfor\n",
    ],
)
def test_loops_without_output_end_with_an_error_not_a_hang(text):
    with pytest.raises(ModelFileError, match="macro steps"):
        expand(text, "m.mod")


def test_a_file_including_itself_many_times_ends(tmp_path):
    # 10 self-includes per level, 16 levels: 10**16 inclusions, none writing a line
    bomb = tmp_path / "bomb.inc"
    bomb.write_text('@#include "bomb.inc"\n' * 10)
    with pytest.raises(ModelFileError, match="@#include"):
        expand('@#include "bomb.inc"\n', str(tmp_path / "m.mod"))


def test_include_of_a_device_or_a_binary_file_is_an_error(tmp_path):
    with pytest.raises(ModelFileError, match="line 2.*regular file"):
        expand('a\n@#include "/dev/zero"\n', str(tmp_path / "m.mod"))  # reading it would never end
    (tmp_path / "bin.inc").write_bytes(b"x = 1;\x00\x01")
    with pytest.raises(ModelFileError, match="line 1.*NUL"):
        expand('@#include "bin.inc"\n', str(tmp_path / "m.mod"))


def test_defines_given_as_python_values():
    assert _lines("@{n} @{flag}\n", n=4, flag=True) == ["4 true"]
    with pytest.raises(ModelFileError, match="define n"):
        expand("@{n}\n", "m.mod", {"n": 10**400})


# -- cache -------------------------------------------------------------------------------------------------
def test_an_include_after_a_comment_is_not_served_stale_from_the_cache(tmp_path, monkeypatch):
    from dsge import load_model

    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path / "cache"))
    (tmp_path / "p.inc").write_text("a = 0.5;\n")
    mod = tmp_path / "m.mod"
    mod.write_text(
        '/* calibration */ @#include "p.inc"\nvar y; varexo e; parameters a;\n'
        "model; y = a*y(-1) + e; end;\nshocks; var e; stderr 1; end;\n"
    )
    assert load_model(mod).parameters["a"] == 0.5  # the comment is removed first: the directive runs
    (tmp_path / "p.inc").write_text("a = 0.25;\n")
    assert load_model(mod).parameters["a"] == 0.25


# -- parameter assignments run in order, as Dynare's driver runs them ------------------------------------
def _spec(text: str):
    from dsge.model.mod_file import read_mod
    from dsge.model.model_file import read_model_spec

    mod = read_mod(text)
    return read_model_spec(mod.data, source="m.mod", notes=mod.notes, default_std="0")


_AR = " model; y = a*b*y(-1) + e; end; shocks; var e; stderr 1; end;"


@pytest.mark.parametrize(
    "assignments, expected",
    [
        ("a = 0.1; b = a; a = 0.2;", {"a": "0.2", "b": "0.1"}),  # Dynare 5.3: M_.params = [0.2 0.1]
        ("a = 0.3; a = a*2; b = 1;", {"a": "0.6", "b": "1"}),  # Dynare 5.3: 0.6 (was: "a cycle a -> a")
        ("a = 0.1; b = 1; set_param_value('a', a*3);", {"a": "0.3", "b": "1"}),
        ("a = 0.1; b = 2*a; a = a + 0.1; b = b + a;", {"a": "0.2", "b": "0.4"}),  # b = 2*0.1 + 0.2
    ],
)
def test_parameter_assignments_run_in_the_order_of_the_file(assignments, expected):
    spec = _spec("var y; varexo e; parameters a b; " + assignments + _AR)
    assert spec.parameters == {k: Fraction(v) for k, v in expected.items()}  # exact: decimals read as rationals


def test_a_shocks_block_uses_the_values_parameters_have_where_it_stands():
    # Dynare 5.3 on this text: M_.Sigma_e = 0.01 although sig is 0.2 at stoch_simul
    spec = _spec(
        "var y; varexo e; parameters a sig; a = 0.5; sig = 0.1;\nmodel; y = a*y(-1) + e; end;\n"
        "shocks; var e; stderr sig; end;\nsig = 0.2;\n"
    )
    assert spec.shock_cov[0][0] == pytest.approx(0.01, rel=1e-15)
    assert spec.parameters["sig"] == Fraction("0.2")


# -- stoch_simul options -----------------------------------------------------------------------------------
_BASE = "var y; varexo e; parameters a; a = 0.5;\nmodel; y = a*y(-1) + e; end;\n"


@pytest.mark.parametrize(
    "option, message",
    [
        ("irf=²", "non-negative integer"),  # '²'.isdigit() is True but int('²') raised ValueError
        ("irf=" + "9" * 5000, "non-negative integer"),  # int() of 5000 digits raised ValueError
        ("conditional_variance_decomposition=[1:100000000]", "between 1 and 10000"),  # filled the memory
    ],
)
def test_bad_stoch_simul_options_are_one_error_with_the_line(option, message):
    from dsge.model.mod_file import read_mod

    with pytest.raises(ModelFileError, match=f"line 3.*{message}"):
        read_mod(_BASE + f"stoch_simul({option});\n")


def test_qz_criterium_error_names_the_line(tmp_path):
    from dsge import load_model

    path = tmp_path / "m.mod"
    path.write_text(_BASE + "shocks; var e; stderr 1; end;\nstoch_simul(qz_criterium=nan);\n")
    with pytest.raises(GeoSymError, match="line 4.*unit_circle"):
        load_model(path, cache=False)


# -- statements ---------------------------------------------------------------------------------------------
def test_a_renamed_steady_state_value_does_not_take_the_name_of_a_helper(tmp_path):
    # y = 0, then y = y + y__2 with the helper y__2 = 5: y is 5 (the model's steady state: 2.5/(1-0.5));
    # the earlier y was renamed y__2 too, overwriting the helper, and y came out 0
    from dsge import load_model

    path = tmp_path / "m.mod"
    path.write_text(
        "var y; varexo e; parameters c0; c0 = 2.5;\nmodel; y = c0 + 0.5*y(-1) + e; end;\n"
        "steady_state_model; y__2 = 5; y = 0; y = y + y__2; end;\nshocks; var e; stderr 1; end;\n"
    )
    assert list(load_model(path, cache=False).analytic_steady_state()) == [5.0]


def test_options_without_a_closing_parenthesis_are_an_error():
    # Dynare 5.3: "line 3, col 18: syntax error, unexpected ';', expecting COMMA or ')'"; reading stopped
    # at this 'stoch_simul' and reported a model without equations
    from dsge.model.mod_file import read_mod

    with pytest.raises(ModelFileError, match=r"line 3.*closed by '\)'"):
        read_mod(_BASE + "stoch_simul(irf=3;\n")


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_statement(tmp_path):
    from dsge.model.mod_file import read_mod_file

    path = tmp_path / "m.mod"
    path.write_bytes(b"\xef\xbb\xbf" + _BASE.encode())
    assert read_mod_file(path).data["variables"] == ["y"]


# -- steady_state(x) ----------------------------------------------------------------------------------------
def test_determinacy_region_uses_the_steady_state_that_steady_state_x_stands_for(tmp_path):
    # y = c0 + a*ss(y)*y(-1) + e - a*ss(y)^2: static y = c0 = 2, so the root is a*ss(y) = 2a (by hand):
    # backward only, stable iff 2a < 1. The residuals are linear in y, y(-1), so the steady state was
    # "not needed" and steady_state(y) was read at 0: determinate on all of [0, 1]
    from dsge.solution.determinacy import determinacy_region

    path = tmp_path / "m.mod"
    path.write_text(
        "var y; varexo e; parameters a c0;\na = 0.25; c0 = 2;\n"
        "model; y = c0 + a*steady_state(y)*y(-1) + e - a*steady_state(y)^2; end;\nshocks; var e; stderr 1; end;\n"
    )
    region = determinacy_region(path, ["a"], bounds={"a": (0, 1)}, check_points=20)
    assert region.classify(a="1/4") == "determinate"
    assert region.classify(a="3/4") == "no-stable-solution"
    assert region.classify(a="1/2") == "boundary"


@pytest.mark.parametrize(
    "text",
    [
        '@#define s = "x"\n@#for i in 1:60\n@#define s = s + s\n@#endfor\n',  # 2**60 characters
        "@#define L = 1:1000000\n@#for i in 1:100000\n@{L}\n@#endfor\n",  # 100000 lines of 7 MB each
    ],
)
def test_expansions_that_would_fill_the_memory_are_an_error(text):
    with pytest.raises(ModelFileError, match="line [34].*(million characters|20 MB)"):
        expand(text, "m.mod")


def test_an_error_inside_an_included_file_names_that_file_and_its_line(tmp_path):
    (tmp_path / "a.inc").write_text("a = 0.5;\n\n@#include 5\n")
    with pytest.raises(ModelFileError, match=r"a\.inc, line 3: .*file name in quotes"):
        expand('x\n@#include "a.inc"\n', str(tmp_path / "m.mod"))


@pytest.mark.parametrize(
    "text, line",
    [
        ("var y;\nvarexo e;\nparameters a;\na = 0.5;\nmodel; y = a*y(-1) + e; end;\nshocks;\nvar e = -1;\nend;\n", 7),
        ("var y;\nvarexo e;\nparameters a;\nvar y;\na = 0.5;\nmodel; y = a*y(-1) + e; end;\n", 4),
        ("var y;\nvarexo e;\nparameters a;\na = 0.5;\nmodel;\n# a = 2;\ny = a*y(-1) + e;\nend;\n", 6),
    ],
)
def test_validation_errors_of_a_mod_file_name_the_line(tmp_path, text, line):
    from dsge import load_model

    path = tmp_path / "m.mod"
    path.write_text(text)
    with pytest.raises(GeoSymError, match=rf"m\.mod, line {line}:"):
        load_model(path, cache=False)


def test_initval_runs_in_order():
    # Dynare writes initval into the driver in order: y = 1; c = y; y = y*3 leaves c = 1 and y = 3
    # (y = y*3 was "variables given a value before they are used ('y' is not yet)")
    spec = _spec("var y c; varexo e; model; y = 3 + e; c = 1 + e; end; initval; y = 1; c = y; y = y*3; end;")
    assert spec.guess == (3.0, 1.0)


def test_macro_values_are_written_with_15_significant_digits_as_dynare_writes_them():
    # Dynare 5.3 (savemacro) writes a = @{1/3}; b = @{123456789012}; c = @{0.1 + 0.2}; as
    # "a = 0.333333333333333; b = 123456789012; c = 0.3;"
    text = "@#define r = 1/3\na = @{r}; b = @{123456789012}; c = @{0.1 + 0.2};\n"
    assert _lines(text) == ["a = 0.333333333333333; b = 123456789012; c = 0.3;"]


def test_ifdef_takes_one_name():
    with pytest.raises(ModelFileError, match="line 2.*@#ifdef NAME"):
        expand("a\n@#ifdef a b\nyes\n@#endif\n", "m.mod")  # was read as "not defined"


def test_two_copies_of_a_mod_file_keep_their_own_names_through_the_cache(tmp_path, monkeypatch):
    # a .mod model is named after its file: the cache served the first copy's name for the second
    from dsge import load_model

    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path / "cache"))
    text = _BASE + "shocks; var e; stderr 1; end;\n"
    (tmp_path / "first.mod").write_text(text)
    (tmp_path / "second.mod").write_text(text)
    assert load_model(tmp_path / "first.mod").name == "first"
    assert load_model(tmp_path / "second.mod").name == "second"


def test_convert_writes_yaml_that_reads_back_to_the_same_model(tmp_path):
    # reassigned parameters, a shocks block frozen before a reassignment, steady_state(x), a renamed
    # steady_state_model value and predetermined_variables: the YAML must give the same numbers
    import numpy as np

    from dsge import load_model
    from dsge.model.convert import convert_mod

    mod = tmp_path / "rt.mod"
    mod.write_text(
        "var y c k a;\nvarexo e;\nparameters alpha beta delta rho sig;\npredetermined_variables k;\n"
        "alpha = 0.33; beta = 0.99; delta = 0.025; rho = 0.5; sig = 0.01;\nrho = rho*1.8;\n"
        "model;\n# r = alpha*exp(a(+1))*k(+1)^(alpha-1);\n1/c = beta/c(+1)*(r + 1 - delta);\n"
        "y = exp(a)*k^alpha;\nk(+1) = y - c + (1-delta)*k;\na = rho*a(-1) + e + 0.1*(y/steady_state(y) - 1);\n"
        "end;\nsteady_state_model;\na = 0;\nk = ((1/beta - 1 + delta)/alpha)^(1/(alpha-1));\ny = k^alpha;\n"
        "c = y - delta*k;\ny = y*1;\nend;\nshocks; var e; stderr sig; end;\nsig = 0.5;\n"
    )
    text, _ = convert_mod(mod)
    yaml_path = tmp_path / "rt.yaml"
    yaml_path.write_text(text)
    a, b = load_model(mod, cache=False), load_model(yaml_path, cache=False)
    assert a.parameter_names == b.parameter_names and a.variables == b.variables
    assert np.array_equal(a.parameter_values, b.parameter_values)
    assert dict(zip(a.parameter_names, a.parameter_values))["rho"] == pytest.approx(0.9, rel=1e-15)
    assert a.shock_cov[0, 0] == b.shock_cov[0, 0] == pytest.approx(1e-4, rel=1e-12)  # sig where the block stands
    assert np.array_equal(a.analytic_steady_state(), b.analytic_steady_state())
    sa, sb = a.solve(), b.solve()
    assert np.array_equal(np.asarray(sa.transition), np.asarray(sb.transition))
