"""Compiling a model: exact derivatives of the parse trees and generated Python code.

The residual of equation ``i`` is ``lhs_i - rhs_i`` as a function of the argument
vector ``v = (y(+1), y, y(-1), eps)`` (each block in variable / shock order of the
expanded model) and of the parameter vector ``p``. The trees go into one
:class:`~dsge.model.expressions.ExprGraph`; every structurally nonzero first derivative
is taken there by forward-mode differentiation, and :func:`~dsge.model.codegen.generate`
writes two straight-line functions (residuals; nonzero Jacobian entries) sharing the
graph's common sub-expressions. Derived parameters, the analytic steady-state block and
the shock covariance become small generated functions of ``p`` too, so a compiled model
changes parameters without being compiled again. Only plain data and code objects are
produced (they are what :mod:`dsge.model.cache` stores).
"""

from __future__ import annotations

from dsge.model.codegen import compile_function, generate
from dsge.model.expressions import ExprGraph, NotFiniteError
from dsge.model.parser import to_text
from geo_sym.errors import ParseError, ValidationError

__all__ = ["compile_spec", "argument_layout"]


def argument_layout(spec) -> dict:
    """Position in ``v`` of each ``("var", name, timing)`` and ``("shock", name, 0)`` key."""
    n = len(spec.variables)
    layout = {}
    for k, name in enumerate(spec.variables):
        layout[("var", name, 1)] = k
        layout[("var", name, 0)] = n + k
        layout[("var", name, -1)] = 2 * n + k
    for k, name in enumerate(spec.shocks):
        layout[("shock", name, 0)] = 3 * n + k
    for k, name in enumerate(spec.variables):  # steady_state(name): the last block of v
        layout[("ss", name, 0)] = 3 * n + len(spec.shocks) + k
    return layout


def _model_functions(spec) -> dict:
    graph = ExprGraph()
    layout = argument_layout(spec)
    pindex = {name: k for k, name in enumerate(spec.parameter_names)}

    def leaf(n):
        if n[0] == "par":
            return graph.parameter(pindex[n[1]])
        if n[0] == "ss":
            return graph.input(layout[("ss", n[1], 0)])
        return graph.input(layout[(n[0], n[1], n[2])])

    residuals = []
    for k, (lhs, rhs) in enumerate(spec.trees):
        try:
            residuals.append(graph.op("sub", graph.from_tree(lhs, leaf), graph.from_tree(rhs, leaf)))
        except NotFiniteError:
            raise ParseError(
                f"equations[{k}]", spec.equations[k], "an equation that is finite as written (no division by zero)"
            ) from None
    index, derivatives = [], []
    for i, r in enumerate(residuals):
        for node in sorted(graph.inputs_of(r), key=lambda m: graph.nodes[m][1]):
            d = graph.diff(r, node)
            if d != graph.zero:
                index.append([i, graph.nodes[node][1]])
                derivatives.append(d)
    return {
        "residual_code": compile_function(generate(graph, residuals, "residual"), "residual"),
        "jacobian_code": compile_function(generate(graph, derivatives, "jacobian"), "jacobian"),
        "jacobian_index": index,
        "graph_size": len(graph.nodes),
    }


def _parameter_function(spec, trees: list, name: str):
    """Code of ``f(v, p) -> [values of trees]`` (trees in parameters, earlier targets and helpers)."""
    graph = ExprGraph()
    pindex = {p: k for k, p in enumerate(spec.parameter_names)}
    env: dict = {}

    def leaf(n):
        if n[0] == "par":  # a parameter the block has already recomputed, else p[k]
            found = env.get(("par", n[1]))
            return graph.parameter(pindex[n[1]]) if found is None else found
        return env[(n[0], n[1])]

    outputs = []
    for target, tree in trees:
        try:
            node = graph.from_tree(tree, leaf)
        except NotFiniteError:
            where = name if target is None else f"{name}.{target}"
            raise ValidationError(where, to_text(tree), "a formula with a finite value") from None
        if target is not None:
            kind = "par" if target in pindex else ("var" if target in spec.variables else "local")
            env[(kind, target)] = node
        outputs.append(node)
    return compile_function(generate(graph, outputs, name), name)


def compile_spec(spec) -> dict:
    """Differentiate the model exactly and generate its numeric code.

    Parameters
    ----------
    spec : dsge.model.spec.ModelSpec

    Returns
    -------
    dict
        Plain data and code objects: ``residual_code`` and ``jacobian_code`` (functions
        ``f(v, p) -> list``), ``jacobian_index`` (``[row, column]`` of the structurally
        nonzero derivatives, columns in the layout of ``v``), ``derived`` (``[parameter
        index, code]`` in dependency order), ``ss_code`` and ``ss_targets`` (the analytic
        steady-state block, or None), ``cov_code`` (the shock covariance, row-major).

    Raises
    ------
    geo_sym.errors.ParseError
        When an equation is not finite as written (e.g. ``1/0``).
    """
    data = _model_functions(spec)
    pindex = {p: k for k, p in enumerate(spec.parameter_names)}
    data["derived"] = [
        [pindex[name], _parameter_function(spec, [(None, tree)], "derived")]
        for name, tree in spec.parameter_formulas.items()
    ]
    block = list(spec.steady_state_model)
    if block:
        data["ss_code"] = _parameter_function(spec, block, "steady_state_model")
        data["ss_targets"] = [[k, spec.variables.index(t)] for k, (t, _) in enumerate(block) if t in spec.variables]
        data["ss_parameters"] = [[k, pindex[t]] for k, (t, _) in enumerate(block) if t in pindex]
    else:
        data["ss_code"], data["ss_targets"], data["ss_parameters"] = None, [], []
    flat = [(None, t) for row in spec.shock_cov_trees for t in row]
    data["cov_code"] = _parameter_function(spec, flat, "shock_cov")
    return data
