"""The orchestration economy as a DSGE at scale: each speed-up measured against its named baseline in the same run.

    python benchmarks/bench_orchestration.py [--repeat 3] [--quick] [--only irf,large,masks,yaml]

On a machine shared with other work, set OPENBLAS_NUM_THREADS=1: a multi-threaded BLAS competing for
the cores makes every dense step slow and noisy (the value in force is printed).

Sections (each ratio is baseline / new, medians of alternated runs; "cold" = a fresh process, imports
included; "warm" = in-process, modules loaded):

1. ``geo-sym irf`` on a layered economy whose paths outnumber its agents. Baseline: the former pipeline,
   which linearized the full state ``(y, p, π)`` and counted unstable roots with one ``ordqz`` (Klein)
   although nothing jumps. New: the reduced state ``(y, p, w)`` and an eigenvalue count.
2. ARPACK products ``Cov · v`` on the 10 × 100, K = 4 economy (10^20 paths). Baseline: the per-layer edge
   masks rebuilt at every product (the former code, kept below as ``_matvec_rebuilding_masks``). New: the
   masks precomputed once per graph. The results are checked to be bitwise identical.
3. Reading a large economy file. Baseline: PyYAML's pure-Python safe loader. New: the C safe loader
   (libyaml) that :func:`geo_sym.economy.files.load_yaml` uses. The parsed documents are checked equal.
4. The large economy end to end (build, steady state on the reduced state, spectral radius by Arnoldi),
   with a dense eigen-decomposition timed on a smaller instance and extrapolated (labelled as such).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dsge.orchestration import impulse_response, spectral_radius, steady_state  # noqa: E402
from geo_sym.economy.graph import RoutingMarginals  # noqa: E402
from geo_sym.economy.spec import Economy  # noqa: E402


# ------------------------------------------------------------------------------------------ economies
def layered_dict(layers: int, width: int, K: int, seed: int = 0, slo: bool = False) -> dict:
    """A layered DAG (complete bipartite between consecutive layers); with ``slo`` also SLO weights, a
    latency-spike channel on the first agent of the last layer and a Taylor rule (needs ``K >= 2``)."""
    rng = np.random.default_rng(seed)
    names = [[f"l{i}_{j}" for j in range(width)] for i in range(layers)]
    agents = [
        {"name": n, "demand": [round(float(v), 3) for v in rng.uniform(0.2, 1.0, K)], "box": [[0, 2]] * K}
        for row in names
        for n in row
    ]
    edges = [[a, b] for i in range(layers - 1) for a in names[i] for b in names[i + 1]]
    d = {
        "name": f"layered-{layers}x{width}",
        "agents": agents,
        "edges": edges,
        "map": "sequential",
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "gamma": "1/2"},
    }
    if slo:
        d["metrics"] = {"names": ["latency", "quality"] + [f"m{i}" for i in range(K - 2)], "stats": 1}
        d["slo"] = {"weights": {"latency": "1/2", "quality": "1/2"}}
        d["shocks"] = [{"name": "spike", "kind": "latency", "agent": names[-1][0]}]
        d["taylor"] = {"phi_lat": 1, "phi_qual": 1}
    return d


def layered(layers: int, width: int, K: int) -> Economy:
    return Economy.from_dict(layered_dict(layers, width, K))


def alternate(fa, fb, repeat: int):
    """Medians of ``repeat`` alternated timings of ``fa`` and ``fb`` (a, b, a, b, ...)."""
    ta, tb = [], []
    for _ in range(repeat):
        for f, out in ((fa, ta), (fb, tb)):
            t0 = time.perf_counter()
            f()
            out.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


# ------------------------------------------------------------------------------------------ 1. irf
def _former_irf_bk(econ, steady):
    """The former ``geo-sym irf`` Blanchard–Kahn step: full-state Jacobian in tangent coordinates and Klein's ordqz."""
    from dsge.solution.blanchard_kahn import klein
    from geo_sym.economy.state import tangent_chart
    from geo_sym.maps.jacobian import numeric_jacobian

    full = steady.state
    J = tangent_chart(econ).restrict(numeric_jacobian(econ, full).dense())
    bk, _, _ = klein(np.eye(J.shape[0]), J, J.shape[0], tol=1e-6)
    return bk


def _new_irf(econ, steady):
    ir = impulse_response(econ, "spike", 20, 0.01, steady=steady)
    return ir.stability


def run_baseline_process(path: str) -> None:
    """``--baseline-irf FILE``: the former pipeline in a fresh process (steady state, full-state ordqz)."""
    from geo_sym.economy.spec import load_economy

    econ = load_economy(path)
    bk = _former_irf_bk(econ, steady_state(econ))
    print(bk.status)


def bench_irf(layers, width, repeat):
    d = layered_dict(layers, width, 2, slo=True)
    tmp = Path(tempfile.mkdtemp()) / "irf_economy.yaml"
    tmp.write_text(yaml.safe_dump(d, sort_keys=False))
    econ = Economy.from_dict(d)
    print(f"1. geo-sym irf on {econ.name}: A = {econ.A}, K = 2, |P| = {econ.n_paths}")
    print(f"   full state n = {econ.state_size()}, reduced state n = {econ.reduced_state_size()}")
    ss = steady_state(econ)
    bk_old, st_new = _former_irf_bk(econ, ss), _new_irf(econ, ss)
    agree = bk_old.status == st_new.status and bk_old.n_unstable == st_new.n_unstable
    tb, tn = alternate(lambda: _former_irf_bk(econ, ss), lambda: _new_irf(econ, ss), repeat)
    print(
        f"   warm  BK step: baseline full-state ordqz {tb:7.3f} s | new reduced eigenvalue count + IRF "
        f"{tn:7.3f} s | ratio {tb / tn:6.1f}x   (same status: {agree}, {st_new.status})"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    cmd_new = [sys.executable, "-m", "geo_sym", "irf", str(tmp), "--shock", "spike", "--periods", "20", "--json"]
    cmd_old = [sys.executable, __file__, "--baseline-irf", str(tmp)]

    def run(cmd):
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)

    tb, tn = alternate(lambda: run(cmd_old), lambda: run(cmd_new), repeat)
    print(
        f"   cold  whole process: baseline (load, steady state, full-state ordqz) {tb:7.2f} s | "
        f"new geo-sym irf --json {tn:7.2f} s | ratio {tb / tn:6.1f}x"
    )
    return tb / tn


# ------------------------------------------------------------------------------------------ 2. ARPACK products
def _matvec_rebuilding_masks(self, v):
    """The former :meth:`RoutingMarginals.covariance_matvec`: masks rebuilt per layer at every call."""
    g = self.graph
    v = np.asarray(v, dtype=float)
    src, dst = g._edge_arrays
    n = g.n_agents
    down = np.zeros(n)
    heights = g._heights
    for h in range(1, int(heights.max()) + 1):
        mask = heights[src] == h
        contrib = self.transition[mask] * (v[dst[mask]] + down[dst[mask]])
        down += np.bincount(src[mask], weights=contrib, minlength=n)
    up = np.zeros(n)
    levels = g._levels
    nlev = int(levels.max()) + 1 if n else 0
    for lev in range(1, nlev):
        mask = levels[dst] == lev
        if np.any(mask):
            flow = self.w[src[mask]] * self.transition[mask]
            num = np.bincount(dst[mask], weights=flow * (v[src[mask]] + up[src[mask]]), minlength=n)
            sel = levels == lev
            with np.errstate(divide="ignore", invalid="ignore"):
                up[sel] = np.where(self.w[sel] > 0, num[sel] / np.where(self.w[sel] > 0, self.w[sel], 1.0), 0.0)
    cond = v + up + down
    mean = float(self.w @ v)
    return self.w * (cond - mean)


def bench_masks(econ, ss, repeat, n_products=200):
    from geo_sym.economy.graph import routing_marginals
    from geo_sym.maps.core import evaluate_reduced

    res = evaluate_reduced(econ, ss.state)
    marg = routing_marginals(econ.graph, res.costs, float(econ.tau))
    rng = np.random.default_rng(0)
    vs = rng.normal(size=(n_products, econ.A))
    same = all(np.array_equal(marg.covariance_matvec(v), _matvec_rebuilding_masks(marg, v)) for v in vs[:20])

    def new():
        for v in vs:
            marg.covariance_matvec(v)

    def old():
        for v in vs:
            _matvec_rebuilding_masks(marg, v)

    tb, tn = alternate(old, new, repeat)
    print(f"2. ARPACK products Cov·v on {econ.name} (|E| = {len(econ.graph.edges)}), {n_products} products:")
    print(
        f"   baseline masks rebuilt per call {tb:7.3f} s | new precomputed layers {tn:7.3f} s | ratio "
        f"{tb / tn:5.2f}x | identical results: {same}"
    )
    precomputed = RoutingMarginals.covariance_matvec

    def arnoldi_old():
        RoutingMarginals.covariance_matvec = _matvec_rebuilding_masks
        try:
            return spectral_radius(econ, ss, method="arnoldi")
        finally:
            RoutingMarginals.covariance_matvec = precomputed

    def arnoldi_new():
        return spectral_radius(econ, ss, method="arnoldi")

    r_old, r_new = arnoldi_old(), arnoldi_new()
    tb, tn = alternate(arnoldi_old, arnoldi_new, repeat)
    print(
        f"   whole spectral radius (ARPACK): baseline {tb:7.3f} s | new {tn:7.3f} s | ratio {tb / tn:5.2f}x | "
        f"rho {r_new.spectral_radius:.12g} (baseline {r_old.spectral_radius:.12g})"
    )
    return tb / tn


# ------------------------------------------------------------------------------------------ 3. YAML
def bench_yaml(layers, width, repeat):
    from geo_sym.economy.files import load_yaml

    d = layered_dict(layers, width, 1)
    text = yaml.safe_dump(d, sort_keys=False)
    path = Path(tempfile.mkdtemp()) / "large_economy.yaml"
    path.write_text(text)
    n_edges = len(d["edges"])
    print(f"3. reading an economy file with {n_edges} edges ({len(text) / 1e6:.1f} MB):")
    if getattr(yaml, "CSafeLoader", None) is None:
        print("   PyYAML without libyaml: no C loader to measure")
        return None
    same = yaml.load(text, Loader=yaml.CSafeLoader) == yaml.load(text, Loader=yaml.SafeLoader)
    tb, tn = alternate(
        lambda: yaml.load(text, Loader=yaml.SafeLoader), lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat
    )
    print(
        f"   baseline pure-Python SafeLoader {tb:7.2f} s | new CSafeLoader {tn:7.2f} s | ratio {tb / tn:5.2f}x | "
        f"same document: {same}"
    )
    t0 = time.perf_counter()
    load_yaml(path, "economy file")
    print(
        f"   geo_sym.economy.files.load_yaml (the reader every economy file goes through): {time.perf_counter() - t0:.2f} s"
    )
    return tb / tn


# ------------------------------------------------------------------------------------------ 4. end to end
def bench_large(layers, width, K):
    t0 = time.perf_counter()
    econ = layered(layers, width, K)
    t1 = time.perf_counter()
    ss = steady_state(econ, reduced=True)
    t2 = time.perf_counter()
    sr = spectral_radius(econ, ss, method="arnoldi")
    t3 = time.perf_counter()
    n = econ.reduced_state_size()
    print(f"4. {econ.name}: A = {econ.A}, K = {econ.K}, |P| = {float(econ.n_paths):.3g}, reduced state n = {n}")
    print(
        f"   build {t1 - t0:6.2f} s | steady state {t2 - t1:6.2f} s ({ss.iterations} Anderson iterations, residual "
        f"{ss.residual:.1e}) | spectral radius {t3 - t2:6.2f} s (ARPACK): rho = {sr.spectral_radius:.10g}, "
        f"{sr.status}"
    )
    print(f"   total {t3 - t0:6.2f} s (target < 60 s: {'yes' if t3 - t0 < 60 else 'NO'})")
    small = layered(layers, max(2, width // 5), K)
    s_small = steady_state(small, reduced=True)
    t0 = time.perf_counter()
    dense = spectral_radius(small, s_small, method="dense")
    td = time.perf_counter() - t0
    t0 = time.perf_counter()
    arn = spectral_radius(small, s_small, method="arnoldi")
    ta = time.perf_counter() - t0
    ns = small.reduced_state_size()
    print(
        f"   on {small.name} (n = {ns}): dense eig {td:.2f} s, Arnoldi {ta:.2f} s, ratio {td / ta:.1f}x; "
        f"|rho_dense - rho_arnoldi| = {abs(dense.spectral_radius - arn.spectral_radius):.1e}"
    )
    extrap = td * (n / ns) ** 3
    print(f"   dense eig extrapolated to n = {n} (O(n^3)): ~{extrap:.0f} s (an extrapolation, not measured)")
    return econ, ss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3, help="alternated repetitions per comparison (medians)")
    ap.add_argument("--layers", type=int, default=10)
    ap.add_argument("--width", type=int, default=100)
    ap.add_argument("--K", type=int, default=4)
    ap.add_argument("--irf-layers", type=int, default=3)
    ap.add_argument("--irf-width", type=int, default=10)
    ap.add_argument("--yaml-layers", type=int, default=50)
    ap.add_argument("--yaml-width", type=int, default=40)
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    ap.add_argument(
        "--only", default="irf,large,masks,yaml", help="comma-separated sections to run (default: all four)"
    )
    ap.add_argument("--baseline-irf", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.baseline_irf:
        run_baseline_process(args.baseline_irf)
        return
    if args.quick:
        args.layers, args.width, args.irf_width, args.yaml_layers, args.yaml_width = 5, 20, 5, 10, 10
        args.repeat = 1
    only = set(args.only.split(","))
    print(
        f"$ python benchmarks/bench_orchestration.py --repeat {args.repeat} --only {args.only}"
        + (" --quick" if args.quick else "")
    )
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(
        f"  (numpy {np.__version__}, PyYAML {yaml.__version__}, Python {sys.version.split()[0]}, "
        f"OPENBLAS_NUM_THREADS={threads})\n"
    )
    if "irf" in only:
        bench_irf(args.irf_layers, args.irf_width, args.repeat)
        print()
    if "large" in only or "masks" in only:
        econ, ss = bench_large(args.layers, args.width, args.K)
        print()
        if "masks" in only:
            bench_masks(econ, ss, args.repeat)
            print()
    if "yaml" in only:
        bench_yaml(args.yaml_layers, args.yaml_width, args.repeat)


if __name__ == "__main__":
    main()
