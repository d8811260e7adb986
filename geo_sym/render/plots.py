r"""Figures: eigenvalues against the unit circle, convergence against bound (14), stability maps, IRF grids.

Every function returns a :class:`matplotlib.figure.Figure` built without ``pyplot``
(so no display, no global state: figures are produced headless with the Agg
canvas, and garbage-collected like any object). Save one with
``fig.savefig("out.png")``; in a notebook a returned figure is shown as it is.
Pass ``ax=`` to draw into an existing axes instead (its figure is returned).

=========================  ==========================================================
function                   what it shows
=========================  ==========================================================
:func:`plot_eigenvalues`   eigenvalues in the complex plane with the unit circle and
                           the spectral radius (tangent Jacobian, §6–7)
:func:`plot_convergence`   ``‖x_n − x*‖`` of the tâtonnement (13) on a log scale
                           against the bound (14) ``λ^n/(1−λ) ‖x_1 − x_0‖``
:func:`plot_stability_map` a 2-D parameter sweep as a heat map, with the contour
                           where the value crosses a boundary (e.g. ``ρ = 1``) or
                           categories (e.g. Blanchard–Kahn status)
:func:`plot_irfs`          impulse responses, one panel per variable and one line
                           per scenario (e.g. with and without the SLO Taylor rule)
=========================  ==========================================================
"""

from __future__ import annotations

import numpy as np

from geo_sym.errors import ShapeError, ValidationError

__all__ = [
    "plot_eigenvalues",
    "plot_convergence",
    "convergence_data",
    "ConvergenceData",
    "plot_stability_map",
    "plot_irfs",
    "new_figure",
]


# ----------------------------------------------------------------------------- figures without pyplot
def new_figure(figsize=(5.0, 4.0), nrows: int = 1, ncols: int = 1, **subplot_kw):
    """A figure and its axes, made without ``pyplot`` (headless, Agg canvas).

    Returns
    -------
    (Figure, Axes or ndarray of Axes)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


def _target(ax, figsize):
    if ax is None:
        return new_figure(figsize)
    return ax.figure, ax


# ----------------------------------------------------------------------------- eigenvalues
#: Eigenvalues farther out than this are drawn on the edge of the plot, labelled with their modulus.
_MAX_PLOT_RADIUS = 3.0


def plot_eigenvalues(
    eigs,
    ax=None,
    title: str | None = "eigenvalues of the tangent Jacobian",
    *,
    tol: float = 1e-9,
    label: str = "eigenvalues",
    annotate_multiplicity: bool = True,
):
    r"""Eigenvalues in the complex plane against the unit circle.

    Stable roots (``|λ| < 1 − tol``) are filled circles, roots on the circle
    (``| |λ| − 1 | ≤ tol``) open diamonds, unstable roots (``|λ| > 1 + tol``) red
    crosses; the legend counts each kind. The dashed circle has radius
    ``ρ = max |λ|`` (the spectral radius that sets the speed of return to the
    steady state, §7.1). Repeated eigenvalues are drawn once with ``×m``.

    Parameters
    ----------
    eigs : array_like of complex
        E.g. :func:`geo_sym.maps.jacobian.tangent_eigenvalues`, or the generalized
        eigenvalues of a DSGE model (infinite ones are skipped and counted in the title).
    ax : matplotlib Axes, optional
    title : str or None
    tol : float
        Unit-circle tolerance.
    label : str
        Legend prefix.

    Returns
    -------
    matplotlib.figure.Figure
    """
    ev = np.asarray(eigs, dtype=complex).ravel()
    finite = np.isfinite(ev)
    n_inf = int(np.count_nonzero(~finite))
    ev = ev[finite]
    fig, ax = _target(ax, (5.0, 5.0))
    t = np.linspace(0.0, 2.0 * np.pi, 721)
    ax.plot(np.cos(t), np.sin(t), color="0.35", lw=1.0, label="unit circle")
    mod = np.abs(ev)
    rho = float(mod.max()) if ev.size else 0.0
    lim = max(1.15, min(1.1 * rho, _MAX_PLOT_RADIUS)) if ev.size else 1.15
    if ev.size and abs(rho - 1.0) > tol and 0 < rho < lim:
        ax.plot(rho * np.cos(t), rho * np.sin(t), color="tab:blue", lw=0.8, ls="--", label=rf"$\rho = {rho:.4g}$")
    ax.axhline(0.0, color="0.8", lw=0.6, zorder=0)
    ax.axvline(0.0, color="0.8", lw=0.6, zorder=0)
    kinds = {
        "stable": ([], "o", "tab:blue", "full"),
        "on the unit circle": ([], "D", "tab:orange", "none"),
        "unstable": ([], "x", "tab:red", "full"),
    }
    for kind, members in (
        ("stable", ev[mod < 1.0 - tol]),
        ("on the unit circle", ev[np.abs(mod - 1.0) <= tol]),
        ("unstable", ev[mod > 1.0 + tol]),
    ):
        # points closer than 1% of the plot's scale are drawn once with their count (a defective
        # eigenvalue splits by ~eps^(1/k) in floating point, far more than tol)
        kinds[kind][0].extend(_group_eigenvalues(members, radius=0.01 * lim))
    edge = 0.93 * lim
    for kind, (items, marker, color, fill) in kinds.items():
        if not items:
            continue
        # roots beyond the plotted disc are drawn on its edge, in their direction, with their modulus
        shown = [v if abs(v) <= edge else v / abs(v) * edge for v, _ in items]
        for v, p in zip((v for v, _ in items), shown):
            if abs(v) > edge:
                ax.annotate(
                    f"|λ| = {abs(v):.3g}",
                    (p.real, p.imag),
                    textcoords="offset points",
                    xytext=(-30, -12),
                    fontsize=7,
                    color=color,
                )
        xs = [p.real for p in shown]
        ys = [p.imag for p in shown]
        count = sum(m for _, m in items)
        ax.plot(
            xs,
            ys,
            ls="none",
            marker=marker,
            color=color,
            ms=7,
            mew=1.6,
            fillstyle=fill,
            label=f"{label}: {count} {kind}",
        )
        if annotate_multiplicity:
            for p, (_, m) in zip(shown, items):
                if m > 1:
                    ax.annotate(
                        f"×{m}", (p.real, p.imag), textcoords="offset points", xytext=(6, 5), fontsize=8, color=color
                    )
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"Re $\lambda$")
    ax.set_ylabel(r"Im $\lambda$")
    if title:
        import textwrap

        extra = f" ({n_inf} infinite not shown)" if n_inf else ""
        ax.set_title("\n".join(textwrap.wrap(title + extra, 55)), fontsize=10)
    ax.legend(loc="upper left", fontsize=7, framealpha=0.9)
    return fig


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


# ----------------------------------------------------------------------------- convergence (14)
class ConvergenceData:
    """The numbers behind :func:`plot_convergence` (plain attributes, nothing computed lazily).

    Attributes
    ----------
    distances : numpy.ndarray
        ``‖x_n − x*‖_2`` for ``n = 0..N`` (Euclidean norm of the flat state ``(y, p, π)``),
        or ``‖x_{n+1} − x_n‖_2`` when no fixed point was found (``fixed_point`` is None).
    step0 : float
        ``‖x_1 − x_0‖_2``.
    lam : float or None
        The rate used in bound (14).
    lam_kind : str
        ``"paper"`` (``(1−α)γ_A P/τ``, Proposition 6.2), ``"given"`` or ``"sampled"``
        (largest ``‖DΦ_K‖_2`` on the tangent space over sampled states: an estimate, not a bound).
    bound : numpy.ndarray or None
        ``λ^n/(1−λ) ‖x_1 − x_0‖``; None when ``λ ≥ 1`` (the bound says nothing).
    rho : float or None
        Spectral radius of the tangent Jacobian at the fixed point (the observed rate).
    fixed_point : State or None
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self) -> str:
        return f"ConvergenceData(n={len(self.distances) - 1}, lam={self.lam!r}, lam_kind={self.lam_kind!r})"


def _paper_rate(econ):
    """``(1 − α) γ_A P / τ`` (Proposition 6.2) as a float, or None without a linear price mechanism."""
    pm = econ.price_mechanism
    if pm.kind != "linear":
        return None
    return (1.0 - float(econ.alpha)) * float(pm.spectral_norm) * econ.depth / float(econ.tau)


def _sampled_operator_norm(econ, states, n_random: int, seed: int) -> float:
    """Largest ``‖Qᵀ DΦ Q‖_2`` over ``states`` and ``n_random`` seeded random states of Ω_K."""
    from geo_sym.economy.state import tangent_basis
    from geo_sym.errors import DegenerateNormalizationError, DomainError
    from geo_sym.maps.jacobian import numeric_jacobian
    from geo_sym.solve.fixed_point import random_state

    Q = tangent_basis(econ)
    rng = np.random.default_rng(seed)
    pts = list(states) + [random_state(econ, rng) for _ in range(n_random)]
    best = 0.0
    for x in pts:
        try:
            J = numeric_jacobian(econ, x).dense()
        except (DegenerateNormalizationError, DomainError):
            continue
        best = max(best, float(np.linalg.norm(Q.T @ J @ Q, 2)))
    return best


def convergence_data(
    econ, start=None, n: int = 60, lam: float | None = None, *, seed: int = 0, n_samples: int = 32
) -> ConvergenceData:
    r"""Iterate the economy's map and compare ``‖x_n − x*‖`` with bound (14).

    ``x*`` is found by :func:`geo_sym.solve.fixed_point.find_fixed_point` started from the
    last iterate (so it is the limit of this trajectory). Distances use the
    Euclidean norm of the flat state ``(y, p, π)``.

    Parameters
    ----------
    econ : Economy
    start : State, optional
        ``x_0``; default the centre state (``y = 0``, uniform prices and routing).
    n : int
        Number of iterations ``N``.
    lam : float, optional
        The rate ``λ`` of (14). Default: the paper's ``(1 − α) γ_A P / τ``
        (Proposition 6.2) when the price mechanism is linear, else the largest
        tangent operator norm ``‖DΦ_K‖_2`` over the trajectory and ``n_samples``
        seeded random states (an estimate, labelled as such).
    seed : int
    n_samples : int

    Returns
    -------
    ConvergenceData
    """
    from geo_sym.maps.core import evaluate_map
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues
    from geo_sym.solve.fixed_point import center_state, find_fixed_point

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValidationError("n", n, "an integer >= 1")
    x = center_state(econ) if start is None else (start.to_float() if start.exact else start)
    traj = [x]
    for _ in range(int(n)):
        x = evaluate_map(econ, x).state
        traj.append(x)
    flat = np.array([s.flat().astype(float) for s in traj])
    step0 = float(np.linalg.norm(flat[1] - flat[0]))
    fp = find_fixed_point(econ, traj[-1])
    rho = None
    if fp.success:
        xstar = fp.state.flat().astype(float)
        dist = np.linalg.norm(flat - xstar, axis=1)
        ev = tangent_eigenvalues(econ, numeric_jacobian(econ, fp.state))
        rho = float(np.max(np.abs(ev))) if ev.size else 0.0
    else:
        dist = np.linalg.norm(np.diff(flat, axis=0), axis=1)
    if lam is not None:
        kind = "given"
        lam = float(lam)
    else:
        lam = _paper_rate(econ)
        kind = "paper"
        if lam is None:
            lam = _sampled_operator_norm(econ, traj[:: max(1, len(traj) // 8)], n_samples, seed)
            kind = "sampled"
    bound = None
    if 0.0 <= lam < 1.0:
        k = np.arange(len(dist))
        bound = lam**k / (1.0 - lam) * step0
    return ConvergenceData(
        distances=dist,
        step0=step0,
        lam=lam,
        lam_kind=kind,
        bound=bound,
        rho=rho,
        fixed_point=fp.state if fp.success else None,
        n=int(n),
        economy=econ.name,
    )


def plot_convergence(
    econ,
    start=None,
    n: int = 60,
    lam: float | None = None,
    *,
    ax=None,
    seed: int = 0,
    title: str | None = None,
    data: ConvergenceData | None = None,
):
    r"""Convergence of the tâtonnement (13) against the paper's bound (14), log scale.

    Draws ``‖x_n − x*‖_2`` (markers), the bound ``λ^n/(1−λ) ‖x_1 − x_0‖`` of
    Theorem 6.1 (dashed; omitted, with a note, when ``λ ≥ 1``) and, for reference,
    the observed rate ``ρ(DΦ_K(x*))^n`` scaled to the first distance (dotted).
    Where the distances lie above the dashed line, bound (14) fails for this
    trajectory. See :func:`convergence_data` for ``λ`` and the arguments.

    Returns
    -------
    matplotlib.figure.Figure
    """
    d = data if data is not None else convergence_data(econ, start, n, lam, seed=seed)
    fig, ax = _target(ax, (6.0, 4.0))
    k = np.arange(len(d.distances))
    pos = np.where(d.distances > 0, d.distances, np.nan)
    ylab = r"$\|x_n - x^*\|_2$" if d.fixed_point is not None else r"$\|x_{n+1} - x_n\|_2$"
    ax.semilogy(k, pos, marker="o", ms=3, lw=0, color="tab:blue", label=ylab + " (observed)")
    lam_txt = {
        "paper": r"$\lambda = (1-\alpha)\gamma_{\mathcal{A}}P/\tau$",
        "given": r"$\lambda$ given",
        "sampled": r"sampled $\hat\lambda = \max\|D\Phi_K\|_2$ (estimate, not a bound)",
    }[d.lam_kind]
    if d.bound is not None:
        ax.semilogy(k, d.bound, ls="--", lw=1.4, color="tab:red", label=rf"bound (14), {lam_txt} $= {d.lam:.4g}$")
    else:
        ax.text(
            0.02,
            0.04,
            rf"bound (14) does not apply: {lam_txt} $= {d.lam:.4g} \geq 1$",
            transform=ax.transAxes,
            fontsize=8,
            color="tab:red",
        )
    if d.rho is not None and d.rho >= 1:
        ax.text(
            0.02,
            0.11,
            rf"$\rho(D\Phi_K(x^*)) = {d.rho:.6g}$: no contraction at $x^*$",
            transform=ax.transAxes,
            fontsize=8,
            color="0.2",
        )
    if d.rho is not None and 0 < d.rho < 1 and np.isfinite(pos[0]):
        ax.semilogy(
            k,
            pos[0] * d.rho**k,
            ls=":",
            lw=1.4,
            color="0.2",
            zorder=3,
            label=rf"observed rate $\rho(D\Phi_K(x^*))^n$, $\rho = {d.rho:.4g}$",
        )
    floor = np.nanmin(pos) if np.any(np.isfinite(pos)) else 1e-16
    top = np.nanmax(pos) if np.any(np.isfinite(pos)) else 1.0
    if d.bound is not None:
        top = max(top, float(d.bound[0]))
    ax.set_ylim(max(floor / 10.0, 1e-17), top * 10.0)
    ax.set_xlabel("iteration $n$")
    ax.set_ylabel(ylab)
    ax.set_title(title if title is not None else f"tâtonnement on {d.economy}: convergence vs bound (14)", fontsize=10)
    ax.grid(True, which="major", color="0.9")
    ax.legend(fontsize=7, loc="upper right")
    return fig


# ----------------------------------------------------------------------------- stability map
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
):
    r"""A 2-D parameter sweep as a heat map.

    Parameters
    ----------
    grid_x, grid_y : array_like, shapes (nx,), (ny,)
        Parameter values along the horizontal and vertical axes (increasing).
    values : array_like, shape (ny, nx)
        ``values[i, j]`` at ``(grid_x[j], grid_y[i])``; NaN cells (e.g. no steady
        state) are left blank.
    xlabel, ylabel, title, colorbar_label : str
    boundary : float or None, default 1.0
        For continuous values, draw the contour ``value = boundary`` (e.g. the
        spectral radius crossing the unit circle). None draws none.
    categories : dict, optional
        ``{code: label}`` for categorical values (e.g. ``{0: "determinate",
        1: "indeterminate", 2: "no stable solution"}``): one colour per code and a
        legend instead of a colour bar.
    cmap : str, optional
    log : bool
        Logarithmic colour scale (continuous values only).
    ax : matplotlib Axes, optional

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
    if v.shape != (gy.size, gx.size):
        raise ShapeError("values", v.shape, f"shape (len(grid_y), len(grid_x)) = ({gy.size}, {gx.size})")
    if gx.size < 1 or gy.size < 1:
        raise ShapeError("grid", (gy.size, gx.size), "at least one value per axis")
    fig, ax = _target(ax, (6.0, 4.5))
    ex, ey = _edges(gx), _edges(gy)
    if categories:
        from matplotlib.colors import BoundaryNorm, ListedColormap
        from matplotlib.patches import Patch

        codes = sorted(categories)
        palette = ["#4c9a5b", "#e3b23c", "#c0392b", "#5b7db1", "#8e6c8a", "#7f7f7f"]
        colors = [palette[i % len(palette)] for i in range(len(codes))]
        index = np.full(v.shape, np.nan)
        for i, c in enumerate(codes):
            index[v == c] = i
        cm = ListedColormap(colors)
        norm = BoundaryNorm(np.arange(len(codes) + 1) - 0.5, len(codes))
        ax.pcolormesh(ex, ey, np.ma.masked_invalid(index), cmap=cm, norm=norm, shading="flat")
        present = [i for i, c in enumerate(codes) if np.any(v == c)]
        handles = [Patch(facecolor=colors[i], label=str(categories[codes[i]])) for i in present]
        ax.legend(handles=handles, fontsize=8, loc="best", framealpha=0.9)
    else:
        from matplotlib.colors import LogNorm

        masked = np.ma.masked_invalid(v)
        norm = None
        if log:
            pos = v[np.isfinite(v) & (v > 0)]
            if pos.size:
                norm = LogNorm(vmin=pos.min(), vmax=pos.max())
        mesh = ax.pcolormesh(ex, ey, masked, cmap=cmap or "viridis", norm=norm, shading="flat")
        cb = fig.colorbar(mesh, ax=ax)
        cb.set_label(colorbar_label)
        finite = v[np.isfinite(v)]
        if (
            boundary is not None
            and gx.size > 1
            and gy.size > 1
            and finite.size
            and finite.min() < boundary < finite.max()
        ):
            cs = ax.contour(gx, gy, masked, levels=[boundary], colors="white", linewidths=1.5)
            ax.clabel(cs, fmt={boundary: f"{boundary:g}"}, fontsize=8)
    ax.set_xlim(ex[0], ex[-1])
    ax.set_ylim(ey[0], ey[-1])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def _edges(g: np.ndarray) -> np.ndarray:
    """Cell edges around increasing centres ``g`` (half-way between neighbours)."""
    if g.size == 1:
        w = 0.5 * max(abs(g[0]), 1.0)
        return np.array([g[0] - w, g[0] + w])
    mid = 0.5 * (g[1:] + g[:-1])
    return np.concatenate([[g[0] - (mid[0] - g[0])], mid, [g[-1] + (g[-1] - mid[-1])]])


# ----------------------------------------------------------------------------- IRF grids
def _math_title(tex: str | None, fallback: str) -> str:
    """``$tex$`` when matplotlib's mathtext can typeset it, else the plain name (never fails at draw time)."""
    if not tex:
        return fallback
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(f"${tex}$")
    except (ValueError, RuntimeError):
        return fallback
    return f"${tex}$"


def plot_irfs(
    irfs,
    variables=None,
    *,
    title: str | None = None,
    latex_names: dict | None = None,
    ncols: int | None = None,
    xlabel: str = "period",
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
        Default ``"impulse responses to a unit SHOCK shock"``.
    latex_names : dict, optional
        Panel titles in math mode (default: those of the result).
    ncols : int, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axes per variable (hidden spare axes are removed); each axes has one
        line per scenario plus a zero line.
    """
    if hasattr(irfs, "values") and hasattr(irfs, "variables") and not isinstance(irfs, dict):
        scenarios = {None: irfs}
    elif isinstance(irfs, dict) and irfs:
        scenarios = dict(irfs)
    else:
        raise ValidationError("irfs", irfs, "an IRFResult or a non-empty dict label -> IRFResult")
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
    n = len(variables)
    ncols = ncols or int(np.ceil(np.sqrt(n)))
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure((3.0 * ncols, 2.3 * nrows + 0.4), nrows, ncols)
    axes = np.asarray(axes).ravel()
    for k, var in enumerate(variables):
        ax = axes[k]
        for label, r in scenarios.items():
            series = np.asarray(r[var], dtype=float)
            ax.plot(np.arange(series.size), series, lw=1.5, label=label)
        ax.axhline(0.0, color="0.6", lw=0.7)
        ax.set_title(_math_title(names.get(var), var), fontsize=10)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        fig.delaxes(ax)
    if len(scenarios) > 1:
        axes[0].legend(fontsize=7)
    shock = getattr(first, "shock", "")
    fig.suptitle(title if title is not None else f"impulse responses to a unit {shock} shock", fontsize=11)
    return fig
