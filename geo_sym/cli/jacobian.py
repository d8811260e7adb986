"""``geo-sym jacobian``: value, Jacobian, tangent spectrum and active set of the map at a state.

Registered on the main parser by :func:`add_jacobian_parser`. This module prints (it is part of
the command line); the library functions it calls do not. Numeric mode evaluates the exact
Jacobian formulas in floating point; ``--exact`` computes in exact arithmetic, with the exact
characteristic polynomial of the tangent Jacobian factored over ``ℚ(t)``, ``t = exp(g)``
(:mod:`geo_sym.maps.charpoly`), and rigorous root disks when python-flint is installed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys

__all__ = ["add_jacobian_parser"]

#: numeric display only: a float within this multiple of the largest |entry| of its table is shown as 0
SNAP = 1e-12
#: at most this many non-zero entries are listed in text output (--json has them all)
MAX_LISTED = 400

_EPILOG = """\
JSON output:
  value        Φ(x), flat, in the state order: y (agent-major, then coordinate), p likewise,
               then π in path order
  jacobian     DΦ(x): rows = outputs, columns = inputs, same order (floats)
  eigenvalues  eigenvalues of the Jacobian restricted to the tangent space of the state space
               (sum-zero directions of the price and routing simplices), as [re, im], largest
               modulus first; with --exact, the centers of rigorous root disks repeated by
               multiplicity (when python-flint is installed; else floating-point eigenvalues)
  spectral_radius, tangent_dimension, labels (coordinate names), paths
  active_set   clamped coordinates of Proj_Y, prices zeroed by max(0, .), kinks (where the
               map is not differentiable; the free branch is used there and at_kink is true)
  exact        with --exact: value and jacobian as exact strings ("p/q" or SymPy expressions
               with exp of rationals); t (the transcendental exp(g) of the routing block, or
               null); tangent_charpoly (coefficients, highest degree first, as exact SymPy
               strings); charpoly (degree, coefficients and factors as strings in t, each factor
               with degree, multiplicity and where it comes from; reduction_zeros: zero
               eigenvalues the full state adds to the reduced one); roots (rigorous Arb disks
               per factor and a spectral radius interval, or null with the reason in roots_note)

Text output: exact entries are written with t = exp(g) and L(t) = Σ_j t^k_j, so that
π'_j = t^k_j / L(t); floats within 1e-12 × the largest entry of their table are shown
as 0 (display only).

Example:
  geo-sym jacobian examples/economies/two_by_two.yaml \\
      --at examples/economies/two_by_two_state.json --exact
"""


def add_jacobian_parser(sub) -> None:
    """Register ``geo-sym jacobian`` on the subparsers ``sub``."""
    p = sub.add_parser(
        "jacobian",
        help="value, Jacobian, tangent eigenvalues and active set of the map at a state",
        description="Evaluate the economy's map (Φ_K of eq. (10)-(12), or the sequential map of eq. (13))\n"
        "at a state and differentiate it: exact formulas evaluated in floating point by default;\n"
        "with --exact, exact arithmetic, the exact characteristic polynomial of the tangent\n"
        "Jacobian (factored) and rigorous eigenvalue enclosures.",
        epilog=_EPILOG,
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
        help="exact arithmetic (rationals and exp of rationals), the exact characteristic polynomial of the "
        "tangent Jacobian factored over Q(t), t = exp(g), and rigorous root disks",
    )
    p.add_argument(
        "--reduced",
        action="store_true",
        help="use the reduced state (y, p, w) with routing marginals w = Mπ (any DAG size; numeric)",
    )
    p.add_argument(
        "--no-domain-check",
        action="store_true",
        help="accept states outside Ω_K (prices or routing off their simplex, y outside Y)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=_run_jacobian)


# --------------------------------------------------------------------------------- computation
def _run_jacobian(args) -> int:
    from geo_sym.economy.spec import load_economy
    from geo_sym.economy.state import load_state, state_labels

    econ = load_economy(args.economy)
    state = load_state(econ, args.at, check_domain=not args.no_domain_check)
    if args.reduced and args.exact:
        from geo_sym.errors import ValidationError

        raise ValidationError("--reduced", "with --exact", "--reduced alone (the reduced state is numeric)")
    out = {
        "economy": econ.name,
        "map": econ.map_kind,
        "price_mechanism": econ.price_mechanism.kind,
        "reduced": bool(args.reduced),
        "labels": state_labels(econ, reduced=args.reduced),
        "paths": econ.graph.path_names() if not args.reduced or econ.n_paths < 10_000 else None,
    }
    if args.exact:
        J, extra = _exact(econ, state, out, quiet=args.json or args.quiet)
    else:
        J, extra = _numeric(econ, state, out, args.reduced)
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        _print_text(out, J, extra)
    return 0


def _spectrum_fields(out, ev) -> None:
    import numpy as np

    ev = np.asarray(ev, dtype=complex)
    ev = ev[np.argsort(-np.abs(ev), kind="stable")]
    out["eigenvalues"] = [[float(z.real), float(z.imag)] for z in ev]
    out["spectral_radius"] = float(np.max(np.abs(ev))) if len(ev) else 0.0
    out["tangent_dimension"] = int(len(ev))


def _numeric(econ, state, out, reduced: bool):
    from geo_sym.maps.core import reduce_state
    from geo_sym.maps.jacobian import numeric_jacobian, reduced_jacobian, tangent_eigenvalues

    nj = reduced_jacobian(econ, reduce_state(econ, state)) if reduced else numeric_jacobian(econ, state)
    J = nj.dense()
    out["method"] = "numeric (exact formulas in floating point)" + (", reduced state" if reduced else "")
    out["value"] = [float(v) for v in nj.value]
    out["jacobian"] = J.tolist()
    _spectrum_fields(out, tangent_eigenvalues(econ, nj))
    out["active_set"] = nj.active.to_dict(econ)
    return J, None


def _progress_bar(quiet: bool):
    """A tqdm bar on stderr for the blocks of the characteristic polynomial (shown after 2 s; none when quiet)."""
    if quiet or not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=1, desc="characteristic polynomial", unit="block", delay=2, file=sys.stderr, leave=False)

    def progress(stage, done, total):
        bar.total = max(total, 1)
        bar.n = done
        bar.set_postfix_str(stage, refresh=True)

    return progress, bar.close


def _exact(econ, state, out, quiet: bool):
    import numpy as np
    import sympy as sp

    from geo_sym.maps.charpoly import exact_charpoly, jacobian_in_t
    from geo_sym.maps.symbolic import exact_jacobian

    ej = exact_jacobian(econ, state)
    progress, close = _progress_bar(quiet)
    try:
        cp = exact_charpoly(ej, progress=progress)
    finally:
        close()
    enc, note = _enclosures(cp)
    jt = jacobian_in_t(ej)
    n = len(ej.value)
    J = jt.floats((n, n)) if jt is not None else np.array(ej.jacobian.evalf(17).tolist(), dtype=float)
    out["method"] = "exact (SymPy rationals and exp of rationals); floats are the exact values rounded"
    out["value"] = [float(sp.N(v, 30)) for v in ej.value]
    out["jacobian"] = J.tolist()
    if enc is not None and all(fr.disks is not None for fr in enc.factors):
        ev = [d.center for fr, f in zip(enc.factors, cp.factors) for d in fr.disks for _ in range(f.multiplicity)]
    else:  # floating-point eigenvalues of the rounded exact Jacobian
        Tp, T = (np.array(m.tolist(), dtype=float) for m in _tangent(econ))
        ev = np.linalg.eigvals(Tp @ J @ T) if J.size else []
    _spectrum_fields(out, ev)
    out["active_set"] = ej.active.to_dict(econ)
    if jt is not None:
        rows = [["0"] * n for _ in range(n)]
        for key in jt.entries:
            rows[key[0]][key[1]] = jt.exp_string(key)
    else:
        rows = [[_exact_str(v) for v in row] for row in ej.jacobian.tolist()]
    out["exact"] = {
        "value": [_exact_str(v) for v in ej.value],
        "jacobian": rows,
        "t": None if cp.g is None else f"exp({cp.g})",
        "tangent_charpoly": cp.coefficient_strings("exp"),
        "charpoly": cp.to_dict(),
        "roots": None if enc is None else enc.to_dict(),
        "roots_note": note,
    }
    return J, (ej, cp, enc, note, jt)


def _tangent(econ):
    from geo_sym.economy.state import tangent_chart

    return tangent_chart(econ).exact()


def _enclosures(cp):
    """Rigorous root disks, or ``(None, why not)``."""
    from geo_sym.errors import OptionalDependencyError, ValidationError
    from geo_sym.rigorous.roots import enclose_roots

    try:
        return enclose_roots(cp), ""
    except OptionalDependencyError:
        return None, "rigorous root disks need python-flint: pip install python-flint"
    except ValidationError as exc:
        return None, f"no rigorous root disks: {exc}"


def _exact_str(v):
    import sympy as sp

    from geo_sym.economy.numbers import to_json_number

    if isinstance(v, sp.Rational):
        return str(to_json_number(v))
    return str(v)


# --------------------------------------------------------------------------------- text output
def _width() -> int:
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def _num(x: float, scale: float) -> str:
    """A float for display: within ``SNAP × scale`` of 0 it is shown as 0."""
    return "0" if abs(x) <= SNAP * scale else f"{x:.6g}"


def _complex(z, scale: float) -> str:
    re, im = (_num(v, scale) for v in z)
    return re if im == "0" else (f"{im}i" if re == "0" else f"{re}{'' if im.startswith('-') else '+'}{im}i")


def _expr(p):
    """A polynomial in t (DMP) as a SymPy expression."""
    import sympy as sp

    from geo_sym.maps.charpoly import T_SYMBOL

    return sp.Poly.new(p, T_SYMBOL).as_expr()


def _math(expr) -> str:
    import sympy as sp

    return sp.sstr(expr).replace("**", "^")


def _in_t(num, power: int) -> str:
    """``num / L(t)^power`` as text, the rational content of ``num`` pulled out: ``-(t^23 + t^15)/(40*L(t)^2)``."""
    import sympy as sp

    from geo_sym.maps.charpoly import T_SYMBOL

    if not num.has(T_SYMBOL):
        text = _math(num)
        return text if power == 0 else f"{text}/L(t)" + (f"^{power}" if power > 1 else "")
    c, prim = sp.Poly(num, T_SYMBOL).primitive() if num.is_polynomial(T_SYMBOL) else (1, None)
    if prim is None:
        return _math(num) + ("" if power == 0 else f"/L(t)^{power}")
    if prim.LC() < 0:
        c, prim = -c, -prim
    c = sp.Rational(c)
    body = _math(prim.as_expr())
    body = body if len(prim.terms()) == 1 else f"({body})"
    top = ("-" if c < 0 else "") + (body if abs(c.p) == 1 else f"{abs(c.p)}*{body}")
    den = ([str(c.q)] if c.q != 1 else []) + (["L(t)" + (f"^{power}" if power > 1 else "")] if power else [])
    if not den:
        return top
    return f"{top}/" + (den[0] if len(den) == 1 else "(" + "*".join(den) + ")")


def _table(row_labels, col_labels, cells, width: int) -> list[str]:
    """A labelled table, its columns split into chunks that fit ``width`` characters."""
    lw = max((len(r) for r in row_labels), default=0)
    cw = max([len(c) for c in col_labels] + [len(x) for row in cells for x in row] + [1])
    per = max(1, (width - lw - 2) // (cw + 2))
    lines = []
    for start in range(0, len(col_labels), per):
        cols = range(start, min(start + per, len(col_labels)))
        lines.append(" " * (lw + 2) + "".join(f"{col_labels[j]:>{cw + 2}}" for j in cols))
        for r, row in zip(row_labels, cells):
            lines.append(f"  {r:<{lw}}" + "".join(f"{row[j]:>{cw + 2}}" for j in cols))
        lines.append("")
    return lines


def _print_header(out) -> None:
    print(
        f"economy {out['economy']}: {out['map']} map, {out['price_mechanism']} prices"
        + (" (reduced state)" if out["reduced"] else "")
    )
    print(f"method: {out['method']}")
    act = out["active_set"]
    clamped = len(act["y_at_lower"]) + len(act["y_at_upper"])
    parts = [f"{clamped or 'no'} production coordinate{'s' if clamped != 1 else ''} clamped"]
    if "p_zeroed" in act:
        z = len(act["p_zeroed"])
        parts.append(f"{z or 'no'} price{'s' if z != 1 else ''} zeroed by max(0, .)")
    parts.append("AT A KINK (the free branch is used)" if act["at_kink"] else "no kinks")
    print("active set: " + ", ".join(parts))


def _print_text(out, J, extra) -> None:
    import numpy as np

    _print_header(out)
    width, labels = _width(), out["labels"]
    if extra is not None:
        _print_exact(out, extra, width)
        return
    ev = out["eigenvalues"]
    scale = max([abs(complex(*z)) for z in ev] + [1e-300])
    print(f"\ntangent dimension {out['tangent_dimension']}, spectral radius {out['spectral_radius']:.12g}")
    print("eigenvalues: " + ", ".join(_complex(z, scale) for z in ev[:12]) + (", ..." if len(ev) > 12 else ""))
    vscale = max([abs(v) for v in out["value"]] + [1e-300])
    print("\nΦ(x):")
    for lab, v in zip(labels, out["value"]):
        print(f"  {lab:<{max(len(x) for x in labels)}}  {_num(v, vscale)}")
    J = np.asarray(J, dtype=float)
    jscale = float(np.max(np.abs(J))) if J.size else 1.0
    cells = [[_num(x, jscale) for x in row] for row in J]
    nnz = sum(x != "0" for row in cells for x in row)
    print(f"\nDΦ(x): {J.shape[0]} × {J.shape[1]}, {nnz} non-zero (rows: outputs, columns: inputs)")
    if J.shape[0] <= 24:
        print("\n".join(_table(labels, labels, cells, width)))
    else:
        _listing(
            [
                (labels[i], labels[j], cells[i][j])
                for i in range(len(cells))
                for j in range(len(cells))
                if cells[i][j] != "0"
            ]
        )
    print(f"(floats within {SNAP:g} × the largest |entry| of a table are shown as 0)")


def _listing(items) -> None:
    """Non-zero entries as ``output <- input  value`` lines (at most :data:`MAX_LISTED`)."""
    if not items:
        print("  (all zero)")
        return
    w1 = max(len(a) for a, _, _ in items[:MAX_LISTED])
    w2 = max(len(b) for _, b, _ in items[:MAX_LISTED])
    for a, b, v in items[:MAX_LISTED]:
        print(f"  {a:<{w1}} <- {b:<{w2}}  {v}")
    if len(items) > MAX_LISTED:
        print(f"  ... {len(items) - MAX_LISTED} more (use --json for every entry)")


def _print_exact(out, extra, width: int) -> None:
    ej, cp, enc, note, jt = extra
    labels = out["labels"]
    nz = len(labels) - len(out["paths"] or [])
    if jt is not None and jt.g is not None:
        print(f"t = exp({jt.g}),  L(t) = {_math(_expr(jt.L))},  so that π'_j = t^k_j / L(t)")
    lw = max(len(x) for x in labels)
    texts = [
        _in_t(_expr(jt.routing[i - nz]), 1) if jt is not None and jt.g is not None and i >= nz else _exact_str(v)
        for i, v in enumerate(ej.value)
    ]
    tw = min(max(len(x) for x in texts), width // 2)
    print("\nΦ(x), exact (≈ value):")
    for lab, text, v in zip(labels, texts, out["value"]):
        print(f"  {lab:<{lw}}  {text:<{tw}}  ≈ {v:.12g}")
    if jt is not None:
        keys = sorted(jt.entries)
        items = [
            (labels[i], labels[j], _in_t(_expr(jt.entries[i, j][0]), jt.entries[i, j][1])) for i, j in keys[:MAX_LISTED]
        ]
        items += [(labels[i], labels[j], "") for i, j in keys[MAX_LISTED:]]  # counted, not printed
    else:
        J = ej.jacobian
        items = [
            (labels[i], labels[j], _exact_str(J[i, j]))
            for i in range(J.shape[0])
            for j in range(J.shape[1])
            if J[i, j] != 0
        ]
    n = len(labels)
    print(f"\nDΦ(x), exact: {len(items)} non-zero entries of {n} × {n} (output <- input):")
    _listing(items)
    _print_charpoly(cp, width)
    _print_roots(cp, enc, note)


def _print_charpoly(cp, width: int) -> None:
    lam = "λ"
    print(f"\ncharacteristic polynomial of the tangent Jacobian (degree {cp.dimension})", end="")
    field = {"QQ": "Q"}.get(cp.domain, cp.domain) + ("(t)" if cp.g is not None else "")
    print(":" if cp.domain == "EX" else f", factored over {field}:")
    names, pieces = {}, []
    for f in cp.factors:
        if f.degree == 1:
            text = _math(f.as_expr(t=f.poly.gens[1])).replace("lambda", lam)
            base = lam if text == "lambda" or text == lam else f"({text})"
        else:
            names[f] = f"f{len(names) + 1}({lam})"
            base = names[f]
        pieces.append(base + (f"^{f.multiplicity}" if f.multiplicity > 1 else ""))
    print(f"  χ({lam}) = " + " · ".join(pieces) if pieces else f"  χ({lam}) = 1")
    for f, name in names.items():
        text = f.text().replace("lambda", lam).replace("**", "^")
        shown = text if len(text) <= 4 * width else text[: 4 * width] + " ... (use --json for the whole polynomial)"
        print(f"  {name} = {shown}" + ("" if f.irreducible else "   [not factored further]"))
    print("  from:")
    for f in cp.factors:
        base = names.get(f) or _math(f.as_expr(t=f.poly.gens[1])).replace("lambda", lam)
        print(f"    {base}: " + "; ".join(sorted(set(f.origins))))
    for n in cp.notes:
        print(f"  note: {n}")


def _print_roots(cp, enc, note) -> None:
    if enc is None:
        print(f"\neigenvalues: {note}")
        return
    t = f", t in {enc.t_ball}" if enc.t_ball else ""
    print(f"\neigenvalues (rigorous Arb balls, each holding exactly one root{t}):")
    rows = []
    for f, fr in zip(cp.factors, enc.factors):
        if fr.disks is None:
            rows.append((f"degree-{f.degree} factor: {fr.note}", f.multiplicity, ""))
            continue
        for d in fr.disks:
            exact = f.degree == 1 and f.poly.degree(f.poly.gens[1]) == 0
            center = _math(-f.as_expr().subs(f.poly.gens[0], 0)) if exact else d.ball
            rows.append((center, f.multiplicity, "exact" if exact else ("real" if d.real else "")))
    w = max(len(c) for c, _, _ in rows)
    for c, m, how in rows:
        print(f"  {c:<{w}}  ×{m:<3} {how}")
    if enc.spectral_radius is not None:
        lo, hi = enc.spectral_radius
        print(f"spectral radius in [{lo!r}, {hi!r}]")
