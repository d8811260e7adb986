r"""A corrigendum to the paper: per claim its statement, the counterexample, what is true instead and why.

``geo-sym corrigendum [ECONOMY.yaml] -o FILE.tex [--pdf]`` writes what a referee's report to the author
would contain: for every claim the paper's statement (typeset from the claim's ``statement_latex``),
geo-sym's verdict, the counterexample (re-checkable with ``geo-sym verify``), the corrected statement
with its proof or certificate, and — where the region engine gives one — the exact region where the
corrected statement holds, as a figure. Run-dependent facts (version, seed, date) appear only in the
closing provenance paragraph, so the document is reproducible.
"""

from __future__ import annotations

from geo_sym.render.latex_blocks import Figure, document
from geo_sym.render.latex_text import tex_text, tt_text
from geo_sym.render.mathtext import prose_latex, sentence
from proofs.latex_verdict import (
    claim_title,
    corrected_latex,
    evidence_latex,
    parts_latex,
    statement_latex,
    status_latex,
    witness_latex,
)

__all__ = ["corrigendum_document", "Figure"]

_OPENING = {
    "refuted": "The statement does not hold as written.",
    "proved": "The statement holds; geo-sym proves it exactly.",
    "certified": "The statement holds; geo-sym certifies it by interval arithmetic.",
    "supported": "No counterexample was found; the evidence supports the statement but does not prove it.",
    "inconclusive": "geo-sym does not decide the statement here.",
}


def _opening(v) -> str:
    """The first sentence of the verdict; with readings that do not apply here, it says so."""
    if v.status in ("proved", "certified", "supported") and any(not p.applicable for p in v.parts):
        return {
            "proved": "The readings that apply here hold; geo-sym proves them exactly.",
            "certified": "The readings that apply here hold; geo-sym certifies them by interval arithmetic.",
            "supported": "No counterexample was found to the readings that apply here.",
        }[v.status]
    return _OPENING[v.status]


def _section(v, figures) -> str:
    out = [
        r"\section{%s}\label{claim:%s}" % (claim_title(v.id), v.id),
        r"\paragraph{The paper's statement.} " + statement_latex(v),
        r"\paragraph{Verdict: %s.} %s %s"
        % (status_latex(v.status), _opening(v), prose_latex(sentence(v.reason)) if not v.parts else ""),
        parts_latex(v),
    ]
    refutation = v.refutation
    if refutation is not None and refutation.witness:
        where = "" if refutation is v else r" to the reading %s" % tt_text(refutation.id)
        out.append(
            r"\paragraph{Counterexample%s.} %s It is re-checked by independent exact code with \texttt{geo-sym verify}."
            % (where, witness_latex(refutation.witness))
        )
    out.append(corrected_latex(v.corrected or next((p.corrected for p in v.parts if p.corrected), None)))
    if v.status != "refuted" and v.evidence:
        out.append(evidence_latex(v.evidence, title=r"\textbf{Evidence.}"))
    figs = figures.get(v.id, ())
    if figs:
        refs = [f.ref for f in figs]
        drawn = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1]
        out.append(f"The region where the corrected statement holds is drawn in {drawn}.")
        out += [f.latex() for f in figs]
    return "\n\n".join(s for s in out if s)


def region_figures(verdicts, out, *, economy=None, relative=None) -> dict:
    r"""Figures of the corrected conditions that are exact regions, by claim id, written next to ``out``.

    For each part of Prop. 6.2 whose corrected statement includes the exact stability region in ``tau``
    (:func:`proofs.claims.stability_region.stability_region_facts`), the region is computed again on the
    same economy and map and drawn with :meth:`RegionResult.plot` as ``<out stem>-prop-6.2-<map>.pdf``.

    Parameters
    ----------
    verdicts : list of Verdict
    out : path of the .tex file
    economy : Economy, optional
        The user's economy (``None``: the verdicts are on the built-in reference economies).
    relative : callable, optional
        ``relative(figure_path, tex_path)``: the path as ``\includegraphics`` sees it (default: the file name).
    """
    from pathlib import Path

    from geo_sym.render.latex_blocks import Figure
    from proofs.claims.stability_region import region_for_part

    out = Path(out)
    figures: dict = {}
    for v in verdicts:
        for p in v.parts:
            region = (p.corrected or {}).get("evidence", {}).get("stability_region")
            if region is None:
                continue
            kind = p.id.rsplit("/", 1)[-1]
            result = region_for_part(p.economy, kind, economy)
            if result is None:
                continue
            path = out.with_name(f"{out.stem}-{v.id}-{kind}.pdf")
            result.plot(path)
            shown = relative(path, out) if relative is not None else path.name
            caption = (
                r"Exact stability region in $\tau$ of the linearisation of the %s map at its fixed point, "
                "on the economy %s (other parameters as given)." % (tex_text(kind), tex_text(p.economy))
            )
            figures.setdefault(v.id, []).append(Figure(shown, caption, f"fig:{v.id}-{kind}"))
    return figures


def corrigendum_document(verdicts, *, figures=None, economy_label: str, provenance: dict) -> str:
    """The complete LaTeX corrigendum (compilable with ``pdflatex``).

    Parameters
    ----------
    verdicts : list of Verdict
        The verdicts of ``run_checks`` on the economies named by ``economy_label``.
    figures : dict, optional
        Claim id → list of :class:`~geo_sym.render.latex_blocks.Figure`.
    economy_label : str
        What the claims were checked on (a file name, or the built-in reference economies).
    provenance : dict
        ``version``, ``seed``, ``date``, ``inputs``, ``command``: printed once, in the closing paragraph
        (:func:`geo_sym.render.provenance.provenance`).
    """
    from geo_sym.render.provenance import provenance_latex

    figures = figures or {}
    refuted = [v for v in verdicts if v.status == "refuted"]
    abstract = (
        "\\begin{abstract}\nEach claim of the paper was checked by computation on %s, under the formal reading of "
        "each claim documented with geo-sym (\\texttt{docs/claims.md}). %d of the %d claims do not hold as stated; for "
        "each of them this note gives a counterexample that independent code re-checks exactly or with rigorous "
        "interval arithmetic, and the strongest statement that does hold, with its proof or certificate.\n"
        "\\end{abstract}" % (tex_text(economy_label), len(refuted), len(verdicts))
    )
    body = [abstract, *(_section(v, figures) for v in verdicts), provenance_latex(provenance)]
    title = "Corrigendum to “A General Equilibrium Theory of Orchestrated AI Agent Systems” (Garnier 2026, arXiv 2602.21255)"
    return document(title, body, author="checked with geo-sym")
