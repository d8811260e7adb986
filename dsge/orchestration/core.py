"""The orchestration economy as a DSGE model (§7): ``x_{t+1} = Φ(x_t, ε_t)`` (eq. (16)–(17)).

Steady states by fixed-point methods (plain iteration, Anderson acceleration, Newton in
tangent coordinates) with detection of non-isolated steady states; linearization in
tangent coordinates with exact Jacobian formulas; Blanchard–Kahn with a chosen set of
jump variables; linear impulse responses next to nonlinear simulations of the same
shock; the Taylor-rule SLO policy of eq. (18)–(19); stability maps over the policy
coefficients; and, for large economies, the spectral radius and the count of unstable
roots by a matrix-free Arnoldi method on the reduced state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from geo_sym.economy.spec import parse_shock_channel
from geo_sym.economy.state import State, state_labels, tangent_basis
from geo_sym.errors import DegenerateNormalizationError, DomainError, SolverError, ValidationError
from geo_sym.maps.core import (
    ReducedState,
    ShockValues,
    TaylorRule,
    aggregate_metrics,
    evaluate_map,
    evaluate_reduced,
    reduce_state,
)
from geo_sym.maps.jacobian import numeric_jacobian, reduced_jacobian

__all__ = [
    "SteadyState",
    "steady_state",
    "taylor_rule",
    "shock_channel",
    "Linearization",
    "linearize",
    "OrchestrationIRF",
    "impulse_response",
    "SpectralResult",
    "spectral_radius",
    "StabilityMap",
    "stability_map",
    "shock_values",
]

REDUCED_THRESHOLD = 2000  # paths above which the reduced state (y, p, w) is used


# ------------------------------------------------------------------------------------- shocks, policy
def shock_channel(econ, name: str):
    """A shock channel by name: declared in the file's ``shocks`` section, or ``kind:agent`` / ``load``."""
    for ch in econ.shock_channels:
        if ch.name == name:
            return ch
    try:
        return parse_shock_channel(name, list(econ.agent_names), econ.K, econ.slo, "--shock")
    except ValidationError as exc:
        declared = [c.name for c in econ.shock_channels]
        raise ValidationError(
            "--shock",
            name,
            f"a declared channel {declared} or 'kind:agent' with kind latency, quality, failure, load ({exc})",
        ) from None


def shock_values(econ, channel, size: float) -> ShockValues:
    """The arrays of :class:`geo_sym.maps.core.ShockValues` for ``size`` units of ``channel``."""
    A, K = econ.A, econ.K
    v_add = demand = cut = None
    for a, wgt in channel.agent_weights(A):
        if channel.kind in ("latency", "quality", "metric"):
            v_add = np.zeros((A, K)) if v_add is None else v_add
            v_add[a] += size * wgt * channel.direction_float
        elif channel.kind == "load":
            demand = np.zeros(A) if demand is None else demand
            demand[a] += size * wgt
        else:
            cut = np.zeros(A) if cut is None else cut
            cut[a] += size * wgt
    return ShockValues(v_add=v_add, demand_scale=demand, output_cut=cut)


def taylor_rule(econ, x_star, phi_lat=None, phi_qual=None, targets=None) -> TaylorRule:
    """The Taylor rule (18)–(19) with targets at the steady state's aggregates unless given.

    With targets equal to the aggregates of ``x_star`` the rule is neutral there, so ``x_star``
    stays a steady state of the economy under the rule.
    """
    if econ.slo is None:
        raise ValidationError("slo", None, "an slo section (weights and read-outs) for the Taylor rule to act on")
    cfg = econ.taylor or {}
    phi_lat = cfg.get("phi_lat", 0) if phi_lat is None else phi_lat
    phi_qual = cfg.get("phi_qual", 0) if phi_qual is None else phi_qual
    if targets is None and cfg.get("targets"):
        targets = (float(cfg["targets"]["latency"]), float(cfg["targets"]["quality"]))
    if targets is None:
        y, w = _yw(econ, x_star)
        lat, qual = aggregate_metrics(econ, y, w)
        targets = (float(lat), float(qual))
    return TaylorRule(float(phi_lat), float(phi_qual), float(targets[0]), float(targets[1]))


def _yw(econ, x):
    if isinstance(x, ReducedState):
        return np.asarray(x.y, dtype=float), np.asarray(x.w, dtype=float)
    st = x.to_float() if x.exact else x
    return st.y, econ.incidence @ st.pi


# ------------------------------------------------------------------------------------- steady state
@dataclass(frozen=True, eq=False)
class SteadyState:
    """A steady state ``x* = Φ(x*)`` and how it was found.

    Attributes
    ----------
    state : State or ReducedState
    method : str
    residual : float
        ``‖Φ(x*) - x*‖``.
    iterations : int
    isolated : bool or None
        False when the steady state lies on a continuum (a unit eigenvalue of the tangent
        Jacobian whose direction leads to other steady states); None when not checked.
    continuum_dimension : int
        Number of eigenvalues equal to 1 (within 1e-8) of the tangent Jacobian.
    message : str
    """

    state: object
    method: str
    residual: float
    iterations: int
    isolated: bool | None
    continuum_dimension: int
    message: str
    reduced: bool = False

    def __repr__(self) -> str:
        return (
            f"SteadyState(method={self.method}, residual={self.residual:.2e}, isolated={self.isolated}, "
            f"reduced={self.reduced})"
        )

    def to_dict(self) -> dict:
        st = self.state
        state = (
            {"y": st.y.tolist(), "p": st.p.tolist(), "w": list(map(float, st.w))}
            if self.reduced
            else {"y": st.y.tolist(), "p": st.p.tolist(), "pi": list(map(float, st.pi))}
        )
        return {
            "state": state,
            "method": self.method,
            "residual": self.residual,
            "iterations": self.iterations,
            "isolated": self.isolated,
            "continuum_dimension": self.continuum_dimension,
            "message": self.message,
            "reduced": self.reduced,
        }


def _apply(econ, x, policy):
    if isinstance(x, ReducedState):
        return evaluate_reduced(econ, x, policy=policy).state
    return evaluate_map(econ, x, policy=policy).state


def _flat(x):
    return x.flat()


def _from_flat(econ, v, reduced):
    return ReducedState.from_flat(econ, v) if reduced else State.from_flat(econ, v)


def _anderson(econ, x0, policy, reduced, tol, max_iter, m=5):
    """Anderson acceleration (type II, depth m) of the fixed-point iteration, safeguarded."""
    x = _flat(x0)
    X, F = [], []
    res = np.inf
    for it in range(1, max_iter + 1):
        gx = _flat(_apply(econ, _from_flat(econ, x, reduced), policy))
        f = gx - x
        res = float(np.linalg.norm(f))
        if res <= tol:
            return _from_flat(econ, x, reduced), res, it
        X.append(gx)
        F.append(f)
        if len(F) > m:
            X.pop(0)
            F.pop(0)
        if len(F) >= 2:
            dF = np.column_stack([F[i + 1] - F[i] for i in range(len(F) - 1)])
            dX = np.column_stack([X[i + 1] - X[i] for i in range(len(X) - 1)])
            gamma, *_ = np.linalg.lstsq(dF, f, rcond=None)
            cand = gx - dX @ gamma
            # keep the candidate only if it stays in the domain and does not increase the residual
            try:
                cst = _from_flat(econ, _project_to_domain(econ, cand, reduced), reduced)
                cres = float(np.linalg.norm(_flat(_apply(econ, cst, policy)) - _flat(cst)))
                x = _flat(cst) if cres < res else gx
            except (DegenerateNormalizationError, DomainError):  # the candidate left the domain of Φ: plain step
                x = gx
        else:
            x = gx
    return _from_flat(econ, x, reduced), res, max_iter


def _project_to_domain(econ, v, reduced):
    """Clip to the production sets' bounding boxes and renormalise the simplex blocks."""
    v = v.copy()
    A, K = econ.A, econ.K
    AK = A * K
    if econ.prices_on_simplex:
        p = np.maximum(v[AK : 2 * AK], 0)
        v[AK : 2 * AK] = p / p.sum() if p.sum() > 0 else np.full(AK, 1 / AK)
    if not reduced:
        pi = np.maximum(v[2 * AK :], 0)
        v[2 * AK :] = pi / pi.sum()
    return v


def steady_state(
    econ,
    start=None,
    *,
    method: str = "auto",
    policy: TaylorRule | None = None,
    reduced: bool | None = None,
    tol: float = 1e-11,
    max_iter: int = 20000,
    check_isolation: bool = True,
) -> SteadyState:
    """A steady state of the orchestration economy.

    Parameters
    ----------
    method : {"auto", "iterate", "anderson", "newton"}
        ``auto``: Anderson acceleration, then Newton in tangent coordinates (full state only)
        when close. ``newton`` starts Newton from the start point directly.
    reduced : bool, optional
        Work in the reduced state ``(y, p, w)``; default when ``|P(G)| > 2000``.

    Raises
    ------
    SolverError
        When no steady state is found (the residual is reported).
    """
    from geo_sym.solve.fixed_point import center_state, find_fixed_point

    if method not in ("auto", "iterate", "anderson", "newton"):
        raise ValidationError("method", method, "auto, iterate, anderson or newton")
    reduced = econ.n_paths > REDUCED_THRESHOLD if reduced is None else reduced
    if start is None:
        if reduced:
            A, K = econ.A, econ.K
            from geo_sym.economy.graph import routing_marginals

            start = ReducedState(
                np.zeros((A, K)),
                np.full((A, K), 1 / (A * K)),
                routing_marginals(econ.graph, np.zeros(A), float(econ.tau)).w,
            )
        else:
            start = center_state(econ)
    if reduced and not isinstance(start, ReducedState):
        start = reduce_state(econ, start)
    it = 0
    if method == "iterate":
        x = start
        res = np.inf
        for _ in range(1, max_iter + 1):
            fx = _apply(econ, x, policy)
            res = float(np.linalg.norm(_flat(fx) - _flat(x)))
            x = fx
            if res <= tol:
                break
    elif method in ("anderson", "auto"):
        x, res, it = _anderson(
            econ, start, policy, reduced, tol if (method == "anderson" or reduced) else max(tol, 1e-8), max_iter
        )
    else:
        x, res = start, np.inf
    if not reduced and method in ("auto", "newton"):
        r = find_fixed_point(econ, x, tol=tol, max_iter=max_iter, policy=policy)
        x, res, it = r.state, r.residual, it + r.iterations
    if not np.isfinite(res) or res > max(tol, 1e-8) * 10:
        raise SolverError(f"no steady state found by {method}: residual ‖Φ(x) − x‖ = {res:.3g} after {it} iterations")
    isolated, dim = None, 0
    if check_isolation and not reduced:
        isolated, dim = _isolation(econ, x, policy)
    msg = (
        "converged"
        if isolated is not False
        else (
            f"the steady state lies on a continuum of steady states ({dim} unit eigenvalue(s) of the tangent Jacobian, and "
            "moving along them leads to other steady states): the one reported is where the iteration stopped"
        )
    )
    return SteadyState(x, method, float(res), int(it), isolated, dim, msg, reduced)


def _isolation(econ, x, policy):
    """Unit eigenvalues of the tangent Jacobian, and whether moving along them finds other steady states."""
    from geo_sym.solve.fixed_point import find_fixed_point

    Q = tangent_basis(econ)
    J = numeric_jacobian(econ, x, policy=policy).dense()
    Jt = Q.T @ J @ Q
    ev, vecs = np.linalg.eig(Jt)
    unit = np.flatnonzero(np.abs(ev - 1) < 1e-8)
    if unit.size == 0:
        return True, 0
    v = np.real(vecs[:, unit[0]])
    v /= np.linalg.norm(v)
    for step in (1e-3, -1e-3, 1e-2, -1e-2):
        try:
            cand = State.from_flat(econ, _project_to_domain(econ, x.flat() + step * (Q @ v), False))
            r = find_fixed_point(econ, cand, tol=1e-11, policy=policy)
        except (DegenerateNormalizationError, DomainError):
            continue
        if r.success and np.linalg.norm(r.state.flat() - x.flat()) > 1e-6:
            return False, int(unit.size)
    return None, int(unit.size)


# ------------------------------------------------------------------------------------- linearization
@dataclass(frozen=True, eq=False)
class Linearization:
    """``Δx_{t+1} = A Δx_t + B ε_t`` in tangent coordinates (eq. (17)).

    Attributes
    ----------
    A : ndarray (m, m)
        ``Qᵀ DΦ(x*) Q`` with ``Q`` an orthonormal tangent basis (prices and routing on their simplices).
    B : ndarray (m, s)
        ``Qᵀ DΦ_ε(x*)`` for the shock channels.
    Q : ndarray (n, m)
    channels : tuple of ShockChannel
    labels : list of str
        Names of the ambient state coordinates.
    """

    econ: object = field(repr=False)
    steady: SteadyState = field(repr=False)
    A: np.ndarray = field(repr=False)
    B: np.ndarray = field(repr=False)
    Q: np.ndarray = field(repr=False)
    channels: tuple = ()
    labels: list = field(default_factory=list, repr=False)
    policy: TaylorRule | None = None

    def __repr__(self) -> str:
        return f"Linearization(tangent_dim={self.A.shape[0]}, shocks={[c.name for c in self.channels]})"

    @property
    def eigenvalues(self) -> np.ndarray:
        ev = np.linalg.eigvals(self.A) if self.A.size else np.zeros(0)
        return ev[np.argsort(-np.abs(ev), kind="stable")]

    def blanchard_kahn(self, jumps: str | list = "none", tol: float = 1e-6):
        """Blanchard–Kahn / Klein on ``E_t Δx_{t+1} = A Δx_t`` with the chosen jump variables.

        ``jumps="none"`` (default): every coordinate of ``(y, p, π)`` is predetermined — the
        orchestration loop is backward-looking, so the conditions reduce to "no root outside the
        unit circle" (``determinate``) versus explosive (``no-stable-solution``).
        ``jumps="prices"``: the price coordinates are treated as forward-looking jumps.
        """
        from dsge.solution.blanchard_kahn import klein

        n = self.A.shape[0]
        econ = self.econ
        AK = econ.A * econ.K
        n_p = AK - 1 if econ.prices_on_simplex else AK
        if jumps in ("none", None, []):
            order, nj = list(range(n)), 0
        elif jumps == "prices":
            order = list(range(AK)) + list(range(AK + n_p, n)) + list(range(AK, AK + n_p))
            nj = n_p
        else:
            raise ValidationError("jumps", jumps, "'none' or 'prices'")
        bk, _, _ = klein(np.eye(n), self.A[np.ix_(order, order)], n - nj, tol=tol)
        return bk

    def irf(self, channel_index: int, periods: int, size: float = 1.0) -> np.ndarray:
        """Linear responses ``Δx_{t+1}`` (ambient coordinates) for ``t = 0..periods-1`` to ``size`` at ``t = 0``."""
        out = np.zeros((periods, self.Q.shape[0]))
        z = self.B[:, channel_index] * size
        for t in range(periods):
            out[t] = self.Q @ z
            z = self.A @ z
        return out


def linearize(econ, steady: SteadyState, channels=(), policy: TaylorRule | None = None) -> Linearization:
    """Linearize at a steady state (full state; exact Jacobian formulas in floating point)."""
    if steady.reduced:
        raise ValidationError(
            "steady", "reduced state", "a full-state steady state (use spectral_radius for large DAGs)"
        )
    nj = numeric_jacobian(econ, steady.state, policy=policy, shock_channels=list(channels) or None)
    Q = tangent_basis(econ)
    A = Q.T @ nj.dense() @ Q
    B = Q.T @ nj.shock_jacobian if channels else np.zeros((A.shape[0], 0))
    return Linearization(econ, steady, A, B, Q, tuple(channels), state_labels(econ), policy)


# ------------------------------------------------------------------------------------- impulse responses
def _observables(econ, flat_states: np.ndarray, policy: TaylorRule | None):
    """Named series from state paths: production, prices, agent marginals, aggregates and SLO weights."""
    A, K = econ.A, econ.K
    AK = A * K
    M = econ.incidence
    names = econ.agent_names
    out = {}
    y = flat_states[:, :AK].reshape(-1, A, K)
    p = flat_states[:, AK : 2 * AK].reshape(-1, A, K)
    w = flat_states[:, 2 * AK :] @ M.T
    for a in range(A):
        for k in range(K):
            out[f"y[{names[a]},{k + 1}]"] = y[:, a, k]
        out[f"price[{names[a]}]"] = p[:, a, :].sum(axis=1)
        out[f"w[{names[a]}]"] = w[:, a]
    if econ.slo is not None:
        r1 = np.array([float(v) for v in econ.slo.readout_lat])
        r2 = np.array([float(v) for v in econ.slo.readout_qual])
        lat = np.einsum("ta,tak,k->t", w, y, r1)
        qual = np.einsum("ta,tak,k->t", w, y, r2)
        out["latency"], out["quality"] = lat, qual
        if policy is not None:
            out["lambda_lat"] = float(econ.slo.lambda_lat) + policy.phi_lat * (lat - policy.lat_target)
            out["lambda_qual"] = float(econ.slo.lambda_qual) + policy.phi_qual * (policy.qual_target - qual)
    return out


@dataclass(frozen=True, eq=False)
class OrchestrationIRF:
    """Linear and nonlinear responses to one shock, as deviations from the steady state.

    ``linear[v][t]`` and ``nonlinear[v][t]`` are the deviations of series ``v`` at period ``t``
    (``t = 0`` is the impact period, ``x_1 - x*``). ``gap`` is the largest absolute difference
    between the two over all series and periods, and ``relative_gap = gap / size``.
    """

    channel: str
    size: float
    periods: int
    linear: dict = field(repr=False)
    nonlinear: dict = field(repr=False)
    gap: float = 0.0
    policy: TaylorRule | None = None

    def __repr__(self) -> str:
        return (
            f"OrchestrationIRF({self.channel!r}, size={self.size:g}, periods={self.periods}, "
            f"gap={self.gap:.3g}, policy={'taylor' if self.policy else 'none'})"
        )

    @property
    def relative_gap(self) -> float:
        return self.gap / abs(self.size) if self.size else float("inf")

    def to_frame(self, which: str = "linear"):
        from dsge.solution.results import _pandas

        pd = _pandas()
        data = self.linear if which == "linear" else self.nonlinear
        return pd.DataFrame(data, index=pd.RangeIndex(self.periods, name="period"))

    def plot(self, variables=None, other: OrchestrationIRF | None = None, path=None):
        """Grid of responses (linear solid, nonlinear dashed; ``other`` — e.g. without policy — dotted)."""
        from dsge.solution.results import _pyplot

        plt = _pyplot()
        variables = variables or _default_variables(self.linear)
        n = len(variables)
        cols = min(3, n)
        rows = (n + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.6 * rows), squeeze=False)
        t = np.arange(self.periods)
        for ax, v in zip(axes.ravel(), variables):
            ax.plot(t, self.linear[v], label="linear" + (" (Taylor rule)" if self.policy else ""))
            ax.plot(t, self.nonlinear[v], "--", label="nonlinear")
            if other is not None and v in other.linear:
                ax.plot(t, other.linear[v], ":", label="linear, no policy" if self.policy else "linear (other)")
            ax.axhline(0, color="0.6", lw=0.6)
            ax.set_title(v, fontsize=9)
            ax.set_xlabel("period")
        for ax in axes.ravel()[n:]:
            ax.set_visible(False)
        axes.ravel()[0].legend(fontsize=7)
        fig.suptitle(f"response to {self.channel} (size {self.size:g})")
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=90)
        return fig


def _default_variables(series: dict) -> list:
    """Aggregates and SLO weights first, then the series that move most (flat ones are skipped)."""
    agg = [k for k in ("latency", "quality", "lambda_lat", "lambda_qual") if k in series]
    scale = max((float(np.max(np.abs(v))) for v in series.values()), default=0.0)
    rest = sorted(
        (k for k in series if k not in agg and float(np.max(np.abs(series[k]))) > 1e-9 * max(scale, 1e-300)),
        key=lambda k: -float(np.max(np.abs(series[k]))),
    )
    return (agg + rest)[:9]


def impulse_response(
    econ,
    channel,
    periods: int = 40,
    size: float = 0.01,
    policy: TaylorRule | None = None,
    steady: SteadyState | None = None,
    lin: Linearization | None = None,
) -> OrchestrationIRF:
    """Linear IRF next to the nonlinear simulation of the same shock (``size`` units at period 0)."""
    if periods < 1:
        raise ValidationError("--periods", periods, "a positive number of periods")
    steady = steady or steady_state(econ, policy=policy)
    lin = lin or linearize(econ, steady, [channel], policy)
    j = [c.name for c in lin.channels].index(channel.name)
    lin_path = lin.irf(j, periods, size)
    x = steady.state
    path = []
    x = evaluate_map(econ, x, shocks=shock_values(econ, channel, size), policy=policy).state
    for _ in range(periods):
        path.append(x.flat())
        x = evaluate_map(econ, x, policy=policy).state
    xs = steady.state.flat()
    nonlin = np.array(path) - xs
    base = _observables(econ, xs[None, :], policy)
    lin_obs = {k: v - base[k][0] for k, v in _observables(econ, xs + lin_path, policy).items()}
    non_obs = {k: v - base[k][0] for k, v in _observables(econ, xs + nonlin, policy).items()}
    gap = max(float(np.max(np.abs(lin_obs[k] - non_obs[k]))) for k in lin_obs)
    return OrchestrationIRF(channel.name, float(size), periods, lin_obs, non_obs, gap, policy)


# ------------------------------------------------------------------------------------- spectra, stability maps
@dataclass(frozen=True)
class SpectralResult:
    """Spectral radius and unstable roots of the linearization (tangent space).

    ``method`` is ``dense`` (all eigenvalues) or ``arnoldi`` (ARPACK on the matrix-free reduced
    Jacobian; ``eigenvalues`` then holds the ``k`` largest in modulus). ``n_unstable`` counts moduli
    above ``1 + tol``; ``boundary`` is True when one lies within ``tol`` of 1.
    """

    spectral_radius: float
    n_unstable: int
    eigenvalues: tuple
    method: str
    tol: float
    boundary: bool

    def __repr__(self) -> str:
        return f"SpectralResult(rho={self.spectral_radius:.6g}, unstable={self.n_unstable}, {self.method})"

    def to_dict(self) -> dict:
        return {
            "spectral_radius": self.spectral_radius,
            "n_unstable": self.n_unstable,
            "method": self.method,
            "tolerance": self.tol,
            "boundary": self.boundary,
            "eigenvalues": [[float(z.real), float(z.imag)] for z in self.eigenvalues],
        }


def spectral_radius(
    econ, steady: SteadyState, policy: TaylorRule | None = None, method: str = "auto", k: int = 8, tol: float = 1e-6
) -> SpectralResult:
    """``ρ(DΦ(x*))`` and the number of roots outside the unit circle.

    ``auto`` uses a dense eigen-decomposition for tangent dimension ≤ 1500 and the matrix-free
    Arnoldi method otherwise (never a dense decomposition it cannot afford).
    """
    reduced = steady.reduced
    n = econ.reduced_state_size() if reduced else econ.state_size()
    if method == "auto":
        method = "dense" if n <= 1500 else "arnoldi"
    if method == "dense":
        if reduced:
            nj = reduced_jacobian(econ, steady.state, policy=policy)
        else:
            nj = numeric_jacobian(econ, steady.state, policy=policy)
        Q = tangent_basis(econ, reduced=reduced)
        ev = np.linalg.eigvals(Q.T @ nj.dense() @ Q)
    elif method == "arnoldi":
        from scipy.sparse.linalg import ArpackNoConvergence, eigs

        rs = steady.state if reduced else reduce_state(econ, steady.state)
        op = reduced_jacobian(econ, rs, covariance="matrix-free", policy=policy).jacobian.as_linear_operator()
        kk = min(k, n - 2)
        while True:
            try:
                ev = eigs(op, k=kk, which="LM", return_eigenvectors=False, tol=1e-10, maxiter=50 * n)
            except ArpackNoConvergence as exc:
                ev = exc.eigenvalues
                if ev is None or len(ev) == 0:
                    raise SolverError(f"ARPACK did not converge for the {kk} largest eigenvalues") from None
            if np.sum(np.abs(ev) > 1 + tol) < len(ev) or kk >= min(256, n - 2):
                break
            kk = min(2 * kk, n - 2)  # every root found is unstable: look further to count them all
    else:
        raise ValidationError("method", method, "auto, dense or arnoldi")
    ev = np.asarray(ev)
    ev = ev[np.argsort(-np.abs(ev), kind="stable")]
    mod = np.abs(ev)
    return SpectralResult(
        float(mod.max()) if mod.size else 0.0,
        int(np.sum(mod > 1 + tol)),
        tuple(ev[: max(k, 8)]),
        method,
        tol,
        bool(np.any(np.abs(mod - 1) <= tol)),
    )


@dataclass(frozen=True, eq=False)
class StabilityMap:
    """Spectral radius of the linearized economy under the Taylor rule over a grid of ``(φ_lat, φ_qual)``."""

    phi_lat: np.ndarray
    phi_qual: np.ndarray
    rho: np.ndarray  # (len(phi_qual), len(phi_lat))
    tol: float = 1e-6

    def __repr__(self) -> str:
        return f"StabilityMap({self.rho.shape[1]}×{self.rho.shape[0]}, stable share {self.stable.mean():.2f})"

    @property
    def stable(self) -> np.ndarray:
        return self.rho < 1 - self.tol

    def to_dict(self) -> dict:
        return {
            "phi_lat": self.phi_lat.tolist(),
            "phi_qual": self.phi_qual.tolist(),
            "rho": self.rho.tolist(),
            "stable": self.stable.tolist(),
            "tolerance": self.tol,
        }

    def plot(self, path=None):
        from dsge.solution.results import _pyplot

        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(5.5, 4.2))
        mesh = ax.pcolormesh(self.phi_lat, self.phi_qual, self.rho, shading="nearest", cmap="viridis")
        fig.colorbar(mesh, ax=ax, label="spectral radius ρ")
        if np.any(self.rho >= 1) and np.any(self.rho < 1) and self.rho.shape[0] > 1 and self.rho.shape[1] > 1:
            ax.contour(self.phi_lat, self.phi_qual, self.rho, levels=[1.0], colors="w", linewidths=1.5)
        ax.set_xlabel("φ_lat (latency response)")
        ax.set_ylabel("φ_qual (quality response)")
        ax.set_title("Taylor-rule SLO policy: ρ(DΦ(x*)) (white: ρ = 1)")
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=90)
        return fig


def stability_map(
    econ, phi_lat, phi_qual, steady: SteadyState | None = None, tol: float = 1e-6, progress=None
) -> StabilityMap:
    """ρ at the steady state for each pair ``(φ_lat, φ_qual)`` (targets at the steady state, so it is unchanged)."""
    steady = steady or steady_state(econ)
    phi_lat = np.asarray(phi_lat, dtype=float)
    phi_qual = np.asarray(phi_qual, dtype=float)
    rho = np.zeros((phi_qual.size, phi_lat.size))
    for i, fq in enumerate(phi_qual):
        for j, fl in enumerate(phi_lat):
            pol = taylor_rule(econ, steady.state, fl, fq)
            rho[i, j] = spectral_radius(econ, steady, pol, tol=tol).spectral_radius
        if progress is not None:
            progress(i + 1, phi_qual.size)
    return StabilityMap(phi_lat, phi_qual, rho, tol)
