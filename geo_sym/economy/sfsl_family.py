"""The nested SFSL family ``V_{K_1} ⊂ V_{K_2} ⊂ …`` of §4.1: how fast a trajectory's distance to ``V_K`` falls.

Assumption 3 (SFSL completeness) asks that ``∪_K V_K`` be dense in ``H``; Theorem 4.6 passes to ``H`` as
``K → ∞``. :func:`projection_errors` measures ``‖f − Π_{V_K} f‖`` along the nested family given by
prefixes of the decay rates of :class:`~geo_sym.economy.sfsl.SFSLOperator` (same discretization, same
weighted inner product), with the Gram condition number and the numerical rank of each ``V_K``.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from geo_sym.economy.sfsl import (
    QUADRATURE,
    SFSLOperator,
    _check_int,
    _check_rates,
    _check_T,
    _singular_info,
    arithmetic_rates,
)
from geo_sym.errors import ShapeError, ValidationError

__all__ = ["ProjectionErrorTable", "operator_projection_errors", "projection_errors"]


# --------------------------------------------------------------------------- K-sweep
@dataclass(frozen=True)
class ProjectionErrorTable:
    """Distance of one trajectory to ``V_K`` for a nested family ``V_{K_1} ⊂ V_{K_2} ⊂ ...``.

    Attributes
    ----------
    K_values, F_values : tuple of int
        ``K = R·F``; ``V_K`` uses the first ``F`` of :attr:`decay_rates`.
    errors : tuple of float
        ``‖f − Π_{V_K} f‖_W`` (trapezoid L² norm).
    relative_errors : tuple of float
        ``errors / ‖f‖_W`` (``nan`` when ``f = 0``).
    condition_numbers : tuple of float
        Gram condition number of each ``V_K``'s kernels.
    numerical_ranks : tuple of int
        Numerical rank of each ``φ_K`` (``< K`` once float64 cannot resolve ``V_K``).
    norm : float
        ``‖f‖_W``.
    T, n_grid, n_metrics, decay_rates, quadrature
        The discretization.
    """

    K_values: tuple[int, ...]
    F_values: tuple[int, ...]
    errors: tuple[float, ...]
    relative_errors: tuple[float, ...]
    condition_numbers: tuple[float, ...]
    numerical_ranks: tuple[int, ...]
    norm: float
    T: float
    n_grid: int
    n_metrics: int
    decay_rates: tuple[float, ...]
    quadrature: str = QUADRATURE

    def to_frame(self):
        """The table as a :class:`pandas.DataFrame` (pandas imported lazily).

        Columns: ``K``, ``F``, ``last_rate``, ``error``, ``relative_error``,
        ``gram_condition``, ``numerical_rank``.
        """
        import pandas as pd

        return pd.DataFrame(
            {
                "K": list(self.K_values),
                "F": list(self.F_values),
                "last_rate": [self.decay_rates[F - 1] for F in self.F_values],
                "error": list(self.errors),
                "relative_error": list(self.relative_errors),
                "gram_condition": list(self.condition_numbers),
                "numerical_rank": list(self.numerical_ranks),
            }
        )

    def plot(self, ax=None, *, relative: bool = True):
        """Semilog plot of the (relative) projection error against ``K``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is made otherwise (matplotlib is
            imported lazily and the Agg backend chosen when no display is
            available).
        relative : bool
            Plot ``error/‖f‖`` (default) or the absolute error.

        Returns
        -------
        matplotlib.figure.Figure
        """
        if ax is None:
            plt = _pyplot()
            fig, ax = plt.subplots(figsize=(5.5, 3.8))
        else:
            fig = ax.figure
        y = np.asarray(self.relative_errors if relative else self.errors, dtype=float)
        y = np.where(y > 0, y, np.nan)  # log scale cannot show exact zeros
        ax.semilogy(self.K_values, y, "o-", label="‖f − Π_{V_K} f‖" + (" / ‖f‖" if relative else ""))
        bad = [k for k, r in zip(self.K_values, self.numerical_ranks) if r < k]
        if bad:
            ax.axvline(bad[0], color="grey", ls="--", lw=1, label=f"numerical rank < K from K = {bad[0]}")
        ax.set_xlabel("K = R·F")
        ax.set_ylabel("relative L² projection error" if relative else "L² projection error")
        ax.set_title("SFSL: distance to V_K (Assumption 3)")
        ax.legend(loc="best", fontsize="small")
        return fig


def _pyplot():
    import matplotlib

    headless = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _check_K_values(K_values, R: int) -> list[int] | None:
    """The sorted distinct ``K`` (multiples of ``R``) of :func:`projection_errors`, or ``None`` when not given."""
    if K_values is None:
        return None
    try:
        raw = [K_values] if isinstance(K_values, Integral) else list(K_values)
    except TypeError:
        raise ValidationError("K_values", K_values, "a sequence of positive integers") from None
    if not raw:
        raise ValidationError("K_values", K_values, "a non-empty sequence of positive integers")
    Ks: list[int] = []
    for K in raw:
        if isinstance(K, bool) or not isinstance(K, Integral) or int(K) < 1:
            raise ValidationError("K_values", K_values, "positive integers")
        if int(K) % R:
            raise ValidationError("K_values", K_values, f"multiples of R = {R} (K = R·F, F statistics per metric)")
        Ks.append(int(K))
    return sorted(set(Ks))


def projection_errors(
    trajectory, K_values=None, *, T: float = 1.0, decay_rates=None, n_metrics: int | None = None, rate_step: float = 1.0
) -> ProjectionErrorTable:
    """``‖f − Π_{V_K} f‖_{L²}`` for each ``K`` of a nested family (Assumption 3, Theorem 4.6).

    ``V_K`` (eq. (9)) is spanned by the kernels of the first ``F = K/R``
    decay rates, so ``V_{K} ⊂ V_{K'}`` for ``K < K'`` and the errors are
    non-increasing in ``K`` (up to rounding). A single QR factorization of all
    kernels is used; its leading columns are exactly the orthonormal bases of
    the smaller spaces.

    Parameters
    ----------
    trajectory : array_like, shape (N, R) or (N,)
        Samples on the uniform grid of ``N`` points on ``[0, T]``.
    K_values : sequence of int, optional
        Multiples of ``R``, each ``<= R·len(decay_rates)``. Default: every
        ``K = R·F`` for ``F = 1 .. len(decay_rates)``.
    T : float
        Horizon.
    decay_rates : sequence of float, optional
        The ordered rates of the family. Default: ``arithmetic_rates(F_max,
        rate_step)`` = ``0, λ_0, 2λ_0, ...`` (complete by Müntz–Szász), with
        ``F_max = max(K_values)/R`` or 8.
    n_metrics : int, optional
        ``R``; inferred from the trajectory's shape when omitted.
    rate_step : float
        ``λ_0`` of the default rates.

    Returns
    -------
    ProjectionErrorTable
    """
    T = _check_T(T)
    try:
        a = np.asarray(trajectory, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError("trajectory", trajectory, "a real array of shape (N, R)") from None
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise ShapeError("trajectory", f"array of shape {a.shape}", "shape (N, R)")
    if n_metrics is None:
        n_metrics = a.shape[1]
    R = _check_int("n_metrics", n_metrics, 1)

    Ks = _check_K_values(K_values, R)
    if decay_rates is None:
        rates = arithmetic_rates(Ks[-1] // R if Ks else 8, rate_step)
    else:
        rates = _check_rates(decay_rates)
    if Ks is None:
        Ks = [R * F for F in range(1, len(rates) + 1)]
    if Ks[-1] > R * len(rates):
        raise ValidationError("K_values", K_values, f"K <= R·len(decay_rates) = {R * len(rates)}")

    op = SFSLOperator(T=T, n_grid=a.shape[0], decay_rates=rates, n_metrics=R)
    f, _ = op._trajectory(a)
    sw = op._sqrt_w[:, None]
    g = sw * f
    Q, _ = op._qr
    C = Q.T @ g  # (F, R)
    norm = float(np.linalg.norm(g))
    B = sw * op.kernels

    errors, rel, conds, ranks, Fs = [], [], [], [], []
    for K in Ks:
        F = K // R
        resid = g - Q[:, :F] @ C[:F]
        err = float(np.linalg.norm(resid))
        cond, rank = _singular_info(B[:, :F])
        errors.append(err)
        rel.append(err / norm if norm > 0 else math.nan)
        conds.append(cond)
        ranks.append(R * rank)
        Fs.append(F)
    return ProjectionErrorTable(
        K_values=tuple(Ks),
        F_values=tuple(Fs),
        errors=tuple(errors),
        relative_errors=tuple(rel),
        condition_numbers=tuple(conds),
        numerical_ranks=tuple(ranks),
        norm=norm,
        T=T,
        n_grid=op.n_grid,
        n_metrics=R,
        decay_rates=rates,
    )


def operator_projection_errors(op: SFSLOperator, trajectory, K_values=None) -> ProjectionErrorTable:
    """:func:`projection_errors` on the grid, rates and metric count of the operator ``op``."""
    return projection_errors(trajectory, K_values, T=op.T, decay_rates=op.decay_rates, n_metrics=op.n_metrics)
