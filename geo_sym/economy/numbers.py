"""Exact numbers from files: ints, floats and ``"p/q"`` strings, never evaluated as code.

Floats are read by their shortest decimal representation, so ``0.1`` becomes
``1/10`` exactly (what the user wrote, not the binary approximation). Strings
are matched against a fixed grammar (``-3``, ``27/10``, ``1.5e-3``) and then
converted by integer arithmetic: nothing in a file is ever passed to ``eval``
or ``sympify``.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import sympy as sp

from geo_sym.economy.files import MAX_NUMBER_DIGITS
from geo_sym.errors import NumberFormatError

__all__ = ["parse_number", "parse_vector", "parse_matrix", "to_json_number", "is_exact", "MAX_MAGNITUDE"]

_RATIONAL = re.compile(r"^\s*([+-]?\d+)\s*(?:/\s*(\d+))?\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE]([+-]?\d+))?\s*$")

_EXPECTED = 'an int, a float or a "p/q" string'


#: Largest magnitude of a number read from a file: the maps are also evaluated in double precision,
#: where products of a few such numbers must stay finite (1e100 cubed is still below 1.8e308).
MAX_MAGNITUDE = 10**100
_MAX_MAGNITUDE = sp.Integer(MAX_MAGNITUDE)


def parse_number(value, field: str) -> sp.Rational:
    """Read one number exactly (magnitude at most :data:`MAX_MAGNITUDE`, i.e. ``1e100``).

    Parameters
    ----------
    value : int, float, str, fractions.Fraction or sympy.Rational
        ``"27/10"``, ``"-3"``, ``"0.25"``, ``2.7`` and ``27`` are accepted;
        booleans, ``nan``, ``inf`` and any other text are rejected.
    field : str
        Name of the field, used in the error message.

    Returns
    -------
    sympy.Rational

    Raises
    ------
    NumberFormatError
        When the value is not a finite number in one of the accepted forms, or is larger than
        ``1e100`` in magnitude.
    """
    r = _read_number(value, field)
    if abs(r) > _MAX_MAGNITUDE:
        raise NumberFormatError(
            field, value, "a number of magnitude at most 1e100 (the maps are also evaluated in double precision)"
        )
    return r


def _read_number(value, field: str) -> sp.Rational:
    if isinstance(value, bool) or value is None:
        raise NumberFormatError(field, value, _EXPECTED)
    if isinstance(value, sp.Rational):
        return value
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NumberFormatError(field, value, "a finite number")
        fr = Fraction(repr(float(value)))  # float(): numpy floats repr as 'np.float64(...)'
        return sp.Rational(fr.numerator, fr.denominator)
    if hasattr(value, "dtype") and getattr(value, "shape", None) == ():  # numpy scalar
        return _read_number(value.item(), field)
    if isinstance(value, str):
        _check_size(value, field)
        m = _RATIONAL.match(value)
        if m:
            num = int(m.group(1))
            den = int(m.group(2)) if m.group(2) is not None else 1
            if den == 0:
                raise NumberFormatError(field, value, "a nonzero denominator")
            return sp.Rational(num, den)
        if _DECIMAL.match(value):
            fr = Fraction(value.strip())
            return sp.Rational(fr.numerator, fr.denominator)
        raise NumberFormatError(field, value, _EXPECTED)
    raise NumberFormatError(field, value, _EXPECTED)


def _check_size(text: str, field: str) -> None:
    """Bound the size of a number written as text: digits plus the exponent's magnitude."""
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_NUMBER_DIGITS:
        raise NumberFormatError(field, text, f"a number of at most {MAX_NUMBER_DIGITS} digits")
    m = _DECIMAL.match(text)
    if m and m.group(1) is not None and abs(int(m.group(1))) + digits > MAX_NUMBER_DIGITS:
        raise NumberFormatError(
            field, text, f"a number of at most {MAX_NUMBER_DIGITS} digits (exponent included), e.g. 1e-300"
        )


def parse_vector(value, field: str, length: int | None = None) -> list[sp.Rational]:
    """Read a list of numbers; ``length`` (when given) is enforced."""
    from geo_sym.errors import ShapeError

    if not isinstance(value, (list, tuple)):
        raise ShapeError(field, value, "a list of numbers" + (f" of length {length}" if length is not None else ""))
    if length is not None and len(value) != length:
        raise ShapeError(field, value, f"a list of {length} numbers, got {len(value)}")
    return [parse_number(v, f"{field}[{i}]") for i, v in enumerate(value)]


def parse_matrix(value, field: str, shape: tuple[int, int] | None = None) -> list[list[sp.Rational]]:
    """Read a list of rows of numbers; ``shape`` (when given) is enforced."""
    from geo_sym.errors import ShapeError

    if not isinstance(value, (list, tuple)) or not all(isinstance(r, (list, tuple)) for r in value):
        raise ShapeError(field, value, "a list of rows (lists of numbers)")
    if shape is not None and len(value) != shape[0]:
        raise ShapeError(field, value, f"{shape[0]} rows, got {len(value)}")
    ncol = shape[1] if shape is not None else (len(value[0]) if value else 0)
    return [parse_vector(r, f"{field}[{i}]", ncol) for i, r in enumerate(value)]


def is_exact(x) -> bool:
    """True for SymPy rationals (and Python ints)."""
    return isinstance(x, (int, sp.Rational)) and not isinstance(x, bool)


def to_json_number(x):
    """An exact rational as a JSON value: an int when integral, else ``"p/q"``."""
    x = sp.Rational(x)
    if x.q == 1:
        return int(x.p)
    return f"{x.p}/{x.q}"
