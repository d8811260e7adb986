"""Every shell command of ``examples/gallery/README.md`` runs as written from the repository root.

The commands run in a temporary folder whose ``examples`` is the checkout's (a symbolic link), so they
see the same relative paths as from the root without writing into the checkout; ``geo-sym`` is this
checkout's command line. Each figure command must exit 0 and write its file (PNG at 300 dpi, or PDF).
Sweep commands run too (tens of seconds each); their specs are also checked on their own (the spec
loads and the command line accepts every option), which fails fast.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "examples" / "gallery" / "README.md"


def _commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    out = []
    for block in blocks:
        out += [line.strip() for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    return out


COMMANDS = _commands()


def test_the_gallery_has_commands_and_each_image_is_committed():
    assert len(COMMANDS) >= 15
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", README.read_text(encoding="utf-8"))
    assert images and all((README.parent / name).exists() for name in images)


@pytest.fixture
def root_like(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "geo-sym"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m geo_sym "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ)
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        GEO_SYM_CACHE=str(tmp_path / "cache"),
    )
    env.pop("DISPLAY", None)
    return tmp_path, env


def _written(command: str) -> list[str]:
    argv = shlex.split(command)
    return [argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-o", "--plot")]


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_a_gallery_command_runs_as_written(root_like, command):
    if "--pdf" in command and not any(
        (Path(p) / "pdflatex").exists() for p in os.environ.get("PATH", "").split(os.pathsep)
    ):
        pytest.skip("pdflatex is not installed")
    cwd, env = root_like
    done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    for name in _written(command):
        path = cwd / name
        assert path.exists(), name
        if path.suffix == ".png":
            assert _dpi(path) == (300, 300)  # written by the figures' own save_figure
        elif path.suffix == ".pdf":
            assert path.read_bytes()[:5] == b"%PDF-"


def _dpi(path) -> tuple:
    from PIL import Image

    with Image.open(path) as im:
        return tuple(round(v) for v in im.info["dpi"])


def test_geo_sym_plot_writes_300_dpi_by_default(root_like):
    cwd, env = root_like
    command = "geo-sym plot examples/models/nk3.yaml --kind eigenvalues -o e.png"
    done = subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _dpi(cwd / "e.png") == (300, 300)


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith("geo-sym sweep")])
def test_a_gallery_sweep_command_is_accepted(command, monkeypatch):
    from geo_sym.cli.main import build_parser
    from geo_sym.sweep.spec import load_spec

    argv = shlex.split(command)[1:]
    args = build_parser().parse_args(argv)
    monkeypatch.chdir(ROOT)
    spec = load_spec(args.spec if hasattr(args, "spec") else argv[1])
    assert spec.n_points > 0
    assert Path(args.plot).suffix == ".png"
