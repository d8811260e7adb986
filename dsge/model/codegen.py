"""Python code generated from an expression graph, and its safe reconstruction from the cache.

:func:`generate` writes one straight-line function ``f(v, p) -> list`` computing a list of
graph nodes: one assignment per sub-expression (so common sub-expressions are computed
once and no statement nests deeply, whatever the size of the model), ``math`` functions
for the elementary functions, ``**`` only for integer constant exponents and
``math.pow`` otherwise (a negative base with a fractional exponent raises ``ValueError``
instead of silently giving a complex number). Domain errors (``log`` of a negative
number, division by zero, overflow) therefore surface as Python exceptions that the
steady-state solver treats as an infeasible point, never as ``nan`` or ``inf`` results.

Only code objects are kept (and cached on disk by :mod:`dsge.model.cache`);
:func:`function_from_code` rebuilds a function with a namespace holding nothing but the
functions listed in :data:`NAMESPACE`, and refuses code that refers to anything else.
"""

from __future__ import annotations

import math
import types
from fractions import Fraction

from dsge.model.expressions import ExprGraph

__all__ = ["NAMESPACE", "generate", "compile_function", "function_from_code"]

#: Every global name generated code may use.
NAMESPACE = {
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "sqrt": math.sqrt,
    "fabs": math.fabs,
    "copysign": math.copysign,
    "pow": math.pow,
    "min": min,
    "max": max,
}

_BINARY = {"add": "+", "sub": "-", "mul": "*", "div": "/"}


def _literal(value) -> str:
    text = repr(float(value))
    return f"({text})" if text.startswith("-") else text


def _expression(graph: ExprGraph, entry: tuple, ref) -> str:
    """The right-hand side of one assignment (operands by ``ref``)."""
    kind = entry[0]
    if kind == "in":
        return f"v[{entry[1]}]"
    if kind == "par":
        return f"p[{entry[1]}]"
    if kind in _BINARY:
        return f"{ref(entry[1])} {_BINARY[kind]} {ref(entry[2])}"
    if kind == "neg":
        return f"-{ref(entry[1])}"
    if kind == "pow":
        exponent = graph.value(entry[2])
        if exponent is not None and Fraction(exponent).denominator == 1 and abs(exponent) <= 64:
            return f"{ref(entry[1])} ** {int(exponent)}"
        return f"pow({ref(entry[1])}, {ref(entry[2])})"
    if kind == "select":
        _, rel, a, b, x, y = entry
        return f"{ref(x)} if {ref(a)} {'<=' if rel == 'le' else '>='} {ref(b)} else {ref(y)}"
    if kind == "abs":
        return f"fabs({ref(entry[1])})"
    if kind == "sign":
        a = ref(entry[1])
        return f"0.0 if {a} == 0.0 else copysign(1.0, {a})"
    if kind in ("min", "max"):
        return f"{kind}({ref(entry[1])}, {ref(entry[2])})"
    return f"{kind}({ref(entry[1])})"  # exp, log, log10, sqrt


def generate(graph: ExprGraph, outputs: list[int], name: str = "generated") -> str:
    """Source of ``def name(v, p): ... return [outputs]`` computing the given nodes.

    Parameters
    ----------
    graph : ExprGraph
    outputs : list of int
        Node ids, returned in this order.
    name : str
        Function name.

    Returns
    -------
    str
        Python source using only the names in :data:`NAMESPACE`.
    """
    needed = graph._reachable(outputs)
    lines = [f"def {name}(v, p):"]

    def ref(k: int) -> str:
        entry = graph.nodes[k]
        return _literal(entry[1]) if entry[0] == "const" else f"t{k}"

    for k in needed:
        entry = graph.nodes[k]
        if entry[0] != "const":
            lines.append(f"    t{k} = {_expression(graph, entry, ref)}")
    lines.append("    return [" + ", ".join(ref(k) for k in outputs) + "]")
    return "\n".join(lines) + "\n"


def compile_function(source: str, name: str = "generated") -> types.CodeType:
    """The code object of the function ``name`` defined by ``source``."""
    module = compile(source, f"<dsge:{name}>", "exec")
    for const in module.co_consts:
        if isinstance(const, types.CodeType) and const.co_name == name:
            return const
    raise ValueError(f"no function {name!r} in the generated source")  # pragma: no cover


def function_from_code(code) -> types.FunctionType:
    """Rebuild a generated function from its code object, with only :data:`NAMESPACE` as globals.

    Raises
    ------
    ValueError
        When the code refers to a global outside :data:`NAMESPACE` (a corrupted or
        foreign cache entry).
    """
    if not isinstance(code, types.CodeType):
        raise ValueError("not a code object")
    namespace: dict = {"__builtins__": {}}
    for name in code.co_names:
        if name not in NAMESPACE:
            raise ValueError(f"generated code refers to unexpected global {name!r}")
        namespace[name] = NAMESPACE[name]
    return types.FunctionType(code, namespace, code.co_name)
