"""Sweep throughput: points per second of the 4-D Taylor-rule stability map, serial loop vs Dask.

Baseline (named): ``serial loop`` — what one writes without the sweep engine: for every point,
build the economy from the file with the point's values, find its steady state, set the Taylor
rule and compute the spectral radius (``dsge.orchestration``), in one process.

Measured in the same run, each configuration repeated and alternated with the others (the first
run of each is reported as cold, the median of the rest as warm):

* ``sweep, synchronous``: the engine in-process (Dask's synchronous scheduler), compile-once cache on;
* ``sweep, synchronous, no cache``: the same with compile-once off (everything rebuilt per point);
* ``sweep, LocalCluster(2)``: two single-threaded worker processes (the cluster's start-up is
  included; it is also timed alone);
* ``sweep, LocalCluster(2), batch 1``: one point per task (the cost of not batching);
* per-task overhead: a round trip of an empty task on the cluster;
* compile-once for a DSGE model file (nk3): compile per point vs once per worker.

Run: ``PYTHONPATH=. python benchmarks/bench_sweep.py [--small]``. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _spec(folder: Path, n: int, batch: int | None = None, name: str = "t4") -> Path:
    data = {
        "economy": str(ROOT / "examples/economies/orchestration_taylor.yaml"),
        "vary": {
            "taylor.phi_lat": {"grid": [0, 20, n]},
            "taylor.phi_qual": {"grid": [0, 20, n]},
            "parameters.alpha": ["1/4", "1/2", "3/4"],
            "parameters.tau": ["1/10", "1/5", "2/5"],
        },
        "compute": ["spectral_radius"],
    }
    if batch is not None:
        data["batch"] = batch
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def serial_loop(n: int) -> tuple[float, int]:
    """The baseline: a plain loop over the points calling the library."""
    import dataclasses

    import numpy as np

    from dsge.orchestration import spectral_radius, steady_state, taylor_rule
    from dsge.orchestration.steady import neutral_rule
    from geo_sym.economy.files import load_yaml
    from geo_sym.economy.spec import Economy

    doc = load_yaml(ROOT / "examples/economies/orchestration_taylor.yaml", "economy")
    grid = np.linspace(0, 20, n)
    t0 = time.perf_counter()
    count = 0
    for alpha in ("1/4", "1/2", "3/4"):
        for tau in ("1/10", "1/5", "2/5"):
            for fl in grid:
                for fq in grid:
                    d = {**doc, "parameters": {"alpha": alpha, "tau": tau}, "taylor": {"phi_lat": fl, "phi_qual": fq}}
                    econ = Economy.from_dict(d)
                    ss = steady_state(econ)
                    rule = neutral_rule(econ, taylor_rule(econ), ss.state)
                    spectral_radius(econ, dataclasses.replace(ss, policy=rule))
                    count += 1
    return time.perf_counter() - t0, count


def sweep(path: Path, out: Path, scheduler: str, workers=None, cache=True) -> tuple[float, int]:
    from geo_sym.sweep import run_sweep
    from geo_sym.sweep.worker import clear_cache

    clear_cache()
    t0 = time.perf_counter()
    res = run_sweep(path, out=out, scheduler=scheduler, workers=workers, cache=cache, overwrite=True)
    return time.perf_counter() - t0, res.points


def cluster_overheads(n_tasks: int = 200) -> tuple[float, float]:
    """``(start-up + shutdown seconds, seconds per empty task round trip)`` of a 2-worker LocalCluster."""
    from geo_sym.sweep import Engine

    t0 = time.perf_counter()
    with Engine("local", 2) as eng:
        list(eng.run(_noop, None, {k: k for k in range(10)}))  # warm the connections
        t1 = time.perf_counter()
        list(eng.run(_noop, None, {k: k for k in range(n_tasks)}))
        tasks = time.perf_counter() - t1
    return time.perf_counter() - t0 - tasks, tasks / n_tasks


def _noop(job, payload):
    return [payload]


def model_compile_once(points: int = 60) -> tuple[float, float]:
    """Seconds per point of the nk3 determinacy map: compiled per point vs once per worker."""
    from geo_sym.sweep import run_sweep
    from geo_sym.sweep.worker import clear_cache

    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "nk.yaml"
        spec.write_text(
            yaml.safe_dump(
                {
                    "model": str(ROOT / "examples/models/nk3.yaml"),
                    "vary": {"parameters.phi_pi": {"grid": [0, 3, points]}},
                    "compute": ["bk_status"],
                }
            )
        )
        out = []
        for cache in (False, True):
            clear_cache()
            t0 = time.perf_counter()
            run_sweep(spec, out=Path(tmp) / f"nk{cache}.zarr", scheduler="synchronous", cache=cache, overwrite=True)
            out.append((time.perf_counter() - t0) / points)
    return out[0], out[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", action="store_true", help="a 5 x 5 x 3 x 3 grid instead of 11 x 11 x 3 x 3")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    n = 5 if args.small else 11
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path, path_b1 = _spec(folder, n), _spec(folder, n, batch=1, name="t4b1")
        configs = {
            "serial loop (baseline)": lambda: serial_loop(n),
            "sweep, synchronous": lambda: sweep(path, folder / "s.zarr", "synchronous"),
            "sweep, synchronous, no cache": lambda: sweep(path, folder / "sn.zarr", "synchronous", cache=False),
            "sweep, LocalCluster(2)": lambda: sweep(path, folder / "l.zarr", "local", 2),
            "sweep, LocalCluster(2), batch 1": lambda: sweep(path_b1, folder / "l1.zarr", "local", 2),
        }
        times: dict = {k: [] for k in configs}
        points = {}
        for _ in range(args.repeats):  # alternated: every configuration once per round
            for name, fn in configs.items():
                t, p = fn()
                times[name].append(t)
                points[name] = p
        startup, per_task = cluster_overheads()
        per_point_nocache, per_point_cache = model_compile_once()
    base_warm = statistics.median(times["serial loop (baseline)"][1:] or times["serial loop (baseline)"])
    print(f"4-D Taylor-rule stability map: {points['sweep, synchronous']} points ({n} x {n} x 3 x 3), spectral radius")
    print(f"{'configuration':<34} {'cold s':>8} {'warm s':>8} {'pts/s warm':>11} {'vs baseline':>12}")
    for name, ts in times.items():
        warm = statistics.median(ts[1:] or ts)
        print(f"{name:<34} {ts[0]:>8.2f} {warm:>8.2f} {points[name] / warm:>11.1f} {base_warm / warm:>11.2f}x")
    print(
        f"\nLocalCluster(2) start-up + shutdown: {startup:.2f} s; per-task overhead (empty task round trip): "
        f"{per_task * 1e3:.2f} ms"
    )
    b1 = statistics.median(times["sweep, LocalCluster(2), batch 1"][1:] or times["sweep, LocalCluster(2), batch 1"])
    bd = statistics.median(times["sweep, LocalCluster(2)"][1:] or times["sweep, LocalCluster(2)"])
    print(f"batching (default batch vs 1 point per task, LocalCluster(2)): {b1 / bd:.2f}x")
    sn = statistics.median(times["sweep, synchronous, no cache"][1:] or times["sweep, synchronous, no cache"])
    sc = statistics.median(times["sweep, synchronous"][1:] or times["sweep, synchronous"])
    print(f"compile-once, orchestration economy (steady state once per (alpha, tau) per worker): {sn / sc:.2f}x")
    print(
        f"compile-once, DSGE model nk3: {per_point_nocache * 1e3:.1f} ms/point compiled per point vs "
        f"{per_point_cache * 1e3:.2f} ms/point compiled once: {per_point_nocache / per_point_cache:.1f}x"
    )


if __name__ == "__main__":
    main()
