r"""LaTeX for DSGE models: the model document and notebook summaries.

:func:`model_document` writes a complete, compilable document of a model, in the spirit of
Dynare's ``write_latex_dynamic_model`` / ``write_latex_steady_state_model`` and gEcon's
model reports:

1. declarations: variables, shocks and parameters with their values;
2. the equations with Dynare timing (``x_{t+1}`` is the expectation at ``t``,
   ``x_{t-1}`` last period's value), printed from the parse trees (never from the raw
   text), long equations broken across lines;
3. the steady state and the residual of each equation there;
4. the linearized model ``F_+ ŷ_{t+1} + F_0 ŷ_t + F_- ŷ_{t-1} + F_ε ε_t = 0`` — as
   equations in deviations and as matrices (large ones as lists of non-zero entries);
5. the Blanchard–Kahn table (order and rank conditions, moduli of the generalized
   eigenvalues, status);
6. the solution ``ŷ_t = T ŷ_{t-1} + R ε_t`` and, when stationary, standard deviations and
   autocorrelations.

Names are typeset with the file's ``latex_names`` (a trailing ``_t`` or ``_{t}`` is read as
the date and replaced by the timing); other names get Dynare-like defaults (``pi`` →
``\pi``, ``phi_pi`` → ``\phi_{\pi}``, ``eps_v`` → ``\varepsilon_{v}``).
The ``*_latex`` functions return MathJax-compatible math for notebooks
(``_repr_latex_`` of :mod:`dsge.solution.results`).
"""

from __future__ import annotations

import math
import re

import numpy as np

from geo_sym.display import latex_formatter

__all__ = [
    "model_document",
    "solution_latex",
    "linearization_latex",
    "irf_latex",
    "moments_latex",
    "equation_latex",
    "variable_latex",
    "default_latex_name",
]

_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "varepsilon",
    "zeta",
    "eta",
    "theta",
    "vartheta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "pi",
    "varpi",
    "rho",
    "varrho",
    "sigma",
    "varsigma",
    "tau",
    "upsilon",
    "phi",
    "varphi",
    "chi",
    "psi",
    "omega",
    "Gamma",
    "Delta",
    "Theta",
    "Lambda",
    "Xi",
    "Pi",
    "Sigma",
    "Upsilon",
    "Phi",
    "Psi",
    "Omega",
}
_ALIASES = {"eps": r"\varepsilon", "epsilon": r"\varepsilon", "lam": r"\lambda", "lambda": r"\lambda"}
#: Matrices with more rows or columns than this are listed by non-zero entries.
MAX_MATRIX = 10


# ----------------------------------------------------------------------------- names
def _atom(word: str) -> str:
    if word in _ALIASES:
        return _ALIASES[word]
    if word in _GREEK:
        return "\\" + word
    if len(word) == 1 or re.fullmatch(r"[A-Za-z][0-9]+", word):
        return word
    return r"\mathit{%s}" % word.replace("_", r"\_")


def _default_parts(name: str) -> tuple[str, str]:
    """``(base, subscript)`` of a default name: ``phi_pi`` → ``(\\phi, \\pi)``."""
    head, _, tail = name.partition("_")
    if not head:  # leading underscore
        return r"\mathit{%s}" % name.replace("_", r"\_"), ""
    base = _atom(head)
    sub = ",".join(_atom(t) for t in tail.split("_") if t) if tail else ""
    return base, sub


def default_latex_name(name: str) -> str:
    """Dynare-like LaTeX for a name: ``pi`` → ``\\pi``, ``phi_pi`` → ``\\phi_{\\pi}``, ``eps_v`` → ``\\varepsilon_{v}``.

    Examples
    --------
    >>> default_latex_name("phi_pi")
    '\\\\phi_{\\\\pi}'
    >>> default_latex_name("gdp")
    '\\\\mathit{gdp}'
    """
    base, sub = _default_parts(name)
    return base + (r"_{%s}" % sub if sub else "")


_DATED = re.compile(r"^(.*?)(?:_\{\s*t\s*\}|_t)\s*$", re.S)


def _parts(name: str, latex_names: dict) -> tuple[str, str]:
    """``(base, subscript)`` to which a date is appended as ``base_{sub,t}``."""
    given = latex_names.get(name)
    if given is None:
        return _default_parts(name)
    m = _DATED.match(given)
    base = m.group(1) if m else given
    if "_" in base or "^" in base:
        return "{%s}" % base, ""
    return base, ""


def variable_latex(name: str, timing: int | None = 0, latex_names: dict | None = None) -> str:
    """A variable (or shock, or parameter with ``timing=None``) as LaTeX: ``\\pi_{t+1}``, ``k_{t-1}``.

    Parameters
    ----------
    name : str
    timing : int or None
        -1, 0 or +1 (Dynare timing); None for an undated name (parameters).
    latex_names : dict, optional
        The model's ``latex_names``.

    Examples
    --------
    >>> variable_latex("pi", 1)
    '\\\\pi_{t+1}'
    >>> variable_latex("k", -1, {"k": "k_t"})
    'k_{t-1}'
    """
    base, sub = _parts(name, latex_names or {})
    if timing is None:
        return base + (r"_{%s}" % sub if sub else "")
    date = "t" if timing == 0 else ("t+%d" % timing if timing > 0 else "t-%d" % -timing)
    return r"%s_{%s}" % (base, f"{sub},{date}" if sub else date)


# ----------------------------------------------------------------------------- equations
_ATOM, _FRAC, _POW, _MUL, _NEG, _ADD = 9, 8, 5, 3, 2, 1
_CALLS = {
    "exp": r"\exp",
    "log": r"\log",
    "log10": r"\log_{10}",
    "sign": r"\operatorname{sign}",
    "min": r"\min",
    "max": r"\max",
}


def _number(text: str) -> str:
    if "e" in text or "E" in text:
        mant, _, exp = text.lower().partition("e")
        mant = mant.rstrip(".") or "1"
        return r"%s \cdot 10^{%d}" % (mant, int(exp))
    return text


def _leaf_latex(node, names) -> tuple[str, int]:
    kind = node[0]
    if kind == "num":
        return _number(node[1]), _ATOM
    if kind in ("var", "shock"):
        return variable_latex(node[1], node[2], names), _ATOM
    return variable_latex(node[1], None, names), _ATOM


def _paren(text: str) -> str:
    return r"\left(%s\right)" % text


def _pow_base(node, text: str) -> str:
    kind = node[0]
    if kind not in ("num", "var", "par", "shock", "local", "call") or (kind == "num" and "e" in node[1].lower()):
        return _paren(text)
    if kind in ("var", "shock") or (kind in ("par", "local") and "_" in text):
        return "{%s}" % text
    return text


def _combine_latex(node, parts) -> tuple[str, int]:
    kind = node[0]
    if kind == "call":
        args = [p[0] for p in parts]
        if node[1] == "sqrt":
            return r"\sqrt{%s}" % args[0], _ATOM
        if node[1] == "abs":
            return r"\left|%s\right|" % args[0], _ATOM
        return r"%s\left(%s\right)" % (_CALLS[node[1]], ", ".join(args)), _ATOM
    if kind == "div":
        return r"\frac{%s}{%s}" % (parts[0][0], parts[1][0]), _FRAC
    if kind == "neg":
        text, prec = parts[0]
        return "-" + (text if prec >= _NEG else _paren(text)), _NEG
    (a, pa), (b, pb) = parts
    if kind == "pow":
        return r"%s^{%s}" % (_pow_base(node[1], a), b), _POW
    right = node[2]
    if kind == "mul":
        left = a if pa >= _MUL else _paren(a)
        rtext = b if pb >= _MUL else _paren(b)
        numeric = right[0] == "num" or (right[0] == "pow" and right[1][0] == "num")
        return left + (r" \cdot " if numeric else r" \, ") + rtext, _MUL
    rtext = b if (pb > _ADD if kind == "sub" else pb >= _ADD) and right[0] != "neg" else _paren(b)
    return a + (" + " if kind == "add" else " - ") + rtext, _ADD


def tree_latex(node, latex_names: dict | None = None) -> str:
    """One parse tree as LaTeX (Dynare timing as dates: ``x(+1)`` is ``x_{t+1}``), without recursion."""
    from dsge.model.parser import fold

    names = latex_names or {}
    return fold(node, lambda n: _leaf_latex(n, names), _combine_latex)[0]


def _terms(node, names) -> list[tuple[str, str]]:
    """Top-level signed terms of a sum (for line breaking), left to right, without recursion."""
    out = []
    stack = [(node, "+")]
    while stack:
        n, sign = stack.pop()
        flip = "-" if sign == "+" else "+"
        if n[0] == "add":
            stack += [(n[2], sign), (n[1], sign)]
        elif n[0] == "sub":
            stack += [(n[2], flip), (n[1], sign)]
        elif n[0] == "neg":
            stack.append((n[1], flip))
        else:
            text = tree_latex(n, names)
            prec = 1 if n[0] in ("add", "sub") else 9
            out.append((sign, text if prec > 1 else _paren(text)))
    return out


def _joined(terms) -> list[str]:
    out = []
    for i, (s, t) in enumerate(terms):
        out.append((t if s == "+" else "-" + t) if i == 0 else f"{s} {t}")
    return out


def equation_latex(lhs, rhs, latex_names: dict | None = None, width: int = 110) -> list[str]:
    """An equation's two parse trees as LaTeX lines ``[first, continuation, …]`` for ``align``.

    The first line is ``lhs &= rhs…``; when the LaTeX source is longer than ``width``
    characters, the right-hand side is broken at its top-level ``+``/``-``.
    """
    names = latex_names or {}
    left = tree_latex(lhs, names)
    right = tree_latex(rhs, names)
    if len(left) + len(right) <= width:
        return [f"{left} &= {right}"]
    chunks = _joined(_terms(rhs, names))
    lines, cur = [], ""
    for c in chunks:
        if cur and len(cur) + len(c) > width:
            lines.append(cur)
            cur = c
        else:
            cur = f"{cur} {c}" if cur else c
    lines.append(cur)
    return [f"{left} &= {lines[0]}"] + [r"&\quad %s" % ln for ln in lines[1:]]


# ----------------------------------------------------------------------------- numbers and matrices
def _num(x, digits: int = 6) -> str:
    from geo_sym.render.printer import float_latex

    return float_latex(x, digits)


def _clean(M, tol: float = 1e-13) -> np.ndarray:
    A = np.array(M, dtype=float)
    scale = max(1.0, float(np.max(np.abs(A)))) if A.size else 1.0
    A[np.abs(A) < tol * scale] = 0.0
    return A


def _labelled_matrix(M, rows, cols, digits: int = 4) -> str:
    """A matrix as an ``array`` with row and column labels (math mode)."""
    A = _clean(M)
    head = " & ".join([""] + list(cols))
    body = [" & ".join([r] + [_num(v, digits) for v in A[i]]) for i, r in enumerate(rows)]
    return (
        r"\begin{array}{r|%s}" % ("r" * len(cols))
        + "\n"
        + head
        + r" \\ \hline"
        + "\n"
        + " \\\\\n".join(body)
        + "\n\\end{array}"
    )


def _nonzero_list(M, rows, cols, digits: int = 6, limit: int = 400) -> str:
    """A large matrix as a ``longtable`` of its non-zero entries (text mode)."""
    A = _clean(M)
    idx = np.argwhere(A != 0)
    lines = [r"$%s$ & $%s$ & $%s$ \\" % (rows[i], cols[j], _num(A[i, j], digits)) for i, j in idx[:limit]]
    more = (
        ""
        if len(idx) <= limit
        else "\n\\multicolumn{3}{l}{\\dots{} %d more non-zero entries} \\\\" % (len(idx) - limit)
    )
    return (
        "\\begin{longtable}{llr}\n\\toprule\nrow & column & value \\\\\n\\midrule\n\\endhead\n"
        + "\n".join(lines)
        + more
        + "\n\\bottomrule\n\\end{longtable}"
    )


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
    from geo_sym.render.document import tex_text

    return tex_text(s)


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
    model_or_solution, *, title: str | None = None, figure: str | None = None, irf_periods: int = 0
) -> str:
    r"""A complete, compilable LaTeX document of a DSGE model and its first-order solution.

    Parameters
    ----------
    model_or_solution : dsge.Model or dsge.Solution
        A model (solved here) or a solution. From a solution the parameter values are
        unknown (it does not carry them), so their table is left out.
    title : str, optional
    figure : str, optional
        An image to include (e.g. an IRF grid), path as LaTeX sees it.
    irf_periods : int
        When positive and the model is determinate, a table of the impulse responses (one
        standard deviation) to each shock for periods ``0..irf_periods-1``.

    Returns
    -------
    str
        LaTeX source using only ``amsmath``, ``amssymb``, ``geometry``, ``longtable``,
        ``booktabs`` and ``graphicx``.
    """
    from geo_sym.render.document import PREAMBLE

    model, sol = _unpack(model_or_solution)
    names = dict(sol.latex_names or {})
    trees, local_trees, declared = _written(model, sol)
    title = title or f"DSGE model {sol.model_name}"
    desc = getattr(model, "description", "") if model is not None else ""
    logs = (
        r" Variables in logs ($\hat x_t = \log x_t - \log \bar x$): "
        + ", ".join(r"\texttt{%s}" % _tex_text(v) for v in sol.log_variables)
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
    out = [
        PREAMBLE,
        r"\title{%s}" % _tex_text(title),
        r"\author{generated by geo-sym}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        intro,
        _declarations_section(model, sol, trees, declared, names),
        _equations_section(trees, local_trees, sol, names),
        _steady_state_section(sol, names),
        _linearization_section(sol, names),
        _bk_section(sol),
        _solution_section(sol, names, irf_periods),
    ]
    if figure:
        out.append(
            "\\begin{center}\n\\includegraphics[width=0.9\\textwidth]{%s}\n\\end{center}\n"
            "Impulse responses (deviations from the steady state)." % figure
        )
    out += [r"\end{document}", ""]
    return "\n\n".join(out)


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
            r"The matrices are %d$\times$%d, too large to print whole; their non-zero entries are "
            r"listed (row: equation, column: variable)." % (n, n)
        )
        for label, M in ((r"F_{+}", fl), (r"F_{0}", fc), (r"F_{-}", fm), (r"F_{\varepsilon}", fe)):
            c = cols if label != r"F_{\varepsilon}" else [variable_latex(e, None, names) for e in shocks]
            out.append(r"\paragraph{$%s$}" % label + "\n" + _nonzero_list(M, rows, c))
    return "\n\n".join(out)


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
        out = [r"$T$ and $R$ are too large to print whole; their non-zero entries:"]
        out.append(r"\paragraph{$T$}" + "\n" + _nonzero_list(T, cols, cols))
        if shocks:
            out.append(r"\paragraph{$R$}" + "\n" + _nonzero_list(R, cols, shock_cols))
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
    except SolverError:  # a non-stationary solution has no moments; the document says so
        return r"The solution has a root on or outside the unit circle, so there are no unconditional moments."
    rows = [
        r"$%s$ & $%s$ & $%s$ \\"
        % (variable_latex(v, None, names), _num(mom.std[k]), _num(mom.autocorrelation[k, 0], 4))
        for k, v in enumerate(mom.variables)
    ]
    return "Unconditional moments (Lyapunov equation $\\Sigma = T \\Sigma T' + R \\Omega R'$):\n\n" + _longtable(
        "lrr", "variable & std & first autocorrelation", rows
    )


def _irf_tables(sol, names, irf_periods: int) -> list[str]:
    out = []
    for e, irf in sol.irfs(int(irf_periods)).items():
        out.append(
            r"Impulse responses to a one-standard-deviation $%s$ at period 0 (deviations from the steady state):"
            % variable_latex(e, 0, names)
        )
        cols = [variable_latex(v, None, names) for v in irf.variables]
        for start in range(0, len(cols), 8):  # at most 8 variables per table, periods down the rows
            block = list(range(start, min(len(cols), start + 8)))
            head = " & ".join(["period"] + ["$%s$" % cols[k] for k in block])
            rows = [
                " & ".join([str(t)] + ["$%s$" % _num(irf.values[t, k], 4) for k in block]) + r" \\"
                for t in range(irf.periods)
            ]
            out.append("{\\small\n" + _longtable("r" * (len(block) + 1), head, rows) + "}")
    return out


def _solution_section(sol, names, irf_periods: int) -> str:
    out = [r"\section{Solution}"]
    if sol.transition is None:
        out.append(r"No policy is computed: the Blanchard--Kahn status is \textbf{%s}." % _tex_text(sol.bk.status))
        return "\n\n".join(out)
    out.append(r"The unique stable solution is the VAR(1) \[ \hat y_t = T\, \hat y_{t-1} + R\, \varepsilon_t. \]")
    out += _policy_matrices(sol, names)
    out.append(_moments_table(sol, names))
    if irf_periods and sol.shocks:
        out += _irf_tables(sol, names, irf_periods)
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- notebook summaries
@latex_formatter("dsge.solution.results.Solution")
def solution_latex(solution, *, max_variables: int = 40) -> str | None:
    """A :class:`~dsge.solution.results.Solution` for notebooks: steady state and Blanchard–Kahn status (MathJax).

    Returns None when the model has more than ``max_variables`` variables.
    """
    variables = list(solution.variables[: solution.declared])
    if len(variables) > max_variables:
        return None
    names = solution.latex_names or {}
    bk = solution.bk
    rows = [
        r"\text{%s: %s, %d unstable root%s for %d forward-looking variable%s} & \\ \hline"
        % (
            _mathjax_text(solution.model_name),
            bk.status,
            bk.n_unstable,
            "" if bk.n_unstable == 1 else "s",
            bk.n_forward,
            "" if bk.n_forward == 1 else "s",
        )
    ]
    body = [r"%s & %s" % (_bar(v, names), _num(val, 8)) for v, val in zip(variables, solution.steady_state.values)]
    return "$$\n\\begin{array}{lr}\n%s\n%s\n\\end{array}\n$$" % (rows[0], " \\\\\n".join(body))


@latex_formatter("dsge.solution.results.Linearization")
def linearization_latex(lin, latex_names: dict | None = None, *, max_variables: int = MAX_MATRIX) -> str | None:
    """``F_+``, ``F_0``, ``F_-``, ``F_ε`` of a :class:`~dsge.solution.results.Linearization` (None when too large)."""
    variables, shocks = list(lin.variables), list(lin.shocks)
    n = len(variables)
    if n > max_variables:
        return None
    names = latex_names or {}
    cols = [variable_latex(v, None, names) for v in variables]
    rows = [f"({i + 1})" for i in range(n)]
    parts = [
        r"F_{+} = %s" % _labelled_matrix(lin.f_lead, rows, cols),
        r"F_{0} = %s" % _labelled_matrix(lin.f_cur, rows, cols),
        r"F_{-} = %s" % _labelled_matrix(lin.f_lag, rows, cols),
    ]
    if shocks:
        parts.append(
            r"F_{\varepsilon} = %s"
            % _labelled_matrix(lin.f_shock, rows, [variable_latex(e, None, names) for e in shocks])
        )
    return "$$\n\\begin{gathered}\n%s\n\\end{gathered}\n$$" % " \\\\\n".join(parts)


@latex_formatter("dsge.solution.results.IRFResult")
def irf_latex(irf, *, max_periods: int = 12, max_variables: int = 12) -> str | None:
    """An :class:`~dsge.solution.results.IRFResult` as a table (periods as columns); None when larger than the limits."""
    if irf.periods > max_periods or len(irf.variables) > max_variables:
        return None
    names = irf.latex_names or {}
    head = r"\text{period} & " + " & ".join(str(t) for t in range(irf.periods)) + r" \\ \hline"
    rows = [
        r"%s & %s" % (variable_latex(v, None, names), " & ".join(_num(irf.values[t, k], 4) for t in range(irf.periods)))
        for k, v in enumerate(irf.variables)
    ]
    return "$$\n\\begin{array}{l|%s}\n%s\n%s\n\\end{array}\n$$" % ("r" * irf.periods, head, " \\\\\n".join(rows))


@latex_formatter("dsge.solution.moments.MomentsResult")
def moments_latex(moments, latex_names: dict | None = None, *, max_variables: int = 40) -> str | None:
    """Standard deviations and first autocorrelations of a :class:`~dsge.solution.results.MomentsResult`."""
    if len(moments.variables) > max_variables:
        return None
    names = latex_names or {}
    head = r" & \text{std} & \text{autocorr.} \\ \hline"
    ac = moments.autocorrelation
    first = ac[:, 0] if ac.shape[1] else np.full(len(moments.variables), np.nan)
    rows = [
        r"%s & %s & %s" % (variable_latex(v, None, names), _num(moments.std[k]), _num(first[k], 4))
        for k, v in enumerate(moments.variables)
    ]
    return "$$\n\\begin{array}{lrr}\n%s\n%s\n\\end{array}\n$$" % (head, " \\\\\n".join(rows))


def _mathjax_text(s) -> str:
    """Text for ``\\text{…}`` in MathJax and LaTeX: special characters escaped, ASCII only."""
    out = []
    for ch in str(s):
        if ch in "\\{}$&#^_%~":
            out.append({"\\": "/", "~": "-", "^": "-"}.get(ch, "\\" + ch))
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)
