"""The hand-derived corpus: `geo-sym check` against verdicts derived by hand from docs/claims.md.

Each file in ``tests/proofs/corpus/`` is a small economy whose truth was derived by hand (the derivation is
the comment at the top of the file; the facts it cites are in docs/corpus.md), and ``expected.yaml`` lists
the status each claim and part must get. The expectations were derived without reading ``proofs/claims/``
or ``proofs/verify/``: nothing here is a recording of what the code happens to say.

For every economy the test checks, and reports together:

* every derived status (top level and parts; ``n/a`` parts may be absent or ``inconclusive``);
* every refutation is CONFIRMED by the independent verifier (``proofs.verify.core.verify_document``);
* the verdicts obey the decision rules of docs/claims.md §2 (see ``conftest.py``).


"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from geo_sym.economy.spec import load_economy
from proofs.claims.registry import claim_ids

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
NAMES = sorted(EXPECTED["economies"])
ALL_IDS = claim_ids()  # pinned against DESIGN.md in test_claims.py
NOT_APPLICABLE = "n/a"
SHORTHANDS = {
    "holds": ("proved", "certified", "supported", "inconclusive"),
    "fails": ("refuted", "supported", "inconclusive"),
}
STATUSES = {"proved", "refuted", "certified", "supported", "inconclusive"}


def _file_data(name: str) -> dict:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))


def mechanism(data: dict) -> str:
    return (data.get("price_mechanism") or {"kind": "tatonnement"})["kind"]


def expectations(name: str) -> dict:
    """Claim/part id -> a tuple of acceptable statuses, or ``n/a``; defaults first, then the economy's own."""
    data = _file_data(name)
    merged = dict(EXPECTED["defaults"]["every"])
    merged.update(EXPECTED["defaults"][mechanism(data)])
    merged.update(EXPECTED["economies"][name])
    out = {}
    for ident, value in merged.items():
        if value == NOT_APPLICABLE:
            out[ident] = NOT_APPLICABLE
        elif isinstance(value, str):
            out[ident] = SHORTHANDS.get(value, (value,))
        else:
            out[ident] = tuple(value)
    return out


@cache
def verdicts(name: str) -> tuple:
    from proofs.claims.registry import run_checks

    return tuple(run_checks(ALL_IDS, economy=load_economy(CORPUS / f"{name}.yaml"), seed=0))


def status_mismatches(name: str, found: dict) -> list[str]:
    problems = []
    for ident, want in expectations(name).items():
        item = found.get(ident)
        if want == NOT_APPLICABLE:
            status = None if item is None else getattr(item, "status", None)
            if item is not None and status != "inconclusive":
                problems.append(f"{ident}: not applicable here, so inconclusive if reported; got {status}")
            continue
        if item is None:
            problems.append(f"{ident}: missing (expected {' or '.join(want)})")
        elif item.status not in want:
            problems.append(f"{ident}: expected {' or '.join(want)}, got {item.status} — {item.reason[:160]}")
    return problems


# ------------------------------------------------------------------------------ the corpus itself
def test_expected_file_is_well_formed():
    files = {p.stem for p in CORPUS.glob("*.yaml")} - {"expected"}
    assert files == set(NAMES), (
        f"economy files without expectations, or expectations without files: {files ^ set(NAMES)}"
    )
    for name in NAMES:
        for ident, want in expectations(name).items():
            assert ident.split("/")[0].split("(")[0] in ALL_IDS, (name, ident)
            assert want == NOT_APPLICABLE or set(want) <= STATUSES, (name, ident, want)


@pytest.mark.parametrize("name", NAMES)
def test_economy_file_loads(name):
    econ = load_economy(CORPUS / f"{name}.yaml")
    assert econ.name == _file_data(name)["name"]
    assert (CORPUS / f"{name}.yaml").read_text(encoding="utf-8").lstrip().startswith("#"), "derivation comment missing"


def test_corpus_covers_what_issue_9_asks_for():
    """At least 25 economies; balls, K = 3, edges: [], one agent, both maps, both mechanisms, SLO, a DAG
    that is not layered (a skip edge), several sources and sinks, and both outcomes of the claims whose
    reading allows both."""
    datas = {n: _file_data(n) for n in NAMES}
    econs = {n: load_economy(CORPUS / f"{n}.yaml") for n in NAMES}
    assert len(NAMES) >= 25
    assert any("ball" in a for d in datas.values() for a in d["agents"])
    assert any(e.K == 3 for e in econs.values())
    assert any(not d.get("edges") and len(d["agents"]) > 1 for d in datas.values())
    assert any(e.A == 1 for e in econs.values())
    assert {d.get("map", "simultaneous") for d in datas.values()} == {"simultaneous", "sequential"}
    assert {mechanism(d) for d in datas.values()} == {"tatonnement", "linear"}
    assert any("G" in d.get("price_mechanism", {}) for d in datas.values())
    assert any("gamma" in d.get("price_mechanism", {}) for d in datas.values())
    assert any("slo" in d for d in datas.values())
    sources = lambda e: {i for i in range(e.A)} - {j for _, j in e.graph.edges}
    sinks = lambda e: {i for i in range(e.A)} - {i for i, _ in e.graph.edges}
    assert any(e.graph.edges and len(sources(e)) > 1 and len(sinks(e)) > 1 for e in econs.values())
    skip = [e for e in econs.values() if any(len(p) != e.depth for p in e.paths)]
    assert skip, "a DAG whose maximal paths have different lengths (not layered)"
    refuted_and_holds = [
        "thm-3.1", "lem-4.3", "thm-4.4/existence", "thm-4.4/fixed-points-are-equilibria", "prop-6.2/simultaneous",
        "prop-6.2/sequential", "ex-6.3/dynamics", "sec-7.1/rate", "thm-8.1(v)",
    ]  # fmt: skip
    for ident in refuted_and_holds:
        outcomes = {expectations(n).get(ident) for n in NAMES} - {None, NOT_APPLICABLE}
        assert ("refuted",) in outcomes, f"no economy where {ident} is refuted"
        assert any("refuted" not in o for o in outcomes), f"no economy where {ident} holds"
    # claims whose reading has no refutation on a file, or no "holds" status: both of their outcomes
    for ident, one, other in [
        ("thm-5.4", ("refuted",), ("inconclusive",)),
        ("thm-6.1(i)", ("proved", "certified"), ("inconclusive",)),
        ("thm-6.1(ii)", ("proved", "certified"), ("inconclusive",)),
    ]:
        outcomes = {expectations(n).get(ident) for n in NAMES}
        assert one in outcomes and other in outcomes, (ident, outcomes)


def test_comparison_catches_a_dropped_part_and_a_flipped_status():
    """The comparison itself bites: a verdict list that agrees passes; dropping a part, flipping a
    status, or deciding a part that does not apply is reported."""
    name = "one_interior"
    want = expectations(name)
    agree = {
        ident: SimpleNamespace(id=ident, status="inconclusive" if w == NOT_APPLICABLE else w[0], reason="")
        for ident, w in want.items()
    }
    assert status_mismatches(name, agree) == []
    dropped = {k: v for k, v in agree.items() if k != "thm-4.4/existence"}
    assert [m for m in status_mismatches(name, dropped) if m.startswith("thm-4.4/existence: missing")]
    flipped = dict(agree, **{"thm-5.4": SimpleNamespace(id="thm-5.4", status="inconclusive", reason="")})
    assert [m for m in status_mismatches(name, flipped) if m.startswith("thm-5.4: expected refuted")]
    decided = dict(agree, **{"sec-7.1/rate": SimpleNamespace(id="sec-7.1/rate", status="supported", reason="")})
    assert [m for m in status_mismatches(name, decided) if m.startswith("sec-7.1/rate: not applicable")]
    absent = {k: v for k, v in agree.items() if k != "sec-7.1/rate"}
    assert status_mismatches(name, absent) == []


# ------------------------------------------------------------------------------ the checks against it
@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_verdicts_match_hand_derivation(name, verdict_rules):
    """Derived statuses; every refutation confirmed by the verifier; the decision rules of docs/claims.md §2."""
    vs = verdicts(name)
    found = verdict_rules.index(vs)
    report = {"status differs from the hand derivation": status_mismatches(name, found)}
    report["refutation not confirmed by geo-sym verify"] = verdict_rules.unconfirmed_refutations(vs)
    params = verdict_rules.economy_parameters(_file_data(name))
    rules = []
    for v in vs:
        rules += verdict_rules.parts_rule_violations(v) + verdict_rules.witness_violations(v)
        rules += verdict_rules.evidence_violations(v) + verdict_rules.literal_parameter_violations(v, params)
    report["decision rule broken"] = rules
    text = "\n".join(f"[{k}]\n  " + "\n  ".join(v) for k, v in report.items() if v)
    assert not text, f"{name}:\n{text}"
