"""Exact characteristic polynomials in ℚ(t) (issue 15): checked against independent computations.

* the pre-issue-15 method (characteristic polynomial over ℚ[π'_1, …, π'_P], written out here) on
  tiny economies, exactly;
* ``sympy.Matrix.charpoly`` of the tangent Jacobian with ``t`` replaced by rational numbers (the
  result is an identity in ℚ(t), so it must hold at every ``t``);
* the Cayley–Hamilton identity ``p(J) = 0`` in ℚ(t), exactly;
* a one-agent economy worked out by hand: ``(λ − (1 − α))^{free} λ^{clamped} (λ − 1/Σq)^{K−1}``;
* the zeros added by the full state, ``P − 1 − rank(M T_π)``, with the rank computed independently;
* the algebra of :mod:`geo_sym.maps.charpoly_kt` and :mod:`geo_sym.maps.charpoly_blocks` on matrices built here (block split, Bareiss,
  deflation of the ``t``-free part) against SymPy's determinant and characteristic polynomial.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.polyclasses import DMP

from geo_sym.economy.spec import Economy
from geo_sym.economy.state import State, tangent_chart
from geo_sym.maps.charpoly import MAX_T_DEGREE, exact_charpoly, routing_generator
from geo_sym.maps.charpoly_blocks import block_pieces, strong_blocks
from geo_sym.maps.charpoly_kt import OutsideKt, TField
from geo_sym.maps.symbolic import exact_jacobian

R = sp.Rational
LAM = sp.Symbol("lambda")
T = sp.Symbol("T")


# ----------------------------------------------------------------------------------------- helpers
def _stage_tangent(ej):
    """``T⁺ J T`` with the new routing π' left as symbols (every other stage value substituted)."""
    sym = ej.symbolic
    econ = sym.econ
    pis = list(sym.outputs[2 * econ.A * econ.K :])
    keep = set(pis)
    partial = {k: v for k, v in ej._values.items() if k not in keep}
    Tp, Tm = tangent_chart(econ).exact()
    return Tp * sym.jacobian().xreplace(partial) * Tm, pis


def legacy_charpoly(ej):
    """The characteristic polynomial over ℚ[π'_1, …, π'_P] (one variable per path), π' left symbolic."""
    Jp, pis = _stage_tangent(ej)
    gens = [s for s in pis if any(s in e.free_symbols for e in Jp)]
    dom = QQ[tuple(gens)] if gens else QQ
    return [dom.to_sympy(c) for c in DomainMatrix.from_Matrix(Jp).convert_to(dom).charpoly()]


def pi_in_t(ej):
    """``(g, {π'_j: T^{k_j} / Σ_i T^{k_i}})`` read off the exact values ``exp(e_j) / Σ_i exp(e_i)``."""
    sym = ej.symbolic
    pis = list(sym.outputs[2 * sym.econ.A * sym.econ.K :])
    exps = []
    for s in pis:
        v = ej._values[s]
        factors = [a for a in sp.Mul.make_args(v) if isinstance(a, sp.exp)]
        exps.append(factors[0].args[0] if factors else sp.Integer(0))
    e0 = min(exps)
    diffs = [e - e0 for e in exps if e != e0]
    if not diffs:
        return None, {s: ej._values[s] for s in pis}
    den = int(sp.ilcm(*[d.q for d in diffs], 1))
    g = R(int(sp.igcd(*[int(d * den) for d in diffs], 0)), den)
    ks = [int((e - e0) / g) for e in exps]
    if max(ks) > MAX_T_DEGREE:  # too large to expand here: the caller checks the fallback
        return g, None
    total = sum(T**k for k in ks)
    # the values must be exactly these: exp(e_j)/Σ exp(e_i) = T^{k_j}/Σ T^{k_i} with T = exp(g)
    for s, k in zip(pis, ks):
        assert abs(sp.N(ej._values[s] - (T**k / total).xreplace({T: sp.exp(g)}), 50)) < 1e-45
    return g, {s: T**k / total for s, k in zip(pis, ks)}


def tangent_in_t(ej):
    Jp, _ = _stage_tangent(ej)
    g, sub = pi_in_t(ej)
    return g, None if sub is None else Jp.xreplace(sub).applyfunc(sp.cancel)


def assert_fallback_matches_numerically(ej, cp):
    """Path values with large denominators: ``t`` would need a huge degree, so one variable per path is used."""
    assert cp.g is None and "per path" in cp.method and "degree" in cp.notes[0]
    J = np.array(ej.tangent_jacobian.evalf(40).tolist(), dtype=float)
    got = np.array([float(sp.N(c, 40)) for c in cp.as_poly().all_coeffs()])
    assert np.allclose(got, np.poly(np.linalg.eigvals(J)).real, atol=1e-9)


def coefficients_in_T(cp):
    return [
        n.as_expr().xreplace({cp.t_symbol: T}) / d.as_expr().xreplace({cp.t_symbol: T}) for n, d in cp.coefficients_t()
    ]


def case(gen, seed, **kw):
    _, econ, st, _ = gen.make_case(seed, **kw)
    return econ, st


SMALL = [
    dict(map_kind="simultaneous", mech="tatonnement", dag="empty", A=2, K=1),
    dict(map_kind="simultaneous", mech="tatonnement", dag="diamond", A=3, K=1),
    dict(map_kind="sequential", mech="linear", dag="chain", A=2, K=2),
    dict(map_kind="sequential", mech="tatonnement", seq_rev="new", dag="empty", A=3, K=1),
    dict(map_kind="simultaneous", mech="linear", dag="layered", A=3, K=1, slo=True),
    dict(map_kind="simultaneous", mech="tatonnement", dag="random", A=3, K=1, slo=True),
]


# ----------------------------------------------------------------------------------------- against other methods
@pytest.mark.parametrize("k", range(len(SMALL)))
def test_equals_the_charpoly_over_one_variable_per_path(gen, k):
    econ, st = case(gen, 900 + k, max_paths=3, **SMALL[k])
    ej = exact_jacobian(econ, st)
    cp = exact_charpoly(ej)
    g, sub = pi_in_t(ej)
    if g is not None and sub is None:
        assert_fallback_matches_numerically(ej, cp)
        return
    old = legacy_charpoly(ej)
    assert cp.g == g
    new = coefficients_in_T(cp)
    assert len(old) == len(new) == cp.dimension + 1
    for a, b in zip(old, new):
        assert sp.cancel(a.xreplace(sub) - b) == 0


@pytest.mark.parametrize("k", range(len(SMALL)))
def test_equals_sympy_charpoly_with_numbers_for_t(gen, k):
    econ, st = case(gen, 1900 + k, max_paths=6, **SMALL[k])
    ej = exact_jacobian(econ, st)
    cp = exact_charpoly(ej)
    g, Jt_T = tangent_in_t(ej)
    if g is not None and Jt_T is None:
        assert_fallback_matches_numerically(ej, cp)
        return
    if g is None:  # one path, or all path values equal: the Jacobian is rational
        assert cp.g is None and all(v.is_Rational for v in ej.tangent_jacobian)
        assert cp.as_poly().all_coeffs() == ej.tangent_jacobian.charpoly(LAM).all_coeffs()
        return
    assert g == cp.g
    coeffs = coefficients_in_T(cp)
    for t0 in (R(2), R(3, 2), R(7, 3)):
        expected = Jt_T.xreplace({T: t0}).charpoly(LAM).all_coeffs()
        assert [c.xreplace({T: t0}) for c in coeffs] == expected


def test_two_by_two_example_equals_the_charpoly_over_one_variable_per_path():
    from geo_sym.economy.spec import load_economy
    from geo_sym.economy.state import load_state

    root = __import__("pathlib").Path(__file__).resolve().parents[2] / "examples" / "economies"
    econ = load_economy(root / "two_by_two.yaml")
    ej = exact_jacobian(econ, load_state(econ, root / "two_by_two_state.json"))
    cp = exact_charpoly(ej)
    g, sub = pi_in_t(ej)
    assert cp.g == g and econ.n_paths == 4
    for a, b in zip(legacy_charpoly(ej), coefficients_in_T(cp), strict=True):
        assert sp.cancel(a.xreplace(sub) - b) == 0


def test_cayley_hamilton_exactly_in_Qt():
    econ, st = _cayley_hamilton_economy()
    ej = exact_jacobian(econ, st)
    cp = exact_charpoly(ej)
    assert cp.g is not None and cp.dimension == 4
    g, J = tangent_in_t(ej)
    assert g == cp.g
    coeffs = coefficients_in_T(cp)
    P = sp.zeros(4, 4)
    for c in coeffs:  # Horner: p(J) = ((J + c1) J + c2) J + ...
        P = P * J + c * sp.eye(4)
    assert P.applyfunc(sp.cancel) == sp.zeros(4, 4)


# ----------------------------------------------------------------------------------------- by hand
def _one_agent():
    """One agent, K = 3, P = 1, α = 1/5, β = 1/2 at a rational state (derivation in the next test)."""
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1, 2, "1/2"], "box": [[0, 1], [0, 1], [0, 1]]}],
            "parameters": {"alpha": "1/5", "beta": "1/2", "tau": 1},
        }
    )
    st = State(
        np.array([[R(1, 2), R(1), R(1, 4)]], dtype=object),
        np.array([[R(1, 3), R(1, 3), R(1, 3)]], dtype=object),
        np.array([R(1)], dtype=object),
    )
    return econ, st


def test_one_agent_factors_by_hand():
    """One agent, K = 3, no routing choice (P = 1): the tangent Jacobian is block lower triangular.

    y' = Proj(y + α(u − y)): free coordinates give 1 − α, a clamped one 0. With q = p + β(u − y) > 0
    and p' = q / Σq, on sum-zero directions v: ∂p'/∂p v = (v − p' Σv)/Σq = v/Σq, so 1/Σq with
    multiplicity K − 1 = 2. Here α = 1/5, β = 1/2, u = (1, 2, 1/2), y = (1/2, 1, 1/4), box [0, 1]³:
    y + α(u − y) = (3/5, 6/5, 3/10): the second coordinate is clamped at 1.
    Σq = 1 + β Σ(u − y) = 1 + (1/2)(7/4) = 15/8, so 1/Σq = 8/15.
    """
    cp = exact_charpoly(exact_jacobian(*_one_agent()))
    got = {sp.sstr(f.as_expr()): f.multiplicity for f in cp.factors}
    assert got == {"lambda - 4/5": 2, "lambda": 1, "lambda - 8/15": 2}
    assert cp.g is None and cp.dimension == 5 and cp.reduction_zeros == 0
    assert cp.as_poly() == sp.Poly((LAM - R(4, 5)) ** 2 * LAM * (LAM - R(8, 15)) ** 2, LAM, domain="QQ")


def test_zeros_added_by_the_full_state_match_an_independent_rank(gen):
    """2 × 2 layered DAG: four paths, marginals in a 2-dimensional tangent space, so 4 − 1 − 2 = 1 extra zero."""
    econ = Economy.from_dict(
        {
            "agents": [{"name": n, "demand": [1], "box": [[0, 1]]} for n in ("a1", "a2", "b1", "b2")],
            "edges": [["a1", "b1"], ["a1", "b2"], ["a2", "b1"], ["a2", "b2"]],
            "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 10},
        }
    )
    st = State(
        np.array([[R(1, 2)], [R(1, 4)], [R(1, 3)], [R(1, 5)]], dtype=object),
        np.array([[R(1, 4)]] * 4, dtype=object),
        np.array([R(1, 4)] * 4, dtype=object),
    )
    M = econ.graph.incidence().astype(float)
    P = M.shape[1]
    rank = np.linalg.matrix_rank(M[:, :-1] - M[:, -1:])
    cp = exact_charpoly(exact_jacobian(econ, st))
    assert cp.reduction_zeros == P - 1 - rank == 1
    assert cp.reduced_dimension == cp.dimension - 1
    # the full tangent charpoly computed by SymPy at t = 2 has that many zero roots at least
    _, J = tangent_in_t(exact_jacobian(econ, st))
    low = J.xreplace({T: 2}).charpoly(LAM).all_coeffs()[::-1]
    assert low[: cp.reduction_zeros] == [0] * cp.reduction_zeros


def test_routing_generator_finds_the_gcd_of_the_exponents():
    e = sp.exp
    den = e(R(1, 3)) + e(R(1, 2)) + 2 * e(R(2, 3))
    gen = routing_generator([e(R(1, 3)) / den, e(R(1, 2)) / den, 2 * e(R(2, 3)) / den])
    # exponents 1/3, 1/2, 2/3: differences 1/6, 1/3, so t = exp(1/6) and π' ∝ 1, t, 2 t²
    assert gen.g == R(1, 6)
    t = sp.Symbol("t")
    L = sp.Poly(gen.denominator.to_list(), t).as_expr()
    expected = [1, t, 2 * t**2]
    for n, x in zip(gen.numerators, expected):
        assert sp.cancel(sp.Poly(n.to_list(), t).as_expr() / L - x / (1 + t + 2 * t**2)) == 0
    with pytest.raises(ArithmeticError):
        routing_generator([e(sp.sqrt(2)) / (e(sp.sqrt(2)) + 1), 1 / (e(sp.sqrt(2)) + 1)])


# ----------------------------------------------------------------------------------------- the algebra
def _tfield():
    L = DMP([QQ(1), QQ(1), QQ(1)], QQ)  # t² + t + 1
    return TField(QQ, L, [DMP([QQ(1), QQ(0), QQ(0)], QQ), DMP([QQ(1), QQ(1)], QQ)])


def _element(expr, tf):
    """A rational function num/L^e (SymPy, in T) as a TField element."""
    num, den = sp.fraction(sp.cancel(expr))
    Ls = T**2 + T + 1
    e = 0
    while sp.rem(den, Ls, T) == 0 and sp.degree(den, T) > 0:
        den, e = sp.quo(den, Ls, T), e + 1
    assert den.is_number
    return (sp.Poly(num / den, T, domain=QQ).rep, e)


def _charpoly_of_pieces(pieces):
    Ls = T**2 + T + 1
    out = sp.Integer(1)
    for coeffs, E, _ in pieces:
        d = len(coeffs) - 1
        poly = sum(sp.Poly(c.to_list() or [0], T).as_expr() * LAM ** (d - k) for k, c in enumerate(coeffs))
        out *= poly / Ls**E
    return out


@pytest.mark.parametrize("seed", range(6))
def test_block_pieces_multiply_to_sympys_charpoly(seed):
    rng = np.random.default_rng(seed)
    Ls = T**2 + T + 1
    s, r = 5, 1 + seed % 3
    m = s - r
    B = sp.zeros(s, s)
    for i in range(s):
        for j in range(s):
            if rng.random() < 0.7:
                B[i, j] = R(int(rng.integers(-4, 5)), int(rng.integers(1, 4)))
    if seed % 2:  # a t-free part that the t rows neither reach nor see
        B[:m, m:] = sp.zeros(m, r)
        B[0, 1:m] = sp.zeros(1, m - 1)
        B[1:m, 0] = sp.zeros(m - 1, 1)
        B[0, m:] = sp.Matrix([[R(1, 2)] * r])
    for i in range(m, s):
        for j in range(s):
            B[i, j] = (B[i, j] * T**2 + int(rng.integers(-2, 3)) * T) / Ls**2
    if seed % 2:
        for i in range(m, s):
            B[i, 0] = 0
    tf = _tfield()
    entries = [[_element(B[i, j], tf) for j in range(s)] for i in range(s)]
    pieces = block_pieces(entries, tf)
    assert sp.cancel(_charpoly_of_pieces(pieces) - B.charpoly(LAM).as_expr()) == 0
    if seed % 2:
        assert any(kind != "block" for _, _, kind in pieces)


def test_strong_blocks_recover_a_permuted_block_triangular_form():
    tf = _tfield()
    one, zero = tf.const(QQ(1)), tf.zero
    # 0 <-> 2 form a cycle, 1 -> 0, 3 alone with a self-loop, 4 -> 3
    edges = {(0, 2), (2, 0), (1, 0), (3, 3), (4, 3)}
    Mx = [[one if (i, j) in edges else zero for j in range(5)] for i in range(5)]
    assert sorted(strong_blocks(Mx)) == [[0, 2], [1], [3], [4]]


def test_entries_outside_Kt_are_refused():
    tf = _tfield()
    with pytest.raises(OutsideKt):
        tf.from_expr(sp.exp(sp.Symbol("x")), {})


# ----------------------------------------------------------------------------------------- rigorous root disks
def _cayley_hamilton_economy():
    econ = Economy.from_dict(
        {
            "agents": [
                {"name": "a", "demand": [1], "box": [[0, 2]]},
                {"name": "b", "demand": ["1/2"], "box": [[0, 2]]},
            ],
            "parameters": {"alpha": "1/3", "beta": "1/4", "tau": "1/2"},
        }
    )
    st = State(
        np.array([[R(1, 2)], [R(1, 3)]], dtype=object),
        np.array([[R(1, 3)], [R(2, 3)]], dtype=object),
        np.array([R(1, 4), R(3, 4)], dtype=object),
    )
    return econ, st


def test_root_disks_hold_the_roots_found_by_mpmath_at_high_precision():
    pytest.importorskip("flint")
    import mpmath

    from geo_sym.rigorous.roots import enclose_roots

    econ, st = _cayley_hamilton_economy()
    cp = exact_charpoly(exact_jacobian(econ, st))
    enc = enclose_roots(cp)
    mpmath.mp.dps = 60
    t = mpmath.exp(mpmath.mpf(cp.g.p) / cp.g.q)
    for f, fr in zip(cp.factors, enc.factors, strict=True):
        assert fr.disks is not None and len(fr.disks) == f.degree
        tt = {f.poly.gens[1]: sp.Float(t, 60)}
        coeffs = [mpmath.mpf(sp.N((n.as_expr() / d.as_expr()).xreplace(tt), 60)) for n, d in f.coefficients_t()]
        for root in mpmath.polyroots(coeffs, maxsteps=200, extraprec=200) if f.degree > 1 else [-coeffs[1]]:
            inside = [d for d in fr.disks if abs(complex(root) - d.center) <= d.radius + 1e-30]
            assert len(inside) == 1
            assert abs(mpmath.mpc(root) - mpmath.mpc(inside[0].center)) <= inside[0].radius
            if inside[0].real:
                assert abs(mpmath.im(root)) < mpmath.mpf(10) ** -40


def test_root_disks_contain_the_hand_derived_rational_eigenvalues():
    pytest.importorskip("flint")
    from fractions import Fraction

    from geo_sym.rigorous.roots import enclose_roots

    cp = exact_charpoly(exact_jacobian(*_one_agent()))
    enc = enclose_roots(cp)
    found = {}
    for f, fr in zip(cp.factors, enc.factors):
        (d,) = fr.disks
        for exact in (Fraction(4, 5), Fraction(8, 15), Fraction(0)):
            if abs(Fraction(d.center.real) - exact) <= Fraction(d.radius) and d.center.imag == 0:
                found[exact] = f.multiplicity
    assert found == {Fraction(4, 5): 2, Fraction(8, 15): 2, Fraction(0): 1}
    lo, hi = enc.spectral_radius
    assert Fraction(lo) <= Fraction(4, 5) <= Fraction(hi)


def test_notebook_display_shows_the_factored_charpoly_and_t():
    econ, st = _cayley_hamilton_economy()
    cp = exact_charpoly(exact_jacobian(econ, st))
    tex = cp._repr_latex_()
    assert tex.startswith("$$") and r"\chi(\lambda) = " in tex and r"t = e^{\frac{" in tex
    assert repr(cp).startswith("ExactCharpoly(degree=4")


def test_tables_and_figure_of_the_spectrum():
    pytest.importorskip("flint")
    pytest.importorskip("pandas")
    from geo_sym.rigorous.roots import enclose_roots

    econ, st = _cayley_hamilton_economy()
    cp = exact_charpoly(exact_jacobian(econ, st))
    enc = enclose_roots(cp)
    frame = cp.to_frame()
    assert list(frame["degree"] * frame["multiplicity"]) and int((frame["degree"] * frame["multiplicity"]).sum()) == 4
    roots = enc.to_frame()
    assert len(roots) == sum(f.degree for f in cp.factors) and (roots["radius"] >= 0).all()
    fig = enc.plot()
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Re λ" and ax.get_ylabel() == "Im λ"


def test_with_the_taylor_rule_the_costs_see_the_marginals_and_the_result_still_matches():
    """With the SLO policy of eq. (18)-(19) the costs depend on w = Mπ, so J[:, π] is no longer zero;
    the reduction must still hold (checked exactly inside) and the result equal the per-path charpoly."""
    from geo_sym.economy.policy import TaylorRule

    econ = Economy.from_dict(
        {
            "agents": [
                {"name": "r", "demand": ["1/2", "1/2"], "box": [[0, 2], [0, 2]]},
                {"name": "w1", "demand": ["1/2", 1], "box": [[0, 2], [0, 2]]},
                {"name": "w2", "demand": [1, "3/4"], "box": [[0, 2], [0, 2]]},
            ],
            "edges": [["r", "w1"], ["r", "w2"]],
            "map": "sequential",
            "parameters": {"alpha": "1/2", "tau": "1/5"},
            "price_mechanism": {"kind": "linear", "gamma": "1/2"},
            "metrics": {"names": ["latency", "quality"], "stats": 1},
            "slo": {"weights": {"latency": 1, "quality": 1}},
        }
    )
    st = State(
        np.array([[R(1, 2), R(1, 3)], [R(1, 4), R(1, 2)], [R(1, 3), R(1, 5)]], dtype=object),
        np.array([[R(1, 4), R(1, 6)], [R(1, 8), R(1, 4)], [R(1, 6), R(1, 10)]], dtype=object),
        np.array([R(1, 3), R(2, 3)], dtype=object),
    )
    rule = TaylorRule(phi_lat=2, phi_qual=1, lat_target=R(1, 2), qual_target=R(1, 3))
    ej = exact_jacobian(econ, st, policy=rule)
    nz = 2 * econ.A * econ.K
    assert any(v != 0 for v in ej.jacobian[nz:, nz:])  # the routing rows see π through the rule
    cp = exact_charpoly(ej)
    g, sub = pi_in_t(ej)
    assert cp.g == g and not cp.notes
    for a, b in zip(legacy_charpoly(ej), coefficients_in_T(cp), strict=True):
        assert sp.cancel(a.xreplace(sub) - b) == 0
