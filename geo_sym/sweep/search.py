"""Counterexample searches (``kind: search``): random economies, a claim's verdict on each, shrinking.

Point ``i`` is the economy :func:`geo_sym.sweep.generator.random_economy` draws from
``numpy.random.default_rng([seed, i])``; the claim is checked on it (``run_checks``, seed ``seed``)
and every refutation is re-checked by the independent verifier (``verify_witness``). The table
holds one row per economy: the verdict, whether the verifier confirmed it, the economy's size and
parameters, and the economy itself (JSON, exact). After the points, the smallest confirmed
counterexample is shrunk (:mod:`geo_sym.sweep.shrink`), every step evaluated on the cluster,
re-verified, and written next to the results as ``<out>.counterexample.json``: a verdict with its
witness, so ``geo-sym verify`` re-checks it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from geo_sym.errors import ModelFileError, ValidationError

__all__ = ["job_extra", "search_point", "assemble_search", "shrink_smallest", "search_summary", "evaluate_candidates"]

_STRINGS = ("status", "verified", "verify_message", "reason", "map", "economy", "witness")
_NUMBERS = ("agents", "K", "paths", "depth", "edges", "complexity", "alpha", "tau", "gamma", "rate")


def job_extra(spec) -> dict:
    """The claim and the validated generator settings, checked before any work."""
    from geo_sym.sweep.compute import claim_applies
    from geo_sym.sweep.generator import check_generator

    claim = spec.options.get("claim")
    if not isinstance(claim, str):
        raise ModelFileError("claim", claim, "the id of the claim to search counterexamples for, e.g. prop-6.2")
    claim_applies(claim)
    shrink = spec.options.get("shrink", True)
    if isinstance(shrink, bool):
        shrink = {"max_evaluations": 400 if shrink else 0}
    if not isinstance(shrink, dict) or set(shrink) - {"max_evaluations"}:
        raise ValidationError("shrink", shrink, "true, false or {max_evaluations: N}")
    budget = shrink.get("max_evaluations", 400)
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise ValidationError("shrink.max_evaluations", budget, "a number of evaluations >= 0")
    return {"claim": claim, "generator": check_generator(spec.options.get("generator"), claim), "shrink": budget}


def _fraction(v) -> float:
    from fractions import Fraction

    return float(Fraction(str(v)))


def describe(doc: dict, econ, claim: str) -> dict:
    """Size and parameters of an economy (the table's columns)."""
    from geo_sym.sweep.shrink import complexity

    params = doc["parameters"]
    pm = doc.get("price_mechanism") or {}
    gamma = _fraction(pm["gamma"]) if "gamma" in pm else float("nan")
    alpha, tau = _fraction(params["alpha"]), _fraction(params["tau"])
    return {
        "agents": float(econ.A),
        "K": float(econ.K),
        "paths": float(econ.n_paths),
        "depth": float(econ.depth),
        "edges": float(len(doc.get("edges") or [])),
        "complexity": float(complexity(doc)),
        "alpha": alpha,
        "tau": tau,
        "gamma": gamma,
        "rate": (1 - alpha) * abs(gamma) * econ.depth / tau if "gamma" in pm else float("nan"),
        "map": doc["map"],
        "economy": json.dumps(doc),
    }


def check_economy(doc: dict, claim: str, seed: int) -> dict:
    """The claim on one economy: verdict, verification of a refutation, description."""
    from geo_sym.sweep.compute import claim_verdict, economy_from_dict, verify_witness

    econ = economy_from_dict(doc)
    v = claim_verdict(claim, econ, seed)
    out = {"status": v.status, "reason": v.reason, "verified": "", "verify_message": "", "witness": ""}
    if v.status == "refuted":
        ok, msg = verify_witness(v.witness)
        out.update(verified="confirmed" if ok else "not confirmed", verify_message=msg, witness=json.dumps(v.witness))
    out.update(describe(doc, econ, claim))
    return out


def search_point(job, index: int) -> dict:
    """Economy ``index`` of the search, drawn from its own generator, and the claim's verdict on it."""
    from geo_sym.sweep.generator import random_economy
    from geo_sym.sweep.points import point_rng

    claim = job.extra["claim"]
    doc = random_economy(job.extra["generator"], point_rng(job.seed, index), claim, name=f"search-{index}")
    return check_economy(doc, claim, job.seed)


def evaluate_candidates(job, docs: list) -> list:
    """A shrinking task: for each candidate, the verdict dict when it is a confirmed counterexample, else None."""
    from geo_sym.sweep.compute import claim_verdict, economy_from_dict, verify_witness
    from geo_sym.sweep.failures import guarded
    from geo_sym.sweep.generator import satisfies_hypotheses

    claim, out = job.extra["claim"], []
    for doc in docs:
        res: list = []

        def one(doc=doc, res=res):
            if not satisfies_hypotheses(doc, claim):
                return
            v = claim_verdict(claim, economy_from_dict(doc), job.seed)
            if v.status == "refuted" and verify_witness(v.witness)[0]:
                res.append(v.to_dict())

        guarded([], "candidate", one)  # an invalid candidate (e.g. a box without 0) is simply not kept
        out.append(res[0] if res else None)
    return out


def assemble_search(spec, rows: list, attrs: dict):
    """The search table as a Dataset (dimension ``point``) and the counts per verdict."""
    import xarray as xr

    rows = sorted(rows, key=lambda r: r["index"])
    n = len(rows)
    data = {}
    for name in _STRINGS + ("error", "error_type"):
        col = [str(r.get(name) if name in ("error", "error_type") else r["values"].get(name, "")) for r in rows]
        data[name] = ("point", np.array(col, dtype=str))
    for name in _NUMBERS + ("seconds",):
        src = (lambda r: r.get("seconds")) if name == "seconds" else (lambda r, name=name: r["values"].get(name))
        data[name] = ("point", np.array([np.nan if src(r) is None else float(src(r)) for r in rows]))
    ds = xr.Dataset(data, coords={"point": np.arange(n)}, attrs={**attrs, "claim": spec.options["claim"]})
    return ds, _counts(ds)


def _counts(ds) -> dict:
    status = [str(s) for s in ds["status"].values]
    counts = {
        s: status.count(s) for s in ("proved", "refuted", "certified", "supported", "inconclusive") if s in status
    }
    failed = sum(1 for e in ds["error"].values if str(e))
    verified = [str(v) for v in ds["verified"].values]
    return {
        "claim": str(ds.attrs.get("claim", "")),
        "verdicts": counts,
        "failed_points": failed,
        "refutations_confirmed": verified.count("confirmed"),
        "refutations_not_confirmed": verified.count("not confirmed"),
    }


def counterexample_path(out) -> Path:
    out = Path(out)
    return out.with_name(out.name.rsplit(".", 1)[0] + ".counterexample.json")


def _smallest(ds):
    from geo_sym.sweep.shrink import size_key

    best = None
    for i, ok in enumerate(ds["verified"].values):
        if str(ok) != "confirmed":
            continue
        doc = json.loads(str(ds["economy"].values[i]))
        key = (size_key(doc), i)
        if best is None or key < best[0]:
            best = (key, i, doc)
    return best


def shrink_smallest(spec, job, ds, engine, out, progress=None) -> dict:
    """Shrink the smallest confirmed counterexample on the engine; write and re-verify it."""
    from geo_sym.sweep.compute import verify_witness
    from geo_sym.sweep.shrink import shrink_counterexample, size_key

    best = _smallest(ds)
    if best is None:
        return {"counterexample": None}
    _, index, doc = best
    evaluations = [0]

    def evaluate(docs):
        results = {}
        for key, res, err in engine.run(evaluate_candidates, job, {k: [d] for k, d in enumerate(docs)}):
            results[key] = None if err is not None else res[0]
        evaluations[0] += len(docs)
        return [results[k] for k in range(len(docs))]

    def tick(used, budget):
        if progress is not None:
            progress(used, budget, "shrinking")

    window = 2 * engine.n_workers
    shrunk, record, steps, used = shrink_counterexample(
        doc, evaluate, max_evaluations=job.extra["shrink"], window=window, progress=tick
    )
    if record is None:  # nothing simpler is a counterexample: the smallest one found, as found
        record = json.loads(str(ds["witness"].values[index]))
        record = {"id": job.extra["claim"], "status": "refuted", "witness": record}
    ok, msg = verify_witness(record["witness"])
    doc_out = {
        **record,
        "shrink": {
            "from_point": int(index),
            "original_economy": doc,
            "original_size": list(size_key(doc)),
            "size": list(size_key(shrunk)),
            "steps": steps,
            "evaluations": used,
            "verified_after_shrinking": ok,
            "verify_message": msg,
        },
    }
    path = counterexample_path(out)
    path.write_text(json.dumps(doc_out, indent=1, default=str))
    return {"counterexample": _summary_of(doc_out, path)}


def _summary_of(doc_out: dict, path: Path) -> dict:
    sh = doc_out["shrink"]
    econ = doc_out["witness"]["economy"]
    return {
        "file": str(path),
        "from_point": sh["from_point"],
        "agents": sh["size"][0],
        "K": sh["size"][1],
        "edges": sh["size"][2],
        "parameters": econ.get("parameters"),
        "price_mechanism": econ.get("price_mechanism"),
        "steps": sh["steps"],
        "verified_after_shrinking": sh["verified_after_shrinking"],
        "reason": doc_out.get("reason", ""),
    }


def search_summary(spec, ds, out) -> dict:
    """Counts and the stored counterexample of a finished search (read back, nothing recomputed)."""
    ds.attrs.setdefault("claim", spec.options.get("claim"))
    summary = _counts(ds)
    path = counterexample_path(out)
    try:
        doc_out = json.loads(path.read_text())
        summary["counterexample"] = _summary_of(doc_out, path)
    except (OSError, ValueError, KeyError):
        summary["counterexample"] = None
    return summary
