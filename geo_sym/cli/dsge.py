"""The ``geo-sym dsge`` and ``geo-sym convert`` subcommands (also ``python -m geo_sym dsge``).

``add_dsge_parser(subparsers)`` and ``add_convert_parser(subparsers)`` register them;
``run_dsge(args)`` and ``run_convert(args)`` run them, print the result and return the exit
code. Errors are raised as :class:`~geo_sym.errors.GeoSymError` subclasses for the caller
to print on one line (exit code 2). Only NumPy is imported on a cached run: SciPy's QZ
and the steady-state solver are needed only when the cache has no solution yet.
"""

from __future__ import annotations

import argparse
import json
import sys

from geo_sym.cli.options import figure_file, integer, max_periods, max_simulation, output_dir, output_file, real, seed
from geo_sym.cli.progress import progress_bar

__all__ = ["add_dsge_parser", "add_convert_parser", "configure_parser", "run_dsge", "run_convert", "compute"]

_ALL = "\x00all"

_DESCRIPTION = """\
Solve a DSGE model file - YAML or a Dynare .mod file (first-order subset) - as Dynare's
stoch_simul does at order 1: steady state (analytic block, or Newton with the exact
Jacobian), exact first-order linearization (in levels, or in logs), Blanchard-Kahn
check and Klein's QZ solution, then decision rules, theoretical moments (std, variance,
correlations, autocorrelations), variance decompositions, impulse responses and
simulations. A .mod file's stoch_simul options are the defaults; the options below
override them. Compiled models and their solutions are cached under $GEO_SYM_CACHE
(default ~/.cache/geo-sym; GEO_SYM_CACHE= disables it).
"""

_EPILOG = """\
JSON output: steady_state (variable -> level), steady_state_residuals, steady_state_method,
bk {status: determinate | indeterminate | no-stable-solution, n_unstable, n_forward,
n_predetermined, moduli ("inf" for infinite ones), boundary, tolerance, rank_condition,
message}, variables, shocks, parameters, shock_cov, log_variables; when determinate:
decision_rules, moments {std, variance, correlation, autocorrelation (variable -> list
from lag 1), hp_filter}, variance_decomposition (variable -> shock -> percent), and as
asked conditional_variance_decomposition (horizon -> variable -> shock -> percent),
irfs (shock -> variable -> list, periods 0..N-1, impact at 0) or, for --irf SHOCK, irf
(variable -> list), simulation {values, periods, drop, seed, levels}.

Examples:
  geo-sym dsge examples/models/rbc.yaml --irf --periods 20
  geo-sym dsge examples/models/nk_medium.mod --json > nk.json
  geo-sym dsge examples/models/rbc.yaml --loglinear --percent --hp-filter --conditional 1,4,8
  geo-sym dsge examples/models/rbc.yaml --simulate 200 --seed 1 --csv out/
  geo-sym convert examples/models/nk_medium.mod -o nk_medium.yaml

The model file keys, the .mod statements read, every option and JSON field, the algorithms and
tolerances and the differences from Dynare: docs/dsge.md.
"""


def _horizons(text: str) -> tuple:
    """``--conditional``: ``1,4,8`` or ``1:8`` (or both, ``1:4,8``) -> sorted horizons in ``1..MAX_PERIODS``."""
    top = max_periods()
    expected = f"horizons like 1,4,8 or 1:8, from 1 to {top}, ranges increasing"
    out: set[int] = set()
    for part in str(text).replace(" ", "").split(","):
        lo, _, hi = part.partition(":")
        if not lo.isdigit() or (hi and not hi.isdigit()) or len(lo) > 9 or len(hi) > 9:
            raise argparse.ArgumentTypeError(f"got {text!r}, expected {expected}")
        a, b = int(lo), int(hi or lo)
        if not 1 <= a <= b <= top:
            raise argparse.ArgumentTypeError(f"got {text!r}, expected {expected}")
        out.update(range(a, b + 1))
    return tuple(sorted(out))


def configure_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``dsge`` options to ``parser`` (shared by the subcommand and ``python -m geo_sym dsge``)."""
    _add_model_options(parser)
    _add_moment_options(parser)
    _add_simulation_options(parser)
    _add_output_options(parser)
    return parser


def _add_define_option(parser) -> None:
    parser.add_argument(
        "-D",
        "--define",
        dest="define",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="define a macro name for a .mod file, as Dynare's -DNAME=VALUE (repeatable; VALUE is a macro "
        'expression: 1, true, "text"; no value means true)',
    )


def _add_model_options(parser) -> None:
    """The model file, parameter overrides and impulse responses."""
    parser.add_argument("model", metavar="MODEL", help="model file: YAML, or a Dynare .mod file")
    parser.add_argument(
        "--set",
        dest="set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable); VALUE is a number, a 'p/q' string or a formula",
    )
    _add_define_option(parser)
    parser.add_argument(
        "--irf",
        nargs="?",
        const=_ALL,
        metavar="SHOCK",
        help="impulse responses to SHOCK, or to every shock when no name is given",
    )
    parser.add_argument(
        "--periods",
        type=integer(1, max_periods, "an integer"),
        default=None,
        metavar="N",
        help="impulse-response length, periods 0..N-1 (default: the file's irf, else 40)",
    )
    parser.add_argument("--unit", action="store_true", help="unit impulses instead of one standard deviation")
    parser.add_argument(
        "--loglinear",
        action="store_true",
        help="log-linearize every variable with a positive steady state (results in log deviations)",
    )
    parser.add_argument("--percent", action="store_true", help="show log deviations in percent")


def _add_moment_options(parser) -> None:
    """Moments, autocorrelations and variance decompositions."""
    parser.add_argument(
        "--ar",
        type=integer(0, max_periods, "an integer"),
        default=None,
        metavar="K",
        help="autocorrelations up to lag K (default 5)",
    )
    parser.add_argument(
        "--hp-filter",
        nargs="?",
        type=real(0, lo_open=True, what="smoothing parameter"),
        const=1600.0,
        default=None,
        metavar="LAMBDA",
        help="moments of HP-filtered series (LAMBDA default 1600)",
    )
    parser.add_argument(
        "--conditional",
        type=_horizons,
        default=None,
        metavar="H,H,...",
        help="conditional variance decomposition at these horizons (e.g. 1,4,8 or 1:8)",
    )
    parser.add_argument("--nomoments", action="store_true", help="do not compute moments and variance decompositions")


def _add_simulation_options(parser) -> None:
    """Simulation length, seed, burn-in and levels or deviations."""
    parser.add_argument(
        "--simulate",
        type=integer(1, max_simulation, "an integer"),
        default=None,
        metavar="N",
        help="simulate N periods (after --drop)",
    )
    parser.add_argument("--seed", type=seed, default=None, metavar="S", help="seed of the simulation (default 0)")
    parser.add_argument(
        "--drop",
        type=integer(0, max_simulation, "an integer"),
        default=None,
        metavar="B",
        help="burn-in periods dropped (default 100)",
    )
    parser.add_argument(
        "--deviations", action="store_true", help="simulate deviations from steady state (default: levels)"
    )


def _add_output_options(parser) -> None:
    """CSV files, the figure, the unit-circle tolerance, the cache and the output format."""
    parser.add_argument(
        "--csv",
        metavar="DIR",
        type=output_dir("a directory for the CSV files"),
        help="write IRFs, moments, decompositions, simulation as CSV files in DIR (created if missing)",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE",
        type=figure_file(),
        help="write a grid of the impulse responses (PNG, PDF or SVG by the extension)",
    )
    parser.add_argument(
        "--tol",
        type=real(0, 1, lo_open=True, hi_open=True, what="tolerance"),
        default=None,
        metavar="T",
        help="unit-circle tolerance: a root of modulus > 1+T is unstable, within T of 1 a boundary "
        "case (default: the file's tolerance.unit_circle or qz_criterium-1, else 1e-6)",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the compiled-model cache")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")


def add_dsge_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``dsge`` subcommand; its default ``func`` is :func:`run_dsge`."""
    parser = subparsers.add_parser(
        "dsge",
        help="solve a DSGE model (YAML or Dynare .mod): moments, decompositions, IRFs, simulations",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    configure_parser(parser)
    parser.set_defaults(func=run_dsge)
    return parser


def add_convert_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``convert`` subcommand (a Dynare .mod file to the YAML model format)."""
    parser = subparsers.add_parser(
        "convert",
        help="convert a Dynare .mod file to the YAML model format",
        description="Read a Dynare .mod file (the first-order subset geo-sym dsge accepts), check it, and write "
        "the same model in the YAML model format (parameters, equations with Dynare timing, steady-state block, "
        "shock variances and stoch_simul options). Statements it ignores or reads differently are listed as notes.",
        epilog="Example:\n  geo-sym convert examples/models/nk_medium.mod -o nk_medium.yaml\n\n"
        "Which .mod statements are read, and the YAML model format: docs/dsge.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("model", metavar="MODEL.mod", help="Dynare .mod file")
    _add_define_option(parser)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="MODEL.yaml",
        type=output_file(".yaml", ".yml", what="a YAML file"),
        help="YAML file to write",
    )
    parser.set_defaults(func=run_convert)
    return parser


def _options(args, model):
    """The file's stoch_simul options with the command-line flags applied."""
    from dataclasses import replace

    from dsge.solution.stoch_simul import check_options, options_from_model, with_overrides
    from geo_sym.errors import ValidationError

    opts = options_from_model(model)
    if args.irf is not None:
        opts = replace(opts, irf=opts.irf or 40, irf_shocks=None if args.irf == _ALL else (args.irf,))
    if args.periods is not None:
        if not opts.irf:
            raise ValidationError("--periods", args.periods, "--periods together with --irf (or irf in the file)")
        opts = replace(opts, irf=args.periods)
    opts = with_overrides(
        opts,
        unit=args.unit or None,
        loglinear=args.loglinear or None,
        ar=args.ar,
        hp_filter=args.hp_filter,
        conditional=args.conditional,
        periods=args.simulate,
        seed=args.seed,
        drop=args.drop,
        levels=False if args.deviations else None,
        moments=False if args.nomoments else None,
    )
    check_options(opts)
    return opts


def compute(args):
    """Run the analysis described by parsed ``args``; returns ``(result, json_dict)``.

    Raises
    ------
    geo_sym.errors.GeoSymError
        On invalid input or a failed computation.
    """
    from dsge.model.overrides import parse_defines, parse_overrides
    from dsge.solution.model import load_model
    from dsge.solution.stoch_simul import stoch_simul
    from geo_sym.errors import SolverError, ValidationError

    model = load_model(
        args.model, overrides=parse_overrides(args.set), cache=not args.no_cache, defines=parse_defines(args.define)
    )
    opts = _options(args, model)
    with progress_bar(args, "simulation", unit="period") as progress:
        res = stoch_simul(model, opts, tol=args.tol, progress=progress)
    if args.irf is not None and not res.solution.bk.determinate:
        raise SolverError(
            f"impulse responses are not available for {model.name!r}: Blanchard-Kahn status is "
            f"{res.solution.bk.status!r} ({res.solution.bk.message})"
        )
    if args.plot and res.irfs is None:
        raise ValidationError(
            "--plot", args.plot, "impulse responses to plot (--irf, or irf in the file's stoch_simul)"
        )
    out = res.to_dict(percent=args.percent)
    out["parameters"] = model.parameters
    if model.notes:
        out["notes"] = list(model.notes)
    if args.irf not in (None, _ALL) and "irfs" in out:
        out["irf_shock"] = args.irf
        out["irf"] = out.pop("irfs")[args.irf]
    return res, out


def _plot(res, path: str) -> None:
    from geo_sym.render.plots import plot_irfs

    irfs = res.irfs
    first = next(iter(irfs.values()))
    target = first if len(irfs) == 1 else dict(irfs)
    size = "one-standard-deviation" if first.scale == "std" else "unit"
    what = f"a {size} {first.shock} shock" if len(irfs) == 1 else f"{size} shocks"
    title = f"{res.solution.model_name}: impulse responses to {what}"
    fig = plot_irfs(target, list(res.variables), title=title)
    fig.savefig(path, dpi=300)  # the format from the extension (checked when parsed: PNG, PDF or SVG)


def run_dsge(args) -> int:
    """Run the ``dsge`` subcommand: compute, print JSON or the tables, write files; return 0."""
    res, out = compute(args)
    single = out.get("irf_shock")
    written = []
    if args.csv:
        from geo_sym.cli.dsge_tables import write_csv

        written += write_csv(out, args.csv, single)
    if args.plot:
        _plot(res, args.plot)
        written.append(args.plot)
    if args.json:
        if written:
            out["files"] = written
        sys.stdout.write(json.dumps(out, allow_nan=False, indent=1) + "\n")
        return 0
    from geo_sym.cli.dsge_tables import text_report
    from geo_sym.cli.tables import fit_lines, terminal_width

    width = terminal_width()
    text = text_report(res, out, source=str(args.model), width=width, single_irf=single)
    if written:
        text += "\nwritten: " + ", ".join(written) + "\n"
    sys.stdout.write(fit_lines(text.rstrip("\n"), width) + "\n")
    return 0


def run_convert(args) -> int:
    """Run the ``convert`` subcommand: read and check the .mod file, write YAML, print what was written."""
    from pathlib import Path

    from dsge.model.convert import convert_mod
    from geo_sym.errors import ValidationError

    if Path(args.model).suffix.lower() != ".mod":
        raise ValidationError("MODEL.mod", args.model, "a Dynare .mod file")
    from dsge.model.overrides import parse_defines

    text, notes = convert_mod(args.model, parse_defines(args.define))
    Path(args.output).write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {args.output}" + "".join(f"\nnote: {n}" for n in notes) + "\n")
    return 0
