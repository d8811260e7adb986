r"""Determinacy regions of DSGE models against closed forms derived by hand.

The 3-equation New Keynesian model of the README (examples/models/nk3.yaml), with the interest
rate i eliminated through the Taylor rule i = φπ π + φy x + v, is in z = (x, π)

    [[1 + φy/σ, φπ/σ], [-κ, 1]] z_t = [[1, 1/σ], [0, β]] E_t z_{t+1} + (shock terms),

so E_t z_{t+1} = A z_t with det A = (1 + φy/σ + κφπ/σ)/β and tr A = 1 + φy/σ + κ/(σβ) + 1/β. Both
x and π are forward-looking: determinacy needs both eigenvalues of A outside the unit circle. For
φπ, φy ≥ 0 (σ, κ > 0, 0 < β < 1) det A > 1 and tr A > 0, so p(-1) = 1 + tr A + det A > 0 and the
only condition left is p(1) = 1 - tr A + det A > 0, i.e. (times σβ)

    κ(φπ - 1) + (1 - β) φy > 0                     (the Taylor principle),

with p(1) < 0 (a real root in (0, 1)) indeterminate and p(1) = 0 (a unit root) the boundary.
The exogenous AR(1) v = ρ v(-1) + ε adds the root ρ, inside exactly when |ρ| < 1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from dsge.solution.determinacy import determinacy_region
from dsge.solution.model import model_from_yaml
from geo_sym.errors import UnknownNameError, ValidationError

NK3 = Path(__file__).resolve().parents[2] / "examples" / "models" / "nk3.yaml"
phi_pi, phi_y, kappa, rho_v = sp.symbols("phi_pi phi_y kappa rho_v", real=True)
BETA, SIGMA, KAPPA, PHI_Y = sp.Rational(99, 100), 1, sp.Rational(1, 10), sp.Rational(1, 8)


def _positive_multiple(expr, target) -> bool:
    r = sp.cancel(expr / target)
    return bool(r.is_number and r > 0)


def test_taylor_principle_in_closed_form():
    r = determinacy_region(NK3, ["phi_pi", "phi_y"], bounds={"phi_pi": (0, None), "phi_y": (0, None)})
    principle = KAPPA * (phi_pi - 1) + (1 - BETA) * phi_y
    (det_term,) = r.regions["determinate"]
    (ind_term,) = r.regions["indeterminate"]
    assert len(det_term) == 1 and det_term[0].strict and _positive_multiple(det_term[0].expr, principle)
    assert len(ind_term) == 1 and ind_term[0].strict and _positive_multiple(ind_term[0].expr, -principle)
    assert r.regions["no-stable-solution"] == ()
    (bnd,) = r.boundary
    assert {sp.sign(sp.cancel(q.expr / principle)) for q in bnd} == {1, -1} and not any(q.strict for q in bnd)
    d = r.to_dict()
    assert d["fixed"] == {"beta": "99/100", "sigma": "1", "kappa": "1/10", "rho_v": "1/2"}
    assert d["static_eliminated"] == {"i": "i = phi_pi*pi + phi_y*x + v"}
    assert d["n_forward"] == 2 and d["n_predetermined"] == 1
    assert set(d["regions"]) == {"determinate", "indeterminate", "no-stable-solution"}


def test_taylor_principle_in_phi_pi_and_kappa():
    """A curved boundary: κ(φπ - 1) + (1 - β)φy = 0 with φy = 1/8, checked at rational points (on it too)."""
    r = determinacy_region(NK3, ["phi_pi", "kappa"], bounds={"phi_pi": (0, 3), "kappa": (0, 1)})
    rng = np.random.default_rng(4)
    pts = [(sp.Rational(int(rng.integers(0, 180)), 60), sp.Rational(int(rng.integers(0, 60)), 60)) for _ in range(150)]
    pts += [(1 - (1 - BETA) * PHI_Y / k, k) for k in (sp.Rational(1, 2), sp.Rational(1, 10), 1)]  # on the boundary
    for pv, kv in pts:
        value = kv * (pv - 1) + (1 - BETA) * PHI_Y
        truth = "boundary" if value == 0 else "determinate" if value > 0 else "indeterminate"
        assert r.classify(phi_pi=pv, kappa=kv) == truth, (pv, kv)


def test_regions_agree_with_the_compiled_model():
    """The exact regions against `geo-sym dsge`'s own pipeline (compiled model, steady state, Klein) at random points."""
    r = determinacy_region(NK3, ["phi_pi", "phi_y"], check_points=20)
    text = NK3.read_text()
    rng = np.random.default_rng(9)
    seen = set()
    for _ in range(12):
        pv, yv = sp.Rational(int(rng.integers(-60, 240)), 80), sp.Rational(int(rng.integers(-40, 120)), 80)
        exact = r.classify(phi_pi=pv, phi_y=yv)
        if exact == "boundary":
            continue
        sol = model_from_yaml(text, {"phi_pi": str(pv), "phi_y": str(yv)}).solve()
        if sol.bk.boundary:
            continue
        assert sol.bk.status == exact, (pv, yv)
        seen.add(exact)
    assert seen >= {"determinate", "indeterminate"}


def test_exogenous_ar1_root():
    r = determinacy_region(NK3, ["rho_v"])
    (term,) = r.regions["determinate"]
    assert sorted(str(q) for q in term) == ["1 - rho_v > 0", "rho_v + 1 > 0"]
    assert r.classify(rho_v=1) == "boundary" and r.classify(rho_v=0) == "determinate"
    assert r.classify(rho_v=sp.Rational(-3, 2)) == "no-stable-solution"


def _model(tmp_path, text):
    p = tmp_path / "m.yaml"
    p.write_text(text)
    return p


_LINEAR = """
variables: [y]
shocks: [e]
parameters: {a: 1, r: "1/2"}
equations:
  - y = a + r*y(-1) + e
steady_state: {y: 2}
"""

_QUADRATIC = """
variables: [y]
shocks: [e]
parameters: {a: 0, r: "1/2"}
equations:
  - y = a + r*y(-1)*y(-1) + e
steady_state: {y: 0}
"""


def test_steady_state_modes(tmp_path):
    """Linear equations need no steady state; an exact one is proved; one that moves with the parameter is refused."""
    lin = determinacy_region(_model(tmp_path, _LINEAR), ["a", "r"], check_points=20)
    assert lin.to_dict()["steady_state"]["mode"].startswith("not needed")
    assert lin.classify(a=5, r=sp.Rational(1, 2)) == "determinate" and lin.classify(a=5, r=2) == "no-stable-solution"
    quad = determinacy_region(_model(tmp_path, _QUADRATIC), ["r"], check_points=20)  # y* = 0 solves y = r y² for all r
    assert quad.to_dict()["steady_state"]["mode"] == "exact" and quad.classify(r=7) == "determinate"
    with pytest.raises(ValidationError, match="steady state moves with a"):
        determinacy_region(_model(tmp_path, _QUADRATIC), ["a"])


@pytest.mark.parametrize(
    "params, exc, match",
    [
        (["phi_pi", "phi_y", "kappa"], ValidationError, "one or two parameter"),
        (["phi_z"], UnknownNameError, "a parameter of the model: beta, sigma"),
        ([], ValidationError, "one or two parameter"),
    ],
)
def test_bad_parameters(params, exc, match):
    with pytest.raises(exc, match=match):
        determinacy_region(NK3, params)


def test_mod_file_gives_the_same_region_as_its_yaml_twin():
    """examples/models/nk3.mod and nk3.yaml are the same model: the same exact regions."""
    mod = determinacy_region(NK3.with_suffix(".mod"), ["phi_pi", "phi_y"])
    yml = determinacy_region(NK3, ["phi_pi", "phi_y"])
    assert mod.to_dict()["regions"] == yml.to_dict()["regions"]


def test_irrational_linearization_is_refused(tmp_path):
    text = """
variables: [y]
shocks: [e]
parameters: {k: "1/3", r: "1/2"}
equations:
  - y = exp(k)*r*y(-1) + e
"""
    with pytest.raises(ValidationError, match="rational functions of the named parameters"):
        determinacy_region(_model(tmp_path, text), ["k"])


def test_rbc_steady_state_held_when_it_does_not_move():
    """RBC in ρ: log a = ρ log a(-1) has a* = 1 for every ρ, so the numeric steady state is held; saddle path iff |ρ| < 1."""
    rbc = NK3.parent / "rbc.yaml"
    r = determinacy_region(rbc, ["rho"], check_points=40)
    assert r.to_dict()["steady_state"]["mode"] == "held (numeric)"
    (term,) = r.regions["determinate"]
    assert sorted(str(q) for q in term) == ["1 - rho > 0", "rho + 1 > 0"]
    with pytest.raises(ValidationError, match="the steady state moves with delta"):
        determinacy_region(rbc, ["rho", "delta"])
