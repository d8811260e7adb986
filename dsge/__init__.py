"""Dynare-style DSGE backend of geo-sym.

Load a model file (YAML or a Dynare ``.mod`` file), find its steady state, linearize it
with exact derivatives, check the Blanchard–Kahn conditions and solve it by Klein's QZ
method, then compute impulse responses, moments, variance decompositions and
simulations (Section 7 of the paper, eq. (16)–(17))::

    import dsge
    model = dsge.load_model("examples/models/nk3.yaml", overrides={"phi_pi": "0.9"})
    sol = model.solve()
    sol.bk.status                # "determinate", "indeterminate" or "no-stable-solution"
    sol.irf("eps_v", 20).to_dict()

Heavy modules (SciPy's QZ and optimizers, pandas, matplotlib) are imported only when
needed; importing :mod:`dsge` itself is cheap, and SymPy is never needed to solve a model.
"""

from __future__ import annotations

import importlib

__all__ = [
    "load_model",
    "model_from_yaml",
    "model_from_dict",
    "Model",
    "CompiledModel",
    "ModelSpec",
    "load_spec",
    "read_mod",
    "solve_linearization",
    "klein",
    "BKResult",
    "SteadyState",
    "solve_steady_state",
    "Linearization",
    "Solution",
    "IRFResult",
    "SimulationResult",
    "DecisionRules",
    "MomentsResult",
    "VarianceDecomposition",
    "ConditionalVarianceDecomposition",
    "OptionalDependencyError",
    "parse_formula",
    "parse_equation",
    "to_sympy",
    "determinacy_region",
]

_LOCATIONS = {
    "load_model": "dsge.solution.model",
    "model_from_yaml": "dsge.solution.model",
    "model_from_dict": "dsge.solution.model",
    "Model": "dsge.solution.model",
    "solve_linearization": "dsge.solution.model",
    "CompiledModel": "dsge.model.core",
    "ModelSpec": "dsge.model.spec",
    "load_spec": "dsge.model.model_file",
    "read_mod": "dsge.model.mod_file",
    "klein": "dsge.solution.blanchard_kahn",
    "BKResult": "dsge.solution.blanchard_kahn",
    "SteadyState": "dsge.solution.steady_state",
    "solve_steady_state": "dsge.solution.steady_state",
    "Linearization": "dsge.solution.results",
    "Solution": "dsge.solution.results",
    "IRFResult": "dsge.solution.results",
    "SimulationResult": "dsge.solution.results",
    "DecisionRules": "dsge.solution.results",
    "MomentsResult": "dsge.solution.moments",
    "VarianceDecomposition": "dsge.solution.moments",
    "ConditionalVarianceDecomposition": "dsge.solution.moments",
    "OptionalDependencyError": "geo_sym.errors",
    "parse_formula": "dsge.model.parser",
    "parse_equation": "dsge.model.parser",
    "to_sympy": "dsge.model.parser",
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
