"""The orchestration economy as a DSGE model (§7): ``x_{t+1} = Φ(x_t, ε_t)`` (eq. (16)–(19)).

::

    from geo_sym.economy.spec import load_economy
    from dsge.orchestration import steady_state, taylor_rule, impulse_response, compare_policies

    econ = load_economy("examples/economies/orchestration_taylor.yaml")
    ss = steady_state(econ, policy=taylor_rule(econ))   # the rule's targets: the steady state's aggregates
    ir = impulse_response(econ, "spike_w1", 30, 0.01, steady=ss)
    ir.stability.status, ir.linear["latency"], ir.gap["latency"], ir.floor_binding
    compare_policies(econ).plot("responses.png")       # every channel, with and without the rule

Modules: :mod:`~dsge.orchestration.steady` (steady states, the rule's targets),
:mod:`~dsge.orchestration.linear` (linearization on the reduced state, Blanchard–Kahn for a
backward-looking map, spectra), :mod:`~dsge.orchestration.series` (series and their exact
derivatives), :mod:`~dsge.orchestration.irf` (linear and nonlinear responses),
:mod:`~dsge.orchestration.comparison` (with and without the rule), :mod:`~dsge.orchestration.stability`
(stability maps over the Taylor coefficients) and :mod:`~dsge.orchestration.figures`. Names are
imported on first use.
"""

from __future__ import annotations

import importlib

__all__ = [
    "SteadyState",
    "steady_state",
    "taylor_rule",
    "Linearization",
    "linearize",
    "SpectralResult",
    "spectral_radius",
    "observables",
    "observable_jacobian",
    "OrchestrationIRF",
    "impulse_response",
    "nonlinear_path",
    "PolicyComparison",
    "compare_policies",
    "StabilityMap",
    "stability_map",
]

_LOCATIONS = {
    "SteadyState": "dsge.orchestration.steady",
    "steady_state": "dsge.orchestration.steady",
    "taylor_rule": "dsge.orchestration.steady",
    "Linearization": "dsge.orchestration.linear",
    "linearize": "dsge.orchestration.linear",
    "SpectralResult": "dsge.orchestration.linear",
    "spectral_radius": "dsge.orchestration.linear",
    "observables": "dsge.orchestration.series",
    "observable_jacobian": "dsge.orchestration.series",
    "OrchestrationIRF": "dsge.orchestration.irf",
    "impulse_response": "dsge.orchestration.irf",
    "nonlinear_path": "dsge.orchestration.irf",
    "PolicyComparison": "dsge.orchestration.comparison",
    "compare_policies": "dsge.orchestration.comparison",
    "StabilityMap": "dsge.orchestration.stability",
    "stability_map": "dsge.orchestration.stability",
}


def __getattr__(name):
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'dsge.orchestration' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
