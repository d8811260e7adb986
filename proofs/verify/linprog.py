"""Exact linear programs on rationals, with certificates checked exactly.

Used for the certificates of claims.md that are LPs: no price supports a market-clearing production
(``no_equilibrium`` / ``no_price_support``), no price decentralises a Pareto optimum
(``not_decentralizable``), and whether a price vector is produced by a singular linear mechanism.

Programs are assembled in the standard form ``max c·x, A x ≤ b, x ≥ 0`` (a free variable is the
difference of two nonnegative ones, an equation two inequalities) and solved by a two-phase tableau
simplex method in exact rational arithmetic with Bland's rule (which cannot cycle). SymPy's own simplex
(``sympy.solvers.simplex``) is not used: SymPy 1.14 returns optimal points that violate the constraints
of some infeasible programs, or loops (sympy/sympy#28089). Whatever the solver says is accepted only
with a certificate verified exactly here:

* optimal: a feasible ``x`` and a feasible dual ``y ≥ 0``, ``Aᵀy ≥ c`` with ``b·y = c·x`` (strong duality);
* infeasible: a Farkas vector ``y ≥ 0`` with ``Aᵀy ≥ 0`` and ``b·y < 0``;
* unbounded: a feasible ``x`` and a ray ``d ≥ 0`` with ``A d ≤ 0`` and ``c·d > 0``.

An answer without a verified certificate makes the check fail.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from proofs.verify.reading import Box, Failed, Model

__all__ = ["LinearProgram", "coordinate_slack", "decentralization_gap", "mechanism_preimage_exists"]


def _frac(v) -> Fraction:
    v = sp.Rational(v)
    return Fraction(int(v.p), int(v.q))


def _pivot(T: list, basis: list, r: int, col: int) -> None:
    row = T[r]
    pv = row[col]
    T[r] = row = [v / pv for v in row]
    for i, other in enumerate(T):
        if i != r and other[col] != 0:
            f = other[col]
            T[i] = [a - f * b for a, b in zip(other, row)]
    basis[r] = col


def _run(T: list, basis: list, allowed: int):
    """Bland's rule on a tableau whose last row is the objective (reduced costs, maximisation).

    Returns ``None`` at an optimum, else the entering column of an unbounded direction.
    """
    obj = T[-1]
    while True:
        entering = next((j for j in range(allowed) if obj[j] > 0), None)
        if entering is None:
            return None
        best = None
        for i in range(len(T) - 1):
            a = T[i][entering]
            if a > 0:
                key = (T[i][-1] / a, basis[i])
                if best is None or key < best[0]:
                    best = (key, i)
        if best is None:
            return entering
        _pivot(T, basis, best[1], entering)
        obj = T[-1]


def _objective_row(T: list, basis: list, c: list) -> list:
    row = list(c) + [Fraction(0)] * (len(T[0]) - len(c))
    for i, col in enumerate(basis):
        if row[col] != 0:
            f = row[col]
            row = [a - f * b for a, b in zip(row, T[i])]
    return row  # reduced costs; row[-1] = −(objective value)


def _solve(A: list, b: list, c: list) -> tuple:
    """``("optimal", x)``, ``("unbounded", (x, d))`` or ``("infeasible", None)``; not yet certified."""
    m, n = len(A), len(c)
    width = n + m + m  # x, slacks, artificials
    T, basis, artificial = [], [], []
    for i in range(m):
        row = list(A[i]) + [Fraction(int(j == i)) for j in range(m)] + [Fraction(0)] * m + [b[i]]
        if b[i] < 0:
            row = [-v for v in row]
            row[n + m + i] = Fraction(1)
            artificial.append(n + m + i)
            basis.append(n + m + i)
        else:
            basis.append(n + i)
        T.append(row)
    phase1 = [Fraction(0)] * width + [Fraction(0)]
    for j in artificial:
        phase1[j] = Fraction(-1)
    T.append(_objective_row(T, basis, phase1[:width]))
    _run(T, basis, width)
    if T[-1][-1] != 0:  # the phase-1 optimum −Σ artificials is negative
        return "infeasible", None
    for i, col in enumerate(basis):  # drive artificials at level 0 out of the basis
        if col >= n + m:
            j = next((j for j in range(n + m) if T[i][j] != 0), None)
            if j is not None:
                _pivot(T, basis, i, j)
    keep = [i for i, col in enumerate(basis) if col < n + m]  # rows left with an artificial are redundant
    T = [T[i][: n + m] + [T[i][-1]] for i in keep]
    basis = [basis[i] for i in keep]
    T.append(_objective_row(T, basis, list(c) + [Fraction(0)] * m))
    entering = _run(T, basis, n + m)
    x = [Fraction(0)] * (n + m)
    for i, col in enumerate(basis):
        x[col] = T[i][-1]
    if entering is None:
        return "optimal", x[:n]
    d = [Fraction(0)] * (n + m)
    d[entering] = Fraction(1)
    for i, col in enumerate(basis):
        d[col] = -T[i][entering]
    return "unbounded", (x[:n], d[:n])


def _dot(u, v) -> Fraction:
    return sum((a * b for a, b in zip(u, v)), Fraction(0))


def _feasible(A, b, x) -> bool:
    return all(v >= 0 for v in x) and all(_dot(row, x) <= bi for row, bi in zip(A, b))


def _certified(A: list, b: list, c: list) -> tuple:
    """Solve ``max c·x, A x ≤ b, x ≥ 0`` and verify a certificate of the answer (else :class:`Failed`)."""
    n = len(c)
    status, sol = _solve(A, b, c)
    AT = [[A[i][j] for i in range(len(A))] for j in range(n)]
    if status == "optimal" and _feasible(A, b, sol):
        dual_status, y = _solve([[-v for v in row] for row in AT], [-v for v in c], [-v for v in b])
        if dual_status == "optimal" and _feasible([[-v for v in row] for row in AT], [-v for v in c], y):
            if _dot(b, y) == _dot(c, sol):
                return "optimal", _dot(c, sol)
    elif status == "unbounded":
        x, d = sol
        if _feasible(A, b, x) and all(v >= 0 for v in d) and all(_dot(r, d) <= 0 for r in A) and _dot(c, d) > 0:
            return "unbounded", None
    elif status == "infeasible":
        m = len(A)
        rows = [[-v for v in row] for row in AT] + [[Fraction(1)] * m]
        f_status, y = _solve(rows, [Fraction(0)] * n + [Fraction(1)], [-v for v in b])
        if f_status == "optimal" and all(v >= 0 for v in y):
            if all(_dot(col, y) >= 0 for col in AT) and _dot(b, y) < 0:
                return "infeasible", None
    raise Failed(f"the exact LP solver's answer ({status}) could not be certified")


class LinearProgram:
    """A small exact LP: ``max c·x`` subject to linear (in)equalities with rational coefficients."""

    def __init__(self):
        self._columns: list = []  # per variable: (column, sign) pairs
        self._rows: list = []  # (coefficients by variable, rhs) meaning Σ coef x ≤ rhs

    def __repr__(self) -> str:
        return f"LinearProgram({len(self._columns)} variables, {len(self._rows)} rows)"

    def variable(self, free: bool = False) -> int:
        """A new variable, nonnegative unless ``free``; returns its index."""
        used = sum(len(c) for c in self._columns)
        self._columns.append([(used, 1)] + ([(used + 1, -1)] if free else []))
        return len(self._columns) - 1

    def le(self, coeffs: dict, rhs) -> None:
        self._rows.append((dict(coeffs), _frac(rhs)))

    def ge(self, coeffs: dict, rhs) -> None:
        self.le({k: -_frac(v) for k, v in coeffs.items()}, -_frac(rhs))

    def eq(self, coeffs: dict, rhs) -> None:
        self.le(coeffs, rhs)
        self.ge(coeffs, rhs)

    def _expand(self, coeffs: dict) -> list:
        width = sum(len(c) for c in self._columns)
        row = [Fraction(0)] * width
        for var, coef in coeffs.items():
            for col, sgn in self._columns[var]:
                row[col] += sgn * _frac(coef)
        return row

    def maximize(self, objective: dict) -> tuple:
        """``("optimal", value)``, ``("infeasible", None)`` or ``("unbounded", None)``, certified exactly."""
        rows = self._rows or [({}, Fraction(0))]  # 0 ≤ 0 keeps the tableau non-empty
        A = [self._expand(c) for c, _ in rows]
        b = [rhs for _, rhs in rows]
        status, value = _certified(A, b, self._expand(objective))
        return status, (sp.Rational(value.numerator, value.denominator) if value is not None else None)


def _routing_lp(m: Model) -> tuple:
    lp = LinearProgram()
    pi = [lp.variable() for _ in range(m.n_paths)]
    lp.eq({j: 1 for j in pi}, 1)
    return lp, pi


def coordinate_slack(m: Model, a: int, k: int) -> tuple:
    """``max {d_ak(π) − hi_ak : π ∈ Δ, lo ≤ d(π) ≤ hi}`` (boxes only), as :meth:`LinearProgram.maximize` returns it."""
    lp, pi = _routing_lp(m)
    for b in range(m.A):
        Y = m.sets[b]
        for kk in range(m.K):
            d = {pi[j]: m.u[b][kk] for j in range(m.n_paths) if m.on_path(b, j)}  # d_bk(π) = w_b(π) u_bk
            lp.ge(d, Y.lo[kk])
            lp.le(d, Y.hi[kk])
    status, value = lp.maximize({pi[j]: m.u[a][k] for j in range(m.n_paths) if m.on_path(a, j)})
    return status, (value - m.sets[a].hi[k] if value is not None else None)


def decentralization_gap(m: Model, y: list, j: int) -> tuple:
    """``max t`` over ``p ∈ Δ_p`` with (E1) at ``y`` and ``b_i(p) − b_j(p) ≥ t`` for every path ``i ≠ j``.

    (E1) at ``y`` for ``p ≥ 0``: for a box, ``p_ak = 0`` wherever ``y_ak < hi_ak``; for a ball with
    ``‖y_a − c_a‖ = r_a > 0``, ``p_a = μ_a (y_a − c_a)`` with ``μ_a ≥ 0`` (the normal cone), and ``p_a = 0``
    for ``y_a`` inside the ball; ``Y_a = {0}`` leaves ``p_a`` free.
    """
    A, K = m.A, m.K
    lp = LinearProgram()
    p = [[lp.variable() for _ in range(K)] for _ in range(A)]
    t = lp.variable(free=True)
    lp.eq({x: 1 for row in p for x in row}, 1)
    for a in range(A):
        Y = m.sets[a]
        if isinstance(Y, Box):
            for k in range(K):
                if y[a][k] < Y.hi[k]:
                    lp.eq({p[a][k]: 1}, 0)
            continue
        if Y.radius == 0:
            continue
        off = [y[a][k] - Y.center[k] for k in range(K)]
        if sum(x**2 for x in off) < Y.radius**2:
            for k in range(K):
                lp.eq({p[a][k]: 1}, 0)
        else:
            mu = lp.variable()
            for k in range(K):
                lp.eq({p[a][k]: 1, mu: -off[k]}, 0)

    def b(path) -> dict:
        out: dict = {}
        for a in path:
            for k in range(K):
                out[p[a][k]] = out.get(p[a][k], 0) + m.u[a][k]
        return out

    bj = b(m.paths[j])
    for i in range(m.n_paths):
        if i != j:
            row = b(m.paths[i])
            for var, coef in bj.items():
                row[var] = row.get(var, 0) - coef
            row[t] = -1
            lp.ge(row, 0)
    return lp.maximize({t: 1})


def mechanism_preimage_exists(m: Model, p_flat: list) -> bool:
    """Whether ``p = G y + b`` for some ``y ∈ Π_a Y_a`` (all boxes; an exact LP feasibility problem)."""
    lp = LinearProgram()
    ys = []
    for a in range(m.A):
        Y = m.sets[a]
        for k in range(m.K):
            v = lp.variable(free=True)
            lp.ge({v: 1}, Y.lo[k])
            lp.le({v: 1}, Y.hi[k])
            ys.append(v)
    for i, row in enumerate(m.G):
        lp.eq({v: g for v, g in zip(ys, row) if g != 0}, p_flat[i] - m.b[i])
    status, _ = lp.maximize({})
    return status != "infeasible"
