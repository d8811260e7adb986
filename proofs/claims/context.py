"""What every check shares: the economies, the seed, and the fixed points (found once per economy).

Fixed points of ``Φ_K`` and of the sequential map (13) are the same points (``docs/claims.md`` §1), so
they are searched once per economy and shared by every claim: a seeded multi-start Newton search,
then for each point either its exact (rational) form, proved by exact evaluation, or a Krawczyk
enclosure in Arb ball arithmetic containing exactly one fixed point. Nothing is refined twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from geo_sym.rigorous.certify import SearchTooLargeError, certify_fixed_point
from geo_sym.solve.fixed_point import exact_fixed_point, find_fixed_points
from proofs.claims.witness import json_number, rational_box, state_json

__all__ = ["CheckContext", "FixedPoint"]

#: above this many paths the fixed-point search (which enumerates paths) is not attempted
MAX_SEARCH_PATHS = 2000


class FixedPoint:
    """A fixed point of the economy's maps, as decided as it can be.

    Attributes
    ----------
    numeric : State
        The float point found by the search (residual below 1e-11).
    exact : State or None
        The exact fixed point when it is rational (proved by exact evaluation of the map).
    enclosure : list of [lo, hi] or None
        A flat-state box (float endpoints, exact dyadics) proved by Krawczyk to contain exactly one
        fixed point, computed on first use; ``None`` when the test fails (the point is then numeric
        evidence only) or the point is exact.
    """

    def __init__(self, econ, numeric, exact=None):
        self._econ = econ
        self.numeric = numeric
        self.exact = exact
        self._enclosure = False  # not computed yet

    def __repr__(self) -> str:
        kind = "exact" if self.exact is not None else "numeric"
        return f"FixedPoint({kind})"

    @property
    def enclosure(self):
        if self._enclosure is False:
            self._enclosure = None if self.exact is not None else _enclose(self._econ, self.numeric)
        return self._enclosure

    @property
    def rigorous(self) -> bool:
        return self.exact is not None or self.enclosure is not None

    @property
    def near_kink(self) -> bool:
        """A non-smooth piece within 1e-7 of its kink at the float point: an enclosure there may contain
        the kink, where no Jacobian exists (witnesses avoid such boxes)."""
        from geo_sym.maps.core import evaluate_map

        x = self.numeric
        econ = self._econ
        res = evaluate_map(econ, x)
        v = x.y + float(econ.alpha) * (res.d - x.y)
        if econ.all_boxes:
            lo, hi = econ.box_bounds_float
            if np.any((np.abs(v - lo) < 1e-7) & (lo != hi)) or np.any((np.abs(v - hi) < 1e-7) & (lo != hi)):
                return True
        if econ.price_mechanism.kind == "tatonnement":
            y_ref = res.state.y if econ.map_kind == "sequential" else x.y
            q = x.p + float(econ.beta) * (res.d - y_ref)
            if np.any(np.abs(q) < 1e-7):
                return True
        return False

    def to_witness(self) -> dict:
        """``{"state": …}`` (exact) or ``{"enclosure": {"box": …}}`` for a witness."""
        if self.exact is not None:
            return {"state": state_json(self.exact)}
        return {"enclosure": {"box": rational_box(self.enclosure)}}

    def state_json(self) -> dict:
        """An exact rational state: the fixed point itself, or the midpoint of its enclosure."""
        if self.exact is not None:
            return state_json(self.exact)
        mid = [(float(lo) + float(hi)) / 2 for lo, hi in self.enclosure]
        return _flat_state_json(self._econ, mid)


def _flat_state_json(econ, flat) -> dict:
    A, K = econ.A, econ.K
    q = [json_number(v) for v in flat]
    return {
        "y": [q[a * K : (a + 1) * K] for a in range(A)],
        "p": [q[A * K + a * K : A * K + (a + 1) * K] for a in range(A)],
        "pi": q[2 * A * K :],
    }


@dataclass
class CheckContext:
    """What a check runs on.

    Attributes
    ----------
    economy : Economy or None
        The user's economy; ``None`` means the built-in reference economies.
    seed : int
        Seed of every random choice (sampling, starting points).
    samples : int
        Number of seeded samples for numeric evidence.
    """

    economy: object = None
    seed: int = 0
    samples: int = 24
    progress: object = None
    _fixed_points: dict = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def user(self) -> bool:
        return self.economy is not None

    def economies(self, names) -> list:
        """``[(label, Economy)]``: the user's economy, or the named reference economies."""
        if self.economy is not None:
            return [(self.economy.name, self.economy)]
        from proofs.claims.reference import reference_economy

        return [(n, reference_economy(n)) for n in names]

    def samples_for(self, econ) -> int:
        """Sampled states for numeric evidence: ``samples``, a third of it above 40 state coordinates."""
        return self.samples if econ.state_size() <= 40 else max(self.samples // 3, 4)

    def rng(self, salt: int = 0) -> np.random.Generator:
        return np.random.default_rng([self.seed, salt])

    def memo(self, key, compute):
        """A value computed once per run and shared by every claim (``key`` must identify its inputs)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def fixed_points(self, econ) -> tuple:
        """The fixed points found for ``econ`` (cached): exact when rational, else Krawczyk-enclosed when possible."""
        key = id(econ)
        if key not in self._fixed_points:
            self._fixed_points[key] = (econ, self._search(econ))
        return self._fixed_points[key][1]

    def _search(self, econ) -> tuple:
        if econ.n_paths > MAX_SEARCH_PATHS:
            return ()
        exact, numeric = [], []
        for res in find_fixed_points(econ, n_starts=6, seed=self.seed):
            x = None
            for den in (100, 10**4, 10**6):  # small denominators first: a slowly converging point snaps to them
                x = exact_fixed_point(econ, res.state, max_den=den)
                if x is not None:
                    break
            if x is None:
                numeric.append(res.state)
            elif not any(_same(e, x) for e in exact):
                exact.append(x)
        # a numeric point next to an exact fixed point is that point, found slowly (e.g. at a kink)
        numeric = [
            st for st in numeric if not any(np.max(np.abs(e.to_float().flat() - st.flat())) < 1e-4 for e in exact)
        ]
        return tuple(FixedPoint(econ, e.to_float(), e) for e in exact) + tuple(FixedPoint(econ, st) for st in numeric)

    def searched(self, econ) -> bool:
        """Whether the fixed points of ``econ`` have been searched already (no search is started)."""
        return id(econ) in self._fixed_points

    def spectrum(self, econ, fp):
        """Rigorous spectral facts of ``DΦ`` at the fixed point ``fp`` for the map of ``econ`` (computed once)."""
        from proofs.claims.dynamics_tools import spectral_facts

        return self.memo(("spectrum", id(econ), id(fp)), lambda: spectral_facts(econ, fp))

    def variant(self, econ, kind: str):
        """``econ`` with ``map: kind`` (one object per run, so interval maps and caches are shared)."""
        if econ.map_kind == kind:
            return econ
        return self.memo(("variant", id(econ), kind), lambda: econ.replace(map=kind))


def _same(a, b) -> bool:
    return all(u == v for u, v in zip(a.flat(), b.flat()))


def _enclose(econ, state):
    """A Krawczyk enclosure (flat-state box) of the fixed point near ``state``, or ``None``."""
    for radius in (1e-9, 1e-6):
        try:
            res = certify_fixed_point(econ, state, radius=radius)
        except SearchTooLargeError:
            return None
        if res.success:
            return res.box
    return None
