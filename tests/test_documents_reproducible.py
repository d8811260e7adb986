"""Generated documents are reproducible and fit the page.

* Two runs with the same input write the same ``.tex`` apart from the closing provenance section —
  in separate processes with different ``PYTHONHASHSEED`` values, so that no set or dict order and no
  timing can leak into the body — and, with ``SOURCE_DATE_EPOCH`` set, the same ``.tex`` and the same
  PDF bytes.
* Every kind of document (check report, corrigendum, ``derive`` on each example economy and DSGE model)
  compiles without errors and without an overfull ``\\hbox`` wider than 10pt (text in the margin).
* ``derive -o X.tex --plot X.pdf`` refuses, instead of overwriting its own output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo_sym.render.pdf import overfull_boxes

ROOT = Path(__file__).resolve().parents[1]
ECON = ROOT / "examples" / "economies"
MODELS = ROOT / "examples" / "models"

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex is not installed (apt-get install texlive-latex-base texlive-latex-recommended)",
)

_REPORT = (
    "import sys; from proofs.claims.registry import run_checks; from geo_sym.cli.reports import write_check_report; "
    "write_check_report(run_checks(seed=0), sys.argv[1], seed=0, pdf=True)"
)


def _env(hashseed: str, epoch: str | None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED=hashseed, MPLBACKEND="Agg")
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return env


def _generate(where: Path, hashseed: str, epoch: str | None) -> dict[str, Path]:
    """The check report, a derivation (with its figure) and the corrigendum, written in ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    env = _env(hashseed, epoch)
    run = dict(cwd=where, env=env, check=True, capture_output=True, timeout=600)
    subprocess.run([sys.executable, "-c", _REPORT, "report.tex"], **run)
    derive = [sys.executable, "-m", "geo_sym", "derive", str(ECON / "two_by_two.yaml"), "-o", "two.tex"]
    subprocess.run([*derive, "--plot", "two-eigenvalues.pdf", "--pdf"], **run)
    subprocess.run([sys.executable, "-m", "geo_sym", "corrigendum", "-o", "corrigendum.tex", "--pdf"], **run)
    return {name: where / name for name in ("report", "two", "corrigendum")}


def _body(tex: str) -> str:
    return tex.split(r"\section*{Provenance}")[0]


@pytest.mark.slow
@needs_pdflatex
def test_documents_are_reproducible(tmp_path):
    # two processes with different hash seeds (set and dict orders differ), the same SOURCE_DATE_EPOCH
    first = _generate(tmp_path / "a", "1", "1700000000")
    second = _generate(tmp_path / "b", "2", "1700000000")
    for name in first:
        a = first[name].with_suffix(".tex").read_text()
        assert a == second[name].with_suffix(".tex").read_text(), name
        assert first[name].with_suffix(".pdf").read_bytes() == second[name].with_suffix(".pdf").read_bytes(), name
        assert a.count(r"\section*{Provenance}") == 1
        assert "2023-11-14" in a.split(r"\section*{Provenance}")[1]  # the date of the epoch (UTC), once
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", _body(a)), name  # no date in the body
        assert not re.search(r"\d+\.\d+ ?s\b|seconds", _body(a)), name  # no run time in the body
    assert (tmp_path / "a" / "two-eigenvalues.pdf").read_bytes() == (
        tmp_path / "b" / "two-eigenvalues.pdf"
    ).read_bytes()


def test_only_the_provenance_section_depends_on_the_date(monkeypatch):
    from geo_sym.render.provenance import provenance
    from proofs.report import report_latex
    from proofs.verdict import Verdict

    v = [Verdict(id="thm-5.2", statement="s", status="proved", reason="r", method="exact")]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    a = report_latex(v, provenance=provenance(seed=0, version="0"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    b = report_latex(v, provenance=provenance(seed=0, version="0"))
    assert a != b and _body(a) == _body(b)
    assert "2023-11-14" in a and "2027-01-15" in b


# ----------------------------------------------------------------------------- every document fits the page
def _cli(where: Path, *argv) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "geo_sym", *map(str, argv)],
        cwd=where,
        env=_env("0", "1700000000"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


_DOCUMENTS = (
    [("corrigendum", None)]
    + [("corrigendum", e) for e in sorted(ECON.glob("*.yaml"))]
    + [("derive", e) for e in sorted(ECON.glob("*.yaml"))]
    + [("derive", m) for m in sorted(MODELS.glob("*.yaml")) + sorted(MODELS.glob("*.mod"))]
)


@pytest.mark.slow
@needs_pdflatex
@pytest.mark.parametrize("kind, source", _DOCUMENTS, ids=[f"{k}-{s.name if s else 'built-in'}" for k, s in _DOCUMENTS])
def test_every_document_compiles_within_the_margins(tmp_path, kind, source):
    out = tmp_path / "doc.tex"
    if kind == "corrigendum":
        _cli(tmp_path, "corrigendum", *([source] if source else []), "-o", out, "--pdf")
    else:
        _cli(tmp_path, "derive", source, "-o", out, "--plot", tmp_path / "doc-figure.pdf", "--pdf")
    log = out.with_suffix(".log").read_text(errors="replace")
    assert out.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"
    assert overfull_boxes(log, threshold_pt=10.0) == []
    assert "LaTeX Warning: Reference" not in log  # every \ref resolves (figures referenced from the text)


@pytest.mark.slow
@needs_pdflatex
@pytest.mark.parametrize("economy", [None, *sorted(ECON.glob("*.yaml"))], ids=lambda e: e.name if e else "built-in")
def test_check_reports_compile_within_the_margins(tmp_path, economy):
    from geo_sym.cli.reports import write_check_report
    from geo_sym.economy.spec import load_economy
    from proofs.claims.registry import run_checks

    verdicts = run_checks(economy=load_economy(economy) if economy else None, seed=0)
    tex, pdf = write_check_report(verdicts, tmp_path / "report.tex", seed=0, economy_path=economy, pdf=True)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert overfull_boxes(tex.with_suffix(".log"), threshold_pt=10.0) == []


# ----------------------------------------------------------------------------- derive's own files
@pytest.mark.parametrize("plot", ["x.pdf", "x.tex", "x.log", "x.svg"])
def test_derive_refuses_a_figure_that_would_overwrite_its_output(tmp_path, plot, capsys):
    from geo_sym.cli.main import main

    code = main(
        ["derive", str(ECON / "two_by_two.yaml"), "-o", str(tmp_path / "x.tex"), "--plot", str(tmp_path / plot)]
    )
    assert code != 0
    err = capsys.readouterr().err
    assert "--plot" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.tex").exists()  # refused before any work


@pytest.mark.slow
def test_derive_png_figures_are_print_resolution(tmp_path):
    from PIL import Image

    _cli(tmp_path, "derive", MODELS / "nk3.yaml", "-o", tmp_path / "nk3.tex", "--plot", tmp_path / "irf.png")
    dpi = Image.open(tmp_path / "irf.png").info["dpi"]
    assert round(dpi[0]) == 300
    tex = (tmp_path / "nk3.tex").read_text()
    assert r"\begin{figure}" in tex and r"\caption{" in tex and r"Figure~\ref{fig:irf}" in tex
