"""The covariance of the shocks: standard deviations, variances, correlations, covariances.

A model file gives, per shock, at most one of ``shock_std`` (standard deviation) and
``shock_var`` (variance) — a shock given neither has standard deviation 1 in a YAML file
(0 in a Dynare ``.mod`` file, whose converter writes it explicitly) — and, per pair, at
most one of ``shock_corr`` (correlation, in ``[-1, 1]``) and ``shock_cov`` (covariance)
as ``{a: {b: value}}``. Alternatively ``shock_cov`` is the whole matrix (a list of rows)
and nothing else is given. Every value is a number or a formula in the parameters. The
resulting matrix must be symmetric positive semidefinite: anything else is one error
naming the field, whatever method is called later.
"""

from __future__ import annotations

from dsge.model.parser import Node
from geo_sym.errors import ModelFileError, UnknownNameError, ValidationError

__all__ = ["read_shock_cov", "check_covariance"]

_KEYS = ("shock_std", "shock_var", "shock_corr", "shock_cov")


def _pairs(data, key: str, shocks: tuple) -> list[tuple[str, str, object]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, dict):
        raise ModelFileError(key, value, "a mapping shock -> {shock: value}")
    out = []
    for a, row in value.items():
        if not isinstance(row, dict):
            raise ModelFileError(f"{key}.{a}", row, "a mapping shock -> value")
        for b, v in row.items():
            for name in (a, b):
                if name not in shocks:
                    raise UnknownNameError(
                        f"{key}.{a}.{b}", name, "a declared shock: " + (", ".join(shocks) or "(none)")
                    )
            if a == b:
                raise ModelFileError(f"{key}.{a}.{b}", v, "two different shocks (use shock_std or shock_var for one)")
            out.append((a, b, v))
    return out


def _scales(data, shocks: tuple, value_tree) -> dict[str, tuple[str, Node]]:
    scale: dict[str, tuple[str, Node]] = {}
    for key in ("shock_std", "shock_var"):
        raw = data.get(key)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise ModelFileError(key, raw, "a mapping shock -> value")
        for name, v in raw.items():
            if name not in shocks:
                raise UnknownNameError(f"{key}.{name}", name, "a declared shock: " + (", ".join(shocks) or "(none)"))
            if name in scale:
                raise ModelFileError(f"{key}.{name}", v, "a shock given in only one of shock_std and shock_var")
            scale[name] = (key, value_tree(v, f"{key}.{name}"))
    return scale


def read_shock_cov(data, shocks: tuple, value_tree, default_std: str = "1") -> tuple:
    """Covariance expressions ``(ne x ne)`` of the shocks from the model-file keys.

    Parameters
    ----------
    data : dict
        The model mapping.
    shocks : tuple of str
    value_tree : callable
        ``value_tree(value, field) -> Node``: a number or a formula in the parameters.
    default_std : str
        Standard deviation of a shock that is given no scale.

    Returns
    -------
    cov : tuple of tuple of Node
    correlations : dict
        ``(a, b) -> Node`` of every correlation given (to be checked in ``[-1, 1]``).
    stds : dict
        ``shock -> Node`` of every standard deviation given (to be checked ``>= 0``).

    Raises
    ------
    ModelFileError, UnknownNameError
        Malformed sections, unknown shocks, a pair or a scale given twice.
    """
    ne = len(shocks)
    full = data.get("shock_cov")
    if isinstance(full, list):
        others = [k for k in _KEYS[:3] if data.get(k) is not None]
        if others:
            raise ModelFileError("shock_cov", full, "the whole matrix alone, without " + ", ".join(others))
        if len(full) != ne or any(not isinstance(r, list) or len(r) != ne for r in full):
            raise ModelFileError("shock_cov", full, f"a {ne}x{ne} matrix (list of rows)")
        rows = (tuple(value_tree(full[a][b], f"shock_cov[{a}][{b}]") for b in range(ne)) for a in range(ne))
        return tuple(rows), {}, {}
    scale = _scales(data, shocks, value_tree)
    std: list[Node] = []
    for name in shocks:
        kind, tree = scale.get(name, ("shock_std", ("num", default_std)))
        std.append(tree if kind == "shock_std" else ("call", "sqrt", tree))
    cov = [[("num", "0")] * ne for _ in range(ne)]
    for a in range(ne):
        kind, tree = scale.get(shocks[a], ("shock_std", ("num", default_std)))
        cov[a][a] = ("pow", tree, ("num", "2")) if kind == "shock_std" else tree
    seen: dict[frozenset, str] = {}
    correlations: dict[tuple[str, str], Node] = {}
    for key in ("shock_corr", "shock_cov"):
        for a, b, v in _pairs(data, key, shocks):
            pair = frozenset((a, b))
            if pair in seen:
                raise ModelFileError(f"{key}.{a}.{b}", v, f"each pair once (already given in {seen[pair]})")
            seen[pair] = key
            tree = value_tree(v, f"{key}.{a}.{b}")
            i, j = shocks.index(a), shocks.index(b)
            if key == "shock_corr":
                correlations[(a, b)] = tree
                tree = ("mul", ("mul", tree, std[i]), std[j])
            cov[i][j] = cov[j][i] = tree
    stds = {name: tree for name, (kind, tree) in scale.items() if kind == "shock_std"}
    return tuple(tuple(row) for row in cov), correlations, stds


def check_covariance(cov, shocks: tuple, corr_values: dict | None = None) -> None:
    """Raise :class:`ValidationError` unless ``cov`` is symmetric positive semidefinite.

    ``corr_values`` (pair -> value) are checked to lie in ``[-1, 1]`` first, each named.
    """
    import numpy as np

    for (a, b), r in (corr_values or {}).items():
        if not -1.0 <= r <= 1.0:
            raise ValidationError(f"shock_corr.{a}.{b}", r, "a correlation between -1 and 1")
    m = np.array(cov, dtype=float).reshape(len(shocks), len(shocks))
    if not np.all(np.isfinite(m)):
        raise ValidationError("shock covariance", m.tolist(), "finite variances and covariances")
    if not np.array_equal(m, m.T):
        raise ValidationError("shock_cov", m.tolist(), "a symmetric matrix")
    for k, name in enumerate(shocks):
        if m[k, k] < 0:
            raise ValidationError(f"variance of {name}", float(m[k, k]), "a variance >= 0")
    if m.size:
        w = np.linalg.eigvalsh(m)
        if w[0] < -1e-12 * len(shocks) * float(np.max(np.abs(w))):
            raise ValidationError(
                "shock covariance",
                m.tolist(),
                f"a positive semidefinite matrix (its smallest eigenvalue is {w[0]:.3g})",
            )
