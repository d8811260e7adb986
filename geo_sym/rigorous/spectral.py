"""Rigorous spectral facts about the maps' derivatives: operator-norm bounds and eigenvalue enclosures.

Everything here decides inequalities with Arb ball arithmetic (python-flint) or exactly:

* :func:`point_slope` encloses ``T⁺ DΦ(x) T`` at an exact state ``x`` (the interval map of
  :mod:`geo_sym.rigorous.interval` evaluated on the exact point);
* :func:`norm_lower_bound` turns a rational tangent vector ``t`` into a rigorous enclosure of
  ``‖DΦ(x) t‖² / ‖t‖²`` — a lower bound of the Euclidean operator norm on the tangent space
  (``docs/claims.md`` §1: ``DΦ`` maps tangent vectors to tangent vectors, so ``DΦ T u = T S u``);
* :func:`eigenvalue_enclosures` encloses the eigenvalues of every matrix in a ball matrix (Arb's
  contract for ``acb_mat_eig_multiple``: the output contains the eigenvalues of every matrix in the
  input balls);
* :func:`exact_eigenvalues` isolates the roots of an exact rational characteristic polynomial,
  factor by factor (an algebraic number is its minimal polynomial plus an isolating ball).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from geo_sym.rigorous.interval import interval_map, require_flint

__all__ = [
    "point_slope",
    "norm_lower_bound",
    "NormBound",
    "eigenvalue_enclosures",
    "spectral_radius_bounds",
    "exact_eigenvalues",
    "ExactEigenvalue",
    "arb_fraction_bounds",
    "charpoly_ball",
    "roots_in_disk",
    "precise_interval_map",
]

PREC = 212


def _flint():
    return require_flint()


def arb_fraction_bounds(x) -> tuple[Fraction, Fraction]:
    """Exact rational bounds ``lo ≤ x ≤ hi`` of an Arb ball."""
    mid = x.mid().man_exp()
    rad = x.rad().man_exp()
    m = Fraction(int(mid[0])) * Fraction(2) ** int(mid[1])
    r = Fraction(int(rad[0])) * Fraction(2) ** int(rad[1])
    return m - r, m + r


def _arb_q(v):
    flint = _flint()
    fr = Fraction(str(v)) if not isinstance(v, Fraction) else v
    return flint.arb(flint.fmpq(fr.numerator, fr.denominator))


def point_slope(econ, state):
    """``(chart, S)``: ``S ⊇ T⁺ DΦ(x) T`` at the exact state ``x`` (an Arb matrix), or ``(chart, None)``.

    ``None`` when the interval evaluation fails (for instance ``normalize(0)`` at that state). At a kink
    the slope range covers both one-sided derivatives.
    """
    flint = _flint()
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        imap = precise_interval_map(econ)
        chart = imap.chart
        x = state.flat()
        u = [x[k] for k in chart.kept]
        img = imap.evaluate([_arb_q(v) for v in u], jacobian=True)
    finally:
        flint.ctx.prec = old
    return chart, (img.slope if img.ok else None)


def precise_interval_map(econ):
    """The economy's interval map (its constants are rounded at :data:`~geo_sym.rigorous.interval.CONSTANT_PREC` bits)."""
    return interval_map(econ)


def _dense(T) -> np.ndarray:
    return T.toarray() if hasattr(T, "toarray") else np.asarray(T)


def _mid(S) -> np.ndarray:
    return np.array([[float(S[i, j].mid()) for j in range(S.ncols())] for i in range(S.nrows())])


@dataclass(frozen=True)
class NormBound:
    """A rigorous lower bound of the tangent operator norm at a point.

    Attributes
    ----------
    tangent : list of Fraction
        The ambient tangent vector ``t = T u`` (flat state order, sum-zero on simplex blocks).
    ratio_squared : tuple of Fraction
        ``[lo, hi]`` enclosing ``‖DΦ(x) t‖² / ‖t‖²``.
    estimate : float
        The floating-point operator norm of the midpoint matrix (numeric evidence).
    """

    tangent: list
    ratio_squared: tuple
    estimate: float

    def __repr__(self) -> str:
        return f"NormBound(ratio²≥{float(self.ratio_squared[0]):.6g}, estimate={self.estimate:.6g})"


def norm_lower_bound(chart, S, max_den: int = 10**6) -> NormBound | None:
    """A rational tangent vector near the top right singular vector, and its rigorous ratio ``‖DΦ t‖²/‖t‖²``.

    In chart coordinates ``t = T u`` and ``DΦ t = T S u``; with ``T = Q R`` (``Q`` orthonormal) the
    ratio is ``‖R S R⁻¹ v‖ / ‖v‖`` for ``v = R u``, whose maximiser is the top right singular vector.
    """
    flint = _flint()
    m = S.ncols()
    if m == 0:
        return None
    T = _dense(chart.T).astype(float)
    _, R = np.linalg.qr(T)
    M = R @ _mid(S) @ np.linalg.inv(R)
    _, sv, vt = np.linalg.svd(M)
    u = np.linalg.solve(R, vt[0])
    u = u / np.max(np.abs(u))
    uq = [Fraction(float(c)).limit_denominator(max_den) for c in u]
    if not any(uq):
        return None
    Ti = _dense(chart.T).astype(int)
    t = [sum((int(Ti[i, j]) * uq[j] for j in range(m)), Fraction(0)) for i in range(Ti.shape[0])]
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        ua = [_arb_q(c) for c in uq]
        Su = [sum((S[i, j] * ua[j] for j in range(m)), flint.arb(0)) for i in range(m)]
        TSu = [sum((int(Ti[i, j]) * Su[j] for j in range(m) if Ti[i, j]), flint.arb(0)) for i in range(Ti.shape[0])]
        num = sum((v * v for v in TSu), flint.arb(0))
        den = sum((c * c for c in t), Fraction(0))
        ratio = num / _arb_q(den)
    finally:
        flint.ctx.prec = old
    if not ratio.is_finite():
        return None
    return NormBound(t, arb_fraction_bounds(ratio), float(sv[0]))


def eigenvalue_enclosures(S) -> list | None:
    """Enclosures (Arb complex balls) of the eigenvalues of every matrix in the ball matrix ``S``, or ``None``."""
    flint = _flint()
    if S.nrows() == 0:
        return []
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        eig = flint.acb_mat(S).eig(multiple=True)
    except (ValueError, ArithmeticError):
        return None
    finally:
        flint.ctx.prec = old
    if not all(e.is_finite() for e in eig):
        return None
    return list(eig)


def spectral_radius_bounds(eigs) -> tuple[Fraction, Fraction]:
    """Rigorous ``[lo, hi]`` of the largest modulus among eigenvalue enclosures."""
    bounds = [arb_fraction_bounds(abs(e)) for e in eigs]
    return max(lo for lo, _ in bounds), max(hi for _, hi in bounds)


@dataclass(frozen=True)
class ExactEigenvalue:
    """An eigenvalue of a rational matrix: a root of ``minpoly`` (an irreducible factor over ℚ) in ``ball``."""

    minpoly: tuple  # coefficients, highest degree first, as Fractions
    ball: object  # flint.acb isolating the root among the roots of minpoly
    multiplicity: int

    def __repr__(self) -> str:
        return f"ExactEigenvalue(degree={len(self.minpoly) - 1}, ≈{complex(self.ball.mid())})"

    @property
    def modulus_bounds(self) -> tuple[Fraction, Fraction]:
        return arb_fraction_bounds(abs(self.ball))

    @property
    def rational(self) -> Fraction | None:
        if len(self.minpoly) == 2:
            return -self.minpoly[1] / self.minpoly[0]
        return None


def exact_eigenvalues(J) -> list:
    """Every eigenvalue of a rational SymPy matrix, isolated exactly (factor, then certified root isolation)."""
    import sympy as sp
    from sympy.polys.matrices import DomainMatrix

    flint = _flint()
    n = J.shape[0]
    if n == 0:
        return []
    coeffs = DomainMatrix.from_Matrix(J).convert_to(sp.QQ).charpoly()
    lam = sp.Symbol("lambda")
    poly = sp.Poly([sp.QQ.to_sympy(c) for c in coeffs], lam, domain="QQ")
    out = []
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        for factor, mult in poly.factor_list()[1]:
            cs = [Fraction(int(c.p), int(c.q)) for c in (sp.Rational(v) for v in factor.all_coeffs())]
            den = 1
            for c in cs:
                den = den * c.denominator // np.gcd(den, c.denominator)
            ints = [int(c * den) for c in cs]
            fp = flint.fmpz_poly(list(reversed(ints)))
            for root, _m in fp.complex_roots():
                out.append(ExactEigenvalue(tuple(cs), root, int(mult)))
    finally:
        flint.ctx.prec = old
    return out


def charpoly_ball(S) -> list:
    """Coefficients (low degree first, Arb balls) enclosing ``det(zI − A)`` for every ``A`` in the ball matrix ``S``."""
    flint = _flint()
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        poly = S.charpoly()
        return [poly[i] for i in range(poly.degree() + 1)]
    finally:
        flint.ctx.prec = old


def roots_in_disk(coeffs, radius) -> int | None:
    """How many roots of the real polynomial ``Σ c_i z^i`` lie strictly inside ``|z| < radius``, or ``None``.

    Schur–Cohn–Marden recursion (Marden, *Geometry of Polynomials*, Thm. 43.1) on ``p(radius·z)``:
    ``f_{j+1} = a_0 f_j − a_m f_j^*`` with ``δ_{j+1} = a_0² − a_m²``; when every ``δ`` has a certain sign,
    the count is the number of negative partial products ``δ_1 ⋯ δ_k``. ``None`` when a sign is not
    decided (a root on or too close to the circle, or coefficient balls too wide): never a guess.
    ``coeffs`` may be Arb balls or rationals (exact); ``radius`` a positive rational.
    """
    flint = _flint()
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        r = _arb_q(Fraction(str(radius)) if not isinstance(radius, Fraction) else radius)
        f = [flint.arb(c) if not isinstance(c, (Fraction, int)) else _arb_q(Fraction(c)) for c in coeffs]
        f = [c * r**i for i, c in enumerate(f)]
        while len(f) > 1 and f[-1] == 0:  # exact zero leading coefficients (exact input only)
            f.pop()
        n = len(f) - 1
        if n <= 0:
            return 0
        if not (f[-1] > 0 or f[-1] < 0):
            return None
        product = flint.arb(1)
        inside = 0
        for m in range(n, 0, -1):  # f has formal degree m
            a0, am = f[0], f[m]
            delta = a0 * a0 - am * am
            if not (delta > 0 or delta < 0):
                return None
            product = product * delta
            if product < 0:
                inside += 1
            f = [a0 * f[i] - am * f[m - i] for i in range(m)]
        return inside
    finally:
        flint.ctx.prec = old
