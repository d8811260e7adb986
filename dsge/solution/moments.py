r"""Theoretical moments of a solved model: what Dynare's ``stoch_simul`` reports at order 1.

For the solution :math:`\hat y_t = T \hat y_{t-1} + R \varepsilon_t`,
:math:`\varepsilon_t \sim (0, \Omega)`, with :math:`C = R L` where :math:`L L' = \Omega`
is the Cholesky factor (shocks in declaration order, as Dynare orthogonalises them):

* the covariance :math:`\Sigma = T \Sigma T' + C C'` (discrete Lyapunov equation, solved
  by the doubling algorithm :func:`lyapunov`), standard deviations, correlations and the
  autocovariances :math:`\mathrm{Cov}(\hat y_t, \hat y_{t-k}) = T^k \Sigma`;
* the unconditional variance decomposition: the share of :math:`\Sigma_{ii}` due to the
  :math:`j`-th orthogonalised shock, :math:`\Sigma^{(j)} = T \Sigma^{(j)} T' + c_j c_j'`,
  in percent (rows sum to 100);
* conditional decompositions at horizons :math:`h`: shares of the :math:`h`-step forecast
  error variance :math:`\sum_{s<h} T^s c_j c_j' T^{s\prime}`;
* HP-filtered moments (Hodrick–Prescott, smoothing :math:`\lambda`): the autocovariances
  of the filtered series are Fourier integrals of the spectral density times the squared
  gain :math:`g(\omega) = 4\lambda(1-\cos\omega)^2 / (1 + 4\lambda(1-\cos\omega)^2)`,
  computed on a frequency grid refined until doubling it changes no autocovariance by
  more than ``1e-13`` of the largest variance (Dynare uses a fixed 512-point grid).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo_sym.display import LatexDisplay
from geo_sym.errors import SolverError

__all__ = [
    "lyapunov",
    "semidefinite_cholesky",
    "zero_variance",
    "ZERO_STD",
    "MomentsResult",
    "VarianceDecomposition",
    "ConditionalVarianceDecomposition",
    "theoretical_moments",
    "variance_decomposition",
    "conditional_variance_decomposition",
]

_HP_TOL = 1e-13
#: a standard deviation at most this fraction of the largest one (among the variables reported together) is
#: zero at working precision: rounding noise of a constant variable, whose correlations and variance shares are
#: undefined (NaN, printed n/a), not computed from the noise
ZERO_STD = 1e-10


def zero_variance(var: np.ndarray) -> np.ndarray:
    """Mask of the variances that are zero at working precision (see :data:`ZERO_STD`); exact zeros included."""
    var = np.asarray(var, dtype=float)
    return var <= ZERO_STD**2 * float(np.max(var, initial=0.0))


_HP_MAX_GRID = 1 << 16


def semidefinite_cholesky(cov: np.ndarray) -> np.ndarray:
    """Lower-triangular ``L`` with ``L L' = cov`` for a positive semidefinite ``cov``.

    Equal to ``numpy.linalg.cholesky`` when ``cov`` is positive definite; a shock with
    zero variance (or one exactly explained by earlier shocks) gets a zero column.
    """
    cov = np.asarray(cov, dtype=float)
    n = cov.shape[0]
    low = np.zeros((n, n))
    diagonal = np.diagonal(cov)
    scale = max(float(np.max(np.abs(diagonal), initial=0.0)), 1e-300)
    if np.count_nonzero(cov) == np.count_nonzero(diagonal):  # uncorrelated shocks: what the loop gives, at once
        low[np.diag_indices(n)] = np.where(diagonal > 1e-14 * scale, np.sqrt(np.maximum(diagonal, 0.0)), 0.0)
        return low
    for j in range(n):
        d = cov[j, j] - low[j, :j] @ low[j, :j]
        if d <= 1e-14 * scale:
            continue
        low[j, j] = np.sqrt(d)
        low[j + 1 :, j] = (cov[j + 1 :, j] - low[j + 1 :, :j] @ low[j, :j]) / low[j, j]
    return low


def lyapunov(t: np.ndarray, q: np.ndarray, *, max_iter: int = 64) -> np.ndarray:
    r"""Solve :math:`\Sigma = T \Sigma T' + Q` by doubling (``q`` may be a stack ``(m, n, n)``).

    :math:`\Sigma_{k+1} = \Sigma_k + A_k \Sigma_k A_k'`, :math:`A_{k+1} = A_k^2`, from
    :math:`\Sigma_0 = Q`, :math:`A_0 = T`: after ``k`` steps the sum covers :math:`2^k`
    terms of :math:`\sum_s T^s Q T^{s\prime}`. Stops when :math:`A_k = T^{2^k}` is so small
    that the remaining terms are below rounding level.

    Raises
    ------
    SolverError
        When it does not converge (a root of ``T`` on or outside the unit circle).
    """
    a = np.array(t, dtype=float)
    s = np.array(q, dtype=float)
    bound = 1e-18 / max(a.shape[0], 1)
    for _ in range(max_iter):
        s = s + a @ s @ a.T
        a = a @ a
        if float(np.max(np.abs(a), initial=0.0)) ** 2 <= bound:
            return 0.5 * (s + np.swapaxes(s, -1, -2))
    raise SolverError("the Lyapunov equation did not converge: the solution has a root on or outside the unit circle")


@dataclass(frozen=True, eq=False)
class MomentsResult:
    r"""Theoretical moments of the stationary solution (Dynare's ``THEORETICAL MOMENTS``).

    Attributes
    ----------
    variables : tuple of str
    covariance : numpy.ndarray, shape (n, n)
        Of the deviations (log deviations for log-linearized variables; of the
        HP-filtered series when ``hp_filter`` is set).
    autocovariances : numpy.ndarray, shape (ar, n, n)
        ``autocovariances[k-1][i, j] = Cov(y_i,t, y_j,t-k)``.
    hp_filter : float or None
        The HP smoothing parameter, or None for unfiltered moments.
    """

    variables: tuple
    covariance: np.ndarray
    autocovariances: np.ndarray
    hp_filter: float | None = None

    @property
    def variance(self) -> np.ndarray:
        """Variance of each variable."""
        return np.clip(np.diag(self.covariance), 0.0, None)

    @property
    def std(self) -> np.ndarray:
        """Standard deviation of each variable."""
        return np.sqrt(self.variance)

    @property
    def constant(self) -> np.ndarray:
        """Mask of the variables whose variance is zero at working precision (:func:`zero_variance`)."""
        return zero_variance(self.variance)

    @property
    def correlation(self) -> np.ndarray:
        """Correlation matrix (NaN where a variable has zero variance at working precision)."""
        sd, zero = self.std, self.constant
        with np.errstate(divide="ignore", invalid="ignore"):
            out = self.covariance / np.outer(sd, sd)
        out[zero[:, None] | zero[None, :]] = np.nan
        return out

    @property
    def autocorrelation(self) -> np.ndarray:
        """``(n, ar)``: autocorrelation of each variable at lags ``1..ar`` (NaN for zero variance)."""
        var = self.variance
        diag = (
            np.diagonal(self.autocovariances, axis1=1, axis2=2).T
            if self.autocovariances.size
            else np.zeros((len(var), 0))
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            out = diag / var[:, None]
        out[self.constant, :] = np.nan
        return out

    @property
    def autocorrelation_matrices(self) -> np.ndarray:
        """``(ar, n, n)``: ``Cov(y_i,t, y_j,t-k) / (sd_i sd_j)`` (Dynare's ``oo_.autocorr``; NaN for constants)."""
        sd, zero = self.std, self.constant
        with np.errstate(divide="ignore", invalid="ignore"):
            out = self.autocovariances / np.outer(sd, sd)[None, :, :]
        out[:, zero[:, None] | zero[None, :]] = np.nan
        return out

    def to_frame(self):
        """Table indexed by variable: ``std``, ``variance`` and ``autocorr_1..ar`` (needs pandas)."""
        from dsge.solution.frames import pandas_module

        pd = pandas_module()
        table = {"std": self.std, "variance": self.variance}
        for k in range(self.autocovariances.shape[0]):
            table[f"autocorr_{k + 1}"] = self.autocorrelation[:, k]
        return pd.DataFrame(table, index=pd.Index(self.variables, name="variable"))

    def correlation_frame(self):
        """The correlation matrix as a DataFrame (needs pandas)."""
        from dsge.solution.frames import pandas_module

        pd = pandas_module()
        return pd.DataFrame(self.correlation, index=list(self.variables), columns=list(self.variables))

    def __repr__(self) -> str:
        return f"MomentsResult(n={len(self.variables)}, ar={self.autocovariances.shape[0]}, hp_filter={self.hp_filter})"

    _repr_latex_ = LatexDisplay._repr_latex_


@dataclass(frozen=True, eq=False)
class VarianceDecomposition:
    """Unconditional variance decomposition in percent: ``shares[i, j]`` is shock ``j``'s share of variable ``i``.

    Rows sum to 100 (a variable with zero variance has a row of NaN).
    """

    variables: tuple
    shocks: tuple
    shares: np.ndarray
    hp_filter: float | None = None

    def to_frame(self):
        """Variables as rows, shocks as columns (needs pandas)."""
        from dsge.solution.frames import pandas_module

        pd = pandas_module()
        return pd.DataFrame(self.shares, index=pd.Index(self.variables, name="variable"), columns=list(self.shocks))

    def __repr__(self) -> str:
        return f"VarianceDecomposition(n={len(self.variables)}, shocks={len(self.shocks)})"


@dataclass(frozen=True, eq=False)
class ConditionalVarianceDecomposition:
    """Forecast-error variance decomposition in percent at each horizon: ``shares[h, i, j]``."""

    variables: tuple
    shocks: tuple
    horizons: tuple
    shares: np.ndarray

    def to_frame(self):
        """Rows ``(horizon, variable)``, shocks as columns (needs pandas)."""
        from dsge.solution.frames import pandas_module

        pd = pandas_module()
        index = pd.MultiIndex.from_product([list(self.horizons), list(self.variables)], names=["horizon", "variable"])
        return pd.DataFrame(self.shares.reshape(-1, len(self.shocks)), index=index, columns=list(self.shocks))

    def __repr__(self) -> str:
        return f"ConditionalVarianceDecomposition(horizons={list(self.horizons)}, n={len(self.variables)})"


def _percent(parts: np.ndarray) -> np.ndarray:
    """``parts[i, j]`` (variance of ``i`` due to ``j``) as percent of the row total (NaN for a zero row).

    A row whose total is zero at working precision (:func:`zero_variance` over the rows) is NaN too:
    shares of rounding noise are not shares.
    """
    total = parts.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 100.0 * parts / total
    return np.where(zero_variance(total), np.nan, out)


def check_stationary(t: np.ndarray, tol: float, what: str) -> None:
    """Raise :class:`SolverError` unless every root of ``t`` lies inside ``1 - tol``."""
    radius = float(np.max(np.abs(np.linalg.eigvals(t)), initial=0.0)) if t.size else 0.0
    if radius >= 1.0 - tol:
        raise SolverError(
            f"{what} do not exist: the solution has spectral radius {radius:.6g} (needs < 1 - {tol:g}); "
            "HP-filtered moments (hp_filter) exist even with unit roots"
        )


def theoretical_moments(t, c, select, ar: int, tol: float, hp_filter: float | None = None):
    """Covariance and autocovariances of ``y[select]`` for ``y_t = T y_{t-1} + C e_t``, ``e ~ (0, I)``.

    Returns ``(covariance, autocovariances)`` with shapes ``(m, m)`` and ``(ar, m, m)``.
    """
    if hp_filter:
        gammas = _hp_autocovariances(t, c, float(hp_filter), ar)[0]
        return gammas[0][np.ix_(select, select)], gammas[1:][:, select][:, :, select]
    check_stationary(t, tol, "unconditional moments")
    sigma = lyapunov(t, c @ c.T)
    autocov = []
    lagged = sigma
    for _ in range(ar):
        lagged = t @ lagged
        autocov.append(lagged[np.ix_(select, select)])
    shape = (ar, len(select), len(select))
    return sigma[np.ix_(select, select)], np.array(autocov).reshape(shape)


def variance_decomposition(t, c, select, tol: float, hp_filter: float | None = None) -> np.ndarray:
    """Percent of the variance of ``y[select]`` due to each column of ``c`` (Cholesky-orthogonalised shocks)."""
    if hp_filter:
        parts = _hp_autocovariances(t, c, float(hp_filter), 0)[1]
        return _percent(parts[select])
    check_stationary(t, tol, "variance decompositions")
    q = np.einsum("ij,kj->jik", c, c)  # (ne, n, n): c_j c_j'
    sigmas = lyapunov(t, q)
    parts = np.diagonal(sigmas, axis1=1, axis2=2).T  # (n, ne)
    return _percent(parts[select])


def conditional_variance_decomposition(t, c, select, horizons) -> np.ndarray:
    """``(len(horizons), m, ne)`` percent of the h-step forecast error variance due to each shock."""
    horizons = sorted(int(h) for h in horizons)
    out = []
    parts = np.zeros((t.shape[0], c.shape[1]))
    response = c.copy()
    step = 0
    for h in horizons:
        while step < h:
            parts += response**2
            response = t @ response
            step += 1
        out.append(_percent(parts[select]))
    return np.array(out)


def _hp_grid(t, c, lam: float, n_grid: int, nlags: int):
    n = t.shape[0]
    omega = 2.0 * np.pi * np.arange(n_grid) / n_grid
    gain = 4.0 * lam * (1.0 - np.cos(omega)) ** 2
    gain = gain / (1.0 + gain)
    gammas = np.zeros((nlags + 1, n, n))
    parts = np.zeros((n, c.shape[1]))
    eye = np.eye(n)
    keep = np.flatnonzero(gain > 0)
    chunk = max(1, int(2e6 // max(n * n, 1)))
    for start in range(0, keep.size, chunk):
        idx = keep[start : start + chunk]
        z = np.exp(-1j * omega[idx])
        x = np.linalg.solve(
            eye[None, :, :] - z[:, None, None] * t[None, :, :], np.broadcast_to(c, (idx.size, *c.shape))
        )
        x = gain[idx, None, None] * x
        density = x @ np.conj(np.swapaxes(x, 1, 2))  # (m, n, n)
        phase = np.exp(1j * np.outer(np.arange(nlags + 1), omega[idx]))  # (nlags+1, m)
        gammas += np.real(np.einsum("km,mij->kij", phase, density)) / n_grid
        parts += np.sum(np.abs(x) ** 2, axis=0) / n_grid
    return gammas, parts


def _hp_autocovariances(t, c, lam: float, nlags: int):
    """HP-filtered autocovariances ``(nlags+1, n, n)`` and per-shock variances ``(n, ne)``, grid refined to convergence."""
    n_grid = 512
    gammas, parts = _hp_grid(t, c, lam, n_grid, nlags)
    while n_grid < _HP_MAX_GRID:
        n_grid *= 2
        finer, finer_parts = _hp_grid(t, c, lam, n_grid, nlags)
        scale = max(float(np.max(np.abs(np.diagonal(finer[0])), initial=0.0)), 1e-300)
        change = max(float(np.max(np.abs(finer - gammas))), float(np.max(np.abs(finer_parts - parts), initial=0.0)))
        gammas, parts = finer, finer_parts
        if change <= _HP_TOL * scale:
            return gammas, parts
    raise SolverError(f"HP-filtered moments did not converge on a grid of {n_grid} frequencies")
