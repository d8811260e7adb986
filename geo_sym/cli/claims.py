"""``geo-sym check`` and ``geo-sym verify``: the paper's claims, and the independent re-check of refutations.

Registered on the main parser by :func:`add_claim_parsers`. This module prints (it is part of the
command line); :mod:`proofs` does not.
"""

from __future__ import annotations

import argparse
import json

from geo_sym.cli.options import output_file, seed
from geo_sym.cli.progress import progress_bar
from geo_sym.cli.tables import STATUSES, paragraph, terminal_width, text_table

__all__ = ["add_claim_parsers", "verdict_rows", "verify_rows"]

#: the registry's ids (proofs.claims.registry.claim_ids), written out so that --help does not import every
#: claim (0.8 s); tests/test_cli_output.py checks the two agree
CLAIM_IDS = (
    "thm-3.1",
    "lem-4.2",
    "lem-4.3",
    "thm-4.4",
    "thm-4.6",
    "thm-5.2",
    "thm-5.4",
    "thm-6.1",
    "prop-6.2",
    "ex-6.3",
    "sec-7.1",
    "thm-8.1",
)

_CHECK_EPILOG = """\
Statuses (lowercase everywhere, in the table and in JSON):
  proved        exact identity or exact computation, possibly under the extra hypotheses in holds_under
  certified     a rigorous interval certificate
  supported     seeded numeric evidence only
  inconclusive  not decided, or the claim's hypotheses do not apply to the economy; the reason says which
  refuted       an exact counterexample in "witness", re-checkable with 'geo-sym verify'
A claim with parts (thm-4.4/existence, thm-8.1(v), ...) is refuted when one part is. Verdicts are data:
the exit code is 0 whenever the checks ran. The formal reading of every claim is in docs/claims.md; the
witness format in docs/witness-format.md.

Examples:
  geo-sym check
  geo-sym check --claim prop-6.2 --json > verdicts.json && geo-sym verify verdicts.json
  geo-sym check examples/economies/two_by_two.yaml --latex report.tex
"""

_VERIFY_EPILOG = """\
One line per witness: the result (confirmed / not confirmed), the claim or part it refutes, the kind of
witness (walras_value, operator_norm, spectral_radius, ...; docs/witness-format.md) and what was
re-checked. A malformed or unknown witness is reported as not confirmed, never a crash.

Exit code: 0 when every witness is confirmed, 1 when one is not, 2 on bad input.

Examples:
  geo-sym check --json > verdicts.json && geo-sym verify verdicts.json
  geo-sym verify verdicts.json --json
"""


def add_claim_parsers(sub) -> None:
    """Register ``check`` and ``verify`` on ``geo-sym``'s subparsers."""
    c = sub.add_parser(
        "check",
        help="check the paper's claims: a verdict with evidence for each",
        description="Check the statements of the paper (Theorems 3.1-8.1, Proposition 6.2, Example 6.3, §7.1) by "
        "computation. With no economy file, every claim runs on built-in reference economies; with a file, "
        "every figure is recomputed on that economy.",
        epilog=_CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("economy", nargs="?", metavar="ECONOMY.yaml", help="economy file (default: built-in economies)")
    c.add_argument(
        "--claim",
        action="append",
        default=[],
        metavar="ID",
        help="check only this claim (repeatable): " + ", ".join(CLAIM_IDS),
    )
    c.add_argument("--seed", type=seed, default=0, help="seed of every random choice (default 0)")
    c.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    c.add_argument(
        "--latex", metavar="FILE.tex", type=output_file(".tex", what="a LaTeX file"), help="also write a LaTeX report"
    )
    c.add_argument(
        "--pdf",
        action="store_true",
        help="compile the --latex report with pdflatex (says how to install it when missing)",
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    c.set_defaults(func=run_check)

    v = sub.add_parser(
        "verify",
        help="re-check refutation witnesses with independent exact code",
        description="Re-check witnesses (a witness object, a verdict, or the list printed by 'geo-sym check "
        "--json') with code independent of the code that found them, in exact arithmetic or rigorous "
        "interval arithmetic where exp is involved.",
        epilog=_VERIFY_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("witness", metavar="WITNESS.json", help="JSON file: a witness, a verdict or a list of verdicts")
    v.add_argument("--json", action="store_true", help="print the results as JSON")
    v.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    v.set_defaults(func=run_verify)


# ----------------------------------------------------------------------------------------- check
def _parts_summary(v) -> str:
    """The reason of a claim with parts: which parts have which status."""
    by: dict = {}
    for p in v.parts:
        by.setdefault(p.status, []).append(p.id.removeprefix(v.id).lstrip("/"))
    return "; ".join(f"{status}: {', '.join(ids)}" for status, ids in by.items())


def verdict_rows(verdicts) -> list[list[str]]:
    """Rows ``[claim, status, reason]`` of the check table: each claim, then its parts indented under it.

    A refuted verdict's corrected statement follows its reason as a second paragraph.
    """
    rows = []
    for top in verdicts:
        for label, v in [(top.id, top)] + [("  " + p.id.removeprefix(top.id), p) for p in top.parts]:
            text = _parts_summary(v) if v.parts else v.reason
            if v.corrected and not v.parts:
                text += f"\nwhat is true instead ({v.corrected['status']}): {v.corrected['statement']}"
            rows.append([label, v.status, text])
    return rows


def _check_text(verdicts, where: str, seed_value: int, width: int) -> str:
    lines = [paragraph(f"geo-sym check on {where}, seed {seed_value}", width), ""]
    table = text_table(["claim", "status", "reason"], verdict_rows(verdicts), width=width, rule=True)
    lines += table + [table[1]]
    counts = [f"{s} {n}" for s in STATUSES if (n := sum(v.status == s for v in verdicts))]
    lines.append(paragraph(f"{len(verdicts)} claim(s): " + ", ".join(counts), width))
    return "\n".join(lines)


def run_check(args) -> int:
    """Handler of ``geo-sym check``."""
    from proofs.claims.registry import get_claim, run_checks
    from proofs.report import report_latex, verdicts_json

    for cid in args.claim:
        get_claim(cid)  # unknown ids: a clear error listing the valid ones, before any work
    if args.pdf and not args.latex:
        from geo_sym.errors import ValidationError

        raise ValidationError("--pdf", "given alone", "--latex FILE.tex as well (the report to compile)")
    econ = None
    if args.economy:
        from geo_sym.economy.spec import load_economy

        econ = load_economy(args.economy)
    n = len(args.claim) if args.claim else len(CLAIM_IDS)
    with progress_bar(args, "checking claims", unit="claim", total=n) as bar:
        steps = iter(range(n))
        progress = None if bar is None else (lambda cid: bar(next(steps, n)))
        verdicts = run_checks(args.claim or None, economy=econ, seed=args.seed, progress=progress)
    pdf_path = None
    if args.latex:
        from pathlib import Path

        Path(args.latex).write_text(report_latex(verdicts), encoding="utf-8")
        if args.pdf:
            from geo_sym.cli.documents import compile_pdf

            pdf_path = compile_pdf(args.latex)
    if args.json:
        print(verdicts_json(verdicts))
        return 0
    where = f"economy {econ.name!r} ({args.economy})" if econ is not None else "built-in reference economies"
    width = terminal_width()
    print(_check_text(verdicts, where, args.seed, width))
    if args.latex:
        print()
        print(paragraph(f"LaTeX report written to {args.latex}" + (f"; PDF: {pdf_path}" if pdf_path else ""), width))
    return 0


# ----------------------------------------------------------------------------------------- verify
def verify_rows(results) -> list[list[str]]:
    """Rows ``[result, claim, kind, what was re-checked]`` of ``geo-sym verify`` (witnesses and corrected statements)."""
    rows = []
    for r in results:
        claim = r.claim if r.id in (None, r.claim) else f"{r.claim} (in {r.id})"
        kind = r.kind if r.subject == "witness" else f"corrected: {r.kind}"
        # the general-statement label is long: "general" keeps the columns aligned (its message says the rest)
        shown = "general" if r.outcome.startswith("not re-checkable") else r.outcome
        rows.append([shown, claim, kind, r.message])
    return rows


def run_verify(args) -> int:
    """Handler of ``geo-sym verify``: exit 0 when every witness is confirmed, 1 when one is not."""
    from proofs.verify import verify_file

    with progress_bar(args, "verifying witnesses", unit="witness") as progress:
        results = verify_file(args.witness, progress=progress)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False, default=str))
        return 1 if any(r.failed for r in results) else 0
    if not results:
        print(f"{args.witness}: no refutation witness in the file, nothing to verify")
        return 0
    width = terminal_width()
    print(
        paragraph(
            f"re-checking the refutation witnesses and corrected statements of {args.witness} with independent exact code",
            width,
        )
    )
    print()
    rows = verify_rows(results)
    print("\n".join(text_table(["result", "claim", "kind", "what was re-checked"], rows, width=width)))
    witnesses = [r for r in results if r.subject == "witness"]
    fixes = [r for r in results if r.subject == "corrected"]
    print()
    summary = f"{sum(r.ok for r in witnesses)} of {len(witnesses)} refutation witness(es) confirmed"
    if fixes:
        summary += (
            f"; corrected statements: {sum(r.ok for r in fixes)} figure(s) confirmed, "
            f"{sum(r.failed for r in fixes)} not confirmed, {sum(not r.ok and not r.failed for r in fixes)} not re-checked"
        )
    print(paragraph(summary, width))
    return 1 if any(r.failed for r in results) else 0
