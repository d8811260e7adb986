"""operator_norm, iteration_count and a_priori_bound: confirmed and corrupted witnesses."""

from __future__ import annotations

import pytest
from hand_witnesses import CHAIN_63, CHAIN_63_FP, DROP, NEGATIVE_FEEDBACK, SYMMETRIC_FP, one_agent, one_linear, tamper
from test_verify_static import confirmed, rejected

# ============================================================================ operator_norm
# The 2-state linear economy: one agent, Y = [0, 10], u = 1, α = 1/2, G = 2 (γI), τ = 2:
# (1 − α)γ_A P = (1/2)(2)(1) = 1 < 2 = τ (the hypothesis holds), λ = 1/2. At x = (y, p, π) = (1, 2, 1)
# (interior: v = 1; p = G·1 ∈ A_K(Y) = [0, 20]):
#   Φ_K: y' = y/2 + 1/2, p' = 2y  ⇒ J t = (1/2, 2) for t = (1, 0, 0): ‖J t‖² = 1/4 + 4 = 17/4 > 1;
#   T:   p' = 2y' = y + 1          ⇒ J t = (1/2, 1):                  ‖J t‖² = 1/4 + 1 = 5/4 > 1.
NORM_ECONOMY = one_linear(alpha="1/2", gamma=2, tau=2)
NORM = {
    "kind": "operator_norm",
    "claim": "prop-6.2/simultaneous",
    "economy": NORM_ECONOMY,
    "map": "simultaneous",
    "state": {"y": [[1]], "p": [[2]], "pi": [1]},
    "tangent": [1, 0, 0],
    "claimed": {"figure": "one", "bound": 1},
    "observed": {"ratio_squared": "17/4"},
}


def test_operator_norm_computed_by_hand():
    assert confirmed(NORM).details["ratio_squared"] == "17/4"
    seq = dict(NORM, claim="prop-6.2/sequential", map="sequential", observed={"ratio_squared": "5/4"})
    assert confirmed(seq).details["ratio_squared"] == "5/4"
    # the proof's bound λ = 1/2: 17/4 > 1/4 (strict)
    confirmed(tamper(NORM, ("claimed",), {"figure": "rate", "bound": "1/2"}))
    # t = (2, 0, 0): the ratio is scale-free
    confirmed(tamper(NORM, ("tangent",), [2, 0, 0]))


@pytest.mark.parametrize(
    "path,value,words",
    [
        (("claimed", "bound"), 2, ("claimed.bound",)),  # the statement's figure is 1
        (("claimed", "figure"), "two", ("claimed.figure",)),
        (("claimed",), {"figure": "rate", "bound": 1}, ("claimed.bound",)),  # λ = 1/2, not 1
        (("economy", "parameters", "tau"), 1, ("does not satisfy",)),  # (1 − α)γ_A P = 1 = τ
        (("tangent",), [0, 1, 0], ("does not exceed",)),  # J t = 0: prices do not feed back
        (("tangent",), [1, 0, 1], ("not tangent",)),  # π-block must sum to 0
        (("tangent",), [0, 0, 0], ("zero",)),
        (("tangent",), [1, 0], ("tangent",)),  # wrong length
        (("state", "p"), [[30]], ("A_K",)),  # 30 ∉ G·[0, 10] = [0, 20]
        (("state", "y"), [[11]], ("state space",)),
        (("observed", "ratio_squared"), "4", ("observed.ratio_squared",)),
        (("map",), "sequential", ("simultaneous map",)),
        (("economy",), one_agent([1]), ("linear",)),  # tâtonnement: λ is not defined
    ],
)
def test_operator_norm_corrupted(path, value, words):
    rejected(tamper(NORM, path, value), *words)


def test_operator_norm_equal_to_the_rate_does_not_refute_the_proof_bound():
    # α = 1/2, γ = 2/3, τ = 2/5: (1 − α)γ P = 1/3 < τ, λ = (1/3)/(2/5) = 5/6. At y = 1 (interior), t = (1, 0, 0):
    # J t = (1/2, 2/3), ‖J t‖² = 1/4 + 4/9 = 25/36 = λ² exactly: "≤ λ" holds with equality, "< 1" too.
    w = dict(
        NORM, economy=one_linear(alpha="1/2", gamma="2/3", tau="2/5"), state={"y": [[1]], "p": [["2/3"]], "pi": [1]}
    )
    w["observed"] = {"ratio_squared": "25/36"}
    rejected(tamper(w, ("claimed",), {"figure": "rate", "bound": "5/6"}), "does not exceed")
    rejected(w, "does not exceed")


def test_operator_norm_at_a_kink_is_rejected():
    # u = 20: at y = 0, v = 0 + (1/2)(20 − 0) = 10 = hi exactly: Proj_Y has a kink there
    w = tamper(tamper(NORM, ("economy", "agents", 0, "demand"), [20]), ("state",), {"y": [[0]], "p": [[0]], "pi": [1]})
    rejected(w, "kink")


def test_operator_norm_with_routing_and_an_irrational_ratio():
    # NEGATIVE_FEEDBACK at its symmetric fixed point, t = (1, −1, 0, 0, 0, 0) (δy₁ = −δy₂ = 1): Φ_K gives
    # δy' = (1/2, −1/2), δp' = 0, δπ'₁ = σ'(0)·(−b/τ)(δy₁ − δy₂) = (1/4)(3)(2) = 3/2 = −δπ'₂,
    # so ‖J t‖² = 1/4 + 1/4 + 9/4 + 9/4 = 5 ≥ 2 = ‖t‖²: ratio 5/2.
    w = dict(
        NORM,
        economy=NEGATIVE_FEEDBACK,
        state=SYMMETRIC_FP,
        tangent=[1, -1, 0, 0, 0, 0],
        claimed={"figure": "one", "bound": 1},
        observed={"ratio_squared": "5/2"},
    )
    confirmed(w)
    confirmed(tamper(w, ("claimed",), {"figure": "rate", "bound": 0}))  # λ = 0


# ============================================================================ iteration_count
# CHAIN_63 (Example 6.3's α, P, γ_A, λ on a chain, one path): T is y' = (9/10)y + 1/20, p' = y'/2, so
# from x_0 = (y_0, y_0/2, 1) with y_0 = y* + δe_a: ‖x_n − x*‖ = (9/10)ⁿ‖x_0 − x*‖. N = max(⌈log 0.01 /
# log(1/2)⌉, ⌈log 0.005 / log(1/2)⌉) = max(7, 8) = 8 (claimed.iterations and n) and (9/10)⁸ ≈ 0.43 > 0.01:
# the count is refuted. ‖x_8 − x*‖²/‖x_0 − x*‖² = (9/10)^16 ≈ 0.1853.
ITER = {
    "kind": "iteration_count",
    "claim": "ex-6.3/dynamics",
    "economy": CHAIN_63,
    "map": "sequential",
    "n": 8,
    "start": {"y": [[1], ["1/2"], ["1/2"]], "p": [["1/2"], ["1/4"], ["1/4"]], "pi": [1]},
    "fixed_point": CHAIN_63_FP,
    "claimed": {"iterations": 8, "accuracy": "1/100"},
}


def test_iteration_count_confirmed_with_rate_nine_tenths():
    confirmed(tamper(ITER, ("observed",), {"ratio_squared": ["0.1853", "0.1854"]}))
    rejected(tamper(ITER, ("observed",), {"ratio_squared": ["0.18", "0.185"]}), "observed.ratio_squared")
    r = confirmed(ITER)
    ratio = float(r.details["ratio_squared"].strip("[]").split()[0])
    assert abs(ratio - 0.9**16) < 1e-12  # ‖x_8 − x*‖²/‖x_0 − x*‖² = (9/10)^16


@pytest.mark.parametrize(
    "path,value,words",
    [
        (("n",), 7, ("n = 7",)),  # N = 8 recomputed from λ
        (("claimed", "iterations"), 7, ("claimed.iterations",)),  # N = max(7, 8) recomputed
        (("claimed", "accuracy"), "1/10", ("claimed.accuracy",)),
        (("economy", "parameters", "tau"), 3, ("not Example 6.3",)),  # λ = 9/20
        (("economy", "parameters", "alpha"), "1/5", ("not Example 6.3",)),
        (("economy", "edges"), [["a", "b"]], ("not Example 6.3",)),  # P = 2
        (("economy", "price_mechanism", "gamma"), 1, ("not Example 6.3",)),
        (("start", "p"), [[1], ["1/4"], ["1/4"]], ("A_K",)),  # 1 ∉ [0, 1/2]
        (("start",), CHAIN_63_FP, ("start is the fixed point",)),
        (("fixed_point", "y"), [["1/4"]] * 3, ("not a fixed point",)),
        (("map",), "simultaneous", ("sequential map",)),
    ],
)
def test_iteration_count_corrupted(path, value, words):
    rejected(tamper(ITER, path, value), *words)


def test_iteration_count_that_holds_is_rejected():
    # y_0 = y*, p_0 = (1/2, 1/4, 1/4): one step gives p_1 = y*/2 = p*, so x_1 = x*: the accuracy is reached
    w = tamper(ITER, ("start",), {"y": [["1/2"]] * 3, "p": [["1/2"], ["1/4"], ["1/4"]], "pi": [1]})
    rejected(w, "holds")


# ============================================================================ a_priori_bound
# One agent, Y = [0, 10], u = 1, α = 1/2, G = 1/2, τ = 1, λ = 3/4. Theorem 6.1's hypothesis: with one
# path ‖DΦ_K‖² ≤ max eig((1 − α)² + γ²) = 1/4 + 1/4 = 1/2 ≤ 9/16 = λ². T: y' = y/2 + 1/2, p' = y'/2;
# x_0 = (3, 5/2, 1) ∈ Ω (5/2 ≤ 5): x_1 = (2, 1, 1), ‖x_1 − x_0‖² = 1 + 9/4 = 13/4, bound (14) at n = 1:
# (3/4)/(1/4)·√13/2 = 3√13/2 ≈ 5.408 and ‖x_1 − x*‖² = 1 + 1/4 = 5/4: (14) holds (T is a λ-contraction
# whenever the hypothesis holds in this family, docs/witness-format.md), so every such witness is rejected.
APRIORI = {
    "kind": "a_priori_bound",
    "claim": "thm-6.1(ii)",
    "economy": one_linear(alpha="1/2", gamma="1/2", tau=1),
    "map": "sequential",
    "lambda": "3/4",
    "n": 1,
    "state": {"y": [[3]], "p": [["5/2"]], "pi": [1]},
    "fixed_point": {"y": [[1]], "p": [["1/2"]], "pi": [1]},
    "claimed": {"bound": ["5.40", "5.41"], "formula": "(14)"},
}


def test_a_priori_bound_that_holds_is_rejected():
    r = rejected(APRIORI, "does not exceed")
    assert r.details["bound"].startswith("≈ 5.4083")


@pytest.mark.parametrize(
    "path,value,words",
    [
        (("lambda",), "1/2", ("hypothesis is not established",)),  # 1/4 < 1/2 = max eig
        (("lambda",), 1, ("λ < 1",)),
        (("claimed", "bound"), ["5.5", "5.6"], ("claimed.bound",)),
        (("claimed", "formula"), "(15)", ("claimed.formula",)),
        (("fixed_point", "y"), [[2]], ("not a fixed point",)),
        (("state", "p"), [[6]], ("A_K",)),  # 6 ∉ [0, 5]
        (("n",), -1, ("n",)),
        (("economy",), NEGATIVE_FEEDBACK, ("one-path",)),  # the hypothesis is not decided with routing
    ],
)
def test_a_priori_bound_corrupted(path, value, words):
    rejected(tamper(APRIORI, path, value), *words)


def test_a_priori_bound_needs_its_claimed_bound():
    rejected(tamper(APRIORI, ("claimed", "bound"), DROP), "claimed.bound")
