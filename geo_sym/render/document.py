r"""The derivation document of an economy (``geo-sym derive``).

:func:`derive` computes everything the document shows and returns a :class:`Derivation`;
:meth:`Derivation.to_latex` (or :func:`derivation_document`) turns it into a complete,
compilable LaTeX document:

1. the economy: agents with their demand profiles ``u_a`` and production sets ``Y_a``,
   the DAG (drawn in LaTeX's ``picture`` mode when small, as a figure), its maximal paths
   ``P(G)``, the state space ``Ω_K``, the parameters and the price mechanism;
2. each component of the map in closed form for this economy (eq. (10)–(12) or (13));
3. the steady state: fixed points from seeded starts
   (:func:`geo_sym.solve.fixed_point.find_fixed_points`), exact when rational
   (:func:`geo_sym.solve.fixed_point.exact_fixed_point`, proved by exact evaluation);
4. the Jacobian ``DΦ_K(x*)`` by named blocks written by their structure (``cI``, zero blocks,
   common factors, rank one, one block per agent), large unstructured blocks as labelled tables;
5. the tangent-space reduction ``T⁺ J T`` (simplex blocks in sum-zero coordinates);
6. the characteristic polynomial (exact, when the tangent dimension is small) and its
   factorisation over ``Q``;
7. the eigenvalues, the spectral radius against the rate ``(1 − α) γ_A P / τ`` of
   Proposition 6.2, and the eigenvalue figure when one is given;
8. a summary of the claim verdicts recomputed on this economy
   (:func:`proofs.claims.registry.run_checks`), reasons typeset;

and, last, the provenance paragraph (version, seed, date, the economy file's hash): the only
part of the document that depends on the run. The building blocks (preamble, figures, tables)
are in :mod:`geo_sym.render.latex_blocks`; compilation is :func:`geo_sym.render.pdf.compile_pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

__all__ = ["Derivation", "derive", "derivation_document"]


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
    figures : tuple of Figure
        Figures to include (:class:`geo_sym.render.latex_blocks.Figure`); the eigenvalue figure has the
        label ``fig:eigenvalues`` and is placed in Section 7.
    notes : list of str
    n_starts : int
        Seeded random starts of the fixed-point search (besides the centre state).
    provenance : dict or None
        Printed once, at the end (:func:`geo_sym.render.provenance.provenance`).
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
    figures: tuple = ()
    notes: list = field(default_factory=list)
    n_starts: int = 4
    provenance: dict | None = None

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

    @property
    def fixed_point_spread(self) -> float:
        """The largest distance between two of the fixed points found (0 for one)."""
        flat = [f.state.flat().astype(float) for f in self.fixed_points]
        return max((float(np.linalg.norm(a - b)) for a in flat for b in flat), default=0.0)

    def to_latex(self, title: str | None = None) -> str:
        """The complete document (see :func:`derivation_document`)."""
        return _document(self, title)


# ----------------------------------------------------------------------------- the computation
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


def _steady(econ, n_starts: int, seed: int, max_state: int, notes: list):
    """``(fixed points, steady state or None, exact)`` from the centre and seeded starts."""
    from geo_sym.solve.fixed_point import exact_fixed_point, find_fixed_points

    n = econ.state_size()
    if n > max_state:
        notes.append(
            f"the state has {n} coordinates (more than {max_state}): no fixed-point search or Jacobian "
            "here; use geo-sym fixed-points and geo-sym jacobian --reduced"
        )
        return [], None, False
    fps = find_fixed_points(econ, n_starts=n_starts, seed=seed)
    if not fps:
        return fps, None, False
    ex = exact_fixed_point(econ, fps[0].state)
    return (fps, ex, True) if ex is not None else (fps, fps[0].state, False)


def _linearise(econ, point, exact: bool, max_exact: int, notes: list):
    """``(Jacobian, tangent Jacobian, eigenvalues by decreasing modulus)`` at ``point``."""
    from geo_sym.economy.state import tangent_chart
    from geo_sym.errors import DegenerateNormalizationError, DomainError
    from geo_sym.maps.jacobian import numeric_jacobian

    n = econ.state_size()
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
            tangent = Jt = tangent_chart(econ).restrict(jac.dense())
    except (DegenerateNormalizationError, DomainError) as exc:
        notes.append(f"the map is not differentiable at the point used: {exc}")
        return None, None, np.zeros(0, dtype=complex)
    eig = np.linalg.eigvals(Jt) if Jt.size else np.zeros(0, dtype=complex)
    return jac, tangent, eig[np.argsort(-np.abs(eig), kind="stable")]


def _charpoly_for(jac, tangent, exact: bool, n: int, max_exact: int, max_charpoly_dim: int):
    """``(χ or None, why not)``."""
    dim = 0 if tangent is None else tangent.shape[0]
    if jac is None:
        return None, "no Jacobian at this point"
    if exact and n > max_exact:
        return None, "the Jacobian was computed numerically (see the notes), so no exact polynomial is given"
    if not exact:
        return None, (
            "the fixed point is not rational (or none was found), so the Jacobian is known in floating "
            "point only; an exact characteristic polynomial would not be exact"
        )
    if dim > max_charpoly_dim:
        return None, f"the tangent dimension {dim} exceeds {max_charpoly_dim}"
    cp = _exact_charpoly(jac, max_symbolic_dim=min(max_charpoly_dim, 12))
    if cp is None:
        return None, (
            "the tangent Jacobian has irrational entries (powers of e) and dimension above 12, where the "
            "symbolic determinant is too slow"
        )
    return cp, ""


def derive(
    econ,
    *,
    verdicts=None,
    seed: int = 0,
    n_starts: int = 4,
    max_charpoly_dim: int = 40,
    max_exact: int = 150,
    max_state: int = 2000,
    figures=(),
    provenance: dict | None = None,
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
    figures : sequence of Figure
        Figures to include (paths as LaTeX sees them, relative to the ``.tex`` file).
    provenance : dict, optional
        The closing provenance paragraph (:func:`geo_sym.render.provenance.provenance`).

    Returns
    -------
    Derivation
    """
    from geo_sym.solve.fixed_point import center_state

    notes: list[str] = []
    fps, steady, exact = _steady(econ, n_starts, seed, max_state, notes)
    point = steady if steady is not None else center_state(econ)
    jac, tangent, eig, cp, cp_note = None, None, np.zeros(0, dtype=complex), None, ""
    n = econ.state_size()
    if n <= max_state:
        jac, tangent, eig = _linearise(econ, point, exact, max_exact, notes)
        cp, cp_note = _charpoly_for(jac, tangent, exact, n, max_exact, max_charpoly_dim)
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
        figures=tuple(figures),
        notes=notes,
        n_starts=n_starts,
        provenance=provenance,
    )


def derivation_document(econ, *, verdicts=None, seed: int = 0, title: str | None = None, **options) -> str:
    """A complete, compilable LaTeX document of the derivation for ``econ`` (``geo-sym derive``).

    Parameters are those of :func:`derive`, plus ``title``.

    Returns
    -------
    str
        LaTeX source (``\\documentclass`` … ``\\end{document}``).
    """
    return derive(econ, verdicts=verdicts, seed=seed, **options).to_latex(title)


# ----------------------------------------------------------------------------- the document
def _document(d: Derivation, title: str | None) -> str:
    from geo_sym.render.derivation_sections import economy_section, map_section, steady_state_section
    from geo_sym.render.latex_blocks import document
    from geo_sym.render.provenance import provenance_latex
    from geo_sym.render.spectrum_sections import (
        charpoly_section,
        eigen_section,
        jacobian_section,
        tangent_section,
        verdict_section,
    )

    econ = d.economy
    others = [f.latex() for f in d.figures if f.label != "fig:eigenvalues"]
    body = [
        _intro(d),
        economy_section(econ),
        map_section(econ),
        steady_state_section(d),
        jacobian_section(d),
        tangent_section(d),
        charpoly_section(d),
        eigen_section(d),
        *others,
        verdict_section(d),
        provenance_latex(d.provenance) if d.provenance else "",
    ]
    return document(title or f"Derivation for the economy {econ.name}", body)


def _intro(d: Derivation) -> str:
    from geo_sym.render.latex_text import tt_text
    from geo_sym.render.mathtext import prose_latex

    econ = d.economy
    text = (
        r"This document derives, for the economy %s, the objects of \emph{A General Equilibrium "
        r"Theory of Orchestrated AI Agent Systems} (arXiv 2602.21255) in closed form: the map "
        r"$\Phi_K$ (%s), its Jacobian at a steady state by blocks, the reduction to the tangent space of "
        r"$\Omega_K$, the characteristic polynomial and the eigenvalues%s. Exact quantities are rationals "
        r"(and $e$ to rational powers); numbers printed with decimals are floating point."
        % (
            tt_text(econ.name),
            "eq.~(10)--(12)" if econ.map_kind == "simultaneous" else "eq.~(13)",
            ", and the verdicts of the paper's claims recomputed on this economy" if d.verdicts else "",
        )
    )
    if d.notes:
        text += "\n\n" + "\n\n".join(r"\textbf{Note.} " + prose_latex(n) for n in d.notes)
    return text
