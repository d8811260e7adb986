"""``geo-sym convert``: a Dynare ``.mod`` file written in the YAML model format.

The ``.mod`` file is read by :mod:`dsge.model.mod_file` and checked completely (as
``geo-sym dsge`` would read it) before anything is written. Comments are not kept; plain
numbers become YAML numbers (read back exactly from their decimal text), formulas stay
strings, and what the reader ignored is listed in a comment at the top.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["convert_mod", "mod_to_yaml"]


def _plain(value):
    """A formula string that is a plain number as an int or float, else the string."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return value
    return number if repr(number) == text or str(number) == text.lstrip("+") else value


def mod_to_yaml(data: dict, notes=(), source: str = "") -> str:
    """YAML text of a model mapping (from :func:`dsge.model.mod_file.read_mod`)."""
    import yaml

    keep_strings = ("equations", "locals")
    doc = {k: (v if k in keep_strings else _plain(v)) for k, v in data.items()}
    head = [f"# converted from {source} by geo-sym convert" if source else "# converted by geo-sym convert"]
    head += [f"# note: {n}" for n in notes]
    body = yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, allow_unicode=True, width=110)
    return "\n".join(head) + "\n" + body


def convert_mod(path) -> tuple[str, tuple]:
    """Read and check a ``.mod`` file; return ``(yaml_text, notes)``.

    Raises
    ------
    geo_sym.errors.ModelFileError, ParseError, ValidationError
        As :func:`dsge.model.model_file.load_spec` would for the same file.
    """
    from dsge.model.mod_file import read_mod
    from dsge.model.model_file import load_spec
    from geo_sym.economy.files import read_text

    load_spec(path)  # every check geo-sym dsge makes, with line numbers
    mod = read_mod(read_text(path, "model file"), source=str(path))
    return mod_to_yaml(mod.data, mod.notes, Path(path).name), mod.notes
