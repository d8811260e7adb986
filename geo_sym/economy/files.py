"""Reading the project's text files with one clear error for every way it can fail.

Every YAML and JSON file geo-sym reads (economy files, state files, DSGE model files, sweep
specifications, witness files) goes through :func:`load_yaml` or :func:`load_json`: a missing or
unreadable file, bytes that are not UTF-8, and a syntax error (with its line and column) each give
one :class:`~geo_sym.errors.ModelFileError` naming the file. YAML is read with the *safe* loader
(the C one when PyYAML has it: about three times faster on large edge lists), so no tag can build a
Python object.
"""

from __future__ import annotations

import json
from pathlib import Path

from geo_sym.errors import ModelFileError

__all__ = ["read_text", "load_yaml", "load_json", "parse_yaml", "parse_json"]


def read_text(path, what: str) -> str:
    """The text of ``path``; a missing or unreadable file raises :class:`ModelFileError` naming it.

    ``what`` completes the message: ``"a readable {what}"``, e.g. ``"economy file"``.
    """
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelFileError(str(path), str(exc.strerror or exc), f"a readable {what}") from None
    except UnicodeDecodeError:
        raise ModelFileError(str(path), "bytes that are not UTF-8 text", f"a readable {what}") from None


def _safe_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, source: str):
    """Parse YAML ``text`` with the safe loader; a syntax error names ``source``, the line and the column."""
    import yaml

    try:
        return yaml.load(text, Loader=_safe_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}: line {mark.line + 1}, column {mark.column + 1}" if mark is not None else source
        problem = exc.problem or exc.context or "a syntax error"
        raise ModelFileError(where, problem, "valid YAML") from None
    except yaml.YAMLError as exc:
        raise ModelFileError(source, str(exc).splitlines()[0] if str(exc) else "a syntax error", "valid YAML") from None


def parse_json(text: str, source: str, *, exact_numbers: bool = False):
    """Parse JSON ``text``; a syntax error names ``source``, the line and the column.

    With ``exact_numbers`` floats are kept as their decimal text (read exactly later by
    :func:`geo_sym.economy.numbers.parse_number`), never rounded to binary.
    """
    try:
        if exact_numbers:
            return json.loads(text, parse_float=str, parse_int=int)
        return json.loads(text)
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
