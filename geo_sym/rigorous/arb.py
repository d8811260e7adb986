r"""The Arb backend (python-flint) and the tight interval operations the rigorous code is built on.

Every quantity is an Arb ball (midpoint and radius) and arithmetic is rounded outwards, so each
computed ball contains the exact real value. Arb's own product and monotone functions of a *wide*
ball keep ``|mid| ± rad`` and lose signs (a ball product of ``[0, 3]`` by itself includes negative
numbers); the operations here compute such results from the endpoints instead, so that signs are
kept and enclosures stay tight. Failure is never silent: an operation that cannot produce a finite
enclosure (a division by a ball that contains 0, an exponential of a non-finite ball) raises
:class:`EnclosureFailure`, which the interval map turns into an undecided result.
"""

from __future__ import annotations

import math

import sympy as sp

from geo_sym.errors import GeoSymError, OptionalDependencyError

__all__ = [
    "FLINT_INSTALL_HINT",
    "require_flint",
    "flint_module",
    "EnclosureFailure",
    "imul",
    "narrow_factor",
    "iabs",
    "isqr",
    "iexp",
    "irecip",
    "idiv",
    "isqrt",
    "ipow",
    "hull",
    "intersect",
    "unit_slope",
    "rational_ball",
    "float_down",
    "float_up",
]

FLINT_INSTALL_HINT = "pip install python-flint (a dependency of geo-sym; reinstall geo-sym)"


def require_flint():
    """Import ``flint`` (python-flint, the Arb backend) or raise :class:`OptionalDependencyError`."""
    try:
        import flint
    except ImportError as exc:
        raise OptionalDependencyError(
            "rigorous certificates need python-flint (Arb interval arithmetic), which is not installed: "
            f"{FLINT_INSTALL_HINT}  (or: pip install python-flint)"
        ) from exc
    return flint


class EnclosureFailure(GeoSymError, ArithmeticError):
    """An interval operation could not produce a finite enclosure (internal; turned into ``ok=False``)."""


_F = None  # the flint module, bound by require_flint() on first use


def flint_module():
    """The ``flint`` module, imported once (see :func:`require_flint`)."""
    global _F
    if _F is None:
        _F = require_flint()
    return _F


# ------------------------------------------------------------------------------------ tight interval ops
def hull(lo, hi):
    """The ball of the interval ``[lo, hi]`` (``lo``, ``hi`` exact or balls; outward)."""
    return lo.union(hi)


def _is_wide(a) -> bool:
    return not a.is_exact() and a.rad() > 1e-6 * abs(a.mid())


def imul(a, b):
    """Interval product, tight for wide operands (endpoint products), ball product otherwise."""
    if a.is_exact() or b.is_exact() or not (_is_wide(a) and _is_wide(b)):
        return a * b
    al, ah, bl, bh = a.lower(), a.upper(), b.lower(), b.upper()
    ps = (al * bl, al * bh, ah * bl, ah * bh)
    lo = ps[0].lower()
    hi = ps[0].upper()
    for p in ps[1:]:
        pl, ph = p.lower(), p.upper()
        if pl < lo:
            lo = pl
        if ph > hi:
            hi = ph
    return hull(lo, hi)


def narrow_factor(b) -> bool:
    """True when :func:`imul` of any ball by ``b`` is the plain ball product (``b`` exact or narrow)."""
    return b.is_exact() or not _is_wide(b)


def iabs(a):
    """``|a|`` with a lower bound of 0 when the ball contains 0 (Arb's ``abs`` keeps ``|mid| ± rad``)."""
    if a >= 0:
        return a
    if a <= 0:
        return -a
    return hull(flint_module().arb(0), a.abs_upper())


def isqr(a):
    """``a²`` (non-negative, tight)."""
    b = iabs(a)
    if not _is_wide(b):
        return b * b
    lo, hi = b.lower().max(flint_module().arb(0)), b.upper()
    return hull((lo * lo).lower().max(flint_module().arb(0)), (hi * hi).upper())


def iexp(a):
    """``exp`` from the endpoints (monotone), positive even for wide balls."""
    if not a.is_finite():
        raise EnclosureFailure("exp of a non-finite ball")
    if not _is_wide(a):
        return a.exp()
    return hull(a.lower().exp().lower(), a.upper().exp().upper())


def irecip(a):
    """``1/a``; fails when the ball of ``a`` contains 0 or is not finite."""
    if not a.is_finite() or not (a > 0 or a < 0):
        raise EnclosureFailure(f"division by a ball that contains 0 ({a.str(5)})")
    if not _is_wide(a):
        return 1 / a
    lo, hi = a.lower(), a.upper()
    return hull((1 / hi).lower(), (1 / lo).upper())


def idiv(a, b):
    """``a / b`` as ``a · (1/b)`` (see :func:`irecip`)."""
    return imul(a, irecip(b))


def isqrt(a):
    """``sqrt`` of a quantity known to be non-negative (a squared norm): negative parts are cut off."""
    if not a.is_finite() or a.upper() < 0:
        raise EnclosureFailure("square root of a ball with no non-negative values")
    a = a.max(flint_module().arb(0))
    return hull(a.lower().sqrt().lower(), a.upper().sqrt().upper())


def ipow(b, k: int):
    """``b**k`` for an integer ``k >= 0`` by repeated :func:`imul` (``1`` for ``k = 0``)."""
    out = None
    for _ in range(k):
        out = b if out is None else imul(out, b)
    return out if out is not None else flint_module().arb(1)


def intersect(a, b):
    """``a ∩ b`` as a ball; fails when they are disjoint (a contradiction for a true enclosure)."""
    try:
        return a.intersection(b)
    except ValueError:
        raise EnclosureFailure("enclosures that must overlap are disjoint") from None


def unit_slope():
    """The slope range ``[0, 1]`` of ``max(0, ·)`` and of ``clip`` across a kink."""
    return flint_module().arb(0.5, 0.5)


def rational_ball(r):
    """An exact SymPy rational as an Arb ball (exact when dyadic)."""
    flint = flint_module()
    r = sp.Rational(r)
    if r.q == 1:
        return flint.arb(int(r.p))
    return flint.arb(flint.fmpq(int(r.p), int(r.q)))


# ------------------------------------------------------------------------------------ rounding to floats
def float_down(a) -> float:
    """A float ``≤`` every point of the ball ``a`` (``-inf`` when not finite)."""
    if not a.is_finite():
        return -math.inf
    lo = a.lower()
    f = float(lo)
    if flint_module().arb(f) > lo:
        f = math.nextafter(f, -math.inf)
    return f


def float_up(a) -> float:
    """A float ``≥`` every point of the ball ``a`` (``+inf`` when not finite)."""
    if not a.is_finite():
        return math.inf
    hi = a.upper()
    f = float(hi)
    if flint_module().arb(f) < hi:
        f = math.nextafter(f, math.inf)
    return f
