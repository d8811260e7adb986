r"""The spectral radius of an economy's map over two parameters, with the paper's condition (15) drawn.

For each pair of values the economy's fixed point is found from the centre state and the spectral
radius of the tangent Jacobian there, :math:`\rho(D\Phi_K(x^*))` (§6–7, eq. (17)), is recorded;
cells without a fixed point (or outside the parameters' domain) stay blank. The figure draws the
boundary of condition (15), ``τ = (1 − α)γ_A P`` (Proposition 6.2), computed from the economy
(:func:`geo_sym.render.boundaries.condition_15`), over the numerical ``ρ = 1`` contour.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from geo_sym.errors import DegenerateNormalizationError, DomainError, GeoSymError, ValidationError
from geo_sym.render.boundaries import condition_15

__all__ = ["SpectralRadiusMap", "spectral_radius_map", "MAP_PARAMETERS", "with_parameter"]

#: Parameters an economy map can vary.
MAP_PARAMETERS = ("alpha", "beta", "tau", "gamma")


def with_parameter(econ, name: str, value):
    """The economy with one parameter changed (exactly, as the nearest fraction with denominator ≤ 10⁹).

    ``gamma`` sets a linear price mechanism ``G = γI`` (keeping ``b``).

    Raises
    ------
    ValidationError
        For an unknown name, or ``gamma`` on an economy without a linear price mechanism.
    """
    if name not in MAP_PARAMETERS:
        raise ValidationError("parameter", name, "one of " + ", ".join(MAP_PARAMETERS))
    exact = Fraction(float(value)).limit_denominator(10**9)
    text = f"{exact.numerator}/{exact.denominator}"
    if name == "gamma":
        pm = econ.price_mechanism
        if pm.kind != "linear":
            raise ValidationError("parameter", name, "gamma only for a linear price mechanism (G = gamma I)")
        d = pm.to_dict()
        d.pop("G", None)
        d["gamma"] = text
        return econ.replace(price_mechanism=d)
    return econ.replace(**{name: text})


@dataclass(frozen=True, eq=False)
class SpectralRadiusMap:
    """``ρ(DΦ_K(x*))`` over a grid of two parameters.

    Attributes
    ----------
    economy : str
    xname, yname : str
        The parameters on the horizontal and vertical axes.
    xs, ys : numpy.ndarray
    rho : numpy.ndarray, shape (len(ys), len(xs))
        NaN where no fixed point was found or the values are outside the parameters' domain.
    boundaries : tuple of BoundaryLine
        Condition (15) on this map (a curve, or a note saying why none is drawn).
    """

    economy: str
    xname: str
    xs: np.ndarray
    yname: str
    ys: np.ndarray
    rho: np.ndarray
    boundaries: tuple = ()

    def __repr__(self) -> str:
        return f"SpectralRadiusMap({self.economy!r}, {self.xname}: {self.xs.size}, {self.yname}: {self.ys.size})"

    def to_frame(self):
        """Long table: one row per ``(yname, xname)`` pair with ``rho`` (pandas)."""
        import pandas as pd

        X, Y = np.meshgrid(self.xs, self.ys)
        return pd.DataFrame({self.yname: Y.ravel(), self.xname: X.ravel(), "rho": self.rho.ravel()}).set_index(
            [self.yname, self.xname]
        )

    def plot(self, ax=None, path=None, dpi: int | None = None):
        """The map with the ``ρ = 1`` contour and condition (15); written to ``path`` when given."""
        from geo_sym.render.plot_style import parameter_label, plain, save_figure
        from geo_sym.render.plots import plot_stability_map

        fig = plot_stability_map(
            self.xs,
            self.ys,
            self.rho,
            xlabel=parameter_label(self.xname, economy=True),
            ylabel=parameter_label(self.yname, economy=True),
            boundary=1.0,
            colorbar_label=r"spectral radius $\rho(D\Phi_K(x^*))$",
            title=f"{plain(self.economy)}: stability of the fixed point ({self.xs.size} × {self.ys.size} grid)",
            contour_label=r"$\rho = 1$ (numerical contour)",
            boundaries=self.boundaries,
            ax=ax,
        )
        if path is not None:
            save_figure(fig, path, dpi)
        return fig


def spectral_radius_map(econ, xname: str, xs, yname: str, ys, *, max_iter: int = 2000, progress=None):
    """Compute :class:`SpectralRadiusMap` (see the module docstring).

    Parameters
    ----------
    econ : Economy
    xname, yname : str
        Among :data:`MAP_PARAMETERS`, different.
    xs, ys : array_like
        Increasing values.
    max_iter : int
        Iterations of the fixed-point search per cell.
    progress : callable, optional
        ``progress(done, total)`` after each row.

    Raises
    ------
    ValidationError
        For unknown or repeated names, or empty grids.
    """
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues
    from geo_sym.solve.fixed_point import center_state, find_fixed_point

    for field, name in (("x", xname), ("y", yname)):
        if name not in MAP_PARAMETERS:
            raise ValidationError(field, name, "one of " + ", ".join(MAP_PARAMETERS))
    if xname == yname:
        raise ValidationError("y", yname, f"a parameter other than the horizontal one ({xname})")
    xs, ys = np.asarray(xs, dtype=float).ravel(), np.asarray(ys, dtype=float).ravel()
    if xs.size < 1 or ys.size < 1:
        raise ValidationError("grid", (xs.size, ys.size), "at least one value per axis")
    rho = np.full((ys.size, xs.size), np.nan)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            try:
                e = with_parameter(with_parameter(econ, xname, xv), yname, yv)
                r = find_fixed_point(e, center_state(e), max_iter=max_iter)
                if r.success:
                    ev = tangent_eigenvalues(e, numeric_jacobian(e, r.state))
                    rho[i, j] = float(np.max(np.abs(ev))) if len(ev) else 0.0
            except (DegenerateNormalizationError, DomainError):
                continue
            except GeoSymError as exc:
                if isinstance(exc, ValidationError) and exc.field.startswith("parameters"):
                    continue  # outside the parameter domain (e.g. alpha >= 1): left blank
                raise
        if progress is not None:
            progress(i + 1, ys.size)
    return SpectralRadiusMap(econ.name, xname, xs, yname, ys, rho, (condition_15(econ, xname, xs, yname, ys),))
