"""Basins of attraction of the three-equilibria economy (examples/economies/three_equilibria.yaml).

Independent facts: with constant prices (γ = 0) and the quality read-out y, a fixed point has
y_a = π_a u_a and π_1 = 1 / (1 + exp(−(y_1 − y_2)/τ)) (two one-agent paths, path cost −λ2·y_a with
λ2 = 1); a start at a stable equilibrium stays in its basin; shares sum to 1 when every start converges.
"""

from __future__ import annotations

import numpy as np
import pytest

from geo_sym.sweep import run_sweep

SPEC = {
    "kind": "basins",
    "economy": "../economies/three_equilibria.yaml",
    "starts": 60,
    "seed": 4,
    "slice": {"x": "y[a1,1]", "y": "y[a2,1]", "n": 9},
}


@pytest.fixture(scope="module")
def basins(tmp_path_factory):
    import shutil
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2] / "examples"
    tmp = tmp_path_factory.mktemp("basins")
    shutil.copytree(root / "economies", tmp / "economies")
    (tmp / "sweeps").mkdir()
    (tmp / "sweeps" / "b.yaml").write_text(yaml.safe_dump(SPEC))
    return run_sweep(tmp / "sweeps" / "b.yaml", scheduler="synchronous", out=tmp / "b.zarr")


def test_three_certified_equilibria_and_no_others(basins):
    s = basins.summary
    assert s["equilibria"] == 3 and s["complete"] is True
    u, tau = np.array([1.0, 0.8]), 0.25
    for st in basins.data["equilibrium_state"].values:
        y, pi = st[:2], st[4:]
        assert np.allclose(y, pi * u, atol=1e-9)
        assert abs(pi[0] - 1 / (1 + np.exp(-(y[0] - y[1]) / tau))) < 1e-9
        assert abs(pi.sum() - 1) < 1e-12


def test_every_start_reaches_a_certified_equilibrium(basins):
    ds = basins.data
    labels = ds["start_label"].values
    assert set(np.unique(labels)) <= {0.0, 1.0, 2.0}
    assert abs(ds["basin_share"].values.sum() - 1) < 1e-12
    # the middle equilibrium (index 1 in lexicographic order) is a saddle: no random start converges to it
    assert ds["basin_share"].values[1] == 0 and min(ds["basin_share"].values[[0, 2]]) > 0
    assert ds["slice_label"].shape == (9, 9)


def test_a_start_at_a_stable_equilibrium_is_labelled_by_it(basins):
    from geo_sym.economy.files import load_yaml
    from geo_sym.economy.spec import Economy
    from geo_sym.sweep.basins import classify, iterate_to_limit

    econ = Economy.from_dict(load_yaml(basins.data.attrs["base_file"], "economy"))
    boxes = basins.data["equilibrium_box"].values
    for k in (0, 2):
        lim, _, _, ok = iterate_to_limit(econ, basins.data["equilibrium_state"].values[k], 1000, 1e-12)
        assert ok and classify(lim, ok, boxes) == k


def test_figure(basins):
    fig = basins.plot()
    assert len(fig.axes) == 1 and "3 certified equilibria" in fig.axes[0].get_title()
