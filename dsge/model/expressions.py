"""Expression graphs: exact forward-mode differentiation of parsed equations, and evaluation of trees.

:class:`ExprGraph` stores expressions as a hash-consed DAG of integer ids (each distinct
sub-expression once), built from the parser's trees (:mod:`dsge.model.parser`). Its
constructors fold constants and simplify the trivial cases (``x + 0``, ``x * 1``, ``x * 0``,
``x ^ 1``, ``--x``), with exact rational arithmetic (:class:`fractions.Fraction`) wherever
the operands are rational. :meth:`ExprGraph.diff` differentiates a node with respect to
one input by the chain rule applied node by node (forward mode), visiting only the
sub-expressions that depend on that input; the results are nodes of the same graph, so
the residuals and all their derivatives share common sub-expressions when turned into
code by :mod:`dsge.model.codegen`. No SymPy is involved.

Derivatives of the non-smooth functions follow Dynare: ``abs'(x) = sign(x)``,
``sign'(x) = 0``, and ``max(a, b)`` (``min(a, b)``) differentiates along ``a`` when
``a >= b`` (``a <= b``), along ``b`` otherwise.

:func:`evaluate` computes a tree's value directly (parameter formulas, the analytic
steady-state block, initial values): exactly as a :class:`~fractions.Fraction` when only
rational operations are involved, as a float otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from dsge.model.parser import Node, children, fold

__all__ = ["ExprGraph", "evaluate", "NotFiniteError"]

_COMMUTATIVE = ("add", "mul")
_MAX_EXACT_POWER = 64
_FLOAT_CALLS: dict[str, Callable] = {
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "sqrt": math.sqrt,
    "abs": abs,
    "sign": lambda x: 0.0 if x == 0 else math.copysign(1.0, x),
    "min": min,
    "max": max,
}


class NotFiniteError(ArithmeticError):
    """A constant sub-expression has no finite value (``1/0``, ``log(0)``, ``exp(1000)``)."""


def _as_float(value) -> float:
    return float(value)


def _constant_op(op: str, args: tuple):
    """Fold an operation on constants: exact when every operand is a Fraction and the operation is rational."""
    try:
        if all(isinstance(a, Fraction) for a in args):
            exact = _exact_op(op, args)
            if exact is not None:
                return exact
        value = _float_op(op, tuple(_as_float(a) for a in args))
    except (ZeroDivisionError, ValueError, OverflowError) as exc:
        raise NotFiniteError(f"{op} of constants is not finite ({exc})") from None
    if isinstance(value, complex) or not math.isfinite(value):
        raise NotFiniteError(f"{op} of constants is not finite")
    return value


def _exact_op(op: str, args: tuple):
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "div":
        return args[0] / args[1]
    if op == "neg":
        return -args[0]
    if op == "pow" and args[1].denominator == 1 and abs(args[1].numerator) <= _MAX_EXACT_POWER:
        return args[0] ** args[1].numerator
    if op == "abs":
        return abs(args[0])
    if op == "sign":
        return Fraction((args[0] > 0) - (args[0] < 0))
    if op in ("min", "max"):
        return (min if op == "min" else max)(args)
    return None


def _float_op(op: str, args: tuple) -> float:
    if op == "add":
        return args[0] + args[1]
    if op == "sub":
        return args[0] - args[1]
    if op == "mul":
        return args[0] * args[1]
    if op == "div":
        return args[0] / args[1]
    if op == "neg":
        return -args[0]
    if op == "pow":
        return math.pow(args[0], args[1])
    return _FLOAT_CALLS[op](*args)


class ExprGraph:
    """A hash-consed expression DAG with constant folding and forward-mode differentiation.

    Node ids index :attr:`nodes`; a node's operands always have smaller ids, so increasing
    id order is a topological order. Node forms:

    ``("const", value)`` (Fraction or float), ``("in", k)`` (argument ``v[k]``),
    ``("par", k)`` (parameter ``p[k]``), ``("add"|"sub"|"mul"|"div"|"pow", a, b)``,
    ``("neg", a)``, ``(func, a)`` for the unary functions, ``("min"|"max", a, b)`` and
    ``("select", "le"|"ge", a, b, x, y)`` (``x`` if ``a <= b`` (``a >= b``) else ``y``).
    """

    def __init__(self):
        self.nodes: list[tuple] = []
        self._index: dict[tuple, int] = {}
        self._deps: dict[int, frozenset] = {}
        self._numbers: dict[str, int] = {}
        self._order: dict[int, list[int]] = {}
        self.zero = self.const(Fraction(0))
        self.one = self.const(Fraction(1))

    # -- construction ------------------------------------------------------------------------
    def _node(self, key: tuple) -> int:
        found = self._index.get(key)
        if found is not None:
            return found
        self.nodes.append(key)
        self._index[key] = len(self.nodes) - 1
        return len(self.nodes) - 1

    def const(self, value) -> int:
        """A constant node (a Fraction stays exact; floats must be finite)."""
        if isinstance(value, int):
            value = Fraction(value)
        if not isinstance(value, Fraction) and not math.isfinite(value):
            raise NotFiniteError("a constant is not finite")
        return self._node(("const", value))

    def input(self, k: int) -> int:
        """The argument ``v[k]``."""
        return self._node(("in", k))

    def parameter(self, k: int) -> int:
        """The parameter ``p[k]``."""
        return self._node(("par", k))

    def value(self, node: int):
        """The constant value of ``node``, or None when it is not a constant."""
        entry = self.nodes[node]
        return entry[1] if entry[0] == "const" else None

    def op(self, kind: str, *args: int) -> int:
        """An operation node, folded and simplified where possible."""
        values = [self.value(a) for a in args]
        if all(v is not None for v in values):
            return self.const(_constant_op(kind, tuple(values)))
        simple = self._simplify(kind, args, values)
        if simple is not None:
            return simple
        if kind in _COMMUTATIVE and args[0] > args[1]:
            args = (args[1], args[0])
        return self._node((kind, *args))

    def _simplify(self, kind: str, args: tuple, values: list) -> int | None:
        zero, one = self.zero, self.one
        if kind == "div" and args[1] == zero:
            raise NotFiniteError("division by the constant 0")
        if kind == "add":
            if args[0] == zero:
                return args[1]
            if args[1] == zero:
                return args[0]
        elif kind == "sub":
            if args[1] == zero:
                return args[0]
            if args[0] == zero:
                return self.op("neg", args[1])
            if args[0] == args[1]:
                return zero
        elif kind == "mul":
            if zero in args:
                return zero
            if args[0] == one:
                return args[1]
            if args[1] == one:
                return args[0]
        elif kind == "div":
            if args[0] == zero:
                return zero
            if args[1] == one:
                return args[0]
        elif kind == "neg":
            inner = self.nodes[args[0]]
            if inner[0] == "neg":
                return inner[1]
        elif kind == "pow":
            if args[1] == one:
                return args[0]
            if args[1] == zero:
                return one
        return None

    def select(self, relation: str, a: int, b: int, x: int, y: int) -> int:
        """``x if a <= b else y`` (relation ``"le"``) or ``x if a >= b else y`` (``"ge"``)."""
        if x == y:
            return x
        return self._node(("select", relation, a, b, x, y))

    # -- from parse trees ---------------------------------------------------------------------
    def from_tree(self, tree: Node, leaf: Callable[[Node], int]) -> int:
        """Add a parse tree; ``leaf(node)`` gives the id of each ``var``/``shock``/``par`` leaf.

        Raises
        ------
        NotFiniteError
            When a constant sub-expression has no finite value.
        """

        numbers = self._numbers

        def leaf_id(n):
            if n[0] == "num":
                found = numbers.get(n[1])
                if found is None:
                    found = numbers[n[1]] = self.const(Fraction(n[1]))
                return found
            return leaf(n)

        def combine(n, ids):
            kind = n[0]
            if kind == "call":
                return self.op(n[1], *ids)
            return self.op(kind, *ids)

        return fold(tree, leaf_id, combine)

    # -- dependencies and derivatives -----------------------------------------------------------
    def inputs_of(self, node: int) -> frozenset:
        """Ids of the ``in`` nodes that ``node`` depends on."""
        if node in self._deps:
            return self._deps[node]
        order = self._reachable([node])
        for k in order:
            if k in self._deps:
                continue
            entry = self.nodes[k]
            if entry[0] == "in":
                self._deps[k] = frozenset((k,))
            elif entry[0] in ("const", "par"):
                self._deps[k] = frozenset()
            else:
                deps = frozenset()
                for a in self._operands(entry):
                    deps |= self._deps[a]
                self._deps[k] = deps
        return self._deps[node]

    @staticmethod
    def _operands(entry: tuple) -> tuple:
        if entry[0] in ("const", "in", "par"):
            return ()
        if entry[0] == "select":
            return entry[2:]
        return entry[1:]

    def _reachable(self, roots) -> list[int]:
        """Ids reachable from ``roots``, in increasing (topological) order."""
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            k = stack.pop()
            if k in seen:
                continue
            seen.add(k)
            stack.extend(a for a in self._operands(self.nodes[k]) if a not in seen)
        return sorted(seen)

    def diff(self, node: int, wrt: int) -> int:
        """The derivative of ``node`` with respect to the input node ``wrt`` (forward mode).

        Only sub-expressions that depend on ``wrt`` are visited; the result is a node of
        this graph (``self.zero`` when ``node`` does not depend on ``wrt``).
        """
        self.inputs_of(node)
        if wrt not in self._deps[node]:
            return self.zero
        order = self._order.get(node)
        if order is None:
            order = self._order[node] = self._reachable([node])
        d: dict[int, int] = {}
        for k in order:
            if wrt not in self._deps[k]:
                continue
            d[k] = self._diff_node(k, wrt, d)
        return d[node]

    def _diff_node(self, k: int, wrt: int, d: dict) -> int:
        entry = self.nodes[k]
        kind = entry[0]
        if kind == "in":
            return self.one if k == wrt else self.zero
        zero = self.zero
        if kind == "select":
            _, rel, a, b, x, y = entry
            return self.select(rel, a, b, d.get(x, zero), d.get(y, zero))
        args = entry[1:]
        da = [d.get(a, zero) for a in args]
        if kind in ("add", "sub"):
            return self.op(kind, da[0], da[1])
        if kind == "neg":
            return self.op("neg", da[0])
        if kind == "mul":
            return self.op("add", self.op("mul", da[0], args[1]), self.op("mul", args[0], da[1]))
        if kind == "div":
            a, b = args
            quotient = self.op("div", da[0], b)
            if da[1] == zero:
                return quotient
            return self.op("sub", quotient, self.op("div", self.op("mul", a, da[1]), self.op("mul", b, b)))
        if kind == "pow":
            return self._diff_pow(k, args, da)
        return self._diff_call(k, kind, args, da)

    def _diff_pow(self, k: int, args: tuple, da: list) -> int:
        a, b = args
        zero = self.zero
        terms = []
        if da[0] != zero:  # b * a^(b-1) * a'
            exponent = self.value(b)
            reduced = self.op("sub", b, self.one) if exponent is None else self.const(exponent - 1)
            power = self.op("pow", a, reduced)
            terms.append(self.op("mul", self.op("mul", b, power), da[0]))
        if da[1] != zero:  # a^b * log(a) * b'
            terms.append(self.op("mul", self.op("mul", k, self.op("log", a)), da[1]))
        out = zero
        for t in terms:
            out = self.op("add", out, t)
        return out

    def _diff_call(self, k: int, func: str, args: tuple, da: list) -> int:
        a = args[0]
        if func in ("min", "max"):
            relation = "le" if func == "min" else "ge"
            return self.select(relation, a, args[1], da[0], da[1])
        if func == "exp":
            inner = k
        elif func == "log":
            return self.op("div", da[0], a)
        elif func == "log10":
            return self.op("div", da[0], self.op("mul", a, self.const(math.log(10.0))))
        elif func == "sqrt":
            return self.op("div", da[0], self.op("mul", self.const(2), k))
        elif func == "abs":
            inner = self.op("sign", a)
        elif func == "sign":
            return self.zero
        else:  # pragma: no cover - the parser admits no other function
            raise AssertionError(func)
        return self.op("mul", inner, da[0])


def evaluate(tree: Node, lookup: Callable[[Node], object], *, where: str = "expression", exact: bool = True):
    """Evaluate a parse tree: a Fraction when every operation is rational (and ``exact``), else a float.

    Parameters
    ----------
    tree : Node
    lookup : callable
        ``lookup(leaf)`` gives the value of a ``var``, ``shock``, ``par`` or ``local`` leaf
        (a Fraction, int or float).
    where : str
        Named in the error.
    exact : bool
        False: float arithmetic throughout (faster, for values only needed as floats).

    Returns
    -------
    fractions.Fraction or float

    Raises
    ------
    NotFiniteError
        When a step has no finite real value (division by zero, ``log`` of a negative
        number, overflow); the message names ``where``.
    """

    def leaf(n):
        if n[0] == "num":
            return Fraction(n[1]) if exact else float(n[1])
        value = lookup(n)
        if not exact:
            return float(value)
        return Fraction(value) if isinstance(value, int) else value

    def combine(n, args):
        op = n[1] if n[0] == "call" else n[0]
        try:
            return _constant_op(op, tuple(args))
        except NotFiniteError as exc:
            raise NotFiniteError(f"{where}: {exc}") from None

    return fold(tree, leaf, combine)


def tree_size(tree: Node) -> int:
    """Number of nodes of a tree (shared sub-trees counted once)."""
    count = 0
    seen: set[int] = set()
    stack = [tree]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        count += 1
        stack.extend(children(n))
    return count
