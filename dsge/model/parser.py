"""Whitelist parser for Dynare-style model equations.

The grammar accepted for one equation is::

    equation := expr "=" expr
    expr     := term  (("+" | "-") term)*
    term     := unary (("*" | "/") unary)*
    unary    := ("+" | "-") unary | power
    power    := primary (("^" | "**") unary)?          (right associative)
    primary  := NUMBER
              | NAME                                   (declared variable, parameter or shock)
              | NAME "(" ["+" | "-"] INTEGER ")"       (timing of a variable: -1, 0 or +1)
              | FUNC "(" expr ")"                       (FUNC is exp, log or sqrt)
              | "(" expr ")"

A real tokenizer and a precedence-climbing parser turn the text into a small
tree of tuples (:data:`Node`); :func:`to_sympy` then builds SymPy objects
programmatically (``sp.Symbol``, ``sp.exp``, ...). Model text is never passed
to Python's evaluator or to SymPy's string parsers, so a model file cannot run
code. Numbers are read exactly (``0.1`` is the rational ``1/10``).

Timing follows Dynare: ``x(+1)`` is the expectation of next period's value,
``x(-1)`` last period's value, ``x`` or ``x(0)`` the current value. Only
variables carry a timing; parameters and shocks never do (shocks are dated
``t``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo_sym.errors import ParseError

__all__ = ["FUNCTIONS", "Token", "tokenize", "parse_formula", "parse_equation", "to_sympy", "node_names"]

#: The only functions an equation may call.
FUNCTIONS = ("exp", "log", "sqrt")

# A node of the parse tree is a tuple whose first item is its kind:
#   ("num", text)                 a decimal number as written
#   ("var", name, timing)         a model variable at timing -1, 0 or +1
#   ("par", name)                 a parameter
#   ("shock", name)               a shock (dated t)
#   ("neg", node)                 unary minus
#   ("add"|"sub"|"mul"|"div"|"pow", left, right)
#   ("call", func, node)          func in FUNCTIONS
Node = tuple

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^()=])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` is ``"num"``, ``"name"``, ``"op"`` or ``"end"``; ``pos`` is a 0-based offset."""

    kind: str
    text: str
    pos: int


class _Context:
    """What the parser needs to know: declared names and where the text comes from."""

    def __init__(self, where: str, text: str, variables, parameters, shocks):
        self.where = where
        self.text = text
        self.variables = set(variables)
        self.parameters = set(parameters)
        self.shocks = set(shocks)

    def fail(self, message: str, expected: str, pos: int | None = None) -> ParseError:
        at = "" if pos is None else f" at column {pos + 1}"
        full = f"{self.where}: {message}{at} in {self.text!r}; expected {expected}"
        return ParseError(self.where, self.text, expected, message=full)


def tokenize(text: str, where: str = "expression") -> list[Token]:
    """Split equation text into tokens.

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
        On any character that is not part of the grammar.
    """
    if not isinstance(text, str):
        raise ParseError(where, text, "an equation written as a string")
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ParseError(
                where,
                text,
                "numbers, declared names, + - * / ^ ** ( ) =",
                message=f"{where}: unexpected character {text[pos]!r} at column "
                f"{pos + 1} in {text!r}; expected numbers, declared names, "
                f"+ - * / ^ ** ( ) =",
            )
        kind = m.lastgroup
        if kind != "ws":
            tokens.append(Token(kind, m.group(kind), pos))
        pos = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    _BINARY = {"+": (1, "add"), "-": (1, "sub"), "*": (2, "mul"), "/": (2, "div")}

    def __init__(self, tokens: list[Token], ctx: _Context):
        self.tokens = tokens
        self.i = 0
        self.ctx = ctx

    # -- helpers -----------------------------------------------------------
    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str, what: str) -> Token:
        tok = self.peek()
        if tok.kind != "op" or tok.text != text:
            raise self.ctx.fail(f"found {_describe(tok)}", what, tok.pos)
        return self.take()

    # -- grammar -----------------------------------------------------------
    def expression(self, min_prec: int = 1) -> Node:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok.kind != "op" or tok.text not in self._BINARY:
                return left
            prec, kind = self._BINARY[tok.text]
            if prec < min_prec:
                return left
            self.take()
            right = self.expression(prec + 1)
            left = (kind, left, right)

    def unary(self) -> Node:
        tok = self.peek()
        if tok.kind == "op" and tok.text in "+-":
            self.take()
            operand = self.unary()
            return ("neg", operand) if tok.text == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.primary()
        tok = self.peek()
        if tok.kind == "op" and tok.text in ("^", "**"):
            self.take()
            return ("pow", base, self.unary())
        return base

    def primary(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            return ("num", tok.text)
        if tok.kind == "op" and tok.text == "(":
            inner = self.expression()
            self.expect(")", "')' closing the parenthesis")
            return inner
        if tok.kind == "name":
            return self.name(tok)
        raise self.ctx.fail(f"found {_describe(tok)}", "a number, a declared name, a function call or '('", tok.pos)

    def name(self, tok: Token) -> Node:
        ctx = self.ctx
        name = tok.text
        nxt = self.peek()
        has_paren = nxt.kind == "op" and nxt.text == "("
        if name in FUNCTIONS:
            if not has_paren:
                raise ctx.fail(f"function {name!r} without an argument", f"{name}(...)", tok.pos)
            self.take()
            arg = self.expression()
            self.expect(")", f"')' closing the argument of {name}")
            return ("call", name, arg)
        if name in ctx.variables:
            timing = self.timing(name) if has_paren else 0
            if timing not in (-1, 0, 1):
                raise ctx.fail(
                    f"variable {name!r} has timing {timing:+d}",
                    "a timing of -1, 0 or +1 (add an auxiliary variable for longer leads or lags)",
                    tok.pos,
                )
            return ("var", name, timing)
        if name in ctx.parameters:
            if has_paren:
                t = self.timing(name)
                raise ctx.fail(f"parameter {name!r} has a timing ({t:+d})", "parameters without a lead or lag", tok.pos)
            return ("par", name)
        if name in ctx.shocks:
            if has_paren:
                t = self.timing(name)
                if t != 0:
                    kind = "lead" if t > 0 else "lag"
                    raise ctx.fail(
                        f"shock {name!r} has a {kind} ({t:+d})", "shocks dated t only (no lead or lag)", tok.pos
                    )
            return ("shock", name)
        declared = sorted(ctx.variables | ctx.parameters | ctx.shocks)
        raise ctx.fail(
            f"unknown name {name!r}",
            "a declared variable, parameter or shock ("
            + ", ".join(declared)
            + ") or one of the functions "
            + ", ".join(FUNCTIONS),
            tok.pos,
        )

    def timing(self, name: str) -> int:
        """Read ``( [+|-] INTEGER )`` after a name; the opening parenthesis is next."""
        open_tok = self.take()
        sign = 1
        tok = self.take()
        if tok.kind == "op" and tok.text in "+-":
            sign = -1 if tok.text == "-" else 1
            tok = self.take()
        if tok.kind != "num" or not tok.text.isdigit():
            raise self.ctx.fail(
                f"the timing of {name!r} is not an integer (found {_describe(tok)})",
                f"{name}(-1), {name}(0) or {name}(+1)",
                open_tok.pos,
            )
        self.expect(")", f"')' closing the timing of {name!r}")
        return sign * int(tok.text)


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "the end of the text"
    return f"{tok.text!r}"


def parse_formula(text: str, *, variables=(), parameters=(), shocks=(), where: str = "expression") -> Node:
    """Parse one expression (no ``=``) into a parse tree.

    Parameters
    ----------
    text : str
        Expression text, e.g. ``"beta*pi(+1) + kappa*x"``.
    variables, parameters, shocks : iterable of str
        Declared names; anything else is rejected.
    where : str
        Field name used in error messages.

    Returns
    -------
    Node
        A tuple tree (see the module docstring).

    Raises
    ------
    ParseError
        Unknown names, bad timing or malformed syntax, naming ``where``, the
        text and what was expected.
    """
    ctx = _Context(where, text, variables, parameters, shocks)
    tokens = tokenize(text, where)
    for tok in tokens:
        if tok.kind == "op" and tok.text == "=":
            raise ctx.fail("found '='", "an expression without '='", tok.pos)
    parser = _Parser(tokens, ctx)
    node = parser.expression()
    end = parser.peek()
    if end.kind != "end":
        raise ctx.fail(
            f"found {_describe(end)} after a complete expression", "an operator or the end of the expression", end.pos
        )
    return node


def parse_equation(text: str, *, variables=(), parameters=(), shocks=(), where: str = "equation") -> tuple[Node, Node]:
    """Parse ``lhs = rhs`` into two parse trees.

    Parameters
    ----------
    text : str
        Equation text with exactly one ``=``.
    variables, parameters, shocks : iterable of str
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
    ctx = _Context(where, text, variables, parameters, shocks)
    tokens = tokenize(text, where)
    eq_positions = [k for k, t in enumerate(tokens) if t.kind == "op" and t.text == "="]
    if len(eq_positions) != 1:
        raise ctx.fail(f"found {len(eq_positions)} '=' signs", "exactly one '=' (lhs = rhs)")
    k = eq_positions[0]
    sides = []
    for part in (tokens[:k] + [Token("end", "", tokens[k].pos)], tokens[k + 1 :]):
        parser = _Parser(part, ctx)
        node = parser.expression()
        end = parser.peek()
        if end.kind != "end":
            raise ctx.fail(
                f"found {_describe(end)} after a complete expression",
                "an operator, '=' or the end of the equation",
                end.pos,
            )
        sides.append(node)
    return sides[0], sides[1]


def node_names(node: Node) -> set[tuple[str, str, int]]:
    """Return the set of ``(kind, name, timing)`` leaves of a parse tree (timing 0 for non-variables)."""
    kind = node[0]
    if kind == "num":
        return set()
    if kind == "var":
        return {("var", node[1], node[2])}
    if kind in ("par", "shock"):
        return {(kind, node[1], 0)}
    if kind == "call":
        return node_names(node[2])
    return set().union(*(node_names(child) for child in node[1:]))


def to_sympy(node: Node, symbols: dict):
    """Build a SymPy expression from a parse tree.

    Parameters
    ----------
    node : Node
        A parse tree from :func:`parse_formula` or :func:`parse_equation`.
    symbols : dict
        Maps ``("var", name, timing)``, ``("par", name, 0)`` and
        ``("shock", name, 0)`` to SymPy symbols.

    Returns
    -------
    sympy.Expr
        Built with ``sp.Add``, ``sp.Mul``, ``sp.Pow``, ``sp.exp``, ... ;
        numbers become exact rationals.
    """
    import sympy as sp

    from geo_sym.economy.numbers import parse_number

    def build(n):
        kind = n[0]
        if kind == "num":
            return parse_number(n[1], "number")
        if kind == "var":
            return symbols[("var", n[1], n[2])]
        if kind in ("par", "shock"):
            return symbols[(kind, n[1], 0)]
        if kind == "neg":
            return -build(n[1])
        if kind == "call":
            arg = build(n[2])
            return {"exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt}[n[1]](arg)
        a, b = build(n[1]), build(n[2])
        if kind == "add":
            return a + b
        if kind == "sub":
            return a - b
        if kind == "mul":
            return a * b
        if kind == "div":
            return a / b
        if kind == "pow":
            return a**b
        raise AssertionError(f"unknown node kind {kind!r}")  # pragma: no cover

    return build(node)
