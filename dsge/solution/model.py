r"""The user-facing model: a compiled model that also solves itself.

:class:`Model` adds to :class:`dsge.model.core.CompiledModel` the pipeline of
Section 7 (eq. (16)–(17)):

1. steady state of the static system (:mod:`dsge.solution.steady_state`);
2. exact Jacobians :math:`F_+, F_0, F_-, F_\varepsilon` at the steady state
   (:class:`~dsge.solution.results.Linearization`), in levels or, for ``log_variables``,
   in logs;
3. the Blanchard–Kahn check and Klein solution on the minimal pencil
   (:mod:`dsge.solution.pencil`).

The steady state and the solution of the default call are kept in the model's cache
entry, so a repeated command needs neither SciPy's QZ nor the steady-state solver.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from dsge.model.core import CompiledModel, compile_model, frozen, load_compiled, sealed
from dsge.solution.blanchard_kahn import BKResult
from dsge.solution.moments import semidefinite_cholesky
from dsge.solution.pencil import solve_pencil
from dsge.solution.results import Linearization, Solution
from dsge.solution.steady_state import SteadyState, solve_steady_state
from geo_sym.errors import UnknownNameError, ValidationError

__all__ = ["Model", "load_model", "model_from_dict", "model_from_yaml", "solve_linearization"]


def _bk_from_dict(d: dict) -> BKResult:
    moduli = tuple(math.inf if m == "inf" else float(m) for m in d["moduli"])
    eig = tuple(complex(re, im) if re != "inf" else complex(math.inf, 0.0) for re, im in d["eigenvalues"])
    return BKResult(
        status=d["status"],
        n_forward=int(d["n_forward"]),
        n_predetermined=int(d["n_predetermined"]),
        n_unstable=int(d["n_unstable"]),
        moduli=moduli,
        boundary=bool(d["boundary"]),
        tolerance=float(d["tolerance"]),
        rank_condition=d["rank_condition"],
        message=str(d["message"]),
        eigenvalues=eig,
    )


def _bk_to_dict(bk: BKResult) -> dict:
    d = bk.to_dict()
    d["eigenvalues"] = [["inf", 0.0] if not math.isfinite(abs(e)) else [e.real, e.imag] for e in bk.eigenvalues]
    return d


def solve_linearization(
    lin: Linearization,
    *,
    tol: float = 1e-6,
    model_name: str = "model",
    shock_cov=None,
    latex_names=None,
    levels=(),
    aux=(),
) -> Solution:
    """Blanchard–Kahn check and Klein solution of a linearized model (see :mod:`dsge.solution.pencil`).

    Parameters
    ----------
    lin : Linearization
    tol : float
        Unit-circle tolerance.
    model_name : str
    shock_cov : array_like, optional
        Default identity.
    latex_names : dict, optional
    levels : tuple of str
        Variables ``loglinear`` kept in levels (reported only).
    aux : tuple
        Auxiliary-variable records ``(name, kind, source, shift)``.

    Returns
    -------
    Solution
    """
    bk, transition, impact = solve_pencil(lin, tol)
    ne = len(lin.shocks)
    cov = np.eye(ne) if shock_cov is None else np.asarray(shock_cov, dtype=float)
    return Solution(
        model_name=model_name,
        variables=lin.variables,
        shocks=lin.shocks,
        steady_state=lin.steady_state,
        linearization=lin,
        bk=bk,
        transition=None if transition is None else frozen(transition),
        impact=None if impact is None else frozen(impact),
        shock_cov=frozen(cov),
        latex_names=dict(latex_names or {}),
        declared=lin.declared,
        log_variables=lin.log_variables,
        levels=tuple(levels),
        aux=tuple(aux),
    )


class Model(CompiledModel):
    """A compiled model with its solution pipeline (build one with :func:`load_model`).

    See :class:`dsge.model.core.CompiledModel` for the attributes and the evaluation
    methods (``residual``, ``jacobian``, ``with_parameters``, ...).
    """

    # -- steady state -------------------------------------------------------------------------
    @functools.cached_property
    def shock_factor(self) -> np.ndarray:
        """The Cholesky factor ``L`` (``L L' = shock_cov``, shocks in declaration order; read-only), computed once."""
        return frozen(semidefinite_cholesky(self.shock_cov))

    def steady_state(self, guess=None, tol: float | None = None) -> SteadyState:
        """Deterministic steady state (see :func:`dsge.solution.steady_state.solve_steady_state`).

        A steady state computed by an earlier run from the same file and overrides is read
        from the cache when ``guess`` and ``tol`` are not given.
        """
        default = guess is None and tol is None
        if default:
            stored = self.cached("steady_state")
            if stored is not None:
                try:
                    return self._steady_state_from(stored)
                except (KeyError, TypeError, ValueError):  # a malformed cached value is recomputed
                    pass
        ss = solve_steady_state(self, guess=guess, tol=tol)
        if default:
            self.remember(
                "steady_state",
                {
                    "values": ss.values.tolist(),
                    "residuals": ss.residuals.tolist(),
                    "scales": None if ss.scales is None else ss.scales.tolist(),
                    "method": ss.method,
                    "tolerance": ss.tolerance,
                },
            )
        return ss

    def _steady_state_from(self, raw: dict) -> SteadyState:
        values, residuals = frozen(raw["values"]), frozen(raw["residuals"])
        if values.shape != (self.n,) or residuals.shape != values.shape:
            raise ValueError("bad cached steady state")
        return SteadyState(
            variables=self.variables,
            values=values,
            residuals=residuals,
            equations=self.equations,
            method=str(raw["method"]),
            tolerance=float(raw["tolerance"]),
            cached=True,
            scales=None if raw.get("scales") is None else frozen(raw["scales"]),
        )

    # -- linearization ------------------------------------------------------------------------
    def linearize(self, steady_state: SteadyState | None = None) -> Linearization:
        """Exact first-order derivatives at the steady state (eq. (17) of the paper), in levels."""
        ss = self.steady_state() if steady_state is None else steady_state
        y = np.asarray(ss.values, dtype=float)
        fl, fc, fm, fe = self.jacobian(y, y, y)
        return Linearization(
            variables=self.variables,
            shocks=self.shocks,
            steady_state=ss,
            f_lead=sealed(fl),  # views of one fresh array (CompiledModel.jacobian)
            f_cur=sealed(fc),
            f_lag=sealed(fm),
            f_shock=sealed(fe),
            parameters=self.parameters,
            leads=self.leads,
            lags=self.lags,
            declared=len(self.declared_variables),
        )

    def _log_choice(self, ss: SteadyState, loglinear: bool, log_variables) -> tuple[tuple, tuple]:
        """``(logged, kept in levels)`` over all variables (auxiliaries follow their source)."""
        wanted = set(self.log_variables if log_variables is None else log_variables)
        if not (wanted or loglinear):
            return (), ()
        values = dict(zip(self.variables, np.asarray(ss.values, dtype=float).tolist()))
        source = {a[0]: a[2] for a in self.aux if a[1] != "shock"}
        for name in wanted:
            if name not in self.declared_variables:
                raise UnknownNameError(
                    "log_variables", name, "a declared variable: " + ", ".join(self.declared_variables)
                )
            if not values[name] > 0:
                raise ValidationError(
                    f"log_variables.{name}", values[name], "a variable with a positive steady state (logs need one)"
                )
        if loglinear:
            wanted |= {v for v in self.declared_variables if values[v] > 0}
        levels = tuple(v for v in self.declared_variables if v not in wanted) if loglinear else ()
        logged = tuple(v for v in self.variables if source.get(v, v) in wanted and values[v] > 0)
        return logged, levels

    # -- solution -----------------------------------------------------------------------------
    def solve(
        self,
        tol: float | None = None,
        steady_state: SteadyState | None = None,
        *,
        loglinear: bool = False,
        log_variables=None,
    ) -> Solution:
        """Steady state, linearization, Klein solution and Blanchard–Kahn diagnostics.

        Parameters
        ----------
        tol : float, optional
            Unit-circle tolerance (default: the model's, 1e-6 unless set in the file).
        steady_state : SteadyState, optional
            Use this steady state instead of solving for it.
        loglinear : bool
            Log-linearize every declared variable with a positive steady state (Dynare's
            ``loglinear``); the others stay in levels and are listed in ``Solution.levels``.
        log_variables : iterable of str, optional
            Variables to log-linearize (default: the file's ``log_variables``); each needs a
            positive steady state.

        Returns
        -------
        Solution
            Its policy fields are None unless the status is ``"determinate"``.
        """
        tol = self.unit_circle_tol if tol is None else float(tol)
        if not (tol > 0 and math.isfinite(tol)):
            raise ValidationError("tol", tol, "a positive unit-circle tolerance")
        lin = self.linearize(steady_state)
        logged, levels = self._log_choice(lin.steady_state, loglinear, log_variables)
        if logged:
            lin = lin.in_logs(logged)
        key = f"solution|{tol!r}|{','.join(logged)}" if steady_state is None else None
        stored = self.cached(key) if key else None
        if stored is not None:
            bk = _bk_from_dict(stored["bk"])
            t = None if stored["transition"] is None else frozen(stored["transition"])
            r = None if stored["impact"] is None else frozen(stored["impact"])
        else:
            bk, t, r = solve_pencil(lin, tol)
            if key:
                self.remember(
                    key,
                    {
                        "bk": _bk_to_dict(bk),
                        "transition": None if t is None else t.tolist(),
                        "impact": None if r is None else r.tolist(),
                    },
                )
        return Solution(
            model_name=self.name,
            variables=self.variables,
            shocks=self.shocks,
            steady_state=lin.steady_state,
            linearization=lin,
            bk=bk,
            transition=None if t is None else sealed(t),  # fresh from solve_pencil, or frozen from the cache
            impact=None if r is None else sealed(r),
            shock_cov=self.shock_cov,
            latex_names=self.latex_names,
            declared=len(self.declared_variables),
            log_variables=tuple(v for v in logged if v in self.declared_variables),
            levels=levels,
            aux=self.aux,
            shock_factor=self.shock_factor,
        )


def model_from_dict(data: dict, overrides: dict | None = None, *, source: str = "model") -> Model:
    """Compile a model from a mapping with the keys of a model file (no caching)."""
    from dsge.model.model_file import read_model_spec

    return compile_model(read_model_spec(data, overrides, source=source), Model)


def model_from_yaml(text: str, overrides: dict | None = None, *, source: str = "model") -> Model:
    """Compile a model from YAML text (no caching). See :func:`load_model`."""
    from geo_sym.economy.files import parse_yaml

    return model_from_dict(parse_yaml(text, source), overrides, source=source)


def load_model(path, overrides: dict | None = None, *, cache: bool = True, defines: dict | None = None) -> Model:
    """Load and compile a model file (YAML, or a Dynare ``.mod`` file), reusing the on-disk cache.

    Parameters
    ----------
    path : str or pathlib.Path
    overrides : dict, optional
        Parameter name -> value (a number, a ``"p/q"`` string or a formula in the
        parameters), as given by ``--set NAME=VALUE``.
    cache : bool
        Use the cache in ``$GEO_SYM_CACHE`` or ``~/.cache/geo-sym``; a repeated load of the
        same file with the same overrides then needs no parsing and no compilation.
    defines : dict, optional
        Macro names for a ``.mod`` file, as Dynare's ``-DNAME=VALUE`` (a string value is a
        macro expression: ``{"Calvo": "1"}``); see :mod:`dsge.model.macro`.

    Returns
    -------
    Model

    Raises
    ------
    ModelFileError, ParseError, UnknownNameError, ValidationError
        On an invalid file or override (see :func:`dsge.model.model_file.read_model_spec`).
    """
    return load_compiled(path, overrides, cache=cache, cls=Model, defines=defines)
