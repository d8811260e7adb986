"""Every shell command block of the README runs as written.

Each fenced block marked ``bash`` is run with ``bash -euo pipefail`` in a fresh temporary directory
laid out like a checkout (``examples/`` copied, ``tests/`` and ``docs/`` linked), with ``geo-sym`` on
the ``PATH`` running this checkout's package. A failing command fails the test with its output.

The one block that is not run is the set-up block at the top of the README (it creates a virtualenv
and installs the package: ``.ci/run`` runs exactly its test command on a clean clone, and the
package's own installation is what every other block exercises).

The gallery's commands (``examples/gallery/README.md``) are run by ``tests/test_figures_gallery.py``,
which also checks the figures they write; its sweeps are checked there for a spec that loads and
options the command line accepts (running them takes minutes each).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("README.md",)
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)


def _blocks(rel: str) -> list[tuple[str, int, str]]:
    """``(document, line, text)`` of each ``bash`` block of the document ``rel``."""
    text = (ROOT / rel).read_text(encoding="utf-8")
    out = []
    for m in _FENCE.finditer(text):
        if m.group(1) == "bash":
            out.append((rel, text.count("\n", 0, m.start()) + 1, m.group(2)))
    return out


def _is_setup(block: str) -> bool:
    return "python3 -m venv" in block and "pip install" in block


ALL = [b for rel in DOCUMENTS for b in _blocks(rel)]
SETUP = [b for b in ALL if _is_setup(b[2])]
RUN = [b for b in ALL if not _is_setup(b[2])]


def test_readme_opens_with_the_two_setup_commands_ci_runs():
    """The README's set-up block: exactly two commands; the second is what ``.ci/run`` runs."""
    assert SETUP and SETUP[0][0] == "README.md" and SETUP[0] == ALL[0]
    lines = [ln for ln in SETUP[0][2].splitlines() if ln.strip()]
    assert len(lines) == 2, lines
    assert lines[0].endswith("pip install . && geo-sym check")
    install, test = lines[1].split("&&")[-2:]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # the same extras and the same test command, not a variant of them
    assert install.strip() in ci, (install, ci)
    assert re.search(r"^\s*" + re.escape(test.strip()) + r"\s*$", ci, re.M), (test, ci)
    commands = [ln for ln in ci.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    assert len([ln for ln in commands if "pip install" in ln]) == 2  # pip itself, then the README's extras


def _workspace(tmp: Path) -> dict[str, str]:
    shutil.copytree(ROOT / "examples", tmp / "examples", ignore=shutil.ignore_patterns("*.png", "__pycache__"))
    for name in ("tests", "docs", "benchmarks"):
        (tmp / name).symlink_to(ROOT / name)
    bindir = tmp / ".bin"
    bindir.mkdir()
    shim = bindir / "geo-sym"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m geo_sym "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    env = dict(os.environ)
    env["PATH"] = f"{bindir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["GEO_SYM_CACHE"] = str(tmp / ".cache")
    env["MPLBACKEND"] = "Agg"
    env.pop("GEO_SYM_DEBUG", None)
    return env


@pytest.mark.slow
@pytest.mark.parametrize("doc, line, block", RUN, ids=[f"{d}:{n}" for d, n, _ in RUN])
def test_documented_commands_run(doc, line, block, tmp_path):
    if "--pdf" in block and shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed (.ci/run installs it)")
    env = _workspace(tmp_path)
    proc = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, (
        f"{doc}, block at line {line} exited {proc.returncode}:\n{block}\n{proc.stderr[-3000:]}"
    )
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def test_every_block_is_seen():
    """The block parser sees the README's blocks (a renamed fence must not silently skip them)."""
    assert len(RUN) >= 8 and all(block.strip() for _, _, block in RUN)
