"""Shrinking a counterexample as property-testing tools do (Hypothesis, QuickCheck).

From a refuted economy, :func:`shrink_counterexample` tries simpler economies in a fixed order —
fewer agents, then a smaller ``K``, then fewer edges, then simpler numbers (``0``, ``1``, ``1/2``,
integers, fractions with smaller denominators) — and keeps the first one that is still a
counterexample, until no candidate is (a local minimum) or the evaluation budget is spent.
"Still a counterexample" is decided by the caller's ``evaluate``: for a search, the claim refuted
on the candidate and the refutation confirmed by the independent verifier. The order of the
candidates, not the order in which parallel evaluations finish, decides which one is kept, so the
result is the same on every scheduler.
"""

from __future__ import annotations

import copy
from fractions import Fraction

from geo_sym.sweep.generator import fraction_text

__all__ = ["shrink_counterexample", "candidates", "complexity", "size_key"]


def _frac(v) -> Fraction | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, str):
        try:
            return Fraction(v.replace(" ", ""))
        except ValueError:
            return None
    return None


def _numbers(doc) -> list:
    """``[(path, value)]`` of the numeric leaves that shrinking may simplify."""
    out = []
    for key, v in (doc.get("parameters") or {}).items():
        out.append((("parameters", key), v))
    pm = doc.get("price_mechanism") or {}
    if "gamma" in pm:
        out.append((("price_mechanism", "gamma"), pm["gamma"]))
    for i, ag in enumerate(doc["agents"]):
        for k, v in enumerate(ag.get("demand", [])):
            out.append((("agents", i, "demand", k), v))
        for k, row in enumerate(ag.get("box", [])):
            out.append((("agents", i, "box", k, 1), row[1]))
    return [(p, f) for p, v in out if (f := _frac(v)) is not None]


def complexity(doc) -> int:
    """``Σ (|p| + q)`` over the numbers of the economy: what "simpler rationals" decreases."""
    return sum(abs(f.numerator) + f.denominator for _, f in _numbers(doc))


def size_key(doc) -> tuple:
    """``(agents, K, edges, complexity)``: smaller is simpler (compared lexicographically)."""
    return (len(doc["agents"]), len(doc["agents"][0]["demand"]), len(doc.get("edges") or []), complexity(doc))


def _set(doc, path, value):
    node = doc
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


def _drop_agent(doc, i):
    d = copy.deepcopy(doc)
    name = d["agents"][i]["name"]
    K = len(d["agents"][i]["demand"])
    del d["agents"][i]
    d["edges"] = [e for e in d.get("edges") or [] if name not in e]
    pm = d.get("price_mechanism") or {}
    if "b" in pm:
        del pm["b"][i * K : (i + 1) * K]
    return d


def _drop_coordinate(doc, k):
    d = copy.deepcopy(doc)
    K = len(d["agents"][0]["demand"])
    for ag in d["agents"]:
        del ag["demand"][k]
        del ag["box"][k]
    pm = d.get("price_mechanism") or {}
    if "b" in pm:
        pm["b"] = [v for j, v in enumerate(pm["b"]) if j % K != k]
    return d


def _simpler(f: Fraction) -> list:
    """Values simpler than ``f`` (by ``|p| + q``), simplest first."""
    cands = [Fraction(0), Fraction(1), Fraction(1, 2), Fraction(int(f)), Fraction(int(f) + 1), f / 2]
    cands += [f.limit_denominator(q) for q in (1, 2, 3, 4, 5, 10)]
    out = []
    for c in sorted(set(cands), key=lambda c: (abs(c.numerator) + c.denominator, c)):
        if c != f and abs(c.numerator) + c.denominator < abs(f.numerator) + f.denominator:
            out.append(c)
    return out


def candidates(doc):
    """Simpler economies than ``doc``, in the order they are tried (see the module docstring)."""
    if doc.get("shocks") or doc.get("slo") or doc.get("taylor") or doc.get("metrics"):
        return  # sections tied to agents and coordinates: only numbers are simplified below
    A, K = len(doc["agents"]), len(doc["agents"][0]["demand"])
    if A > 1:
        for i in range(A):
            yield _drop_agent(doc, i)
    if K > 1:
        for k in range(K):
            yield _drop_coordinate(doc, k)
    for j in range(len(doc.get("edges") or [])):
        d = copy.deepcopy(doc)
        del d["edges"][j]
        yield d


def _number_candidates(doc):
    for path, f in _numbers(doc):
        for c in _simpler(f):
            d = copy.deepcopy(doc)
            _set(d, path, fraction_text(c))
            yield d


def shrink_counterexample(doc: dict, evaluate, *, max_evaluations: int = 400, window: int = 8, progress=None):
    """A locally minimal counterexample reached from ``doc``.

    Parameters
    ----------
    doc : dict
        A counterexample (economy file structure).
    evaluate : callable
        ``evaluate(list of docs) -> list of results``, each ``None`` (not a counterexample) or any
        truthy record (kept with the shrunk economy); called on windows of candidates, possibly in
        parallel.
    max_evaluations : int
    window : int
        Candidates evaluated together.
    progress : callable, optional
        ``progress(evaluations, max_evaluations)``.

    Returns
    -------
    tuple
        ``(doc, record, steps, evaluations)``: the shrunk economy, the record ``evaluate`` returned
        for it (``None`` when no candidate was ever accepted), the number of accepted steps and of
        evaluations.
    """
    current, record, steps, used = doc, None, 0, 0
    while used < max_evaluations:
        hit = None
        for gen in (candidates, _number_candidates):
            hit, used = _first_hit(gen(current), evaluate, used, max_evaluations, window, progress)
            if hit is not None or used >= max_evaluations:
                break
        if hit is None:
            break
        current, record = hit
        steps += 1
    return current, record, steps, used


def _first_hit(cands, evaluate, used, budget, window, progress):
    """The first candidate (in order) that ``evaluate`` accepts, evaluating ``window`` at a time."""
    batch = []
    for cand in cands:
        if used + len(batch) >= budget:
            break
        batch.append(cand)
        if len(batch) == window:
            hit, used = _try(batch, evaluate, used, budget, progress)
            if hit is not None:
                return hit, used
            batch = []
    if batch:
        return _try(batch, evaluate, used, budget, progress)
    return None, used


def _try(batch, evaluate, used, budget, progress):
    batch = batch[: max(0, budget - used)]
    if not batch:
        return None, used
    results = evaluate(batch)
    used += len(batch)
    if progress is not None:
        progress(used, budget)
    for cand, res in zip(batch, results):
        if res:
            return (cand, res), used
    return None, used
