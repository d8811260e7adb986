"""Exact parameter regions: the New Keynesian determinacy region and an orchestration stability region.

    python benchmarks/bench_regions.py [--repeat 2] [--grid 41] [--points 200]

Targets (issue 11): the NK region in two parameters (phi_pi, phi_y) under 5 s; the stability region
of a 3-layer x 2-agent orchestration economy (sequential map, eq. (13)) in two parameters
(alpha, tau) under 60 s. Each is timed cold (a fresh interpreter: imports, SymPy's caches empty)
and warm (again in the same process), alternated with the baseline.

Baseline: what a Dynare / linearsolve user does today, point by point in floating point — classify
a grid x grid lattice of the same parameter window numerically (NK: `dsge` steady state + Klein QZ at
each point; orchestration: fixed point + numeric Jacobian eigenvalues at each point). It gives a
picture, not the region: no closed form, no boundary, no proof. Ratio = exact time / baseline time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NK3 = ROOT / "examples" / "models" / "nk3.yaml"

LAYERED = """
name: layered-3x2
agents:
  - {name: a1, demand: [1], box: [[0, 1]]}
  - {name: a2, demand: [1], box: [[0, 1]]}
  - {name: b1, demand: [1], box: [[0, 1]]}
  - {name: b2, demand: [1], box: [[0, 1]]}
  - {name: c1, demand: [1], box: [[0, 1]]}
  - {name: c2, demand: [1], box: [[0, 1]]}
edges: [[a1, b1], [a1, b2], [a2, b1], [a2, b2], [b1, c1], [b1, c2], [b2, c1], [b2, c2]]
map: sequential
parameters: {alpha: "1/10", tau: "27/10"}
price_mechanism: {kind: linear, gamma: "1/2"}
"""
NK_BOUNDS = {"phi_pi": (0, 3), "phi_y": (0, 1)}
ORCH_BOUNDS = {"alpha": (None, None), "tau": (0, 1)}


def exact_nk(points):
    from dsge.solution.determinacy import determinacy_region

    return determinacy_region(NK3, ["phi_pi", "phi_y"], bounds=NK_BOUNDS, check_points=points)


def exact_orchestration(points):
    from geo_sym.economy.files import parse_yaml
    from geo_sym.economy.spec import Economy
    from geo_sym.rigorous.economy_region import economy_region

    econ = Economy.from_dict(parse_yaml(LAYERED, "layered-3x2"))
    return economy_region(econ, ["alpha", "tau"], bounds=ORCH_BOUNDS, check_points=points)


def baseline_nk(grid):
    import numpy as np

    import dsge

    model = dsge.load_model(NK3, cache=False)
    counts = {}
    for p in np.linspace(0, 3, grid):
        for y in np.linspace(0, 1, grid):
            status = model.with_parameters({"phi_pi": float(p), "phi_y": float(y)}).solve().bk.status
            counts[status] = counts.get(status, 0) + 1
    return counts


def baseline_orchestration(grid):
    import dataclasses
    from fractions import Fraction

    import numpy as np
    import sympy as sp

    from geo_sym.economy.files import parse_yaml
    from geo_sym.economy.spec import Economy
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues
    from geo_sym.solve.fixed_point import find_fixed_point

    econ = Economy.from_dict(parse_yaml(LAYERED, "layered-3x2"))
    counts = {}
    x = find_fixed_point(econ).state
    for a in np.linspace(0.01, 0.99, grid):
        for t in np.linspace(0.005, 1, grid):
            fa, ft = Fraction(float(a)), Fraction(float(t))
            e = dataclasses.replace(
                econ, alpha=sp.Rational(fa.numerator, fa.denominator), tau=sp.Rational(ft.numerator, ft.denominator)
            )
            rho = float(np.max(np.abs(tangent_eigenvalues(e, numeric_jacobian(e, x)))))
            key = "stable" if rho < 1 else "unstable"
            counts[key] = counts.get(key, 0) + 1
    return counts


def cold(expr: str) -> float:
    """Seconds for one computation in a fresh interpreter (imports included)."""
    code = (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
        f"t = time.perf_counter(); import bench_regions as b; {expr}; print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def warm(fn, *args) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--grid", type=int, default=41, help="baseline lattice points per axis")
    ap.add_argument("--points", type=int, default=200, help="numeric check points of the exact regions")
    args = ap.parse_args()
    print(f"$ python benchmarks/bench_regions.py --repeat {args.repeat} --grid {args.grid} --points {args.points}\n")
    cases = [
        ("NK determinacy in (phi_pi, phi_y)", exact_nk, baseline_nk, 5.0),
        ("3-layer x 2-agent stability in (alpha, tau)", exact_orchestration, baseline_orchestration, 60.0),
    ]
    for name, exact_fn, base_fn, target in cases:
        times = {"exact cold": [], "baseline cold": [], "exact warm": [], "baseline warm": []}
        result = None
        for _ in range(args.repeat):  # alternated
            times["exact cold"].append(cold(f"b.{exact_fn.__name__}({args.points})"))
            times["baseline cold"].append(cold(f"b.{base_fn.__name__}({args.grid})"))
            t, result = warm(exact_fn, args.points)
            times["exact warm"].append(t)
            times["baseline warm"].append(warm(base_fn, args.grid)[0])
        best = {k: min(v) for k, v in times.items()}
        print(f"{name}")
        for label, alts in result.regions.items():
            print(f"  {label:<20} " + (" or ".join("(" + " and ".join(map(str, t)) + ")" for t in alts) or "(empty)"))
        print(f"  {'boundary':<20} " + " or ".join("(" + " and ".join(map(str, t)) + ")" for t in result.boundary))
        c = result.check
        print(f"  cells {result.n_cells}; numeric check {c.agreed}/{c.points} agree ({c.skipped} near the boundary)")
        for mode in ("cold", "warm"):
            e, bl = best[f"exact {mode}"], best[f"baseline {mode}"]
            print(
                f"  {mode:<5} exact {e:7.2f} s   baseline ({args.grid}x{args.grid} numeric lattice) {bl:7.2f} s   "
                f"ratio exact/baseline {e / bl:5.2f}"
            )
        print(f"  target < {target:g} s (cold): {'met' if best['exact cold'] < target else 'NOT met'}\n")


if __name__ == "__main__":
    main()
