"""Exact spectra benchmark (issue 15): ``geo-sym jacobian --exact`` and the characteristic polynomial in ℚ(t).

Run from the repository root::

    python benchmarks/bench_exact_spectra.py              # the ladder below, 60 s cap per run
    python benchmarks/bench_exact_spectra.py --quick      # the first four economies, 20 s cap
    python benchmarks/bench_exact_spectra.py --cap 120 --repeat 5

Economies: layered DAGs ``L × W`` (every edge between consecutive layers, ``W^L`` paths) with
``K`` coordinates per agent (``K = 1`` first, where the baseline finishes, then ``K = 2``), simultaneous map with tâtonnement prices, built here with a
seeded generator (demand profiles and states with small denominators, ``"p/q"`` strings), at an
interior rational state with uniform routing.

Measured, alternated in one run (``--repeat`` rounds, median reported):

* **ours, whole process**: ``python -m geo_sym jacobian ECON --at STATE --exact --json`` in a fresh
  process (interpreter start, imports, exact Jacobian, characteristic polynomial factored over
  ``ℚ(t)``, Arb root disks, JSON) — what a user waits for;
* **baseline "old charpoly over ℚ[π']"**, whole process: a fresh process computing the exact
  Jacobian and the characteristic polynomial as geo-sym did before issue 15 (over a ring with one
  variable per path, then the ``π'`` values substituted; the code is copied below), killed at the
  cap;
* **ours in-process, cold and warm**: in one fresh process, ``exact_charpoly`` on a first exact
  Jacobian (SymPy's caches empty: cold), then on a second exact Jacobian of the same economy and
  state built in the same process (caches warm).

The ratio is baseline / ours (whole process); ``> cap`` when the baseline did not finish. Nothing
is asserted on time: this is a script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LADDER = [
    (2, 2, 1),
    (2, 3, 1),
    (2, 2, 2),
    (2, 3, 2),
    (3, 2, 2),
    (3, 3, 2),
    (2, 4, 2),
    (4, 2, 2),
    (3, 4, 2),
    (2, 6, 2),
    (5, 2, 2),
    (4, 3, 2),
]

BASELINE = """
import sys, time
import sympy as sp
from sympy.polys.matrices import DomainMatrix
from geo_sym.economy.spec import load_economy
from geo_sym.economy.state import load_state
from geo_sym.economy.state import tangent_chart
from geo_sym.maps.symbolic import exact_jacobian

econ = load_economy(sys.argv[1])
ej = exact_jacobian(econ, load_state(econ, sys.argv[2]))
t0 = time.perf_counter()
# the characteristic polynomial before issue 15: over QQ[pi'_1, ..., pi'_P], then pi' substituted
sym = ej.symbolic
keep = set(sym.outputs[2 * econ.A * econ.K:])
partial = {k: v for k, v in ej._values.items() if k not in keep}
Tp, T = tangent_chart(econ).exact()
Jp = Tp * sym.jacobian().xreplace(partial) * T
gens = [s for s in sym.outputs[2 * econ.A * econ.K:] if any(s in e.free_symbols for e in Jp)]
dom = sp.QQ[tuple(gens)] if gens else sp.QQ
coeffs = DomainMatrix.from_Matrix(Jp).convert_to(dom).charpoly()
vals = {s: ej._values[s] for s in gens}
out = [dom.to_sympy(c).xreplace(vals) for c in coeffs]
print(time.perf_counter() - t0)
"""

IN_PROCESS = """
import json, sys, time
from sympy.core.cache import clear_cache
from geo_sym.economy.spec import load_economy
from geo_sym.economy.state import load_state
from geo_sym.maps.symbolic import exact_jacobian
from geo_sym.maps.charpoly import exact_charpoly

econ = load_economy(sys.argv[1]); x = load_state(econ, sys.argv[2])
out = {}
t0 = time.perf_counter(); ej = exact_jacobian(econ, x); out["jacobian_cold"] = time.perf_counter() - t0
t0 = time.perf_counter(); cp = exact_charpoly(ej); out["charpoly_cold"] = time.perf_counter() - t0
ej2 = exact_jacobian(econ, x)
t0 = time.perf_counter(); exact_charpoly(ej2); out["charpoly_warm"] = time.perf_counter() - t0
out["degree"] = cp.dimension
out["reduced"] = cp.reduced_dimension
out["factor_degrees"] = sorted({f.degree for f in cp.factors})
out["t_degree"] = max(f.poly.degree(f.poly.gens[1]) for f in cp.factors)
out["t"] = None if cp.g is None else str(cp.g)
print(json.dumps(out))
"""


def layered(L: int, W: int, K: int = 2, seed: int = 0, den: int = 7):
    """Economy and state dicts of an ``L × W`` layered DAG (file formats of DESIGN.md)."""
    import random

    rnd = random.Random(seed)
    names = [f"{chr(97 + l)}{i + 1}" for l in range(L) for i in range(W)]
    agents = [
        {"name": n, "demand": [f"{rnd.randint(1, den)}/{den}" for _ in range(K)], "box": [[0, 1]] * K} for n in names
    ]
    edges = [
        [f"{chr(97 + l)}{i + 1}", f"{chr(98 + l)}{j + 1}"] for l in range(L - 1) for i in range(W) for j in range(W)
    ]
    econ = {
        "name": f"layered-{L}x{W}-K{K}",
        "agents": agents,
        "edges": edges,
        "map": "simultaneous",
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 10},
        "price_mechanism": {"kind": "tatonnement"},
    }
    A, P = L * W, W**L
    weights = [rnd.randint(1, 5) for _ in range(A * K)]
    state = {
        "y": [[f"{rnd.randint(1, den - 1)}/{den}" for _ in range(K)] for _ in range(A)],
        "p": [[f"{weights[a * K + k]}/{sum(weights)}" for k in range(K)] for a in range(A)],
        "pi": [f"1/{P}"] * P,
    }
    return econ, state


CPU: dict = {}  # command kind -> CPU seconds (user + system) of the last finished run


def timed(cmd, cap: float, kind: str = ""):
    """Wall time of a subprocess, or ``None`` when it did not finish within ``cap`` seconds (or failed).

    Its CPU time (user + system, from ``getrusage`` of the children) is kept in ``CPU[kind]``: on a
    shared machine the wall time includes waiting for a core, the CPU time does not.
    """
    import resource

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None, ""
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[kind] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return (dt, res.stdout) if res.returncode == 0 else (None, res.stderr.strip().splitlines()[-1:])


def fmt(x, cap):
    return f"> {cap:g} s" if x is None else f"{x:.2f} s"


def run_one(L, W, K, tmp: Path, cap: float, repeat: int, skip_baseline: bool):
    econ, state = layered(L, W, K)
    import yaml

    e, s = tmp / f"l{L}x{W}k{K}.yaml", tmp / f"l{L}x{W}k{K}.json"
    e.write_text(yaml.safe_dump(econ))
    s.write_text(json.dumps(state))
    ours_cmd = [sys.executable, "-m", "geo_sym", "jacobian", str(e), "--at", str(s), "--exact", "--json"]
    base_cmd = [sys.executable, "-c", BASELINE, str(e), str(s)]
    ours, ours_cpu, base, base_cp = [], [], [], []
    for _ in range(repeat):  # alternated: ours, baseline, ours, baseline, ...
        dt, _ = timed(ours_cmd, cap, "ours")
        ours.append(dt)
        ours_cpu.append(CPU.get("ours") if dt is not None else None)
        if not skip_baseline:
            bt, text = timed(base_cmd, cap)
            base.append(bt)
            base_cp.append(float(text) if bt is not None else None)
            skip_baseline = bt is None  # one timeout is enough: do not spend the cap again
    dt, text = timed([sys.executable, "-c", IN_PROCESS, str(e), str(s)], cap)
    detail = json.loads(text) if dt is not None else {}
    med = lambda xs: None if not xs or any(x is None for x in xs) else statistics.median(xs)
    return {
        "economy": f"{L}x{W}, K={K}",
        "n": 2 * L * W * K + W**L,
        "paths": W**L,
        "ours": med(ours),
        "ours_cpu": med(ours_cpu),
        "baseline": med(base) if base else None,
        "baseline_charpoly": med(base_cp) if base_cp else None,
        "baseline_ran": bool(base),
        **detail,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cap", type=float, default=60.0, help="time cap per run in seconds (default 60)")
    ap.add_argument("--repeat", type=int, default=3, help="alternated rounds per economy (default 3)")
    ap.add_argument("--quick", action="store_true", help="the first four economies, cap 20 s")
    args = ap.parse_args(argv)
    cap = 20.0 if args.quick else args.cap
    ladder = LADDER[:4] if args.quick else LADDER
    print(
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cpus; cap {cap:g} s; "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )
    print("ours: python -m geo_sym jacobian ECON --at STATE --exact --json (whole process, median)")
    print("baseline: old charpoly over Q[pi'] (whole process), alternated with ours\n")
    rows, largest, baseline_dead = [], None, False
    with tempfile.TemporaryDirectory() as tmp:
        for L, W, K in ladder:
            r = run_one(L, W, K, Path(tmp), cap, args.repeat, skip_baseline=baseline_dead)
            baseline_dead = baseline_dead or (r["baseline_ran"] and r["baseline"] is None and K > 1)
            rows.append(r)
            if r["ours"] is None or not r["baseline_ran"]:
                ratio = "-"
            elif r["baseline"] is None:
                ratio = "> %.0fx" % (cap / r["ours"])
            else:
                ratio = f"{r['baseline'] / r['ours']:.1f}x"
            print(
                f"  {r['economy']:<10} n={r['n']:<4} P={r['paths']:<4} ours {fmt(r['ours'], cap):>9} "
                f"(CPU {fmt(r['ours_cpu'], cap)})  "
                f"baseline {fmt(r['baseline'], cap) if r['baseline_ran'] else 'skipped':>9}  ratio {ratio:>7}  "
                f"charpoly cold {r.get('charpoly_cold', float('nan')):.2f} s warm {r.get('charpoly_warm', float('nan')):.2f} s"
                + (f" (old: {r['baseline_charpoly']:.2f} s)  " if r.get("baseline_charpoly") is not None else "  ")
                + f"exact Jacobian {r.get('jacobian_cold', float('nan')):.2f} s  degree {r.get('degree', '-')} "
                f"(reduced {r.get('reduced', '-')}), factor degrees {r.get('factor_degrees', '-')}, t-degree {r.get('t_degree', '-')}",
                flush=True,
            )
            if r["ours"] is not None:
                largest = r
    if largest is not None:
        print(
            f"\nlargest economy done within {cap:g} s: {largest['economy']} (n = {largest['n']}, {largest['paths']} paths) "
            f"in {largest['ours']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
