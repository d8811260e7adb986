"""The ordered QZ through NumPy's LAPACK equals SciPy's ordqz (same dgges/dtgsen), and SciPy is the fallback."""

from __future__ import annotations

import numpy as np
import pytest

from dsge.solution import lapack


def stable(alpha, beta):
    return np.abs(alpha) <= np.abs(beta)


@pytest.mark.skipif(not lapack.available(), reason="NumPy's LAPACK is not reachable here; SciPy is used")
@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_same_decomposition_as_scipy(n):
    from scipy.linalg import ordqz

    rng = np.random.default_rng(n)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    a[:, 0] = 0.0  # an infinite eigenvalue, as static equations give
    ours = lapack.ordqz(b, a, 0.0)  # |alpha| <= |beta| first, as stable() selects
    theirs = ordqz(b, a, sort=stable, output="real")
    for x, y in zip(ours, theirs):
        assert np.allclose(x, y, rtol=1e-12, atol=1e-12)
    s, t, alpha, beta, q, z = ours
    alpha, beta = np.array(alpha), np.array(beta)
    assert np.allclose(q @ s @ z.T, b, atol=1e-10) and np.allclose(q @ t @ z.T, a, atol=1e-10)
    k = int(np.sum(stable(alpha, beta)))
    assert np.all(stable(alpha[:k], beta[:k])) and not np.any(stable(alpha[k:], beta[k:]))


def test_scipy_is_used_when_asked(monkeypatch, nk3):
    monkeypatch.setenv("GEO_SYM_LAPACK", "scipy")
    monkeypatch.setattr(lapack, "_STATE", {})
    assert lapack.ordqz(np.eye(2), np.eye(2), 0.0) is None and not lapack.available()
    forced = nk3.with_parameters({}).solve()
    monkeypatch.delenv("GEO_SYM_LAPACK")
    monkeypatch.setattr(lapack, "_STATE", {})
    default = nk3.with_parameters({}).solve()
    assert np.allclose(forced.transition, default.transition, rtol=1e-13, atol=1e-15)
