"""Reports of verdicts: a readable table, JSON, and LaTeX (fragments and a compilable document)."""

from __future__ import annotations

import json
import re
import textwrap

from geo_sym.display import latex_formatter

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


def _tex_escape(text) -> str:
    """Plain text as LaTeX text mode (special characters escaped, common Unicode mapped)."""
    from geo_sym.render.document import tex_text

    return tex_text(text)


# ----------------------------------------------------------------------------- LaTeX pieces
def _split_top(tex: str) -> list[str]:
    r"""Split a math string at top-level separators (``,\ ``, ``\quad``, ``\qquad``, ``;``, ``\\``).

    Only outside braces and environments, so the pieces are each valid math.
    """
    pieces, cur, depth, env, i = [], "", 0, 0, 0
    seps = (r"\\", r",\ ", r"\qquad", r"\quad", ";")
    while i < len(tex):
        if tex.startswith(r"\begin{", i):
            env += 1
        elif tex.startswith(r"\end{", i):
            env -= 1
        c = tex[i]
        if c == "\\" and i + 1 < len(tex) and tex[i + 1] in "{}":  # escaped brace
            cur += tex[i : i + 2]
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if depth == 0 and env == 0:
            sep = next(
                (
                    s
                    for s in seps
                    if tex.startswith(s, i) and not (s.startswith(r"\q") and tex[i + len(s) : i + len(s) + 1].isalpha())
                ),
                None,
            )
            if sep is not None:
                if cur.strip():
                    pieces.append(cur.strip() + ("," if sep == r",\ " else (";" if sep == ";" else "")))
                cur = ""
                i += len(sep)
                continue
        cur += c
        i += 1
    if cur.strip():
        pieces.append(cur.strip())
    return pieces


def _math_block(tex: str, width: int = 95) -> str:
    """A math string as display math, broken into ``gather*`` lines at top-level separators when long."""
    tex = tex.strip()
    if not tex:
        return ""
    pieces = _split_top(tex)
    if len(tex) <= width and len(pieces) <= 1:
        return "\\[ %s \\]" % tex
    lines, cur = [], ""
    for p in pieces:
        if cur and len(cur) + len(p) + 3 > width:
            lines.append(cur)
            cur = p
        else:
            cur = f"{cur} \\quad {p}" if cur else p
    if cur:
        lines.append(cur)
    return "\\begin{gather*}\n%s\n\\end{gather*}" % " \\\\\n".join(lines)


def _number_tex(value) -> str | None:
    """A JSON number or an exact/decimal string as math, or None when it is not a number."""
    from geo_sym.economy.numbers import parse_number
    from geo_sym.render.printer import GeoSymLatexPrinter

    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return r"\infty" if value == float("inf") else (r"-\infty" if value == float("-inf") else r"\mathrm{NaN}")
        text = repr(value)
    elif isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[-+]?\d+(/\d+)?|[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?", text):
            return None
    else:
        return None
    if "." in text or "e" in text.lower():
        digits = re.sub(r"[^0-9]", "", text.lower().split("e")[0]).lstrip("0")
        if len(digits) > 14:  # a long decimal (high-precision witness): 14 significant digits shown
            x = float(text)
            return r"%s\ldots" % f"{x:.14g}" if "e" not in f"{x:.14g}" else f"{x:.14g}"
        return text.lower().replace("e", r" \cdot 10^{") + ("}" if "e" in text.lower() else "")
    try:
        return GeoSymLatexPrinter().doprint(parse_number(text, "witness"))
    except Exception:  # noqa: BLE001 - anything unparsable is shown as text
        return None


def _value_tex(value, depth: int = 0) -> str:
    """A witness value (number, string, bool, list, dict) as LaTeX text mode."""
    num = _number_tex(value)
    if num is not None:
        return "$%s$" % num
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, str):
        return r"\texttt{%s}" % _tex_escape(value if len(value) <= 600 else value[:600] + " ...")
    if isinstance(value, (list, tuple)):
        items = [_value_tex(v, depth + 1) for v in list(value)[:24]]
        more = r", \dots{} (%d in all)" % len(value) if len(value) > 24 else ""
        return "[" + ", ".join(items) + more + "]"
    if isinstance(value, dict):
        if depth > 3:
            return r"\texttt{%s}" % _tex_escape(json.dumps(value, default=str)[:300])
        return "; ".join(r"%s: %s" % (_tex_escape(k), _value_tex(v, depth + 1)) for k, v in value.items())
    return r"\texttt{%s}" % _tex_escape(str(value))


def _state_tex(state: dict) -> str:
    """A state object ``{"y", "p", "pi"}`` as display math (rows per block)."""
    rows = []
    for key, sym in (("y", "y"), ("p", "p"), ("pi", r"\pi")):
        if key not in state:
            continue
        v = state[key]
        flat = [x for row in v for x in row] if v and isinstance(v[0], list) else list(v)
        shown = [(_number_tex(x) or r"\text{%s}" % _tex_escape(str(x))) for x in flat[:24]]
        more = r", \dots\ (%d)" % len(flat) if len(flat) > 24 else ""
        rows.append(r"%s &= \left(%s%s\right)" % (sym, ", ".join(shown), more))
    if not rows:
        return ""
    return "\\begin{align*}\n%s\n\\end{align*}" % " \\\\\n".join(rows)


def _economy_tex(data: dict) -> str:
    """A witness's economy (file format) as a short paragraph and its agent table."""
    try:
        from geo_sym.economy.spec import Economy
        from geo_sym.render.printer import GeoSymLatexPrinter, _production_set_tex, _vector, latex_name

        econ = Economy.from_dict(data)
    except Exception:  # noqa: BLE001 - show the raw file when it does not load (verify will say why)
        return r"\texttt{%s}" % _tex_escape(json.dumps(data, default=str)[:800])
    pr = GeoSymLatexPrinter(econ)
    edges = ", ".join(r"$%s \to %s$" % (pr.agent_label(i), pr.agent_label(j)) for i, j in econ.graph.edges[:40])
    params = [r"\alpha = %s" % pr.doprint(econ.alpha), r"\tau = %s" % pr.doprint(econ.tau)]
    if econ.beta is not None:
        params.insert(1, r"\beta = %s" % pr.doprint(econ.beta))
    pm = econ.price_mechanism
    if pm.kind == "linear":
        g = pm.spectral_norm_exact
        pm_text = r"linear $\mathcal{A}_K$ with $\gamma_{\mathcal{A}} = %s$" % (
            pr.doprint(g) if g is not None else "%.6g" % pm.spectral_norm
        )
    else:
        pm_text = r"t\^atonnement (11)"
    text = r"\texttt{%s}: $A = %d$, $K = %d$, %s map, %s, $%s$; edges: %s." % (
        _tex_escape(econ.name),
        econ.A,
        econ.K,
        econ.map_kind,
        pm_text,
        r",\ ".join(params),
        edges or "none (every agent is a one-agent path)",
    )
    if econ.A <= 12:
        rows = " \\\\\n".join(
            r"$%s$ & $%s$ & $%s$" % (latex_name(n), _vector(pr, u), _production_set_tex(pr, s))
            for n, u, s in zip(econ.agent_names, econ.demand, econ.production_sets)
        )
        text += (
            "\n\n\\begin{tabular}{lll}\n\\toprule\nagent & $u_a$ & $Y_a$ \\\\\n\\midrule\n"
            + rows
            + " \\\\\n\\bottomrule\n\\end{tabular}"
        )
    return text


def _witness_tex(w: dict) -> str:
    if not w:
        return r"No witness (the verdict rests on the evidence below)."
    parts = []
    kind = w.get("kind")
    parts.append(
        r"Kind \texttt{%s}%s. %s"
        % (
            _tex_escape(str(kind)),
            "" if not w.get("condition") else " (condition %s)" % _tex_escape(w["condition"]),
            "All numbers are exact."
            if w.get("exact")
            else "Numbers are high-precision decimals (labelled, not exact).",
        )
    )
    if isinstance(w.get("economy"), dict):
        parts.append(r"\textit{Economy.} " + _economy_tex(w["economy"]))
    for key, label in (
        ("state", "State"),
        ("fixed_point", "Fixed point"),
        ("alternative", "Alternative"),
        ("allocation", "Allocation"),
    ):
        if isinstance(w.get(key), dict):
            parts.append(r"\textit{%s.}" % label + "\n" + _state_tex(w[key]))
    if isinstance(w.get("states"), list):
        for k, st in enumerate(w["states"][:4]):
            parts.append(r"\textit{State %d.}" % (k + 1) + "\n" + _state_tex(st))
    rows = []
    for side in ("claimed", "observed"):
        for k, v in (w.get(side) or {}).items():
            rows.append(
                r"%s & \texttt{%s} & %s \\" % (side, _tex_escape(k).replace(r"\_", r"\_\allowbreak{}"), _value_tex(v))
            )
    if rows:
        parts.append(
            "\\begin{longtable}{l>{\\raggedright}p{3.8cm}>{\\raggedright\\arraybackslash}p{10.5cm}}\n"
            "\\toprule\n & figure & value \\\\\n\\midrule\n" + "\n".join(rows) + "\n\\bottomrule\n\\end{longtable}"
        )
    extra = {
        k: v
        for k, v in w.items()
        if k
        not in (
            "kind",
            "economy",
            "state",
            "states",
            "fixed_point",
            "alternative",
            "allocation",
            "claimed",
            "observed",
            "exact",
            "condition",
        )
    }
    if extra:
        parts.append(r"Further: " + _value_tex(extra) + ".")
    if kind:
        parts.append(r"Re-check it with independent exact code: \texttt{geo-sym verify verdicts.json}.")
    return "\n\n".join(parts)


def _evidence_tex(evidence: dict) -> str:
    """Further figures of a check: one item per key; a list of records gets one sub-item per record."""
    if not evidence:
        return ""
    items = []
    for k, v in evidence.items():
        if isinstance(v, list) and v and all(isinstance(r, dict) for r in v):
            sub = "\n".join(r"\item " + _value_tex(r, 1) for r in v[:20])
            more = "" if len(v) <= 20 else "\n\\item \\dots{} (%d in all)" % len(v)
            items.append(r"\item %s:" % _tex_escape(k) + "\n\\begin{itemize}\n" + sub + more + "\n\\end{itemize}")
        else:
            items.append(r"\item %s: %s" % (_tex_escape(k), _value_tex(v, 1)))
    return r"\textit{Evidence.}" + "\n\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}"


# ----------------------------------------------------------------------------- verdicts as LaTeX
def verdict_latex(v, standalone: bool = False) -> str:
    """A verdict as LaTeX.

    ``standalone=True``: a document section (``\\subsection*``) with the statement, the
    verdict, the extra hypotheses, the derivation (long math broken across lines) and the
    witness (economy, states, claimed against observed figures). ``standalone=False``: a
    compact math-mode summary for notebooks (``Verdict._repr_latex_``; MathJax renders it).
    """
    if not standalone:
        return _verdict_notebook(v)
    parts = [
        r"\subsection*{%s: %s}" % (_tex_escape(v.id), _MARK[v.status]),
        r"\textit{Statement.} " + _tex_escape(v.statement),
    ]
    if v.statement_latex:
        parts.append(_math_block(v.statement_latex))
    parts.append(
        r"\textit{Verdict: %s.} " % _STATUS_WORD[v.status]
        + _tex_escape(v.reason)
        + r" (Method: %s; economy \texttt{%s}; %.2f s.)"
        % (_tex_escape(v.method or "-"), _tex_escape(v.economy or "-"), v.seconds)
    )
    if v.holds_under:
        parts.append(
            r"\textit{Holds under:}"
            + "\n\\begin{itemize}\n"
            + "\n".join(r"\item " + _tex_escape(h) for h in v.holds_under)
            + "\n\\end{itemize}"
        )
    if v.derivation:
        parts.append(r"\textit{Derivation.}" + "\n" + _math_block(v.derivation))
    else:
        parts.append(
            r"\textit{Derivation.} The check records no symbolic derivation; its steps are the method "
            r"above, and its figures are the witness and the evidence below."
        )
    parts.append(r"\textit{Witness.} " + _witness_tex(v.witness))
    ev = _evidence_tex(v.evidence)
    if ev:
        parts.append(ev)
    return "\n\n".join(parts)


def _mj_text(text: str, width: int = 90) -> list[str]:
    """Plain text as ``\\text{…}`` lines for MathJax arrays (wrapped; special characters escaped)."""
    out = []
    for line in textwrap.wrap(str(text), width) or [""]:
        esc = "".join(
            {
                "\\": "/",
                "{": r"\{",
                "}": r"\}",
                "$": r"\$",
                "&": r"\&",
                "#": r"\#",
                "%": r"\%",
                "_": r"\_",
                "^": "^",
                "~": "~",
            }.get(c, c)
            for c in line
        )
        out.append(r"\text{%s}" % esc)
    return out


def _verdict_notebook(v) -> str:
    rows = [r"\textbf{%s}\ \text{: %s}" % (v.id.replace("_", r"\_"), _MARK[v.status])]
    rows += _mj_text("Statement. " + v.statement)
    if v.statement_latex:
        rows.append(v.statement_latex)
    rows += _mj_text("Verdict. " + v.reason)
    for h in v.holds_under:
        rows += _mj_text("Holds under: " + h)
    if v.derivation and len(v.derivation) < 2000:
        rows += _split_top(v.derivation) or [v.derivation]
    return "$$\n\\begin{array}{l}\n%s\n\\end{array}\n$$" % " \\\\\n".join(rows)


_STATUS_WORD = {
    "proved": "proved",
    "refuted": "refuted",
    "certified": "certified",
    "supported": "supported",
    "inconclusive": "inconclusive",
}

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage[margin=2cm]{geometry}
\usepackage{longtable,booktabs,array}
\allowdisplaybreaks
\setcounter{MaxMatrixCols}{20}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex plus 0.2ex}
\sloppy
"""


def report_latex(verdicts, title: str = "geo-sym: checking the claims of Garnier (2026)") -> str:
    """A complete, compilable LaTeX document: the verdict table, then per claim its statement,
    verdict, derivation and witness (``geo-sym check --latex FILE``)."""
    counts = {s: sum(1 for v in verdicts if v.status == s) for s in _MARK}
    rows = "\n".join(
        r"\texttt{%s} & %s & %s & %.2f & %s \\"
        % (
            _tex_escape(v.id),
            _STATUS_WORD[v.status]
            if v.status in ("supported", "inconclusive")
            else r"\textbf{%s}" % _STATUS_WORD[v.status],
            _tex_escape(v.economy or "-"),
            v.seconds,
            _tex_escape(v.reason),
        )
        for v in verdicts
    )
    body = "\n\n".join(verdict_latex(v, standalone=True) for v in verdicts)
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return rf"""{PREAMBLE}\title{{{_tex_escape(title)}}}
\author{{generated by geo-sym}}
\date{{}}
\begin{{document}}
\maketitle
Each claim of \emph{{A General Equilibrium Theory of Orchestrated AI Agent Systems}} (arXiv 2602.21255) checked by
computation. \textbf{{proved}}: exact identity or exact computation (possibly under the extra hypotheses listed);
\textbf{{refuted}}: an exact (or labelled high-precision) counterexample, re-checked by independent code
(\texttt{{geo-sym verify}}); \textbf{{certified}}: a rigorous interval certificate; supported: seeded numeric evidence;
inconclusive: not decided, for the reason given. In all: {summary}.

\section*{{Verdicts}}
\begin{{longtable}}{{l>{{\raggedright}}p{{2cm}}>{{\raggedright}}p{{2.6cm}}r>{{\raggedright\arraybackslash}}p{{7.6cm}}}}
\toprule
claim & status & economy & s & reason \\
\midrule
\endhead
{rows}
\bottomrule
\end{{longtable}}

\section*{{The claims one by one}}

{body}
\end{{document}}
"""


@latex_formatter("proofs.verdict.Verdict")
def _verdict_display(v) -> str:
    return verdict_latex(v)
