"""One run of a sweep: resume what is on disk, compute the rest on the engine, assemble, write.

The kind-specific parts (what a task's payload is, how rows become a Dataset, what happens after
the points: the shrinking of a counterexample search) come from :mod:`geo_sym.sweep.search` and
:mod:`geo_sym.sweep.basins`; grid and random sweeps are handled here.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from geo_sym.errors import ValidationError
from geo_sym.sweep.engine import Engine, default_out
from geo_sym.sweep.points import chunks, coordinate_arrays, point_values
from geo_sym.sweep.results import SweepResult, assemble
from geo_sym.sweep.storage import PartialStore, output_digest, read_output, write_output
from geo_sym.sweep.worker import Job, run_chunk

__all__ = ["Runner", "run_sweep"]


class Runner:
    """Runs one spec to one output file (see :func:`run_sweep`)."""

    def __init__(self, spec, out: Path, fmt: str, *, progress=None, overwrite=False, cache=True):
        self.spec, self.out, self.fmt = spec, Path(out), fmt
        self.progress = progress
        self.overwrite = overwrite
        self.cache = cache
        self.chunks = chunks(spec.n_points, spec.batch)

    # ---------------------------------------------------------------------------------- stages
    def run(self, scheduler: str, workers: int | None) -> SweepResult:
        t0 = time.perf_counter()
        spec = self.spec
        partial = self.out.with_name(self.out.name + ".partial")
        existing = output_digest(self.out, self.fmt)
        if not partial.exists() and existing == spec.digest and not self.overwrite:
            return self._finished(t0)
        if existing is not None and existing != spec.digest and not self.overwrite:
            raise ValidationError(
                "--out",
                str(self.out),
                "a new file or the results of the same spec (it holds another sweep's results; "
                "use --overwrite to replace them)",
            )
        store = PartialStore(self.out, spec.digest, len(self.chunks), overwrite=self.overwrite)
        done = store.done()
        store.start()
        rows = {k: r for k, r in done.items()}
        failed = set()
        self._tick(sum(len(r) for r in rows.values()), "points")
        with Engine(scheduler, workers) as engine:
            job = self._job()
            payloads = {c.index: self._payload(c) for c in self.chunks if c.index not in done}
            for key, chunk_rows, error in engine.run(run_chunk, job, payloads):
                if error is None:
                    store.write(key, chunk_rows)
                    rows[key] = chunk_rows
                else:
                    failed.add(key)
                    rows[key] = _task_failure_rows(self.chunks[key], error)
                self._tick(sum(len(r) for r in rows.values()), "points")
            flat = [r for k in sorted(rows) for r in rows[k]]
            ds, summary = self._assemble(job, flat)
            summary.update(self._after(job, ds, engine))
        if failed:
            summary["incomplete"] = (
                f"{len(failed)} chunk(s) failed on the cluster and are recorded as failures; run again to retry them"
            )
        write_output(ds, self.out, self.fmt)
        if not failed:
            store.remove()
        return SweepResult(
            spec.name,
            spec.kind,
            ds,
            self.out,
            spec.n_points,
            _failures(flat),
            len(payloads),
            len(done),
            time.perf_counter() - t0,
            summary,
        )

    def _tick(self, done: int, phase: str) -> None:
        if self.progress is not None:
            self.progress(done, self.spec.n_points, phase)

    def _attrs(self) -> dict:
        from geo_sym import __version__

        spec = self.spec
        return {
            "digest": spec.digest,
            "name": spec.name,
            "kind": spec.kind,
            "spec": spec.text,
            "seed": spec.seed,
            "base_file": "" if spec.base_path is None else str(spec.base_path),
            "base_sha256": hashlib.sha256(spec.base_text.encode()).hexdigest() if spec.base_text else "",
            "geo_sym_version": __version__,
        }

    def _job(self) -> Job:
        spec = self.spec
        extra = {}
        if spec.kind == "search":
            from geo_sym.sweep.search import job_extra

            extra = job_extra(spec)
        elif spec.kind == "basins":
            from geo_sym.sweep.basins import job_extra

            extra = job_extra(spec)
        return Job(
            kind=spec.kind,
            base_kind=spec.base_kind,
            base_text=spec.base_text,
            digest=spec.digest,
            paths=tuple(e.segments for e in spec.vary),
            compute=spec.compute,
            seed=spec.seed,
            cache=self.cache,
            extra=extra,
        )

    def _payload(self, chunk) -> list:
        if self.spec.kind in ("grid", "random"):
            return [(i, point_values(self.spec, i)) for i in chunk.points]
        return [(i, ()) for i in chunk.points]

    def _assemble(self, job, rows):
        spec = self.spec
        if spec.kind == "search":
            from geo_sym.sweep.search import assemble_search

            return assemble_search(spec, rows, self._attrs())
        if spec.kind == "basins":
            from geo_sym.sweep.basins import assemble_basins

            return assemble_basins(spec, job, rows, self._attrs())
        return assemble(spec, rows, coordinate_arrays(spec), self._attrs()), {}

    def _after(self, job, ds, engine) -> dict:
        if self.spec.kind == "search":
            from geo_sym.sweep.search import shrink_smallest

            return shrink_smallest(self.spec, job, ds, engine, self.out, progress=self.progress)
        return {}

    def _finished(self, t0) -> SweepResult:
        """The results of a finished sweep, read back (nothing is recomputed)."""
        spec = self.spec
        data = read_output(self.out, self.fmt)
        if self.fmt == "parquet":
            data = _dataset_from_frame(spec, data)
        summary = {"already_complete": True}
        if spec.kind == "search":
            from geo_sym.sweep.search import search_summary

            summary.update(search_summary(spec, data, self.out))
        elif spec.kind == "basins":
            from geo_sym.sweep.basins import basins_summary

            summary.update(basins_summary(data))
        err = data["error"].values.ravel() if "error" in data else []
        return SweepResult(
            spec.name,
            spec.kind,
            data,
            self.out,
            spec.n_points,
            int(sum(1 for e in err if str(e))),
            0,
            len(self.chunks),
            time.perf_counter() - t0,
            summary,
        )


def _dataset_from_frame(spec, frame):
    """A Dataset from a results table read back from Parquet."""
    import xarray as xr

    index = [e.path for e in spec.vary] if spec.kind == "grid" else ["point"]
    index += [c for c in ("claim", "equilibrium") if c in frame.columns]
    if spec.kind != "grid":
        index += [c for c in frame.columns if c.startswith("slice_")] if "point" not in frame.columns else []
    ds = xr.Dataset.from_dataframe(frame.set_index(index))
    for name in ds.data_vars:
        if ds[name].dtype == object:
            ds[name] = ds[name].fillna("").astype(str)
    return ds


def _task_failure_rows(chunk, error) -> list:
    msg = f"the task failed on the cluster: {type(error).__name__}: {error}"
    return [
        {"index": i, "values": {}, "error": msg, "error_type": type(error).__name__, "seconds": float("nan")}
        for i in chunk.points
    ]


def _failures(rows) -> int:
    return sum(1 for r in rows if r.get("error"))


def run_sweep(
    spec,
    *,
    out=None,
    scheduler: str = "local",
    workers: int | None = None,
    progress=None,
    overwrite: bool = False,
    cache: bool = True,
):
    """Run a sweep (or resume it) and write its results.

    Parameters
    ----------
    spec : SweepSpec or path
        A spec (:func:`geo_sym.sweep.spec.load_spec`) or the path of a spec file.
    out : path, optional
        Results file (``.zarr``, ``.nc`` or ``.parquet``); default the spec's ``out``, else
        :func:`default_out`.
    scheduler : str
        ``local``, ``synchronous`` or a scheduler address.
    workers : int, optional
        Local cluster size (default: the machine's cores).
    progress : callable, optional
        ``progress(done, total, phase)`` after each chunk (points done of total); the CLI draws a bar.
    overwrite : bool
        Discard results of a different spec at ``out`` instead of refusing.
    cache : bool
        Compile once per worker (the default); False rebuilds at every point (benchmark baseline).

    Returns
    -------
    SweepResult
    """
    from geo_sym.sweep.spec import SweepSpec, load_spec
    from geo_sym.sweep.storage import output_format

    if not isinstance(spec, SweepSpec):
        spec = load_spec(spec)
    out = Path(out) if out is not None else (spec.out or default_out(spec))
    fmt = output_format(out)
    return Runner(spec, out, fmt, progress=progress, overwrite=overwrite, cache=cache).run(scheduler, workers)
