r"""The mathematics in geo-sym's prose, as LaTeX: one converter for reports, documents and notebooks.

Claims, verdict reasons, hypotheses and corrected statements are written for a terminal, with the
paper's notation in Unicode: ``d_a = w_a u_a``, ``‖DΦ_K‖_op ≤ λ < 1``, ``Σ_a <p_a, z_a(p)>_H = 0``,
``λ^n/(1−λ)``. :func:`pieces` splits such a sentence into prose, formulas and names; the formulas
are rewritten in LaTeX by a small tokenizer:

======================  ============================================  =====================================
written                 LaTeX                                         rule
======================  ============================================  =====================================
``γ_A``, ``A_K``        ``\gamma_{\mathcal{A}}``, ``\mathcal{A}_K``   the paper's price mechanism
``‖DΦ_K(x)‖_op²``       ``\lVert D\Phi_{K}(x)\rVert_{\mathrm{op}}^{2}``  norms pair up; word subscripts upright
``<p_a, z_a(p)>_H``     ``\langle p_{a}, z_{a}(p)\rangle_{\mathcal{H}}``  ``<`` glued to its operand pairs with ``>``
``Σ_a``, ``Π Y_a``      ``\sum_{a}``, ``\prod Y_{a}``                 ``Π`` before ``(`` is profit ``\Pi``
``x*``, ``y'``          ``x^{*}``, ``y'``                             stars and primes attach to their base
``λⁿ``, ``λ^n``         ``\lambda^{n}``                               Unicode and ``^`` superscripts
``normalize(0)``        ``\operatorname{normalize}(0)``               known functions, when applied
``1e-06``               ``10^{-6}``                                   never "1e − 06"
``P(G)``, ``R^n``       ``\mathcal{P}(G)``, ``\mathbb{R}^n``          fixed phrases of the paper
======================  ============================================  =====================================

Prose words stay text; single letters, Greek letters, relations and anything with a subscript are
mathematics, and a maximal stretch of them (with the numbers, brackets and commas between them) is one
formula. Economy names in quotes (``'two-by-two'``) and claim ids (``thm-4.4/existence``) are names,
set in typewriter type; agent names (``a1``) and labels (``E1``) are upright (``\mathrm{a1}`` inside a
formula). Equation references ``(13)``, enumerations ``(ii)`` and ranges ``1–4`` stay text.

Two renderings: :func:`prose_latex` (a pdflatex paragraph with inline ``$…$``) and
:func:`prose_mathjax` (rows for a MathJax ``array``, text in ``\text{}`` pieces that MathJax can
render). :func:`paragraph_mathjax` turns a hand-written LaTeX paragraph (a claim's ``statement_latex``)
into the same rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo_sym.render.latex_text import mathjax_text, mathjax_tt, tex_text, tt_text
from geo_sym.render.mathtext_lexer import PHRASES, _Atom, atoms, classify, math_atoms, math_latex, tokens

__all__ = ["Piece", "pieces", "sentence", "prose_latex", "prose_mathjax", "paragraph_mathjax", "math_latex", "PHRASES"]


@dataclass(frozen=True)
class Piece:
    """One piece of a sentence: ``kind`` is ``"text"`` (raw Unicode prose), ``"math"`` (LaTeX) or ``"name"``."""

    kind: str
    value: str


# ----------------------------------------------------------------------------- runs
_OPEN, _CLOSE = "([{", ")]}"


def pieces(text) -> list[Piece]:
    """Split a sentence into text, math (LaTeX) and name pieces (see the module docstring)."""
    text = str(text)
    seq = atoms(tokens(text))
    classify(seq, text)
    out: list[Piece] = []
    k = 0
    while k < len(seq):
        if seq[k].cls == "T":
            out.extend(_text_atom(seq[k]))
            k += 1
            continue
        j = k
        while j < len(seq) and seq[j].cls != "T":
            j += 1
        out.extend(_run(seq[k:j]))
        k = j
    return _merge(out)


def _text_atom(a: _Atom) -> list[Piece]:
    t = a.tok
    if t.kind in ("quoted", "claim", "snake"):
        return [Piece("name", t.text)]
    return [Piece("text", t.text)]


def _run(atoms: list[_Atom]) -> list[Piece]:
    r"""A stretch of non-text atoms: formulas where it contains mathematics, text elsewhere.

    The stretch is cut at brackets that do not close within it (``Assumption 2 (W continuous`` is
    text, ``(``, formula) and at top-level punctuation followed by a space (``α = 0.1, P = 3`` is two
    formulas); a bracket pair around a whole formula stays text (``(λ = 0)`` is ``($\lambda = 0$)``).
    """
    cut = _cut(atoms)
    if cut is not None:
        k, keep = cut
        return _run(atoms[:k]) + ([Piece("text", _raw(atoms[k]))] if not keep else []) + _run(atoms[k + 1 :])
    if not any(a.cls == "M" for a in atoms):
        return [Piece("text", "".join(_raw(a) for a in atoms))] if atoms else []
    lo, hi = 0, len(atoms)
    while lo < hi and (atoms[lo].cls == "S" or _is_char(atoms[lo], ",;:.")):
        lo += 1
    while hi > lo and (atoms[hi - 1].cls == "S" or _is_char(atoms[hi - 1], ",;:.")):
        hi -= 1
    if (
        hi - lo >= 2
        and _is_char(atoms[lo], "([")
        and _match(atoms, lo, hi) == hi - 1
        and not _tuple(atoms[lo + 1 : hi - 1])
    ):
        return (
            [Piece("text", "".join(_raw(a) for a in atoms[: lo + 1]))]
            + _run(atoms[lo + 1 : hi - 1])
            + [Piece("text", "".join(_raw(a) for a in atoms[hi - 1 :]))]
        )
    core = atoms[lo:hi]
    if not any(a.cls == "M" for a in core):
        return [Piece("text", "".join(_raw(a) for a in atoms))]
    out = [Piece("text", "".join(_raw(a) for a in atoms[:lo]))] if lo else []
    out.append(Piece("math", math_atoms(core)))
    if hi < len(atoms):
        out.append(Piece("text", "".join(_raw(a) for a in atoms[hi:])))
    return out


def _opens(a: _Atom) -> bool:
    return a.tok.kind == "langle" or (a.tok.kind == "char" and a.tok.text in _OPEN)


def _closes(a: _Atom) -> bool:
    return a.tok.kind == "rangle" or (a.tok.kind == "char" and a.tok.text in _CLOSE)


def _tuple(atoms: list[_Atom]) -> bool:
    """True when the atoms hold a top-level comma (``p*, y*, π*``): a tuple keeps its brackets in math."""
    depth = 0
    for a in atoms:
        depth += _opens(a) - _closes(a)
        if depth == 0 and _is_char(a, ","):
            return True
    return False


def _cut(atoms: list[_Atom]) -> tuple[int, bool] | None:
    """Where to cut a stretch: an unmatched bracket (dropped to text) or top-level ``, ``/``; ``/``x: ``."""
    stack: list[int] = []
    for k, a in enumerate(atoms):
        if _opens(a):
            stack.append(k)
        elif _closes(a):
            if not stack:
                return k, False
            stack.pop()
    if stack:
        return stack[0], False
    depth = 0
    for k, a in enumerate(atoms):
        t = a.tok
        if _opens(a):
            depth += 1
        elif _closes(a):
            depth -= 1
        elif depth == 0 and _is_char(a, ",;:") and k + 1 < len(atoms) and atoms[k + 1].cls == "S":
            if t.text == ":" and k > 0 and atoms[k - 1].cls == "S":
                continue  # "Φ_K : Ω_K → Ω_K" is one formula
            return k, False
    return None


def _is_char(a: _Atom, chars: str) -> bool:
    return a.tok.kind == "char" and a.tok.text in chars and not (a.sub or a.sup or a.stars or a.primes)


def _match(atoms, lo: int, hi: int) -> int | None:
    """Index of the bracket closing ``atoms[lo]`` within ``[lo, hi)``, or None."""
    depth = 0
    for j in range(lo, hi):
        if _is_char(atoms[j], _OPEN) or (atoms[j].tok.kind == "char" and atoms[j].tok.text in _OPEN):
            depth += 1
        elif atoms[j].tok.kind == "char" and atoms[j].tok.text in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return None


def _opener(atoms, lo: int, close: int) -> int | None:
    depth = 0
    for j in range(close, lo - 1, -1):
        t = atoms[j].tok
        if t.kind == "char" and t.text in _CLOSE:
            depth += 1
        elif t.kind == "char" and t.text in _OPEN:
            depth -= 1
            if depth == 0:
                return j
    return None


def _raw(a: _Atom) -> str:
    """The original text of an atom (with what is glued to it)."""
    s = a.tok.text
    if a.sub is not None:
        s += "_" + ("".join(t.text for t in a.sub) if len(a.sub) == 1 else "{" + "".join(t.text for t in a.sub) + "}")
    if a.sup is not None:
        s += "^" + ("".join(t.text for t in a.sup) if len(a.sup) == 1 else "{" + "".join(t.text for t in a.sup) + "}")
    return s + "*" * a.stars + "'" * a.primes


def _merge(ps: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for p in ps:
        if not p.value:
            continue
        if out and out[-1].kind == p.kind == "text":
            out[-1] = Piece("text", out[-1].value + p.value)
        else:
            out.append(p)
    return out


# ----------------------------------------------------------------------------- renderings
def sentence(text) -> str:
    """``text`` as a sentence: the first letter capitalised (a lowercase ASCII letter), a full stop at the end."""
    text = str(text).strip()
    if text[:1].isascii() and text[:1].islower():
        text = text[:1].upper() + text[1:]
    return text if not text or text[-1] in ".!?" else text + "."


def prose_latex(text) -> str:
    r"""A sentence as a pdflatex paragraph: prose escaped, formulas in ``$…$``, names in ``\texttt``.

    Examples
    --------
    >>> prose_latex("on 'two-by-two': τ > (1 − α)γ_A P holds (λ = 1/2)")
    'on \\texttt{two-\\allowbreak{}by-\\allowbreak{}two}: $\\tau > (1 - \\alpha) \\gamma_{\\mathcal{A}} P$ holds ($\\lambda = 1 / 2$)'
    """
    out = []
    for p in pieces(text):
        if p.kind == "math":
            out.append("$%s$" % (_breakable(p.value) if len(p.value) > 30 else p.value))
        elif p.kind == "name":
            out.append(tt_text(p.value))
        else:
            out.append(tex_text(p.value))
    return "".join(out)


def _breakable(tex: str) -> str:
    r"""Allow a line break after the commas of a long formula's bracketed lists (``p = [1, 0, …]``).

    TeX breaks inline formulas only after relations and binary operators; a list of numbers would
    otherwise run into the margin. Commas inside ``\langle … \rangle`` and sub/superscripts stay glued.
    """
    out, depth_angle, depth_brace, depth_paren, i = [], 0, 0, 0, 0
    while i < len(tex):
        if tex.startswith(r"\langle", i):
            depth_angle += 1
        elif tex.startswith(r"\rangle", i):
            depth_angle -= 1
        c = tex[i]
        depth_brace += (c == "{") - (c == "}")
        depth_paren += (c == "(") - (c == ")")
        if tex.startswith(", ", i) and depth_angle == depth_brace == depth_paren == 0:
            out.append(r",\allowbreak ")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _rows(items: list[tuple[str, str, int]], width: int) -> list[str]:
    """Pack ``(kind, value, visible length)`` items into MathJax rows of about ``width`` characters.

    ``kind`` is ``"text"`` (raw prose, converted per row by :func:`mathjax_text`), ``"name"`` or
    ``"math"`` (LaTeX, kept as it is).
    """
    rows, cur, used = [], [], 0
    for kind, value, length in items:
        if cur and used + length > width and value.strip() and value.strip()[0] not in ",;:.)":
            rows.append(cur)
            cur, used = [], 0
        cur.append((kind, value))
        used += length
    if cur:
        rows.append(cur)
    out = []
    for row in rows:
        tex, text = [], ""
        for kind, value in row:
            if kind == "text":
                text += value
                continue
            if text:
                tex.append(mathjax_text(text))
                text = ""
            tex.append(mathjax_tt(value) if kind == "name" else "{%s}" % value)
        if text.strip():
            tex.append(mathjax_text(text.rstrip()))
        line = "".join(tex)
        if line:
            out.append(line)
    return out


def _words(text: str) -> list[tuple[str, str, int]]:
    return [("text", w, len(w)) for w in re.findall(r"\S+\s*|\s+", text)]


def prose_mathjax(text, width: int = 90) -> list[str]:
    r"""A sentence as rows of MathJax math (prose in ``\text{}``, formulas as they are), wrapped at ``width``.

    Each row is a valid math-mode string; put them in ``\begin{array}{l} … \end{array}``.
    """
    items: list[tuple[str, str, int]] = []
    for p in pieces(text):
        if p.kind == "text":
            items.extend(_words(p.value))
        else:
            items.append((p.kind, p.value, len(p.value) if p.kind == "name" else max(1, len(p.value) // 3)))
    return _rows(items, width)


_LATEX_TEXT = {"---": "—", "--": "–", "~": " ", "``": "“", "''": "”", r"\,": " ", r"\ ": " "}


def paragraph_mathjax(tex: str, width: int = 90) -> list[str]:
    r"""A LaTeX paragraph (text with ``$…$`` formulas, as in ``statement_latex``) as MathJax rows.

    The text between formulas may use only ``--``, ``---``, ``~``, quotes ````…''``, ``\,`` and
    escaped ``\%``/``\_``/``\&``/``\#``; formulas are kept as written.
    """
    items: list[tuple[str, str, int]] = []
    for k, chunk in enumerate(re.split(r"(?<!\\)\$", tex)):
        if k % 2:
            items.append(("math", chunk, max(1, len(chunk) // 3)))
            continue
        plain = re.sub(r"\\([%_&#$])", r"\1", chunk)
        for a, b in _LATEX_TEXT.items():
            plain = plain.replace(a, b)
        items.extend(_words(plain))
    return _rows(items, width)
