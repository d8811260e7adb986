"""Characteristic polynomials of matrices whose entries are rational functions of the parameters.

The region engine needs ``det(λI − M)`` with coefficients that are polynomials in the parameters.
Rows are cleared of their denominators ``d_i`` (whose zeros are where ``M`` is undefined), so the
polynomial computed is ``Π d_i · det(λI − M)``. Small matrices with small numbers go through
Berkowitz over the fraction field; others through evaluation at a grid of rational points and
exact interpolation, which keeps the numbers of each evaluation small.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp
from sympy import QQ
from sympy.polys.densearith import dup_add, dup_mul

from geo_sym.errors import SolverError, ValidationError

__all__ = ["rational_entries", "cleared_charpoly", "screen_factor_degrees"]


def rational_entries(M, syms):
    """Refuse entries that are not rational functions of ``syms`` with rational coefficients."""
    bad = []
    for (i, j), e in np.ndenumerate(np.array(M.tolist(), dtype=object)):
        e = sp.sympify(e)
        if not e.is_rational_function(*syms) or e.has(sp.Float) or (e.free_symbols - set(syms)):
            bad.append(((i, j), e))
    if bad:
        (i, j), e = bad[0]
        raise ValidationError(
            f"matrix[{i}][{j}]",
            sp.sstr(e),
            "entries that are rational functions of the parameters " + ", ".join(map(str, syms)) + " with rational "
            "coefficients (no floats, no exp/log, no other symbols)",
        )


def _max_bits(M) -> int:
    bits = 0
    for e in M:
        for a in sp.preorder_traversal(e):
            if isinstance(a, sp.Rational):
                bits = max(bits, int(a.p).bit_length(), int(a.q).bit_length())
    return bits


def cleared_charpoly(M, syms, lam):
    """``P(λ) = Π d_i · det(λI − M)``, ``d_i`` the common denominator of row ``i`` (polynomial in ``syms``).

    Small matrices with small numbers: Berkowitz over the fraction field. Otherwise evaluation at a
    grid of rational points (characteristic polynomials over ``Q``) and exact interpolation, with the
    degree bound ``Σ_i max(deg d_i, deg N_ij)`` in each parameter (a term of the determinant takes
    one entry per row), so the interpolant is the polynomial itself.
    """
    from sympy.polys.matrices import DomainMatrix

    n = M.rows
    rows = []
    for i in range(n):
        parts = [sp.fraction(sp.cancel(sp.together(e))) for e in M.row(i)]
        d = sp.lcm_list([q for _, q in parts])
        rows.append((sp.expand(d), [sp.expand(sp.cancel(num * d / den)) for num, den in parts]))
    dprod = sp.expand(sp.Mul(*[d for d, _ in rows]))
    if _max_bits(M) <= 64:
        dm = DomainMatrix.from_Matrix(M)
        chi = [sp.cancel(dm.domain.to_sympy(c)) for c in dm.charpoly()]
        return sp.expand(sum(sp.cancel(c * dprod) * lam ** (n - k) for k, c in enumerate(chi)))
    bounds = []
    for s in syms:
        b = 0
        for d, entries in rows:
            b += max([sp.degree(d, s)] + [sp.degree(e, s) for e in entries if e != 0])
        bounds.append(b)
    grids = [[QQ(j + 1, 2 + k) for j in range(b + 1)] for k, b in enumerate(bounds)]
    values = {}
    for pt in itertools.product(*grids):
        sub = dict(zip(syms, (QQ.to_sympy(v) for v in pt)))
        ds = [QQ.convert(d.xreplace(sub)) for d, _ in rows]
        if any(v == 0 for v in ds):
            raise SolverError("a row denominator vanishes on the interpolation grid")  # pragma: no cover
        Mq = DomainMatrix([[QQ.convert(e.xreplace(sub)) / ds[i] for e in rows[i][1]] for i in range(n)], (n, n), QQ)
        scale = QQ(1)
        for v in ds:
            scale *= v
        values[pt] = [c * scale for c in Mq.charpoly()]
    coeffs = [_interpolate({pt: v[k] for pt, v in values.items()}, grids, syms) for k in range(n + 1)]
    return sp.expand(sum(c * lam ** (n - k) for k, c in enumerate(coeffs)))


def _newton(xs, vs) -> list:
    """The polynomial (dense ``QQ`` list, highest first) of degree < len(xs) through the points (exact)."""
    m = len(xs)
    c = list(vs)
    for j in range(1, m):
        for i in range(m - 1, j - 1, -1):
            c[i] = (c[i] - c[i - 1]) / (xs[i] - xs[i - j])
    poly = [c[-1]] if c[-1] else []
    for k in range(m - 2, -1, -1):
        poly = dup_add(dup_mul(poly, [QQ(1), -xs[k]], QQ), [c[k]] if c[k] else [], QQ)
    return poly


def _interpolate(values, grids, syms):
    """The polynomial with these values on a tensor grid (Newton form in each variable, exact over ``Q``)."""
    if len(grids) == 1:
        (xs,) = grids
        dense = _newton(xs, [values[(x,)] for x in xs])
        return sp.Poly([QQ.to_sympy(c) for c in dense] or [0], syms[0]).as_expr()
    xs, ys = grids
    cols = [_newton(ys, [values[(x, y)] for y in ys]) for x in xs]  # in y, one per x
    width = max((len(c) for c in cols), default=0)
    cols = [[QQ(0)] * (width - len(c)) + c for c in cols]
    terms = {}
    for j in range(width):  # coefficient of y^(width-1-j), interpolated in x
        dense = _newton(xs, [c[j] for c in cols])
        for i, v in enumerate(dense):
            if v:
                terms[(len(dense) - 1 - i, width - 1 - j)] = QQ.to_sympy(v)
    return sp.Poly.from_dict(terms, *syms).as_expr() if terms else sp.Integer(0)


def screen_factor_degrees(M, syms, max_degree: int):
    """Fail fast: factor the characteristic polynomial at two rational points before the symbolic one.

    A factor of degree ``d`` at a point that is not the same at the other point comes from a
    parameter-dependent factor of degree at least ``d`` (specialization only splits factors).
    """
    from sympy.polys.matrices import DomainMatrix

    found = []
    for shift in (0, 1):
        pt = {s: sp.Rational(7 + 4 * k + shift, 13 + 6 * k + 5 * shift) for k, s in enumerate(syms)}
        try:
            Mq = M.xreplace(pt)
            dm = DomainMatrix.from_Matrix(Mq).convert_to(sp.QQ)
        except (ZeroDivisionError, sp.polys.polyerrors.CoercionFailed):
            return
        z = sp.Dummy("z")
        poly = sp.Poly([sp.QQ.to_sympy(c) for c in dm.charpoly()], z)
        found.append({tuple(f.all_coeffs()) for f, _m in poly.factor_list()[1]})
    for f in found[0] - found[1]:
        if len(f) - 1 > max_degree:
            raise SolverError(
                f"the characteristic polynomial has an irreducible factor of degree at least {len(f) - 1} that "
                f"depends on the parameters; exact regions are computed for such factors up to degree "
                f"{max_degree}"
            )
