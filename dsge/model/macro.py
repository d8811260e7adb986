r"""Dynare's macro processor, the subset real ``.mod`` files use: conditionals, defines, loops, includes.

Dynare runs its macro processor over a ``.mod`` file before reading it. This module does the
same for the directives that calibration switches and repeated equations need:

* ``@#define NAME = EXPR`` (integers, reals, ``true``/``false``, ``"strings"``, arrays
  ``[a, b]`` and ranges ``a:b``);
* ``@#if EXPR``, ``@#ifdef NAME``, ``@#ifndef NAME``, ``@#elseif EXPR``, ``@#else``,
  ``@#endif`` (nested);
* ``@#for NAME in EXPR`` ... ``@#endfor`` (``EXPR`` an array or a range);
* ``@#include "file"`` (relative to the including file's folder, else to the folders of earlier
  ``@#includepath "folder"`` directives);
* ``@#echo "text"`` (kept as a note) and ``@#error "text"`` (an error);
* ``@{EXPR}`` inside ordinary text, replaced by the value.

Expressions are read by a small whitelist parser (literals, defined names, ``defined(NAME)``,
``length(ARRAY)``, ``+ - * /`` (``+`` and ``-`` also join arrays and remove elements: ``[1, 2] - [2]``),
``x in ARRAY``, comparisons, ``&& || !``, parentheses, arrays, ranges and 1-based
indexing ``a[2]``, ``a[1:2]``);
nothing is evaluated by Python's ``eval``. Anything else — macro functions, ``@#define``
without ``=``, comprehensions — is one :class:`~geo_sym.errors.ModelFileError` naming the
directive and its line. Line numbers of the expanded text map back to the file's lines.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from geo_sym.errors import ModelFileError

__all__ = ["expand", "decode"]

_DIRECTIVE = re.compile(r"^[ \t]*@#[ \t]*([A-Za-z]+)\b(.*)$")
_INLINE = re.compile(r"@\{([^}]*)\}")
_TOKEN = re.compile(r"""\s*(?:(\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)|("[^"]*"|'[^']*')|"""
                    r"""([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/<>!()\[\],:^]))""")  # fmt: skip
_MAX_INCLUDE_DEPTH = 16
#: blocks (@#if, @#for) nested deeper than this, or expressions nested deeper than _MAX_EXPR_DEPTH, are errors
#: (the expansion is recursive: no RecursionError reaches the user)
_MAX_NESTING = 50
_MAX_EXPR_DEPTH = 40
_MAX_LINES = 1_000_000
#: lines read (loop bodies once per pass, block scans included) and files included, at most: loops without
#: output (nested ranges, bodies of @#define only) and files including themselves must end, not hang
_MAX_STEPS = 1_000_000
_MAX_INCLUDES = 1000
_MAX_INCLUDE_BYTES = 10_000_000
#: characters of expanded text, at most (a line such as @{1:1000000} is 7 MB)
_MAX_CHARS = 20_000_000


class _Fail(Exception):
    """An expression the subset does not read (turned into a ModelFileError with the line)."""


class _Expr:
    """Recursive-descent reader of one macro expression over the current definitions."""

    def __init__(self, text: str, env: dict):
        self.tokens, pos = [], 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                raise _Fail(text[pos:].strip()[:30])
            self.tokens.append(next((k, g) for k, g in enumerate(m.groups()) if g is not None))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.k, self.env, self.depth = 0, env, 0

    def value(self):
        if not self.tokens:
            raise _Fail("an empty expression")
        out = self._or()
        if self.k != len(self.tokens):
            raise _Fail(self.tokens[self.k][1])
        return out

    def _peek(self):
        return self.tokens[self.k][1] if self.k < len(self.tokens) else None

    def _take(self, *ops):
        if self._peek() in ops and self.tokens[self.k][0] == 3:
            self.k += 1
            return self.tokens[self.k - 1][1]
        return None

    def _chain(self, op: str, operand, combine):
        left = operand()
        while self._take(op):
            left = combine(left, operand())
        return left

    def _or(self):
        return self._chain("||", self._and, lambda a, b: _truth(a) or _truth(b))

    def _and(self):
        return self._chain("&&", self._compare, lambda a, b: _truth(a) and _truth(b))

    def _compare(self):
        left = self._membership()
        op = self._take("==", "!=", "<", ">", "<=", ">=")
        if op is None:
            return left
        right = self._membership()
        if op in ("==", "!="):
            return _same(left, right) == (op == "==")
        a, b = _number(left), _number(right)
        return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]

    def _membership(self):
        """``x in ARRAY`` (Dynare 5: binds tighter than comparisons, looser than ranges: ``2 in 1:3`` is true)."""
        left = self._range()
        if self._peek() == "in" and self.tokens[self.k][0] == 2:
            self.k += 1
            right = self._range()
            if not isinstance(right, list):
                raise _Fail(f"{_text(right)} after 'in' (an array)")
            return any(_same(left, item) for item in right)
        return left

    def _range(self):
        left = self._sum()
        if self._take(":"):
            lo, hi = _number(left), _number(self._sum())
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo != int(lo) or hi != int(hi) or hi - lo > _MAX_LINES:
                raise _Fail(f"{lo:g}:{hi:g} (a range of integers, at most a million of them)")
            return list(range(int(lo), int(hi) + 1))
        return left

    def _sum(self):
        left = self._product()
        while (op := self._take("+", "-")) is not None:
            right = self._product()
            if op == "+" and isinstance(left, str) and isinstance(right, str):
                left = left + right
                if len(left) > 1_000_000:  # doubling a string in a loop would fill the memory
                    raise _Fail("a string of more than a million characters")
            elif isinstance(left, list) and isinstance(right, list):  # Dynare 5: concatenation, difference
                left = left + right if op == "+" else [x for x in left if not any(_same(x, y) for y in right)]
                if len(left) > _MAX_LINES:  # doubling an array in a loop would fill the memory
                    raise _Fail("an array of more than a million elements")
            else:
                left = float(_number(left)) + _number(right) if op == "+" else float(_number(left)) - _number(right)
        return left

    def _product(self):
        left = self._unary()
        while (op := self._take("*", "/")) is not None:
            right = _number(self._unary())
            if op == "/" and right == 0:
                raise _Fail("a division by zero")
            left = float(_number(left)) * right if op == "*" else _number(left) / right
        return left

    def _nested(self):
        self.depth += 1
        if self.depth > _MAX_EXPR_DEPTH:
            raise _Fail(f"an expression nested more than {_MAX_EXPR_DEPTH} deep")

    def _unary(self):
        self._nested()
        try:
            return self._unary_operand()
        finally:
            self.depth -= 1

    def _unary_operand(self):
        if self._take("!"):
            return not _truth(self._unary())
        if self._take("-"):
            return -_number(self._unary())
        if self._take("+"):
            return _number(self._unary())
        return self._atom()

    def _atom(self):
        if self.k >= len(self.tokens):
            raise _Fail("an incomplete expression")
        kind, text = self.tokens[self.k]
        self.k += 1
        if kind == 0:  # numbers are doubles, as in Dynare's macro processor (no unbounded integers)
            return float(text)
        if kind == 1:
            return text[1:-1]
        if kind == 2:
            return self._indexed(self._name(text))
        if text == "(":
            inner = self._or()
            if not self._take(")"):
                raise _Fail("a missing ')'")
            return inner
        if text == "[":
            items = []
            while not self._take("]"):
                if items and not self._take(","):
                    raise _Fail("a missing ',' or ']'")
                items.append(self._or())
            return items
        raise _Fail(text)

    def _indexed(self, value):
        """``value[i]`` (1-based, as in Dynare) or ``value[i:j]`` / ``value[[i, j]]`` for arrays and strings."""
        while self._peek() == "[" and self.tokens[self.k][0] == 3:
            self.k += 1
            index = self._or()
            if not self._take("]"):
                raise _Fail("a missing ']'")
            if not isinstance(value, (list, str)):
                raise _Fail(f"{_text(value)} indexed (only arrays and strings are)")
            picks = index if isinstance(index, list) else [index]
            items = []
            for i in picks:
                i = _number(i)
                if i != int(i) or not 1 <= i <= len(value):
                    raise _Fail(f"index {_text(i)} outside 1..{len(value)}")
                items.append(value[int(i) - 1])
            value = items[0] if not isinstance(index, list) else ("".join(items) if isinstance(value, str) else items)
        return value

    def _name(self, name: str):
        if name in ("true", "false"):
            return name == "true"
        if name in ("defined", "length") and self._take("("):
            if name == "defined":
                if self.k >= len(self.tokens) or self.tokens[self.k][0] != 2:
                    raise _Fail("defined(NAME)")
                found = self.tokens[self.k][1] in self.env
                self.k += 1
            else:
                inner = self._or()
                if not isinstance(inner, (list, str)):
                    raise _Fail("length of something that is not an array or a string")
                found = len(inner)
            if not self._take(")"):
                raise _Fail("a missing ')'")
            return found
        if name not in self.env:
            raise _Fail(f"{name} (not defined)")
        return self.env[name]


def _same(a, b) -> bool:
    """Dynare's ``==`` on macro values: numbers by value, strings and arrays (element by element) by content."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, str) or isinstance(b, str) or isinstance(a, list) or isinstance(b, list):
        return type(a) is type(b) and a == b
    return _number(a) == _number(b)


def _truth(value) -> bool:
    if isinstance(value, (bool, int, float)):
        return bool(value)
    raise _Fail(f"{_text(value)} used as a condition")


def _number(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    raise _Fail(f"{_text(value)} used as a number")


def _text(value) -> str:
    """The text ``@{...}`` puts in the file, as Dynare 5 prints it (15 significant digits; integers without a point)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Fail(f"{value} (a number that is not finite)")
        return format(value, ".15g")  # as Dynare 5 writes it: 1/3 is 0.333333333333333, 0.1 + 0.2 is 0.3
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    return str(value)


def decode(data: bytes) -> str:
    """UTF-8 text, else Latin-1 (older ``.mod`` files carry accented names in their comments)."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark is not text of the file
    except UnicodeDecodeError:
        return data.decode("latin-1")


class _Expander:
    def __init__(self, source: str, env: dict | None, prepare):
        self.source, self.env, self.prepare = source, dict(env or {}), prepare
        self.nesting = self.steps = self.includes = self.chars = 0
        self.out: list[str] = []
        self.where: list[int] = []
        self.notes: list[str] = []
        #: folders of @#includepath directives, searched (in order) after the including file's folder
        self.include_paths: list[Path] = []

    def fail(self, line: int, what: str, expected: str, source: str | None = None) -> ModelFileError:
        return ModelFileError(f"{source or self.source}, line {line}", what, expected)

    def evaluate(self, text: str, line: int, source: str, *, as_text: bool = False):
        """The value of the expression ``text`` (``as_text``: the text ``@{text}`` writes for it)."""
        try:
            value = _Expr(text, self.env).value()
            return _text(value) if as_text else value
        except _Fail as exc:
            raise self.fail(line, str(exc), "a macro expression the supported subset reads", source) from None

    def text_of(self, expr: str, line: int, source: str) -> str:
        """The text of the value of ``expr`` (as ``@{expr}`` writes it)."""
        return self.evaluate(expr, line, source, as_text=True)

    def substitute(self, text: str, line: int, source: str) -> str:
        if "@{" not in text:
            return text
        return _INLINE.sub(lambda m: self.text_of(m.group(1), line, source), text)

    def step(self, count: int, line: int, source: str) -> None:
        """Count ``count`` lines of work; past :data:`_MAX_STEPS` the expansion is an error (never a hang)."""
        self.steps += count
        if self.steps > _MAX_STEPS:
            raise self.fail(
                line,
                "over a million macro steps",
                "a smaller expansion (fewer loop passes or includes)",
                source,
            )

    def run(self, lines: list[tuple[str, int]], source: str, depth: int) -> None:
        """Expand ``(text, line)`` pairs into :attr:`out` (block structure checked, loops unrolled)."""
        k = 0
        while k < len(lines):
            text, line = lines[k]
            self.step(1, line, source)
            m = _DIRECTIVE.match(text)
            if m is None:
                self.emit(self.substitute(text, line, source), line)
                k += 1
                continue
            word, rest = m.group(1), m.group(2).strip()
            if word in ("if", "ifdef", "ifndef"):
                k = self.conditional(lines, k, source, depth)
            elif word == "for":
                k = self.loop(lines, k, source, depth)
            elif word == "define":
                self.define(rest, line, source)
                k += 1
            elif word == "include":
                self.include(rest, line, source, depth)
                k += 1
            elif word == "includepath":
                self.include_path(rest, line, source)
                k += 1
            elif word == "echo":
                self.notes.append(f"line {line}: @#echo {self.text_of(rest, line, source)}")
                k += 1
            elif word == "error":
                raise self.fail(line, f"@#error {self.text_of(rest, line, source)}", "a file without @#error", source)
            elif word in ("elseif", "else", "endif", "endfor"):
                raise self.fail(line, f"@#{word}", "a matching @#if or @#for before it", source)
            else:
                raise self.fail(line, f"@#{word}", _SUPPORTED, source)

    def emit(self, text: str, line: int) -> None:
        self.chars += len(text)
        if len(self.out) >= _MAX_LINES or self.chars > _MAX_CHARS:
            raise self.fail(line, "a macro expansion over a million lines or 20 MB", "a smaller expansion")
        self.out.append(text)
        self.where.append(line)

    def define(self, rest: str, line: int, source: str) -> None:
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)", rest, re.S)
        if m is None:
            raise self.fail(line, f"@#define {rest}"[:60], "@#define NAME = EXPRESSION (no macro functions)", source)
        self.env[m.group(1)] = self.evaluate(m.group(2), line, source)

    def include(self, rest: str, line: int, source: str, depth: int) -> None:
        name = self.evaluate(rest, line, source)
        if not isinstance(name, str):
            raise self.fail(line, f"@#include {rest}", "a file name in quotes", source)
        if depth >= _MAX_INCLUDE_DEPTH:
            raise self.fail(line, f"@#include {rest}", f"includes nested at most {_MAX_INCLUDE_DEPTH} deep", source)
        self.includes += 1
        if self.includes > _MAX_INCLUDES:
            raise self.fail(
                line, f"more than {_MAX_INCLUDES} @#include", "fewer includes (a file including itself?)", source
            )
        path = self._find(name, source)
        try:
            size = path.stat().st_size
            if not path.is_file():  # a folder, a device (/dev/zero) or a pipe would never end or not be text
                raise self.fail(line, f"@#include {rest}", "a regular file", source)
            if size > _MAX_INCLUDE_BYTES:
                raise self.fail(line, f"@#include {rest}", "a file of at most 10 MB", source)
            data = path.read_bytes()
        except OSError as exc:
            raise self.fail(line, f"@#include {rest}", f"a readable file ({exc.strerror})", source) from None
        if b"\x00" in data:
            raise self.fail(line, f"@#include {rest}", "a text file (it has a NUL byte)", source)
        self.notes.append(f"line {line}: included {path}")
        start = len(self.out)
        text = self.prepare(decode(data))
        self.run(list(zip(text.split("\n"), range(1, text.count("\n") + 2))), str(path), depth + 1)
        self.where[start:] = [line] * (len(self.out) - start)  # errors in it point at the @#include

    def include_path(self, rest: str, line: int, source: str) -> None:
        """``@#includepath "folder"`` (relative to the file's folder, where Dynare runs): searched by later includes."""
        folder = self.evaluate(rest, line, source)
        if not isinstance(folder, str):
            raise self.fail(line, f"@#includepath {rest}", "a folder name in quotes", source)
        self.include_paths.append(Path(source).parent / folder)

    def _find(self, name: str, source: str) -> Path:
        """The file ``@#include`` reads: in the including file's folder, else in the first @#includepath that has it."""
        first = Path(source).parent / name
        if first.exists():
            return first
        return next((f for f in (d / name for d in self.include_paths) if f.exists()), first)

    def _block(
        self, lines, k: int, opening: tuple, closing: str, source: str
    ) -> tuple[list[tuple[int, str, str]], int]:
        """Directive positions ``(index, word, rest)`` at depth 0 from ``k`` to the matching ``closing``."""
        marks, depth = [], 0
        for j in range(k, len(lines)):
            m = _DIRECTIVE.match(lines[j][0])
            if m is None:
                continue
            self.step(1, lines[j][1], source)
            word = m.group(1)
            if word in opening:
                depth += 1
            elif word in ("endif", "endfor"):
                depth -= 1
            if depth == 0:
                if word != closing:
                    raise self.fail(
                        lines[j][1], f"@#{word}", f"@#{closing} closing the block of line {lines[k][1]}", source
                    )
                marks.append((j, word, m.group(2).strip()))
                return marks, j
            if depth == 1 and (j == k or word in ("elseif", "else")):
                marks.append((j, word, m.group(2).strip()))
        raise self.fail(lines[k][1], f"@#{_DIRECTIVE.match(lines[k][0]).group(1)}", f"a matching @#{closing}", source)

    def nest(self, line: int, source: str) -> None:
        self.nesting += 1
        if self.nesting > _MAX_NESTING:
            raise self.fail(line, f"macro blocks nested more than {_MAX_NESTING} deep", "shallower @#if/@#for", source)

    def _nested(self, block, lines, k: int, source: str, depth: int) -> int:
        """Run ``block`` (an @#if or @#for at line ``k``) one nesting level deeper."""
        self.nest(lines[k][1], source)
        try:
            return block(lines, k, source, depth)
        finally:
            self.nesting -= 1

    def conditional(self, lines, k: int, source: str, depth: int) -> int:
        return self._nested(self._conditional, lines, k, source, depth)

    def loop(self, lines, k: int, source: str, depth: int) -> int:
        return self._nested(self._loop, lines, k, source, depth)

    def _conditional(self, lines, k: int, source: str, depth: int) -> int:
        marks, end = self._block(lines, k, ("if", "ifdef", "ifndef", "for"), "endif", source)
        for (_, before, _), (j, word, _) in zip(marks, marks[1:-1]):
            if before == "else":  # Dynare: "unexpected ELSEIF/ELSE, expecting ENDIF"
                raise self.fail(lines[j][1], f"@#{word} after @#else", "@#endif closing the @#if", source)
        for (j, word, rest), (nxt, _, _) in zip(marks, marks[1:]):
            line = lines[j][1]
            if word == "else":
                taken = True
            elif word in ("ifdef", "ifndef"):
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", rest) is None:
                    raise self.fail(line, f"@#{word} {rest}"[:60], f"@#{word} NAME", source)
                taken = (rest in self.env) == (word == "ifdef")
            elif word in ("if", "elseif"):
                taken = _truth_at(self, rest, line, source)
            else:
                raise self.fail(line, f"@#{word}", "@#elseif, @#else or @#endif inside @#if", source)
            if taken:
                self.run(lines[j + 1 : nxt], source, depth)
                break
        return end + 1

    def _loop(self, lines, k: int, source: str, depth: int) -> int:
        marks, end = self._block(lines, k, ("if", "ifdef", "ifndef", "for"), "endfor", source)
        line, rest = lines[k][1], marks[0][2]
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.*)", rest, re.S)
        if m is None:
            raise self.fail(line, f"@#for {rest}"[:60], "@#for NAME in ARRAY_OR_RANGE", source)
        values = self.evaluate(m.group(2), line, source)
        if not isinstance(values, list):
            raise self.fail(line, f"@#for {rest}"[:60], "a loop over an array or a range a:b", source)
        for value in values:
            self.step(1, line, source)
            self.env[m.group(1)] = value
            self.run(lines[k + 1 : end], source, depth)
        return end + 1


def _truth_at(expander: _Expander, text: str, line: int, source: str) -> bool:
    value = expander.evaluate(text, line, source)
    try:
        return _truth(value)
    except _Fail as exc:
        raise expander.fail(line, str(exc), "a condition that is true or false", source) from None


def _read_defines(defines: dict | None, source: str) -> dict:
    out = {}
    for name, value in (defines or {}).items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
            raise ModelFileError(f"{source}: define", str(name), "a macro name (letters, digits, _)")
        try:
            out[str(name)] = _Expr(value, {}).value() if isinstance(value, str) else _define_value(value)
        except _Fail as exc:
            raise ModelFileError(
                f"{source}: define {name}", str(exc), 'a macro value: a number, true/false or "text"'
            ) from None
    return out


def _define_value(value):
    """A define given as a Python value: a bool, a finite number (as a double) or a list of them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        number = float(value) if not isinstance(value, int) or abs(value) < 2**1023 else math.inf
        if not math.isfinite(number):
            raise _Fail(f"{value!r} (a number that is not finite)")
        return number
    if isinstance(value, (list, tuple)):
        return [v if isinstance(v, str) else _define_value(v) for v in value]
    raise _Fail(f"{value!r}")


_SUPPORTED = (
    "a supported macro directive: define, if, ifdef, ifndef, elseif, else, endif, for, endfor, include, "
    "includepath, echo, error"
)


def expand(
    text: str, source: str = "model.mod", defines: dict | None = None, prepare=lambda t: t
) -> tuple[str, list[int], list[str]]:
    """Run the macro processor over ``text``.

    Parameters
    ----------
    text : str
        The file's text, comments already removed (so a commented-out directive does nothing).
    source : str
        The file's path (messages; the folder of ``@#include``).
    defines : dict, optional
        Names defined before the file is read (Dynare's ``-DNAME=VALUE``): a string value is read
        as a macro expression (``"1"``, ``"true"``, ``'"text"'``), other values are taken as they are.
    prepare : callable, optional
        Applied to the text of each included file first (the caller's comment removal).

    Returns
    -------
    text : str
        The expanded text (the input itself when it has no ``@``).
    lines : list of int
        For each line of the expanded text, the line of ``source`` it comes from.
    notes : list of str
        ``@#echo`` messages and included files.

    Raises
    ------
    geo_sym.errors.ModelFileError
        On a directive or an expression outside the subset, an unmatched block, a name
        used before its ``@#define``, or ``@#error``.
    """
    raw = text.split("\n")
    if "@" not in text:
        return text, list(range(1, len(raw) + 1)), []
    expander = _Expander(source, _read_defines(defines, source), prepare)
    expander.run(list(zip(raw, range(1, len(raw) + 1))), source, 0)
    return "\n".join(expander.out), expander.where, expander.notes
