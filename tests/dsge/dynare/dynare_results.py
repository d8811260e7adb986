"""Cross-checks of geo-sym's DSGE results against Dynare 5 itself.

Run Dynare (under Octave) on each ``.mod`` file of :data:`MODELS`, export its results with
``export_results.m`` and write them, in a canonical form, as JSON fixtures next to this
script; the tests (``tests/dsge/test_dynare.py``) compare geo-sym's results on the same
``.mod`` files with these fixtures (relative tolerance 1e-8), and — when ``octave`` and
Dynare are installed — with a fresh Dynare run (``pytest -m dynare``).

Regenerate the fixtures (needs ``octave`` and Debian's ``dynare`` package)::

    python tests/dsge/dynare/dynare_results.py --write [MODEL_STEM ...]

The canonical form (both for Dynare and for geo-sym): ``variables``, ``shocks``,
``steady_state`` (levels), ``shock_cov``, ``moduli`` (finite nonzero eigenvalue moduli
between 1e-10 and 1e10, sorted), ``decision_rules`` (``transition``: variable -> state
label such as ``k(-1)`` or ``a(-2)`` -> coefficient; ``impact``: variable -> shock ->
coefficient), ``variance`` and ``autocorrelation`` (matrices in variable order; lag k ->
``Cov(y_t, y_{t-k}) / (sd sd')``), ``variance_decomposition`` and
``conditional_variance_decomposition`` (percent), ``irfs`` (shock -> variable -> list),
``loglinear``, ``hp_filter``.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DYNARE_MATLAB = Path(os.environ.get("DYNARE_MATLAB", "/usr/lib/dynare/matlab"))
MODELS = [
    ROOT / "examples" / "models" / "rbc.mod",
    ROOT / "examples" / "models" / "brock_mirman.mod",
    ROOT / "examples" / "models" / "nk3.mod",
    ROOT / "examples" / "models" / "nk_medium.mod",
    HERE / "models" / "nk_corr.mod",
    HERE / "models" / "news_lags.mod",
    HERE / "models" / "rbc_log_hp.mod",
    HERE / "models" / "nk3_phi1e9.mod",
    HERE / "models" / "calibrated.mod",
    HERE / "models" / "nk_features.mod",  # written as published files are: macros, steady_state(), Latin-1, MATLAB
    HERE / "models" / "nk_price_level.mod",
]
RTOL = 1e-8


def dynare_available() -> bool:
    """Whether ``octave`` and Dynare's MATLAB files are installed."""
    return shutil.which("octave") is not None and (DYNARE_MATLAB / "dynare.m").exists()


def run_dynare(mod: Path, workdir: Path) -> dict:
    """Run Dynare on ``mod`` in ``workdir`` and return the raw export (see ``export_results.m``)."""
    shutil.copy(mod, workdir / mod.name)
    out = workdir / f"{mod.stem}_results.json"
    script = (
        f"addpath('{DYNARE_MATLAB}'); addpath('{HERE}'); dynare {mod.stem} noclearall nolog; export_results('{out}');"
    )
    proc = subprocess.run(
        ["octave", "--no-gui", "--quiet", "--no-window-system", "--eval", script],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if not out.exists():
        raise RuntimeError(f"Dynare failed on {mod.name}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return json.loads(out.read_text())


def _labels(raw: dict) -> list[str]:
    """Label of each endogenous variable as a state: ``x(-1)``, or the original timing for auxiliaries."""
    endo, exo = raw["endo_names"], raw["exo_names"]
    labels = [f"{v}(-1)" for v in endo]
    for endo_index, kind, orig_index, lead_lag in raw["aux"]:
        j = int(endo_index) - 1
        if int(kind) == 1:
            labels[j] = f"{endo[int(orig_index) - 1]}({int(lead_lag) - 1:+d})"
        elif int(kind) == 3:
            labels[j] = f"{exo[int(orig_index) - 1]}({int(lead_lag) - 1:+d})"
    return labels


def canonical_dynare(raw: dict, name: str) -> dict:
    """The canonical form of a raw Dynare export."""
    n = int(raw["orig_endo_nbr"])
    endo, shocks = raw["endo_names"][:n], raw["exo_names"]
    var_list = raw["var_list"]
    variables = list(var_list) if var_list else endo  # stoch_simul's variable list, in its order
    position = {v: endo.index(v) for v in variables}
    ss = np.array(raw["steady_state"], dtype=float).ravel()[:n]
    if raw["loglinear"]:
        ss = np.exp(ss)
    order = [int(k) - 1 for k in np.array(raw["order_var"]).ravel()]
    row_of = {j: r for r, j in enumerate(order)}
    nstatic, nspred = int(raw["nstatic"]), int(raw["nspred"])
    states = order[nstatic : nstatic + nspred]
    labels = _labels(raw)
    ghx = np.array(raw["ghx"], dtype=float).reshape(len(order), nspred)
    ghu = np.array(raw["ghu"], dtype=float).reshape(len(order), len(shocks))
    eig = np.array(raw["eigval_real"], dtype=float).ravel() + 1j * np.array(raw["eigval_imag"], dtype=float).ravel()
    index = [var_list.index(v) for v in variables]
    cov = np.array(raw["var"], dtype=float)[np.ix_(index, index)]
    autocorr = [np.array(m, dtype=float)[np.ix_(index, index)].tolist() for m in raw["autocorr"]]
    out = {
        "model": name,
        "dynare_version": raw["dynare_version"],
        "variables": variables,
        "shocks": shocks,
        "steady_state": {v: float(ss[position[v]]) for v in variables},
        "shock_cov": raw["sigma_e"],
        "moduli": _moduli(np.abs(eig)),
        "decision_rules": {
            "transition": {
                v: {labels[s]: ghx[row_of[position[v]], k] for k, s in enumerate(states)} for v in variables
            },
            "impact": {v: {e: ghu[row_of[position[v]], k] for k, e in enumerate(shocks)} for v in variables},
        },
        "variance": cov.tolist(),
        "autocorrelation": autocorr,
        "loglinear": bool(raw["loglinear"]),
        "hp_filter": raw["hp_filter"] or None,
        "irfs": _irfs(raw["irfs"], variables, shocks),
    }
    if "variance_decomposition" in raw:
        vd = np.array(raw["variance_decomposition"], dtype=float).reshape(len(var_list), len(shocks))[index]
        out["variance_decomposition"] = {v: dict(zip(shocks, row.tolist())) for v, row in zip(variables, vd)}
    if "conditional_variance_decomposition" in raw:
        steps = [int(h) for h in np.array(raw["conditional_steps"]).ravel()]
        out["conditional_variance_decomposition"] = {
            str(h): {
                v: dict(zip(shocks, (100 * np.array(m, dtype=float)[i]).tolist())) for v, i in zip(variables, index)
            }
            for h, m in zip(steps, raw["conditional_variance_decomposition"])
        }
    return out


def _moduli(values) -> list[float]:
    return sorted(float(m) for m in values if math.isfinite(m) and 1e-10 < m < 1e10)


def _irfs(raw_irfs: dict, variables, shocks) -> dict:
    out: dict = {}
    for key, values in raw_irfs.items():
        for v in variables:
            for e in shocks:
                if key == f"{v}_{e}":
                    out.setdefault(e, {})[v] = np.array(values, dtype=float).ravel().tolist()
    return out


def canonical_ours(mod: Path) -> dict:
    """geo-sym's results on ``mod`` (the file's own stoch_simul options), in the canonical form."""
    sys.path.insert(0, str(ROOT))
    from dsge import load_model
    from dsge.solution.stoch_simul import stoch_simul

    model = load_model(mod, cache=False)
    res = stoch_simul(model)
    sol = res.solution
    variables = list(res.variables)
    dr = sol.decision_rules()
    rows = list(dr.rows)
    col = {v: k for k, v in enumerate(dr.variables)}
    state_rows = [r for r in rows if r != "constant" and r not in sol.shocks]
    m = res.moments
    at = [list(m.variables).index(v) for v in variables]  # stoch_simul's variable list within the moments
    ac = [a[np.ix_(at, at)] for a in m.autocorrelation_matrices]
    ss = dict(zip(sol.variables, np.asarray(sol.steady_state.values, dtype=float).tolist()))
    out = {
        "model": mod.stem,
        "variables": variables,
        "shocks": list(sol.shocks),
        "steady_state": {v: ss[v] for v in variables},
        "shock_cov": np.asarray(sol.shock_cov).tolist(),
        "moduli": _moduli(sol.bk.moduli),
        "decision_rules": {
            "transition": {
                v: {r: float(dr.coefficients[rows.index(r), col[v]]) for r in state_rows} for v in variables
            },
            "impact": {v: {e: float(dr.coefficients[rows.index(e), col[v]]) for e in sol.shocks} for v in variables},
        },
        "variance": np.asarray(m.covariance)[np.ix_(at, at)].tolist(),
        "autocorrelation": [np.asarray(a).tolist() for a in ac],
        "loglinear": bool(sol.log_variables),
        "hp_filter": m.hp_filter,
        "irfs": {e: {v: irf[v].tolist() for v in variables} for e, irf in (res.irfs or {}).items()},
    }
    if res.variance_decomposition is not None:
        vd = res.variance_decomposition
        out["variance_decomposition"] = {
            v: dict(zip(vd.shocks, vd.shares[i].tolist())) for i, v in enumerate(vd.variables)
        }
    if res.conditional is not None:
        cv = res.conditional
        out["conditional_variance_decomposition"] = {
            str(h): {v: dict(zip(cv.shocks, cv.shares[k, i].tolist())) for i, v in enumerate(cv.variables)}
            for k, h in enumerate(cv.horizons)
        }
    return out


def _close(ours, theirs, what: str, problems: list, rtol: float) -> None:
    a, b = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    if a.shape != b.shape:
        problems.append(f"{what}: shape {a.shape} vs Dynare's {b.shape}")
        return
    # Dynare sets variances below 1e-12 to 0 and then divides by them: its inf/NaN entries are not compared
    finite = np.isfinite(b)
    scale = float(np.max(np.abs(b[finite]), initial=0.0))
    bad = finite & ~np.isclose(a, b, rtol=rtol, atol=rtol * scale, equal_nan=True)
    if np.any(bad):
        i = tuple(np.argwhere(bad)[0])
        problems.append(f"{what}{list(i)}: {a[i]!r} vs Dynare's {b[i]!r} (scale {scale:.3g})")


def compare(ours: dict, theirs: dict, rtol: float = RTOL) -> list[str]:
    """Differences beyond ``rtol`` (relative to the largest entry of each compared array), as messages."""
    problems: list[str] = []
    if ours["variables"] != theirs["variables"] or ours["shocks"] != theirs["shocks"]:
        return [f"names differ: {ours['variables']}/{ours['shocks']} vs {theirs['variables']}/{theirs['shocks']}"]
    vs, es = theirs["variables"], theirs["shocks"]
    _close(
        [ours["steady_state"][v] for v in vs], [theirs["steady_state"][v] for v in vs], "steady state", problems, rtol
    )
    _close(ours["shock_cov"], theirs["shock_cov"], "shock covariance", problems, rtol)
    _close(ours["moduli"], theirs["moduli"], "eigenvalue moduli", problems, rtol)
    dr_o, dr_t = ours["decision_rules"], theirs["decision_rules"]
    # a state whose column is zero (it enters with zero coefficients, e.g. a lag multiplied by a parameter set to 0)
    # is the same as an absent one: geo-sym's policy table leaves it out, Dynare's ghx keeps it
    labels = sorted(set(next(iter(dr_t["transition"].values()))) | set(next(iter(dr_o["transition"].values()))))
    _close(
        [[dr_o["transition"][v].get(s, 0.0) for s in labels] for v in vs],
        [[dr_t["transition"][v].get(s, 0.0) for s in labels] for v in vs],
        "transition",
        problems,
        rtol,
    )
    _close(
        [[dr_o["impact"][v][e] for e in es] for v in vs],
        [[dr_t["impact"][v][e] for e in es] for v in vs],
        "impact",
        problems,
        rtol,
    )
    _close(ours["variance"], theirs["variance"], "variance", problems, rtol)
    # a non-stationary variable (unit root) has no unconditional moments: Dynare's NaN (null), geo-sym's NaN
    var_o = np.diag(np.array(ours["variance"], dtype=float))
    var_t = np.diag(np.array(theirs["variance"], dtype=float))
    if list(np.isnan(var_o)) != list(np.isnan(var_t)):
        problems.append(
            f"non-stationary variables: {[v for v, x in zip(vs, var_o) if np.isnan(x)]} vs Dynare's "
            f"{[v for v, x in zip(vs, var_t) if np.isnan(x)]}"
        )
    autocorr = np.array(theirs["autocorrelation"], dtype=float)
    if theirs.get("hp_filter"):
        # Dynare's HP-filtered oo_.autocorr{k} are Cov(y_t, y_{t+k}) / (sd sd'): the transposes of its unfiltered
        # ones (th_autocovariances.m stores the spectral density with the conjugating ' before the inverse FFT)
        autocorr = np.swapaxes(autocorr, 1, 2)
    _close(ours["autocorrelation"], autocorr, "autocorrelation", problems, rtol)
    # a variable constant at working precision (both tools' variance is rounding noise) has no variance shares: geo-sym
    # reports NaN, Dynare the shares of its noise; such rows are not compared (a NaN row elsewhere still is)
    # nor does a non-stationary one (Dynare: NaN with several shocks, 1 with a single shock)
    noise = np.isnan(var_t) | (var_t <= 1e-20 * float(np.max(var_t[np.isfinite(var_t)], initial=0.0)))
    for key in ("variance_decomposition",):
        if key in theirs:
            _close(
                [[ours[key][v][e] for e in es] for v in vs],
                [[math.nan if noise[i] else theirs[key][v][e] for e in es] for i, v in enumerate(vs)],
                key,
                problems,
                rtol,
            )
    if "conditional_variance_decomposition" in theirs:
        co, ct = ours.get("conditional_variance_decomposition", {}), theirs["conditional_variance_decomposition"]
        if sorted(co) != sorted(ct):
            problems.append(f"conditional horizons differ: {sorted(co)} vs {sorted(ct)}")
        for h in ct:
            if h in co:
                _close(
                    [[co[h][v][e] for e in es] for v in vs],
                    [[ct[h][v][e] for e in es] for v in vs],
                    f"conditional[{h}]",
                    problems,
                    rtol,
                )
    if sorted(ours["irfs"]) != sorted(theirs["irfs"]):
        problems.append(f"IRF shocks differ: {sorted(ours['irfs'])} vs {sorted(theirs['irfs'])}")
    for e, paths in theirs["irfs"].items():
        if e in ours["irfs"]:
            _close([ours["irfs"][e][v] for v in paths], [paths[v] for v in paths], f"irf[{e}]", problems, rtol)
    return problems


def fixture_path(mod: Path) -> Path:
    return HERE / f"{mod.stem}.json"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not dynare_available():
        print("octave and Dynare are needed (Debian: apt-get install octave dynare)", file=sys.stderr)
        return 1
    failed = 0
    only = [a for a in argv if not a.startswith("--")]  # model file stems to run (default: all)
    with tempfile.TemporaryDirectory(prefix="dynare-") as tmp:
        for mod in MODELS:
            if only and mod.stem not in only:
                continue
            theirs = canonical_dynare(run_dynare(mod, Path(tmp)), mod.stem)
            problems = compare(canonical_ours(mod), theirs)
            failed += bool(problems)
            print(f"{mod.name}: " + ("matches Dynare" if not problems else "; ".join(problems)))
            if "--write" in argv:
                fixture_path(mod).write_text(json.dumps(theirs, indent=1) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
