"""The ordered real QZ decomposition and the real Schur form from the LAPACK that NumPy already loaded.

``scipy.linalg.ordqz`` calls LAPACK's ``dgges`` (generalized Schur form) and then
``dtgsen`` (reordering); ``scipy.linalg.schur`` calls ``dgees``. Importing :mod:`scipy.linalg`
costs about as much as the rest of a small ``geo-sym dsge`` run, while NumPy's wheels ship the
same LAPACK (OpenBLAS's, with the C interface LAPACKE). :func:`ordqz` and :func:`schur` call
those routines through :mod:`ctypes` on that library — the same algorithms as SciPy's — and
return None when the library or its symbols cannot be found, or when a self-test on matrices
with known eigenvalues fails; the caller then uses SciPy. Setting ``GEO_SYM_LAPACK=scipy``
forces SciPy.
"""

from __future__ import annotations

import ctypes
import glob
import os

import numpy as np

__all__ = ["ordqz", "schur", "available"]

_COL_MAJOR = 102
# (symbol prefix, symbol suffix, integer type) of the LAPACKE interfaces NumPy wheels have shipped
_FLAVOURS = (
    ("scipy_LAPACKE_", "64_", ctypes.c_int64),
    ("scipy_LAPACKE_", "", ctypes.c_int32),
    ("LAPACKE_", "64_", ctypes.c_int64),
    ("LAPACKE_", "", ctypes.c_int32),
)
_STATE: dict = {}


def _candidates() -> list[str]:
    root = os.path.dirname(os.path.dirname(np.__file__))
    found = []
    for pattern in ("numpy.libs/*openblas*.so*", "numpy/.dylibs/*openblas*.dylib", "numpy.libs/*openblas*.dll"):
        found += sorted(glob.glob(os.path.join(root, pattern)))
    return found


def _bind(lib, prefix: str, suffix: str, integer):
    """The three routines with their C signatures (arrays passed as raw pointers: ``array.ctypes.data``)."""
    dgges = getattr(lib, f"{prefix}dgges{suffix}")
    dtgsen = getattr(lib, f"{prefix}dtgsen{suffix}")
    dgees = getattr(lib, f"{prefix}dgees{suffix}")
    ptr, ip, dp = ctypes.c_void_p, ctypes.POINTER(integer), ctypes.POINTER(ctypes.c_double)
    dgges.restype = integer
    dgges.argtypes = [
        ctypes.c_int, ctypes.c_char, ctypes.c_char, ctypes.c_char, ptr, integer,
        ptr, integer, ptr, integer, ip, ptr, ptr, ptr, ptr, integer, ptr, integer,
    ]  # fmt: skip
    dtgsen.restype = integer
    dtgsen.argtypes = [
        ctypes.c_int, integer, integer, integer, ptr, integer, ptr, integer, ptr, integer,
        ptr, ptr, ptr, ptr, integer, ptr, integer, ip, dp, dp, ptr,
    ]  # fmt: skip
    dgees.restype = integer
    dgees.argtypes = [
        ctypes.c_int, ctypes.c_char, ctypes.c_char, ptr, integer, ptr, integer, ip, ptr, ptr, ptr, integer,
    ]  # fmt: skip
    return dgges, dtgsen, dgees, integer


def _load():
    if os.environ.get("GEO_SYM_LAPACK", "").lower() == "scipy":
        return None
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix, integer in _FLAVOURS:
            try:
                routines = _bind(lib, prefix, suffix, integer)
            except AttributeError:
                continue
            if _self_test(routines):
                return routines
    return None


def _routines():
    if "routines" not in _STATE:
        _STATE["routines"] = _load()
    return _STATE["routines"]


def available() -> bool:
    """Whether :func:`ordqz` uses NumPy's LAPACK (False: callers use SciPy)."""
    return _routines() is not None


def _run(routines, b, a, tol: float):
    dgges, dtgsen, _, integer = routines
    n = b.shape[0]
    ld = max(n, 2)
    # one column-major buffer [S | T | Q | Z | alphar | alphai | beta | dif]: one pointer to take
    work = np.zeros((ld, 4 * n + 4), order="F")
    work[:n, :n] = b
    work[:n, n : 2 * n] = a
    base, col = work.ctypes.data, 8 * ld
    ps, pt, pq, pz = base, base + col * n, base + col * 2 * n, base + col * 3 * n
    par, pai, pb, pdif = (
        base + col * 4 * n,
        base + col * (4 * n + 1),
        base + col * (4 * n + 2),
        base + col * (4 * n + 3),
    )
    sdim = integer(0)
    info = dgges(
        _COL_MAJOR, b"V", b"V", b"N", None, n, ps, ld, pt, ld, ctypes.byref(sdim), par, pai, pb, pq, ld, pz, ld
    )
    if info != 0:
        return info, None
    alphar, alphai, beta = work[:n, 4 * n : 4 * n + 3].T.tolist()
    bound = 1.0 + tol
    # the selection is made on Python floats (O(n) beside the O(n^3) QZ), |alpha| as abs(complex): the same
    # function as the Blanchard-Kahn count of dsge.solution.blanchard_kahn, so both agree to the last bit
    select = (integer * n)(*[abs(complex(r, i)) <= bound * abs(d) for r, i, d in zip(alphar, alphai, beta)])
    m = integer(0)
    pl, pr = ctypes.c_double(0.0), ctypes.c_double(0.0)
    info = dtgsen(
        _COL_MAJOR, 0, 1, 1, select, n, ps, ld, pt, ld, par, pai, pb, pq, ld,
        pz, ld, ctypes.byref(m), ctypes.byref(pl), ctypes.byref(pr), pdif,
    )  # fmt: skip
    if info != 0:
        return info, None
    alphar, alphai, beta = work[:n, 4 * n : 4 * n + 3].T.tolist()
    alpha = [complex(r, i) for r, i in zip(alphar, alphai)]
    return 0, (work[:n, :n], work[:n, n : 2 * n], alpha, beta, work[:n, 2 * n : 3 * n], work[:n, 3 * n : 4 * n])


def _schur_run(routines, a):
    _, _, dgees, integer = routines
    n = a.shape[0]
    ld = max(n, 1)
    work = np.zeros((ld, 2 * n + 2), order="F")  # [S | U | wr | wi]
    work[:n, :n] = a
    base, col = work.ctypes.data, 8 * ld
    sdim = integer(0)
    info = dgees(
        _COL_MAJOR, b"V", b"N", None, n, base, ld, ctypes.byref(sdim), base + col * 2 * n, base + col * (2 * n + 1),
        base + col * n, ld,
    )  # fmt: skip
    if info != 0:
        return info, None
    return 0, (work[:n, :n], work[:n, n : 2 * n])


def schur(a: np.ndarray):
    """Real Schur form ``A = U S U'`` (``S`` upper quasi-triangular with 1 x 1 and 2 x 2 diagonal blocks, ``U``
    orthogonal) through LAPACK's ``dgees``, as ``scipy.linalg.schur(a, output="real")``; None when NumPy's
    LAPACK is not usable (use SciPy then).

    Raises
    ------
    numpy.linalg.LinAlgError
        When the QR iteration does not converge.
    """
    routines = _routines()
    if routines is None:
        return None
    info, out = _schur_run(routines, np.asarray(a, dtype=float))
    if info != 0:
        raise np.linalg.LinAlgError(f"LAPACK dgees failed (info = {info})")
    return out


def _self_test(routines) -> bool:
    """QZ of a pencil with eigenvalues 0.5, 2, 3 (and a reordering) must reproduce them."""
    rng = np.random.default_rng(1)
    left, right = rng.standard_normal((3, 3)) + 3 * np.eye(3), rng.standard_normal((3, 3)) + 3 * np.eye(3)
    b = left @ np.diag([3.0, 0.5, 2.0]) @ right
    a = left @ right
    try:
        info, out = _run(routines, b, a, 0.0)
    except (OSError, ValueError, TypeError, ctypes.ArgumentError):
        return False
    if info != 0 or out is None:
        return False
    s, t, alpha, beta, q, z = out
    lam = np.array(alpha) / np.array(beta)
    ok_order = abs(lam[0] - 0.5) < 1e-10 and np.allclose(sorted(lam[1:].real), [2.0, 3.0], atol=1e-10)
    ok_factor = np.allclose(q @ s @ z.T, b, atol=1e-10) and np.allclose(q @ t @ z.T, a, atol=1e-10)
    rotation = np.array([[0.0, -2.0, 1.0], [2.0, 0.0, 0.5], [0.0, 0.0, 0.5]])  # eigenvalues 0.5 and +-2i
    try:
        info, out = _schur_run(routines, rotation)
    except (OSError, ValueError, TypeError, ctypes.ArgumentError):
        return False
    if info != 0 or out is None:
        return False
    s3, u3 = out
    ok_schur = (
        np.allclose(u3 @ s3 @ u3.T, rotation, atol=1e-12)
        and np.allclose(u3.T @ u3, np.eye(3), atol=1e-12)
        and np.allclose(np.tril(s3, -2), 0.0)
        and np.allclose(sorted(np.abs(np.linalg.eigvals(s3))), [0.5, 2.0, 2.0], atol=1e-12)
    )
    return bool(ok_order and ok_factor and ok_schur)


def ordqz(b: np.ndarray, a: np.ndarray, tol: float):
    """Real ordered QZ of the pencil ``(B, A)``: ``B = Q S Z'``, ``A = Q T Z'``, stable eigenvalues first.

    Parameters
    ----------
    b, a : numpy.ndarray
    tol : float
        An eigenvalue ``alpha / beta`` is stable (ordered first) when ``|alpha| <= (1 + tol) |beta|``
        (the Blanchard–Kahn count of :mod:`dsge.solution.blanchard_kahn`).

    Returns
    -------
    tuple or None
        ``(S, T, alpha, beta, Q, Z)`` as ``scipy.linalg.ordqz(b, a, sort, output="real")`` gives them,
        but ``alpha`` (complex) and ``beta`` (real) as lists; None when NumPy's LAPACK is not usable
        (use SciPy then).

    Raises
    ------
    numpy.linalg.LinAlgError
        When LAPACK reports a failure (the QZ iteration did not converge, or the
        reordering failed because eigenvalues are too close).
    """
    routines = _routines()
    if routines is None:
        return None
    info, out = _run(routines, b, a, float(tol))
    if info != 0:
        raise np.linalg.LinAlgError(f"LAPACK dgges/dtgsen failed (info = {info})")
    return out
