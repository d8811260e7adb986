r"""Klein's (2000) QZ method and Blanchard–Kahn diagnostics.

The linear system is

.. math:: A \, E_t s_{t+1} = B \, s_t, \qquad s_t = (k_t, u_t),

with ``n_k`` predetermined variables ``k`` first and jumps ``u`` after. The
pencil ``B - \lambda A`` is decomposed by ``scipy.linalg.ordqz(B, A)`` with the
stable generalized eigenvalues (``|\lambda| \le 1 + tol``) ordered first, so
``B = Q S Z^H`` and ``A = Q T Z^H``. With ``Z`` split after ``n_k`` rows and
columns, the unique bounded solution (when it exists) is

.. math:: u_t = Z_{21} Z_{11}^{-1} k_t, \qquad
          k_{t+1} = Z_{11} T_{11}^{-1} S_{11} Z_{11}^{-1} k_t .

Blanchard–Kahn (1980): it exists and is unique exactly when the number of
unstable eigenvalues equals the number of jumps and ``Z_{11}`` has full rank.
A modulus within ``tol`` of 1 counts as stable (as in Dynare, whose
``qz_criterium`` is ``1 + 1e-6``) and is flagged as a ``boundary`` case.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from geo_sym.errors import SolverError

__all__ = ["BKResult", "klein", "DETERMINATE", "INDETERMINATE", "NO_STABLE_SOLUTION"]

DETERMINATE = "determinate"
INDETERMINATE = "indeterminate"
NO_STABLE_SOLUTION = "no-stable-solution"


@dataclass(frozen=True)
class BKResult:
    """Blanchard–Kahn diagnostics of a linearized model (Section 7.1 of the paper).

    Attributes
    ----------
    status : str
        ``"determinate"`` (unique stable solution), ``"indeterminate"``
        (fewer unstable roots than forward-looking variables: a continuum of
        stable solutions, sunspots) or ``"no-stable-solution"`` (too many
        unstable roots, or the rank condition fails).
    n_forward : int
        Number of forward-looking variables (jumps whose lead enters the
        system).
    n_predetermined : int
        Number of predetermined (state) variables of the pencil.
    n_unstable : int
        Number of moduli greater than ``1 + tolerance``.
    moduli : tuple of float
        Sorted moduli of the generalized eigenvalues (``inf`` allowed), after
        removing the structurally infinite roots of static equations.
    boundary : bool
        True when some modulus lies within ``tolerance`` of 1.
    tolerance : float
        The unit-circle tolerance used.
    rank_condition : bool or None
        Whether ``Z11`` is invertible; ``None`` when the order condition
        already fails.
    message : str
        A sentence explaining the status.
    """

    status: str
    n_forward: int
    n_predetermined: int
    n_unstable: int
    moduli: tuple
    boundary: bool
    tolerance: float
    rank_condition: bool | None
    message: str

    @property
    def determinate(self) -> bool:
        """True when a unique stable solution exists."""
        return self.status == DETERMINATE

    def to_dict(self) -> dict:
        """JSON-safe dict: infinite moduli become the string ``"inf"``; never NaN."""
        return {
            "status": self.status,
            "n_unstable": self.n_unstable,
            "n_forward": self.n_forward,
            "n_predetermined": self.n_predetermined,
            "moduli": [m if math.isfinite(m) else "inf" for m in self.moduli],
            "boundary": self.boundary,
            "tolerance": self.tolerance,
            "rank_condition": self.rank_condition,
            "message": self.message,
        }

    def __repr__(self) -> str:
        return (
            f"BKResult(status={self.status!r}, n_unstable={self.n_unstable}, "
            f"n_forward={self.n_forward}, boundary={self.boundary})"
        )

    def _repr_latex_(self):
        return (
            rf"$\text{{{self.status}}}:\ {self.n_unstable}$ unstable roots for "
            rf"${self.n_forward}$ forward-looking variables (tolerance ${self.tolerance:g}$)"
        )


def klein(a, b, n_predetermined: int, *, tol: float = 1e-6, n_forward: int | None = None):
    """Solve ``A E_t s_{t+1} = B s_t`` by Klein's QZ method.

    Parameters
    ----------
    a, b : array_like, shape (N, N)
    n_predetermined : int
        Number ``n_k`` of predetermined variables; they come first in ``s``.
    tol : float
        Unit-circle tolerance: a root is unstable when ``|lambda| > 1 + tol``;
        ``boundary`` is set when ``| |lambda| - 1 | <= tol``.
    n_forward : int, optional
        Number of jumps that are really forward-looking. The other
        ``N - n_k - n_forward`` jumps are static and contribute one infinite
        root each; the same number of largest moduli is dropped from the
        report, so ``n_unstable`` compares with ``n_forward``. Default: all
        jumps.

    Returns
    -------
    bk : BKResult
    f : numpy.ndarray or None
        ``u_t = f k_t``, shape (N - n_k, n_k); ``None`` unless determinate.
    p : numpy.ndarray or None
        ``k_{t+1} = p k_t``, shape (n_k, n_k); ``None`` unless determinate.

    Raises
    ------
    SolverError
        When the pencil is singular (``det(B - lambda A)`` vanishes for all
        ``lambda``: the equations are not independent).
    """
    from scipy.linalg import ordqz

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    N = a.shape[0]
    nk = int(n_predetermined)
    nj = N - nk
    if n_forward is None:
        n_forward = nj
    tol = float(tol)

    def stable(alpha, beta):
        return np.abs(alpha) <= (1.0 + tol) * np.abs(beta)

    s, t, alpha, beta, q, z = ordqz(b, a, sort=stable, output="complex")
    scale = max(np.linalg.norm(a), np.linalg.norm(b), 1.0)
    if np.any((np.abs(alpha) < 1e-12 * scale) & (np.abs(beta) < 1e-12 * scale)):
        raise SolverError(
            "the linearized system is singular: det(B - lambda*A) = 0 for every "
            "lambda (some equations are not independent, or a variable does not "
            "enter the system)"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        # |beta| at rounding level means an infinite root (a static row of A)
        moduli = np.where(np.abs(beta) <= 1e-13 * scale, np.inf, np.abs(alpha) / np.abs(beta))
    is_stable = stable(alpha, beta)
    n_stable = int(np.sum(is_stable))
    n_static = nj - n_forward
    reported = np.sort(moduli)[: N - n_static] if n_static > 0 else np.sort(moduli)
    n_unstable = int(np.sum(reported > 1.0 + tol))
    boundary = bool(np.any(np.abs(reported - 1.0) <= tol))
    moduli_t = tuple(float(m) for m in reported)

    rank_ok = None
    f = p = None
    if n_unstable == n_forward and n_stable == nk:
        z11 = z[:nk, :nk]
        z21 = z[nk:, :nk]
        if nk == 0:
            rank_ok = True
        else:
            sv = np.linalg.svd(z11, compute_uv=False)
            rank_ok = bool(sv[-1] > 1e-10)
        if rank_ok:
            z11_inv = np.linalg.inv(z11) if nk else np.zeros((0, 0))
            f = np.real_if_close(z21 @ z11_inv, tol=1e8)
            p = (
                np.real_if_close(z11 @ np.linalg.solve(t[:nk, :nk], s[:nk, :nk]) @ z11_inv, tol=1e8)
                if nk
                else np.zeros((0, 0))
            )
            f = np.real(f).astype(float)
            p = np.real(p).astype(float)
            status = DETERMINATE
            message = (
                f"unique stable solution: {n_unstable} unstable root(s) for {n_forward} forward-looking variable(s)"
            )
        else:
            status = NO_STABLE_SOLUTION
            message = (
                "the rank condition fails: Z11 is singular, so no stable solution "
                "matches arbitrary predetermined values"
            )
    elif n_unstable < n_forward:
        status = INDETERMINATE
        message = (
            f"indeterminacy: {n_unstable} unstable root(s) for {n_forward} "
            "forward-looking variable(s); stable solutions are not unique"
        )
    else:
        status = NO_STABLE_SOLUTION
        message = f"no stable solution: {n_unstable} unstable root(s) for {n_forward} forward-looking variable(s)"
    if boundary:
        message += f"; a root lies within {tol:g} of the unit circle (boundary case)"
    bk = BKResult(
        status=status,
        n_forward=int(n_forward),
        n_predetermined=nk,
        n_unstable=n_unstable,
        moduli=moduli_t,
        boundary=boundary,
        tolerance=tol,
        rank_condition=rank_ok,
        message=message,
    )
    return bk, f, p
