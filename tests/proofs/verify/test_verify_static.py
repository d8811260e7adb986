"""walras_value, undefined_map, no_equilibrium, not_decentralizable: confirmed and corrupted witnesses."""

from __future__ import annotations

import mpmath
import pytest
from hand_witnesses import DROP, TWO_PATHS, one_agent, one_linear, tamper

from proofs.verify import verify_witness


def confirmed(w):
    r = verify_witness(w)
    assert r.ok, r.message
    assert r.kind == w["kind"] and r.claim == w["claim"] and "\n" not in r.message
    return r


def rejected(w, *words):
    r = verify_witness(w)
    assert not r.ok, r.message
    for word in words:
        assert word in r.message, r.message
    return r


# ============================================================================ walras_value
# One agent, K = 1, Y = [0, 1], u = 1/2, p = 1: supply y* = 1 (p > 0), Π = 1, one path so π = [1],
# d = 1/2, spend <p, d> = 1/2, unspent budget g = 1 − 1/2 = 1/2 > 0, value Σ<p, z> = −1/2 ≠ 0.
WALRAS = {
    "kind": "walras_value",
    "claim": "thm-3.1",
    "economy": one_agent(["1/2"]),
    "prices": [[1]],
    "supply": [[1]],
    "claimed": {"value": 0},
    "observed": {"value": "-1/2"},
}


def test_walras_value_confirmed_with_hand_figures():
    r = confirmed(WALRAS)
    assert r.details["value"] == "-1/2" and r.details["unspent_budget"] == "1/2"
    confirmed(tamper(WALRAS, ("observed", "value"), ["-0.51", "-0.49"]))  # an enclosure of −1/2
    confirmed(tamper(WALRAS, ("observed",), DROP))  # observed is optional
    confirmed(tamper(WALRAS, ("claim",), "thm-8.1(ii)"))  # the consolidated part


def test_walras_value_negative_price_is_in_the_domain():
    # p = −1: supply lo = 0, Π = 0, spend <p, d> = −1/2, g = 0 − (−1/2) = 1/2 > 0, value −1/2.
    confirmed(tamper(tamper(WALRAS, ("prices",), [[-1]]), ("supply",), [[0]]))


@pytest.mark.parametrize(
    "path,value,words",
    [
        (("supply",), [["1/2"]], ("σ_a(p)",)),  # <p, y> = 1/2 < Π = 1: not profit-maximising
        (("supply",), [[2]], ("σ_a(p)",)),  # outside Y
        (("observed", "value"), "-1/3", ("observed.value",)),  # wrong observed figure
        (("observed", "value"), ["-0.4", "-0.3"], ("observed.value",)),  # enclosure missing −1/2
        (("claimed", "value"), "1/2", ("claimed.value",)),  # the theorem asserts 0
        (("prices",), [[0]], ("not positive",)),  # p = 0: g = 0, value 0
        (("supply",), [[0]], ("σ_a(p)",)),
    ],
)
def test_walras_value_corrupted(path, value, words):
    w = tamper(WALRAS, path, value)
    if path == ("prices",):
        w = tamper(w, ("supply",), [[0]])  # at p = 0 every y ∈ Y is a supply; take 0
    rejected(w, *words)


def test_walras_value_with_exponential_routing():
    # Paths [a], [b], u = 1, Y = [0, 1], p = (1/3, 2/3), τ = 1: supply (1, 1), V = (1/3, 2/3),
    # π_a = 1/(1 + e^{−1/3}), spend = π_a/3 + 2π_b/3, Π = 1, g = 1 − (2 − π_a)/3 = (1 + π_a)/3.
    with mpmath.workdps(60):
        pa = 1 / (1 + mpmath.exp(mpmath.mpf(-1) / 3))
        value = -(1 + pa) / 3
        lo, hi = mpmath.nstr(value - mpmath.mpf(10) ** -40, 50), mpmath.nstr(value + mpmath.mpf(10) ** -40, 50)
        off = mpmath.nstr(value + mpmath.mpf(10) ** -30, 50)
    w = dict(WALRAS, economy=TWO_PATHS, prices=[["1/3"], ["2/3"]], supply=[[1], [1]], observed={"value": [lo, hi]})
    confirmed(w)
    rejected(tamper(w, ("observed", "value"), [off, off]), "observed.value")
    rejected(tamper(w, ("observed", "value"), "-1/2"), "observed.value")  # a rational cannot equal it


def test_walras_value_ball_supply_is_algebraic():
    # One agent, K = 2, ball centre 0 radius 1, u = (1/2, 0), p = (1, 0): supply (1, 0), Π = 1,
    # spend 1/2, value −1/2. With p = (1, 1) the supply (1, 1)/√2 is irrational: a rational supply
    # cannot be in σ(p).
    econ = {
        "name": "ball",
        "agents": [{"name": "a", "demand": ["1/2", 0], "ball": {"center": [0, 0], "radius": 1}}],
        "edges": [],
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
    }
    w = dict(WALRAS, economy=econ, prices=[[1, 0]], supply=[[1, 0]])
    confirmed(w)
    rejected(tamper(tamper(w, ("prices",), [[1, 1]]), ("supply",), [["7/10", "7/10"]]), "σ_a(p)")


# ============================================================================ undefined_map
# One agent, Y = [0, 10], u = 0, β = 1/5, x = (y, p, π) = (10, 1, 1) ∈ Ω_K:
# q = p + β(d − y) = 1 + (1/5)(0 − 10) = −1 ≤ 0: normalize(0).
UNDEFINED = {
    "kind": "undefined_map",
    "claim": "lem-4.3",
    "economy": one_agent([0], box=((0, 10),), beta="1/5"),
    "map": "simultaneous",
    "state": {"y": [[10]], "p": [[1]], "pi": [1]},
}


def test_undefined_map_confirmed():
    confirmed(UNDEFINED)
    confirmed(tamper(UNDEFINED, ("state", "y"), [[5]]))  # q = 1 − 1 = 0 ≤ 0: still undefined
    confirmed(tamper(UNDEFINED, ("map",), DROP))  # the default is Φ_K


@pytest.mark.parametrize(
    "path,value,words",
    [
        (("state", "y"), [[1]], ("defined",)),  # q = 1 − 1/5 > 0
        (("state", "y"), [[11]], ("outside the state space",)),  # y ∉ Y
        (("state", "p"), [[2]], ("simplex",)),  # p ∉ Δ_p
        (("state", "pi"), [1, 0], ("state.pi",)),  # wrong length: one path
        (("economy",), one_linear(), ("linear",)),  # no normalisation
        (("map",), "sequential", ("lem-4.3 is about the simultaneous map",)),
        (("state", "p"), [["1/2"]], ("simplex",)),
    ],
)
def test_undefined_map_corrupted(path, value, words):
    rejected(tamper(UNDEFINED, path, value), *words)


# ============================================================================ no_equilibrium
# Separation: one agent, Y = [0, 1], u = 2: <h, d(e_1)> = 2 ≥ c = 2 and max_Y <h, y> = 1 < 2.
SEPARATION = {
    "kind": "no_equilibrium",
    "claim": "thm-4.4/existence",
    "economy": one_agent([2]),
    "certificate": {"kind": "separation", "h": [[1]], "c": 2},
}
# The interior one-agent economy: K = 2, Y = [0, 1]², u = (1/2, 1/2). (E3) forces y = (1/2, 1/2) < hi;
# each LP max d_k − hi_k = 1/2 − 1 = −1/2 < 0, so no price in Δ_p satisfies (E1).
INTERIOR = {
    "kind": "no_equilibrium",
    "claim": "thm-4.4/existence",
    "economy": one_agent(["1/2", "1/2"], box=((0, 1), (0, 1))),
    "certificate": {"kind": "no_price_support"},
}


def test_separation_certificate_for_demand_above_capacity():
    confirmed(SEPARATION)
    confirmed(tamper(SEPARATION, ("certificate", "c"), "3/2"))  # 2 ≥ 3/2 > 1
    confirmed(tamper(SEPARATION, ("claim",), "thm-8.1(i)"))


@pytest.mark.parametrize(
    "c,words", [(1, ("not below c",)), (3, ("< c",)), ("x", ("certificate.c",))], ids=["max=c", "path<c", "text"]
)
def test_separation_corrupted(c, words):
    rejected(tamper(SEPARATION, ("certificate", "c"), c), *words)


def test_separation_with_a_ball_decided_exactly():
    # Y = B(0, 1) in R², u = (2, 0), h = (1, 1): <h, u> = 2; max_Y <h, y> = ‖h‖ = √2 ≈ 1.414.
    econ = {
        "name": "ball",
        "agents": [{"name": "a", "demand": [2, 0], "ball": {"center": [0, 0], "radius": 1}}],
        "edges": [],
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
    }
    w = dict(SEPARATION, economy=econ, certificate={"kind": "separation", "h": [[1, 1]], "c": "3/2"})
    confirmed(w)  # √2 < 3/2
    rejected(tamper(w, ("certificate", "c"), "7/5"), "not below c")  # √2 > 7/5


def test_no_price_support_lp_certificate():
    r = confirmed(INTERIOR)
    assert r.details["lp_optima"] == {"a[0]": "-1/2", "a[1]": "-1/2"}
    # u = (2, 0): d = (2, 0) ∉ [0, 1]², the LP is infeasible: (E3) itself fails
    assert confirmed(tamper(INTERIOR, ("economy", "agents", 0, "demand"), [2, 0])).details["lp"] == "infeasible"


def test_no_price_support_corrupted():
    # u = (1, 1/2): coordinate 0 reaches hi (slack 0): the price (1, 0) supports y = (1, 1/2)
    rejected(tamper(INTERIOR, ("economy", "agents", 0, "demand"), [1, "1/2"]), "could be supported")
    rejected(tamper(INTERIOR, ("certificate", "kind"), "magic"), "certificate.kind")
    ball = {"name": "b", "demand": [0, 0], "ball": {"center": [0, 0], "radius": 1}}
    rejected(tamper(INTERIOR, ("economy", "agents"), [ball]), "box production sets only")


# ============================================================================ not_decentralizable
# Paths [a], [b], u = 1, Y = [0, 1]. Allocation π = e_0, y = d(e_0) = (1, 0): feasible. Firm a is on path
# 0 only and <p⁰_a, u_a> = 1 > 0: Pareto-optimal at p⁰ = (1, 0). (E1) at y: y_b = 0 < hi forces p_b = 0,
# so p = (1, 0); then b_1 − b_0 = 0 − 1 = −1: max t = −1 ≤ 0, B(p) = Δ ≠ {e_0}.
NOT_DEC = {
    "kind": "not_decentralizable",
    "claim": "thm-5.4",
    "economy": TWO_PATHS,
    "allocation": {"y": [[1], [0]], "pi": [1, 0]},
    "reference_prices": [[1], [0]],
    "firm": "a",
}


def test_not_decentralizable_confirmed():
    assert confirmed(NOT_DEC).details["lp"] == "-1"
    confirmed(tamper(NOT_DEC, ("claim",), "thm-8.1(iv)"))


@pytest.mark.parametrize(
    "path,value,words",
    [
        (("allocation", "y"), [["1/2"], [0]], ("clear",)),
        (("allocation", "pi"), ["1/2", "1/2"], ("vertex",)),
        (("firm",), "b", ("path 0 only",)),
        (("reference_prices",), [[0], [1]], ("≤ 0",)),
        (("firm",), "zz", ("firm",)),
        # b's box [−1, 0]: y_b = 0 = hi, so p_b is free; p = (0, 1) gives b_1 − b_0 = 1: decentralisable
        (("economy", "agents", 1, "box"), [[-1, 0]], ("decentralised",)),
    ],
)
def test_not_decentralizable_corrupted(path, value, words):
    rejected(tamper(NOT_DEC, path, value), *words)


def test_not_decentralizable_one_path_is_rejected():
    # One path: e_0 is the only routing; the LP has no gap constraint and is unbounded
    w = dict(NOT_DEC, economy=one_agent([1]), allocation={"y": [[1]], "pi": [1]}, reference_prices=[[1]])
    rejected(w, "decentralised")
