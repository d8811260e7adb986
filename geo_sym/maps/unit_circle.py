r"""Where roots lie relative to the unit circle: the one counting rule of geo-sym.

Blanchard–Kahn (1980) counts a root as *unstable* (explosive) when its modulus exceeds
``1 + tol``; a modulus within ``tol`` of 1 is a *boundary* case (counted as stable, as in
Dynare, whose ``qz_criterium`` is ``1 + 1e-6``, and reported separately); an *infinite*
generalized eigenvalue (``β = 0`` in the pencil ``A s_{t+1} = B s_t``) has modulus ``∞`` and is
unstable. The Klein solver (:mod:`dsge.solution.blanchard_kahn`), the orchestration map's
spectral statement (§7.1, eq. (17)) and every eigenvalue figure classify roots with
:func:`classify_roots`, so a count printed by ``geo-sym dsge`` and a count drawn in a figure
cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["RootClasses", "classify_roots"]


@dataclass(frozen=True, eq=False)
class RootClasses:
    """Masks over the roots (same order as given).

    Attributes
    ----------
    roots : numpy.ndarray of complex
        The roots, infinite ones as ``inf`` (never NaN).
    tol : float
    stable : numpy.ndarray of bool
        ``|λ| < 1 − tol``.
    boundary : numpy.ndarray of bool
        ``| |λ| − 1 | ≤ tol`` (counted as stable by Blanchard–Kahn, reported as a boundary case).
    unstable : numpy.ndarray of bool
        ``|λ| > 1 + tol``, infinite roots included.
    infinite : numpy.ndarray of bool
        ``|λ| = ∞`` (a subset of ``unstable``).
    """

    roots: np.ndarray
    tol: float
    stable: np.ndarray
    boundary: np.ndarray
    unstable: np.ndarray
    infinite: np.ndarray

    @property
    def n_stable(self) -> int:
        """Roots strictly inside the band ``|λ| < 1 − tol``."""
        return int(np.count_nonzero(self.stable))

    @property
    def n_boundary(self) -> int:
        """Roots within ``tol`` of the unit circle."""
        return int(np.count_nonzero(self.boundary))

    @property
    def n_unstable(self) -> int:
        """Roots with ``|λ| > 1 + tol`` (infinite ones included): the Blanchard–Kahn count."""
        return int(np.count_nonzero(self.unstable))

    @property
    def n_infinite(self) -> int:
        """Infinite roots (included in :attr:`n_unstable`)."""
        return int(np.count_nonzero(self.infinite))

    def __repr__(self) -> str:
        return (
            f"RootClasses(stable={self.n_stable}, boundary={self.n_boundary}, unstable={self.n_unstable}, "
            f"infinite={self.n_infinite}, tol={self.tol:g})"
        )


def classify_roots(roots, tol: float) -> RootClasses:
    """Classify roots against the unit circle with tolerance ``tol`` (see the module docstring).

    Parameters
    ----------
    roots : array_like of complex
        Eigenvalues; infinite ones as ``inf`` (or ``complex(inf, 0)``). NaN is not a root.
    tol : float
        Unit-circle tolerance, ``tol >= 0``.

    Returns
    -------
    RootClasses

    Raises
    ------
    ValueError
        When a root is NaN or ``tol`` is negative or not finite.
    """
    r = np.asarray(roots, dtype=complex).ravel()
    tol = float(tol)
    if not (tol >= 0 and math.isfinite(tol)):
        raise ValueError(f"classify_roots: tol = {tol!r}; expected a finite number >= 0")
    if np.isnan(r).any():  # either part NaN
        raise ValueError("classify_roots: a root is NaN (0/0 in the pencil is not a root)")
    mod = np.abs(r)
    unstable = mod > 1.0 + tol
    boundary = np.abs(mod - 1.0) <= tol
    return RootClasses(r, tol, ~(unstable | boundary), boundary, unstable, np.isinf(mod))
