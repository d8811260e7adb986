"""Production sets ``Y_a ⊂ R^K`` (Assumption 1): boxes and balls.

Each set offers the Euclidean projection (used by eq. (10)), the support function
``Π_a(p) = max_{y∈Y_a} <p, y>`` (eq. (3)), a supply point, the active set of a
projection and a normal-cone test (firm optimality (E1) at a point ``y``:
``p ∈ N_Y(y)``). Every method works on floats and, unchanged, on exact SymPy
numbers; kinks of the projection are reported, never silently resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from geo_sym.errors import ShapeError, ValidationError

__all__ = ["Box", "Ball", "BRANCH_LO", "BRANCH_FREE", "BRANCH_HI", "BRANCH_SPHERE"]

BRANCH_LO, BRANCH_FREE, BRANCH_HI = -1, 0, 1
BRANCH_SPHERE = 2  # ball: projection lands on the sphere


def _is_exact_array(v) -> bool:
    return getattr(v, "dtype", None) is np.dtype(object)


def _converter(values):
    """``float`` when ``values`` are floats (numeric backend), identity for exact values."""
    first = values[0] if len(values) else 0
    return float if isinstance(first, (float, np.floating)) else (lambda x: x)


@dataclass(frozen=True)
class Box:
    """``Y = [lo, hi] ⊂ R^K`` with ``lo ≤ 0 ≤ hi`` (inaction feasible, (Y3))."""

    lo: tuple
    hi: tuple

    kind = "box"

    @staticmethod
    def build(lo, hi, field: str) -> Box:
        if len(lo) != len(hi):
            raise ShapeError(field, (len(lo), len(hi)), "as many lower as upper bounds")
        for k, (a, b) in enumerate(zip(lo, hi)):
            if a > b:
                raise ValidationError(f"{field}[{k}]", [a, b], "lo <= hi")
            if not (a <= 0 <= b):
                raise ValidationError(
                    f"{field}[{k}]", [a, b], "an interval containing 0 (Assumption 1, (Y3): inaction is feasible)"
                )
        return Box(tuple(lo), tuple(hi))

    @property
    def dim(self) -> int:
        return len(self.lo)

    def __repr__(self) -> str:
        return "Box(" + ", ".join(f"[{a}, {b}]" for a, b in zip(self.lo, self.hi)) + ")"

    # -- projection, with the branch reported -------------------------------------------------
    def branch(self, v) -> tuple[np.ndarray, np.ndarray]:
        """Active set of ``Proj_Y(v)``: codes ``-1`` (at lo), ``0`` (free), ``+1`` (at hi), and kinks.

        A kink is a coordinate where ``v`` lies exactly on a bound (the projection is not
        differentiable there); it is given the free branch and flagged.
        """
        codes = np.zeros(self.dim, dtype=np.int8)
        kinks = np.zeros(self.dim, dtype=bool)
        for k in range(self.dim):
            if self.lo[k] == self.hi[k]:  # a degenerate interval: always its single point
                codes[k] = BRANCH_LO
                continue
            if v[k] < self.lo[k]:
                codes[k] = BRANCH_LO
            elif v[k] > self.hi[k]:
                codes[k] = BRANCH_HI
            if v[k] == self.lo[k] or v[k] == self.hi[k]:
                kinks[k] = True
        return codes, kinks

    def project_on_branch(self, v, codes):
        out = np.empty(self.dim, dtype=object if _is_exact_array(v) else float)
        conv = _converter(v)
        for k in range(self.dim):
            out[k] = conv(self.lo[k]) if codes[k] == BRANCH_LO else conv(self.hi[k]) if codes[k] == BRANCH_HI else v[k]
        return out

    def projection_jacobian(self, v, codes) -> np.ndarray:
        """``∂Proj/∂v`` on the given branch: a 0/1 diagonal."""
        return np.diag((np.asarray(codes) == BRANCH_FREE).astype(float))

    def project(self, v):
        codes, _ = self.branch(v)
        return self.project_on_branch(v, codes)

    # -- economics ---------------------------------------------------------------------------
    def support(self, p):
        """``Π(p) = Σ_k max(p_k lo_k, p_k hi_k)`` (eq. (3))."""
        conv = _converter(p)
        return sum(pk * conv(h if pk >= 0 else l) for pk, l, h in zip(p, self.lo, self.hi))

    def supply(self, p):
        """A maximiser of ``<p, y>``: ``hi`` where ``p > 0``, ``lo`` where ``p < 0``, 0 where ``p = 0``."""
        conv = _converter(p)
        return [conv(h) if pk > 0 else conv(l) if pk < 0 else 0 * pk for pk, l, h in zip(p, self.lo, self.hi)]

    def contains(self, y, tol=0) -> bool:
        return all(l - tol <= yk <= h + tol for yk, l, h in zip(y, self.lo, self.hi))

    def normal_cone_contains(self, y, p, tol=0) -> bool:
        """``p ∈ N_Y(y)``, i.e. ``y`` maximises ``<p, ·>`` on the box (firm optimality, (E1))."""
        for yk, pk, l, h in zip(y, p, self.lo, self.hi):
            if pk > tol and not yk >= h - tol:
                return False
            if pk < -tol and not yk <= l + tol:
                return False
        return True


@dataclass(frozen=True)
class Ball:
    """``Y = {y : ||y - c||_2 ≤ r}`` with ``||c|| ≤ r`` (so ``0 ∈ Y``)."""

    center: tuple
    radius: Any

    kind = "ball"

    @staticmethod
    def build(center, radius, field: str) -> Ball:
        if not radius > 0:
            raise ValidationError(f"{field}.radius", radius, "a positive radius")
        if sum(c * c for c in center) > radius * radius:
            raise ValidationError(
                f"{field}.center", list(center), "a center within radius of 0 (Assumption 1, (Y3): 0 in Y)"
            )
        return Ball(tuple(center), radius)

    @property
    def dim(self) -> int:
        return len(self.center)

    def __repr__(self) -> str:
        return f"Ball(center={list(self.center)}, radius={self.radius})"

    def _sqnorm(self, v):
        return sum((vk - ck) ** 2 for vk, ck in zip(v, self.center))

    def branch(self, v):
        d2 = self._sqnorm(v)
        r2 = self.radius**2
        code = BRANCH_SPHERE if d2 > r2 else BRANCH_FREE
        kink = bool(d2 == r2)
        return np.full(self.dim, code, dtype=np.int8), np.full(self.dim, kink, dtype=bool)

    def project_on_branch(self, v, codes):
        exact = _is_exact_array(v)
        out = np.empty(self.dim, dtype=object if exact else float)
        if codes[0] != BRANCH_SPHERE:
            out[:] = v
            return out
        conv = _converter(v)
        norm = sp.sqrt(self._sqnorm(v)) if exact else float(np.sqrt(float(self._sqnorm(v))))
        for k in range(self.dim):
            c = conv(self.center[k])
            out[k] = c + conv(self.radius) * (v[k] - c) / norm
        return out

    def projection_jacobian(self, v, codes) -> np.ndarray:
        if codes[0] != BRANCH_SPHERE:
            return np.eye(self.dim)
        diff = np.asarray([float(vk - ck) for vk, ck in zip(v, self.center)])
        nrm = float(np.linalg.norm(diff))
        n = diff / nrm
        return float(self.radius) / nrm * (np.eye(self.dim) - np.outer(n, n))

    def project(self, v):
        codes, _ = self.branch(v)
        return self.project_on_branch(v, codes)

    def support(self, p):
        """``Π(p) = <p, c> + r ||p||`` (eq. (3))."""
        conv = _converter(p)
        exact = conv is not float
        nrm = sp.sqrt(sum(x * x for x in p)) if exact else float(np.sqrt(sum(x * x for x in p)))
        return sum(pk * conv(ck) for pk, ck in zip(p, self.center)) + conv(self.radius) * nrm

    def supply(self, p):
        conv = _converter(p)
        exact = conv is not float
        nrm = sp.sqrt(sum(x * x for x in p)) if exact else float(np.sqrt(sum(x * x for x in p)))
        if nrm == 0:
            return [conv(c) for c in self.center]
        return [conv(ck) + conv(self.radius) * pk / nrm for pk, ck in zip(p, self.center)]

    def contains(self, y, tol=0) -> bool:
        return self._sqnorm(y) <= self.radius**2 + tol

    def normal_cone_contains(self, y, p, tol=0) -> bool:
        """``p = t (y - c)`` with ``t ≥ 0`` on the sphere; ``p = 0`` inside."""
        d = [yk - ck for yk, ck in zip(y, self.center)]
        on_sphere = abs(self._sqnorm(y) - self.radius**2) <= tol
        if not on_sphere:
            return all(abs(pk) <= tol for pk in p)
        # p parallel to d with non-negative factor: |p||d| - <p,d> == 0
        dot = sum(pk * dk for pk, dk in zip(p, d))
        cross = sum((p[i] * d[j] - p[j] * d[i]) ** 2 for i in range(len(d)) for j in range(i + 1, len(d)))
        return dot >= -tol and cross <= tol
