"""Tests of the SFSL operator (paper §4.1–4.2, eq. (9), Assumption 3).

Expected values are derived independently of the code under test: closed-form
integrals of exponentials, the trapezoid error bound, the Lagrange-multiplier
formula of the minimum-norm solution, the Moore–Penrose identities and direct
least squares.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from geo_sym.economy.sfsl import SFSLOperator, arithmetic_rates
from geo_sym.economy.sfsl_family import ProjectionErrorTable, operator_projection_errors, projection_errors
from geo_sym.errors import DomainError, ShapeError, ValidationError

T = 2.0
N = 401
RATES = (0.0, 0.5, 1.0, 2.0)


@pytest.fixture(scope="module")
def op():
    return SFSLOperator(T=T, n_grid=N, decay_rates=RATES, n_metrics=2)


def _W(op):
    # weight of each flattened (i, r) entry, C-order flattening of (N, R)
    return np.repeat(op.weights, op.n_metrics)


def _pinv_matrix(op):
    return np.stack([op.pseudo_inverse(e).ravel() for e in np.eye(op.K)], axis=1)


# --------------------------------------------------------------------------- grid
def test_trapezoid_weights_and_grid(op):
    h = T / (N - 1)
    assert op.quadrature == "trapezoid"
    assert op.grid[0] == 0.0 and op.grid[-1] == T
    assert op.weights[0] == pytest.approx(h / 2) and op.weights[1] == pytest.approx(h)
    assert op.weights.sum() == pytest.approx(T, rel=1e-14)
    assert op.K == 8 and op.F == 4


# --------------------------------------------------------------------------- φ, closed forms
def test_constant_trajectory_lambda_zero_gives_integral():
    c = 3.7
    o = SFSLOperator(T=T, n_grid=N, decay_rates=(0.0,))
    # trapezoid is exact for constants: ∫_0^T c dt = c T
    assert o.apply(np.full(N, c))[0] == pytest.approx(c * T, rel=1e-13)


@pytest.mark.parametrize("lam", [0.5, 1.0, 3.0])
def test_constant_trajectory_positive_rate_closed_form(lam):
    c = -1.3
    o = SFSLOperator(T=T, n_grid=N, decay_rates=(lam,))
    exact = c * (1.0 - math.exp(-lam * T)) / lam
    h = T / (N - 1)
    # trapezoid bound: |E| <= T h² max|f''| / 12, f = c e^{-λ(T-t)}, |f''| <= |c| λ²
    bound = T * h**2 * abs(c) * lam**2 / 12
    got = o.apply(np.full(N, c))[0]
    assert abs(got - exact) <= bound
    assert abs(got - exact) > 0  # the bound is the relevant scale, not round-off


def test_apply_metric_major_ordering_and_matrix(op):
    rng = np.random.default_rng(0)
    f = rng.standard_normal((N, 2))
    s = op.apply(f)
    assert s.shape == (op.K,)
    # metric 1 alone only affects entries F..2F-1
    g = f.copy()
    g[:, 0] = 0.0
    sg = op.apply(g)
    assert np.all(sg[: op.F] == 0.0)
    np.testing.assert_allclose(sg[op.F :], s[op.F :], rtol=1e-13)
    np.testing.assert_allclose(op.matrix @ f.ravel(), s, rtol=1e-12, atol=1e-13)
    assert op.matrix.shape == (op.K, N * 2)


def test_exponential_trajectory_closed_form():
    # ∫_0^T e^{-λ(T-t)} e^{μ t} dt = (e^{μT} - e^{-λT}) / (λ + μ)
    lam, mu = 1.5, 0.7
    n = 4001
    o = SFSLOperator(T=T, n_grid=n, decay_rates=(lam,))
    t = np.linspace(0, T, n)
    exact = (math.exp(mu * T) - math.exp(-lam * T)) / (lam + mu)
    h = T / (n - 1)
    bound = T * h**2 * (lam + mu) ** 2 * math.exp(mu * T) / 12
    assert abs(o.apply(np.exp(mu * t))[0] - exact) <= bound


def test_adjoint_identity(op):
    rng = np.random.default_rng(1)
    f = rng.standard_normal((N, 2))
    c = rng.standard_normal(op.K)
    assert op.apply(f) @ c == pytest.approx(op.inner(f, op.adjoint(c)), rel=1e-12)


# --------------------------------------------------------------------------- φ†
def test_moore_penrose_identities(op):
    M = op.matrix
    P = _pinv_matrix(op)
    W = _W(op)
    scale = np.abs(M).max()
    # (1) φ φ† φ = φ
    np.testing.assert_allclose(M @ P @ M, M, atol=1e-10 * scale)
    # (2) φ† φ φ† = φ†
    np.testing.assert_allclose(P @ M @ P, P, atol=1e-9 * np.abs(P).max())
    # (3) φ φ† self-adjoint in R^K (here it is even the identity: φ is onto)
    np.testing.assert_allclose(M @ P, np.eye(op.K), atol=1e-9)
    # (4) φ† φ self-adjoint in <.,.>_W:  W (P M) symmetric
    A = W[:, None] * (P @ M)
    np.testing.assert_allclose(A, A.T, atol=1e-10 * np.abs(A).max())


def test_pseudo_inverse_matches_lagrange_formula_and_is_minimum_norm(op):
    # independent formula: argmin ||f||_W s.t. E^T W f = c  is  f = E (E^T W E)^{-1} c
    rng = np.random.default_rng(2)
    c = rng.standard_normal(op.K)
    E = np.exp(-np.outer(T - np.linspace(0, T, N), RATES))
    w = np.diff(np.linspace(0, T, N))
    wt = np.zeros(N)
    wt[:-1] += w / 2
    wt[1:] += w / 2
    G = E.T @ (wt[:, None] * E)
    expected = E @ np.linalg.solve(G, c.reshape(2, -1).T)
    got = op.pseudo_inverse(c)
    np.testing.assert_allclose(got, expected, rtol=1e-7, atol=1e-7 * np.abs(expected).max())
    np.testing.assert_allclose(op.apply(got), c, atol=1e-9)
    # any other preimage is longer: add something orthogonal to V_K
    z = rng.standard_normal((N, 2))
    z = z - op.project(z)
    np.testing.assert_allclose(op.apply(z), 0.0, atol=1e-10)
    assert op.norm(got + z) > op.norm(got)


def test_dim_V_K_equals_K(op):
    P = _pinv_matrix(op)
    sw = np.sqrt(_W(op))
    assert np.linalg.matrix_rank(sw[:, None] * P) == op.K
    B = op.basis().reshape(op.K, -1)
    assert np.linalg.matrix_rank(B * sw) == op.K
    assert op.numerical_rank == op.K and op.is_well_conditioned
    # Im(φ†) = V_K: every φ†(c) is fixed by the projection
    c = np.arange(1.0, op.K + 1)
    x = op.pseudo_inverse(c)
    np.testing.assert_allclose(op.project(x), x, atol=1e-9 * np.abs(x).max())


# --------------------------------------------------------------------------- basis, Π
def test_basis_orthonormal_in_weighted_inner_product(op):
    B = op.basis()
    assert B.shape == (op.K, N, 2)
    W = _W(op)
    Bf = B.reshape(op.K, -1)
    np.testing.assert_allclose((Bf * W) @ Bf.T, np.eye(op.K), atol=1e-12)
    assert not B.flags.writeable


def test_basis_is_gram_schmidt_of_kernels_in_order():
    o = SFSLOperator(T=1.0, n_grid=301, decay_rates=(0.0, 1.0))
    b0 = o.basis()[0, :, 0]
    # first basis vector = constant / ||1||_W = 1/sqrt(T)
    np.testing.assert_allclose(b0, 1.0, rtol=1e-12)


def test_inner_products_reduce_to_dot_products(op):
    rng = np.random.default_rng(3)
    f = rng.standard_normal((N, 2))
    g = np.column_stack([np.sin(op.grid), np.cos(2 * op.grid)])
    lhs = op.inner(op.project(f), op.project(g))
    assert lhs == pytest.approx(op.coordinates(f) @ op.coordinates(g), rel=1e-10)
    # for members of V_K the identity is exact: <x, y>_H = x̂·ŷ
    x = op.from_coordinates(np.arange(op.K, dtype=float))
    y = op.pseudo_inverse(np.ones(op.K))
    assert op.inner(x, y) == pytest.approx(op.coordinates(x) @ op.coordinates(y), rel=1e-9)
    np.testing.assert_allclose(op.coordinates(x), np.arange(op.K), atol=1e-10)


def test_projection_is_least_squares_fit_of_kernels(op):
    # independent: weighted least squares onto the kernels of each metric
    rng = np.random.default_rng(4)
    f = rng.standard_normal((N, 2))
    sw = np.sqrt(op.weights)
    E = op.kernels
    P = op.project(f)
    for r in range(2):
        coef, *_ = np.linalg.lstsq(sw[:, None] * E, sw * f[:, r], rcond=None)
        np.testing.assert_allclose(P[:, r], E @ coef, atol=1e-9)
    resid = f - P
    # residual is W-orthogonal to every kernel: φ(f - Πf) = 0
    np.testing.assert_allclose(op.apply(resid), 0.0, atol=1e-12)
    assert op.projection_error(f) == pytest.approx(op.norm(resid), rel=1e-10)
    np.testing.assert_allclose(op.project(P), P, atol=1e-12)  # idempotent


def test_member_of_V_K_has_zero_projection_error(op):
    t = op.grid
    f = np.column_stack(
        [
            2.0 - 3.0 * np.exp(-0.5 * (T - t)) + 0.25 * np.exp(-2.0 * (T - t)),
            np.exp(-1.0 * (T - t)),
        ]
    )
    assert op.projection_error(f) <= 1e-12 * op.norm(f)
    np.testing.assert_allclose(op.project(f), f, atol=1e-12)


def test_one_dimensional_input_for_single_metric():
    o = SFSLOperator(T=1.0, n_grid=51, decay_rates=(0.0, 1.0))
    f = np.linspace(0, 1, 51) ** 2
    assert o.project(f).shape == (51,)
    np.testing.assert_allclose(o.apply(f), o.apply(f[:, None]))


# --------------------------------------------------------------------------- K sweep
def test_projection_errors_nested_and_decreasing_for_smooth_function():
    n = 1001
    t = np.linspace(0, 1, n)
    tab = projection_errors(np.sin(3 * t), T=1.0, decay_rates=arithmetic_rates(10))
    assert isinstance(tab, ProjectionErrorTable)
    assert tab.K_values == tuple(range(1, 11))
    e = np.array(tab.errors)
    assert np.all(np.diff(e) <= 1e-12 * e[0])  # nested ⇒ non-increasing
    assert e[7] <= e[0] / 10  # K = 8: at least 10× smaller (observed ~4000×)
    # the table agrees with separate operators built on the rate prefixes
    for F in (1, 4, 8):
        o = SFSLOperator(T=1.0, n_grid=n, decay_rates=arithmetic_rates(F))
        assert tab.errors[F - 1] == pytest.approx(o.projection_error(np.sin(3 * t)), rel=1e-8)
    # relative error of the constant-only space: ||f - mean|| / ||f|| from the
    # closed form of ∫ sin² and ∫ sin on [0, 1]
    I1 = (1 - math.cos(3)) / 3
    I2 = 0.5 - math.sin(6) / 12
    assert tab.relative_errors[0] == pytest.approx(math.sqrt((I2 - I1**2) / I2), rel=1e-5)


def test_projection_errors_step_function_non_increasing():
    n = 1000
    t = np.linspace(0, 2, n)
    f = np.column_stack([(t > 0.7).astype(float), np.abs(t - 1.0)])
    tab = projection_errors(f, K_values=[2, 4, 6, 8, 12], T=2.0)
    assert tab.n_metrics == 2 and tab.F_values == (1, 2, 3, 4, 6)
    e = np.array(tab.errors)
    assert np.all(np.diff(e) <= 1e-12)
    assert e[-1] < 0.6 * e[0]


def test_operator_projection_errors_method_and_frame(op):
    f = np.column_stack([np.cos(op.grid), op.grid**2])
    tab = operator_projection_errors(op, f)
    assert tab.K_values == (2, 4, 6, 8)
    assert tab.errors[-1] == pytest.approx(op.projection_error(f), rel=1e-8)
    assert tab.condition_numbers[0] == pytest.approx(1.0)
    assert all(c2 >= c1 for c1, c2 in zip(tab.condition_numbers, tab.condition_numbers[1:]))
    pd = pytest.importorskip("pandas")
    df = tab.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert list(df["K"]) == [2, 4, 6, 8]
    assert {"error", "relative_error", "gram_condition", "numerical_rank"} <= set(df.columns)


def test_plot_returns_figure(tmp_path):
    pytest.importorskip("matplotlib")
    t = np.linspace(0, 1, 201)
    fig = projection_errors(np.sin(3 * t), K_values=range(1, 7)).plot()
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure)
    fig.savefig(tmp_path / "err.png")
    import matplotlib.pyplot as plt

    plt.close(fig)


# --------------------------------------------------------------------------- conditioning
def test_condition_number_grows_and_pseudo_inverse_refuses_when_dependent():
    c3 = SFSLOperator(T=1.0, n_grid=501, decay_rates=arithmetic_rates(3)).condition_number
    c6 = SFSLOperator(T=1.0, n_grid=501, decay_rates=arithmetic_rates(6)).condition_number
    assert 1.0 < c3 < c6
    big = SFSLOperator(T=1.0, n_grid=501, decay_rates=arithmetic_rates(16))
    assert big.numerical_rank < big.K
    with pytest.raises(DomainError, match="numerically dependent"):
        big.pseudo_inverse(np.ones(big.K))
    # the basis is still orthonormal (Householder QR)
    B = big.basis()[:, :, 0]
    np.testing.assert_allclose((B * big.weights) @ B.T, np.eye(16), atol=1e-10)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(T=0.0), ValidationError, r"^T: .*> 0"),
        (dict(T=-1.0), ValidationError, r"^T: "),
        (dict(T=float("nan")), ValidationError, r"^T: "),
        (dict(T="1"), ValidationError, r"^T: "),
        (dict(n_grid=1), ValidationError, r"^n_grid: .*>= 2"),
        (dict(n_grid=2.5), ValidationError, r"^n_grid: "),
        (dict(n_grid=3, decay_rates=(0.0, 1.0, 2.0, 3.0)), ValidationError, r"^n_grid: .*len\(decay_rates\)"),
        (dict(decay_rates=()), ValidationError, r"^decay_rates: .*non-empty"),
        (dict(decay_rates=(0.0, -1.0)), ValidationError, r"^decay_rates\[1\]: .*>= 0"),
        (dict(decay_rates=(1.0, 2.0, 1.0)), ValidationError, r"^decay_rates: .*distinct"),
        (dict(decay_rates=(0.0, float("inf"))), ValidationError, r"^decay_rates\[1\]: .*finite"),
        (dict(decay_rates=1.0), ValidationError, r"^decay_rates: "),
        (dict(n_metrics=0), ValidationError, r"^n_metrics: .*>= 1"),
    ],
)
def test_bad_operator_arguments(kwargs, exc, match):
    base = dict(T=1.0, n_grid=11, decay_rates=(0.0, 1.0), n_metrics=1)
    base.update(kwargs)
    with pytest.raises(exc, match=match):
        SFSLOperator(**base)


def test_bad_trajectories(op):
    with pytest.raises(ShapeError, match=r"trajectory: .*\(401, 2\)"):
        op.apply(np.zeros((N, 3)))
    with pytest.raises(ShapeError, match=r"trajectory: .*\(401, 2\)"):
        op.project(np.zeros(N))
    with pytest.raises(ShapeError, match=r"trajectory: .*\(401, 2\)"):
        op.projection_error(np.zeros((N - 1, 2)))
    bad = np.zeros((N, 2))
    bad[5, 1] = np.nan
    with pytest.raises(ValidationError, match=r"trajectory: .*finite"):
        op.coordinates(bad)
    with pytest.raises(ValidationError, match=r"trajectory: "):
        op.apply([["a", "b"]] * N)
    with pytest.raises(ShapeError, match=r"stats: .*\(8,\)"):
        op.pseudo_inverse(np.ones(3))
    with pytest.raises(ValidationError, match=r"stats: .*finite"):
        op.pseudo_inverse(np.full(op.K, np.inf))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(K_values=[3]), r"^K_values: .*multiples of R = 2"),
        (dict(K_values=[0, 2]), r"^K_values: .*positive"),
        (dict(K_values=[]), r"^K_values: "),
        (dict(K_values=[2, 10], decay_rates=(0.0, 1.0)), r"^K_values: .*<= R"),
        (dict(T=-2.0), r"^T: "),
    ],
)
def test_bad_projection_error_arguments(kwargs, match):
    f = np.ones((21, 2))
    with pytest.raises(ValidationError, match=match):
        projection_errors(f, **kwargs)


def test_arithmetic_rates():
    assert arithmetic_rates(3) == (0.0, 1.0, 2.0)
    assert arithmetic_rates(2, step=0.5, start=1.0) == (1.0, 1.5)
    with pytest.raises(ValidationError, match=r"^step: "):
        arithmetic_rates(3, step=0.0)
    with pytest.raises(ValidationError, match=r"^F: "):
        arithmetic_rates(0)


def test_operator_is_frozen_and_hashable(op):
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        op.T = 3.0
    same = SFSLOperator(T=2, n_grid=N, decay_rates=[0, 0.5, 1, 2], n_metrics=2)
    assert same == op and hash(same) == hash(op)
    assert same.decay_rates == RATES and isinstance(same.T, float)
