"""How long ``geo-sym check`` takes, against a named baseline measured in the same run.

Baseline: a bare ``python -c "import numpy, scipy.linalg, sympy"`` (what any SymPy/SciPy tool pays
before doing anything). Runs are alternated (baseline, ours, baseline, ours, …) and the medians
compared, so machine load affects both sides alike. Cases:

* the built-in check (every claim on the reference economies);
* layered sequential economies with K = 2 (``L`` layers × ``W`` agents, Example 6.3's parameters):
  2 × 4, 3 × 4 and 4 × 4, with the growth exponent of the time in the state size ``n = 2AK + |P|``.

With ``--against DIR`` (another checkout of geo-sym, e.g. a ``git worktree`` of an older commit) the
same check run from ``DIR`` is alternated with the two and its time printed, so a change is measured
against the code before it in the same run.

Usage::

    python benchmarks/bench_check.py            # repeats 3
    python benchmarks/bench_check.py --repeats 5 --quick   # built-in only
    python benchmarks/bench_check.py --repeats 5 --against ../geo-sym-main   # also the other checkout
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = [sys.executable, "-c", "import numpy, scipy.linalg, sympy"]


def layered_yaml(L: int, W: int, K: int = 2) -> str:
    """A layered DAG with Example 6.3's parameters and asymmetric demands (irrational fixed points)."""
    import yaml

    agents, edges = [], []
    for layer in range(L):
        for w in range(W):
            name = f"L{layer}_{w}"
            agents.append(
                {"name": name, "demand": [f"{1 + (layer + w) % 3}/4"] + ["1/3"] * (K - 1), "box": [[0, 1]] * K}
            )
            if layer:
                edges += [[f"L{layer - 1}_{v}", name] for v in range(W)]
    return yaml.safe_dump(
        {
            "name": f"layered-{L}x{W}",
            "agents": agents,
            "edges": edges,
            "map": "sequential",
            "parameters": {"alpha": "1/10", "tau": "27/10"},
            "price_mechanism": {"kind": "linear", "gamma": "1/2"},
        },
        sort_keys=False,
    )


def _ours(args) -> list:
    return [sys.executable, "-m", "geo_sym", "check", *args, "--json"]


def _time(cmd, root: Path = ROOT) -> float:
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr[-500:]}")
    return dt


def alternated(cmd, repeats: int, against: Path | None = None) -> tuple[float, float, float | None]:
    """Medians of the baseline, of ``cmd`` here and (with ``against``) of ``cmd`` run from that checkout."""
    base, ours, other = [], [], []
    for _ in range(repeats):
        base.append(_time(BASELINE))
        if against is not None:
            other.append(_time(cmd, against))
        ours.append(_time(cmd))
    return statistics.median(base), statistics.median(ours), (statistics.median(other) if other else None)


def _row(label: str, n, b: float, o: float, other: float | None) -> str:
    row = f"{label:<24} {n:>5} {b:>11.2f} {o:>9.2f} {o / b:>7.2f}"
    if other is not None:
        row += f" {other:>9.2f} {o / other:>9.2f}"
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="the built-in check only")
    ap.add_argument("--against", type=Path, metavar="DIR", help="another geo-sym checkout to time alongside")
    a = ap.parse_args(argv)
    if a.against is not None and not (a.against / "geo_sym" / "__main__.py").is_file():
        raise SystemExit(f"--against {a.against}: not a geo-sym checkout (expected geo_sym/__main__.py in it)")
    head = f"{'case':<24} {'n':>5} {'baseline s':>11} {'check s':>9} {'ratio':>7}"
    print(head + (f" {'other s':>9} {'vs other':>9}" if a.against is not None else ""))
    b, o, other = alternated(_ours([]), a.repeats, a.against)
    print(_row("built-in (all claims)", "", b, o, other))
    if a.quick:
        return 0
    sizes = []
    with tempfile.TemporaryDirectory() as tmp:
        for L, W in ((2, 4), (3, 4), (4, 4)):
            path = Path(tmp) / f"layered_{L}x{W}.yaml"
            path.write_text(layered_yaml(L, W))
            n = 2 * L * W * 2 + W**L
            b, o, other = alternated(_ours([str(path)]), a.repeats, a.against)
            sizes.append((n, o))
            print(_row(f"{L} x {W} layered, K = 2", n, b, o, other))
    (n1, t1), (n2, t2) = sizes[-2], sizes[-1]
    print(f"growth exponent of the check time in n (last two sizes): {math.log(t2 / t1) / math.log(n2 / n1):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
