"""§7 of the paper, defined once: SLO weights (§2.3), the Taylor rule (eq. (18)–(19)) and shock channels (eq. (16)).

Every backend of the map — floats, exact rationals, SymPy symbols — and its Jacobian, its symbolic
build and the DSGE observables call the functions of this module; none re-types a formula.

* :class:`SLOWeights` — the SLO terms of the agent cost, ``c_a = s_a + λ1 <r_lat, y_a> − λ2 <r_qual, y_a>``.
* :func:`aggregate_metrics` — traffic-weighted latency and quality ``L = Σ_a w_a <r_lat, y_a>``,
  ``Q = Σ_a w_a <r_qual, y_a>``; :func:`aggregate_gradients` — their exact first derivatives.
* :class:`TaylorRule` and :func:`slo_weights` — the SLO weights as policy rates,
  ``λ1 = max(f1, λ1* + φ_lat (L − L*))`` and ``λ2 = max(f2, λ2* + φ_qual (Q* − Q))``, with a floor
  ``f`` (default 0: the paper requires non-negative weights, as a policy rate has a lower bound);
  :func:`slo_weight_slopes` — ``∂λ1/∂L`` and ``∂λ2/∂Q`` on the active branch of the floor.
* :class:`ShockChannel`, :func:`shock_values` — the one dispatch from a named channel and a size
  ``ε`` to where the shock enters the map; :func:`apply_demand_shock`, :func:`apply_metric_shock`,
  :func:`apply_capacity_shock` — how it enters; :func:`shock_derivatives` — the derivative of
  each entry point with respect to ``ε`` at ``ε = 0``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import sympy as sp

from geo_sym.economy.numbers import parse_number, parse_vector, to_json_number
from geo_sym.errors import ModelFileError, UnknownNameError, ValidationError

__all__ = [
    "SLOWeights",
    "TaylorRule",
    "PolicyRates",
    "ShockChannel",
    "ShockValues",
    "SHOCK_KINDS",
    "aggregate_metrics",
    "aggregate_gradients",
    "slo_weights",
    "slo_weight_slopes",
    "shock_values",
    "apply_demand_shock",
    "apply_metric_shock",
    "apply_capacity_shock",
    "shock_derivatives",
    "parse_slo",
    "parse_taylor",
    "parse_shock_channel",
    "resolve_shock_channel",
]


def _is_object(arr) -> bool:
    return getattr(arr, "dtype", None) == np.dtype(object)


# ------------------------------------------------------------------------------------------ SLO weights
@dataclass(frozen=True)
class SLOWeights:
    """SLO terms in path values: ``c_a = s_a + λ1 <r_lat, y_a> − λ2 <r_qual, y_a>`` (§2.3).

    Attributes
    ----------
    lambda_lat, lambda_qual : sympy.Rational
        ``λ1*, λ2* ≥ 0``, the weights of the welfare function ``W`` (the steady-state policy rates of §7.2).
    readout_lat, readout_qual : tuple of sympy.Rational
        The linear functionals ``r_lat, r_qual ∈ R^K`` reading latency and quality off ``y_a``.
    """

    lambda_lat: Any
    lambda_qual: Any
    readout_lat: tuple
    readout_qual: tuple

    def agent_cost_weights(self) -> tuple:
        """The linear functional ``λ1 r_lat − λ2 r_qual`` added to revenue in each agent's cost."""
        return tuple(self.lambda_lat * a - self.lambda_qual * b for a, b in zip(self.readout_lat, self.readout_qual))

    @cached_property
    def readouts_float(self) -> tuple[np.ndarray, np.ndarray]:
        """``(r_lat, r_qual)`` as float arrays."""
        return (
            np.array([float(v) for v in self.readout_lat], dtype=float),
            np.array([float(v) for v in self.readout_qual], dtype=float),
        )

    def readouts(self, exact: bool) -> tuple[np.ndarray, np.ndarray]:
        """``(r_lat, r_qual)`` in the backend's number type (object arrays of SymPy numbers, or floats)."""
        if exact:
            return np.array(self.readout_lat, dtype=object), np.array(self.readout_qual, dtype=object)
        return self.readouts_float

    def to_dict(self) -> dict:
        return {
            "weights": {"latency": to_json_number(self.lambda_lat), "quality": to_json_number(self.lambda_qual)},
            "readouts": {
                "latency": [to_json_number(v) for v in self.readout_lat],
                "quality": [to_json_number(v) for v in self.readout_qual],
            },
        }


def aggregate_metrics(slo: SLOWeights, y, w):
    """Traffic-weighted aggregate latency and quality ``(L, Q)`` (the arguments of eq. (18)–(19)).

    ``L = Σ_a w_a <r_lat, y_a>`` and ``Q = Σ_a w_a <r_qual, y_a>``, with ``w_a`` the share of traffic
    through agent ``a``. ``y`` has shape ``(..., A, K)`` and ``w`` shape ``(..., A)`` (leading axes,
    e.g. periods, are kept); floats, exact SymPy numbers or symbols.
    """
    r_lat, r_qual = slo.readouts(_is_object(y) or _is_object(w))
    return (w * (y @ r_lat)).sum(axis=-1), (w * (y @ r_qual)).sum(axis=-1)


def aggregate_gradients(slo: SLOWeights, y, w) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Exact first derivatives of :func:`aggregate_metrics` at ``(y, w)`` (floats).

    Returns ``((∂L/∂y, ∂L/∂w), (∂Q/∂y, ∂Q/∂w))`` with ``∂L/∂y_{a,k} = w_a r_lat,k`` (shape ``(A, K)``)
    and ``∂L/∂w_a = <r_lat, y_a>`` (shape ``(A,)``), and likewise for ``Q``.
    """
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    out = []
    for r in slo.readouts_float:
        out.append((w[:, None] * r[None, :], y @ r))
    return out[0], out[1]


# ------------------------------------------------------------------------------------------ Taylor rule
@dataclass(frozen=True)
class TaylorRule:
    """The SLO weights as policy rates (eq. (18)–(19)), with a floor.

    .. math::

        \\lambda_1 = \\max(f_1,\\ \\lambda_1^* + \\phi_{lat}(L - L^*)), \\qquad
        \\lambda_2 = \\max(f_2,\\ \\lambda_2^* + \\phi_{qual}(Q^* - Q))

    ``λ1*, λ2*`` are the economy's SLO weights (:class:`SLOWeights`), ``L, Q`` the aggregates of
    :func:`aggregate_metrics`. The floor ``f`` (default 0) plays the part of the zero lower bound of a
    policy rate: the paper requires ``λ1, λ2 > 0``, and without a floor a large shock drives the rule
    below it. Its kink is handled as the other kinks of the map: a branch in the active set, the
    derivative taken on that branch, and a point exactly on the floor reported.

    Attributes
    ----------
    phi_lat, phi_qual : number
        Response coefficients (exact from a file; SymPy symbols are allowed for symbolic work).
    lat_target, qual_target : number or None
        ``L*, Q*``. ``None``: the aggregates at the steady state (the rule is then neutral there); see
        :meth:`with_targets`. The map needs them set.
    floor_lat, floor_qual : number
        The floors ``f1, f2`` (``0 ≤ f ≤ λ*``).
    """

    phi_lat: Any = 0
    phi_qual: Any = 0
    lat_target: Any = None
    qual_target: Any = None
    floor_lat: Any = 0
    floor_qual: Any = 0

    def __repr__(self) -> str:
        targets = "at the steady state" if not self.has_targets else f"({self.lat_target}, {self.qual_target})"
        return (
            f"TaylorRule(phi_lat={self.phi_lat}, phi_qual={self.phi_qual}, targets={targets}, "
            f"floor=({self.floor_lat}, {self.floor_qual}))"
        )

    @property
    def has_targets(self) -> bool:
        return self.lat_target is not None and self.qual_target is not None

    def with_targets(self, lat_target, qual_target) -> TaylorRule:
        """The same rule with ``L* = lat_target`` and ``Q* = qual_target``."""
        return dataclasses.replace(self, lat_target=lat_target, qual_target=qual_target)

    def with_coefficients(self, phi_lat=None, phi_qual=None) -> TaylorRule:
        """The same rule with other response coefficients (``None`` keeps one)."""
        return dataclasses.replace(
            self,
            phi_lat=self.phi_lat if phi_lat is None else phi_lat,
            phi_qual=self.phi_qual if phi_qual is None else phi_qual,
        )

    def as_float(self) -> TaylorRule:
        """Every number as a Python float (the numeric backend)."""
        if not self.has_targets:
            raise ValidationError("taylor.targets", None, "targets L*, Q* (see TaylorRule.with_targets)")
        return TaylorRule(*(float(v) for v in dataclasses.astuple(self)))

    def to_dict(self) -> dict:
        """The ``taylor:`` section of the economy file (exact numbers as ``"p/q"`` strings where possible)."""

        def num(v):
            return to_json_number(v) if isinstance(v, (int, sp.Rational)) else float(v)

        d: dict = {"phi_lat": num(self.phi_lat), "phi_qual": num(self.phi_qual)}
        if self.has_targets:
            d["targets"] = {"latency": num(self.lat_target), "quality": num(self.qual_target)}
        if self.floor_lat != 0 or self.floor_qual != 0:
            d["floor"] = {"latency": num(self.floor_lat), "quality": num(self.floor_qual)}
        return d


class PolicyRates(NamedTuple):
    """SLO weights set by the rule at a state (:func:`slo_weights`).

    ``at_floor[i]`` is True where weight ``i`` (0: latency, 1: quality) is held at its floor, and
    ``at_kink[i]`` where the rule's value equals the floor exactly (non-differentiable; the rule's
    branch is used there, as for the other kinks of the map). For arrays of states both have a
    leading axis of length 2.
    """

    lat: Any
    qual: Any
    at_floor: np.ndarray
    at_kink: np.ndarray


def slo_weights(slo: SLOWeights, rule: TaylorRule, lat, qual, at_floor=None) -> PolicyRates:
    """The Taylor rule, eq. (18)–(19), with its floor: the one definition every backend uses.

    Parameters
    ----------
    slo : SLOWeights
        Supplies ``λ1*, λ2*``.
    rule : TaylorRule
        With targets set (floats for the float backend: :meth:`TaylorRule.as_float`).
    lat, qual : number or ndarray
        The aggregates ``L, Q`` (:func:`aggregate_metrics`): floats, arrays of floats (one per period),
        exact SymPy numbers or symbols.
    at_floor : sequence of two bool, optional
        Force the branch of the floor (required when ``lat``/``qual`` are symbolic): True holds the
        weight at its floor, False follows the rule.

    Returns
    -------
    PolicyRates
    """
    if not rule.has_targets:
        raise ValidationError("taylor.targets", None, "targets L*, Q* (see TaylorRule.with_targets)")
    lam_lat, lam_qual = slo.lambda_lat, slo.lambda_qual
    numbers = (lat, qual, *dataclasses.astuple(rule))
    if not any(isinstance(v, sp.Basic) or _is_object(v) for v in numbers):  # the float backend
        lam_lat, lam_qual = float(lam_lat), float(lam_qual)
    raw_lat = lam_lat + rule.phi_lat * (lat - rule.lat_target)  # eq. (18)
    raw_qual = lam_qual + rule.phi_qual * (rule.qual_target - qual)  # eq. (19)
    floors = (rule.floor_lat, rule.floor_qual)
    raws = (raw_lat, raw_qual)
    if at_floor is not None:
        binding = np.asarray(at_floor, dtype=bool)
        vals = tuple(floors[i] if binding[i] else raws[i] for i in range(2))
        return PolicyRates(vals[0], vals[1], binding, np.zeros(2, dtype=bool))
    if any(isinstance(r, sp.Basic) and not r.is_number for r in raws):
        raise ValidationError(
            "active.slo_at_floor", None, "the branch of the SLO-weight floor for a symbolic state (an active set)"
        )
    if any(isinstance(r, sp.Basic) for r in raws):  # exact numbers: decide exactly
        binding = np.array([bool(r < f) for r, f in zip(raws, floors)], dtype=bool)
        kink = np.array([bool(r == f) for r, f in zip(raws, floors)], dtype=bool)
        vals = tuple(floors[i] if binding[i] else raws[i] for i in range(2))
        return PolicyRates(vals[0], vals[1], binding, kink)
    rl, rq = (np.asarray(r, dtype=float) for r in raws)
    fl, fq = float(floors[0]), float(floors[1])
    binding = np.array([rl < fl, rq < fq])
    kink = np.array([rl == fl, rq == fq])
    lam_lat = np.where(binding[0], fl, rl)
    lam_qual = np.where(binding[1], fq, rq)
    if lam_lat.ndim == 0:
        return PolicyRates(float(lam_lat), float(lam_qual), binding, kink)
    return PolicyRates(lam_lat, lam_qual, binding, kink)


def slo_weight_slopes(rule: TaylorRule, at_floor) -> tuple:
    """``(∂λ1/∂L, ∂λ2/∂Q)`` of :func:`slo_weights` on the branch ``at_floor`` (zero where the floor holds).

    From eq. (18)–(19): ``∂λ1/∂L = φ_lat`` and ``∂λ2/∂Q = −φ_qual`` on the rule's branch.
    """
    binding = np.asarray(at_floor, dtype=bool)
    zero = sp.Integer(0) if isinstance(rule.phi_lat, sp.Basic) else 0.0
    return (zero if binding[0] else rule.phi_lat, zero if binding[1] else -rule.phi_qual)


# ------------------------------------------------------------------------------------------ shocks
SHOCK_KINDS = ("latency", "quality", "metric", "load", "failure")
METRIC_KINDS = ("latency", "quality", "metric")


@dataclass(frozen=True)
class ShockChannel:
    """A named exogenous shock ``ε`` of the DSGE reading (eq. (16)).

    Kinds and where a shock of size ``ε`` enters the map (see :func:`shock_values`):

    * ``latency`` — a spike ``+ε r_lat`` added to the hit agents' metric coordinates before projection;
    * ``quality`` — a drop ``−ε r_qual`` likewise;
    * ``metric`` — ``+ε · direction`` likewise;
    * ``load`` — the demand ``d_a`` of the hit agents (all agents when none is named) scaled by ``1 + ε``;
    * ``failure`` — the production ``y'_a`` of the hit agents scaled by ``1 − ε`` (a capacity cut).

    Attributes
    ----------
    name, kind : str
    agents : tuple of int or None
        Agent indices hit (``None``: every agent; only for ``load``).
    direction : tuple or None
        The metric direction (``r_lat``, ``−r_qual`` or the given one) for the metric kinds.
    """

    name: str
    kind: str
    agents: tuple | None
    direction: tuple | None = None

    def __repr__(self) -> str:
        return f"ShockChannel({self.name!r}, {self.kind})"

    def agent_indices(self, A: int) -> tuple:
        """The agents hit (all ``A`` when none was named)."""
        return tuple(range(A)) if self.agents is None else self.agents

    def to_dict(self, names) -> dict:
        d: dict = {"name": self.name, "kind": self.kind}
        if self.agents is not None:
            d["agent"] = names[self.agents[0]] if len(self.agents) == 1 else [names[a] for a in self.agents]
        if self.kind == "metric" and self.direction is not None:
            d["direction"] = [to_json_number(v) for v in self.direction]
        return d


@dataclass(frozen=True, eq=False)
class ShockValues:
    """Exogenous shocks ``ε_t`` entering the map (eq. (16)), as arrays (floats, exact numbers or symbols).

    Attributes
    ----------
    v_add : ndarray (A, K) or None
        Added to ``y + α(d − y)`` before projection (:func:`apply_metric_shock`).
    demand_scale : ndarray (A,) or None
        Demand ``d_a`` is multiplied by ``1 + demand_scale[a]`` (:func:`apply_demand_shock`).
    output_cut : ndarray (A,) or None
        Production ``y'_a`` is multiplied by ``1 − output_cut[a]`` (:func:`apply_capacity_shock`).
    """

    v_add: np.ndarray | None = None
    demand_scale: np.ndarray | None = None
    output_cut: np.ndarray | None = None

    def __repr__(self) -> str:
        present = [k for k in ("v_add", "demand_scale", "output_cut") if getattr(self, k) is not None]
        return "ShockValues(" + ", ".join(present) + ")"


def shock_values(channels, sizes, A: int, K: int) -> ShockValues:
    """Where shocks of the given sizes enter the map: the one dispatch from channel kinds (eq. (16)).

    Parameters
    ----------
    channels : sequence of ShockChannel
    sizes : sequence of numbers
        ``ε_j`` per channel: floats, exact SymPy numbers or symbols (object arrays are then used).
    A, K : int

    Returns
    -------
    ShockValues
        Contributions of several channels add up.
    """
    channels, sizes = list(channels), list(sizes)
    exact = any(isinstance(s, sp.Basic) for s in sizes)
    dtype = object if exact else float
    zero = sp.Integer(0) if exact else 0.0
    v_add = demand = cut = None
    for ch, eps in zip(channels, sizes):
        for a in ch.agent_indices(A):
            if ch.kind in METRIC_KINDS:
                if v_add is None:
                    v_add = np.full((A, K), zero, dtype=dtype)
                direction = ch.direction if exact else [float(v) for v in ch.direction]
                v_add[a] = v_add[a] + np.array([eps * c for c in direction], dtype=dtype)
            elif ch.kind == "load":
                demand = np.full(A, zero, dtype=dtype) if demand is None else demand
                demand[a] = demand[a] + eps
            elif ch.kind == "failure":
                cut = np.full(A, zero, dtype=dtype) if cut is None else cut
                cut[a] = cut[a] + eps
            else:
                raise ValidationError("shock.kind", ch.kind, f"one of {', '.join(SHOCK_KINDS)}")
    return ShockValues(v_add=v_add, demand_scale=demand, output_cut=cut)


def apply_demand_shock(d, shocks: ShockValues | None):
    """Load shock: ``d_a ↦ (1 + ε_a) d_a``."""
    if shocks is None or shocks.demand_scale is None:
        return d
    return d * (1 + shocks.demand_scale)[:, None]


def apply_metric_shock(v, shocks: ShockValues | None):
    """Metric shocks: ``v ↦ v + ε·direction`` before the projection of eq. (10)."""
    if shocks is None or shocks.v_add is None:
        return v
    return v + shocks.v_add


def apply_capacity_shock(y_new, shocks: ShockValues | None):
    """Agent failure: ``y'_a ↦ (1 − ε_a) y'_a`` after the projection (a capacity cut)."""
    if shocks is None or shocks.output_cut is None:
        return y_new
    return y_new * (1 - shocks.output_cut)[:, None]


def shock_derivatives(channels, d, y_new, A: int, K: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Derivatives at ``ε = 0`` of the three entry points with respect to each channel's size (floats).

    Returns ``(∂d/∂ε, ∂v/∂ε, ∂y'/∂ε)``, each ``(A·K) × m`` for ``m`` channels: the derivatives of
    :func:`apply_demand_shock` (``d_a · ∂ε_a``), :func:`apply_metric_shock` (``∂(ε·direction)``) and
    :func:`apply_capacity_shock` (``−y'_a · ∂ε_a``), with the unit shocks of :func:`shock_values`.
    """
    m = len(channels)
    DD, DV, DY = (np.zeros((A * K, m)) for _ in range(3))
    d = np.asarray(d, dtype=float)
    y_new = np.asarray(y_new, dtype=float)
    for j, ch in enumerate(channels):
        unit = shock_values([ch], [1.0], A, K)
        if unit.demand_scale is not None:
            DD[:, j] = (d * unit.demand_scale[:, None]).ravel()
        if unit.v_add is not None:
            DV[:, j] = unit.v_add.ravel()
        if unit.output_cut is not None:
            DY[:, j] = -(y_new * unit.output_cut[:, None]).ravel()
    return DD, DV, DY


# ------------------------------------------------------------------------------------------ file sections
def parse_slo(raw, K: int, metric_names, stats) -> SLOWeights | None:
    """The ``slo:`` section: ``{weights: {latency, quality}, readouts: {latency: [K], quality: [K]}}``."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ModelFileError("slo", raw, "a mapping {weights: {latency, quality}, readouts: {latency, quality}}")
    for key in raw:
        if key not in ("weights", "readouts"):
            raise ModelFileError(f"slo.{key}", raw[key], "one of weights, readouts")
    w = raw.get("weights", {})
    if not isinstance(w, dict) or set(w) - {"latency", "quality"}:
        raise ModelFileError("slo.weights", w, "a mapping {latency: λ1, quality: λ2}")
    lam1 = parse_number(w.get("latency", 0), "slo.weights.latency")
    lam2 = parse_number(w.get("quality", 0), "slo.weights.quality")
    if lam1 < 0 or lam2 < 0:
        raise ValidationError("slo.weights", {"latency": lam1, "quality": lam2}, "non-negative SLO weights")
    ro = raw.get("readouts")
    if ro is not None and not isinstance(ro, dict):
        raise ModelFileError("slo.readouts", ro, "a mapping {latency: [K numbers], quality: [K numbers]}")
    if ro is not None:
        for key in ro:
            if key not in ("latency", "quality"):
                raise ModelFileError(f"slo.readouts.{key}", ro[key], "latency or quality")
    readouts: dict[str, tuple | None] = {}
    for metric in ("latency", "quality"):
        if ro is not None and metric in ro:
            readouts[metric] = tuple(parse_vector(ro[metric], f"slo.readouts.{metric}", K))
        elif metric_names is not None and metric in metric_names:
            r = metric_names.index(metric)
            readouts[metric] = tuple(sp.Integer(1) if k == r * stats else sp.Integer(0) for k in range(K))
        else:
            readouts[metric] = None
    for metric, lam in (("latency", lam1), ("quality", lam2)):
        if readouts[metric] is None:
            if lam != 0:
                raise ModelFileError(
                    f"slo.readouts.{metric}",
                    None,
                    f"a read-out vector of length {K}, or a metric named '{metric}' in metrics.names",
                )
            readouts[metric] = tuple(sp.Integer(0) for _ in range(K))
    return SLOWeights(lam1, lam2, readouts["latency"] or (), readouts["quality"] or ())


def _pair(raw, field: str, what: str) -> dict:
    """A number for both SLO weights, or a mapping ``{latency, quality}``."""
    if isinstance(raw, dict):
        extra = set(raw) - {"latency", "quality"}
        if extra:
            raise ModelFileError(f"{field}.{sorted(extra)[0]}", raw, f"{what}: a number or {{latency, quality}}")
        return {m: parse_number(raw.get(m, 0), f"{field}.{m}") for m in ("latency", "quality")}
    value = parse_number(raw, field)
    return {"latency": value, "quality": value}


def parse_taylor(raw, slo: SLOWeights | None) -> TaylorRule | None:
    """The ``taylor:`` section: ``{phi_lat, phi_qual, targets: {latency, quality}, floor}`` (eq. (18)–(19)).

    ``targets`` default to the steady state's aggregates (the rule is then neutral there); ``floor``
    (a number for both weights, or ``{latency, quality}``) defaults to 0 and must lie in
    ``[0, λ*]`` so that the rule's neutral rate is not below its floor.
    """
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ModelFileError("taylor", raw, "a mapping {phi_lat, phi_qual, targets, floor}")
    for key in raw:
        if key not in ("phi_lat", "phi_qual", "targets", "floor"):
            raise ModelFileError(f"taylor.{key}", raw[key], "one of phi_lat, phi_qual, targets, floor")
    if slo is None:
        raise ModelFileError("slo", None, "an slo section (weights and read-outs) for the Taylor rule to act on")
    phi_lat = parse_number(raw.get("phi_lat", 0), "taylor.phi_lat")
    phi_qual = parse_number(raw.get("phi_qual", 0), "taylor.phi_qual")
    targets: dict[str, Any] = {"latency": None, "quality": None}
    t = raw.get("targets")
    if t is not None:
        if not isinstance(t, dict) or set(t) - {"latency", "quality"} or len(t) != 2:
            raise ModelFileError("taylor.targets", t, "a mapping {latency: L*, quality: Q*}")
        targets = {k: parse_number(v, f"taylor.targets.{k}") for k, v in t.items()}
    floor = _pair(raw.get("floor", 0), "taylor.floor", "the floor of the SLO weights")
    for metric, lam in (("latency", slo.lambda_lat), ("quality", slo.lambda_qual)):
        f = floor[metric]
        if f < 0 or f > lam:
            raise ValidationError(
                f"taylor.floor.{metric}",
                f,
                f"a floor in [0, slo.weights.{metric}] = [0, {lam}] (a non-negative weight, not above its neutral value)",
            )
    return TaylorRule(phi_lat, phi_qual, targets["latency"], targets["quality"], floor["latency"], floor["quality"])


def parse_shock_channel(raw, econ_names, K: int, slo: SLOWeights | None, field: str) -> ShockChannel:
    """A shock channel from the file (a mapping) or from the command line (``kind:agent`` / ``load``)."""
    if isinstance(raw, str):
        kind_text, _, agent = raw.partition(":")
        raw = {"name": raw, "kind": kind_text} | ({"agent": agent} if agent else {})
    if not isinstance(raw, dict):
        raise ModelFileError(field, raw, "a mapping {name, kind, agent} or a string 'kind:agent'")
    for key in raw:
        if key not in ("name", "kind", "agent", "direction"):
            raise ModelFileError(f"{field}.{key}", raw[key], "one of name, kind, agent, direction")
    kind = raw.get("kind")
    if kind not in SHOCK_KINDS:
        raise ValidationError(f"{field}.kind", kind, f"one of {', '.join(SHOCK_KINDS)}")
    agents = None
    if "agent" in raw:
        names = raw["agent"] if isinstance(raw["agent"], list) else [raw["agent"]]
        idx = []
        for nm in names:
            if str(nm) not in econ_names:
                raise UnknownNameError(f"{field}.agent", nm, f"an agent name, one of {list(econ_names)}")
            idx.append(list(econ_names).index(str(nm)))
        agents = tuple(idx)
    elif kind != "load":
        raise ModelFileError(f"{field}.agent", None, f"the agent a '{kind}' shock hits")
    direction = None
    if kind == "metric":
        direction = tuple(parse_vector(raw.get("direction"), f"{field}.direction", K))
    elif kind in ("latency", "quality"):
        ro = None if slo is None else (slo.readout_lat if kind == "latency" else slo.readout_qual)
        if ro is None or all(v == 0 for v in ro):
            raise ModelFileError(
                f"{field}.kind",
                kind,
                f"an slo read-out for {kind} (slo.readouts.{kind} or a metric "
                f"named '{kind}') to know which coordinates it hits",
            )
        direction = tuple(ro) if kind == "latency" else tuple(-v for v in ro)
    default = f"{kind}:{','.join(econ_names[a] for a in agents)}" if agents else str(kind)
    return ShockChannel(str(raw.get("name", default)), str(kind), agents, direction)


def resolve_shock_channel(econ, name: str) -> ShockChannel:
    """A shock channel by name: declared in the file's ``shocks`` section, or ``kind:agent`` / ``load``.

    Raises
    ------
    ValidationError
        Naming ``--shock``, the name, the declared channels and the accepted forms.
    """
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
