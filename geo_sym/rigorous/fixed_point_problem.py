r"""Fixed points as zeros in tangent coordinates: the map protocol, input checks, limits and float Newton.

Fixed points are zeros of ``F(u) = T⁺ Φ(T u + e) - u`` in tangent coordinates ``u`` (the last
coordinate of each simplex block dropped, see :class:`geo_sym.economy.state.TangentChart`). On
the affine hull of the state space ``Φ`` is still defined, and its image lies in the state
space (``Proj_Y``, ``normalize``, ``softmax``), so a zero of ``F`` is a fixed point of ``Φ``
in ``Ω_K`` and conversely.

The certificates (:mod:`geo_sym.rigorous.krawczyk`, :mod:`geo_sym.rigorous.contraction`,
:mod:`geo_sym.rigorous.fixed_points`) prove everything with outward-rounded Arb arithmetic
(:mod:`geo_sym.rigorous.interval`); floating point — :func:`float_residual` and :func:`newton`
here — is used only to *choose* things (a Newton point, a preconditioner, weights, where to
bisect), never to decide. Any enclosure that is not finite, and any division by a ball that
contains 0, makes the test in question fail (undecided), never pass.
"""

from __future__ import annotations

import math

import numpy as np

from geo_sym.economy.state import State
from geo_sym.errors import ShapeError, ValidationError
from geo_sym.rigorous.boxes import TangentBox
from geo_sym.rigorous.interval import interval_map

__all__ = [
    "MAX_SEARCH_DIMENSION",
    "MAX_CERTIFY_DIMENSION",
    "SearchTooLargeError",
    "as_interval_map",
    "check_dimension",
    "check_state",
    "check_positive",
    "check_count",
    "float_residual",
    "newton",
]

MAX_SEARCH_DIMENSION = 12
"""Largest tangent dimension (``2AK + |P|`` minus one per simplex block) for an exhaustive search."""

MAX_CERTIFY_DIMENSION = 400
"""Largest tangent dimension for a Krawczyk test or a contraction certificate."""


class SearchTooLargeError(ValidationError):
    """The economy has too many state coordinates for the requested rigorous computation."""


def as_interval_map(target):
    """An :class:`IntervalMap` for an economy; objects with the same protocol pass through.

    The protocol: ``m``, ``chart`` (a :class:`~geo_sym.economy.state.TangentChart`),
    ``evaluate(box, jacobian)``, ``state_dict(u)`` and ``state_space_box()``.
    """
    if hasattr(target, "evaluate") and hasattr(target, "chart"):
        return target
    return interval_map(target)


def check_dimension(imap, limit: int, what: str):
    """Raise :class:`SearchTooLargeError` when the map has more than ``limit`` tangent coordinates."""
    if imap.m > limit:
        econ = getattr(imap, "econ", None)
        desc = (
            f"{econ.name!r} with {imap.m} tangent coordinates (A={econ.A}, K={econ.K}, |P|={econ.n_paths})"
            if econ is not None
            else f"a map with {imap.m} coordinates"
        )
        expected = f"at most {limit} tangent coordinates for {what}"
        raise SearchTooLargeError("economy", imap.m, expected, message=f"economy: {desc}; expected {expected}")


def check_state(econ, state) -> State:
    """``state`` as a float :class:`State` with the economy's shapes (a typed error naming ``state`` otherwise)."""
    if not isinstance(state, State):
        raise ValidationError("state", type(state).__name__, "a geo_sym.economy.state.State")
    A, K, P = econ.A, econ.K, econ.n_paths
    if state.y.shape != (A, K) or state.p.shape != (A, K) or state.pi.shape != (P,):
        raise ShapeError(
            "state", (state.y.shape, state.p.shape, state.pi.shape), f"y and p of shape ({A}, {K}) and pi of length {P}"
        )
    return state.to_float() if state.exact else state


def check_positive(name: str, value) -> float:
    """``value`` as a positive finite float (a :class:`ValidationError` naming ``name`` otherwise)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(name, value, "a positive number") from None
    if not (v > 0 and math.isfinite(v)):
        raise ValidationError(name, value, "a positive finite number")
    return v


def check_count(name: str, value) -> int:
    """``value`` as a positive integer (a :class:`ValidationError` naming ``name`` otherwise)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValidationError(name, value, "a positive integer")
    return int(value)


def float_residual(imap, u):
    """``F(u)`` and a float ``DF`` (midpoints of the interval evaluation at the point ``u``), or ``None``.

    Used only to choose Newton points, preconditioners and weights, never to decide.
    """
    u = np.asarray(u, dtype=float)
    img = imap.evaluate(TangentBox(u.copy(), u.copy()), jacobian=True)
    if not img.ok:
        return None
    m = imap.m
    F = np.array([float(v.mid()) for v in img.tangent_value]) - u
    DF = np.array([[float(img.slope[i, j].mid()) for j in range(m)] for i in range(m)]).reshape(m, m) - np.eye(m)
    return F, DF


def newton(imap, u0, iters: int = 12, tol: float = 1e-14):
    """Float Newton (least squares where singular) for ``F(u) = 0``; returns ``(u, max|F|, σ_min(DF))`` or ``None``."""
    u = np.array(u0, dtype=float)
    best = None
    for _ in range(iters):
        r = float_residual(imap, u)
        if r is None:
            break
        F, DF = r
        res = float(np.max(np.abs(F))) if F.size else 0.0
        if not np.all(np.isfinite(DF)) or not math.isfinite(res):
            break
        if best is None or res < best[1]:
            best = (u.copy(), res, DF)
        if res <= tol:
            break
        step = np.linalg.lstsq(DF, -F, rcond=None)[0]
        if not np.all(np.isfinite(step)):
            break
        u = u + step
    if best is None:
        return None
    u, res, DF = best
    smin = float(np.linalg.svd(DF, compute_uv=False).min()) if DF.size else math.inf
    return u, res, smin
