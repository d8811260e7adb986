"""``geo-sym sweep`` on the command line: JSON summary, one-line errors, a real kill and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geo_sym.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NK = {
    "model": "../models/nk3.yaml",
    "vary": {"parameters.phi_pi": {"grid": [0, 3, 7]}, "parameters.phi_y": [0, 0.5]},
    "compute": ["bk_status"],
    "batch": 2,
}


def test_json_summary(write_spec, capsys):
    path = write_spec("nk", NK)
    assert main(["sweep", str(path), "--scheduler", "synchronous", "--out", "nk.nc", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["points"] == 14 and out["failures"] == 0 and out["out"].endswith("nk.nc")
    assert out["computed_chunks"] == 7 and "wall_seconds" in out


def test_bad_spec_is_one_line_and_exit_2(write_spec, capsys):
    path = write_spec("bad", {**NK, "vary": {"parameters.nope": [1]}})
    assert main(["sweep", str(path), "--scheduler", "synchronous"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("geo-sym: error: vary.parameters.nope")


def test_missing_spec(capsys):
    assert main(["sweep", "no/such/spec.yaml"]) == 2
    assert "spec.yaml" in capsys.readouterr().err


@pytest.mark.slow
def test_a_killed_sweep_resumes_with_the_same_result(write_spec, workdir, assert_same):
    spec = {
        "economy": "../economies/orchestration_taylor.yaml",
        "vary": {
            "taylor.phi_lat": {"grid": [0, 20, 9]},
            "taylor.phi_qual": {"grid": [0, 20, 9]},
            "parameters.tau": ["1/5", "1/4"],
        },
        "compute": ["spectral_radius"],
        "batch": 2,
    }
    path = write_spec("kill", spec)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable,
        "-m",
        "geo_sym",
        "sweep",
        str(path),
        "--scheduler",
        "synchronous",
        "--out",
        "k.zarr",
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, env=env, cwd=workdir)
    partial = workdir / "k.zarr.partial"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(partial.glob("chunk-*.json"))) < 5:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(partial.glob("chunk-*.json")))
    assert 5 <= done < 81 and not (workdir / "k.zarr").exists()
    out = subprocess.run([*cmd[:-1], "--json"], env=env, cwd=workdir, capture_output=True, text=True, check=True)
    summary = json.loads(out.stdout)
    assert summary["resumed_chunks"] == done and summary["computed_chunks"] == 81 - done
    from geo_sym.sweep import read_output, run_sweep

    fresh = run_sweep(path, scheduler="synchronous", out="fresh.zarr")
    assert_same(read_output(workdir / "k.zarr"), fresh.data)
