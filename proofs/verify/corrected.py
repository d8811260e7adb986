"""Re-check the corrected statement of a refuted claim ("what is true instead"; docs/witness-format.md).

A refuted verdict or part carries ``corrected = {"statement", "status", "method", "evidence"}``. Its
machine-checkable figures are read from ``evidence`` and re-checked on the witness's economy with the
verifier's own code (maps, Jacobians, exact characteristic polynomials, Arb root enclosures, exact LPs):

* ``spectral_radius`` (``[lo, hi]``): the enclosure contains ``ρ`` of the tangent Jacobian of the map at the
  witness's fixed point (exact: Arb roots of the exact characteristic polynomial; enclosure: Arb
  eigenvalue enclosures over the Krawczyk box, which must meet ``[lo, hi]``);
* ``stability_region``: :mod:`proofs.verify.regions`;
* ``iterations_at_that_rate``: the least ``n`` with ``ρⁿ ≤ accuracy`` (the witness's ``claimed.accuracy``,
  default ``1/100``), decided with a ball for ``ρ``;
* ``recheck`` (an object or a list): ``{"kind": "walras_gap"}`` (``Σ<p, z(p)> = −g`` at the witness's prices,
  ``g > 0``, the value in ``evidence.at_the_counterexample.value``), ``{"kind": "slack_lp", "value": v}``
  (``β · max slack`` by the verifier's exact LP, boxes), ``{"kind": "general"}`` (a theorem with no figures:
  reported ``not re-checkable (general statement)``).

Evidence with none of these keys is reported ``not re-checked``, never confirmed.
"""

from __future__ import annotations

import sympy as sp

from geo_sym.errors import ModelFileError
from proofs.verify.decide import PRECISIONS, arb_q, flint, precision, show
from proofs.verify.fixed_points import read_fixed_point
from proofs.verify.hypotheses import CLAIM_MAP
from proofs.verify.linprog import LinearProgram
from proofs.verify.maps import jacobian, tangent_matrix
from proofs.verify.reading import Box, Failed, read_model, read_real
from proofs.verify.regions import NotRechecked, check_stability_region
from proofs.verify.spectra import (
    EigenvaluesNotIsolated,
    charpoly,
    check_spectral_radius_enclosure,
    eigenvalue_enclosures,
    rational_matrix,
    spectral_radius_bounds,
)
from proofs.verify.static_kinds import check_walras_value

__all__ = ["RECHECK_KINDS", "NotRechecked", "describe", "recheck_items", "recheck"]

RECHECK_KINDS = ("spectral_radius", "stability_region", "iterations_at_rate", "walras_gap", "slack_lp", "general")
_EVIDENCE_KEYS = {
    "spectral_radius": "spectral_radius",
    "stability_region": "stability_region",
    "iterations_at_that_rate": "iterations_at_rate",
}
_WHAT = {
    "spectral_radius": "spectral radius of the linearisation at the fixed point",
    "stability_region": "stability region of the linearisation in the parameter",
    "iterations_at_rate": "iterations to the accuracy at the rate ρ",
    "walras_gap": "Walras identity with the unspent budget g at the witness's prices",
    "slack_lp": "β · max slack (exact LP)",
    "general": "general statement",
}


def recheck_items(corrected) -> list:
    """``[(kind, spec)]``: the re-checks a corrected statement's evidence asks for (docs/witness-format.md)."""
    if not isinstance(corrected, dict):
        raise ModelFileError("corrected", corrected, "an object with statement, status, method, evidence")
    evidence = corrected.get("evidence") or {}
    if not isinstance(evidence, dict):
        raise ModelFileError("corrected.evidence", evidence, "an object")
    items = [(kind, evidence) for key, kind in _EVIDENCE_KEYS.items() if key in evidence]
    explicit = evidence.get("recheck")
    for spec in explicit if isinstance(explicit, list) else ([explicit] if explicit is not None else []):
        if not isinstance(spec, dict) or spec.get("kind") not in RECHECK_KINDS:
            raise ModelFileError("corrected.evidence.recheck", spec, f"an object with kind in {RECHECK_KINDS}")
        items.append((spec["kind"], spec))
    return items


def describe(kind: str) -> str:
    """What a re-check of this kind is about (one phrase)."""
    return _WHAT.get(kind, kind)


class _Context:
    """The witness's economy, map and fixed point, read lazily."""

    def __init__(self, witness, claim: str, located=None):
        if not isinstance(witness, dict) or "economy" not in witness:
            raise NotRechecked("the refutation carries no witness economy to re-check the statement on")
        self.witness, self.claim = witness, claim
        self.located = located  # the point the corrected figures name (evidence), tried before the witness's
        self.raw = witness["economy"]
        self.model = read_model(self.raw)
        self.which = witness.get("map") or CLAIM_MAP.get(claim) or self.raw.get("map", "simultaneous")
        self._fp = None

    def fixed_point(self):
        if self._fp is None:
            named = [("corrected.evidence.fixed_point", self.located)] if self.located is not None else []
            named += [(f"witness.{key}", self.witness[key]) for key in ("fixed_point", "state") if key in self.witness]
            for field, raw in named:
                try:
                    self._fp = read_fixed_point(self.model, raw, self.which, field)
                    break
                except Failed:
                    if field.startswith("corrected"):
                        raise  # a named point that is not a fixed point is a wrong figure, not a missing one
                    continue
            if self._fp is None:
                raise NotRechecked(f"the witness names no fixed point of the {self.which} map to locate the figures")
        return self._fp

    def rho_ball(self, bits: int):
        """A ball containing ``ρ`` of the tangent Jacobian at the fixed point (current precision ``bits``)."""
        fp = self.fixed_point()
        f = flint()
        if fp.state is not None:
            chi = self.charpoly()
            roots = [r for r, _ in chi.complex_roots()] if chi.degree() >= 1 else []
            rho = f.arb(0)
            for z in roots:
                rho = rho.max(abs(z))
            return rho
        rows = tangent_matrix(self.model, jacobian(self.model, self.which, fp.balls(self.model), "ball"))
        try:
            _, eig = eigenvalue_enclosures(lambda _bits: rows, "corrected.spectral_radius")
        except EigenvaluesNotIsolated:
            lower, upper = spectral_radius_bounds(rows)
            return lower.union(upper)
        rho = f.arb(0)
        for z in eig:
            rho = rho.max(abs(z))
        return rho

    def charpoly(self):
        st = self.fixed_point().state
        J = tangent_matrix(self.model, jacobian(self.model, self.which, st.flat(), "exact"))
        return charpoly(rational_matrix(J, "the tangent Jacobian"))


_ULP = sp.Rational(1, 2**52)  # one double-precision unit, relative


def _decimal(raw) -> bool:
    """A decimal written as such (a JSON float or a ``"1.25"``-style string), not an integer or ``p/q``."""
    return isinstance(raw, float) or (isinstance(raw, str) and any(c in raw for c in ".eE") and "/" not in raw)


def _enclosure(raw, field: str) -> tuple:
    """``[lo, hi]`` of a stated spectral radius. Decimal endpoints are what floating-point producers write;
    a double rounded to nearest can miss the exact bound by one unit, so each is widened outward by
    ``|x| · 2⁻⁵²``. Integers and ``p/q`` strings are exact."""
    value = read_real(raw, field)
    if getattr(value, "is_Rational", False):
        value, raw = (value, value), [raw, raw]
    if not isinstance(value, tuple):
        raise ModelFileError(field, raw, "a rational or an enclosure [lo, hi]")
    lo, hi = value
    if _decimal(raw[0]):
        lo -= abs(lo) * _ULP
    if _decimal(raw[1]):
        hi += abs(hi) * _ULP
    return lo, hi


def _short(lo, hi) -> str:
    """``[lo, hi]`` for a message: exact when short, else 15 significant digits (the details keep them exact)."""
    text = [str(v) if len(str(v)) <= 20 else f"{float(v):.15g}" for v in (lo, hi)]
    return f"[{text[0]}, {text[1]}]"


def _spectral_radius(ctx: _Context, spec: dict, details: dict) -> str:
    lo, hi = _enclosure(spec["spectral_radius"], "corrected.evidence.spectral_radius")
    fp = ctx.fixed_point()
    if fp.state is not None:
        try:
            check_spectral_radius_enclosure(ctx.charpoly(), lo, hi)
        except Failed as exc:
            raise Failed(str(exc).replace("observed.spectral_radius", "corrected.evidence.spectral_radius")) from None
        with precision(128):
            details["spectral_radius"] = str(ctx.rho_ball(128))
        return f"ρ of the {ctx.which} map's linearisation at the exact fixed point lies in {_short(lo, hi)}"
    with precision(256):
        rho = ctx.rho_ball(256)
        details["spectral_radius"] = str(rho)
        if rho < arb_q(lo) or rho > arb_q(hi):
            raise Failed(f"corrected.evidence.spectral_radius = {_short(lo, hi)} misses the enclosure {rho} of ρ")
    return f"Arb's enclosure of ρ at the enclosed fixed point of the {ctx.which} map meets {_short(lo, hi)}"


def _iterations_at_rate(ctx: _Context, spec: dict, details: dict) -> str:
    n = spec["iterations_at_that_rate"]
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ModelFileError("corrected.evidence.iterations_at_that_rate", n, "a non-negative integer")
    claimed = ctx.witness.get("claimed") if isinstance(ctx.witness.get("claimed"), dict) else {}
    acc = read_real(claimed.get("accuracy", "1/100"), "witness.claimed.accuracy")
    if not getattr(acc, "is_Rational", False) or not 0 < acc < 1:
        raise Failed("witness.claimed.accuracy: a rational in (0, 1) is needed")
    if n == 0:
        raise Failed(f"iterations_at_that_rate = 0: ρ⁰ = 1 > {acc}")
    for bits in PRECISIONS[1:]:
        with precision(bits):
            rho, a = ctx.rho_ball(bits), arb_q(acc)
            if rho**n > a or rho ** (n - 1) < a:
                raise Failed(f"iterations_at_that_rate = {n} is not the least n with ρⁿ ≤ {acc} (ρ ∈ {rho.str(10)})")
            if rho**n < a and rho ** (n - 1) > a:
                details["spectral_radius"] = rho.str(20)
                return f"{n} is the least n with ρⁿ ≤ {acc} for ρ of the {ctx.which} map at the fixed point"
    raise Failed(f"iterations_at_that_rate = {n}: ρⁿ against {acc} undecided at the highest precision")


def _walras_gap(ctx: _Context, spec: dict, evidence: dict, details: dict) -> str:
    at = evidence.get("at_the_counterexample")
    if not isinstance(at, dict) or "value" not in at:
        raise ModelFileError("corrected.evidence.at_the_counterexample.value", None, "the stated value −g")
    w = dict(ctx.witness, observed={"value": at["value"]})
    check_walras_value(w, ctx.model, "thm-3.1", details)
    return f"Σ<p, z(p)> = −g = {details.get('value')} at the witness's prices, with g > 0 (budget not binding)"


def _slack_lp(ctx: _Context, spec: dict, details: dict) -> str:
    m = ctx.model
    if m.beta is None or m.linear:
        raise NotRechecked("the economy has no tâtonnement step β")
    if not all(isinstance(Y, Box) for Y in m.sets):
        raise NotRechecked("β · max slack is re-checked as an exact LP for box production sets only")
    stated = read_real(spec.get("value"), "corrected.evidence.recheck.value")
    lp = LinearProgram()
    pi = [lp.variable() for _ in range(m.n_paths)]
    lp.eq({j: 1 for j in pi}, 1)
    objective = {}
    for a in range(m.A):
        for k in range(m.K):
            y = lp.variable(free=True)
            lp.ge({y: 1}, m.sets[a].lo[k])
            lp.le({y: 1}, m.sets[a].hi[k])
            demand = {pi[j]: -m.u[a][k] for j in range(m.n_paths) if m.on_path(a, j)}
            lp.ge({y: 1, **demand}, 0)  # y_ak ≥ d_ak(π)
            objective[y] = 1
            for j, c in demand.items():
                objective[j] = objective.get(j, 0) + c
    status, value = lp.maximize(objective)
    if status != "optimal":
        raise Failed(f"the slack LP is {status}")
    got = m.beta * value
    details["beta_times_max_slack"] = show(got)
    if not (isinstance(stated, sp.Rational) and stated == got):
        raise Failed(f"β · max slack = {show(got)} (exact LP), not the stated {stated}")
    if got < 1:
        raise Failed(f"β · max slack = {show(got)} < 1: the corrected condition says the map is well defined")
    return f"β · max slack = {show(got)} ≥ 1 by the verifier's exact LP (certificate checked): the iff condition fails"


def recheck(kind: str, spec: dict, evidence: dict, witness, claim: str, details: dict) -> str:
    """Run one re-check; returns the confirmation text or raises Failed / NotRechecked / GeoSymError."""
    if kind == "general":
        raise NotRechecked(str(spec.get("reason", "a theorem with no figures to recompute")), general=True)
    located = spec.get("stability_region", {}).get("state") if kind == "stability_region" else None
    ctx = _Context(witness, claim, located if located is not None else evidence.get("fixed_point"))
    if kind == "spectral_radius":
        return _spectral_radius(ctx, spec, details)
    if kind == "stability_region":
        fp = ctx.fixed_point()
        if fp.state is None:
            raise NotRechecked("the fixed point is enclosed, not exact: a region 'held exact' needs an exact one")
        return check_stability_region(spec.get("stability_region"), ctx.raw, ctx.which, fp.state, details)
    if kind == "iterations_at_rate":
        return _iterations_at_rate(ctx, spec, details)
    if kind == "walras_gap":
        return _walras_gap(ctx, spec, evidence, details)
    if kind == "slack_lp":
        return _slack_lp(ctx, spec, details)
    raise NotRechecked(f"no re-check of kind {kind!r}")
