r"""The derivation document of an economy (``geo-sym derive``) and compilation with ``pdflatex``.

:func:`derive` computes everything the document shows and returns a :class:`Derivation`;
:meth:`Derivation.to_latex` (or :func:`derivation_document`) turns it into a complete,
compilable LaTeX document:

1. the economy: agents with their demand profiles ``u_a`` and production sets ``Y_a``,
   the DAG (drawn in LaTeX's ``picture`` mode when small), its maximal paths ``P(G)``,
   the state space ``Ω_K``, the parameters and the price mechanism;
2. each component of the map in closed form for this economy (eq. (10)–(12) or (13));
3. the steady state: fixed points from seeded starts
   (:func:`geo_sym.solve.fixed_point.find_fixed_points`), exact when rational
   (:func:`geo_sym.solve.fixed_point.exact_fixed_point`, proved by exact evaluation);
4. the Jacobian ``DΦ_K(x*)`` by named blocks (exact when ``x*`` is), large blocks summarised;
5. the tangent-space reduction ``T⁺ J T`` (simplex blocks in sum-zero coordinates);
6. the characteristic polynomial (exact, when the tangent dimension is small) and its
   factorisation over ``Q``;
7. the eigenvalues, the spectral radius and the rate ``(1 − α) γ_A P / τ`` of
   Proposition 6.2;
8. a summary of the claim verdicts recomputed on this economy
   (:func:`proofs.claims.registry.run_checks`).

Only ``amsmath``, ``amssymb``, ``geometry``, ``longtable``, ``booktabs`` and ``graphicx``
are used (all in Debian's ``texlive-latex-base`` / ``texlive-latex-recommended``), with the
default Computer Modern Type 1 fonts. :func:`compile_pdf` runs ``pdflatex``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sympy as sp

from geo_sym.errors import GeoSymError, ValidationError

__all__ = [
    "LaTeXError",
    "PdflatexNotFoundError",
    "INSTALL_HINT",
    "pdflatex_available",
    "compile_pdf",
    "tex_text",
    "Derivation",
    "derive",
    "derivation_document",
    "write_document",
    "PREAMBLE",
]

# ----------------------------------------------------------------------------- pdflatex
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


# ----------------------------------------------------------------------------- text escaping
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
_UNICODE_TEXT = {
    "≠": r"$\neq$",
    "≤": r"$\le$",
    "≥": r"$\ge$",
    "Σ": r"$\Sigma$",
    "Φ": r"$\Phi$",
    "π": r"$\pi$",
    "α": r"$\alpha$",
    "β": r"$\beta$",
    "γ": r"$\gamma$",
    "τ": r"$\tau$",
    "λ": r"$\lambda$",
    "ρ": r"$\rho$",
    "Δ": r"$\Delta$",
    "Ω": r"$\Omega$",
    "Π": r"$\Pi$",
    "∂": r"$\partial$",
    "‖": r"$\|$",
    "⟨": r"$\langle$",
    "⟩": r"$\rangle$",
    "∈": r"$\in$",
    "∉": r"$\notin$",
    "→": r"$\to$",
    "⇒": r"$\Rightarrow$",
    "⇔": r"$\Leftrightarrow$",
    "−": "-",
    "—": "---",
    "–": "--",
    "…": r"\dots{}",
    "≈": r"$\approx$",
    "·": r"$\cdot$",
    "×": r"$\times$",
    "∞": r"$\infty$",
    "²": r"$^2$",
    "³": r"$^3$",
    "∗": "*",
    "’": "'",
    "‘": "`",
    "“": "``",
    "”": "''",
    "ε": r"$\varepsilon$",
    "∃": r"$\exists$",
    "∀": r"$\forall$",
    "⊂": r"$\subset$",
    "⊆": r"$\subseteq$",
    "√": r"$\surd$",
    "ᵀ": r"$^T$",
    "⁺": r"$^+$",
    "⁻": r"$^-$",
    "₀": r"$_0$",
    "₁": r"$_1$",
    "₂": r"$_2$",
    "₃": r"$_3$",
    "ₙ": r"$_n$",
    "ⁿ": r"$^n$",
    "μ": r"$\mu$",
    "σ": r"$\sigma$",
    "κ": r"$\kappa$",
    "φ": r"$\varphi$",
    "ϕ": r"$\phi$",
    "χ": r"$\chi$",
    "δ": r"$\delta$",
    "θ": r"$\theta$",
    "ω": r"$\omega$",
    "η": r"$\eta$",
    "ξ": r"$\xi$",
    "ψ": r"$\psi$",
    "Γ": r"$\Gamma$",
    "Λ": r"$\Lambda$",
    "Θ": r"$\Theta$",
    "Ψ": r"$\Psi$",
    "∑": r"$\Sigma$",
    "∏": r"$\Pi$",
    "∇": r"$\nabla$",
    "∅": r"$\emptyset$",
    "∩": r"$\cap$",
    "∪": r"$\cup$",
    "⊗": r"$\otimes$",
    "⊕": r"$\oplus$",
    "±": r"$\pm$",
    "°": r"$^\circ$",
    "⌈": r"$\lceil$",
    "⌉": r"$\rceil$",
    "⌊": r"$\lfloor$",
    "⌋": r"$\rfloor$",
    "≡": r"$\equiv$",
    "∼": r"$\sim$",
    "↦": r"$\mapsto$",
    "←": r"$\leftarrow$",
    "↑": r"$\uparrow$",
    "↓": r"$\downarrow$",
    "ℝ": r"$\mathbb{R}$",
    "ℕ": r"$\mathbb{N}$",
    "ℚ": r"$\mathbb{Q}$",
    "ℤ": r"$\mathbb{Z}$",
    "ℋ": r"$\mathcal{H}$",
    "𝒫": r"$\mathcal{P}$",
    "\u00a0": "~",
    "é": r"\'e",
    "è": r"\`e",
    "ê": r"\^e",
    "à": r"\`a",
    "â": r"\^a",
    "ô": r"\^o",
    "ü": r"\"u",
    "ö": r"\"o",
    "ä": r"\"a",
    "ç": r"\c{c}",
    "ï": r"\"i",
    "î": r"\^i",
}


def tex_text(text) -> str:
    """Plain text (reasons, statements, names) as LaTeX text mode for pdflatex.

    LaTeX's special characters are escaped; common Unicode (Greek letters, ``≤``, ``‖``,
    ``→``, ``−``, accented letters, …) becomes the equivalent LaTeX; any other non-ASCII
    character is written as ``[U+XXXX]`` so that the document always compiles.

    Examples
    --------
    >>> tex_text("τ > (1−α)γ_A P")
    '$\\\\tau$ \\\\textgreater{} (1-$\\\\alpha$)$\\\\gamma$\\\\_A P'
    """
    out = []
    for ch in str(text):
        if ch in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[ch])
        elif ord(ch) < 128:
            out.append(ch if ch.isprintable() or ch in "\n\t" else " ")
        elif ch in _UNICODE_TEXT:
            out.append(_UNICODE_TEXT[ch])
        else:
            out.append("[U+%04X]" % ord(ch))
    return "".join(out)


# ----------------------------------------------------------------------------- the preamble
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage[margin=2cm]{geometry}
\usepackage{longtable,booktabs,array}
\usepackage{graphicx}
\allowdisplaybreaks
\setcounter{MaxMatrixCols}{20}
\renewcommand{\arraystretch}{1.3}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex plus 0.2ex}
\sloppy
"""


def _align(tex: str) -> str:
    """An ``aligned`` body from :mod:`geo_sym.render.printer` as a display ``align*`` (page breaks allowed)."""
    t = tex.strip()
    if t.startswith("$$") and t.endswith("$$"):
        t = t[2:-2].strip()
    if t.startswith(r"\begin{aligned}") and t.endswith(r"\end{aligned}"):
        inner = t[len(r"\begin{aligned}") : -len(r"\end{aligned}")].strip("\n")
        return "\\begin{align*}\n%s\n\\end{align*}" % inner
    return "\\[\n%s\n\\]" % t


def _num(v, digits: int = 6) -> str:
    """A real number as LaTeX: exact rationals as fractions, floats with ``digits`` significant digits."""
    from geo_sym.render.printer import GeoSymLatexPrinter

    if isinstance(v, sp.Basic):
        if v.is_Rational:
            return GeoSymLatexPrinter().doprint(v)
        v = float(sp.N(v, 30))
    from geo_sym.render.printer import float_latex

    return float_latex(v, digits)


def _complex_tex(z: complex, digits: int = 6) -> str:
    re_, im = float(z.real), float(z.imag)
    scale = max(abs(re_), abs(im), 1e-300)
    if abs(im) <= 1e-12 * max(1.0, scale):
        return _num(re_, digits)
    if abs(re_) <= 1e-12 * max(1.0, scale):
        return r"%s\,i" % _num(im, digits)
    sign = "+" if im > 0 else "-"
    return r"%s %s %s\,i" % (_num(re_, digits), sign, _num(abs(im), digits))


# ----------------------------------------------------------------------------- the computation
@dataclass(frozen=True, eq=False)
class Derivation:
    """Everything :func:`derivation_document` shows, computed once.

    Attributes
    ----------
    economy : Economy
    fixed_points : list of FixedPointResult
        Distinct fixed points found from the centre and ``n_starts`` seeded starts.
    steady_state : State or None
        The one used below (exact when ``exact``): the fixed point found from the centre
        state, or the first found; None when none was found (the Jacobian is then taken
        at the centre state, ``at_steady_state`` False).
    exact : bool
        True when ``steady_state`` is an exact rational fixed point (proved by exact evaluation).
    point : State
        Where the Jacobian was taken.
    at_steady_state : bool
    jacobian : ExactJacobian, NumericJacobian or None
        None when the state is too large to print (``max_state`` coordinates).
    tangent_jacobian : sympy.Matrix or numpy.ndarray or None
        ``T⁺ J T`` (the :class:`~geo_sym.economy.state.TangentChart` of the economy).
    eigenvalues : numpy.ndarray
        Of the tangent Jacobian, by decreasing modulus.
    charpoly : sympy.Poly or None
        Exact characteristic polynomial of ``T⁺ J T`` (exact point, small tangent dimension).
    charpoly_note : str
        Why ``charpoly`` is None, if it is.
    verdicts : list of Verdict or None
    notes : list of str
    """

    economy: object
    fixed_points: list
    steady_state: object
    exact: bool
    point: object
    at_steady_state: bool
    jacobian: object
    tangent_jacobian: object
    eigenvalues: np.ndarray
    charpoly: object
    charpoly_note: str
    verdicts: list | None
    figure: str | None = None
    notes: list = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"Derivation(economy={self.economy.name!r}, fixed_points={len(self.fixed_points)}, "
            f"exact={self.exact}, verdicts={None if self.verdicts is None else len(self.verdicts)})"
        )

    @property
    def jacobian_exact(self) -> bool:
        """True when the Jacobian is exact (SymPy), False when numeric or absent."""
        return self.jacobian is not None and hasattr(self.jacobian, "tangent_jacobian")

    @property
    def spectral_radius(self) -> float | None:
        """``max |λ|`` over the tangent eigenvalues (None when they were not computed)."""
        return float(np.max(np.abs(self.eigenvalues))) if len(self.eigenvalues) else None

    def to_latex(self, title: str | None = None) -> str:
        """The complete document (see :func:`derivation_document`)."""
        return _document(self, title)


def _exact_charpoly(jac, max_symbolic_dim: int = 12):
    """``det(λI − T⁺JT)`` exactly: over ``QQ`` when every entry is rational (fast, any size this
    function is called with), else :meth:`ExactJacobian.charpoly` up to ``max_symbolic_dim``."""
    from sympy.polys.matrices import DomainMatrix

    Jt = jac.tangent_jacobian
    lam = sp.Symbol("lambda")
    if all(isinstance(v, sp.Rational) for v in Jt):
        coeffs = DomainMatrix.from_Matrix(Jt).convert_to(sp.QQ).charpoly()
        return sp.Poly([sp.QQ.to_sympy(c) for c in coeffs], lam, domain="QQ")
    if Jt.shape[0] <= max_symbolic_dim:
        return jac.charpoly()
    return None


def derive(
    econ,
    *,
    verdicts=None,
    seed: int = 0,
    n_starts: int = 4,
    max_charpoly_dim: int = 40,
    max_exact: int = 150,
    max_state: int = 2000,
    figure: str | None = None,
) -> Derivation:
    """Compute the steady state, Jacobian, tangent reduction, χ(λ), eigenvalues and verdicts of ``econ``.

    Parameters
    ----------
    econ : Economy
    verdicts : list of Verdict, optional
        The claim verdicts recomputed on this economy (``proofs.run_checks``), shown in the last
        section; the document has no verdict section without them.
    seed : int
        Seed of the random starts of the fixed-point search and of the claim checks.
    n_starts : int
        Random starts besides the centre state.
    max_charpoly_dim : int
        Largest tangent dimension for which the exact characteristic polynomial is computed.
    max_exact : int
        Largest state dimension for which the Jacobian at an exact fixed point is computed
        exactly (above it, numerically at that point).
    max_state : int
        Above this state dimension, no Jacobian is formed (the document says so).
    figure : str, optional
        An image to include in the eigenvalue section (path as LaTeX will see it,
        relative to the ``.tex`` file).

    Returns
    -------
    Derivation
    """
    from geo_sym.economy.state import tangent_chart
    from geo_sym.errors import DegenerateNormalizationError, DomainError
    from geo_sym.maps.jacobian import numeric_jacobian
    from geo_sym.solve.fixed_point import center_state, exact_fixed_point, find_fixed_points

    notes = []
    n = econ.state_size()
    fps = find_fixed_points(econ, n_starts=n_starts, seed=seed) if n <= max_state else []
    if n > max_state:
        notes.append(
            f"the state has {n} coordinates (more than {max_state}): no fixed-point search or Jacobian "
            "here; use geo-sym fixed-points and geo-sym jacobian --reduced"
        )
    steady, exact = None, False
    if fps:
        steady = fps[0].state
        ex = exact_fixed_point(econ, steady)
        if ex is not None:
            steady, exact = ex, True
    point = steady if steady is not None else center_state(econ)
    jac = tangent = None
    eig = np.zeros(0, dtype=complex)
    cp, cp_note = None, ""
    if n <= max_state:
        try:
            if exact and n > max_exact:
                notes.append(
                    f"the fixed point is exact, but with {n} state coordinates (more than {max_exact}) the "
                    "Jacobian is computed numerically at it: exact symbolic work at this size is slow"
                )
            if exact and n <= max_exact:
                from geo_sym.maps.symbolic import exact_jacobian

                jac = exact_jacobian(econ, point)
                tangent = jac.tangent_jacobian
                Jt = np.array(tangent.evalf(30).tolist(), dtype=float) if tangent.shape[0] else np.zeros((0, 0))
            else:
                jac = numeric_jacobian(econ, point)
                tangent = tangent_chart(econ).restrict(jac.dense())
                Jt = tangent
            if Jt.size:
                eig = np.linalg.eigvals(Jt)
                eig = eig[np.argsort(-np.abs(eig), kind="stable")]
        except (DegenerateNormalizationError, DomainError) as exc:
            notes.append(f"the map is not differentiable at the point used: {exc}")
            jac = tangent = None
        dim = 0 if tangent is None else tangent.shape[0]
        if jac is None:
            cp_note = "no Jacobian at this point"
        elif exact and n > max_exact:
            cp_note = "the Jacobian was computed numerically (see the notes), so no exact polynomial is given"
        elif not exact:
            cp_note = (
                "the fixed point is not rational (or none was found), so the Jacobian is known in floating "
                "point only; an exact characteristic polynomial would not be exact"
            )
        elif dim > max_charpoly_dim:
            cp_note = f"the tangent dimension {dim} exceeds {max_charpoly_dim}"
        else:
            cp = _exact_charpoly(jac, max_symbolic_dim=min(max_charpoly_dim, 12))
            if cp is None:
                cp_note = (
                    "the tangent Jacobian has irrational entries (powers of e) and dimension above 12, where "
                    "the symbolic determinant is too slow"
                )
    return Derivation(
        economy=econ,
        fixed_points=fps,
        steady_state=steady,
        exact=exact,
        point=point,
        at_steady_state=steady is not None,
        jacobian=jac,
        tangent_jacobian=tangent,
        eigenvalues=eig,
        charpoly=cp,
        charpoly_note=cp_note,
        verdicts=list(verdicts) if verdicts is not None else None,
        figure=figure,
        notes=notes,
    )


def derivation_document(
    econ,
    *,
    verdicts=None,
    seed: int = 0,
    figure: str | None = None,
    title: str | None = None,
    **options,
) -> str:
    """A complete, compilable LaTeX document of the derivation for ``econ`` (``geo-sym derive``).

    Parameters are those of :func:`derive`, plus ``title``.

    Returns
    -------
    str
        LaTeX source (``\\documentclass`` … ``\\end{document}``).
    """
    return derive(econ, verdicts=verdicts, seed=seed, figure=figure, **options).to_latex(title)


# ----------------------------------------------------------------------------- the document
def _document(d: Derivation, title: str | None) -> str:
    econ = d.economy
    title = title or f"Derivation for the economy {econ.name}"
    parts = [
        PREAMBLE,
        r"\title{%s}" % tex_text(title),
        r"\author{generated by geo-sym}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        _intro(d),
        _economy_section(econ),
        _map_section(econ),
        _steady_state_section(d),
        _jacobian_section(d),
        _tangent_section(d),
        _charpoly_section(d),
        _eigen_section(d),
        _verdict_section(d),
        r"\end{document}",
        "",
    ]
    return "\n\n".join(p for p in parts if p)


def _intro(d: Derivation) -> str:
    econ = d.economy
    text = (
        r"This document derives, for the economy \texttt{%s}, the objects of \emph{A General Equilibrium "
        r"Theory of Orchestrated AI Agent Systems} (arXiv 2602.21255) in closed form: the map "
        r"$\Phi_K$ (%s), its Jacobian at a steady state by blocks, the reduction to the tangent space of "
        r"$\Omega_K$, the characteristic polynomial and the eigenvalues%s. Exact quantities are rationals "
        r"(and $e$ to rational powers); numbers printed with decimals are floating point."
        % (
            tex_text(econ.name),
            "eq.~(10)--(12)" if econ.map_kind == "simultaneous" else "eq.~(13)",
            ", and the verdicts of the paper's claims recomputed on this economy" if d.verdicts else "",
        )
    )
    if d.notes:
        text += "\n\n" + "\n\n".join(r"\textbf{Note.} " + tex_text(n) for n in d.notes)
    return text


# -- 1. the economy
def _layers(econ) -> list[int]:
    """Layer of each agent: the number of agents on the longest path ending just before it."""
    g = econ.graph
    layer = [0] * econ.A
    for a in g.topological_order:
        for b in g.successors[a]:
            layer[b] = max(layer[b], layer[a] + 1)
    return layer


def _dag_picture(econ) -> str | None:
    """The DAG in LaTeX ``picture`` mode (layers left to right), or None when too large to draw."""
    from geo_sym.render.printer import latex_name

    A, edges = econ.A, econ.graph.edges
    layer = _layers(econ)
    n_layers = max(layer) + 1
    by_layer = [[a for a in range(A) if layer[a] == k] for k in range(n_layers)]
    tallest = max(len(v) for v in by_layer)
    if A > 20 or len(edges) > 60 or n_layers > 8 or tallest > 8:
        return None
    dx = min(3.2, 14.0 / max(1, n_layers - 1)) if n_layers > 1 else 0.0
    dy = 1.1
    width = dx * (n_layers - 1) + 3.0
    height = dy * (tallest - 1) + 1.0
    pos, half = {}, {}
    for k, agents in enumerate(by_layer):
        off = (tallest - len(agents)) * dy / 2.0
        for i, a in enumerate(agents):
            pos[a] = (1.5 + k * dx, height - 0.5 - off - i * dy)
            half[a] = 0.16 + 0.1 * len(econ.agent_names[a])
    out = [r"\begin{center}", r"\setlength{\unitlength}{1cm}", r"\begin{picture}(%.2f,%.2f)" % (width, height)]

    def seg(p, q):
        mx, my = (p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0
        return r"\qbezier(%.3f,%.3f)(%.3f,%.3f)(%.3f,%.3f)" % (p[0], p[1], mx, my, q[0], q[1])

    for i, j in edges:
        (x1, y1), (x2, y2) = pos[i], pos[j]
        p = (x1 + half[i], y1)
        q = (x2 - half[j], y2)
        vx, vy = q[0] - p[0], q[1] - p[1]
        norm = max((vx * vx + vy * vy) ** 0.5, 1e-9)
        ux, uy = vx / norm, vy / norm
        h, w = 0.18, 0.07
        out.append(seg(p, q))
        out.append(seg(q, (q[0] - h * ux - w * uy, q[1] - h * uy + w * ux)))
        out.append(seg(q, (q[0] - h * ux + w * uy, q[1] - h * uy - w * ux)))
    for a, (x, y) in pos.items():
        out.append(r"\put(%.3f,%.3f){\makebox(0,0){$%s$}}" % (x, y, latex_name(econ.agent_names[a])))
    out += [r"\end{picture}", r"\end{center}"]
    return "\n".join(out)


def _economy_section(econ) -> str:
    from geo_sym.render.printer import (
        MAX_LISTED_PATHS,
        GeoSymLatexPrinter,
        _price_mechanism_rows,
        _production_set_tex,
        _prop62_row,
        _vector,
        latex_name,
    )

    pr = GeoSymLatexPrinter(econ)
    A, K, P = econ.A, econ.K, econ.n_paths
    AK = A * K
    out = [r"\section{The economy}"]
    kind = (
        "simultaneous map $\\Phi_K$ (eq.~(10)--(12))"
        if econ.map_kind == "simultaneous"
        else "sequential map (eq.~(13))"
        + (", priced with the new prices $p'$" if econ.sequential_revenue == "new" else "")
    )
    out.append(
        r"The economy \texttt{%s} has $A = %d$ agents with $K = %d$ commodity coordinates each, "
        r"$|E| = %d$ edges, $|\mathcal{P}(G)| = %d$ maximal paths and depth $P = %d$ (agents on the "
        r"longest path). It iterates the %s." % (tex_text(econ.name), A, K, len(econ.graph.edges), P, econ.depth, kind)
    )
    if econ.metric_names is not None:
        out.append(
            r"Coordinates: $K = R \cdot F$ with metrics %s and $F = %d$ statistics per metric "
            r"(metric-major)."
            % (", ".join(r"\texttt{%s}" % tex_text(m) for m in econ.metric_names), econ.stats_per_metric)
        )
    # agents
    out.append(r"\subsection*{Agents, demand profiles and production sets}")
    out.append(
        r"Demand is linear in routing, $d_a(\pi) = w_a u_a$ with $w_a = \sum_{j \ni a} \pi_j$; "
        r"$Y_a$ is the production set (Assumption~1: $0 \in Y_a$)."
    )
    rows = [
        r"$%s$ & $%s$ & $%s$ \\" % (latex_name(n), _vector(pr, u), _production_set_tex(pr, s))
        for n, u, s in zip(econ.agent_names, econ.demand, econ.production_sets)
    ]
    out.append(
        "\\begin{longtable}{lll}\n\\toprule\nagent $a$ & $u_a$ & $Y_a$ \\\\\n\\midrule\n\\endhead\n"
        + "\n".join(rows)
        + "\n\\bottomrule\n\\end{longtable}"
    )
    # the DAG
    out.append(r"\subsection*{The DAG $G$ and its paths}")
    edges = [r"$%s \to %s$" % (pr.agent_label(i), pr.agent_label(j)) for i, j in econ.graph.edges]
    if edges:
        shown = edges[:200]
        out.append(
            r"Edges: " + ", ".join(shown) + (r", \dots{} (%d in all)." % len(edges) if len(edges) > len(shown) else ".")
        )
    else:
        out.append(r"There are no edges: every agent is a one-agent path.")
    layer = _layers(econ)
    n_layers = max(layer) + 1
    if econ.graph.edges:
        cells = [
            r"%d & %s \\" % (k + 1, ", ".join(r"$%s$" % pr.agent_label(a) for a in range(A) if layer[a] == k))
            for k in range(n_layers)
        ]
        out.append(
            r"Layers (agents grouped by the number of agents on the longest path ending at them):"
            "\n"
            "\\begin{longtable}{rp{13cm}}\n\\toprule\nlayer & agents \\\\\n\\midrule\n"
            + "\n".join(cells)
            + "\n\\bottomrule\n\\end{longtable}"
        )
    pic = _dag_picture(econ)
    if pic is not None and econ.graph.edges:
        out.append(pic)
    if P <= MAX_LISTED_PATHS:
        items = [
            r"$\pi_{%d}$: $%s$" % (j + 1, r" \to ".join(pr.agent_label(a) for a in path))
            for j, path in enumerate(econ.paths)
        ]
        out.append(
            r"Maximal paths $\mathcal{P}(G)$ in lexicographic order (their order in the state vector"
            + (
                r"; they are labelled by their agents below, e.g.\ $\pi_{%s}$" % pr.path_label(0)
                if pr.path_labels_by_name
                else ""
            )
            + "):\n\n"
            + r"; \ ".join(items)
            + "."
        )
    else:
        out.append(
            r"$|\mathcal{P}(G)| = %d$ maximal paths (not listed; the state vector orders them "
            r"lexicographically by agent indices)." % P
        )
    # the sets and the state space
    out.append(r"\subsection*{The state space}")
    simplex_p = econ.prices_on_simplex
    n = econ.state_size()
    tangent_dim = n - (1 if simplex_p else 0) - 1
    out.append(
        r"The state is $x = (y, p, \pi)$ with $y = (y_a)_a \in \prod_a Y_a \subset \mathbb{R}^{AK}$, "
        + (
            r"prices $p$ on the simplex $\Delta_p = \{p \ge 0,\ \sum_{a,k} p_{a,k} = 1\}$ "
            if simplex_p
            else r"prices $p = \mathcal{A}_K(y) \in \mathbb{R}^{AK}$ "
        )
        + r"and routing $\pi \in \Delta(\mathcal{P}(G))$: "
        r"$\Omega_K = \prod_a Y_a \times %s \times \Delta(\mathcal{P}(G))$, flattened as $y$ "
        r"(agent-major, then coordinate), $p$ likewise, then $\pi$ in path order: %d coordinates "
        r"($2AK + |\mathcal{P}(G)| = %d + %d + %d$); its tangent space has dimension %d."
        % (r"\Delta_p" if simplex_p else r"\mathbb{R}^{AK}", n, AK, AK, P, tangent_dim)
    )
    # parameters
    out.append(r"\subsection*{Parameters and price mechanism}")
    params = [r"\alpha = %s" % pr.doprint(econ.alpha)]
    if econ.beta is not None:
        params.append(r"\beta = %s" % pr.doprint(econ.beta))
    params.append(r"\tau = %s" % pr.doprint(econ.tau))
    out.append(r"\[ %s \]" % r",\qquad ".join(params))
    rows = _price_mechanism_rows(econ, pr)
    p62 = _prop62_row(econ, pr)
    if p62 is not None:
        rows.append(p62)
    out.append("\\begin{gather*}\n" + " \\\\\n".join(rows) + "\n\\end{gather*}")
    if econ.slo is not None:
        slo = econ.slo
        out.append(
            r"SLO weights enter the agent cost: $c_a = s_a + \lambda_1 \langle r_{\mathrm{lat}}, y_a \rangle "
            r"- \lambda_2 \langle r_{\mathrm{qual}}, y_a \rangle$ with $\lambda_1 = %s$, $\lambda_2 = %s$, "
            r"$r_{\mathrm{lat}} = %s$, $r_{\mathrm{qual}} = %s$."
            % (
                pr.doprint(slo.lambda_lat),
                pr.doprint(slo.lambda_qual),
                _vector(pr, slo.readout_lat),
                _vector(pr, slo.readout_qual),
            )
        )
    channels = getattr(econ, "shock_channels", ()) or ()
    if channels:
        out.append(
            r"Shock channels (eq.~(16)): "
            + ", ".join(
                r"\texttt{%s} (%s%s)"
                % (
                    tex_text(c.name),
                    tex_text(c.kind),
                    "" if c.agents is None else " of " + ", ".join(r"$%s$" % pr.agent_label(a) for a in c.agents),
                )
                for c in channels
            )
            + "."
        )
    taylor = getattr(econ, "taylor", None)
    if taylor:
        out.append(
            r"Taylor-rule SLO policy (eq.~(18)--(19)): $\phi_{\mathrm{lat}} = %s$, $\phi_{\mathrm{qual}} = %s$, "
            r"the weights held at or above the floors $%s$ and $%s$."
            % (_num(taylor.phi_lat), _num(taylor.phi_qual), _num(taylor.floor_lat), _num(taylor.floor_qual))
        )
    return "\n\n".join(out)


# -- 2. the map
def _map_section(econ) -> str:
    from geo_sym.render.printer import map_latex

    out = [r"\section{The map in closed form}"]
    AK, P = econ.A * econ.K, econ.n_paths
    out.append(
        r"The first lines state the map in vector form with this economy's parameters; below them, "
        r"every coordinate is written out for this economy (when $AK$ and $|\mathcal{P}(G)|$ are at most "
        r"16). $\operatorname{Proj}$, $\max(0,\cdot)$ and $\operatorname{normalize}$ are the non-smooth "
        r"pieces; at a point, the Jacobian below is taken on the branch active there. Long right-hand "
        r"sides continue on the next line."
    )
    out.append(_align(map_latex(econ)))
    if AK > 16 or P > 16:
        out.append(
            r"The coordinates are not written out ($AK = %d$, $|\mathcal{P}(G)| = %d$); the vector form "
            r"above is exact for every coordinate." % (AK, P)
        )
    return "\n\n".join(out)


# -- 3. the steady state
def _state_table(econ, x, pr, exact: bool) -> str:
    from geo_sym.render.printer import MAX_LISTED_PATHS, latex_name

    A = econ.A

    def fmt(v):
        return pr.doprint(v) if exact else _num(v)

    def vec(row):
        vals = [fmt(v) for v in row]
        return vals[0] if len(vals) == 1 else r"\left(%s\right)" % ", ".join(vals)

    rows = [
        r"$%s$ & $%s$ & $%s$ \\" % (latex_name(econ.agent_names[a]), vec(x.y[a]), vec(x.p[a]))
        for a in range(min(A, 200))
    ]
    tab = (
        "\\begin{longtable}{lll}\n\\toprule\nagent $a$ & $y^*_a$ & $p^*_a$ \\\\\n\\midrule\n\\endhead\n"
        + "\n".join(rows)
        + "\n\\bottomrule\n\\end{longtable}"
    )
    if A > 200:
        tab += "\n\n(first 200 of %d agents shown)" % A
    P = econ.n_paths
    shown = min(P, MAX_LISTED_PATHS)
    items = [r"$\pi^*_{%s} = %s$" % (pr.path_label(j), fmt(x.pi[j])) for j in range(shown)]
    routing = r"Routing: " + ", ".join(items) + (r", \dots{} (%d paths)." % P if P > shown else ".")
    return tab + "\n\n" + routing


def _active_text(econ, active) -> str:
    if active is None:
        return ""
    d = active.to_dict(econ)
    lo, hi = d.get("y_at_lower", []), d.get("y_at_upper", [])
    parts = [f"{len(lo) + len(hi)} production coordinate(s) at a bound of $Y_a$"]
    if "p_zeroed" in d:
        parts.append(f"{len(d['p_zeroed'])} price(s) cut to zero by $\\max(0,\\cdot)$")
    text = "Active set at this point: " + ", ".join(parts) + "."
    clamped = [str(c) for c in lo + hi][:12]
    if clamped:
        text += " Clamped: " + tex_text(", ".join(clamped)) + ("." if len(lo) + len(hi) <= 12 else ", ...")
    if d.get("at_kink"):
        text += (
            r" \textbf{The point lies on a kink} of a non-smooth piece: the map is not differentiable there "
            r"and the free branch is used below."
        )
    return text


def _steady_state_section(d: Derivation) -> str:
    from geo_sym.render.printer import GeoSymLatexPrinter

    econ = d.economy
    pr = GeoSymLatexPrinter(econ)
    out = [r"\section{Steady state}"]
    fps = d.fixed_points
    if not fps:
        out.append(
            r"No fixed point of the map was found from the centre state and the seeded random starts "
            r"(iteration, then Newton steps in tangent coordinates). The Jacobian below is taken at the "
            r"centre state $x_0$ ($y = 0$, uniform prices and routing), which is \emph{not} a steady state."
        )
        return "\n\n".join(out)
    msg = (
        r"Fixed points $x^* = \Phi_K(x^*)$ were searched from the centre state and seeded random starts "
        r"(iteration, then Newton steps in tangent coordinates, residual $\le 10^{-11}$). "
    )
    if len(fps) == 1:
        msg += r"All starts reached the same fixed point."
    else:
        flat = np.array([f.state.flat().astype(float) for f in fps])
        spread = max(np.linalg.norm(a - b) for a in flat for b in flat)
        msg += (
            r"They reached %d distinct fixed points (farther apart than $10^{-6}$; largest distance "
            r"$%s$): the equilibrium is not unique here, or the fixed points form a continuum. The one "
            r"reached from the centre state is used below." % (len(fps), _num(spread, 4))
        )
    out.append(msg)
    if d.exact:
        out.append(
            r"It is \textbf{exact}: rounding it to rationals and evaluating $\Phi_K$ in exact arithmetic "
            r"gives back the same point, so $\Phi_K(x^*) = x^*$ holds exactly (a proof, not a tolerance)."
        )
    else:
        out.append(
            r"It is not rational (or its rational rounding is not a fixed point), so it is given in "
            r"floating point (residual $%s$)." % _num(fps[0].residual, 3)
        )
    out.append(_state_table(econ, d.steady_state, pr, d.exact))
    if d.jacobian is not None:
        out.append(_active_text(econ, d.jacobian.active))
    return "\n\n".join(out)


# -- 4. Jacobian blocks
_BLOCK_NOTE = (
    r"Rows are the outputs $(y', p', \pi')$ and columns the inputs $(y, p, \pi)$, in the state order "
    r"of Section~1. An all-zero block is written $0$. A block with more than 8 rows or columns is not "
    r"printed as a wall of numbers: it is summarised by its shape and number of non-zero entries "
    r"(\texttt{geo-sym jacobian ECONOMY --at STATE --json} gives every entry). Where an exact entry "
    r"would be too long, the block is shown to 6 digits and written with $\approx$."
)


def _jacobian_section(d: Derivation) -> str:
    from geo_sym.render.printer import jacobian_blocks_latex

    out = [r"\section{The Jacobian $D\Phi_K(x^*)$ by blocks}"]
    if d.jacobian is None:
        out.append(r"Not computed (see the notes above).")
        return "\n\n".join(out)
    where = (
        "at the exact fixed point $x^*$"
        if d.exact
        else ("at the fixed point $x^*$ (floating point)" if d.at_steady_state else "at the centre state $x_0$")
    )
    how = (
        "exactly (SymPy, block forward accumulation along the stages of the map)"
        if d.jacobian_exact
        else "from the exact formulas in floating point (no finite differences)"
    )
    out.append(r"The Jacobian %s, computed %s, on the branch active there. %s" % (where, how, _BLOCK_NOTE))
    out.append(_align(jacobian_blocks_latex(d.jacobian, d.economy)))
    return "\n\n".join(out)


# -- 5. tangent space
def _tangent_section(d: Derivation) -> str:
    from geo_sym.render.printer import jacobian_blocks_latex, matrix_latex

    econ = d.economy
    out = [r"\section{Reduction to the tangent space}"]
    simplex = ["routing $\\pi$ (on $\\Delta(\\mathcal{P}(G))$)"]
    if econ.prices_on_simplex:
        simplex.insert(0, "prices $p$ (on $\\Delta_p$)")
    out.append(
        r"The %s live%s on simplices, so the map moves them only in sum-zero directions, and the "
        r"normalisation would add artificial eigenvalues to the full Jacobian $J$. For a simplex block of "
        r"size $m$ let $T$ have the columns $e_i - e_m$ ($i < m$) and let $T^+$ drop the last coordinate; "
        r"then $T^+ T = I$, and since $J$ maps tangent directions to tangent directions, $J_T = T^+ J T$ "
        r"has exactly the eigenvalues of $J$ restricted to the tangent space. $T$ and $T^+$ are rational, "
        r"so exact Jacobians stay exact. Other blocks are left as they are."
        % (" and the ".join(simplex), "" if len(simplex) > 1 else "s")
    )
    n = econ.state_size()
    m_t = n - (1 if econ.prices_on_simplex else 0) - 1
    out.append(r"Here the state has %d coordinates and the tangent space %d." % (n, m_t))
    P = econ.n_paths
    if 2 <= P <= 6:
        T = sp.zeros(P, P - 1)
        for i in range(P - 1):
            T[i, i] = 1
            T[P - 1, i] = -1
        out.append(
            r"For the routing block ($m = |\mathcal{P}(G)| = %d$): \[ T_\pi = %s,\qquad T_\pi^+ = %s. \]"
            % (P, matrix_latex(T), matrix_latex(sp.eye(P)[: P - 1, :]))
        )
    if d.tangent_jacobian is None:
        out.append(r"The tangent Jacobian was not computed (see the notes above).")
        return "\n\n".join(out)
    if d.tangent_jacobian.shape[0] == 0:
        out.append(r"The tangent space is $\{0\}$.")
        return "\n\n".join(out)
    out.append(
        r"The blocks of $J_T = T^+ D\Phi_K T$ (rows and columns as before, one coordinate fewer per simplex "
        r"block):"
    )
    out.append(_align(jacobian_blocks_latex(d.tangent_jacobian, econ)))
    return "\n\n".join(out)


# -- 6. characteristic polynomial
def _rational_poly(poly):
    """The polynomial over ``QQ`` when all coefficients are rational, else None."""
    coeffs = [sp.nsimplify(c) if not isinstance(c, sp.Basic) else c for c in poly.all_coeffs()]
    if not all(isinstance(c, sp.Rational) for c in coeffs):
        return None
    return sp.Poly(coeffs, poly.gens[0], domain="QQ")


def _factor_tex(poly_qq) -> tuple[str, list]:
    """``(latex of the factorisation over Q, [(factor Poly, multiplicity)])``."""
    from geo_sym.render.printer import GeoSymLatexPrinter

    pr = GeoSymLatexPrinter()
    lam = poly_qq.gens[0]
    lc, factors = poly_qq.factor_list()
    pieces = []
    if lc != 1:
        pieces.append(pr.doprint(lc))
    for f, m in factors:
        body = pr.doprint(f.as_expr())
        tex = body if (f.as_expr() == lam) else r"\left(%s\right)" % body
        pieces.append(tex + (r"^{%d}" % m if m > 1 else ""))
    return (r" \, ".join(pieces) if pieces else "1"), list(factors)


def _roots_from_factors(factors) -> list[tuple]:
    """``[(root, |root|, multiplicity, exact)]``: exact roots of factors of degree ≤ 2, numeric otherwise."""
    out = []
    for f, m in factors:
        if f.degree() <= 2:
            for r, k in sp.roots(f, multiple=False).items():
                z = complex(sp.N(r, 30))
                out.append((r, abs(z), m * k, True))
        else:
            for r in f.nroots(n=20):
                z = complex(r)
                out.append((z, abs(z), m, False))
    out.sort(key=lambda t: (-t[1], -complex(sp.N(t[0]) if t[3] else t[0]).real))
    return out


def _charpoly_section(d: Derivation) -> str:
    from geo_sym.render.printer import _pack, charpoly_latex

    out = [r"\section{Characteristic polynomial}"]
    if d.charpoly is None:
        out.append(
            r"The exact characteristic polynomial of $J_T$ is not given: %s. The eigenvalues below are "
            r"numeric." % tex_text(d.charpoly_note)
        )
        return "\n\n".join(out)
    out.append(
        r"The characteristic polynomial $\chi(\lambda) = \det(\lambda I - J_T)$ of the tangent Jacobian, "
        r"computed exactly (coefficients in $\mathbb{Q}$ and, at most, $e$ to rational powers):"
    )
    out.append(_align(charpoly_latex(d.charpoly)))
    qq = _rational_poly(d.charpoly)
    if qq is not None:
        tex, _ = _factor_tex(qq)
        chunks = [c for c in tex.split(r" \, ")]
        lines = _pack(chunks, 90)
        if len(lines) == 1:
            out.append(r"Factorised over $\mathbb{Q}$: \[ \chi(\lambda) = %s. \]" % lines[0])
        else:
            body = "\\chi(\\lambda) &= " + lines[0] + "".join(" \\\\\n&\\quad \\cdot " + ln for ln in lines[1:])
            out.append("Factorised over $\\mathbb{Q}$:\n\\begin{align*}\n%s.\n\\end{align*}" % body)
    return "\n\n".join(out)


# -- 7. eigenvalues
def _group_numeric(eig, tol: float = 1e-6):
    out = []
    for z in eig:
        for g in out:
            if abs(g[0] - z) <= tol * max(1.0, abs(z)):
                g[1] += 1
                break
        else:
            out.append([complex(z), 1])
    return out


def _eigen_section(d: Derivation) -> str:
    from geo_sym.render.printer import GeoSymLatexPrinter

    econ = d.economy
    out = [r"\section{Eigenvalues and stability}"]
    eig = d.eigenvalues
    if not len(eig):
        out.append(r"No eigenvalues (no Jacobian, or a zero-dimensional tangent space).")
        return "\n\n".join(out)
    pr = GeoSymLatexPrinter()
    qq = _rational_poly(d.charpoly) if d.charpoly is not None else None
    rows = []
    if qq is not None:
        roots = _roots_from_factors(_factor_tex(qq)[1])
        for r, mod, mult, exact in roots:
            rows.append((pr.doprint(r) if exact else _complex_tex(r), _num(mod), mult))
        n_exact = sum(1 for t in roots if t[3])
        out.append(
            r"Eigenvalues of $J_T$ from the factorisation of $\chi$ over $\mathbb{Q}$, with exact "
            r"multiplicities%s:"
            % ("" if n_exact == len(roots) else r" (roots of factors of degree 3 or more are numeric)")
        )
    else:
        for z, m in _group_numeric(eig):
            rows.append((_complex_tex(z), _num(abs(z)), m))
        out.append(
            r"Eigenvalues of $J_T$ (floating point; values within $10^{-6}$ merged, so the multiplicity of a "
            r"defective eigenvalue may show as several nearby values)."
        )
    shown = rows[:40]
    tab = "\n".join(r"%d & $%s$ & $%s$ & %d \\" % (k + 1, z, m_, mult) for k, (z, m_, mult) in enumerate(shown))
    out.append(
        "\\begin{longtable}{rllr}\n\\toprule\n & $\\lambda$ & $|\\lambda|$ & mult. \\\\\n\\midrule\n"
        "\\endhead\n"
        + tab
        + "\n\\bottomrule\n\\end{longtable}"
        + ("\n(%d more not shown)" % (len(rows) - len(shown)) if len(rows) > len(shown) else "")
    )
    rho = d.spectral_radius
    tol = 1e-9
    if rho < 1 - tol:
        stab = (
            r"$\rho < 1$: the point is locally asymptotically stable, and perturbations decay like $\rho^n$ "
            r"(Section~7.1)."
        )
    elif rho <= 1 + tol:
        stab = (
            r"$\rho = 1$ (to $10^{-9}$): some direction neither grows nor decays at first order (for example "
            r"along a continuum of fixed points); linearisation does not decide stability."
        )
    else:
        stab = r"$\rho > 1$: the point is unstable for the iteration of $\Phi_K$."
    txt = r"Spectral radius $\rho(J_T) = %s$. %s" % (_num(rho, 8), stab)
    pm = econ.price_mechanism
    if pm.kind == "linear":
        gamma = pm.spectral_norm_exact
        if gamma is not None:
            lam = (1 - econ.alpha) * gamma * econ.depth / econ.tau
            lam_tex, lam_f = pr.doprint(lam), float(lam)
        else:
            lam_f = (1 - float(econ.alpha)) * pm.spectral_norm * econ.depth / float(econ.tau)
            lam_tex = _num(lam_f)
        rel = ">" if rho > lam_f + 1e-12 else r"\le"
        txt += (
            r" The rate of Proposition~6.2 is $\lambda = (1-\alpha)\gamma_{\mathcal{A}} P/\tau = %s$, and "
            r"$\rho %s \lambda$." % (lam_tex, rel)
        )
        if rho > lam_f + 1e-12:
            txt += (
                r" Since $\rho(J) \le \|J\|$ for every operator norm, $\|D\Phi_K(x^*)\| \ge \rho > \lambda$: the "
                r"bound $\|D\Phi_K\|_{\mathrm{op}} \le \lambda$ fails at this point."
            )
    else:
        txt += (
            r" The price mechanism is the t\^atonnement (11), not a linear $\mathcal{A}_K$, so the rate "
            r"$(1-\alpha)\gamma_{\mathcal{A}}P/\tau$ of Proposition~6.2 is not defined here."
        )
    out.append(txt)
    if d.figure:
        out.append(
            "\\begin{center}\n\\includegraphics[width=0.55\\textwidth]{%s}\n\\end{center}\n"
            "Eigenvalues of $J_T$ in the complex plane against the unit circle." % d.figure
        )
    return "\n\n".join(out)


# -- 8. verdicts
_STATUS_TEX = {
    "proved": r"\textbf{proved}",
    "refuted": r"\textbf{refuted}",
    "certified": r"\textbf{certified}",
    "supported": "supported",
    "inconclusive": "inconclusive",
}


def _verdict_section(d: Derivation) -> str:
    if d.verdicts is None:
        return ""
    out = [
        r"\section{The paper's claims on this economy}",
        r"Each claim checked by computation on this economy (\texttt{geo-sym check ECONOMY.yaml}; "
        r"\texttt{--latex FILE} gives each claim's statement, derivation and witness). \textbf{proved}: exact "
        r"identity or exact computation, possibly under the extra hypotheses the report lists; "
        r"\textbf{refuted}: an exact counterexample, re-checked by independent code (\texttt{geo-sym verify}); "
        r"supported: seeded numeric evidence; inconclusive: not decided, for the reason given.",
    ]
    rows = [
        r"\texttt{%s} & %s & %s \\"
        % (tex_text(v.id), _STATUS_TEX.get(v.status, tex_text(v.status)), tex_text(v.reason))
        for v in d.verdicts
    ]
    counts = {}
    for v in d.verdicts:
        counts[v.status] = counts.get(v.status, 0) + 1
    out.append(
        "\\begin{longtable}{lp{2cm}p{12cm}}\n\\toprule\nclaim & status & reason \\\\\n\\midrule\n\\endhead\n"
        + "\n".join(rows)
        + "\n\\bottomrule\n\\end{longtable}"
    )
    out.append("In all: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".")
    return "\n\n".join(out)
