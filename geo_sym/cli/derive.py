"""The ``geo-sym derive`` subcommand: a compilable LaTeX document of the derivation (economy or DSGE model).

:func:`add_derive_parser` registers it; :func:`run_derive` returns an exit code and raises
:class:`~geo_sym.errors.GeoSymError` subclasses on bad input for the caller to print on one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo_sym.cli.documents import (
    claim_count,
    compile_pdf,
    dated_names,
    document_provenance,
    file_kind,
    model_from_args,
    relative_figure,
)
from geo_sym.cli.progress import progress_callback
from geo_sym.errors import ValidationError

__all__ = ["add_derive_parser", "run_derive"]

_DERIVE_DESCRIPTION = """\
Write a complete, compilable LaTeX document of the derivation.

For an economy file: the economy (agents, DAG, paths, production sets, parameters), each
component of the map in closed form, the steady state (exact when rational), the Jacobian
by blocks, the tangent-space reduction, the characteristic polynomial (exact, when small),
the eigenvalues against the rate of Proposition 6.2, and a summary of the claim verdicts
recomputed on this economy (a few seconds; --no-claims skips it).

For a DSGE model file: declarations, equations with Dynare timing (latex_names used),
steady state with residuals, the linearized model (equations and matrices), the
Blanchard-Kahn table, the solution T, R, moments and impulse-response tables.
"""


_DERIVE_EPILOG = """\
Examples:
  geo-sym derive examples/economies/two_by_two.yaml -o two_by_two.tex --pdf
  geo-sym derive examples/economies/two_by_two.yaml -o two_by_two.tex --no-claims --plot eig.png
  geo-sym derive examples/models/nk3.yaml -o nk3.tex --set phi_pi=0.9 --pdf

--pdf runs pdflatex twice in the directory of FILE.tex (Debian/Ubuntu:
apt-get install texlive-latex-base texlive-latex-recommended).
"""


def add_derive_parser(subparsers) -> None:
    """Register ``derive`` on an argparse ``subparsers`` object; its default ``func`` is :func:`run_derive`
    (called with the parsed arguments, it returns the exit code)."""
    d = subparsers.add_parser(
        "derive",
        help="write a compilable LaTeX document of the derivation (economy or DSGE model)",
        description=_DERIVE_DESCRIPTION,
        epilog=_DERIVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("file", metavar="ECONOMY.yaml|MODEL.yaml", help="economy file or DSGE model file")
    d.add_argument("-o", "--output", required=True, metavar="FILE.tex", help="the LaTeX file to write")
    d.add_argument("--pdf", action="store_true", help="also compile FILE.tex with pdflatex (runs it twice)")
    d.add_argument(
        "--no-claims",
        action="store_true",
        help="economy: leave out the summary of claim verdicts (saves a few seconds)",
    )
    d.add_argument(
        "--plot",
        metavar="FILE",
        help="also write a figure and include it in the document (as a figure with a caption): the "
        "eigenvalues against the unit circle (economy) or the impulse responses to each shock (model); "
        "FILE.pdf is vector graphics, FILE.png is drawn at 300 dpi; it may not be the document's own .pdf",
    )
    d.add_argument(
        "--set",
        dest="set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="model: override a parameter (repeatable)",
    )
    d.add_argument(
        "--periods",
        type=int,
        default=12,
        metavar="N",
        help="model: periods of the impulse-response tables and figure (default 12; 0: no tables)",
    )
    d.add_argument("--seed", type=int, default=0, help="seed of the fixed-point starts and claim checks (default 0)")
    d.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    d.add_argument("--title", help="document title")
    d.set_defaults(func=run_derive)


_FIGURE_SUFFIXES = (".pdf", ".png")


def _figure_path(plot, out: Path) -> Path:
    """The ``--plot`` file, checked: an includable image that is not one of the document's own outputs.

    Raises
    ------
    ValidationError
        When it has another extension, or is the ``.tex`` itself or the PDF (or log, aux) that
        pdflatex writes next to it — which would overwrite the figure or the document.
    """
    p = Path(plot)
    if p.suffix.lower() not in _FIGURE_SUFFIXES:
        raise ValidationError("--plot", str(plot), "a file name ending in .pdf (vector graphics) or .png (300 dpi)")
    own = {out.with_suffix(ext).resolve() for ext in (".tex", ".pdf", ".log", ".aux", ".out")}
    if p.resolve() in own:
        raise ValidationError(
            "--plot",
            str(plot),
            f"a file other than {out.name} and the {out.stem}.pdf/.log/.aux that pdflatex writes from it "
            f"(e.g. {out.stem}-figure{p.suffix.lower()})",
        )
    return p


def _save_figure(fig, path: Path) -> Path:
    """Vector PDF for ``.pdf``, 300 dpi for ``.png`` (print resolution)."""
    from geo_sym.render.plot_style import save_figure

    return save_figure(fig, path)


def _model_irf_figure(model, sol, args, out: Path):
    from geo_sym.render.latex_blocks import Figure
    from geo_sym.render.plots import plot_irfs

    if sol.transition is None:
        raise ValidationError(
            "--plot",
            args.plot,
            f"a determinate model for impulse responses (Blanchard-Kahn status is {sol.bk.status!r})",
        )
    path = _figure_path(args.plot, out)
    periods = max(int(args.periods), 2)
    irfs = {e: sol.irf(e, periods) for e in sol.shocks}
    if not irfs:
        raise ValidationError("--plot", args.plot, "a model with at least one shock")
    fig = plot_irfs(
        irfs if len(irfs) > 1 else next(iter(irfs.values())),
        latex_names=dated_names(sol),
        title=f"{model.name}: impulse responses"
        + (f" to a one-std. {sol.shocks[0]} shock" if len(irfs) == 1 else " (one line per shock)"),
    )
    _save_figure(fig, path)
    caption = (
        "Impulse responses (deviations from the steady state) for periods $0$ to $%d$ after a one-standard-deviation "
        "shock at period $0$%s." % (periods - 1, "" if len(irfs) == 1 else ", one line per shock")
    )
    return Figure(relative_figure(path, out), caption, "fig:irf", width=r"0.95\linewidth"), path


def _economy_eigen_figure(econ, d, args, out: Path):
    from geo_sym.render.latex_blocks import Figure
    from geo_sym.render.plots import plot_eigenvalues

    path = _figure_path(args.plot, out)
    where = "the steady state" if d.at_steady_state else "the centre state"
    fig = plot_eigenvalues(d.eigenvalues, title=f"{econ.name}: tangent Jacobian at {where}")
    _save_figure(fig, path)
    caption = (
        r"Eigenvalues of the tangent Jacobian $J_T$ at %s in the complex plane, against the unit circle "
        r"(points inside it are stable directions)." % where
    )
    return Figure(relative_figure(path, out), caption, "fig:eigenvalues", width=r"0.5\linewidth"), path


def _derive_model(args, out: Path) -> tuple[str, list]:
    from dsge.document import model_document

    model = model_from_args(args)
    sol = model.solve()
    figures, written = [], []
    if args.plot:
        fig, path = _model_irf_figure(model, sol, args, out)
        figures.append(fig)
        written.append(path)
    prov = document_provenance(source=args.file, command=f"geo-sym derive {Path(args.file).name}")
    tex = model_document(
        model, title=args.title, figures=figures, irf_periods=max(int(args.periods), 0), provenance=prov
    )
    return tex, written


def _derive_economy(args, out: Path) -> tuple[str, list]:
    import dataclasses

    from geo_sym.economy.spec import load_economy
    from geo_sym.render.document import derive

    if args.set:
        raise ValidationError("--set", args.set, "no --set for an economy file (edit its parameters)")
    if args.plot:
        _figure_path(args.plot, out)  # refuse a bad name before any work
    econ = load_economy(args.file)
    verdicts = None
    if not args.no_claims:
        from proofs.claims.registry import run_checks

        verdicts = run_checks(economy=econ, seed=args.seed, progress=progress_callback(claim_count(), "checking", args))
    prov = document_provenance(seed=args.seed, source=args.file, command=f"geo-sym derive {Path(args.file).name}")
    d = derive(econ, verdicts=verdicts, seed=args.seed, provenance=prov)
    written = []
    if args.plot and len(d.eigenvalues):
        fig, path = _economy_eigen_figure(econ, d, args, out)
        d = dataclasses.replace(d, figures=(fig,))
        written.append(path)
    return d.to_latex(args.title), written


def run_derive(args) -> int:
    """Handler of ``geo-sym derive``: writes FILE.tex (and FILE.pdf with --pdf), prints what it wrote."""
    out = Path(args.output)
    if out.suffix.lower() != ".tex":
        raise ValidationError("-o", str(out), "a file name ending in .tex")
    if args.plot:
        _figure_path(args.plot, out)
    kind = file_kind(args.file)
    tex, written = _derive_model(args, out) if kind == "model" else _derive_economy(args, out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(tex, encoding="utf-8")
    print(f"wrote {out}")
    for path in written:
        print(f"wrote {path}")
    if args.pdf:
        pdf = compile_pdf(out)
        print(f"wrote {pdf}")
    return 0
