r"""Analytic boundaries drawn over parameter maps, computed from the economy or model in hand.

A :class:`BoundaryLine` is a curve in the coordinates of a map (or, when the boundary does not cross
the map or does not apply, a note saying so) plus the side where the condition holds.
:func:`condition_15` gives the paper's sufficient condition (15) of Proposition 6.2,

.. math:: \tau > (1 - \alpha)\,\gamma_{\mathcal A}\,P ,

on maps over ``alpha``, ``tau`` and ``gamma`` (the ``γ`` of ``G = γI``, so ``γ_A = |γ|``);
the Taylor-principle lines of DSGE maps are in :mod:`dsge.solution.taylor_boundary`.
:func:`draw_boundaries` draws them with a legend entry each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["BoundaryLine", "condition_15", "draw_boundaries", "cell_edges", "curve_points", "CONDITION_15_PARAMETERS"]

#: Map axes on which condition (15) is a curve (sweep paths are accepted too).
CONDITION_15_PARAMETERS = ("alpha", "tau", "gamma")
_SAMPLES = 801


@dataclass(frozen=True, eq=False)
class BoundaryLine:
    """A boundary in a map's coordinates.

    Attributes
    ----------
    label : str
        Legend text (mathtext), e.g. the boundary's equation.
    x, y : numpy.ndarray
        Points of the curve (NaN breaks it); empty when nothing is drawn.
    note : str
        Why nothing (or only part) is drawn, or the verdict of a condition that does not depend on the
        map's axes; shown in the legend. Empty when the curve says it all.
    holds : callable or None
        ``holds(X, Y) -> bool array``: where the condition holds (hatched), when that is meaningful.
    holds_label : str
        Legend text of the hatched side.
    kind : str
        ``"condition-15"``, ``"nk3"``, ``"taylor-principle"``.
    """

    label: str
    x: np.ndarray
    y: np.ndarray
    note: str = ""
    holds: Callable | None = None
    holds_label: str = ""
    kind: str = ""

    @property
    def drawn(self) -> bool:
        """True when the curve has at least one point to draw."""
        return bool(np.any(np.isfinite(self.x) & np.isfinite(self.y)))

    def __repr__(self) -> str:
        return f"BoundaryLine(kind={self.kind!r}, points={int(np.sum(np.isfinite(self.y)))}, note={bool(self.note)})"


def cell_edges(g) -> np.ndarray:
    """Cell edges around increasing centres ``g`` (half-way between neighbours): the extent of a map."""
    g = np.asarray(g, dtype=float).ravel()
    if g.size == 1:
        w = 0.5 * max(abs(g[0]), 1.0)
        return np.array([g[0] - w, g[0] + w])
    mid = 0.5 * (g[1:] + g[:-1])
    return np.concatenate([[g[0] - (mid[0] - g[0])], mid, [g[-1] + (g[-1] - mid[-1])]])


def _short(name: str) -> str:
    return str(name).rsplit(".", 1)[-1]


def _note(label: str, note: str, kind: str) -> BoundaryLine:
    return BoundaryLine(label, np.empty(0), np.empty(0), note=note, kind=kind)


_LINE_15 = r"condition (15): $\tau = (1-\alpha)\,\gamma_{\mathcal{A}}P$"


def condition_15(econ, xname: str, xs, yname: str, ys) -> BoundaryLine:
    r"""Condition (15) of Proposition 6.2 on a map over ``(xname, yname)``, from the economy's values.

    The curve ``τ = (1 − α) γ_A P`` is solved for the vertical parameter as a function of the
    horizontal one (or, when only the horizontal axis enters, drawn as a vertical line); ``P`` is the
    depth of the DAG, ``γ_A = ‖G‖₂`` of the linear price mechanism (``|γ|`` on a ``gamma`` axis), and the
    parameters not on an axis keep the economy's values. ``xs``, ``ys`` are the map's cell centres;
    points outside the map's extent (:func:`cell_edges`) are NaN.

    Returns
    -------
    BoundaryLine
        With a ``note`` instead of a curve when the price mechanism is not linear (the paper's
        ``γ_A`` does not exist), when neither axis enters (15) (it then holds or fails on the whole
        map, and the note says which), or when the curve misses the map.
    """
    xs = cell_edges(xs)[[0, -1]]
    ys = cell_edges(ys)[[0, -1]]
    kind = "condition-15"
    pm = econ.price_mechanism
    if pm.kind != "linear":
        return _note(
            "condition (15) not drawn",
            r"condition (15) does not apply: it needs a linear price mechanism ($\gamma_{\mathcal{A}}$); "
            "this economy uses the tâtonnement (11)",
            kind,
        )
    P = float(econ.depth)
    base = {"alpha": float(econ.alpha), "tau": float(econ.tau), "gamma": float(pm.spectral_norm)}
    xn, yn = _short(xname), _short(yname)
    on = [n for n in (xn, yn) if n in CONDITION_15_PARAMETERS]
    consts = {k: v for k, v in base.items() if k not in on}
    about = rf"($P = {econ.depth:d}$" + (
        rf", $\gamma_{{\mathcal{{A}}}} = {base['gamma']:.4g}$)" if "gamma" not in on else ")"
    )

    def value(name, X, Y):
        if name == xn:
            return X
        if name == yn:
            return Y
        return consts[name]

    def holds(X, Y):
        a, t, g = value("alpha", X, Y), value("tau", X, Y), np.abs(value("gamma", X, Y))
        return np.asarray(t > (1.0 - a) * g * P)

    holds_label = r"(15) holds: Prop. 6.2 claims $\|D\Phi_K\|_{op} < 1$"
    if not on:
        ok = bool(holds(np.array(0.0), np.array(0.0)))
        rate = (1 - base["alpha"]) * base["gamma"] * P
        verdict = "holds" if ok else "fails"
        rel = ">" if ok else r"\leq"
        return _note(
            "condition (15)",
            rf"condition (15) {verdict} on the whole map: $\tau = {base['tau']:.4g} {rel} "
            rf"(1-\alpha)\gamma_{{\mathcal{{A}}}}P = {rate:.4g}$",
            kind,
        )
    if yn in on:

        def branches(X):
            return _solve_for(yn, np.shape(X), lambda name: value(name, X, None), P)

        def inverse(Y):
            return _solve_for(xn, np.shape(Y), lambda name: value(name, None, Y), P)

        x, y = curve_points(branches, inverse if xn in on else None, xs, ys)
    else:
        xline = _solve_for(xn, (2,), lambda name: consts[name], P)
        x, y = _join([(c, np.array([ys.min(), ys.max()])) for c in xline], xs, ys)
    line = BoundaryLine(_LINE_15 + "\n" + about, x, y, holds=holds, holds_label=holds_label, kind=kind)
    if not line.drawn:
        inside = bool(np.all(holds(*np.meshgrid(np.linspace(*xs, 50), np.linspace(*ys, 50)))))
        return _note(
            "condition (15)",
            f"condition (15) {'holds' if inside else 'fails'} on the whole map (its boundary lies outside) {about}",
            kind,
        )
    return line


def _solve_for(name: str, shape, get, P: float) -> list:
    """Values of ``name`` on ``τ = (1 − α)|γ|P`` given the other two (broadcast to ``shape``); ``γ`` has two
    branches ``±τ/((1 − α)P)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "tau":
            out = [(1.0 - get("alpha")) * np.abs(get("gamma")) * P]
        elif name == "alpha":
            g = np.abs(get("gamma")) * P
            out = [np.where(g > 0, 1.0 - get("tau") / np.where(g > 0, g, 1.0), np.nan)]
        else:
            g = get("tau") / ((1.0 - get("alpha")) * P)
            out = [g, -g]
    return [np.broadcast_to(np.asarray(v, dtype=float), shape) for v in out]


def curve_points(branches, inverse, xr, yr) -> tuple[np.ndarray, np.ndarray]:
    """Points of the curves ``y = b(x)`` for each ``b`` of ``branches(X)`` inside the box ``xr × yr``.

    The abscissae are a fine grid plus, when ``inverse(Y)`` (the curves solved for ``x``) is given, the
    exact points where the curves meet the box's top and bottom, so a steep line reaches the box's edge
    exactly; every point lies on its curve (``y`` is computed from ``x``), NaN breaks it.
    """
    xr, yr = np.asarray(xr, dtype=float), np.asarray(yr, dtype=float)
    grid = [np.linspace(xr.min(), xr.max(), _SAMPLES)]
    if inverse is not None:
        for xs_edge in inverse(np.array([yr.min(), yr.max()])):
            grid.append(np.asarray(xs_edge, dtype=float).ravel())
    X = np.unique(np.concatenate(grid))
    tol = 1e-9 * max(np.ptp(xr), 1e-300)
    X = X[np.isfinite(X) & (X >= xr.min() - tol) & (X <= xr.max() + tol)]
    return _join([(X, b) for b in branches(X)], xr, yr)


def _join(pts, xs, ys) -> tuple[np.ndarray, np.ndarray]:
    """Curves concatenated with NaN breaks; points outside the map's ranges (or not finite) set to NaN."""
    xo, yo = [], []
    for px, py in pts:
        px = np.broadcast_to(np.asarray(px, dtype=float), np.shape(py)).copy()
        py = np.asarray(py, dtype=float).copy()
        out = ~np.isfinite(px) | ~np.isfinite(py)
        tx, ty = 1e-9 * max(np.ptp(xs), 1e-300), 1e-9 * max(np.ptp(ys), 1e-300)  # rounding at the box's edge
        out |= (py < ys.min() - ty) | (py > ys.max() + ty) | (px < xs.min() - tx) | (px > xs.max() + tx)
        py[out] = np.nan
        xo += [px, [np.nan]]
        yo += [py, [np.nan]]
    return np.concatenate(xo[:-1]) if xo else np.empty(0), np.concatenate(yo[:-1]) if yo else np.empty(0)


# ----------------------------------------------------------------------------- drawing
HATCH_COLOR = (1.0, 1.0, 1.0, 0.55)
_STYLES = ({"color": "black", "ls": "-"}, {"color": "black", "ls": "--"}, {"color": "black", "ls": ":"})


def draw_boundaries(ax, boundaries, *, hatch: bool = True) -> list:
    """Draw each boundary on ``ax`` (with a white halo, so it reads over any colour) and return legend handles.

    A boundary with ``holds`` gets its holding side hatched (light, under the line); a boundary that is only
    a note becomes a legend entry without a line.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.patheffects import Normal, Stroke

    handles = []
    halo = [Stroke(linewidth=3.2, foreground="white"), Normal()]
    for k, b in enumerate(boundaries):
        style = _STYLES[k % len(_STYLES)]
        if b.drawn:
            (ln,) = ax.plot(b.x, b.y, lw=1.5, label=b.label, zorder=5, path_effects=halo, **style)
            ln.set_gid(f"boundary-{b.kind}")
            handles.append(ln)
            if hatch and b.holds is not None:
                _hatch(ax, b)
                handles.append(Patch(facecolor="0.5", edgecolor=HATCH_COLOR, hatch="//", lw=0, label=b.holds_label))
        if b.note:
            handles.append(Line2D([], [], ls="none", label=b.note))
    return handles


def _hatch(ax, b: BoundaryLine) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    X, Y = np.meshgrid(np.linspace(x0, x1, 300), np.linspace(y0, y1, 300))
    mask = np.asarray(b.holds(X, Y), dtype=float)
    if 0 < mask.mean() <= 1:
        cs = ax.contourf(X, Y, mask, levels=[0.5, 1.5], colors="none", hatches=["//"], zorder=4)
        # matplotlib >= 3.8: the ContourSet is the collection; before, its .collections
        for artist in [cs] if hasattr(cs, "set_edgecolor") else cs.collections:
            artist.set_edgecolor(HATCH_COLOR)
            artist.set_linewidth(0)
