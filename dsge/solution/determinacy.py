r"""Exact determinacy regions of a Dynare-style model in one or two of its parameters (§7).

The model is linearized exactly (SymPy, from the parse trees of the model file) at a steady state
that is exact in the named parameters; variables that appear neither with ``(+1)`` nor with
``(-1)`` (*static* variables) are eliminated exactly by solving one equation for each; the rest is
stacked as in :func:`dsge.model.core.solve_linearization` (Klein's method):

.. math:: A\, E_t s_{t+1} = B\, s_t, \qquad s_t = (k_t, u_t),

with an auxiliary lag ``k`` for every variable that appears with ``(-1)``. With ``μ = 1/λ`` the
generalized eigenvalues ``λ`` of the pencil are the reciprocals of the roots of

.. math:: P(μ) = \det(A - μ B),

so ``|λ| > 1`` (infinite ``λ`` included) is ``|μ| < 1`` (``μ = 0`` included). Blanchard–Kahn
(1980) as in :func:`dsge.solution.blanchard_kahn.klein`: the ``n_static`` non-forward-looking
jumps contribute one infinite root each, which is dropped; with ``n_u`` the other unstable
roots, the model is ``determinate`` when ``n_u`` equals the number of forward-looking variables,
``indeterminate`` below and ``no-stable-solution`` above. The region engine
(:mod:`geo_sym.rigorous.regions`) locates the roots of ``P`` exactly; the numeric check runs
Klein's QZ (:func:`~dsge.solution.blanchard_kahn.klein`) on the same pencil in floating point.
The rank condition of ``Z_11`` is not part of the exact reading: where it fails on an open set the
numeric check disagrees and an error is raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sympy as sp

from dsge.model.model_file import read_model_spec
from dsge.model.parser import to_sympy
from dsge.solution.blanchard_kahn import DETERMINATE, INDETERMINATE, NO_STABLE_SOLUTION, klein
from geo_sym.errors import SolverError, UnknownNameError, ValidationError
from geo_sym.rigorous.regions import NEAR_CIRCLE, RegionResult, root_regions

__all__ = ["determinacy_region", "read_spec", "LABELS"]

#: the classes of a determinacy region, in display order
LABELS = (DETERMINATE, INDETERMINATE, NO_STABLE_SOLUTION)


def read_spec(path, overrides=None):
    """The validated model file (YAML, or a Dynare ``.mod`` file by its suffix) and its raw mapping.

    The raw mapping (for a ``.mod`` file, the one its reader builds) gives the exact steady-state values.
    """
    from geo_sym.economy.files import parse_yaml, read_text

    if Path(path).suffix.lower() == ".mod":
        from dsge.model.mod_file import read_mod_file

        mod = read_mod_file(path)  # Latin-1 files and macros as geo-sym dsge reads them
        return read_model_spec(mod.data, overrides, source=str(path), notes=mod.notes, default_std="0"), mod.data
    data = parse_yaml(read_text(path, "model file"), str(path))
    return read_model_spec(data, overrides, source=str(path)), data


def _exact_steady_state(spec, data):
    from geo_sym.economy.numbers import parse_number

    raw = (data or {}).get("steady_state") or {}
    return {v: parse_number(raw[v], f"steady_state.{v}") if v in raw else sp.Integer(0) for v in spec.variables}


def _residuals(spec, par_values):
    """Residuals ``lhs - rhs`` with symbols for every timed variable; shocks at 0."""
    sym = {}
    for v in spec.variables:
        for t in (-1, 0, 1):
            sym[("var", v, t)] = sp.Symbol(f"{v}__{'mpn'[t + 1]}", real=True)
        sym[("ss", v, 0)] = sp.Symbol(f"{v}__ss", real=True)  # steady_state(v): the static symbol itself
    for e in spec.shocks:
        sym[("shock", e, 0)] = sp.Integer(0)
    for p in spec.parameter_names:
        sym[("par", p, 0)] = par_values[p]
    return [to_sympy(lhs, sym) - to_sympy(rhs, sym) for lhs, rhs in spec.trees], sym


def _steady_state(spec, data, res, sym, free):
    """The steady state: not needed (linear model), exact in the free parameters, or numeric and held.

    Numeric only when the static system does not involve the free parameters (so the steady state
    does not move with them); otherwise a steady state that is not exact is refused.
    """
    ss = _exact_steady_state(spec, data)
    timed = {sym[("var", v, t)] for v in spec.variables for t in (-1, 0, 1)}
    at_ss = {sym[("ss", v, 0)] for v in spec.variables}  # steady_state(v): coefficients may depend on it
    linear = not any(sp.diff(r, s).free_symbols & timed for r in res for s in timed)
    if linear and not any(r.free_symbols & at_ss for r in res):
        return ss, {"mode": "not needed (the equations are linear in the variables)", "values": {}}
    static = {sym[("var", v, t)]: sp.Symbol(f"{v}__ss", real=True) for v in spec.variables for t in (-1, 0, 1)}
    stat = [r.xreplace(static) for r in res]
    at = {sp.Symbol(f"{v}__ss", real=True): ss[v] for v in spec.variables}
    if all(sp.cancel(sp.together(r.xreplace(at))) == 0 for r in stat):
        return ss, {"mode": "exact", "values": {v: sp.sstr(x) for v, x in ss.items()}}
    from fractions import Fraction

    from scipy.optimize import root

    xs = [sp.Symbol(f"{v}__ss", real=True) for v in spec.variables]
    at_file = {s: spec.parameters[str(s)] for s in free}
    f = sp.lambdify([xs], [r.xreplace(at_file) for r in stat], "math")
    fj = sp.lambdify([xs], sp.Matrix(stat).xreplace(at_file).jacobian(xs).tolist(), "math")
    sol = root(
        lambda z: np.array(f(z), dtype=float),
        [float(ss[v]) for v in spec.variables],
        jac=lambda z: np.array(fj(z), dtype=float),
        tol=1e-14,
    )
    resid = float(np.max(np.abs(f(sol.x)))) if len(xs) else 0.0
    if not sol.success and resid > 1e-10:
        raise SolverError(f"no steady state found at the file's values (max |residual| {resid:.3g})")
    vals = {
        v: sp.Rational(Fraction(float(x)).numerator, Fraction(float(x)).denominator)
        for v, x in zip(spec.variables, sol.x)
    }
    held = {sp.Symbol(f"{v}__ss", real=True): vals[v] for v in spec.variables}
    moving = [s for s in free if any(sp.simplify(sp.diff(r.xreplace(held), s)) != 0 for r in stat)]
    if moving:
        names = ", ".join(str(s) for s in moving)
        raise ValidationError(
            "steady_state",
            {v: sp.sstr(x) for v, x in ss.items()},
            f"steady-state values that solve the static model exactly for every value of {names} (the steady "
            f"state moves with {names}; give it in closed form as rationals, or choose parameters it does not "
            "depend on)",
        )
    return vals, {"mode": "held (numeric)", "values": {v: float(x) for v, x in vals.items()}, "residual": resid}


def _linearize(spec, res, sym, ss, free, held: bool = False):
    """Exact ``F_+, F_0, F_-`` at the steady state; entries must be rational functions of the free parameters.

    At a held (numeric) steady state, irrational numbers it produces (``k^α`` with ``α`` fixed) are
    held as rationals too (denominators up to 10^12).
    """
    n = len(spec.variables)
    at = {sym[("var", v, t)]: ss[v] for v in spec.variables for t in (-1, 0, 1)}
    at |= {sym[("ss", v, 0)]: ss[v] for v in spec.variables}
    blocks = []
    for t in (1, 0, -1):
        M = sp.zeros(n, n)
        for i, r in enumerate(res):
            for j, v in enumerate(spec.variables):
                e = sp.diff(r, sym[("var", v, t)]).xreplace(at)
                if held:
                    e = e.replace(lambda a: a.is_number and not a.is_Rational, _held_number)
                e = sp.cancel(sp.together(e))
                if not e.is_rational_function(*free) or e.free_symbols - set(free) or e.has(sp.Float):
                    raise ValidationError(
                        f"equations[{i}]",
                        spec.equations[i],
                        "a linearization whose coefficients are rational functions of the named parameters (this "
                        f"one gives {sp.sstr(e)} for {v}({t:+d}))",
                    )
                M[i, j] = e
        blocks.append(M)
    return blocks


def _held_number(a):
    from fractions import Fraction

    fr = Fraction(str(sp.N(a, 30))).limit_denominator(10**12)
    return sp.Rational(fr.numerator, fr.denominator)


def _eliminate_static(spec, Fp, F0, Fm):
    """Solve one equation for each static variable and substitute it: exact Gaussian elimination."""
    names = list(spec.variables)
    rows = list(range(len(names)))
    eqs = list(spec.equations)
    M = Fp.row_join(F0).row_join(Fm)
    n = len(names)
    static = [v for v in names if v not in spec.leads and v not in spec.lags]
    eliminated = {}
    pivots_den = []
    for v in static:
        j = names.index(v)
        cands = [r for r in range(M.rows) if M[r, n + j] != 0]
        if not cands:
            raise ValidationError("variables", v, "a static variable that enters some equation at time t")
        r = min(  # a constant pivot in a static equation (no lead, no lag), preferably ±1, in the sparsest one
            cands,
            key=lambda k: (
                bool(M[k, n + j].free_symbols),
                sum(1 for c in list(range(n)) + list(range(2 * n, 3 * n)) if M[k, c] != 0),
                abs(M[k, n + j]) != 1,
                sum(1 for e in M.row(k) if e != 0),
                sp.count_ops(M[k, n + j]),
            ),
        )
        piv = M[r, n + j]
        if piv.free_symbols:
            pivots_den.append(sp.fraction(sp.cancel(sp.together(piv)))[0])
        for k in range(M.rows):
            if k != r and M[k, n + j] != 0:
                f = M[k, n + j] / piv
                M[k, :] = (M[k, :] - f * M[r, :]).applyfunc(lambda e: sp.cancel(sp.together(e)))
        eliminated[v] = eqs[rows[r]]
        M.row_del(r)
        del rows[r]
        keep = [c for c in range(M.cols) if c not in (j, n + j, 2 * n + j)]
        M = M.extract(list(range(M.rows)), keep)
        names.pop(j)
        n -= 1
    return names, M[:, :n], M[:, n : 2 * n], M[:, 2 * n :], eliminated, pivots_den


def _pencil(Fp, F0, Fm):
    n = Fp.rows
    lagged = [j for j in range(n) if any(Fm[i, j] != 0 for i in range(n))]
    n_forward = sum(1 for j in range(n) if any(Fp[i, j] != 0 for i in range(n)))
    nk = len(lagged)
    S = sp.zeros(nk, n)
    for r, j in enumerate(lagged):
        S[r, j] = 1
    A = sp.zeros(nk + n, nk + n)
    B = sp.zeros(nk + n, nk + n)
    A[:nk, :nk] = sp.eye(nk)
    B[:nk, nk:] = S
    A[nk:, nk:] = Fp
    B[nk:, :nk] = -Fm.extract(list(range(n)), lagged) if nk else sp.zeros(n, 0)
    B[nk:, nk:] = -F0
    return A, B, nk, n_forward


def _cleared_det(A, B, mu, free):
    """``det(A − μB)`` with each row cleared of denominators (their zeros are reported as excluded)."""
    from sympy.polys.matrices import DomainMatrix

    M = A - mu * B
    dens = []
    rows = []
    for i in range(M.rows):
        row = [sp.together(e) for e in M.row(i)]
        d = sp.lcm_list([sp.fraction(e)[1] for e in row])
        if d.free_symbols:
            dens.append(d)
        rows.append([sp.expand(sp.cancel(e * d)) for e in row])
    dom = sp.QQ[(mu, *free)]
    det = DomainMatrix.from_list_sympy(M.rows, M.cols, rows).convert_to(dom).det()
    return sp.expand(dom.to_sympy(det)), dens


def determinacy_region(
    path,
    params,
    *,
    overrides=None,
    bounds=None,
    window=None,
    check_points: int = 200,
    seed: int = 0,
    tol=1e-6,
    progress=None,
) -> RegionResult:
    """Exact Blanchard–Kahn determinacy regions of a model file in one or two parameters.

    Parameters
    ----------
    path : str or pathlib.Path
        Model file (the YAML format of :mod:`dsge.model.model_file`).
    params : sequence of str
        The free parameters; the others stay at their values (exact), reported under ``fixed``.
    overrides : dict, optional
        Name -> value, as ``--set NAME=VALUE`` (for a free parameter: the centre of the window).
    bounds : dict, optional
        Name -> ``(lo, hi)`` closed bounds, ``None`` for an open end.
    window, check_points, seed, progress
        As in :func:`geo_sym.rigorous.regions.root_regions`.
    tol : float
        Unit-circle tolerance of the numeric QZ check.

    Returns
    -------
    RegionResult
        Classes ``determinate``, ``indeterminate``, ``no-stable-solution``; ``boundary`` where a
        generalized eigenvalue lies on the unit circle; ``context`` holds the eliminated static
        variables, the counts of forward-looking and predetermined variables and the steady state.

    Raises
    ------
    UnknownNameError
        A name in ``params`` that is not a parameter of the model.
    ValidationError
        Too many parameters, a steady state that moves with them, a linearization that is not
        rational in them.
    """
    spec, data = read_spec(path, overrides)
    params = list(params)
    free = _free_parameters(spec, params)
    pencil = _exact_pencil(spec, data, params, free)
    notes = [
        f"{len(pencil.eliminated)} static variable(s) eliminated exactly: " + ", ".join(pencil.eliminated)
        if pencil.eliminated
        else "",
        _steady_state_note(pencil.ss_info["mode"], params),
    ]
    return root_regions(
        pencil.P,
        pencil.mu,
        free,
        labeler=_bk_labeler(len(pencil.names) - pencil.n_forward, pencil.n_forward),
        labels=LABELS,
        kind="determinacy",
        numeric_classifier=_qz_classifier(pencil, free, params, tol),
        bounds=bounds,
        excluded=pencil.excluded(),
        fixed={p: sp.sstr(spec.parameters[p]) for p in spec.parameter_names if p not in params},
        window=window or _window(params, spec.parameters, bounds),
        notes=tuple(n for n in notes if n),
        context=pencil.context(spec.name),
        check_points=check_points,
        seed=seed,
        progress=progress,
    )


def _free_parameters(spec, params) -> list:
    """Symbols for the named parameters (one or two, each a parameter of the model)."""
    for p in params:
        if p not in spec.parameter_names:
            raise UnknownNameError(
                "--params", p, "a parameter of the model: " + (", ".join(spec.parameter_names) or "(none declared)")
            )
    if len(params) > 2 or not params:
        raise ValidationError("--params", params, "one or two parameter names (exact regions in at most two)")
    return [sp.Symbol(p, real=True) for p in params]


@dataclass(frozen=True, eq=False)
class _Pencil:
    """The model's pencil ``A E_t s_{t+1} = B s_t``, exact in the free parameters, and ``P(μ) = det(A − μB)``."""

    A: sp.Matrix
    B: sp.Matrix
    nk: int
    n_forward: int
    names: list
    eliminated: dict
    pivots: list
    mu: sp.Symbol
    P: sp.Expr
    dens: list
    ss_info: dict

    def __repr__(self) -> str:
        return f"_Pencil(n={self.A.rows}, nk={self.nk}, n_forward={self.n_forward})"

    def excluded(self) -> list:
        """Denominators of the entries, of the cleared rows and of the elimination pivots that vary."""
        entry_dens = [sp.fraction(sp.cancel(sp.together(e)))[1] for e in list(self.A) + list(self.B)]
        return [d for d in entry_dens + self.dens + self.pivots if d.free_symbols]

    def context(self, model: str) -> dict:
        """What the region result reports about the model: eliminated variables, counts, steady state, pencil."""
        return {
            "model": model,
            "static_eliminated": self.eliminated,
            "n_forward": self.n_forward,
            "n_predetermined": self.nk,
            "steady_state": self.ss_info,
            "pencil": "det(A - mu*B), mu = 1/lambda: unstable roots |lambda| > 1 are |mu| < 1",
        }


def _exact_pencil(spec, data, params, free) -> _Pencil:
    """Residuals, steady state, exact linearization, static variables eliminated, the pencil and its determinant."""
    values = {p: (free[params.index(p)] if p in params else spec.parameters[p]) for p in spec.parameter_names}
    res, sym = _residuals(spec, values)
    ss, ss_info = _steady_state(spec, data, res, sym, free)
    Fp, F0, Fm = _linearize(spec, res, sym, ss, free, held=ss_info["mode"].startswith("held"))
    names, Fp, F0, Fm, eliminated, pivots = _eliminate_static(spec, Fp, F0, Fm)
    A, B, nk, n_forward = _pencil(Fp, F0, Fm)
    mu = sp.Symbol("mu" if "mu" not in params else "z")
    P, dens = _cleared_det(A, B, mu, free)
    if P == 0:
        raise SolverError("the linearized system is singular: det(A - mu*B) = 0 for every mu and every parameter value")
    n_static = len(names) - n_forward
    mult0 = min(m for m in range(sp.Poly(P, mu).degree() + 1) if sp.Poly(P, mu).all_coeffs()[::-1][m] != 0)
    if mult0 < n_static:
        raise SolverError(
            f"{n_static} non-forward-looking jumps but only {mult0} structurally infinite roots: not supported"
        )
    return _Pencil(A, B, nk, n_forward, names, eliminated, pivots, mu, P, dens, ss_info)


def _bk_labeler(n_static: int, n_forward: int):
    """Blanchard–Kahn from root counts of ``P(μ)``: the ``n_static`` infinite roots dropped, then compared."""

    def labeler(inside, outside):
        u = inside - n_static
        return DETERMINATE if u == n_forward else INDETERMINATE if u < n_forward else NO_STABLE_SOLUTION

    return labeler


def _qz_classifier(pencil: _Pencil, free, params, tol):
    """The numeric check: Klein's QZ on the same pencil in floating point (``None`` near the unit circle)."""
    fa, fb = sp.lambdify(free, pencil.A, "numpy"), sp.lambdify(free, pencil.B, "numpy")

    def numeric(pt):
        vals = [pt[p] for p in params]
        a, b = np.array(fa(*vals), dtype=float), np.array(fb(*vals), dtype=float)
        try:
            bk, _, _ = klein(a, b, pencil.nk, tol=tol, n_forward=pencil.n_forward)
        except (SolverError, np.linalg.LinAlgError, ValueError):
            return None
        mods = np.array([m for m in bk.moduli if np.isfinite(m)])
        if bk.boundary or (mods.size and np.any(np.abs(mods - 1) < NEAR_CIRCLE)):
            return None
        return bk.status

    return numeric


def _steady_state_note(mode, params) -> str:
    names = ", ".join(params)
    if mode == "exact":
        return f"the steady state is exact and does not move with {names} (proved by exact evaluation)"
    if mode.startswith("not needed"):
        return "the equations are linear in the variables: the linearization does not depend on the steady state"
    return (
        f"the steady state does not move with {names} (the static equations at it do not involve them); it is "
        "computed numerically at the file's values and held (its float values as exact rationals, and the "
        "irrational numbers of the linearization at it as rationals with denominators up to 10^12), so the "
        "regions are exact for that linearization"
    )


def _window(params, values, bounds):
    out = {}
    for p in params:
        v = float(values[p])
        span = max(1.0, abs(v))
        lo, hi = (bounds or {}).get(p, (None, None))
        out[p] = (float(lo) if lo is not None else v - span, float(hi) if hi is not None else v + span)
    return out
