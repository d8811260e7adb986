r"""Compiled DSGE models: loading (with the on-disk cache), linearization and solution.

A :class:`Model` holds generated numeric code for the residuals
``f(y(+1), y, y(-1), eps; p)`` and their exact first derivatives. Solving
proceeds as:

1. steady state of the static system (:mod:`dsge.solution.steady_state`);
2. exact Jacobians ``F_+, F_0, F_-, F_eps`` at the steady state;
3. the stacked first-order system for Klein's method. Every variable that
   appears with ``(-1)`` gets an **auxiliary lag variable** ``lag_x_t = x_{t-1}``
   which is the predetermined state; all current variables are jumps (static
   ones included). So a variable that appears with both ``(+1)`` and ``(-1)``
   is handled without any change to the model file. With
   ``s_t = (lag_t, y_t)``:

   .. math::

      \begin{pmatrix} I & 0 \\ 0 & F_+ \end{pmatrix} E_t s_{t+1} =
      \begin{pmatrix} 0 & S \\ -F_- S' & -F_0 \end{pmatrix} s_t

   where ``S`` selects the lagged variables;
4. the impact of shocks from ``(F_+ F S + F_0) y_t = -F_- y_{t-1} - F_eps eps_t``.

The result is ``y_t = T y_{t-1} + R eps_t`` in deviations from the steady state
(levels, not logs).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from dsge.model import cache as _cache
from dsge.solution.blanchard_kahn import klein
from dsge.solution.results import Linearization, Solution, _frozen
from dsge.solution.steady_state import SteadyState, solve_steady_state
from geo_sym.errors import ModelFileError, SolverError, UnknownNameError

__all__ = ["Model", "load_model", "model_from_dict", "model_from_yaml"]


class Model:
    """A compiled model: names, parameter values and generated residual/Jacobian code.

    Build one with :func:`load_model`, :func:`model_from_yaml` or
    :func:`model_from_dict`; do not call the constructor directly.

    Attributes
    ----------
    name : str
    variables, shocks, parameter_names, equations : tuple of str
    parameter_values : numpy.ndarray
    leads, lags : tuple of str
        Variables appearing with ``(+1)`` and ``(-1)``.
    guess : tuple of float
    shock_cov : numpy.ndarray
    ss_tol, unit_circle_tol : float
    latex_names : dict
    """

    def __init__(self, data: dict, *, residual_fn, jacobian_fn, steady_state=None, cache_key=None):
        self.name = str(data["name"])
        self.description = str(data.get("description", ""))
        self.variables = tuple(data["variables"])
        self.shocks = tuple(data["shocks"])
        self.parameter_names = tuple(data["parameter_names"])
        self.parameter_values = _frozen([float(x) for x in data["parameter_values"]])
        self._params = self.parameter_values.tolist()
        self.equations = tuple(data["equations"])
        self.leads = tuple(data["leads"])
        self.lags = tuple(data["lags"])
        self.guess = tuple(float(x) for x in data["guess"])
        ne = len(self.shocks)
        self.shock_cov = _frozen(np.array(data["shock_cov"], dtype=float).reshape(ne, ne))
        self.ss_tol = float(data["ss_tol"])
        self.unit_circle_tol = float(data["unit_circle_tol"])
        self.latex_names = dict(data["latex_names"])
        self._data = data
        self._residual = residual_fn
        self._jacobian = jacobian_fn
        index = np.array(data["jacobian_index"], dtype=np.intp).reshape(-1, 2)
        self._rows, self._cols = index[:, 0], index[:, 1]
        self._cached_ss = steady_state
        self._cache_key = cache_key
        if len(self.equations) != self.n or len(self.parameter_values) != len(self.parameter_names):
            raise ValueError("inconsistent model data")

    # -- basic facts -------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of variables (= number of equations)."""
        return len(self.variables)

    @property
    def parameters(self) -> dict:
        """Parameter name -> value (floats)."""
        return dict(zip(self.parameter_names, self.parameter_values.tolist()))

    def __repr__(self) -> str:
        return (
            f"Model(name={self.name!r}, variables={len(self.variables)}, "
            f"shocks={len(self.shocks)}, parameters={len(self.parameter_names)})"
        )

    # -- numeric evaluation ------------------------------------------------
    def _args(self, lead, cur, lag, shocks):
        n, ne = self.n, len(self.shocks)
        v = []
        for x, k in ((lead, n), (cur, n), (lag, n), (shocks, ne)):
            if x is None:
                v.extend([0.0] * k)
                continue
            part = np.asarray(x, dtype=float).ravel().tolist()
            if len(part) != k:
                from geo_sym.errors import ShapeError

                raise ShapeError("arguments", len(part), f"{k} values")
            v.extend(part)
        return v, self._params

    def residual(self, lead, cur, lag, shocks=None) -> np.ndarray:
        """Residuals ``lhs - rhs`` of every equation at ``y(+1)=lead``, ``y=cur``, ``y(-1)=lag``.

        Parameters
        ----------
        lead, cur, lag : array_like, shape (n,)
        shocks : array_like, shape (n_shocks,), optional
            Default zeros.

        Returns
        -------
        numpy.ndarray, shape (n,)
        """
        v, p = self._args(lead, cur, lag, shocks)
        return np.array(self._residual(v, p), dtype=float)

    def jacobian(self, lead, cur, lag, shocks=None):
        """Exact first derivatives of the residuals.

        Returns
        -------
        tuple of numpy.ndarray
            ``(F_lead, F_cur, F_lag, F_shock)`` with shapes (n, n), (n, n),
            (n, n), (n, n_shocks).
        """
        v, p = self._args(lead, cur, lag, shocks)
        n, ne = self.n, len(self.shocks)
        full = np.zeros((n, 3 * n + ne))
        full[self._rows, self._cols] = np.array(self._jacobian(v, p), dtype=float)
        return full[:, :n], full[:, n : 2 * n], full[:, 2 * n : 3 * n], full[:, 3 * n :]

    def static_residual(self, y) -> np.ndarray:
        """Residuals of the static system ``f(y, y, y, 0)``."""
        return self.residual(y, y, y)

    def static_jacobian(self, y) -> np.ndarray:
        """Exact Jacobian of the static system: ``F_lead + F_cur + F_lag`` at ``(y, y, y, 0)``."""
        a, b, c, _ = self.jacobian(y, y, y)
        return a + b + c

    # -- derived models ----------------------------------------------------
    def with_parameters(self, values: dict) -> Model:
        """A copy with some parameters changed (generated code is shared, no recompilation).

        Parameters
        ----------
        values : dict
            Name -> int, float or ``"p/q"`` string.

        Raises
        ------
        UnknownNameError
            For a name that is not a parameter.
        """
        from geo_sym.economy.numbers import parse_number

        new = list(self.parameter_values.tolist())
        for name, value in values.items():
            if name not in self.parameter_names:
                raise UnknownNameError("parameters", name, "a parameter name: " + ", ".join(self.parameter_names))
            new[self.parameter_names.index(name)] = float(parse_number(value, f"parameters.{name}"))
        data = dict(self._data, parameter_values=new)
        return Model(data, residual_fn=self._residual, jacobian_fn=self._jacobian)

    # -- pipeline ----------------------------------------------------------
    def steady_state(self, guess=None, tol: float | None = None) -> SteadyState:
        """Deterministic steady state (see :func:`dsge.solution.steady_state.solve_steady_state`).

        A steady state computed by an earlier run from the same file and
        overrides is read from the cache when ``guess`` and ``tol`` are not given.
        """
        if guess is None and tol is None and self._cached_ss is not None:
            return self._cached_ss
        ss = solve_steady_state(self, guess=guess, tol=tol)
        if guess is None and tol is None and self._cache_key is not None:
            self._cached_ss = ss
            entry = dict(
                self._data,
                steady_state={
                    "values": ss.values.tolist(),
                    "residuals": ss.residuals.tolist(),
                    "method": ss.method,
                    "tolerance": ss.tolerance,
                },
            )
            _cache.write_entry(self._cache_key, entry)
        return ss

    def linearize(self, steady_state: SteadyState | None = None) -> Linearization:
        """Exact first-order derivatives at the steady state (eq. (17) of the paper)."""
        ss = self.steady_state() if steady_state is None else steady_state
        y = np.asarray(ss.values, dtype=float)
        fl, fc, fm, fe = self.jacobian(y, y, y)
        return Linearization(
            variables=self.variables,
            shocks=self.shocks,
            steady_state=ss,
            f_lead=_frozen(fl),
            f_cur=_frozen(fc),
            f_lag=_frozen(fm),
            f_shock=_frozen(fe),
        )

    def solve(self, tol: float | None = None, steady_state: SteadyState | None = None) -> Solution:
        """Steady state, linearization, Klein solution and Blanchard–Kahn diagnostics.

        Parameters
        ----------
        tol : float, optional
            Unit-circle tolerance (default: the model's, 1e-6 unless set in the file).
        steady_state : SteadyState, optional
            Use this steady state instead of solving for it.

        Returns
        -------
        Solution
            Its policy fields are None unless the status is ``"determinate"``.
        """
        tol = self.unit_circle_tol if tol is None else float(tol)
        if not (tol > 0 and math.isfinite(tol)):
            from geo_sym.errors import ValidationError

            raise ValidationError("tol", tol, "a positive unit-circle tolerance")
        lin = self.linearize(steady_state)
        return solve_linearization(
            lin, tol=tol, model_name=self.name, shock_cov=self.shock_cov, latex_names=self.latex_names
        )


def solve_linearization(
    lin: Linearization, *, tol: float = 1e-6, model_name: str = "model", shock_cov=None, latex_names=None
) -> Solution:
    """Klein solution of a linearized model (see the module docstring for the stacking).

    Parameters
    ----------
    lin : Linearization
    tol : float
        Unit-circle tolerance.
    model_name : str
    shock_cov : array_like, optional
        Default identity.
    latex_names : dict, optional

    Returns
    -------
    Solution
    """
    n = len(lin.variables)
    ne = len(lin.shocks)
    zero = 1e-14
    lagged = np.flatnonzero(np.any(np.abs(lin.f_lag) > zero, axis=0))
    n_forward = int(np.count_nonzero(np.any(np.abs(lin.f_lead) > zero, axis=0)))
    nk = len(lagged)
    sel = np.zeros((nk, n))
    sel[np.arange(nk), lagged] = 1.0
    a = np.zeros((nk + n, nk + n))
    b = np.zeros((nk + n, nk + n))
    a[:nk, :nk] = np.eye(nk)
    b[:nk, nk:] = sel
    a[nk:, nk:] = lin.f_lead
    b[nk:, :nk] = -lin.f_lag[:, lagged]
    b[nk:, nk:] = -lin.f_cur
    bk, f, _ = klein(a, b, nk, tol=tol, n_forward=n_forward)
    transition = impact = None
    if bk.determinate:
        m = lin.f_lead @ f @ sel + lin.f_cur
        try:
            lu = np.linalg.solve(m, np.hstack([lin.f_lag[:, lagged], lin.f_shock]))
        except np.linalg.LinAlgError as exc:
            raise SolverError(
                "the impact matrix F_lead*F*S + F_cur is singular; the model "
                "has no unique first-order response to shocks"
            ) from exc
        transition = _frozen(-lu[:, :nk] @ sel)
        impact = _frozen(-lu[:, nk:])
    cov = np.eye(ne) if shock_cov is None else np.asarray(shock_cov, dtype=float)
    return Solution(
        model_name=model_name,
        variables=lin.variables,
        shocks=lin.shocks,
        steady_state=lin.steady_state,
        linearization=lin,
        bk=bk,
        transition=transition,
        impact=impact,
        shock_cov=_frozen(cov),
        latex_names=dict(latex_names or {}),
    )


# -- building and loading ----------------------------------------------------


def _build(spec) -> dict:
    from dsge.model.compiler import compile_spec

    code = compile_spec(spec)
    return {
        "name": spec.name,
        "description": spec.description,
        "variables": list(spec.variables),
        "shocks": list(spec.shocks),
        "parameter_names": list(spec.parameter_names),
        "parameter_values": [float(spec.parameters[p]) for p in spec.parameter_names],
        "equations": list(spec.equations),
        "leads": list(spec.leads),
        "lags": list(spec.lags),
        "guess": list(spec.guess),
        "shock_cov": [list(r) for r in spec.shock_cov],
        "ss_tol": spec.ss_tol,
        "unit_circle_tol": spec.unit_circle_tol,
        "latex_names": dict(spec.latex_names),
        **code,
    }


def _from_data(data: dict, cache_key=None) -> Model:
    from dsge.model.compiler import function_from_code

    ss = None
    raw = data.get("steady_state")
    if raw is not None:
        values = _frozen(raw["values"])
        residuals = _frozen(raw["residuals"])
        if values.shape != (len(data["variables"]),) or residuals.shape != values.shape:
            raise ValueError("bad cached steady state")
        ss = SteadyState(
            variables=tuple(data["variables"]),
            values=values,
            residuals=residuals,
            equations=tuple(data["equations"]),
            method=str(raw["method"]),
            tolerance=float(raw["tolerance"]),
            cached=True,
        )
    return Model(
        data,
        residual_fn=function_from_code(data["residual_code"]),
        jacobian_fn=function_from_code(data["jacobian_code"]),
        steady_state=ss,
        cache_key=cache_key,
    )


def _read_yaml(text: str | bytes, source: str):
    from geo_sym.economy.files import parse_yaml

    return parse_yaml(text.decode("utf-8") if isinstance(text, bytes) else text, source)


def model_from_dict(data: dict, overrides: dict | None = None, *, source: str = "model") -> Model:
    """Compile a model from a mapping with the keys of a model file (no caching).

    Parameters
    ----------
    data : dict
    overrides : dict, optional
        Parameter name -> value.
    source : str
        Used in error messages.

    Returns
    -------
    Model
    """
    from dsge.model.model_file import read_model_spec

    spec = read_model_spec(data, overrides, source=source)
    return _from_data(_build(spec))


def model_from_yaml(text: str, overrides: dict | None = None, *, source: str = "model") -> Model:
    """Compile a model from YAML text (no caching). See :func:`load_model`."""
    return model_from_dict(_read_yaml(text, source), overrides, source=source)


def load_model(path, overrides: dict | None = None, *, cache: bool = True) -> Model:
    """Load and compile a model file, reusing the on-disk cache when possible.

    Parameters
    ----------
    path : str or pathlib.Path
        YAML model file (see :mod:`dsge.model.model_file` for the keys).
    overrides : dict, optional
        Parameter name -> value (int, float or ``"p/q"`` string), as given by
        ``--set NAME=VALUE``.
    cache : bool
        Use the cache in ``$GEO_SYM_CACHE`` or ``~/.cache/geo-sym``; a
        repeated load of the same file with the same overrides then needs no
        SymPy and no YAML parsing.

    Returns
    -------
    Model

    Raises
    ------
    ModelFileError, ParseError, NumberFormatError, UnknownNameError
        On an invalid file or override (see :func:`dsge.model.model_file.read_model_spec`).
    """
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ModelFileError("model", str(path), f"a readable model file ({exc.strerror or exc})") from exc
    overrides = {str(k): v for k, v in (overrides or {}).items()}
    key = _cache.cache_key(content, overrides) if cache else None
    if key is not None:
        entry = _cache.read_entry(key)
        if entry is not None:
            try:
                return _from_data(entry, cache_key=key)
            except Exception:  # noqa: BLE001 - a bad entry is rebuilt
                pass
    from dsge.model.model_file import read_model_spec

    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError("model", str(path), "a UTF-8 text file") from exc
    spec = read_model_spec(_read_yaml(text, str(path)), overrides, source=str(path))
    data = _build(spec)
    if key is not None:
        _cache.write_entry(key, data)
    return _from_data(data, cache_key=key)
