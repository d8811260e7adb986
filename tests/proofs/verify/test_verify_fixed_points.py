"""fixed_point_condition, multiple_fixed_points and spectral_radius: confirmed and corrupted witnesses."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hand_witnesses import (
    DROP,
    NEGATIVE_FEEDBACK,
    SYMMETRIC_FP,
    TATONNEMENT_46,
    interval,
    negative_feedback_box,
    negative_feedback_root,
    one_agent,
    one_linear,
    tamper,
    tatonnement_e3_box,
)
from test_verify_static import confirmed, rejected

# ============================================================================ fixed_point_condition
# E3: one agent, Y = [0, 1], u = 2, x = (y, p, π) = (1, 1, 1): v = 1 + (1/10)(2 − 1) > 1 so y' = 1;
# q = 1 + (1/10)(2 − 1) > 0 so p' = 1; one path so π' = 1: a fixed point with d − y = 2 − 1 = 1 ≠ 0.
E3 = {
    "kind": "fixed_point_condition",
    "claim": "thm-4.4/fixed-points-are-equilibria",
    "economy": one_agent([2]),
    "map": "simultaneous",
    "condition": "E3",
    "agent": "a",
    "state": {"y": [[1]], "p": [[1]], "pi": [1]},
}
# E1: u = 1/2, x = (1/2, 1, 1): v = 1/2, y' = 1/2; q = 1 > 0, p' = 1; π' = 1: a fixed point where
# <p, y> = 1/2 < Π(p) = 1.
E1 = dict(E3, economy=one_agent(["1/2"]), condition="E1", state={"y": [["1/2"]], "p": [[1]], "pi": [1]})


def test_fixed_point_condition_exact_confirmed():
    assert confirmed(E3).details["gap"] == ["1"]
    assert confirmed(E1).details["profit_gap"] == "1/2"
    confirmed(tamper(E3, ("agent",), 0))  # an index in file order is accepted


@pytest.mark.parametrize(
    "base,path,value,words",
    [
        (E3, ("state", "y"), [["1/2"]], ("not a fixed point",)),  # v = 1/2 + (3/2)/10 ≠ 1/2
        (E3, ("state", "pi"), ["1/2"], ("not a fixed point",)),  # π' = 1 ≠ 1/2
        (E1, ("state", "p"), [["1/2"]], ("not a fixed point",)),  # p' = normalize(1/2) = 1
        (E3, ("condition",), "E2", ("E1 or E3",)),
        (E3, ("agent",), "nobody", ("agent",)),
        (E3, ("map",), "sequential", ("simultaneous map",)),
        (E3, ("economy",), one_linear(), ("linear mechanism",)),
        # u = 1 and x = (1, 1, 1): a fixed point where E3 (d = 1 = y) holds
        (E3, ("economy",), one_agent([1]), ("holds",)),
    ],
)
def test_fixed_point_condition_corrupted(base, path, value, words):
    rejected(tamper(base, path, value), *words)


def test_e1_that_holds_is_rejected():
    # u = 1, x = (1, 1, 1): <p, y> = 1 = Π(p)
    rejected(tamper(tamper(E1, ("economy",), one_agent([1])), ("state", "y"), [[1]]), "holds")


def test_fixed_point_condition_on_an_enclosure():
    w = tamper(tamper(tamper(E3, ("state",), DROP), ("economy",), TATONNEMENT_46), ("agent",), "a1")
    w["enclosure"] = tatonnement_e3_box()
    r = confirmed(w)
    assert "Krawczyk" in r.message
    # the box of π₁ shifted by 10⁻⁶ (far more than its width) holds no fixed point: Krawczyk fails
    lo, hi = (Fraction(v) + Fraction(1, 10**6) for v in w["enclosure"]["box"][4])
    rejected(tamper(w, ("enclosure", "box", 4), [str(lo), str(hi)]), "Krawczyk")


# ============================================================================ multiple_fixed_points
def _multiple():
    x = negative_feedback_root()
    return {
        "kind": "multiple_fixed_points",
        "claim": "thm-8.1(v)",
        "economy": NEGATIVE_FEEDBACK,
        "map": "sequential",
        "fixed_points": [SYMMETRIC_FP, negative_feedback_box(x), negative_feedback_box(x, mirror=True)],
    }


def test_three_fixed_points_where_uniqueness_is_claimed():
    # λ = 0 (G = 0) and τ = 1 > 0 = (1 − α)γ_A P, yet x = 1/2 and the pair x, 1 − x are fixed points
    w = _multiple()
    r = confirmed(w)
    assert r.details["lambda"] == "0"
    confirmed(tamper(w, ("map",), "simultaneous"))  # same fixed points for both maps


def test_multiple_fixed_points_corrupted():
    w = _multiple()
    rejected(tamper(w, ("fixed_points",), w["fixed_points"][:1]), "at least two")
    rejected(tamper(w, ("fixed_points",), [SYMMETRIC_FP, SYMMETRIC_FP]), "distinct")
    off = tamper(SYMMETRIC_FP, ("pi",), ["2/5", "3/5"])
    rejected(tamper(w, ("fixed_points", 0), off), "not a fixed point")
    # γ = 2 with τ = 1: (1 − α)γ_A P = (1/2)(2)(1) = 1 ≥ τ, the hypothesis fails
    econ = tamper(NEGATIVE_FEEDBACK, ("price_mechanism", "G"), [[2, 0], [0, 2]])
    rejected(tamper(w, ("economy",), econ), "does not satisfy τ > (1 − α)γ_A P")
    rejected(tamper(w, ("economy",), one_agent([1])), "linear")


# ============================================================================ spectral_radius
# One agent, Y = [0, 10], u = 1, α = 1/2, γ = 1/2, τ = 1: λ = (1/2)(1/2)(1)/1 = 1/4, hypothesis
# τ = 1 > 1/4. Fixed point y* = u = 1 (interior), p* = γ y* = 1/2, π = 1. The map T: y' = y/2 + 1/2,
# p' = γ y', so on (y, p) DT = [[1/2, 0], [1/4, 0]] with eigenvalues 1/2 and 0: ρ = 1/2 > λ.
# Φ_K: p' = γ y, DΦ = [[1/2, 0], [1/2, 0]]: ρ = 1/2 ≠ λ.
SPECTRAL = {
    "kind": "spectral_radius",
    "claim": "thm-8.1(v)",
    "economy": one_linear(),
    "map": "sequential",
    "relation": "at_most",
    "fixed_point": {"y": [[1]], "p": [["1/2"]], "pi": [1]},
    "claimed": {"rate": "1/4"},
    "observed": {"eigenvalue": {"minpoly": [1, "-1/2"], "re": ["2/5", "3/5"]}},
}
SEC71 = dict(SPECTRAL, claim="sec-7.1/rate", map="simultaneous", relation="equal")


def test_spectral_radius_exact_confirmed():
    confirmed(SPECTRAL)
    confirmed(SEC71)
    # a non-minimal polynomial with the root isolated: (x − 1/2)(x + 3) = x² + (5/2)x − 3/2
    confirmed(tamper(SPECTRAL, ("observed", "eigenvalue", "minpoly"), [1, "5/2", "-3/2"]))
    # intervals are closed: a root on an end point is isolated (1/2 ∈ [1/2, 1])
    confirmed(tamper(SPECTRAL, ("observed", "eigenvalue", "re"), ["1/2", 1]))


def test_spectral_radius_below_the_rate_refutes_equality_only():
    # γ = 4, τ = 3: hypothesis (1/2)(4)(1) = 2 < 3, λ = 2/3; Φ_K has eigenvalues 1/2, 0: ρ = 1/2 < λ.
    w = tamper(
        tamper(tamper(SEC71, ("economy",), one_linear(gamma=4, tau=3)), ("claimed", "rate"), "2/3"),
        ("fixed_point", "p"),
        [[4]],
    )
    confirmed(w)  # every eigenvalue below λ: ρ ≠ λ
    at_most = dict(w, claim="thm-8.1(v)", map="sequential", relation="at_most")
    rejected(at_most, "does not contradict")  # ρ < λ never refutes "at most λ"


@pytest.mark.parametrize(
    "path,value,words",
    [
        (("observed", "eigenvalue"), {"minpoly": [1, "-3/5"], "re": ["1/2", 1]}, ("not an eigenvalue",)),
        (("observed", "eigenvalue"), {"minpoly": [1, 0, "-1/4"], "re": [-1, 1]}, ("not isolate",)),  # ±1/2
        (("observed", "eigenvalue"), {"minpoly": [1, "-1/2"], "re": ["3/5", 1]}, ("not isolate",)),
        (("claimed", "rate"), "1/2", ("claimed.rate",)),  # λ = 1/4 recomputed
        (("fixed_point", "y"), [[2]], ("not a fixed point",)),
        (("relation",), "equal", ("relation",)),  # thm-8.1(v) asserts at most λ
        (("map",), "simultaneous", ("sequential map",)),
        (("economy", "parameters", "tau"), "1/4", ("does not satisfy",)),  # τ = (1 − α)γ_A P
        (("observed",), DROP, ("observed",)),
    ],
)
def test_spectral_radius_corrupted(path, value, words):
    rejected(tamper(SPECTRAL, path, value), *words)


def test_spectral_radius_zero_eigenvalue_does_not_refute():
    w = tamper(SPECTRAL, ("observed", "eigenvalue"), {"minpoly": [1, 0], "re": ["-1/10", "1/10"]})
    rejected(w, "does not contradict")


def test_spectral_radius_at_a_kink_is_rejected():
    # u = 10 = hi: y* = 10 with v = y + α(u − y) = 10 exactly on the bound: T is not differentiable there
    econ = one_linear(demand=10)
    w = dict(SPECTRAL, economy=econ, fixed_point={"y": [[10]], "p": [[5]], "pi": [1]})
    rejected(w, "kink")


def test_spectral_radius_irrational_eigenvalue_of_phi_k():
    # NEGATIVE_FEEDBACK at x = 1/2 (λ = 0). Φ_K in s = δy₁ − δy₂ and δπ = δπ₁: s' = s/2 + δπ (α u = 1/2,
    # twice), δπ' = σ'(0)(−b/τ)s = (3/4)s, so [[1/2, 1], [3/4, 0]]: μ² − μ/2 − 3/4 = 0, μ = (1 ± √13)/4.
    # T (prices b constant, V_a = b y'_a): δπ' = (3/4)(s/2 + δπ): [[1/2, 1], [3/8, 3/4]], μ ∈ {0, 5/4}.
    base = {
        "kind": "spectral_radius",
        "economy": NEGATIVE_FEEDBACK,
        "fixed_point": SYMMETRIC_FP,
        "claimed": {"rate": 0},
    }
    sec = dict(base, claim="sec-7.1/rate", map="simultaneous", relation="equal")
    confirmed(dict(sec, observed={"eigenvalue": {"minpoly": [4, -2, -3], "re": ["1.1", "1.2"]}}))
    confirmed(dict(sec, observed={"eigenvalue": {"minpoly": [4, -2, -3], "re": ["-0.7", "-0.6"]}}))
    rejected(dict(sec, observed={"eigenvalue": {"minpoly": [4, -2, -3], "re": ["1.2", "1.3"]}}), "isolate")
    seq = dict(base, claim="thm-8.1(v)", map="sequential", relation="at_most")
    r = confirmed(dict(seq, observed={"eigenvalue": {"minpoly": [4, -5], "re": [1, 2]}}))
    assert r.details["charpoly"] == "x^5 + (-7/4)*x^4 + 5/8*x^3"  # x³(x − 1/2)(x − 5/4)
    rejected(dict(seq, observed={"eigenvalue": {"minpoly": [4, -2, -3], "re": ["1.1", "1.2"]}}), "not an eigenvalue")


def test_spectral_radius_on_an_enclosure():
    # the fixed point of SPECTRAL in a box of radius 10⁻³⁰; Arb encloses the eigenvalues 1/2 and 0
    box = {"box": [interval(1), interval(0.5), interval(1)]}
    w = dict(SPECTRAL, fixed_point=box, observed={"eigenvalue": {"re": ["0.49", "0.51"], "im": ["-0.01", "0.01"]}})
    confirmed(w)
    rejected(tamper(w, ("observed", "eigenvalue"), {"re": ["0.1", "0.2"]}), "observed.eigenvalue")
    # γ = 4, τ = 3 (λ = 2/3 > ρ = 1/2) on an enclosure of the fixed point (1, 4, 1): "= λ" refuted, "≤ λ" not
    low = dict(w, economy=one_linear(gamma=4, tau=3), claimed={"rate": "2/3"}, observed={})
    low["fixed_point"] = {"box": [interval(1), interval(4), interval(1)]}
    confirmed(dict(low, claim="sec-7.1/rate", map="simultaneous", relation="equal"))
    rejected(low, "do not separate")
    shifted = {"box": [interval(1.1), interval(0.55), interval(1)]}
    rejected(tamper(w, ("fixed_point",), shifted), "Krawczyk")


# ============================================================================ accepted forms
def test_wrapped_fixed_points_and_zero_height_rectangles():
    # {"state": ...} / {"enclosure": {"box": ...}} wrappers; a real root given with "im": [0, 0]
    confirmed(tamper(SPECTRAL, ("fixed_point",), {"state": SPECTRAL["fixed_point"]}))
    box = {"box": [interval(1), interval(0.5), interval(1)]}
    w = dict(SPECTRAL, fixed_point={"enclosure": box}, observed={"eigenvalue": {"re": ["0.49", "0.51"]}})
    confirmed(w)
    # an enclosure with its midpoint state next to it: the enclosure is what is verified
    both = {"enclosure": box, "state": {"y": [["1.0000001"]], "p": [["1/2"]], "pi": [1]}}
    confirmed(tamper(w, ("fixed_point",), both))
    real = {"minpoly": [1, "-1/2"], "re": ["1/2", "1/2"], "im": [0, 0]}  # a degenerate rectangle on the root
    confirmed(tamper(SPECTRAL, ("observed", "eigenvalue"), real))
    third = {"minpoly": [3, -1], "re": ["1/3", "1/3"], "im": [0, 0]}  # 1/3 is no eigenvalue (1/2, 0 are)
    rejected(tamper(SPECTRAL, ("observed", "eigenvalue"), third), "not an eigenvalue")


def test_observed_spectral_radius_is_checked():
    # ρ = 1/2 exactly (eigenvalues 1/2, 0): exact, enclosing and degenerate forms pass, a wrong one fails
    for rho in ("1/2", ["0.49", "0.51"], ["1/2", "1/2"]):
        confirmed(tamper(SPECTRAL, ("observed", "spectral_radius"), rho))
    rejected(tamper(SPECTRAL, ("observed", "spectral_radius"), ["0.6", "0.7"]), "observed.spectral_radius")
    rejected(tamper(SPECTRAL, ("observed", "spectral_radius"), "1/3"), "observed.spectral_radius")
    # ρ = 1/3 exactly for a non-dyadic rational: α = 2/3 makes DT's eigenvalues 1 − α = 1/3 and 0
    econ = one_linear(alpha="2/3", gamma="1/2", tau=1)  # λ = (1/3)(1/2)/1 = 1/6 < 1/3
    w = dict(SPECTRAL, economy=econ, claimed={"rate": "1/6"}, fixed_point={"y": [[1]], "p": [["1/2"]], "pi": [1]})
    w["observed"] = {"eigenvalue": {"minpoly": [3, -1], "re": ["1/3", "1/3"]}, "spectral_radius": ["1/3", "1/3"]}
    confirmed(w)


def test_ball_powers_of_intervals_containing_zero_stay_finite():
    # python-flint's arb ** 2 is NaN on a ball containing 0; the verifier's enclosure must not be
    import sympy as sp

    from proofs.verify.decide import arb_interval, arb_q, precision, to_arb

    x = sp.Symbol("x")
    with precision(128):
        ball = to_arb(
            (x - sp.Rational(1, 3)) ** 2,
            {x: arb_interval(sp.Rational(1, 3) - sp.Rational(1, 10**20), sp.Rational(1, 3))},
        )
        assert ball.is_finite() and ball.contains(0) and ball < arb_q(sp.Rational(1, 10**30))
