"""Independent re-check of refutation witnesses (``geo-sym verify``; docs/witness-format.md).

This module is the *witness verifier* of DESIGN.md ("Evidence standards"): it re-checks a
counterexample with code that did not find it. It therefore does **not** use the map, Jacobian,
DAG, production-set, state or symbolic code of :mod:`geo_sym`, nor anything else in
:mod:`proofs`. From :mod:`geo_sym` it uses only

* :meth:`geo_sym.economy.spec.Economy.from_dict` — to *validate* the witness's economy (bad input is
  reported with the field that is wrong); the economy is then re-read here from the raw dict;
* :func:`geo_sym.economy.numbers.parse_number` — exact numbers from ``"p/q"`` strings, ints, floats and
  decimal strings (a fixed grammar: nothing is evaluated as code);
* :mod:`geo_sym.errors` — the exception hierarchy.

Everything else is written here from the spec: path enumeration, both maps with both price
mechanisms, box and ball projections, SLO terms, supply and profit, Jacobians (SymPy
differentiation of the map written on the active branch at the point, then exact substitution),
tangent coordinates, characteristic polynomials.

How equalities and inequalities are decided
-------------------------------------------
All inputs are rational (decimal strings are read exactly). Quantities that involve ``exp`` are
exact SymPy expressions. A quantity is declared zero only by an exact argument:

* rational: direct;
* exponentials of rationals only: every ``exp(r)`` is a power of ``t = exp(1/L)``
  (``L`` = lcm of the denominators), so the quantity is a rational function of the single
  transcendental number ``t`` with rational coefficients; it is zero iff its cancelled numerator
  is the zero polynomial (``t`` is transcendental by Lindemann);
* algebraic (square roots from balls, no ``exp``): its minimal polynomial is ``x``.

A sign is taken from the exact zero test and, when non-zero, from ``mpmath.iv`` interval
arithmetic at 60, 120 and 240 digits, accepted only when the interval excludes 0. A comparison
that cannot be decided this way makes the check fail ("undecided"), never a float comparison.

A wrong but well-formed witness gives ``ok=False`` with a one-line message naming the failed
check (missing kind-specific keys included). Malformed input — not JSON, no ``kind``, no or an
invalid ``economy``, numbers that do not parse, arrays of the wrong shape — raises a
:class:`geo_sym.errors.GeoSymError` subclass naming the field.
"""

from __future__ import annotations

import json
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import mpmath
import sympy as sp
from mpmath import iv
from sympy.polys.constructor import construct_domain
from sympy.polys.matrices import DomainMatrix

from geo_sym.economy.numbers import parse_number
from geo_sym.economy.spec import Economy
from geo_sym.errors import ModelFileError, ShapeError, ValidationError

__all__ = ["VerifyResult", "verify_witness", "verify_document", "verify_file", "KINDS"]

KINDS = (
    "a_priori_bound",
    "walras_value",
    "fixed_point_condition",
    "pareto_dominance",
    "not_decentralizable",
    "spectral_radius",
    "operator_norm",
    "undefined_map",
    "dimension",
    "iteration_count",
)

TOLERANCE = sp.Rational(1, 10**40)  # "residual < 1e-40" / "to 1e-40" of the spec
DPS_LADDER = (60, 120, 240)  # interval precisions tried, in decimal digits
MAX_PATHS = 5000  # refuse to enumerate more maximal paths than this
MAX_ITERATIONS = 100_000  # iteration_count: largest observed.iterations re-run
MAX_T_DEGREE = 5000  # largest power of t = exp(1/L) handled exactly

_T = sp.Symbol("t", positive=True)  # stands for exp(1/L) in exact zero tests


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of re-checking one witness.

    ok : bool
        True when the witness is confirmed: the counterexample holds.
    kind : str
        The witness kind.
    message : str
        One line: what was confirmed, or which check failed.
    details : dict
        Recomputed figures, as strings.
    """

    ok: bool
    kind: str
    message: str
    details: dict = field(default_factory=dict)


class _Fail(Exception):
    """A check of a well-formed witness failed (becomes ``ok=False``)."""


class _Undefined(_Fail):
    """The map needs ``normalize(0)`` at the state."""


# ============================================================================ exact decisions
def _expr(e):
    """A SymPy number/expression from a value computed here (never from text)."""
    if isinstance(e, sp.Basic):
        return e
    if isinstance(e, int) and not isinstance(e, bool):
        return sp.Integer(e)
    raise TypeError(f"unexpected value {e!r}")


def _exp_exponents(e):
    """Rational exponents of every exponential in ``e``; ``None`` if one is not rational."""
    out = []
    for a in e.atoms(sp.exp):
        if not a.args[0].is_Rational:
            return None
        out.append(a.args[0])
    if e.has(sp.E):
        out.append(sp.Integer(1))
    return out


def _is_rational_function_of_t(f) -> bool:
    if f.free_symbols - {_T}:
        return False
    if f.atoms(sp.Function) or f.has(sp.E, sp.pi, sp.I):
        return False
    return all(pw.exp.is_Integer for pw in f.atoms(sp.Pow))


def _t_forms(exprs):
    """Write every expression as a rational function of ``t = exp(1/L)`` (one common ``L``).

    Returns the list of expressions in ``t`` (cancelled), or ``None`` when some expression is not
    a rational function of exponentials of rationals with rational coefficients, or the degrees
    would exceed :data:`MAX_T_DEGREE`.
    """
    exps = []
    for e in exprs:
        got = _exp_exponents(e)
        if got is None:
            return None
        exps.extend(got)
    L = 1
    for r in exps:
        L = math.lcm(L, int(r.q))
    if exps and max(abs(r * L) for r in exps) > MAX_T_DEGREE:
        return None
    rep = {sp.exp(r): _T ** int(r * L) for r in set(exps)}
    out = []
    for e in exprs:
        f = e.xreplace(rep) if rep else e
        if not _is_rational_function_of_t(f):
            return None
        out.append(sp.cancel(sp.together(f)))
    return out


def _exact_zero(e):
    """``True``/``False`` when ``e == 0`` is decided exactly, ``None`` when it cannot be."""
    e = _expr(e)
    if e.is_Rational:
        return e == 0
    tf = _t_forms([e])
    if tf is not None:
        return tf[0] == 0
    if not e.free_symbols and not e.atoms(sp.Function) and not e.has(sp.E, sp.pi, sp.I):
        try:  # an algebraic number (radicals of rationals): zero iff its minimal polynomial is x
            x = sp.Dummy("x")
            return sp.minimal_polynomial(e, x) == x
        except Exception:  # noqa: BLE001 - any failure means "not decided exactly"
            return None
    return None


@contextmanager
def _iv_digits(dps: int):
    old = iv.prec
    iv.dps = dps
    try:
        yield
    finally:
        iv.prec = old


def _ivq(r):
    """An enclosure of the rational ``r`` (at the current interval precision)."""
    r = sp.Rational(r)
    if r.q == 1:
        return iv.mpf(int(r.p))
    return iv.mpf(int(r.p)) / iv.mpf(int(r.q))


def _iv_eval(e, memo=None):
    """Interval enclosure of a closed SymPy expression (rationals, +, *, powers, exp, log)."""
    if memo is None:
        memo = {}
    if e in memo:
        return memo[e]
    if e.is_Rational:
        out = _ivq(e)
    elif e is sp.E:
        out = iv.exp(iv.mpf(1))
    elif e.is_Add:
        out = iv.mpf(0)
        for a in e.args:
            out = out + _iv_eval(a, memo)
    elif e.is_Mul:
        out = iv.mpf(1)
        for a in e.args:
            out = out * _iv_eval(a, memo)
    elif e.is_Pow:
        base, ex = e.args
        b = _iv_eval(base, memo)
        if ex.is_Integer:
            n = int(ex)
            out = b ** abs(n) if n else iv.mpf(1)
            if n < 0:
                out = 1 / out
        elif ex == sp.Rational(1, 2):
            out = iv.sqrt(b)
        elif ex == -sp.Rational(1, 2):
            out = 1 / iv.sqrt(b)
        else:
            out = iv.exp(_iv_eval(ex, memo) * iv.log(b))
    elif isinstance(e, sp.exp):
        out = iv.exp(_iv_eval(e.args[0], memo))
    elif isinstance(e, sp.log):
        out = iv.log(_iv_eval(e.args[0], memo))
    else:
        raise _Fail(f"cannot enclose {e} in interval arithmetic")
    memo[e] = out
    return out


def _lo(x):
    return mpmath.mp.make_mpf(x._mpi_[0])


def _hi(x):
    return mpmath.mp.make_mpf(x._mpi_[1])


def _sign(e, what: str) -> int:
    """The sign of ``e``, decided exactly or by an interval that excludes 0; else the check fails."""
    e = _expr(e)
    if e.is_Rational:
        return int(bool(e > 0)) - int(bool(e < 0))
    z = _exact_zero(e)
    if z:
        return 0
    for dps in DPS_LADDER:
        with _iv_digits(dps):
            x = _iv_eval(e)
            if _lo(x) > 0:
                return 1
            if _hi(x) < 0:
                return -1
    raise _Fail(
        f"{what}: sign undecided (not exactly zero-testable and its enclosure at {DPS_LADDER[-1]} digits contains 0)"
    )


def _below(e, tol) -> bool:
    """``|e| < tol`` with certainty (exact, or by an interval enclosure)."""
    e = _expr(e)
    if e.is_Rational:
        return abs(e) < tol
    if _exact_zero(e):
        return True
    for dps in DPS_LADDER:
        with _iv_digits(dps):
            x = _iv_eval(e)
            t = _ivq(tol)
            if _hi(x) < _lo(t) and _lo(x) > -_lo(t):
                return True
            if _lo(x) >= _hi(t) or _hi(x) <= -_hi(t):
                return False
    return False


def _same(computed, given, allow_tol: bool):
    """``"exactly"`` / ``"to 1e-40"`` when ``computed`` equals ``given``, else ``None``."""
    diff = _expr(computed) - given
    if _exact_zero(diff):
        return "exactly"
    if allow_tol and _below(diff, TOLERANCE):
        return "to 1e-40"
    return None


def _fmt(e) -> str:
    """A figure as a string: ``"p/q"`` when rational, else the expression and ~30 digits."""
    e = _expr(e)
    if e.is_Rational:
        return str(e)
    try:
        with _iv_digits(40):
            x = _iv_eval(e)
            mid = mpmath.nstr((_lo(x) + _hi(x)) / 2, 30)
    except Exception:  # noqa: BLE001 - display only
        mid = "?"
    text = str(e)
    if len(text) > 120:
        text = text[:117] + "..."
    return f"{text} ≈ {mid}"


# ============================================================================ the economy
@dataclass
class _Model:
    names: list
    A: int
    K: int
    u: list  # A × K demand profiles
    sets: list  # ("box", lo, hi) | ("ball", center, radius)
    paths: list  # tuples of agent indices, lexicographic
    member: list  # A × |P|: agent a on path j
    sequential: bool
    alpha: object
    beta: object
    tau: object
    linear: bool  # price mechanism A_K(y) = G y + b (else tâtonnement)
    G: list
    b: list
    revenue_new: bool  # sequential_revenue: new
    cost: list | None  # λ1 r_lat − λ2 r_qual (per coordinate) when an slo section is present

    @property
    def P(self) -> int:
        return len(self.paths)


def _maximal_paths(A: int, edges) -> list:
    succ = [[] for _ in range(A)]
    indeg = [0] * A
    for i, j in edges:
        succ[i].append(j)
        indeg[j] += 1
    found = set()
    for s in range(A):
        if indeg[s]:
            continue
        stack = [(s,)]
        while stack:
            path = stack.pop()
            nxt = succ[path[-1]]
            if not nxt:
                found.add(path)
                if len(found) > MAX_PATHS:
                    raise _Fail(
                        f"the DAG has more than {MAX_PATHS} maximal paths; "
                        "the verifier enumerates paths and refuses this size"
                    )
                continue
            for j in nxt:
                stack.append(path + (j,))
    return sorted(found)


def _vec(value, fieldname: str, n: int) -> list:
    if not isinstance(value, (list, tuple)):
        raise ShapeError(fieldname, value, f"a list of {n} numbers")
    if len(value) != n:
        raise ShapeError(fieldname, value, f"a list of {n} numbers, got {len(value)}")
    return [parse_number(v, f"{fieldname}[{i}]") for i, v in enumerate(value)]


def _mat(value, fieldname: str, rows: int, cols: int) -> list:
    if not isinstance(value, (list, tuple)):
        raise ShapeError(fieldname, value, f"a list of {rows} rows of {cols} numbers")
    if len(value) != rows:
        raise ShapeError(fieldname, value, f"{rows} rows, got {len(value)}")
    return [_vec(r, f"{fieldname}[{i}]", cols) for i, r in enumerate(value)]


def _model(raw) -> _Model:
    """Validate the economy with :meth:`Economy.from_dict`, then read it here independently."""
    if not isinstance(raw, dict):
        raise ModelFileError("economy", raw, "an economy object in the file format of DESIGN.md")
    Economy.from_dict(raw, source="economy")  # validation only: raises naming the field
    agents = raw["agents"]
    names = [str(a["name"]) for a in agents]
    u = [[parse_number(v, f"economy.agents[{i}].demand") for v in a["demand"]] for i, a in enumerate(agents)]
    K = len(u[0])
    sets = []
    for i, a in enumerate(agents):
        f = f"economy.agents[{i}]"
        if "box" in a:
            rows = [[parse_number(x, f"{f}.box") for x in row] for row in a["box"]]
            sets.append(("box", [r[0] for r in rows], [r[1] for r in rows]))
        else:
            c = [parse_number(x, f"{f}.ball.center") for x in a["ball"]["center"]]
            sets.append(("ball", c, parse_number(a["ball"]["radius"], f"{f}.ball.radius")))
    index = {n: i for i, n in enumerate(names)}
    edges = [(index[str(e[0])], index[str(e[1])]) for e in (raw.get("edges") or [])]
    paths = _maximal_paths(len(names), edges)
    member = [[a in path for path in paths] for a in range(len(names))]
    params = raw["parameters"]
    alpha = parse_number(params["alpha"], "economy.parameters.alpha")
    tau = parse_number(params["tau"], "economy.parameters.tau")
    beta = parse_number(params["beta"], "economy.parameters.beta") if "beta" in params else None
    pm = raw.get("price_mechanism") or {"kind": "tatonnement"}
    n = len(names) * K
    linear = pm.get("kind") == "linear"
    G, b = None, None
    if linear:
        if "gamma" in pm:
            g = parse_number(pm["gamma"], "economy.price_mechanism.gamma")
            G = [[g if i == j else sp.Integer(0) for j in range(n)] for i in range(n)]
        else:
            G = _mat(pm["G"], "economy.price_mechanism.G", n, n)
        b = _vec(pm["b"], "economy.price_mechanism.b", n) if "b" in pm else [sp.Integer(0)] * n
    cost = None
    slo = raw.get("slo")
    if slo is not None:
        weights = slo.get("weights") or {}
        lam = {m: parse_number(weights.get(m, 0), f"economy.slo.weights.{m}") for m in ("latency", "quality")}
        readouts = slo.get("readouts") or {}
        metrics = raw.get("metrics") or {}
        metric_names = [str(x) for x in metrics.get("names", [])]
        stats = metrics.get("stats", 1)
        r = {}
        for m in ("latency", "quality"):
            if m in readouts:
                r[m] = _vec(readouts[m], f"economy.slo.readouts.{m}", K)
            elif m in metric_names:  # first SFSL statistic of that metric (metric-major layout)
                pos = metric_names.index(m) * stats
                r[m] = [sp.Integer(1 if k == pos else 0) for k in range(K)]
            else:
                r[m] = [sp.Integer(0)] * K
        cost = [lam["latency"] * r["latency"][k] - lam["quality"] * r["quality"][k] for k in range(K)]
    return _Model(
        names=names,
        A=len(names),
        K=K,
        u=u,
        sets=sets,
        paths=paths,
        member=member,
        sequential=raw.get("map", "simultaneous") == "sequential",
        alpha=alpha,
        beta=beta,
        tau=tau,
        linear=linear,
        G=G,
        b=b,
        revenue_new=raw.get("sequential_revenue", "old") == "new",
        cost=cost,
    )


# ============================================================================ states
def _need(obj: dict, key: str, where: str = ""):
    if key not in obj:
        raise _Fail(f"missing key '{where}{key}'")
    return obj[key]


def _obj(value, fieldname: str) -> dict:
    if not isinstance(value, dict):
        raise ModelFileError(fieldname, value, "an object")
    return value


def _read_state(m: _Model, raw, fieldname: str, parts=("y", "p", "pi")):
    raw = _obj(raw, fieldname)
    out = {}
    for key in parts:
        value = _need(raw, key, f"{fieldname}.")
        if key == "pi":
            out[key] = _vec(value, f"{fieldname}.pi", m.P)
        else:
            out[key] = _mat(value, f"{fieldname}.{key}", m.A, m.K)
    return out


def _flat(y, p, pi) -> list:
    return [v for row in y for v in row] + [v for row in p for v in row] + list(pi)


# ============================================================================ the maps
class _PointDecider:
    """Decides branches at a point (exactly) and records them; ``replay`` re-uses them."""

    def __init__(self):
        self.signs = {}

    def __call__(self, tag, key, expr):
        s = _sign(expr, f"branch test {tag}{key}")
        self.signs[(tag, key)] = s
        return s

    def replay(self, tag, key, expr):
        return self.signs[(tag, key)]

    @property
    def kinks(self) -> list:
        return [f"{tag}{key}" for (tag, key), s in self.signs.items() if s == 0]


def _project(m: _Model, a: int, v: list, decide) -> list:
    kind, first, second = m.sets[a]
    if kind == "box":
        out = []
        for k, vk in enumerate(v):
            lo, hi = first[k], second[k]
            if lo == hi:
                out.append(lo)
            elif decide("v-lo", (a, k), vk - lo) < 0:
                out.append(lo)
            elif decide("v-hi", (a, k), vk - hi) > 0:
                out.append(hi)
            else:
                out.append(vk)
        return out
    c, r = first, second
    n2 = sum((vk - ck) ** 2 for vk, ck in zip(v, c))
    if decide("|v-c|^2-r^2", (a,), n2 - r**2) > 0:
        norm = sp.sqrt(n2)
        return [ck + r * (vk - ck) / norm for vk, ck in zip(v, c)]
    return list(v)


def _softmax(values, tau):
    """``π_j = exp(−V_j/τ) / Σ_i exp(−V_i/τ)``, written with the shift ``V_0`` (same function)."""
    ex = [sp.exp(-(vj - values[0]) / tau) for vj in values]
    total = sp.Add(*ex)
    return [e / total for e in ex]


def _marginals(m: _Model, pi) -> list:
    return [sp.Add(*[pi[j] for j in range(m.P) if m.member[a][j]]) for a in range(m.A)]


def _path_values(m: _Model, s) -> list:
    return [sp.Add(*[s[a] for a in path]) for path in m.paths]


def _agent_cost(m: _Model, price_row, y_row):
    c = sp.Add(*[pk * yk for pk, yk in zip(price_row, y_row)])
    if m.cost is not None:
        c = c + sp.Add(*[wk * yk for wk, yk in zip(m.cost, y_row)])
    return c


def _phi(m: _Model, y, p, pi, decide):
    """One step of the economy's map (simultaneous Φ_K, eq. 10–12, or sequential, eq. 13).

    ``decide(tag, key, expr)`` returns the sign of ``expr`` for each branch test (projection
    bounds, the positive part of the tâtonnement). Returns ``(y', p', π', intermediates)``.
    """
    A, K = m.A, m.K
    w = _marginals(m, pi)
    d = [[w[a] * m.u[a][k] for k in range(K)] for a in range(A)]
    v = [[y[a][k] + m.alpha * (d[a][k] - y[a][k]) for k in range(K)] for a in range(A)]
    yn = [_project(m, a, v[a], decide) for a in range(A)]
    yref = yn if m.sequential else y
    q = None
    if m.linear:
        flat = [yref[a][k] for a in range(A) for k in range(K)]
        pf = [sp.Add(*[gij * xj for gij, xj in zip(row, flat)]) + bi for row, bi in zip(m.G, m.b)]
        pn = [pf[a * K : (a + 1) * K] for a in range(A)]
    else:
        q = [[p[a][k] + m.beta * (d[a][k] - yref[a][k]) for k in range(K)] for a in range(A)]
        pos = [[decide("q", (a, k), q[a][k]) > 0 for k in range(K)] for a in range(A)]
        if not any(any(row) for row in pos):
            raise _Undefined("p + β(d − y) ≤ 0 in every coordinate: normalize(0) is needed, Φ is undefined")
        total = sp.Add(*[q[a][k] for a in range(A) for k in range(K) if pos[a][k]])
        pn = [[q[a][k] / total if pos[a][k] else sp.Integer(0) for k in range(K)] for a in range(A)]
    prev = pn if (m.sequential and m.revenue_new) else p
    s = [_agent_cost(m, prev[a], yref[a]) for a in range(A)]
    V = _path_values(m, s)
    pin = _softmax(V, m.tau)
    return yn, pn, pin, {"d": d, "v": v, "q": q, "s": s, "V": V, "w": w}


def _phi_at(m: _Model, st):
    dec = _PointDecider()
    yn, pn, pin, inter = _phi(m, st["y"], st["p"], st["pi"], dec)
    return yn, pn, pin, inter, dec


def _check_fixed_point(m: _Model, st, allow_tol: bool, label="state", details=None) -> str:
    """``Φ(x) = x`` exactly, or (when allowed) with every residual below 1e-40."""
    try:
        yn, pn, pin, _, _ = _phi_at(m, st)
    except _Undefined as exc:
        raise _Fail(f"{label}: Φ is undefined there ({exc})") from None
    pairs = []
    for a in range(m.A):
        for k in range(m.K):
            pairs.append((f"y[{m.names[a]}][{k}]", yn[a][k], st["y"][a][k]))
            pairs.append((f"p[{m.names[a]}][{k}]", pn[a][k], st["p"][a][k]))
    pairs += [(f"pi[{j}]", pin[j], st["pi"][j]) for j in range(m.P)]
    how = "exactly"
    for name, new, old in pairs:
        got = _same(new, old, allow_tol)
        if got is None:
            if details is not None:
                details[f"{label}.residual.{name}"] = _fmt(_expr(new) - old)
            exact_word = "" if allow_tol else " exactly"
            raise _Fail(f"{label} is not a fixed point{exact_word}: Φ(x)_{name} − x_{name} = {_fmt(_expr(new) - old)}")
        if got != "exactly":
            how = got
    return how


def _in_omega(m: _Model, st, allow_tol: bool, label="state"):
    """``x ∈ Ω_K``: ``y_a ∈ Y_a``, ``p`` on the price simplex (tâtonnement), ``π ∈ Δ(P)``."""
    for a in range(m.A):
        if not _in_set(m, a, st["y"][a]):
            raise _Fail(f"{label}: y[{m.names[a]}] = {[str(v) for v in st['y'][a]]} is not in Y_a")
    blocks = [("pi", list(st["pi"]))]
    if not m.linear:
        blocks.insert(0, ("p", [v for row in st["p"] for v in row]))
    for name, vals in blocks:
        if any(v < 0 for v in vals):
            raise _Fail(f"{label}: {name} has a negative entry, not on its simplex")
        total = sum(vals)
        if total != 1 and not (allow_tol and abs(total - 1) < TOLERANCE):
            raise _Fail(f"{label}: {name} sums to {total}, not 1")


def _in_set(m: _Model, a: int, yrow) -> bool:
    kind, first, second = m.sets[a]
    if kind == "box":
        return all(lo <= v <= hi for v, lo, hi in zip(yrow, first, second))
    return sum((v - c) ** 2 for v, c in zip(yrow, first)) <= second**2


def _supply(m: _Model, a: int, prow) -> list:
    """A maximiser of ``<p_a, y>`` on ``Y_a`` (box: hi / lo / 0; ball: c + r p/|p|, 0 if p = 0)."""
    kind, first, second = m.sets[a]
    if kind == "box":
        return [hi if pk > 0 else lo if pk < 0 else sp.Integer(0) for pk, lo, hi in zip(prow, first, second)]
    n2 = sum(pk**2 for pk in prow)
    if n2 == 0:
        return [sp.Integer(0)] * len(prow)
    return [ck + second * pk / sp.sqrt(n2) for ck, pk in zip(first, prow)]


def _max_profit(m: _Model, a: int, prow):
    return sp.Add(*[pk * yk for pk, yk in zip(prow, _supply(m, a, prow))])


# ============================================================================ Jacobian, tangent space
def _tangent_blocks(m: _Model):
    """Sizes of the state blocks and whether each is a simplex block (tangent: sum-zero)."""
    return [(m.A * m.K, False), (m.A * m.K, not m.linear), (m.P, True)]


def _tangent_maps(m: _Model):
    """``T`` (columns ``e_i − e_m`` per simplex block) and ``T⁺`` (drop each block's last row)."""
    blocks = _tangent_blocks(m)
    n = sum(size for size, _ in blocks)
    cols, rows = [], []
    start = 0
    for size, simplex in blocks:
        keep = size - 1 if simplex else size
        for i in range(keep):
            col = [sp.Integer(0)] * n
            col[start + i] = sp.Integer(1)
            if simplex:
                col[start + size - 1] = sp.Integer(-1)
            cols.append(col)
            rows.append(start + i)
        start += size
    T = sp.Matrix(n, len(cols), lambda i, j: cols[j][i])
    Tp = sp.Matrix(len(rows), n, lambda i, j: sp.Integer(1 if rows[i] == j else 0))
    return T, Tp


def _jacobian(m: _Model, st) -> sp.Matrix:
    """``DΦ(x)`` by SymPy differentiation of the map written on the active branch at ``x``."""
    try:
        _, _, _, _, dec = _phi_at(m, st)
    except _Undefined as exc:
        raise _Fail(f"Φ is undefined at the state ({exc})") from None
    if dec.kinks:
        raise _Fail("the state lies on a kink of the map (" + ", ".join(dec.kinks[:4]) + "): DΦ is not defined there")
    A, K = m.A, m.K
    ys = [[sp.Symbol(f"y_{a}_{k}") for k in range(K)] for a in range(A)]
    ps = [[sp.Symbol(f"p_{a}_{k}") for k in range(K)] for a in range(A)]
    pis = [sp.Symbol(f"pi_{j}") for j in range(m.P)]
    yn, pn, pin, _ = _phi(m, ys, ps, pis, dec.replay)
    outputs = sp.Matrix(_flat(yn, pn, pin))
    X = _flat(ys, ps, pis)
    J = outputs.jacobian(X)
    point = dict(zip(X, _flat(st["y"], st["p"], st["pi"])))
    return J.xreplace(point)


def _tangent_jacobian(m: _Model, st) -> sp.Matrix:
    T, Tp = _tangent_maps(m)
    return Tp * _jacobian(m, st) * T


def _exact_domain_matrix(N: sp.Matrix):
    """``N`` as a DomainMatrix over an exact field (QQ, QQ(t), an algebraic field), or ``None``."""
    entries = list(N)
    tf = _t_forms(entries)
    if tf is not None:
        entries = tf
    elif any(e.atoms(sp.exp) or e.has(sp.E) for e in entries):
        return None
    try:
        dom, elems = construct_domain(entries, field=True, extension=True)
    except Exception:  # noqa: BLE001 - no exact domain
        return None
    if dom.is_EX or dom.is_EXRAW:
        return None
    n = N.rows
    rows = [elems[i * n : (i + 1) * n] for i in range(n)]
    return DomainMatrix(rows, (n, n), dom)


# ============================================================================ kinds
def _allow_tol(w: dict) -> bool:
    return w.get("exact") is not True


def _check_walras_value(w, m, details):
    st = _read_state(m, _need(w, "state"), "state", parts=("p",))
    observed = _obj(_need(w, "observed"), "observed")
    claimed = _obj(_need(w, "claimed"), "claimed")
    obs = parse_number(_need(observed, "value", "observed."), "observed.value")
    cl = parse_number(_need(claimed, "value", "claimed."), "claimed.value")
    p = st["p"]
    ystar = [_supply(m, a, p[a]) for a in range(m.A)]
    s = [_agent_cost(m, p[a], ystar[a]) for a in range(m.A)]
    pistar = _softmax(_path_values(m, s), m.tau)
    wv = _marginals(m, pistar)
    value = sp.Add(*[p[a][k] * (wv[a] * m.u[a][k] - ystar[a][k]) for a in range(m.A) for k in range(m.K)])
    details.update({"value": _fmt(value), "profits": [_fmt(x) for x in s], "routing": [_fmt(x) for x in pistar]})
    how = _same(value, obs, _allow_tol(w))
    if how is None:
        raise _Fail(f"Σ_a <p_a, d_a − y*_a> = {_fmt(value)}, not observed.value = {obs}")
    if _sign(value - cl, "value − claimed.value") == 0:
        raise _Fail(f"the value of excess demand {_fmt(value)} equals claimed.value = {cl}: no contradiction")
    return f"value of excess demand Σ<p_a, z_a(p)> = {_fmt(value)} (matches observed {how}) ≠ claimed {cl}"


def _check_fixed_point_condition(w, m, details):
    st = _read_state(m, _need(w, "state"), "state")
    cond = _need(w, "condition")
    observed = _obj(_need(w, "observed"), "observed")
    if cond not in ("E1", "E3"):
        raise _Fail(f"condition {cond!r} is not E1 or E3")
    how = _check_fixed_point(m, st, _allow_tol(w), details=details)
    details["fixed_point"] = how
    y, p, pi = st["y"], st["p"], st["pi"]
    agent = observed.get("agent")
    if agent is not None and str(agent) not in m.names:
        raise _Fail(f"observed.agent {agent!r} is not an agent of the economy")
    if cond == "E3":
        wv = _marginals(m, pi)
        gap = [[wv[a] * m.u[a][k] - y[a][k] for k in range(m.K)] for a in range(m.A)]
        details["gap"] = [[str(g) for g in row] for row in gap]
        given = _need(observed, "gap", "observed.")
        if agent is not None:  # the gap of the named agent: K numbers
            a = m.names.index(str(agent))
            want = {a: _vec(given, "observed.gap", m.K)}
        elif isinstance(given, list) and given and all(isinstance(r, list) for r in given):
            want = dict(enumerate(_mat(given, "observed.gap", m.A, m.K)))  # A × K
        else:  # flat, agent-major (A·K numbers)
            flat = _vec(given, "observed.gap", m.A * m.K)
            want = {a: flat[a * m.K : (a + 1) * m.K] for a in range(m.A)}
        for a, row in want.items():
            if any(_same(gap[a][k], row[k], _allow_tol(w)) is None for k in range(m.K)):
                raise _Fail(
                    f"d(π) − y for {m.names[a]} is {[str(g) for g in gap[a]]}, not observed.gap {[str(g) for g in row]}"
                )
        bad = [a for a in want if any(g != 0 for g in gap[a])]
        if not bad:
            raise _Fail("market clearing (E3) holds: d(π) = y" + (f" for {agent}" if agent is not None else ""))
        return (
            f"fixed point ({how}) violates E3: d(π) − y = {[str(g) for g in gap[bad[0]]]} for agent {m.names[bad[0]]}"
        )
    profit = [sp.Add(*[p[a][k] * y[a][k] for k in range(m.K)]) for a in range(m.A)]
    maxp = [_max_profit(m, a, p[a]) for a in range(m.A)]
    details["profit"] = [_fmt(x) for x in profit]
    details["max_profit"] = [_fmt(x) for x in maxp]
    g_profit = _need(observed, "profit", "observed.")
    g_max = _need(observed, "max_profit", "observed.")
    if isinstance(g_profit, list) or isinstance(g_max, list):
        gp = _vec(g_profit, "observed.profit", m.A)
        gm = _vec(g_max, "observed.max_profit", m.A)
        for a in range(m.A):
            if _same(profit[a], gp[a], _allow_tol(w)) is None or _same(maxp[a], gm[a], _allow_tol(w)) is None:
                raise _Fail(
                    f"agent {m.names[a]}: profit {_fmt(profit[a])}, max profit {_fmt(maxp[a])} "
                    f"differ from observed {gp[a]}, {gm[a]}"
                )
        candidates = list(range(m.A))
    else:
        gp = parse_number(g_profit, "observed.profit")
        gm = parse_number(g_max, "observed.max_profit")
        pool = [m.names.index(str(agent))] if agent is not None else range(m.A)
        candidates = [
            a
            for a in pool
            if _same(profit[a], gp, _allow_tol(w)) is not None and _same(maxp[a], gm, _allow_tol(w)) is not None
        ]
        if not candidates:
            raise _Fail(
                f"no agent has profit {gp} and max profit {gm} at the state "
                f"(recomputed profit {details['profit']}, max {details['max_profit']})"
            )
    for a in candidates:
        if _sign(maxp[a] - profit[a], f"max profit − profit of {m.names[a]}") > 0:
            return (
                f"fixed point ({how}) violates E1: agent {m.names[a]} earns {_fmt(profit[a])} "
                f"< Π_a(p) = {_fmt(maxp[a])}"
            )
    raise _Fail("firm optimality (E1) holds for the agents named: <p_a, y_a> = Π_a(p)")


def _entropy_gap_zero(pi_new, pi_old):
    """Exact test of ``Σ π_j log π_j − Σ π'_j log π'_j == 0`` when the denominators are small."""
    D = 1
    for v in list(pi_new) + list(pi_old):
        D = math.lcm(D, int(v.q))
    if D > 10**4:
        return None
    from fractions import Fraction

    num = Fraction(1)
    for v in pi_old:  # Π π_j^{D π_j}
        if v != 0:
            num *= Fraction(int(v.p), int(v.q)) ** int(v * D)
    den = Fraction(1)
    for v in pi_new:
        if v != 0:
            den *= Fraction(int(v.p), int(v.q)) ** int(v * D)
    return num == den


def _check_pareto_dominance(w, m, details):
    st = _read_state(m, _need(w, "state"), "state")
    alt = _obj(_need(w, "alternative"), "alternative")
    ya = _mat(_need(alt, "y", "alternative."), "alternative.y", m.A, m.K)
    pa = _vec(_need(alt, "pi", "alternative."), "alternative.pi", m.P)
    how = _check_fixed_point(m, st, _allow_tol(w), details=details)
    details["fixed_point"] = how
    for a in range(m.A):
        if not _in_set(m, a, ya[a]):
            raise _Fail(f"alternative.y[{m.names[a]}] is not in Y_a")
    if any(v < 0 for v in pa) or sum(pa) != 1:
        raise _Fail("alternative.pi is not a probability distribution (entries ≥ 0 summing to 1 exactly)")
    y, p, pi = st["y"], st["p"], st["pi"]
    old = [sp.Add(*[p[a][k] * y[a][k] for k in range(m.K)]) for a in range(m.A)]
    new = [sp.Add(*[p[a][k] * ya[a][k] for k in range(m.K)]) for a in range(m.A)]
    details["profit"] = [str(x) for x in old]
    details["alternative_profit"] = [str(x) for x in new]
    strict = []
    for a in range(m.A):
        if new[a] < old[a]:
            raise _Fail(f"firm {m.names[a]} earns less under the alternative: {new[a]} < {old[a]}")
        if new[a] > old[a]:
            strict.append(f"profit of {m.names[a]} {old[a]} → {new[a]}")
    V = _path_values(m, [_agent_cost(m, p[a], y[a]) for a in range(m.A)])
    lin = -sp.Add(*[(pa[j] - pi[j]) * V[j] for j in range(m.P)])

    def ent(dist):
        return -sp.Add(*[v * sp.log(v) for v in dist if v != 0])

    dW = lin + m.tau * (ent(pa) - ent(pi))
    details["welfare_gain"] = _fmt(dW)
    if list(pa) == list(pi):
        sW = 0
    else:
        ez = _entropy_gap_zero(pa, pi)
        sW = 0 if (ez and lin == 0) else _sign(dW, "W(π') − W(π)")
    if sW < 0:
        raise _Fail(f"welfare falls under the alternative: W(π') − W(π) = {_fmt(dW)}")
    if sW > 0:
        strict.append(f"welfare W(π') − W(π) = {_fmt(dW)} > 0")
    if not strict:
        raise _Fail("the alternative is no better for any firm nor for welfare: no Pareto dominance")
    return f"the alternative Pareto-dominates the fixed point ({how}): " + "; ".join(strict)


def _check_not_decentralizable(w, m, details):
    alloc = _obj(_need(w, "allocation"), "allocation")
    y = _mat(_need(alloc, "y", "allocation."), "allocation.y", m.A, m.K)
    pi = _vec(_need(alloc, "pi", "allocation."), "allocation.pi", m.P)
    prices = _mat(_need(w, "prices"), "prices", m.A, m.K)
    firm = str(_need(w, "firm"))
    if firm not in m.names:
        raise _Fail(f"firm {firm!r} is not an agent of the economy")
    f = m.names.index(firm)
    if any(v < 0 for v in pi) or sum(pi) != 1:
        raise _Fail("allocation.pi is not a probability distribution (entries ≥ 0 summing to 1 exactly)")
    wv = _marginals(m, pi)
    d = [[wv[a] * m.u[a][k] for k in range(m.K)] for a in range(m.A)]
    for a in range(m.A):
        if d[a] != y[a]:
            raise _Fail(
                f"the allocation does not clear the market of {m.names[a]}: "
                f"d = {[str(x) for x in d[a]]}, y = {[str(x) for x in y[a]]}"
            )
        if not _in_set(m, a, y[a]):
            raise _Fail(f"allocation.y[{m.names[a]}] is not in Y_a")
    c = sp.Add(*[pk * uk for pk, uk in zip(prices[f], m.u[f])])  # <p_f, u_f>
    coef = [c if m.member[f][j] else sp.Integer(0) for j in range(m.P)]  # profit = Σ_j coef_j π_j
    value = sp.Add(*[cj * xj for cj, xj in zip(coef, pi)])
    best = max(coef)
    details.update({"firm_profit": str(value), "max_over_routings": str(best)})
    if value != best:
        raise _Fail(f"firm {firm}'s profit {value} is not the maximum {best} over all routings")
    top = [j for j in range(m.P) if coef[j] == best]
    if len(top) > 1:
        if any(kind != "box" for kind, _, _ in m.sets):
            raise _Fail(
                "uniqueness of the profit-maximising market-clearing allocation is only "
                "certified for box production sets when several paths attain the maximum"
            )
        from sympy.solvers.simplex import lpmax, lpmin

        xs = sp.symbols(f"x0:{len(top)}")
        cons = [x >= 0 for x in xs] + [sp.Eq(sp.Add(*xs), 1)]
        for a in range(m.A):
            wa = sp.Add(*[xs[i] for i, j in enumerate(top) if m.member[a][j]])
            for k in range(m.K):
                _, lo, hi = m.sets[a]
                cons += [wa * m.u[a][k] >= lo[k], wa * m.u[a][k] <= hi[k]]
        if any(c is sp.false for c in cons):
            raise _Fail("no routing on the maximising paths clears the markets")
        cons = [c for c in cons if c is not sp.true]
        for i, j in enumerate(top):
            lo_v, hi_v = lpmin(xs[i], cons)[0], lpmax(xs[i], cons)[0]
            if lo_v != hi_v:
                raise _Fail(
                    f"another market-clearing allocation attains firm {firm}'s maximum "
                    f"(π on path {j} ranges over [{lo_v}, {hi_v}])"
                )
    zero = [j for j in range(m.P) if pi[j] == 0]
    if not zero:
        raise _Fail("every path has positive routing weight: softmax can produce this routing")
    details["zero_paths"] = [str(j) for j in zero]
    return (
        f"allocation clears markets, uniquely maximises firm {firm}'s profit {value} (Pareto-optimal), "
        f"but routes nothing on path(s) {zero} while τ = {m.tau} > 0: no Φ(x) has this routing"
    )


def _parse_eigenvalue(raw):
    if isinstance(raw, dict):
        re_ = parse_number(_need(raw, "re", "observed.eigenvalue."), "observed.eigenvalue.re")
        im_ = parse_number(raw.get("im", 0), "observed.eigenvalue.im")
        return re_, im_
    if isinstance(raw, (list, tuple)):
        if len(raw) != 2:
            raise ShapeError("observed.eigenvalue", raw, "a number, {re, im} or [re, im]")
        return (parse_number(raw[0], "observed.eigenvalue[0]"), parse_number(raw[1], "observed.eigenvalue[1]"))
    return parse_number(raw, "observed.eigenvalue"), sp.Integer(0)


def _check_spectral_radius(w, m, details):
    st = _read_state(m, _need(w, "state"), "state")
    observed = _obj(_need(w, "observed"), "observed")
    claimed = _obj(_need(w, "claimed"), "claimed")
    lam_re, lam_im = _parse_eigenvalue(_need(observed, "eigenvalue", "observed."))
    if "rate" not in claimed and claimed.get("converges") is not True:
        raise _Fail("claimed has neither 'rate' nor 'converges: true': nothing to contradict")
    _in_omega(m, st, allow_tol=False)
    _check_fixed_point(m, st, allow_tol=False, details=details)
    N = _tangent_jacobian(m, st)
    if N.rows == 0:
        raise _Fail("the tangent space is 0-dimensional: there is no eigenvalue")
    dM = _exact_domain_matrix(N)
    if dM is None:
        raise _Fail("the tangent Jacobian is not over an exact field the verifier handles")
    K = dM.domain
    cp = dM.charpoly()  # det(λI − N), highest degree first
    lam = sp.Symbol("lambda")
    details["charpoly"] = str(sp.Add(*[K.to_sympy(c) * lam ** (len(cp) - 1 - i) for i, c in enumerate(cp)]))
    details["charpoly_domain"] = str(K)
    details["tangent_dimension"] = str(N.rows)
    if lam_im == 0:
        x = K.from_sympy(lam_re)
        acc = K.zero
        for c in cp:
            acc = acc * x + c
        if not K.is_zero(acc):
            raise _Fail(f"{lam_re} is not an eigenvalue: det(T⁺JT − λI) = {K.to_sympy(acc)} ≠ 0")
    else:  # remainder of det(λI − N) modulo λ² − 2aλ + (a² + b²) must vanish
        c1, c0 = K.from_sympy(-2 * lam_re), K.from_sympy(lam_re**2 + lam_im**2)
        rem = list(cp)
        while len(rem) > 2:
            lead = rem[0]
            rem = [rem[1] - lead * c1, rem[2] - lead * c0] + rem[3:]
        if any(not K.is_zero(r) for r in rem):
            raise _Fail(
                f"{lam_re} ± {abs(lam_im)}i is not an eigenvalue: the characteristic polynomial "
                "is not divisible by λ² − 2aλ + a² + b²"
            )
    mod2 = lam_re**2 + lam_im**2
    details["eigenvalue"] = str(lam_re) if lam_im == 0 else f"{lam_re} + {lam_im}i"
    details["modulus_squared"] = str(mod2)
    contradicted = []
    if "rate" in claimed:
        rate = parse_number(claimed["rate"], "claimed.rate")
        if rate < 0 or mod2 > rate**2:
            contradicted.append(f"|λ|² = {mod2} > rate² = {rate**2}")
    if claimed.get("converges") is True and mod2 > 1:
        contradicted.append(f"|λ|² = {mod2} > 1 although convergence is claimed")
    if not contradicted:
        raise _Fail(f"|λ|² = {mod2} contradicts no claimed figure (claimed {claimed})")
    return f"exact fixed point; λ = {details['eigenvalue']} is an eigenvalue of T⁺DΦT and " + "; ".join(contradicted)


def _check_operator_norm(w, m, details):
    st = _read_state(m, _need(w, "state"), "state")
    observed = _obj(_need(w, "observed"), "observed")
    claimed = _obj(_need(w, "claimed"), "claimed")
    ratio_given = parse_number(_need(observed, "ratio_squared", "observed."), "observed.ratio_squared")
    bound = parse_number(_need(claimed, "bound", "claimed."), "claimed.bound")
    _in_omega(m, st, _allow_tol(w))
    N = _tangent_jacobian(m, st)
    vec = _vec(_need(w, "vector"), "vector", N.cols)
    v2 = sp.Add(*[x**2 for x in vec])
    if v2 == 0:
        raise _Fail("the tangent vector is zero")
    image = N * sp.Matrix(vec)
    ratio = sp.Add(*[x**2 for x in image]) / v2
    details.update({"ratio_squared": _fmt(ratio), "tangent_dimension": str(N.cols)})
    how = _same(ratio, ratio_given, _allow_tol(w))
    if how is None:
        raise _Fail(f"‖T⁺DΦT v‖²/‖v‖² = {_fmt(ratio)}, not observed.ratio_squared = {ratio_given}")
    if bound >= 0 and _sign(ratio - bound**2, "ratio² − bound²") <= 0:
        raise _Fail(f"‖T⁺DΦT v‖²/‖v‖² = {_fmt(ratio)} does not exceed claimed.bound² = {bound**2}")
    return f"‖T⁺DΦ(x)T v‖²/‖v‖² = {_fmt(ratio)} (matches observed {how}) > bound² = {bound**2}"


def _check_undefined_map(w, m, details):
    st = _read_state(m, _need(w, "state"), "state")
    if m.linear:
        raise _Fail("the price mechanism is linear: Φ is defined everywhere (no normalisation)")
    _in_omega(m, st, _allow_tol(w))
    try:
        _, _, _, inter, _ = _phi_at(m, st)
    except _Undefined:
        A, K = m.A, m.K
        wv = _marginals(m, st["pi"])
        d = [[wv[a] * m.u[a][k] for k in range(K)] for a in range(A)]
        if m.sequential:
            v = [[st["y"][a][k] + m.alpha * (d[a][k] - st["y"][a][k]) for k in range(K)] for a in range(A)]
            yref = [_project(m, a, v[a], lambda *args: _sign(args[2], "projection")) for a in range(A)]
        else:
            yref = st["y"]
        q = [[st["p"][a][k] + m.beta * (d[a][k] - yref[a][k]) for k in range(K)] for a in range(A)]
        details["q"] = [[_fmt(x) for x in row] for row in q]
        return f"x ∈ Ω_K and p + β(d − y) = {details['q']} ≤ 0 everywhere: normalize(0) is needed, Φ(x) is undefined"
    details["q"] = [[_fmt(x) for x in row] for row in inter["q"]]
    raise _Fail(f"p + β(d − y) = {details['q']} has a positive coordinate: Φ is defined at the state")


def _affine_dimension(m: _Model) -> int:
    dim = 0
    for kind, first, second in m.sets:
        dim += sum(1 for lo, hi in zip(first, second) if hi > lo) if kind == "box" else m.K
    dim += m.A * m.K if m.linear else m.A * m.K - 1
    return dim + m.P - 1


def _check_dimension(w, m, details):
    observed = _obj(_need(w, "observed"), "observed")
    claimed = _obj(_need(w, "claimed"), "claimed")
    obs = parse_number(_need(observed, "dimension", "observed."), "observed.dimension")
    cl = parse_number(_need(claimed, "dimension", "claimed."), "claimed.dimension")
    dim = _affine_dimension(m)
    details.update({"dimension": str(dim), "paths": str(m.P), "A": str(m.A), "K": str(m.K)})
    if dim != obs:
        raise _Fail(f"dim aff Ω_K = {dim}, not observed.dimension = {obs}")
    if dim == cl:
        raise _Fail(f"dim aff Ω_K = {dim} equals claimed.dimension: no contradiction")
    return f"dim aff Ω_K = {dim} (observed) ≠ claimed {cl}"


# ---------------------------------------------------------------------------- iteration (intervals)
def _iv_max(x, y):
    return iv.mpf([max(_lo(x), _lo(y)), max(_hi(x), _hi(y))])


def _iv_min(x, y):
    return iv.mpf([min(_lo(x), _lo(y)), min(_hi(x), _hi(y))])


class _Undecided(_Fail):
    pass


def _phi_iv(m: _Model, y, p, pi):
    """An interval enclosure of one step of the map (monotone clips, no branch choices)."""
    A, K = m.A, m.K
    alpha, beta, tau = _ivq(m.alpha), _ivq(m.beta) if m.beta is not None else None, _ivq(m.tau)
    wv = [sum((pi[j] for j in range(m.P) if m.member[a][j]), iv.mpf(0)) for a in range(A)]
    d = [[wv[a] * _ivq(m.u[a][k]) for k in range(K)] for a in range(A)]
    v = [[y[a][k] + alpha * (d[a][k] - y[a][k]) for k in range(K)] for a in range(A)]
    yn = []
    for a in range(A):
        kind, first, second = m.sets[a]
        if kind == "box":
            yn.append([_iv_max(_ivq(first[k]), _iv_min(_ivq(second[k]), v[a][k])) for k in range(K)])
        else:
            c = [_ivq(x) for x in first]
            r = _ivq(second)
            n2 = sum(((v[a][k] - c[k]) ** 2 for k in range(K)), iv.mpf(0))
            if _hi(n2) <= _lo(r * r):
                yn.append(list(v[a]))
            elif _lo(n2) > 0:
                f = _iv_min(iv.mpf(1), r / iv.sqrt(n2))
                yn.append([c[k] + f * (v[a][k] - c[k]) for k in range(K)])
            else:
                raise _Undecided("ball projection undecided in interval arithmetic")
    yref = yn if m.sequential else y
    if m.linear:
        flat = [yref[a][k] for a in range(A) for k in range(K)]
        pf = [sum((_ivq(g) * x for g, x in zip(row, flat)), iv.mpf(0)) + _ivq(bi) for row, bi in zip(m.G, m.b)]
        pn = [pf[a * K : (a + 1) * K] for a in range(A)]
    else:
        qp = [[_iv_max(iv.mpf(0), p[a][k] + beta * (d[a][k] - yref[a][k])) for k in range(K)] for a in range(A)]
        total = sum((x for row in qp for x in row), iv.mpf(0))
        if not _lo(total) > 0:
            raise _Undecided("normalize(0) may be needed along the iteration (Σ max(0, q) not certainly > 0)")
        pn = [[x / total for x in row] for row in qp]
    prev = pn if (m.sequential and m.revenue_new) else p
    s = []
    for a in range(A):
        c = sum((prev[a][k] * yref[a][k] for k in range(K)), iv.mpf(0))
        if m.cost is not None:
            c = c + sum((_ivq(m.cost[k]) * yref[a][k] for k in range(K)), iv.mpf(0))
        s.append(c)
    V = [sum((s[a] for a in path), iv.mpf(0)) for path in m.paths]
    pin = [1 / sum((iv.exp(-(V[i] - V[j]) / tau) for i in range(m.P)), iv.mpf(0)) for j in range(m.P)]
    return yn, pn, pin


def _count_iterations(m, x0, xs, acc, n_obs, dps):
    """Decide ``‖x_n − x*‖² ≤ acc²‖x_0 − x*‖²`` for n = 0..n_obs at ``dps`` digits."""
    with _iv_digits(dps):
        e0 = sum((a - b) ** 2 for a, b in zip(_flat(*x0), _flat(*xs)))
        thr = _ivq(acc**2 * e0)
        star = [_ivq(v) for v in _flat(*xs)]
        if e0 <= acc**2 * e0:
            return 0
        y = [[_ivq(v) for v in row] for row in x0[0]]
        p = [[_ivq(v) for v in row] for row in x0[1]]
        pi = [_ivq(v) for v in x0[2]]
        for n in range(1, n_obs + 1):
            y, p, pi = _phi_iv(m, y, p, pi)
            dist = sum(((a - b) ** 2 for a, b in zip(_flat(y, p, pi), star)), iv.mpf(0))
            if _hi(dist) <= _lo(thr):
                return n
            if not _lo(dist) > _hi(thr):
                raise _Undecided(f"iteration {n}: the comparison with the accuracy threshold is undecided")
        return None


def _check_iteration_count(w, m, details):
    st = _read_state(m, _need(w, "state"), "state")
    xs = _read_state(m, _need(w, "fixed_point"), "fixed_point")
    observed = _obj(_need(w, "observed"), "observed")
    claimed = _obj(_need(w, "claimed"), "claimed")
    n_obs = _need(observed, "iterations", "observed.")
    if isinstance(n_obs, bool) or not isinstance(n_obs, int) or n_obs < 0:
        raise ValidationError("observed.iterations", n_obs, "a non-negative integer")
    n_cl = _need(claimed, "iterations", "claimed.")
    n_cl = parse_number(n_cl, "claimed.iterations")
    acc = parse_number(_need(claimed, "accuracy", "claimed."), "claimed.accuracy")
    if not acc > 0:
        raise _Fail(f"claimed.accuracy = {acc} is not positive")
    if n_obs > MAX_ITERATIONS:
        raise _Fail(f"observed.iterations = {n_obs} exceeds the verifier's limit {MAX_ITERATIONS}")
    how = _check_fixed_point(m, xs, _allow_tol(w), label="fixed_point", details=details)
    x0 = (st["y"], st["p"], st["pi"])
    x1 = (xs["y"], xs["p"], xs["pi"])
    if all(a == b for a, b in zip(_flat(*x0), _flat(*x1))):
        raise _Fail("the start state is the fixed point: the relative accuracy is undefined")
    first = None
    for dps in DPS_LADDER:
        try:
            first = _count_iterations(m, x0, x1, acc, n_obs, dps)
            break
        except _Undecided as exc:
            last = exc
    else:
        raise _Fail(f"iteration count undecided at {DPS_LADDER[-1]} digits: {last}")
    details.update({"first_n": str(first) if first is not None else f"> {n_obs}", "fixed_point": how})
    if first != n_obs:
        got = f"n = {first}" if first is not None else f"no n ≤ {n_obs}"
        raise _Fail(f"the first n with ‖x_n − x*‖ ≤ {acc}·‖x_0 − x*‖ is {got}, not observed {n_obs}")
    if n_cl == n_obs:
        raise _Fail(f"observed.iterations = {n_obs} equals claimed.iterations: no contradiction")
    return (
        f"reaching accuracy {acc} takes {n_obs} iterations (interval arithmetic, fixed point {how}), "
        f"not the claimed {n_cl}"
    )


def _check_a_priori_bound(w, m, details):
    """Banach's a-priori bound (14) or a variant: ``‖x_n − x*‖ ≤ bound`` fails at step ``n``."""
    st = _read_state(m, _need(w, "state"), "state")
    xs = _read_state(m, _need(w, "fixed_point"), "fixed_point")
    n = _need(w, "n")
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_ITERATIONS:
        raise ValidationError("n", n, f"an iteration count in 0..{MAX_ITERATIONS}")
    claimed = _obj(_need(w, "claimed"), "claimed")
    observed = _obj(_need(w, "observed"), "observed")
    bound = parse_number(_need(claimed, "bound", "claimed."), "claimed.bound")
    how = _check_fixed_point(m, xs, _allow_tol(w), label="fixed_point", details=details)
    y, p, pi = st["y"], st["p"], st["pi"]
    for _ in range(n):
        try:
            y, p, pi, _ = _phi(m, y, p, pi, _PointDecider())
        except _Undefined as exc:
            raise _Fail(f"the iteration meets a point where Φ is undefined ({exc})") from None
    dist2 = sp.Add(*[(_expr(a) - b) ** 2 for a, b in zip(_flat(y, p, pi), _flat(xs["y"], xs["p"], xs["pi"]))])
    dist = parse_number(_need(observed, "distance", "observed."), "observed.distance")
    if _same(dist2, dist**2, _allow_tol(w)) is None:
        raise _Fail(f"‖x_{n} − x*‖² = {_fmt(dist2)}, not observed.distance² = {dist**2}")
    if bound < 0 or _sign(dist2 - bound**2, "‖x_n − x*‖² − bound²") <= 0:
        raise _Fail(f"‖x_{n} − x*‖ = {dist} does not exceed the claimed bound {bound}")
    details.update({"distance_squared": _fmt(dist2), "bound": str(bound), "fixed_point": how})
    return f"after {n} iterations ‖x_n − x*‖ = {dist} exceeds the claimed bound {bound} (fixed point {how})"


_CHECKS = {
    "a_priori_bound": _check_a_priori_bound,
    "walras_value": _check_walras_value,
    "fixed_point_condition": _check_fixed_point_condition,
    "pareto_dominance": _check_pareto_dominance,
    "not_decentralizable": _check_not_decentralizable,
    "spectral_radius": _check_spectral_radius,
    "operator_norm": _check_operator_norm,
    "undefined_map": _check_undefined_map,
    "dimension": _check_dimension,
    "iteration_count": _check_iteration_count,
}


# ============================================================================ public API
def verify_witness(witness: dict) -> VerifyResult:
    """Re-check one witness (docs/witness-format.md) independently, in exact arithmetic.

    Returns
    -------
    VerifyResult
        ``ok=True`` when the counterexample is confirmed; ``ok=False`` with the failed check
        otherwise (wrong figures, not a fixed point, the condition actually holds, unknown kind,
        a missing kind-specific key, an undecidable comparison).

    Raises
    ------
    ModelFileError
        When ``witness`` is not an object, has no ``kind`` or no ``economy``.
    ValidationError
        When the economy is invalid, a number does not parse (nothing is evaluated as code) or
        an array has the wrong shape; the field is named.
    """
    if not isinstance(witness, dict):
        raise ModelFileError("witness", witness, "a witness object with keys kind, economy, ...")
    if "kind" not in witness:
        raise ModelFileError("kind", None, f"a witness kind, one of {list(KINDS)}")
    kind = witness["kind"]
    if not isinstance(kind, str):
        raise ModelFileError("kind", kind, f"a witness kind, one of {list(KINDS)}")
    if kind not in _CHECKS:
        return VerifyResult(False, kind, f"unknown witness kind {kind!r} (known: {', '.join(KINDS)})", {})
    if "economy" not in witness:
        raise ModelFileError("economy", None, "the economy of the counterexample (file format of DESIGN.md)")
    details: dict = {}
    try:
        m = _model(witness["economy"])
        message = _CHECKS[kind](witness, m, details)
    except _Fail as exc:
        return VerifyResult(False, kind, str(exc), details)
    return VerifyResult(True, kind, message, details)


def verify_document(doc) -> list[VerifyResult]:
    """Verify a witness, a verdict (its ``witness``) or a list of verdicts (each ``refuted`` one).

    Raises
    ------
    ModelFileError
        When the document has none of these shapes, or a refuted verdict has no witness.
    """
    if isinstance(doc, list):
        out = []
        for i, verdict in enumerate(doc):
            if not isinstance(verdict, dict):
                raise ModelFileError(f"[{i}]", verdict, "a verdict object")
            if "status" not in verdict:
                raise ModelFileError(f"[{i}].status", None, "a verdict status")
            if verdict["status"] != "refuted":
                continue
            if "witness" not in verdict:
                raise ModelFileError(f"[{i}].witness", None, "the witness of a refuted verdict")
            out.append(_with_id(verify_witness(verdict["witness"]), verdict.get("id")))
        return out
    if isinstance(doc, dict):
        if "kind" in doc:
            return [verify_witness(doc)]
        if "witness" in doc:
            return [_with_id(verify_witness(doc["witness"]), doc.get("id"))]
        raise ModelFileError("kind", None, "a witness (with 'kind'), a verdict (with 'witness') or a list of verdicts")
    raise ModelFileError("document", doc, "a witness, a verdict or a list of verdicts")


def _with_id(res: VerifyResult, ident) -> VerifyResult:
    if ident is None:
        return res
    return VerifyResult(res.ok, res.kind, res.message, {"id": str(ident), **res.details})


def verify_file(path) -> list[VerifyResult]:
    """Read a JSON witness file and verify it (see :func:`verify_document`).

    Raises
    ------
    ModelFileError
        When the file cannot be read, is not JSON, or lacks a required key (named).
    """
    p = Path(path)
    try:
        text = p.read_text()
    except OSError as exc:
        raise ModelFileError(str(path), str(exc.strerror or exc), "a readable witness file") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFileError(str(path), f"{exc.msg} at line {exc.lineno}", "valid JSON") from None
    return verify_document(doc)
