"""The exact stability region behind Proposition 6.2's corrected condition (``docs/claims.md``).

The region in ``tau`` (the parameter condition (15) bounds) where the linearisation at the fixed point is
stable, from :func:`geo_sym.rigorous.economy_region.economy_region`; used by the corrected statement of
:class:`~proofs.claims.contraction.ContractionBound` and by the corrigendum's region figures.
"""

from __future__ import annotations

__all__ = ["REGION_DIMENSION", "REGION_FACTOR_DEGREE", "region_parameters", "region_for_part", "stability_region_facts"]

#: largest tangent dimension for which a corrected condition is sought with the exact region engine
REGION_DIMENSION = 24
#: largest degree of a tau-dependent factor of the characteristic polynomial the corrected condition
#: decides (the engine's subresultants take minutes from degree 5 or 6 on economies with several paths;
#: ``geo-sym region`` decides up to its own larger default)
REGION_FACTOR_DEGREE = 4


def region_parameters(econ) -> list[str]:
    """The parameter of the corrected condition of Prop. 6.2: ``tau``, the one its condition (15) bounds."""
    return ["tau"]


def region_for_part(label: str, kind: str, economy=None):
    """The :class:`RegionResult` behind a part's corrected condition: economy ``label`` with ``map: kind``.

    ``economy`` is the user's economy (its name is ``label``); ``None`` means a reference economy.
    ``None`` when the engine gives no exact answer (as in :func:`stability_region_facts`).
    """
    from proofs.claims.reference import reference_economy

    econ = economy if economy is not None else reference_economy(label)
    econ = econ if econ.map_kind == kind else econ.replace(map=kind)
    return _exact_region(econ)


def _exact_region(econ):
    """The exact region in ``tau`` of :func:`stability_region_facts`, or ``None``."""
    from geo_sym.economy.state import tangent_chart
    from geo_sym.errors import GeoSymError, InconsistencyError
    from geo_sym.rigorous.economy_region import economy_region

    if tangent_chart(econ).m > REGION_DIMENSION:
        return None
    try:
        r = economy_region(
            econ, region_parameters(econ), policy=False, check_points=12, max_factor_degree=REGION_FACTOR_DEGREE
        )
    except InconsistencyError:
        raise  # the engine contradicted itself: a defect to report, never a missing region
    except GeoSymError:
        return None  # a refusal (size, degree, a fixed point it cannot hold): the statement omits the region
    mode = r.context.get("fixed_point", {}).get("mode")
    return r if mode in ("held exact", "tracked exactly") else None


def stability_region_facts(econ) -> dict | None:
    """The exact region of the parameters where the linearisation at the fixed point is stable, as a fact.

    Computed by :func:`geo_sym.rigorous.economy_region.economy_region` in ``tau`` (the parameter condition
    (15) bounds), the other parameters at the economy's values. ``None`` when the engine
    cannot give an exact answer for this economy: a state space too large for it, a fixed point that
    is neither held nor tracked exactly (routing weights held at approximate values), or a polynomial
    it refuses; the corrected statement then omits the region.
    """
    from geo_sym.rigorous.region_result import unicode_name

    r = _exact_region(econ)
    if r is None:
        return None
    params = list(r.params)
    mode = r.context["fixed_point"]["mode"]
    stable = r.regions.get("stable", [])
    domain = " and ".join(q.text() for q in r.domain) or "every value"
    # an empty conjunction is the whole domain (the parameters' own bounds, e.g. τ > 0)
    conjs = [" and ".join(c.text() for c in conj) or f"{domain}, the whole domain," for conj in stable]
    text = (conjs[0] if len(conjs) == 1 else " or ".join(f"({c})" for c in conjs)) if conjs else "nowhere"
    held = "".join(f"{unicode_name(k)} = {v}, " for k, v in r.fixed.items())
    return {
        "statement": f"the linearisation at the fixed point ({mode}) has every eigenvalue inside the unit circle "
        f"exactly where {text} ({', '.join(unicode_name(p) for p in params)} varying; {held}the rest of the "
        "economy as given)",
        "method": "exact stability region (factored characteristic polynomial, Schur–Cohn read by Descartes' rule, "
        "cylindrical decomposition; geo-sym region)",
        "evidence": {
            "params": params,
            "fixed": {k: str(v) for k, v in r.fixed.items()},
            "stable": [[str(c) for c in conj] for conj in stable],
            "unstable": [[str(c) for c in conj] for conj in r.regions.get("unstable", [])],
            "boundary": [[str(c) for c in conj] for conj in r.boundary],
            "fixed_point": mode,
            "state": r.context["fixed_point"]["state"],
        },
    }
