"""The shocks of a Dynare ``.mod`` file: ``shocks`` blocks, ``Sigma_e``, measurement errors (for
:mod:`dsge.model.mod_file`, whose reader ``reader`` carries the state: declared names, the entries read
so far, notes and its ``fail`` method)."""

from __future__ import annotations

import re

from dsge.model.mod_options import names as list_names

__all__ = ["SIGMA_E", "UNTERMINATED", "shocks_statement", "sigma_e", "merge_sigma_e", "finish_shocks"]

#: marks the text after the last ';' (an error if the reader reaches it)
UNTERMINATED = "\x00"

#: Dynare's deprecated 'Sigma_e = [ ... ];' (the shocks' covariance matrix, one statement per row)
SIGMA_E = re.compile(r"Sigma_e\s*=\s*\[")


def shocks_statement(reader, stmt: str, line: int, pending: list) -> None:
    """One statement of a ``shocks`` block (``pending``: the name of a ``var NAME;`` awaiting its ``stderr``)."""
    word, _, rest = stmt.partition(" ")
    word = word.lower()
    if word in ("periods", "values"):  # var e; periods 1:4; values 0.1; (a perfect-foresight simulation's)
        what = f"var {pending[0]}; {stmt}" if pending else stmt
        raise reader.fail(line, what, "no deterministic shocks (periods/values): geo-sym solves stoch_simul only")
    if word == "stderr":
        if not pending:
            raise reader.fail(line, stmt, "'var NAME;' before 'stderr VALUE;'")
        name = pending.pop()
        reader.shock_scale[name] = ("shock_std", rest.strip(), line)
        return
    if pending:
        raise reader.fail(line, stmt, f"'stderr VALUE;' after 'var {pending[0]};'")
    if word not in ("var", "corr"):
        raise reader.fail(line, stmt, "var/stderr/corr statements in the shocks block (no deterministic shocks)")
    names_text, eq, expr = rest.partition("=")
    names = list_names(names_text)
    if word == "var" and not eq and len(names) == 1:
        pending.append(names[0])
        return
    if not eq or len(names) not in (1, 2) or (word == "corr" and len(names) != 2):
        raise reader.fail(line, stmt, "var NAME = VARIANCE; var A, B = COVARIANCE; or corr A, B = CORRELATION;")
    if len(names) == 1:
        reader.shock_scale[names[0]] = ("shock_var", expr.strip(), line)
    else:
        key = "shock_corr" if word == "corr" else "shock_cov"
        reader.shock_pairs[frozenset(names)] = (key, names[0], names[1], expr.strip(), line)


def sigma_e(reader, stmt: str, line: int) -> None:
    """Dynare's deprecated ``Sigma_e = [...]``: the covariance matrix of the shocks, lower or upper triangular.

    As in Dynare 5.3 it replaces the whole matrix (earlier shocks blocks included); rows follow the
    order of ``varexo``; entries are numbers or expressions in parentheses.
    """
    body = stmt[SIGMA_E.match(stmt).end() :]
    if not body.rstrip().endswith("]"):
        raise reader.fail(line, stmt[:60], "Sigma_e = [ ... ]; closed by ']'")
    rows, names = _matrix_entries(body.rstrip()[:-1]), reader.d["shocks"]
    n = len(names)
    lower = len(rows) == n and all(len(r) == i + 1 for i, r in enumerate(rows))
    upper = len(rows) == n and all(len(r) == n - i for i, r in enumerate(rows))
    if not (lower or upper) or n == 0:
        raise reader.fail(line, stmt[:60], f"Sigma_e as a lower or upper triangular matrix of the {n} shocks")
    for entry in (e for r in rows for e in r):
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|\(.*\)", entry):
            raise reader.fail(line, entry, "a number or an expression in parentheses (in Sigma_e)")
    reader.shock_scale.clear()
    reader.shock_pairs.clear()
    for i, row in enumerate(rows):
        for k, entry in enumerate(row):
            j = k if lower else i + k  # row i, column j
            a, b = names[i], names[j]
            if a == b:
                reader.shock_scale[a] = ("shock_var", entry, line)
            elif not re.fullmatch(r"[+-]?0*\.?0*", entry):
                reader.shock_pairs[frozenset((a, b))] = ("shock_cov", a, b, entry, line)
    reader.notes.append(f"line {line}: Sigma_e (deprecated in Dynare) read as the covariance matrix of the shocks")


def merge_sigma_e(statements: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """``Sigma_e = [a; b c];`` as one statement (split at its ``;`` like any other text)."""
    out, k = [], 0
    while k < len(statements):
        stmt, line = statements[k]
        k += 1
        if SIGMA_E.match(stmt):
            while "]" not in stmt and k < len(statements) and not statements[k][0].endswith(UNTERMINATED):
                stmt, k = f"{stmt}; {statements[k][0]}", k + 1
        out.append((stmt, line))
    return out


def _matrix_entries(text: str) -> list[list[str]]:
    """Rows of ``[1 (a*b); 2 3]``: entries are numbers or expressions in parentheses (as Dynare requires)."""
    rows = []
    for row in text.split(";"):
        entries, depth, cur = [], 0, ""
        for c in row + " ":
            depth += (c == "(") - (c == ")")
            if depth == 0 and (c.isspace() or c == ","):
                if cur:
                    entries.append(cur)
                cur = ""
            else:
                cur += c
        rows.append(entries)
    return rows


def finish_shocks(reader) -> None:
    d = reader.d
    std, var = {}, {}
    for name, (key, expr, line) in reader.shock_scale.items():
        if _measurement_error(reader, [name], line):
            continue
        (std if key == "shock_std" else var)[name] = expr
        reader.lines[f"{key}.{name}"] = line
    for name in d["shocks"]:
        if name not in std and name not in var:
            std[name] = "0"
            reader.notes.append(f"shock {name} is not in a shocks block: its variance is 0 (as in Dynare)")
    d["shock_std"], d["shock_var"] = std, var
    for key, a, b, expr, line in reader.shock_pairs.values():
        if _measurement_error(reader, [a, b], line):
            continue
        d.setdefault(key, {}).setdefault(a, {})[b] = expr
        reader.lines[f"{key}.{a}"] = line


def _measurement_error(reader, names: list[str], line: int) -> bool:
    """Whether a shocks entry on ``names`` is a measurement error (ignored, with a note); else check they are shocks.

    Dynare 5.3 accepts ``var y_obs; stderr s;`` and ``corr y_obs, z_obs = r;`` on observed endogenous
    variables (varobs): measurement errors, which only estimation uses (stoch_simul's results are the
    same without them). A covariance between an observed variable and a shock is an error (Dynare:
    "covariances can only be specified for exogenous or observed endogenous variables of same type").
    """
    shocks = reader.d["shocks"]
    observed = [n in reader.observed and n in reader.d["variables"] for n in names]
    if all(observed):
        reader.notes.append(f"line {line}: measurement error on {', '.join(names)} ignored (estimation only)")
        return True
    for name, seen in zip(names, observed):
        if name not in shocks and not seen:
            raise reader.fail(line, name, "a declared exogenous variable (varexo), or an observed one (varobs)")
    if any(observed):
        raise reader.fail(line, ", ".join(names), "two shocks or two observed variables (varobs), not one of each")
    return False
