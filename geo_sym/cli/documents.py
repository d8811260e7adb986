"""The ``geo-sym derive`` and ``geo-sym plot`` subcommands (documents and figures).

:func:`add_document_parsers` registers both on the ``geo-sym`` subparsers; each handler
returns an exit code and raises :class:`~geo_sym.errors.GeoSymError` subclasses on bad
input for the caller to print on one line. Both accept an economy file or a Dynare-style
DSGE model file (recognised by its ``equations`` key).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from geo_sym.cli.progress import progress_callback
from geo_sym.errors import ModelFileError, ValidationError

__all__ = [
    "add_document_parsers",
    "run_derive",
    "run_plot",
    "run_corrigendum",
    "compile_pdf",
    "parse_range",
    "file_kind",
    "model_eigenvalues",
    "document_provenance",
    "write_check_report",
]

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

_PLOT_DESCRIPTION = """\
Write a figure (PNG, PDF or SVG by the file name's extension), made headless.

Kinds for an economy file:
  eigenvalues   eigenvalues of the tangent Jacobian at the steady state (or --at STATE)
                against the unit circle
  convergence   ||x_n - x*|| of the tatonnement from the centre state (or --at STATE) on a
                log scale against the paper's bound (14), lambda^n/(1-lambda) ||x_1 - x_0||,
                with lambda = (1-alpha) gamma_A P / tau when the price mechanism is linear,
                else a sampled operator norm (an estimate, labelled as such); --lam overrides
  stability     spectral radius at the steady state over a grid of two parameters
                (--x NAME=LO:HI[:N] --y NAME=LO:HI[:N], NAME in alpha, beta, tau, gamma)
  irf           one page: routing shares, latency, quality and SLO weights after each shock
                channel (--shock, --periods), with and without the Taylor rule; linear responses
                only where the economy has a stable solution (else the nonlinear path, labelled)
Kinds for a DSGE model file:
  irf           impulse responses, one panel per variable (--shock, --periods)
  eigenvalues   generalized eigenvalues of the linearized model against the unit circle
  stability     Blanchard-Kahn status over a grid of two parameters (--x, --y)
"""

_PLOT_EPILOG = """\
Examples:
  geo-sym plot examples/economies/two_by_two.yaml --kind eigenvalues -o eig.png
  geo-sym plot examples/economies/example_6_3.yaml --kind convergence -o conv.png --n 80
  geo-sym plot examples/models/nk3.yaml --kind stability --x phi_pi=0:3:31 --y phi_y=0:1:21 -o nk3_bk.png
  geo-sym plot examples/models/rbc.yaml --kind irf --shock eps_a --periods 40 -o rbc_irf.png
  geo-sym plot examples/economies/orchestration_taylor.yaml --kind irf --periods 20 -o responses.png
"""

ECONOMY_PARAMETERS = ("alpha", "beta", "tau", "gamma")
BK_CODES = {0: "determinate", 1: "indeterminate", 2: "no stable solution"}
_BK_CODE = {"determinate": 0, "indeterminate": 1, "no-stable-solution": 2}


def compile_pdf(tex_path, **options) -> Path:
    """Compile ``tex_path`` with pdflatex (see :func:`geo_sym.render.pdf.compile_pdf`; imported when called,
    so registering the subcommands stays cheap)."""
    from geo_sym.render.pdf import compile_pdf as _compile

    return _compile(tex_path, **options)


def __getattr__(name):
    if name in ("LaTeXError", "PdflatexNotFoundError"):
        from geo_sym.render import pdf

        return getattr(pdf, name)
    raise AttributeError(f"module 'geo_sym.cli.documents' has no attribute {name!r}")


# ----------------------------------------------------------------------------- registration
def add_document_parsers(subparsers) -> None:
    """Register ``derive`` and ``plot`` on an argparse ``subparsers`` object.

    Each subparser's default ``func`` is its handler (:func:`run_derive`, :func:`run_plot`),
    called with the parsed arguments; it returns the exit code.
    """
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
    d.add_argument("--title", help="document title")
    d.set_defaults(func=run_derive)

    p = subparsers.add_parser(
        "plot",
        help="write a figure: eigenvalues, convergence vs bound (14), stability maps, impulse responses",
        description=_PLOT_DESCRIPTION,
        epilog=_PLOT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="ECONOMY.yaml|MODEL.yaml", help="economy file or DSGE model file")
    p.add_argument(
        "--kind",
        default="eigenvalues",
        choices=["eigenvalues", "convergence", "stability", "irf"],
        help="what to draw (default eigenvalues)",
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE.png", help="the image to write")
    p.add_argument("--at", metavar="STATE.json", help="economy: the state for eigenvalues / start of convergence")
    p.add_argument("--n", type=int, default=60, metavar="N", help="convergence: iterations (default 60)")
    p.add_argument("--lam", type=float, metavar="L", help="convergence: the rate lambda of bound (14)")
    p.add_argument("--x", metavar="NAME=LO:HI[:N]", help="stability: horizontal parameter and range")
    p.add_argument("--y", metavar="NAME=LO:HI[:N]", help="stability: vertical parameter and range")
    p.add_argument("--shock", metavar="SHOCK", help="irf: the shock (default: every shock, one line each)")
    p.add_argument("--periods", type=int, default=40, metavar="N", help="irf: periods 0..N-1 (default 40)")
    p.add_argument(
        "--set",
        dest="set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="model: override a parameter (repeatable)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of random choices (default 0)")
    p.add_argument("--dpi", type=int, default=300, help="resolution of raster images (default 300, print)")
    p.set_defaults(func=run_plot)

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
    c.set_defaults(func=run_corrigendum)


# ----------------------------------------------------------------------------- helpers
def file_kind(path) -> str:
    """``"model"`` for a DSGE model file (it has ``equations``), ``"economy"`` otherwise.

    Raises
    ------
    ModelFileError
        When the file cannot be read or is not a YAML mapping.
    """
    from geo_sym.economy.files import load_yaml

    p = Path(path)
    if p.suffix.lower() == ".mod":  # a Dynare .mod file is a DSGE model
        return "model"
    data = load_yaml(p, "economy or model file")
    if not isinstance(data, dict):
        raise ModelFileError(str(p), type(data).__name__, "a YAML mapping (an economy or a DSGE model file)")
    return "model" if "equations" in data else "economy"


def parse_range(text: str, option: str, default_n: int) -> tuple[str, list[float]]:
    """``NAME=LO:HI[:N]`` → ``(NAME, N values from LO to HI)``; LO and HI may be ``"p/q"``.

    Raises
    ------
    ValidationError
        When the text is malformed, ``N < 1`` or ``LO > HI``.
    """
    import numpy as np

    from geo_sym.economy.numbers import parse_number

    expected = "NAME=LO:HI or NAME=LO:HI:N (e.g. tau=0.5:5:20)"
    if not text or "=" not in text:
        raise ValidationError(option, text, expected)
    name, _, rng = text.partition("=")
    parts = rng.split(":")
    if not name.strip() or len(parts) not in (2, 3):
        raise ValidationError(option, text, expected)
    lo = float(parse_number(parts[0].strip(), f"{option} LO"))
    hi = float(parse_number(parts[1].strip(), f"{option} HI"))
    n = default_n
    if len(parts) == 3:
        try:
            n = int(parts[2])
        except ValueError:
            raise ValidationError(option, text, "an integer N of grid points") from None
    if n < 1 or lo > hi or (n > 1 and lo == hi):
        raise ValidationError(option, text, "LO < HI and N >= 1 grid points (LO = HI only with N = 1)")
    return name.strip(), list(np.linspace(lo, hi, n))


def _overrides(pairs) -> dict:
    from dsge.model.model_file import parse_overrides

    return parse_overrides(pairs)


def _load_model(args):
    from dsge import load_model

    return load_model(args.file, overrides=_overrides(args.set))


def _save(fig, path, dpi: int) -> Path:
    from geo_sym.render.plot_style import save_figure

    return save_figure(fig, path, dpi=dpi)


def _economy_point(econ, at):
    """(state, label) for eigenvalues: ``--at`` or the steady state reached from the centre."""
    from geo_sym.economy.state import load_state
    from geo_sym.solve.fixed_point import center_state, find_fixed_point

    if at:
        return load_state(econ, at), f"at {Path(at).name}"
    r = find_fixed_point(econ, center_state(econ))
    if r.success:
        return r.state, "at the steady state"
    return center_state(econ), "at the centre state (no steady state found)"


def _economy_eigenvalues(econ, state):
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues

    return tangent_eigenvalues(econ, numeric_jacobian(econ, state))


def _dated_names(solution) -> dict:
    """Variable -> LaTeX at date t (``\\pi_{t}``), from the model's latex_names or Dynare-like defaults."""
    from dsge.document import variable_latex

    return {v: variable_latex(v, 0, solution.latex_names) for v in solution.variables}


def model_eigenvalues(solution):
    """Generalized eigenvalues of the companion pencil of a linearized DSGE model.

    With ``s_t = (y_t, y_{t-1})``, ``F_+ y_{t+1} + F_0 y_t + F_- y_{t-1} = 0`` is
    ``A s_{t+1} = B s_t``; the roots of ``det(B − λA)`` (infinite ones for variables
    without a lead, zeros for variables without a lag) are returned, NaN (0/0) removed.
    """
    import numpy as np
    from scipy.linalg import eig

    lin = solution.linearization
    n = len(lin.variables)
    A = np.zeros((2 * n, 2 * n))
    B = np.zeros((2 * n, 2 * n))
    A[:n, :n] = lin.f_lead
    A[n:, n:] = np.eye(n)
    B[:n, :n] = -np.asarray(lin.f_cur)
    B[:n, n:] = -np.asarray(lin.f_lag)
    B[n:, :n] = np.eye(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = eig(B, A, right=False)
    return w[~np.isnan(w)]


# ----------------------------------------------------------------------------- derive
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


def document_provenance(*, seed=None, source=None, command: str) -> dict:
    """The provenance of a document: version, seed, date and the SHA-256 of its input file.

    ``source`` is an economy or model file; ``None`` means the built-in reference economies (their
    definitions are hashed instead).
    """
    from geo_sym.render.provenance import data_digest, file_digest, provenance

    if source is None:
        from proofs.claims.reference import REFERENCE

        inputs = {"the built-in reference economies": data_digest(REFERENCE)}
    else:
        inputs = {Path(source).name: file_digest(source)}
    return provenance(seed=seed, inputs=inputs, command=command)


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
        latex_names=_dated_names(sol),
        title=f"{model.name}: impulse responses"
        + (f" to a one-std. {sol.shocks[0]} shock" if len(irfs) == 1 else " (one line per shock)"),
    )
    _save_figure(fig, path)
    caption = (
        "Impulse responses (deviations from the steady state) for periods $0$ to $%d$ after a one-standard-deviation "
        "shock at period $0$%s." % (periods - 1, "" if len(irfs) == 1 else ", one line per shock")
    )
    return Figure(_relative_figure(path, out), caption, "fig:irf", width=r"0.95\linewidth"), path


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
    return Figure(_relative_figure(path, out), caption, "fig:eigenvalues", width=r"0.5\linewidth"), path


def _derive_model(args, out: Path) -> tuple[str, list]:
    from dsge.document import model_document

    model = _load_model(args)
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

        verdicts = run_checks(economy=econ, seed=args.seed, progress=progress_callback(len(_claim_ids()), "checking"))
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
    verdicts = run_checks(economy=econ, seed=args.seed, progress=progress_callback(len(_claim_ids()), "checking"))
    figures = region_figures(verdicts, out, economy=econ, relative=_relative_figure)
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


def _claim_ids():
    from proofs.claims.registry import claim_ids

    return claim_ids()


def _relative_figure(fig_path, tex_path: Path) -> str | None:
    """The figure's path as ``\\includegraphics`` sees it from the .tex directory (None if not includable)."""
    p = Path(fig_path)
    if p.suffix.lower() not in (".png", ".pdf", ".jpg", ".jpeg"):
        return None
    rel = os.path.relpath(p.resolve(), tex_path.resolve().parent)
    return rel.replace(os.sep, "/")


# ----------------------------------------------------------------------------- plot
def run_plot(args) -> int:
    """Handler of ``geo-sym plot``: writes the figure and prints its path."""
    kind = file_kind(args.file)
    fig = _model_figure(args) if kind == "model" else _economy_figure(args)
    path = _save(fig, args.output, args.dpi)
    print(f"wrote {path}")
    return 0


def _economy_figure(args):
    from geo_sym.economy.spec import load_economy
    from geo_sym.render.plots import plot_convergence, plot_eigenvalues

    econ = load_economy(args.file)
    if args.set:
        raise ValidationError("--set", args.set, "no --set for an economy file (use --x/--y for sweeps)")
    if args.kind == "eigenvalues":
        state, where = _economy_point(econ, args.at)
        return plot_eigenvalues(_economy_eigenvalues(econ, state), title=f"{econ.name}: tangent Jacobian {where}")
    if args.kind == "convergence":
        from geo_sym.economy.state import load_state

        start = load_state(econ, args.at) if args.at else None
        return plot_convergence(econ, start=start, n=args.n, lam=args.lam, seed=args.seed)
    if args.kind == "stability":
        return _economy_stability(econ, args)
    if args.kind == "irf":
        from geo_sym.cli.orchestration import economy_irf_figure

        return economy_irf_figure(econ, args.shock, args.periods)
    raise ValidationError("--kind", args.kind, "eigenvalues, convergence, stability or irf for an economy file")


def _replace(econ, name: str, value: float):
    from fractions import Fraction

    exact = Fraction(value).limit_denominator(10**9)
    text = f"{exact.numerator}/{exact.denominator}"
    if name == "gamma":
        pm = econ.price_mechanism
        if pm.kind != "linear":
            raise ValidationError("--x/--y", name, "gamma only for a linear price mechanism (G = gamma I)")
        d = pm.to_dict()
        d.pop("G", None)
        d["gamma"] = text
        return econ.replace(price_mechanism=d)
    return econ.replace(**{name: text})


def _economy_stability(econ, args):
    import numpy as np

    from geo_sym.errors import DegenerateNormalizationError, DomainError, GeoSymError
    from geo_sym.render.plots import plot_stability_map
    from geo_sym.solve.fixed_point import center_state, find_fixed_point

    if not args.x or not args.y:
        raise ValidationError("--x/--y", (args.x, args.y), "both --x NAME=LO:HI[:N] and --y NAME=LO:HI[:N]")
    xname, xs = parse_range(args.x, "--x", 12)
    yname, ys = parse_range(args.y, "--y", 12)
    for nm, opt in ((xname, "--x"), (yname, "--y")):
        if nm not in ECONOMY_PARAMETERS:
            raise ValidationError(opt, nm, "one of " + ", ".join(ECONOMY_PARAMETERS))
    values = np.full((len(ys), len(xs)), np.nan)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            try:
                e = _replace(_replace(econ, xname, xv), yname, yv)
                r = find_fixed_point(e, center_state(e), max_iter=2000)
                if r.success:
                    ev = _economy_eigenvalues(e, r.state)
                    values[i, j] = float(np.max(np.abs(ev))) if len(ev) else 0.0
            except (DegenerateNormalizationError, DomainError):
                continue
            except GeoSymError as exc:
                if isinstance(exc, ValidationError) and exc.field.startswith("parameters"):
                    continue  # outside the parameter domain (e.g. alpha >= 1): left blank
                raise
    return plot_stability_map(
        xs,
        ys,
        values,
        xlabel=xname,
        ylabel=yname,
        boundary=1.0,
        colorbar_label=r"spectral radius $\rho(D\Phi_K(x^*))$",
        title=f"{econ.name}: spectral radius at the steady state (blank: none found)",
    )


def _model_figure(args):
    import numpy as np

    from geo_sym.render.plots import plot_eigenvalues, plot_irfs, plot_stability_map

    model = _load_model(args)
    if args.kind == "irf":
        sol = model.solve()
        if sol.transition is None:
            raise ValidationError(
                "--kind", "irf", f"a determinate model (Blanchard-Kahn status is {sol.bk.status!r}: {sol.bk.message})"
            )
        if args.periods < 1:
            raise ValidationError("--periods", args.periods, "an integer >= 1")
        shocks = [args.shock] if args.shock else list(sol.shocks)
        if not shocks:
            raise ValidationError("--shock", None, "a model with at least one shock")
        irfs = {e: sol.irf(e, args.periods) for e in shocks}
        return plot_irfs(
            irfs if len(irfs) > 1 else irfs[shocks[0]],
            latex_names=_dated_names(sol),
            title=(
                f"{model.name}: impulse responses to a one-std. {shocks[0]} shock"
                if len(irfs) == 1
                else f"{model.name}: impulse responses (one line per shock)"
            ),
        )
    if args.kind == "eigenvalues":
        sol = model.solve()
        return plot_eigenvalues(
            model_eigenvalues(sol),
            tol=sol.bk.tolerance,
            title=f"{model.name}: generalized eigenvalues, BK {sol.bk.status}",
        )
    if args.kind == "stability":
        from geo_sym.errors import SolverError

        if not args.x or not args.y:
            raise ValidationError("--x/--y", (args.x, args.y), "both --x NAME=LO:HI[:N] and --y NAME=LO:HI[:N]")
        xname, xs = parse_range(args.x, "--x", 25)
        yname, ys = parse_range(args.y, "--y", 25)
        for nm, opt in ((xname, "--x"), (yname, "--y")):
            if nm not in model.parameter_names:
                raise ValidationError(opt, nm, "a parameter of the model: " + ", ".join(model.parameter_names))
        values = np.full((len(ys), len(xs)), np.nan)
        for i, yv in enumerate(ys):
            for j, xv in enumerate(xs):
                m = model.with_parameters({xname: float(xv), yname: float(yv)})
                try:
                    values[i, j] = _BK_CODE[m.solve().bk.status]
                except SolverError:
                    continue  # no steady state: left blank
        return plot_stability_map(
            xs,
            ys,
            values,
            xlabel=xname,
            ylabel=yname,
            categories=BK_CODES,
            title=f"{model.name}: Blanchard-Kahn status (blank: no steady state)",
        )
    raise ValidationError("--kind", args.kind, "irf, eigenvalues or stability for a DSGE model file")
