r"""Sections 1–3 of the derivation document: the economy, the map in closed form, the steady state.

Each function takes the :class:`~geo_sym.render.document.Derivation` (or the economy) and returns
LaTeX text for :func:`geo_sym.render.document.derivation_document`. Agent names are set upright
(``\mathrm{a1}``), numbers exactly where they are exact.
"""

from __future__ import annotations

import sympy as sp

from geo_sym.render.economy_tex import map_latex, price_mechanism_rows, production_set_latex, prop62_row, vector_latex
from geo_sym.render.latex_blocks import Figure, display_math, longtable
from geo_sym.render.latex_text import float_latex, tex_text, tt_text
from geo_sym.render.printer import MAX_LISTED_PATHS, GeoSymLatexPrinter, latex_name

__all__ = ["number_latex", "complex_latex", "economy_section", "map_section", "steady_state_section", "dag_figure"]


# ----------------------------------------------------------------------------- numbers
def number_latex(v, digits: int = 6) -> str:
    """A real number as LaTeX: exact rationals as fractions, anything else with ``digits`` significant digits."""
    if isinstance(v, sp.Basic):
        if v.is_Rational:
            return GeoSymLatexPrinter().doprint(v)
        v = float(sp.N(v, 30))
    return float_latex(v, digits)


def complex_latex(z: complex, digits: int = 6) -> str:
    """A complex number ``a \\pm b\\,i`` (a part below ``10^{-12}`` of the modulus is dropped)."""
    re_, im = float(z.real), float(z.imag)
    scale = max(abs(re_), abs(im), 1e-300)
    if abs(im) <= 1e-12 * max(1.0, scale):
        return number_latex(re_, digits)
    if abs(re_) <= 1e-12 * max(1.0, scale):
        return r"%s\,i" % number_latex(im, digits)
    sign = "+" if im > 0 else "-"
    return r"%s %s %s\,i" % (number_latex(re_, digits), sign, number_latex(abs(im), digits))


# ----------------------------------------------------------------------------- 1. the economy
def _layers(econ) -> list[int]:
    """Layer of each agent: the number of agents on the longest path ending just before it."""
    g = econ.graph
    layer = [0] * econ.A
    for a in g.topological_order:
        for b in g.successors[a]:
            layer[b] = max(layer[b], layer[a] + 1)
    return layer


def _dag_picture(econ) -> str | None:
    """The DAG in LaTeX ``picture`` mode (layers left to right), or None when too large to draw."""
    A, edges = econ.A, econ.graph.edges
    layer = _layers(econ)
    n_layers = max(layer) + 1
    by_layer = [[a for a in range(A) if layer[a] == k] for k in range(n_layers)]
    tallest = max(len(v) for v in by_layer)
    if A > 20 or len(edges) > 60 or n_layers > 8 or tallest > 8 or not edges:
        return None
    dx = min(3.2, 13.0 / max(1, n_layers - 1)) if n_layers > 1 else 0.0
    dy = 1.1
    width, height = dx * (n_layers - 1) + 3.0, dy * (tallest - 1) + 1.0
    pos, half = {}, {}
    for k, agents in enumerate(by_layer):
        off = (tallest - len(agents)) * dy / 2.0
        for i, a in enumerate(agents):
            pos[a] = (1.5 + k * dx, height - 0.5 - off - i * dy)
            half[a] = 0.16 + 0.1 * len(econ.agent_names[a])
    out = [r"\setlength{\unitlength}{1cm}", r"\begin{picture}(%.2f,%.2f)" % (width, height)]
    for i, j in edges:
        out += _arrow((pos[i][0] + half[i], pos[i][1]), (pos[j][0] - half[j], pos[j][1]))
    for a, (x, y) in pos.items():
        out.append(r"\put(%.3f,%.3f){\makebox(0,0){$%s$}}" % (x, y, latex_name(econ.agent_names[a])))
    out.append(r"\end{picture}")
    return "\n".join(out)


def _arrow(p, q) -> list[str]:
    def seg(a, b):
        mx, my = (a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0
        return r"\qbezier(%.3f,%.3f)(%.3f,%.3f)(%.3f,%.3f)" % (a[0], a[1], mx, my, b[0], b[1])

    vx, vy = q[0] - p[0], q[1] - p[1]
    norm = max((vx * vx + vy * vy) ** 0.5, 1e-9)
    ux, uy = vx / norm, vy / norm
    h, w = 0.18, 0.07
    return [
        seg(p, q),
        seg(q, (q[0] - h * ux - w * uy, q[1] - h * uy + w * ux)),
        seg(q, (q[0] - h * ux + w * uy, q[1] - h * uy - w * ux)),
    ]


def dag_figure(econ) -> tuple[Figure, str] | None:
    """The DAG as a figure drawn in LaTeX (``(figure, picture code)``), or None when too large or edgeless."""
    pic = _dag_picture(econ)
    if pic is None:
        return None
    fig = Figure(
        "", "The DAG $G$ of \\texttt{%s}: agents by layer, edges left to right." % tex_text(econ.name), "fig:dag"
    )
    return fig, pic


def _dag_figure_latex(econ) -> str:
    made = dag_figure(econ)
    if made is None:
        return ""
    fig, pic = made
    return "\\begin{figure}[htbp]\n\\centering\n%s\n\\caption{%s}\\label{%s}\n\\end{figure}" % (
        pic,
        fig.caption,
        fig.label,
    )


def _agents(econ, pr) -> list[str]:
    rows = [
        r"$%s$ & $%s$ & $%s$ \\" % (latex_name(n), vector_latex(pr, u), production_set_latex(pr, s))
        for n, u, s in zip(econ.agent_names, econ.demand, econ.production_sets)
    ]
    return [
        r"\subsection*{Agents, demand profiles and production sets}",
        r"Demand is linear in routing, $d_a(\pi) = w_a u_a$ with $w_a = \sum_{j \ni a} \pi_j$; "
        r"$Y_a$ is the production set (Assumption~1: $0 \in Y_a$).",
        longtable("lll", "agent $a$ & $u_a$ & $Y_a$", rows),
    ]


def _dag(econ, pr) -> list[str]:
    out = [r"\subsection*{The DAG $G$ and its paths}"]
    edges = [r"$%s \to %s$" % (pr.agent_label(i), pr.agent_label(j)) for i, j in econ.graph.edges]
    if not edges:
        out.append(r"There are no edges: every agent is a one-agent path.")
    else:
        shown = edges[:200]
        more = r", \dots{} (%d in all)" % len(edges) if len(edges) > len(shown) else ""
        drawn = r" (drawn in Figure~\ref{fig:dag})" if _dag_picture(econ) is not None else ""
        out.append(r"Edges%s: %s%s." % (drawn, ", ".join(shown), more))
        layer = _layers(econ)
        cells = [
            r"%d & %s \\" % (k + 1, ", ".join(r"$%s$" % pr.agent_label(a) for a in range(econ.A) if layer[a] == k))
            for k in range(max(layer) + 1)
        ]
        out.append(
            r"Layers (agents grouped by the number of agents on the longest path ending at them):"
            + "\n"
            + longtable(r"r>{\raggedright\arraybackslash}p{13cm}", "layer & agents", cells)
        )
        out.append(_dag_figure_latex(econ))
    P = econ.n_paths
    if P <= MAX_LISTED_PATHS:
        items = [
            r"$\pi_{%d}$: $%s$" % (j + 1, r" \to ".join(pr.agent_label(a) for a in path))
            for j, path in enumerate(econ.paths)
        ]
        named = pr.path_labels_by_name
        out.append(
            r"Maximal paths $\mathcal{P}(G)$ in lexicographic order (their order in the state vector"
            + (r"; below they are labelled by their agents, e.g.\ $\pi_{%s}$" % pr.path_label(0) if named else "")
            + "):\n\n"
            + r"; \ ".join(items)
            + "."
        )
    else:
        out.append(
            r"$|\mathcal{P}(G)| = %d$ maximal paths (not listed; the state vector orders them "
            r"lexicographically by agent indices)." % P
        )
    return out


def _state_space(econ) -> list[str]:
    simplex_p = econ.prices_on_simplex
    n, AK, P = econ.state_size(), econ.A * econ.K, econ.n_paths
    tangent_dim = n - (1 if simplex_p else 0) - 1
    prices = (
        r"prices $p$ on the simplex $\Delta_p = \{p \ge 0,\ \sum_{a,k} p_{a,k} = 1\}$ "
        if simplex_p
        else r"prices $p = \mathcal{A}_K(y) \in \mathbb{R}^{AK}$ "
    )
    return [
        r"\subsection*{The state space}",
        r"The state is $x = (y, p, \pi)$ with $y = (y_a)_a \in \prod_a Y_a \subset \mathbb{R}^{AK}$, "
        + prices
        + r"and routing $\pi \in \Delta(\mathcal{P}(G))$: "
        r"$\Omega_K = \prod_a Y_a \times %s \times \Delta(\mathcal{P}(G))$, flattened as $y$ "
        r"(agent-major, then coordinate), $p$ likewise, then $\pi$ in path order: %d coordinates "
        r"($2AK + |\mathcal{P}(G)| = %d + %d + %d$); its tangent space has dimension %d."
        % (r"\Delta_p" if simplex_p else r"\mathbb{R}^{AK}", n, AK, AK, P, tangent_dim),
    ]


def _parameters(econ, pr) -> list[str]:
    params = [r"\alpha = %s" % pr.doprint(econ.alpha)]
    if econ.beta is not None:
        params.append(r"\beta = %s" % pr.doprint(econ.beta))
    params.append(r"\tau = %s" % pr.doprint(econ.tau))
    rows = price_mechanism_rows(econ, pr)
    p62 = prop62_row(econ, pr)
    if p62 is not None:
        rows.append(p62)
    out = [
        r"\subsection*{Parameters and price mechanism}",
        r"\[ %s \]" % r",\qquad ".join(params),
        "\\begin{gather*}\n" + " \\\\\n".join(rows) + "\n\\end{gather*}",
    ]
    if econ.slo is not None:
        slo = econ.slo
        out.append(
            r"SLO weights enter the agent cost: $c_a = s_a + \lambda_1 \langle r_{\mathrm{lat}}, y_a \rangle "
            r"- \lambda_2 \langle r_{\mathrm{qual}}, y_a \rangle$ with $\lambda_1 = %s$, $\lambda_2 = %s$, "
            r"$r_{\mathrm{lat}} = %s$, $r_{\mathrm{qual}} = %s$."
            % (
                pr.doprint(slo.lambda_lat),
                pr.doprint(slo.lambda_qual),
                vector_latex(pr, slo.readout_lat),
                vector_latex(pr, slo.readout_qual),
            )
        )
    out += _policy(econ, pr)
    return out


def _policy(econ, pr) -> list[str]:
    out = []
    channels = getattr(econ, "shock_channels", ()) or ()
    if channels:
        described = [
            r"%s (%s%s)"
            % (
                tt_text(c.name),
                tex_text(c.kind),
                "" if c.agents is None else " of " + ", ".join(r"$%s$" % pr.agent_label(a) for a in c.agents),
            )
            for c in channels
        ]
        out.append(r"Shock channels (eq.~(16)): " + ", ".join(described) + ".")
    taylor = getattr(econ, "taylor", None)
    if taylor:
        out.append(
            r"Taylor-rule SLO policy (eq.~(18)--(19)): $\phi_{\mathrm{lat}} = %s$, $\phi_{\mathrm{qual}} = %s$, "
            r"the weights held at or above the floors $%s$ and $%s$."
            % tuple(number_latex(v) for v in (taylor.phi_lat, taylor.phi_qual, taylor.floor_lat, taylor.floor_qual))
        )
    return out


def economy_section(econ) -> str:
    """Section 1: the agents, the DAG and its paths, the state space, parameters and price mechanism."""
    pr = GeoSymLatexPrinter(econ)
    kind = (
        "simultaneous map $\\Phi_K$ (eq.~(10)--(12))"
        if econ.map_kind == "simultaneous"
        else "sequential map (eq.~(13))"
        + (", priced with the new prices $p'$" if econ.sequential_revenue == "new" else "")
    )
    out = [
        r"\section{The economy}",
        r"The economy %s has $A = %d$ agents with $K = %d$ commodity coordinates each, $|E| = %d$ edges, "
        r"$|\mathcal{P}(G)| = %d$ maximal paths and depth $P = %d$ (agents on the longest path). It iterates the %s."
        % (tt_text(econ.name), econ.A, econ.K, len(econ.graph.edges), econ.n_paths, econ.depth, kind),
    ]
    if econ.metric_names is not None:
        out.append(
            r"Coordinates: $K = R \cdot F$ with metrics %s and $F = %d$ statistics per metric (metric-major)."
            % (", ".join(tt_text(m) for m in econ.metric_names), econ.stats_per_metric)
        )
    out += _agents(econ, pr) + _dag(econ, pr) + _state_space(econ) + _parameters(econ, pr)
    return "\n\n".join(s for s in out if s)


# ----------------------------------------------------------------------------- 2. the map
def map_section(econ) -> str:
    """Section 2: the map in vector form, then every coordinate (small economies)."""
    AK, P = econ.A * econ.K, econ.n_paths
    out = [
        r"\section{The map in closed form}",
        r"The first lines state the map in vector form with this economy's parameters; below them, every "
        r"coordinate is written out (when $AK$ and $|\mathcal{P}(G)|$ are at most 16). $\operatorname{Proj}$, "
        r"$\max(0,\cdot)$ and $\operatorname{normalize}$ are the non-smooth pieces; at a point, the Jacobian "
        r"below is taken on the branch active there. Long right-hand sides continue on the next line.",
        display_math(map_latex(econ)),
    ]
    if AK > 16 or P > 16:
        out.append(
            r"The coordinates are not written out ($AK = %d$, $|\mathcal{P}(G)| = %d$); the vector form "
            r"above is exact for every coordinate." % (AK, P)
        )
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- 3. the steady state
def _state_table(econ, x, pr, exact: bool) -> str:
    def fmt(v):
        return pr.doprint(v) if exact else number_latex(v)

    def vec(row):
        vals = [fmt(v) for v in row]
        return vals[0] if len(vals) == 1 else r"\left(%s\right)" % ", ".join(vals)

    rows = [
        r"$%s$ & $%s$ & $%s$ \\" % (latex_name(econ.agent_names[a]), vec(x.y[a]), vec(x.p[a]))
        for a in range(min(econ.A, 200))
    ]
    tab = longtable("lll", r"agent $a$ & $y^*_a$ & $p^*_a$", rows)
    if econ.A > 200:
        tab += "\n\n(first 200 of %d agents shown)" % econ.A
    P = econ.n_paths
    shown = min(P, MAX_LISTED_PATHS)
    items = [r"$\pi^*_{%s} = %s$" % (pr.path_label(j), fmt(x.pi[j])) for j in range(shown)]
    routing = r"Routing: " + ", ".join(items) + (r", \dots{} (%d paths)." % P if P > shown else ".")
    return tab + "\n\n" + routing


def _coordinate(pr, name: str, k: int, base: str = "y") -> str:
    return r"$%s_{%s,%d}$" % (base, latex_name(name), int(k) + 1)


def _active_text(econ, active, pr) -> str:
    if active is None:
        return ""
    d = active.to_dict(econ)
    lo, hi = d.get("y_at_lower", []), d.get("y_at_upper", [])
    parts = [
        "%d production coordinate%s at a bound of $Y_a$" % (len(lo) + len(hi), "" if len(lo) + len(hi) == 1 else "s")
    ]
    if "p_zeroed" in d:
        n = len(d["p_zeroed"])
        parts.append(r"%d price%s cut to zero by $\max(0,\cdot)$" % (n, "" if n == 1 else "s"))
    text = "Active set at this point: " + ", ".join(parts) + "."
    clamped = [_coordinate(pr, a, k) for a, k in (lo + hi)[:12]]
    if clamped:
        text += " Clamped: " + ", ".join(clamped) + ("." if len(lo) + len(hi) <= 12 else r", \dots")
    if d.get("at_kink"):
        text += (
            r" \textbf{The point lies on a kink} of a non-smooth piece: the map is not differentiable there "
            r"and the free branch is used below."
        )
    return text


def steady_state_section(d) -> str:
    """Section 3: the fixed points found, which one is used, whether it is exact, and its active set."""
    econ = d.economy
    pr = GeoSymLatexPrinter(econ)
    out = [r"\section{Steady state}"]
    fps = d.fixed_points
    if not fps:
        out.append(
            r"No fixed point of the map was found from the centre state and the seeded random starts "
            r"(iteration, then Newton steps in tangent coordinates). The Jacobian below is taken at the "
            r"centre state $x_0$ ($y = 0$, uniform prices and routing), which is \emph{not} a steady state."
        )
        return "\n\n".join(out)
    msg = (
        r"Fixed points $x^* = \Phi_K(x^*)$ were searched from the centre state and %d seeded random starts "
        r"(iteration, then Newton steps in tangent coordinates, residual $\le 10^{-11}$). " % d.n_starts
    )
    if len(fps) == 1:
        msg += r"All starts reached the same fixed point."
    else:
        msg += (
            r"They reached %d distinct fixed points (farther apart than $10^{-6}$; largest distance $%s$): the "
            r"equilibrium is not unique here, or the fixed points form a continuum. The one reached from the "
            r"centre state is used below." % (len(fps), number_latex(d.fixed_point_spread, 4))
        )
    out.append(msg)
    if d.exact:
        out.append(
            r"It is \textbf{exact}: rounding it to rationals and evaluating $\Phi_K$ in exact arithmetic "
            r"gives back the same point, so $\Phi_K(x^*) = x^*$ holds exactly (a proof, not a tolerance)."
        )
    else:
        out.append(
            r"It is not rational (or its rational rounding is not a fixed point), so it is given in "
            r"floating point (residual $%s$)." % number_latex(fps[0].residual, 3)
        )
    out.append(_state_table(econ, d.steady_state, pr, d.exact))
    if d.jacobian is not None:
        out.append(_active_text(econ, d.jacobian.active, pr))
    return "\n\n".join(out)
