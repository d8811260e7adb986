"""The exact characteristic polynomial of a sparse matrix over ``K(t)``, block by block, and its factors.

The matrices are those of :mod:`geo_sym.maps.charpoly_kt` (entries ``num(t) / L(t)^e``, :class:`TField`
elements); :mod:`geo_sym.maps.charpoly` reads the whole computation. The block-triangular split of the matrix
(:func:`strong_blocks`) comes first; then a block is handled in three exact steps:

* **deflation of the ``t``-free part.** With the ``t``-free rows ``c`` first, ``B = [[B_cc, B_ct],
  [B_tc(t), B_tt(t)]]``. The smallest ``B_cc``-invariant subspace containing the range of ``B_ct``
  (reached from the routing rows) is invariant for ``B`` up to a block-triangular remainder whose
  characteristic polynomial ``det(λ − A_22)`` is ``t``-free; dually, the largest ``B_cc``-invariant
  subspace in the kernel of every coefficient of ``B_tc(t)`` (not seen by the routing rows) is
  ``B``-invariant. Both are rational subspaces computed by exact Krylov iterations (a Kalman
  decomposition), and their characteristic polynomials split off over ``K``.
* **the core** ``[[A, X], [Y(t), Z(t)]]`` (``m`` ``t``-free rows, ``r`` rows in ``K[t]`` after scaling row
  ``i`` by ``L^{E_i}``): ``L^{ΣE} det(λI − B) = det(λΛ − N)`` is evaluated at ``λ = λ_0`` for ``s + 1``
  integers ``λ_0`` (``s = m + r``, the exact degree in ``λ``) and interpolated. At each point the ``m``
  ``t``-free rows are reduced over ``K`` (RREF; ``det(C_0[:, piv])`` times the ``r × r`` matrix ``T K_b``
  with ``K_b`` a kernel basis of those rows), and ``det(T K_b)`` is computed by fraction-free
  (Bareiss) elimination over ``ℤ[t]`` (``K[t]`` for a number field).
* **factorisation** of the cleared numerator ``F(λ, t)`` over ``K`` (python-flint's multivariate
  factorisation, or SymPy's below :data:`SYMPY_FACTOR_TERMS` terms); factors free of ``λ`` are units
  of ``K(t)[λ]`` and are dropped.
"""

from __future__ import annotations

from math import lcm

import sympy as sp
from sympy.polys.domains import QQ
from sympy.polys.matrices import DomainMatrix
from sympy.polys.polyclasses import DMP

__all__ = [
    "SYMPY_FACTOR_TERMS",
    "strong_blocks",
    "block_pieces",
    "bivariate",
    "factor_over_kt",
    "primitive",
    "has_flint",
]

#: above this many terms (λ-degree × t-degree) a polynomial is not factored with SymPy (python-flint has no limit)
SYMPY_FACTOR_TERMS = 4000


# ----------------------------------------------------------------------------------------- structure
def strong_blocks(matrix) -> list[list[int]]:
    """Strongly connected components of the sparsity graph of a square matrix of :class:`TField` elements.

    Ordering the components topologically makes the matrix block triangular by a symmetric
    permutation, so its characteristic polynomial is the product of those of the diagonal blocks.
    (Tarjan's algorithm, iterative.)
    """
    q = len(matrix)
    succ = [[j for j in range(q) if matrix[i][j][0]] for i in range(q)]
    index, low, on_stack, stack, comps = [-1] * q, [0] * q, [False] * q, [], []
    counter = 0
    for root in range(q):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, k = work.pop()
            if k == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            if k < len(succ[v]):
                work.append((v, k + 1))
                w = succ[v][k]
                if index[w] < 0:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                comps.append(sorted(comp))
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    return sorted(comps, key=lambda c: (len(c), c[0]))


def _col_basis(X: DomainMatrix) -> DomainMatrix:
    _, piv = X.rref()
    return X.extract(list(range(X.shape[0])), list(piv))


def _complement(V: DomainMatrix) -> DomainMatrix:
    """Standard basis vectors completing the columns of ``V`` (full column rank) to a basis."""
    m = V.shape[0]
    piv = V.transpose().rref()[1] if V.shape[1] else ()
    rest = [j for j in range(m) if j not in set(piv)]
    return DomainMatrix.eye(m, V.domain).extract(list(range(m)), rest)


def _krylov(A: DomainMatrix, V: DomainMatrix) -> DomainMatrix:
    """A basis of the smallest ``A``-invariant subspace containing the columns of ``V``."""
    V = _col_basis(V) if V.shape[1] else V
    while V.shape[1]:
        W = _col_basis(V.hstack(A * V))
        if W.shape[1] == V.shape[1]:
            return V
        V = W
    return V


# ----------------------------------------------------------------------------------------- a block
class _Core:
    """``m`` ``t``-free rows ``B0`` (``m × s``) and ``r`` rows over ``K[t]`` as coefficient matrices.

    ``coef[i]`` is ``(D_i + 1) × s`` (highest degree first) for ``L^{E_i} ·`` row ``m + i``;
    ``lam[i] = L^{E_i}`` is its coefficient of ``λ`` on the diagonal.
    """

    def __init__(self, K, B0, coef, lam, E, L):
        self.K, self.B0, self.coef, self.lam, self.E, self.L = K, B0, coef, lam, E, L

    @property
    def m(self) -> int:
        return self.B0.shape[0]

    @property
    def s(self) -> int:
        return self.m + len(self.coef)


def _core_of(entries, tf) -> _Core:
    """The block with its ``t``-free rows first (a symmetric permutation: ``χ`` unchanged)."""
    K, s = tf.K, len(entries)
    trows = [i for i in range(s) if not all(tf.is_const(x) for x in entries[i])]
    order = [i for i in range(s) if i not in set(trows)] + trows
    B = [[entries[i][j] for j in order] for i in order]
    m = s - len(trows)
    B0 = DomainMatrix([[tf.const_value(x) for x in B[i]] for i in range(m)], (m, s), K)
    coef, lam, E = [], [], []
    for i in range(m, s):
        e = max(x[1] for x in B[i])
        polys = [x[0] * tf.lpow(e - x[1]) for x in B[i]]
        deg = max(p.degree() for p in polys)
        rows = [[K.zero] * s for _ in range(deg + 1)]
        for c, p in enumerate(polys):
            for k, a in enumerate(p.to_list()):
                rows[deg - p.degree() + k][c] = a
        coef.append(DomainMatrix(rows, (deg + 1, s), K))
        lam.append(tf.lpow(e))
        E.append(e)
    return _Core(K, B0, coef, lam, E, tf.L)


def _split(core: _Core, Q: DomainMatrix, keep: int) -> tuple[DomainMatrix, _Core]:
    """New coordinates ``Q`` on the ``t``-free part, where the last ``m − keep`` span a block that splits off.

    Returns that block (``t``-free, its characteristic polynomial is a factor) and the core on the
    first ``keep`` coordinates and the ``t`` rows (module docstring: the two deflations).
    """
    m, s, K = core.m, core.s, core.K
    cm, ct = list(range(m)), list(range(m, s))
    Qi = Q.inv()
    A = Qi * core.B0.extract(cm, cm) * Q
    X = Qi * core.B0.extract(cm, ct)
    kept, rest = list(range(keep)), list(range(keep, m))
    B0 = A.extract(kept, kept).hstack(X.extract(kept, list(range(s - m))))
    coef = []
    for C in core.coef:
        rows = list(range(C.shape[0]))
        coef.append((C.extract(rows, cm) * Q).extract(rows, kept).hstack(C.extract(rows, ct)))
    return A.extract(rest, rest), _Core(K, B0, coef, core.lam, core.E, core.L)


def _deflate(core: _Core):
    """Split off the ``t``-free parts not reached by, and not seen by, the rows that carry ``t``.

    Returns ``(pieces, core)`` with ``pieces`` a list of ``(t-free block, kind)``.
    """
    m, K = core.m, core.K
    pieces: list = []
    if m == 0:
        return pieces, core
    cm = list(range(m))
    reach = _krylov(core.B0.extract(cm, cm), core.B0.extract(cm, list(range(m, core.s))))
    if reach.shape[1] < m:
        block, core = _split(core, reach.hstack(_complement(reach)), reach.shape[1])
        pieces.append((block, "not reached by the routing rows"))
        m, cm = core.m, list(range(core.m))
    if m == 0:
        return pieces, core
    A = core.B0.extract(cm, cm)
    W = DomainMatrix.zeros((0, m), K)
    for C in core.coef:
        W = W.vstack(C.extract(list(range(C.shape[0])), cm))
    W = _row_basis(W)
    while W.shape[0] and W.shape[0] < m:
        W2 = _row_basis(W.vstack(W * A))
        if W2.shape[0] == W.shape[0]:
            break
        W = W2
    unseen = W.nullspace().transpose() if W.shape[0] else DomainMatrix.eye(m, K)
    if unseen.shape[1]:
        block, core = _split(core, _complement(unseen).hstack(unseen), m - unseen.shape[1])
        pieces.append((block, "not seen by the routing rows"))
    return pieces, core


def _row_basis(W: DomainMatrix) -> DomainMatrix:
    R, piv = W.rref()
    return R.extract(list(range(len(piv))), list(range(W.shape[1])))


# ----------------------------------------------------------------------------------------- the core's polynomial
def _bareiss(M, one, exquo, first=None):
    """Determinant of a square matrix over a polynomial ring by fraction-free (Bareiss) elimination.

    ``exquo(a, b)`` is the exact quotient (it raises when the division is not exact). With ``first = D``
    the divisor of the first step is ``D`` instead of 1, which returns ``det / D^{n−1}`` and is exact
    exactly when every ``(k+1)``-minor of the leading rows is divisible by ``D^k``.
    """
    n = len(M)
    if n == 0:
        return one
    M = [row[:] for row in M]
    sign, prev = 1, one if first is None else first
    for k in range(n - 1):
        if not M[k][k]:
            swap = next((i for i in range(k + 1, n) if M[i][k]), None)
            if swap is None:
                return one * 0
            M[k], M[swap], sign = M[swap], M[k], -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                M[i][j] = exquo(M[i][j] * M[k][k] - M[i][k] * M[k][j], prev)
        prev = M[k][k]
    return M[n - 1][n - 1] if sign > 0 else -M[n - 1][n - 1]


def _det_poly(rows, K, L=None) -> DMP:
    """``det`` of a square matrix over ``K[t]`` (lists of DMP).

    Over ``ℚ`` with python-flint, each row is scaled to ``ℤ[t]`` and the elimination runs on FLINT's
    ``fmpz_poly`` (exact division in C, which raises when a division is not exact); otherwise on
    SymPy's polynomials over ``K``. With ``L``: every row is a routing row scaled by ``L²``, whose
    ``(k+1)``-minors are then divisible by ``L^k`` (the softmax structure: a ``j × j`` minor of the
    routing rows has denominator ``L^{j+1}``), so the elimination starts by dividing by ``L``; if a
    division is not exact, it is redone without.
    """
    if not (K.is_QQ and has_flint()):
        return _bareiss(rows, DMP([K.one], K), lambda a, b: a.exquo(b))
    import flint
    from flint.utils.flint_exceptions import DomainError

    scale, zrows = 1, []
    for row in rows:
        dens = [int(p.clear_denoms()[0]) for p in row if p]
        d = lcm(*dens) if dens else 1
        scale *= d
        zrows.append([_to_fmpz_poly(p.mul_ground(QQ(d)), flint) for p in row])
    one, det = flint.fmpz_poly([1]), None
    if L is not None and len(rows) > 1:
        Lz = _to_fmpz_poly(L.mul_ground(QQ(int(L.clear_denoms()[0]))), flint)
        Lz = Lz / flint.fmpz_poly([Lz.content()])
        try:
            det = _bareiss(zrows, one, lambda a, b: a / b, first=Lz) * Lz ** (len(rows) - 1)
        except DomainError:
            det = None
    if det is None:
        det = _bareiss(zrows, one, lambda a, b: a / b)
    return DMP([QQ(int(c)) for c in reversed(det.coeffs())], QQ).mul_ground(QQ(1, scale))


def _to_fmpz_poly(p: DMP, flint):
    return flint.fmpz_poly([int(c) for c in reversed(p.to_list())])


def _permutation_sign(order) -> int:
    sign, seen = 1, [False] * len(order)
    for i in range(len(order)):
        j, length = i, 0
        while not seen[j]:
            seen[j], j, length = True, order[j], length + 1
        if length and length % 2 == 0:
            sign = -sign
    return sign


def _poly_rows(C: DomainMatrix, K) -> list:
    """The columns of a coefficient matrix (highest degree first) as polynomials."""
    cols = C.transpose().to_list()
    return [DMP(col, K) for col in cols]


def _det_at(core: _Core, lam0) -> DMP:
    """``det(λ_0 Λ − N)`` for the core (module docstring): RREF of the ``t``-free rows, Bareiss on the rest."""
    K, m, s = core.K, core.m, core.s
    r, l0 = s - m, K.convert(lam0)
    if m:
        C0 = DomainMatrix.eye(s, K).extract(list(range(m)), list(range(s))) * l0 - core.B0
        R, piv = C0.rref()
        if len(piv) < m:
            return DMP([], K)
        det0 = C0.extract(list(range(m)), list(piv)).det() * _permutation_sign(
            list(piv) + [c for c in range(s) if c not in set(piv)]
        )
        nonpiv = [c for c in range(s) if c not in set(piv)]
        Rl = R.to_list()
        kb = [[K.zero] * r for _ in range(s)]
        for j, c in enumerate(nonpiv):
            kb[c][j] = K.one
        for i, c in enumerate(piv):
            for j, d in enumerate(nonpiv):
                kb[c][j] = -Rl[i][d]
        Kb = DomainMatrix(kb, (s, r), K)
    else:
        det0, Kb = K.one, DomainMatrix.eye(s, K)
    Kbl = Kb.to_list()
    rows = []
    for i, C in enumerate(core.coef):
        row = [-p for p in _poly_rows(C * Kb, K)]
        diag = core.lam[i].mul_ground(l0)
        rows.append([row[j] + diag.mul_ground(Kbl[m + i][j]) if Kbl[m + i][j] else row[j] for j in range(r)])
    return _det_poly(rows, K, core.L if all(e == 2 for e in core.E) else None).mul_ground(det0)


def _core_charpoly(core: _Core, L_E: DMP) -> list:
    """Coefficients (highest first, in ``K[t]``) of ``L^{ΣE} det(λI − B)`` for the core, by evaluation in ``λ``."""
    K, s = core.K, core.s
    points = [j - s // 2 for j in range(s + 1)]
    values = [_det_at(core, p) for p in points]
    deg = max(v.degree() for v in values)
    Vals = DomainMatrix(
        [[K.zero] * (deg - v.degree()) + v.to_list() if v else [K.zero] * (deg + 1) for v in values],
        (s + 1, deg + 1),
        K,
    )
    V = DomainMatrix([[QQ(p) ** k for k in range(s, -1, -1)] for p in points], (s + 1, s + 1), QQ)
    coeffs = [DMP(row, K) for row in (V.inv().convert_to(K) * Vals).to_list()]
    if coeffs[0] != L_E:
        raise RuntimeError("internal: the interpolated characteristic polynomial is not monic")
    return coeffs


def block_pieces(entries, tf) -> list:
    """The characteristic polynomial of one diagonal block, as pieces ``(coefficients, E, kind)``.

    Each piece's polynomial is ``Σ_k coefficients[k](t) λ^{d−k} / L(t)^E``; their product is
    ``det(λI − B)``. ``kind`` says which part of the block it is (``"block"`` for the core).
    """
    K = tf.K
    core = _core_of(entries, tf)
    if not core.coef:
        return [([DMP([c] if c else [], K) for c in core.B0.charpoly()], 0, "block")]
    pieces, core = _deflate(core)
    out = [([DMP([c] if c else [], K) for c in blk.charpoly()], 0, kind) for blk, kind in pieces if blk.shape[0]]
    E = sum(core.E)
    out.append((_core_charpoly(core, tf.lpow(E)), E, "block"))
    return out


# ----------------------------------------------------------------------------------------- factors over K(t)
def bivariate(coeffs, K, gens) -> sp.Poly:
    """``Σ_k coeffs[k](t) λ^{s−k}`` as a SymPy ``Poly`` in ``(λ, t)`` over ``K``."""
    s = len(coeffs) - 1
    terms = {}
    for k, c in enumerate(coeffs):
        d = c.degree()
        for i, a in enumerate(c.to_list()):
            if a:
                terms[(s - k, d - i)] = a
    return sp.Poly.from_dict(terms or {(0, 0): K.zero}, *gens, domain=K)


def factor_over_kt(F: sp.Poly, use_flint: bool):
    """Irreducible factors over ``K(t)`` of ``F ∈ K[λ, t]`` as ``[(monic Poly, multiplicity)]`` and whether it factored.

    Factors free of ``λ`` are units of ``K(t)[λ]`` and dropped.
    """
    K = F.get_domain()
    if F.degree(F.gens[0]) <= 1:
        pieces, done = [(F, 1)], True
    elif use_flint and K.is_QQ and F.degree(F.gens[1]) > 0:
        import flint

        ctx = flint.fmpq_mpoly_ctx.get(("l", "t"), "lex")
        rat = [(m, K.to_sympy(c)) for m, c in F.terms()]
        _, fl = ctx.from_dict({m: flint.fmpq(int(c.p), int(c.q)) for m, c in rat}).factor()
        pieces = [
            (sp.Poly.from_dict({m: QQ(int(c.p), int(c.q)) for m, c in f.to_dict().items()}, *F.gens, domain=K), e)
            for f, e in fl
        ]
        done = True
    elif len(F.terms()) <= SYMPY_FACTOR_TERMS or F.degree(F.gens[1]) == 0:
        pieces, done = F.factor_list()[1], True
    else:
        pieces, done = [(F, 1)], False
    return [(f.monic(), e) for f, e in pieces if f.degree(f.gens[0]) > 0], done


def has_flint() -> bool:
    try:
        import flint  # noqa: F401
    except ImportError:
        return False
    return True


def primitive(coeffs):
    """Divide a list of ``K[t]`` coefficients by their gcd (the content, a unit of ``K(t)``)."""
    g = None
    for c in coeffs:
        if c:
            g = c if g is None else g.gcd(c)
    return coeffs if g is None or g.degree() <= 0 else [c.exquo(g) for c in coeffs]
