"""The equilibrium notions of §2–3 in the reference instantiation (``docs/claims.md`` §1), exactly.

Firms' profits and supplies (eq. 3), the consumer's budget (eq. 4), the consumer's routing, the
functional excess demand and Walras value (eq. 7–8), and the conditions (E1)–(E3) of Definition 2.4.
Demand, costs, path values and the softmax routing come from :mod:`geo_sym.maps.core` (one
definition each). With exact (SymPy) inputs every result is exact: rationals, and ``exp`` of
rationals in the routing.

Exact linear programs decide the feasibility questions of existence (Theorem 4.4) and of
decentralisation (Theorem 5.4) for boxes; they use SymPy's exact simplex method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from geo_sym.economy.production import Ball, Box
from geo_sym.maps.core import agent_costs, demand, path_values, routing
from geo_sym.rigorous.exact import certain_sign
from geo_sym.rigorous.lp import exact_lp, float_lp, simplex_lp_upper_bound

__all__ = [
    "profits",
    "supply",
    "path_budget_costs",
    "unspent_budget",
    "softmax_routing",
    "WalrasValue",
    "walras_value",
    "e1_gaps",
    "e3_gaps",
    "separation_certificate",
    "price_support_lps",
    "decentralisation_gap",
]

_Z = sp.Integer(0)


def _fraction(v):
    from fractions import Fraction

    return Fraction(int(v.p), int(v.q)) if isinstance(v, sp.Rational) else Fraction(v)


def _exact(arr) -> np.ndarray:
    return np.array(arr, dtype=object)


def profits(econ, p) -> list:
    """``Π_a(p) = max_{y ∈ Y_a} <p_a, y>`` per agent (eq. (3)); exact for exact prices."""
    return [s.support(list(p[a])) for a, s in enumerate(econ.production_sets)]


def supply(econ, p) -> np.ndarray:
    """A supply selection ``y*(p) ∈ σ(p)`` (box: ``hi``/``lo`` by the sign of the price, ``0`` at a zero price)."""
    return _exact([list(s.supply(list(p[a]))) for a, s in enumerate(econ.production_sets)])


def path_budget_costs(econ, p) -> np.ndarray:
    """``b_j = Σ_{a ∈ j} <p_a, u_a>``: what routing all traffic on path ``j`` costs the consumer (eq. (4))."""
    U = _exact(econ.demand)
    unit = (np.asarray(p, dtype=object) * U).sum(axis=1)
    return path_values(econ, unit)


def unspent_budget(econ, p, pi):
    """``g = Σ_a Π_a(p) − Σ_a <p_a, d_a(π)>``: the budget (4) left unspent by routing ``π``."""
    d = demand(econ, _exact(pi))
    spent = sum((p[a][k] * d[a][k] for a in range(econ.A) for k in range(econ.K)), _Z)
    return sum(profits(econ, p), _Z) - spent


def softmax_routing(econ, p, y) -> np.ndarray:
    """``softmax(−V(p, y)/τ)``: the unconstrained maximiser of the consumer's welfare ``W_{p,y}``."""
    return routing(econ, path_values(econ, agent_costs(econ, _exact(p), _exact(y))))


@dataclass(frozen=True)
class WalrasValue:
    """``Σ_a <p_a, z_a(p)>`` at one price vector (eq. (7)–(8)), with what it is made of.

    Attributes
    ----------
    prices, supply : ndarray
        ``p`` and the supply selection ``y*(p)`` whose revenues the consumer sees.
    routing : ndarray
        ``π_s = softmax(−V(p, y*)/τ)``.
    unspent : sympy.Expr
        ``g(π_s)``; when ``g > 0`` the budget set is non-empty, ``π*(p) = π_s`` and the value is ``−g``.
    """

    prices: np.ndarray
    supply: np.ndarray
    routing: np.ndarray
    unspent: object

    def __repr__(self) -> str:
        return "WalrasValue(...)"


def walras_value(econ, p) -> WalrasValue:
    """The pieces of the Walras value at prices ``p`` (``docs/claims.md``, thm-3.1)."""
    p = _exact(p)
    y = supply(econ, p)
    pi = softmax_routing(econ, p, y)
    return WalrasValue(p, y, pi, unspent_budget(econ, p, pi))


def e1_gaps(econ, p, y) -> list:
    """``Π_a(p) − <p_a, y_a> ≥ 0`` per agent: (E1) holds iff every gap is zero."""
    return [prof - sum((p[a][k] * y[a][k] for k in range(econ.K)), _Z) for a, prof in enumerate(profits(econ, p))]


def e3_gaps(econ, y, pi) -> np.ndarray:
    """``d(π) − y`` (an ``(A, K)`` array): (E3) holds iff it is zero."""
    return demand(econ, _exact(pi)) - _exact(y)


# ------------------------------------------------------------------------------------ exact LPs
def demand_rows(econ):
    """``d_ak(π) = Σ_j D[(a, k), j] π_j``: the matrix ``D`` (rows agent-major, columns paths), exact."""
    M = econ.graph.incidence()
    return [
        [econ.demand[a][k] * int(M[a, j]) for j in range(econ.n_paths)] for a in range(econ.A) for k in range(econ.K)
    ]


def _clearing_constraints(econ, D):
    """``lo ≤ d(π) ≤ hi`` as rows ``A x ≤ b`` (boxes), and ``Σ π = 1``."""
    A, b = [], []
    for a, s in enumerate(econ.production_sets):
        for k in range(econ.K):
            row = D[a * econ.K + k]
            A.append(row)
            b.append(s.hi[k])
            A.append([-v for v in row])
            b.append(-s.lo[k])
    return A, b, [[1] * econ.n_paths], [1]


def separation_certificate(econ):
    """An exact certificate that no routing clears the markets (E3), or ``None``.

    Returns ``(h, c)`` with ``<h, d(e_j)> ≥ c`` for every path ``j`` and ``max_{y ∈ ΠY} <h, y> < c``.
    For boxes the direction comes from an exact LP (a Farkas certificate read off the most violated
    coordinate); otherwise the direction from the demand hull to the sets' centres is tried.
    """
    vertices = [
        demand(econ, _exact([sp.Integer(int(i == j)) for i in range(econ.n_paths)])) for j in range(econ.n_paths)
    ]
    candidates = []
    for a, _s in enumerate(econ.production_sets):
        for k in range(econ.K):
            for sign in (1, -1):
                h = np.full((econ.A, econ.K), _Z, dtype=object)
                h[a][k] = sp.Integer(sign)
                candidates.append(h)
    if not econ.all_boxes:
        centre = _exact(
            [
                list(s.center) if isinstance(s, Ball) else [(l + u) / 2 for l, u in zip(s.lo, s.hi)]
                for s in econ.production_sets
            ]
        )
        mean_d = sum(vertices, np.full((econ.A, econ.K), _Z, dtype=object)) / econ.n_paths
        candidates.append(mean_d - centre)
    for h in candidates:
        c = min(sum((h[a][k] * v[a][k] for a in range(econ.A) for k in range(econ.K)), _Z) for v in vertices)
        if _support_below(econ, h, c):
            return h, c
    return None


def _support_below(econ, h, c) -> bool:
    """``max_{y ∈ ΠY} <h, y> < c``, decided exactly (square roots for balls compared exactly)."""
    total = _Z
    for a, s in enumerate(econ.production_sets):
        total += s.support(list(h[a]))
    return certain_sign(c - total) == 1


def price_support_lps(econ) -> list | None:
    """For boxes: per coordinate ``(a, k)`` the exact optimum of ``max {d_ak(π) − hi_ak : π ∈ Δ, lo ≤ d(π) ≤ hi}``.

    (E1) with prices on the simplex needs a coordinate with a positive price where production is at its
    upper bound, so when every optimum is negative (or the LP infeasible) no equilibrium exists.
    Returns ``[(a, k, optimum or None)]`` — computed exactly only when every optimum is negative in a
    floating-point screen (otherwise the first coordinate found feasible is returned with its float
    optimum, and the list is not a certificate) — or ``None`` when some set is not a box.
    """
    if not econ.all_boxes:
        return None
    D = demand_rows(econ)
    A_ub, b_ub, A_eq, b_eq = _clearing_constraints(econ, D)
    coords = [(a, k) for a in range(econ.A) for k in range(econ.K)]
    for a, k in coords:
        value, _ = float_lp(D[a * econ.K + k], A_ub, b_ub, A_eq, b_eq, maximize=True)
        if value is not None and value - float(econ.production_sets[a].hi[k]) > -1e-9:
            return [(a, k, sp.Float(value) - econ.production_sets[a].hi[k])]
    out = []
    for a, k in coords:
        hi = econ.production_sets[a].hi[k]
        cert = simplex_lp_upper_bound(D[a * econ.K + k], A_ub, b_ub)
        if cert is not None and cert[0] < _fraction(hi):  # weak duality: an exact upper bound below hi
            out.append((a, k, sp.Rational(cert[0].numerator, cert[0].denominator) - hi))
            continue
        value, _ = exact_lp(D[a * econ.K + k], A_ub, b_ub, A_eq, b_eq, maximize=True)
        out.append((a, k, None if value is None else value - hi))
    return out


def decentralisation_gap(econ, y, path: int):
    """The exact optimum ``t*`` of: max ``t`` over ``p ∈ Δ_p`` with (E1) at ``y`` and ``b_i(p) − b_j(p) ≥ t`` (``i ≠ j``).

    ``e_j`` is the consumer's demand at ``p`` (with ``y`` supplied) only if ``b_i(p) > b_j(p)`` for every
    other path (``docs/claims.md``, thm-5.4), so ``t* ≤ 0`` (or an infeasible LP, returned as ``None``)
    proves that no price decentralises the allocation. Boxes only (a ball agent raises ``TypeError``).
    """
    if econ.n_paths == 1:
        return sp.oo
    AK = econ.A * econ.K
    M = econ.graph.incidence()
    A_eq, b_eq = [[1] * AK + [0]], [1]
    for a, s in enumerate(econ.production_sets):
        if not isinstance(s, Box):
            raise TypeError("decentralisation_gap handles boxes only")
        for k in range(econ.K):
            if y[a][k] != s.hi[k]:  # a positive price here would make y_a not profit-maximising (E1)
                A_eq.append([int(i == a * econ.K + k) for i in range(AK)] + [0])
                b_eq.append(0)
    unit = [[econ.demand[a][k] for k in range(econ.K)] for a in range(econ.A)]

    def cost_row(j):  # b_j(p) as coefficients of p
        return [unit[a][k] * int(M[a, j]) for a in range(econ.A) for k in range(econ.K)]

    bj = cost_row(path)
    A_ub, b_ub = [], []
    for i in range(econ.n_paths):
        if i != path:  # t − (b_i − b_j) ≤ 0
            A_ub.append([bj[c] - v for c, v in enumerate(cost_row(i))] + [1])
            b_ub.append(0)
    bounds = [(0, None)] * AK + [(None, None)]
    value, _ = exact_lp([0] * AK + [1], A_ub, b_ub, A_eq, b_eq, bounds, maximize=True)
    return value
