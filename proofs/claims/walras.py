"""Theorem 3.1, the functional Walras law (``docs/claims.md``, thm-3.1)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from geo_sym.rigorous.equilibrium import path_budget_costs, profits, walras_value
from geo_sym.rigorous.exact import certain_sign, exact_bounds
from proofs.claims.base import Claim
from proofs.claims.witness import decimal_str, json_number, matrix_json

__all__ = ["WalrasLaw", "walras_identity_proved"]

R = sp.Rational


def walras_identity_proved() -> bool:
    """Exact identity: ``Σ<p, d − y*> = Σ<p, d> − ΣΠ`` when ``Π_a = <p_a, y*_a>`` (cancellation to zero)."""
    p = sp.symbols("p0:3", real=True)
    d = sp.symbols("d0:3", real=True)
    y = sp.symbols("y0:3", real=True)
    profit = [pi * yi for pi, yi in zip(p, y)]
    lhs = sum(pi * (di - yi) for pi, di, yi in zip(p, d, y))
    rhs = sum(pi * di for pi, di in zip(p, d)) - sum(profit)
    num, _ = sp.fraction(sp.cancel(sp.together(lhs - rhs)))
    return num == 0


def candidate_prices(econ, rng, n_random: int) -> list:
    """Exact price vectors in ``ℝ^{AK}``: ``±e_i``, the all-ones vector, seeded random rationals in ``[−1, 1]``."""
    AK = econ.A * econ.K
    out = []
    for i in range(AK):
        for sign in (1, -1):
            out.append([R(sign) if j == i else R(0) for j in range(AK)])
    out.append([R(1)] * AK)
    for _ in range(n_random):
        out.append([R(int(v), 50) for v in rng.integers(-50, 51, size=AK)])
    return [np.array(v, dtype=object).reshape(econ.A, econ.K) for v in out]


def _trivial(econ) -> bool:
    """Every ``u_a = 0`` and every ``Y_a = {0}``: demand and profit vanish identically."""
    zero_demand = all(v == 0 for row in econ.demand for v in row)
    zero_sets = all(s.kind == "box" and all(a == 0 == b for a, b in zip(s.lo, s.hi)) for s in econ.production_sets)
    return zero_demand and zero_sets


class WalrasLaw(Claim):
    id = "thm-3.1"
    title = "Functional Walras law"
    statement = (
        "Under Assumptions 1–2, for all price vectors p: Σ_a <p_a, z_a(p)>_H = 0, where "
        "z_a(p) = d_a(π*(p)) − y*_a(p) is functional excess demand (eq. (7)–(8))."
    )
    statement_latex = (
        r"Under Assumptions 1--2, for all price vectors $p$: $\sum_{a=1}^{A} \langle p_a, z_a(p) \rangle_{\mathcal{H}} = 0$, "
        r"where $z_a(p) = d_a(\pi^*(p)) - y^*_a(p)$ is functional excess demand (eq.~(7)--(8))."
    )
    hypotheses = (
        "Assumption 1 (production sets closed, convex, bounded, 0 ∈ Y_a)",
        "Assumption 2 (W continuous, strictly quasi-concave, locally non-satiated: the budget binds)",
    )
    reference_economies = ("one-agent-interior", "two-by-two")

    def _corrected(self, witness_value=None) -> dict:
        return {
            "statement": "Σ_a <p_a, z_a(p)> = −g(p) ≤ 0 for every p with a non-empty budget set, where "
            "g(p) = Σ_a Π_a(p) − Σ_a <p_a, d_a(π*(p))> is the budget the consumer leaves unspent; the law "
            "holds exactly at the prices where the budget constraint (4) binds",
            "status": "proved",
            "method": "exact identity (linearity of <·,·> and Π_a(p) = <p_a, y*_a(p)>), cancelled to a zero "
            "numerator; π*(p) lies in the budget set, so g(p) ≥ 0",
            "evidence": {"identity_cancels": walras_identity_proved()}
            | ({} if witness_value is None else {"at_the_counterexample": witness_value})
            | {"recheck": {"kind": "walras_gap"} if witness_value is not None else {"kind": "general"}},
        }

    def _check(self, ctx):
        rng = ctx.rng(31)
        tested = in_domain = zero = undecided = 0
        for label, econ in ctx.economies(self.reference_economies):
            if _trivial(econ):
                return self.verdict(
                    "proved",
                    f"on '{label}' no agent can produce or demand anything, so Σ<p, z(p)> ≡ 0",
                    ctx=ctx,
                    economy=label,
                    method="exact: d ≡ 0 and Π ≡ 0",
                )
            for p in candidate_prices(econ, rng, n_random=min(ctx.samples, 16)):
                tested += 1
                wv = walras_value(econ, p)
                total = sum(profits(econ, p), sp.Integer(0))
                if min(path_budget_costs(econ, p)) > total:
                    continue  # the budget set is empty: p is outside the statement's domain
                in_domain += 1
                sign = certain_sign(wv.unspent)
                if sign is None:
                    undecided += 1
                elif sign <= 0:
                    zero += 1  # the budget binds at the consumer's demand: the value is exactly 0
                else:
                    return self._refute(ctx, label, econ, wv, tested)
        evidence = {"prices_tested": tested, "in_domain": in_domain, "undecided": undecided, "seed": ctx.seed}
        if zero and not undecided:
            evidence["decisive"] = {
                "quantity": "price vectors in the domain where Σ<p, z(p)> = 0 exactly",
                "value": zero,
                "bound": in_domain,
                "relation": "==",
            }
            return self.verdict(
                "supported",
                f"Σ<p, z(p)> = 0 exactly at all {zero} price vectors tested in the statement's domain "
                "(the consumer's demand exhausts the budget there)",
                ctx=ctx,
                method="exact evaluation at sampled prices (signs by interval arithmetic)",
                evidence=evidence,
            )
        return self.verdict(
            "inconclusive",
            f"no counterexample among {tested} price vectors, but {undecided} signs were not decided and "
            f"{in_domain} lay in the domain",
            ctx=ctx,
            method="exact evaluation at sampled prices",
            evidence=evidence,
        )

    def _refute(self, ctx, label, econ, wv, tested):
        value = -wv.unspent
        enclosure = [json_number(b) for b in exact_bounds(value, 60)]
        witness = {
            "kind": "walras_value",
            "economy": econ.to_dict(),
            "prices": matrix_json(wv.prices),
            "supply": matrix_json(wv.supply),
            "state": {
                "y": matrix_json(wv.supply),
                "p": matrix_json(wv.prices),
                "pi": [json_number(Fraction(float(v))) for v in wv.routing],
            },
            "state_note": "y and p are exact; pi is a rational approximation of the consumer's routing "
            "softmax(−V/τ), which verify recomputes exactly",
            "claimed": {"value": 0},
            "observed": {
                "value": enclosure,
                "value_approx": decimal_str(value, 20),
                "routing_approx": [decimal_str(v, 20) for v in wv.routing],
            },
        }
        return self.verdict(
            "refuted",
            f"on '{label}' the consumer's routing at p = {[json_number(v) for v in wv.prices.ravel()]} leaves "
            f"{decimal_str(wv.unspent, 6)} of the budget unspent, so Σ<p, z(p)> = {decimal_str(value, 6)} ≠ 0: "
            "the budget constraint (4) need not bind (no local non-satiation for this welfare)",
            ctx=ctx,
            economy=label,
            method="exact counterexample (rational prices; the sign of an exp expression by interval arithmetic)",
            witness=witness,
            evidence={"prices_tested": tested, "seed": ctx.seed},
            holds_under=[
                "the budget constraint (4) binds at the consumer's demand (eq. (5)): then (8) is an exact identity"
            ],
            corrected=self._corrected({"value": enclosure}),
        )
