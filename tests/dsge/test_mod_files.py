"""Dynare .mod files: the supported statements, errors that name the statement and its line, conversion."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest

import dsge
from dsge.model.mod_file import read_mod
from geo_sym.cli.main import main
from geo_sym.errors import ModelFileError, ParseError

RBC_LIKE = """\
// a comment
var c $c_t$ (long_name='consumption') k, z;   /* block
comment; with a semicolon */
varexo e;
parameters alpha beta rho r;
alpha = 0.36;  r = 1/beta - 1;  beta = 0.96;  % Matlab-style comment
rho = 0.9;
model;
  # mpk = alpha*exp(z(+1))*k^(alpha - 1);
  [name='Euler'] 1/c = beta*mpk/c(+1);
  c + k - exp(z)*k(-1)^alpha;
  z = rho*z(-1) + e;
end;
initval;
  k = 0.2;  c = k^alpha - k;  z = 0;
end;
shocks;
  var e; stderr 0.01;
end;
steady;
check;
write_latex_dynamic_model;
stoch_simul(order=1, irf=8, ar=2, nograph, conditional_variance_decomposition=[1 2:3]) c k;
"""


def write(tmp_path, text, name="m.mod"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_the_supported_statements(tmp_path):
    mod = read_mod(RBC_LIKE, source="m.mod")
    d = mod.data
    assert d["variables"] == ["c", "k", "z"] and d["shocks"] == ["e"]
    assert d["latex_names"] == {"c": "c_t"}
    assert d["parameters"]["r"] == "1/beta - 1"  # a formula, evaluated in dependency order
    assert d["locals"] == {"mpk": "alpha*exp(z(+1))*k^(alpha - 1)"}
    assert d["equations"][1] == "c + k - exp(z)*k(-1)^alpha = 0"
    assert d["steady_state"]["c"] == "k^alpha - k"
    assert d["shock_std"] == {"e": "0.01"}
    assert d["stoch_simul"] == {
        "order": 1,
        "irf": 8,
        "ar": 2,
        "nograph": True,
        "conditional_variance_decomposition": [1, 2, 3],
        "var_list": ["c", "k"],
    }
    assert any("write_latex_dynamic_model" in n for n in mod.notes)
    assert mod.line_of("equations[1]") == 11 and mod.line_of("parameters.beta") == 6
    m = dsge.load_model(write(tmp_path, RBC_LIKE), cache=False)
    assert m.parameters["r"] == pytest.approx(1 / 0.96 - 1)
    sol = m.solve()
    assert sol.steady_state.as_dict()["k"] == pytest.approx((0.36 * 0.96) ** (1 / 0.64), rel=1e-10)


@pytest.mark.parametrize(
    "text,message",
    [
        ("var x;\nvarexo e;\nmodel;\nx = e;\nend;\nestimation(datafile=d);\n", r"line 6.*estimation"),
        ("var x;\nvarexo e;\nmodel;\nx = e;\n", r"line 3.*closed by 'end;'"),
        ("var x;\nvarexo e;\nmodel;\nx = e;\nend;\nstoch_simul(order=2);\n", r"line 6.*order=1"),
        (
            "var x;\nvarexo e;\nmodel;\nx = e;\nend;\nstoch_simul(bandpass_filter);\n",
            r"line 6.*supported stoch_simul option",
        ),
        ("var x;\nvarexo e;\nmodel;\nx = e;\nend;\nshocks;\nvar e;\nend;\n", r"line 8.*stderr"),
        ("var x;\nvarexo e;\nmodel;\nx = e;\nend;\nshocks;\nvar e;\nperiods 1;\n", r"line 8"),
        ("var x;\nvarexo e;\nparameters a;\nmodel;\nx = e;\nend;\n", r"line 3.*assigned to every declared parameter"),
        ("@#define f(x) = x + 1\nvar x;\n", r"line 1.*macro functions"),
        ("var x;\n@#if undefined_name\nvarexo e;\n@#endif\n", r"line 2.*undefined_name.*macro expression"),
        ("var x;\n@#if 1\nvarexo e;\n", r"line 2.*matching @#endif"),
        ("var x;\n@#endif\n", r"line 2.*matching @#if"),
        ("var x;\n@#pragma once\n", r"line 2.*supported macro directive"),
        ("var x;\nvarexo e;\nmodel;\nx = e\n", r"line 4.*a statement ending with ';'"),
        ("var x;\nx = 1;\n", r"line 2.*declared parameter"),
        ("var x;\nvarexo e;\nmodel;\nx = e;\nend;\nhistval;\nx(0) = 1;\nend;\n", r"line 6.*histval"),
        ("var x;\nvarexo e;\nend;\n", r"line 3.*only closing a block"),
        ("var x;\nvarexo e;\nmodel;\nx = e;\nend;\nsteady(homotopy_steps=3);\n", r"line 6.*steady option"),
    ],
)
def test_unsupported_statements_name_their_line(tmp_path, text, message):
    with pytest.raises(ModelFileError, match=message):
        dsge.load_model(write(tmp_path, text), cache=False)


def test_expression_errors_carry_the_line(tmp_path):
    text = "var x;\nvarexo e;\nparameters a;\na = 0.5;\nmodel;\n  x = a*x(-1) + STEADY_STATE(x) + e;\nend;\n"
    with pytest.raises(ParseError, match=r"m.mod, line 6: equations\[0\]: unknown name 'STEADY_STATE'"):
        dsge.load_model(write(tmp_path, text), cache=False)
    text = "var x;\nvarexo e;\nparameters a;\na = 1/0;\nmodel;\n  x = a*x(-1) + e;\nend;\n"
    with pytest.raises(Exception, match=r"line 4: parameters.a"):
        dsge.load_model(write(tmp_path, text), cache=False)


def test_shocks_block_forms_and_unlisted_shocks_have_zero_variance(tmp_path):
    text = """\
    var x y w;
    varexo e u v q;
    model(linear);
      x = e + u;  y = v + u;  w = q;
    end;
    shocks;
      var e = 0.04;
      var u; stderr 0.3;
      var e, v = 0.01;
      var v; stderr 0.5;
      corr u, v = 0.2;
    end;
    """
    m = dsge.load_model(write(tmp_path, text), cache=False)
    cov = np.array(m.shock_cov)
    assert cov[0, 0] == pytest.approx(0.04) and cov[1, 1] == pytest.approx(0.09) and cov[2, 2] == pytest.approx(0.25)
    assert cov[0, 2] == pytest.approx(0.01) and cov[1, 2] == pytest.approx(0.2 * 0.3 * 0.5) and cov[3, 3] == 0
    assert any("q is not in a shocks block" in n for n in m.notes)


def test_predetermined_variables_shift_timings_as_dynare_does(tmp_path, models_dir):
    text = (models_dir / "rbc.mod").read_text()
    shifted = text.replace("var y c i n k a;", "var y c i n k a;\npredetermined_variables k;")
    shifted = shifted.replace("alpha*y(+1)/k + 1", "alpha*y(+1)/k(+1) + 1").replace("k(-1)^alpha", "k^alpha")
    shifted = shifted.replace("k = i + (1 - delta)*k(-1);", "k(+1) = i + (1 - delta)*k;")
    a = dsge.load_model(models_dir / "rbc.mod", cache=False).solve()
    b = dsge.load_model(write(tmp_path, shifted), cache=False).solve()
    assert np.allclose(a.transition, b.transition, rtol=1e-12, atol=1e-14)
    assert np.allclose(a.steady_state.values, b.steady_state.values, rtol=1e-12)


def test_convert_writes_yaml_that_solves_the_same(tmp_path, models_dir, capsys):
    out = tmp_path / "nk_medium.yaml"
    assert main(["convert", str(models_dir / "nk_medium.mod"), "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    text = out.read_text()
    assert text.startswith("# converted from nk_medium.mod")
    a = dsge.load_model(models_dir / "nk_medium.mod", cache=False).solve()
    b = dsge.load_model(out, cache=False).solve()
    assert np.allclose(a.transition, b.transition, rtol=1e-12, atol=1e-14)
    assert np.allclose(a.impact, b.impact, rtol=1e-12, atol=1e-14)
    assert a.steady_state.method == b.steady_state.method == "analytic"


def test_convert_errors(tmp_path, models_dir, capsys):
    assert main(["convert", str(models_dir / "rbc.yaml"), "-o", str(tmp_path / "x.yaml")]) == 2
    bad = write(tmp_path, "var x;\nvarexo e;\nmodel;\nx = e;\nend;\nsimul;\n")
    assert main(["convert", str(bad), "-o", str(tmp_path / "x.yaml")]) == 2
    err = capsys.readouterr().err
    assert "line 6" in err and not (tmp_path / "x.yaml").exists()


def test_mod_and_yaml_versions_of_the_examples_agree(models_dir):
    for name in ("rbc", "nk3", "brock_mirman"):
        a = dsge.load_model(models_dir / f"{name}.yaml", cache=False).solve()
        b = dsge.load_model(models_dir / f"{name}.mod", cache=False).solve()
        assert np.allclose(a.transition, b.transition, rtol=1e-10, atol=1e-12), name
        # the .mod files carry Dynare's shock sizes; responses scale with them
        assert json.dumps(a.bk.to_dict()["status"]) == json.dumps(b.bk.to_dict()["status"])


CALIBRATED = """\
var c k n z;
varexo e;
parameters alpha beta delta chi rho;
alpha = 0.33; beta = 0.99; delta = 0.025; rho = 0.9;
scale = 0.01;                 // not declared: a MATLAB variable, used as a parameter
model;
  1/c = beta/c(+1)*(alpha*exp(z(+1))*k^(alpha - 1)*n(+1)^(1 - alpha) + 1 - delta);
  chi*c = (1 - alpha)*exp(z)*k(-1)^alpha*n^(-alpha);
  c + k = exp(z)*k(-1)^alpha*n^(1 - alpha) + (1 - delta)*k(-1);
  z = rho*z(-1) + e;
end;
steady_state_model;
  n = 1/3;
  kn = (alpha/(1/beta - 1 + delta))^(1/(1 - alpha));
  k = kn*n;
  c = kn^alpha*n - delta*k;
  chi = (1 - alpha)*kn^alpha/c;     // calibrated so that hours are 1/3
  z = 0;
end;
initval;
  e = 0;
end;
shocks;
  var e; stderr scale;
end;
stoch_simul(order=1, irf=5, nograph);
"""


def test_parameters_calibrated_in_the_steady_state_block(tmp_path):
    m = dsge.load_model(write(tmp_path, CALIBRATED), cache=False)
    alpha, beta, delta = 0.33, 0.99, 0.025
    kn = (alpha / (1 / beta - 1 + delta)) ** (1 / (1 - alpha))
    chi = (1 - alpha) * kn**alpha / (kn**alpha / 3 - delta * kn / 3)
    assert m.parameters["chi"] == pytest.approx(chi, rel=1e-13)
    assert m.parameters["scale"] == 0.01 and m.shock_cov[0, 0] == pytest.approx(1e-4)
    ss = m.solve().steady_state.as_dict()
    assert ss["n"] == pytest.approx(1 / 3, rel=1e-14)
    other = m.with_parameters({"alpha": 0.4})  # chi follows the calibration
    kn2 = (0.4 / (1 / beta - 1 + delta)) ** (1 / 0.6)
    assert other.parameters["chi"] == pytest.approx(0.6 * kn2**0.4 / (kn2**0.4 / 3 - delta * kn2 / 3), rel=1e-13)
    assert other.solve().steady_state.as_dict()["n"] == pytest.approx(1 / 3, rel=1e-13)
    assert any("parameter chi is computed in steady_state_model" in note for note in m.notes)
    assert any("scale is assigned but not declared" in note for note in m.notes)


def test_a_formula_may_not_use_a_calibrated_parameter(tmp_path):
    text = CALIBRATED.replace("rho = 0.9;", "rho = 0.9 + 0*chi;")
    with pytest.raises(ModelFileError, match="parameters.rho"):
        dsge.load_model(write(tmp_path, text), cache=False)


def test_initval_of_a_shock_must_be_zero(tmp_path):
    text = CALIBRATED.replace("  e = 0;", "  e = 0.1;")
    with pytest.raises(ModelFileError, match=r"line \d+.*initval of an exogenous variable only at 0"):
        dsge.load_model(write(tmp_path, text), cache=False)
