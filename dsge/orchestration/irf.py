"""Impulse responses of the orchestration economy (§7): linear responses next to nonlinear ones.

The shock hits at period 0 and the response at period ``t`` is ``x_{t+1} − x*`` (``t = 0`` is the
impact). For every series (:mod:`dsge.orchestration.series`):

* the **linear** response is ``G Δx_{t+1}`` with ``Δx_{t+1} = J^t B ε`` (eq. (17)) and ``G`` the exact
  derivative of the series at ``x*`` — it scales exactly with ``ε``;
* the **nonlinear** response iterates the map itself from the shocked state (eq. (16)), SLO-weight
  floor and every other kink included;
* the **gap** is their largest difference on the same series.

No linear response is presented when the linearized map has no stable solution (a root outside the
unit circle, see :mod:`dsge.orchestration.linear`): ``linear`` is then ``None`` and only the nonlinear
path of the map is kept, labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dsge.orchestration.linear import Linearization, SpectralResult, linearize
from dsge.orchestration.series import AGGREGATES, observable_jacobian, observables, series_label
from dsge.orchestration.steady import SteadyState, steady_state
from geo_sym.display import LatexDisplay
from geo_sym.economy.policy import ShockChannel, TaylorRule, resolve_shock_channel, shock_values
from geo_sym.errors import DegenerateNormalizationError, DomainError, ValidationError
from geo_sym.maps.core import ReducedState, evaluate_reduced

__all__ = ["OrchestrationIRF", "impulse_response", "nonlinear_path"]


@dataclass(frozen=True, eq=False)
class OrchestrationIRF:
    """Responses of every series to one shock, as deviations from the steady state.

    Attributes
    ----------
    channel : str
    size : float
        ``ε`` at period 0.
    periods : int
    linear : dict of name -> ndarray, or None
        Linear responses (exact derivative of each series at ``x*``); ``None`` when the linearized map has
        no stable solution (then no equilibrium response exists).
    nonlinear : dict of name -> ndarray
        The map iterated from the shocked state (may be shorter than ``periods`` when the map became
        undefined; ``nonlinear_note`` says why).
    gap : dict of name -> float, or None
        ``max_t |linear − nonlinear|`` per series.
    stability : SpectralResult
        Roots of the linearized map and the Blanchard–Kahn status.
    policy : TaylorRule or None
        The rule in force (targets set).
    floor_binding : dict of name -> tuple of int
        Periods where the nonlinear path holds ``λ1`` / ``λ2`` at the floor (empty without a rule).
    floor_at_steady_state : tuple of str
        The weights held at their floor at the steady state itself (their linear responses are then zero:
        the floor's branch is locally constant).
    levels : dict of name -> float
        Each series at the steady state.
    """

    channel: str
    size: float
    periods: int
    linear: dict | None = field(repr=False)
    nonlinear: dict = field(repr=False)
    gap: dict | None = field(repr=False)
    stability: SpectralResult = field(repr=False)
    policy: TaylorRule | None = None
    floor_binding: dict = field(default_factory=dict, repr=False)
    levels: dict = field(default_factory=dict, repr=False)
    labels: dict = field(default_factory=dict, repr=False)
    nonlinear_note: str = ""
    floor_at_steady_state: tuple = ()

    _repr_latex_ = LatexDisplay._repr_latex_

    def __repr__(self) -> str:
        return (
            f"OrchestrationIRF({self.channel!r}, size={self.size:g}, periods={self.periods}, "
            f"linear={'yes' if self.linear is not None else 'none (no stable solution)'}, "
            f"policy={'taylor' if self.policy is not None else 'none'})"
        )

    @property
    def stable(self) -> bool:
        """True when the linear responses are equilibrium responses (Blanchard–Kahn holds)."""
        return self.linear is not None

    @property
    def max_gap(self) -> float | None:
        """Largest ``|linear − nonlinear|`` over series and periods (``None`` without linear responses)."""
        return None if self.gap is None else max(self.gap.values(), default=0.0)

    @property
    def relative_gap(self) -> float | None:
        """``max_gap / |size|``: shrinks in proportion to the shock (second-order remainder)."""
        return None if self.gap is None else self.max_gap / abs(self.size)

    def series(self) -> list[str]:
        return list(self.nonlinear)

    def to_frame(self, which: str = "linear"):
        """The responses as a DataFrame (index: period, columns: series): ``which`` is linear or nonlinear."""
        from dsge.solution.results import _pandas

        if which not in ("linear", "nonlinear"):
            raise ValidationError("which", which, "'linear' or 'nonlinear'")
        data = self.linear if which == "linear" else self.nonlinear
        if data is None:
            raise ValidationError(
                "which", which, f"'nonlinear': {self.stability.message}, so there is no linear (equilibrium) response"
            )
        pd = _pandas()
        n = len(next(iter(data.values()))) if data else 0
        return pd.DataFrame(data, index=pd.RangeIndex(n, name="period"))

    def plot(self, variables=None, other: OrchestrationIRF | None = None, path=None):
        """Grid of responses: linear solid, nonlinear dashed; ``other`` (e.g. without the rule) dotted."""
        from dsge.orchestration.figures import irf_grid

        return irf_grid(self, variables=variables, other=other, path=path)


def nonlinear_path(econ, rstate: ReducedState, channel: ShockChannel, size: float, periods: int, policy=None):
    """The reduced states ``x_1, …, x_T`` after ``size`` units of ``channel`` at period 0 (eq. (16)).

    Returns ``(X, note)``: ``X`` has one row per period reached; ``note`` says why the path stopped early
    (the map undefined at a state, e.g. ``normalize(0)``), else is empty.
    """
    shocks = shock_values([channel], [size], econ.A, econ.K)
    rows = []
    try:
        x = evaluate_reduced(econ, rstate, shocks=shocks, policy=policy).state
        for _ in range(periods):
            rows.append(x.flat())
            if len(rows) < periods:
                x = evaluate_reduced(econ, x, policy=policy).state
    except (DegenerateNormalizationError, DomainError) as exc:
        return np.array(rows).reshape(len(rows), -1), f"the map is undefined after period {len(rows) - 1}: {exc}"
    return np.array(rows), ""


def impulse_response(
    econ,
    channel,
    periods: int = 40,
    size: float = 0.01,
    *,
    steady: SteadyState | None = None,
    policy: TaylorRule | None = None,
    lin: Linearization | None = None,
    tol: float = 1e-6,
) -> OrchestrationIRF:
    """Linear and nonlinear responses of every series to ``size`` units of ``channel`` at period 0.

    Parameters
    ----------
    channel : ShockChannel or str
        A declared channel name, or ``kind:agent`` / ``load``.
    steady : SteadyState, optional
        The steady state (its :attr:`~SteadyState.policy` is the rule in force); computed with ``policy``
        when not given.
    policy : TaylorRule, optional
        Only used when ``steady`` is not given.
    lin : Linearization, optional
        A linearization at ``steady`` that includes ``channel``.
    tol : float
        Unit-circle tolerance of the Blanchard–Kahn count.
    """
    if periods < 1:
        raise ValidationError("periods", periods, "a positive number of periods")
    if not np.isfinite(size) or size == 0:
        raise ValidationError("size", size, "a finite non-zero impulse size")
    if steady is not None and policy is not None:
        raise ValidationError("policy", policy, "no policy next to a steady state (the steady state carries its rule)")
    if isinstance(channel, str):
        channel = resolve_shock_channel(econ, channel)
    steady = steady if steady is not None else steady_state(econ, policy=policy)
    lin = lin if lin is not None else linearize(econ, steady, [channel])
    stab = lin.stability(tol)
    pol = steady.policy
    xs = steady.reduced_state(econ).flat()
    base, _ = observables(econ, xs[None, :], pol)
    levels = {k: float(v[0]) for k, v in base.items()}
    X, note = nonlinear_path(econ, steady.reduced_state(econ), channel, float(size), periods, pol)
    non, floor = observables(econ, X, pol) if len(X) else ({k: np.zeros(0) for k in base}, np.zeros((0, 2), bool))
    nonlinear = {k: v - levels[k] for k, v in non.items()}
    linear = gap = None
    if stab.stable:
        names, G = observable_jacobian(econ, xs, pol, lin.active.slo_at_floor)
        resp = lin.propagate(channel, periods, float(size)) @ G.T
        linear = {nm: resp[:, i] for i, nm in enumerate(names)}
        gap = {k: float(np.max(np.abs(linear[k][: len(v)] - v))) if len(v) else 0.0 for k, v in nonlinear.items()}
    binding = {}
    if pol is not None:
        binding = {nm: tuple(int(t) for t in np.flatnonzero(floor[:, i])) for i, nm in enumerate(AGGREGATES[2:])}
    labels = {k: series_label(econ, k) for k in nonlinear}
    at_ss = lin.active.slo_at_floor
    held = () if at_ss is None else tuple(nm for nm, b in zip(AGGREGATES[2:], at_ss) if b)
    return OrchestrationIRF(
        channel.name, float(size), periods, linear, nonlinear, gap, stab, pol, binding, levels, labels, note, held
    )
