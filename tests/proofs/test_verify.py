"""Tests of the independent witness verifier (proofs/verify.py).

Every witness here is built by hand from the file format (plain dicts, ``"p/q"`` strings) and
every figure in it is derived by hand in the comments — nothing is produced by geo-sym. For
each kind there is at least one correct witness (must verify) and tampered ones (must not).
"""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path

import mpmath
import pytest

from geo_sym.errors import GeoSymError, ModelFileError, NumberFormatError, ValidationError
from proofs.verify.core import KINDS, VerifyResult, verify_document, verify_file, verify_witness

VERIFY_SOURCE = Path(__file__).resolve().parents[2] / "proofs" / "verify" / "core.py"


# ----------------------------------------------------------------------------- economies
def one_agent(demand, box=((0, 1),), alpha="1/10", beta="1/10", tau=1):
    """One agent, one path (edges: []), tâtonnement, simultaneous map."""
    return {
        "name": "one",
        "agents": [{"name": "a", "demand": list(demand), "box": [list(b) for b in box]}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": alpha, "beta": beta, "tau": tau},
        "price_mechanism": {"kind": "tatonnement"},
    }


def two_agents(demands=(1, 1), boxes=((0, 1), (0, 1)), tau=1):
    """Agents a1, a2, K = 1, edges [] (paths [a1], [a2]), tâtonnement, α = β = 1/10."""
    return {
        "name": "two",
        "agents": [
            {"name": f"a{i + 1}", "demand": [u], "box": [list(b)]} for i, (u, b) in enumerate(zip(demands, boxes))
        ],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": tau},
        "price_mechanism": {"kind": "tatonnement"},
    }


def symmetric_linear(G=((0, 0), (0, 0)), b=(1, 1), demand=8, alpha="1/2", tau=1):
    """Two agents, K = 1, edges [], boxes [0, 10], sequential map, linear prices G y + b."""
    return {
        "name": "sym",
        "agents": [{"name": n, "demand": [demand], "box": [[0, 10]]} for n in ("a1", "a2")],
        "edges": [],
        "map": "sequential",
        "parameters": {"alpha": alpha, "tau": tau},
        "price_mechanism": {"kind": "linear", "G": [list(r) for r in G], "b": list(b)},
    }


TWO_BY_TWO = {
    "name": "two-by-two",
    "agents": [{"name": n, "demand": [1], "box": [[0, 1]]} for n in ("a1", "a2", "b1", "b2")],
    "edges": [["a1", "b1"], ["a1", "b2"], ["a2", "b1"], ["a2", "b2"]],
    "map": "simultaneous",
    "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 10},
    "price_mechanism": {"kind": "tatonnement"},
}


def witness(kind, economy, **extra):
    w = {"kind": kind, "economy": economy, "claimed": {}, "observed": {}, "exact": True}
    w.update(extra)
    return w


def tamper(w, path, value):
    """A deep copy of ``w`` with ``w[path[0]][path[1]]... = value``."""
    out = copy.deepcopy(w)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def assert_ok(w):
    r = verify_witness(w)
    assert isinstance(r, VerifyResult)
    assert r.ok, r.message
    assert r.kind == w["kind"] and "\n" not in r.message
    assert all(isinstance(k, str) for k in r.details)
    return r


def assert_not_ok(w, *words):
    r = verify_witness(w)
    assert not r.ok, r.message
    for word in words:
        assert word in r.message, r.message
    return r


# ============================================================================ walras_value
# One agent, K = 1, Y = [0, 1], u = 1/2, p = 1: supply y* = 1 (p > 0), Π = 1, one path so
# π* = [1], d = 1/2, value = 1·(1/2 − 1) = −1/2 ≠ 0.
WALRAS = witness(
    "walras_value", one_agent(["1/2"]), state={"p": [[1]]}, claimed={"value": 0}, observed={"value": "-1/2"}
)


def test_walras_value_confirmed():
    r = assert_ok(WALRAS)
    assert r.details["value"] == "-1/2"


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("observed", "value"), "-1/3", "observed.value"),  # wrong recomputed figure
        (("observed", "value"), "0", "observed.value"),
        (("state", "p"), [[0]], "observed.value"),  # p = 0: value 0
    ],
)
def test_walras_value_tampered(path, value, word):
    assert_not_ok(tamper(WALRAS, path, value), word)


def test_walras_value_claim_equal_to_value_is_no_contradiction():
    assert_not_ok(tamper(WALRAS, ("claimed", "value"), "-1/2"), "no contradiction")


def test_walras_value_with_exponentials_to_1e40():
    # Two agents, u = 1, Y = [0, 1], p = (1/3, 2/3), τ = 1: y* = (1, 1), s = (1/3, 2/3),
    # π1 = 1/(1 + e^{-1/3}), π2 = 1 − π1, value = (1/3)(π1 − 1) + (2/3)(π2 − 1) = −1/3 − π1/3.
    with mpmath.workdps(70):
        pi1 = 1 / (1 + mpmath.exp(mpmath.mpf(-1) / 3))
        value = -mpmath.mpf(1) / 3 - pi1 / 3
        text = mpmath.nstr(value, 60)
        off = mpmath.nstr(value + mpmath.mpf(10) ** -30, 60)
    w = witness(
        "walras_value",
        two_agents(),
        state={"p": [["1/3"], ["2/3"]]},
        claimed={"value": 0},
        observed={"value": text},
        exact=False,
    )
    r = assert_ok(w)
    assert "to 1e-40" in r.message
    assert_not_ok(tamper(w, ("observed", "value"), off), "observed.value")
    # the value is transcendental: an 'exact' witness cannot match it
    assert_not_ok(tamper(w, ("exact",), True), "observed.value")


def test_walras_value_ball_supply_is_algebraic():
    # One agent, K = 2, ball centre 0 radius 1, u = (1/2, 0), p = (1, 1): y* = (1, 1)/√2,
    # Π = √2, π = [1], d = (1/2, 0): value = 1/2 − √2.
    econ = {
        "name": "ball",
        "agents": [{"name": "a", "demand": ["1/2", 0], "ball": {"center": [0, 0], "radius": 1}}],
        "edges": [],
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
    }
    with mpmath.workdps(70):
        text = mpmath.nstr(mpmath.mpf(1) / 2 - mpmath.sqrt(2), 60)
    w = witness(
        "walras_value", econ, state={"p": [[1, 1]]}, claimed={"value": 0}, observed={"value": text}, exact=False
    )
    assert_ok(w)
    assert_not_ok(tamper(w, ("observed", "value"), "-0.9142"), "observed.value")


# ============================================================================ fixed_point_condition
# E3: one agent, Y = [0, 1], u = 2, x = (y, p, π) = (1, 1, 1). v = 1 + α(2 − 1) > 1 so y' = 1;
# q = 1 + β(2 − 1) > 0 so p' = 1; one path so π' = 1: a fixed point with d − y = 2 − 1 = 1 ≠ 0.
E3 = witness(
    "fixed_point_condition",
    one_agent([2]),
    condition="E3",
    state={"y": [[1]], "p": [[1]], "pi": [1]},
    claimed={"gap": [[0]]},
    observed={"gap": [[1]]},
)
# E1: u = 1/2, x = (1/2, 1, 1): v = 1/2, y' = 1/2; q = 1 > 0, p' = 1; π' = 1: fixed point.
# Profit <p, y> = 1/2 < Π(p) = max_{[0,1]} y = 1.
E1 = witness(
    "fixed_point_condition",
    one_agent(["1/2"]),
    condition="E1",
    state={"y": [["1/2"]], "p": [[1]], "pi": [1]},
    claimed={"profit": 1},
    observed={"profit": "1/2", "max_profit": 1},
)


def test_e3_confirmed():
    r = assert_ok(E3)
    assert r.details["gap"] == [["1"]]


def test_e1_confirmed_scalar_and_list_forms():
    assert_ok(E1)
    assert_ok(tamper(E1, ("observed",), {"profit": ["1/2"], "max_profit": [1]}))
    assert_ok(tamper(E1, ("observed",), {"agent": "a", "profit": "1/2", "max_profit": 1}))
    assert_ok(tamper(E3, ("observed",), {"agent": "a", "gap": [1]}))
    assert_ok(tamper(E3, ("observed", "gap"), [1]))  # flat, agent-major


@pytest.mark.parametrize(
    "base,path,value,word",
    [
        (E3, ("observed", "gap"), [[2]], "observed.gap"),  # wrong gap
        (E3, ("state", "y"), [["1/2"]], "not a fixed point"),  # v = 1/2 + (2 − 1/2)/10 ≠ 1/2
        (E3, ("state", "pi"), ["1/2"], "not a fixed point"),  # π' = 1 ≠ 1/2
        (E1, ("observed", "max_profit"), 2, "max profit"),  # Π = 1, not 2
        (E1, ("state", "p"), [["1/2"]], "not a fixed point"),  # p' = normalize = 1
        (E1, ("condition",), "E2", "E1 or E3"),
    ],
)
def test_fixed_point_condition_tampered(base, path, value, word):
    assert_not_ok(tamper(base, path, value), word)


def test_condition_that_holds_is_not_confirmed():
    # u = 1, x = (1, 1, 1): v = 1, q = 1, a fixed point where E3 (d = 1 = y) and E1 (<p,y> = 1 = Π) hold.
    w = tamper(E3, ("economy",), one_agent([1]))
    assert_not_ok(tamper(w, ("observed", "gap"), [[0]]), "E3", "holds")
    w1 = tamper(E1, ("economy",), one_agent([1]))
    w1 = tamper(tamper(w1, ("state", "y"), [[1]]), ("observed",), {"profit": 1, "max_profit": 1})
    assert_not_ok(w1, "E1", "holds")


def test_e3_at_a_fixed_point_with_exponential_routing():
    # Two agents, Y = [0, 1], u = (4, 6), tâtonnement, τ = 1. With y = (1, 1) clamped at hi
    # (v_a = 1 + α(u_a π_a − 1) > 1 when u_a π_a > 1), the price fixed point of
    # p' = q/Σq, q_a = p_a + β(u_a π_a − 1), is p_a = (u_a π_a − 1)/(Σ_b u_b π_b − 2) (then
    # Σ_a p_a = 1). Revenue s_a = p_a, so π1 = 1/(1 + e^{p1 − p2}): a scalar equation in π1,
    # solved here at 80 digits. The gap d − y = (4π1 − 1, 6π2 − 1) ≠ 0.
    with mpmath.workdps(80):

        def prices(x):
            s = 4 * x + 6 * (1 - x) - 2
            return (4 * x - 1) / s, (6 * (1 - x) - 1) / s

        def f(x):
            p1, p2 = prices(x)
            return x - 1 / (1 + mpmath.exp(p1 - p2))

        pi1 = mpmath.findroot(f, mpmath.mpf("0.5"))
        p1, p2 = prices(pi1)
        n = lambda x: mpmath.nstr(x, 60)
        state = {"y": [[1], [1]], "p": [[n(p1)], [n(p2)]], "pi": [n(pi1), n(1 - pi1)]}
        gap = [[n(4 * pi1 - 1)], [n(6 * (1 - pi1) - 1)]]
        assert 4 * pi1 > 1 and 6 * (1 - pi1) > 1
    w = witness(
        "fixed_point_condition",
        two_agents(demands=(4, 6)),
        condition="E3",
        state=state,
        observed={"gap": gap},
        exact=False,
    )
    r = assert_ok(w)
    assert "to 1e-40" in r.message
    # exact=True demands an exact fixed point, which a decimal state with exp routing is not
    assert_not_ok(tamper(w, ("exact",), True), "not a fixed point exactly")
    # a perturbation at the 30th digit breaks the 1e-40 residual bound
    with mpmath.workdps(80):
        moved = [n(pi1 + mpmath.mpf(10) ** -30), n(1 - pi1 - mpmath.mpf(10) ** -30)]
    assert_not_ok(tamper(w, ("state", "pi"), moved), "not a fixed point")


def test_e1_with_ball_max_profit_sqrt2_over_2():
    # One agent, K = 2, ball centre 0 radius 1, u = (1/2, 0); x: y = (1/2, 0), p = (1/2, 1/2), π = 1.
    # v = y + α(d − y) = y (d = u), inside the ball; q = p, p' = p/Σp = p: a fixed point.
    # profit = 1/4 < Π = r‖p‖ = √2/2.
    econ = {
        "name": "ball",
        "agents": [{"name": "a", "demand": ["1/2", 0], "ball": {"center": [0, 0], "radius": 1}}],
        "edges": [],
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
    }
    with mpmath.workdps(70):
        mx = mpmath.nstr(mpmath.sqrt(2) / 2, 60)
    w = witness(
        "fixed_point_condition",
        econ,
        condition="E1",
        state={"y": [["1/2", 0]], "p": [["1/2", "1/2"]], "pi": [1]},
        observed={"profit": "1/4", "max_profit": mx},
        exact=False,
    )
    assert_ok(w)
    assert_not_ok(tamper(w, ("observed", "max_profit"), "0.7071"), "no agent")


# ============================================================================ pareto_dominance
# The E1 economy and fixed point; alternative y' = 1, π' = π: profit <p, y'> = 1 > 1/2 at the
# fixed-point prices, and W(π') = W(π).
PARETO = witness(
    "pareto_dominance",
    one_agent(["1/2"]),
    state={"y": [["1/2"]], "p": [[1]], "pi": [1]},
    alternative={"y": [[1]], "pi": [1]},
)


def test_pareto_dominance_confirmed():
    r = assert_ok(PARETO)
    assert r.details["alternative_profit"] == ["1"]


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("alternative", "y"), [["1/2"]], "no better"),  # nothing improves
        (("alternative", "y"), [["1/4"]], "earns less"),
        (("alternative", "y"), [[2]], "not in Y_a"),
        (("alternative", "pi"), ["1/2"], "distribution"),
        (("state", "y"), [["1/4"]], "not a fixed point"),
    ],
)
def test_pareto_dominance_tampered(path, value, word):
    assert_not_ok(tamper(PARETO, path, value), word)


def test_pareto_welfare_loss_is_detected_with_logs():
    # Two agents, u = 1, Y = [0, 1]: x = (y, p, π) = ((1/2, 1/2), (1/2, 1/2), (1/2, 1/2)) is a fixed
    # point (d = y, q = p, equal path values 1/4). Alternative y' = (1, 1/2), π' = (1, 0): firm a1
    # gains (1/2 > 1/4) but W(π') − W(π) = 0 − τ log 2 < 0 (equal V, entropy lost).
    base = witness(
        "pareto_dominance",
        two_agents(),
        state={"y": [["1/2"], ["1/2"]], "p": [["1/2"], ["1/2"]], "pi": ["1/2", "1/2"]},
        alternative={"y": [[1], ["1/2"]], "pi": ["1/2", "1/2"]},
    )
    assert_ok(base)
    assert_not_ok(tamper(base, ("alternative", "pi"), [1, 0]), "welfare falls")


# ============================================================================ not_decentralizable
# Two agents, u = 1, Y = [0, 1], edges [] (paths [a1], [a2]); prices (1/2, 1/2), firm a1.
# Allocation y = (1, 0), π = (1, 0): d = (π1, π2) = y, y ∈ Y. Firm a1's profit w_a1(π)·<p, u> = π1/2
# is at most 1/2, attained only at π = (1, 0) (a1 lies on path [a1] only). π2 = 0 while τ > 0.
NOTDEC = witness(
    "not_decentralizable",
    two_agents(),
    allocation={"y": [[1], [0]], "pi": [1, 0]},
    prices=[["1/2"], ["1/2"]],
    firm="a1",
)


def test_not_decentralizable_confirmed():
    assert_ok(NOTDEC)


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("firm",), "a2", "not the maximum"),  # a2 earns 0 < 1/2
        (("allocation",), {"y": [["1/2"], ["1/2"]], "pi": ["1/2", "1/2"]}, "not the maximum"),
        (("allocation", "y"), [[1], [1]], "does not clear"),
        (("firm",), "zz", "not an agent"),
    ],
)
def test_not_decentralizable_tampered(path, value, word):
    assert_not_ok(tamper(NOTDEC, path, value), word)


def test_not_decentralizable_uniqueness_by_exact_lp():
    # Edges a1→b1, a1→b2: paths [a1,b1], [a1,b2]; firm a1 lies on both, so every routing gives it
    # the maximum 1·<p,u> = 1/2. With Y_b2 = [0, 1] many routings clear markets: not unique.
    # With Y_b2 = [0, 0], market clearing forces π2·1 = 0: the maximiser π = (1, 0) is unique.
    def econ(b2_box):
        return {
            "name": "fork",
            "agents": [
                {"name": "a1", "demand": [1], "box": [[0, 1]]},
                {"name": "b1", "demand": [1], "box": [[0, 1]]},
                {"name": "b2", "demand": [1], "box": [b2_box]},
            ],
            "edges": [["a1", "b1"], ["a1", "b2"]],
            "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
        }

    w = witness(
        "not_decentralizable",
        econ([0, 0]),
        allocation={"y": [[1], [1], [0]], "pi": [1, 0]},
        prices=[["1/2"], ["1/4"], ["1/4"]],
        firm="a1",
    )
    assert_ok(w)
    assert_not_ok(tamper(w, ("economy",), econ([0, 1])), "another market-clearing allocation")


# ============================================================================ spectral_radius
# Two agents, K = 1, edges [], Y = [0, 10], u = 8, sequential, α = 1/2, τ = 1, A(y) = 0·y + (1, 1).
# x = (y, p, π) = ((4, 4), (1, 1), (1/2, 1/2)): d = 8π = (4, 4) so v = y, y' = y (interior);
# p' = (1, 1); s' = <p, y'> = (4, 4), equal path values so π' = (1/2, 1/2): an exact fixed point.
# Tangent coordinates (y1, y2, p1, p2, c) with δπ = (c, −c):
#   δy'_a = (1−α)δy_a + α u δπ_a = δy_a/2 ± 4c,  δp' = 0,
#   δs'_a = p δy'_a + y' δp_a = δy'_a + 4 δp_a,
#   c' = −(1/τ) π1 π2 (δs'_1 − δs'_2) = −(1/4)(δs'_1 − δs'_2).
# T⁺JT = [[1/2, 0, 0, 0, 4], [0, 1/2, 0, 0, −4], [0]*5, [0]*5, [−1/8, 1/8, −1, 1, −2]].
# Symmetric mode: 1/2. Antisymmetric (η, c): [[1/2, 4], [−1/4, −2]]: trace −3/2, det 0 → 0, −3/2.
# So det(λI − T⁺JT) = λ³(λ − 1/2)(λ + 3/2) = λ⁵ + λ⁴ − (3/4)λ³. The paper's rate
# λ = (1 − α) γ_A P / τ = 0 (γ_A = ‖G‖ = 0), contradicted by |−3/2| = 3/2.
SYM_STATE = {"y": [[4], [4]], "p": [[1], [1]], "pi": ["1/2", "1/2"]}
SPECTRAL = witness(
    "spectral_radius",
    symmetric_linear(),
    state=SYM_STATE,
    claimed={"rate": 0, "converges": True},
    observed={"eigenvalue": "-3/2"},
)


def test_spectral_radius_confirmed():
    r = assert_ok(SPECTRAL)
    assert r.details["charpoly"].replace(" ", "") == "lambda**5+lambda**4-3*lambda**3/4"
    assert r.details["modulus_squared"] == "9/4"


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("observed", "eigenvalue"), "-1", "not an eigenvalue"),  # χ(−1) = −1 + 1 + 3/4 ≠ 0
        (("observed", "eigenvalue"), "-3/2000", "not an eigenvalue"),
        (("observed", "eigenvalue"), {"re": "-3/2", "im": 1}, "not an eigenvalue"),
        (("claimed",), {"rate": 2}, "contradicts no"),  # 3/2 < 2
        (("state", "y"), [[5], [4]], "not a fixed point"),
        (
            ("state", "pi"),
            [
                "0.5000000000000000000000000000000000000000000000000001",
                "0.4999999999999999999999999999999999999999999999999999",
            ],
            "not a fixed point exactly",
        ),
    ],
)
def test_spectral_radius_tampered(path, value, word):
    assert_not_ok(tamper(SPECTRAL, path, value), word)


def test_spectral_radius_small_eigenvalue_contradicts_only_a_smaller_rate():
    # 1/2 is an eigenvalue (symmetric mode): it refutes rate 0 but not convergence.
    w = tamper(tamper(SPECTRAL, ("observed", "eigenvalue"), "1/2"), ("claimed",), {"converges": True})
    assert_not_ok(w, "contradicts no")
    assert_ok(tamper(w, ("claimed",), {"rate": "1/4"}))


def test_spectral_radius_complex_pair():
    # Same economy with u = 4, G = (5/4) I, b = (−7/2, −7/2), τ = 2: x = ((2, 2), (−1, −1), (1/2, 1/2))
    # is a fixed point (v = 2 + (4/2 − 2)/2 = 2; p' = (5/4)·2 − 7/2 = −1; equal values).
    # Antisymmetric mode in (η, ρ, c), a = 1 − α = 1/2, e = α u = 2, y = 2, p = −1:
    #   η' = aη + ec, ρ' = γη', c' = −(1/(2τ))(p η' + y ρ)
    # has characteristic polynomial λ(λ² − (a − pe/(2τ))λ + γ e y/(2τ)) = λ(λ² − λ + 5/4):
    # eigenvalues 1/2 ± i, modulus² 5/4 > 1 although convergence is claimed.
    econ = symmetric_linear(G=(("5/4", 0), (0, "5/4")), b=("-7/2", "-7/2"), demand=4, tau=2)
    w = witness(
        "spectral_radius",
        econ,
        state={"y": [[2], [2]], "p": [[-1], [-1]], "pi": ["1/2", "1/2"]},
        claimed={"converges": True},
        observed={"eigenvalue": {"re": "1/2", "im": 1}},
    )
    r = assert_ok(w)
    assert r.details["modulus_squared"] == "5/4"
    assert_ok(tamper(w, ("observed", "eigenvalue"), ["1/2", -1]))
    assert_not_ok(tamper(w, ("observed", "eigenvalue"), {"re": "1/2", "im": 2}), "not an eigenvalue")
    assert_not_ok(tamper(w, ("observed", "eigenvalue"), {"re": "1/2", "im": "1/2"}), "not an eigenvalue")


# ============================================================================ operator_norm
# Same economy and state as SPECTRAL; v = e_c (the π tangent direction): T⁺JT v = (4, −4, 0, 0, −2),
# ‖·‖² = 16 + 16 + 4 = 36, ‖v‖² = 1, ratio² = 36 > bound² = 0.
# v = (1, 1, 0, 0, 0): image (1/2, 1/2, 0, 0, −1/8 + 1/8 = 0), ratio² = (1/4 + 1/4)/2 = 1/4.
OPNORM = witness(
    "operator_norm",
    symmetric_linear(),
    state=SYM_STATE,
    vector=[0, 0, 0, 0, 1],
    claimed={"bound": 0},
    observed={"ratio_squared": 36},
)


def test_operator_norm_confirmed():
    assert_ok(OPNORM)
    assert_ok(tamper(tamper(OPNORM, ("vector",), [1, 1, 0, 0, 0]), ("observed", "ratio_squared"), "1/4"))


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("observed", "ratio_squared"), 35, "observed.ratio_squared"),
        (("claimed", "bound"), 6, "does not exceed"),  # 36 = 6²: not exceeded
        (("claimed", "bound"), 7, "does not exceed"),
        (("vector",), [0, 0, 0, 0, 0], "zero"),
        (("state", "pi"), ["3/4", "3/4"], "sums to"),  # outside Ω_K
    ],
)
def test_operator_norm_tampered(path, value, word):
    assert_not_ok(tamper(OPNORM, path, value), word)


def test_operator_norm_at_a_kink_is_refused():
    # One agent, u = 1, Y = [0, 1], x = (1, 1, 1): v = 1 + α(1 − 1) = 1 = hi, a kink of Proj_Y.
    w = witness(
        "operator_norm",
        one_agent([1]),
        state={"y": [[1]], "p": [[1]], "pi": [1]},
        vector=[1],
        claimed={"bound": 0},
        observed={"ratio_squared": 1},
    )
    assert_not_ok(w, "kink")


def test_operator_norm_with_exponential_routing():
    # Two agents (u = 1, Y = [0, 1]), simultaneous tâtonnement, τ = 1, at x with y = (1/2, 1/4),
    # p = (1/2, 1/2), π = (1/2, 1/2): v = y + (π − y)/10 is interior, q = p + (π − y)/10 > 0.
    # Tangent coordinates (y1, y2, p1, c) — p's simplex block has one coordinate (p1, −p1).
    # Direction v = e_{y1}: y'_1 = y1 + (π1 − y1)/10 → ∂y'_1/∂y1 = 9/10, ∂y'_2/∂y1 = 0.
    # q = (1/2 + (1/2 − y1)/10, 1/2 + (1/2 − 1/4)/10) = (1/2, 21/40); S = 41/40,
    # ∂p'_1/∂y1 = (−1/10·S − q1·(−1/10))/S² = −(S − q1)/(10 S²) = −(21/40)/(10·(41/40)²) = −84/1681.
    # s_a = p_a y_a: ∂s_1/∂y1 = 1/2, V = s, π'_1 = 1/(1 + e^{s1 − s2}), s1 − s2 = 1/4 − 1/8 = 1/8:
    # ∂π'_1/∂y1 = −π'_1 π'_2 · (1/2) with π'_1 π'_2 = e^{1/8}/(1 + e^{1/8})².
    # ratio² = (9/10)² + (84/1681)² + (e^{1/8}/(2(1 + e^{1/8})²))².
    with mpmath.workdps(80):
        e = mpmath.exp(mpmath.mpf(1) / 8)
        ratio = (mpmath.mpf(9) / 10) ** 2 + (mpmath.mpf(84) / 1681) ** 2 + (e / (2 * (1 + e) ** 2)) ** 2
        text = mpmath.nstr(ratio, 60)
    w = witness(
        "operator_norm",
        two_agents(),
        state={"y": [["1/2"], ["1/4"]], "p": [["1/2"], ["1/2"]], "pi": ["1/2", "1/2"]},
        vector=[1, 0, 0, 0],
        claimed={"bound": "9/10"},
        observed={"ratio_squared": text},
        exact=False,
    )
    r = assert_ok(w)
    assert "to 1e-40" in r.message
    assert_not_ok(tamper(w, ("claimed", "bound"), 1), "does not exceed")
    assert_not_ok(tamper(w, ("exact",), True), "observed.ratio_squared")


# ============================================================================ undefined_map
# One agent, u = 0, Y = [0, 1], β = 2, x = (1, 1, 1) ∈ Ω_K: d = 0, q = 1 + 2(0 − 1) = −1 ≤ 0.
UNDEF = witness("undefined_map", one_agent([0], beta=2), state={"y": [[1]], "p": [[1]], "pi": [1]})


def test_undefined_map_confirmed():
    r = assert_ok(UNDEF)
    assert r.details["q"] == [["-1"]]


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("economy", "parameters", "beta"), "1/2", "positive coordinate"),  # q = 1 − 1/2 > 0
        (("state", "y"), [[0]], "positive coordinate"),  # q = 1 + 2(0 − 0) = 1
        (("state", "p"), [[2]], "sums to 2"),  # not on the price simplex
        (("state", "y"), [[2]], "not in Y_a"),
    ],
)
def test_undefined_map_tampered(path, value, word):
    assert_not_ok(tamper(UNDEF, path, value), word)


def test_undefined_map_with_linear_prices_is_not_confirmed():
    w = witness("undefined_map", symmetric_linear(), state=SYM_STATE)
    assert_not_ok(w, "linear")


# ============================================================================ dimension
# Two-by-two: 4 boxes [0, 1] (dim 1 each), prices on the simplex in R^4 (dim 3), 4 paths (dim 3):
# dim aff Ω_K = 4 + 3 + 3 = 10; the paper's n = AK + (AK − 1) + |P| = 4 + 3 + 4 = 11.
DIM = witness("dimension", TWO_BY_TWO, claimed={"dimension": 11}, observed={"dimension": 10})


def test_dimension_confirmed():
    r = assert_ok(DIM)
    assert r.details["dimension"] == "10" and r.details["paths"] == "4"


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("observed", "dimension"), 11, "observed.dimension"),
        (("claimed", "dimension"), 10, "no contradiction"),
    ],
)
def test_dimension_tampered(path, value, word):
    assert_not_ok(tamper(DIM, path, value), word)


def test_dimension_counts_degenerate_boxes_and_linear_prices():
    # Symmetric linear economy: boxes [0, 10] (1 + 1), free prices (AK = 2), 2 paths (1): 5.
    assert_ok(witness("dimension", symmetric_linear(), claimed={"dimension": 6}, observed={"dimension": 5}))
    # A box [0, 0] has affine dimension 0: two agents, one degenerate, tâtonnement: 1 + 0 + 1 + 1 = 3.
    econ = two_agents(boxes=((0, 1), (0, 0)))
    assert_ok(witness("dimension", econ, claimed={"dimension": 5}, observed={"dimension": 3}))


# ============================================================================ iteration_count
# One agent, u = 5, Y = [0, 10], α = β = 1/10: from x0 = (0, 1, 1) to x* = (5, 1, 1).
# p stays 1 (q = 1 + β(5 − y) > 0, one coordinate) and π = 1, y_{n+1} − 5 = (9/10)(y_n − 5):
# ‖x_n − x*‖/‖x_0 − x*‖ = (9/10)^n ≤ 1/100 first at n = ⌈ln 100/ln(10/9)⌉ = ⌈43.7⌉ = 44
# ((9/10)^43 ≈ 0.01078, (9/10)^44 ≈ 0.00970); Example 6.3 claims ≈ 7.
ITER = witness(
    "iteration_count",
    one_agent([5], box=((0, 10),)),
    state={"y": [[0]], "p": [[1]], "pi": [1]},
    fixed_point={"y": [[5]], "p": [[1]], "pi": [1]},
    claimed={"iterations": 7, "accuracy": "1/100"},
    observed={"iterations": 44},
)


def test_iteration_count_confirmed():
    r = assert_ok(ITER)
    assert r.details["first_n"] == "44"
    # with α = 1/2 the ratio is 2^{-n}: first n with 2^{-n} ≤ 1/100 is 7, as Example 6.3 says
    half = tamper(tamper(ITER, ("economy", "parameters", "alpha"), "1/2"), ("observed", "iterations"), 7)
    assert_not_ok(half, "equals claimed")


@pytest.mark.parametrize(
    "path,value,word",
    [
        (("observed", "iterations"), 43, "not observed 43"),
        (("observed", "iterations"), 45, "is n = 44"),
        (("fixed_point", "y"), [[4]], "not a fixed point"),
        (("claimed", "iterations"), 44, "equals claimed"),
    ],
)
def test_iteration_count_tampered(path, value, word):
    assert_not_ok(tamper(ITER, path, value), word)


# ============================================================================ documents, files, errors
# a_priori_bound: one agent, u = 1/2, box [0, 1], α = 1/10; from y = 0 one step gives
# y_1 = 0 + (1/10)(1/2 − 0) = 1/20, so ‖x_1 − x*‖ = |1/20 − 1/2| = 9/20 > 9/200.
APRIORI = {
    "kind": "a_priori_bound",
    "economy": {
        "name": "one",
        "agents": [{"name": "a", "demand": ["1/2"], "box": [[0, 1]]}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
        "price_mechanism": {"kind": "tatonnement"},
    },
    "state": {"y": [[0]], "p": [[1]], "pi": [1]},
    "fixed_point": {"y": [["1/2"]], "p": [[1]], "pi": [1]},
    "n": 1,
    "claimed": {"bound": "9/200"},
    "observed": {"distance": "9/20"},
    "exact": True,
}


def test_a_priori_bound_confirmed_and_tampered():
    assert verify_witness(APRIORI).ok
    assert not verify_witness(tamper(APRIORI, ("claimed", "bound"), "1/2")).ok  # 9/20 < 1/2: no violation
    assert not verify_witness(tamper(APRIORI, ("observed", "distance"), "2/5")).ok  # wrong distance
    assert not verify_witness(tamper(APRIORI, ("fixed_point", "y"), [["1/3"]])).ok  # not a fixed point


def test_every_kind_is_covered_here():
    covered = {
        WALRAS["kind"],
        E3["kind"],
        PARETO["kind"],
        NOTDEC["kind"],
        SPECTRAL["kind"],
        OPNORM["kind"],
        UNDEF["kind"],
        DIM["kind"],
        ITER["kind"],
        APRIORI["kind"],
    }
    assert covered == set(KINDS)


def test_verdict_list_verifies_only_refuted_ones(tmp_path):
    doc = [
        {"id": "thm-3.1", "status": "refuted", "witness": WALRAS},
        {"id": "thm-4.4", "status": "proved", "witness": {}},
        {"id": "lem-4.2", "status": "refuted", "witness": tamper(DIM, ("observed", "dimension"), 12)},
    ]
    results = verify_document(doc)
    assert [r.ok for r in results] == [True, False]
    assert results[0].details["id"] == "thm-3.1" and results[1].details["id"] == "lem-4.2"
    path = tmp_path / "verdicts.json"
    path.write_text(json.dumps(doc))
    assert [r.ok for r in verify_file(path)] == [True, False]
    # one verdict object: its witness is used whatever its status
    assert [r.ok for r in verify_document({"id": "x", "status": "refuted", "witness": E3})] == [True]
    assert [r.ok for r in verify_document(UNDEF)] == [True]


def test_bad_json_and_missing_structure_raise_model_file_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ModelFileError, match="JSON"):
        verify_file(bad)
    with pytest.raises(ModelFileError):
        verify_file(tmp_path / "absent.json")
    nokind = tmp_path / "nokind.json"
    nokind.write_text(json.dumps({"economy": TWO_BY_TWO}))
    with pytest.raises(ModelFileError, match="kind"):
        verify_file(nokind)
    missing_witness = tmp_path / "mw.json"
    missing_witness.write_text(json.dumps([{"id": "x", "status": "refuted"}]))
    with pytest.raises(ModelFileError, match=r"\[0\]\.witness"):
        verify_file(missing_witness)
    with pytest.raises(ModelFileError, match="status"):
        verify_document([{"witness": WALRAS}])
    with pytest.raises(ModelFileError, match="economy"):
        verify_witness({"kind": "dimension"})
    with pytest.raises(GeoSymError):
        verify_witness(["not", "an", "object"])


def test_missing_kind_specific_key_and_unknown_kind_give_ok_false():
    no_state = {k: v for k, v in WALRAS.items() if k != "state"}
    assert_not_ok(no_state, "state")
    no_obs = {k: v for k, v in DIM.items() if k != "observed"}
    assert_not_ok(no_obs, "observed")
    assert_not_ok(tamper(E3, ("state",), {"y": [[1]], "p": [[1]]}), "state.pi")
    r = verify_witness(tamper(DIM, ("kind",), "bogus_kind"))
    assert not r.ok and "unknown" in r.message


def test_invalid_economy_raises_validation_error_naming_the_field():
    with pytest.raises(ValidationError, match="alpha"):
        verify_witness(tamper(DIM, ("economy", "parameters", "alpha"), 2))
    with pytest.raises(ValidationError, match="edges"):
        verify_witness(tamper(DIM, ("economy", "edges"), [["a1", "zz"]]))
    with pytest.raises(ValidationError, match="state.pi"):
        verify_witness(tamper(E3, ("state", "pi"), [1, 0]))  # wrong length: 1 path


INJECTIONS = [
    "__import__('os').system('touch /tmp/geo_sym_pwned')",
    "exp(1)",
    "1/0",
    "lambda: 1",
    "1e999999",
    "nan",
    "Rational(1, 2)",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_code_in_numbers_is_rejected_never_evaluated(text):
    for w, path in [
        (WALRAS, ("state", "p")),
        (E3, ("observed", "gap")),
        (SPECTRAL, ("observed", "eigenvalue")),
        (DIM, ("economy", "parameters", "tau")),
    ]:
        value = [[text]] if path[-1] in ("p", "gap") else text
        with pytest.raises(ValidationError):
            verify_witness(tamper(w, path, value))
    assert not Path("/tmp/geo_sym_pwned").exists()


def test_code_in_numbers_is_rejected_in_files(tmp_path):
    path = tmp_path / "w.json"
    path.write_text(json.dumps(tamper(WALRAS, ("observed", "value"), "__import__('os').getcwd()")))
    with pytest.raises(NumberFormatError, match="observed.value"):
        verify_file(path)


def test_verifier_is_independent_of_the_code_it_checks():
    tree = ast.parse(VERIFY_SOURCE.read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
    forbidden = (
        "geo_sym.maps.core",
        "geo_sym.maps.jacobian",
        "geo_sym.maps.symbolic",
        "geo_sym.economy.graph",
        "geo_sym.economy.production",
        "geo_sym.economy.state",
    )
    assert not any(name.startswith(forbidden) for name in imported), imported
    assert not any(name.startswith("proofs") or name.startswith(".") for name in imported), imported
    assert {n for n in imported if n.startswith("geo_sym")} <= {
        "geo_sym.economy.spec",
        "geo_sym.economy.numbers",
        "geo_sym.errors",
    }
    text = VERIFY_SOURCE.read_text()
    assert "eval(" not in text.replace("_iv_eval(", "")
    assert "sympify" not in text and "parse_expr" not in text and "exec(" not in text
