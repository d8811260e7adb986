"""Inequalities of the model-file expression grammar, read by a whitelist parser (nothing evaluated as code).

The stability regions that ``geo-sym check`` writes into a corrected statement
(``corrected.evidence.stability_region``, docs/witness-format.md) are unions of conjunctions of strings
``"<expr> > 0"`` / ``"<expr> >= 0"``. This module reads them into exact SymPy polynomials in the named
parameters: numbers (integers and decimals, read exactly), the parameter names given, ``+ - * / ^ **``
and parentheses. Anything else is malformed input naming the string.
"""

from __future__ import annotations

import re

import sympy as sp

from geo_sym.errors import ModelFileError

__all__ = ["Inequality", "read_inequality", "read_union"]

_TOKEN = re.compile(r"\s*(?:(\d+\.\d*|\.\d+|\d+)|([A-Za-z_][A-Za-z_0-9]*)|(\*\*|>=|<=|[-+*/^()<>]))")
_RELATIONS = (">=", ">", "<=", "<")


class Inequality:
    """``lhs rel 0`` with ``lhs`` an exact SymPy expression and ``rel`` one of ``> >= < <=``."""

    __slots__ = ("lhs", "rel", "text")

    def __init__(self, lhs, rel: str, text: str):
        self.lhs, self.rel, self.text = lhs, rel, text

    def __repr__(self) -> str:
        return f"Inequality({self.text!r})"

    def holds(self, env: dict) -> bool:
        """The inequality at a point (rational values of the parameters), decided exactly."""
        v = self.lhs.subs(env)
        if not getattr(v, "is_Rational", False):
            raise ModelFileError("point", env, f"rational values of every parameter of {self.text!r}")
        return {">": v > 0, ">=": v >= 0, "<": v < 0, "<=": v <= 0}[self.rel]


class _Parser:
    def __init__(self, text: str, names: dict, field: str):
        self.field, self.text, self.names = field, text, names
        self.tokens, pos = [], 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            mt = _TOKEN.match(text, pos)
            if not mt:
                self.fail(f"unexpected character {text[pos:].strip()[:1]!r}")
            self.tokens.append(mt.group(1) or mt.group(2) or mt.group(3))
            pos = mt.end()
        self.i = 0

    def fail(self, what: str):
        raise ModelFileError(self.field, self.text, f"an inequality '<expr> > 0' in the named parameters ({what})")

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self):
        tok = self.peek()
        if tok is None:
            self.fail("unexpected end")
        self.i += 1
        return tok

    def expr(self):
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self):
        value = self.unary()
        while self.peek() in ("*", "/"):
            if self.take() == "*":
                value = value * self.unary()
            else:
                den = self.unary()
                if den == 0:
                    self.fail("division by zero")
                value = value / den
        return value

    def unary(self):
        if self.peek() in ("+", "-"):
            return self.unary() if self.take() == "+" else -self.unary()
        return self.power()

    def power(self):
        base = self.atom()
        if self.peek() in ("^", "**"):
            self.take()
            exp = self.unary()
            if not (getattr(exp, "is_Integer", False) and 0 <= exp <= 64):
                self.fail("exponents must be integers 0..64")
            return base**exp
        return base

    def atom(self):
        tok = self.take()
        if tok == "(":
            value = self.expr()
            if self.take() != ")":
                self.fail("')' expected")
            return value
        if tok[0].isdigit() or tok[0] == ".":
            return sp.Rational(tok)
        if tok in self.names:
            return self.names[tok]
        self.fail(f"unknown name {tok!r} (allowed: {', '.join(self.names) or 'none'})")


def read_inequality(text, symbols: dict, field: str) -> Inequality:
    """``"<expr> REL <expr>"`` as an :class:`Inequality` ``lhs − rhs REL 0`` (exact)."""
    if not isinstance(text, str):
        raise ModelFileError(field, text, "an inequality string '<expr> > 0'")
    for rel in _RELATIONS:
        if rel in text:
            left, right = text.split(rel, 1)
            if any(r in right for r in _RELATIONS):
                break
            parsed = [_Parser(side, symbols, field) for side in (left, right)]
            values = []
            for p in parsed:
                values.append(p.expr())
                if p.peek() is not None:
                    p.fail(f"unexpected {p.peek()!r}")
            return Inequality(sp.expand(values[0] - values[1]), rel, text)
    raise ModelFileError(field, text, "an inequality with exactly one of >, >=, <, <=")


def read_union(raw, symbols: dict, field: str) -> list:
    """A list of conjunctions (lists of inequality strings; ``[]`` is true everywhere) as lists of :class:`Inequality`."""
    if not isinstance(raw, list):
        raise ModelFileError(field, raw, "a list of conjunctions (lists of inequality strings)")
    out = []
    for i, conj in enumerate(raw):
        if not isinstance(conj, list):
            raise ModelFileError(f"{field}[{i}]", conj, "a list of inequality strings")
        out.append([read_inequality(t, symbols, f"{field}[{i}][{j}]") for j, t in enumerate(conj)])
    return out
