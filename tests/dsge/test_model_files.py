"""Bad model files are rejected with messages that name the field and what was expected."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

import dsge
from dsge.model.parser import parse_formula
from geo_sym.errors import GeoSymError, ModelFileError, ParseError, UnknownNameError, ValidationError

BASE = {
    "name": "nk3",
    "variables": ["x", "pi", "i", "v"],
    "shocks": ["eps_v"],
    "parameters": {"beta": 0.99, "sigma": 1, "kappa": 0.1, "phi_pi": 1.5, "phi_y": 0.125, "rho_v": 0.5},
    "equations": [
        "x = x(+1) - (1/sigma)*(i - pi(+1))",
        "pi = beta*pi(+1) + kappa*x",
        "i = phi_pi*pi + phi_y*x + v",
        "v = rho_v*v(-1) + eps_v",
    ],
    "steady_state": {"x": 0, "pi": 0, "i": 0, "v": 0},
}

PWNED = "/tmp/pwned"
CODE = "__import__('os').system('touch /tmp/pwned')"


def with_equation(k, text):
    data = copy.deepcopy(BASE)
    data["equations"][k] = text
    return data


def with_key(key, value):
    data = copy.deepcopy(BASE)
    data[key] = value
    return data


def with_param(name, value):
    data = copy.deepcopy(BASE)
    data["parameters"][name] = value
    return data


BAD = [
    (
        with_equation(1, "pi = beta*pi(+1) + kappa*y"),
        ParseError,
        r"equations\[1\]: unknown name 'y'.*expected a declared variable",
    ),
    (
        with_equation(1, "pi = beta*pi(+101) + kappa*x"),
        ParseError,
        r"equations\[1\]: var 'pi' has timing \+101.*expected a lead or lag of at most 100 periods",
    ),
    (with_equation(3, "v = rho_v*v(-101) + eps_v"), ParseError, r"timing -101"),
    (with_equation(1, "pi = beta(+1)*pi(+1) + kappa*x"), ParseError, r"equations\[1\]: parameter 'beta' has a timing"),
    (with_equation(1, "pi = beta*pi(a) + kappa*x"), ParseError, r"timing of 'pi' is not an int"),
    (with_equation(1, "pi = beta*pi(+1.5) + kappa*x"), ParseError, r"not an integer"),
    (
        with_equation(2, "i + phi_pi*pi + phi_y*x + v"),
        ParseError,
        r"equations\[2\]: found 0 '=' signs.*expected exactly one '='",
    ),
    (with_equation(2, "i = phi_pi*pi = phi_y*x + v"), ParseError, r"found 2 '=' signs"),
    (with_equation(2, "i = (phi_pi*pi + phi_y*x + v"), ParseError, r"equations\[2\].*expected '\)' closing"),
    (with_equation(2, "i = phi_pi*pi + * phi_y*x"), ParseError, r"found '\*'"),
    (with_equation(2, "i = phi_pi pi"), ParseError, r"after a complete expression"),
    (with_equation(2, "i = phi_pi*pi; v"), ParseError, r"unexpected character ';'"),
    (with_equation(2, "i = tan(pi)"), ParseError, r"unknown name 'tan'"),
    (with_equation(2, "i = log pi"), ParseError, r"function 'log' without an argument"),
    (with_equation(2, "i = pi/0"), ParseError, r"finite as written"),
    (with_equation(2, "i = pi + log(-1)"), ParseError, r"finite as written"),
    (with_equation(2, "i = max(pi)"), ParseError, r"max called with 1 argument"),
    (with_equation(2, "i = 1e400*pi"), ParseError, r"the number 1e400 overflows a double"),
    (with_equation(2, "i = 1e-400 + pi"), ParseError, r"underflows to zero"),
    (with_equation(2, 42), ParseError, r"equations\[2\]"),
    (with_equation(0, "x = " + CODE), ParseError, r"unexpected character \"'\""),
    (with_equation(0, "x = __import__(os)"), ParseError, r"unknown name '__import__'"),
    (
        with_key("equations", BASE["equations"][:3]),
        ModelFileError,
        r"got 3 equations for 4 variables.*expected exactly one equation per variable",
    ),
    (with_key("equations", "x = 1"), ModelFileError, r"equations"),
    (with_key("foo", 1), ModelFileError, r"unknown top-level key 'foo'"),
    (with_key("variables", ["x", "pi", "i", "v", "beta"]), ModelFileError, r"already declared"),
    (with_key("variables", ["x", "pi", "i", "log"]), ModelFileError, r"other than the functions"),
    (with_key("steady_state", {"w": 0}), UnknownNameError, r"steady_state.w"),
    (with_key("shock_std", {"eps_w": 1}), UnknownNameError, r"shock_std.eps_w"),
    (with_key("tolerance", {"unit_circle": -1}), GeoSymError, r"tolerance.unit_circle"),
    (with_key("tolerance", {"other": 1}), ModelFileError, r"tolerance.other"),
    (with_param("beta", "0.99x"), ParseError, r"parameters.beta: found 'x' after a complete expression"),
    (with_param("beta", "1/0"), ValidationError, r"parameters.beta"),
    (with_param("beta", "1e400"), ParseError, r"parameters.beta: the number 1e400 overflows"),
    (with_param("beta", float("inf")), ParseError, r"parameters.beta.*a finite number"),
    (with_param("beta", [1]), ParseError, r"parameters.beta"),
    (with_param("beta", True), ParseError, r"parameters.beta"),
    (with_param("beta", None), ParseError, r"parameters.beta"),
    (with_param("beta", CODE), ParseError, r"parameters.beta"),
    (with_param("beta", "sigma(+1)"), ParseError, r"parameters.beta: parameter 'sigma' has a timing"),
    (with_param("beta", "x"), ParseError, r"parameters.beta: unknown name 'x'"),
    (with_key("steady_state", {"x": CODE}), ParseError, r"steady_state.x"),
    ([1, 2], ModelFileError, r"a YAML mapping"),
]


@pytest.mark.parametrize("data,error,match", BAD)
def test_bad_model_is_rejected(data, error, match):
    if os.path.exists(PWNED):
        os.remove(PWNED)
    with pytest.raises(error, match=match):
        dsge.model_from_dict(data, source="test")
    assert not os.path.exists(PWNED)


def test_missing_required_key():
    data = copy.deepcopy(BASE)
    del data["equations"]
    with pytest.raises(ModelFileError, match="missing required key 'equations'"):
        dsge.model_from_dict(data)


def test_errors_are_value_errors():
    with pytest.raises(ValueError):
        dsge.model_from_dict(with_equation(0, "x = y"))


def test_unknown_override_lists_valid_names(tmp_path, models_dir):
    with pytest.raises(UnknownNameError, match=r"--set.*'gamma'.*beta, sigma, kappa, phi_pi"):
        dsge.load_model(models_dir / "nk3.yaml", overrides={"gamma": 1})
    with pytest.raises(ParseError, match="--set phi_pi"):
        dsge.load_model(models_dir / "nk3.yaml", overrides={"phi_pi": CODE})
    assert not os.path.exists(PWNED)


def test_override_changes_parameter(models_dir):
    m = dsge.load_model(models_dir / "nk3.yaml", overrides={"phi_pi": "3/2", "rho_v": "0.25"})
    assert m.parameters["rho_v"] == 0.25
    assert m.solve().irf("eps_v", 3)["v"] == pytest.approx([1, 0.25, 0.0625])


def test_bad_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("variables: [x\nparameters: {")
    with pytest.raises(ModelFileError, match="valid YAML"):
        dsge.load_model(bad)
    with pytest.raises(ModelFileError, match="readable model file"):
        dsge.load_model(tmp_path / "nope.yaml")


def test_yaml_python_tags_are_not_constructed(tmp_path):
    f = tmp_path / "tag.yaml"
    f.write_text("variables: !!python/object/apply:os.system ['touch /tmp/pwned']\nparameters: {}\nequations: []\n")
    with pytest.raises(ModelFileError):
        dsge.load_model(f)
    assert not os.path.exists(PWNED)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("-x^2", ("neg", ("pow", ("var", "x", 0), ("num", "2")))),
        ("2^-1", ("pow", ("num", "2"), ("neg", ("num", "1")))),
        ("a**b^c", ("pow", ("par", "a"), ("pow", ("par", "b"), ("par", "c")))),
        ("a-b-c", ("sub", ("sub", ("par", "a"), ("par", "b")), ("par", "c"))),
        ("a/b*c", ("mul", ("div", ("par", "a"), ("par", "b")), ("par", "c"))),
        ("a+b*c", ("add", ("par", "a"), ("mul", ("par", "b"), ("par", "c")))),
        ("x(0)+x(+1)-x(-1)", ("sub", ("add", ("var", "x", 0), ("var", "x", 1)), ("var", "x", -1))),
        ("exp(-e)", ("call", "exp", ("neg", ("shock", "e", 0)))),
        ("e(-2)*x(+3)", ("mul", ("shock", "e", -2), ("var", "x", 3))),
        ("max(a, -b)^2", ("pow", ("call", "max", ("par", "a"), ("neg", ("par", "b"))), ("num", "2"))),
        ("ln(a)", ("call", "log", ("par", "a"))),
        ("-a*b", ("mul", ("neg", ("par", "a")), ("par", "b"))),
        ("a^-b^c", ("pow", ("par", "a"), ("neg", ("pow", ("par", "b"), ("par", "c"))))),
        ("1.5e-3", ("num", "1.5e-3")),
    ],
)
def test_grammar_precedence(text, expected):
    assert parse_formula(text, variables=["x"], parameters=["a", "b", "c"], shocks=["e"]) == expected


def test_numbers_are_exact():
    m = dsge.model_from_dict({"variables": ["x"], "parameters": {"a": "1/3"}, "equations": ["x = 0.1 + a"]})
    ss = m.steady_state()
    assert ss.values[0] == pytest.approx(0.1 + 1 / 3, rel=1e-15)
    assert ss.method == "newton"
    assert m.parameters["a"] == 1 / 3
    from fractions import Fraction

    assert m.spec.parameters["a"] == Fraction(1, 3)


def test_given_steady_state_is_kept_when_it_solves(nk3):
    assert nk3.steady_state().method in ("given",)


def test_steady_state_failure_raises_with_residuals():
    from geo_sym.errors import SolverError

    m = dsge.model_from_dict({"variables": ["x"], "parameters": {}, "equations": ["x^2 + 1 = 0"]})
    with pytest.raises(SolverError, match=r"steady state.*residuals \[0\] 'x\^2 \+ 1 = 0': 1"):
        m.steady_state()


def test_no_code_evaluation_in_package_sources():
    import re

    root = Path(dsge.__file__).parent
    banned = ["ev" + "al", "ex" + "ec", "symp" + "ify", "parse_" + "expr"]
    pattern = re.compile(r"\b(" + "|".join(banned) + r")\s*\(")
    for path in root.rglob("*.py"):
        assert not pattern.search(path.read_text()), path
