"""Numeric Jacobians of the maps against central finite differences, and eigenvalue identities.

* ``numeric_jacobian`` / ``reduced_jacobian`` vs central differences of ``evaluate_map`` /
  ``evaluate_reduced`` on the same active branch (``active=`` passed, so the differences
  never cross a kink);
* structural identities: rows of the routing block sum to zero (softmax), rows of the
  tâtonnement price block sum to zero (normalisation);
* the full map factors as ``H ∘ L`` and the reduced one as ``L ∘ H`` with
  ``L(y, p, π) = (y, p, Mπ)``, so the two share their non-zero eigenvalues
  (``eig(AB) \\ {0} = eig(BA) \\ {0}``), checked on random economies;
* robustness for extreme temperatures and large values.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.spec import Economy
from geo_sym.economy.state import State, tangent_basis
from geo_sym.maps.core import ReducedState, evaluate_map, evaluate_reduced, reduce_state
from geo_sym.maps.jacobian import LinearMap, numeric_jacobian, reduced_jacobian, tangent_eigenvalues

CONFIGS = [
    (m, mech, rev)
    for m, mech, rev in [
        ("simultaneous", "tatonnement", "old"),
        ("simultaneous", "linear", "old"),
        ("sequential", "linear", "old"),
        ("sequential", "linear", "new"),
        ("sequential", "tatonnement", "old"),
        ("sequential", "tatonnement", "new"),
    ]
]
CASES = [
    (cfg, sets, slo, dag)
    for cfg in CONFIGS
    for sets in ("box", "ball", "mixed")
    for slo in (False, True)
    for dag in ("empty", "diamond", "layered", "random")
]


def case_id(c):
    (m, mech, rev), sets, slo, dag = c
    return f"{m[:3]}-{mech[:3]}-{rev}-{sets}-{'slo' if slo else 'noslo'}-{dag}"


def central_differences(f, x, h=1e-6):
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h * max(1.0, abs(x[i]))
        cols.append((f(x + e) - f(x - e)) / (2 * e[i]))
    return np.column_stack(cols)


def assert_close_fd(J, fd):
    scale = max(1.0, np.abs(J).max())
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-7 * scale)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_full_jacobian_vs_finite_differences(gen, case):
    (m, mech, rev), sets, slo, dag = case
    _, econ, _, fst = gen.make_case(CASES.index(case) + 11, m, mech, rev, sets, slo, dag=dag, max_paths=8)
    nj = numeric_jacobian(econ, fst)
    act = nj.active
    f = lambda x: evaluate_map(econ, State.from_flat(econ, x), act).state.flat()
    x = fst.flat()
    np.testing.assert_array_equal(nj.value, evaluate_map(econ, fst).state.flat())
    J = nj.dense()
    assert J.shape == (econ.state_size(), econ.state_size())
    assert_close_fd(J, central_differences(f, x))
    # identities: π' stays on the simplex, tâtonnement prices too
    AK = econ.A * econ.K
    np.testing.assert_allclose(J[2 * AK :].sum(axis=0), 0.0, atol=1e-13)
    if mech == "tatonnement":
        np.testing.assert_allclose(J[AK : 2 * AK].sum(axis=0), 0.0, atol=1e-13)
    # the LinearMap applies the same matrix
    rng = np.random.default_rng(0)
    v = rng.normal(size=x.size)
    np.testing.assert_allclose(nj.jacobian.matvec(v), J @ v, atol=1e-12)
    np.testing.assert_allclose(nj.jacobian.rmatvec(v), J.T @ v, atol=1e-12)
    np.testing.assert_allclose(nj.jacobian.as_linear_operator() @ v, J @ v, atol=1e-12)


@pytest.mark.parametrize("case", CASES[::3], ids=case_id)
def test_reduced_jacobian_vs_finite_differences(gen, case):
    (m, mech, rev), sets, slo, dag = case
    _, econ, _, fst = gen.make_case(CASES.index(case) + 1011, m, mech, rev, sets, slo, dag=dag, max_paths=8)
    rs = reduce_state(econ, fst)
    rj = reduced_jacobian(econ, rs)
    act = rj.active
    f = lambda x: evaluate_reduced(econ, ReducedState.from_flat(econ, x), act).state.flat()
    J = rj.dense()
    assert J.shape == (econ.reduced_state_size(),) * 2
    assert_close_fd(J, central_differences(f, rs.flat()))
    mf = reduced_jacobian(econ, rs, covariance="matrix-free")
    np.testing.assert_allclose(mf.jacobian.toarray(), J, atol=1e-12)
    v = np.random.default_rng(1).normal(size=J.shape[1])
    np.testing.assert_allclose(mf.jacobian.as_linear_operator() @ v, J @ v, atol=1e-12)


def _char_coeffs(ev):
    return np.real_if_close(np.poly(ev), tol=1e6)


@pytest.mark.parametrize("case", CASES[::2], ids=case_id)
def test_reduced_and_full_share_nonzero_eigenvalues(gen, case):
    (m, mech, rev), sets, slo, dag = case
    _, econ, _, fst = gen.make_case(CASES.index(case) + 2022, m, mech, rev, sets, slo, dag=dag, max_paths=8)
    full = tangent_eigenvalues(econ, numeric_jacobian(econ, fst))
    red = tangent_eigenvalues(econ, reduced_jacobian(econ, reduce_state(econ, fst)))
    assert full.size == econ.state_size() - 1 - (1 if econ.prices_on_simplex else 0)
    assert red.size == econ.reduced_state_size() - (1 if econ.prices_on_simplex else 0)
    # characteristic polynomials agree up to a power of λ: λ^a q(λ) vs λ^b q(λ).
    # (Compared through coefficients, which are well conditioned; zero eigenvalues of nilpotent
    # Jordan blocks come out of eigvals with noise of order eps^(1/m), far above 1e-9.)
    cf, cr = _char_coeffs(full), _char_coeffs(red)
    n = max(cf.size, cr.size)
    cf = np.concatenate([cf, np.zeros(n - cf.size)])
    cr = np.concatenate([cr, np.zeros(n - cr.size)])
    np.testing.assert_allclose(cf, cr, atol=1e-11)
    # and the clearly non-zero eigenvalues match one to one
    big_f = sorted(full[np.abs(full) > 1e-4], key=lambda z: (round(z.real, 6), round(z.imag, 6)))
    big_r = list(red[np.abs(red) > 1e-4])
    assert len(big_f) == len(big_r)
    for z in big_f:
        k = int(np.argmin([abs(z - r) for r in big_r]))
        assert abs(z - big_r[k]) < 1e-6 * max(1.0, abs(z))
        big_r.pop(k)


def test_price_kink_follows_documented_convention():
    from geo_sym.maps.core import ActiveSet

    econ = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1], "box": [[0, 1]]}, {"name": "b", "demand": [1], "box": [[0, 1]]}],
            "edges": [["a", "b"]],
            "parameters": {"alpha": "1/2", "beta": 1, "tau": 1},
        }
    )
    # one path, d = (1, 1); y = (1/2, 1/2), p = (0, 1): q = p + (d - y) = (1/2, 3/2) → no kink;
    # y = (1, 1/2): q_a = 0 + (1 - 1) = 0 exactly → price kink at agent a
    st = State(np.array([[1.0], [0.5]]), np.array([[0.0], [1.0]]), np.array([1.0]))
    nj = numeric_jacobian(econ, st)
    act = nj.active
    assert act.p_kinks[0, 0]
    assert "max(0, q) = q" in act.to_dict(econ)["kink_convention"]
    kept = ActiveSet(act.y_codes, act.y_kinks, np.ones_like(act.p_positive), act.p_kinks)
    np.testing.assert_allclose(nj.dense(), numeric_jacobian(econ, st, kept).dense())


def test_reduced_jacobian_on_a_huge_dag():
    """10 layers × 100 agents, 100**10 paths: the reduced Jacobian is built and applied without paths."""
    L, W = 10, 100
    names = [f"n{l}_{i}" for l in range(L) for i in range(W)]
    econ = Economy.from_dict(
        {
            "agents": [{"name": n, "demand": [f"{7 + k % 7}/7"], "box": [[-1, 2]]} for k, n in enumerate(names)],
            "edges": [
                [names[l * W + i], names[(l + 1) * W + j]] for l in range(L - 1) for i in range(W) for j in range(W)
            ],
            "parameters": {"alpha": "1/3", "beta": "1/5", "tau": "1/2"},
        }
    )
    assert econ.n_paths == 100**10 and econ.reduced_state_size() == 3 * L * W
    rng = np.random.default_rng(0)
    A = econ.A
    p = rng.random((A, 1))
    rs = ReducedState(rng.uniform(0, 1, (A, 1)), p / p.sum(), np.full(A, 1 / W))
    mf = reduced_jacobian(econ, rs, covariance="matrix-free")
    act = mf.active
    f = lambda x: evaluate_reduced(econ, ReducedState.from_flat(econ, x), act).state.flat()
    x = rs.flat()
    for _ in range(2):
        v = rng.normal(size=x.size)
        h = 1e-6
        Jv = mf.jacobian.matvec(v)
        fd = (f(x + h * v) - f(x - h * v)) / (2 * h)  # directional derivative
        np.testing.assert_allclose(Jv, fd, atol=1e-6 * max(1.0, np.abs(Jv).max()))
        assert np.all(np.isfinite(Jv))
    w_new = mf.value[2 * A :]
    np.testing.assert_allclose(w_new.reshape(L, W).sum(axis=1), 1.0, atol=1e-12)  # one agent per layer


def test_tangent_basis_is_orthonormal_and_tangent(gen):
    for seed, mech in [(1, "tatonnement"), (2, "linear")]:
        _, econ, _, _ = gen.make_case(seed, "sequential", mech, "old", "box", False, dag="diamond", A=5, K=2)
        AK = econ.A * econ.K
        for reduced in (False, True):
            Q = tangent_basis(econ, reduced=reduced)
            np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-14)
            n_simplex = 1 if econ.prices_on_simplex else 0
            expected = econ.reduced_state_size() - n_simplex if reduced else econ.state_size() - n_simplex - 1
            assert Q.shape[1] == expected
            if econ.prices_on_simplex:
                np.testing.assert_allclose(Q[AK : 2 * AK].sum(axis=0), 0, atol=1e-14)
            if not reduced:
                np.testing.assert_allclose(Q[2 * AK :].sum(axis=0), 0, atol=1e-14)


def test_linear_map_algebra():
    rng = np.random.default_rng(9)
    import scipy.sparse as sps

    S = sps.random(5, 4, density=0.4, random_state=1)
    L1, R1 = rng.normal(size=(5, 2)), rng.normal(size=(2, 4))
    L2, R2 = rng.normal(size=(5, 1)), sps.csr_matrix(rng.normal(size=(1, 4)))
    lm = LinearMap(S, [(L1, R1), (L2, R2)])
    dense = S.toarray() + L1 @ R1 + L2 @ R2.toarray()
    np.testing.assert_allclose(lm.toarray(), dense, atol=1e-14)
    B = rng.normal(size=(3, 5))
    np.testing.assert_allclose(lm.lmul(B).toarray(), B @ dense, atol=1e-13)
    np.testing.assert_allclose(lm.lmul(sps.csr_matrix(B)).toarray(), B @ dense, atol=1e-13)
    np.testing.assert_allclose((lm - lm.scale(2.0)).toarray(), -dense, atol=1e-13)
    np.testing.assert_allclose(
        LinearMap.vstack([lm, lm.scale(3.0)]).toarray(), np.vstack([dense, 3 * dense]), atol=1e-13
    )


# ----------------------------------------------------------------------------- robustness
def _big_economy(tau, scale):
    return Economy.from_dict(
        {
            "agents": [
                {"name": f"a{i}", "demand": [scale * (i + 1), -scale], "box": [[-scale, scale]] * 2} for i in range(4)
            ]
            + [{"name": "z", "demand": [1, 2], "ball": {"center": [0, 0], "radius": scale}}],
            "edges": [["a0", "a1"], ["a0", "a2"], ["a1", "a3"], ["a2", "a3"], ["a3", "z"]],
            "parameters": {"alpha": "1/3", "beta": "1/5", "tau": tau},
        }
    )


@pytest.mark.parametrize("tau", [1e-3, "1/1000", 1e6, 1])
@pytest.mark.parametrize("scale", [1, 10**6])
def test_no_nan_for_extreme_temperatures_and_values(tau, scale):
    econ = _big_economy(tau, scale)
    rng = np.random.default_rng(3)
    y = rng.uniform(-0.5, 0.5, size=(econ.A, econ.K)) * scale
    y[-1] = 0.0
    p = rng.random((econ.A, econ.K))
    p /= p.sum()
    pi = np.full(econ.n_paths, 1.0 / econ.n_paths)
    st = State(y, p, pi)
    x = st
    for _ in range(5):
        res = evaluate_map(econ, x)
        assert np.all(np.isfinite(res.state.flat()))
        assert res.state.pi.sum() == pytest.approx(1.0, abs=1e-12)
        nj = numeric_jacobian(econ, x)
        assert np.all(np.isfinite(nj.dense()))
        rj = reduced_jacobian(econ, reduce_state(econ, x))
        assert np.all(np.isfinite(rj.dense()))
        assert np.all(np.isfinite(tangent_eigenvalues(econ, nj)))
        x = res.state
    # τ → 0 is argmin routing: all mass on the cheapest path(s); τ → ∞ is uniform
    if econ.tau == 10**6 and scale == 1:
        np.testing.assert_allclose(res.state.pi, 1 / econ.n_paths, rtol=1e-5)
    if econ.tau == sp.Rational(1, 1000):
        V = econ.incidence.T @ res.costs
        assert res.state.pi[np.argmin(V)] >= 0.5


# ----------------------------------------------------------------------------- §7: policy and shocks
POLICY_CASES = [
    ("sequential", "linear", "old", "layered"),
    ("sequential", "linear", "new", "diamond"),
    ("sequential", "tatonnement", "old", "random"),
    ("simultaneous", "tatonnement", "old", "diamond"),
    ("simultaneous", "linear", "old", "empty"),
]


@pytest.mark.parametrize("case", POLICY_CASES, ids=["-".join(c) for c in POLICY_CASES])
def test_jacobians_with_taylor_rule_and_shocks_vs_finite_differences(gen, case):
    m, mech, rev, dag = case
    econ, _, fst, chans = gen.make_policy_case(POLICY_CASES.index(case) * 17, m, mech, rev, dag=dag)
    rule = econ.taylor
    act = evaluate_map(econ, fst, policy=rule).active
    nj = numeric_jacobian(econ, fst, policy=rule, shock_channels=chans)

    def f(x):
        return evaluate_map(econ, State.from_flat(econ, x), act, policy=rule).state.flat()

    assert_close_fd(nj.dense(), central_differences(f, fst.flat()))

    def g(eps):
        from geo_sym.economy.policy import shock_values

        sv = shock_values(chans, eps, econ.A, econ.K)
        return evaluate_map(econ, fst, act, shocks=sv, policy=rule).state.flat()

    assert_close_fd(nj.shock_jacobian, central_differences(g, np.zeros(len(chans))))
    # the reduced map, dense covariance and matrix-free, state and shocks
    rs = reduce_state(econ, fst)
    ract = evaluate_reduced(econ, rs, policy=rule).active
    dense = reduced_jacobian(econ, rs, policy=rule, shock_channels=chans)
    free = reduced_jacobian(econ, rs, covariance="matrix-free", policy=rule, shock_channels=chans)

    def fr(x):
        return evaluate_reduced(econ, ReducedState.from_flat(econ, x), ract, policy=rule).state.flat()

    assert_close_fd(dense.dense(), central_differences(fr, rs.flat()))
    np.testing.assert_allclose(free.jacobian.toarray(), dense.dense(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(free.shock_jacobian, dense.shock_jacobian, rtol=1e-10, atol=1e-12)

    def gr(eps):
        from geo_sym.economy.policy import shock_values

        sv = shock_values(chans, eps, econ.A, econ.K)
        return evaluate_reduced(econ, rs, ract, shocks=sv, policy=rule).state.flat()

    assert_close_fd(dense.shock_jacobian, central_differences(gr, np.zeros(len(chans))))


def test_binding_floor_freezes_the_slo_weight(gen):
    """Where the floor holds λ2 its derivative is zero: φ_qual drops out of DΦ, which still matches differences."""
    import dataclasses

    econ, _, fst, _ = gen.make_policy_case(5, "sequential", "linear", "old", dag="diamond")
    rule = econ.taylor
    phi = abs(float(rule.phi_qual)) + 1
    # Q* far below Q: the rule wants λ2 far below its floor, so λ2 = floor on a neighbourhood
    low = dataclasses.replace(rule, phi_qual=phi, qual_target=rule.qual_target - 1000)
    res = evaluate_map(econ, fst, policy=low)
    assert res.active.slo_at_floor.tolist() == [False, True]
    assert res.policy_rates.qual == float(low.floor_qual)
    J = numeric_jacobian(econ, fst, policy=low).dense()
    J2 = numeric_jacobian(econ, fst, policy=dataclasses.replace(low, phi_qual=2 * phi)).dense()
    np.testing.assert_array_equal(J, J2)

    def f(x):
        return evaluate_map(econ, State.from_flat(econ, x), res.active, policy=low).state.flat()

    assert_close_fd(J, central_differences(f, fst.flat()))


@pytest.mark.parametrize("AK, n", [(4, 10), (40, 120)])
def test_state_selectors_are_shared_and_cannot_be_changed(AK, n):
    """The cached selectors pick the ``y`` and ``p`` blocks of a state; a shared dense block is read-only."""
    from geo_sym.maps.jacobian import _selectors

    Ey, Ep = _selectors(AK, n)
    assert _selectors(AK, n) == (Ey, Ep)  # the same objects: built once per shape
    x = np.arange(n, dtype=float)
    np.testing.assert_array_equal(Ey.matvec(x), x[:AK])
    np.testing.assert_array_equal(Ep.matvec(x), x[AK : 2 * AK])
    if isinstance(Ey.S, np.ndarray):
        with pytest.raises(ValueError):
            Ey.S[0, 0] = 5.0


def test_repeated_numeric_jacobians_agree_with_finite_differences(gen):
    """Jacobians computed one after another (sharing the cached selectors) each match central differences."""
    for seed in (31, 32):
        econ, _, fst, _ = gen.make_policy_case(seed, "sequential", "linear", "old", dag="diamond")

        def f(x, econ=econ):
            return evaluate_map(econ, State.from_flat(econ, x)).state.flat()

        for _ in range(2):
            assert_close_fd(numeric_jacobian(econ, fst).dense(), central_differences(f, fst.flat()))
