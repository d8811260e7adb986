"""Responses to every shock channel with and without the Taylor-rule SLO policy (§7.2), as one table and one page.

:func:`compare_policies` answers the engineer's question of the DSGE reading — how do routing shares,
latency, quality and the SLO weights respond to a latency spike, a quality drop, an agent failure or a
load shock, with and without the rule of eq. (18)–(19)? — for the channels of an economy file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dsge.orchestration.irf import OrchestrationIRF, impulse_response
from dsge.orchestration.linear import linearize
from dsge.orchestration.steady import SteadyState, steady_state, taylor_rule
from geo_sym.display import LatexDisplay
from geo_sym.economy.policy import TaylorRule, resolve_shock_channel
from geo_sym.errors import ValidationError

__all__ = ["PolicyComparison", "compare_policies"]

POLICIES = ("none", "taylor")


@dataclass(frozen=True, eq=False)
class PolicyComparison:
    """Impulse responses per shock channel, without (``"none"``) and with (``"taylor"``) the rule.

    Attributes
    ----------
    economy : str
    agent_names : tuple of str
    channels : tuple of str
    responses : dict of (channel, policy) -> OrchestrationIRF
    rule : TaylorRule or None
        The rule in force in the ``"taylor"`` responses (targets set).
    policies : tuple of str
        The policies compared (``"none"``, ``"taylor"``).
    channel_kinds : dict of str -> (str, tuple of str or None)
        Each channel's kind (``latency``, ``quality``, ``metric``, ``failure``, ``load``) and the agents it
        hits (None: every agent), for labels.
    """

    economy: str
    agent_names: tuple
    channels: tuple
    responses: dict = field(repr=False)
    rule: TaylorRule | None = None
    policies: tuple = POLICIES
    channel_kinds: dict = field(default_factory=dict, repr=False)

    _repr_latex_ = LatexDisplay._repr_latex_

    def __repr__(self) -> str:
        return f"PolicyComparison({self.economy!r}, channels={list(self.channels)}, policies={list(self.policies)})"

    def __getitem__(self, key) -> OrchestrationIRF:
        return self.responses[key]

    def to_frame(self):
        """One table: index ``(channel, policy, response, period)``, one column per series.

        ``response`` is ``linear`` or ``nonlinear``; linear rows are absent where the economy has no stable
        solution (no equilibrium response), so a missing row never stands for a zero.
        """
        from dsge.solution.results import _pandas

        pd = _pandas()
        frames = []
        for (ch, pol), ir in self.responses.items():
            for kind in ("linear", "nonlinear"):
                data = ir.linear if kind == "linear" else ir.nonlinear
                if data is None:
                    continue
                n = len(next(iter(data.values())))
                index = pd.MultiIndex.from_tuples(
                    [(ch, pol, kind, t) for t in range(n)], names=["channel", "policy", "response", "period"]
                )
                frames.append(pd.DataFrame(data, index=index))
        return pd.concat(frames).sort_index()

    def plot(self, path=None, max_agents: int = 6):
        """The one-page figure (:func:`dsge.orchestration.figures.policy_figure`)."""
        from dsge.orchestration.figures import policy_figure

        return policy_figure(self, path=path, max_agents=max_agents)


def compare_policies(
    econ,
    channels=None,
    rule: TaylorRule | None = None,
    periods: int = 30,
    size: float = 0.01,
    *,
    policies=POLICIES,
    steady: SteadyState | None = None,
    tol: float = 1e-6,
    progress=None,
) -> PolicyComparison:
    """Responses to each channel without (``"none"``) and with (``"taylor"``) the Taylor rule.

    Parameters
    ----------
    channels : sequence of str or ShockChannel, optional
        Default: the channels declared in the economy file.
    rule : TaylorRule, optional
        Default: the file's ``taylor:`` section (:func:`~dsge.orchestration.steady.taylor_rule`).
    policies : sequence of {"none", "taylor"}
        Which responses to compute (default both).
    steady : SteadyState, optional
        The steady state without the rule (computed when not given).
    progress : callable, optional
        ``progress(done, total)`` after each response.
    """
    chans = [resolve_shock_channel(econ, c) if isinstance(c, str) else c for c in (channels or econ.shock_channels)]
    if not chans:
        raise ValidationError("shocks", [], "at least one shock channel (a 'shocks' section, or --shock)")
    policies = tuple(policies)
    if not policies or any(p not in POLICIES for p in policies):
        raise ValidationError("policies", policies, "a non-empty subset of ('none', 'taylor')")
    ss0 = steady if steady is not None else steady_state(econ)
    steadies = {"none": ss0}
    if "taylor" in policies:
        rule = taylor_rule(econ) if rule is None else rule
        steadies["taylor"] = steady_state(econ, ss0.state, policy=rule, reduced=ss0.reduced)
    lins = {pol: linearize(econ, steadies[pol], chans) for pol in policies}
    responses = {}
    total, done = len(policies) * len(chans), 0
    for ch in chans:
        for pol in policies:
            responses[(ch.name, pol)] = impulse_response(
                econ, ch, periods, size, steady=steadies[pol], lin=lins[pol], tol=tol
            )
            done += 1
            if progress is not None:
                progress(done, total)
    in_force = steadies["taylor"].policy if "taylor" in policies else None
    kinds = {
        c.name: (c.kind, None if c.agents is None else tuple(econ.agent_names[a] for a in c.agents)) for c in chans
    }
    return PolicyComparison(
        econ.name, tuple(econ.agent_names), tuple(c.name for c in chans), responses, in_force, policies, kinds
    )
