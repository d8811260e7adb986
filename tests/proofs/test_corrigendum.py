"""geo-sym corrigendum: a compilable document with every claim, its counterexample and what is true instead."""

from __future__ import annotations

import shutil

import pytest

from geo_sym.cli.main import main


@pytest.mark.slow
def test_corrigendum_lists_every_claim_with_its_correction(tmp_path, capsys):
    out = tmp_path / "corrigendum.tex"
    assert main(["corrigendum", "-o", str(out)]) == 0
    tex = out.read_text()
    for title in ("Theorem 3.1", "Proposition 6.2", "Example 6.3", "Theorem 8.1"):
        assert title in tex
    assert tex.count("What is true instead") >= 5  # every refuted claim carries its corrected statement
    assert "geo-sym verify" in tex
    assert "seconds" not in tex  # no run-dependent timing outside the provenance paragraph
    if shutil.which("pdflatex"):
        from geo_sym.render.pdf import compile_pdf

        assert compile_pdf(out).exists()


def test_corrigendum_needs_a_tex_output(tmp_path, capsys):
    assert main(["corrigendum", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "ending in .tex" in capsys.readouterr().err
