"""Forward-mode differentiation on the parse trees and the generated code.

Independent references: SymPy's own derivative of the same expression (built from the tree
with ``to_sympy``), central finite differences, and hand derivations.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import dsge
from dsge.model.codegen import compile_function, function_from_code, generate
from dsge.model.expressions import ExprGraph, NotFiniteError
from dsge.model.parser import parse_formula, to_sympy

VARS = ["x", "y", "z"]


def _random_expr(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.2:
        return rng.choice(["x", "y", "z", "a", "0.5", "2", "1.5"])
    op = rng.choice(["+", "-", "*", "/", "^", "exp", "log", "sqrt", "neg", "abs", "max"])
    a = _random_expr(rng, depth - 1)
    b = _random_expr(rng, depth - 1)
    if op == "^":
        return f"(0.5 + abs({a}))^{rng.choice(['2', '3', '0.5', 'a', '-1'])}"
    if op in ("exp", "log", "sqrt"):
        inner = f"0.1*({a})" if op == "exp" else f"(1 + ({a})^2)"
        return f"{op}({inner})"
    if op == "neg":
        return f"-({a})"
    if op == "abs":
        return f"abs({a})"
    if op == "max":
        return f"max({a}, {b})"
    if op == "/":
        return f"({a})/(2 + ({b})^2)"
    return f"({a}) {op} ({b})"


def _compiled(text: str):
    tree = parse_formula(text, variables=VARS, parameters=["a"])
    g = ExprGraph()
    index = {name: k for k, name in enumerate(VARS)}

    def leaf(n):
        return g.parameter(0) if n[0] == "par" else g.input(index[n[1]])

    root = g.from_tree(tree, leaf)
    derivs = [g.diff(root, g.input(k)) for k in range(len(VARS))]
    value = function_from_code(compile_function(generate(g, [root], "f"), "f"))
    grad = function_from_code(compile_function(generate(g, derivs, "g"), "g"))
    return tree, value, grad


@settings(max_examples=120, deadline=None)
@given(st.integers(0, 10**9))
def test_derivatives_match_sympy_and_finite_differences(seed):
    import sympy as sp

    rng = random.Random(seed)
    text = _random_expr(rng, 4)
    tree, value, grad = _compiled(text)
    point = [rng.uniform(0.3, 2.0) for _ in VARS]
    params = [1.7]
    symbols = {("var", v, 0): sp.Symbol(v, real=True) for v in VARS}
    symbols[("par", "a", 0)] = sp.Symbol("a", positive=True)
    expr = to_sympy(tree, symbols)
    subs = {symbols[("var", v, 0)]: sp.Float(p, 30) for v, p in zip(VARS, point)}
    subs[symbols[("par", "a", 0)]] = sp.Float(params[0], 30)
    ours = grad(point, params)
    f0 = value(point, params)[0]
    try:
        reference = float(expr.evalf(30, subs=subs))
    except (ValueError, TypeError):  # SymPy cannot decide a Max/Min/Abs of its own floats near a tie
        assume(False)
    assert f0 == pytest.approx(reference, rel=1e-12, abs=1e-12)
    for k, v in enumerate(VARS):
        d = sp.diff(expr, symbols[("var", v, 0)])
        if d.has(sp.Subs, sp.Derivative) or any(
            isinstance(t, (sp.Heaviside, sp.DiracDelta)) for t in sp.preorder_traversal(d)
        ):
            continue
        try:
            exact = complex(d.evalf(30, subs=subs))
        except (ValueError, TypeError):
            continue
        if not math.isfinite(exact.real):
            continue
        assert ours[k] == pytest.approx(exact.real, rel=1e-9, abs=1e-9), (text, v)
        h = 1e-6
        up, down = list(point), list(point)
        up[k] += h
        down[k] -= h
        fd = (value(up, params)[0] - value(down, params)[0]) / (2 * h)
        assert ours[k] == pytest.approx(fd, rel=1e-5, abs=1e-6), (text, v)


def test_constant_folding_is_exact():
    g = ExprGraph()
    third = g.op("div", g.const(1), g.const(3))
    assert g.value(third) == Fraction(1, 3)
    assert g.value(g.op("pow", third, g.const(2))) == Fraction(1, 9)
    assert g.value(g.op("sub", g.op("mul", third, g.const(3)), g.one)) == 0
    x = g.input(0)
    assert g.op("add", x, g.zero) == x and g.op("mul", g.one, x) == x and g.op("mul", x, g.zero) == g.zero
    assert g.op("neg", g.op("neg", x)) == x and g.op("sub", x, x) == g.zero
    assert g.op("mul", x, g.const(2)) == g.op("mul", g.const(2), x)  # commutative nodes are shared
    with pytest.raises(NotFiniteError):
        g.op("div", x, g.zero)
    with pytest.raises(NotFiniteError):
        g.op("log", g.const(-1))


def test_hand_derivatives_of_the_nonsmooth_functions():
    m = dsge.model_from_dict(
        {
            "variables": ["x", "y"],
            "parameters": {"c": 2},
            "equations": ["x = abs(y(-1)) + max(x(+1), c*y) + min(y, 1)", "y = sign(x)*x + log10(y(+1))"],
        }
    )
    # residuals are lhs - rhs. At x(+1) = 3 > c*y = 2 max follows x(+1); min(y, 1) at y = 1 follows y (a <= b)
    fl, fc, fm, _ = m.jacobian([3.0, 10.0], [0.5, 1.0], [-2.0, -4.0])
    assert fl[0, 0] == -1.0 and fc[0, 1] == -1.0
    assert fm[0, 1] == 1.0  # -abs'(-4) = -sign(-4)
    assert fc[1, 0] == -1.0  # -d(sign(x) x)/dx = -sign(x) away from 0
    assert fl[1, 1] == pytest.approx(-1 / (10.0 * math.log(10.0)), rel=1e-15)
    fl, fc, fm, _ = m.jacobian([1.0, 10.0], [0.5, 1.0], [2.0, 2.0])
    assert fl[0, 0] == 0.0 and fc[0, 1] == pytest.approx(-(2.0 + 1.0))  # max follows c*y now


def test_generated_code_raises_outside_the_domain():
    _, value, _ = _compiled("log(x) + sqrt(y) + x^a")
    assert math.isfinite(value([1.0, 1.0, 1.0], [0.5])[0])
    for point in ([-1.0, 1.0, 1.0], [1.0, -1.0, 1.0]):
        with pytest.raises(ValueError):
            value(point, [0.5])
    _, value, _ = _compiled("(x)^a")
    with pytest.raises(ValueError):  # a negative base with a fractional power is not a real number
        value([-8.0, 0.0, 0.0], [1 / 3])


def test_jacobian_of_a_large_sum_and_deep_expression():
    n = 1000
    text = "x = " + " + ".join(f"{k % 7 + 1}*y(-1)^2" for k in range(n)) + " + " + "exp(0.001*" * 300 + "y" + ")" * 300
    m = dsge.model_from_dict({"variables": ["x", "y"], "parameters": {}, "equations": [text, "y = 0.5*y(-1)"]})
    _, _, fm, _ = m.jacobian([0, 0], [0, 0], [0, 0.5])
    total = sum(k % 7 + 1 for k in range(n))
    assert fm[0, 1] == pytest.approx(-2 * 0.5 * total, rel=1e-14)


def test_static_jacobian_matches_finite_differences_on_the_medium_model(models_dir):
    m = dsge.load_model(models_dir / "nk_medium.mod", cache=False)
    y = np.asarray(m.steady_state().values) * 1.01
    h = 1e-7
    fd = np.zeros((m.n, m.n))
    for j in range(m.n):
        up, down = y.copy(), y.copy()
        up[j] += h * max(1.0, abs(y[j]))
        down[j] -= h * max(1.0, abs(y[j]))
        fd[:, j] = (m.static_residual(up) - m.static_residual(down)) / (up[j] - down[j])
    assert np.allclose(m.static_jacobian(y), fd, rtol=1e-5, atol=1e-7)
