"""Theorem 6.1 (Banach) and Proposition 6.2 (the contraction condition) (``docs/claims.md``).

Example 6.3 is in :mod:`proofs.claims.example_6_3`, the exact stability region of the corrected condition
in :mod:`proofs.claims.stability_region`.
"""

from __future__ import annotations

import dataclasses
import math

from geo_sym.maps.core import active_set
from geo_sym.rigorous.contraction import contraction_certificate
from geo_sym.rigorous.fixed_point_problem import SearchTooLargeError
from proofs.claims.base import Claim
from proofs.claims.dynamics_tools import (
    fraction,
    largest_norm,
    one_path_contraction,
    paper_rate,
    rational_states,
)
from proofs.claims.stability_region import stability_region_facts
from proofs.claims.witness import enclosure_json, json_number, rational_box, state_json

__all__ = ["Banach", "ContractionBound", "NORM"]

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
        found = [(fp, ctx.spectrum(m, fp)) for fp in ctx.fixed_points(econ)]
        found = [(fp, f) for fp, f in found if f is not None and f.radius_hi is not None]
        if not found:
            return {
                "statement": "no contraction condition is established here; use the exact stability region of the "
                "linearisation (geo-sym region) for a corrected condition",
                "status": "inconclusive",
                "method": "none",
                "evidence": {},
            }
        fp, f = found[0]
        stable = f.radius_hi < 1
        return {
            "statement": f"at the fixed point found the linearisation of {_MAP_NAMES[kind]} has spectral radius in "
            f"[{float(f.radius_lo or 0):.6g}, {float(f.radius_hi):.6g}]"
            + (" < 1: the fixed point is locally asymptotically stable" if stable else ""),
            "status": "proved" if f.exact else "certified",
            "method": "exact eigenvalues" if f.exact else "Arb enclosure of the Jacobian and Schur–Cohn root counts",
            "evidence": {"spectral_radius": enclosure_json(f.radius_lo or 0, f.radius_hi), **_located(fp)},
        }


def _located(fp) -> dict:
    """``{"fixed_point": ...}``: the point the corrected figures speak about (exact state, or its Krawczyk box)."""
    if fp.exact is not None:
        return {"fixed_point": state_json(fp.exact)}
    if fp.enclosure is not None:
        return {"fixed_point": {"box": rational_box(fp.enclosure)}}
    return {}


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
