"""The economy items that call the claims, the certificates and the basins, in a grid sweep."""

from __future__ import annotations

import numpy as np
import pytest

from geo_sym.sweep import run_sweep


@pytest.mark.slow
def test_verdicts_fixed_points_and_basins_items(write_spec):
    # λ2 = 1: three equilibria (examples/economies/three_equilibria.yaml); λ2 = 1/10: the feedback
    # 2·λ2·u/τ·π(1 − π) <= 2·(1/10)·1·4·(1/4) = 1/5 < 1 makes π ↦ σ(...) a contraction: exactly one.
    spec = {
        "economy": "../economies/three_equilibria.yaml",
        "vary": {"slo.weights.quality": [1, "1/10"]},
        "compute": [
            {"fixed_points": {"all": True}},
            {"basins": {"starts": 16, "max_equilibria": 3}},
            {"verdicts": ["prop-6.2"]},
        ],
    }
    ds = run_sweep(write_spec("items", spec), scheduler="synchronous", out="items.zarr").data
    assert list(ds["fixed_points"].values) == [3, 1] and list(ds["fixed_points_complete"].values) == [1, 1]
    assert list(ds["equilibria"].values) == [3, 1]
    shares = ds["basin_share"].values
    assert np.allclose(np.nansum(shares, axis=1), 1) and shares[0, 1] == 0 and np.isnan(shares[1, 1:]).all()
    assert ds["verdict"].dims == ("slo.weights.quality", "claim") and list(ds["claim"].values) == ["prop-6.2"]
    for status, verified in zip(ds["verdict"].values[:, 0], ds["verified"].values[:, 0]):
        assert status in ("refuted", "supported", "inconclusive", "proved", "certified")
        assert verified == ("confirmed" if status == "refuted" else "") or (status == "refuted" and verified)
    assert not any(ds["error"].values)


def test_prop_6_2_refuted_and_confirmed_on_example_6_3(write_spec):
    spec = {
        "economy": "../economies/example_6_3.yaml",
        "vary": {"parameters.tau": ["27/10", 4]},
        "compute": [{"verdicts": ["prop-6.2"]}],
    }
    ds = run_sweep(write_spec("ex63", spec), scheduler="synchronous", out="ex63.zarr").data
    # at τ = 27/10 the claimed rate is 1/2 but the exact fixed point has the eigenvalue 9/10 (README)
    assert ds["verdict"].values[0, 0] == "refuted" and ds["verified"].values[0, 0] == "confirmed"
