"""Small dense linear algebra: NumPy's own LAPACK kernels without the per-call wrapper.

``numpy.linalg.solve``, ``qr`` and ``svd`` call generalized ufuncs of
``numpy.linalg._umath_linalg`` (LAPACK's ``dgesv``, ``dgeqrf``/``dorgqr``, ``dgesdd``) after
checks and conversions that cost, on the 4-16-variable systems of a small model, two to four
times the LAPACK call itself; a first-order solve makes a dozen such calls. The functions
here call the same kernels on float64 arrays (their callers' only inputs) with the same error
handling: a floating-point *invalid* flag raised by the kernel (LAPACK's ``info > 0``: an
exactly singular matrix, a non-converged SVD) becomes :class:`numpy.linalg.LinAlgError`, as in
NumPy. The module is private to NumPy, so its use is checked once against the public functions
on fixed matrices; if anything differs or is missing, the public functions are used. Setting
``GEO_SYM_LAPACK=scipy`` (which also sends the QZ to SciPy, :mod:`dsge.solution.lapack`) uses
the public functions too.
"""

from __future__ import annotations

import math
import os

import numpy as np

__all__ = ["solve", "qr_complete", "singular_values", "all_finite", "fast"]

_STATE: dict = {}


def _kernels():
    if "kernels" not in _STATE:
        _STATE["kernels"] = _load()
    return _STATE["kernels"]


def _load():
    if os.environ.get("GEO_SYM_LAPACK", "").lower() == "scipy":
        return None
    try:
        from numpy.linalg import _umath_linalg as kernels
    except ImportError:
        return None
    needed = ("solve", "solve1", "qr_r_raw", "qr_complete", "qr_reduced", "svd")
    if not all(hasattr(kernels, name) for name in needed):
        return None
    try:
        ok = _self_test(kernels)
    except (TypeError, ValueError, AttributeError, np.linalg.LinAlgError, FloatingPointError):
        ok = False
    return kernels if ok else None


def fast() -> bool:
    """Whether NumPy's kernels are called directly (False: the public ``numpy.linalg`` functions)."""
    return _kernels() is not None


def all_finite(x: np.ndarray) -> bool:
    """Whether every entry of ``x`` is finite: one reduction when they are (a sum that overflows is checked entry by entry)."""
    return math.isfinite(x.sum()) or bool(np.isfinite(x).all())


def _call(kernel, *args):
    with np.errstate(invalid="raise", over="ignore", divide="ignore", under="ignore"):
        try:
            return kernel(*args)
        except FloatingPointError:  # LAPACK's info > 0: a zero pivot, or an iteration that did not converge
            raise np.linalg.LinAlgError("LAPACK reported a singular matrix or no convergence") from None


def solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``numpy.linalg.solve(a, b)`` for a float64 square ``a`` and a float64 vector or matrix ``b``.

    Raises
    ------
    numpy.linalg.LinAlgError
        When ``a`` is exactly singular (a zero pivot in the LU decomposition).
    """
    return _solve(_kernels(), a, b)


def qr_complete(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(Q, |diag R|)`` of the complete QR decomposition of a float64 ``m x n`` matrix (``Q``: ``m x m``)."""
    return _qr_complete(_kernels(), a)


def singular_values(a: np.ndarray) -> np.ndarray:
    """``numpy.linalg.svd(a, compute_uv=False)`` for a float64 matrix (descending)."""
    return _singular_values(_kernels(), a)


def _solve(kernels, a, b):
    if kernels is None:
        return np.linalg.solve(a, b)
    return _call(kernels.solve1 if b.ndim == 1 else kernels.solve, a, b)


def _qr_complete(kernels, a):
    if kernels is None:
        q, r = np.linalg.qr(a, mode="complete")
        return q, np.abs(r.diagonal())
    h = np.array(a, dtype=float)  # overwritten by R and the Householder vectors
    return _call(_qr_kernels, kernels, h), np.abs(h.diagonal())


def _qr_kernels(kernels, h):
    """``Q`` of ``h``, leaving R in ``h``: NumPy's two QR kernels (Householder vectors, then ``Q``), as ``numpy.linalg.qr``."""
    m, n = h.shape
    return (kernels.qr_complete if m > n else kernels.qr_reduced)(h, kernels.qr_r_raw(h))


def _singular_values(kernels, a):
    if kernels is None:
        return np.linalg.svd(a, compute_uv=False)
    return _call(kernels.svd, a)


def _self_test(kernels) -> bool:
    """The kernels must reproduce the public functions on fixed matrices, and flag a singular one."""
    rng = np.random.default_rng(2)
    a = rng.standard_normal((5, 5)) + 4 * np.eye(5)
    b, v = rng.standard_normal((5, 3)), rng.standard_normal(5)
    tall = rng.standard_normal((5, 2))
    q, diag = _qr_complete(kernels, tall)
    q_ref, r_ref = np.linalg.qr(tall, mode="complete")
    checks = [
        np.allclose(_solve(kernels, a, b), np.linalg.solve(a, b), rtol=1e-12, atol=1e-12),
        np.allclose(_solve(kernels, a, v), np.linalg.solve(a, v), rtol=1e-12, atol=1e-12),
        q.shape == (5, 5) and np.allclose(np.abs(q), np.abs(q_ref), atol=1e-12),
        np.allclose(diag, np.abs(r_ref.diagonal()), atol=1e-12),
        np.allclose(q.T @ q, np.eye(5), atol=1e-12),
        np.allclose(_singular_values(kernels, a), np.linalg.svd(a, compute_uv=False), rtol=1e-12),
    ]
    try:
        _solve(kernels, np.ones((3, 3)), np.ones(3))
        checks.append(False)  # a singular matrix must be reported
    except np.linalg.LinAlgError:
        pass
    return all(checks)
