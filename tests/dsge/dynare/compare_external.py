"""Compare geo-sym with Dynare on ``.mod`` files that are not in this repository.

For each file: the text geo-sym reads is the file's own up to its first ``stoch_simul`` (macro
directives expanded by geo-sym's macro processor when the file has any), with that command's
variable list dropped (so both tools report every variable), ``nograph`` added, ``nomoments``
and ``periods`` removed (and a ``periods N;`` statement) (with ``periods=N`` Dynare reports the moments of a simulated sample),
``order=1`` added when the command has no order (Dynare's default is 2), and ``steady(tolf=1e-14);``
put before it (Dynare's default steady-state tolerance leaves values off by about 1e-7). Dynare 5 (under Octave) runs that text and ``export_results.m`` exports
its results; :func:`dynare_results.compare` compares them with geo-sym's at a relative 1e-8.
One line per file: ``matches Dynare``, the differences, or why a side could not run. Where the two
differ, the distance of each to a 60-digit solution of the same matrices is appended
(:mod:`reference_solution`): it says which side is closer to the exact answer.

Usage (needs ``octave`` and Debian's ``dynare`` package)::

    python tests/dsge/dynare/compare_external.py path/to/*.mod

Files geo-sym refuses (a feature outside first-order ``stoch_simul``) are reported with geo-sym's
one-line error and not run in Dynare. Nothing is written next to the files.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[2]))

import dynare_results as dr

from dsge.model.macro import decode, expand
from dsge.model.mod_file import _head, _strip_comments
from dsge.model.mod_options import split_options
from geo_sym.errors import GeoSymError


def prepared_text(path: Path) -> str:
    """The file's text up to its first ``stoch_simul`` (macros expanded), that command rewritten as above."""
    text = decode(path.read_bytes())
    if "@#" in text:
        text = expand(_strip_comments(text), str(path))[0]
    # use_dll makes Dynare compile the model with a C compiler (not installed); the numbers do not depend on it
    text = re.sub(r"^(\s*model\s*)\(([^)]*)\)", _without_use_dll, text, flags=re.M | re.I)
    # the periods statement is stoch_simul's periods option (dropped below for the same reason)
    text = re.sub(r"^\s*periods\s+\d+\s*;", "", text, flags=re.M | re.I)
    m = re.search(r"^\s*stoch_simul\b", text, re.M)
    if m is None:
        raise ValueError("no stoch_simul")
    options = _head(text[m.end() - len("stoch_simul") :])[1]  # balanced: irf_shocks=(e, u)
    dropped = ("nograph", "nomoments", "periods")  # periods=N: Dynare would report a simulated sample's moments
    kept = [o for o in split_options(options or "") if o.split("=")[0].strip().lower() not in dropped]
    if not any(o.split("=")[0].strip().lower() == "order" for o in kept):
        kept.append("order=1")  # Dynare's default is 2; geo-sym solves at order 1
    # Dynare's own steady-state tolerance (tolf 6e-6) leaves values off by about 1e-7 (see docs/dsge.md)
    return text[: m.start()] + "\nsteady(tolf=1e-14);\nstoch_simul(" + ", ".join(["nograph", *kept]) + ");\n"


def _without_use_dll(m: re.Match) -> str:
    kept = [o for o in split_options(m.group(2)) if o.strip().lower() != "use_dll"]
    return m.group(1) + (f"({', '.join(kept)})" if kept else "")


def compare_file(path: Path, workdir: Path) -> str:
    stage = Path(tempfile.mkdtemp(dir=workdir))
    mod = stage / path.name
    try:
        mod.write_text(prepared_text(path))
    except (ValueError, GeoSymError) as exc:
        return f"not compared: {exc}"
    try:
        ours = dr.canonical_ours(mod)
    except GeoSymError as exc:
        return f"geo-sym: {exc}"
    try:
        theirs = dr.canonical_dynare(dr.run_dynare(mod, Path(tempfile.mkdtemp(dir=workdir))), mod.stem)
    except (RuntimeError, ValueError, KeyError) as exc:  # Dynare failed, or its export is incomplete
        return f"Dynare's results could not be read ({str(exc).strip().splitlines()[-1][:120]})"
    problems = dr.compare(ours, theirs)
    if not problems:
        return "matches Dynare"
    return "; ".join(problems) + _arbitration(mod, ours, theirs)


def _arbitration(mod: Path, ours: dict, theirs: dict) -> str:
    """Which side is closer to a 60-digit solution of the same matrices (:mod:`reference_solution`)."""
    import reference_solution as ref

    try:
        result = ref.distances(mod, ours, theirs)
    except (ArithmeticError, ValueError, np.linalg.LinAlgError) as exc:
        return f" [no {ref.DIGITS}-digit reference: {exc}]"
    return f" [distance to the {ref.DIGITS}-digit solution — {ref.summary(result)}]"


def main(argv=None) -> int:
    paths = [Path(a) for a in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print(__doc__)
        return 2
    if not dr.dynare_available():
        print("octave and Dynare are needed (Debian: apt-get install octave dynare)", file=sys.stderr)
        return 1
    matched = 0
    with tempfile.TemporaryDirectory(prefix="dynare-external-") as tmp:
        for path in paths:
            verdict = compare_file(path, Path(tmp))
            matched += verdict == "matches Dynare"
            print(f"{path.name}: {verdict}", flush=True)
    print(f"{matched} of {len(paths)} match Dynare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
