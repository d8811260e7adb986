"""Presentation helpers of the result objects: pandas for ``to_frame()``, a panel grid for ``plot()``.

pandas is imported only when called (a missing package raises
:class:`~geo_sym.errors.OptionalDependencyError` saying how to install it); figures are made without
``pyplot``, in the style of :mod:`geo_sym.render.plot_style`.
"""

from __future__ import annotations

import numpy as np

from geo_sym.errors import OptionalDependencyError
from geo_sym.render.plot_style import DOUBLE_COLUMN, PALETTE, new_figure, styled, symbol

__all__ = ["pandas_module", "plot_grid"]


def pandas_module():
    """The pandas module (``to_frame()``)."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise OptionalDependencyError(
            "to_frame() needs pandas: pip install pandas (or pip install 'geo-sym[test]')"
        ) from exc
    return pd


@styled
def plot_grid(values, variables, *, title: str = "", latex_names=None, xlabel: str = "period $t$", ylabel: str = ""):
    """One panel per variable (columns of ``values``) on a grid of up to three columns; returns the figure.

    Panel titles are the variables' symbols (the model's ``latex_names``, else the symbol table of
    :mod:`geo_sym.render.plot_style`); ``ylabel`` (e.g. the units) is shared by the panels.
    """
    n = len(variables)
    ncols = min(3, max(n, 1))
    nrows = max(int(np.ceil(n / ncols)), 1)
    fig, axes = new_figure(
        (min(2.35 * ncols, DOUBLE_COLUMN), 1.75 * nrows + 0.7), nrows, ncols, squeeze=False, sharex=True
    )
    latex_names = latex_names or {}
    periods = np.arange(values.shape[0])
    for k, ax in enumerate(axes.flat):
        if k >= n:
            fig.delaxes(ax)
            continue
        ax.plot(periods, values[:, k], lw=1.3, color=PALETTE[0])
        ax.axhline(0.0, color="0.6", lw=0.6)
        ax.set_title(symbol(variables[k], latex_names))
        if k >= n - ncols:
            ax.set_xlabel(xlabel)
            ax.xaxis.set_tick_params(labelbottom=True)
    if ylabel:
        fig.supylabel(ylabel)
    if title:
        fig.suptitle(title)
    return fig
