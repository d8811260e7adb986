"""Reading witnesses and their economies for the verifier (docs/witness-format.md).

The economy is validated by :meth:`geo_sym.economy.spec.Economy.from_dict` (so bad input is reported
with the field that is wrong) and then read again *here*, from the raw dict, into a :class:`Model`:
the verifier shares no map, graph, production-set or state code with the code that produced the
witness. Numbers go through :func:`geo_sym.economy.numbers.parse_number` (a fixed grammar; nothing
is evaluated as code). Every reader raises a :class:`geo_sym.errors.ValidationError` subclass that
names the field, the value and what was expected; :func:`proofs.verify.core.verify_witness` turns it
into a result with ``ok=False``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from geo_sym.economy.numbers import parse_number
from geo_sym.economy.spec import Economy
from geo_sym.errors import ModelFileError, ShapeError, ValidationError

__all__ = [
    "Failed",
    "Box",
    "Ball",
    "Model",
    "State",
    "Algebraic",
    "read_model",
    "read_state",
    "read_box",
    "read_real",
    "read_complex_enclosure",
    "read_algebraic",
    "need",
    "read_obj",
    "read_vector",
    "read_matrix",
    "read_count",
    "agent_index",
    "MAX_PATHS",
]

MAX_PATHS = 20_000  # the verifier enumerates maximal paths; it refuses larger DAGs


class Failed(Exception):
    """A check of a well-formed witness failed: the witness is not confirmed (``ok=False``)."""


# ============================================================================ the economy
@dataclass(frozen=True)
class Box:
    """``Y_a = [lo, hi]`` coordinatewise."""

    lo: tuple
    hi: tuple


@dataclass(frozen=True)
class Ball:
    """``Y_a = B(c, r)`` (Euclidean)."""

    center: tuple
    radius: object


@dataclass(frozen=True)
class Model:
    """The economy of a witness, read independently of :mod:`geo_sym` (claims.md §1).

    Attributes
    ----------
    names : tuple of str
        Agents in file order.
    u : tuple of tuples
        Demand profiles ``u_a`` (exact rationals).
    sets : tuple of Box | Ball
        Production sets.
    paths : tuple of tuples
        Maximal source→sink paths (agent indices), lexicographic.
    depth : int
        ``P``: the number of agents on a longest path.
    linear : bool
        True for a linear price mechanism ``A_K(y) = G y + b``; False for the tâtonnement (eq. 11).
    gamma : Rational or None
        ``γ`` when the file gave ``G = γI``.
    G : tuple of tuples or None
        The matrix of the mechanism (built from ``γ`` when needed).
    cost : tuple or None
        ``λ₁ r_lat − λ₂ r_qual`` (per coordinate) when an ``slo`` section is present.
    """

    names: tuple
    u: tuple
    sets: tuple
    paths: tuple
    depth: int
    alpha: object
    beta: object
    tau: object
    linear: bool
    gamma: object
    G: tuple | None
    b: tuple | None
    revenue_new: bool
    cost: tuple | None

    def __repr__(self) -> str:
        return f"Model(A={len(self.names)}, K={len(self.u[0])}, paths={len(self.paths)}, linear={self.linear})"

    @property
    def A(self) -> int:
        return len(self.names)

    @property
    def K(self) -> int:
        return len(self.u[0])

    @property
    def n_paths(self) -> int:
        return len(self.paths)

    @property
    def size(self) -> int:
        """Length of the flat state ``(y, p, π)``: ``2AK + |P(G)|``."""
        return 2 * self.A * self.K + self.n_paths

    def on_path(self, a: int, j: int) -> bool:
        return a in self.paths[j]

    def simplex_blocks(self) -> list[tuple[int, int]]:
        """``(start, size)`` of every block of the flat state that lives on a simplex.

        ``π`` always; ``p`` with the tâtonnement (prices on ``Δ_p``); with a linear mechanism prices
        are free (claims.md §1, "State spaces").
        """
        n = self.A * self.K
        blocks = [] if self.linear else [(n, n)]
        return blocks + [(2 * n, self.n_paths)]


def _maximal_paths(A: int, edges) -> tuple:
    succ = [[] for _ in range(A)]
    indeg = [0] * A
    for i, j in edges:
        succ[i].append(j)
        indeg[j] += 1
    found = []
    for s in range(A):
        if indeg[s]:
            continue
        stack = [(s,)]
        while stack:
            path = stack.pop()
            nxt = succ[path[-1]]
            if not nxt:
                found.append(path)
                if len(found) > MAX_PATHS:
                    raise Failed(f"the DAG has more than {MAX_PATHS} maximal paths; the verifier enumerates paths")
                continue
            stack.extend(path + (j,) for j in nxt)
    return tuple(sorted(set(found)))


def read_vector(value, field: str, n: int) -> list:
    """``n`` exact numbers."""
    if not isinstance(value, (list, tuple)):
        raise ShapeError(field, value, f"a list of {n} numbers")
    if len(value) != n:
        raise ShapeError(field, value, f"a list of {n} numbers, got {len(value)}")
    return [parse_number(v, f"{field}[{i}]") for i, v in enumerate(value)]


def read_matrix(value, field: str, rows: int, cols: int) -> list:
    """``rows × cols`` exact numbers."""
    if not isinstance(value, (list, tuple)):
        raise ShapeError(field, value, f"a list of {rows} rows of {cols} numbers")
    if len(value) != rows:
        raise ShapeError(field, value, f"{rows} rows of {cols} numbers, got {len(value)} rows")
    return [read_vector(r, f"{field}[{i}]", cols) for i, r in enumerate(value)]


def _cost(raw: dict, K: int):
    slo = raw.get("slo")
    if slo is None:
        return None
    weights = slo.get("weights") or {}
    lam = {m: parse_number(weights.get(m, 0), f"economy.slo.weights.{m}") for m in ("latency", "quality")}
    readouts = slo.get("readouts") or {}
    metrics = raw.get("metrics") or {}
    metric_names = [str(x) for x in metrics.get("names", [])]
    stats = metrics.get("stats", 1)
    r = {}
    for m in ("latency", "quality"):
        if m in readouts:
            r[m] = read_vector(readouts[m], f"economy.slo.readouts.{m}", K)
        elif m in metric_names:  # the first statistic of that metric (metric-major layout)
            pos = metric_names.index(m) * stats
            r[m] = [sp.Integer(1 if k == pos else 0) for k in range(K)]
        else:
            r[m] = [sp.Integer(0)] * K
    return tuple(lam["latency"] * r["latency"][k] - lam["quality"] * r["quality"][k] for k in range(K))


def _depth(A: int, edges) -> int:
    succ = [[] for _ in range(A)]
    for i, j in edges:
        succ[i].append(j)
    memo: dict = {}

    def longest(a: int) -> int:  # agents on the longest path starting at a (the graph is a DAG)
        if a not in memo:
            memo[a] = 1 + max((longest(b) for b in succ[a]), default=0)
        return memo[a]

    return max(longest(a) for a in range(A))


def read_model(raw) -> Model:
    """Validate the economy with :meth:`Economy.from_dict`, then read it here independently.

    Raises
    ------
    ValidationError
        The economy is invalid; the message names the field (prefixed ``economy.``).
    """
    if not isinstance(raw, dict):
        raise ModelFileError("economy", raw, "an economy object in the file format of DESIGN.md")
    try:
        Economy.from_dict(raw, source="economy")  # validation only
    except ValidationError as exc:
        raise ModelFileError("economy", None, "", message=f"economy.{exc}") from None
    agents = raw["agents"]
    names = tuple(str(a["name"]) for a in agents)
    u = tuple(
        tuple(read_vector(a["demand"], f"economy.agents[{i}].demand", len(a["demand"]))) for i, a in enumerate(agents)
    )
    K = len(u[0])
    sets = []
    for i, a in enumerate(agents):
        f = f"economy.agents[{i}]"
        if "box" in a:
            rows = [read_vector(row, f"{f}.box[{k}]", 2) for k, row in enumerate(a["box"])]
            sets.append(Box(tuple(r[0] for r in rows), tuple(r[1] for r in rows)))
        else:
            c = read_vector(a["ball"]["center"], f"{f}.ball.center", K)
            sets.append(Ball(tuple(c), parse_number(a["ball"]["radius"], f"{f}.ball.radius")))
    index = {n: i for i, n in enumerate(names)}
    edges = [(index[str(e[0])], index[str(e[1])]) for e in (raw.get("edges") or [])]
    params = raw["parameters"]
    pm = raw.get("price_mechanism") or {"kind": "tatonnement"}
    n = len(names) * K
    linear = pm.get("kind") == "linear"
    gamma = G = b = None
    if linear:
        if "gamma" in pm:
            gamma = parse_number(pm["gamma"], "economy.price_mechanism.gamma")
            G = tuple(tuple(gamma if i == j else sp.Integer(0) for j in range(n)) for i in range(n))
        else:
            G = tuple(tuple(r) for r in read_matrix(pm["G"], "economy.price_mechanism.G", n, n))
        b = tuple(read_vector(pm["b"], "economy.price_mechanism.b", n)) if "b" in pm else (sp.Integer(0),) * n
    return Model(
        names=names,
        u=u,
        sets=tuple(sets),
        paths=_maximal_paths(len(names), edges),
        depth=_depth(len(names), edges),
        alpha=parse_number(params["alpha"], "economy.parameters.alpha"),
        beta=parse_number(params["beta"], "economy.parameters.beta") if "beta" in params else None,
        tau=parse_number(params["tau"], "economy.parameters.tau"),
        linear=linear,
        gamma=gamma,
        G=G,
        b=b,
        revenue_new=raw.get("sequential_revenue", "old") == "new",
        cost=_cost(raw, K),
    )


# ============================================================================ witness fields
def need(obj: dict, key: str, where: str = ""):
    """``obj[key]``; a missing key is malformed input naming ``where + key``."""
    if not isinstance(obj, dict):
        raise ModelFileError(where.rstrip(".") or "witness", obj, "an object")
    if key not in obj:
        raise ModelFileError(f"{where}{key}", None, f"a value for '{key}' (docs/witness-format.md)")
    return obj[key]


def read_obj(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise ModelFileError(field, value, "an object")
    return value


def read_count(value, field: str, limit: int) -> int:
    """A non-negative integer ``≤ limit``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise ValidationError(field, value, f"an integer in 0..{limit}")
    return value


def agent_index(m: Model, value, field: str) -> int:
    """An agent given by name (or by its index in file order)."""
    if isinstance(value, str) and value in m.names:
        return m.names.index(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < m.A:
        return value
    raise ValidationError(field, value, f"an agent name, one of {list(m.names)}")


@dataclass(frozen=True)
class State:
    """An exact state ``(y, p, π)`` (lists of SymPy rationals)."""

    y: list
    p: list
    pi: list

    def flat(self) -> list:
        return [v for row in self.y for v in row] + [v for row in self.p for v in row] + list(self.pi)


def read_state(m: Model, raw, field: str) -> State:
    """The state-file format ``{"y": A×K, "p": A×K, "pi": |P|}`` with exact numbers."""
    raw = read_obj(raw, field)
    return State(
        y=read_matrix(need(raw, "y", f"{field}."), f"{field}.y", m.A, m.K),
        p=read_matrix(need(raw, "p", f"{field}."), f"{field}.p", m.A, m.K),
        pi=read_vector(need(raw, "pi", f"{field}."), f"{field}.pi", m.n_paths),
    )


def _interval(value, field: str) -> tuple:
    pair = read_vector(value, field, 2)
    if pair[0] > pair[1]:
        raise ValidationError(field, value, "an interval [lo, hi] with lo ≤ hi")
    return pair[0], pair[1]


def read_box(m: Model, raw, field: str) -> list:
    """An enclosure of a state: ``{"box": [[lo, hi], …]}`` over the flat state (``2AK + |P|`` intervals)."""
    rows = need(read_obj(raw, field), "box", f"{field}.")
    if not isinstance(rows, list) or len(rows) != m.size:
        raise ShapeError(f"{field}.box", rows, f"{m.size} intervals [lo, hi] (2AK + |P|)")
    return [_interval(r, f"{field}.box[{i}]") for i, r in enumerate(rows)]


@dataclass(frozen=True)
class Algebraic:
    """A root of ``minpoly`` (rational coefficients, highest degree first) isolated by a rectangle."""

    minpoly: tuple
    re: tuple
    im: tuple | None  # None: a real root isolated by the real interval ``re``


def read_algebraic(raw: dict, field: str) -> Algebraic:
    coeffs = need(raw, "minpoly", f"{field}.")
    if not isinstance(coeffs, list) or len(coeffs) < 2:
        raise ShapeError(f"{field}.minpoly", coeffs, "a list of at least two rational coefficients")
    poly = read_vector(coeffs, f"{field}.minpoly", len(coeffs))
    if poly[0] == 0:
        raise ValidationError(f"{field}.minpoly", coeffs, "a non-zero leading coefficient")
    re = _interval(need(raw, "re", f"{field}."), f"{field}.re")
    im = _interval(raw["im"], f"{field}.im") if "im" in raw else None
    if im is not None and im[0] == 0 and im[1] == 0:
        im = None  # a zero-height rectangle on the real axis: a real root isolated by ``re``
    return Algebraic(tuple(poly), re, im)


def read_real(raw, field: str):
    """A real figure: a rational, an enclosure ``[lo, hi]`` (a tuple) or an :class:`Algebraic`."""
    if isinstance(raw, dict):
        alg = read_algebraic(raw, field)
        if alg.im is not None:
            raise ValidationError(field, raw, "a real number (no 'im' part)")
        return alg
    if isinstance(raw, list):
        return _interval(raw, field)
    return parse_number(raw, field)


def read_complex_enclosure(raw, field: str) -> tuple:
    """``{"re": [lo, hi], "im": [lo, hi]}`` (``im`` defaults to ``[0, 0]``)."""
    raw = read_obj(raw, field)
    re = _interval(need(raw, "re", f"{field}."), f"{field}.re")
    im = _interval(raw["im"], f"{field}.im") if "im" in raw else (sp.Integer(0), sp.Integer(0))
    return re, im
