"""Shared generators for the core tests: seeded random DAGs, economies and exact states.

Everything here is built from the *file format* of DESIGN.md (plain dicts with
``"p/q"`` strings), so the tests exercise :meth:`Economy.from_dict` and never rely
on the library to produce their inputs. States are exact SymPy rationals strictly
inside the state space; floats are derived from them.
"""

from __future__ import annotations

import types
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.spec import Economy
from geo_sym.economy.state import State
from geo_sym.errors import DegenerateNormalizationError

DAG_KINDS = ("empty", "chain", "diamond", "layered", "random")


# ----------------------------------------------------------------------------- small helpers
def frac(rng, lo, hi, den=None) -> Fraction:
    """A random rational in ``[lo, hi]`` with a small random denominator."""
    den = int(den if den is not None else rng.integers(2, 13))
    k = int(rng.integers(int(np.ceil(lo * den)), int(np.floor(hi * den)) + 1))
    return Fraction(k, den)


def fstr(x: Fraction) -> str:
    x = Fraction(x)
    return f"{x.numerator}/{x.denominator}"


def to_float(v) -> float:
    """Float value of an exact SymPy number (``exp``/``sqrt`` of rationals included)."""
    return float(sp.N(v, 40))


def floats(arr) -> np.ndarray:
    return np.array([to_float(v) for v in np.asarray(arr, dtype=object).ravel()], dtype=float)


# ----------------------------------------------------------------------------- DAGs
def random_edges(rng, A: int, kind: str) -> list[tuple[int, int]]:
    """Edges (index pairs) of a DAG on ``A`` agents of the requested shape."""
    if kind == "empty" or A == 1:
        return []
    if kind == "chain":
        return [(i, i + 1) for i in range(A - 1)]
    if kind == "diamond":
        if A < 4:
            return [(0, a) for a in range(1, A)]
        edges = [(0, 1), (0, 2), (1, 3), (2, 3)]
        # remaining agents hang below the sink or run in parallel
        for a in range(4, A):
            edges.append((3, a) if rng.random() < 0.5 else (0, a))
        return edges
    if kind == "layered":
        n_layers = int(rng.integers(2, min(A, 3) + 1))
        cuts = sorted(rng.choice(np.arange(1, A), size=n_layers - 1, replace=False).tolist())
        layers = [list(range(a, b)) for a, b in zip([0] + cuts, cuts + [A])]
        return [(i, j) for L1, L2 in zip(layers, layers[1:]) for i in L1 for j in L2]
    if kind == "random":
        perm = rng.permutation(A)  # so that index order is not a topological order
        return [(int(perm[i]), int(perm[j])) for i in range(A) for j in range(i + 1, A) if rng.random() < 0.45]
    raise ValueError(kind)


def enumerate_paths(A: int, edges) -> list[tuple[int, ...]]:
    """Maximal (source → sink) paths by brute force, sorted lexicographically."""
    succ = {a: sorted(j for i, j in edges if i == a) for a in range(A)}
    has_pred = {j for _, j in edges}
    out = []

    def walk(path):
        if not succ[path[-1]]:
            out.append(tuple(path))
        for b in succ[path[-1]]:
            walk(path + [b])

    for s in range(A):
        if s not in has_pred:
            walk([s])
    return sorted(out)


# ----------------------------------------------------------------------------- economies
def random_economy_dict(
    rng,
    *,
    A=None,
    K=None,
    dag=None,
    sets="box",
    map_kind="simultaneous",
    mechanism="tatonnement",
    seq_rev="old",
    slo=False,
    max_paths=12,
) -> dict:
    """An economy in the file format, with exact ``"p/q"`` numbers."""
    while True:
        A_ = int(A if A is not None else rng.integers(1, 7))
        dag_ = dag if dag is not None else DAG_KINDS[int(rng.integers(len(DAG_KINDS)))]
        edges = random_edges(rng, A_, dag_)
        if len(enumerate_paths(A_, edges)) <= max_paths:
            break
    K_ = int(K if K is not None else rng.integers(1, 4))
    names = [f"ag{a}" for a in range(A_)]
    agents = []
    for a in range(A_):
        ag = {"name": names[a], "demand": [fstr(frac(rng, -1, 3)) for _ in range(K_)]}
        kind = sets if sets != "mixed" else ("box" if rng.random() < 0.5 else "ball")
        if kind == "box":
            ag["box"] = [[fstr(frac(rng, -1, -Fraction(1, 10))), fstr(frac(rng, Fraction(1, 2), 2))] for _ in range(K_)]
        else:
            r = frac(rng, 1, 2)
            ag["ball"] = {
                "center": [fstr(frac(rng, -r / (2 * K_), r / (2 * K_), den=20)) for _ in range(K_)],
                "radius": fstr(r),
            }
        agents.append(ag)
    params = {
        "alpha": fstr(frac(rng, Fraction(1, 10), Fraction(9, 10), den=10)),
        "tau": fstr(frac(rng, Fraction(1, 2), 4, den=4)),
    }
    if mechanism == "tatonnement":
        params["beta"] = fstr(frac(rng, Fraction(1, 10), 1, den=10))
        pm = {"kind": "tatonnement"}
    else:
        n = A_ * K_
        if rng.random() < 0.3:
            pm = {"kind": "linear", "gamma": fstr(frac(rng, -1, 1, den=7))}
        else:
            pm = {
                "kind": "linear",
                "G": [[fstr(frac(rng, -1, 1, den=5)) for _ in range(n)] for _ in range(n)],
                "b": [fstr(frac(rng, -1, 1, den=5)) for _ in range(n)],
            }
    d = {
        "name": "random",
        "agents": agents,
        "edges": [[names[i], names[j]] for i, j in edges],
        "map": map_kind,
        "parameters": params,
        "price_mechanism": pm,
        "sequential_revenue": seq_rev,
    }
    if slo:
        d["slo"] = {
            "weights": {"latency": fstr(frac(rng, 0, 2, den=4)), "quality": fstr(frac(rng, 0, 2, den=4))},
            "readouts": {
                "latency": [fstr(frac(rng, -1, 1, den=3)) for _ in range(K_)],
                "quality": [fstr(frac(rng, -1, 1, den=3)) for _ in range(K_)],
            },
        }
    return d


def _simplex(rng, n) -> list[Fraction]:
    raw = [Fraction(int(rng.integers(1, 30))) for _ in range(n)]
    tot = sum(raw)
    return [r / tot for r in raw]


def random_state_dict(rng, econ_dict: dict) -> dict:
    """A state (file format, ``"p/q"``) strictly inside the state space of ``econ_dict``."""
    agents = econ_dict["agents"]
    K = len(agents[0]["demand"])
    A = len(agents)
    ys = []
    for ag in agents:
        if "box" in ag:
            row = []
            for lo, hi in ag["box"]:
                lo, hi = Fraction(lo), Fraction(hi)
                t = Fraction(int(rng.integers(1, 96)), 97)
                row.append(lo + t * (hi - lo))
        else:
            c = [Fraction(v) for v in ag["ball"]["center"]]
            r = Fraction(ag["ball"]["radius"])
            row = [ck + frac(rng, -r / (2 * K), r / (2 * K), den=31) for ck in c]
        ys.append(row)
    if econ_dict["price_mechanism"]["kind"] == "tatonnement":
        flat = _simplex(rng, A * K)
    else:
        flat = [frac(rng, -1, 1, den=9) for _ in range(A * K)]
    ps = [flat[a * K : (a + 1) * K] for a in range(A)]
    edges = [(int(e[0][2:]), int(e[1][2:])) for e in econ_dict["edges"]]
    npaths = len(enumerate_paths(A, edges))
    pi = _simplex(rng, npaths)
    return {
        "y": [[fstr(v) for v in r] for r in ys],
        "p": [[fstr(v) for v in r] for r in ps],
        "pi": [fstr(v) for v in pi],
    }


def exact_state(econ, sd: dict) -> State:
    """The state dict as an exact object-array :class:`State` (built here, not by the library)."""
    A, K = econ.A, econ.K
    conv = lambda v: sp.Rational(Fraction(v).numerator, Fraction(v).denominator)
    y = np.array([[conv(v) for v in r] for r in sd["y"]], dtype=object).reshape(A, K)
    p = np.array([[conv(v) for v in r] for r in sd["p"]], dtype=object).reshape(A, K)
    pi = np.array([conv(v) for v in sd["pi"]], dtype=object)
    return State(y, p, pi)


def float_state(st: State) -> State:
    A, K = st.y.shape
    return State(floats(st.y).reshape(A, K), floats(st.p).reshape(A, K), floats(st.pi))


def case_grid():
    """The configurations of requirement 1 (maps × mechanisms × sets × revenue × SLO)."""
    cases = []
    for map_kind, mech, seq_rev in [
        ("simultaneous", "tatonnement", "old"),
        ("simultaneous", "linear", "old"),
        ("sequential", "linear", "old"),
        ("sequential", "linear", "new"),
        ("sequential", "tatonnement", "old"),
        ("sequential", "tatonnement", "new"),
    ]:
        for sets in ("box", "ball", "mixed"):
            for slo in (False, True):
                cases.append((map_kind, mech, seq_rev, sets, slo))
    return cases


def make_case(
    seed,
    map_kind="simultaneous",
    mech="tatonnement",
    seq_rev="old",
    sets="box",
    slo=False,
    dag=None,
    A=None,
    K=None,
    max_paths=12,
    avoid_kinks=True,
):
    """(economy dict, Economy, exact State, float State) for a seed; redraws states at kinks."""
    from geo_sym.maps.core import evaluate_map

    rng = np.random.default_rng(seed)
    for _ in range(50):
        ed = random_economy_dict(
            rng,
            A=A,
            K=K,
            dag=dag,
            sets=sets,
            map_kind=map_kind,
            mechanism=mech,
            seq_rev=seq_rev,
            slo=slo,
            max_paths=max_paths,
        )
        econ = Economy.from_dict(ed)
        for _ in range(20):
            sd = random_state_dict(rng, ed)
            st = exact_state(econ, sd)
            try:
                res = evaluate_map(econ, st)
            except DegenerateNormalizationError:  # normalize(0) on this draw: try another state
                continue
            if avoid_kinks and res.active.at_kink:
                continue
            return ed, econ, st, float_state(st)
    raise RuntimeError("could not draw a smooth state")


def make_policy_case(seed, map_kind="sequential", mech="linear", seq_rev="old", dag=None, A=None, K=None, max_paths=6):
    """A case of :func:`make_case` with SLO weights, a Taylor rule off its targets and a shock channel of every kind.

    Returns ``(Economy, exact State, float State, channels)``; the rule's targets are the aggregates of the
    state shifted by a random offset, so the rule is not neutral there, and its floor is below the
    weights' values at the state (no kink).
    """
    from geo_sym.economy.policy import aggregate_metrics, slo_weights
    from geo_sym.maps.core import evaluate_map

    rng = np.random.default_rng(seed + 1)
    for attempt in range(20):
        ed, econ, st, _ = make_case(seed + 1000 * attempt, map_kind, mech, seq_rev, "box", True, dag, A, K, max_paths)
        slo = econ.slo
        w = econ.graph.incidence().astype(object).dot(st.pi)
        L, Q = aggregate_metrics(slo, st.y, w)
        ed = dict(ed)
        ed["taylor"] = {
            "phi_lat": fstr(frac(rng, -2, 3, den=4)),
            "phi_qual": fstr(frac(rng, -2, 3, den=4)),
            "targets": {"latency": fstr(Fraction(str(L)) + frac(rng, -1, 1, den=8)), "quality": fstr(Fraction(str(Q)))},
        }
        names = [a["name"] for a in ed["agents"]]
        K_ = len(ed["agents"][0]["demand"])
        shocks = [
            {
                "name": "metric",
                "kind": "metric",
                "agent": names[0],
                "direction": [fstr(frac(rng, -1, 1, den=5)) for _ in range(K_)],
            },
            {"name": "load", "kind": "load"},
            {"name": "fail", "kind": "failure", "agent": names[-1]},
        ]
        if any(v != 0 for v in slo.readout_lat):
            shocks.append({"name": "spike", "kind": "latency", "agent": names[0]})
        if any(v != 0 for v in slo.readout_qual):
            shocks.append({"name": "qdrop", "kind": "quality", "agent": names[-1]})
        ed["shocks"] = shocks
        rates = slo_weights(slo, Economy.from_dict(ed).taylor, L, Q)
        floor = {
            m: fstr(Fraction(str(min(lam, v))) / 2)
            for m, lam, v in (("latency", slo.lambda_lat, rates.lat), ("quality", slo.lambda_qual, rates.qual))
        }
        if all(Fraction(str(v)) > 0 for v in (rates.lat, rates.qual)):
            ed["taylor"]["floor"] = floor
        econ = Economy.from_dict(ed)
        res = evaluate_map(econ, st, policy=econ.taylor)
        if res.active.at_kink or res.active.slo_at_floor.any():
            continue
        return econ, st, float_state(st), econ.shock_channels
    raise RuntimeError("could not draw a policy case off the floor")


_HELPERS = [
    "DAG_KINDS",
    "frac",
    "fstr",
    "to_float",
    "floats",
    "random_edges",
    "enumerate_paths",
    "random_economy_dict",
    "random_state_dict",
    "exact_state",
    "float_state",
    "case_grid",
    "make_case",
    "make_policy_case",
]


@pytest.fixture(scope="session")
def gen():
    """The generators above as a namespace (test modules do not import ``conftest`` by name,
    since ``tests/dsge`` has a ``conftest`` module of its own)."""
    return types.SimpleNamespace(**{name: globals()[name] for name in _HELPERS})


@pytest.fixture
def rng():
    return np.random.default_rng(20240601)
