"""The Streaming Functional Stats Layer (SFSL) of §4.1, on discretized trajectories.

The paper (Garnier 2026, §4.1) approximates the commodity space
``H = L²([0, T], R^R)`` by the finite-dimensional subspaces

.. math::

    V_K = \\operatorname{Im}(\\varphi^\\dagger) \\subset H, \\qquad \\dim V_K = K, \\qquad (9)

where ``φ : H → R^K`` extracts ``K = R·F`` exponential-kernel statistics of a
trajectory (``F`` per metric) and ``φ†`` is its Moore–Penrose pseudo-inverse.
Assumption 3 asks that ``∪_K V_K`` be dense in ``H``; Theorem 4.6 (Bewley's
argument) passes from the projected economies ``E_K`` to ``H`` as ``K → ∞``.

This module implements ``φ``, ``φ†``, ``V_K``, an orthonormal basis of ``V_K``,
the orthogonal projection ``Π_{V_K}`` and the projection error, so that the
completeness assumption can be *examined numerically* (how fast
``‖f − Π_{V_K} f‖`` falls as ``K`` grows, and where floating point stops
resolving ``V_K``).

Discretization
--------------
A trajectory is sampled on the uniform grid ``t_i = i·T/(N−1)``,
``i = 0..N−1`` (``N = n_grid``) and stored as an array of shape ``(N, R)``.
The L² inner product is replaced by the **composite trapezoid rule**

.. math::

    \\langle f, g \\rangle_W = \\sum_i w_i \\sum_r f_{i r} g_{i r},
    \\qquad w = h\\,(1/2, 1, \\dots, 1, 1/2), \\quad h = T/(N-1),

which is exact for constants and has error ``≤ T h² max|(fg)''| / 12``.
Every "L²" quantity below (norms, adjoints, orthonormality, projections) is
taken in this weighted inner product, so the discrete space is a faithful
finite-dimensional model of ``H``.

Kernels
-------
Statistic ``j`` of metric ``r`` is the exponential moving average read at time
``T``:

.. math::

    \\varphi(f)_{r F + j} = \\int_0^T e^{-\\lambda_j (T - t)} f_r(t)\\,dt
    \\approx \\sum_i w_i\\, e^{-\\lambda_j (T - t_i)} f_{i r},

so ``λ_j = 0`` gives the plain integral (``T`` times the mean). Coordinates of
``R^K`` are ordered **metric-major**: index ``k = r·F + j``.

Completeness (Assumption 3)
---------------------------
With ``x = e^{-(T - t)} ∈ [e^{-T}, 1]`` the kernels are the Müntz monomials
``x^{λ_j}``; on an interval bounded away from 0 the Müntz–Szász theorem gives
density of their span iff ``Σ_j 1/λ_j = ∞`` (over the nonzero rates), e.g. the
arithmetic rates ``λ_j = j·λ_0`` of :func:`arithmetic_rates`. The nested family
used by :func:`geo_sym.economy.sfsl_family.projection_errors` keeps the first ``F`` rates fixed as ``F``
grows, so ``V_K ⊂ V_{K+R}``.

Conditioning
------------
The Gram matrix of exponentials is notoriously ill-conditioned (it is a
Hilbert-like matrix in ``x``). Nothing here inverts it: the orthonormal basis
comes from a Householder QR of ``W^{1/2} E`` (``E`` the ``N × F`` kernel
matrix) with signs fixed so that it equals the Gram–Schmidt basis of the
kernels taken in order (hence nested in ``F``), and ``φ†`` is applied as
``W^{-1/2} Q R^{-T}`` with a triangular solve. The Gram condition number and
the numerical rank are exposed as properties; ``φ†`` refuses to run once the
kernels are numerically dependent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from numbers import Integral, Real

import numpy as np
from scipy.linalg import solve_triangular

from geo_sym.errors import DomainError, ShapeError, ValidationError

__all__ = ["QUADRATURE", "SFSLOperator", "arithmetic_rates"]

#: Name of the quadrature rule used for the discrete L² inner product.
QUADRATURE = "trapezoid"


# --------------------------------------------------------------------------- helpers
def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _check_T(T) -> float:
    if isinstance(T, bool) or not isinstance(T, Real):
        raise ValidationError("T", T, "a finite real number > 0")
    value = float(T)
    if not math.isfinite(value) or value <= 0.0:
        raise ValidationError("T", T, "a finite real number > 0")
    return value


def _check_int(name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or int(value) < minimum:
        raise ValidationError(name, value, f"an integer >= {minimum}")
    return int(value)


def _check_rates(rates) -> tuple[float, ...]:
    if isinstance(rates, (str, bytes)) or isinstance(rates, Real):
        raise ValidationError("decay_rates", rates, "a non-empty sequence of distinct finite rates >= 0")
    try:
        items = list(rates)
    except TypeError:
        raise ValidationError("decay_rates", rates, "a non-empty sequence of distinct finite rates >= 0") from None
    if not items:
        raise ValidationError("decay_rates", rates, "a non-empty sequence of distinct finite rates >= 0")
    out: list[float] = []
    for j, lam in enumerate(items):
        if isinstance(lam, bool) or not isinstance(lam, Real) or not math.isfinite(float(lam)):
            raise ValidationError(f"decay_rates[{j}]", lam, "a finite real number >= 0")
        if float(lam) < 0.0:
            raise ValidationError(f"decay_rates[{j}]", lam, "a decay rate >= 0 (negative rates grow)")
        out.append(float(lam))
    if len(set(out)) != len(out):
        dup = sorted({x for x in out if out.count(x) > 1})
        raise ValidationError(
            "decay_rates", tuple(rates), f"distinct rates (duplicated: {dup}); equal rates give equal kernels"
        )
    return tuple(out)


def arithmetic_rates(F: int, step: float = 1.0, start: float = 0.0) -> tuple[float, ...]:
    """Decay rates ``start, start + step, ..., start + (F−1)·step``.

    With ``step > 0`` the series ``Σ 1/λ_j`` diverges, so by the Müntz–Szász
    theorem the nested family of kernels is complete (Assumption 3).

    Parameters
    ----------
    F : int
        Number of rates (statistics per metric), ``>= 1``.
    step : float
        Spacing ``λ_0 > 0``.
    start : float
        First rate, ``>= 0`` (``0`` includes the plain integral).

    Returns
    -------
    tuple of float
    """
    F = _check_int("F", F, 1)
    if isinstance(step, bool) or not isinstance(step, Real) or not math.isfinite(step) or step <= 0:
        raise ValidationError("step", step, "a finite real number > 0")
    if isinstance(start, bool) or not isinstance(start, Real) or not math.isfinite(start) or start < 0:
        raise ValidationError("start", start, "a finite real number >= 0")
    return tuple(float(start) + j * float(step) for j in range(F))


def _grid_and_weights(T: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.linspace(0.0, T, n)
    h = T / (n - 1)
    w = np.full(n, h)
    w[0] = w[-1] = h / 2.0
    return t, w


def _kernel_matrix(t: np.ndarray, T: float, rates: tuple[float, ...]) -> np.ndarray:
    lam = np.asarray(rates, dtype=float)
    return np.exp(-np.outer(T - t, lam))


def _signed_qr(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Thin Householder QR with ``diag(R) >= 0`` (= Gram–Schmidt of the columns)."""
    Q, Rm = np.linalg.qr(A, mode="reduced")
    s = np.sign(np.diag(Rm))
    s[s == 0] = 1.0
    return Q * s, Rm * s[:, None]


def _singular_info(B: np.ndarray) -> tuple[float, int]:
    """Gram condition number ``(σ_max/σ_min)²`` and numerical rank of ``B``."""
    sv = np.linalg.svd(B, compute_uv=False)
    smax = float(sv[0]) if sv.size else 0.0
    tol = smax * max(B.shape) * np.finfo(float).eps
    rank = int(np.sum(sv > tol))
    smin = float(sv[-1])
    cond = math.inf if smin == 0.0 else (smax / smin) ** 2
    return cond, rank


# --------------------------------------------------------------------------- operator
@dataclass(frozen=True)
class _SFSLParameters:
    """The defining numbers of an :class:`SFSLOperator`, validated and normalised by its constructor."""

    T: float
    n_grid: int
    decay_rates: tuple[float, ...]
    n_metrics: int = 1


class SFSLOperator(_SFSLParameters):
    """The SFSL operator ``φ : H → R^K`` of §4.1 on a discretized ``[0, T]``.

    ``φ(f)_{rF+j} = ∫_0^T exp(−λ_j (T − t)) f_r(t) dt`` (exponential moving
    average of metric ``r`` with rate ``λ_j``, read at time ``T``), evaluated
    with the trapezoid rule on ``n_grid`` equispaced points. ``K = R·F``.

    Parameters
    ----------
    T : float
        Horizon, ``> 0``.
    n_grid : int
        Number of grid points ``N``; ``N >= 2`` and ``N >= F`` (otherwise the
        ``F`` sampled kernels cannot be independent).
    decay_rates : tuple of float
        ``F`` distinct rates ``λ_j >= 0``; their order defines the nested
        family ``V_K ⊂ V_{K+R}`` (the first ``F`` rates are kept).
    n_metrics : int
        Number of metrics ``R >= 1``.

    Notes
    -----
    All inner products are the trapezoid-weighted ``⟨f, g⟩_W`` (see the module
    docstring), the discrete stand-in for ``⟨·,·⟩_H``. ``V_K = Im(φ†)`` of
    eq. (9) is the span of the kernels ``e_{r,j}(t) = κ_j(t)·1_r``; it has
    dimension ``K`` exactly (the sampled kernels form a Vandermonde system in
    ``x_j = e^{−λ_j h}``), but only :attr:`numerical_rank` of them are
    resolvable in float64 — see :attr:`condition_number`.

    Examples
    --------
    >>> op = SFSLOperator(T=1.0, n_grid=201, decay_rates=(0.0, 1.0, 2.0))
    >>> op.K
    3
    """

    def __init__(self, T, n_grid, decay_rates, n_metrics=1):
        T_ = _check_T(T)
        n = _check_int("n_grid", n_grid, 2)
        rates = _check_rates(decay_rates)
        R = _check_int("n_metrics", n_metrics, 1)
        if n < len(rates):
            raise ValidationError(
                "n_grid",
                n_grid,
                f"at least len(decay_rates) = {len(rates)} grid points "
                "(otherwise the sampled kernels are linearly dependent)",
            )
        super().__init__(T_, n, rates, R)  # the frozen dataclass's own initialiser, with normalised values

    # ------------------------------------------------------------------ sizes
    @property
    def F(self) -> int:
        """Number of statistics per metric (``len(decay_rates)``)."""
        return len(self.decay_rates)

    @property
    def K(self) -> int:
        """Number of statistics ``K = R·F`` = ``dim V_K`` (eq. (9))."""
        return self.n_metrics * self.F

    @property
    def quadrature(self) -> str:
        """Quadrature rule of the discrete inner product (``"trapezoid"``)."""
        return QUADRATURE

    # ------------------------------------------------------------------ grid and kernels
    @cached_property
    def grid(self) -> np.ndarray:
        """Grid points ``t_i``, shape ``(N,)``."""
        return _readonly(_grid_and_weights(self.T, self.n_grid)[0])

    @cached_property
    def weights(self) -> np.ndarray:
        """Trapezoid weights ``w_i``, shape ``(N,)``; ``Σ w_i = T``."""
        return _readonly(_grid_and_weights(self.T, self.n_grid)[1])

    @cached_property
    def kernels(self) -> np.ndarray:
        """Sampled kernels ``E[i, j] = exp(−λ_j (T − t_i))``, shape ``(N, F)``."""
        return _readonly(_kernel_matrix(self.grid, self.T, self.decay_rates))

    @cached_property
    def _sqrt_w(self) -> np.ndarray:
        return np.sqrt(self.weights)

    @cached_property
    def _qr(self) -> tuple[np.ndarray, np.ndarray]:
        return _signed_qr(self._sqrt_w[:, None] * self.kernels)

    @cached_property
    def _sv_info(self) -> tuple[float, int]:
        return _singular_info(self._sqrt_w[:, None] * self.kernels)

    @cached_property
    def matrix(self) -> np.ndarray:
        """Matrix of ``φ``, shape ``(K, N·R)``, quadrature weights included.

        Row ``r·F + j``, column ``i·R + r'`` (the C-order flattening of an
        ``(N, R)`` trajectory) holds ``δ_{rr'} w_i exp(−λ_j (T − t_i))``, so
        ``φ(f) = matrix @ f.ravel()``.
        """
        N, R, F = self.n_grid, self.n_metrics, self.F
        M = np.zeros((R * F, N * R))
        block = (self.kernels * self.weights[:, None]).T  # (F, N)
        for r in range(R):
            M[r * F : (r + 1) * F, r::R] = block
        return _readonly(M)

    @cached_property
    def gram(self) -> np.ndarray:
        """Gram matrix ``φ φ*`` of the kernels in ``⟨·,·⟩_W``, shape ``(K, K)``.

        Block diagonal (one ``F × F`` block per metric). Ill-conditioned;
        provided for inspection only — nothing in this module inverts it.
        """
        _, Rm = self._qr
        G = Rm.T @ Rm
        return _readonly(np.kron(np.eye(self.n_metrics), G))

    @property
    def condition_number(self) -> float:
        """2-norm condition number of the Gram matrix ``φ φ*`` (= ``(σ_max/σ_min)²``).

        Computed from the singular values of ``W^{1/2} E``; ``inf`` when the
        smallest one underflows. ``φ†`` amplifies relative errors in the
        statistics by up to ``sqrt(condition_number)``.
        """
        return self._sv_info[0]

    @property
    def numerical_rank(self) -> int:
        """Numerical rank of ``φ`` (``R ×`` that of ``W^{1/2} E`` at tolerance ``σ_max·max(N,F)·ε``).

        Equals ``K`` when ``V_K`` is resolvable in float64; smaller once the
        exponentials are numerically dependent (large ``F``).
        """
        return self.n_metrics * self._sv_info[1]

    @property
    def is_well_conditioned(self) -> bool:
        """``True`` when :attr:`numerical_rank` equals ``K``."""
        return self.numerical_rank == self.K

    # ------------------------------------------------------------------ input checks
    def _trajectory(self, f, name: str = "trajectory") -> tuple[np.ndarray, bool]:
        N, R = self.n_grid, self.n_metrics
        try:
            a = np.asarray(f, dtype=float)
        except (TypeError, ValueError):
            raise ValidationError(name, f, f"a real array of shape ({N}, {R})") from None
        flat = False
        if a.ndim == 1 and R == 1 and a.shape[0] == N:
            a, flat = a[:, None], True
        if a.shape != (N, R):
            raise ShapeError(
                name, f"array of shape {a.shape}", f"shape (N, R) = ({N}, {R})" + (f" or ({N},)" if R == 1 else "")
            )
        if not np.all(np.isfinite(a)):
            raise ValidationError(name, "array with non-finite entries", "finite values (no NaN/inf)")
        return a, flat

    def _vector(self, c, name: str) -> np.ndarray:
        try:
            a = np.asarray(c, dtype=float)
        except (TypeError, ValueError):
            raise ValidationError(name, c, f"a real vector of length K = {self.K}") from None
        if a.shape != (self.K,):
            raise ShapeError(name, f"array of shape {a.shape}", f"shape (K,) = ({self.K},)")
        if not np.all(np.isfinite(a)):
            raise ValidationError(name, "vector with non-finite entries", "finite values (no NaN/inf)")
        return a

    def _to_FR(self, c: np.ndarray) -> np.ndarray:
        # metric-major R^K  ->  (F, R) column-per-metric
        return c.reshape(self.n_metrics, self.F).T

    @staticmethod
    def _from_FR(S: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(S.T).ravel()

    # ------------------------------------------------------------------ the operator
    def apply(self, trajectory) -> np.ndarray:
        """Statistics ``φ(f) ∈ R^K`` of a trajectory.

        Parameters
        ----------
        trajectory : array_like, shape (N, R)
            Samples ``f_r(t_i)``; shape ``(N,)`` is accepted when ``R = 1``.

        Returns
        -------
        numpy.ndarray, shape (K,)
            ``φ(f)_{rF+j} = Σ_i w_i exp(−λ_j (T − t_i)) f_{ir}``, metric-major.

        Raises
        ------
        ShapeError
            Wrong shape (the message names the expected ``(N, R)``).
        ValidationError
            Non-finite entries.
        """
        f, _ = self._trajectory(trajectory)
        S = self.kernels.T @ (self.weights[:, None] * f)  # (F, R)
        return self._from_FR(S)

    __call__ = apply

    def adjoint(self, stats) -> np.ndarray:
        """Adjoint ``φ* : R^K → H`` in ``⟨·,·⟩_W``: ``φ*(c)_r = Σ_j c_{rF+j} κ_j``.

        Returns an array of shape ``(N, R)``; ``⟨φ f, c⟩ = ⟨f, φ* c⟩_W``.
        """
        c = self._vector(stats, "stats")
        return self.kernels @ self._to_FR(c)

    def pseudo_inverse(self, stats) -> np.ndarray:
        """Moore–Penrose pseudo-inverse ``φ†`` (minimum ``⟨·,·⟩_W``-norm reconstruction).

        ``φ†(c) = φ*(φ φ*)^{-1} c`` is the trajectory of least L² norm whose
        statistics are ``c``; ``V_K = Im(φ†)`` (eq. (9)). Computed as
        ``W^{-1/2} Q R^{-T} c`` from the QR factorization ``W^{1/2} E = Q R``,
        never by inverting the Gram matrix.

        Parameters
        ----------
        stats : array_like, shape (K,)

        Returns
        -------
        numpy.ndarray, shape (N, R)

        Raises
        ------
        DomainError
            The kernels are numerically dependent (:attr:`numerical_rank` ``< K``),
            so ``φ†`` cannot be evaluated meaningfully in float64.
        """
        c = self._vector(stats, "stats")
        if not self.is_well_conditioned:
            raise DomainError(
                f"pseudo_inverse: the {self.F} exponential kernels with rates {self.decay_rates} "
                f"are numerically dependent on this grid (numerical rank {self.numerical_rank} < "
                f"K = {self.K}, Gram condition number {self.condition_number:.3g}); "
                "use fewer or more widely spaced decay rates"
            )
        Q, Rm = self._qr
        Z = solve_triangular(Rm, self._to_FR(c), trans="T", lower=False)
        return (Q @ Z) / self._sqrt_w[:, None]

    # ------------------------------------------------------------------ V_K
    def basis(self) -> np.ndarray:
        """Orthonormal basis ``{φ_1, ..., φ_K}`` of ``V_K`` in ``⟨·,·⟩_W`` (§4.2).

        Returns
        -------
        numpy.ndarray, shape (K, N, R), read-only
            ``basis()[r·F + j]`` is supported on metric ``r`` and is the
            ``j``-th Gram–Schmidt vector of the kernels ``κ_0, ..., κ_{F−1}``
            (obtained by Householder QR, not by classical Gram–Schmidt), so the
            first ``F' ≤ F`` vectors per metric span the ``V`` of the first
            ``F'`` rates: the family is nested.

        Notes
        -----
        The basis is orthonormal to machine precision whatever the
        conditioning; when :attr:`numerical_rank` ``< K`` its trailing vectors
        span directions determined by rounding rather than by the kernels.
        """
        return self._basis

    @cached_property
    def _basis(self) -> np.ndarray:
        Q, _ = self._qr
        Qf = Q / self._sqrt_w[:, None]  # (N, F), W-orthonormal columns
        R, F, N = self.n_metrics, self.F, self.n_grid
        B = np.zeros((R * F, N, R))
        for r in range(R):
            B[r * F : (r + 1) * F, :, r] = Qf.T
        return _readonly(B)

    def inner(self, f, g) -> float:
        """Discrete L² inner product ``⟨f, g⟩_W = Σ_i w_i Σ_r f_{ir} g_{ir}``."""
        a, _ = self._trajectory(f, "f")
        b, _ = self._trajectory(g, "g")
        return float(np.sum(self.weights[:, None] * a * b))

    def norm(self, f) -> float:
        """Discrete L² norm ``‖f‖_W``."""
        a, _ = self._trajectory(f)
        return float(np.sqrt(np.sum(self.weights[:, None] * a * a)))

    def coordinates(self, trajectory) -> np.ndarray:
        """Coordinates of ``Π_{V_K} f`` in the orthonormal basis, shape ``(K,)``.

        ``⟨Π f, Π g⟩_H = coordinates(f) · coordinates(g)`` — the reduction of
        inner products in ``V_K`` to dot products in ``R^K`` used in §4.2.
        """
        f, _ = self._trajectory(trajectory)
        Q, _ = self._qr
        return self._from_FR(Q.T @ (self._sqrt_w[:, None] * f))

    def from_coordinates(self, coords) -> np.ndarray:
        """The element ``Σ_k c_k φ_k`` of ``V_K``, shape ``(N, R)``."""
        c = self._vector(coords, "coords")
        Q, _ = self._qr
        return (Q @ self._to_FR(c)) / self._sqrt_w[:, None]

    def project(self, trajectory) -> np.ndarray:
        """Orthogonal projection ``Π_{V_K} f`` in ``⟨·,·⟩_W``; same shape as the input."""
        f, flat = self._trajectory(trajectory)
        Q, _ = self._qr
        sw = self._sqrt_w[:, None]
        P = (Q @ (Q.T @ (sw * f))) / sw
        return P[:, 0] if flat else P

    def projection_error(self, trajectory) -> float:
        """``‖f − Π_{V_K} f‖_W``, the discrete L² distance from ``f`` to ``V_K``.

        Assumption 3 (completeness) says this tends to 0 as ``K → ∞`` along the
        nested family, for every ``f ∈ H``; Theorem 4.6 relies on it.
        """
        f, _ = self._trajectory(trajectory)
        Q, _ = self._qr
        g = self._sqrt_w[:, None] * f
        resid = g - Q @ (Q.T @ g)
        return float(np.linalg.norm(resid))
