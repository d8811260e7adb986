"""Verdicts: what a check concluded about one statement of the paper, and the evidence.

The statuses and the rules that govern them are those of ``docs/claims.md`` §2; the ones that can be
checked mechanically are enforced here, when a verdict is built:

``refuted``
    only with a non-empty witness that names its ``kind`` (``geo-sym verify`` re-checks it); a verdict
    with parts is refuted exactly when one of its parts is.
``proved``
    an exact argument covering the claim's quantifier; ``method`` says which.
``certified``
    an interval certificate of the claim's own statement; ``method`` says which.
``supported``
    the decisive comparison was made and came out in the claim's favour: ``evidence["decisive"]`` names
    the quantity, its value, the bound and the relation, and the relation must hold.
``inconclusive``
    ``reason`` says what was tried and what failed, or why the claim does not apply
    (``applicable=False``).

A verdict with ``parts`` takes the status the parts dictate: refuted if any part is refuted, else the
weakest status among the applicable parts, ``inconclusive`` when none applies.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, replace

from geo_sym.display import LatexDisplay
from geo_sym.errors import GeoSymError

__all__ = ["Verdict", "VerdictRuleError", "STATUSES", "combine_statuses", "VerdictList"]

STATUSES = ("proved", "certified", "supported", "inconclusive", "refuted")
_STRENGTH = {"proved": 3, "certified": 2, "supported": 1, "inconclusive": 0}
_RELATIONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


class VerdictRuleError(GeoSymError, RuntimeError):
    """A verdict that breaks a decision rule of ``docs/claims.md`` §2: a bug in a check, raised, never a verdict."""

    def __init__(self, field: str, value, expected: str):
        text = repr(value)
        text = text if len(text) <= 80 else text[:77] + "..."
        super().__init__(f"{field}: got {text}, expected {expected}")


def combine_statuses(parts) -> str:
    """The status a list of part verdicts dictates (``docs/claims.md`` §2)."""
    if any(p.status == "refuted" for p in parts):
        return "refuted"
    applicable = [p.status for p in parts if p.applicable]
    if not applicable:
        return "inconclusive"
    return min(applicable, key=_STRENGTH.__getitem__)


def _check_decisive(decisive) -> None:
    if not isinstance(decisive, dict) or not {"quantity", "value", "bound", "relation"} <= set(decisive):
        raise VerdictRuleError(
            "evidence.decisive",
            decisive,
            "a 'supported' verdict names the decisive quantity, its value, the bound and the relation",
        )
    rel = _RELATIONS.get(decisive["relation"])
    if rel is None:
        raise VerdictRuleError("evidence.decisive.relation", decisive["relation"], f"one of {sorted(_RELATIONS)}")
    if not rel(decisive["value"], decisive["bound"]):
        raise VerdictRuleError(
            "evidence.decisive", decisive, "a comparison that holds (a failed comparison is not support)"
        )


@dataclass(frozen=True)
class Verdict(LatexDisplay):
    """The outcome of checking one claim (or one part of a claim).

    Attributes
    ----------
    id, statement : str
        The claim or part id (``thm-3.1``, ``thm-4.4/existence``, ``thm-8.1(v)``) and the statement.
    status : str
        One of :data:`STATUSES`.
    reason : str
        One line: why this status. Every figure in it is computed from the economy.
    holds_under : list of str
        Extra hypotheses under which the statement is proved (may be empty).
    method : str
        The checking method that decided it.
    witness : dict
        For ``refuted``: the counterexample (``docs/witness-format.md``).
    evidence : dict
        Further figures; for ``supported`` the ``decisive`` comparison.
    parts : tuple of Verdict
        The readings of the statement, each with its own verdict.
    corrected : dict or None
        For ``refuted``: the strongest statement established instead (``statement``, ``status``,
        ``method``, ``evidence``).
    applicable : bool
        False when the claim (or part) makes no statement about this economy.
    """

    id: str
    statement: str
    status: str
    reason: str
    holds_under: tuple = ()
    method: str = ""
    witness: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    parts: tuple = ()
    corrected: dict | None = None
    applicable: bool = True
    seconds: float = 0.0
    derivation: str = ""
    statement_latex: str = ""
    economy: str = ""
    hypotheses: tuple = ()

    def __post_init__(self):
        if self.status not in STATUSES:
            raise VerdictRuleError("status", self.status, f"one of {STATUSES}")
        if self.parts:
            expected = combine_statuses(self.parts)
            if self.status != expected:
                raise VerdictRuleError(f"{self.id}.status", self.status, f"'{expected}', the status its parts dictate")
        if self.status == "refuted" and not self.parts:
            if not self.witness or "kind" not in self.witness:
                raise VerdictRuleError(f"{self.id}.witness", self.witness, "a witness naming its kind")
        if self.status in ("proved", "certified") and not self.parts and not self.method:
            raise VerdictRuleError(f"{self.id}.method", self.method, "the argument or certificate that decided it")
        if self.status == "supported" and not self.parts:
            _check_decisive(self.evidence.get("decisive"))
        if not self.applicable and self.status != "inconclusive":
            raise VerdictRuleError(f"{self.id}.status", self.status, "'inconclusive' for a claim that does not apply")

    def __repr__(self) -> str:
        return f"Verdict({self.id}: {self.status})"

    @property
    def refutation(self) -> Verdict | None:
        """The verdict whose witness refutes this one (itself, or its first refuted part)."""
        if self.status != "refuted":
            return None
        if not self.parts:
            return self
        return next(p.refutation for p in self.parts if p.status == "refuted")

    def with_seconds(self, seconds: float) -> Verdict:
        return replace(self, seconds=seconds)

    def part(self, part_id: str) -> Verdict:
        """The part with id ``part_id``."""
        for p in self.parts:
            if p.id == part_id:
                return p
        raise KeyError(part_id)

    def to_dict(self) -> dict:
        d = {
            "id": self.id,
            "statement": self.statement,
            "status": self.status,
            "reason": self.reason,
            "holds_under": list(self.holds_under),
            "method": self.method,
            "witness": self.witness,
            "evidence": self.evidence,
            "applicable": self.applicable,
        }
        if self.parts:
            d["parts"] = [p.to_dict() for p in self.parts]
        if self.corrected is not None:
            d["corrected"] = self.corrected
        if self.seconds:
            d["seconds"] = round(self.seconds, 4)
        for key in ("economy", "statement_latex", "derivation"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.hypotheses:
            d["hypotheses"] = list(self.hypotheses)
        return d


class VerdictList(LatexDisplay, list):
    """The verdicts of one run of :func:`proofs.claims.run_checks`: a list with table displays.

    ``to_frame()`` gives one row per claim and per part (pandas); in a notebook the list shows as an
    HTML table (``_repr_html_``) or, where only LaTeX is rendered, as a MathJax table (``_repr_latex_``).
    """

    def __repr__(self) -> str:
        return "VerdictList(" + ", ".join(f"{v.id}: {v.status}" for v in self) + ")"

    def to_frame(self):
        """One row per claim and per part, indexed by id: ``status``, ``reason``, ``method``, ``economy``,
        ``holds_under`` (joined with "; "), ``corrected`` (the statement established instead, or "")."""
        import pandas as pd

        rows = [_row(v) for top in self for v in (top, *top.parts)]
        columns = ["id", "status", "reason", "method", "economy", "holds_under", "corrected"]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def to_dicts(self) -> list:
        return [v.to_dict() for v in self]

    def _repr_html_(self):
        import html

        cells = []
        for top in self:
            for v in (top, *top.parts):
                indent = "&emsp;" if v is not top else ""
                cells.append(
                    f"<tr><td style='text-align:left'>{indent}<code>{html.escape(v.id)}</code></td>"
                    f"<td style='text-align:left'>{html.escape(v.status)}</td>"
                    f"<td style='text-align:left'>{html.escape(v.reason)}</td></tr>"
                )
        head = "<tr><th>claim</th><th>status</th><th>reason</th></tr>"
        return f"<table>{head}{''.join(cells)}</table>"


def _row(v) -> dict:
    return {
        "id": v.id,
        "status": v.status,
        "reason": v.reason,
        "method": v.method,
        "economy": v.economy,
        "holds_under": "; ".join(v.holds_under),
        "corrected": (v.corrected or {}).get("statement", ""),
    }
