"""The verifier's own machinery against independent facts: its exact Jacobians against central finite
differences of a float implementation of the maps written here, exact zero tests on identities, ‖G‖₂ in
closed form, algebraic eigenvalues of matrices with known spectra, and exact LPs."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hand_witnesses import one_linear

from proofs.verify.decide import exact_zero, precision, sign, to_arb
from proofs.verify.hypotheses import gamma_A, rate
from proofs.verify.maps import jacobian, map_value
from proofs.verify.reading import Algebraic, Failed, read_model, read_state
from proofs.verify.spectra import charpoly, check_algebraic_eigenvalue, compare_modulus, max_modulus_below

# A non-layered DAG a → b → c, a → c (paths (a, b, c) and (a, c)), K = 2, a ball agent, SLO terms.
RICH = {
    "name": "rich",
    "agents": [
        {"name": "a", "demand": ["1/2", "1/3"], "box": [[0, 1], [0, 1]]},
        {"name": "b", "demand": ["1/4", 1], "ball": {"center": ["1/10", 0], "radius": "1/2"}},
        {"name": "c", "demand": [1, "1/5"], "box": [["-1/2", 1], [0, 2]]},
    ],
    "edges": [["a", "b"], ["a", "c"], ["b", "c"]],
    "parameters": {"alpha": "3/10", "beta": "1/5", "tau": "3/2"},
    "slo": {"weights": {"latency": "1/3", "quality": "1/7"}, "readouts": {"latency": [1, 0], "quality": [0, 1]}},
}
STATE = {
    "y": [["1/2", "1/5"], ["1/5", "1/10"], ["1/3", "1/2"]],
    "p": [["1/10", "1/5"], ["1/10", "1/5"], ["1/5", "1/5"]],
    "pi": ["3/5", "2/5"],
}


def float_map(econ: dict, which: str, x: np.ndarray) -> np.ndarray:
    """Φ_K / T in floating point, written from claims.md §1 (independent of the verifier)."""
    A, K = 3, 2
    y, p, pi = x[: A * K].reshape(A, K), x[A * K : 2 * A * K].reshape(A, K), x[2 * A * K :]
    paths = [(0, 1, 2), (0, 2)]
    u = np.array([[0.5, 1 / 3], [0.25, 1.0], [1.0, 0.2]])
    alpha, beta, tau = 0.3, 0.2, 1.5
    w = np.array([sum(pi[j] for j, path in enumerate(paths) if a in path) for a in range(A)])
    d = w[:, None] * u
    v = y + alpha * (d - y)
    yn = v.copy()
    yn[0] = np.clip(v[0], 0, 1)
    yn[2] = np.clip(v[2], [-0.5, 0], [1, 2])
    c, r = np.array([0.1, 0.0]), 0.5
    n = np.linalg.norm(v[1] - c)
    if n > r:
        yn[1] = c + r * (v[1] - c) / n
    yref = yn if which == "sequential" else y
    if "price_mechanism" in econ:
        pn = (0.5 * yref.ravel()).reshape(A, K)
    else:
        q = np.maximum(0, p + beta * (d - yref))
        pn = q / q.sum()
    prev = pn if (which == "sequential" and econ.get("sequential_revenue") == "new") else p
    cost = (prev * yref).sum(axis=1) + (yref @ np.array([1 / 3, -1 / 7]))
    V = np.array([sum(cost[a] for a in path) for path in paths])
    z = np.exp(-(V - V.min()) / tau)
    return np.concatenate([yn.ravel(), pn.ravel(), z / z.sum()])


ECONOMIES = {
    "tatonnement": RICH,
    "linear": dict(RICH, price_mechanism={"kind": "linear", "gamma": "1/2"}),
    "linear-new-revenue": dict(RICH, price_mechanism={"kind": "linear", "gamma": "1/2"}, sequential_revenue="new"),
}


@pytest.mark.parametrize("which", ["simultaneous", "sequential"])
@pytest.mark.parametrize("name", sorted(ECONOMIES))
def test_exact_jacobian_matches_finite_differences_of_an_independent_float_map(name, which):
    econ = ECONOMIES[name]
    m = read_model(econ)
    st = read_state(m, STATE, "state")
    x = np.array([float(v) for v in st.flat()])
    value, kinks = map_value(m, which, st)
    assert not kinks
    assert np.allclose([float(v.evalf(30)) for v in value], float_map(econ, which, x), atol=1e-13)
    J = np.array([[float(e.evalf(30)) for e in row] for row in jacobian(m, which, st.flat(), "exact")])
    h = 1e-6
    fd = np.column_stack(
        [(float_map(econ, which, x + h * e) - float_map(econ, which, x - h * e)) / (2 * h) for e in np.eye(len(x))]
    )
    assert np.allclose(J, fd, atol=1e-8), np.abs(J - fd).max()


def test_ball_jacobian_encloses_the_exact_one():
    m = read_model(ECONOMIES["linear"])
    st = read_state(m, STATE, "state")
    exact = jacobian(m, "sequential", st.flat(), "exact")
    with precision(128):
        from proofs.verify.decide import arb_interval

        balls = jacobian(m, "sequential", [arb_interval(v, v) for v in st.flat()], "ball")
        assert all(b.contains(to_arb(e)) for rb, re in zip(balls, exact) for b, e in zip(rb, re))


# ============================================================================ exact decisions
@pytest.mark.parametrize(
    "expr,zero",
    [
        (sp.exp(sp.Rational(1, 3)) * sp.exp(sp.Rational(2, 3)) - sp.E, True),
        (1 / (1 + sp.exp(sp.Rational(1, 2))) + 1 / (1 + sp.exp(-sp.Rational(1, 2))) - 1, True),  # σ(a) + σ(−a) = 1
        ((1 + sp.sqrt(2)) ** 2 - 3 - 2 * sp.sqrt(2), True),
        (sp.sqrt(2) * sp.exp(sp.Rational(1, 5)) - sp.exp(sp.Rational(1, 5)) * sp.sqrt(2), True),
        (sp.exp(sp.Rational(1, 3)) - 1, False),
        (sp.sqrt(3) - sp.Rational(17, 10), False),
    ],
)
def test_exact_zero_on_identities(expr, zero):
    assert exact_zero(expr) is zero
    assert (sign(expr, "identity") == 0) is zero


def test_sign_by_balls_and_undecided():
    assert sign(sp.exp(sp.Rational(1, 10**6)) - 1, "tiny") == 1
    assert sign(sp.sqrt(2) - sp.Rational(141421356237, 10**11), "close") == 1
    with pytest.raises(Failed, match="undecided"):  # exp of an irrational: no exact zero test here
        sign(sp.exp(sp.sqrt(2)) * sp.exp(sp.sqrt(3)) - sp.exp(sp.sqrt(2) + sp.sqrt(3)), "Lindemann")


# ============================================================================ γ_A and λ
def test_gamma_a_is_the_largest_singular_value():
    # G = [[1, 1], [0, 1]]: GᵀG = [[1, 1], [1, 2]], eigenvalues (3 ± √5)/2, ‖G‖₂ = √((3 + √5)/2) = (1 + √5)/2
    econ = dict(one_linear(), agents=[{"name": "a", "demand": [1, 1], "box": [[0, 1], [0, 1]]}])
    econ["price_mechanism"] = {"kind": "linear", "G": [[1, 1], [0, 1]]}
    m = read_model(econ)
    assert sign(gamma_A(m) - (1 + sp.sqrt(5)) / 2, "γ_A − φ") == 0
    assert sign(rate(m) - (1 + sp.sqrt(5)) / 4, "λ") == 0  # (1 − 1/2)·φ·1/1
    econ["price_mechanism"] = {"kind": "linear", "G": [[0, -3], [0, 0]]}
    assert gamma_A(read_model(econ)) == 3
    assert gamma_A(read_model(one_linear(gamma="-2/3"))) == sp.Rational(2, 3)


# ============================================================================ spectra
def test_complex_eigenvalues_isolated_by_rectangles():
    chi = charpoly([[sp.Integer(0), sp.Integer(-1)], [sp.Integer(1), sp.Integer(0)]])  # x² + 1
    i_up = Algebraic((1, 0, 1), (sp.Rational(-1, 2), sp.Rational(1, 2)), (sp.Rational(1, 2), sp.Rational(3, 2)))
    check_algebraic_eigenvalue(i_up, chi)
    assert compare_modulus(i_up, sp.Rational(1, 2)) == 1 and compare_modulus(i_up, sp.Integer(2)) == -1
    with pytest.raises(Failed, match="0 roots"):
        check_algebraic_eigenvalue(Algebraic((1, 0, 1), (0, 1), (2, 3)), chi)
    with pytest.raises(Failed, match="2 roots"):
        check_algebraic_eigenvalue(Algebraic((1, 0, 1), (-1, 1), (-2, 2)), chi)
    # 2i is not an eigenvalue: x² + 4 is coprime to x² + 1
    with pytest.raises(Failed, match="not an eigenvalue"):
        check_algebraic_eigenvalue(Algebraic((1, 0, 4), (-1, 1), (1, 3)), chi)
    assert max_modulus_below(chi, sp.Rational(11, 10)) and not max_modulus_below(chi, sp.Rational(9, 10))


# ============================================================================ exact LPs
def test_linear_program_by_hand():
    from proofs.verify.linprog import LinearProgram

    # max x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6, x, y ≥ 0: vertex (8/5, 6/5), value 14/5
    lp = LinearProgram()
    x, y = lp.variable(), lp.variable()
    lp.le({x: 1, y: 2}, 4)
    lp.le({x: 3, y: 1}, 6)
    assert lp.maximize({x: 1, y: 1}) == ("optimal", sp.Rational(14, 5))
    # a free variable: max −z s.t. z ≥ −7/3 gives 7/3
    lp = LinearProgram()
    z = lp.variable(free=True)
    lp.ge({z: 1}, sp.Rational(-7, 3))
    assert lp.maximize({z: -1}) == ("optimal", sp.Rational(7, 3))
    assert lp.maximize({z: 1}) == ("unbounded", None)
    lp.eq({z: 1}, 5)
    lp.le({z: 1}, 4)
    assert lp.maximize({z: 1}) == ("infeasible", None)


def test_singular_mechanism_image_by_exact_lp():
    # two agents, Y = [0, 1], G = [[1, 1], [1, 1]], b = 0: A_K(ΠY) = {(s, s) : 0 ≤ s ≤ 2}
    from proofs.verify.economics import check_state_space

    econ = {
        "name": "singular",
        "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [1], "box": [[0, 1]]}],
        "edges": [["a", "b"]],
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "G": [[1, 1], [1, 1]]},
    }
    m = read_model(econ)
    check_state_space(m, read_state(m, {"y": [[0], [1]], "p": [["3/2"], ["3/2"]], "pi": [1]}, "s"), "s")
    with pytest.raises(Failed, match="A_K|G y"):
        check_state_space(m, read_state(m, {"y": [[0], [1]], "p": [[1], [2]], "pi": [1]}, "s"), "s")
    with pytest.raises(Failed, match="G y"):
        check_state_space(m, read_state(m, {"y": [[0], [1]], "p": [[3], [3]], "pi": [1]}, "s"), "s")


def test_linear_programs_agree_with_scipy_on_seeded_random_instances():
    # The certified exact simplex against SciPy's HiGHS (floating point) on 60 random small LPs,
    # degenerate and redundant rows included (the kind SymPy 1.14's simplex gets wrong).
    from scipy.optimize import linprog as highs

    from proofs.verify.linprog import LinearProgram

    rng = np.random.default_rng(7)
    statuses = set()
    for _ in range(60):
        m, n = rng.integers(1, 6), rng.integers(1, 5)
        A = rng.integers(-3, 4, size=(m, n))
        b = rng.integers(-2, 5, size=m)
        c = rng.integers(-3, 4, size=n)
        if rng.random() < 0.3:  # a duplicated row
            A, b = np.vstack([A, A[:1]]), np.append(b, b[0])
        lp = LinearProgram()
        xs = [lp.variable() for _ in range(n)]
        for row, bi in zip(A, b):
            lp.le({x: int(a) for x, a in zip(xs, row)}, int(bi))
        status, value = lp.maximize({x: int(ci) for x, ci in zip(xs, c)})
        ref = highs(-c, A_ub=A, b_ub=b, bounds=[(0, None)] * n, method="highs")
        expected = {0: "optimal", 2: "infeasible", 3: "unbounded"}[ref.status]
        assert status == expected, (A, b, c)
        if status == "optimal":
            assert abs(float(value) + ref.fun) < 1e-9
        statuses.add(status)
    assert statuses == {"optimal", "infeasible", "unbounded"}


def test_spectral_radius_bounds_when_eigenvalues_cluster():
    # diag(7/10) ⊕ an 8×8 nilpotent Jordan block, every entry widened by 10⁻²⁰: ρ = 7/10 for the centre;
    # Arb cannot isolate the perturbed 8-fold eigenvalue 0, the power bounds still bracket ρ
    import flint

    from proofs.verify.decide import precision
    from proofs.verify.spectra import EigenvaluesNotIsolated, eigenvalue_enclosures, spectral_radius_bounds

    noise = flint.arb(0, 1e-20)
    rows = [[noise for _ in range(9)] for _ in range(9)]
    rows[0][0] = flint.arb("0.7") + noise
    for i in range(1, 8):
        rows[i][i + 1] = 1 + noise
    with precision(128):
        lower, upper = spectral_radius_bounds(rows)
        assert lower > flint.arb("0.65") and lower < flint.arb("0.7") and upper > flint.arb("0.7")
        assert upper < flint.arb("0.71")
        with pytest.raises(EigenvaluesNotIsolated):
            eigenvalue_enclosures(lambda bits: rows, "cluster")


def test_lp_answers_without_a_valid_certificate_are_refused(monkeypatch):
    # a solver that lies: the certificate checks must catch each lie
    from fractions import Fraction

    from proofs.verify import linprog as L

    A, b, c = [[Fraction(1)]], [Fraction(1)], [Fraction(1)]  # max x s.t. x ≤ 1: optimum 1 at x = 1
    real = L._solve
    lies = {
        "suboptimal": lambda A_, b_, c_: ("optimal", [Fraction(1, 2)]) if c_ == c else real(A_, b_, c_),
        "infeasible": lambda A_, b_, c_: ("infeasible", None) if c_ == c else real(A_, b_, c_),
        "unbounded": lambda A_, b_, c_: ("unbounded", ([Fraction(0)], [Fraction(1)])),
    }
    assert L._certified(A, b, c) == ("optimal", Fraction(1))
    for fake in lies.values():
        monkeypatch.setattr(L, "_solve", fake)
        with pytest.raises(Failed, match="could not be certified"):
            L._certified(A, b, c)
        monkeypatch.setattr(L, "_solve", real)
