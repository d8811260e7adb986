"""Lemma 4.2 (the state space) and Lemma 4.3 (``Φ_K`` is a continuous self-map), ``docs/claims.md``."""

from __future__ import annotations

import numpy as np
import sympy as sp

from geo_sym.economy.production import Box
from geo_sym.economy.state import State
from geo_sym.errors import DegenerateNormalizationError
from geo_sym.maps.core import demand, evaluate_map
from geo_sym.rigorous.equilibrium import demand_rows
from geo_sym.rigorous.exact import certain_sign
from geo_sym.rigorous.lp import exact_lp
from proofs.claims.base import Claim
from proofs.claims.witness import exact_str, state_json

__all__ = ["StateSpace", "MapWellDefined", "normalisation_slack"]


def _affine_dimension(econ) -> int:
    dim_y = sum(
        sum(1 for lo, hi in zip(s.lo, s.hi) if lo != hi) if isinstance(s, Box) else econ.K for s in econ.production_sets
    )
    return dim_y + (econ.A * econ.K - 1) + (econ.n_paths - 1)


class StateSpace(Claim):
    id = "lem-4.2"
    title = "State space Ω_K"
    statement = (
        "Ω_K = Π_a Y_a^K × Δ_p^K × Δ(P(G)) is a nonempty compact convex subset of R^n, n = AK + (AK − 1) + |P(G)|."
    )
    statement_latex = (
        r"$\Omega_K = \prod_a Y_a^K \times \Delta_p^K \times \Delta(\mathcal{P}(G))$ is a nonempty compact convex "
        r"subset of $\mathbb{R}^n$, $n = AK + (AK - 1) + |\mathcal{P}(G)|$."
    )
    hypotheses = ("Assumption 1",)
    reference_economies = ("two-by-two", "one-agent-interior")

    def _check(self, ctx):
        rows = []
        for label, econ in ctx.economies(self.reference_economies):
            AK = econ.A * econ.K
            rows.append(
                {
                    "economy": label,
                    "n": AK + (AK - 1) + econ.n_paths,
                    "coordinates": {"y": AK, "p (chart of the simplex)": AK - 1, "pi": econ.n_paths},
                    "dimension_of_Omega_K": _affine_dimension(econ),
                    "production_sets": sorted({s.kind for s in econ.production_sets}),
                }
            )
        return self.verdict(
            "proved",
            "each Y_a is a nonempty compact convex box or ball containing 0 and the simplices are compact convex; "
            "with the price simplex charted by AK − 1 coordinates the product is a nonempty compact convex subset "
            "of R^n (its own dimension is reported in the evidence)",
            ctx=ctx,
            method="exact argument: products and affine charts of nonempty compact convex sets",
            evidence={"economies": rows},
        )


def normalisation_slack(econ):
    """``(bound, exact, state)``: an upper bound of ``β·max{Σ(y − d(π)) : y ∈ Y, π ∈ Δ, y ≥ d(π)}``.

    ``exact`` is True when ``bound`` is the maximum itself (boxes, exact LP); ``state`` is a state of
    ``Ω_K`` attaining it when it is at least 1 (where ``normalize`` meets 0), else ``None``. With no
    feasible ``(y, π)`` the bound is ``-oo``.
    """
    beta = econ.beta
    if econ.all_boxes:
        D = demand_rows(econ)
        hi = [list(s.hi) for s in econ.production_sets]
        flat_hi = [h for row in hi for h in row]
        # maximise Σ(hi − d(π)) = Σ hi − Σ_rows D π  subject to d(π) ≤ hi, Σ π = 1
        c = [sum(D[r][j] for r in range(len(D))) for j in range(econ.n_paths)]
        value, x = exact_lp(c, D, flat_hi, [[1] * econ.n_paths], [1])
        if value is None:
            return -sp.oo, True, None
        top = beta * (sum(flat_hi) - value)
        if top < 1:
            return top, True, None
        pi = [sp.Rational(v) for v in x]
        d = demand(econ, np.array(pi, dtype=object)).ravel()
        sl = [h - dv for h, dv in zip(flat_hi, d)]
        total = sum(sl)
        p = np.array([v / total for v in sl], dtype=object).reshape(econ.A, econ.K)
        return top, True, State(np.array(hi, dtype=object), p, np.array(pi, dtype=object))
    # balls: Σ(y − d) ≤ Σ_a max_{Y_a} Σ_k y_k − min_j Σ d(e_j)
    ones = [sp.Integer(1)] * econ.K
    top_y = sum((s.support(ones) for s in econ.production_sets), sp.Integer(0))
    min_d = min(
        sum(demand(econ, np.array([sp.Integer(int(i == j)) for i in range(econ.n_paths)], dtype=object)).ravel())
        for j in range(econ.n_paths)
    )
    bound = beta * (top_y - min_d)
    return bound, False, _degenerate_state_with_balls(econ)


def _inner_corner(s, d, K):
    """A rational point of the set ``s`` with ``y ≥ d`` and a large ``Σ y`` (box: ``hi``; ball: along ``(1, …, 1)``)."""
    if s.kind == "box":
        y = list(s.hi)
    else:
        t = sp.Rational(int(float(s.radius) / K**0.5 * 10**6), 10**6)
        while t * t * K > s.radius**2:  # exactly inside the ball
            t -= sp.Rational(1, 10**6)
        y = [c + t for c in s.center]
    return y if all(yk >= dk for yk, dk in zip(y, d)) else None


def _degenerate_state_with_balls(econ):
    """An exact state where ``normalize`` meets 0 (``y ≥ d``, ``β Σ(y − d) ≥ 1``), tried at each vertex routing."""
    for j in range(econ.n_paths):
        pi = np.array([sp.Integer(int(i == j)) for i in range(econ.n_paths)], dtype=object)
        d = demand(econ, pi)
        ys = [_inner_corner(s, list(d[a]), econ.K) for a, s in enumerate(econ.production_sets)]
        if any(y is None for y in ys):
            continue
        slack = [yk - dk for y, row in zip(ys, d) for yk, dk in zip(y, row)]
        total = sum(slack, sp.Integer(0))
        if total > 0 and econ.beta * total >= 1:
            p = np.array([v / total for v in slack], dtype=object).reshape(econ.A, econ.K)
            return State(np.array(ys, dtype=object), p, pi)
    return None


class MapWellDefined(Claim):
    id = "lem-4.3"
    title = "Φ_K is a continuous self-map of Ω_K"
    statement = "Under Assumptions 1–4, Φ_K : Ω_K → Ω_K is continuous and maps Ω_K into itself."
    statement_latex = (
        r"Under Assumptions 1--4, $\Phi_K \colon \Omega_K \to \Omega_K$ is continuous and maps $\Omega_K$ into itself."
    )
    hypotheses = ("Assumptions 1–4", "α, β > 0, τ > 0")
    reference_economies = ("two-by-two", "large-beta")

    _condition = (
        "β · max{Σ_{a,k}(y − d(π))_{a,k} : y ∈ Π Y_a, π ∈ Δ(P), y ≥ d(π)} < 1, so p + β(d − y) always has a "
        "positive coordinate and normalize never meets 0"
    )

    def _check(self, ctx):
        verdicts = []
        for label, econ in ctx.economies(self.reference_economies):
            if econ.price_mechanism.kind != "tatonnement":
                verdicts.append(
                    self.not_applicable(
                        None,
                        f"on '{label}': Lemma 4.3 is about Φ_K with the tâtonnement price update (11); this economy's "
                        "price mechanism is linear and has no step β",
                        ctx=ctx,
                    )
                )
                continue
            verdicts.append(self._decide(ctx, label, ctx.variant(econ, "simultaneous")))
        refuted = [v for v in verdicts if v.status == "refuted"]
        if refuted:
            return refuted[0]
        decided = [v for v in verdicts if v.status == "proved"]
        if decided and len(decided) == len([v for v in verdicts if v.applicable]):
            return decided[0] if len(decided) == 1 else self._merge(ctx, decided)
        return next((v for v in verdicts if v.applicable and v.status == "inconclusive"), verdicts[0])

    def _merge(self, ctx, decided):
        return self.verdict(
            "proved",
            "; ".join(v.reason for v in decided),
            ctx=ctx,
            method=decided[0].method,
            holds_under=decided[0].holds_under,
            evidence={"economies": [v.evidence for v in decided]},
        )

    def _decide(self, ctx, label, econ):
        bound, exact, state = normalisation_slack(econ)
        bound_text = (
            "−∞ (no production covers demand)"
            if bound == -sp.oo
            else exact_str(bound)
            if isinstance(bound, sp.Rational)
            else str(bound)
        )
        evidence = {"economy": label, "beta_times_max_slack": bound_text, "bound_is_the_maximum": exact}
        if bound == -sp.oo or certain_sign(bound - 1) == -1:
            return self.verdict(
                "proved",
                f"on '{label}': β · max slack = {bound_text} < 1, so the normaliser is positive on Ω_K; Φ_K is then a "
                "composition of continuous maps with each block landing in its factor of Ω_K",
                ctx=ctx,
                economy=label,
                holds_under=[self._condition],
                method="exact linear program (boxes) or an exact bound (balls), and construction",
                evidence=evidence,
            )
        if state is None:
            return self.verdict(
                "inconclusive",
                f"on '{label}': the bound β · max slack ≤ {bound_text} is not below 1, and no state where normalize meets "
                "0 was found at the vertex routings",
                ctx=ctx,
                economy=label,
                method="exact bound",
                evidence=evidence,
            )
        try:
            evaluate_map(econ, state)
        except DegenerateNormalizationError:
            pass
        else:
            raise RuntimeError("lem-4.3: the exact LP returned a state where Φ_K is defined")
        q = (state.p + econ.beta * (demand(econ, state.pi) - state.y)).ravel()
        return self.verdict(
            "refuted",
            f"on '{label}': at an exact state of Ω_K every coordinate of p + β(d − y) is ≤ 0 (β · max slack = "
            f"{bound_text} ≥ 1), so Φ_K needs normalize(0) there: it is not defined on all of Ω_K",
            ctx=ctx,
            economy=label,
            holds_under=[self._condition],
            method="exact linear program over routings (SymPy simplex)",
            witness={
                "kind": "undefined_map",
                "economy": econ.to_dict(),
                "state": state_json(state),
                "claimed": {"defined": True},
                "observed": {"defined": False, "q": [exact_str(v) for v in q]},
            },
            evidence=evidence,
            corrected={
                "statement": "Φ_K is a continuous self-map of Ω_K if and only if "
                + self._condition.split(", so")[0]
                + " (boxes: the maximum is an exact LP)",
                "status": "proved",
                "method": "exact LP: the maximiser gives a state with q ≤ 0 when the value is ≥ 1; below 1 the "
                "normaliser is positive everywhere",
                "evidence": {
                    "beta_times_max_slack": bound_text,
                    "recheck": {"kind": "slack_lp", "value": bound_text},
                },
            },
        )
