"""Walking, reading and printing parse trees (:data:`dsge.model.parser.Node`) without recursion.

Trees from the whitelist parser can be arbitrarily deep (a 1000-term sum is a chain of
1000 ``add`` nodes); every function here keeps an explicit stack, and shared sub-trees
(model-local names inlined in several places) are visited once. Deep trees must not be
compared with ``==`` (Python's tuple comparison recurses); compare :func:`to_text` instead.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["LEAVES", "children", "fold", "node_names", "to_text"]

#: Kinds of the leaf nodes.
LEAVES = frozenset(("num", "var", "shock", "par", "local", "ss"))
_LEAVES = LEAVES
#: A parse-tree node: a tuple whose first item is its kind (see :mod:`dsge.model.parser`).
Node = tuple


def children(node: Node) -> tuple:
    """The sub-expressions of a node (empty for leaves)."""
    kind = node[0]
    if kind in _LEAVES:
        return ()
    if kind == "call":
        return node[2:]
    return node[1:]


def fold(root: Node, leaf: Callable[[Node], object], combine: Callable[[Node, list], object]):
    """Post-order fold of a tree without recursion; shared sub-trees are visited once.

    Parameters
    ----------
    root : Node
    leaf : callable
        ``leaf(node)`` for ``num``, ``var``, ``shock``, ``par`` and ``local`` nodes.
    combine : callable
        ``combine(node, [values of the children])`` for the other nodes.

    Returns
    -------
    object
        The value of ``root``.
    """
    memo: dict[int, object] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        key = id(node)
        if key in memo:
            continue
        if node[0] in _LEAVES:
            memo[key] = leaf(node)
            continue
        subs = children(node)
        if ready:
            memo[key] = combine(node, [memo[id(c)] for c in subs])
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in subs if id(c) not in memo)
    return memo[id(root)]


def node_names(node: Node) -> set[tuple[str, str, int]]:
    """Return the set of ``(kind, name, timing)`` leaves of a tree (timing 0 for parameters, locals and ``ss``)."""
    found: set[tuple[str, str, int]] = set()
    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        kind = n[0]
        if kind in ("var", "shock"):
            found.add((kind, n[1], n[2]))
        elif kind in ("par", "local", "ss"):
            found.add((kind, n[1], 0))
        elif kind != "num":
            stack.extend(children(n))
    return found


# -- printing back to the model-file grammar ------------------------------------------------------
_TEXT_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
_SYMBOL = {"add": " + ", "sub": " - ", "mul": "*", "div": "/", "pow": "^"}


def _leaf_text(node: Node) -> tuple[str, int]:
    kind = node[0]
    if kind in ("var", "shock") and node[2] != 0:
        return f"{node[1]}({node[2]:+d})", 9
    if kind == "ss":
        return f"steady_state({node[1]})", 9
    return str(node[1]), 9


def _combine_text(node: Node, parts: list) -> tuple[str, int]:
    kind = node[0]
    if kind == "call":
        return f"{node[1]}({', '.join(p[0] for p in parts)})", 9
    prec = _TEXT_PREC[kind]
    if kind == "neg":
        (a, pa) = parts[0]
        return "-" + (a if pa > prec else f"({a})"), prec
    (a, pa), (b, pb) = parts
    if kind == "pow":  # right associative: the base needs parentheses at equal precedence
        left = a if pa > prec else f"({a})"
        right = b if pb >= prec else f"({b})"
    else:
        left = a if pa >= prec else f"({a})"
        right = b if pb > prec or (pb == prec and kind in ("add", "mul")) else f"({b})"
    return left + _SYMBOL[kind] + right, prec


def to_text(node: Node) -> str:
    """The tree in the model-file grammar, with the parentheses it needs (``x(+1)``, ``^`` for powers).

    Parsing the result gives the same tree back (numbers keep their text).
    """
    return fold(node, _leaf_text, _combine_text)[0]
