"""``geo-sym sweep``: parameter sweeps, counterexample searches and basins of attraction on Dask.

Registered on the main parser by :func:`add_sweep_parser`. This module prints (it is part of the
command line); :mod:`geo_sym.sweep` does not.
"""

from __future__ import annotations

import argparse
import json

from geo_sym.cli.options import figure_file, integer, output_file
from geo_sym.cli.progress import phase_bars
from geo_sym.cli.tables import fit_lines, yes_no

__all__ = ["add_sweep_parser"]

_EPILOG = """\
A spec names a base file, what to vary (dotted paths into it) and what to compute:

  economy: ../economies/orchestration_taylor.yaml   # or  model: ../models/nk3.yaml  (relative to the spec)
  vary:
    taylor.phi_lat: {grid: [0, 20, 21]}             # also {list: [...]}, {uniform: [lo, hi]},
    taylor.phi_qual: {grid: [0, 20, 21]}            #      {loguniform: [lo, hi]}, {choice: [...]} (+ samples: N)
  compute: [spectral_radius]                        # n_unstable, bk_status, verdicts, fixed_points, basins, irf_peak

kind: search (random economies for a claim, with shrinking) and kind: basins are described in
docs/sweeps.md. Results: --out FILE.zarr | FILE.nc (an xarray Dataset) | FILE.parquet (a table);
re-running the same spec with the same --out resumes (finished chunks are not recomputed).

Examples:
  geo-sym sweep examples/sweeps/minimal.yaml --scheduler synchronous --out minimal.zarr
  geo-sym sweep examples/sweeps/taylor_4d.yaml --workers 2 --out taylor_4d.zarr --plot taylor_4d.png
  geo-sym sweep examples/sweeps/search_prop_6_2.yaml --json
"""


def add_sweep_parser(sub) -> None:
    p = sub.add_parser(
        "sweep",
        help="parameter sweeps, counterexample searches and basins of attraction on Dask",
        description="Run a sweep spec on Dask: a grid or random design over dotted paths into an economy or "
        "model file, a counterexample search over random economies, or the basins of attraction of an "
        "economy's equilibria (§9.1). Failures at a point are recorded as data.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("spec", metavar="SPEC.yaml", help="sweep spec (docs/sweeps.md)")
    p.add_argument(
        "--scheduler",
        default="local",
        metavar="local|synchronous|ADDRESS",
        help="local: a Dask LocalCluster on this machine (default); synchronous: in-process, for debugging; "
        "ADDRESS: a running scheduler, e.g. tcp://10.0.0.1:8786",
    )
    p.add_argument(
        "--workers",
        type=integer(1, 1024, "an integer"),
        default=None,
        metavar="N",
        help="local cluster size (default: all cores)",
    )
    p.add_argument(
        "--out",
        default=None,
        metavar="PATH",
        type=output_file(".zarr", ".nc", ".parquet", what="a results file", stores=(".zarr",)),
        help="results file: .zarr, .nc or .parquet",
    )
    p.add_argument("--overwrite", action="store_true", help="replace results of a different spec at --out")
    p.add_argument(
        "--plot",
        default=None,
        metavar="FILE.png",
        type=figure_file(),
        help="also write the sweep's figure (PNG, PDF, SVG)",
    )
    p.add_argument("--variable", default=None, help="the variable drawn by --plot (default: the first item)")
    p.add_argument("--json", action="store_true", help="print a JSON summary (points, failures, wall time, where)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run_sweep)


def _run_sweep(args) -> int:
    from geo_sym.sweep.runner import run_sweep
    from geo_sym.sweep.spec import load_spec

    spec = load_spec(args.spec)
    with phase_bars(args, {"points": "point"}) as progress:
        res = run_sweep(
            spec,
            out=args.out,
            scheduler=args.scheduler,
            workers=args.workers,
            progress=progress,
            overwrite=args.overwrite,
        )
    summary = res.to_dict()
    if args.plot:
        res.plot(args.variable, path=args.plot)
        summary["plot"] = args.plot
    if args.json:
        print(json.dumps(summary, indent=1, default=str))
        return 0
    _print_summary(summary)
    return 0


def _mapping(d) -> str:
    """``{"alpha": "1/2", "tau": 3}`` as ``alpha = 1/2, tau = 3``, ``[0.2, 0.8]`` as ``#1 0.2, #2 0.8``."""
    if isinstance(d, (list, tuple)):
        return ", ".join(f"#{i} {_value(v)}" for i, v in enumerate(d, 1))
    if not isinstance(d, dict):
        return _value(d)
    return ", ".join(f"{k} = {_value(v)}" for k, v in d.items())


def _value(v) -> str:
    if isinstance(v, bool) or v is None:
        return yes_no(v, "none")
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _print_summary(s: dict) -> None:
    lines = [
        f"sweep {s['name']} ({s['kind']}): {s['points']} points, {s['failures']} with failures, "
        f"{s['wall_seconds']:.1f} s"
    ]
    if s.get("already_complete"):
        lines.append("already complete: nothing recomputed")
    elif s["resumed_chunks"]:
        lines.append(f"resumed: {s['resumed_chunks']} chunk(s) read back, {s['computed_chunks']} computed")
    if s.get("incomplete"):
        lines.append(f"incomplete: {s['incomplete']}")
    if s["kind"] == "search":
        lines.append(f"claim {s['claim']}: " + ", ".join(f"{k} {v}" for k, v in s["verdicts"].items()))
        lines.append(
            f"refutations confirmed by the verifier: {s['refutations_confirmed']}, "
            f"not confirmed: {s['refutations_not_confirmed']}"
        )
        cx = s.get("counterexample")
        if cx:
            lines.append(
                f"smallest counterexample, shrunk in {cx['steps']} step(s): {cx['agents']} agent(s), K = {cx['K']}, "
                f"{cx['edges']} edge(s), parameters {_mapping(cx['parameters'])}, prices {_mapping(cx['price_mechanism'])}; "
                f"verified after shrinking: {yes_no(cx['verified_after_shrinking'])}"
            )
            lines.append(f"  written to {cx['file']} (geo-sym verify {cx['file']})")
    if s["kind"] == "basins":
        lines.append(
            f"{s['equilibria']} certified equilibria ({'complete' if s['complete'] else 'not proved complete'}); "
            f"basin shares {_mapping(s['basin_share'])}, unclassified {s['unclassified_share']:.3g}, "
            f"not converged {s['not_converged_share']:.3g}"
        )
    lines.append(f"results: {s['out']}" + (f"; figure: {s['plot']}" if s.get("plot") else ""))
    print(fit_lines(lines))
