"""What a newcomer reads: help that explains and points at files that exist, progress bars only where they
belong, tables that fit the terminal with labelled rows and columns, one status vocabulary, no Python
spellings (True/False/None) and no floating-point noise in human output."""

from __future__ import annotations

import fcntl
import json
import math
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from geo_sym.cli.main import build_parser, main
from geo_sym.cli.tables import NOISE_RTOL, matrix_table, noise_threshold, number, text_table

ROOT = Path(__file__).resolve().parents[1]
EX = ROOT / "examples"
E2 = str(EX / "economies" / "two_by_two.yaml")
S2 = str(EX / "economies" / "two_by_two_state.json")
ET = str(EX / "economies" / "orchestration_taylor.yaml")
E63 = str(EX / "economies" / "example_6_3.yaml")
FP63 = str(EX / "economies" / "example_6_3_fixed_point.json")
E3 = str(EX / "economies" / "three_equilibria.yaml")
M3 = str(EX / "models" / "nk3.yaml")
RBC = str(EX / "models" / "rbc.mod")


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GEO_SYM_PROGRESS", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setenv("GEO_SYM_CACHE", str(tmp_path / "cache"))


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# ------------------------------------------------------------------------------------------ help
COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)
PATH = re.compile(r"(?<![\w./-])((?:docs|examples|tests|benchmarks)/[\w./-]*\w|[\w-]+\.md)\b")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_explains_with_an_example_and_names_only_files_that_exist(command, capsys):
    code, out, err = run([command, "--help"], capsys)
    assert code == 0 and err == ""
    assert "usage: geo-sym " + command in out
    assert re.search(r"^Examples?:$", out, re.M), "no example"
    assert re.search(rf"^  geo-sym {command} ", out, re.M), "the example does not run this command"
    assert "DESIGN.md" not in out
    for path in PATH.findall(out):
        target = ROOT / path if "/" in path else ROOT / "docs" / path
        assert target.exists() or (ROOT / path).exists(), f"{command} --help names {path}, which does not exist"


def test_top_level_help_lists_every_command_and_a_version(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and all(c in out for c in COMMANDS)
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and re.fullmatch(r"geo-sym \d+\.\d+\.\d+\n", out)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_prose_fits_the_terminal(command, capsys, monkeypatch):
    """Descriptions wrap to the terminal; only indented lines (commands to copy) may be longer."""
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run([command, "--help"], capsys)
    long = [ln for ln in out.splitlines() if len(ln) > 80 and not ln.startswith(" ")]
    assert not long, long


def test_claim_ids_in_help_are_the_registry_s():
    from geo_sym.cli.claims import CLAIM_IDS
    from proofs.claims.registry import claim_ids

    assert tuple(CLAIM_IDS) == tuple(claim_ids())


# ------------------------------------------------------------------------------------------ progress
def test_bar_is_forced_by_the_environment_and_silenced_by_json_and_quiet(capsys, monkeypatch):
    grid = ["--phi-lat", "0:2:2", "--phi-qual", "0:2:3"]
    monkeypatch.setenv("GEO_SYM_PROGRESS", "1")
    code, out, err = run(["stability-map", ET, *grid], capsys)
    assert code == 0 and "stability map" in err and "row" in err and "stability map" not in out
    for flag in ("--json", "--quiet"):
        code, out, err = run(["stability-map", ET, *grid, flag], capsys)
        assert code == 0 and err == "", flag


def test_no_bar_when_stderr_is_not_a_terminal(capsys):
    code, _, err = run(["stability-map", ET, "--phi-lat", "0:2:2", "--phi-qual", "0:2:3"], capsys)
    assert code == 0 and err == ""


@pytest.mark.parametrize(
    "argv, label",
    [
        (["check", "--claim", "lem-4.2", "--claim", "thm-5.2"], "checking claims"),
        (["fixed-points", E3, "--all"], "branch and prune"),
        (["certify", E63, "--at", FP63, "--contraction", "--max-boxes", "200"], "contraction certificate"),
        (["irf", ET, "--shock", "load"], "impulse responses"),
        (["dsge", M3, "--simulate", "20000", "--nomoments"], "simulation"),
    ],
    ids=["check", "fixed-points", "certify", "irf", "dsge"],
)
def test_long_work_reports_progress(argv, label, capsys, monkeypatch):
    monkeypatch.setenv("GEO_SYM_PROGRESS", "1")
    code, _, err = run(argv, capsys)
    assert code in (0, 1) and label in err
    monkeypatch.setenv("GEO_SYM_PROGRESS", "0")
    _, _, err = run(argv, capsys)
    assert err == ""


def test_verify_reports_progress(tmp_path, capsys, monkeypatch):
    f = tmp_path / "v.json"
    code, out, _ = run(["check", "--claim", "thm-3.1", "--json"], capsys)
    f.write_text(out)
    monkeypatch.setenv("GEO_SYM_PROGRESS", "1")
    code, out, err = run(["verify", str(f)], capsys)
    assert code == 0 and "verifying witnesses" in err


def _run_on_a_terminal(argv, env) -> tuple[int, str, str]:
    """Run geo-sym with stderr on a pseudo-terminal (stdout a pipe); returns (code, stdout, terminal text)."""
    master, slave = pty.openpty()
    # a new pseudo-terminal is 0 x 0 characters: give it a size, as a terminal window has
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "geo_sym", *argv], stdout=subprocess.PIPE, stderr=slave, env=env, cwd=ROOT
    )
    os.close(slave)
    chunks = []
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed: the process ended
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    code = proc.wait(timeout=60)
    os.close(master)
    return code, out, b"".join(chunks).decode(errors="replace")


def test_bar_on_a_real_terminal_and_not_with_json():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("GEO_SYM_PROGRESS", None)
    argv = ["stability-map", ET, "--phi-lat", "0:2:2", "--phi-qual", "0:2:4"]
    code, out, tty = _run_on_a_terminal(argv, env)
    assert code == 0 and "stability map" in tty and "row" in tty
    assert "stability map" not in out.split("\n", 1)[1]  # the table went to stdout, the bar to the terminal
    code, out, tty = _run_on_a_terminal([*argv, "--json"], env)
    assert code == 0 and "stability map" not in tty and json.loads(out)["economy"] == "orchestration-taylor"


# ------------------------------------------------------------------------------------------ tables
@pytest.mark.parametrize("width", [24, 40, 57, 80, 100, 160])
def test_text_table_never_exceeds_the_width(width):
    rows = [
        ["thm-4.4", "refuted", "on 'one-agent-interior': " + "wherever markets clear " * 12],
        ["  /a-very-long-part-identifier-of-a-claim", "inconclusive", "short"],
        ["x", "proved", "a_word_without_any_space_that_is_much_longer_than_any_terminal_" * 3],
        ["y", "supported", "two paragraphs\nthe second one " * 5],
    ]
    lines = text_table(["claim", "status", "reason"], rows, width=width, rule=True)
    assert all(len(ln) <= width for ln in lines), max(lines, key=len)
    text = " ".join(lines)
    for word in ("thm-4.4", "refuted", "proved", "supported", "inconclusive"):
        assert word in text  # nothing lost: long cells are wrapped or moved under their row


@pytest.mark.parametrize("width", [20, 50, 100])
def test_matrix_table_labels_rows_and_columns_and_fits(width):
    labels = [f"y[agent{i},1]" for i in range(9)]
    cells = [[(i + 1) * 10.0 ** (j - 4) * (-1) ** j for j in range(9)] for i in range(9)]
    lines = matrix_table("a Jacobian", labels, labels, cells, width=width, corner="out\\in")
    assert all(len(ln) <= width for ln in lines)
    body = "\n".join(lines)
    for lab in labels:
        assert lab[: max(width // 3 - 2, 6)] in body  # every row and column has its label


def test_noise_is_shown_as_zero_and_said():
    cells = [[1.0, -1.1102230246251565e-16], [0.5, 2.5e-3]]
    lines = matrix_table(None, ["a", "b"], ["u", "v"], cells, width=80)
    text = "\n".join(lines)
    assert "e-16" not in text and "-0 " not in text and "0.0025" in text
    assert "shown as 0" in text and f"{NOISE_RTOL:g} times the largest entry" in text
    # nothing rounded: no note
    assert "shown as 0" not in "\n".join(matrix_table(None, ["a"], ["u", "v"], [[1.0, 1e-9]], width=80))


def test_noise_threshold_is_relative_to_the_table():
    assert noise_threshold([3.0, -4.0, 1e-20]) == pytest.approx(4.0 * NOISE_RTOL)
    assert noise_threshold([1e-20, 2e-20]) == pytest.approx(2e-20 * NOISE_RTOL)  # a table of small numbers keeps them
    assert number(1e-20, threshold=noise_threshold([1e-20, 2e-20])) == "1e-20"
    assert noise_threshold([]) == 0.0 and noise_threshold([math.inf, 2.0]) == pytest.approx(2 * NOISE_RTOL)


@pytest.mark.parametrize(
    "x, text",
    [
        (True, "yes"),
        (False, "no"),
        (None, "n/a"),
        (math.nan, "n/a"),
        (-0.0, "0"),
        (math.inf, "inf"),
        (-2.5e-7, "-2.5e-07"),
    ],
)
def test_numbers_are_words_not_python(x, text):
    assert number(x) == text


# ------------------------------------------------------------------------------------------ commands
PYTHON_WORDS = re.compile(r"\b(True|False|None)\b|\{'|\['")
SHOUTED = re.compile(
    r"\b(PROVED|REFUTED|CERTIFIED|SUPPORTED|INCONCLUSIVE|CONFIRMED|DETERMINATE|INDETERMINATE|BOUNDARY)\b"
)


HUMAN = [
    ["check", "--claim", "thm-3.1", "--claim", "thm-6.1", "--claim", "ex-6.3"],
    ["dsge", RBC, "--irf"],
    ["dsge", M3, "--irf", "eps_v", "--periods", "30", "--conditional", "1,4"],
    ["irf", ET, "--shock", "spike_w1", "--policy", "taylor"],
    ["stability-map", ET, "--phi-lat", "0:20:21", "--phi-qual", "0:20:21"],
    ["certify", E63, "--at", FP63],
    ["fixed-points", E3],
]


@pytest.mark.parametrize("width", [40, 72, 100])
@pytest.mark.parametrize("argv", HUMAN, ids=[a[0] + "-" + Path(a[1]).stem if len(a) > 1 else a[0] for a in HUMAN])
def test_human_output_fits_and_speaks_one_language(argv, width, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run(argv, capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines and all(len(ln) <= width for ln in lines), max(lines, key=len)
    assert not PYTHON_WORDS.search(out), PYTHON_WORDS.search(out)
    assert not SHOUTED.search(out), SHOUTED.search(out)


def test_width_is_100_when_unknown(capsys, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(0, 0): os.terminal_size(fallback))
    code, out, _ = run(["check", "--claim", "thm-3.1"], capsys)
    lines = out.splitlines()
    assert code == 0 and max(len(ln) for ln in lines) == 100  # the rule under the headers spans the width


def test_check_table_has_headers_lowercase_statuses_and_parts(capsys):
    code, out, _ = run(["check", "--claim", "thm-4.4", "--claim", "lem-4.2"], capsys)
    lines = out.splitlines()
    head = next(ln for ln in lines if ln.startswith("claim"))
    assert head.split() == ["claim", "status", "reason"]
    assert any(ln.startswith("thm-4.4 ") and " refuted " in ln for ln in lines)
    assert any(ln.startswith("  /existence") for ln in lines)  # parts indented under their claim
    assert lines[-1].startswith("2 claim(s): ")


def test_verify_lines_name_the_claim_and_the_witness_kind(tmp_path, capsys):
    f = tmp_path / "v.json"
    _, out, _ = run(["check", "--claim", "thm-3.1", "--claim", "thm-4.4", "--json"], capsys)
    f.write_text(out)
    expected = {  # a claim with parts is refuted by its parts' witnesses
        (p["id"], p["witness"]["kind"])
        for v in json.loads(out)
        for p in (v.get("parts") or [v])
        if p["status"] == "refuted" and p.get("witness")
    }
    code, out, _ = run(["verify", str(f)], capsys)
    assert code == 0
    rows = [ln.split() for ln in out.splitlines() if ln.startswith("confirmed ") and "corrected:" not in ln]
    assert {(r[1], r[2]) for r in rows} == expected, out
    # each refuted claim's corrected statement gets its own line(s) after the witness
    assert any("corrected: walras_gap" in ln for ln in out.splitlines()), out
    assert next(ln for ln in out.splitlines() if ln.startswith("result")).split()[:3] == ["result", "claim", "kind"]


def test_rbc_unstable_count_agrees_between_text_json_and_the_eigenvalue_table(capsys):
    """Blanchard–Kahn on RBC: 2 forward-looking variables (c, and k's co-state through the Euler equation)
    and a determinate model, so exactly 2 roots outside the unit circle, the infinite one included."""
    code, text, _ = run(["dsge", RBC], capsys)
    code2, js, _ = run(["dsge", RBC, "--json"], capsys)
    bk = json.loads(js)["bk"]
    assert code == code2 == 0 and bk["status"] == "determinate" and bk["n_unstable"] == bk["n_forward"] == 2
    assert f"determinate: {bk['n_unstable']} eigenvalue(s) larger than 1 + " in text
    rows = [ln.split() for ln in text.splitlines() if ln.startswith("root ")]
    moduli = [math.inf if r[2] == "inf" else float(r[2]) for r in rows]
    assert sum(m > 1 + bk["tolerance"] for m in moduli) == bk["n_unstable"]


def test_irf_on_a_dag_with_more_than_2000_paths(tmp_path, capsys):
    """The reduced state serves DAGs past the enumeration threshold (8^4 = 4096 paths)."""
    agents = [f"a{i}_{j}" for i in range(4) for j in range(8)]
    edges = [[f"a{i}_{j}", f"a{i + 1}_{k}"] for i in range(3) for j in range(8) for k in range(8)]
    text = (
        "name: paths-4096\nagents:\n"
        + "".join(f"  - {{name: {a}, demand: [1], box: [[0, 2]]}}\n" for a in agents)
        + f"edges: {edges}\n".replace("'", "")
        + "map: sequential\nparameters: {alpha: '1/2', tau: 1}\nprice_mechanism: {kind: linear, gamma: '1/2'}\n"
        + "shocks: [{name: load, kind: load}]\n"
    )
    f = tmp_path / "big.yaml"
    f.write_text(text)
    code, out, err = run(["irf", f], capsys)
    assert code == 0, err
    assert "isolated: yes" in out and "determinate" in out
    code, out, err = run(["irf", f, "--json"], capsys)
    assert code == 0 and json.loads(out)["responses"][0]["bk"]["status"] == "determinate"


def test_file_kind_tells_every_example_apart():
    from geo_sym.economy.files import file_kind

    for path in (EX / "economies").glob("*.yaml"):
        assert file_kind(path) == "economy", path
    for path in (EX / "economies").glob("*.json"):
        assert file_kind(path) == "state", path
    for path in (EX / "models").iterdir():
        assert file_kind(path) == "model", path
    for path in (EX / "sweeps").glob("*.yaml"):
        assert file_kind(path) == "sweep", path
