"""JSON-safe dictionaries of DSGE results (what ``geo-sym dsge --json`` prints).

Every float is finite or ``None`` (a correlation of a variable with zero variance, a
decomposition of a constant); infinite eigenvalue moduli are the string ``"inf"``.
Variables are the reported ones (``var_list`` or the declared variables).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["result_dict", "percent_factors"]


def _num(x):
    x = float(x)
    return x if math.isfinite(x) else None


def percent_factors(sol, variables, percent: bool) -> np.ndarray:
    """100 for log-linearized variables when ``percent`` is set, 1 otherwise."""
    return np.array([100.0 if percent and v in sol.log_variables else 1.0 for v in variables])


def _moments(res, percent: bool) -> dict:
    m = res.moments
    sol = res.solution
    idx = [m.variables.index(v) for v in res.variables]
    factor = percent_factors(sol, res.variables, percent)
    std, var = m.std[idx] * factor, m.variance[idx] * factor**2
    corr = m.correlation[np.ix_(idx, idx)]
    ac = m.autocorrelation[idx]
    out = {
        "std": {v: _num(x) for v, x in zip(res.variables, std)},
        "variance": {v: _num(x) for v, x in zip(res.variables, var)},
        "autocorrelation": {v: [_num(x) for x in row] for v, row in zip(res.variables, ac)},
        "hp_filter": m.hp_filter,
        "nonstationary": [v for v in res.variables if v in m.nonstationary],
    }
    if res.options.correlations:
        out["correlation"] = {
            v: {w: _num(corr[i, j]) for j, w in enumerate(res.variables)} for i, v in enumerate(res.variables)
        }
    return out


def _decomposition(shares, variables, all_variables, shocks) -> dict:
    idx = [all_variables.index(v) for v in variables]
    return {v: {e: _num(shares[i, j]) for j, e in enumerate(shocks)} for v, i in zip(variables, idx)}


def _irfs(res, percent: bool) -> dict:
    out = {}
    for shock, irf in res.irfs.items():
        factor = percent_factors(res.solution, res.variables, percent)
        out[shock] = {v: (irf[v] * f).tolist() for v, f in zip(res.variables, factor)}
    return out


def _simulation(res, percent: bool) -> dict:
    sim = res.simulation
    factor = np.ones(len(res.variables)) if sim.levels else percent_factors(res.solution, res.variables, percent)
    return {
        "periods": int(sim.values.shape[0]),
        "drop": res.options.drop,
        "seed": sim.seed,
        "levels": sim.levels,
        "values": {v: (sim.values[:, sim.variables.index(v)] * f).tolist() for v, f in zip(res.variables, factor)},
    }


def result_dict(res, *, percent: bool = False) -> dict:
    """The JSON-ready dictionary of a :class:`~dsge.solution.stoch_simul.StochSimulResult`."""
    sol = res.solution
    out = sol.to_dict()
    out["steady_state"] = {v: out["steady_state"][v] for v in res.variables}
    out["variables"] = list(res.variables)
    out["shocks"] = list(sol.shocks)
    out["shock_cov"] = np.asarray(sol.shock_cov).tolist()
    aux = [a[0] for a in sol.aux]
    if aux:
        out["auxiliary_variables"] = aux
    out["log_variables"] = list(sol.log_variables)
    if sol.levels:
        out["levels"] = list(sol.levels)
    if percent:
        out["percent"] = True
    if res.irfs is not None:
        out["irf_scale"] = "unit" if res.options.unit else "std"
        out["irfs"] = _irfs(res, percent)
        if res.skipped_shocks:
            out["irf_skipped_shocks"] = list(res.skipped_shocks)
    if res.moments is not None:
        out["moments"] = _moments(res, percent)
    if res.variance_decomposition is not None:
        vd = res.variance_decomposition
        out["variance_decomposition"] = _decomposition(vd.shares, res.variables, vd.variables, vd.shocks)
    if res.conditional is not None:
        cv = res.conditional
        out["conditional_variance_decomposition"] = {
            str(h): _decomposition(cv.shares[k], res.variables, cv.variables, cv.shocks)
            for k, h in enumerate(cv.horizons)
        }
    if res.simulation is not None:
        out["simulation"] = _simulation(res, percent)
    if res.decision_rules is not None:
        dr = res.decision_rules
        out["decision_rules"] = {
            "rows": list(dr.rows),
            "values": {
                v: dict(zip(dr.rows, [_num(x) for x in dr.coefficients[:, dr.variables.index(v)]]))
                for v in res.variables
            },
        }
    if res.unavailable:
        out["unavailable"] = dict(res.unavailable)
    return out
