r"""Exact stability regions of the orchestration maps in their parameters (eq. (10)–(13), (17)–(19)).

The linearisation of eq. (17) at a fixed point ``x*`` is stable when every eigenvalue of the
tangent Jacobian ``T⁺ DΦ(x*) T`` lies inside the unit circle. With one or two of ``alpha``,
``beta``, ``tau``, ``gamma`` (``G = γI``) and the Taylor coefficients ``phi_lat``, ``phi_qual``
replaced by symbols, :func:`economy_region` builds that matrix exactly and hands it to the region
engine (:func:`geo_sym.rigorous.regions.stability_region`).

The fixed point itself may move with the parameters. It is handled in one of three ways, and
the result says which (``context["fixed_point"]``):

``held exact``
    the rational fixed point found at the file's values satisfies ``Φ_θ(x*) = x*`` identically in
    the parameters (proved by exact cancellation), e.g. in symmetric economies where equal path
    values make the routing uniform: the regions are exact statements about the fixed point.
``tracked exactly``
    ``x*(θ) = Φ_θ(x*)`` (one symbolic step from that rational point) satisfies
    ``Φ_θ(x*(θ)) = x*(θ)`` identically: the fixed point moves, as a rational function of the
    parameters (e.g. prices ``p* = γ y*``), and the regions are exact for it.
``held fixed``
    neither: the Jacobian is taken at the fixed point of the file's values, and where its entries
    are not rational functions of the parameters (routing weights ``softmax(−V/τ)`` involve ``exp``)
    the routing weights are held at their values there. The regions are then exact for that
    matrix, which is the linearisation at a fixed point only at the file's values.

The Jacobian is the exact one of :class:`geo_sym.maps.symbolic.SymbolicMap` (the single definition
of the maps), restricted to the tangent space exactly as
:meth:`geo_sym.economy.state.TangentChart.exact` does; the branch of ``Proj_Y`` and
``max(0, ·)`` active at the fixed point is kept, and where it depends on the parameters the
conditions that keep it become part of the domain.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import sympy as sp

from geo_sym.economy.state import State, tangent_chart
from geo_sym.errors import DomainError, SolverError, UnknownNameError, ValidationError
from geo_sym.maps.core import aggregate_metrics, evaluate_map
from geo_sym.maps.symbolic import SymbolicMap
from geo_sym.rigorous.regions import NEAR_CIRCLE, RegionResult, stability_labeler, stability_region

__all__ = ["ECONOMY_PARAMETERS", "economy_region", "parameter_values"]

#: the parameters a stability region of an economy can be drawn in
ECONOMY_PARAMETERS = ("alpha", "beta", "tau", "gamma", "phi_lat", "phi_qual")
_POLICY_PARAMETERS = ("phi_lat", "phi_qual")


def parameter_values(econ) -> dict:
    """The current (exact) value of every parameter of :data:`ECONOMY_PARAMETERS` the economy has."""
    out = {"alpha": econ.alpha, "tau": econ.tau}
    if econ.beta is not None and econ.price_mechanism.kind == "tatonnement":
        out["beta"] = econ.beta
    pm = econ.price_mechanism
    if pm.kind == "linear" and pm.gamma is not None:
        out["gamma"] = pm.gamma
    if econ.taylor is not None:
        out["phi_lat"] = econ.taylor.phi_lat
        out["phi_qual"] = econ.taylor.phi_qual
    return out


def _validate(econ, params):
    values = parameter_values(econ)
    for p in params:
        if p not in ECONOMY_PARAMETERS:
            raise UnknownNameError("--params", p, "one of " + ", ".join(ECONOMY_PARAMETERS))
        if p not in values:
            why = {
                "beta": "a tatonnement price mechanism (beta is its step)",
                "gamma": "a linear price mechanism given as {kind: linear, gamma: ...} (G = γI)",
                "phi_lat": "a taylor section (the Taylor rule of eq. (18)-(19))",
                "phi_qual": "a taylor section (the Taylor rule of eq. (18)-(19))",
            }[p]
            raise ValidationError("--params", p, f"a parameter this economy has: {p} needs {why}")
    return values


def _with_values(econ, values: dict):
    """The economy with some parameters replaced (numbers or symbols), without re-validation."""
    changes = {k: values[k] for k in ("alpha", "beta", "tau") if k in values}
    if "gamma" in values:
        changes["price_mechanism"] = dataclasses.replace(econ.price_mechanism, gamma=values["gamma"])
    return dataclasses.replace(econ, **changes)


def _taylor(econ, values, x, policy_on: bool):
    """The Taylor rule (18)-(19) with targets at the aggregates of ``x`` unless the file gives them."""
    if not policy_on:
        return None
    rule = econ.taylor
    if rule.has_targets:
        lat_t, qual_t = rule.lat_target, rule.qual_target
    else:
        M = econ.graph.incidence().astype(object)
        lat_t, qual_t = aggregate_metrics(econ.slo, x.y, M.dot(x.pi))
    return dataclasses.replace(
        rule, phi_lat=values["phi_lat"], phi_qual=values["phi_qual"], lat_target=lat_t, qual_target=qual_t
    )


def _symbolic_map(econ, active, policy):
    """:class:`SymbolicMap` on the given branch, with the Taylor rule when ``policy`` is set."""
    return SymbolicMap(econ, active, policy)


#: denominators of the rational values held for an irrational fixed point and its routing weights
HELD_DENOMINATOR = 10**4


def _rationalize(v, max_den=HELD_DENOMINATOR):
    fr = Fraction(float(v)).limit_denominator(max_den)
    return sp.Rational(fr.numerator, fr.denominator)


def _exact_fixed_point(econ, policy_at, search_policy=None):
    """A fixed point at the file's values: exact (rational, proved by exact evaluation) or a float one."""
    from geo_sym.solve.fixed_point import find_fixed_point

    r = find_fixed_point(econ, tol=1e-14, policy=search_policy)
    if not r.success:
        raise SolverError(f"no fixed point found at the file's parameter values: {r.message}")
    f = np.vectorize(lambda v: _rationalize(v, 10**6), otypes=[object])
    cand = State(f(r.state.y), f(r.state.p), f(r.state.pi))
    img = evaluate_map(econ, cand, policy=policy_at(cand)).state
    if all(isinstance(a, sp.Rational) and a == b for a, b in zip(img.flat(), cand.flat())):
        return cand, True
    g = np.vectorize(_rationalize, otypes=[object])
    return State(g(r.state.y), g(r.state.p), g(r.state.pi)), False


def _identically_equal(a, b) -> bool:
    return all(sp.cancel(sp.powsimp(sp.together(u - v))) == 0 for u, v in zip(a, b))


def _branch_constraints(sm, vals, econ, active, syms):
    """Conditions (``expr > 0``) on the parameters that keep the branch of the fixed point's active set."""
    out = []
    lo_hi = [(s.lo, s.hi) if s.kind == "box" else (None, None) for s in econ.production_sets]
    for s, _e in sm.stages:
        name = str(s)
        if not (name.startswith("v_") or name.startswith("q_")):
            continue
        val = sp.cancel(vals[s])
        if not (val.free_symbols & set(syms)):
            continue
        a, k = (int(t) for t in name.split("_")[1:3])
        if name.startswith("q_"):
            conds = [val] if active.p_positive[a, k] else [-val]
        else:
            lo, hi = lo_hi[a]
            code = int(active.y_codes[a, k])
            if lo is None:
                raise SolverError("a ball production set whose projection branch depends on the parameters")
            conds = {0: [val - lo[k], hi[k] - val], -1: [lo[k] - val], 1: [val - hi[k]]}[code]
        for c in conds:
            n, d = sp.fraction(sp.cancel(sp.together(c)))
            out.append((sp.expand(n * d), True))
    return out


def economy_region(
    econ,
    params,
    *,
    bounds=None,
    policy: bool | None = None,
    window=None,
    check_points: int = 200,
    seed: int = 0,
    progress=None,
    max_factor_degree: int | None = None,
) -> RegionResult:
    """Exact stability region of the economy's map in one or two of its parameters.

    Parameters
    ----------
    econ : Economy
    params : sequence of str
        Among :data:`ECONOMY_PARAMETERS`.
    bounds : dict, optional
        Name -> ``(lo, hi)`` (``None`` for open ends), intersected with the parameters' own
        domains (``0 < alpha < 1``, ``tau > 0``, ``beta > 0``).
    policy : bool, optional
        Include the Taylor rule of eq. (18)-(19) (default: when the file has a ``taylor`` section;
        required for ``phi_lat``/``phi_qual``).
    window, check_points, seed, progress, max_factor_degree
        As in :func:`geo_sym.rigorous.regions.root_regions` (``None``: its default).

    Returns
    -------
    RegionResult
        Classes ``stable``/``unstable`` of the tangent Jacobian at the fixed point, with
        ``context["fixed_point"]`` saying how the fixed point was handled.
    """
    params = list(params)
    values = _validate(econ, params)
    policy_on = _policy_on(econ, params, policy)
    syms = {p: sp.Symbol(p, real=True) for p in params}
    sym_values = dict(values, **syms)
    econ_s = _with_values(econ, sym_values)
    x0, exact0, active = _file_fixed_point(econ, values, policy_on)
    mode, x_star, notes = _fixed_point_mode(econ_s, x0, exact0, active, sym_values, policy_on, params)
    sm = _symbolic_map(econ_s, active, _taylor(econ_s, sym_values, x_star, policy_on))
    Jt, vals, held_routing = _tangent_jacobian(sm, econ, econ_s, x0, x_star, active, values, policy_on)
    if held_routing is not None:
        mode = "held fixed"
        notes.append(_held_routing_note(params))
    constraints = _domain_constraints(params, syms) + _branch_constraints(sm, vals, econ, active, list(syms.values()))
    fixed = {k: str(v) for k, v in values.items() if k not in params}
    numeric = _numeric_classifier(econ, params, x_star, active, values, policy_on, mode, Jt, syms)
    return stability_region(
        Jt,
        [syms[p] for p in params],
        bounds=bounds,
        constraints=constraints,
        fixed=fixed,
        window=_default_window(params, values, bounds, window),
        notes=tuple(notes),
        context=_context(econ, mode, exact0, x_star, held_routing, policy_on),
        numeric_classifier=numeric,
        check_points=check_points,
        seed=seed,
        progress=progress,
        **({} if max_factor_degree is None else {"max_factor_degree": max_factor_degree}),
    )


def _policy_on(econ, params, policy) -> bool:
    """Whether the Taylor rule is part of the map (default: when the file has a ``taylor`` section)."""
    policy_on = econ.taylor is not None if policy is None else bool(policy)
    if policy_on and econ.taylor is None:
        raise ValidationError("--policy", "taylor", "an economy with a taylor section")
    if not policy_on and any(p in _POLICY_PARAMETERS for p in params):
        raise ValidationError("--params", params, "phi_lat/phi_qual only with the Taylor rule on")
    return policy_on


def _file_fixed_point(econ, values, policy_on):
    """The fixed point at the file's values (rational, and whether it is exact) and its active set."""
    search = None
    if policy_on and econ.taylor.has_targets:  # a rule that is not neutral at the steady state moves it
        t = econ.taylor
        search = t.as_float()
    x0, exact0 = _exact_fixed_point(econ, lambda x: _taylor(econ, values, x, policy_on), search)
    active = evaluate_map(econ, x0, policy=_taylor(econ, values, x0, policy_on)).active
    return x0, exact0, active


def _held_routing_note(params) -> str:
    """Why the regions are exact only for the held matrix: the routing weights involve ``exp``."""
    return (
        "the routing weights softmax(-V/tau) at the fixed point involve exp, so the tangent Jacobian's entries "
        f"are not rational functions of {', '.join(params)}; the routing weights are held at their values at the "
        "file's fixed point (rational approximations with denominators up to 10^4), so the regions are exact for "
        "that matrix, which is the linearisation at a fixed point only at the file's values"
    )


def _context(econ, mode, exact0, x_star, held_routing, policy_on) -> dict:
    """The facts reported with the region: how the fixed point was handled, the economy, the map, the policy."""
    return {
        "fixed_point": {
            "mode": mode,
            "exact": mode != "held fixed" and exact0,
            "state": _state_json(x_star),
            "routing_held": None if held_routing is None else [str(v) for v in held_routing.values()],
        },
        "economy": econ.name,
        "map": econ.map_kind,
        "policy": "taylor" if policy_on else None,
    }


def _tangent_jacobian(sm, econ, econ_s, x0, x_star, active, values, policy_on):
    """``T⁺ DΦ(x*) T`` exactly; routing weights held at the file's fixed point when they involve ``exp``."""
    vals = sm.stage_values(x_star)
    held = None
    if any(vals[s].has(sp.exp) for s in sm._pi_new):
        held = _hold_routing(econ, x0, active, values, policy_on, sm)
        vals = dict(vals)
        vals.update(held)
    Tp, T = tangent_chart(econ_s).exact()
    return (Tp * sm.jacobian().xreplace(vals) * T).applyfunc(sp.cancel), vals, held


def _fixed_point_mode(econ_s, x0, exact0, active, sym_values, policy_on, params):
    notes = []
    if not exact0:
        notes.append(
            "the fixed point at the file's values is not rational; a rational approximation of it (denominators up to "
            "10^4, the best approximations of its floating-point value) is used"
        )
        neutral = policy_on and all(p in _POLICY_PARAMETERS for p in params)
        if neutral and not econ_s.taylor.has_targets:
            notes.append(
                "the fixed point does not move with "
                + ", ".join(params)
                + ": the Taylor rule's targets are the fixed point's own aggregates, so the rule is neutral there"
            )
        return "held fixed", x0, notes
    img = evaluate_map(econ_s, x0, active, policy=_taylor(econ_s, sym_values, x0, policy_on)).state
    if _identically_equal(img.flat(), x0.flat()):
        notes.append(
            "the fixed point does not move with " + ", ".join(params) + ": Phi(x*) = x* holds identically in them "
            "(exact cancellation), so the regions are exact for the linearisation at the fixed point"
        )
        return "held exact", x0, notes
    x1 = State(*(np.vectorize(sp.cancel, otypes=[object])(a) for a in (img.y, img.p, img.pi)))
    img2 = evaluate_map(econ_s, x1, active, policy=_taylor(econ_s, sym_values, x1, policy_on)).state
    if _identically_equal(img2.flat(), x1.flat()):
        notes.append(
            "the fixed point moves with "
            + ", ".join(params)
            + " as a rational function of them, x*(theta) = Phi_theta(x*), and Phi(x*(theta)) = x*(theta) holds "
            "identically (exact cancellation): the regions are exact for the linearisation at the moving fixed point"
        )
        return "tracked exactly", x1, notes
    notes.append(
        "the fixed point moves with " + ", ".join(params) + " in a way not tracked exactly; the Jacobian is taken at "
        "the fixed point of the file's values"
    )
    return "held fixed", x0, notes


def _hold_routing(econ, x0, active, values, policy_on, sm):
    """Rational values of the routing stage ``π'`` at the file's fixed point and parameter values."""
    econ_v = _with_values(econ, values)
    vals = _symbolic_map(econ_v, active, _taylor(econ_v, values, x0, policy_on)).stage_values(x0)
    return {s: _rationalize(sp.N(vals[s], 30)) for s in sm._pi_new}


def _domain_constraints(params, syms):
    out = []
    for p in params:
        s = syms[p]
        if p == "alpha":
            out += [(s, True), (1 - s, True)]
        elif p in ("tau", "beta"):
            out.append((s, True))
    return out


def _default_window(params, values, bounds, window):
    out = {}
    for p in params:
        if window and p in window:
            out[p] = tuple(map(float, window[p]))
            continue
        v = float(values[p])
        lo, hi = (bounds or {}).get(p, (None, None))
        span = max(1.0, 2 * abs(v))
        dlo, dhi = {"alpha": (0.0, 1.0), "tau": (0.0, v + span), "beta": (0.0, v + span)}.get(p, (v - span, v + span))
        out[p] = (float(lo) if lo is not None else dlo, float(hi) if hi is not None else dhi)
    return out


def _state_json(x):
    """The fixed point in the state-file format (``y`` and ``p`` per agent), exact values as strings."""

    def enc(v):
        return sp.sstr(sp.cancel(v))

    def rows(a):
        return [[enc(v) for v in np.atleast_1d(row)] for row in a]

    return {"y": rows(x.y), "p": rows(x.p), "pi": [enc(v) for v in np.asarray(x.pi).ravel()]}


def _numeric_classifier(econ, params, x_star, active, values, policy_on, mode, Jt, syms):
    """Floating-point classification at a point, independent of the exact pipeline where the fixed point is exact.

    For an exact (held or tracked) fixed point: the numeric Jacobian of :mod:`geo_sym.maps.jacobian`
    (block chain rule, not the symbolic one) at ``x*(θ)``, restricted to the tangent space, and its
    eigenvalues. For a held-fixed point: the eigenvalues of the held matrix in floating point.
    """
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues

    order = [syms[p] for p in params]
    if mode == "held fixed":
        f = sp.lambdify(order, Jt, "numpy")

        def held(pt):
            mod = np.abs(np.linalg.eigvals(np.array(f(*[pt[p] for p in params]), dtype=float)))
            return None if np.any(np.abs(mod - 1) < NEAR_CIRCLE) else stability_labeler(0, int(np.sum(mod > 1)))

        return held
    fx = [sp.lambdify(order, sp.sympify(v), "math") for v in x_star.flat()]

    def numeric(pt):
        exact_pt = {p: sp.Rational(Fraction(pt[p]).numerator, Fraction(pt[p]).denominator) for p in params}
        vals = dict(values, **exact_pt)
        econ_p = _with_values(econ, vals)
        x = State.from_flat(econ_p, np.array([float(g(*[pt[p] for p in params])) for g in fx]))
        pol = None
        if policy_on:
            t = _taylor(econ_p, vals, x, True)
            pol = t.as_float()
        try:
            ev = tangent_eigenvalues(econ_p, numeric_jacobian(econ_p, x, policy=pol))
        except (DomainError, np.linalg.LinAlgError, FloatingPointError):
            return None
        mod = np.abs(ev)
        return None if np.any(np.abs(mod - 1) < NEAR_CIRCLE) else stability_labeler(0, int(np.sum(mod > 1)))

    return numeric
