"""Compiling LaTeX documents with ``pdflatex``, and what the log says about them.

:func:`compile_pdf` runs ``pdflatex`` (twice, so references and long tables settle) in the document's
directory and raises :class:`LaTeXError` quoting the first error; :func:`overfull_boxes` lists the
overfull ``\\hbox`` warnings of a log (a referee's first complaint: text in the margin). With
``SOURCE_DATE_EPOCH`` set, pdfTeX writes the same PDF bytes on every run (its creation date and
``/ID`` come from it), so a document generated twice from the same input is byte-identical.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from geo_sym.errors import GeoSymError, ValidationError

__all__ = [
    "LaTeXError",
    "PdflatexNotFoundError",
    "INSTALL_HINT",
    "pdflatex_available",
    "compile_pdf",
    "write_document",
    "overfull_boxes",
]

INSTALL_HINT = (
    "install a TeX distribution: on Debian/Ubuntu 'apt-get install texlive-latex-base "
    "texlive-latex-recommended'; elsewhere TeX Live (https://tug.org/texlive/) or MiKTeX"
)


class LaTeXError(GeoSymError, RuntimeError):
    """``pdflatex`` is missing or could not compile a document.

    Attributes
    ----------
    tex_path : pathlib.Path or None
    first_error : str or None
        The first error line of the LaTeX log (``! …``) with its ``l.N`` context.
    log_path : pathlib.Path or None
    """

    def __init__(self, message: str, *, tex_path=None, first_error=None, log_path=None):
        super().__init__(message)
        self.tex_path = tex_path
        self.first_error = first_error
        self.log_path = log_path


class PdflatexNotFoundError(LaTeXError):
    """``pdflatex`` is not on ``PATH``; the message says how to install it."""


def pdflatex_available() -> bool:
    """True when ``pdflatex`` is on ``PATH``."""
    return shutil.which("pdflatex") is not None


def _first_latex_error(text: str) -> str | None:
    """The first ``! …`` error of a LaTeX log, with the ``l.N …`` line that locates it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!"):
            where = next((ln.strip() for ln in lines[i + 1 : i + 12] if re.match(r"l\.\d+", ln)), "")
            return line.strip() + (f" ({where})" if where else "")
    return None


def compile_pdf(tex_path, *, runs: int = 2, timeout: float = 300.0) -> Path:
    """Compile a ``.tex`` file with ``pdflatex`` in its own directory.

    Runs ``pdflatex -interaction=nonstopmode -halt-on-error`` ``runs`` times (twice by
    default, so references and long tables settle) and returns the PDF's path.

    Parameters
    ----------
    tex_path : str or pathlib.Path
    runs : int, default 2
    timeout : float
        Seconds allowed per run.

    Returns
    -------
    pathlib.Path
        The ``.pdf`` next to the ``.tex``.

    Raises
    ------
    PdflatexNotFoundError
        When ``pdflatex`` is not installed (the message says how to install it).
    LaTeXError
        When compilation fails; the message quotes the first LaTeX error and names the log.
    ValidationError
        When ``tex_path`` does not exist.
    """
    tex = Path(tex_path)
    if not tex.is_file():
        raise ValidationError("tex_path", str(tex), "an existing .tex file")
    exe = shutil.which("pdflatex")
    if exe is None:
        raise PdflatexNotFoundError(
            f"pdflatex was not found on PATH, so {tex.name} was written but not compiled; " + INSTALL_HINT, tex_path=tex
        )
    tex = tex.resolve()
    log = tex.with_suffix(".log")
    env = dict(os.environ)
    env.setdefault("max_print_line", "10000")  # unwrapped log lines, so errors are quoted whole
    for _ in range(max(1, int(runs))):
        try:
            proc = subprocess.run(
                [exe, "-interaction=nonstopmode", "-halt-on-error", tex.name],
                cwd=tex.parent,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                env=env,
            )
        except subprocess.TimeoutExpired:
            raise LaTeXError(
                f"pdflatex did not finish compiling {tex.name} within {timeout:g} s", tex_path=tex, log_path=log
            ) from None
        if proc.returncode != 0:
            text = log.read_text(errors="replace") if log.is_file() else proc.stdout.decode(errors="replace")
            first = _first_latex_error(text) or _first_latex_error(proc.stdout.decode(errors="replace"))
            raise LaTeXError(
                f"pdflatex failed on {tex.name}: {first or 'no error line found'} (full log: {log})",
                tex_path=tex,
                first_error=first,
                log_path=log,
            )
    pdf = tex.with_suffix(".pdf")
    if not pdf.is_file():
        raise LaTeXError(f"pdflatex ran on {tex.name} but wrote no PDF (log: {log})", tex_path=tex, log_path=log)
    return pdf


def write_document(text: str, path, *, pdf: bool = False) -> tuple[Path, Path | None]:
    """Write a LaTeX document to ``path`` (directories created) and compile it when ``pdf``.

    Returns
    -------
    (pathlib.Path, pathlib.Path or None)
        The ``.tex`` path and the ``.pdf`` path (None unless ``pdf``).

    Raises
    ------
    PdflatexNotFoundError, LaTeXError
        From :func:`compile_pdf` (the ``.tex`` is written first either way).
    """
    p = Path(path)
    if p.suffix.lower() != ".tex":
        raise ValidationError("-o", str(p), "a file name ending in .tex")
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p, (compile_pdf(p) if pdf else None)


_OVERFULL = re.compile(r"Overfull \\[hv]box \(([0-9.]+)pt too (?:wide|high)\) (.*)")


def overfull_boxes(log, threshold_pt: float = 0.0) -> list[tuple[float, str]]:
    """``[(points, where)]`` of the overfull boxes in a LaTeX log wider than ``threshold_pt``.

    Parameters
    ----------
    log : str or pathlib.Path
        The log's text, or the path of the ``.log`` file.
    """
    text = Path(log).read_text(errors="replace") if isinstance(log, Path) else str(log)
    out = []
    for m in _OVERFULL.finditer(text):
        pt = float(m.group(1))
        if pt > threshold_pt:
            out.append((pt, m.group(2).strip()))
    return out
