"""The agent DAG (§2.3) and its routing dynamic programs against brute-force path enumeration.

Expected values come from code written here: a depth-first enumeration of the
maximal paths, the softmax over paths of ``-Σ costs / τ`` (stabilised by hand),
indicator co-occurrences summed path by path, and central finite differences
for ``∂w/∂c = -Cov/τ``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from geo_sym.economy.graph import AgentGraph, routing_marginals
from geo_sym.errors import CycleError, DomainError, ValidationError


# ----------------------------------------------------------------------------- brute force
def brute_routing(A, paths, costs, tau):
    """π over enumerated paths, agent marginals, co-occurrence and log-partition, by hand."""
    V = np.array([sum(costs[a] for a in path) for path in paths], dtype=float)
    logits = -V / tau
    m = logits.max()
    e = np.exp(logits - m)
    Z = e.sum()
    pi = e / Z
    ind = np.zeros((A, len(paths)))
    for j, path in enumerate(paths):
        for a in path:
            ind[a, j] = 1.0
    w = ind @ pi
    C = (ind * pi) @ ind.T
    return pi, w, C, float(m + math.log(Z))


def reachable(A, edges):
    """``R[a, b]``: there is a directed path a → … → b (a ≠ b), by repeated relaxation."""
    R = np.zeros((A, A), dtype=bool)
    for i, j in edges:
        R[i, j] = True
    for _ in range(A):
        R = R | ((R.astype(int) @ R.astype(int)) > 0)
    return R


def graph_cases():
    out = []
    for kind in ("empty", "chain", "diamond", "layered", "random"):
        for A in (1, 2, 3, 4, 5, 6, 7):
            for seed in range(2):
                out.append((kind, A, seed))
    return out


@pytest.fixture(params=graph_cases(), ids=lambda c: f"{c[0]}-A{c[1]}-s{c[2]}")
def random_graph(request, gen):
    kind, A, seed = request.param
    rng = np.random.default_rng(1000 * A + 17 * seed + len(kind))
    edges = gen.random_edges(rng, A, kind)
    names = [f"n{a}" for a in range(A)]
    return A, edges, AgentGraph(names, edges), rng


# ----------------------------------------------------------------------------- structure
def test_structure_matches_brute_force(random_graph, gen):
    A, edges, g, _ = random_graph
    paths = gen.enumerate_paths(A, edges)
    assert g.paths() == tuple(paths)  # lexicographic by agent indices
    assert list(g.paths()) == sorted(g.paths())
    assert g.n_paths == len(paths)
    assert g.depth == max(len(p) for p in paths)
    assert set(g.sources) == {a for a in range(A) if all(j != a for _, j in edges)}
    assert set(g.sinks) == {a for a in range(A) if all(i != a for i, _ in edges)}
    order = list(g.topological_order)
    assert sorted(order) == list(range(A))
    pos = {a: k for k, a in enumerate(order)}
    assert all(pos[i] < pos[j] for i, j in edges)
    inc = g.incidence()
    assert inc.shape == (A, len(paths))
    for j, path in enumerate(paths):
        assert set(np.nonzero(inc[:, j])[0]) == set(path)


def test_hand_graph_path_order():
    # a→b→d, a→d, c→d : paths (0,1,3) < (0,3) < (2,3) lexicographically
    g = AgentGraph(["a", "b", "c", "d"], [(0, 3), (2, 3), (0, 1), (1, 3)])
    assert g.paths() == ((0, 1, 3), (0, 3), (2, 3))
    assert g.path_names() == ["a→b→d", "a→d", "c→d"]
    assert g.depth == 3 and g.n_paths == 3
    assert g.sources == (0, 2) and g.sinks == (3,)


def test_no_edges_every_agent_is_a_path():
    g = AgentGraph(["x", "y", "z"], [])
    assert g.paths() == ((0,), (1,), (2,))
    assert g.depth == 1 and g.n_paths == 3
    np.testing.assert_array_equal(g.incidence(), np.eye(3, dtype=np.int8))


def test_layered_10x100_counts_exactly():
    L, W = 10, 100
    names = [f"n{l}_{i}" for l in range(L) for i in range(W)]
    edges = [(l * W + i, (l + 1) * W + j) for l in range(L - 1) for i in range(W) for j in range(W)]
    g = AgentGraph(names, edges)
    assert g.n_paths == 100**10  # exact Python integer
    assert isinstance(g.n_paths, int)
    assert g.depth == 10
    with pytest.raises(ValidationError, match="paths"):
        g.paths()
    # marginals of the uniform routing: every agent of a layer carries 1/100 of the traffic
    m = routing_marginals(g, np.zeros(L * W), 1.0)
    np.testing.assert_allclose(m.w, np.full(L * W, 1 / W), rtol=1e-12)
    assert m.log_partition == pytest.approx(10 * math.log(100), rel=1e-13)


def test_layered_large_marginals_are_probabilities():
    L, W = 10, 100
    rng = np.random.default_rng(3)
    edges = [(l * W + i, (l + 1) * W + j) for l in range(L - 1) for i in range(W) for j in range(W)]
    g = AgentGraph([str(a) for a in range(L * W)], edges)
    m = routing_marginals(g, rng.normal(scale=50.0, size=L * W), 0.7)
    assert np.all(np.isfinite(m.w))
    np.testing.assert_allclose(m.w.reshape(L, W).sum(axis=1), np.ones(L), atol=1e-12)  # one agent per layer
    v = rng.normal(size=L * W)
    np.testing.assert_allclose(m.covariance_matvec(v), m.covariance() @ v, atol=1e-10)


# ----------------------------------------------------------------------------- routing DP
@pytest.mark.parametrize("tau", [0.37, 1.0, 4.5])
def test_marginals_and_covariance_vs_enumeration(random_graph, gen, tau):
    A, edges, g, rng = random_graph
    paths = gen.enumerate_paths(A, edges)
    costs = rng.normal(scale=2.0, size=A)
    pi, w, C, logz = brute_routing(A, paths, costs, tau)
    m = routing_marginals(g, costs, tau)
    np.testing.assert_allclose(m.w, w, rtol=1e-11, atol=1e-14)
    assert m.log_partition == pytest.approx(logz, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(m.cooccurrence(), C, atol=1e-12)
    np.testing.assert_allclose(m.covariance(), C - np.outer(w, w), atol=1e-12)
    for _ in range(3):
        v = rng.normal(size=A)
        np.testing.assert_allclose(m.covariance_matvec(v), (C - np.outer(w, w)) @ v, atol=1e-11)
    # hitting: P(b later on the path | a on the path)
    R = reachable(A, edges)
    H = np.where(R, C / np.where(w > 0, w, 1)[:, None], 0.0)
    np.fill_diagonal(H, 1.0)
    np.testing.assert_allclose(m.hitting(), H, atol=1e-11)
    # sources: the path starts somewhere
    assert m.source_prob.sum() == pytest.approx(1.0, abs=1e-13)


def test_marginal_jacobian_is_minus_covariance_over_tau(random_graph):
    A, edges, g, rng = random_graph
    tau = 0.8
    costs = rng.normal(size=A)
    cov = routing_marginals(g, costs, tau).covariance()
    h = 1e-6
    fd = np.empty((A, A))
    for b in range(A):
        e = np.zeros(A)
        e[b] = h
        fd[:, b] = (routing_marginals(g, costs + e, tau).w - routing_marginals(g, costs - e, tau).w) / (2 * h)
    np.testing.assert_allclose(fd, -cov / tau, atol=1e-8)


@pytest.mark.parametrize("scale, tau", [(1e6, 1.0), (1e8, 1e-3), (1e3, 1e-3), (1e2, 1e6), (1e300, 1e6)])
def test_large_costs_no_overflow(random_graph, gen, scale, tau):
    A, edges, g, rng = random_graph
    paths = gen.enumerate_paths(A, edges)
    costs = rng.uniform(-1, 1, size=A) * scale
    m = routing_marginals(g, costs, tau)
    for arr in (m.w, m.covariance(), m.hitting(), m.covariance_matvec(rng.normal(size=A))):
        assert np.all(np.isfinite(arr))
    assert np.isfinite(m.log_partition)
    _, w, C, _ = brute_routing(A, paths, costs, tau)
    np.testing.assert_allclose(m.w, w, atol=1e-9)
    assert np.all((m.w >= -1e-15) & (m.w <= 1 + 1e-12))


def test_two_paths_closed_form():
    # a→b, a→c: π(a,b) = 1 / (1 + exp(-(c_c - c_b)/τ)) (logistic), w_a = 1
    g = AgentGraph(["a", "b", "c"], [(0, 1), (0, 2)])
    c, tau = np.array([5.0, 1.0, 2.0]), 0.5
    pb = 1.0 / (1.0 + math.exp(-(c[2] - c[1]) / tau))
    m = routing_marginals(g, c, tau)
    np.testing.assert_allclose(m.w, [1.0, pb, 1 - pb], rtol=1e-14)
    cov = np.array([[0, 0, 0], [0, pb * (1 - pb), -pb * (1 - pb)], [0, -pb * (1 - pb), pb * (1 - pb)]])
    np.testing.assert_allclose(m.covariance(), cov, atol=1e-15)
    assert m.log_partition == pytest.approx(math.log(math.exp(-6 / tau) + math.exp(-7 / tau)), rel=1e-14)


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "edges, exc, match",
    [
        ([(0, 1), (1, 2), (2, 0)], CycleError, r"a -> b -> c -> a"),
        ([(1, 1)], CycleError, r"b -> b"),
        ([(0, 1), (0, 1)], ValidationError, r"once"),
        ([(0, 3)], ValidationError, r"0\.\.2"),
        ([(-1, 0)], ValidationError, r"0\.\.2"),
    ],
)
def test_graph_errors(edges, exc, match):
    with pytest.raises(exc, match=match):
        AgentGraph(["a", "b", "c"], edges)


def test_cycle_error_lists_cycle():
    with pytest.raises(CycleError) as info:
        AgentGraph(["a", "b", "c", "d"], [(3, 0), (0, 1), (1, 2), (2, 0)])
    cyc = info.value.cycle
    assert cyc[0] == cyc[-1] and sorted(cyc[:-1]) == ["a", "b", "c"]
    assert isinstance(info.value, ValueError)


def test_routing_bad_arguments():
    g = AgentGraph(["a", "b"], [(0, 1)])
    for tau in (0.0, -1.0):
        with pytest.raises(ValidationError, match="tau"):
            routing_marginals(g, [0.0, 0.0], tau)
    with pytest.raises(ValidationError, match="costs"):
        routing_marginals(g, [0.0, 0.0, 0.0], 1.0)
    with pytest.raises(DomainError, match="non-finite"):
        routing_marginals(g, [np.nan, 0.0], 1.0)
    with pytest.raises(ValidationError, match="agent"):
        AgentGraph([], [])
