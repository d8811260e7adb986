"""Reading the project's text files with one clear error for every way it can fail."""

from __future__ import annotations

from pathlib import Path

from geo_sym.errors import ModelFileError

__all__ = ["read_text"]


def read_text(path, what: str) -> str:
    """The text of ``path``; a missing or unreadable file raises :class:`ModelFileError` naming it.

    ``what`` completes the message: ``"a readable {what}"``, e.g. ``"economy file"``.
    """
    try:
        return Path(path).read_text()
    except OSError as exc:
        raise ModelFileError(str(path), str(exc.strerror or exc), f"a readable {what}") from None
    except UnicodeDecodeError:
        raise ModelFileError(str(path), "bytes that are not UTF-8 text", f"a readable {what}") from None
