"""Fixtures for the DSGE backend tests: a private compiled-model cache and the example models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[2] / "examples" / "models"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the tests' compiled-model cache out of the user's home directory."""
    old = os.environ.get("GEO_SYM_CACHE")
    os.environ["GEO_SYM_CACHE"] = str(tmp_path_factory.mktemp("geo_sym_cache"))
    yield
    if old is None:
        os.environ.pop("GEO_SYM_CACHE", None)
    else:
        os.environ["GEO_SYM_CACHE"] = old


@pytest.fixture(scope="session")
def models_dir() -> Path:
    return MODELS


@pytest.fixture(scope="session")
def nk3(_private_cache):
    import dsge

    return dsge.load_model(MODELS / "nk3.yaml")


@pytest.fixture(scope="session")
def rbc(_private_cache):
    import dsge

    return dsge.load_model(MODELS / "rbc.yaml")


@pytest.fixture(scope="session")
def brock_mirman(_private_cache):
    import dsge

    return dsge.load_model(MODELS / "brock_mirman.yaml")
