"""The claims of the paper, in the paper's order, and :func:`run_checks`."""

from __future__ import annotations

from geo_sym.errors import UnknownNameError
from proofs.claims.consolidated import Consolidated, DSGEReading
from proofs.claims.context import CheckContext
from proofs.claims.contraction import Banach, ContractionBound
from proofs.claims.example_6_3 import ExampleSixThree
from proofs.claims.existence import BewleyLimit, Existence
from proofs.claims.state_space import MapWellDefined, StateSpace
from proofs.claims.walras import WalrasLaw
from proofs.claims.welfare import FirstWelfare, SecondWelfare
from proofs.verdict import VerdictList

__all__ = ["CLAIMS", "claim_ids", "get_claim", "run_checks"]

CLAIMS = {
    c.id: c
    for c in (
        WalrasLaw(),
        StateSpace(),
        MapWellDefined(),
        Existence(),
        BewleyLimit(),
        FirstWelfare(),
        SecondWelfare(),
        Banach(),
        ContractionBound(),
        ExampleSixThree(),
        DSGEReading(),
        Consolidated(),
    )
}


def claim_ids() -> list[str]:
    """The claim ids in the paper's order."""
    return list(CLAIMS)


def get_claim(cid: str):
    if cid not in CLAIMS:
        raise UnknownNameError("--claim", cid, "one of " + ", ".join(CLAIMS))
    return CLAIMS[cid]


def run_checks(ids=None, economy=None, seed: int = 0, progress=None, explain: bool = True) -> VerdictList:
    """Check the claims ``ids`` (all by default) on ``economy`` (the built-in reference economies when ``None``).

    Fixed points are searched once per economy and shared by every claim. ``progress(claim_id)`` is called
    before each check (the command line draws a progress bar with it). ``explain=False`` leaves out the
    parts of "what is true instead" that cost more than the verdict (see :class:`CheckContext`).
    """
    claims = [get_claim(c) for c in (list(ids) if ids else claim_ids())]
    ctx = CheckContext(economy=economy, seed=seed, explain=explain)
    out = VerdictList()
    for c in claims:
        if progress is not None:
            progress(c.id)
        out.append(ctx.memo(("verdict", c.id), lambda c=c: c.check(ctx)))
    return out
