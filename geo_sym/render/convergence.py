r"""Convergence of the tâtonnement (13) against the bound (14) of Theorem 6.1: the numbers and the figure.

:func:`convergence_data` iterates the economy's map from a start and measures ``‖x_n − x*‖₂``;
:func:`plot_convergence` draws the distances on a log scale against ``λⁿ/(1 − λ) ‖x_1 − x_0‖`` and says,
computed from the distances, where the bound fails. Both are re-exported by :mod:`geo_sym.render.plots`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo_sym.errors import ValidationError
from geo_sym.render.plot_style import PALETTE, SINGLE_COLUMN, figure_for, legend_below, plain, styled

__all__ = ["ConvergenceData", "convergence_data", "plot_convergence"]


@dataclass(frozen=True, eq=False)
class ConvergenceData:
    """The numbers behind :func:`plot_convergence`.

    Attributes
    ----------
    distances : numpy.ndarray
        ``‖x_n − x*‖_2`` for ``n = 0..N`` (Euclidean norm of the flat state ``(y, p, π)``),
        or ``‖x_{n+1} − x_n‖_2`` when no fixed point was found (``fixed_point`` is None).
    step0 : float
        ``‖x_1 − x_0‖_2``.
    lam : float
        The rate used in bound (14).
    lam_kind : str
        ``"paper"`` (``(1−α)γ_A P/τ``, Proposition 6.2), ``"given"`` or ``"sampled"``
        (largest ``‖DΦ_K‖_2`` on the tangent space over sampled states: an estimate, not a bound).
    bound : numpy.ndarray or None
        ``λ^n/(1−λ) ‖x_1 − x_0‖``; None when ``λ ≥ 1`` (the bound says nothing).
    rho : float or None
        Spectral radius of the tangent Jacobian at the fixed point (the observed rate).
    fixed_point : State or None
    n : int
        Number of iterations ``N``.
    economy : str
    """

    distances: np.ndarray
    step0: float
    lam: float
    lam_kind: str
    bound: np.ndarray | None
    rho: float | None
    fixed_point: object
    n: int
    economy: str

    @property
    def above_bound(self) -> np.ndarray | None:
        """Where ``‖x_n − x*‖`` exceeds bound (14) (None without a bound or a fixed point)."""
        if self.bound is None or self.fixed_point is None:
            return None
        return self.distances > self.bound

    def __repr__(self) -> str:
        return f"ConvergenceData(n={self.n}, lam={self.lam!r}, lam_kind={self.lam_kind!r})"


def _paper_rate(econ):
    """``(1 − α) γ_A P / τ`` (Proposition 6.2) as a float, or None without a linear price mechanism."""
    pm = econ.price_mechanism
    if pm.kind != "linear":
        return None
    return (1.0 - float(econ.alpha)) * float(pm.spectral_norm) * econ.depth / float(econ.tau)


def _sampled_operator_norm(econ, states, n_random: int, seed: int) -> float:
    """Largest ``‖Qᵀ DΦ Q‖_2`` over ``states`` and ``n_random`` seeded random states of Ω_K."""
    from geo_sym.economy.state import tangent_basis
    from geo_sym.errors import DegenerateNormalizationError, DomainError
    from geo_sym.maps.jacobian import numeric_jacobian
    from geo_sym.solve.fixed_point import random_state

    Q = tangent_basis(econ)
    rng = np.random.default_rng(seed)
    pts = list(states) + [random_state(econ, rng) for _ in range(n_random)]
    best = 0.0
    for x in pts:
        try:
            J = numeric_jacobian(econ, x).dense()
        except (DegenerateNormalizationError, DomainError):
            continue
        best = max(best, float(np.linalg.norm(Q.T @ J @ Q, 2)))
    return best


def convergence_data(
    econ, start=None, n: int = 60, lam: float | None = None, *, seed: int = 0, n_samples: int = 32
) -> ConvergenceData:
    r"""Iterate the economy's map and compare ``‖x_n − x*‖`` with bound (14) of Theorem 6.1.

    ``x*`` is found by :func:`geo_sym.solve.fixed_point.find_fixed_point` started from the
    last iterate (so it is the limit of this trajectory). Distances use the
    Euclidean norm of the flat state ``(y, p, π)``.

    Parameters
    ----------
    econ : Economy
    start : State, optional
        ``x_0``; default the centre state (``y = 0``, uniform prices and routing).
    n : int
        Number of iterations ``N``.
    lam : float, optional
        The rate ``λ`` of (14). Default: the paper's ``(1 − α) γ_A P / τ``
        (Proposition 6.2) when the price mechanism is linear, else the largest
        tangent operator norm ``‖DΦ_K‖_2`` over the trajectory and ``n_samples``
        seeded random states (an estimate, labelled as such).
    seed : int
    n_samples : int

    Returns
    -------
    ConvergenceData
    """
    from geo_sym.maps.core import evaluate_map
    from geo_sym.maps.jacobian import numeric_jacobian, tangent_eigenvalues
    from geo_sym.solve.fixed_point import center_state, find_fixed_point

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValidationError("n", n, "an integer >= 1")
    x = center_state(econ) if start is None else (start.to_float() if start.exact else start)
    traj = [x]
    for _ in range(int(n)):
        x = evaluate_map(econ, x).state
        traj.append(x)
    flat = np.array([s.flat().astype(float) for s in traj])
    step0 = float(np.linalg.norm(flat[1] - flat[0]))
    fp = find_fixed_point(econ, traj[-1])
    rho = None
    if fp.success:
        dist = np.linalg.norm(flat - fp.state.flat().astype(float), axis=1)
        ev = tangent_eigenvalues(econ, numeric_jacobian(econ, fp.state))
        rho = float(np.max(np.abs(ev))) if ev.size else 0.0
    else:
        dist = np.linalg.norm(np.diff(flat, axis=0), axis=1)
    if lam is not None:
        kind, lam = "given", float(lam)
    else:
        lam, kind = _paper_rate(econ), "paper"
        if lam is None:
            lam = _sampled_operator_norm(econ, traj[:: max(1, len(traj) // 8)], n_samples, seed)
            kind = "sampled"
    bound = None
    if 0.0 <= lam < 1.0:
        bound = lam ** np.arange(len(dist)) / (1.0 - lam) * step0
    return ConvergenceData(
        distances=dist,
        step0=step0,
        lam=lam,
        lam_kind=kind,
        bound=bound,
        rho=rho,
        fixed_point=fp.state if fp.success else None,
        n=int(n),
        economy=econ.name,
    )


_LAM_TEXT = {
    "paper": r"$\lambda = (1-\alpha)\gamma_{\mathcal{A}}P/\tau$",
    "given": r"$\lambda$ given",
    "sampled": r"sampled $\hat\lambda = \max\|D\Phi_K\|_2$",
}


def _violation_text(above) -> str:
    """Where the distances exceed bound (14), in words."""
    if above is None or not above.any():
        return "" if above is None else "distances within bound (14) at every n shown"
    n = len(above) - 1
    first = int(np.argmax(above))
    if above.all():
        return f"bound (14) fails at every n = 0…{n}"
    if above[first:].all():
        return f"bound (14) fails from n = {first} on"
    return f"bound (14) fails at {int(above.sum())} of {n + 1} iterations"


@styled
def plot_convergence(
    econ,
    start=None,
    n: int = 60,
    lam: float | None = None,
    *,
    ax=None,
    seed: int = 0,
    title: str | None = None,
    data: ConvergenceData | None = None,
):
    r"""Convergence of the tâtonnement (13) against the paper's bound (14), log scale.

    Draws ``‖x_n − x*‖_2`` (dots), the bound ``λ^n/(1−λ) ‖x_1 − x_0‖`` of Theorem 6.1 (dashed;
    omitted, with a note, when ``λ ≥ 1``) and, for reference, the observed rate ``ρ(DΦ_K(x*))^n``
    scaled to the first distance (dotted). A note says where the distances lie above the bound
    (computed: :attr:`ConvergenceData.above_bound`). See :func:`convergence_data` for ``λ``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    d = data if data is not None else convergence_data(econ, start, n, lam, seed=seed)
    own = ax is None
    fig, ax = figure_for(ax, (SINGLE_COLUMN, 3.3))
    k = np.arange(len(d.distances))
    pos = np.where(d.distances > 0, d.distances, np.nan)
    ylab = r"$\|x_n - x^*\|_2$" if d.fixed_point is not None else r"$\|x_{n+1} - x_n\|_2$"
    ax.semilogy(k, pos, marker="o", ms=2.5, lw=0, color=PALETTE[0], label=ylab + " (observed)")
    lam_txt = _LAM_TEXT[d.lam_kind]
    estimate = "\n(an estimate, not a bound)" if d.lam_kind == "sampled" else ""
    notes = []
    if d.bound is not None:
        label = rf"bound (14), {lam_txt} $= {d.lam:.4g}$" + estimate
        ax.semilogy(k, d.bound, ls="--", lw=1.3, color=PALETTE[1], label=label)
    else:
        notes.append(f"bound (14) does not apply:\n{lam_txt}" + rf" $= {d.lam:.4g} \geq 1$" + estimate)
    if d.rho is not None and 0 < d.rho < 1 and np.isfinite(pos[0]):
        ax.semilogy(
            k,
            pos[0] * d.rho**k,
            ls=":",
            lw=1.3,
            color="0.15",
            zorder=3,
            label=rf"rate $\rho(D\Phi_K(x^*))^n$, $\rho = {d.rho:.4g}$",
        )
    elif d.rho is not None and d.rho >= 1:
        notes.append(rf"$\rho(D\Phi_K(x^*)) = {d.rho:.6g}$: no contraction at $x^*$")
    violation = _violation_text(d.above_bound)
    if violation:
        notes.append(violation)
    from matplotlib.lines import Line2D

    handles = ax.get_legend_handles_labels()[0] + [Line2D([], [], ls="none", label=note) for note in notes]
    finite = pos[np.isfinite(pos)]
    lo, top = (finite.min(), finite.max()) if finite.size else (1e-16, 1.0)
    if d.bound is not None:
        top = max(top, float(d.bound[0]))
    ax.set_ylim(max(lo / 10.0, 1e-17), top * 30.0)
    ax.set_xlabel("iteration $n$")
    ax.set_ylabel("distance to the fixed point " + ylab if d.fixed_point is not None else "step " + ylab)
    where = plain(d.economy)
    ax.set_title(title if title is not None else f"{where}: tâtonnement (13) against bound (14)")
    ax.grid(True, which="major")
    legend_below(ax, handles, own=own)
    return fig
