"""Sweeps on Dask: parameter studies, counterexample searches and basins of attraction (issue 13).

::

    from geo_sym.sweep import load_spec, run_sweep

    res = run_sweep("examples/sweeps/taylor_4d.yaml", scheduler="local", out="taylor_4d.zarr")
    res.data            # xarray.Dataset: one variable per computed item, one dimension per varied path
    res.plot()          # the figure

Names are imported on first use (``import geo_sym.sweep`` does not import Dask).
"""

from __future__ import annotations

import importlib

_LOCATIONS = {
    "load_spec": "geo_sym.sweep.spec",
    "spec_from_dict": "geo_sym.sweep.spec",
    "SweepSpec": "geo_sym.sweep.spec",
    "run_sweep": "geo_sym.sweep.runner",
    "Engine": "geo_sym.sweep.engine",
    "SweepResult": "geo_sym.sweep.results",
    "read_output": "geo_sym.sweep.storage",
    "random_economy": "geo_sym.sweep.generator",
    "shrink_counterexample": "geo_sym.sweep.shrink",
}

__all__ = sorted(_LOCATIONS)


def __getattr__(name):
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'geo_sym.sweep' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
