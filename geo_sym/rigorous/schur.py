r"""Root location relative to the unit circle, exactly: the Schur–Cohn matrix read by Descartes' rule.

For a real polynomial :math:`q(z) = \sum_{k=0}^d a_k z^k` (formal degree ``d``; ``a_d`` may vanish,
which puts a root at infinity) let ``A`` and ``B`` be the lower-triangular Toeplitz matrices with
first columns :math:`(a_0, …, a_{d-1})` and :math:`(a_d, …, a_1)`. The Schur–Cohn matrix
:math:`C = B^\top B - A^\top A` is symmetric, and (Schur–Cohn–Fujiwara; Krein–Naimark for the
singular case) its number of positive / negative eigenvalues is the number of roots of
:math:`q / \gcd(q, q^*)` inside / outside the unit circle, where :math:`q^*(z) = z^d q(1/z)`;
its nullity is :math:`\deg \gcd(q, q^*)`, the roots that come in pairs :math:`(z, 1/\bar z)` or lie
on the circle.

Because ``C`` is symmetric its characteristic polynomial has only real roots, so Descartes' rule
of signs counts its positive eigenvalues *exactly* from the signs of the coefficients
:math:`e_0, …, e_{d-1}` — with no exception for vanishing coefficients. That is what makes the
classification a function of the signs of finitely many polynomials in the parameters, valid at
every parameter point (not only generic ones). The only remaining case is a singular ``C`` (a root
on the circle, or a reciprocal pair): a root at ``±1`` is read off ``q(±1)``, and a single pair
:math:`\{z, 1/z\}` (nullity 2) lies on the circle exactly when :math:`4 s_2 s_0 - s_1^2 > 0` for the
degree-2 subresultant :math:`s_2 z^2 + s_1 z + s_0 \propto \gcd(q, q^*)`. Rarer coincidences are
reported as unsupported, never guessed.
"""

from __future__ import annotations

import sympy as sp

from geo_sym.errors import SolverError
from geo_sym.rigorous.algebraic import sign_changes

__all__ = [
    "BOUNDARY",
    "schur_cohn_matrix",
    "subresultant",
    "derived_polynomials",
    "classify_factor",
    "exact_location",
]

#: the class of a parameter point where some root lies on the unit circle
BOUNDARY = "boundary"


def schur_cohn_matrix(a) -> sp.Matrix:
    """``C = BᵀB − AᵀA`` for coefficients ``a = (a_0, …, a_d)`` (lowest degree first)."""
    d = len(a) - 1
    A = sp.zeros(d, d)
    B = sp.zeros(d, d)
    for i in range(d):
        for j in range(i + 1):
            A[i, j] = a[i - j]
            B[i, j] = a[d - (i - j)]
    return (B.T * B - A.T * A).applyfunc(sp.expand)


def subresultant(f, g, j: int) -> list:
    """Coefficients (highest first) of the ``j``-th subresultant of ``f`` and ``g``.

    ``f`` and ``g`` are coefficient lists, highest degree first, of formal degrees ``m`` and
    ``n``, and ``j < min(m, n)``. The subresultant is defined by determinants of submatrices of
    the Sylvester matrix, so it specializes: its value at a parameter point is the subresultant
    of the specialized polynomials (formal degrees kept).
    """
    m, n = len(f) - 1, len(g) - 1
    width = m + n - j
    rows = []
    for i in range(n - j):
        rows.append([0] * i + list(f) + [0] * (width - i - m - 1))
    for i in range(m - j):
        rows.append([0] * i + list(g) + [0] * (width - i - n - 1))
    r = m + n - 2 * j
    head = [row[: r - 1] for row in rows]
    out = []
    for i in range(j, -1, -1):
        col = width - 1 - i
        M = sp.Matrix([h + [row[col]] for h, row in zip(head, rows)])
        out.append(sp.expand(M.det(method="berkowitz")))
    return out


def derived_polynomials(coeffs, params) -> dict:
    """The polynomials in the parameters whose signs decide where the roots of one factor lie.

    Parameters
    ----------
    coeffs : list of sympy.Expr
        ``(a_0, …, a_d)``, polynomials in ``params`` with rational coefficients, ``d >= 1``.
    params : tuple of sympy.Symbol

    Returns
    -------
    dict
        ``lc`` (``a_d``), ``tail`` (``a_0 = q(0)``), ``one`` (``q(1)``), ``minus_one``
        (``q(-1)``), ``e0`` … ``e{d-1}`` (characteristic polynomial of the Schur–Cohn matrix,
        ``det(μI − C) = μ^d + Σ e_k μ^k``) and, for ``d >= 2``, ``pair`` (``4 s_2 s_0 − s_1²``).
    """
    from sympy.polys.matrices import DomainMatrix

    d = len(coeffs) - 1
    out = {
        "lc": coeffs[-1],
        "tail": coeffs[0],
        "one": sp.expand(sum(coeffs)),
        "minus_one": sp.expand(sum(c * (-1) ** k for k, c in enumerate(coeffs))),
    }
    C = schur_cohn_matrix(coeffs)
    dom = sp.QQ[params] if params else sp.QQ
    dm = DomainMatrix.from_Matrix(C).convert_to(dom)
    chi = [dom.to_sympy(c) for c in dm.charpoly()]  # highest first, leading 1
    for k in range(d):
        out[f"e{k}"] = sp.expand(chi[d - k])
    if d == 2:
        a0, a1, a2 = coeffs
        out["pair"] = sp.expand(4 * a0 * a2 - a1**2)
    elif d > 2:
        high = list(reversed(coeffs))
        s2, s1, s0 = subresultant(high, list(coeffs), 2)
        out["pair"] = sp.expand(4 * s2 * s0 - s1**2)
    return out


def classify_factor(signs: dict, d: int):
    """Where the roots of one factor lie, from the signs of its :func:`derived_polynomials`.

    Returns
    -------
    tuple of int or str
        ``(inside, outside)`` root counts (a root at infinity, from a vanishing leading
        coefficient, counts as outside), or :data:`BOUNDARY` when a root lies on the unit circle.

    Raises
    ------
    SolverError
        For the coincidences this reading does not decide: a root at 0 and at infinity at once,
        or several reciprocal pairs at once.
    """
    if signs["lc"] == 0 and signs["tail"] == 0:
        raise SolverError(
            "a parameter point where one factor of the characteristic polynomial has a root at 0 and a root at "
            "infinity at once is not supported by the exact root location"
        )
    e = [signs[f"e{k}"] for k in range(d)] + [1]
    k0 = next(k for k in range(d + 1) if e[k] != 0)
    pos = sign_changes(list(reversed(e[k0:])))
    neg = d - k0 - pos
    if k0 == 0:
        return pos, neg
    if signs["one"] == 0 or signs["minus_one"] == 0:
        return BOUNDARY
    if k0 == 2:
        if signs["pair"] > 0:
            return BOUNDARY
        if signs["pair"] < 0:
            return pos + 1, neg + 1
        raise SolverError(  # pragma: no cover - pair = 0 on this stratum forces a root at ±1
            "inconsistent signs: a double reciprocal root that is not at ±1"
        )
    raise SolverError(
        f"a parameter point where {k0} roots of one factor pair up as z and 1/z (or lie on the unit circle) at "
        "once is not supported by the exact root location"
    )


def exact_location(coeffs) -> tuple[int, int, int]:
    """``(inside, on, outside)`` root counts of a rational polynomial, exactly.

    ``coeffs`` are rational numbers, lowest degree first, formal degree ``len(coeffs) - 1``
    (roots at infinity from vanishing leading coefficients count as outside). Irreducible
    factors over ``Q`` are read one by one: a linear factor by comparing ``|root|`` with 1, a
    self-reciprocal one by counting the real roots in ``(−2, 2)`` of ``H`` with
    ``q(z) = z^k H(z + 1/z)`` (each gives a pair on the circle), any other one by the inertia of
    its (non-singular) Schur–Cohn matrix.
    """
    z = sp.Dummy("z")
    coeffs = [sp.Rational(c) for c in coeffs]
    n = len(coeffs) - 1
    while coeffs and coeffs[-1] == 0:
        coeffs.pop()
    if not coeffs:
        raise SolverError("the zero polynomial has no root count")
    at_infinity = n - (len(coeffs) - 1)
    inside = on = outside = 0
    _, factors = sp.factor_list(sp.Poly(list(reversed(coeffs)), z).as_expr(), z)
    for f, m in factors:
        fp = sp.Poly(f, z)
        i, o, u = _irreducible_location([sp.Rational(c) for c in reversed(fp.all_coeffs())])
        inside, on, outside = inside + m * i, on + m * o, outside + m * u
    return inside, on, outside + at_infinity


def _irreducible_location(a) -> tuple[int, int, int]:
    d = len(a) - 1
    if d == 1:
        r = abs(-a[0] / a[1])
        return (1, 0, 0) if r < 1 else (0, 1, 0) if r == 1 else (0, 0, 1)
    if list(reversed(a)) == a:  # self-reciprocal (irreducible of degree >= 2: even degree, no root at ±1)
        k = d // 2
        t = sp.Dummy("t")
        cheb = [sp.Integer(2), t]
        for _ in range(2, k + 1):
            cheb.append(sp.expand(t * cheb[-1] - cheb[-2]))
        H = a[k] + sum(a[k + j] * cheb[j] for j in range(1, k + 1))
        c = sp.Poly(H, t).count_roots(-2, 2)
        return (d - 2 * c) // 2, 2 * c, (d - 2 * c) // 2
    C = schur_cohn_matrix(a)
    chi = C.charpoly().all_coeffs()
    if chi[-1] == 0:  # pragma: no cover - gcd(q, q*) = 1 for an irreducible non-self-reciprocal q
        raise SolverError("singular Schur–Cohn matrix for an irreducible factor")
    pos = sign_changes(chi)
    return pos, 0, d - pos
