"""The points of a sweep and their chunks.

A grid's points are the cartesian product of the vary entries in C order (the last path varies
fastest), so point ``i`` sits at ``numpy.unravel_index(i, spec.shape)``. A random sweep draws every
sample from its own generator, ``numpy.random.default_rng([seed, i])``: a point's values never
depend on how the points are chunked or scheduled. Chunks are contiguous runs of ``batch`` points;
one chunk is one Dask task and the unit of resumption.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = ["Chunk", "point_values", "coordinate_arrays", "chunks", "point_rng", "substitution_value"]


@dataclass(frozen=True)
class Chunk:
    """Points ``start .. stop-1`` of a sweep; ``index`` numbers the chunk."""

    index: int
    start: int
    stop: int

    @property
    def points(self) -> range:
        return range(self.start, self.stop)


def chunks(n_points: int, batch: int) -> list[Chunk]:
    """Contiguous chunks of ``batch`` points (the last one may be shorter)."""
    return [Chunk(k, s, min(s + batch, n_points)) for k, s in enumerate(range(0, n_points, batch))]


def point_rng(seed: int, index: int) -> np.random.Generator:
    """The generator of point ``index``: independent of chunking and of the scheduler."""
    return np.random.default_rng([int(seed), int(index)])


def _draw(entry, rng: np.random.Generator):
    lo, hi = entry.bounds if entry.bounds else (None, None)
    if entry.kind == "uniform":
        return float(rng.uniform(lo, hi))
    if entry.kind == "loguniform":
        return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    return entry.values[int(rng.integers(len(entry.values)))]


def point_values(spec, index: int) -> tuple:
    """The values of the varied paths at point ``index`` (``Fraction``, ``float`` or ``str``)."""
    if spec.kind == "grid":
        idx = np.unravel_index(index, spec.shape)
        return tuple(e.values[int(i)] for e, i in zip(spec.vary, idx))
    rng = point_rng(spec.seed, index)
    return tuple(_draw(e, rng) for e in spec.vary)


def substitution_value(value):
    """A value as written into the file: exact ``"p/q"`` strings for fractions, floats as they are."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    return value


def coordinate_arrays(spec) -> dict:
    """Grid coordinates per path (floats, or strings for names); for random sweeps the drawn values."""
    if spec.kind == "grid":
        return {e.path: _coord(e.values) for e in spec.vary}
    cols = list(zip(*(point_values(spec, i) for i in range(spec.n_points)))) if spec.vary else []
    return {e.path: _coord(c) for e, c in zip(spec.vary, cols)}


def _coord(values):
    if values and isinstance(values[0], str):
        return np.array(values, dtype=str)
    return np.array([float(v) for v in values], dtype=float)
