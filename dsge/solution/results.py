r"""Result objects: linearization, solution, impulse responses, simulations, decision rules.

All are frozen dataclasses whose ``__repr__`` is one line and computes nothing. A solved
model is the VAR(1) in deviations from the steady state

.. math:: \hat y_t = T \hat y_{t-1} + R \, \varepsilon_t,
          \qquad \varepsilon_t \sim (0, \Omega),

the first-order reading of eq. (17) of the paper; ``T`` (``transition``) and ``R``
(``impact``) exist only when the Blanchard–Kahn conditions hold. For a variable in
``log_variables`` the deviation is :math:`\log y_t - \log \bar y`. Results are reported for
the declared variables (the auxiliary variables of long leads and lags stay internal,
as in Dynare).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from dsge.model.core import frozen
from dsge.solution.blanchard_kahn import BKResult
from dsge.solution.frames import pandas_module as _pandas
from dsge.solution.frames import plot_grid
from dsge.solution.moments import (
    ConditionalVarianceDecomposition,
    MomentsResult,
    VarianceDecomposition,
    conditional_variance_decomposition,
    semidefinite_cholesky,
    theoretical_moments,
    unit_root_split,
    variance_decomposition,
)
from dsge.solution.steady_state import SteadyState
from geo_sym.display import LatexDisplay
from geo_sym.errors import OptionalDependencyError, SolverError, UnknownNameError, ValidationError

__all__ = [
    "OptionalDependencyError",
    "Linearization",
    "Solution",
    "IRFResult",
    "SimulationResult",
    "DecisionRules",
    "MAX_PERIODS",
    "MAX_SIMULATION",
    "_pandas",
]

#: Upper bound on impulse-response lengths (a clear error beyond it).
MAX_PERIODS = 10_000
#: Upper bound on simulation lengths.
MAX_SIMULATION = 1_000_000


@dataclass(frozen=True, eq=False)
class Linearization:
    r"""Exact first-order derivatives of the residuals at the steady state.

    The linearized model (deviations from the steady state) is

    .. math:: F_{+} \hat y_{t+1} + F_0 \hat y_t + F_{-} \hat y_{t-1}
              + F_\varepsilon \varepsilon_t = 0 .

    In levels the columns are :math:`\partial f / \partial y`; for a variable in
    ``log_variables`` they are multiplied by its steady state (the derivative with respect
    to :math:`\log y`).

    Attributes
    ----------
    variables, shocks : tuple of str
        All variables of the expanded model (declared first, then auxiliary ones).
    steady_state : SteadyState
    f_lead, f_cur, f_lag : numpy.ndarray, shape (n, n)
    f_shock : numpy.ndarray, shape (n, n_shocks)
    parameters : dict
        Parameter name -> value at which the derivatives were taken.
    leads, lags : tuple of str or None
        Variables appearing with ``(+1)`` / ``(-1)`` (structure); None: read from the
        nonzero columns.
    declared : int
        Number of declared variables (the first ones of ``variables``).
    log_variables : tuple of str
    """

    variables: tuple
    shocks: tuple
    steady_state: SteadyState
    f_lead: np.ndarray
    f_cur: np.ndarray
    f_lag: np.ndarray
    f_shock: np.ndarray
    parameters: dict = field(default_factory=dict, repr=False)
    leads: tuple | None = None
    lags: tuple | None = None
    declared: int = -1
    log_variables: tuple = ()

    def __post_init__(self):
        if self.declared < 0:
            object.__setattr__(self, "declared", len(self.variables))

    def in_logs(self, names) -> Linearization:
        """The same model with the variables ``names`` in log deviations (columns times the steady state)."""
        idx = [self.variables.index(v) for v in names]
        scale = np.ones(len(self.variables))
        scale[idx] = np.asarray(self.steady_state.values)[idx]
        return Linearization(
            variables=self.variables,
            shocks=self.shocks,
            steady_state=self.steady_state,
            f_lead=frozen(self.f_lead * scale[None, :]),
            f_cur=frozen(self.f_cur * scale[None, :]),
            f_lag=frozen(self.f_lag * scale[None, :]),
            f_shock=self.f_shock,
            parameters=self.parameters,
            leads=self.leads,
            lags=self.lags,
            declared=self.declared,
            log_variables=tuple(dict.fromkeys(tuple(self.log_variables) + tuple(names))),
        )

    def to_frame(self):
        """The nonzero derivatives as rows ``(equation, name, timing, derivative)`` (needs pandas)."""
        pd = _pandas()
        rows = []
        for timing, m, names in (
            (1, self.f_lead, self.variables),
            (0, self.f_cur, self.variables),
            (-1, self.f_lag, self.variables),
            (0, self.f_shock, self.shocks),
        ):
            for i, j in zip(*np.nonzero(np.asarray(m))):
                rows.append((int(i), names[j], timing, float(m[i, j])))
        return pd.DataFrame(rows, columns=["equation", "name", "timing", "derivative"])

    def __repr__(self) -> str:
        return f"Linearization(n={len(self.variables)}, shocks={len(self.shocks)})"

    _repr_latex_ = LatexDisplay._repr_latex_


@dataclass(frozen=True, eq=False)
class IRFResult:
    """Impulse responses: deviations from the steady state after an impulse to ``shock`` at period 0.

    Attributes
    ----------
    shock : str
    variables : tuple of str
    values : numpy.ndarray, shape (periods, n)
        Row ``t`` holds the deviations at period ``t`` (impact at 0).
    latex_names : dict
    scale : str
        ``"std"`` (one standard deviation, Cholesky-orthogonalised when shocks are
        correlated) or ``"unit"`` (a unit impulse).
    log_variables : tuple of str
        Variables whose responses are log deviations (the others are deviations in levels).
    """

    shock: str
    variables: tuple
    values: np.ndarray
    latex_names: dict
    scale: str = "std"
    log_variables: tuple = ()

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
        """Grid of panels, one per variable (:func:`geo_sym.render.plots.plot_irfs`); returns the figure."""
        from geo_sym.render.plots import plot_irfs

        return plot_irfs(self)

    def __repr__(self) -> str:
        return f"IRFResult(shock={self.shock!r}, periods={self.periods}, n={len(self.variables)}, scale={self.scale!r})"

    _repr_latex_ = LatexDisplay._repr_latex_


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """A seeded stochastic simulation of the linear solution.

    Attributes
    ----------
    variables, shocks : tuple of str
    values : numpy.ndarray, shape (periods, n)
        Deviations from the steady state, or levels when ``levels`` is True.
    innovations : numpy.ndarray, shape (periods, n_shocks)
    seed : int or None
    latex_names : dict
    levels : bool
    """

    variables: tuple
    shocks: tuple
    values: np.ndarray
    innovations: np.ndarray
    seed: int | None
    latex_names: dict
    levels: bool = False

    def to_dict(self) -> dict:
        """Variable -> list of values."""
        return {v: self.values[:, k].tolist() for k, v in enumerate(self.variables)}

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
        what = "level" if self.levels else "deviation from steady state"
        return plot_grid(
            self.values,
            self.variables,
            latex_names=self.latex_names,
            title=f"simulated paths (seed {self.seed})",
            ylabel=what,
        )

    def __repr__(self) -> str:
        return f"SimulationResult(periods={self.values.shape[0]}, seed={self.seed}, levels={self.levels})"


@dataclass(frozen=True, eq=False)
class DecisionRules:
    """Dynare's ``POLICY AND TRANSITION FUNCTIONS``: each variable as a function of the states and shocks.

    ``coefficients[r, i]`` is the coefficient of row ``rows[r]`` (``"constant"``, a state
    ``x(-1)`` or ``x(-2)``..., a shock) in the rule of ``variables[i]``; the constant is
    the steady state (its log for log-linearized variables).
    """

    variables: tuple
    rows: tuple
    coefficients: np.ndarray

    def to_frame(self):
        """Rows as in Dynare's table, one column per variable (needs pandas)."""
        pd = _pandas()
        return pd.DataFrame(self.coefficients, index=list(self.rows), columns=list(self.variables))

    def to_dict(self) -> dict:
        """Variable -> {row label -> coefficient}."""
        return {v: dict(zip(self.rows, self.coefficients[:, i].tolist())) for i, v in enumerate(self.variables)}

    def __repr__(self) -> str:
        return f"DecisionRules(variables={len(self.variables)}, rows={len(self.rows)})"


def _check_count(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValidationError(name, value, f"an integer between {low} and {high}")
    return int(value)


def state_label(variable: str, aux: dict) -> str:
    """``x(-1)`` for a state ``x``; for auxiliary variables the original timing (``x(-3)``, ``e(-1)``)."""
    if variable in aux:
        _, source, shift = aux[variable]
        return f"{source}({shift - 1:+d})"
    return f"{variable}(-1)"


def _state_path(a: np.ndarray, start: np.ndarray, periods: int) -> np.ndarray:
    """``path[t] = a^t start`` for ``t < periods`` (shape ``(periods,) + start.shape``), one product per period.

    Not by repeated squaring: the rounding error of ``a^2`` is of the size of ``|a|^2``, which for a
    transition far from normal (coefficients of ``1e5``, roots well inside the unit circle) is
    ``1e10`` times the size of ``a^2`` itself; one product per period keeps the error of each
    response at the size of ``|a|`` times the previous response.
    """
    path = np.empty((periods, *start.shape))
    path[0] = start
    rows = list(path)  # views, taken once
    product = a.dot  # ndarray.dot: a third of matmul's per-call cost on small blocks
    for previous, row in zip(rows, rows[1:]):
        product(previous, out=row)
    return path


@dataclass(frozen=True, eq=False)
class Solution:
    r"""A solved linear model: steady state, Blanchard–Kahn diagnostics and policy.

    Attributes
    ----------
    model_name : str
    variables, shocks : tuple of str
        All variables of the expanded model (declared first).
    steady_state : SteadyState
    linearization : Linearization
        In the units of the solution (log columns for ``log_variables``).
    bk : BKResult
    transition : numpy.ndarray or None
        ``T`` in :math:`\hat y_t = T \hat y_{t-1} + R \varepsilon_t`; None unless
        ``bk.status == "determinate"``.
    impact : numpy.ndarray or None
        ``R`` (shape (n, n_shocks)); None unless determinate.
    shock_cov : numpy.ndarray
        :math:`\Omega`.
    latex_names : dict
    declared : int
        Results are reported for ``variables[:declared]``.
    log_variables : tuple of str
        Variables in log deviations.
    levels : tuple of str
        Variables that ``loglinear`` had to keep in levels (steady state not positive).
    aux : tuple
        ``(name, kind, source, shift)`` of each auxiliary variable.
    shock_factor : numpy.ndarray or None
        The lower-triangular ``L`` with ``L L' = shock_cov`` (:func:`semidefinite_cholesky`) when the
        model has it already; computed from ``shock_cov`` when None.
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
    declared: int = -1
    log_variables: tuple = ()
    levels: tuple = ()
    aux: tuple = ()
    shock_factor: np.ndarray | None = None

    def __post_init__(self):
        if self.declared < 0:
            object.__setattr__(self, "declared", len(self.variables))

    def __repr__(self) -> str:
        return f"Solution(model={self.model_name!r}, status={self.bk.status!r})"

    def to_frame(self):
        """The decision rules (Dynare's policy table; see :meth:`decision_rules`) as a DataFrame (needs pandas)."""
        return self.decision_rules().to_frame()

    _repr_latex_ = LatexDisplay._repr_latex_

    @property
    def reported(self) -> tuple:
        """The declared variables, for which results are reported."""
        return self.variables[: self.declared]

    def _require_policy(self, what: str) -> None:
        if self.transition is None:
            raise SolverError(
                f"{what} is not available for {self.model_name!r}: Blanchard-Kahn status is {self.bk.status!r} "
                f"({self.bk.message})"
            )

    def _shock_index(self, shock: str) -> int:
        if shock not in self.shocks:
            raise UnknownNameError("shock", shock, "a declared shock: " + (", ".join(self.shocks) or "(none)"))
        return self.shocks.index(shock)

    @functools.cached_property
    def _split(self):
        """The unit-root split of ``T`` (:func:`~dsge.solution.moments.unit_root_split`; None: no unit root),
        computed once for the moments and the variance decomposition."""
        return unit_root_split(self.transition, self.bk.tolerance)

    def _shock_factor(self) -> np.ndarray:
        return semidefinite_cholesky(self.shock_cov) if self.shock_factor is None else self.shock_factor

    def orthogonalized_impact(self) -> np.ndarray:
        """``R L`` with ``L`` the Cholesky factor of the shock covariance: one-standard-deviation impulses."""
        self._require_policy("a one-standard-deviation impact")
        return self.impact.dot(self._shock_factor())

    def irfs(self, periods: int = 40, *, unit: bool = False, shocks=None) -> dict:
        """Impulse responses to every shock (or to ``shocks``): shock -> :class:`IRFResult`.

        Parameters
        ----------
        periods : int
            Rows are periods ``0..periods-1`` (impact at 0); at most :data:`MAX_PERIODS`.
        unit : bool
            Unit impulses instead of one standard deviation. By default an impulse is one
            standard deviation of the shock, orthogonalised by the Cholesky factor of the
            covariance (in declaration order) when shocks are correlated, as in Dynare.
        shocks : iterable of str, optional

        Raises
        ------
        SolverError
            When the model is not determinate.
        """
        self._require_policy("an impulse response")
        periods = _check_count(periods, "periods", 1, MAX_PERIODS)
        names = list(self.shocks if shocks is None else shocks)
        cols = [self._shock_index(e) for e in names]
        start = self.impact if unit else self.orthogonalized_impact()
        if cols != list(range(len(self.shocks))):
            start = start[:, cols]
        states = self.transition.any(axis=0).nonzero()[0]  # only these columns of T act
        acting = self.transition.take(states, axis=1)
        path = _state_path(acting.take(states, axis=0), start.take(states, axis=0), periods)
        keep = np.empty((periods, self.declared, len(cols)))
        keep[0] = start[: self.declared]
        if periods > 1:
            np.matmul(acting[: self.declared], path[:-1], out=keep[1:])
        reported = self.reported
        logged = tuple(v for v in self.log_variables if v in reported)
        return {
            e: IRFResult(
                shock=e,
                variables=reported,
                values=frozen(keep[:, :, k]),
                latex_names=self.latex_names,
                scale="unit" if unit else "std",
                log_variables=logged,
            )
            for k, e in enumerate(names)
        }

    def irf(self, shock: str, periods: int = 40, *, unit: bool = False) -> IRFResult:
        """Impulse responses to one shock (one standard deviation by default; see :meth:`irfs`)."""
        self._shock_index(shock)
        return self.irfs(periods, unit=unit, shocks=[shock])[shock]

    def simulate(self, periods: int, seed: int | None = None, burn_in: int = 0, *, levels: bool = False, progress=None):
        """Simulate the linear solution with Gaussian shocks of covariance ``shock_cov``.

        Parameters
        ----------
        periods : int
            Number of periods kept (at most :data:`MAX_SIMULATION`).
        seed : int, optional
            Seed of ``numpy.random.default_rng``; the same seed gives the same path.
        burn_in : int
            Periods simulated and discarded first (the path starts at the steady state).
        levels : bool
            Report levels (the steady state plus the deviation; ``ss * exp(deviation)`` for
            log-linearized variables) instead of deviations.
        progress : callable, optional
            ``progress(done, total)`` every 10000 periods (burn-in included).

        Returns
        -------
        SimulationResult
        """
        self._require_policy("a simulation")
        periods = _check_count(periods, "periods", 1, MAX_SIMULATION)
        burn_in = _check_count(burn_in, "burn_in", 0, MAX_SIMULATION)
        rng = np.random.default_rng(seed)
        root = self._shock_factor()
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked once, below
            eps = rng.standard_normal((periods + burn_in, len(self.shocks))) @ root.T
            shocks = eps @ self.impact.T
            y = np.zeros(len(self.variables))
            out = np.empty((periods + burn_in, self.declared))
            total = periods + burn_in
            for t in range(total):
                y = self.transition.dot(y) + shocks[t]
                out[t] = y[: self.declared]
                if progress is not None and (t + 1) % 10_000 == 0:
                    progress(t + 1, total)
            values = out[burn_in:]
            if levels:
                ss = np.asarray(self.steady_state.values)[: self.declared]
                logged = np.array([v in self.log_variables for v in self.reported], dtype=bool)
                values = np.where(logged[None, :], ss[None, :] * np.exp(np.where(logged, values, 0.0)), ss + values)
        if not np.all(np.isfinite(values)):
            raise SolverError(
                f"the simulated {'levels' if levels else 'deviations'} of {self.model_name!r} overflow double "
                "precision; expected shocks small enough for a finite path (smaller shock standard deviations"
                + (", or deviations instead of levels: --deviations)" if levels else ")")
            )
        return SimulationResult(
            variables=self.reported,
            shocks=self.shocks,
            values=frozen(values),
            innovations=frozen(eps[burn_in:]),
            seed=seed,
            latex_names=self.latex_names,
            levels=levels,
        )

    def moments(self, ar: int = 5, hp_filter: float | None = None) -> MomentsResult:
        """Theoretical moments (see :mod:`dsge.solution.moments`), autocorrelations to lag ``ar``.

        With unit roots (roots within the unit-circle tolerance ``bk.tolerance`` of 1), the
        moments of the stationary variables, computed on the stable subspace as Dynare does;
        the non-stationary ones are NaN and named in :attr:`MomentsResult.nonstationary`.

        Raises
        ------
        SolverError
            When the model is not determinate.
        """
        self._require_policy("unconditional moments")
        ar = _check_count(ar, "ar", 0, MAX_PERIODS)
        select = list(range(self.declared))
        cov, autocov, stationary = theoretical_moments(
            self.transition,
            self.orthogonalized_impact(),
            select,
            ar,
            self.bk.tolerance,
            hp_filter,
            split=None if hp_filter else self._split,
        )
        cov = np.where(np.abs(cov) < 1e-300, 0.0, cov)
        nonstationary = tuple(v for v, keep in zip(self.reported, stationary) if not keep)
        return MomentsResult(
            self.reported, frozen(cov), frozen(autocov), float(hp_filter) if hp_filter else None, nonstationary
        )

    def variance_decomposition(self, hp_filter: float | None = None) -> VarianceDecomposition:
        """Unconditional variance decomposition in percent (orthogonalised shocks; rows sum to 100).

        Rows of NaN for variables with zero variance and, with unit roots, for the non-stationary ones.
        """
        self._require_policy("a variance decomposition")
        shares = variance_decomposition(
            self.transition,
            self.orthogonalized_impact(),
            list(range(self.declared)),
            self.bk.tolerance,
            hp_filter,
            split=None if hp_filter else self._split,  # not used for filtered moments
        )
        return VarianceDecomposition(
            self.reported, self.shocks, frozen(shares), float(hp_filter) if hp_filter else None
        )

    def conditional_variance_decomposition(self, horizons) -> ConditionalVarianceDecomposition:
        """Forecast-error variance decomposition in percent at each horizon (``h >= 1``; 1 is the impact)."""
        self._require_policy("a conditional variance decomposition")
        horizons = sorted({_check_count(h, "horizon", 1, MAX_PERIODS) for h in horizons})
        shares = conditional_variance_decomposition(
            self.transition, self.orthogonalized_impact(), list(range(self.declared)), horizons
        )
        return ConditionalVarianceDecomposition(self.reported, self.shocks, tuple(horizons), frozen(shares))

    def decision_rules(self) -> DecisionRules:
        """The policy and transition functions (Dynare's table): constant, states, shocks."""
        self._require_policy("decision rules")
        aux = {a[0]: tuple(a[1:]) for a in self.aux}
        order = {v: k for k, v in enumerate(self.reported)}
        order.update({e: len(order) + k for k, e in enumerate(self.shocks)})

        def position(j):  # Dynare's order: by source variable (then shock), then by lag
            name = self.variables[j]
            _, source, shift = aux.get(name, ("", name, 0))
            return order.get(source, len(order)), -shift

        states = sorted((j for j in range(len(self.variables)) if np.any(self.transition[:, j] != 0)), key=position)
        ss = np.asarray(self.steady_state.values)[: self.declared]
        constant = np.array([np.log(x) if v in self.log_variables else x for v, x in zip(self.reported, ss)])
        rows = ["constant"] + [state_label(self.variables[j], aux) for j in states] + list(self.shocks)
        coef = np.vstack(
            [constant[None, :], self.transition[: self.declared, states].T, self.impact[: self.declared].T]
        )
        return DecisionRules(self.reported, tuple(rows), frozen(coef))

    def to_dict(self) -> dict:
        """JSON-safe summary: steady state (levels, declared variables) and ``bk`` (see :meth:`BKResult.to_dict`)."""
        ss = self.steady_state
        return {
            "model": self.model_name,
            "steady_state": {v: float(x) for v, x in zip(self.reported, ss.values)},
            "steady_state_residuals": [float(r) for r in ss.residuals],
            "steady_state_method": ss.method,
            "bk": self.bk.to_dict(),
        }
