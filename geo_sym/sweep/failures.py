"""Failures at a point are data: they are recorded with their message and never stop a sweep."""

from __future__ import annotations

import numpy as np

from geo_sym.errors import GeoSymError

__all__ = ["NUMERIC_ERRORS", "guarded"]

NUMERIC_ERRORS = (np.linalg.LinAlgError, ArithmeticError, FloatingPointError)


def guarded(errors: list, name: str, fn) -> None:
    """Run ``fn()``; a failure is appended to ``errors`` as ``(name, message, type)`` and never raised.

    geo-sym's own errors and numeric errors keep their message. Anything else is recorded as an
    internal failure with its type: this is the one deliberate broad ``except`` of the sweep (a
    point that raises must never stop a sweep of a million points), and it re-raises nothing but
    ``KeyboardInterrupt``/``SystemExit``, which are not ``Exception``.
    """
    try:
        fn()
    except GeoSymError as exc:
        errors.append((name, str(exc), type(exc).__name__))
    except NUMERIC_ERRORS as exc:
        errors.append((name, f"{type(exc).__name__}: {exc}", type(exc).__name__))
    except Exception as exc:  # noqa: BLE001 - the documented per-point catch: recorded as an internal failure
        errors.append((name, f"internal error {type(exc).__name__}: {exc}", type(exc).__name__))
