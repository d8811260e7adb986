"""Re-check a stated stability region in one parameter (``corrected.evidence.stability_region``).

The region is a union of conjunctions of polynomial inequalities in one parameter (``tau``, ``alpha`` or
``beta``), with the other parameters ``fixed`` and the fixed point ``held exact`` (it does not move with
the parameter). The verifier places seeded rational points of the parameter line inside every gap
between the real roots of the stated polynomials (away from the boundary) and on every rational root,
rebuilds the economy at each point, checks that the witness's fixed point is still a fixed point there
(exactly), and locates the roots of the exact characteristic polynomial of its own tangent Jacobian:
on the unit circle exactly (a common real root of the real and imaginary parts of the Cayley transform,
Sturm), strictly inside or outside by Arb balls. The stated classification must agree at every point.
"""

from __future__ import annotations

import copy
import random

import sympy as sp

from geo_sym.economy.numbers import parse_number
from geo_sym.errors import GeoSymError
from proofs.verify.decide import PRECISIONS, flint, precision
from proofs.verify.expressions import read_union
from proofs.verify.maps import jacobian, map_value, tangent_matrix
from proofs.verify.reading import Failed, read_model
from proofs.verify.spectra import charpoly, rational_matrix

__all__ = ["NotRechecked", "classify_linearisation", "check_stability_region", "REGION_PARAMETERS"]

REGION_PARAMETERS = ("alpha", "beta", "tau")
_SETS = ("stable", "unstable", "boundary")
_SEED = 20260  # the seeded sample points (fixed: a re-run checks the same points)


class NotRechecked(Exception):
    """The statement is not re-checked; the message says why (``general`` for a statement with no figures)."""

    def __init__(self, message: str, general: bool = False):
        super().__init__(message)
        self.general = general


def _sympy_coeffs(chi) -> list:
    return [sp.Rational(int(c.p), int(c.q)) for c in reversed(chi.coeffs())]


def unit_circle_root(chi) -> bool:
    """Whether the rational polynomial ``χ`` has a root of modulus exactly 1 (exact).

    ``z = ±1`` by evaluation; any other ``z`` on the circle is ``(1 + it)/(1 − it)`` for a real ``t``, a real
    root of ``q(t) = (1 − it)ⁿ χ((1 + it)/(1 − it))``, i.e. a common real root of ``Re q`` and ``Im q``.
    """
    coeffs = _sympy_coeffs(chi)  # highest degree first
    n = len(coeffs) - 1
    if n < 1:
        return False
    p = sp.Poly(coeffs, sp.Symbol("z"))
    if p.eval(1) == 0 or p.eval(-1) == 0:
        return True
    t = sp.Symbol("t", real=True)
    q = sp.expand(sum(c * (1 + sp.I * t) ** (n - k) * (1 - sp.I * t) ** k for k, c in enumerate(coeffs)))
    re, im = (sp.Poly(part, t) for part in q.as_real_imag())
    g = sp.gcd(re, im)
    return g.degree() >= 1 and g.count_roots() > 0


def classify_linearisation(m, which: str, state) -> str:
    """``stable`` (every root inside), ``boundary`` (a root on the unit circle) or ``unstable`` (a root outside
    and none on it) for the exact tangent Jacobian of the map at an exact state."""
    N = rational_matrix(tangent_matrix(m, jacobian(m, which, state.flat(), "exact")), "the tangent Jacobian")
    chi = charpoly(N)
    if unit_circle_root(chi):
        return "boundary"
    for bits in PRECISIONS:
        with precision(bits):
            one = flint().arb(1)
            roots = [r for r, _ in chi.complex_roots()] if chi.degree() >= 1 else []
            if all(abs(z) < one for z in roots):
                return "stable"
            if any(abs(z) > one for z in roots) and all(abs(z) < one or abs(z) > one for z in roots):
                return "unstable"
    raise Failed("root location of the characteristic polynomial undecided at the highest precision")


def _real_roots(sets: dict, x) -> list:
    roots = set()
    for union in sets.values():
        for conj in union:
            for ineq in conj:
                num, den = sp.fraction(sp.together(ineq.lhs))
                for part in (num, den):
                    poly = sp.Poly(part, x)
                    if poly.degree() >= 1:
                        roots.update(poly.real_roots())
    return sorted(roots, key=lambda r: sp.Float(r.evalf(40), 40))


def _between(lo, hi):
    """A rational strictly between two real algebraic numbers (exact check)."""
    q = sp.Rational(str(((lo + hi) / 2).evalf(40)))
    if not (lo < q < hi):
        raise Failed("could not place a rational point between two boundary roots")
    return q


def sample_points(roots: list, rng: random.Random) -> tuple:
    """``(away, on)``: rational points off every root (in every gap and on both rays) and the rational roots."""
    on = [r for r in roots if r.is_Rational]
    if not roots:
        return [sp.Rational(k, 4) for k in (1, 2, 4, 8, 20)] + [sp.Rational(rng.randint(1, 400), 40)], on
    away = []
    first, last = roots[0], roots[-1]
    for d in (sp.Rational(1, 8), sp.Rational(1, 2), sp.Integer(1), sp.Integer(3)):
        away.append(_between(first - d - sp.Rational(1, 1000), first - d + sp.Rational(1, 1000)))
        away.append(_between(last + d - sp.Rational(1, 1000), last + d + sp.Rational(1, 1000)))
    for lo, hi in zip(roots, roots[1:]):
        for frac in (sp.Rational(1, 8), sp.Rational(1, 2), sp.Rational(7, 8), sp.Rational(rng.randint(1, 99), 100)):
            away.append(_between(lo + frac * (hi - lo) - sp.Rational(1, 10**9), lo + frac * (hi - lo)))
    return away, on


def _economy_at(raw: dict, values: dict) -> dict:
    econ = copy.deepcopy(raw)
    econ.setdefault("parameters", {})
    for name, value in values.items():
        econ["parameters"][name] = str(value)
    return econ


def _stated(sets: dict, x, t) -> set:
    env = {x: t}
    return {s for s, union in sets.items() if any(all(i.holds(env) for i in conj) for conj in union)}


def _read_spec(spec: dict) -> tuple:
    if not isinstance(spec, dict):
        raise Failed("evidence.stability_region: expected an object with params, fixed, stable, unstable, boundary")
    params = spec.get("params")
    if not isinstance(params, list) or len(params) != 1 or params[0] not in REGION_PARAMETERS:
        raise NotRechecked(f"regions are re-checked in one of {', '.join(REGION_PARAMETERS)}; params = {params!r}")
    mode = spec.get("fixed_point")
    if mode != "held exact":
        raise NotRechecked(f"the fixed point is {mode!r}, not 'held exact': it moves with the parameter")
    fixed = spec.get("fixed") or {}
    if not isinstance(fixed, dict) or any(k not in REGION_PARAMETERS for k in fixed):
        raise NotRechecked(f"fixed parameters {sorted(fixed)!r} outside {', '.join(REGION_PARAMETERS)}")
    x = sp.Symbol(params[0])
    field = "evidence.stability_region"
    sets = {s: read_union(spec.get(s, []), {params[0]: x}, f"{field}.{s}") for s in _SETS}
    fixed = {k: parse_number(v, f"{field}.fixed.{k}") for k, v in fixed.items()}
    return params[0], x, fixed, sets


def check_stability_region(spec: dict, raw_economy: dict, which: str, state, details: dict) -> str:
    """Confirm the stated classification at seeded rational points; :class:`Failed` at the first disagreement."""
    name, x, fixed, sets = _read_spec(spec)
    away, on = sample_points(_real_roots(sets, x), random.Random(_SEED))
    checked, skipped = [], 0
    for t, on_root in [(t, False) for t in away] + [(t, True) for t in on]:
        try:
            m = read_model(_economy_at(raw_economy, {**fixed, name: t}))
        except GeoSymError:  # the parameter value is outside the economy's domain (e.g. tau <= 0)
            skipped += 1
            continue
        value, _ = map_value(m, which, state)
        if list(value) != list(state.flat()):
            raise Failed(f"the fixed point is stated 'held exact' but is not a fixed point at {name} = {t}")
        truth = classify_linearisation(m, which, state)
        stated = _stated(sets, x, t)
        ok = _agrees(stated, truth, on_root)
        checked.append(f"{name}={t}: {truth}")
        if not ok:
            details["points"] = checked
            said = " and ".join(sorted(stated)) or "in no stated set"
            raise Failed(f"at {name} = {t} the linearisation is {truth}, but the stated region says {said}")
    details["points"] = checked
    details["skipped_outside_domain"] = str(skipped)
    if not checked:
        raise Failed(f"no sample point of {name} lies in the economy's domain")
    return (
        f"stability region in {name} confirmed at {len(checked)} seeded rational points "
        f"({len(on)} on the boundary; exact unit-circle test, Arb root location)"
    )


def _agrees(stated: set, truth: str, on_root: bool) -> bool:
    if "stable" in stated and "unstable" in stated:
        return False
    if on_root and "boundary" in stated:
        return truth == "boundary"
    if "stable" in stated:
        return truth == "stable"
    if "unstable" in stated:
        return truth != "stable" and (on_root or truth == "unstable")
    return False
