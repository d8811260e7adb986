r"""LaTeX and figures of exact parameter regions (:class:`geo_sym.rigorous.region_result.RegionResult`).

* :func:`regions_latex` — each class as a union (``\lor``) of conjunctions (``\land``) of
  polynomial inequalities, the boundary and the excluded set, in an ``aligned`` block;
* :func:`regions_document` — a complete, compilable LaTeX document (``geo-sym determinacy/region
  --latex``);
* :func:`plot_regions` — the numeric classification on a grid (colours) with the exact boundary
  drawn on top: the zero sets of the polynomials of each boundary alternative, where the
  alternative's other inequalities hold. Typeset axis labels; vector output for ``.pdf``/``.svg``,
  300 dpi otherwise.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from geo_sym.display import latex_formatter
from geo_sym.render.plots import new_figure

__all__ = ["regions_latex", "regions_document", "plot_regions", "CLASS_COLOURS"]

#: colour of each class in the figures
CLASS_COLOURS = {
    "stable": "#9ecf8f",
    "unstable": "#f2a38f",
    "determinate": "#9ecf8f",
    "indeterminate": "#f5d27a",
    "no-stable-solution": "#f2a38f",
}
_BOUNDARY_COLOUR = "black"
_OUTSIDE = "0.85"
_LABEL_TEXT = {
    "stable": "stable (all roots inside the unit circle)",
    "unstable": "unstable (a root outside)",
    "determinate": "determinate",
    "indeterminate": "indeterminate",
    "no-stable-solution": "no stable solution",
}


def _symbol_latex(name: str) -> str:
    return sp.latex(sp.Symbol(name))


def _alternatives_latex(alts) -> str:
    if not alts:
        return r"\emptyset"
    parts = []
    for term in alts:
        if not term:
            return r"\text{the whole domain}"
        inner = r" \,\land\, ".join(q.latex() for q in term)
        parts.append(inner if len(alts) == 1 else rf"\left({inner}\right)")
    return r" \\ &\quad \lor ".join(parts)


def regions_latex(result) -> str:
    """The regions as an ``aligned`` block (math mode content, no delimiters)."""
    lines = []
    for label in result.labels:
        lines.append(rf"\text{{{label}}}:\ & {_alternatives_latex(result.regions[label])}")
    lines.append(rf"\text{{boundary}}:\ & {_alternatives_latex(result.boundary)}")
    if result.excluded:
        lines.append(rf"\text{{excluded}}:\ & {_alternatives_latex(result.excluded)}")
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


@latex_formatter("geo_sym.rigorous.region_result.RegionResult")
def region_display(result):
    """Notebook display: the regions, the fixed parameters and the domain."""
    fixed = ", ".join(rf"{_symbol_latex(k)} = {sp.latex(sp.Rational(v))}" for k, v in result.fixed.items())
    head = rf"\text{{{result.kind} regions in }} " + ", ".join(_symbol_latex(p) for p in result.params)
    if fixed:
        head += rf"\quad ({fixed})"
    return "$$" + head + r"\\" + regions_latex(result) + "$$"


def _escape(text: str) -> str:
    out = str(text)
    for a, b in (("\\", r"\textbackslash{}"), ("_", r"\_"), ("%", r"\%"), ("&", r"\&"), ("#", r"\#"), ("^", r"\^{}")):
        out = out.replace(a, b)
    return out


def regions_document(result, *, title: str | None = None, figure: str | None = None) -> str:
    """A complete LaTeX document: parameters, fixed values, the polynomial's factors, the regions, notes."""
    title = (
        title
        or f"{result.kind.capitalize()} regions of {result.context.get('model') or result.context.get('economy') or 'the model'}"
    )
    lines = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2.2cm]{geometry}",
        r"\usepackage{amsmath,amssymb}",
        r"\usepackage{graphicx}",
        r"\allowdisplaybreaks",
        r"\begin{document}",
        rf"\section*{{{_escape(title)}}}",
        "Free parameters: $" + ", ".join(_symbol_latex(p) for p in result.params) + "$.",
    ]
    if result.fixed:
        lines.append(
            "Held at their values: $"
            + ", ".join(rf"{_symbol_latex(k)} = {sp.latex(sp.Rational(v))}" for k, v in result.fixed.items())
            + "$."
        )
    if result.domain:
        lines.append("Domain: $" + r",\ ".join(q.latex() for q in result.domain) + "$.")
    var = sp.latex(result.variable)
    lines.append(
        rf"\paragraph{{Polynomial.}} The roots in ${var}$ of the following polynomial are located exactly "
        r"(factors over $\mathbb{Q}(\theta)$ with multiplicities):"
    )
    lines.append(r"\begin{align*}")
    lines.append(
        r" \\ ".join(rf"&{sp.latex(f)}" + (rf"\quad (\times {m})" if m > 1 else "") for f, m in result.factors)
    )
    lines.append(r"\end{align*}")
    lines.append(
        r"\paragraph{Regions.} Each region is exact within the domain; the boundary is where a root lies on "
        "the unit circle."
    )
    lines.append(r"\[" + regions_latex(result) + r"\]")
    if figure:
        lines.append(r"\begin{center}\includegraphics[width=0.8\textwidth]{" + figure + r"}\end{center}")
    if result.notes:
        lines.append(r"\paragraph{Notes.}\begin{itemize}")
        lines.extend(r"\item " + _escape(n) for n in result.notes)
        lines.append(r"\end{itemize}")
    c = result.check
    lines.append(
        rf"\paragraph{{Check.}} At {c.points} seeded random points (seed {c.seed}) the inequalities and the numeric "
        rf"classification agree at {c.agreed}; {c.skipped} were too close to the boundary (or outside the domain) to "
        "compare in floating point."
    )
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------- figures
def _in_domain(result, point) -> bool:
    values = {sp.Symbol(k, real=True): v for k, v in point.items()}
    for q in result.domain:
        v = float(q.expr.xreplace({s: values.get(sp.Symbol(str(s), real=True), 0.0) for s in q.expr.free_symbols}))
        if v < 0 or (q.strict and v == 0):
            return False
    return True


def _classify_grid(result, xs, ys=None):
    """Class index (in ``result.labels``) of each grid point by the numeric classifier.

    -1: undecided in floating point (too close to the boundary); -2: outside the domain.
    """
    labels = list(result.labels)
    points = (
        [(i, None, {result.params[0]: float(x)}) for i, x in enumerate(xs)]
        if ys is None
        else [
            (i, j, {result.params[0]: float(x), result.params[1]: float(y)})
            for j, y in enumerate(ys)
            for i, x in enumerate(xs)
        ]
    )
    out = np.full(xs.shape if ys is None else (len(ys), len(xs)), -1, dtype=int)
    for i, j, pt in points:
        if not _in_domain(result, pt):
            out[i if j is None else (j, i)] = -2
            continue
        lab = result.classifier(pt)
        if lab in labels:
            out[i if j is None else (j, i)] = labels.index(lab)
    return out


def _centres(lo, hi, n):
    h = (hi - lo) / n
    return lo + h * (np.arange(n) + 0.5)


def _legend(ax, result, present):
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=CLASS_COLOURS.get(lab, "0.8"), edgecolor="0.4", label=_LABEL_TEXT.get(lab, lab))
        for k, lab in enumerate(result.labels)
        if k in present
    ]
    if -1 in present:
        handles.append(Patch(facecolor="white", edgecolor="0.4", label="too close to the boundary for floating point"))
    if -2 in present:
        handles.append(Patch(facecolor=_OUTSIDE, edgecolor="0.4", label="outside the domain"))
    handles.append(Line2D([], [], color=_BOUNDARY_COLOUR, lw=1.6, label="exact boundary (a root on the unit circle)"))
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    if isinstance(ax.figure.get_layout_engine(), ConstrainedLayoutEngine):
        ax.figure.legend(handles=handles, loc="outside lower center", ncol=2, fontsize="small", frameon=False)
    else:  # a caller's figure: keep the legend inside the axes
        ax.legend(handles=handles, loc="best", fontsize="small")


def _title(result):
    fixed = ", ".join(f"${_symbol_latex(k)} = {sp.latex(sp.Rational(v))}$" for k, v in list(result.fixed.items())[:6])
    name = result.context.get("model") or result.context.get("economy") or ""
    head = f"{name}: {result.kind} regions".strip(": ")
    return head + ("\n" + fixed if fixed else "")


def _save(fig, path, dpi):
    if path is not None:
        path = str(path)
        vector = path.lower().endswith((".pdf", ".svg", ".eps"))
        fig.savefig(path, dpi=None if vector else dpi, bbox_inches="tight")


def plot_regions(result, path=None, *, ax=None, grid: int = 61, fine: int = 400, dpi: int = 300):
    """Numeric classes on a ``grid``-point grid (colours), exact boundary curves on top.

    Parameters
    ----------
    result : RegionResult
    path : str, optional
        Also save the figure (vector for ``.pdf``/``.svg``/``.eps``, ``dpi`` otherwise).
    ax : matplotlib.axes.Axes, optional
    grid : int
        Points per axis of the numeric classification.
    fine : int
        Points per axis on which the exact boundary polynomials are drawn.
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap

    if ax is None:
        fig, ax = new_figure((6.2, 5.4) if len(result.params) == 2 else (6.4, 2.6))
    else:
        fig = ax.figure
    cols = [CLASS_COLOURS.get(lab, "0.8") for lab in result.labels]
    cmap = ListedColormap([_OUTSIDE, "white"] + cols)
    norm = BoundaryNorm(np.arange(-0.5, len(cols) + 2.5), len(cols) + 2)
    (xname, (x0, x1)) = result.params[0], result.window[result.params[0]]
    xs = _centres(x0, x1, grid)
    syms = result.symbols
    if len(result.params) == 2:
        yname = result.params[1]
        y0, y1 = result.window[yname]
        ys = _centres(y0, y1, grid)
        cls = _classify_grid(result, xs, ys)
        ax.imshow(
            cls + 2,
            origin="lower",
            extent=(x0, x1, y0, y1),
            aspect="auto",
            cmap=cmap,
            norm=norm,
            interpolation="nearest",
        )
        fx, fy = np.meshgrid(np.linspace(x0, x1, fine), np.linspace(y0, y1, fine))
        for term in result.boundary:
            _draw_boundary_term(ax, term, syms, fx, fy)
        ax.set_ylabel(f"${_symbol_latex(yname)}$")
        ax.set_ylim(y0, y1)
    else:
        cls = _classify_grid(result, xs)
        ax.imshow(
            (cls + 2)[None, :],
            extent=(x0, x1, 0, 1),
            aspect="auto",
            cmap=cmap,
            norm=norm,
            interpolation="nearest",
        )
        fx = np.linspace(x0, x1, fine * 10)
        for term in result.boundary:
            _draw_boundary_points(ax, term, syms, fx)
        ax.set_yticks([])
    ax.set_xlabel(f"${_symbol_latex(xname)}$")
    ax.set_xlim(x0, x1)
    ax.set_title(_title(result), fontsize="medium")
    _legend(ax, result, set(np.unique(cls).tolist()))
    _save(fig, path, dpi)
    return fig


def _term_functions(term, syms):
    eq, ineq = [], []
    exprs = [q.expr for q in term]
    for q in term:
        if (not q.strict) and sp.expand(-q.expr) in [sp.expand(e) for e in exprs]:
            if sp.expand(-q.expr) not in [sp.expand(e) for e in eq]:
                eq.append(q.expr)
        else:
            ineq.append(q)
    f_eq = [sp.lambdify(syms, e, "numpy") for e in eq]
    f_in = [(sp.lambdify(syms, q.expr, "numpy"), q.strict) for q in ineq]
    return f_eq, f_in


def _draw_boundary_term(ax, term, syms, fx, fy):
    f_eq, f_in = _term_functions(term, syms)
    mask = np.ones(fx.shape, dtype=bool)
    for f, _strict in f_in:
        v = np.broadcast_to(np.asarray(f(fx, fy), dtype=float), fx.shape)
        mask &= v >= -1e-9 * (1 + np.abs(v).max())
    for f in f_eq:
        z = np.broadcast_to(np.asarray(f(fx, fy), dtype=float), fx.shape).copy()
        z = np.ma.array(z, mask=~mask)
        if np.ma.count(z) and z.min() < 0 < z.max():
            ax.contour(fx, fy, z, levels=[0.0], colors=_BOUNDARY_COLOUR, linewidths=1.6)


def _draw_boundary_points(ax, term, syms, fx):
    f_eq, f_in = _term_functions(term, syms)
    for f in f_eq:
        z = np.broadcast_to(np.asarray(f(fx), dtype=float), fx.shape)
        idx = np.nonzero(np.signbit(z[:-1]) != np.signbit(z[1:]))[0]
        for i in idx:
            x = fx[i] - z[i] * (fx[i + 1] - fx[i]) / (z[i + 1] - z[i])
            if all(float(g(x)) >= -1e-9 for g, _s in f_in):
                ax.axvline(x, color=_BOUNDARY_COLOUR, lw=1.6)
