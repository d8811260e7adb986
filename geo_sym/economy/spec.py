"""The economy ``E_K`` of §2 and §4.2 in the reference instantiation of DESIGN.md.

An :class:`Economy` is validated on construction; every problem is reported with
the field, the value and what was expected. Numbers are kept exact (SymPy
``Rational``); float copies are derived for the numeric backend.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

from geo_sym.display import LatexDisplay
from geo_sym.economy.graph import AgentGraph
from geo_sym.economy.numbers import parse_matrix, parse_number, parse_vector, to_json_number
from geo_sym.economy.policy import ShockChannel, SLOWeights, TaylorRule, parse_shock_channel, parse_slo, parse_taylor
from geo_sym.economy.production import Ball, Box
from geo_sym.errors import ModelFileError, ShapeError, UnknownNameError, ValidationError

__all__ = ["Economy", "Tatonnement", "LinearPriceMechanism", "load_economy"]

MAP_KINDS = ("simultaneous", "sequential")


@dataclass(frozen=True)
class Tatonnement:
    """Price update of eq. (11): ``p' = normalize(max(0, p + β z))`` on the price simplex."""

    kind = "tatonnement"
    on_simplex = True

    def to_dict(self) -> dict:
        return {"kind": "tatonnement"}


@dataclass(frozen=True)
class LinearPriceMechanism:
    """Price mechanism ``A_K(y) = G y + b`` of eq. (13) (``γ_A = ||G||_2``).

    ``gamma`` is set when the file gave ``G = γ I``; ``G`` is then built only on demand
    (exact) and used as a sparse ``γI`` by the numeric backend.
    """

    G_explicit: tuple | None
    b: tuple
    gamma: Any = None
    n: int = 0

    kind = "linear"
    on_simplex = False

    def __repr__(self) -> str:
        if self.gamma is not None:
            return f"LinearPriceMechanism(G={self.gamma}·I)"
        return f"LinearPriceMechanism(G: {self.n}×{self.n})"

    @cached_property
    def G(self) -> tuple:
        """``G`` exactly (rows of SymPy rationals)."""
        if self.G_explicit is not None:
            return self.G_explicit
        zero = sp.Integer(0)
        return tuple(tuple(self.gamma if i == j else zero for j in range(self.n)) for i in range(self.n))

    @cached_property
    def G_nonzero(self) -> tuple:
        """Per row of ``G``, its non-zero entries ``(j, g_ij)`` in column order (for exact products)."""
        return tuple(tuple((j, g) for j, g in enumerate(row) if g != 0) for row in self.G)

    @cached_property
    def G_float(self):
        """``G`` for the numeric backend: a dense array, or a sparse ``γI``."""
        if self.G_explicit is None:
            import scipy.sparse as sps

            return sps.identity(self.n, format="csr") * float(self.gamma)
        return np.array([[float(v) for v in row] for row in self.G_explicit])

    @cached_property
    def b_float(self) -> np.ndarray:
        return np.array([float(v) for v in self.b])

    @cached_property
    def spectral_norm(self) -> float:
        """``γ_A = ||G||_2`` (float; exact value in :attr:`spectral_norm_exact` when available)."""
        if self.G_explicit is None:
            return abs(float(self.gamma))
        return float(np.linalg.norm(self.G_float, 2)) if self.n else 0.0

    @property
    def spectral_norm_exact(self):
        """``|γ|`` exactly when ``G = γ I``; for a diagonal ``G`` the largest ``|g_ii|``; else ``None``."""
        if self.gamma is not None:
            return abs(self.gamma)
        G = self.G
        if all(G[i][j] == 0 for i in range(self.n) for j in range(self.n) if i != j):
            return max((abs(G[i][i]) for i in range(self.n)), default=sp.Integer(0))
        return None

    def to_dict(self) -> dict:
        if self.gamma is not None:
            d = {"kind": "linear", "gamma": to_json_number(self.gamma)}
            if any(v != 0 for v in self.b):
                d["b"] = [to_json_number(v) for v in self.b]
            return d
        return {
            "kind": "linear",
            "G": [[to_json_number(v) for v in row] for row in self.G],
            "b": [to_json_number(v) for v in self.b],
        }


@dataclass(frozen=True)
class Economy:
    """An orchestrated agent economy in ``K`` commodity coordinates per agent.

    Build it with :meth:`Economy.build` (Python) or :func:`load_economy` / :meth:`from_dict`
    (the YAML file of DESIGN.md). Use :attr:`graph` for the DAG, :attr:`paths` for
    ``P(G)`` and :mod:`geo_sym.maps.core` for the maps.
    """

    name: str
    agent_names: tuple
    demand: tuple  # A × K exact
    production_sets: tuple  # Box | Ball per agent
    graph: AgentGraph = field(repr=False)
    map_kind: str
    alpha: Any
    beta: Any
    tau: Any
    price_mechanism: Tatonnement | LinearPriceMechanism
    sequential_revenue: str = "old"
    slo: SLOWeights | None = None
    metric_names: tuple | None = None
    stats_per_metric: int | None = None
    shock_channels: tuple[ShockChannel, ...] = ()
    taylor: TaylorRule | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(
        cls,
        *,
        agents,
        edges=(),
        map="simultaneous",
        parameters,
        price_mechanism=None,
        name="economy",
        sequential_revenue="old",
        metrics=None,
        slo=None,
        shocks=None,
        taylor=None,
    ) -> Economy:
        """Build from Python values in the file's vocabulary (see :meth:`from_dict`)."""
        data = {
            "name": name,
            "agents": agents,
            "edges": [list(e) for e in edges],
            "map": map,
            "parameters": parameters,
            "sequential_revenue": sequential_revenue,
        }
        if price_mechanism is not None:
            data["price_mechanism"] = price_mechanism
        if metrics is not None:
            data["metrics"] = metrics
        if slo is not None:
            data["slo"] = slo
        if shocks is not None:
            data["shocks"] = shocks
        if taylor is not None:
            data["taylor"] = taylor
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data, source: str = "economy") -> Economy:
        """Validate and build from the economy-file structure of DESIGN.md.

        Raises
        ------
        ValidationError (and subclasses)
            Naming the field, the value and what was expected.
        """
        from geo_sym.economy.files import require_kind

        require_kind(data, source, "economy")
        if not isinstance(data, dict):
            raise ModelFileError(source, type(data).__name__, "a mapping with keys agents, edges, map, parameters")
        allowed = {
            "name",
            "description",
            "agents",
            "edges",
            "map",
            "parameters",
            "price_mechanism",
            "sequential_revenue",
            "metrics",
            "slo",
            "shocks",
            "taylor",
        }
        for key in data:
            if key not in allowed:
                raise ModelFileError(str(key), data[key], f"one of the keys {sorted(allowed)}")
        for key in ("agents", "parameters"):
            if key not in data:
                raise ModelFileError(key, None, f"a '{key}' section")
        name = str(data.get("name", Path(source).stem))
        names, demand, sets = _agents(data["agents"])
        K = len(demand[0])
        graph = AgentGraph(names, _edges(data.get("edges", []), names))
        map_kind = data.get("map", "simultaneous")
        if map_kind not in MAP_KINDS:
            raise ValidationError("map", map_kind, "'simultaneous' or 'sequential'")
        alpha, beta, tau = _parameters(data["parameters"])
        mechanism = _price_mechanism(data.get("price_mechanism", {"kind": "tatonnement"}), len(names) * K)
        if mechanism.kind == "tatonnement" and beta is None:
            raise ModelFileError("parameters.beta", None, "a value for beta (the tatonnement price step, eq. (11))")
        seq_rev = data.get("sequential_revenue", "old")
        if seq_rev not in ("old", "new"):
            raise ValidationError(
                "sequential_revenue", seq_rev, "'old' (s' = <p, y'> as in eq. (13)) or 'new' (s' = <p', y'>)"
            )
        metric_names, stats = _metrics(data.get("metrics"), K)
        slo = parse_slo(data.get("slo"), K, metric_names, stats)
        shocks_raw = data.get("shocks") or []
        if not isinstance(shocks_raw, list):
            raise ModelFileError("shocks", shocks_raw, "a list of shock channels {name, kind, agent}")
        channels = tuple(parse_shock_channel(r, names, K, slo, f"shocks[{i}]") for i, r in enumerate(shocks_raw))
        if len({c.name for c in channels}) != len(channels):
            raise ValidationError("shocks", [c.name for c in channels], "shock channel names that are all different")
        taylor = parse_taylor(data.get("taylor"), slo)

        return cls(
            name=name,
            agent_names=tuple(names),
            demand=tuple(demand),
            production_sets=tuple(sets),
            graph=graph,
            map_kind=map_kind,
            alpha=alpha,
            beta=beta,
            tau=tau,
            price_mechanism=mechanism,
            sequential_revenue=seq_rev,
            slo=slo,
            metric_names=metric_names,
            stats_per_metric=stats,
            shock_channels=channels,
            taylor=taylor,
        )

    # ------------------------------------------------------------------ sizes and views
    @property
    def A(self) -> int:
        return len(self.agent_names)

    @property
    def K(self) -> int:
        return len(self.demand[0])

    @property
    def depth(self) -> int:
        """``P``: number of agents on the longest path (Proposition 6.2)."""
        return self.graph.depth

    @property
    def prices_on_simplex(self) -> bool:
        return self.price_mechanism.on_simplex

    @cached_property
    def paths(self) -> tuple:
        return self.graph.paths()

    @property
    def n_paths(self) -> int:
        return self.graph.n_paths

    @cached_property
    def incidence(self) -> np.ndarray:
        return self.graph.incidence().astype(float)

    def state_size(self) -> int:
        """``2AK + |P(G)|`` (the ambient dimension of the state vector)."""
        return 2 * self.A * self.K + self.n_paths

    def reduced_state_size(self) -> int:
        """``2AK + A`` (state ``(y, p, w)``)."""
        return 2 * self.A * self.K + self.A

    @cached_property
    def demand_float(self) -> np.ndarray:
        return np.array([[float(v) for v in row] for row in self.demand])

    @cached_property
    def cost_weights(self) -> tuple | None:
        """``λ1 r_lat - λ2 r_qual`` (exact) when SLO weights are on."""
        return None if self.slo is None else self.slo.agent_cost_weights()

    @cached_property
    def cost_weights_float(self) -> np.ndarray:
        return np.zeros(self.K) if self.slo is None else np.array([float(v) for v in self.slo.agent_cost_weights()])

    @cached_property
    def all_boxes(self) -> bool:
        return all(isinstance(s, Box) for s in self.production_sets)

    @cached_property
    def box_bounds_float(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.array([[float(v) for v in s.lo] for s in self.production_sets if isinstance(s, Box)])
        hi = np.array([[float(v) for v in s.hi] for s in self.production_sets if isinstance(s, Box)])
        return lo, hi

    @property
    def gamma_A(self) -> float | None:
        """``γ_A = ||D A_K||_2`` for a linear price mechanism (Proposition 6.2), else ``None``."""
        pm = self.price_mechanism
        return pm.spectral_norm if isinstance(pm, LinearPriceMechanism) else None

    def replace(self, **changes) -> Economy:
        """A new, re-validated economy with some fields of the file changed (e.g. ``tau=2``)."""
        d = self.to_dict()
        for k, v in changes.items():
            if k in ("alpha", "beta", "tau"):
                d["parameters"][k] = to_json_number(v) if not isinstance(v, (str, float)) else v
            else:
                d[k] = v
        return Economy.from_dict(d)

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        """Hash of every field, computed once (the economy is immutable)."""
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    def __repr__(self) -> str:
        return (
            f"Economy({self.name!r}, A={self.A}, K={self.K}, paths={self.graph.n_paths}, "
            f"depth={self.graph.depth}, map={self.map_kind}, prices={self.price_mechanism.kind})"
        )

    # ------------------------------------------------------------------ output
    def to_dict(self) -> dict:
        """The economy in the file format of DESIGN.md, numbers exact (``"p/q"`` strings)."""
        agents = []
        for nm, u, s in zip(self.agent_names, self.demand, self.production_sets):
            a = {"name": nm, "demand": [to_json_number(v) for v in u]}
            if isinstance(s, Box):
                a["box"] = [[to_json_number(l), to_json_number(h)] for l, h in zip(s.lo, s.hi)]
            else:
                a["ball"] = {"center": [to_json_number(v) for v in s.center], "radius": to_json_number(s.radius)}
            agents.append(a)
        params = {"alpha": to_json_number(self.alpha), "tau": to_json_number(self.tau)}
        if self.beta is not None:
            params["beta"] = to_json_number(self.beta)
        d = {
            "name": self.name,
            "agents": agents,
            "edges": [[self.agent_names[i], self.agent_names[j]] for i, j in self.graph.edges],
            "map": self.map_kind,
            "parameters": params,
            "price_mechanism": self.price_mechanism.to_dict(),
        }
        if self.sequential_revenue != "old":
            d["sequential_revenue"] = self.sequential_revenue
        if self.metric_names is not None:
            d["metrics"] = {"names": list(self.metric_names), "stats": self.stats_per_metric}
        if self.slo is not None:
            d["slo"] = self.slo.to_dict()
        if self.shock_channels:
            d["shocks"] = [c.to_dict(self.agent_names) for c in self.shock_channels]
        if self.taylor is not None:
            d["taylor"] = self.taylor.to_dict()
        return d

    def to_yaml(self) -> str:
        import yaml

        return yaml.safe_dump(self.to_dict(), sort_keys=False)

    _repr_latex_ = LatexDisplay._repr_latex_


def _agents(agents) -> tuple[list[str], list[tuple], list[Box | Ball]]:
    """The ``agents`` section: names, demand profiles ``u_a`` and production sets (``K`` from the first agent)."""
    if not isinstance(agents, list) or not agents:
        raise ModelFileError("agents", agents, "a non-empty list of agents")
    names: list[str] = []
    demand: list[tuple] = []
    sets: list[Box | Ball] = []
    K: int | None = None
    for i, ag in enumerate(agents):
        f = f"agents[{i}]"
        if not isinstance(ag, dict):
            raise ModelFileError(f, ag, "a mapping {name, demand, box} or {name, demand, ball}")
        for key in ag:
            if key not in ("name", "demand", "box", "ball"):
                raise ModelFileError(f"{f}.{key}", ag[key], "one of the keys name, demand, box, ball")
        if "name" not in ag or not isinstance(ag["name"], (str, int)) or isinstance(ag["name"], bool):
            raise ModelFileError(f"{f}.name", ag.get("name"), "a name (string)")
        nm = str(ag["name"])
        if nm in names:
            raise ValidationError(f"{f}.name", nm, "agent names that are all different")
        names.append(nm)
        if "demand" not in ag:
            raise ModelFileError(f"{f}.demand", None, "a demand profile u_a (list of K numbers)")
        u = parse_vector(ag["demand"], f"{f}.demand", K)
        if not u:
            raise ShapeError(f"{f}.demand", ag["demand"], "at least one coordinate (K >= 1)")
        K = len(u) if K is None else K
        demand.append(tuple(u))
        sets.append(_production_set(ag, f, K))
    return names, demand, sets


def _production_set(ag: dict, f: str, K: int) -> Box | Ball:
    if ("box" in ag) == ("ball" in ag):
        raise ModelFileError(f, sorted(ag), "exactly one production set: 'box' or 'ball'")
    if "box" in ag:
        rows = ag["box"]
        if not isinstance(rows, list) or len(rows) != K:
            raise ShapeError(f"{f}.box", rows, f"{K} intervals [lo, hi] (one per coordinate, K = {K})")
        lo, hi = [], []
        for k, row in enumerate(rows):
            lh = parse_vector(row, f"{f}.box[{k}]", 2)
            lo.append(lh[0])
            hi.append(lh[1])
        return Box.build(lo, hi, f"{f}.box")
    ball = ag["ball"]
    if not isinstance(ball, dict) or set(ball) != {"center", "radius"}:
        raise ModelFileError(f"{f}.ball", ball, "a mapping {center: [K numbers], radius: number}")
    c = parse_vector(ball["center"], f"{f}.ball.center", K)
    r = parse_number(ball["radius"], f"{f}.ball.radius")
    return Ball.build(c, r, f"{f}.ball")


def _edges(edges_raw, names: list[str]) -> list[tuple[int, int]]:
    """The ``edges`` section as index pairs (``None`` or absent: no edges)."""
    if edges_raw is None:
        edges_raw = []
    if not isinstance(edges_raw, list):
        raise ModelFileError("edges", edges_raw, "a list of [from, to] agent-name pairs")
    index = {n: i for i, n in enumerate(names)}
    edges = []
    for k, e in enumerate(edges_raw):
        if not isinstance(e, (list, tuple)) or len(e) != 2:
            raise ModelFileError(f"edges[{k}]", e, "a pair [from, to] of agent names")
        ij = []
        for end in e:
            if str(end) not in index:
                raise UnknownNameError(f"edges[{k}]", end, f"an agent name, one of {names}")
            ij.append(index[str(end)])
        edges.append((ij[0], ij[1]))
    return edges


def _parameters(params) -> tuple[Any, Any, Any]:
    """``(alpha, beta, tau)`` of the ``parameters`` section (``beta`` None when absent)."""
    if not isinstance(params, dict):
        raise ModelFileError("parameters", params, "a mapping {alpha, beta, tau}")
    for key in params:
        if key not in ("alpha", "beta", "tau"):
            raise ModelFileError(f"parameters.{key}", params[key], "one of alpha, beta, tau")
    for key in ("alpha", "tau"):
        if key not in params:
            raise ModelFileError(f"parameters.{key}", None, f"a value for {key}")
    alpha = parse_number(params["alpha"], "parameters.alpha")
    tau = parse_number(params["tau"], "parameters.tau")
    beta = parse_number(params["beta"], "parameters.beta") if "beta" in params else None
    if not (0 < alpha < 1):
        raise ValidationError("parameters.alpha", alpha, "a step size in the open interval (0, 1)")
    if not tau > 0:
        raise ValidationError("parameters.tau", tau, "a positive temperature, tau > 0 (Assumption 4)")
    if tau < sp.Rational(1, 10**100):  # V/τ and the routing derivatives divide by τ in double precision too
        raise ValidationError("parameters.tau", tau, "a temperature of at least 1e-100 (tau > 0, Assumption 4)")
    if beta is not None and not beta > 0:
        raise ValidationError("parameters.beta", beta, "a positive step size, beta > 0")
    return alpha, beta, tau


def _metrics(m, K: int) -> tuple[tuple | None, int | None]:
    """``(names, F)`` of the optional ``metrics`` section (``R·F = K``)."""
    if m is None:
        return None, None
    if not isinstance(m, dict) or "names" not in m:
        raise ModelFileError("metrics", m, "a mapping {names: [...], stats: F}")
    for key in m:
        if key not in ("names", "stats"):
            raise ModelFileError(f"metrics.{key}", m[key], "one of names, stats")
    metric_names = tuple(str(x) for x in m["names"])
    stats = m.get("stats", 1)
    if isinstance(stats, bool) or not isinstance(stats, int) or stats < 1:
        raise ValidationError("metrics.stats", stats, "a positive integer F (statistics per metric)")
    if len(metric_names) * stats != K:
        raise ShapeError(
            "metrics",
            {"names": list(metric_names), "stats": stats},
            f"R·F = K = {K} coordinates per agent, got {len(metric_names)}·{stats}",
        )
    return metric_names, stats


def _price_mechanism(raw, n: int):
    if not isinstance(raw, dict) or "kind" not in raw:
        raise ModelFileError("price_mechanism", raw, "a mapping with 'kind': tatonnement or linear")
    kind = raw["kind"]
    if kind == "tatonnement":
        extra = set(raw) - {"kind"}
        if extra:
            raise ModelFileError(f"price_mechanism.{sorted(extra)[0]}", raw, "no other keys for kind tatonnement")
        return Tatonnement()
    if kind != "linear":
        raise ValidationError("price_mechanism.kind", kind, "'tatonnement' or 'linear'")
    extra = set(raw) - {"kind", "G", "b", "gamma"}
    if extra:
        raise ModelFileError(f"price_mechanism.{sorted(extra)[0]}", raw, "keys kind, G, b or gamma")
    if ("G" in raw) == ("gamma" in raw):
        raise ModelFileError("price_mechanism", raw, "exactly one of 'G' (AK × AK matrix) or 'gamma' (G = γI)")
    gamma = None
    G = None
    if "gamma" in raw:
        gamma = parse_number(raw["gamma"], "price_mechanism.gamma")
    else:
        G = tuple(tuple(r) for r in parse_matrix(raw["G"], "price_mechanism.G", (n, n)))
    b = tuple(parse_vector(raw["b"], "price_mechanism.b", n)) if "b" in raw else (sp.Integer(0),) * n
    return LinearPriceMechanism(G_explicit=G, b=b, gamma=gamma, n=n)


def load_economy(path) -> Economy:
    """Read an economy YAML file (safe loader; numbers as ints, floats or ``"p/q"`` strings).

    Raises
    ------
    ModelFileError
        When the file cannot be read or is not valid YAML; other ValidationErrors as
        :meth:`Economy.from_dict`.
    """
    from geo_sym.economy.files import load_yaml, read_text, require_kind

    if Path(path).suffix.lower() == ".mod":  # a Dynare model file: say so instead of a YAML syntax error
        read_text(path, "economy file")
        require_kind({}, str(path), "economy")
    return Economy.from_dict(load_yaml(path, "economy file"), source=str(path))
