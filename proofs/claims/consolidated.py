"""§7.1 (the DSGE reading) and Theorem 8.1 (the consolidated statement), ``docs/claims.md``."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from proofs.claims.base import Claim
from proofs.claims.dynamics_tools import ARB_NORM_SIZE, fraction, paper_rate
from proofs.claims.existence import BewleyLimit, Existence, _pick
from proofs.claims.walras import WalrasLaw
from proofs.claims.welfare import FirstWelfare, SecondWelfare
from proofs.claims.witness import enclosure_json, json_number

__all__ = ["DSGEReading", "Consolidated", "spectral_witness"]


def _eigen_json(ev) -> dict:
    from geo_sym.rigorous.spectral import arb_fraction_bounds

    re = arb_fraction_bounds(ev.ball.real)
    im = arb_fraction_bounds(ev.ball.imag)
    return {
        "minpoly": [json_number(c) for c in ev.minpoly],
        "re": enclosure_json(*re),
        "im": enclosure_json(*im),
    }


def spectral_witness(econ, kind, fp, facts, rate, relation) -> dict:
    observed = {"spectral_radius": enclosure_json(facts.radius_lo or 0, facts.radius_hi or facts.radius_lo)}
    if facts.eigenvalue is not None:
        observed["eigenvalue"] = _eigen_json(facts.eigenvalue)
    return {
        "kind": "spectral_radius",
        "economy": econ.to_dict(),
        "map": kind,
        "fixed_point": fp.to_witness(),
        "state": fp.state_json(),
        "relation": relation,
        "claimed": {"figure": "rate", "rate": json_number(rate.lo) if rate.exact else enclosure_json(rate.lo, rate.hi)},
        "observed": observed,
    }


def _bounds(fp):
    if fp.exact is not None:
        return [(v, v) for v in (fraction(x) for x in fp.exact.flat())]
    return [(Fraction(float(lo)), Fraction(float(hi))) for lo, hi in fp.enclosure]


def _pairwise_disjoint(fps) -> bool:
    """Exact points or enclosures that certainly do not overlap (some coordinate separates them)."""
    boxes = [_bounds(fp) for fp in fps]
    return all(
        any(a[1] < b[0] or b[1] < a[0] for a, b in zip(boxes[i], boxes[j]))
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
    )


def _rho_text(f) -> str:
    if f.radius_hi is not None and f.radius_lo is not None and f.radius_lo == f.radius_hi:
        return str(f.radius_lo)
    lo = "?" if f.radius_lo is None else f"{float(f.radius_lo):.6g}"
    hi = "?" if f.radius_hi is None else f"{float(f.radius_hi):.6g}"
    return f"in [{lo}, {hi}]"


def _rho_evidence(f) -> dict:
    """The enclosure of ρ behind a corrected statement, re-checked by ``geo-sym verify`` at the witness's fixed point."""
    if f.radius_lo is None or f.radius_hi is None:
        return {"recheck": {"kind": "general", "reason": "no rigorous enclosure of ρ was obtained"}}
    return {"spectral_radius": enclosure_json(f.radius_lo, f.radius_hi)}


class DSGEReading(Claim):
    id = "sec-7.1"
    title = "DSGE embedding: spectral radius and Blanchard–Kahn"
    statement = (
        "The spectral radius ρ(DΦ_K(x*)) = λ determines the speed of return to equilibrium; when ρ < 1 "
        "(Proposition 6.2) the Blanchard–Kahn condition holds: a unique stable solution converging to x*."
    )
    statement_latex = (
        r"The spectral radius $\rho(D\Phi_K(x^*)) = \lambda$ determines the speed of return to equilibrium; when "
        r"$\rho < 1$ (Proposition~6.2) the Blanchard--Kahn condition holds: a unique stable solution converging to $x^*$."
    )
    hypotheses = ("Proposition 6.2's condition τ > (1 − α)γ_A P",)
    reference_economies = ("example-6.3", "constant-prices")

    def _check(self, ctx):
        rates, bks = [], []
        evidence = {"fixed_points": []}
        for label, econ in ctx.economies(self.reference_economies):
            phi = ctx.variant(econ, "simultaneous")
            facts = [(fp, ctx.spectrum(phi, fp)) for fp in ctx.fixed_points(econ)]
            for _fp, f in facts:
                if f is not None:
                    evidence["fixed_points"].append(
                        {
                            "economy": label,
                            "spectral_radius": _rho_text(f),
                            "roots_inside_unit_circle": f.inside_unit,
                            "dimension": f.n,
                        }
                    )
            rates.append(self._rate(ctx, label, phi, facts))
        bks.append(
            self.verdict(
                "proved",
                "x_{t+1} = Φ_K(x_t, ε_t) has no forward-looking variable, so the Blanchard–Kahn condition (as many "
                "roots outside the unit circle as jump variables, none on it) is exactly ρ < 1; the evidence lists ρ "
                "and the roots inside the unit circle at each fixed point",
                ctx=ctx,
                part="blanchard-kahn",
                method="exact argument (a predetermined system)",
            )
        )
        return self.combine([_pick(rates), bks[0]], ctx=ctx, evidence=evidence)

    def _rate(self, ctx, label, phi, facts):
        part = "rate"
        rate = paper_rate(phi)
        if rate is None:
            return self.not_applicable(
                part,
                f"on '{label}': λ is defined for a linear price mechanism; this economy uses the tâtonnement",
                ctx=ctx,
            )
        if rate.hypothesis is not True:
            return self.not_applicable(
                part, f"on '{label}': Proposition 6.2's condition does not hold here (λ = {rate.text()})", ctx=ctx
            )
        decided = [(fp, f) for fp, f in facts if f is not None]
        for fp, f in decided:
            above = f.radius_lo is not None and f.radius_lo > rate.hi
            below = f.radius_hi is not None and f.radius_hi < rate.lo
            if above or below:
                return self.verdict(
                    "refuted",
                    f"on '{label}': at a fixed point ρ(DΦ_K(x*)) is {_rho_text(f)} (rigorous), not λ = {rate.text()}",
                    ctx=ctx,
                    part=part,
                    economy=label,
                    method="exact eigenvalues"
                    if f.exact
                    else "Arb enclosure of the Jacobian on a Krawczyk enclosure, Schur–Cohn root counts",
                    witness=spectral_witness(phi, "simultaneous", fp, f, rate, "equal"),
                    corrected={
                        "statement": f"the speed of return is ρ(DΦ_K(x*)), {_rho_text(f)} at this fixed point",
                        "status": "proved" if f.exact else "certified",
                        "method": "exact eigenvalues" if f.exact else "rigorous root counts",
                        "evidence": _rho_evidence(f),
                    },
                )
        if not decided:
            return self.verdict(
                "inconclusive",
                f"on '{label}': no fixed point with a rigorous spectrum was found",
                ctx=ctx,
                part=part,
                economy=label,
                method="fixed-point search",
            )
        exact_equal = all(f.exact and f.radius_lo == f.radius_hi == rate.lo for _, f in decided)
        if exact_equal:
            return self.verdict(
                "supported",
                f"on '{label}' ρ(DΦ_K(x*)) = λ exactly at every fixed point found",
                ctx=ctx,
                part=part,
                economy=label,
                method="exact eigenvalues",
                evidence={
                    "decisive": {
                        "quantity": "ρ − λ at the fixed points found",
                        "value": 0,
                        "bound": 0,
                        "relation": "==",
                    }
                },
            )
        return self.verdict(
            "inconclusive",
            f"on '{label}': the enclosures of ρ at the fixed points found contain λ; equality is not decided",
            ctx=ctx,
            part=part,
            economy=label,
            method="rigorous enclosures",
        )


class Consolidated(Claim):
    id = "thm-8.1"
    title = "Consolidated theorem"
    statement = (
        "(i) existence of equilibria satisfying (E1)–(E3) and their Bewley limit; (ii) functional Walras law; "
        "(iii) Pareto optimality; (iv) decentralisation by SLO parameters; (v) if τ > (1 − α)γ_A P the equilibrium "
        "is unique and the tâtonnement converges geometrically at rate λ = (1 − α)γ_A P/τ."
    )
    statement_latex = (
        r"(i) existence of equilibria satisfying (E1)--(E3) and their Bewley limit; (ii) functional Walras law; "
        r"(iii) Pareto optimality; (iv) decentralisation by SLO parameters; (v) if $\tau > (1 - \alpha) "
        r"\gamma_{\mathcal{A}} P$ the equilibrium is unique and the tâtonnement converges geometrically at rate "
        r"$\lambda = (1 - \alpha) \gamma_{\mathcal{A}} P / \tau$."
    )
    hypotheses = ("(Y1)–(Y3)", "(A2)", "(A4) τ > 0", "(v): τ > (1 − α)γ_A P")
    reference_economies = ("constant-prices", "example-6.3")

    def _check(self, ctx):
        sub = {
            c.id: ctx.memo(("verdict", c.id), lambda c=c: c.check(ctx))
            for c in (Existence(), BewleyLimit(), WalrasLaw(), FirstWelfare(), SecondWelfare())
        }
        existence = [sub["thm-4.4"].part("thm-4.4/existence")]
        if not ctx.user:
            existence.append(sub["thm-4.6"].part("thm-4.6/existence-in-H"))
        parts = [
            self._mirror("(i)", existence, ctx),
            self._mirror("(ii)", [sub["thm-3.1"]], ctx),
            self._mirror("(iii)", [sub["thm-5.2"]], ctx),
            self._mirror("(iv)", [sub["thm-5.4"]], ctx),
        ]
        parts.append(_pick([self._v(ctx, label, econ) for label, econ in ctx.economies(self.reference_economies)]))
        return self.combine(parts, ctx=ctx)

    def _mirror(self, part, verdicts, ctx):
        """A part whose verdict is that of the named sub-claims (a refutation carries its witness over)."""
        v = _pick(list(verdicts))
        ident = f"{self.id}{part}"
        refuting = v.refutation if v.status == "refuted" else None
        witness = {**refuting.witness, "claim": ident} if refuting is not None else {}
        return replace(
            v,
            id=ident,
            reason=f"as {v.id}: {v.reason}",
            witness=witness,
            parts=(),
            method=v.method or "as " + v.id,
            evidence={**v.evidence, "from": v.id},
            hypotheses=(),
            statement_latex="",
        )

    def _v(self, ctx, label, econ):
        """Part (v) on one economy: uniqueness of the fixed point and local convergence at rate λ."""
        part = "(v)"
        rate = paper_rate(econ)
        if rate is None:
            return self.not_applicable(
                part, f"on '{label}': λ needs a linear price mechanism; this is the tâtonnement", ctx=ctx
            )
        if rate.hypothesis is not True:
            return self.not_applicable(
                part, f"on '{label}': τ > (1 − α)γ_A P does not hold (λ = {rate.text()})", ctx=ctx
            )
        T = ctx.variant(econ, "sequential")
        found = ctx.fixed_points(econ)
        fps = [fp for fp in found if fp.rigorous] if len(found) >= 2 or T.state_size() <= ARB_NORM_SIZE else []
        if len(fps) >= 2 and _pairwise_disjoint(fps[:2]):
            return self._v_not_unique(ctx, label, rate, T, fps)
        worst = None
        for fp in fps:
            f = ctx.spectrum(T, fp)
            if f is None:
                continue
            if f.radius_lo is not None and f.radius_lo > rate.hi:
                return self._v_slower(ctx, label, rate, T, fp, f)
            if f.radius_hi is not None:
                worst = f if worst is None or f.radius_hi > worst.radius_hi else worst
        if worst is not None and worst.radius_hi <= rate.lo:
            return self._v_supported(ctx, label, rate, worst)
        return self.verdict(
            "inconclusive",
            f"on '{label}': the spectral radius at the fixed point(s) found was not separated from λ = {rate.text()}",
            ctx=ctx,
            part=part,
            economy=label,
            method="rigorous spectral radius",
        )

    def _v_not_unique(self, ctx, label, rate, T, fps):
        """Refuted: two fixed points that certainly differ although the hypothesis of (v) holds."""
        return self.verdict(
            "refuted",
            f"on '{label}': τ > (1 − α)γ_A P holds (λ = {rate.text()}) but there are {len(fps)} distinct fixed points",
            ctx=ctx,
            part="(v)",
            economy=label,
            method="exact or Krawczyk-certified fixed points",
            witness={
                "kind": "multiple_fixed_points",
                "economy": T.to_dict(),
                "map": "sequential",
                "fixed_points": [fp.to_witness() for fp in fps[:2]],
                "states": [fp.state_json() for fp in fps[:2]],
                "claimed": {"unique": True},
                "observed": {"count_at_least": len(fps)},
            },
        )

    def _v_slower(self, ctx, label, rate, T, fp, f):
        """Refuted: at a fixed point ``ρ(DT(x*)) > λ`` rigorously (``> 1``: the iterates diverge)."""
        diverge = f.radius_lo > 1
        return self.verdict(
            "refuted",
            f"on '{label}': τ > (1 − α)γ_A P holds (λ = {rate.text()}) but ρ(DT(x*)) is {_rho_text(f)} "
            + (
                "> 1: iterates near the fixed point diverge"
                if diverge
                else "> λ: iterates from nearby starts converge more slowly than λⁿ"
            ),
            ctx=ctx,
            part="(v)",
            economy=label,
            method="exact eigenvalues" if f.exact else "Arb enclosure and Schur–Cohn root counts",
            witness=spectral_witness(T, "sequential", fp, f, rate, "at_most"),
            corrected={
                "statement": f"near the fixed point (13) converges at the rate ρ(DT(x*)) {_rho_text(f)}"
                + (" — it does not converge" if diverge else ""),
                "status": "proved" if f.exact else "certified",
                "method": "rigorous spectral radius",
                "evidence": _rho_evidence(f),
            },
        )

    def _v_supported(self, ctx, label, rate, worst):
        """Supported: every fixed point found converges locally at a rate ``≤ λ`` (uniqueness not shown)."""
        return self.verdict(
            "supported",
            f"on '{label}' the fixed point(s) found converge locally at rate ≤ λ (ρ {_rho_text(worst)})",
            ctx=ctx,
            part="(v)",
            economy=label,
            method="rigorous spectral radius at the fixed points found (uniqueness not shown)",
            evidence={
                "decisive": {
                    "quantity": "largest ρ(DT(x*)) upper bound",
                    "value": float(worst.radius_hi),
                    "bound": float(rate.lo),
                    "relation": "<=",
                }
            },
        )
