"""Reports of verdicts: a readable table, JSON, and LaTeX (fragments and a compilable document)."""
from __future__ import annotations

import json
import textwrap

__all__ = ["verdict_table", "verdicts_json", "verdict_latex", "report_latex"]

_MARK = {"proved": "PROVED", "refuted": "REFUTED", "certified": "CERTIFIED", "supported": "supported",
         "inconclusive": "inconclusive"}


def verdict_table(verdicts, width: int = 110) -> str:
    """One block per claim: id, status, seconds, then the reason and the extra hypotheses, wrapped."""
    lines = [f"{'claim':<9} {'status':<13} {'seconds':>7}  reason", "-" * min(width, 110)]
    for v in verdicts:
        head = f"{v.id:<9} {_MARK[v.status]:<13} {v.seconds:>7.2f}  "
        body = textwrap.wrap(v.reason, width - len(head)) or [""]
        lines.append(head + body[0])
        lines.extend(" " * len(head) + b for b in body[1:])
        for h in v.holds_under:
            wrapped = textwrap.wrap("holds under: " + h, width - len(head) - 2)
            lines.extend(" " * (len(head) + 2) + w for w in wrapped)
    counts = {s: sum(1 for v in verdicts if v.status == s) for s in _MARK}
    lines.append("-" * min(width, 110))
    lines.append("  ".join(f"{k}: {n}" for k, n in counts.items() if n)
                 + f"   total {sum(v.seconds for v in verdicts):.1f} s")
    return "\n".join(lines)


def verdicts_json(verdicts) -> str:
    return json.dumps([v.to_dict() for v in verdicts], indent=1, default=str)


def _tex_escape(text: str) -> str:
    repl = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
            "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    out = "".join(repl.get(c, c) for c in text)
    # common Unicode in reasons, mapped to math so pdflatex needs no extra fonts
    for u, t in {"≠": r"$\neq$", "≤": r"$\le$", "≥": r"$\ge$", "Σ": r"$\Sigma$", "Φ": r"$\Phi$", "π": r"$\pi$",
                 "α": r"$\alpha$", "β": r"$\beta$", "γ": r"$\gamma$", "τ": r"$\tau$", "λ": r"$\lambda$",
                 "ρ": r"$\rho$", "Δ": r"$\Delta$", "Ω": r"$\Omega$", "Π": r"$\Pi$", "∂": r"$\partial$",
                 "‖": r"$\|$", "⟨": r"$\langle$", "⟩": r"$\rangle$", "∈": r"$\in$", "→": r"$\to$", "⇒": r"$\Rightarrow$",
                 "−": "-", "—": "---", "–": "--", "…": r"\dots{}", "≈": r"$\approx$", "·": r"$\cdot$", "×": r"$\times$",
                 "∞": r"$\infty$", "²": r"$^2$", "∗": "*", "’": "'", "‘": "`", "“": "``", "”": "''",
                 "ε": r"$\varepsilon$", "∃": r"$\exists$", "∀": r"$\forall$", "⊂": r"$\subset$", "√": r"$\surd$",
                 "ᵀ": r"$^T$", "⁺": r"$^+$", "₁": r"$_1$", "₂": r"$_2$", "ⁿ": r"$^n$", "μ": r"$\mu$",
                 "σ": r"$\sigma$", "κ": r"$\kappa$", "φ": r"$\varphi$", "χ": r"$\chi$", "H": "H"}.items():
        out = out.replace(u, t)
    return "".join(c if ord(c) < 128 else "?" for c in out)


def verdict_latex(v, standalone: bool = False) -> str:
    """A verdict as LaTeX: statement, status, reason, extra hypotheses, derivation and witness summary."""
    parts = [rf"\subsection*{{{_tex_escape(v.id)}: {_MARK[v.status]}}}" if standalone else
             rf"\textbf{{{_tex_escape(v.id)}}}: \textsc{{{v.status}}}\\"]
    parts.append(r"\textit{Statement.} " + _tex_escape(v.statement))
    if v.statement_latex:
        parts.append(r"\[" + v.statement_latex + r"\]")
    parts.append(r"\textit{Verdict.} " + _tex_escape(v.reason) + f" ({_tex_escape(v.method)}; {v.seconds:.2f} s)")
    if v.holds_under:
        parts.append(r"\textit{Holds under:}\begin{itemize}" + "".join(
            r"\item " + _tex_escape(h) for h in v.holds_under) + r"\end{itemize}")
    if v.derivation:
        parts.append(r"\textit{Derivation.} \[" + v.derivation + r"\]" if len(v.derivation) < 600 else
                     r"\textit{Derivation:} see the JSON report (long).")
    w = v.witness
    if w:
        items = [r"\item kind: \texttt{" + _tex_escape(str(w.get("kind"))) + "}"]
        for key in ("claimed", "observed"):
            if key in w:
                items.append(r"\item " + key + r": \texttt{" + _tex_escape(json.dumps(w[key], default=str))[:600] + "}")
        if "state" in w:
            items.append(r"\item state: \texttt{" + _tex_escape(json.dumps(w["state"]))[:400] + "}")
        items.append(r"\item exact: " + ("yes" if w.get("exact") else "no (high precision)"))
        parts.append(r"\textit{Witness.}\begin{itemize}" + "".join(items) + r"\end{itemize}")
    return "\n\n".join(parts)


def report_latex(verdicts, title: str = "geo-sym: checking the claims of Garnier (2026)") -> str:
    """A complete, compilable LaTeX document: a verdict table and one section per claim."""
    rows = "\n".join(rf"{_tex_escape(v.id)} & {v.status} & {v.seconds:.2f} & {_tex_escape(v.economy)} \\"
                     for v in verdicts)
    body = "\n\n".join(verdict_latex(v, standalone=True) for v in verdicts)
    return rf"""\documentclass[11pt]{{article}}
\usepackage[T1]{{fontenc}}
\usepackage{{amsmath,amssymb}}
\usepackage[margin=2.2cm]{{geometry}}
\usepackage{{longtable}}
\sloppy
\title{{{_tex_escape(title)}}}
\date{{}}
\begin{{document}}
\maketitle
Each claim of \emph{{A General Equilibrium Theory of Orchestrated AI Agent Systems}} (arXiv 2602.21255) checked by
computation. \textsc{{proved}}: exact identity or exact computation; \textsc{{refuted}}: an exact (or labelled
high-precision) counterexample, re-checked by independent code (\texttt{{geo-sym verify}}); \textsc{{supported}}:
seeded numeric evidence; \textsc{{inconclusive}}: not decided.

\begin{{longtable}}{{llrp{{7cm}}}}
claim & status & seconds & economy \\ \hline
{rows}
\end{{longtable}}

{body}
\end{{document}}
"""
