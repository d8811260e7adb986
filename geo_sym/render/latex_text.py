r"""Text and numbers as LaTeX, for pdflatex documents and for MathJax (notebooks).

Two targets, two sets of rules:

* **pdflatex** (documents): text mode, LaTeX's special characters escaped (``\_``, ``\%``), Unicode
  mapped to LaTeX so the default Computer Modern fonts can set it (:func:`tex_text`); names in
  typewriter type with line breaks allowed after ``-``, ``/``, ``_`` and ``.`` (:func:`tt_text`).
* **MathJax** (``_repr_latex_``): everything sits inside one display math block, so text goes into
  ``\text{…}``. MathJax (versions 2 and 3, as Jupyter loads them) does not process macros inside
  ``\text{}`` — ``\text{γ\_A}`` shows the backslash — so :func:`mathjax_text` puts the characters that
  need escaping *between* ``\text{}`` pieces, in math mode, where ``\_``, ``\%``, ``\&`` and ``\#`` work.

Numbers: :func:`float_latex` writes ``1.5 \times 10^{-7}`` (never ``1.5e-07``, which typesets as
"1.5e − 07"), ``10^{-6}`` for a power of ten, and ``\infty``/``\mathrm{NaN}`` for the IEEE specials.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "tex_text",
    "tt_text",
    "float_latex",
    "decimal_latex",
    "mathjax_text",
    "mathjax_tt",
    "MATHJAX_SPECIALS",
]

# ----------------------------------------------------------------------------- pdflatex text
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_GREEK = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "ϵ": r"\epsilon",
    "ζ": r"\zeta",
    "η": r"\eta",
    "θ": r"\theta",
    "ι": r"\iota",
    "κ": r"\kappa",
    "λ": r"\lambda",
    "μ": r"\mu",
    "ν": r"\nu",
    "ξ": r"\xi",
    "π": r"\pi",
    "ρ": r"\rho",
    "σ": r"\sigma",
    "τ": r"\tau",
    "υ": r"\upsilon",
    "φ": r"\varphi",
    "ϕ": r"\phi",
    "χ": r"\chi",
    "ψ": r"\psi",
    "ω": r"\omega",
    "Γ": r"\Gamma",
    "Δ": r"\Delta",
    "Θ": r"\Theta",
    "Λ": r"\Lambda",
    "Ξ": r"\Xi",
    "Π": r"\Pi",
    "Σ": r"\Sigma",
    "Υ": r"\Upsilon",
    "Φ": r"\Phi",
    "Ψ": r"\Psi",
    "Ω": r"\Omega",
}
#: Unicode mathematical symbols -> LaTeX math (used by tex_text for stray symbols and by the prose converter).
MATH_SYMBOLS = {
    **_GREEK,
    "≠": r"\neq",
    "≤": r"\le",
    "≥": r"\ge",
    "≈": r"\approx",
    "∈": r"\in",
    "∉": r"\notin",
    "⊂": r"\subset",
    "⊆": r"\subseteq",
    "→": r"\to",
    "←": r"\leftarrow",
    "↦": r"\mapsto",
    "⇒": r"\Rightarrow",
    "⇔": r"\Leftrightarrow",
    "⇀": r"\rightharpoonup",
    "∧": r"\wedge",
    "∨": r"\vee",
    "∂": r"\partial",
    "∞": r"\infty",
    "∑": r"\sum",
    "∏": r"\prod",
    "∃": r"\exists",
    "∀": r"\forall",
    "·": r"\cdot",
    "×": r"\times",
    "−": "-",
    "±": r"\pm",
    "∼": r"\sim",
    "≡": r"\equiv",
    "∇": r"\nabla",
    "∅": r"\emptyset",
    "∩": r"\cap",
    "∪": r"\cup",
    "⊗": r"\otimes",
    "⊕": r"\oplus",
    "√": r"\surd",
    "⟨": r"\langle",
    "⟩": r"\rangle",
    "‖": r"\|",
    "ℝ": r"\mathbb{R}",
    "ℕ": r"\mathbb{N}",
    "ℚ": r"\mathbb{Q}",
    "ℤ": r"\mathbb{Z}",
    "ℋ": r"\mathcal{H}",
    "𝒫": r"\mathcal{P}",
    "…": r"\dots",
    "°": r"^\circ",
    "⌈": r"\lceil",
    "⌉": r"\rceil",
    "⌊": r"\lfloor",
    "⌋": r"\rfloor",
    "↑": r"\uparrow",
    "↓": r"\downarrow",
}
SUPERSCRIPTS = {"²": "2", "³": "3", "¹": "1", "⁰": "0", "ⁿ": "n", "ᵀ": "T", "⁺": "+", "⁻": "-", "⁴": "4"}
SUBSCRIPTS = {"₀": "0", "₁": "1", "₂": "2", "₃": "3", "ₙ": "n", "ₖ": "k", "ₐ": "a", "ₜ": "t"}
_TEXT_UNICODE = {
    "—": "---",
    "–": "--",
    "…": r"\dots{}",
    "∗": "*",
    "’": "'",
    "‘": "`",
    "“": "``",
    "”": "''",
    "\u00a0": "~",
    "é": r"\'e",
    "è": r"\`e",
    "ê": r"\^e",
    "ë": r"\"e",
    "á": r"\'a",
    "à": r"\`a",
    "â": r"\^a",
    "ô": r"\^o",
    "ó": r"\'o",
    "ü": r"\"u",
    "ö": r"\"o",
    "ä": r"\"a",
    "ç": r"\c{c}",
    "ï": r"\"i",
    "î": r"\^i",
    "í": r"\'i",
    "ñ": r"\~n",
    "É": r"\'E",
    "Ö": r"\"O",
    "Ü": r"\"U",
    "Ä": r"\"A",
    "ß": r"\ss{}",
}


def tex_text(text) -> str:
    """Plain text (names, reasons) as LaTeX text mode for pdflatex.

    LaTeX's special characters are escaped; Greek letters and mathematical symbols become inline
    math (``$\\alpha$``), typographic punctuation and accented Latin letters their LaTeX spelling;
    any other non-ASCII character is written ``[U+XXXX]`` so the document always compiles. Prose that
    *contains mathematics* should go through :func:`geo_sym.render.mathtext.prose_latex` instead, which
    sets whole formulas in math mode.

    Examples
    --------
    >>> tex_text("web_search & co: 99%")
    'web\\\\_search \\\\& co: 99\\\\%'
    >>> tex_text("tâtonnement")
    't\\\\^atonnement'
    """
    out = []
    for ch in str(text):
        if ch in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[ch])
        elif ord(ch) < 128:
            out.append(ch if ch.isprintable() or ch in "\n\t" else " ")
        elif ch in _TEXT_UNICODE:
            out.append(_TEXT_UNICODE[ch])
        elif ch in MATH_SYMBOLS:
            out.append("$%s$" % MATH_SYMBOLS[ch])
        elif ch in SUPERSCRIPTS:
            out.append("$^{%s}$" % SUPERSCRIPTS[ch])
        elif ch in SUBSCRIPTS:
            out.append("$_{%s}$" % SUBSCRIPTS[ch])
        else:
            out.append("[U+%04X]" % ord(ch))
    return "".join(out)


def tt_text(name) -> str:
    r"""A name (economy, file, claim id) in typewriter type: ``\texttt{…}``, escaped, breakable after ``-/_.``.

    Typewriter fonts are not hyphenated, so a long name would run into the margin; a zero-width break
    (``\allowbreak``) after each ``-``, ``/``, ``_`` and ``.`` lets LaTeX wrap it there.
    """
    body = re.sub(r"(-|/|\\_|\.(?=[A-Za-z]))(?=.)", r"\1\\allowbreak{}", tex_text(name))
    return r"\texttt{%s}" % body


# ----------------------------------------------------------------------------- numbers
def float_latex(x, digits: int = 6) -> str:
    r"""A real number as LaTeX math with ``digits`` significant digits.

    ``0.000123`` → ``1.23 \times 10^{-4}``, ``1e-06`` → ``10^{-6}``, ``-0.0`` → ``0``; infinities and
    NaN as ``\infty`` and ``\mathrm{NaN}``. Plain notation is kept from ``10^{-4}`` to ``10^{digits}``.

    Examples
    --------
    >>> float_latex(1e-06)
    '10^{-6}'
    >>> float_latex(-2.5e-07)
    '-2.5 \\\\times 10^{-7}'
    >>> float_latex(0.5)
    '0.5'
    """
    x = float(x)
    if math.isnan(x):
        return r"\mathrm{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    if x == 0:
        return "0"
    s = f"{x:.{int(digits)}g}"
    if "e" not in s:
        return s
    mant, exp = s.split("e")
    e = int(exp)
    if mant.lstrip("-") == "1":
        return r"%s10^{%d}" % ("-" if mant.startswith("-") else "", e)
    return r"%s \times 10^{%d}" % (mant, e)


_DECIMAL = re.compile(r"[-+−]?(\d+\.?\d*|\.\d+)([eE][-+−]?\d+)?\Z")


def decimal_latex(text: str) -> str | None:
    r"""A decimal number written as text (``"1e-06"``, ``"-0.5"``, ``"2.50E+3"``) as LaTeX math.

    The digits are kept as written (a decimal from a file or a reason is shown as given); only the
    exponent is typeset (``1e-06`` → ``10^{-6}``, ``2.5e3`` → ``2.5 \times 10^{3}``). None when the
    text is not a decimal number.
    """
    t = str(text).strip().replace("−", "-")
    if not _DECIMAL.match(t):
        return None
    mant, _, exp = t.lower().partition("e")
    if mant.startswith("+"):
        mant = mant[1:]
    if not exp:
        return mant
    e = int(exp)
    if mant.lstrip("-").rstrip(".") in ("1", "1.0"):
        return r"%s10^{%d}" % ("-" if mant.startswith("-") else "", e)
    return r"%s \times 10^{%d}" % (mant.rstrip("."), e)


# ----------------------------------------------------------------------------- MathJax
#: Characters that may not appear inside ``\text{}`` for MathJax, with their math-mode spelling.
MATHJAX_SPECIALS = {
    "\\": r"\backslash",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
}


def _mathjax_pieces(text: str, macro: str) -> str:
    out, cur = [], []
    for ch in str(text):
        if ch in MATHJAX_SPECIALS:
            if cur:
                out.append(r"\%s{%s}" % (macro, "".join(cur)))
                cur = []
            out.append(MATHJAX_SPECIALS[ch])
        elif ch in "\n\t\r":
            cur.append(" ")
        elif ch.isprintable():
            cur.append(ch)
    if cur:
        out.append(r"\%s{%s}" % (macro, "".join(cur)))
    return "".join(out)


def mathjax_text(text) -> str:
    r"""Plain text as MathJax math: ``\text{…}`` pieces, with ``_ % & # $ { } \`` between them in math mode.

    MathJax shows ``\text{γ\_A}`` with a backslash (it does not process macros inside ``\text{}``),
    so ``γ_A`` becomes ``\text{γ}\_\text{A}``. Unicode stays as it is (MathJax sets it in text).

    Examples
    --------
    >>> mathjax_text("99% of web_search")
    '\\\\text{99}\\\\%\\\\text{ of web}\\\\_\\\\text{search}'
    """
    return _mathjax_pieces(text, "text")


def mathjax_tt(text) -> str:
    r"""A name in typewriter type for MathJax (``\texttt{}`` pieces, specials between them in math mode)."""
    return _mathjax_pieces(text, "texttt")
