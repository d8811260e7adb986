"""Exact building blocks: real algebraic numbers, fibres over Q(α), the cylindrical decomposition, Schur–Cohn.

Every expected value is derived by hand (roots of x² - 2, sign vectors of a circle and a line) or
computed independently (NumPy roots on seeded random polynomials).
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from sympy import QQ

from geo_sym.errors import SolverError, ValidationError
from geo_sym.rigorous.algebraic import NumberField, RealAlgebraic, isolate_fiber, real_roots, sign_changes
from geo_sym.rigorous.cad import decompose
from geo_sym.rigorous.schur import BOUNDARY, classify_factor, derived_polynomials, exact_location

x, y = sp.symbols("x y", real=True)


def _q(*cs):
    return [QQ(c) for c in cs]


# ------------------------------------------------------------------------------------ algebraic numbers
def test_sqrt2_signs_and_comparisons():
    lo, hi = real_roots(_q(1, 0, -2))  # -sqrt2, sqrt2
    assert float(lo) == pytest.approx(-np.sqrt(2), abs=1e-12) and float(hi) == pytest.approx(np.sqrt(2), abs=1e-12)
    assert hi.sign_of(_q(1, 0, -2)) == 0  # exact zero by division
    assert hi.sign_of(_q(2, -3)) == -1  # 2*sqrt2 - 3 < 0 (8 < 9)
    assert hi.sign_of(_q(5, -7)) == 1  # 5*sqrt2 - 7 > 0 (50 > 49)
    assert hi.sign_of(_q(70, -99)) == -1  # 70*sqrt2 - 99 < 0 (9800 < 9801): needs refinement
    sqrt3 = real_roots(_q(1, 0, -3))[1]
    assert hi.compare(sqrt3) == -1 and sqrt3.compare(hi) == 1
    assert hi.compare(real_roots(_q(1, 0, -2))[1]) == 0
    assert hi.compare(RealAlgebraic.rational(QQ(141, 100))) == 1
    assert RealAlgebraic.rational(QQ(3, 2)).compare(hi) == 1


def test_sign_changes_ignores_zeros():
    assert sign_changes([1, 0, -1, 0, 0, 2]) == 2
    assert sign_changes([0, 0]) == 0


def test_fibre_over_q_sqrt2():
    """y² - α, y - α, y² - 2 over Q(√2): roots ±2^{1/4} and ±√2, with every sign decided exactly."""
    alpha = real_roots(_q(1, 0, -2))[1]
    K = NumberField(alpha)
    a = K.element(_q(1, 0))
    one = K.rational(1)
    p1 = [one, [], K.neg(a)]  # y² - √2
    p2 = [one, K.neg(a)]  # y - √2
    p3 = [one, [], K.rational(-2)]  # y² - 2
    roots, root_signs, samples, sector_signs = isolate_fiber(K, [p1, p2, p3])
    expected = [-np.sqrt(2), -(2**0.25), 2**0.25, np.sqrt(2)]
    assert [float(r) for r in roots] == pytest.approx(expected, abs=1e-12)
    # at -√2: y² - √2 = 2 - √2 > 0, y - √2 < 0, y² - 2 = 0
    assert root_signs == [(1, -1, 0), (0, -1, -1), (0, -1, -1), (1, 0, 0)]
    for yv, signs in zip(samples, sector_signs):
        f = float(yv)
        assert signs == tuple(int(np.sign(v)) for v in (f * f - np.sqrt(2), f - np.sqrt(2), f * f - 2))


# ------------------------------------------------------------------------------------ decomposition
def test_circle_and_line_realize_every_sign_vector():
    """x² + y² - 1 and x - y: all nine sign vectors occur; (0, 0) only at the two points ±(1/√2, 1/√2)."""
    cells = decompose([x**2 + y**2 - 1, x - y], (x, y))
    realized = {c.signs for c in cells}
    assert realized == {(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)}
    both_zero = [c for c in cells if c.signs == (0, 0)]
    assert len(both_zero) == 2 and all(c.dim == 0 for c in both_zero)
    assert sorted(round(c.float_sample()[0], 12) for c in both_zero) == pytest.approx([-(0.5**0.5), 0.5**0.5])
    for c in cells:  # the sample point has the cell's signs
        fx, fy = c.float_sample()
        if c.dim == 2:
            assert c.signs == (int(np.sign(fx * fx + fy * fy - 1)), int(np.sign(fx - fy)))


def test_line_decomposition():
    cells = decompose([x**2 - 2, x - 1], (x,))
    assert [c.dim for c in cells] == [1, 0, 1, 0, 1, 0, 1]
    assert [c.signs for c in cells] == [(1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1)]


def test_decompose_refuses_three_parameters():
    z = sp.Symbol("z")
    with pytest.raises(ValidationError, match="one or two parameters"):
        decompose([x + y + z], (x, y, z))


# ------------------------------------------------------------------------------------ root location
def _numpy_location(coeffs):
    a = [float(c) for c in coeffs]
    n = len(a) - 1
    while a and a[-1] == 0:
        a.pop()
    r = np.roots(a[::-1]) if len(a) > 1 else np.array([])
    inside = int(np.sum(np.abs(r) < 1 - 1e-9))
    outside = int(np.sum(np.abs(r) > 1 + 1e-9)) + n - (len(a) - 1)
    return inside, len(r) - inside - (outside - (n - (len(a) - 1))), outside


def test_exact_location_against_numpy_on_seeded_polynomials():
    rng = np.random.default_rng(7)
    for trial in range(150):
        d = int(rng.integers(1, 6))
        a = [sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 4))) for _ in range(d + 1)]
        if trial % 5 == 0:
            a[-1] = sp.Integer(0)  # a root at infinity
        if all(c == 0 for c in a):
            continue
        assert exact_location(a) == _numpy_location(a), a


@pytest.mark.parametrize(
    "roots, expected",
    [
        ([sp.Rational(1, 2), 2], (1, 0, 1)),  # a real reciprocal pair: nullity 2, not on the circle
        ([sp.Rational(1, 3), 3, sp.Rational(1, 5)], (2, 0, 1)),
        ([sp.Rational(-1, 4), -4, 5], (1, 0, 2)),
    ],
)
def test_reciprocal_pairs_are_read_off_the_stratum_polynomial(roots, expected):
    z = sp.Symbol("z")
    coeffs = list(reversed(sp.Poly(sp.prod([z - r for r in roots]), z).all_coeffs()))
    signs = {k: int(sp.sign(v)) for k, v in derived_polynomials(coeffs, ()).items()}
    assert classify_factor(signs, len(roots)) == (expected[0], expected[2])
    assert exact_location(coeffs) == expected


@pytest.mark.parametrize(
    "poly, on",
    [
        ("z**2 - z + 1", 2),  # primitive sixth roots of unity
        ("(z**2 + z/2 + 1)*(z - 3)", 2),  # a pair on the circle and a root outside
        ("(z - 1)*(z + 5)", 1),
        ("z**4 + z**3 + z**2 + z + 1", 4),  # fifth roots of unity (self-reciprocal, irreducible)
    ],
)
def test_roots_on_the_circle_are_boundary(poly, on):
    z = sp.Symbol("z")
    coeffs = list(reversed(sp.Poly(sp.sympify(poly, locals={"z": z}), z).all_coeffs()))
    assert exact_location(coeffs)[1] == on
    signs = {k: int(sp.sign(v)) for k, v in derived_polynomials(coeffs, ()).items()}
    if on <= 2:
        assert classify_factor(signs, len(coeffs) - 1) == BOUNDARY
    else:  # two pairs at once: refused, never guessed
        with pytest.raises(SolverError, match="not supported"):
            classify_factor(signs, len(coeffs) - 1)


def test_classify_factor_matches_numpy_on_seeded_polynomials():
    rng = np.random.default_rng(11)
    for _ in range(150):
        d = int(rng.integers(1, 5))
        a = [sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 4))) for _ in range(d + 1)]
        if a[-1] == 0 and a[0] == 0:
            continue
        signs = {k: int(sp.sign(v)) for k, v in derived_polynomials(a, ()).items()}
        got = classify_factor(signs, d)
        i, o, u = _numpy_location(a)
        assert got == (BOUNDARY if o else (i, u)), a
