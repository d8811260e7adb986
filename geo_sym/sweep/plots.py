"""Figures of sweep results (headless, in the style of :mod:`geo_sym.render.plot_style`).

Grids: one varied path gives a curve, two a map (:func:`geo_sym.render.plots.plot_stability_map`:
colour for numbers with the contour ``ρ = 1`` for spectral radii, one colour per status for
Blanchard–Kahn statuses and verdicts), three or four a grid of maps over the first two paths, one
panel per value of the others, on a shared colour scale. Random sweeps: the first two paths as a
scatter coloured by the value. Searches: counts per verdict. Basins: the slice coloured by the
equilibrium each start converges to, with the equilibria marked.

Analytic boundaries are drawn from the sweep's base file when it is still where the sweep read it
(same SHA-256): the paper's condition (15) on economy maps (a curve over ``alpha``, ``tau``,
``gamma``; on facets, whether it holds in each panel), the Taylor principle on model maps
(:mod:`dsge.solution.taylor_boundary`). Axis labels are typeset from the varied paths
(``parameters.alpha`` → ``production step α``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from geo_sym.errors import GeoSymError, ValidationError
from geo_sym.render.plot_style import CATEGORY_COLORS, PALETTE, new_figure, parameter_label, plain, series_label, styled

__all__ = ["plot_result", "STATUS_CODES", "base_boundaries"]

STATUS_CODES = {
    "bk_status": ["determinate", "indeterminate", "no-stable-solution"],
    "verdict": ["proved", "refuted", "certified", "supported", "inconclusive"],
}
_SKIP = ("error", "error_type", "seconds")
_PREFERRED = ("spectral_radius", "bk_status", "verdict", "fixed_points", "equilibria", "irf_peak", "n_unstable")
_STATUS_COLORS = {
    "proved": PALETTE[2],
    "certified": PALETTE[0],
    "supported": PALETTE[5],
    "inconclusive": "#999999",
    "refuted (confirmed)": PALETTE[1],
    "refuted (not confirmed)": PALETTE[3],
    "failed": "#000000",
}
_VARIABLE_LABELS = {
    "spectral_radius": r"spectral radius $\rho(D\Phi(x^*))$",
    "n_unstable": "roots outside the unit circle",
    "bk_status": "Blanchard–Kahn status",
    "verdict": "verdict",
    "fixed_points": "certified fixed points",
    "equilibria": "certified equilibria",
    "irf_peak": "largest absolute response",
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
    return _plot_grid(ds, da, variable)


def _codes(da, variable):
    """Numbers to draw and, for statuses, ``{code: label}``."""
    if da.dtype.kind in "US":
        cats = STATUS_CODES.get(variable) or sorted({str(v) for v in da.values.ravel() if str(v)})
        vals = np.full(da.shape, np.nan)
        for i, c in enumerate(cats):
            vals[da.values == c] = i
        return vals, dict(enumerate(cats))
    return np.asarray(da.values, dtype=float), None


def _label(ds, path: str) -> str:
    return parameter_label(path, economy=_base_kind(ds) == "economy")


def _var_label(variable: str) -> str:
    return _VARIABLE_LABELS.get(variable, plain(variable))


# ----------------------------------------------------------------------------- the base file, for boundaries
def _base_kind(ds) -> str:
    spec = str(ds.attrs.get("spec", ""))
    for line in spec.splitlines():
        key = line.split(":", 1)[0].strip()
        if key in ("economy", "model"):
            return key
    return ""


def _base(ds):
    """The base economy or model when its file is still there unchanged; else None."""
    path = Path(str(ds.attrs.get("base_file", "")))
    digest = str(ds.attrs.get("base_sha256", ""))
    if not digest or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    if hashlib.sha256(text.encode()).hexdigest() != digest:
        return None
    try:
        if _base_kind(ds) == "model":
            from dsge import load_model

            return load_model(path)
        from geo_sym.economy.spec import load_economy

        return load_economy(path)
    except GeoSymError:
        return None


def _param(path: str) -> str:
    return path.split(".", 1)[1] if path.startswith(("parameters.", "price_mechanism.")) else path


def base_boundaries(ds, xpath: str, xs, ypath: str, ys) -> tuple:
    """Analytic boundaries on a map over two varied paths of a sweep (empty when none applies or the base
    file is gone)."""
    base = _base(ds)
    if base is None:
        return ()
    if _base_kind(ds) == "model":
        from dsge.solution.taylor_boundary import taylor_boundaries

        xn, yn = _param(xpath), _param(ypath)
        if xn in base.parameter_names and yn in base.parameter_names:
            return taylor_boundaries(base, xn, xs, yn, ys)
        return ()
    from geo_sym.render.boundaries import condition_15

    return (condition_15(base, xpath, xs, ypath, ys),)


def _panel_condition(base, dims, values) -> str:
    """`` (15) holds`` / `` (15) fails`` for a facet of an economy sweep, when its fixed values enter (15)."""
    from geo_sym.render.boundaries import condition_15
    from geo_sym.render.parameter_maps import MAP_PARAMETERS, with_parameter

    econ = base
    try:
        for path, v in zip(dims, values):
            if (
                v is not None
                and _param(path) in MAP_PARAMETERS
                and path.startswith(("parameters.", "price_mechanism."))
            ):
                econ = with_parameter(econ, _param(path), float(v))
    except (GeoSymError, TypeError, ValueError):
        return ""
    b = condition_15(econ, "x", [0.0], "y", [0.0])
    if "holds" in b.note:
        return ": (15) holds"
    if "fails" in b.note:
        return ": (15) fails"
    return ""


# ----------------------------------------------------------------------------- grids
@styled
def _plot_grid(ds, da, variable):
    from geo_sym.render.plots import plot_stability_map

    vals, cats = _codes(da, variable)
    dims = da.dims
    boundary = 1.0 if variable == "spectral_radius" else None
    if len(dims) == 1:
        fig, ax = new_figure((3.5, 2.8))
        x = da[dims[0]].values
        ax.plot(x, vals, "o-", ms=3, color=PALETTE[0])
        if cats:
            ax.set_yticks(list(cats), [plain(cats[k]) for k in cats])
        ax.set_xlabel(_label(ds, dims[0]))
        ax.set_ylabel(_var_label(variable))
        ax.set_title(f"{plain(ds.attrs.get('name', ''))}: {_var_label(variable)}")
        return fig
    xs, ys = da[dims[0]].values, da[dims[1]].values
    if len(dims) == 2:
        return plot_stability_map(
            xs,
            ys,
            vals.T,
            xlabel=_label(ds, dims[0]),
            ylabel=_label(ds, dims[1]),
            title=f"{plain(ds.attrs.get('name', ''))}: {_var_label(variable)} ({xs.size} × {ys.size} points)",
            colorbar_label=_var_label(variable),
            boundary=boundary,
            categories=cats,
            boundaries=base_boundaries(ds, dims[0], xs, dims[1], ys),
        )
    return _facets(ds, da, vals, cats, variable, boundary)


def _facets(ds, da, vals, cats, variable, boundary):
    dims = da.dims
    xs, ys = da[dims[0]].values, da[dims[1]].values
    rows = da[dims[2]].values
    cols = da[dims[3]].values if len(dims) == 4 else np.array([None])
    fig, axes = new_figure(
        (min(2.2 * len(cols) + 1.0, 7.0), 1.9 * len(rows) + 1.0),
        len(rows),
        len(cols),
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    finite = vals[np.isfinite(vals)]
    lo, hi = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    base = _base(ds) if _base_kind(ds) == "economy" else None
    mesh = None
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            ax = axes[i, j]
            panel = vals[:, :, i, j] if len(dims) == 4 else vals[:, :, i]
            mesh = _panel(ax, xs, ys, panel.T, lo, hi, cats, boundary)
            fixed = [_equals(dims[2], r)]
            if c is not None:
                fixed.append(_equals(dims[3], c))
            cond = _panel_condition(base, dims[2:], [r, c]) if base is not None else ""
            ax.set_title(", ".join(fixed) + cond, fontsize=7)
            ax.tick_params(labelsize=6)
            if i == len(rows) - 1:
                ax.set_xlabel(_label(ds, dims[0]), fontsize=7)
            if j == 0:
                ax.set_ylabel(_label(ds, dims[1]), fontsize=7)
    _facet_legend(fig, axes, vals, cats, mesh, variable, boundary)
    title = f"{plain(ds.attrs.get('name', ''))}: {_var_label(variable)}"
    if base is not None:
        title += r"; (15): Prop. 6.2's condition $\tau > (1-\alpha)\gamma_{\mathcal{A}}P$"
    fig.suptitle(title)
    return fig


def _facet_legend(fig, axes, vals, cats, mesh, variable, boundary):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if cats:
        colors = _status_palette(cats)
        handles = [Patch(facecolor=colors[k], label=plain(cats[k])) for k in cats if np.any(vals == k)]
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles))
    elif mesh is not None:
        cb = fig.colorbar(mesh, ax=axes, label=_var_label(variable), shrink=0.8)
        norm = mesh.norm
        if hasattr(norm, "vcenter"):  # a diverging scale about rho = 1: ticks on both sides
            from geo_sym.render.plots import diverging_ticks

            cb.set_ticks(diverging_ticks(norm.vmin, norm.vcenter, norm.vmax))
        if boundary is not None:
            text = r"$\rho = 1$ (numerical contour)" if variable == "spectral_radius" else f"contour at {boundary:g}"
            fig.legend(handles=[Line2D([], [], color="black", lw=1.0, label=text)], loc="outside lower center")


def _status_palette(cats) -> dict:
    spare = [c for c in PALETTE if c not in CATEGORY_COLORS.values()] + list(PALETTE)
    return {k: CATEGORY_COLORS.get(str(v), _STATUS_COLORS.get(str(v), spare[k % len(spare)])) for k, v in cats.items()}


def _equals(path: str, value) -> str:
    """``$\\alpha = 0.25$`` for a facet's fixed value (the symbol and the number in one formula)."""
    sym = parameter_label(path)
    if sym.startswith("$") and sym.endswith("$") and sym.count("$") == 2 and isinstance(value, (float, np.floating)):
        return f"{sym[:-1]} = {_fmt(value)}$"
    return f"{sym} = {_fmt(value)}"


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, (float, np.floating)) else plain(str(v))


def _panel(ax, xs, ys, v, lo, hi, cats, boundary):
    from matplotlib.colors import BoundaryNorm, ListedColormap

    from geo_sym.render.boundaries import cell_edges

    ex, ey = cell_edges(xs), cell_edges(ys)
    if cats:
        colors = _status_palette(cats)
        cm = ListedColormap([colors[k] for k in sorted(cats)])
        norm = BoundaryNorm(np.arange(len(cats) + 1) - 0.5, len(cats))
        return ax.pcolormesh(ex, ey, np.ma.masked_invalid(v), cmap=cm, norm=norm, shading="flat")
    if boundary is not None and lo < boundary < hi:  # diverging about ρ = 1: stable blue, unstable red
        from matplotlib.colors import TwoSlopeNorm

        norm, cmap = TwoSlopeNorm(vmin=lo, vcenter=boundary, vmax=hi), "RdBu_r"
    else:
        from matplotlib.colors import Normalize

        norm, cmap = Normalize(vmin=lo, vmax=hi), "cividis"
    mesh = ax.pcolormesh(ex, ey, np.ma.masked_invalid(v), cmap=cmap, norm=norm, shading="flat")
    f = v[np.isfinite(v)]
    if boundary is not None and len(xs) > 1 and len(ys) > 1 and f.size and f.min() < boundary < f.max():
        ax.contour(xs, ys, np.ma.masked_invalid(v), levels=[boundary], colors="k", linewidths=1.0)
    return mesh


# ----------------------------------------------------------------------------- random sweeps, searches, basins
@styled
def _plot_scatter(ds, da, variable):
    paths = [c for c in ds.coords if c != "point" and ds[c].dims == ("point",)]
    if len(paths) < 1:
        raise ValidationError("variable", variable, "a random sweep with at least one varied path to draw")
    vals, cats = _codes(da, variable)
    fig, ax = new_figure((3.9, 3.2))
    x = ds[paths[0]].values
    y = ds[paths[1]].values if len(paths) > 1 else vals
    sc = ax.scatter(x, y, c=vals, s=8, cmap="cividis" if not cats else None)
    ax.set_xlabel(_label(ds, paths[0]))
    ax.set_ylabel(_label(ds, paths[1]) if len(paths) > 1 else _var_label(variable))
    if not cats:
        fig.colorbar(sc, ax=ax, label=_var_label(variable))
    ax.set_title(f"{plain(ds.attrs.get('name', ''))}: {_var_label(variable)} at {x.size} random points")
    return fig


@styled
def _plot_search(res):
    ds = res.data
    status = np.array(
        [
            "failed" if str(e) else (f"refuted ({v})" if s == "refuted" else str(s))
            for s, v, e in zip(ds["status"].values, ds["verified"].values, ds["error"].values)
        ]
    )
    fig, (ax, ax2) = new_figure((7.0, 3.0), 1, 2)
    order = [s for s in _STATUS_COLORS if np.any(status == s)]
    counts = [int(np.sum(status == s)) for s in order]
    bars = ax.bar([s.replace(" (", "\n(") for s in order], counts, color=[_STATUS_COLORS[s] for s in order])
    ax.bar_label(bars, fontsize=7)
    ax.set_ylabel("random economies")
    ax.set_xlabel("verdict")
    ax.tick_params(axis="x", labelsize=6.5)
    ax.set_title(
        f"{plain(ds.attrs.get('claim', ''))}: verdicts on {len(status)} random economies\n"
        "(refutations re-checked by the independent verifier)"
    )
    has_rate = np.any(np.isfinite(ds["rate"].values))
    x = ds["rate"].values if has_rate else ds["tau"].values
    agents = ds["agents"].values
    rng = np.random.default_rng(0)  # jitter for the drawing only
    for s in order:
        m = status == s
        ax2.scatter(x[m], agents[m] + rng.uniform(-0.25, 0.25, m.sum()), s=5, color=_STATUS_COLORS[s], label=s)
    ax2.set_xlabel(r"claimed rate $(1-\alpha)\gamma_{\mathcal{A}}P/\tau$" if has_rate else r"$\tau$")
    ax2.set_ylabel("agents (jittered)")
    ax2.legend(markerscale=2, loc="best")
    cx = res.summary.get("counterexample") if res.summary else None
    if cx:
        ax2.set_title(
            f"smallest counterexample (shrunk): {cx['agents']} agent(s), $K = {cx['K']}$, {cx['edges']} edge(s)"
        )
    else:
        ax2.set_title("economies by claimed rate and size")
    return fig


@styled
def _plot_basins(res):
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    from geo_sym.render.boundaries import cell_edges

    ds = res.data
    if "slice_label" not in ds:
        raise ValidationError("slice", None, "a basins sweep with a slice to draw")
    n_eq = ds.sizes["equilibrium"]
    labels = ds["slice_label"].values
    codes = np.where(labels >= 0, labels, n_eq + (-labels - 1))  # -1, -2, -3 after the equilibria
    names = [f"equilibrium {k}" for k in range(n_eq)] + ["unclassified", "not converged", "outside Ω"]
    colors = (list(PALETTE[:6]) * 3)[:n_eq] + ["#bbbbbb", "#000000", "#ffffff"]
    fig, ax = new_figure((3.5, 4.4))
    xs, ys = ds["slice_x"].values, ds["slice_y"].values
    cm = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(len(colors) + 1) - 0.5, len(colors))
    ax.pcolormesh(cell_edges(xs), cell_edges(ys), codes, cmap=cm, norm=norm, shading="flat")
    coords = [str(c) for c in ds["coordinate"].values]
    jx, jy = coords.index(ds.attrs["slice_x"]), coords.index(ds.attrs["slice_y"])
    share = ds["basin_share"].values
    handles = []
    for k in range(n_eq):
        st = ds["equilibrium_state"].values[k]
        ax.plot(st[jx], st[jy], marker="*", ms=11, mec="k", mfc=colors[k])
        handles.append(Patch(facecolor=colors[k], label=f"equilibrium {k}: basin share {share[k]:.3f}"))
    for c in range(n_eq, len(colors)):
        if np.any(codes == c):
            handles.append(Patch(facecolor=colors[c], edgecolor="k", label=names[c]))
    fig.legend(handles=handles, loc="outside lower center", ncols=1)
    ax.set_xlabel(series_label(ds.attrs["slice_x"]))
    ax.set_ylabel(series_label(ds.attrs["slice_y"]))
    done = "complete: no other fixed point" if ds.attrs.get("complete") else "not proved complete"
    ax.set_title(
        f"basins of attraction: {n_eq} certified equilibria\n({done});\n"
        f"slice through the centre state;\nshares from {ds.sizes['start']} seeded random starts"
    )
    return fig
