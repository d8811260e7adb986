"""What the document and figure subcommands share (``derive``, ``plot``, ``corrigendum``, ``check --latex``).

The subcommands themselves are in :mod:`geo_sym.cli.derive`, :mod:`geo_sym.cli.plot` and
:mod:`geo_sym.cli.reports`, each with its parser builder and handler; here: compiling a PDF, telling an
economy file from a DSGE model file, loading a model with ``--set`` overrides, the provenance of a
document and the path of a figure as ``\\includegraphics`` sees it.
"""

from __future__ import annotations

import os
from pathlib import Path

from geo_sym.errors import ModelFileError

__all__ = [
    "compile_pdf",
    "file_kind",
    "model_from_args",
    "dated_names",
    "document_provenance",
    "claim_count",
    "relative_figure",
]


def compile_pdf(tex_path, **options) -> Path:
    """Compile ``tex_path`` with pdflatex (see :func:`geo_sym.render.pdf.compile_pdf`; imported when called,
    so registering the subcommands stays cheap)."""
    from geo_sym.render.pdf import compile_pdf as _compile

    return _compile(tex_path, **options)


def file_kind(path) -> str:
    """``"model"`` for a DSGE model file (it has ``equations``), ``"economy"`` otherwise.

    Raises
    ------
    ModelFileError
        When the file cannot be read or is not a YAML mapping.
    """
    from geo_sym.economy.files import load_yaml

    p = Path(path)
    if p.suffix.lower() == ".mod":  # a Dynare .mod file is a DSGE model
        return "model"
    data = load_yaml(p, "economy or model file")
    if not isinstance(data, dict):
        raise ModelFileError(str(p), type(data).__name__, "a YAML mapping (an economy or a DSGE model file)")
    return "model" if "equations" in data else "economy"


def _overrides(pairs) -> dict:
    from dsge.model.model_file import parse_overrides

    return parse_overrides(pairs)


def model_from_args(args):
    """The DSGE model of ``args.file`` with the ``--set NAME=VALUE`` overrides of ``args.set``."""
    from dsge import load_model

    return load_model(args.file, overrides=_overrides(args.set))


def dated_names(solution) -> dict:
    """Variable -> LaTeX at date t (``\\pi_{t}``), from the model's latex_names or Dynare-like defaults."""
    from dsge.document import variable_latex

    return {v: variable_latex(v, 0, solution.latex_names) for v in solution.variables}


def document_provenance(*, seed=None, source=None, command: str) -> dict:
    """The provenance of a document: version, seed, date and the SHA-256 of its input file.

    ``source`` is an economy or model file; ``None`` means the built-in reference economies (their
    definitions are hashed instead).
    """
    from geo_sym.render.provenance import data_digest, file_digest, provenance

    if source is None:
        from proofs.claims.reference import REFERENCE

        inputs = {"the built-in reference economies": data_digest(REFERENCE)}
    else:
        inputs = {Path(source).name: file_digest(source)}
    return provenance(seed=seed, inputs=inputs, command=command)


def claim_count() -> int:
    """How many claims ``run_checks`` checks (the length of the progress bar while they are checked)."""
    from proofs.claims.registry import claim_ids

    return len(claim_ids())


def relative_figure(fig_path, tex_path: Path) -> str | None:
    """The figure's path as ``\\includegraphics`` sees it from the .tex directory (None if not includable)."""
    p = Path(fig_path)
    if p.suffix.lower() not in (".png", ".pdf", ".jpg", ".jpeg"):
        return None
    rel = os.path.relpath(p.resolve(), tex_path.resolve().parent)
    return rel.replace(os.sep, "/")
