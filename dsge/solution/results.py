r"""Result objects: linearization, solution, impulse responses, simulations, moments.

All are frozen dataclasses whose ``__repr__`` is one line and computes nothing.
A solved model is the VAR(1) in deviations from the steady state

.. math:: \hat y_t = T \hat y_{t-1} + R \, \varepsilon_t,
          \qquad \varepsilon_t \sim (0, \Omega),

the first-order reading of eq. (17) of the paper; ``T`` (``transition``) and
``R`` (``impact``) exist only when the Blanchard–Kahn conditions hold.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import numpy as np

from dsge.solution.blanchard_kahn import BKResult
from dsge.solution.steady_state import SteadyState
from geo_sym.display import LatexDisplay
from geo_sym.errors import SolverError, UnknownNameError, ValidationError

__all__ = ["OptionalDependencyError", "Linearization", "Solution", "IRFResult", "SimulationResult", "MomentsResult"]


from geo_sym.errors import OptionalDependencyError


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise OptionalDependencyError(
            "to_frame() needs pandas: pip install pandas (or pip install 'geo-sym[bench]')"
        ) from exc
    return pd


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise OptionalDependencyError("plot() needs matplotlib: pip install matplotlib") from exc
    headless = (
        sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and "MPLBACKEND" not in os.environ and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _frozen(array) -> np.ndarray:
    out = np.array(array, dtype=float)
    out.flags.writeable = False
    return out


def plot_grid(values, variables, *, title: str = "", latex_names=None, xlabel: str = "period"):
    """One panel per variable (columns of ``values``) on a near-square grid; returns the figure."""
    plt = _pyplot()
    n = len(variables)
    ncols = int(np.ceil(np.sqrt(n))) if n else 1
    nrows = int(np.ceil(n / ncols)) if n else 1
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.4 * nrows), squeeze=False)
    latex_names = latex_names or {}
    periods = np.arange(values.shape[0])
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_visible(False)
            continue
        ax.plot(periods, values[:, k], lw=1.5)
        ax.axhline(0.0, color="0.6", lw=0.8)
        label = latex_names.get(variables[k])
        ax.set_title(f"${label}$" if label else variables[k])
        ax.set_xlabel(xlabel)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


@dataclass(frozen=True, eq=False)
class Linearization:
    r"""Exact first-order derivatives of the residuals at the steady state.

    The linearized model (levels, deviations from the steady state) is

    .. math:: F_{+} \hat y_{t+1} + F_0 \hat y_t + F_{-} \hat y_{t-1}
              + F_\varepsilon \varepsilon_t = 0 .

    Attributes
    ----------
    variables, shocks : tuple of str
    steady_state : SteadyState
    f_lead, f_cur, f_lag : numpy.ndarray, shape (n, n)
    f_shock : numpy.ndarray, shape (n, n_shocks)
    """

    variables: tuple
    shocks: tuple
    steady_state: SteadyState
    f_lead: np.ndarray
    f_cur: np.ndarray
    f_lag: np.ndarray
    f_shock: np.ndarray

    def __repr__(self) -> str:
        return f"Linearization(n={len(self.variables)}, shocks={len(self.shocks)})"

    _repr_latex_ = LatexDisplay._repr_latex_


@dataclass(frozen=True, eq=False)
class IRFResult:
    """Impulse responses: deviations from the steady state after a unit impulse at period 0.

    Attributes
    ----------
    shock : str
    variables : tuple of str
    values : numpy.ndarray, shape (periods, n)
        Row ``t`` holds the deviations at period ``t``.
    latex_names : dict
    """

    shock: str
    variables: tuple
    values: np.ndarray
    latex_names: dict

    @property
    def periods(self) -> int:
        """Number of periods (rows)."""
        return int(self.values.shape[0])

    def __getitem__(self, variable: str) -> np.ndarray:
        if variable not in self.variables:
            raise UnknownNameError("variable", variable, "one of " + ", ".join(self.variables))
        return self.values[:, self.variables.index(variable)]

    def to_dict(self) -> dict:
        """Variable -> list of deviations for periods 0..N-1."""
        return {v: self.values[:, k].tolist() for k, v in enumerate(self.variables)}

    def to_frame(self):
        """DataFrame indexed by period with one column per variable (needs pandas)."""
        pd = _pandas()
        return pd.DataFrame(
            np.array(self.values), columns=list(self.variables), index=pd.RangeIndex(self.periods, name="period")
        )

    def plot(self):
        """Grid of panels, one per variable; returns the matplotlib figure."""
        return plot_grid(
            self.values,
            self.variables,
            latex_names=self.latex_names,
            title=f"impulse responses to a unit {self.shock} shock",
        )

    def __repr__(self) -> str:
        return f"IRFResult(shock={self.shock!r}, periods={self.periods}, n={len(self.variables)})"

    _repr_latex_ = LatexDisplay._repr_latex_


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """A seeded stochastic simulation of the linear solution (deviations from steady state).

    Attributes
    ----------
    variables, shocks : tuple of str
    values : numpy.ndarray, shape (periods, n)
    innovations : numpy.ndarray, shape (periods, n_shocks)
    seed : int or None
    """

    variables: tuple
    shocks: tuple
    values: np.ndarray
    innovations: np.ndarray
    seed: int | None
    latex_names: dict

    def to_frame(self):
        """DataFrame indexed by period with one column per variable (needs pandas)."""
        pd = _pandas()
        return pd.DataFrame(
            np.array(self.values),
            columns=list(self.variables),
            index=pd.RangeIndex(self.values.shape[0], name="period"),
        )

    def plot(self):
        """Grid of panels, one per variable; returns the matplotlib figure."""
        return plot_grid(
            self.values, self.variables, latex_names=self.latex_names, title=f"simulation (seed {self.seed})"
        )

    def __repr__(self) -> str:
        return f"SimulationResult(periods={self.values.shape[0]}, seed={self.seed})"


@dataclass(frozen=True, eq=False)
class MomentsResult:
    r"""Unconditional moments of the stationary solution.

    ``covariance`` solves the discrete Lyapunov equation
    :math:`\Sigma = T \Sigma T' + R \Omega R'` (QuantEcon's
    ``solve_discrete_lyapunov``); means are zero in deviations.

    Attributes
    ----------
    variables : tuple of str
    covariance : numpy.ndarray, shape (n, n)
    autocorrelation : numpy.ndarray, shape (n,)
        First-order autocorrelation of each variable (NaN-free: 0 when the
        variance is 0).
    """

    variables: tuple
    covariance: np.ndarray
    autocorrelation: np.ndarray

    @property
    def std(self) -> np.ndarray:
        """Standard deviation of each variable."""
        return np.sqrt(np.clip(np.diag(self.covariance), 0.0, None))

    def to_frame(self):
        """DataFrame with columns ``std``, ``variance``, ``autocorrelation`` (needs pandas)."""
        pd = _pandas()
        return pd.DataFrame(
            {"std": self.std, "variance": np.diag(self.covariance), "autocorrelation": np.array(self.autocorrelation)},
            index=pd.Index(self.variables, name="variable"),
        )

    def __repr__(self) -> str:
        return f"MomentsResult(n={len(self.variables)})"

    _repr_latex_ = LatexDisplay._repr_latex_


@dataclass(frozen=True, eq=False)
class Solution:
    r"""A solved linear model: steady state, Blanchard–Kahn diagnostics and policy.

    Attributes
    ----------
    model_name : str
    variables, shocks : tuple of str
    steady_state : SteadyState
    linearization : Linearization
    bk : BKResult
    transition : numpy.ndarray or None
        ``T`` in :math:`\hat y_t = T \hat y_{t-1} + R \varepsilon_t`; None
        unless ``bk.status == "determinate"``.
    impact : numpy.ndarray or None
        ``R`` (shape (n, n_shocks)); None unless determinate.
    shock_cov : numpy.ndarray
        :math:`\Omega`.
    latex_names : dict
    """

    model_name: str
    variables: tuple
    shocks: tuple
    steady_state: SteadyState
    linearization: Linearization
    bk: BKResult
    transition: np.ndarray | None
    impact: np.ndarray | None
    shock_cov: np.ndarray
    latex_names: dict

    def __repr__(self) -> str:
        return f"Solution(model={self.model_name!r}, status={self.bk.status!r})"

    _repr_latex_ = LatexDisplay._repr_latex_

    def _require_policy(self, what: str) -> None:
        if self.transition is None:
            raise SolverError(
                f"{what} is not available for {self.model_name!r}: "
                f"Blanchard-Kahn status is {self.bk.status!r} "
                f"({self.bk.message})"
            )

    def irf(self, shock: str, periods: int = 40) -> IRFResult:
        """Impulse responses to a unit impulse of ``shock`` at period 0.

        Parameters
        ----------
        shock : str
            A declared shock name.
        periods : int
            Number of periods ``N``; rows are periods ``0..N-1``.

        Returns
        -------
        IRFResult

        Raises
        ------
        SolverError
            When the model is not determinate (no unique stable policy).
        UnknownNameError
            When ``shock`` is not declared.
        """
        self._require_policy("an impulse response")
        if shock not in self.shocks:
            raise UnknownNameError("shock", shock, "a declared shock: " + (", ".join(self.shocks) or "(none)"))
        periods = _positive_int(periods, "periods")
        out = np.empty((periods, len(self.variables)))
        y = self.impact[:, self.shocks.index(shock)].copy()
        for t in range(periods):
            out[t] = y
            y = self.transition @ y
        return IRFResult(shock=shock, variables=self.variables, values=_frozen(out), latex_names=self.latex_names)

    def simulate(self, periods: int, seed: int | None = None, burn_in: int = 0) -> SimulationResult:
        """Simulate the linear solution with Gaussian shocks of covariance ``shock_cov``.

        Parameters
        ----------
        periods : int
            Number of periods kept.
        seed : int, optional
            Seed of ``numpy.random.default_rng``; the same seed gives the same path.
        burn_in : int
            Periods simulated and discarded first (the path starts at the
            steady state).

        Returns
        -------
        SimulationResult

        Raises
        ------
        SolverError
            When the model is not determinate.
        """
        self._require_policy("a simulation")
        periods = _positive_int(periods, "periods")
        burn_in = _nonnegative_int(burn_in, "burn_in")
        total = periods + burn_in
        rng = np.random.default_rng(seed)
        ne = len(self.shocks)
        root = _cov_root(self.shock_cov)
        eps = rng.standard_normal((total, ne)) @ root.T
        y = np.zeros(len(self.variables))
        out = np.empty((total, len(self.variables)))
        for t in range(total):
            y = self.transition @ y + self.impact @ eps[t]
            out[t] = y
        return SimulationResult(
            variables=self.variables,
            shocks=self.shocks,
            values=_frozen(out[burn_in:]),
            innovations=_frozen(eps[burn_in:]),
            seed=seed,
            latex_names=self.latex_names,
        )

    def moments(self) -> MomentsResult:
        """Unconditional covariance by the discrete Lyapunov equation (QuantEcon).

        Returns
        -------
        MomentsResult

        Raises
        ------
        SolverError
            When the model is not determinate or its transition has a root on
            or outside the unit circle (no stationary distribution).
        """
        self._require_policy("unconditional moments")
        radius = float(np.max(np.abs(np.linalg.eigvals(self.transition)), initial=0.0))
        if radius >= 1.0 - self.bk.tolerance:
            raise SolverError(
                f"unconditional moments of {self.model_name!r} do not exist: the "
                f"solution has spectral radius {radius:.6g} (needs < 1 - "
                f"{self.bk.tolerance:g})"
            )
        try:
            from quantecon import solve_discrete_lyapunov
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise OptionalDependencyError("moments() needs quantecon: pip install quantecon") from exc
        q = self.impact @ self.shock_cov @ self.impact.T
        sigma = np.asarray(solve_discrete_lyapunov(self.transition, q, max_it=200), dtype=float)
        sigma = 0.5 * (sigma + sigma.T)
        var = np.diag(sigma)
        lag1 = np.diag(self.transition @ sigma)
        with np.errstate(divide="ignore", invalid="ignore"):
            ac = np.where(var > 0, lag1 / np.where(var > 0, var, 1.0), 0.0)
        return MomentsResult(variables=self.variables, covariance=_frozen(sigma), autocorrelation=_frozen(ac))

    def to_dict(self) -> dict:
        """JSON-safe summary: steady state, ``bk`` (see :meth:`BKResult.to_dict`)."""
        return {
            "model": self.model_name,
            "steady_state": self.steady_state.as_dict(),
            "steady_state_residuals": [float(r) for r in self.steady_state.residuals],
            "steady_state_method": self.steady_state.method,
            "bk": self.bk.to_dict(),
        }


def _positive_int(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValidationError(field, value, "an integer >= 1")
    return int(value)


def _nonnegative_int(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValidationError(field, value, "an integer >= 0")
    return int(value)


def _cov_root(cov) -> np.ndarray:
    """A square root ``L`` with ``L L' = cov`` (works for singular covariance)."""
    cov = np.asarray(cov, dtype=float)
    if cov.size == 0:
        return np.zeros((0, 0))
    w, v = np.linalg.eigh(0.5 * (cov + cov.T))
    if np.min(w) < -1e-12 * max(1.0, np.max(np.abs(w))):
        raise ValidationError("shock_cov", cov.tolist(), "a positive semidefinite matrix")
    return v * np.sqrt(np.clip(w, 0.0, None))
