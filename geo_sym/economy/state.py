"""States ``x = (y, p, π)`` of the economy (§4.3) and the state file of DESIGN.md.

The flat order is ``y`` agent-major then coordinate, ``p`` likewise, then ``π`` in
path order. A state holds exact SymPy numbers (``exact=True``) or floats.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import sympy as sp

from geo_sym.economy.numbers import parse_number, to_json_number
from geo_sym.errors import DomainError, ModelFileError, ShapeError, SizeLimitError, ValidationError

__all__ = [
    "State",
    "load_state",
    "TangentChart",
    "tangent_chart",
    "tangent_basis",
    "state_labels",
    "require_dense",
    "MAX_DENSE",
]

#: Largest state dimension for which a dense Jacobian (and its eigenvalues) is formed: 200 MB of
#: float64 and about a minute of LAPACK; larger economies use the reduced state and Arnoldi iterations.
MAX_DENSE = 5000


def require_dense(n: int, what: str) -> None:
    """Refuse, before allocating it, a dense ``n × n`` matrix above :data:`MAX_DENSE` (:class:`SizeLimitError`)."""
    if n > MAX_DENSE:
        gib = 8.0 * n * n / 2**30
        raise SizeLimitError(
            "state",
            n,
            f"at most {MAX_DENSE} coordinates for {what}",
            message=f"state: {n} coordinates, {what} would need a {n} x {n} matrix ({gib:,.1f} GiB); expected at "
            f"most {MAX_DENSE} coordinates; the reduced state (y, p, w) and Arnoldi iterations handle large DAGs "
            "(geo-sym irf, geo-sym stability-map)",
        )


@dataclass(frozen=True, eq=False)
class State:
    """A point ``(y, p, π)``; arrays are float or (exact) object arrays of SymPy numbers."""

    y: np.ndarray  # (A, K)
    p: np.ndarray  # (A, K)
    pi: np.ndarray  # (|P|,)

    def __repr__(self) -> str:
        kind = "exact" if self.exact else "float"
        return f"State(A={self.y.shape[0]}, K={self.y.shape[1]}, paths={self.pi.size}, {kind})"

    @property
    def exact(self) -> bool:
        return self.y.dtype == object

    def flat(self) -> np.ndarray:
        return np.concatenate([self.y.ravel(), self.p.ravel(), self.pi.ravel()])

    @staticmethod
    def from_flat(econ, x) -> State:
        A, K = econ.A, econ.K
        x = np.asarray(x)
        n = 2 * A * K + econ.n_paths
        if x.shape != (n,):
            raise ShapeError("state", x.shape, f"a flat vector of length 2AK + |P| = {n}")
        return State(x[: A * K].reshape(A, K), x[A * K : 2 * A * K].reshape(A, K), x[2 * A * K :])

    @staticmethod
    def from_dict(econ, data, source: str = "state", check_domain: bool = True, tol: float = 1e-9) -> State:
        """Read ``{"y": [[..]], "p": [[..]], "pi": [..]}`` exactly and check it against ``econ``."""
        if not isinstance(data, dict):
            raise ModelFileError(source, type(data).__name__, 'an object with keys "y", "p", "pi"')
        for key in data:
            if key not in ("y", "p", "pi"):
                raise ModelFileError(f"{source}.{key}", data[key], 'only the keys "y", "p", "pi"')
        A, K, P = econ.A, econ.K, econ.n_paths
        arrays = {}
        for key in ("y", "p"):
            rows = data.get(key)
            if (
                not isinstance(rows, list)
                or len(rows) != A
                or not all(isinstance(r, list) and len(r) == K for r in rows)
            ):
                raise ShapeError(f"{source}.{key}", rows, f"{A} rows (one per agent) of {K} numbers")
            arrays[key] = np.array(
                [[parse_number(v, f"{source}.{key}[{a}][{k}]") for k, v in enumerate(r)] for a, r in enumerate(rows)],
                dtype=object,
            ).reshape(A, K)
        pis = data.get("pi")
        if not isinstance(pis, list) or len(pis) != P:
            raise ShapeError(f"{source}.pi", pis, f"{P} numbers (one per path of P(G), in path order)")
        arrays["pi"] = np.array([parse_number(v, f"{source}.pi[{j}]") for j, v in enumerate(pis)], dtype=object)
        st = State(arrays["y"], arrays["p"], arrays["pi"])
        if check_domain:
            st.check_domain(econ, tol)
        return st

    def check_domain(self, econ, tol: float = 1e-9) -> None:
        """Raise :class:`DomainError` unless the state lies in ``Ω_K`` (Lemma 4.2), up to ``tol``."""
        for a, s in enumerate(econ.production_sets):
            if not s.contains(list(self.y[a]), tol):
                raise DomainError(
                    f"state.y[{a}]: {list(map(str, self.y[a]))} is outside the production set "
                    f"{s!r} of agent {econ.agent_names[a]}; expected a point of Y_a"
                )
        if econ.prices_on_simplex:
            if any(v < -tol for v in self.p.ravel()) or abs(sum(self.p.ravel()) - 1) > tol:
                raise DomainError(
                    "state.p: prices must be non-negative and sum to 1 (the price simplex Δ_p, "
                    f"Lemma 4.2); got sum {sum(self.p.ravel())}"
                )
        if any(v < -tol for v in self.pi) or abs(sum(self.pi) - 1) > tol:
            raise DomainError(
                "state.pi: routing must be non-negative and sum to 1 (a distribution over paths); "
                f"got sum {sum(self.pi)}"
            )

    def to_float(self) -> State:
        f = np.vectorize(float, otypes=[float])
        return State(f(self.y), f(self.p), f(self.pi))

    def to_dict(self) -> dict:
        def conv(v):
            if isinstance(v, sp.Rational):
                return to_json_number(v)
            if isinstance(v, sp.Basic):
                return float(sp.N(v, 17))
            return float(v)

        return {
            "y": [[conv(v) for v in r] for r in self.y],
            "p": [[conv(v) for v in r] for r in self.p],
            "pi": [conv(v) for v in self.pi],
        }


def load_state(econ, path, check_domain: bool = True) -> State:
    """Read a state JSON file for ``econ`` (numbers as JSON numbers or ``"p/q"`` strings)."""
    from geo_sym.economy.files import load_kind

    data = load_kind(path, "state", exact_numbers=True)
    return State.from_dict(econ, data, source=str(path), check_domain=check_domain)


# ------------------------------------------------------------------------------------ the tangent chart
@dataclass(frozen=True, eq=False)
class TangentChart:
    """The one chart of the state space: ``x = T u + e``, tangent coordinates ``u = T⁺ x``.

    The state ``(y, p, π)`` (or the reduced ``(y, p, w)``) has simplex blocks — the prices under the
    tâtonnement (eq. (11)) and the routing ``π`` — on which the map's image always sums to 1, so the
    Jacobian maps into the sum-zero directions. In each simplex block the last coordinate is dropped
    and rebuilt as ``1 − Σ(others)``: ``T`` has columns ``e_i − e_last`` there (identity elsewhere),
    ``T⁺`` keeps the other coordinates (``T⁺ T = I``), and ``e`` is 1 at each dropped coordinate.
    ``T⁺ J T`` is the Jacobian restricted to the tangent space: exactly its eigenvalues, and no
    artificial ones from the normalisation. In the reduced state the marginal block ``w`` is kept whole.

    Views of the same basis: :meth:`exact` (SymPy rationals, for exact characteristic polynomials),
    :meth:`restrict` / :meth:`restrict_rows` (floats or SymPy, by index arithmetic), :meth:`lift`
    (any number type, e.g. Arb balls for interval work) and :meth:`orthonormal` (``T`` orthonormalised
    by Gram–Schmidt, ``T = Q R`` with ``R`` upper triangular, in closed form).

    Attributes
    ----------
    T : ndarray or sparse matrix (n, m) of int
    Tplus : ndarray or sparse matrix (m, n) of int
    offset : ndarray (n,)
        ``e``.
    kept : ndarray (m,) of int
        Flat state index of each tangent coordinate.
    dropped : tuple of (int, list of int)
        Each dropped coordinate with the tangent indices of the other coordinates of its block.
    labels, full_labels : tuple of str
        Names of the tangent coordinates and of all state coordinates (``y[a1,1]``, ``pi[a1>b1]``, ``w[a1]``).
    """

    T: Any
    Tplus: Any
    offset: np.ndarray
    kept: np.ndarray
    dropped: tuple
    labels: tuple
    full_labels: tuple

    def __repr__(self) -> str:
        return f"TangentChart(n={self.n}, m={self.m}, dropped={len(self.dropped)})"

    @property
    def n(self) -> int:
        return int(self.T.shape[0])

    @property
    def m(self) -> int:
        return int(self.T.shape[1])

    @staticmethod
    def build(econ, reduced: bool = False, coordinates: str = "tangent") -> TangentChart:
        """The chart of ``econ``'s state (``reduced``: the state ``(y, p, w)``); ``coordinates="full"``: ``T = I``."""
        import scipy.sparse as sps

        full = tuple(state_labels(econ, reduced=reduced))
        n = len(full)
        if coordinates == "full":
            eye = sps.identity(n, dtype=np.int64, format="csr")
            return TangentChart(eye, eye, np.zeros(n), np.arange(n), (), full, full)
        if coordinates != "tangent":
            raise ValidationError("coordinates", coordinates, "'tangent' or 'full'")
        AK = econ.A * econ.K
        last_block = econ.A if reduced else econ.n_paths
        blocks = [(0, AK, False), (AK, AK, econ.prices_on_simplex), (2 * AK, last_block, not reduced)]
        kept: list[int] = []
        dropped = []
        rows, cols, vals = [], [], []
        for start, size, simplex in blocks:
            if size == 0:
                continue
            first = len(kept)
            stop = start + size - 1 if simplex else start + size
            for j in range(start, stop):
                rows.append(j)
                cols.append(len(kept))
                vals.append(1)
                kept.append(j)
            if simplex:
                last = start + size - 1
                block = list(range(first, len(kept)))
                rows.extend([last] * len(block))
                cols.extend(block)
                vals.extend([-1] * len(block))
                dropped.append((last, block))
        m = len(kept)
        T = sps.csr_matrix((vals, (rows, cols)), shape=(n, m), dtype=np.int64)
        Tplus = sps.csr_matrix(([1] * m, (np.arange(m), kept)), shape=(m, n), dtype=np.int64)
        offset = np.zeros(n)
        for j, _ in dropped:
            offset[j] = 1.0
        kept_arr = np.array(kept, dtype=np.int64)
        return TangentChart(T, Tplus, offset, kept_arr, tuple(dropped), tuple(full[k] for k in kept), full)

    # ------------------------------------------------------------------ float views
    def to_tangent(self, x) -> np.ndarray:
        """``u = T⁺ x`` (float)."""
        return np.asarray(x, dtype=float)[self.kept]

    def from_tangent(self, u) -> np.ndarray:
        """``x = T u + e`` (float; the dropped coordinates are ``1 − Σ`` of their block)."""
        return np.asarray(self.T @ np.asarray(u, dtype=float)).ravel() + self.offset

    def lift(self, u, one=1) -> list:
        """``x = T u + e`` for any number type (e.g. Arb balls): ``one`` is the unit of that type."""
        x: list = [None] * self.n
        for i, k in enumerate(self.kept):
            x[k] = u[i]
        for j, block in self.dropped:
            s = one
            for i in block:
                s = s - u[i]
            x[j] = s
        return x

    def state_balls(self, ubox) -> list:
        """The interval view: the full state over a tangent box of balls (Arb), ``x = T u + e`` ball by ball."""
        one = type(ubox[0])(1) if len(ubox) else 1
        return self.lift(ubox, one)

    @cached_property
    def _minus(self) -> np.ndarray:
        """For each tangent coordinate, the dropped coordinate of its block (``-1`` outside simplices)."""
        minus = np.full(self.m, -1, dtype=np.int64)
        for j, block in self.dropped:
            minus[block] = j
        return minus

    def restrict(self, J):
        """``T⁺ J T`` for a dense float array or a SymPy matrix (``n × n``), by index arithmetic."""
        rows = self.restrict_rows(J)
        return self._times_T(rows)

    def restrict_rows(self, B):
        """``T⁺ B`` (the rows of the kept coordinates) for a dense array or a SymPy matrix."""
        if isinstance(B, sp.MatrixBase):
            return B.extract([int(k) for k in self.kept], list(range(B.shape[1])))
        return np.asarray(B)[self.kept]

    def _times_T(self, B):
        """``B T`` (columns: kept column minus the dropped column of its block)."""
        minus = self._minus
        sub = np.flatnonzero(minus >= 0)
        if isinstance(B, sp.MatrixBase):
            out = B.extract(list(range(B.shape[0])), [int(k) for k in self.kept])
            for i in sub:
                out[:, int(i)] = out[:, int(i)] - B[:, int(minus[i])]
            return out
        B = np.asarray(B)
        out = B[:, self.kept].copy()
        if sub.size:
            out[:, sub] -= B[:, minus[sub]]
        return out

    # ------------------------------------------------------------------ exact and orthonormal views
    @cached_property
    def _exact(self):
        T = sp.SparseMatrix(self.n, self.m, {(int(i), int(j)): int(v) for (i, j), v in _entries(self.T)})
        Tp = sp.SparseMatrix(self.m, self.n, {(int(i), int(j)): int(v) for (i, j), v in _entries(self.Tplus)})
        return sp.Matrix(Tp), sp.Matrix(T)

    def exact(self) -> tuple:
        """``(T⁺, T)`` as SymPy matrices of integers (no square roots: exact polynomials stay rational)."""
        return self._exact

    def orthonormal(self) -> np.ndarray:
        """``Q`` with ``T = Q R`` (``R`` upper triangular): the same basis orthonormalised (dense ``n × m``).

        In a simplex block with kept coordinates ``1..s−1`` and dropped ``s``, Gram–Schmidt on
        ``e_k − e_s`` gives ``q_k = (k e_k − Σ_{j<k} e_j − e_s) / sqrt(k (k + 1))``.
        """
        require_dense(self.n, "an orthonormal tangent basis")
        Q = np.zeros((self.n, self.m))
        Q[self.kept, np.arange(self.m)] = 1.0
        for j, block in self.dropped:
            rows = self.kept[block]
            for k, col in enumerate(block, start=1):
                c = 1.0 / np.sqrt(k * (k + 1))
                Q[rows[: k - 1], col] = -c
                Q[rows[k - 1], col] = k * c
                Q[j, col] = -c
        return Q


def _entries(M):
    """``((i, j), v)`` for the non-zero entries of a dense or sparse matrix."""
    import scipy.sparse as sps

    C = sps.coo_matrix(M)
    return [((i, j), v) for i, j, v in zip(C.row, C.col, C.data) if v != 0]


_CHARTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def tangent_chart(econ, reduced: bool = False) -> TangentChart:
    """The :class:`TangentChart` of ``econ`` (full state, or the reduced ``(y, p, w)``), built once per economy."""
    per_econ = _CHARTS.setdefault(econ, {})
    if reduced not in per_econ:
        per_econ[reduced] = TangentChart.build(econ, reduced=reduced)
    return per_econ[reduced]


def tangent_basis(econ, reduced: bool = False) -> np.ndarray:
    """An orthonormal basis (columns) of the tangent space: :meth:`TangentChart.orthonormal` of the chart."""
    return tangent_chart(econ, reduced).orthonormal()


def state_labels(econ, reduced: bool = False) -> list[str]:
    """Names of the flat state coordinates: ``y[a1,1]``, ``p[a1,1]``, ``pi[a1>b1]`` (or ``w[a1]``)."""
    A, K = econ.A, econ.K
    names = econ.agent_names
    ys = [f"y[{names[a]},{k + 1}]" for a in range(A) for k in range(K)]
    ps = [f"p[{names[a]},{k + 1}]" for a in range(A) for k in range(K)]
    if reduced:
        rest = [f"w[{n}]" for n in names]
    else:
        rest = ["pi[" + ">".join(names[a] for a in path) + "]" for path in econ.paths]
    return ys + ps + rest
