"""The shared style of the figures: the symbol table, files at 300 dpi or vector, notebook display.

The expected symbols are written out by hand (Dynare's conventions: Greek names to Greek letters, the part
after an underscore as a subscript, words upright); file resolutions are read back from the written files.
"""

from __future__ import annotations

import numpy as np
import pytest
from figure_facts import outside_math

from geo_sym.errors import ValidationError
from geo_sym.maps.unit_circle import classify_roots
from geo_sym.render.plot_style import (
    DEFAULT_DPI,
    new_figure,
    parameter_label,
    plain,
    save_figure,
    sci_tex,
    series_label,
    styled,
    tex_name,
    typeset_names,
)


@pytest.mark.parametrize(
    "name, tex",
    [
        ("alpha", r"\alpha"),
        ("tau", r"\tau"),
        ("phi_pi", r"\phi_{\pi}"),
        ("phi_y", r"\phi_{y}"),
        ("phi_lat", r"\phi_{\mathrm{lat}}"),
        ("rho_v", r"\rho_{v}"),
        ("eps_a", r"\varepsilon_{a}"),
        ("lam", r"\lambda"),
        ("pi", r"\pi"),
        ("x", "x"),
        ("k2", "k2"),
        ("gdp", r"\mathrm{gdp}"),
        ("eps_a_b", r"\varepsilon_{a,b}"),
        ("_hidden", r"\mathrm{\_hidden}"),
        ("y[w1,1]", r"\mathrm{y[w1,1]}"),
    ],
)
def test_tex_names(name, tex):
    assert tex_name(name) == tex


def test_every_tex_name_typesets():
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    for name in ("alpha", "phi_pi", "phi_lat", "eps_a", "gdp", "_hidden", "y[w1,1]", "a-b c"):
        parser.parse(f"${tex_name(name)}$")


@pytest.mark.parametrize(
    "path, economy, label",
    [
        ("alpha", True, r"production step $\alpha$"),
        ("parameters.tau", True, r"routing temperature $\tau$"),
        ("taylor.phi_lat", True, r"latency response $\phi_{\mathrm{lat}}$"),
        ("price_mechanism.gamma", True, r"price gain ($G = \gamma I$) $\gamma$"),
        ("phi_pi", False, r"$\phi_{\pi}$"),
        ("parameters.beta", False, r"$\beta$"),
        ("agents.0.box", False, "agents.0.box"),
        ("slo.weights.latency_x", False, r"slo.weights.latency$\_$x"),
    ],
)
def test_parameter_labels(path, economy, label):
    assert parameter_label(path, economy=economy) == label


def test_parameter_label_uses_the_models_latex_names():
    assert parameter_label("phi_pi", latex_names={"phi_pi": r"\phi^{\pi}"}) == r"$\phi^{\pi}$"
    # a name matplotlib cannot typeset falls back to the symbol table
    assert parameter_label("phi_pi", latex_names={"phi_pi": r"\nosuchmacro"}) == r"$\phi_{\pi}$"


@pytest.mark.parametrize(
    "name, metrics, label",
    [
        ("w[w1]", None, r"w1 share $w_{\text{w1}}$"),
        ("y[w1,1]", ("latency", "quality"), r"w1 latency $y_{\text{w1},1}$"),
        ("y[w1,2]", ("latency", "quality"), r"w1 quality $y_{\text{w1},2}$"),
        ("y[a_1,3]", None, r"a$\_$1 production $y_{\text{a\_1},3}$"),
        ("price[r2]", None, r"r2 price level $\sum_k p_{\text{r2},k}$"),
        ("latency", None, r"latency $L$"),
        ("lambda_qual", None, r"$\lambda_2$ (quality weight)"),
        ("pi[3]", None, r"path 3 $\pi_{3}$"),
    ],
)
def test_series_labels(name, metrics, label):
    assert series_label(name, metrics) == label
    assert "_" not in outside_math(label)


def test_series_label_counts_statistics_per_metric():
    # K = 4 coordinates = 2 metrics x 2 statistics: coordinates 3 and 4 belong to the second metric
    assert series_label("y[a,3]", ("latency", "quality"), 2).startswith("a quality")
    assert series_label("y[a,2]", ("latency", "quality"), 2).startswith("a latency")


def test_plain_text_never_shows_a_raw_underscore_or_dollar():
    assert plain("nk_medium") == r"nk$\_$medium"
    assert plain("cost $5") == r"cost \$5"
    assert "_" not in outside_math(plain("a_b_c"))


def test_typeset_names_replaces_whole_names_only():
    assert typeset_names("a unit eps_a shock", ["eps_a"]) == r"a unit $\varepsilon_{a}$ shock"
    assert typeset_names("eps_ab and eps_a", ["eps_a"]) == r"eps_ab and $\varepsilon_{a}$"


@pytest.mark.parametrize(
    "x, tex",
    [
        (1e-6, "10^{-6}"),
        (2.5e-7, r"2.5\times10^{-7}"),
        (0.5, "0.5"),
        (1234.0, "1230"),
        (0.0, "0"),
        (3e5, r"3\times10^{5}"),
    ],
)
def test_numbers_never_in_e_notation(x, tex):
    assert sci_tex(x) == tex


# ----------------------------------------------------------------------------- the counting rule
def test_root_classes_count_infinite_roots_as_unstable_and_the_band_as_stable():
    cls = classify_roots([0.5, 1.0 + 5e-7, 1.0 - 5e-7, 1.5j, complex(np.inf, 0), -3.0], 1e-6)
    assert (cls.n_stable, cls.n_boundary, cls.n_unstable, cls.n_infinite) == (1, 2, 3, 1)
    assert list(cls.unstable) == [False, False, False, True, True, True]
    with pytest.raises(ValueError, match="NaN"):
        classify_roots([np.nan], 1e-6)
    with pytest.raises(ValueError, match="tol"):
        classify_roots([0.5], -1.0)


# ----------------------------------------------------------------------------- files
@styled
def _simple_figure():
    fig, ax = new_figure()
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    return fig


def _png_dpi(path):
    from PIL import Image

    with Image.open(path) as im:
        return tuple(round(v) for v in im.info["dpi"]), im.size


def test_raster_files_are_written_at_300_dpi_by_default_with_a_tight_box(tmp_path):
    fig = _simple_figure()
    p = save_figure(fig, tmp_path / "a.png")
    dpi, (w, h) = _png_dpi(p)
    assert DEFAULT_DPI == 300 and dpi == (300, 300)
    # tight bounding box: never wider than the 3.5 in figure at 300 dpi (plus the 0.03 in pad)
    assert w <= 3.56 * 300 and h <= 2.86 * 300
    dpi, _ = _png_dpi(save_figure(fig, tmp_path / "b.png", dpi=120))
    assert dpi == (120, 120)


def test_vector_files_by_extension_and_reproducible_pdf(tmp_path):
    fig = _simple_figure()
    a, b = save_figure(fig, tmp_path / "a.pdf"), save_figure(fig, tmp_path / "b.pdf")
    assert a.read_bytes()[:5] == b"%PDF-"
    assert a.read_bytes() == b.read_bytes()  # no creation date: the file depends only on the figure
    assert b"/Subtype /Image" not in a.read_bytes()  # vector, no embedded raster
    svg = save_figure(fig, tmp_path / "a.svg").read_text()
    assert "<svg" in svg and "<image" not in svg
    assert save_figure(fig, tmp_path / "c.svg").read_text() == svg


@pytest.mark.parametrize("name, dpi, field", [("x.xyz", None, "path"), ("x.png", 0, "dpi"), ("x.png", 1.5, "dpi")])
def test_bad_file_names_and_resolutions_name_the_field(tmp_path, name, dpi, field):
    with pytest.raises(ValidationError, match=field):
        save_figure(_simple_figure(), tmp_path / name, dpi)


def test_missing_directories_are_created(tmp_path):
    assert save_figure(_simple_figure(), tmp_path / "a" / "b" / "c.png").exists()


def test_a_notebook_shows_the_figure_without_a_pyplot_backend():
    png = _simple_figure()._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_style_does_not_leak_into_global_settings():
    import matplotlib

    before = dict(matplotlib.rcParams)
    _simple_figure()
    assert dict(matplotlib.rcParams) == before
