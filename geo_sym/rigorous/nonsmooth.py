r"""Interval enclosures of the non-smooth stages of the maps (eq. (10)–(12)), on every branch at once.

Each function takes the balls of a stage's inputs and, when slopes are wanted, their slope rows
(one list of ``m`` balls per input: the row of the slope matrix with respect to the box
coordinates), and returns the balls of the outputs and their slope rows (``None`` without slopes):

* ``Proj_Y`` (eq. (10)): the value encloses every branch (``clip`` of the ball); its slope
  is ``1`` where the box is certainly free, ``0`` where it is certainly clamped and the
  range ``[0, 1]`` where the box straddles a bound (balls: the hull of ``I`` and of the
  derivative of the radial projection);
* ``normalize(max(0, q))`` (eq. (11)): ``max(0, ·)`` has slope range ``[0, 1]`` across the
  kink; ``normalize`` is evaluated coordinate by coordinate from its monotonicity (its exact
  range over the box of ``max(0, q)``); a sum of positive parts whose ball contains 0
  (``normalize(0)`` possible) makes the evaluation fail;
* ``softmax(-V/τ)`` (eq. (12)) in the form ``π'_j = 1 / Σ_i exp(-(V_i - V_j)/τ)`` with the
  differences ``V_i - V_j = Σ_a (M_{ai} - M_{aj}) c_a`` formed before any interval
  operation, so shared agents cancel exactly and no exponential of a large number appears
  in a denominator (the enclosure does not blow up).

``[0, 1]`` is the slope range of ``max(0, ·)`` and ``clip`` between any two reals, so the rows
returned are slopes over the whole box (``f(x) - f(x') ∈ S (x - x')`` for every pair), kinks
included. A failure raises :class:`~geo_sym.rigorous.arb.EnclosureFailure`.
"""

from __future__ import annotations

from geo_sym.rigorous.arb import (
    EnclosureFailure,
    flint_module,
    hull,
    idiv,
    iexp,
    imul,
    intersect,
    irecip,
    isqr,
    isqrt,
    narrow_factor,
    unit_slope,
)

__all__ = ["project_box_coordinate", "project_ball", "normalize_positive_part", "PathDifferences", "softmax_routing"]


def project_box_coordinate(val, lo, hi, degenerate: bool, row):
    """``clip(v, lo, hi)``, one coordinate of ``Proj_Y`` onto a box (eq. (10)), and its slope row.

    The slope is ``0`` where the interval is a point (``degenerate``) or ``v`` is certainly clamped,
    the input row where ``v`` is certainly inside, and ``[0, 1]`` times it across a bound.
    """
    out = val.max(lo).min(hi)
    if row is None:
        return out, None
    if degenerate or val <= lo or val >= hi:
        return out, [flint_module().arb(0)] * len(row)
    if val >= lo and val <= hi:
        return out, row
    return out, [unit_slope() * g for g in row]


def project_ball(vals, rows, center, radius, m: int):
    """Euclidean projection onto a ball (eq. (10)), on both branches (inside: identity; outside: radial)."""
    arb = flint_module().arb
    K = len(vals)
    z = [v - c for v, c in zip(vals, center)]
    nrm2 = sum((isqr(t) for t in z), arb(0))
    r2 = isqr(radius)
    if nrm2 <= r2:  # certainly inside: identity
        return list(vals), (list(rows) if rows is not None else None)
    inside_possible = not (nrm2 > r2)
    nrm = isqrt(nrm2.max(r2) if inside_possible else nrm2)  # |z| on the outside branch is >= r
    unit = arb(0, 1)  # [-1, 1] (radius rounded up: contains it)
    n = [intersect(idiv(t, nrm), unit) for t in z]
    box_lo = [c - radius for c in center]
    out = []
    for k in range(K):
        v = center[k] + imul(radius, n[k])
        if inside_possible:
            v = v.union(vals[k])
        out.append(intersect(v, box_lo[k].union(center[k] + radius)))
    if rows is None:
        return out, None
    scale = idiv(radius, nrm)
    P = [[imul(scale, 1 - isqr(n[i]) if i == j else -imul(n[i], n[j])) for j in range(K)] for i in range(K)]
    if inside_possible:
        P = [[P[i][j].union(arb(1 if i == j else 0)) for j in range(K)] for i in range(K)]
    out_rows = []
    for i in range(K):
        acc = [arb(0)] * m
        for j in range(K):
            acc = [x + P[i][j] * gi for x, gi in zip(acc, rows[j])]
        out_rows.append(acc)
    return out, out_rows


def normalize_positive_part(qvals, qrows, m: int):
    """``p' = normalize(max(0, q))`` (eq. (11)): tight values from monotonicity, slopes with ``[0, 1]`` kinks."""
    arb = flint_module().arb
    zero = arb(0)
    r = [q.max(zero) for q in qvals]
    lo = [x.lower().max(zero) for x in r]  # exact endpoints
    hi = [x.upper() for x in r]
    total = sum(r, arb(0))
    if not total.is_finite() or not total > 0:
        raise EnclosureFailure(
            "normalize(max(0, q)) over the box: the sum of the positive parts is a ball "
            "that contains 0 (normalize(0), eq. (11), cannot be excluded)"
        )
    sum_lo = sum(lo, arb(0))
    sum_hi = sum(hi, arb(0))
    vals = []
    for i in range(len(r)):
        den_lo = lo[i] + (sum_hi - hi[i])  # smallest p'_i: own part low, the others high
        den_hi = hi[i] + (sum_lo - lo[i])  # largest p'_i: own part high, the others low
        low = idiv(lo[i], den_lo) if lo[i] > 0 else arb(0)
        high = idiv(hi[i], den_hi) if hi[i] > 0 else arb(0)
        vals.append(intersect(hull(low.lower().max(zero), high.upper().min(arb(1))), arb(0.5, 0.5)))
    if qrows is None:
        return vals, None
    rrows = []
    for qv, row in zip(qvals, qrows):
        if qv >= 0:
            rrows.append(row)
        elif qv <= 0:
            rrows.append([zero] * m)
        else:
            rrows.append([unit_slope() * g for g in row])
    gsum = [sum(col, arb(0)) for col in zip(*rrows)] if rrows else []
    inv_total = irecip(total)
    return vals, [[inv_total * (gi - vals[i] * gs) for gi, gs in zip(rrows[i], gsum)] for i in range(len(vals))]


class PathDifferences:
    """The incidence matrix ``M`` of the paths, arranged for :func:`softmax_routing` (built once per map).

    ``differences`` lists the distinct non-empty sign patterns ``[(a, M_{ai} - M_{aj})]`` (agents where
    two paths differ, in agent order) and ``pairs[j][i]`` is the index of the pattern of ``V_i - V_j``
    (``-1`` for ``i = j``): paths of a layered DAG that differ in the same agents share one pattern, so
    ``exp(-(V_i - V_j)/τ)`` is enclosed once per pattern. ``members[a]`` lists the paths through agent
    ``a``; ``rows[a][j]`` is ``M_{aj}`` as a Python integer.
    """

    __slots__ = ("A", "P", "differences", "pairs", "members", "rows")

    def __init__(self, M):
        rows = [[int(v) for v in r] for r in M.tolist()]
        self.A = len(rows)
        self.P = len(rows[0]) if rows else int(M.shape[1])
        self.rows = rows
        self.members = [[j for j, v in enumerate(r) if v] for r in rows]
        cols = list(zip(*rows)) if rows else [()] * self.P
        index: dict = {}
        self.pairs = [
            [
                -1
                if i == j
                else index.setdefault(tuple((a, ci[a] - cj[a]) for a in range(self.A) if ci[a] != cj[a]), len(index))
                for i, ci in enumerate(cols)
            ]
            for j, cj in enumerate(cols)
        ]
        self.differences = list(index)

    def __repr__(self) -> str:
        return f"PathDifferences(agents={self.A}, paths={self.P}, patterns={len(self.differences)})"


def softmax_routing(costs, cost_rows, M, tau, m: int):
    """``π' = softmax(-V/τ)`` (eq. (12)) as ``1 / Σ_i exp(-(V_i - V_j)/τ)``, differences formed exactly.

    ``costs`` are the agents' path-value contributions ``c_a``, ``M`` the agent-by-path incidence
    matrix (integers) or its :class:`PathDifferences` (an interval map builds it once), ``tau`` the
    ball of ``τ``. Each difference ``V_i - V_j`` sums only the agents where the two paths differ, and
    is enclosed once per pattern of differing agents (the same ball operations, so the same ball).
    """
    arb = flint_module().arb
    pd = M if isinstance(M, PathDifferences) else PathDifferences(M)
    A, P = pd.A, pd.P
    tau_inv = irecip(tau)
    # imul(x, 1/τ) is the ball product whenever 1/τ is exact or narrow (see imul): skip its tests then
    plain = narrow_factor(tau_inv)
    zero = arb(0)
    terms_exp: list = [None] * len(pd.differences)  # exp(-(V_i - V_j)/τ) per pattern, on first use
    pis = []
    for j in range(P):
        total = zero
        for k in pd.pairs[j]:
            if k < 0:
                total = total + 1
                continue
            e = terms_exp[k]
            if e is None:
                diff = zero
                for a, coef in pd.differences[k]:
                    diff = diff + coef * costs[a]
                e = terms_exp[k] = iexp(-(diff * tau_inv) if plain else -imul(diff, tau_inv))
            total = total + e
        pis.append(intersect(irecip(total), arb(0.5, 0.5)))
    if cost_rows is None:
        return pis, None
    w_new = [intersect(sum((pis[j] for j in pd.members[a]), arb(0)), arb(0.5, 0.5)) for a in range(A)]
    rows = []
    for j in range(P):
        acc = [zero] * m
        scale = -imul(pis[j], tau_inv)
        for a in range(A):
            coef = imul(scale, pd.rows[a][j] - w_new[a])
            acc = [x + coef * gi for x, gi in zip(acc, cost_rows[a])]
        rows.append(acc)
    return pis, rows
