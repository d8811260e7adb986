"""Optional presentation dependencies of the result objects: pandas for ``to_frame()``, matplotlib for ``plot()``.

Both are imported only when called; a missing package raises
:class:`~geo_sym.errors.OptionalDependencyError` saying how to install it.
"""

from __future__ import annotations

import os
import sys

import numpy as np

from geo_sym.errors import OptionalDependencyError

__all__ = ["pandas_module", "pyplot_module", "plot_grid"]


def pandas_module():
    """The pandas module (``to_frame()``)."""
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise OptionalDependencyError(
            "to_frame() needs pandas: pip install pandas (or pip install 'geo-sym[test]')"
        ) from exc
    return pd


def pyplot_module():
    """``matplotlib.pyplot``, with the headless Agg backend when no display is available."""
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise OptionalDependencyError("plot() needs matplotlib: pip install matplotlib") from exc
    headless = (
        sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and "MPLBACKEND" not in os.environ and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_grid(values, variables, *, title: str = "", latex_names=None, xlabel: str = "period"):
    """One panel per variable (columns of ``values``) on a near-square grid; returns the figure."""
    plt = pyplot_module()
    n = len(variables)
    ncols = int(np.ceil(np.sqrt(n))) if n else 1
    nrows = int(np.ceil(n / ncols)) if n else 1
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.4 * nrows), squeeze=False)
    latex_names = latex_names or {}
    periods = np.arange(values.shape[0])
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_visible(False)
            continue
        ax.plot(periods, values[:, k], lw=1.5)
        ax.axhline(0.0, color="0.6", lw=0.8)
        label = latex_names.get(variables[k])
        ax.set_title(f"${label}$" if label else variables[k])
        ax.set_xlabel(xlabel)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
