"""LaTeX in the paper's notation: economies, the maps (eq. (10)–(13)), Jacobian blocks, χ(λ).

:class:`GeoSymLatexPrinter` subclasses SymPy's :class:`~sympy.printing.latex.LatexPrinter`
(as ``sympy.physics.vector.printing`` does) with ``_print_<Type>`` methods. It knows the
economy, so the state symbols of :mod:`geo_sym.maps.symbolic` print with agent names and
1-based coordinate indices:

=====================  ==========================  =====================================
symbol                 printed                     meaning
=====================  ==========================  =====================================
``y_0_0``              ``y_{a1,1}``                production of agent ``a1``, coordinate 1
``p_0_0``              ``p_{a1,1}``                price
``pi_0``               ``\\pi_{a1 \\to b1}``       routing weight of a path (or ``\\pi_{1}``)
``v_0_0``, ``q_0_0``   ``v_{a1,1}``, ``q_{a1,1}``  pre-projection / pre-``max`` stages
``y_new_0_0``          ``y'_{a1,1}``               updated production (eq. (10))
``p_new_0_0``          ``p'_{a1,1}``               updated price (eq. (11) / ``A_K``)
``c_0``                ``c_{a1}``                  agent cost (revenue ``s_a`` + SLO terms)
``pinew_0``            ``\\pi'_{a1 \\to b1}``      updated routing (eq. (12))
``w_0``, ``wnew_0``    ``w_{a1}``, ``w'_{a1}``     routing marginals (reduced state)
=====================  ==========================  =====================================

Agent names that are not a letter followed by digits are set upright and escaped
(``web_search`` → ``\\mathrm{web\\_search}``), so every output compiles with pdflatex
and ``amsmath`` and renders in MathJax. Functions return math-mode bodies (wrap
them in ``\\[ … \\]``); ``display=True`` wraps them in ``$$ … $$`` for notebooks, and
:func:`economy_latex` (the economy's ``_repr_latex_``) does so by default.
"""

from __future__ import annotations

import re
from functools import cached_property

import numpy as np
import sympy as sp
from sympy.core.function import _coeff_isneg
from sympy.printing.latex import LatexPrinter

from geo_sym.errors import ShapeError, ValidationError

__all__ = [
    "GeoSymLatexPrinter",
    "latex",
    "latex_name",
    "matrix_latex",
    "economy_latex",
    "map_latex",
    "jacobian_blocks_latex",
    "charpoly_latex",
    "path_legend_latex",
]

#: Above this many paths, path labels are indices and listings are cut short.
MAX_LISTED_PATHS = 32
#: Blocks with more rows or columns than this are summarised, not printed.
MAX_BLOCK = 8
#: Target length (characters of LaTeX source) of one line of a broken equation.
LINE_WIDTH = 100

# ----------------------------------------------------------------------------- names
_PLAIN_NAME = re.compile(r"[A-Za-z][0-9]*\Z")
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
    """A name (agent, economy, metric) as math-mode LaTeX.

    A letter followed by digits (``a1``, ``b12``, ``x``) is kept as it is; anything else
    is set upright in ``\\mathrm{…}`` with LaTeX's special characters escaped
    (``web_search`` → ``\\mathrm{web\\_search}``, ``r&d`` → ``\\mathrm{r\\&d}``). Latin-1
    letters go through ``\\text{…}``; other characters outside Latin-1 are written as
    their code point (``U+4E2D``), which pdflatex can always typeset.

    Examples
    --------
    >>> latex_name("a1")
    'a1'
    >>> latex_name("web_search")
    '\\\\mathrm{web\\\\_search}'
    """
    s = str(name)
    if _PLAIN_NAME.match(s):
        return s
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
        return _float_tex(float(expr), digits)

    def _print_MatrixBase(self, expr):
        rows = [[self._print(expr[i, j]) for j in range(expr.cols)] for i in range(expr.rows)]
        return _pmatrix(rows, expr.cols)

    def _print_Poly(self, poly):
        return self._print(poly.as_expr())


def _float_tex(x: float, digits: int) -> str:
    if x != x:
        return r"\mathrm{NaN}"
    if x in (float("inf"), float("-inf")):
        return r"\infty" if x > 0 else r"-\infty"
    s = f"{x:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        return r"%s \cdot 10^{%d}" % (mant, int(exp))
    return s


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


def _pack(chunks: list[str], width: int) -> list[str]:
    """Greedy packing of chunks into lines of about ``width`` characters."""
    lines, cur = [], ""
    for c in chunks:
        if cur and len(cur) + 1 + len(c) > width:
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
    if len(tex) <= width or not expr.is_Add:
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


# ----------------------------------------------------------------------------- economy
def _vector(pr, values) -> str:
    vals = [pr._print(_sym(v)) for v in values]
    return vals[0] if len(vals) == 1 else r"\left(%s\right)" % ", ".join(vals)


def _production_set_tex(pr, s) -> str:
    if s.kind == "box":
        return r" \times ".join(r"[%s, %s]" % (pr._print(_sym(lo)), pr._print(_sym(hi))) for lo, hi in zip(s.lo, s.hi))
    return r"\bar{B}\left(%s, %s\right)" % (_vector(pr, s.center), pr._print(_sym(s.radius)))


def _chunk_rows(items: list[str], width: int) -> list[str]:
    """Comma-separated items packed into rows of about ``width`` characters."""
    rows, cur = [], []
    for it in items:
        if cur and sum(len(c) + 4 for c in cur) + len(it) > width:
            rows.append(r",\ ".join(cur))
            cur = []
        cur.append(it)
    if cur:
        rows.append(r",\ ".join(cur))
    return rows


def _price_mechanism_rows(econ, pr) -> list[str]:
    pm = econ.price_mechanism
    y_ref = "y'" if econ.map_kind == "sequential" else "y"
    if pm.kind == "tatonnement":
        return [
            r"\text{prices (tâtonnement, eq. (11)): } p' = \operatorname{normalize}\left(\max\left(0, p + \beta "
            r"\left(d(\pi) - %s\right)\right)\right)" % y_ref
        ]
    rows = []
    if pm.gamma is not None:
        rows.append(
            r"\text{prices (linear } \mathcal{A}_K\text{): } p' = \mathcal{A}_K(%s) = \gamma\, %s%s,\quad "
            r"\gamma = %s" % (y_ref, y_ref, "" if all(v == 0 for v in pm.b) else " + b", pr._print(_sym(pm.gamma)))
        )
    else:
        n = len(pm.G)
        rows.append(
            r"\text{prices (linear } \mathcal{A}_K\text{): } p' = \mathcal{A}_K(%s) = G %s + b" % (y_ref, y_ref)
        )
        if n <= MAX_BLOCK:
            rows.append(
                r"G = %s,\quad b = %s"
                % (matrix_latex(sp.Matrix(pm.G), printer=pr), matrix_latex(sp.Matrix(pm.b), printer=pr))
            )
        else:
            nnz = sum(1 for r in pm.G for v in r if v != 0)
            rows.append(r"G:\ %d \times %d,\ %d \text{ non-zeros}" % (n, n, nnz))
    exact = pm.spectral_norm_exact
    g = pr._print(_sym(exact)) if exact is not None else r"%s\ (\text{numeric})" % _float_tex(pm.spectral_norm, 6)
    rows.append(r"\gamma_{\mathcal{A}} = \lVert D\mathcal{A}_K \rVert_2 = %s" % g)
    return rows


def _prop62_row(econ, pr) -> str | None:
    """Proposition 6.2's bound ``(1 - α) γ_A P`` against ``τ`` (exact when ``γ_A`` is)."""
    pm = econ.price_mechanism
    if pm.kind != "linear":
        return None
    exact = pm.spectral_norm_exact
    if exact is not None:
        bound = (1 - econ.alpha) * exact * econ.depth
        holds = bool(econ.tau > bound)
        btex = pr._print(_sym(bound))
    else:
        bound = (1 - float(econ.alpha)) * pm.spectral_norm * econ.depth
        holds = float(econ.tau) > bound
        btex = r"%s\ (\text{numeric})" % _float_tex(bound, 6)
    rel = ">" if holds else r"\le"
    return (
        r"\text{Prop. 6.2, (15): } (1 - \alpha)\, \gamma_{\mathcal{A}}\, P = %s,\quad \tau %s (1 - \alpha)\, "
        r"\gamma_{\mathcal{A}}\, P \ (\text{%s})" % (btex, rel, "holds" if holds else "fails")
    )


def economy_latex(econ, *, display: bool = True, printer=None) -> str:
    """The economy ``E_K`` (§2, §4.2) as a LaTeX ``array``: agents, DAG, paths, parameters, maps.

    Lists each agent's demand profile ``u_a`` and production set ``Y_a``, the edges of
    ``G``, the paths ``P(G)`` (lexicographic order, as numbered in the state vector), the
    depth ``P``, ``α``, ``β``, ``τ`` as exact fractions, the price mechanism (with
    ``γ_A`` and the bound of Proposition 6.2 for a linear ``A_K``), SLO weights and the
    map (eq. (10)–(12) or (13)).

    Parameters
    ----------
    econ : Economy
    display : bool, default True
        Wrap in ``$$ … $$`` (what ``Economy._repr_latex_`` returns; also valid LaTeX).
    printer : GeoSymLatexPrinter, optional

    Returns
    -------
    str
    """
    pr = _printer(econ, printer)
    rows = [
        r"\text{Economy } %s\qquad A = %d,\ K = %d,\ |E| = %d,\ |\mathcal{P}(G)| = %d,\ P = %d"
        % (latex_name(econ.name), econ.A, econ.K, len(econ.graph.edges), econ.n_paths, econ.depth)
    ]
    if econ.metric_names is not None:
        rows.append(
            r"\text{coordinates: } K = R \cdot F,\quad \text{metrics } %s,\ F = %d"
            % (r",\ ".join(latex_name(m) for m in econ.metric_names), econ.stats_per_metric)
        )
    table = [
        r"%s & %s & %s" % (pr.agent_label(a), _vector(pr, u), _production_set_tex(pr, s))
        for a, (u, s) in enumerate(zip(econ.demand, econ.production_sets))
    ]
    rows.append("\\begin{array}{c|c|c}\na & u_a & Y_a \\\\ \\hline\n" + " \\\\\n".join(table) + "\n\\end{array}")

    edges = [r"%s \to %s" % (pr.agent_label(i), pr.agent_label(j)) for i, j in econ.graph.edges]
    if not edges:
        rows.append(r"E(G) = \emptyset \quad \text{(every agent is a one-agent path)}")
    else:
        shown = edges[:48]
        parts = _chunk_rows(shown, LINE_WIDTH)
        parts[0] = r"E(G) = \{" + parts[0]
        parts[-1] += (r",\ \dots\ (%d \text{ edges})\}" % len(edges)) if len(edges) > len(shown) else r"\}"
        rows.extend(parts)
    if econ.n_paths <= MAX_LISTED_PATHS:
        parts = _chunk_rows(_path_items(econ, pr), LINE_WIDTH)
        parts[0] = r"\mathcal{P}(G):\ " + parts[0]
        rows.extend(parts)
    else:
        rows.append(r"\mathcal{P}(G):\ %d \text{ maximal paths (not listed)}" % econ.n_paths)
    rows.append(r"\text{depth } P = %d" % econ.depth)

    params = [r"\alpha = %s" % pr._print(_sym(econ.alpha))]
    if econ.beta is not None:
        params.append(r"\beta = %s" % pr._print(_sym(econ.beta)))
    params.append(r"\tau = %s" % pr._print(_sym(econ.tau)))
    rows.append(r",\quad ".join(params))
    rows.extend(_price_mechanism_rows(econ, pr))
    if econ.map_kind == "simultaneous":
        rows.append(r"\text{map: simultaneous } \Phi_K \text{ (eq. (10)–(12)), } s_a = \langle p_a, y_a \rangle")
    else:
        s = r"\langle p'_a, y'_a \rangle" if econ.sequential_revenue == "new" else r"\langle p_a, y'_a \rangle"
        tag = " (variant: new prices)" if econ.sequential_revenue == "new" else ""
        rows.append(r"\text{map: sequential (eq. (13))%s, } s'_a = %s" % (tag, s))
    if econ.slo is not None:
        slo = econ.slo
        rows.append(
            r"\text{SLO: } c_a = s_a + \lambda_1 \langle r_{\mathrm{lat}}, y_a \rangle - \lambda_2 "
            r"\langle r_{\mathrm{qual}}, y_a \rangle,\quad \lambda_1 = %s,\ \lambda_2 = %s,\ "
            r"r_{\mathrm{lat}} = %s,\ r_{\mathrm{qual}} = %s"
            % (
                pr._print(_sym(slo.lambda_lat)),
                pr._print(_sym(slo.lambda_qual)),
                _vector(pr, slo.readout_lat),
                _vector(pr, slo.readout_qual),
            )
        )
    p62 = _prop62_row(econ, pr)
    if p62 is not None:
        rows.append(p62)
    body = "\\begin{array}{l}\n" + " \\\\\n".join(rows) + "\n\\end{array}"
    return _display(body, display)


# ----------------------------------------------------------------------------- the map
def _free_active(econ):
    """The all-interior branch (used to read off branch-independent stage definitions)."""
    from geo_sym.maps.core import ActiveSet

    A, K = econ.A, econ.K
    tat = econ.price_mechanism.kind == "tatonnement"
    return ActiveSet(
        np.zeros((A, K), dtype=np.int8),
        np.zeros((A, K), dtype=bool),
        np.ones((A, K), dtype=bool) if tat else None,
        np.zeros((A, K), dtype=bool) if tat else None,
    )


def _generic_rows(econ, pr) -> list[tuple[str, list[str]]]:
    """The map in vector form with this economy's parameters (non-smooth pieces kept)."""
    seq = econ.map_kind == "sequential"
    y_ref = "y'" if seq else "y"
    params = [r"\alpha = %s" % pr._print(_sym(econ.alpha))]
    if econ.beta is not None:
        params.append(r"\beta = %s" % pr._print(_sym(econ.beta)))
    params.append(r"\tau = %s" % pr._print(_sym(econ.tau)))
    if econ.slo is not None:
        params += [
            r"\lambda_1 = %s" % pr._print(_sym(econ.slo.lambda_lat)),
            r"\lambda_2 = %s" % pr._print(_sym(econ.slo.lambda_qual)),
        ]
    rows = [
        (r"d_a(\pi)", [r"w_a\, u_a,\quad w_a = \sum_{j \ni a} \pi_j,\qquad " + r",\ ".join(params)]),
        ("y'", [r"\operatorname{Proj}_{Y}\left(y + \alpha \left(d(\pi) - y\right)\right)"]),
    ]
    pm = econ.price_mechanism
    if pm.kind == "tatonnement":
        rows.append(
            (
                "p'",
                [
                    r"\operatorname{normalize}\left(\max\left(0, p + \beta \left(d(\pi) - %s\right)\right)"
                    r"\right),\quad \operatorname{normalize}(x) = x \Big/ \sum_{a,k} x_{a,k}" % y_ref
                ],
            )
        )
    else:
        rows.append(("p'", [r"\mathcal{A}_K(%s) = G %s + b" % (y_ref, y_ref)]))
    p_rev = "p'" if (seq and econ.sequential_revenue == "new") else "p"
    cost = r"\langle %s_a, %s_a \rangle" % (p_rev, y_ref)
    if econ.slo is not None:
        cost += (
            r" + \lambda_1 \langle r_{\mathrm{lat}}, %s_a \rangle"
            r" - \lambda_2 \langle r_{\mathrm{qual}}, %s_a \rangle" % (y_ref, y_ref)
        )
    rows.append(("c_a", [cost]))
    rows.append((r"V_j", [r"\sum_{a \in j} c_a"]))
    rows.append(
        (
            r"\pi'",
            [
                r"\operatorname{softmax}\left(-V / \tau\right),\quad \pi'_j = "
                r"\frac{e^{-V_j/\tau}}{\sum_{i} e^{-V_i/\tau}}"
            ],
        )
    )
    return rows


def map_latex(econ, active=None, *, display: bool = False, printer=None, max_concrete: int = 16) -> str:
    """The economy's map in closed form: eq. (10)–(12) (simultaneous) or eq. (13) (sequential).

    The first lines give the map in vector form with this economy's ``α``, ``β``, ``τ``
    (``\\operatorname{Proj}_Y``, ``\\max(0, ·)``, ``\\operatorname{normalize}``,
    ``\\operatorname{softmax}``). For small economies (``AK`` and ``|P(G)|`` at most
    ``max_concrete``) every coordinate follows, from the stages of
    :class:`geo_sym.maps.symbolic.SymbolicMap`:

    * without ``active``: the generic non-smooth form, e.g.
      ``y'_{a1,1} = \\operatorname{Proj}_{[0, 1]}(…)`` and ``p' = normalize(max(0, q))``
      with each ``q_{a,k}`` written out;
    * with ``active`` (an :class:`~geo_sym.maps.core.ActiveSet`): the smooth branch, with
      clamped coordinates set to their bound, zeroed prices set to ``0`` and
      ``p'_{a,k} = q_{a,k} / N``.

    Path values ``V_j`` and ``π'_j = e^{-V_j/τ} / Z`` (softmax written out) close the map.

    Parameters
    ----------
    econ : Economy
    active : ActiveSet, optional
    display : bool, default False
        Wrap in ``$$ … $$``.
    printer : GeoSymLatexPrinter, optional
    max_concrete : int, default 16

    Returns
    -------
    str
        An ``aligned`` environment (math mode).

    Raises
    ------
    DegenerateNormalizationError
        When ``active`` cuts every price to zero (``normalize(0)``, eq. (11)).
    """
    from geo_sym.maps.symbolic import SymbolicMap

    pr = _printer(econ, printer)
    rows = _generic_rows(econ, pr)
    notes = {
        1: "eq. (10)",
        2: "eq. (11)" if econ.map_kind == "simultaneous" else "eq. (13)",
        len(rows) - 1: "eq. (12)" if econ.map_kind == "simultaneous" else "eq. (13)",
    }
    A, K = econ.A, econ.K
    if A * K > max_concrete or econ.n_paths > max_concrete:
        why = r"AK = %d,\ |\mathcal{P}(G)| = %d;\ \text{limit } %d" % (A * K, econ.n_paths, max_concrete)
        rows.append((r"\text{(coordinates)}", [r"\text{not written out: } " + why]))
        return _display(_aligned(rows, notes), display)

    if not pr.path_labels_by_name:
        rows.append((r"\text{paths}", _chunk_rows(_path_items(econ, pr), LINE_WIDTH)))
    sm = SymbolicMap(econ, _free_active(econ) if active is None else active)
    defs = dict(sm.stages)
    seq = econ.map_kind == "sequential"
    # on the interior branch y' = v; where y' enters prices and revenue (sequential map), print it as y'
    to_ynew = {
        sp.Symbol(f"v_{a}_{k}", real=True): sp.Symbol(f"y_new_{a}_{k}", real=True) for a in range(A) for k in range(K)
    }

    def show(expr):
        return _sym(expr).xreplace(to_ynew) if seq else _sym(expr)

    if active is not None:
        notes[len(rows)] = "(on the active branch)"
    # -- production, eq. (10)
    y_out = sm.outputs[: A * K]
    for a, s in enumerate(econ.production_sets):
        v_syms = [sp.Symbol(f"v_{a}_{k}", real=True) for k in range(K)]
        v_exprs = [defs.get(v, v) for v in v_syms]
        if active is None:
            if s.kind == "box":
                for k in range(K):
                    box = r"[%s, %s]" % (pr._print(_sym(s.lo[k])), pr._print(_sym(s.hi[k])))
                    rows.append(
                        (
                            pr._print(sp.Symbol(f"y_new_{a}_{k}")),
                            [r"\operatorname{Proj}_{%s}\left(%s\right)" % (box, pr._print(v_exprs[k]))],
                        )
                    )
            else:
                lhs = r"\left(%s\right)" % ", ".join(pr._print(sp.Symbol(f"y_new_{a}_{k}")) for k in range(K))
                rows.append(
                    (
                        lhs,
                        [
                            r"\operatorname{Proj}_{%s}\left(%s\right)"
                            % (_production_set_tex(pr, s), ", ".join(pr._print(e) for e in v_exprs))
                        ],
                    )
                )
            continue
        codes = active.y_codes[a]
        on_sphere = any(c == 2 for c in codes)
        if on_sphere:
            for k in range(K):
                rows.append((pr._print(v_syms[k]), _rhs_lines(pr, v_exprs[k])))
        for k in range(K):
            out = _sym(y_out[a * K + k])
            lhs = pr._print(sp.Symbol(f"y_new_{a}_{k}"))
            if out in defs and not out.name.startswith("v_"):  # ball: y' a stage of its own
                rows.append((lhs, _rhs_lines(pr, defs[out])))
            elif out.is_Symbol:
                rows.append((lhs, _rhs_lines(pr, defs.get(out, out))))
            else:
                where = "lower" if codes[k] == -1 else "upper"
                rows.append((lhs, [r"%s \quad \text{(at the %s bound)}" % (pr._print(out), where)]))
    # -- prices, eq. (11) / A_K
    pm = econ.price_mechanism
    p_out = sm.outputs[A * K : 2 * A * K]
    if pm.kind == "tatonnement":
        q_syms = [sp.Symbol(f"q_{a}_{k}", real=True) for a in range(A) for k in range(K)]
        for q in q_syms:
            rows.append((pr._print(q), _rhs_lines(pr, show(defs.get(q, q)))))
        N = sp.Symbol("N")
        if active is None:
            rows.append(("p'", [r"\operatorname{normalize}\left(\max\left(0, q\right)\right)"]))
            terms = [r"\max\left(0, %s\right)" % pr._print(q) for q in q_syms]
        else:
            kept = [q for q, keep in zip(q_syms, active.p_positive.ravel()) if keep]
            terms = [pr._print(q) for q in kept]
            for q, keep in zip(q_syms, active.p_positive.ravel()):
                lhs = pr._print(sp.Symbol("p_new_" + q.name[2:]))
                rows.append((lhs, [pr._print(q / N) if keep else r"0 \quad \text{(}\max(0, \cdot) = 0\text{)}"]))
        rows.append(("N", _pack([terms[0]] + ["+ " + t for t in terms[1:]], LINE_WIDTH)))
    else:
        for a in range(A):
            for k in range(K):
                out = _sym(p_out[a * K + k])
                rows.append((pr._print(sp.Symbol(f"p_new_{a}_{k}")), _rhs_lines(pr, show(defs.get(out, out)))))
    # -- costs, path values, routing (eq. (12))
    costs = getattr(sm, "_costs", None) or [sp.Symbol(f"c_{a}", real=True) for a in range(A)]
    for a, c in enumerate(costs):
        c = _sym(c)
        rows.append((pr._print(sp.Symbol(f"c_{a}")), _rhs_lines(pr, show(defs.get(c, c)))))
    Vs = [sp.Symbol(f"V_{j}") for j in range(econ.n_paths)]
    for j, path in enumerate(econ.paths):
        rows.append((pr._print(Vs[j]), _rhs_lines(pr, sp.Add(*[sp.Symbol(f"c_{a}") for a in path]))))
    tau = econ.tau
    tau_tex = str(tau) if tau.is_Integer else r"(%d/%d)" % (tau.p, tau.q)
    zterms = [r"e^{-%s/%s}" % (pr._print(V), tau_tex) for V in Vs]
    for j in range(econ.n_paths):
        rows.append((pr._print(sp.Symbol(f"pinew_{j}")), [r"\frac{%s}{Z}" % zterms[j]]))
    rows.append(("Z", _pack([zterms[0]] + ["+ " + t for t in zterms[1:]], LINE_WIDTH)))
    return _display(_aligned(rows, notes), display)


# ----------------------------------------------------------------------------- Jacobian blocks
def _block_layout(econ, n_rows: int, n_cols: int, reduced: bool):
    """Names and sizes of the row and column blocks of a (possibly tangent) Jacobian."""
    AK = econ.A * econ.K
    third = ("w", econ.A) if reduced else (r"\pi", econ.n_paths)
    full = [("y", AK), ("p", AK), third]
    simplex = [False, econ.prices_on_simplex, not reduced]
    tangent = [(nm, m - 1 if s else m) for (nm, m), s in zip(full, simplex)]
    for layout, is_tangent in ((full, False), (tangent, True)):
        if n_rows == n_cols == sum(m for _, m in layout):
            return layout, is_tangent
    state = "(y, p, w)" if reduced else "(y, p, π)"
    raise ShapeError(
        "J",
        (n_rows, n_cols),
        f"a square Jacobian of size {sum(m for _, m in full)} (state {state})"
        f" or {sum(m for _, m in tangent)} (tangent coordinates)",
    )


def _jacobian_matrix(J, reduced: bool):
    """(matrix-like, reduced) from a SymPy/NumPy/SciPy matrix or a Jacobian result object."""
    if hasattr(J, "tangent_jacobian") and hasattr(J, "jacobian"):  # ExactJacobian
        return J.jacobian, reduced
    if hasattr(J, "dense") and hasattr(J, "reduced"):  # NumericJacobian
        return J.dense(), bool(J.reduced)
    if isinstance(J, sp.MatrixBase):
        return J, reduced
    if hasattr(J, "tocsr"):  # scipy.sparse
        return J.tocsr(), reduced
    if hasattr(J, "toarray"):
        return J.toarray(), reduced
    arr = np.asarray(J)
    if arr.ndim != 2:
        raise ShapeError("J", arr.shape, "a 2-D Jacobian matrix")
    return arr, reduced


def jacobian_blocks_latex(
    J,
    econ,
    reduced: bool = False,
    *,
    display: bool = False,
    printer=None,
    max_block: int = MAX_BLOCK,
    max_entry_chars: int | None = 200,
) -> str:
    """The Jacobian ``DΦ`` split into its named blocks ``∂y'/∂y``, ``∂y'/∂p``, ``∂y'/∂π``, …

    Rows are the outputs ``(y', p', π')`` (``w'`` for the reduced state), columns the
    inputs in the flat state order of DESIGN.md. Each block is a ``pmatrix``; an
    all-zero block is written ``0``; a block with more than ``max_block`` rows or
    columns is replaced by its shape and number of non-zero entries. Tangent Jacobians
    (``T⁺ J T``, one coordinate fewer per simplex block) are recognised by their size.

    Parameters
    ----------
    J : sympy.Matrix, numpy.ndarray, scipy.sparse matrix, ExactJacobian or NumericJacobian
    econ : Economy
    reduced : bool, default False
        State ``(y, p, w)`` instead of ``(y, p, π)`` (read from a NumericJacobian).
    display : bool, default False
    printer : GeoSymLatexPrinter, optional
    max_block : int, default 8
    max_entry_chars : int or None, default 200
        When an exact entry of a block prints longer than this (``exp`` of rationals in
        the routing blocks), the block is shown numerically to ``float_digits`` digits
        and its relation is written ``\\approx`` instead of ``=``. ``None`` never does.

    Returns
    -------
    str
        An ``aligned`` environment, one block per line.

    Raises
    ------
    ShapeError
        When ``J`` does not have the size of the economy's state (or tangent) space.
    """
    pr = _printer(econ, printer)
    M, reduced = _jacobian_matrix(J, reduced)
    n_rows, n_cols = M.shape
    layout, tangent = _block_layout(econ, n_rows, n_cols, reduced)
    offsets = np.concatenate([[0], np.cumsum([m for _, m in layout])]).astype(int)
    sparse = hasattr(M, "tocsr") and not isinstance(M, (np.ndarray, sp.MatrixBase))
    rows = []
    for bi, (out_name, m) in enumerate(layout):
        for bj, (in_name, n) in enumerate(layout):
            lhs = r"\frac{\partial %s'}{\partial %s}" % (out_name, in_name)
            if m == 0 or n == 0:
                rows.append((lhs, [r"\text{(empty, } %d \times %d\text{)}" % (m, n)]))
                continue
            r0, c0 = offsets[bi], offsets[bj]
            if sparse:
                blk = M[r0 : r0 + m, c0 : c0 + n]
                nnz = int((blk != 0).sum()) if hasattr(blk, "multiply") else int(np.count_nonzero(blk.toarray()))
                get = (lambda B: lambda i, j: B[i, j])(blk.toarray()) if max(m, n) <= max_block else None
            elif isinstance(M, sp.MatrixBase):
                blk = M[r0 : r0 + m, c0 : c0 + n]
                nnz = sum(1 for v in blk if v != 0)
                get = (lambda B: lambda i, j: B[i, j])(blk)
            else:
                blk = np.asarray(M[r0 : r0 + m, c0 : c0 + n])
                nnz = int(sum(1 for v in blk.ravel() if v != 0))
                get = (lambda B: lambda i, j: B[i, j])(blk)
            if nnz == 0:
                rows.append((lhs, ["0"]))
            elif max(m, n) > max_block:
                rows.append(
                    (
                        lhs,
                        [
                            r"\left[\, %d \times %d \text{ block, } %d \text{ non-zero%s} \,\right]"
                            % (m, n, nnz, "" if nnz == 1 else "s")
                        ],
                    )
                )
            else:
                entries = [[_sym(get(i, j)) for j in range(n)] for i in range(m)]
                body = [[pr._print(v) for v in r] for r in entries]
                if max_entry_chars is not None and any(len(t) > max_entry_chars for r in body for t in r):
                    body = [
                        [pr._print(sp.Float(sp.N(v, 30), 30)) if v.is_number else pr._print(v) for v in r]
                        for r in entries
                    ]
                    rows.append((lhs, [_pmatrix(body, n)], r"\approx"))
                else:
                    rows.append((lhs, [_pmatrix(body, n)]))
    note = {0: "tangent coordinates" if tangent else ("reduced state" if reduced else "")}
    if not note[0]:
        note = {}
    return _display(_aligned(rows, note), display)


# ----------------------------------------------------------------------------- χ(λ)
_INNER = "\x00"  # marks a piece that continues a bracketed coefficient (deeper indentation)


def charpoly_latex(
    poly, symbol=None, *, name: str = r"\chi", display: bool = False, printer=None, econ=None, width: int = LINE_WIDTH
) -> str:
    """``χ(λ) = λ^n + c_{n-1} λ^{n-1} + … + c_0`` with each coefficient printed exactly.

    Short polynomials give one line (``\\chi(\\lambda) = \\lambda^{2} - \\frac{1}{2} \\lambda
    + \\frac{1}{4}``). Long ones give an ``aligned`` environment broken with ``\\\\`` at
    top-level ``+``/``-``, also inside a long coefficient, which is then enclosed in
    ``\\Bigl( … \\Bigr)`` (delimiters that may span lines).

    Parameters
    ----------
    poly : sympy.Poly, sympy.Expr, or list of coefficients (highest degree first)
    symbol : Symbol, optional
        The variable; required for a list, and for an expression with several symbols.
    name : str, default ``\\chi``
    display : bool, default False
    printer : GeoSymLatexPrinter, optional
    econ : Economy, optional
    width : int
        Target characters of LaTeX source per line.

    Raises
    ------
    ValidationError
        When ``poly`` is not a univariate polynomial.
    """
    pr = _printer(econ, printer)
    if isinstance(poly, sp.Poly):
        if len(poly.gens) != 1:
            raise ValidationError("poly", poly, "a univariate polynomial")
        lam, coeffs = poly.gens[0], poly.all_coeffs()
    elif isinstance(poly, (list, tuple)):
        lam = sp.Symbol("lambda") if symbol is None else symbol
        coeffs = [_sym(c) for c in poly]
    else:
        expr = _sym(poly)
        lam = symbol
        if lam is None:
            syms = sorted(expr.free_symbols, key=str)
            if len(syms) != 1:
                raise ValidationError("poly", expr, "an expression in exactly one symbol (or pass symbol=)")
            lam = syms[0]
        try:
            coeffs = sp.Poly(expr, lam).all_coeffs()
        except sp.PolynomialError:
            raise ValidationError("poly", expr, f"a polynomial in {lam}") from None
    if not coeffs:
        coeffs = [sp.Integer(0)]
    deg = len(coeffs) - 1
    lam_tex = pr._print(lam)
    lhs = r"%s(%s)" % (name, lam_tex)

    chunks: list[list[str]] = []  # per term: list of pieces (the first carries the sign)
    for i, c in enumerate(coeffs):
        k = deg - i
        c = _sym(c)
        if c == 0 and not (deg == 0):
            continue
        mono = "" if k == 0 else (lam_tex if k == 1 else pr._print(lam**k))
        if c.is_Add:
            parts = _signed_terms(pr, c)
            if not mono:  # constant term: its own terms, no brackets
                chunks.append([f"{s} {t}" for s, t in parts])
                continue
            inner = " ".join(
                [(parts[0][1] if parts[0][0] == "+" else f"-{parts[0][1]}")] + [f"{s} {t}" for s, t in parts[1:]]
            )
            if len(inner) + len(mono) + 20 <= width:
                chunks.append([r"+ \left(%s\right) %s" % (inner, mono)])
            else:
                pieces = [
                    (t if s == "+" else f"-{t}") if j == 0 else f"{_INNER}{s} {t}" for j, (s, t) in enumerate(parts)
                ]
                pieces[0] = r"+ \Bigl(" + pieces[0]
                pieces[-1] += r"\Bigr) " + mono
                chunks.append(pieces)
            continue
        sign = "+"
        if _coeff_isneg(c):
            sign, c = "-", -c
        body = pr._print(c)
        if mono and c == 1:
            chunks.append([f"{sign} {mono}"])
        else:
            chunks.append([f"{sign} {body} {mono}".rstrip()])
    if not chunks:
        return _display(f"{lhs} = 0", display)
    first = chunks[0][0]
    chunks[0][0] = first[2:] if first.startswith("+ ") else "-" + first[2:] if first.startswith("- ") else first
    flat = [p for ch in chunks for p in ch]
    one_line = " ".join(flat)
    one_line = one_line.replace(_INNER, "")
    if len(one_line) <= width:
        return _display(f"{lhs} = {one_line}", display)
    lines = _pack(flat, width)
    body = "\\begin{aligned}\n%s &= %s" % (lhs, lines[0].replace(_INNER, ""))
    for ln in lines[1:]:  # continuation lines inside a bracketed coefficient are indented further
        indent = r"\qquad" if ln.startswith(_INNER) else r"\quad"
        body += " \\\\\n&%s %s" % (indent, ln.replace(_INNER, ""))
    body += "\n\\end{aligned}"
    return _display(body, display)


def float_latex(x, digits: int = 6) -> str:
    r"""A float as LaTeX with ``digits`` significant digits (``1.5 \cdot 10^{-7}``, ``\infty``, ``\mathrm{NaN}``)."""
    import math

    x = float(x)
    if math.isnan(x):
        return r"\mathrm{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    if x == 0:
        return "0"
    s = f"{x:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        return r"%s \cdot 10^{%d}" % (mant, int(exp))
    return s
