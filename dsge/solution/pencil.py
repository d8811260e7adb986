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

from dsge.solution.blanchard_kahn import BKResult, balance_magnitudes, klein
from geo_sym.errors import SolverError

__all__ = ["solve_pencil", "classify", "minimal_pencil", "full_pencil", "equilibrate"]


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


def equilibrate(lin):
    """``(F+, F0, F-, Fe, column scales)`` with equations and variables scaled by powers of two."""
    fp, f0, fm = (np.asarray(m, dtype=float) for m in (lin.f_lead, lin.f_cur, lin.f_lag))
    rows, cols = balance_magnitudes(np.abs(fp) + np.abs(f0) + np.abs(fm))
    scale = rows[:, None] * cols[None, :]
    fe = np.asarray(lin.f_shock, dtype=float) * rows[:, None]
    return fp * scale, f0 * scale, fm * scale, fe, cols


def _static_rotation(f0, static: list, names):
    """``(free, touched, Q2')``: equations without static variables, those with some, and the rotation of the latter.

    ``Q2'`` (from a QR decomposition of the static columns of ``F_0`` on the touched equations)
    maps the touched equations to combinations free of the static variables.
    """
    in_static = f0[:, static].any(axis=1)
    touched, free = np.flatnonzero(in_static), np.flatnonzero(~in_static)
    q, r = np.linalg.qr(f0[touched][:, static], mode="complete")
    diag = np.abs(r.diagonal())
    ns = len(static)
    largest = max(float(diag.max(initial=0.0)), 1e-300)
    if len(touched) < ns or (diag.size and diag.min() <= 1e-12 * largest):
        bad = np.flatnonzero(diag <= 1e-12 * largest) if len(touched) >= ns else range(ns)
        raise SolverError(
            "the static variables are not determined by the equations (their columns of F_0 are linearly "
            f"dependent; look at {', '.join(names[static[j]] for j in bad)})"
        )
    return free, touched, q[:, ns:].T


def minimal_pencil(fp, f0, fm, groups: dict, names) -> tuple[np.ndarray, np.ndarray]:
    """``(A, B)`` of the minimal pencil (module docstring) from the (equilibrated) derivative matrices."""
    lagged, leading, static, mixed = groups["lagged"], groups["leading"], groups["static"], groups["mixed"]
    n = f0.shape[1]
    lag_set = set(lagged)
    forward_only = [j for j in leading if j not in lag_set]
    stacked = np.hstack([f0, fp, fm])  # [F0 F+ F-]: rotated once, then its columns picked
    if static:
        free, touched, qt = _static_rotation(f0, static, names)
        stacked = np.vstack([stacked[free], qt @ stacked[touched]])
    nk, nu = len(lagged), len(leading)
    nd = stacked.shape[0]
    a = np.zeros((nk + nu, nk + nu))
    b = np.zeros((nk + nu, nk + nu))
    a[:nd, :nk] = stacked[:, lagged]
    a[:nd, nk:] = stacked[:, [n + j for j in leading]]
    b[:nd, :nk] = -stacked[:, [2 * n + j for j in lagged]]
    u_pos = {j: i for i, j in enumerate(leading)}
    b[:nd, [nk + u_pos[j] for j in forward_only]] = -stacked[:, forward_only]
    k_pos = {j: i for i, j in enumerate(lagged)}
    for r, j in enumerate(mixed):
        a[nd + r, k_pos[j]] = 1.0
        b[nd + r, nk + u_pos[j]] = 1.0
    return a, b


def full_pencil(fp, f0, fm, groups: dict) -> tuple[np.ndarray, np.ndarray]:
    """The ``(n + n_mixed)``-square pencil without static elimination (states ``y_{t-1}[P]``, every current variable not lagged)."""
    lagged = groups["lagged"]
    current = sorted(set(range(f0.shape[1])) - set(lagged)) + list(groups["mixed"])
    keep = dict(groups, leading=sorted(current), static=[])
    return minimal_pencil(fp, f0, fm, keep, [])


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
    lagged, leading = groups["lagged"], groups["leading"]
    fp, f0, fm, fe, cols = equilibrate(lin)
    a, b = minimal_pencil(fp, f0, fm, groups, names)
    state_names = [f"{names[j]}(-1)" for j in lagged]
    if a.shape[0] == 0:
        bk = BKResult("determinate", 0, 0, 0, (), False, float(tol), True, "no dynamics: every variable is static")
        g = np.zeros((0, 0))
    else:
        bk, g, _ = klein(
            a, b, len(lagged), tol=tol, n_forward=len(leading), state_names=state_names, transition=False, balance=False
        )
    if not bk.determinate:
        return bk, None, None
    m = f0.copy()
    if lagged and leading:
        m[:, lagged] += fp[:, leading] @ g
    rhs = np.hstack([fm[:, lagged], fe])
    rhs *= -1.0
    try:
        sol = np.linalg.solve(m, rhs)
    except np.linalg.LinAlgError:
        raise SolverError(
            "the impact matrix F_0 + F_+ G is singular; the model has no unique first-order response to shocks"
        ) from None
    n = len(names)
    sol *= cols[:, None]  # back to the model's units (rows); the states' columns are unscaled below
    transition = np.zeros((n, n))
    transition[:, lagged] = sol[:, : len(lagged)] / cols[None, lagged]
    impact = sol[:, len(lagged) :]
    if not (np.isfinite(transition).all() and np.isfinite(impact).all()):
        raise SolverError("the first-order solution is not finite (the impact matrix is numerically singular)")
    return bk, transition, impact
