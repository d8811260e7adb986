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

import functools
from dataclasses import dataclass

import numpy as np

from dsge.solution import dense
from dsge.solution.blanchard_kahn import BKResult, balance_magnitudes, klein
from geo_sym.errors import SolverError

__all__ = ["solve_pencil", "classify", "layout", "Layout", "minimal_pencil", "full_pencil", "equilibrate"]


def _names_with(lin, matrix) -> tuple:
    return tuple(v for j, v in enumerate(lin.variables) if np.any(matrix[:, j] != 0.0))


def layout(lin) -> Layout:
    """The :class:`Layout` of a linearization (computed once per model structure)."""
    leads = tuple(lin.leads) if lin.leads is not None else _names_with(lin, lin.f_lead)
    lags = tuple(lin.lags) if lin.lags is not None else _names_with(lin, lin.f_lag)
    return _layout(tuple(lin.variables), leads, lags)


@dataclass(frozen=True, eq=False)
class Layout:
    """Where each block of the minimal pencil comes from, for one model structure.

    Columns index the stacked derivative matrix ``[F_+  F_0  F_-]`` (``n x 3n``, the order of
    :meth:`dsge.model.core.CompiledModel.jacobian`).
    """

    names: tuple
    lagged: np.ndarray  # P
    leading: np.ndarray  # F
    static: np.ndarray
    mixed: np.ndarray
    a_take: np.ndarray  # A[:, :] = stacked[:, a_take]: F_0[:, P], then F_+[:, F]
    b_take: np.ndarray  # B[:, b_put] = -stacked[:, b_take]: F_-[:, P], then F_0[:, F \ P]
    b_put: np.ndarray
    identity: tuple  # (rows from the end, A columns, B columns) of the mixed variables' identities

    @property
    def n(self) -> int:
        """Number of variables."""
        return len(self.names)


@functools.lru_cache(maxsize=256)
def _layout(names: tuple, leads: tuple, lags: tuple) -> Layout:
    lead_set, lag_set = set(leads), set(lags)
    n = len(names)
    lagged = [j for j, v in enumerate(names) if v in lag_set]
    leading = [j for j, v in enumerate(names) if v in lead_set]
    static = [j for j, v in enumerate(names) if v not in lag_set and v not in lead_set]
    mixed = [j for j, v in enumerate(names) if v in lag_set and v in lead_set]
    forward_only = [j for j in leading if names[j] not in lag_set]
    nk = len(lagged)
    u_pos = {j: nk + i for i, j in enumerate(leading)}
    k_pos = {j: i for i, j in enumerate(lagged)}
    index = functools.partial(np.array, dtype=np.intp)
    return Layout(
        names=names,
        lagged=index(lagged),
        leading=index(leading),
        static=index(static),
        mixed=index(mixed),
        a_take=index([n + j for j in lagged] + leading),
        b_take=index([2 * n + j for j in lagged] + [n + j for j in forward_only]),
        b_put=index(list(range(nk)) + [u_pos[j] for j in forward_only]),
        identity=(len(mixed), index([k_pos[j] for j in mixed]), index([u_pos[j] for j in mixed])),
    )


def classify(lin) -> dict:
    """Index lists ``lagged`` (P), ``leading`` (F), ``static``, ``mixed`` of a linearization's variables."""
    lay = layout(lin)
    return {k: getattr(lay, k).tolist() for k in ("lagged", "leading", "static", "mixed")}


def equilibrate(lin) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(stacked, F_eps, column scales)``: ``[F_+ F_0 F_-]`` and ``F_eps`` with equations and variables scaled by powers of two."""
    stacked = np.concatenate((lin.f_lead, lin.f_cur, lin.f_lag), axis=1)
    n = stacked.shape[0]
    rows, cols = balance_magnitudes(np.abs(stacked).reshape(n, 3, n).sum(axis=1))
    stacked.reshape(n, 3, n)[...] *= rows[:, None, None] * cols  # a view: F_+, F_0, F_- scaled alike
    return stacked, lin.f_shock * rows[:, None], cols


def _static_rotation(f0_static: np.ndarray, static: np.ndarray, names):
    """``(free, touched, Q2')``: equations without static variables, those with some, and the rotation of the latter.

    ``f0_static``: the static variables' columns of ``F_0``. ``Q2'`` (from a QR decomposition of
    them on the touched equations) maps the touched equations to combinations free of the static
    variables.
    """
    in_static = f0_static.any(axis=1)
    touched, free = in_static.nonzero()[0], (~in_static).nonzero()[0]
    q, diag = dense.qr_complete(f0_static[touched])
    ns = len(static)
    largest = max(float(diag.max(initial=0.0)), 1e-300)
    if len(touched) < ns or (diag.size and diag.min() <= 1e-12 * largest):
        bad = np.flatnonzero(diag <= 1e-12 * largest) if len(touched) >= ns else range(ns)
        raise SolverError(
            "the static variables are not determined by the equations (their columns of F_0 are linearly "
            f"dependent; look at {', '.join(names[static[j]] for j in bad)})"
        )
    return free, touched, q[:, ns:].T


def minimal_pencil(stacked: np.ndarray, lay: Layout, names) -> tuple[np.ndarray, np.ndarray]:
    """``(A, B)`` of the minimal pencil (module docstring) from the (equilibrated) ``[F_+ F_0 F_-]``."""
    n = lay.n
    if lay.static.size:
        free, touched, qt = _static_rotation(stacked.take(n + lay.static, axis=1), lay.static, names)
        stacked = np.concatenate((stacked[free], qt.dot(stacked[touched])))
    size = lay.lagged.size + lay.leading.size
    nd = stacked.shape[0]
    a = np.zeros((size, size))
    b = np.zeros((size, size))
    a[:nd] = stacked.take(lay.a_take, axis=1)
    b[:nd, lay.b_put] = stacked.take(lay.b_take, axis=1)
    b[:nd] *= -1.0
    n_mixed, a_cols, b_cols = lay.identity
    if n_mixed:
        rows = np.arange(nd, nd + n_mixed)
        a[rows, a_cols] = 1.0
        b[rows, b_cols] = 1.0
    return a, b


def full_pencil(stacked: np.ndarray, lay: Layout) -> tuple[np.ndarray, np.ndarray]:
    """The ``(n + n_mixed)``-square pencil without static elimination (states ``y_{t-1}[P]``, every current variable not lagged)."""
    lagged = {lay.names[j] for j in lay.lagged.tolist()}
    mixed = {lay.names[j] for j in lay.mixed.tolist()}
    leads = tuple(v for v in lay.names if v not in lagged or v in mixed)
    lags = tuple(v for v in lay.names if v in lagged)
    return minimal_pencil(stacked, _layout(lay.names, leads, lags), lay.names)


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
    names = lin.variables
    lay = layout(lin)
    lagged, leading = lay.lagged, lay.leading
    nk, n = lagged.size, lay.n
    stacked, fe, cols = equilibrate(lin)
    a, b = minimal_pencil(stacked, lay, names)
    if a.shape[0] == 0:
        bk = BKResult("determinate", 0, 0, 0, (), False, float(tol), True, "no dynamics: every variable is static")
        g = np.zeros((0, 0))
    else:
        state_names = [f"{names[j]}(-1)" for j in lagged.tolist()]
        bk, g, _ = klein(
            a, b, nk, tol=tol, n_forward=leading.size, state_names=state_names, transition=False, balance=False
        )
    if not bk.determinate:
        return bk, None, None
    m = stacked[:, n : 2 * n].copy()
    if nk and leading.size:
        m[:, lagged] += stacked.take(leading, axis=1).dot(g)
    rhs = np.concatenate((stacked.take(2 * n + lagged, axis=1), fe), axis=1)
    rhs *= -1.0
    try:
        sol = dense.solve(m, rhs)
    except np.linalg.LinAlgError:
        raise SolverError(
            "the impact matrix F_0 + F_+ G is singular; the model has no unique first-order response to shocks"
        ) from None
    if not dense.all_finite(sol):
        raise SolverError("the first-order solution is not finite (the impact matrix is numerically singular)")
    sol *= cols[:, None]  # back to the model's units (rows); the states' columns are unscaled below
    transition = np.zeros((n, n))
    transition[:, lagged] = sol[:, :nk] / cols[lagged]
    return bk, transition, sol[:, nk:]
