"""The ``geo-sym`` command line. The only module of geo-sym that prints or exits.

Each subcommand's handler imports what it needs when it runs, so ``geo-sym --help``
and the cached ``geo-sym dsge`` path stay fast. Errors on bad input print one line
``geo-sym: error: …`` to stderr and exit with code 2, never a traceback (set
``GEO_SYM_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

# geo-sym's linear algebra is many small dense problems (Jacobians, Newton steps, QZ of a few hundred
# variables), where a multi-threaded BLAS spends more time synchronising than computing (10x slower on
# a loaded 2-core machine). One BLAS thread unless the user chose otherwise; set before numpy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geo-sym",
        description="Symbolic-numeric proof checking and DSGE analysis of orchestrated AI agent economies "
        "(Garnier 2026, arXiv 2602.21255).",
        epilog="Run 'geo-sym COMMAND --help' for the options of each command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    from geo_sym.cli.jacobian import add_jacobian_parser

    add_jacobian_parser(sub)

    c = sub.add_parser(
        "check",
        help="check the paper's claims: a verdict with evidence for each",
        description="Check the statements of the paper by computation. With no economy file, every "
        "claim runs on built-in reference economies; with a file, every figure is "
        "recomputed on that economy.",
        epilog=_CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("economy", nargs="?", metavar="ECONOMY.yaml", help="economy file (default: built-in economies)")
    c.add_argument(
        "--claim",
        action="append",
        default=[],
        metavar="ID",
        help="check only this claim (repeatable): thm-3.1, lem-4.2, lem-4.3, thm-4.4, thm-4.6, thm-5.2, "
        "thm-5.4, thm-6.1, prop-6.2, ex-6.3, sec-7.1, thm-8.1",
    )
    c.add_argument("--seed", type=int, default=0, help="seed of every random choice (default 0)")
    c.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    c.add_argument("--latex", metavar="FILE", help="also write a compilable LaTeX report to FILE")
    c.add_argument(
        "--pdf",
        action="store_true",
        help="compile the --latex report with pdflatex (says how to install it when missing)",
    )
    c.set_defaults(func=_run_check)

    v = sub.add_parser(
        "verify",
        help="re-check refutation witnesses with independent exact code",
        description="Re-check witnesses (a witness object, a verdict, or the list printed by "
        "'geo-sym check --json') with code independent of the code that found them, in "
        "exact arithmetic or high precision where exp is involved. Exit code 0 when every "
        "witness is confirmed, 1 when one is not.",
    )
    v.add_argument("witness", metavar="WITNESS.json", help="JSON file: a witness, a verdict or a list of verdicts")
    v.add_argument("--json", action="store_true", help="print the results as JSON")
    v.set_defaults(func=_run_verify)

    from geo_sym.cli.dsge import add_convert_parser, add_dsge_parser
    from geo_sym.cli.orchestration import add_orchestration_parsers

    add_dsge_parser(sub)
    add_convert_parser(sub)
    add_orchestration_parsers(sub)
    from geo_sym.cli.certify import add_certify_parsers
    from geo_sym.cli.documents import add_document_parsers

    add_certify_parsers(sub)
    add_document_parsers(sub)
    __import__("geo_sym.cli.sweep", fromlist=["add_sweep_parser"]).add_sweep_parser(sub)
    from geo_sym.cli.regions import add_region_parsers

    add_region_parsers(sub)
    return parser


# --------------------------------------------------------------------------------- check / verify
_CHECK_EPILOG = """\
Statuses: proved (exact identity or exact computation, possibly under the extra hypotheses listed in
holds_under), refuted (an exact counterexample in "witness", re-checkable with 'geo-sym verify'),
certified (interval certificate), supported (seeded numeric evidence), inconclusive (not decided; the
reason says why). Verdicts are data: the exit code is 0 whenever the checks ran.

Examples:
  geo-sym check
  geo-sym check --claim prop-6.2 --json > verdicts.json && geo-sym verify verdicts.json
  geo-sym check examples/economies/two_by_two.yaml --latex report.tex
"""


def _run_check(args) -> int:
    from proofs.claims.registry import get_claim, run_checks
    from proofs.report import report_latex, verdict_table, verdicts_json

    for cid in args.claim:
        get_claim(cid)  # unknown ids: a clear error listing the valid ones, before any work
    if args.pdf and not args.latex:
        from geo_sym.errors import ValidationError

        raise ValidationError("--pdf", True, "--latex FILE.tex as well (the report to compile)")
    econ = None
    if args.economy:
        from geo_sym.economy.spec import load_economy

        econ = load_economy(args.economy)

    def progress(cid):
        if not args.json and sys.stderr.isatty():
            print(f"checking {cid} ...", file=sys.stderr, end="\r", flush=True)

    verdicts = run_checks(args.claim or None, economy=econ, seed=args.seed, progress=progress)
    if not args.json and sys.stderr.isatty():
        print(" " * 40, file=sys.stderr, end="\r")
    if args.latex:
        from pathlib import Path

        Path(args.latex).write_text(report_latex(verdicts))
        if args.pdf:
            from geo_sym.cli.documents import compile_pdf

            pdf_path = compile_pdf(args.latex)
    if args.json:
        print(verdicts_json(verdicts))
    else:
        where = f"economy {econ.name!r} ({args.economy})" if econ is not None else "built-in reference economies"
        print(f"geo-sym check on {where}, seed {args.seed}\n")
        import shutil

        print(verdict_table(verdicts, width=min(shutil.get_terminal_size((100, 24)).columns, 120)))
        if args.latex:
            print(f"\nLaTeX report written to {args.latex}" + (f"; PDF: {pdf_path}" if args.pdf else ""))
    return 0


def _run_verify(args) -> int:
    import shutil
    import textwrap

    from proofs.verify import verify_file

    bar = None
    if not args.json and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=0, desc="verifying witnesses", unit="witness", file=sys.stderr, leave=False)

    def progress(done, total):
        bar.total = total
        bar.update(done - bar.n)

    try:
        results = verify_file(args.witness, progress=progress if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False, default=str))
        return 0 if all(r.ok for r in results) else 1
    if not results:
        print("no refutation witness in the file: nothing to verify")
        return 0
    rows = []
    for r in results:
        claim = r.claim if r.id in (None, r.claim) else f"{r.claim} (in {r.id})"
        rows.append(("CONFIRMED" if r.ok else "NOT CONFIRMED", claim, r.kind, r.message))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    indent = sum(widths) + 6
    width = shutil.get_terminal_size((100, 24)).columns
    for status, claim, kind, message in rows:
        head = f"{status:<{widths[0]}}  {claim:<{widths[1]}}  {kind:<{widths[2]}}  "
        if width - indent >= 30:
            lines = textwrap.wrap(message, width - indent) or [""]
            print(head + lines[0])
            for line in lines[1:]:
                print(" " * indent + line)
        else:
            print(head.rstrip())
            for line in textwrap.wrap(message, max(width - 4, 20)):
                print("    " + line)
    confirmed = sum(r.ok for r in results)
    print(f"\n{confirmed} of {len(results)} refutation witnesses confirmed")
    return 0 if confirmed == len(results) else 1


# --------------------------------------------------------------------------------- entry point
def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from geo_sym.errors import GeoSymError

    try:
        return int(args.func(args) or 0)
    except GeoSymError as exc:
        if os.environ.get("GEO_SYM_DEBUG"):
            raise
        print(f"geo-sym: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geo-sym: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error: one line, never a traceback unless asked
        if os.environ.get("GEO_SYM_DEBUG"):
            raise
        print(
            f"geo-sym: internal error: {type(exc).__name__}: {exc} (set GEO_SYM_DEBUG=1 for a traceback; "
            "please report it)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
