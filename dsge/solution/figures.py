r"""Figures of a DSGE model: its roots against the unit circle, impulse responses, determinacy maps.

* :func:`eigenvalue_figure` draws the generalized eigenvalues that the Blanchard–Kahn check counted
  (:attr:`BKResult.eigenvalues <dsge.solution.blanchard_kahn.BKResult>`: infinite ones included,
  static jumps' infinite roots left out, as in the check), with the check's own tolerance, so the
  figure's count of unstable roots is ``geo-sym dsge``'s.
* :func:`irf_figure` draws one-standard-deviation (or unit) impulse responses, one panel per variable.
* :func:`determinacy_map` classifies a grid of two parameters (Blanchard–Kahn status at each point) and
  its figure draws the literature's boundary (:mod:`dsge.solution.taylor_boundary`) over it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo_sym.errors import SolverError, UnknownNameError, ValidationError

__all__ = ["eigenvalue_figure", "irf_figure", "DeterminacyMap", "determinacy_map", "BK_CODES"]

#: Codes of the Blanchard–Kahn statuses in :attr:`DeterminacyMap.status` (NaN: no steady state).
BK_CODES = {0: "determinate", 1: "indeterminate", 2: "no stable solution"}
_CODE = {"determinate": 0, "indeterminate": 1, "no-stable-solution": 2}


def eigenvalue_figure(solution, ax=None, title: str | None = None):
    """The roots of a solved model against the unit circle, counted as the Blanchard–Kahn check counts them.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from geo_sym.render.plot_style import plain
    from geo_sym.render.plots import plot_eigenvalues

    bk = solution.bk
    if title is None:
        title = (
            f"{plain(solution.model_name)}: generalized eigenvalues; Blanchard–Kahn: {bk.status}, "
            f"{bk.n_unstable} unstable for {bk.n_forward} forward-looking"
        )
    return plot_eigenvalues(bk.eigenvalues, ax=ax, tol=bk.tolerance, title=title)


def irf_figure(solution, shocks=None, periods: int = 40, *, unit: bool = False):
    """Impulse responses of a determinate model: one panel per declared variable, one line per shock.

    Raises
    ------
    SolverError
        When the model is not determinate (no impulse response exists).
    """
    from geo_sym.render.plot_style import plain, tex_name
    from geo_sym.render.plots import plot_irfs

    irfs = solution.irfs(periods, unit=unit, shocks=shocks)
    names = list(irfs)
    size = "unit" if unit else "one-standard-deviation"
    if len(names) == 1:
        what = f"a {size} ${tex_name(names[0])}$ shock"
        target = irfs[names[0]]
    else:
        what = f"{size} shocks (one line each)"
        target = irfs
    return plot_irfs(target, title=f"{plain(solution.model_name)}: impulse responses to {what}")


@dataclass(frozen=True, eq=False)
class DeterminacyMap:
    """Blanchard–Kahn status over a grid of two parameters.

    Attributes
    ----------
    model : str
    xname, yname : str
    xs, ys : numpy.ndarray
    status : numpy.ndarray, shape (len(ys), len(xs))
        Codes of :data:`BK_CODES`; NaN where no steady state was found.
    boundaries : tuple of BoundaryLine
        The literature's boundary on this map (or a note), see :func:`dsge.solution.taylor_boundary.taylor_boundaries`.
    latex_names : dict
    """

    model: str
    xname: str
    xs: np.ndarray
    yname: str
    ys: np.ndarray
    status: np.ndarray
    boundaries: tuple = ()
    latex_names: dict | None = None

    def __repr__(self) -> str:
        return f"DeterminacyMap({self.model!r}, {self.xname}: {self.xs.size}, {self.yname}: {self.ys.size})"

    def to_frame(self):
        """Long table: one row per ``(yname, xname)`` with the status (pandas)."""
        import pandas as pd

        X, Y = np.meshgrid(self.xs, self.ys)
        names = np.array(
            [BK_CODES.get(int(c), "") if np.isfinite(c) else "no steady state" for c in self.status.ravel()]
        )
        return pd.DataFrame({self.yname: Y.ravel(), self.xname: X.ravel(), "status": names}).set_index(
            [self.yname, self.xname]
        )

    def plot(self, ax=None, path=None, dpi: int | None = None):
        """The map in one colour per status, with the boundary; written to ``path`` when given."""
        from geo_sym.render.plot_style import parameter_label, plain, save_figure
        from geo_sym.render.plots import plot_stability_map

        fig = plot_stability_map(
            self.xs,
            self.ys,
            self.status,
            xlabel=parameter_label(self.xname, latex_names=self.latex_names),
            ylabel=parameter_label(self.yname, latex_names=self.latex_names),
            categories=BK_CODES,
            title=f"{plain(self.model)}: Blanchard–Kahn status on a {self.xs.size} × {self.ys.size} grid",
            boundaries=self.boundaries,
            ax=ax,
        )
        if path is not None:
            save_figure(fig, path, dpi)
        return fig


def determinacy_map(model, xname: str, xs, yname: str, ys, *, progress=None) -> DeterminacyMap:
    """The Blanchard–Kahn status at each point of a grid of two parameters (see :class:`DeterminacyMap`).

    Parameters
    ----------
    model : dsge Model
    xname, yname : str
        Parameters of the model, different.
    xs, ys : array_like
    progress : callable, optional
        ``progress(done, total)`` after each row.

    Raises
    ------
    UnknownNameError
        For a name that is not a parameter of the model.
    """
    from dsge.solution.taylor_boundary import taylor_boundaries

    for field, name in (("x", xname), ("y", yname)):
        if name not in model.parameter_names:
            raise UnknownNameError(field, name, "a parameter of the model: " + ", ".join(model.parameter_names))
    if xname == yname:
        raise ValidationError("y", yname, f"a parameter other than the horizontal one ({xname})")
    xs, ys = np.asarray(xs, dtype=float).ravel(), np.asarray(ys, dtype=float).ravel()
    if xs.size < 1 or ys.size < 1:
        raise ValidationError("grid", (xs.size, ys.size), "at least one value per axis")
    status = np.full((ys.size, xs.size), np.nan)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            m = model.with_parameters({xname: float(xv), yname: float(yv)})
            try:
                status[i, j] = _CODE[m.solve().bk.status]
            except SolverError:
                continue  # no steady state (or a singular system): left blank
        if progress is not None:
            progress(i + 1, ys.size)
    bounds = taylor_boundaries(model, xname, xs, yname, ys)
    latex = {k: v for k, v in (model.latex_names or {}).items() if k in (xname, yname)}
    return DeterminacyMap(model.name, xname, xs, yname, ys, status, bounds, latex or None)
