"""Built-in reference economies for ``geo-sym check`` (no economy file given).

Small economies with rational data whose behaviour can be derived by hand, chosen so
that each claim can come out either way: some satisfy a claim's hypotheses and its
conclusion, some satisfy the hypotheses but not the conclusion. None is tuned to
make a claim hold; the reason each one is here is written next to it.
"""

from __future__ import annotations

from functools import cache

from geo_sym.economy.spec import Economy

__all__ = ["REFERENCE", "reference_economy", "reference_names"]

_BOX1 = [[0, 1]]

REFERENCE: dict[str, dict] = {
    # One agent, one path, demand inside its box: the simplest economy. Its map is affine
    # in y (a contraction with constant 1 - α), and its unique fixed point has d = y.
    "one-agent-interior": {
        "name": "one-agent-interior",
        "agents": [{"name": "a", "demand": ["1/2"], "box": _BOX1}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
        "price_mechanism": {"kind": "tatonnement"},
    },
    # One agent whose demand exceeds its capacity (u = 2 > hi = 1).
    "one-agent-overdemand": {
        "name": "one-agent-overdemand",
        "agents": [{"name": "a", "demand": [2], "box": _BOX1}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
        "price_mechanism": {"kind": "tatonnement"},
    },
    # Two interchangeable agents on two one-agent paths.
    "two-parallel": {
        "name": "two-parallel",
        "agents": [{"name": "a1", "demand": [1], "box": _BOX1}, {"name": "a2", "demand": [1], "box": _BOX1}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
        "price_mechanism": {"kind": "tatonnement"},
    },
    # The economy of DESIGN.md: a 2×2 layered DAG with four paths.
    "two-by-two": {
        "name": "two-by-two",
        "agents": [{"name": n, "demand": [1], "box": _BOX1} for n in ("a1", "a2", "b1", "b2")],
        "edges": [["a1", "b1"], ["a1", "b2"], ["a2", "b1"], ["a2", "b2"]],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 10},
        "price_mechanism": {"kind": "tatonnement"},
    },
    # Two parallel agents with a large price step β = 4: the price update can meet normalize(0).
    "large-beta": {
        "name": "large-beta",
        "agents": [{"name": "a1", "demand": ["1/2"], "box": _BOX1}, {"name": "a2", "demand": ["1/2"], "box": _BOX1}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": 4, "tau": 1},
        "price_mechanism": {"kind": "tatonnement"},
    },
    # Example 6.3 of the paper: α = 1/10, depth P = 3, γ_A = 1/2, and τ = 27/10 so that the
    # paper's rate λ = (1-α)γ_A P/τ is exactly 1/2. A 3-layer × 2-agent DAG (8 paths),
    # the sequential map (13) with the linear mechanism A_K(y) = γ y.
    "example-6.3": {
        "name": "example-6.3",
        "agents": [{"name": n, "demand": [1], "box": _BOX1} for n in ("a1", "a2", "b1", "b2", "c1", "c2")],
        "edges": [
            [u, v] for (x, y) in (("a", "b"), ("b", "c")) for u in (x + "1", x + "2") for v in (y + "1", y + "2")
        ],
        "map": "sequential",
        "parameters": {"alpha": "1/10", "tau": "27/10"},
        "price_mechanism": {"kind": "linear", "gamma": "1/2"},
    },
    # The sequential map with a constant price mechanism (G = 0, so γ_A = 0 and the paper's
    # condition τ > (1-α)γ_A P holds for every τ > 0), two parallel agents with a large
    # demand profile u = 8 inside a large box.
    "constant-prices": {
        "name": "constant-prices",
        "agents": [{"name": "a1", "demand": [8], "box": [[0, 10]]}, {"name": "a2", "demand": [8], "box": [[0, 10]]}],
        "edges": [],
        "map": "sequential",
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "G": [[0, 0], [0, 0]], "b": [1, 1]},
    },
}


def reference_names() -> list[str]:
    return list(REFERENCE)


@cache
def reference_economy(name: str) -> Economy:
    """The built-in economy ``name`` (validated like any file)."""
    return Economy.from_dict(REFERENCE[name], source=name)
