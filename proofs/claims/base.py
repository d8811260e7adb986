"""Claim objects: one per statement of the paper, each with a procedure that decides it.

A :class:`Claim` carries the paper's statement (text and LaTeX), its hypotheses as written, and
``check(context) -> Verdict``. The formal reading of each claim — which map, which quantifier, which
norm, what refutes and what proves it — is ``docs/claims.md``; the checks implement exactly that.
With no economy a check runs on the built-in reference economies (:mod:`proofs.claims.reference`);
with an economy every figure is recomputed on that economy. Exceptions are never turned into
verdicts: an error in a check surfaces as an error.
"""

from __future__ import annotations

import time

from proofs.claims.context import CheckContext
from proofs.verdict import Verdict, combine_statuses

__all__ = ["Claim"]


class Claim:
    """One statement of the paper and the procedure that decides it (subclasses set the fields)."""

    id: str = ""
    title: str = ""
    statement: str = ""
    statement_latex: str = ""
    hypotheses: tuple = ()
    reference_economies: tuple = ()

    def __repr__(self) -> str:
        return f"Claim({self.id}: {self.title})"

    def check(self, ctx: CheckContext | None = None) -> Verdict:
        """Decide the claim on ``ctx``'s economies (see ``docs/claims.md``)."""
        ctx = ctx or CheckContext()
        t0 = time.perf_counter()
        v = self._check(ctx)
        return v.with_seconds(time.perf_counter() - t0)

    def _check(self, ctx: CheckContext) -> Verdict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _economy_label(self, ctx, economy: str) -> str:
        if economy:
            return economy
        return ctx.economy.name if ctx is not None and ctx.user else "built-in reference economies"

    def verdict(
        self,
        status,
        reason,
        *,
        ctx=None,
        part: str | None = None,
        statement: str | None = None,
        holds_under=(),
        method="",
        witness=None,
        evidence=None,
        corrected=None,
        applicable=True,
        derivation="",
        economy="",
    ) -> Verdict:
        """A verdict for the claim (or, with ``part``, for the part ``{id}/{part}`` or ``{id}{part}``)."""
        ident = self.id if part is None else (f"{self.id}{part}" if part.startswith("(") else f"{self.id}/{part}")
        if witness is not None:
            witness = {"claim": ident, **witness}
        return Verdict(
            id=ident,
            statement=statement or self.statement,
            status=status,
            reason=reason,
            holds_under=tuple(holds_under),
            method=method,
            witness=witness or {},
            evidence=evidence or {},
            corrected=corrected,
            applicable=applicable,
            derivation=derivation,
            statement_latex=self.statement_latex if part is None else "",
            economy=self._economy_label(ctx, economy),
            hypotheses=tuple(self.hypotheses) if part is None else (),
        )

    def not_applicable(self, part: str | None, reason: str, *, ctx=None, statement=None, evidence=None) -> Verdict:
        """``inconclusive`` because the claim (or part) makes no statement about this economy."""
        return self.verdict(
            "inconclusive", reason, ctx=ctx, part=part, statement=statement, applicable=False, evidence=evidence
        )

    def combine(self, parts, *, ctx=None, evidence=None, corrected=None, holds_under=(), economy="") -> Verdict:
        """The top-level verdict of a claim with parts (status by the rule of ``docs/claims.md`` §2)."""
        parts = tuple(parts)
        status = combine_statuses(parts)
        refuting = next((p for p in parts if p.status == "refuted"), None)
        evidence = dict(evidence or {})
        if status == "supported":  # the decisive comparison of the part that sets the status
            deciding = next(p for p in parts if p.applicable and p.status == "supported")
            evidence.setdefault("decisive", deciding.evidence["decisive"])
        reason = "; ".join(f"{p.id.removeprefix(self.id).lstrip('/')}: {p.status} — {p.reason}" for p in parts)
        return Verdict(
            id=self.id,
            statement=self.statement,
            status=status,
            reason=reason,
            holds_under=tuple(holds_under),
            method="by parts",
            witness=refuting.witness if refuting is not None else {},
            evidence=evidence,
            parts=parts,
            corrected=corrected,
            applicable=any(p.applicable for p in parts),
            statement_latex=self.statement_latex,
            economy=self._economy_label(ctx, economy),
            hypotheses=tuple(self.hypotheses),
        )
