"""Hand-built economies and witnesses for the verifier's tests.

Every witness is a plain dict in the file format (``"p/q"`` strings), every figure derived by hand in the
comment beside it; nothing here is produced by geo-sym. Irrational fixed points are computed here with
mpmath from their closed-form scalar equations (independently of the code under test) and enclosed in
boxes of radius ``1e-30``.
"""

from __future__ import annotations

import copy
from fractions import Fraction

import mpmath


def tamper(w: dict, path: tuple, value) -> dict:
    """A deep copy of ``w`` with ``w[path[0]][path[1]]... = value`` (``value=DROP`` deletes the key)."""
    out = copy.deepcopy(w)
    node = out
    for key in path[:-1]:
        node = node[key]
    if value is DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


DROP = object()


# ============================================================================ economies
def one_agent(demand, box=((0, 1),), alpha="1/10", beta="1/10", tau=1):
    """One agent ``a``, one path (``edges: []``), tâtonnement."""
    return {
        "name": "one",
        "agents": [{"name": "a", "demand": list(demand), "box": [list(b) for b in box]}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": alpha, "beta": beta, "tau": tau},
        "price_mechanism": {"kind": "tatonnement"},
    }


def one_linear(alpha="1/2", gamma="1/2", tau=1, demand=1, box=(0, 10)):
    """One agent, K = 1, one path (P = 1), linear mechanism ``p = γ y``."""
    return {
        "name": "lin",
        "agents": [{"name": "a", "demand": [demand], "box": [list(box)]}],
        "edges": [],
        "map": "sequential",
        "parameters": {"alpha": alpha, "tau": tau},
        "price_mechanism": {"kind": "linear", "gamma": gamma},
    }


TWO_PATHS = {  # agents a, b, K = 1, u = 1, boxes [0, 1], edges [] (paths [a], [b]), tâtonnement
    "name": "two",
    "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [1], "box": [[0, 1]]}],
    "edges": [],
    "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
}

# Two agents a1, a2 on separate paths, u = 1, boxes [0, 1], α = 1/2, τ = 1, G = 0, b = −3 (γ_A = 0, so
# τ > (1 − α)γ_A P holds and λ = 0). Interior fixed points: y_a = π_a, p = b, and with x = π_1,
# V_a = b y_a, x = 1/(1 + exp(b(y_1 − y_2))) = 1/(1 + exp(3(1 − 2x))): x = 1/2 and a symmetric pair.
NEGATIVE_FEEDBACK = {
    "name": "negative-feedback",
    "agents": [{"name": "a1", "demand": [1], "box": [[0, 1]]}, {"name": "a2", "demand": [1], "box": [[0, 1]]}],
    "edges": [],
    "parameters": {"alpha": "1/2", "tau": 1},
    "price_mechanism": {"kind": "linear", "G": [[0, 0], [0, 0]], "b": [-3, -3]},
}
SYMMETRIC_FP = {"y": [["1/2"], ["1/2"]], "p": [[-3], [-3]], "pi": ["1/2", "1/2"]}

# Example 6.3's data on a chain a → b → c (one path, depth P = 3): α = 1/10, γ = 1/2, τ = 27/10 so
# λ = (9/10)(1/2)(3)/(27/10) = 1/2. u = 1/2 in [0, 1]: T is y' = (9/10) y + 1/20 (interior), p' = y'/2,
# π = 1; fixed point y* = 1/2, p* = 1/4.
CHAIN_63 = {
    "name": "chain-6.3",
    "agents": [{"name": n, "demand": ["1/2"], "box": [[0, 1]]} for n in "abc"],
    "edges": [["a", "b"], ["b", "c"]],
    "map": "sequential",
    "parameters": {"alpha": "1/10", "tau": "27/10"},
    "price_mechanism": {"kind": "linear", "gamma": "1/2"},
}
CHAIN_63_FP = {"y": [["1/2"]] * 3, "p": [["1/4"]] * 3, "pi": [1]}


# ============================================================================ enclosures
def rational(v) -> Fraction:
    return Fraction(mpmath.nstr(v, 60, strip_zeros=False))


RADIUS = mpmath.mpf(10) ** -30


def interval(v, radius=RADIUS) -> list:
    with mpmath.workdps(80):
        return [str(rational(v - radius)), str(rational(v + radius))]


def negative_feedback_root():
    """The fixed point ``x < 1/2`` of ``x = 1/(1 + e^{3(1 − 2x)})`` (mpmath, 80 digits)."""
    with mpmath.workdps(80):
        return mpmath.findroot(lambda x: x - 1 / (1 + mpmath.exp(3 * (1 - 2 * x))), mpmath.mpf("0.07"))


def negative_feedback_box(x, mirror: bool = False) -> dict:
    """Enclosure of the fixed point ``y = (x, 1 − x)``, ``p = (−3, −3)``, ``π = (x, 1 − x)`` (``x ↦ 1 − x``
    with ``mirror``)."""
    with mpmath.workdps(80):
        x = 1 - x if mirror else x
        return {"box": [interval(x), interval(1 - x), interval(-3), interval(-3), interval(x), interval(1 - x)]}


def tatonnement_e3_point():
    """Two agents, u = (4, 6), boxes [0, 1], edges [], α = β = 1/10, τ = 1 (tâtonnement).

    With y = (1, 1) clamped (v_a = 1 + α(u_a π_a − 1) > 1 when u_a π_a > 1), the fixed point of
    p' = q/Σq, q_a = p_a + β(u_a π_a − 1), is p_a = (u_a π_a − 1)/(Σ_b u_b π_b − 2); revenues s_a = p_a
    (y = 1) give π_1 = 1/(1 + e^{p_1 − p_2}): one scalar equation in π_1. (E3) fails: d_a − y_a = u_a π_a − 1.
    """
    with mpmath.workdps(80):

        def prices(x):
            s = 4 * x + 6 * (1 - x) - 2
            return (4 * x - 1) / s, (6 * (1 - x) - 1) / s

        x = mpmath.findroot(lambda x: x - 1 / (1 + mpmath.exp(prices(x)[0] - prices(x)[1])), mpmath.mpf("0.5"))
        p1, p2 = prices(x)
        return x, p1, p2


TATONNEMENT_46 = {
    "name": "four-six",
    "agents": [{"name": "a1", "demand": [4], "box": [[0, 1]]}, {"name": "a2", "demand": [6], "box": [[0, 1]]}],
    "edges": [],
    "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
}


def tatonnement_e3_box() -> dict:
    x, p1, p2 = tatonnement_e3_point()
    with mpmath.workdps(80):
        return {"box": [interval(1), interval(1), interval(p1), interval(p2), interval(x), interval(1 - x)]}
