"""``geo-sym irf`` and ``geo-sym stability-map``: the orchestration economy as a DSGE (§7).

Registered on the main parser by :func:`add_orchestration_parsers`; this module prints (it is part of
the command line), the library modules do not.
"""

from __future__ import annotations

import argparse
import json

from geo_sym.cli.options import figure_file, integer, real
from geo_sym.cli.progress import progress_bar
from geo_sym.cli.tables import fit_lines, matrix_table, terminal_width, yes_no

__all__ = ["add_orchestration_parsers", "economy_irf_figure"]

#: Longest impulse response of ``geo-sym irf`` (periods), and finest grid of ``stability-map`` per axis.
MAX_IRF_PERIODS = 100_000
MAX_GRID = 400

_BK_TEXT = """\
Blanchard–Kahn for this map: the orchestration loop x_{t+1} = Φ(x_t, ε_t) (eq. 16) is backward-looking —
it sets every coordinate of the next state (production, prices, routing) from the current one, and no
coordinate is an expectation of the future. Every variable is predetermined (n_forward = 0), so
Blanchard–Kahn is the stability of the predetermined system: 'determinate' (a unique stable solution)
when no root of DΦ(x*) lies outside the unit circle, 'no-stable-solution' when one does (the solution
is explosive). 'indeterminate' cannot occur. Prices are not jump variables: eq. (13) sets them by the map,
p = A_K(y'). Jump variables exist only in a model that writes down expectations x(+1): write such a model
as a DSGE model file and use 'geo-sym dsge'. A modulus within --tol of 1 counts as stable and is reported
as 'boundary' (a continuum of steady states gives one).

Without a stable solution no linear response is printed (none is an equilibrium response); the nonlinear
path of the map from the shocked state is shown instead, labelled as such."""

_IRF_EPILOG = (
    """\
Shock channels: the names declared in the economy's 'shocks' section, or KIND:AGENT with KIND one of
latency (spike +ε r_lat on the agent's coordinates; needs slo read-outs), quality (drop −ε r_qual),
failure (the agent's production scaled by 1 − ε: a capacity cut), and 'load' (all demand scaled by 1 + ε).
Without --shock, every declared channel.

Timing: x_{t+1} = Φ(x_t, ε_t) (eq. 16); the shock hits at period 0 and the response at period t is
x_{t+1} − x* (t = 0 is the impact). Linear responses: each series' exact derivative at the steady state
applied to the linear state path of eq. (17) — they scale exactly with --size. Nonlinear responses: the
map itself iterated from the shocked state. 'gap': their largest difference on each series.

Taylor rule (eq. 18-19): λ1 = max(f1, λ1* + φ_lat (L − L*)), λ2 = max(f2, λ2* + φ_qual (Q* − Q)), with the
floor f from the file's taylor.floor (default 0); 'floor_binding' lists the periods where the nonlinear
path holds a weight at its floor.

"""
    + _BK_TEXT
    + """

JSON: economy, steady_state, steady_state_info, formulation, policy (with --policy taylor), responses (a
list: shock, kind, policy, bk {status, n_unstable, n_forward, n_predetermined, moduli, boundary, tolerance,
message}, spectral_radius, irf (series -> linear deviations, or null), irf_nonlinear, gap, max_gap,
relative_gap, floor_binding, nonlinear_note). With one --shock the response under the chosen policy is
also at the top level (bk, irf, irf_nonlinear, gap, ...), and with --policy taylor the one without the
rule under without_policy.

Examples:
  geo-sym irf examples/economies/orchestration_taylor.yaml --shock spike_w1 --policy taylor --plot irf.png
  geo-sym irf examples/economies/orchestration_taylor.yaml --shock load --periods 60 --json

The file sections (slo, shocks, taylor), the timing, the floor and this Blanchard–Kahn reading:
docs/orchestration.md.
"""
)

_MAP_EPILOG = (
    """\
Grids are START:STOP:NUM (inclusive, NUM points), e.g. 0:20:21. Targets and floor come from the file's
taylor section: targets at the steady state (default) make the rule neutral there, so one steady state
serves the grid; explicit targets give each cell its own steady state under the rule. A cell where an SLO
weight sits at its floor at the steady state is marked (the coefficient then drops out locally).

"""
    + _BK_TEXT.split("\n\nWithout")[0]
    + """

Example:
  geo-sym stability-map examples/economies/orchestration_taylor.yaml --phi-lat 0:20:11 --phi-qual 0:20:11 --plot map.png

More in docs/orchestration.md.
"""
)


def _common(p):
    p.add_argument("economy", metavar="ECONOMY.yaml", help="economy file (with optional shocks/slo/taylor sections)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--tol",
        type=real(0, 1, lo_open=True, hi_open=True, what="tolerance"),
        default=1e-6,
        help="unit-circle tolerance (default 1e-6)",
    )


def add_orchestration_parsers(sub) -> None:
    p = sub.add_parser(
        "irf",
        help="impulse responses of the orchestration economy (linear and nonlinear)",
        description="Steady state, linearization (eq. 17), Blanchard–Kahn and impulse responses of the "
        "orchestration economy to its shock channels, optionally with and without the Taylor-rule SLO "
        "policy of eq. (18)-(19).",
        epilog=_IRF_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p)
    p.add_argument("--shock", metavar="CHANNEL", help="shock channel (see below; default: every declared channel)")
    p.add_argument(
        "--size",
        type=real(nonzero=True, what="impulse size"),
        default=0.01,
        help="size of the impulse at period 0 (default 0.01)",
    )
    p.add_argument(
        "--periods",
        type=integer(1, MAX_IRF_PERIODS, "an integer"),
        default=30,
        metavar="N",
        help="periods 0..N-1 (default 30)",
    )
    p.add_argument(
        "--policy",
        choices=["none", "taylor"],
        default="none",
        help="'taylor': SLO weights follow eq. (18)-(19); the responses without the rule are shown next to them",
    )
    p.add_argument(
        "--phi-lat",
        type=real(what="coefficient"),
        default=None,
        help="φ_lat (default: the file's taylor.phi_lat, else 0)",
    )
    p.add_argument(
        "--phi-qual",
        type=real(what="coefficient"),
        default=None,
        help="φ_qual (default: the file's taylor.phi_qual, else 0)",
    )
    p.add_argument(
        "--plot", metavar="FILE", type=figure_file(), help="write the one-page figure of the responses (PNG, PDF, SVG)"
    )
    p.set_defaults(func=_run_irf)

    s = sub.add_parser(
        "stability-map",
        help="spectral radius and Blanchard–Kahn status over a grid of Taylor-rule coefficients",
        description="For each (φ_lat, φ_qual) on a grid, the spectral radius of the linearized economy under "
        "the Taylor rule and its Blanchard–Kahn status: stable where no root lies outside the unit circle.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_MAP_EPILOG,
    )
    _common(s)
    s.add_argument(
        "--phi-lat", type=_grid, default="0:10:11", metavar="START:STOP:NUM", help="grid of φ_lat (default 0:10:11)"
    )
    s.add_argument(
        "--phi-qual", type=_grid, default="0:10:11", metavar="START:STOP:NUM", help="grid of φ_qual (default 0:10:11)"
    )
    s.add_argument("--plot", metavar="FILE", type=figure_file(), help="write a heat map with the ρ = 1 contour")
    s.set_defaults(func=_run_stability_map)


def _grid(text: str):
    """``START:STOP:NUM`` -> NUM values from START to STOP (an argparse ``type``)."""
    import numpy as np

    expected = f"START:STOP:NUM with finite START, STOP and 1 <= NUM <= {MAX_GRID}, e.g. 0:10:11"
    parts = str(text).split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {text!r}, expected {expected}") from None
    if not 1 <= n <= MAX_GRID or not (np.isfinite(a) and np.isfinite(b)):
        raise argparse.ArgumentTypeError(f"got {text!r}, expected {expected}")
    return np.linspace(a, b, n)


def _response_dict(ir) -> dict:
    def series(d):
        return None if d is None else {k: [float(x) for x in v] for k, v in d.items()}

    return {
        "shock": ir.channel,
        "policy": "taylor" if ir.policy is not None else "none",
        "bk": ir.stability.to_dict(),
        "spectral_radius": ir.stability.spectral_radius,
        "irf": series(ir.linear),
        "irf_nonlinear": series(ir.nonlinear),
        "gap": ir.gap,
        "max_gap": ir.max_gap,
        "relative_gap": ir.relative_gap,
        "floor_binding": {k: list(v) for k, v in ir.floor_binding.items()},
        "floor_at_steady_state": list(ir.floor_at_steady_state),
        "nonlinear_note": ir.nonlinear_note or None,
    }


def _comparison(args, econ):
    from dsge.orchestration.comparison import compare_policies
    from dsge.orchestration.steady import steady_state, taylor_rule
    from geo_sym.errors import ValidationError

    if args.policy == "none" and (args.phi_lat is not None or args.phi_qual is not None):
        raise ValidationError(
            "--phi-lat/--phi-qual", [args.phi_lat, args.phi_qual], "--policy taylor (they are the rule's coefficients)"
        )
    if args.shock is None and not econ.shock_channels:
        raise ValidationError("--shock", None, "a shock channel: the economy file declares none ('shocks' section)")
    rule = taylor_rule(econ, args.phi_lat, args.phi_qual) if args.policy == "taylor" else None
    ss = steady_state(econ)
    with progress_bar(args, "impulse responses", unit="response") as progress:
        cmp = compare_policies(
            econ,
            [args.shock] if args.shock else None,
            rule,
            args.periods,
            args.size,
            policies=("none", "taylor") if rule is not None else ("none",),
            steady=ss,
            tol=args.tol,
            progress=progress,
        )
    return ss, cmp


def _run_irf(args) -> int:
    from geo_sym.economy.spec import load_economy

    econ = load_economy(args.economy)
    ss, cmp = _comparison(args, econ)
    primary = "taylor" if args.policy == "taylor" else "none"
    out: dict = {
        "economy": econ.name,
        "size": args.size,
        "periods": args.periods,
        "steady_state": ss.to_dict()["state"],
        "steady_state_info": {k: v for k, v in ss.to_dict().items() if k != "state"},
        "formulation": "backward-looking: every variable predetermined (n_forward = 0)",
    }
    if cmp.rule is not None:
        out["policy"] = cmp.rule.to_dict()
    kinds = {c.name: c.kind for c in econ.shock_channels}
    out["responses"] = [
        _response_dict(ir) | {"kind": kinds.get(ch, ch.partition(":")[0])} for (ch, _), ir in cmp.responses.items()
    ]
    if len(cmp.channels) == 1:
        ch = cmp.channels[0]
        out["shock"] = ch
        out.update({k: v for k, v in _response_dict(cmp[(ch, primary)]).items() if k not in ("shock", "policy")})
        if primary == "taylor":
            out["without_policy"] = _response_dict(cmp[(ch, "none")])
    if args.plot:
        cmp.plot(path=args.plot)
        out["plot"] = args.plot
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    _print_irf(econ, ss, cmp, args)
    return 0


def _print_irf(econ, ss, cmp, args) -> None:
    isolated = yes_no(ss.isolated, "not determined")
    lines = [
        f"economy {econ.name}: {econ.map_kind} map; impulse size {args.size:g} at period 0",
        f"steady state: residual {ss.residual:.2e}, isolated: {isolated}"
        + ("" if ss.isolated is not False else " (a continuum of steady states)"),
    ]
    if cmp.rule is not None:
        r = cmp.rule
        lines.append(
            f"Taylor rule: φ_lat = {r.phi_lat:g}, φ_qual = {r.phi_qual:g}, targets L* = {r.lat_target:.6g}, "
            f"Q* = {r.qual_target:.6g}, floors ({r.floor_lat:g}, {r.floor_qual:g})"
        )
    lines.append("Blanchard–Kahn: backward-looking map, every variable predetermined (see --help)")
    width = terminal_width()
    for (ch, pol), ir in cmp.responses.items():
        lines += [""] + _response_lines(ch, pol, ir, args.periods, width)
    if args.plot:
        lines += ["", f"plot written to {args.plot}"]
    print(fit_lines(lines, width))


#: Periods of each response shown in the text output (all of them with --json).
SHOWN_PERIODS = 12


def _response_lines(ch, pol, ir, periods: int, width: int) -> list[str]:
    st = ir.stability
    lines = [
        f"== {ch}, {'with the Taylor rule' if pol == 'taylor' else 'without the rule'} ==",
        f"{st.status}: spectral radius {st.spectral_radius:.6g}, {st.n_unstable} root(s) outside the unit circle"
        + (", a root on the unit circle (boundary)" if st.boundary else ""),
    ]
    if ir.linear is not None:
        data = ir.linear
        lines.append(f"linear responses (largest gap to the nonlinear ones {ir.max_gap:.3g})")
    else:
        data = ir.nonlinear
        lines.append("no stable solution: no equilibrium response; the nonlinear path of the map instead")
    for nm in ir.floor_at_steady_state:
        lines.append(f"  {nm} sits at its floor at the steady state: locally constant, its linear response is zero")
    for nm, ts in ir.floor_binding.items():
        if ts:
            lines.append(f"  the floor holds {nm} in periods {', '.join(map(str, ts))} (nonlinear path)")
    if ir.nonlinear_note:
        lines.append(f"  {ir.nonlinear_note}")

    def peak(k):
        return float(abs(data[k]).max()) if len(data[k]) else 0.0

    aggregates = [k for k in ("latency", "quality", "lambda_lat", "lambda_qual") if k in data]
    moving = sorted((k for k in data if k.startswith("w[")), key=lambda k: -peak(k))[:3]
    if not aggregates:  # no SLO read-outs: show the production and price series that move most
        moving += sorted((k for k in data if k.startswith(("y[", "price["))), key=lambda k: -peak(k))[:3]
    keys = aggregates + moving
    n = min(len(data[keys[0]]) if keys else 0, SHOWN_PERIODS)
    cells = [[data[k][t] for k in keys] for t in range(n)]
    title = "deviations from the steady state" + (
        f", periods 0..{n - 1} of 0..{periods - 1} (--json for all)" if periods > n else ""
    )
    lines += matrix_table(title, list(range(n)), keys, cells, width=width, corner="period", digits=5)
    return lines


def economy_irf_figure(econ, shock, periods: int, size: float = 0.01):
    """The one-page response figure for ``geo-sym plot ECONOMY --kind irf`` (with and without the rule)."""
    from dsge.orchestration.comparison import compare_policies
    from geo_sym.errors import ValidationError

    if shock is None and not econ.shock_channels:
        raise ValidationError(
            "--kind", "irf", "an economy with shock channels (a 'shocks' section), or --shock KIND:AGENT"
        )
    if periods < 1:
        raise ValidationError("--periods", periods, "an integer >= 1")
    policies = ("none", "taylor") if econ.slo is not None else ("none",)
    cmp = compare_policies(econ, [shock] if shock else None, None, periods, size, policies=policies)
    return cmp.plot()


def _run_stability_map(args) -> int:
    from dsge.orchestration.stability import stability_map
    from dsge.orchestration.steady import steady_state, taylor_rule
    from geo_sym.economy.spec import load_economy

    econ = load_economy(args.economy)
    gl, gq = args.phi_lat, args.phi_qual
    rule = taylor_rule(econ)
    ss = steady_state(econ)
    with progress_bar(args, "stability map", unit="row") as progress:
        sm = stability_map(econ, gl, gq, steady=ss, tol=args.tol, rule=rule, progress=progress)
    if args.plot:
        sm.plot(path=args.plot)
    if args.json:
        print(json.dumps({"economy": econ.name, **sm.to_dict(), "plot": args.plot}, indent=1))
        return 0
    width = terminal_width()
    cells = []
    for i in range(len(gq)):
        row = []
        for j in range(len(gl)):
            if not sm.found[i, j]:
                row.append("-")
                continue
            mark = "*" if not sm.stable[i, j] else ("~" if sm.boundary[i, j] else "")
            mark = "f" if sm.floor_binds[i, j] and not mark else mark
            row.append(f"{sm.rho[i, j]:.3f}{mark or ' '}")
        cells.append(row)
    lines = [
        f"economy {econ.name}: spectral radius ρ of the linearized map under the Taylor rule "
        "(rows φ_qual, columns φ_lat); * no stable solution (ρ > 1 + tol), ~ boundary, f an SLO weight at its "
        "floor at x*, - no steady state",
        "",
    ]
    lines += matrix_table(
        None, [f"{v:g}" for v in gq], [f"{v:g}" for v in gl], cells, width=width, corner="φ_qual \\ φ_lat"
    )
    lines += ["", f"stable share {sm.stable.mean():.0%}" + (f"; plot written to {args.plot}" if args.plot else "")]
    print(fit_lines(lines, width))
    return 0
