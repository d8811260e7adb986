"""LaTeX and figures of regions: notebook display through the registry, compilable documents, typeset plots."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import sympy as sp

from geo_sym.render.regions import plot_regions, regions_document, regions_latex
from geo_sym.rigorous.regions import stability_region

a, b, rho = sp.symbols("a b rho", real=True)


@pytest.fixture(scope="module")
def triangle():
    return stability_region(sp.Matrix([[a, b], [1, 0]]), [a, b], bounds={"a": (-3, 3), "b": (-2, 2)}, check_points=30)


def test_latex_and_notebook_display(triangle):
    tex = regions_latex(triangle)
    assert tex.startswith(r"\begin{aligned}") and r"\text{stable}" in tex and r"\text{boundary}" in tex
    assert r"\land" in tex and r"\lor" in tex
    shown = triangle._repr_latex_()  # through geo_sym.display's registry
    assert shown.startswith("$$") and tex in shown


def test_plot_two_parameters(triangle, tmp_path):
    fig = plot_regions(triangle, grid=15, fine=80)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "$a$" and ax.get_ylabel() == "$b$"
    assert ax.collections  # the exact boundary curves are drawn as contours
    assert ax.get_xlim() == (-3.0, 3.0)
    pdf = tmp_path / "t.pdf"
    triangle.plot(pdf, grid=10, fine=60)
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_plot_one_parameter(tmp_path):
    r = stability_region(sp.Matrix([[rho]]), [rho], bounds={"rho": (-2, 2)}, check_points=20)
    fig = r.plot(tmp_path / "ar1.svg", grid=41)
    ax = fig.axes[0]
    assert ax.get_xlabel() == r"$\rho$"
    xs = sorted(round(line.get_xdata()[0], 3) for line in ax.lines)
    assert xs == [-1.0, 1.0]  # the boundary points ρ = ±1
    assert (tmp_path / "ar1.svg").read_text().lstrip().startswith("<?xml")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_document_compiles(triangle, tmp_path):
    tex = tmp_path / "regions.tex"
    tex.write_text(regions_document(triangle, title="Stability of x_{t+1} = a x_t + b x_{t-1}"))
    proc = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert (tmp_path / "regions.pdf").exists()
