"""The result of the region engine: inequalities, the numeric check, and :class:`RegionResult`.

A :class:`RegionResult` is a frozen dataclass with a one-line ``__repr__``; ``to_dict()`` gives the
JSON of ``geo-sym determinacy``/``geo-sym region``, ``to_frame()`` a table, ``plot()`` a figure and
``_repr_latex_`` the LaTeX of :mod:`geo_sym.render.regions` (through :mod:`geo_sym.display`).
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field

import sympy as sp

from geo_sym.display import LatexDisplay
from geo_sym.errors import ValidationError
from geo_sym.rigorous.schur import BOUNDARY

__all__ = ["Inequality", "RegionCheck", "RegionResult", "EXCLUDED", "BOUNDARY", "unicode_name"]

#: the class of points where the input is undefined (a denominator vanishes)
EXCLUDED = "excluded"


def unicode_name(name: str) -> str:
    """A parameter name for prose: a Greek base as its letter, the rest as written (``phi_lat`` -> ``φ_lat``)."""
    from sympy.printing.pretty.pretty_symbology import greek_unicode

    base, sep, rest = str(name).partition("_")
    return greek_unicode.get(base, base) + sep + rest


@dataclass(frozen=True)
class Inequality:
    """``expr > 0`` (``strict``) or ``expr >= 0``; ``expr`` a polynomial in the parameters."""

    expr: sp.Expr
    strict: bool

    def __str__(self) -> str:
        return f"{sp.sstr(self.expr)} {'>' if self.strict else '>='} 0"

    def __repr__(self) -> str:
        return f"Inequality({self})"

    def latex(self) -> str:
        return sp.latex(self.expr) + (" > 0" if self.strict else r" \geq 0")

    def text(self) -> str:
        """For prose: ``3τ − 4 > 0`` (Greek names as letters, a number's product implicit, ``·`` otherwise)."""
        expr = self.expr.xreplace({s: sp.Symbol(unicode_name(s.name)) for s in self.expr.free_symbols})
        body = re.sub(r"(?<![\w.])(\d+)\*(?=[^\d\s])", r"\1", sp.sstr(expr)).replace("**", "^").replace("*", "·")
        body = re.sub(r"(^|[\s(])-", r"\1−", body.replace(" - ", " − "))
        return f"{body} {'>' if self.strict else '≥'} 0"

    def holds(self, values: dict) -> bool:
        """Exact test at a point (``values``: symbol or name -> rational)."""
        subs = {_sym(k): sp.Rational(v) for k, v in values.items()}
        v = self.expr.xreplace({s: subs[s] for s in self.expr.free_symbols if s in subs})
        return bool(v > 0) if self.strict else bool(v >= 0)


def _sym(k):
    return k if isinstance(k, sp.Symbol) else sp.Symbol(str(k), real=True)


@dataclass(frozen=True)
class RegionCheck:
    """The numeric check of a region result at seeded random points.

    Attributes
    ----------
    points : int
        Points drawn in the window.
    agreed : int
        Points where the published inequalities and the numeric classification give the same class.
    skipped : int
        Points too close to the boundary (a modulus within :data:`NEAR_CIRCLE` of 1, or an atom
        within rounding of 0) to be compared in floating point.
    seed : int
    """

    points: int
    agreed: int
    skipped: int
    seed: int

    def to_dict(self) -> dict:
        return {"points": self.points, "agreed": self.agreed, "skipped_near_boundary": self.skipped, "seed": self.seed}


@dataclass(frozen=True, eq=False)
class RegionResult(LatexDisplay):
    """Exact regions of parameter space, one per class, plus the boundary and the excluded points.

    Attributes
    ----------
    kind : str
        ``"stability"`` or ``"determinacy"``.
    params : tuple of str
        The free parameters (one or two).
    labels : tuple of str
        The classes, in display order.
    regions : dict
        Class -> tuple of alternatives, each a tuple of :class:`Inequality` (their conjunction).
        Each region is exact within the domain (the bounds, where the input is defined).
    boundary : tuple
        Alternatives of the set where some root lies on the unit circle.
    excluded : tuple
        Alternatives of the set where the input is undefined (a denominator vanishes).
    domain : tuple of Inequality
        The bounds.
    fixed : dict
        Parameters held at their values (name -> exact value as text).
    polynomial : sympy.Expr
        The polynomial whose roots were located, in ``variable``.
    factors : tuple
        Its factors over ``Q(θ)`` with multiplicities.
    n_cells : int
        Cells of the decomposition inside the domain.
    check : RegionCheck
    notes : tuple of str
        What was held fixed and why, and other facts the answer depends on.
    context : dict
        Extra JSON-ready facts (fixed point, eliminated variables, ...).
    window : dict
        Parameter -> (lo, hi) used for the numeric check and plots.
    """

    kind: str
    params: tuple
    labels: tuple
    regions: dict
    boundary: tuple
    excluded: tuple
    domain: tuple
    fixed: dict
    polynomial: sp.Expr
    variable: sp.Symbol
    factors: tuple
    n_cells: int
    check: RegionCheck
    notes: tuple = ()
    context: dict = field(default_factory=dict)
    window: dict = field(default_factory=dict)
    symbols: tuple = field(default=(), repr=False)
    atoms: tuple = field(default=(), repr=False)
    sign_table: dict = field(default_factory=dict, repr=False)
    classifier: object = field(default=None, repr=False)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}: {len(v)}" for k, v in self.regions.items())
        return f"RegionResult({self.kind}, params={list(self.params)}, {sizes}, boundary: {len(self.boundary)})"

    def classify(self, **values) -> str:
        """The class of a parameter point, exactly (rational values), from the sign table.

        Returns a class label, ``"boundary"``, or ``"excluded"``; raises
        :class:`~geo_sym.errors.ValidationError` outside the domain.
        """
        missing = [p for p in self.params if p not in values]
        if missing or set(values) - set(self.params):
            raise ValidationError("point", values, f"values for exactly the parameters {list(self.params)}")
        subs = {s: sp.Rational(values[str(s)]) for s in self.symbols}
        signs = tuple(int(sp.sign(a.as_expr().xreplace(subs))) for a in self.atoms)
        if signs not in self.sign_table:
            raise ValidationError("point", values, "a point inside the domain " + ", ".join(map(str, self.domain)))
        return self.sign_table[signs]

    def to_dict(self) -> dict:
        """JSON-ready: ``params``, ``fixed``, ``regions``, ``boundary`` (lists of lists of strings) and more."""

        def alts(a):
            return [[str(q) for q in term] for term in a]

        out = {
            "kind": self.kind,
            "params": list(self.params),
            "fixed": dict(self.fixed),
            "domain": [str(q) for q in self.domain],
            "regions": {k: alts(v) for k, v in self.regions.items()},
            "boundary": alts(self.boundary),
            "excluded": alts(self.excluded),
            "polynomial": sp.sstr(sp.Mul(*[f**m for f, m in self.factors])) if self.factors else "1",
            "variable": str(self.variable),
            "factors": [{"factor": sp.sstr(f), "multiplicity": int(m)} for f, m in self.factors],
            "cells": self.n_cells,
            "check": self.check.to_dict(),
            "notes": list(self.notes),
        }
        out.update(self.context)
        return out

    def to_frame(self):
        """One row per inequality: ``region``, ``alternative``, ``inequality`` (pandas, imported lazily)."""
        import pandas as pd

        rows = []
        for name, alts in list(self.regions.items()) + [(BOUNDARY, self.boundary), (EXCLUDED, self.excluded)]:
            for k, term in enumerate(alts):
                for q in term or (None,):
                    rows.append({"region": name, "alternative": k, "inequality": "(all)" if q is None else str(q)})
        return pd.DataFrame(rows, columns=["region", "alternative", "inequality"])

    def plot(self, path=None, **kwargs):
        """The regions in the parameter plane (or line): numeric classes on a grid, exact boundary on top.

        See :func:`geo_sym.render.regions.plot_regions` (loaded by name: presentation code lives
        above this layer). Returns the figure; with ``path`` it is also saved (vector for
        ``.pdf``/``.svg``, 300 dpi otherwise).
        """
        return importlib.import_module("geo_sym.render.regions").plot_regions(self, path=path, **kwargs)
