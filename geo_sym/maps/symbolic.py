"""Exact symbolic backend: the maps as SymPy expressions, block Jacobians, ``cse`` and ``lambdify``.

:class:`SymbolicMap` runs the single definition :func:`geo_sym.maps.core.evaluate_map` on
SymPy symbols, on the branch of the non-smooth pieces given by an
:class:`~geo_sym.maps.core.ActiveSet`. Each intermediate quantity of the map (``v``, ``y'``,
``q``, ``p'``, ``c``, ``π'``) becomes a *stage* with symbols of its own, so the
Jacobian is composed stage by stage along the topological order (forward
accumulation of small block Jacobians) instead of differentiating one expanded
expression. With exact (``Rational``) states every result is exact; the routing
block involves ``exp`` of rationals, kept as exact SymPy expressions.

Section 7 is covered: with a ``policy`` (:class:`~geo_sym.economy.policy.TaylorRule`) the aggregates
``L, Q`` and the SLO weights ``λ1, λ2`` of eq. (18)–(19) are stages of their own, and with
``shock_channels`` each channel's size ``ε_j`` is a symbol, so the exact shock Jacobian ``DΦ_ε`` of
eq. (17) comes from the same forward accumulation as ``DΦ``. Parameters (``α``, ``β``, ``τ``, ``γ``,
the Taylor coefficients) may themselves be SymPy symbols: build the economy with
``dataclasses.replace`` and pass the rule with symbolic coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy as sp

from geo_sym.display import LatexDisplay
from geo_sym.economy.policy import TaylorRule, shock_values
from geo_sym.economy.state import State, tangent_chart
from geo_sym.maps.core import ActiveSet, evaluate_map

__all__ = ["SymbolicMap", "exact_jacobian", "ExactJacobian", "state_symbols", "shock_symbols"]


def state_symbols(econ):
    """Symbols ``y_{a,k}``, ``p_{a,k}``, ``π_j`` in the flat state order (real)."""
    A, K = econ.A, econ.K
    y = [sp.Symbol(f"y_{a}_{k}", real=True) for a in range(A) for k in range(K)]
    p = [sp.Symbol(f"p_{a}_{k}", real=True) for a in range(A) for k in range(K)]
    pi = [sp.Symbol(f"pi_{j}", real=True) for j in range(econ.n_paths)]
    return y, p, pi


def shock_symbols(channels) -> list:
    """Symbols ``ε_j``, one per shock channel (real)."""
    return [sp.Symbol(f"epsilon_{j}", real=True) for j in range(len(channels))]


class SymbolicMap:
    """The economy's map as SymPy expressions on a fixed branch.

    Parameters
    ----------
    econ : Economy
    active : ActiveSet, optional
        Branch of ``Proj_Y``, ``max(0, ·)`` and, with a policy, of the SLO-weight floor (read one off
        a point with :func:`geo_sym.maps.core.evaluate_map`, with the same policy). Default: the
        interior branch, where nothing binds (:meth:`ActiveSet.interior`).
    policy : TaylorRule, optional
        SLO weights by the Taylor rule (eq. (18)–(19)); targets set.
    shock_channels : sequence of ShockChannel, optional
        Channels whose sizes ``ε_j`` become symbols (:attr:`eps`), for the shock Jacobian.

    Attributes
    ----------
    x : list of Symbol
        State symbols in flat order.
    eps : list of Symbol
        Shock sizes, one per channel (empty without channels).
    stages : list of (Symbol, Expr)
        Intermediate quantities in evaluation order; each definition uses state symbols, shock
        symbols and earlier stage symbols only.
    outputs : list of Expr
        ``Φ(x, ε)`` flat, in terms of stage symbols.
    """

    def __init__(self, econ, active: ActiveSet | None = None, policy: TaylorRule | None = None, shock_channels=()):
        self.econ = econ
        self.active = ActiveSet.interior(econ, policy) if active is None else active
        self.policy = policy
        self.channels = tuple(shock_channels)
        ys, ps, pis = state_symbols(econ)
        self.x = ys + ps + pis
        self.eps = shock_symbols(self.channels)
        A, K = econ.A, econ.K
        stages: list[tuple[sp.Symbol, sp.Expr]] = []

        def stage(name, arr):
            out = np.empty(arr.shape, dtype=object)
            for idx, expr in np.ndenumerate(arr):
                expr = _as_expr(expr)
                if expr.is_Atom:
                    out[idx] = expr
                else:
                    s = sp.Symbol(f"{name}_{'_'.join(map(str, idx))}", real=True)
                    stages.append((s, expr))
                    out[idx] = s
            return out

        st = State(
            np.array(ys, dtype=object).reshape(A, K),
            np.array(ps, dtype=object).reshape(A, K),
            np.array(pis, dtype=object),
        )
        shocks = shock_values(self.channels, self.eps, A, K) if self.channels else None
        res = evaluate_map(econ, st, self.active, stage=stage, shocks=shocks, policy=policy)
        # the routing block: π' is itself a stage whose derivative uses the softmax identity
        self._costs = list(res.costs)
        self._pi_new = [sp.Symbol(f"pinew_{j}", real=True) for j in range(econ.n_paths)]
        for s, e in zip(self._pi_new, res.state.pi):
            stages.append((s, e))
        self.stages = stages
        self.outputs = list(res.state.y.ravel()) + list(res.state.p.ravel()) + self._pi_new

    def __repr__(self) -> str:
        return f"SymbolicMap(n={len(self.x)}, stages={len(self.stages)}, at_kink={self.active.at_kink})"

    _repr_latex_ = LatexDisplay._repr_latex_

    # ----------------------------------------------------------------------------- expressions
    def expanded(self, keep_shocks: bool = False) -> list:
        """``Φ(x)`` as expressions in the state symbols only (stages substituted; ``ε = 0`` unless kept)."""
        sub: dict = {} if keep_shocks else {e: sp.Integer(0) for e in self.eps}
        for s, e in self.stages:
            sub[s] = e.xreplace(sub)
        return [_as_expr(o).xreplace(sub) for o in self.outputs]

    @cached_property
    def _stage_index(self):
        return {s: i for i, (s, _) in enumerate(self.stages)}

    @cached_property
    def _full_jacobian(self) -> sp.Matrix:
        return self._jacobian()

    def jacobian(self) -> sp.Matrix:
        """``DΦ`` (columns: the state) by forward accumulation over stages (computed once, then cached)."""
        return self._full_jacobian[:, : len(self.x)]

    def shock_jacobian(self) -> sp.Matrix:
        """``DΦ_ε`` of eq. (17) (columns: the shock channels), in stage symbols; evaluate at ``ε = 0``."""
        return self._full_jacobian[:, len(self.x) :]

    def _jacobian(self) -> sp.Matrix:
        """``DΦ`` by forward accumulation over stages (entries use stage symbols).

        For the routing stage the softmax identity
        ``∂π'_j/∂c_a = -(π'_j/τ)(M_{aj} - Σ_i π'_i M_{ai})`` is used, written in the
        ``π'`` symbols, which keeps every entry a short polynomial in stage symbols.
        """
        econ = self.econ
        n = len(self.x) + len(self.eps)
        xindex = {s: i for i, s in enumerate(self.x + self.eps)}
        grads: dict[sp.Symbol, dict[int, sp.Expr]] = {}  # sparse rows: stage symbol -> {col: expr}
        pi_new_set = set(self._pi_new)
        M = econ.graph.incidence()
        tau = econ.tau
        cost_syms = self._costs
        for s, e in self.stages:
            row: dict[int, sp.Expr] = {}
            if s in pi_new_set:
                j = self._pi_new.index(s)
                wn = [
                    sum((self._pi_new[i] for i in range(M.shape[1]) if M[a, i]), sp.Integer(0)) for a in range(econ.A)
                ]
                for a, c in enumerate(cost_syms):
                    coef = -s * (int(M[a, j]) - wn[a]) / tau
                    _accumulate(row, coef, c, xindex, grads)
            else:
                for f in e.free_symbols:
                    _accumulate(row, sp.diff(e, f), f, xindex, grads)
            grads[s] = {k: v for k, v in row.items() if v != 0}
        J = sp.zeros(len(self.outputs), n)
        for i, o in enumerate(self.outputs):
            o = _as_expr(o)
            orow: dict[int, sp.Expr] = {}
            if o.is_Symbol:
                _accumulate(orow, sp.Integer(1), o, xindex, grads)
            else:
                for f in o.free_symbols:
                    _accumulate(orow, sp.diff(o, f), f, xindex, grads)
            for k, v in orow.items():
                J[i, k] = v
        return J

    # ----------------------------------------------------------------------------- evaluation
    def stage_values(self, state: State, eps=None) -> dict:
        """Exact values of state, shock and stage symbols at ``state`` (exact or float), ``ε = eps`` (default 0)."""
        vals = dict(zip(self.x, state.flat()))
        vals.update(zip(self.eps, [sp.Integer(0)] * len(self.eps) if eps is None else eps))
        for s, e in self.stages:
            v = e.xreplace(vals)
            vals[s] = v
        return vals

    def value_at(self, state: State) -> list:
        vals = self.stage_values(state)
        return [_as_expr(o).xreplace(vals) for o in self.outputs]

    def jacobian_at(self, state: State, J: sp.Matrix | None = None) -> sp.Matrix:
        J = self.jacobian() if J is None else J
        return J.xreplace(self.stage_values(state))

    def lambdify(self, jacobian: bool = True):
        """A NumPy function ``f(x) -> (value, jacobian)`` generated from the expressions.

        The stage definitions are passed to :func:`sympy.lambdify` as common
        subexpressions, followed by ``sympy.cse`` of what remains, so the generated code
        computes each intermediate quantity once.
        """
        stages = self.stages
        exprs = [sp.Matrix(self.outputs)]
        if jacobian:
            exprs.append(self.jacobian())

        def stage_cse(expressions):
            reps, reduced = sp.cse(expressions, symbols=sp.numbered_symbols("_cse"), optimizations=None)
            return list(stages) + reps, reduced

        f = sp.lambdify([self.x + self.eps], exprs, modules="numpy", cse=stage_cse)
        n_eps = len(self.eps)

        def call(x, eps=None):
            args = np.concatenate([np.asarray(x, dtype=float), np.zeros(n_eps) if eps is None else np.asarray(eps)])
            out = f(args)
            if jacobian:
                return np.asarray(out[0], dtype=float).ravel(), np.asarray(out[1], dtype=float)
            return np.asarray(out[0], dtype=float).ravel()

        call.__doc__ = (
            f"Φ and DΦ of {self.econ.name!r} on a fixed branch.\n\nArgument: flat state x = {[str(s) for s in self.x]}"
        )
        return call


def _as_expr(v):
    """Numbers produced by the map code as SymPy objects (no parsing of text)."""
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, (int, np.integer)):
        return sp.Integer(int(v))
    raise TypeError(f"unexpected value {v!r} in a symbolic map")


def _accumulate(row, coef, sym, xindex, grads):
    """Add ``coef · d(sym)/dx`` to a sparse row."""
    if coef == 0:
        return
    if sym in xindex:
        k = xindex[sym]
        row[k] = row.get(k, sp.Integer(0)) + coef
    elif sym in grads:
        for k, g in grads[sym].items():
            row[k] = row.get(k, sp.Integer(0)) + coef * g


@dataclass(frozen=True, eq=False)
class ExactJacobian:
    """Exact value and Jacobian at a point, with the tangent restriction.

    Attributes
    ----------
    value : list of Expr
        ``Φ(x)`` flat (rationals; ``exp`` of rationals in the routing block).
    jacobian : sympy.Matrix
    tangent_jacobian : sympy.Matrix
        ``T⁺ J T`` (the :class:`~geo_sym.economy.state.TangentChart`, exact view).
    active : ActiveSet
    symbolic : SymbolicMap
    stage_values : dict
        Exact values of the state and stage symbols at the point.
    shock_jacobian : sympy.Matrix or None
        ``DΦ_ε`` at ``ε = 0`` (eq. (17)), one column per shock channel, when channels were given.
    """

    value: list
    jacobian: sp.Matrix
    tangent_jacobian: sp.Matrix
    active: ActiveSet
    symbolic: SymbolicMap = field(repr=False)
    stage_values: dict = field(default_factory=dict, repr=False)
    shock_jacobian: sp.Matrix | None = None

    def __repr__(self) -> str:
        return f"ExactJacobian(n={len(self.value)}, {self.active!r})"

    _repr_latex_ = LatexDisplay._repr_latex_

    def charpoly(self, symbol: str = "lambda"):
        """Exact characteristic polynomial of the tangent Jacobian (coefficients in ``ℚ(exp(g))``).

        See :func:`geo_sym.maps.charpoly.exact_charpoly`, which also gives its factors.
        """
        from geo_sym.maps.charpoly import exact_charpoly

        return exact_charpoly(self, symbol=symbol, factor=False).as_poly()

    @property
    def _values(self):
        return self.stage_values

    def numeric(self) -> np.ndarray:
        """The Jacobian in floating point, from the generated code of the same stages (fast)."""
        f = self.symbolic.lambdify()
        x = np.array([float(self._values[s]) for s in self.symbolic.x])
        return f(x)[1]


def exact_jacobian(econ, state: State, policy: TaylorRule | None = None, shock_channels=()) -> ExactJacobian:
    """Exact ``Φ(x)`` and ``DΦ(x)`` at an exact state, on the active branch at that point.

    With ``policy`` the SLO weights follow the Taylor rule (eq. (18)–(19)); with ``shock_channels`` the
    exact shock Jacobian ``DΦ_ε`` at ``ε = 0`` (eq. (17)) is returned too.
    """
    active = evaluate_map(econ, state, policy=policy).active
    sym = SymbolicMap(econ, active, policy, shock_channels)
    vals = sym.stage_values(state)
    value = [_as_expr(o).xreplace(vals) for o in sym.outputs]
    J = sym.jacobian().xreplace(vals)
    SJ = sym.shock_jacobian().xreplace(vals) if sym.eps else None
    return ExactJacobian(value, J, tangent_chart(econ).restrict(J), active, sym, vals, SJ)
