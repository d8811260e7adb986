"""Everything Dynare's ``stoch_simul`` computes at order 1, in one call: :func:`stoch_simul`.

The options mirror Dynare's (``irf``, ``ar``, ``hp_filter``, ``conditional_variance_decomposition``,
``periods``, ``drop``, ``loglinear``, ``irf_shocks``, ``nomoments``, ...); :func:`options_from_model`
reads them from a model file's ``stoch_simul`` section (or a ``.mod`` file's ``stoch_simul``
statement). One difference is deliberate: moments are always the theoretical ones, even when
``periods`` asks for a simulation (Dynare then reports moments of the simulated sample).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from geo_sym.errors import SolverError, UnknownNameError, ValidationError

__all__ = ["StochSimulOptions", "StochSimulResult", "stoch_simul", "options_from_model"]


@dataclass(frozen=True)
class StochSimulOptions:
    """What to compute (Dynare's ``stoch_simul`` options, with their defaults).

    Attributes
    ----------
    irf : int
        Impulse-response length (periods ``0..irf-1``); 0: none.
    irf_shocks : tuple of str or None
        Shocks to respond to (None: every shock with a nonzero variance).
    unit : bool
        Unit impulses instead of one standard deviation.
    loglinear : bool
        Log-linearize every variable with a positive steady state.
    ar : int
        Autocorrelations up to this lag.
    hp_filter : float or None
        HP smoothing parameter for the moments (Dynare: 1600 for quarterly data).
    conditional : tuple of int
        Horizons of the conditional variance decomposition.
    periods : int
        Length of a stochastic simulation (0: none), after ``drop`` burn-in periods.
    drop : int
    seed : int or None
    levels : bool
        Simulate levels (True) or deviations.
    moments, correlations, decomposition, functions : bool
        Whether to compute the moments, the correlation matrix, the variance
        decompositions and the decision-rule table.
    var_list : tuple of str or None
        Variables to report (None: all declared variables).
    """

    irf: int = 0
    irf_shocks: tuple | None = None
    unit: bool = False
    loglinear: bool = False
    ar: int = 5
    hp_filter: float | None = None
    conditional: tuple = ()
    periods: int = 0
    drop: int = 100
    seed: int | None = 0
    levels: bool = True
    moments: bool = True
    correlations: bool = True
    decomposition: bool = True
    functions: bool = True
    var_list: tuple | None = None


def options_from_model(model) -> StochSimulOptions:
    """The options of a model file's ``stoch_simul`` section (Dynare's defaults for the rest).

    Without such a section: no impulse responses and no simulation; moments are computed.
    """
    raw = model.options
    if raw is None:
        return StochSimulOptions()
    return StochSimulOptions(
        irf=int(raw.get("irf", 40)),
        irf_shocks=tuple(raw["irf_shocks"]) if raw.get("irf_shocks") else None,
        loglinear=bool(raw.get("loglinear", False)),
        ar=int(raw.get("ar", 5)),
        hp_filter=float(raw["hp_filter"]) if raw.get("hp_filter") else None,
        conditional=tuple(raw.get("conditional_variance_decomposition", ())),
        periods=int(raw.get("periods", 0)),
        drop=int(raw.get("drop", 100)),
        moments=not raw.get("nomoments", False),
        correlations=not raw.get("nocorr", False),
        decomposition=not raw.get("nodecomposition", False),
        functions=not raw.get("nofunctions", False),
        var_list=tuple(raw["var_list"]) if raw.get("var_list") else None,
    )


@dataclass(frozen=True, eq=False)
class StochSimulResult:
    """The results of :func:`stoch_simul`; fields are None when not asked for or not available.

    Attributes
    ----------
    solution : Solution
    options : StochSimulOptions
    variables : tuple of str
        The reported variables (``var_list`` or every declared variable).
    irfs : dict or None
        Shock -> :class:`~dsge.solution.results.IRFResult`.
    moments : MomentsResult or None
    variance_decomposition : VarianceDecomposition or None
    conditional : ConditionalVarianceDecomposition or None
    simulation : SimulationResult or None
    decision_rules : DecisionRules or None
    unavailable : dict
        What could not be computed -> why (e.g. moments of a model with a unit root).
    skipped_shocks : tuple of str
        Shocks left out of the impulse responses because their variance is zero.
    """

    solution: object
    options: StochSimulOptions
    variables: tuple
    irfs: dict | None = None
    moments: object = None
    variance_decomposition: object = None
    conditional: object = None
    simulation: object = None
    decision_rules: object = None
    unavailable: dict = field(default_factory=dict)
    skipped_shocks: tuple = ()

    def __repr__(self) -> str:
        return f"StochSimulResult(model={self.solution.model_name!r}, status={self.solution.bk.status!r})"

    def to_dict(self, *, percent: bool = False) -> dict:
        """JSON-safe results (NaN as None); see the JSON table of ``docs/dsge.md``.

        With ``percent``, log deviations (impulse responses, simulated deviations,
        standard deviations) are given in percent (variances in percent squared).
        """
        from dsge.solution.report import result_dict

        return result_dict(self, percent=percent)


def _irfs(sol, opts: StochSimulOptions) -> tuple[dict | None, tuple]:
    if not opts.irf:
        return None, ()
    shocks = list(opts.irf_shocks) if opts.irf_shocks is not None else list(sol.shocks)
    for e in shocks:
        if e not in sol.shocks:
            raise UnknownNameError("irf shock", e, "a declared shock: " + (", ".join(sol.shocks) or "(none)"))
    skipped = ()
    if opts.irf_shocks is None and not opts.unit:
        variances = np.diag(sol.shock_cov)
        skipped = tuple(e for e in shocks if variances[sol.shocks.index(e)] <= 0)
        shocks = [e for e in shocks if e not in skipped]
    return sol.irfs(opts.irf, unit=opts.unit, shocks=shocks), skipped


def _statistics(sol, opts: StochSimulOptions, out: dict, unavailable: dict) -> None:
    hp = opts.hp_filter or None
    if opts.moments:
        try:
            out["moments"] = sol.moments(opts.ar, hp_filter=hp)
            if opts.decomposition and sol.shocks:
                out["variance_decomposition"] = sol.variance_decomposition(hp_filter=hp)
        except SolverError as exc:
            unavailable["moments"] = str(exc)
    if opts.conditional and sol.shocks:
        out["conditional"] = sol.conditional_variance_decomposition(opts.conditional)


def stoch_simul(
    model, options: StochSimulOptions | None = None, *, tol: float | None = None, progress=None
) -> StochSimulResult:
    """Solve ``model`` and compute what ``options`` ask for (Dynare's ``stoch_simul``, order 1).

    Parameters
    ----------
    model : dsge.Model
    options : StochSimulOptions, optional
        Default: the model file's own ``stoch_simul`` options (:func:`options_from_model`).
    tol : float, optional
        Unit-circle tolerance.
    progress : callable, optional
        ``progress(done, total)`` as a simulation advances (see :meth:`Solution.simulate`).

    Returns
    -------
    StochSimulResult
        Everything is None but the solution when the model is not determinate.

    Raises
    ------
    UnknownNameError
        An IRF shock or a reported variable that is not declared.
    """
    opts = options_from_model(model) if options is None else options
    variables = tuple(opts.var_list) if opts.var_list else tuple(model.declared_variables)
    for v in variables:
        if v not in model.declared_variables:
            raise UnknownNameError("var_list", v, "a declared variable: " + ", ".join(model.declared_variables))
    sol = model.solve(tol=tol, loglinear=opts.loglinear)
    if not sol.bk.determinate:
        return StochSimulResult(sol, opts, variables, unavailable={"solution": sol.bk.message})
    irfs, skipped = _irfs(sol, opts)
    out: dict = {}
    unavailable: dict = {}
    _statistics(sol, opts, out, unavailable)
    if opts.periods:
        out["simulation"] = sol.simulate(
            opts.periods, seed=opts.seed, burn_in=opts.drop, levels=opts.levels, progress=progress
        )
    if opts.functions:
        out["decision_rules"] = sol.decision_rules()
    return StochSimulResult(sol, opts, variables, irfs=irfs, unavailable=unavailable, skipped_shocks=skipped, **out)


def with_overrides(opts: StochSimulOptions, **changes) -> StochSimulOptions:
    """``opts`` with the given fields replaced (None values are ignored)."""
    return replace(opts, **{k: v for k, v in changes.items() if v is not None})


def finite_or_none(x) -> float | None:
    """A JSON-safe float: None for NaN or infinity."""
    x = float(x)
    return x if math.isfinite(x) else None


def check_options(opts: StochSimulOptions) -> None:
    """Raise :class:`ValidationError` for out-of-range options (a clear message, before any work)."""
    from dsge.solution.results import MAX_PERIODS, MAX_SIMULATION

    if not 0 <= opts.irf <= MAX_PERIODS:
        raise ValidationError("stoch_simul.irf", opts.irf, f"an integer between 1 and {MAX_PERIODS}")
    if not 0 <= opts.periods <= MAX_SIMULATION:
        raise ValidationError("stoch_simul.periods", opts.periods, f"an integer between 1 and {MAX_SIMULATION}")
    if opts.hp_filter is not None and not (opts.hp_filter > 0 and math.isfinite(opts.hp_filter)):
        raise ValidationError("hp_filter", opts.hp_filter, "a positive smoothing parameter (1600 for quarterly data)")
    if not 0 <= opts.ar <= MAX_PERIODS:
        raise ValidationError("ar", opts.ar, f"an integer between 0 and {MAX_PERIODS}")
