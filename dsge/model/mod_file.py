"""Dynare ``.mod`` files: the common first-order subset, read into the model-file mapping.

Supported statements (anything else is one error naming the statement and its line):

* declarations ``var``, ``varexo``, ``parameters`` (names may carry a ``$\\LaTeX$`` name,
  kept, and ``(long_name='...')``-style attributes, ignored), ``predetermined_variables``
  (timings shifted as Dynare does: ``k`` becomes ``k(-1)``, ``k(+1)`` becomes ``k``);
* parameter assignments ``beta = 1/(1+r);`` (formulas, read in order as Dynare runs them: ``a = 0.1; b = a; a = 0.2;`` gives ``b = 0.1``, ``c = c*2;`` doubles the earlier ``c``, a shocks block keeps the values of the parameters where it stands);
* ``model;`` / ``model(linear);`` blocks with ``# name = expr;`` model-local variables,
  equation tags ``[name='...']`` (ignored) and equations without ``=`` (read as ``= 0``);
* ``initval;`` (starting values), ``steady_state_model;`` (analytic steady state, with
  helper names), ``shocks;`` (``var e; stderr x;``, ``var e = v;``, ``var e, u = c;``,
  ``corr e, u = r;``; shocks not listed have variance 0, as in Dynare);
* ``steady;``, ``check;``, ``resid;`` and ``stoch_simul(options) [variables];`` with the
  options of :data:`STOCH_SIMUL_OPTIONS` (``order=1`` only);
* output-only commands (``write_latex_*``, ``model_info``) are accepted and ignored, with
  a note.

Comments ``//``, ``%`` and ``/* */`` are removed first. Expressions are handed to the
whitelist parser of :mod:`dsge.model.parser`; no MATLAB/Octave code is ever run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dsge.model.macro import decode, expand
from dsge.model.mod_options import (
    CHECK_OPTIONS,
    IGNORED_OPTIONS,
    MODEL_OPTIONS,
    STEADY_OPTIONS,
    STOCH_SIMUL_OPTIONS,
    read_option,
    split_options,
)
from dsge.model.mod_options import names as list_names
from dsge.model.mod_shocks import SIGMA_E, UNTERMINATED, finish_shocks, merge_sigma_e, shocks_statement, sigma_e
from geo_sym.errors import ModelFileError

__all__ = ["ModFile", "read_mod", "read_mod_file", "STOCH_SIMUL_OPTIONS"]

_OUTPUT_ONLY = (
    "write_latex_steady_state_model",
    "write_latex_prior_table",
    "collect_latex_files",
    "write_latex_dynamic_model",
    "write_latex_static_model",
    "write_latex_original_model",
    "write_latex_definitions",
    "write_latex_parameter_table",
    "model_info",
    "model_diagnostics",
    "resid",
    "model_local_variable",
)


@dataclass(frozen=True)
class ModFile:
    """A ``.mod`` file read into the model-file mapping.

    Attributes
    ----------
    data : dict
        The mapping in the YAML format (:mod:`dsge.model.model_file`); formulas are strings.
    notes : tuple of str
        Statements accepted but ignored.
    lines : dict
        Field of the mapping (``"equations[3]"``, ``"parameters.beta"``, ...) -> line in the file.
    """

    data: dict
    notes: tuple = ()
    lines: dict = field(default_factory=dict, repr=False)

    def line_of(self, field_name: str) -> int | None:
        """The line of the file that a field of :attr:`data` (or one inside it) comes from."""
        key = field_name
        while key:
            if key in self.lines:
                return self.lines[key]
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return None


# -- lexing ----------------------------------------------------------------------------------------
_LEX = re.compile(r"""('[^']*'|"[^"]*"|\$[^$]*\$)|(//[^\n]*|%[^\n]*|/\*.*?(?:\*/|\Z))|(;)""", re.S)


def _strip_comments(text: str) -> str:
    """Comments replaced by spaces (newlines kept, so line numbers stay right); quotes respected."""

    def blank(m):
        if m.group(2) is None:
            return m.group(0)
        return "".join(ch if ch == "\n" else " " for ch in m.group(2))

    return _LEX.sub(blank, text)


def _statements(text: str, source: str, where: list[int] | None = None) -> list[tuple[str, int]]:
    """``(statement, line)`` pairs split at ``;`` outside quotes.

    ``where``: the file's line of each line of ``text`` (after macro expansion); default the identity.
    """
    text = _strip_comments(text)
    out = _split_statements(text)
    return out if where is None else [(stmt, where[min(line, len(where)) - 1]) for stmt, line in out]


def _split_statements(text: str) -> list[tuple[str, int]]:
    """Statements split at ``;``; text after the last ``;`` is a last statement ending in ``;`` (see ``_UNTERMINATED``)."""
    out, start = [], 0
    line, counted = 1, 0
    for m in _LEX.finditer(text):
        if m.group(3) is None:
            continue
        chunk = text[start : m.start()]
        stripped = chunk.strip()
        if stripped:
            first = start + len(chunk) - len(chunk.lstrip())
            line += text.count("\n", counted, first)
            counted = first
            out.append((" ".join(stripped.split()), line))
        start = m.end()
    tail = text[start:]
    if tail.strip():
        line = text.count("\n", 0, start + len(tail) - len(tail.lstrip())) + 1
        out.append((" ".join(tail.split()) + _UNTERMINATED, line))
    return out


#: the longest parameter formula that reassignments (see _Reader._reassigned_parameter) may build
_MAX_FORMULA = 100_000
_WORD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*")
_UNTERMINATED = UNTERMINATED


def _head(stmt: str):
    """``(word, options or None, rest)`` of a statement ``word(options) rest`` (balanced parentheses).

    ``word`` is lower-cased: Dynare's keywords are case-insensitive (``PARAMETERS``, ``TeX``).
    """
    m = _WORD.match(stmt)
    if m is None:
        return "", None, stmt
    pos = m.end()
    if pos >= len(stmt) or stmt[pos] != "(":
        return m.group(1).lower(), None, stmt[pos:].strip()
    depth, quote = 0, None
    for j in range(pos, len(stmt)):
        c = stmt[j]
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return m.group(1).lower(), stmt[pos + 1 : j], stmt[j + 1 :].strip()
    return m.group(1).lower(), stmt[pos + 1 :], None  # no ')': the caller's error


class _Reader:
    """State of one pass over the statements."""

    def __init__(self, source: str):
        self.source = source
        self.d: dict = {
            "name": Path(source).stem,
            "variables": [],
            "shocks": [],
            "parameters": {},
            "locals": {},
            "equations": [],
        }
        self.declared_params: list[str] = []
        self.latex: dict[str, str] = {}
        self.notes: list[str] = []
        self.lines: dict[str, int] = {}
        self.predetermined: list[str] = []
        self.shock_scale: dict[str, tuple[str, str]] = {}
        self.shock_pairs: dict[frozenset, tuple[str, str, str, str]] = {}
        #: observed variables (varobs, anywhere in the file): a shocks entry on one is a measurement error
        self.observed: set[str] = set()
        #: the value of a 'periods N;' statement (stoch_simul's periods unless it sets its own)
        self.periods: tuple[int, int] | None = None

    def fail(self, line: int, what, expected: str) -> ModelFileError:
        return ModelFileError(f"{self.source}, line {line}", what, expected)

    def _failure(self, line: int, what):
        """``expected -> ModelFileError`` for one statement (used by the option readers)."""
        return lambda expected: self.fail(line, what, expected)

    # -- declarations ------------------------------------------------------------------------------
    def declare(self, kind: str, rest: str, line: int) -> None:
        names = []
        tokens = re.findall(r"\$[^$]*\$|\((?:'[^']*'|\"[^\"]*\"|[^)'\"])*\)|'[^']*'|[A-Za-z_][A-Za-z0-9_]*|,|\S", rest)
        for tok in tokens:
            if tok == "," or tok.startswith("("):
                continue
            if tok.startswith("$"):
                if names:
                    self.latex[names[-1]] = tok.strip("$").strip()
                continue
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", tok):
                raise self.fail(line, tok, f"a name in the {kind} declaration")
            names.append(tok)
        target = {"var": "variables", "varexo": "shocks"}.get(kind)
        for name in names:
            self.lines[f"{target or 'parameters'}.{name}"] = line
        if kind == "parameters":
            self.declared_params += names
        elif kind == "predetermined_variables":
            self.predetermined += names
        else:
            self.d[target] += names

    # -- top-level statements ------------------------------------------------------------------------
    def assignment(self, stmt: str, line: int) -> None:
        name, _, expr = stmt.partition("=")
        name = name.strip()
        if name in self.d["variables"] or name in self.d["shocks"]:
            raise self.fail(line, stmt, "an assignment to a declared parameter (or a supported statement)")
        if name not in self.declared_params:  # a MATLAB variable, usable in later formulas as Dynare allows
            self.declared_params.append(name)
            self.notes.append(f"line {line}: {name} is assigned but not declared; it is used as a parameter")
        if name in self.d["parameters"]:
            expr = self._reassigned_parameter(name, expr, line)
        self.d["parameters"][name] = expr.strip()
        self.lines[f"parameters.{name}"] = line

    def _reassigned_parameter(self, name: str, expr: str, line: int) -> str:
        """``name`` assigned again: what used its earlier value keeps it (Dynare runs the assignments in order).

        Dynare writes ``a = 0.1; b = a; a = 0.2;`` into its driver in that order, so ``b`` is 0.1, and
        ``c = c*2;`` doubles the earlier ``c``; a shocks block evaluates its values where it stands. The
        earlier formula, in parentheses, replaces ``name`` in those formulas and in ``expr``.
        """
        freeze = self._freezer(self.d["parameters"][name], name, expr, line)
        params = self.d["parameters"]
        for other in params:
            if other != name:
                params[other] = freeze(params[other])
        for shock, (key, value, at) in self.shock_scale.items():
            self.shock_scale[shock] = (key, freeze(value), at)
        for pair, (key, a, b, value, at) in self.shock_pairs.items():
            self.shock_pairs[pair] = (key, a, b, freeze(value), at)
        self.notes.append(f"line {line}: parameter {name} assigned again (earlier uses keep its earlier value)")
        return freeze(expr)

    def _freezer(self, earlier: str, name: str, expr: str, line: int):
        """``text -> text`` with ``name`` replaced by ``(earlier)`` (bounded in length)."""
        word, earlier = re.compile(rf"\b{re.escape(name)}\b"), f"({earlier})"

        def freeze(text: str) -> str:
            if word.search(text) is None:
                return text
            out = word.sub(lambda _: earlier, text)
            if len(out) > _MAX_FORMULA:
                raise self.fail(line, f"{name} = {expr.strip()}"[:60], "formulas of at most 100000 characters")
            return out

        return freeze

    def model_statement(self, stmt: str, line: int) -> None:
        if stmt.startswith("#"):
            name, eq, expr = stmt[1:].partition("=")
            if not eq:
                raise self.fail(line, stmt, "a model-local variable '# name = expression'")
            self.d["locals"][name.strip()] = expr.strip()
            self.lines[f"locals.{name.strip()}"] = line
            return
        if stmt.startswith("["):
            close = stmt.find("]")
            if close < 0:
                raise self.fail(line, stmt, "an equation tag closed by ']'")
            stmt = stmt[close + 1 :].strip()
        if "=" not in stmt:
            if re.match(
                r"(var|varexo|parameters|model|shocks|initval|endval|steady_state_model|steady|check|"
                r"stoch_simul)\b",
                stmt,
            ):
                raise self.fail(
                    line, stmt, "an equation; a statement of its own: close the model block with 'end;' first"
                )
            stmt = f"{stmt} = 0"
        self.lines[f"equations[{len(self.d['equations'])}]"] = line
        self.d["equations"].append(stmt)

    def value_statement(self, block: str, stmt: str, line: int) -> None:
        name, eq, expr = stmt.partition("=")
        name = name.strip()
        if not eq or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise self.fail(line, stmt, f"'name = expression;' in the {block} block")
        key = "steady_state" if block == "initval" else "steady_state_model"
        if block == "initval" and name in self.d["shocks"]:
            if not re.fullmatch(r"[+-]?(0+\.?0*|\.0+)(e[+-]?\d+)?", expr.strip(), re.I):
                raise self.fail(line, stmt, "initval of an exogenous variable only at 0 (its steady state)")
            self.notes.append(f"line {line}: initval of the exogenous {name} = 0 is its steady state already")
            return
        values = self.d.setdefault(key, {})
        if block == "steady_state_model" and name in values:
            expr = self._reassigned(values, name, expr, line)
        elif name in values:  # initval runs in order too: y = y*2 doubles the earlier y, as in Dynare
            freeze = self._freezer(values[name], name, expr, line)
            values.update({k: freeze(v) for k, v in values.items() if k != name})
            expr = freeze(expr)
        values[name] = expr.strip()
        self.lines[f"{key}.{name}"] = line

    def _reassigned(self, values: dict, name: str, expr: str, line: int) -> str:
        """``name`` assigned again in steady_state_model: its earlier value becomes a helper (Dynare reads the block in order).

        Returns ``expr`` with ``name`` (its earlier value) renamed; formulas already read are renamed too.
        """
        taken = set(values) | set(self.d["variables"]) | set(self.d["shocks"]) | set(self.declared_params)
        earlier = next(f"{name}__{k}" for k in range(1, len(taken) + 2) if f"{name}__{k}" not in taken)
        word = re.compile(rf"\b{re.escape(name)}\b")
        renamed = {(earlier if k == name else k): word.sub(earlier, v) for k, v in values.items()}
        values.clear()
        values.update(renamed)
        self.lines[f"steady_state_model.{earlier}"] = self.lines.pop(f"steady_state_model.{name}", line)
        self.notes.append(f"line {line}: {name} assigned again in steady_state_model (its earlier value is {earlier})")
        return word.sub(earlier, expr)

    def stoch_simul(self, options: str | None, rest: str, line: int) -> None:
        opts: dict = {}
        for item in split_options(options or ""):
            key, eq, value = item.partition("=")
            key, value = key.strip().lower(), value.strip()
            kind = STOCH_SIMUL_OPTIONS.get(key)
            if kind is None:
                if key in IGNORED_OPTIONS:
                    self.notes.append(f"line {line}: stoch_simul option {key} ignored ({IGNORED_OPTIONS[key]})")
                    continue
                raise self.fail(line, key, "a supported stoch_simul option: " + ", ".join(STOCH_SIMUL_OPTIONS))
            opts[key] = read_option(kind, key, value, eq, self._failure(line, f"{key}={value}"))
        if "qz_criterium" in opts:
            self.d.setdefault("tolerance", {})["unit_circle"] = float(opts.pop("qz_criterium")) - 1.0
            self.lines["tolerance.unit_circle"] = line
        if opts.get("order", 1) != 1:
            raise self.fail(line, f"order={opts['order']}", "order=1 (first-order perturbation only)")
        if "order" not in opts:
            self.notes.append(
                f"line {line}: stoch_simul has no order option: Dynare's default is order=2, geo-sym solves at order 1 "
                "(Dynare's order-2 impulse responses and means differ; write order=1 to ask both for the same)"
            )
        if "periods" not in opts and self.periods is not None:
            opts["periods"] = self.periods[0]
            self.notes.append(f"line {self.periods[1]}: the periods statement sets stoch_simul's periods, as in Dynare")
        var_list = list_names(rest)
        if var_list:
            opts["var_list"] = var_list
        self.d["stoch_simul"] = opts
        self.lines["stoch_simul"] = line


_BLOCKS = ("model", "initval", "steady_state_model", "shocks")
#: blocks only Dynare's estimation reads: skipped (with a note) up to their 'end;'
_ESTIMATION_BLOCKS = ("estimated_params", "estimated_params_init", "estimated_params_bounds", "observation_trends")
_SET_PARAM = re.compile(r"""set_param_value\(\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*,(.*)\)""", re.S)
#: ``name = 'text'`` (a MATLAB string), alone or, without its ';', followed by the statement of the next line
#: (MATLAB ends a statement at the end of a line)
_MATLAB_STRING = re.compile(r"""^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'[^']*'|"[^"]*")(?:\s+(?=[A-Za-z_])(.*))?$""", re.S)


def _command(reader: _Reader, word: str, options: str | None, rest: str, stmt: str, line: int) -> None:
    """A top-level statement that is not a block or a declaration."""
    if word == "stoch_simul":
        reader.stoch_simul(options, rest, line)
    elif word in ("steady", "check"):
        allowed = STEADY_OPTIONS if word == "steady" else CHECK_OPTIONS
        for item in split_options(options or ""):
            if item.partition("=")[0].strip() not in allowed:
                raise reader.fail(line, item, f"a {word} option among " + ", ".join(allowed))
        if rest:
            raise reader.fail(line, stmt, f"'{word};' or '{word}(options);'")
    elif SIGMA_E.match(stmt):
        sigma_e(reader, stmt, line)
    elif word == "varobs":
        reader.observed.update(list_names(rest))
        reader.notes.append(f"line {line}: varobs ignored (estimation only)")
    elif word == "periods" and options is None and not rest.startswith("="):  # Dynare: options_.periods = N
        value = read_option("int", "periods", rest, "=", reader._failure(line, stmt))
        reader.periods = (value, line)
    elif word in _OUTPUT_ONLY:
        reader.notes.append(f"line {line}: {word} ignored (output only)")
    elif (m := _SET_PARAM.fullmatch(stmt)) is not None:
        reader.assignment(f"{m.group(1)} = {m.group(2)}", line)
    elif re.match(r"options_\.[A-Za-z_][A-Za-z0-9_.]*\s*=", stmt):
        reader.notes.append(f"line {line}: {stmt.partition('=')[0].strip()} ignored (a Dynare option set in MATLAB)")
    elif "=" in stmt and re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", stmt):
        reader.assignment(stmt, line)
    else:
        raise reader.fail(line, stmt[:60], "a supported Dynare statement (see 'geo-sym dsge --help')")


def _open_block(reader: _Reader, word: str, options: str | None, rest: str, line: int) -> str:
    if rest:
        raise reader.fail(line, rest, f"'{word};' opening a block")
    if options is not None:
        allowed = {"model": MODEL_OPTIONS, "shocks": ("overwrite",)}.get(word, ())
        for item in split_options(options):
            if item.partition("=")[0].strip().lower() not in allowed:
                raise reader.fail(line, item, f"a {word} option among " + (", ".join(allowed) or "(none)"))
            if word == "shocks":  # this block replaces the shocks of earlier ones
                reader.shock_scale.clear()
                reader.shock_pairs.clear()
                reader.notes.append(f"line {line}: shocks(overwrite): earlier shocks blocks are discarded")
    return word


def _in_block(reader: _Reader, block: str, stmt: str, line: int, pending: list) -> None:
    if block == "model":
        reader.model_statement(stmt, line)
    elif block in ("initval", "steady_state_model"):
        reader.value_statement(block, stmt, line)
    else:
        shocks_statement(reader, stmt, line, pending)


def read_mod(text: str, *, source: str = "model.mod", defines: dict | None = None) -> ModFile:
    """Read the text of a ``.mod`` file (macro directives expanded first: :mod:`dsge.model.macro`).

    Parameters
    ----------
    text : str
    source : str
        File name, for the model name, the messages and the folder of ``@#include``.
    defines : dict, optional
        Macro names defined before the file is read (Dynare's ``-DNAME=VALUE``).

    Returns
    -------
    ModFile

    Raises
    ------
    ModelFileError
        On an unsupported statement or option (naming it and its line), an unterminated
        block or statement, or a malformed block entry.
    """
    reader = _Reader(source)
    text, where, macro_notes = expand(_strip_comments(text), source, defines, prepare=_strip_comments)
    reader.notes += macro_notes
    block, block_line, pending = None, 0, []
    statements = merge_sigma_e(_statements(text, source, where))
    for k, (stmt, line) in enumerate(statements):
        if block is None and "stoch_simul" in reader.d:
            reader.notes.append(
                f"line {line} on: not read — the results are those of the first stoch_simul (line "
                f"{reader.lines['stoch_simul']}); later commands and MATLAB/Octave code are not run"
            )
            _observed_later(reader, statements[k:])
            break
        if stmt.endswith(_UNTERMINATED):
            raise reader.fail(line, stmt[:-1][:40], "a statement ending with ';'")
        if block is None and (m := _MATLAB_STRING.match(stmt)) is not None:
            reader.notes.append(f"line {line}: {m.group(1)} = '...' ignored (a MATLAB string)")
            if m.group(2) is None:
                continue
            stmt = m.group(2)
        if block in _ESTIMATION_BLOCKS:
            block = None if stmt.lower() == "end" else block
            continue
        if block is not None:
            if stmt.lower() == "end":
                if pending:
                    raise reader.fail(line, f"var {pending[0]}", "'stderr VALUE;' before 'end;'")
                block = None
            else:
                _in_block(reader, block, stmt, line, pending)
            continue
        word, options, rest = _head(stmt)
        if rest is None:  # Dynare: "syntax error, unexpected ';', expecting COMMA or ')'"
            raise reader.fail(line, stmt[:60], "options in parentheses closed by ')'")
        if word in ("var", "varexo", "parameters", "predetermined_variables") and options is None:
            reader.declare(word, rest, line)
        elif word in _ESTIMATION_BLOCKS and not rest.startswith("="):
            block = word
            reader.notes.append(f"line {line}: {word} block ignored (estimation only)")
        elif word in _BLOCKS and not (rest.startswith("=")):
            block, block_line = _open_block(reader, word, options, rest, line), line
            if word == "model" and options and "linear" in options:
                reader.notes.append(f"line {line}: model(linear): solved like any model (its steady state included)")
        elif word == "end":
            raise reader.fail(line, "end", "'end;' only closing a block")
        else:
            _command(reader, word, options, rest, stmt, line)
    if block is not None:
        raise reader.fail(block_line, block, "the block closed by 'end;'")
    return ModFile(data=_finish(reader), notes=tuple(reader.notes), lines=dict(reader.lines))


def _observed_later(reader: _Reader, statements) -> None:
    """Names of ``varobs`` statements after the first stoch_simul (Dynare checks measurement errors against all)."""
    for stmt, _ in statements:
        word, options, rest = _head(stmt)
        if word == "varobs" and options is None and rest:
            reader.observed.update(list_names(rest.rstrip(_UNTERMINATED)))


def _finish(reader: _Reader) -> dict:
    d = reader.d
    calibrated = d.get("steady_state_model", {})
    for name in reader.declared_params:
        if name in d["parameters"]:
            continue
        if name not in calibrated:
            line = reader.lines.get(f"parameters.{name}")
            raise reader.fail(
                line or 1, name, "a value assigned to every declared parameter (MATLAB steady-state files are not run)"
            )
        d["parameters"][name] = "0"  # computed by steady_state_model before anything uses it
        reader.notes.append(f"parameter {name} is computed in steady_state_model")
    d["parameters"] = {p: d["parameters"][p] for p in reader.declared_params}
    finish_shocks(reader)
    if reader.latex:
        d["latex_names"] = dict(reader.latex)
    if reader.predetermined:
        _shift_predetermined(reader)
    return {k: v for k, v in d.items() if v not in ({}, []) or k in ("variables", "parameters", "equations")}


def _shift_predetermined(reader: _Reader) -> None:
    from dsge.model.auxiliary import shift_timing
    from dsge.model.parser import parse_equation, parse_formula, to_text

    d = reader.d
    names = dict(
        variables=d["variables"], parameters=reader.declared_params, shocks=d["shocks"], locals=list(d["locals"])
    )
    moved = set(reader.predetermined)
    for name in moved:
        if name not in d["variables"]:
            raise reader.fail(reader.lines.get(f"parameters.{name}", 1), name, "a declared variable")
    for k, text in enumerate(d["equations"]):
        lhs, rhs = parse_equation(text, where=f"equations[{k}]", **names)
        d["equations"][k] = f"{to_text(shift_timing(lhs, moved, -1))} = {to_text(shift_timing(rhs, moved, -1))}"
    for j, (name, text) in enumerate(list(d["locals"].items())):
        local_names = dict(names, locals=list(d["locals"])[:j])
        tree = parse_formula(text, where=f"locals.{name}", **local_names)
        d["locals"][name] = to_text(shift_timing(tree, moved, -1))
    reader.notes.append("predetermined_variables " + ", ".join(sorted(moved)) + ": timings shifted as in Dynare")


def read_mod_file(path, defines: dict | None = None) -> ModFile:
    """Read a ``.mod`` file from disk (UTF-8, or Latin-1 when it is not UTF-8, as older files are).

    Raises
    ------
    ModelFileError
        When the file cannot be read, and as :func:`read_mod`.
    """
    from geo_sym.economy.files import read_bytes

    data = read_bytes(path, "model file")
    if b"\x00" in data:
        raise ModelFileError(str(path), "bytes that are not text (a NUL byte)", "a model file in UTF-8 or Latin-1 text")
    text = decode(data)
    if not text.strip():
        raise ModelFileError(str(path), "an empty file", "a DSGE model file")
    mod = read_mod(text, source=str(path), defines=defines)
    return _with_steady_state_file_note(mod, Path(path))


def _with_steady_state_file_note(mod: ModFile, path: Path) -> ModFile:
    """A note when Dynare would take the steady state from a MATLAB file next to the ``.mod`` (never run here)."""
    found = [f.name for f in (path.with_name(f"{path.stem}_steadystate{k}.m") for k in ("", "2")) if f.is_file()]
    if not found or "steady_state_model" in mod.data:
        return mod
    note = (
        f"{found[0]} (a MATLAB steady-state file, which Dynare runs) is not run: the steady state is solved from "
        "initval; if it is not found, give initval values or write the file as a steady_state_model block"
    )
    return ModFile(data=mod.data, notes=(*mod.notes, note), lines=mod.lines)
