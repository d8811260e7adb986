"""Exact linear programs on rationals (SymPy's simplex: ``sympy.solvers.simplex.lpmax``).

Used for the certificates of claims.md that are LPs: no price supports a market-clearing production
(``no_equilibrium`` / ``no_price_support``), no price decentralises a Pareto optimum
(``not_decentralizable``), and whether a price vector is produced by a singular linear mechanism.
"""

from __future__ import annotations

import sympy as sp
from sympy.solvers.simplex import InfeasibleLPError, UnboundedLPError, lpmax

from proofs.verify.reading import Box, Model

__all__ = ["lp_max", "coordinate_slack", "decentralization_gap", "mechanism_preimage_exists"]


def lp_max(objective, constraints: list) -> tuple:
    """``("optimal", value)``, ``("infeasible", None)`` or ``("unbounded", None)``, exactly."""
    try:
        value, _ = lpmax(objective, constraints)
    except InfeasibleLPError:
        return "infeasible", None
    except UnboundedLPError:
        return "unbounded", None
    return "optimal", sp.Rational(value)


def _routing_variables(m: Model) -> tuple:
    pi = sp.symbols(f"pi0:{m.n_paths}")
    cons = [x >= 0 for x in pi] + [sp.Eq(sp.Add(*pi), 1)]
    return pi, cons


def coordinate_slack(m: Model, a: int, k: int) -> tuple:
    """``max {d_ak(π) − hi_ak : π ∈ Δ, lo ≤ d(π) ≤ hi}`` (boxes only), as :func:`lp_max` returns it."""
    pi, cons = _routing_variables(m)
    d = {}
    for b in range(m.A):
        w = sp.Add(*[pi[j] for j in range(m.n_paths) if m.on_path(b, j)])
        for kk in range(m.K):
            d[b, kk] = w * m.u[b][kk]
            Y = m.sets[b]
            cons += [d[b, kk] >= Y.lo[kk], d[b, kk] <= Y.hi[kk]]
    return lp_max(d[a, k] - m.sets[a].hi[k], cons)


def decentralization_gap(m: Model, y: list, j: int) -> tuple:
    """``max t`` over ``p ∈ Δ_p`` with (E1) at ``y`` and ``b_i(p) − b_j(p) ≥ t`` for every path ``i ≠ j``.

    (E1) at ``y`` for ``p ≥ 0``: for a box, ``p_ak = 0`` wherever ``y_ak < hi_ak``; for a ball with
    ``‖y_a − c_a‖ = r_a > 0``, ``p_a = μ_a (y_a − c_a)`` with ``μ_a ≥ 0`` (the normal cone), and ``p_a = 0``
    for ``y_a`` inside the ball; ``Y_a = {0}`` leaves ``p_a`` free.
    """
    A, K = m.A, m.K
    p = [[sp.Symbol(f"p_{a}_{k}") for k in range(K)] for a in range(A)]
    t = sp.Symbol("t")
    flat = [x for row in p for x in row]
    cons = [x >= 0 for x in flat] + [sp.Eq(sp.Add(*flat), 1)]
    for a in range(A):
        Y = m.sets[a]
        if isinstance(Y, Box):
            cons += [sp.Eq(p[a][k], 0) for k in range(K) if y[a][k] < Y.hi[k]]
            continue
        if Y.radius == 0:
            continue
        off = [y[a][k] - Y.center[k] for k in range(K)]
        if sum(x**2 for x in off) < Y.radius**2:
            cons += [sp.Eq(p[a][k], 0) for k in range(K)]
        else:
            mu = sp.Symbol(f"mu_{a}")
            cons += [mu >= 0] + [sp.Eq(p[a][k], mu * off[k]) for k in range(K)]

    def b(path):
        return sp.Add(*[sp.Add(*[p[a][k] * m.u[a][k] for k in range(K)]) for a in path])

    bj = b(m.paths[j])
    cons += [b(m.paths[i]) - bj >= t for i in range(m.n_paths) if i != j]
    return lp_max(t, cons)


def mechanism_preimage_exists(m: Model, p_flat: list) -> bool:
    """Whether ``p = G y + b`` for some ``y ∈ Π_a Y_a`` (boxes; an exact LP feasibility problem)."""
    n = m.A * m.K
    ys = sp.symbols(f"y0:{n}")
    cons = []
    for a in range(m.A):
        Y = m.sets[a]
        for k in range(m.K):
            cons += [ys[a * m.K + k] >= Y.lo[k], ys[a * m.K + k] <= Y.hi[k]]
    for i in range(n):
        cons.append(sp.Eq(sp.Add(*[g * x for g, x in zip(m.G[i], ys)]) + m.b[i], p_flat[i]))
    status, _ = lp_max(sp.Integer(0) * ys[0], cons)
    return status != "infeasible"
