r"""The building blocks every geo-sym document shares: preamble, figures, tables, display math.

One preamble for all documents (the derivation, the check report, the corrigendum, DSGE model
documents), using only packages of Debian's ``texlive-latex-base`` and ``texlive-latex-recommended``
(``amsmath``, ``amssymb``, ``geometry``, ``longtable``, ``booktabs``, ``array``, ``graphicx``) with the
default Computer Modern fonts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo_sym.render.latex_text import tex_text

__all__ = ["PREAMBLE", "Figure", "display_math", "math_block", "split_top", "longtable", "document"]

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage[margin=2.2cm]{geometry}
\usepackage{longtable,booktabs,array}
\usepackage{graphicx}
\allowdisplaybreaks
\setcounter{MaxMatrixCols}{20}
\renewcommand{\arraystretch}{1.25}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6ex plus 0.2ex}
\setlength{\emergencystretch}{3em}
\setlength{\LTpre}{0.5ex}
\setlength{\LTpost}{0.5ex}
\raggedbottom
"""


@dataclass(frozen=True)
class Figure:
    """A figure next to the document: the file (as ``\\includegraphics`` sees it), caption and label.

    ``caption`` is LaTeX (text mode); ``label`` is referenced with ``Figure~\\ref{label}`` from the text.
    """

    path: str
    caption: str
    label: str
    width: str = r"0.75\linewidth"

    def __repr__(self) -> str:
        return f"Figure({self.path!r})"

    def latex(self) -> str:
        """A floating ``figure`` environment (placed here or at the top of a page)."""
        return (
            "\\begin{figure}[htbp]\n\\centering\n"
            f"\\includegraphics[width={self.width}]{{{self.path}}}\n"
            f"\\caption{{{self.caption}}}\\label{{{self.label}}}\n\\end{{figure}}"
        )

    @property
    def ref(self) -> str:
        return r"Figure~\ref{%s}" % self.label


def display_math(tex: str) -> str:
    """Math-mode LaTeX as a display: an ``aligned`` body becomes ``align*`` (page breaks allowed)."""
    t = tex.strip()
    if t.startswith("$$") and t.endswith("$$"):
        t = t[2:-2].strip()
    if t.startswith(r"\begin{aligned}") and t.endswith(r"\end{aligned}"):
        inner = t[len(r"\begin{aligned}") : -len(r"\end{aligned}")].strip("\n")
        return "\\begin{align*}\n%s\n\\end{align*}" % inner
    return "\\[\n%s\n\\]" % t


def split_top(tex: str) -> list[str]:
    r"""Split a math string at top-level separators (``,\ ``, ``\quad``, ``\qquad``, ``;``, ``\\``).

    Only outside braces and environments, so the pieces are each valid math.
    """
    pieces, cur, depth, env, i = [], "", 0, 0, 0
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
        depth += (c == "{") - (c == "}")
        sep = _separator(tex, i) if depth == 0 and env == 0 else None
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


def _separator(tex: str, i: int) -> str | None:
    for s in (r"\\", r",\ ", r"\qquad", r"\quad", ";"):
        if tex.startswith(s, i) and not (s.startswith(r"\q") and tex[i + len(s) : i + len(s) + 1].isalpha()):
            return s
    return None


def math_block(tex: str, width: int = 90) -> str:
    """A math string as display math, broken into ``gather*`` lines at top-level separators when long."""
    tex = tex.strip()
    if not tex:
        return ""
    pieces = split_top(tex)
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


def longtable(spec: str, head: str, rows: list[str], *, size: str = "", title: str = "") -> str:
    r"""A ``longtable`` with booktabs rules and the head repeated on every page (rows end with ``\\``).

    ``title`` (text mode) is set above the first head, inside the table, so a page break never separates
    a table from the line that introduces it.
    """
    ncols = len(re.findall(r"[lcrpmb](?:\{[^}]*\})?", re.sub(r">\{[^}]*\}|<\{[^}]*\}|@\{[^}]*\}", "", spec)))
    first = ""
    if title:
        first = "\\multicolumn{%d}{@{}l}{%s} \\\\\n\\toprule\n%s \\\\\n\\midrule\n\\endfirsthead\n" % (
            ncols,
            title,
            head,
        )
    body = (
        "\\begin{longtable}{%s}\n%s\\toprule\n%s \\\\\n\\midrule\n\\endhead\n" % (spec, first, head)
        + "\n".join(rows)
        + "\n\\bottomrule\n\\end{longtable}"
    )
    return "{%s\n%s}" % (size, body) if size else body


def document(title: str, body: list[str], *, author: str = "generated by geo-sym", extra_preamble: str = "") -> str:
    """A complete document: the shared preamble, a title (plain text, escaped), the body parts."""
    parts = [
        PREAMBLE + extra_preamble,
        r"\title{%s}" % tex_text(title),
        r"\author{%s}" % author,
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        *[b for b in body if b],
        r"\end{document}",
        "",
    ]
    return "\n\n".join(parts)
