"""LaTeX documents: known expressions against hand-written strings, facts of the derivation
checked by independent code, and every kind of generated document compiled with pdflatex.

Compile tests carry ``@pytest.mark.slow`` and are skipped (with the reason) only when
``pdflatex`` is not installed; ``.ci/run`` installs it.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.spec import Economy, load_economy
from geo_sym.errors import GeoSymError, ValidationError
from geo_sym.render.document import derive
from geo_sym.render.latex_text import tex_text
from geo_sym.render.pdf import LaTeXError, PdflatexNotFoundError, compile_pdf, overfull_boxes, write_document
from proofs.verdict import Verdict

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies"
MODELS = ROOT / "examples" / "models"

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex is not installed (apt-get install texlive-latex-base "
    "texlive-latex-recommended); .ci/run installs it",
)


def _compiles(tex: str, path: Path) -> Path:
    """Write and compile; assert a PDF and no Type 3 (bitmap) fonts requested from METAFONT."""
    tex_path, pdf = write_document(tex, path, pdf=True)
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"
    log = tex_path.with_suffix(".log").read_text(errors="replace")
    assert "mktexpk" not in log and "Emergency stop" not in log
    assert overfull_boxes(log, threshold_pt=10.0) == []  # nothing runs into the margin
    return pdf


def _fake_verdicts():
    return [
        Verdict(
            id="thm-3.1",
            statement="Σ_a <p_a, z_a(p)> = 0",
            status="refuted",
            reason="Σ<p,z(p)> = -1/2 ≠ 0 at p = [1] — demand & budget_constraint 100% apart",
            economy="two-by-two",
            witness={"kind": "walras_value", "state": {"p": ["1"]}, "claimed": "0", "observed": "-1/2"},
        ),
        Verdict(
            id="prop-6.2",
            statement="τ > (1 − α) γ_A P",
            status="inconclusive",
            reason="needs a linear price mechanism (γ_A = ‖DA_K‖)",
            economy="two-by-two",
        ),
    ]


# ----------------------------------------------------------------------------- hand-written strings
@pytest.mark.parametrize(
    "text, expected",
    [
        ("a_b & 50% #1 {x}", r"a\_b \& 50\% \#1 \{x\}"),
        ("τ > (1−α)γ", r"$\tau$ \textgreater{} (1$-$$\alpha$)$\gamma$"),
        ("‖DΦ‖ ≤ λ", r"$\|$D$\Phi$$\|$ $\le$ $\lambda$"),
        ("tâtonnement", r"t\^atonnement"),
        ("中", "[U+4E2D]"),
        ("~^\\", r"\textasciitilde{}\textasciicircum{}\textbackslash{}"),
    ],
)
def test_tex_text(text, expected):
    assert tex_text(text) == expected


def test_dsge_names_and_timing():
    from dsge.document import default_latex_name, variable_latex

    assert default_latex_name("phi_pi") == r"\phi_{\pi}"
    assert default_latex_name("eps_v") == r"\varepsilon_{v}"
    assert default_latex_name("gdp") == r"\mathit{gdp}"
    assert variable_latex("pi", 1) == r"\pi_{t+1}"
    assert variable_latex("eps_v", 0) == r"\varepsilon_{v,t}"
    assert variable_latex("k", -1, {"k": "k_t"}) == "k_{t-1}"  # the file's "k_t" carries the date
    assert variable_latex("y", 1, {"y": r"y^{gap}_{t}"}) == r"{y^{gap}}_{t+1}"
    assert variable_latex("rho_v", None) == r"\rho_{v}"


NK3 = dict(
    variables=["x", "pi", "i", "v"], parameters=["beta", "sigma", "kappa", "phi_pi", "phi_y", "rho_v"], shocks=["eps_v"]
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "x = x(+1) - (1/sigma)*(i - pi(+1))",
            r"x_{t} &= x_{t+1} - \frac{1}{\sigma} \, \left(i_{t} - \pi_{t+1}\right)",
        ),
        ("pi = beta*pi(+1) + kappa*x", r"\pi_{t} &= \beta \, \pi_{t+1} + \kappa \, x_{t}"),
        ("v = rho_v*v(-1) + eps_v", r"v_{t} &= \rho_{v} \, v_{t-1} + \varepsilon_{v,t}"),
        (
            "x = -(pi - i)^2 + x*(-v) - (pi - (i - v))",
            r"x_{t} &= -\left(\pi_{t} - i_{t}\right)^{2} + x_{t} \, \left(-v_{t}\right) - \left(\pi_{t} - \left(i_{t} - "
            r"v_{t}\right)\right)",
        ),
        (
            "x = x^v^pi + (x^v)^pi + 2*3",
            r"x_{t} &= {x_{t}}^{{v_{t}}^{\pi_{t}}} + \left({x_{t}}^{v_{t}}\right)^{\pi_{t}} "
            r"+ 2 \cdot 3",
        ),
        (
            "x = 1.5e-3*exp(pi(+1))/sqrt(v) - log(i)",
            r"x_{t} &= \frac{1.5 \cdot 10^{-3} \, \exp\left(\pi_{t+1}\right)}{\sqrt{v_{t}}} - \log\left(i_{t}\right)",
        ),
    ],
)
def test_equation_latex_matches_hand_written(text, expected):
    from dsge.document import equation_latex
    from dsge.model.parser import parse_equation

    assert equation_latex(*parse_equation(text, **NK3), {}, width=1000) == [expected]


def test_long_equation_breaks_at_top_level_terms_keeping_signs():
    from dsge.document import equation_latex
    from dsge.model.parser import parse_equation

    lines = equation_latex(
        *parse_equation("x = x(+1) - (pi - (i - v)) + beta*pi + kappa*x + phi_pi*i + phi_y*v", **NK3), {}, width=40
    )
    assert len(lines) > 1 and lines[0].startswith("x_{t} &= ") and all(ln.startswith(r"&\quad ") for ln in lines[1:])
    joined = " ".join(lines)
    # -(π - (i - v)) distributes to -π + i - v
    assert r"- \pi_{t} + i_{t} - v_{t}" in re.sub(r"\s*\\\\?\s*&\\quad\s*", " ", joined)


# ----------------------------------------------------------------------------- the economy derivation
@pytest.fixture(scope="module")
def two_by_two():
    econ = load_economy(ECON / "two_by_two.yaml")
    return econ, derive(econ, verdicts=_fake_verdicts())


def test_derivation_steady_state_is_the_hand_derived_exact_point(two_by_two):
    # symmetric 2x2: uniform routing gives w_a = 1/2, so y = d = 1/2 (interior), q = p + β(d − y) = p: p = 1/4
    econ, d = two_by_two
    assert d.exact and d.at_steady_state
    x = d.steady_state
    assert all(v == sp.Rational(1, 2) for v in x.y.ravel())
    assert all(v == sp.Rational(1, 4) for v in x.p.ravel())
    assert all(v == sp.Rational(1, 4) for v in x.pi)
    tex = d.to_latex()
    assert r"\pi^*_{\mathrm{a1} \to \mathrm{b1}} = \frac{1}{4}" in tex  # agent names upright


def test_derivation_blocks_and_charpoly_agree_with_independent_numeric_code(two_by_two):
    from geo_sym.economy.state import tangent_basis
    from geo_sym.maps.jacobian import numeric_jacobian

    econ, d = two_by_two
    tex = d.to_latex()
    # ∂y'/∂y = (1 − α) I on the interior branch, α = 1/10: written as the multiple of the identity it is
    assert r"\frac{\partial y'}{\partial y} &= \frac{9}{10}\, I_{4}" in tex
    assert r"\frac{\partial y'}{\partial p} &= 0" in tex  # production does not see prices
    # χ from the exact tangent Jacobian against the numeric Jacobian (other code) in an orthonormal basis
    J = numeric_jacobian(econ, d.steady_state.to_float()).dense()
    Q = tangent_basis(econ)
    expected = np.poly(np.linalg.eigvals(Q.T @ J @ Q))
    got = [float(c) for c in d.charpoly.all_coeffs()]
    assert np.allclose(got, expected.real, atol=1e-9)
    # its factorisation is printed and multiplies back to χ
    assert r"\left(\lambda - 1\right)^{3}" in tex and r"\left(10 \lambda - 9\right)^{2}" in tex
    assert d.charpoly.degree() == 10 == econ.state_size() - 2


def test_derivation_document_has_every_section_and_the_verdicts(two_by_two):
    econ, d = two_by_two
    tex = d.to_latex()
    for title in (
        "The economy",
        "The map in closed form",
        "Steady state",
        "The Jacobian",
        "Reduction to the tangent space",
        "Characteristic polynomial",
        "Eigenvalues and stability",
        "The paper's claims on this economy",
    ):
        assert r"\section{%s" % title in tex
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert r"\texttt{thm-3.1} & \textbf{refuted}" in tex and r"100\% apart" in tex
    assert r"$\sum\langle p, z(p)\rangle = -1/2 \neq 0$" in tex  # the reason's mathematics typeset
    assert r"y'_{\mathrm{a1},1} &= \operatorname{Proj}_{[0, 1]}" in tex  # each coordinate of the map
    assert r"\begin{picture}" in tex and r"\label{fig:dag}" in tex and r"Figure~\ref{fig:dag}" in tex
    assert "fontenc" not in tex  # Type 1 Computer Modern only


def test_large_blocks_are_summarised_not_printed():
    econ = Economy.from_dict(
        {
            "name": "wide-K",
            "agents": [{"name": n, "demand": [1, "1/2", "1/4"], "box": [[0, 1]] * 3} for n in "abc"],
            "edges": [["a", "b"], ["a", "c"]],
            "map": "simultaneous",
            "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 3},
        }
    )
    tex = derive(econ).to_latex()
    # (1 − α) I on 9 coordinates, not "9 non-zeros"
    assert r"\frac{\partial y'}{\partial y} &= \frac{9}{10}\, I_{9}" in tex
    # ∂y'/∂π = α (u_a 1[a ∈ path]): 9 × 2 with 3 + 3 + 3·2 = 12 non-zeros, rank 2 (two independent paths)
    assert (
        r"\frac{\partial y'}{\partial \pi} &= \left[\,9 \times 2:\ \text{12 non-zero entries of } 18\text{, rank 2}"
        in tex
    )
    assert r"The block $\frac{\partial y'}{\partial \pi}$" in tex  # and tabulated, rows and columns labelled
    assert r"y'_{\mathrm{a},1} & \frac{1}{10} & \frac{1}{10}" in tex


def test_no_fixed_point_and_too_large_are_said_not_hidden():
    econ = load_economy(ECON / "two_by_two.yaml")
    d = derive(econ, max_state=5)
    tex = d.to_latex()
    assert d.jacobian is None and "coordinates (more than 5)" in tex


# ----------------------------------------------------------------------------- DSGE documents and reprs
@pytest.fixture(scope="module")
def nk3():
    from dsge import load_model

    return load_model(MODELS / "nk3.yaml", cache=False)


def test_model_document_content(nk3):
    from dsge.document import model_document

    tex = model_document(nk3, irf_periods=4)
    assert r"\pi_{t} &= \beta \, \pi_{t+1} + \kappa \, x_{t} \tag{2}" in tex
    # linearized eq. (2): π̂_t − β π̂_{t+1} − κ x̂_t = 0 with β = 0.99, κ = 0.1
    assert r"&-0.99\, \hat{\pi}_{t+1} - 0.1\, \hat{x}_{t} + \hat{\pi}_{t} = 0 \tag{2}" in tex
    assert r"\textbf{determinate: a unique stable solution}" in tex
    assert r"\phi_{\pi}" in tex and r"T = " in tex and "period" in tex
    indet = model_document(nk3.with_parameters({"phi_pi": "1/2"}))
    assert "indeterminate" in indet and "No policy is computed" in indet


def test_result_reprs_are_mathjax_tables(nk3):
    sol = nk3.solve()
    s = sol._repr_latex_()
    assert s.startswith("$$") and r"\bar{\pi} & 0" in s and "determinate" in s
    assert r"F_{+} = " in sol.linearization._repr_latex_()
    irf = sol.irf("eps_v", 3)
    assert irf._repr_latex_().count(r"\\") == 4 and sol.irf("eps_v", 40)._repr_latex_() is None
    assert r"\text{std}" in sol.moments()._repr_latex_()


def test_verdict_repr_is_one_math_array():
    v = _fake_verdicts()[0]
    s = v._repr_latex_()
    assert s.startswith("$$") and s.rstrip().endswith("$$") and r"\begin{array}{l}" in s
    assert r"\textbf{thm-3.1}" in s and "refuted" in s


def test_report_pieces_break_long_derivations():
    from geo_sym.render.latex_blocks import split_top
    from proofs.report import verdict_latex

    assert split_top(r"a = 1,\ b = \frac{1}{2}\quad c \\ d = \{x, y\}") == [
        "a = 1,",
        r"b = \frac{1}{2}",
        "c",
        r"d = \{x, y\}",
    ]
    long = r",\ ".join(r"x_{%d} = \frac{%d}{7}" % (k, k) for k in range(30))
    v = Verdict(id="x", statement="s", status="proved", reason="r", method="exact", derivation=long)
    tex = verdict_latex(v, standalone=True)
    assert r"\begin{gather*}" in tex and tex.count(r"\\" + "\n") >= 3


# ----------------------------------------------------------------------------- pdflatex helper
def test_compile_pdf_without_pdflatex_says_how_to_install(tmp_path, monkeypatch):
    tex = tmp_path / "a.tex"
    tex.write_text("\\documentclass{article}\\begin{document}x\\end{document}")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PdflatexNotFoundError, match="apt-get install texlive-latex-base texlive-latex-recommended"):
        compile_pdf(tex)
    assert issubclass(PdflatexNotFoundError, GeoSymError) and issubclass(LaTeXError, RuntimeError)


def test_write_document_checks_the_name(tmp_path):
    with pytest.raises(ValidationError, match=r"\.tex"):
        write_document("x", tmp_path / "a.pdf")
    with pytest.raises(ValidationError, match="tex_path"):
        compile_pdf(tmp_path / "missing.tex")


@pytest.mark.slow
@needs_pdflatex
def test_compile_pdf_quotes_the_first_latex_error(tmp_path):
    tex = tmp_path / "bad.tex"
    tex.write_text("\\documentclass{article}\n\\begin{document}\n\\undefinedmacro\n\\end{document}\n")
    with pytest.raises(LaTeXError, match=r"Undefined control sequence.*l\.3") as info:
        compile_pdf(tex)
    assert info.value.first_error.startswith("! Undefined control sequence")


# ----------------------------------------------------------------------------- every document compiles
def _economies():
    layered = {
        "name": "layered 4x2",
        "map": "simultaneous",
        "agents": [{"name": f"L{l}n{i}", "demand": [1], "box": [[0, 1]]} for l in range(4) for i in range(2)],
        "edges": [[f"L{l}n{i}", f"L{l + 1}n{j}"] for l in range(3) for i in range(2) for j in range(2)],
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 3},
    }
    odd = {
        "name": "odd_names & balls",
        "map": "simultaneous",
        "agents": [
            {"name": "web_search", "demand": [1, "1/2"], "ball": {"center": [0, 0], "radius": 1}},
            {"name": "r&d", "demand": ["1/2", 1], "box": [[0, 1], [0, 2]]},
            {"name": "summarizer", "demand": [1, 1], "box": [[-1, 1], [0, 1]]},
        ],
        "edges": [["web_search", "summarizer"], ["r&d", "summarizer"]],
        "parameters": {"alpha": "1/5", "beta": "1/10", "tau": 2},
        "metrics": {"names": ["latency", "quality"], "stats": 1},
        "slo": {"weights": {"latency": "1/2", "quality": "1/4"}},
    }
    no_edges = {
        "name": "parallel",
        "agents": [{"name": f"a{k}", "demand": ["1/2"], "box": [[0, 1]]} for k in range(3)],
        "edges": [],
        "map": "sequential",
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "G": [[0, 0, 0], [0, 0, 0], [0, 0, 0]], "b": [1, 1, 1]},
    }
    return [
        ("example_6_3", load_economy(ECON / "example_6_3.yaml")),
        ("layered", Economy.from_dict(layered)),
        ("odd", Economy.from_dict(odd)),
        ("no_edges", Economy.from_dict(no_edges)),
    ]


@pytest.mark.slow
@needs_pdflatex
@pytest.mark.parametrize("name, econ", _economies(), ids=[n for n, _ in _economies()])
def test_derivation_documents_compile(tmp_path, name, econ):
    _compiles(derive(econ, verdicts=_fake_verdicts()).to_latex(), tmp_path / f"{name}.tex")


def _run_cli(argv):
    from geo_sym.cli.derive import add_derive_parser

    parser = argparse.ArgumentParser(prog="geo-sym")
    add_derive_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.mark.slow
@needs_pdflatex
def test_derive_command_with_claims_plot_and_pdf(tmp_path, capsys):
    out = tmp_path / "doc" / "two.tex"
    fig = tmp_path / "eig.png"
    assert _run_cli(["derive", str(ECON / "two_by_two.yaml"), "-o", str(out), "--plot", str(fig), "--pdf"]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed and "two.pdf" in printed
    tex = out.read_text()
    assert r"\includegraphics[width=0.5\linewidth]{../eig.png}" in tex
    assert r"\label{fig:eigenvalues}" in tex and r"Figure~\ref{fig:eigenvalues}" in tex and r"\caption{" in tex
    assert "The paper's claims on this economy" in tex and r"\texttt{thm-8.1}" in tex  # all twelve claims
    assert out.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.slow
@needs_pdflatex
@pytest.mark.parametrize(
    "model, extra",
    [("nk3", ["--set", "phi_pi=0.5"]), ("rbc", ["--plot", "rbc.png"]), ("brock_mirman", ["--plot", "bm.png"])],
)
def test_model_documents_compile(tmp_path, monkeypatch, model, extra):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "docs" / f"{model}.tex"
    assert _run_cli(["derive", str(MODELS / f"{model}.yaml"), "-o", str(out), "--pdf", *extra]) == 0
    assert out.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    if "--plot" in extra:
        tex = out.read_text()
        assert r"\includegraphics[width=0.95\linewidth]{../%s}" % extra[1] in tex
        assert r"Figure~\ref{fig:irf}" in tex and r"\begin{figure}" in tex


def test_derive_rejects_plot_of_an_indeterminate_model(tmp_path):
    with pytest.raises(ValidationError, match="determinate"):
        _run_cli(
            [
                "derive",
                str(MODELS / "nk3.yaml"),
                "-o",
                str(tmp_path / "a.tex"),
                "--set",
                "phi_pi=0.5",
                "--plot",
                str(tmp_path / "a.png"),
            ]
        )


@pytest.mark.slow
@needs_pdflatex
def test_model_document_of_a_large_model_lists_entries_and_compiles(tmp_path):
    from dsge import model_from_dict
    from dsge.document import model_document

    n = 12
    data = {
        "name": "chain",
        "variables": [f"x{k}" for k in range(n)],
        "shocks": ["e"],
        "parameters": {"rho": 0.5, "beta": 0.9},
        "equations": ["x0 = rho*x0(-1) + e"] + [f"x{k} = beta*x{k}(+1) + x{k - 1}" for k in range(1, n)],
        "latex_names": {"x3": r"\xi^{(3)}_t"},
    }
    tex = model_document(model_from_dict(data), irf_periods=3)
    assert "printed by blocks of columns" in tex and r"{\xi^{(3)}}_{t+1}" in tex
    assert r"\begin{array}{r|rrrrrr}" in tex  # 12 columns in balanced blocks: 6 + 6
    _compiles(tex, tmp_path / "chain.tex")


@pytest.mark.slow
@needs_pdflatex
def test_check_report_compiles_with_statement_derivation_and_witness(tmp_path):
    from proofs.claims.registry import run_checks
    from proofs.report import report_latex

    verdicts = run_checks()
    tex = report_latex(verdicts)
    assert tex.count(r"\subsection*{") == len(verdicts) == 12
    assert tex.count(r"\paragraph{Statement.}") == 12
    refuted = [v for v in verdicts if v.status == "refuted"]
    assert tex.count(r"\paragraph{Counterexample") == len(refuted)
    assert "the paper claims & geo-sym observes" in tex
    _compiles(tex, tmp_path / "report.tex")
