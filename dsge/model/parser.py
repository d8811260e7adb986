"""Whitelist parser for Dynare-style model expressions.

The grammar accepted for one equation is::

    equation := expr "=" expr
    expr     := term  (("+" | "-") term)*
    term     := unary (("*" | "/") unary)*
    unary    := ("+" | "-") unary | power
    power    := primary (("^" | "**") unary)?          (right associative)
    primary  := NUMBER
              | NAME                                   (declared variable, parameter, shock or local)
              | NAME "(" ["+" | "-"] INTEGER ")"       (timing of a variable or shock)
              | FUNC "(" expr ")"                       (exp, log, ln, log10, sqrt, abs, sign)
              | FUNC2 "(" expr "," expr ")"             (min, max)
              | "(" expr ")"

A regular-expression tokenizer and an operator-precedence (shunting-yard) parser turn
the text into a small tree of tuples (:data:`Node`). The parser keeps explicit stacks
instead of recursing, so a 1000-term sum or 1000 nested parentheses parse like any
other text; every function in this module that walks a tree (:func:`fold`,
:func:`node_names`, :func:`to_text`, :func:`to_sympy`) is iterative as well.
Model text is never passed to Python's evaluator or to SymPy's string parsers, so a
model file cannot run code. Numbers are checked when read: a literal that overflows
(``1e400``) or underflows to zero (``1e-400``) is an error, never ``inf`` or ``0``.

Timing follows Dynare: ``x(+1)`` is the expectation at ``t`` of next period's value,
``x(-1)`` last period's value, ``x`` or ``x(0)`` the current value. Variables and
shocks may carry any timing up to :data:`MAX_TIMING` periods; leads and lags beyond
one period (and any lead or lag of a shock) are turned into auxiliary variables by
:mod:`dsge.model.auxiliary`, as Dynare does. Parameters and model-local names never
carry a timing.

Node kinds (the first item of each tuple):

=====================================  ===================================================
``("num", text)``                      a decimal number as written
``("var", name, timing)``              a model variable at an integer timing
``("shock", name, timing)``            a shock (timing 0 unless written otherwise)
``("par", name)``                      a parameter
``("local", name)``                    a model-local name (Dynare ``#``) or a helper of
                                       the steady-state block
``("ss", name)``                       ``steady_state(name)``: the variable's steady-state
                                       value (a constant of the dynamic model, the
                                       variable itself in the static one), as in Dynare
``("neg", a)``                         unary minus
``("add"|"sub"|"mul"|"div"|"pow", a, b)``  binary operators
``("call", func, a)``                  ``func`` in :data:`UNARY_FUNCTIONS`
``("call", func, a, b)``               ``func`` in :data:`BINARY_FUNCTIONS` (``min``, ``max``)
=====================================  ===================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from dsge.model.trees import children, fold, node_names, to_text
from geo_sym.economy.files import MAX_NUMBER_DIGITS
from geo_sym.errors import ParseError

__all__ = [
    "FUNCTIONS",
    "UNARY_FUNCTIONS",
    "BINARY_FUNCTIONS",
    "MAX_TIMING",
    "Node",
    "Token",
    "tokenize",
    "parse_formula",
    "parse_equation",
    "name_kinds",
    "fold",
    "children",
    "node_names",
    "to_text",
    "to_sympy",
    "number_value",
]

#: Functions of one argument an expression may call (``ln`` is read as ``log``).
UNARY_FUNCTIONS = ("exp", "log", "log10", "sqrt", "abs", "sign")
#: Functions of two arguments.
BINARY_FUNCTIONS = ("min", "max")
_ALIASES = {"ln": "log"}
#: Every function name (reserved: no variable, parameter or shock may use one).
FUNCTIONS = UNARY_FUNCTIONS + BINARY_FUNCTIONS + tuple(_ALIASES)
#: Largest lead or lag accepted (each period beyond one costs an auxiliary variable).
MAX_TIMING = 100

Node = tuple

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^()=,])
    """,
    re.VERBOSE,
)

# binary operators: token -> (precedence, node kind, right associative)
_BINARY = {
    "+": (1, "add", False),
    "-": (1, "sub", False),
    "*": (2, "mul", False),
    "/": (2, "div", False),
    "^": (4, "pow", True),
    "**": (4, "pow", True),
}
_NEG_PREC = 3  # unary minus: tighter than * and /, looser than ^ (so -x^2 = -(x^2))


class Token(NamedTuple):
    """One token: ``kind`` is ``"num"``, ``"name"``, ``"op"`` or ``"end"``; ``pos`` is a 0-based offset."""

    kind: str
    text: str
    pos: int


def number_value(text: str) -> float:
    """The float value of a number literal; raises ``ValueError`` when it is not finite or underflows to 0.

    A literal of more than :data:`~geo_sym.economy.files.MAX_NUMBER_DIGITS` digits is refused the same way.
    """
    if sum(ch.isdigit() for ch in text) > MAX_NUMBER_DIGITS:
        raise ValueError(f"has more than {MAX_NUMBER_DIGITS} digits")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("overflows a double")
    if value == 0.0 and any(c in "123456789" for c in text.lower().split("e")[0]):
        raise ValueError("underflows to zero in a double")
    return value


class _Context:
    """What the parser needs to know: the kind of each declared name and where the text comes from."""

    def __init__(self, where: str, text: str, kinds: Mapping[str, str], timed: bool):
        self.where = where
        self.text = text
        self.kinds = kinds
        self.timed = timed

    def fail(self, message: str, expected: str, pos: int | None = None) -> ParseError:
        at = "" if pos is None else f" at column {pos + 1}"
        full = f"{self.where}: {message}{at} in {self.text!r}; expected {expected}"
        return ParseError(self.where, self.text, expected, message=full)


def tokenize(text: str, where: str = "expression") -> list[Token]:
    """Split expression text into tokens.

    Parameters
    ----------
    text : str
        The equation or expression text.
    where : str
        Field name used in error messages, e.g. ``"equations[2]"``.

    Returns
    -------
    list of Token
        Ends with a token of kind ``"end"``.

    Raises
    ------
    ParseError
        On any character that is not part of the grammar, or a number that is not a
        finite nonzero double when written nonzero.
    """
    if not isinstance(text, str):
        raise ParseError(where, text, "an expression written as a string")
    tokens: list[Token] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            break
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        value = m.group(kind)
        if kind == "num":
            _check_number(value, m.start(), text, where)
        tokens.append(Token(kind, value, m.start()))
    if pos < len(text):
        expected = "numbers, declared names, + - * / ^ ** ( ) , ="
        raise ParseError(
            where,
            text,
            expected,
            message=f"{where}: unexpected character {text[pos]!r} at column {pos + 1} in {text!r}; expected {expected}",
        )
    tokens.append(Token("end", "", len(text)))
    return tokens


def _abbreviated(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[:40]}...{text[-12:]} ({len(text)} characters)"


def _check_number(value: str, pos: int, text: str, where: str) -> None:
    try:
        number_value(value)
    except ValueError as exc:
        expected = (
            f"a number of at most {MAX_NUMBER_DIGITS} digits representable as a finite nonzero double "
            "(about 1e-308 to 1e308)"
        )
        raise ParseError(
            where,
            text,
            expected,
            message=f"{where}: the number {_abbreviated(value)} {exc} at column {pos + 1} in "
            f"{_abbreviated(text)!r}; expected {expected}",
        ) from None


def _describe(tok: Token) -> str:
    return "the end of the text" if tok.kind == "end" else repr(tok.text)


class _Parser:
    """Shunting-yard parser over a token list (no recursion, any nesting depth)."""

    def __init__(self, tokens: list[Token], ctx: _Context):
        self.tokens = tokens
        self.i = 0
        self.ctx = ctx
        self.out: list[Node] = []
        # operator stack entries: ("bin", prec, kind, right, pos) | ("neg", pos) | ("(", pos, func, n_before)
        self.ops: list[tuple] = []

    def peek(self, k: int = 0) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def parse(self) -> Node:
        expect_operand = True
        while True:
            tok = self.peek()
            if expect_operand:
                expect_operand = self._operand(tok)
                continue
            if tok.kind == "op" and tok.text in _BINARY:
                self._binary(tok)
                expect_operand = True
            elif tok.kind == "op" and tok.text == ")":
                self._close(tok)
            elif tok.kind == "op" and tok.text == ",":
                self._comma(tok)
                expect_operand = True
            elif tok.kind == "end" or (tok.kind == "op" and tok.text == "="):
                return self._finish(tok)
            else:
                raise self.ctx.fail(
                    f"found {_describe(tok)} after a complete expression",
                    "an operator or the end of the expression",
                    tok.pos,
                )
            self.i += 1

    # -- operands ---------------------------------------------------------------------------
    def _operand(self, tok: Token) -> bool:
        """Consume what may start an operand; returns whether an operand is still expected."""
        ctx = self.ctx
        if tok.kind == "num":
            self.out.append(("num", tok.text))
            self.i += 1
            return False
        if tok.kind == "name":
            return self._name(tok)
        if tok.kind == "op" and tok.text == "(":
            self.ops.append(("(", tok.pos, None, len(self.out)))
            self.i += 1
            return True
        if tok.kind == "op" and tok.text in "+-":
            if tok.text == "-":
                self.ops.append(("neg", tok.pos))
            self.i += 1
            return True
        raise ctx.fail(f"found {_describe(tok)}", "a number, a declared name, a function call or '('", tok.pos)

    def _name(self, tok: Token) -> bool:
        """A name: a function call (returns True: its argument comes next) or a leaf (returns False)."""
        ctx = self.ctx
        name = tok.text
        nxt = self.peek(1)
        has_paren = nxt.kind == "op" and nxt.text == "("
        func = _ALIASES.get(name, name)
        if func in UNARY_FUNCTIONS or func in BINARY_FUNCTIONS:
            if not has_paren:
                raise ctx.fail(f"function {name!r} without an argument", f"{name}(...)", tok.pos)
            self.ops.append(("(", nxt.pos, func, len(self.out)))
            self.i += 2
            return True
        kind = ctx.kinds.get(name)
        if kind is None and name == "steady_state" and has_paren and ctx.timed:
            return self._steady_state(tok)
        if kind is None:
            declared = sorted(ctx.kinds)
            what = "a declared variable, parameter or shock" if ctx.timed else "a declared name"
            raise ctx.fail(
                f"unknown name {name!r}",
                f"{what} ({', '.join(declared) or 'none declared'}) or one of the functions " + ", ".join(FUNCTIONS),
                tok.pos,
            )
        timing = 0
        if has_paren:
            timing = self._timing(name, kind, tok)
        else:
            self.i += 1
        if kind in ("var", "shock"):
            self.out.append((kind, name, timing))
        else:
            self.out.append((kind, name))
        return False

    def _steady_state(self, tok: Token) -> bool:
        """``steady_state ( VARIABLE )`` (the name and its parenthesis are next): an ``("ss", VARIABLE)`` leaf."""
        arg, close = self.peek(2), self.peek(3)
        if not (
            arg.kind == "name" and self.ctx.kinds.get(arg.text) == "var" and close.kind == "op" and close.text == ")"
        ):
            raise self.ctx.fail(
                f"found steady_state followed by {_describe(arg)}",
                "steady_state(VARIABLE) of a declared variable",
                tok.pos,
            )
        self.out.append(("ss", arg.text))
        self.i += 4
        return False

    def _timing(self, name: str, kind: str, tok: Token) -> int:
        """Read ``( [+|-] INTEGER )`` after a name (the parenthesis is next) and check it is allowed."""
        ctx = self.ctx
        open_tok = self.peek(1)
        k = 2
        sign = 1
        t = self.peek(k)
        if t.kind == "op" and t.text in "+-":
            sign = -1 if t.text == "-" else 1
            k += 1
            t = self.peek(k)
        if t.kind != "num" or not t.text.isdigit():
            raise ctx.fail(
                f"the timing of {name!r} is not an integer (found {_describe(t)})",
                f"{name}(-1), {name}(0) or {name}(+1)",
                open_tok.pos,
            )
        close = self.peek(k + 1)
        if close.kind != "op" or close.text != ")":
            raise ctx.fail(f"found {_describe(close)}", f"')' closing the timing of {name!r}", close.pos)
        timing = sign * int(t.text)
        self.i += k + 2
        if kind in ("par", "local"):
            what = "parameter" if kind == "par" else "local name"
            raise ctx.fail(f"{what} {name!r} has a timing ({timing:+d})", f"a {what} without a lead or lag", tok.pos)
        if not ctx.timed and timing != 0:
            raise ctx.fail(f"{name!r} has a timing ({timing:+d})", "names without a lead or lag here", tok.pos)
        if abs(timing) > MAX_TIMING:
            raise ctx.fail(
                f"{kind} {name!r} has timing {timing:+d}", f"a lead or lag of at most {MAX_TIMING} periods", tok.pos
            )
        return timing

    # -- operators --------------------------------------------------------------------------
    def _apply(self, entry: tuple) -> None:
        if entry[0] == "neg":
            a = self.out.pop()
            self.out.append(("neg", a))
            return
        _, _, kind, _, _ = entry
        b = self.out.pop()
        a = self.out.pop()
        self.out.append((kind, a, b))

    def _binary(self, tok: Token) -> None:
        prec, kind, right = _BINARY[tok.text]
        while self.ops:
            top = self.ops[-1]
            if top[0] == "(":
                break
            top_prec = _NEG_PREC if top[0] == "neg" else top[1]
            if top_prec > prec or (top_prec == prec and not right):
                self._apply(self.ops.pop())
            else:
                break
        self.ops.append(("bin", prec, kind, right, tok.pos))

    def _pop_to_paren(self, tok: Token, what: str) -> tuple:
        while self.ops and self.ops[-1][0] != "(":
            self._apply(self.ops.pop())
        if not self.ops:
            raise self.ctx.fail(f"found {_describe(tok)} without a matching '('", what, tok.pos)
        return self.ops[-1]

    def _close(self, tok: Token) -> None:
        _, pos, func, n_before = self._pop_to_paren(tok, "an operator or the end of the expression")
        self.ops.pop()
        args = len(self.out) - n_before
        if func is None:
            return
        want = 2 if func in BINARY_FUNCTIONS else 1
        if args != want:
            raise self.ctx.fail(
                f"{func} called with {args} argument{'s' if args != 1 else ''}",
                f"{func}({', '.join(['x', 'y'][:want])})",
                pos,
            )
        arguments = self.out[n_before:]
        del self.out[n_before:]
        self.out.append(("call", func, *arguments))

    def _comma(self, tok: Token) -> None:
        _, pos, func, n_before = self._pop_to_paren(tok, "',' only between the arguments of min or max")
        if func not in BINARY_FUNCTIONS or len(self.out) - n_before != 1:
            raise self.ctx.fail("found ','", "',' only between the two arguments of min(x, y) or max(x, y)", tok.pos)

    def _finish(self, tok: Token) -> Node:
        while self.ops:
            entry = self.ops.pop()
            if entry[0] == "(":
                closing = f"the argument of {entry[2]}" if entry[2] else "the parenthesis"
                raise self.ctx.fail(f"found {_describe(tok)}", f"')' closing {closing}", tok.pos)
            self._apply(entry)
        if len(self.out) != 1:  # pragma: no cover - the state machine guarantees one operand
            raise self.ctx.fail("malformed expression", "a single expression", tok.pos)
        return self.out[0]


def name_kinds(variables=(), parameters=(), shocks=(), locals_=()) -> dict[str, str]:
    """Name -> kind (``var``, ``par``, ``shock``, ``local``): build once, pass as ``kinds=`` to many parses."""
    kinds: dict[str, str] = {}
    for kind, names in (("local", locals_), ("shock", shocks), ("par", parameters), ("var", variables)):
        for name in names:
            kinds[name] = kind
    return kinds


def _parse_tokens(tokens: list[Token], ctx: _Context) -> Node:
    parser = _Parser(tokens, ctx)
    node = parser.parse()
    end = parser.peek()
    if end.kind != "end":
        raise ctx.fail(f"found {_describe(end)} after a complete expression", "the end of the expression", end.pos)
    return node


def parse_formula(
    text: str,
    *,
    variables: Iterable[str] = (),
    parameters: Iterable[str] = (),
    shocks: Iterable[str] = (),
    locals: Iterable[str] = (),
    timed: bool = True,
    where: str = "expression",
    kinds: Mapping[str, str] | None = None,
) -> Node:
    """Parse one expression (no ``=``) into a parse tree.

    Parameters
    ----------
    text : str
        Expression text, e.g. ``"beta*pi(+1) + kappa*x"``.
    variables, parameters, shocks, locals : iterable of str
        Declared names; anything else is rejected.
    kinds : mapping, optional
        The same as :func:`name_kinds` of the declared names (then the four name lists
        are ignored): cheaper when many expressions share the declarations.
    timed : bool
        Whether variables and shocks may carry a lead or lag (False for parameter
        formulas and the steady-state block).
    where : str
        Field name used in error messages.

    Returns
    -------
    Node
        A tuple tree (see the module docstring).

    Raises
    ------
    ParseError
        Unknown names, bad timing, bad numbers or malformed syntax, naming ``where``,
        the text and what was expected.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = repr(text)
    ctx = _Context(
        where, text, kinds if kinds is not None else name_kinds(variables, parameters, shocks, locals), timed
    )
    tokens = tokenize(text, where)
    for tok in tokens:
        if tok.kind == "op" and tok.text == "=":
            raise ctx.fail("found '='", "an expression without '='", tok.pos)
    return _parse_tokens(tokens, ctx)


def parse_equation(
    text: str,
    *,
    variables: Iterable[str] = (),
    parameters: Iterable[str] = (),
    shocks: Iterable[str] = (),
    locals: Iterable[str] = (),
    where: str = "equation",
    kinds: Mapping[str, str] | None = None,
) -> tuple[Node, Node]:
    """Parse ``lhs = rhs`` into two parse trees.

    Parameters
    ----------
    text : str
        Equation text with exactly one ``=``.
    variables, parameters, shocks, locals : iterable of str
        Declared names.
    where : str
        Field name used in error messages, e.g. ``"equations[3]"``.

    Returns
    -------
    tuple of Node
        ``(lhs, rhs)``; the residual of the equation is ``lhs - rhs``.

    Raises
    ------
    ParseError
        When the number of ``=`` is not one, or either side is malformed.
    """
    ctx = _Context(
        where,
        text if isinstance(text, str) else repr(text),
        kinds if kinds is not None else name_kinds(variables, parameters, shocks, locals),
        True,
    )
    tokens = tokenize(text, where)
    eq_positions = [k for k, t in enumerate(tokens) if t.kind == "op" and t.text == "="]
    if len(eq_positions) != 1:
        raise ctx.fail(f"found {len(eq_positions)} '=' signs", "exactly one '=' (lhs = rhs)")
    k = eq_positions[0]
    lhs = _parse_tokens(tokens[:k] + [Token("end", "", tokens[k].pos)], ctx)
    rhs = _parse_tokens(tokens[k + 1 :], ctx)
    return lhs, rhs


# -- SymPy ------------------------------------------------------------------------------------
def to_sympy(node: Node, symbols: dict):
    """Build a SymPy expression from a parse tree (for symbolic work outside the hot path).

    Parameters
    ----------
    node : Node
        A parse tree from :func:`parse_formula` or :func:`parse_equation`.
    symbols : dict
        Maps ``("var", name, timing)``, ``("shock", name, timing)``, ``("par", name, 0)``
        and ``("local", name, 0)`` to SymPy expressions (usually symbols).

    Returns
    -------
    sympy.Expr
        Built with ``sp.Add``, ``sp.Mul``, ``sp.Pow``, ``sp.exp``, ``sp.Abs``, ``sp.Min``, ...;
        numbers become exact rationals.
    """
    import sympy as sp

    from geo_sym.economy.numbers import parse_number

    calls = {
        "exp": sp.exp,
        "log": sp.log,
        "log10": lambda a: sp.log(a, 10),
        "sqrt": sp.sqrt,
        "abs": sp.Abs,
        "sign": sp.sign,
        "min": sp.Min,
        "max": sp.Max,
    }

    def leaf(n):
        kind = n[0]
        if kind == "num":
            return parse_number(n[1], "number")
        if kind in ("var", "shock"):
            return symbols[(kind, n[1], n[2])]
        return symbols[(kind, n[1], 0)]

    def combine(n, args):
        kind = n[0]
        if kind == "call":
            return calls[n[1]](*args)
        if kind == "neg":
            return -args[0]
        a, b = args
        if kind == "add":
            return a + b
        if kind == "sub":
            return a - b
        if kind == "mul":
            return a * b
        if kind == "div":
            return a / b
        return a**b

    return fold(node, leaf, combine)
