"""Figures of sweep results (headless, :func:`geo_sym.render.plots.new_figure`).

Grids: one varied path gives a curve, two a map (:func:`geo_sym.render.plots.plot_stability_map`:
colour for numbers with the contour ``ρ = 1`` for spectral radii, one colour per status for
Blanchard–Kahn statuses and verdicts), three or four a grid of maps over the first two paths, one
panel per value of the others, on a shared colour scale. Random sweeps: the first two paths as a
scatter coloured by the value. Searches: counts per verdict. Basins: the slice coloured by the
equilibrium each start converges to, with the equilibria marked.
"""

from __future__ import annotations

import numpy as np

from geo_sym.errors import ValidationError

__all__ = ["plot_result", "STATUS_CODES"]

STATUS_CODES = {
    "bk_status": ["determinate", "indeterminate", "no-stable-solution"],
    "verdict": ["proved", "refuted", "certified", "supported", "inconclusive"],
}
_SKIP = ("error", "error_type", "seconds")
_PREFERRED = ("spectral_radius", "bk_status", "verdict", "fixed_points", "equilibria", "irf_peak", "n_unstable")
_PALETTE = ["#4c9a5b", "#e3b23c", "#c0392b", "#5b7db1", "#8e6c8a", "#7f7f7f"]
_STATUS_COLORS = {
    "proved": "#4c9a5b",
    "certified": "#5b7db1",
    "supported": "#e3b23c",
    "inconclusive": "#9a9a9a",
    "refuted (confirmed)": "#c0392b",
    "refuted (not confirmed)": "#e08a7e",
    "failed": "#000000",
}


def plot_result(res, variable=None):
    """The figure of a :class:`~geo_sym.sweep.results.SweepResult` (see the module docstring)."""
    if res.kind == "search":
        return _plot_search(res)
    if res.kind == "basins":
        return _plot_basins(res)
    ds = res.data
    names = [v for v in ds.data_vars if v not in _SKIP]
    preferred = [v for v in _PREFERRED if v in names]
    variable = variable or (preferred or names)[0]
    if variable not in ds.data_vars:
        raise ValidationError("variable", variable, "a variable of the results: " + ", ".join(names))
    da = ds[variable]
    for extra in ("claim", "equilibrium"):
        if extra in da.dims:
            da = da.isel({extra: 0})
    if res.kind == "random":
        return _plot_scatter(ds, da, variable)
    if len(da.dims) > 4:
        raise ValidationError("variable", list(da.dims), "at most 4 varied paths to draw (select values first)")
    return _plot_grid(da, variable)


def _codes(da, variable):
    """Numbers to draw and, for statuses, ``{code: label}``."""
    if da.dtype.kind in "US":
        cats = STATUS_CODES.get(variable) or sorted({str(v) for v in da.values.ravel() if str(v)})
        vals = np.full(da.shape, np.nan)
        for i, c in enumerate(cats):
            vals[da.values == c] = i
        return vals, dict(enumerate(cats))
    return np.asarray(da.values, dtype=float), None


def _plot_grid(da, variable):
    from geo_sym.render.plots import new_figure, plot_stability_map

    vals, cats = _codes(da, variable)
    dims = da.dims
    boundary = 1.0 if variable == "spectral_radius" else None
    if len(dims) == 1:
        fig, ax = new_figure((5.5, 3.8))
        x = da[dims[0]].values
        ax.plot(x, vals, "o-", ms=3)
        if cats:
            ax.set_yticks(list(cats), [cats[k] for k in cats])
        ax.set_xlabel(dims[0])
        ax.set_ylabel(variable)
        return fig
    xs, ys = da[dims[0]].values, da[dims[1]].values
    if len(dims) == 2:
        return plot_stability_map(
            xs,
            ys,
            vals.T,
            xlabel=dims[0],
            ylabel=dims[1],
            title=variable,
            colorbar_label=variable,
            boundary=boundary,
            categories=cats,
        )
    rows = da[dims[2]].values
    cols = da[dims[3]].values if len(dims) == 4 else np.array([None])
    fig, axes = new_figure((2.6 * len(cols) + 1.2, 2.3 * len(rows) + 0.6), len(rows), len(cols), squeeze=False)
    finite = vals[np.isfinite(vals)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    mesh = None
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            ax = axes[i, j]
            panel = vals[:, :, i, j] if len(dims) == 4 else vals[:, :, i]
            mesh = _panel(ax, xs, ys, panel.T, lo, hi, cats, boundary)
            ax.set_title(f"{dims[2]}={_fmt(r)}" + ("" if c is None else f", {dims[3]}={_fmt(c)}"), fontsize=7)
            ax.tick_params(labelsize=6)
            if i == len(rows) - 1:
                ax.set_xlabel(dims[0], fontsize=7)
            if j == 0:
                ax.set_ylabel(dims[1], fontsize=7)
    if cats:
        from matplotlib.patches import Patch

        handles = [Patch(facecolor=_PALETTE[k % 6], label=cats[k]) for k in cats if np.any(vals == k)]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8)
    elif mesh is not None:
        fig.colorbar(mesh, ax=axes, label=variable, shrink=0.8)
    fig.suptitle(variable + (" (black: ρ = 1; blue stable, red unstable)" if boundary else ""), fontsize=10)
    return fig


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, (float, np.floating)) else str(v)


def _panel(ax, xs, ys, v, lo, hi, cats, boundary):
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from geo_sym.render.plots import _edges

    ex, ey = _edges(np.asarray(xs, float)), _edges(np.asarray(ys, float))
    if cats:
        cm = ListedColormap([_PALETTE[k % 6] for k in range(len(cats))])
        norm = BoundaryNorm(np.arange(len(cats) + 1) - 0.5, len(cats))
        return ax.pcolormesh(ex, ey, np.ma.masked_invalid(v), cmap=cm, norm=norm, shading="flat")
    if boundary is not None and lo < boundary < hi:  # diverging about ρ = 1: stable blue, unstable red
        from matplotlib.colors import TwoSlopeNorm

        norm, cmap = TwoSlopeNorm(vmin=lo, vcenter=boundary, vmax=hi), "RdBu_r"
    else:
        from matplotlib.colors import Normalize

        norm, cmap = Normalize(vmin=lo, vmax=hi), "viridis"
    mesh = ax.pcolormesh(ex, ey, np.ma.masked_invalid(v), cmap=cmap, norm=norm, shading="flat")
    f = v[np.isfinite(v)]
    if boundary is not None and len(xs) > 1 and len(ys) > 1 and f.size and f.min() < boundary < f.max():
        ax.contour(xs, ys, np.ma.masked_invalid(v), levels=[boundary], colors="k", linewidths=1.0)
    return mesh


def _plot_scatter(ds, da, variable):
    from geo_sym.render.plots import new_figure

    paths = [c for c in ds.coords if c != "point" and ds[c].dims == ("point",)]
    if len(paths) < 1:
        raise ValidationError("variable", variable, "a random sweep with at least one varied path to draw")
    vals, cats = _codes(da, variable)
    fig, ax = new_figure((5.8, 4.4))
    x = ds[paths[0]].values
    y = ds[paths[1]].values if len(paths) > 1 else vals
    sc = ax.scatter(x, y, c=vals, s=8, cmap="viridis" if not cats else None)
    ax.set_xlabel(paths[0])
    ax.set_ylabel(paths[1] if len(paths) > 1 else variable)
    if not cats:
        fig.colorbar(sc, ax=ax, label=variable)
    ax.set_title(variable, fontsize=10)
    return fig


def _plot_search(res):
    from geo_sym.render.plots import new_figure

    ds = res.data
    status = np.array(
        [
            "failed" if str(e) else (f"refuted ({v})" if s == "refuted" else str(s))
            for s, v, e in zip(ds["status"].values, ds["verified"].values, ds["error"].values)
        ]
    )
    fig, (ax, ax2) = new_figure((10.5, 3.9), 1, 2)
    order = [s for s in _STATUS_COLORS if np.any(status == s)]
    counts = [int(np.sum(status == s)) for s in order]
    bars = ax.bar([s.replace(" (", "\n(") for s in order], counts, color=[_STATUS_COLORS[s] for s in order])
    ax.bar_label(bars, fontsize=8)
    ax.set_ylabel("economies")
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title(
        f"{ds.attrs.get('claim', '')}: verdicts on {len(status)} random economies\n"
        "(refutations re-checked by the independent verifier)",
        fontsize=9,
    )
    x = ds["rate"].values if np.any(np.isfinite(ds["rate"].values)) else ds["tau"].values
    agents = ds["agents"].values
    rng = np.random.default_rng(0)  # jitter for the drawing only
    for s in order:
        m = status == s
        ax2.scatter(x[m], agents[m] + rng.uniform(-0.25, 0.25, m.sum()), s=6, color=_STATUS_COLORS[s], label=s)
    ax2.set_xlabel("claimed rate (1 − α)γ_A P / τ" if np.any(np.isfinite(ds["rate"].values)) else "τ")
    ax2.set_ylabel("agents (jittered)")
    ax2.legend(fontsize=7, markerscale=2)
    cx = res.summary.get("counterexample") if res.summary else None
    if cx:
        ax2.set_title(
            f"smallest counterexample, shrunk: {cx['agents']} agent(s), K = {cx['K']}, {cx['edges']} edge(s)",
            fontsize=8,
        )
    return fig


def _plot_basins(res):
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    from geo_sym.render.plots import _edges, new_figure

    ds = res.data
    if "slice_label" not in ds:
        raise ValidationError("slice", None, "a basins sweep with a slice to draw")
    n_eq = ds.sizes["equilibrium"]
    labels = ds["slice_label"].values
    codes = np.where(labels >= 0, labels, n_eq + (-labels - 1))  # -1, -2, -3 after the equilibria
    names = [f"equilibrium {k}" for k in range(n_eq)] + ["unclassified", "not converged", "outside Ω"]
    colors = (_PALETTE * 3)[:n_eq] + ["#bbbbbb", "#000000", "#ffffff"]
    fig, ax = new_figure((6.2, 5.0))
    xs, ys = ds["slice_x"].values, ds["slice_y"].values
    cm = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(len(colors) + 1) - 0.5, len(colors))
    ax.pcolormesh(_edges(xs), _edges(ys), codes, cmap=cm, norm=norm, shading="flat")
    coords = [str(c) for c in ds["coordinate"].values]
    jx, jy = coords.index(ds.attrs["slice_x"]), coords.index(ds.attrs["slice_y"])
    share = ds["basin_share"].values
    handles = []
    for k in range(n_eq):
        st = ds["equilibrium_state"].values[k]
        ax.plot(st[jx], st[jy], marker="*", ms=14, mec="k", mfc=colors[k])
        handles.append(Patch(facecolor=colors[k], label=f"equilibrium {k}: basin share {share[k]:.3f}"))
    for c in range(n_eq, len(colors)):
        if np.any(codes == c):
            handles.append(Patch(facecolor=colors[c], edgecolor="k", label=names[c]))
    ax.legend(handles=handles, fontsize=7, loc="upper right", framealpha=0.9)
    ax.set_xlabel(ds.attrs["slice_x"])
    ax.set_ylabel(ds.attrs["slice_y"])
    done = "complete: no other fixed point" if ds.attrs.get("complete") else "not proved complete"
    ax.set_title(
        f"basins of attraction: {n_eq} certified equilibria ({done})\n"
        f"slice through the centre state; shares from {ds.sizes['start']} seeded random starts",
        fontsize=8,
    )
    return fig
