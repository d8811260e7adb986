"""Exact and rigorous decisions used by the checks.

* :func:`certain_sign` decides the sign of a closed-form real expression (rationals,
  ``+ * /``, integer powers, ``exp``, ``sqrt``, ``log``) with interval arithmetic
  (``mpmath.iv``, outward rounding) at increasing precision: the answer is certain or
  ``None``, never a guess.
* :func:`exact_spectrum` analyses a rational matrix: exact characteristic polynomial over
  ``QQ``, its factorisation, rational eigenvalues, and exact comparisons of moduli.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy as sp

__all__ = ["certain_sign", "interval_of", "exact_bounds", "exact_spectrum", "ExactSpectrum", "is_rational_matrix"]


def _iv(expr, ctx):
    if isinstance(expr, sp.Rational):
        return ctx.mpf(int(expr.p)) / ctx.mpf(int(expr.q))
    if expr is sp.E:
        return ctx.exp(ctx.mpf(1))
    if isinstance(expr, sp.Float):
        raise TypeError("floating-point numbers have no exact value")
    if expr.is_Add:
        out = ctx.mpf(0)
        for a in expr.args:
            out = out + _iv(a, ctx)
        return out
    if expr.is_Mul:
        out = ctx.mpf(1)
        for a in expr.args:
            out = out * _iv(a, ctx)
        return out
    if expr.is_Pow:
        base, ex = expr.args
        b = _iv(base, ctx)
        if isinstance(ex, sp.Integer):
            n = int(ex)
            if n >= 0:
                return b**n
            return ctx.mpf(1) / (b ** (-n))
        if ex == sp.Rational(1, 2):
            return ctx.sqrt(b)
        if ex == sp.Rational(-1, 2):
            return ctx.mpf(1) / ctx.sqrt(b)
        raise TypeError(f"unsupported power {expr}")
    if isinstance(expr, sp.exp):
        return ctx.exp(_iv(expr.args[0], ctx))
    if isinstance(expr, sp.log):
        return ctx.log(_iv(expr.args[0], ctx))
    if isinstance(expr, sp.Abs):
        v = _iv(expr.args[0], ctx)
        return abs(v)
    raise TypeError(f"unsupported expression {type(expr).__name__}")


def interval_of(expr, digits: int = 50):
    """A rigorous enclosure ``[a, b]`` of a real closed-form expression (mpmath interval)."""
    ctx = mpmath.iv
    old = ctx.dps
    try:
        ctx.dps = digits
        return _iv(expr if isinstance(expr, sp.Basic) else sp.Rational(expr), ctx)
    finally:
        ctx.dps = old


def certain_sign(expr, max_digits: int = 400):
    """The sign (-1, 0, +1) of a real closed-form expression, or ``None`` if undecided.

    ``0`` is returned only when SymPy reduces the expression to the exact integer 0 (or
    ``cancel`` gives a zero numerator); a non-zero sign needs an enclosure excluding 0.
    """
    expr = expr if isinstance(expr, sp.Basic) else sp.Rational(expr)
    if isinstance(expr, sp.Rational):
        return int(bool(expr > 0)) - int(bool(expr < 0))
    if sp.cancel(sp.together(expr)) == 0:
        return 0
    digits = 30
    while digits <= max_digits:
        try:
            enc = interval_of(expr, digits)
        except (TypeError, ZeroDivisionError, ValueError):
            return None
        if enc.a > 0:
            return 1
        if enc.b < 0:
            return -1
        digits *= 2
    return None


def is_rational_matrix(M: sp.Matrix) -> bool:
    return all(isinstance(v, sp.Rational) for v in M)


@dataclass(frozen=True)
class ExactSpectrum:
    """Exact spectral data of a rational matrix.

    Attributes
    ----------
    charpoly : sympy.Poly
        ``det(λI - J)`` over ``QQ``.
    factors : list of (Poly, int)
        Irreducible factors over ``QQ`` with multiplicities.
    rational_eigenvalues : list of Rational
    max_modulus_root : sympy expression
        A root of largest modulus (exact: Rational or ``CRootOf``).
    spectral_radius_float : float
    """

    charpoly: sp.Poly
    factors: list
    rational_eigenvalues: list
    max_modulus_root: object
    spectral_radius_float: float

    def __repr__(self) -> str:
        return f"ExactSpectrum(degree={self.charpoly.degree()}, rho≈{self.spectral_radius_float:.6g})"


def exact_spectrum(J: sp.Matrix, symbol: str = "lambda") -> ExactSpectrum:
    """Characteristic polynomial, factorisation and eigenvalues of a rational matrix, exactly."""
    from sympy.polys.matrices import DomainMatrix

    lam = sp.Symbol(symbol)
    n = J.shape[0]
    if n == 0:
        poly = sp.Poly(1, lam, domain="QQ")
        return ExactSpectrum(poly, [], [], sp.Integer(0), 0.0)
    dm = DomainMatrix.from_Matrix(J).convert_to(sp.QQ)
    coeffs = dm.charpoly()
    poly = sp.Poly([sp.Rational(sp.QQ.to_sympy(c)) for c in coeffs], lam, domain="QQ")
    _, factors = poly.factor_list()
    rational = []
    best, best_mod = sp.Integer(0), -1.0
    for f, _mult in factors:
        if f.degree() == 1:
            r = -f.nth(0) / f.nth(1)
            rational.append(sp.Rational(r))
            roots = [r]
        else:
            roots = f.all_roots()
        for r in roots:
            m = float(abs(complex(sp.N(r, 30))))
            if m > best_mod:
                best, best_mod = r, m
    return ExactSpectrum(poly, factors, rational, best, max(best_mod, 0.0))


def _mpf_fraction(t) -> Fraction:
    sign, man, exp, _ = t
    if man == 0:
        return Fraction(0)
    v = Fraction(int(man)) * (Fraction(2) ** int(exp))
    return -v if sign else v


def exact_bounds(expr, digits: int = 60) -> tuple[Fraction, Fraction]:
    """Exact rationals ``lo ≤ expr ≤ hi`` from an outward-rounded enclosure (the endpoints are the enclosure's)."""
    enc = interval_of(expr, digits)
    lo, hi = enc._mpi_
    return _mpf_fraction(lo), _mpf_fraction(hi)
