r"""The first-order solution of a linearized model through a minimal state pencil.

The linearized model is :math:`F_+ \hat y_{t+1} + F_0 \hat y_t + F_- \hat y_{t-1} +
F_\varepsilon \varepsilon_t = 0`. Variables are classified by structure (as Dynare does):
*static* ones have neither lead nor lag, *backward* ones only a lag, *forward* ones only a
lead, *mixed* ones both.

1. **Equilibration.** Equations (rows) and variables (columns) are scaled by powers of two
   so that every row and column of :math:`|F_+| + |F_0| + |F_-|` has largest entry near 1.
2. **Static variables** are eliminated by a QR decomposition of their columns of
   :math:`F_0`: the last ``n - n_static`` rotated equations do not involve them.
3. **Minimal pencil.** With :math:`k_t = \hat y_{t-1}[P]` (``P``: variables with a lag) and
   :math:`u_t = \hat y_t[F]` (``F``: variables with a lead), the dynamic equations read
   :math:`A\,E_t(k_{t+1}, u_{t+1}) = B\,(k_t, u_t)` with
   :math:`A = [F_0[:, P] \; F_+[:, F]]` and :math:`B = -[F_-[:, P] \; F_0[:, F \setminus P]]`,
   plus one identity :math:`k_{t+1}[m] = u_t[m]` per mixed variable. Its size is
   ``n - n_static + n_mixed``: no lagged variable is duplicated.
4. Klein's method (:func:`dsge.solution.blanchard_kahn.klein`) gives
   :math:`u_t = G k_t`, i.e. :math:`E_t \hat y_{t+1}[F] = G \hat y_t[P]`. Then
   :math:`(F_0 + F_+[:, F]\, G\, S_P)\,[T \;\; R] = -[F_- \;\; F_\varepsilon]` (one LU
   decomposition) gives the whole solution :math:`\hat y_t = T \hat y_{t-1} + R
   \varepsilon_t`, static variables included.
"""

from __future__ import annotations

import numpy as np

from dsge.solution.blanchard_kahn import BKResult, balance_pencil, klein
from geo_sym.errors import SolverError

__all__ = ["solve_pencil", "classify"]


def classify(lin) -> dict:
    """Index lists ``lagged`` (P), ``leading`` (F), ``static``, ``mixed`` of a linearization's variables."""
    names = list(lin.variables)
    zero = 0.0
    leads = lin.leads if lin.leads is not None else [v for j, v in enumerate(names) if np.any(lin.f_lead[:, j] != zero)]
    lags = lin.lags if lin.lags is not None else [v for j, v in enumerate(names) if np.any(lin.f_lag[:, j] != zero)]
    lead_set, lag_set = set(leads), set(lags)
    return {
        "lagged": [j for j, v in enumerate(names) if v in lag_set],
        "leading": [j for j, v in enumerate(names) if v in lead_set],
        "static": [j for j, v in enumerate(names) if v not in lag_set and v not in lead_set],
        "mixed": [j for j, v in enumerate(names) if v in lag_set and v in lead_set],
    }


def _equilibrate(lin):
    fp, f0, fm = (np.asarray(m, dtype=float) for m in (lin.f_lead, lin.f_cur, lin.f_lag))
    n = f0.shape[0]
    stacked = np.abs(fp) + np.abs(f0) + np.abs(fm)
    rows, cols = balance_pencil(stacked, np.zeros((n, n)))
    scale = rows[:, None] * cols[None, :]
    fe = np.asarray(lin.f_shock, dtype=float) * rows[:, None]
    return fp * scale, f0 * scale, fm * scale, fe, cols


def _dynamic_rows(fp, f0, fm, static: list, names) -> tuple:
    """Rotate the equations so the last ones do not involve the static variables; return those rows."""
    if not static:
        return fp, f0, fm
    q, r = np.linalg.qr(f0[:, static], mode="complete")
    diag = np.abs(np.diag(r))
    if diag.size and diag.min() <= 1e-12 * max(diag.max(), 1e-300):
        missing = [names[static[j]] for j in np.flatnonzero(diag <= 1e-12 * max(diag.max(), 1e-300))]
        raise SolverError(
            "the static variables are not determined by the equations (their columns of F_0 are linearly "
            f"dependent; look at {', '.join(missing)})"
        )
    ns = len(static)
    return (q.T @ fp)[ns:], (q.T @ f0)[ns:], (q.T @ fm)[ns:]


def _pencil(fp, f0, fm, lagged, leading, mixed):
    """``(A, B)`` of the minimal pencil from the dynamic rows (columns: all variables)."""
    nk, nu = len(lagged), len(leading)
    u_pos = {j: i for i, j in enumerate(leading)}
    k_pos = {j: i for i, j in enumerate(lagged)}
    nd = fp.shape[0]
    size = nk + nu
    a = np.zeros((size, size))
    b = np.zeros((size, size))
    a[:nd, :nk] = f0[:, lagged]
    a[:nd, nk:] = fp[:, leading]
    b[:nd, :nk] = -fm[:, lagged]
    for j in leading:
        if j not in k_pos:
            b[:nd, nk + u_pos[j]] = -f0[:, j]
    for r, j in enumerate(mixed):
        a[nd + r, k_pos[j]] = 1.0
        b[nd + r, nk + u_pos[j]] = 1.0
    return a, b


def solve_pencil(lin, tol: float) -> tuple[BKResult, np.ndarray | None, np.ndarray | None]:
    """Blanchard–Kahn diagnostics and, when determinate, ``(T, R)`` of a :class:`~dsge.solution.results.Linearization`.

    Returns
    -------
    bk : BKResult
    transition, impact : numpy.ndarray or None
        ``T`` (n x n) and ``R`` (n x n_shocks) in the linearization's units; None unless
        determinate.

    Raises
    ------
    SolverError
        A singular pencil, undetermined static variables, or a singular impact system.
    """
    names = list(lin.variables)
    groups = classify(lin)
    lagged, leading, static, mixed = groups["lagged"], groups["leading"], groups["static"], groups["mixed"]
    fp, f0, fm, fe, cols = _equilibrate(lin)
    dfp, df0, dfm = _dynamic_rows(fp, f0, fm, static, names)
    a, b = _pencil(dfp, df0, dfm, lagged, leading, mixed)
    state_names = [f"{names[j]}(-1)" for j in lagged]
    if a.shape[0] == 0:
        bk = BKResult("determinate", 0, 0, 0, (), False, float(tol), True, "no dynamics: every variable is static")
        g = np.zeros((0, 0))
    else:
        bk, g, _ = klein(a, b, len(lagged), tol=tol, n_forward=len(leading), state_names=state_names, transition=False)
    if not bk.determinate:
        return bk, None, None
    m = f0.copy()
    if lagged and leading:
        m[:, lagged] += fp[:, leading] @ g
    rhs = np.hstack([fm[:, lagged], fe])
    try:
        sol = np.linalg.solve(m, -rhs)
    except np.linalg.LinAlgError:
        raise SolverError(
            "the impact matrix F_0 + F_+ G is singular; the model has no unique first-order response to shocks"
        ) from None
    n = len(names)
    transition = np.zeros((n, n))
    transition[:, lagged] = cols[:, None] * sol[:, : len(lagged)] / cols[None, lagged]
    impact = cols[:, None] * sol[:, len(lagged) :]
    if not (np.all(np.isfinite(transition)) and np.all(np.isfinite(impact))):
        raise SolverError("the first-order solution is not finite (the impact matrix is numerically singular)")
    return bk, transition, impact
