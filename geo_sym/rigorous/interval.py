r"""Rigorous interval evaluation of the maps (eq. (10)–(13)) and of their slope matrices.

The backend is Arb (``python-flint``, a core dependency, see :mod:`geo_sym.rigorous.arb`):
every quantity is an Arb ball, arithmetic is rounded outwards, so each computed ball
contains the exact real value for every point of the input box.

What is evaluated
-----------------
The smooth stages of the map are *not* re-typed here: :class:`IntervalMap` runs the single
definition of the map (:func:`geo_sym.maps.core.evaluate_costs`, the part of
:func:`~geo_sym.maps.core.evaluate_map` before the routing) once on SymPy symbols through its
``stage`` hook and keeps the expressions of the smooth stages (``v = y + α(d - y)``,
``q = p + β(d - y_ref)``, the linear price mechanism ``G y_ref + b``, the agent costs
``c``). Each is compiled to interval code with exact rational constants, together with
its exact partial derivatives (the expressions ``sympy.diff`` returns, formed by SymPy's own
sum and product rules; each distinct expression compiled once). The non-smooth stages — ``Proj_Y`` (eq. (10)),
``normalize(max(0, q))`` (eq. (11)) and ``softmax(-V/τ)`` (eq. (12)) — are evaluated on every
branch at once by :mod:`geo_sym.rigorous.nonsmooth`.

Slopes, not just derivatives
----------------------------
Forward accumulation with interval values gives a matrix ``S(X)`` such that
``Φ(x) - Φ(x') ∈ S(X)(x - x')`` for **every pair** ``x, x'`` of the box ``X`` (mean-value
theorem on the convex hull of each stage's enclosure; ``[0, 1]`` is the slope range of
``max(0, ·)`` and ``clip`` between any two reals). This Lipschitz-matrix property is what
the Krawczyk test (:mod:`geo_sym.rigorous.krawczyk`) and the contraction bound
(:mod:`geo_sym.rigorous.contraction`) need, kinks included.

Coordinates
-----------
Boxes live in *tangent* coordinates (:mod:`geo_sym.rigorous.boxes`): the tangent map
``u ↦ T⁺ Φ(T u + e)`` has a square slope matrix. ``coordinates="full"`` evaluates in the flat
state coordinates instead.

Failure is never success: a ball that is not finite, or a division by a ball that contains
0, makes :meth:`IntervalMap.evaluate` return ``ok=False`` with the reason; callers treat that
box as undecided.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import sympy as sp

from geo_sym.economy.production import Ball
from geo_sym.economy.state import TangentChart
from geo_sym.errors import GeoSymError, ShapeError
from geo_sym.rigorous.arb import (
    EnclosureFailure,
    flint_module,
    iexp,
    imul,
    ipow,
    irecip,
    isqr,
    rational_ball,
)
from geo_sym.rigorous.boxes import TangentBox, state_space_box
from geo_sym.rigorous.nonsmooth import (
    PathDifferences,
    normalize_positive_part,
    project_ball,
    project_box_coordinate,
    softmax_routing,
)

__all__ = ["IntervalImage", "IntervalMap", "interval_map", "CONSTANT_PREC"]


# ------------------------------------------------------------------------------------ compiled expressions
def _compile(expr):
    """Interval code for a SymPy expression: an Arb constant or a callable ``f(values) -> arb``."""
    if expr.is_Rational:
        return rational_ball(expr)
    if expr.is_Symbol:
        return lambda env, s=expr: env[s]
    if expr.is_Add:
        parts = [_compile(a) for a in expr.args]
        const = sum((p for p in parts if not callable(p)), flint_module().arb(0))
        funcs = [p for p in parts if callable(p)]

        def add(env):
            acc = const
            for f in funcs:
                acc = acc + f(env)
            return acc

        return add
    if expr.is_Mul:
        parts = [_compile(a) for a in expr.args]
        const = flint_module().arb(1)
        for p in parts:
            if not callable(p):
                const = const * p
        funcs = [p for p in parts if callable(p)]

        def mul(env):
            acc = funcs[0](env)
            for f in funcs[1:]:
                acc = imul(acc, f(env))
            return const * acc

        return mul
    if expr.is_Pow and expr.exp.is_Integer:
        base = _compile(expr.base)
        k = int(expr.exp)

        def power(env):
            b = base(env) if callable(base) else base
            if k == 2:
                out = isqr(b)
            elif k < 0:
                out = irecip(ipow(b, -k))
            else:
                out = ipow(b, k)
            return out

        return power
    if isinstance(expr, sp.exp):
        arg = _compile(expr.args[0])
        return lambda env: iexp(arg(env) if callable(arg) else arg)
    raise GeoSymError(
        f"interval evaluation does not support the expression {expr} (type {type(expr).__name__}) "
        "in a smooth stage of the map"
    )


def _value(prog, env):
    return prog(env) if callable(prog) else prog


def _derivative(expr, x):
    """``∂expr/∂x`` as :func:`sympy.diff` returns it, without its general machinery for sums and products.

    Sums and products follow SymPy's own rules for a first derivative (``Add``: the sum of the terms'
    derivatives; ``Mul._eval_derivative_n_times``: the Leibniz rule, one factor differentiated per
    term, in argument order), so the result is the same canonical expression; every other kind of
    expression goes to ``sympy.diff``.
    """
    if expr == x:
        return sp.S.One
    if expr.is_Number or expr.is_Symbol:
        return sp.S.Zero
    if expr.is_Add:
        return sp.Add(*[_derivative(a, x) for a in expr.args])
    if expr.is_Mul:
        args = expr.args
        terms = []
        for i, a in enumerate(args):
            d = _derivative(a, x)
            if d != 0:
                terms.append(sp.Mul(*(args[:i] + (d,) + args[i + 1 :])))
        return sp.Add(*terms)
    return sp.diff(expr, x)


def _partials(expr) -> list:
    """``[(x, ∂expr/∂x)]`` over the free symbols of ``expr`` sorted by name (terms of a sum visited once each)."""
    free = sorted(expr.free_symbols, key=str)
    if not expr.is_Add:
        return [(x, _derivative(expr, x)) for x in free]
    terms: dict = {x: [] for x in free}
    for t in expr.args:
        for x in t.free_symbols:
            terms[x].append(t)
    return [(x, sp.Add(*[_derivative(t, x) for t in terms[x]])) for x in free]


def _compile_stage(stage, programs: dict):
    """A smooth stage with the interval programs of its values and of their exact partial derivatives."""

    def compiled(e):
        if e not in programs:
            programs[e] = _compile(e)
        return programs[e]

    progs = []
    for idx, sym in np.ndenumerate(stage.symbols):
        e = stage.exprs[idx]
        progs.append((sym, compiled(e), [(x, compiled(d)) for x, d in _partials(e)]))
    return _Stage(stage.name, stage.shape, stage.symbols, stage.exprs, True, progs)


@dataclass(frozen=True, eq=False)
class _Stage:
    name: str
    shape: tuple
    symbols: np.ndarray  # object array of fresh symbols
    exprs: np.ndarray  # object array of the definitions (SymPy)
    smooth: bool
    programs: list | None = None  # [(symbol, value program, [(input symbol, derivative program)])]


# ------------------------------------------------------------------------------------ results
@dataclass(frozen=True, eq=False)
class IntervalImage:
    """Enclosures of ``Φ`` and of its slope matrix over a box.

    Attributes
    ----------
    ok : bool
        False when an enclosure was not finite or a division by a ball containing 0 was
        needed (``reason`` says which); the other fields are then ``None``.
    value : list of arb
        ``Φ(x)`` in the flat state order, enclosing every point of the box.
    tangent_value : list of arb
        ``T⁺ Φ(x)`` (the chart's coordinates of the image).
    slope : flint.arb_mat or None
        ``m × m`` Lipschitz (slope) matrix of ``u ↦ T⁺ Φ(T u + e)`` over the box.
    reason : str or None
    """

    ok: bool
    value: list | None
    tangent_value: list | None
    slope: object
    reason: str | None = None

    def __repr__(self) -> str:
        return f"IntervalImage(ok={self.ok})" if self.ok else f"IntervalImage(ok=False, reason={self.reason!r})"


def _fail(reason: str) -> IntervalImage:
    return IntervalImage(False, None, None, None, reason)


# ------------------------------------------------------------------------------------ the interval map
class IntervalMap:
    """The economy's map (``Φ_K`` or the sequential map) in Arb interval arithmetic.

    Parameters
    ----------
    econ : Economy
    coordinates : {"tangent", "full"}
        Coordinates of the input boxes and of the slope matrix (see module docstring).

    Notes
    -----
    The certificates (:mod:`geo_sym.rigorous.krawczyk`, :mod:`~geo_sym.rigorous.contraction`,
    :mod:`~geo_sym.rigorous.fixed_points`) work with any object offering ``m``, ``chart``, ``evaluate``,
    ``state_dict`` and ``state_space_box`` (the protocol of this class).

    Built from :func:`geo_sym.maps.core.evaluate_map` on SymPy symbols (smooth stages reused,
    non-smooth ones evaluated on every branch); build once per economy
    (:func:`interval_map` caches).
    """

    def __init__(self, econ, coordinates: str = "tangent"):
        flint_module()
        self.econ = econ
        self.chart = TangentChart.build(econ, coordinates=coordinates)
        self._build_stages()

    def __repr__(self) -> str:
        return f"IntervalMap({self.econ.name!r}, n={self.chart.n}, m={self.chart.m})"

    @property
    def m(self) -> int:
        return self.chart.m

    @property
    def n(self) -> int:
        return self.chart.n

    def state_dict(self, u) -> dict:
        """The state (state-file format, floats) at tangent coordinates ``u``."""
        from geo_sym.economy.state import State

        return State.from_flat(self.econ, self.chart.from_tangent(u)).to_dict()

    def state_space_box(self) -> TangentBox:
        """See :func:`state_space_box`."""
        return state_space_box(self.econ, self.chart)

    # -- build: the single definition of the map, run on symbols -----------------------------------
    def _build_stages(self):
        from geo_sym.economy.state import State
        from geo_sym.maps.core import ActiveSet, evaluate_costs
        from geo_sym.maps.symbolic import state_symbols

        econ = self.econ
        A, K = econ.A, econ.K
        ys, ps, pis = state_symbols(econ)
        self.x_symbols = ys + ps + pis
        stages: list[_Stage] = []

        def hook(name, arr):
            arr = np.asarray(arr, dtype=object)
            syms = np.empty(arr.shape, dtype=object)
            exprs = np.empty(arr.shape, dtype=object)
            for idx, e in np.ndenumerate(arr):
                syms[idx] = sp.Symbol(f"{name}__{'_'.join(map(str, idx))}", real=True)
                exprs[idx] = e if isinstance(e, sp.Basic) else sp.Integer(int(e))
            smooth = name in ("v", "q", "c") or (name == "p_new" and econ.price_mechanism.kind != "tatonnement")
            stages.append(_Stage(name, arr.shape, syms, exprs, smooth))
            return syms

        tat = econ.price_mechanism.kind == "tatonnement"
        free = ActiveSet(
            np.zeros((A, K), dtype=np.int8),
            np.zeros((A, K), dtype=bool),
            np.ones((A, K), dtype=bool) if tat else None,
            np.zeros((A, K), dtype=bool) if tat else None,
        )
        st = State(
            np.array(ys, dtype=object).reshape(A, K),
            np.array(ps, dtype=object).reshape(A, K),
            np.array(pis, dtype=object),
        )
        evaluate_costs(econ, st, free, stage=hook)  # the routing is enclosed by softmax_routing
        names = [s.name for s in stages]
        expected = ["v", "y_new"] + (["q"] if tat else []) + ["p_new", "c"]
        if names != expected:
            raise GeoSymError(
                f"interval evaluation expects the map stages {expected}, found {names}; "
                "geo_sym.rigorous.interval must be updated together with geo_sym.maps.core"
            )
        programs: dict = {}  # expression -> its interval program (the same derivative recurs across a stage)
        compiled = [_compile_stage(s, programs) if s.smooth else s for s in stages]
        self.stages = {s.name: s for s in compiled}
        self.stage_order = [s.name for s in compiled]
        self._pi_syms = [sp.Symbol(f"pinew__{j}", real=True) for j in range(econ.n_paths)]
        # constants of the non-smooth pieces
        self._tau = rational_ball(econ.tau)
        self._M = econ.graph.incidence().astype(int)
        self._path_differences = None  # built on the first evaluation (quadratic in the number of paths)
        sets = []
        for S in econ.production_sets:
            if isinstance(S, Ball):
                sets.append(("ball", [rational_ball(c) for c in S.center], rational_ball(S.radius)))
            else:
                sets.append(
                    (
                        "box",
                        [rational_ball(v) for v in S.lo],
                        [rational_ball(v) for v in S.hi],
                        [bool(a == b) for a, b in zip(S.lo, S.hi)],
                    )
                )
        self._sets = sets

    # -- evaluation ------------------------------------------------------------------------------------
    def evaluate(self, box, jacobian: bool = True) -> IntervalImage:
        """Enclose ``Φ`` (and, with ``jacobian``, its slope matrix) over a box.

        Parameters
        ----------
        box : TangentBox or sequence of arb
            In the chart's coordinates (``m`` of them).
        jacobian : bool
            Also accumulate the slope matrix.

        Returns
        -------
        IntervalImage
            ``ok=False`` (never an exception) when the enclosure is not finite or needs a
            division by a ball that contains 0.
        """
        balls = box.balls() if isinstance(box, TangentBox) else list(box)
        if len(balls) != self.m:
            raise ShapeError("box", len(balls), f"{self.m} intervals (the chart's coordinates)")
        try:
            return self._evaluate(balls, jacobian)
        except EnclosureFailure as exc:
            return _fail(str(exc))

    def _evaluate(self, ubox, jacobian: bool) -> IntervalImage:
        """The stages of the map in order: ``v``, ``Proj_Y``, prices, costs, routing; then ``Φ`` and ``S``."""
        for b in ubox:
            if not b.is_finite():
                raise EnclosureFailure("the input box is not finite")
        run = _Pass(self.x_symbols, self.chart.state_balls(ubox), self._seed_slopes() if jacobian else None, self.m)
        st = self.stages
        run.smooth(st["v"])
        self._project(run)
        # prices (eq. (11) or the linear mechanism of eq. (13))
        if self.econ.price_mechanism.kind == "tatonnement":
            run.smooth(st["q"])
            run.write(st["p_new"].symbols.ravel(), *normalize_positive_part(*run.read(st["q"].symbols.ravel()), self.m))
        else:
            run.smooth(st["p_new"])
        run.smooth(st["c"])
        costs, cost_rows = run.read(st["c"].symbols.ravel())
        if self._path_differences is None:
            self._path_differences = PathDifferences(self._M)
        run.write(self._pi_syms, *softmax_routing(costs, cost_rows, self._path_differences, self._tau, self.m))
        return self._assemble(run)

    def _seed_slopes(self) -> dict:
        """Slope rows of the state coordinates: unit rows for the kept ones, ``-1`` on a block for a dropped one."""
        arb = flint_module().arb
        m = self.m
        zero, one, mone = arb(0), arb(1), arb(-1)
        grads = {}
        for i, k in enumerate(self.chart.kept):
            g = [zero] * m
            g[i] = one
            grads[self.x_symbols[k]] = g
        for j, block in self.chart.dropped:
            g = [zero] * m
            for i in block:
                g[i] = mone
            grads[self.x_symbols[j]] = g
        return grads

    def _project(self, run: _Pass) -> None:
        """``Proj_Y`` (eq. (10)) agent by agent, on every branch."""
        v_syms, y_syms = self.stages["v"].symbols, self.stages["y_new"].symbols
        for a, spec in enumerate(self._sets):
            vals, rows = run.read(v_syms[a])
            if spec[0] == "box":
                _, lo, hi, degenerate = spec
                out = [
                    project_box_coordinate(vals[k], lo[k], hi[k], degenerate[k], None if rows is None else rows[k])
                    for k in range(self.econ.K)
                ]
                run.write(y_syms[a], [v for v, _ in out], None if rows is None else [g for _, g in out])
            else:
                _, center, radius = spec
                run.write(y_syms[a], *project_ball(vals, rows, center, radius, self.m))

    def _assemble(self, run: _Pass) -> IntervalImage:
        """``Φ`` in the flat state order, its tangent coordinates and the slope matrix (all finite, or a failure)."""
        flint = flint_module()
        chart = self.chart
        out_syms = list(self.stages["y_new"].symbols.ravel()) + list(self.stages["p_new"].symbols.ravel())
        out_syms += self._pi_syms
        value = [run.env[s] for s in out_syms]
        for v in value:
            if not v.is_finite():
                raise EnclosureFailure("an enclosure of Φ is not finite")
        tvalue = [value[k] for k in chart.kept]
        slope = None
        if run.grads is not None:
            rows = [run.grads[out_syms[k]] for k in chart.kept]
            slope = flint.arb_mat(rows) if self.m else flint.arb_mat(0, 0)
            for row in rows:
                for e in row:
                    if not e.is_finite():
                        raise EnclosureFailure("an enclosure of the slope matrix is not finite")
        return IntervalImage(True, value, tvalue, slope)


class _Pass:
    """One evaluation over a box: the ball of every stage symbol and, with slopes, its slope row."""

    def __init__(self, symbols, balls, grads: dict | None, m: int):
        self.env = dict(zip(symbols, balls))
        self.grads = grads
        self.m = m

    def smooth(self, stage: _Stage) -> None:
        """A compiled smooth stage: values, and slope rows by the chain rule over its exact partial derivatives."""
        env, grads = self.env, self.grads
        zero = flint_module().arb(0)
        for sym, prog, dprogs in stage.programs:
            env[sym] = _value(prog, env)
            if grads is not None:
                acc = [zero] * self.m
                for f, dp in dprogs:
                    d = _value(dp, env)
                    g = grads[f]
                    acc = [a + d * gi for a, gi in zip(acc, g)]
                grads[sym] = acc

    def read(self, syms):
        """The balls of ``syms`` and their slope rows (``None`` without slopes)."""
        vals = [self.env[s] for s in syms]
        return vals, (None if self.grads is None else [self.grads[s] for s in syms])

    def write(self, syms, vals, rows) -> None:
        """Store the balls of ``syms`` and, with slopes, their rows."""
        for s, v in zip(syms, vals):
            self.env[s] = v
        if self.grads is not None:
            for s, g in zip(syms, rows):
                self.grads[s] = g


_INTERVAL_MAPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

#: bits of the rational constants (parameters, bounds) baked into an interval map when it is built
CONSTANT_PREC = 212


def interval_map(econ, coordinates: str = "tangent") -> IntervalMap:
    """The :class:`IntervalMap` of an economy, built once per economy (economies that compare equal share it)."""
    cache = _INTERVAL_MAPS.setdefault(econ, {})
    if coordinates not in cache:
        flint = flint_module()
        old = flint.ctx.prec
        flint.ctx.prec = max(old, CONSTANT_PREC)  # constants exact enough for high-precision evaluations too
        try:
            cache[coordinates] = IntervalMap(econ, coordinates)
        finally:
            flint.ctx.prec = old
    return cache[coordinates]
