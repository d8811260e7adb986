"""Basins of attraction (§9.1: multiplicity and selection), ``kind: basins``.

The equilibria are found and certified once, on the client: by the exhaustive branch-and-prune
search of :func:`geo_sym.rigorous.certify.find_all_fixed_points` when the tangent dimension allows
it (then ``complete`` says no other fixed point exists), otherwise by seeded starts each tested by
Krawczyk. Every start is then iterated under the map itself, ``x_{t+1} = Φ(x_t)`` (eq. (10)–(13)) —
the dynamics whose basins these are, not a Newton method, whose basins differ — until
``‖Φ(x) − x‖_∞ ≤ tol`` or ``max_iter`` steps. A start belongs to equilibrium ``k`` when its limit
lies in the box where the Krawczyk test proved ``k`` the only fixed point; ``-1`` marks a limit in no
certified box, ``-2`` no convergence within the budget, ``-3`` a slice point outside the state space.

Starts are the seeded random states of :func:`geo_sym.solve.fixed_point.random_state` (start ``i``
from ``default_rng([seed, i])``; basin shares are shares of these) followed by the points of a
``n × n`` grid on a 2-D slice of the state space through a base state (for the figure).
"""

from __future__ import annotations

import numpy as np

from geo_sym.errors import ModelFileError, UnknownNameError, ValidationError

__all__ = ["job_extra", "basin_point", "assemble_basins", "basins_summary", "basin_shares", "iterate_to_limit"]

UNCLASSIFIED, NOT_CONVERGED, OUTSIDE = -1, -2, -3
_ECON: dict = {}


def _economy(digest: str, text: str):
    from geo_sym.economy.files import parse_yaml
    from geo_sym.sweep.compute import economy_from_dict

    if digest not in _ECON:
        _ECON.clear()
        _ECON[digest] = economy_from_dict(parse_yaml(text, "economy file"))
    return _ECON[digest]


def find_equilibria(econ, how: str = "auto", seed: int = 0):
    """``(states (n, d), unique boxes (n, d, 2), certified (n,), complete, message)``, in a fixed order."""
    from geo_sym.rigorous.certify import MAX_SEARCH_DIMENSION
    from geo_sym.sweep.compute import all_equilibria

    tangent_dim = econ.state_size() - (1 if econ.prices_on_simplex else 0) - 1
    exhaustive = how == "all" or (how == "auto" and tangent_dim <= MAX_SEARCH_DIMENSION)
    eqs, complete, msg = all_equilibria(econ, exhaustive=exhaustive, seed=seed)
    eqs = [e for e in eqs if e[2]]  # certified ones only: an uncertified candidate is not an equilibrium
    eqs.sort(key=lambda e: tuple(np.round(e[0], 9)))
    d = econ.state_size()
    states = np.array([e[0] for e in eqs]).reshape(len(eqs), d)
    boxes = np.array([e[1] for e in eqs]).reshape(len(eqs), d, 2)
    return states, boxes, complete, msg


def iterate_to_limit(econ, flat, max_iter: int, tol: float):
    """Iterate ``Φ`` from ``flat``: ``(limit flat, iterations, residual ‖Φ(x) − x‖_∞, converged)``."""
    from geo_sym.sweep.compute import map_image, state_from_flat

    x = state_from_flat(econ, flat)
    res = np.inf
    for it in range(1, max_iter + 1):
        fx = map_image(econ, x)
        res = float(np.max(np.abs(fx.flat() - x.flat())))
        x = fx
        if res <= tol:
            return x.flat(), it, res, True
    return x.flat(), max_iter, res, False


def classify(limit, converged: bool, boxes) -> int:
    """The equilibrium whose uniqueness box holds ``limit`` (see the module docstring for negative codes)."""
    if not converged:
        return NOT_CONVERGED
    for k, box in enumerate(boxes):
        if np.all(limit >= box[:, 0]) and np.all(limit <= box[:, 1]):
            return k
    return UNCLASSIFIED


def basin_shares(econ, *, starts: int, seed: int, max_iter: int, tol: float):
    """For a grid sweep's ``basins`` item: ``(n certified equilibria, share per equilibrium, share unclassified)``."""
    from geo_sym.sweep.compute import random_state
    from geo_sym.sweep.points import point_rng

    _, boxes, _, _ = find_equilibria(econ, seed=seed)
    labels = []
    for i in range(starts):
        x0 = random_state(econ, point_rng(seed, i)).flat()
        lim, _, _, ok = iterate_to_limit(econ, x0, max_iter, tol)
        labels.append(classify(lim, ok, boxes))
    labels = np.array(labels)
    shares = [float(np.mean(labels == k)) for k in range(len(boxes))]
    return len(boxes), shares, float(np.mean(labels < 0))


# ------------------------------------------------------------------------------------------ kind: basins
def _slice(raw, econ, labels) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"x", "y", "n", "x_range", "y_range"}:
        raise ModelFileError("slice", raw, "a mapping {x: LABEL, y: LABEL, n: N, x_range: [lo, hi], y_range: [lo, hi]}")
    out = {"n": raw.get("n", 101)}
    if isinstance(out["n"], bool) or not isinstance(out["n"], int) or not 2 <= out["n"] <= 400:
        raise ValidationError("slice.n", out["n"], "an integer 2..400 (points per side)")
    lo_y, hi_y = econ.box_bounds_float if econ.all_boxes else (None, None)
    for axis in ("x", "y"):
        lab = raw.get(axis)
        if lab not in labels:
            raise UnknownNameError(f"slice.{axis}", lab, "a state coordinate: " + ", ".join(labels))
        j = labels.index(lab)
        rng = raw.get(f"{axis}_range")
        if rng is None:
            AK = econ.A * econ.K
            if j < AK and lo_y is not None:
                rng = [float(lo_y.ravel()[j]), float(hi_y.ravel()[j])]
            elif j >= 2 * AK or econ.prices_on_simplex:
                rng = [0.0, 1.0]
            else:
                raise ModelFileError(f"slice.{axis}_range", None, f"the range of {lab} (no default for linear prices)")
        if not isinstance(rng, list) or len(rng) != 2 or not all(isinstance(v, (int, float)) for v in rng):
            raise ValidationError(f"slice.{axis}_range", rng, "[lo, hi] numbers")
        out[axis] = (lab, j, float(rng[0]), float(rng[1]))
    if out["x"][1] == out["y"][1]:
        raise ValidationError("slice", raw, "two different coordinates x and y")
    return out


def job_extra(spec) -> dict:
    """Certified equilibria, iteration settings and the slice, computed and checked on the client."""
    from geo_sym.sweep.compute import center_state, economy_from_dict, state_labels

    econ = economy_from_dict(spec.base_doc)
    it = spec.options.get("iterate") or {}
    if not isinstance(it, dict) or set(it) - {"max_iter", "tol"}:
        raise ModelFileError("iterate", it, "a mapping {max_iter: N, tol: T}")
    max_iter, tol = it.get("max_iter", 5000), it.get("tol", 1e-10)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValidationError("iterate.max_iter", max_iter, "a positive number of iterations")
    if not isinstance(tol, (int, float)) or not 0 < tol < 1:
        raise ValidationError("iterate.tol", tol, "a tolerance in (0, 1)")
    how = spec.options.get("equilibria", "auto")
    if how not in ("auto", "all", "search"):
        raise ValidationError("equilibria", how, "auto, all (exhaustive search) or search (seeded starts + Krawczyk)")
    states, boxes, complete, msg = find_equilibria(econ, how, spec.seed)
    labels = state_labels(econ)
    return {
        "starts": int(spec.options.get("starts", 1000)),
        "max_iter": max_iter,
        "tol": float(tol),
        "equilibria": states,
        "boxes": boxes,
        "complete": complete,
        "message": msg,
        "labels": labels,
        "slice": _slice(spec.options.get("slice"), econ, labels),
        "base": center_state(econ).flat(),
    }


def _slice_start(econ, extra, k: int):
    """Slice point ``k`` (row-major over (y, x)): the base state with two coordinates set, simplex blocks rescaled."""
    sl = extra["slice"]
    n = sl["n"]
    i, j = divmod(k, n)
    x = extra["base"].copy()
    fixed = {}
    for axis, idx in (("x", j), ("y", i)):
        _, c, lo, hi = sl[axis]
        fixed[c] = lo + (hi - lo) * idx / (n - 1)
    AK = econ.A * econ.K
    blocks = [range(2 * AK, x.size)] + ([range(AK, 2 * AK)] if econ.prices_on_simplex else [])
    for c, v in fixed.items():
        x[c] = v
    for block in blocks:
        inside = [c for c in block if c in fixed]
        if not inside:
            continue
        rest = [c for c in block if c not in fixed]
        left = 1.0 - sum(fixed[c] for c in inside)
        if left < -1e-12 or (not rest and abs(left) > 1e-12):
            return None
        tot = float(np.sum(x[rest])) if rest else 0.0
        x[rest] = x[rest] * (left / tot) if tot > 0 else left / max(len(rest), 1)
    return x


def basin_point(job, index: int, values) -> dict:
    """Start ``index``: a seeded random state, or a point of the slice; its limit and label."""
    from geo_sym.sweep.compute import random_state
    from geo_sym.sweep.points import point_rng

    ex = job.extra
    econ = _economy(job.digest, job.base_text)
    if index < ex["starts"]:
        x0 = random_state(econ, point_rng(job.seed, index)).flat()
    else:
        x0 = _slice_start(econ, ex, index - ex["starts"])
        if x0 is None:
            return {"label": float(OUTSIDE), "iterations": 0.0, "residual": float("nan")}
    lim, it, res, ok = iterate_to_limit(econ, x0, ex["max_iter"], ex["tol"])
    return {"label": float(classify(lim, ok, ex["boxes"])), "iterations": float(it), "residual": res}


def assemble_basins(spec, job, rows: list, attrs: dict):
    """Dataset: ``start`` (random starts), ``slice_y × slice_x`` (the slice) and ``equilibrium`` variables."""
    import xarray as xr

    ex = job.extra
    rows = sorted(rows, key=lambda r: r["index"])
    n0 = ex["starts"]

    def col(name, sel):
        return np.array([np.nan if r["values"].get(name) is None else r["values"][name] for r in sel], dtype=float)

    starts = rows[:n0]
    data = {
        "start_label": ("start", col("label", starts)),
        "start_iterations": ("start", col("iterations", starts)),
        "start_residual": ("start", col("residual", starts)),
        "start_error": ("start", np.array([r["error"] for r in starts], dtype=str)),
        "equilibrium_state": (("equilibrium", "coordinate"), ex["equilibria"]),
        "equilibrium_box": (("equilibrium", "coordinate", "bound"), ex["boxes"]),
    }
    labels = data["start_label"][1]
    n_eq = len(ex["equilibria"])
    data["basin_share"] = ("equilibrium", np.array([np.mean(labels == k) for k in range(n_eq)]))
    coords = {"start": np.arange(n0), "equilibrium": np.arange(n_eq), "coordinate": ex["labels"], "bound": ["lo", "hi"]}
    sl = ex["slice"]
    if sl is not None:
        n = sl["n"]
        rest = rows[n0:]
        data["slice_label"] = (("slice_y", "slice_x"), col("label", rest).reshape(n, n))
        data["slice_iterations"] = (("slice_y", "slice_x"), col("iterations", rest).reshape(n, n))
        coords["slice_x"] = np.linspace(sl["x"][2], sl["x"][3], n)
        coords["slice_y"] = np.linspace(sl["y"][2], sl["y"][3], n)
        attrs = {**attrs, "slice_x": sl["x"][0], "slice_y": sl["y"][0]}
    attrs = {**attrs, "complete": int(ex["complete"]), "equilibria_message": ex["message"]}
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    return ds, basins_summary(ds)


def basins_summary(ds) -> dict:
    labels = ds["start_label"].values
    return {
        "equilibria": int(ds.sizes["equilibrium"]),
        "complete": bool(ds.attrs.get("complete", 0)),
        "basin_share": [round(float(s), 6) for s in ds["basin_share"].values],
        "unclassified_share": float(np.mean(labels == UNCLASSIFIED)),
        "not_converged_share": float(np.mean(labels == NOT_CONVERGED)),
        "equilibrium_states": ds["equilibrium_state"].values.tolist(),
        "coordinates": [str(c) for c in ds["coordinate"].values],
    }


def basins_item(econ, item, seed) -> dict:
    """The ``basins`` compute item: number of equilibria and basin shares from seeded starts."""
    n_eq, shares, lost = basin_shares(
        econ,
        starts=int(item.option("starts", 64)),
        seed=seed,
        max_iter=int(item.option("max_iter", 5000)),
        tol=float(item.option("tol", 1e-10)),
    )
    m = int(item.option("max_equilibria", 4))
    padded = (list(shares) + [float("nan")] * m)[:m]
    return {"equilibria": float(n_eq), "basin_share": padded, "basin_unclassified": lost}
