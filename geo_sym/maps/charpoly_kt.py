"""Characteristic polynomials of matrices over ``K(t)`` whose entries are ``num(t) / L(t)^e``.

The algebra behind :mod:`geo_sym.maps.charpoly` (read its docstring first): the generator
``t = exp(g)`` read off the exact new routing (:func:`routing_generator`), elements of ``K[t]``
localised at one polynomial ``L`` (:class:`TField`). The characteristic polynomial of a matrix of such
elements, block by block, and its factorisation over ``K(t)`` are in :mod:`geo_sym.maps.charpoly_blocks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd, lcm

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.polyclasses import DMP
from sympy.polys.polyerrors import CoercionFailed

__all__ = [
    "MAX_T_DEGREE",
    "RoutingGenerator",
    "routing_generator",
    "TField",
    "OutsideKt",
    "ConstantOutsideK",
]


class OutsideKt(ArithmeticError):
    """An entry is not a polynomial in the new routing over a number field (the generic path is used)."""


class ConstantOutsideK(OutsideKt):
    """A constant is not in the ground field tried (a larger number field may hold it)."""


#: largest degree of L(t) = Σ_j t^{k_j} the single-generator method accepts (above it: one variable per path)
MAX_T_DEGREE = 20000


# ----------------------------------------------------------------------------------------- the generator t
@dataclass(frozen=True)
class RoutingGenerator:
    """The transcendental ``t = exp(g)`` of the routing block and the new routing in terms of it.

    Attributes
    ----------
    g : Rational
        ``t = exp(g)``, ``g > 0`` (``None`` when every ``π'`` is rational: all path values equal).
    numerators : tuple of DMP
        ``π'_j = numerators[j](t) / denominator(t)`` (coefficients in ℚ, highest degree first).
    denominator : DMP
        ``L(t) = Σ_j numerators[j](t)``.
    """

    g: sp.Rational | None
    numerators: tuple
    denominator: DMP

    def __repr__(self) -> str:
        return f"RoutingGenerator(t=exp({self.g}), degree={self.denominator.degree()})"

    @property
    def t(self):
        """``exp(g)`` as a SymPy expression (``None`` without a transcendental)."""
        return None if self.g is None else sp.exp(self.g)


def routing_generator(pi_values, max_degree: int = MAX_T_DEGREE) -> RoutingGenerator:
    """``t = exp(g)`` and ``π'_j = n_j(t)/L(t)`` from the exact new routing ``π'`` (eq. (12)).

    Parameters
    ----------
    pi_values : sequence of SymPy expressions
        The exact ``π'_j``: ``exp(e_j) / Σ_i exp(e_i)`` with rational ``e_j``.
    max_degree : int
        Largest accepted degree of ``L(t)`` (``max_j k_j``).

    Raises
    ------
    ArithmeticError
        (:class:`~geo_sym.maps.charpoly_kt.OutsideKt`) when an exponent is not rational, or the
        degree exceeds ``max_degree`` (path values with large denominators make ``g`` small).
    """
    found = {a.args[0] for v in pi_values for a in sp.sympify(v).atoms(sp.exp)}
    if any(not isinstance(a, sp.Rational) for a in found):
        raise OutsideKt("an exponent of the routing block is not rational")
    args = sorted(found)  # exact comparison of rationals
    T = sp.Dummy("t")
    g = None
    sub = {sp.exp(a): sp.Integer(1) for a in args}
    if len(args) > 1:
        diffs = [a - args[0] for a in args[1:]]
        den = lcm(*[int(d.q) for d in diffs])
        g = sp.Rational(gcd(*[int(d * den) for d in diffs]), den)
        kmax = int((args[-1] - args[0]) / g)
        if kmax > max_degree:
            raise OutsideKt(f"t = exp({g}) would need degree {kmax} (above {max_degree})")
        sub = {sp.exp(a): T ** int((a - args[0]) / g) for a in args}
    nums, dens = [], []
    for v in pi_values:
        n, d = (_poly_in(x, T) for x in sp.fraction(sp.sympify(v).xreplace(sub)))
        nums.append(n)
        dens.append(d)
    L = dens[0]
    for d in dens[1:]:
        L = L.lcm(d)
    nums = [n * L.exquo(d) for n, d in zip(nums, dens)]
    total = nums[0]
    for n in nums[1:]:
        total = total + n
    if total != L:  # Σ π' = 1 must hold exactly
        raise OutsideKt("the new routing does not sum to one")
    return RoutingGenerator(g, tuple(nums), L)


def _poly_in(expr, T) -> DMP:
    """``expr`` (a polynomial in ``T`` with rational coefficients) as a DMP over ``ℚ``."""
    try:
        return sp.Poly(expr, T, domain=QQ).rep
    except (sp.PolynomialError, CoercionFailed):
        raise OutsideKt(f"{expr} is not a polynomial in t") from None


# ----------------------------------------------------------------------------------------- K[t] localised at L
class TField:
    """Arithmetic on ``num(t) / L(t)^e``, ``num ∈ K[t]``; elements are pairs ``(num, e)``.

    Parameters
    ----------
    K : Domain
        ``QQ`` or a number field.
    L : DMP
        The common denominator (over ``QQ``).
    pi : sequence of DMP
        Numerators of the new routing: ``π'_j = pi[j] / L``.
    """

    def __init__(self, K, L, pi):
        self.K = K
        self.L = L.convert(K)
        self.pi = [n.convert(K) for n in pi]
        self._pows = [DMP([K.one], K), self.L]
        self.zero = (DMP([], K), 0)

    def lpow(self, e: int) -> DMP:
        while len(self._pows) <= e:
            self._pows.append(self._pows[-1] * self.L)
        return self._pows[e]

    def const(self, c):
        return (DMP([c] if c else [], self.K), 0)

    def add(self, a, b):
        if not a[0]:
            return b
        if not b[0]:
            return a
        e = max(a[1], b[1])
        return (a[0] * self.lpow(e - a[1]) + b[0] * self.lpow(e - b[1]), e)

    def add_all(self, items):
        """The sum of several elements, each brought once to the common power of ``L``."""
        items = [x for x in items if x[0]]
        if not items:
            return self.zero
        e = max(x[1] for x in items)
        total = items[0][0] * self.lpow(e - items[0][1])
        for num, k in items[1:]:
            total = total + (num * self.lpow(e - k) if k != e else num)
        return (total, e)

    def mul(self, a, b):
        if not a[0] or not b[0]:
            return self.zero
        return (a[0] * b[0], a[1] + b[1])

    def scale(self, c, a):
        return (a[0].mul_ground(c), a[1]) if c else self.zero

    def from_expr(self, expr, pi_index: dict):
        """An expression polynomial in the ``π'`` symbols of ``pi_index`` (constants in ``K``) as an element."""
        if expr.is_Symbol:
            j = pi_index.get(expr)
            if j is None:
                raise OutsideKt(f"unexpected symbol {expr} in a Jacobian entry")
            return (self.pi[j], 1)
        if expr.is_Rational:
            return self.const(self.K.convert(expr))
        if expr.is_Add:
            return self.add_all([self.from_expr(a, pi_index) for a in expr.args])
        if expr.is_Mul:
            out = self.from_expr(expr.args[0], pi_index)
            for a in expr.args[1:]:
                out = self.mul(out, self.from_expr(a, pi_index))
            return out
        if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0 and not expr.base.is_number:
            base = self.from_expr(expr.base, pi_index)
            return (base[0] ** int(expr.exp), base[1] * int(expr.exp))
        if expr.is_number:
            return self.const(self.const_of(expr))
        raise OutsideKt(f"{expr} is not a polynomial in the new routing")

    def const_of(self, expr):
        """An exact number as an element of ``K`` (:class:`ConstantOutsideK` when it is not in ``K``)."""
        try:
            return self.K.from_sympy(expr)
        except CoercionFailed:
            raise ConstantOutsideK(f"the constant {expr} is not in {self.K}") from None

    @staticmethod
    def is_const(a) -> bool:
        return a[1] == 0 and a[0].degree() <= 0

    def const_value(self, a):
        return a[0].LC() if a[0] else self.K.zero
