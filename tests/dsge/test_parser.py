"""The whitelist parser: grammar, depth, numbers, printing back, and SymPy trees.

Facts checked independently of the parser: the value of a random expression computed by
Python's own arithmetic on the same numbers, SymPy's reading of the printed text as a tree
built programmatically, and round trips through the printer.
"""

from __future__ import annotations

import math
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsge.model.expressions import evaluate
from dsge.model.parser import fold, node_names, parse_equation, parse_formula, to_sympy, to_text
from geo_sym.errors import ParseError

NAMES = dict(variables=["x", "y"], parameters=["a", "b"], shocks=["e"])


def test_a_1000_term_sum_parses_prints_and_evaluates():
    text = " + ".join(f"{k}*x(-{k % 3})" for k in range(1000))
    tree = parse_formula(text, **NAMES)
    printed = to_text(tree)
    assert to_text(parse_formula(printed, **NAMES)) == printed  # (deep tuples cannot be compared with ==)
    value = evaluate(tree, lambda n: 2)
    assert value == 2 * sum(range(1000))


def test_deep_nesting_parses_without_recursion_error():
    depth = 5000
    tree = parse_formula("(" * depth + "x" + ")" * depth, **NAMES)
    assert tree == ("var", "x", 0)
    nested = parse_formula("exp(" * depth + "a" + ")" * depth, **NAMES)
    assert to_text(nested).count("exp(") == depth
    chain = parse_formula("-" * depth + "x", **NAMES)
    assert evaluate(chain, lambda n: 3) == 3


@pytest.mark.parametrize(
    "text,message",
    [
        ("1e400", "the number 1e400 overflows a double"),
        ("2.5e-400*x", "the number 2.5e-400 underflows to zero"),
        ("x + 1e309", "overflows"),
        ("max(x, y, a)", "expected ',' only between the two arguments"),
        ("min()", "found ')'"),
        ("(x, y)", "',' only between the two arguments"),
        ("x(+101)", "at most 100 periods"),
        ("a(-1)", "parameter 'a' has a timing"),
        ("sqrt x", "function 'sqrt' without an argument"),
        ("x ** ", "found the end of the text"),
        ("x)", "without a matching '('"),
    ],
)
def test_bad_expressions(text, message):
    with pytest.raises(ParseError, match=re.escape(message)):
        parse_formula(text, **NAMES)


def test_zero_literals_are_fine():
    assert evaluate(parse_formula("0e5 + 0.0", **NAMES), lambda n: 0) == 0


def test_timings_and_names():
    tree = parse_formula("x(+2) + y(-3)*e(-1) - a/b + ln(x(1))", **NAMES)
    assert node_names(tree) == {
        ("var", "x", 2),
        ("var", "y", -3),
        ("shock", "e", -1),
        ("par", "a", 0),
        ("par", "b", 0),
        ("var", "x", 1),
    }


def test_equation_sides():
    lhs, rhs = parse_equation("x = a*x(-1) + e", **NAMES)
    assert lhs == ("var", "x", 0) and rhs[0] == "add"


# -- random expressions: printer round trip and values ---------------------------------------------
def _random_tree(rng: random.Random, depth: int):
    if depth == 0 or rng.random() < 0.25:
        kind = rng.choice(["num", "var", "par"])
        if kind == "num":
            return ("num", rng.choice(["1", "2.5", "0.5", "3", "1.5e-1"]))
        if kind == "var":
            return ("var", rng.choice(["x", "y"]), rng.choice([-1, 0, 0, 1]))
        return ("par", rng.choice(["a", "b"]))
    op = rng.choice(["add", "sub", "mul", "div", "pow", "neg", "exp", "max"])
    if op == "neg":
        return ("neg", _random_tree(rng, depth - 1))
    if op == "exp":
        return ("call", "exp", ("mul", ("num", "0.1"), _random_tree(rng, depth - 1)))
    if op == "max":
        return ("call", "max", _random_tree(rng, depth - 1), _random_tree(rng, depth - 1))
    if op == "pow":
        return ("pow", ("call", "abs", _random_tree(rng, depth - 1)), ("num", rng.choice(["2", "0.5", "3"])))
    return (op, _random_tree(rng, depth - 1), _random_tree(rng, depth - 1))


def _python_value(tree, env):
    def leaf(n):
        if n[0] == "num":
            return float(n[1])
        return env[n[1]] if n[0] == "par" else env[(n[1], n[2])]

    def combine(n, args):
        ops = {
            "add": lambda a, b: a + b,
            "sub": lambda a, b: a - b,
            "mul": lambda a, b: a * b,
            "div": lambda a, b: a / b,
            "pow": lambda a, b: a**b,
            "neg": lambda a: -a,
        }
        if n[0] == "call":
            return {"exp": math.exp, "abs": abs, "max": max}[n[1]](*args)
        return ops[n[0]](*args)

    return fold(tree, leaf, combine)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10**9))
def test_printed_text_parses_back_to_the_same_tree_and_value(seed):
    rng = random.Random(seed)
    tree = _random_tree(rng, 4)
    text = to_text(tree)
    back = parse_formula(text, **NAMES)
    env = {
        "a": 1.3,
        "b": 0.7,
        ("x", -1): 0.9,
        ("x", 0): 1.1,
        ("x", 1): 1.2,
        ("y", -1): 0.8,
        ("y", 0): 1.4,
        ("y", 1): 0.6,
    }
    try:
        expected = _python_value(tree, env)
    except (ZeroDivisionError, OverflowError):
        return
    got = _python_value(back, env)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_to_sympy_builds_the_same_expression():
    import sympy as sp

    x, xp, a = sp.symbols("x xp a", real=True)
    symbols = {("var", "x", 0): x, ("var", "x", 1): xp, ("par", "a", 0): a}
    tree = parse_formula("a*x^2 - exp(x(+1))/a + abs(x) + max(x, a) + log10(a)", variables=["x"], parameters=["a"])
    expr = to_sympy(tree, symbols)
    expected = a * x**2 - sp.exp(xp) / a + sp.Abs(x) + sp.Max(x, a) + sp.log(a, 10)
    assert sp.simplify(expr - expected) == 0
    assert to_sympy(parse_formula("0.1", **NAMES), {}) == sp.Rational(1, 10)
