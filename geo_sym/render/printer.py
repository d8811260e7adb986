"""LaTeX in the paper's notation: the printer, names, matrices and equation layout.

:class:`GeoSymLatexPrinter` subclasses SymPy's :class:`~sympy.printing.latex.LatexPrinter`
(as ``sympy.physics.vector.printing`` does) with ``_print_<Type>`` methods. It knows the
economy, so the state symbols of :mod:`geo_sym.maps.symbolic` print with agent names (set
upright: ``a1`` is a name, not ``a`` times ``1``) and 1-based coordinate indices:

=====================  ==========================  =====================================
symbol                 printed                     meaning
=====================  ==========================  =====================================
``y_0_0``              ``y_{\\mathrm{a1},1}``       production of agent ``a1``, coordinate 1
``p_0_0``              ``p_{\\mathrm{a1},1}``       price
``pi_0``               ``\\pi_{\\mathrm{a1} \\to \\mathrm{b1}}``  routing weight of a path (or ``\\pi_{1}``)
``v_0_0``, ``q_0_0``   ``v_{\\mathrm{a1},1}``       pre-projection / pre-``max`` stages
``y_new_0_0``          ``y'_{\\mathrm{a1},1}``      updated production (eq. (10))
``p_new_0_0``          ``p'_{\\mathrm{a1},1}``      updated price (eq. (11) / ``A_K``)
``c_0``                ``c_{\\mathrm{a1}}``         agent cost (revenue ``s_a`` + SLO terms)
``pinew_0``            ``\\pi'_{…}``                updated routing (eq. (12))
``w_0``, ``wnew_0``    ``w_{\\mathrm{a1}}``         routing marginals (reduced state)
=====================  ==========================  =====================================

Names are escaped (``web_search`` → ``\\mathrm{web\\_search}``), so every output compiles with
pdflatex and ``amsmath`` and renders in MathJax. Functions return math-mode bodies (wrap them in
``\\[ … \\]``); ``display=True`` wraps them in ``$$ … $$`` for notebooks. The economy, the map and
the Jacobian are in :mod:`geo_sym.render.economy_tex` and :mod:`geo_sym.render.jacobian_tex`.
"""

from __future__ import annotations

import re
from functools import cached_property

import numpy as np
import sympy as sp
from sympy.core.function import _coeff_isneg
from sympy.printing.latex import LatexPrinter

from geo_sym.errors import ShapeError, ValidationError
from geo_sym.render.latex_text import float_latex

__all__ = [
    "GeoSymLatexPrinter",
    "latex",
    "latex_name",
    "matrix_latex",
    "path_legend_latex",
    "MAX_LISTED_PATHS",
    "MAX_BLOCK",
    "LINE_WIDTH",
]

#: Above this many paths, path labels are indices and listings are cut short.
MAX_LISTED_PATHS = 32
#: Blocks with more rows or columns than this are summarised, not printed.
MAX_BLOCK = 8
#: Target width (visible characters, :func:`visible_len`) of one line of a broken equation.
LINE_WIDTH = 70

# ----------------------------------------------------------------------------- names
_MATH_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?()[]/+=*@<>|")
_ESCAPES = {
    "_": r"\_",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "$": r"\$",
    "{": r"\{",
    "}": r"\}",
    "~": r"\sim ",
    "^": r"\hat{}",
    "\\": r"\backslash ",
    " ": r"\ ",
    "-": r"\text{-}",
    "'": r"\text{'}",
    '"': r"\text{''}",
    "`": r"\text{`}",
}


def latex_name(name) -> str:
    """A name (agent, economy, metric) as math-mode LaTeX, set upright.

    A name is a word, not a product of variables: ``a1`` is ``\\mathrm{a1}``, never the math italic
    ``a1`` that reads as ``a·1``. LaTeX's special characters are escaped
    (``web_search`` → ``\\mathrm{web\\_search}``, ``r&d`` → ``\\mathrm{r\\&d}``). Latin-1
    letters go through ``\\text{…}``; other characters outside Latin-1 are written as
    their code point (``U+4E2D``), which pdflatex can always typeset.

    Examples
    --------
    >>> latex_name("a1")
    '\\\\mathrm{a1}'
    >>> latex_name("web_search")
    '\\\\mathrm{web\\\\_search}'
    """
    s = str(name)
    out = []
    for ch in s:
        if ch in _MATH_SAFE:
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch in "\t\n\r\f\v":
            out.append(r"\ ")
        elif 0xA0 <= ord(ch) <= 0xFF and ch.isprintable():
            out.append(r"\text{%s}" % ch)
        else:
            out.append(r"\text{[U+%04X]}" % ord(ch))
    return r"\mathrm{%s}" % "".join(out)


# ----------------------------------------------------------------------------- the printer
_COORD_SYMBOL = re.compile(r"(y_new|p_new|y|p|v|q|d)_(\d+)_(\d+)\Z")
_AGENT_SYMBOL = re.compile(r"(wnew|w|c|s)_(\d+)\Z")
_PATH_SYMBOL = re.compile(r"(pinew|pi|V)_(\d+)\Z")
_BASES = {
    "y_new": "y'",
    "p_new": "p'",
    "y": "y",
    "p": "p",
    "v": "v",
    "q": "q",
    "d": "d",
    "wnew": "w'",
    "w": "w",
    "c": "c",
    "s": "s",
    "pinew": r"\pi'",
    "pi": r"\pi",
    "V": "V",
}
PATH_LABEL_MODES = ("auto", "names", "index")


class GeoSymLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer in the paper's notation, for one economy.

    Parameters
    ----------
    econ : Economy, optional
        Gives agent names and paths. Without it agents and paths are numbered from 1.
    settings : dict, optional
        Any :class:`~sympy.printing.latex.LatexPrinter` setting, plus

        ``path_labels`` : ``"auto"`` (default), ``"names"`` or ``"index"``
            ``\\pi_{a1 \\to b1}`` (agents on the path) or ``\\pi_{1}`` (1-based path
            number, see :func:`path_legend_latex`). ``"auto"`` uses names when there are
            at most 16 paths of at most 3 agents each, with short names.
        ``float_digits`` : int or None (default 6)
            Significant digits of floats (numeric Jacobians); ``None`` prints SymPy's default.

    Examples
    --------
    >>> import sympy as sp
    >>> from geo_sym.economy.spec import Economy
    >>> econ = Economy.build(agents=[{"name": "a1", "demand": [1], "box": [[0, 1]]},
    ...                              {"name": "b1", "demand": [1], "box": [[0, 1]]}],
    ...                      edges=[["a1", "b1"]], parameters={"alpha": "1/10", "beta": 1, "tau": 1})
    >>> GeoSymLatexPrinter(econ).doprint(sp.Symbol("y_1_0") / 10)
    '\\\\frac{y_{b1,1}}{10}'
    """

    _default_settings = {**LatexPrinter._default_settings, "path_labels": "auto", "float_digits": 6}

    def __init__(self, econ=None, settings=None):
        super().__init__(settings)
        if self._settings["path_labels"] not in PATH_LABEL_MODES:
            raise ValidationError("path_labels", self._settings["path_labels"], f"one of {list(PATH_LABEL_MODES)}")
        fd = self._settings["float_digits"]
        if fd is not None and (isinstance(fd, bool) or not isinstance(fd, int) or fd < 1):
            raise ValidationError("float_digits", fd, "a positive integer or None")
        self.econ = econ

    # ------------------------------------------------------------------ labels
    @cached_property
    def agent_labels(self) -> tuple:
        """LaTeX label of each agent (:func:`latex_name` of its name)."""
        return () if self.econ is None else tuple(latex_name(n) for n in self.econ.agent_names)

    def agent_label(self, a: int) -> str:
        labels = self.agent_labels
        return labels[a] if a < len(labels) else str(a + 1)

    @cached_property
    def _paths(self):
        """Paths (agent index tuples) when there are few enough to list, else ``None``."""
        if self.econ is None or self.econ.n_paths > MAX_LISTED_PATHS:
            return None
        return self.econ.paths

    @cached_property
    def path_labels_by_name(self) -> bool:
        mode = self._settings["path_labels"]
        if mode == "index" or self._paths is None:
            return False
        if mode == "names":
            return True
        if len(self._paths) > 16 or max((len(p) for p in self._paths), default=0) > 3:
            return False
        return all(sum(len(self.agent_label(a)) for a in p) <= 24 for p in self._paths)

    def path_label(self, j: int) -> str:
        """``a1 \\to b1`` (names) or ``1`` (1-based index) for path ``j`` (0-based)."""
        if self.path_labels_by_name and j < len(self._paths):
            return r" \to ".join(self.agent_label(a) for a in self._paths[j])
        return str(j + 1)

    # ------------------------------------------------------------------ _print_<Type>
    def _print_Symbol(self, expr, style="plain"):
        if expr in self._settings["symbol_names"]:
            return self._settings["symbol_names"][expr]
        name = expr.name
        m = _COORD_SYMBOL.match(name)
        if m:
            return r"%s_{%s,%d}" % (_BASES[m.group(1)], self.agent_label(int(m.group(2))), int(m.group(3)) + 1)
        m = _AGENT_SYMBOL.match(name)
        if m:
            return r"%s_{%s}" % (_BASES[m.group(1)], self.agent_label(int(m.group(2))))
        m = _PATH_SYMBOL.match(name)
        if m:
            return r"%s_{%s}" % (_BASES[m.group(1)], self.path_label(int(m.group(2))))
        return super()._print_Symbol(expr, style=style)

    def parenthesize_super(self, s):
        # primes are superscripts: ``{\pi'_{1}}^{2}``, never the double superscript ``\pi'_{1}^{2}``
        if "'" in s and "^" not in s:
            return "{%s}" % s
        return super().parenthesize_super(s)

    def _print_Float(self, expr):
        digits = self._settings["float_digits"]
        if digits is None:
            return super()._print_Float(expr)
        return float_latex(float(expr), digits)

    def _print_MatrixBase(self, expr):
        rows = [[self._print(expr[i, j]) for j in range(expr.cols)] for i in range(expr.rows)]
        return _pmatrix(rows, expr.cols)

    def _print_Poly(self, poly):
        return self._print(poly.as_expr())


def _pmatrix(rows, cols: int) -> str:
    """``pmatrix`` (amsmath allows 10 columns by default); wider matrices as an ``array``."""
    body = " \\\\ ".join(" & ".join(r) for r in rows)
    if cols <= 10:
        return r"\begin{pmatrix} %s \end{pmatrix}" % body
    return r"\left(\begin{array}{%s} %s \end{array}\right)" % ("c" * cols, body)


def _printer(econ=None, printer=None, **settings) -> GeoSymLatexPrinter:
    if printer is not None:
        return printer
    return GeoSymLatexPrinter(econ, settings or None)


def _display(body: str, display: bool) -> str:
    return "$$\n%s\n$$" % body if display else body


def _sym(v):
    """Numbers and NumPy scalars as SymPy objects (no parsing of text)."""
    if isinstance(v, sp.Basic):
        return v
    if isinstance(v, (bool, np.bool_)):
        return sp.Integer(int(v))
    if isinstance(v, (int, np.integer)):
        return sp.Integer(int(v))
    if isinstance(v, (float, np.floating)):
        return sp.Float(float(v))
    raise TypeError(f"cannot print {type(v).__name__} {v!r} as LaTeX")


# ----------------------------------------------------------------------------- public helpers
def latex(expr, econ=None, **settings) -> str:
    """LaTeX of a SymPy expression, matrix, NumPy array or polynomial in the paper's notation.

    Parameters
    ----------
    expr : sympy.Basic, sympy.Matrix, numpy.ndarray, sympy.Poly, number
    econ : Economy, optional
        Agent names and paths for the state symbols.
    **settings
        Settings of :class:`GeoSymLatexPrinter`.

    Examples
    --------
    >>> import sympy as sp
    >>> latex(sp.Rational(1, 10))
    '\\\\frac{1}{10}'
    >>> latex(sp.Symbol("y_0_0"))
    'y_{1,1}'
    """
    pr = _printer(econ, **settings)
    if isinstance(expr, (np.ndarray, list, tuple, sp.MatrixBase)):
        return matrix_latex(expr, econ, printer=pr)
    return pr.doprint(_sym(expr))


def matrix_latex(M, econ=None, *, printer=None, **settings) -> str:
    """A matrix (or vector, as a column) as a ``pmatrix``.

    Wider than 10 columns (amsmath's ``pmatrix`` limit) it becomes a parenthesised ``array``.

    Parameters
    ----------
    M : sympy.Matrix, numpy.ndarray (1-D or 2-D) or nested list
    econ : Economy, optional
    printer : GeoSymLatexPrinter, optional
        Reuse a printer (its economy and settings win).

    Examples
    --------
    >>> import sympy as sp
    >>> matrix_latex(sp.Matrix([[1, sp.Rational(1, 2)], [0, 1]]))
    '\\\\begin{pmatrix} 1 & \\\\frac{1}{2} \\\\\\\\ 0 & 1 \\\\end{pmatrix}'
    """
    pr = _printer(econ, printer, **settings)
    rows = _as_rows(M)
    if not rows or not rows[0]:
        raise ShapeError("matrix", getattr(M, "shape", M), "a non-empty matrix")
    return _pmatrix([[pr._print(_sym(v)) for v in r] for r in rows], len(rows[0]))


def _as_rows(M) -> list:
    if isinstance(M, sp.MatrixBase):
        return M.tolist()
    if hasattr(M, "toarray") and not isinstance(M, np.ndarray):
        M = M.toarray()
    arr = np.asarray(M, dtype=object) if not isinstance(M, np.ndarray) else M
    if arr.ndim == 1:
        return [[v] for v in arr]
    if arr.ndim != 2:
        raise ShapeError("matrix", arr.shape, "a 1-D or 2-D array")
    return [list(r) for r in arr]


def path_legend_latex(econ, *, printer=None) -> str:
    """``\\pi_{1}: a1 \\to b1,\\ \\pi_{2}: …`` — path numbers of ``P(G)`` (lexicographic order)."""
    pr = _printer(econ, printer, path_labels="index")
    if econ.n_paths > MAX_LISTED_PATHS:
        return r"|\mathcal{P}(G)| = %d \text{ paths (not listed)}" % econ.n_paths
    return r",\ ".join(_path_items(econ, pr))


def _path_items(econ, pr) -> list[str]:
    """``\\pi_{j}: a \\to b`` for every path (1-based, lexicographic order of ``P(G)``)."""
    return [r"\pi_{%d}: %s" % (j + 1, r" \to ".join(pr.agent_label(a) for a in p)) for j, p in enumerate(econ.paths)]


# ----------------------------------------------------------------------------- line breaking
def _signed_terms(pr, expr) -> list[tuple[str, str]]:
    """Top-level terms of ``expr`` as ``(sign, latex)`` in the printer's order."""
    terms = pr._as_ordered_terms(expr, order=None) if expr.is_Add else [expr]
    out = []
    for t in terms:
        sign = "+"
        if _coeff_isneg(t):
            sign, t = "-", -t
        tex = pr._print(t)
        if pr._needs_add_brackets(t):
            tex = r"\left(%s\right)" % tex
        out.append((sign, tex))
    return out


_COMMANDS = re.compile(r"\\(mathrm|operatorname|mathcal|mathbb|left|right|Bigl|Bigr|qquad|quad|,|;|!)")
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_SCRIPT = re.compile(r"[_^]\{([^{}]*)\}")


def visible_len(tex: str) -> int:
    """About how many character widths ``tex`` prints in display math: commands count one, fractions
    their wider part, sub- and superscripts three quarters, binary operators and relations three (their
    spacing), so lines are broken by what the reader sees rather than by the length of the source."""
    t = _COMMANDS.sub("", tex)
    for _ in range(3):
        t = _FRAC.sub(lambda m: "x" * max(len(m.group(1)), len(m.group(2))), t)
        t = _SCRIPT.sub(lambda m: "x" * ((3 * len(m.group(1)) + 3) // 4), t)
    t = re.sub(r"\\(le|ge|neq|to|cdot|times|in)\b", "=", t)
    t = re.sub(r"\\(max|min|exp|log|sup|inf|det)\b", "xxx", t)
    t = re.sub(r"\\[A-Za-z]+", "x", t)
    t = re.sub(r"[{}_^ ]", "", t)
    return len(t) + 2 * sum(t.count(c) for c in "+-=<>")


def _pack(chunks: list[str], width: int) -> list[str]:
    """Greedy packing of chunks into lines of about ``width`` visible characters (:func:`visible_len`)."""
    lines, cur = [], ""
    for c in chunks:
        if cur and visible_len(cur) + 1 + visible_len(c) > width:
            lines.append(cur)
            cur = c
        else:
            cur = f"{cur} {c}" if cur else c
    if cur:
        lines.append(cur)
    return lines


def _rhs_lines(pr, expr, width: int = LINE_WIDTH) -> list[str]:
    """Right-hand side of an equation, broken at top-level ``+``/``-`` when too long."""
    tex = pr._print(expr)
    if visible_len(tex) <= width or not expr.is_Add:
        return [tex]
    chunks = []
    for i, (sign, t) in enumerate(_signed_terms(pr, expr)):
        chunks.append(t if (i == 0 and sign == "+") else (f"-{t}" if i == 0 else f"{sign} {t}"))
    return _pack(chunks, width)


def _aligned(rows: list[tuple], note: dict | None = None) -> str:
    """``aligned`` environment from ``(lhs, [rhs line, continuation, …][, relation])``."""
    note = note or {}
    out = []
    for i, row in enumerate(rows):
        lhs, rhs = row[0], row[1]
        rel = row[2] if len(row) > 2 else "="
        first = f"{lhs} &{rel} {rhs[0]}"
        if i in note:
            first += r" \qquad \text{%s}" % note[i]
        out.append(first)
        out.extend(r"&\quad %s" % r for r in rhs[1:])
    return "\\begin{aligned}\n" + " \\\\\n".join(out) + "\n\\end{aligned}"
