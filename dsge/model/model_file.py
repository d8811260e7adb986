"""Reading and validating a model file (YAML, safe loader; Dynare ``.mod`` files through :mod:`dsge.model.mod_file`).

A model file is a mapping with these keys (only ``variables``, ``parameters`` and
``equations`` are required)::

    name: nk3                                  # optional label
    description: "..."                         # optional free text
    variables: [x, pi, i, v]                   # endogenous variables, order kept
    shocks: [eps_v]                            # exogenous i.i.d. innovations, mean 0
    parameters: {r: 0.01, beta: "1/(1+r)"}     # numbers, or formulas in other parameters
    locals: {rr: "i - pi(+1)"}                 # model-local names (Dynare '#'), in order
    equations:                                 # one per variable, Dynare timing
      - x = x(+1) - (1/sigma)*rr
    steady_state: {x: 0}                       # values or initial guesses (default 0)
    steady_state_model: {x: "0", pi: "0"}      # analytic steady state (formulas, in order)
    shock_std: {eps_v: 0.01}                   # see dsge.model.shocks for shock_var,
    shock_corr: {}                             #   shock_corr and shock_cov
    log_variables: [c, k]                      # linearize these in logs
    latex_names: {pi: "\\pi_t"}                # for plots and LaTeX output
    tolerance: {steady_state: 1e-9, unit_circle: 1e-6}
    stoch_simul: {irf: 40, ar: 5, hp_filter: 1600}   # what to compute by default

Numbers are read exactly from their decimal text (``0.1`` is ``1/10``); a formula (a
string) uses the expression grammar of :mod:`dsge.model.parser`. Parameter formulas are
evaluated in dependency order, whatever their order in the file; a cycle is an error
naming it. Everything is validated here, without SymPy.
"""

from __future__ import annotations

import math

from dsge.model.auxiliary import expand_timings, inline_locals
from dsge.model.expressions import NotFiniteError, evaluate
from dsge.model.overrides import parse_overrides
from dsge.model.parser import FUNCTIONS, name_kinds, node_names, parse_equation, parse_formula
from dsge.model.shocks import check_covariance, read_shock_cov
from dsge.model.spec import DEFAULT_SS_TOL, DEFAULT_UNIT_CIRCLE_TOL, OPTION_TYPES, ModelSpec
from geo_sym.errors import ModelFileError, ParseError, UnknownNameError, ValidationError

__all__ = [
    "ModelSpec",
    "read_model_spec",
    "read_number",
    "parse_overrides",
    "load_spec",
    "ALLOWED_KEYS",
    "OPTION_TYPES",
]

ALLOWED_KEYS = (
    "name",
    "description",
    "variables",
    "shocks",
    "parameters",
    "locals",
    "equations",
    "steady_state",
    "steady_state_model",
    "shock_std",
    "shock_var",
    "shock_corr",
    "shock_cov",
    "log_variables",
    "latex_names",
    "tolerance",
    "stoch_simul",
)
_REQUIRED = ("variables", "parameters", "equations")


# -- small readers ------------------------------------------------------------------------------
def _name_list(data, key: str) -> tuple:
    value = data.get(key)
    if value is None:
        return ()
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


def _formula_text(value, where: str) -> str:
    if isinstance(value, bool) or value is None or not isinstance(value, (int, float, str)):
        raise ParseError(where, value, "a number or a formula written as a string")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError(where, value, "a finite number")
        return repr(value)
    return str(value)


def _value_tree(value, where: str, parameters=(), variables=(), locals_=(), kinds=None):
    """A number or a formula (in the given names, or ``kinds``, no timing) as a parse tree."""
    if kinds is None:
        kinds = name_kinds(variables, parameters, (), locals_)
    return parse_formula(_formula_text(value, where), timed=False, where=where, kinds=kinds)


def _number(value, where: str) -> float:
    """A plain number (int, float or a formula of numbers) as a float."""
    tree = _value_tree(value, where)
    return float(_evaluate(tree, {}, where))


def read_number(value, where: str) -> float:
    """A number (int, float, ``"p/q"`` or a formula of numbers only) as a float; never ``eval``."""
    return _number(value, where)


def _evaluate(tree, env: dict, where: str, exact: bool = True):
    if tree[0] == "num" and not exact:
        return float(tree[1])

    def lookup(n):
        return env[(n[0], n[1])]

    try:
        return evaluate(tree, lookup, where=where, exact=exact)
    except NotFiniteError as exc:
        raise ValidationError(where, str(exc), "a formula with a finite value") from None


# -- sections ---------------------------------------------------------------------------------------
def _check_keys(data, source: str) -> None:
    from geo_sym.economy.files import require_kind

    require_kind(data, source, "model")
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


def _declarations(data) -> tuple[tuple, tuple, tuple, tuple]:
    variables = _name_list(data, "variables")
    if not variables:
        raise ModelFileError("variables", data["variables"], "at least one variable")
    shocks = _name_list(data, "shocks")
    parameters = _mapping(data, "parameters")
    locals_ = _mapping(data, "locals")
    for key, names in (("parameters", parameters), ("locals", locals_)):
        for name in names:
            if not isinstance(name, str) or not name.isidentifier() or name in FUNCTIONS:
                raise ModelFileError(f"{key}.{name}", name, "a name (letters, digits, underscore), not a function")
    seen: dict = {}
    for kind, names in (("variables", variables), ("shocks", shocks), ("parameters", parameters), ("locals", locals_)):
        for n in names:
            if n in seen:
                raise ModelFileError(kind, n, f"a name not already declared in {seen[n]}")
            seen[n] = kind
    return variables, shocks, tuple(parameters), tuple(locals_)


def _dependency_order(formulas: dict, field: str) -> list[str]:
    """Names of ``formulas`` ordered so that each comes after the names it uses; a cycle is an error."""
    uses = {n: sorted({name for kind, name, _ in node_names(t) if kind == "par"}) for n, t in formulas.items()}
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in formulas:
        if state.get(root):
            continue
        path = [root]
        stack = [iter(uses[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done = path.pop()
                state[done] = 2
                order.append(done)
            elif nxt in formulas and state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt]
                text = " -> ".join(cycle)
                raise ModelFileError(
                    field,
                    text,
                    "definitions without a cycle",
                    message=f"{field}: the definitions form a cycle {text}; expected parameters defined from "
                    "others without a cycle",
                )
            elif nxt in formulas and not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(uses[nxt]))
    return order


def _read_parameters(data, names: tuple, overrides: dict) -> tuple[dict, dict]:
    raw = dict(_mapping(data, "parameters"))
    for name, value in overrides.items():
        if name not in raw:
            raise UnknownNameError("--set", name, "a parameter name: " + (", ".join(names) or "(none declared)"))
        raw[name] = value
    trees = {}
    kinds = name_kinds(parameters=names)
    for name, value in raw.items():
        where = f"--set {name}" if name in overrides else f"parameters.{name}"
        trees[name] = _value_tree(value, where, kinds=kinds)
    env: dict = {}
    formulas = {}
    for name in _dependency_order(trees, "parameters"):
        tree = trees[name]
        if any(kind == "par" for kind, _, _ in node_names(tree)):
            formulas[name] = tree
        env[("par", name)] = _evaluate(tree, env, f"parameters.{name}")
    values = {name: env[("par", name)] for name in names}
    return values, {name: formulas[name] for name in _dependency_order(formulas, "parameters")}


def _read_equations(data, variables, shocks, parameters, local_names) -> tuple[tuple, dict, tuple]:
    local_trees: dict = {}
    kinds = name_kinds(variables, parameters, shocks, ())
    for name, text in _mapping(data, "locals").items():
        local_trees[name] = parse_formula(_formula_text(text, f"locals.{name}"), where=f"locals.{name}", kinds=kinds)
        kinds[name] = "local"
    eqs = data["equations"]
    if not isinstance(eqs, list):
        raise ModelFileError("equations", eqs, "a list of equations 'lhs = rhs'")
    if len(eqs) != len(variables):
        raise ModelFileError(
            "equations",
            f"{len(eqs)} equations",
            "one equation per variable",
            message=f"equations: got {len(eqs)} equations for {len(variables)} variables "
            f"({', '.join(variables)}); expected exactly one equation per variable",
        )
    texts, trees = [], []
    kinds = name_kinds(variables, parameters, shocks, local_names)
    for k, text in enumerate(eqs):
        if isinstance(text, (int, float)) and not isinstance(text, bool):
            text = str(text)
        trees.append(parse_equation(text, where=f"equations[{k}]", kinds=kinds))
        texts.append(str(text))
    return tuple(trees), local_trees, tuple(texts)


def _read_guess(data, variables, parameters, values: dict) -> dict:
    """Steady-state values or guesses: numbers or formulas in the parameters and earlier entries."""
    guess = {v: 0.0 for v in variables}
    env = {("par", p): v for p, v in values.items()}
    kinds = name_kinds(variables, parameters)
    for vname, value in _mapping(data, "steady_state").items():
        where = f"steady_state.{vname}"
        if vname not in guess:
            raise UnknownNameError(where, vname, "a declared variable: " + ", ".join(variables))
        tree = _value_tree(value, where, kinds=kinds)
        for kind, name, _ in node_names(tree):
            if kind == "var" and ("var", name) not in env:
                raise ModelFileError(where, name, f"variables given a value before they are used ({name!r} is not yet)")
        env[("var", vname)] = _evaluate(tree, env, where)
        guess[vname] = float(env[("var", vname)])
    return guess


def _read_ss_model(data, variables, parameters) -> tuple:
    """The analytic steady-state block: ``(target, tree)`` in order.

    Targets are variables, helper names, or parameters calibrated there (as Dynare allows:
    ``B = -A*log(1 - h0)/h0``); later formulas of the block see the new parameter value.
    """
    block = []
    assigned: set = set()
    kinds = name_kinds(variables, parameters)
    for target, text in _mapping(data, "steady_state_model").items():
        where = f"steady_state_model.{target}"
        if not isinstance(target, str) or not target.isidentifier() or target in FUNCTIONS:
            raise ModelFileError(where, target, "a variable, a parameter or a helper name")
        tree = _value_tree(text, where, kinds=kinds)
        for kind, name, _ in node_names(tree):
            if kind == "var" and name not in assigned:
                raise ModelFileError(where, name, f"variables assigned before they are used ({name!r} is not yet)")
        block.append((target, tree))
        if target in variables:
            assigned.add(target)
        elif target not in parameters:
            kinds[target] = "local"
    return tuple(block)


def _calibrate(block: tuple, values: dict, formulas: dict) -> None:
    """Evaluate the steady-state block for the parameters it assigns; update ``values`` in place."""
    targets = [t for t, _ in block if t in values]
    if not targets:
        return
    for name, tree in formulas.items():
        used = {n for kind, n, _ in node_names(tree) if kind == "par"} & set(targets)
        if used:
            raise ModelFileError(
                f"parameters.{name}",
                sorted(used)[0],
                "formulas in parameters that the steady_state_model block does not compute",
            )
    env = {("par", p): v for p, v in values.items()}
    for target, tree in block:
        value = _evaluate(tree, env, f"steady_state_model.{target}")
        if target in values:
            env[("par", target)] = value
        else:  # a variable or a helper (their leaves are ("var", name) and ("local", name))
            env[("var", target)] = env[("local", target)] = value
    for t in targets:
        values[t] = env[("par", t)]


def _read_options(data, variables, shocks) -> dict | None:
    raw = data.get("stoch_simul")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ModelFileError("stoch_simul", raw, "a mapping option -> value")
    out = {}
    for key, value in raw.items():
        kind = OPTION_TYPES.get(key)
        where = f"stoch_simul.{key}"
        if kind is None:
            raise ModelFileError(where, value, "one of the options " + ", ".join(OPTION_TYPES))
        out[key] = _option_value(kind, value, where, variables, shocks)
    if out.get("order", 1) != 1:
        raise ModelFileError("stoch_simul.order", out["order"], "order 1 (first-order perturbation)")
    return out


def _option_value(kind: str, value, where: str, variables, shocks):
    if kind == "bool":
        if not isinstance(value, bool):
            raise ModelFileError(where, value, "true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ModelFileError(where, value, "an integer >= 0")
        return value
    if kind == "number":
        number = 0.0 if value in (None, False) else _number(value, where)
        if number < 0:
            raise ModelFileError(where, value, "a number >= 0 (0: no filter)")
        return number
    items = value if isinstance(value, list) else [value]
    if kind == "ints":
        if any(isinstance(h, bool) or not isinstance(h, int) or h < 1 for h in items):
            raise ModelFileError(where, value, "horizons: integers >= 1")
        return sorted(set(items))
    pool = shocks if where.endswith("irf_shocks") else variables
    for name in items:
        if name not in pool:
            raise UnknownNameError(where, name, "one of " + ", ".join(pool))
    return list(items)


def _read_tolerance(data) -> tuple[float, float]:
    ss_tol, uc_tol = DEFAULT_SS_TOL, DEFAULT_UNIT_CIRCLE_TOL
    for tname, value in _mapping(data, "tolerance").items():
        if tname not in ("steady_state", "unit_circle"):
            raise ModelFileError(f"tolerance.{tname}", value, "tolerance keys steady_state, unit_circle")
        t = _number(value, f"tolerance.{tname}")
        if not (t > 0 and math.isfinite(t)):
            raise ValidationError(f"tolerance.{tname}", value, "a positive number")
        if tname == "steady_state":
            ss_tol = t
        else:
            uc_tol = t
    return ss_tol, uc_tol


def _read_latex(data, declared: set) -> dict:
    latex = {}
    for lname, value in _mapping(data, "latex_names").items():
        if lname not in declared:
            raise UnknownNameError(f"latex_names.{lname}", lname, "a declared name")
        if not isinstance(value, str):
            raise ModelFileError(f"latex_names.{lname}", value, "a LaTeX string")
        latex[lname] = value
    return latex


def _read_log_variables(data, variables) -> tuple:
    names = _name_list(data, "log_variables")
    for name in names:
        if name not in variables:
            raise UnknownNameError("log_variables", name, "a declared variable: " + ", ".join(variables))
    return names


# -- the whole file -------------------------------------------------------------------------------
def _shock_cov(data, shocks, parameters, values, default_std: str):
    kinds = name_kinds(parameters=parameters)

    def tree(value, where):
        return _value_tree(value, where, kinds=kinds)

    cov_trees, correlations, stds = read_shock_cov(data, shocks, tree, default_std)
    env = {("par", p): v for p, v in values.items()}
    for name, t in stds.items():
        if _evaluate(t, env, f"shock_std.{name}") < 0:
            raise ValidationError(f"shock_std.{name}", data["shock_std"][name], "a standard deviation >= 0")
    corr = {pair: float(_evaluate(t, env, f"shock_corr.{pair[0]}.{pair[1]}")) for pair, t in correlations.items()}
    cov = tuple(tuple(float(_evaluate(t, env, "shock covariance", exact=False)) for t in row) for row in cov_trees)
    check_covariance(cov, shocks, corr)
    return cov_trees, cov


def read_model_spec(data, overrides=None, *, source: str = "model", notes=(), default_std: str = "1") -> ModelSpec:
    """Validate a model mapping (read from YAML or converted from a ``.mod`` file) and parse it.

    Parameters
    ----------
    data : dict
        The model mapping (keys in the module docstring).
    overrides : dict, optional
        Parameter name -> new value (a number or a formula in the parameters, as text),
        e.g. from ``--set NAME=VALUE``; an overridden parameter loses its formula.
    source : str
        Where the data came from (used in messages).
    notes : iterable of str
        Carried into :attr:`ModelSpec.notes`.
    default_std : str
        Standard deviation of a shock given no scale.

    Returns
    -------
    ModelSpec

    Raises
    ------
    ModelFileError
        Missing or unknown keys, duplicate names, wrong equation count, a cycle of
        parameter definitions.
    ParseError
        An expression outside the accepted grammar (names the field).
    UnknownNameError
        An override, steady-state entry or option naming an undeclared name.
    ValidationError
        A formula without a finite value, a covariance that is not positive semidefinite,
        a correlation outside ``[-1, 1]``, a bad tolerance.
    """
    _check_keys(data, source)
    variables, shocks, parameter_names, local_names = _declarations(data)
    values, formulas = _read_parameters(data, parameter_names, {str(k): v for k, v in (overrides or {}).items()})
    written, local_trees, texts = _read_equations(data, variables, shocks, parameter_names, local_names)
    inlined: dict = {}
    for name, tree in local_trees.items():
        inlined[name] = inline_locals(tree, inlined)
    expanded = [(inline_locals(lhs, inlined), inline_locals(rhs, inlined)) for lhs, rhs in written]
    taken = set(variables) | set(shocks) | set(parameter_names) | set(local_names)
    all_vars, trees, aux = expand_timings(variables, expanded, taken)
    ss_block = _read_ss_model(data, variables, parameter_names)
    _calibrate(ss_block, values, formulas)
    guess = _read_guess(data, variables, parameter_names, values)
    for a in aux:
        guess[a.name] = 0.0 if a.kind == "shock" else guess[a.source]
    cov_trees, cov = _shock_cov(data, shocks, parameter_names, values, default_std)
    ss_tol, uc_tol = _read_tolerance(data)
    from dsge.model.parser import to_text

    aux_texts = tuple(f"{to_text(lhs)} = {to_text(rhs)}" for lhs, rhs in trees[len(texts) :])
    return ModelSpec(
        name=str(data.get("name", source)),
        description=str(data.get("description") or ""),
        variables=all_vars,
        declared=len(variables),
        shocks=shocks,
        parameter_names=parameter_names,
        parameters=values,
        parameter_formulas=formulas,
        equations=texts + aux_texts,
        trees=tuple(trees),
        written_trees=written,
        local_trees=local_trees,
        aux=aux,
        guess=tuple(guess[v] for v in all_vars),
        steady_state_model=ss_block,
        shock_cov_trees=cov_trees,
        shock_cov=cov,
        log_variables=_read_log_variables(data, variables),
        options=_read_options(data, variables, shocks),
        ss_tol=ss_tol,
        unit_circle_tol=uc_tol,
        latex_names=_read_latex(data, set(variables) | set(shocks) | set(parameter_names)),
        notes=tuple(notes),
    )


def load_spec(path, overrides=None, defines=None) -> ModelSpec:
    """Read a model file (YAML, or a Dynare ``.mod`` file by its suffix) into a :class:`ModelSpec`.

    Parameters
    ----------
    path : str or pathlib.Path
    overrides : dict, optional
        Parameter name -> value, as for :func:`read_model_spec`.
    defines : dict, optional
        Macro names for a ``.mod`` file (Dynare's ``-DNAME=VALUE``; see :mod:`dsge.model.macro`).
    """
    from pathlib import Path

    from geo_sym.economy.files import parse_yaml, read_text

    if Path(path).suffix.lower() != ".mod":
        if defines:
            raise ValidationError("--define", ", ".join(defines), "a Dynare .mod file (YAML has no macro processor)")
        text = read_text(path, "model file")
        if not text.strip():
            raise ModelFileError(str(path), "an empty file", "a DSGE model file")
        return read_model_spec(parse_yaml(text, str(path)), overrides, source=str(path))
    from dsge.model.mod_file import read_mod_file

    mod = read_mod_file(path, defines)
    try:
        return read_model_spec(mod.data, overrides, source=str(path), notes=mod.notes, default_std="0")
    except ValidationError as exc:
        line = _line_of(mod, exc)
        if line is None:
            raise
        raise type(exc)(exc.field, exc.value, exc.expected, message=f"{path}, line {line}: {exc}") from None


def _line_of(mod, exc) -> int | None:
    """The line of a ``.mod`` file an error is about: its field, else the named entry (``variables`` and
    ``'y'``: the declaration of ``y``), else the shock a ``variance of e`` message names."""
    candidates = [exc.field]
    if isinstance(exc.value, str):
        candidates.append(f"{exc.field}.{exc.value}")
    if exc.field.startswith("variance of "):
        shock = exc.field.removeprefix("variance of ")
        candidates += [f"shock_var.{shock}", f"shock_std.{shock}"]
    return next((line for c in candidates if (line := mod.line_of(c)) is not None), None)
