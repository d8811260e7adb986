"""Stability regions of the sequential map (eq. (13)) on layered economies, against a hand derivation.

Layered economy, L layers of W agents, complete bipartite edges between consecutive layers, K = 1,
demand 1, boxes [0, 1], linear prices p' = γ y'. By symmetry the fixed point is y* = 1/W,
p* = γ/W, π uniform over the N = W^L paths. Linearising eq. (13) there (tangent coordinates) with
u = M dπ the agent marginals, and using M P₀ Mᵀ = (N/W)·(projector onto within-layer sum-zero
vectors) for the centring projector P₀:

    y' = (1-α) y + α u,   p' = γ y',   u' = -(1/(τW²)) P_layer (p + γ(1-α) y + γα u),

so the layer means give (λ - (1-α))^L λ^L, the within-layer part (dimension L(W-1)) gives the
3×3 block with characteristic polynomial λ(λ² + (kγα - 1 + α)λ + kγα), k = 1/(τW²), and the
routing directions invisible to M give (N - 1) - L(W - 1) zeros. Stability of the quadratic
(Jury): |kγα| < 1 and 1 + b + c = α(2kγ + 1) > 0, 1 - b + c = 2 - α > 0.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.spec import Economy
from geo_sym.errors import UnknownNameError, ValidationError
from geo_sym.rigorous.economy_region import economy_region

alpha, tau, gamma = sp.symbols("alpha tau gamma", real=True)
lam = sp.Symbol("lambda")


def layered(L, W, *, alpha="1/10", tau="27/10", gamma="1/2", mechanism="linear"):
    agents = [{"name": f"l{i}a{j}", "demand": [1], "box": [[0, 1]]} for i in range(L) for j in range(W)]
    edges = [[f"l{i}a{j}", f"l{i + 1}a{k}"] for i in range(L - 1) for j in range(W) for k in range(W)]
    if mechanism == "linear":
        return Economy.build(
            agents=agents,
            edges=edges,
            map="sequential",
            parameters={"alpha": alpha, "tau": tau},
            price_mechanism={"kind": "linear", "gamma": gamma},
            name=f"layered-{L}x{W}",
        )
    return Economy.build(agents=agents, edges=edges, parameters={"alpha": alpha, "beta": "1/10", "tau": tau})


def hand_charpoly(L, W, g=gamma, t=tau, a=alpha):
    N = W**L
    k = 1 / (t * W**2)
    quad = lam**2 + (k * g * a - 1 + a) * lam + k * g * a
    zeros = (N - 1) - L * (W - 1) + L
    return lam**zeros * (lam - (1 - a)) ** L * (lam * quad) ** (L * (W - 1))


def _factor_set(expr):
    _, fl = sp.factor_list(sp.together(expr).as_numer_denom()[0], lam, alpha, tau, gamma)
    monic = [(sp.cancel(sp.Poly(f, lam).monic().as_expr()), m) for f, m in fl if f.has(lam)]
    return sorted(monic, key=lambda fm: (sp.default_sort_key(fm[0]), fm[1]))


@pytest.mark.parametrize("L, W", [(2, 2), (3, 2)])
def test_charpoly_of_eq13_factors_as_derived_by_hand(L, W):
    r = economy_region(layered(L, W), ["alpha", "tau"], check_points=40)
    got = sp.Mul(*[f**m for f, m in r.factors])
    expected = hand_charpoly(L, W, g=sp.Rational(1, 2))
    assert _factor_set(got) == _factor_set(expected)
    assert r.context["fixed_point"]["mode"] == "held exact"
    assert r.context["fixed_point"]["state"]["y"] == [[str(sp.Rational(1, W))]] * (L * W)
    # with γ = 1/2, W = 2: kγα = α/(8τ); stable iff α < 8τ (the other Jury conditions hold on 0 < α < 1)
    (term,) = r.regions["stable"]
    assert len(term) == 1 and sp.cancel(term[0].expr / (8 * tau - alpha)).is_positive


def test_gamma_moves_the_fixed_point_exactly():
    """p* = γ/W moves with γ: tracked exactly; stable iff 2kγ + 1 > 0 and kγα < 1 (kγα > -1 is implied)."""
    r = economy_region(layered(2, 2, tau="27/10"), ["alpha", "gamma"], check_points=60)
    fp = r.context["fixed_point"]
    assert fp["mode"] == "tracked exactly" and fp["state"]["p"] == [["gamma/2"]] * 4
    k = 1 / (sp.Rational(27, 10) * 4)
    rng = np.random.default_rng(2)
    for _ in range(150):
        av = sp.Rational(int(rng.integers(1, 60)), 60)
        gv = sp.Rational(int(rng.integers(-40 * 8, 60 * 8)), 8)
        c = k * gv * av
        p1 = av * (2 * k * gv + 1)
        truth = "boundary" if p1 == 0 or abs(c) == 1 else "stable" if (abs(c) < 1 and p1 > 0) else "unstable"
        assert r.classify(alpha=av, gamma=gv) == truth, (av, gv)


@pytest.mark.parametrize(
    "params, econ_kw, exc, match",
    [
        (["lambda"], {}, UnknownNameError, "one of alpha, beta"),
        (["beta"], {}, ValidationError, "tatonnement"),
        (["gamma"], {"mechanism": "tatonnement"}, ValidationError, "linear price mechanism"),
        (["phi_lat"], {}, ValidationError, "taylor section"),
        (["alpha", "tau", "gamma"], {}, ValidationError, "one or two parameter"),
    ],
)
def test_bad_parameters(params, econ_kw, exc, match):
    with pytest.raises(exc, match=match):
        economy_region(layered(2, 2, **econ_kw), params, check_points=5)
