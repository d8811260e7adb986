"""Figures of the orchestration DSGE: response grids and the one-page policy comparison (matplotlib, headless).

Every function returns the figure (and writes it when given a path). Linear responses are drawn only
where they are equilibrium responses; otherwise the nonlinear path of the map is drawn and labelled as
such.
"""

from __future__ import annotations

import numpy as np

__all__ = ["irf_grid", "policy_figure"]

A4_PORTRAIT = (8.27, 11.69)
SLO_COLORS = {"lambda_lat": "black", "lambda_qual": "0.55"}


def _pyplot():
    from dsge.solution.results import _pyplot as pyplot

    return pyplot()


def _default_variables(ir) -> list:
    """Aggregates and SLO weights first, then the series that move most (flat ones are skipped)."""
    series = ir.linear if ir.linear is not None else ir.nonlinear
    agg = [k for k in ("latency", "quality", "lambda_lat", "lambda_qual") if k in series]
    peak = {k: float(np.max(np.abs(v))) if len(v) else 0.0 for k, v in series.items()}
    scale = max(peak.values(), default=0.0)
    rest = sorted((k for k in series if k not in agg and peak[k] > 1e-9 * max(scale, 1e-300)), key=lambda k: -peak[k])
    return (agg + rest)[:9]


def irf_grid(ir, variables=None, other=None, path=None):
    """Responses of one :class:`~dsge.orchestration.irf.OrchestrationIRF`, one panel per series."""
    plt = _pyplot()
    variables = variables or _default_variables(ir)
    cols = min(3, len(variables))
    rows = (len(variables) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.6 * rows), squeeze=False)
    rule = " (Taylor rule)" if ir.policy is not None else ""
    for ax, v in zip(axes.ravel(), variables):
        if ir.linear is not None:
            ax.plot(np.arange(len(ir.linear[v])), ir.linear[v], label="linear" + rule)
            ax.plot(np.arange(len(ir.nonlinear[v])), ir.nonlinear[v], "--", label="nonlinear" + rule)
        else:
            ax.plot(np.arange(len(ir.nonlinear[v])), ir.nonlinear[v], "--", color="C3", label="nonlinear map path")
        if other is not None and v in other.nonlinear:
            data = other.linear if other.linear is not None else other.nonlinear
            ax.plot(
                np.arange(len(data[v])), data[v], ":", label="without the rule" if ir.policy is not None else "other"
            )
        ax.axhline(0, color="0.6", lw=0.6)
        ax.set_title(ir.labels.get(v, v), fontsize=9)
        ax.set_xlabel("period $t$", fontsize=8)
        ax.set_ylabel("deviation from $x^*$", fontsize=8)
    for ax in axes.ravel()[len(variables) :]:
        ax.set_visible(False)
    axes.ravel()[0].legend(fontsize=7)
    head = f"response to {ir.channel} (size {ir.size:g})"
    if ir.linear is None:
        head += f": {ir.stability.status} — no equilibrium response; nonlinear map path shown"
    fig.suptitle(head, fontsize=10)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
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


def _floor_lines(ax, cmp, ch):
    """Dotted lines at the floors of the SLO weights (as deviations), when they fall within the plotted range."""
    ir = cmp.responses.get((ch, "taylor"))
    if ir is None or ir.policy is None:
        return
    lo, hi = ax.get_ylim()
    for nm, floor in (("lambda_lat", ir.policy.floor_lat), ("lambda_qual", ir.policy.floor_qual)):
        color = SLO_COLORS[nm]
        dev = float(floor) - ir.levels[nm]
        if lo <= dev <= hi:
            ax.axhline(dev, color=color, ls=":", lw=1.0)
        if ir.floor_binding.get(nm):
            ax.text(0.98, 0.04, "floor binds", transform=ax.transAxes, ha="right", fontsize=6, color=color)


def _columns(cmp, agents):
    """Panel titles, series per panel and colours: shares, latency, quality, SLO weights — or, for an economy
    without SLO read-outs, shares, the production coordinates and price levels that move most."""
    colors = {f"w[{nm}]": f"C{i % 10}" for i, nm in enumerate(agents)}
    shares = [f"w[{nm}]" for nm in agents]
    first = next(iter(cmp.responses.values()))
    if "latency" in first.nonlinear:
        colors.update({"latency": "C3", "quality": "C2", **SLO_COLORS})
        titles = ("routing shares $w_a$", "latency $L$", "quality $Q$", r"SLO weights $\lambda_1, \lambda_2$")
        return titles, (shares, ["latency"], ["quality"], ["lambda_lat", "lambda_qual"]), colors
    peak: dict = {}
    for ir in cmp.responses.values():
        for k, v in ir.nonlinear.items():
            peak[k] = max(peak.get(k, 0.0), float(np.max(np.abs(v))) if len(v) else 0.0)
    ys = sorted((k for k in peak if k.startswith("y[")), key=lambda k: -peak[k])[:4]
    prices = sorted((k for k in peak if k.startswith("price[")), key=lambda k: -peak[k])[:4]
    colors.update({k: f"C{i % 10}" for i, k in enumerate(ys + prices)})
    titles = ("routing shares $w_a$", "production $y_{a,k}$ (moving most)", r"price levels $\sum_k p_{a,k}$")
    return titles, (shares, ys, prices), colors


def policy_figure(cmp, path=None, max_agents: int = 6):
    """One page: per shock channel, routing shares, latency, quality and SLO weights, with and without the rule."""
    plt = _pyplot()
    from matplotlib.lines import Line2D

    n = len(cmp.channels)
    height = min(A4_PORTRAIT[1], 1.6 + 2.5 * n)
    agents = _moving_agents(cmp, max_agents)
    titles, groups, colors = _columns(cmp, agents)
    fig, axes = plt.subplots(n, len(groups), figsize=(A4_PORTRAIT[0], height), squeeze=False)
    any_unstable = False
    for i, ch in enumerate(cmp.channels):
        ir = cmp.responses.get((ch, "taylor")) or cmp.responses[(ch, "none")]
        unstable: list = []
        for j, (ax, names) in enumerate(zip(axes[i], groups)):
            unstable += _panel(ax, cmp, ch, names, colors)
            if not names:
                ax.text(0.5, 0.5, "no share moves", transform=ax.transAxes, ha="center", fontsize=7, color="0.4")
            if "lambda_lat" in names:
                _floor_lines(ax, cmp, ch)
            ax.set_title(titles[j] if i == 0 else "", fontsize=8)
            ax.tick_params(labelsize=6)
            ax.set_xlabel("period $t$" if i == n - 1 else "", fontsize=7)
        axes[i, 0].set_ylabel(f"{ch}\n(size {ir.size:g})\ndeviation", fontsize=7)
        if unstable:
            any_unstable = True
            who = " and ".join("with the rule" if p == "taylor" else "without it" for p in sorted(set(unstable)))
            axes[i, 0].text(
                0.02,
                0.97,
                f"{who}: no stable solution,\nmap path (not an equilibrium)",
                transform=axes[i, 0].transAxes,
                fontsize=6,
                color="C3",
                va="top",
                bbox={"facecolor": "white", "edgecolor": "C3", "alpha": 0.85},
            )
    labels = next(iter(cmp.responses.values())).labels
    labels = {**labels, "lambda_lat": r"$\lambda_1$", "lambda_qual": r"$\lambda_2$"}
    named = [s for g in groups for s in g if s not in ("latency", "quality")]
    handles = [Line2D([], [], color=colors[s], label=labels.get(s, s)) for s in named]
    if "taylor" in cmp.policies:
        handles += [
            Line2D([], [], color="k", ls="-", label="with the Taylor rule"),
            Line2D([], [], color="k", ls="--", label="without the rule"),
            Line2D([], [], color="k", ls=":", label="SLO-weight floor"),
        ]
    else:
        handles.append(Line2D([], [], color="k", ls="--", label="no SLO policy (constant weights)"))
    if any_unstable:
        handles.append(Line2D([], [], color="k", ls="-.", label="map path, no stable solution"))
    fig.legend(handles=handles, loc="lower center", ncol=min(6, len(handles)), fontsize=7, frameon=False)
    bottom = 0.9 / height + 0.02 * (len(handles) > 6)
    rule = cmp.rule
    sub = (
        ""
        if rule is None
        else rf" ($\phi_{{lat}} = {float(rule.phi_lat):g}$, $\phi_{{qual}} = {float(rule.phi_qual):g}$)"
    )
    what = "with and without the Taylor rule" if "taylor" in cmp.policies else "without an SLO policy"
    fig.suptitle(f"{cmp.economy}: responses to each shock, {what}{sub}", fontsize=10)
    fig.tight_layout(rect=(0, bottom, 1, 1 - 0.45 / height))
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig
