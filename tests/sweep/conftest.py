"""Fixtures of the sweep tests: small specs written into a temporary folder next to copies of the examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A folder with economies/ and models/ copied from the examples; the current directory."""
    shutil.copytree(EXAMPLES / "economies", tmp_path / "economies")
    shutil.copytree(EXAMPLES / "models", tmp_path / "models")
    (tmp_path / "sweeps").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def write_spec(workdir):
    """``write_spec(name, mapping)``: a spec file in ``workdir/sweeps`` (relative paths point to ../economies)."""

    def write(name: str, data: dict) -> Path:
        path = workdir / "sweeps" / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    return write


def same_results(a, b) -> None:
    """Every variable of two result Datasets equal (NaN equal to NaN), except the wall times."""
    import numpy as np

    assert set(a.data_vars) == set(b.data_vars)
    for name in a.data_vars:
        if name == "seconds":
            continue
        x, y = a[name].values, b[name].values
        assert x.shape == y.shape, name
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), name
        else:
            assert (x == y).all(), name
    for c in a.coords:
        assert np.array_equal(a[c].values, b[c].values), c


@pytest.fixture
def assert_same():
    return same_results
