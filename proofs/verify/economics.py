"""Production sets, profits, supply and state spaces, exactly (claims.md §1).

``Π_a(p) = max_{y ∈ Y_a} <p_a, y>`` is the support function: ``Σ_k max(p lo, p hi)`` for a box and
``<p, c> + r‖p‖`` for a ball. The state space is ``Ω_K = Π Y_a × Δ_p × Δ(P)`` with the tâtonnement and
``Ω_K^A = Π Y_a × A_K(Π Y_a) × Δ(P)`` with a linear mechanism.
"""

from __future__ import annotations

import sympy as sp

from proofs.verify.decide import flint, sign
from proofs.verify.linprog import mechanism_preimage_exists
from proofs.verify.reading import Box, Failed, Model, State

__all__ = [
    "in_set",
    "max_profit",
    "in_supply",
    "profit_gap_balls",
    "check_simplex",
    "check_state_space",
    "gap_e3",
]


def in_set(m: Model, a: int, row: list) -> bool:
    """``y_a ∈ Y_a`` exactly (rational ``row``)."""
    Y = m.sets[a]
    if isinstance(Y, Box):
        return all(lo <= v <= hi for v, lo, hi in zip(row, Y.lo, Y.hi))
    return sum((v - c) ** 2 for v, c in zip(row, Y.center)) <= Y.radius**2


def max_profit(m: Model, a: int, prow: list):
    """``Π_a(p)`` as an exact expression."""
    Y = m.sets[a]
    if isinstance(Y, Box):
        return sp.Add(*[max(p * lo, p * hi) for p, lo, hi in zip(prow, Y.lo, Y.hi)])
    return sp.Add(*[p * c for p, c in zip(prow, Y.center)]) + Y.radius * sp.sqrt(sp.Add(*[p**2 for p in prow]))


def in_supply(m: Model, a: int, prow: list, row: list) -> bool:
    """``y_a ∈ σ_a(p)``: ``y_a ∈ Y_a`` and ``<p_a, y_a> = Π_a(p)``, exactly."""
    if not in_set(m, a, row):
        return False
    gap = max_profit(m, a, prow) - sp.Add(*[p * y for p, y in zip(prow, row)])
    return sign(gap, f"Π_a − <p_a, y_a> for agent {m.names[a]}") == 0


def profit_gap_balls(m: Model, a: int, p: list, y: list):
    """An Arb enclosure of ``Π_a(p) − <p_a, y_a>`` over balls ``p``, ``y`` (written without cancellation)."""
    f = flint()
    Y = m.sets[a]
    from proofs.verify.decide import arb_q

    if isinstance(Y, Box):
        out = f.arb(0)
        for pk, yk, lo, hi in zip(p, y, Y.lo, Y.hi):
            out += (pk * (arb_q(lo) - yk)).max(pk * (arb_q(hi) - yk))
        return out
    norm = sum((pk * pk for pk in p), f.arb(0)).sqrt()
    return sum((pk * (arb_q(c) - yk) for pk, yk, c in zip(p, y, Y.center)), f.arb(0)) + arb_q(Y.radius) * norm


def gap_e3(m: Model, a: int, pi: list, y_row: list) -> list:
    """``d_a(π) − y_a`` (any arithmetic: rationals, expressions or balls)."""
    w = sum((pi[j] for j in range(m.n_paths) if m.on_path(a, j)), 0 * pi[0])
    return [w * m.u[a][k] - y_row[k] for k in range(m.K)]


def check_simplex(values: list, field: str) -> None:
    """Nonnegative entries summing to 1, exactly."""
    if any(v < 0 for v in values):
        raise Failed(f"{field} has a negative entry: not on its simplex")
    if sum(values) != 1:
        raise Failed(f"{field} sums to {sum(values)}, not 1: not on its simplex")


def _mechanism_image(m: Model, p_flat: list, field: str) -> None:
    """``p ∈ A_K(Π Y_a)``: exactly, by solving ``G y = p − b`` (γI or invertible ``G``) or an exact LP."""
    n = m.A * m.K
    rhs = [pv - bv for pv, bv in zip(p_flat, m.b)]
    if m.gamma is not None:
        if m.gamma == 0:
            if any(r != 0 for r in rhs):
                raise Failed(f"{field} ≠ b: not a price the mechanism (G = 0) produces")
            return
        y = [r / m.gamma for r in rhs]
    else:
        G = sp.Matrix(n, n, [g for row in m.G for g in row])
        if G.det() != 0:
            y = list(G.LUsolve(sp.Matrix(rhs)))
        elif all(isinstance(Y, Box) for Y in m.sets):
            if not mechanism_preimage_exists(m, p_flat):
                raise Failed(f"{field} is not G y + b for any y ∈ Π Y_a (exact LP infeasible)")
            return
        else:
            raise Failed(f"{field}: whether a singular G with ball production sets produces it is not decided here")
    rows = [y[a * m.K : (a + 1) * m.K] for a in range(m.A)]
    for a, row in enumerate(rows):
        if not in_set(m, a, row):
            raise Failed(f"{field} = G y + b only for y[{m.names[a]}] outside Y_a: not in A_K(Π Y_a)")


def check_state_space(m: Model, st: State, field: str) -> None:
    """``x ∈ Ω_K`` (tâtonnement) or ``x ∈ Ω_K^A`` (linear mechanism), exactly; else :class:`Failed`."""
    for a in range(m.A):
        if not in_set(m, a, st.y[a]):
            raise Failed(f"{field}.y[{m.names[a]}] is not in Y_a: the state is outside the state space")
    p_flat = [v for row in st.p for v in row]
    if m.linear:
        _mechanism_image(m, p_flat, f"{field}.p")
    else:
        check_simplex(p_flat, f"{field}.p")
    check_simplex(list(st.pi), f"{field}.pi")
