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


def _scalar(value) -> str:
    """One YAML value on one line (flow style for lists and mappings, quotes where YAML needs them)."""
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, width=10**9, allow_unicode=True, sort_keys=False)
    return text.removesuffix("\n...\n").strip()


def mod_to_yaml(data: dict, notes=(), source: str = "") -> str:
    """YAML text of a model mapping (from :func:`dsge.model.mod_file.read_mod`): one entry per line."""
    lines = [f"# converted from {source} by geo-sym convert" if source else "# converted by geo-sym convert"]
    lines += [f"# note: {n}" for n in notes]
    for key, value in data.items():
        if key in ("equations",):
            lines.append(f"{key}:")
            lines += [f"  - {_scalar(str(v))}" for v in value]
        elif isinstance(value, dict) and value:
            lines.append(f"{key}:")
            plain = value if key == "locals" else _plain(value)
            lines += [f"  {k}: {_scalar(v)}" for k, v in plain.items()]
        else:
            lines.append(f"{key}: {_scalar(_plain(value))}")
    return "\n".join(lines) + "\n"


def convert_mod(path, defines: dict | None = None) -> tuple[str, tuple]:
    """Read and check a ``.mod`` file; return ``(yaml_text, notes)``.

    Raises
    ------
    geo_sym.errors.ModelFileError, ParseError, ValidationError
        As :func:`dsge.model.model_file.load_spec` would for the same file.
    """
    from dsge.model.mod_file import read_mod_file
    from dsge.model.model_file import load_spec

    load_spec(path, defines=defines)  # every check geo-sym dsge makes, with line numbers
    mod = read_mod_file(path, defines)
    return mod_to_yaml(mod.data, mod.notes, Path(path).name), mod.notes
