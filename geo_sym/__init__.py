"""geo-sym: symbolic-numeric proof checking and DSGE analysis of orchestrated AI agent economies.

The public Python API is this small facade; names are imported on first use, so ``import geo_sym``
is cheap::

    import geo_sym as gs

    econ = gs.load_economy("examples/economies/two_by_two.yaml")
    x = gs.load_state(econ, "examples/economies/two_by_two_state.json")
    gs.numeric_jacobian(econ, x)          # DΦ(x) from exact formulas, in floating point
    gs.exact_jacobian(econ, x).charpoly() # exact characteristic polynomial
    gs.run_checks(["prop-6.2"], economy=econ)

The layers underneath (economy core, maps, solvers, rigorous numerics, presentation, the DSGE
engine :mod:`dsge`, the claims :mod:`proofs`) are described in the README's architecture section.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

_LOCATIONS = {
    # the economy (§2, §4.2) and its states (§4.3)
    "Economy": "geo_sym.economy.spec",
    "load_economy": "geo_sym.economy.spec",
    "State": "geo_sym.economy.state",
    "load_state": "geo_sym.economy.state",
    "tangent_basis": "geo_sym.economy.state",
    "tangent_chart": "geo_sym.economy.state",
    "TaylorRule": "geo_sym.economy.policy",
    # the maps (eq. (10)-(13)) and their derivatives
    "evaluate_map": "geo_sym.maps.core",
    "apply_map": "geo_sym.maps.core",
    "iterate_map": "geo_sym.maps.core",
    "numeric_jacobian": "geo_sym.maps.jacobian",
    "reduced_jacobian": "geo_sym.maps.jacobian",
    "tangent_eigenvalues": "geo_sym.maps.jacobian",
    "SymbolicMap": "geo_sym.maps.symbolic",
    "exact_jacobian": "geo_sym.maps.symbolic",
    "exact_charpoly": "geo_sym.maps.charpoly",
    "enclose_roots": "geo_sym.rigorous.roots",
    # fixed points and certificates
    "find_fixed_point": "geo_sym.solve.fixed_point",
    "find_fixed_points": "geo_sym.solve.fixed_point",
    "certify_fixed_point": "geo_sym.rigorous.krawczyk",
    "find_all_fixed_points": "geo_sym.rigorous.fixed_points",
    "contraction_certificate": "geo_sym.rigorous.contraction",
    # exact stability and determinacy regions in one or two parameters
    "stability_region": "geo_sym.rigorous.regions",
    "saddle_path_region": "geo_sym.rigorous.regions",
    "economy_region": "geo_sym.rigorous.economy_region",
    # the paper's claims
    "run_checks": "proofs.claims.registry",
    "claim_ids": "proofs.claims.registry",
    "verify_document": "proofs.verify.core",
    "verify_file": "proofs.verify.core",
    # errors
    "GeoSymError": "geo_sym.errors",
    "ValidationError": "geo_sym.errors",
}

__all__ = sorted(_LOCATIONS) + ["__version__"]


def __getattr__(name):
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'geo_sym' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
