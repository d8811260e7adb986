"""The ``geo-sym plot`` subcommand: a figure of an economy or a DSGE model, made headless.

:func:`add_plot_parser` registers it; :func:`run_plot` returns an exit code and raises
:class:`~geo_sym.errors.GeoSymError` subclasses on bad input for the caller to print on one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo_sym.cli.documents import dated_names, file_kind, model_from_args
from geo_sym.errors import ValidationError

__all__ = ["add_plot_parser", "run_plot", "parse_range", "model_eigenvalues"]

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


def add_plot_parser(subparsers) -> None:
    """Register ``plot`` on an argparse ``subparsers`` object; its default ``func`` is :func:`run_plot`
    (called with the parsed arguments, it returns the exit code)."""
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


def _grid(args, default: int):
    """``(xname, xs, yname, ys)`` from ``--x``/``--y`` (both needed)."""
    if not args.x or not args.y:
        raise ValidationError("--x/--y", (args.x, args.y), "both --x NAME=LO:HI[:N] and --y NAME=LO:HI[:N]")
    xname, xs = parse_range(args.x, "--x", default)
    yname, ys = parse_range(args.y, "--y", default)
    return xname, xs, yname, ys


def _economy_stability(econ, args):
    """The spectral radius at the fixed point over a grid (:func:`geo_sym.render.parameter_maps.spectral_radius_map`)."""
    from geo_sym.render.parameter_maps import MAP_PARAMETERS, spectral_radius_map

    xname, xs, yname, ys = _grid(args, 12)
    for nm, opt in ((xname, "--x"), (yname, "--y")):
        if nm not in MAP_PARAMETERS:
            raise ValidationError(opt, nm, "one of " + ", ".join(MAP_PARAMETERS))
    return spectral_radius_map(econ, xname, xs, yname, ys).plot()


def _model_figure(args):

    from geo_sym.render.plots import plot_eigenvalues, plot_irfs

    model = model_from_args(args)
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
            latex_names=dated_names(sol),
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
    if args.kind == "stability":  # the Blanchard-Kahn status over a grid (dsge.solution.figures.determinacy_map)
        from dsge.solution.figures import determinacy_map

        xname, xs, yname, ys = _grid(args, 25)
        for nm, opt in ((xname, "--x"), (yname, "--y")):
            if nm not in model.parameter_names:
                raise ValidationError(opt, nm, "a parameter of the model: " + ", ".join(model.parameter_names))
        return determinacy_map(model, xname, xs, yname, ys).plot()
    raise ValidationError("--kind", args.kind, "irf, eigenvalues or stability for a DSGE model file")
