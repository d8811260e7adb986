"""Witness kinds about single states, prices and allocations: ``walras_value``, ``undefined_map``,
``no_equilibrium`` and ``not_decentralizable`` (docs/witness-format.md, claims.md §3)."""

from __future__ import annotations

import sympy as sp

from geo_sym.economy.numbers import parse_number
from proofs.verify.decide import real_matches, show, sign
from proofs.verify.economics import check_state_space, in_set, in_supply, max_profit
from proofs.verify.fixed_points import read_map
from proofs.verify.linprog import coordinate_slack, decentralization_gap
from proofs.verify.maps import Undefined, map_value
from proofs.verify.reading import (
    Box,
    Failed,
    Model,
    agent_index,
    need,
    read_matrix,
    read_obj,
    read_real,
    read_state,
    read_vector,
)

__all__ = ["check_walras_value", "check_undefined_map", "check_no_equilibrium", "check_not_decentralizable"]


def _dot(u, v):
    return sp.Add(*[a * b for a, b in zip(u, v)])


# ============================================================================ walras_value
def check_walras_value(w: dict, m: Model, claim: str, details: dict) -> str:
    """Theorem 3.1: ``Σ_a <p_a, z_a(p)> = −g(p) ≠ 0`` at the witness's prices (claims.md §3, thm-3.1)."""
    A, K = m.A, m.K
    prices = read_matrix(need(w, "prices"), "prices", A, K)
    supply = read_matrix(need(w, "supply"), "supply", A, K)
    claimed = read_obj(need(w, "claimed"), "claimed")
    real_matches(sp.Integer(0), read_real(need(claimed, "value", "claimed."), "claimed.value"), "claimed.value")
    for a in range(A):
        if not in_supply(m, a, prices[a], supply[a]):
            raise Failed(f"supply[{m.names[a]}] is not in σ_a(p): not a profit-maximising production at the prices")
    cost = []
    for a in range(A):
        c = _dot(prices[a], supply[a])
        if m.cost is not None:
            c += _dot(m.cost, supply[a])
        cost.append(c)
    V = [sp.Add(*[cost[a] for a in path]) for path in m.paths]
    z = [sp.exp((V[0] - Vj) / m.tau) for Vj in V]
    total = sp.Add(*z)
    routing = [zj / total for zj in z]
    spend = sp.Add(
        *[routing[j] * _dot(prices[a], m.u[a]) for j, path in enumerate(m.paths) for a in path]
    )  # Σ_a <p_a, d_a(π_s)>
    budget = sp.Add(*[max_profit(m, a, prices[a]) for a in range(A)])
    g = budget - spend
    details.update({"unspent_budget": show(g), "value": show(-g)})
    if sign(g, "the unspent budget g") <= 0:
        raise Failed(
            f"the unspent budget g = ΣΠ_a(p) − Σ<p_a, d_a(π_s)> = {show(g)} is not positive: "
            "the softmax routing is not shown to be the consumer's demand with value ≠ 0"
        )
    observed = w.get("observed")
    if isinstance(observed, dict) and "value" in observed:
        real_matches(-g, read_real(observed["value"], "observed.value"), "observed.value")
    return (
        f"Σ_a <p_a, z_a(p)> = −g = {show(-g)} < 0 (supply ∈ σ(p) exactly, unspent budget g > 0 rigorously), "
        "not the 0 the theorem asserts"
    )


# ============================================================================ undefined_map
def check_undefined_map(w: dict, m: Model, claim: str, details: dict) -> str:
    """Lemma 4.3: a state of ``Ω_K`` where the tâtonnement needs ``normalize(0)``."""
    which = read_map(w, claim, default="simultaneous")
    if m.linear:
        raise Failed("the economy has a linear price mechanism: no normalisation, the map is defined everywhere")
    st = read_state(m, need(w, "state"), "state")
    check_state_space(m, st, "state")
    try:
        map_value(m, which, st)
    except Undefined:
        return f"the state is in Ω_K and p + β(d(π) − y) ≤ 0 in every coordinate (exactly): the {which} map needs normalize(0)"
    raise Failed("p + β(d(π) − y) has a positive coordinate at the state: the map is defined there")


# ============================================================================ no_equilibrium
def _separation(cert: dict, m: Model, details: dict) -> str:
    h = read_matrix(need(cert, "h", "certificate."), "certificate.h", m.A, m.K)
    c = parse_number(need(cert, "c", "certificate."), "certificate.c")
    for j, path in enumerate(m.paths):
        value = sp.Add(*[_dot(h[a], m.u[a]) for a in path])
        if value < c:
            raise Failed(f"<h, d(e_{j})> = {value} < c = {c}: the half-space does not contain every demand")
    top = sp.Add(*[max_profit(m, a, h[a]) for a in range(m.A)])
    details["max_over_Y"] = show(top)
    if sign(c - top, "c − max_{y ∈ ΠY} <h, y>") <= 0:
        raise Failed(f"max_(y ∈ Π Y_a) <h, y> = {show(top)} is not below c = {c}: no separation")
    return (
        f"<h, d(π)> ≥ c = {c} for every routing while max over Π Y_a of <h, y> = {show(top)} < c: "
        "no routing clears the markets (E3), so no equilibrium"
    )


def _no_price_support(m: Model, details: dict) -> str:
    if not all(isinstance(Y, Box) for Y in m.sets):
        raise Failed("the no_price_support certificate is defined for box production sets only")
    optima = {}
    for a in range(m.A):
        for k in range(m.K):
            status, value = coordinate_slack(m, a, k)
            if status == "infeasible":
                details["lp"] = "infeasible"
                return "no routing π ∈ Δ has lo ≤ d(π) ≤ hi (exact LP infeasible): (E3) fails, no equilibrium"
            if status != "optimal" or value >= 0:
                raise Failed(
                    f"max d_ak(π) − hi_ak over market-clearing routings is {value} ≥ 0 for agent {m.names[a]}, "
                    f"coordinate {k}: a price could be supported there"
                )
            optima[f"{m.names[a]}[{k}]"] = str(value)
    details["lp_optima"] = optima
    return (
        "for every coordinate, max {d_ak(π) − hi_ak : π ∈ Δ, lo ≤ d(π) ≤ hi} < 0 (exact LPs): no price in Δ_p "
        "supports a market-clearing production, (E1) ∧ (E3) has no solution"
    )


def check_no_equilibrium(w: dict, m: Model, claim: str, details: dict) -> str:
    """Theorem 4.4 (existence): an exact certificate that (E1) ∧ (E3) has no solution."""
    cert = read_obj(need(w, "certificate"), "certificate")
    kind = need(cert, "kind", "certificate.")
    if kind == "separation":
        return _separation(cert, m, details)
    if kind == "no_price_support":
        return _no_price_support(m, details)
    raise Failed(f"certificate.kind {kind!r} is not 'separation' or 'no_price_support'")


# ============================================================================ not_decentralizable
def _vertex(pi: list) -> int:
    ones = [j for j, v in enumerate(pi) if v == 1]
    if len(ones) != 1 or any(v != 0 for j, v in enumerate(pi) if j != ones[0]):
        raise Failed("allocation.pi is not a vertex e_j of Δ(P)")
    return ones[0]


def check_not_decentralizable(w: dict, m: Model, claim: str, details: dict) -> str:
    """Theorem 5.4: a Pareto optimum ``(d(e_j), e_j)`` that no price in ``Δ_p`` decentralises."""
    A, K = m.A, m.K
    alloc = read_obj(need(w, "allocation"), "allocation")
    y = read_matrix(need(alloc, "y", "allocation."), "allocation.y", A, K)
    pi = read_vector(need(alloc, "pi", "allocation."), "allocation.pi", m.n_paths)
    j = _vertex(pi)
    for a in range(A):
        share = 1 if m.on_path(a, j) else 0
        if any(y[a][k] != share * m.u[a][k] for k in range(K)):
            raise Failed(f"allocation.y[{m.names[a]}] ≠ d_a(e_j): the allocation does not clear the markets")
        if not in_set(m, a, y[a]):
            raise Failed(f"allocation.y[{m.names[a]}] is not in Y_a: the allocation is not feasible")
    p0 = read_matrix(need(w, "reference_prices"), "reference_prices", A, K)
    firm = agent_index(m, need(w, "firm"), "firm")
    name = m.names[firm]
    paths_of_firm = [i for i in range(m.n_paths) if m.on_path(firm, i)]
    if paths_of_firm != [j]:
        raise Failed(
            f"firm {name} is not on path {j} only (its paths: {paths_of_firm}): Pareto optimality is not shown"
        )
    revenue = _dot(p0[firm], m.u[firm])
    if revenue <= 0:
        raise Failed(f"<p⁰_a, u_a> = {revenue} ≤ 0 for firm {name}: Pareto optimality at p⁰ is not shown")
    status, t = decentralization_gap(m, y, j)
    details["lp"] = status if t is None else str(t)
    if status == "infeasible":
        return (
            f"the allocation (d(e_{j}), e_{j}) is Pareto-optimal at p⁰ (firm {name} serves path {j} only) and no "
            "price in Δ_p satisfies (E1) at it (exact LP infeasible): it is no equilibrium allocation"
        )
    if status == "unbounded" or t > 0:
        raise Failed(
            f"a price in Δ_p with (E1) at the allocation makes e_{j} the only affordable routing "
            f"(max t = {details['lp']} > 0): the allocation may be decentralised"
        )
    return (
        f"the allocation (d(e_{j}), e_{j}) is Pareto-optimal at p⁰ (firm {name} serves path {j} only), and max t = {t} ≤ 0 "
        "(exact LP): at every price in Δ_p with (E1), B(p) ≠ {e_j}, so e_j is never the consumer's demand"
    )
