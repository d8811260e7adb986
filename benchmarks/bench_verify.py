"""geo-sym verify: time to re-check a document of witnesses like the built-in run's.

Run from the repository root::

    python benchmarks/bench_verify.py            # 5 warm repeats
    python benchmarks/bench_verify.py --quick    # 2 warm repeats

The document (written to a temporary file) holds one refutation per kind that the built-in economies
produce, on those economies: Example 6.3 (8 paths, exact fixed point: ``spectral_radius`` for
sec-7.1/rate and thm-8.1(v), ``iteration_count``, ``operator_norm``), a Walras value with exponential
routing on two-by-two, Lemma 4.3's ``normalize(0)``, an existence certificate (exact LPs), a
Krawczyk enclosure of an irrational fixed point with Arb eigenvalue enclosures, and three fixed points
of a positive-feedback economy (two enclosures).

* cold: ``geo-sym verify FILE --json`` in a fresh interpreter (imports included), alternated with
* warm: :func:`proofs.verify.verify_file` again in this process (SymPy's and the verifier's caches warm);
* baseline "read": reading the same file and validating every witness's economy
  (``Economy.from_dict``) -- the floor any verifier pays -- measured in the same run.

A script, not a test: nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import mpmath

ROOT = Path(__file__).resolve().parents[1]


RADIUS = mpmath.mpf(10) ** -30


def _interval(v, radius=RADIUS):
    with mpmath.workdps(80):
        return [str(Fraction(mpmath.nstr(v - radius, 60))), str(Fraction(mpmath.nstr(v + radius, 60)))]


def document() -> list:
    import yaml

    ex63 = yaml.safe_load((ROOT / "examples/economies/example_6_3.yaml").read_text())
    fp63 = json.loads((ROOT / "examples/economies/example_6_3_fixed_point.json").read_text())
    start = json.loads(json.dumps(fp63))
    start["y"][0] = [1]
    two_by_two = yaml.safe_load((ROOT / "examples/economies/two_by_two.yaml").read_text())
    neg = {
        "name": "negative-feedback",
        "agents": [{"name": "a1", "demand": [1], "box": [[0, 1]]}, {"name": "a2", "demand": [1], "box": [[0, 1]]}],
        "edges": [],
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "G": [[0, 0], [0, 0]], "b": [-3, -3]},
    }
    with mpmath.workdps(80):
        x = mpmath.findroot(lambda x: x - 1 / (1 + mpmath.exp(3 * (1 - 2 * x))), mpmath.mpf("0.07"))
        boxes = [
            {"box": [_interval(v), _interval(1 - v), _interval(-3), _interval(-3), _interval(v), _interval(1 - v)]}
            for v in (x, 1 - x)
        ]
    lin = {
        "name": "lin",
        "agents": [{"name": "a", "demand": [1], "box": [[0, 10]]}],
        "edges": [],
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "gamma": "1/2"},
    }
    witnesses = [
        {
            "kind": "spectral_radius",
            "claim": "sec-7.1/rate",
            "economy": ex63,
            "map": "simultaneous",
            "relation": "equal",
            "fixed_point": fp63,
            "claimed": {"rate": "1/2"},
            "observed": {"eigenvalue": {"minpoly": [10, -9], "re": ["0.8", "0.95"]}},
        },
        {
            "kind": "spectral_radius",
            "claim": "thm-8.1(v)",
            "economy": ex63,
            "map": "sequential",
            "relation": "at_most",
            "fixed_point": fp63,
            "claimed": {"rate": "1/2"},
            "observed": {"eigenvalue": {"minpoly": [10, -9], "re": ["0.8", "0.95"]}},
        },
        {
            "kind": "iteration_count",
            "claim": "ex-6.3/dynamics",
            "economy": ex63,
            "map": "sequential",
            "n": 8,
            "start": start,
            "fixed_point": fp63,
            "claimed": {"iterations": 8, "accuracy": "1/100"},
        },
        {
            "kind": "operator_norm",
            "claim": "prop-6.2/sequential",
            "economy": lin,
            "map": "sequential",
            "state": {"y": [[1]], "p": [["1/2"]], "pi": [1]},
            "tangent": [1, 0, 0],
            "claimed": {"figure": "rate", "bound": "1/4"},
        },
        {
            "kind": "walras_value",
            "claim": "thm-3.1",
            "economy": two_by_two,
            "prices": [["1/10"], ["2/10"], ["3/10"], ["4/10"]],
            "supply": [[1], [1], [1], [1]],
            "claimed": {"value": 0},
        },
        {
            "kind": "undefined_map",
            "claim": "lem-4.3",
            "economy": dict(two_by_two, parameters={"alpha": "1/10", "beta": 10, "tau": 10}),
            "state": {"y": [[1], [1], [1], [1]], "p": [["1/4"]] * 4, "pi": ["1/4"] * 4},
        },
        {
            "kind": "no_equilibrium",
            "claim": "thm-4.4/existence",
            "economy": dict(two_by_two, agents=[dict(a, demand=["1/2"]) for a in two_by_two["agents"]]),
            "certificate": {"kind": "no_price_support"},
        },
        {
            "kind": "spectral_radius",
            "claim": "thm-8.1(v)",
            "economy": lin,
            "map": "sequential",
            "relation": "at_most",
            "fixed_point": {"box": [_interval(1), _interval(mpmath.mpf(1) / 2), _interval(1)]},
            "claimed": {"rate": "1/4"},
            "observed": {"eigenvalue": {"re": ["0.49", "0.51"], "im": ["-0.01", "0.01"]}},
        },
        {
            "kind": "multiple_fixed_points",
            "claim": "thm-8.1(v)",
            "economy": neg,
            "map": "sequential",
            "fixed_points": [{"y": [["1/2"], ["1/2"]], "p": [[-3], [-3]], "pi": ["1/2", "1/2"]}, *boxes],
        },
    ]
    return [{"id": w["claim"], "status": "refuted", "witness": w} for w in witnesses]


def _read_only(path: Path) -> None:
    from geo_sym.economy.files import load_json
    from geo_sym.economy.spec import Economy

    for verdict in load_json(path, "witness file", exact_numbers=True):
        Economy.from_dict(verdict["witness"]["economy"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    sys.path.insert(0, str(ROOT))
    from proofs.verify import verify_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "verdicts.json"
        path.write_text(json.dumps(document()))
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        cold, warm, base = [], [], []
        for _ in range(repeats):
            t = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "geo_sym", "verify", str(path), "--json"],
                env=env,
                capture_output=True,
                text=True,
            )
            cold.append(time.perf_counter() - t)
            results = json.loads(proc.stdout)
            t = time.perf_counter()
            warm_results = verify_file(path)
            warm.append(time.perf_counter() - t)
            t = time.perf_counter()
            _read_only(path)
            base.append(time.perf_counter() - t)
        confirmed = sum(r["ok"] for r in results)
        assert confirmed == sum(r.ok for r in warm_results)
        print(f"{len(results)} witnesses, {confirmed} confirmed (exit code {proc.returncode})")
        for r in results:
            print(f"  {'CONFIRMED' if r['ok'] else 'NOT CONFIRMED':<14} {r['claim']:<20} {r['kind']}")
        b = statistics.median(base)
        print(f"baseline 'read' (parse + validate every economy): median {b * 1e3:.1f} ms")
        print(f"cold  (fresh interpreter, geo-sym verify --json): median {statistics.median(cold):.2f} s")
        print(
            f"warm  (verify_file in-process):                  median {statistics.median(warm):.2f} s "
            f"= {statistics.median(warm) / b:.0f} x baseline"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
