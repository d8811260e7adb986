"""States ``x = (y, p, π)`` of the economy (§4.3) and the state file of DESIGN.md.

The flat order is ``y`` agent-major then coordinate, ``p`` likewise, then ``π`` in
path order. A state holds exact SymPy numbers (``exact=True``) or floats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from geo_sym.economy.numbers import parse_number, to_json_number
from geo_sym.errors import DomainError, ModelFileError, ShapeError

__all__ = ["State", "load_state", "tangent_basis", "state_labels"]


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
    from geo_sym.economy.files import load_json

    data = load_json(path, "state file", exact_numbers=True)
    return State.from_dict(econ, data, source=str(path), check_domain=check_domain)


def _sum_zero_basis(n: int) -> np.ndarray:
    """Orthonormal basis (n × (n-1)) of ``{v : Σ v = 0}`` (Helmert-type, exact structure)."""
    if n <= 1:
        return np.zeros((n, 0))
    q = np.zeros((n, n - 1))
    for j in range(1, n):
        q[:j, j - 1] = 1.0
        q[j, j - 1] = -j
        q[:, j - 1] /= np.sqrt(j * (j + 1))
    return q


def tangent_basis(econ, reduced: bool = False) -> np.ndarray:
    """Orthonormal basis of the tangent space of the state space (columns).

    ``y`` is free; ``p`` is restricted to sum-zero directions when prices live on the
    simplex (eq. (11)); ``π`` always to sum-zero directions. In the reduced state
    ``(y, p, w)`` the marginal block ``w`` is kept whole.
    """
    AK = econ.A * econ.K
    blocks = [
        np.eye(AK),
        _sum_zero_basis(AK) if econ.prices_on_simplex else np.eye(AK),
        np.eye(econ.A) if reduced else _sum_zero_basis(econ.n_paths),
    ]
    from scipy.linalg import block_diag

    return block_diag(*blocks)


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
