"""Dotted paths into an economy or model file: ``parameters.tau``, ``taylor.phi_lat``, ``agents[w1].demand[0]``.

A path names one value of the YAML document: keys separated by dots, list elements by ``[i]`` (an
index from 0) or ``[name]`` (the element whose ``name`` field is ``name``, e.g. an agent). Paths are
parsed by a small tokenizer, never evaluated.
"""

from __future__ import annotations

import copy
import re

from geo_sym.errors import UnknownNameError, ValidationError

__all__ = ["parse_path", "resolve_parent", "set_values", "path_text"]

_TOKEN = re.compile(r"(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)|\[([^\[\].]+)\]")


def parse_path(text, field: str) -> tuple:
    """The segments of a dotted path: ``("key", name)``, ``("index", i)`` or ``("name", agent)``.

    Raises
    ------
    ValidationError
        When ``text`` is not a path (names, dots and ``[...]`` selectors only).
    """
    if not isinstance(text, str) or not text:
        raise ValidationError(field, text, "a dotted path such as parameters.tau or agents[w1].demand[0]")
    segments, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ValidationError(
                field, text, f"a dotted path (names, '.', '[i]' or '[name]'); cannot read from column {pos + 1}"
            )
        if m.group(1) is not None:
            segments.append(("key", m.group(1)))
        else:
            sel = m.group(2).strip()
            segments.append(("index", int(sel)) if re.fullmatch(r"\d+", sel) else ("name", sel))
        pos = m.end()
    if segments[0][0] != "key":
        raise ValidationError(field, text, "a path starting with a key (e.g. parameters.tau)")
    return tuple(segments)


def path_text(segments) -> str:
    out = ""
    for kind, v in segments:
        out += (f".{v}" if out else v) if kind == "key" else f"[{v}]"
    return out


def _step(node, seg, field: str, where: str):
    kind, v = seg
    if kind == "key":
        if not isinstance(node, dict):
            raise ValidationError(field, where, f"a mapping at {where!r} to look up {v!r} in")
        if v not in node:
            raise UnknownNameError(field, v, f"a key of {where or 'the file'}: {sorted(map(str, node))}")
        return node[v]
    if not isinstance(node, list):
        raise ValidationError(field, where, f"a list at {where!r} to select [{v}] from")
    return node[_list_index(node, seg, field, where)]


def _list_index(node: list, seg, field: str, where: str) -> int:
    kind, v = seg
    if kind == "index":
        if v >= len(node):
            raise ValidationError(field, v, f"an index below {len(node)} (the length of {where})")
        return v
    names = [str(el.get("name")) for el in node if isinstance(el, dict)]
    for i, el in enumerate(node):
        if isinstance(el, dict) and str(el.get("name")) == v:
            return i
    raise UnknownNameError(field, v, f"the name of an element of {where}: {names}")


def resolve_parent(doc, segments, field: str):
    """The container holding the path's last segment (checks that every step before it exists).

    The last key may be absent from its mapping (it is then added, and the file's own validation
    decides whether it is allowed); a list index must exist.
    """
    node, where = doc, ""
    for i, seg in enumerate(segments[:-1]):
        node = _step(node, seg, field, where)
        where = path_text(segments[: i + 1])
    last = segments[-1]
    if last[0] == "key":
        if not isinstance(node, dict):
            raise ValidationError(field, where, f"a mapping at {where!r} to set {last[1]!r} in")
    elif not isinstance(node, list):
        raise ValidationError(field, where, f"a list at {where!r} to select [{last[1]}] from")
    else:
        _list_index(node, last, field, where)
    return node


def set_values(doc, assignments) -> dict:
    """A deep copy of ``doc`` with ``{segments: value}`` assigned (segments from :func:`parse_path`)."""
    out = copy.deepcopy(doc)
    for segments, value in assignments:
        field = path_text(segments)
        parent = resolve_parent(out, segments, field)
        last = segments[-1]
        if last[0] == "key":
            parent[last[1]] = value
        else:
            parent[_list_index(parent, last, field, "")] = value
    return out
