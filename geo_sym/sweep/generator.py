"""Random economies for counterexample searches, restricted to a claim's hypotheses.

:func:`random_economy` draws an economy file (the structure of DESIGN.md, numbers exact ``"p/q"``
strings with denominators at most ``denominator``) from a seeded generator: the number of agents,
the DAG shape (``parallel``: no edges; ``chain``; ``layered``: complete bipartite between random
layers; ``random``: each forward edge with probability 1/2), ``K``, the map, box production sets
``[0, capacity]`` (so ``0 ∈ Y_a``, Assumption 1), demand profiles and parameters. With
``identical_agents`` (a probability) all agents share one demand profile and capacity.

Claims whose statements have hypotheses beyond Assumptions 1–4 restrict the generator
(:data:`RESTRICTIONS`): Proposition 6.2, §7.1 and Theorem 8.1(v) need a linear price mechanism
``A_K = γI`` (the sequential map of eq. (13)) and ``τ > (1 − α) γ_A P``, which is imposed by
drawing the rate ``λ = (1 − α) γ P / τ`` in ``rate ⊂ (0, 1)`` and setting ``τ`` from it. Every
economy drawn satisfies its claim's hypotheses exactly (checked in rational arithmetic).
"""

from __future__ import annotations

import math
from fractions import Fraction

from geo_sym.errors import ModelFileError, ValidationError

__all__ = ["DEFAULTS", "RESTRICTIONS", "check_generator", "random_economy", "satisfies_hypotheses", "fraction_text"]

DEFAULTS = {
    "agents": [1, 4],
    "K": [1, 2],
    "dag": ["parallel", "chain", "layered", "random"],
    "map": ["sequential"],
    "alpha": ["1/10", "9/10"],
    "tau": ["1/10", 10],
    "beta": ["1/10", 1],
    "gamma": [0, 1],
    "rate": ["1/10", "9/10"],
    "demand": [0, 2],
    "capacity": ["1/2", 2],
    "identical_agents": "1/2",
    "denominator": 10,
}
SHAPES = ("parallel", "chain", "layered", "random")
#: claim id -> the hypothesis the generator imposes beyond Assumptions 1-4
RESTRICTIONS = {
    "prop-6.2": "linear prices A_K = γI (sequential map, eq. (13)) and τ > (1 − α) γ_A P",
    "sec-7.1": "linear prices A_K = γI (sequential map, eq. (13)) and τ > (1 − α) γ_A P",
    "thm-8.1": "linear prices A_K = γI (sequential map, eq. (13)) and τ > (1 − α) γ_A P",
}
#: claims about one fixed instance: a random economy cannot instantiate them
FIXED_INSTANCE = {"ex-6.3": "Example 6.3 is a statement about one economy (α = 1/10, P = 3, γ_A = 1/2)"}


def fraction_text(x: Fraction):
    x = Fraction(x)
    return int(x) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _frac(value, field: str) -> Fraction:
    from geo_sym.economy.numbers import parse_number

    r = parse_number(value, field)
    return Fraction(int(r.p), int(r.q))


def _range(cfg, key, *, integer=False, lo_min=None, open_unit=False):
    raw = cfg[key]
    field = f"generator.{key}"
    if not isinstance(raw, list) or len(raw) != 2:
        raise ValidationError(field, raw, "[lo, hi]")
    if integer:
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in raw) or not 1 <= raw[0] <= raw[1]:
            raise ValidationError(field, raw, "integers 1 <= lo <= hi")
        return tuple(raw)
    lo, hi = (_frac(v, field) for v in raw)
    if lo > hi or (lo_min is not None and lo < lo_min) or (open_unit and not (0 < lo and hi < 1)):
        what = "0 < lo <= hi < 1" if open_unit else f"lo <= hi{'' if lo_min is None else f' with lo >= {lo_min}'}"
        raise ValidationError(field, raw, what)
    return lo, hi


def check_generator(raw, claim: str) -> dict:
    """The generator settings with defaults filled in, validated (every problem names its field)."""
    if claim in FIXED_INSTANCE:
        raise ValidationError("claim", claim, f"a claim about general economies ({FIXED_INSTANCE[claim]})")
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ModelFileError("generator", raw, "a mapping of generator settings")
    for key in raw:
        if key not in DEFAULTS:
            raise ModelFileError(f"generator.{key}", raw[key], f"one of {', '.join(DEFAULTS)}")
    cfg = {**DEFAULTS, **raw}
    out = {
        "agents": _range(cfg, "agents", integer=True),
        "K": _range(cfg, "K", integer=True),
        "alpha": _range(cfg, "alpha", open_unit=True),
        "tau": _range(cfg, "tau"),
        "beta": _range(cfg, "beta"),
        "gamma": _range(cfg, "gamma", lo_min=0),
        "rate": _range(cfg, "rate", open_unit=True),
        "demand": _range(cfg, "demand", lo_min=0),
        "capacity": _range(cfg, "capacity"),
    }
    if out["tau"][0] <= 0 or out["beta"][0] <= 0 or out["capacity"][0] <= 0:
        raise ValidationError("generator", raw, "tau, beta and capacity ranges above 0")
    for key, allowed in (("dag", SHAPES), ("map", ("simultaneous", "sequential"))):
        vals = cfg[key] if isinstance(cfg[key], list) else [cfg[key]]
        if not vals or any(v not in allowed for v in vals):
            raise ValidationError(f"generator.{key}", cfg[key], f"a list among {', '.join(allowed)}")
        out[key] = tuple(vals)
    p = _frac(cfg["identical_agents"], "generator.identical_agents")
    if not 0 <= p <= 1:
        raise ValidationError("generator.identical_agents", cfg["identical_agents"], "a probability in [0, 1]")
    out["identical_agents"] = p
    d = cfg["denominator"]
    if isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 10**6:
        raise ValidationError("generator.denominator", d, "an integer in 1..1000000")
    out["denominator"] = d
    if claim in RESTRICTIONS:
        out["map"] = ("sequential",)
    return out


def _rational(rng, lo: Fraction, hi: Fraction, den: int) -> Fraction:
    """A uniform draw among the rationals ``k/den`` in ``[lo, hi]`` (the midpoint when there is none)."""
    a, b = math.ceil(lo * den), math.floor(hi * den)
    if a > b:
        return (lo + hi) / 2
    return Fraction(int(rng.integers(a, b + 1)), den)


def _edges(rng, names: list, shape: str) -> list:
    A = len(names)
    if shape == "parallel" or A == 1:
        return []
    if shape == "chain":
        return [[names[i], names[i + 1]] for i in range(A - 1)]
    if shape == "random":
        return [[names[i], names[j]] for i in range(A) for j in range(i + 1, A) if rng.random() < 0.5]
    n_layers = int(rng.integers(1, A + 1))
    cuts = sorted(rng.choice(range(1, A), size=n_layers - 1, replace=False).tolist()) if n_layers > 1 else []
    bounds = [0, *cuts, A]
    layers = [names[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
    return [[a, b] for la, lb in zip(layers, layers[1:]) for a in la for b in lb]


def _depth(names: list, edges: list) -> int:
    """Agents on the longest path (``P`` of Proposition 6.2); ``len(names)`` relaxation rounds suffice on a DAG."""
    longest = {n: 1 for n in names}
    for _ in names:
        for a, b in edges:
            longest[b] = max(longest[b], longest[a] + 1)
    return max(longest.values())


def random_economy(cfg: dict, rng, claim: str, name: str = "search") -> dict:
    """One random economy file (a dict) satisfying ``claim``'s hypotheses (see the module docstring)."""
    den = cfg["denominator"]
    A = int(rng.integers(cfg["agents"][0], cfg["agents"][1] + 1))
    K = int(rng.integers(cfg["K"][0], cfg["K"][1] + 1))
    names = [f"a{i + 1}" for i in range(A)]
    shape = cfg["dag"][int(rng.integers(len(cfg["dag"])))]
    edges = _edges(rng, names, shape)
    kind = cfg["map"][int(rng.integers(len(cfg["map"])))]
    same = rng.random() < float(cfg["identical_agents"])

    def profile():
        return (
            [_rational(rng, *cfg["demand"], den) for _ in range(K)],
            [_rational(rng, *cfg["capacity"], den) for _ in range(K)],
        )

    shared = profile() if same else None
    agents = []
    for nm in names:
        u, cap = shared or profile()
        agents.append(
            {"name": nm, "demand": [fraction_text(v) for v in u], "box": [[0, fraction_text(c)] for c in cap]}
        )
    alpha = _rational(rng, *cfg["alpha"], den)
    doc = {"name": name, "agents": agents, "edges": edges, "map": kind, "parameters": {"alpha": fraction_text(alpha)}}
    if kind == "sequential":
        gamma = _rational(rng, *cfg["gamma"], den)
        doc["price_mechanism"] = {"kind": "linear", "gamma": fraction_text(gamma)}
        if claim in RESTRICTIONS and gamma > 0:
            rate = _rational(rng, *cfg["rate"], den)
            tau = (1 - alpha) * gamma * _depth(names, edges) / rate
        else:
            tau = _rational(rng, *cfg["tau"], den)
    else:
        doc["price_mechanism"] = {"kind": "tatonnement"}
        doc["parameters"]["beta"] = fraction_text(_rational(rng, *cfg["beta"], den))
        tau = _rational(rng, *cfg["tau"], den)
    doc["parameters"]["tau"] = fraction_text(tau)
    return doc


def satisfies_hypotheses(doc: dict, claim: str) -> bool:
    """Whether an economy file satisfies the restriction :data:`RESTRICTIONS` imposes for ``claim`` (exactly)."""
    if claim not in RESTRICTIONS:
        return True
    pm = doc.get("price_mechanism") or {}
    if doc.get("map") != "sequential" or pm.get("kind") != "linear" or "gamma" not in pm:
        return False
    params = doc["parameters"]
    alpha, tau, gamma = (_frac(params["alpha"], "alpha"), _frac(params["tau"], "tau"), _frac(pm["gamma"], "gamma"))
    names = [a["name"] for a in doc["agents"]]
    return 0 < alpha < 1 and tau > (1 - alpha) * abs(gamma) * _depth(names, doc.get("edges") or [])
