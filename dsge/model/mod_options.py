"""Options of Dynare ``.mod`` statements (``stoch_simul``, ``steady``, ``check``, ``model``): which are
read, which are ignored, and how their values are read (for :mod:`dsge.model.mod_file`)."""

from __future__ import annotations

import re

from dsge.model.spec import OPTION_TYPES

__all__ = [
    "STOCH_SIMUL_OPTIONS",
    "IGNORED_OPTIONS",
    "STEADY_OPTIONS",
    "CHECK_OPTIONS",
    "MODEL_OPTIONS",
    "split_options",
    "read_option",
    "names",
]

#: stoch_simul options: name -> how the value is read (``flag`` options take none): the YAML format's
#: ``stoch_simul`` options (:data:`dsge.model.spec.OPTION_TYPES`) and ``qz_criterium``
STOCH_SIMUL_OPTIONS = {
    **{key: "flag" if kind == "bool" else kind for key, kind in OPTION_TYPES.items() if key != "var_list"},
    "qz_criterium": "number",
}
_GRAPHS = "Dynare graphs and printing"
_ALGORITHM = "Dynare's choice of algorithm; the first-order solution is the same"
#: Options accepted and ignored (option -> why): they only affect Dynare's graphs, printing or choice of
#: algorithm, or only orders above 1.
IGNORED_OPTIONS = {
    **dict.fromkeys(
        ("graph", "print", "graph_format", "tex", "nodisplay", "contemporaneous_correlation", "irf_plot_threshold"),
        _GRAPHS,
    ),
    **dict.fromkeys(("dr_display_tol", "noprint_summary"), _GRAPHS),
    **dict.fromkeys(
        ("filtered_theoretical_moments_grid", "hp_ngrid"),
        "the grid of Dynare's HP-filtered moments; geo-sym refines its grid until the moments converge",
    ),
    **dict.fromkeys(("dr", "solve_algo", "aim_solver", "k_order_solver"), _ALGORITHM),
    "replic": "it only matters at order 2 or more",
    "pruning": "it only matters at order 2 or more",
    "simul": "an obsolete option Dynare 5 ignores",
}
STEADY_OPTIONS = ("solve_algo", "maxit", "tolf", "tolx", "markowitz", "nocheck", "noprint", "homotopy_mode")
CHECK_OPTIONS = ("qz_zero_threshold", "solve_algo", "nocheck")
MODEL_OPTIONS = ("linear", "use_dll", "bytecode", "block", "no_static", "differentiate_forward_vars", "fast", "cutoff")


def names(text: str) -> list[str]:
    """The names of a list ``a b, c`` (``varobs``, ``stoch_simul``'s variables, ``var a, b = ...``)."""
    return [n for n in re.split(r"[\s,]+", text.strip()) if n]


def split_options(text: str) -> list[str]:
    """The comma-separated items of an option list (commas inside ``()``/``[]`` kept: ``[1 4, 8]``)."""
    items, depth, cur = [], 0, []
    for c in text:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            items.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
    if "".join(cur).strip():
        items.append("".join(cur).strip())
    return [i for i in items if i]


def read_option(kind: str, key: str, value: str, eq: str, fail):
    """The value of one option ``key=value`` read as ``kind`` (see :data:`STOCH_SIMUL_OPTIONS`).

    Parameters
    ----------
    kind, key, value : str
    eq : str
        ``"="`` when the option was given a value, else ``""``.
    fail : callable
        ``expected -> ModelFileError`` naming the statement and its line (raised on a bad value).
    """
    if kind == "flag":
        if eq:
            raise fail(f"the flag {key} without a value")
        return True
    if not eq or not value:
        raise fail(f"{key} = VALUE")
    if kind == "int":
        if re.fullmatch(r"[0-9]{1,18}", value) is None:  # ASCII digits (str.isdigit also takes '²')
            raise fail("a non-negative integer (at most 18 digits)")
        return int(value)
    if kind == "number":
        try:
            return float(value)
        except ValueError:
            raise fail("a number") from None
    if kind == "names":
        return [n for n in re.split(r"[\s,()]+", value) if n]
    return _int_list(value, fail)


#: the longest horizon (dsge.solution.results.MAX_PERIODS, which this layer cannot import)
_MAX_HORIZON = 10_000


def _int_list(value: str, fail) -> list[int]:
    """``8``, ``[1 4 8]``, ``(1:8)``, ``[1:4, 8]`` as a sorted list of integers."""
    out: set[int] = set()
    for part in re.split(r"[\s,]+", value.strip("[]() ")):
        if not part:
            continue
        m = re.fullmatch(r"([0-9]{1,18})(?::([0-9]{1,18}))?", part)
        if m is None:
            raise fail("horizons like 8, [1 4 8] or (1:8)")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi > _MAX_HORIZON:  # before the range is built: [1:100000000] would fill the memory
            raise fail(f"horizons between 1 and {_MAX_HORIZON}")
        out.update(range(lo, hi + 1))
    if not out or min(out) < 1:
        raise fail("horizons >= 1")
    return sorted(out)
