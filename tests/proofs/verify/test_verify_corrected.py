"""``geo-sym verify`` re-checks the corrected statements ("what is true instead") of refuted claims.

Facts used, derived by hand:

* ``constant-prices`` (two agents, demand 8, boxes [0, 10], no edges, G = 0, b = 1, α = 1/2): y = 4, p = 1,
  π = 1/2 is a fixed point for every τ (two symmetric one-agent paths). The stated regions are not
  compared with a hand formula here: the mutations move the stated boundary by 1/4 or swap the sets, and
  the verifier's own root location at the sample points must then disagree.
* Example 6.3's economy: ρ(DT(x*)) = 9/10 (the witness's exact eigenvalue, minimal polynomial 10x − 9), and
  the least n with (9/10)ⁿ ≤ 1/100 is 44 ((9/10)⁴³ ≈ 0.01078, (9/10)⁴⁴ ≈ 0.00970).
* ``one-agent-interior`` (thm-3.1): Σ<p, z(p)> = −g = −1/2 at p = 1 (hand: Π = 1, spend = 1/2).
* ``large-beta`` (lem-4.3): β · max slack = 4 · (1 + 1 − 1/2) = 6 (both boxes full, demand 1/2 on one path).
"""

from __future__ import annotations

import copy
import json
from functools import cache

import pytest

from proofs.claims.registry import run_checks
from proofs.verify import verify_document


@cache
def _builtin() -> str:
    return json.dumps([v.to_dict() for v in run_checks(None, seed=0)])


def _part(ident: str) -> dict:
    def walk(v):
        if v.get("id") == ident:
            return v
        for p in v.get("parts") or []:
            found = walk(p)
            if found:
                return found
        return None

    for v in json.loads(_builtin()):
        found = walk(v)
        if found:
            return copy.deepcopy(found)
    raise AssertionError(ident)


def _corrected_results(part: dict, kind: str) -> list:
    return [r for r in verify_document([part]) if r.subject == "corrected" and r.kind == kind]


def test_every_builtin_corrected_statement_is_confirmed_or_labelled_general():
    results = verify_document(json.loads(_builtin()))
    corrected = [r for r in results if r.subject == "corrected"]
    assert not [r for r in results if r.failed], [(r.claim, r.kind, r.message) for r in results if r.failed]
    kinds = {r.kind for r in corrected if r.ok}
    assert kinds >= {"spectral_radius", "stability_region", "iterations_at_rate", "walras_gap", "slack_lp"}
    general = {r.claim for r in corrected if r.outcome == "not re-checkable (general statement)"}
    assert "thm-4.6/existence-in-H" in general and "thm-4.4/existence" in general
    # a general statement is never reported as confirmed
    assert all(not r.ok for r in corrected if r.kind == "general")


@pytest.mark.parametrize("ident", ["prop-6.2/simultaneous", "prop-6.2/sequential"])
def test_shifted_region_boundary_is_not_confirmed(ident):
    part = _part(ident)
    region = part["corrected"]["evidence"]["stability_region"]
    (stable,) = region["stable"]
    (text,) = stable
    assert text.endswith(" > 0")
    lhs = text[: -len(" > 0")]
    shifted = f"{lhs} - 1/4"  # the boundary moves by a quarter of a unit of the stated polynomial
    region["stable"] = [[f"{shifted} > 0"]]
    region["unstable"] = [[f"-({shifted}) > 0"]]
    region["boundary"] = [[f"{shifted} >= 0", f"-({shifted}) >= 0"]]
    (r,) = _corrected_results(part, "stability_region")
    assert r.failed and "the stated region says" in r.message


def test_region_stated_backwards_is_not_confirmed():
    part = _part("prop-6.2/sequential")
    region = part["corrected"]["evidence"]["stability_region"]
    region["stable"], region["unstable"] = region["unstable"], region["stable"]
    (r,) = _corrected_results(part, "stability_region")
    assert r.failed


def test_spectral_radius_off_by_a_thousandth_is_not_confirmed():
    for ident in ("prop-6.2/simultaneous", "ex-6.3/dynamics", "sec-7.1/rate", "thm-8.1(v)"):
        part = _part(ident)
        (ok,) = _corrected_results(part, "spectral_radius")
        assert ok.ok, (ident, ok.message)
        lo, hi = part["corrected"]["evidence"]["spectral_radius"]
        part["corrected"]["evidence"]["spectral_radius"] = [_plus(lo), _plus(hi)]
        (r,) = _corrected_results(part, "spectral_radius")
        assert r.failed, (ident, r.message)


def _plus(x):
    from fractions import Fraction

    return str(Fraction(str(x)) + Fraction(1, 1000))


@pytest.mark.parametrize("count, ok", [(44, True), (43, False), (45, False)])
def test_iteration_count_at_the_rate(count, ok):
    part = _part("ex-6.3/dynamics")
    part["corrected"]["evidence"]["iterations_at_that_rate"] = count
    (r,) = _corrected_results(part, "iterations_at_rate")
    assert r.ok is ok and r.failed is not ok, r.message


def test_wrong_walras_gap_value_is_not_confirmed():
    part = _part("thm-3.1")
    (r,) = _corrected_results(part, "walras_gap")
    assert r.ok and r.details["value"] == "-1/2"
    part["corrected"]["evidence"]["at_the_counterexample"]["value"] = ["-3/8", "-3/8"]
    (r,) = _corrected_results(part, "walras_gap")
    assert r.failed


def test_wrong_slack_value_is_not_confirmed():
    part = _part("lem-4.3")
    (r,) = _corrected_results(part, "slack_lp")
    assert r.ok and r.details["beta_times_max_slack"] == "6"
    part["corrected"]["evidence"]["recheck"]["value"] = "11/2"
    (r,) = _corrected_results(part, "slack_lp")
    assert r.failed


def test_evidence_without_figures_is_not_rechecked_and_does_not_fail():
    part = _part("sec-7.1/rate")
    part["corrected"]["evidence"] = {}
    (r,) = [r for r in verify_document([part]) if r.subject == "corrected"]
    assert r.outcome == "not re-checked" and not r.ok and not r.failed


def test_malformed_region_is_not_confirmed_with_the_field_named():
    part = _part("prop-6.2/sequential")
    part["corrected"]["evidence"]["stability_region"]["stable"] = [["__import__('os') > 0"]]
    (r,) = _corrected_results(part, "stability_region")
    assert r.failed and "stability_region.stable[0][0]" in r.message


def test_cli_exit_code_follows_corrected_statements(tmp_path, capsys):
    from geo_sym.cli.main import main

    part = _part("ex-6.3/dynamics")
    good = tmp_path / "good.json"
    good.write_text(json.dumps([part]))
    assert main(["verify", str(good)]) == 0
    part["corrected"]["evidence"]["iterations_at_that_rate"] = 43
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([part]))
    assert main(["verify", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "corrected: iterations_at_rate" in out and "not confirmed" in out
    assert main(["verify", str(bad), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert any(r["subject"] == "corrected" and r["outcome"] == "not confirmed" for r in rows)


def test_decimal_endpoints_are_widened_by_one_double_unit_only():
    """A producer's double ``0.3333333333333333`` (round-to-nearest of 1/3) states ρ = 1/3; ``p/q`` is exact."""
    import sympy as sp

    from proofs.verify.corrected import _enclosure

    lo, hi = _enclosure([0.3333333333333333, 0.3333333333333333], "f")
    assert lo < sp.Rational(1, 3) < hi and hi - lo < sp.Rational(1, 10**15)
    assert _enclosure(["1/3", "1/3"], "f") == (sp.Rational(1, 3), sp.Rational(1, 3))
    lo, hi = _enclosure([0.334, 0.334], "f")
    assert not lo <= sp.Rational(1, 3) <= hi
