"""The converter from geo-sym's Unicode prose to LaTeX: hand-written expected strings, and properties on
every sentence the claims actually produce.

Expected strings are written by hand from the paper's notation (``γ_A`` is the norm of the price
mechanism :math:`\\mathcal{A}_K`, ``H`` the Hilbert space :math:`\\mathcal{H}`, ``Π`` before a set is a
product and before ``(`` the profit function), not read off the converter.
"""

from __future__ import annotations

import re

import pytest

from geo_sym.render.mathtext import paragraph_mathjax, pieces, prose_latex, prose_mathjax, sentence

CASES = [
    ("d_a = w_a u_a", r"$d_{a} = w_{a}u_{a}$"),
    ("λ^n/(1−λ)", r"$\lambda^{n}/(1-\lambda)$"),
    ("λⁿ ≤ 1/100", r"$\lambda^{n} \le 1/100$"),
    ("γ_A = ‖DA_K‖_op", r"$\gamma_{\mathcal{A}} = \lVert D\mathcal{A}_{K}\rVert_{\mathrm{op}}$"),
    ("‖DΦ_K‖_op ≤ λ < 1", r"$\lVert D\Phi_{K}\rVert_{\mathrm{op}} \le \lambda < 1$"),
    ("Σ_a <p_a, z_a(p)>_H = 0", r"$\sum_{a}\langle p_{a}, z_{a}(p)\rangle_{\mathcal{H}} = 0$"),
    ("y ∈ Π Y_a", r"$y \in \prod Y_{a}$"),
    ("ΣΠ(p*)", r"$\sum\Pi(p^{*})$"),
    ("x_{t+1} = Φ_K(x_t, ε_t)", r"$x_{t+1} = \Phi_{K}(x_{t}, \varepsilon_{t})$"),
    ("(p**, y**, π**)", r"$(p^{**}, y^{**}, \pi^{**})$"),
    ("|P(G)|", r"$\lvert\mathcal{P}(G)\rvert$"),
    ("tolerance 1e-06", r"tolerance $10^{-6}$"),
    ("a fixed point of Φ_K", r"a fixed point of $\Phi_{K}$"),
    ("violates E1 for agent a (exact)", r"violates E1 for agent $a$ (exact)"),
    ("(E1)–(E3) and eq. (10)–(12)", r"(E1)--(E3) and eq. (10)--(12)"),
    ("99% accuracy in 3 fixed point(s)", r"99\% accuracy in 3 fixed point(s)"),
    ("Φ_K's rate", r"$\Phi_{K}$'s rate"),
    ("needs normalize(0); normalize never meets 0", r"needs $\operatorname{normalize}(0)$; normalize never meets 0"),
    ("Assumption 2 (W continuous)", r"Assumption 2 ($W$ continuous)"),
    ("holds (λ = 0) but", r"holds ($\lambda = 0$) but"),
    ("A sufficient condition", "A sufficient condition"),
    ("the K-projected economy", r"the $K$-projected economy"),
    ("an L²-ball", r"an $L^{2}$-ball"),
    ("e.g. p", r"e.g. $p$"),
    ("on 'two-by-two'", r"on \texttt{two-\allowbreak{}by-\allowbreak{}two}"),
    ("as thm-4.4/existence", r"as \texttt{thm-\allowbreak{}4.4/\allowbreak{}existence}"),
    ("kind no_price_support", r"kind \texttt{no\_\allowbreak{}price\_\allowbreak{}support}"),
    ("α = 0.10, P = 3", r"$\alpha = 0.10$, $P = 3$"),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0] for c in CASES])
def test_hand_written_conversions(text, expected):
    assert prose_latex(text) == expected


def test_long_lists_may_break_after_their_commas_but_arguments_stay_glued():
    out = prose_latex("at p = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0] and Φ_K(x_t, ε_t)")
    assert out.count(r",\allowbreak ") == 9  # the ten-entry list
    assert r"\Phi_{K}(x_{t}, \varepsilon_{t})" in out


def test_sentence():
    assert sentence("on the economy") == "On the economy."
    assert sentence("τ > 0 holds.") == "τ > 0 holds."


# ----------------------------------------------------------------------------- properties on the real prose
_MATH_UNICODE = re.compile(r"[α-ωΑ-Ωϕϵ≠≤≥≈∈∉⊂⊆→⇒⇔⇀∧∨∂∞∑∏∃∀‖⟨⟩·×±∼≡∇∅⊗√ℝℋ²³ⁿ]")


@pytest.fixture(scope="module")
def claim_prose():
    """Every sentence of the verdicts on the built-in economies: statements, reasons, hypotheses, corrections."""
    from proofs.claims.registry import run_checks

    out = set()

    def walk(v):
        out.update([v.statement, v.reason, v.method, *v.holds_under, *v.hypotheses])
        if v.corrected:
            out.update([v.corrected["statement"], v.corrected.get("method", "")])
        for p in v.parts:
            walk(p)

    for v in run_checks(seed=0):
        walk(v)
    return sorted(t for t in out if t)


def test_every_mathematical_symbol_lands_in_math_mode(claim_prose):
    for text in claim_prose:
        for p in pieces(text):
            if p.kind == "text":
                assert not _MATH_UNICODE.search(p.value), (text, p.value)
                assert not re.search(r"\b[a-zA-Z]_[a-zA-Z0-9{]", p.value), (text, p.value)  # no d_a left as text


def test_the_conversion_is_complete_and_ascii(claim_prose):
    for text in claim_prose:
        out = prose_latex(text)
        assert out.isascii() or "â" in out, (text, out)  # pdflatex's default input needs nothing more
        assert out.count("$") % 2 == 0
        for math in re.findall(r"\$([^$]*)\$", out):
            assert math.count("{") == math.count("}"), math
            assert math.count(r"\lVert") == math.count(r"\rVert") and math.count(r"\langle") == math.count(r"\rangle")


def test_mathjax_rows_keep_macros_out_of_text(claim_prose):
    for text in claim_prose:
        for row in prose_mathjax(text, 60):
            for arg in re.findall(r"\\text(?:tt)?\{([^{}]*)\}", row):
                assert "\\" not in arg and not re.search(r"[_%&#$]", arg), (text, row)


def test_statement_latex_paragraphs_use_only_plain_text_between_formulas():
    from proofs.claims.registry import CLAIMS

    for cid, claim in CLAIMS.items():
        tex = claim.statement_latex
        assert tex, f"{cid} has no statement_latex"
        assert tex.count("$") % 2 == 0, cid
        text = re.sub(r"\$[^$]*\$", "", tex)
        assert not re.search(r"\\(?![%_&#])", text.replace("~", " ")), (cid, text)  # no macros outside math
        for row in paragraph_mathjax(tex, 80):
            for arg in re.findall(r"\\text\{([^{}]*)\}", row):
                assert "\\" not in arg and "%" not in arg, (cid, row)
