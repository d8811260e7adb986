"""Reading facts out of a matplotlib figure (for the figure tests; no pixels compared)."""

from __future__ import annotations

import re

import numpy as np

_MATH = re.compile(r"(?<!\\)\$.*?(?<!\\)\$", re.S)


def texts(fig) -> list[str]:
    """Every visible, non-empty string drawn in the figure (titles, labels, ticks, legends, annotations)."""
    from matplotlib.text import Text

    fig.canvas.draw()  # tick labels exist only after a draw; mathtext must parse
    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            out.append(t.get_text())
    return out


def outside_math(text: str) -> str:
    """The part of a label that is not inside ``$…$`` (escaped dollars kept out)."""
    return _MATH.sub("", text)


def raw_underscores(fig) -> list[str]:
    """Strings with an underscore outside mathtext (a raw identifier such as ``phi_pi`` shown to the reader)."""
    return [t for t in texts(fig) if "_" in outside_math(t)]


def data_axes(fig) -> list:
    """The figure's axes that hold data (colour bars left out)."""
    return [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]


def unlabelled_axes(fig) -> list[str]:
    """Axes whose x or y axis has no label of its own nor on an axes it shares the axis with."""
    bad = []
    axes = data_axes(fig)
    for k, ax in enumerate(axes):
        for which in ("x", "y"):
            label = getattr(ax, f"get_{which}label")()
            siblings = getattr(ax, f"get_shared_{which}_axes")().get_siblings(ax)
            shared = [getattr(s, f"get_{which}label")() for s in siblings if s in axes]
            supy = which == "y" and fig._supylabel is not None and fig._supylabel.get_text()
            if not (label or any(shared) or supy):
                bad.append(f"axes {k}: no {which} label")
    return bad


def titled(fig) -> bool:
    """A figure title, or a title on every data axes that is alone."""
    if fig._suptitle is not None and fig._suptitle.get_text():
        return True
    return any(ax.get_title() for ax in data_axes(fig))


def legend_texts(fig) -> list[str]:
    out = []
    for leg in list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]:
        out += [t.get_text() for t in leg.get_texts()]
    return out


def lines_with_gid(fig, gid: str) -> list:
    return [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_gid() == gid]


def finite_points(line) -> tuple[np.ndarray, np.ndarray]:
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def check_readable(fig) -> None:
    """The facts every geo-sym figure must show (asserted)."""
    assert titled(fig), "no title"
    assert not unlabelled_axes(fig), unlabelled_axes(fig)
    assert not raw_underscores(fig), raw_underscores(fig)
