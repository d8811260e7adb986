"""Spectra: exact characteristic polynomials, algebraic eigenvalues, Arb eigenvalue enclosures.

* At an exact fixed point the tangent Jacobian is rational; its characteristic polynomial ``χ`` is
  computed exactly (FLINT ``fmpq_mat.charpoly``).
* An algebraic number travels as ``minpoly`` + an isolating interval or rectangle. Isolation is checked
  by Sturm sequences for a real interval (SymPy ``count_roots``, exact) and by FLINT's rigorous complex
  root isolation (``arb_fmpz_poly_complex_roots``: disjoint balls, one root each) for a rectangle.
  The number is an eigenvalue iff it is a root of ``g = gcd(minpoly, χ)`` (exact): since ``g`` divides
  ``minpoly``, it suffices that ``g`` has a root in the rectangle.
* Over an enclosure of a fixed point the Jacobian is a ball matrix. ``acb_mat.eig(multiple=True)`` (Arb's
  ``acb_mat_eig_multiple``) returns balls that are disjoint or identical, identical balls holding as
  many eigenvalues as they repeat; Arb's contract for ball input is that the output encloses the
  eigenvalues of *every* matrix in the input balls, so in particular those of ``DΦ(x*)`` for the one
  fixed point ``x*`` of the enclosure.
"""

from __future__ import annotations

import sympy as sp

from proofs.verify.decide import PRECISIONS, flint, precision, to_arb
from proofs.verify.reading import Algebraic, Failed

__all__ = [
    "rational_matrix",
    "charpoly",
    "check_algebraic_eigenvalue",
    "compare_modulus",
    "max_modulus_below",
    "eigenvalue_enclosures",
    "ball_modulus",
]


def rational_matrix(N: list, what: str) -> list:
    """Entries as SymPy rationals, or the check fails (naming ``what``)."""
    out = []
    for i, row in enumerate(N):
        for j, e in enumerate(row):
            if not getattr(e, "is_Rational", False):
                raise Failed(f"{what}: entry ({i}, {j}) is not rational ({e}); no exact spectrum")
        out.append(list(row))
    return out


def charpoly(N: list):
    """The exact characteristic polynomial of a rational matrix (a FLINT ``fmpq_poly``)."""
    f = flint()
    n = len(N)
    if n == 0:
        return f.fmpq_poly([1])
    M = f.fmpq_mat(n, n, [f.fmpq(int(e.p), int(e.q)) for row in N for e in row])
    return M.charpoly()


def _poly(coeffs_high_first):
    f = flint()
    return f.fmpq_poly([f.fmpq(int(c.p), int(c.q)) for c in reversed(coeffs_high_first)])


def _squarefree_roots(poly) -> list:
    """Isolating balls of the distinct complex roots of a rational polynomial (current precision)."""
    if poly.degree() < 1:
        return []
    return [r for r, _ in poly.complex_roots()]


def _rect_balls(re, im):
    from proofs.verify.decide import arb_q

    return (arb_q(re[0]), arb_q(re[1])), (arb_q(im[0]), arb_q(im[1]))


def _inside(z, rect) -> bool | None:
    """``True``: the ball lies in the closed rectangle; ``False``: disjoint from it; ``None``: undecided."""
    (r0, r1), (i0, i1) = rect
    x, y = z.real, z.imag
    if x >= r0 and x <= r1 and y >= i0 and y <= i1:
        return True
    if x < r0 or x > r1 or y < i0 or y > i1:
        return False
    return None


def _roots_in_rectangle(poly, re, im, bits: int) -> list | None:
    """The root balls of ``poly`` inside the rectangle, or ``None`` if one straddles its boundary."""
    with precision(bits):
        rect = _rect_balls(re, im)
        out = []
        for z in _squarefree_roots(poly):
            where = _inside(z, rect)
            if where is None:
                return None
            if where:
                out.append(z)
        return out


def _isolated_root(poly, alg: Algebraic) -> int:
    """Check that the rectangle (or real interval) isolates one root of ``poly``; returns the first
    precision at which its ball is separated from the boundary."""
    if alg.im is None:
        x = sp.Dummy("x")
        sym = sp.Poly([sp.Rational(c) for c in alg.minpoly], x)
        if sym.count_roots(alg.re[0], alg.re[1]) != 1:  # Sturm sequences, exact
            raise Failed("the interval does not isolate exactly one real root of the minimal polynomial")
    im = alg.im if alg.im is not None else (sp.Integer(0), sp.Integer(0))
    for bits in PRECISIONS:
        found = _roots_in_rectangle(poly, alg.re, im, bits)
        if found is None:
            continue
        if len(found) != 1:
            raise Failed(f"the rectangle contains {len(found)} roots of the minimal polynomial, not exactly one")
        return bits
    raise Failed("a root of the minimal polynomial lies on the boundary of the rectangle: not isolating")


def check_algebraic_eigenvalue(alg: Algebraic, chi) -> None:
    """The rectangle isolates one root ``ζ`` of ``minpoly``, and ``ζ`` is a root of ``χ`` (exactly).

    Raises :class:`Failed` naming the failed check.
    """
    m = _poly(alg.minpoly)
    _isolated_root(m, alg)
    g = m.gcd(chi)
    if g.degree() < 1:
        raise Failed(
            "the algebraic number is not an eigenvalue: its polynomial is coprime to the characteristic polynomial"
        )
    im = alg.im if alg.im is not None else (sp.Integer(0), sp.Integer(0))
    for bits in PRECISIONS:
        found = _roots_in_rectangle(g, alg.re, im, bits)
        if found is None:
            continue
        if not found:
            raise Failed("the root isolated by the rectangle is not an eigenvalue (no common root with χ there)")
        return
    raise Failed("undecided whether the isolated root is an eigenvalue")


def ball_modulus(z):
    """An Arb enclosure of ``|z|`` for an Arb complex ball ``z``."""
    return abs(z)


def compare_modulus(alg: Algebraic, lam) -> int:
    """The sign of ``|ζ| − λ`` for the isolated root ``ζ`` (λ an exact expression); fails if undecided."""
    m = _poly(alg.minpoly)
    im = alg.im if alg.im is not None else (sp.Integer(0), sp.Integer(0))
    for bits in PRECISIONS:
        found = _roots_in_rectangle(m, alg.re, im, bits)
        if not found:
            continue
        with precision(bits):
            diff = abs(found[0]) - to_arb(lam)
            if diff > 0:
                return 1
            if diff < 0:
                return -1
    raise Failed("|eigenvalue| − λ: sign undecided at the highest precision (a modulus equal to λ?)")


def max_modulus_below(chi, lam) -> bool:
    """Whether every root of ``χ`` has modulus ``< λ``, decided rigorously (fails when undecided)."""
    for bits in PRECISIONS:
        with precision(bits):
            bound = to_arb(lam)
            roots = _squarefree_roots(chi)
            if all(abs(z) < bound for z in roots):
                return True
            if any(abs(z) > bound for z in roots):
                return False
    raise Failed("ρ − λ: sign undecided at the highest precision")


def eigenvalue_enclosures(matrix_at, what: str) -> tuple:
    """Arb enclosures of the eigenvalues of a ball matrix, ``(bits, balls)``.

    ``matrix_at(bits)`` returns the real ball matrix (list of rows of ``arb``) computed at that precision.
    """
    f = flint()
    last = None
    for bits in PRECISIONS[1:5]:
        with precision(bits):
            rows = matrix_at(bits)
            n = len(rows)
            if n == 0:
                return bits, []
            M = f.acb_mat([[f.acb(x) for x in row] for row in rows])
            try:
                return bits, list(M.eig(multiple=True))
            except ValueError as exc:  # Arb could not isolate the eigenvalues at this precision
                last = exc
    raise Failed(f"{what}: Arb could not enclose the eigenvalues of the interval Jacobian ({last})")
