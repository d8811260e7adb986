"""The task a Dask worker runs: one chunk of points, each failure recorded as data.

A :class:`Job` carries everything a worker needs (the base file's *text*, never a path: workers
read and write no files) and is scattered to the workers once. :func:`run_chunk` evaluates a chunk
of points and returns plain rows; the client writes them. Compile once per worker: the parsed
base file, the compiled DSGE model and the orchestration steady states are kept in a per-process
cache keyed by the SHA-256 of the base file's content (and, for steady states, by the assignments
that change them), so a worker pays for SymPy code generation once, not once per point.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field

from geo_sym.sweep.failures import guarded

__all__ = ["Job", "run_chunk", "clear_cache"]

#: numeric failures recorded with their message (besides geo-sym's own errors)

_CACHE_SIZE = 512
_BASES: dict = {}
_STEADY: OrderedDict = OrderedDict()


def clear_cache() -> None:
    """Forget the compiled bases and steady states of this process."""
    _BASES.clear()
    _STEADY.clear()


@dataclass(frozen=True, eq=False)
class Job:
    """What every task of a sweep shares (pickled once and scattered to the workers).

    Attributes
    ----------
    kind : str
        ``grid``, ``random``, ``search`` or ``basins``.
    base_kind : str or None
        ``economy`` or ``model``.
    base_text : str
        The base file's content.
    digest : str
        The sweep's digest (also keys the per-worker caches).
    paths : tuple
        Segments of each varied path (:func:`geo_sym.sweep.paths.parse_path`).
    compute : tuple of ComputeItem
    seed : int
    cache : bool
        Compile once per worker (False rebuilds everything at every point: the benchmark's baseline).
    extra : dict
        Kind-specific settings (search: claim and generator; basins: equilibria and iteration).
    """

    kind: str
    base_kind: str | None
    base_text: str = field(repr=False)
    digest: str
    paths: tuple = ()
    compute: tuple = ()
    seed: int = 0
    cache: bool = True
    extra: dict = field(default_factory=dict, repr=False)


def run_chunk(job: Job, points: list) -> list:
    """Evaluate ``points`` (``[(index, values)]``); one row per point, in order.

    A row is ``{"index": i, "values": {variable: value}, "error": str, "error_type": str, "seconds": float}``;
    ``error`` is empty when every item was computed, else ``"item: message; ..."``.
    """
    rows = []
    for index, values in points:
        t0 = time.perf_counter()
        errors: list = []
        out: dict = {}
        guarded(
            errors,
            "point",
            lambda index=index, values=values, out=out, errors=errors: out.update(
                _evaluate(job, index, values, errors)
            ),
        )
        rows.append(
            {
                "index": int(index),
                "values": out,
                "error": "; ".join(f"{n}: {m}" for n, m, _ in errors),
                "error_type": errors[0][2] if errors else "",
                "seconds": time.perf_counter() - t0,
            }
        )
    return rows


def _evaluate(job: Job, index: int, values, errors: list) -> dict:
    if job.kind == "search":
        from geo_sym.sweep.search import search_point

        return search_point(job, index)
    if job.kind == "basins":
        from geo_sym.sweep.basins import basin_point

        return basin_point(job, index, values)

    def guard(name, fn):
        guarded(errors, name, fn)

    assignments = [(seg, v) for seg, v in zip(job.paths, values)]
    if job.base_kind == "model":
        return _model_point(job, assignments, guard)
    return _economy_point(job, assignments, guard)


# ------------------------------------------------------------------------------------------ bases
def _base_doc(job: Job):
    from geo_sym.economy.files import parse_yaml

    key = ("doc", job.digest)
    if not job.cache or key not in _BASES:
        _BASES[key] = parse_yaml(job.base_text, f"{job.base_kind} file")
    return _BASES[key]


def _base_model(job: Job):
    from geo_sym.sweep.compute import compile_model

    key = ("model", job.digest)
    if not job.cache or key not in _BASES:
        _BASES[key] = compile_model(job.base_text)
    return _BASES[key]


def _model_point(job: Job, assignments, guard) -> dict:
    from geo_sym.sweep.compute import model_items, model_with
    from geo_sym.sweep.points import substitution_value

    params, other = {}, []
    for seg, v in assignments:
        if len(seg) == 2 and seg[0] == ("key", "parameters"):
            params[seg[1][1]] = substitution_value(v)
        else:
            other.append((seg, substitution_value(v)))
    model = model_with(_base_model(job), _base_doc(job), params, other)
    return model_items(model, job.compute, guard)


def _economy_point(job: Job, assignments, guard) -> dict:
    from geo_sym.sweep.compute import economy_from_dict, economy_items, orchestration_steady_state
    from geo_sym.sweep.paths import set_values
    from geo_sym.sweep.points import substitution_value

    subs = [(seg, substitution_value(v)) for seg, v in assignments]
    econ = economy_from_dict(set_values(_base_doc(job), subs))
    # the steady state without the rule does not depend on the taylor section: one per other assignment
    structural = tuple((seg, v) for seg, v in subs if seg[0] != ("key", "taylor"))

    def steady_of(how):
        key = (job.digest, structural, how)
        if job.cache and key in _STEADY:
            _STEADY.move_to_end(key)
            return _STEADY[key]
        ss, depends = orchestration_steady_state(econ, how)
        if job.cache and not depends:
            _STEADY[key] = ss
            if len(_STEADY) > _CACHE_SIZE:
                _STEADY.popitem(last=False)
        return ss

    from geo_sym.sweep.basins import basins_item

    return economy_items(econ, steady_of, job.compute, job.seed, guard, extra={"basins": basins_item})
