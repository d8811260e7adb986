"""Witness kinds about the dynamics: ``operator_norm``, ``iteration_count`` and ``a_priori_bound``
(docs/witness-format.md, claims.md §3: Proposition 6.2, Example 6.3, Theorem 6.1(ii))."""

from __future__ import annotations

import sympy as sp

from geo_sym.economy.numbers import parse_number
from proofs.verify.decide import PRECISIONS, arb_interval, precision, real_matches, show, sign, to_arb
from proofs.verify.economics import check_state_space
from proofs.verify.fixed_points import check_exact_fixed_point, read_fixed_point, read_map
from proofs.verify.hypotheses import (
    EXAMPLE_ACCURACY,
    example_63_counts,
    require_example_63,
    require_prop_62,
    require_theorem_61,
)
from proofs.verify.maps import Undefined, ball_map_value, jvp, map_value
from proofs.verify.reading import Failed, Model, need, read_count, read_obj, read_real, read_state, read_vector

__all__ = ["check_operator_norm", "check_iteration_count", "check_a_priori_bound", "MAX_ITERATIONS"]

MAX_ITERATIONS = 10_000  # longest iteration the verifier re-runs
ITERATION_BITS = PRECISIONS[1:6]


# ============================================================================ operator_norm
def check_operator_norm(w: dict, m: Model, claim: str, details: dict) -> str:
    """Proposition 6.2: ``‖DΦ(x) t‖ ≥ ‖t‖`` (or ``> λ‖t‖`` for the proof's bound) where ``τ > (1 − α)γ_A P``."""
    which = read_map(w, claim)
    lam = require_prop_62(m)
    claimed = read_obj(need(w, "claimed"), "claimed")
    figure = need(claimed, "figure", "claimed.")
    if figure not in ("one", "rate"):
        raise Failed(f"claimed.figure {figure!r} is not 'one' (‖DΦ‖_op < 1) or 'rate' (‖DΦ‖_op ≤ λ)")
    bound = sp.Integer(1) if figure == "one" else lam
    real_matches(bound, read_real(need(claimed, "bound", "claimed."), "claimed.bound"), "claimed.bound")
    st = read_state(m, need(w, "state"), "state")
    check_state_space(m, st, "state")
    t = read_vector(need(w, "tangent"), "tangent", m.size)
    if all(v == 0 for v in t):
        raise Failed("the tangent vector is zero")
    for start, size in m.simplex_blocks():
        if sum(t[start : start + size]) != 0:
            raise Failed(f"tangent[{start}:{start + size}] does not sum to 0: not tangent to the simplex block")
    image = jvp(m, which, st.flat(), t)
    num = sp.Add(*[x**2 for x in image])
    den = sp.Add(*[x**2 for x in t])
    ratio = num / den
    details.update({"ratio_squared": show(ratio), "bound": show(bound)})
    s = sign(num - bound**2 * den, "‖DΦ t‖² − bound²‖t‖²")
    if s < 0 or (s == 0 and figure == "rate"):
        raise Failed(f"‖DΦ(x) t‖²/‖t‖² = {show(ratio)} does not exceed the bound² = {show(bound**2)}: no contradiction")
    observed = w.get("observed")
    if isinstance(observed, dict) and "ratio_squared" in observed:
        real_matches(ratio, read_real(observed["ratio_squared"], "observed.ratio_squared"), "observed.ratio_squared")
    if isinstance(observed, dict) and "ratio_squared_at_least" in observed:
        low = read_real(observed["ratio_squared_at_least"], "observed.ratio_squared_at_least")
        low = low[0] if isinstance(low, tuple) else low
        if sign(ratio - low, "‖DΦ t‖²/‖t‖² − observed.ratio_squared_at_least") < 0:
            raise Failed(f"observed.ratio_squared_at_least = {show(low)} exceeds the recomputed {show(ratio)}")
    relation = "≥" if s == 0 else ">"
    what = "1" if figure == "one" else f"λ = {show(lam)}"
    return (
        f"‖DΦ(x) t‖/‖t‖ {relation} {what} for the {which} map at a state of the state space, t tangent "
        f"(‖DΦ t‖²/‖t‖² = {show(ratio)}), although τ > (1 − α)γ_A P"
    )


# ============================================================================ iterations in balls
def _iterate(m: Model, which: str, start: list, n: int) -> list:
    x = [arb_interval(v, v) for v in start]
    for _ in range(n):
        x = ball_map_value(m, which, x)
    return x


def _squared_distance(x: list, y: list):
    total = 0 * x[0]
    for a, b in zip(x, y):
        d = a - b
        total += d * d  # not d ** 2: python-flint's arb ** int is NaN on balls containing 0
    return total


def _decide_iterates(compare, what: str) -> None:
    """Run ``compare()`` at increasing precision until it returns True (confirmed) or False (refuted)."""
    for bits in ITERATION_BITS:
        with precision(bits):
            try:
                verdict = compare()
            except Failed:
                continue
            if verdict is not None:
                if not verdict:
                    raise Failed(what)
                return
    raise Failed(f"undecided in ball arithmetic at {ITERATION_BITS[-1]} bits: {what}")


# ============================================================================ iteration_count
def _observed_enclosure(w: dict, key: str):
    """``observed[key]`` as a rational enclosure ``(lo, hi)``, or ``None`` when absent."""
    observed = w.get("observed")
    if not isinstance(observed, dict) or key not in observed:
        return None
    value = read_real(observed[key], f"observed.{key}")
    if isinstance(value, tuple):
        return value
    if getattr(value, "is_Rational", False):
        return value, value
    raise Failed(f"observed.{key}: give a rational or an enclosure [lo, hi]")


def check_iteration_count(w: dict, m: Model, claim: str, details: dict) -> str:
    """Example 6.3: ``‖x_N − x*‖ > 0.01 ‖x_0 − x*‖`` after ``N = max(7, n₁₄)`` steps of ``T``.

    ``claimed.iterations`` is ``N`` recomputed from the economy's ``λ``: the paper's count
    ``⌈log 0.01 / log λ⌉`` or, if larger, the count ``⌈log(0.01(1 − λ)) / log λ⌉`` its bound (14) gives.
    """
    which = read_map(w, claim)
    lam = require_example_63(m)
    N = max(example_63_counts(lam))
    claimed = read_obj(need(w, "claimed"), "claimed")
    real_matches(
        sp.Integer(N), read_real(need(claimed, "iterations", "claimed."), "claimed.iterations"), "claimed.iterations"
    )
    accuracy = read_real(need(claimed, "accuracy", "claimed."), "claimed.accuracy")
    real_matches(EXAMPLE_ACCURACY, accuracy, "claimed.accuracy")
    n = read_count(need(w, "n"), "n", MAX_ITERATIONS)
    if n != N:
        raise Failed(f"n = {n} is not max(⌈log 0.01/log λ⌉, ⌈log(0.01(1 − λ))/log λ⌉) = {N} recomputed from λ = {lam}")
    start = read_state(m, need(w, "start"), "start")
    check_state_space(m, start, "start")
    fp = read_fixed_point(m, need(w, "fixed_point"), which, "fixed_point")
    if fp.state is not None and fp.state.flat() == start.flat():
        raise Failed("the start is the fixed point: the relative accuracy is undefined")
    acc2 = EXAMPLE_ACCURACY**2
    observed = _observed_enclosure(w, "ratio_squared")

    def ratio():
        star = fp.balls(m)
        d_n = _squared_distance(_iterate(m, which, start.flat(), N), star)
        d_0 = _squared_distance([arb_interval(v, v) for v in start.flat()], star)
        if not d_0 > 0:
            raise Failed("‖x_0 − x*‖ is not certainly positive")
        return d_n, d_0

    def compare():
        d_n, d_0 = ratio()
        details["ratio_squared"] = str(d_n / d_0)
        gap = d_n - to_arb(acc2) * d_0
        return True if gap > 0 else (False if gap < 0 else None)

    _decide_iterates(
        compare, f"after N = {N} iterations ‖x_N − x*‖ ≤ {EXAMPLE_ACCURACY}·‖x_0 − x*‖: the example's count holds here"
    )
    if observed is not None:

        def contains():
            d_n, d_0 = ratio()
            return _in_enclosure(d_n / d_0, observed)

        _decide_iterates(contains, "observed.ratio_squared does not contain ‖x_N − x*‖²/‖x_0 − x*‖²")
    return (
        f"after N = {N} iterations of T from the start, ‖x_N − x*‖ > {EXAMPLE_ACCURACY}·‖x_0 − x*‖ (ball arithmetic; "
        f"{fp.how} fixed point; the economy has Example 6.3's α, P, γ_A and λ = {lam})"
    )


def _in_enclosure(ball, enclosure: tuple):
    """True if the ball lies in ``[lo, hi]``, False if it misses it, None when undecided."""
    lo, hi = (to_arb(v) for v in enclosure)
    if ball >= lo and ball <= hi:
        return True
    if ball < lo or ball > hi:
        return False
    return None


# ============================================================================ a_priori_bound
_FORMULAS = ("(14)",)


def check_a_priori_bound(w: dict, m: Model, claim: str, details: dict) -> str:
    """Theorem 6.1(ii): Banach's bound (14) ``‖x_n − x*‖ ≤ λⁿ/(1 − λ) ‖x_1 − x_0‖`` fails for ``T``."""
    which = read_map(w, claim)
    lam = parse_number(need(w, "lambda"), "lambda")
    require_theorem_61(m, lam)
    claimed = read_obj(need(w, "claimed"), "claimed")
    formula = claimed.get("formula", "(14)")
    if formula not in _FORMULAS:
        raise Failed(f"claimed.formula {formula!r} is not one the verifier knows ({', '.join(_FORMULAS)})")
    x0 = read_state(m, need(w, "state"), "state")
    check_state_space(m, x0, "state")
    xs = read_state(m, need(w, "fixed_point"), "fixed_point")
    check_exact_fixed_point(m, which, xs, "fixed_point")
    n = read_count(need(w, "n"), "n", MAX_ITERATIONS)
    try:
        x1, _ = map_value(m, which, x0)
    except Undefined as exc:
        raise Failed(f"the map is undefined at the start ({exc})") from None
    step = sp.Add(*[(a - b) ** 2 for a, b in zip(x1, x0.flat())])
    bound = lam**n / (1 - lam) * sp.sqrt(step)
    details["bound"] = show(bound)
    real_matches(bound, read_real(need(claimed, "bound", "claimed."), "claimed.bound"), "claimed.bound")

    def compare():
        x = _iterate(m, which, x0.flat(), n)
        d_n = _squared_distance(x, [arb_interval(v, v) for v in xs.flat()])
        details["distance_squared"] = str(d_n)
        gap = d_n - to_arb(bound**2)
        return True if gap > 0 else (False if gap < 0 else None)

    _decide_iterates(compare, f"‖x_{n} − x*‖ does not exceed the bound (14) = {details['bound']}")
    observed = _observed_enclosure(w, "distance")
    if observed is not None:

        def contains():
            d = _squared_distance(_iterate(m, which, x0.flat(), n), [arb_interval(v, v) for v in xs.flat()]).sqrt()
            return _in_enclosure(d, observed)

        _decide_iterates(contains, f"observed.distance does not contain ‖x_{n} − x*‖")
    return (
        f"‖DΦ_K‖_op ≤ λ = {lam} < 1 holds on the state space (exact), yet after n = {n} steps of the {which} map "
        f"‖x_n − x*‖ exceeds Banach's bound (14) λⁿ/(1 − λ)‖x_1 − x_0‖ = {details['bound']} (ball arithmetic)"
    )
