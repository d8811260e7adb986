"""Stability maps: the Blanchard–Kahn status of the orchestration map over a grid of Taylor coefficients.

For each pair ``(φ_lat, φ_qual)`` the steady state under the rule is linearized and its roots counted
(:func:`dsge.orchestration.linear.spectral_radius`). With targets at the steady state the rule is
neutral there, so one steady state serves the whole grid; with explicit targets each pair has its own
steady state. The SLO-weight floor enters on its branch at each steady state: where it binds, the weight
is locally constant and the coefficient drops out (reported in :attr:`StabilityMap.floor_binds`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from dsge.orchestration.linear import spectral_radius
from dsge.orchestration.steady import SteadyState, neutral_rule, steady_state, taylor_rule
from geo_sym.display import LatexDisplay
from geo_sym.errors import DegenerateNormalizationError, DomainError, SolverError

__all__ = ["StabilityMap", "stability_map"]


@dataclass(frozen=True, eq=False)
class StabilityMap:
    """Spectral radius and Blanchard–Kahn status over a grid of ``(φ_lat, φ_qual)``.

    Attributes
    ----------
    phi_lat, phi_qual : ndarray
        The grid (columns: ``φ_lat``, rows: ``φ_qual``).
    rho : ndarray (len(phi_qual), len(phi_lat))
        ``ρ(DΦ(x*))``; NaN where no steady state was found (``found`` False).
    n_unstable : ndarray of int
        Roots outside the unit circle (``-1`` where no steady state was found).
    boundary : ndarray of bool
        A modulus within ``tol`` of 1.
    floor_binds : ndarray of bool
        An SLO weight at (or exactly on) its floor at the steady state.
    tol : float
    economy : str
        The economy's name (for titles).
    """

    phi_lat: np.ndarray
    phi_qual: np.ndarray
    rho: np.ndarray
    n_unstable: np.ndarray
    boundary: np.ndarray
    floor_binds: np.ndarray
    tol: float = 1e-6
    economy: str = ""

    _repr_latex_ = LatexDisplay._repr_latex_

    def __repr__(self) -> str:
        return (
            f"StabilityMap(phi_lat: {self.rho.shape[1]} values, phi_qual: {self.rho.shape[0]} values, tol={self.tol:g})"
        )

    @property
    def found(self) -> np.ndarray:
        return self.n_unstable >= 0

    @property
    def stable(self) -> np.ndarray:
        """Blanchard–Kahn holds (``determinate``): a steady state with no root outside the unit circle."""
        return self.n_unstable == 0

    @property
    def status(self) -> np.ndarray:
        """``determinate``, ``no-stable-solution`` or ``no-steady-state`` per cell."""
        out = np.where(self.stable, "determinate", "no-stable-solution").astype(object)
        out[~self.found] = "no-steady-state"
        return out

    def to_dict(self) -> dict:
        def clean(a):
            return [[None if not np.isfinite(v) else float(v) for v in row] for row in a]

        return {
            "phi_lat": self.phi_lat.tolist(),
            "phi_qual": self.phi_qual.tolist(),
            "rho": clean(self.rho),
            "status": self.status.tolist(),
            "n_unstable": self.n_unstable.tolist(),
            "stable": self.stable.tolist(),
            "boundary": self.boundary.tolist(),
            "floor_binds": self.floor_binds.tolist(),
            "tolerance": self.tol,
            "formulation": "backward-looking: stable means no root outside the unit circle (Blanchard–Kahn)",
        }

    def to_frame(self):
        """Long table: one row per ``(φ_qual, φ_lat)`` with ρ, the status and the flags."""
        from dsge.solution.results import _pandas

        pd = _pandas()
        rows = []
        for i, fq in enumerate(self.phi_qual):
            for j, fl in enumerate(self.phi_lat):
                rows.append(
                    {
                        "phi_lat": float(fl),
                        "phi_qual": float(fq),
                        "rho": self.rho[i, j],
                        "status": self.status[i, j],
                        "boundary": bool(self.boundary[i, j]),
                        "floor_binds": bool(self.floor_binds[i, j]),
                    }
                )
        return pd.DataFrame(rows).set_index(["phi_qual", "phi_lat"])

    def plot(self, path=None, dpi: int | None = None):
        """ρ over the grid with the ``ρ = 1`` contour (:func:`dsge.orchestration.figures.stability_map_figure`)."""
        from dsge.orchestration.figures import stability_map_figure

        return stability_map_figure(self, path=path, dpi=dpi)


def _cell(econ, ss0: SteadyState, rule, tol):
    """``(ρ, n_unstable, boundary, floor_binds)`` at one pair of coefficients (``n_unstable = -1``: no steady state)."""
    if rule.has_targets:
        try:
            ss = steady_state(econ, ss0.state, policy=rule, reduced=ss0.reduced, check_isolation=False)
        except (SolverError, DegenerateNormalizationError, DomainError):
            return np.nan, -1, False, False
    else:
        ss = dataclasses.replace(ss0, policy=neutral_rule(econ, rule, ss0.state))
    sr = spectral_radius(econ, ss, tol=tol)
    from geo_sym.maps.core import evaluate_reduced

    active = evaluate_reduced(econ, ss.reduced_state(econ), policy=ss.policy).active
    floor = bool(np.any(active.slo_at_floor) or np.any(active.slo_kinks))
    return sr.spectral_radius, sr.n_unstable, sr.boundary, floor


def stability_map(
    econ, phi_lat, phi_qual, steady: SteadyState | None = None, tol: float = 1e-6, rule=None, progress=None
) -> StabilityMap:
    """ρ and the Blanchard–Kahn status at the steady state for each pair ``(φ_lat, φ_qual)``.

    Parameters
    ----------
    steady : SteadyState, optional
        The steady state without the rule (computed when not given; the start of each search otherwise).
    rule : TaylorRule, optional
        Targets and floor of the rule (default: the file's ``taylor:`` section); its coefficients are
        replaced by the grid values.
    progress : callable, optional
        ``progress(done, total)`` after each row of the grid.
    """
    ss0 = steady if steady is not None else steady_state(econ)
    base = taylor_rule(econ) if rule is None else rule
    phi_lat = np.asarray(phi_lat, dtype=float)
    phi_qual = np.asarray(phi_qual, dtype=float)
    shape = (phi_qual.size, phi_lat.size)
    rho, n_unst = np.full(shape, np.nan), np.full(shape, -1, dtype=int)
    boundary, floor = np.zeros(shape, dtype=bool), np.zeros(shape, dtype=bool)
    for i, fq in enumerate(phi_qual):
        for j, fl in enumerate(phi_lat):
            cell = _cell(econ, ss0, base.with_coefficients(float(fl), float(fq)), tol)
            rho[i, j], n_unst[i, j], boundary[i, j], floor[i, j] = cell
        if progress is not None:
            progress(i + 1, phi_qual.size)
    return StabilityMap(phi_lat, phi_qual, rho, n_unst, boundary, floor, tol, econ.name)
