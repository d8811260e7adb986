r"""Where a document came from, said once: the provenance paragraph at its end.

Everything else in a generated document depends only on its inputs (the economy or model file, the
seed, the options), so two runs give byte-identical ``.tex`` files apart from this paragraph, whose
date is today's — or the date of ``SOURCE_DATE_EPOCH`` when that is set (the reproducible-builds
convention; pdfTeX honours it too, so the PDF is then identical as well).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from pathlib import Path

from geo_sym.render.latex_text import tex_text, tt_text

__all__ = ["document_date", "file_digest", "data_digest", "provenance", "provenance_latex"]


def document_date() -> str:
    """Today's date (ISO), or the UTC date of ``SOURCE_DATE_EPOCH`` when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date().isoformat()
    return datetime.date.today().isoformat()


def file_digest(path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data_digest(data) -> str:
    """SHA-256 of a JSON-serialisable object in canonical form (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def provenance(
    *, seed=None, inputs: dict | None = None, command: str | None = None, version: str | None = None
) -> dict:
    """The facts of a run that a reader needs to reproduce a document.

    Parameters
    ----------
    seed : int, optional
    inputs : dict, optional
        What the document was computed from: a label (file name) → its SHA-256.
    command : str, optional
        The command line that wrote the document.
    version : str, optional
        geo-sym's version (default: the running one).

    Returns
    -------
    dict
        ``version``, ``seed``, ``date``, ``inputs``, ``command`` (those given).
    """
    if version is None:
        import geo_sym

        version = geo_sym.__version__
    out = {"version": version}
    if seed is not None:
        out["seed"] = int(seed)
    out["date"] = document_date()
    if inputs:
        out["inputs"] = dict(inputs)
    if command:
        out["command"] = command
    return out


def provenance_latex(prov: dict) -> str:
    r"""The provenance section: the one place where a run-dependent fact (the date) may appear.

    A ``\section*{Provenance}`` with a description list, closed by a sentence saying that nothing
    above depends on the run.
    """
    items = [r"\item[geo-sym] version %s" % tex_text(prov.get("version", "?"))]
    if "seed" in prov:
        items.append(r"\item[seed] %d" % prov["seed"])
    for label, digest in (prov.get("inputs") or {}).items():
        chunks = r"\allowbreak{}".join(digest[i : i + 16] for i in range(0, len(digest), 16))
        items.append(r"\item[input] %s, SHA-256 \texttt{%s}" % (tex_text(label), chunks))
    if prov.get("command"):
        items.append(r"\item[command] %s" % tt_text(prov["command"]))
    items.append(r"\item[date] %s" % tex_text(prov.get("date", document_date())))
    return (
        "\\section*{Provenance}\n"
        "This section records how the document was made. Everything above it is computed from the inputs "
        "named here and is the same on every run; only the date below changes (it is the date of "
        "\\texttt{SOURCE\\_DATE\\_EPOCH} when that is set).\n"
        "\\par\\medskip\\noindent\\begin{minipage}{\\linewidth}\\raggedright\n\\begin{description}\n"
        + "\n".join(items)
        + "\n\\end{description}\n\\end{minipage}"
    )
