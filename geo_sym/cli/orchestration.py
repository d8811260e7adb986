"""``geo-sym irf`` and ``geo-sym stability-map``: the orchestration economy as a DSGE (§7).

Registered on the main parser by :func:`add_orchestration_parsers`; this module prints (it is
part of the command line), the library modules do not.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_orchestration_parsers"]

_IRF_EPILOG = """\
Shock channels: the names declared in the economy's 'shocks' section, or KIND:AGENT with KIND one of
latency (spike +ε r_lat on the agent's coordinates; needs slo read-outs), quality (drop −ε r_qual),
failure (the agent's production scaled by 1 − ε: a capacity cut), and 'load' (all demand scaled by 1 + ε).

Timing: x_{t+1} = Φ(x_t, ε_t) (eq. 16); the shock hits at period 0 and the response at period t is
x_{t+1} − x* (t = 0 is the impact). The linear IRF uses the exact Jacobians at the steady state (eq. 17);
the nonlinear one iterates the map itself; 'gap' is their largest difference over all series.

Blanchard–Kahn: --jumps none (default) treats every coordinate of (y, p, π) as predetermined, which is
what the orchestration loop is (it only looks backwards): the conditions then say 'determinate' when no
root lies outside the unit circle. --jumps prices treats the prices as forward-looking jump variables.

JSON: steady_state (y, p, pi), steady_state_info, bk {status, n_unstable, n_forward, moduli, boundary,
tolerance, jumps}, spectral_radius, irf (series -> deviations, linear), irf_nonlinear, gap, relative_gap,
and with --policy taylor: policy {phi_lat, phi_qual, targets}, irf_without_policy, bk_without_policy.

Example:
  geo-sym irf examples/economies/orchestration_taylor.yaml --shock spike_w1 --policy taylor --plot irf.png
"""


def _common(p):
    p.add_argument("economy", metavar="ECONOMY.yaml", help="economy file (with optional shocks/slo/taylor sections)")
    p.add_argument("--json", action="store_true", help="print JSON")


def add_orchestration_parsers(sub) -> None:
    p = sub.add_parser(
        "irf",
        help="impulse responses of the orchestration economy (linear and nonlinear)",
        description="Steady state, linearization (eq. 17), Blanchard–Kahn and impulse responses of "
        "the orchestration economy to a named shock, optionally under the Taylor-rule "
        "SLO policy of eq. (18)-(19).",
        epilog=_IRF_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p)
    p.add_argument("--shock", required=True, metavar="CHANNEL", help="shock channel (see below)")
    p.add_argument("--size", type=float, default=0.01, help="size of the impulse at period 0 (default 0.01)")
    p.add_argument("--periods", type=int, default=30, metavar="N", help="periods 0..N-1 (default 30)")
    p.add_argument(
        "--policy",
        choices=["none", "taylor"],
        default="none",
        help="'taylor': SLO weights follow eq. (18)-(19); the IRF without the rule is shown next to it",
    )
    p.add_argument("--phi-lat", type=float, default=None, help="φ_lat (default: the file's taylor.phi_lat, else 0)")
    p.add_argument("--phi-qual", type=float, default=None, help="φ_qual (default: the file's taylor.phi_qual, else 0)")
    p.add_argument(
        "--jumps",
        choices=["none", "prices"],
        default="none",
        help="jump variables for Blanchard–Kahn (default none: all predetermined)",
    )
    p.add_argument("--tol", type=float, default=1e-6, help="unit-circle tolerance (default 1e-6)")
    p.add_argument("--plot", metavar="FILE", help="write a PNG grid of the responses")
    p.set_defaults(func=_run_irf)

    s = sub.add_parser(
        "stability-map",
        help="spectral radius over a grid of Taylor-rule coefficients",
        description="For each (φ_lat, φ_qual) on a grid, the spectral radius of the linearized "
        "economy under the Taylor rule (targets at the steady state, so the steady state "
        "is the same for every pair): stable where ρ < 1.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Grids are START:STOP:NUM (inclusive, NUM points), e.g. 0:20:21.\n\nExample:\n"
        "  geo-sym stability-map examples/economies/orchestration_taylor.yaml "
        "--phi-lat 0:20:11 --phi-qual 0:20:11 --plot map.png",
    )
    _common(s)
    s.add_argument("--phi-lat", default="0:10:11", metavar="START:STOP:NUM", help="grid of φ_lat (default 0:10:11)")
    s.add_argument("--phi-qual", default="0:10:11", metavar="START:STOP:NUM", help="grid of φ_qual (default 0:10:11)")
    s.add_argument("--tol", type=float, default=1e-6, help="unit-circle tolerance (default 1e-6)")
    s.add_argument("--plot", metavar="FILE", help="write a PNG heat map with the ρ = 1 contour")
    s.set_defaults(func=_run_stability_map)


def _grid(text: str, field: str):
    import numpy as np

    from geo_sym.errors import ValidationError

    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        a, b, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise ValidationError(field, text, "START:STOP:NUM, e.g. 0:10:11") from None
    if n < 1 or n > 400 or not (np.isfinite(a) and np.isfinite(b)):
        raise ValidationError(field, text, "finite bounds and 1 <= NUM <= 400")
    return np.linspace(a, b, n)


def _bk_dict(bk, jumps):
    d = bk.to_dict()
    d["jumps"] = jumps
    return d


def _run_irf(args) -> int:
    import numpy as np

    from dsge.orchestration.core import (
        impulse_response,
        linearize,
        shock_channel,
        spectral_radius,
        steady_state,
        taylor_rule,
    )
    from geo_sym.economy.spec import load_economy
    from geo_sym.errors import ValidationError

    if args.periods < 1 or args.periods > 100000:
        raise ValidationError("--periods", args.periods, "a number of periods in 1..100000")
    if not np.isfinite(args.size) or args.size == 0:
        raise ValidationError("--size", args.size, "a finite non-zero impulse size")
    econ = load_economy(args.economy)
    ch = shock_channel(econ, args.shock)
    ss = steady_state(econ)
    out = {
        "economy": econ.name,
        "shock": ch.name,
        "kind": ch.kind,
        "size": args.size,
        "periods": args.periods,
        "steady_state": {"y": ss.state.y.tolist(), "p": ss.state.p.tolist(), "pi": ss.state.pi.tolist()},
        "steady_state_info": {k: v for k, v in ss.to_dict().items() if k != "state"},
    }
    lin0 = linearize(econ, ss, [ch])
    ir0 = impulse_response(econ, ch, args.periods, args.size, steady=ss, lin=lin0)
    bk0 = lin0.blanchard_kahn(args.jumps, args.tol)
    if args.policy == "taylor":
        pol = taylor_rule(econ, ss.state, args.phi_lat, args.phi_qual)
        lin = linearize(econ, ss, [ch], pol)
        ir = impulse_response(econ, ch, args.periods, args.size, policy=pol, steady=ss, lin=lin)
        bk = lin.blanchard_kahn(args.jumps, args.tol)
        out["policy"] = {
            "phi_lat": pol.phi_lat,
            "phi_qual": pol.phi_qual,
            "targets": {"latency": pol.lat_target, "quality": pol.qual_target},
        }
        out["irf_without_policy"] = {k: v.tolist() for k, v in ir0.linear.items()}
        out["bk_without_policy"] = _bk_dict(bk0, args.jumps)
        sr = spectral_radius(econ, ss, pol, tol=args.tol)
    else:
        pol, lin, ir, bk = None, lin0, ir0, bk0
        sr = spectral_radius(econ, ss, tol=args.tol)
    out["bk"] = _bk_dict(bk, args.jumps)
    out["spectral_radius"] = sr.to_dict()
    out["irf"] = {k: v.tolist() for k, v in ir.linear.items()}
    out["irf_nonlinear"] = {k: v.tolist() for k, v in ir.nonlinear.items()}
    out["gap"], out["relative_gap"] = ir.gap, ir.relative_gap
    if args.plot:
        ir.plot(other=ir0 if pol is not None else None, path=args.plot)
        out["plot"] = args.plot
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"economy {econ.name}: {econ.map_kind} map; shock {ch.name} ({ch.kind}), size {args.size:g}")
    print(
        f"steady state: residual {ss.residual:.2e}, isolated: {ss.isolated}"
        + ("" if ss.isolated is not False else "  (a continuum of steady states!)")
    )
    if pol is not None:
        print(
            f"Taylor rule: φ_lat = {pol.phi_lat:g}, φ_qual = {pol.phi_qual:g}, targets L* = {pol.lat_target:.6g}, "
            f"Q* = {pol.qual_target:.6g}"
        )
        print(f"without the rule: Blanchard–Kahn {bk0.status}, ρ = {max(bk0.moduli, default=0):.6g}")
    print(
        f"Blanchard–Kahn (jumps: {args.jumps}): {bk.status}; n_unstable {bk.n_unstable}, n_forward {bk.n_forward}, "
        f"boundary {bk.boundary}; spectral radius {sr.spectral_radius:.6g}"
    )
    print(f"linear vs nonlinear: max gap {ir.gap:.3g} (relative to the impulse: {ir.relative_gap:.3g})\n")
    keys = [k for k in ("latency", "quality", "lambda_lat", "lambda_qual") if k in ir.linear] + [
        k for k in ir.linear if k.startswith("w[")
    ][:4]
    print("period " + " ".join(f"{k:>13}" for k in keys))
    for t in range(min(args.periods, 12)):
        print(f"{t:>6} " + " ".join(f"{ir.linear[k][t]:>13.5g}" for k in keys))
    if args.periods > 12:
        print(f"   ... ({args.periods} periods; --json for all series)")
    if args.plot:
        print(f"\nplot written to {args.plot}")
    return 0


def _run_stability_map(args) -> int:
    from dsge.orchestration.core import stability_map, steady_state
    from geo_sym.economy.spec import load_economy

    econ = load_economy(args.economy)
    gl, gq = _grid(args.phi_lat, "--phi-lat"), _grid(args.phi_qual, "--phi-qual")
    ss = steady_state(econ)

    def progress(i, n):
        if not args.json and sys.stderr.isatty():
            print(f"row {i}/{n}", file=sys.stderr, end="\r", flush=True)

    sm = stability_map(econ, gl, gq, steady=ss, tol=args.tol, progress=progress)
    if args.plot:
        sm.plot(path=args.plot)
    if args.json:
        print(json.dumps({"economy": econ.name, **sm.to_dict(), "plot": args.plot}, indent=1))
        return 0
    print(f"economy {econ.name}: spectral radius under the Taylor rule (rows φ_qual, columns φ_lat); * = unstable\n")
    print("φ_qual\\φ_lat " + " ".join(f"{x:>7.3g}" for x in gl))
    for i, fq in enumerate(gq):
        print(f"{fq:>12.4g} " + " ".join(f"{r:>6.3f}{'*' if r >= 1 - sm.tol else ' '}" for r in sm.rho[i]))
    print(f"\nstable share {sm.stable.mean():.0%}" + (f"; plot written to {args.plot}" if args.plot else ""))
    return 0
