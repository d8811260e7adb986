"""Fast numeric Jacobians of the maps, in the full state ``(y, p, π)`` and the reduced ``(y, p, w)``.

The chain rule runs block by block through the stages of :func:`geo_sym.maps.core.evaluate_map`
(``w → d → v → y' → q → p' → c → π'``). Each derivative is held as a sparse matrix plus
low-rank dense terms (:class:`LinearMap`), so the reduced Jacobian of a DAG with a
thousand agents and ``10^20`` paths is built in well under a second and applied
matrix-free; :meth:`LinearMap.toarray` gives the dense matrix when it is small.

Non-smooth pieces are differentiated on the branch reported by the
:class:`~geo_sym.maps.core.ActiveSet` (kinks flagged there). The exact symbolic Jacobian
lives in :mod:`geo_sym.maps.symbolic`; tests keep the two in agreement and both against
finite differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sps

from geo_sym.economy.policy import aggregate_gradients, shock_derivatives, slo_weight_slopes
from geo_sym.economy.state import MAX_DENSE, State, require_dense, tangent_chart
from geo_sym.errors import ValidationError
from geo_sym.maps.core import ActiveSet, MapResult, ReducedResult, ReducedState, evaluate_map, evaluate_reduced

__all__ = [
    "LinearMap",
    "NumericJacobian",
    "numeric_jacobian",
    "reduced_jacobian",
    "tangent_eigenvalues",
    "require_dense",
    "MAX_DENSE",
]


#: ``S`` blocks with at most this many entries are kept as dense arrays: below it scipy.sparse's fixed cost per
#: operation (tens of microseconds) exceeds the arithmetic (small economies: the claim checks' norm screens)
DENSE_ENTRIES = 4096


def _block(S):
    """``S`` as a dense array when small (:data:`DENSE_ENTRIES`), else CSR; the mode depends on the shape only."""
    rows, cols = S.shape
    if rows * cols <= DENSE_ENTRIES:
        return S.toarray() if sps.issparse(S) else np.asarray(S, dtype=float)
    return sps.csr_matrix(S)


def _nnz(S) -> int:
    return S.nnz if sps.issparse(S) else int(np.count_nonzero(S))


class LinearMap:
    """``x ↦ (S + Σ_i L_i R_i) x`` with ``S`` sparse (dense when small) and ``L_i`` dense, ``R_i`` sparse or dense."""

    def __init__(self, S, terms=()):
        self.S = _block(S)
        self.terms = [(np.asarray(L, dtype=float), R) for L, R in terms]

    @property
    def shape(self):
        return self.S.shape

    def __repr__(self) -> str:
        r = sum(L.shape[1] for L, _ in self.terms)
        return f"LinearMap(shape={self.shape}, nnz={_nnz(self.S)}, low_rank={r})"

    def __add__(self, other: LinearMap) -> LinearMap:
        total = self.S + other.S  # same shape, so the same mode (a dense sum of np.matrix never arises)
        return LinearMap(total, self.terms + other.terms)

    def __sub__(self, other: LinearMap) -> LinearMap:
        return self + other.scale(-1.0)

    def scale(self, c: float) -> LinearMap:
        return LinearMap(self.S * c, [(L * c, R) for L, R in self.terms])

    def lmul(self, B) -> LinearMap:
        """``B @ self`` for a sparse or dense ``B``."""
        if sps.issparse(B):
            B = sps.csr_matrix(B)
            return LinearMap(B @ self.S, [(np.asarray(B @ L), R) for L, R in self.terms])
        B = np.asarray(B, dtype=float)
        zero = sps.csr_matrix((B.shape[0], self.shape[1]))
        terms = [(B, self.S)] if _nnz(self.S) else []
        return LinearMap(zero, terms + [(B @ L, R) for L, R in self.terms])

    @staticmethod
    def vstack(parts) -> LinearMap:
        if all(not sps.issparse(p.S) for p in parts):
            S = np.vstack([p.S for p in parts])
        else:
            S = sps.vstack([sps.csr_matrix(p.S) for p in parts], format="csr")
        terms, row = [], 0
        for p in parts:
            for L, R in p.terms:
                big = np.zeros((S.shape[0], L.shape[1]))
                big[row : row + L.shape[0]] = L
                terms.append((big, R))
            row += p.shape[0]
        return LinearMap(S, terms)

    def matvec(self, x) -> np.ndarray:
        out = self.S @ x
        for L, R in self.terms:
            out = out + L @ (R @ x)
        return np.asarray(out)

    def rmatvec(self, x) -> np.ndarray:
        out = self.S.T @ x
        for L, R in self.terms:
            out = out + R.T @ (L.T @ x)
        return np.asarray(out)

    def toarray(self) -> np.ndarray:
        out = self.S.toarray() if sps.issparse(self.S) else np.array(self.S, dtype=float)
        for L, R in self.terms:
            out += np.asarray((R.T @ L.T).T) if sps.issparse(R) else L @ R
        return out

    def as_linear_operator(self):
        from scipy.sparse.linalg import LinearOperator

        return LinearOperator(self.shape, matvec=self.matvec, rmatvec=self.rmatvec, dtype=float)


@dataclass(frozen=True, eq=False)
class NumericJacobian:
    """Value and Jacobian of a map at a point (numeric evidence, floats).

    Attributes
    ----------
    value : ndarray
        ``Φ(x)`` flat, in the state order of DESIGN.md.
    jacobian : LinearMap or matrix-free operator
        ``DΦ(x)`` (rows outputs, columns inputs, same order); ``.toarray()`` when small.
    active : ActiveSet
        Branch on which it was taken.
    reduced : bool
        True for the reduced state ``(y, p, w)``.
    """

    value: np.ndarray
    jacobian: LinearMap | _MatrixFreeReduced
    active: ActiveSet
    reduced: bool
    shock_jacobian: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"NumericJacobian(n={self.value.size}, reduced={self.reduced}, {self.active!r})"

    def dense(self) -> np.ndarray:
        """The Jacobian as a dense array (refused, with the sizes, above :data:`MAX_DENSE` rows)."""
        require_dense(self.jacobian.shape[0], "a dense Jacobian")
        return self.jacobian.toarray()


def _price_derivative(econ, p, d, y_ref, p_new, active: ActiveSet, dp_in, dd, dy_ref):
    """Derivative of the price update (eq. (11) or the linear ``A_K`` of eq. (13))."""
    pm = econ.price_mechanism
    if pm.kind != "tatonnement":
        return dy_ref.lmul(pm.G_float)
    if active.p_positive is None:
        raise ValidationError("active.p_positive", None, "the branch of max(0, ·) of the tatonnement (eq. (11))")
    beta = float(econ.beta)
    dq = dp_in + (dd - dy_ref).scale(beta)
    pos = active.p_positive.ravel().astype(float)
    q = p + beta * (d - y_ref)
    total = float(np.sum(np.where(active.p_positive, q, 0.0)))
    diag_part = dq.lmul(sps.diags(pos / total))
    row = dq.lmul(sps.csr_matrix(pos[None, :] / total))  # (1 × n)
    return diag_part - row.lmul(p_new.reshape(-1, 1))


def _policy_derivative(econ, y, w, y_ref, active: ActiveSet, policy, dy_in: LinearMap, dw: LinearMap) -> LinearMap:
    """The Taylor rule's part of ``dc``: ``c_a ∋ λ1(x) lat_a(y_ref) − λ2(x) qual_a(y_ref)`` with ``λ`` moving.

    ``dλ1 = (∂λ1/∂L) dL`` and ``dλ2 = (∂λ2/∂Q) dQ`` (:func:`~geo_sym.economy.policy.slo_weight_slopes`, zero
    where the floor holds), ``dL``, ``dQ`` from :func:`~geo_sym.economy.policy.aggregate_gradients`.
    """
    slo = econ.slo
    A, K = econ.A, econ.K
    s_lat, s_qual = slo_weight_slopes(policy.as_float(), active.slo_at_floor)
    r_lat, r_qual = slo.readouts_float
    (dL_dy, dL_dw), (dQ_dy, dQ_dw) = aggregate_gradients(slo, y, w)

    def d_aggregate(g_y, g_w):
        return dy_in.lmul(sps.csr_matrix(g_y.reshape(1, A * K))) + dw.lmul(sps.csr_matrix(g_w[None, :]))

    lat_ref, qual_ref = y_ref @ r_lat, y_ref @ r_qual
    return d_aggregate(dL_dy, dL_dw).lmul((s_lat * lat_ref).reshape(-1, 1)) - d_aggregate(dQ_dy, dQ_dw).lmul(
        (s_qual * qual_ref).reshape(-1, 1)
    )


def _chain(econ, res, y, p, w, dy_in: LinearMap, dp_in: LinearMap, dw: LinearMap, policy=None, extra=None):
    """Derivatives of ``y'``, ``p'`` and ``c`` given those of the inputs ``y``, ``p`` and ``w``.

    ``res`` is the map's result at the point (a :class:`MapResult` or :class:`ReducedResult`: demand,
    image, active set and the SLO weights the rule set). ``extra`` optionally holds the shock terms
    ``(dd, dv, dy')`` of :func:`~geo_sym.economy.policy.shock_derivatives` (eq. (16)).
    """
    A, K = econ.A, econ.K
    AK = A * K
    alpha = float(econ.alpha)
    d, y_new, p_new, active = res.d, res.state.y, res.state.p, res.active
    v = y + alpha * (d - y)
    zero = LinearMap(sps.csr_matrix((AK, dy_in.shape[1])))
    Ud = sps.csr_matrix((econ.demand_float.ravel(), (np.arange(AK), np.repeat(np.arange(A), K))), shape=(AK, A))
    dd = dw.lmul(Ud) + (extra[0] if extra else zero)
    dv = dy_in.scale(1 - alpha) + dd.scale(alpha) + (extra[1] if extra else zero)
    # projection Jacobian, block diagonal
    if econ.all_boxes:
        Dproj = sps.diags((active.y_codes.ravel() == 0).astype(float))
    else:
        blocks = [s.projection_jacobian(v[a], active.y_codes[a]) for a, s in enumerate(econ.production_sets)]
        Dproj = sps.block_diag(blocks, format="csr")
    dy_new = dv.lmul(Dproj) + (extra[2] if extra else zero)
    sequential = econ.map_kind == "sequential"
    dy_ref = dy_new if sequential else dy_in
    y_ref = y_new if sequential else y
    dp_new = _price_derivative(econ, p, d, y_ref, p_new, active, dp_in, dd, dy_ref)
    if sequential and econ.sequential_revenue == "new":
        dp_rev, p_rev = dp_new, p_new
    else:
        dp_rev, p_rev = dp_in, p
    cw = econ.cost_weights_float
    if policy is not None:
        r_lat, r_qual = econ.slo.readouts_float
        cw = res.policy_rates.lat * r_lat - res.policy_rates.qual * r_qual  # the weights the rule set
    rows = np.repeat(np.arange(A), K)
    cols = np.arange(AK)
    Cy = sps.csr_matrix(((p_rev + cw[None, :]).ravel(), (rows, cols)), shape=(A, AK))
    Cp = sps.csr_matrix((y_ref.ravel(), (rows, cols)), shape=(A, AK))
    dc = dy_ref.lmul(Cy) + dp_rev.lmul(Cp)
    if policy is not None:
        dc = dc + _policy_derivative(econ, y, w, y_ref, active, policy, dy_in, dw)
    return dy_new, dp_new, dc


def _shock_terms(econ, channels, d, y_new):
    """Columns ``(∂d/∂ε, ∂v/∂ε, ∂y'/∂ε)`` at ``ε = 0`` for the named shock channels."""
    DD, DV, DY = shock_derivatives(channels, d, y_new, econ.A, econ.K)
    return LinearMap(DD), LinearMap(DV), LinearMap(DY)


def _shock_jacobian(econ, res, y, p, w, policy, channels, routing) -> np.ndarray:
    """``∂Φ/∂ε`` at ``ε = 0`` (dense ``n × m``); ``routing(dc)`` maps the costs' columns to the routing rows."""
    A, K = econ.A, econ.K
    m = len(channels)
    z = LinearMap(sps.csr_matrix((A * K, m)))
    extra = _shock_terms(econ, channels, res.d, res.state.y)
    sy, sp_, sc = _chain(econ, res, y, p, w, z, z, LinearMap(sps.csr_matrix((A, m))), policy, extra)
    return np.vstack([sy.toarray(), sp_.toarray(), routing(sc.toarray())])


@lru_cache(maxsize=64)
def _selectors(AK: int, n: int):
    """``∂y/∂x`` and ``∂p/∂x`` (row selectors of the state), built once per shape and shared (never modified)."""
    return _frozen(LinearMap(sps.eye(AK, n, 0, format="csr"))), _frozen(LinearMap(sps.eye(AK, n, AK, format="csr")))


@lru_cache(maxsize=64)
def _path_selector(P: int, n: int, offset: int):
    """``∂π/∂x`` (the routing rows of the state), built once per shape and shared (never modified)."""
    return sps.eye(P, n, offset, format="csr")


def _frozen(lm: LinearMap) -> LinearMap:
    """``lm`` with its dense block read-only, so a shared cached map cannot be changed in place."""
    if isinstance(lm.S, np.ndarray):
        lm.S.setflags(write=False)
    return lm


def numeric_jacobian(
    econ, state: State, active: ActiveSet | None = None, policy=None, shock_channels=None
) -> NumericJacobian:
    """Value and Jacobian of the economy's map in the full state ``(y, p, π)`` (floats).

    Derivatives are exact formulas (no finite differences) evaluated in floating point.
    With ``shock_channels`` the Jacobian with respect to the shocks at ``ε = 0``
    (``DΦ_ε`` of eq. (17)) is returned in ``shock_jacobian``.
    """
    st = state.to_float() if state.exact else state
    res: MapResult = evaluate_map(econ, st, active, policy=policy)
    A, K, P = econ.A, econ.K, econ.n_paths
    n = 2 * A * K + P
    M = econ.incidence
    dw = LinearMap(sps.csr_matrix(M) @ _path_selector(P, n, 2 * A * K))
    Ey, Ep = _selectors(A * K, n)
    dy, dp, dc = _chain(econ, res, st.y, st.p, res.w, Ey, Ep, dw, policy)
    pi_new = res.state.pi
    w_new = M @ pi_new
    B = -(pi_new[:, None] * M.T - np.outer(pi_new, w_new)) / float(econ.tau)
    J = LinearMap.vstack([dy, dp, dc.lmul(B)])
    shock_j = None
    if shock_channels:
        shock_j = _shock_jacobian(econ, res, st.y, st.p, res.w, policy, list(shock_channels), lambda dc: B @ dc)
    return NumericJacobian(res.state.flat(), J, res.active, reduced=False, shock_jacobian=shock_j)


def reduced_jacobian(
    econ,
    rstate: ReducedState,
    active: ActiveSet | None = None,
    covariance: str = "dense",
    policy=None,
    shock_channels=None,
) -> NumericJacobian:
    """Value and Jacobian of the reduced map ``(y, p, w) ↦ (y', p', w')``.

    Parameters
    ----------
    covariance : {"dense", "matrix-free"}
        ``"dense"`` forms the ``A × A`` covariance of path membership (``O(A^3)`` once);
        ``"matrix-free"`` applies it by a forward–backward DP in ``O(|E|)`` per product,
        for Arnoldi iterations on very large DAGs (then only ``matvec`` is available).
    policy : TaylorRule, optional
    shock_channels : list of ShockChannel, optional
        Also return ``∂Φ/∂ε`` at ``ε = 0`` (dense, ``n × m``) in ``shock_jacobian``.
    """
    res: ReducedResult = evaluate_reduced(econ, rstate, active, policy=policy)
    A, K = econ.A, econ.K
    n = 2 * A * K + A
    dw = LinearMap(sps.eye(A, n, 2 * A * K, format="csr"))
    y = np.asarray(rstate.y, dtype=float)
    w = np.asarray(rstate.w, dtype=float)
    p = np.asarray(rstate.p, dtype=float)
    Ey, Ep = _selectors(A * K, n)
    dy, dp, dc = _chain(econ, res, y, p, w, Ey, Ep, dw, policy)
    tau = float(econ.tau)
    shock_j = None
    J: LinearMap | _MatrixFreeReduced
    if covariance == "dense":
        cov = -res.marginals.covariance() / tau
        J = LinearMap.vstack([dy, dp, dc.lmul(cov)])

        def routing(dc_cols):
            return cov @ dc_cols
    elif covariance == "matrix-free":
        J = _MatrixFreeReduced(dy, dp, dc, res.marginals, tau)

        def routing(dc_cols):
            return np.column_stack([-res.marginals.covariance_matvec(c) / tau for c in dc_cols.T])
    else:
        raise ValidationError("covariance", covariance, "'dense' or 'matrix-free'")
    if shock_channels:
        shock_j = _shock_jacobian(econ, res, y, p, w, policy, list(shock_channels), routing)
    return NumericJacobian(res.state.flat(), J, res.active, reduced=True, shock_jacobian=shock_j)


class _MatrixFreeReduced:
    """Reduced Jacobian whose routing rows use the DP covariance product (matvec only)."""

    def __init__(self, dy, dp, dc, marginals, tau):
        self.dy, self.dp, self.dc, self.marginals, self.tau = dy, dp, dc, marginals, tau
        n = dy.shape[1]
        self.shape = (n, n)

    def __repr__(self) -> str:
        return f"MatrixFreeReducedJacobian(shape={self.shape})"

    def matvec(self, x):
        dcx = self.dc.matvec(x)
        return np.concatenate([self.dy.matvec(x), self.dp.matvec(x), -self.marginals.covariance_matvec(dcx) / self.tau])

    def as_linear_operator(self):
        from scipy.sparse.linalg import LinearOperator

        return LinearOperator(self.shape, matvec=self.matvec, dtype=float)

    def toarray(self):
        return np.column_stack([self.matvec(e) for e in np.eye(self.shape[1])])


def tangent_eigenvalues(econ, jac: NumericJacobian) -> np.ndarray:
    """Eigenvalues of ``T⁺ DΦ T``, the Jacobian restricted to the tangent space (dense; small economies).

    ``T`` is the basis of the :class:`~geo_sym.economy.state.TangentChart`: sum-zero directions of the
    simplex blocks, so the normalisation adds no artificial eigenvalues. Sorted by decreasing modulus.
    """
    chart = tangent_chart(econ, reduced=jac.reduced)
    require_dense(jac.jacobian.shape[0], "dense tangent eigenvalues")
    ev = np.linalg.eigvals(chart.restrict(jac.jacobian.toarray()))
    return ev[np.argsort(-np.abs(ev), kind="stable")]
