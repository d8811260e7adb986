"""The agent DAG ``G`` of §2.3: topological order, maximal paths ``P(G)``, depth, and routing DPs.

Paths are the maximal (source → sink) paths, ordered lexicographically by the
sequence of agent indices (DESIGN.md). The routing ``π = softmax(-V/τ)`` with
additive path values ``V_path = Σ_{a∈path} c_a`` is a Markov chain on the DAG, so
its agent marginals ``w_a = Σ_{path∋a} π(path)`` and their covariances are
computed here by dynamic programs in ``O(|E|)`` (marginals) or ``O(A·|E|)``
(covariance) without ever enumerating paths.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from geo_sym.errors import CycleError, DomainError, ValidationError

__all__ = ["AgentGraph", "RoutingMarginals", "routing_marginals"]

DEFAULT_MAX_PATHS = 200_000


class AgentGraph:
    """A DAG on agents ``0..A-1`` given by edges ``(i, j)`` meaning ``i → j``.

    Parameters
    ----------
    names : sequence of str
        Agent names; their order fixes the indices.
    edges : sequence of (int, int)
        Directed edges between agent indices.

    Raises
    ------
    CycleError
        When the edges contain a directed cycle (the cycle is named).
    ValidationError
        For self-loops, repeated edges or indices out of range.
    """

    def __init__(self, names, edges):
        self.names = tuple(str(n) for n in names)
        n = len(self.names)
        if n == 0:
            raise ValidationError("agents", [], "at least one agent")
        seen = set()
        clean = []
        for k, e in enumerate(edges):
            i, j = int(e[0]), int(e[1])
            if not (0 <= i < n and 0 <= j < n):
                raise ValidationError(f"edges[{k}]", e, f"agent indices in 0..{n - 1}")
            if i == j:
                raise CycleError(f"edges[{k}]", [self.names[i], self.names[i]])
            if (i, j) in seen:
                raise ValidationError(f"edges[{k}]", [self.names[i], self.names[j]], "each edge listed once")
            seen.add((i, j))
            clean.append((i, j))
        self.edges = tuple(clean)
        succ: list[list[int]] = [[] for _ in range(n)]
        pred: list[list[int]] = [[] for _ in range(n)]
        for i, j in clean:
            succ[i].append(j)
            pred[j].append(i)
        self.successors = tuple(tuple(sorted(s)) for s in succ)
        self.predecessors = tuple(tuple(sorted(p)) for p in pred)
        self._check_acyclic()

    def __eq__(self, other) -> bool:
        return isinstance(other, AgentGraph) and self.names == other.names and set(self.edges) == set(other.edges)

    def __hash__(self) -> int:
        return hash((self.names, frozenset(self.edges)))

    # ------------------------------------------------------------------ structure
    @property
    def n_agents(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        return f"AgentGraph(A={self.n_agents}, edges={len(self.edges)})"

    def _check_acyclic(self) -> None:
        color = [0] * self.n_agents  # 0 new, 1 on stack, 2 done
        parent = [-1] * self.n_agents
        for root in range(self.n_agents):
            if color[root]:
                continue
            stack = [(root, iter(self.successors[root]))]
            color[root] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    color[node] = 2
                    stack.pop()
                    continue
                if color[nxt] == 0:
                    color[nxt] = 1
                    parent[nxt] = node
                    stack.append((nxt, iter(self.successors[nxt])))
                elif color[nxt] == 1:
                    cyc = [nxt]
                    cur = node
                    while cur != nxt:
                        cyc.append(cur)
                        cur = parent[cur]
                    cyc.append(nxt)
                    cyc.reverse()
                    raise CycleError("edges", [self.names[c] for c in cyc])

    @cached_property
    def topological_order(self) -> tuple[int, ...]:
        """Kahn's algorithm, smallest index first among ready agents (deterministic)."""
        indeg = [len(p) for p in self.predecessors]
        ready = [a for a in range(self.n_agents) if indeg[a] == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            a = heapq.heappop(ready)
            order.append(a)
            for b in self.successors[a]:
                indeg[b] -= 1
                if indeg[b] == 0:
                    heapq.heappush(ready, b)
        return tuple(order)

    @cached_property
    def sources(self) -> tuple[int, ...]:
        return tuple(a for a in range(self.n_agents) if not self.predecessors[a])

    @cached_property
    def sinks(self) -> tuple[int, ...]:
        return tuple(a for a in range(self.n_agents) if not self.successors[a])

    @cached_property
    def depth(self) -> int:
        """``P``: the number of agents on the longest path."""
        longest = [1] * self.n_agents
        for a in reversed(self.topological_order):
            for b in self.successors[a]:
                longest[a] = max(longest[a], 1 + longest[b])
        return max(longest)

    @cached_property
    def n_paths(self) -> int:
        """Exact number of maximal paths, by a DP (Python integers, no overflow)."""
        count = [0] * self.n_agents
        for a in reversed(self.topological_order):
            count[a] = 1 if not self.successors[a] else sum(count[b] for b in self.successors[a])
        return sum(count[s] for s in self.sources)

    def paths(self, max_paths: int = DEFAULT_MAX_PATHS) -> tuple[tuple[int, ...], ...]:
        """All maximal paths in lexicographic order of their agent-index sequences.

        Raises
        ------
        ValidationError
            When there are more than ``max_paths`` paths (use the DP-based routines instead).
        """
        if self.n_paths > max_paths:
            raise ValidationError(
                "edges",
                f"{self.n_paths} maximal paths",
                f"at most {max_paths} paths for path enumeration; use the reduced state (routing marginals) instead",
            )
        return self._paths

    @cached_property
    def _paths(self) -> tuple[tuple[int, ...], ...]:
        out: list[tuple[int, ...]] = []

        def walk(prefix):
            last = prefix[-1]
            if not self.successors[last]:
                out.append(tuple(prefix))
                return
            for b in self.successors[last]:
                prefix.append(b)
                walk(prefix)
                prefix.pop()

        for s in self.sources:
            walk([s])
        return tuple(out)

    def incidence(self, max_paths: int = DEFAULT_MAX_PATHS) -> np.ndarray:
        """``M[a, j] = 1`` when agent ``a`` lies on path ``j`` (shape ``A × |P(G)|``)."""
        paths = self.paths(max_paths)
        m = np.zeros((self.n_agents, len(paths)), dtype=np.int8)
        for j, path in enumerate(paths):
            m[list(path), j] = 1
        return m

    def incidence_ones(self, max_paths: int = DEFAULT_MAX_PATHS) -> tuple[tuple, tuple]:
        """Where ``M`` (:meth:`incidence`) has its ones: per agent the paths through it, per path its agents (ascending).

        What an exact ``M x`` or ``Mᵀ x`` sums, without multiplying by the zeros of ``M``.
        """
        self.paths(max_paths)  # the same limit (and error) as the incidence matrix
        return self._incidence_ones

    @cached_property
    def _incidence_ones(self) -> tuple[tuple, tuple]:
        by_agent: list[list[int]] = [[] for _ in range(self.n_agents)]
        for j, path in enumerate(self._paths):
            for a in path:
                by_agent[a].append(j)
        return tuple(tuple(js) for js in by_agent), tuple(tuple(sorted(path)) for path in self._paths)

    def path_names(self, max_paths: int = DEFAULT_MAX_PATHS) -> list[str]:
        return ["→".join(self.names[a] for a in path) for path in self.paths(max_paths)]

    # ------------------------------------------------------------------ edge arrays for DPs
    @cached_property
    def _edge_arrays(self):
        if not self.edges:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        e = np.asarray(self.edges, dtype=np.int64)
        return e[:, 0], e[:, 1]

    @cached_property
    def _heights(self) -> np.ndarray:
        """Longest distance (in edges) to a sink; sinks have height 0."""
        h = np.zeros(self.n_agents, dtype=np.int64)
        for a in reversed(self.topological_order):
            if self.successors[a]:
                h[a] = 1 + max(h[b] for b in self.successors[a])
        return h

    @cached_property
    def _height_layers(self) -> tuple:
        """Per height ``h ≥ 1``: ``(edges, nodes)`` — indices of the edges leaving agents of height ``h``
        and of those agents. Computed once, shared by every backward DP (marginals, covariance products)."""
        src, _ = self._edge_arrays
        heights = self._heights
        nh = int(heights.max()) + 1 if self.n_agents else 0
        return tuple((np.flatnonzero(heights[src] == h), np.flatnonzero(heights == h)) for h in range(1, nh))

    @cached_property
    def _level_layers(self) -> tuple:
        """Per level ``l ≥ 1``: ``(edges, nodes)`` — indices of the edges entering agents of level ``l`` and
        of those agents (forward DPs)."""
        _, dst = self._edge_arrays
        levels = self._levels
        nl = int(levels.max()) + 1 if self.n_agents else 0
        return tuple((np.flatnonzero(levels[dst] == lev), np.flatnonzero(levels == lev)) for lev in range(1, nl))

    @cached_property
    def _levels(self) -> np.ndarray:
        """Longest distance (in edges) from a source; sources have level 0."""
        lv = np.zeros(self.n_agents, dtype=np.int64)
        for a in self.topological_order:
            if self.predecessors[a]:
                lv[a] = 1 + max(lv[b] for b in self.predecessors[a])
        return lv


@dataclass(frozen=True)
class RoutingMarginals:
    """Routing ``π = softmax(-V/τ)`` seen through the DAG, computed without enumerating paths.

    Attributes
    ----------
    w : ndarray (A,)
        Agent marginals ``w_a = Σ_{path ∋ a} π(path)`` (share of traffic through ``a``).
    source_prob : ndarray (A,)
        Probability that a path starts at each agent (zero for non-sources).
    transition : ndarray (E,)
        ``P[a→b]``: probability of moving to ``b`` given the path is at ``a``, per edge.
    log_partition : float
        ``log Σ_path exp(-V_path/τ)``.
    """

    graph: AgentGraph = field(repr=False)
    w: np.ndarray
    source_prob: np.ndarray = field(repr=False)
    transition: np.ndarray = field(repr=False)
    log_partition: float

    def __repr__(self) -> str:
        return f"RoutingMarginals(A={self.w.size}, log_partition={self.log_partition:.6g})"

    def hitting(self) -> np.ndarray:
        """``H[a, b]``: probability that a path through ``a`` later visits ``b`` (``H[a, a] = 1``)."""
        g = self.graph
        n = g.n_agents
        order = np.asarray(g.topological_order)
        pos = np.empty(n, dtype=np.int64)
        pos[order] = np.arange(n)
        src, dst = g._edge_arrays
        # (I - P) is unit upper triangular in topological order.
        from scipy.linalg import solve_triangular

        m = np.eye(n)
        if src.size:
            np.add.at(m, (pos[src], pos[dst]), -self.transition)
        h_topo = solve_triangular(m, np.eye(n), unit_diagonal=True, check_finite=False)
        h = np.empty_like(h_topo)
        h[np.ix_(order, order)] = h_topo
        return h

    def cooccurrence(self) -> np.ndarray:
        """``C[a, b] = Prob(a and b both on the path)``; ``C[a, a] = w_a``."""
        h = self.hitting()
        c = self.w[:, None] * h
        c = c + c.T
        np.fill_diagonal(c, self.w)
        return c

    def covariance(self) -> np.ndarray:
        """``Cov[a, b] = C[a, b] - w_a w_b`` (covariance of the path-membership indicators).

        The Jacobian of the marginals with respect to agent costs is
        ``∂w_a/∂c_b = -Cov[a, b] / τ``.
        """
        return self.cooccurrence() - np.outer(self.w, self.w)

    def covariance_matvec(self, v: np.ndarray) -> np.ndarray:
        """``Cov @ v`` in ``O(|E|)`` by a forward–backward DP (matrix-free).

        ``(Cov v)_a = w_a (E[S_v | a ∈ path] - E[S_v])`` with ``S_v = Σ_{b∈path} v_b``.
        """
        g = self.graph
        v = np.asarray(v, dtype=float)
        src, dst = g._edge_arrays
        n = g.n_agents
        # downstream expectation D_a = Σ_b P[a,b] (v_b + D_b), layer by layer from the sinks
        down = np.zeros(n)
        for edges, _ in g._height_layers:
            s_, d_ = src[edges], dst[edges]
            contrib = self.transition[edges] * (v[d_] + down[d_])
            down += np.bincount(s_, weights=contrib, minlength=n)
        # upstream expectation U_b = Σ_{a→b} w_a P[a,b] (v_a + U_a) / w_b, layer by layer from the sources
        up = np.zeros(n)
        for edges, nodes in g._level_layers:
            if edges.size:
                s_, d_ = src[edges], dst[edges]
                flow = self.w[s_] * self.transition[edges]
                num = np.bincount(d_, weights=flow * (v[s_] + up[s_]), minlength=n)
                wn = self.w[nodes]
                with np.errstate(divide="ignore", invalid="ignore"):
                    up[nodes] = np.where(wn > 0, num[nodes] / np.where(wn > 0, wn, 1.0), 0.0)
        cond = v + up + down
        mean = float(self.w @ v)
        return self.w * (cond - mean)


def routing_marginals(graph: AgentGraph, costs, tau: float) -> RoutingMarginals:
    """Agent marginals of ``π = softmax(-V/τ)``, ``V_path = Σ_{a∈path} c_a``, by a log-sum-exp DP.

    Parameters
    ----------
    graph : AgentGraph
    costs : array_like (A,)
        Per-agent additive path-value contributions ``c_a`` (revenue ``s_a`` plus SLO terms).
    tau : float
        Temperature ``τ > 0`` (Assumption 4).

    Returns
    -------
    RoutingMarginals

    Notes
    -----
    With ``log B_a = -c_a/τ + logsumexp_{b ∈ succ(a)} log B_b`` (``log B_a = -c_a/τ`` at
    sinks), the path distribution is the Markov chain that starts at source ``s`` with
    probability ``B_s / Z`` and moves ``a → b`` with probability ``B_b / Σ_{b'∈succ(a)} B_{b'}``.
    All quantities are probabilities, so nothing overflows however many paths there are.
    """
    if not tau > 0:
        raise ValidationError("parameters.tau", tau, "a positive temperature (Assumption 4)")
    c = np.asarray(costs, dtype=float)
    n = graph.n_agents
    if c.shape != (n,):
        raise ValidationError("costs", c.shape, f"shape ({n},)")
    if not np.all(np.isfinite(c)):
        raise DomainError("costs: non-finite agent costs; expected finite path values")
    src, dst = graph._edge_arrays
    log_b = -c / tau
    succ_lse = np.zeros(n)  # logsumexp over successors' log B (only for non-sinks)
    for edges, sel in graph._height_layers:
        s, d = src[edges], dst[edges]
        vals = log_b[d]
        mx = np.full(n, -np.inf)
        np.maximum.at(mx, s, vals)
        tot = np.bincount(s, weights=np.exp(vals - mx[s]), minlength=n)
        succ_lse[sel] = mx[sel] + np.log(tot[sel])
        log_b[sel] = -c[sel] / tau + succ_lse[sel]
    sources = np.asarray(graph.sources, dtype=np.int64)
    ls = log_b[sources]
    m = ls.max()
    log_z = float(m + np.log(np.exp(ls - m).sum()))
    q = np.zeros(n)
    q[sources] = np.exp(ls - log_z)
    trans = np.exp(log_b[dst] - succ_lse[src]) if src.size else np.zeros(0)
    # forward pass for the marginals, by levels from the sources
    w = q.copy()
    for edges, _ in graph._level_layers:
        w += np.bincount(dst[edges], weights=w[src[edges]] * trans[edges], minlength=n)
    return RoutingMarginals(graph=graph, w=w, source_prob=q, transition=trans, log_partition=log_z)
