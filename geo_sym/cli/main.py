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

_JACOBIAN_EPILOG = """\
JSON output:
  value        Φ(x), flat, in the state order: y (agent-major, then coordinate), p likewise, then π in path order
  jacobian     DΦ(x): rows = outputs, columns = inputs, same order
  eigenvalues  eigenvalues of the Jacobian restricted to the tangent space of the state space
               (sum-zero directions of the price and routing simplices), as [re, im], largest modulus first
  spectral_radius, tangent_dimension, labels (coordinate names), paths
  active_set   clamped coordinates of Proj_Y, prices zeroed by max(0, .), kinks (where the
               map is not differentiable; the free branch is used there and at_kink is true)
  exact        with --exact: the value and Jacobian as exact strings ("p/q" or SymPy expressions
               with exp of rationals) and the exact characteristic polynomial of the tangent Jacobian;
               'value' is then the exact value to 30 digits, 'jacobian' and 'eigenvalues' floats
               generated from the same symbolic stages

Example:
  geo-sym jacobian examples/economies/two_by_two.yaml --at examples/economies/two_by_two_state.json --json
"""


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

    p = sub.add_parser(
        "jacobian",
        help="value, Jacobian, tangent eigenvalues and active set of the map at a state",
        description="Evaluate the economy's map (Φ_K of eq. (10)-(12), or the sequential map of "
        "eq. (13)) at a state and differentiate it: exact formulas evaluated in floating "
        "point by default, exact symbolic arithmetic with --exact.",
        epilog=_JACOBIAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("economy", metavar="ECONOMY.yaml", help="economy file (format in the README)")
    p.add_argument(
        "--at",
        required=True,
        metavar="STATE.json",
        help='state file: {"y": [[..] per agent], "p": [[..] per agent], "pi": [.. per path]}',
    )
    p.add_argument(
        "--exact",
        action="store_true",
        help="exact symbolic evaluation (SymPy; rationals and exp of rationals) and the exact "
        "characteristic polynomial of the tangent Jacobian",
    )
    p.add_argument(
        "--reduced",
        action="store_true",
        help="use the reduced state (y, p, w) with routing marginals w = Mπ (any DAG size)",
    )
    p.add_argument(
        "--no-domain-check",
        action="store_true",
        help="accept states outside Ω_K (prices or routing off their simplex, y outside Y)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_run_jacobian)

    from geo_sym.cli.claims import add_claim_parsers

    add_claim_parsers(sub)
    from geo_sym.cli.dsge import add_convert_parser, add_dsge_parser
    from geo_sym.cli.orchestration import add_orchestration_parsers

    add_dsge_parser(sub)
    add_convert_parser(sub)
    add_orchestration_parsers(sub)
    from geo_sym.cli.certify import add_certify_parsers
    from geo_sym.cli.documents import add_document_parsers

    add_certify_parsers(sub)
    add_document_parsers(sub)
    from geo_sym.cli.sweep import add_sweep_parser

    add_sweep_parser(sub)
    apply_option_types(sub.choices)
    return parser


# --------------------------------------------------------------------------------- jacobian
def _complex_pairs(ev):
    return [[float(z.real), float(z.imag)] for z in ev]


def _exact_str(v):
    import sympy as sp

    from geo_sym.economy.numbers import to_json_number

    if isinstance(v, sp.Rational):
        return str(to_json_number(v))
    return str(v)


def _run_jacobian(args) -> int:
    import numpy as np

    from geo_sym.economy.spec import load_economy
    from geo_sym.economy.state import load_state, state_labels
    from geo_sym.maps.core import reduce_state
    from geo_sym.maps.jacobian import numeric_jacobian, reduced_jacobian, tangent_eigenvalues

    econ = load_economy(args.economy)
    state = load_state(econ, args.at, check_domain=not args.no_domain_check)
    out = {
        "economy": econ.name,
        "map": econ.map_kind,
        "price_mechanism": econ.price_mechanism.kind,
        "reduced": bool(args.reduced),
    }
    if args.reduced:
        if args.exact:
            from geo_sym.errors import ValidationError

            raise ValidationError("--reduced", "with --exact", "--reduced alone (the reduced state is numeric)")
        rs = reduce_state(econ, state)
        nj = reduced_jacobian(econ, rs)
        value, J, active = nj.value, nj.dense(), nj.active
        ev = tangent_eigenvalues(econ, nj)
        labels = state_labels(econ, reduced=True)
        out["method"] = "numeric (exact formulas in floating point), reduced state"
    elif args.exact:
        import sympy as sp

        from geo_sym.economy.state import tangent_chart
        from geo_sym.maps.symbolic import exact_jacobian

        ej = exact_jacobian(econ, state)
        value = np.array([float(sp.N(v, 30)) for v in ej.value])
        J = ej.numeric()
        active = ej.active
        Jt = tangent_chart(econ).restrict(J)
        ev = np.linalg.eigvals(Jt) if Jt.size else np.zeros(0)
        ev = ev[np.argsort(-np.abs(ev), kind="stable")]
        labels = state_labels(econ)
        cp = ej.charpoly()
        out["method"] = "exact symbolic (SymPy); value to 30 digits, Jacobian generated from the same stages"
        out["exact"] = {
            "value": [_exact_str(v) for v in ej.value],
            "jacobian": [[_exact_str(v) for v in row] for row in ej.jacobian.tolist()],
            "tangent_charpoly": [_exact_str(c) for c in cp.all_coeffs()],
        }
    else:
        nj = numeric_jacobian(econ, state)
        value, J, active = nj.value, nj.dense(), nj.active
        ev = tangent_eigenvalues(econ, nj)
        labels = state_labels(econ)
        out["method"] = "numeric (exact formulas in floating point)"
    out.update(
        {
            "labels": labels,
            "paths": econ.graph.path_names() if not args.reduced or econ.n_paths < 10_000 else None,
            "value": [float(v) for v in value],
            "jacobian": np.asarray(J, dtype=float).tolist(),
            "eigenvalues": _complex_pairs(ev),
            "spectral_radius": float(np.max(np.abs(ev))) if len(ev) else 0.0,
            "tangent_dimension": int(len(ev)),
            "active_set": active.to_dict(econ),
        }
    )
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    _print_jacobian_summary(out, J)
    return 0


def _print_jacobian_summary(out, J) -> None:
    import numpy as np

    print(
        f"economy {out['economy']}: {out['map']} map, {out['price_mechanism']} prices"
        + (" (reduced state)" if out["reduced"] else "")
    )
    print(f"method: {out['method']}")
    act = out["active_set"]
    clamped = len(act["y_at_lower"]) + len(act["y_at_upper"])
    line = f"active set: {clamped} production coordinates clamped"
    if "p_zeroed" in act:
        line += f", {len(act['p_zeroed'])} prices zeroed by max(0, .)"
    line += ", AT A KINK (free branch used)" if act["at_kink"] else ", no kinks"
    print(line)
    print(f"tangent dimension {out['tangent_dimension']}, spectral radius {out['spectral_radius']:.10g}")
    ev = out["eigenvalues"][:8]
    print(
        "leading eigenvalues: " + ", ".join(f"{re:.6g}" if abs(im) < 1e-14 else f"{re:.6g}{im:+.6g}i" for re, im in ev)
    )
    labels = out["labels"]
    print("\nΦ(x):")
    for lab, v in zip(labels, out["value"]):
        print(f"  {lab:>18} = {v:.10g}")
    if J.shape[0] <= 16:
        print("\nDΦ(x) (rows outputs, columns inputs):")
        with np.printoptions(precision=4, suppress=True, linewidth=160):
            print(np.asarray(J))
    else:
        print(f"\nDΦ(x): {J.shape[0]}×{J.shape[1]} (use --json for the entries)")


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
