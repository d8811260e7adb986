"""Progress bars of the command line: a tqdm bar on stderr, only when stderr is a terminal.

Library functions that may run for more than a couple of seconds take a ``progress`` callback and
call it as they go (they never print). This module turns such a callback into a bar:

* :func:`progress_bar` — a context manager yielding ``progress(done, total)`` (or ``None`` when no
  bar is drawn): silent with ``--json`` or ``--quiet``, and when stderr is not a terminal (a pipe, a
  file, a CI log) unless ``GEO_SYM_PROGRESS=1`` forces it (``GEO_SYM_PROGRESS=0`` turns every bar off);
* :func:`progress_callback` — a ``progress(label)`` callback stepping a bar of known length once per
  call (one claim of ``geo-sym check``), the label shown next to it.

The bar is removed when the work ends, so a finished command leaves only its result on the terminal.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

__all__ = ["bars_enabled", "progress_bar", "phase_bars", "progress_callback", "stderr_is_terminal"]


def stderr_is_terminal() -> bool:
    """True when stderr is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def bars_enabled(args=None) -> bool:
    """Whether a command run with ``args`` draws progress bars.

    No with ``--json`` or ``--quiet``; otherwise ``GEO_SYM_PROGRESS=1`` forces them and
    ``GEO_SYM_PROGRESS=0`` turns them off; otherwise only when stderr is a terminal.
    """
    if args is not None and (getattr(args, "json", False) or getattr(args, "quiet", False)):
        return False
    forced = os.environ.get("GEO_SYM_PROGRESS", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    return stderr_is_terminal()


def _tqdm(**kwargs):
    from tqdm import tqdm

    return tqdm(file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=0.2, **kwargs)


@contextmanager
def progress_bar(args, desc: str, unit: str = "it", total: int | None = None):
    """A bar for one long computation; yields ``progress(done, total)``, or ``None`` when there is no bar.

    Parameters
    ----------
    args : argparse.Namespace or None
        The command's arguments (``json`` and ``quiet`` silence the bar).
    desc : str
        What is being done, shown before the bar (``"stability map"``).
    unit : str
        What is counted (``"row"``, ``"box"``, ``"claim"``).
    total : int, optional
        Known length; the callback's ``total`` replaces it.
    """
    if not bars_enabled(args):
        yield None
        return
    bar = _tqdm(total=total, desc=desc, unit=unit)

    def progress(done, total=None, *_):
        if total is not None and total != bar.total:
            bar.total = total
        bar.update(done - bar.n)  # tqdm redraws at most every mininterval seconds

    try:
        yield progress
    finally:
        bar.close()


@contextmanager
def phase_bars(args, units: dict | None = None):
    """One bar per phase of a long computation; yields ``progress(done, total, phase)``, or ``None``.

    ``units`` maps a phase to what it counts (``{"points": "point"}``); other phases count ``"it"``.
    """
    if not bars_enabled(args):
        yield None
        return
    bars: dict = {}

    def progress(done, total, phase="work"):
        bar = bars.get(phase)
        if bar is None:
            bar = bars[phase] = _tqdm(total=total, desc=str(phase), unit=(units or {}).get(phase, "it"))
        if total != bar.total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.close()


def progress_callback(total: int, what: str, args=None, unit: str = "claim"):
    """A ``progress(label)`` callback stepping a bar of ``total`` steps, or ``None`` when no bar is drawn.

    Each call advances the bar by one and shows ``label`` (e.g. the claim being checked) next to it.
    The bar closes itself after ``total`` steps.
    """
    if not bars_enabled(args):
        return None
    bar = _tqdm(total=total, desc=what, unit=unit)

    def progress(label):
        bar.set_postfix_str(str(label), refresh=False)
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return progress
