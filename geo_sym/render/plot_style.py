r"""The shared look of every geo-sym figure: style, palette, files, and the one symbol table.

Every figure of geo-sym — eigenvalue and convergence plots, stability and determinacy maps, DSGE
impulse responses, the orchestration responses of §7 and sweep maps — is built with
:func:`new_figure` inside :func:`styled`, labels its axes through the symbol table below and is
written with :func:`save_figure`.

* **Style** (:data:`STYLE`): sizes chosen for a single journal column (3.5 in wide, 7–8.5 pt text),
  TrueType fonts in PDF, deterministic SVG ids and no creation date in PDF/SVG metadata, so a
  figure file depends only on its content.
* **Palette**: Okabe and Ito's colour-blind-safe colours (:data:`PALETTE`) for lines and categories;
  ``cividis`` and ``RdBu_r`` (both readable with the common colour-vision deficiencies) for maps.
  Categories also differ by marker or hatch where a figure relies on them.
* **Files** (:func:`save_figure`): raster formats at :data:`DEFAULT_DPI` (300) unless told
  otherwise, vector formats (PDF, SVG, EPS) when the extension asks, tight bounding boxes.
* **Notebooks**: figures are :class:`matplotlib.figure.Figure` objects made without ``pyplot``;
  they carry ``_repr_png_`` so Jupyter shows them even when no matplotlib backend is active.
* **Symbols** (:func:`tex_name`, :func:`symbol`, :func:`parameter_label`, :func:`series_label`):
  ``phi_pi`` → :math:`\phi_\pi`, ``alpha`` → :math:`\alpha`, ``tau`` → :math:`\tau`, ``eps_a`` →
  :math:`\varepsilon_a`, ``y[w1,1]`` → ``w1`` (upright) and the quantity :math:`y_{\mathrm{w1},1}`
  with its metric; plain text never shows a raw underscore (:func:`plain`).
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import numpy as np

from geo_sym.errors import ValidationError

__all__ = [
    "PALETTE",
    "CATEGORY_COLORS",
    "STYLE",
    "DEFAULT_DPI",
    "NOTEBOOK_DPI",
    "SINGLE_COLUMN",
    "DOUBLE_COLUMN",
    "RASTER_FORMATS",
    "VECTOR_FORMATS",
    "styled",
    "new_figure",
    "figure_for",
    "legend_below",
    "save_figure",
    "tex_name",
    "symbol",
    "plain",
    "math_or_plain",
    "sci_tex",
    "parameter_label",
    "parameter_symbol",
    "series_label",
    "plain_math",
    "typeset_names",
    "ECONOMY_PARAMETERS",
]

# ----------------------------------------------------------------------------- palette and style
#: Okabe & Ito (2008): blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow, black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Colours of statuses that recur across figures (Okabe–Ito).
CATEGORY_COLORS = {
    "determinate": "#009E73",
    "stable": "#009E73",
    "indeterminate": "#E69F00",
    "no-stable-solution": "#D55E00",
    "no stable solution": "#D55E00",
    "unstable": "#D55E00",
    "boundary": "#CC79A7",
    "no steady state": "#BBBBBB",
}
#: Single and double journal column widths (inches).
SINGLE_COLUMN = 3.5
DOUBLE_COLUMN = 7.0
#: Resolution of raster files when none is given.
DEFAULT_DPI = 300
#: Resolution of the PNG a notebook shows.
NOTEBOOK_DPI = 150
RASTER_FORMATS = ("png", "jpg", "jpeg", "tif", "tiff", "webp")
VECTOR_FORMATS = ("pdf", "svg", "eps", "ps")

STYLE = {
    "font.size": 8.0,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8.0,
    "xtick.labelsize": 7.0,
    "ytick.labelsize": 7.0,
    "legend.fontsize": 7.0,
    "legend.title_fontsize": 7.0,
    "legend.framealpha": 0.92,
    "legend.edgecolor": "0.8",
    "figure.titlesize": 9.0,
    "figure.labelsize": 8.0,
    "lines.linewidth": 1.3,
    "lines.markersize": 4.5,
    "axes.linewidth": 0.7,
    "xtick.major.width": 0.7,
    "ytick.major.width": 0.7,
    "grid.linewidth": 0.5,
    "grid.color": "0.88",
    "image.cmap": "cividis",
    "mathtext.fontset": "dejavusans",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.hashsalt": "geo-sym",
    "svg.fonttype": "path",
}


def _rc():
    from cycler import cycler

    return {**STYLE, "axes.prop_cycle": cycler(color=list(PALETTE))}


def styled(fn):
    """Decorator: build the figure under :data:`STYLE` (an ``rc_context``; global settings are untouched)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(_rc()):
            return fn(*args, **kwargs)

    return wrapper


# ----------------------------------------------------------------------------- figures and files
@functools.cache
def _figure_class():
    from matplotlib.figure import Figure

    class GeoSymFigure(Figure):
        """A matplotlib figure that Jupyter can show without a pyplot backend (``_repr_png_``)."""

        def _repr_png_(self):
            buf = io.BytesIO()
            self.savefig(buf, format="png", dpi=NOTEBOOK_DPI, bbox_inches="tight")
            return buf.getvalue()

    return GeoSymFigure


def new_figure(figsize=(SINGLE_COLUMN, 2.8), nrows: int = 1, ncols: int = 1, **subplot_kw):
    """A figure and its axes, made without ``pyplot`` (headless Agg canvas, constrained layout).

    Call it inside a :func:`styled` function so the style applies.

    Returns
    -------
    (Figure, Axes or numpy.ndarray of Axes)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=figsize, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, **subplot_kw)
    return fig, axes


def figure_for(ax, figsize):
    """``(figure, axes)``: a new single-axes figure of ``figsize``, or ``ax``'s own figure."""
    if ax is None:
        return new_figure(figsize)
    return ax.figure, ax


def legend_below(ax, handles=None, ncols: int = 1, *, own: bool = True, **kw):
    """The legend of a figure's main axes, placed outside the data so it never hides a point.

    ``own``: the figure was made for this axes, so the legend goes under it as a figure legend
    (constrained layout makes room); otherwise (an axes of the caller's figure) inside, at the best place.
    """
    handles = handles if handles is not None else ax.get_legend_handles_labels()[0]
    if not handles:
        return None
    if own:
        return ax.figure.legend(handles=handles, loc="outside lower center", ncols=ncols, **kw)
    return ax.legend(handles=handles, loc="best", **kw)


def _format_of(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    if ext not in RASTER_FORMATS + VECTOR_FORMATS:
        raise ValidationError(
            "path", str(path), "a file name ending in ." + ", .".join(RASTER_FORMATS + VECTOR_FORMATS)
        )
    return ext


def save_figure(fig, path, dpi: int | None = None) -> Path:
    """Write ``fig`` to ``path``: the format from the extension, tight bounding box.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or pathlib.Path
        ``.png``, ``.jpg``, ``.tif``, ``.webp`` (raster) or ``.pdf``, ``.svg``, ``.eps``, ``.ps``
        (vector). Missing parent directories are created.
    dpi : int, optional
        Resolution of raster output (and of any rasterized part of a vector file); default
        :data:`DEFAULT_DPI`.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValidationError
        For an unknown extension, or a ``dpi`` that is not an integer between 10 and 2400.
    """
    p = Path(path)
    fmt = _format_of(p)
    dpi = DEFAULT_DPI if dpi is None else dpi
    if isinstance(dpi, bool) or not isinstance(dpi, (int, np.integer)) or not 10 <= dpi <= 2400:
        raise ValidationError("dpi", dpi, "an integer between 10 and 2400")
    metadata = {"pdf": {"CreationDate": None}, "svg": {"Date": None}}.get(fmt)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"], "pdf.fonttype": 42, "ps.fonttype": 42}):
        fig.savefig(p, dpi=int(dpi), bbox_inches="tight", pad_inches=0.03, metadata=metadata)
    return p


# ----------------------------------------------------------------------------- text
_GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho "
    "varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi "
    "Psi Omega".split()
)
_ALIASES = {"eps": r"\varepsilon", "epsilon": r"\varepsilon", "lam": r"\lambda", "lambda": r"\lambda"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def plain(text: str) -> str:
    """``text`` for a plain (non-math) matplotlib label: underscores and dollars typeset literally."""
    return str(text).replace("$", r"\$").replace("_", r"$\_$")


def _upright(word: str) -> str:
    return r"\mathrm{%s}" % word.replace("_", r"\_")


def _atom(word: str, *, subscript: bool) -> str:
    if word in _ALIASES:
        return _ALIASES[word]
    if word in _GREEK:
        return "\\" + word
    if len(word) == 1 or re.fullmatch(r"[0-9]+", word):
        return word
    if not subscript and re.fullmatch(r"[A-Za-z][0-9]+", word):
        return word
    return _upright(word)


def tex_name(name: str) -> str:
    r"""Mathtext (without dollars) for an identifier, in Dynare's manner.

    ``pi`` → ``\pi``, ``phi_pi`` → ``\phi_{\pi}``, ``phi_lat`` → ``\phi_{\mathrm{lat}}``,
    ``eps_a`` → ``\varepsilon_{a}``, ``rho_v`` → ``\rho_{v}``, ``gdp`` → ``\mathrm{gdp}``; a name
    that is not an identifier is set upright as it is.
    """
    name = str(name)
    if not _IDENT.match(name) or name.startswith("_"):
        return _upright(name)
    head, _, tail = name.partition("_")
    base = _atom(head, subscript=False)
    subs = [_atom(t, subscript=True) for t in tail.split("_") if t]
    return base + ("_{%s}" % ",".join(subs) if subs else "")


def symbol(name: str, latex_names: dict | None = None) -> str:
    """``$…$`` for a name: the model file's ``latex_names`` when given and typesettable, else :func:`tex_name`."""
    given = (latex_names or {}).get(name)
    if given:
        return math_or_plain(given, f"${tex_name(name)}$")
    return f"${tex_name(name)}$"


def math_or_plain(tex: str | None, fallback: str) -> str:
    """``$tex$`` when matplotlib's mathtext can typeset it, else ``fallback`` (never fails at draw time)."""
    if not tex:
        return fallback
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(f"${tex}$")
    except (ValueError, RuntimeError):
        return fallback
    return f"${tex}$"


def sci_tex(x: float, digits: int = 3) -> str:
    r"""A number as mathtext without ``e`` notation: ``1e-06`` → ``10^{-6}``, ``2.5e-07`` → ``2.5\times10^{-7}``."""
    x = float(x)
    if x == 0 or not np.isfinite(x):
        return {np.inf: r"\infty", -np.inf: r"-\infty"}.get(x, "0")
    e = int(np.floor(np.log10(abs(x))))
    if -3 <= e <= 4:  # rounded to ``digits`` significant digits, written out positionally
        return np.format_float_positional(float(f"{x:.{digits}g}"), trim="-")
    m = x / 10.0**e
    mant = f"{m:.{digits}g}"
    if mant in ("1", "-1"):
        return ("-" if m < 0 else "") + f"10^{{{e}}}"
    return rf"{mant}\times10^{{{e}}}"


def typeset_names(text: str, names) -> str:
    """``text`` with each whole-word occurrence of ``names`` (e.g. shock names) replaced by its symbol."""
    out = str(text)
    for nm in sorted(set(names), key=len, reverse=True):
        out = re.sub(rf"(?<![\w$\\]){re.escape(nm)}(?![\w$])", lambda _m, nm=nm: f"${tex_name(nm)}$", out)
    return out


# ----------------------------------------------------------------------------- parameters
#: Economy parameters (the file's ``parameters`` and price mechanism, the Taylor rule of eq. (18)–(19)).
ECONOMY_PARAMETERS = {
    "alpha": ("production step", r"\alpha"),
    "beta": ("price step", r"\beta"),
    "tau": ("routing temperature", r"\tau"),
    "gamma": (r"price gain ($G = \gamma I$)", r"\gamma"),
    "phi_lat": ("latency response", r"\phi_{\mathrm{lat}}"),
    "phi_qual": ("quality response", r"\phi_{\mathrm{qual}}"),
}
_PREFIXES = ("parameters.", "taylor.", "price_mechanism.")


def _strip(path: str) -> str:
    for pre in _PREFIXES:
        if path.startswith(pre):
            return path[len(pre) :]
    return path


def parameter_symbol(name: str, latex_names: dict | None = None) -> str:
    """``$…$`` of a parameter or a sweep path (``parameters.alpha`` → ``$\\alpha$``)."""
    short = _strip(str(name))
    if short in ECONOMY_PARAMETERS and not latex_names:
        return f"${ECONOMY_PARAMETERS[short][1]}$"
    if _IDENT.match(short):
        return symbol(short, latex_names)
    return plain(name)


def parameter_label(name: str, *, economy: bool = False, latex_names: dict | None = None) -> str:
    """An axis label for a parameter: ``routing temperature $\\tau$`` (economy), ``$\\phi_{\\pi}$`` (model).

    Parameters are dimensionless, so no unit is given. Sweep paths (``taylor.phi_lat``) are accepted;
    an unknown path is written out with its underscores typeset.
    """
    short = _strip(str(name))
    if economy and short in ECONOMY_PARAMETERS:
        words, tex = ECONOMY_PARAMETERS[short]
        return f"{words} ${tex}$"
    return parameter_symbol(name, latex_names)


# ----------------------------------------------------------------------------- series of the orchestration economy
_FIXED_SERIES = {
    "latency": r"latency $L$",
    "quality": r"quality $Q$",
    "lambda_lat": r"$\lambda_1$ (latency weight)",
    "lambda_qual": r"$\lambda_2$ (quality weight)",
}


def _agent(name: str) -> str:
    return r"\text{%s}" % name.replace("_", r"\_").replace("$", r"\$")


def series_label(name: str, metric_names=None, stats_per_metric: int = 1) -> str:
    r"""A label for a series or state coordinate of the orchestration economy (§7).

    ``w[w1]`` → ``w1 share $w_{\text{w1}}$``, ``y[w1,1]`` → ``w1 latency $y_{\text{w1},1}$`` (with metric
    names; else ``w1 production $y_{\text{w1},1}$``), ``price[w1]`` → ``w1 price level``, ``p[w1,2]`` → ``w1
    $p_{\text{w1},2}$``, ``pi[3]`` → ``path 3 $\pi_3$``; ``latency``, ``quality``, ``lambda_lat``,
    ``lambda_qual`` are the aggregates and SLO weights. Agent names are set upright.
    """
    if name in _FIXED_SERIES:
        return _FIXED_SERIES[name]
    kind, bracket, rest = str(name).partition("[")
    if not bracket or not rest.endswith("]"):
        return plain(name)
    rest = rest[:-1]
    if kind == "w":
        return rf"{plain(rest)} share $w_{{{_agent(rest)}}}$"
    if kind == "price":
        return rf"{plain(rest)} price level $\sum_k p_{{{_agent(rest)},k}}$"
    if kind == "pi":
        return rf"path {plain(rest)} $\pi_{{{plain_math(rest)}}}$"
    agent, _, k = rest.rpartition(",")
    if kind not in ("y", "p") or not k.isdigit():
        return plain(name)
    metric = " production" if kind == "y" else ""
    if kind == "y" and metric_names:
        index = (int(k) - 1) // max(int(stats_per_metric or 1), 1)
        if 0 <= index < len(metric_names):
            metric = f" {plain(metric_names[index])}"
    return rf"{plain(agent)}{metric} ${kind}_{{{_agent(agent)},{k}}}$"


def plain_math(text: str) -> str:
    """``text`` escaped for use inside mathtext."""
    return str(text).replace("_", r"\_")
