"""Theorem 6.1 (Banach), Proposition 6.2 (the contraction condition) and Example 6.3 (``docs/claims.md``)."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import sympy as sp

from geo_sym.economy.state import State
from geo_sym.maps.core import active_set
from geo_sym.maps.jacobian import numeric_jacobian
from geo_sym.rigorous.arb import require_flint
from geo_sym.rigorous.contraction import contraction_certificate
from geo_sym.rigorous.fixed_point_problem import SearchTooLargeError
from geo_sym.rigorous.spectral import PREC, arb_fraction_bounds, precise_interval_map
from proofs.claims.base import Claim
from proofs.claims.dynamics_tools import (
    fraction,
    largest_norm,
    one_path_contraction,
    paper_rate,
    rational_states,
)
from proofs.claims.witness import enclosure_json, json_number, state_json

__all__ = ["Banach", "ContractionBound", "ExampleSixThree", "NORM"]

NORM = "the Euclidean operator norm on the tangent space of the state space"
_MAP_NAMES = {"simultaneous": "Φ_K (eq. (10)–(12))", "sequential": "the tâtonnement (13)"}


def _q(v) -> str:
    v = fraction(v)
    return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"


def _candidate_states(ctx, econ, m, salt):
    """Exact fixed points (off kinks) first, then seeded exact states of ``m``'s state space."""
    exact_fps = [fp.exact for fp in ctx.fixed_points(econ) if fp.exact is not None]
    off_kink = [x for x in exact_fps if not active_set(m, x).at_kink]
    return off_kink + rational_states(m, ctx.rng(salt), ctx.samples_for(m))


def _norm_witness(m, kind, hit, figure, bound):
    return {
        "kind": "operator_norm",
        "economy": m.to_dict(),
        "map": kind,
        "state": state_json(hit.state),
        "tangent": [json_number(c) for c in hit.tangent],
        "claimed": {"figure": figure, "bound": json_number(bound)},
        "observed": _norm_observed(hit),
    }


def _norm_observed(hit) -> dict:
    """The exact lower bound from the production and price rows, or the Arb enclosure of the whole ratio."""
    lo, hi = hit.ratio_squared
    if hit.rows_only:
        return {"ratio_squared_at_least": json_number(lo), "rows": "y and p (the routing rows only add)"}
    return {"ratio_squared": enclosure_json(lo, hi)}


def _weighted_certificate(econ) -> dict | None:
    """A contraction certificate of ``Φ_K`` in a weighted max-norm (a different norm: reported, labelled)."""
    try:
        res = contraction_certificate(econ, max_boxes=300)
    except SearchTooLargeError:
        return None
    return {
        "norm": res.norm,
        "weights": res.weights,
        "success": res.success,
        "constant": res.constant,
        "boxes_checked": res.boxes_checked,
        "label": "a certificate in this weighted max-norm is a different statement from the Euclidean hypothesis",
    }


class Banach(Claim):
    id = "thm-6.1"
    title = "Uniqueness and geometric convergence (Banach)"
    statement = (
        "If ‖DΦ_K‖_op ≤ λ < 1, (i) the equilibrium is unique and (ii) the tâtonnement (13) converges with "
        "‖x_n − x*‖ ≤ λ^n/(1−λ) ‖x_1 − x_0‖ (14)."
    )
    statement_latex = (
        r"If $\lVert D\Phi_K \rVert_{\mathrm{op}} \le \lambda < 1$, (i) the equilibrium is unique and (ii) the "
        r"tâtonnement (13) converges with $\lVert x_n - x^* \rVert \le \frac{\lambda^n}{1 - \lambda} "
        r"\lVert x_1 - x_0 \rVert$ (14)."
    )
    hypotheses = ("‖DΦ_K‖_op ≤ λ < 1 on the state space",)
    reference_economies = ("one-agent-interior", "example-6.3", "two-by-two")

    def _check(self, ctx):
        per_part = {"(i)": [], "(ii)": []}
        evidence = {"norm": NORM, "economies": []}
        for label, econ in ctx.economies(self.reference_economies):
            phi = ctx.variant(econ, "simultaneous")
            entry = {"economy": label}
            exact = one_path_contraction(phi)
            if exact is not None:
                entry["hypothesis"] = exact.text
                per_part["(i)"].append(self._exact_i(ctx, label, exact))
                per_part["(ii)"].append(self._exact_ii(ctx, label, exact))
                evidence["economies"].append(entry)
                continue
            hit = largest_norm(phi, _candidate_states(ctx, econ, phi, 61))
            if hit is not None and hit.proves_at_least_one:
                why = (
                    f"on '{label}' the hypothesis fails: at an exact state ‖DΦ_K(x)‖_op² ≥ "
                    f"{float(hit.ratio_squared[0]):.6g} (rigorous), so the theorem makes no claim here"
                )
                entry["hypothesis"] = "fails (rigorous lower bound ≥ 1)"
                per_part["(i)"].append(self.not_applicable("(i)", why, ctx=ctx))
                per_part["(ii)"].append(self.not_applicable("(ii)", why, ctx=ctx))
            else:
                est = max(hit.estimates) if hit is not None else float("nan")
                entry["hypothesis"] = "undecided"
                entry["largest_sampled_norm"] = est
                why = (
                    f"on '{label}' the hypothesis is neither certified nor refuted in {NORM} (largest sampled norm "
                    f"{est:.6g}, numeric)"
                )
                for p in ("(i)", "(ii)"):
                    per_part[p].append(
                        self.verdict("inconclusive", why, ctx=ctx, part=p, economy=label, method="sampled norms")
                    )
            cert = _weighted_certificate(phi) if phi.state_size() <= 12 else None
            if cert is not None:
                entry["weighted_norm_certificate"] = cert
            evidence["economies"].append(entry)
        parts = [_pick(per_part["(i)"]), _pick(per_part["(ii)"])]
        return self.combine(parts, ctx=ctx, evidence=evidence)

    def _exact_i(self, ctx, label, exact):
        if not exact.holds:
            return self.not_applicable(
                "(i)", f"on '{label}' the hypothesis fails exactly: {exact.text}; the theorem makes no claim", ctx=ctx
            )
        return self.verdict(
            "proved",
            f"on '{label}' (one path) {exact.text}, so Φ_K is a contraction and Banach gives a unique fixed point",
            ctx=ctx,
            part="(i)",
            economy=label,
            method="exact: the supremum of ‖DΦ_K‖_op over the state space in closed form (one path)",
        )

    def _exact_ii(self, ctx, label, exact):
        if not exact.holds:
            return self.not_applicable(
                "(ii)", f"on '{label}' the hypothesis fails exactly: {exact.text}; the theorem makes no claim", ctx=ctx
            )
        if exact.sequential_ok:
            return self.verdict(
                "proved",
                f"on '{label}' the tâtonnement (13) is itself a contraction with a constant no larger than Φ_K's "
                f"({exact.sequential_text}), so Banach's a-priori bound (14) holds for its iterates",
                ctx=ctx,
                part="(ii)",
                economy=label,
                method="exact: sup ‖DT‖_op in closed form (one path) compared exactly with Φ_K's",
            )
        return self.verdict(
            "inconclusive",
            f"on '{label}' Φ_K contracts ({exact.text}) but (13) may not with the same constant "
            f"({exact.sequential_text}); bound (14) for (13) is not decided",
            ctx=ctx,
            part="(ii)",
            economy=label,
            method="exact one-path analysis",
        )


def _pick(verdicts):
    refuted = [v for v in verdicts if v.status == "refuted"]
    if refuted:
        return refuted[0]
    applicable = [v for v in verdicts if v.applicable]
    if not applicable:
        return verdicts[0]
    order = {"proved": 3, "certified": 2, "supported": 1, "inconclusive": 0}
    return min(applicable, key=lambda v: order[v.status])


class ContractionBound(Claim):
    id = "prop-6.2"
    title = "Sufficient condition for a contraction"
    statement = (
        "A sufficient condition for ‖DΦ_K‖_op < 1 is τ > (1 − α) γ_A P, with γ_A = ‖DA_K‖_op and P the depth of G "
        "(the proof: ‖DΦ_K‖_op ≤ (1 − α) γ_A P/τ)."
    )
    statement_latex = (
        r"A sufficient condition for $\lVert D\Phi_K \rVert_{\mathrm{op}} < 1$ is $\tau > (1 - \alpha) \gamma_{\mathcal{A}} P$, "
        r"with $\gamma_{\mathcal{A}} = \lVert D\mathcal{A}_K \rVert_{\mathrm{op}}$ and $P$ the depth of $G$ (the proof: "
        r"$\lVert D\Phi_K \rVert_{\mathrm{op}} \le (1 - \alpha) \gamma_{\mathcal{A}} P / \tau$)."
    )
    hypotheses = ("α ∈ (0, 1)", "a price mechanism A_K with γ_A = ‖DA_K‖_op", "τ > (1 − α) γ_A P")
    reference_economies = ("constant-prices", "example-6.3")

    def _check(self, ctx):
        parts = {"simultaneous": [], "sequential": []}
        evidence = {"norm": NORM, "proof_bound": []}
        maps = {}
        for label, econ in ctx.economies(self.reference_economies):
            for kind in parts:
                maps[label, kind] = ctx.variant(econ, kind)
                parts[kind].append(self._part(ctx, label, econ, kind, evidence))
        picked = [_pick(v) for v in parts.values()]
        if ctx.explain:
            picked = [_with_region(v, maps.get((v.economy, kind))) for v, kind in zip(picked, parts)]
        return self.combine(picked, ctx=ctx, evidence=evidence)

    def _part(self, ctx, label, econ, kind, evidence):
        rate = paper_rate(econ)
        if rate is None:
            return self.not_applicable(
                kind,
                f"on '{label}': γ_A is the norm of a linear price mechanism A_K; this economy uses the tâtonnement (11)",
                ctx=ctx,
            )
        if rate.hypothesis is False:
            return self.not_applicable(
                kind, f"on '{label}': τ ≤ (1 − α)γ_A P here (λ = {rate.text()}), so nothing is claimed", ctx=ctx
            )
        if rate.hypothesis is None:
            return self.verdict(
                "inconclusive",
                f"on '{label}': whether τ > (1 − α)γ_A P could not be decided (λ {rate.text()})",
                ctx=ctx,
                part=kind,
                economy=label,
                method="rigorous bounds of γ_A",
            )
        m = ctx.variant(econ, kind)
        hit = largest_norm(m, _candidate_states(ctx, econ, m, 62 if kind == "simultaneous" else 63))
        if hit is not None:
            est = max(hit.estimates)
            evidence["proof_bound"].append(
                {
                    "economy": label,
                    "map": kind,
                    "claimed_bound": rate.text(),
                    "largest_sampled_norm": est,
                    "exceeded_numerically": est > float(rate.hi),
                }
            )
        if hit is not None and hit.proves_at_least_one:
            return self.verdict(
                "refuted",
                f"on '{label}': τ > (1 − α)γ_A P holds (λ = {rate.text()}) but at an exact state "
                f"‖D{'Φ_K' if kind == 'simultaneous' else 'T'}(x)‖_op ≥ {math.sqrt(float(hit.ratio_squared[0])):.6g} "
                f"(rigorous, {NORM}) for {_MAP_NAMES[kind]}: the chain-rule bound leaves out the demand channel "
                "α∂d/∂π and the production block",
                ctx=ctx,
                part=kind,
                economy=label,
                method="exact state, rational tangent vector, Arb enclosure of ‖DΦ t‖²/‖t‖²",
                witness=_norm_witness(m, kind, hit, "one", 1),
                corrected=self._corrected(ctx, econ, m, kind),
            )
        if hit is None or max(hit.estimates) >= 1:
            return self.verdict(
                "inconclusive",
                f"on '{label}': no state where the operator norm could be decided",
                ctx=ctx,
                part=kind,
                economy=label,
                method="sampled norms",
            )
        est = max(hit.estimates)
        return self.verdict(
            "supported",
            f"on '{label}' the operator norm of {_MAP_NAMES[kind]} stays below 1 at the {len(hit.estimates)} states "
            "sampled (numeric evidence, not the whole state space)",
            ctx=ctx,
            part=kind,
            economy=label,
            method="sampled norms (floating point at exact states)",
            evidence={
                "decisive": {"quantity": "largest sampled ‖DΦ(x)‖_op", "value": est, "bound": 1.0, "relation": "<"},
                "samples": len(hit.estimates),
                "seed": ctx.seed,
            },
        )

    def _corrected(self, ctx, econ, m, kind) -> dict:
        facts = [ctx.spectrum(m, fp) for fp in ctx.fixed_points(econ)]
        facts = [f for f in facts if f is not None and f.radius_hi is not None]
        if not facts:
            return {
                "statement": "no contraction condition is established here; use the exact stability region of the "
                "linearisation (geo-sym region) for a corrected condition",
                "status": "inconclusive",
                "method": "none",
                "evidence": {},
            }
        f = facts[0]
        stable = f.radius_hi < 1
        return {
            "statement": f"at the fixed point found the linearisation of {_MAP_NAMES[kind]} has spectral radius in "
            f"[{float(f.radius_lo or 0):.6g}, {float(f.radius_hi):.6g}]"
            + (" < 1: the fixed point is locally asymptotically stable" if stable else ""),
            "status": "proved" if f.exact else "certified",
            "method": "exact eigenvalues" if f.exact else "Arb enclosure of the Jacobian and Schur–Cohn root counts",
            "evidence": {"spectral_radius": [float(f.radius_lo or 0), float(f.radius_hi)]},
        }


def _with_region(v, m):
    """The refuted verdict ``v`` with the exact stability region in ``tau`` added to what is true instead."""
    if v.status != "refuted" or v.corrected is None or m is None:
        return v
    region = stability_region_facts(m)
    if region is None:
        return v
    c = dict(v.corrected)
    if c["status"] == "inconclusive":
        c = {"statement": region["statement"], "status": "proved", "method": region["method"], "evidence": {}}
    else:
        c["statement"] = f"{c['statement']}; {region['statement']}"
        c["method"] = f"{c['method']}; {region['method']}"
        c["evidence"] = dict(c["evidence"])
    c["evidence"]["stability_region"] = region["evidence"]
    return dataclasses.replace(v, corrected=c)


#: largest tangent dimension for which a corrected condition is sought with the exact region engine
REGION_DIMENSION = 24
#: largest degree of a tau-dependent factor of the characteristic polynomial the corrected condition
#: decides (the engine's subresultants take minutes from degree 5 or 6 on economies with several paths;
#: ``geo-sym region`` decides up to its own larger default)
REGION_FACTOR_DEGREE = 4


def region_parameters(econ) -> list[str]:
    """The parameter of the corrected condition of Prop. 6.2: ``tau``, the one its condition (15) bounds."""
    return ["tau"]


def region_for_part(label: str, kind: str, economy=None):
    """The :class:`RegionResult` behind a part's corrected condition: economy ``label`` with ``map: kind``.

    ``economy`` is the user's economy (its name is ``label``); ``None`` means a reference economy.
    ``None`` when the engine gives no exact answer (as in :func:`stability_region_facts`).
    """
    from proofs.claims.reference import reference_economy

    econ = economy if economy is not None else reference_economy(label)
    econ = econ if econ.map_kind == kind else econ.replace(map=kind)
    return _exact_region(econ)


def _exact_region(econ):
    """The exact region in ``tau`` of :func:`stability_region_facts`, or ``None``."""
    from geo_sym.economy.state import tangent_chart
    from geo_sym.errors import GeoSymError
    from geo_sym.rigorous.economy_region import economy_region

    if tangent_chart(econ).m > REGION_DIMENSION:
        return None
    try:
        r = economy_region(
            econ, region_parameters(econ), policy=False, check_points=12, max_factor_degree=REGION_FACTOR_DEGREE
        )
    except GeoSymError:
        return None
    mode = r.context.get("fixed_point", {}).get("mode")
    return r if mode in ("held exact", "tracked exactly") else None


def stability_region_facts(econ) -> dict | None:
    """The exact region of the parameters where the linearisation at the fixed point is stable, as a fact.

    Computed by :func:`geo_sym.rigorous.economy_region.economy_region` in ``tau`` (the parameter condition
    (15) bounds), the other parameters at the economy's values. ``None`` when the engine
    cannot give an exact answer for this economy: a state space too large for it, a fixed point that
    is neither held nor tracked exactly (routing weights held at approximate values), or a polynomial
    it refuses; the corrected statement then omits the region.
    """
    r = _exact_region(econ)
    if r is None:
        return None
    params = list(r.params)
    mode = r.context["fixed_point"]["mode"]
    stable = r.regions.get("stable", [])
    conjs = [" and ".join(str(c) for c in conj) for conj in stable]
    text = (conjs[0] if len(conjs) == 1 else " or ".join(f"({c})" for c in conjs)) if conjs else "nowhere"
    held = "".join(f"{k} = {v}, " for k, v in r.fixed.items())
    return {
        "statement": f"the linearisation at the fixed point ({mode}) has every eigenvalue inside the unit circle "
        f"exactly where {text} ({', '.join(params)} varying; {held}the rest of the economy as given)",
        "method": "exact stability region (factored characteristic polynomial, Schur–Cohn read by Descartes' rule, "
        "cylindrical decomposition; geo-sym region)",
        "evidence": {
            "params": params,
            "fixed": {k: str(v) for k, v in r.fixed.items()},
            "stable": [[str(c) for c in conj] for conj in stable],
            "unstable": [[str(c) for c in conj] for conj in r.regions.get("unstable", [])],
            "boundary": [[str(c) for c in conj] for conj in r.boundary],
            "fixed_point": mode,
        },
    }


# ------------------------------------------------------------------------------------ Example 6.3
def _count_for(lam: Fraction, target: Fraction) -> int:
    """The least ``n ≥ 0`` with ``lam**n ≤ target`` (exact rational comparisons)."""
    n = 0
    while lam**n > target:
        n += 1
    return n


_EX = {
    "alpha": Fraction(1, 10),
    "depth": 3,
    "gamma": Fraction(1, 2),
    "rate": Fraction(1, 2),
    "accuracy": Fraction(1, 100),
}


class ExampleSixThree(Claim):
    id = "ex-6.3"
    title = "Example 6.3"
    statement = (
        "For α = 0.10, P = 3, γ_A = 0.50: the condition becomes τ > 1.35. For λ = 0.5, convergence to 99% accuracy "
        "requires ≈ 7 iterations."
    )
    statement_latex = (
        r"For $\alpha = 0.10$, $P = 3$, $\gamma_{\mathcal{A}} = 0.50$: the condition becomes $\tau > 1.35$. For "
        r"$\lambda = 0.5$, convergence to 99\% accuracy requires $\approx 7$ iterations."
    )
    hypotheses = ("Proposition 6.2",)
    reference_economies = ("example-6.3",)

    def _check(self, ctx):
        parts = [self._arithmetic(ctx)]
        dyn = [self._dynamics(ctx, label, econ) for label, econ in ctx.economies(self.reference_economies)]
        parts.append(_pick(dyn))
        return self.combine(parts, ctx=ctx)

    def _arithmetic(self, ctx):
        threshold = (1 - _EX["alpha"]) * _EX["gamma"] * _EX["depth"]
        n = _count_for(_EX["rate"], _EX["accuracy"])
        ok = threshold == Fraction(135, 100) and n == 7
        return self.verdict(
            "proved" if ok else "refuted",
            f"(1 − α)γ_A P = {_q(threshold)} for the example's data, and λⁿ ≤ {_q(_EX['accuracy'])} first at n = {n} "
            f"for λ = {_q(_EX['rate'])}",
            ctx=ctx,
            part="arithmetic",
            economy="the example's data",
            method="exact rational arithmetic",
        )

    def _dynamics(self, ctx, label, econ):
        part = "dynamics"
        rate = paper_rate(econ)
        data_ok = (
            rate is not None
            and rate.exact
            and fraction(econ.alpha) == _EX["alpha"]
            and econ.depth == _EX["depth"]
            and rate.gamma_lo == _EX["gamma"]
            and rate.lo == _EX["rate"]
        )
        if not data_ok:
            return self.not_applicable(
                part,
                f"on '{label}': the example's dynamics claim concerns economies with its α, P and γ_A and τ giving its λ; "
                "this economy differs",
                ctx=ctx,
            )
        lam = rate.lo
        N = max(7, _count_for(lam, _EX["accuracy"] * (1 - lam)))
        T = ctx.variant(econ, "sequential")
        fps = [fp for fp in ctx.fixed_points(econ) if fp.rigorous]
        if not fps:
            return self.verdict(
                "inconclusive",
                f"on '{label}': no fixed point could be proved (exact or enclosed) to measure the iterates against",
                ctx=ctx,
                part=part,
                economy=label,
                method="seeded fixed-point search",
            )
        fp = fps[0]
        worst = None
        for x0 in _starts(T, fp, ctx) + rational_states(T, ctx.rng(64), 3):
            ratio2 = _iterate_ratio(T, fp, x0, N)
            if ratio2 is None:
                continue
            if ratio2[0] > _EX["accuracy"] ** 2:
                return self._refute_dynamics(ctx, label, T, fp, x0, N, ratio2, lam)
            worst = ratio2 if worst is None or ratio2[1] > worst[1] else worst
        if worst is None:
            return self.verdict(
                "inconclusive",
                f"on '{label}': the interval iteration of (13) could not be enclosed",
                ctx=ctx,
                part=part,
                economy=label,
                method="interval iteration",
            )
        value = math.sqrt(float(worst[1]))
        return self.verdict(
            "supported" if value <= float(_EX["accuracy"]) else "inconclusive",
            f"on '{label}' every start tried is within {_q(_EX['accuracy'])} relative accuracy after {N} iterations",
            ctx=ctx,
            part=part,
            economy=label,
            method="interval iteration of (13) from starts along the slowest direction",
            evidence={
                "decisive": {
                    "quantity": "largest ‖x_N − x*‖/‖x_0 − x*‖ over the starts tried",
                    "value": value,
                    "bound": float(_EX["accuracy"]),
                    "relation": "<=",
                },
                "N": N,
            },
        )

    def _refute_dynamics(self, ctx, label, T, fp, x0, N, ratio2, lam):
        facts = ctx.spectrum(T, fp)
        observed = {"ratio_squared": enclosure_json(*ratio2)}
        extra = ""
        if facts is not None and facts.radius_lo is not None:
            needed = math.ceil(math.log(0.01) / math.log(max(min(facts.estimate, 0.999999), 1e-12)))
            observed["spectral_radius"] = enclosure_json(facts.radius_lo, facts.radius_hi or facts.radius_lo)
            observed["iterations_at_that_rate"] = needed
            extra = f"; the slowest mode decays at ρ(DT(x*)) ≈ {facts.estimate:.6g}, which needs ≈ {needed} iterations"
        return self.verdict(
            "refuted",
            f"on '{label}' (the example's data, λ = {_q(lam)}): after {N} iterations of (13) a "
            f"start near the fixed point is still at {math.sqrt(float(ratio2[0])):.4g} of its initial distance, "
            f"not within {_q(_EX['accuracy'])}" + extra,
            ctx=ctx,
            part="dynamics",
            economy=label,
            method="rigorous interval iteration of the sequential map from an exact start",
            witness={
                "kind": "iteration_count",
                "economy": T.to_dict(),
                "map": "sequential",
                "fixed_point": fp.to_witness(),
                "start": state_json(x0),
                "states": [state_json(x0), fp.state_json()],
                "n": N,
                "claimed": {"iterations": N, "accuracy": _q(_EX["accuracy"])},
                "observed": observed,
            },
            corrected={
                "statement": "the number of iterations to 99% accuracy is governed by the spectral radius of the "
                "linearised map (13) at the fixed point, not by λ = (1 − α)γ_A P/τ",
                "status": "certified" if facts is not None and not facts.exact else "proved",
                "method": "rigorous spectral radius at the fixed point",
                "evidence": observed,
            },
        )


def _starts(T, fp, ctx):
    """Exact starts near the fixed point along the slowest directions of DT(x*) (chosen in floating point)."""
    xs = fp.numeric
    J = numeric_jacobian(T, xs).dense()
    w, V = np.linalg.eig(J)
    out = []
    for idx in np.argsort(-np.abs(w))[:2]:
        if abs(w[idx]) == 0:
            continue
        v = np.real(V[:, idx])  # an eigenvector of a non-zero eigenvalue lies in the range of DT: tangent
        if not np.any(v):
            continue
        for eps in (1e-3, -1e-3):
            st = _rational_state(T, State(*_split(T, xs.flat() + eps * v / np.max(np.abs(v)))))
            if st is not None:
                out.append(st)
    return out[:3]


def _split(econ, x):
    A, K = econ.A, econ.K
    return x[: A * K].reshape(A, K), x[A * K : 2 * A * K].reshape(A, K), x[2 * A * K :]


def _rational_state(econ, xs):
    """An exact state near the float state ``xs``: y in Y, prices A_K(y') for the y' they imply, routing on Δ."""
    from proofs.claims.dynamics_tools import _inside, _rational

    y = _inside(econ, np.vectorize(lambda v: _rational(v, 10**6), otypes=[object])(xs.y))
    pm = econ.price_mechanism
    if pm.kind == "linear":
        G = np.array([[float(v) for v in row] for row in pm.G])
        b = pm.b_float
        y2 = np.linalg.lstsq(G, xs.p.ravel() - b, rcond=None)[0].reshape(xs.y.shape)
        y2 = _inside(econ, np.vectorize(lambda v: _rational(v, 10**6), otypes=[object])(y2))
        p = (np.array(pm.G, dtype=object).dot(y2.ravel()) + np.array(pm.b, dtype=object)).reshape(y.shape)
    else:
        raw = [max(_rational(v, 10**6), sp.Integer(0)) for v in xs.p.ravel()]
        p = np.array([v / sum(raw) for v in raw], dtype=object).reshape(xs.p.shape)
    raw = [max(_rational(v, 10**6), sp.Rational(1, 10**9)) for v in xs.pi]
    pi = np.array([v / sum(raw) for v in raw], dtype=object)
    return State(y, p, pi)


def _iterate_ratio(T, fp, x0, N):
    """Rigorous ``[lo, hi]`` of ``‖x_N − x*‖² / ‖x_0 − x*‖²`` for the sequential map from the exact start ``x0``."""
    flint = require_flint()
    old = flint.ctx.prec
    flint.ctx.prec = PREC
    try:
        imap = precise_interval_map(T)
        chart = imap.chart
        q = lambda v: flint.arb(flint.fmpq(int(v.p), int(v.q)))
        x0f = x0.flat()
        u = [q(sp.Rational(x0f[k])) for k in chart.kept]
        for _ in range(N):
            img = imap.evaluate(u, jacobian=False)
            if not img.ok:
                return None
            u = img.tangent_value
        xN = chart.state_balls(u)
        if fp.exact is not None:
            star = [q(sp.Rational(v)) for v in fp.exact.flat()]
        else:
            star = [flint.arb(float(lo)).union(flint.arb(float(hi))) for lo, hi in fp.enclosure]
        x0b = [q(sp.Rational(v)) for v in x0f]
        num = sum(((a - b) * (a - b) for a, b in zip(xN, star)), flint.arb(0))
        den = sum(((a - b) * (a - b) for a, b in zip(x0b, star)), flint.arb(0))
        if not (den > 0):
            return None
        ratio = num / den
        return arb_fraction_bounds(ratio) if ratio.is_finite() else None
    finally:
        flint.ctx.prec = old
