"""Steady states of the orchestration economy, ``x* = Φ(x*)`` (§7.1), with or without the Taylor rule.

Fixed-point methods: plain iteration, Anderson acceleration, and Newton steps in tangent
coordinates (:func:`geo_sym.solve.fixed_point.find_fixed_point`). A steady state on a continuum
(a unit eigenvalue whose direction leads to other steady states — the simultaneous tâtonnement has
them whenever markets clear) is reported as ``isolated: False``, never picked silently.

The Taylor rule (eq. (18)–(19)) with targets left to the steady state is *neutral* there: with
``L* = L(x*)`` and ``Q* = Q(x*)`` the rule returns the economy's own SLO weights at ``x*`` (its floor
lies at or below them), so ``x*`` is a steady state with and without the rule. With explicit targets
the steady state is computed under the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo_sym.economy.policy import TaylorRule, aggregate_metrics
from geo_sym.economy.state import State, tangent_basis
from geo_sym.errors import DegenerateNormalizationError, DomainError, SolverError, ValidationError
from geo_sym.maps.core import ReducedState, evaluate_map, evaluate_reduced, reduce_state, routing

__all__ = ["SteadyState", "steady_state", "taylor_rule", "REDUCED_THRESHOLD"]

REDUCED_THRESHOLD = 2000  # paths above which the steady state is sought on the reduced state (y, p, w)


@dataclass(frozen=True, eq=False)
class SteadyState:
    """A steady state ``x* = Φ(x*)`` and how it was found.

    Attributes
    ----------
    state : State or ReducedState
    method : str
    residual : float
        ``‖Φ(x*) − x*‖``.
    iterations : int
    isolated : bool or None
        False when the steady state lies on a continuum (a unit eigenvalue of the tangent Jacobian whose
        direction leads to other steady states); None when not decided.
    continuum_dimension : int
        Number of eigenvalues equal to 1 (within 1e-8) of the tangent Jacobian.
    message : str
    reduced : bool
        True when ``state`` is the reduced ``(y, p, w)``.
    policy : TaylorRule or None
        The Taylor rule in force, with its targets set (eq. (18)–(19)); None without the rule.
    """

    state: object
    method: str
    residual: float
    iterations: int
    isolated: bool | None
    continuum_dimension: int
    message: str
    reduced: bool = False
    policy: TaylorRule | None = None

    def __repr__(self) -> str:
        return (
            f"SteadyState(method={self.method}, residual={self.residual:.2e}, isolated={self.isolated}, "
            f"reduced={self.reduced}, policy={'taylor' if self.policy is not None else 'none'})"
        )

    def reduced_state(self, econ) -> ReducedState:
        """The steady state as ``(y, p, w)`` (floats)."""
        return self.state if self.reduced else reduce_state(econ, self.state)

    def to_dict(self) -> dict:
        st = self.state
        state = (
            {"y": st.y.tolist(), "p": st.p.tolist(), "w": list(map(float, st.w))}
            if self.reduced
            else {"y": st.y.tolist(), "p": st.p.tolist(), "pi": list(map(float, st.pi))}
        )
        d = {
            "state": state,
            "method": self.method,
            "residual": self.residual,
            "iterations": self.iterations,
            "isolated": self.isolated,
            "continuum_dimension": self.continuum_dimension,
            "message": self.message,
            "reduced": self.reduced,
        }
        if self.policy is not None:
            d["policy"] = self.policy.to_dict()
        return d


def taylor_rule(econ, phi_lat=None, phi_qual=None) -> TaylorRule:
    """The economy's Taylor rule (its ``taylor:`` section), with optional other coefficients.

    Without a ``taylor:`` section the rule has ``φ = 0``, targets at the steady state and floor 0.
    Targets left open are set by :func:`steady_state` (``policy=``) at the steady state's aggregates.

    Raises
    ------
    ValidationError
        When the economy has no ``slo`` section (no SLO weights for the rule to set).
    """
    from geo_sym.economy.numbers import parse_number

    if econ.slo is None:
        raise ValidationError("slo", None, "an slo section (weights and read-outs) for the Taylor rule to act on")
    rule = econ.taylor if econ.taylor is not None else TaylorRule()
    return rule.with_coefficients(
        None if phi_lat is None else parse_number(phi_lat, "phi_lat"),
        None if phi_qual is None else parse_number(phi_qual, "phi_qual"),
    )


def _apply(econ, x, policy):
    if isinstance(x, ReducedState):
        return evaluate_reduced(econ, x, policy=policy).state
    return evaluate_map(econ, x, policy=policy).state


def _from_flat(econ, v, reduced):
    return ReducedState.from_flat(econ, v) if reduced else State.from_flat(econ, v)


def _project_to_domain(econ, v, reduced):
    """Renormalise the simplex blocks of a flat state (prices under the tâtonnement, routing)."""
    v = v.copy()
    AK = econ.A * econ.K
    if econ.prices_on_simplex:
        p = np.maximum(v[AK : 2 * AK], 0)
        v[AK : 2 * AK] = p / p.sum() if p.sum() > 0 else np.full(AK, 1 / AK)
    if not reduced:
        pi = np.maximum(v[2 * AK :], 0)
        v[2 * AK :] = pi / pi.sum()
    return v


def _anderson(econ, x0, policy, reduced, tol, max_iter, m=5):
    """Anderson acceleration (type II, depth m) of the fixed-point iteration, safeguarded."""
    x = x0.flat()
    X: list[np.ndarray] = []
    F: list[np.ndarray] = []
    res = np.inf
    for it in range(1, max_iter + 1):
        gx = _apply(econ, _from_flat(econ, x, reduced), policy).flat()
        f = gx - x
        res = float(np.linalg.norm(f))
        if res <= tol:
            return _from_flat(econ, x, reduced), res, it
        X.append(gx)
        F.append(f)
        if len(F) > m:
            X.pop(0)
            F.pop(0)
        x = gx
        if len(F) >= 2:
            dF = np.column_stack([F[i + 1] - F[i] for i in range(len(F) - 1)])
            dX = np.column_stack([X[i + 1] - X[i] for i in range(len(X) - 1)])
            gamma, *_ = np.linalg.lstsq(dF, f, rcond=None)
            # keep the candidate only if it stays in the domain and does not increase the residual
            try:
                cst = _from_flat(econ, _project_to_domain(econ, gx - dX @ gamma, reduced), reduced)
                cres = float(np.linalg.norm(_apply(econ, cst, policy).flat() - cst.flat()))
                if cres < res:
                    x = cst.flat()
            except (DegenerateNormalizationError, DomainError):  # the candidate left the domain of Φ: plain step
                pass
    return _from_flat(econ, x, reduced), res, max_iter


def _start(econ, start, reduced):
    from geo_sym.solve.fixed_point import center_state

    if start is None and reduced:
        from geo_sym.economy.graph import routing_marginals

        A, K = econ.A, econ.K
        w0 = routing_marginals(econ.graph, np.zeros(A), float(econ.tau)).w
        return ReducedState(np.zeros((A, K)), np.full((A, K), 1 / (A * K)), w0)
    if start is None:
        return center_state(econ)
    if reduced and not isinstance(start, ReducedState):
        return reduce_state(econ, start)
    if isinstance(start, State) and start.exact:
        return start.to_float()
    return start


def _lift(econ, rs: ReducedState, policy) -> State:
    """The full state ``(y, p, π)`` of a reduced fixed point: ``π`` is the routing of its agent costs (eq. (12))."""
    res = evaluate_reduced(econ, rs, policy=policy)
    return State(np.asarray(rs.y, dtype=float), np.asarray(rs.p, dtype=float), routing(econ, res.costs))


def _solve_via_reduced(econ, start, policy, tol, max_iter):
    """Anderson on the reduced state (size ``2AK + A``), lifted to ``(y, p, π)``; ``None`` when that fails.

    At a fixed point of the reduced map the routing of its costs has marginals ``w*``, so the lifted state
    is a fixed point of the full map; its residual is checked on the full map itself.
    """
    rstart = reduce_state(econ, start) if isinstance(start, State) else start
    try:
        rs, _, it = _anderson(econ, rstart, policy, True, tol, max_iter)
        x = _lift(econ, rs, policy)
        res = float(np.linalg.norm(_apply(econ, x, policy).flat() - x.flat()))
    except (DegenerateNormalizationError, DomainError):
        return None
    return (x, res, it) if res <= tol else None


def _solve(econ, start, policy, method, reduced, tol, max_iter):
    from geo_sym.solve.fixed_point import find_fixed_point

    if method == "auto" and not reduced and econ.reduced_state_size() < econ.state_size():
        found = _solve_via_reduced(econ, start, policy, tol, max_iter)
        if found is not None:
            return found
    it = 0
    if method == "iterate":
        x, res = start, np.inf
        while it < max_iter and res > tol:
            fx = _apply(econ, x, policy)
            res = float(np.linalg.norm(fx.flat() - x.flat()))
            x, it = fx, it + 1
    elif method in ("anderson", "auto"):
        inner_tol = tol if (method == "anderson" or reduced) else max(tol, 1e-8)
        x, res, it = _anderson(econ, start, policy, reduced, inner_tol, max_iter)
    else:
        x, res = start, np.inf
    if not reduced and method in ("auto", "newton"):
        r = find_fixed_point(econ, x, tol=tol, max_iter=max_iter, policy=policy)
        x, res, it = r.state, r.residual, it + r.iterations
    return x, res, it


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
    """A steady state of the orchestration economy (eq. (16) with ``ε = 0``).

    Parameters
    ----------
    start : State or ReducedState, optional
        Where to start (default: inaction, uniform prices and routing).
    method : {"auto", "iterate", "anderson", "newton"}
        ``auto``: Anderson acceleration on the reduced state lifted to ``(y, p, π)`` when the reduced
        state is the smaller one and that converges; otherwise Anderson, then Newton in tangent
        coordinates (full state only) when close. ``newton`` starts Newton from the start point directly.
    policy : TaylorRule, optional
        The Taylor rule (eq. (18)–(19)). Targets left open are set to the aggregates of the steady
        state found without the rule, where the rule is neutral; given targets put the rule in force
        during the search. The result carries the rule with its targets (:attr:`SteadyState.policy`).
    reduced : bool, optional
        Work on the reduced state ``(y, p, w)``; default when ``|P(G)| > 2000``.

    Raises
    ------
    SolverError
        When no steady state is found (the residual is reported).
    """
    if method not in ("auto", "iterate", "anderson", "newton"):
        raise ValidationError("method", method, "auto, iterate, anderson or newton")
    reduced = econ.n_paths > REDUCED_THRESHOLD if reduced is None else reduced
    x0 = _start(econ, start, reduced)
    search_policy = policy.as_float() if policy is not None and policy.has_targets else None
    x, res, it = _solve(econ, x0, search_policy, method, reduced, tol, max_iter)
    if not np.isfinite(res) or res > max(tol, 1e-8) * 10:
        raise SolverError(f"no steady state found by {method}: residual ‖Φ(x) − x‖ = {res:.3g} after {it} iterations")
    resolved = None
    if policy is not None:
        resolved = search_policy if search_policy is not None else neutral_rule(econ, policy, x)
    isolated, dim = None, 0
    if check_isolation:
        isolated, dim = _isolation(econ, x, resolved, reduced)
    msg = (
        "converged"
        if isolated is not False
        else (
            f"the steady state lies on a continuum of steady states ({dim} unit eigenvalue(s) of the tangent "
            "Jacobian, and moving along them leads to other steady states): the one reported is where the "
            "iteration stopped"
        )
    )
    return SteadyState(x, method, float(res), int(it), isolated, dim, msg, reduced, resolved)


def neutral_rule(econ, policy: TaylorRule, x) -> TaylorRule:
    """The rule with targets at the aggregates of ``x`` (floats), neutral there."""
    rs = x if isinstance(x, ReducedState) else reduce_state(econ, x)
    lat, qual = aggregate_metrics(econ.slo, np.asarray(rs.y, dtype=float), np.asarray(rs.w, dtype=float))
    return policy.with_targets(float(lat), float(qual)).as_float()


def _unit_eigenvalues(econ, x, policy) -> int:
    """Number of eigenvalues within 1e-8 of 1 of the reduced Jacobian (same non-zero spectrum as the full one)."""
    from geo_sym.economy.state import tangent_chart
    from geo_sym.maps.jacobian import reduced_jacobian

    rs = x if isinstance(x, ReducedState) else reduce_state(econ, x)
    J = reduced_jacobian(econ, rs, policy=policy).dense()
    ev = np.linalg.eigvals(tangent_chart(econ, reduced=True).restrict(J))
    return int(np.sum(np.abs(ev - 1) < 1e-8))


def _isolation(econ, x, policy, reduced):
    """Unit eigenvalues of the tangent Jacobian, and whether moving along them finds other steady states."""
    from geo_sym.maps.jacobian import numeric_jacobian
    from geo_sym.solve.fixed_point import find_fixed_point

    if econ.reduced_state_size() > 1500:
        return None, 0  # no dense eigen-decomposition at this size; use spectral_radius (Arnoldi)
    if _unit_eigenvalues(econ, x, policy) == 0:
        return True, 0
    if reduced:
        return None, _unit_eigenvalues(econ, x, policy)  # no full state to move along
    Q = tangent_basis(econ)
    J = numeric_jacobian(econ, x, policy=policy).dense()
    ev, vecs = np.linalg.eig(Q.T @ J @ Q)
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
