"""Claim checks: each one can say 'holds' and 'fails'; the figures are derived by hand here."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from geo_sym.economy.spec import Economy
from geo_sym.errors import UnknownNameError
from proofs.claims.base import CheckContext, claim_ids, get_claim, run_checks
from proofs.claims.dynamics import Banach, ContractionBound
from proofs.claims.equilibrium import StateSpace
from proofs.claims.reference import reference_economy

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


def one_agent(demand, box=(0, 1)):
    """One agent, one path, K = 1 (every figure of its map can be computed by hand)."""
    return Economy.build(
        agents=[{"name": "a", "demand": [demand], "box": [list(box)]}],
        edges=[],
        parameters={"alpha": "1/10", "beta": "1/10", "tau": 1},
        name=f"one-agent-{demand}",
    )


@pytest.fixture(scope="module")
def builtin():
    return {v.id: v for v in run_checks()}


def test_every_claim_is_registered_in_paper_order():
    assert claim_ids() == ALL_IDS


def test_unknown_claim_id_lists_the_valid_ones():
    with pytest.raises(UnknownNameError, match="thm-3.1.*prop-6.2"):
        get_claim("thm-9.9")


def test_builtin_verdicts_are_json_with_required_keys(builtin):
    for v in builtin.values():
        d = json.loads(json.dumps(v.to_dict()))
        for key in ("id", "statement", "status", "holds_under", "method", "witness", "seconds"):
            assert key in d
        assert d["status"] in ("proved", "refuted", "certified", "supported", "inconclusive")
        if d["status"] == "refuted":
            w = d["witness"]
            assert {"economy", "claimed", "observed", "kind"} <= set(w)
            Economy.from_dict(w["economy"])  # the witness economy is a valid economy file


# --------------------------------------------------------------------------- thm-3.1
def test_walras_refuted_with_hand_value(builtin):
    v = builtin["thm-3.1"]
    assert v.status == "refuted"
    # one agent, box [0,1], u = 1/2, p = 1: supply 1, profit 1, demand 1/2 -> value 1/2 - 1 = -1/2
    assert v.witness["observed"]["value"] == "-1/2"
    assert v.witness["claimed"]["value"] == 0
    assert v.evidence["budget_identity_proved"] is True
    assert v.holds_under


def test_walras_holds_when_demand_equals_supply():
    # u = hi = 1: at the only price p = 1, supply 1 and demand 1 -> value 0 at every price tested
    v = get_claim("thm-3.1").check(CheckContext(economy=one_agent(1)))
    assert v.status == "supported"


# --------------------------------------------------------------------------- lem-4.2
def test_dimension_refuted_and_corrected_formula_proved(builtin):
    v = builtin["lem-4.2"]
    assert v.status == "refuted"
    # two-by-two: 4 boxes of dimension 1, price simplex 4 - 1, routing simplex 4 - 1 -> 10; paper: 4 + 3 + 4 = 11
    assert v.witness["claimed"]["dimension"] == 11
    assert v.witness["observed"]["dimension"] == 10
    corrected = StateSpace(claimed_dimension=lambda A, K, P: A * K + (A * K - 1) + (P - 1))
    assert corrected.check(CheckContext()).status == "proved"


# --------------------------------------------------------------------------- lem-4.3
def test_map_undefined_state_found_by_hand(builtin):
    v = builtin["lem-4.3"]
    assert v.status == "refuted" and v.economy == "large-beta"
    w = v.witness
    econ = Economy.from_dict(w["economy"])
    st = w["state"]
    y = [R(r[0]) for r in st["y"]]
    p = [R(r[0]) for r in st["p"]]
    pi = [R(x) for x in st["pi"]]
    # edges [] -> each agent is its own path: w = pi, d = w * u with u = 1/2
    q = [p[a] + econ.beta * (pi[a] * R(1, 2) - y[a]) for a in range(2)]
    assert all(x <= 0 for x in q)
    assert sum(p) == 1 and all(x >= 0 for x in p) and sum(pi) == 1


def test_map_well_defined_on_small_beta_economy():
    econ = reference_economy("two-by-two")  # beta = 1/10: beta * max slack = 1/10 * 2 < 1
    assert get_claim("lem-4.3").check(CheckContext(economy=econ)).status == "proved"


# --------------------------------------------------------------------------- thm-4.4 / 5.2
def test_existence_refuted_by_an_exact_fixed_point_violating_E1(builtin):
    v = builtin["thm-4.4"]
    assert v.status == "refuted"
    w = v.witness
    assert w["exact"] is True
    # one agent, u = 1/2: the fixed point is y = 1/2, p = 1, pi = 1; profit 1/2 < max profit 1
    assert w["condition"] == "E1"
    assert w["state"] == {"y": [["1/2"]], "p": [[1]], "pi": [1]}
    assert w["observed"]["profit"] == "1/2" and w["observed"]["max_profit"] == 1


def test_existence_E3_failure_on_overdemand():
    v = get_claim("thm-4.4").check(CheckContext(economy=reference_economy("one-agent-overdemand")))
    assert v.status == "refuted" and v.witness["condition"] == "E3"
    # u = 2 > hi = 1: y* = 1, d = 2
    assert v.witness["observed"]["gap"] == [1]


def test_existence_and_welfare_hold_when_demand_is_at_capacity():
    econ = one_agent(1)  # fixed point y = 1 = d, p = 1: profit 1 = max profit
    assert get_claim("thm-4.4").check(CheckContext(economy=econ)).status in ("proved", "supported")
    assert get_claim("thm-5.2").check(CheckContext(economy=econ)).status == "supported"


def test_first_welfare_refuted_by_pareto_improvement(builtin):
    v = builtin["thm-5.2"]
    assert v.status == "refuted"
    assert v.witness["alternative"]["y"] == [[1]]
    assert v.witness["observed"]["alternative_profit"] == 1


# --------------------------------------------------------------------------- thm-4.6, thm-5.4
def test_bewley_limit_refuted_on_sfsl_family_and_inconclusive_on_a_file(builtin):
    v = builtin["thm-4.6"]
    assert v.status == "refuted"
    assert all(r["E3_gap"] == "1/2" and r["exact_fixed_point"] for r in v.evidence["family"])
    errs = v.evidence["projection_error_sin3t"]
    assert all(b <= a + 1e-12 for a, b in zip(errs, errs[1:])) and errs[-1] < errs[0] / 10
    u = get_claim("thm-4.6").check(CheckContext(economy=one_agent(1)))
    assert u.status == "inconclusive"


def test_second_welfare_refuted_and_inconclusive_without_a_boundary_optimum(builtin):
    v = builtin["thm-5.4"]
    assert v.status == "refuted"
    assert v.witness["allocation"] == {"y": [[1], [0]], "pi": [1, 0]}
    assert get_claim("thm-5.4").check(CheckContext(economy=one_agent(1))).status == "inconclusive"


# --------------------------------------------------------------------------- thm-6.1
def test_banach_bound_is_tight_and_a_smaller_bound_is_refuted(builtin):
    v = builtin["thm-6.1"]
    # with python-flint the hypothesis is certified on example-6.3; any Lipschitz constant is at least
    # the spectral radius there, 1 - α = 9/10 (hand derivation in test_example_63_arithmetic_and_dynamics)
    assert v.status in ("certified", "supported")
    if v.status == "certified":
        att = v.evidence["certificate_attempts"][0]
        assert 0.9 <= att["constant"] < 1
    assert v.evidence["instances"][0]["tight"] is True
    # drop the 1/(1 - λ) factor: on y' = (9/10) y + 1/20 from y0 = 0, ‖x_1 - x_0‖ = 1/20 and
    # ‖x_n - x*‖ = (9/10)^n / 2 > (9/10)^n / 20
    smaller = Banach(bound=lambda lam, n, d1: lam**n * d1)
    r = smaller.check(CheckContext())
    assert r.status == "refuted"
    assert r.witness["n"] == 1
    assert r.witness["observed"]["distance"] == "9/20" and r.witness["claimed"]["bound"] == "9/200"


# --------------------------------------------------------------------------- prop-6.2, ex-6.3, sec-7.1, thm-8.1
def test_contraction_bound_refuted_with_hand_eigenvalue(builtin):
    v = builtin["prop-6.2"]
    assert v.status == "refuted" and v.economy == "constant-prices"
    # antisymmetric mode: δy' = (1-α)δy + αu δπ, δπ' = -(1/(2τ)) δy'  -> eigenvalue (1-α) - αu/(2τ)
    alpha, u, tau = R(1, 2), 8, 1
    assert v.witness["observed"]["eigenvalue"] == str((1 - alpha) - alpha * u / (2 * tau))
    assert v.witness["claimed"]["rate"] == 0


def test_contraction_bound_supported_when_the_claimed_bound_is_large_enough():
    # example-6.3 has ρ = 9/10 at its fixed point; a claimed bound of 99/100 is not contradicted there
    loose = ContractionBound(rate=lambda econ: R(99, 100))
    assert loose.check(CheckContext(economy=reference_economy("example-6.3"))).status == "supported"
    assert loose.check(CheckContext(economy=reference_economy("constant-prices"))).status == "refuted"


def test_contraction_bound_not_applicable_to_tatonnement():
    v = get_claim("prop-6.2").check(CheckContext(economy=reference_economy("two-by-two")))
    assert v.status == "inconclusive"


def test_example_63_arithmetic_and_dynamics(builtin):
    v = builtin["ex-6.3"]
    ar = v.evidence["arithmetic"]
    assert ar["threshold"] == "27/20" and ar["n_for_lambda^n<=1/100"] == 7 and ar["n_for_bound_14<=1/100"] == 8
    assert v.status == "refuted"
    # the slowest mode contracts at 1 - α = 9/10: log(1/100)/log(9/10) ≈ 43.7
    assert v.witness["observed"]["eigenvalue"] == "9/10"
    assert 40 <= v.witness["observed"]["iterations"] <= 50


def test_dsge_reading(builtin):
    v = builtin["sec-7.1"]
    assert v.status == "refuted"
    bk = v.evidence["economies"][0]["blanchard_kahn"]
    assert bk["no_jumps"]["status"] == "determinate"
    assert bk["prices_as_jumps"]["status"] == "indeterminate"


def test_consolidated_refuted_through_part_v(builtin):
    v = builtin["thm-8.1"]
    assert v.status == "refuted"
    assert v.witness["claimed"]["converges"] is True
    assert set(v.evidence["parts"]) == {"i", "ii", "iii", "iv", "v"}


def test_user_economy_is_recomputed_not_looked_up():
    econ = one_agent("3/4")
    v = get_claim("thm-3.1").check(CheckContext(economy=econ))
    # p = 1: supply 1, demand 3/4 -> -1/4 (the built-in answer was -1/2)
    assert v.status == "refuted" and v.witness["observed"]["value"] == "-1/4"
    assert v.economy == econ.name


# --------------------------------------------------------------------------- witness round trip
@pytest.mark.xfail(
    reason="the claim checks on this branch still emit the old witness format; verify follows "
    "docs/witness-format.md, which the claim rewrite (issue 9) emits",
    strict=False,
)
def test_every_refutation_verifies_independently(builtin):
    from proofs.verify import verify_document

    doc = json.loads(json.dumps([v.to_dict() for v in builtin.values()]))
    results = verify_document(doc)
    assert len(results) == sum(v.status == "refuted" for v in builtin.values()) > 0
    assert all(r.ok for r in results), [r.message for r in results if not r.ok]


def test_tampered_witness_is_not_confirmed(builtin):
    from proofs.verify import verify_witness

    w = json.loads(json.dumps(builtin["prop-6.2"].witness))
    w["observed"]["eigenvalue"] = "-7/5"  # not an eigenvalue of the exact tangent Jacobian
    assert verify_witness(w).ok is False
    w = json.loads(json.dumps(builtin["thm-4.4"].witness))
    w["state"]["y"] = [["3/5"]]  # no longer a fixed point
    assert verify_witness(w).ok is False


@pytest.mark.xfail(
    reason="the claim checks on this branch still emit the old witness format; verify follows "
    "docs/witness-format.md, which the claim rewrite (issue 9) emits",
    strict=False,
)
def test_smaller_bound_witness_verifies():
    from proofs.verify import verify_witness

    r = Banach(bound=lambda lam, n, d1: lam**n * d1).check(CheckContext())
    assert verify_witness(json.loads(json.dumps(r.witness))).ok


@pytest.mark.xfail(
    reason="the claim checks on this branch still emit the old witness format; verify follows "
    "docs/witness-format.md, which the claim rewrite (issue 9) emits",
    strict=False,
)
def test_cli_check_then_verify(tmp_path, capsys):
    from geo_sym.cli.main import main

    assert main(["check", "--claim", "thm-3.1", "--claim", "prop-6.2", "--json"]) == 0
    out = capsys.readouterr().out
    f = tmp_path / "verdicts.json"
    f.write_text(out)
    assert main(["verify", str(f)]) == 0
    assert capsys.readouterr().out.count("CONFIRMED") == 2
