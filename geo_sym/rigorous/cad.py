"""Cylindrical algebraic decomposition of the parameter line or plane (exact, one or two parameters).

Given polynomials ``p_1, …, p_r`` with rational coefficients in one parameter ``x`` or two
parameters ``(x, y)``, :func:`decompose` splits the line or plane into finitely many connected
*cells* on each of which every ``p_i`` has a constant sign, and returns every cell with its
dimension, an exact sample point and its sign vector. The sign vectors of the cells are therefore
*all* the sign conditions that the polynomials realize: this is what lets the region engine
decide exactly whether a sign condition is realizable and whether one condition is implied by
others (no sampling).

The construction is Collins' with McCallum's projection, which is complete in two variables for
irreducible inputs: the projection onto the ``x`` axis is made of the leading coefficients and
discriminants (in ``y``) of the inputs and their pairwise resultants; over each open interval
between the real roots of the projection the roots in ``y`` of the inputs are continuous and
never meet, so one rational sample point per interval suffices, and over each real root ``α`` of
the projection the fibre is computed exactly in ``Q(α)`` (:mod:`geo_sym.rigorous.algebraic`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy import QQ

from geo_sym.errors import SolverError, ValidationError
from geo_sym.rigorous.algebraic import NumberField, RealAlgebraic, isolate_fiber, real_roots

__all__ = ["Cell", "decompose", "projection", "MAX_PROJECTION_DEGREE", "MAX_PROJECTION_DIGITS"]

#: beyond these sizes of a projection polynomial the fibres over its roots are refused as too costly
MAX_PROJECTION_DEGREE = 24
MAX_PROJECTION_DIGITS = 1000


@dataclass(frozen=True, eq=False)
class Cell:
    """One cell of a decomposition.

    Attributes
    ----------
    dim : int
        0 (a point), 1 (an arc or an interval) or 2 (an open piece of the plane).
    signs : tuple of int
        The sign of each input polynomial on the cell.
    sample : tuple
        An exact point of the cell: each coordinate a ``QQ`` rational or an algebraic number
        (:class:`~geo_sym.rigorous.algebraic.RealAlgebraic` for ``x``,
        :class:`~geo_sym.rigorous.algebraic.FiberRoot` for ``y``).
    """

    dim: int
    signs: tuple
    sample: tuple

    def __repr__(self) -> str:
        return f"Cell(dim={self.dim}, signs={self.signs})"

    @property
    def rational_sample(self) -> tuple | None:
        """The sample point as rationals when it is rational, else ``None``."""
        out = []
        for c in self.sample:
            if isinstance(c, RealAlgebraic):
                if not c.is_rational:
                    return None
                out.append(c.lo)
            elif hasattr(c, "is_rational"):
                if not c.is_rational:
                    return None
                out.append(c.lo)
            else:
                out.append(c)
        return tuple(out)

    def float_sample(self) -> tuple:
        return tuple(float(c) for c in self.sample)


def _dense_x(expr, x):
    """A polynomial in ``x`` only as a dense ``QQ`` list."""
    return [QQ.convert(c) for c in sp.Poly(expr, x, domain="QQ").all_coeffs()]


def projection(polys, x, y) -> list:
    """McCallum's projection of bivariate polynomials onto the ``x`` axis, as irreducible factors.

    Returns the distinct irreducible non-constant factors (SymPy ``Poly`` in ``x``) of the
    leading coefficients and discriminants in ``y`` of the inputs, of their pairwise resultants
    in ``y``, and of the inputs that do not involve ``y``.
    """
    parts = []
    ps = [sp.Poly(p, y) for p in polys]
    for i, p in enumerate(ps):
        if p.degree() <= 0:
            parts.append(p.as_expr())
            continue
        parts.append(p.LC())
        if p.degree() >= 2:
            parts.append(sp.discriminant(p.as_expr(), y))
        for q in ps[i + 1 :]:
            if q.degree() > 0:
                parts.append(sp.resultant(p.as_expr(), q.as_expr(), y))
    out = {}
    for e in parts:
        e = sp.expand(e)
        if e == 0:  # pragma: no cover - inputs are distinct irreducible polynomials
            raise ValidationError("projection", e, "distinct irreducible polynomials (a resultant vanished)")
        if not e.free_symbols:
            continue
        _, factors = sp.factor_list(e, x)
        for f, _m in factors:
            if sp.Poly(f, x).degree() > 0:
                f = sp.Poly(f, x).monic()
                out[tuple(f.all_coeffs())] = f
    return list(out.values())


def _line_cells(polys_x, x):
    """Cells of the ``x`` line for irreducible polynomials in ``x``: points and open intervals."""
    roots = []
    for f in polys_x:
        roots.extend(real_roots(_dense_x(f.as_expr(), x)))
    # distinct irreducible polynomials have distinct roots: sort by exact comparison
    import functools

    roots.sort(key=functools.cmp_to_key(lambda a, b: a.compare(b)))
    cells = []
    if not roots:
        return [("sector", QQ(0))]
    cells.append(("sector", roots[0].lo - 1))
    for a, b in zip(roots, roots[1:]):
        cells.append(("point", a))
        while a.hi >= b.lo and not (a.is_rational and b.is_rational):
            a.refine()
            b.refine()
        cells.append(("sector", (a.hi + b.lo) / 2))
    cells.append(("point", roots[-1]))
    cells.append(("sector", roots[-1].hi + 1))
    return cells


def _y_coefficients(polys, x, y):
    """Each input as its coefficients in ``y`` (highest first), each a dense ``QQ`` list in ``x``."""
    return [[_dense_x(c, x) for c in sp.Poly(p, y).all_coeffs()] for p in polys]


def _fiber_polys(K: NumberField, coeffs):
    """The inputs restricted to the vertical line ``x = α``: coefficient lists over ``K``."""
    return [[K.element(c) for c in p] for p in coeffs]


def decompose(polys, gens, progress=None) -> list[Cell]:
    """All cells of a sign-invariant cylindrical decomposition for ``polys``.

    Parameters
    ----------
    polys : list of sympy.Expr
        Distinct irreducible polynomials with rational coefficients in ``gens``.
    gens : tuple of sympy.Symbol
        One or two parameters ``(x,)`` or ``(x, y)``.
    progress : callable, optional
        ``progress(done, total)`` after each fibre (column) of the plane.

    Returns
    -------
    list of Cell
        In cylindrical order (by ``x``, then by ``y``).

    Raises
    ------
    ValidationError
        For more than two parameters.
    """
    if len(gens) not in (1, 2):
        raise ValidationError("parameters", len(gens), "one or two parameters for an exact decomposition")
    if len(gens) == 1:
        (x,) = gens
        K = NumberField(RealAlgebraic.rational(0))
        fib = [[K.element([c]) for c in _dense_x(p, x)] for p in polys]
        roots, root_signs, samples, sector_signs = isolate_fiber(K, fib)
        cells = []
        for k, s in enumerate(samples):
            cells.append(Cell(1, sector_signs[k], (s,)))
            if k < len(roots):
                cells.append(Cell(0, root_signs[k], (_as_real_algebraic(roots[k]),)))
        return cells
    x, y = gens
    proj = projection(polys, x, y)
    for f in proj:
        digits = max(len(str(abs(c.p)) + str(c.q)) for c in f.all_coeffs())
        if f.degree() > MAX_PROJECTION_DEGREE or digits > MAX_PROJECTION_DIGITS:
            raise SolverError(
                f"the exact decomposition of the plane is too large here: a projection polynomial of degree "
                f"{f.degree()} with {digits}-digit coefficients (limits {MAX_PROJECTION_DEGREE} and "
                f"{MAX_PROJECTION_DIGITS}); one parameter at a time stays exact and affordable"
            )
    base = _line_cells(proj, x)
    coeffs = _y_coefficients(polys, x, y)
    cells = []
    for n_done, (kind, xs) in enumerate(base, 1):
        alpha = RealAlgebraic.rational(xs) if kind == "sector" else xs
        K = NumberField(alpha)
        fib = _fiber_polys(K, coeffs)
        roots, root_signs, samples, sector_signs = isolate_fiber(K, fib)
        d = 1 if kind == "sector" else 0
        for k, s in enumerate(samples):
            cells.append(Cell(d + 1, sector_signs[k], (xs, s)))
            if k < len(roots):
                cells.append(Cell(d, root_signs[k], (xs, roots[k])))
        if progress is not None:
            progress(n_done, len(base))
    return cells


def _as_real_algebraic(root) -> RealAlgebraic:
    """A root over ``Q`` (from a line decomposition) as a :class:`RealAlgebraic`."""
    if root.is_rational:
        return RealAlgebraic.rational(root.lo)
    # the basis polynomial over Q may be reducible: find the irreducible factor with the root
    t = sp.Dummy("t")
    coeffs = [QQ.to_sympy(c[0]) if c else sp.Integer(0) for c in root.poly]
    _, factors = sp.factor_list(sp.Poly(coeffs, t).as_expr(), t)
    for f, _m in factors:
        fp = sp.Poly(f, t, domain="QQ")
        if fp.degree() > 0 and fp.count_roots(QQ.to_sympy(root.lo), QQ.to_sympy(root.hi)) == 1:
            dense = [QQ.convert(c) for c in fp.monic().all_coeffs()]
            return RealAlgebraic(dense, root.lo, root.hi)
    raise AssertionError("no factor holds the root")  # pragma: no cover
