"""The checks every region result passes before it is returned (a failure raises, never returns).

* :func:`check_rational_cells` — every cell with a rational sample point is classified again by
  exact root location of the specialized factors (:func:`geo_sym.rigorous.schur.exact_location`);
* :func:`check_algebraic_cells` — every other cell (an algebraic sample point) is classified again
  from 50-digit roots of the specialized factors; where the numbers cannot tell (a root within
  ``1e-8`` of the circle off the boundary, no convergence) the exact answer stands, and only a clear
  contradiction raises;
* :func:`numeric_check` — at seeded random points the published inequalities, evaluated exactly,
  are compared with an independent floating-point classifier.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp
from sympy import QQ

from geo_sym.errors import InconsistencyError
from geo_sym.rigorous.algebraic import FiberRoot, RealAlgebraic
from geo_sym.rigorous.region_result import EXCLUDED, RegionCheck, RegionResult
from geo_sym.rigorous.schur import BOUNDARY, exact_location

__all__ = ["check_rational_cells", "check_algebraic_cells", "numeric_check"]

_DIGITS = 50
_CLOSE = 1e-8


def check_rational_cells(cells, sign_table, factors, constant, syms, labeler):
    """Recompute the class of every cell with a rational sample point by exact root location there.

    That is every full-dimensional cell, and the lower-dimensional ones that happen to have a rational
    sample (e.g. boundary lines with rational points); each factor is specialized and located on its own.
    """
    for c in cells:
        label = sign_table.get(c.signs)
        pt = c.rational_sample
        if label is None or label == EXCLUDED or pt is None:
            continue
        subs = {s: _q(v) for s, v in zip(syms, pt)}
        inside, on, outside = constant[0], constant[1], constant[2]
        for fac in factors:
            i, o, u = exact_location([sp.expand(a.xreplace(subs)) for a in fac.coeffs])
            inside, on, outside = (
                inside + fac.multiplicity * i,
                on + fac.multiplicity * o,
                outside + fac.multiplicity * u,
            )
        exact = BOUNDARY if on else labeler(inside, outside)
        if exact != label:
            raise InconsistencyError(
                f"internal inconsistency: at {dict(zip(map(str, syms), pt))} the sign reading gives {label} but "
                f"exact root location gives {exact}"
            )


def _q(v):
    from sympy import QQ

    return QQ.to_sympy(v) if not isinstance(v, sp.Basic) else v


def _high_precision(c):
    """An algebraic sample coordinate to ``_DIGITS`` digits (the root of its polynomial in its interval)."""
    if isinstance(c, RealAlgebraic):
        if c.is_rational:
            return mpmath.mpf(int(c.lo.numerator)) / int(c.lo.denominator)
        coeffs = [mpmath.mpf(int(v.numerator)) / int(v.denominator) for v in c.minpoly]
        return _root_in(coeffs, c.lo, c.hi)
    if isinstance(c, FiberRoot):
        if c.is_rational:
            return mpmath.mpf(int(c.lo.numerator)) / int(c.lo.denominator)
        a = _high_precision(c.K.alpha)
        coeffs = [
            mpmath.polyval([mpmath.mpf(int(v.numerator)) / int(v.denominator) for v in e], a) if e else 0
            for e in c.poly
        ]
        return _root_in(coeffs, c.lo, c.hi)
    v = QQ.convert(c)
    return mpmath.mpf(int(v.numerator)) / int(v.denominator)


def _root_in(coeffs, lo, hi):
    lo_f, hi_f = (
        mpmath.mpf(int(lo.numerator)) / int(lo.denominator),
        mpmath.mpf(int(hi.numerator)) / int(hi.denominator),
    )
    roots = mpmath.polyroots(coeffs, maxsteps=200, extraprec=200)
    real = [mpmath.re(r) for r in roots if abs(mpmath.im(r)) < mpmath.mpf(10) ** (-_DIGITS // 2)]
    inside = [r for r in real if lo_f <= r <= hi_f]
    if len(inside) != 1:
        raise mpmath.libmp.NoConvergence("isolating interval not matched")
    return inside[0]


def check_algebraic_cells(cells, sign_table, factors, constant, syms, labeler):
    """Classify every cell with an algebraic sample point again from 50-digit roots; raise on a clear contradiction."""
    with mpmath.workdps(_DIGITS):
        for c in cells:
            label = sign_table.get(c.signs)
            if label is None or label == EXCLUDED or c.rational_sample is not None:
                continue
            try:
                point = [_high_precision(v) for v in c.sample]
                counts = _numeric_counts(point, factors, constant, syms, c.signs)
            except (mpmath.libmp.NoConvergence, ZeroDivisionError):
                continue  # the numbers cannot tell here; the exact reading stands
            inside, close, outside = counts
            if label == BOUNDARY:
                if close == 0:
                    raise InconsistencyError(
                        f"internal inconsistency: at {c.float_sample()} the sign reading gives a root on the unit "
                        "circle but 50-digit roots are all away from it"
                    )
            elif close == 0 and labeler(inside, outside) != label:
                raise InconsistencyError(
                    f"internal inconsistency: at {c.float_sample()} the sign reading gives {label} but 50-digit "
                    f"roots give {labeler(inside, outside)}"
                )


def _numeric_counts(point, factors, constant, syms, signs):
    inside, close, outside = constant[0], constant[1], constant[2]
    for fac in factors:
        f = sp.lambdify(syms, list(reversed(fac.coeffs)), "mpmath")
        coeffs = list(f(*point))
        drop = 0
        if fac.derived["lc"].sign_at(signs) == 0:  # exact degree drop: roots at infinity (outside)
            while coeffs and abs(coeffs[0]) < mpmath.mpf(10) ** (-_DIGITS // 2):
                coeffs.pop(0)
                drop += 1
        if len(coeffs) > 1:
            roots = mpmath.polyroots(coeffs, maxsteps=200, extraprec=200)
            mods = [abs(r) for r in roots]
        else:
            mods = []
        m = fac.multiplicity
        inside += m * sum(1 for r in mods if r < 1 - _CLOSE)
        close += m * sum(1 for r in mods if abs(r - 1) <= _CLOSE)
        outside += m * (sum(1 for r in mods if r > 1 + _CLOSE) + drop)
    return inside, close, outside


def numeric_check(result: RegionResult, domain, n_points: int, seed: int, report) -> RegionCheck:
    """Published inequalities vs the numeric classifier at seeded random points; disagreement raises.

    The points are drawn in floating point and read as exact rationals; the inequalities are
    evaluated exactly there, so the only floating-point side is the classifier's, and points where
    it sees a modulus within :data:`NEAR_CIRCLE` of 1 are skipped as too close to the boundary.
    """
    rng = np.random.default_rng(seed)
    syms = result.symbols
    # integer polynomials evaluated on Fractions by Python's own arithmetic: exact
    atoms = [_exact_function(syms, a.as_expr()) for a in result.atoms]
    dom = [(_exact_function(syms, q.expr), q.strict) for q in domain]
    terms = {lab: [_literal_sets(t, result) for t in alts] for lab, alts in result.regions.items()}
    terms[BOUNDARY] = [_literal_sets(t, result) for t in result.boundary]
    agreed = skipped = 0
    for k in range(n_points):
        if k % 20 == 0:
            report("numeric check", k, n_points)
        pt = {name: float(rng.uniform(*result.window[name])) for name in result.params}
        exact = [Fraction(pt[str(s)]) for s in syms]
        if not all((f(*exact) > 0) if strict else (f(*exact) >= 0) for f, strict in dom):
            skipped += 1
            continue
        signs = tuple(_sign(f(*exact)) for f in atoms)
        if result.sign_table.get(signs) == EXCLUDED:
            skipped += 1
            continue
        numeric = result.classifier(pt)
        if numeric is None:
            skipped += 1
            continue
        claimed = [lab for lab, ts in terms.items() if any(_holds(t, signs) for t in ts)]
        if claimed != [numeric]:
            raise InconsistencyError(
                f"the exact regions disagree with the numeric classification at {pt}: the inequalities say "
                f"{claimed or 'no region'}, the numeric classification says {numeric}"
            )
        agreed += 1
    return RegionCheck(n_points, agreed, skipped, seed)


def _exact_function(syms, expr):
    """``expr`` (rational coefficients) as a Python function that is exact on ``Fraction`` arguments."""
    num, den = sp.fraction(sp.together(expr))
    fn = sp.lambdify(syms, sp.expand(num), "math")
    d = int(den)
    return lambda *args: fn(*args) / d if d != 1 else fn(*args)


def _sign(v) -> int:
    return 1 if v > 0 else -1 if v < 0 else 0


def _literal_sets(term, result):
    """A term as (atom index, allowed signs) pairs, read back from its inequalities."""
    index = {a.as_expr(): i for i, a in enumerate(result.atoms)}
    allowed: dict = {}
    for q in term:
        e = q.expr
        if e in index:
            i, s = index[e], 1
        else:
            i, s = index[sp.expand(-e)], -1
        ok = {1, 0} if not q.strict else {1}
        ok = {s * v for v in ok}
        allowed[i] = allowed.get(i, {-1, 0, 1}) & ok
    return list(allowed.items())


def _holds(pairs, signs) -> bool:
    return all(signs[i] in ok for i, ok in pairs)


# ------------------------------------------------------------------------------------------ matrices
