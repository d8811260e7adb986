"""Sweep figures: typeset axes from the varied paths, and the analytic boundaries of the base file.

The boundaries are those of :mod:`tests.test_figures_boundaries` (formulas by hand from the files): the NK3
line ``0.1(φ_π − 1) + 0.01 φ_y = 0`` and condition (15) ``τ = (1 − α)(1/2)(3)`` for Example 6.3; on the
Taylor-rule economy ``γ_A = 1/2`` and ``P = 2`` (routers, then workers), so (15) holds in a facet
exactly when ``τ > 1 − α``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from figure_facts import check_readable, finite_points, legend_texts, lines_with_gid

from geo_sym.sweep import run_sweep

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples" / "economies", tmp_path / "economies")
    shutil.copytree(ROOT / "examples" / "models", tmp_path / "models")
    (tmp_path / "sweeps").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _run(workdir, name, spec):
    path = workdir / "sweeps" / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return run_sweep(path, scheduler="synchronous", out=workdir / f"{name}.zarr")


def test_a_model_sweep_map_draws_the_nk3_boundary(workdir, tmp_path):
    spec = {
        "model": "../models/nk3.yaml",
        "vary": {"parameters.phi_pi": {"grid": [0, 3, 7]}, "parameters.phi_y": {"grid": [0, 1, 3]}},
        "compute": ["bk_status"],
    }
    res = _run(workdir, "nk", spec)
    fig = res.plot(path=tmp_path / "nk.png")
    check_readable(fig)
    assert fig.axes[0].get_xlabel() == r"$\phi_{\pi}$"
    (line,) = lines_with_gid(fig, "boundary-nk3")
    phi_pi, phi_y = finite_points(line)
    np.testing.assert_allclose(0.1 * (phi_pi - 1) + 0.01 * phi_y, 0.0, atol=1e-12)
    from PIL import Image

    with Image.open(tmp_path / "nk.png") as im:
        assert tuple(round(v) for v in im.info["dpi"]) == (300, 300)


def test_without_its_base_file_a_sweep_map_draws_no_boundary(workdir):
    spec = {
        "model": "../models/nk3.yaml",
        "vary": {"parameters.phi_pi": {"grid": [0, 3, 4]}, "parameters.phi_y": {"grid": [0, 1, 2]}},
        "compute": ["bk_status"],
    }
    res = _run(workdir, "nk", spec)
    (workdir / "models" / "nk3.yaml").write_text((workdir / "models" / "nk3.yaml").read_text() + "\n# edited\n")
    fig = res.plot()  # the file changed since the sweep: its boundary would not be this sweep's
    assert not lines_with_gid(fig, "boundary-nk3")
    check_readable(fig)


def test_an_economy_sweep_map_draws_condition_15(workdir):
    spec = {
        "economy": "../economies/example_6_3.yaml",
        "vary": {"parameters.tau": {"grid": [1, 4, 3]}, "parameters.alpha": {"list": ["1/10", "1/2"]}},
        "compute": ["spectral_radius"],
    }
    fig = _run(workdir, "ex63", spec).plot()
    check_readable(fig)
    assert fig.axes[0].get_xlabel() == r"routing temperature $\tau$"
    (line,) = lines_with_gid(fig, "boundary-condition-15")
    tau, alpha = finite_points(line)
    np.testing.assert_allclose(tau, (1 - alpha) * 1.5, atol=1e-12)
    assert any("condition (15)" in t for t in legend_texts(fig))


def test_facets_say_whether_condition_15_holds_in_each_panel(workdir):
    spec = {
        "economy": "../economies/orchestration_taylor.yaml",
        "vary": {
            "taylor.phi_lat": {"grid": [0, 20, 2]},
            "taylor.phi_qual": {"grid": [0, 20, 2]},
            "parameters.alpha": {"list": ["1/4", "3/4"]},
            "parameters.tau": {"list": ["1/10", "2/5"]},
        },
        "compute": ["spectral_radius"],
    }
    fig = _run(workdir, "facets", spec).plot()
    check_readable(fig)
    titles = [ax.get_title() for ax in fig.axes if ax.get_label() != "<colorbar>"]
    expected = {  # (15): tau > (1 - alpha) * (1/2) * 2 = 1 - alpha
        ("0.25", "0.1"): "fails",
        ("0.25", "0.4"): "fails",  # 0.4 < 0.75
        ("0.75", "0.1"): "fails",  # 0.1 < 0.25
        ("0.75", "0.4"): "holds",  # 0.4 > 0.25
    }
    for (alpha, tau), verdict in expected.items():
        (title,) = [t for t in titles if f"= {alpha}$" in t.split(",")[0] and f"= {tau}$" in t]
        assert title.endswith(f"(15) {verdict}")
    assert all(r"\phi_{\mathrm{lat}}" in ax.get_xlabel() for ax in fig.axes[2:4])
