"""The maps Φ_K (eq. (10)–(12)) and the sequential map (eq. (13)), evaluated by hand in exact rationals.

Every expected value below is worked out in the comments with exact fractions and
compared exactly: rationals by equality, routing (``exp`` of rationals) by exact
cancellation of the difference to a zero numerator. Random economies then check
that the exact and the float backends agree.
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.policy import ShockChannel, TaylorRule, aggregate_metrics, shock_values, slo_weights
from geo_sym.economy.production import BRANCH_FREE, BRANCH_HI, BRANCH_LO, BRANCH_SPHERE
from geo_sym.economy.spec import Economy
from geo_sym.economy.state import State
from geo_sym.errors import DegenerateNormalizationError, ShapeError
from geo_sym.maps.core import ReducedState, apply_map, evaluate_map, evaluate_reduced, iterate_map, reduce_state

R = sp.Rational
E = sp.exp


def Q(x) -> sp.Rational:
    x = F(x)
    return R(x.numerator, x.denominator)


def exact_state(y, p, pi) -> State:
    A, K = len(y), len(y[0])
    return State(
        np.array([[Q(v) for v in r] for r in y], dtype=object).reshape(A, K),
        np.array([[Q(v) for v in r] for r in p], dtype=object).reshape(A, K),
        np.array([Q(v) for v in pi], dtype=object),
    )


def exactly_zero(expr) -> bool:
    """Decide ``expr == 0`` by exact cancellation (``together`` then expand the numerator)."""
    return sp.expand(sp.numer(sp.together(sp.sympify(expr)))) == 0


def assert_exact(got, expected):
    got = list(np.asarray(got, dtype=object).ravel())
    expected = list(np.asarray(expected, dtype=object).ravel())
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert exactly_zero(g - e), (g, e)


def softmax_exact(values, tau):
    """``π_j = exp(-V_j/τ) / Σ_i exp(-V_i/τ)`` written directly (no shift)."""
    ex = [E(-Q(v) / Q(tau)) for v in values]
    tot = sum(ex)
    return [x / tot for x in ex]


# ----------------------------------------------------------------------------- hand cases
def test_two_parallel_agents_by_hand():
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [2], "box": [[-1, 1]]}],
            "edges": [],
            "parameters": {"alpha": "1/2", "beta": "1/4", "tau": 2},
        }
    )
    y, p, pi = [F(1, 2), F(1, 3)], [F(1, 3), F(2, 3)], [F(1, 4), F(3, 4)]
    alpha, beta, tau = F(1, 2), F(1, 4), F(2)
    # paths (a,), (b,): w = π = (1/4, 3/4); d = w·u = (1/4·1, 3/4·2) = (1/4, 3/2)
    d = [F(1, 4), F(3, 2)]
    # excess demand z = d - y = (1/4 - 1/2, 3/2 - 1/3) = (-1/4, 7/6)
    z = [d[0] - y[0], d[1] - y[1]]
    assert z == [F(-1, 4), F(7, 6)]
    # v = y + α z = (1/2 - 1/8, 1/3 + 7/12) = (3/8, 11/12): inside [0,1] and [-1,1]
    v = [y[0] + alpha * z[0], y[1] + alpha * z[1]]
    assert v == [F(3, 8), F(11, 12)]
    # q = p + β z = (1/3 - 1/16, 2/3 + 7/24) = (13/48, 46/48); Σ q = 59/48; p' = (13/59, 46/59)
    q = [p[0] + beta * z[0], p[1] + beta * z[1]]
    assert q == [F(13, 48), F(46, 48)]
    p_new = [qk / sum(q) for qk in q]
    assert p_new == [F(13, 59), F(46, 59)]
    # s = <p, y> = (1/3·1/2, 2/3·1/3) = (1/6, 2/9); V = s (one agent per path)
    s = [p[0] * y[0], p[1] * y[1]]
    assert s == [F(1, 6), F(2, 9)]
    # π' = softmax(-V/τ): -V/τ = (-1/6 / 2, -2/9 / 2) = (-1/12, -1/9)
    assert [-v / tau for v in s] == [F(-1, 12), F(-1, 9)]
    # π' = (e^{-1/12}, e^{-1/9}) / (e^{-1/12} + e^{-1/9})
    pi_new = [E(R(-1, 12)) / (E(R(-1, 12)) + E(R(-1, 9))), E(R(-1, 9)) / (E(R(-1, 12)) + E(R(-1, 9)))]

    res = evaluate_map(econ, exact_state([[v] for v in y], [[v] for v in p], pi))
    assert list(res.state.y.ravel()) == [Q(x) for x in v]
    assert list(res.state.p.ravel()) == [Q(x) for x in p_new]
    assert all(isinstance(x, sp.Rational) for x in res.state.p.ravel())
    assert_exact(res.state.pi, pi_new)
    assert sp.simplify(res.state.pi[0] - pi_new[0]) == 0
    assert_exact(res.costs, [Q(x) for x in s])
    assert_exact(res.w, [Q(x) for x in pi])
    assert_exact(res.d.ravel(), [Q(x) for x in d])
    assert exactly_zero(res.state.pi[1] / res.state.pi[0] - E(R(-1, 36)))  # ratio e^{-(2/9-1/6)/2}
    assert exactly_zero(sum(res.state.pi) - 1)
    assert not res.active.at_kink and (res.active.y_codes == BRANCH_FREE).all() and res.active.p_positive.all()


def test_clamping_and_zeroed_price_by_hand():
    econ = Economy.from_dict(
        {
            "agents": [
                {"name": "a", "demand": [3], "box": [[0, 1]]},
                {"name": "b", "demand": [-4], "box": [["-1/2", 1]]},
            ],
            "edges": [],
            "parameters": {"alpha": "1/2", "beta": 1, "tau": 1},
        }
    )
    # y = (3/4, 1/4), p = (1/10, 9/10), π = (1/2, 1/2): d = (3/2, -2), z = (3/4, -9/4)
    # v = y + z/2 = (3/4 + 3/8, 1/4 - 9/8) = (9/8, -7/8): above hi = 1, below lo = -1/2 → y' = (1, -1/2)
    # q = p + z = (1/10 + 3/4, 9/10 - 9/4) = (17/20, -27/20): max(0, q) = (17/20, 0) → p' = (1, 0)
    # s = (1/10·3/4, 9/10·1/4) = (3/40, 9/40), τ = 1
    res = evaluate_map(econ, exact_state([["3/4"], ["1/4"]], [["1/10"], ["9/10"]], ["1/2", "1/2"]))
    assert list(res.state.y.ravel()) == [1, R(-1, 2)]
    assert list(res.state.p.ravel()) == [1, 0]
    assert_exact(res.state.pi, softmax_exact([F(3, 40), F(9, 40)], 1))
    act = res.active
    assert act.y_codes.ravel().tolist() == [BRANCH_HI, BRANCH_LO]
    assert act.p_positive.ravel().tolist() == [True, False]
    assert not act.at_kink
    info = act.to_dict(econ)
    assert info["y_at_upper"] == [["a", 0]] and info["y_at_lower"] == [["b", 0]] and info["p_zeroed"] == [["b", 0]]
    # the float backend takes the same branch and gives the same numbers
    fst = exact_state([["3/4"], ["1/4"]], [["1/10"], ["9/10"]], ["1/2", "1/2"]).to_float()
    fres = evaluate_map(econ, fst)
    assert fres.state.y.ravel().tolist() == [1.0, -0.5] and fres.state.p.ravel().tolist() == [1.0, 0.0]
    np.testing.assert_allclose(fres.state.pi, [1 / (1 + np.exp(-3 / 20)), 1 / (1 + np.exp(3 / 20))], rtol=1e-15)
    assert fst.y.dtype == float


@pytest.mark.parametrize("demand, label", [("1/4", "strictly negative"), (1, "exactly zero")])
def test_normalize_zero_is_an_error(demand, label):
    econ = Economy.from_dict(
        {
            "agents": [
                {"name": "a", "demand": [demand], "box": [[0, 1]]},
                {"name": "b", "demand": [demand], "box": [[0, 1]]},
            ],
            "edges": [],
            "parameters": {"alpha": "1/2", "beta": 1, "tau": 1},
        }
    )
    # y = (1, 1), p = (1/2, 1/2), π = (1/2, 1/2): d = u/2, q = 1/2 + u/2 - 1 ≤ 0 in both coordinates
    st = exact_state([[1], [1]], [["1/2"], ["1/2"]], ["1/2", "1/2"])
    with pytest.raises(DegenerateNormalizationError, match=r"normalize\(0\)"):
        evaluate_map(econ, st)
    with pytest.raises(DegenerateNormalizationError, match=r"eq\. \(11\)"):
        evaluate_map(econ, st.to_float())
    with pytest.raises(ValueError):  # a DomainError, hence a ValueError
        apply_map(econ, st)


def test_sequential_linear_by_hand():
    base = {
        "agents": [
            {"name": "a", "demand": [1], "box": [[0, 1]]},
            {"name": "b", "demand": [1], "box": [[0, 1]]},
            {"name": "c", "demand": [2], "box": [[-1, 1]]},
        ],
        "edges": [["a", "b"]],
        "map": "sequential",
        "parameters": {"alpha": "1/2", "tau": "1/2"},
        "price_mechanism": {"kind": "linear", "G": [[1, 0, 0], [0, 2, 0], [1, 0, -1]], "b": [0, "1/2", 0]},
    }
    st = exact_state([["1/2"], ["1/4"], [0]], [[1], [-1], ["1/2"]], ["1/3", "2/3"])
    # paths (a,b), (c,): w = (1/3, 1/3, 2/3), d = (1/3, 1/3, 4/3)
    # y' = (y + d)/2 = (5/12, 7/24, 2/3) (inside the boxes)
    # p' = G y' + b = (5/12, 2·7/24 + 1/2, 5/12 - 2/3) = (5/12, 13/12, -1/4)
    y_new = [R(5, 12), R(7, 24), R(2, 3)]
    p_new = [R(5, 12), R(13, 12), R(-1, 4)]
    # old revenue (eq. (13) as written): s' = <p, y'> = (5/12, -7/24, 1/3); V = (5/12 - 7/24, 1/3) = (1/8, 1/3)
    econ = Economy.from_dict(base)
    res = evaluate_map(econ, st)
    assert list(res.state.y.ravel()) == y_new and list(res.state.p.ravel()) == p_new
    assert_exact(res.costs, [R(5, 12), R(-7, 24), R(1, 3)])
    assert_exact(res.state.pi, softmax_exact([F(1, 8), F(1, 3)], F(1, 2)))
    assert res.active.p_positive is None
    # new revenue: s' = <p', y'> = (25/144, 91/288, -1/6); V = (141/288, -1/6) = (47/96, -1/6)
    econ_new = Economy.from_dict(dict(base, sequential_revenue="new"))
    res = evaluate_map(econ_new, st)
    assert list(res.state.p.ravel()) == p_new
    assert_exact(res.costs, [R(25, 144), R(91, 288), R(-1, 6)])
    assert_exact(res.state.pi, softmax_exact([F(47, 96), F(-1, 6)], F(1, 2)))
    # the simultaneous map prices with the old y: p' = G y + b = (1/2, 1, 1/2)
    res = evaluate_map(Economy.from_dict(dict(base, map="simultaneous")), st)
    assert list(res.state.p.ravel()) == [R(1, 2), R(1), R(1, 2)]


def test_sequential_tatonnement_uses_new_y():
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [1], "box": [[0, 1]]}],
            "edges": [],
            "map": "sequential",
            "parameters": {"alpha": "1/2", "beta": "1/2", "tau": 1},
        }
    )
    st = exact_state([["1/2"], [0]], [["1/2"], ["1/2"]], ["1/4", "3/4"])
    # d = (1/4, 3/4); y' = (y + d)/2 = (3/8, 3/8); q = p + β(d - y') = (1/2 - 1/16, 1/2 + 3/16) = (7/16, 11/16)
    # Σ q = 18/16 → p' = (7/18, 11/18); s' = <p, y'> = (3/16, 3/16) → π' = (1/2, 1/2)
    res = evaluate_map(econ, st)
    assert list(res.state.y.ravel()) == [R(3, 8), R(3, 8)]
    assert list(res.state.p.ravel()) == [R(7, 18), R(11, 18)]
    assert list(res.state.pi) == [R(1, 2), R(1, 2)]


def test_slo_terms_by_hand():
    econ = Economy.from_dict(
        {
            "agents": [
                {"name": "a", "demand": [1, 0], "box": [[0, 1], [0, 1]]},
                {"name": "b", "demand": [0, 1], "box": [[0, 1], [0, 1]]},
            ],
            "edges": [],
            "parameters": {"alpha": "1/2", "beta": "1/2", "tau": 1},
            "slo": {"weights": {"latency": 2, "quality": "1/2"}, "readouts": {"latency": [1, 0], "quality": [0, 1]}},
        }
    )
    st = exact_state([["1/2", "1/4"], ["1/4", "1/2"]], [["1/4", "1/4"], ["1/4", "1/4"]], ["1/2", "1/2"])
    # d = ((1/2, 0), (0, 1/2)); z = d - y = ((0, -1/4), (-1/4, 0))
    # y' = y + z/2 = ((1/2, 1/8), (1/8, 1/2)); q = p + z/2 = ((1/4, 1/8), (1/8, 1/4)), Σ = 3/4
    # p' = ((1/3, 1/6), (1/6, 1/3)); s = (1/4·3/4, 1/4·3/4) = (3/16, 3/16)
    # c = s + 2·lat - 1/2·qual = (3/16 + 1 - 1/8, 3/16 + 1/2 - 1/4) = (17/16, 7/16)
    res = evaluate_map(econ, st)
    assert res.state.y.ravel().tolist() == [R(1, 2), R(1, 8), R(1, 8), R(1, 2)]
    assert res.state.p.ravel().tolist() == [R(1, 3), R(1, 6), R(1, 6), R(1, 3)]
    assert_exact(res.costs, [R(17, 16), R(7, 16)])
    assert_exact(res.state.pi, softmax_exact([F(17, 16), F(7, 16)], 1))


def test_metric_named_readouts():
    # metrics {names: [latency, quality], stats: 2}: K = 4, read-outs are the first statistic of each metric
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1, 0, 0, 0], "box": [[0, 1]] * 4}],
            "parameters": {"alpha": "1/2", "beta": "1/2", "tau": 1},
            "metrics": {"names": ["latency", "quality"], "stats": 2},
            "slo": {"weights": {"latency": 3, "quality": 5}},
        }
    )
    assert econ.cost_weights == (3, 0, -5, 0)


def test_ball_projection_in_the_map_by_hand():
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [4, 3], "ball": {"center": [0, 0], "radius": 1}}],
            "parameters": {"alpha": "1/2", "beta": "1/10", "tau": 1},
        }
    )
    # d = (4, 3); v = (0 + 2, 0 + 3/2) = (2, 3/2), |v| = 5/2 > 1 → y' = v / |v| = (4/5, 3/5)
    # q = (1/2 + 4/10, 1/2 + 3/10) = (9/10, 8/10) → p' = (9/17, 8/17); one path → π' = (1)
    res = evaluate_map(econ, exact_state([[0, 0]], [["1/2", "1/2"]], [1]))
    assert res.state.y.ravel().tolist() == [R(4, 5), R(3, 5)]
    assert res.state.p.ravel().tolist() == [R(9, 17), R(8, 17)]
    assert list(res.state.pi) == [1]
    assert (res.active.y_codes == BRANCH_SPHERE).all()


def test_kinks_are_flagged():
    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [1], "box": [[0, 1]]}],
            "edges": [["a", "b"]],
            "parameters": {"alpha": "1/2", "beta": 1, "tau": 1},
        }
    )
    # one path: w = (1, 1), d = (1, 1); y = (1, 1/2): v_a = 1 exactly on hi → kink;
    # q = p + (d - y) = (0 + 0, 1 + 1/2): q_a = 0 exactly → price kink
    res = evaluate_map(econ, exact_state([[1], ["1/2"]], [[0], [1]], [1]))
    act = res.active
    assert act.at_kink and act.n_kinks == 2
    assert act.y_kinks.ravel().tolist() == [True, False] and act.p_kinks.ravel().tolist() == [True, False]
    assert act.y_codes.ravel().tolist() == [BRANCH_FREE, BRANCH_FREE]
    info = act.to_dict(econ)
    assert info["at_kink"] and info["kink_convention"] and info["y_kinks"] == [["a", 0]]
    assert res.state.p.ravel().tolist() == [0, 1]


def test_wrong_shape_state():
    econ = Economy.from_dict(
        {"agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}], "parameters": {"alpha": "1/2", "beta": 1, "tau": 1}}
    )
    with pytest.raises(ShapeError, match="state"):
        evaluate_map(econ, State(np.zeros((1, 2)), np.zeros((1, 1)), np.ones(1)))
    with pytest.raises(ShapeError, match="state"):
        evaluate_map(econ, State(np.zeros((1, 1)), np.zeros((1, 1)), np.ones(2) / 2))


# ----------------------------------------------------------------------------- random economies
MAP_CASES = [
    (m, mech, rev, sets, slo)
    for m, mech, rev in [
        ("simultaneous", "tatonnement", "old"),
        ("simultaneous", "linear", "old"),
        ("sequential", "linear", "old"),
        ("sequential", "linear", "new"),
        ("sequential", "tatonnement", "old"),
        ("sequential", "tatonnement", "new"),
    ]
    for sets in ("box", "ball", "mixed")
    for slo in (False, True)
]


@pytest.mark.parametrize("dag", ["empty", "chain", "diamond", "layered", "random"])
@pytest.mark.parametrize("case", MAP_CASES, ids=lambda c: "-".join(str(x) for x in c))
def test_exact_and_float_backends_agree(gen, case, dag):
    map_kind, mech, rev, sets, slo = case
    seed = MAP_CASES.index(case) * 7 + len(dag) * 131
    ed, econ, st, fst = gen.make_case(seed, map_kind, mech, rev, sets, slo, dag=dag)
    ex = evaluate_map(econ, st)
    fl = evaluate_map(econ, fst)
    np.testing.assert_array_equal(ex.active.y_codes, fl.active.y_codes)
    if mech == "tatonnement":
        np.testing.assert_array_equal(ex.active.p_positive, fl.active.p_positive)
    np.testing.assert_allclose(gen.floats(ex.state.flat()), fl.state.flat(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gen.floats(ex.costs), fl.costs, rtol=1e-12, atol=1e-12)
    # the image lies in the state space
    assert exactly_zero(sum(ex.state.pi) - 1)
    if econ.all_boxes and mech == "tatonnement":
        assert sum(ex.state.p.ravel()) == 1 and all(v >= 0 for v in ex.state.p.ravel())
    for a, s in enumerate(econ.production_sets):
        assert s.contains(list(fl.state.y[a]), 1e-12)
    assert np.all(fl.state.pi > 0)


@pytest.mark.parametrize("seed", range(8))
def test_reduced_map_agrees_with_full_map(gen, seed):
    kinds = [("simultaneous", "tatonnement", "old"), ("sequential", "linear", "new")]
    m, mech, rev = kinds[seed % 2]
    _, econ, _, fst = gen.make_case(500 + seed, m, mech, rev, ("box", "mixed")[seed // 2 % 2], seed % 3 == 0)
    full = evaluate_map(econ, fst)
    rs = reduce_state(econ, fst)
    np.testing.assert_allclose(rs.w, econ.incidence @ fst.pi, rtol=1e-15)
    red = evaluate_reduced(econ, rs)
    np.testing.assert_allclose(red.state.y, full.state.y, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(red.state.p, full.state.p, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(red.state.w, econ.incidence @ full.state.pi, rtol=1e-12, atol=1e-14)
    assert isinstance(red.state, ReducedState)
    np.testing.assert_allclose(ReducedState.from_flat(econ, red.state.flat()).flat(), red.state.flat())


def test_iterate_map(gen):
    _, econ, _, fst = gen.make_case(77, "simultaneous", "tatonnement", "old", "box", False)
    xs = iterate_map(econ, fst, 4)
    assert len(xs) == 5
    for a, b in zip(xs, xs[1:]):
        np.testing.assert_array_equal(apply_map(econ, a).flat(), b.flat())
    rs = iterate_map(econ, reduce_state(econ, fst), 3, reduced=True)
    np.testing.assert_allclose(rs[-1].y, xs[3].y, rtol=1e-12, atol=1e-14)


# ----------------------------------------------------------------------------- §7: the Taylor rule and shocks by hand
def taylor_economy(taylor: dict) -> Economy:
    """The economy of ``test_slo_terms_by_hand`` (λ1* = 2, λ2* = 1/2) with a Taylor rule."""
    return Economy.from_dict(
        {
            "agents": [
                {"name": "a", "demand": [1, 0], "box": [[0, 1], [0, 1]]},
                {"name": "b", "demand": [0, 1], "box": [[0, 1], [0, 1]]},
            ],
            "edges": [],
            "parameters": {"alpha": "1/2", "beta": "1/2", "tau": 1},
            "slo": {"weights": {"latency": 2, "quality": "1/2"}, "readouts": {"latency": [1, 0], "quality": [0, 1]}},
            "taylor": taylor,
        }
    )


TAYLOR_STATE = (
    [["1/2", "1/4"], ["1/4", "1/2"]],
    [["1/4", "1/4"], ["1/4", "1/4"]],
    ["1/2", "1/2"],
)


def test_taylor_rule_eq_18_19_by_hand():
    econ = taylor_economy({"phi_lat": 3, "phi_qual": 4, "targets": {"latency": "1/4", "quality": "1/2"}})
    st = exact_state(*TAYLOR_STATE)
    # w = (1/2, 1/2); L = 1/2·1/2 + 1/2·1/4 = 3/8; Q = 1/2·1/4 + 1/2·1/2 = 3/8
    # eq. (18): λ1 = 2 + 3 (3/8 − 1/4) = 19/8;  eq. (19): λ2 = 1/2 + 4 (1/2 − 3/8) = 1
    # simultaneous map, y_ref = y, s = (3/16, 3/16):
    # c_a = 3/16 + 19/8·1/2 − 1·1/4 = 9/8;  c_b = 3/16 + 19/8·1/4 − 1·1/2 = 9/32
    res = evaluate_map(econ, st, policy=econ.taylor)
    assert (res.policy_rates.lat, res.policy_rates.qual) == (R(19, 8), R(1))
    assert not res.policy_rates.at_floor.any() and not res.active.at_kink
    assert_exact(res.costs, [R(9, 8), R(9, 32)])
    assert_exact(res.state.pi, softmax_exact([F(9, 8), F(9, 32)], 1))
    # the rule's inputs are the aggregates of the current state
    L, Qa = aggregate_metrics(econ.slo, st.y, np.array([R(1, 2), R(1, 2)], dtype=object))
    assert (L, Qa) == (R(3, 8), R(3, 8))
    # the float backend runs the same definition
    fres = evaluate_map(econ, st.to_float(), policy=econ.taylor)
    np.testing.assert_allclose(fres.costs, [9 / 8, 9 / 32], rtol=1e-15)
    assert (fres.policy_rates.lat, fres.policy_rates.qual) == (19 / 8, 1.0)


def test_taylor_rule_responds_in_the_right_direction():
    # latency above target raises λ1 (eq. (18)); quality below target raises λ2 (eq. (19))
    slo = taylor_economy({"phi_lat": 3, "phi_qual": 4}).slo
    rule = TaylorRule(3, 4, R(1, 4), R(1, 2))
    base = slo_weights(slo, rule, R(1, 4), R(1, 2))
    assert (base.lat, base.qual) == (slo.lambda_lat, slo.lambda_qual)  # neutral at the targets
    up = slo_weights(slo, rule, R(1, 4) + R(1, 10), R(1, 2))
    down = slo_weights(slo, rule, R(1, 4), R(1, 2) - R(1, 10))
    assert up.lat - base.lat == R(3, 10) and up.qual == base.qual
    assert down.qual - base.qual == R(4, 10) and down.lat == base.lat


def test_taylor_floor_binds_by_hand():
    econ = taylor_economy(
        {
            "phi_lat": 3,
            "phi_qual": 4,
            "targets": {"latency": "1/4", "quality": "1/8"},
            "floor": {"latency": 0, "quality": "1/4"},
        }
    )
    st = exact_state(*TAYLOR_STATE)
    # λ2 = 1/2 + 4 (1/8 − 3/8) = −1/2 < 1/4: held at the floor 1/4
    # c_a = 3/16 + 19/16 − 1/4·1/4 = 21/16;  c_b = 3/16 + 19/32 − 1/4·1/2 = 21/32
    res = evaluate_map(econ, st, policy=econ.taylor)
    assert (res.policy_rates.lat, res.policy_rates.qual) == (R(19, 8), R(1, 4))
    assert res.active.slo_at_floor.tolist() == [False, True]
    assert res.active.to_dict(econ)["slo_at_floor"] == ["quality"]
    assert_exact(res.costs, [R(21, 16), R(21, 32)])
    fres = evaluate_map(econ, st.to_float(), policy=econ.taylor)
    assert fres.policy_rates.qual == 0.25 and fres.active.slo_at_floor.tolist() == [False, True]


def test_taylor_floor_kink_is_reported():
    # Q* = 1/4: λ2 = 1/2 + 4 (1/4 − 3/8) = 0 = the floor exactly: a kink, the rule's branch used
    econ = taylor_economy({"phi_lat": 3, "phi_qual": 4, "targets": {"latency": "1/4", "quality": "1/4"}})
    res = evaluate_map(econ, exact_state(*TAYLOR_STATE), policy=econ.taylor)
    assert res.policy_rates.qual == 0
    assert res.active.slo_kinks.tolist() == [False, True] and res.active.at_kink
    assert res.active.slo_at_floor.tolist() == [False, False]
    assert res.active.to_dict(econ)["slo_kinks"] == ["quality"]


def test_policy_needs_targets():
    econ = taylor_economy({"phi_lat": 3, "phi_qual": 4})
    from geo_sym.errors import ValidationError

    with pytest.raises(ValidationError, match="taylor.targets"):
        evaluate_map(econ, exact_state(*TAYLOR_STATE), policy=econ.taylor)


def one_agent_economy(**extra) -> Economy:
    """One agent, K = 2 (latency, quality), sequential map, prices y'/2: the routing is the single path."""
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


SHOCKS_BY_HAND = [
    # v = y + α(d − y) = (3/4, 3/8) at y = (1/2, 1/4), d = u = (1, 1/2); ε = 1/5
    ({"name": "s", "kind": "latency", "agent": "a"}, (F(19, 20), F(3, 8))),  # v + ε r_lat
    ({"name": "s", "kind": "quality", "agent": "a"}, (F(3, 4), F(7, 40))),  # v − ε r_qual
    ({"name": "s", "kind": "metric", "agent": "a", "direction": ["1/3", -1]}, (F(49, 60), F(7, 40))),  # v + ε dir
    ({"name": "s", "kind": "load"}, (F(17, 20), F(17, 40))),  # d = (1 + ε) u = (6/5, 3/5)
    ({"name": "s", "kind": "failure", "agent": "a"}, (F(3, 5), F(3, 10))),  # (1 − ε) v
]


@pytest.mark.parametrize("channel, expected", SHOCKS_BY_HAND, ids=[c["kind"] for c, _ in SHOCKS_BY_HAND])
def test_shock_channels_by_hand(channel, expected):
    econ = one_agent_economy(shocks=[channel])
    st = exact_state([["1/2", "1/4"]], [["1/4", "1/8"]], ["1"])
    ch = econ.shock_channels[0]
    res = evaluate_map(econ, st, shocks=shock_values([ch], [R(1, 5)], econ.A, econ.K))
    assert res.state.y.ravel().tolist() == [Q(v) for v in expected]
    assert res.state.p.ravel().tolist() == [Q(v) / 2 for v in expected]  # A_K(y') = y'/2
    # a negative size moves the other way by as much (each channel is linear in ε before the projection)
    v0 = (F(3, 4), F(3, 8))
    res_neg = evaluate_map(econ, st, shocks=shock_values([ch], [R(-1, 5)], econ.A, econ.K))
    assert res_neg.state.y.ravel().tolist() == [Q(2 * b - e) for b, e in zip(v0, expected)]
    # the float backend
    fres = evaluate_map(econ, st.to_float(), shocks=shock_values([ch], [0.2], econ.A, econ.K))
    np.testing.assert_allclose(fres.state.y.ravel(), [float(v) for v in expected], rtol=1e-15)


def test_shock_values_dispatch():
    A, K = 3, 2
    load_all = ShockChannel("l", "load", None)
    fail = ShockChannel("f", "failure", (1,))
    spike = ShockChannel("s", "latency", (0, 2), (R(1), R(0)))
    sv = shock_values([load_all, fail, spike], [0.1, 0.2, 0.3], A, K)
    np.testing.assert_array_equal(sv.demand_scale, [0.1, 0.1, 0.1])
    np.testing.assert_array_equal(sv.output_cut, [0.0, 0.2, 0.0])
    np.testing.assert_array_equal(sv.v_add, [[0.3, 0.0], [0.0, 0.0], [0.3, 0.0]])
    assert shock_values([], [], A, K).v_add is None
