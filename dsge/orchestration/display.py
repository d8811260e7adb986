"""Notebook displays (``_repr_latex_``) of the orchestration DSGE results, registered with :mod:`geo_sym.display`."""

from __future__ import annotations

from geo_sym.display import latex_formatter
from geo_sym.render.printer import float_latex

__all__ = ["spectral_latex", "irf_latex", "stability_map_latex", "comparison_latex"]

_SERIES_TEX = {
    "latency": "L",
    "quality": "Q",
    "lambda_lat": r"\lambda_1",
    "lambda_qual": r"\lambda_2",
}


def _status_text(sr) -> str:
    return r"\text{%s: }\rho(D\Phi(x^*)) = %s,\ %d\text{ root%s outside the unit circle (backward-looking map)}" % (
        sr.status,
        float_latex(sr.spectral_radius, 6),
        sr.n_unstable,
        "" if sr.n_unstable == 1 else "s",
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
    title = r"\text{%s, size %s: %s} \\ %s" % (
        ir.channel.replace("_", r"\_"),
        float_latex(ir.size, 4),
        kind,
        _status_text(ir.stability),
    )
    table = "\\begin{array}{l|%s}\n%s\n%s\n\\end{array}" % ("r" * n, head, " \\\\\n".join(rows))
    return "$$\n\\begin{gathered}\n%s \\\\\n%s\n\\end{gathered}\n$$" % (title, table)


@latex_formatter("dsge.orchestration.stability.StabilityMap")
def stability_map_latex(sm) -> str:
    """A one-line summary of a :class:`~dsge.orchestration.stability.StabilityMap` (the grid is a figure)."""
    return (
        r"$\text{stable (Blanchard–Kahn) on %d of %d pairs }(\phi_{lat}, \phi_{qual})\text{; an SLO-weight floor binds at } x^* \text{ on %d}$"
        % (
            int(sm.stable.sum()),
            sm.stable.size,
            int(sm.floor_binds.sum()),
        )
    )


@latex_formatter("dsge.orchestration.comparison.PolicyComparison")
def comparison_latex(cmp) -> str:
    """Per channel and policy, the Blanchard–Kahn status (the responses are in :meth:`to_frame` and :meth:`plot`)."""
    rows = [
        r"\text{%s} & \text{%s} & \text{%s}" % (ch.replace("_", r"\_"), pol, ir.stability.status)
        for (ch, pol), ir in cmp.responses.items()
    ]
    return (
        "$$\n\\begin{array}{lll}\n\\text{shock} & \\text{policy} & \\text{status} \\\\ \\hline\n%s\n\\end{array}\n$$"
        % (" \\\\\n".join(rows))
    )
