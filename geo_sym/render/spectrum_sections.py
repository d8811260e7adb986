r"""Sections 4–8 of the derivation document: Jacobian, tangent reduction, χ(λ), eigenvalues, verdicts.

Blocks are written by their structure (:mod:`geo_sym.render.matrices`); blocks too large for that
follow as labelled tables; reasons of verdicts go through the prose converter
(:func:`geo_sym.render.mathtext.prose_latex`), so their mathematics is typeset.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from geo_sym.render.derivation_sections import complex_latex, number_latex
from geo_sym.render.jacobian_tex import charpoly_latex, jacobian_blocks_latex, jacobian_large_blocks
from geo_sym.render.latex_blocks import display_math, longtable
from geo_sym.render.latex_text import tex_text
from geo_sym.render.mathtext import prose_latex
from geo_sym.render.printer import GeoSymLatexPrinter, _pack, matrix_latex

__all__ = [
    "jacobian_section",
    "tangent_section",
    "charpoly_section",
    "eigen_section",
    "verdict_section",
    "rational_poly",
]


# ----------------------------------------------------------------------------- 4. the Jacobian
_BLOCK_NOTE = (
    r"Rows are the outputs $(y', p', \pi')$ and columns the inputs $(y, p, \pi)$, in the state order of "
    r"Section~1. Each block is written by its structure: $0$ for a zero block, $c\,I_n$ for a multiple of the "
    r"identity, $I_k \otimes B$ for a block repeated once per agent, $c\,u v^{\top}$ for rank one (with "
    r"$\mathbf{1}$ the vector of ones), and otherwise its entries with a common rational factor pulled out. "
    r"A block with more than 8 rows or columns and none of these structures is summarised by its shape, its "
    r"non-zero entries and its rank, and tabulated after the blocks when it has at most 40 rows and columns "
    r"(\texttt{geo-sym jacobian ECONOMY --at STATE --json} gives every entry). Where an exact entry would be "
    r"too long, the block is shown to 6 digits and written with $\approx$."
)


def _large_tables(J, econ) -> list[str]:
    out = []
    for name, parts in jacobian_large_blocks(J, econ):
        arrays, note = parts[:-1], parts[-1]
        out.append(r"The block $%s$ (rows: outputs, columns: inputs; empty cells are zero):\nopagebreak" % name)
        out += [r"\[ %s \]" % a for a in arrays]
        if note:
            out.append(note)
    return out


def jacobian_section(d) -> str:
    """Section 4: ``DΦ_K(x*)`` by named blocks."""
    out = [r"\section{The Jacobian $D\Phi_K(x^*)$ by blocks}"]
    if d.jacobian is None:
        out.append(r"Not computed (see the notes above).")
        return "\n\n".join(out)
    where = (
        "at the exact fixed point $x^*$"
        if d.exact
        else ("at the fixed point $x^*$ (floating point)" if d.at_steady_state else "at the centre state $x_0$")
    )
    how = (
        "exactly (SymPy, block forward accumulation along the stages of the map)"
        if d.jacobian_exact
        else "from the exact formulas in floating point (no finite differences)"
    )
    out.append(r"The Jacobian %s, computed %s, on the branch active there. %s" % (where, how, _BLOCK_NOTE))
    out.append(display_math(jacobian_blocks_latex(d.jacobian, d.economy)))
    out += _large_tables(d.jacobian, d.economy)
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- 5. tangent space
def tangent_section(d) -> str:
    """Section 5: the reduction ``J_T = T⁺ J T`` to the tangent space of the simplices."""
    econ = d.economy
    simplex = ["routing $\\pi$ (on $\\Delta(\\mathcal{P}(G))$)"]
    if econ.prices_on_simplex:
        simplex.insert(0, "prices $p$ (on $\\Delta_p$)")
    n = econ.state_size()
    m_t = n - (1 if econ.prices_on_simplex else 0) - 1
    out = [
        r"\section{Reduction to the tangent space}",
        r"The %s live%s on simplices, so the map moves them only in sum-zero directions, and the "
        r"normalisation would add artificial eigenvalues to the full Jacobian $J$. For a simplex block of "
        r"size $m$ let $T$ have the columns $e_i - e_m$ ($i < m$) and let $T^+$ drop the last coordinate; "
        r"then $T^+ T = I$, and since $J$ maps tangent directions to tangent directions, $J_T = T^+ J T$ "
        r"has exactly the eigenvalues of $J$ restricted to the tangent space. $T$ and $T^+$ are rational, "
        r"so exact Jacobians stay exact. Other blocks are left as they are. Here the state has %d "
        r"coordinates and the tangent space %d." % (" and the ".join(simplex), "" if len(simplex) > 1 else "s", n, m_t),
    ]
    P = econ.n_paths
    if 2 <= P <= 6:
        T = sp.zeros(P, P - 1)
        for i in range(P - 1):
            T[i, i] = 1
            T[P - 1, i] = -1
        out.append(
            r"For the routing block ($m = |\mathcal{P}(G)| = %d$): \[ T_\pi = %s,\qquad T_\pi^+ = %s. \]"
            % (P, matrix_latex(T), matrix_latex(sp.eye(P)[: P - 1, :]))
        )
    if d.tangent_jacobian is None:
        out.append(r"The tangent Jacobian was not computed (see the notes above).")
    elif d.tangent_jacobian.shape[0] == 0:
        out.append(r"The tangent space is $\{0\}$.")
    else:
        out.append(
            r"The blocks of $J_T = T^+ D\Phi_K T$ (rows and columns as before, one coordinate fewer per simplex block):"
        )
        out.append(display_math(jacobian_blocks_latex(d.tangent_jacobian, econ)))
        out += _large_tables(d.tangent_jacobian, econ)
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- 6. χ(λ)
def rational_poly(poly):
    """The polynomial over ``QQ`` when all coefficients are rational, else None."""
    coeffs = [sp.nsimplify(c) if not isinstance(c, sp.Basic) else c for c in poly.all_coeffs()]
    if not all(isinstance(c, sp.Rational) for c in coeffs):
        return None
    return sp.Poly(coeffs, poly.gens[0], domain="QQ")


def _factor_tex(poly_qq) -> tuple[str, list]:
    """``(latex of the factorisation over Q, [(factor Poly, multiplicity)])``."""
    pr = GeoSymLatexPrinter()
    lam = poly_qq.gens[0]
    lc, factors = poly_qq.factor_list()
    pieces = [pr.doprint(lc)] if lc != 1 else []
    for f, m in factors:
        body = pr.doprint(f.as_expr())
        tex = body if (f.as_expr() == lam) else r"\left(%s\right)" % body
        pieces.append(tex + (r"^{%d}" % m if m > 1 else ""))
    return (r" \, ".join(pieces) if pieces else "1"), list(factors)


def _roots_from_factors(factors) -> list[tuple]:
    """``[(root, |root|, multiplicity, exact)]``: exact roots of factors of degree ≤ 2, numeric otherwise."""
    out = []
    for f, m in factors:
        if f.degree() <= 2:
            for r, k in sp.roots(f, multiple=False).items():
                modulus = sp.Abs(r) if r.is_real else abs(complex(sp.N(r, 30)))
                out.append((r, modulus, m * k, True))
        else:
            out += [(complex(r), abs(complex(r)), m, False) for r in f.nroots(n=20)]
    out.sort(key=lambda t: (-float(t[1]), -complex(sp.N(t[0]) if t[3] else t[0]).real))
    return out


def charpoly_section(d) -> str:
    """Section 6: ``χ(λ) = det(λI − J_T)`` exactly, and its factorisation over ``Q``."""
    out = [r"\section{Characteristic polynomial}"]
    if d.charpoly is None:
        out.append(
            r"The exact characteristic polynomial of $J_T$ is not given: %s. The eigenvalues below are "
            r"numeric." % tex_text(d.charpoly_note)
        )
        return "\n\n".join(out)
    out.append(
        r"The characteristic polynomial $\chi(\lambda) = \det(\lambda I - J_T)$ of the tangent Jacobian, "
        r"computed exactly (coefficients in $\mathbb{Q}$ and, at most, $e$ to rational powers):"
    )
    out.append(display_math(charpoly_latex(d.charpoly)))
    qq = rational_poly(d.charpoly)
    if qq is not None:
        tex, _ = _factor_tex(qq)
        lines = _pack(tex.split(r" \, "), 90)
        if len(lines) == 1:
            out.append(r"Factorised over $\mathbb{Q}$: \[ \chi(\lambda) = %s. \]" % lines[0])
        else:
            body = "\\chi(\\lambda) &= " + lines[0] + "".join(" \\\\\n&\\quad \\cdot " + ln for ln in lines[1:])
            out.append("Factorised over $\\mathbb{Q}$:\n\\begin{align*}\n%s.\n\\end{align*}" % body)
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- 7. eigenvalues
def _group_numeric(eig, tol: float = 1e-6):
    out = []
    for z in eig:
        for g in out:
            if abs(g[0] - z) <= tol * max(1.0, abs(z)):
                g[1] += 1
                break
        else:
            out.append([complex(z), 1])
    return out


def _eigen_rows(d) -> tuple[list[tuple], str]:
    pr = GeoSymLatexPrinter()
    qq = rational_poly(d.charpoly) if d.charpoly is not None else None
    if qq is not None:
        roots = _roots_from_factors(_factor_tex(qq)[1])
        rows = [
            (pr.doprint(r) if exact else complex_latex(r), number_latex(mod), mult) for r, mod, mult, exact in roots
        ]
        partly = "" if all(t[3] for t in roots) else r" (roots of factors of degree 3 or more are numeric)"
        return rows, (
            r"Eigenvalues of $J_T$ from the factorisation of $\chi$ over $\mathbb{Q}$, with exact multiplicities%s:"
            % partly
        )
    eig = np.asarray(d.eigenvalues, dtype=complex)
    tiny = 1e-12 * max(1.0, float(np.max(np.abs(eig)))) if eig.size else 0.0
    eig = np.where(np.abs(eig) <= tiny, 0.0, eig)
    rows = [(complex_latex(z), number_latex(abs(z)), m) for z, m in _group_numeric(eig)]
    return rows, (
        r"Eigenvalues of $J_T$ (floating point; values within $10^{-6}$ of each other merged, so the multiplicity "
        r"of a defective eigenvalue may show as several nearby values; moduli below $10^{-12}$ of the spectral "
        r"radius shown as $0$):"
    )


def _stability_text(d, rho: float) -> str:
    tol = 1e-9
    if rho < 1 - tol:
        stab = r"$\rho < 1$: the point is locally asymptotically stable, and perturbations decay like $\rho^n$ (Section~7.1)."
    elif rho <= 1 + tol:
        stab = (
            r"$\rho = 1$ (to $10^{-9}$): some direction neither grows nor decays at first order (for example "
            r"along a continuum of fixed points); linearisation does not decide stability."
        )
    else:
        stab = r"$\rho > 1$: the point is unstable for the iteration of $\Phi_K$."
    return r"Spectral radius $\rho(J_T) = %s$. %s" % (number_latex(rho, 8), stab)


def _rate_text(econ, rho: float) -> str:
    pm = econ.price_mechanism
    if pm.kind != "linear":
        return (
            r" The price mechanism is the t\^atonnement (11), not a linear $\mathcal{A}_K$, so the rate "
            r"$(1-\alpha)\gamma_{\mathcal{A}}P/\tau$ of Proposition~6.2 is not defined here."
        )
    gamma = pm.spectral_norm_exact
    if gamma is not None:
        lam = (1 - econ.alpha) * gamma * econ.depth / econ.tau
        lam_tex, lam_f = GeoSymLatexPrinter().doprint(lam), float(lam)
    else:
        lam_f = (1 - float(econ.alpha)) * pm.spectral_norm * econ.depth / float(econ.tau)
        lam_tex = number_latex(lam_f)
    above = rho > lam_f + 1e-12
    txt = (
        r" The rate of Proposition~6.2 is $\lambda = (1-\alpha)\gamma_{\mathcal{A}} P/\tau = %s$, and $\rho %s \lambda$."
        % (
            lam_tex,
            ">" if above else r"\le",
        )
    )
    if above:
        txt += (
            r" Since $\rho(J) \le \|J\|$ for every operator norm, $\|D\Phi_K(x^*)\| \ge \rho > \lambda$: the "
            r"bound $\|D\Phi_K\|_{\mathrm{op}} \le \lambda$ fails at this point."
        )
    return txt


def eigen_section(d) -> str:
    """Section 7: the eigenvalues of ``J_T``, the spectral radius against Proposition 6.2's rate, the figure."""
    out = [r"\section{Eigenvalues and stability}"]
    if not len(d.eigenvalues):
        out.append(r"No eigenvalues (no Jacobian, or a zero-dimensional tangent space).")
        return "\n\n".join(out)
    rows, intro = _eigen_rows(d)
    figure = next((f for f in d.figures if f.label == "fig:eigenvalues"), None)
    if figure is not None:
        intro = intro[:-1] + r" (they are drawn against the unit circle in %s):" % figure.ref
    shown = rows[:40]
    tab = [r"%d & $%s$ & $%s$ & %d \\" % (k + 1, z, m_, mult) for k, (z, m_, mult) in enumerate(shown)]
    out.append(intro)
    out.append(longtable("rllr", r" & $\lambda$ & $|\lambda|$ & multiplicity", tab))
    if len(rows) > len(shown):
        out.append("(%d more not shown)" % (len(rows) - len(shown)))
    rho = float(np.max(np.abs(d.eigenvalues)))
    out.append(_stability_text(d, rho) + _rate_text(d.economy, rho))
    if figure is not None:
        out.append(figure.latex())
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- 8. verdicts
_STATUS_TEX = {
    "proved": r"\textbf{proved}",
    "refuted": r"\textbf{refuted}",
    "certified": r"\textbf{certified}",
    "supported": "supported",
    "inconclusive": "inconclusive",
}


def verdict_section(d) -> str:
    """Section 8: the verdict of every claim recomputed on this economy, reasons typeset."""
    if d.verdicts is None:
        return ""
    rows = [
        r"\texttt{%s} & %s & %s \\"
        % (tex_text(v.id), _STATUS_TEX.get(v.status, tex_text(v.status)), prose_latex(v.reason))
        for v in d.verdicts
    ]
    counts: dict[str, int] = {}
    for v in d.verdicts:
        counts[v.status] = counts.get(v.status, 0) + 1
    return "\n\n".join(
        [
            r"\section{The paper's claims on this economy}",
            r"Each claim checked by computation on this economy (\texttt{geo-sym check ECONOMY.yaml}; "
            r"\texttt{--latex FILE} gives each claim's statement, derivation and witness). \textbf{proved}: exact "
            r"identity or exact computation, possibly under extra hypotheses; \textbf{refuted}: an exact "
            r"counterexample, re-checked by independent code (\texttt{geo-sym verify}); \textbf{certified}: a "
            r"rigorous interval certificate; supported: seeded numeric evidence; inconclusive: not decided, for the "
            r"reason given.",
            longtable(
                r">{\raggedright}p{2.1cm}>{\raggedright}p{2cm}>{\raggedright\arraybackslash}p{11.6cm}",
                "claim & status & reason",
                rows,
            ),
            "In all: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".",
        ]
    )
