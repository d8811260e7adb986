r"""Figures: eigenvalues against the unit circle, convergence against bound (14), parameter maps, IRF grids.

Every function returns a :class:`matplotlib.figure.Figure` built without ``pyplot`` (headless, no
global state; Jupyter shows it through ``_repr_png_``), in the shared style of
:mod:`geo_sym.render.plot_style` (single-column sizes, colour-blind-safe colours, typeset symbols).
Write one with :func:`geo_sym.render.plot_style.save_figure` (300 dpi raster, or vector by the
extension). Pass ``ax=`` to draw into an existing axes instead (its figure is returned).

=========================  ==========================================================
function                   what it shows
=========================  ==========================================================
:func:`plot_eigenvalues`   roots in the complex plane with the unit circle, the
                           tolerance band and the spectral radius; stable, boundary,
                           unstable and infinite roots counted by the Blanchard–Kahn
                           rule (:func:`geo_sym.maps.unit_circle.classify_roots`)
:func:`plot_convergence`   ``‖x_n − x*‖`` of the tâtonnement (13) on a log scale
                           against the bound (14) ``λ^n/(1−λ) ‖x_1 − x_0‖``
:func:`plot_stability_map` a 2-D parameter map as a heat map (ρ, with its ``ρ = 1``
                           contour) or categories (Blanchard–Kahn status), with
                           analytic boundaries (:mod:`geo_sym.render.boundaries`)
:func:`plot_irfs`          impulse responses, one panel per variable and one line
                           per scenario (e.g. with and without the SLO Taylor rule)
=========================  ==========================================================
"""

from __future__ import annotations

import numpy as np

from geo_sym.errors import ShapeError, ValidationError
from geo_sym.maps.unit_circle import classify_roots
from geo_sym.render.boundaries import cell_edges, draw_boundaries
from geo_sym.render.convergence import ConvergenceData, convergence_data, plot_convergence
from geo_sym.render.plot_style import (
    CATEGORY_COLORS,
    PALETTE,
    SINGLE_COLUMN,
    figure_for,
    legend_below,
    math_or_plain,
    new_figure,
    parameter_symbol,
    plain,
    sci_tex,
    styled,
    tex_name,
    typeset_names,
)

__all__ = [
    "plot_eigenvalues",
    "plot_convergence",
    "convergence_data",
    "ConvergenceData",
    "plot_stability_map",
    "plot_irfs",
    "new_figure",
]

STABLE, BOUNDARY, UNSTABLE = PALETTE[0], PALETTE[4], PALETTE[1]


# ----------------------------------------------------------------------------- eigenvalues
#: Eigenvalues farther out than this are drawn on the edge of the plot, labelled with their modulus.
_MAX_PLOT_RADIUS = 3.0


def _eigen_input(eigs) -> np.ndarray:
    ev = np.asarray(eigs, dtype=complex).ravel()
    if np.any(np.isnan(ev.real) | np.isnan(ev.imag)):
        raise ValidationError("eigs", "NaN", "eigenvalues (finite or infinite), never NaN")
    return ev


@styled
def plot_eigenvalues(
    eigs,
    ax=None,
    title: str | None = "eigenvalues of the tangent Jacobian",
    *,
    tol: float = 1e-9,
    label: str = "",
    annotate_multiplicity: bool = True,
):
    r"""Roots in the complex plane against the unit circle, counted as Blanchard–Kahn counts them.

    Stable roots (``|λ| < 1 − tol``) are filled circles, roots within ``tol`` of the circle open
    diamonds, unstable roots (``|λ| > 1 + tol``) crosses; infinite roots (a generalized eigenvalue
    with ``β = 0``) cannot be placed in the plane: they are counted as unstable (they are explosive in
    Blanchard–Kahn) and named in the legend. The shaded annulus is the tolerance band
    (widened when it would be thinner than a line, and then labelled so), the dashed circle the
    spectral radius ``ρ = max |λ|`` of the finite roots. Repeated roots are drawn once with ``×m``.
    The counts use :func:`geo_sym.maps.unit_circle.classify_roots`, the rule of
    :func:`dsge.solution.blanchard_kahn.klein`.

    Parameters
    ----------
    eigs : array_like of complex
        E.g. :func:`geo_sym.maps.jacobian.tangent_eigenvalues`, or a Blanchard–Kahn result's
        ``eigenvalues`` (infinite ones as ``inf``).
    ax : matplotlib Axes, optional
    title : str or None
    tol : float
        Unit-circle tolerance (e.g. ``BKResult.tolerance``).
    label : str
        Prefix of the legend entries (e.g. ``"tangent Jacobian"``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    ev = _eigen_input(eigs)
    cls = classify_roots(ev, tol)
    own = ax is None
    fig, ax = figure_for(ax, (SINGLE_COLUMN, SINGLE_COLUMN + 1.3))
    finite = ev[~cls.infinite]
    rho = float(np.abs(finite).max()) if finite.size else 0.0
    lim = max(1.15, min(1.1 * rho, _MAX_PLOT_RADIUS))
    t = np.linspace(0.0, 2.0 * np.pi, 721)
    _band(ax, tol, lim)
    ax.plot(np.cos(t), np.sin(t), color="0.25", lw=0.9, label="unit circle", zorder=2)
    if finite.size and abs(rho - 1.0) > tol and 0 < rho < lim:
        ax.plot(rho * np.cos(t), rho * np.sin(t), color=STABLE, lw=0.8, ls="--", label=rf"$\rho = {rho:.4g}$")
    ax.axhline(0.0, color="0.85", lw=0.6, zorder=0)
    ax.axvline(0.0, color="0.85", lw=0.6, zorder=0)
    prefix = f"{label}: " if label else ""
    kinds = (  # label offsets differ so counts of neighbouring kinds do not overlap
        ("stable", cls.stable, "o", STABLE, "full", r"$|\lambda| < 1$", (5, 4)),
        ("on the unit circle", cls.boundary, "D", BOUNDARY, "none", "within tol", (5, -12)),
        ("unstable", cls.unstable & ~cls.infinite, "x", UNSTABLE, "full", r"$|\lambda| > 1$", (5, 4)),
    )
    for kind, mask, marker, color, fill, where, offset in kinds:
        count = int(np.count_nonzero(mask)) + (cls.n_infinite if kind == "unstable" else 0)
        if count == 0:
            continue
        text = f"{prefix}{count} {kind} ({where})"
        if kind == "unstable" and cls.n_infinite:
            text = f"{prefix}{count} unstable ({where}; {cls.n_infinite} at " + r"$|\lambda| = \infty$, not drawn)"
        _draw_kind(ax, ev[mask], lim, marker, color, fill, text, offset if annotate_multiplicity else None)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"real part $\mathrm{Re}\,\lambda$")
    ax.set_ylabel(r"imaginary part $\mathrm{Im}\,\lambda$")
    if title:
        import textwrap

        ax.set_title("\n".join(textwrap.wrap(title, 52)))
    legend_below(ax, own=own)
    return fig


def _band(ax, tol: float, lim: float) -> None:
    """The annulus ``1 − tol ≤ |λ| ≤ 1 + tol`` (at least 0.8% of the plot radius wide, said in the legend)."""
    from matplotlib.patches import Wedge

    half = max(tol, 0.012 * lim)
    widened = half > tol
    text = rf"tolerance band $1 \pm {sci_tex(tol)}$" + (" (widened)" if widened else "")
    ax.add_patch(Wedge((0, 0), 1 + half, 0, 360, width=2 * half, color=BOUNDARY, alpha=0.5, lw=0, label=text))


def _draw_kind(ax, members, lim, marker, color, fill, text, offset) -> None:
    """Markers of one kind (closer than 1% of the plot's scale: drawn once with ×m); roots beyond the plotted
    disc sit on its edge, in their direction, labelled with their modulus. A kind with only infinite roots
    still gets its legend entry."""
    items = _group_eigenvalues(members, radius=0.01 * lim)
    edge = 0.93 * lim
    shown = [v if abs(v) <= edge else v / abs(v) * edge for v, _ in items]
    for (v, _), p in zip(items, shown):
        if abs(v) > edge:
            ax.annotate(
                rf"$|\lambda| = {abs(v):.3g}$",
                (p.real, p.imag),
                textcoords="offset points",
                xytext=(-34, -11),
                fontsize=6.5,
                color=color,
            )
    ax.plot(
        [p.real for p in shown],
        [p.imag for p in shown],
        ls="none",
        marker=marker,
        color=color,
        ms=5,
        mew=1.3,
        fillstyle=fill,
        label=text,
        zorder=4,
    )
    if offset is not None:
        for p, (_, m) in zip(shown, items):
            if m > 1:
                ax.annotate(
                    f"×{m}", (p.real, p.imag), textcoords="offset points", xytext=offset, fontsize=7, color=color
                )


def _group_eigenvalues(ev, radius: float):
    """``[(centre, count)]`` merging eigenvalues closer than ``radius`` to a group's first member."""
    out: list[list] = []
    for v in ev:
        for g in out:
            if abs(g[0] - v) <= radius:
                g[1] += 1
                break
        else:
            out.append([complex(v), 1])
    return [(complex(v), m) for v, m in out]


# ----------------------------------------------------------------------------- parameter maps
_edges = cell_edges


def _axis_text(label: str) -> str:
    """A raw parameter name (``phi_pi``) typeset; a label with spaces or ``$`` kept as written."""
    text = str(label)
    if "$" in text or " " in text:
        return text
    return parameter_symbol(text)


def _category_colors(categories: dict) -> list:
    palette = [c for c in PALETTE if c not in CATEGORY_COLORS.values()] + list(PALETTE)
    out, k = [], 0
    for code in sorted(categories):
        name = str(categories[code])
        if name in CATEGORY_COLORS:
            out.append(CATEGORY_COLORS[name])
        else:
            out.append(palette[k % len(palette)])
            k += 1
    return out


@styled
def plot_stability_map(
    grid_x,
    grid_y,
    values,
    *,
    xlabel: str = "x",
    ylabel: str = "y",
    title: str | None = None,
    colorbar_label: str = "value",
    boundary: float | None = 1.0,
    categories: dict | None = None,
    cmap: str | None = None,
    log: bool = False,
    ax=None,
    boundaries=(),
    contour_label: str | None = None,
):
    r"""A 2-D parameter map as a heat map, with analytic boundaries.

    Parameters
    ----------
    grid_x, grid_y : array_like, shapes (nx,), (ny,)
        Parameter values along the horizontal and vertical axes (increasing).
    values : array_like, shape (ny, nx)
        ``values[i, j]`` at ``(grid_x[j], grid_y[i])``; NaN cells (e.g. no steady state) are left
        blank and the legend says so.
    xlabel, ylabel : str
        Axis labels; a bare parameter name (``phi_pi``) is typeset (``$\phi_{\pi}$``).
    title, colorbar_label : str
    boundary : float or None, default 1.0
        For continuous values, the level drawn as a contour (e.g. ``ρ = 1``, labelled as the
        numerical contour); the colour scale then diverges about it (blue below, red above).
    categories : dict, optional
        ``{code: label}`` for categorical values (e.g. ``{0: "determinate", 1: "indeterminate",
        2: "no stable solution"}``): one colour per code and a legend instead of a colour bar.
    cmap : str, optional
    log : bool
        Logarithmic colour scale (continuous values only).
    ax : matplotlib Axes, optional
    boundaries : sequence of :class:`~geo_sym.render.boundaries.BoundaryLine`
        Analytic boundaries drawn over the map (with their holding side hatched) or noted in the legend.
    contour_label : str, optional
        Legend text of the numerical contour (default: ``numerical contour at <boundary>``).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ShapeError
        When ``values`` is not ``(len(grid_y), len(grid_x))``.
    """
    gx = np.asarray(grid_x, dtype=float).ravel()
    gy = np.asarray(grid_y, dtype=float).ravel()
    v = np.asarray(values, dtype=float)
    if gx.size < 1 or gy.size < 1:
        raise ShapeError("grid", (gy.size, gx.size), "at least one value per axis")
    if v.shape != (gy.size, gx.size):
        raise ShapeError("values", v.shape, f"shape (len(grid_y), len(grid_x)) = ({gy.size}, {gx.size})")
    own = ax is None
    fig, ax = figure_for(ax, (SINGLE_COLUMN, 3.4))
    ex, ey = _edges(gx), _edges(gy)
    handles = []
    if categories:
        handles += _draw_categories(ax, ex, ey, v, categories)
    else:
        handles += _draw_continuous(fig, ax, gx, gy, ex, ey, v, boundary, colorbar_label, cmap, log, contour_label)
    if np.isnan(v).any():
        from matplotlib.patches import Patch

        handles.append(Patch(facecolor="white", edgecolor="0.6", lw=0.6, label="blank: not computed (no steady state)"))
    ax.set_xlim(ex[0], ex[-1])
    ax.set_ylim(ey[0], ey[-1])
    ax.set_xlabel(_axis_text(xlabel))
    ax.set_ylabel(_axis_text(ylabel))
    handles += draw_boundaries(ax, boundaries)
    ax.set_xlim(ex[0], ex[-1])
    ax.set_ylim(ey[0], ey[-1])
    if title:
        import textwrap

        ax.set_title("\n".join(textwrap.wrap(title, 60)))
    legend_below(ax, handles, own=own)
    return fig


def _draw_categories(ax, ex, ey, v, categories) -> list:
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    codes = sorted(categories)
    colors = _category_colors(categories)
    index = np.full(v.shape, np.nan)
    for i, c in enumerate(codes):
        index[v == c] = i
    cm = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(len(codes) + 1) - 0.5, len(codes))
    ax.pcolormesh(ex, ey, np.ma.masked_invalid(index), cmap=cm, norm=norm, shading="flat")
    present = [i for i, c in enumerate(codes) if np.any(v == c)]
    return [Patch(facecolor=colors[i], label=plain(categories[codes[i]])) for i in present]


def _draw_continuous(fig, ax, gx, gy, ex, ey, v, boundary, colorbar_label, cmap, log, contour_label) -> list:
    from matplotlib.colors import LogNorm, Normalize, TwoSlopeNorm
    from matplotlib.lines import Line2D

    masked = np.ma.masked_invalid(v)
    finite = v[np.isfinite(v)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    crosses = boundary is not None and finite.size > 0 and lo < boundary < hi
    if log and finite[finite > 0].size:
        norm, default = LogNorm(vmin=finite[finite > 0].min(), vmax=hi), "cividis"
    elif crosses:
        norm, default = TwoSlopeNorm(vmin=lo, vcenter=boundary, vmax=hi), "RdBu_r"
    else:
        norm, default = Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1.0), "cividis"
    mesh = ax.pcolormesh(ex, ey, masked, cmap=cmap or default, norm=norm, shading="flat")
    cb = fig.colorbar(mesh, ax=ax, shrink=0.9, pad=0.02)
    cb.set_label(colorbar_label)
    if crosses and not log:
        cb.set_ticks(diverging_ticks(lo, boundary, hi))
    if crosses and gx.size > 1 and gy.size > 1:
        from matplotlib.patheffects import Normal, Stroke

        halo = [Stroke(linewidth=2.8, foreground="white"), Normal()]
        cs = ax.contour(gx, gy, masked, levels=[boundary], colors="black", linewidths=1.2, linestyles="--", zorder=3)
        cs.set(path_effects=halo)
        cb.ax.axhline(boundary, color="black", lw=1.2, ls="--")
        label = contour_label or f"numerical contour at {boundary:g}"
        return [Line2D([], [], color="black", lw=1.2, ls="--", label=label)]
    return []


def diverging_ticks(lo: float, centre: float, hi: float) -> np.ndarray:
    """Colour-bar ticks on both sides of a diverging scale's centre (each half is scaled on its own)."""
    from matplotlib.ticker import MaxNLocator

    below = MaxNLocator(3).tick_values(lo, centre)
    above = MaxNLocator(4).tick_values(centre, hi)
    ticks = np.unique(np.concatenate([below, [centre], above]))
    return ticks[(ticks >= lo) & (ticks <= hi)]


# ----------------------------------------------------------------------------- IRF grids
def _math_title(tex: str | None, fallback: str) -> str:
    """``$tex$`` when mathtext can typeset it, else the name typeset by the symbol table."""
    return math_or_plain(tex, f"${tex_name(fallback)}$")


@styled
def plot_irfs(
    irfs,
    variables=None,
    *,
    title: str | None = None,
    latex_names: dict | None = None,
    ncols: int | None = None,
    xlabel: str = "period $t$",
):
    r"""Impulse responses on a grid: one panel per variable, one line per scenario.

    Parameters
    ----------
    irfs : IRFResult or dict
        One :class:`dsge.solution.results.IRFResult`, or ``{label: IRFResult}`` to compare
        scenarios (e.g. ``{"no policy": a, "Taylor rule (18)-(19)": b}``) — they must
        share the variables they show.
    variables : list of str, optional
        Which variables (panels), in order; default all of the first result.
    title : str, optional
        Default: the responses to a one-standard-deviation (or unit) shock, named by its symbol.
        Shock and variable names in a given title are typeset too.
    latex_names : dict, optional
        Panel titles in math mode (default: those of the result, else the symbol table).
    ncols : int, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes per variable (spare axes removed); each has one line per scenario plus a zero
        line. The y axis reads "deviation from steady state" (log deviation for log-linearized
        variables, marked "(log)" in the panel title).
    """
    scenarios = _scenarios(irfs)
    first = next(iter(scenarios.values()))
    variables = list(first.variables if variables is None else variables)
    for label, r in scenarios.items():
        missing = [v for v in variables if v not in r.variables]
        if missing:
            raise ValidationError("variables", missing, f"variables of every scenario (missing in {label!r})")
    if not variables:
        raise ValidationError("variables", variables, "at least one variable")
    names = dict(getattr(first, "latex_names", {}) or {})
    names.update(latex_names or {})
    logged = set(getattr(first, "log_variables", ()) or ())
    n = len(variables)
    ncols = ncols or min(3, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure((min(2.35 * ncols, 7.0), 1.75 * nrows + 0.7), nrows, ncols, sharex=True)
    axes = np.atleast_1d(axes).ravel()
    for k, var in enumerate(variables):
        ax = axes[k]
        for (label, r), color in zip(scenarios.items(), PALETTE):
            series = np.asarray(r[var], dtype=float)
            ax.plot(np.arange(series.size), series, lw=1.4, color=color, label=_scenario_label(label, r))
        ax.axhline(0.0, color="0.6", lw=0.6)
        ax.set_title(_math_title(names.get(var), var) + (" (log)" if var in logged else ""))
        if k >= n - ncols:
            ax.set_xlabel(xlabel)
            ax.xaxis.set_tick_params(labelbottom=True)
    for ax in axes[n:]:
        fig.delaxes(ax)
    fig.supylabel("log deviation from steady state" if logged >= set(variables) else "deviation from steady state")
    if len(scenarios) > 1:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=min(4, len(scenarios)))
    shocks = [getattr(r, "shock", "") for r in scenarios.values()]
    if title is None:
        size = "one-standard-deviation" if getattr(first, "scale", "std") == "std" else "unit"
        title = f"impulse responses to a {size} {shocks[0]} shock" if shocks[0] else "impulse responses"
    fig.suptitle(typeset_names(title, [nm for nm in [*shocks, *variables] if nm and "_" in nm]))
    return fig


def _scenario_label(label, result) -> str | None:
    """A shock's name typeset as its symbol; any other label as plain text."""
    if label is None:
        return None
    if label == getattr(result, "shock", None):
        return f"${tex_name(label)}$"
    return plain(label)


def _scenarios(irfs) -> dict:
    if hasattr(irfs, "values") and hasattr(irfs, "variables") and not isinstance(irfs, dict):
        return {None: irfs}
    if isinstance(irfs, dict) and irfs:
        return dict(irfs)
    raise ValidationError("irfs", irfs, "an IRFResult or a non-empty dict label -> IRFResult")
