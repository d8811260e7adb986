"""Where sweep results go: chunk files while running, one Dataset or table at the end.

While a sweep runs, the client (never a worker) writes each finished chunk to
``OUT.partial/chunk-NNNNNN.json`` next to ``--out`` (atomically: a temporary file renamed into
place) together with ``manifest.json`` holding the sweep's digest. A re-run of the same spec and
``--out`` reads the chunks already there and computes only the others; a different spec is refused
rather than mixed in. At the end the rows are assembled into an :class:`xarray.Dataset` (grids:
one dimension per varied path, named by the path, coordinates the grid values; random sweeps,
searches and basins: one ``point`` dimension) and written by extension: ``.zarr`` (Zarr, format 2
so strings are stable), ``.nc`` (NetCDF 4 through h5netcdf) or ``.parquet`` (a table, one row per
point). The partial folder is then removed; the finished file carries the digest in its
attributes, so running the same spec again finds it complete and computes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from geo_sym.errors import OptionalDependencyError, ValidationError

__all__ = ["FORMATS", "output_format", "PartialStore", "write_output", "read_output", "output_digest"]

FORMATS = {".zarr": "zarr", ".nc": "netcdf", ".parquet": "parquet"}


def output_format(path) -> str:
    """``zarr``, ``netcdf`` or ``parquet`` from the file name's extension."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise ValidationError("--out", str(path), "a file name ending in .zarr, .nc or .parquet")
    return FORMATS[ext]


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class PartialStore:
    """The chunk files of an unfinished sweep (``OUT.partial/``), written by the client only."""

    def __init__(self, out: Path, digest: str, n_chunks: int, overwrite: bool = False):
        self.out = Path(out)
        self.folder = self.out.with_name(self.out.name + ".partial")
        self.digest = digest
        self.n_chunks = n_chunks
        if overwrite and self.folder.exists():
            shutil.rmtree(self.folder)
        manifest = self.folder / "manifest.json"
        if self.folder.exists():
            try:
                old = json.loads(manifest.read_text())
            except (OSError, ValueError):
                old = None
            if not isinstance(old, dict) or old.get("digest") != digest:
                raise ValidationError(
                    "--out",
                    str(self.out),
                    f"the same spec to resume (the unfinished results in {self.folder} come from a different spec "
                    "or base file); use another --out, or --overwrite to discard them",
                )

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _atomic_write_text(self.folder / "manifest.json", json.dumps({"digest": self.digest, "chunks": self.n_chunks}))

    def _chunk_path(self, k: int) -> Path:
        return self.folder / f"chunk-{k:06d}.json"

    def done(self) -> dict:
        """``{chunk index: rows}`` of the chunks already written (unreadable files are recomputed)."""
        out = {}
        if not self.folder.exists():
            return out
        for p in sorted(self.folder.glob("chunk-*.json")):
            try:
                k = int(p.stem.split("-")[1])
                rows = json.loads(p.read_text())
            except (OSError, ValueError, IndexError):
                continue
            if isinstance(rows, list) and 0 <= k < self.n_chunks:
                out[k] = rows
        return out

    def write(self, k: int, rows: list) -> None:
        _atomic_write_text(self._chunk_path(k), json.dumps(rows, default=_json_default))

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _json_default(v):
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, np.ndarray):
        return v.tolist()
    raise TypeError(f"not JSON serializable: {type(v).__name__}")


# ------------------------------------------------------------------------------------------ final files
def _need(module: str, what: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise OptionalDependencyError(f"{what} needs {module}: pip install 'geo-sym[sweep]'") from exc


def write_output(ds, path, fmt: str) -> None:
    """Write the Dataset ``ds`` to ``path`` (replacing it) in format ``fmt``, through a temporary name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    _remove(tmp)
    if fmt == "zarr":
        _need("zarr", "writing .zarr")
        ds.to_zarr(tmp, mode="w", zarr_format=2, consolidated=True)
    elif fmt == "netcdf":
        _need("h5netcdf", "writing .nc")
        _need("h5py", "writing .nc")
        ds.to_netcdf(tmp, engine="h5netcdf")
    else:
        _need("pyarrow", "writing .parquet")
        table = ds.to_dataframe().reset_index()
        _parquet_write(table, tmp, ds.attrs)
    _remove(path)
    os.replace(tmp, path)


def _parquet_write(frame, path: Path, attrs: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"geo_sym.sweep"] = json.dumps(attrs, default=str).encode()
    pq.write_table(table.replace_schema_metadata(meta), path)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def read_output(path, fmt: str | None = None):
    """The results file as an :class:`xarray.Dataset` (zarr, netcdf) or a :class:`pandas.DataFrame` (parquet)."""
    fmt = fmt or output_format(path)
    if fmt == "parquet":
        _need("pyarrow", "reading .parquet")
        import pandas as pd

        return pd.read_parquet(path)
    import xarray as xr

    if fmt == "zarr":
        return xr.open_zarr(path, consolidated=True).load()
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds.load()


def output_attrs(path, fmt: str) -> dict:
    """The attributes stored with a results file (``{}`` when it cannot be read)."""
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            meta = pq.read_schema(path).metadata or {}
            return json.loads(meta.get(b"geo_sym.sweep", b"{}"))
        import xarray as xr

        if fmt == "zarr":
            return dict(xr.open_zarr(path, consolidated=True).attrs)
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            return dict(ds.attrs)
    except (OSError, ValueError, KeyError, ImportError):
        return {}


def output_digest(path, fmt: str) -> str | None:
    """The digest of the sweep that wrote ``path`` (``None`` when absent or unreadable)."""
    if not Path(path).exists():
        return None
    return output_attrs(path, fmt).get("digest")
