"""The 60-digit reference of tests/dsge/dynare/reference_solution.py reaches hand-derived solutions."""

from __future__ import annotations

import sys
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest

import dsge

sys.path.insert(0, str(Path(__file__).resolve().parent / "dynare"))
import reference_solution as ref


def hybrid(gf=0.6, gb=0.3, kappa=0.1, rho=0.5):
    return dsge.model_from_dict(
        {
            "variables": ["pi", "x"],
            "shocks": ["e"],
            "parameters": {"gf": gf, "gb": gb, "kappa": kappa, "rho": rho},
            "equations": ["pi = gf*pi(+1) + gb*pi(-1) + kappa*x", "x = rho*x(-1) + e"],
            "shock_std": {"e": 0.5},
        }
    )


@pytest.mark.parametrize("blur", [0.0, 1e-6])
def test_refined_solution_is_the_closed_form(blur):
    """pi_t = lam pi_{t-1} + b x_t with lam = (1 - sqrt(1 - 4 gf gb)) / (2 gf), b = kappa / (1 - gf lam - gf rho)
    (undetermined coefficients): reached to 40 digits from geo-sym's solution, or from it blurred by 1e-6."""
    m = hybrid()
    sol = m.solve()
    t = np.asarray(sol.transition) * (1.0 + blur)
    tm, r, states = ref.refine(sol.linearization, t)
    assert states == [0, 1]
    with mp.workdps(ref.DIGITS):
        # the parameters are the binary fractions nearest 0.6, 0.3, 0.1, 0.5 (as in the float64 matrices)
        gf, gb, kappa, rho = (mp.mpf(v) for v in (0.6, 0.3, 0.1, 0.5))
        lam = (1 - mp.sqrt(1 - 4 * gf * gb)) / (2 * gf)
        b = kappa / (1 - gf * lam - gf * rho)
        assert abs(tm[0, 0] - lam) < mp.mpf(10) ** -40
        assert abs(r[0, 0] - b) < mp.mpf(10) ** -40  # impact of e on pi: b (x_t = e_t on impact)
        assert abs(tm[0, 1] - b * rho) < mp.mpf(10) ** -40 and abs(tm[1, 1] - rho) < mp.mpf(10) ** -40


def test_reference_covariance_of_an_ar1():
    """x = rho x(-1) + e with sd 0.5: var x = 0.25 / (1 - rho^2) (by hand)."""
    sol = hybrid(rho=0.9).solve()
    tm, r, states = ref.refine(sol.linearization, sol.transition)
    with mp.workdps(ref.DIGITS):
        sigma = ref.covariance(tm, r * ref._mp(np.asarray(sol.shock_factor)), states)
    assert sigma[1, 1] == pytest.approx(0.25 / (1 - 0.9**2), rel=1e-15)


def test_irfs_of_the_reference_follow_the_closed_form():
    sol = hybrid().solve()
    tm, r, _ = ref.refine(sol.linearization, sol.transition)
    path = ref.irfs(tm, r, np.asarray(sol.shock_factor), 6)
    assert path[:, 1, 0] == pytest.approx([0.5 * 0.5**t for t in range(6)], rel=1e-15)  # x: 0.5 rho^t
    assert np.allclose(path[:, :, 0], sol.irfs(6)["e"].values, rtol=1e-12, atol=1e-15)
