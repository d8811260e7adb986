"""Example 6.3 (``docs/claims.md``): the arithmetic of the example and the iterations the tâtonnement (13)
really needs on the example's economy, from exact starts near the fixed point."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp

from geo_sym.economy.state import State
from geo_sym.maps.jacobian import numeric_jacobian
from geo_sym.rigorous.arb import require_flint
from geo_sym.rigorous.spectral import PREC, arb_fraction_bounds, precise_interval_map
from proofs.claims.base import Claim
from proofs.claims.contraction import _pick, _q
from proofs.claims.dynamics_tools import (
    fraction,
    paper_rate,
    rational_states,
)
from proofs.claims.witness import enclosure_json, state_json

__all__ = ["ExampleSixThree"]


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
        total = sum(raw)
        p = np.array([v / total for v in raw], dtype=object).reshape(xs.p.shape)
    raw = [max(_rational(v, 10**6), sp.Rational(1, 10**9)) for v in xs.pi]
    total = sum(raw)
    pi = np.array([v / total for v in raw], dtype=object)
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
