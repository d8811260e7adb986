r"""The tokenizer of :mod:`geo_sym.render.mathtext`: tokens, atoms, their classes, and formulas as LaTeX.

A *token* is a word, number, Greek letter, symbol, fixed phrase (``P(G)``), reference (``(13)``),
quoted name or claim id. An *atom* is a token with what is glued to it (subscript, superscript,
stars, primes). Each atom is classed ``M`` (mathematics), ``T`` (prose), ``N`` (neutral: numbers,
brackets, punctuation, names — they join a formula or the prose around them) or ``S`` (space).
:func:`math_atoms` writes a formula's atoms as LaTeX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo_sym.render.latex_text import MATH_SYMBOLS, SUBSCRIPTS, SUPERSCRIPTS, decimal_latex, tex_text

__all__ = ["PHRASES", "tokens", "atoms", "classify", "math_atoms", "math_latex"]


# ----------------------------------------------------------------------------- tokens
#: Fixed phrases of the paper's notation (matched before anything else, longest first).
PHRASES = {
    "Δ(P(G))": r"\Delta(\mathcal{P}(G))",
    "Δ(P)": r"\Delta(\mathcal{P})",
    "P(G)": r"\mathcal{P}(G)",
    "R^n": r"\mathbb{R}^{n}",
    "R^{AK}": r"\mathbb{R}^{AK}",
    "R^K": r"\mathbb{R}^{K}",
}
_FUNCTIONS = {
    "max": r"\max",
    "min": r"\min",
    "sup": r"\sup",
    "inf": r"\inf",
    "exp": r"\exp",
    "log": r"\log",
    "det": r"\det",
    "normalize": r"\operatorname{normalize}",
    "softmax": r"\operatorname{softmax}",
    "Proj": r"\operatorname{Proj}",
    "diag": r"\operatorname{diag}",
    "argmax": r"\operatorname{arg\,max}",
    "argmin": r"\operatorname{arg\,min}",
}
#: (base, subscript) pairs with the paper's own symbols.
_GLOSSARY = {("A", "K"): r"\mathcal{A}", ("E", "K"): r"\mathcal{E}", ("γ", "A"): r"\gamma"}
_SUB_GLOSSARY = {("γ", "A"): r"\mathcal{A}", ("", "H"): r"\mathcal{H}"}
_WORD_MATH = {"AK": "AK", "DT": "DT", "DA": r"D\mathcal{A}", "pi": r"\pi"}
_ARTICLE_AFTER = {"agent", "agents", "firm", "firms", "each", "every"}

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<claim>\b(?:thm|lem|prop|ex|sec)-\d+(?:\.\d+)?(?:/[A-Za-z0-9_-]+|\((?:i|ii|iii|iv|v|vi)\))?)"
    r"|(?P<snake>\b[A-Za-z][A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b)"
    r"|(?P<number>\d+(?:\.\d+)?(?:[eE][-+−]?\d+)?(?![A-Za-z_]))"
    r"|(?P<word>[A-Za-zÀ-ÖØ-öø-ÿ]+\d*)"
    r"|(?P<greek>[α-ωΑ-Ωϕϵ])"
    r"|(?P<char>.)",
    re.S,
)
_REF = re.compile(r"\((?:eq\.\s*)?(?:\d+|[A-Z]\d|i|ii|iii|iv|v|vi|vii|viii)\)")
_PLURAL = re.compile(r"\((?:s|es)\)")
_ABBREVIATION = re.compile(r"(?:e\.g\.|i\.e\.|cf\.|etc\.|vs\.)")
_QUOTED = re.compile(r"'([A-Za-z0-9][A-Za-z0-9_.+-]*)'")
_MATH_CHARS = set("=≠≤≥≈∈∉⊂⊆→⇒⇔⇀∧∨∂∞∑∏∃∀‖⟨⟩·×+−±∼≡∇∅⊗⊕√∩∪<>|^_*ℝℕℚℤℋ𝒫←↦") | set(SUPERSCRIPTS)


@dataclass
class _Tok:
    kind: str  # ws, claim, number, word, greek, char, phrase, ref, quoted, langle, rangle
    text: str
    start: int
    end: int


def tokens(text: str) -> list[_Tok]:
    """Split ``text`` into tokens, recognising phrases, references, quoted names and angle brackets."""
    out: list[_Tok] = []
    i, n = 0, len(text)
    phrases = sorted(PHRASES, key=len, reverse=True)
    while i < n:
        prev = text[i - 1] if i else " "
        glued = prev.isalnum() or prev in "_)]*'" or prev in SUPERSCRIPTS
        ph = next((p for p in phrases if text.startswith(p, i)), None)
        if ph is not None and not (prev.isalpha() and prev.isascii()):
            out.append(_Tok("phrase", ph, i, i + len(ph)))
            i += len(ph)
            continue
        if not glued and text[i] in "eicv":
            m = _ABBREVIATION.match(text, i)
            if m:
                out.append(_Tok("ref", m.group(0), i, m.end()))
                i = m.end()
                continue
        if text[i] == "(" and not glued:
            m = _REF.match(text, i)
            if m:
                out.append(_Tok("ref", m.group(0), i, m.end()))
                i = m.end()
                continue
        if text[i] == "(" and prev.isalpha():
            m = _PLURAL.match(text, i)
            if m:  # point(s)
                out.append(_Tok("ref", m.group(0), i, m.end()))
                i = m.end()
                continue
        if text[i] == "'" and glued and text[i + 1 : i + 2] == "s" and not text[i + 2 : i + 3].isalnum():
            out.append(_Tok("ref", "'s", i, i + 2))  # a possessive: consumer's, Φ_K's
            i += 2
            continue
        if text[i] == "'" and not glued:
            m = _QUOTED.match(text, i)
            if m:
                out.append(_Tok("quoted", m.group(1), i, m.end()))
                i = m.end()
                continue
        m = _TOKEN.match(text, i)
        kind, word = m.lastgroup, m.group(0)
        if kind == "snake" and (word.split("_")[0] in _FUNCTIONS or word.split("_")[0] in _WORD_MATH):
            word = word.split("_")[0]
            kind = "word"
        out.append(_Tok(kind, word, i, i + len(word)))
        i += len(word)
    _pair_angles(text, out)
    return out


def _pair_angles(text: str, toks: list[_Tok]) -> None:
    """Mark ``<``/``>`` that enclose an operand (``<p, y>``) as angle brackets; others stay relations."""
    for k, t in enumerate(toks):
        if t.kind != "char" or t.text != "<":
            continue
        if t.end >= len(text) or text[t.end] in " =\t\n":
            continue
        depth = 0
        for j in range(k + 1, min(len(toks), k + 60)):
            u = toks[j]
            if u.kind == "char" and u.text in "([{":
                depth += 1
            elif u.kind == "char" and u.text in ")]}":
                depth -= 1
                if depth < 0:
                    break
            elif u.kind == "char" and u.text == "<":
                break
            elif u.kind == "char" and u.text == ">" and depth == 0:
                if u.start > 0 and text[u.start - 1] not in " \t\n":
                    t.kind, u.kind = "langle", "rangle"
                break
            elif u.kind == "char" and u.text in ";" and depth == 0:
                break


# ----------------------------------------------------------------------------- atoms
@dataclass
class _Atom:
    """A token with what is glued to it: subscript, superscript, stars, primes."""

    tok: _Tok
    sub: list | None = None  # tokens of the subscript
    sup: list | None = None
    stars: int = 0
    primes: int = 0
    cls: str = "N"  # M (mathematics), T (text), N (neutral: joins either), S (space)


def _group(toks: list[_Tok], i: int) -> tuple[list[_Tok], int]:
    """The tokens of a subscript/superscript starting at ``toks[i]``: a ``{…}`` group or one token."""
    if i >= len(toks):
        return [], i
    t = toks[i]
    if t.kind == "char" and t.text == "{":
        depth, j = 0, i
        while j < len(toks):
            u = toks[j]
            if u.kind == "char" and u.text == "{":
                depth += 1
            elif u.kind == "char" and u.text == "}":
                depth -= 1
                if depth == 0:
                    return toks[i + 1 : j], j + 1
            j += 1
        return toks[i + 1 :], len(toks)
    if t.kind in ("word", "number", "greek", "phrase") or (t.kind == "char" and t.text in "+-−*"):
        return [t], i + 1
    return [], i


def atoms(toks: list[_Tok]) -> list[_Atom]:
    atoms: list[_Atom] = []
    i = 0
    while i < len(toks):
        atom = _Atom(toks[i])
        i += 1
        while i < len(toks):
            t = toks[i]
            if t.kind == "char" and t.text in "_^" and i + 1 < len(toks):
                grp, j = _group(toks, i + 1)
                if not grp:
                    break
                if t.text == "_" and atom.sub is None:
                    atom.sub = grp
                elif t.text == "^" and atom.sup is None:
                    atom.sup = grp
                else:
                    break
                i = j
            elif t.kind == "char" and t.text in SUPERSCRIPTS and atom.sup is None:
                sup = ""
                while i < len(toks) and toks[i].kind == "char" and toks[i].text in SUPERSCRIPTS:
                    sup += SUPERSCRIPTS[toks[i].text]
                    i += 1
                atom.sup = [_Tok("raw", sup, t.start, t.end)]
            elif t.kind == "char" and t.text in SUBSCRIPTS and atom.sub is None:
                atom.sub = [_Tok("raw", SUBSCRIPTS[t.text], t.start, t.end)]
                i += 1
            elif t.kind == "char" and t.text == "*" and _can_carry(atom):
                atom.stars += 1
                i += 1
            elif t.kind == "char" and t.text == "'" and _can_carry(atom):
                atom.primes += 1
                i += 1
            else:
                break
        atoms.append(atom)
    return atoms


def _can_carry(atom: _Atom) -> bool:
    t = atom.tok
    return t.kind in ("word", "greek", "phrase", "rangle") or (t.kind == "char" and t.text in ")]‖|")


# ----------------------------------------------------------------------------- classification
def classify(atoms: list[_Atom], text: str) -> None:
    words = [a.tok.text if a.tok.kind == "word" else None for a in atoms]
    for k, a in enumerate(atoms):
        t = a.tok
        glued = bool(a.sub or a.sup or a.stars or a.primes)
        nxt = atoms[k + 1].tok if k + 1 < len(atoms) else None
        applied = nxt is not None and nxt.kind == "char" and nxt.text in "({" and nxt.start == t.end
        if t.kind == "ws":
            a.cls = "S"
        elif t.kind in ("phrase", "greek", "langle", "rangle"):
            a.cls = "M"
        elif t.kind == "word":
            article = _sentence_start(atoms, k) and _lower_word_follows(atoms, k)
            abbrev = t.end + 1 < len(text) and text[t.end] == "." and text[t.end + 1].isalpha()
            a.cls = _word_class(t.text, glued, applied, _prev_word(words, k), article or abbrev)
        elif t.kind == "number":
            a.cls = "M" if ("e" in t.text.lower() or glued) else "N"
        elif t.kind in ("ref", "quoted", "claim", "snake"):
            a.cls = "T"
        elif t.kind == "char":
            a.cls = _char_class(t, text)
            if glued and a.cls != "T":
                a.cls = "M"
        else:
            a.cls = "T"


def _prev_word(words, k: int) -> str | None:
    for j in range(k - 1, max(-1, k - 3), -1):
        if words[j] is not None:
            return words[j]
    return None


def _sentence_start(atoms, k: int) -> bool:
    for j in range(k - 1, -1, -1):
        t = atoms[j].tok
        if t.kind == "ws":
            continue
        return t.kind == "char" and t.text in ".;:!?"
    return True


def _lower_word_follows(atoms, k: int) -> bool:
    nxt = next((a.tok for a in atoms[k + 1 :] if a.tok.kind != "ws"), None)
    return nxt is not None and nxt.kind == "word" and nxt.text[:1].islower()


def _word_class(w: str, glued: bool, applied: bool, prev: str | None, prose: bool) -> str:
    if glued:
        return "M"
    if w in _FUNCTIONS:
        return "M" if applied else "T"
    if w in _WORD_MATH:
        return "M"
    if re.fullmatch(r"[A-Za-z]+\d+", w):
        return "N"  # agent names (a1) and labels (E1): upright, text or formula
    if len(w) == 1 and w.isascii():
        if w == "a":
            return "M" if (prev in _ARTICLE_AFTER or applied) else "T"
        if prose:  # "A sufficient condition", "e.g."
            return "T"
        return "M"
    if w in ("D",):
        return "M"
    return "T"


def _char_class(t: _Tok, text: str) -> str:
    c = t.text
    if c in _MATH_CHARS or c in MATH_SYMBOLS and c not in "…":
        return "M"
    if c == "-":
        before = text[t.start - 1] if t.start else " "
        after = text[t.end] if t.end < len(text) else " "
        if before.isalnum() and (after.isalpha() or after.isdigit() and before.isalpha()):
            return "T"  # a hyphen inside a word (non-empty, K-projected, L²-ball)
        return "M" if (after.isdigit() or before == " " or after in " (") else "T"
    if c in "–—%\"`'":
        return "T"
    return "N"  # brackets, punctuation, slash, dots


# ----------------------------------------------------------------------------- formulas
def math_latex(text) -> str:
    """A string that is entirely a formula (``"τ > (1 − α)γ_A P"``) as LaTeX math."""
    return math_atoms(atoms(tokens(str(text))))


def math_atoms(atoms: list[_Atom]) -> str:
    """LaTeX of a formula's atoms (norm bars and absolute values paired left to right)."""
    out: list[str] = []
    bars = {"‖": 0, "|": 0}
    for k, a in enumerate(atoms):
        t = a.tok
        if t.kind == "ws":
            continue
        if t.kind == "char" and t.text in bars:
            left = bars[t.text] % 2 == 0
            bars[t.text] += 1
            base = {"‖": (r"\lVert", r"\rVert"), "|": (r"\lvert", r"\rvert")}[t.text][0 if left else 1]
        else:
            base = _base(a, atoms[k + 1 :])
        out.append(_decorate(a, base))
    return _join([s for s in out if s])


_RELATIONS = (r"\le", r"\ge", r"\neq", r"\approx", r"\in", r"\notin", r"\to", r"\Rightarrow", r"\Leftrightarrow")


def _join(parts: list[str]) -> str:
    """Concatenate LaTeX math pieces, with a space only where one is needed (``\\in x``, ``1 2``)."""
    out = ""
    for p in parts:
        if out and (
            (re.search(r"\\[A-Za-z]+$", out) and p[0].isalpha())
            or (out[-1].isdigit() and p[0].isdigit())
            or (out[-1] in ",;:" and p[0] not in ")]}")
            or p[0] in "=<>"
            or out[-1] in "=<>"
            or p.startswith(_RELATIONS)
            or out.endswith(_RELATIONS)
        ):
            out += " "
        out += p
    return out


def _base(a: _Atom, rest: list[_Atom]) -> str:
    t = a.tok
    sub = "".join(x.text for x in a.sub) if a.sub else ""
    if t.kind == "phrase":
        return PHRASES[t.text]
    if t.kind == "langle":
        return r"\langle"
    if t.kind == "rangle":
        return r"\rangle"
    if t.kind == "greek":
        if t.text == "Π":
            nxt = next((r for r in rest if r.tok.kind != "ws"), None)
            glued = nxt is not None and nxt.tok.kind == "char" and nxt.tok.text == "(" and nxt.tok.start == _end(a)
            return r"\Pi" if glued else r"\prod"
        if t.text == "Σ":
            return r"\sum"
        return _GLOSSARY.get((t.text, sub), MATH_SYMBOLS[t.text])
    if t.kind == "word":
        w = t.text
        if (w, sub) in _GLOSSARY:
            return _GLOSSARY[(w, sub)]
        if w in _FUNCTIONS:
            return _FUNCTIONS[w]
        if w in _WORD_MATH:
            return _WORD_MATH[w]
        if w == "H":
            return r"\mathcal{H}"
        if len(w) == 1 or w == "D":
            return w
        return r"\mathrm{%s}" % tex_text(w)
    if t.kind == "number":
        return decimal_latex(t.text) or t.text
    if t.kind in ("ref", "quoted", "claim"):
        return r"\text{%s}" % tex_text(t.text)
    return _char_latex(t.text)


def _end(a: _Atom) -> int:
    ends = [a.tok.end] + [x.end for x in (a.sub or [])] + [x.end for x in (a.sup or [])]
    return max(ends) + a.stars + a.primes


_CHARS = {
    "{": r"\{",
    "}": r"\}",
    "-": "-",
    "−": "-",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "$": r"\$",
    "~": r"\sim",
    "\\": r"\backslash",
    "…": r"\dots",
    "^": r"\hat{}",
    "_": r"\_",
    "*": "*",
    "'": "'",
    "–": "-",
    "—": r"\text{---}",
}


def _char_latex(c: str) -> str:
    if c in _CHARS:
        return _CHARS[c]
    if c in MATH_SYMBOLS:
        return MATH_SYMBOLS[c]
    if c.isascii() and c.isprintable():
        return c
    return r"\text{[U+%04X]}" % ord(c)


def _script(toks: list[_Tok] | None, *, sub: bool, base: _Atom) -> str:
    if not toks:
        return ""
    if len(toks) == 1 and toks[0].kind == "raw":
        return toks[0].text
    if len(toks) == 1 and toks[0].kind == "word":
        w = toks[0].text
        key = (base.tok.text if base.tok.kind in ("word", "greek") else "", w)
        if sub and key in _SUB_GLOSSARY:
            return _SUB_GLOSSARY[key]
        if sub and ("", w) in _SUB_GLOSSARY:
            return _SUB_GLOSSARY[("", w)]
        if len(w) == 1:
            return w
        return r"\mathrm{%s}" % tex_text(w)
    inner = atoms(toks)
    for x in inner:
        x.cls = "M"
    return math_atoms(inner)


def _decorate(a: _Atom, base: str) -> str:
    out = base + "'" * a.primes
    sub = _script(a.sub, sub=True, base=a)
    sup = _script(a.sup, sub=False, base=a)
    if a.stars:
        sup = "*" * a.stars + (sup if not sup else " " + sup)
    if sub:
        out += "_{%s}" % sub
    if sup:
        out += "^{%s}" % sup
    return out
