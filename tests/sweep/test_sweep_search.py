"""Counterexample searches: the generator respects the claim's hypotheses; the shrinker's result is confirmed by verify."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from geo_sym.economy.spec import Economy
from geo_sym.errors import ValidationError
from geo_sym.sweep import run_sweep
from geo_sym.sweep.generator import check_generator, random_economy, satisfies_hypotheses
from geo_sym.sweep.shrink import complexity, shrink_counterexample, size_key
from proofs.verify.core import verify_file


def _depth(doc):  # longest path by brute force over the edge list (independent of the generator's)
    succ = {a["name"]: [b for x, b in doc["edges"] if x == a["name"]] for a in doc["agents"]}

    def longest(n):
        return 1 + max((longest(m) for m in succ[n]), default=0)

    return max(longest(a["name"]) for a in doc["agents"])


def test_generated_economies_satisfy_prop_6_2_hypotheses_exactly():
    cfg = check_generator({"agents": [1, 6], "K": [1, 3], "gamma": ["1/10", 2]}, "prop-6.2")
    for i in range(200):
        doc = random_economy(cfg, np.random.default_rng([5, i]), "prop-6.2")
        econ = Economy.from_dict(doc)  # a valid economy: Assumption 1 (0 in every box), α in (0, 1), τ > 0
        assert econ.map_kind == "sequential" and econ.price_mechanism.kind == "linear"
        alpha, tau = Fraction(str(doc["parameters"]["alpha"])), Fraction(str(doc["parameters"]["tau"]))
        gamma = Fraction(str(doc["price_mechanism"]["gamma"]))
        assert econ.depth == _depth(doc)
        assert 0 < alpha < 1 and tau > (1 - alpha) * gamma * _depth(doc)  # τ > (1 − α)γ_A P, exactly
        assert satisfies_hypotheses(doc, "prop-6.2")
        assert all(row[0] == 0 < Fraction(str(row[1])) for a in doc["agents"] for row in a["box"])


def test_generator_errors_name_the_field():
    with pytest.raises(ValidationError, match="generator.alpha"):
        check_generator({"alpha": [0, 1]}, "prop-6.2")
    with pytest.raises(ValidationError, match="generator.dag"):
        check_generator({"dag": ["star"]}, "prop-6.2")
    with pytest.raises(ValidationError, match="one economy"):
        check_generator({}, "ex-6.3")


def test_shrinker_finds_a_local_minimum_in_order():
    # a fake property: "a counterexample" = at least two agents and 1/3 < alpha < 1
    doc = {
        "name": "x",
        "agents": [{"name": f"a{i}", "demand": ["7/3", "5/4"], "box": [[0, "9/4"], [0, 3]]} for i in range(4)],
        "edges": [["a0", "a1"], ["a1", "a2"]],
        "map": "sequential",
        "parameters": {"alpha": "7/9", "tau": "13/7"},
        "price_mechanism": {"kind": "linear", "gamma": "3/7"},
    }

    def evaluate(docs):
        return [
            {"ok": True}
            if len(d["agents"]) >= 2 and Fraction(1, 3) < Fraction(str(d["parameters"]["alpha"])) < 1
            else None
            for d in docs
        ]

    out, record, steps, used = shrink_counterexample(doc, evaluate, max_evaluations=2000, window=3)
    assert record == {"ok": True} and steps > 0 and used <= 2000
    assert len(out["agents"]) == 2 and len(out["agents"][0]["demand"]) == 1 and out["edges"] == []
    assert out["parameters"]["alpha"] == "1/2"  # the simplest value in (1/3, 1)
    assert out["parameters"]["tau"] == 0 and out["price_mechanism"]["gamma"] == 0
    assert size_key(out) < size_key(doc) and complexity(out) < complexity(doc)


@pytest.mark.slow
def test_search_counts_verdicts_and_the_shrunk_counterexample_is_confirmed(write_spec, workdir):
    spec = {
        "kind": "search",
        "claim": "prop-6.2",
        "samples": 24,
        "seed": 2,
        "generator": {"agents": [1, 3], "K": [1, 2], "gamma": ["1/10", 1]},
        "shrink": {"max_evaluations": 60},
    }
    res = run_sweep(write_spec("search", spec), scheduler="synchronous", out="search.parquet")
    s = res.summary
    assert sum(s["verdicts"].values()) == 24 - s["failed_points"]
    assert s["refutations_confirmed"] + s["refutations_not_confirmed"] == s["verdicts"].get("refuted", 0)
    cx = s["counterexample"]
    assert cx is not None and cx["verified_after_shrinking"] is True
    # the file holds a verdict with its witness: the independent verifier confirms it
    results = verify_file(cx["file"])
    witnesses = [r for r in results if r.subject == "witness"]
    assert len(witnesses) == 1 and witnesses[0].ok and not any(r.failed for r in results)
    doc = json.loads(open(cx["file"]).read())
    shrunk, original = doc["shrink"]["size"], doc["shrink"]["original_size"]
    assert shrunk <= original
    # a witness of prop-6.2/simultaneous carries the simultaneous variant of the (sequential) economy drawn
    assert satisfies_hypotheses({**doc["witness"]["economy"], "map": "sequential"}, "prop-6.2")
    table = res.to_frame()
    assert len(table) == 24 and set(table["status"]) <= {"refuted", "supported", "proved", "inconclusive", "certified"}
