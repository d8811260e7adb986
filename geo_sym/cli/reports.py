"""The ``geo-sym corrigendum`` subcommand and the report of ``geo-sym check --latex``.

:func:`add_corrigendum_parser` registers the subcommand; :func:`run_corrigendum` returns an exit code and
raises :class:`~geo_sym.errors.GeoSymError` subclasses on bad input for the caller to print on one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo_sym.cli.documents import claim_count, compile_pdf, document_provenance, relative_figure
from geo_sym.cli.progress import progress_callback
from geo_sym.errors import ValidationError

__all__ = ["add_corrigendum_parser", "run_corrigendum", "write_check_report"]


def add_corrigendum_parser(subparsers) -> None:
    """Register ``corrigendum`` on an argparse ``subparsers`` object; its default ``func`` is
    :func:`run_corrigendum` (called with the parsed arguments, it returns the exit code)."""
    c = subparsers.add_parser(
        "corrigendum",
        help="write a corrigendum to the paper: per claim the counterexample and what is true instead",
        description="A compilable LaTeX corrigendum: for each claim of the paper its statement, geo-sym's verdict, "
        "the counterexample (re-checkable with 'geo-sym verify'), the corrected statement with its proof or "
        "certificate, and the exact regions where a corrected condition holds, as figures. With no economy "
        "the claims are checked on the built-in reference economies.",
        epilog="Example:\n  geo-sym corrigendum -o corrigendum.tex --pdf",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("economy", nargs="?", metavar="ECONOMY.yaml", help="economy file (default: built-in economies)")
    c.add_argument("-o", "--output", required=True, metavar="FILE.tex", help="the LaTeX file to write")
    c.add_argument("--pdf", action="store_true", help="also compile FILE.tex with pdflatex")
    c.add_argument("--seed", type=int, default=0, help="seed of every random choice (default 0)")
    c.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    c.set_defaults(func=run_corrigendum)


def run_corrigendum(args) -> int:
    """Handler of ``geo-sym corrigendum``."""
    from proofs.claims.registry import run_checks
    from proofs.corrigendum import corrigendum_document, region_figures

    out = Path(args.output)
    if out.suffix.lower() != ".tex":
        raise ValidationError("-o", str(out), "a file name ending in .tex")
    econ = None
    if args.economy:
        from geo_sym.economy.spec import load_economy

        econ = load_economy(args.economy)
    verdicts = run_checks(economy=econ, seed=args.seed, progress=progress_callback(claim_count(), "checking", args))
    figures = region_figures(verdicts, out, economy=econ, relative=relative_figure)
    name = Path(args.economy).name if args.economy else ""
    provenance = document_provenance(
        seed=args.seed, source=args.economy, command="geo-sym corrigendum" + (f" {name}" if name else "")
    )
    label = f"the economy {econ.name}" if econ is not None else "the built-in reference economies"
    tex = corrigendum_document(verdicts, figures=figures, economy_label=label, provenance=provenance)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(tex, encoding="utf-8")
    print(f"wrote {out}")
    if args.pdf:
        print(f"wrote {compile_pdf(out)}")
    return 0


def write_check_report(verdicts, path, *, seed: int, economy_path=None, pdf: bool = False):
    """Write the ``geo-sym check --latex FILE`` report (and compile it with ``pdf``): ``(tex path, pdf path)``.

    The report's provenance paragraph names the version, the seed, the date and the SHA-256 of the
    economy file (or of the built-in reference economies).
    """
    from proofs.report import report_latex

    out = Path(path)
    prov = document_provenance(
        seed=seed,
        source=economy_path,
        command="geo-sym check" + (f" {Path(economy_path).name}" if economy_path else ""),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report_latex(verdicts, provenance=prov), encoding="utf-8")
    return out, (compile_pdf(out) if pdf else None)
