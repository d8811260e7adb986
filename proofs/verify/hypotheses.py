"""What each claim asserts and assumes, recomputed from the witness's economy (claims.md §3).

* Which witness kinds can refute which claim (or part) id, and which map a claim is about.
* ``γ_A = ‖G‖₂`` exactly: ``|γ|`` for ``G = γI``, otherwise the square root of the largest root of the
  exact characteristic polynomial of ``GᵀG`` (a rational, a radical or a ``CRootOf``).
* The paper's rate ``λ = (1 − α) γ_A P / τ`` and Proposition 6.2's hypothesis ``τ > (1 − α) γ_A P``
  (equivalently ``λ < 1``), decided exactly.
* Example 6.3's data, and Theorem 6.1's hypothesis ``‖DΦ_K(x)‖_op ≤ λ < 1`` on the whole state space in
  the case the verifier can decide exactly (one path, linear mechanism).
"""

from __future__ import annotations

import sympy as sp

from proofs.verify.decide import show, sign
from proofs.verify.reading import Box, Failed, Model

__all__ = [
    "CLAIM_KINDS",
    "CLAIM_MAP",
    "check_claim_kind",
    "gamma_A",
    "rate",
    "require_prop_62",
    "require_example_63",
    "example_63_counts",
    "require_theorem_61",
]

# claim or part id -> witness kinds that can refute it (claims.md §3)
CLAIM_KINDS = {
    "thm-3.1": ("walras_value",),
    "lem-4.3": ("undefined_map",),
    "thm-4.4/existence": ("no_equilibrium",),
    "thm-4.4/fixed-points-are-equilibria": ("fixed_point_condition",),
    "thm-4.6/existence-in-H": ("no_equilibrium",),
    "thm-5.4": ("not_decentralizable",),
    "thm-6.1(ii)": ("a_priori_bound",),
    "prop-6.2/simultaneous": ("operator_norm",),
    "prop-6.2/sequential": ("operator_norm",),
    "ex-6.3/dynamics": ("iteration_count",),
    "sec-7.1/rate": ("spectral_radius",),
    "thm-8.1(i)": ("no_equilibrium",),
    "thm-8.1(ii)": ("walras_value",),
    "thm-8.1(iv)": ("not_decentralizable",),
    "thm-8.1(v)": ("multiple_fixed_points", "spectral_radius"),
}

# the map a claim is about, where it names one (claims.md: Φ_K = simultaneous, T = sequential)
CLAIM_MAP = {
    "lem-4.3": "simultaneous",
    "thm-4.4/fixed-points-are-equilibria": "simultaneous",
    "prop-6.2/simultaneous": "simultaneous",
    "prop-6.2/sequential": "sequential",
    "ex-6.3/dynamics": "sequential",
    "sec-7.1/rate": "simultaneous",
    "thm-8.1(v)": "sequential",
    "thm-6.1(ii)": "sequential",
}

# the example's data (Example 6.3 of the paper)
EXAMPLE_ALPHA = sp.Rational(1, 10)
EXAMPLE_DEPTH = 3
EXAMPLE_GAMMA = sp.Rational(1, 2)
EXAMPLE_RATE = sp.Rational(1, 2)
EXAMPLE_ACCURACY = sp.Rational(1, 100)


def check_claim_kind(claim: str, kind: str) -> None:
    """The witness kind must be one that can refute the claim."""
    if claim not in CLAIM_KINDS:
        raise Failed(
            f"claim {claim!r} is not a claim or part that a witness can refute (known: {', '.join(CLAIM_KINDS)})"
        )
    if kind not in CLAIM_KINDS[claim]:
        raise Failed(f"a {kind} witness does not refute {claim} (its witness kinds: {', '.join(CLAIM_KINDS[claim])})")


def _require_linear(m: Model, what: str) -> None:
    if not m.linear:
        raise Failed(
            f"{what} is defined for a linear price mechanism A_K(y) = G y + b; the economy uses the tâtonnement"
        )


def gamma_A(m: Model):
    """``‖G‖₂`` exactly (an exact SymPy expression)."""
    _require_linear(m, "γ_A = ‖G‖₂")
    if m.gamma is not None:
        return abs(m.gamma)
    n = len(m.G)
    G = sp.Matrix(n, n, [g for row in m.G for g in row])
    if G.is_zero_matrix:
        return sp.Integer(0)
    x = sp.Dummy("x")
    chi = sp.Poly((G.T * G).charpoly().all_coeffs(), x)
    roots = chi.real_roots()  # ascending, exact (rationals, radicals or CRootOf)
    return sp.sqrt(roots[-1])


def rate(m: Model):
    """The paper's rate ``λ = (1 − α) γ_A P / τ`` (Proposition 6.2, Theorem 8.1(v))."""
    return (1 - m.alpha) * gamma_A(m) * m.depth / m.tau


def require_prop_62(m: Model):
    """Proposition 6.2's hypothesis ``τ > (1 − α) γ_A P``, decided exactly; returns ``λ``."""
    lam = rate(m)
    if sign(1 - lam, "1 − λ") <= 0:
        raise Failed(
            f"the economy does not satisfy τ > (1 − α)γ_A P: (1 − α)γ_A P = {show(lam * m.tau)} ≥ τ = {m.tau} "
            "(the claim asserts nothing there)"
        )
    return lam


def example_63_counts(lam) -> tuple:
    """``(n_paper, n₁₄)``: the least ``n`` with ``λⁿ ≤ 0.01`` and with ``λⁿ ≤ 0.01(1 − λ)`` (bound (14))."""

    def least(target):
        n, power = 0, sp.Integer(1)
        while power > target:
            n, power = n + 1, power * lam
        return n

    return least(EXAMPLE_ACCURACY), least(EXAMPLE_ACCURACY * (1 - lam))


def require_example_63(m: Model):
    """The economy has Example 6.3's data: ``α``, ``P``, ``γ_A`` and ``λ`` as in the paper; returns ``λ``."""
    _require_linear(m, "Example 6.3")
    g = gamma_A(m)
    lam = rate(m)
    for name, got, want in (
        ("α", m.alpha, EXAMPLE_ALPHA),
        ("P", sp.Integer(m.depth), sp.Integer(EXAMPLE_DEPTH)),
        ("γ_A", g, EXAMPLE_GAMMA),
        ("λ", lam, EXAMPLE_RATE),
    ):
        if sign(got - want, f"{name} − example") != 0:
            raise Failed(f"the economy is not Example 6.3: {name} = {show(got)}, the example has {want}")
    return lam


def require_theorem_61(m: Model, lam) -> None:
    """Theorem 6.1's hypothesis ``‖DΦ_K(x)‖_op ≤ λ < 1`` for every ``x`` of the state space, exactly.

    Decided for one-path economies with a linear mechanism: the routing is constant (``π' = 1``, no
    tangent direction), so ``DΦ_K t = ((1 − α) D t_y, G t_y)`` with ``D`` the derivative of ``Proj_Y``
    (``0 ≤ D ≤ I`` in the Loewner order, ``D = 0`` on coordinates that cannot move). Hence
    ``‖DΦ_K t‖² ≤ t_yᵀ((1 − α)² D̄ + GᵀG) t_y`` with ``D̄`` the identity on the movable coordinates, and
    the hypothesis holds when the largest eigenvalue of that matrix is ``≤ λ²`` (Sturm count, exact).
    """
    if sign(1 - lam, "1 − λ") <= 0 or sign(lam, "λ") < 0:
        raise Failed(f"λ = {show(lam)} is not in [0, 1): Theorem 6.1's hypothesis needs λ < 1")
    if m.n_paths != 1 or not m.linear:
        raise Failed(
            "Theorem 6.1's hypothesis (‖DΦ_K‖_op ≤ λ on the whole state space) is decided by the verifier only "
            "for one-path economies with a linear mechanism"
        )
    n = m.A * m.K
    movable = []
    for a in range(m.A):
        Y = m.sets[a]
        for k in range(m.K):
            movable.append(Y.hi[k] > Y.lo[k] if isinstance(Y, Box) else Y.radius > 0)
    G = sp.Matrix(n, n, [g for row in m.G for g in row])
    H = G.T * G + sp.diag(*[(1 - m.alpha) ** 2 if mv else 0 for mv in movable])
    x = sp.Dummy("x")
    poly = sp.Poly(H.charpoly().all_coeffs(), x)
    bound = lam**2
    if not bound.is_Rational:
        raise Failed("Theorem 6.1's hypothesis: λ² is not rational; the exact Sturm count needs a rational bound")
    upper = sum(abs(c) for c in poly.all_coeffs()) + 1  # every root is below this (Cauchy)
    if poly.count_roots(bound, upper) - (1 if poly.eval(bound) == 0 else 0) > 0:
        raise Failed(
            "Theorem 6.1's hypothesis is not established: an eigenvalue of (1 − α)²D̄ + GᵀG exceeds λ² "
            f"(λ = {show(lam)}), so ‖DΦ_K‖_op ≤ λ is not proved on the state space"
        )
