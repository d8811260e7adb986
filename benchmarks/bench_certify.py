"""geo-sym rigorous certificates: Krawczyk, exhaustive fixed-point search, contraction.

Run from the repository root (python-flint is a dependency of geo-sym)::

    python benchmarks/bench_certify.py            # everything (well under a minute)
    python benchmarks/bench_certify.py --quick    # fewer repeats, smaller budgets

Benchmark 1 -- Krawczyk existence-and-uniqueness test at a fixed point of 3-layer x 2-agent
economies (8 paths): Example 6.3 of the paper (K = 1, sequential map, A_K = y/2, τ = 27/10) and
the same DAG with K = 2. "cold" includes building the interval map from the symbolic definition
(python-flint import excluded); "warm" is the median of repeated tests. Target (the issue): < 1 s.

Benchmark 2 -- complete branch-and-prune search of two-path economies with K = 2 (two parallel
agents): tatonnement with excess demand (one fixed point), the sequential map with A_K = y/2
(one), and the sequential map with A_K = -4y (positive feedback: three fixed points). Target:
< 60 s. Baseline: the seeded numeric search ``find_fixed_points`` (9 starts, not rigorous, and
it cannot say whether it found them all).

Benchmark 3 -- a continuum of fixed points (two-parallel and two-by-two, tatonnement with
market-clearing prices): the search must stop at its box budget with complete = false.

Benchmark 4 -- contraction certificate (weighted max-norm, subdivision) of Example 6.3 on the
whole state space.

These are scripts, not tests: nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time


def _econ(name, agents, edges, map_kind, params, pm):
    from geo_sym.economy.spec import Economy

    return Economy.build(name=name, agents=agents, edges=edges, map=map_kind, parameters=params, price_mechanism=pm)


def three_by_two(K: int):
    names = ("a1", "a2", "b1", "b2", "c1", "c2")
    edges = [[u, v] for (x, y) in (("a", "b"), ("b", "c")) for u in (x + "1", x + "2") for v in (y + "1", y + "2")]
    demand = [1] if K == 1 else [1, "1/2"]
    box = [[0, 1]] * K
    name = "example-6.3" if K == 1 else "3x2 layered, K=2"
    return _econ(
        name,
        [{"name": n, "demand": demand, "box": box} for n in names],
        edges,
        "sequential",
        {"alpha": "1/10", "tau": "27/10"},
        {"kind": "linear", "gamma": "1/2"},
    )


def two_path(kind: str):
    box = [[0, 1], [0, 1]]
    if kind == "tatonnement":
        agents = [{"name": "a1", "demand": [4, 5], "box": box}, {"name": "a2", "demand": [5, 4], "box": box}]
        return _econ(
            "two-path K=2, tatonnement, excess demand",
            agents,
            [],
            "simultaneous",
            {"alpha": "1/10", "beta": "1/10", "tau": 2},
            {"kind": "tatonnement"},
        )
    agents = [{"name": "a1", "demand": [1, "1/2"], "box": box}, {"name": "a2", "demand": ["1/2", 1], "box": box}]
    gamma = "1/2" if kind == "linear" else -4
    label = "A_K = y/2" if kind == "linear" else "A_K = -4y (positive feedback)"
    return _econ(
        f"two-path K=2, sequential, {label}",
        agents,
        [],
        "sequential",
        {"alpha": "1/10", "tau": 1 if kind != "linear" else 2},
        {"kind": "linear", "gamma": gamma},
    )


def bench_krawczyk(repeats: int):
    from geo_sym.rigorous.certify import certify_fixed_point
    from geo_sym.rigorous.interval import interval_map
    from geo_sym.solve.fixed_point import find_fixed_point

    print("Benchmark 1 -- Krawczyk test at a fixed point (box half-width 1e-6, tangent coordinates)")
    print(f"  {'economy':<22} {'dim':>4} {'cold s':>8} {'warm s':>8} {'target/warm':>12}  result")
    for K in (1, 2):
        econ = three_by_two(K)
        st = find_fixed_point(econ).state  # a fresh economy object: its interval map is not built yet
        t0 = time.perf_counter()
        res = certify_fixed_point(econ, st, radius=1e-6)
        cold = time.perf_counter() - t0
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            certify_fixed_point(econ, st, radius=1e-6)
            times.append(time.perf_counter() - t0)
        warm = statistics.median(times)
        width = max(hi - lo for lo, hi in res.enclosure) if res.enclosure else float("nan")
        m = interval_map(econ).m
        print(
            f"  {econ.name:<22} {m:>4} {cold:>8.3f} {warm:>8.4f} {1.0 / warm:>11.0f}x  exists={res.exists} "
            f"unique={res.unique}, enclosure width {width:.2e}"
        )
    print()


def bench_search(max_boxes: int):
    from geo_sym.rigorous.certify import find_all_fixed_points
    from geo_sym.solve.fixed_point import find_fixed_points

    print("Benchmark 2 -- complete search (branch and prune) of two-path economies, K = 2")
    print(f"  {'economy':<56} {'s':>7} {'60s/s':>7} {'boxes':>6} {'complete':>9} {'found':>6} {'numeric s':>10}")
    for kind in ("tatonnement", "linear", "feedback"):
        econ = two_path(kind)
        t0 = time.perf_counter()
        res = find_all_fixed_points(econ, max_boxes=max_boxes)
        dt = time.perf_counter() - t0
        t0 = time.perf_counter()
        num = find_fixed_points(econ, n_starts=8, seed=0)
        dn = time.perf_counter() - t0
        print(
            f"  {econ.name:<56} {dt:>7.2f} {60 / dt:>6.0f}x {res.boxes_processed:>6} {str(res.complete):>9} "
            f"{res.n_certified:>6} {dn:>10.2f}  (numeric found {len(num)})"
        )
    print()


def bench_continuum(max_boxes: int):
    from geo_sym.rigorous.certify import find_all_fixed_points
    from proofs.claims.reference import reference_economy

    print(f"Benchmark 3 -- continuum of fixed points: the search stops at its budget ({max_boxes} boxes)")
    for name in ("two-parallel", "two-by-two"):
        econ = reference_economy(name)
        t0 = time.perf_counter()
        res = find_all_fixed_points(econ, max_boxes=max_boxes)
        dt = time.perf_counter() - t0
        cont = res.continuum or {}
        print(
            f"  {name:<14} {dt:>7.2f} s  complete={res.complete}  certified={res.n_certified}  "
            f"unresolved={res.n_unresolved}  continuum suspected={cont.get('suspected')}"
        )
    print()


def bench_contraction():
    from geo_sym.rigorous.certify import contraction_certificate

    print("Benchmark 4 -- contraction certificate on the whole state space (weighted max-norm)")
    econ = three_by_two(1)
    t0 = time.perf_counter()
    res = contraction_certificate(econ, max_boxes=4000)
    dt = time.perf_counter() - t0
    print(
        f"  {econ.name:<14} {dt:>7.2f} s  success={res.success}  Lipschitz bound {res.constant:.6g}  "
        f"boxes={res.boxes_checked}"
    )
    print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and smaller budgets")
    args = ap.parse_args(argv)
    try:
        import flint
    except ImportError:
        print("python-flint is not installed: pip install python-flint", file=sys.stderr)
        return 1
    print(f"python {platform.python_version()}, python-flint {flint.__version__}, {platform.machine()}\n")
    bench_krawczyk(3 if args.quick else 10)
    bench_search(20000)
    bench_continuum(1000 if args.quick else 5000)
    bench_contraction()
    return 0


if __name__ == "__main__":
    sys.exit(main())
