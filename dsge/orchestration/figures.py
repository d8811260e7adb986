r"""Figures of the orchestration DSGE (§7): response grids, the one-page policy comparison, stability maps.

Every function returns the figure (made without ``pyplot``, in the style of
:mod:`geo_sym.render.plot_style`) and writes it when given a path (300 dpi raster, or vector by the
extension). Linear responses are drawn only where they are equilibrium responses; otherwise the
nonlinear path of the map is drawn and labelled as such. Series are labelled with agent names
(upright) and typeset symbols; responses are deviations from the steady state ``x*`` in the units of
each series (a share of traffic for ``w_a``, the read-out's units for ``L`` and ``Q``).
"""

from __future__ import annotations

import numpy as np

from geo_sym.render.plot_style import (
    DOUBLE_COLUMN,
    PALETTE,
    new_figure,
    plain,
    save_figure,
    styled,
)

__all__ = ["irf_grid", "policy_figure", "stability_map_figure", "channel_description"]

SLO_COLORS = {"lambda_lat": "black", "lambda_qual": "0.55"}
_UNITS = {
    "latency": r"$\Delta L$",
    "quality": r"$\Delta Q$",
    "lambda_lat": r"$\Delta\lambda_1$",
    "lambda_qual": r"$\Delta\lambda_2$",
}


def channel_description(name: str, kind: str | None, agents, size: float) -> str:
    """What a shock channel does, in words, with its size: ``spike_w1: latency spike on w1, ε = 0.01``."""
    head, what, amount = _channel_lines(name, kind, agents, size)
    return f"{head}: {what}, {amount}"


def _channel_lines(name: str, kind: str | None, agents, size: float) -> tuple[str, str, str]:
    """(name, what it does, its size) of a shock channel, each short enough for a row label."""
    who = "every agent" if not agents else ", ".join(agents)
    what = {
        "latency": f"latency spike on {who}",
        "quality": f"quality drop on {who}",
        "metric": f"metric shock on {who}",
        "failure": f"capacity cut on {who}",
        "load": f"demand up on {who}",
    }.get(kind or "", "shock")
    amount = (
        f"{100 * size:.3g}% of production"
        if kind == "failure"
        else (f"{100 * size:.3g}% of demand" if kind == "load" else rf"$\varepsilon = {size:g}$")
    )
    return plain(name), what, amount


def _default_variables(ir) -> list:
    """Aggregates and SLO weights first, then the series that move most (flat ones are skipped)."""
    series = ir.linear if ir.linear is not None else ir.nonlinear
    agg = [k for k in ("latency", "quality", "lambda_lat", "lambda_qual") if k in series]
    peak = {k: float(np.max(np.abs(v))) if len(v) else 0.0 for k, v in series.items()}
    scale = max(peak.values(), default=0.0)
    rest = sorted((k for k in series if k not in agg and peak[k] > 1e-9 * max(scale, 1e-300)), key=lambda k: -peak[k])
    return (agg + rest)[:9]


def _unit(name: str) -> str:
    if name in _UNITS:
        return _UNITS[name]
    if name.startswith("w["):
        return "Δ share of traffic"
    return "deviation from $x^*$"


@styled
def irf_grid(ir, variables=None, other=None, path=None, dpi: int | None = None):
    """Responses of one :class:`~dsge.orchestration.irf.OrchestrationIRF`, one panel per series."""
    variables = variables or _default_variables(ir)
    cols = min(3, len(variables))
    rows = (len(variables) + cols - 1) // cols
    fig, axes = new_figure((min(2.35 * cols, DOUBLE_COLUMN), 1.7 * rows + 1.0), rows, cols, squeeze=False, sharex=True)
    rule = " (Taylor rule)" if ir.policy is not None else ""
    for k, (ax, v) in enumerate(zip(axes.ravel(), variables)):
        if ir.linear is not None:
            ax.plot(np.arange(len(ir.linear[v])), ir.linear[v], color=PALETTE[0], label="linear" + rule)
            ax.plot(np.arange(len(ir.nonlinear[v])), ir.nonlinear[v], "--", color=PALETTE[1], label="nonlinear" + rule)
        else:
            ax.plot(
                np.arange(len(ir.nonlinear[v])),
                ir.nonlinear[v],
                "-.",
                color=PALETTE[1],
                label="map path (no stable solution)",
            )
        if other is not None and v in other.nonlinear:
            data = other.linear if other.linear is not None else other.nonlinear
            label = "without the rule" if ir.policy is not None else "other"
            ax.plot(np.arange(len(data[v])), data[v], ":", color=PALETTE[2], label=label)
        ax.axhline(0, color="0.6", lw=0.6)
        ax.set_title(ir.labels.get(v, plain(v)))
        ax.set_ylabel(_unit(v))
        if k >= len(variables) - cols:
            ax.set_xlabel("period $t$")
            ax.xaxis.set_tick_params(labelbottom=True)
    for ax in axes.ravel()[len(variables) :]:
        fig.delaxes(ax)
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(handles))
    head = f"response to {plain(ir.channel)} (size {ir.size:g}), deviations from the steady state"
    if ir.linear is None:
        head += f"\n{ir.stability.status}: no equilibrium response; the map's own path is shown"
    fig.suptitle(head)
    if path is not None:
        save_figure(fig, path, dpi)
    return fig


def _response(ir, name):
    """(values, kind) of a series: linear when it is an equilibrium response, else the nonlinear path."""
    if ir.linear is not None:
        return ir.linear[name], "linear"
    return ir.nonlinear[name], "nonlinear"


def _moving_agents(cmp, max_agents: int) -> list[str]:
    """The agents whose routing share moves most; none when every share stays within rounding of zero
    (below 1e-9 of the largest response of any series)."""
    peak: dict = {}
    largest = 0.0
    for ir in cmp.responses.values():
        for name in ir.nonlinear:
            vals, _ = _response(ir, name)
            top = float(np.max(np.abs(vals))) if len(vals) else 0.0
            largest = max(largest, top)
            if name.startswith("w["):
                peak[name[2:-1]] = max(peak.get(name[2:-1], 0.0), top)
    ranked = sorted(cmp.agent_names, key=lambda nm: -peak.get(nm, 0.0))
    return [nm for nm in ranked[:max_agents] if peak.get(nm, 0.0) > 1e-9 * largest]


def _panel(ax, cmp, ch, names, colors):
    """One panel: the listed series, with the rule (solid) and without (dashed); a map path without a stable
    solution (no equilibrium response) dash-dotted. Returns the policies drawn that way."""
    unstable = []
    for nm in names:
        for pol, style in (("taylor", "-"), ("none", "--")):
            if (ch, pol) not in cmp.responses:
                continue
            vals, kind = _response(cmp.responses[(ch, pol)], nm)
            if kind == "nonlinear":
                style = "-."
                unstable.append(pol)
            ax.plot(np.arange(len(vals)), vals, style, color=colors[nm], lw=1.3 if pol == "taylor" else 1.0)
    ax.axhline(0, color="0.6", lw=0.6)
    return sorted(set(unstable))


def _floor_lines(ax, cmp, ch) -> bool:
    """Dotted lines at the floors of the SLO weights (as deviations), when they fall within the plotted range;
    True when one is drawn."""
    ir = cmp.responses.get((ch, "taylor"))
    if ir is None or ir.policy is None:
        return False
    drawn = False
    lo, hi = ax.get_ylim()
    for nm, floor in (("lambda_lat", ir.policy.floor_lat), ("lambda_qual", ir.policy.floor_qual)):
        color = SLO_COLORS[nm]
        dev = float(floor) - ir.levels[nm]
        if lo <= dev <= hi:
            ax.axhline(dev, color=color, ls=":", lw=1.0)
            drawn = True
        if ir.floor_binding.get(nm):
            ax.text(0.98, 0.04, "floor binds", transform=ax.transAxes, ha="right", fontsize=6, color=color)
    return drawn


def _columns(cmp, agents):
    """Panel titles, y labels, series per panel and colours: shares, latency, quality, SLO weights — or, for an
    economy without SLO read-outs, shares, the production coordinates and price levels that move most."""
    colors = {f"w[{nm}]": PALETTE[i % len(PALETTE)] for i, nm in enumerate(agents)}
    shares = [f"w[{nm}]" for nm in agents]
    first = next(iter(cmp.responses.values()))
    if "latency" in first.nonlinear:
        colors.update({"latency": "black", "quality": "black", **SLO_COLORS})
        titles = ("routing shares $w_a$", "latency $L$", "quality $Q$", r"SLO weights $\lambda_1, \lambda_2$")
        units = ("Δ share of traffic", r"$\Delta L$", r"$\Delta Q$", r"$\Delta\lambda$")
        return titles, units, (shares, ["latency"], ["quality"], ["lambda_lat", "lambda_qual"]), colors
    peak: dict = {}
    for ir in cmp.responses.values():
        for k, v in ir.nonlinear.items():
            peak[k] = max(peak.get(k, 0.0), float(np.max(np.abs(v))) if len(v) else 0.0)
    ys = sorted((k for k in peak if k.startswith("y[")), key=lambda k: -peak[k])[:4]
    prices = sorted((k for k in peak if k.startswith("price[")), key=lambda k: -peak[k])[:4]
    colors.update({k: PALETTE[i % len(PALETTE)] for i, k in enumerate(ys + prices)})
    titles = ("routing shares $w_a$", r"production $y_{a,k}$ (moving most)", r"price levels $\sum_k p_{a,k}$")
    units = ("Δ share of traffic", r"$\Delta y_{a,k}$", r"$\Delta \sum_k p_{a,k}$")
    return titles, units, (shares, ys, prices), colors


def _row_label(cmp, ch, ir) -> str:
    kinds = getattr(cmp, "channel_kinds", None) or {}
    kind, agents = kinds.get(ch, (None, None))
    return "\n".join(_channel_lines(ch, kind, agents, ir.size))


@styled
def policy_figure(cmp, path=None, max_agents: int = 6, dpi: int | None = None):
    """One page: per shock channel (rows), routing shares, latency, quality and SLO weights, with and without
    the rule; linear responses (exact derivatives) where the economy has a stable solution."""
    from matplotlib.lines import Line2D

    n = len(cmp.channels)
    agents = _moving_agents(cmp, max_agents)
    titles, units, groups, colors = _columns(cmp, agents)
    height = min(9.5, 1.2 + 1.75 * n)
    fig, axes = new_figure((DOUBLE_COLUMN, height), n, len(groups), squeeze=False, sharex=True)
    any_unstable = floors = False
    for i, ch in enumerate(cmp.channels):
        ir = cmp.responses.get((ch, "taylor")) or cmp.responses[(ch, "none")]
        unstable: list = []
        for j, (ax, names) in enumerate(zip(axes[i], groups)):
            unstable += _panel(ax, cmp, ch, names, colors)
            if not names:
                ax.text(0.5, 0.5, "no share moves", transform=ax.transAxes, ha="center", fontsize=7, color="0.4")
            if "lambda_lat" in names:
                floors = _floor_lines(ax, cmp, ch) or floors
            ax.set_title(titles[j] if i == 0 else "")
            ax.set_ylabel(units[j] if j else _row_label(cmp, ch, ir) + "\n" + units[0], fontsize=7)
            ax.tick_params(labelsize=6)
            ax.yaxis.get_offset_text().set_fontsize(6)
            if i == n - 1:
                ax.set_xlabel("period $t$")
        if unstable:
            any_unstable = True
            who = " and ".join("with the rule" if p == "taylor" else "without it" for p in sorted(set(unstable)))
            axes[i, 0].text(
                0.02,
                0.97,
                f"{who}: no stable solution,\nmap path (not an equilibrium)",
                transform=axes[i, 0].transAxes,
                fontsize=6,
                color=PALETTE[1],
                va="top",
                bbox={"facecolor": "white", "edgecolor": PALETTE[1], "alpha": 0.85},
            )
    handles = _legend_handles(cmp, groups, colors, any_unstable, floors, Line2D)
    fig.legend(handles=handles, loc="outside lower center", ncols=4)
    rule = cmp.rule
    sub = (
        ""
        if rule is None
        else rf" ($\phi_{{\mathrm{{lat}}}} = {float(rule.phi_lat):g}$, $\phi_{{\mathrm{{qual}}}} = {float(rule.phi_qual):g}$)"
    )
    what = "with and without the Taylor rule (18)–(19)" if "taylor" in cmp.policies else "without an SLO policy"
    fig.suptitle(f"{plain(cmp.economy)}: responses to each shock, {what}{sub};\ndeviations from the steady state")
    if path is not None:
        save_figure(fig, path, dpi)
    return fig


def _legend_handles(cmp, groups, colors, any_unstable, floors, Line2D) -> list:
    labels = next(iter(cmp.responses.values())).labels
    labels = {**labels, "lambda_lat": r"$\lambda_1$ (latency weight)", "lambda_qual": r"$\lambda_2$ (quality weight)"}
    named = [s for g in groups for s in g if s not in ("latency", "quality")]
    handles = [Line2D([], [], color=colors[s], label=labels.get(s, plain(s))) for s in named]
    if "taylor" in cmp.policies:
        handles += [
            Line2D([], [], color="k", ls="-", label="with the Taylor rule"),
            Line2D([], [], color="k", ls="--", label="without the rule"),
        ]
        if floors:
            handles.append(Line2D([], [], color="k", ls=":", label="SLO-weight floor"))
    else:
        handles.append(Line2D([], [], color="k", ls="--", label="no SLO policy (constant weights)"))
    if any_unstable:
        handles.append(Line2D([], [], color="k", ls="-.", label="map path, no stable solution"))
    return handles


@styled
def stability_map_figure(sm, path=None, dpi: int | None = None, ax=None):
    """A :class:`~dsge.orchestration.stability.StabilityMap`: ρ over ``(φ_lat, φ_qual)`` with the ``ρ = 1`` contour.

    The paper states no analytic boundary over the Taylor coefficients (condition (15) does not involve
    them), so only the numerical contour is drawn; cells where a floor binds at ``x*`` are marked.
    """
    from matplotlib.lines import Line2D

    from geo_sym.render.plots import plot_stability_map

    fig = plot_stability_map(
        sm.phi_lat,
        sm.phi_qual,
        sm.rho,
        xlabel=r"latency response $\phi_{\mathrm{lat}}$",
        ylabel=r"quality response $\phi_{\mathrm{qual}}$",
        colorbar_label=r"spectral radius $\rho(D\Phi(x^*))$",
        boundary=1.0,
        contour_label=r"$\rho = 1$ (numerical contour)",
        title=(f"{plain(sm.economy)}: " if getattr(sm, "economy", "") else "")
        + r"Taylor-rule SLO policy (18)–(19), spectral radius at $x^*$",
        ax=ax,
    )
    ax = fig.axes[0] if ax is None else ax
    ii, jj = np.nonzero(sm.floor_binds)
    if ii.size:
        ax.plot(sm.phi_lat[jj], sm.phi_qual[ii], "x", color="white", ms=3.5, mew=1.0)
        legend = fig.legends[0] if fig.legends else None
        handles = list(legend.legend_handles) if legend is not None else []
        if legend is not None:
            legend.remove()
        handles.append(Line2D([], [], ls="none", marker="x", color="0.3", label="an SLO-weight floor binds at $x^*$"))
        fig.legend(handles=handles, loc="outside lower center")
    if path is not None:
        save_figure(fig, path, dpi)
    return fig
