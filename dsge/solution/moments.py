r"""Theoretical moments of a solved model: what Dynare's ``stoch_simul`` reports at order 1.

For the solution :math:`\hat y_t = T \hat y_{t-1} + R \varepsilon_t`,
:math:`\varepsilon_t \sim (0, \Omega)`, with :math:`C = R L` where :math:`L L' = \Omega`
is the Cholesky factor (shocks in declaration order, as Dynare orthogonalises them):

* the covariance :math:`\Sigma = T \Sigma T' + C C'` (discrete Lyapunov equation on the state
  block of :math:`T`, solved through its real Schur form by :func:`lyapunov`, as Dynare's
  ``lyapunov_symm``), standard deviations, correlations and the
  autocovariances :math:`\mathrm{Cov}(\hat y_t, \hat y_{t-k}) = T^k \Sigma`;
* the unconditional variance decomposition: the share of :math:`\Sigma_{ii}` due to the
  :math:`j`-th orthogonalised shock, :math:`\Sigma^{(j)} = T \Sigma^{(j)} T' + c_j c_j'`,
  in percent (rows sum to 100);
* conditional decompositions at horizons :math:`h`: shares of the :math:`h`-step forecast
  error variance :math:`\sum_{s<h} T^s c_j c_j' T^{s\prime}`;
* with unit roots (roots of :math:`T` within the unit-circle tolerance of 1; a determinate
  solution has no explosive ones), what Dynare's ``th_autocovariances`` does: the real Schur
  form of the state block :math:`T_{ss} = U S U'` ordered with the unit roots first,
  :math:`U = [U_1\; U_2]`; a variable is *stationary* when its row of :math:`T_{:s} U_1` vanishes
  (:func:`stationary_rows`),
  and its moments and variance decomposition are those of the autonomous stable block
  :math:`z_t = U_2' \hat y_{s,t} = S_{22} z_{t-1} + U_2' C_s \varepsilon_t` (Lyapunov equation on
  :math:`S_{22}` only). Non-stationary variables get NaN (no unconditional moment exists);
  the conditional decompositions are finite-horizon and exist for every variable;
* HP-filtered moments (Hodrick–Prescott, smoothing :math:`\lambda`): the autocovariances
  of the filtered series are Fourier integrals of the spectral density times the squared
  gain :math:`g(\omega) = 4\lambda(1-\cos\omega)^2 / (1 + 4\lambda(1-\cos\omega)^2)`,
  computed on a frequency grid refined until doubling it changes no autocovariance by
  more than ``1e-13`` of the largest variance (Dynare uses a fixed 512-point grid).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dsge.solution import dense, lapack
from geo_sym.display import LatexDisplay
from geo_sym.errors import SolverError

__all__ = [
    "lyapunov",
    "semidefinite_cholesky",
    "zero_variance",
    "ZERO_STD",
    "SCHUR_VEC_TOL",
    "UnitRootSplit",
    "unit_root_split",
    "stationary_rows",
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


#: a variable is stationary when every entry of its row of ``T Q_1`` (``Q_1``: orthonormal Schur vectors of the
#: unit-root subspace) is at most this times ``||T_i|| max(1, ||T||)`` (Dynare's ``options_.schur_vec_tol``, there an
#: absolute bound on ``ghx * u``)
SCHUR_VEC_TOL = 1e-11


def zero_variance(var: np.ndarray) -> np.ndarray:
    """Mask of the variances that are zero at working precision (see :data:`ZERO_STD`); exact zeros included.

    NaN entries (variables without a variance: non-stationary ones) are not zero and do not set the scale.
    """
    var = np.asarray(var, dtype=float)
    top = float(np.max(var[np.isfinite(var)], initial=0.0))
    return var <= ZERO_STD**2 * top


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


def _real_schur(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(S, U)`` with ``a = U S U'`` (NumPy's LAPACK through :func:`dsge.solution.lapack.schur`, else SciPy)."""
    out = lapack.schur(a)
    if out is None:
        from scipy.linalg import schur

        out = schur(a, output="real")
    return out


def _diagonal_blocks(s: np.ndarray) -> list[tuple[int, int]]:
    """``[start, stop)`` of the 1 x 1 and 2 x 2 diagonal blocks of an upper quasi-triangular ``s``."""
    sub = np.diagonal(s, -1).tolist()
    blocks, i, n = [], 0, s.shape[0]
    while i < n:
        size = 2 if i + 1 < n and sub[i] != 0.0 else 1
        blocks.append((i, i + size))
        i += size
    return blocks


def _stein_triangular(s: np.ndarray, c: np.ndarray) -> np.ndarray:
    r"""``X = S X S' + C`` for an upper quasi-triangular ``S``; ``c`` of shape ``(m, n, n)``.

    Column blocks of ``X`` from the last (Kitagawa 1977): with the columns after block ``J``
    known, :math:`X_{:J} - S X_{:J} S_{JJ}' = C_{:J} + S\,X_{:,>J} S_{J,>J}'` is one linear system
    of size ``n`` (``2n`` for a 2 x 2 block), solved for every right-hand side of the stack at once.
    """
    n, m = s.shape[0], c.shape[0]
    x = np.zeros(c.shape)
    eye = np.eye(n)
    for j0, j1 in reversed(_diagonal_blocks(s)):
        r = c[:, :, j0:j1] + s @ (x[:, :, j1:] @ s[j0:j1, j1:].T)  # (m, n, width)
        if j1 - j0 == 1:
            x[:, :, j0] = dense.solve(eye - s[j0, j0] * s, np.ascontiguousarray(r[:, :, 0].T)).T
        else:  # column-major vec: vec(S X S_JJ') = (S_JJ kron S) vec(X)
            system = np.eye(2 * n) - np.kron(s[j0:j1, j0:j1], s)
            rhs = np.ascontiguousarray(r.transpose(0, 2, 1).reshape(m, 2 * n).T)
            x[:, :, j0:j1] = dense.solve(system, rhs).T.reshape(m, 2, n).transpose(0, 2, 1)
    return x


def lyapunov(t: np.ndarray, q: np.ndarray) -> np.ndarray:
    r"""Solve :math:`\Sigma = T \Sigma T' + Q` (``q`` may be a stack ``(m, n, n)``) through the real Schur form of ``T``.

    :math:`T = U S U'`; :math:`X = S X S' + U' Q U` is solved by back substitution over the
    diagonal blocks of :math:`S` (:func:`_stein_triangular`, as Dynare's ``lyapunov_symm``) and
    :math:`\Sigma = U X U'`. Unlike the doubling algorithm (:math:`T^{2^k}` by repeated
    squaring), it keeps its accuracy when ``T`` is far from normal: coefficients of ``1e5`` with
    roots well inside the unit circle lose ``1e-5`` of relative accuracy to squaring (Kiyotaki and
    Moore 1997 in Pfeifer's collection) and ``1e-9`` here.

    Raises
    ------
    SolverError
        When ``T`` has a root on or outside the unit circle (no stationary solution).
    """
    t = np.asarray(t, dtype=float)
    q = np.asarray(q, dtype=float)
    n = t.shape[0]
    if n == 0:
        return q.copy()
    s, u = _real_schur(t)
    if float(np.max(np.abs(np.linalg.eigvals(s)))) >= 1.0:
        raise SolverError(
            "the Lyapunov equation has no solution: the transition matrix has a root on or outside the unit circle"
        )
    stack = q.reshape(-1, n, n)
    x = u @ _stein_triangular(s, u.T @ stack @ u) @ u.T
    return (0.5 * (x + np.swapaxes(x, -1, -2))).reshape(q.shape)


def _state_covariance(t: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``Σ = T Σ T' + Q`` (``q`` may be a stack) through the state block of ``T`` (its nonzero columns), as Dynare does.

    With ``s`` the states and ``X = T_ss X T_ss' + Q_ss`` their covariance, ``Σ = T_:s X T_:s' + Q``.
    """
    states = np.any(t != 0.0, axis=0).nonzero()[0]
    if states.size == 0:
        return np.array(q, dtype=float)
    a = t[np.ix_(states, states)]
    x = lyapunov(a, q[..., states[:, None], states[None, :]])
    ts = t[:, states]
    return ts @ x @ ts.T + q


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
    nonstationary : tuple of str
        Variables that load on a unit root: no unconditional moment exists, their rows and
        columns are NaN (Dynare prints NaN); empty for HP-filtered moments.
    """

    variables: tuple
    covariance: np.ndarray
    autocovariances: np.ndarray
    hp_filter: float | None = None
    nonstationary: tuple = ()

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
        return (
            f"MomentsResult(n={len(self.variables)}, ar={self.autocovariances.shape[0]}, hp_filter={self.hp_filter}, "
            f"nonstationary={len(self.nonstationary)})"
        )

    _repr_latex_ = LatexDisplay._repr_latex_


@dataclass(frozen=True, eq=False)
class VarianceDecomposition:
    """Unconditional variance decomposition in percent: ``shares[i, j]`` is shock ``j``'s share of variable ``i``.

    Rows sum to 100 (a variable with zero variance, or a non-stationary one, has a row of NaN).
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


@dataclass(frozen=True, eq=False)
class UnitRootSplit:
    r"""The real Schur form of the state transition ordered with the unit roots first (Dynare's ``lyapunov_symm``).

    With :math:`x = \hat y_s` the state variables (the nonzero columns of :math:`T`) and
    :math:`A = T_{ss} = U S U'`, :math:`U = [U_1\; U_2]`, :math:`S_{11}` holding the unit roots.

    Attributes
    ----------
    n_unit : int
        Number of roots with :math:`|\lambda| \ge 1 - \mathrm{tol}` (the leading block :math:`S_{11}`).
    q_stable : numpy.ndarray, shape (n, m)
        :math:`Q_2`: :math:`U_2` in the rows of the states, zero elsewhere, so that
        :math:`Q_2' T = S_{22} Q_2'` and :math:`z = Q_2' \hat y` is an autonomous stable VAR.
    s_stable : numpy.ndarray, shape (m, m)
        :math:`S_{22}`.
    stationary : numpy.ndarray of bool, shape (n,)
        Variables whose row of :math:`T_{:s} U_1` vanishes (:func:`stationary_rows`).
    """

    n_unit: int
    q_stable: np.ndarray
    s_stable: np.ndarray
    stationary: np.ndarray

    def __repr__(self) -> str:
        return f"UnitRootSplit(n_unit={self.n_unit}, n={self.stationary.shape[0]})"


def stationary_rows(t: np.ndarray, loading: np.ndarray, tol: float = SCHUR_VEC_TOL) -> np.ndarray:
    r"""Mask of the variables whose ``loading`` on the unit-root Schur vectors vanishes.

    ``loading`` is :math:`T_{:s} U_1` (rows: variables). Variable :math:`i` is stationary when
    :math:`\max_j |(T_{:s} U_1)_{ij}| \le \mathrm{tol}\,\|T_i\|_2 \max(1, \|T\|_2)`: the row norm makes
    the test independent of the variable's own units, and the factor :math:`\|T\|` covers the rounding of
    rows computed as differences of large coefficients (a cointegrating combination of variables in very
    different units). A variable with a zero row (white noise) is stationary.
    """
    t = np.asarray(t, dtype=float)
    if loading.shape[1] == 0:
        return np.ones(t.shape[0], dtype=bool)
    bound = tol * np.linalg.norm(t, axis=1) * max(1.0, float(np.linalg.norm(t, 2)))
    return np.all(np.abs(loading) <= bound[:, None], axis=1)


def unit_root_split(t: np.ndarray, tol: float) -> UnitRootSplit | None:
    """The unit-root/stable split of ``t`` (:class:`UnitRootSplit`), or None when every root is inside ``1 - tol``.

    A root with modulus at least ``1 - tol`` counts as a unit root (Dynare: ``qz_criterium``), so a root within
    the tolerance below 1 is treated as the unit root it cannot be told apart from. As in Dynare, the Schur
    form is that of the state block of ``t`` (the variables with a nonzero column).

    Raises
    ------
    SolverError
        When the ordered Schur form cannot be computed (a root so close to ``1 - tol`` that reordering moves it
        across the threshold).
    """
    t = np.asarray(t, dtype=float)
    states = np.flatnonzero(np.any(t != 0.0, axis=0))
    a = t[np.ix_(states, states)]
    if a.size == 0 or float(np.max(np.abs(np.linalg.eigvals(a)), initial=0.0)) < 1.0 - tol:
        return None
    from scipy.linalg import LinAlgError, schur  # only with unit roots: the stationary fast path stays SciPy-free

    threshold = 1.0 - tol
    try:
        s, u, k = schur(a, output="real", sort=lambda re, im: np.hypot(re, im) >= threshold)
    except LinAlgError as exc:
        raise SolverError(
            f"the Schur form of the transition matrix ordered by the unit-circle tolerance {tol:g} failed ({exc}): "
            "a root lies at the threshold; try another --tol"
        ) from exc
    k = int(k)
    q2 = np.zeros((t.shape[0], a.shape[0] - k))
    q2[states] = u[:, k:]
    return UnitRootSplit(k, q2, s[k:, k:], stationary_rows(t, t[:, states] @ u[:, :k]))


def _nan_outside(a: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``a`` (shape ``(..., m, m)``) with NaN in the rows and columns of the variables not in ``keep``."""
    out = np.array(a, dtype=float)
    drop = ~keep
    out[..., drop, :] = np.nan
    out[..., :, drop] = np.nan
    return out


#: ``split=`` default of :func:`theoretical_moments` and :func:`variance_decomposition`: compute it
COMPUTE = object()


def theoretical_moments(t, c, select, ar: int, tol: float, hp_filter: float | None = None, *, split=COMPUTE):
    """Covariance and autocovariances of ``y[select]`` for ``y_t = T y_{t-1} + C e_t``, ``e ~ (0, I)``.

    Returns ``(covariance, autocovariances, stationary)`` with shapes ``(m, m)``, ``(ar, m, m)`` and ``(m,)``;
    with unit roots (module docstring) the rows and columns of the non-stationary variables are NaN
    (``stationary`` False). HP-filtered moments exist for every variable. ``split``: the
    :func:`unit_root_split` of ``(t, tol)`` when the caller has it already.
    """
    select = list(select)
    if hp_filter:
        gammas = _hp_autocovariances(t, c, float(hp_filter), ar)[0]
        every = np.ones(len(select), dtype=bool)
        return gammas[0][np.ix_(select, select)], gammas[1:][:, select][:, :, select], every
    split = unit_root_split(t, tol) if split is COMPUTE else split
    shape = (ar, len(select), len(select))
    if split is None:
        sigma = _state_covariance(t, c @ c.T)
        autocov = []
        lagged = sigma
        for _ in range(ar):
            lagged = t @ lagged
            autocov.append(lagged[np.ix_(select, select)])
        return sigma[np.ix_(select, select)], np.array(autocov).reshape(shape), np.ones(len(select), dtype=bool)
    # y_t = M z_{t-1} + C e_t for the stationary rows (M = T Q_2), z_t = S22 z_{t-1} + Q_2' C e_t
    q2, s22 = split.q_stable, split.s_stable
    m = t @ q2
    cc = c @ c.T
    x = lyapunov(s22, q2.T @ cc @ q2)
    sigma = m @ x @ m.T + cc
    lagged = s22 @ x @ m.T + q2.T @ cc  # Cov(z_s, y_s); Cov(y_t, y_{t-k}) = M S22^(k-1) Cov(z_{t-k}, y_{t-k})
    autocov = []
    for _ in range(ar):
        autocov.append((m @ lagged)[np.ix_(select, select)])
        lagged = s22 @ lagged
    keep = split.stationary[select]
    return (
        _nan_outside(sigma[np.ix_(select, select)], keep),
        _nan_outside(np.array(autocov).reshape(shape), keep),
        keep,
    )


def variance_decomposition(t, c, select, tol: float, hp_filter: float | None = None, *, split=COMPUTE) -> np.ndarray:
    """Percent of the variance of ``y[select]`` due to each column of ``c`` (Cholesky-orthogonalised shocks).

    With unit roots, the decomposition of the stationary variables on the stable block (module docstring);
    NaN rows for the non-stationary ones. ``split`` as for :func:`theoretical_moments`.
    """
    select = list(select)
    if hp_filter:
        parts = _hp_autocovariances(t, c, float(hp_filter), 0)[1]
        return _percent(parts[select])
    q = np.einsum("ij,kj->jik", c, c)  # (ne, n, n): c_j c_j'
    split = unit_root_split(t, tol) if split is COMPUTE else split
    if split is None:
        sigmas = _state_covariance(t, q)
        parts = np.diagonal(sigmas, axis1=1, axis2=2).T  # (n, ne)
        return _percent(parts[select])
    q2, s22 = split.q_stable, split.s_stable
    m = t @ q2
    xs = lyapunov(s22, q2.T @ q @ q2)  # (ne, k, k)
    parts = np.einsum("ik,jkl,il->ij", m, xs, m) + c**2
    parts[~split.stationary] = np.nan  # no variance to share; kept out of the rounding-level scale of _percent
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
