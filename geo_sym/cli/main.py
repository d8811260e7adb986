"""The ``geo-sym`` command line. The only module of geo-sym that prints or exits.

Each subcommand's handler imports what it needs when it runs, so ``geo-sym --help``
and the cached ``geo-sym dsge`` path stay fast. Errors on bad input print one line
``geo-sym: error: …`` to stderr and exit with code 2, never a traceback (set
``GEO_SYM_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import os
import sys

# geo-sym's linear algebra is many small dense problems (Jacobians, Newton steps, QZ of a few hundred
# variables), where a multi-threaded BLAS spends more time synchronising than computing (10x slower on
# a loaded 2-core machine). One BLAS thread unless the user chose otherwise; set before numpy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    from geo_sym.cli.options import Parser, apply_option_types

    parser = Parser(
        prog="geo-sym",
        description="Symbolic-numeric proof checking and DSGE analysis of orchestrated AI agent economies "
        "(Garnier 2026, arXiv 2602.21255).",
        epilog="Run 'geo-sym COMMAND --help' for the options of each command.",
    )
    from geo_sym import __version__

    parser.add_argument("--version", action="version", version=f"geo-sym {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    from geo_sym.cli.jacobian import add_jacobian_parser

    add_jacobian_parser(sub)

    from geo_sym.cli.claims import add_claim_parsers

    add_claim_parsers(sub)
    from geo_sym.cli.dsge import add_convert_parser, add_dsge_parser
    from geo_sym.cli.orchestration import add_orchestration_parsers

    add_dsge_parser(sub)
    add_convert_parser(sub)
    add_orchestration_parsers(sub)
    from geo_sym.cli.certify import add_certify_parsers
    from geo_sym.cli.derive import add_derive_parser
    from geo_sym.cli.plot import add_plot_parser
    from geo_sym.cli.reports import add_corrigendum_parser

    add_certify_parsers(sub)
    add_derive_parser(sub)
    add_plot_parser(sub)
    add_corrigendum_parser(sub)
    from geo_sym.cli.sweep import add_sweep_parser

    add_sweep_parser(sub)
    from geo_sym.cli.regions import add_region_parsers

    add_region_parsers(sub)
    apply_option_types(sub.choices)
    return parser


# --------------------------------------------------------------------------------- entry point
def _one_line(text: str, limit: int = 1200) -> str:
    """An error message as one line of bounded length (newlines joined, the middle of a huge message cut)."""
    text = "; ".join(part.strip() for part in str(text).splitlines() if part.strip())
    return text if len(text) <= limit else f"{text[: limit - 300]} ... {text[-280:]}"


def main(argv=None) -> int:
    """Run ``geo-sym`` with ``argv`` (default ``sys.argv[1:]``); returns the exit code.

    0 success, 1 a check that did not pass (``verify``, ``certify``), 2 bad input (one line on stderr),
    3 an internal error (one line; ``GEO_SYM_DEBUG=1`` shows the traceback), 130 interrupted.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else 2
    from geo_sym.errors import GeoSymError

    try:
        return int(args.func(args) or 0)
    except GeoSymError as exc:
        if os.environ.get("GEO_SYM_DEBUG"):
            raise
        print(f"geo-sym: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geo-sym: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (geo-sym ... | head): stop quietly, flush nothing more
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except Exception as exc:  # the last-resort handler: one line, never a traceback unless asked
        if os.environ.get("GEO_SYM_DEBUG"):
            raise
        print(
            f"geo-sym: internal error: {type(exc).__name__}: {_one_line(exc)} (set GEO_SYM_DEBUG=1 for a "
            "traceback; please report it)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
