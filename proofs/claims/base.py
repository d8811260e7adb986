"""Claim objects: one per statement of the paper, each with a procedure that checks it.

A :class:`Claim` carries the paper's statement (text and LaTeX), its hypotheses as
written, and ``check(context) -> Verdict``. With no economy the check runs on the
built-in reference economies (:mod:`proofs.claims.reference`); with an economy every figure
is recomputed on that economy — nothing is looked up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from geo_sym.economy.numbers import to_json_number
from geo_sym.errors import GeoSymError, UnknownNameError
from proofs.verdict import Verdict

__all__ = ["Claim", "CheckContext", "CLAIMS", "claim_ids", "get_claim", "run_checks", "state_json", "register"]


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
    samples: int = 64
    _fp_cache: dict = field(default_factory=dict, repr=False)

    def economies(self, names) -> list:
        """``[(label, Economy)]``: the user's economy, or the named reference economies."""
        if self.economy is not None:
            return [(self.economy.name, self.economy)]
        from proofs.claims.reference import reference_economy

        return [(n, reference_economy(n)) for n in names]

    @property
    def user(self) -> bool:
        return self.economy is not None

    def fixed_points(self, econ):
        """Fixed points found by seeded multi-start search, each with its exact form when rational.

        Returns a list of ``(FixedPointResult, exact State or None)``; cached per economy.
        """
        key = (id(econ), self.seed)
        if key not in self._fp_cache:
            from geo_sym.solve.fixed_point import exact_fixed_point, find_fixed_points

            if econ.n_paths > 5000:
                self._fp_cache[key] = []
            else:
                found = find_fixed_points(econ, n_starts=6, seed=self.seed)
                self._fp_cache[key] = [(f, exact_fixed_point(econ, f.state)) for f in found]
        return self._fp_cache[key]

    def polished_fixed_points(self, econ):
        """``[(state, exact)]``: exact fixed points first, then 60-digit refinements of numeric ones.

        A numeric fixed point is kept only when its refinement has residual below 1e-45.
        """
        from geo_sym.solve.fixed_point import refine_high_precision

        out = []
        for res, exact in self.fixed_points(econ):
            if exact is not None:
                out.append((exact, True))
                continue
            x, resid = refine_high_precision(econ, res.state, digits=60)
            if resid < 1e-45:
                out.append((x, False))
        out.sort(key=lambda t: not t[1])
        return out


class Claim:
    """One statement of the paper and the procedure that checks it (subclasses set the fields)."""

    id: str = ""
    title: str = ""
    statement: str = ""
    statement_latex: str = ""
    hypotheses: tuple = ()
    reference_economies: tuple = ()

    def __repr__(self) -> str:
        return f"Claim({self.id}: {self.title})"

    def check(self, ctx: CheckContext | None = None) -> Verdict:
        """Run the check; hypotheses that cannot be instantiated give ``inconclusive``, never a crash."""
        ctx = ctx or CheckContext()
        t0 = time.perf_counter()
        try:
            v = self._check(ctx)
        except GeoSymError as exc:
            v = self.verdict("inconclusive", f"the check could not be instantiated: {exc}", ctx=ctx, method="none")
        return v.with_seconds(time.perf_counter() - t0)

    def _check(self, ctx: CheckContext) -> Verdict:  # pragma: no cover - abstract
        raise NotImplementedError

    def verdict(
        self,
        status,
        reason,
        *,
        ctx=None,
        holds_under=(),
        method="",
        witness=None,
        evidence=None,
        derivation="",
        economy="",
    ) -> Verdict:
        if not economy and ctx is not None:
            economy = ctx.economy.name if ctx.user else "built-in reference economies"
        return Verdict(
            id=self.id,
            statement=self.statement,
            status=status,
            reason=reason,
            holds_under=list(holds_under),
            method=method,
            witness=witness or {},
            evidence=evidence or {},
            derivation=derivation,
            statement_latex=self.statement_latex,
            economy=economy,
            hypotheses=list(self.hypotheses),
        )


CLAIMS: dict[str, Claim] = {}


def register(cls):
    """Class decorator adding a claim to the registry (in the paper's order)."""
    CLAIMS[cls.id] = cls()
    return cls


def _load_all():
    from proofs.claims import dynamics, equilibrium, welfare  # noqa: F401  (registration)


def claim_ids() -> list[str]:
    _load_all()
    order = [
        "thm-3.1",
        "lem-4.2",
        "lem-4.3",
        "thm-4.4",
        "thm-4.6",
        "thm-5.2",
        "thm-5.4",
        "thm-6.1",
        "prop-6.2",
        "ex-6.3",
        "sec-7.1",
        "thm-8.1",
    ]
    return [c for c in order if c in CLAIMS] + [c for c in CLAIMS if c not in order]


def get_claim(cid: str) -> Claim:
    _load_all()
    if cid not in CLAIMS:
        raise UnknownNameError("--claim", cid, "one of " + ", ".join(claim_ids()))
    return CLAIMS[cid]


def run_checks(ids=None, economy=None, seed: int = 0, progress=None) -> list[Verdict]:
    """Check the claims ``ids`` (all by default) on ``economy`` (built-ins when ``None``).

    ``progress(claim_id)`` is called before each check (the CLI prints progress with it).
    """
    ids = list(ids) if ids else claim_ids()
    claims = [get_claim(c) for c in ids]
    ctx = CheckContext(economy=economy, seed=seed)
    out = []
    for c in claims:
        if progress is not None:
            progress(c.id)
        out.append(c.check(ctx))
    return out


# ------------------------------------------------------------------------------------ helpers
def exact_str(v, digits: int = 60):
    """A number for a witness: ``"p/q"`` when rational, else a decimal string with ``digits`` digits."""
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, sp.Rational):
        return str(to_json_number(v)) if v.q != 1 else int(v.p)
    if isinstance(v, sp.Basic):
        return str(sp.N(v, digits))
    return repr(float(v))


def state_json(state, digits: int = 60) -> dict:
    """A state in the state-file format, exact where possible."""
    return {
        "y": [[exact_str(v, digits) for v in row] for row in state.y],
        "p": [[exact_str(v, digits) for v in row] for row in state.p],
        "pi": [exact_str(v, digits) for v in state.pi],
    }
