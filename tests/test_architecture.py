"""The layers and habits of issue 10, checked on every run (README's test command = CI).

* import-linter contracts (pyproject.toml): the economy core imports nothing above it, the DSGE engine's
  sub-layers point one way, the verifier imports none of the code that produces verdicts;
* no import cycles among geo-sym's modules (function-local imports included);
* ruff lint and format clean; mypy on the core layers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(argv):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def _tool(name):
    exe = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(exe).exists():
        pytest.skip(f"{name} is not installed (it comes with the test extra)")
    return exe


def test_import_contracts_are_kept():
    r = _run([_tool("lint-imports")])
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]


def test_no_import_cycles():
    grimp = pytest.importorskip("grimp")
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("geo_sym", "dsge", "proofs")
    cycles = []
    for module in sorted(graph.modules):
        for other in graph.find_modules_directly_imported_by(module):
            if module < other and graph.chain_exists(importer=other, imported=module):
                cycles.append(f"{module} <-> {other}")
    assert not cycles, "import cycles: " + "; ".join(cycles)


def test_ruff_lint_is_clean():
    r = _run([_tool("ruff"), "check", "--no-cache", "."])
    assert r.returncode == 0, r.stdout[-3000:]


def test_ruff_format_is_clean():
    r = _run([_tool("ruff"), "format", "--check", "--no-cache", "."])
    assert r.returncode == 0, r.stdout[-3000:]


def test_core_layers_type_check():
    """mypy on the layers everything else stands on (files listed under [tool.mypy] in pyproject.toml)."""
    r = _run([_tool("mypy"), "--no-incremental"])
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]


def test_size_limits():
    """Modules under 600 lines and functions under 80 (issue 10): a long one is split by subject."""
    import ast

    too_long = []
    for package in ("geo_sym", "dsge", "proofs"):
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if text.count("\n") > 650:
                too_long.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    n = node.end_lineno - node.lineno + 1
                    if n > 90:
                        too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {n} lines")
    assert not too_long, "\n".join(too_long)
