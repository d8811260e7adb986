"""The ``geo-sym dsge`` subcommand (also runnable as ``python -m geo_sym dsge``).

``add_dsge_parser(subparsers)`` registers the subcommand on an argparse
subparsers object; ``run_dsge(args)`` runs it, prints the result and returns
the exit code. Errors are raised as :class:`~geo_sym.errors.GeoSymError`
subclasses for the caller to print on one line (exit code 2); this module is
the only place in :mod:`dsge` that prints.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

__all__ = ["add_dsge_parser", "configure_parser", "run_dsge"]

_DESCRIPTION = """\
Solve a Dynare-style DSGE model file: steady state (Newton with exact Jacobian),
exact first-order linearization, Klein's QZ solution and Blanchard-Kahn
diagnostics, and optionally impulse responses to one shock.

The model file is YAML with keys name, variables, shocks, parameters,
equations (Dynare timing: x(+1), x(-1)), steady_state (values or guesses) and
optionally shock_std or shock_cov, latex_names, tolerance
{steady_state, unit_circle}. Compiled models are cached under $GEO_SYM_CACHE
(default ~/.cache/geo-sym).
"""

_EPILOG = """\
JSON output: steady_state (variable -> level), steady_state_residuals (one per
equation), bk {status: determinate | indeterminate | no-stable-solution,
n_unstable, n_forward, n_predetermined, moduli (sorted generalized eigenvalue
moduli, "inf" for infinite ones), boundary (a modulus within tolerance of 1),
tolerance, rank_condition, message} and, with --irf, irf (variable -> list of
deviations from steady state for periods 0..N-1 after a unit impulse at 0).
"""


def configure_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``dsge`` options to ``parser`` (shared by the subcommand and ``python -m geo_sym dsge``)."""
    parser.add_argument("model", metavar="MODEL.yaml", help="Dynare-style model file (YAML)")
    parser.add_argument(
        "--set",
        dest="set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter of the file (repeatable); VALUE is an int, a float or a 'p/q' string",
    )
    parser.add_argument(
        "--irf", metavar="SHOCK", help="compute impulse responses to a unit impulse of SHOCK at period 0"
    )
    parser.add_argument(
        "--periods", type=int, default=40, metavar="N", help="number of IRF periods 0..N-1 (default 40)"
    )
    parser.add_argument(
        "--plot", metavar="FILE", help="write a PNG grid of the impulse responses, one panel per variable (needs --irf)"
    )
    parser.add_argument(
        "--tol",
        type=float,
        default=None,
        metavar="T",
        help="unit-circle tolerance of the Blanchard-Kahn check: a root with "
        "modulus > 1+T is unstable, within T of 1 is a boundary case "
        "(default: the file's tolerance.unit_circle, else 1e-6)",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the compiled-model cache")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def add_dsge_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``dsge`` subcommand on an argparse ``subparsers`` object.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        As returned by ``parser.add_subparsers()``.

    Returns
    -------
    argparse.ArgumentParser
        The subcommand's parser; its default ``func`` is :func:`run_dsge`.
    """
    parser = subparsers.add_parser(
        "dsge",
        help="solve a Dynare-style DSGE model file (steady state, Blanchard-Kahn, IRFs)",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure_parser(parser)
    parser.set_defaults(func=run_dsge)
    return parser


def compute(args) -> dict:
    """Run the analysis described by parsed ``args`` and return the JSON-ready result.

    Raises
    ------
    geo_sym.errors.GeoSymError
        On invalid input or a failed computation.
    """
    from dsge.model.core import load_model
    from dsge.model.model_file import parse_overrides
    from geo_sym.errors import ValidationError

    if args.plot and not args.irf:
        raise ValidationError("--plot", args.plot, "--plot together with --irf SHOCK")
    if args.periods is None or args.periods < 1:
        raise ValidationError("--periods", args.periods, "an integer >= 1")
    if args.tol is not None and not (args.tol > 0 and math.isfinite(args.tol)):
        raise ValidationError("--tol", args.tol, "a positive number")
    overrides = parse_overrides(args.set)
    model = load_model(args.model, overrides=overrides, cache=not args.no_cache)
    solution = model.solve(tol=args.tol)
    out = solution.to_dict()
    out["variables"] = list(model.variables)
    out["shocks"] = list(model.shocks)
    out["parameters"] = model.parameters
    if args.irf:
        irf = solution.irf(args.irf, args.periods)
        out["irf_shock"] = args.irf
        out["irf"] = irf.to_dict()
        if args.plot:
            fig = irf.plot()
            fig.savefig(args.plot, dpi=110, format="png")
            out["plot"] = args.plot
    return out


def _summary(out: dict) -> str:
    bk = out["bk"]
    lines = [f"model {out['model']}: {len(out['variables'])} variables, {len(out['shocks'])} shocks"]
    lines.append(
        f"steady state ({out['steady_state_method']}, max |residual| "
        f"{max((abs(r) for r in out['steady_state_residuals']), default=0.0):.2e}):"
    )
    width = max(len(v) for v in out["variables"])
    for name, value in out["steady_state"].items():
        lines.append(f"  {name:<{width}}  {value: .10g}")
    lines.append(
        f"Blanchard-Kahn: {bk['status']} ({bk['n_unstable']} unstable root(s), "
        f"{bk['n_forward']} forward-looking variable(s), tolerance {bk['tolerance']:g}"
        + (", BOUNDARY case" if bk["boundary"] else "")
        + ")"
    )
    lines.append("  moduli: " + ", ".join(m if isinstance(m, str) else f"{m:.6g}" for m in bk["moduli"]))
    if "irf" in out:
        n = len(next(iter(out["irf"].values())))
        shown = min(n, 8)
        lines.append(f"impulse responses to a unit {out['irf_shock']} shock (periods 0..{n - 1}, first {shown} shown):")
        for name, path in out["irf"].items():
            lines.append(f"  {name:<{width}}  " + " ".join(f"{x: .4g}" for x in path[:shown]))
    if "plot" in out:
        lines.append(f"plot written to {out['plot']}")
    return "\n".join(lines)


def run_dsge(args) -> int:
    """Run the ``dsge`` subcommand: compute, print JSON or a readable summary, return 0.

    Raises
    ------
    geo_sym.errors.GeoSymError
        For the caller to report (one line, exit code 2).
    """
    out = compute(args)
    if args.json:
        sys.stdout.write(json.dumps(out, allow_nan=False, indent=1) + "\n")
    else:
        sys.stdout.write(_summary(out) + "\n")
    return 0
