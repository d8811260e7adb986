r"""Jacobians and characteristic polynomials in LaTeX: ``DΦ_K`` by named blocks, ``χ(λ)`` broken across lines.

:func:`jacobian_blocks_latex` splits a Jacobian (full state ``(y, p, π)``, reduced ``(y, p, w)``, or
their tangent coordinates) into the blocks ``∂y'/∂y``, ``∂y'/∂p``, … and writes each by its structure
(:func:`geo_sym.render.matrices.matrix_form`: ``\tfrac{1}{2} I_{10}``, ``0``, a common factor pulled
out, rank one, ``I_k ⊗ B``); :func:`jacobian_large_blocks` gives the blocks too large for that as
labelled tables. :func:`charpoly_latex` prints ``χ(λ)`` exactly, broken at top-level signs.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.core.function import _coeff_isneg

from geo_sym.errors import ShapeError, ValidationError
from geo_sym.render.matrices import labelled_matrix, matrix_form
from geo_sym.render.printer import (
    LINE_WIDTH,
    MAX_BLOCK,
    _aligned,
    _display,
    _pack,
    _pmatrix,
    _printer,
    _signed_terms,
    _sym,
    visible_len,
)

__all__ = ["jacobian_blocks_latex", "jacobian_large_blocks", "charpoly_latex", "block_layout"]

#: Largest block (rows × columns) printed as a labelled table by :func:`jacobian_large_blocks`.
MAX_TABLE = 40


# ----------------------------------------------------------------------------- Jacobian blocks
def block_layout(econ, n_rows: int, n_cols: int, reduced: bool):
    """``([(block name, size), …], tangent)``: the row and column blocks of a (possibly tangent) Jacobian."""
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


def _block(M, r0: int, c0: int, m: int, n: int, max_cells: int = 250_000):
    """The ``m × n`` block at ``(r0, c0)`` as a SymPy or NumPy matrix, or None when too large to form densely."""
    if isinstance(M, sp.MatrixBase):
        return M[r0 : r0 + m, c0 : c0 + n]
    if hasattr(M, "tocsr") and not isinstance(M, np.ndarray):
        blk = M[r0 : r0 + m, c0 : c0 + n]
        return blk.toarray() if m * n <= max_cells else blk
    return np.asarray(M[r0 : r0 + m, c0 : c0 + n])


def _block_rhs(pr, blk, econ, max_block: int, max_entry_chars: int | None) -> tuple[str, str]:
    """``(relation, right-hand side)`` of one block: its structure, its entries, or ``≈`` its decimals."""
    if not isinstance(blk, (np.ndarray, sp.MatrixBase)):  # a huge sparse block: shape and non-zeros only
        return "=", r"\left[\, %d \times %d:\ \text{%d non-zero entries} \,\right]" % (*blk.shape, blk.nnz)
    form = matrix_form(blk, pr, max_dim=max_block, block_counts=(econ.A,))
    if form.kind == "dense" and form.exact and max_entry_chars is not None:
        body = [[pr._print(_sym(v)) for v in row] for row in blk.tolist()]
        if any(len(t) > max_entry_chars for r in body for t in r):
            approx = [
                [pr._print(sp.Float(sp.N(v, 30), 30)) if v.is_number else pr._print(v) for v in r] for r in blk.tolist()
            ]
            return r"\approx", _pmatrix(approx, blk.shape[1])
    return "=", form.tex


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

    Rows are the outputs ``(y', p', π')`` (``w'`` for the reduced state), columns the inputs in the
    flat state order of DESIGN.md. Each block is written by its structure
    (:func:`~geo_sym.render.matrices.matrix_form`): ``0``, ``c I_n``, ``\\operatorname{diag}(…)``,
    ``I_k \\otimes B`` (one block per agent), rank one ``c\\, u v^{\top}``, or its entries with a common
    rational factor pulled out; a block with more than ``max_block`` rows or columns and no such
    structure is summarised (shape, non-zeros, rank) and :func:`jacobian_large_blocks` tabulates it.
    Tangent Jacobians (``T⁺ J T``, one coordinate fewer per simplex block) are recognised by their size.

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
        When an exact entry of a printed block is longer than this (``exp`` of rationals in the routing
        blocks), the block is shown numerically to ``float_digits`` digits with ``\approx``.

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
    layout, tangent = block_layout(econ, M.shape[0], M.shape[1], reduced)
    offsets = np.concatenate([[0], np.cumsum([m for _, m in layout])]).astype(int)
    rows = []
    for bi, (out_name, m) in enumerate(layout):
        for bj, (in_name, n) in enumerate(layout):
            lhs = r"\frac{\partial %s'}{\partial %s}" % (out_name, in_name)
            if m == 0 or n == 0:
                rows.append((lhs, [r"\text{(empty, } %d \times %d\text{)}" % (m, n)]))
                continue
            rel, rhs = _block_rhs(pr, _block(M, offsets[bi], offsets[bj], m, n), econ, max_block, max_entry_chars)
            rows.append((lhs, [rhs], rel) if rel != "=" else (lhs, [rhs]))
    note = {0: "tangent coordinates"} if tangent else ({0: "reduced state"} if reduced else {})
    return _display(_aligned(rows, note), display)


def _coordinate_labels(econ, pr, name: str, size: int) -> list[str]:
    r"""Row/column labels of a block: ``y_{\mathrm{a1},1}``, …, ``\pi_{1}`` (tangent: the first ``size``)."""
    K = econ.K
    if name in ("y", "p"):
        return [pr._print(sp.Symbol(f"{name}_{i // K}_{i % K}")) for i in range(size)]
    if name == "w":
        return [pr._print(sp.Symbol(f"w_{a}")) for a in range(size)]
    return [r"\pi_{%d}" % (j + 1) for j in range(size)]


def jacobian_large_blocks(J, econ, reduced: bool = False, *, printer=None, max_block: int = MAX_BLOCK):
    """The blocks that :func:`jacobian_blocks_latex` only summarises, as labelled tables.

    Returns
    -------
    list of (str, list of str)
        ``(block name as math, [array, …, note])`` for every block larger than ``max_block`` without
        printable structure and at most :data:`MAX_TABLE` rows and columns (see
        :func:`geo_sym.render.matrices.labelled_matrix`).
    """
    pr = _printer(econ, printer)
    M, reduced = _jacobian_matrix(J, reduced)
    layout, _ = block_layout(econ, M.shape[0], M.shape[1], reduced)
    offsets = np.concatenate([[0], np.cumsum([m for _, m in layout])]).astype(int)
    out = []
    for bi, (out_name, m) in enumerate(layout):
        for bj, (in_name, n) in enumerate(layout):
            if max(m, n) <= max_block or max(m, n) > MAX_TABLE or min(m, n) == 0:
                continue
            blk = _block(M, offsets[bi], offsets[bj], m, n)
            form = matrix_form(blk, pr, max_dim=max_block, block_counts=(econ.A,))
            if form.kind != "large":
                continue
            rows = _coordinate_labels(econ, pr, out_name, m)
            cols = _coordinate_labels(econ, pr, in_name, n)
            name = r"\frac{\partial %s'}{\partial %s}" % (out_name, in_name)
            out.append((name, labelled_matrix(blk, [r.replace("_{", "'_{", 1) for r in rows], cols, pr)))
    return out


# ----------------------------------------------------------------------------- χ(λ)
_INNER = "\x00"  # marks a piece that continues a bracketed coefficient (deeper indentation)


def _coefficients(poly, symbol):
    """``(variable, coefficients highest degree first)`` of a Poly, a list, or an expression in one symbol."""
    if isinstance(poly, sp.Poly):
        if len(poly.gens) != 1:
            raise ValidationError("poly", poly, "a univariate polynomial")
        return poly.gens[0], poly.all_coeffs()
    if isinstance(poly, (list, tuple)):
        return (sp.Symbol("lambda") if symbol is None else symbol), [_sym(c) for c in poly]
    expr = _sym(poly)
    lam = symbol
    if lam is None:
        syms = sorted(expr.free_symbols, key=str)
        if len(syms) != 1:
            raise ValidationError("poly", expr, "an expression in exactly one symbol (or pass symbol=)")
        lam = syms[0]
    try:
        return lam, sp.Poly(expr, lam).all_coeffs()
    except sp.PolynomialError:
        raise ValidationError("poly", expr, f"a polynomial in {lam}") from None


def _term_chunks(pr, c, mono: str, width: int) -> list[str]:
    """The pieces of one term ``c λ^k`` (the first carries the sign); a long sum ``c`` is bracketed."""
    if c.is_Add:
        parts = _signed_terms(pr, c)
        if not mono:  # constant term: its own terms, no brackets
            return [f"{s} {t}" for s, t in parts]
        first = parts[0][1] if parts[0][0] == "+" else f"-{parts[0][1]}"
        inner = " ".join([first] + [f"{s} {t}" for s, t in parts[1:]])
        if visible_len(inner) + visible_len(mono) + 10 <= width:
            return [r"+ \left(%s\right) %s" % (inner, mono)]
        pieces = [first] + [f"{_INNER}{s} {t}" for s, t in parts[1:]]
        pieces[0] = r"+ \Bigl(" + pieces[0]
        pieces[-1] += r"\Bigr) " + mono
        return pieces
    sign = "+"
    if _coeff_isneg(c):
        sign, c = "-", -c
    if mono and c == 1:
        return [f"{sign} {mono}"]
    return [f"{sign} {pr._print(c)} {mono}".rstrip()]


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
    lam, coeffs = _coefficients(poly, symbol)
    coeffs = coeffs or [sp.Integer(0)]
    deg = len(coeffs) - 1
    lam_tex = pr._print(lam)
    lhs = r"%s(%s)" % (name, lam_tex)
    chunks: list[list[str]] = []
    for i, c in enumerate(coeffs):
        k = deg - i
        c = _sym(c)
        if c == 0 and deg != 0:
            continue
        mono = "" if k == 0 else (lam_tex if k == 1 else pr._print(lam**k))
        chunks.append(_term_chunks(pr, c, mono, width))
    if not chunks:
        return _display(f"{lhs} = 0", display)
    first = chunks[0][0]
    chunks[0][0] = first[2:] if first.startswith("+ ") else "-" + first[2:] if first.startswith("- ") else first
    flat = [p for ch in chunks for p in ch]
    one_line = " ".join(flat).replace(_INNER, "")
    if visible_len(one_line) <= width:
        return _display(f"{lhs} = {one_line}", display)
    lines = _pack(flat, width)
    body = "\\begin{aligned}\n%s &= %s" % (lhs, lines[0].replace(_INNER, ""))
    for ln in lines[1:]:  # continuation lines inside a bracketed coefficient are indented further
        indent = r"\qquad" if ln.startswith(_INNER) else r"\quad"
        body += " \\\\\n&%s %s" % (indent, ln.replace(_INNER, ""))
    body += "\n\\end{aligned}"
    return _display(body, display)
