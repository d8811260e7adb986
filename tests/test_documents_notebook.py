"""Notebook displays render under MathJax: every ``_repr_latex_`` string checked against what MathJax cannot do.

The list of constructs comes from MathJax's documentation ("Differences from Actual TeX",
docs.mathjax.org/en/latest/input/tex/differences.html, and the ``textmacros`` extension page):

* the TeX input processor implements only math-mode macros: no text-mode environments (``itemize``,
  ``enumerate``, ``tabular``, ``longtable``, ``figure``, …) and no text-mode macros (``\\emph``,
  ``\\section``, ``\\item``, ``\\includegraphics``, booktabs rules, …);
* in version 3 and below (what Jupyter loads), MathJax does *not* process macros inside ``\\text{}``
  — only ``\\$``, ``\\{`` and ``\\}`` — so ``\\text{γ\\_A}`` shows a backslash and ``\\text{99\\%}`` shows
  ``99\\%``: no backslash, and none of ``_ % & # $`` inside text arguments (they go in math mode);
* ``\\multicolumn``, ``\\multirow``, ``\\omit``, ``\\intertext``, ``\\vadjust`` are not implemented;
* ``%`` starts a comment in TeX input, so an unescaped ``%`` swallows the rest of the line;
* plus two facts of typography: ``1e-06`` in math mode typesets as "1e − 06" (numbers must be written
  ``10^{-6}``), and a display is one ``$$ … $$`` block with balanced braces.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo_sym.economy.spec import Economy, load_economy

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies"
MODELS = ROOT / "examples" / "models"

#: Environments MathJax implements inside a display (amsmath's math environments and arrays).
MATH_ENVIRONMENTS = {
    "array",
    "matrix",
    "pmatrix",
    "bmatrix",
    "Bmatrix",
    "vmatrix",
    "Vmatrix",
    "smallmatrix",
    "cases",
    "aligned",
    "gathered",
    "split",
    "alignedat",
    "subarray",
}
#: Text-mode or unimplemented macros (MathJax "Differences from Actual TeX").
TEXT_MODE_MACROS = (
    "emph",
    "section",
    "subsection",
    "paragraph",
    "item",
    "includegraphics",
    "caption",
    "label",
    "toprule",
    "midrule",
    "bottomrule",
    "multicolumn",
    "multirow",
    "omit",
    "intertext",
    "vadjust",
    "cline",
    "noindent",
    "par",
    "newline",
    "linebreak",
    "allowbreak",
    "textless",
    "textgreater",
    "textbackslash",
    "textasciitilde",
    "textasciicircum",
    "textbar",
    "raggedright",
    "hfill",
)
TEXT_ARGUMENT_MACROS = ("text", "textbf", "textit", "texttt", "textrm", "textsf", "mbox")


def _arguments(s: str, macro: str):
    """The brace-delimited arguments of every ``\\macro{…}`` in ``s``."""
    for m in re.finditer(r"\\%s\{" % macro, s):
        depth, i = 1, m.end()
        while i < len(s) and depth:
            if s[i] == "\\" and i + 1 < len(s):
                i += 2
                continue
            depth += (s[i] == "{") - (s[i] == "}")
            i += 1
        yield s[m.end() : i - 1]


def mathjax_problems(s: str) -> list[str]:
    """What in ``s`` MathJax (v2/v3 without textmacros) would not render as intended."""
    problems = []
    body = s.strip()
    if body.startswith("$$") and body.endswith("$$"):
        inner = body[2:-2]
    elif body.startswith("$") and body.endswith("$"):
        inner = body[1:-1]
    else:
        return ["not a single $…$ or $$…$$ block"]
    if re.search(r"(?<!\\)\$", inner):
        problems.append("a $ inside the block")
    depth = 0
    for i, c in enumerate(inner):
        if c in "{}" and (i == 0 or inner[i - 1] != "\\"):
            depth += 1 if c == "{" else -1
            if depth < 0:
                problems.append("unbalanced braces")
                break
    if depth:
        problems.append("unbalanced braces")
    for env in re.findall(r"\\begin\{([^}]*)\}", inner):
        if env not in MATH_ENVIRONMENTS:
            problems.append(f"environment {env}")
    for macro in TEXT_MODE_MACROS:
        if re.search(r"\\%s(?![A-Za-z])" % macro, inner):
            problems.append(f"text-mode macro \\{macro}")
    for macro in TEXT_ARGUMENT_MACROS:
        for arg in _arguments(inner, macro):
            if re.search(r"\\(?![{}$])", arg):
                problems.append(f"a macro inside \\{macro}{{{arg}}}")
            if re.search(r"(?<!\\)[_%&#$]", arg):
                problems.append(f"a special character inside \\{macro}{{{arg}}}")
    if re.search(r"(?<!\\)%", inner):
        problems.append("an unescaped % (a comment in TeX input)")
    outside = re.sub(r"\\(text|texttt|textbf|textit|textrm|mbox)\{[^{}]*\}", "", inner)
    if re.search(r"(?<![A-Za-z_\\])\d+(\.\d+)?[eE][-+−]?\d", outside):
        problems.append("a number in e-notation (typesets as 1e − 06)")
    if r"\\" in inner and not re.search(r"\\begin\{", inner):
        problems.append("a line break outside an environment")
    return problems


# ----------------------------------------------------------------------------- the checker itself
@pytest.mark.parametrize(
    "bad, what",
    [
        (r"$$\text{γ\_A}$$", "a macro inside"),
        (r"$$\text{99\%}$$", "a macro inside"),
        (r"$$\text{web_search}$$", "a special character inside"),
        (r"$$\begin{itemize}\item x\end{itemize}$$", "environment itemize"),
        (r"$$\emph{x}$$", "text-mode macro"),
        (r"$$x = 1e-06$$", "e-notation"),
        (r"$$x = 99% $$", "unescaped %"),
        (r"$$\frac{1}{2$$", "unbalanced"),
        (r"$$a \\ b$$", "line break"),
        (r"plain text", "not a single"),
    ],
)
def test_the_checker_catches_what_mathjax_cannot_render(bad, what):
    assert any(what in p for p in mathjax_problems(bad)), mathjax_problems(bad)


def test_the_checker_accepts_what_mathjax_renders():
    good = (
        r"$$\begin{array}{l}\text{99}\%\text{ of }\gamma_{\mathcal{A}}\ \texttt{web}\_\texttt{search} \\ "
        r"x = 10^{-6},\ \mathrm{a1} \to \mathrm{b1}\end{array}$$"
    )
    assert mathjax_problems(good) == []


# ----------------------------------------------------------------------------- every display
def _assert_renders(obj):
    s = obj._repr_latex_()
    assert s is not None, f"{type(obj).__name__} has no display"
    assert mathjax_problems(s) == [], (type(obj).__name__, mathjax_problems(s), s[:400])
    return s


@pytest.fixture(scope="module")
def verdicts():
    from proofs.claims.registry import run_checks

    return run_checks(seed=0)


def test_every_verdict_and_part_renders(verdicts):
    for v in verdicts:
        s = _assert_renders(v)
        assert r"\textbf{%s}" % v.id in s
        for p in v.parts:
            _assert_renders(p)


def test_verdict_display_sets_the_papers_symbols_in_math_mode(verdicts):
    by_id = {v.id: v for v in verdicts}
    s = by_id["prop-6.2"]._repr_latex_()
    assert r"\gamma_{\mathcal{A}}" in s and r"γ\_A" not in s and "γ_A" not in s
    s = by_id["ex-6.3"]._repr_latex_()
    assert r"\text{99}\%" in s or r"99}\%" in s  # the percent sign in math mode, after the text
    assert r"99\%}" not in s


def test_verdict_list_is_a_table_and_a_frame(verdicts):
    from proofs.verdict import VerdictList

    assert isinstance(verdicts, VerdictList) and len(verdicts) == 12
    s = _assert_renders(verdicts)
    assert s.count(r"\texttt{") >= 12
    html = verdicts._repr_html_()
    assert html.count("<tr>") == 1 + sum(1 + len(v.parts) for v in verdicts)
    frame = verdicts.to_frame()
    assert list(frame.columns) == ["status", "reason", "method", "economy", "holds_under", "corrected"]
    assert len(frame) == sum(1 + len(v.parts) for v in verdicts)
    for v in verdicts:
        assert frame.loc[v.id, "status"] == v.status
        if v.corrected:
            assert frame.loc[v.id, "corrected"] == v.corrected["statement"]


def test_economy_map_and_jacobian_render():
    from geo_sym.economy.state import load_state
    from geo_sym.maps.symbolic import SymbolicMap, exact_jacobian

    econ = load_economy(ECON / "two_by_two.yaml")
    s = _assert_renders(econ)
    assert r"\mathrm{a1} \to \mathrm{b1}" in s  # agent names upright
    x = load_state(econ, ECON / "two_by_two_state.json")
    ej = exact_jacobian(econ, x)
    s = _assert_renders(ej)
    assert r"\frac{9}{10}\, I_{4}" in s  # (1 - α) I, written as such
    _assert_renders(ej.symbolic if hasattr(ej, "symbolic") else SymbolicMap(econ))


def test_economy_with_awkward_names_renders():
    econ = Economy.from_dict(
        {
            "name": "r&d_50%",
            "agents": [
                {"name": "web_search", "demand": [1], "box": [[0, 1]]},
                {"name": "r&d #1", "demand": ["1/2"], "box": [[0, 1]]},
            ],
            "edges": [["web_search", "r&d #1"]],
            "map": "simultaneous",
            "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
        }
    )
    s = _assert_renders(econ)
    assert r"\mathrm{web\_search}" in s


@pytest.fixture(scope="module")
def nk3_solution():
    from dsge import load_model

    return load_model(MODELS / "nk3.yaml", cache=False).solve()


def test_dsge_results_render(nk3_solution):
    sol = nk3_solution
    for obj in (sol, sol.bk, sol.linearization, sol.irf("eps_v", 6), sol.moments()):
        _assert_renders(obj)


def test_blanchard_kahn_tolerance_is_a_power_of_ten(nk3_solution):
    bk = nk3_solution.bk
    s = _assert_renders(bk)
    assert "e-0" not in s and "1e" not in s
    exponent = round(__import__("math").log10(bk.tolerance))
    if bk.tolerance == 10.0**exponent:
        assert "10^{%d}" % exponent in s  # 1e-06 is 10^{-6}
    assert "determinate" in s and "forward-looking" in s


def test_orchestration_results_render():
    from dsge.orchestration import compare_policies, impulse_response, stability_map, steady_state

    econ = load_economy(ECON / "orchestration_taylor.yaml")
    ss = steady_state(econ)
    ir = impulse_response(econ, "spike_w1", 6, 0.01, steady=ss)
    for obj in (ir, ir.stability, stability_map(econ, [0.0, 1.0], [0.0], steady=ss)):
        _assert_renders(obj)
    s = _assert_renders(compare_policies(econ, ["spike_w1"], periods=4, steady=ss, policies=("none",)))
    assert r"\texttt{spike}\_\texttt{w1}" in s  # the channel's name, its underscore in math mode
