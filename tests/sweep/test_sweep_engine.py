"""The engine: same results on every scheduler, failures as data, resumption, output formats.

Figures are checked against facts derived independently of the code under test: the spectral
radius of a one-agent sequential economy is 1 − α by hand (below), and the New Keynesian model is
determinate exactly when κ(φ_π − 1) + (1 − β)φ_y > 0 (Bullard and Mitra 2002).
"""

from __future__ import annotations

import numpy as np
import pytest

from geo_sym.errors import ValidationError
from geo_sym.sweep import read_output, run_sweep
from geo_sym.sweep.spec import load_spec

NK = {
    "model": "../models/nk3.yaml",
    "vary": {"parameters.phi_pi": {"grid": [0, 3, 13]}, "parameters.phi_y": {"grid": [0, 1, 5]}},
    "compute": ["bk_status", "n_unstable", {"irf_peak": {"variable": "pi", "shock": "eps_v", "periods": 12}}],
    "batch": 4,
}
ONE_AGENT = """\
name: one-agent
agents:
  - {name: a, demand: ["1/2"], box: [[0, 1]]}
edges: []
map: sequential
parameters: {alpha: "1/2", tau: 1}
price_mechanism: {kind: linear, gamma: "1/2"}
"""


def test_nk_determinacy_matches_the_taylor_principle(write_spec):
    res = run_sweep(write_spec("nk", NK), scheduler="synchronous", out="nk.zarr")
    ds = res.data
    assert ds["bk_status"].dims == ("parameters.phi_pi", "parameters.phi_y")
    # no impulse responses without a determinate solution: those points record why, the rest is computed
    indeterminate = ds["bk_status"].values != "determinate"
    assert res.failures == int(indeterminate.sum()) > 0
    assert all(e.startswith("irf_peak:") and "determinate" in e for e in ds["error"].values[indeterminate])
    beta, kappa = 0.99, 0.1
    for i, phi_pi in enumerate(ds["parameters.phi_pi"].values):
        for j, phi_y in enumerate(ds["parameters.phi_y"].values):
            margin = kappa * (phi_pi - 1) + (1 - beta) * phi_y
            if abs(margin) < 1e-3:
                continue  # on the boundary: a root on the unit circle, reported as such elsewhere
            status = ds["bk_status"].values[i, j]
            assert status == ("determinate" if margin > 0 else "indeterminate"), (phi_pi, phi_y)
            peak = ds["irf_peak"].values[i, j]
            assert (np.isfinite(peak) and peak > 0) if margin > 0 else np.isnan(peak)
            assert ds["n_unstable"].values[i, j] == (2 if margin > 0 else 1)  # two forward-looking variables


def test_spectral_radius_of_one_agent_is_one_minus_alpha(write_spec, workdir):
    # y' = y + α(u − y) inside the box, p' = γ y', one path (π ≡ 1): the tangent Jacobian is
    # [[1 − α, 0], [γ(1 − α), 0]], so ρ = 1 − α whatever γ and τ are.
    (workdir / "economies" / "one_agent.yaml").write_text(ONE_AGENT)
    spec = {
        "economy": "../economies/one_agent.yaml",
        "vary": {"parameters.alpha": {"grid": ["1/10", "9/10", 9]}, "price_mechanism.gamma": [0, "1/2", 2]},
        "compute": ["spectral_radius", "n_unstable"],
    }
    ds = run_sweep(write_spec("one", spec), scheduler="synchronous", out="one.nc").data
    alpha = ds["parameters.alpha"].values
    assert np.allclose(ds["spectral_radius"].values, (1 - alpha)[:, None], atol=1e-12, rtol=0)
    assert np.all(ds["n_unstable"].values == 0)


def test_a_point_that_raises_is_recorded_and_the_rest_completes(write_spec, monkeypatch):
    spec = {
        "economy": "../economies/orchestration_taylor.yaml",
        "vary": {"parameters.alpha": ["1/4", "3/2", "1/2"], "taylor.phi_lat": [0, 5]},
        "compute": ["spectral_radius"],
    }
    res = run_sweep(write_spec("bad", spec), scheduler="synchronous", out="bad.parquet")
    ds = res.data
    assert res.failures == 2
    err = ds["error"].values
    assert all("parameters.alpha" in e and "(0, 1)" in e for e in err[1])  # α = 3/2 is outside (0, 1)
    assert set(ds["error_type"].values[1]) == {"ValidationError"}
    assert np.all(np.isnan(ds["spectral_radius"].values[1]))
    assert np.all(np.isfinite(ds["spectral_radius"].values[[0, 2]])) and not any(err[[0, 2]].ravel())


def test_an_unexpected_exception_is_an_internal_failure_with_its_type(write_spec, monkeypatch):
    import dsge.orchestration.linear as linear

    real = linear.spectral_radius

    def flaky(econ, steady, **kw):
        if steady.policy is not None and steady.policy.phi_lat == 5:
            raise KeyError("boom")
        return real(econ, steady, **kw)

    monkeypatch.setattr(linear, "spectral_radius", flaky)
    spec = {
        "economy": "../economies/orchestration_taylor.yaml",
        "vary": {"taylor.phi_lat": [0, 5, 10]},
        "compute": ["spectral_radius"],
    }
    ds = run_sweep(write_spec("flaky", spec), scheduler="synchronous", out="flaky.zarr").data
    assert list(ds["error_type"].values) == ["", "KeyError", ""]
    assert "internal error KeyError" in ds["error"].values[1]
    assert np.isfinite(ds["spectral_radius"].values[[0, 2]]).all()


def test_resume_after_an_interruption_gives_the_same_result(write_spec, assert_same):
    path = write_spec("nk", NK)
    n_chunks = -(-13 * 5 // 4)
    calls = []

    def interrupt(done, total, phase):
        calls.append(done)
        if len(calls) == 5:  # the initial call, then four chunks
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(path, scheduler="synchronous", out="resumed.zarr", progress=interrupt)
    resumed = run_sweep(path, scheduler="synchronous", out="resumed.zarr")
    assert resumed.resumed_chunks == 4 and resumed.computed_chunks == n_chunks - 4
    fresh = run_sweep(path, scheduler="synchronous", out="fresh.zarr")
    assert fresh.resumed_chunks == 0 and fresh.computed_chunks == n_chunks
    assert_same(resumed.data, fresh.data)
    again = run_sweep(path, scheduler="synchronous", out="fresh.zarr")  # finished: nothing recomputed
    assert again.computed_chunks == 0 and again.summary["already_complete"]
    assert_same(again.data, fresh.data)


def test_another_spec_is_not_mixed_into_existing_results(write_spec):
    path = write_spec("nk", NK)
    run_sweep(path, scheduler="synchronous", out="r.zarr")
    other = write_spec("nk2", {**NK, "compute": ["bk_status"]})
    with pytest.raises(ValidationError, match="--overwrite"):
        run_sweep(other, scheduler="synchronous", out="r.zarr")
    res = run_sweep(other, scheduler="synchronous", out="r.zarr", overwrite=True)
    assert set(res.data.data_vars) == {"bk_status", "error", "error_type", "seconds"}


@pytest.mark.parametrize("ext", [".zarr", ".nc", ".parquet"])
def test_output_formats_round_trip(write_spec, ext):
    res = run_sweep(write_spec("nk", NK), scheduler="synchronous", out=f"nk{ext}")
    back = read_output(f"nk{ext}")
    if ext == ".parquet":
        assert len(back) == 13 * 5 and set(back["bk_status"]) <= {"determinate", "indeterminate"}
        assert back.loc[0, "parameters.phi_pi"] == 0.0
    else:
        assert back["bk_status"].dims == ("parameters.phi_pi", "parameters.phi_y")
        assert (back["bk_status"].values == res.data["bk_status"].values).all()
        assert back.attrs["digest"] == load_spec("sweeps/nk.yaml").digest
    with pytest.raises(ValidationError, match=r"\.zarr, \.nc or \.parquet"):
        run_sweep("sweeps/nk.yaml", scheduler="synchronous", out="nk.csv")


def test_compile_once_gives_the_same_numbers(write_spec, assert_same):
    spec = {
        "economy": "../economies/orchestration_taylor.yaml",
        "vary": {"taylor.phi_lat": [0, 10], "taylor.phi_qual": [0, 10], "parameters.tau": ["1/5", "2/5"]},
        "compute": ["spectral_radius", "bk_status"],
    }
    path = write_spec("cache", spec)
    a = run_sweep(path, scheduler="synchronous", out="a.zarr")
    b = run_sweep(path, scheduler="synchronous", out="b.zarr", cache=False)
    assert_same(a.data, b.data)


def test_bad_scheduler_and_workers():
    from geo_sym.sweep import Engine

    with pytest.raises(ValidationError, match="--workers"):
        Engine("local", 0)
    with pytest.raises(ValidationError, match="--scheduler"):
        with Engine("tcp://127.0.0.1:1", None, connect_timeout=2):
            pass


@pytest.mark.slow
def test_synchronous_and_a_two_worker_local_cluster_agree(write_spec, assert_same):
    random = {
        "economy": "../economies/orchestration_taylor.yaml",
        "vary": {"taylor.phi_lat": {"uniform": [0, 20]}, "parameters.tau": {"loguniform": ["1/10", 1]}},
        "samples": 40,
        "seed": 3,
        "batch": 3,
        "compute": ["spectral_radius", "n_unstable", "bk_status"],
    }
    for name, data in (("nk", NK), ("random", random)):
        path = write_spec(name, data)
        a = run_sweep(path, scheduler="synchronous", out=f"{name}-sync.zarr")
        b = run_sweep(path, scheduler="local", workers=2, out=f"{name}-local.zarr")
        assert b.failures == a.failures
        assert_same(a.data, b.data)
