"""Exact characteristic polynomial of the tangent Jacobian, with coefficients in ℚ(t), ``t = exp(g)``.

Why one transcendental is enough
--------------------------------
At an exact (rational) state every quantity of the map except the new routing is rational: ``y'``,
``p'`` and the agent costs ``c_a`` (eq. (10)–(11)), hence the path values ``V_j``. The routing
(eq. (12)) is ``π'_j = exp(e_j) / Σ_i exp(e_i)`` with rational exponents ``e_j = −V_j/τ``. With ``g``
the greatest rational dividing every ``e_j − min e`` and ``k_j = (e_j − min e)/g`` (integers),

.. math:: π'_j = t^{k_j} / L(t), \\qquad L(t) = Σ_i t^{k_i}, \\qquad t = e^{g},

and every Jacobian entry is a polynomial in ``π'`` (the softmax derivative), so the whole tangent
Jacobian lies in ``K(t)`` (``K = ℚ``, or a number field on a ball's sphere branch) — not in a field
with one transcendental per path. Since ``g`` is a non-zero rational, ``t`` is transcendental
(Hermite–Lindemann), so ``ℚ(t)`` is a field of rational functions: an identity holds at ``t = e^g``
exactly when it holds identically, and a factorisation over ``ℚ(t)`` is one over ``ℚ(e^g) ⊂ ℝ``.

What is computed, exactly
-------------------------
1. **Reduced state.** ``Φ`` depends on ``π`` only through the marginals ``w = Mπ`` (checked exactly on
   the instance: ``J[:, π] N = 0`` for a basis ``N`` of the kernel of ``M``), so on the tangent space
   ``J_t = X Y`` with ``Y = diag(I, Y_π)``, ``Y_π`` a rational basis (``r`` rows) of the row space of
   ``M T_π``. Sylvester's determinant identity ``det(λI − XY) = λ^{N−q} det(λI − YX)`` then gives
   ``χ_{J_t}(λ) = λ^{P−1−r} χ_{YX}(λ)``: the full state only adds exact zeros, ``P − 1 − r`` of them,
   and ``YX`` is the Jacobian on the tangent space of the reduced state ``(y, p, w)``.
2. **Block-triangular structure.** The strongly connected components of the sparsity graph of
   ``YX`` give a symmetric permutation to block-triangular form, so ``χ`` is the product of the
   characteristic polynomials of the diagonal blocks; a one-coordinate block gives the linear
   factor ``λ − a_ii`` (e.g. ``λ − (1 − α)`` for a free coordinate that feeds nothing back, ``λ`` for a
   clamped one).
3. **Each block** without ``t``: ``charpoly`` over ``K``. With ``t`` (only the routing rows carry it):
   evaluation at ``λ = 0, …, s`` (``s`` the block size, the exact degree in ``λ``) and interpolation;
   at each point the ``t``-free rows are eliminated over ``K`` (a Schur complement) and the ``r``
   remaining rows by fraction-free (Bareiss) elimination over ``K[t]``. Nothing is rounded and no
   degree bound is guessed.
4. **Factorisation** over ``K(t)`` (bivariate factorisation of the cleared numerator in ``(λ, t)``)
   where cheap: with python-flint, or with SymPy below a size limit; otherwise the block's
   polynomial is kept whole and the result says so.

Rigorous root enclosures of the factors are computed from these polynomials by
:func:`geo_sym.rigorous.roots.enclose_roots` (Arb balls, python-flint).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from math import gcd

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.polyclasses import DMP
from sympy.polys.polyerrors import CoercionFailed

from geo_sym.display import LatexDisplay
from geo_sym.maps.charpoly_blocks import (
    SYMPY_FACTOR_TERMS,
    bivariate,
    block_pieces,
    factor_over_kt,
    has_flint,
    primitive,
    strong_blocks,
)
from geo_sym.maps.charpoly_kt import (
    MAX_T_DEGREE,
    OutsideKt,
    RoutingGenerator,
    routing_generator,
)
from geo_sym.maps.charpoly_reduction import jacobian_parts, reduced_jacobian

__all__ = [
    "MAX_T_DEGREE",
    "T_SYMBOL",
    "ExactCharpoly",
    "CharpolyFactor",
    "RoutingGenerator",
    "JacobianInT",
    "exact_charpoly",
    "routing_generator",
    "jacobian_in_t",
]

#: the symbol standing for ``t = exp(g)`` in the factors' polynomials
T_SYMBOL = sp.Symbol("t", positive=True)


# ----------------------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class CharpolyFactor:
    """One factor ``f(λ)^multiplicity`` of the characteristic polynomial, ``f`` with coefficients in ``K(t)``.

    Attributes
    ----------
    poly : sympy.Poly
        ``F(λ, t)`` over ``K``, primitive in ``λ`` (no factor depending on ``t`` alone) and monic in
        the lexicographic order; the factor is ``F / lc_λ(F)``, monic in ``λ``.
    degree : int
        Degree in ``λ`` (the number of eigenvalues it carries, per multiplicity).
    multiplicity : int
    origins : tuple of str
        Where it comes from (the reduction's zeros, a one-coordinate block, a block of the reduced
        tangent Jacobian), one entry per occurrence.
    irreducible : bool
        True when it is irreducible over ``K(t)`` (it came out of a factorisation, or has degree 1);
        False when the block's polynomial was too large to factor and is kept whole.
    g : Rational or None
        ``t = exp(g)``.
    """

    poly: sp.Poly
    degree: int
    multiplicity: int
    origins: tuple
    irreducible: bool
    g: sp.Rational | None

    def __repr__(self) -> str:
        return f"CharpolyFactor(degree={self.degree}, multiplicity={self.multiplicity}, irreducible={self.irreducible})"

    def coefficients_t(self) -> list:
        """Monic coefficients (highest degree first, the first is 1) as ``(numerator, denominator)`` polynomials
        in ``t`` over ``K``, in lowest terms with monic denominators."""
        T = self.poly.gens[1]
        if self.poly.get_domain().is_EX:
            return [
                (sp.Poly(c, T, domain="EX"), sp.Poly(1, T, domain="EX")) for c in _lambda_coefficients_ex(self.poly)
            ]
        return [(sp.Poly.new(n, T), sp.Poly.new(d, T)) for n, d in monic_coefficients(self.poly)]

    def as_expr(self, t=None):
        """The monic factor as an expression in ``λ`` (``t`` replaced by ``exp(g)`` unless given)."""
        lam, T = self.poly.gens
        sub = {T: (sp.exp(self.g) if self.g is not None else T) if t is None else t}
        d = self.degree
        return sum(
            (n.as_expr() / q.as_expr()).xreplace(sub) * lam ** (d - k) for k, (n, q) in enumerate(self.coefficients_t())
        )

    def text(self) -> str:
        """The monic factor in ``λ`` with coefficients written in ``t`` (a SymPy-readable string)."""
        lam = str(self.poly.gens[0])
        if self.poly.get_domain().is_EX:
            return sp.sstr(self.as_expr())
        terms = []
        for k, (n, q) in enumerate(monic_coefficients(self.poly)):
            if not n:
                continue
            power = self.degree - k
            c = fraction_string(n, q)
            base = "" if power == 0 else (lam if power == 1 else f"{lam}**{power}")
            wrapped = c if c.replace("/", "").replace("-", "").isalnum() else f"({c})"
            terms.append(c if not base else (base if c == "1" else f"-{base}" if c == "-1" else f"{wrapped}*{base}"))
        return " + ".join(terms).replace("+ -", "- ")


def monic_coefficients(F: sp.Poly) -> list:
    """``F ∈ K[λ, t]`` divided by its ``λ``-leading coefficient: ``(numerator, denominator)`` DMPs over ``K`` per
    power of ``λ`` (highest first), in lowest terms with monic denominators."""
    K = F.get_domain()
    d = F.degree(F.gens[0])
    rows: dict = {k: {} for k in range(d + 1)}
    for (i, j), c in F.rep.terms():
        rows[i][(j,)] = c
    polys = [DMP.from_dict(rows[k], 0, K) for k in range(d, -1, -1)]
    lead, out = polys[0], []
    for c in polys:
        g = c.gcd(lead) if c else lead
        num, den = c.exquo(g), lead.exquo(g)
        lc = den.LC()
        out.append((num.quo_ground(lc), den.quo_ground(lc)))
    return out


def _drop_t(F: sp.Poly) -> DMP:
    """A polynomial of ``K[λ, t]`` free of ``t`` as a DMP in ``λ``."""
    return DMP.from_dict({(i,): c for (i, _), c in F.rep.terms()}, 0, F.get_domain())


def _lambda_coefficients_ex(F: sp.Poly) -> list:
    by_deg = dict((m[0], c) for m, c in F.terms())
    return [by_deg.get(k, 0) for k in range(F.degree(F.gens[0]), -1, -1)]


@dataclass(frozen=True, eq=False)
class ExactCharpoly(LatexDisplay):
    """``det(λI − J_t)`` of the tangent Jacobian, exactly, as a product of factors over ``K(t)``.

    Attributes
    ----------
    symbol, t_symbol : Symbol
        ``λ`` and the symbol standing for ``t = exp(g)`` in :attr:`factors`.
    g : Rational or None
        ``t = exp(g)`` (``None`` when no transcendental occurs: every coefficient is in ``K``).
    domain : str
        The ground field ``K`` (``QQ``, or a number field on a ball's sphere branch; ``EX`` on the
        generic path).
    dimension : int
        Dimension of the tangent space (the degree).
    reduced_dimension : int
        Size ``q`` of the reduced tangent Jacobian ``YX``.
    reduction_zeros : int
        ``P − 1 − r``: eigenvalues ``0`` that the full state adds to the reduced one (proved by
        Sylvester's identity, module docstring).
    factors : tuple of CharpolyFactor
    method : str
    notes : tuple of str
    """

    symbol: sp.Symbol
    t_symbol: sp.Symbol
    g: sp.Rational | None
    domain: str
    dimension: int
    reduced_dimension: int
    reduction_zeros: int
    factors: tuple
    method: str
    notes: tuple = ()

    def __repr__(self) -> str:
        return (
            f"ExactCharpoly(degree={self.dimension}, factors={len(self.factors)}, "
            f"t={'exp(%s)' % self.g if self.g is not None else None})"
        )

    @property
    def t(self):
        """``exp(g)`` (``None`` when there is no transcendental)."""
        return None if self.g is None else sp.exp(self.g)

    @cached_property
    def _numerator(self) -> sp.Poly:
        lam, T = self.symbol, self.t_symbol
        free = sp.Poly(1, lam, domain=self.factors[0].poly.get_domain()) if self.factors else None
        out = None
        for f in self.factors:
            if f.poly.degree(T) == 0 and not f.poly.get_domain().is_EX:  # t-free: multiply in K[λ] (fast)
                free = free * sp.Poly.new(_drop_t(f.poly), lam) ** f.multiplicity
            else:
                p = f.poly**f.multiplicity if f.multiplicity > 1 else f.poly
                out = p if out is None else out * p
        if free is not None and not free.is_one:
            lifted = sp.Poly.from_dict({(k[0], 0): c for k, c in free.rep.terms()}, lam, T, domain=free.get_domain())
            out = lifted if out is None else out * lifted
        return sp.Poly(1, lam, T, domain=QQ) if out is None else out

    @cached_property
    def _monic(self) -> list:
        return monic_coefficients(self._numerator)

    def numerator(self) -> sp.Poly:
        """``Π F_i^{m_i}`` in ``K[λ, t]``: the characteristic polynomial times its ``λ``-leading coefficient."""
        return self._numerator

    def coefficients_t(self) -> list:
        """Coefficients (highest degree first) as ``(numerator, denominator)`` polynomials in ``t`` over ``K``.

        Lowest terms, denominators monic; for computation (``t`` stands for ``exp(g)``).
        """
        T = self.t_symbol
        if self.domain == "EX":  # the per-path fallback: one monic factor with exact coefficients (no t)
            return [
                (sp.Poly(c, T, domain="EX"), sp.Poly(1, T, domain="EX"))
                for c in _lambda_coefficients_ex(self.numerator())
            ]
        return [(sp.Poly.new(n, T), sp.Poly.new(d, T)) for n, d in self._monic]

    def coefficient_strings(self, form: str = "t") -> list:
        """Exact coefficients as strings, in ``t`` (``form="t"``) or with ``exp`` of rationals (``form="exp"``)."""
        if self.domain == "EX":
            return [str(n.as_expr()) for n, _ in self.coefficients_t()]
        return [fraction_string(n, d, self.g if form == "exp" else None) for n, d in self._monic]

    def as_poly(self) -> sp.Poly:
        """The characteristic polynomial in ``λ`` with exact coefficients (``exp(g)`` substituted for ``t``)."""
        cs = self.coefficients_t()
        if self.g is None and self.domain == "QQ":
            return sp.Poly([n.as_expr() / d.as_expr() for n, d in cs], self.symbol, domain="QQ")
        t = self.t if self.g is not None else self.t_symbol
        return sp.Poly(
            [(n.as_expr() / d.as_expr()).xreplace({self.t_symbol: t}) for n, d in cs], self.symbol, domain="EX"
        )

    def to_frame(self):
        """One row per factor: polynomial (in ``λ`` and ``t``), degree, multiplicity, irreducible, origins (pandas)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "polynomial": f.text(),
                    "degree": f.degree,
                    "multiplicity": f.multiplicity,
                    "irreducible": f.irreducible,
                    "origins": "; ".join(sorted(set(f.origins))),
                }
                for f in self.factors
            ],
            columns=["polynomial", "degree", "multiplicity", "irreducible", "origins"],
        )

    def to_dict(self) -> dict:
        """JSON-ready summary: coefficients and factors as strings in ``t`` (with ``t`` defined)."""
        return {
            "degree": self.dimension,
            "t": None if self.g is None else f"exp({self.g})",
            "domain": self.domain,
            "coefficients": self.coefficient_strings("t"),
            "factors": [
                {
                    "polynomial": f.text(),
                    "degree": f.degree,
                    "multiplicity": f.multiplicity,
                    "irreducible": f.irreducible,
                    "origins": list(f.origins),
                }
                for f in self.factors
            ],
            "reduced_dimension": self.reduced_dimension,
            "reduction_zeros": self.reduction_zeros,
            "method": self.method,
            "notes": list(self.notes),
        }


# ----------------------------------------------------------------------------------------- exact strings
def poly_string(p: DMP, g=None) -> str:
    """A polynomial in ``t`` (DMP, coefficients in ``K``) as a SymPy-readable string: in ``t``, or with
    ``t^k`` written ``exp(k g)`` when ``g`` is given."""
    d = p.degree()

    def to_text(c):
        text = str(c) if p.dom.is_QQ else str(p.dom.to_sympy(c))
        return f"({text})" if " " in text else text

    terms = []
    for i, c in enumerate(p.to_list()):
        if not c:
            continue
        k = d - i
        coef = to_text(c)
        if k == 0:
            terms.append(coef)
            continue
        if g is None:
            base = "t" if k == 1 else f"t**{k}"
        else:
            num, den = k * int(g.p), int(g.q)
            h = gcd(num, den)
            base = f"exp({num // h})" if den == h else f"exp({num // h}/{den // h})"
        terms.append(base if coef == "1" else f"-{base}" if coef == "-1" else f"{coef}*{base}")
    return " + ".join(terms).replace("+ -", "- ") if terms else "0"


def fraction_string(num: DMP, den: DMP, g=None) -> str:
    """``num / den`` (polynomials in ``t``) as a string (see :func:`poly_string`)."""
    n = poly_string(num, g)
    if den.degree() <= 0 and den.LC() == den.dom.one:
        return n
    wrap = lambda s: s if s.replace("/", "").replace("*", "").replace("-", "").isalnum() else f"({s})"
    return f"{wrap(n)}/{wrap(poly_string(den, g))}"


# ----------------------------------------------------------------------------------------- entries in t
@dataclass(frozen=True, eq=False)
class JacobianInT:
    """The exact Jacobian ``DΦ(x)`` with every entry written as ``numerator(t) / L(t)^power``.

    Attributes
    ----------
    g : Rational or None
        ``t = exp(g)`` (``None``: no transcendental, every power is 0).
    L : DMP
        ``L(t) = Σ_j t^{k_j}`` (the new routing is ``π'_j = routing[j](t) / L(t)``).
    entries : dict
        ``(row, column) -> (numerator DMP over K, power)`` for the non-zero entries.
    routing : tuple of DMP
    """

    g: sp.Rational | None
    L: DMP
    entries: dict
    routing: tuple

    def __repr__(self) -> str:
        return f"JacobianInT(t={'exp(%s)' % self.g if self.g is not None else None}, nonzeros={len(self.entries)})"

    def exp_string(self, key) -> str:
        """The entry as a SymPy-readable string with ``exp`` of rationals (``t`` written out)."""
        num, e = self.entries[key]
        if e == 0:
            return poly_string(num, self.g)
        den = poly_string(self.L, self.g)
        return f"({poly_string(num, self.g)})/({den})" + (f"**{e}" if e > 1 else "")

    def floats(self, shape):
        """The entries in floating point: evaluated in Arb at 128 bits when python-flint is installed (else with
        mpmath at 40 digits), then rounded to the nearest float."""
        import numpy as np

        J = np.zeros(shape)
        with _evaluation(self.g) as value:
            Lv = value(self.L)
            for (i, j), (num, e) in self.entries.items():
                J[i, j] = float(value(num) / Lv**e) if e else float(value(num))
        return J


@contextmanager
def _evaluation(g):
    """``p ↦ p(exp(g))`` for DMPs over ``ℚ``: Arb at 128 bits (precision restored afterwards), or mpmath."""
    rationals = lambda p: [sp.Rational(p.dom.to_sympy(c)) for c in p.to_list()]
    if has_flint():
        import flint

        old = flint.ctx.prec
        flint.ctx.prec = 128
        try:
            t = flint.arb(flint.fmpq(int(g.p), int(g.q))).exp() if g is not None else flint.arb(1)
            yield lambda p: flint.arb_poly([flint.fmpq(int(c.p), int(c.q)) for c in reversed(rationals(p))])(t).mid()
        finally:
            flint.ctx.prec = old
        return
    import mpmath  # type: ignore[import-untyped]

    ctx = mpmath.mp.clone()
    ctx.dps = 40
    t = ctx.exp(ctx.mpf(g.p) / g.q) if g is not None else ctx.mpf(1)
    yield lambda p: ctx.polyval([ctx.mpf(c.p) / c.q for c in rationals(p)], t)


def jacobian_in_t(ej) -> JacobianInT | None:
    """The exact Jacobian in terms of ``t = exp(g)`` (module docstring), or ``None`` when its entries are not
    in ``ℚ(t)`` with ``L`` of degree at most :data:`MAX_T_DEGREE`."""
    try:
        parts = jacobian_parts(ej)
    except OutsideKt:
        return None
    K = parts.tf.K
    if not K.is_QQ:
        return None
    entries = {key: (DMP([K.convert(v)], K), 0) for key, v in parts.Jz.todok().items()}
    nz = parts.Jz.shape[0]
    for i, row in enumerate(parts.pi_rows):
        for j, x in row.items():
            entries[(nz + i, j)] = x
    return JacobianInT(parts.gen.g, parts.gen.denominator, entries, parts.gen.numerators)


# ----------------------------------------------------------------------------------------- entry point
def _step(progress, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def _origin(comp, labels) -> str:
    if len(comp) == 1:
        return f"one-coordinate block {labels[comp[0]]}"
    shown = ", ".join(labels[i] for i in comp[:4]) + (", ..." if len(comp) > 4 else "")
    return f"block of {len(comp)} coordinates ({shown})"


def _merge(pieces, g) -> tuple:
    """Equal factors (same monic ``F``) merged, multiplicities added; sorted by degree, then text."""
    merged: dict = {}
    for poly, mult, origin, irreducible in pieces:
        if poly in merged:
            m, origins, irr = merged[poly]
            merged[poly] = (m + mult, origins + (origin,), irr and irreducible)
        else:
            merged[poly] = (mult, (origin,), irreducible)
    out = [CharpolyFactor(p, p.degree(p.gens[0]), m, o, irr, g) for p, (m, o, irr) in merged.items()]
    return tuple(sorted(out, key=lambda f: (f.degree, f.poly.degree(f.poly.gens[1]), str(f.poly.rep))))


def _per_path(ej, lam, T, reason: str) -> ExactCharpoly:
    """The characteristic polynomial over ``K[π'_1, …, π'_P]`` (one variable per path), then ``π'`` substituted.

    Exact, but exponential in the number of paths: used only when the entries are not in ``K(t)``
    with a moderate ``t``-degree (``reason`` says why). The result is one unfactored polynomial.
    """
    from geo_sym.economy.state import tangent_chart

    sym = ej.symbolic
    econ = sym.econ
    pis = list(sym.outputs[2 * econ.A * econ.K :])
    partial = {k: v for k, v in ej._values.items() if k not in set(pis)}
    Tp, Tm = tangent_chart(econ).exact()
    Jp = Tp * sym.jacobian().xreplace(partial) * Tm
    gens = [s for s in pis if any(s in e.free_symbols for e in Jp)]
    try:
        dm = DomainMatrix.from_Matrix(Jp).convert_to(QQ[tuple(gens)] if gens else QQ)
    except CoercionFailed:  # e.g. square roots from a ball's sphere branch: SymPy picks the domain
        dm = DomainMatrix.from_Matrix(Jp)
    vals = {s: ej._values[s] for s in gens}
    coeffs = [dm.domain.to_sympy(c).xreplace(vals) for c in dm.charpoly()]
    n = len(coeffs) - 1
    F = sp.Poly(sum(c * lam ** (n - k) for k, c in enumerate(coeffs)), lam, T, domain="EX")
    f = CharpolyFactor(F, n, 1, ("the whole tangent Jacobian",), n <= 1, None)
    method = "characteristic polynomial over one variable per path (exponential in the number of paths)"
    return ExactCharpoly(lam, T, None, "EX", n, n, 0, (f,) if n else (), method, (reason,))


def exact_charpoly(ej, *, symbol: str = "lambda", factor: bool = True, progress=None) -> ExactCharpoly:
    """Exact characteristic polynomial ``det(λI − J_t)`` of the tangent Jacobian, factored over ``K(t)``.

    ``J_t = T⁺ DΦ T`` is the Jacobian of ``Φ_K`` (eq. (10)–(12)) or of the sequential map (eq. (13))
    restricted to the tangent space of the state space; its coefficients lie in ``K(t)`` with
    ``t = exp(g)`` (module docstring). The reduced state, the block-triangular structure and the
    factorisation are used in that order; every step is exact.

    Parameters
    ----------
    ej : ExactJacobian
        From :func:`geo_sym.maps.symbolic.exact_jacobian` at an exact state.
    symbol : str
        Name of the variable ``λ``.
    factor : bool
        Factor each block's polynomial over ``K(t)`` (where cheap, see :data:`SYMPY_FACTOR_TERMS`).
    progress : callable, optional
        ``progress(stage, done, total)`` while the blocks are computed.

    Returns
    -------
    ExactCharpoly
    """
    lam, T = sp.Symbol(symbol), T_SYMBOL
    try:
        _step(progress, "reduced state", 0, 1)
        parts = jacobian_parts(ej)
        gen, K, tf = parts.gen, parts.tf.K, parts.tf
        red = reduced_jacobian(ej, parts)
    except OutsideKt as exc:
        return _per_path(ej, lam, T, f"not computed in K(t): {exc}")
    use_flint = factor and has_flint()
    pieces, unfactored = [], 0
    if red.zeros:
        origin = "routing directions outside the marginals' tangent space (exact zeros, Sylvester's identity)"
        pieces.append((sp.Poly(lam, lam, T, domain=K), red.zeros, origin, True))
    comps = strong_blocks(red.matrix)
    for i, comp in enumerate(comps):
        _step(progress, "blocks", i, len(comps))
        where = _origin(comp, red.labels)
        for coeffs, _, kind in block_pieces([[red.matrix[a][b] for b in comp] for a in comp], tf):
            F = bivariate(primitive(coeffs), K, (lam, T))
            fs, done = factor_over_kt(F, use_flint) if factor else ([(F.monic(), 1)], F.degree(lam) <= 1)
            unfactored += not done
            origin = where if kind == "block" else f"{where}: t-free part {kind}"
            pieces += [(f, e, origin, done or f.degree(lam) <= 1) for f, e in fs]
    _step(progress, "blocks", len(comps), len(comps))
    notes = tuple(n for n in (red.note,) if n)
    if unfactored and factor:
        notes += (f"{unfactored} polynomial(s) kept whole: over {SYMPY_FACTOR_TERMS} terms without python-flint",)
    method = (
        "reduced state (Sylvester), block-triangular split, t-free parts deflated over K, evaluation in λ with "
        "elimination over K and fraction-free elimination over K[t]" + (", factorisation over K(t)" if factor else "")
    )
    n = len(red.matrix) + red.zeros
    return ExactCharpoly(lam, T, gen.g, str(K), n, len(red.matrix), red.zeros, _merge(pieces, gen.g), method, notes)
