"""LaTeX names, expressions and number/matrix helpers for the DSGE documents.

Names are typeset with the file's ``latex_names`` (a trailing ``_t`` or ``_{t}`` is read as
the date and replaced by the timing); other names get Dynare-like defaults (``pi`` →
``\\pi``, ``phi_pi`` → ``\\phi_{\\pi}``, ``eps_v`` → ``\\varepsilon_{v}``). Expression trees
are printed without recursion, so any model that parses can be typeset.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["default_latex_name", "variable_latex", "tree_latex", "equation_latex", "MAX_MATRIX"]

_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "varpi",
    "rho",
    "varrho",
    "sigma",
    "varsigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
}
_ALIASES = {"eps": r"\varepsilon", "epsilon": r"\varepsilon", "lam": r"\lambda", "lambda": r"\lambda"}
#: Matrices with more rows or columns than this are listed by non-zero entries.
MAX_MATRIX = 10


# ----------------------------------------------------------------------------- names
def _atom(word: str) -> str:
    if word in _ALIASES:
        return _ALIASES[word]
    if word in _GREEK:
        return "\\" + word
    if len(word) == 1 or re.fullmatch(r"[A-Za-z][0-9]+", word):
        return word
    return r"\mathit{%s}" % word.replace("_", r"\_")


def _default_parts(name: str) -> tuple[str, str]:
    """``(base, subscript)`` of a default name: ``phi_pi`` → ``(\\phi, \\pi)``."""
    head, _, tail = name.partition("_")
    if not head:  # leading underscore
        return r"\mathit{%s}" % name.replace("_", r"\_"), ""
    base = _atom(head)
    sub = ",".join(_atom(t) for t in tail.split("_") if t) if tail else ""
    return base, sub


def default_latex_name(name: str) -> str:
    """Dynare-like LaTeX for a name: ``pi`` → ``\\pi``, ``phi_pi`` → ``\\phi_{\\pi}``, ``eps_v`` → ``\\varepsilon_{v}``.

    Examples
    --------
    >>> default_latex_name("phi_pi")
    '\\\\phi_{\\\\pi}'
    >>> default_latex_name("gdp")
    '\\\\mathit{gdp}'
    """
    base, sub = _default_parts(name)
    return base + (r"_{%s}" % sub if sub else "")


_DATED = re.compile(r"^(.*?)(?:_\{\s*t\s*\}|_t)\s*$", re.S)


def _parts(name: str, latex_names: dict) -> tuple[str, str]:
    """``(base, subscript)`` to which a date is appended as ``base_{sub,t}``."""
    given = latex_names.get(name)
    if given is None:
        return _default_parts(name)
    m = _DATED.match(given)
    base = m.group(1) if m else given
    if "_" in base or "^" in base:
        return "{%s}" % base, ""
    return base, ""


def variable_latex(name: str, timing: int | None = 0, latex_names: dict | None = None) -> str:
    """A variable (or shock, or parameter with ``timing=None``) as LaTeX: ``\\pi_{t+1}``, ``k_{t-1}``.

    Parameters
    ----------
    name : str
    timing : int or None
        -1, 0 or +1 (Dynare timing); None for an undated name (parameters).
    latex_names : dict, optional
        The model's ``latex_names``.

    Examples
    --------
    >>> variable_latex("pi", 1)
    '\\\\pi_{t+1}'
    >>> variable_latex("k", -1, {"k": "k_t"})
    'k_{t-1}'
    """
    base, sub = _parts(name, latex_names or {})
    if timing is None:
        return base + (r"_{%s}" % sub if sub else "")
    date = "t" if timing == 0 else ("t+%d" % timing if timing > 0 else "t-%d" % -timing)
    return r"%s_{%s}" % (base, f"{sub},{date}" if sub else date)


# ----------------------------------------------------------------------------- equations
_ATOM, _FRAC, _POW, _MUL, _NEG, _ADD = 9, 8, 5, 3, 2, 1
_CALLS = {
    "exp": r"\exp",
    "log": r"\log",
    "log10": r"\log_{10}",
    "sign": r"\operatorname{sign}",
    "min": r"\min",
    "max": r"\max",
}


def _number(text: str) -> str:
    if "e" in text or "E" in text:
        mant, _, exp = text.lower().partition("e")
        mant = mant.rstrip(".") or "1"
        return r"%s \cdot 10^{%d}" % (mant, int(exp))
    return text


def _leaf_latex(node, names) -> tuple[str, int]:
    kind = node[0]
    if kind == "num":
        return _number(node[1]), _ATOM
    if kind in ("var", "shock"):
        return variable_latex(node[1], node[2], names), _ATOM
    return variable_latex(node[1], None, names), _ATOM


def _paren(text: str) -> str:
    return r"\left(%s\right)" % text


def _pow_base(node, text: str) -> str:
    kind = node[0]
    if kind not in ("num", "var", "par", "shock", "local", "call") or (kind == "num" and "e" in node[1].lower()):
        return _paren(text)
    if kind in ("var", "shock") or (kind in ("par", "local") and "_" in text):
        return "{%s}" % text
    return text


def _combine_latex(node, parts) -> tuple[str, int]:
    kind = node[0]
    if kind == "call":
        args = [p[0] for p in parts]
        if node[1] == "sqrt":
            return r"\sqrt{%s}" % args[0], _ATOM
        if node[1] == "abs":
            return r"\left|%s\right|" % args[0], _ATOM
        return r"%s\left(%s\right)" % (_CALLS[node[1]], ", ".join(args)), _ATOM
    if kind == "div":
        return r"\frac{%s}{%s}" % (parts[0][0], parts[1][0]), _FRAC
    if kind == "neg":
        text, prec = parts[0]
        return "-" + (text if prec >= _NEG else _paren(text)), _NEG
    (a, pa), (b, pb) = parts
    if kind == "pow":
        return r"%s^{%s}" % (_pow_base(node[1], a), b), _POW
    right = node[2]
    if kind == "mul":
        left = a if pa >= _MUL else _paren(a)
        rtext = b if pb >= _MUL else _paren(b)
        numeric = right[0] == "num" or (right[0] == "pow" and right[1][0] == "num")
        return left + (r" \cdot " if numeric else r" \, ") + rtext, _MUL
    rtext = b if (pb > _ADD if kind == "sub" else pb >= _ADD) and right[0] != "neg" else _paren(b)
    return a + (" + " if kind == "add" else " - ") + rtext, _ADD


def tree_latex(node, latex_names: dict | None = None) -> str:
    """One parse tree as LaTeX (Dynare timing as dates: ``x(+1)`` is ``x_{t+1}``), without recursion."""
    from dsge.model.parser import fold

    names = latex_names or {}
    return fold(node, lambda n: _leaf_latex(n, names), _combine_latex)[0]


def _terms(node, names) -> list[tuple[str, str]]:
    """Top-level signed terms of a sum (for line breaking), left to right, without recursion."""
    out = []
    stack = [(node, "+")]
    while stack:
        n, sign = stack.pop()
        flip = "-" if sign == "+" else "+"
        if n[0] == "add":
            stack += [(n[2], sign), (n[1], sign)]
        elif n[0] == "sub":
            stack += [(n[2], flip), (n[1], sign)]
        elif n[0] == "neg":
            stack.append((n[1], flip))
        else:
            text = tree_latex(n, names)
            prec = 1 if n[0] in ("add", "sub") else 9
            out.append((sign, text if prec > 1 else _paren(text)))
    return out


def _joined(terms) -> list[str]:
    out = []
    for i, (s, t) in enumerate(terms):
        out.append((t if s == "+" else "-" + t) if i == 0 else f"{s} {t}")
    return out


def equation_latex(lhs, rhs, latex_names: dict | None = None, width: int = 110) -> list[str]:
    """An equation's two parse trees as LaTeX lines ``[first, continuation, …]`` for ``align``.

    The first line is ``lhs &= rhs…``; when the LaTeX source is longer than ``width``
    characters, the right-hand side is broken at its top-level ``+``/``-``.
    """
    names = latex_names or {}
    left = tree_latex(lhs, names)
    right = tree_latex(rhs, names)
    if len(left) + len(right) <= width:
        return [f"{left} &= {right}"]
    chunks = _joined(_terms(rhs, names))
    lines, cur = [], ""
    for c in chunks:
        if cur and len(cur) + len(c) > width:
            lines.append(cur)
            cur = c
        else:
            cur = f"{cur} {c}" if cur else c
    lines.append(cur)
    return [f"{left} &= {lines[0]}"] + [r"&\quad %s" % ln for ln in lines[1:]]


# ----------------------------------------------------------------------------- numbers and matrices
def _num(x, digits: int = 6) -> str:
    from geo_sym.render.latex_text import float_latex

    return float_latex(x, digits)


def _clean(M, tol: float = 1e-13) -> np.ndarray:
    A = np.array(M, dtype=float)
    scale = max(1.0, float(np.max(np.abs(A)))) if A.size else 1.0
    A[np.abs(A) < tol * scale] = 0.0
    return A


def _labelled_matrix(M, rows, cols, digits: int = 4) -> str:
    """A matrix as an ``array`` with row and column labels (math mode)."""
    A = _clean(M)
    head = " & ".join([""] + list(cols))
    body = [" & ".join([r] + [_num(v, digits) for v in A[i]]) for i, r in enumerate(rows)]
    return (
        r"\begin{array}{r|%s}" % ("r" * len(cols))
        + "\n"
        + head
        + r" \\ \hline"
        + "\n"
        + " \\\\\n".join(body)
        + "\n\\end{array}"
    )


def _nonzero_list(M, rows, cols, digits: int = 6, limit: int = 400) -> str:
    """A large matrix as a ``longtable`` of its non-zero entries (text mode)."""
    A = _clean(M)
    idx = np.argwhere(A != 0)
    lines = [r"$%s$ & $%s$ & $%s$ \\" % (rows[i], cols[j], _num(A[i, j], digits)) for i, j in idx[:limit]]
    more = (
        ""
        if len(idx) <= limit
        else "\n\\multicolumn{3}{l}{\\dots{} %d more non-zero entries} \\\\" % (len(idx) - limit)
    )
    return (
        "\\begin{longtable}{llr}\n\\toprule\nrow & column & value \\\\\n\\midrule\n\\endhead\n"
        + "\n".join(lines)
        + more
        + "\n\\bottomrule\n\\end{longtable}"
    )
