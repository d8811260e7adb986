"""Rigorous certificates: interval enclosures, Krawczyk, contraction, branch and prune, and their CLI.

Facts checked here are derived independently of the interval code:

* enclosures against the float map (``evaluate_map``) at sampled points and sampled pairs
  (values and slopes, boxes crossing kinks included), and against the exact symbolic map;
* an affine contraction whose fixed point is known in closed form (economy and a 2-D map);
* a cubic with the three roots 1/4, 1/2, 3/4, and an economy with three fixed points whose
  routing solves ``t = 1/(1 + exp(-4(2t - 1)))`` (roots by mpmath);
* boxes without a fixed point and deliberately wrong enclosures (never certified);
* maps with a continuum of fixed points (two-parallel, two-by-two, a 1-D map): never complete;
* bad input: a table of typed errors naming the field.
"""

from __future__ import annotations

import argparse
import json
import time

import mpmath
import numpy as np
import pytest
import sympy as sp

flint = pytest.importorskip("flint")

from geo_sym.cli.certify import add_certify_parsers
from geo_sym.economy.spec import Economy
from geo_sym.economy.state import State, TangentChart
from geo_sym.errors import (
    DegenerateNormalizationError,
    GeoSymError,
    OptionalDependencyError,
    ShapeError,
    ValidationError,
)
from geo_sym.maps.core import evaluate_map
from geo_sym.maps.symbolic import exact_jacobian
from geo_sym.rigorous import arb as iv
from geo_sym.rigorous.boxes import TangentBox
from geo_sym.rigorous.contraction import contraction_certificate
from geo_sym.rigorous.fixed_point_problem import MAX_SEARCH_DIMENSION, SearchTooLargeError
from geo_sym.rigorous.fixed_points import certify_fixed_points, find_all_fixed_points
from geo_sym.rigorous.interval import IntervalImage, interval_map
from geo_sym.rigorous.krawczyk import certify_fixed_point, krawczyk_test
from geo_sym.solve.fixed_point import center_state, find_fixed_point
from proofs.claims.reference import reference_economy

arb = flint.arb
BOX1 = [[0, 1]]


# ----------------------------------------------------------------------------- helpers
def lo_hi(b):
    return float(b.lower()), float(b.upper())


def in_ball(b, v, tol=1e-12) -> bool:
    lo, hi = lo_hi(b)
    return lo - tol <= v <= hi + tol


def tangent_float_map(econ, chart, u):
    """``T⁺Φ(Tu + e)`` with the float backend (independent of the interval code)."""
    return chart.Tplus @ evaluate_map(econ, State.from_flat(econ, chart.from_tangent(u))).state.flat()


def contains_point(enclosure, x) -> bool:
    return all(lo <= v <= hi for v, (lo, hi) in zip(x, enclosure))


def state_flat(st: dict) -> np.ndarray:
    return np.array(
        [float(v) for row in st["y"] for v in row]
        + [float(v) for row in st["p"] for v in row]
        + [float(v) for v in st["pi"]]
    )


def economy(**kw) -> Economy:
    return Economy.build(**kw)


def positive_feedback(gamma=-4) -> Economy:
    """Two parallel agents, sequential map, prices A_K(y) = γ y with γ < 0: traffic lowers cost."""
    return economy(
        name="positive-feedback",
        agents=[{"name": "a1", "demand": [1], "box": BOX1}, {"name": "a2", "demand": [1], "box": BOX1}],
        map="sequential",
        parameters={"alpha": "1/10", "tau": 1},
        price_mechanism={"kind": "linear", "gamma": gamma},
    )


def affine_economy() -> Economy:
    """One agent, one path, K = 2, linear prices: Φ(y, p) = ((1 - α) y + α u, G y + b), fixed point y = u."""
    return economy(
        name="affine",
        agents=[{"name": "a", "demand": ["1/2", "1/3"], "box": [[-1, 1], [-1, 1]]}],
        map="simultaneous",
        parameters={"alpha": "1/4", "tau": 1},
        price_mechanism={"kind": "linear", "G": [["1/2", "-1/3"], ["1/5", "2/3"]], "b": ["1/7", "-1/9"]},
    )


class _OneDimMap:
    """A map of one real variable in the protocol of :class:`geo_sym.rigorous.interval.IntervalMap`."""

    def __init__(self, phi, dphi, domain):
        eye = np.eye(1, dtype=np.int64)
        self.chart = TangentChart(eye, eye, np.zeros(1), np.arange(1), (), ("u",), ("u",))
        self.m, self.n = 1, 1
        self._phi, self._dphi, self._domain = phi, dphi, domain

    def evaluate(self, box, jacobian=True):
        (u,) = box.balls() if isinstance(box, TangentBox) else list(box)
        v = self._phi(u)
        s = flint.arb_mat([[self._dphi(u)]]) if jacobian else None
        return IntervalImage(True, [v], [v], s)

    def state_dict(self, u):
        return {"u": [float(x) for x in u]}

    def state_space_box(self):
        return TangentBox(np.array([self._domain[0]]), np.array([self._domain[1]]))


def cubic_map():
    """Φ(u) = u + (u - 1/4)(u - 1/2)(u - 3/4): fixed points exactly 1/4, 1/2, 3/4 in [0, 1]."""
    a, b, c = arb(0.25), arb(0.5), arb(0.75)
    return _OneDimMap(
        lambda u: u + (u - a) * (u - b) * (u - c),
        lambda u: 1 + (u - b) * (u - c) + (u - a) * (u - c) + (u - a) * (u - b),
        (0.0, 1.0),
    )


def plateau_map():
    """Φ(u) = u - max(0, u - 3/4)/2 - max(0, 1/4 - u)/2: every u in [1/4, 3/4] is a fixed point."""

    def kink_slope(t):  # slope range of max(0, t)
        return arb(1) if t >= 0 else arb(0) if t <= 0 else arb(0.5, 0.5)

    def phi(u):
        return u - (u - 0.75).max(arb(0)) / 2 - (0.25 - u).max(arb(0)) / 2

    def dphi(u):
        return 1 - kink_slope(u - 0.75) / 2 - kink_slope(0.25 - u) / 2

    return _OneDimMap(phi, dphi, (0.0, 1.0))


# ----------------------------------------------------------------------------- enclosures
CASES = [
    ("simultaneous", "tatonnement", "old", "box", False),
    ("simultaneous", "linear", "old", "ball", True),
    ("sequential", "linear", "old", "mixed", False),
    ("sequential", "linear", "new", "box", True),
    ("sequential", "tatonnement", "old", "ball", False),
    ("sequential", "tatonnement", "new", "mixed", True),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(x) for x in c))
def test_enclosures_contain_sampled_values_and_slopes(gen, case):
    """Φ(u) ∈ Φ(X) and Φ(u) - Φ(u') ∈ S(X)(u - u') for sampled u, u' in X, boxes across kinks too."""
    rng = np.random.default_rng(11)
    k = CASES.index(case)
    for seed in range(3):
        _, econ, _, fst = gen.make_case(900 + 10 * k + seed, *case, max_paths=6)
        im = interval_map(econ)
        chart = im.chart
        u0 = chart.to_tangent(fst.flat())
        checked = 0
        for r in (1e-4, 0.05, 0.4):
            X = TangentBox.around(u0, r)
            img = im.evaluate(X)
            if not img.ok:
                assert img.value is None and img.reason
                continue
            S = img.slope
            m = im.m
            smid = np.array([[float(S[i, j].mid()) for j in range(m)] for i in range(m)]).reshape(m, m)
            srad = np.array([[float(S[i, j].rad()) for j in range(m)] for i in range(m)]).reshape(m, m)
            for _ in range(15):
                u1 = X.lo + rng.random(m) * X.width
                u2 = X.lo + rng.random(m) * X.width
                try:
                    f1, f2 = tangent_float_map(econ, chart, u1), tangent_float_map(econ, chart, u2)
                except DegenerateNormalizationError:
                    continue
                assert all(in_ball(b, v) for b, v in zip(img.tangent_value, f1))
                d = u1 - u2
                assert np.all(np.abs((f1 - f2) - smid @ d) <= srad @ np.abs(d) + 1e-12)
                checked += 1
        assert checked > 0


@pytest.mark.parametrize("name", ["two-by-two", "example-6.3", "large-beta"])
def test_point_enclosure_contains_exact_value_and_jacobian(name):
    """At a point, the balls contain the exact symbolic value and tangent Jacobian (30 digits)."""
    econ = reference_economy(name)
    im = interval_map(econ)
    chart = im.chart
    rng = np.random.default_rng(3)
    u = chart.to_tangent(center_state(econ).flat()) + 1e-2 * rng.random(im.m)
    img = im.evaluate(TangentBox(u.copy(), u.copy()))
    assert img.ok
    # the exact state at these float coordinates: x = T u + e in rationals
    x = [sp.Rational(float(v)) for v in u]
    full = [None] * chart.n
    for i, kpos in enumerate(chart.kept):
        full[kpos] = x[i]
    for j, block in chart.dropped:
        full[j] = 1 - sum(x[i] for i in block)
    exact = State.from_flat(econ, np.array(full, dtype=object))
    ej = exact_jacobian(econ, exact)
    for b, v in zip(img.value, ej.value):
        assert in_ball(b, float(sp.N(v, 30)), tol=1e-15)
    Jt = np.array(ej.tangent_jacobian.evalf(30).tolist(), dtype=float)
    for i in range(im.m):
        for j in range(im.m):
            assert in_ball(img.slope[i, j], Jt[i, j], tol=1e-15)


def test_full_coordinates_jacobian_matches_numeric_jacobian(gen):
    """``coordinates="full"``: the slope matrix at a point is the Jacobian of Φ in the flat state order."""
    from geo_sym.maps.jacobian import numeric_jacobian
    from geo_sym.rigorous.interval import IntervalMap

    _, econ, _, fst = gen.make_case(4242, "sequential", "tatonnement", "new", "mixed", True, max_paths=6)
    im = IntervalMap(econ, coordinates="full")
    x = fst.flat()
    img = im.evaluate(TangentBox(x.copy(), x.copy()))
    J = numeric_jacobian(econ, fst).dense()
    assert img.ok and im.m == econ.state_size()
    for i in range(im.m):
        for j in range(im.m):
            assert in_ball(img.slope[i, j], J[i, j], tol=1e-12)


def test_interval_maps_are_cached_per_economy_object():
    """Economies that compare equal but differ in their DAG (a field left out of equality) get their own map."""
    agents = [{"name": "x", "demand": [1], "box": BOX1}, {"name": "y", "demand": [1], "box": BOX1}]
    params = {"alpha": "1/2", "beta": "1/2", "tau": 1}
    chain = economy(agents=agents, edges=[["x", "y"]], parameters=params)
    parallel = economy(agents=agents, edges=[], parameters=params)
    assert interval_map(chain) is interval_map(chain)
    assert interval_map(chain).m == 3 and interval_map(parallel).m == 4


# ----------------------------------------------------------------------------- known fixed points
def test_affine_economy_known_fixed_point():
    econ = affine_economy()
    u = [sp.Rational(1, 2), sp.Rational(1, 3)]
    G = sp.Matrix([[sp.Rational(1, 2), sp.Rational(-1, 3)], [sp.Rational(1, 5), sp.Rational(2, 3)]])
    p = G * sp.Matrix(u) + sp.Matrix([sp.Rational(1, 7), sp.Rational(-1, 9)])
    exact = np.array(u + list(p) + [1], dtype=float)  # y* = u, p* = G u + b, π = 1
    st = State(np.array([u], dtype=object), np.array([list(p)], dtype=object), np.array([sp.Integer(1)], dtype=object))
    res = certify_fixed_point(econ, st, radius=1e-3)
    assert res.success and res.exists and res.unique
    assert contains_point(res.enclosure, exact)
    assert max(hi - lo for lo, hi in res.enclosure) < 1e-12
    search = find_all_fixed_points(econ, max_boxes=500)
    assert search.complete and search.n_certified == 1
    assert contains_point(search.fixed_points[0].enclosure, exact)
    con = contraction_certificate(econ, max_boxes=500)
    # DΦ = [[(1-α)I, 0], [G, 0]]: spectral radius 1 - α = 3/4 bounds every operator norm from below
    assert con.success and 0.75 <= con.constant < 1 and con.unique_fixed_point
    assert "max-norm" in con.norm


def test_affine_map_known_fixed_point():
    """Φ(u) = A u + b in the map protocol: u* = (I - A)^{-1} b exactly."""
    A = [[0.5, 0.25], [-0.375, 0.125]]
    b = [1.0, 2.0]

    class Affine(_OneDimMap):
        def __init__(self):
            eye = np.eye(2, dtype=np.int64)
            self.chart = TangentChart(eye, eye, np.zeros(2), np.arange(2), (), ("u1", "u2"), ("u1", "u2"))
            self.m, self.n = 2, 2

        def evaluate(self, box, jacobian=True):
            u = box.balls()
            v = [A[i][0] * u[0] + A[i][1] * u[1] + b[i] for i in range(2)]
            return IntervalImage(True, v, v, flint.arb_mat(A) if jacobian else None)

        def state_space_box(self):
            return TangentBox(np.array([-8.0, -8.0]), np.array([8.0, 8.0]))

    star = np.array(
        sp.Matrix([[sp.Rational(1, 2), sp.Rational(-1, 4)], [sp.Rational(3, 8), sp.Rational(7, 8)]]).inv()
        * sp.Matrix([1, 2]),
        dtype=float,
    ).ravel()
    f = Affine()
    res = krawczyk_test(f, TangentBox.around(star + 0.01, 0.1))
    assert res.success and contains_point(res.enclosure, star)
    search = find_all_fixed_points(f, max_boxes=200)
    assert search.complete and search.n_certified == 1 and contains_point(search.fixed_points[0].enclosure, star)


def test_one_dimensional_map_with_three_roots():
    search = find_all_fixed_points(cubic_map(), max_boxes=2000)
    assert search.complete and search.n_certified == 3
    roots = [0.25, 0.5, 0.75]
    for fp in search.fixed_points:
        ((lo, hi),) = fp.enclosure
        assert sum(lo <= r <= hi for r in roots) == 1 and hi - lo < 1e-9
    assert (
        sorted(r for r in roots for fp in search.fixed_points if fp.enclosure[0][0] <= r <= fp.enclosure[0][1]) == roots
    )


def test_economy_with_three_fixed_points_matches_independent_roots():
    """At a fixed point y = π, p = γy, V_a = γπ_a², so t = π_1 solves t = 1/(1 + exp(γ(2t - 1)/τ))."""
    econ = positive_feedback(-4)
    search = find_all_fixed_points(econ, max_boxes=3000)
    assert search.complete and search.n_certified == 3
    g = lambda t: t - 1 / (1 + mpmath.exp(-4 * (2 * t - 1)))
    expected = sorted(float(mpmath.findroot(g, t0)) for t0 in (0.02, 0.5, 0.98))
    assert expected[1] == pytest.approx(0.5)
    got = sorted(fp.enclosure[-2] for fp in search.fixed_points)  # the π_1 coordinate
    for (lo, hi), t in zip(got, expected):
        assert lo - 1e-12 <= t <= hi + 1e-12 and hi - lo < 1e-9


def test_krawczyk_at_a_fixed_point_of_example_6_3_is_fast():
    econ = reference_economy("example-6.3")
    st = find_fixed_point(econ).state
    t0 = time.perf_counter()
    res = certify_fixed_point(econ, st, radius=1e-6)
    elapsed = time.perf_counter() - t0
    assert res.success and res.unique
    # symmetric economy: y* = 1/2, p* = 1/4 (= γ y*) and π* = 1/8 on each of the 8 paths
    assert contains_point(res.enclosure, [0.5] * 6 + [0.25] * 6 + [0.125] * 8)
    assert elapsed < 3.0  # the benchmark reports the figure (target < 1 s)


# ----------------------------------------------------------------------------- exclusion, wrong boxes
def test_box_without_fixed_point_is_excluded():
    econ = reference_economy("two-by-two")
    from pathlib import Path

    from geo_sym.economy.state import load_state

    root = Path(__file__).resolve().parents[2]
    st = load_state(econ, root / "examples" / "economies" / "two_by_two_state.json")
    res = certify_fixed_point(econ, st, radius=1e-6)
    assert res.exists is False and res.unique is False and not res.success and res.enclosure is None
    res = krawczyk_test(cubic_map(), TangentBox(np.array([0.36]), np.array([0.39])))
    assert res.exists is False
    # branch and prune on a domain with no fixed point: every box excluded, complete with none
    f = cubic_map()
    f._domain = (0.3, 0.45)
    search = find_all_fixed_points(f, max_boxes=500)
    assert search.complete and search.fixed_points == ()
    econ = affine_economy()
    far = State(np.array([[0.9, -0.9]]), np.array([[0.0, 0.0]]), np.array([1.0]))
    assert certify_fixed_point(econ, far, radius=0.05).exists is False


@pytest.mark.parametrize("shift", [1e-12, 1e-9, 1e-6, 1e-3])
def test_wrong_enclosure_is_not_certified(shift):
    """A box just next to the fixed point (which lies outside it) is never certified."""
    econ = reference_economy("example-6.3")
    star = np.array([0.5] * 6 + [0.25] * 6 + [0.125] * 7)  # the fixed point in tangent coordinates
    for first in ([star[0] + shift, star[0] + shift + 1e-4], [star[0] - shift - 1e-4, star[0] - shift]):
        lo, hi = star - 1e-4, star + 1e-4  # 1e-4 around the fixed point, except coordinate 0: just beside it
        lo[0], hi[0] = first
        X = TangentBox(lo, hi)
        assert not X.contains(star)
        res = krawczyk_test(econ, X)
        assert res.exists is not True and not res.success
    f = cubic_map()
    for lo, hi in ((0.25 + shift, 0.3), (0.2, 0.25 - shift)):
        assert not krawczyk_test(f, TangentBox(np.array([lo]), np.array([hi]))).success


# ----------------------------------------------------------------------------- continua
@pytest.mark.parametrize("name", ["two-parallel", "two-by-two"])
def test_continuum_is_never_complete(name):
    econ = reference_economy(name)
    t0 = time.perf_counter()
    search = find_all_fixed_points(econ, max_boxes=1200)
    assert time.perf_counter() - t0 < 30
    assert not search.complete and not search.success
    assert search.n_certified == 0 and search.n_unresolved > 0 and search.boxes_processed <= 1200
    assert search.continuum["suspected"] is True
    d = search.to_dict()
    assert d["complete"] is False and d["unresolved"]["count"] == search.n_unresolved
    # the numeric fixed points that are listed are genuine (float residual) and sit in their boxes
    for fp in search.fixed_points:
        assert not fp.certified and fp.residual <= 1e-9
        assert all(lo - 1e-8 <= v <= hi + 1e-8 for v, (lo, hi) in zip(state_flat(fp.state), fp.enclosure))
    # Krawczyk at a point of the continuum never claims uniqueness
    st = find_fixed_point(econ).state
    res = certify_fixed_point(econ, st, radius=1e-6)
    assert res.unique is not True and not res.success


def test_plateau_map_is_never_complete():
    search = find_all_fixed_points(plateau_map(), max_boxes=300)
    assert not search.complete and search.n_certified == 0 and search.n_unresolved > 0


def test_contraction_certificates():
    econ = reference_economy("example-6.3")
    con = contraction_certificate(econ, max_boxes=3000)
    assert con.success and con.constant < 1 and con.invariant
    # DΦ has the eigenvalue 1 - α = 9/10 (the y block), so no norm gives a constant below 9/10
    assert con.constant >= 0.9
    bad = contraction_certificate(reference_economy("two-parallel"), max_boxes=300)
    assert not bad.success and bad.n_failed > 0 and bad.failed_boxes
    assert bad.failed_boxes[0]["box"] and "bound" in bad.failed_boxes[0]
    d = bad.to_dict()
    assert d["success"] is False and d["unique_fixed_point"] is False


def test_numeric_search_certifies_but_never_claims_completeness():
    res = certify_fixed_points(reference_economy("example-6.3"), n_starts=2)
    assert not res.complete and res.n_certified == 1 and not res.exhaustive
    assert res.fixed_points[0].unique_in is not None


# ----------------------------------------------------------------------------- failures are never passes
def test_division_by_a_ball_containing_zero_fails():
    econ = reference_economy("large-beta")  # β = 4: normalize(0) happens in the state space
    im = interval_map(econ)
    img = im.evaluate(im.state_space_box())
    assert not img.ok and "contains 0" in img.reason
    res = krawczyk_test(econ, im.state_space_box())
    assert not res.success and res.exists is None
    bad = TangentBox(np.full(im.m, -np.inf), np.full(im.m, np.inf))
    assert not im.evaluate(bad).ok


def test_interval_helpers_are_tight_and_signed():
    x = arb(1.5).union(arb(-0.5))  # [-0.5, 1.5]
    sq = iv.isqr(x)
    # [0, 2.25] up to the ball's radius rounding (Arb's own abs() would give [-0.5, 1.5] and a square below -2)
    assert float(sq.lower()) >= -1e-8 and float(sq.upper()) == pytest.approx(2.25)
    e = iv.iexp(arb(0).union(arb(20)))
    assert e > 0
    with pytest.raises(iv.EnclosureFailure, match="contains 0"):
        iv.irecip(arb(-1).union(arb(1)))
    assert iv.float_down(arb(1) / 3) < 1 / 3 < iv.float_up(arb(1) / 3)


# ----------------------------------------------------------------------------- errors
def test_error_table():
    econ = reference_economy("example-6.3")
    st = find_fixed_point(econ, max_iter=5, newton=False).state
    cases = [
        (lambda: certify_fixed_point(econ, st, radius=0), ValidationError, "radius"),
        (lambda: certify_fixed_point(econ, st, radius=-1e-3), ValidationError, "radius"),
        (lambda: certify_fixed_point(econ, st, radius=float("nan")), ValidationError, "radius"),
        (lambda: certify_fixed_point(econ, State(st.y[:2], st.p[:2], st.pi), 1e-6), ShapeError, "state"),
        (lambda: find_all_fixed_points(econ), SearchTooLargeError, "economy"),
        (lambda: find_all_fixed_points(reference_economy("two-parallel"), max_boxes=0), ValidationError, "max_boxes"),
        (lambda: contraction_certificate(econ, norm="l2"), ValidationError, "norm"),
    ]
    for call, exc, field in cases:
        with pytest.raises(exc, match=field) as info:
            call()
        assert isinstance(info.value, GeoSymError)
    assert interval_map(econ).m > MAX_SEARCH_DIMENSION


def test_missing_flint_raises_a_clear_error(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "flint", None)
    monkeypatch.setattr(iv, "_F", None)
    with pytest.raises(OptionalDependencyError, match=r"pip install python-flint") as info:
        iv.require_flint()
    assert isinstance(info.value, ImportError) and isinstance(info.value, GeoSymError)


# ----------------------------------------------------------------------------- command line
def _cli(argv):
    parser = argparse.ArgumentParser(prog="geo-sym")
    sub = parser.add_subparsers(dest="command")
    add_certify_parsers(sub)
    args = parser.parse_args(argv)
    return args.func(args)


def _write(tmp_path, econ: Economy, state: dict | None = None):
    e = tmp_path / "economy.yaml"
    e.write_text(econ.to_yaml())
    s = None
    if state is not None:
        s = tmp_path / "state.json"
        s.write_text(json.dumps(state))
    return str(e), None if s is None else str(s)


def test_cli_certify_json(tmp_path, capsys):
    econ = reference_economy("example-6.3")
    e, s = _write(tmp_path, econ, find_fixed_point(econ).state.to_dict())
    assert _cli(["certify", e, "--at", s, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exists"] is True and out["unique"] is True
    assert len(out["enclosure"]) == econ.state_size() and all(lo <= hi for lo, hi in out["enclosure"])
    assert _cli(["certify", e, "--at", s, "--radius", "1e-8"]) == 0
    text = capsys.readouterr().out
    assert "exists: yes" in text and "enclosure" in text
    assert _cli(["certify", e, "--contraction", "--json", "--max-boxes", "400"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["mode"] == "contraction" and out["success"] is True and out["constant"] < 1
    e2, _ = _write(tmp_path, reference_economy("two-parallel"))
    assert _cli(["certify", e2, "--contraction", "--max-boxes", "50"]) == 1
    assert "not proved" in capsys.readouterr().out


def test_cli_fixed_points_json(tmp_path, capsys):
    e, _ = _write(tmp_path, positive_feedback(-4))
    assert _cli(["fixed-points", e, "--all", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["complete"] is True and len(out["fixed_points"]) == 3
    for fp in out["fixed_points"]:
        assert set(fp) >= {"state", "enclosure", "certified"} and fp["certified"] is True
        assert set(fp["state"]) == {"y", "p", "pi"} and len(fp["enclosure"]) == 6
    e2, _ = _write(tmp_path, reference_economy("two-parallel"))
    assert _cli(["fixed-points", e2, "--all", "--max-boxes", "300"]) == 0
    text = capsys.readouterr().out
    assert "complete: no" in text
    assert _cli(["fixed-points", e, "--json", "--starts", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["complete"] is False and out["exhaustive"] is False


def test_cli_errors_and_help(tmp_path, capsys):
    econ = reference_economy("example-6.3")
    e, s = _write(tmp_path, econ, find_fixed_point(econ, max_iter=5, newton=False).state.to_dict())
    from geo_sym.cli.main import main

    assert main(["certify", e, "--at", s, "--radius", "0"]) == 2  # refused where parsed, one line
    assert "--radius: got 0" in capsys.readouterr().err
    with pytest.raises(ValidationError, match="--at"):
        _cli(["certify", e])
    with pytest.raises(ShapeError, match=r"\.y"):
        _cli(["certify", e, "--at", _write(tmp_path, econ, {"y": [[0]], "p": [[0]], "pi": [1]})[1]])
    with pytest.raises(SearchTooLargeError, match="economy"):
        _cli(["fixed-points", e, "--all"])
    assert main(["fixed-points", e, "--all", "--max-boxes", "0"]) == 2
    assert "--max-boxes: got 0" in capsys.readouterr().err
    for cmd in ("certify", "fixed-points"):
        assert main([cmd, "--help"]) == 0
        text = capsys.readouterr().out
        assert "--json" in text and "Krawczyk" in text and "complete" in text or "exists" in text
