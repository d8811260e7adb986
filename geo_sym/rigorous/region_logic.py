"""Sign conditions, their exact bookkeeping, and short unions of conjunctions that describe a region.

A *sign vector* gives the sign (−1, 0, +1) of each atom polynomial at a point; the cells of a
cylindrical decomposition realize exactly the finitely many sign vectors that occur
(:mod:`geo_sym.rigorous.cad`). A region is a set of realizable sign vectors. :func:`minimize`
writes it as a union of *terms*, each term allowing a set of signs per atom, chosen among the
sets a single inequality (or a pair, for ``= 0``) can express: ``p > 0``, ``p < 0``, ``p >= 0``,
``p <= 0``, ``p = 0`` or no condition. Every widening of a term is accepted only when the term
still covers no realizable sign vector outside the region, and sign vectors that no point
realizes are free to be covered: a condition is dropped exactly when the others imply it on the
realizable set. Nothing is sampled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

__all__ = ["AtomTable", "Factored", "minimize", "ALL_SIGNS"]

ALL_SIGNS = frozenset({-1, 0, 1})


@dataclass(frozen=True)
class Factored:
    """A polynomial as ``sign · Π atom_i^m_i`` times a positive constant (``sign = 0``: the zero polynomial)."""

    sign: int
    powers: tuple

    def sign_at(self, signs) -> int:
        """The sign of the polynomial under a sign vector of the atoms."""
        s = self.sign
        for i, m in self.powers:
            s *= signs[i] ** m
        return s


class AtomTable:
    """The distinct irreducible polynomials (atoms) met so far, each primitive with a positive leading term.

    Parameters
    ----------
    gens : tuple of sympy.Symbol
        The parameters.
    """

    def __init__(self, gens):
        self.gens = tuple(gens)
        self.atoms: list[sp.Poly] = []
        self._index: dict = {}

    def __len__(self) -> int:
        return len(self.atoms)

    def _normalize(self, f) -> tuple[int, sp.Poly]:
        p = sp.Poly(f, *self.gens, domain="QQ")
        _, p = p.clear_denoms(convert=True)
        p = p.primitive()[1]
        s = 1
        if p.LC() < 0:
            p, s = -p, -1
        return s, p

    def add(self, f) -> int:
        """Register one irreducible non-constant polynomial; returns ``(index, sign)`` of ``f = sign·c·atom``."""
        s, p = self._normalize(f)
        key = p.as_expr()
        if key not in self._index:
            self._index[key] = len(self.atoms)
            self.atoms.append(p)
        return self._index[key], s

    def factor(self, expr) -> Factored:
        """``expr`` (a polynomial in the parameters with rational coefficients) in terms of atoms."""
        expr = sp.expand(expr)
        if expr == 0:
            return Factored(0, ())
        coeff, factors = sp.factor_list(expr, *self.gens) if expr.free_symbols else (expr, [])
        sign = 1 if coeff > 0 else -1
        powers = []
        for f, m in factors:  # non-constant irreducible factors
            i, s = self.add(f)
            sign *= s**m
            powers.append((i, m))
        return Factored(sign, tuple(sorted(powers)))

    def expr(self, i) -> sp.Expr:
        return self.atoms[i].as_expr()


def minimize(universe, target, order) -> list[tuple]:
    """A short union of terms covering exactly the ``target`` sign vectors within ``universe``.

    Parameters
    ----------
    universe : iterable of tuple
        Every realizable sign vector that matters (the care set).
    target : iterable of tuple
        The sign vectors of the region (a subset of ``universe``).
    order : sequence of int
        Atoms in the order in which dropping them is tried (the first are dropped first).

    Returns
    -------
    list of tuple of frozenset
        Terms; each gives the allowed signs of every atom. ``[]`` is the empty region and a term
        allowing every sign everywhere is the whole universe.
    """
    target = sorted(set(target), key=lambda s: (sum(1 for v in s if v == 0), s))
    if not target:
        return []
    n = len(target[0])
    if n == 0:  # no atom: the region is the whole (one-class) domain
        return [()]
    tset = set(target)
    others = np.array([s for s in set(universe) if s not in tset], dtype=np.int8).reshape(-1, n) + 1
    tarr = np.array(target, dtype=np.int8).reshape(-1, n) + 1
    orders = [list(order[k:]) + list(order[:k]) for k in range(max(1, len(order)))]
    terms: list[np.ndarray] = []
    for k in range(len(target)):  # seed with the full-dimensional sign vectors first (fewest zeros)
        if any(_covered(t, tarr[k : k + 1])[0] for t in terms):
            continue
        seed = np.zeros((n, 3), dtype=bool)
        seed[np.arange(n), tarr[k]] = True
        best = None
        for o in orders:  # expand in several orders, keep the widest term (then the shortest)
            term = _expand(seed, o, others)
            key = (int(_covered(term, tarr).sum()), -_literal_count(term))
            if best is None or key > best[0]:
                best = (key, term)
        terms.append(best[1])
    cover = [set(np.flatnonzero(_covered(t, tarr)).tolist()) for t in terms]
    chosen: list[int] = []
    left = set(range(len(target)))
    while left:  # irredundant cover, greedy by coverage
        j = max(range(len(terms)), key=lambda i: (len(cover[i] & left), -_literal_count(terms[i])))
        chosen.append(j)
        left -= cover[j]
    for j in list(chosen):
        rest = set().union(*(cover[i] for i in chosen if i != j))
        if cover[j] <= rest:
            chosen.remove(j)
    return [tuple(frozenset(v - 1 for v in range(3) if terms[j][a, v]) for a in range(n)) for j in chosen]


def _covered(term: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Which sign vectors (rows of ``sign + 1``) a term (allowed signs per atom, ``n × 3``) covers."""
    if rows.size == 0:
        return np.zeros(rows.shape[0], dtype=bool)
    return term[np.arange(term.shape[0]), rows].all(axis=1)


_EXPRESSIBLE = {
    (False, True, False): [(True, True, True), (False, True, True), (True, True, False)],  # {0}
    (False, False, True): [(True, True, True), (False, True, True)],  # {+}
    (True, False, False): [(True, True, True), (True, True, False)],  # {-}
    (False, True, True): [(True, True, True)],
    (True, True, False): [(True, True, True)],
}


def _expand(term, order, others) -> np.ndarray:
    """Widen each atom's allowed signs in turn while the term covers none of ``others``."""
    term = term.copy()
    for _pass in range(2):
        for i in order:
            for cand in _EXPRESSIBLE.get(tuple(term[i].tolist()), []):
                old = term[i].copy()
                term[i] = cand
                if not _covered(term, others).any():
                    break
                term[i] = old
    return term


def _literal_count(term) -> int:
    """Inequalities needed to write a term: one per restricted atom, two for ``= 0``."""
    restricted = ~term.all(axis=1)
    zero_only = term[:, 1] & ~term[:, 0] & ~term[:, 2]
    return int(restricted.sum() + zero_only.sum())
