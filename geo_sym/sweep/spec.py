"""Sweep specifications: what to vary, in which file, and what to compute at each point.

A spec is a YAML file (read with the safe loader, validated here, every problem naming its field)::

    economy: ../economies/orchestration_taylor.yaml   # or  model: ../models/nk3.yaml  (relative to the spec)
    vary:
      taylor.phi_lat: {grid: [0, 20, 21]}             # lo, hi, n (inclusive, exact rationals)
      taylor.phi_qual: {grid: [0, 20, 21]}
    compute: [spectral_radius]

Kinds: ``grid`` (every vary entry a ``grid`` or a ``list``: the cartesian product), ``random``
(every entry a seeded distribution ``uniform``, ``loguniform`` or ``choice``, with ``samples: N``),
``search`` (random economies for a claim, see :mod:`geo_sym.sweep.generator`) and ``basins``
(§9.1: many starts on one economy, see :mod:`geo_sym.sweep.basins`). ``grid`` and ``random`` are
inferred from ``vary`` when ``kind`` is absent. ``docs/sweeps.md`` documents every key.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from geo_sym.errors import ModelFileError, UnknownNameError, ValidationError
from geo_sym.sweep.paths import parse_path, path_text, resolve_parent

__all__ = ["SweepSpec", "VaryEntry", "ComputeItem", "load_spec", "spec_from_dict", "FORMAT_VERSION"]

FORMAT_VERSION = 1
KINDS = ("grid", "random", "search", "basins")
ITEMS = ("spectral_radius", "n_unstable", "bk_status", "verdicts", "fixed_points", "basins", "irf_peak")
MODEL_ITEMS = ("bk_status", "n_unstable", "irf_peak")
MAX_POINTS = 10_000_000
_ENTRY_FORMS = "{grid: [lo, hi, n]}, {list: [...]}, {uniform: [lo, hi]}, {loguniform: [lo, hi]} or {choice: [...]}"
_COMMON = ("kind", "name", "description", "seed", "batch", "out")
_KEYS = {
    "grid": (*_COMMON, "economy", "model", "vary", "compute"),
    "random": (*_COMMON, "economy", "model", "vary", "compute", "samples"),
    "search": (*_COMMON, "claim", "samples", "generator", "shrink"),
    "basins": (*_COMMON, "economy", "starts", "iterate", "slice", "equilibria"),
}
_OPTIONS = {
    "spectral_radius": ("policy", "tol"),
    "n_unstable": ("policy", "tol"),
    "bk_status": ("policy", "tol", "jumps"),
    "verdicts": ("claims",),
    "fixed_points": ("all", "starts", "max_boxes"),
    "basins": ("starts", "max_iter", "tol", "max_equilibria"),
    "irf_peak": ("variable", "shock", "periods", "size", "policy"),
}


@dataclass(frozen=True)
class VaryEntry:
    """One varied value: its dotted path and how its values are chosen.

    ``values`` holds the exact grid or list values (``Fraction`` for numbers, ``str`` otherwise);
    ``bounds`` the ``(lo, hi)`` of a distribution; ``choices`` the values a ``choice`` draws from.
    """

    path: str
    segments: tuple
    kind: str
    values: tuple = ()
    bounds: tuple = ()


@dataclass(frozen=True)
class ComputeItem:
    """A quantity computed at every point, with its options (a sorted tuple of ``(key, value)``)."""

    name: str
    options: tuple = ()

    def option(self, key, default=None):
        return dict(self.options).get(key, default)


@dataclass(frozen=True, eq=False)
class SweepSpec:
    """A validated sweep specification (see the module docstring and ``docs/sweeps.md``).

    Attributes
    ----------
    kind : {"grid", "random", "search", "basins"}
    base_kind : {"economy", "model"} or None
    base_path : pathlib.Path or None
    base_text : str
        The base file's text (sent to the workers: they never read files).
    base_doc : dict or None
        The parsed base file.
    vary : tuple of VaryEntry
    compute : tuple of ComputeItem
    samples, seed, batch : int
    out : pathlib.Path or None
        ``out`` of the spec, resolved against its folder.
    options : dict
        Kind-specific sections (``claim``, ``generator``, ``shrink``, ``starts``, ``iterate``, ``slice``, ``equilibria``).
    text : str
        The spec as written.
    digest : str
        SHA-256 of the spec (without ``out``) and of the base file's content: results with the same
        digest are the same results, so a re-run resumes them.
    """

    kind: str
    name: str
    base_kind: str | None
    base_path: Path | None
    base_text: str = field(repr=False)
    base_doc: dict | None = field(repr=False)
    vary: tuple
    compute: tuple
    samples: int
    seed: int
    batch: int
    out: Path | None
    options: dict = field(repr=False)
    text: str = field(repr=False)
    digest: str = ""

    def __repr__(self) -> str:
        return f"SweepSpec({self.name!r}, kind={self.kind}, points={self.n_points}, digest={self.digest[:12]})"

    @property
    def shape(self) -> tuple:
        """Grid shape (one axis per varied path); ``(samples,)`` otherwise."""
        if self.kind == "grid":
            return tuple(len(v.values) for v in self.vary)
        return (self.n_points,)

    @property
    def n_points(self) -> int:
        if self.kind == "grid":
            return math.prod(len(v.values) for v in self.vary)
        return self.samples


def load_spec(path) -> SweepSpec:
    """Read and validate a sweep spec file; relative paths in it are resolved against its folder.

    Raises
    ------
    ModelFileError, ValidationError
        Naming the field, the value and what was expected.
    """
    from geo_sym.economy.files import parse_yaml, read_text

    text = read_text(path, "sweep spec")
    return spec_from_dict(parse_yaml(text, str(path)), folder=Path(path).resolve().parent, text=text, source=str(path))


def spec_from_dict(data, *, folder=".", text: str = "", source: str = "spec") -> SweepSpec:
    """Validate a spec given as a mapping (relative file names resolved against ``folder``)."""
    from geo_sym.economy.files import require_kind

    require_kind(data, source, "sweep")
    if not isinstance(data, dict):
        raise ModelFileError(source, type(data).__name__, "a mapping with the keys of a sweep spec")
    folder = Path(folder)
    kind = data.get("kind") or _infer_kind(data)
    if kind not in KINDS:
        raise ValidationError("kind", kind, f"one of {', '.join(KINDS)}")
    for key in data:
        if key not in _KEYS[kind]:
            raise ModelFileError(str(key), data[key], f"a key of a {kind} spec: {', '.join(_KEYS[kind])}")
    seed = _int(data.get("seed", 0), "seed", 0)
    base_kind, base_path, base_text, base_doc = _base(data, kind, folder)
    vary = _vary(data, kind, base_kind, base_doc)
    compute = _compute(data, kind, base_kind)
    samples = _samples(data, kind)
    n_points = math.prod(len(v.values) for v in vary) if kind == "grid" else samples
    if n_points > MAX_POINTS:
        raise ValidationError("vary", n_points, f"at most {MAX_POINTS} points")
    batch = _int(data["batch"], "batch", 1) if "batch" in data else max(1, min(64, math.ceil(n_points / 200)))
    out = data.get("out")
    if out is not None and not isinstance(out, str):
        raise ValidationError("out", out, "a file name ending in .zarr, .nc or .parquet")
    options = {
        k: data[k] for k in ("claim", "generator", "shrink", "starts", "iterate", "slice", "equilibria") if k in data
    }
    name = str(data.get("name") or Path(source).stem)
    ident = {k: v for k, v in data.items() if k not in ("out", "economy", "model", "name", "description")}
    ident["base"] = hashlib.sha256(base_text.encode()).hexdigest() if base_text else None
    ident["format"] = FORMAT_VERSION
    ident["batch"] = batch
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True, default=str).encode()).hexdigest()
    return SweepSpec(
        kind=kind,
        name=name,
        base_kind=base_kind,
        base_path=base_path,
        base_text=base_text,
        base_doc=base_doc,
        vary=vary,
        compute=compute,
        samples=samples,
        seed=seed,
        batch=batch,
        out=(folder / out) if out else None,
        options=options,
        text=text or json.dumps(data, default=str),
        digest=digest,
    )


# ------------------------------------------------------------------------------------------ pieces
def _infer_kind(data) -> str:
    vary = data.get("vary")
    if isinstance(vary, dict) and vary:
        for path, how in vary.items():
            if _entry_kind(how) not in ("grid", "list", "uniform", "loguniform", "choice"):
                raise ValidationError(f"vary.{path}", how, _ENTRY_FORMS)
        kinds = {_entry_kind(v) for v in vary.values()}
        if kinds <= {"grid", "list"}:
            return "grid"
        if kinds <= {"uniform", "loguniform", "choice"}:
            return "random"
        raise ValidationError(
            "vary",
            sorted(kinds),
            "all entries grids/lists (a grid sweep) or all distributions uniform/loguniform/choice "
            "(a random sweep with samples: N)",
        )
    return "grid"


def _entry_kind(raw) -> str:
    if isinstance(raw, list):
        return "list"
    if isinstance(raw, dict) and len(raw) == 1:
        return next(iter(raw))
    return "?"


def _int(value, field: str, lo: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < lo:
        raise ValidationError(field, value, f"an integer >= {lo}")
    return value


def _samples(data, kind) -> int:
    if kind in ("random", "search"):
        if "samples" not in data:
            raise ModelFileError("samples", None, f"the number of points of a {kind} sweep (samples: N)")
        return _int(data["samples"], "samples", 1)
    if kind == "basins":
        starts = _int(data.get("starts", 1000), "starts", 1)
        sl = data.get("slice")
        n = sl.get("n", 101) if isinstance(sl, dict) else 0
        return starts + (n * n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 0)
    return 0


def _base(data, kind, folder: Path):
    from geo_sym.economy.files import parse_yaml, read_text, require_kind

    if kind == "search":
        return None, None, "", None
    keys = [k for k in ("economy", "model") if k in data]
    if kind == "basins" and "model" in data:
        raise ValidationError("model", data["model"], "an economy: basins are those of an economy's map")
    if len(keys) != 1:
        raise ModelFileError("economy", None, "exactly one of 'economy: FILE' or 'model: FILE' (relative to the spec)")
    key = keys[0]
    if not isinstance(data[key], str):
        raise ValidationError(key, data[key], "a file name (relative to the spec's folder)")
    path = (folder / data[key]).resolve()
    text = read_text(path, f"{key} file")
    doc = parse_yaml(text, str(path))
    require_kind(doc, str(path), key)
    if not isinstance(doc, dict):
        raise ModelFileError(str(path), type(doc).__name__, f"a mapping (an {key} file)")
    return key, path, text, doc


def _number_or_text(value, field: str):
    from geo_sym.economy.numbers import parse_number

    if isinstance(value, str):
        try:
            return Fraction(str(parse_number(value, field)))
        except ValidationError:
            return value
    r = parse_number(value, field)
    return Fraction(int(r.p), int(r.q))


def _vary(data, kind, base_kind, base_doc) -> tuple:
    if kind in ("search", "basins"):
        return ()
    raw = data.get("vary")
    if not isinstance(raw, dict) or not raw:
        raise ModelFileError("vary", raw, "a mapping {dotted.path: {grid: [lo, hi, n]} | {list: [...]} | ...}")
    out = []
    for path, how in raw.items():
        field = f"vary.{path}"
        segments = parse_path(path, field)
        resolve_parent(base_doc, segments, field)
        if segments[0] == ("key", "parameters") and len(segments) == 2:
            names = list(base_doc.get("parameters") or {}) if base_kind == "model" else ["alpha", "beta", "tau"]
            if segments[1][1] not in names:
                raise UnknownNameError(field, segments[1][1], f"a parameter of the {base_kind}: " + ", ".join(names))
        out.append(_entry(path_text(segments), segments, how, field, kind))
    return tuple(out)


def _entry(path, segments, how, field, kind) -> VaryEntry:
    ek = _entry_kind(how)
    if isinstance(how, list):
        how = {"list": how}
    if ek not in ("grid", "list", "uniform", "loguniform", "choice"):
        raise ValidationError(
            field,
            how,
            _ENTRY_FORMS,
        )
    if (kind == "grid") != (ek in ("grid", "list")):
        raise ValidationError(
            field, how, f"{'a grid or a list' if kind == 'grid' else 'a distribution'} in a {kind} sweep"
        )
    arg = how[ek]
    if ek == "grid":
        if not isinstance(arg, list) or len(arg) != 3:
            raise ValidationError(f"{field}.grid", arg, "[lo, hi, n] with n >= 1 points (inclusive)")
        lo, hi = (_number_or_text(v, f"{field}.grid") for v in arg[:2])
        if isinstance(lo, str) or isinstance(hi, str):
            raise ValidationError(f"{field}.grid", arg, "numbers lo and hi")
        n = _int(arg[2], f"{field}.grid[2]", 1)
        vals = (lo,) if n == 1 else tuple(lo + (hi - lo) * Fraction(i, n - 1) for i in range(n))
        return VaryEntry(path, segments, ek, vals)
    if ek in ("list", "choice"):
        if not isinstance(arg, list) or not arg:
            raise ValidationError(f"{field}.{ek}", arg, "a non-empty list of values")
        vals = tuple(_number_or_text(v, f"{field}.{ek}[{i}]") for i, v in enumerate(arg))
        if len({type(v) for v in vals}) > 1:
            raise ValidationError(f"{field}.{ek}", arg, "values that are all numbers or all names")
        if ek == "list" and len(set(vals)) != len(vals):
            raise ValidationError(f"{field}.list", arg, "values that are all different (they are coordinates)")
        return VaryEntry(path, segments, ek, vals)
    if not isinstance(arg, list) or len(arg) != 2:
        raise ValidationError(f"{field}.{ek}", arg, "[lo, hi]")
    lo, hi = (_number_or_text(v, f"{field}.{ek}") for v in arg)
    if isinstance(lo, str) or isinstance(hi, str) or not lo < hi or (ek == "loguniform" and lo <= 0):
        raise ValidationError(f"{field}.{ek}", arg, "numbers lo < hi" + (" with lo > 0" if ek == "loguniform" else ""))
    return VaryEntry(path, segments, ek, (), (float(lo), float(hi)))


def _compute(data, kind, base_kind) -> tuple:
    if kind in ("search", "basins"):
        return ()
    raw = data.get("compute")
    if not isinstance(raw, list) or not raw:
        raise ModelFileError("compute", raw, f"a non-empty list of items among {', '.join(ITEMS)}")
    out, seen = [], set()
    for i, item in enumerate(raw):
        field = f"compute[{i}]"
        if isinstance(item, str):
            name, opts = item, {}
        elif isinstance(item, dict) and len(item) == 1:
            name, opts = next(iter(item.items()))
            if name == "verdicts" and isinstance(opts, list):
                opts = {"claims": opts}
            if not isinstance(opts, dict):
                raise ValidationError(f"{field}.{name}", opts, "a mapping of options")
        else:
            raise ValidationError(field, item, "an item name or {name: {options}}")
        if name not in ITEMS:
            raise ValidationError(field, name, f"one of {', '.join(ITEMS)}")
        if base_kind == "model" and name not in MODEL_ITEMS:
            raise ValidationError(field, name, f"for a DSGE model one of {', '.join(MODEL_ITEMS)}")
        if name in seen:
            raise ValidationError(field, name, "each item once")
        seen.add(name)
        for key in opts:
            if key not in _OPTIONS[name]:
                raise ValidationError(
                    f"{field}.{name}.{key}", opts[key], f"an option of {name}: {', '.join(_OPTIONS[name])}"
                )
        _check_item(name, opts, f"{field}.{name}", base_kind)
        out.append(ComputeItem(name, tuple(sorted((k, _freeze(v)) for k, v in opts.items()))))
    return tuple(out)


def _freeze(v):
    return tuple(v) if isinstance(v, list) else v


def _check_item(name, opts, field, base_kind) -> None:
    if name == "verdicts":
        from proofs.claims.registry import get_claim

        claims = opts.get("claims")
        if not isinstance(claims, list) or not claims:
            raise ValidationError(f"{field}.claims", claims, "a non-empty list of claim ids, e.g. [prop-6.2]")
        for c in claims:
            get_claim(str(c))
    if name == "irf_peak":
        for key in ("variable", "shock"):
            if not isinstance(opts.get(key), str):
                raise ValidationError(f"{field}.{key}", opts.get(key), f"the name of the {key}")
        if "periods" in opts:
            _int(opts["periods"], f"{field}.periods", 1)
    if "policy" in opts and opts["policy"] not in ("auto", "none", "taylor"):
        raise ValidationError(
            f"{field}.policy", opts["policy"], "auto (taylor when the file has a taylor section), none or taylor"
        )
    if "jumps" in opts and opts["jumps"] not in ("none", "prices"):
        raise ValidationError(f"{field}.jumps", opts["jumps"], "none or prices")
    if "tol" in opts and not (isinstance(opts["tol"], (int, float)) and 0 < opts["tol"] < 1):
        raise ValidationError(f"{field}.tol", opts["tol"], "a tolerance in (0, 1)")
    for key in ("starts", "max_iter", "max_equilibria", "max_boxes"):
        if key in opts:
            _int(opts[key], f"{field}.{key}", 1)
