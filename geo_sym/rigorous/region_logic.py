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

import sympy as sp

__all__ = ["AtomTable", "Factored", "minimize", "ALL_SIGNS"]

ALL_SIGNS = frozenset({-1, 0, 1})
_POS, _NEG, _ZERO = frozenset({1}), frozenset({-1}), frozenset({0})


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


def _covers(term, signs) -> bool:
    return all(s in allowed for s, allowed in zip(signs, term))


def _widenings(allowed):
    """Sets to try in place of ``allowed``, most general first (all must be expressible)."""
    if allowed == ALL_SIGNS:
        return []
    if allowed == _ZERO:
        return [ALL_SIGNS, frozenset({0, 1}), frozenset({-1, 0})]
    if allowed in (_POS, _NEG):
        return [ALL_SIGNS, allowed | _ZERO]
    return [ALL_SIGNS]


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
    target = set(target)
    others = [s for s in set(universe) if s not in target]
    if not target:
        return []
    n = len(next(iter(target)))
    terms: list[tuple] = []
    # seed with the sign vectors that have the fewest zeros (full-dimensional cells first)
    orders = [list(order[k:]) + list(order[:k]) for k in range(max(1, len(order)))]
    for sv in sorted(target, key=lambda s: (sum(1 for v in s if v == 0), s)):
        if any(_covers(t, sv) for t in terms):
            continue
        best = None
        for o in orders:  # expand in several orders, keep the widest term (then the shortest)
            term = _expand([frozenset({v}) for v in sv], o, others)
            key = (sum(1 for s in target if _covers(term, s)), -_literal_count(term, n))
            if best is None or key > best[0]:
                best = (key, term)
        terms.append(best[1])
    # irredundant cover, greedy by coverage
    cover = {t: {s for s in target if _covers(t, s)} for t in terms}
    chosen = []
    left = set(target)
    while left:
        best = max(terms, key=lambda t: (len(cover[t] & left), -_literal_count(t, n)))
        chosen.append(best)
        left -= cover[best]
    for t in list(chosen):
        rest = set().union(*(cover[u] for u in chosen if u is not t)) if len(chosen) > 1 else set()
        if cover[t] <= rest:
            chosen.remove(t)
    return chosen


def _expand(term, order, others) -> tuple:
    """Widen each atom's allowed signs in turn while the term covers none of ``others``."""
    term = list(term)
    for _pass in range(2):
        for i in order:
            for cand in _widenings(term[i]):
                trial = term[:i] + [cand] + term[i + 1 :]
                if not any(_covers(trial, o) for o in others):
                    term = trial
                    break
    return tuple(term)


def _literal_count(term, n) -> int:
    return sum(1 for a in term if a != ALL_SIGNS) + sum(1 for a in term if a == _ZERO)
