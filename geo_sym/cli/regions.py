"""The ``determinacy`` and ``region`` subcommands of ``geo-sym``: exact parameter regions.

:func:`add_region_parsers` registers both; each handler returns an exit code and is the only
place here that prints. Bad input raises a :class:`~geo_sym.errors.GeoSymError` naming the option
for :func:`geo_sym.cli.main.main` to print on one line (exit code 2).
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_region_parsers", "parse_param_specs"]

_COMMON_EPILOG = """\
How it is exact: the characteristic polynomial (a Jacobian's, or det(A - mu*B) of the Blanchard-Kahn
pencil) is factored over Q(params); the signs of a few polynomials per factor (Schur-Cohn matrix read
by Descartes' rule, values at +-1) decide where its roots lie at every parameter point; a cylindrical
decomposition of the parameter line or plane lists every sign condition they realize, and each
region is the shortest union found of conjunctions that holds on exactly its sign conditions
(a condition is left out only when the others imply it). Before anything is printed the class of
every full-dimensional cell is recomputed by exact root location, and the inequalities are evaluated
exactly at seeded random points and compared with a floating-point classification; a disagreement is
an error, never an answer.

Every inequality is "<expr> > 0" or "<expr> >= 0" in the model-file expression grammar ("p = 0" is
written as the pair "p >= 0", "-p >= 0"); a region is a list of alternatives (or), each a list of
inequalities (and). Regions are exact within the domain (the bounds, where the model is defined).

--params NAME takes the whole real line (within the parameter's own domain); NAME=LO:HI bounds it
(closed; either end may be empty, e.g. phi_pi=0: for phi_pi >= 0). At most two names.
"""

_DETERMINACY_EPILOG = (
    _COMMON_EPILOG
    + """
JSON: {"params", "fixed" (name -> exact value of the parameters held fixed), "domain",
"regions": {"determinate", "indeterminate", "no-stable-solution"}, "boundary", "excluded",
"polynomial" (det(A - mu*B), mu = 1/lambda, factored), "factors", "static_eliminated",
"n_forward", "n_predetermined", "steady_state", "check", "notes"}.

Example:
  # the Taylor principle of the 3-equation New Keynesian model
  geo-sym determinacy examples/models/nk3.yaml --params phi_pi=0: phi_y=0: --json
"""
)

_REGION_EPILOG = (
    _COMMON_EPILOG
    + """
Parameters: alpha (0 < alpha < 1), beta (tatonnement step, > 0), tau (> 0), gamma (the gamma of a
linear price mechanism G = gamma*I) and the Taylor coefficients phi_lat, phi_qual (eq. (18)-(19)).
The fixed point is found at the file's values; "fixed_point.mode" says whether it was held exact
(Phi(x*) = x* identically in the parameters), tracked exactly (x*(params) rational in them) or held
fixed (then the regions describe the Jacobian at the file's fixed point only; see "notes").

JSON: {"params", "fixed", "domain", "regions": {"stable", "unstable"}, "boundary", "excluded",
"polynomial" (characteristic polynomial of the tangent Jacobian, factored), "fixed_point", "check",
"notes"}.

Example:
  # the 3-layer economy of Example 6.3 in alpha and tau
  geo-sym region examples/economies/example_6_3.yaml --params alpha tau --json
"""
)


def parse_param_specs(items) -> tuple[list, dict]:
    """``NAME`` or ``NAME=LO:HI`` items -> (names, bounds) with exact bounds (``None`` for open ends)."""
    from geo_sym.economy.numbers import parse_number
    from geo_sym.errors import ValidationError

    names, bounds = [], {}
    for item in items:
        name, sep, rng = str(item).partition("=")
        name = name.strip()
        if not name.isidentifier():
            raise ValidationError("--params", item, "NAME or NAME=LO:HI with NAME a parameter name")
        if name in names:
            raise ValidationError("--params", item, "each parameter named once")
        names.append(name)
        if not sep:
            continue
        lo, colon, hi = rng.partition(":")
        if not colon:
            raise ValidationError("--params", item, "NAME=LO:HI (a colon between the bounds; either may be empty)")
        lo_v = parse_number(lo.strip(), f"--params {name} (lower bound)") if lo.strip() else None
        hi_v = parse_number(hi.strip(), f"--params {name} (upper bound)") if hi.strip() else None
        if lo_v is not None and hi_v is not None and lo_v >= hi_v:
            raise ValidationError("--params", item, "a lower bound smaller than the upper bound")
        bounds[name] = (lo_v, hi_v)
    return names, bounds


def _common_options(p) -> None:
    p.add_argument(
        "--params",
        nargs="+",
        required=True,
        metavar="NAME[=LO:HI]",
        help="one or two parameters to vary, optionally bounded (closed interval, ends may be empty)",
    )
    from geo_sym.cli.options import figure_file, integer, output_file, seed

    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--plot",
        metavar="FILE",
        type=figure_file(),
        help="write a figure: numeric classes on a grid, exact boundary on top",
    )
    p.add_argument(
        "--latex",
        metavar="FILE",
        type=output_file(".tex", what="a LaTeX file"),
        help="write a compilable LaTeX document of the regions",
    )
    p.add_argument("--pdf", action="store_true", help="compile the --latex document with pdflatex")
    p.add_argument(
        "--points",
        type=integer(1, 100_000, "a number of check points"),
        default=200,
        metavar="N",
        help="random points of the numeric check (200)",
    )
    p.add_argument("--seed", type=seed, default=0, help="seed of the numeric check (0)")
    p.add_argument(
        "--grid",
        type=integer(2, 2_000, "grid points per axis"),
        default=61,
        metavar="N",
        help="grid points per axis of --plot (61)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")


def add_region_parsers(subparsers) -> None:
    """Register ``determinacy`` and ``region`` on an argparse ``subparsers`` object."""
    d = subparsers.add_parser(
        "determinacy",
        help="exact Blanchard-Kahn determinacy regions of a DSGE model in one or two parameters",
        description="Exact determinacy regions of a Dynare-style model file: where the model is determinate, "
        "indeterminate or has no stable solution, as unions of polynomial inequalities in the parameters, "
        "with the boundary (a root on the unit circle) as its own set.",
        epilog=_DETERMINACY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    d.add_argument("model", metavar="MODEL.yaml|MODEL.mod", help="Dynare-style model file")
    d.add_argument(
        "--set",
        dest="set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change a parameter (repeatable): a fixed one's value, or a free one's window centre",
    )
    _common_options(d)
    d.set_defaults(func=run_determinacy)

    r = subparsers.add_parser(
        "region",
        help="exact stability regions of an orchestration map in one or two parameters",
        description="Exact stability regions of the economy's map (eq. (10)-(13), with the Taylor rule of "
        "eq. (18)-(19) when the file has one): where every eigenvalue of the tangent Jacobian at the fixed "
        "point lies inside the unit circle, as unions of polynomial inequalities in the parameters.",
        epilog=_REGION_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("economy", metavar="ECONOMY.yaml", help="economy file")
    r.add_argument(
        "--policy",
        choices=("taylor", "none"),
        default=None,
        help="with or without the Taylor rule (default: with it when the file has a taylor section)",
    )
    _common_options(r)
    r.set_defaults(func=run_region)


class _Progress:
    """The engine's ``progress(stage, done, total)`` as a tqdm bar on stderr (one bar per stage)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.stage = None

    def __call__(self, stage, done, total):
        if not self.enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is optional: no bar
            self.enabled = False
            return

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, file=sys.stderr, leave=False)
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _check_args(args):
    from geo_sym.errors import ValidationError

    if args.pdf and not args.latex:
        raise ValidationError("--pdf", True, "--latex FILE.tex as well (the document to compile)")
    if args.points < 1:
        raise ValidationError("--points", args.points, "an integer >= 1")
    if args.grid < 2:
        raise ValidationError("--grid", args.grid, "an integer >= 2")


def run_determinacy(args) -> int:
    """``geo-sym determinacy``: exact determinacy regions of a model file."""
    from dsge.model.model_file import parse_overrides
    from dsge.solution.determinacy import determinacy_region

    _check_args(args)
    names, bounds = parse_param_specs(args.params)
    progress = _Progress(not (args.json or args.quiet) and sys.stderr.isatty())
    try:
        result = determinacy_region(
            args.model,
            names,
            overrides=parse_overrides(args.set),
            bounds=bounds,
            check_points=args.points,
            seed=args.seed,
            progress=progress,
        )
    finally:
        progress.close()
    return _emit(result, args)


def run_region(args) -> int:
    """``geo-sym region``: exact stability regions of an economy's map."""
    from geo_sym.economy.spec import load_economy
    from geo_sym.rigorous.economy_region import economy_region

    _check_args(args)
    names, bounds = parse_param_specs(args.params)
    econ = load_economy(args.economy)
    progress = _Progress(not (args.json or args.quiet) and sys.stderr.isatty())
    try:
        result = economy_region(
            econ,
            names,
            bounds=bounds,
            policy=None if args.policy is None else args.policy == "taylor",
            check_points=args.points,
            seed=args.seed,
            progress=progress,
        )
    finally:
        progress.close()
    return _emit(result, args)


def _emit(result, args) -> int:
    out = result.to_dict()
    if args.plot:
        result.plot(args.plot, grid=args.grid)
        out["plot"] = args.plot
    if args.latex:
        from pathlib import Path

        from geo_sym.render.regions import regions_document

        figure = None
        if args.plot and Path(args.plot).suffix.lower() in (".pdf", ".png", ".jpg", ".jpeg"):  # what pdflatex includes
            figure = str(Path(args.plot).resolve())
        Path(args.latex).write_text(regions_document(result, figure=figure))
        out["latex"] = args.latex
        if args.pdf:
            from geo_sym.cli.documents import compile_pdf

            out["pdf"] = str(compile_pdf(args.latex))
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        print(_summary(result, out))
    return 0


def _alts(alts) -> list[str]:
    if not alts:
        return ["    (empty)"]
    lines = []
    for k, term in enumerate(alts):
        lead = "    " if k == 0 else "  or"
        lines.append(f"{lead} " + (" and ".join(str(q) for q in term) if term else "(the whole domain)"))
    return lines


def _boundary_points(result) -> list[float]:
    """For one parameter: the boundary's isolated points as decimals (the roots of its equalities that
    satisfy the rest of their alternative), to read long exact coefficients at a glance."""
    import numpy as np
    import sympy as sp

    if len(result.params) != 1:
        return []
    (s,) = result.symbols
    out = []
    for term in result.boundary:
        exprs = [sp.expand(q.expr) for q in term]
        eqs = {e for e in exprs if sp.expand(-e) in exprs}
        for e in eqs:
            if sp.Poly(e, s).degree() < 1:
                continue
            for r in np.roots([float(c) for c in sp.Poly(e, s).all_coeffs()]):
                if abs(r.imag) < 1e-12 and all(
                    float(q.expr.subs(s, r.real)) >= -1e-9 * (1 + abs(r.real)) for q in term if q.expr not in eqs
                ):
                    out.append(float(r.real))
    return sorted(set(round(v, 12) for v in out))


def _summary(result, out) -> str:
    fixed = ", ".join(f"{k} = {v}" for k, v in result.fixed.items())
    head = f"{result.kind} regions in {', '.join(result.params)}"
    name = out.get("model") or out.get("economy")
    lines = [(f"{name}: " if name else "") + head + (f" ({fixed} held fixed)" if fixed else "")]
    if result.domain:
        lines.append("domain: " + ", ".join(str(q) for q in result.domain))
    for label in result.labels:
        lines.append(f"{label}:")
        lines.extend(_alts(result.regions[label]))
    lines.append("boundary (a root on the unit circle):")
    lines.extend(_alts(result.boundary))
    points = _boundary_points(result)
    if points:
        lines.append("  boundary points (decimal approximations): " + ", ".join(f"{v:.10g}" for v in points))
    if result.excluded:
        lines.append("excluded (undefined):")
        lines.extend(_alts(result.excluded))
    lines.append(f"polynomial in {result.variable}: {out['polynomial']}")
    if "fixed_point" in out:
        lines.append(f"fixed point: {out['fixed_point']['mode']}")
    for note in result.notes:
        lines.append(f"note: {note}")
    c = result.check
    lines.append(
        f"check: {c.points} random points (seed {c.seed}): {c.agreed} agree with the numeric classification, "
        f"{c.skipped} too close to the boundary or outside the domain"
    )
    for key in ("plot", "latex", "pdf"):
        if key in out:
            lines.append(f"{key} written to {out[key]}")
    return "\n".join(lines)
