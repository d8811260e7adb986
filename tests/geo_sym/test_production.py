"""Production sets (Assumption 1): boxes and balls.

Hand values in exact rationals, support functions against brute-force maximisation
over grids and closed forms, the projection's variational inequality, normal cones
and kinks exactly at the bound.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp

from geo_sym.economy.production import BRANCH_FREE, BRANCH_HI, BRANCH_LO, BRANCH_SPHERE, Ball, Box
from geo_sym.errors import ShapeError, ValidationError

R = sp.Rational


def obj(*vals):
    return np.array([R(v) for v in vals], dtype=object)


# ----------------------------------------------------------------------------- boxes
@pytest.fixture
def box():
    return Box.build([R(-1), R(0), R(-1, 2)], [R(1), R(2), R(1, 2)], "box")


def test_box_projection_hand_values(box):
    v = obj(-3, 1, R(7, 4))
    codes, kinks = box.branch(v)
    assert list(codes) == [BRANCH_LO, BRANCH_FREE, BRANCH_HI]
    assert not kinks.any()
    out = box.project(v)
    assert list(out) == [R(-1), R(1), R(1, 2)]
    assert all(isinstance(x, sp.Rational) for x in out)
    np.testing.assert_array_equal(box.projection_jacobian(v, codes), np.diag([0.0, 1.0, 0.0]))
    # float input, float output
    outf = box.project(np.array([-3.0, 1.0, 1.75]))
    assert outf.dtype == float and list(outf) == [-1.0, 1.0, 0.5]


def test_box_kinks_exactly_at_the_bound(box):
    codes, kinks = box.branch(obj(1, 0, R(-1, 2)))  # every coordinate on a bound
    assert list(codes) == [BRANCH_FREE] * 3 and list(kinks) == [True, True, True]
    codes, kinks = box.branch(obj(1 + R(1, 10**30), R(1, 10**30), 0))  # just outside / inside
    assert list(codes) == [BRANCH_HI, BRANCH_FREE, BRANCH_FREE] and not kinks.any()
    # degenerate interval [0, 0]: always clamped (zero derivative), never a kink
    flat = Box.build([R(0)], [R(0)], "flat")
    for v in (0, 1, -1):
        c, k = flat.branch(obj(v))
        assert c[0] != BRANCH_FREE and not k.any()
        assert list(flat.project(obj(v))) == [0]
        assert flat.projection_jacobian(obj(v), c)[0, 0] == 0


def test_box_support_vs_grid(box):
    rng = np.random.default_rng(5)
    grids = [[l + (h - l) * R(i, 6) for i in range(7)] for l, h in zip(box.lo, box.hi)]
    for _ in range(25):
        p = [R(int(rng.integers(-9, 10)), int(rng.integers(1, 7))) for _ in range(3)]
        brute = max(sum(pk * yk for pk, yk in zip(p, y)) for y in itertools.product(*grids))
        assert box.support(p) == brute  # exact: the maximum sits at a corner
        s = box.supply(p)
        assert sum(pk * yk for pk, yk in zip(p, s)) == brute
        assert box.contains(s) and box.normal_cone_contains(s, p)
        pf = [float(x) for x in p]
        assert box.support(pf) == pytest.approx(float(brute), rel=1e-14, abs=1e-14)


def test_box_projection_is_nearest_point(box):
    rng = np.random.default_rng(7)
    lo, hi = np.array(box.lo, dtype=float), np.array(box.hi, dtype=float)
    for _ in range(50):
        v = rng.normal(scale=2, size=3)
        pv = box.project(v)
        ys = lo + (hi - lo) * rng.random((30, 3))
        assert np.all((ys - pv) @ (v - pv) <= 1e-12)  # variational inequality
        np.testing.assert_allclose(pv, np.clip(v, lo, hi))


def test_box_normal_cone_hand_cases(box):
    y = obj(1, 0, R(-1, 2))  # hi, lo, lo
    assert box.normal_cone_contains(y, obj(1, -3, -1))
    assert box.normal_cone_contains(y, obj(0, 0, 0))
    assert not box.normal_cone_contains(y, obj(1, 1, 0))  # p_2 > 0 but y_2 at lo
    assert not box.normal_cone_contains(obj(R(1, 2), 0, 0), obj(1, 0, 0))  # interior, p ≠ 0
    assert box.normal_cone_contains(obj(R(1, 2), 1, 0), obj(0, 0, 0))


@pytest.mark.parametrize(
    "lo, hi, exc, match",
    [
        ([R(1)], [R(2)], ValidationError, "containing 0"),
        ([R(-2)], [R(-1)], ValidationError, "containing 0"),
        ([R(1)], [R(0)], ValidationError, "lo <= hi"),
        ([R(0), R(0)], [R(1)], ShapeError, "as many"),
    ],
)
def test_box_build_errors(lo, hi, exc, match):
    with pytest.raises(exc, match=match):
        Box.build(lo, hi, "agents[0].box")


# ----------------------------------------------------------------------------- balls
def test_ball_projection_hand_values():
    b = Ball.build([R(0), R(0)], R(1), "ball")
    v = obj(3, 4)
    codes, kinks = b.branch(v)
    assert list(codes) == [BRANCH_SPHERE] * 2 and not kinks.any()
    assert list(b.project(v)) == [R(3, 5), R(4, 5)]  # v / |v| = (3,4)/5
    b2 = Ball.build([R(1, 2), R(0)], R(1), "ball")
    assert list(b2.project(obj(R(1, 2), 3))) == [R(1, 2), R(1)]
    inside = obj(R(1, 2), R(1, 2))
    assert list(b2.project(inside)) == list(inside)
    assert list(b2.branch(inside)[0]) == [BRANCH_FREE] * 2
    # exactly on the sphere: kink flagged, identity branch
    codes, kinks = b.branch(obj(R(3, 5), R(4, 5)))
    assert list(codes) == [BRANCH_FREE] * 2 and kinks.all()
    # irrational projection stays exact: (1,1)/sqrt(2) * 1
    p = b.project(obj(1, 1))
    assert sp.simplify(p[0] - 1 / sp.sqrt(2)) == 0 and sp.simplify(p[1] - sp.sqrt(2) / 2) == 0


def test_ball_support_closed_form_and_grid():
    rng = np.random.default_rng(11)
    b = Ball.build([R(1, 3), R(-1, 4)], R(2), "ball")
    # exact closed form on a Pythagorean price: <p, c> + r |p| = 3/3 + 4·(-1/4) + 2·5 = 10
    assert b.support(obj(3, 4)) == 10
    theta = np.linspace(0, 2 * math.pi, 200001)
    c = np.array([1 / 3, -1 / 4])
    pts = c[None, :] + 2 * np.column_stack([np.cos(theta), np.sin(theta)])
    for _ in range(10):
        p = rng.normal(size=2)
        brute = float(np.max(pts @ p))
        assert b.support(list(p)) == pytest.approx(brute, rel=1e-8, abs=1e-9)
        s = np.array(b.supply(list(p)), dtype=float)
        assert s @ p == pytest.approx(b.support(list(p)), rel=1e-13)
        assert b.contains(list(s), tol=1e-12)
        assert b.normal_cone_contains(list(s), list(p), tol=1e-9)
    # p = 0: any point is optimal, support 0·c + r·0 = 0
    assert b.support(obj(0, 0)) == 0


def test_ball_normal_cone_hand_cases():
    b = Ball.build([R(0), R(0)], R(5), "ball")
    y = obj(3, 4)  # on the sphere
    assert b.normal_cone_contains(y, obj(6, 8))  # p = 2 (y - c)
    assert b.normal_cone_contains(y, obj(0, 0))
    assert not b.normal_cone_contains(y, obj(-3, -4))  # inward normal
    assert not b.normal_cone_contains(y, obj(4, 3))  # not parallel
    assert b.normal_cone_contains(obj(1, 1), obj(0, 0))  # interior: only p = 0
    assert not b.normal_cone_contains(obj(1, 1), obj(1, 0))


def test_ball_projection_jacobian_vs_finite_differences():
    b = Ball.build([0.25, -0.5, 0.0], 1.5, "ball")
    rng = np.random.default_rng(2)
    for _ in range(5):
        v = rng.normal(scale=3, size=3)
        codes, _ = b.branch(v)
        J = b.projection_jacobian(v, codes)
        h = 1e-6
        fd = np.column_stack(
            [
                (b.project_on_branch(v + h * e, codes) - b.project_on_branch(v - h * e, codes)) / (2 * h)
                for e in np.eye(3)
            ]
        )
        np.testing.assert_allclose(J, fd, atol=1e-8)
        pv = b.project(v)
        ys = np.array([0.25, -0.5, 0.0]) + rng.normal(size=(40, 3))
        ys = ys[np.linalg.norm(ys - [0.25, -0.5, 0.0], axis=1) <= 1.5]
        assert np.all((ys - pv) @ (v - pv) <= 1e-10)


@pytest.mark.parametrize(
    "center, radius, match",
    [
        ([R(2), R(0)], R(1), "center"),
        ([R(3, 5), R(4, 5)], R(99, 100), "center"),
        ([R(0)], R(0), "radius"),
        ([R(0)], R(-1), "radius"),
    ],
)
def test_ball_build_errors(center, radius, match):
    with pytest.raises(ValidationError, match=match):
        Ball.build(center, radius, "agents[0].ball")


def test_ball_center_at_radius_is_allowed():
    b = Ball.build([R(3, 5), R(4, 5)], R(1), "ball")  # |c| = r: 0 on the sphere
    assert b.contains(obj(0, 0))
