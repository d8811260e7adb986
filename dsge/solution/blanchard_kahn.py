r"""Klein's (2000) QZ method and Blanchard–Kahn diagnostics, on a balanced pencil.

The linear system is

.. math:: A \, E_t s_{t+1} = B \, s_t, \qquad s_t = (k_t, u_t),

with ``n_k`` predetermined variables ``k`` first and jumps ``u`` after. The pencil is
first **balanced**: rows and columns are scaled by powers of two (exact in floating
point) until every row and column of ``|A| + |B|`` has largest entry near 1, so that an
equation multiplied by ``1e12`` or a coefficient of ``1e12`` changes neither the
eigenvalues found nor the thresholds below. ``scipy.linalg.ordqz`` then gives the real
generalized Schur form with the stable eigenvalues (``|\lambda| \le 1 + tol``) first,
``B = Q S Z'`` and ``A = Q T Z'``. With ``Z`` split after ``n_k`` rows and columns, the
unique bounded solution (when it exists) is

.. math:: u_t = Z_{21} Z_{11}^{-1} k_t, \qquad
          k_{t+1} = Z_{11} T_{11}^{-1} S_{11} Z_{11}^{-1} k_t .

Blanchard–Kahn (1980): it exists and is unique exactly when the number of unstable
eigenvalues equals the number of jumps and ``Z_{11}`` has full rank. A modulus within
``tol`` of 1 counts as stable (as in Dynare, whose ``qz_criterium`` is ``1 + 1e-6``)
and is flagged as a ``boundary`` case. Thresholds are relative to the balanced pencil:
an eigenvalue is infinite when ``|beta| <= INFINITE_TOL * ||A||`` and the pencil is
singular when some ``alpha`` and ``beta`` are both below ``SINGULAR_TOL`` times the
norms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dsge.solution import dense, lapack
from geo_sym.display import LatexDisplay
from geo_sym.errors import SolverError
from geo_sym.maps.unit_circle import classify_roots

__all__ = [
    "BKResult",
    "klein",
    "balance_pencil",
    "balance_magnitudes",
    "frobenius",
    "DETERMINATE",
    "INDETERMINATE",
    "NO_STABLE_SOLUTION",
    "INFINITE_TOL",
    "SINGULAR_TOL",
    "RANK_TOL",
]

DETERMINATE = "determinate"
INDETERMINATE = "indeterminate"
NO_STABLE_SOLUTION = "no-stable-solution"
#: |beta| below this times ||A|| (balanced) is an infinite eigenvalue.
INFINITE_TOL = 1e-13
#: |alpha| and |beta| both below this times the norms (balanced): the pencil is singular.
SINGULAR_TOL = 1e-12
#: smallest singular value of Z11 (Z orthogonal, so scale-free) below this: the rank condition fails.
RANK_TOL = 1e-10


@dataclass(frozen=True)
class BKResult:
    """Blanchard–Kahn diagnostics of a linearized model (Section 7.1 of the paper).

    Attributes
    ----------
    status : str
        ``"determinate"`` (unique stable solution), ``"indeterminate"`` (fewer unstable
        roots than forward-looking variables: a continuum of stable solutions, sunspots)
        or ``"no-stable-solution"`` (too many unstable roots, or the rank condition fails).
    n_forward : int
        Number of forward-looking variables (jumps whose lead enters the system).
    n_predetermined : int
        Number of predetermined (state) variables of the pencil.
    n_unstable : int
        Number of moduli greater than ``1 + tolerance``.
    moduli : tuple of float
        Sorted moduli of the generalized eigenvalues (``inf`` allowed, never NaN).
    boundary : bool
        True when some modulus lies within ``tolerance`` of 1.
    tolerance : float
        The unit-circle tolerance used.
    rank_condition : bool or None
        Whether ``Z11`` is invertible; ``None`` when the order condition already fails.
    message : str
        A sentence explaining the status (for a rank failure: which combination of the
        predetermined variables no stable path can start from).
    eigenvalues : tuple of complex
        The generalized eigenvalues, sorted by modulus (infinite ones as ``complex(inf, 0)``).
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
    eigenvalues: tuple = ()

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

    def to_frame(self):
        """The eigenvalues (modulus, real and imaginary parts), sorted by modulus (needs pandas)."""
        from dsge.solution.frames import pandas_module

        pd = pandas_module()
        rows = [(abs(e), e.real if math.isfinite(abs(e)) else math.inf, e.imag) for e in self.eigenvalues]
        return pd.DataFrame(rows, columns=["modulus", "real", "imaginary"])

    def __repr__(self) -> str:
        return (
            f"BKResult(status={self.status!r}, n_unstable={self.n_unstable}, "
            f"n_forward={self.n_forward}, boundary={self.boundary})"
        )

    _repr_latex_ = LatexDisplay._repr_latex_  # the display is in dsge.document (geo_sym.display registry)


def _inverse_power_of_two(x: np.ndarray) -> np.ndarray:
    """``2^-e`` with ``x * 2^-e`` in ``[1/2, 1)`` where ``x > 0``; 1 where ``x == 0``."""
    return np.ldexp(1.0, -np.frexp(x)[1])


def balance_pencil(a: np.ndarray, b: np.ndarray, sweeps: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Row and column scalings (powers of two, so exact) equilibrating ``|A| + |B|``.

    Alternating sweeps bring each row's, then each column's, largest entry of
    ``diag(dl) (|A| + |B|) diag(dr)`` into ``[1/2, 1)``, until the column scalings stop
    changing (at most ``sweeps`` times). Any scaling leaves the
    generalized eigenvalues unchanged; this one makes the thresholds of :func:`klein`
    relative to entries of size about 1. Zero rows and columns keep the scale 1.

    Returns
    -------
    dl, dr : numpy.ndarray
    """
    return balance_magnitudes(np.abs(a) + np.abs(b), sweeps)


def balance_magnitudes(m: np.ndarray, sweeps: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """:func:`balance_pencil` given ``m = |A| + |B|`` (nonnegative) directly."""
    dl, dr = np.ones(m.shape[0]), np.ones(m.shape[1])
    scaled = m  # m diag(dr), with dr = 1 at first
    for _ in range(sweeps):
        dl = _inverse_power_of_two(scaled.max(axis=1, initial=0.0))
        new = _inverse_power_of_two((m * dl[:, None]).max(axis=0, initial=0.0))
        if (new == dr).all():
            break
        dr = new
        scaled = m * dr[None, :]
    return dl, dr


def _ordqz(b, a, tol):
    """Real ordered QZ with the stable eigenvalues first (NumPy's LAPACK when usable, else SciPy); ``a``, ``b`` kept.

    ``(S, T, alpha, beta, Q, Z)`` with ``alpha`` and ``beta`` as lists (see :func:`dsge.solution.lapack.ordqz`).
    """

    try:
        out = lapack.ordqz(b, a, tol)
        if out is None:
            from scipy.linalg import ordqz

            def stable(alpha, beta):
                return np.abs(alpha) <= (1.0 + tol) * np.abs(beta)

            s, t, alpha, beta, q, z = ordqz(b, a, sort=stable, output="real", check_finite=False)
            out = s, t, alpha.tolist(), beta.tolist(), q, z
    except (np.linalg.LinAlgError, ValueError) as exc:
        raise SolverError(f"the QZ decomposition of the linearized system failed ({exc})") from None
    return out


def _rank_message(z11: np.ndarray, state_names) -> str:
    _, sv, vt = np.linalg.svd(z11)
    direction = vt[-1]
    direction = direction / direction[np.argmax(np.abs(direction))]
    names = list(state_names) if state_names is not None else [f"k{j + 1}" for j in range(len(direction))]
    terms = [f"{c:+.3g}*{names[j]}" for j, c in enumerate(direction) if abs(c) > 1e-8]
    return (
        "the rank condition fails: the stable eigenvectors do not span the predetermined variables (Z11 is "
        f"singular, smallest singular value {sv[-1]:.2g}), so no stable path starts from states along "
        + " ".join(terms).lstrip("+")
        + "; a predetermined variable is probably not determined by the equations (check its timing)"
    )


def klein(
    a,
    b,
    n_predetermined: int,
    *,
    tol: float = 1e-6,
    n_forward: int | None = None,
    state_names=None,
    transition=True,
    balance=True,
):
    """Solve ``A E_t s_{t+1} = B s_t`` by Klein's QZ method on the balanced pencil.

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
        ``N - n_k - n_forward`` jumps are static and contribute one infinite root each;
        the same number of largest moduli is dropped from the report, so ``n_unstable``
        compares with ``n_forward``. Default: all jumps.
    state_names : sequence of str, optional
        Names of the predetermined variables, used to explain a rank failure.
    transition : bool
        Compute ``p`` (False: ``p`` is None, one inversion saved).
    balance : bool
        Balance the pencil first (False when the caller has equilibrated it: a second
        balancing can slow the QZ iteration down without making it more accurate).

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
        When the pencil is singular (``det(B - lambda A)`` vanishes for all ``lambda``:
        the equations are not independent) or not finite.
    """
    a = np.asarray(a, dtype=float)  # neither is modified: the QZ works on copies
    b = np.asarray(b, dtype=float)
    if not (dense.all_finite(a) and dense.all_finite(b)):
        raise SolverError("the linearized system has entries that are not finite")
    nk = int(n_predetermined)
    nj = a.shape[0] - nk
    n_forward = nj if n_forward is None else int(n_forward)
    tol = float(tol)
    dr = None
    if balance:
        dl, dr = balance_pencil(a, b)
        a, b = a * dl[:, None] * dr[None, :], b * dl[:, None] * dr[None, :]
    s, t, alpha, beta, z, abs_alpha, abs_beta = _schur(a, b, tol)
    roots = _roots(alpha, beta, nj - n_forward, tol)
    n_stable = sum(1 for x, y in zip(abs_alpha, abs_beta) if x <= (1.0 + tol) * y)  # as the ordering selected
    rank_ok, f, p = None, None, None
    if roots["n_unstable"] == n_forward and n_stable == nk:
        rank_ok, f, p = _saddle_path(s, t, z, dr, nk, transition)
    status, message = _status(roots["n_unstable"], n_forward, rank_ok, z[:nk, :nk], state_names)
    if roots["boundary"]:
        message += f"; a root lies within {tol:g} of the unit circle (boundary case)"
    bk = BKResult(
        status=status,
        n_forward=n_forward,
        n_predetermined=nk,
        n_unstable=roots["n_unstable"],
        moduli=roots["moduli"],
        boundary=roots["boundary"],
        tolerance=tol,
        rank_condition=rank_ok,
        message=message,
        eigenvalues=roots["eigenvalues"],
    )
    return bk, f, p


def _saddle_path(s, t, z, dr, nk: int, transition: bool):
    """``(rank condition, f, p)`` from the ordered QZ: ``u_t = f k_t``, ``k_{t+1} = p k_t``, unbalanced.

    ``dr``: the column scaling of the balanced pencil (None: not balanced). The rank condition is
    that ``Z_11`` is nonsingular; ``f`` and ``p`` are ``None`` when it fails (``p`` also without
    ``transition``).
    """
    nj = z.shape[0] - nk
    z11, z21 = z[:nk, :nk], z[nk:, :nk]
    rank_ok = bool(nk == 0 or dense.singular_values(z11)[-1] > RANK_TOL)
    if not rank_ok:
        return rank_ok, None, None
    f = dense.solve(z11.T, z21.T).T if nk else np.zeros((nj, 0))
    if dr is not None:
        f = dr[nk:, None] * f / dr[None, :nk]
    p = None
    if transition:
        p = z11 @ np.linalg.solve(t[:nk, :nk], s[:nk, :nk]) @ np.linalg.inv(z11) if nk else np.zeros((0, 0))
        if dr is not None:
            p = dr[:nk, None] * p / dr[None, :nk]
    return rank_ok, f, p


def _schur(a_bal: np.ndarray, b_bal: np.ndarray, tol: float):
    """Ordered QZ of the balanced pencil: ``(S, T, alpha, beta, Z, |alpha|, |beta|)``, the last four as lists.

    A singular pencil (``alpha = beta = 0``) is an error; ``beta`` at rounding level is set to 0
    (an infinite eigenvalue). The eigenvalue lists are post-processed in Python: ``O(N)``
    work beside the ``O(N^3)`` decomposition, without an array call per step.
    """
    norm_a, norm_b = max(frobenius(a_bal), 1e-300), max(frobenius(b_bal), 1e-300)
    s, t, alpha, beta, _, z = _ordqz(b_bal, a_bal, tol)
    abs_alpha, abs_beta = [abs(x) for x in alpha], [abs(x) for x in beta]
    zero_a, zero_b = SINGULAR_TOL * norm_b, SINGULAR_TOL * norm_a
    if any(x <= zero_a and y <= zero_b for x, y in zip(abs_alpha, abs_beta)):
        raise SolverError(
            "the linearized system is singular: det(B - lambda*A) = 0 for every lambda (some equations are "
            "not independent, or a variable does not enter the system)"
        )
    # beta at rounding level (relative to the balanced A) is an infinite eigenvalue
    cut = INFINITE_TOL * norm_a
    beta = [0.0 if y <= cut else x for x, y in zip(beta, abs_beta)]
    abs_beta = [0.0 if y <= cut else y for y in abs_beta]
    return s, t, alpha, beta, z, abs_alpha, abs_beta


def frobenius(m: np.ndarray) -> float:
    """``numpy.linalg.norm(m)`` for a vector or a matrix (``sqrt(v . v)`` over the entries), without its wrapper."""
    v = m.ravel(order="K")
    return math.sqrt(float(v.dot(v)))


def _roots(alpha, beta, n_static: int, tol: float) -> dict:
    """Eigenvalues sorted by modulus (the ``n_static`` largest, static jumps' infinite roots, dropped)."""
    eig = [complex(math.inf, 0.0) if b == 0 else a / b for a, b in zip(alpha, beta)]
    eig.sort(key=abs)
    if n_static > 0:
        eig = eig[: len(eig) - n_static]
    moduli = tuple(abs(e) for e in eig)
    classes = classify_roots(eig, tol)  # the one counting rule, shared with every eigenvalue figure
    return {
        "moduli": moduli,
        "eigenvalues": tuple(eig),
        "n_unstable": classes.n_unstable,
        "boundary": classes.n_boundary > 0,
    }


def _status(n_unstable: int, n_forward: int, rank_ok, z11, state_names) -> tuple[str, str]:
    counts = f"{n_unstable} unstable root(s) for {n_forward} forward-looking variable(s)"
    if rank_ok:
        return DETERMINATE, f"unique stable solution: {counts}"
    if rank_ok is False:
        return NO_STABLE_SOLUTION, _rank_message(z11, state_names)
    if n_unstable < n_forward:
        return INDETERMINATE, f"indeterminacy: {counts}; stable solutions are not unique"
    return NO_STABLE_SOLUTION, f"no stable solution: {counts}"
