r"""Deterministic steady state of a model: all leads and lags equal, shocks zero.

The static system ``g(y) = f(y, y, y, 0) = 0`` is solved with its exact Jacobian
``dg/dy = F_+ + F_0 + F_-``:

1. the analytic ``steady_state_model`` block when the file has one (its values must
   solve the system; otherwise the residuals are reported, never patched);
2. the file's values when they already solve the system (``method="given"``);
3. Newton's method with a backtracking line search on the scaled residuals;
4. SciPy's ``root`` (MINPACK ``hybr``, then Levenberg–Marquardt ``lm``) as a fallback.

**Scale-aware acceptance.** Equation ``i`` is solved when
:math:`|g_i(y)| \le \text{tol}\cdot s_i` with
:math:`s_i = \max_j |\partial g_i/\partial y_j|\,\max(1, |y_j|)` (1 for a row of
zeros): the size of the equation's terms near the point. Multiplying an equation by
``1e12`` therefore changes neither the answer nor whether it is accepted. A point is
returned only when every equation passes; a failure raises
:class:`~geo_sym.errors.SolverError` listing each equation's residual at the best point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dsge.model.core import sealed
from dsge.solution import dense
from geo_sym.errors import ShapeError, SolverError

__all__ = ["SteadyState", "solve_steady_state", "equation_scales"]

_EVAL_ERRORS = (ValueError, ArithmeticError, TypeError)


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
        ``"analytic"`` (the ``steady_state_model`` block), ``"given"`` (the file's values
        already solve the system), ``"newton"``, ``"hybr"`` or ``"lm"``.
    tolerance : float
        Each ``|residual_i|`` is at most ``tolerance * scales[i]``.
    cached : bool
        True when read from the on-disk cache of a previous run.
    scales : numpy.ndarray or None
        The scale ``s_i`` of each equation (see the module docstring).
    """

    variables: tuple
    values: np.ndarray
    residuals: np.ndarray
    equations: tuple
    method: str
    tolerance: float
    cached: bool = False
    scales: np.ndarray | None = None

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
        """Table indexed by variable: ``value``, and the ``equation`` of the same row with its ``residual``."""
        from dsge.solution.frames import pandas_module

        pd = pandas_module()
        return pd.DataFrame(
            {
                "value": np.asarray(self.values),
                "equation": list(self.equations),
                "residual": np.asarray(self.residuals),
            },
            index=pd.Index(self.variables, name="variable"),
        )


def equation_scales(jacobian: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``s_i = max_j |J_ij| max(1, |y_j|)`` (1 where the row is zero): the scale of each equation."""
    s = (np.abs(jacobian) * np.maximum(1.0, np.abs(y))).max(axis=1, initial=0.0)
    if not (s.min(initial=1.0) > 0.0 and s.max(initial=0.0) < math.inf):  # NaN fails both tests
        s[~((s > 0.0) & (s < math.inf))] = 1.0
    return s


def _within(scaled: np.ndarray, tol: float) -> bool:
    """Whether every scaled residual ``|g_i| / s_i`` is at most ``tol`` (the acceptance test of the module docstring)."""
    return bool(np.abs(scaled).max(initial=0.0) <= tol)


def _residual_report(equations, residuals) -> str:
    return "; ".join(f"[{k}] {eq!r}: {r:.3g}" for k, (eq, r) in enumerate(zip(equations, residuals)))


class _Static:
    """The static system of a model with evaluation errors turned into None."""

    def __init__(self, model):
        self.model = model
        self._last = (None, None, None)  # (jacobian, point, their equation scales): the last ones asked for

    def scales(self, j, y) -> np.ndarray:
        """:func:`equation_scales` of ``(j, y)``, computed once for the same two arrays (never modified here)."""
        last_j, last_y, last = self._last
        if j is not last_j or y is not last_y:
            last = equation_scales(j, y)
            self._last = (j, y, last)
        return last

    def trial_residual(self, y):
        """The residuals at ``y`` (None when they cannot be evaluated), without the finiteness test."""
        try:
            return self.model.static_residual(y)
        except _EVAL_ERRORS:
            return None

    def residual(self, y):
        r = self.trial_residual(y)
        return r if r is not None and dense.all_finite(r) else None

    def jacobian(self, y):
        try:
            j = self.model.static_jacobian(y)
        except _EVAL_ERRORS:
            return None
        return j if dense.all_finite(j) else None

    def solved(self, y, r, tol, j=None) -> bool:
        """Whether every equation is within ``tol`` of its scale (``j``: the Jacobian at ``y`` if known)."""
        if r is None:
            return False
        j = self.jacobian(y) if j is None else j
        return _within(r / self.scales(j, y) if j is not None else r, tol)


def _newton(static: _Static, y0: np.ndarray, tol: float, r0=None, j0=None, max_iter: int = 60):
    """Damped Newton on the scaled residuals; returns the last point, its residuals and Jacobian.

    ``r0`` and ``j0`` (residuals and Jacobian at ``y0``) are reused when given. A step is
    accepted when the 2-norm of the scaled residuals decreases sufficiently (Armijo, compared in
    squares); a trial point whose residuals are not finite fails that test.
    """
    y = y0  # never modified in place: every step makes a new array
    r = static.residual(y) if r0 is None else r0
    j = (static.jacobian(y) if r is not None else None) if j0 is None else j0
    if r is None or j is None:
        return y0, r, None
    scales = static.scales(j, y)  # kept during the iterations; checked again at a candidate
    scaled = r / scales
    merit2 = float(scaled.dot(scaled))
    # above this squared norm some |scaled_i| exceeds tol (the sum of n squares is at most n tol^2 otherwise)
    hopeless = r.size * tol * tol * (1.0 + 1e-9)
    for _ in range(max_iter):
        if merit2 <= hopeless and _within(scaled, tol):
            fresh = static.scales(j, y)
            if fresh is scales or _within(r / fresh, tol):
                return y, r, j
            scales, scaled = fresh, r / fresh
            merit2 = float(scaled.dot(scaled))
        try:
            step = dense.solve(j, r)  # y - step is the Newton point
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(j, r, rcond=None)[0]
        alpha = 1.0
        while alpha > 1e-12:
            trial = y - step if alpha == 1.0 else y - alpha * step
            rt = static.trial_residual(trial)
            if rt is not None:
                st = rt / scales
                trial2 = float(st.dot(st))  # NaN or inf when rt is not finite: rejected below
                if trial2 < (1.0 - 1e-4 * alpha) ** 2 * merit2:
                    y, r, scaled, merit2 = trial, rt, st, trial2
                    break
            alpha *= 0.5
        else:
            return y, r, None
        j = static.jacobian(y)
        if j is None:
            return y, r, None
    return y, r, j


def _scipy_root(static: _Static, y0: np.ndarray, tol: float, method: str):
    from scipy.optimize import root

    j0 = static.jacobian(y0)
    scales = equation_scales(j0, y0) if j0 is not None else np.ones_like(y0)

    def fun(y):
        r, j = static.residual(y), static.jacobian(y)
        if r is None or j is None:
            return np.full(y.shape, 1e100), np.eye(y.size)
        return r / scales, j / scales[:, None]

    options = {"xtol": 1e-13, "maxfev": 4000} if method == "hybr" else {"xtol": 1e-13, "ftol": 1e-15, "maxiter": 4000}
    try:
        sol = root(fun, y0, jac=True, method=method, options=options)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):
        return y0, None, None
    y = np.asarray(sol.x, dtype=float)
    return y, static.residual(y), None


def _make(model, y, r, method, tol, static: _Static, j=None) -> SteadyState:
    j = static.jacobian(y) if j is None else j
    scales = static.scales(j, y) if j is not None else np.ones_like(y)
    arrays = [sealed(np.asarray(a, dtype=float)) for a in (y, r, scales)]  # fresh arrays of this solve
    return SteadyState(
        variables=model.variables,
        values=arrays[0],
        residuals=arrays[1],
        equations=model.equations,
        method=method,
        tolerance=tol,
        scales=arrays[2],
    )


def solve_steady_state(model, guess=None, tol: float | None = None) -> SteadyState:
    """Solve the static system of ``model`` for its deterministic steady state.

    Parameters
    ----------
    model : dsge.model.core.CompiledModel
    guess : sequence of float, optional
        Starting point (default: the analytic block's values, else the file's
        ``steady_state`` / ``initval`` values, 0 for variables not listed). When it
        already solves the system it is returned unchanged (``method="given"``).
    tol : float, optional
        Relative tolerance of every equation (default: the model's
        ``tolerance.steady_state``, 1e-9 unless set in the file); see the module docstring.

    Returns
    -------
    SteadyState

    Raises
    ------
    SolverError
        When the analytic block does not solve the system, or when neither Newton nor
        ``hybr`` nor ``lm`` reaches ``tol``; the message lists each equation's residual.
    """
    tol = model.ss_tol if tol is None else float(tol)
    static = _Static(model)
    analytic = model.analytic_steady_state() if guess is None else None
    if analytic is not None:
        r = static.residual(analytic)
        if static.solved(analytic, r, tol):
            return _make(model, analytic, r, "analytic", tol, static)
        shown = r if r is not None else np.full(model.n, np.nan)
        raise SolverError(
            f"the steady_state_model block of {model.name!r} does not solve the static equations "
            f"(relative tolerance {tol:g}); residuals " + _residual_report(model.equations, shown)
        )
    y0 = np.array(model.guess if guess is None else guess, dtype=float)
    if y0.shape != (model.n,):
        raise ShapeError("guess", y0.shape, f"{model.n} values, one per variable")
    r0 = static.residual(y0)
    j0 = static.jacobian(y0) if r0 is not None else None
    if static.solved(y0, r0, tol, j0):
        return _make(model, y0, r0, "given", tol, static, j0)
    best_y, best_r = y0, r0
    attempts = [("newton", lambda: _newton(static, y0, tol, r0, j0))]
    attempts += [(m, lambda m=m: _scipy_root(static, y0, tol, m)) for m in ("hybr", "lm")]
    for method, run in attempts:
        y, r, j = run()
        if static.solved(y, r, tol, j):
            return _make(model, y, r, method, tol, static, j)
        if r is not None and (best_r is None or np.max(np.abs(r)) < np.max(np.abs(best_r))):
            best_y, best_r = y, r
    if best_r is None:
        raise SolverError(
            f"steady state of {model.name!r} not found: the equations cannot be evaluated at the starting point "
            f"{dict(zip(model.variables, y0.tolist()))} (log or power of a non-positive number, or a division by "
            "zero); give starting values in steady_state (YAML) or initval (.mod)"
        )
    raise SolverError(
        f"steady state of {model.name!r} not found: Newton, hybr and lm did not reach the relative tolerance "
        f"{tol:g} from {dict(zip(model.variables, y0.tolist()))}; best point "
        f"{dict(zip(model.variables, np.round(best_y, 8).tolist()))} has residuals "
        + _residual_report(model.equations, best_r)
    )
