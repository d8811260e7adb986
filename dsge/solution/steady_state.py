"""Deterministic steady state of a model: all leads and lags equal, shocks zero.

The static system ``g(y) = f(y, y, y, 0) = 0`` is solved by Newton-type
methods with the exact Jacobian ``dg/dy = f_lead + f_cur + f_lag`` (SciPy's
``root``: MINPACK ``hybr`` first, Levenberg–Marquardt ``lm`` as a fallback).
A point is returned only when every residual is within the tolerance; a
failure raises :class:`~geo_sym.errors.SolverError` listing the residual of
each equation at the best point found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo_sym.errors import SolverError

__all__ = ["SteadyState", "solve_steady_state"]


@dataclass(frozen=True, eq=False)
class SteadyState:
    """A steady state and the residual of each equation there.

    Attributes
    ----------
    variables : tuple of str
    values : numpy.ndarray
        Steady-state level of each variable, in variable order.
    residuals : numpy.ndarray
        ``lhs - rhs`` of each equation at ``values`` (static system).
    equations : tuple of str
    method : str
        ``"given"`` (the file's values already solve the system), ``"hybr"``
        or ``"lm"``.
    tolerance : float
        Bound on ``max |residual|`` that was required.
    cached : bool
        True when read from the on-disk cache of a previous run.
    """

    variables: tuple
    values: np.ndarray
    residuals: np.ndarray
    equations: tuple
    method: str
    tolerance: float
    cached: bool = False

    @property
    def success(self) -> bool:
        """Always True: a failed solve raises instead of returning."""
        return True

    @property
    def max_residual(self) -> float:
        """Largest absolute residual over the equations."""
        return float(np.max(np.abs(self.residuals))) if self.residuals.size else 0.0

    def as_dict(self) -> dict:
        """Variable name -> steady-state value (Python floats)."""
        return {v: float(x) for v, x in zip(self.variables, self.values)}

    def __repr__(self) -> str:
        return f"SteadyState(n={len(self.variables)}, method={self.method!r}, tolerance={self.tolerance:g})"

    def to_frame(self):
        """Table with columns ``value`` (index: variables) and ``residual`` (of equation i)."""
        from dsge.solution.results import _pandas

        pd = _pandas()
        return pd.DataFrame(
            {
                "value": np.asarray(self.values),
                "equation": list(self.equations),
                "residual": np.asarray(self.residuals),
            },
            index=pd.Index(self.variables, name="variable"),
        )


def _residual_report(equations, residuals) -> str:
    return "; ".join(f"[{k}] {eq!r}: {r:.3g}" for k, (eq, r) in enumerate(zip(equations, residuals)))


def solve_steady_state(model, guess=None, tol: float | None = None) -> SteadyState:
    """Solve the static system of ``model`` for its deterministic steady state.

    Parameters
    ----------
    model : dsge.Model
    guess : sequence of float, optional
        Starting point (default: the file's ``steady_state`` values, 0 for
        variables not listed). When it already solves the system to ``tol``
        it is returned unchanged (``method="given"``).
    tol : float, optional
        Required bound on every absolute residual (default: the model's
        ``tolerance.steady_state``, 1e-9 unless set in the file).

    Returns
    -------
    SteadyState

    Raises
    ------
    SolverError
        When neither ``hybr`` nor ``lm`` reaches ``tol``; the message lists the
        residual of each equation at the best point found.
    """
    tol = model.ss_tol if tol is None else float(tol)
    y0 = np.array(model.guess if guess is None else guess, dtype=float)
    if y0.shape != (model.n,):
        from geo_sym.errors import ShapeError

        raise ShapeError("guess", y0.shape, f"{model.n} values, one per variable")

    def static(y):
        try:
            return model.static_residual(y)
        except (ValueError, ArithmeticError, TypeError):
            return np.full(model.n, np.nan)

    r0 = static(y0)
    if np.all(np.isfinite(r0)) and np.max(np.abs(r0), initial=0.0) <= tol:
        return _make(model, y0, r0, "given", tol)

    from scipy.optimize import root

    def fun(y):
        try:
            return model.static_residual(y), model.static_jacobian(y)
        except (ValueError, ArithmeticError, TypeError):
            return np.full(model.n, np.nan), np.full((model.n, model.n), np.nan)

    best_y, best_r = y0, r0
    for method in ("hybr", "lm"):
        try:
            sol = root(fun, y0, jac=True, method=method, options=_options(method, tol))
        except (ValueError, ArithmeticError, np.linalg.LinAlgError):
            continue
        y = np.asarray(sol.x, dtype=float)
        r = static(y)
        if np.all(np.isfinite(r)):
            if np.max(np.abs(r), initial=0.0) <= tol:
                return _make(model, y, r, method, tol)
            if not np.all(np.isfinite(best_r)) or np.max(np.abs(r)) < np.max(np.abs(best_r)):
                best_y, best_r = y, r
    raise SolverError(
        f"steady state of {model.name!r} not found: hybr and lm did not reach "
        f"max |residual| <= {tol:g} from the guess "
        f"{dict(zip(model.variables, y0.tolist()))}; best point "
        f"{dict(zip(model.variables, np.round(best_y, 8).tolist()))} has residuals "
        + _residual_report(model.equations, best_r)
    )


def _options(method: str, tol: float) -> dict:
    if method == "hybr":
        return {"xtol": 1e-13, "maxfev": 2000}
    return {"xtol": 1e-13, "ftol": 1e-15, "maxiter": 4000}


def _make(model, y, r, method, tol) -> SteadyState:
    y = np.array(y, dtype=float)
    r = np.array(r, dtype=float)
    y.flags.writeable = False
    r.flags.writeable = False
    return SteadyState(
        variables=model.variables, values=y, residuals=r, equations=model.equations, method=method, tolerance=tol
    )
