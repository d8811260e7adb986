"""Reading the project's text files with one clear error for every way it can fail.

Every YAML and JSON file geo-sym reads (economy files, state files, DSGE model files, sweep
specifications, witness files) goes through :func:`load_yaml` or :func:`load_json`: a missing or
unreadable file, a directory, bytes that are not UTF-8, a syntax error (with its line and column)
and a number longer than :data:`MAX_NUMBER_DIGITS` digits each give one
:class:`~geo_sym.errors.ModelFileError` naming the file. YAML is read with the *safe* loader (the C
one when PyYAML has it: about three times faster on large edge lists), so no tag can build a Python
object.

:func:`file_kind` tells the kinds of file apart (economy, DSGE model, sweep spec, state, witness) in
one place, and :func:`require_kind` turns a file of the wrong kind into one line that says which
command reads it ("this is a DSGE model file; use `geo-sym dsge`").
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from geo_sym.errors import ModelFileError

__all__ = [
    "MAX_NUMBER_DIGITS",
    "read_bytes",
    "read_text",
    "load_yaml",
    "load_json",
    "parse_yaml",
    "parse_json",
    "file_kind",
    "kind_of",
    "require_kind",
    "load_kind",
    "KINDS",
]

#: Longest number (in digits, exponent included) accepted anywhere in a file. Numbers in
#: economy and model files are parameters and coordinates: a few dozen digits at most, even for
#: exact witnesses; the bound keeps exact arithmetic and printing bounded (Python itself refuses
#: to convert integers of more than 4300 digits to text).
MAX_NUMBER_DIGITS = 1000

_TOO_LONG = f"a number of at most {MAX_NUMBER_DIGITS} digits"

#: Most values a YAML document may hold once its aliases are expanded (a few million for the largest
#: economies; a "billion laughs" document of a few lines expands to 10^9 and would hang every reader).
MAX_YAML_VALUES = 20_000_000


def read_bytes(path, what: str) -> bytes:
    """The bytes of ``path``; a directory, a missing or unreadable file raises :class:`ModelFileError` naming it."""
    p = Path(path)
    if p.is_dir():
        raise ModelFileError(str(path), "a directory", f"a readable {what}")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ModelFileError(str(path), str(exc.strerror or exc), f"a readable {what}") from None


def read_text(path, what: str) -> str:
    """The text of ``path``; a missing or unreadable file raises :class:`ModelFileError` naming it.

    ``what`` completes the message: ``"a readable {what}"``, e.g. ``"economy file"``.
    """
    p = Path(path)
    if p.is_dir():
        raise ModelFileError(str(path), "a directory", f"a readable {what}")
    try:
        return p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelFileError(str(path), str(exc.strerror or exc), f"a readable {what}") from None
    except UnicodeDecodeError:
        raise ModelFileError(str(path), "bytes that are not UTF-8 text", f"a readable {what}") from None


# ----------------------------------------------------------------------------------------- YAML
class _NumberTooLong(Exception):
    """Raised inside the parsers' number hooks; turned into a ModelFileError with a position."""

    def __init__(self, text: str, expected: str, mark=None):
        super().__init__(text)
        self.text = text
        self.expected = expected
        self.mark = mark


def _safe_loader():
    """The safe loader (C when available) with number constructors that bound their size."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    known = _LOADERS.get(base)
    if known is not None:
        return known
    safe = yaml.constructor.SafeConstructor

    def bounded_int(loader, node):
        if sum(ch.isalnum() for ch in node.value) > MAX_NUMBER_DIGITS:
            raise _NumberTooLong(node.value, _TOO_LONG, node.start_mark)
        return safe.construct_yaml_int(loader, node)

    def bounded_float(loader, node):
        if sum(ch.isdigit() for ch in node.value) > MAX_NUMBER_DIGITS:
            raise _NumberTooLong(node.value, _TOO_LONG, node.start_mark)
        value = safe.construct_yaml_float(loader, node)
        if value in (float("inf"), float("-inf")) and "inf" not in node.value.lower():
            raise _NumberTooLong(
                node.value,
                'a number within the floating-point range (|x| < 1.8e308), or an exact "p/q" string',
                node.start_mark,
            )
        return value

    cls: Any = type("BoundedSafeLoader", (base,), {})
    cls.add_constructor("tag:yaml.org,2002:int", bounded_int)
    cls.add_constructor("tag:yaml.org,2002:float", bounded_float)
    _LOADERS[base] = cls
    return cls


_LOADERS: dict = {}


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:20]}...{text[-8:]} ({len(text)} characters)"


def parse_yaml(text: str, source: str):
    """Parse YAML ``text`` with the safe loader; a syntax error names ``source``, the line and the column.

    Raises
    ------
    ModelFileError
        On a syntax error (with line and column), or a number of more than
        :data:`MAX_NUMBER_DIGITS` digits or outside the floating-point range.
    """
    import yaml

    try:
        data = yaml.load(text, Loader=_safe_loader())
    except _NumberTooLong as exc:
        where = source if exc.mark is None else f"{source}: line {exc.mark.line + 1}, column {exc.mark.column + 1}"
        raise ModelFileError(where, _short(exc.text), exc.expected) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}: line {mark.line + 1}, column {mark.column + 1}" if mark is not None else source
        problem = exc.problem or exc.context or "a syntax error"
        raise ModelFileError(where, problem, "valid YAML", message=f"{where}: {problem}; expected valid YAML") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other control characters)
        pos = max(int(exc.position), 0)
        line, column = text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1
        where = f"{source}: line {line}, column {column}"
        problem = f"the character {chr(exc.character)!r}" if isinstance(exc.character, int) else str(exc.reason)
        raise ModelFileError(where, problem, "YAML text without control characters") from None
    except yaml.YAMLError as exc:
        raise ModelFileError(source, str(exc).splitlines()[0] if str(exc) else "a syntax error", "valid YAML") from None
    except RecursionError:
        raise ModelFileError(source, "nesting too deep", "valid YAML of reasonable depth") from None
    if _expanded_size(data) > MAX_YAML_VALUES:
        raise ModelFileError(
            source,
            "aliases that expand it",
            f"a document of at most {MAX_YAML_VALUES} values once its aliases (*name) are expanded",
            message=f"{source}: its aliases (*name) expand it to more than {MAX_YAML_VALUES} values, or make it "
            "contain itself; expected a document of reasonable size",
        )
    return data


def _expanded_size(data) -> int:
    """Number of values in ``data``, every reference to a shared list or mapping counted again (as a reader
    walking it would); a recursive alias (a list containing itself) counts as more than any limit."""
    sizes: dict[int, int] = {}
    pending: set[int] = set()
    stack = [(data, False)]
    while stack:
        obj, ready = stack.pop()
        if not isinstance(obj, (list, dict)) or id(obj) in sizes:
            continue
        children = [c for c in (obj.values() if isinstance(obj, dict) else obj) if isinstance(c, (list, dict))]
        if not ready:
            if id(obj) in pending:  # reached again before it was sized: it contains itself
                return MAX_YAML_VALUES + 1
            pending.add(id(obj))
            stack.append((obj, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        pending.discard(id(obj))
        total = 1 + len(obj) * (2 if isinstance(obj, dict) else 1) + sum(sizes[id(c)] - 1 for c in children)
        sizes[id(obj)] = min(total, MAX_YAML_VALUES + 1)
    return sizes.get(id(data), 1)


# ----------------------------------------------------------------------------------------- JSON
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?[0-9][0-9.eE+-]*)')


def _json_position(text: str, token: str) -> tuple[int, int] | None:
    """Line and column (1-based) of the first number literal ``token`` outside the strings of ``text``."""
    for m in _JSON_TOKENS.finditer(text):
        if m.group(1) == token:
            line = text.count("\n", 0, m.start()) + 1
            return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return None


def _bounded(convert):
    def hook(token: str):
        if sum(ch.isdigit() for ch in token) > MAX_NUMBER_DIGITS:
            raise _NumberTooLong(token, _TOO_LONG)
        value = convert(token)
        if isinstance(value, float) and value in (float("inf"), float("-inf")):
            raise _NumberTooLong(token, 'a number within the floating-point range (|x| < 1.8e308), or a "p/q" string')
        return value

    return hook


def parse_json(text: str, source: str, *, exact_numbers: bool = False):
    """Parse JSON ``text``; a syntax error names ``source``, the line and the column.

    With ``exact_numbers`` floats are kept as their decimal text (read exactly later by
    :func:`geo_sym.economy.numbers.parse_number`), never rounded to binary.

    Raises
    ------
    ModelFileError
        On a syntax error (with line and column), or a number of more than
        :data:`MAX_NUMBER_DIGITS` digits or outside the floating-point range.
    """
    try:
        return json.loads(text, parse_float=_bounded(str if exact_numbers else float), parse_int=_bounded(int))
    except _NumberTooLong as exc:
        pos = _json_position(text, exc.text)
        where = source if pos is None else f"{source}: line {pos[0]}, column {pos[1]}"
        raise ModelFileError(where, _short(exc.text), exc.expected) from None
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{source}: line {exc.lineno}, column {exc.colno}", exc.msg, "valid JSON") from None
    except RecursionError:
        raise ModelFileError(source, "nesting too deep", "valid JSON of reasonable depth") from None


def load_yaml(path, what: str):
    """Read and parse a YAML file (see :func:`parse_yaml`)."""
    return parse_yaml(read_text(path, what), str(path))


def load_json(path, what: str, *, exact_numbers: bool = False):
    """Read and parse a JSON file (see :func:`parse_json`)."""
    return parse_json(read_text(path, what), str(path), exact_numbers=exact_numbers)


# ----------------------------------------------------------------------------------------- kinds
#: The kinds of file geo-sym reads: what each is called, and what reads it.
KINDS = {
    "economy": ("an economy file", "`geo-sym check`, `irf`, `jacobian`, `fixed-points`, ... (or geo_sym.load_economy)"),
    "model": ("a DSGE model file", "`geo-sym dsge` (or dsge.load_model)"),
    "sweep": ("a sweep spec", "`geo-sym sweep`"),
    "state": ("a state file", "`--at STATE.json` after the economy file"),
    "witness": ("a witness file", "`geo-sym verify`"),
}
#: What to do with a file of one kind where another was expected, when it is not just "use the command".
_HINTS = {
    ("economy", "sweep"): "name it in a sweep spec (economy: FILE; see docs/sweeps.md)",
    ("model", "sweep"): "name it in a sweep spec (model: FILE; see docs/sweeps.md)",
    ("economy", "state"): "give the economy file first and the state with --at STATE.json",
}

_SWEEP_KINDS = ("grid", "random", "search", "basins")
_DYNARE = re.compile(r"^\s*(var|varexo|parameters|model\s*(\(.*\))?\s*;)\b", re.MULTILINE)


def _evidence(data, path) -> str:
    """The keys that identified the kind of ``data``, for the message."""
    if path is not None and Path(path).suffix.lower() == ".mod":
        return "a Dynare .mod file"
    if isinstance(data, list):
        return "a list of verdicts"
    keys = [
        k
        for k in ("variables", "equations", "agents", "vary", "kind", "y", "p", "pi", "w", "id", "status", "witness")
        if k in data
    ]
    return "it has " + ", ".join(repr(k) for k in keys)


def kind_of(data, path=None) -> str | None:
    """The kind of a parsed file (a key of :data:`KINDS`), or ``None`` when nothing identifies it.

    A ``.mod`` suffix is a DSGE model; otherwise the top-level keys decide: ``variables`` or
    ``equations`` (model), ``agents`` (economy), ``vary`` or a sweep ``kind`` (sweep), ``y``, ``p``
    and ``pi`` or ``w`` (state), ``id`` and ``status``, or ``witness`` (witness), or a list of verdicts.
    """
    if path is not None and Path(path).suffix.lower() == ".mod":
        return "model"
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        return "witness" if all({"id", "status"} <= set(v) or "witness" in v for v in data) else None
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if keys & {"equations", "variables"}:
        return "model"
    if "agents" in keys:
        return "economy"
    if "vary" in keys or data.get("kind") in _SWEEP_KINDS:
        return "sweep"
    if {"y", "p"} <= keys and keys & {"pi", "w"}:
        return "state"
    if {"id", "status"} <= keys or "witness" in keys:
        return "witness"
    return None


def file_kind(path) -> str | None:
    """The kind of the file at ``path`` (see :func:`kind_of`); ``None`` when nothing identifies it.

    Reads and parses the file (JSON for ``.json``, YAML otherwise); a file that is not valid
    YAML but reads like a Dynare model (``var``, ``varexo``, ``model;`` statements) is a model.

    Raises
    ------
    ModelFileError
        When the file cannot be read, or does not parse and does not look like a Dynare model.
    """
    p = Path(path)
    if p.suffix.lower() == ".mod":
        read_text(p, "model file")
        return "model"
    text = read_text(p, "file")
    try:
        data = parse_json(text, str(p)) if p.suffix.lower() == ".json" else parse_yaml(text, str(p))
    except ModelFileError:
        if _DYNARE.search(text):
            return "model"
        raise
    return kind_of(data, p)


def require_kind(data, source: str, expected: str) -> None:
    """Raise a one-line :class:`ModelFileError` when ``data`` is another kind of file than ``expected``.

    An empty file, and a file identified as another kind (:func:`kind_of`), are named as such with
    what reads them: ``"nk3.yaml: this is a DSGE model file (it has 'variables', 'equations'), not an
    economy file; use `geo-sym dsge` (or dsge.load_model)"``. Data that is not identified is left to
    the reader's own validation (which names the offending key).
    """
    what = KINDS[expected][0]
    if data is None:
        raise ModelFileError(source, "an empty file", what)
    found = kind_of(data, source)
    if found is None or found == expected:
        return
    f_what, f_use = KINDS[found]
    hint = _HINTS.get((found, expected), f"use {f_use}")
    raise ModelFileError(
        source, f_what, what, message=f"{source}: this is {f_what} ({_evidence(data, source)}), not {what}; {hint}"
    )


def load_kind(path, kind: str, *, exact_numbers: bool = False):
    """Read a file that must be of ``kind`` (a key of :data:`KINDS`): JSON for states and witnesses, else YAML.

    A JSON file that does not parse as JSON but is a YAML file of another kind (an economy passed
    where a state belongs) is named as that kind rather than as a JSON syntax error.

    Raises
    ------
    ModelFileError
        Unreadable, malformed, empty, or of another kind (see :func:`require_kind`).
    """
    what = KINDS[kind][0].removeprefix("an ").removeprefix("a ")
    text = read_text(path, what)
    if kind in ("state", "witness"):
        try:
            data = parse_json(text, str(path), exact_numbers=exact_numbers)
        except ModelFileError:
            try:
                other = parse_yaml(text, str(path))
            except ModelFileError:
                other = None
            if kind_of(other, path) not in (None, kind):
                require_kind(other, str(path), kind)
            raise
    else:
        data = parse_yaml(text, str(path))
    require_kind(data, str(path), kind)
    return data
