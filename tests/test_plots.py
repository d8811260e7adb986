"""Figures: produced without a display, and they contain what they claim.

Facts are derived independently of :mod:`geo_sym.render.plots`: the unit circle is checked
point by point, the bound (14) of Example 6.3 from the paper's numbers
(``λ = (1 − α) γ_A P / τ = (9/10)(1/2)(3)/(27/10) = 1/2``) and a trajectory iterated here,
IRF lines against the solution's own responses.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from geo_sym.economy.spec import load_economy
from geo_sym.errors import ShapeError, ValidationError
from geo_sym.render.plots import convergence_data, plot_convergence, plot_eigenvalues, plot_irfs, plot_stability_map

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies"
MODELS = ROOT / "examples" / "models"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _lines(ax, label_part: str):
    return [ln for ln in ax.get_lines() if label_part in str(ln.get_label())]


# ----------------------------------------------------------------------------- headless
def test_figures_are_made_without_pyplot_or_a_display(tmp_path):
    """A fresh interpreter with no DISPLAY and no MPLBACKEND writes a PNG and never imports pyplot."""
    out = tmp_path / "e.png"
    code = (
        "import sys; from geo_sym.render.plots import plot_eigenvalues; "
        f"plot_eigenvalues([0.5, 1.2j]).savefig({str(out)!r}); "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT, timeout=120)
    assert out.read_bytes()[:8] == PNG_MAGIC


# ----------------------------------------------------------------------------- eigenvalues
def test_eigenvalue_plot_has_unit_circle_axes_and_one_marker_per_eigenvalue():
    eig = [0.5, 0.3 + 0.4j, 0.3 - 0.4j, 1.0, -1.5, np.inf]
    fig = plot_eigenvalues(eig, title="test")
    (ax,) = fig.axes
    assert "Re" in ax.get_xlabel() and r"\lambda" in ax.get_xlabel()
    assert "Im" in ax.get_ylabel() and r"\lambda" in ax.get_ylabel()
    (circle,) = [ln for ln in ax.get_lines() if ln.get_label() == "unit circle"]
    x, y = circle.get_data()
    assert np.allclose(np.hypot(x, y), 1.0)
    (stable,) = _lines(ax, "3 stable")
    assert sorted(zip(*stable.get_data())) == sorted([(0.5, 0.0), (0.3, 0.4), (0.3, -0.4)])
    (on,) = _lines(ax, "1 on the unit circle")
    assert list(zip(*on.get_data())) == [(1.0, 0.0)]
    # -1.5 and the infinite root are both explosive (Blanchard-Kahn); only the finite one has a place
    (unstable,) = _lines(ax, "2 unstable")
    assert list(zip(*unstable.get_data())) == [(-1.5, 0.0)]
    assert "1 at" in unstable.get_label() and r"\infty" in unstable.get_label()
    assert ax.get_xlim() == ax.get_ylim() and ax.get_xlim()[1] >= 1.5
    (rho,) = _lines(ax, r"\rho")
    assert np.allclose(np.hypot(*rho.get_data()), 1.5)


def test_eigenvalue_plot_counts_repeated_roots_and_clips_far_ones():
    fig = plot_eigenvalues([0.9, 0.9, 0.9, 0.0, 50.0])
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "×3" in texts
    assert any(t.startswith(r"$|\lambda| = 50") for t in texts)  # drawn on the edge, labelled with its modulus
    assert ax.get_xlim()[1] <= 3.0 + 1e-12


def test_eigenvalue_plot_draws_into_given_axes():
    from geo_sym.render.plots import new_figure

    fig, axes = new_figure((8, 4), 1, 2)
    out = plot_eigenvalues([0.1], ax=axes[1])
    assert out is fig and _lines(axes[1], "unit circle") and not axes[0].get_lines()


# ----------------------------------------------------------------------------- convergence (14)
def _iterate_here(econ, n):
    """x_0 = centre state, x_{k+1} = Φ(x_k): flat float states (independent of the plot code)."""
    from geo_sym.economy.state import State
    from geo_sym.maps.core import evaluate_map

    A, K, P = econ.A, econ.K, econ.n_paths
    x = State(np.zeros((A, K)), np.full((A, K), 1.0 / (A * K)), np.full(P, 1.0 / P))
    out = [x.flat().astype(float)]
    for _ in range(n):
        x = evaluate_map(econ, x).state
        out.append(x.flat().astype(float))
    return np.array(out)


def test_convergence_on_example_6_3_uses_the_papers_rate_and_shows_the_bound_failing():
    econ = load_economy(ECON / "example_6_3.yaml")
    n = 40
    fig = plot_convergence(econ, n=n)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and "iteration" in ax.get_xlabel()
    traj = _iterate_here(econ, n)
    step0 = np.linalg.norm(traj[1] - traj[0])
    (bound,) = _lines(ax, "bound (14)")
    assert "= 0.5$" in bound.get_label()
    k = np.arange(n + 1)
    assert np.allclose(bound.get_ydata(), 0.5**k / (1 - 0.5) * step0, rtol=1e-12)
    # the exact fixed point of Example 6.3: y = 1/2, p = 1/4, π = 1/8 (tests/proofs derive it by hand)
    xstar = np.concatenate([np.full(6, 0.5), np.full(6, 0.25), np.full(8, 0.125)])
    (observed,) = _lines(ax, "(observed)")
    assert np.allclose(observed.get_ydata(), np.linalg.norm(traj - xstar, axis=1), rtol=1e-9, atol=1e-15)
    # the production block contracts at 1 - α = 9/10 > λ = 1/2: past a few steps the distance exceeds the bound
    assert np.all(observed.get_ydata()[5:] > bound.get_ydata()[5:])
    (rate,) = _lines(ax, "rate")
    assert r"\rho = 0.9$" in rate.get_label()


def test_convergence_without_linear_prices_uses_a_labelled_sampled_norm():
    econ = load_economy(ECON / "two_by_two.yaml")
    d = convergence_data(econ, n=10, n_samples=4)
    assert d.lam_kind == "sampled" and d.lam > 0
    fig = plot_convergence(econ, n=10, data=d)
    ax = fig.axes[0]
    text = " ".join([str(ln.get_label()) for ln in ax.get_lines()] + [t.get_text() for t in fig.legends[0].get_texts()])
    assert "sampled" in text and "not a bound" in text
    if d.lam >= 1:
        assert d.bound is None and "does not apply" in text
    else:
        assert _lines(ax, "bound (14)")


def test_convergence_with_a_given_rate():
    econ = load_economy(ECON / "example_6_3.yaml")
    d = convergence_data(econ, n=5, lam=0.25)
    assert d.lam_kind == "given"
    assert np.allclose(d.bound, 0.25 ** np.arange(6) / 0.75 * d.step0)
    with pytest.raises(ValidationError, match="n"):
        convergence_data(econ, n=0)


# ----------------------------------------------------------------------------- stability maps
def test_stability_map_continuous_draws_cells_colorbar_and_boundary():
    gx, gy = np.linspace(0, 2, 5), np.linspace(0, 1, 3)
    values = np.add.outer(gy, gx)  # crosses 1
    values[0, 0] = np.nan
    fig = plot_stability_map(gx, gy, values, xlabel="tau", ylabel="alpha", colorbar_label="rho")
    ax = fig.axes[0]
    assert ax.get_xlabel() == r"$\tau$" and ax.get_ylabel() == r"$\alpha$"  # raw names typeset
    mesh = ax.collections[0]
    arr = np.ma.masked_invalid(np.asarray(mesh.get_array()).reshape(3, 5))
    assert arr.mask[0, 0] and np.allclose(arr[~arr.mask], values[~np.isnan(values)])
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "rho"  # the colour bar
    assert len(ax.collections) > 1  # the contour value = 1
    with pytest.raises(ShapeError, match="values"):
        plot_stability_map(gx, gy, values.T)


def test_stability_map_categories_get_a_legend_of_present_codes():
    fig = plot_stability_map(
        [0, 1], [0, 1], [[0, 1], [1, 1]], categories={0: "determinate", 1: "indeterminate", 2: "no stable solution"}
    )
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["determinate", "indeterminate"]
    assert len(fig.axes) == 1  # no colour bar


# ----------------------------------------------------------------------------- IRF grids
@pytest.fixture(scope="module")
def rbc_solution():
    from dsge import load_model

    return load_model(MODELS / "rbc.yaml", cache=False).solve()


def test_irf_grid_has_one_panel_and_one_line_per_variable(rbc_solution):
    irf = rbc_solution.irf("eps_a", 20)
    fig = plot_irfs(irf)
    assert len(fig.axes) == len(irf.variables) == 6
    for ax, var in zip(fig.axes, irf.variables):
        data = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 20]
        assert len(data) == 1
        assert np.allclose(data[0].get_ydata(), irf[var])
        assert ax.get_title() == f"${var}_t$"  # from latex_names
    assert [ax.get_xlabel() for ax in fig.axes] == ["", "", "", "period $t$", "period $t$", "period $t$"]
    assert fig._supylabel.get_text() == "deviation from steady state"
    assert r"$\varepsilon_{a}$" in fig._suptitle.get_text() and "one-standard-deviation" in fig._suptitle.get_text()


def test_irf_grid_compares_scenarios_line_by_line(rbc_solution):
    a = rbc_solution.irf("eps_a", 10)
    fig = plot_irfs({"baseline": a, "same": a}, variables=["y", "c"])
    assert len(fig.axes) == 2
    for ax in fig.axes:
        assert len([ln for ln in ax.get_lines() if len(ln.get_xdata()) == 10]) == 2
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["baseline", "same"]
    with pytest.raises(ValidationError, match="variables"):
        plot_irfs(a, variables=["nope"])


# ----------------------------------------------------------------------------- the plot command
def _run(argv):
    from geo_sym.cli.plot import add_plot_parser

    parser = argparse.ArgumentParser(prog="geo-sym")
    add_plot_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.mark.parametrize(
    "argv",
    [
        [str(ECON / "two_by_two.yaml"), "--kind", "eigenvalues"],
        [str(ECON / "example_6_3.yaml"), "--kind", "convergence", "--n", "20"],
        [str(ECON / "example_6_3.yaml"), "--kind", "stability", "--x", "tau=1:4:3", "--y", "alpha=1/10:1/2:2"],
        [str(MODELS / "nk3.yaml"), "--kind", "stability", "--x", "phi_pi=0.5:2:4", "--y", "phi_y=0:0.5:3"],
        [str(MODELS / "rbc.yaml"), "--kind", "irf", "--periods", "12"],
        [str(MODELS / "nk3.yaml"), "--kind", "eigenvalues"],
    ],
)
def test_plot_command_writes_an_image(tmp_path, capsys, argv):
    out = tmp_path / "fig.png"
    assert _run(["plot", *argv, "-o", str(out)]) == 0
    assert out.read_bytes()[:8] == PNG_MAGIC
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, match",
    [
        ([str(MODELS / "nk3.yaml"), "--kind", "convergence"], "--kind"),
        ([str(ECON / "two_by_two.yaml"), "--kind", "irf"], "--kind"),
        ([str(ECON / "two_by_two.yaml"), "--kind", "stability", "--x", "tau=1:2"], "--x/--y"),
        ([str(ECON / "two_by_two.yaml"), "--kind", "stability", "--x", "tau=2:1", "--y", "alpha=0.1:0.2"], "--x"),
        ([str(ECON / "two_by_two.yaml"), "--kind", "stability", "--x", "zeta=1:2", "--y", "alpha=0.1:0.2"], "--x"),
        ([str(MODELS / "nk3.yaml"), "--kind", "stability", "--x", "phi_pi=1:2", "--y", "nope=0:1"], "--y"),
        ([str(MODELS / "nk3.yaml"), "--kind", "irf", "--set", "phi_pi=0.5"], "determinate"),
    ],
)
def test_plot_command_errors_name_the_option(tmp_path, argv, match):
    with pytest.raises(ValidationError, match=match):
        _run(["plot", *argv, "-o", str(tmp_path / "x.png")])


def test_panel_titles_fall_back_to_plain_names_when_mathtext_cannot_typeset(rbc_solution):
    irf = rbc_solution.irf("eps_a", 5)
    fig = plot_irfs(irf, variables=["y", "c"], latex_names={"y": r"\notamacro{y}_t", "c": r"\hat{c}_t"})
    assert [ax.get_title() for ax in fig.axes] == ["$y$", r"$\hat{c}_t$"]
    fig.canvas.draw()  # typesets without error
