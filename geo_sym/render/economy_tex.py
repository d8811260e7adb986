r"""The economy and its map in LaTeX: ``E_K`` (§2, §4.2) and eq. (10)–(12) / (13) in closed form.

:func:`economy_latex` is the economy's notebook display and the source of the derivation document's
parameter and price-mechanism rows; :func:`map_latex` writes every coordinate of the map from the
stages of :class:`geo_sym.maps.symbolic.SymbolicMap`. Both return math mode (``aligned`` or ``array``).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from geo_sym.render.latex_text import float_latex
from geo_sym.render.matrices import matrix_form
from geo_sym.render.printer import (
    LINE_WIDTH,
    MAX_BLOCK,
    MAX_LISTED_PATHS,
    _aligned,
    _display,
    _pack,
    _path_items,
    _printer,
    _rhs_lines,
    _sym,
    latex_name,
    visible_len,
)

__all__ = ["economy_latex", "map_latex", "price_mechanism_rows", "prop62_row", "production_set_latex", "vector_latex"]


def vector_latex(pr, values) -> str:
    """A vector as ``(v_1, …)`` (a single entry without brackets)."""
    vals = [pr._print(_sym(v)) for v in values]
    return vals[0] if len(vals) == 1 else r"\left(%s\right)" % ", ".join(vals)


def production_set_latex(pr, s) -> str:
    """A production set: a box as a product of intervals, a ball as ``\\bar{B}(c, r)``."""
    if s.kind == "box":
        return r" \times ".join(r"[%s, %s]" % (pr._print(_sym(lo)), pr._print(_sym(hi))) for lo, hi in zip(s.lo, s.hi))
    return r"\bar{B}\left(%s, %s\right)" % (vector_latex(pr, s.center), pr._print(_sym(s.radius)))


def _chunk_rows(items: list[str], width: int) -> list[str]:
    """Comma-separated items packed into rows of about ``width`` visible characters."""
    rows, cur = [], []
    for it in items:
        if cur and sum(visible_len(c) + 2 for c in cur) + visible_len(it) > width:
            rows.append(r",\ ".join(cur))
            cur = []
        cur.append(it)
    if cur:
        rows.append(r",\ ".join(cur))
    return rows


def price_mechanism_rows(econ, pr) -> list[str]:
    """The price mechanism (eq. (11) or ``A_K``) with ``G`` by its structure and ``γ_A``."""
    pm = econ.price_mechanism
    y_ref = "y'" if econ.map_kind == "sequential" else "y"
    if pm.kind == "tatonnement":
        return [
            r"\text{prices (tâtonnement, eq. (11)): } p' = \operatorname{normalize}\left(\max\left(0, p + \beta "
            r"\left(d(\pi) - %s\right)\right)\right)" % y_ref
        ]
    rows = []
    if pm.gamma is not None:
        rows.append(
            r"\text{prices (linear } \mathcal{A}_K\text{): } p' = \mathcal{A}_K(%s) = \gamma\, %s%s,\quad "
            r"\gamma = %s" % (y_ref, y_ref, "" if all(v == 0 for v in pm.b) else " + b", pr._print(_sym(pm.gamma)))
        )
    else:
        n = len(pm.G)
        rows.append(
            r"\text{prices (linear } \mathcal{A}_K\text{): } p' = \mathcal{A}_K(%s) = G %s + b" % (y_ref, y_ref)
        )
        G = matrix_form(sp.Matrix(pm.G), pr, max_dim=MAX_BLOCK, block_counts=(econ.A,))
        b = matrix_form(sp.Matrix(pm.b), pr, max_dim=MAX_BLOCK)
        if G.kind != "large":
            rows.append(r"G = %s,\quad b = %s" % (G.tex, b.tex if b.kind != "large" else r"\text{(%d entries)}" % n))
        else:
            rows.append(r"G:\ %s" % G.tex)
    exact = pm.spectral_norm_exact
    g = pr._print(_sym(exact)) if exact is not None else r"%s\ (\text{numeric})" % float_latex(pm.spectral_norm, 6)
    rows.append(r"\gamma_{\mathcal{A}} = \lVert D\mathcal{A}_K \rVert_2 = %s" % g)
    return rows


def prop62_row(econ, pr) -> str | None:
    """Proposition 6.2's bound ``(1 - α) γ_A P`` against ``τ`` (exact when ``γ_A`` is)."""
    pm = econ.price_mechanism
    if pm.kind != "linear":
        return None
    exact = pm.spectral_norm_exact
    if exact is not None:
        bound = (1 - econ.alpha) * exact * econ.depth
        holds = bool(econ.tau > bound)
        btex = pr._print(_sym(bound))
    else:
        bound = (1 - float(econ.alpha)) * pm.spectral_norm * econ.depth
        holds = float(econ.tau) > bound
        btex = r"%s\ (\text{numeric})" % float_latex(bound, 6)
    rel = ">" if holds else r"\le"
    return (
        r"\text{Prop. 6.2, (15): } (1 - \alpha)\, \gamma_{\mathcal{A}}\, P = %s,\quad \tau %s (1 - \alpha)\, "
        r"\gamma_{\mathcal{A}}\, P \ (\text{%s})" % (btex, rel, "holds" if holds else "fails")
    )


def _graph_rows(econ, pr) -> list:
    """Rows of :func:`economy_latex` for the DAG: its edges ``E(G)``, the paths ``P(G)`` and the depth ``P``."""
    rows: list = []
    edges = [r"%s \to %s" % (pr.agent_label(i), pr.agent_label(j)) for i, j in econ.graph.edges]
    if not edges:
        rows.append(r"E(G) = \emptyset \quad \text{(every agent is a one-agent path)}")
    else:
        shown = edges[:48]
        parts = _chunk_rows(shown, LINE_WIDTH)
        parts[0] = r"E(G) = \{" + parts[0]
        parts[-1] += (r",\ \dots\ (%d \text{ edges})\}" % len(edges)) if len(edges) > len(shown) else r"\}"
        rows.extend(parts)
    if econ.n_paths <= MAX_LISTED_PATHS:
        parts = _chunk_rows(_path_items(econ, pr), LINE_WIDTH)
        parts[0] = r"\mathcal{P}(G):\ " + parts[0]
        rows.extend(parts)
    else:
        rows.append(r"\mathcal{P}(G):\ %d \text{ maximal paths (not listed)}" % econ.n_paths)
    rows.append(r"\text{depth } P = %d" % econ.depth)
    return rows


def economy_latex(econ, *, display: bool = True, printer=None) -> str:
    """The economy ``E_K`` (§2, §4.2) as a LaTeX ``array``: agents, DAG, paths, parameters, maps.

    Lists each agent's demand profile ``u_a`` and production set ``Y_a``, the edges of
    ``G``, the paths ``P(G)`` (lexicographic order, as numbered in the state vector), the
    depth ``P``, ``α``, ``β``, ``τ`` as exact fractions, the price mechanism (with
    ``γ_A`` and the bound of Proposition 6.2 for a linear ``A_K``), SLO weights and the
    map (eq. (10)–(12) or (13)).

    Parameters
    ----------
    econ : Economy
    display : bool, default True
        Wrap in ``$$ … $$`` (what ``Economy._repr_latex_`` returns; also valid LaTeX).
    printer : GeoSymLatexPrinter, optional

    Returns
    -------
    str
    """
    pr = _printer(econ, printer)
    rows = [
        r"\text{Economy } %s\qquad A = %d,\ K = %d,\ |E| = %d,\ |\mathcal{P}(G)| = %d,\ P = %d"
        % (latex_name(econ.name), econ.A, econ.K, len(econ.graph.edges), econ.n_paths, econ.depth)
    ]
    if econ.metric_names is not None:
        rows.append(
            r"\text{coordinates: } K = R \cdot F,\quad \text{metrics } %s,\ F = %d"
            % (r",\ ".join(latex_name(m) for m in econ.metric_names), econ.stats_per_metric)
        )
    table = [
        r"%s & %s & %s" % (pr.agent_label(a), vector_latex(pr, u), production_set_latex(pr, s))
        for a, (u, s) in enumerate(zip(econ.demand, econ.production_sets))
    ]
    rows.append("\\begin{array}{c|c|c}\na & u_a & Y_a \\\\ \\hline\n" + " \\\\\n".join(table) + "\n\\end{array}")

    rows.extend(_graph_rows(econ, pr))

    params = [r"\alpha = %s" % pr._print(_sym(econ.alpha))]
    if econ.beta is not None:
        params.append(r"\beta = %s" % pr._print(_sym(econ.beta)))
    params.append(r"\tau = %s" % pr._print(_sym(econ.tau)))
    rows.append(r",\quad ".join(params))
    rows.extend(price_mechanism_rows(econ, pr))
    if econ.map_kind == "simultaneous":
        rows.append(r"\text{map: simultaneous } \Phi_K \text{ (eq. (10)–(12)), } s_a = \langle p_a, y_a \rangle")
    else:
        s = r"\langle p'_a, y'_a \rangle" if econ.sequential_revenue == "new" else r"\langle p_a, y'_a \rangle"
        tag = " (variant: new prices)" if econ.sequential_revenue == "new" else ""
        rows.append(r"\text{map: sequential (eq. (13))%s, } s'_a = %s" % (tag, s))
    if econ.slo is not None:
        slo = econ.slo
        rows.append(
            r"\text{SLO: } c_a = s_a + \lambda_1 \langle r_{\mathrm{lat}}, y_a \rangle - \lambda_2 "
            r"\langle r_{\mathrm{qual}}, y_a \rangle,\quad \lambda_1 = %s,\ \lambda_2 = %s,\ "
            r"r_{\mathrm{lat}} = %s,\ r_{\mathrm{qual}} = %s"
            % (
                pr._print(_sym(slo.lambda_lat)),
                pr._print(_sym(slo.lambda_qual)),
                vector_latex(pr, slo.readout_lat),
                vector_latex(pr, slo.readout_qual),
            )
        )
    p62 = prop62_row(econ, pr)
    if p62 is not None:
        rows.append(p62)
    body = "\\begin{array}{l}\n" + " \\\\\n".join(rows) + "\n\\end{array}"
    return _display(body, display)


# ----------------------------------------------------------------------------- the map
def _free_active(econ):
    """The all-interior branch (used to read off branch-independent stage definitions)."""
    from geo_sym.maps.core import ActiveSet

    A, K = econ.A, econ.K
    tat = econ.price_mechanism.kind == "tatonnement"
    return ActiveSet(
        np.zeros((A, K), dtype=np.int8),
        np.zeros((A, K), dtype=bool),
        np.ones((A, K), dtype=bool) if tat else None,
        np.zeros((A, K), dtype=bool) if tat else None,
    )


def _generic_rows(econ, pr) -> list[tuple[str, list[str]]]:
    """The map in vector form with this economy's parameters (non-smooth pieces kept)."""
    seq = econ.map_kind == "sequential"
    y_ref = "y'" if seq else "y"
    params = [r"\alpha = %s" % pr._print(_sym(econ.alpha))]
    if econ.beta is not None:
        params.append(r"\beta = %s" % pr._print(_sym(econ.beta)))
    params.append(r"\tau = %s" % pr._print(_sym(econ.tau)))
    if econ.slo is not None:
        params += [
            r"\lambda_1 = %s" % pr._print(_sym(econ.slo.lambda_lat)),
            r"\lambda_2 = %s" % pr._print(_sym(econ.slo.lambda_qual)),
        ]
    rows = [
        (r"d_a(\pi)", [r"w_a\, u_a,\quad w_a = \sum_{j \ni a} \pi_j,", r"\text{with } " + r",\ ".join(params)]),
        ("y'", [r"\operatorname{Proj}_{Y}\left(y + \alpha \left(d(\pi) - y\right)\right)"]),
    ]
    pm = econ.price_mechanism
    if pm.kind == "tatonnement":
        rows.append(
            (
                "p'",
                [
                    r"\operatorname{normalize}\left(\max\left(0, p + \beta \left(d(\pi) - %s\right)\right)"
                    r"\right)," % y_ref,
                    r"\operatorname{normalize}(x) = x \Big/ \sum_{a,k} x_{a,k}",
                ],
            )
        )
    else:
        rows.append(("p'", [r"\mathcal{A}_K(%s) = G %s + b" % (y_ref, y_ref)]))
    p_rev = "p'" if (seq and econ.sequential_revenue == "new") else "p"
    cost = r"\langle %s_a, %s_a \rangle" % (p_rev, y_ref)
    if econ.slo is not None:
        cost += (
            r" + \lambda_1 \langle r_{\mathrm{lat}}, %s_a \rangle"
            r" - \lambda_2 \langle r_{\mathrm{qual}}, %s_a \rangle" % (y_ref, y_ref)
        )
    rows.append(("c_a", [cost]))
    rows.append((r"V_j", [r"\sum_{a \in j} c_a"]))
    rows.append(
        (
            r"\pi'",
            [
                r"\operatorname{softmax}\left(-V / \tau\right),\quad \pi'_j = "
                r"\frac{e^{-V_j/\tau}}{\sum_{i} e^{-V_i/\tau}}"
            ],
        )
    )
    return rows


def map_latex(econ, active=None, *, display: bool = False, printer=None, max_concrete: int = 16) -> str:
    """The economy's map in closed form: eq. (10)–(12) (simultaneous) or eq. (13) (sequential).

    The first lines give the map in vector form with this economy's ``α``, ``β``, ``τ``
    (``\\operatorname{Proj}_Y``, ``\\max(0, ·)``, ``\\operatorname{normalize}``,
    ``\\operatorname{softmax}``). For small economies (``AK`` and ``|P(G)|`` at most
    ``max_concrete``) every coordinate follows, from the stages of
    :class:`geo_sym.maps.symbolic.SymbolicMap`:

    * without ``active``: the generic non-smooth form, e.g.
      ``y'_{a1,1} = \\operatorname{Proj}_{[0, 1]}(…)`` and ``p' = normalize(max(0, q))``
      with each ``q_{a,k}`` written out;
    * with ``active`` (an :class:`~geo_sym.maps.core.ActiveSet`): the smooth branch, with
      clamped coordinates set to their bound, zeroed prices set to ``0`` and
      ``p'_{a,k} = q_{a,k} / N``.

    Path values ``V_j`` and ``π'_j = e^{-V_j/τ} / Z`` (softmax written out) close the map.

    Parameters
    ----------
    econ : Economy
    active : ActiveSet, optional
    display : bool, default False
        Wrap in ``$$ … $$``.
    printer : GeoSymLatexPrinter, optional
    max_concrete : int, default 16

    Returns
    -------
    str
        An ``aligned`` environment (math mode).

    Raises
    ------
    DegenerateNormalizationError
        When ``active`` cuts every price to zero (``normalize(0)``, eq. (11)).
    """
    from geo_sym.maps.symbolic import SymbolicMap

    pr = _printer(econ, printer)
    rows = _generic_rows(econ, pr)
    notes = {
        1: "eq. (10)",
        2: "eq. (11)" if econ.map_kind == "simultaneous" else "eq. (13)",
        len(rows) - 1: "eq. (12)" if econ.map_kind == "simultaneous" else "eq. (13)",
    }
    A, K = econ.A, econ.K
    if A * K > max_concrete or econ.n_paths > max_concrete:
        why = r"AK = %d,\ |\mathcal{P}(G)| = %d;\ \text{limit } %d" % (A * K, econ.n_paths, max_concrete)
        rows.append((r"\text{(coordinates)}", [r"\text{not written out: } " + why]))
        return _display(_aligned(rows, notes), display)
    if not pr.path_labels_by_name:
        rows.append((r"\text{paths}", _chunk_rows(_path_items(econ, pr), LINE_WIDTH), ":"))
    if active is not None:
        notes[len(rows)] = "(on the active branch)"
    stages = _Stages(econ, pr, SymbolicMap(econ, _free_active(econ) if active is None else active), active)
    rows += stages.production_rows() + stages.price_rows() + stages.routing_rows()
    return _display(_aligned(rows, notes), display)


class _Stages:
    """The coordinates of the map for :func:`map_latex`, stage by stage (eq. (10), (11)/(13), (12))."""

    def __init__(self, econ, pr, sm, active):
        self.econ, self.pr, self.sm, self.active = econ, pr, sm, active
        self.defs = dict(sm.stages)
        A, K = econ.A, econ.K
        # on the interior branch y' = v; where y' enters prices and revenue (sequential map), print it as y'
        self.to_ynew = {
            sp.Symbol(f"v_{a}_{k}", real=True): sp.Symbol(f"y_new_{a}_{k}", real=True)
            for a in range(A)
            for k in range(K)
        }

    def show(self, expr):
        return _sym(expr).xreplace(self.to_ynew) if self.econ.map_kind == "sequential" else _sym(expr)

    def _y(self, a: int, k: int) -> str:
        return self.pr._print(sp.Symbol(f"y_new_{a}_{k}"))

    def production_rows(self) -> list:
        """``y' = Proj_Y(…)`` per agent (eq. (10)): generic, or on the active branch."""
        rows = []
        for a, s in enumerate(self.econ.production_sets):
            v_syms = [sp.Symbol(f"v_{a}_{k}", real=True) for k in range(self.econ.K)]
            v_exprs = [self.defs.get(v, v) for v in v_syms]
            rows += self._generic_y(a, s, v_exprs) if self.active is None else self._branch_y(a, v_syms, v_exprs)
        return rows

    def _generic_y(self, a, s, v_exprs) -> list:
        pr, K = self.pr, self.econ.K
        if s.kind == "box":
            return [
                (
                    self._y(a, k),
                    [
                        r"\operatorname{Proj}_{[%s, %s]}\left(%s\right)"
                        % (pr._print(_sym(s.lo[k])), pr._print(_sym(s.hi[k])), pr._print(v_exprs[k]))
                    ],
                )
                for k in range(K)
            ]
        lhs = r"\left(%s\right)" % ", ".join(self._y(a, k) for k in range(K))
        args = [pr._print(e) for e in v_exprs]
        rhs = r"\operatorname{Proj}_{%s}\left(%s\right)" % (production_set_latex(pr, s), ", ".join(args))
        if visible_len(rhs) <= LINE_WIDTH:
            return [(lhs, [rhs])]
        lines = [r"\operatorname{Proj}_{%s}\Bigl(%s," % (production_set_latex(pr, s), args[0])]
        lines += [a + "," for a in args[1:-1]] + [args[-1] + r"\Bigr)"]
        return [(lhs, lines)]

    def _branch_y(self, a, v_syms, v_exprs) -> list:
        pr, K, defs = self.pr, self.econ.K, self.defs
        codes = self.active.y_codes[a]
        rows = []
        if any(c == 2 for c in codes):  # on the sphere of a ball: the pre-projection stage first
            rows += [(pr._print(v_syms[k]), _rhs_lines(pr, v_exprs[k])) for k in range(K)]
        for k in range(K):
            out = _sym(self.sm.outputs[a * K + k])
            lhs = self._y(a, k)
            if out in defs and not out.name.startswith("v_"):  # ball: y' a stage of its own
                rows.append((lhs, _rhs_lines(pr, defs[out])))
            elif out.is_Symbol:
                rows.append((lhs, _rhs_lines(pr, defs.get(out, out))))
            else:
                where = "lower" if codes[k] == -1 else "upper"
                rows.append((lhs, [r"%s \quad \text{(at the %s bound)}" % (pr._print(out), where)]))
        return rows

    def price_rows(self) -> list:
        """Prices: the tâtonnement's ``q``, ``normalize`` and ``N`` (eq. (11)), or ``A_K(y')`` (eq. (13))."""
        econ, pr, defs = self.econ, self.pr, self.defs
        A, K = econ.A, econ.K
        if econ.price_mechanism.kind != "tatonnement":
            p_out = self.sm.outputs[A * K : 2 * A * K]
            return [
                (
                    pr._print(sp.Symbol(f"p_new_{a}_{k}")),
                    _rhs_lines(pr, self.show(defs.get(_sym(p_out[a * K + k]), _sym(p_out[a * K + k])))),
                )
                for a in range(A)
                for k in range(K)
            ]
        q_syms = [sp.Symbol(f"q_{a}_{k}", real=True) for a in range(A) for k in range(K)]
        rows = [(pr._print(q), _rhs_lines(pr, self.show(defs.get(q, q)))) for q in q_syms]
        if self.active is None:
            rows.append(("p'", [r"\operatorname{normalize}\left(\max\left(0, q\right)\right)"]))
            terms = [r"\max\left(0, %s\right)" % pr._print(q) for q in q_syms]
        else:
            keep = self.active.p_positive.ravel()
            terms = [pr._print(q) for q, kept in zip(q_syms, keep) if kept]
            for q, kept in zip(q_syms, keep):
                lhs = pr._print(sp.Symbol("p_new_" + q.name[2:]))
                rhs = pr._print(q / sp.Symbol("N")) if kept else r"0 \quad \text{(}\max(0, \cdot) = 0\text{)}"
                rows.append((lhs, [rhs]))
        rows.append(("N", _pack([terms[0]] + ["+ " + t for t in terms[1:]], LINE_WIDTH)))
        return rows

    def routing_rows(self) -> list:
        """Costs ``c_a``, path values ``V_j`` and the softmax ``π'_j = e^{-V_j/τ}/Z`` (eq. (12))."""
        econ, pr, defs = self.econ, self.pr, self.defs
        costs = getattr(self.sm, "_costs", None) or [sp.Symbol(f"c_{a}", real=True) for a in range(econ.A)]
        rows = [
            (pr._print(sp.Symbol(f"c_{a}")), _rhs_lines(pr, self.show(defs.get(_sym(c), _sym(c)))))
            for a, c in enumerate(costs)
        ]
        Vs = [sp.Symbol(f"V_{j}") for j in range(econ.n_paths)]
        for j, path in enumerate(econ.paths):
            rows.append((pr._print(Vs[j]), _rhs_lines(pr, sp.Add(*[sp.Symbol(f"c_{a}") for a in path]))))
        tau = econ.tau
        tau_tex = str(tau) if tau.is_Integer else r"(%d/%d)" % (tau.p, tau.q)
        zterms = [r"e^{-%s/%s}" % (pr._print(V), tau_tex) for V in Vs]
        rows += [(pr._print(sp.Symbol(f"pinew_{j}")), [r"\frac{%s}{Z}" % zterms[j]]) for j in range(econ.n_paths)]
        rows.append(("Z", _pack([zterms[0]] + ["+ " + t for t in zterms[1:]], LINE_WIDTH)))
        return rows
