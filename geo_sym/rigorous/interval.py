r"""Rigorous interval evaluation of the maps (eq. (10)–(13)) and of their slope matrices.

The backend is Arb (``python-flint``, a core dependency):
every quantity is an Arb ball, arithmetic is rounded outwards, so each computed ball
contains the exact real value for every point of the input box.

What is evaluated
-----------------
The smooth stages of the map are *not* re-typed here: :class:`IntervalMap` runs the single
definition :func:`geo_sym.maps.core.evaluate_map` once on SymPy symbols through its ``stage``
hook and keeps the expressions of the smooth stages (``v = y + α(d - y)``,
``q = p + β(d - y_ref)``, the linear price mechanism ``G y_ref + b``, the agent costs
``c``). Each is compiled to interval code with exact rational constants, together with
its exact partial derivatives (``sympy.diff``). The non-smooth stages are evaluated
here, on every branch at once:

* ``Proj_Y`` (eq. (10)): the value encloses every branch (``clip`` of the ball); its slope
  is ``1`` where the box is certainly free, ``0`` where it is certainly clamped and the
  range ``[0, 1]`` where the box straddles a bound (balls: the hull of ``I`` and of the
  derivative of the radial projection);
* ``normalize(max(0, q))`` (eq. (11)): ``max(0, ·)`` has slope range ``[0, 1]`` across the
  kink; ``normalize`` is evaluated coordinate by coordinate from its monotonicity (its exact
  range over the box of ``max(0, q)``); a sum of positive parts whose ball contains 0
  (``normalize(0)`` possible) makes the evaluation fail;
* ``softmax(-V/τ)`` (eq. (12)) in the form ``π'_j = 1 / Σ_i exp(-(V_i - V_j)/τ)`` with the
  differences ``V_i - V_j = Σ_a (M_{ai} - M_{aj}) c_a`` formed before any interval
  operation, so shared agents cancel exactly and no exponential of a large number appears
  in a denominator (the enclosure does not blow up).

Slopes, not just derivatives
----------------------------
Forward accumulation with interval values gives a matrix ``S(X)`` such that
``Φ(x) - Φ(x') ∈ S(X)(x - x')`` for **every pair** ``x, x'`` of the box ``X`` (mean-value
theorem on the convex hull of each stage's enclosure; ``[0, 1]`` is the slope range of
``max(0, ·)`` and ``clip`` between any two reals). This Lipschitz-matrix property is what
the Krawczyk test and the contraction bound of :mod:`geo_sym.rigorous.certify` need, kinks included.

Coordinates
-----------
Boxes live in *tangent* coordinates (:class:`TangentChart`): the last coordinate of each
simplex block (prices under tâtonnement, routing ``π``) is dropped and rebuilt as
``1 - Σ(others)``: the one chart of the state space, :class:`geo_sym.economy.state.TangentChart`
(``x = T u + e``, ``u = T⁺ x``), whose :meth:`~geo_sym.economy.state.TangentChart.state_balls` is its
interval view. The tangent map ``u ↦ T⁺ Φ(T u + e)`` has a square slope
matrix. ``coordinates="full"`` evaluates in the flat state coordinates instead.

Failure is never success: a ball that is not finite, or a division by a ball that contains
0, makes :meth:`IntervalMap.evaluate` return ``ok=False`` with the reason; callers treat that
box as undecided.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np
import sympy as sp

from geo_sym.economy.production import Ball
from geo_sym.economy.state import TangentChart
from geo_sym.errors import GeoSymError, ShapeError

__all__ = [
    "OptionalDependencyError",
    "require_flint",
    "FLINT_INSTALL_HINT",
    "TangentBox",
    "IntervalImage",
    "IntervalMap",
    "interval_map",
    "state_space_box",
]

FLINT_INSTALL_HINT = "pip install python-flint (a dependency of geo-sym; reinstall geo-sym)"


from geo_sym.errors import OptionalDependencyError  # noqa: E402  (the package's one class for this)


def require_flint():
    """Import ``flint`` (python-flint, the Arb backend) or raise :class:`OptionalDependencyError`."""
    try:
        import flint
    except ImportError as exc:
        raise OptionalDependencyError(
            "rigorous certificates need python-flint (Arb interval arithmetic), which is not installed: "
            f"{FLINT_INSTALL_HINT}  (or: pip install python-flint)"
        ) from exc
    return flint


class EnclosureFailure(GeoSymError, ArithmeticError):
    """An interval operation could not produce a finite enclosure (internal; turned into ``ok=False``)."""


# ------------------------------------------------------------------------------------ tight interval ops
# Arb balls are midpoint–radius; products and monotone functions of wide balls are computed from the
# endpoints so that signs are kept (a ball product of [0, 3] by itself would include negative numbers).
_F = None  # the flint module, bound by require_flint() on first use


def _flint():
    global _F
    if _F is None:
        _F = require_flint()
    return _F


def _hull(lo, hi):
    """The ball of the interval ``[lo, hi]`` (``lo``, ``hi`` exact or balls; outward)."""
    return lo.union(hi)


def _is_wide(a) -> bool:
    return not a.is_exact() and a.rad() > 1e-6 * abs(a.mid())


def imul(a, b):
    """Interval product, tight for wide operands (endpoint products), ball product otherwise."""
    if a.is_exact() or b.is_exact() or not (_is_wide(a) and _is_wide(b)):
        return a * b
    al, ah, bl, bh = a.lower(), a.upper(), b.lower(), b.upper()
    ps = (al * bl, al * bh, ah * bl, ah * bh)
    lo = ps[0].lower()
    hi = ps[0].upper()
    for p in ps[1:]:
        pl, ph = p.lower(), p.upper()
        if pl < lo:
            lo = pl
        if ph > hi:
            hi = ph
    return _hull(lo, hi)


def iabs(a):
    """``|a|`` with a lower bound of 0 when the ball contains 0 (Arb's ``abs`` keeps ``|mid| ± rad``)."""
    if a >= 0:
        return a
    if a <= 0:
        return -a
    return _hull(_flint().arb(0), a.abs_upper())


def isqr(a):
    """``a²`` (non-negative, tight)."""
    b = iabs(a)
    if not _is_wide(b):
        return b * b
    lo, hi = b.lower().max(_flint().arb(0)), b.upper()
    return _hull((lo * lo).lower().max(_flint().arb(0)), (hi * hi).upper())


def iexp(a):
    """``exp`` from the endpoints (monotone), positive even for wide balls."""
    if not a.is_finite():
        raise EnclosureFailure("exp of a non-finite ball")
    if not _is_wide(a):
        return a.exp()
    return _hull(a.lower().exp().lower(), a.upper().exp().upper())


def irecip(a):
    """``1/a``; fails when the ball of ``a`` contains 0 or is not finite."""
    if not a.is_finite() or not (a > 0 or a < 0):
        raise EnclosureFailure(f"division by a ball that contains 0 ({a.str(5)})")
    if not _is_wide(a):
        return 1 / a
    lo, hi = a.lower(), a.upper()
    return _hull((1 / hi).lower(), (1 / lo).upper())


def idiv(a, b):
    return imul(a, irecip(b))


def isqrt(a):
    """``sqrt`` of a quantity known to be non-negative (a squared norm): negative parts are cut off."""
    if not a.is_finite() or a.upper() < 0:
        raise EnclosureFailure("square root of a ball with no non-negative values")
    a = a.max(_flint().arb(0))
    return _hull(a.lower().sqrt().lower(), a.upper().sqrt().upper())


def _intersect(a, b):
    """``a ∩ b`` as a ball; fails when they are disjoint (a contradiction for a true enclosure)."""
    try:
        return a.intersection(b)
    except ValueError:
        raise EnclosureFailure("enclosures that must overlap are disjoint") from None


def _q(r):
    """An exact SymPy rational as an Arb ball (exact when dyadic)."""
    flint = _flint()
    r = sp.Rational(r)
    if r.q == 1:
        return flint.arb(int(r.p))
    return flint.arb(flint.fmpq(int(r.p), int(r.q)))


def float_down(a) -> float:
    """A float ``≤`` every point of the ball ``a`` (``-inf`` when not finite)."""
    if not a.is_finite():
        return -math.inf
    lo = a.lower()
    f = float(lo)
    if _flint().arb(f) > lo:
        f = math.nextafter(f, -math.inf)
    return f


def float_up(a) -> float:
    """A float ``≥`` every point of the ball ``a`` (``+inf`` when not finite)."""
    if not a.is_finite():
        return math.inf
    hi = a.upper()
    f = float(hi)
    if _flint().arb(f) < hi:
        f = math.nextafter(f, math.inf)
    return f


# ------------------------------------------------------------------------------------ coordinates
@dataclass(frozen=True, eq=False)
class TangentBox:
    """An axis-aligned box ``[lo, hi]`` in tangent coordinates; the endpoints are floats (exact dyadics)."""

    lo: np.ndarray
    hi: np.ndarray

    def __repr__(self) -> str:
        return f"TangentBox(m={self.lo.size}, max_width={self.max_width:.3g})"

    @staticmethod
    def around(center, radius) -> TangentBox:
        """``[c - r, c + r]`` with outward rounding of the float endpoints."""
        c = np.asarray(center, dtype=float)
        r = np.broadcast_to(np.asarray(radius, dtype=float), c.shape)
        lo = np.nextafter(c - r, -np.inf)
        hi = np.nextafter(c + r, np.inf)
        return TangentBox(lo, hi)

    @property
    def width(self) -> np.ndarray:
        return self.hi - self.lo

    @property
    def max_width(self) -> float:
        return float(np.max(self.width)) if self.lo.size else 0.0

    @property
    def mid(self) -> np.ndarray:
        return np.clip(0.5 * (self.lo + self.hi), self.lo, self.hi)

    def balls(self):
        """The box as Arb balls (each contains ``[lo_i, hi_i]``)."""
        arb = _flint().arb
        return [arb(float(a)).union(arb(float(b))) if a != b else arb(float(a)) for a, b in zip(self.lo, self.hi)]

    def contains(self, u) -> bool:
        u = np.asarray(u, dtype=float)
        return bool(np.all(self.lo <= u) and np.all(u <= self.hi))

    def subset_of(self, other: TangentBox) -> bool:
        return bool(np.all(other.lo <= self.lo) and np.all(self.hi <= other.hi))

    def disjoint_from(self, other: TangentBox) -> bool:
        return bool(np.any(self.hi < other.lo) or np.any(other.hi < self.lo))

    def bisect(self, i: int) -> tuple[TangentBox, TangentBox]:
        m = 0.5 * (self.lo[i] + self.hi[i])
        hi1 = self.hi.copy()
        hi1[i] = m
        lo2 = self.lo.copy()
        lo2[i] = m
        return TangentBox(self.lo.copy(), hi1), TangentBox(lo2, self.hi.copy())

    def intersect_balls(self, balls) -> TangentBox | None:
        """``self ∩ hull(balls)`` with outward-rounded float endpoints, ``None`` when empty."""
        lo = self.lo.copy()
        hi = self.hi.copy()
        for i, b in enumerate(balls):
            lo[i] = max(lo[i], float_down(b))
            hi[i] = min(hi[i], float_up(b))
        if np.any(lo > hi):
            return None
        return TangentBox(lo, hi)

    def to_list(self) -> list:
        return [[float(a), float(b)] for a, b in zip(self.lo, self.hi)]


# ------------------------------------------------------------------------------------ compiled expressions
def _compile(expr):
    """Interval code for a SymPy expression: an Arb constant or a callable ``f(values) -> arb``."""
    if expr.is_Rational:
        return _q(expr)
    if expr.is_Symbol:
        return lambda env, s=expr: env[s]
    if expr.is_Add:
        parts = [_compile(a) for a in expr.args]
        const = sum((p for p in parts if not callable(p)), _flint().arb(0))
        funcs = [p for p in parts if callable(p)]

        def add(env):
            acc = const
            for f in funcs:
                acc = acc + f(env)
            return acc

        return add
    if expr.is_Mul:
        parts = [_compile(a) for a in expr.args]
        const = _flint().arb(1)
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
                out = irecip(_ipow(b, -k))
            else:
                out = _ipow(b, k)
            return out

        return power
    if isinstance(expr, sp.exp):
        arg = _compile(expr.args[0])
        return lambda env: iexp(arg(env) if callable(arg) else arg)
    raise GeoSymError(
        f"interval evaluation does not support the expression {expr} (type {type(expr).__name__}) "
        "in a smooth stage of the map"
    )


def _ipow(b, k: int):
    out = None
    for _ in range(k):
        out = b if out is None else imul(out, b)
    return out if out is not None else _flint().arb(1)


def _value(prog, env):
    return prog(env) if callable(prog) else prog


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
    :mod:`geo_sym.rigorous.certify` works with any object offering ``m``, ``chart``, ``evaluate``,
    ``state_dict`` and ``state_space_box`` (the protocol of this class).

    Built from :func:`geo_sym.maps.core.evaluate_map` on SymPy symbols (smooth stages reused,
    non-smooth ones evaluated on every branch); build once per economy
    (:func:`interval_map` caches).
    """

    def __init__(self, econ, coordinates: str = "tangent"):
        _flint()
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
        from geo_sym.maps.core import ActiveSet, evaluate_map
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
        evaluate_map(econ, st, free, stage=hook)
        names = [s.name for s in stages]
        expected = ["v", "y_new"] + (["q"] if tat else []) + ["p_new", "c"]
        if names != expected:
            raise GeoSymError(
                f"interval evaluation expects the map stages {expected}, found {names}; "
                "geo_sym.rigorous.interval must be updated together with geo_sym.maps.core"
            )
        compiled = []
        for s in stages:
            if s.smooth:
                progs = []
                for idx, sym in np.ndenumerate(s.symbols):
                    e = s.exprs[idx]
                    free_syms = sorted(e.free_symbols, key=str)
                    progs.append((sym, _compile(e), [(f, _compile(sp.diff(e, f))) for f in free_syms]))
                s = _Stage(s.name, s.shape, s.symbols, s.exprs, True, progs)
            compiled.append(s)
        self.stages = {s.name: s for s in compiled}
        self.stage_order = [s.name for s in compiled]
        self._pi_syms = [sp.Symbol(f"pinew__{j}", real=True) for j in range(econ.n_paths)]
        # constants of the non-smooth pieces
        self._tau = _q(econ.tau)
        self._M = econ.graph.incidence().astype(int)
        sets = []
        for S in econ.production_sets:
            if isinstance(S, Ball):
                sets.append(("ball", [_q(c) for c in S.center], _q(S.radius)))
            else:
                sets.append(
                    ("box", [_q(v) for v in S.lo], [_q(v) for v in S.hi], [bool(a == b) for a, b in zip(S.lo, S.hi)])
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
        flint = _flint()
        arb = flint.arb
        chart = self.chart
        m = self.m
        zero = arb(0)
        for b in ubox:
            if not b.is_finite():
                raise EnclosureFailure("the input box is not finite")
        xb = chart.state_balls(ubox)
        env = dict(zip(self.x_symbols, xb))
        grads = {}
        if jacobian:
            one, mone = arb(1), arb(-1)
            for i, k in enumerate(chart.kept):
                g = [zero] * m
                g[i] = one
                grads[self.x_symbols[k]] = g
            for j, block in chart.dropped:
                g = [zero] * m
                for i in block:
                    g[i] = mone
                grads[self.x_symbols[j]] = g

        def run_smooth(stage):
            for sym, prog, dprogs in stage.programs:
                env[sym] = _value(prog, env)
                if jacobian:
                    acc = [zero] * m
                    for f, dp in dprogs:
                        d = _value(dp, env)
                        g = grads[f]
                        acc = [a + d * gi for a, gi in zip(acc, g)]
                    grads[sym] = acc

        econ = self.econ
        K = econ.K
        st = self.stages
        run_smooth(st["v"])
        # Proj_Y (eq. (10)) on every branch
        v_syms, y_syms = st["v"].symbols, st["y_new"].symbols
        for a, spec in enumerate(self._sets):
            if spec[0] == "box":
                _, lo, hi, degenerate = spec
                for k in range(K):
                    vs, ysym = v_syms[a, k], y_syms[a, k]
                    val = env[vs]
                    out = val.max(lo[k]).min(hi[k])
                    env[ysym] = out
                    if jacobian:
                        if degenerate[k] or val <= lo[k] or val >= hi[k]:
                            grads[ysym] = [zero] * m
                        elif val >= lo[k] and val <= hi[k]:
                            grads[ysym] = grads[vs]
                        else:
                            grads[ysym] = [_unit_slope() * g for g in grads[vs]]
            else:
                self._project_ball(a, spec, env, grads, jacobian)
        # prices (eq. (11) or the linear mechanism of eq. (13))
        if econ.price_mechanism.kind == "tatonnement":
            run_smooth(st["q"])
            self._normalize_positive_part(env, grads, jacobian)
        else:
            run_smooth(st["p_new"])
        run_smooth(st["c"])
        self._softmax(env, grads, jacobian)
        # assemble Φ in the flat state order
        out_syms = list(y_syms.ravel()) + list(st["p_new"].symbols.ravel()) + self._pi_syms
        value = [env[s] for s in out_syms]
        for v in value:
            if not v.is_finite():
                raise EnclosureFailure("an enclosure of Φ is not finite")
        tvalue = [value[k] for k in chart.kept]
        slope = None
        if jacobian:
            rows = [grads[out_syms[k]] for k in chart.kept]
            slope = flint.arb_mat(rows) if m else flint.arb_mat(0, 0)
            for row in rows:
                for e in row:
                    if not e.is_finite():
                        raise EnclosureFailure("an enclosure of the slope matrix is not finite")
        return IntervalImage(True, value, tvalue, slope)

    def _project_ball(self, a, spec, env, grads, jacobian):
        """Euclidean projection onto a ball, on both branches (inside: identity; outside: radial)."""
        arb = _flint().arb
        _, center, radius = spec
        K = self.econ.K
        m = self.m
        v_syms, y_syms = self.stages["v"].symbols[a], self.stages["y_new"].symbols[a]
        vals = [env[s] for s in v_syms]
        z = [v - c for v, c in zip(vals, center)]
        nrm2 = sum((isqr(t) for t in z), arb(0))
        r2 = isqr(radius)
        if nrm2 <= r2:  # certainly inside: identity
            for k in range(K):
                env[y_syms[k]] = vals[k]
                if jacobian:
                    grads[y_syms[k]] = grads[v_syms[k]]
            return
        inside_possible = not (nrm2 > r2)
        nrm = isqrt(nrm2.max(r2) if inside_possible else nrm2)  # |z| on the outside branch is >= r
        unit = arb(0, 1)  # [-1, 1] (radius rounded up: contains it)
        n = [_intersect(idiv(t, nrm), unit) for t in z]
        box_lo = [c - radius for c in center]
        for k in range(K):
            out = center[k] + imul(radius, n[k])
            if inside_possible:
                out = out.union(vals[k])
            env[y_syms[k]] = _intersect(out, box_lo[k].union(center[k] + radius))
        if jacobian:
            scale = idiv(radius, nrm)
            P = [[imul(scale, 1 - isqr(n[i]) if i == j else -imul(n[i], n[j])) for j in range(K)] for i in range(K)]
            if inside_possible:
                P = [[P[i][j].union(arb(1 if i == j else 0)) for j in range(K)] for i in range(K)]
            for i in range(K):
                acc = [arb(0)] * m
                for j in range(K):
                    g = grads[v_syms[j]]
                    acc = [x + P[i][j] * gi for x, gi in zip(acc, g)]
                grads[y_syms[i]] = acc

    def _normalize_positive_part(self, env, grads, jacobian):
        """``p' = normalize(max(0, q))`` (eq. (11)): tight values from monotonicity, slopes with ``[0, 1]`` kinks."""
        arb = _flint().arb
        m = self.m
        q_syms = list(self.stages["q"].symbols.ravel())
        p_syms = list(self.stages["p_new"].symbols.ravel())
        zero = arb(0)
        r = [env[s].max(zero) for s in q_syms]
        lo = [x.lower().max(zero) for x in r]  # exact endpoints
        hi = [x.upper() for x in r]
        total = sum(r, arb(0))
        if not total.is_finite() or not total > 0:
            raise EnclosureFailure(
                "normalize(max(0, q)) over the box: the sum of the positive parts is a ball "
                "that contains 0 (normalize(0), eq. (11), cannot be excluded)"
            )
        sum_lo = sum(lo, arb(0))
        sum_hi = sum(hi, arb(0))
        vals = []
        for i in range(len(r)):
            den_lo = lo[i] + (sum_hi - hi[i])  # smallest p'_i: own part low, the others high
            den_hi = hi[i] + (sum_lo - lo[i])  # largest p'_i: own part high, the others low
            low = idiv(lo[i], den_lo) if lo[i] > 0 else arb(0)
            high = idiv(hi[i], den_hi) if hi[i] > 0 else arb(0)
            vals.append(_intersect(_hull(low.lower().max(zero), high.upper().min(arb(1))), arb(0.5, 0.5)))
        for s, v in zip(p_syms, vals):
            env[s] = v
        if not jacobian:
            return
        rgrads = []
        for s, _x in zip(q_syms, r):
            qv = env[s]
            if qv >= 0:
                rgrads.append(grads[s])
            elif qv <= 0:
                rgrads.append([zero] * m)
            else:
                rgrads.append([_unit_slope() * g for g in grads[s]])
        gsum = [sum(col, arb(0)) for col in zip(*rgrads)] if rgrads else []
        inv_total = irecip(total)
        for i, s in enumerate(p_syms):
            grads[s] = [inv_total * (gi - vals[i] * gs) for gi, gs in zip(rgrads[i], gsum)]

    def _softmax(self, env, grads, jacobian):
        """``π' = softmax(-V/τ)`` (eq. (12)) as ``1 / Σ_i exp(-(V_i - V_j)/τ)``, differences formed exactly."""
        arb = _flint().arb
        M = self._M
        A, P = M.shape
        m = self.m
        c_syms = list(self.stages["c"].symbols.ravel())
        c = [env[s] for s in c_syms]
        tau_inv = irecip(self._tau)
        pis = []
        for j in range(P):
            total = arb(0)
            for i in range(P):
                if i == j:
                    total = total + 1
                    continue
                diff = arb(0)
                for a in range(A):
                    coef = int(M[a, i]) - int(M[a, j])
                    if coef:
                        diff = diff + coef * c[a]
                total = total + iexp(-imul(diff, tau_inv))
            pis.append(_intersect(irecip(total), arb(0.5, 0.5)))
        for s, v in zip(self._pi_syms, pis):
            env[s] = v
        if not jacobian:
            return
        w_new = [_intersect(sum((pis[j] for j in range(P) if M[a, j]), arb(0)), arb(0.5, 0.5)) for a in range(A)]
        zero = arb(0)
        for j in range(P):
            acc = [zero] * m
            for a in range(A):
                coef = imul(-imul(pis[j], tau_inv), int(M[a, j]) - w_new[a])
                g = grads[c_syms[a]]
                acc = [x + coef * gi for x, gi in zip(acc, g)]
            grads[self._pi_syms[j]] = acc


def _unit_slope():
    """The slope range ``[0, 1]`` of ``max(0, ·)`` and of ``clip`` across a kink."""
    return _flint().arb(0.5, 0.5)


_INTERVAL_MAPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

#: bits of the rational constants (parameters, bounds) baked into an interval map when it is built
CONSTANT_PREC = 212


def interval_map(econ, coordinates: str = "tangent") -> IntervalMap:
    """The :class:`IntervalMap` of an economy, built once per economy (economies that compare equal share it)."""
    cache = _INTERVAL_MAPS.setdefault(econ, {})
    if coordinates not in cache:
        flint = _flint()
        old = flint.ctx.prec
        flint.ctx.prec = max(old, CONSTANT_PREC)  # constants exact enough for high-precision evaluations too
        try:
            cache[coordinates] = IntervalMap(econ, coordinates)
        finally:
            flint.ctx.prec = old
    return cache[coordinates]


def state_space_box(econ, chart: TangentChart | None = None) -> TangentBox:
    """A box in tangent coordinates that contains every fixed point of the map.

    ``y``: the bounding box of each production set (fixed points satisfy ``y = Proj_Y(·) ∈ Y``);
    prices under tâtonnement and routing: ``[0, 1]`` (simplex coordinates); linear prices: the
    range of ``G y_ref + b`` over the bounding boxes (``p = A_K(y')`` at a fixed point, eq. (13)).
    """
    _flint()
    chart = TangentChart.build(econ) if chart is None else chart
    A, K = econ.A, econ.K
    ylo, yhi = [], []
    for S in econ.production_sets:
        if isinstance(S, Ball):
            ylo += [S.center[k] - S.radius for k in range(K)]
            yhi += [S.center[k] + S.radius for k in range(K)]
        else:
            ylo += list(S.lo)
            yhi += list(S.hi)
    lo_full = [float_down(_q(v)) for v in ylo]
    hi_full = [float_up(_q(v)) for v in yhi]
    pm = econ.price_mechanism
    if pm.kind == "tatonnement":
        lo_full += [0.0] * (A * K)
        hi_full += [1.0] * (A * K)
    else:
        ybox = [_q(a).union(_q(b)) for a, b in zip(ylo, yhi)]
        for i in range(A * K):
            acc = _q(pm.b[i])
            row = pm.G[i]
            for j in range(A * K):
                if row[j] != 0:
                    acc = acc + _q(row[j]) * ybox[j]
            lo_full.append(float_down(acc))
            hi_full.append(float_up(acc))
    lo_full += [0.0] * econ.n_paths
    hi_full += [1.0] * econ.n_paths
    lo = np.array(lo_full)[chart.kept]
    hi = np.array(hi_full)[chart.kept]
    return TangentBox(lo, hi)
