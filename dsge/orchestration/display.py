"""Notebook displays (``_repr_latex_``) of the orchestration DSGE results, registered with :mod:`geo_sym.display`.

Each display is one MathJax block; names and words are in ``\\text{}`` / ``\\texttt{}`` pieces with the
characters MathJax would show literally (``_``, ``%``) set between them in math mode.
"""

from __future__ import annotations

from geo_sym.display import latex_formatter
from geo_sym.render.latex_text import float_latex, mathjax_text, mathjax_tt

__all__ = ["spectral_latex", "irf_latex", "stability_map_latex", "comparison_latex"]

_SERIES_TEX = {
    "latency": "L",
    "quality": "Q",
    "lambda_lat": r"\lambda_1",
    "lambda_qual": r"\lambda_2",
}


def _status_text(sr) -> str:
    roots = "root" if sr.n_unstable == 1 else "roots"
    return r"%s\text{: }\rho(D\Phi(x^*)) = %s,\ %d\text{ %s outside the unit circle (backward-looking map)}" % (
        mathjax_text(sr.status),
        float_latex(sr.spectral_radius, 6),
        sr.n_unstable,
        roots,
    )


@latex_formatter("dsge.orchestration.linear.SpectralResult")
def spectral_latex(sr) -> str:
    """The Blanchard–Kahn statement of a :class:`~dsge.orchestration.linear.SpectralResult`."""
    return "$" + _status_text(sr) + "$"


@latex_formatter("dsge.orchestration.irf.OrchestrationIRF")
def irf_latex(ir, *, max_periods: int = 10) -> str:
    """The aggregates and SLO weights for the first periods: linear responses, or the labelled nonlinear path."""
    data = ir.linear if ir.linear is not None else ir.nonlinear
    kind = "linear responses" if ir.linear is not None else "no stable solution: nonlinear path of the map"
    names = [k for k in _SERIES_TEX if k in data]
    n = min(max_periods, len(data[names[0]])) if names else 0
    head = r"t & " + " & ".join(str(t) for t in range(n)) + r" \\ \hline"
    rows = [
        r"\Delta %s & %s" % (_SERIES_TEX[k], " & ".join(float_latex(data[k][t], 3) for t in range(n))) for k in names
    ]
    title = r"%s\text{, size }%s\text{: }%s \\ %s" % (
        mathjax_tt(ir.channel),
        float_latex(ir.size, 4),
        mathjax_text(kind),
        _status_text(ir.stability),
    )
    table = "\\begin{array}{l|%s}\n%s\n%s\n\\end{array}" % ("r" * n, head, " \\\\\n".join(rows))
    return "$$\n\\begin{gathered}\n%s \\\\\n%s\n\\end{gathered}\n$$" % (title, table)


@latex_formatter("dsge.orchestration.stability.StabilityMap")
def stability_map_latex(sm) -> str:
    """A one-line summary of a :class:`~dsge.orchestration.stability.StabilityMap` (the grid is a figure)."""
    return (
        r"$\text{stable (Blanchard–Kahn) on %d of %d pairs }(\phi_{\mathrm{lat}}, \phi_{\mathrm{qual}})"
        r"\text{; an SLO-weight floor binds at } x^* \text{ on %d}$"
        % (int(sm.stable.sum()), sm.stable.size, int(sm.floor_binds.sum()))
    )


@latex_formatter("dsge.orchestration.comparison.PolicyComparison")
def comparison_latex(cmp) -> str:
    """Per channel and policy, the Blanchard–Kahn status (the responses are in :meth:`to_frame` and :meth:`plot`)."""
    rows = [
        r"%s & %s & %s" % (mathjax_tt(ch), mathjax_text(pol), mathjax_text(ir.stability.status))
        for (ch, pol), ir in cmp.responses.items()
    ]
    return (
        "$$\n\\begin{array}{lll}\n\\text{shock} & \\text{policy} & \\text{status} \\\\ \\hline\n%s\n\\end{array}\n$$"
        % (" \\\\\n".join(rows))
    )
