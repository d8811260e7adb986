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
    if n <= 16 and _max_bits(M) <= 64:
        dm = DomainMatrix.from_Matrix(M)
        chi = [sp.cancel(dm.domain.to_sympy(c)) for c in dm.charpoly()]
        return sp.expand(sum(sp.cancel(c * dprod) * lam ** (n - k) for k, c in enumerate(chi)))
    bounds = []
    for s in syms:
        b = 0
        for d, entries in rows:
            b += max([sp.degree(d, s)] + [sp.degree(e, s) for e in entries if e != 0])
        bounds.append(b)
    grids = [_grid(b + 1, k) for k, b in enumerate(bounds)]
    values = {}
    for pt in itertools.product(*grids):
        sub = dict(zip(syms, pt))
        ds = [d.xreplace(sub) for d, _ in rows]
        if any(v == 0 for v in ds):
            raise SolverError("a row denominator vanishes on the interpolation grid")  # pragma: no cover
        Mq = DomainMatrix(
            [[sp.QQ.convert(e.xreplace(sub) / ds[i]) for e in rows[i][1]] for i in range(n)], (n, n), sp.QQ
        )
        scale = sp.Mul(*ds)
        values[pt] = [sp.QQ.to_sympy(c) * scale for c in Mq.charpoly()]
    coeffs = []
    for k in range(n + 1):
        coeffs.append(_interpolate({pt: v[k] for pt, v in values.items()}, grids, syms))
    return sp.expand(sum(c * lam ** (n - k) for k, c in enumerate(coeffs)))


def _grid(m, k):
    return [sp.Rational(j + 1, 2 + k) for j in range(m)]


def _interpolate(values, grids, syms):
    """The polynomial with these values on a tensor grid (Newton form, exact over Q)."""
    if len(grids) == 1:
        return sp.expand(sp.interpolate([(x[0], v) for x, v in values.items()], syms[0]))
    xs, ys = grids
    col = []
    for x in xs:
        col.append(sp.expand(sp.interpolate([(y, values[(x, y)]) for y in ys], syms[1])))
    polys = [sp.Poly(c, syms[1]) for c in col]
    deg = max((p.degree() for p in polys), default=0)
    out = 0
    for j in range(max(deg, 0) + 1):
        pts = [(x, p.coeff_monomial(syms[1] ** j)) for x, p in zip(xs, polys)]
        out += sp.interpolate(pts, syms[0]) * syms[1] ** j
    return sp.expand(out)


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
