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

from proofs.verify.decide import PRECISIONS, arb_q, flint, precision, sign, to_arb
from proofs.verify.reading import Algebraic, Failed

__all__ = [
    "rational_matrix",
    "charpoly",
    "check_algebraic_eigenvalue",
    "compare_modulus",
    "max_modulus_below",
    "eigenvalue_enclosures",
    "ball_modulus",
    "check_spectral_radius_enclosure",
    "spectral_radius_bounds",
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
    coeffs = [sp.Rational(c) for c in reversed(coeffs_high_first)]
    return f.fmpq_poly([f.fmpq(int(c.p), int(c.q)) for c in coeffs])


def _squarefree_roots(poly) -> list:
    """Isolating balls of the distinct complex roots of a rational polynomial (current precision)."""
    if poly.degree() < 1:
        return []
    return [r for r, _ in poly.complex_roots()]


def _rect_balls(re, im):
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


def _sympy_poly(coeffs_high_first):
    x = sp.Dummy("x")
    return sp.Poly([sp.Rational(c) for c in coeffs_high_first], x)


def _chi_sympy(chi, x):
    return sp.Poly([sp.Rational(int(c.p), int(c.q)) for c in reversed(chi.coeffs())], x)


def _real_root(alg: Algebraic):
    """The real root of ``minpoly`` in the closed interval ``re``, exactly (Sturm count = 1)."""
    m = _sympy_poly(alg.minpoly)
    lo, hi = alg.re
    if m.count_roots(lo, hi) != 1:  # Sturm sequences, exact
        raise Failed("the interval does not isolate exactly one real root of the minimal polynomial")
    for r in m.real_roots():
        if sign(r - lo, "root − lo") >= 0 and sign(hi - r, "hi − root") >= 0:
            return m, r
    raise Failed("internal: the Sturm count and the real roots disagree")


def _complex_isolation_bits(poly, alg: Algebraic) -> int:
    """The first precision at which the rectangle is seen to hold exactly one root ball of ``poly``."""
    for bits in PRECISIONS:
        found = _roots_in_rectangle(poly, alg.re, alg.im, bits)
        if found is None:
            continue
        if len(found) != 1:
            raise Failed(f"the rectangle contains {len(found)} roots of the minimal polynomial, not exactly one")
        return bits
    raise Failed("a root of the minimal polynomial lies on the boundary of the rectangle: not isolating")


def check_algebraic_eigenvalue(alg: Algebraic, chi) -> None:
    """The interval or rectangle isolates one root ``ζ`` of ``minpoly`` and ``ζ`` is a root of ``χ``.

    ``ζ`` is an eigenvalue iff it is a root of ``g = gcd(minpoly, χ)`` (exact); as ``g`` divides
    ``minpoly``, whose only root in the region is ``ζ``, it suffices that ``g`` has a root there: by a
    Sturm count for a real interval, by rigorous complex root isolation for a rectangle.
    """
    if alg.im is None:
        m, _ = _real_root(alg)
        g = sp.gcd(m, _chi_sympy(chi, m.gen))
        if g.degree() < 1 or g.count_roots(alg.re[0], alg.re[1]) < 1:
            raise Failed("the algebraic number is not an eigenvalue: no common root with the characteristic polynomial")
        return
    m = _poly(alg.minpoly)
    _complex_isolation_bits(m, alg)
    g = m.gcd(chi)
    if g.degree() < 1:
        raise Failed(
            "the algebraic number is not an eigenvalue: its polynomial is coprime to the characteristic polynomial"
        )
    for bits in PRECISIONS:
        found = _roots_in_rectangle(g, alg.re, alg.im, bits)
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
    if alg.im is None:
        _, root = _real_root(alg)
        return sign(sp.Abs(root) - lam, "|eigenvalue| − λ")
    m = _poly(alg.minpoly)
    for bits in PRECISIONS:
        found = _roots_in_rectangle(m, alg.re, alg.im, bits)
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
    raise EigenvaluesNotIsolated(f"{what}: Arb could not isolate the eigenvalues of the interval Jacobian ({last})")


class EigenvaluesNotIsolated(Failed):
    """Arb's eigenvalue routine failed at every precision tried (clusters): use :func:`spectral_radius_bounds`."""


def _radius_exactly(chi, r) -> bool:
    """``ρ = r`` for a rational ``r > 0``, exactly for the real roots (Sturm), by balls for the others."""
    x = sp.Dummy("x")
    poly = _chi_sympy(chi, x)
    at = [poly.eval(r) == 0, poly.eval(-r) == 0]
    outside = poly.count_roots(r, None) - at[0] + poly.count_roots(None, -r) - at[1]
    if outside or not any(at):
        return False
    for bits in PRECISIONS:
        with precision(bits):
            bound = flint().arb(flint().fmpq(int(r.p), int(r.q)))
            complex_roots = [z for z in _squarefree_roots(chi) if not z.imag.is_zero()]
            if all(abs(z) < bound for z in complex_roots):
                return True
            if any(abs(z) > bound for z in complex_roots):
                return False
    raise Failed("ρ = r: a non-real eigenvalue's modulus is undecided")


def check_spectral_radius_enclosure(chi, lo, hi) -> None:
    """The spectral radius (max modulus of the roots of ``χ``) lies in ``[lo, hi]``; else :class:`Failed`."""
    for bits in PRECISIONS:
        with precision(bits):
            roots = _squarefree_roots(chi)
            rho = flint().arb(0)
            for z in roots:
                rho = rho.max(abs(z))
            lo_b, hi_b = arb_q(lo), arb_q(hi)
            if rho >= lo_b and rho <= hi_b:
                return
            if rho < lo_b or rho > hi_b:
                raise Failed(f"observed.spectral_radius = [{lo}, {hi}] does not contain ρ ∈ {rho}")
    if lo == hi and lo > 0 and _radius_exactly(chi, sp.Rational(lo)):
        return
    raise Failed("observed.spectral_radius: containment of ρ undecided at the highest precision")


POWER_STEPS = 6  # k = 1, 2, 4, …, 64 in the power bounds


def spectral_radius_bounds(rows: list) -> tuple:
    """Rigorous bounds ``(lower, upper)`` on ``ρ`` for every matrix in a real ball matrix (current precision).

    ``ρ ≤ ‖Jᵏ‖_∞^{1/k}`` (any consistent norm) and ``ρ ≥ (|tr Jᵏ| / n)^{1/k}`` (``|Σ μᵢᵏ| ≤ n ρᵏ``) for
    ``k = 1, 2, 4, …``; powers by squaring in ball arithmetic enclose ``Jᵏ`` for every ``J`` in the balls.
    Used when Arb cannot isolate the eigenvalues (clusters, e.g. a many-fold eigenvalue 0).
    """
    f = flint()
    n = len(rows)
    if n == 0:
        return f.arb(0), f.arb(0)
    M = f.arb_mat(rows)
    lower, upper = f.arb(0), None
    k = 1
    for _ in range(POWER_STEPS + 1):
        norm = max(sum((abs(M[i, j]) for j in range(n)), f.arb(0)).upper() for i in range(n))
        root = f.arb(1) / k
        up = (norm.upper() ** root).upper() if norm > 0 else f.arb(0)
        upper = up if upper is None else upper.min(up).upper()
        trace = abs(M.trace()).lower()
        if trace > 0:
            lower = lower.max(((trace / n) ** root).lower())
        M = M * M
        k *= 2
    return lower, upper
