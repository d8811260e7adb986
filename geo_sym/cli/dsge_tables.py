"""Text tables and CSV files of ``geo-sym dsge`` (Dynare-like layout).

Tables fit the terminal width (columns are split into blocks), rows and columns are
labelled, numbers are fixed-point like Dynare's (scientific when very large or small) and
a value that rounds to zero prints without a sign (never ``-0.0000``).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from geo_sym.cli.tables import matrix_table

__all__ = ["table", "text_report", "write_csv"]


def table(
    title: str, headers: list, rows: list, cells: list, *, width: int = 100, decimals: int = 4, corner: str = ""
) -> str:
    """A labelled table with ``decimals`` fixed decimals, like Dynare's (see :func:`geo_sym.cli.tables.matrix_table`)."""
    return (
        "\n".join(matrix_table(title, rows, headers, cells, width=width, fixed=decimals, threshold=0.0, corner=corner))
        + "\n"
    )


def _header(res, out: dict, source: str) -> list[str]:
    sol = res.solution
    bk = sol.bk
    n = len(out["variables"])
    aux = out.get("auxiliary_variables", [])
    declared = sol.declared
    lines = [
        f"MODEL {out['model']} ({source}): {declared} variables"
        + (f" ({n} reported)" if n != declared else "")
        + (f" (+{len(aux)} auxiliary for leads/lags)" if aux else "")
        + f", {len(sol.shocks)} shock{'s' if len(sol.shocks) != 1 else ''}; "
        f"{bk.n_predetermined} state variable(s), {bk.n_forward} forward-looking"
    ]
    if out.get("log_variables"):
        lines.append("log-linearized (log deviations): " + ", ".join(out["log_variables"]))
    if out.get("levels"):
        lines.append("kept in levels (steady state not positive): " + ", ".join(out["levels"]))
    for note in out.get("notes", []):
        lines.append(f"note: {note}")
    return lines


def _steady_state(out: dict, width: int) -> str:
    res = out["steady_state_residuals"]
    worst = max((abs(r) for r in res), default=0.0)
    rows = list(out["steady_state"])
    title = f"STEADY STATE ({out['steady_state_method']}; max |residual| {worst:.1e})"
    return table(title, ["value"], rows, [[out["steady_state"][v]] for v in rows], width=width, decimals=6)


def _eigenvalues(bk, width: int) -> str:
    eig = list(bk.eigenvalues)
    lines = []
    if eig and len(eig) <= 40:
        cells = [
            [abs(e) if math.isfinite(abs(e)) else "inf", e.real if math.isfinite(abs(e)) else "inf", e.imag]
            for e in eig
        ]
        lines.append(
            table(
                "EIGENVALUES (generalized, of the linearized model's pencil)",
                ["modulus", "real", "imaginary"],
                [f"root {k}" for k in range(1, len(eig) + 1)],
                cells,
                width=width,
                decimals=6,
            )
        )
    elif eig:
        lines.append(f"EIGENVALUES: {len(eig)} (moduli in --json)\n")
    lines.append(
        f"BLANCHARD-KAHN: {bk.status}: {bk.n_unstable} eigenvalue(s) larger than 1 + {bk.tolerance:g} in modulus for "
        f"{bk.n_forward} forward-looking variable(s)"
        + (f"; boundary case (a modulus within {bk.tolerance:g} of 1)" if bk.boundary else "")
    )
    lines.append(f"  {bk.message}")
    return "\n".join(lines) + "\n"


def _policy(res, out: dict, width: int) -> str:
    dr = out["decision_rules"]
    variables = out["variables"]
    cells = [[dr["values"][v][row] for v in variables] for row in dr["rows"]]
    return table("POLICY AND TRANSITION FUNCTIONS", variables, dr["rows"], cells, width=width, decimals=6)


def _moments(res, out: dict, width: int) -> list[str]:
    m = out["moments"]
    variables = out["variables"]
    hp = f" (HP filter, lambda = {m['hp_filter']:g})" if m.get("hp_filter") else ""
    unit = " (in percent)" if out.get("percent") else ""
    parts = []
    logged = set(out.get("log_variables", []))
    mean = {v: (math.log(x) if v in logged else x) for v, x in out["steady_state"].items()}
    nonstationary = m.get("nonstationary", [])
    for v in nonstationary:  # no unconditional mean either (Dynare: NaN)
        mean[v] = None
    cells = [[mean[v], m["std"][v], m["variance"][v]] for v in variables]
    parts.append(
        table(
            f"THEORETICAL MOMENTS{hp}{unit}",
            ["MEAN", "STD. DEV.", "VARIANCE"],
            variables,
            cells,
            width=width,
            corner="VARIABLE",
        )
    )
    if nonstationary:
        parts.append(f"non-stationary variables (unit root; moments n/a): {', '.join(nonstationary)}\n")
    if "variance_decomposition" in out and len(out["shocks"]) > 1:
        vd = out["variance_decomposition"]
        cells = [[vd[v][e] for e in out["shocks"]] for v in variables]
        parts.append(
            table(f"VARIANCE DECOMPOSITION (in percent){hp}", out["shocks"], variables, cells, width=width, decimals=2)
        )
    if "correlation" in m:
        cells = [[m["correlation"][v][w] for w in variables] for v in variables]
        parts.append(table(f"MATRIX OF CORRELATIONS{hp}", variables, variables, cells, width=width, corner="Variables"))
    ar = len(next(iter(m["autocorrelation"].values()), []))
    if ar:
        cells = [m["autocorrelation"][v] for v in variables]
        parts.append(
            table(
                f"COEFFICIENTS OF AUTOCORRELATION{hp}",
                [str(k) for k in range(1, ar + 1)],
                variables,
                cells,
                width=width,
                corner="Order",
            )
        )
    return parts


def _conditional(out: dict, width: int) -> list[str]:
    parts = []
    for h, shares in out["conditional_variance_decomposition"].items():
        cells = [[shares[v][e] for e in out["shocks"]] for v in out["variables"]]
        title = f"CONDITIONAL VARIANCE DECOMPOSITION (in percent), period {h}"
        parts.append(table(title, out["shocks"], out["variables"], cells, width=width, decimals=2))
    return parts


def _irfs(out: dict, width: int, single: str | None) -> list[str]:
    parts = []
    irfs = {single: out["irf"]} if single else out["irfs"]
    size = "a unit" if out.get("irf_scale") == "unit" else "a one-standard-deviation"
    unit = ", percent" if out.get("percent") else ""
    for shock, paths in irfs.items():
        n = len(next(iter(paths.values()), []))
        label_w = max(len(v) for v in paths) + 2
        shown = max(1, min(n, (width - label_w) // 12))
        title = f"IMPULSE RESPONSES to {size} {shock} shock (deviations from steady state{unit})"
        if shown < n:
            title += f"\nperiods 0..{shown - 1} of 0..{n - 1} shown (all with --json or --csv)"
        cells = [paths[v][:shown] for v in paths]
        header = [str(t) for t in range(shown)]
        parts.append(table(title, header, list(paths), cells, width=width, corner="period", decimals=6))
    if out.get("irf_skipped_shocks"):
        parts.append(
            "no impulse responses to "
            + ", ".join(out["irf_skipped_shocks"])
            + " (zero variance; --unit gives unit impulses)\n"
        )
    return parts


def text_report(res, out: dict, *, source: str, width: int = 100, single_irf: str | None = None) -> str:
    """The readable report of ``geo-sym dsge``: Dynare's ``stoch_simul`` sections, in Dynare's order."""
    sol = res.solution
    parts = ["\n".join(_header(res, out, source)) + "\n", _steady_state(out, width), _eigenvalues(sol.bk, width)]
    if sol.bk.determinate:
        if len(sol.shocks):
            parts.append(
                table(
                    "MATRIX OF COVARIANCE OF EXOGENOUS SHOCKS",
                    list(sol.shocks),
                    list(sol.shocks),
                    out["shock_cov"],
                    width=width,
                    decimals=6,
                    corner="Variables",
                )
            )
        if "decision_rules" in out:
            parts.append(_policy(res, out, width))
        if "moments" in out:
            parts += _moments(res, out, width)
        if "conditional_variance_decomposition" in out:
            parts += _conditional(out, width)
        if "irfs" in out or "irf" in out:
            parts += _irfs(out, width, single_irf)
        if "simulation" in out:
            s = out["simulation"]
            what = "levels" if s["levels"] else "deviations"
            parts.append(
                f"SIMULATION: {s['periods']} periods of {what} after {s['drop']} dropped (seed {s['seed']}); values in --json or --csv\n"
            )
    for key, why in out.get("unavailable", {}).items():
        if key != "solution":
            parts.append(f"no {key}: {why}\n")
    return "\n".join(parts)


def _write(path: Path, header: list, rows: list) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if x is None else x for x in row])


def write_csv(out: dict, folder, single_irf: str | None = None) -> list[str]:
    """Write the results as CSV files in ``folder`` (created); returns the file names written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    variables = out["variables"]

    def emit(name, header, rows):
        _write(folder / name, header, rows)
        written.append(str(folder / name))

    emit("steady_state.csv", ["variable", "value"], [[v, out["steady_state"][v]] for v in variables])
    irfs = {single_irf: out["irf"]} if single_irf else out.get("irfs", {})
    for shock, paths in irfs.items():
        n = len(next(iter(paths.values()), []))
        emit(f"irf_{shock}.csv", ["period"] + variables, [[t] + [paths[v][t] for v in variables] for t in range(n)])
    if "moments" in out:
        m = out["moments"]
        ar = len(next(iter(m["autocorrelation"].values()), []))
        header = ["variable", "mean", "std", "variance"] + [f"autocorr_{k}" for k in range(1, ar + 1)]
        unrooted = set(m.get("nonstationary", []))  # no unconditional mean either
        rows = [
            [v, None if v in unrooted else out["steady_state"][v], m["std"][v], m["variance"][v]]
            + m["autocorrelation"][v]
            for v in variables
        ]
        emit("moments.csv", header, rows)
        if "correlation" in m:
            emit(
                "correlation.csv",
                ["variable"] + variables,
                [[v] + [m["correlation"][v][w] for w in variables] for v in variables],
            )
    if "variance_decomposition" in out:
        vd = out["variance_decomposition"]
        emit(
            "variance_decomposition.csv",
            ["variable"] + out["shocks"],
            [[v] + [vd[v][e] for e in out["shocks"]] for v in variables],
        )
    if "conditional_variance_decomposition" in out:
        rows = [
            [h, v] + [sh[v][e] for e in out["shocks"]]
            for h, sh in out["conditional_variance_decomposition"].items()
            for v in variables
        ]
        emit("conditional_variance_decomposition.csv", ["horizon", "variable"] + out["shocks"], rows)
    if "simulation" in out:
        values = out["simulation"]["values"]
        n = len(next(iter(values.values()), []))
        emit("simulation.csv", ["period"] + variables, [[t] + [values[v][t] for v in variables] for t in range(n)])
    if "decision_rules" in out:
        dr = out["decision_rules"]
        emit(
            "decision_rules.csv",
            ["row"] + variables,
            [[r] + [dr["values"][v][r] for v in variables] for r in dr["rows"]],
        )
    return written
