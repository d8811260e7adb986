"""Analytic boundaries drawn on parameter maps: their coordinates against the formulas, their sides against
the solvers.

Expected values come from the files and the paper, by hand: Example 6.3 has ``P = 3`` (three layers) and
``γ_A = 1/2`` (``G = I/2``), so condition (15) reads ``τ = (1 − α)·(1/2)·3``; the NK3 model of
``examples/models/nk3.yaml`` has ``β = 0.99``, ``κ = 0.1``, so its determinacy boundary (Bullard and Mitra
2002, derived in :mod:`dsge.solution.taylor_boundary`) is ``0.1(φ_π − 1) + 0.01 φ_y = 0``. Which side is
determinate is checked with the Blanchard–Kahn solver at points off the line, not with the boundary code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from figure_facts import check_readable, finite_points, legend_texts, lines_with_gid

from dsge import load_model
from dsge.solution.figures import determinacy_map
from dsge.solution.model import model_from_yaml
from dsge.solution.taylor_boundary import nk3_form, taylor_boundaries
from geo_sym.economy.spec import load_economy
from geo_sym.render.boundaries import cell_edges, condition_15
from geo_sym.render.parameter_maps import spectral_radius_map

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies"
MODELS = ROOT / "examples" / "models"


def _on_box_edge(x, y, xs, ys, tol=1e-9) -> bool:
    ex, ey = cell_edges(xs), cell_edges(ys)
    return bool(
        np.isclose(x, ex[0], atol=tol)
        or np.isclose(x, ex[-1], atol=tol)
        or np.isclose(y, ey[0], atol=tol)
        or np.isclose(y, ey[-1], atol=tol)
    )


def _ends_on_the_box(x, y, xs, ys) -> bool:
    return _on_box_edge(x[0], y[0], xs, ys) and _on_box_edge(x[-1], y[-1], xs, ys)


# ----------------------------------------------------------------------------- condition (15)
@pytest.fixture(scope="module")
def ex63():
    return load_economy(ECON / "example_6_3.yaml")


def test_condition_15_over_tau_and_alpha_is_the_papers_line(ex63):
    xs, ys = np.linspace(0.5, 6, 12), np.linspace(0.05, 0.9, 12)
    b = condition_15(ex63, "tau", xs, "alpha", ys)
    tau, alpha = finite_points(_line(b))
    assert tau.size > 50
    np.testing.assert_allclose(tau, (1 - alpha) * 0.5 * 3, rtol=0, atol=1e-12)
    assert _ends_on_the_box(tau, alpha, xs, ys)
    # Example 6.3's own point: tau = 27/10 > (9/10)(1/2)(3) = 27/20, so (15) holds there; at tau = 1 it fails
    assert b.holds(np.array(2.7), np.array(0.1)) and not b.holds(np.array(1.0), np.array(0.1))
    assert "P = 3" in b.label and r"\gamma_{\mathcal{A}} = 0.5" in b.label


def _line(b):
    class _L:  # the BoundaryLine as a drawn line's data
        def get_data(self):
            return b.x, b.y

    return _L()


def test_condition_15_with_the_axes_swapped(ex63):
    xs, ys = np.linspace(0.05, 0.9, 10), np.linspace(0.5, 6, 10)
    alpha, tau = finite_points(_line(condition_15(ex63, "alpha", xs, "tau", ys)))
    np.testing.assert_allclose(tau, (1 - alpha) * 1.5, atol=1e-12)
    assert _ends_on_the_box(alpha, tau, xs, ys)


def test_condition_15_over_gamma_uses_its_modulus(ex63):
    xs, ys = np.linspace(0.5, 6, 10), np.linspace(-1, 1, 9)  # G = gamma I, gamma_A = |gamma|
    tau, gamma = finite_points(_line(condition_15(ex63, "tau", xs, "gamma", ys)))
    np.testing.assert_allclose(tau, (1 - 0.1) * np.abs(gamma) * 3, atol=1e-12)
    assert np.any(gamma > 0) and np.any(gamma < 0)
    alpha, gamma = finite_points(_line(condition_15(ex63, "alpha", np.linspace(0.05, 0.9, 8), "gamma", ys)))
    np.testing.assert_allclose(2.7, (1 - alpha) * np.abs(gamma) * 3, atol=1e-12)  # a hyperbola: tau fixed


def test_condition_15_on_a_single_axis_is_a_vertical_line(ex63):
    b = condition_15(ex63, "tau", np.linspace(0.5, 6, 5), "beta", np.linspace(0.1, 1, 4))
    np.testing.assert_allclose(finite_points(_line(b))[0], 0.9 * 0.5 * 3, atol=1e-12)


def test_condition_15_says_when_it_does_not_apply_or_does_not_depend_on_the_axes():
    tat = load_economy(ECON / "two_by_two.yaml")
    b = condition_15(tat, "tau", [1, 2], "alpha", [0.1, 0.2])
    assert not b.drawn and "does not apply" in b.note and "linear price mechanism" in b.note
    orch = load_economy(ECON / "orchestration_taylor.yaml")
    # tau = 1/5 against (1 - 1/2)(1/2)(2) = 1/2: (15) fails whatever the Taylor coefficients
    b = condition_15(orch, "taylor.phi_lat", [0, 20], "taylor.phi_qual", [0, 20])
    assert not b.drawn and "fails on the whole map" in b.note and "0.5" in b.note


def test_the_spectral_radius_map_draws_condition_15_and_its_values(ex63):
    m = spectral_radius_map(ex63, "tau", [1.0, 2.7, 5.0], "alpha", [0.1, 0.5])
    # at Example 6.3's own parameters the spectral radius is exactly 9/10 = 1 - alpha (the production block)
    assert m.rho[0, 1] == pytest.approx(0.9, abs=1e-9)
    fig = m.plot()
    check_readable(fig)
    (line,) = lines_with_gid(fig, "boundary-condition-15")
    tau, alpha = finite_points(line)
    np.testing.assert_allclose(tau, (1 - alpha) * 1.5, atol=1e-12)
    assert any("condition (15)" in t for t in legend_texts(fig))
    assert any("(15) holds" in t for t in legend_texts(fig))
    assert "example-6.3" in fig.axes[0].get_title()


# ----------------------------------------------------------------------------- the NK3 determinacy boundary
@pytest.fixture(scope="module")
def nk3():
    return load_model(MODELS / "nk3.yaml", cache=False)


def _status(model, **params):
    return model.with_parameters({k: float(v) for k, v in params.items()}).solve().bk.status


def test_nk3_is_recognised_with_the_files_coefficients(nk3):
    f = nk3_form(nk3)
    assert (f.beta, f.kappa, f.sigma, f.phi_pi, f.phi_y) == pytest.approx((0.99, 0.1, 1.0, 1.5, 0.125))
    assert (f.output, f.inflation, f.rate, f.exogenous) == ("x", "pi", "i", ("v",))
    assert nk3_form(load_model(MODELS / "nk3.mod", cache=False)) is not None
    assert nk3_form(load_model(MODELS / "rbc.yaml", cache=False)) is None


def test_the_nk3_boundary_is_the_bullard_mitra_line_and_separates_the_statuses(nk3):
    xs, ys = np.linspace(0, 3, 13), np.linspace(0, 1, 9)
    fig = determinacy_map(nk3, "phi_pi", xs, "phi_y", ys).plot()
    check_readable(fig)
    (line,) = lines_with_gid(fig, "boundary-nk3")
    phi_pi, phi_y = finite_points(line)
    np.testing.assert_allclose(0.1 * (phi_pi - 1) + 0.01 * phi_y, 0.0, atol=1e-12)
    assert np.all(phi_pi >= 0) and np.all(phi_y >= 0)
    # from the top of the map down to phi_y = 0 exactly (phi_pi = 1): the line is exact for coefficients >= 0
    assert phi_y.max() == pytest.approx(cell_edges(ys)[-1], abs=1e-12)
    assert phi_y.min() == pytest.approx(0.0, abs=1e-12) and phi_pi.max() == pytest.approx(1.0, abs=1e-12)
    for k in (0, phi_pi.size // 2, phi_pi.size - 1):  # off the line, the solver agrees with its side
        assert _status(nk3, phi_pi=phi_pi[k] + 0.02, phi_y=phi_y[k]) == "determinate"
        assert _status(nk3, phi_pi=phi_pi[k] - 0.02, phi_y=phi_y[k]) == "indeterminate"
    assert any("exact NK3 boundary" in t for t in legend_texts(fig))


def test_the_nk3_boundary_with_the_axes_swapped_or_one_coefficient_fixed(nk3):
    (b,) = taylor_boundaries(nk3, "phi_y", np.linspace(0, 1, 5), "phi_pi", np.linspace(0, 3, 7))
    phi_y, phi_pi = finite_points(_line(b))
    np.testing.assert_allclose(0.1 * (phi_pi - 1) + 0.01 * phi_y, 0.0, atol=1e-12)
    # phi_y stays at the file's 0.125: the boundary is phi_pi = 1 - 0.01 * 0.125 / 0.1 = 0.9875
    (b,) = taylor_boundaries(nk3, "phi_pi", np.linspace(0, 3, 7), "rho_v", np.linspace(0, 0.9, 4))
    np.testing.assert_allclose(finite_points(_line(b))[0], 0.9875, atol=1e-12)


def test_no_nk3_line_where_the_map_changes_beta_or_kappa(nk3):
    (b,) = taylor_boundaries(nk3, "phi_pi", np.linspace(0, 3, 4), "kappa", np.linspace(0.05, 0.5, 4))
    assert not b.drawn and "changes on this map" in b.note


_RENAMED = """
name: renamed-nk
variables: [gap, infl, rate, u, v]
shocks: [e_u, e_v]
parameters: {b: 0.98, k: 0.3, s: 2, a: 1.5, c: 0.5}
equations:
  - gap = gap(+1) - (1/s)*(rate - infl(+1))
  - infl = b*infl(+1) + k*gap + u
  - rate = a*infl + c*gap + v
  - u = 0.3*u(-1) + e_u
  - v = 0.5*v(-1) + e_v
steady_state: {gap: 0, infl: 0, rate: 0, u: 0, v: 0}
"""


def test_the_nk3_form_is_found_whatever_the_names_and_with_a_cost_push_shock():
    m = model_from_yaml(_RENAMED)
    f = nk3_form(m)
    assert (f.output, f.inflation, f.rate) == ("gap", "infl", "rate")
    (b,) = taylor_boundaries(m, "a", np.linspace(0, 2, 5), "c", np.linspace(0, 1, 5))
    a, c = finite_points(_line(b))
    np.testing.assert_allclose(0.3 * (a - 1) + 0.02 * c, 0.0, atol=1e-12)


def test_a_rule_with_smoothing_is_not_the_nk3_model_and_gets_the_rule_of_thumb_only():
    text = (
        (MODELS / "nk3.yaml")
        .read_text()
        .replace("i = phi_pi*pi + phi_y*x + v", "i = 0.8*i(-1) + 0.2*(phi_pi*pi + phi_y*x) + v")
    )
    m = model_from_yaml(text)
    assert nk3_form(m) is None
    (b,) = taylor_boundaries(m, "phi_pi", np.linspace(0, 3, 5), "phi_y", np.linspace(0, 1, 5))
    assert b.kind == "taylor-principle" and "rule of thumb" in b.label
    np.testing.assert_array_equal(finite_points(_line(b))[0], [1.0, 1.0])
    assert taylor_boundaries(load_model(MODELS / "rbc.yaml", cache=False), "alpha", [0.3], "beta", [0.99]) == ()
