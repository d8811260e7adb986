"""Linearization (eq. (17)) and Blanchard–Kahn for the backward-looking orchestration map.

The orchestration loop ``x_{t+1} = Φ(x_t, ε_t)`` (eq. (16)) determines every coordinate of the next
state from the current one: nothing in it is an expectation of the future, so every variable is
*predetermined* (``n_forward = 0``). Blanchard–Kahn then reduces to the stability of the predetermined
system: a unique bounded solution exists for every bounded shock sequence exactly when no eigenvalue
of ``DΦ(x*)`` lies outside the unit circle (status ``determinate``); otherwise the (unique) solution
explodes (``no-stable-solution``), and no linear response is an equilibrium response. ``indeterminate``
cannot occur without forward-looking variables. Relabelling the prices of eq. (13) as jump variables
would be an artefact — they are set by the map, ``p = A_K(y')``; jump variables exist only in a model
that writes down expectations ``x(+1)``, i.e. a DSGE model file for ``geo-sym dsge``.

Everything here works on the reduced state ``(y, p, w)`` (size ``2AK + A``): every observable depends
on the routing only through the agent marginals ``w``, and the non-zero eigenvalues of the reduced
Jacobian are those of ``DΦ_K`` on ``(y, p, π)``. The roots are counted from eigenvalues (dense up to
1500 coordinates, matrix-free Arnoldi beyond), never from a QZ decomposition: nothing jumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from dsge.solution.blanchard_kahn import DETERMINATE, NO_STABLE_SOLUTION, BKResult
from geo_sym.display import LatexDisplay
from geo_sym.economy.state import tangent_chart
from geo_sym.errors import SolverError, ValidationError
from geo_sym.maps.jacobian import reduced_jacobian
from geo_sym.maps.unit_circle import classify_roots

__all__ = ["Linearization", "linearize", "SpectralResult", "spectral_radius", "DENSE_LIMIT", "BACKWARD_LOOKING"]

DENSE_LIMIT = 1500  # reduced-state size up to which all eigenvalues are computed densely
MATRIX_FREE_AGENTS = 1500  # agents above which the routing covariance is applied matrix-free

BACKWARD_LOOKING = (
    "x_{t+1} = Φ(x_t, ε_t) is backward-looking: every coordinate is predetermined (no forward-looking "
    "variable), so Blanchard–Kahn is the stability of the predetermined system"
)


@dataclass(frozen=True)
class SpectralResult:
    """Roots of the linearized orchestration map and what they mean for Blanchard–Kahn (§7.1).

    Attributes
    ----------
    spectral_radius : float
        ``ρ(DΦ(x*))`` (tangent space; ``λ`` of §7.1).
    n_unstable : int
        Moduli above ``1 + tol``.
    eigenvalues : tuple of complex
        By decreasing modulus: all of them (``method="dense"``) or the ``k`` largest (``"arnoldi"``).
    method : str
        ``dense`` or ``arnoldi`` (ARPACK on the matrix-free reduced Jacobian).
    tol : float
        Unit-circle tolerance.
    boundary : bool
        Some modulus lies within ``tol`` of 1 (counted as stable, as in Dynare; reported, not resolved).
    n_predetermined : int
        Dimension of the (tangent) state: every coordinate is predetermined.
    """

    spectral_radius: float
    n_unstable: int
    eigenvalues: tuple
    method: str
    tol: float
    boundary: bool
    n_predetermined: int = 0

    _repr_latex_ = LatexDisplay._repr_latex_

    def __repr__(self) -> str:
        return (
            f"SpectralResult(rho={self.spectral_radius:.6g}, unstable={self.n_unstable}, {self.status}, {self.method})"
        )

    @property
    def status(self) -> str:
        """``determinate`` (no root outside the unit circle) or ``no-stable-solution``."""
        return DETERMINATE if self.n_unstable == 0 else NO_STABLE_SOLUTION

    @property
    def stable(self) -> bool:
        """True when the linearized map has a unique stable solution (Blanchard–Kahn holds)."""
        return self.n_unstable == 0

    @property
    def message(self) -> str:
        if self.stable:
            tail = (
                f"; a modulus lies within {self.tol:g} of the unit circle (counted as stable)" if self.boundary else ""
            )
            return f"{BACKWARD_LOOKING}: no root outside the unit circle, the unique solution is stable{tail}"
        return (
            f"{BACKWARD_LOOKING}: {self.n_unstable} root(s) outside the unit circle, so the unique solution is "
            "explosive: there is no stable solution and no equilibrium response"
        )

    @property
    def bk(self) -> BKResult:
        """The same statement as a :class:`~dsge.solution.blanchard_kahn.BKResult` (``n_forward = 0``)."""
        moduli = tuple(sorted(float(abs(z)) for z in self.eigenvalues))
        return BKResult(
            self.status, 0, self.n_predetermined, self.n_unstable, moduli, self.boundary, self.tol, None, self.message
        )

    def to_dict(self) -> dict:
        d = self.bk.to_dict()
        d.update(
            spectral_radius=self.spectral_radius,
            method=self.method,
            complete=self.method == "dense",
            formulation="backward-looking",
            eigenvalues=[[float(z.real), float(z.imag)] for z in self.eigenvalues],
        )
        return d


def _spectrum(eigenvalues, method: str, tol: float, m: int, keep: int) -> SpectralResult:
    ev = np.asarray(eigenvalues, dtype=complex)
    ev = ev[np.argsort(-np.abs(ev), kind="stable")]
    mod = np.abs(ev)
    kept = ev if method == "dense" else ev[: max(keep, 8)]
    classes = classify_roots(ev, tol)  # the Blanchard–Kahn counting rule (geo_sym.maps.unit_circle)
    return SpectralResult(
        float(mod.max()) if mod.size else 0.0,
        classes.n_unstable,
        tuple(complex(z) for z in kept),
        method,
        tol,
        classes.n_boundary > 0,
        m,
    )


def _arnoldi(J, n: int, k: int, tol: float) -> np.ndarray:
    """The largest eigenvalues by ARPACK; more are sought while every one found is unstable (to count them all)."""
    from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigs

    op = LinearOperator((n, n), matvec=J.matvec, dtype=float)
    kk = min(k, n - 2)
    while True:
        try:
            ev = eigs(op, k=kk, which="LM", return_eigenvectors=False, tol=1e-10, maxiter=50 * n)
        except ArpackNoConvergence as exc:
            ev = exc.eigenvalues
            if ev is None or len(ev) == 0:
                raise SolverError(f"ARPACK did not converge for the {kk} largest eigenvalues") from None
        if np.sum(np.abs(ev) > 1 + tol) < len(ev) or kk >= min(256, n - 2):
            return ev
        kk = min(2 * kk, n - 2)


def _stability(econ, J, tol: float, k: int, method: str = "auto") -> SpectralResult:
    """Eigenvalue count of the reduced Jacobian ``J`` on the tangent space: dense when small, else Arnoldi."""
    chart = tangent_chart(econ, reduced=True)
    if method == "dense" or (method == "auto" and chart.n <= DENSE_LIMIT):
        return _spectrum(np.linalg.eigvals(chart.restrict(J.toarray())), "dense", tol, chart.m, k)
    return _spectrum(_arnoldi(J, chart.n, k, tol), "arnoldi", tol, chart.m, k)


@dataclass(frozen=True, eq=False)
class Linearization:
    """``Δx_{t+1} = J Δx_t + B ε_t`` on the reduced state ``(y, p, w)`` at a steady state (eq. (17)).

    Attributes
    ----------
    J : LinearMap or matrix-free operator
        ``DΦ(x*)`` on the reduced state (exact formulas in floating point), applied by ``matvec``.
    B : ndarray (n, m)
        ``DΦ_ε(x*)``, one column per shock channel (exact formulas, ``ε = 0``).
    channels : tuple of ShockChannel
    active : ActiveSet
        The branch of every non-smooth piece at ``x*`` (the SLO-weight floor included).
    """

    econ: object = field(repr=False)
    steady: object = field(repr=False)
    J: object = field(repr=False)
    B: np.ndarray = field(repr=False)
    channels: tuple = ()
    active: object = field(default=None, repr=False)

    def __repr__(self) -> str:
        return f"Linearization(n={self.B.shape[0]}, shocks={[c.name for c in self.channels]}, reduced=True)"

    @property
    def policy(self):
        return self.steady.policy

    def channel_index(self, channel) -> int:
        names = [c.name for c in self.channels]
        name = getattr(channel, "name", channel)
        if name not in names:
            raise ValidationError("channel", name, f"one of the linearized channels {names}")
        return names.index(name)

    def propagate(self, channel, periods: int, size: float = 1.0) -> np.ndarray:
        """``Δx_{t+1}`` for ``t = 0..periods−1`` after ``size`` units of ``channel`` at ``t = 0`` (rows: periods).

        Linear in ``size`` exactly: ``Δx_1 = B ε`` and ``Δx_{t+1} = J Δx_t``.
        """
        j = self.channel_index(channel)
        out = np.zeros((periods, self.B.shape[0]))
        z = self.B[:, j] * size
        for t in range(periods):
            out[t] = z
            z = self.J.matvec(z)
        return out

    def stability(self, tol: float = 1e-6, k: int = 8) -> SpectralResult:
        """The roots of ``J`` on the tangent space and the Blanchard–Kahn status (see the module docstring).

        Computed once per ``(tol, k)``: every response of a comparison shares it.
        """
        if (tol, k) not in self._stabilities:
            self._stabilities[(tol, k)] = _stability(self.econ, self.J, tol, k)
        return self._stabilities[(tol, k)]

    @cached_property
    def _stabilities(self) -> dict:
        return {}


def linearize(econ, steady, channels=()) -> Linearization:
    """Linearize at a steady state, on the reduced state (exact Jacobian formulas in floating point).

    The Taylor rule in force is the steady state's (:attr:`SteadyState.policy`): its SLO-weight floor
    enters on the branch active at ``x*`` (a floor that binds there makes the weight locally constant).
    """
    rs = steady.reduced_state(econ)
    covariance = "dense" if econ.A <= MATRIX_FREE_AGENTS else "matrix-free"
    nj = reduced_jacobian(econ, rs, covariance=covariance, policy=steady.policy, shock_channels=list(channels) or None)
    B = nj.shock_jacobian if channels else np.zeros((nj.value.size, 0))
    return Linearization(econ, steady, nj.jacobian, B, tuple(channels), nj.active)


def spectral_radius(econ, steady, method: str = "auto", k: int = 8, tol: float = 1e-6) -> SpectralResult:
    """``ρ(DΦ(x*))`` and the roots outside the unit circle, under the steady state's policy.

    ``auto`` uses all eigenvalues (dense) up to 1500 reduced coordinates and the matrix-free Arnoldi
    method (ARPACK) beyond; ``dense`` / ``arnoldi`` force one.
    """
    if method not in ("auto", "dense", "arnoldi"):
        raise ValidationError("method", method, "auto, dense or arnoldi")
    rs = steady.reduced_state(econ)
    dense = method == "dense" or (method == "auto" and econ.reduced_state_size() <= DENSE_LIMIT)
    J = reduced_jacobian(econ, rs, covariance="dense" if dense else "matrix-free", policy=steady.policy).jacobian
    return _stability(econ, J, tol, k, "dense" if dense else "arnoldi")
