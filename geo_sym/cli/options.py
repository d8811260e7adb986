"""Command-line options checked where they are parsed: one line naming the option, the value and what is expected.

:class:`Parser` is the ``argparse`` parser of every ``geo-sym`` command: a usage error (an unknown
option, a missing argument, a value of the wrong type) is one line on stderr and exit code 2, never
the usage block. The ``type=`` factories here (:func:`integer`, :func:`real`, :func:`output_file`,
:func:`output_dir`) reject what a newcomer may type — ``0``, ``-5``, ``nan``, ``inf``, ``1e999``,
``abc``, ``x.xyz``, a file in a missing directory — before any work starts, with the accepted range
or formats in the message. :data:`FOREIGN_OPTIONS` applies the same checks to options registered by
modules other than this package's own parsers (``plot``, ``derive``, ``corrigendum``), and
:func:`apply_option_types` installs them.
"""

from __future__ import annotations

import argparse
import math
import re
import textwrap
from pathlib import Path

__all__ = [
    "Parser",
    "HelpFormatter",
    "integer",
    "real",
    "seed",
    "output_file",
    "output_dir",
    "figure_file",
    "max_periods",
    "max_simulation",
    "FIGURE_SUFFIXES",
    "FOREIGN_OPTIONS",
    "apply_option_types",
    "MAX_DPI",
    "MIN_DPI",
]

#: Figure formats every command that writes a figure accepts (by the file name's extension).
FIGURE_SUFFIXES = (".png", ".pdf", ".svg")
#: Resolution bounds of raster figures: below 10 dpi matplotlib cannot lay out text; 1200 dpi is
#: the usual maximum for line art (a full page at 1200 dpi takes about 700 MB while drawn).
MIN_DPI, MAX_DPI = 10, 1200
#: Largest seed (numpy's generators take any non-negative integer; this keeps it a 64-bit one).
MAX_SEED = 2**63 - 1


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs as written, prose refilled to the terminal's width.

    Consecutive prose lines form a paragraph, wrapped as one (so a narrow terminal gives no ragged
    lines); blank lines, bullet items (``- ``, ``* ``) and indented lines (example commands, JSON
    field lists) keep their place, and indented lines are kept whole, so they can be copied.
    """

    def _fill_text(self, text, width, indent):
        out, paragraph = [], []

        def flush():
            if paragraph:
                out.extend(
                    textwrap.wrap(
                        " ".join(paragraph),
                        width,
                        initial_indent=indent,
                        subsequent_indent=indent,
                        break_on_hyphens=False,
                        break_long_words=False,
                    )
                )
                paragraph.clear()

        for line in text.splitlines():
            if not line.strip() or line.startswith((" ", "\t")):
                flush()
                out.append(indent + line if line.strip() else "")
                continue
            if line.startswith(("- ", "* ")):
                flush()
            paragraph.append(line.strip())
        flush()
        return "\n".join(out)


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose usage errors are one line on stderr (exit code 2), no usage block.

    Values such as ``-1e-6``, ``-inf`` and ``-nan`` are read as (negative) values of an option, as
    ``-1`` and ``-0.5`` are, so that their option can say what is wrong with them.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(
            r"^-(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^-(?:inf|infinity|nan)$", re.IGNORECASE
        )

    def error(self, message: str):
        message = message.removeprefix("argument ")  # "argument --dpi: got 0, ..." -> "--dpi: got 0, ..."
        self.exit(2, f"geo-sym: error: {message} (see '{self.prog} --help')\n")


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _fail(text, expected: str):
    shown = text if isinstance(text, str) and _NUMBER.match(text) else repr(text)
    return argparse.ArgumentTypeError(f"got {shown}, expected {expected}")


def _as_text(value) -> str:
    return value if isinstance(value, str) else repr(value)


def integer(lo: int | None = None, hi=None, what: str = "an integer"):
    """An argparse ``type``: an integer in ``[lo, hi]`` (either end open when ``None``).

    ``hi`` may be a function returning the bound (read when a value is checked, so that registering
    the option imports nothing).
    """

    def convert(text):
        top = hi() if callable(hi) else hi
        if lo is not None and top is not None:
            expected = f"{what} between {lo} and {top}"
        elif lo is not None:
            expected = f"{what} >= {lo}"
        elif top is not None:
            expected = f"{what} <= {top}"
        else:
            expected = what
        if isinstance(text, bool):
            raise _fail(text, expected)
        if isinstance(text, int):
            value = text
        else:
            s = str(text).strip()
            digits = s.lstrip("+-")
            if not digits.isdigit() or len(digits) > 19 or not digits.isascii():
                raise _fail(text, expected)
            value = int(s)
        if (lo is not None and value < lo) or (top is not None and value > top):
            raise _fail(_as_text(text), expected)
        return value

    convert.__name__ = "integer"
    return convert


def real(
    lo: float | None = None,
    hi: float | None = None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
    nonzero: bool = False,
    what: str = "a number",
):
    """An argparse ``type``: a finite float in the interval given (open ends with ``lo_open``/``hi_open``).

    ``nan``, ``inf`` and numbers that overflow (``1e999``) are always rejected.
    """
    parts = []
    if lo is not None:
        parts.append(f"{'>' if lo_open else '>='} {lo:g}")
    if hi is not None:
        parts.append(f"{'<' if hi_open else '<='} {hi:g}")
    expected = f"a finite {what.removeprefix('a ')}" + (" " + " and ".join(parts) if parts else "")
    if nonzero:
        expected += ", not 0"

    def convert(text):
        try:
            value = float(text)
        except (TypeError, ValueError):
            raise _fail(text, expected) from None
        bad = not math.isfinite(value) or (nonzero and value == 0)
        if lo is not None:
            bad = bad or value < lo or (lo_open and value == lo)
        if hi is not None:
            bad = bad or value > hi or (hi_open and value == hi)
        if bad:
            raise _fail(_as_text(text), expected)
        return value

    convert.__name__ = "number"
    return convert


#: The seed of every random choice: a non-negative integer.
seed = integer(0, MAX_SEED, "an integer")


def _check_parent(path: Path, text: str) -> None:
    parent = path.parent
    if not parent.exists():
        raise _fail(text, f"a path in an existing directory ({str(parent)!r} does not exist)")
    if not parent.is_dir():
        raise _fail(text, f"a path in a directory ({str(parent)!r} is not a directory)")


def output_file(*suffixes: str, what: str = "a file", stores: tuple = ()):
    """An argparse ``type``: a file to write, with one of ``suffixes``, in an existing directory.

    The message lists the accepted extensions (``x.xyz`` → "a file name ending in .png, .pdf or
    .svg"). A path that is an existing directory is rejected, unless its suffix is one of
    ``stores`` (formats stored as a directory, such as ``.zarr``).
    """
    names = [s.lower() for s in suffixes]
    listing = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]

    def convert(text):
        text = str(text)
        if not text.strip():
            raise _fail(text, f"{what} name ending in {listing}")
        path = Path(text)
        if path.is_dir() and path.suffix.lower() not in stores:
            raise _fail(text, f"{what} to write, not a directory")
        if path.suffix.lower() not in names:
            raise _fail(text, f"{what} name ending in {listing}")
        _check_parent(path, text)
        return text

    convert.__name__ = "file"
    return convert


def output_dir(what: str = "a directory"):
    """An argparse ``type``: a directory to write into (created if missing; its parent must exist)."""

    def convert(text):
        text = str(text)
        path = Path(text)
        if not text.strip():
            raise _fail(text, f"{what} name")
        if path.exists() and not path.is_dir():
            raise _fail(text, f"{what}, not an existing file")
        if not path.exists():
            _check_parent(path, text)
        return text

    convert.__name__ = "directory"
    return convert


def max_periods() -> int:
    """The longest impulse response (:data:`dsge.solution.results.MAX_PERIODS`), imported when needed."""
    from dsge.solution.results import MAX_PERIODS

    return MAX_PERIODS


def max_simulation() -> int:
    """The longest simulation (:data:`dsge.solution.results.MAX_SIMULATION`), imported when needed."""
    from dsge.solution.results import MAX_SIMULATION

    return MAX_SIMULATION


def figure_file(what: str = "a figure file"):
    """An argparse ``type``: a figure to write (:data:`FIGURE_SUFFIXES`) in an existing directory."""
    return output_file(*FIGURE_SUFFIXES, what=what)


#: Finest parameter grid of a figure, per axis (a 400 x 400 map is 160,000 solves).
MAX_GRID_POINTS = 400


def grid_range(max_points: int = MAX_GRID_POINTS):
    """An argparse ``type`` for ``NAME=LO:HI[:N]``: checks N (at most ``max_points``) and finite bounds; returns the text."""
    expected = f"NAME=LO:HI or NAME=LO:HI:N with finite LO < HI and 1 <= N <= {max_points} (e.g. tau=0.5:5:20)"

    def convert(text):
        text = str(text)
        name, eq, rng = text.partition("=")
        parts = rng.split(":")
        if not eq or not name.strip() or len(parts) not in (2, 3):
            raise _fail(text, expected)
        if len(parts) == 3:
            n = parts[2].strip()
            if not n.isdigit() or not 1 <= int(n) <= max_points:
                raise _fail(text, expected)
        for bound in parts[:2]:
            try:
                value = float(bound.split("/")[0]) if "/" in bound else float(bound)
            except ValueError:
                continue  # a "p/q" bound or a typo: the command's own reader says which
            if not math.isfinite(value):
                raise _fail(text, expected)
        return text

    convert.__name__ = "grid"
    return convert


#: Checks for options that other modules register (command -> option dest -> argparse type). The
#: values are parsed again by these types, so ``--dpi 0`` or ``-o x.xyz`` is one line before any work.
FOREIGN_OPTIONS = {
    "plot": {
        "output": lambda: figure_file(),
        "dpi": lambda: integer(MIN_DPI, MAX_DPI, "a resolution in dots per inch"),
        "n": lambda: integer(1, 100_000, "an integer"),
        "lam": lambda: real(0, 1, lo_open=True, hi_open=True, what="rate lambda"),
        "periods": lambda: integer(1, max_periods, "an integer"),
        "seed": lambda: seed,
        "x": lambda: grid_range(),
        "y": lambda: grid_range(),
    },
    "derive": {
        "output": lambda: output_file(".tex", what="a LaTeX file"),
        "plot": lambda: figure_file(),
        "periods": lambda: integer(0, max_periods, "an integer"),
        "seed": lambda: seed,
    },
    "corrigendum": {
        "output": lambda: output_file(".tex", what="a LaTeX file"),
        "seed": lambda: seed,
    },
}


def apply_option_types(subparsers: dict, table: dict | None = None) -> None:
    """Install the ``type=`` checks of ``table`` (default :data:`FOREIGN_OPTIONS`) on registered subcommands.

    Every subcommand also gets :class:`HelpFormatter` (its description wrapped to the terminal).

    ``subparsers`` maps command names to their parsers. A command or option missing from the
    parsers is skipped (the command may not exist in this build); tests check that every entry
    matches an option.
    """
    for parser in subparsers.values():
        parser.formatter_class = HelpFormatter
    for command, options in (FOREIGN_OPTIONS if table is None else table).items():
        parser = subparsers.get(command)
        if parser is None:
            continue
        for action in parser._actions:
            if action.dest in options:
                action.type = options[action.dest]()
