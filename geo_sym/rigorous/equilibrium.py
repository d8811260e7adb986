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
from geo_sym.rigorous.lp import SimplexLP, exact_lp

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
    "uniform_clearing",
    "equal_value_prices",
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
    return routing(econ, agent_costs(econ, _exact(p), _exact(y)))


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

    Returns ``(h, c)`` with ``<h, d(e_j)> ≥ c`` for every path ``j`` (hence for every routing, ``d`` being
    linear) and ``max_{y ∈ ΠY} <h, y> < c``. Coordinate directions ``±e_{ak}`` are tried first (demand of a
    coordinate always above its upper bound, or always below its lower bound); with balls, the direction
    from the sets' centres to the mean vertex demand.
    """
    D = demand_rows(econ)  # rows (a, k), columns paths: the vertex demands d(e_j)
    for a, _s in enumerate(econ.production_sets):
        for k in range(econ.K):
            row = D[a * econ.K + k]
            for sign in (1, -1):
                h = np.full((econ.A, econ.K), _Z, dtype=object)
                h[a][k] = sp.Integer(sign)
                c = min(sign * v for v in row)
                if _support_below(econ, h, c):
                    return h, c
    if econ.all_boxes:
        return None
    centre = [
        list(s.center) if isinstance(s, Ball) else [(l + u) / 2 for l, u in zip(s.lo, s.hi)]
        for s in econ.production_sets
    ]
    P = econ.n_paths
    h = np.array(
        [[sum(D[a * econ.K + k], _Z) / P - centre[a][k] for k in range(econ.K)] for a in range(econ.A)], dtype=object
    )
    flat = [h[a][k] for a in range(econ.A) for k in range(econ.K)]
    c = min(sum((flat[r] * D[r][j] for r in range(len(flat)) if D[r][j] != 0), _Z) for j in range(P))
    return (h, c) if _support_below(econ, h, c) else None


def _support_below(econ, h, c) -> bool:
    """``max_{y ∈ ΠY} <h, y> < c``, decided exactly (square roots for balls compared exactly)."""
    total = _Z
    for a, s in enumerate(econ.production_sets):
        total += s.support(list(h[a]))
    return certain_sign(c - total) == 1


def price_support_lps(econ) -> list | None:
    """For boxes: per coordinate ``(a, k)`` an exact upper bound of ``max {d_ak(π) − hi_ak : π ∈ Δ, lo ≤ d(π) ≤ hi}``.

    (E1) with prices on the simplex needs a coordinate with a positive price where production is at its
    upper bound, so when every bound is negative (or the LP infeasible) no equilibrium exists.
    Returns ``[(a, k, bound or None)]`` — exact (dual certificates, or the exact simplex) only when every
    optimum is negative in a floating-point screen; otherwise the first coordinate found feasible is
    returned with its float optimum and the list is not a certificate — or ``None`` when some set is not a box.
    """
    if not econ.all_boxes:
        return None
    D = demand_rows(econ)
    A_ub, b_ub, A_eq, b_eq = _clearing_constraints(econ, D)
    lp = SimplexLP(A_ub, b_ub)
    coords = [(a, k) for a in range(econ.A) for k in range(econ.K)]
    for a, k in coords:
        value = lp.float_max(D[a * econ.K + k])
        if value is not None and value - float(econ.production_sets[a].hi[k]) > -1e-9:
            return [(a, k, sp.Float(value) - econ.production_sets[a].hi[k])]
    out = []
    for a, k in coords:
        hi = econ.production_sets[a].hi[k]
        bound = lp.exact_upper_bound(D[a * econ.K + k])
        if bound is not None and bound < _fraction(hi):  # weak duality: an exact upper bound below hi
            out.append((a, k, sp.Rational(bound.numerator, bound.denominator) - hi))
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
    if econ.n_paths == 1:  # no other path: only (E1) at y, an LP feasibility question
        value, _ = exact_lp([0] * AK, None, None, [r[:AK] for r in A_eq], b_eq)
        return None if value is None else sp.oo
    bounds = [(0, None)] * AK + [(None, None)]
    value, _ = exact_lp([0] * AK + [1], A_ub, b_ub, A_eq, b_eq, bounds, maximize=True)
    return value


# ------------------------------------------------------------------------------------ market clearing at uniform routing
def uniform_clearing(econ):
    """``(y, π)`` with ``π`` the uniform routing and ``y = d(π)``, when that demand lies in ``Π Y_a`` (else ``None``).

    At a rational state the softmax routing is rational only when the path values are equal
    (Lindemann–Weierstrass), so exact equilibria and exact market-clearing fixed points have this routing.
    """
    P = econ.n_paths
    pi = np.array([sp.Rational(1, P)] * P, dtype=object)
    y = demand(econ, pi)
    if all(s.contains(list(y[a])) for a, s in enumerate(econ.production_sets)):
        return y, pi
    return None


def _price_columns(econ, y, e1: bool):
    """Price variables: one per box coordinate, or per ball agent on its sphere a multiple of ``y_a − c_a``.

    With ``e1`` the variables are restricted to prices under which ``y`` maximises profit (E1): box
    coordinates at their upper bound only, ball agents on their sphere only (the outward normal).
    Returns a list of ``(agent, direction)`` with ``direction`` an exact K-vector.
    """
    cols = []
    for a, s in enumerate(econ.production_sets):
        if isinstance(s, Box):
            for k in range(econ.K):
                if not e1 or y[a][k] == s.hi[k]:
                    cols.append((a, [_Z if i != k else sp.Integer(1) for i in range(econ.K)]))
        else:
            normal = [y[a][k] - s.center[k] for k in range(econ.K)]
            on_sphere = sum(v * v for v in normal) == s.radius**2
            if e1:
                if on_sphere and all(v >= 0 for v in normal):
                    cols.append((a, normal))
            else:
                for k in range(econ.K):
                    cols.append((a, [_Z if i != k else sp.Integer(1) for i in range(econ.K)]))
    return cols


def equal_value_prices(econ, y, *, e1: bool, objective=None):
    """Exact prices ``p ∈ Δ_p`` making every path value ``V_j(p, y)`` equal (so ``softmax`` is uniform).

    With ``e1`` the prices also satisfy (E1) at ``y`` (then ``(p, y, uniform)`` is an equilibrium when
    ``y = d(uniform)``); ``objective`` (a function of the price variables' directions) is maximised, e.g.
    the mass on coordinates (E1) forbids. Returns ``(p, value)`` or ``None`` when no such price exists.
    """
    cols = _price_columns(econ, y, e1)
    if not cols:
        return None
    M = econ.graph.incidence()
    slo = [
        sum((c * v for c, v in zip(econ.cost_weights, y[a])), _Z) if econ.slo is not None else _Z for a in range(econ.A)
    ]
    # V_j = Σ_{a ∈ j} (<p_a, y_a> + slo_a); p_a = Σ_{cols of a} x_c · direction_c
    contrib = [sum((d * v for d, v in zip(direction, y[a])), _Z) for a, direction in cols]
    rows_eq, rhs_eq = [[sum((v for v in direction), _Z) for _, direction in cols]], [1]  # Σ p = 1
    for j in range(1, econ.n_paths):
        rows_eq.append([contrib[c] * (int(M[a, j]) - int(M[a, 0])) for c, (a, _) in enumerate(cols)])
        rhs_eq.append(sum((slo[a] * (int(M[a, 0]) - int(M[a, j])) for a in range(econ.A)), _Z))
    c = objective(cols) if objective is not None else [0] * len(cols)
    value, x = exact_lp(c, None, None, rows_eq, rhs_eq, maximize=True)  # x ≥ 0, directions ≥ 0: p ≥ 0
    if value is None or x is None:
        return None
    p = np.full((econ.A, econ.K), _Z, dtype=object)
    for xc, (a, direction) in zip(x, cols):
        for k in range(econ.K):
            p[a][k] += xc * direction[k]
    return p, value
