"""Exact real algebraic numbers and real root isolation over ``Q`` and over ``Q(α)``.

The decision procedures behind the parameter regions (:mod:`geo_sym.rigorous.cad`) need exact
signs of polynomials at real algebraic points. Everything here is exact: a real algebraic
number is an irreducible polynomial over ``Q`` with a rational isolating interval, a sign is
decided by exact division (zero) or by rational interval arithmetic on an interval that is
refined until it excludes zero (non-zero values are never guessed), and real roots of a
polynomial with coefficients in ``Q(α)`` are isolated by Sturm sequences whose signs are decided
in ``Q(α)`` in the same way.

Univariate polynomials are dense lists of ``QQ`` elements, highest degree first (SymPy's
``dup`` representation); elements of ``Q(α)`` are such lists reduced modulo the minimal
polynomial of ``α``.
"""

from __future__ import annotations

from sympy import QQ
from sympy.polys.densearith import dup_add, dup_mul, dup_neg, dup_rem, dup_sub
from sympy.polys.densebasic import dup_degree, dup_strip
from sympy.polys.densetools import dup_eval
from sympy.polys.euclidtools import dup_invert
from sympy.polys.rootisolation import dup_count_real_roots

from geo_sym.errors import SolverError

__all__ = ["RealAlgebraic", "real_roots", "NumberField", "FiberRoot", "isolate_fiber", "sign_changes"]

_ZERO = QQ(0)
_ONE = QQ(1)


def _sign(v) -> int:
    return 1 if v > 0 else -1 if v < 0 else 0


def sign_changes(signs) -> int:
    """Number of sign changes in a sequence of signs or numbers, zeros ignored (Descartes, Sturm)."""
    s = [_sign(v) for v in signs if v != 0]
    return sum(1 for a, b in zip(s, s[1:]) if a != b)


def _interval_eval(poly, lo, hi):
    """A rational enclosure ``[a, b]`` of ``poly`` on ``[lo, hi]`` (interval Horner scheme)."""
    a = b = _ZERO
    for c in poly:
        cands = (a * lo, a * hi, b * lo, b * hi)
        a, b = min(cands) + c, max(cands) + c
    return a, b


class RealAlgebraic:
    """A real algebraic number: the only root of ``minpoly`` in the open interval ``(lo, hi)``.

    ``minpoly`` is irreducible over ``Q`` (a dense list of ``QQ``, leading coefficient 1).
    For a rational number the minimal polynomial is linear and ``lo == hi`` is the number.
    The interval is refined in place by bisection; the number itself never changes.
    """

    __slots__ = ("minpoly", "lo", "hi")

    def __init__(self, minpoly, lo, hi):
        self.minpoly = minpoly
        self.lo, self.hi = QQ.convert(lo), QQ.convert(hi)
        if dup_degree(minpoly) == 1:
            r = -minpoly[1] / minpoly[0]
            self.lo = self.hi = r

    @classmethod
    def rational(cls, value) -> RealAlgebraic:
        v = QQ.convert(value)
        return cls([_ONE, -v], v, v)

    @property
    def is_rational(self) -> bool:
        return dup_degree(self.minpoly) == 1

    @property
    def degree(self) -> int:
        return dup_degree(self.minpoly)

    def __repr__(self) -> str:
        if self.is_rational:
            return f"RealAlgebraic({self.lo})"
        return f"RealAlgebraic(degree={self.degree}, in ({float(self.lo):.6g}, {float(self.hi):.6g}))"

    def __float__(self) -> float:
        while not self.is_rational and float(self.hi) - float(self.lo) > 1e-15 * max(1.0, abs(float(self.lo))):
            self.refine()
        return float((self.lo + self.hi) / 2)

    def refine(self) -> None:
        """Halve the isolating interval (exact: the sign of ``minpoly`` at the midpoint is never 0)."""
        if self.is_rational:
            return
        mid = (self.lo + self.hi) / 2
        s_mid = _sign(dup_eval(self.minpoly, mid, QQ))
        if s_mid == 0:  # pragma: no cover - impossible for an irreducible polynomial of degree >= 2
            raise SolverError(f"{self.minpoly} is not irreducible: it vanishes at {mid}")
        if s_mid == _sign(dup_eval(self.minpoly, self.lo, QQ)):
            self.lo = mid
        else:
            self.hi = mid

    def sign_of(self, poly) -> int:
        """The exact sign of the rational polynomial ``poly`` (dense ``QQ`` list) at this number."""
        poly = dup_strip(list(poly))
        if not poly:
            return 0
        if self.is_rational:
            return _sign(dup_eval(poly, self.lo, QQ))
        r = dup_rem(poly, self.minpoly, QQ)
        if not r:
            return 0
        while True:  # r(α) != 0 (minpoly is irreducible and does not divide r): the enclosure shrinks to it
            a, b = _interval_eval(r, self.lo, self.hi)
            if a > 0:
                return 1
            if b < 0:
                return -1
            self.refine()

    def compare(self, other: RealAlgebraic) -> int:
        """``-1``, ``0`` or ``1`` as this number is smaller than, equal to or larger than ``other``."""
        if self.is_rational and other.is_rational:
            return _sign(self.lo - other.lo)
        if self.is_rational:
            return -other.sign_of([_ONE, -self.lo])
        if other.is_rational:
            return self.sign_of([_ONE, -other.lo])
        if self is other:
            return 0
        while True:  # different numbers have isolating intervals that separate after enough bisections
            if self.hi <= other.lo:
                return -1
            if other.hi <= self.lo:
                return 1
            if self.minpoly == other.minpoly:
                # the same irreducible polynomial: equal exactly when one isolating interval holds both
                if _count_in(self.minpoly, min(self.lo, other.lo), max(self.hi, other.hi)) == 1:
                    return 0
            self.refine()
            other.refine()

    def bounds(self):
        return self.lo, self.hi


def _count_in(poly, lo, hi) -> int:
    return dup_count_real_roots(poly, QQ, inf=lo, sup=hi)


def real_roots(poly) -> list[RealAlgebraic]:
    """The real roots of an irreducible rational polynomial (dense ``QQ`` list), in increasing order."""
    from sympy import Dummy, Poly

    poly = dup_strip(list(poly))
    monic = [c / poly[0] for c in poly]
    if dup_degree(monic) == 1:
        return [RealAlgebraic(monic, -monic[1], -monic[1])]
    t = Dummy("t")
    intervals = Poly([QQ.to_sympy(c) for c in monic], t, domain="QQ").intervals()
    return [RealAlgebraic(monic, a, b) for (a, b), _k in intervals]


# ----------------------------------------------------------------------------------- Q(α)
class NumberField:
    """``Q(α)`` for a real algebraic ``α``; elements are ``QQ`` lists reduced modulo the minimal polynomial.

    When ``α`` is rational the field is ``Q`` itself and elements are constant lists.
    """

    __slots__ = ("alpha", "mod")

    def __init__(self, alpha: RealAlgebraic):
        self.alpha = alpha
        self.mod = alpha.minpoly

    def __repr__(self) -> str:
        return f"NumberField({self.alpha!r})"

    def element(self, poly_in_alpha):
        """Reduce a rational polynomial in ``α`` (dense list) to an element of the field."""
        return dup_rem(dup_strip(list(poly_in_alpha)), self.mod, QQ)

    def add(self, a, b):
        return dup_add(a, b, QQ)

    def sub(self, a, b):
        return dup_sub(a, b, QQ)

    def neg(self, a):
        return dup_neg(a, QQ)

    def mul(self, a, b):
        return dup_rem(dup_mul(a, b, QQ), self.mod, QQ)

    def inv(self, a):
        if not a:
            raise ZeroDivisionError("inverse of 0 in a number field")
        return dup_invert(a, self.mod, QQ)

    def rational(self, q):
        q = QQ.convert(q)
        return [q] if q else []

    def sign(self, a) -> int:
        """The exact sign of the element ``a`` (a real number, since ``α`` is real)."""
        return self.alpha.sign_of(a) if a else 0

    def magnitude_bound(self, a):
        """A rational upper bound of ``|a|``."""
        if not a:
            return _ZERO
        lo, hi = self.alpha.bounds()
        x, y = _interval_eval(a, lo, hi)
        return max(abs(x), abs(y))

    def magnitude_floor(self, a):
        """A positive rational lower bound of ``|a|`` for a non-zero element ``a``."""
        while True:
            lo, hi = self.alpha.bounds()
            x, y = _interval_eval(a, lo, hi)
            if x > 0:
                return x
            if y < 0:
                return -y
            self.alpha.refine()


# ----------------------------------------------------------------------------------- Q(α)[y]
def _kp_strip(p):
    i = 0
    while i < len(p) and not p[i]:
        i += 1
    return p[i:]


def _kp_deg(p) -> int:
    return len(p) - 1


def _kp_eval(K, p, y):
    """``p(y)`` for a rational ``y``: an element of ``K``."""
    acc = []
    yk = [QQ.convert(y)] if y else []
    for c in p:
        acc = K.add(K.mul(acc, yk) if acc and yk else [], c)
    return acc


def _kp_sign_at(K, p, y) -> int:
    return K.sign(_kp_eval(K, p, y))


def _kp_rem(K, a, b):
    a = _kp_strip(list(a))
    b = _kp_strip(b)
    inv_lc = K.inv(b[0])
    while len(a) >= len(b) and a:
        f = K.mul(a[0], inv_lc)
        a = [K.sub(x, K.mul(f, y)) for x, y in zip(a, b + [[]] * (len(a) - len(b)))]
        a = _kp_strip(a[1:] if not a[0] else a)
    return a


def _kp_quo(K, a, b):
    a = _kp_strip(list(a))
    b = _kp_strip(b)
    inv_lc = K.inv(b[0])
    q = []
    while len(a) >= len(b) and a:
        f = K.mul(a[0], inv_lc)
        q.append((len(a) - len(b), f))
        a = [K.sub(x, K.mul(f, y)) for x, y in zip(a, b + [[]] * (len(a) - len(b)))]
        a = _kp_strip(a[1:] if not a[0] else a)
    if a:
        raise ArithmeticError("inexact division")
    if not q:
        return []
    out = [[] for _ in range(q[0][0] + 1)]
    for k, f in q:
        out[len(out) - 1 - k] = f
    return out


def _kp_monic(K, p):
    inv_lc = K.inv(p[0])
    return [K.mul(c, inv_lc) for c in p]


def _kp_gcd(K, a, b):
    a, b = _kp_strip(a), _kp_strip(b)
    while b:
        a, b = b, _kp_rem(K, a, b)
    return _kp_monic(K, a) if a else a


def _kp_diff(K, p):
    n = _kp_deg(p)
    return _kp_strip([K.mul(c, [QQ(n - i)]) for i, c in enumerate(p[:-1])])


def _kp_sqf_part(K, p):
    g = _kp_gcd(K, p, _kp_diff(K, p))
    return _kp_monic(K, _kp_quo(K, p, g)) if _kp_deg(g) > 0 else _kp_monic(K, p)


def _gcd_free_basis(K, polys):
    """Pairwise coprime square-free monic polynomials whose products give each input's square-free part."""
    basis = []
    for p in polys:
        p = _kp_sqf_part(K, p)
        new = []
        for b in basis:
            g = _kp_gcd(K, p, b)
            if _kp_deg(g) <= 0:
                new.append(b)
                continue
            bq = _kp_quo(K, b, g)
            p = _kp_quo(K, p, g)
            new.append(g)
            if _kp_deg(bq) > 0:
                new.append(_kp_monic(K, bq))
        if _kp_deg(p) > 0:
            new.append(_kp_monic(K, p))
        basis = new
    return basis


def _sturm(K, p):
    seq = [p, _kp_diff(K, p)]
    while _kp_deg(seq[-1]) > 0:
        r = _kp_rem(K, seq[-2], seq[-1])
        if not r:
            break
        seq.append([K.neg(c) for c in r])
    return seq


def _variations_at(K, seq, y) -> int:
    return sign_changes([_kp_sign_at(K, s, y) for s in seq])


def _variations_at_infinity(K, seq, positive: bool) -> int:
    signs = []
    for s in seq:
        sg = K.sign(s[0])
        if not positive and _kp_deg(s) % 2:
            sg = -sg
        signs.append(sg)
    return sign_changes(signs)


class FiberRoot:
    """A real root ``β`` of a square-free polynomial ``b`` over ``K`` in the rational interval ``(lo, hi)``.

    ``lo == hi`` means the root is that rational number. ``index`` is the position of ``b`` in
    the gcd-free basis it belongs to.
    """

    __slots__ = ("K", "poly", "lo", "hi", "index")

    def __init__(self, K, poly, lo, hi, index):
        self.K, self.poly, self.lo, self.hi, self.index = K, poly, lo, hi, index

    def __repr__(self) -> str:
        return f"FiberRoot(in [{float(self.lo):.6g}, {float(self.hi):.6g}])"

    @property
    def is_rational(self) -> bool:
        return self.lo == self.hi

    def refine(self) -> None:
        if self.is_rational:
            return
        mid = (self.lo + self.hi) / 2
        s = _kp_sign_at(self.K, self.poly, mid)
        if s == 0:
            self.lo = self.hi = mid
        elif s == _kp_sign_at(self.K, self.poly, self.lo):
            self.lo = mid
        else:
            self.hi = mid

    def __float__(self) -> float:
        for _ in range(60):
            if self.is_rational:
                break
            self.refine()
        return float((self.lo + self.hi) / 2)


def _cauchy_bound(K, p):
    lc = K.magnitude_floor(p[0])
    return _ONE + max((K.magnitude_bound(c) / lc for c in p[1:]), default=_ZERO)


def _isolate(K, p, index):
    """Isolate the real roots of a square-free ``p`` over ``K`` by Sturm bisection (exact).

    Every interval ``(lo, hi)`` on the work list has end points that are not roots and holds
    ``V(lo) - V(hi)`` roots (Sturm's theorem); a rational root met at a midpoint is kept exactly.
    """
    seq = _sturm(K, p)
    total = _variations_at_infinity(K, seq, False) - _variations_at_infinity(K, seq, True)
    if total == 0:
        return []
    bound = _cauchy_bound(K, p)
    out = []
    todo = [(-bound, bound, total)]
    while todo:
        lo, hi, n = todo.pop()
        if n == 0:
            continue
        if n == 1:
            out.append(FiberRoot(K, p, lo, hi, index))
            continue
        mid = (lo + hi) / 2
        if _kp_sign_at(K, p, mid) != 0:
            v_lo, v_mid = _variations_at(K, seq, lo), _variations_at(K, seq, mid)
            todo.append((lo, mid, v_lo - v_mid))
            todo.append((mid, hi, n - (v_lo - v_mid)))
            continue
        out.append(FiberRoot(K, p, mid, mid, index))
        eps = (hi - lo) / 4
        while True:  # a window around the rational root that holds no other root
            a, b = mid - eps, mid + eps
            if _kp_sign_at(K, p, a) and _kp_sign_at(K, p, b):
                v_a, v_b = _variations_at(K, seq, a), _variations_at(K, seq, b)
                if v_a - v_b == 1:
                    break
            eps /= 2
        todo.append((lo, a, _variations_at(K, seq, lo) - v_a))
        todo.append((b, hi, v_b - _variations_at(K, seq, hi)))
    return out


def isolate_fiber(K: NumberField, polys):
    """Roots and sign table of polynomials over ``K`` along the real line.

    Parameters
    ----------
    K : NumberField
    polys : list
        Each item is a list of ``K`` elements (coefficients in ``y``, highest degree first);
        constants (degree 0) and the zero polynomial are allowed.

    Returns
    -------
    roots : list of FiberRoot
        The distinct real roots of all non-constant inputs, increasing, with pairwise disjoint
        closed isolating intervals.
    root_signs : list of tuple of int
        The sign of every input at each root (exact).
    sector_samples : list of rational
        A rational point in each open sector: below the first root, between consecutive roots,
        above the last root (``len(roots) + 1`` points).
    sector_signs : list of tuple of int
        The sign of every input at each sector sample (constant on the sector).
    """
    polys = [_kp_strip(list(p)) for p in polys]
    moving = [p for p in polys if _kp_deg(p) > 0]
    basis = _gcd_free_basis(K, moving)
    roots = []
    for i, b in enumerate(basis):
        roots.extend(_isolate(K, b, i))
    # make the closed intervals pairwise disjoint (distinct roots: bisection separates them)
    changed = True
    while changed:
        changed = False
        roots.sort(key=lambda r: (r.lo, r.hi))
        for a, b in zip(roots, roots[1:]):
            if a.hi >= b.lo:
                for r in (a, b):
                    if not r.is_rational:
                        r.refine()
                if a.is_rational and b.is_rational and a.lo == b.lo:  # pragma: no cover - coprime basis
                    raise SolverError("two basis polynomials share a rational root")
                changed = True
    divides = [[not _kp_rem(K, p, b) if _kp_deg(p) > 0 else False for b in basis] for p in polys]
    root_signs = []
    for r in roots:
        signs = []
        for k, p in enumerate(polys):
            if not p:
                signs.append(0)
            elif _kp_deg(p) == 0:
                signs.append(K.sign(p[0]))
            elif divides[k][r.index]:
                signs.append(0)
            else:  # p has no root in the closed interval: its sign there is its sign at an end point
                signs.append(_kp_sign_at(K, p, r.lo))
        root_signs.append(tuple(signs))
    samples = _sector_samples(roots)
    sector_signs = [tuple(_sign_poly(K, p, y) for p in polys) for y in samples]
    return roots, root_signs, samples, sector_signs


def _sign_poly(K, p, y) -> int:
    if not p:
        return 0
    return _kp_sign_at(K, p, y)


def _sector_samples(roots):
    if not roots:
        return [_ZERO]
    out = [roots[0].lo - 1]
    for a, b in zip(roots, roots[1:]):
        out.append((a.hi + b.lo) / 2)
    out.append(roots[-1].hi + 1)
    return out
