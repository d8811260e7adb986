"""Reports of verdicts: a readable table, JSON, and LaTeX (a compilable report and notebook displays).

The LaTeX report (``geo-sym check --latex FILE``) is a document a researcher can put in an appendix:
the statements typeset from each claim's ``statement_latex`` (printed once), every reason, hypothesis
and corrected statement with its mathematics in math mode, evidence in labelled tables, counterexamples
with their economy and states; no timing or date in the body — one provenance paragraph at the end
(version, seed, date, the economy file's SHA-256) is the only part that changes from run to run.
"""

from __future__ import annotations

import json
import textwrap

from geo_sym.display import latex_formatter
from geo_sym.render.latex_blocks import document, longtable
from geo_sym.render.latex_text import tex_text
from geo_sym.render.mathtext import prose_latex
from proofs.latex_verdict import status_latex, verdict_list_mathjax, verdict_mathjax, verdict_section

__all__ = ["verdict_table", "verdicts_json", "verdict_latex", "report_latex"]

_MARK = {s: s for s in ("proved", "certified", "supported", "inconclusive", "refuted")}


def _rows(v, indent: str = ""):
    yield indent + v.id, v
    for p in v.parts:
        yield indent + "  " + p.id.removeprefix(v.id), p


def verdict_table(verdicts, width: int = 100, *, seconds: bool = False) -> str:
    """A table that fits ``width`` columns: one row per claim and per part (status, then the reason wrapped).

    Parts are indented under their claim; a refuted claim shows ``what is true instead`` (its corrected
    statement) under the reason; ``seconds`` adds the run time (off by default: it varies run to run).
    """
    width = max(int(width), 60)
    rows = [(label, v) for top in verdicts for label, v in _rows(top)]
    c1 = min(max(len(label) for label, _ in rows) + 1, 40) if rows else 9
    head = f"{'claim':<{c1}} {'status':<12} "
    lines = [head + "reason", "-" * width]
    for label, v in rows:
        first = f"{label:<{c1}} {v.status:<12} "
        text = v.reason if not v.parts else _summary(v)
        body = textwrap.wrap(text, width - len(first)) or [""]
        lines.append(first + body[0])
        lines.extend(" " * len(first) + b for b in body[1:])
        if v.corrected and not v.parts:
            fix = f"what is true instead ({v.corrected['status']}): {v.corrected['statement']}"
            lines.extend(" " * len(first) + w for w in textwrap.wrap(fix, width - len(first)))
    counts = {
        s: sum(1 for v in verdicts if v.status == s)
        for s in ("proved", "certified", "supported", "inconclusive", "refuted")
    }
    lines.append("-" * width)
    tail = "  ".join(f"{k}: {n}" for k, n in counts.items() if n)
    if seconds:
        tail += f"   total {sum(v.seconds for v in verdicts):.1f} s"
    lines.append(tail)
    return "\n".join(lines)


def _summary(v) -> str:
    """The one-line reason of a claim with parts: which parts decided it."""
    by = {}
    for p in v.parts:
        by.setdefault(p.status, []).append(p.id.removeprefix(v.id).lstrip("/"))
    return "; ".join(f"{status}: {', '.join(ids)}" for status, ids in by.items())


def verdicts_json(verdicts) -> str:
    return json.dumps([v.to_dict() for v in verdicts], indent=1, default=str)


# ----------------------------------------------------------------------------- LaTeX
def verdict_latex(v, standalone: bool = False) -> str:
    """A verdict as LaTeX.

    ``standalone=True``: a document section (statement, verdict and reason, parts, what is true
    instead, derivation, counterexample, evidence; :func:`proofs.latex_verdict.verdict_section`).
    ``standalone=False``: the notebook display (``Verdict._repr_latex_``), one MathJax display block.
    """
    return verdict_section(v) if standalone else verdict_mathjax(v)


_INTRO = (
    r"Each claim of \emph{A General Equilibrium Theory of Orchestrated AI Agent Systems} (Garnier 2026, arXiv "
    r"2602.21255) checked by computation, under the formal reading of each claim documented with geo-sym "
    r"(\texttt{docs/claims.md}). \textbf{proved}: an exact identity or exact computation (possibly under the extra "
    r"hypotheses listed); \textbf{refuted}: an exact (or labelled high-precision) counterexample, re-checked by "
    r"independent code (\texttt{geo-sym verify}); \textbf{certified}: a rigorous interval certificate; supported: "
    r"the decisive comparison made numerically, in the claim's favour; inconclusive: not decided, for the reason "
    r"given. In all: %s."
)


def _summary_row(v) -> str:
    reason = prose_latex(_summary(v)) if v.parts else prose_latex(v.reason)
    return r"\texttt{%s} & %s & %s \\" % (tex_text(v.id), status_latex(v.status), reason)


def report_latex(
    verdicts, title: str = "Checking the claims of Garnier (2026)", *, provenance: dict | None = None
) -> str:
    """A complete, compilable LaTeX document: the verdict table, then per claim its statement, verdict,
    evidence and counterexample (``geo-sym check --latex FILE``).

    Parameters
    ----------
    verdicts : list of Verdict
    title : str
    provenance : dict, optional
        The closing provenance paragraph (:func:`geo_sym.render.provenance.provenance`); without it,
        one with the version and the date only.
    """
    from geo_sym.render.provenance import provenance as make_provenance
    from geo_sym.render.provenance import provenance_latex

    counts = {
        s: sum(1 for v in verdicts if v.status == s)
        for s in ("proved", "certified", "supported", "inconclusive", "refuted")
    }
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    table = longtable(
        r">{\raggedright}p{2.2cm}>{\raggedright}p{2.1cm}>{\raggedright\arraybackslash}p{11.3cm}",
        "claim & status & reason",
        [_summary_row(v) for v in verdicts],
    )
    body = [
        _INTRO % summary,
        r"\section*{Verdicts}" + "\n" + table,
        r"\section*{The claims one by one}",
        "\n\n".join(verdict_section(v) for v in verdicts),
        provenance_latex(provenance or make_provenance()),
    ]
    return document(title, body)


@latex_formatter("proofs.verdict.Verdict")
def _verdict_display(v) -> str:
    return verdict_mathjax(v)


@latex_formatter("proofs.verdict.VerdictList")
def _verdict_list_display(vs) -> str | None:
    return verdict_list_mathjax(vs) if len(vs) <= 40 else None
