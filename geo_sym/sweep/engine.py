"""The Dask engine: chunks of points as tasks, results gathered by the client, resumable.

``scheduler`` is ``"local"`` (default: a :class:`distributed.LocalCluster` of single-threaded worker
processes, one per core), ``"synchronous"`` (Dask's in-process scheduler, for debugging) or the
address of a running scheduler (``tcp://host:8786``: a cluster started with ``dask scheduler`` and
``dask worker``, or by dask-jobqueue on a batch system). The job (base file text, items, seeds) is
scattered to the workers once; each task evaluates one chunk and returns its rows; the client writes
the chunk files (:class:`geo_sym.sweep.storage.PartialStore`), so workers share no file system
with the client or with each other and the same code runs on one machine or many.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

from geo_sym.errors import ValidationError

__all__ = ["Engine", "default_out"]


class Engine:
    """A context manager running ``fn(job, payload)`` tasks on the chosen scheduler.

    Parameters
    ----------
    scheduler : str
        ``local``, ``synchronous`` or a scheduler address.
    workers : int, optional
        Worker processes of the local cluster (default: the machine's cores).
    connect_timeout : float
        Seconds to wait for a scheduler at an address before saying it is not there (default 30).
    """

    def __init__(self, scheduler: str = "local", workers: int | None = None, connect_timeout: float = 30.0):
        if not isinstance(scheduler, str) or not scheduler:
            raise ValidationError("--scheduler", scheduler, "local, synchronous or a scheduler address host:port")
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
            raise ValidationError("--workers", workers, "a positive number of worker processes")
        self.scheduler = scheduler
        self.workers = workers
        self.connect_timeout = connect_timeout
        self.client = None
        self._cluster = None

    def __enter__(self) -> Engine:
        if self.scheduler == "synchronous":
            return self
        from distributed import Client

        if self.scheduler == "local":
            from distributed import LocalCluster

            root = str(Path(__file__).resolve().parents[2])
            path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
            self._cluster = LocalCluster(
                n_workers=self.workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
                env={"PYTHONPATH": path},
            )
            self.client = Client(self._cluster)
        else:
            try:
                self.client = Client(self.scheduler, timeout=self.connect_timeout)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ValidationError(
                    "--scheduler", self.scheduler, f"the address of a running Dask scheduler ({exc})"
                ) from None
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
        self.client = self._cluster = None

    @property
    def n_workers(self) -> int:
        if self.client is None:
            return 1
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def run(self, fn, job, payloads: dict):
        """Yield ``(key, rows, error)`` as tasks finish; ``error`` is the task's exception (then ``rows`` is None).

        Point failures are rows; an error here means the task itself failed (a worker died, the code
        could not be loaded on the worker): those chunks are not stored and a re-run retries them.
        """
        if self.client is None:
            import dask

            for key, payload in payloads.items():
                yield key, dask.delayed(fn)(job, payload).compute(scheduler="synchronous"), None
            return
        yield from self._run_distributed(fn, job, payloads)

    def _run_distributed(self, fn, job, payloads: dict):
        from distributed import as_completed

        job_future = self.client.scatter(job, broadcast=True, hash=False)
        token = uuid.uuid4().hex[:8]
        todo = list(payloads.items())
        window = max(32, 8 * self.n_workers)  # tasks in flight: bounds client memory, hides latency
        keys = {}

        def submit(key, payload):
            fut = self.client.submit(fn, job_future, payload, key=f"geo-sym-sweep-{token}-{key}", pure=False)
            keys[fut.key] = key
            return fut

        pending = as_completed([submit(*todo.pop(0)) for _ in range(min(window, len(todo)))])
        for fut in pending:
            key = keys.pop(fut.key)
            if fut.status == "error":
                yield key, None, fut.exception()
            else:
                yield key, fut.result(), None
            fut.release()
            if todo:
                pending.add(submit(*todo.pop(0)))


def default_out(spec) -> Path:
    """``<name>.zarr`` for grids and basins, ``<name>.parquet`` for random sweeps and searches (current folder)."""
    ext = ".zarr" if spec.kind in ("grid", "basins") else ".parquet"
    return Path.cwd() / f"{spec.name}{ext}"
