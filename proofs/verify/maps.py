"""The two maps of claims.md §1, written here once, and their Jacobians by SymPy differentiation.

A map step is recorded on a :class:`Tape`: a straight-line program of SymPy assignments in which each
non-smooth piece (``Proj_Y`` for boxes and balls, ``max(0, ·)`` of the tâtonnement) is written on the
branch that is active at the input. The same program is evaluated

* exactly (``mode="exact"``): inputs are SymPy rationals; branch tests are decided by
  :func:`proofs.verify.decide.sign`; a test that is exactly zero is a *kink*, recorded;
* in ball arithmetic (``mode="ball"``): inputs are Arb balls (a box of states); a branch test must be
  decided on the whole box when derivatives are wanted (else the check fails: the box meets a kink);
  without derivatives an undecided test falls back to the branch-free formula
  (``max(lo, min(hi, v))``, ``max(0, q)``), which encloses every branch.

The Jacobian is obtained by forward accumulation over the program: each assignment is differentiated
symbolically (``sympy.diff``) with respect to its arguments and the partial derivatives are evaluated in
the program's arithmetic, so an interval program yields an enclosure of ``DΦ`` over the whole box.

Maps (claims.md §1): ``simultaneous`` is ``Φ_K`` (eq. 10–12): ``y' = Proj_Y(y + α(d(π) − y))``, prices by
the tâtonnement ``normalize(max(0, p + β(d(π) − y)))`` or ``A_K(y) = G y + b``, ``π' = softmax(−V(p, y)/τ)``;
``sequential`` is ``T`` (eq. 13): the same ``y'``, prices from ``y'`` (``A_K(y')`` or the tâtonnement with
``y'``), path values from ``<p, y'>`` (``<p', y'>`` with ``sequential_revenue: new``).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from proofs.verify.decide import flint, sign, to_arb
from proofs.verify.reading import Ball, Failed, Model, State

__all__ = ["MAPS", "Undefined", "Tape", "run_map", "map_value", "ball_map_value", "jacobian", "tangent_matrix"]

MAPS = ("simultaneous", "sequential")


class Undefined(Failed):
    """The tâtonnement needs ``normalize(0)``: the map is undefined at the input."""


class Tape:
    """A straight-line SymPy program evaluated exactly or in ball arithmetic.

    Parameters
    ----------
    mode : {"exact", "ball"}
    derivative : bool
        In ball mode, whether every branch must be decided on the whole box (needed for Jacobians).
    """

    def __init__(self, mode: str, derivative: bool = False):
        self.mode = mode
        self.derivative = derivative
        self.steps: list = []
        self.values: dict = {}
        self.kinks: list = []
        self._count = 0

    def input(self, name: str, value) -> sp.Symbol:
        s = sp.Symbol(name)
        self.values[s] = value
        return s

    def value(self, expr):
        """The value of an expression in the program's arithmetic."""
        if self.mode == "exact":
            return expr.xreplace(self.values) if isinstance(expr, sp.Basic) else sp.Integer(expr)
        return to_arb(sp.Integer(expr) if isinstance(expr, int) else expr, self.values, {})

    def let(self, expr):
        """Record ``s = expr`` and return ``s`` (constants are returned as they are)."""
        if isinstance(expr, int):
            expr = sp.Integer(expr)
        if not expr.free_symbols:
            return expr
        self._count += 1
        s = sp.Symbol(f"_s{self._count}")
        self.values[s] = self.value(expr)
        self.steps.append((s, expr))
        return s

    def sign(self, expr, label: str):
        """The sign of a branch test; ``None`` when a ball test is undecided and no derivative is needed."""
        if self.mode == "exact":
            s = sign(self.value(expr), label)
            if s == 0:
                self.kinks.append(label)
            return s
        x = self.value(expr)
        if x > 0:
            return 1
        if x < 0:
            return -1
        if self.derivative:
            raise Failed(f"the box meets a kink of the map ({label}): no Jacobian on the whole box")
        return None


# ============================================================================ the map, once
def _project(m: Model, tape: Tape, a: int, v: list) -> list:
    """``Proj_{Y_a}(v)`` on the active branch."""
    Y = m.sets[a]
    name = m.names[a]
    if isinstance(Y, Ball):
        c, r = Y.center, Y.radius
        if r == 0:
            return list(c)
        n2 = tape.let(sp.Add(*[(vk - ck) ** 2 for vk, ck in zip(v, c)]))
        s = tape.sign(n2 - r**2, f"Proj_Y of agent {name}: on the sphere")
        if s is None:
            f = tape.let(sp.Min(1, r / sp.sqrt(n2)))
            return [tape.let(ck + f * (vk - ck)) for vk, ck in zip(v, c)]
        if s > 0:
            return [tape.let(ck + r * (vk - ck) / sp.sqrt(n2)) for vk, ck in zip(v, c)]
        return list(v)
    out = []
    for k, vk in enumerate(v):
        lo, hi = Y.lo[k], Y.hi[k]
        if lo == hi:
            out.append(lo)
            continue
        s_lo = tape.sign(vk - lo, f"Proj_Y of agent {name}, coordinate {k}: at the lower bound")
        s_hi = tape.sign(vk - hi, f"Proj_Y of agent {name}, coordinate {k}: at the upper bound") if s_lo != -1 else -1
        if s_lo is None or s_hi is None:
            out.append(tape.let(sp.Max(lo, sp.Min(hi, vk))))
        elif s_lo < 0:
            out.append(lo)
        elif s_hi > 0:
            out.append(hi)
        else:
            out.append(vk)
    return out


def _tatonnement(m: Model, tape: Tape, p: list, d: list, yref: list) -> list:
    """``normalize(max(0, p + β(d − y)))`` (eq. 11) on the active branch."""
    A, K = m.A, m.K
    q = [[tape.let(p[a][k] + m.beta * (d[a][k] - yref[a][k])) for k in range(K)] for a in range(A)]
    signs = [
        [tape.sign(q[a][k], f"max(0, q) for agent {m.names[a]}, coordinate {k}: q = 0") for k in range(K)]
        for a in range(A)
    ]
    if any(s is None for row in signs for s in row):  # ball mode, branch-free
        qp = [[tape.let(sp.Max(0, q[a][k])) for k in range(K)] for a in range(A)]
        total = tape.let(sp.Add(*[x for row in qp for x in row]))
        if not tape.values[total] > 0:
            raise Failed("normalize(0) may be needed on the box (Σ max(0, q) is not certainly positive)")
        return [[tape.let(x / total) for x in row] for row in qp]
    pos = [[s > 0 for s in row] for row in signs]
    if not any(any(row) for row in pos):
        raise Undefined("p + β(d − y) ≤ 0 in every coordinate: normalize(0) is needed, the map is undefined")
    total = tape.let(sp.Add(*[q[a][k] for a in range(A) for k in range(K) if pos[a][k]]))
    return [[tape.let(q[a][k] / total) if pos[a][k] else sp.Integer(0) for k in range(K)] for a in range(A)]


def _build(m: Model, tape: Tape, X: State, which: str) -> list:
    """One step of the named map on the tape; returns the flat output ``(y', p', π')``."""
    A, K, P = m.A, m.K, m.n_paths
    w = [tape.let(sp.Add(*[X.pi[j] for j in range(P) if m.on_path(a, j)])) for a in range(A)]
    d = [[w[a] * m.u[a][k] for k in range(K)] for a in range(A)]
    v = [[tape.let(X.y[a][k] + m.alpha * (d[a][k] - X.y[a][k])) for k in range(K)] for a in range(A)]
    yn = [_project(m, tape, a, v[a]) for a in range(A)]
    sequential = which == "sequential"
    yref = yn if sequential else X.y
    if m.linear:
        flat = [yref[a][k] for a in range(A) for k in range(K)]
        pf = [tape.let(sp.Add(*[g * x for g, x in zip(row, flat) if g != 0]) + bi) for row, bi in zip(m.G, m.b)]
        pn = [pf[a * K : (a + 1) * K] for a in range(A)]
    else:
        pn = _tatonnement(m, tape, X.p, d, yref)
    prev = pn if (sequential and m.revenue_new) else X.p
    cost = []
    for a in range(A):
        c = sp.Add(*[prev[a][k] * yref[a][k] for k in range(K)])
        if m.cost is not None:
            c += sp.Add(*[m.cost[k] * yref[a][k] for k in range(K)])
        cost.append(tape.let(c))
    V = [tape.let(sp.Add(*[cost[a] for a in path])) for path in m.paths]
    # softmax(−V/τ), shifted by V_0 (the same function): z_j = exp(−(V_j − V_0)/τ), π'_j = z_j / Σ z
    z = [tape.let(sp.exp((V[0] - V[j]) / m.tau)) for j in range(P)]
    total = tape.let(sp.Add(*z))
    pin = [tape.let(zj / total) for zj in z]
    return [x for row in yn for x in row] + [x for row in pn for x in row] + pin


def _inputs(m: Model, tape: Tape, flat: list) -> tuple:
    A, K = m.A, m.K
    names = [f"y_{a}_{k}" for a in range(A) for k in range(K)] + [f"p_{a}_{k}" for a in range(A) for k in range(K)]
    names += [f"pi_{j}" for j in range(m.n_paths)]
    xs = [tape.input(nm, v) for nm, v in zip(names, flat)]
    n = A * K
    X = State(
        y=[xs[a * K : (a + 1) * K] for a in range(A)],
        p=[xs[n + a * K : n + (a + 1) * K] for a in range(A)],
        pi=xs[2 * n :],
    )
    return xs, X


def run_map(m: Model, which: str, flat: list, mode: str, derivative: bool = False) -> tuple:
    """Record one step of the map at ``flat`` (exact rationals or balls); returns ``(tape, inputs, outputs)``."""
    tape = Tape(mode, derivative)
    xs, X = _inputs(m, tape, flat)
    return tape, xs, _build(m, tape, X, which)


def map_value(m: Model, which: str, state: State) -> tuple:
    """``Φ(x)`` exactly (flat) and the kinks met."""
    tape, _, out = run_map(m, which, state.flat(), "exact")
    return [tape.value(o) for o in out], tape.kinks


def ball_map_value(m: Model, which: str, flat_balls: list) -> list:
    """An enclosure of ``Φ`` over a box of states (branch-free where a branch is undecided)."""
    tape, _, out = run_map(m, which, flat_balls, "ball")
    return [tape.value(o) for o in out]


# ============================================================================ Jacobians
@lru_cache(maxsize=65536)
def _partial(expr, arg):
    """``∂expr/∂arg`` by SymPy differentiation (cached: programs of one economy repeat their steps)."""
    return sp.diff(expr, arg)


def _accumulate(tape: Tape, seeds: dict) -> dict:
    """Forward accumulation: ``D[s]`` = dict column → derivative value, for every recorded symbol."""
    exact = tape.mode == "exact"
    zero = sp.Integer(0) if exact else flint().arb(0)
    D = dict(seeds)
    for s, expr in tape.steps:
        acc: dict = {}
        for arg in expr.free_symbols:
            if arg not in D or not D[arg]:
                continue
            pv = tape.value(_partial(expr, arg))
            if exact and pv == 0:
                continue
            for col, dv in D[arg].items():
                acc[col] = acc.get(col, zero) + pv * dv
        D[s] = acc
    return D


def jacobian(m: Model, which: str, flat: list, mode: str) -> list:
    """``DΦ(x)`` (rows = outputs, columns = inputs, flat state order) on the active branch.

    Exact at an exact state (a kink makes the check fail: the map is not differentiable there), or an
    enclosure over a box of balls (every branch must be decided on the whole box).
    """
    tape, xs, out = run_map(m, which, flat, mode, derivative=True)
    if tape.kinks:
        raise Failed("the state lies on a kink of the map (" + "; ".join(tape.kinks[:3]) + "): DΦ is not defined there")
    one = sp.Integer(1) if mode == "exact" else flint().arb(1)
    zero = sp.Integer(0) if mode == "exact" else flint().arb(0)
    D = _accumulate(tape, {x: {i: one} for i, x in enumerate(xs)})
    n = len(xs)
    rows = []
    for o in out:
        row = D.get(o, {}) if isinstance(o, sp.Symbol) else {}
        rows.append([row.get(i, zero) for i in range(n)])
    return rows


def jvp(m: Model, which: str, flat: list, direction: list) -> list:
    """``DΦ(x) t`` exactly at an exact state (a kink makes the check fail)."""
    tape, xs, out = run_map(m, which, flat, "exact", derivative=True)
    if tape.kinks:
        raise Failed("the state lies on a kink of the map (" + "; ".join(tape.kinks[:3]) + "): DΦ is not defined there")
    D = _accumulate(tape, {x: {0: t} for x, t in zip(xs, direction) if t != 0})
    return [(D.get(o, {}).get(0, sp.Integer(0)) if isinstance(o, sp.Symbol) else sp.Integer(0)) for o in out]


def tangent_coordinates(m: Model) -> tuple:
    """``(kept, last)``: the chart keeps every coordinate but the last of each simplex block.

    ``last[i]`` is the dropped coordinate of the block of ``kept[i]`` (``None`` outside simplex blocks).
    A tangent vector is recovered from its chart coordinates by setting each dropped coordinate to minus
    the sum of its block (sum-zero directions).
    """
    block_of = {}
    for start, size in m.simplex_blocks():
        for i in range(start, start + size):
            block_of[i] = start + size - 1
    kept, last = [], []
    for i in range(m.size):
        if block_of.get(i) == i:
            continue
        kept.append(i)
        last.append(block_of.get(i))
    return kept, last


def tangent_matrix(m: Model, J: list) -> list:
    """``T⁺ J T``: the Jacobian restricted to the tangent space, in the chart basis ``e_i − e_last``."""
    kept, last = tangent_coordinates(m)
    return [[J[r][c] - (J[r][lc] if lc is not None else 0) for c, lc in zip(kept, last)] for r in kept]
