"""Exact and rigorous decisions: signs of exact expressions, enclosures, real figures.

Every quantity the verifier compares is an exact SymPy expression built here from rationals (+, ×,
powers, square roots, ``exp`` of the path values, real algebraic numbers as ``CRootOf``), or an Arb
ball computed by outward-rounded arithmetic (python-flint). A sign is decided

* exactly for rationals;
* otherwise by Arb enclosures at increasing precision (:data:`PRECISIONS`), accepted only when the ball
  excludes 0 (every operation of Arb rounds outward: the ball contains the true value);
* when a ball keeps containing 0, by an exact zero test: an expression in ``exp`` of rationals is a
  rational function of ``t = exp(1/L)`` (``L`` the lcm of the denominators) with algebraic
  coefficients, and ``t`` is transcendental over the algebraic numbers (Lindemann–Weierstrass), so it
  is zero iff every coefficient of its cancelled numerator is; an algebraic number is zero iff its
  minimal polynomial is ``x``.

What none of these decides makes the check fail ("undecided"), never a floating-point comparison.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import sympy as sp
from sympy.polys.polyerrors import NotAlgebraic, PolynomialError

from geo_sym.errors import OptionalDependencyError
from proofs.verify.reading import Algebraic, Failed

__all__ = [
    "flint",
    "PRECISIONS",
    "precision",
    "arb_q",
    "arb_interval",
    "to_arb",
    "sign",
    "exact_zero",
    "show",
    "arb_to_fraction_bounds",
    "real_matches",
    "rational_or_none",
]

PRECISIONS = (64, 128, 256, 512, 1024, 2048, 4096)  # bits of the Arb ladder
MAX_T_DEGREE = 20_000  # largest power of t = exp(1/L) handled by the exact zero test
_T = sp.Symbol("t", positive=True)


def _load_flint():
    try:
        import flint as module
    except ImportError:
        return None
    return module


_FLINT = _load_flint()


def flint():
    """The python-flint module (Arb ball arithmetic); a clear error when it is missing."""
    if _FLINT is None:
        raise OptionalDependencyError(
            "geo-sym verify needs python-flint (Arb ball arithmetic): pip install python-flint"
        )
    return _FLINT


@contextmanager
def precision(bits: int):
    """Run a block with Arb's working precision set to ``bits``."""
    ctx = flint().ctx
    old = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = old


def arb_q(r):
    """A ball containing the rational ``r`` (exact when ``r`` is dyadic)."""
    r = sp.Rational(r)
    f = flint()
    return f.arb(f.fmpq(int(r.p), int(r.q)))


def arb_interval(lo, hi):
    """A ball containing the interval ``[lo, hi]`` (rational endpoints)."""
    return arb_q(lo).union(arb_q(hi))


def _root_ball(root):
    """A ball containing the real algebraic number ``root`` (a ``CRootOf``), from exact isolation."""
    f = flint()
    bits = f.ctx.prec + 8
    dx = sp.Rational(1, 2**bits)
    q = root.eval_rational(dx=dx, dy=dx, n=max(15, int(bits * 0.31)))
    q = sp.Rational(sp.re(q))
    return arb_interval(q - dx, q + dx)


def to_arb(e, env=None, memo=None):
    """An Arb enclosure of the exact expression ``e`` at the current precision.

    ``env`` maps SymPy symbols to balls (interval inputs). Raises :class:`Failed` for a node the
    verifier does not enclose.
    """
    if memo is None:
        memo = {}
    if e in memo:
        return memo[e]
    f = flint()
    if e.is_Symbol:
        if env is None or e not in env:
            raise Failed(f"internal: no value for the symbol {e}")
        out = env[e]
    elif e.is_Rational:
        out = arb_q(e)
    elif e is sp.E:
        out = f.arb.const_e()
    elif e.is_Add:
        out = f.arb(0)
        for a in e.args:
            out = out + to_arb(a, env, memo)
    elif e.is_Mul:
        out = f.arb(1)
        for a in e.args:
            out = out * to_arb(a, env, memo)
    elif e.is_Pow:
        out = _pow(e, env, memo)
    elif isinstance(e, sp.exp):
        out = to_arb(e.args[0], env, memo).exp()
    elif isinstance(e, sp.log):
        out = to_arb(e.args[0], env, memo).log()
    elif isinstance(e, sp.Abs):
        out = abs(to_arb(e.args[0], env, memo))
    elif isinstance(e, (sp.Max, sp.Min)):
        args = [to_arb(a, env, memo) for a in e.args]
        out = args[0]
        for a in args[1:]:
            out = out.max(a) if isinstance(e, sp.Max) else out.min(a)
    elif isinstance(e, sp.CRootOf) and e.is_real:
        out = _root_ball(e)
    else:
        raise Failed(f"the verifier cannot enclose {type(e).__name__} in ball arithmetic")
    memo[e] = out
    return out


def _integer_power(b, n: int):
    """``b**n`` by repeated multiplication (python-flint's ``arb ** int`` is NaN on balls containing 0)."""
    if n % 2 == 0:
        b = abs(b)
    out = flint().arb(1)
    while n:
        if n & 1:
            out = out * b
        b = b * b
        n >>= 1
    return out


def _pow(e, env, memo):
    base, ex = e.args
    b = to_arb(base, env, memo)
    if ex.is_Integer:
        n = int(ex)
        out = _integer_power(b, abs(n))
        return 1 / out if n < 0 else out
    if ex == sp.Rational(1, 2):
        return b.sqrt()
    if ex == sp.Rational(-1, 2):
        return 1 / b.sqrt()
    return (to_arb(ex, env, memo) * b.log()).exp()


# ============================================================================ exact zero test
def _algebraic_zero(c):
    if c.is_Rational:
        return c == 0
    if c.free_symbols or c.has(sp.exp, sp.log, sp.E, sp.pi):
        return None
    try:
        x = sp.Dummy("x")
        return sp.minimal_polynomial(c, x) == x
    except (NotAlgebraic, NotImplementedError, PolynomialError):
        return None


def exact_zero(e):
    """``True``/``False`` when ``e == 0`` is decided exactly, ``None`` when it cannot be."""
    if e.is_Rational:
        return e == 0
    exps = [a for a in e.atoms(sp.exp)]
    if not exps and not e.has(sp.E):
        return _algebraic_zero(e)
    args = [a.args[0] for a in exps] + ([sp.Integer(1)] if e.has(sp.E) else [])
    if any(not r.is_Rational for r in args):
        return None  # exp of an irrational: no exact test here
    L = 1
    for r in args:
        L = math.lcm(L, int(r.q))
    if max(abs(r * L) for r in args) > MAX_T_DEGREE:
        return None
    rep = {a: _T ** int(a.args[0] * L) for a in exps}
    rep[sp.E] = _T**L
    num, _ = sp.fraction(sp.together(e.xreplace(rep)))
    try:
        poly = sp.Poly(sp.expand(num), _T)
    except PolynomialError:
        return None
    verdicts = [_algebraic_zero(c) for c in poly.coeffs()]
    if any(v is False for v in verdicts):
        return False
    if all(v is True for v in verdicts):
        return True
    return None


def sign(e, what: str) -> int:
    """The sign of the exact expression ``e``: exactly, or by a ball that excludes 0.

    Raises :class:`Failed` ("undecided") when neither decides.
    """
    if isinstance(e, int):
        e = sp.Integer(e)
    if e.is_Rational:
        return int(bool(e > 0)) - int(bool(e < 0))
    zero_tried = False
    for bits in PRECISIONS:
        with precision(bits):
            x = to_arb(e)
            if x > 0:
                return 1
            if x < 0:
                return -1
            if x.is_exact() and x.is_zero():
                return 0
        if not zero_tried and bits >= 256:
            zero_tried = True
            z = exact_zero(e)
            if z:
                return 0
    raise Failed(f"{what}: sign undecided (not exactly zero-testable; its ball at {PRECISIONS[-1]} bits contains 0)")


def rational_or_none(e):
    """``e`` as a SymPy Rational when it is one, else ``None``."""
    return e if getattr(e, "is_Rational", False) else None


# ============================================================================ figures
def show(e, digits: int = 12) -> str:
    """A figure as text: ``p/q`` for rationals, else a decimal enclosure midpoint with ``≈``."""
    if getattr(e, "is_Rational", False):
        return str(e)
    try:
        with precision(128):
            x = to_arb(e) if isinstance(e, sp.Basic) else e
            return "≈ " + x.mid().str(digits, radius=False)
    except Failed:
        return str(e)


def arb_to_fraction_bounds(x) -> tuple:
    """Exact rational ``(lo, hi)`` with ``x ⊂ [lo, hi]``."""
    lo = x.lower().mid().man_exp()
    hi = x.upper().mid().man_exp()
    return (sp.Integer(lo[0]) * sp.Rational(2) ** int(lo[1]), sp.Integer(hi[0]) * sp.Rational(2) ** int(hi[1]))


def _algebraic_value(alg: Algebraic):
    """The real root of ``alg.minpoly`` in ``alg.re``, exactly (it must be the only one)."""
    x = sp.Dummy("x")
    poly = sp.Poly(list(alg.minpoly), x)
    lo, hi = alg.re
    if poly.count_roots(lo, hi) != 1:
        return None
    for r in poly.real_roots():
        if sign(r - lo, "root − lo") >= 0 and sign(hi - r, "hi − root") >= 0:
            return r
    return None


def real_matches(value, claimed, field: str) -> str:
    """Check that the witness's real figure ``claimed`` is the recomputed exact ``value``.

    A rational must equal it exactly; an enclosure ``(lo, hi)`` must contain it; an algebraic number
    must be the same real number. Returns a short description; raises :class:`Failed` otherwise.
    """
    if isinstance(claimed, tuple):
        lo, hi = claimed
        if sign(value - lo, f"{field} − lo") < 0 or sign(hi - value, f"hi − {field}") < 0:
            raise Failed(f"{field} = [{lo}, {hi}] does not contain the recomputed value {show(value)}")
        return "contains it"
    if isinstance(claimed, Algebraic):
        root = _algebraic_value(claimed)
        if root is None:
            raise Failed(f"{field}: its interval does not isolate exactly one real root of its polynomial")
        if sign(root - value, f"{field} − recomputed") != 0:
            raise Failed(f"{field} = {show(root)} is not the recomputed value {show(value)}")
        return "equals it"
    if sign(value - claimed, f"{field} − recomputed") != 0:
        raise Failed(f"{field} = {claimed} is not the recomputed value {show(value)}")
    return "equals it"
