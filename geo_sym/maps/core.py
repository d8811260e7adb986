"""The maps of the paper, defined once: ``Φ_K`` (eq. (10)–(12)) and the sequential map (eq. (13)).

:func:`evaluate_map` is the single definition of both maps. It runs unchanged on
floats (the numeric backend), on exact SymPy numbers (``Rational`` inputs give
exact outputs: rationals, plus ``exp`` of rationals in the routing block) and on
SymPy symbols (the symbolic backend, :mod:`geo_sym.maps.symbolic`), where a ``stage``
hook names the intermediate quantities so Jacobians can be composed block by
block. Non-smooth pieces (``Proj_Y``, ``max(0, ·)``, ``normalize``) are resolved by
an :class:`ActiveSet` read off the point (or given), and kinks are reported.

Definitions (DESIGN.md, reference instantiation):

* marginals ``w = M π`` (``M`` the agent–path incidence), demand ``d_a = w_a u_a``;
* ``y' = Proj_Y(y + α(d - y))``;
* prices: tâtonnement ``p' = normalize(max(0, p + β(d - y_ref)))`` or linear
  ``p' = G y_ref + b``, with ``y_ref = y`` (simultaneous) or ``y'`` (sequential);
* revenue ``s_a = <p_a, y_a>`` (simultaneous), ``<p_a, y'_a>`` (sequential, eq. (13)),
  or ``<p'_a, y'_a>`` (sequential with ``sequential_revenue: new``);
  agent cost ``c_a = s_a + λ1 lat_a - λ2 qual_a``; path values ``V = Mᵀ c``;
* ``π' = softmax(-V/τ)``.

Section 7 enters through :mod:`geo_sym.economy.policy`, the one definition of the shock channels
(eq. (16): a load shock scales ``d``, a metric shock moves ``v``, a failure cuts ``y'``) and of the
Taylor rule (eq. (18)–(19): with a ``policy`` the SLO weights ``λ1, λ2`` in ``c_a`` are set from the
aggregates ``L, Q`` of the current state, held at their floor when the rule would go below it).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import sympy as sp

from geo_sym.economy.graph import RoutingMarginals
from geo_sym.economy.policy import (
    PolicyRates,
    ShockValues,
    TaylorRule,
    aggregate_metrics,
    apply_capacity_shock,
    apply_demand_shock,
    apply_metric_shock,
    slo_weights,
)
from geo_sym.economy.production import BRANCH_FREE, BRANCH_HI, BRANCH_LO, BRANCH_SPHERE
from geo_sym.economy.state import State
from geo_sym.errors import DegenerateNormalizationError, ShapeError

__all__ = [
    "ActiveSet",
    "MapResult",
    "evaluate_map",
    "apply_map",
    "iterate_map",
    "ReducedState",
    "ReducedResult",
    "evaluate_reduced",
    "reduce_state",
    "active_set",
    "update_blocks",
    "evaluate_costs",
    "marginals",
    "demand",
    "agent_costs",
    "path_values",
    "routing",
]


@dataclass(frozen=True, eq=False)
class ActiveSet:
    """Which branch of each non-smooth piece is active at a point.

    Attributes
    ----------
    y_codes : ndarray (A, K) of int8
        ``-1`` clamped at the lower bound, ``0`` free, ``+1`` clamped at the upper bound,
        ``2`` projected onto a ball's sphere.
    y_kinks : ndarray (A, K) of bool
        The pre-projection point lies exactly on the boundary (non-differentiable).
    p_positive : ndarray (A, K) of bool or None
        Tâtonnement only: coordinates where ``p + β z > 0`` (kept by ``max(0, ·)``).
    p_kinks : ndarray (A, K) of bool or None
        Tâtonnement only: coordinates where ``p + β z = 0`` exactly.
    slo_at_floor : ndarray (2,) of bool or None
        With a Taylor rule only: ``λ1``, ``λ2`` held at their floor (eq. (18)–(19)).
    slo_kinks : ndarray (2,) of bool or None
        With a Taylor rule only: the rule's value equals the floor exactly.
    """

    y_codes: np.ndarray
    y_kinks: np.ndarray
    p_positive: np.ndarray | None
    p_kinks: np.ndarray | None
    slo_at_floor: np.ndarray | None = None
    slo_kinks: np.ndarray | None = None

    def __repr__(self) -> str:
        floor = "" if self.slo_at_floor is None else f", slo_at_floor={int(np.sum(self.slo_at_floor))}"
        return (
            f"ActiveSet(clamped={int(np.sum(self.y_codes != BRANCH_FREE))}, "
            f"zeroed_prices={0 if self.p_positive is None else int(np.sum(~self.p_positive))}{floor}, "
            f"kinks={self.n_kinks})"
        )

    @classmethod
    def interior(cls, econ, policy=None) -> ActiveSet:
        """The branch where nothing binds: ``Proj_Y`` the identity, every ``p + β z`` kept by ``max(0, ·)``,
        the SLO-weight floor (with a ``policy``) not reached, no kink."""
        shape = (econ.A, econ.K)
        tat = econ.price_mechanism.kind == "tatonnement"
        return cls(
            y_codes=np.full(shape, BRANCH_FREE, dtype=np.int8),
            y_kinks=np.zeros(shape, dtype=bool),
            p_positive=np.ones(shape, dtype=bool) if tat else None,
            p_kinks=np.zeros(shape, dtype=bool) if tat else None,
            slo_at_floor=np.zeros(2, dtype=bool) if policy is not None else None,
            slo_kinks=np.zeros(2, dtype=bool) if policy is not None else None,
        )

    @property
    def n_kinks(self) -> int:
        return (
            int(np.sum(self.y_kinks))
            + (0 if self.p_kinks is None else int(np.sum(self.p_kinks)))
            + (0 if self.slo_kinks is None else int(np.sum(self.slo_kinks)))
        )

    @property
    def at_kink(self) -> bool:
        """True when some non-smooth piece is exactly at its kink (the Jacobian is one-sided)."""
        return self.n_kinks > 0

    def to_dict(self, econ) -> dict:
        names = econ.agent_names

        def where(mask):
            return [[names[a], int(k)] for a, k in zip(*np.nonzero(mask))]

        d = {
            "y_at_lower": where(self.y_codes == BRANCH_LO),
            "y_at_upper": where(self.y_codes == BRANCH_HI),
            "y_on_sphere": sorted({names[a] for a, _ in zip(*np.nonzero(self.y_codes == BRANCH_SPHERE))}),
            "y_kinks": where(self.y_kinks),
        }
        if self.p_positive is not None:
            d["p_zeroed"] = where(~self.p_positive)
            d["p_kinks"] = where(self.p_kinks)
        if self.slo_at_floor is not None:
            weights = ("latency", "quality")
            d["slo_at_floor"] = [weights[i] for i in range(2) if self.slo_at_floor[i]]
            d["slo_kinks"] = [weights[i] for i in range(2) if self.slo_kinks is not None and self.slo_kinks[i]]
        d["at_kink"] = self.at_kink
        d["kink_convention"] = (
            "at a kink the free branch is used: Proj_Y is the identity, max(0, q) = q and the Taylor rule "
            "is followed on that coordinate"
            if self.at_kink
            else None
        )
        return d


@dataclass(frozen=True, eq=False)
class MapResult:
    """``Φ(x)`` with the intermediate quantities of the map.

    Attributes
    ----------
    state : State
        The image ``x' = (y', p', π')`` (for the reduced map ``π'`` is left empty; see ``w_new``).
    active : ActiveSet
    w, d : ndarray
        Marginals ``w = Mπ`` and demand ``d_a = w_a u_a`` of the input.
    costs : ndarray (A,)
        Agent costs ``c_a`` entering the path values.
    w_new : ndarray (A,) or None
        Marginals of the new routing (always set by the reduced map).
    policy_rates : PolicyRates or None
        With a Taylor rule: the SLO weights it set (eq. (18)–(19)) and where they sit at the floor.
    """

    state: State
    active: ActiveSet
    w: np.ndarray
    d: np.ndarray
    costs: np.ndarray
    w_new: np.ndarray | None = None
    policy_rates: PolicyRates | None = None

    def __repr__(self) -> str:
        return f"MapResult({self.state!r}, {self.active!r})"


def _identity_stage(name, arr):
    return arr


def _is_symbolic(arr) -> bool:
    return arr.dtype == object and any(isinstance(v, sp.Basic) and not v.is_number for v in arr.ravel())


def _cast(econ, exact: bool):
    """Parameters and data in the backend's number type."""
    if exact:
        U = np.array(econ.demand, dtype=object)
        cw = np.array(econ.cost_weights, dtype=object) if econ.slo is not None else None
        return U, econ.alpha, econ.beta, econ.tau, cw
    return (
        econ.demand_float,
        float(econ.alpha),
        None if econ.beta is None else float(econ.beta),
        float(econ.tau),
        econ.cost_weights_float if econ.slo is not None else None,
    )


def _project_all(econ, v, codes=None):
    """``Proj_Y`` agent by agent; returns (image, codes, kinks)."""
    A, K = v.shape
    exact = v.dtype == object
    if not exact and econ.all_boxes:  # vectorised numeric path
        lo, hi = econ.box_bounds_float
        if codes is None:
            codes = np.where(v < lo, BRANCH_LO, np.where(v > hi, BRANCH_HI, BRANCH_FREE)).astype(np.int8)
            codes[lo == hi] = BRANCH_LO
            kinks = ((v == lo) | (v == hi)) & (lo != hi)
        else:
            kinks = np.zeros((A, K), dtype=bool)
        out = np.where(codes == BRANCH_LO, lo, np.where(codes == BRANCH_HI, hi, v))
        return out, codes, kinks
    out = np.empty((A, K), dtype=v.dtype)
    new_codes = np.zeros((A, K), dtype=np.int8)
    kinks = np.zeros((A, K), dtype=bool)
    for a, s in enumerate(econ.production_sets):
        if codes is None:
            c, kk = s.branch(v[a])
        else:
            c, kk = codes[a], np.zeros(K, dtype=bool)
        out[a] = s.project_on_branch(v[a], c)
        new_codes[a], kinks[a] = c, kk
    return out, new_codes, kinks


def _softmax(values, tau, exact: bool):
    if not exact:
        z = -(values - values.min()) / tau
        e = np.exp(z)
        return e / e.sum()
    shift = min(values) if not _is_symbolic(values) else 0
    e = np.array([sp.exp(-(v - shift) / tau) for v in values], dtype=object)
    total = sum(e)
    return np.array([x / total for x in e], dtype=object)


def _prices(econ, p, d, y_ref, beta, exact: bool, active: ActiveSet | None, stage):
    """The price update: tâtonnement (eq. (11)) or the linear mechanism ``A_K`` (eq. (13)).

    Returns ``(p', p_positive, p_kinks)`` (the last two ``None`` for the linear mechanism).
    """
    pm = econ.price_mechanism
    if pm.kind != "tatonnement":
        if exact:
            Gy = _sparse_product(pm.G_nonzero, y_ref.ravel())
            return (Gy + np.array(pm.b, dtype=object)).reshape(y_ref.shape), None, None
        return (pm.G_float.dot(y_ref.ravel()) + pm.b_float).reshape(y_ref.shape), None, None
    q = stage("q", p + beta * (d - y_ref))
    # at a kink (q = 0 exactly) the free branch is used, as for Proj_Y: max(0, q) = q there
    if active is None and not exact:
        pos, pkinks = q >= 0, q == 0
    elif active is None:
        pos = np.array([[bool(x >= 0) for x in row] for row in q], dtype=bool).reshape(q.shape)
        pkinks = np.array([[bool(x == 0) for x in row] for row in q], dtype=bool).reshape(q.shape)
    else:
        pos, pkinks = active.p_positive, np.zeros(q.shape, dtype=bool)
    kept = np.where(pos, q, 0 if not exact else sp.Integer(0))
    total = kept.sum() if not exact else sum(kept.ravel(), sp.Integer(0))
    if not _is_symbolic(np.asarray([total], dtype=object)) and total == 0:
        raise DegenerateNormalizationError(
            "normalize(0): every coordinate of p + β(d - y) is <= 0, so the price update (eq. (11)) "
            "is undefined at this state"
        )
    return kept / total, pos, pkinks


def _policy_cost_weights(econ, y, w, policy: TaylorRule, exact: bool, active: ActiveSet | None, stage):
    """``λ1 r_lat − λ2 r_qual`` with the weights set by the Taylor rule at ``(y, w)`` (eq. (18)–(19))."""
    slo = econ.slo
    if slo is None:
        from geo_sym.errors import ValidationError

        raise ValidationError("slo", None, "an slo section (weights and read-outs) for the Taylor rule to act on")
    rule = policy if exact else policy.as_float()
    lat, qual = stage("agg", np.array(aggregate_metrics(slo, y, w), dtype=object if exact else float))
    forced = None if active is None else active.slo_at_floor
    rates = slo_weights(slo, rule, lat, qual, at_floor=forced)
    lam_lat, lam_qual = stage("lam", np.array([rates.lat, rates.qual], dtype=object if exact else float))
    r_lat, r_qual = slo.readouts(exact)
    return lam_lat * r_lat - lam_qual * r_qual, rates


def _exact_sums(groups, x, weighted: bool) -> np.ndarray:
    """The sums an object-dtype ``dot`` forms, without its exact products by zeros (and by ones).

    ``groups[i]`` lists the terms of sum ``i``: ``(j, g_ij)`` pairs when ``weighted`` (``Σ g_ij x_j``),
    else indices ``j`` (``Σ x_j``, a 0/1 matrix). Terms are added in the given order starting from the
    first, as ``dot`` does on objects; an empty sum is ``0 · x_0``, the zero of ``x``'s number type.
    """
    out = np.empty(len(groups), dtype=object)
    for i, group in enumerate(groups):
        terms = [g * x[j] for j, g in group] if weighted else [x[j] for j in group]
        if not terms:
            out[i] = 0 * x[0]
            continue
        acc = terms[0]
        for term in terms[1:]:
            acc = acc + term
        out[i] = acc
    return out


def _sparse_product(rows, x) -> np.ndarray:
    """``G x`` for exact (object) ``x``, ``G`` given by its non-zero entries per row (``(j, g_ij)``)."""
    return _exact_sums(rows, x, weighted=True)


def _incidence_product(econ, x, transpose: bool = False) -> np.ndarray:
    """``M x`` (``w = M π``) or ``Mᵀ x`` (``V = Mᵀ c``) for exact (object) arrays: only the ones of ``M`` are summed."""
    by_agent, by_path = econ.graph.incidence_ones()
    return _exact_sums(by_path if transpose else by_agent, x, weighted=False)


def routing(econ, costs, incidence=None):
    """``π = softmax(−V/τ)`` with path values ``V = Mᵀ c`` (eq. (12)), from the agent costs ``c``.

    Floats, exact SymPy numbers (``exp`` of rationals) or symbols, like ``costs``; ``incidence`` is ``M``
    in the backend's type when already at hand.
    """
    exact = getattr(costs, "dtype", None) == np.dtype(object)
    if incidence is None:
        values = _incidence_product(econ, costs, transpose=True) if exact else econ.incidence.T.dot(costs)
    else:
        values = incidence.T.dot(costs)
    return _softmax(values, econ.tau if exact else float(econ.tau), exact)


def _core(
    econ, y, p, w, active: ActiveSet | None, stage, shocks: ShockValues | None = None, policy: TaylorRule | None = None
):
    """Everything of the map up to the agent costs; shared by the full and the reduced map."""
    exact = y.dtype == object
    U, alpha, beta, tau, cw = _cast(econ, exact)
    d = apply_demand_shock(w[:, None] * U, shocks)
    v = stage("v", apply_metric_shock(y + alpha * (d - y), shocks))
    y_new, codes, kinks = _project_all(econ, v, None if active is None else active.y_codes)
    y_new = stage("y_new", apply_capacity_shock(y_new, shocks))
    sequential = econ.map_kind == "sequential"
    y_ref = y_new if sequential else y
    p_new, pos, pkinks = _prices(econ, p, d, y_ref, beta, exact, active, stage)
    p_new = stage("p_new", p_new)
    p_rev = p_new if sequential and econ.sequential_revenue == "new" else p
    s = (p_rev * y_ref).sum(axis=1)
    rates = None
    if policy is not None:
        cw, rates = _policy_cost_weights(econ, y, w, policy, exact, active, stage)
    if cw is not None:
        s = s + y_ref.dot(cw)
    costs = stage("c", s)
    if active is None:
        floor, fkinks = (None, None) if rates is None else (rates.at_floor, rates.at_kink)
        active_out = ActiveSet(codes, kinks, pos, pkinks, floor, fkinks)
    elif rates is not None and active.slo_at_floor is None:
        active_out = dataclasses.replace(active, slo_at_floor=rates.at_floor, slo_kinks=rates.at_kink)
    else:
        active_out = active
    return d, y_new, p_new, costs, active_out, rates


def evaluate_map(
    econ,
    state: State,
    active: ActiveSet | None = None,
    stage=_identity_stage,
    shocks: ShockValues | None = None,
    policy: TaylorRule | None = None,
) -> MapResult:
    """Evaluate the economy's map (``Φ_K`` or the sequential map) at ``state``.

    Parameters
    ----------
    econ : Economy
    state : State
        Float, exact (SymPy numbers) or symbolic.
    active : ActiveSet, optional
        Force a branch of the non-smooth pieces (required for symbolic states).
    stage : callable, optional
        ``stage(name, array) -> array`` hook called on each intermediate quantity.
    shocks : ShockValues, optional
        Exogenous shocks ``ε_t`` (eq. (16)).
    policy : TaylorRule, optional
        SLO weights set by the Taylor rule (eq. (18)–(19)), with its floor, instead of the economy's
        constants; its targets must be set (:meth:`~geo_sym.economy.policy.TaylorRule.with_targets`).
        The floor's branch is read off the point, or taken from ``active.slo_at_floor`` when given
        (required for symbolic states).

    Returns
    -------
    MapResult

    Raises
    ------
    DegenerateNormalizationError
        When ``normalize(0)`` would be needed (eq. (11)).
    """
    A, K = econ.A, econ.K
    if state.y.shape != (A, K) or state.p.shape != (A, K) or state.pi.shape != (econ.n_paths,):
        raise ShapeError(
            "state",
            (state.y.shape, state.p.shape, state.pi.shape),
            f"y and p of shape ({A}, {K}) and pi of length {econ.n_paths}",
        )
    exact = state.y.dtype == object
    w = _incidence_product(econ, state.pi) if exact else econ.incidence.dot(state.pi)
    d, y_new, p_new, costs, act, rates = _core(econ, state.y, state.p, w, active, stage, shocks, policy)
    pi_new = routing(econ, costs)
    return MapResult(State(y_new, p_new, pi_new), act, w, d, costs, policy_rates=rates)


# ------------------------------------------------------------------------ the pieces, one definition each
def _is_exact(arr) -> bool:
    return np.asarray(arr).dtype == object


def marginals(econ, pi):
    """``w = M π``: the share of traffic through each agent (exact for exact ``π``)."""
    pi = np.asarray(pi)
    return _incidence_product(econ, pi) if _is_exact(pi) else econ.incidence.dot(pi)


def demand(econ, pi):
    """``d_a(π) = w_a(π) u_a`` (§2.3, DESIGN.md), an ``(A, K)`` array (exact for exact ``π``)."""
    w = marginals(econ, pi)
    U = np.array(econ.demand, dtype=object) if _is_exact(w) else econ.demand_float
    return w[:, None] * U


def agent_costs(econ, p, y):
    """``c_a = <p_a, y_a> + λ1 <r_lat, y_a> − λ2 <r_qual, y_a>`` with the economy's SLO weights (§2.3)."""
    p, y = np.asarray(p), np.asarray(y)
    exact = _is_exact(p) or _is_exact(y)
    s = (p * y).sum(axis=1)
    if econ.slo is not None:
        cw = np.array(econ.cost_weights, dtype=object) if exact else econ.cost_weights_float
        s = s + y.dot(cw)
    return s


def path_values(econ, costs):
    """``V_j = Σ_{a ∈ j} c_a`` ("Bellman-DP" over the DAG returns exactly these; eq. (12))."""
    costs = np.asarray(costs)
    return _incidence_product(econ, costs, transpose=True) if _is_exact(costs) else econ.incidence.T.dot(costs)


def update_blocks(econ, state: State, active: ActiveSet | None = None):
    """``(y', p')``: the production (eq. (10)) and price (eq. (11) or ``A_K``) updates alone, no routing.

    Runs the single definition of the map on any number type with exact arithmetic (SymPy numbers,
    or the dual numbers of :mod:`geo_sym.rigorous.dual` for exact directional derivatives).
    """
    w = _incidence_product(econ, state.pi)
    _, y_new, p_new, _, _, _ = _core(econ, state.y, state.p, w, active, _identity_stage)
    return y_new, p_new


def evaluate_costs(econ, state: State, active: ActiveSet | None = None, stage=_identity_stage):
    """The map up to the agent costs ``c`` (eq. (10)–(11) or (13)), every stage through ``stage``; no routing.

    The part of :func:`evaluate_map` before ``softmax(−V/τ)`` (eq. (12)), with the same ``stage`` hook
    calls; for callers that handle the routing themselves (the interval map encloses it on its own).
    """
    return _core(econ, state.y, state.p, _incidence_product(econ, state.pi), active, stage)[3]


def active_set(econ, state: State) -> ActiveSet:
    """The branch of every non-smooth piece at ``state`` (rational arithmetic only: no routing is computed)."""
    exact = state.y.dtype == object
    w = _incidence_product(econ, state.pi) if exact else econ.incidence.dot(state.pi)
    return _core(econ, state.y, state.p, w, None, _identity_stage)[4]


def apply_map(econ, state: State) -> State:
    """``Φ(x)``: the image state only."""
    return evaluate_map(econ, state).state


def iterate_map(econ, state: State, n: int, reduced: bool = False):
    """``x_0, Φ(x_0), …, Φ^n(x_0)`` (floats), as a list of states (or reduced states)."""
    out: list = [state]
    for _ in range(n):
        if reduced:
            out.append(evaluate_reduced(econ, out[-1]).state)
        else:
            out.append(evaluate_map(econ, out[-1]).state)
    return out


# ---------------------------------------------------------------------------------- reduced state
@dataclass(frozen=True, eq=False)
class ReducedState:
    """``(y, p, w)``: demand depends on routing only through the agent marginals ``w``."""

    y: np.ndarray
    p: np.ndarray
    w: np.ndarray

    def __repr__(self) -> str:
        return f"ReducedState(A={self.y.shape[0]}, K={self.y.shape[1]})"

    def flat(self) -> np.ndarray:
        return np.concatenate([self.y.ravel(), self.p.ravel(), self.w.ravel()])

    @staticmethod
    def from_flat(econ, x) -> ReducedState:
        A, K = econ.A, econ.K
        x = np.asarray(x, dtype=float)
        if x.shape != (2 * A * K + A,):
            raise ShapeError("reduced state", x.shape, f"a flat vector of length 2AK + A = {2 * A * K + A}")
        return ReducedState(x[: A * K].reshape(A, K), x[A * K : 2 * A * K].reshape(A, K), x[2 * A * K :])


def reduce_state(econ, state: State) -> ReducedState:
    """``(y, p, π) ↦ (y, p, Mπ)`` (float)."""
    st = state.to_float() if state.exact else state
    return ReducedState(st.y, st.p, econ.incidence.dot(st.pi))


@dataclass(frozen=True, eq=False)
class ReducedResult:
    """``(y', p', w')`` with the intermediate quantities of the reduced map (see :class:`MapResult`)."""

    state: ReducedState
    active: ActiveSet
    d: np.ndarray
    costs: np.ndarray
    marginals: RoutingMarginals
    policy_rates: PolicyRates | None = None

    def __repr__(self) -> str:
        return f"ReducedResult({self.state!r}, {self.active!r})"


def evaluate_reduced(
    econ,
    rstate: ReducedState,
    active: ActiveSet | None = None,
    shocks: ShockValues | None = None,
    policy: TaylorRule | None = None,
) -> ReducedResult:
    """The map on the reduced state ``(y, p, w) ↦ (y', p', w')`` (numeric, any DAG size).

    ``w'`` are the marginals of ``softmax(-V/τ)`` computed by the log-sum-exp DP of
    :func:`geo_sym.economy.graph.routing_marginals`, never by enumerating paths.
    """
    from geo_sym.economy.graph import routing_marginals

    A, K = econ.A, econ.K
    y, p, w = (np.asarray(rstate.y, dtype=float), np.asarray(rstate.p, dtype=float), np.asarray(rstate.w, dtype=float))
    if y.shape != (A, K) or p.shape != (A, K) or w.shape != (A,):
        raise ShapeError("reduced state", (y.shape, p.shape, w.shape), f"y, p of shape ({A}, {K}) and w of length {A}")
    d, y_new, p_new, costs, act, rates = _core(econ, y, p, w, active, _identity_stage, shocks, policy)
    marg = routing_marginals(econ.graph, costs, float(econ.tau))
    return ReducedResult(ReducedState(y_new, p_new, marg.w), act, d, costs, marg, rates)
