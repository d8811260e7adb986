"""Model-local names inlined, and leads and lags beyond one period replaced by auxiliary variables.

This is what Dynare's preprocessor does, so that every equation of the expanded model
involves only ``x(-1)``, ``x`` and ``x(+1)`` of its variables and shocks dated ``t``:

* a shock with a lead or a lag, ``e(-j)`` or ``e(+j)``, is replaced by the same timing
  of a new variable ``AUX_EXO_e`` defined by ``AUX_EXO_e = e``;
* a lag ``x(-j)``, ``j >= 2``, by ``AUX_LAG_x_{j-1}(-1)`` with
  ``AUX_LAG_x_1 = x(-1)`` and ``AUX_LAG_x_i = AUX_LAG_x_{i-1}(-1)``;
* a lead ``x(+j)``, ``j >= 2``, by ``AUX_LEAD_x_{j-1}(+1)`` with
  ``AUX_LEAD_x_1 = x(+1)`` and ``AUX_LEAD_x_i = AUX_LEAD_x_{i-1}(+1)``.

Auxiliary variables come after the declared ones (as in Dynare); their steady state is
that of their source (zero for shocks). Results are reported for the declared
variables; the linearization and the solution carry the auxiliaries too.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsge.model.parser import Node, fold

__all__ = ["AuxiliaryVariable", "inline_locals", "expand_timings", "shift_timing"]


@dataclass(frozen=True)
class AuxiliaryVariable:
    """An auxiliary variable: ``name_t = source_{t+shift}``.

    Attributes
    ----------
    name : str
    kind : str
        ``"lag"``, ``"lead"`` (of a variable) or ``"shock"`` (a shock, or a lead or lag of one).
    source : str
        The declared variable or shock it stands for.
    shift : int
        ``name_t`` equals ``source`` at ``t + shift`` (negative for lags).
    """

    name: str
    kind: str
    source: str
    shift: int


def _rebuild(node: Node, leaf_map) -> Node:
    """A copy of ``node`` with leaves replaced by ``leaf_map(leaf)``; unchanged parts are shared."""

    def combine(n, kids):
        old = n[2:] if n[0] == "call" else n[1:]
        if all(a is b for a, b in zip(kids, old)):
            return n
        return (n[0], n[1], *kids) if n[0] == "call" else (n[0], *kids)

    return fold(node, leaf_map, combine)


def inline_locals(tree: Node, definitions: dict) -> Node:
    """Replace every ``("local", name)`` leaf by its (already inlined) definition tree."""
    return _rebuild(tree, lambda n: definitions[n[1]] if n[0] == "local" else n)


def shift_timing(tree: Node, names: set, shift: int) -> Node:
    """Add ``shift`` to the timing of every variable in ``names`` (Dynare's ``predetermined_variables``)."""
    return _rebuild(tree, lambda n: (n[0], n[1], n[2] + shift) if n[0] == "var" and n[1] in names else n)


def _unique(name: str, taken: set) -> str:
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _timings(trees) -> dict[str, tuple[int, int]]:
    """Variable -> (largest lead, largest lag) over all equations."""
    from dsge.model.parser import node_names

    span: dict[str, tuple[int, int]] = {}
    for lhs, rhs in trees:
        for kind, name, t in node_names(lhs) | node_names(rhs):
            if kind == "var":
                lead, lag = span.get(name, (0, 0))
                span[name] = (max(lead, t), max(lag, -t))
    return span


def expand_timings(variables: tuple, trees: list, taken: set):
    """Expand shocks with a timing and leads/lags beyond one period into auxiliary variables.

    Parameters
    ----------
    variables : tuple of str
        Declared variables.
    trees : list of (Node, Node)
        Equations as ``(lhs, rhs)`` with locals already inlined.
    taken : set of str
        Every name in use (declared names, parameters, shocks); extended in place.

    Returns
    -------
    variables : tuple of str
        Declared then auxiliary variables.
    trees : list of (Node, Node)
        The rewritten equations followed by one definition per auxiliary variable.
    aux : tuple of AuxiliaryVariable
    """
    from dsge.model.parser import node_names

    aux: list[AuxiliaryVariable] = []
    defs: list[tuple[Node, Node]] = []
    shock_aux: dict[str, str] = {}
    leaves = [node_names(lhs) | node_names(rhs) for lhs, rhs in trees]

    def shock_leaf(n):
        if n[0] != "shock" or n[2] == 0:
            return n
        if n[1] not in shock_aux:
            name = _unique(f"AUX_EXO_{n[1]}", taken)
            shock_aux[n[1]] = name
            aux.append(AuxiliaryVariable(name, "shock", n[1], 0))
            defs.append((("var", name, 0), ("shock", n[1], 0)))
        return ("var", shock_aux[n[1]], n[2])

    trees = [
        (_rebuild(lhs, shock_leaf), _rebuild(rhs, shock_leaf))
        if any(k == "shock" and t for k, _, t in names)
        else (lhs, rhs)
        for (lhs, rhs), names in zip(trees, leaves)
    ]
    trees += defs
    span = _timings(trees)
    replace: dict[tuple[str, int], Node] = {}
    shock_of = {a.name: a.source for a in aux}
    for var in list(variables) + [a.name for a in aux]:
        lead, lag = span.get(var, (0, 0))
        for direction, depth in ((1, lead), (-1, lag)):
            prev = ("var", var, direction)
            for j in range(1, depth):
                kind = "lead" if direction > 0 else "lag"
                name = _unique(f"AUX_{kind.upper()}_{var}_{j}", taken)
                if var in shock_of:  # a lead or lag of a shock: still a shock, at t + shift
                    aux.append(AuxiliaryVariable(name, "shock", shock_of[var], direction * j))
                else:
                    aux.append(AuxiliaryVariable(name, kind, var, direction * j))
                trees.append((("var", name, 0), prev))
                prev = ("var", name, direction)
                replace[(var, direction * (j + 1))] = prev

    def timing_leaf(n):
        if n[0] == "var":
            return replace.get((n[1], n[2]), n)
        return n

    if replace:
        trees = [(_rebuild(lhs, timing_leaf), _rebuild(rhs, timing_leaf)) for lhs, rhs in trees]
    return tuple(variables) + tuple(a.name for a in aux), trees, tuple(aux)
