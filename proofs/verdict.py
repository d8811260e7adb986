"""Verdicts: what a check concluded about one statement of the paper, and the evidence.

Statuses, strongest first:

``proved``
    Decided by exact computation (an identity cancelling to a zero numerator, exact
    arithmetic on the instance), possibly under the extra hypotheses in ``holds_under``.
``refuted``
    An exact (or, where ``exp`` is involved, high-precision and labelled) counterexample
    is in ``witness``; ``geo-sym verify`` re-checks it with independent code.
``certified``
    A rigorous interval certificate (interval arithmetic with outward rounding).
``supported``
    Seeded numeric evidence only (count and seed reported); not a proof.
``inconclusive``
    The check could not decide, or the claim's hypotheses cannot be instantiated on the
    economy given; ``reason`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Verdict", "STATUSES"]

STATUSES = ("proved", "refuted", "certified", "supported", "inconclusive")


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one claim.

    Attributes
    ----------
    id, statement : str
        The claim's id (``thm-3.1``, …) and the paper's statement.
    status : str
        One of :data:`STATUSES`.
    reason : str
        One line: why this status.
    holds_under : list of str
        Extra hypotheses under which the statement is proved (may be empty).
    method : str
        The checking method that decided it.
    witness : dict
        The evidence (format in ``docs/witness-format.md``); for ``refuted`` the counterexample.
    evidence : dict
        Further figures (sub-checks, sampled counts, seeds, numeric values).
    seconds : float
    derivation : str
        The steps of the check in LaTeX.
    """

    id: str
    statement: str
    status: str
    reason: str
    holds_under: list = field(default_factory=list)
    method: str = ""
    witness: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    seconds: float = 0.0
    derivation: str = ""
    statement_latex: str = ""
    economy: str = ""
    hypotheses: list = field(default_factory=list)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status: got {self.status!r}, expected one of {STATUSES}")

    def __repr__(self) -> str:
        return f"Verdict({self.id}: {self.status} — {self.reason[:60]})"

    def with_seconds(self, seconds: float) -> Verdict:
        from dataclasses import replace

        return replace(self, seconds=seconds)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "statement": self.statement,
            "status": self.status,
            "reason": self.reason,
            "holds_under": list(self.holds_under),
            "method": self.method,
            "witness": self.witness,
            "evidence": self.evidence,
            "seconds": round(self.seconds, 4),
            "economy": self.economy,
            "statement_latex": self.statement_latex,
            "hypotheses": list(self.hypotheses),
            "derivation": self.derivation,
        }

    def _repr_latex_(self):
        from proofs.report import verdict_latex

        return verdict_latex(self, standalone=False)
