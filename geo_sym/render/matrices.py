r"""Matrices as a reader wants them: structure first, entries only where they say something.

:func:`matrix_form` recognises, in this order and exactly (rationals) or to a relative ``1e-12``
(floats):

============================  =============================================================
structure                     LaTeX
============================  =============================================================
all zero                      ``0``
a multiple of the identity    ``\tfrac{1}{2} I_{10}``
diagonal                      ``\operatorname{diag}(\tfrac12 I_{3}, 1, 0_{2})`` (runs collapsed)
``I_k \otimes B``             repeated diagonal blocks (one block per agent)
block diagonal                ``\operatorname{diag}(B_1, B_2)``
diagonal plus rank one        ``\operatorname{diag}(…) + c\, u v^{\top}`` (the price normalisation's Jacobian)
rank one                      ``c\, u v^{\top}`` with integer ``u``, ``v`` (ones as ``\mathbf{1}``)
anything else, small          the entries, a common rational factor pulled out
anything else, large          a summary (shape, non-zeros, rank when cheap); :func:`labelled_matrix`
                              prints it by column blocks with row and column labels
============================  =============================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy as sp

__all__ = ["MatrixForm", "matrix_form", "labelled_matrix", "common_factor"]

#: Relative tolerance of structure tests on floating-point matrices.
FLOAT_TOL = 1e-12


@dataclass(frozen=True)
class MatrixForm:
    """How a matrix is best written.

    Attributes
    ----------
    kind : str
        ``zero``, ``scalar``, ``diagonal``, ``kronecker``, ``block_diagonal``, ``diagonal_plus_rank_one``,
        ``rank_one``, ``dense`` or ``large`` (too large to print; ``tex`` is then a summary in words and symbols).
    tex : str
        Math-mode LaTeX.
    exact : bool
        True when the entries are exact (rationals or SymPy expressions), False for floats.
    """

    kind: str
    tex: str
    exact: bool

    def __repr__(self) -> str:
        return f"MatrixForm({self.kind})"


# ----------------------------------------------------------------------------- entries
def _entries(M) -> tuple[list[list], bool]:
    """``(rows of entries, exact)``: SymPy numbers stay exact, everything else becomes float."""
    if isinstance(M, sp.MatrixBase):
        return [[M[i, j] for j in range(M.cols)] for i in range(M.rows)], True
    if hasattr(M, "toarray") and not isinstance(M, np.ndarray):
        M = M.toarray()
    arr = np.asarray(M)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.dtype == object:
        exact = all(isinstance(v, (sp.Basic, int, Fraction)) for v in arr.ravel())
        if exact:
            return [[sp.sympify(v) if isinstance(v, (int, Fraction)) else v for v in r] for r in arr], True
        arr = arr.astype(float)
    return [[float(v) for v in r] for r in arr], False


def _is_zero(v, exact: bool, scale: float) -> bool:
    return (v == 0) if exact else abs(v) <= FLOAT_TOL * scale


def _same(a, b, exact: bool, scale: float) -> bool:
    if exact:
        return a == b  # structural equality: a structure missed only costs a plainer display
    return abs(a - b) <= FLOAT_TOL * scale


def _scale(rows, exact: bool) -> float:
    if exact:
        return 1.0
    return max([abs(v) for r in rows for v in r] + [1.0])


def common_factor(values) -> sp.Rational | None:
    """The largest rational ``c > 0`` with every value an integer multiple of ``c`` (None unless all rational)."""
    vals = [v for v in values if v != 0]
    if not vals or not all(isinstance(v, sp.Rational) for v in vals):
        return None
    num = math.gcd(*[int(abs(v.p)) for v in vals])
    den = math.lcm(*[int(v.q) for v in vals])
    return sp.Rational(num, den)


# ----------------------------------------------------------------------------- pieces
def _scaled(pr, c, body: str) -> str:
    """``c\\, body`` with ``c = 1`` and ``c = -1`` written as nothing and a minus sign."""
    if c == 1:
        return body
    if c == -1:
        return "-" + body
    return r"%s\, %s" % (pr._print(c) if isinstance(c, sp.Basic) else _num(pr, c), body)


def _num(pr, v) -> str:
    if isinstance(v, sp.Basic):
        return pr._print(v)
    from geo_sym.render.latex_text import float_latex

    return float_latex(v, pr._settings.get("float_digits") or 6)


def _pmatrix(pr, rows) -> str:
    cols = len(rows[0])
    body = " \\\\ ".join(" & ".join(_num(pr, v) for v in r) for r in rows)
    if cols <= 10:
        return r"\begin{pmatrix} %s \end{pmatrix}" % body
    return r"\left(\begin{array}{%s} %s \end{array}\right)" % ("c" * cols, body)


def _dense(pr, rows, exact: bool) -> str:
    """The entries, with a common rational factor pulled out when that makes them integers."""
    if exact:
        c = common_factor([v for r in rows for v in r])
        if c is not None and c != 1:
            return _scaled(pr, c, _pmatrix(pr, [[v / c for v in r] for r in rows]))
    return _pmatrix(pr, rows)


def _diag_runs(diag, exact: bool, scale: float) -> list[tuple[object, int]]:
    runs: list[list] = []
    for d in diag:
        if runs and _same(runs[-1][0], d, exact, scale):
            runs[-1][1] += 1
        else:
            runs.append([d, 1])
    return [(v, n) for v, n in runs]


def _run_tex(pr, v, n: int, exact: bool, scale: float) -> str:
    if n == 1:
        return _num(pr, v)
    if _is_zero(v, exact, scale):
        return r"0_{%d}" % n
    return _scaled(pr, v, r"I_{%d}" % n)


def _vector_tex(pr, vec) -> str:
    if all(v == 1 for v in vec):
        return r"\mathbf{1}_{%d}" % len(vec)
    return r"\begin{pmatrix} %s \end{pmatrix}" % " \\\\ ".join(_num(pr, v) for v in vec)


def _row_tex(pr, vec) -> str:
    if all(v == 1 for v in vec):
        return r"\mathbf{1}_{%d}^{\top}" % len(vec)
    return r"\begin{pmatrix} %s \end{pmatrix}" % " & ".join(_num(pr, v) for v in vec)


# ----------------------------------------------------------------------------- structure tests
def _diagonal(rows, exact, scale) -> list | None:
    m, n = len(rows), len(rows[0])
    if m != n:
        return None
    for i in range(m):
        for j in range(n):
            if i != j and not _is_zero(rows[i][j], exact, scale):
                return None
    return [rows[i][i] for i in range(m)]


def _block_structure(rows, exact, scale, counts) -> tuple[int, list] | None:
    """``(k, diagonal blocks)`` when the matrix is block diagonal with ``k`` equal-shaped blocks, ``k`` in ``counts``.

    The blocks may be rectangular (``m/k × n/k``): ``∂y'/∂w`` is one ``K × 1`` column per agent.
    """
    m, n = len(rows), len(rows[0])
    for k in counts:
        if k < 2 or m % k or n % k or (m == k and n == k):
            continue
        bm, bn = m // k, n // k
        off_zero = all(_is_zero(rows[i][j], exact, scale) for i in range(m) for j in range(n) if i // bm != j // bn)
        if off_zero:
            return k, [[r[c * bn : (c + 1) * bn] for r in rows[c * bm : (c + 1) * bm]] for c in range(k)]
    return None


def _rank_one(rows) -> tuple[sp.Rational, list, list] | None:
    """``(c, u, v)`` with integer vectors and ``M = c u v^T`` for an exact rational rank-one matrix."""
    flat = [v for r in rows for v in r]
    if not all(isinstance(v, sp.Rational) for v in flat):
        return None
    piv = next(((i, j) for i, r in enumerate(rows) for j, v in enumerate(r) if v != 0), None)
    if piv is None:
        return None
    i0, j0 = piv
    u = [rows[i][j0] for i in range(len(rows))]
    v = [x / rows[i0][j0] for x in rows[i0]]
    if any(rows[i][j] != u[i] * v[j] for i in range(len(rows)) for j in range(len(v))):
        return None
    return _primitive(u, v)


def _diagonal_plus_rank_one(rows) -> tuple[list, tuple] | None:
    """``(diagonal, (c, u, v))`` with ``M = diag + c u v^T`` (exact rationals, square, ``n ≥ 3``), or None.

    The rank-one part is read off the off-diagonal entries (row 0 gives ``v``, column 0 ``u``, entry
    ``(1, 2)`` fixes ``v_0``) and then checked on every off-diagonal entry exactly.
    """
    n = len(rows)
    if n < 3 or n != len(rows[0]) or not all(isinstance(x, sp.Rational) for r in rows for x in r):
        return None
    if rows[0][1] == 0 or rows[0][2] == 0:
        return None
    v = [None] + [rows[0][j] for j in range(1, n)]  # u_0 = 1
    u = [sp.Integer(1)] + [rows[i][2] / v[2] if i != 2 else rows[2][1] / v[1] for i in range(1, n)]
    v[0] = rows[1][0] / u[1] if u[1] != 0 else None
    if v[0] is None:
        return None
    if any(rows[i][j] != u[i] * v[j] for i in range(n) for j in range(n) if i != j):
        return None
    diag = [rows[i][i] - u[i] * v[i] for i in range(n)]
    if all(d == 0 for d in diag):
        return None  # rank one: written as such
    return diag, _primitive(u, v)


def _primitive(u, v) -> tuple:
    """``(c, u', v')`` with ``u v^T = c u' v'^T``, ``u'``, ``v'`` integer, coprime, first non-zero entry positive."""
    cu, cv = common_factor(u), common_factor(v)
    su = -1 if next(x for x in u if x != 0) < 0 else 1
    sv = -1 if next(x for x in v if x != 0) < 0 else 1
    return cu * cv * su * sv, [x / cu * su for x in u], [x / cv * sv for x in v]


# ----------------------------------------------------------------------------- the form
def matrix_form(M, printer=None, *, max_dim: int = 8, block_counts=(), summary: bool = True) -> MatrixForm:
    """The most telling way to write ``M`` (see the module docstring).

    Parameters
    ----------
    M : sympy.Matrix, numpy.ndarray or scipy.sparse matrix
    printer : GeoSymLatexPrinter, optional
        Prints the entries (exact rationals as fractions, floats to its ``float_digits``).
    max_dim : int
        Largest number of rows or columns printed entry by entry.
    block_counts : sequence of int
        Numbers of diagonal blocks to try (e.g. ``A``, one block per agent).
    summary : bool
        For a large matrix without structure, return a summary (``kind="large"``); else the entries.
    """
    from geo_sym.render.printer import GeoSymLatexPrinter

    pr = printer or GeoSymLatexPrinter()
    rows, exact = _entries(M)
    m, n = len(rows), len(rows[0]) if rows else 0
    scale = _scale(rows, exact)
    if m == 0 or n == 0:
        return MatrixForm("zero", r"0_{%d \times %d}" % (m, n), exact)
    if all(_is_zero(v, exact, scale) for r in rows for v in r):
        return MatrixForm("zero", "0", exact)
    diag = _diagonal(rows, exact, scale)
    if diag is not None:
        runs = _diag_runs(diag, exact, scale)
        if len(runs) == 1:
            return MatrixForm("scalar", _scaled(pr, runs[0][0], r"I_{%d}" % m), exact)
        if len(runs) <= max_dim:
            body = ", ".join(_run_tex(pr, v, k, exact, scale) for v, k in runs)
            return MatrixForm("diagonal", r"\operatorname{diag}\left(%s\right)" % body, exact)
    blocks = _block_structure(rows, exact, scale, block_counts)
    if blocks is not None:
        k, diag_blocks = blocks
        first = diag_blocks[0]
        if all(all(_same(x, y, exact, scale) for rx, ry in zip(first, B) for x, y in zip(rx, ry)) for B in diag_blocks):
            inner = matrix_form(sp.Matrix(first) if exact else np.array(first), pr, max_dim=max_dim)
            return MatrixForm("kronecker", r"I_{%d} \otimes %s" % (k, _paren(inner)), exact)
        if k <= 4 and max(len(first), len(first[0])) <= max_dim:
            parts = [
                _paren(matrix_form(sp.Matrix(B) if exact else np.array(B), pr, max_dim=max_dim)) for B in diag_blocks
            ]
            return MatrixForm("block_diagonal", r"\operatorname{diag}\left(%s\right)" % ", ".join(parts), exact)
    dr1 = _diagonal_plus_rank_one(rows) if exact and m == n and max(m, n) > max_dim // 2 else None
    if dr1 is not None:
        diag, (c, u, v) = dr1
        d = _diag_runs(diag, exact, scale)
        dtex = (
            _scaled(pr, d[0][0], r"I_{%d}" % m)
            if len(d) == 1
            else (r"\operatorname{diag}\left(%s\right)" % ", ".join(_run_tex(pr, x, k, exact, scale) for x, k in d))
        )
        r1 = _scaled(pr, c, _vector_tex(pr, u) + _row_tex(pr, v))
        joiner = " " if r1.startswith("-") else " + "
        return MatrixForm("diagonal_plus_rank_one", dtex + joiner + r1, exact)
    if exact and min(m, n) > 1:
        r1 = _rank_one(rows)
        if r1 is not None and (max(m, n) > max_dim or all(v == 1 for v in r1[1]) or all(v == 1 for v in r1[2])):
            c, u, v = r1
            return MatrixForm("rank_one", _scaled(pr, c, _vector_tex(pr, u) + _row_tex(pr, v)), exact)
    if max(m, n) <= max_dim or not summary:
        return MatrixForm("dense", _dense(pr, rows, exact), exact)
    return MatrixForm("large", _summary(rows, exact, scale), exact)


def _paren(form: MatrixForm) -> str:
    return (
        form.tex if form.kind in ("dense", "zero") or form.tex.startswith(r"\begin") else r"\left(%s\right)" % form.tex
    )


def _summary(rows, exact: bool, scale: float) -> str:
    m, n = len(rows), len(rows[0])
    nnz = sum(1 for r in rows for v in r if not _is_zero(v, exact, scale))
    text = r"\text{%d non-zero entries of } %d" % (nnz, m * n)
    if exact and m * n <= 4096 and all(isinstance(v, sp.Rational) for r in rows for v in r):
        from sympy.polys.matrices import DomainMatrix

        text += r"\text{, rank %d}" % DomainMatrix.from_Matrix(sp.Matrix(rows)).convert_to(sp.QQ).rank()
    elif not exact and m * n <= 4096:
        text += r"\text{, numerical rank %d}" % int(np.linalg.matrix_rank(np.array(rows, dtype=float)))
    return r"\left[\,%d \times %d:\ %s\,\right]" % (m, n, text)


# ----------------------------------------------------------------------------- large matrices
def _cell(pr, v, digits: int) -> str:
    if isinstance(v, sp.Basic) and v.is_Rational:
        return pr._print(v)
    from geo_sym.render.latex_text import float_latex

    return float_latex(float(v), digits)


def labelled_matrix(
    M, row_labels, col_labels, printer=None, *, columns: int = 7, digits: int = 4, drop_zero: bool = True
) -> list[str]:
    """A matrix as display-math ``array`` blocks of at most ``columns`` columns, rows and columns labelled.

    Zero columns are left out (``drop_zero``) and named in a note; within each block of columns, the rows
    that are zero there are left out too (the labels say which rows are shown). Blocks are balanced
    (15 columns in blocks of 7 are 5 + 5 + 5). Exact rationals print as fractions, floats with ``digits``
    significant digits.

    Returns
    -------
    list of str
        Math-mode ``array`` environments (each to be set in its own display) and, last, a note
        (text mode) naming the zero columns, or an empty string.
    """
    from geo_sym.render.printer import GeoSymLatexPrinter

    pr = printer or GeoSymLatexPrinter()
    rows, exact = _entries(M)
    scale = _scale(rows, exact)

    def zero(i, j):
        return _is_zero(rows[i][j], exact, scale)

    keep = [j for j in range(len(col_labels)) if not (drop_zero and all(zero(i, j) for i in range(len(rows))))]
    n_blocks = -(-len(keep) // columns) if keep else 0
    per = -(-len(keep) // n_blocks) if n_blocks else 0
    out = []
    for start in range(0, len(keep), per or 1):
        cols = keep[start : start + per]
        shown = [i for i in range(len(rows)) if not (drop_zero and all(zero(i, j) for j in cols))]
        head = " & ".join([""] + [col_labels[j] for j in cols])
        body = [
            " & ".join([row_labels[i]] + ["" if zero(i, j) else _cell(pr, rows[i][j], digits) for j in cols])
            for i in shown
        ]
        out.append(
            r"\begin{array}{r|%s}" % ("r" * len(cols))
            + "\n"
            + head
            + r" \\ \hline"
            + "\n"
            + " \\\\\n".join(body)
            + "\n\\end{array}"
        )
    dropped = [col_labels[j] for j in range(len(col_labels)) if j not in keep]
    note = "Zero columns (left out): " + ", ".join("$%s$" % z for z in dropped) + "." if dropped else ""
    return out + [note]
