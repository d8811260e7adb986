"""LaTeX displays of the economy core's objects in notebooks (registered with :mod:`geo_sym.display`).

Every display is one MathJax display block (``$$ … $$``) built from math-mode constructs MathJax
renders: names upright (``\\mathrm{a1}``), text only in ``\\text{}`` without macros inside, numbers as
``10^{-6}`` (see ``tests/test_documents_notebook.py`` for the constructs that are ruled out).
"""

from __future__ import annotations

from geo_sym.display import latex_formatter
from geo_sym.render.economy_tex import economy_latex, map_latex
from geo_sym.render.jacobian_tex import jacobian_blocks_latex

__all__ = ["economy_display", "symbolic_map_display", "exact_jacobian_display", "exact_charpoly_display"]


@latex_formatter("geo_sym.economy.spec.Economy")
def economy_display(econ):
    """The economy in the paper's notation (``None`` above 64 commodity coordinates)."""
    return economy_latex(econ) if econ.A * econ.K <= 64 else None


@latex_formatter("geo_sym.maps.symbolic.SymbolicMap")
def symbolic_map_display(smap):
    """Each component of the map in closed form (``None`` for large economies)."""
    e = smap.econ
    return None if e.A * e.K > 16 or e.n_paths > 16 else map_latex(e, smap.active, display=True)


@latex_formatter("geo_sym.maps.symbolic.ExactJacobian")
def exact_jacobian_display(ej):
    """The Jacobian by blocks, each written by its structure (``None`` above 40 state coordinates)."""
    return None if len(ej.value) > 40 else "$$" + jacobian_blocks_latex(ej, ej.symbolic.econ) + "$$"


@latex_formatter("geo_sym.maps.charpoly.ExactCharpoly")
def exact_charpoly_display(cp):
    """``χ(λ)`` as a product of its factors over ``ℚ(t)``, the non-linear ones written out, and ``t = e^g``
    (``None`` above degree 60 or for very long coefficients)."""
    import sympy as sp

    from geo_sym.render.jacobian_tex import charpoly_latex

    if cp.dimension > 60 or any(len(f.poly.terms()) > 400 for f in cp.factors):
        return None
    lam, pieces, defs = cp.symbol, [], []
    for f in cp.factors:
        expr = f.as_expr(t=cp.t_symbol)
        if f.degree == 1:
            base = sp.latex(expr) if expr == lam else r"\left(%s\right)" % sp.latex(expr)
        else:
            name = "f_{%d}" % (len(defs) + 1)
            defs.append(charpoly_latex(expr, lam, name=name))
            base = r"%s(%s)" % (name, sp.latex(lam))
        pieces.append(base + ("^{%d}" % f.multiplicity if f.multiplicity > 1 else ""))
    lines = [r"\chi(%s) = %s" % (sp.latex(lam), r" \, ".join(pieces) or "1")] + defs
    if cp.g is not None:
        lines.append(r"t = e^{%s}" % sp.latex(cp.g))
    return r"$$\begin{gathered}" + r" \\ ".join(lines) + r"\end{gathered}$$"
