"""Every kind of figure: labelled axes, a title, no raw identifier shown; the facts each one states.

* eigenvalue figures count unstable roots as Blanchard–Kahn does (the count ``geo-sym dsge`` prints),
  with the unit circle and the tolerance band drawn;
* the convergence figure of Example 6.3 says where bound (14) fails, checked against distances computed
  here from a hand-derived fixed point;
* files written by the result objects are 300 dpi PNGs unless told otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from figure_facts import check_readable, legend_texts

from dsge import load_model
from dsge.solution.figures import determinacy_map, eigenvalue_figure, irf_figure
from geo_sym.economy.spec import load_economy
from geo_sym.render.parameter_maps import spectral_radius_map
from geo_sym.render.plots import convergence_data, plot_convergence, plot_eigenvalues

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies"
MODELS = ROOT / "examples" / "models"


def _png_dpi(path) -> tuple:
    from PIL import Image

    with Image.open(path) as im:
        return tuple(round(v) for v in im.info["dpi"])


def _unstable_in_legend(fig) -> int:
    counts = [int(m.group(1)) for t in legend_texts(fig) for m in [re.match(r"(\d+) unstable", t)] if m]
    assert len(counts) <= 1
    return counts[0] if counts else 0


# ----------------------------------------------------------------------------- eigenvalues: the Blanchard-Kahn count
@pytest.mark.parametrize("name", ["rbc.yaml", "rbc.mod", "nk3.yaml", "nk_medium.mod", "brock_mirman.yaml"])
def test_the_plotted_unstable_count_is_geo_sym_dsges(name, tmp_path):
    sol = load_model(MODELS / name, cache=False).solve()
    fig = eigenvalue_figure(sol)
    check_readable(fig)
    out = subprocess.run(
        [sys.executable, "-m", "geo_sym", "dsge", str(MODELS / name), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "GEO_SYM_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)["bk"]["n_unstable"]
    assert _unstable_in_legend(fig) == printed == sol.bk.n_unstable
    # a determinate model has exactly as many unstable roots as forward-looking variables (Blanchard-Kahn)
    if sol.bk.status == "determinate":
        assert printed == sol.bk.n_forward


def test_rbc_has_two_unstable_roots_one_of_them_infinite():
    # c and y appear with a lead in the Euler equation: two forward-looking variables, so a determinate RBC
    # model has two explosive roots; the pencil's infinite root is one of them
    sol = load_model(MODELS / "rbc.yaml", cache=False).solve()
    fig = eigenvalue_figure(sol)
    (entry,) = [t for t in legend_texts(fig) if "unstable" in t]
    assert entry.startswith("2 unstable") and "1 at" in entry and r"\infty" in entry
    ax = fig.axes[0]
    (crosses,) = [ln for ln in ax.get_lines() if "unstable" in str(ln.get_label())]
    assert len(crosses.get_xdata()) == 1 and crosses.get_xdata()[0] > 1  # the finite explosive root
    assert "determinate" in ax.get_title() and "2 unstable for 2 forward-looking" in ax.get_title()


def test_the_unit_circle_and_the_tolerance_band_are_drawn():
    from matplotlib.patches import Wedge

    tol = 1e-6
    fig = plot_eigenvalues([0.5, 1 + tol / 2, 2.0], tol=tol)
    ax = fig.axes[0]
    (band,) = [p for p in ax.patches if isinstance(p, Wedge)]
    assert band.r - band.width <= 1 - tol and band.r >= 1 + tol
    assert band.width >= 0.01  # widened to be seen at the plot's scale ...
    assert "widened" in band.get_label() and "10^{-6}" in band.get_label()  # ... and the legend says so
    (circle,) = [ln for ln in ax.get_lines() if ln.get_label() == "unit circle"]
    assert np.allclose(np.hypot(*circle.get_data()), 1.0)
    assert any(t.startswith("1 on the unit circle") for t in legend_texts(fig))


def test_economy_eigenvalues_figure_is_readable():
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues
    from geo_sym.solve.fixed_point import center_state, find_fixed_point

    econ = load_economy(ECON / "example_6_3.yaml")
    fp = find_fixed_point(econ, center_state(econ))
    fig = plot_eigenvalues(tangent_eigenvalues(econ, numeric_jacobian(econ, fp.state)), title="example-6.3")
    check_readable(fig)


# ----------------------------------------------------------------------------- convergence (14)
def test_example_6_3_exceeds_bound_14_from_n_0_and_the_figure_says_so():
    econ = load_economy(ECON / "example_6_3.yaml")
    d = convergence_data(econ, n=30)
    # hand: x* has y = 1/2, p = 1/4, pi = 1/8 (six agents, eight paths); distances from the centre state
    xstar = np.concatenate([np.full(6, 0.5), np.full(6, 0.25), np.full(8, 0.125)])
    from geo_sym.maps.core import evaluate_map
    from geo_sym.solve.fixed_point import center_state

    x = center_state(econ)
    dist = []
    for _ in range(31):
        dist.append(np.linalg.norm(x.flat().astype(float) - xstar))
        x = evaluate_map(econ, x).state
    bound = 0.5 ** np.arange(31) / 0.5 * d.step0
    assert np.all(np.array(dist) > bound)  # from n = 0 on, not "after a few steps"
    assert d.above_bound.all()
    fig = plot_convergence(econ, n=30, data=d)
    check_readable(fig)
    assert "bound (14) fails at every n = 0…30" in legend_texts(fig)


def test_convergence_without_linear_prices_is_readable():
    fig = plot_convergence(load_economy(ECON / "two_by_two.yaml"), n=10, data=None)
    check_readable(fig)


# ----------------------------------------------------------------------------- maps and responses
def test_maps_are_readable_and_written_at_300_dpi(tmp_path):
    econ = load_economy(ECON / "example_6_3.yaml")
    m = spectral_radius_map(econ, "tau", [1.0, 3.0], "alpha", [0.1, 0.5])
    check_readable(m.plot(path=tmp_path / "rho.png"))
    assert _png_dpi(tmp_path / "rho.png") == (300, 300)
    nk3 = load_model(MODELS / "nk3.yaml", cache=False)
    d = determinacy_map(nk3, "phi_pi", np.linspace(0, 2, 5), "phi_y", [0.0, 0.5])
    check_readable(d.plot(path=tmp_path / "bk.pdf"))
    assert (tmp_path / "bk.pdf").read_bytes()[:5] == b"%PDF-"
    assert list(d.to_frame()["status"])[:2] == ["indeterminate", "indeterminate"]  # phi_pi = 0, 0.5


def test_dsge_responses_and_simulations_are_readable():
    sol = load_model(MODELS / "nk3.yaml", cache=False).solve()
    fig = irf_figure(sol, periods=12)
    check_readable(fig)
    assert "nk3" in fig._suptitle.get_text() and r"\varepsilon_{v}" in fig._suptitle.get_text()
    check_readable(sol.irf("eps_v", 8).plot())
    check_readable(sol.simulate(20, seed=1).plot())
    log = load_model(MODELS / "rbc.yaml", cache=False).solve(loglinear=True)
    fig = log.irf("eps_a", 8).plot()
    assert fig._supylabel.get_text() == "log deviation from steady state"


@pytest.fixture(scope="module")
def orchestration():
    from dsge.orchestration import compare_policies, steady_state

    econ = load_economy(ECON / "orchestration_taylor.yaml")
    ss = steady_state(econ)
    return econ, ss, compare_policies(econ, periods=8, steady=ss)


def test_the_orchestration_page_names_agents_and_shocks(orchestration, tmp_path):
    _, _, cmp = orchestration
    fig = cmp.plot(path=tmp_path / "responses.png")
    check_readable(fig)
    assert _png_dpi(tmp_path / "responses.png") == (300, 300)
    ylabels = [ax.get_ylabel() for ax in fig.axes]
    # the file declares spike_w1 as a latency spike on w1 and fail_w2 as a failure of w2
    assert any("latency spike on w1" in t for t in ylabels) and any("capacity cut on w2" in t for t in ylabels)
    legend = legend_texts(fig)
    assert any(t.startswith("w1 share") and r"\text{w1}" in t for t in legend)
    assert "orchestration-taylor" in fig._suptitle.get_text()


def test_orchestration_response_grid_and_stability_map_are_readable(orchestration, tmp_path):
    from dsge.orchestration import stability_map

    econ, ss, cmp = orchestration
    check_readable(cmp[("spike_w1", "taylor")].plot(other=cmp[("spike_w1", "none")]))
    sm = stability_map(econ, [0.0, 10.0, 20.0], [0.0, 10.0, 20.0], steady=ss)
    fig = sm.plot(path=tmp_path / "map.svg")
    check_readable(fig)
    assert "orchestration-taylor" in fig.axes[0].get_title()
    assert "<svg" in (tmp_path / "map.svg").read_text()
