"""Symbolic differentiation of a model and generation of its numeric code.

The residual of equation ``i`` is ``lhs_i - rhs_i`` as a function of the
argument vector ``v = (y(+1), y, y(-1), eps)`` (each block in variable /
shock order) and of the parameter vector ``p``. Its exact first derivatives
are taken with ``sympy.diff`` and turned into Python code with
``sympy.lambdify(..., modules="math", cse=True)``. Only the code objects are
kept (and cached on disk by :mod:`dsge.model.cache`), so that a compiled model can be
rebuilt without importing SymPy.
"""

from __future__ import annotations

import math
import types

__all__ = ["compile_spec", "symbols_for", "residual_expressions", "function_from_code"]


def symbols_for(spec) -> dict:
    """SymPy symbols for every ``(kind, name, timing)`` leaf of ``spec``.

    Symbol names are positional (``v3_p``, ``v3``, ``v3_m``, ``e0``, ``p2``) so
    that no user name can collide with a Python keyword or a generated name.
    """
    import sympy as sp

    symbols = {}
    for k, name in enumerate(spec.variables):
        symbols[("var", name, 1)] = sp.Symbol(f"v{k}_p", real=True)
        symbols[("var", name, 0)] = sp.Symbol(f"v{k}", real=True)
        symbols[("var", name, -1)] = sp.Symbol(f"v{k}_m", real=True)
    for k, name in enumerate(spec.shocks):
        symbols[("shock", name, 0)] = sp.Symbol(f"e{k}", real=True)
    for k, name in enumerate(spec.parameter_names):
        symbols[("par", name, 0)] = sp.Symbol(f"p{k}", real=True)
    return symbols


def argument_symbols(spec, symbols) -> tuple[list, list]:
    """The ordered argument vector ``v`` and parameter vector ``p`` of the generated code."""
    n = spec.variables
    v = (
        [symbols[("var", x, 1)] for x in n]
        + [symbols[("var", x, 0)] for x in n]
        + [symbols[("var", x, -1)] for x in n]
        + [symbols[("shock", e, 0)] for e in spec.shocks]
    )
    p = [symbols[("par", q, 0)] for q in spec.parameter_names]
    return v, p


def residual_expressions(spec, symbols=None) -> list:
    """SymPy residuals ``lhs - rhs``, one per equation, built from the parse trees."""
    from dsge.model.parser import to_sympy

    if symbols is None:
        symbols = symbols_for(spec)
    return [to_sympy(lhs, symbols) - to_sympy(rhs, symbols) for lhs, rhs in spec.trees]


def compile_spec(spec) -> dict:
    """Differentiate the model exactly and generate numeric code.

    Parameters
    ----------
    spec : dsge.model.model_file.ModelSpec

    Returns
    -------
    dict
        ``residual_code`` and ``jacobian_code`` (code objects of functions
        ``f(v, p) -> list``), ``jacobian_index`` (list of ``[row, column]`` of
        the structurally nonzero derivatives, columns in the layout of ``v``).

    Raises
    ------
    geo_sym.errors.ParseError
        When an equation is not finite as written (e.g. ``1/0``).
    """
    import sympy as sp

    from geo_sym.errors import ParseError

    symbols = symbols_for(spec)
    v, p = argument_symbols(spec, symbols)
    residuals = residual_expressions(spec, symbols)
    for k, expr in enumerate(residuals):
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise ParseError(
                f"equations[{k}]", spec.equations[k], "an equation that is finite as written (no division by zero)"
            )
    position = {s: j for j, s in enumerate(v)}
    index, derivatives = [], []
    for i, expr in enumerate(residuals):
        for s in sorted(expr.free_symbols & set(v), key=position.__getitem__):
            d = sp.diff(expr, s)
            if d != 0:
                index.append([i, position[s]])
                derivatives.append(d)
    f = sp.lambdify([v, p], residuals, modules="math", cse=True, docstring_limit=0)
    jac = sp.lambdify([v, p], derivatives, modules="math", cse=True, docstring_limit=0)
    return {"residual_code": f.__code__, "jacobian_code": jac.__code__, "jacobian_index": index}


def function_from_code(code) -> types.FunctionType:
    """Rebuild a generated function from its code object with a namespace of ``math`` names only (functions and constants such as ``e``).

    Raises
    ------
    ValueError
        When the code refers to a global that is not a ``math`` function (a
        corrupted or foreign cache entry).
    """
    if not isinstance(code, types.CodeType):
        raise ValueError("not a code object")
    namespace = {"__builtins__": {}}
    for name in code.co_names:
        if hasattr(math, name) and not name.startswith("_"):
            namespace[name] = getattr(math, name)
        else:
            raise ValueError(f"generated code refers to unexpected global {name!r}")
    return types.FunctionType(code, namespace, "generated")
