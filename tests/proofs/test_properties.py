"""Properties of `geo-sym check` on seeded random economies, and tests that the rule checkers bite.

Random economies (``random_economy(seed)``): 1–4 agents, K ≤ 3, boxes and balls, empty, chain, layered and
non-layered (skip-edge) DAGs, the tâtonnement and linear price mechanisms (``gamma`` or a matrix ``G``), both
maps, optional SLO terms; every eighth seed carries Example 6.3's data (α = 1/10, γ_A = 1/2, τ = 27/10, depth 3).
On each, every claim is checked and

* every refutation is CONFIRMED by the independent verifier;
* no verdict contradicts its own evidence (the rules of ``conftest.py``: parts rule, witness with a kind,
  supported evidence names a comparison that holds, no foreign literal α, β, τ, γ in a reason);
* the facts that hold on every economy (docs/corpus.md, F1–F3) come out: general theorems proved,
  Theorem 4.6 inconclusive on a file, parts outside their mechanism not applicable, Walras' law refuted;
* for box economies, what an independent LP (SciPy's HiGHS on relaxed or tightened copies of the exact
  constraints, so a float optimum bounds the exact one on the side needed) says about Lemma 4.3
  (``β · max slack ≥ 1``) and about the certificates of non-existence (E3 infeasible, or no coordinate able to
  carry a price) is what the verdicts say;
* where Proposition 6.2's hypothesis fails (``G = γI``, ``τ ≤ (1 − α)|γ|P`` decided exactly) nothing that
  depends on it is decided.
"""

from __future__ import annotations

import os
from fractions import Fraction

import numpy as np
import pytest

from geo_sym.economy.spec import Economy
from proofs.claims.registry import claim_ids

ALL_IDS = claim_ids()  # pinned against DESIGN.md in test_claims.py
N_ECONOMIES = int(os.environ.get("GEO_SYM_PROPERTY_ECONOMIES", "12"))
MARGIN = 1e-6  # LP bounds are moved by this, and optima within it of a boundary decide nothing


# ------------------------------------------------------------------------------ random economies
def _q(x) -> str:
    return str(Fraction(x).limit_denominator(1000))


def _dag(rng, A: int) -> list:
    kind = rng.choice(["empty", "chain", "layered", "random"])
    if kind == "empty" or A == 1:
        return []
    if kind == "chain":
        return [(i, i + 1) for i in range(A - 1)]
    if kind == "layered":
        cuts = sorted(rng.choice(np.arange(1, A), size=rng.integers(1, A), replace=False).tolist())
        layers = [list(range(a, b)) for a, b in zip([0, *cuts], [*cuts, A])]
        return [(i, j) for L1, L2 in zip(layers, layers[1:]) for i in L1 for j in L2]
    edges = [(i, j) for i in range(A) for j in range(i + 1, A) if rng.random() < 0.45]
    return edges


def _n_paths(A: int, edges) -> int:
    succ = {i: [j for a, j in edges if a == i] for i in range(A)}
    indeg = {j: sum(1 for _, b in edges if b == j) for j in range(A)}
    memo = {}

    def count(i):
        if i not in memo:
            memo[i] = 1 if not succ[i] else sum(count(j) for j in succ[i])
        return memo[i]

    return sum(count(i) for i in range(A) if indeg[i] == 0)


def _depth(A: int, edges) -> int:
    longest = {}
    for i in reversed(range(A)):  # edges go from lower to higher index
        longest[i] = 1 + max((longest[j] for a, j in edges if a == i), default=0)
    return max(longest.values())


def random_economy(seed: int) -> dict:
    """A valid economy file (as a mapping) drawn from a seeded generator; see the module docstring."""
    rng = np.random.default_rng(seed)
    example = seed % 8 == 7
    while True:
        A = 3 if example else int(rng.integers(1, 5))
        K = 1 if example else int(rng.integers(1, 4 if A <= 2 else 3))
        edges = [(0, 1), (1, 2)] if example else _dag(rng, A)
        if _n_paths(A, edges) <= 8:
            break
    agents = []
    for a in range(A):
        u = [_q(rng.choice([0, 0.5, 1, 2, 3])) for _ in range(K)]
        if rng.random() < 0.3 and not example:
            c = [Fraction(int(rng.integers(-1, 2)), 2) for _ in range(K)]
            r = sum(abs(x) for x in c) + Fraction(int(rng.integers(1, 3)), 2)
            agents.append({"name": f"g{a}", "demand": u, "ball": {"center": [_q(x) for x in c], "radius": _q(r)}})
        else:
            box = [[_q(rng.choice([0, 0, -0.5])), _q(rng.choice([0.5, 1, 2]))] for _ in range(K)]
            agents.append({"name": f"g{a}", "demand": u, "box": box})
    data = {
        "name": f"random-{seed}",
        "agents": agents,
        "edges": [[f"g{i}", f"g{j}"] for i, j in edges],
        "map": str(rng.choice(["simultaneous", "sequential"])),
        "parameters": {
            "alpha": _q(rng.choice([0.1, 0.25, 1 / 3, 0.5, 2 / 3])),
            "tau": _q(rng.choice([0.25, 0.5, 1, 2, 2.7, 4])),
        },
    }
    mech = "linear" if example else str(rng.choice(["tatonnement", "linear-gamma", "linear-G"]))
    if mech == "tatonnement":
        data["parameters"]["beta"] = _q(rng.choice([0.1, 0.25, 0.5, 1]))
        data["price_mechanism"] = {"kind": "tatonnement"}
    elif mech == "linear-G":
        n = A * K
        G = [[_q(rng.choice([-0.5, 0, 0, 0.5])) for _ in range(n)] for _ in range(n)]
        data["price_mechanism"] = {"kind": "linear", "G": G, "b": [_q(rng.choice([0, 0.5])) for _ in range(n)]}
    else:
        data["price_mechanism"] = {"kind": "linear", "gamma": _q(rng.choice([0, 0.25, 0.5, 1, 2]))}
    if example:
        data["parameters"] = {"alpha": "1/10", "tau": "27/10"}
        data["price_mechanism"] = {"kind": "linear", "gamma": "1/2"}
    if rng.random() < 0.25 and not example:
        data["slo"] = {
            "weights": {"latency": _q(rng.choice([0, 0.5, 1])), "quality": _q(rng.choice([0, 0.5, 1]))},
            "readouts": {m: [int(rng.integers(0, 2)) for _ in range(K)] for m in ("latency", "quality")},
        }
    return data


# ------------------------------------------------------------------------------ independent LP facts
def _box_data(data: dict):
    """``(lo, hi, U, M)`` as float arrays for an all-box economy (U: A×K demands, M: A×|P| incidence)."""
    names = [a["name"] for a in data["agents"]]
    econ = Economy.from_dict(data)
    lo = np.array([[float(Fraction(str(r[0]))) for r in a["box"]] for a in data["agents"]])
    hi = np.array([[float(Fraction(str(r[1]))) for r in a["box"]] for a in data["agents"]])
    U = np.array([[float(Fraction(str(v))) for v in a["demand"]] for a in data["agents"]])
    M = np.zeros((len(names), len(econ.paths)))
    for j, path in enumerate(econ.paths):
        for a in path:
            M[a, j] = 1
    return lo, hi, U, M


def _lp(c, A_ub, b_ub, n):
    """``max c·π`` over the simplex with ``A_ub π ≤ b_ub``: the optimum, or ``None`` when infeasible."""
    from scipy.optimize import linprog

    res = linprog(
        -np.asarray(c), A_ub=A_ub, b_ub=b_ub, A_eq=np.ones((1, n)), b_eq=[1], bounds=[(0, None)] * n, method="highs"
    )
    return None if res.status == 2 else -res.fun


def box_lp_facts(data: dict) -> dict:
    """Facts an LP decides with a clear margin (undecided ones are left out). Every LP is solved on a
    relaxed (bounds moved out by ``MARGIN``) or a tightened (moved in) copy of the exact feasible set, so
    that the float optimum bounds the exact one on the side the conclusion needs:

    ``no_certificate_exists = False`` never asserted; ``e3_infeasible`` — no π has lo ≤ d(π) ≤ hi even relaxed;
    ``no_price_support`` — relaxed, every coordinate's max d_ak − hi_ak is < −MARGIN (or the LP infeasible);
    ``slack_below`` / ``slack_above`` — relaxed max Σ(hi − d) over d ≤ hi is < 1/β − MARGIN (or infeasible),
    resp. tightened max is > 1/β + MARGIN. (``β · max slack ≥ 1`` is Lemma 4.3's exact condition.)
    """
    lo, hi, U, M = _box_data(data)
    A, K = U.shape
    n = M.shape[1]
    D = np.array([M[a] * U[a, k] for a in range(A) for k in range(K)])  # d_ak(π) = (Mπ)_a U_ak
    box_rows = np.vstack([D, -D])
    relaxed = np.concatenate([hi.ravel() + MARGIN, -lo.ravel() + MARGIN])
    facts = {"e3_infeasible": _lp(np.zeros(n), box_rows, relaxed, n) is None}
    if not facts["e3_infeasible"]:
        optima = [_lp(D[i], box_rows, relaxed, n) for i in range(D.shape[0])]
        facts["no_price_support"] = bool(all(o is None or o - hi.ravel()[i] < -MARGIN for i, o in enumerate(optima)))
    pm = data.get("price_mechanism", {})
    if pm.get("kind") == "tatonnement":
        inv_beta = 1 / float(Fraction(data["parameters"]["beta"]))
        loose = _lp(-D.sum(axis=0), D, hi.ravel() + MARGIN, n)
        tight = _lp(-D.sum(axis=0), D, hi.ravel() - MARGIN, n)
        facts["slack_below"] = bool(loose is None or loose + hi.sum() < inv_beta - MARGIN)
        facts["slack_above"] = bool(tight is not None and tight + hi.sum() > inv_beta + MARGIN)
    return facts


def gamma_hypothesis(data: dict):
    """``τ > (1 − α)|γ|P`` exactly for ``G = γI``; ``None`` otherwise."""
    pm = data.get("price_mechanism", {})
    if pm.get("kind") != "linear" or "gamma" not in pm:
        return None
    alpha, tau = Fraction(data["parameters"]["alpha"]), Fraction(data["parameters"]["tau"])
    names = [a["name"] for a in data["agents"]]
    edges = [(names.index(i), names.index(j)) for i, j in data["edges"]]
    return tau > (1 - alpha) * abs(Fraction(pm["gamma"])) * _depth(len(names), edges)


# ------------------------------------------------------------------------------ the facts, per economy
UNIVERSAL = {
    "lem-4.2": "proved",
    "thm-5.2": "proved",
    "thm-4.6": "inconclusive",
    "ex-6.3/arithmetic": "proved",
    "sec-7.1/blanchard-kahn": "proved",
    "thm-8.1(iii)": "proved",
    "thm-3.1": "refuted",  # F1: no random economy has every Y_a = {0} and every u_a = 0
}
NOT_APPLICABLE = {
    "tatonnement": ["prop-6.2/simultaneous", "prop-6.2/sequential", "sec-7.1/rate", "thm-8.1(v)", "ex-6.3/dynamics"],
    "linear": ["lem-4.3", "thm-4.4/fixed-points-are-equilibria"],
}


def fact_violations(data: dict, found: dict) -> list[str]:
    problems = []

    def expect(ident, allowed, why):
        item = found.get(ident)
        if item is None:
            problems.append(f"{ident}: missing ({why})")
        elif item.status not in allowed:
            problems.append(f"{ident}: {item.status}, expected {'/'.join(allowed)} ({why}) — {item.reason[:140]}")

    for ident, status in UNIVERSAL.items():
        expect(ident, (status,), "holds on every economy of the instantiation")
    kind = data["price_mechanism"]["kind"]
    for ident in NOT_APPLICABLE[kind]:
        item = found.get(ident)
        if item is not None and item.status != "inconclusive":
            problems.append(f"{ident}: {item.status}, but it does not apply to the {kind} mechanism")
    if kind == "tatonnement":
        expect("prop-6.2", ("inconclusive",), "Proposition 6.2 needs a linear mechanism")
    p = data["parameters"]
    example = (
        kind == "linear"
        and data["price_mechanism"].get("gamma") == "1/2"
        and (p["alpha"], p["tau"]) == ("1/10", "27/10")
    )
    if not example:
        item = found.get("ex-6.3/dynamics")
        if item is not None and item.status != "inconclusive":
            problems.append(f"ex-6.3/dynamics: {item.status} on an economy without Example 6.3's data")
    if gamma_hypothesis(data) is False:
        for ident in ("prop-6.2", "prop-6.2/simultaneous", "prop-6.2/sequential", "thm-8.1(v)"):
            if ident in found and found[ident].status != "inconclusive":
                problems.append(f"{ident}: {found[ident].status}, but τ ≤ (1 − α)γ_A P: nothing is claimed")
        if "sec-7.1/rate" in found and found["sec-7.1/rate"].status != "inconclusive":
            problems.append("sec-7.1/rate: decided although Proposition 6.2's hypothesis fails")
    if all("box" in a for a in data["agents"]):
        facts = box_lp_facts(data)
        if facts["e3_infeasible"] or facts.get("no_price_support"):
            expect(
                "thm-4.4/existence", ("refuted",), f"independent LP: {facts} (a certificate of docs/claims.md exists)"
            )
        if facts.get("slack_below"):
            expect("lem-4.3", ("proved",), f"independent LP: β · max slack < 1 ({facts})")
        if facts.get("slack_above"):
            expect("lem-4.3", ("refuted",), f"independent LP: β · max slack > 1 ({facts})")
    return problems


@pytest.fixture(scope="module")
def checked():
    """seed -> (economy mapping, verdicts), computed once per seed."""
    from proofs.claims.registry import run_checks

    cache = {}

    def get(seed):
        if seed not in cache:
            data = random_economy(seed)
            cache[seed] = data, tuple(run_checks(ALL_IDS, economy=Economy.from_dict(data), seed=0))
        return cache[seed]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(N_ECONOMIES))
def test_random_economy(seed, checked, verdict_rules):
    data, vs = checked(seed)
    found = verdict_rules.index(vs)
    params = verdict_rules.economy_parameters(data)
    report = {
        "refutation not confirmed by geo-sym verify": verdict_rules.unconfirmed_refutations(vs),
        "verdict contradicts its own evidence": [
            msg
            for v in vs
            for msg in verdict_rules.parts_rule_violations(v)
            + verdict_rules.witness_violations(v)
            + verdict_rules.evidence_violations(v)
            + verdict_rules.literal_parameter_violations(v, params)
        ],
        "fact derived independently does not come out": fact_violations(data, found),
    }
    text = "\n".join(f"[{k}]\n  " + "\n  ".join(v) for k, v in report.items() if v)
    assert not text, f"seed {seed} ({data['name']}):\n{text}"


# ------------------------------------------------------------------------------ the generator itself
@pytest.mark.parametrize("seed", range(64))
def test_random_economies_are_valid_and_varied(seed):
    data = random_economy(seed)
    econ = Economy.from_dict(data)
    assert econ.K <= 3 and 1 <= econ.A <= 4 and econ.n_paths <= 8


def test_random_economies_cover_the_cases():
    datas = [random_economy(s) for s in range(N_ECONOMIES)]
    kinds = {
        ("G" in d["price_mechanism"], "gamma" in d["price_mechanism"], d["price_mechanism"]["kind"]) for d in datas
    }
    assert {k[2] for k in kinds} == {"tatonnement", "linear"}
    assert any(k[0] for k in kinds) and any(k[1] for k in kinds)
    assert {d["map"] for d in datas} == {"simultaneous", "sequential"}
    assert any("ball" in a for d in datas for a in d["agents"])
    assert any(len(a["demand"]) == 3 for d in datas for a in d["agents"])
    assert any(not d["edges"] and len(d["agents"]) > 1 for d in datas)
    layered = lambda d: len({len(p) for p in Economy.from_dict(d).paths}) == 1
    assert any(d["edges"] and not layered(d) for d in datas), "a non-layered DAG"
    assert any(d["edges"] and layered(d) and len(d["agents"]) > 2 for d in datas), "a layered DAG"
    assert any("slo" in d for d in datas)


# ------------------------------------------------------------------------------ the checkers bite
class _V:
    """A stand-in verdict: only the public attributes the rule checkers read."""

    def __init__(self, ident, status, parts=(), witness=None, evidence=None, reason="", applicable=None):
        self.id, self.status, self.parts = ident, status, list(parts)
        self.witness, self.evidence, self.reason = witness or {}, evidence or {}, reason
        if applicable is not None:
            self.applicable = applicable

    def to_dict(self):
        return {
            "id": self.id,
            "status": self.status,
            "witness": self.witness,
            "parts": [p.to_dict() for p in self.parts],
        }


def test_parts_rule_checker_catches_broken_verdicts(verdict_rules):
    ok = _V("c", "supported", [_V("c/a", "proved"), _V("c/b", "supported")])
    assert verdict_rules.parts_rule_violations(ok) == []
    # a part refuted but the claim not (a dropped part, or a flipped rule)
    assert verdict_rules.parts_rule_violations(_V("c", "proved", [_V("c/a", "refuted"), _V("c/b", "proved")]))
    # stronger than its weakest applicable part
    assert verdict_rules.parts_rule_violations(_V("c", "proved", [_V("c/a", "proved"), _V("c/b", "supported")]))
    # refuted with no refuted part
    assert verdict_rules.parts_rule_violations(_V("c", "refuted", [_V("c/a", "proved")]))
    # an inconclusive part that applies forces inconclusive; one that does not apply is ignored
    applies = [_V("c/a", "proved", applicable=True), _V("c/b", "inconclusive", applicable=True)]
    assert verdict_rules.parts_rule_violations(_V("c", "proved", applies))
    ignored = [_V("c/a", "proved", applicable=True), _V("c/b", "inconclusive", applicable=False)]
    assert verdict_rules.parts_rule_violations(_V("c", "proved", ignored)) == []
    # without applicability flags either reading of the inconclusive part is accepted, nothing stronger
    plain = [_V("c/a", "certified"), _V("c/b", "inconclusive")]
    assert verdict_rules.parts_rule_violations(_V("c", "certified", plain)) == []
    assert verdict_rules.parts_rule_violations(_V("c", "inconclusive", plain)) == []
    assert verdict_rules.parts_rule_violations(_V("c", "proved", plain))
    # nested parts are checked too
    assert verdict_rules.parts_rule_violations(_V("c", "refuted", [_V("c/a", "refuted", [_V("c/a/x", "proved")])]))


def test_witness_and_evidence_checkers_catch_broken_verdicts(verdict_rules):
    assert verdict_rules.witness_violations(_V("c", "refuted"))  # empty witness
    assert verdict_rules.witness_violations(_V("c", "refuted", witness={"economy": {}}))  # no kind
    assert verdict_rules.witness_violations(_V("c", "refuted", witness={"kind": "operator_norm"})) == []
    assert verdict_rules.witness_violations(_V("c", "maybe"))  # not a status
    assert verdict_rules.evidence_violations(_V("c", "supported"))  # no comparison named
    good = {"norm": {"quantity": "‖DΦ‖", "value": "9/10", "bound": 1, "relation": "<"}}
    assert verdict_rules.evidence_violations(_V("c", "supported", evidence=good)) == []
    flipped = {"norm": {"quantity": "‖DΦ‖", "value": "9/10", "bound": 1, "relation": ">"}}
    assert verdict_rules.evidence_violations(_V("c", "supported", evidence=flipped))
    straddles = {"rho": {"quantity": "ρ", "value": ["0.99", "1.01"], "bound": 1, "comparison": "<"}}
    assert verdict_rules.evidence_violations(_V("c", "supported", evidence=straddles))
    no_relation = {"rho": {"quantity": "ρ", "value": "1/2", "bound": 1}}
    assert verdict_rules.evidence_violations(_V("c", "supported", evidence=no_relation))
    assert verdict_rules.comparison_holds(["0.49", "0.5"], "≤", "1/2")
    assert not verdict_rules.comparison_holds(["0.49", "0.51"], "<", "1/2")
    assert verdict_rules.comparison_holds("1/3", "!=", ["0.34", "0.35"])


def test_literal_parameter_checker(verdict_rules):
    params = {"alpha": Fraction(1, 3), "beta": Fraction(1, 10), "tau": Fraction(27, 10)}
    check = lambda text, ident="c": verdict_rules.literal_parameter_violations(_V(ident, "proved", reason=text), params)
    assert check("with α = 1/10, P = 3") != []  # the example's α, not this economy's
    assert check("α = 1/3 and τ = 2.7 give λ = 4/9") == []
    assert check("alpha = 0.333, beta = 0.1") == []  # decimal roundings of the economy's values
    assert check("α = 0.34") != []
    assert check("γ_A = 1/2 and τ₀ = 5") == []  # other symbols
    assert check("γ = 1/2") != []  # this economy has no γ
    assert check("for α = 1/10, P = 3, γ_A = 1/2", ident="ex-6.3/arithmetic") == []


def test_refutation_checker_uses_the_verifier(verdict_rules):
    """A hand-built witness of docs/witness-format.md (one_lem43_boundary: β(hi − u) = 1, so at
    y = 2, p = 1, π = 1 the tâtonnement meets normalize(0)) is confirmed; the same witness at a state
    where the map is defined is not."""
    economy = {
        "name": "one-lem43-boundary",
        "agents": [{"name": "a", "demand": [1], "box": [[0, 2]]}],
        "edges": [],
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": 1, "tau": 1},
        "price_mechanism": {"kind": "tatonnement"},
    }

    def verdict(y):
        witness = {
            "kind": "undefined_map",
            "claim": "lem-4.3",
            "economy": economy,
            "state": {"y": [[y]], "p": [[1]], "pi": [1]},
            "claimed": {},
            "observed": {},
        }
        return _V("lem-4.3", "refuted", witness=witness)

    assert verdict_rules.unconfirmed_refutations([verdict(2)]) == []
    assert verdict_rules.unconfirmed_refutations([verdict(1)])
