r"""The literature's determinacy boundaries over Taylor-rule coefficients, computed from the model.

**The three-equation New Keynesian model** (Woodford 2003; Bullard and Mitra 2002, contemporaneous
rule). A model is recognised as it when its linearization has exactly this form, whatever its
variables are called: three core equations

.. math::
    x_t = E_t x_{t+1} - \tfrac{1}{\sigma}(i_t - E_t\pi_{t+1}) + \dots, \qquad
    \pi_t = \beta E_t \pi_{t+1} + \kappa x_t + \dots, \qquad
    i_t = \phi_\pi \pi_t + \phi_y x_t + \dots

(``…``: current values of exogenous variables), and any number of exogenous AR(1) processes
``v_t = ρ v_{t-1} + ε_t`` with ``|ρ| < 1``, with ``σ > 0``, ``κ > 0`` and ``0 < β < 1``. Eliminating
``i`` leaves ``E_t z_{t+1} = M z_t`` for ``z = (x, π)``, whose characteristic polynomial (times
``σ``) is

.. math:: p(\lambda) = \sigma\beta\lambda^2 - (\sigma + \sigma\beta + \beta\phi_y + \kappa)\lambda
          + \sigma + \phi_y + \kappa\phi_\pi .

Both roots lie outside the unit circle (two forward-looking variables: determinacy) exactly when
``p(1) > 0``, ``p(-1) > 0`` and ``σ + φ_y + κφ_π > σβ`` (Jury's conditions on the reciprocal
polynomial). For ``φ_π, φ_y ≥ 0`` the last two always hold, so the boundary is
``p(1) = κ(φ_π − 1) + (1 − β)φ_y = 0``: the line drawn, with ``β`` and ``κ`` read off the model's
linearization (never typed in). It is drawn only where ``φ_π, φ_y ≥ 0`` (exact there).

**Other models**: on a map over a parameter named ``phi_pi`` the literature's Taylor principle
``φ_π = 1`` is drawn and labelled as a rule of thumb, not as this model's boundary (``geo-sym
determinacy`` computes the exact one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from geo_sym.errors import GeoSymError
from geo_sym.render.boundaries import BoundaryLine, cell_edges, curve_points

__all__ = ["NK3Form", "nk3_form", "taylor_boundaries"]

_RTOL = 1e-9


@dataclass(frozen=True)
class NK3Form:
    """The coefficients of a model recognised as the three-equation New Keynesian model.

    Attributes
    ----------
    beta, kappa, sigma, phi_pi, phi_y : float
    output, inflation, rate : str
        The model's names of ``x``, ``π`` and ``i``.
    exogenous : tuple of str
    """

    beta: float
    kappa: float
    sigma: float
    phi_pi: float
    phi_y: float
    output: str
    inflation: str
    rate: str
    exogenous: tuple = ()

    def p1(self, phi_pi, phi_y):
        """``p(1) = κ(φ_π − 1) + (1 − β)φ_y``: positive exactly where the model is determinate (``φ ≥ 0``)."""
        return self.kappa * (np.asarray(phi_pi) - 1.0) + (1.0 - self.beta) * np.asarray(phi_y)


def _support(row, eps) -> set:
    return set(np.flatnonzero(np.abs(row) > eps).tolist())


def _exogenous(fp, f0, fm, eps) -> dict | None:
    """``{variable: its row}`` for AR(1) processes ``v = ρ v(-1) + …`` with ``|ρ| < 1``; None if one is not stable."""
    exo = {}
    for j in range(f0.shape[1]):
        if np.any(np.abs(fp[:, j]) > eps):
            continue
        rows = np.flatnonzero(np.abs(fm[:, j]) > eps)
        if rows.size == 0:  # ρ = 0: v = ε, a row with v alone
            own = [r for r in range(f0.shape[0]) if _support(f0[r], eps) == {j} and not _support(fm[r], eps)]
            if len(own) == 1 and not _support(fp[own[0]], eps):
                exo[j] = own[0]
            continue
        if rows.size != 1:
            continue
        r = int(rows[0])
        if _support(f0[r], eps) != {j} or _support(fm[r], eps) != {j} or _support(fp[r], eps):
            continue
        if abs(fm[r, j] / f0[r, j]) >= 1.0:
            return None
        exo[j] = r
    return exo


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _RTOL * max(1.0, abs(a), abs(b))


def nk3_form(model) -> NK3Form | None:
    """The model's :class:`NK3Form` when its linearization is the three-equation NK model, else None."""
    try:
        lin = model.linearize()
    except GeoSymError:
        return None
    if len(lin.variables) != lin.declared:
        return None
    fp, f0, fm = (np.asarray(m, dtype=float) for m in (lin.f_lead, lin.f_cur, lin.f_lag))
    eps = 1e-12 * max(1.0, float(np.abs(np.hstack([fp, f0, fm])).max()))
    exo = _exogenous(fp, f0, fm, eps)
    if exo is None:
        return None
    core = [j for j in range(f0.shape[1]) if j not in exo]
    rows = [r for r in range(f0.shape[0]) if r not in exo.values()]
    if len(core) != 3 or len(rows) != 3 or np.any(np.abs(fm[np.ix_(rows, core)]) > eps):
        return None
    forward = [j for j in core if np.any(np.abs(fp[:, j]) > eps)]
    if len(forward) != 2:
        return None
    (i,) = [j for j in core if j not in forward]
    roles = _rows(fp, f0, rows, i, eps)
    if roles is None:
        return None
    pc, is_, rule = roles
    (pi,) = _support(fp[pc], eps)
    (x,) = [j for j in forward if j != pi]
    return _coefficients(fp, f0, pc, is_, rule, x, pi, i, core, eps, lin.variables, exo)


def _rows(fp, f0, rows, i, eps):
    """``(Phillips curve, IS curve, rule)`` rows by their pattern, or None."""
    rule = [r for r in rows if not _support(fp[r], eps) and abs(f0[r, i]) > eps]
    pc = [r for r in rows if abs(f0[r, i]) <= eps]
    if len(rule) != 1 or len(pc) != 1 or rule[0] == pc[0]:
        return None
    (is_,) = [r for r in rows if r not in (rule[0], pc[0])]
    return pc[0], is_, rule[0]


def _coefficients(fp, f0, pc, is_, rule, x, pi, i, core, eps, names, exo) -> NK3Form | None:
    def core_support(row):
        return _support(row, eps) & set(core)

    if _support(fp[pc], eps) != {pi} or core_support(f0[pc]) != {pi, x}:
        return None
    if _support(fp[is_], eps) != {x, pi} or core_support(f0[is_]) != {x, i}:
        return None
    if core_support(f0[rule]) - {i, pi, x}:
        return None
    beta = -fp[pc, pi] / f0[pc, pi]
    kappa = -f0[pc, x] / f0[pc, pi]
    a = f0[is_, x]
    inv_sigma = f0[is_, i] / a
    if not (_close(fp[is_, x], -a) and _close(fp[is_, pi] / a, -inv_sigma)):
        return None
    if not (0.0 < beta < 1.0 and kappa > 0.0 and inv_sigma > 0.0):
        return None
    return NK3Form(
        beta=float(beta),
        kappa=float(kappa),
        sigma=float(1.0 / inv_sigma),
        phi_pi=float(-f0[rule, pi] / f0[rule, i]),
        phi_y=float(-f0[rule, x] / f0[rule, i]),
        output=names[x],
        inflation=names[pi],
        rate=names[i],
        exogenous=tuple(names[j] for j in exo),
    )


# ----------------------------------------------------------------------------- boundaries on a map
def _role(values, xs_pts, ys_pts, base) -> str | None:
    """Which axis a coefficient equals at every sample (``"x"``, ``"y"``), ``"const"``, or None."""
    if all(_close(v, p) for v, p in zip(values, xs_pts)):
        return "x"
    if all(_close(v, p) for v, p in zip(values, ys_pts)):
        return "y"
    if all(_close(v, base) for v in values):
        return "const"
    return None


def _samples(model, xname, xs, yname, ys):
    pts = [(float(a), float(b)) for a in (xs[0], xs[len(xs) // 2], xs[-1]) for b in (ys[0], ys[len(ys) // 2], ys[-1])]
    forms = []
    for a, b in pts:
        try:
            forms.append(nk3_form(model.with_parameters({xname: a, yname: b})))
        except GeoSymError:
            forms.append(None)
    return pts, forms


def _note(label, note, kind="nk3") -> BoundaryLine:
    return BoundaryLine(label, np.empty(0), np.empty(0), note=note, kind=kind)


def taylor_boundaries(model, xname: str, xs, yname: str, ys) -> tuple:
    """The Taylor-principle boundary on a determinacy map over ``(xname, yname)`` (see the module docstring).

    Parameters
    ----------
    model : dsge Model
    xname, yname : str
        Parameters on the horizontal and vertical axes.
    xs, ys : array_like
        The map's grid (cell centres).

    Returns
    -------
    tuple of BoundaryLine
        The exact NK3 boundary (or a note saying why it is not drawn) when the model is the NK3
        model; the rule-of-thumb line ``φ_π = 1`` when an axis is a parameter named ``phi_pi`` of
        another model; empty otherwise.
    """
    xs, ys = np.sort(np.asarray(xs, dtype=float).ravel()), np.sort(np.asarray(ys, dtype=float).ravel())
    form = nk3_form(model)
    if form is not None:
        return (_nk3_line(model, form, xname, xs, yname, ys),)
    if "phi_pi" in (xname, yname):
        return (_rule_of_thumb(xname == "phi_pi", xs, ys),)
    return ()


def _rule_of_thumb(on_x: bool, xs, ys) -> BoundaryLine:
    ex, ey = cell_edges(xs)[[0, -1]], cell_edges(ys)[[0, -1]]
    label = r"Taylor principle $\phi_\pi = 1$" + "\n(literature's rule of thumb, not derived for this model)"
    if on_x:
        x, y = np.array([1.0, 1.0]), ey.copy()
    else:
        x, y = ex.copy(), np.array([1.0, 1.0])
    inside = ex[0] <= 1.0 <= ex[1] if on_x else ey[0] <= 1.0 <= ey[1]
    if not inside:
        return _note(label, r"Taylor principle $\phi_\pi = 1$: outside the map", "taylor-principle")
    return BoundaryLine(label, x, y, kind="taylor-principle")


def _nk3_line(model, form: NK3Form, xname, xs, yname, ys) -> BoundaryLine:
    label = (
        "exact NK3 boundary\n"
        + r"$\kappa(\phi_\pi - 1) + (1-\beta)\phi_y = 0$"
        + "\n"
        + rf"($\beta = {form.beta:.6g}$, $\kappa = {form.kappa:.6g}$; $\phi_\pi, \phi_y \geq 0$)"
    )
    pts, forms = _samples(model, xname, xs, yname, ys)
    if any(f is None for f in forms):
        return _note(label, "NK3 boundary not drawn: the model leaves the NK3 form somewhere on this map")
    if not all(_close(f.beta, form.beta) and _close(f.kappa, form.kappa) for f in forms):
        return _note(label, r"NK3 boundary not drawn: $\beta$ or $\kappa$ changes on this map (drawn over the rule)")
    px, py = [p[0] for p in pts], [p[1] for p in pts]
    r_pi = _role([f.phi_pi for f in forms], px, py, form.phi_pi)
    r_y = _role([f.phi_y for f in forms], px, py, form.phi_y)
    if r_pi is None or r_y is None or (r_pi == r_y and r_pi != "const"):
        return _note(label, "NK3 boundary not drawn: the axes are not the rule's coefficients")
    ex, ey = cell_edges(xs)[[0, -1]], cell_edges(ys)[[0, -1]]
    # the line is exact where the coefficients are >= 0: an axis that carries one is cut at 0
    if "x" in (r_pi, r_y):
        ex = np.array([max(ex[0], 0.0), ex[1]])
    if "y" in (r_pi, r_y):
        ey = np.array([max(ey[0], 0.0), ey[1]])
    if ex[0] > ex[1] or ey[0] > ey[1]:
        return _note(label, "NK3 boundary: drawn only where the rule's coefficients are >= 0, not on this map")
    b, k = 1.0 - form.beta, form.kappa
    if r_pi == "const" and r_y == "const":
        holds = form.p1(form.phi_pi, form.phi_y) > 0
        return _note(label, "NK3: determinate on the whole map" if holds else "NK3: not determinate on this map")
    with np.errstate(divide="ignore", invalid="ignore"):
        if (r_pi, r_y) == ("x", "y"):  # φ_y = κ(1 − φ_π)/(1 − β), and back
            x, y = curve_points(lambda X: [k * (1.0 - X) / b], lambda Y: [1.0 - b * Y / k], ex, ey)
        elif (r_pi, r_y) == ("y", "x"):  # φ_π = 1 − (1 − β)φ_y/κ, and back
            x, y = curve_points(lambda X: [1.0 - b * X / k], lambda Y: [k * (1.0 - Y) / b], ex, ey)
        else:  # one coefficient on an axis, the other constant: a straight line across the map
            c = form.phi_y if r_pi != "const" else form.phi_pi
            level = 1.0 - b * c / k if r_pi != "const" else k * (1.0 - c) / b
            axis = r_pi if r_pi != "const" else r_y
            x, y = (np.full(2, level), ey.copy()) if axis == "x" else (ex.copy(), np.full(2, level))
    phi_pi, phi_y = _coefficients_along(r_pi, r_y, x, y, form)
    keep = (phi_pi >= 0) & (phi_y >= 0) & (x >= ex[0]) & (x <= ex[1]) & (y >= ey[0]) & (y <= ey[1])
    y = np.where(keep, y, np.nan)
    line = BoundaryLine(label, np.asarray(x, dtype=float), np.asarray(y, dtype=float), kind="nk3")
    if not line.drawn:
        return _note(label, "NK3 boundary: outside the map (or where some coefficient is negative)")
    return line


def _coefficients_along(r_pi, r_y, x, y, form: NK3Form):
    """``(φ_π, φ_y)`` at the points of the line."""

    def pick(role, const):
        return {"x": np.asarray(x, dtype=float), "y": np.asarray(y, dtype=float)}.get(role, np.full(np.shape(x), const))

    return pick(r_pi, form.phi_pi), pick(r_y, form.phi_y)
