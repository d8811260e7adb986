"""Linear programs: screened in floating point (HiGHS), decided exactly (a rational two-phase simplex).

Floating point only chooses: a verdict that depends on an LP's value uses :func:`exact_lp`, whose
answer is an exact rational optimum with a feasible point that is checked exactly before it is
returned, or an exact proof of infeasibility (phase 1 ends with a positive sum of artificials) or of
unboundedness (an improving column without a blocking row). The simplex uses Bland's rule (no
cycling) on Python ``Fraction`` arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

__all__ = ["exact_lp", "float_lp", "SimplexLP", "INFEASIBLE"]

INFEASIBLE = None


def _q(v) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, sp.Rational):
        return Fraction(int(v.p), int(v.q))
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, sp.Basic):
        r = sp.Rational(v)
        return Fraction(int(r.p), int(r.q))
    raise TypeError(f"an exact rational is needed in an exact LP, got {v!r}")


def _simplex_max(T, basis, n_cols, allowed):
    """Maximise the objective in the last row of tableau ``T`` (Bland's rule). Returns False when unbounded."""
    m = len(T) - 1
    while True:
        obj = T[m]
        enter = next((j for j in range(n_cols) if allowed[j] and obj[j] < 0), None)
        if enter is None:
            return True
        best, leave = None, None
        for i in range(m):
            a = T[i][enter]
            if a > 0:
                ratio = T[i][-1] / a
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leave]):
                    best, leave = ratio, i
        if leave is None:
            return False
        _pivot(T, leave, enter)
        basis[leave] = enter


def _pivot(T, r, c):
    piv = T[r][c]
    T[r] = [v / piv for v in T[r]]
    for i in range(len(T)):
        if i != r and T[i][c] != 0:
            f = T[i][c]
            T[i] = [a - f * b for a, b in zip(T[i], T[r])]


def _standard_form(c, A_ub, b_ub, A_eq, b_eq, bounds):
    """Variables ``x = l + x⁺`` (or ``x⁺ − x⁻`` when free), upper bounds as rows; returns the pieces."""
    n = len(c)
    if bounds is None:
        bounds = [(0, None)] * n
    elif isinstance(bounds, tuple):
        bounds = [bounds] * n
    cols = []  # per original variable: (list of (column index, sign), shift)
    k = 0
    for lo, hi in bounds:
        if lo is None:
            cols.append(([(k, 1), (k + 1, -1)], Fraction(0), hi))
            k += 2
        else:
            cols.append(([(k, 1)], _q(lo), hi))
            k += 1
    rows, rhs, kinds = [], [], []

    def expand(row, b, kind):
        new = [Fraction(0)] * k
        shift = Fraction(0)
        for j, a in enumerate(row):
            a = _q(a)
            for col, sign in cols[j][0]:
                new[col] += sign * a
            shift += a * cols[j][1]
        rows.append(new)
        rhs.append(_q(b) - shift)
        kinds.append(kind)

    for row, b in zip(A_ub or [], b_ub or []):
        expand(row, b, "le")
    for row, b in zip(A_eq or [], b_eq or []):
        expand(row, b, "eq")
    for j, (_, _lo, hi) in enumerate(cols):
        if hi is not None:
            expand([1 if i == j else 0 for i in range(n)], hi, "le")
    obj = [Fraction(0)] * k
    const = Fraction(0)
    for j, cj in enumerate(c):
        cj = _q(cj)
        for col, sign in cols[j][0]:
            obj[col] += sign * cj
        const += cj * cols[j][1]
    return cols, k, rows, rhs, kinds, obj, const


def exact_lp(c, A_ub=None, b_ub=None, A_eq=None, b_eq=None, bounds=None, *, maximize=False):
    """The exact optimum of ``c·x`` subject to ``A_ub x ≤ b_ub``, ``A_eq x = b_eq``, ``bounds`` (default ``x ≥ 0``).

    Returns ``(value, x)``: ``value`` a SymPy Rational (``x`` an exact optimal point, checked feasible),
    ``None`` when infeasible, ``±oo`` when unbounded.
    """
    cols, k, rows, rhs, kinds, obj, const = _standard_form(c, A_ub, b_ub, A_eq, b_eq, bounds)
    n_slack = sum(1 for kd in kinds if kd == "le")
    m = len(rows)
    width = k + n_slack + m  # structural, slack, artificial columns
    T, basis = [], []
    s = 0
    for i in range(m):
        row = rows[i] + [Fraction(0)] * (n_slack + m) + [rhs[i]]
        if kinds[i] == "le":
            row[k + s] = Fraction(1)
            s += 1
        if row[-1] < 0:
            row = [-v for v in row]
        row[k + n_slack + i] = Fraction(1)
        T.append(row)
        basis.append(k + n_slack + i)
    # phase 1: maximise −Σ artificials
    phase1 = [Fraction(0)] * (width + 1)
    for i in range(m):
        phase1 = [a - b for a, b in zip(phase1, T[i])]
        phase1[k + n_slack + i] += 1  # the artificial's own coefficient cancels
    T.append(phase1)
    allowed = [True] * width
    _simplex_max(T, basis, width, allowed)
    if T[-1][-1] != 0:  # −Σ artificials < 0 at the optimum: infeasible
        return INFEASIBLE, None
    T.pop()
    for i in range(m):  # drive artificials out of the basis
        if basis[i] >= k + n_slack:
            col = next((j for j in range(k + n_slack) if T[i][j] != 0), None)
            if col is not None:
                _pivot(T, i, col)
                basis[i] = col
    allowed = [j < k + n_slack for j in range(width)]
    sign = Fraction(1) if maximize else Fraction(-1)
    objrow = [-sign * v for v in obj] + [Fraction(0)] * (n_slack + m) + [Fraction(0)]
    for i in range(m):
        b = basis[i]
        if b < k and objrow[b] != 0:
            f = objrow[b]
            objrow = [a - f * r for a, r in zip(objrow, T[i])]
    T.append(objrow)
    if not _simplex_max(T, basis, width, allowed):
        return (sp.oo if maximize else -sp.oo), None
    xs = [Fraction(0)] * width
    for i in range(m):
        xs[basis[i]] = T[i][-1]
    x = []
    for parts, shift, _ in cols:
        x.append(shift + sum(sign_ * xs[col] for col, sign_ in parts))
    value = sum((_q(cj) * xj for cj, xj in zip(c, x)), Fraction(0))
    _check_feasible(x, A_ub, b_ub, A_eq, b_eq, bounds)
    return sp.Rational(value.numerator, value.denominator), [sp.Rational(v.numerator, v.denominator) for v in x]


def _check_feasible(x, A_ub, b_ub, A_eq, b_eq, bounds):
    """The returned point satisfies every constraint exactly (a failure is a bug: raised, never a value)."""
    for row, b in zip(A_ub or [], b_ub or []):
        if sum((_q(a) * v for a, v in zip(row, x)), Fraction(0)) > _q(b):
            raise ArithmeticError("exact LP: the optimum violates an inequality")
    for row, b in zip(A_eq or [], b_eq or []):
        if sum((_q(a) * v for a, v in zip(row, x)), Fraction(0)) != _q(b):
            raise ArithmeticError("exact LP: the optimum violates an equality")
    bl = [(0, None)] * len(x) if bounds is None else [bounds] * len(x) if isinstance(bounds, tuple) else bounds
    for v, (lo, hi) in zip(x, bl):
        if (lo is not None and v < _q(lo)) or (hi is not None and v > _q(hi)):
            raise ArithmeticError("exact LP: the optimum violates a bound")


def float_lp(c, A_ub=None, b_ub=None, A_eq=None, b_eq=None, bounds=None, *, maximize=False):
    """The same LP in floating point (HiGHS): ``(value, x)`` or ``(None, None)`` when infeasible; for screening."""
    from scipy.optimize import linprog

    def f(rows):
        return None if rows is None or len(rows) == 0 else np.array([[float(v) for v in r] for r in rows])

    def g(vals):
        return None if vals is None or len(vals) == 0 else np.array([float(v) for v in vals])

    cc = np.array([float(v) for v in c]) * (-1 if maximize else 1)
    if bounds is None:
        bnds = [(0, None)] * len(c)
    elif isinstance(bounds, tuple):
        bnds = [bounds] * len(c)
    else:
        bnds = bounds
    res = linprog(cc, A_ub=f(A_ub), b_ub=g(b_ub), A_eq=f(A_eq), b_eq=g(b_eq), bounds=bnds, method="highs")
    if res.status == 2:
        return None, None
    if res.status == 3:
        return (np.inf if maximize else -np.inf), None
    if res.status != 0:
        return None, None
    return (-res.fun if maximize else res.fun), res.x


class SimplexLP:
    """``max {c·π : π ∈ Δ, A π ≤ b}`` for many objectives ``c`` over one feasible set.

    :meth:`float_max` screens with HiGHS; :meth:`exact_upper_bound` turns the float duals into an exact
    upper bound by weak duality: the duals are rounded to rationals and repaired to be exactly
    dual-feasible (``y ≥ 0``; the simplex multiplier ``z = max_j (c_j − (Aᵀy)_j)``), so
    ``c·π ≤ bᵀy + z`` for every feasible ``π`` whatever the rounding.
    """

    def __init__(self, A_ub, b_ub):
        self.n = len(A_ub[0]) if A_ub else 0
        self.A = np.array([[float(v) for v in r] for r in A_ub]) if A_ub else np.zeros((0, 0))
        self.b = np.array([float(v) for v in b_ub]) if b_ub else np.zeros(0)
        self._bq = [_q(v) for v in (b_ub or [])]
        self._cols = [[(i, _q(A_ub[i][j])) for i in range(len(A_ub)) if A_ub[i][j] != 0] for j in range(self.n)]
        self._solved: dict = {}  # objective -> (optimum, float duals): each objective is solved once

    def _solve(self, c):
        from scipy.optimize import linprog

        return linprog(
            -np.array([float(v) for v in c]),
            A_ub=self.A if len(self.A) else None,
            b_ub=self.b if len(self.b) else None,
            A_eq=np.ones((1, self.n)),
            b_eq=[1.0],
            bounds=[(0, None)] * self.n,
            method="highs",
        )

    def float_max(self, c):
        """The optimum in floating point (``None`` when the solver finds the set empty)."""
        key = tuple(c)
        if key not in self._solved:
            res = self._solve(c)
            if res.status != 0:
                return None
            self._solved[key] = (-res.fun, res.ineqlin.marginals if len(self.A) else np.zeros(0))
        return self._solved[key][0]

    def exact_upper_bound(self, c) -> Fraction | None:
        """An exact rational upper bound of the optimum (``None`` when the float solve fails)."""
        if self.float_max(c) is None:
            return None
        marg = self._solved[tuple(c)][1]
        y = [max(Fraction(float(-v)).limit_denominator(10**9), Fraction(0)) for v in marg]
        cq = [_q(v) for v in c]
        aty = [sum((a * y[i] for i, a in col if y[i]), Fraction(0)) for col in self._cols]
        z = max(cj - atyj for cj, atyj in zip(cq, aty))
        return sum((bi * yi for bi, yi in zip(self._bq, y) if yi), Fraction(0)) + z
