"""The wrapper-free LAPACK calls of dsge.solution.dense agree with numpy.linalg, and fall back to it."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from dsge.solution import dense


@pytest.mark.parametrize("n", [1, 3, 8, 40])
def test_solve_matches_numpy(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n)) + n * np.eye(n)
    for b in (rng.standard_normal(n), rng.standard_normal((n, 3))):
        x = dense.solve(a, b)
        assert x.shape == b.shape
        assert np.allclose(a @ x, b, rtol=1e-12, atol=1e-12)
        assert np.allclose(x, np.linalg.solve(a, b), rtol=1e-12, atol=1e-14)


def test_singular_matrix_is_an_error_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from the kernel would fail here
        with pytest.raises(np.linalg.LinAlgError):
            dense.solve(np.array([[1.0, 2.0], [2.0, 4.0]]), np.ones(2))
        with pytest.raises(np.linalg.LinAlgError):
            dense.solve(np.zeros((3, 3)), np.ones((3, 2)))


@pytest.mark.parametrize("shape", [(2, 1), (5, 2), (4, 4), (3, 5)])
def test_qr_complete_is_an_orthogonal_triangularisation(shape):
    m, n = shape
    a = np.random.default_rng(m * 10 + n).standard_normal(shape)
    q, diag = dense.qr_complete(a)
    assert q.shape == (m, min(m, n) if m <= n else m)
    assert np.allclose(q.T @ q, np.eye(q.shape[1]), atol=1e-12)
    r = q.T @ a  # upper triangular, with the given diagonal in absolute value
    assert np.allclose(np.tril(r, -1), 0.0, atol=1e-12)
    assert np.allclose(np.abs(np.diagonal(r)), diag, rtol=1e-12, atol=1e-12)
    assert np.array_equal(a, np.random.default_rng(m * 10 + n).standard_normal(shape))  # input kept


def test_singular_values_match_numpy():
    a = np.diag([3.0, 2.0, 0.5]) @ np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))[0]
    assert np.allclose(dense.singular_values(a), [3.0, 2.0, 0.5], rtol=1e-12)


def test_public_functions_when_asked(monkeypatch):
    monkeypatch.setenv("GEO_SYM_LAPACK", "scipy")
    monkeypatch.setattr(dense, "_STATE", {})
    assert not dense.fast()
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    assert np.allclose(dense.solve(a, np.array([3.0, 5.0])), [0.8, 1.4])
    q, diag = dense.qr_complete(np.array([[3.0], [4.0]]))
    assert q.shape == (2, 2) and diag == pytest.approx([5.0])
    with pytest.raises(np.linalg.LinAlgError):
        dense.solve(np.ones((2, 2)), np.ones(2))


def test_kernels_that_disagree_with_numpy_are_not_used(monkeypatch):
    from numpy.linalg import _umath_linalg as real

    class Doubled:  # numpy's kernels, but solve1 off by a factor of two
        def __getattr__(self, name):
            return getattr(real, name)

        @staticmethod
        def solve1(a, b):
            return 2.0 * real.solve1(a, b)

    monkeypatch.setattr(np.linalg, "_umath_linalg", Doubled(), raising=False)
    monkeypatch.delenv("GEO_SYM_LAPACK", raising=False)
    monkeypatch.setattr(dense, "_STATE", {})
    assert not dense.fast()
    assert np.allclose(dense.solve(np.diag([2.0, 4.0]), np.array([2.0, 4.0])), [1.0, 1.0])
