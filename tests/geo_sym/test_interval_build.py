"""How the interval map is built and what its routing stage computes (the pieces issue 15 made faster).

Facts checked here, each against something computed independently of the code under test:

* the partial derivatives of the smooth stages are the expressions ``sympy.diff`` returns (``srepr``
  identical, so the compiled interval programs are the same), on economies of every kind and on
  products with sums, powers and exponentials;
* the path differences of a diamond DAG are the ones read off its incidence matrix by hand;
* the interval softmax (eq. (12)) at a point contains the softmax computed with mpmath at 50 digits,
  and its slope rows contain the exact derivative ``∂π_j/∂c_a = -π_j (M_aj - w_a)/τ``;
* ``evaluate_costs`` gives the agent costs of ``evaluate_map`` through the same stage hooks;
* a :class:`SimplexLP` solves each objective once, and its exact bound does not depend on the order of calls.
"""

from __future__ import annotations

from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

flint = pytest.importorskip("flint")

from geo_sym.economy.spec import Economy, load_economy
from geo_sym.economy.state import State
from geo_sym.maps.core import evaluate_costs, evaluate_map
from geo_sym.rigorous.equilibrium import _clearing_constraints, demand_rows
from geo_sym.rigorous.interval import IntervalMap, _partials
from geo_sym.rigorous.lp import SimplexLP
from geo_sym.rigorous.nonsmooth import PathDifferences, softmax_routing
from geo_sym.solve.fixed_point import center_state
from proofs.claims.reference import reference_economy

CORPUS = Path(__file__).resolve().parents[1] / "proofs" / "corpus"
BOX1 = [[0, 1]]


def _diamond(tau="3/2") -> Economy:
    """s → a, s → b, a → t, b → t: two paths (s, a, t) and (s, b, t) sharing s and t."""
    agents = [{"name": n, "demand": [d], "box": BOX1} for n, d in (("s", 1), ("a", "1/2"), ("b", "1/3"), ("t", 1))]
    return Economy.build(
        name="diamond",
        agents=agents,
        edges=[["s", "a"], ["s", "b"], ["a", "t"], ["b", "t"]],
        parameters={"alpha": "1/5", "beta": "1/5", "tau": tau},
    )


def _layered(L: int, W: int) -> Economy:
    agents, edges = [], []
    for layer in range(L):
        for w in range(W):
            agents.append({"name": f"L{layer}_{w}", "demand": [f"{1 + (layer + w) % 3}/4", "1/3"], "box": BOX1 * 2})
            if layer:
                edges += [[f"L{layer - 1}_{v}", f"L{layer}_{w}"] for v in range(W)]
    return Economy.build(
        name=f"layered-{L}x{W}",
        agents=agents,
        edges=edges,
        map="sequential",
        parameters={"alpha": "1/10", "tau": "27/10"},
        price_mechanism={"kind": "linear", "gamma": "1/2"},
    )


ECONOMIES = {
    "example-6.3": lambda: reference_economy("example-6.3"),
    "two-by-two": lambda: reference_economy("two-by-two"),
    "diamond": _diamond,
    "layered-2x3": lambda: _layered(2, 3),
    "diamond_slo": lambda: load_economy(CORPUS / "diamond_slo.yaml"),
    "chain_balls": lambda: load_economy(CORPUS / "chain_balls.yaml"),
    "linear_G_irrational": lambda: load_economy(CORPUS / "linear_G_irrational.yaml"),
    "k3_linear_chain": lambda: load_economy(CORPUS / "k3_linear_chain.yaml"),
}


# ----------------------------------------------------------------------------- derivatives
def _sympy_partials(e):
    return [(x, sp.diff(e, x)) for x in sorted(e.free_symbols, key=str)]


@pytest.mark.parametrize("name", list(ECONOMIES))
def test_stage_partials_are_the_expressions_sympy_diff_returns(name):
    im = IntervalMap(ECONOMIES[name]())
    n = 0
    for stage in im.stages.values():
        if not stage.smooth:
            continue
        for e in stage.exprs.ravel():
            mine, ref = _partials(e), _sympy_partials(e)
            assert [(sp.srepr(x), sp.srepr(d)) for x, d in mine] == [(sp.srepr(x), sp.srepr(d)) for x, d in ref]
            n += len(ref)
    assert n > 0


def test_partials_of_products_with_sums_powers_and_exponentials():
    x, y, z = sp.symbols("x y z", real=True)
    for e in (
        2 * x * (y + z),
        sp.Rational(3, 7) * x * (x + y) * (y - z),
        x**2 * y + 3 * x * (y + 1),
        sp.exp(x * y) * (x + 2),
        (x + y) ** 3 * z - 2,
        x / (y + 1),
        sp.Integer(5),
    ):
        assert [(sp.srepr(a), sp.srepr(b)) for a, b in _partials(e)] == [
            (sp.srepr(a), sp.srepr(b)) for a, b in _sympy_partials(e)
        ]
    # a hand derivation: ∂/∂x of 2x(y + z) is 2y + 2z; ∂/∂y of x²y + 3x(y + 1) is x² + 3x
    assert dict(_partials(2 * x * (y + z)))[x] == 2 * y + 2 * z
    assert sp.expand(dict(_partials(x**2 * y + 3 * x * (y + 1)))[y] - (x**2 + 3 * x)) == 0


# ----------------------------------------------------------------------------- routing
def test_path_differences_of_a_diamond():
    M = _diamond().graph.incidence().astype(int)  # agents s, a, b, t; paths (s, a, t), (s, b, t)
    assert M.tolist() == [[1, 1], [1, 0], [0, 1], [1, 1]]
    pd = PathDifferences(M)
    assert (pd.A, pd.P) == (4, 2)
    assert pd.pairs[0][0] == -1 and pd.pairs[1][1] == -1
    assert pd.differences[pd.pairs[0][1]] == ((1, -1), (2, 1))  # V_1 - V_0 = c_b - c_a
    assert pd.differences[pd.pairs[1][0]] == ((1, 1), (2, -1))  # V_0 - V_1 = c_a - c_b
    assert pd.members == [[0, 1], [0], [1], [0, 1]]
    assert pd.rows == M.tolist()


@pytest.mark.parametrize("L, W", [(2, 3), (3, 2), (3, 3)])
def test_path_differences_share_patterns_across_layers(L, W):
    """Two paths of a full layered DAG differ, layer by layer, in nothing or in an ordered pair of distinct
    agents: ``(1 + W(W - 1))^L - 1`` patterns for the ``W^L (W^L - 1)`` ordered pairs of paths."""
    pd = PathDifferences(_layered(L, W).graph.incidence().astype(int))
    assert pd.P == W**L
    assert len(pd.differences) == (1 + W * (W - 1)) ** L - 1
    assert sum(k >= 0 for row in pd.pairs for k in row) == W**L * (W**L - 1)
    for diff in pd.differences:  # per differing layer, one agent with +1 and one with -1
        assert all(abs(c) == 1 for _, c in diff) and sum(c for _, c in diff) == 0


def _mp_softmax(costs, M, tau):
    V = [sum(mpmath.mpf(c) * int(M[a, j]) for a, c in enumerate(costs)) for j in range(M.shape[1])]
    e = [mpmath.exp(-v / tau) for v in V]
    return [x / sum(e) for x in e]


@pytest.mark.parametrize("name", ["diamond", "layered-2x3", "example-6.3"])
def test_interval_softmax_contains_the_softmax_and_its_derivative(name):
    mpmath.mp.dps = 50
    econ = ECONOMIES[name]()
    M = econ.graph.incidence().astype(int)
    A, P = M.shape
    rng = np.random.default_rng(5)
    costs = [float(v) for v in rng.uniform(-1, 2, A)]
    tau = mpmath.mpf(sp.Rational(econ.tau).p) / sp.Rational(econ.tau).q
    tau_ball = flint.arb(flint.fmpq(int(sp.Rational(econ.tau).p), int(sp.Rational(econ.tau).q)))
    # slope rows with respect to the costs themselves: the identity
    rows = [[flint.arb(int(a == b)) for b in range(A)] for a in range(A)]
    pis, slope = softmax_routing([flint.arb(c) for c in costs], rows, M, tau_ball, A)
    pis_pd, slope_pd = softmax_routing([flint.arb(c) for c in costs], rows, PathDifferences(M), tau_ball, A)
    exact = _mp_softmax(costs, M, tau)
    w = [sum(exact[j] for j in range(P) if M[a, j]) for a in range(A)]
    for j in range(P):
        assert pis[j].lower() <= exact[j] <= pis[j].upper()
        assert pis[j].rad() < 1e-12
        assert pis_pd[j].mid() == pis[j].mid() and pis_pd[j].rad() == pis[j].rad()
        for a in range(A):
            d = -exact[j] * (int(M[a, j]) - w[a]) / tau
            assert slope[j][a].lower() <= d <= slope[j][a].upper()
            assert slope_pd[j][a].mid() == slope[j][a].mid() and slope_pd[j][a].rad() == slope[j][a].rad()


# ----------------------------------------------------------------------------- costs without routing
@pytest.mark.parametrize("name", ["two-by-two", "diamond_slo", "layered-2x3", "chain_balls"])
def test_evaluate_costs_are_the_costs_of_evaluate_map(name):
    econ = ECONOMIES[name]()
    st = center_state(econ)
    exact = State(st.y.astype(object), st.p.astype(object), st.pi.astype(object)) if st.y.dtype != object else st
    seen_full, seen = [], []
    full = evaluate_map(econ, exact, stage=lambda n, a: seen_full.append(n) or a)
    costs = evaluate_costs(econ, exact, stage=lambda n, a: seen.append(n) or a)
    assert list(costs) == list(full.costs)
    assert seen == seen_full


# ----------------------------------------------------------------------------- LPs
def test_simplex_lp_solves_each_objective_once(monkeypatch):
    econ = load_economy(CORPUS / "parallel_excess.yaml")
    D = demand_rows(econ)
    A_ub, b_ub, _, _ = _clearing_constraints(econ, D)
    fresh = SimplexLP(A_ub, b_ub)
    bounds_fresh = [fresh.exact_upper_bound(row) for row in D]  # each bound from its own solve
    lp = SimplexLP(A_ub, b_ub)
    calls = []
    real = lp._solve
    monkeypatch.setattr(lp, "_solve", lambda c: calls.append(tuple(c)) or real(c))
    values = [lp.float_max(row) for row in D]
    bounds = [lp.exact_upper_bound(row) for row in D]
    assert len(calls) == len(set(map(tuple, D))) and len(calls) == len(set(calls))
    assert bounds == bounds_fresh
    for v, b in zip(values, bounds):
        if v is not None and b is not None:
            assert v <= float(b) + 1e-9  # weak duality: the exact bound is above the optimum


# ----------------------------------------------------------------------------- exact products of the map
@pytest.mark.parametrize("name", ["diamond", "layered-2x3", "two-by-two", "k3_linear_chain"])
def test_exact_incidence_products_are_the_dense_products(name):
    """``M π`` and ``Mᵀ c`` summed over the ones of ``M`` equal ``M.dot`` on rationals and on symbols (same SymPy tree)."""
    from geo_sym.maps.core import _incidence_product

    econ = ECONOMIES[name]()
    M = econ.graph.incidence().astype(object)
    A, P = M.shape
    pi = np.array([sp.Rational(j + 1, 3 * P + j) for j in range(P)], dtype=object)
    costs = np.array([sp.Rational(2 * a - 3, a + 7) for a in range(A)], dtype=object)
    assert list(_incidence_product(econ, pi)) == list(M.dot(pi))
    assert list(_incidence_product(econ, costs, transpose=True)) == list(M.T.dot(costs))
    ps = np.array(sp.symbols(f"q0:{P}", real=True), dtype=object)
    cs = np.array(sp.symbols(f"c0:{A}", real=True), dtype=object)
    assert [sp.srepr(e) for e in _incidence_product(econ, ps)] == [sp.srepr(e) for e in M.dot(ps)]
    assert [sp.srepr(e) for e in _incidence_product(econ, cs, True)] == [sp.srepr(e) for e in M.T.dot(cs)]


def test_exact_price_mechanism_product_skips_only_zeros():
    """``G y`` from the non-zero entries of ``G`` equals the dense product, a zero row included."""
    from geo_sym.maps.core import _sparse_product

    G = [[sp.Rational(1, 2), 0, sp.Rational(-1, 3)], [0, 0, 0], [0, sp.Rational(5, 7), 0]]
    rows = tuple(tuple((j, g) for j, g in enumerate(r) if g != 0) for r in G)
    y = np.array([sp.Rational(3, 4), sp.Rational(-2, 5), sp.Rational(1, 9)], dtype=object)
    dense = np.array(G, dtype=object).dot(y)
    assert (
        list(_sparse_product(rows, y)) == list(dense) == [sp.Rational(3, 8) - sp.Rational(1, 27), 0, sp.Rational(-2, 7)]
    )
    ys = np.array(sp.symbols("y0:3", real=True), dtype=object)
    assert [sp.srepr(e) for e in _sparse_product(rows, ys)] == [sp.srepr(e) for e in np.array(G, dtype=object).dot(ys)]
    econ = load_economy(CORPUS / "linear_G_irrational.yaml")
    pm = econ.price_mechanism
    assert pm.G_nonzero == tuple(tuple((j, g) for j, g in enumerate(r) if g != 0) for r in pm.G)
