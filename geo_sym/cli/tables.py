"""Text tables of the command line: labelled, no wider than the terminal, one vocabulary.

* :func:`terminal_width` — the width every table fits: the terminal's columns when known
  (``COLUMNS`` or the terminal of stdout), :data:`DEFAULT_WIDTH` (100) when not.
* :func:`text_table` — rows of cells under headers; one column (a reason, a message) wraps to the
  width left, the others are fixed; when too little is left the wrapped text goes on indented lines
  under its row. No line is longer than the width.
* :func:`matrix_table` — a matrix (or any grid of numbers) with labelled rows and columns, its
  columns split into blocks that fit the width.
* :func:`number` and :func:`noise_threshold` — numbers without rounding noise: an entry below
  :data:`NOISE_RTOL` times the largest entry of its table prints as ``0``, and the table says so
  (:func:`rounding_note`).
* :func:`yes_no` — ``yes``/``no`` (or a word for "unknown") instead of Python's ``True``/``False``/``None``.
* :data:`STATUSES` — the verdict statuses, lowercase everywhere.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import textwrap

__all__ = [
    "DEFAULT_WIDTH",
    "NOISE_RTOL",
    "STATUSES",
    "terminal_width",
    "text_table",
    "matrix_table",
    "number",
    "noise_threshold",
    "rounding_note",
    "yes_no",
    "fit",
    "paragraph",
    "fit_lines",
]

#: Width of text output when the terminal's is unknown (output to a file or a pipe).
DEFAULT_WIDTH = 100
#: Display only: an entry whose magnitude is below this multiple of its table's largest entry is
#: floating-point noise of a computation at that scale and prints as 0 (the table says so).
NOISE_RTOL = 1e-12
#: The verdict statuses of ``geo-sym check`` (DESIGN.md's vocabulary), strongest first.
STATUSES = ("proved", "certified", "supported", "inconclusive", "refuted")

_NEG_ZERO = re.compile(r"^-(?=[0.]*(?:e[+-]?\d+)?$)")


def terminal_width(default: int = DEFAULT_WIDTH) -> int:
    """Columns of the terminal (``COLUMNS`` first, then stdout's terminal); ``default`` when unknown."""
    env = os.environ.get("COLUMNS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    cols = shutil.get_terminal_size((0, 0)).columns
    return cols if cols > 0 else default


def paragraph(text: str, width: int | None = None, indent: str = "") -> str:
    """``text`` wrapped to ``width`` (default :func:`terminal_width`); continuation lines start with ``indent``."""
    width = terminal_width() if width is None else width
    lines = textwrap.wrap(text, max(width, 8), subsequent_indent=indent, break_on_hyphens=False) or [""]
    return "\n".join(lines)


def fit_lines(lines, width: int | None = None) -> str:
    """Lines joined, each longer than ``width`` wrapped (continuations indented two more than the line).

    The last guarantee of every text output: tables are already laid out to fit, prose is wrapped here.
    """
    width = terminal_width() if width is None else width
    out = []
    for line in lines if not isinstance(lines, str) else lines.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        out.extend(
            textwrap.wrap(line, max(width, 8), subsequent_indent=lead + "  ", break_on_hyphens=False) or [line[:width]]
        )
    return "\n".join(out)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked by ``…``."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def yes_no(value, unknown: str = "unknown") -> str:
    """``"yes"`` for True, ``"no"`` for False, ``unknown`` for None (never Python's spelling)."""
    if value is None:
        return unknown
    return "yes" if bool(value) else "no"


# ----------------------------------------------------------------------------------------- numbers
def noise_threshold(values, rtol: float = NOISE_RTOL) -> float:
    """``rtol`` times the largest finite magnitude among ``values`` (0 for an empty or all-zero table)."""
    largest = 0.0
    for v in values:
        if v is None or isinstance(v, str):
            continue
        for part in (v.real, v.imag) if isinstance(v, complex) else (v,):
            a = abs(float(part))
            if math.isfinite(a) and a > largest:
                largest = a
    return rtol * largest


def number(x, digits: int | None = 6, *, threshold: float = 0.0, fixed: int | None = None) -> str:
    """One number for a table: ``digits`` significant digits (or ``fixed`` decimals), no noise, no ``-0``.

    ``digits=None`` prints the shortest text that reads back as the same float (for interval bounds,
    which must not be rounded).
    ``|x| < threshold`` prints as ``0``; ``None`` and NaN as ``n/a``; infinities as ``inf``/``-inf``;
    strings pass through; booleans as ``yes``/``no``.
    """
    if isinstance(x, str):
        return x
    if isinstance(x, bool):
        return yes_no(x)
    if x is None:
        return "n/a"
    if isinstance(x, complex):
        re_, im = number(x.real, digits, threshold=threshold, fixed=fixed), abs(x.imag)
        if im < threshold or im == 0:
            return re_
        return f"{re_}{'-' if x.imag < 0 else '+'}{number(im, digits, threshold=threshold, fixed=fixed)}i"
    x = float(x)
    if math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if abs(x) < threshold or (x == 0 and fixed is None):
        return "0"
    if fixed is not None:
        text = f"{x:.{fixed}e}" if abs(x) >= 1e6 else f"{x:.{fixed}f}"
    elif digits is None:  # the shortest text that reads back as the same float (bounds of enclosures)
        text = repr(x)
    else:
        text = f"{x:.{digits}g}"
    return _NEG_ZERO.sub("", text)


def rounding_note(values, threshold: float) -> str | None:
    """A line saying which entries were shown as 0, or ``None`` when no non-zero entry was below ``threshold``."""
    rounded = any(
        isinstance(v, (int, float, complex)) and not isinstance(v, bool) and 0 < abs(v) < threshold for v in values
    )
    if not rounded:
        return None
    return (
        f"(entries of magnitude below {threshold:.1e}, {NOISE_RTOL:g} times the largest entry, are floating-point "
        "noise and shown as 0)"
    )


# ----------------------------------------------------------------------------------------- tables
def text_table(
    headers: list[str],
    rows: list[list[str]],
    *,
    width: int | None = None,
    wrap: int | None = None,
    align: str | None = None,
    rule: bool = False,
    min_wrap: int = 30,
) -> list[str]:
    """Lines of a table whose lines are at most ``width`` characters.

    Parameters
    ----------
    headers : list of str
    rows : list of list of str
        Cells (already formatted). A row with fewer cells is padded with empty ones.
    width : int, optional
        Default :func:`terminal_width`.
    wrap : int, optional
        Index of the column that wraps (a reason, a message; a newline in it starts a paragraph);
        default the last. The other columns keep their natural width (cut with ``…`` if even they
        do not fit).
    align : str, optional
        One letter per column, ``l`` or ``r`` (default: left).
    rule : bool
        A line of ``-`` under the headers (as wide as ``width``, the width the wrapped column fills).
    min_wrap : int
        When fewer columns than this are left for the wrapping column, its text goes on indented
        lines under the row instead.

    Returns
    -------
    list of str
    """
    width = terminal_width() if width is None else max(int(width), 10)
    n = len(headers)
    rows = [[str(c) for c in r] + [""] * (n - len(r)) for r in rows]
    wrap = n - 1 if wrap is None else wrap
    align = align or "l" * n
    natural = [max([len(headers[c])] + [len(r[c]) for r in rows]) for c in range(n)]
    fixed = [c for c in range(n) if c != wrap]
    used = sum(natural[c] for c in fixed) + 2 * (n - 1)
    room = width - used
    stacked = room < min(min_wrap, natural[wrap])

    def cell(text, c, w):
        return f"{text:>{w}}" if align[c] == "r" else f"{text:<{w}}"

    def head(cells) -> list[str]:
        """The fixed cells of a row, aligned when they fit, else wrapped (never cut: a status stays whole)."""
        text = "  ".join(cell(cells[c], c, natural[c]) for c in fixed).rstrip()
        if len(text) <= width:
            return [text]
        return _wrap("  ".join(cells[c] for c in fixed), width, indent="  ")

    out: list[str] = []
    if stacked:  # the wrapped column goes on indented lines under its row
        out += head(headers) + ["    " + headers[wrap]]
        n_head = len(out)
        for r in rows:
            out += head(r) + ["    " + piece for piece in _wrap(r[wrap], max(width - 4, 6))]
    else:
        indent = sum(natural[c] + 2 for c in range(wrap))
        for r in [headers] + rows:
            pieces = _wrap(r[wrap], room) or [""]
            cells = [cell(r[c], c, natural[c]) if c != wrap else pieces[0].ljust(room) for c in range(n)]
            out.append("  ".join(cells).rstrip())
            out.extend(" " * indent + p for p in pieces[1:])
        n_head = 1
    if rule:
        out.insert(n_head, "-" * (width if not stacked else max(len(x) for x in out)))
    return out


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Paragraphs (split at newlines) wrapped to ``width``; words longer than the width are split."""
    return [
        piece
        for para in text.split("\n")
        for piece in textwrap.wrap(para, max(width, 4), subsequent_indent=indent, break_on_hyphens=False)
    ]


def _blocks(col_w: list[int], room: int) -> list[tuple[int, int]]:
    """Column ranges ``[a, b)`` that each fit ``room`` characters: as few blocks as greedy packing needs,
    their sizes balanced (11 columns in two blocks are 6 + 5, not 10 + 1)."""
    greedy, start = [], 0
    while start < len(col_w):
        stop, used = start, 0
        while stop < len(col_w) and (stop == start or used + col_w[stop] <= room):
            used += col_w[stop]
            stop += 1
        greedy.append((start, stop))
        start = stop
    if len(greedy) < 2:
        return greedy
    per = -(-len(col_w) // len(greedy))
    even = [(a, min(a + per, len(col_w))) for a in range(0, len(col_w), per)]
    fits = len(even) == len(greedy) and all(sum(col_w[a:b]) <= room or b - a == 1 for a, b in even)
    return even if fits else greedy


def matrix_table(
    title: str | None,
    row_labels: list,
    col_labels: list,
    cells: list,
    *,
    width: int | None = None,
    corner: str = "",
    digits: int | None = 6,
    fixed: int | None = None,
    threshold: float | None = None,
) -> list[str]:
    """A labelled grid of numbers (or strings), its columns split into blocks that fit ``width``.

    Parameters
    ----------
    title : str or None
        A line above the table.
    row_labels, col_labels : list
        Labels of the rows and of the columns (rows = outputs, columns = inputs for a Jacobian).
    cells : list of lists
        ``cells[r][c]``: numbers, strings, None.
    corner : str
        Text above the row labels (what the rows and columns are, e.g. ``"output\\input"``).
    digits, fixed : int
        Significant digits, or a fixed number of decimals (Dynare's tables).
    threshold : float, optional
        Entries smaller in magnitude print as 0; default :func:`noise_threshold` of the table.
        A line under the table says when an entry was rounded so.

    Returns
    -------
    list of str
    """
    width = terminal_width() if width is None else max(int(width), 10)
    flat = [v for row in cells for v in row]
    thr = noise_threshold(flat) if threshold is None else threshold
    texts = [[number(v, digits, threshold=thr, fixed=fixed) for v in row] for row in cells]
    label_w = min(max([len(corner)] + [len(str(r)) for r in row_labels]) + 2, max(width // 3, 8))
    col_w = [
        min(max([len(str(h))] + [len(t[c]) for t in texts]) + 2, max(width - label_w, 4))
        for c, h in enumerate(col_labels)
    ]
    blocks = _blocks(col_w, width - label_w)
    out = [ln for part in title.split("\n") for ln in textwrap.wrap(part, width)] if title else []
    for k, (a, b) in enumerate(blocks or [(0, 0)]):
        if k:
            out.append("")
        head = f"{fit(corner, label_w - 1):<{label_w}}" + "".join(
            f"{fit(str(col_labels[c]), col_w[c] - 1):>{col_w[c]}}" for c in range(a, b)
        )
        out.append(head.rstrip())
        for r, label in enumerate(row_labels):
            body = f"{fit(str(label), label_w - 1):<{label_w}}" + "".join(
                f"{fit(texts[r][c], col_w[c] - 1):>{col_w[c]}}" for c in range(a, b)
            )
            out.append(body.rstrip())
    note = rounding_note(flat, thr)
    if note:
        out.extend(textwrap.wrap(note, width))
    return out
