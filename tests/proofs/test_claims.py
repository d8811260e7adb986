"""Claim checks on economies whose truth is derived by hand here (docs/claims.md gives the readings).

Each claim is shown reaching more than one outcome; every figure asserted is derived in the comment
beside it, not taken from the code under test.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from geo_sym.economy.spec import Economy
from geo_sym.errors import UnknownNameError
from proofs.claims.registry import claim_ids, get_claim, run_checks
from proofs.verdict import Verdict, VerdictRuleError, combine_statuses

R = sp.Rational

ALL_IDS = [
    "thm-3.1",
    "lem-4.2",
    "lem-4.3",
    "thm-4.4",
    "thm-4.6",
    "thm-5.2",
    "thm-5.4",
    "thm-6.1",
    "prop-6.2",
    "ex-6.3",
    "sec-7.1",
    "thm-8.1",
]


def one_agent(demand, box=(0, 1), beta="1/10"):
    """One agent, one path, K = 1, tâtonnement (every figure of its map can be computed by hand)."""
    return Economy.build(
        agents=[{"name": "a", "demand": [demand], "box": [list(box)]}],
        edges=[],
        parameters={"alpha": "1/10", "beta": beta, "tau": 1},
        name="one-agent",
    )


def two_parallel(demand=1, beta="1/10"):
    return Economy.build(
        agents=[
            {"name": "a1", "demand": [demand], "box": [[0, 1]]},
            {"name": "a2", "demand": [demand], "box": [[0, 1]]},
        ],
        edges=[],
        parameters={"alpha": "1/10", "beta": beta, "tau": 1},
        name="two-parallel",
    )


def constant_prices(map_kind="sequential"):
    """Two parallel agents, u = 8 in [0, 10], α = 1/2, τ = 1, A_K(y) = 0·y + (1, 1): γ_A = 0, so λ = 0."""
    return Economy.build(
        agents=[{"name": "a1", "demand": [8], "box": [[0, 10]]}, {"name": "a2", "demand": [8], "box": [[0, 10]]}],
        edges=[],
        map=map_kind,
        parameters={"alpha": "1/2", "tau": 1},
        price_mechanism={"kind": "linear", "G": [[0, 0], [0, 0]], "b": [1, 1]},
        name="constant-prices",
    )


def check(cid, econ):
    return run_checks([cid], economy=econ)[0]


@pytest.fixture(scope="module")
def builtin():
    return {v.id: v for v in run_checks()}


# ------------------------------------------------------------------------------------ registry and rules
def test_every_claim_is_registered_in_paper_order():
    assert claim_ids() == ALL_IDS


def test_unknown_claim_id_lists_the_valid_ones():
    with pytest.raises(UnknownNameError, match="thm-3.1.*prop-6.2"):
        get_claim("thm-9.9")


def _v(status, **kw):
    return Verdict(id="x", statement="s", status=status, reason="r", **kw)


@pytest.mark.parametrize(
    "status, kw, match",
    [
        ("refuted", {}, "witness"),  # a refutation needs a witness naming its kind
        ("refuted", {"witness": {"economy": {}}}, "kind"),
        ("proved", {}, "method"),  # proved/certified name the argument
        ("certified", {}, "method"),
        ("supported", {}, "decisive"),  # support names the decisive comparison
        ("supported", {"evidence": {"decisive": {"quantity": "q", "value": 2, "bound": 1, "relation": "<"}}}, "holds"),
        ("proved", {"method": "m", "applicable": False}, "does not apply"),
        ("maybe", {}, "one of"),
    ],
)
def test_decision_rules_are_enforced_when_a_verdict_is_built(status, kw, match):
    with pytest.raises(VerdictRuleError, match=match):
        _v(status, **kw)


def test_parts_dictate_the_top_status():
    proved = _v("proved", method="m")
    inconclusive = _v("inconclusive")
    na = _v("inconclusive", applicable=False)
    refuted = _v("refuted", witness={"kind": "k"})
    assert combine_statuses([proved, refuted]) == "refuted"
    assert combine_statuses([proved, inconclusive]) == "inconclusive"
    assert combine_statuses([proved, na]) == "proved"  # a part that does not apply is ignored
    assert combine_statuses([na]) == "inconclusive"
    with pytest.raises(VerdictRuleError, match="parts dictate"):
        Verdict(id="x", statement="s", status="proved", reason="r", parts=(proved, refuted))


# ------------------------------------------------------------------------------------ thm-3.1
def test_walras_refuted_with_the_hand_value(builtin):
    # one agent, u = 1/2 in [0, 1], at p = 1: Π = 1 (y* = 1), one path so π* = 1 and d = 1/2;
    # the routing costs 1/2 < 1, unspent g = 1/2, so Σ<p, z(p)> = 1/2 − 1 = −1/2.
    v = check("thm-3.1", one_agent("1/2"))
    assert v.status == "refuted"
    w = v.witness
    assert w["kind"] == "walras_value" and w["prices"] == [[1]] and w["supply"] == [[1]]
    lo, hi = (Fraction(str(x)) for x in w["observed"]["value"])
    assert lo <= Fraction(-1, 2) <= hi
    assert v.corrected["status"] == "proved"
    assert builtin["thm-3.1"].status == "refuted"


def test_walras_refuted_at_a_negative_price_even_when_demand_meets_capacity():
    # u = 1 = hi: at p = 1 the budget binds (value 0), but p = −1 gives Π = 0 (y* = 0), d = 1,
    # the routing costs −1 < 0: unspent 1, value −1. Prices in H^A carry no sign restriction.
    v = check("thm-3.1", one_agent(1))
    assert v.status == "refuted"
    assert v.witness["prices"] == [[-1]]


def test_walras_proved_on_an_economy_that_cannot_produce_or_demand():
    v = check("thm-3.1", one_agent(0, box=(0, 0)))
    assert v.status == "proved"


# ------------------------------------------------------------------------------------ lem-4.2, lem-4.3
def test_state_space_lemma_proved_with_its_dimension_reported():
    v = check("lem-4.2", two_parallel())
    assert v.status == "proved"
    # A = 2, K = 1, |P| = 2: n = 2 + 1 + 2 = 5 coordinates; dim = 2 + 1 + 1 = 4
    row = v.evidence["economies"][0]
    assert row["n"] == 5 and row["dimension_of_Omega_K"] == 4


def test_map_undefined_when_beta_times_slack_reaches_one():
    # two parallel agents, u = 1/2 in [0, 1]: max Σ(hi − d(π)) = 2 − 1/2 = 3/2 (d ≤ hi always);
    # β = 4 gives 6 ≥ 1: at y = hi, p ∝ hi − d, every coordinate of p + β(d − y) is ≤ 0.
    econ = Economy.build(
        agents=[{"name": "a1", "demand": ["1/2"], "box": [[0, 1]]}, {"name": "a2", "demand": ["1/2"], "box": [[0, 1]]}],
        parameters={"alpha": "1/10", "beta": 4, "tau": 1},
    )
    v = check("lem-4.3", econ)
    assert v.status == "refuted" and v.witness["kind"] == "undefined_map"
    assert v.evidence["beta_times_max_slack"] == 6


def test_map_well_defined_exactly_below_one_and_undefined_at_one():
    # one agent, u = 1/2: max slack = 1/2. β = 1/10 → 1/20 < 1 (proved); β = 2 → exactly 1: q = 0, refuted.
    assert check("lem-4.3", one_agent("1/2")).status == "proved"
    v = check("lem-4.3", one_agent("1/2", beta=2))
    assert v.status == "refuted"
    assert v.witness["observed"]["q"] == [0]


def test_map_lemma_does_not_apply_to_a_linear_price_mechanism():
    v = check("lem-4.3", constant_prices())
    assert v.status == "inconclusive" and not v.applicable


# ------------------------------------------------------------------------------------ thm-4.4
def test_existence_refuted_when_demand_exceeds_capacity():
    # u = 2 > hi = 1 with one path: d(π) = 2 for every π, outside [0, 1]: E3 infeasible.
    v = check("thm-4.4", one_agent(2))
    part = v.part("thm-4.4/existence")
    assert part.status == "refuted" and part.witness["certificate"]["kind"] == "separation"


def test_existence_refuted_when_markets_clear_only_below_capacity():
    # u = 1/2: market clearing forces y = 1/2 < hi, so no price in the simplex supports it (E1).
    v = check("thm-4.4", one_agent("1/2"))
    part = v.part("thm-4.4/existence")
    assert part.status == "refuted" and part.witness["certificate"] == {"kind": "no_price_support"}
    # the fixed point y* = 1/2, p* = 1, π* = 1 violates E1 exactly (profit 1/2 < Π = 1)
    fp = v.part("thm-4.4/fixed-points-are-equilibria")
    assert fp.status == "refuted" and fp.witness["condition"] == "E1"
    assert fp.witness["observed"]["profit_gap"] == "1/2"


def test_existence_proved_when_demand_meets_capacity():
    # u = 1 = hi: y = 1 clears the market and maximises profit at p = 1; π = 1 is the only routing.
    v = check("thm-4.4", one_agent(1))
    assert v.part("thm-4.4/existence").status == "proved"
    assert v.part("thm-4.4/fixed-points-are-equilibria").status == "supported"
    assert v.status == "supported"  # the weakest applicable part


def test_bewley_limit_refuted_on_the_sfsl_family_and_not_applicable_to_a_file(builtin):
    assert builtin["thm-4.6"].status == "refuted"
    assert check("thm-4.6", one_agent(1)).status == "inconclusive"


# ------------------------------------------------------------------------------------ thm-5.2, thm-5.4
def test_first_welfare_is_a_general_theorem_under_its_reading():
    assert check("thm-5.2", two_parallel()).status == "proved"


def test_second_welfare_refuted_by_a_boundary_optimum():
    # a1 is on path {a1} only; e_{a1} with y = (1, 0) is Pareto-optimal at uniform prices; (E1) at that
    # y forces p_{a2} = 0, so p = (1, 0): b_{a2} − b_{a1} = 0 − 1 = −1 ≤ 0, never a singleton budget set.
    v = check("thm-5.4", two_parallel())
    assert v.status == "refuted"
    assert v.witness["observed"]["max_gap"] == -1


def test_second_welfare_inconclusive_without_a_single_path_firm():
    # the 2×2 DAG: every agent lies on two paths
    econ = Economy.build(
        agents=[{"name": n, "demand": [1], "box": [[0, 1]]} for n in ("a1", "a2", "b1", "b2")],
        edges=[["a1", "b1"], ["a1", "b2"], ["a2", "b1"], ["a2", "b2"]],
        parameters={"alpha": "1/10", "beta": "1/10", "tau": 10},
    )
    assert check("thm-5.4", econ).status == "inconclusive"


# ------------------------------------------------------------------------------------ §6–8
def test_banach_proved_on_a_one_dimensional_contraction():
    v = check("thm-6.1", one_agent("1/2"))
    assert [p.status for p in v.parts] == ["proved", "proved"]


def test_contraction_bound_refuted_by_the_operator_norm_and_not_applicable_to_tatonnement():
    # constant prices: λ = 0, so the hypothesis holds for every τ; at the fixed point (y, p, π) =
    # ((4, 4), (1, 1), (1/2, 1/2)) the sequential map has the eigenvalue −3/2 (hand computation in
    # docs/corpus.md): ‖DT‖ ≥ 3/2 > 1.
    v = check("prop-6.2", constant_prices())
    assert v.part("prop-6.2/sequential").status == "refuted"
    observed = v.part("prop-6.2/sequential").witness["observed"]
    lo = Fraction(str(observed.get("ratio_squared_at_least", (observed.get("ratio_squared") or [0])[0])))
    assert lo >= 1
    t = check("prop-6.2", two_parallel())
    assert t.status == "inconclusive" and not any(p.applicable for p in t.parts)


def test_example_63_dynamics_refuted_on_its_own_data(builtin):
    v = builtin["ex-6.3"]
    assert v.part("ex-6.3/arithmetic").status == "proved"
    assert v.part("ex-6.3/dynamics").status == "refuted"


def test_example_63_dynamics_do_not_apply_to_other_data():
    v = check("ex-6.3", constant_prices())
    assert v.part("ex-6.3/dynamics").applicable is False
    assert v.status == "proved"


def test_consolidated_v_refuted_by_the_eigenvalue_three_halves():
    # (v) on constant prices: the sequential map's eigenvalue −3/2 (see above) exceeds λ = 0 and 1.
    v = check("thm-8.1", constant_prices())
    part = v.part("thm-8.1(v)")
    assert part.status == "refuted" and part.witness["kind"] == "spectral_radius"
    assert Fraction(str(part.witness["observed"]["spectral_radius"][0])) <= Fraction(3, 2)
    assert Fraction(str(part.witness["observed"]["spectral_radius"][1])) >= Fraction(3, 2)


def test_reasons_carry_no_parameter_value_that_is_not_the_economys(builtin):
    for v in builtin.values():
        for text in [v.reason] + [p.reason for p in v.parts]:
            assert "α = 0.1" not in text and "τ = 2.7" not in text


def test_every_refutation_carries_the_keys_of_design_md(builtin):
    # DESIGN.md: a refuted verdict's witness holds economy, state or states, claimed and observed
    for v in builtin.values():
        for part in (v, *v.parts):
            if part.status == "refuted":
                w = part.witness
                assert {"kind", "economy", "claimed", "observed"} <= set(w), (part.id, sorted(w))
                assert "state" in w or "states" in w, part.id
