"""The exact symbolic backend against the numeric one, against SymPy's own differentiation and by hand.

* ``SymbolicMap.lambdify()`` (value and Jacobian) vs ``numeric_jacobian`` on seeded random
  economies (all map / mechanism / revenue / production-set / SLO combinations, general DAGs);
* the stage-wise Jacobian vs ``sympy.Matrix.jacobian`` of the fully expanded map;
* ``exact_jacobian(...).numeric()`` vs ``numeric_jacobian`` to 1e-10;
* a 2-agent exact Jacobian worked out by hand, and its characteristic polynomial;
* ``ExactJacobian.charpoly()`` vs ``np.poly`` of the numeric tangent eigenvalues.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.spec import Economy
from geo_sym.economy.state import State, tangent_chart
from geo_sym.maps.core import evaluate_map
from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues
from geo_sym.maps.symbolic import SymbolicMap, exact_jacobian, state_symbols

R = sp.Rational
E = sp.exp

CONFIGS = [
    ("simultaneous", "tatonnement", "old"),
    ("simultaneous", "linear", "old"),
    ("sequential", "linear", "old"),
    ("sequential", "linear", "new"),
    ("sequential", "tatonnement", "old"),
    ("sequential", "tatonnement", "new"),
]
DAGS = ("empty", "chain", "diamond", "layered", "random")
GRID = [(cfg, sets, slo) for cfg in CONFIGS for sets in ("box", "ball", "mixed") for slo in (False, True)]


def grid_id(c):
    (m, mech, rev), sets, slo = c
    return f"{m[:3]}-{mech[:3]}-{rev}-{sets}-{'slo' if slo else 'noslo'}"


def exactly_zero(expr) -> bool:
    return sp.expand(sp.numer(sp.together(sp.sympify(expr)))) == 0


def n30(v) -> float:
    return float(sp.N(v, 30))


# ----------------------------------------------------------------------------- lambdify vs numeric
@pytest.mark.parametrize("case", GRID, ids=grid_id)
def test_lambdify_matches_numeric_jacobian(gen, case):
    (m, mech, rev), sets, slo = case
    k = GRID.index(case)
    _, econ, st, fst = gen.make_case(7000 + k, m, mech, rev, sets, slo, dag=DAGS[k % len(DAGS)], max_paths=8)
    active = evaluate_map(econ, st).active
    sm = SymbolicMap(econ, active)
    f = sm.lambdify()
    value, J = f(fst.flat())
    nj = numeric_jacobian(econ, fst)
    np.testing.assert_allclose(value, nj.value, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(J, nj.dense(), rtol=1e-10, atol=1e-11)
    g = sm.lambdify(jacobian=False)
    np.testing.assert_allclose(g(fst.flat()), nj.value, rtol=1e-12, atol=1e-12)
    assert "y_0_0" in f.__doc__
    # exact evaluation of the same expressions reproduces the exact map
    ex = evaluate_map(econ, st)
    np.testing.assert_allclose([n30(v) for v in sm.value_at(st)], gen.floats(ex.state.flat()), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("case", GRID[::2], ids=grid_id)
def test_stage_invariant_and_expanded_jacobian(gen, case):
    """Stages only use earlier stages; the stage-wise Jacobian equals SymPy's Jacobian of the expanded map."""
    (m, mech, rev), sets, slo = case
    k = GRID.index(case)
    _, econ, st, _ = gen.make_case(
        8000 + k, m, mech, rev, sets, slo, dag=DAGS[k % len(DAGS)], A=1 + k % 3, K=1 + k % 2, max_paths=3
    )
    sm = SymbolicMap(econ, evaluate_map(econ, st).active)
    known = set(sm.x)
    for s, e in sm.stages:
        assert e.free_symbols <= known, s
        known.add(s)
    expanded = sm.expanded()
    assert all(set(e.free_symbols) <= set(sm.x) for e in map(sp.sympify, expanded))
    point = dict(zip(sm.x, st.flat()))
    # value
    ev = [n30(sp.sympify(e).xreplace(point)) for e in expanded]
    np.testing.assert_allclose(ev, gen.floats(evaluate_map(econ, st).state.flat()), rtol=1e-14, atol=1e-15)
    # Jacobian: SymPy differentiates the expanded expressions directly
    J_ref = sp.Matrix([sp.sympify(e) for e in expanded]).jacobian(sm.x).xreplace(point)
    J_stage = sm.jacobian_at(st)
    np.testing.assert_allclose(
        np.array(J_stage.evalf(30).tolist(), dtype=float),
        np.array(J_ref.evalf(30).tolist(), dtype=float),
        rtol=1e-20,
        atol=1e-25,
    )


@pytest.mark.parametrize("case", GRID, ids=grid_id)
def test_exact_jacobian_numeric_matches(gen, case):
    (m, mech, rev), sets, slo = case
    k = GRID.index(case)
    _, econ, st, fst = gen.make_case(
        9000 + k,
        m,
        mech,
        rev,
        sets,
        slo,
        dag=DAGS[(k + 2) % len(DAGS)],
        A=1 + k % 4,
        K=1 + k % 3 if k % 3 < 2 else 1,
        max_paths=4,
    )
    ej = exact_jacobian(econ, st)
    nj = numeric_jacobian(econ, fst)
    np.testing.assert_allclose(ej.numeric(), nj.dense(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose([n30(v) for v in ej.value], nj.value, rtol=1e-13, atol=1e-14)
    # the exact rows of the y block are exact numbers (rationals, or algebraic on a sphere)
    AK = econ.A * econ.K
    assert all(v.is_number for v in ej.jacobian[:AK, :])
    if econ.all_boxes and mech == "tatonnement" and not slo:
        assert all(isinstance(v, sp.Rational) for v in ej.jacobian[: 2 * AK, :])
    # tangent restriction T⁺ J T, by the chart's index arithmetic and by matrix products
    Tp, T = tangent_chart(econ).exact()
    assert Tp * T == sp.eye(T.shape[1])
    assert ej.tangent_jacobian == Tp * ej.jacobian * T


# ----------------------------------------------------------------------------- by hand
def test_exact_jacobian_two_parallel_agents_by_hand():
    """Φ and DΦ of the economy of ``test_maps.test_two_parallel_agents_by_hand``, entry by entry."""
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [2], "box": [[-1, 1]]}],
            "edges": [],
            "parameters": {"alpha": "1/2", "beta": "1/4", "tau": 2},
        }
    )
    st = State(
        np.array([[R(1, 2)], [R(1, 3)]], dtype=object),
        np.array([[R(1, 3)], [R(2, 3)]], dtype=object),
        np.array([R(1, 4), R(3, 4)], dtype=object),
    )
    # order of x: (y0, y1, p0, p1, π0, π1)
    # y'_a = y_a + α(π_a u_a - y_a): ∂/∂y_a = 1/2, ∂y'_0/∂π_0 = α u_0 = 1/2, ∂y'_1/∂π_1 = α u_1 = 1
    Jy = [[R(1, 2), 0, 0, 0, R(1, 2), 0], [0, R(1, 2), 0, 0, 0, 1]]
    # p' = q / Σq with Σq = 59/48, p' = (13/59, 46/59): ∂p'_i/∂q_j = (δ_ij - p'_i) · 48/59
    S = R(48, 59)
    D = sp.Matrix([[(1 - R(13, 59)) * S, -R(13, 59) * S], [-R(46, 59) * S, (1 - R(46, 59)) * S]])
    assert D == sp.Matrix([[R(2208, 3481), R(-624, 3481)], [R(-2208, 3481), R(624, 3481)]])
    # q = p + β(π∘u - y): ∂q/∂y = -1/4 I, ∂q/∂p = I, ∂q/∂π = diag(β u) = diag(1/4, 1/2)
    Jp = D * sp.Matrix.hstack(-R(1, 4) * sp.eye(2), sp.eye(2), sp.diag(R(1, 4), R(1, 2)))
    # π' = softmax(-c/τ), c = (p0 y0, p1 y1): ∂π'/∂c = -(diag π' - π'π'ᵀ)/τ = -(π0' π1'/2) [[1, -1], [-1, 1]]
    e0, e1 = E(R(-1, 12)), E(R(-1, 9))
    pi0, pi1 = e0 / (e0 + e1), e1 / (e0 + e1)
    C = -(pi0 * pi1 / 2) * sp.Matrix([[1, -1], [-1, 1]])
    # ∂c/∂y = diag(p) = diag(1/3, 2/3), ∂c/∂p = diag(y) = diag(1/2, 1/3), ∂c/∂π = 0
    Jpi = C * sp.Matrix.hstack(sp.diag(R(1, 3), R(2, 3)), sp.diag(R(1, 2), R(1, 3)), sp.zeros(2, 2))
    J_hand = sp.Matrix.vstack(sp.Matrix(Jy), Jp, Jpi)

    ej = exact_jacobian(econ, st)
    assert ej.jacobian.shape == (6, 6)
    assert ej.jacobian[:4, :] == J_hand[:4, :]  # rational rows: exact equality
    for i in range(4, 6):
        for j in range(6):
            assert exactly_zero(ej.jacobian[i, j] - J_hand[i, j]), (i, j)
    assert [ej.value[k] for k in range(4)] == [R(3, 8), R(11, 12), R(13, 59), R(46, 59)]
    assert exactly_zero(ej.value[4] - pi0) and exactly_zero(ej.value[5] - pi1)

    # charpoly of the tangent Jacobian: both simplex blocks add an exact 0 eigenvalue to DΦ
    # (their output rows sum to zero), so det(λI - DΦ) = λ² · charpoly_tangent(λ).
    lam = sp.Symbol("lambda")
    cp = ej.charpoly()
    assert cp.degree() == 4  # 2 (y) + 1 (p) + 1 (π)
    full = J_hand.charpoly(lam).as_expr()
    diff = sp.expand(full - lam**2 * cp.as_expr())
    for coeff in sp.Poly(diff, lam).all_coeffs():
        assert exactly_zero(coeff)


def test_charpoly_on_the_sphere_branch():
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [2, 2], "ball": {"center": [0, 0], "radius": 1}}],
            "parameters": {"alpha": "1/2", "beta": "1/2", "tau": 1},
        }
    )
    st = State(
        np.array([[R(0), R(0)]], dtype=object),
        np.array([[R(1, 2), R(1, 2)]], dtype=object),
        np.array([R(1)], dtype=object),
    )
    # v = (y + d)/2 = (1, 1), |v| = √2 > 1 → y' = v/√2; ∂y'/∂y = (1/2)(I - nnᵀ)/√2 = (√2/8)[[1,-1],[-1,1]]
    # q = p + (d - y)/2 = (3/2, 3/2), Σq = 3, p' = (1/2, 1/2): ∂p'_0/∂y_0 = (1/3)(1/2)(-1/2) = -1/12;
    # in the tangent coordinate (1, -1) of p: ∂p'/∂p = 1/3.  Tangent Jacobian (y0, y1, p):
    T_hand = sp.Matrix(
        [[sp.sqrt(2) / 8, -sp.sqrt(2) / 8, 0], [-sp.sqrt(2) / 8, sp.sqrt(2) / 8, 0], [R(-1, 12), R(1, 12), R(1, 3)]]
    )
    ej = exact_jacobian(econ, st)
    assert (ej.tangent_jacobian - T_hand).applyfunc(sp.simplify) == sp.zeros(3, 3)
    # eigenvalues 0, √2/4 and 1/3: charpoly λ³ - (√2/4 + 1/3) λ² + (√2/12) λ
    lam = sp.Symbol("lambda")
    expected = lam**3 - (sp.sqrt(2) / 4 + R(1, 3)) * lam**2 + sp.sqrt(2) / 12 * lam
    cp = ej.charpoly()
    assert sp.expand(cp.as_expr() - expected) == 0


# ----------------------------------------------------------------------------- charpoly vs numeric
CHAR_CASES = [(cfg, sets, slo) for cfg in CONFIGS for sets in ("box",) for slo in (False, True)]


@pytest.mark.parametrize("case", CHAR_CASES, ids=grid_id)
def test_charpoly_matches_numeric_eigenvalues(gen, case):
    (m, mech, rev), sets, slo = case
    k = CHAR_CASES.index(case)
    A = 1 + k % 3
    _, econ, st, fst = gen.make_case(
        6000 + k, m, mech, rev, sets, slo, dag=DAGS[k % len(DAGS)], A=A, K=1 + (k // 3) % 2 if A < 3 else 1, max_paths=3
    )
    ej = exact_jacobian(econ, st)
    cp = ej.charpoly()
    tangent_dim = 2 * econ.A * econ.K - (1 if econ.prices_on_simplex else 0) + econ.n_paths - 1
    assert cp.degree() == tangent_dim
    coeffs = np.array([n30(c) for c in cp.all_coeffs()])
    ev = tangent_eigenvalues(econ, numeric_jacobian(econ, fst))
    assert ev.size == tangent_dim
    ref = np.real_if_close(np.poly(ev), tol=1e6)
    np.testing.assert_allclose(coeffs, ref, rtol=1e-8, atol=1e-12)
    assert coeffs[0] == 1.0


def test_charpoly_with_routing_on_a_diamond(gen):
    # several paths: the charpoly is taken in QQ[π'] then the exact π' values are substituted
    _, econ, st, fst = gen.make_case(
        4242, "simultaneous", "tatonnement", "old", "box", False, dag="diamond", A=4, K=1, max_paths=2
    )
    assert econ.n_paths == 2
    cp = exact_jacobian(econ, st).charpoly()
    ev = tangent_eigenvalues(econ, numeric_jacobian(econ, fst))
    np.testing.assert_allclose([n30(c) for c in cp.all_coeffs()], np.real(np.poly(ev)), rtol=1e-8, atol=1e-12)
    # the routing entries really are there (the charpoly involves exp of rationals)
    assert any(c.has(sp.exp) for c in cp.all_coeffs())


def test_symbolic_state_needs_active_set_and_keeps_symbols():
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [1], "box": [[0, 1]]}],
            "edges": [["a", "b"]],
            "parameters": {"alpha": "1/2", "beta": 1, "tau": 1},
        }
    )
    st = State(
        np.array([[R(1, 3)], [R(1, 4)]], dtype=object),
        np.array([[R(1, 2)], [R(1, 2)]], dtype=object),
        np.array([R(1)], dtype=object),
    )
    sm = SymbolicMap(econ, evaluate_map(econ, st).active)
    assert [str(s) for s in sm.x] == ["y_0_0", "y_1_0", "p_0_0", "p_1_0", "pi_0"]
    exp = [sp.sympify(e) for e in sm.expanded()]
    y0, y1, p0, p1, pi0 = sm.x
    # free branch: y'_a = y_a + (π_0 - y_a)/2 exactly
    assert sp.expand(exp[0] - (y0 + (pi0 - y0) / 2)) == 0
    # q_a = p_a + (π_0 - y_a); p'_0 = q_0 / (q_0 + q_1)
    q0, q1 = p0 + pi0 - y0, p1 + pi0 - y1
    assert exactly_zero(exp[2] - q0 / (q0 + q1))
    assert sp.powsimp(exp[4]) == 1  # one path: π' = 1


# ----------------------------------------------------------------------------- §7: policy and shocks in the symbolic layer
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_symbolic_policy_and_shocks_match_numeric(gen, seed):
    cases = [
        ("sequential", "linear", "old"),
        ("sequential", "tatonnement", "new"),
        ("simultaneous", "tatonnement", "old"),
    ]
    m, mech, rev = cases[seed % len(cases)]
    econ, st, fst, chans = gen.make_policy_case(100 + seed, m, mech, rev, dag=DAGS[seed % len(DAGS)], max_paths=4)
    rule = econ.taylor
    active = evaluate_map(econ, st, policy=rule).active
    sm = SymbolicMap(econ, active, rule, chans)
    value, J = sm.lambdify()(fst.flat())
    nj = numeric_jacobian(econ, fst, policy=rule, shock_channels=chans)
    np.testing.assert_allclose(value, nj.value, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(J, nj.dense(), rtol=1e-10, atol=1e-11)
    ej = exact_jacobian(econ, st, policy=rule, shock_channels=chans)
    SJ = np.array(ej.shock_jacobian.evalf(30).tolist(), dtype=float)
    np.testing.assert_allclose(SJ, nj.shock_jacobian, rtol=1e-10, atol=1e-11)
    np.testing.assert_allclose(ej.numeric(), nj.dense(), rtol=1e-10, atol=1e-11)
    # the stages of the rule: aggregates and weights, before the costs
    names = [str(s).rsplit("_", 1)[0] for s, _ in sm.stages]
    assert "agg" in names and "lam" in names and names.index("lam") < names.index("c")


def _one_agent(**extra):
    data = {
        "agents": [{"name": "a", "demand": [1, "1/2"], "box": [[0, 2], [0, 2]]}],
        "map": "sequential",
        "parameters": {"alpha": "1/2", "tau": 1},
        "price_mechanism": {"kind": "linear", "gamma": "1/2"},
        "metrics": {"names": ["latency", "quality"], "stats": 1},
        "slo": {"weights": {"latency": 1, "quality": 1}},
    }
    data.update(extra)
    return Economy.from_dict(data)


def test_exact_shock_jacobian_by_hand():
    """DΦ_ε of eq. (17) for one agent at y = (1/2, 1/4): y' = v = y + α(u − y) = (3/4, 3/8), p' = y'/2."""
    econ = _one_agent(
        shocks=[
            {"name": "spike", "kind": "latency", "agent": "a"},
            {"name": "qdrop", "kind": "quality", "agent": "a"},
            {"name": "metric", "kind": "metric", "agent": "a", "direction": ["1/3", -1]},
            {"name": "load", "kind": "load"},
            {"name": "fail", "kind": "failure", "agent": "a"},
        ]
    )
    st = State(
        np.array([[R(1, 2), R(1, 4)]], dtype=object),
        np.array([[R(1, 4), R(1, 8)]], dtype=object),
        np.array([R(1)], dtype=object),
    )
    ej = exact_jacobian(econ, st, shock_channels=econ.shock_channels)
    # ∂y'/∂ε: +r_lat, −r_qual, the direction, α w u (demand (1 + ε) u), −y' (production (1 − ε) y')
    dy = [(1, 0), (0, -1), (R(1, 3), -1), (R(1, 2), R(1, 4)), (-R(3, 4), -R(3, 8))]
    expected = sp.Matrix([[a for a, _ in dy], [b for _, b in dy]])
    assert ej.shock_jacobian[:2, :] == expected
    assert ej.shock_jacobian[2:4, :] == expected / 2  # p' = y'/2
    assert ej.shock_jacobian[4, :] == sp.zeros(1, 5)  # one path: π' = 1 whatever the shock


def test_taylor_rule_cost_derivatives_by_hand():
    """∂c/∂x of the economy of ``test_maps.test_taylor_rule_eq_18_19_by_hand`` (λ1 = 19/8, λ2 = 1)."""
    econ = Economy.from_dict(
        {
            "agents": [
                {"name": "a", "demand": [1, 0], "box": [[0, 1], [0, 1]]},
                {"name": "b", "demand": [0, 1], "box": [[0, 1], [0, 1]]},
            ],
            "parameters": {"alpha": "1/2", "beta": "1/2", "tau": 1},
            "slo": {"weights": {"latency": 2, "quality": "1/2"}, "readouts": {"latency": [1, 0], "quality": [0, 1]}},
            "taylor": {"phi_lat": 3, "phi_qual": 4, "targets": {"latency": "1/4", "quality": "1/2"}},
        }
    )
    q = R(1, 4)
    st = State(
        np.array([[R(1, 2), q], [q, R(1, 2)]], dtype=object),
        np.array([[q, q], [q, q]], dtype=object),
        np.array([R(1, 2), R(1, 2)], dtype=object),
    )
    active = evaluate_map(econ, st, policy=econ.taylor).active
    ys, ps, pis = (np.array(v, dtype=object) for v in state_symbols(econ))
    sym = State(ys.reshape(2, 2), ps.reshape(2, 2), pis)
    costs = evaluate_map(econ, sym, active, policy=econ.taylor).costs
    point = dict(zip(list(ys) + list(ps) + list(pis), st.flat()))
    c_a = costs[0]

    def d(var):
        return sp.diff(c_a, var).xreplace(point)

    # λ1 = 2 + 3(L − 1/4), L = Σ w lat; λ2 = 1/2 + 4(1/2 − Q), Q = Σ w qual; c_a = s_a + λ1 lat_a − λ2 qual_a
    assert d(ys[2]) == R(3, 4)  # y_{b,lat}: lat_a · φ_lat · w_b = 1/2 · 3 · 1/2
    assert d(ys[3]) == R(1, 2)  # y_{b,qual}: −qual_a · (−φ_qual w_b) = 1/4 · 4 · 1/2
    assert d(pis[1]) == R(7, 8)  # π_b: lat_a φ_lat lat_b + qual_a φ_qual qual_b = 3/8 + 1/2
    assert d(ys[0]) == R(27, 8)  # y_{a,lat}: p_{a,lat} + λ1 + lat_a φ_lat w_a = 1/4 + 19/8 + 3/4
    # the exact Jacobian agrees with the expanded routing block (the costs enter only through π')
    ej = exact_jacobian(econ, st, policy=econ.taylor)
    np.testing.assert_allclose(
        np.array(ej.jacobian.evalf(30).tolist(), dtype=float),
        numeric_jacobian(econ, st.to_float(), policy=econ.taylor).dense(),
        rtol=1e-12,
        atol=1e-14,
    )


def test_symbolic_parameters_for_region_work():
    """α and the Taylor coefficients as SymPy symbols (``dataclasses.replace``): one map, numbers substituted later."""
    import dataclasses

    from geo_sym.economy.policy import TaylorRule

    econ = _one_agent()
    a, fl, fq = sp.symbols("alpha phi_lat phi_qual", positive=True)
    sym_econ = dataclasses.replace(econ, alpha=a)
    rule = TaylorRule(fl, fq, R(3, 4), R(3, 8))
    st = State(
        np.array([[R(1, 2), R(1, 4)]], dtype=object),
        np.array([[R(1, 4), R(1, 8)]], dtype=object),
        np.array([R(1)], dtype=object),
    )
    active = evaluate_map(econ, st, policy=rule.with_coefficients(1, 1)).active
    res = evaluate_map(sym_econ, st, active, policy=rule)
    assert a in res.state.y[0, 0].free_symbols
    lam1 = res.policy_rates.lat  # λ1 = 1 + φ_lat (L − 3/4), L = 1/2
    assert sp.expand(lam1 - (1 + fl * (R(1, 2) - R(3, 4)))) == 0
    sm = SymbolicMap(sym_econ, active, rule)
    J = sm.jacobian_at(st).xreplace({a: R(1, 2), fl: 2, fq: 3})
    num = numeric_jacobian(econ, st.to_float(), policy=rule.with_coefficients(2, 3)).dense()
    np.testing.assert_allclose(np.array(J.evalf(30).tolist(), dtype=float), num, rtol=1e-12, atol=1e-14)


def test_symbolic_map_without_a_branch_is_the_interior_one():
    """``SymbolicMap(econ)`` (issue 14: no undocumented argument) is the map on the branch where nothing binds:
    the same stages and outputs as the branch read off a state where nothing binds."""
    from pathlib import Path

    import geo_sym as gs
    from geo_sym.maps.core import ActiveSet, evaluate_map
    from geo_sym.maps.symbolic import SymbolicMap

    ex = Path(__file__).resolve().parents[2] / "examples" / "economies"
    econ = gs.load_economy(ex / "two_by_two.yaml")
    state = gs.load_state(econ, ex / "two_by_two_state.json")
    read = evaluate_map(econ, state).active
    assert read.n_kinks == 0 and not read.y_codes.any()  # nothing binds at this state
    default, at_state = SymbolicMap(econ), SymbolicMap(econ, read)
    assert [str(s) for s in default.stages] == [str(s) for s in at_state.stages]
    assert [str(o) for o in default.outputs] == [str(o) for o in at_state.outputs]
    interior = ActiveSet.interior(econ)
    assert interior.n_kinks == 0 and interior.p_positive.all()  # the tâtonnement keeps every p + βz
