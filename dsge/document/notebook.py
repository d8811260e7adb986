"""Notebook displays (``_repr_latex_``) of DSGE results, registered with :mod:`geo_sym.display`.

Each display is one MathJax block: text in ``\\text{}`` pieces without macros inside
(:func:`geo_sym.render.latex_text.mathjax_text`), numbers as ``10^{-6}``, never ``1e-06``.
"""

from __future__ import annotations

import math

import numpy as np

from dsge.document.model import _bar
from dsge.document.names import MAX_MATRIX, _labelled_matrix, _num, variable_latex
from geo_sym.display import latex_formatter
from geo_sym.render.latex_text import mathjax_text, mathjax_tt

__all__ = ["solution_latex", "linearization_latex", "irf_latex", "moments_latex", "bk_latex"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _bk_row(bk) -> str:
    """The Blanchard–Kahn statement: status, unstable roots against forward-looking variables, tolerance."""
    return r"%s\text{: }%s\text{ for }%s\text{ (tolerance }%s\text{)}" % (
        mathjax_text(bk.status),
        mathjax_text(_plural(bk.n_unstable, "unstable root")),
        mathjax_text(_plural(bk.n_forward, "forward-looking variable")),
        _num(bk.tolerance, 3),
    )


@latex_formatter("dsge.solution.blanchard_kahn.BKResult")
def bk_latex(bk, *, max_moduli: int = 12) -> str:
    """A :class:`~dsge.solution.blanchard_kahn.BKResult`: the statement and the sorted moduli of the roots."""
    mods = [(_num(m, 4) if math.isfinite(m) else r"\infty") for m in bk.moduli[:max_moduli]]
    more = r",\ \dots" if len(bk.moduli) > max_moduli else ""
    rows = [_bk_row(bk), r"\lvert\lambda\rvert:\ " + r",\ ".join(mods) + more if mods else mathjax_text("no roots")]
    if bk.boundary:
        rows.append(mathjax_text("a root lies within the tolerance of the unit circle (counted as stable)"))
    return "$$\n\\begin{array}{l}\n%s\n\\end{array}\n$$" % " \\\\\n".join(rows)


@latex_formatter("dsge.solution.results.Solution")
def solution_latex(solution, *, max_variables: int = 40) -> str | None:
    """A :class:`~dsge.solution.results.Solution` for notebooks: steady state and Blanchard–Kahn status (MathJax).

    Returns None when the model has more than ``max_variables`` variables.
    """
    variables = list(solution.variables[: solution.declared])
    if len(variables) > max_variables:
        return None
    names = solution.latex_names or {}
    bk = solution.bk
    rows = [r"%s\text{: }%s & \\ \hline" % (mathjax_tt(solution.model_name), _bk_row(bk))]
    body = [r"%s & %s" % (_bar(v, names), _num(val, 8)) for v, val in zip(variables, solution.steady_state.values)]
    return "$$\n\\begin{array}{lr}\n%s\n%s\n\\end{array}\n$$" % (rows[0], " \\\\\n".join(body))


@latex_formatter("dsge.solution.results.Linearization")
def linearization_latex(lin, latex_names: dict | None = None, *, max_variables: int = MAX_MATRIX) -> str | None:
    """``F_+``, ``F_0``, ``F_-``, ``F_ε`` of a :class:`~dsge.solution.results.Linearization` (None when too large)."""
    variables, shocks = list(lin.variables), list(lin.shocks)
    n = len(variables)
    if n > max_variables:
        return None
    names = latex_names or {}
    cols = [variable_latex(v, None, names) for v in variables]
    rows = [f"({i + 1})" for i in range(n)]
    parts = [
        r"F_{+} = %s" % _labelled_matrix(lin.f_lead, rows, cols),
        r"F_{0} = %s" % _labelled_matrix(lin.f_cur, rows, cols),
        r"F_{-} = %s" % _labelled_matrix(lin.f_lag, rows, cols),
    ]
    if shocks:
        parts.append(
            r"F_{\varepsilon} = %s"
            % _labelled_matrix(lin.f_shock, rows, [variable_latex(e, None, names) for e in shocks])
        )
    return "$$\n\\begin{gathered}\n%s\n\\end{gathered}\n$$" % " \\\\\n".join(parts)


@latex_formatter("dsge.solution.results.IRFResult")
def irf_latex(irf, *, max_periods: int = 12, max_variables: int = 12) -> str | None:
    """An :class:`~dsge.solution.results.IRFResult` as a table (periods as columns); None when larger than the limits."""
    if irf.periods > max_periods or len(irf.variables) > max_variables:
        return None
    names = irf.latex_names or {}
    head = r"\text{period} & " + " & ".join(str(t) for t in range(irf.periods)) + r" \\ \hline"
    rows = [
        r"%s & %s" % (variable_latex(v, None, names), " & ".join(_num(irf.values[t, k], 4) for t in range(irf.periods)))
        for k, v in enumerate(irf.variables)
    ]
    return "$$\n\\begin{array}{l|%s}\n%s\n%s\n\\end{array}\n$$" % ("r" * irf.periods, head, " \\\\\n".join(rows))


@latex_formatter("dsge.solution.moments.MomentsResult")
def moments_latex(moments, latex_names: dict | None = None, *, max_variables: int = 40) -> str | None:
    """Standard deviations and first autocorrelations of a :class:`~dsge.solution.results.MomentsResult`."""
    if len(moments.variables) > max_variables:
        return None
    names = latex_names or {}
    head = r" & \text{std} & \text{autocorr.} \\ \hline"
    ac = moments.autocorrelation
    first = ac[:, 0] if ac.shape[1] else np.full(len(moments.variables), np.nan)

    def cell(x, digits=6):  # NaN: no moment (a constant's autocorrelation, a non-stationary variable)
        return r"\text{n/a}" if np.isnan(x) else _num(x, digits)

    rows = [
        r"%s & %s & %s" % (variable_latex(v, None, names), cell(moments.std[k]), cell(first[k], 4))
        for k, v in enumerate(moments.variables)
    ]
    return "$$\n\\begin{array}{lrr}\n%s\n%s\n\\end{array}\n$$" % (head, " \\\\\n".join(rows))
