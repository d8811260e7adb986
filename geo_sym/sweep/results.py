"""Sweep results: rows of points assembled into an :class:`xarray.Dataset`, and the result object.

Grid sweeps: one Dataset variable per computed item, one dimension per varied path (named by the
path), coordinates the grid values; the ``verdicts`` item adds a ``claim`` dimension and ``basins``
an ``equilibrium`` dimension. Random sweeps, searches and basins have one ``point`` dimension, with
the drawn values as coordinates. Every sweep has ``error`` (empty when the point was computed, else
``"item: message"``), ``error_type`` and ``seconds`` (wall time of the point: not a result). Missing
numbers are NaN and missing strings empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["SweepResult", "variables_of", "assemble"]

_DESCRIPTIONS = {
    "spectral_radius": "spectral radius of the linearized map at the steady state, tangent space (eq. (17))",
    "n_unstable": "number of eigenvalue moduli above 1 + tolerance",
    "bk_status": "Blanchard-Kahn status: determinate, indeterminate or no-stable-solution",
    "irf_peak": "largest absolute response of the variable to the shock",
    "verdict": "status of each claim on the economy at this point",
    "verified": "refutations re-checked by the independent verifier: confirmed or not confirmed",
    "fixed_points": "number of fixed points certified by a Krawczyk test",
    "fixed_points_complete": "1 when an exhaustive search proved there are no other fixed points",
    "equilibria": "number of certified equilibria",
    "basin_share": "share of the seeded starts whose iterates converge to each certified equilibrium",
    "basin_unclassified": "share of starts that reached no certified equilibrium within the iteration budget",
    "error": "empty when every item was computed, else 'item: message'",
    "error_type": "type of the first failure",
    "seconds": "wall time of the point (not a result)",
}


def variables_of(compute) -> list:
    """``[(name, "f" | "s", extra dims, extra coords)]`` of a grid or random sweep's items."""
    out = []
    for item in compute:
        n = item.name
        if n in ("spectral_radius", "n_unstable", "irf_peak"):
            out.append((n, "f", (), {}))
        elif n == "bk_status":
            out.append((n, "s", (), {}))
        elif n == "verdicts":
            claims = {"claim": np.array(list(item.option("claims")), dtype=str)}
            out += [("verdict", "s", ("claim",), claims), ("verified", "s", ("claim",), claims)]
        elif n == "fixed_points":
            out.append(("fixed_points", "f", (), {}))
            if item.option("all", False):
                out.append(("fixed_points_complete", "f", (), {}))
        elif n == "basins":
            m = int(item.option("max_equilibria", 4))
            out += [
                ("equilibria", "f", (), {}),
                ("basin_share", "f", ("equilibrium",), {"equilibrium": np.arange(m)}),
                ("basin_unclassified", "f", (), {}),
            ]
    return out + [("error", "s", (), {}), ("error_type", "s", (), {}), ("seconds", "f", (), {})]


def _column(rows, name, kind, extra_shape):
    n = len(rows)
    if kind == "f":
        arr = np.full((n, *extra_shape), np.nan)
    else:
        arr = np.full((n, *extra_shape), "", dtype=object)
    for i, r in enumerate(rows):
        v = r.get(name) if name in ("error", "error_type", "seconds") else r["values"].get(name)
        if v is None:
            continue
        arr[i] = v
    return arr if kind == "f" else arr.astype(str)


def assemble(spec, rows: list, coords: dict, attrs: dict):
    """The Dataset of a grid or random sweep from its rows (sorted by point index)."""
    import xarray as xr

    rows = sorted(rows, key=lambda r: r["index"])
    data_vars, all_coords = {}, {}
    if spec.kind == "grid":
        dims = tuple(e.path for e in spec.vary)
        shape = spec.shape
        all_coords.update({e.path: coords[e.path] for e in spec.vary})
    else:
        dims, shape = ("point",), (spec.n_points,)
        all_coords["point"] = np.arange(spec.n_points)
        all_coords.update({e.path: ("point", coords[e.path]) for e in spec.vary})
    for name, kind, extra, extra_coords in variables_of(spec.compute):
        extra_shape = tuple(len(extra_coords[d]) for d in extra)
        col = _column(rows, name, kind, extra_shape)
        data_vars[name] = (dims + extra, col.reshape(shape + extra_shape), {"description": _DESCRIPTIONS.get(name, "")})
        all_coords.update(extra_coords)
    return xr.Dataset(data_vars, coords=all_coords, attrs=attrs)


@dataclass(frozen=True, eq=False)
class SweepResult:
    """The outcome of :func:`geo_sym.sweep.run_sweep`.

    Attributes
    ----------
    name, kind : str
    data : xarray.Dataset
        The results (see the module docstring); ``to_frame()`` gives one row per point.
    out : pathlib.Path or None
        Where they were written.
    points, failures : int
        Points in the sweep and points with at least one failed item.
    computed_chunks, resumed_chunks : int
        Chunks computed by this run and chunks read back from an interrupted one.
    seconds : float
        Wall time of this run.
    summary : dict
        Kind-specific figures: counts per verdict and the shrunk counterexample (search), the
        certified equilibria and basin shares (basins).
    """

    name: str
    kind: str
    data: object = field(repr=False)
    out: object
    points: int
    failures: int
    computed_chunks: int
    resumed_chunks: int
    seconds: float
    summary: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return (
            f"SweepResult({self.name!r}, kind={self.kind}, points={self.points}, failures={self.failures}, "
            f"computed_chunks={self.computed_chunks}, resumed_chunks={self.resumed_chunks})"
        )

    def to_frame(self):
        """One row per point (pandas)."""
        return self.data.to_dataframe().reset_index()

    def to_dict(self) -> dict:
        """The ``--json`` summary: points, failures, wall time, where the results are."""
        return {
            "name": self.name,
            "kind": self.kind,
            "points": self.points,
            "failures": self.failures,
            "computed_chunks": self.computed_chunks,
            "resumed_chunks": self.resumed_chunks,
            "wall_seconds": round(self.seconds, 3),
            "out": None if self.out is None else str(self.out),
            **self.summary,
        }

    def plot(self, variable: str | None = None, path=None, dpi: int | None = None):
        """The figure of the sweep (a map, facets of maps, verdict counts or basins); returns it.

        Written to ``path`` when given (:func:`geo_sym.render.plot_style.save_figure`: 300 dpi raster by
        default, vector for ``.pdf``/``.svg``).
        """
        from geo_sym.render.plot_style import save_figure
        from geo_sym.sweep.plots import plot_result

        fig = plot_result(self, variable)
        if path is not None:
            save_figure(fig, path, dpi)
        return fig
