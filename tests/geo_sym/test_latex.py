"""LaTeX printer: hand-written strings for small objects, hand-derived Jacobian blocks, compilation.

Expected strings are written by hand from the paper's notation (eq. (10)–(13)) and the
two-by-two economy of DESIGN.md; block contents are derived by hand
(``∂y'/∂y = (1-α) I``, ``∂y'/∂π = α M`` for ``K = 1, u = 1``, ``∂π'/∂π = 0``), not read
off the code under test.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.spec import Economy, load_economy
from geo_sym.economy.state import State, load_state
from geo_sym.errors import DegenerateNormalizationError, ShapeError, ValidationError
from geo_sym.maps.core import ActiveSet, reduce_state
from geo_sym.render.economy_tex import economy_latex, map_latex
from geo_sym.render.jacobian_tex import charpoly_latex, jacobian_blocks_latex
from geo_sym.render.printer import GeoSymLatexPrinter, latex, latex_name, matrix_latex, path_legend_latex

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "economies"
S = sp.Symbol
lam = sp.Symbol("lambda")


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def two():
    return load_economy(EXAMPLES / "two_by_two.yaml")


@pytest.fixture(scope="module")
def two_state(two):
    return load_state(two, EXAMPLES / "two_by_two_state.json")


@pytest.fixture(scope="module")
def two_exact(two, two_state):
    from geo_sym.maps.symbolic import exact_jacobian

    return exact_jacobian(two, two_state)


def _box_agent(name, K=1, demand=None):
    return {"name": name, "demand": demand or [1] * K, "box": [[0, 1]] * K}


@pytest.fixture(scope="module")
def chain3():
    """Example 6.3's numbers: α = 1/10, γ_A = 1/2, depth P = 3, sequential map."""
    return Economy.build(
        agents=[_box_agent(n) for n in ("a1", "b1", "c1")],
        edges=[["a1", "b1"], ["b1", "c1"]],
        map="sequential",
        parameters={"alpha": "1/10", "tau": "3/2"},
        price_mechanism={"kind": "linear", "gamma": "1/2"},
        name="chain3",
    )


@pytest.fixture(scope="module")
def layered6():
    """Three sources times three sinks, K = 2: 9 paths, AK = 12 (blocks larger than 8)."""
    names = [f"n{i}" for i in range(6)]
    return Economy.build(
        agents=[{"name": n, "demand": [1, "1/2"], "box": [[0, 1], [0, 1]]} for n in names],
        edges=[[a, b] for a in names[:3] for b in names[3:]],
        parameters={"alpha": "1/10", "beta": "1/10", "tau": 2},
        name="layered6",
    )


@pytest.fixture(scope="module")
def layered6_state(layered6):
    rng = np.random.default_rng(7)
    p = rng.uniform(0.1, 1.0, (6, 2))
    return State(rng.uniform(0.1, 0.9, (6, 2)), p / p.sum(), np.full(9, 1 / 9))


WEIRD_NAMES = ["web_search", "r&d 50%", "x^y~{}#$\\", "é-agent's", "数据"]


@pytest.fixture(scope="module")
def weird():
    """Names with LaTeX specials, a ball, SLO weights, a general linear A_K, sequential map."""
    agents = [
        {"name": WEIRD_NAMES[0], "demand": [1, "1/2"], "box": [[0, 1], ["-1/2", 2]]},
        {"name": WEIRD_NAMES[1], "demand": [1, 0], "ball": {"center": [0, 0], "radius": "3/2"}},
        {"name": WEIRD_NAMES[2], "demand": ["1/3", 1], "box": [[0, 1], [0, 1]]},
        {"name": WEIRD_NAMES[3], "demand": [1, 1], "box": [[0, 1], [0, 1]]},
        {"name": WEIRD_NAMES[4], "demand": [1, 1], "box": [[0, 1], [0, 1]]},
    ]
    n = 10
    G = [[("1/5" if i == j else ("-1/10" if j == i + 1 else 0)) for j in range(n)] for i in range(n)]
    return Economy.build(
        agents=agents,
        map="sequential",
        sequential_revenue="new",
        edges=[
            [WEIRD_NAMES[0], WEIRD_NAMES[1]],
            [WEIRD_NAMES[1], WEIRD_NAMES[2]],
            [WEIRD_NAMES[0], WEIRD_NAMES[3]],
            [WEIRD_NAMES[3], WEIRD_NAMES[4]],
        ],
        parameters={"alpha": "1/10", "tau": "3/2"},
        name="weird_eco & co",
        price_mechanism={"kind": "linear", "G": G, "b": [0] * (n - 1) + ["1/7"]},
        metrics={"names": ["latency", "quality"], "stats": 1},
        slo={"weights": {"latency": "1/2", "quality": "1/4"}},
    )


# ----------------------------------------------------------------------------- the printer
@pytest.mark.parametrize(
    "name, expected",
    [
        ("y_0_0", r"y_{\mathrm{a1},1}"),
        ("p_3_0", r"p_{\mathrm{b2},1}"),
        ("pi_0", r"\pi_{\mathrm{a1} \to \mathrm{b1}}"),
        ("pi_3", r"\pi_{\mathrm{a2} \to \mathrm{b2}}"),
        ("pinew_2", r"\pi'_{\mathrm{a2} \to \mathrm{b1}}"),
        ("y_new_1_0", r"y'_{\mathrm{a2},1}"),
        ("p_new_2_0", r"p'_{\mathrm{b1},1}"),
        ("v_0_0", r"v_{\mathrm{a1},1}"),
        ("q_1_0", r"q_{\mathrm{a2},1}"),
        ("c_2", r"c_{\mathrm{b1}}"),
        ("w_1", r"w_{\mathrm{a2}}"),
        ("wnew_0", r"w'_{\mathrm{a1}}"),
        ("x_1", "x_{1}"),  # not a state symbol: SymPy's default
        ("lambda", r"\lambda"),
    ],
)
def test_state_symbols_in_paper_notation(two, name, expected):
    assert GeoSymLatexPrinter(two).doprint(S(name, real=True)) == expected


def test_symbols_without_economy_are_numbered_from_one():
    pr = GeoSymLatexPrinter()
    assert pr.doprint(S("y_0_0")) == "y_{1,1}"
    assert pr.doprint(S("p_new_2_1")) == "p'_{3,2}"
    assert pr.doprint(S("pi_2")) == r"\pi_{3}"


def test_path_index_labels_and_legend(two):
    pr = GeoSymLatexPrinter(two, {"path_labels": "index"})
    assert pr.doprint(S("pi_0")) == r"\pi_{1}"
    assert pr.doprint(S("pinew_3")) == r"\pi'_{4}"
    assert path_legend_latex(two) == (
        r"\pi_{1}: \mathrm{a1} \to \mathrm{b1},\ \pi_{2}: \mathrm{a1} \to \mathrm{b2},\ "
        r"\pi_{3}: \mathrm{a2} \to \mathrm{b1},\ \pi_{4}: \mathrm{a2} \to \mathrm{b2}"
    )


def test_rationals_exp_and_products(two):
    assert latex(sp.Rational(1, 10)) == r"\frac{1}{10}"
    assert latex(-sp.Rational(1, 10) * S("y_0_0"), two) == r"- \frac{y_{\mathrm{a1},1}}{10}"
    assert latex(sp.exp(-S("c_0") / 10), two) == r"e^{- \frac{c_{\mathrm{a1}}}{10}}"
    assert latex(S("p_0_0") * S("y_0_0"), two) == r"p_{\mathrm{a1},1} y_{\mathrm{a1},1}"


def test_primed_symbols_raised_to_a_power_have_no_double_superscript(two):
    assert latex(S("pinew_0") ** 2, two) == r"{\pi'_{\mathrm{a1} \to \mathrm{b1}}}^{2}"
    assert latex(S("y_new_0_0") ** 3, two) == r"{y'_{\mathrm{a1},1}}^{3}"


def test_floats_to_significant_digits():
    assert latex(sp.Float(0.123456789)) == "0.123457"
    assert latex(2.5e-7) == r"2.5 \times 10^{-7}"
    assert latex(1e-6) == "10^{-6}"  # never "1e-06", which typesets as "1e - 06"
    assert latex(sp.Float(0.123456789), float_digits=3) == "0.123"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("a1", r"\mathrm{a1}"),  # a name, not a times 1
        ("b12", r"\mathrm{b12}"),
        ("x", r"\mathrm{x}"),
        ("planner", r"\mathrm{planner}"),
        ("web_search", r"\mathrm{web\_search}"),
        ("r&d 50%", r"\mathrm{r\&d\ 50\%}"),
        ("gpt-4", r"\mathrm{gpt\text{-}4}"),
        ("{#$}", r"\mathrm{\{\#\$\}}"),
        ("é", r"\mathrm{\text{é}}"),
        ("数", r"\mathrm{\text{[U+6570]}}"),
    ],
)
def test_agent_names_are_escaped(name, expected):
    assert latex_name(name) == expected


def test_escaped_agent_name_inside_a_subscript(weird):
    assert latex(S("y_0_0"), weird) == r"y_{\mathrm{web\_search},1}"
    assert latex(S("c_1"), weird) == r"c_{\mathrm{r\&d\ 50\%}}"


# ----------------------------------------------------------------------------- matrices
def test_two_by_two_matrix():
    M = sp.Matrix([[1, sp.Rational(1, 2)], [0, 1]])
    expected = r"\begin{pmatrix} 1 & \frac{1}{2} \\ 0 & 1 \end{pmatrix}"
    assert matrix_latex(M) == expected
    assert latex(M) == expected


def test_numeric_matrix_and_column_vector():
    assert matrix_latex(np.array([[0.5, 0.0], [1e-7, 2.0]])) == r"\begin{pmatrix} 0.5 & 0 \\ 10^{-7} & 2 \end{pmatrix}"
    assert matrix_latex(np.array([1, 2])) == r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}"


def test_wide_matrix_is_an_array_not_a_pmatrix():
    # amsmath's pmatrix allows at most 10 columns
    out = matrix_latex(sp.ones(2, 11))
    assert out.startswith(r"\left(\begin{array}{" + "c" * 11 + "}")
    assert out.endswith(r"\end{array}\right)")
    assert "pmatrix" not in out


# ----------------------------------------------------------------------------- characteristic polynomial
def test_quadratic_charpoly():
    p = sp.Poly(lam**2 - lam / 2 + sp.Rational(1, 4), lam)
    expected = r"\chi(\lambda) = \lambda^{2} - \frac{1}{2} \lambda + \frac{1}{4}"
    assert charpoly_latex(p) == expected
    assert charpoly_latex(lam**2 - lam / 2 + sp.Rational(1, 4)) == expected
    assert charpoly_latex([1, -sp.Rational(1, 2), sp.Rational(1, 4)]) == expected


@pytest.mark.parametrize(
    "expr, expected",
    [
        (lam - 1, r"\chi(\lambda) = \lambda - 1"),
        (lam**3 - lam, r"\chi(\lambda) = \lambda^{3} - \lambda"),
        (-2 * lam**2 + 3, r"\chi(\lambda) = -2 \lambda^{2} + 3"),
        (lam**2 + (S("a") + S("b")) * lam, r"\chi(\lambda) = \lambda^{2} + \left(a + b\right) \lambda"),
    ],
)
def test_small_charpolys(expr, expected):
    assert charpoly_latex(sp.Poly(expr, lam)) == expected


def test_long_coefficients_are_broken_without_changing_the_polynomial():
    xs = sp.symbols("x0:40")
    coeff = sum(sp.exp(-x / 7) * (i + 1) for i, x in enumerate(xs))
    p = sp.Poly(lam**3 + coeff * lam**2 - sp.Rational(3, 7) * lam + coeff, lam, domain="EX")
    broken = charpoly_latex(p, width=60)
    lines = broken.split("\n")
    assert lines[0] == r"\begin{aligned}" and lines[-1] == r"\end{aligned}"
    assert len(lines) > 10
    assert all(line.count("e^{") <= 10 for line in lines)  # at most ten exponential terms per printed line
    assert broken.count(r"\Bigl(") == broken.count(r"\Bigr)") == 1
    # undo the layout: the same polynomial as the one-line form
    one_line = charpoly_latex(p, width=10**9)
    assert "aligned" not in one_line
    flat = "\n".join(lines[1:-1]).replace(" \\\\\n&\\qquad ", " ").replace(" \\\\\n&\\quad ", " ")
    flat = flat.replace("&=", "=")
    flat = flat.replace(r"\Bigl(", r"\left(").replace(r"\Bigr)", r"\right)")
    assert flat == one_line


def test_charpoly_of_the_two_by_two_tangent_jacobian(two_exact):
    out = charpoly_latex(two_exact.charpoly())
    # 12 state coordinates minus one per simplex (prices, routing): degree 10
    assert out.startswith("\\begin{aligned}\n\\chi(\\lambda) &= \\lambda^{10} - \\frac{20574}{3215} \\lambda^{9}")
    assert out.count(r"\Bigl(") == out.count(r"\Bigr)")


# ----------------------------------------------------------------------------- economy
def test_economy_latex_two_by_two(two):
    out = economy_latex(two)
    assert out.startswith("$$\n\\begin{array}{l}") and out.endswith("\\end{array}\n$$")
    for j, (a, b) in enumerate([("a1", "b1"), ("a1", "b2"), ("a2", "b1"), ("a2", "b2")], start=1):
        assert r"\pi_{%d}: \mathrm{%s} \to \mathrm{%s}" % (j, a, b) in out
    assert r"\alpha = \frac{1}{10}" in out
    assert r"\beta = \frac{1}{10}" in out
    assert r"\tau = 10" in out
    assert r"P = 2" in out and r"|\mathcal{P}(G)| = 4" in out
    assert r"\mathrm{a1} & 1 & [0, 1]" in out
    assert r"\operatorname{normalize}" in out
    assert two._repr_latex_() == out
    assert not economy_latex(two, display=False).startswith("$$")


@pytest.mark.parametrize("tau, verdict", [("3/2", r"\tau > (1 - \alpha)"), ("1", r"\tau \le (1 - \alpha)")])
def test_economy_latex_states_proposition_6_2_bound_exactly(chain3, tau, verdict):
    # Example 6.3: (1 - 0.1) * 0.5 * 3 = 1.35 = 27/20
    out = economy_latex(chain3.replace(tau=tau))
    assert r"(1 - \alpha)\, \gamma_{\mathcal{A}}\, P = \frac{27}{20}" in out
    assert verdict in out
    assert r"\gamma = \frac{1}{2}" in out


def test_economy_latex_escapes_names(weird):
    out = economy_latex(weird)
    assert r"\mathrm{weird\_eco\ \&\ co}" in out
    assert r"\mathrm{web\_search} \to \mathrm{r\&d\ 50\%}" in out
    assert r"\bar{B}\left(\left(0, 0\right), \frac{3}{2}\right)" in out
    assert r"\lambda_1 = \frac{1}{2}" in out
    # G is not diagonal: γ_A = ||G||_2 is only known numerically, and says so
    assert r"\gamma_{\mathcal{A}} = \lVert D\mathcal{A}_K \rVert_2 = 0." in out
    assert r"(\text{numeric})" in out
    # G = I/5 - N/10 (N the shift): 10 diagonal + 9 super-diagonal non-zeros, rank 10 (triangular, non-zero diagonal)
    assert r"G:\ \left[\,10 \times 10:\ \text{19 non-zero entries of } 100\text{, rank 10}\,\right]" in out


# ----------------------------------------------------------------------------- the map
def test_map_latex_generic_two_by_two(two):
    out = map_latex(two)
    # y' = y + α(d - y) with d_a = w_a·1, α = 1/10: (9/10) y + (π_j + π_k)/10, then Proj onto [0, 1]
    assert (
        r"y'_{\mathrm{a1},1} &= \operatorname{Proj}_{[0, 1]}\left(\frac{\pi_{\mathrm{a1} \to \mathrm{b1}}}{10} + "
        r"\frac{\pi_{\mathrm{a1} \to \mathrm{b2}}}{10} + \frac{9 y_{\mathrm{a1},1}}{10}\right)"
    ) in out
    assert (
        r"q_{\mathrm{b1},1} &= p_{\mathrm{b1},1} + \frac{\pi_{\mathrm{a1} \to \mathrm{b1}}}{10} + \frac{\pi_{\mathrm{a2} \to \mathrm{b1}}}{10} - "
        r"\frac{y_{\mathrm{b1},1}}{10}"
    ) in out
    assert r"p' &= \operatorname{normalize}\left(\max\left(0, q\right)\right)" in out
    assert r"c_{\mathrm{a1}} &= p_{\mathrm{a1},1} y_{\mathrm{a1},1}" in out
    assert r"V_{\mathrm{a2} \to \mathrm{b1}} &= c_{\mathrm{a2}} + c_{\mathrm{b1}}" in out
    assert r"\pi'_{\mathrm{a1} \to \mathrm{b1}} &= \frac{e^{-V_{\mathrm{a1} \to \mathrm{b1}}/10}}{Z}" in out
    assert r"\operatorname{softmax}" in out
    assert out.startswith(r"\begin{aligned}") and out.endswith(r"\end{aligned}")


def test_map_latex_on_an_active_branch(two):
    codes = np.zeros((4, 1), dtype=np.int8)
    codes[1, 0] = 1  # a2 clamped at its upper bound
    positive = np.ones((4, 1), dtype=bool)
    positive[2, 0] = False  # b1's price cut to zero by max(0, ·)
    act = ActiveSet(codes, np.zeros((4, 1), bool), positive, np.zeros((4, 1), bool))
    out = map_latex(two, act)
    assert (
        r"y'_{\mathrm{a1},1} &= \frac{\pi_{\mathrm{a1} \to \mathrm{b1}}}{10} + \frac{\pi_{\mathrm{a1} \to \mathrm{b2}}}{10} + \frac{9 y_{\mathrm{a1},1}}{10}"
        in out
    )
    assert r"y'_{\mathrm{a2},1} &= 1 \quad \text{(at the upper bound)}" in out
    assert r"p'_{\mathrm{a1},1} &= \frac{q_{\mathrm{a1},1}}{N}" in out
    assert r"p'_{\mathrm{b1},1} &= 0" in out
    assert r"N &= q_{\mathrm{a1},1} + q_{\mathrm{a2},1} + q_{\mathrm{b2},1}" in out
    assert r"\operatorname{Proj}_{[" not in out


def test_map_latex_sequential_prices_use_new_production(chain3):
    out = map_latex(chain3)
    assert r"p'_{\mathrm{a1},1} &= \frac{y'_{\mathrm{a1},1}}{2}" in out  # A_K(y') = y'/2
    assert r"c_{\mathrm{b1}} &= p_{\mathrm{b1},1} y'_{\mathrm{b1},1}" in out  # s' = <p_old, y'> (eq. (13))
    assert "eq. (13)" in out


def test_map_latex_sequential_tatonnement_uses_new_production_in_excess_demand():
    econ = Economy.build(
        agents=[_box_agent("a1"), _box_agent("b1")],
        edges=[["a1", "b1"]],
        map="sequential",
        parameters={"alpha": "1/10", "beta": "1/5", "tau": 1},
    )
    out = map_latex(econ)
    # q = p + β(d(π) - y') with d = π·1 on the single path
    assert (
        r"q_{\mathrm{a1},1} &= p_{\mathrm{a1},1} + \frac{\pi_{\mathrm{a1} \to \mathrm{b1}}}{5} - \frac{y'_{\mathrm{a1},1}}{5}"
        in out
    )
    assert r"c_{\mathrm{a1}} &= p_{\mathrm{a1},1} y'_{\mathrm{a1},1}" in out


def test_map_latex_branch_with_every_price_cut_is_an_error(two):
    act = ActiveSet(
        np.zeros((4, 1), dtype=np.int8), np.zeros((4, 1), bool), np.zeros((4, 1), bool), np.zeros((4, 1), bool)
    )
    with pytest.raises(DegenerateNormalizationError, match="normalize"):
        map_latex(two, act)


def test_map_latex_large_economy_is_not_written_out(layered6):
    out = map_latex(layered6, max_concrete=8)
    assert "not written out" in out
    assert r"y'_{\mathrm{n0},1}" not in out


# ----------------------------------------------------------------------------- Jacobian blocks
# (1 - α) I on the four production coordinates: a multiple of the identity, written as one
DY_DY = r"\frac{9}{10}\, I_{4}"
# α M with M the agent × path incidence (paths a1b1, a1b2, a2b1, a2b2): the factor α pulled out
DY_DPI = (
    r"\frac{1}{10}\, \begin{pmatrix} 1 & 1 & 0 & 0 \\ 0 & 0 & 1 & 1 \\ "
    r"1 & 0 & 1 & 0 \\ 0 & 1 & 0 & 1 \end{pmatrix}"
)


def test_jacobian_blocks_two_by_two_exact(two, two_exact):
    out = jacobian_blocks_latex(two_exact, two)
    assert r"\frac{\partial y'}{\partial y} &= " + DY_DY in out
    assert r"\frac{\partial y'}{\partial p} &= 0 \\" in out
    assert r"\frac{\partial y'}{\partial \pi} &= " + DY_DPI in out
    assert out.rstrip().endswith(r"\frac{\partial \pi'}{\partial \pi} &= 0" + "\n" + r"\end{aligned}")
    # routing blocks: exact entries are long (exp of rationals), shown to 6 digits with ≈
    assert r"\frac{\partial \pi'}{\partial y} &\approx \begin{pmatrix} -0.00311976" in out
    exact = jacobian_blocks_latex(two_exact.jacobian, two, max_entry_chars=None)
    assert r"\frac{\partial \pi'}{\partial y} &= \begin{pmatrix}" in exact and "e^{" in exact


def test_jacobian_blocks_numeric_small(two, two_state):
    from geo_sym.maps.jacobian import numeric_jacobian

    out = jacobian_blocks_latex(numeric_jacobian(two, two_state.to_float()), two)
    assert r"\frac{\partial y'}{\partial y} &= 0.9\, I_{4}" in out


def test_jacobian_blocks_tangent_coordinates(two, two_exact):
    out = jacobian_blocks_latex(two_exact.tangent_jacobian, two)
    assert r"\text{tangent coordinates}" in out
    assert r"\frac{\partial y'}{\partial y} &= " + DY_DY in out
    # ∂y'/∂π in tangent coordinates: α M T, T = [e_i - e_4]: columns m_i - m_4
    assert (
        r"\frac{\partial y'}{\partial \pi} &= \frac{1}{10}\, \begin{pmatrix} 1 & 1 & 0 \\ "
        r"-1 & -1 & 0 \\ 1 & 0 & 1 \\ -1 & 0 & -1 \end{pmatrix}"
    ) in out


def test_jacobian_blocks_elide_large_blocks(layered6, layered6_state):
    from geo_sym.maps.jacobian import numeric_jacobian, reduced_jacobian

    out = jacobian_blocks_latex(numeric_jacobian(layered6, layered6_state), layered6)
    # (1 - α) I on 12 coordinates, however large: a multiple of the identity
    assert r"\frac{\partial y'}{\partial y} &= 0.9\, I_{12}" in out
    # each coordinate of y' depends on the 3 paths through its agent: 36 non-zeros; the rank is that of
    # the incidence matrix of the complete bipartite DAG K_{3,3} (3 + 3 - 1 = 5)
    assert r"\frac{\partial y'}{\partial \pi} &= \left[\,12 \times 9:\ \text{36 non-zero entries of } 108" in out
    assert r"\text{, numerical rank 5}" in out
    assert r"\frac{\partial y'}{\partial p} &= 0" in out
    assert r"\frac{\partial \pi'}{\partial \pi} &= 0" in out
    assert "pmatrix" not in out
    assert len(out) < 2000
    red = jacobian_blocks_latex(reduced_jacobian(layered6, reduce_state(layered6, layered6_state)), layered6)
    # d_a = w_a u_a: each agent's coordinates depend on its own marginal only, α u = (1/10, 1/20) per agent
    assert r"\frac{\partial y'}{\partial w} &= I_{6} \otimes \begin{pmatrix} 0.1 \\ 0.05 \end{pmatrix}" in red
    assert r"\frac{\partial w'}{\partial w} &= 0" in red


def test_jacobian_blocks_accepts_sparse(layered6, layered6_state):
    import scipy.sparse as sps

    from geo_sym.maps.jacobian import numeric_jacobian

    dense = numeric_jacobian(layered6, layered6_state).dense()
    assert jacobian_blocks_latex(sps.csr_matrix(dense), layered6) == jacobian_blocks_latex(dense, layered6)


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda e: jacobian_blocks_latex(np.zeros((5, 5)), e), ShapeError, "square Jacobian of size 12"),
        (lambda e: jacobian_blocks_latex(np.zeros((12, 11)), e), ShapeError, "J"),
        (lambda e: charpoly_latex(sp.Poly(lam * S("mu"), lam, S("mu"))), ValidationError, "univariate"),
        (lambda e: charpoly_latex(lam * S("mu")), ValidationError, "exactly one symbol"),
        (lambda e: charpoly_latex(sp.exp(lam), lam), ValidationError, "polynomial in lambda"),
        (lambda e: GeoSymLatexPrinter(e, {"path_labels": "short"}), ValidationError, "path_labels"),
        (lambda e: GeoSymLatexPrinter(e, {"float_digits": 0}), ValidationError, "float_digits"),
        (lambda e: latex(object()), TypeError, "cannot print"),
        (lambda e: matrix_latex(np.zeros((0, 0))), ShapeError, "non-empty"),
    ],
)
def test_errors(two, call, exc, match):
    with pytest.raises(exc, match=match):
        call(two)


# ----------------------------------------------------------------------------- compilation
def _document(fragments: list[str]) -> str:
    body = "\n\n".join(fragments)
    return "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body + "\n\\end{document}\n"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex is not installed (apt-get install "
    "texlive-latex-base texlive-latex-recommended); the compile test needs it",
)
def test_every_fragment_compiles_with_pdflatex(
    tmp_path, two, two_state, two_exact, weird, chain3, layered6, layered6_state
):
    from geo_sym.maps.jacobian import numeric_jacobian

    A, K = weird.A, weird.K
    codes = np.zeros((A, K), dtype=np.int8)
    codes[0, 0], codes[2, 1], codes[1, :] = -1, 1, 2  # lower bound, upper bound, ball sphere
    weird_branch = ActiveSet(codes, np.zeros((A, K), bool), None, None)
    codes2 = np.zeros((4, 1), dtype=np.int8)
    codes2[1, 0] = 1
    pos = np.ones((4, 1), dtype=bool)
    pos[2, 0] = False
    two_branch = ActiveSet(codes2, np.zeros((4, 1), bool), pos, np.zeros((4, 1), bool))
    d = lambda s: "\\[\n" + s + "\n\\]"
    fragments = [
        economy_latex(two),
        economy_latex(weird),
        economy_latex(chain3),
        economy_latex(layered6),
        d(map_latex(two)),
        d(map_latex(two, two_branch)),
        d(map_latex(weird)),
        d(map_latex(weird, weird_branch)),
        d(map_latex(chain3)),
        d(map_latex(layered6)),
        d(map_latex(layered6, max_concrete=4)),
        d(jacobian_blocks_latex(two_exact, two)),
        d(jacobian_blocks_latex(two_exact.tangent_jacobian, two)),
        d(jacobian_blocks_latex(two_exact.jacobian, two, max_entry_chars=None)),
        d(jacobian_blocks_latex(numeric_jacobian(layered6, layered6_state), layered6)),
        d(charpoly_latex(two_exact.charpoly())),
        d(charpoly_latex(sp.Poly(lam**2 - lam / 2, lam))),
        d(matrix_latex(np.arange(144.0).reshape(12, 12) / 7)),
        d(latex(S("pinew_0") ** 2 + S("y_new_1_1") ** 3 + S("p_0_0"), weird)),
        "$" + path_legend_latex(weird) + "$",
    ]
    tex = tmp_path / "fragments.tex"
    tex.write_text(_document(fragments), encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (tmp_path / "fragments.log").read_text(errors="replace") if (tmp_path / "fragments.log").exists() else ""
    errors = [ln for ln in log.splitlines() if ln.startswith("!")]
    assert run.returncode == 0 and not errors, "\n".join(errors) or run.stdout[-2000:]
    assert (tmp_path / "fragments.pdf").exists()
    assert not re.search(r"Missing character", log)
