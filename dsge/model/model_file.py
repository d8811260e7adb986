"""Reading and validating a Dynare-style model file (YAML, safe loader).

A model file is a mapping with these keys (only ``variables``, ``parameters``
and ``equations`` are required)::

    name: nk3                                  # optional label
    description: "..."                         # optional free text
    variables: [x, pi, i, v]                   # endogenous variables, order kept
    shocks: [eps_v]                            # exogenous i.i.d. innovations, mean 0
    parameters: {beta: 0.99, kappa: "1/10"}    # ints, floats or "p/q" strings
    equations:                                 # one per variable, Dynare timing
      - pi = beta*pi(+1) + kappa*x
    steady_state: {x: 0}                       # values or initial guesses (default 0)
    shock_std: {eps_v: 0.01}                   # standard deviations (default 1), or
    shock_cov: [[0.0001]]                      # a full covariance matrix (not both)
    latex_names: {pi: "\\pi_t"}                # for plots and LaTeX output
    tolerance: {steady_state: 1e-9, unit_circle: 1e-6}

Everything is validated here; the functions in this module import SymPy (through
:mod:`geo_sym.economy.numbers`) and are used only when a model is compiled, never on
the cached fast path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dsge.model.parser import FUNCTIONS, node_names, parse_equation
from geo_sym.errors import ModelFileError, UnknownNameError, ValidationError

__all__ = [
    "ModelSpec",
    "read_model_spec",
    "parse_overrides",
    "ALLOWED_KEYS",
    "DEFAULT_SS_TOL",
    "DEFAULT_UNIT_CIRCLE_TOL",
]

ALLOWED_KEYS = (
    "name",
    "description",
    "variables",
    "shocks",
    "parameters",
    "equations",
    "steady_state",
    "shock_std",
    "shock_cov",
    "latex_names",
    "tolerance",
)
_REQUIRED = ("variables", "parameters", "equations")
DEFAULT_SS_TOL = 1e-9
DEFAULT_UNIT_CIRCLE_TOL = 1e-6


@dataclass(frozen=True)
class ModelSpec:
    """A validated model file: names, exact parameter values and parsed equations.

    Attributes
    ----------
    name : str
    variables, shocks, parameter_names : tuple of str
    parameters : dict
        Name -> ``sympy.Rational`` (after ``--set`` overrides).
    equations : tuple of str
        Equation texts as written.
    trees : tuple
        ``(lhs, rhs)`` parse trees, one per equation.
    guess : tuple of float
        Steady-state values or guesses, in variable order.
    shock_cov : tuple of tuple of float
        Covariance of the shocks.
    ss_tol, unit_circle_tol : float
    latex_names : dict
    """

    name: str
    variables: tuple
    shocks: tuple
    parameter_names: tuple
    parameters: dict = field(repr=False)
    equations: tuple = field(repr=False)
    trees: tuple = field(repr=False)
    guess: tuple = field(repr=False)
    shock_cov: tuple = field(repr=False)
    ss_tol: float = DEFAULT_SS_TOL
    unit_circle_tol: float = DEFAULT_UNIT_CIRCLE_TOL
    latex_names: dict = field(default_factory=dict, repr=False)
    description: str = ""

    @property
    def leads(self) -> tuple:
        """Variables that appear with ``(+1)`` somewhere."""
        return self._timed(1)

    @property
    def lags(self) -> tuple:
        """Variables that appear with ``(-1)`` somewhere."""
        return self._timed(-1)

    def _timed(self, timing: int) -> tuple:
        seen = set()
        for lhs, rhs in self.trees:
            for kind, name, t in node_names(lhs) | node_names(rhs):
                if kind == "var" and t == timing:
                    seen.add(name)
        return tuple(v for v in self.variables if v in seen)


def _name_list(data, key: str, required: bool) -> tuple:
    if key not in data:
        if required:
            raise ModelFileError(key, None, "a list of names")
        return ()
    value = data[key]
    if value is None:
        value = []
    if not isinstance(value, list):
        raise ModelFileError(key, value, "a list of names")
    names = []
    for k, item in enumerate(value):
        if not isinstance(item, str) or not item.isidentifier():
            raise ModelFileError(f"{key}[{k}]", item, "a name (letters, digits, underscore)")
        if item in FUNCTIONS:
            raise ModelFileError(f"{key}[{k}]", item, "a name other than the functions " + ", ".join(FUNCTIONS))
        names.append(item)
    return tuple(names)


def _mapping(data, key: str) -> dict:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ModelFileError(key, value, "a mapping name -> value")
    return value


def _float(value, where: str) -> float:
    from geo_sym.economy.numbers import parse_number

    return float(parse_number(value, where))


def parse_overrides(pairs) -> dict:
    """Split ``NAME=VALUE`` strings from the command line into a dict.

    Parameters
    ----------
    pairs : iterable of str

    Returns
    -------
    dict
        Name -> value text (parsed later with ``parse_number``).

    Raises
    ------
    ValidationError
        When an item has no ``=`` or an empty name.
    """
    out = {}
    for item in pairs or ():
        if not isinstance(item, str) or "=" not in item:
            raise ValidationError("--set", item, "NAME=VALUE")
        name, value = item.split("=", 1)
        name = name.strip()
        if not name:
            raise ValidationError("--set", item, "NAME=VALUE with a non-empty NAME")
        out[name] = value.strip()
    return out


def read_model_spec(data, overrides=None, *, source: str = "model") -> ModelSpec:
    """Validate a model mapping (already read from YAML) and parse its equations.

    Parameters
    ----------
    data : dict
        The mapping read from the model file.
    overrides : dict, optional
        Parameter name -> new value (int, float or ``"p/q"`` string), e.g. from
        ``--set NAME=VALUE``.
    source : str
        Where the data came from (used in messages).

    Returns
    -------
    ModelSpec

    Raises
    ------
    ModelFileError
        Missing or unknown keys, duplicate names, wrong equation count.
    ParseError
        An equation outside the accepted grammar (names the equation).
    NumberFormatError
        A malformed number (names the field).
    UnknownNameError
        An override or steady-state entry for an undeclared name.
    """
    if not isinstance(data, dict):
        raise ModelFileError(source, data, "a YAML mapping with keys " + ", ".join(_REQUIRED))
    for key in data:
        if key not in ALLOWED_KEYS:
            raise ModelFileError(
                str(key),
                data[key],
                "one of the keys " + ", ".join(ALLOWED_KEYS),
                message=f"{source}: unknown top-level key {key!r}; expected one of " + ", ".join(ALLOWED_KEYS),
            )
    for key in _REQUIRED:
        if key not in data:
            raise ModelFileError(
                key, None, f"the required key {key!r}", message=f"{source}: missing required key {key!r}"
            )

    name = data.get("name", source)
    if not isinstance(name, str):
        name = str(name)
    description = data.get("description") or ""
    variables = _name_list(data, "variables", True)
    shocks = _name_list(data, "shocks", False)
    if not variables:
        raise ModelFileError("variables", data["variables"], "at least one variable")

    params_raw = _mapping(data, "parameters")
    from geo_sym.economy.numbers import parse_number

    parameters = {}
    for pname, pvalue in params_raw.items():
        if not isinstance(pname, str) or not pname.isidentifier() or pname in FUNCTIONS:
            raise ModelFileError(f"parameters.{pname}", pname, "a parameter name")
        parameters[pname] = parse_number(pvalue, f"parameters.{pname}")
    parameter_names = tuple(parameters)

    seen: dict = {}
    for kind, names in (("variables", variables), ("shocks", shocks), ("parameters", parameter_names)):
        for n in names:
            if n in seen:
                raise ModelFileError(kind, n, f"a name not already declared in {seen[n]}")
            seen[n] = kind

    for oname, ovalue in (overrides or {}).items():
        if oname not in parameters:
            raise UnknownNameError(
                "--set", oname, "a parameter name: " + (", ".join(parameter_names) or "(none declared)")
            )
        parameters[oname] = parse_number(ovalue, f"--set {oname}")

    eqs = data["equations"]
    if not isinstance(eqs, list):
        raise ModelFileError("equations", eqs, "a list of equations 'lhs = rhs'")
    if len(eqs) != len(variables):
        raise ModelFileError(
            "equations",
            f"{len(eqs)} equations",
            f"one equation per variable ({len(variables)} variables: " + ", ".join(variables) + ")",
            message=f"equations: got {len(eqs)} equations for "
            f"{len(variables)} variables ({', '.join(variables)}); "
            "expected exactly one equation per variable",
        )
    trees = []
    for k, text in enumerate(eqs):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        trees.append(
            parse_equation(
                text, variables=variables, parameters=parameter_names, shocks=shocks, where=f"equations[{k}]"
            )
        )

    ss_raw = _mapping(data, "steady_state")
    guess = {v: 0.0 for v in variables}
    for vname, value in ss_raw.items():
        if vname not in guess:
            raise UnknownNameError(f"steady_state.{vname}", vname, "a declared variable: " + ", ".join(variables))
        guess[vname] = _float(value, f"steady_state.{vname}")

    if "shock_std" in data and "shock_cov" in data:
        raise ModelFileError("shock_cov", data["shock_cov"], "either shock_std or shock_cov, not both")
    ne = len(shocks)
    cov = [[0.0] * ne for _ in range(ne)]
    for j in range(ne):
        cov[j][j] = 1.0
    if "shock_std" in data:
        for sname, value in _mapping(data, "shock_std").items():
            if sname not in shocks:
                raise UnknownNameError(
                    f"shock_std.{sname}", sname, "a declared shock: " + (", ".join(shocks) or "(none)")
                )
            std = _float(value, f"shock_std.{sname}")
            if std < 0:
                raise ValidationError(f"shock_std.{sname}", value, "a standard deviation >= 0")
            j = shocks.index(sname)
            cov[j][j] = std * std
    if "shock_cov" in data:
        raw = data["shock_cov"]
        if not isinstance(raw, list) or len(raw) != ne or any(not isinstance(r, list) or len(r) != ne for r in raw):
            raise ModelFileError("shock_cov", raw, f"a {ne}x{ne} matrix (list of rows)")
        cov = [[_float(raw[a][b], f"shock_cov[{a}][{b}]") for b in range(ne)] for a in range(ne)]
        for a in range(ne):
            for b in range(ne):
                if cov[a][b] != cov[b][a]:
                    raise ValidationError("shock_cov", raw, "a symmetric matrix")

    tol_raw = _mapping(data, "tolerance")
    ss_tol, uc_tol = DEFAULT_SS_TOL, DEFAULT_UNIT_CIRCLE_TOL
    for tname, value in tol_raw.items():
        if tname not in ("steady_state", "unit_circle"):
            raise ModelFileError(f"tolerance.{tname}", value, "tolerance keys steady_state, unit_circle")
        t = _float(value, f"tolerance.{tname}")
        if not (t > 0 and math.isfinite(t)):
            raise ValidationError(f"tolerance.{tname}", value, "a positive number")
        if tname == "steady_state":
            ss_tol = t
        else:
            uc_tol = t

    latex = {}
    for lname, value in _mapping(data, "latex_names").items():
        if lname not in seen:
            raise UnknownNameError(f"latex_names.{lname}", lname, "a declared name")
        if not isinstance(value, str):
            raise ModelFileError(f"latex_names.{lname}", value, "a LaTeX string")
        latex[lname] = value

    return ModelSpec(
        name=name,
        variables=variables,
        shocks=shocks,
        parameter_names=parameter_names,
        parameters=parameters,
        equations=tuple(str(e) for e in eqs),
        trees=tuple(trees),
        guess=tuple(guess[v] for v in variables),
        shock_cov=tuple(tuple(r) for r in cov),
        ss_tol=ss_tol,
        unit_circle_tol=uc_tol,
        latex_names=latex,
        description=str(description),
    )
