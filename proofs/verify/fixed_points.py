"""Fixed points in witnesses, and the kinds built on them: ``fixed_point_condition``,
``multiple_fixed_points`` and ``spectral_radius`` (docs/witness-format.md).

A fixed point is an exact state (checked by evaluating the map exactly: ``Φ(x) − x = 0`` coordinate by
coordinate, decided exactly) or an enclosure ``{"box": ...}`` (checked by the verifier's own Krawczyk
test, :mod:`proofs.verify.krawczyk`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from proofs.verify.decide import PRECISIONS, arb_interval, flint, precision, real_matches, show, sign, to_arb
from proofs.verify.economics import gap_e3, max_profit, profit_gap_balls
from proofs.verify.hypotheses import CLAIM_MAP, require_prop_62
from proofs.verify.krawczyk import Enclosure, krawczyk, lift
from proofs.verify.maps import MAPS, Undefined, jacobian, map_value, tangent_matrix
from proofs.verify.reading import (
    Failed,
    Model,
    State,
    agent_index,
    need,
    read_algebraic,
    read_box,
    read_complex_enclosure,
    read_obj,
    read_real,
    read_state,
)
from proofs.verify.spectra import (
    EigenvaluesNotIsolated,
    charpoly,
    check_algebraic_eigenvalue,
    check_spectral_radius_enclosure,
    compare_modulus,
    eigenvalue_enclosures,
    max_modulus_below,
    rational_matrix,
    spectral_radius_bounds,
)

__all__ = [
    "FixedPoint",
    "read_map",
    "read_fixed_point",
    "check_exact_fixed_point",
    "check_fixed_point_condition",
    "check_multiple_fixed_points",
    "check_spectral_radius",
]


def read_map(w: dict, claim: str, default: str | None = None) -> str:
    """The witness's ``map``; it must be the map the claim is about, where the claim names one."""
    which = w.get("map", default) if default is not None else need(w, "map")
    if which not in MAPS:
        raise Failed(f"map {which!r} is not one of {', '.join(MAPS)}")
    if claim in CLAIM_MAP and which != CLAIM_MAP[claim]:
        raise Failed(f"{claim} is about the {CLAIM_MAP[claim]} map, the witness uses the {which} map")
    return which


@dataclass(frozen=True)
class FixedPoint:
    """An exact fixed point (``state``) or a verified enclosure of one."""

    state: State | None
    enclosure: Enclosure | None

    def __repr__(self) -> str:
        return "FixedPoint(exact)" if self.state is not None else f"FixedPoint({self.enclosure!r})"

    def balls(self, m: Model) -> list:
        """Ambient balls (current precision) containing the fixed point."""
        if self.state is not None:
            return [arb_interval(v, v) for v in self.state.flat()]
        return lift(m, self.enclosure.chart)

    @property
    def how(self) -> str:
        return "exact" if self.state is not None else "enclosed (Krawczyk)"


def check_exact_fixed_point(m: Model, which: str, st: State, field: str) -> None:
    """``Φ(x) = x`` exactly for the named map; else :class:`Failed` naming the first coordinate off."""
    try:
        value, _ = map_value(m, which, st)
    except Undefined as exc:
        raise Failed(f"{field}: the {which} map is undefined there ({exc})") from None
    for i, (new, old) in enumerate(zip(value, st.flat())):
        if sign(new - old, f"{field}: Φ(x)_{i} − x_{i}") != 0:
            raise Failed(f"{field} is not a fixed point of the {which} map: Φ(x)_{i} − x_{i} = {show(new - old)}")


def read_fixed_point(m: Model, raw, which: str, field: str) -> FixedPoint:
    """An exact state or an enclosure, verified.

    Accepted forms: a state ``{"y", "p", "pi"}`` or ``{"state": {...}}``; an enclosure ``{"box": [...]}`` or
    ``{"enclosure": {"box": [...]}}`` (which wins over a ``state`` given next to it: that is a midpoint).
    """
    raw = read_obj(raw, field)
    if "enclosure" in raw:  # an enclosure is the claim even when a (midpoint) state comes with it
        field, raw = f"{field}.enclosure", read_obj(raw["enclosure"], f"{field}.enclosure")
    elif "state" in raw:
        field, raw = f"{field}.state", read_obj(raw["state"], f"{field}.state")
    if "box" in raw:
        return FixedPoint(None, krawczyk(m, which, read_box(m, raw, field), field))
    st = read_state(m, raw, field)
    check_exact_fixed_point(m, which, st, field)
    return FixedPoint(st, None)


# ============================================================================ fixed_point_condition
def check_fixed_point_condition(w: dict, m: Model, claim: str, details: dict) -> str:
    """(E1) or (E3) fails at a fixed point of ``Φ_K`` (thm-4.4/fixed-points-are-equilibria)."""
    which = read_map(w, claim)
    if m.linear:
        raise Failed("the economy has a linear mechanism: the claim is about Φ_K with the tâtonnement (eq. 11)")
    condition = need(w, "condition")
    if condition not in ("E1", "E3"):
        raise Failed(f"condition {condition!r} is not E1 or E3")
    a = agent_index(m, need(w, "agent"), "agent")
    name = m.names[a]
    K, n = m.K, m.A * m.K
    if "state" in w and "enclosure" not in w:  # with an enclosure, the state is its midpoint: the box is the claim
        st = read_state(m, w["state"], "state")
        check_exact_fixed_point(m, which, st, "state")
        if condition == "E3":
            gaps = gap_e3(m, a, st.pi, st.y[a])
            details["gap"] = [show(g) for g in gaps]
            if all(sign(g, "d_a − y_a") == 0 for g in gaps):
                raise Failed(f"(E3) holds for agent {name} at the fixed point: d_a(π) = y_a")
            return f"exact fixed point of Φ_K where (E3) fails for agent {name}: d_a(π) − y_a = {details['gap']}"
        gap = max_profit(m, a, st.p[a]) - sp.Add(*[p * y for p, y in zip(st.p[a], st.y[a])])
        details["profit_gap"] = show(gap)
        if sign(gap, "Π_a − <p_a, y_a>") <= 0:
            raise Failed(f"(E1) holds for agent {name} at the fixed point: <p_a, y_a> = Π_a(p)")
        return (
            f"exact fixed point of Φ_K where (E1) fails for agent {name}: Π_a(p) − <p_a, y_a> = {details['profit_gap']}"
        )
    enc = krawczyk(m, which, read_box(m, need(w, "enclosure"), "enclosure"), "enclosure")
    for bits in PRECISIONS[1:4]:
        with precision(bits):
            x = lift(m, enc.chart)
            y = x[a * K : (a + 1) * K]
            p = x[n + a * K : n + (a + 1) * K]
            pi = x[2 * n :]
            if condition == "E3":
                gaps = gap_e3(m, a, pi, y)
                if any(g > 0 or g < 0 for g in gaps):
                    details["gap"] = [str(g) for g in gaps]
                    return f"the one fixed point of Φ_K in the enclosure (Krawczyk) violates (E3) for agent {name}: d_a(π) − y_a ∈ {details['gap']}"
            else:
                gap = profit_gap_balls(m, a, p, y)
                if gap > 0:
                    details["profit_gap"] = str(gap)
                    return f"the one fixed point of Φ_K in the enclosure (Krawczyk) violates (E1) for agent {name}: Π_a(p) − <p_a, y_a> ∈ {gap}"
    raise Failed(f"({condition}) failing for agent {name} is not decided on the whole enclosure")


# ============================================================================ multiple_fixed_points
def _distinct(m: Model, f1: FixedPoint, f2: FixedPoint) -> bool:
    if f1.state is not None and f2.state is not None:
        return f1.state.flat() != f2.state.flat()
    with precision(256):
        b1, b2 = f1.balls(m), f2.balls(m)
        return any(x < y or x > y for x, y in zip(b1, b2))


def check_multiple_fixed_points(w: dict, m: Model, claim: str, details: dict) -> str:
    """Two or more distinct fixed points where Theorem 8.1(v) asserts uniqueness."""
    which = read_map(w, "")  # both maps have the same fixed points (claims.md §1): either may be named
    lam = require_prop_62(m)
    details["lambda"] = show(lam)
    raw = need(w, "fixed_points")
    if not isinstance(raw, list) or len(raw) < 2:
        raise Failed("fixed_points: at least two fixed points are needed")
    fps = [read_fixed_point(m, r, which, f"fixed_points[{i}]") for i, r in enumerate(raw)]
    for i in range(len(fps)):
        for j in range(i):
            if not _distinct(m, fps[i], fps[j]):
                raise Failed(
                    f"fixed_points[{j}] and fixed_points[{i}] are not shown to be distinct (they may coincide)"
                )
    kinds = ", ".join(fp.how for fp in fps)
    return f"{len(fps)} distinct fixed points of the {which} map ({kinds}) although τ > (1 − α)γ_A P (λ = {details['lambda']})"


# ============================================================================ spectral_radius
_RELATION = {"sec-7.1/rate": "equal", "thm-8.1(v)": "at_most"}


def _exact_spectrum(m, which, fp, relation, lam, w, details) -> str:
    N = rational_matrix(tangent_matrix(m, jacobian(m, which, fp.state.flat(), "exact")), "the tangent Jacobian")
    chi = charpoly(N)
    details["charpoly"] = str(chi)
    rho = read_obj(need(w, "observed"), "observed").get("spectral_radius")
    if rho is not None:
        lo, hi = _as_enclosure(read_real(rho, "observed.spectral_radius"), "observed.spectral_radius")
        check_spectral_radius_enclosure(chi, lo, hi)
    alg = read_algebraic(
        read_obj(need(need(w, "observed"), "eigenvalue", "observed."), "observed.eigenvalue"), "observed.eigenvalue"
    )
    check_algebraic_eigenvalue(alg, chi)
    s = compare_modulus(alg, lam)
    if s > 0:
        return "an eigenvalue ζ of DΦ(x*) (exact algebraic, isolated) has |ζ| > λ, so ρ > λ"
    if s < 0 and relation == "equal" and max_modulus_below(chi, lam):
        return "every eigenvalue of DΦ(x*) has modulus < λ (exact characteristic polynomial), so ρ < λ"
    raise Failed("the eigenvalue's modulus does not contradict the claim (|ζ| < λ, and ρ < λ is not shown)")


def _enclosed_spectrum(m, which, fp, relation, lam, w, details) -> str:
    def matrix_at(bits):
        return tangent_matrix(m, jacobian(m, which, fp.balls(m), "ball"))

    observed = read_obj(need(w, "observed"), "observed")
    obs = read_complex_enclosure(observed["eigenvalue"], "observed.eigenvalue") if "eigenvalue" in observed else None
    rho = observed.get("spectral_radius")
    rho = (
        _as_enclosure(read_real(rho, "observed.spectral_radius"), "observed.spectral_radius")
        if rho is not None
        else None
    )
    try:
        bits, eig = eigenvalue_enclosures(matrix_at, "spectral_radius")
    except EigenvaluesNotIsolated:
        return _power_bounds(matrix_at, relation, lam, rho, obs, details)
    with precision(bits):
        f = flint()
        bound = to_arb(lam)
        above = [z for z in eig if abs(z) > bound]
        if above:
            chosen, text = above, "an Arb eigenvalue enclosure of the interval Jacobian has modulus > λ, so ρ > λ"
        elif relation == "equal" and all(abs(z) < bound for z in eig):
            chosen, text = eig, "every Arb eigenvalue enclosure of the interval Jacobian has modulus < λ, so ρ < λ"
        else:
            raise Failed("the eigenvalue enclosures do not separate the spectral radius from λ")
        details["eigenvalues"] = [str(z) for z in eig]
        if obs is not None:
            (r0, r1), (i0, i1) = obs
            box = f.acb(arb_interval(r0, r1), arb_interval(i0, i1))
            if not any(z.overlaps(box) for z in chosen):
                raise Failed(
                    "observed.eigenvalue meets none of the verifier's eigenvalue enclosures on the decisive side"
                )
        if rho is not None:
            top = max((abs(z).upper() for z in eig), default=f.arb(0))
            bottom = max((abs(z).lower() for z in eig), default=f.arb(0))
            if top < arb_interval(rho[0], rho[0]) or bottom > arb_interval(rho[1], rho[1]):
                raise Failed(f"observed.spectral_radius = [{rho[0]}, {rho[1]}] misses the enclosure of ρ over the box")
    return text


def _power_bounds(matrix_at, relation, lam, rho, obs, details) -> str:
    """Decide with ``(|tr Jᵏ|/n)^{1/k} ≤ ρ ≤ ‖Jᵏ‖^{1/k}`` when Arb cannot isolate the eigenvalues."""
    for bits in PRECISIONS[1:4]:
        with precision(bits):
            lower, upper = spectral_radius_bounds(matrix_at(bits))
            bound = to_arb(lam)
            details["spectral_radius_bounds"] = [str(lower), str(upper)]
            if rho is not None and (upper < arb_interval(rho[0], rho[0]) or lower > arb_interval(rho[1], rho[1])):
                raise Failed(f"observed.spectral_radius = [{rho[0]}, {rho[1]}] misses the bounds on ρ over the box")
            if lower > bound:
                text = "(|tr Jᵏ|/n)^(1/k) > λ over the interval Jacobian, so ρ > λ"
            elif relation == "equal" and upper < bound:
                text = "‖Jᵏ‖^(1/k) < λ over the interval Jacobian, so ρ < λ"
            else:
                continue
            if obs is not None:
                details["observed_eigenvalue"] = "not checked: Arb could not isolate the eigenvalues"
            return text
    raise Failed("the bounds on the spectral radius over the box do not separate it from λ")


def _as_enclosure(value, field: str) -> tuple:
    if isinstance(value, tuple):
        return value
    if getattr(value, "is_Rational", False):
        return value, value
    raise Failed(f"{field}: give a rational or an enclosure [lo, hi]")


def check_spectral_radius(w: dict, m: Model, claim: str, details: dict) -> str:
    """``ρ(DΦ(x*)) ≠ λ`` (``equal``, sec-7.1/rate) or ``> λ`` (``at_most``, thm-8.1(v)), rigorously."""
    which = read_map(w, claim)
    relation = need(w, "relation")
    if relation not in ("equal", "at_most"):
        raise Failed(f"relation {relation!r} is not 'equal' or 'at_most'")
    if claim in _RELATION and relation != _RELATION[claim]:
        raise Failed(
            f"{claim} asserts ρ {'= λ' if _RELATION[claim] == 'equal' else '≤ λ'}; the witness's relation is {relation!r}"
        )
    lam = require_prop_62(m)
    details["lambda"] = show(lam)
    claimed = read_obj(need(w, "claimed"), "claimed")
    real_matches(lam, read_real(need(claimed, "rate", "claimed."), "claimed.rate"), "claimed.rate")
    fp = read_fixed_point(m, need(w, "fixed_point"), which, "fixed_point")
    if fp.state is not None:
        text = _exact_spectrum(m, which, fp, relation, lam, w, details)
    else:
        text = _enclosed_spectrum(m, which, fp, relation, lam, w, details)
    return f"at the {fp.how} fixed point of the {which} map, {text} (λ = {details['lambda']} recomputed; τ > (1 − α)γ_A P holds)"
