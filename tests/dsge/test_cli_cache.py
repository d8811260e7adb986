"""The dsge command line (in process and as a subprocess) and the compiled-model cache."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import dsge
from dsge.model import cache
from geo_sym.cli.dsge import add_dsge_parser, run_dsge
from geo_sym.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def run(argv, capsys):
    code = main(["dsge", *[str(a) for a in argv]])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_output_keys(models_dir, capsys):
    code, out, err = run([models_dir / "nk3.yaml", "--irf", "eps_v", "--periods", "7", "--json"], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data["steady_state"]) == {"x", "pi", "i", "v"}
    bk = data["bk"]
    for key in ("status", "n_unstable", "n_forward", "moduli", "boundary", "tolerance"):
        assert key in bk
    assert bk["status"] == "determinate" and bk["tolerance"] == 1e-6
    assert set(data["irf"]) == {"x", "pi", "i", "v"}
    assert all(len(path) == 7 for path in data["irf"].values())
    assert data["irf"]["v"][:3] == pytest.approx([1, 0.5, 0.25])


def test_set_and_tol_options(models_dir, capsys):
    code, out, _ = run(
        [models_dir / "nk3.yaml", "--set", "phi_pi=1", "--set", "phi_y=0", "--tol", "1e-8", "--json"], capsys
    )
    assert code == 0
    bk = json.loads(out)["bk"]
    assert bk["status"] == "indeterminate" and bk["boundary"] is True
    assert bk["tolerance"] == 1e-8


def test_readable_summary(models_dir, capsys):
    code, out, _ = run([models_dir / "rbc.yaml", "--irf", "eps_a", "--periods", "5"], capsys)
    assert code == 0
    assert "Blanchard-Kahn: determinate" in out and "impulse responses" in out


@pytest.mark.parametrize(
    "argv,match",
    [
        (["--set", "gamma=2"], "--set: got 'gamma', expected a parameter name: beta, sigma"),
        (["--set", "phi_pi"], "expected NAME=VALUE"),
        (["--set", "phi_pi=abc"], "--set phi_pi"),
        (["--irf", "eps_q"], "shock: got 'eps_q', expected a declared shock: eps_v"),
        (["--set", "phi_pi=0.5", "--irf", "eps_v"], "indeterminate"),
        (["--periods", "0", "--irf", "eps_v"], "--periods"),
        (["--plot", "x.png"], "--plot together with --irf"),
        (["--tol", "-1"], "--tol"),
    ],
)
def test_errors_exit_2_with_one_line(models_dir, capsys, argv, match):
    code, out, err = run([models_dir / "nk3.yaml", *argv, "--json"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and match in err


def test_plot_writes_png(models_dir, tmp_path, capsys):
    target = tmp_path / "irf.png"
    code, out, _ = run([models_dir / "nk3.yaml", "--irf", "eps_v", "--plot", target, "--json"], capsys)
    assert code == 0 and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_subcommand_registration(models_dir, capsys):
    parser = argparse.ArgumentParser(prog="geo-sym")
    sub = parser.add_subparsers(dest="command")
    add_dsge_parser(sub)
    args = parser.parse_args(["dsge", str(models_dir / "nk3.yaml"), "--json"])
    assert args.func is run_dsge
    assert run_dsge(args) == 0
    assert json.loads(capsys.readouterr().out)["bk"]["status"] == "determinate"
    help_text = sub.choices["dsge"].format_help()
    for option in ("--set", "--irf", "--periods", "--plot", "--tol", "--json", "NAME=VALUE"):
        assert option in help_text


def _subprocess(args, cache_dir):
    env = dict(
        os.environ, GEO_SYM_CACHE=str(cache_dir), PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_subprocess_and_fast_path_avoids_sympy(tmp_path):
    model = ROOT / "examples" / "models" / "rbc.yaml"
    first = _subprocess(["-m", "geo_sym", "dsge", str(model), "--irf", "eps_a", "--periods", "51", "--json"], tmp_path)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert len(data["irf"]["k"]) == 51
    probe = (
        "import sys, io, contextlib\n"
        "from geo_sym.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as buf:\n"
        f"    code = main(['dsge', {str(model)!r}, '--irf', 'eps_a', '--periods', '51', '--json'])\n"
        "heavy = [m for m in ('sympy', 'quantecon', 'yaml', 'scipy.optimize', 'pandas',"
        " 'matplotlib') if m in sys.modules]\n"
        "print(code, heavy)\n"
        "print(buf.getvalue())\n"
    )
    second = _subprocess(["-c", probe], tmp_path)
    assert second.returncode == 0, second.stderr
    head, body = second.stdout.split("\n", 1)
    assert head == "0 []"
    assert json.loads(body) == data


def test_corrupt_cache_is_rebuilt(tmp_path, models_dir, monkeypatch):
    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path))
    path = models_dir / "brock_mirman.yaml"
    expected = dsge.load_model(path).solve().irf("eps_z", 5).values
    entries = list((tmp_path / "dsge").glob("*.bin"))
    assert len(entries) == 1
    good = entries[0].read_bytes()
    for damaged in (b"", b"garbage", good[:-10], good[:20] + b"x" + good[21:], good[: len(good) // 2]):
        entries[0].write_bytes(damaged)
        m = dsge.load_model(path)
        assert (m.solve().irf("eps_z", 5).values == expected).all()
    # a well-formed entry whose code refers to a non-math global is refused too
    key = entries[0].stem
    data = cache.read_entry(key)
    assert data is not None

    def evil(v, p):  # pragma: no cover - never called
        return open("/tmp/pwned", "w")

    data["residual_code"] = evil.__code__
    assert cache.write_entry(key, data)
    with pytest.raises(ValueError, match="unexpected global 'open'"):
        from dsge.model.compiler import function_from_code

        function_from_code(evil.__code__)
    m = dsge.load_model(path)
    assert (m.solve().irf("eps_z", 5).values == expected).all()
    assert not os.path.exists("/tmp/pwned")


def test_cache_key_depends_on_content_and_overrides():
    a = cache.cache_key(b"x", {})
    assert a == cache.cache_key(b"x", None)
    assert a != cache.cache_key(b"y", {})
    assert a != cache.cache_key(b"x", {"beta": "0.9"})
    assert cache.cache_key(b"x", {"a": 1, "b": 2}) == cache.cache_key(b"x", {"b": 2, "a": 1})


def test_cache_disabled(monkeypatch, models_dir):
    monkeypatch.setenv("GEO_SYM_CACHE", "")
    assert cache.cache_dir() is None
    assert dsge.load_model(models_dir / "nk3.yaml").solve().bk.determinate


def test_steady_state_is_cached(tmp_path, models_dir, monkeypatch):
    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path))
    first = dsge.load_model(models_dir / "rbc.yaml").steady_state()
    assert first.cached is False and first.method == "hybr"
    second = dsge.load_model(models_dir / "rbc.yaml").steady_state()
    assert second.cached is True
    assert (second.values == first.values).all()
