"""geo-sym's DSGE backend vs linearsolve on the RBC model with labour.

Baseline: ``linearsolve`` (pip), which linearizes by complex-step/finite
differences and solves by Klein's method. Same model
(``examples/models/rbc.yaml``), same parameters, same 51-period IRF.

Prints:

(a) the whole command as a process --
    ``geo-sym dsge examples/models/rbc.yaml --irf eps_a --periods 51 --json``
    (fallback ``python -m geo_sym dsge`` when the console script is not wired)
    vs a Python process using linearsolve for the same steps; ratio ours/theirs
    (target <= 0.7);
(b) in-process steady state + linearization + solution + IRF, ratio ours/theirs
    (target <= 0.2);
(c) derivative accuracy: max abs error of each tool's first-order derivative
    matrices against the exact ones (SymPy, evaluated with 50 digits).

Run from the repository root: ``python benchmarks/bench_dsge_vs_linearsolve.py``.
No assertion is made on time.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "examples" / "models" / "rbc.yaml"
PARAMS = {"alpha": 0.35, "beta": 0.99, "delta": 0.025, "chi": 2.0, "eta": 1.0, "rho": 0.9}
GUESS = {"a": 1.0, "k": 12.0, "y": 1.2, "c": 0.9, "i": 0.3, "n": 0.5}
LS_VARIABLES = ["a", "k", "y", "c", "i", "n"]  # linearsolve order: exo state, endo state, costates


def rbc_equations(fwd, cur, p, log):
    """The RBC conditions in linearsolve timing (k_t is capital at the start of t), as lhs - rhs.

    Used both by linearsolve (numbers, ``log=np.log``) and for the exact
    derivatives (SymPy symbols, ``log=sympy.log``), so both see one formula.
    """
    return [
        p["beta"] * (p["alpha"] * fwd["y"] / fwd["k"] + 1 - p["delta"]) / fwd["c"] - 1 / cur["c"],
        (1 - p["alpha"]) * cur["y"] / cur["n"] - p["chi"] * cur["n"] ** p["eta"] * cur["c"],
        cur["a"] * cur["k"] ** p["alpha"] * cur["n"] ** (1 - p["alpha"]) - cur["y"],
        cur["i"] + (1 - p["delta"]) * cur["k"] - fwd["k"],
        cur["c"] + cur["i"] - cur["y"],
        p["rho"] * log(cur["a"]) - log(fwd["a"]),
    ]


def linearsolve_model():
    import warnings

    import linearsolve as ls
    import numpy as np
    import pandas as pd

    warnings.filterwarnings("ignore")

    def equations(fwd, cur, p):
        return np.array(rbc_equations(fwd, cur, p, np.log))

    m = ls.model(
        equations=equations,
        variables=LS_VARIABLES,
        exo_states=["a"],
        endo_states=["k"],
        costates=["y", "c", "i", "n"],
        shock_names=["eps_a"],
        parameters=pd.Series(PARAMS),
    )
    return m


def linearsolve_pipeline(m):
    """Steady state, linearization, Klein solution, 51-period IRF to a unit TFP impulse."""
    m.compute_ss([GUESS[v] for v in LS_VARIABLES])
    m.approximate_and_solve(log_linear=False, eigenvalue_warnings=False)
    m.impulse(T=51, t0=0, shocks={"eps_a": 1.0}, normalize=False)
    return m.irs["eps_a"]


def linearsolve_cli() -> int:
    """What a user's linearsolve script does for the same command: solve and print JSON."""
    m = linearsolve_model()
    irs = linearsolve_pipeline(m)
    out = {"steady_state": {k: float(v) for k, v in m.ss.items()}, "irf": {c: irs[c].tolist() for c in LS_VARIABLES}}
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


def _ours_command() -> list:
    exe = shutil.which("geo-sym")
    if exe:
        probe = subprocess.run([exe, "dsge", "--help"], capture_output=True, text=True)
        if probe.returncode == 0:
            return [exe, "dsge"]
    return [sys.executable, "-m", "geo_sym", "dsge"]


def _time_process(cmd, env, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd} failed: {proc.stderr.strip()}")
    return times, proc.stdout


def _best(func, repeats, number):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(number):
            func()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


def exact_derivatives_ours(ss):
    """Exact Jacobian blocks (lead, current, lag, shock) of rbc.yaml at ``ss`` with 50 digits."""
    import numpy as np
    import sympy as sp
    import yaml

    from dsge.model.compiler import argument_symbols, residual_expressions, symbols_for
    from dsge.model.model_file import read_model_spec

    spec = read_model_spec(yaml.safe_load(MODEL.read_text()), source=str(MODEL))
    syms = symbols_for(spec)
    v, p = argument_symbols(spec, syms)
    res = residual_expressions(spec, syms)
    n = len(spec.variables)
    point = {}
    for j, s in enumerate(v):
        block, k = divmod(j, n)
        point[s] = sp.Float(repr(float(ss[k])), 50) if block < 3 else sp.Integer(0)
    for s, name in zip(p, spec.parameter_names):
        point[s] = spec.parameters[name]
    jac = sp.Matrix(res).jacobian(v)
    exact = np.array(jac.subs(point).n(50).tolist(), dtype=float)
    return exact


def exact_derivatives_linearsolve(ss_ls):
    import numpy as np
    import sympy as sp

    fwd = {k: sp.Symbol(f"{k}_f") for k in LS_VARIABLES}
    cur = {k: sp.Symbol(f"{k}_c") for k in LS_VARIABLES}
    params = {k: sp.nsimplify(v) for k, v in PARAMS.items()}
    eqs = sp.Matrix(rbc_equations(fwd, cur, params, sp.log))
    point = {}
    for k, val in zip(LS_VARIABLES, ss_ls):
        point[fwd[k]] = sp.Float(repr(float(val)), 50)
        point[cur[k]] = sp.Float(repr(float(val)), 50)
    a = eqs.jacobian([fwd[k] for k in LS_VARIABLES]).subs(point).n(50)
    b = -eqs.jacobian([cur[k] for k in LS_VARIABLES]).subs(point).n(50)
    return np.array(a.tolist(), dtype=float), np.array(b.tolist(), dtype=float)


def main() -> int:
    import numpy as np

    repeats = int(os.environ.get("BENCH_REPEATS", "7"))
    cache = tempfile.mkdtemp(prefix="geo-sym-bench-cache-")
    env = dict(os.environ, GEO_SYM_CACHE=cache, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("MPLBACKEND", None)
    ours_cmd = _ours_command() + [str(MODEL.relative_to(ROOT)), "--irf", "eps_a", "--periods", "51", "--json"]
    theirs_cmd = [sys.executable, str(Path(__file__).resolve()), "--linearsolve-cli"]
    print(f"python {sys.version.split()[0]}; model {MODEL.relative_to(ROOT)}")

    # (a) whole command as a process ------------------------------------------------
    cold, _ = _time_process(ours_cmd, env, 1)  # builds the cache
    ours_t, ours_out = _time_process(ours_cmd, env, repeats)
    theirs_t, theirs_out = _time_process(theirs_cmd, env, repeats)
    ours_med, theirs_med = statistics.median(ours_t), statistics.median(theirs_t)
    print("\n(a) whole command, median of", repeats, "runs (wall clock)")
    print(f"    ours   : {' '.join(ours_cmd)}")
    print(f"             {ours_med:.3f} s  (first run, cold cache: {cold[0]:.3f} s)")
    print(f"    theirs : {' '.join(theirs_cmd)}  (linearsolve {_ls_version()})")
    print(f"             {theirs_med:.3f} s")
    print(f"    ratio ours/theirs = {ours_med / theirs_med:.3f}   (target <= 0.7)")
    ours_json, theirs_json = json.loads(ours_out), json.loads(theirs_out)
    diffs = [
        np.max(np.abs(np.array(ours_json["irf"][v]) - np.array(theirs_json["irf"][v])))
        for v in ("y", "c", "i", "n", "a")
    ]
    # Dynare k_t (end of period) is linearsolve's k_{t+1}
    k_ours = np.array(ours_json["irf"]["k"][:-1])
    k_theirs = np.array(theirs_json["irf"]["k"][1:])
    diffs.append(np.max(np.abs(k_ours - k_theirs)))
    print(f"    same answer: max |IRF difference| over variables = {max(diffs):.2e}")

    # (b) in process ----------------------------------------------------------------
    os.environ["GEO_SYM_CACHE"] = cache
    sys.path.insert(0, str(ROOT))
    import dsge

    model = dsge.load_model(MODEL)
    guess = model.guess

    def ours():
        ss = model.steady_state(guess=guess)
        model.solve(steady_state=ss).irf("eps_a", 51)

    ls_model = linearsolve_model()
    ours_s = _best(ours, 5, 50)
    theirs_s = _best(lambda: linearsolve_pipeline(ls_model), 5, 5)
    print("\n(b) in process: steady state + linearization + Klein solution + 51-period IRF (best of 5)")
    print(f"    ours   : {ours_s * 1e3:.3f} ms")
    print(f"    theirs : {theirs_s * 1e3:.3f} ms")
    print(f"    ratio ours/theirs = {ours_s / theirs_s:.4f}   (target <= 0.2)")

    # (c) derivative accuracy -----------------------------------------------------------
    ss = model.steady_state(guess=guess).values
    exact = exact_derivatives_ours(ss)
    ours_jac = np.hstack(model.jacobian(ss, ss, ss))
    ours_err = float(np.max(np.abs(ours_jac - exact)))
    ls_ss = [dict(zip(model.variables, ss))[v] for v in LS_VARIABLES]
    import pandas as pd

    ls_model.set_ss(pd.Series(ls_ss, index=LS_VARIABLES))
    ls_model.linear_approximation()
    a_exact, b_exact = exact_derivatives_linearsolve(ls_ss)
    ls_err = float(max(np.max(np.abs(ls_model.a - a_exact)), np.max(np.abs(ls_model.b - b_exact))))
    print("\n(c) first-order derivative matrices vs exact (SymPy, 50 digits) at the steady state")
    print(f"    ours   (symbolic diff + generated code): max abs error {ours_err:.3e}")
    print(f"    theirs (linearsolve, complex-step/finite differences): max abs error {ls_err:.3e}")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


def _ls_version() -> str:
    try:
        from importlib.metadata import version

        return version("linearsolve")
    except Exception:  # noqa: BLE001
        return "?"


if __name__ == "__main__":
    if "--linearsolve-cli" in sys.argv:
        sys.exit(linearsolve_cli())
    sys.exit(main())
