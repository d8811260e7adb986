"""The LaTeX document of a DSGE model and its first-order solution (:func:`model_document`)."""

from __future__ import annotations

import math

import numpy as np

from dsge.document.names import (
    MAX_MATRIX,
    _clean,
    _labelled_matrix,
    _nonzero_list,
    _num,
    _parts,
    equation_latex,
    tree_latex,
    variable_latex,
)

__all__ = ["model_document"]


# ----------------------------------------------------------------------------- model facts
def _unpack(model_or_solution):
    """``(model or None, solution)`` from a Model or a Solution."""
    if hasattr(model_or_solution, "solve") and hasattr(model_or_solution, "equations"):
        model = model_or_solution
        return model, model.solve()
    if hasattr(model_or_solution, "bk") and hasattr(model_or_solution, "linearization"):
        return None, model_or_solution
    from geo_sym.errors import ValidationError

    raise ValidationError("model_or_solution", type(model_or_solution).__name__, "a dsge.Model or a dsge.Solution")


def _trees(equations, variables, shocks, parameters):
    """Parse trees of the equations; undeclared names count as parameters (a Solution has no list)."""
    from dsge.model.parser import FUNCTIONS, parse_equation, tokenize

    if parameters is None:
        names = set()
        for text in equations:
            names |= {t.text for t in tokenize(text) if t.kind == "name"}
        parameters = sorted(names - set(variables) - set(shocks) - set(FUNCTIONS))
    return [
        parse_equation(text, variables=variables, parameters=parameters, shocks=shocks, where=f"equations[{k}]")
        for k, text in enumerate(equations)
    ]


def _written(model, sol):
    """``(equation trees as written, local definitions, declared variables)`` of the model or solution."""
    declared = list(sol.variables[: sol.declared])
    if model is not None and getattr(model, "path", None) is None and getattr(model, "_spec", None) is None:
        model = None
    if model is not None:
        spec = model.spec
        return list(spec.written_trees), dict(spec.local_trees), declared
    equations = list(sol.steady_state.equations)[: sol.declared]
    return _trees(equations, list(sol.variables), list(sol.shocks), None), {}, declared


def _tex_text(s) -> str:
    from geo_sym.render.latex_text import tex_text

    return tex_text(s)


def tt_text(s) -> str:
    from geo_sym.render.latex_text import tt_text as _tt

    return _tt(s)


def _longtable(spec: str, head: str, rows: list[str]) -> str:
    return (
        "\\begin{longtable}{%s}\n\\toprule\n%s \\\\\n\\midrule\n\\endhead\n" % (spec, head)
        + "\n".join(rows)
        + "\n\\bottomrule\n\\end{longtable}"
    )


def _roles(trees) -> tuple[set, set]:
    from dsge.model.parser import node_names

    lead, lag = set(), set()
    for lhs, rhs in trees:
        for kind, nm, t in node_names(lhs) | node_names(rhs):
            if kind == "var" and t > 0:
                lead.add(nm)
            if kind == "var" and t < 0:
                lag.add(nm)
    return lead, lag


def _declarations_section(model, sol, trees, declared, names) -> str:
    lead, lag = _roles(trees)
    rows = []
    for v in declared:
        role = ", ".join(r for r, s in (("forward-looking", lead), ("predetermined", lag)) if v in s) or "static"
        rows.append(r"\texttt{%s} & $%s$ & %s \\" % (_tex_text(v), variable_latex(v, 0, names), role))
    out = [r"\section{Declarations}", _longtable("lll", "variable & symbol & appears as", rows)]
    shocks = list(sol.shocks)
    if shocks:
        cov = np.asarray(sol.shock_cov, dtype=float)
        srows = [
            r"\texttt{%s} & $%s$ & $%s$ \\"
            % (_tex_text(e), variable_latex(e, 0, names), _num(math.sqrt(max(cov[k, k], 0.0))))
            for k, e in enumerate(shocks)
        ]
        diagonal = np.allclose(cov, np.diag(np.diag(cov)))
        out.append("Shocks (standard deviations; covariance $\\Omega$%s):" % ("" if diagonal else ", not diagonal"))
        out.append(_longtable("llr", "shock & symbol & std", srows))
    if model is not None:
        prows = [
            r"\texttt{%s} & $%s$ & $%s$ \\" % (_tex_text(p), variable_latex(p, None, names), _num(val, 8))
            for p, val in model.parameters.items()
        ]
        out.append("Parameters:\n\n" + _longtable("llr", "parameter & symbol & value", prows))
    return "\n\n".join(out)


def _equations_section(trees, local_trees, sol, names) -> str:
    out = [r"\section{Equations}"]
    if local_trees:
        defs = [r"%s &= %s" % (variable_latex(k, None, names), tree_latex(t, names)) for k, t in local_trees.items()]
        out.append("Model-local variables:\n\\begin{align*}\n" + " \\\\\n".join(defs) + "\n\\end{align*}")
    lines = []
    for k, (lhs, rhs) in enumerate(trees):
        eq = equation_latex(lhs, rhs, names)
        eq[-1] += r" \tag{%d}" % (k + 1)
        lines.extend(eq)
    out.append("\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}")
    aux = [a[0] for a in sol.aux]
    if aux:
        out.append(
            "Leads and lags beyond one period (and shocks with a timing) are replaced, as in Dynare, by the "
            "auxiliary variables " + ", ".join(r"\texttt{%s}" % _tex_text(a) for a in aux) + "; they appear in the "
            "linearized model and the solution below."
        )
    return "\n\n".join(out)


_SS_METHODS = {
    "analytic": "given by the model's analytic steady-state block",
    "given": "the values in the file already solve it",
    "newton": "solved by Newton's method with the exact Jacobian and a line search",
    "hybr": "solved by MINPACK's hybrid Newton method with the exact Jacobian",
    "lm": "solved by Levenberg--Marquardt with the exact Jacobian",
}


def _steady_state_section(sol, names) -> str:
    ss = sol.steady_state
    method = _SS_METHODS.get(ss.method, _tex_text(ss.method))
    text = (
        r"The static system (all leads and lags equal, shocks zero): %s; every residual is within $%s$ times "
        r"the scale of its equation." % (method, _num(ss.tolerance, 3))
    )
    rows = [
        r"$%s$ & $%s$ & (%d) & $%s$ \\" % (_bar(v, names), _num(val, 10), k + 1, _num(res, 3))
        for k, (v, val, res) in enumerate(zip(sol.variables, ss.values, ss.residuals))
    ]
    table = _longtable("lrcr", "variable & steady state & equation & residual", rows)
    return "\n\n".join([r"\section{Steady state}", text, table])


def model_document(
    model_or_solution, *, title: str | None = None, figures=(), irf_periods: int = 0, provenance: dict | None = None
) -> str:
    r"""A complete, compilable LaTeX document of a DSGE model and its first-order solution.

    Parameters
    ----------
    model_or_solution : dsge.Model or dsge.Solution
        A model (solved here) or a solution. From a solution the parameter values are
        unknown (it does not carry them), so their table is left out.
    title : str, optional
    figures : sequence of Figure
        Figures to include (:class:`geo_sym.render.latex_blocks.Figure`, paths as LaTeX sees them); the
        impulse-response figure (label ``fig:irf``) is referenced from the solution section.
    irf_periods : int
        When positive and the model is determinate, a table of the impulse responses (one
        standard deviation) to each shock for periods ``0..irf_periods-1``.
    provenance : dict, optional
        The closing provenance paragraph (:func:`geo_sym.render.provenance.provenance`).

    Returns
    -------
    str
        LaTeX source using only ``amsmath``, ``amssymb``, ``geometry``, ``longtable``,
        ``booktabs`` and ``graphicx``.
    """
    from geo_sym.render.latex_blocks import document
    from geo_sym.render.provenance import provenance_latex

    model, sol = _unpack(model_or_solution)
    names = dict(sol.latex_names or {})
    trees, local_trees, declared = _written(model, sol)
    desc = getattr(model, "description", "") if model is not None else ""
    logs = (
        r" Variables in logs ($\hat x_t = \log x_t - \log \bar x$): "
        + ", ".join(tt_text(v) for v in sol.log_variables)
        + "."
        if sol.log_variables
        else ""
    )
    intro = (
        (_tex_text(desc) + "\n\n" if desc else "")
        + r"The model in Dynare timing: $x_{t+1}$ is the expectation at $t$ of next period's value, "
        r"$x_{t-1}$ last period's value, and shocks are dated $t$ (i.i.d., mean zero). The model is "
        r"linearized (deviations $\hat x_t = x_t - \bar x$ from the steady state) with exact "
        r"first derivatives and solved by Klein's QZ method." + logs
    )
    figures = tuple(figures)
    body = [
        intro,
        _declarations_section(model, sol, trees, declared, names),
        _equations_section(trees, local_trees, sol, names),
        _steady_state_section(sol, names),
        _linearization_section(sol, names),
        _bk_section(sol),
        _solution_section(sol, names, irf_periods, figures),
        *[f.latex() for f in figures if f.label != "fig:irf"],
        provenance_latex(provenance) if provenance else "",
    ]
    return document(title or f"DSGE model {sol.model_name}", body)


def _bar(v, names) -> str:
    base, sub = _parts(v, names)
    return r"\bar{%s}%s" % (base, r"_{%s}" % sub if sub else "")


def _hat(v, timing, names) -> str:
    base, sub = _parts(v, names)
    date = "t" if timing == 0 else ("t+1" if timing > 0 else "t-1")
    return r"\hat{%s}_{%s}" % (base, f"{sub},{date}" if sub else date)


def _linear_equation(row_lead, row_cur, row_lag, row_shock, variables, shocks, names, tag: int) -> list[str]:
    """One linearized equation as ``align*`` lines (left-aligned, broken when long), ending ``= 0``."""
    terms = []
    for coeffs, timing in ((row_lead, 1), (row_cur, 0), (row_lag, -1)):
        for j, c in enumerate(coeffs):
            if c != 0:
                terms.append((float(c), _hat(variables[j], timing, names)))
    for j, c in enumerate(row_shock):
        if c != 0:
            terms.append((float(c), variable_latex(shocks[j], 0, names)))
    if not terms:
        return [r"&0 = 0 \tag{%d}" % tag]
    chunks = []
    for i, (c, sym) in enumerate(terms):
        mag = abs(c)
        coef = "" if abs(mag - 1.0) < 1e-12 else _num(mag, 5) + r"\, "
        if i == 0:
            chunks.append(("-" if c < 0 else "") + coef + sym)
        else:
            chunks.append(("- " if c < 0 else "+ ") + coef + sym)
    lines, cur = [], ""
    for c in chunks:
        if cur and len(cur) + len(c) > 110:
            lines.append(cur)
            cur = c
        else:
            cur = f"{cur} {c}" if cur else c
    lines.append(cur)
    out = ["&" + lines[0]] + [r"&\quad " + ln for ln in lines[1:]]
    out[-1] += r" = 0 \tag{%d}" % tag
    return out


def _linearization_section(sol, names) -> str:
    lin = sol.linearization
    variables, shocks = list(sol.variables), list(sol.shocks)
    n = len(variables)
    fl, fc, fm, fe = (_clean(lin.f_lead), _clean(lin.f_cur), _clean(lin.f_lag), _clean(lin.f_shock))
    out = [
        r"\section{Linearized model}",
        r"Exact first derivatives of the residuals (left-hand side minus right-hand side) at the steady state "
        r"give \[ F_{+}\, \hat y_{t+1} + F_{0}\, \hat y_{t} + F_{-}\, \hat y_{t-1} + F_{\varepsilon}\, "
        r"\varepsilon_t = 0, \qquad \hat y_t = y_t - \bar y, \] equation by equation (coefficients to 5 "
        r"significant digits):",
    ]
    lines = []
    for i in range(n):
        lines.extend(_linear_equation(fl[i], fc[i], fm[i], fe[i] if fe.size else [], variables, shocks, names, i + 1))
    out.append("\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}")
    cols = [variable_latex(v, None, names) for v in variables]
    rows = [f"({i + 1})" for i in range(n)]
    if n <= MAX_MATRIX:
        out.append(r"As matrices (rows: equations, columns: variables):")
        for label, M in ((r"F_{+}", fl), (r"F_{0}", fc), (r"F_{-}", fm)):
            out.append(r"\[ %s = %s \]" % (label, _labelled_matrix(M, rows, cols)))
        if shocks:
            out.append(
                r"\[ F_{\varepsilon} = %s \]"
                % _labelled_matrix(fe, rows, [variable_latex(e, None, names) for e in shocks])
            )
    else:
        out.append(
            r"The matrices are %d$\times$%d; they are printed by blocks of columns (rows: equations, columns: "
            r"variables; empty cells are zero, zero columns are left out)." % (n, n)
        )
        for label, M in ((r"F_{+}", fl), (r"F_{0}", fc), (r"F_{-}", fm), (r"F_{\varepsilon}", fe)):
            c = cols if label != r"F_{\varepsilon}" else [variable_latex(e, None, names) for e in shocks]
            out.append(r"\paragraph{$%s$}" % label + "\n" + _matrix_by_blocks(M, rows, c))
    return "\n\n".join(out)


def _matrix_by_blocks(M, rows, cols) -> str:
    """A large matrix as labelled column blocks (up to 60 rows), else the list of its non-zero entries."""
    from geo_sym.render.matrices import labelled_matrix

    if len(rows) > 60:
        return _nonzero_list(M, rows, cols)
    parts = labelled_matrix(M, list(rows), list(cols), digits=4, columns=7)
    arrays, note = parts[:-1], parts[-1]
    if not arrays:
        return r"All zero."
    return "\n".join(r"\[ %s \]" % a for a in arrays) + ("\n\n" + note if note else "")


def _bk_section(sol) -> str:
    bk = sol.bk
    status = {
        "determinate": "determinate: a unique stable solution",
        "indeterminate": "indeterminate: a continuum of stable solutions (sunspots)",
        "no-stable-solution": "no stable solution",
    }.get(bk.status, bk.status)
    order_ok = bk.n_unstable == bk.n_forward
    rank = {
        True: "holds ($Z_{11}$ invertible)",
        False: "fails ($Z_{11}$ singular)",
        None: "not tested (the order condition fails)",
    }[bk.rank_condition]
    rows = [
        (r"forward-looking variables (jumps with a lead)", str(bk.n_forward)),
        (r"predetermined variables (lags)", str(bk.n_predetermined)),
        (r"unstable roots, $|\lambda| > 1 + %s$" % _num(bk.tolerance, 3), str(bk.n_unstable)),
        (r"order condition (unstable roots $=$ forward-looking)", "holds" if order_ok else "fails"),
        (r"rank condition", rank),
        (r"a root within the tolerance of the unit circle", "yes (counted as stable)" if bk.boundary else "no"),
        (r"status", r"\textbf{%s}" % status),
    ]
    tab = "\n".join(r"%s & %s \\" % r for r in rows)
    mods = [m for m in bk.moduli]
    mod_tex = ", ".join(("$%s$" % _num(m, 6)) if math.isfinite(m) else r"$\infty$" for m in mods[:60])
    if len(mods) > 60:
        mod_tex += r", \dots{} (%d in all)" % len(mods)
    return "\n\n".join(
        [
            r"\section{Blanchard--Kahn conditions}",
            r"Static variables (neither lead nor lag) are eliminated first; the others form the minimal pencil "
            r"$A\, \mathbb{E}_t s_{t+1} = B\, s_t$ with $s_t = (k_t, u_t)$, $k_t$ the lagged values of the "
            r"variables that appear with $(-1)$ (the predetermined states) and $u_t$ the current values of those "
            r"that appear with $(+1)$ (the jumps); the generalized eigenvalues of the balanced pencil "
            r"$B - \lambda A$ are ordered by Klein's QZ method. Blanchard and Kahn (1980): a unique stable solution "
            r"exists exactly when the number of unstable roots equals the number of forward-looking variables and "
            r"$Z_{11}$ has full rank.",
            "\\begin{longtable}{p{8.5cm}p{7cm}}\n\\toprule\ncondition & value \\\\\n\\midrule\n"
            + tab
            + "\n\\bottomrule\n\\end{longtable}",
            r"Moduli of the generalized eigenvalues (sorted): " + (mod_tex or "none") + ".",
            r"\textit{%s}" % _tex_text(bk.message),
        ]
    )


def _policy_matrices(sol, names) -> list[str]:
    variables, shocks = list(sol.variables), list(sol.shocks)
    n = len(variables)
    cols = [variable_latex(v, None, names) for v in variables]
    shock_cols = [variable_latex(e, None, names) for e in shocks]
    T, R = _clean(sol.transition), _clean(sol.impact)
    if n > MAX_MATRIX:
        out = [
            r"$T$ and $R$ by blocks of columns (rows: variables at $t$, columns: variables at $t-1$ for $T$, "
            r"shocks for $R$; empty cells are zero, zero columns are left out):"
        ]
        out.append(r"\paragraph{$T$}" + "\n" + _matrix_by_blocks(T, cols, cols))
        if shocks:
            out.append(r"\paragraph{$R$}" + "\n" + _matrix_by_blocks(R, cols, shock_cols))
        return out
    nz = [j for j in range(n) if np.any(T[:, j] != 0)]
    Tcols = [cols[j] for j in nz] or cols[:1]
    Tm = T[:, nz] if nz else T[:, :1]
    return [
        r"Rows are the variables at $t$; the columns of $T$ are the variables at $t-1$ that matter "
        r"(the other columns are zero):",
        r"\[ T = %s \qquad R = %s \]"
        % (_labelled_matrix(Tm, cols, Tcols), _labelled_matrix(R, cols, shock_cols) if shocks else "0"),
    ]


def _moments_table(sol, names) -> str:
    from geo_sym.errors import SolverError

    try:
        mom = sol.moments(ar=1)
    except SolverError as exc:  # no policy: the document says why
        return r"There are no unconditional moments: %s." % _tex_text(str(exc))

    def cell(x, digits=6):
        return r"\text{n/a}" if math.isnan(x) else _num(x, digits)

    rows = [
        r"$%s$ & $%s$ & $%s$ \\"
        % (variable_latex(v, None, names), cell(mom.std[k]), cell(mom.autocorrelation[k, 0], 4))
        for k, v in enumerate(mom.variables)
    ]
    intro = "Unconditional moments (Lyapunov equation $\\Sigma = T \\Sigma T' + R \\Omega R'$)"
    if mom.nonstationary:
        intro += (
            "; the solution has unit roots, so the moments are those of the stationary variables, computed on the "
            "stable block of the ordered Schur form of $T$, and n/a for the non-stationary ones: "
            + ", ".join("$%s$" % variable_latex(v, None, names) for v in mom.nonstationary)
        )
    return intro + ":\n\n" + _longtable("lrr", "variable & std & first autocorrelation", rows)


def _irf_scale(values) -> int:
    """The power of ten the responses of a table are shown in (0 unless they are all below 0.1)."""
    top = float(np.max(np.abs(values))) if np.size(values) else 0.0
    if top == 0.0 or not math.isfinite(top):
        return 0
    e = math.floor(math.log10(top))
    return e if e < -1 else 0


def _fixed(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    return "0" if float(text) == 0 else text


def _irf_tables(sol, names, irf_periods: int) -> list[str]:
    """One table per shock (at most 7 variables per table, balanced), periods down the rows, every entry
    with the same number of decimals; small responses in units of a power of ten, stated above the table."""
    out = []
    for e, irf in sol.irfs(int(irf_periods)).items():
        scale = _irf_scale(irf.values)
        unit = "" if scale == 0 else r", in units of $10^{%d}$" % scale
        out.append(
            r"Impulse responses to a one-standard-deviation $%s$ at period 0 (deviations from the steady state%s):"
            % (variable_latex(e, 0, names), unit)
        )
        cols = [variable_latex(v, None, names) for v in irf.variables]
        scaled = np.asarray(irf.values, dtype=float) / 10.0**scale
        top = float(np.max(np.abs(scaled))) if scaled.size else 0.0
        decimals = 4 if top < 1 else max(1, 4 - len(str(int(top))))
        per = -(-len(cols) // -(-len(cols) // 7)) if cols else 1
        for start in range(0, len(cols), per):
            block = list(range(start, min(len(cols), start + per)))
            head = " & ".join(["period"] + ["$%s$" % cols[k] for k in block])
            rows = [
                " & ".join([str(t)] + ["$%s$" % _fixed(scaled[t, k], decimals) for k in block]) + r" \\"
                for t in range(irf.periods)
            ]
            out.append("{\\small\n" + _longtable("r" * (len(block) + 1), head, rows) + "}")
    return out


def _solution_section(sol, names, irf_periods: int, figures=()) -> str:
    out = [r"\section{Solution}"]
    if sol.transition is None:
        out.append(r"No policy is computed: the Blanchard--Kahn status is \textbf{%s}." % _tex_text(sol.bk.status))
        return "\n\n".join(out)
    out.append(r"The unique stable solution is the VAR(1) \[ \hat y_t = T\, \hat y_{t-1} + R\, \varepsilon_t. \]")
    out += _policy_matrices(sol, names)
    out.append(_moments_table(sol, names))
    irf_fig = next((f for f in figures if f.label == "fig:irf"), None)
    if irf_fig is not None:
        out.append(r"The impulse responses are drawn in %s." % irf_fig.ref)
        out.append(irf_fig.latex())
    if irf_periods and sol.shocks:
        out += _irf_tables(sol, names, irf_periods)
    return "\n\n".join(out)
