"""Matrices written by their structure: hand-derived decompositions of matrices built to have them.

Each case constructs a matrix from known parts (a multiple of the identity, a Kronecker product, the
Jacobian of the price normalisation ``p' = q / Σq``, …) and checks that the printed form names exactly
those parts; the decompositions are verified independently by rebuilding the matrix from them.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from geo_sym.render.matrices import common_factor, labelled_matrix, matrix_form

R = sp.Rational


def test_a_multiple_of_the_identity_is_c_I():
    # the example: a 10 × 10 diagonal block that used to read "10 non-zeros"
    form = matrix_form(sp.eye(10) * R(1, 2))
    assert (form.kind, form.tex) == ("scalar", r"\frac{1}{2}\, I_{10}")
    assert matrix_form(-sp.eye(3)).tex == "-I_{3}" and matrix_form(sp.eye(3)).tex == "I_{3}"


def test_zero_blocks_and_runs_on_the_diagonal():
    assert matrix_form(sp.zeros(4, 7)).tex == "0"
    form = matrix_form(sp.diag(R(1, 2), R(1, 2), R(1, 2), 1, 0, 0))
    assert form.tex == r"\operatorname{diag}\left(\frac{1}{2}\, I_{3}, 1, 0_{2}\right)"


def test_a_common_rational_factor_is_pulled_out():
    M = sp.Matrix([[R(2, 10), R(4, 10)], [R(6, 10), R(8, 10)]])
    assert common_factor(list(M)) == R(1, 5)
    assert matrix_form(M).tex == r"\frac{1}{5}\, \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}"


def test_one_block_per_agent_is_a_kronecker_product():
    B = sp.Matrix([[1, 2], [3, 4]]) / 7
    M = sp.diag(B, B, B)
    assert sp.kronecker_product(sp.eye(3), B) == M  # the decomposition, checked by rebuilding
    form = matrix_form(M, block_counts=(3,))
    assert form.kind == "kronecker"
    assert form.tex == r"I_{3} \otimes \frac{1}{7}\, \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}"
    # rectangular blocks: d_a = w_a u_a gives one K × 1 column per agent
    col = np.array([[0.1], [0.05]])
    assert matrix_form(np.kron(np.eye(6), col), block_counts=(6,)).tex == (
        r"I_{6} \otimes \begin{pmatrix} 0.1 \\ 0.05 \end{pmatrix}"
    )


def test_the_price_normalisation_is_diagonal_plus_rank_one():
    # p' = q / N, N = Σ q: ∂p'/∂q = (I − p' 1ᵀ) / N. With q = (1, …, 6), N = 21, p' = q / 21:
    q = sp.Matrix([1, 2, 3, 4, 5, 6])
    N = sum(q)
    J = (sp.eye(6) - (q / N) * sp.ones(1, 6)) / N
    qs = sp.symbols("q0:6")
    by_differentiation = sp.Matrix(6, 6, lambda i, j: sp.diff(qs[i] / sum(qs), qs[j])).subs(dict(zip(qs, q)))
    assert by_differentiation == J
    form = matrix_form(J)
    assert form.kind == "diagonal_plus_rank_one"
    assert form.tex == (
        r"\frac{1}{21}\, I_{6} - \frac{1}{441}\, "
        r"\begin{pmatrix} 1 \\ 2 \\ 3 \\ 4 \\ 5 \\ 6 \end{pmatrix}\mathbf{1}_{6}^{\top}"
    )


def test_a_large_rank_one_block():
    u = sp.Matrix([(-1) ** i for i in range(12)])
    M = u * u.T / 192
    form = matrix_form(M)
    assert form.kind == "rank_one"
    assert form.tex.startswith(r"\frac{1}{192}\, \begin{pmatrix} 1 \\ -1 \\ 1")
    assert form.tex.endswith(r"\begin{pmatrix} 1 & -1 & 1 & -1 & 1 & -1 & 1 & -1 & 1 & -1 & 1 & -1 \end{pmatrix}")


def test_a_large_block_without_structure_is_summarised_with_its_exact_rank():
    rng = np.random.default_rng(3)
    A = rng.integers(-3, 4, size=(12, 12))
    A[:, 11] = A[:, 0] + A[:, 1]  # rank at most 11
    M = sp.Matrix(A) / 5
    rank = np.linalg.matrix_rank(A)  # independent: floating-point SVD of the integer matrix
    form = matrix_form(M)
    assert form.kind == "large"
    assert r"12 \times 12" in form.tex and r"\text{, rank %d}" % rank in form.tex


def test_floats_within_the_tolerance_keep_their_structure():
    M = 0.9 * np.eye(5)
    M[0, 1] = 1e-17
    assert matrix_form(M).tex == r"0.9\, I_{5}"


def test_labelled_tables_leave_out_zero_columns_and_rows_and_balance_the_blocks():
    M = np.zeros((4, 15))
    M[0, :14] = np.arange(1, 15)
    rows, cols = [f"r_{i}" for i in range(4)], [f"c_{{{j}}}" for j in range(15)]
    *arrays, note = labelled_matrix(M, rows, cols, columns=7)
    assert len(arrays) == 2 and all(a.count("&") // 2 for a in arrays)  # 14 non-zero columns: 7 + 7
    assert note == "Zero columns (left out): $c_{14}$."
    assert all("r_1" not in a for a in arrays)  # rows that are zero in a block are left out
    assert r"r_0 & 1 & 2 & 3 & 4 & 5 & 6 & 7" in arrays[0]


@pytest.mark.parametrize("n", [5, 9])
def test_the_printed_rank_one_part_is_the_constructed_one(n):
    # diagonal plus rank one with random data: the printed vectors are proportional to u and v
    rng = np.random.default_rng(n)
    d = [R(int(rng.integers(1, 9)), int(rng.integers(1, 5))) for _ in range(n)]
    u = [int(rng.integers(1, 7)) for _ in range(n)]
    v = [int(rng.integers(1, 7)) for _ in range(n)]
    M = sp.diag(*d) + sp.Matrix(u) * sp.Matrix(v).T * R(1, 3)
    form = matrix_form(M)
    assert form.kind == "diagonal_plus_rank_one"
    printed = [
        list(map(int, re.findall(r"-?\d+", body)))
        for body in re.findall(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", form.tex)
    ]
    pu, pv = printed[-2], printed[-1]
    assert all(pu[i] * u[0] == u[i] * pu[0] for i in range(n))
    assert all(pv[i] * v[0] == v[i] * pv[0] for i in range(n))
