"""The ``certify`` and ``fixed-points`` subcommands of ``geo-sym`` (rigorous certificates).

:func:`add_certify_parsers` registers both on the ``geo-sym`` subparsers; each handler
returns an exit code and is the only place here that prints. Errors on bad input are
raised as :class:`~geo_sym.errors.GeoSymError` subclasses (naming the option or field)
for :func:`geo_sym.cli.main` to print on one line.
"""

from __future__ import annotations

import argparse
import json

from geo_sym.cli.options import integer, real, seed
from geo_sym.cli.progress import progress_bar
from geo_sym.cli.tables import fit_lines, matrix_table, terminal_width, yes_no

__all__ = ["add_certify_parsers"]

#: Largest box budget accepted on the command line (each box costs an interval evaluation of the map).
MAX_BOXES = 10_000_000

_CERTIFY_EPILOG = """\
What is proved (python-flint / Arb ball arithmetic, outward rounding; no floating-point decision):
  Fixed points are the zeros of F(u) = T⁺Φ(Tu + e) - u in tangent coordinates u: the last
  coordinate of each simplex block (tatonnement prices, routing π) is dropped and rebuilt as
  1 - Σ(others). The tested box is the cube of half-width R around the state in these coordinates.
  Krawczyk: K(X) = x̃ - C F(x̃) + (I - C S(X))(X - x̃), S(X) an interval slope matrix of F over X
  (kinks of max(0, .) and of the projection enter with slope range [0, 1]). K(X) ⊂ int X proves
  exactly one fixed point in X; K(X) ∩ X = ∅ proves none. A non-finite enclosure or a division by
  a ball containing 0 (normalize(0) possible) leaves the answer undecided, never "yes".

JSON output (--at):
  exists       true (proved), false (proved there is none in the box), null (undecided)
  unique       true (exactly one fixed point in the box), false (none), null (undecided)
  enclosure    a box containing the fixed point: [lo, hi] per state coordinate, in the flat state
               order (y agent-major, p likewise, π in path order; see "labels"); null unless exists
  box          the tested box, same coordinates; center: the Krawczyk point (state-file format)
  contraction_bound   upper bound of ||I - C S(X)||_inf; message: what was decided and why

With --contraction: a certificate that Φ is a contraction (the hypothesis of Theorem 6.1) on the
whole state space, or on the box of half-width R around --at: the region is subdivided and on each
box the interval slope matrix S is bounded in the weighted max-norm ||u||_w = max_i |u_i|/w_i of
tangent coordinates (operator norm max_i Σ_j |s_ij| w_j/w_i). JSON: success, constant (the proved
Lipschitz bound), norm, weights, boxes_checked, failed_boxes (where the bound is not below 1),
invariant, unique_fixed_point.

Exit code: 0 when the certificate was obtained (exactly one fixed point; or contraction proved),
1 when it was not (undecided, or no fixed point in the box), 2 on bad input.

Interval arithmetic: python-flint (Arb), installed with geo-sym.

Examples:
  geo-sym certify examples/economies/two_by_two.yaml --at examples/economies/two_by_two_state.json --json
  geo-sym certify examples/economies/example_6_3.yaml --at examples/economies/example_6_3_fixed_point.json --radius 1e-8
  geo-sym certify examples/economies/example_6_3.yaml --at examples/economies/example_6_3_fixed_point.json --contraction
"""

_FIXED_POINTS_EPILOG = """\
Without --all: fixed points found numerically from seeded starts (Newton in tangent coordinates),
each then tested by the Krawczyk operator (certified: true when exactly one fixed point is proved
in a small box around it). Not exhaustive: complete is always false.

With --all: a rigorous branch-and-prune search over the whole state space (production sets, price
and routing simplices; for a linear price mechanism the range of G y + b). Boxes are excluded
(X ∩ Φ(X) = ∅, K(X) ∩ X = ∅, a simplex coordinate < 0), contracted, certified by Krawczyk, or
bisected, within the box budget (--max-boxes) and time limit. complete is true only when every box
was excluded or lies in a box where a fixed point was proved unique. A continuum of fixed points
(e.g. tatonnement with market-clearing fixed points: prices are then indeterminate, eigenvalue 1)
cannot be split into isolated points: the budget runs out, complete stays false, and "continuum"
reports the numeric evidence. Exhaustive search is limited to economies with at most 12 tangent
coordinates (2AK + |P| minus one per simplex block).

JSON output:
  fixed_points   list of {state (state-file format), enclosure ([lo, hi] per state coordinate, flat
                 state order), certified, unique_in (box where uniqueness is proved), residual}
                 (with --all, uncertified entries are float fixed points inside unresolved boxes,
                 and their enclosure is that box)
  complete       true only when a rigorous search proved there are no other fixed points
  unresolved     {count, boxes (the first ones), hull}; continuum: {suspected, evidence, ...}
  boxes_processed, max_boxes, labels, method, message

Exit code: 0 when the search ran (whatever it found), 2 on bad input.

Examples:
  geo-sym fixed-points examples/economies/three_equilibria.yaml
  geo-sym fixed-points examples/economies/three_equilibria.yaml --all --json
  geo-sym fixed-points examples/economies/two_by_two.yaml --all --max-boxes 50000 --time-limit 60
"""


def add_certify_parsers(subparsers) -> None:
    """Register the ``certify`` and ``fixed-points`` subcommands on ``geo-sym``'s subparsers."""
    _add_certify_parser(subparsers)
    _add_fixed_points_parser(subparsers)


def _add_certify_parser(subparsers) -> None:
    """``geo-sym certify``: Krawczyk test of a fixed point near a state, or a contraction certificate."""
    c = subparsers.add_parser(
        "certify",
        help="rigorous existence/uniqueness test of a fixed point near a state (Krawczyk), "
        "or a contraction certificate",
        description="Prove with interval arithmetic that exactly one fixed point of the economy's map lies in a "
        "box around a state (Krawczyk operator), or that there is none; with --contraction, prove "
        "that the map is a contraction on the state space or on a box.",
        epilog=_CERTIFY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("economy", metavar="ECONOMY.yaml", help="economy file (format in the README)")
    c.add_argument(
        "--at",
        metavar="STATE.json",
        help='state file {"y": [[..] per agent], "p": [[..] per agent], "pi": [.. per path]}, close to '
        "a fixed point (e.g. a state printed by 'geo-sym fixed-points')",
    )
    c.add_argument(
        "--radius",
        type=real(0, lo_open=True, what="half-width"),
        default=None,
        metavar="R",
        help="half-width of the tested box in tangent coordinates (default 1e-6; with --contraction and --at, 1e-3)",
    )
    c.add_argument(
        "--contraction",
        action="store_true",
        help="certify that Φ is a contraction (Theorem 6.1's hypothesis) on the whole state space, or on "
        "the box of half-width --radius around --at",
    )
    c.add_argument(
        "--norm",
        choices=("weighted", "inf"),
        default="weighted",
        help="with --contraction: 'inf' = max-norm of tangent coordinates; 'weighted' (default) = "
        "max_i |u_i|/w_i, w the Perron vector of the entrywise maximum of |S| over a first "
        "subdivision of the region (one w for every box)",
    )
    c.add_argument(
        "--max-boxes",
        type=integer(1, MAX_BOXES, "an integer"),
        default=4000,
        metavar="N",
        help="with --contraction: box budget of the subdivision (default 4000)",
    )
    c.add_argument("--json", action="store_true", help="print JSON")
    c.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    c.set_defaults(func=_run_certify)


def _add_fixed_points_parser(subparsers) -> None:
    """``geo-sym fixed-points``: numeric fixed points certified one by one, or all of them (``--all``)."""
    f = subparsers.add_parser(
        "fixed-points",
        help="fixed points of the map: numeric and Krawczyk-certified, or all of them (--all)",
        description="Fixed points of the economy's map (equilibria, Theorem 4.4; steady states, §7). By default a "
        "seeded numeric search whose results are certified one by one; with --all a rigorous "
        "branch-and-prune search that finds every fixed point in the state space.",
        epilog=_FIXED_POINTS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    f.add_argument("economy", metavar="ECONOMY.yaml", help="economy file (format in the README)")
    f.add_argument(
        "--all",
        action="store_true",
        help="rigorous exhaustive search (needs python-flint; at most 12 tangent coordinates)",
    )
    f.add_argument(
        "--max-boxes",
        type=integer(1, MAX_BOXES, "an integer"),
        default=20000,
        metavar="N",
        help="with --all: box budget (default 20000); when it runs out complete is false",
    )
    f.add_argument(
        "--time-limit",
        type=real(0, lo_open=True, what="number of seconds"),
        default=None,
        metavar="SECONDS",
        help="with --all: stop after this many seconds (complete is then false)",
    )
    f.add_argument(
        "--starts",
        type=integer(0, 10_000, "an integer"),
        default=8,
        metavar="N",
        help="without --all: number of seeded random starts besides the centre (default 8)",
    )
    f.add_argument("--seed", type=seed, default=0, help="without --all: seed of the random starts (default 0)")
    f.add_argument("--json", action="store_true", help="print JSON")
    f.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    f.set_defaults(func=_run_fixed_points)


# --------------------------------------------------------------------------------- certify
def _header(econ, m) -> dict:
    return {
        "economy": econ.name,
        "map": econ.map_kind,
        "price_mechanism": econ.price_mechanism.kind,
        "tangent_dimension": m,
    }


def _run_certify(args) -> int:
    from geo_sym.economy.spec import load_economy
    from geo_sym.economy.state import load_state
    from geo_sym.errors import ValidationError
    from geo_sym.rigorous.arb import require_flint
    from geo_sym.rigorous.contraction import contraction_certificate
    from geo_sym.rigorous.interval import interval_map
    from geo_sym.rigorous.krawczyk import certify_fixed_point

    if not args.contraction and args.at is None:
        raise ValidationError("--at", None, "a state file (STATE.json) to test around, or --contraction")
    require_flint()
    econ = load_economy(args.economy)
    state = load_state(econ, args.at) if args.at is not None else None
    m = interval_map(econ).m
    if args.contraction:
        with progress_bar(args, "contraction certificate", unit="box") as progress:
            res = contraction_certificate(
                econ, center=state, radius=args.radius, norm=args.norm, max_boxes=args.max_boxes, progress=progress
            )
        out = _header(econ, m) | {"mode": "contraction"} | res.to_dict()
        if args.json:
            print(json.dumps(out, indent=1))
        else:
            _print_contraction(out, state is not None)
        return 0 if res.success else 1
    radius = 1e-6 if args.radius is None else args.radius
    res = certify_fixed_point(econ, state, radius)
    out = _header(econ, m) | {"mode": "krawczyk", "state_file": args.at} | res.to_dict()
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        _print_krawczyk(out)
    return 0 if res.success else 1


def _decided(v) -> str:
    return "yes (proved)" if v is True else "no (proved)" if v is False else "undecided"


def _box_table(labels, box, values=None, width: int = 100) -> list[str]:
    """Coordinates with their interval bounds, printed as the floats themselves (never rounded)."""
    headers = (["value"] if values is not None else []) + ["lower bound", "upper bound"]
    cells = [([values[k]] if values is not None else []) + [lo, hi] for k, (lo, hi) in enumerate(box)]
    rows = [labels[k] if k < len(labels) else str(k) for k in range(len(box))]
    return matrix_table(None, rows, headers, cells, width=width, corner="coordinate", digits=None, threshold=0.0)


def _print_krawczyk(out) -> None:
    width = terminal_width()
    lines = [
        f"economy {out['economy']}: {out['map']} map, {out['price_mechanism']} prices, "
        f"tangent dimension {out['tangent_dimension']}",
        f"Krawczyk test on the box of half-width {out['radius']:g} (tangent coordinates) around {out['state_file']}",
        f"  exists: {_decided(out['exists'])}",
        "  unique: "
        + ("yes (proved)" if out["unique"] else "no fixed point in the box" if out["unique"] is False else "undecided"),
    ]
    if out["contraction_bound"] is not None:
        lines.append(f"  ||I - C S(X)||_inf <= {out['contraction_bound']:.6g}")
    lines.append(f"  {out['message']}")
    if out["enclosure"]:
        w = max(hi - lo for lo, hi in out["enclosure"])
        lines += ["", f"enclosure of the fixed point (largest width {w:.3g}):"]
        lines += _box_table(out["labels"], out["enclosure"], width=width)
    print(fit_lines(lines, width))


def _print_contraction(out, local: bool) -> None:
    width = terminal_width()
    where = "a box around the state" if local else "the whole state space"
    lines = [
        f"economy {out['economy']}: {out['map']} map, {out['price_mechanism']} prices, "
        f"tangent dimension {out['tangent_dimension']}",
        f"contraction certificate on {where}: {'proved' if out['success'] else 'not proved'}",
        f"  norm: {out['norm']}",
    ]
    if out["constant"] is not None:
        lines.append(
            f"  Lipschitz bound {'on the region' if out['success'] else 'on the boxes that passed'}: "
            f"{out['constant']:.6g}"
        )
    lines += [f"  boxes checked: {out['boxes_checked']}, failed: {out['n_failed']}", f"  {out['message']}"]
    shown = out["failed_boxes"][:3]
    for fb in shown:
        lines.append(f"  failed box ({fb['reason']}):")
        lines += ["    " + ln for ln in _box_table(out["tangent_labels"], fb["box"], width=width - 4)]
    if out["n_failed"] > len(shown):
        lines.append(f"  ... {out['n_failed'] - len(shown)} more (--json lists up to {len(out['failed_boxes'])})")
    print(fit_lines(lines, width))


# --------------------------------------------------------------------------------- fixed-points
def _run_fixed_points(args) -> int:
    from geo_sym.economy.spec import load_economy
    from geo_sym.rigorous.fixed_points import certify_fixed_points, find_all_fixed_points

    econ = load_economy(args.economy)
    if args.all:
        with progress_bar(args, "branch and prune", unit="box") as progress:
            res = find_all_fixed_points(econ, max_boxes=args.max_boxes, time_limit=args.time_limit, progress=progress)
    else:
        with progress_bar(args, "fixed-point search", unit="start") as progress:
            res = certify_fixed_points(econ, n_starts=args.starts, seed=args.seed, progress=progress)
    out = {"economy": econ.name, "map": econ.map_kind, "price_mechanism": econ.price_mechanism.kind} | res.to_dict()
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    _print_fixed_points(out)
    return 0


def _print_fixed_points(out) -> None:
    width = terminal_width()
    lines = [
        f"economy {out['economy']}: {out['map']} map, {out['price_mechanism']} prices",
        ("exhaustive search (branch and prune): " if out["exhaustive"] else "numeric search: ")
        + f"{out['n_certified']} certified fixed point(s), complete: {yes_no(out['complete'])}",
        out["message"],
    ]
    labels = out["labels"]
    for i, fp in enumerate(out["fixed_points"], 1):
        tag = "certified: exactly one fixed point in the box" if fp["certified"] else "not certified"
        lines += ["", f"fixed point {i} ({tag})"]
        st = fp["state"]
        flat = [float(v) for row in st["y"] for v in row] + [float(v) for row in st["p"] for v in row]
        flat += [float(v) for v in st.get("pi", st.get("w", []))]
        lines += _box_table(labels, fp["enclosure"], flat, width=width)
    unres = out["unresolved"]
    if unres["count"]:
        lines += [
            "",
            f"unresolved boxes: {unres['count']} (budget {out['max_boxes']} boxes, {out['boxes_processed']} processed)",
        ]
    cont = out.get("continuum")
    if cont:
        lines.append(("continuum suspected: " if cont.get("suspected") else "note: ") + cont["evidence"])
    print(fit_lines(lines, width))
