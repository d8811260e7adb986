"""Dynare-style DSGE backend of geo-sym.

Load a model file, find its steady state, linearize it with exact derivatives,
check the Blanchard–Kahn conditions and solve it by Klein's QZ method, then
compute impulse responses, simulations and moments (Section 7 of the paper,
eq. (16)–(17))::

    import dsge
    model = dsge.load_model("examples/models/nk3.yaml", overrides={"phi_pi": "0.9"})
    sol = model.solve()
    sol.bk.status                # "determinate", "indeterminate" or "no-stable-solution"
    sol.irf("eps_v", 20).to_dict()

Heavy modules (SymPy, SciPy's optimizers, QuantEcon, pandas, matplotlib) are
imported only when needed; importing :mod:`dsge` itself is cheap.
"""

from __future__ import annotations

import importlib

__all__ = [
    "load_model",
    "model_from_yaml",
    "model_from_dict",
    "Model",
    "solve_linearization",
    "klein",
    "BKResult",
    "SteadyState",
    "solve_steady_state",
    "Linearization",
    "Solution",
    "IRFResult",
    "SimulationResult",
    "MomentsResult",
    "OptionalDependencyError",
    "parse_formula",
    "parse_equation",
    "determinacy_region",
]

_LOCATIONS = {
    "load_model": "dsge.model.core",
    "model_from_yaml": "dsge.model.core",
    "model_from_dict": "dsge.model.core",
    "Model": "dsge.model.core",
    "solve_linearization": "dsge.model.core",
    "klein": "dsge.solution.blanchard_kahn",
    "BKResult": "dsge.solution.blanchard_kahn",
    "SteadyState": "dsge.solution.steady_state",
    "solve_steady_state": "dsge.solution.steady_state",
    "Linearization": "dsge.solution.results",
    "Solution": "dsge.solution.results",
    "IRFResult": "dsge.solution.results",
    "SimulationResult": "dsge.solution.results",
    "MomentsResult": "dsge.solution.results",
    "OptionalDependencyError": "dsge.solution.results",
    "parse_formula": "dsge.model.parser",
    "parse_equation": "dsge.model.parser",
    "determinacy_region": "dsge.solution.determinacy",
}


def __getattr__(name):
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'dsge' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
