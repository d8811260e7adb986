"""A high-precision reference for a first-order solution: who is closer when geo-sym and Dynare differ.

Given a model's derivative matrices ``F_+, F_0, F_-, F_eps`` (float64, read as the exact binary
fractions they are) and a float64 solution ``T``, the stable solvent of

    F_+ X X_P + F_0 X + F_-[:, P] = 0,    X = T[:, P]  (P: the states, the nonzero columns of T)

is refined by Newton's method with the residual in ``DIGITS``-digit arithmetic (mpmath) and the
Jacobian in float64 (mixed-precision iterative refinement, converging at a rate of about
``cond * 1e-16`` per step), or in ``DIGITS`` digits once that stalls (an ill-conditioned Jacobian). ``R = -(F_+ T + F_0)^{-1} F_eps``, impulse
responses ``T^t R L`` (one product per period) and the covariance of the states
``X = A X A' + Q`` (refined the same way, the correction from a float64 Lyapunov solve) follow in
the same precision. Their distance to geo-sym's and to Dynare's numbers says which side is
closer to the exact solution of the same matrices.

Usage (needs octave and Debian's dynare package for the Dynare column)::

    python tests/dsge/dynare/reference_solution.py path/to/*.mod

It is a check, not part of geo-sym: nothing here is used by the package.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import mpmath as mp
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

DIGITS = 60
#: the full-precision Newton step solves an (n k)-square system in mpmath: beyond this size it would take minutes
EXACT_NEWTON_LIMIT = 300


def _mp(a) -> mp.matrix:
    a = np.atleast_2d(np.asarray(a, dtype=float))
    return mp.matrix([[mp.mpf(float(x)) for x in row] for row in a])


def _float(m: mp.matrix) -> np.ndarray:
    return np.array([[float(m[i, j]) for j in range(m.cols)] for i in range(m.rows)])


def _rows(m: mp.matrix, rows) -> mp.matrix:
    out = mp.matrix(len(rows), m.cols)
    for a, i in enumerate(rows):
        for c in range(m.cols):
            out[a, c] = m[i, c]
    return out


def refine(lin, transition, *, steps: int = 12) -> tuple[mp.matrix, mp.matrix, list[int]]:
    """``(T, R, states)`` in ``DIGITS`` digits, refined from ``transition`` (see the module docstring).

    Raises
    ------
    ArithmeticError
        When the refinement does not converge (the float64 solution is not near a solvent).
    """
    t = np.asarray(transition, dtype=float)
    n = t.shape[0]
    states = [j for j in range(n) if np.any(t[:, j] != 0.0)]
    k = len(states)
    fp, f0, fm, fe = (np.asarray(x, dtype=float) for x in (lin.f_lead, lin.f_cur, lin.f_lag, lin.f_shock))
    with mp.workdps(DIGITS):
        mfp, mf0, mfe = _mp(fp), _mp(f0), _mp(fe)
        mfm = _mp(fm[:, states])
        x = _mp(t[:, states])
        big = float(np.abs(t).max(initial=0.0))  # the size of the terms of the residual, for a relative stop
        scale = float(np.abs(fp).max(initial=0.0)) * big**2 + float(np.abs(f0).max(initial=0.0)) * big
        scale += float(np.abs(fm).max(initial=0.0))
        done = mp.mpf(scale) * mp.mpf(10) ** (-DIGITS + 10)
        previous, kept, exact = None, None, False
        for _ in range(steps):
            residual = mfp * x * _rows(x, states) + mf0 * x + mfm
            size = max(abs(v) for v in residual) if n and k else mp.mpf(0)
            if size <= done:
                break
            if previous is not None and size > previous / 2:  # the last step did not halve the residual
                if exact or n * k > EXACT_NEWTON_LIMIT:
                    raise ArithmeticError("the refinement of the transition matrix does not converge")
                exact = True  # float64 corrections stall (an ill-conditioned Jacobian): back, and Newton in full
                x, residual, size = kept
            previous, kept = size, (x, residual, size)
            x = x + _newton_step(x, residual, states, (fp, f0), (mfp, mf0) if exact else None)
        tm = mp.matrix(n, n)
        for a, j in enumerate(states):
            for i in range(n):
                tm[i, j] = x[i, a]
        impact = mfp * tm + mf0
        r = mp.matrix(n, fe.shape[1])
        for c in range(fe.shape[1]):
            column = mp.lu_solve(impact, mfe[:, c])
            for i in range(n):
                r[i, c] = -column[i]
    return tm, r, states


def _newton_step(x: mp.matrix, residual: mp.matrix, states: list[int], floats, exact) -> mp.matrix:
    """The Newton correction ``dX``: ``F+ dX X_P + F+ X dX_P + F0 dX = -residual`` (column-major vec), with the
    Jacobian in float64 (``exact`` None) or in ``DIGITS`` digits (``exact = (F+, F0)`` as mp matrices)."""
    n, k = x.rows, x.cols
    select = np.zeros((k, n))
    select[np.arange(k), states] = 1.0
    if exact is None:
        fp, f0 = floats
        xf = _float(x)
        jac = np.kron(xf[states].T, fp) + np.kron(np.eye(k), fp @ xf @ select + f0)
        step = np.linalg.solve(jac, -_float(residual).reshape(-1, order="F"))
        return _mp(step.reshape(n, k, order="F"))
    mfp, mf0 = exact
    xo = np.array(x.tolist(), dtype=object)
    fpo, f0o = np.array(mfp.tolist(), dtype=object), np.array(mf0.tolist(), dtype=object)
    jac = np.kron(xo[states].T, fpo) + np.kron(np.eye(k, dtype=int).astype(object), fpo.dot(xo).dot(select) + f0o)
    rhs = mp.matrix([[-residual[i % n, i // n]] for i in range(n * k)])
    step = mp.lu_solve(mp.matrix(jac.tolist()), rhs)
    out = mp.matrix(n, k)
    for i in range(n * k):
        out[i % n, i // n] = step[i]
    return out


def irfs(tm: mp.matrix, r: mp.matrix, factor, periods: int) -> np.ndarray:
    """``(periods, n, n_shocks)`` responses ``T^t R L`` in ``DIGITS`` digits, rounded to float64 at the end."""
    out = np.empty((periods, tm.rows, r.cols))
    with mp.workdps(DIGITS):
        y = r * _mp(factor)
        for t in range(periods):
            out[t] = _float(y)
            y = tm * y
    return out


def covariance(tm: mp.matrix, c: mp.matrix, states: list[int], *, steps: int = 12) -> np.ndarray:
    """``Var(y)`` of ``y_t = T y_{t-1} + C e_t`` in ``DIGITS`` digits: the states' ``X = A X A' + Q`` refined
    from a float64 Lyapunov solve, then ``T_:s X T_:s' + C C'``."""
    from dsge.solution.moments import lyapunov

    with mp.workdps(DIGITS):
        ts = _rows(tm.T, states).T  # T[:, states]
        a_ss = _rows(ts, states)
        cc = c * c.T
        q = _rows(_rows(cc, states).T, states).T
        af = _float(a_ss)
        x = _mp(lyapunov(af, _float(q)))
        size = float(np.abs(af).max(initial=0.0)) ** 2 * float(np.abs(_float(x)).max(initial=0.0))
        done = mp.mpf(size + float(np.abs(_float(q)).max(initial=0.0))) * mp.mpf(10) ** (-DIGITS + 10)
        for _ in range(steps):
            residual = a_ss * x * a_ss.T + q - x
            if max(abs(v) for v in residual) <= done:
                break
            x = x + _mp(lyapunov(af, _float(residual)))
        return _float(ts * x * ts.T + cc)


def distances(mod: Path, ours: dict, theirs: dict | None) -> dict:
    """Largest errors of geo-sym's (``ours``) and Dynare's (``theirs``, canonical forms of
    :mod:`dynare_results`) IRFs and variances against the reference, each relative to the scale of its
    variable (an IRF's largest value; ``sqrt(var_i var_j)``)."""
    from dsge import load_model
    from dsge.solution.stoch_simul import stoch_simul
    from geo_sym.errors import SolverError

    sol = stoch_simul(load_model(mod, cache=False)).solution  # the file's options: logs, as canonical_ours
    tm, r, states = refine(sol.linearization, sol.transition)
    factor = np.asarray(sol.shock_factor)
    names = list(sol.variables)
    periods = max((len(v) for e in ours["irfs"].values() for v in e.values()), default=0)
    out: dict = {"geo-sym": {}, "Dynare": {}}
    if periods:
        ref = irfs(tm, r, factor, periods)
        negligible = 1e-12 * float(np.abs(ref).max(initial=0.0))  # responses at rounding level: not compared
        for who, data in (("geo-sym", ours), ("Dynare", theirs)):
            if data is None:
                continue
            worst = 0.0
            for e, series in data["irfs"].items():
                k = list(sol.shocks).index(e)
                for v, values in series.items():
                    exact = ref[: len(values), names.index(v), k]
                    scale = np.abs(exact).max()
                    if scale > negligible:
                        worst = max(worst, float(np.abs(np.asarray(values) - exact).max() / scale))
            out[who]["irf"] = worst
    if ours["hp_filter"]:  # HP-filtered moments: not what covariance() computes
        return out
    try:
        with mp.workdps(DIGITS):
            sigma = covariance(tm, r * _mp(factor), states)
    except SolverError:  # a unit root: no unconditional variance of the whole state (responses compared only)
        return out
    idx = [names.index(v) for v in ours["variables"]]
    exact = sigma[np.ix_(idx, idx)]
    d = np.sqrt(np.abs(np.diag(exact)))
    scale = np.outer(d, d)
    # a variable constant at working precision (sd below 1e-10 of the largest, geo-sym's ZERO_STD) has only rounding
    # noise on both sides: its row and column are not compared
    varying = d > 1e-10 * float(d.max(initial=0.0))
    keep = np.outer(varying, varying)
    for who, data in (("geo-sym", ours), ("Dynare", theirs)):
        if data is None:
            continue
        got = np.asarray(data["variance"], dtype=float)
        if got.shape == exact.shape and np.all(np.isfinite(got)):
            out[who]["variance"] = float(np.max(np.abs(got - exact)[keep] / scale[keep], initial=0.0))
    return out


def summary(result: dict) -> str:
    """``geo-sym: irf 4e-09, variance 2e-08; Dynare: ...`` (empty parts left out)."""
    return "; ".join(
        f"{who}: " + ", ".join(f"{what} {value:.1e}" for what, value in sorted(errs.items()))
        for who, errs in result.items()
        if errs
    )


def main(argv=None) -> int:
    import compare_external as ce
    import dynare_results as dr

    paths = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print(__doc__)
        return 2
    with_dynare = dr.dynare_available()
    for path in paths:
        with tempfile.TemporaryDirectory() as tmp:
            mod = Path(tmp) / path.name
            mod.write_text(ce.prepared_text(path))
            try:
                ours = dr.canonical_ours(mod)
                theirs = (
                    dr.canonical_dynare(dr.run_dynare(mod, Path(tempfile.mkdtemp(dir=tmp))), mod.stem)
                    if with_dynare
                    else None
                )
                result = distances(mod, ours, theirs)
            except (ArithmeticError, ValueError, RuntimeError, KeyError) as exc:
                print(f"{path.name}: no reference ({exc})", flush=True)
                continue
        shown = summary(result) or "nothing to compare (no IRFs, HP-filtered moments)"
        print(f"{path.name}: distance to the {DIGITS}-digit solution — {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
