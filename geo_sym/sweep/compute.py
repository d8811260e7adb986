"""What a point computes: every call from the sweep engine into the rest of geo-sym lives here.

The sweep reaches the orchestration DSGE (:mod:`dsge.orchestration`: steady states, the
Taylor rule of eq. (18)–(19), spectral radii, Blanchard–Kahn, impulse responses), the DSGE model
engine (:func:`dsge.load_model`-style compiled models), the claims and their independent verifier
(:mod:`proofs`), fixed-point search and certificates (:mod:`geo_sym.solve`, :mod:`geo_sym.rigorous`)
only through the functions of this module, so a change of those APIs is adapted in one place.

Every function here raises on failure (a :class:`~geo_sym.errors.GeoSymError` or a numeric error);
:mod:`geo_sym.sweep.worker` records failures as data.
"""

from __future__ import annotations

import numpy as np

from geo_sym.errors import UnknownNameError, ValidationError

__all__ = [
    "economy_from_dict",
    "economy_to_dict",
    "compile_model",
    "model_with",
    "orchestration_steady_state",
    "economy_items",
    "model_items",
    "claim_verdict",
    "verify_witness",
    "claim_applies",
    "random_state",
    "center_state",
    "state_from_flat",
    "map_image",
    "state_labels",
    "all_equilibria",
    "certify_at",
]


# ------------------------------------------------------------------------------------------ files
def economy_from_dict(doc):
    """A validated :class:`~geo_sym.economy.spec.Economy` from the file structure."""
    from geo_sym.economy.spec import Economy

    return Economy.from_dict(doc)


def economy_to_dict(econ) -> dict:
    return econ.to_dict()


def compile_model(text: str, source: str = "model"):
    """A compiled DSGE model from the text of its file (no disk cache: workers write no files)."""
    from dsge.solution.model import model_from_yaml

    return model_from_yaml(text, source=source)


def model_with(model, doc, parameters: dict, other: list, source: str = "model"):
    """``model`` with parameter values changed (no recompilation); ``other`` non-parameter assignments recompile."""
    if other:
        from dsge.solution.model import model_from_dict
        from geo_sym.sweep.paths import set_values

        model = model_from_dict(set_values(doc, other), source=source)
    return model.with_parameters(parameters) if parameters else model


# ------------------------------------------------------------------------------------------ orchestration (§7)
def _explicit_targets(econ) -> bool:
    return econ.taylor is not None and econ.taylor.has_targets


def _wants_policy(econ, how: str) -> bool:
    if how == "taylor":
        return True
    return how == "auto" and econ.taylor is not None


def orchestration_steady_state(econ, policy_how: str = "auto"):
    """The steady state ``x* = Φ(x*)`` the point's items are computed at, and whether it depends on the rule.

    With the rule's targets at the steady state's own aggregates (the default) the rule is neutral
    at ``x*``, so ``x*`` is the steady state of the economy without the rule (the same for every
    ``φ``); with explicit targets it is the steady state under the rule (eq. (18)–(19)).
    Returns ``(steady, depends_on_rule)``.
    """
    from dsge.orchestration.steady import steady_state, taylor_rule

    if _wants_policy(econ, policy_how) and _explicit_targets(econ):
        return steady_state(econ, policy=taylor_rule(econ)), True
    return steady_state(econ), False


def _under_policy(econ, steady, how: str):
    """``steady`` with the rule in force: the file's coefficients, targets at ``x*`` unless the file sets them."""
    import dataclasses

    from dsge.orchestration.steady import neutral_rule, taylor_rule

    if not _wants_policy(econ, how):
        return dataclasses.replace(steady, policy=None) if steady.policy is not None else steady
    rule = taylor_rule(econ)
    if not rule.has_targets:
        rule = neutral_rule(econ, rule, steady.state)
    return dataclasses.replace(steady, policy=rule)


def economy_items(econ, steady_of, items, seed: int, guard, extra=None) -> dict:
    """Values of the compute items at one economy.

    ``steady_of(policy_how)`` returns the steady state (cached by the worker); ``guard(name, fn)``
    runs one item and records its failure; ``extra`` maps further item names to
    ``fn(econ, item, seed) -> {variable: value}`` (the basins item lives in :mod:`geo_sym.sweep.basins`).
    Returns ``{variable: value}``.
    """
    extra = extra or {}
    out: dict = {}
    spectra: dict = {}

    def spectrum(how, tol):
        if (how, tol) not in spectra:
            from dsge.orchestration.linear import spectral_radius

            spectra[(how, tol)] = spectral_radius(econ, _under_policy(econ, steady_of(how), how), tol=tol)
        return spectra[(how, tol)]

    for item in items:
        how, tol = item.option("policy", "auto"), float(item.option("tol", 1e-6))
        if item.name == "spectral_radius":
            guard(item.name, lambda how=how, tol=tol: out.update(spectral_radius=spectrum(how, tol).spectral_radius))
        elif item.name == "n_unstable":
            guard(item.name, lambda how=how, tol=tol: out.update(n_unstable=float(spectrum(how, tol).n_unstable)))
        elif item.name == "bk_status":
            guard(
                item.name,
                lambda item=item, how=how, tol=tol: out.update(bk_status=_orch_bk(econ, steady_of(how), item, tol)),
            )
        elif item.name == "irf_peak":
            guard(item.name, lambda item=item, how=how: out.update(irf_peak=_orch_irf_peak(econ, steady_of(how), item)))
        elif item.name == "verdicts":
            guard(item.name, lambda item=item: out.update(_verdicts(econ, item, seed)))
        elif item.name == "fixed_points":
            guard(item.name, lambda item=item: out.update(_fixed_points(econ, item, seed)))
        elif item.name in extra:
            guard(item.name, lambda item=item: out.update(extra[item.name](econ, item, seed)))
    return out


def _orch_bk(econ, steady, item, tol) -> str:
    from dsge.orchestration.linear import linearize

    ss = _under_policy(econ, steady, item.option("policy", "auto"))
    return linearize(econ, ss).stability(tol).status


def _orch_irf_peak(econ, steady, item) -> float:
    from dsge.orchestration.irf import impulse_response

    ss = _under_policy(econ, steady, item.option("policy", "auto"))
    ir = impulse_response(
        econ, item.option("shock"), int(item.option("periods", 40)), float(item.option("size", 0.01)), steady=ss
    )
    if ir.linear is None:
        raise ValidationError("irf_peak", ir.stability.status, "an economy with a stable solution (no linear response)")
    var = item.option("variable")
    if var not in ir.linear:
        raise UnknownNameError("irf_peak.variable", var, "a series of the response: " + ", ".join(ir.linear))
    return float(np.max(np.abs(ir.linear[var])))


def _verdicts(econ, item, seed) -> dict:
    claims = list(item.option("claims"))
    status, verified = [], []
    for cid in claims:
        v = claim_verdict(cid, econ, seed)
        status.append(v.status)
        verified.append(
            ("confirmed" if verify_witness(v.witness)[0] else "not confirmed") if v.status == "refuted" else ""
        )
    return {"verdict": status, "verified": verified}


def _fixed_points(econ, item, seed) -> dict:
    from geo_sym.rigorous.certify import certify_fixed_points, find_all_fixed_points

    if item.option("all", False):
        r = find_all_fixed_points(econ, max_boxes=int(item.option("max_boxes", 20000)))
        return {"fixed_points": float(r.n_certified), "fixed_points_complete": float(r.complete)}
    r = certify_fixed_points(econ, n_starts=int(item.option("starts", 8)), seed=seed)
    return {"fixed_points": float(r.n_certified)}


# ------------------------------------------------------------------------------------------ DSGE model files
def model_items(model, items, guard) -> dict:
    """Blanchard–Kahn status, unstable roots and IRF peaks of a compiled model at its parameter values."""
    out: dict = {}
    solved: dict = {}

    def solution(tol):
        if tol not in solved:
            solved[tol] = model.solve(tol=tol)
        return solved[tol]

    for item in items:
        tol = item.option("tol")
        tol = None if tol is None else float(tol)
        if item.name == "bk_status":
            guard(item.name, lambda tol=tol: out.update(bk_status=solution(tol).bk.status))
        elif item.name == "n_unstable":
            guard(item.name, lambda tol=tol: out.update(n_unstable=float(solution(tol).bk.n_unstable)))
        elif item.name == "irf_peak":
            guard(item.name, lambda item=item, tol=tol: out.update(irf_peak=_model_irf_peak(solution(tol), item)))
    return out


def _model_irf_peak(sol, item) -> float:
    if sol.bk.status != "determinate":
        raise ValidationError("irf_peak", sol.bk.status, "a determinate model (no impulse responses otherwise)")
    ir = sol.irf(item.option("shock"), int(item.option("periods", 40)))
    return float(np.max(np.abs(ir[item.option("variable")]))) * abs(float(item.option("size", 1.0)))


# ------------------------------------------------------------------------------------------ claims
def claim_verdict(claim_id: str, econ, seed: int):
    """The verdict of one claim on ``econ`` (:func:`proofs.claims.registry.run_checks`)."""
    from proofs.claims.registry import run_checks

    return run_checks([claim_id], economy=econ, seed=seed)[0]


def verify_witness(witness) -> tuple[bool, str]:
    """Re-check a refutation witness with the independent verifier: ``(confirmed, message)``."""
    from proofs.verify.core import verify_witness as _verify

    r = _verify(witness)
    return bool(r.ok), r.message


def claim_applies(claim_id: str) -> None:
    """Raise when ``claim_id`` is unknown."""
    from proofs.claims.registry import get_claim

    get_claim(claim_id)


# ------------------------------------------------------------------------------------------ states, fixed points
def random_state(econ, rng):
    from geo_sym.solve.fixed_point import random_state as _random_state

    return _random_state(econ, rng)


def center_state(econ):
    from geo_sym.solve.fixed_point import center_state as _center

    return _center(econ)


def state_from_flat(econ, x):
    from geo_sym.economy.state import State

    return State.from_flat(econ, np.asarray(x, dtype=float))


def map_image(econ, state):
    """``Φ(x)`` (eq. (10)–(13))."""
    from geo_sym.maps.core import evaluate_map

    return evaluate_map(econ, state).state


def state_labels(econ) -> list:
    from geo_sym.economy.state import state_labels as _labels

    return _labels(econ)


def all_equilibria(econ, *, exhaustive: bool, starts: int = 8, seed: int = 0, max_boxes: int = 20000):
    """Certified fixed points: ``(list of (state flat, unique_in box, certified), complete, message)``.

    ``exhaustive``: branch and prune over the whole state space (:func:`find_all_fixed_points`),
    otherwise seeded starts each tested by Krawczyk (:func:`certify_fixed_points`).
    """
    from geo_sym.rigorous.certify import certify_fixed_points, find_all_fixed_points

    if exhaustive:
        r = find_all_fixed_points(econ, max_boxes=max_boxes)
    else:
        r = certify_fixed_points(econ, n_starts=starts, seed=seed)
    eqs = []
    for f in r.fixed_points:
        st = f.state
        flat = np.concatenate([np.ravel(st["y"]), np.ravel(st["p"]), np.ravel(st["pi"])]).astype(float)
        box = np.asarray(f.unique_in, dtype=float) if f.unique_in is not None else None
        eqs.append((flat, box, bool(f.certified)))
    return eqs, bool(r.complete), r.message


def certify_at(econ, flat, radius: float = 1e-6):
    """Krawczyk at a float state: ``(certified, unique box or None)``."""
    from geo_sym.rigorous.certify import certify_fixed_point

    r = certify_fixed_point(econ, state_from_flat(econ, flat), radius)
    return bool(r.success), (np.asarray(r.box, dtype=float) if r.success else None)
