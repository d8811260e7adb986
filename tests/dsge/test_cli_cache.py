"""The dsge command line (in process and as a subprocess) and the compiled-model cache."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
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
    assert set(data["irf"]) == {"x", "pi", "i", "v"} and data["irf_shock"] == "eps_v" and "irfs" not in data
    assert all(len(path) == 7 for path in data["irf"].values())
    assert data["irf"]["v"][:3] == pytest.approx([1, 0.5, 0.25])  # nk3.yaml gives eps_v a standard deviation of 1
    moments = data["moments"]
    assert set(moments) >= {"std", "variance", "correlation", "autocorrelation"}
    assert moments["variance"]["v"] == pytest.approx(1 / (1 - 0.25))
    assert moments["autocorrelation"]["v"] == pytest.approx([0.5**k for k in range(1, 6)])
    assert data["variance_decomposition"]["x"] == {"eps_v": pytest.approx(100)}


def test_every_shock_one_standard_deviation_or_unit(models_dir, capsys):
    code, out, _ = run([models_dir / "nk_medium.mod", "--irf", "--periods", "5", "--json"], capsys)
    data = json.loads(out)
    assert set(data["irfs"]) == {"ea", "eg", "em"} and data["irf_scale"] == "std"
    assert data["irfs"]["ea"]["a"][0] == pytest.approx(0.01, rel=1e-12)  # log(a) = ... + ea: a responds ~ a*0.01
    code, out, _ = run([models_dir / "nk_medium.mod", "--irf", "em", "--unit", "--periods", "3", "--json"], capsys)
    unit = json.loads(out)
    assert unit["irf_scale"] == "unit" and unit["irf"]["r"][0] == pytest.approx(100 * data["irfs"]["em"]["r"][0] / 0.25)


def test_loglinear_percent_and_moments_options(models_dir, capsys):
    args = [
        models_dir / "rbc.mod",
        "--loglinear",
        "--percent",
        "--ar",
        "2",
        "--hp-filter",
        "--conditional",
        "1,4",
        "--json",
    ]
    code, out, err = run(args, capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data["log_variables"]) == {"y", "c", "i", "n", "k", "a"} and data["percent"] is True
    assert data["irfs"]["eps_a"]["a"][0] == pytest.approx(1.0, rel=1e-10)  # a 1% shock to log TFP, in percent
    assert data["moments"]["hp_filter"] == 1600 and len(data["moments"]["autocorrelation"]["y"]) == 2
    assert set(data["conditional_variance_decomposition"]) == {"1", "4"}


def test_simulation_csv_and_seed(models_dir, tmp_path, capsys):
    args = [models_dir / "rbc.yaml", "--irf", "--simulate", "50", "--seed", "3", "--csv", tmp_path / "out", "--json"]
    code, out, _ = run(args, capsys)
    first = json.loads(out)
    sim = first["simulation"]
    assert sim["periods"] == 50 and sim["levels"] is True and sim["seed"] == 3 and sim["drop"] == 100
    assert min(sim["values"]["k"]) > 0  # levels around 22.6
    code, out, _ = run([*args[:-1], "--deviations", "--json"], capsys)
    dev = json.loads(out)["simulation"]["values"]["k"]
    assert np.allclose(np.array(sim["values"]["k"]) - first["steady_state"]["k"], dev, atol=1e-12)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "correlation.csv",
        "decision_rules.csv",
        "irf_eps_a.csv",
        "moments.csv",
        "simulation.csv",
        "steady_state.csv",
        "variance_decomposition.csv",
    ]
    header = (tmp_path / "out" / "irf_eps_a.csv").read_text().splitlines()
    assert header[0] == "period,y,c,i,n,k,a" and len(header) == 1 + 40
    moments = (tmp_path / "out" / "moments.csv").read_text().splitlines()[0]
    assert moments == "variable,mean,std,variance,autocorr_1,autocorr_2,autocorr_3,autocorr_4,autocorr_5"


def test_readable_tables(models_dir, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    code, out, err = run([models_dir / "nk_medium.mod"], capsys)
    assert code == 0 and err == ""
    for title in (
        "STEADY STATE",
        "EIGENVALUES",
        "BLANCHARD-KAHN: determinate",
        "POLICY AND TRANSITION FUNCTIONS",
        "THEORETICAL MOMENTS",
        "VARIANCE DECOMPOSITION (in percent)",
        "MATRIX OF CORRELATIONS",
        "COEFFICIENTS OF AUTOCORRELATION",
        "CONDITIONAL VARIANCE DECOMPOSITION (in percent), period 40",
        "IMPULSE RESPONSES to a one-standard-deviation em shock",
    ):
        assert title in out, title
    table_lines = [ln for ln in out.splitlines() if ln and not ln[0].isupper() and not ln.startswith("  ")]
    assert max(len(ln) for ln in table_lines) <= 72
    assert not re.search(r"(?<![\w.])-0(\.0+)?(?![\d.])", out)  # no negative zero anywhere


def test_rbc_text_matches_dynares_printed_moments(models_dir, capsys):
    code, out, _ = run([models_dir / "rbc.mod"], capsys)
    # Dynare 5.3 prints (stoch_simul on rbc.mod): y 2.2698 0.0813 0.0066 and an autocorrelation row y 0.9260 ...
    assert re.search(r"^y\s+2\.2698\s+0\.0813\s+0\.0066$", out, re.M)
    assert re.search(r"^y\s+0\.9260\s+0\.8582\s+0\.7962\s+0\.7392\s+0\.6870$", out, re.M)


@pytest.mark.parametrize(
    "argv,match",
    [
        (["--set", "gamma=2"], "--set: got 'gamma', expected a parameter name: beta, sigma"),
        (["--set", "phi_pi"], "expected NAME=VALUE"),
        (["--set", "phi_pi=abc"], "--set phi_pi"),
        (["--irf", "eps_q"], "expected a declared shock: eps_v"),
        (["--set", "phi_pi=0.5", "--irf", "eps_v"], "indeterminate"),
        (["--periods", "0", "--irf", "eps_v"], "--periods: got 0, expected an integer between 1 and 10000"),
        (["--periods", "1000000", "--irf"], "--periods: got 1000000, expected an integer between 1 and 10000"),
        (["--periods", "5"], "--periods together with --irf"),
        (["--plot", "x.png"], "--plot"),
        (["--tol", "-1"], "--tol"),
        (["--simulate", "0"], "--simulate"),
        (["--simulate", "2000000"], "between 1 and 1000000"),
        (["--conditional", "0,2"], "--conditional"),
        (["--hp-filter", "-5"], "--hp-filter"),
    ],
)
def test_errors_exit_2_with_one_line(models_dir, capsys, argv, match):
    code, out, err = run([models_dir / "nk3.yaml", *argv, "--json"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and match in err


def test_non_stationary_models_report_what_is_missing(tmp_path, capsys):
    path = tmp_path / "rw.yaml"
    path.write_text("variables: [x, y]\nshocks: [e]\nparameters: {}\nequations: ['x = x(-1) + e', 'y = 0*x']\n")
    code, out, err = run([path, "--irf", "--periods", "3"], capsys)
    assert code == 0 and err == ""
    assert "non-stationary variables (unit root; moments n/a): x" in out
    assert "boundary case" in out and "no moments" not in out
    code, out, err = run([path, "--hp-filter", "--json"], capsys)
    data = json.loads(out)
    assert data["moments"]["std"]["y"] == 0 and data["moments"]["correlation"]["x"]["y"] is None and err == ""


def test_plot_writes_png(models_dir, tmp_path, capsys):
    target = tmp_path / "irf.png"
    code, out, _ = run([models_dir / "nk3.yaml", "--irf", "eps_v", "--plot", target, "--json"], capsys)
    assert code == 0 and target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads(out)["files"] == [str(target)]


def test_subcommand_registration(models_dir, capsys):
    parser = argparse.ArgumentParser(prog="geo-sym")
    sub = parser.add_subparsers(dest="command")
    add_dsge_parser(sub)
    args = parser.parse_args(["dsge", str(models_dir / "nk3.yaml"), "--json"])
    assert args.func is run_dsge
    assert run_dsge(args) == 0
    assert json.loads(capsys.readouterr().out)["bk"]["status"] == "determinate"
    help_text = sub.choices["dsge"].format_help()
    for option in (
        "--set",
        "--irf",
        "--periods",
        "--unit",
        "--loglinear",
        "--percent",
        "--hp-filter",
        "--csv",
        "--simulate",
    ):
        assert option in help_text


def _subprocess(args, cache_dir):
    env = dict(
        os.environ, GEO_SYM_CACHE=str(cache_dir), PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")
    )
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_subprocess_and_fast_path_avoids_sympy_and_scipy(tmp_path):
    model = ROOT / "examples" / "models" / "rbc.mod"
    probe = (
        "import sys, io, contextlib\n"
        "from geo_sym.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as buf:\n"
        f"    code = main(['dsge', {str(model)!r}, '--irf', 'eps_a', '--periods', '51', '--json'])\n"
        "heavy = [m for m in ('sympy', 'quantecon', 'yaml', 'scipy', 'pandas', 'matplotlib') if m in sys.modules]\n"
        "print(code, heavy)\n"
        "print(buf.getvalue())\n"
    )
    first = _subprocess(["-c", probe], tmp_path)
    assert first.returncode == 0, first.stderr
    head, body = first.stdout.split("\n", 1)
    assert head.startswith("0 ") and "sympy" not in head  # cold: no SymPy (SciPy only if NumPy's LAPACK is unusable)
    data = json.loads(body)
    assert len(data["irf"]["k"]) == 51
    second = _subprocess(["-c", probe], tmp_path)
    assert second.returncode == 0, second.stderr
    head, body = second.stdout.split("\n", 1)
    assert head == "0 []"  # warm: neither the model reader nor SciPy
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
        from dsge.model.codegen import function_from_code

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
    assert first.cached is False and first.method == "newton"
    second = dsge.load_model(models_dir / "rbc.yaml").steady_state()
    assert second.cached is True
    assert (second.values == first.values).all()
