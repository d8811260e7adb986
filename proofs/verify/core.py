"""``geo-sym verify``: re-check refutation witnesses as an independent referee (docs/witness-format.md).

The verifier reads the witness's economy itself (:mod:`proofs.verify.reading`), recomputes every figure
the claim asserts from that economy and checks the claim's hypotheses there
(:mod:`proofs.verify.hypotheses`), and decides every comparison exactly or in outward-rounded ball
arithmetic (:mod:`proofs.verify.decide`), with its own maps and Jacobians (:mod:`proofs.verify.maps`),
Krawczyk test (:mod:`proofs.verify.krawczyk`), exact LPs (:mod:`proofs.verify.linprog`) and spectra
(:mod:`proofs.verify.spectra`). It imports nothing from the code that produces verdicts (an
import-linter contract and a test enforce it): from geo-sym only the file reader, the number parser,
the economy validator and the error classes.

One result per witness: ``ok`` is true only when the refutation is confirmed. A wrong, malformed or
unknown witness gives ``ok=False`` with a one-line message naming the failed check or the field; it
never stops the others. Only a file that cannot be read at all raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geo_sym.economy.files import load_kind
from geo_sym.errors import GeoSymError, ModelFileError, OptionalDependencyError
from proofs.verify.corrected import NotRechecked, describe, recheck, recheck_items
from proofs.verify.dynamics_kinds import check_a_priori_bound, check_iteration_count, check_operator_norm
from proofs.verify.fixed_points import check_fixed_point_condition, check_multiple_fixed_points, check_spectral_radius
from proofs.verify.hypotheses import check_claim_kind
from proofs.verify.reading import Failed, read_model
from proofs.verify.static_kinds import (
    check_no_equilibrium,
    check_not_decentralizable,
    check_undefined_map,
    check_walras_value,
)

__all__ = ["KINDS", "VerifyResult", "verify_witness", "verify_corrected", "verify_document", "verify_file"]

CONFIRMED, NOT_CONFIRMED = "confirmed", "not confirmed"
GENERAL, NOT_RECHECKED = "not re-checkable (general statement)", "not re-checked"

_CHECKS = {
    "walras_value": check_walras_value,
    "undefined_map": check_undefined_map,
    "no_equilibrium": check_no_equilibrium,
    "fixed_point_condition": check_fixed_point_condition,
    "not_decentralizable": check_not_decentralizable,
    "operator_norm": check_operator_norm,
    "spectral_radius": check_spectral_radius,
    "multiple_fixed_points": check_multiple_fixed_points,
    "iteration_count": check_iteration_count,
    "a_priori_bound": check_a_priori_bound,
}
KINDS = tuple(_CHECKS)

# parts of Theorem 8.1 that consolidate other claims (claims.md §3, thm-8.1)
_CONSOLIDATED = {
    "thm-8.1(i)": ("thm-4.4/existence", "thm-4.6/existence-in-H"),
    "thm-8.1(ii)": ("thm-3.1",),
    "thm-8.1(iii)": ("thm-5.2",),
    "thm-8.1(iv)": ("thm-5.4",),
}


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of re-checking one witness.

    Attributes
    ----------
    ok : bool
        True when the refutation (``subject="witness"``) or the corrected figure (``"corrected"``) is
        confirmed; False otherwise, including a corrected statement that is not re-checked.
    kind : str
        The witness kind (``"?"`` when missing).
    claim : str
        The claim or part id the witness refutes (``"?"`` when missing).
    message : str
        One line: what was confirmed, or which check failed.
    id : str or None
        The id of the verdict or part the witness was attached to.
    details : dict
        Recomputed figures, as strings.
    subject : str
        ``"witness"`` (a refutation witness) or ``"corrected"`` (a figure of a corrected statement).
    outcome : str
        ``"confirmed"``, ``"not confirmed"``, ``"not re-checkable (general statement)"`` or
        ``"not re-checked"`` (the last two only for corrected statements; they do not fail the run).
    """

    ok: bool
    kind: str
    claim: str
    message: str
    id: str | None = None
    details: dict = field(default_factory=dict)
    subject: str = "witness"
    outcome: str = ""

    def __post_init__(self):
        if not self.outcome:
            object.__setattr__(self, "outcome", CONFIRMED if self.ok else NOT_CONFIRMED)

    def __repr__(self) -> str:
        return f"VerifyResult(ok={self.ok}, claim={self.claim!r}, kind={self.kind!r}, outcome={self.outcome!r})"

    @property
    def failed(self) -> bool:
        """True when the re-check found the witness or the corrected statement wrong (exit code 1)."""
        return self.outcome == NOT_CONFIRMED

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "claim": self.claim,
            "subject": self.subject,
            "kind": self.kind,
            "ok": self.ok,
            "outcome": self.outcome,
            "message": self.message,
            "details": self.details,
        }


def _compatible(attached: str, claim: str) -> bool:
    """The witness's claim is the verdict's own id, one of its parts, or a claim it consolidates."""
    if claim == attached or claim.startswith(attached + "/") or claim.startswith(attached + "("):
        return True
    for part, sources in _CONSOLIDATED.items():
        if claim in sources and (attached == part or part.startswith(attached + "(")):
            return True
    return False


def verify_witness(witness, attached: str | None = None) -> VerifyResult:
    """Re-check one witness independently (docs/witness-format.md).

    Parameters
    ----------
    witness : dict
        The witness object.
    attached : str, optional
        The id of the verdict or part carrying it; the witness's ``claim`` must be compatible.

    Returns
    -------
    VerifyResult
        ``ok=True`` only when the refutation is confirmed. Malformed input (a missing or mistyped field,
        an invalid economy, an unparsable number) and failed checks give ``ok=False`` with a message
        naming the field or the check; nothing is raised for them.
    """
    kind = witness.get("kind", "?") if isinstance(witness, dict) else "?"
    claim = (witness.get("claim") if isinstance(witness, dict) else None) or attached or "?"
    kind_text = kind if isinstance(kind, str) else "?"

    def result(ok: bool, message: str, details: dict | None = None) -> VerifyResult:
        return VerifyResult(ok, kind_text, str(claim), message, attached, details or {})

    if not isinstance(witness, dict):
        return result(False, "witness: expected a witness object with keys kind, claim, economy, …")
    if "kind" not in witness:
        return result(False, f"witness: no 'kind' (one of {', '.join(KINDS)})")
    if not isinstance(kind, str) or kind not in _CHECKS:
        return result(False, f"unknown witness kind {kind!r} (known: {', '.join(KINDS)})")
    if not isinstance(claim, str) or claim == "?":
        return result(False, "witness: no 'claim' (the claim or part id it refutes)")
    if attached is not None and not _compatible(attached, claim):
        return result(False, f"the witness refutes {claim}, but it is attached to {attached}")
    details: dict = {}
    try:
        check_claim_kind(claim, kind)
        if "economy" not in witness:
            raise ModelFileError("economy", None, "the economy of the counterexample (file format of DESIGN.md)")
        model = read_model(witness["economy"])
        message = _CHECKS[kind](witness, model, claim, details)
    except OptionalDependencyError:
        raise  # the environment, not the witness: never a result
    except (Failed, GeoSymError) as exc:
        return result(False, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, details)
    return result(True, message, details)


def verify_corrected(corrected, witness, attached: str) -> list[VerifyResult]:
    """Re-check the figures of a refuted claim's corrected statement on its witness's economy.

    One result per re-check (docs/witness-format.md, "Corrected statements"); a general statement gives
    one ``not re-checkable (general statement)`` result, evidence with nothing machine-checkable one
    ``not re-checked`` result. Malformed evidence and wrong figures give ``not confirmed``.
    """

    def result(kind, ok, message, details=None, outcome=""):
        return VerifyResult(ok, kind, attached, message, attached, details or {}, "corrected", outcome)

    try:
        items = recheck_items(corrected)
    except GeoSymError as exc:
        return [result("evidence", False, str(exc).splitlines()[0])]
    if not items:
        return [result("none", False, "the evidence carries no machine-checkable figure", None, NOT_RECHECKED)]
    out = []
    evidence = corrected.get("evidence") or {}
    for kind, spec in items:
        details: dict = {}
        what = describe(kind)
        try:
            message = recheck(kind, spec, evidence, witness, attached, details)
        except OptionalDependencyError:
            raise
        except NotRechecked as exc:
            outcome = GENERAL if exc.general else NOT_RECHECKED
            out.append(result(kind, False, f"{what}: {exc}", details, outcome))
            continue
        except (Failed, GeoSymError) as exc:
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            out.append(result(kind, False, f"{what}: {text}", details))
            continue
        out.append(result(kind, True, f"{what}: {message}", details))
    return out


def _jobs(verdict, where: str, corrected: bool = True) -> list:
    """``(attached id, witness or None, problem or None, corrected or None)`` for every refutation in a
    verdict and its parts (and, with ``corrected``, every refuted verdict's corrected statement)."""
    if not isinstance(verdict, dict):
        return [(where, None, f"{where}: expected a verdict object", None)]
    vid = str(verdict.get("id", where))
    if "status" not in verdict:
        return [(vid, None, f"{where}.status: missing (a verdict needs a status)", None)]
    jobs = []
    parts = verdict.get("parts") or []
    if not isinstance(parts, list):
        return [(vid, None, f"{where}.parts: expected a list of verdicts", None)]
    for k, part in enumerate(parts):
        jobs += _jobs(part, f"{where}.parts[{k}]", corrected)
    if verdict["status"] == "refuted":
        witness = verdict.get("witness")
        if witness and not any(w == witness and c is None for _, w, _, c in jobs):  # not a copy of a part's
            jobs.append((vid, witness, None, None))
        elif not any(c is None for *_, c in jobs):
            jobs.append((vid, None, f"{vid}: refuted with no witness (and no refuted part carrying one)", None))
        if corrected and verdict.get("corrected") is not None:
            jobs.append((vid, witness, None, verdict["corrected"]))
    return jobs


def verify_document(doc, progress=None, corrected: bool = True) -> list[VerifyResult]:
    """Verify a witness, a verdict or a list of verdicts (``geo-sym check --json``).

    A single witness or verdict is verified whatever its status; in a list every ``refuted`` verdict and
    every refuted part is verified. With ``corrected`` (the default) the corrected statement of every
    refuted verdict or part is re-checked too (:func:`verify_corrected`), after its witness.
    ``progress(done, total)`` is called after each witness or corrected statement.

    Raises
    ------
    ModelFileError
        When the document is none of these shapes.
    """
    if isinstance(doc, list):
        jobs = []
        for i, verdict in enumerate(doc):
            jobs += _jobs(verdict, f"[{i}]", corrected)
    elif isinstance(doc, dict) and "kind" in doc:
        jobs = [(None, doc, None, None)]
    elif isinstance(doc, dict) and ("witness" in doc or "parts" in doc or "status" in doc):
        single = dict(doc, status="refuted") if doc.get("witness") else doc
        jobs = _jobs(single, str(doc.get("id", "verdict")), corrected)
        if not jobs:
            jobs = [(str(doc.get("id", "verdict")), None, "the verdict carries no witness to verify", None)]
    else:
        raise ModelFileError("document", type(doc).__name__, "a witness (with 'kind'), a verdict or a list of verdicts")
    results = []
    for done, (attached, witness, problem, statement) in enumerate(jobs, start=1):
        if problem is not None:
            results.append(VerifyResult(False, "?", attached or "?", problem, attached, {}))
        elif statement is not None:
            results.extend(verify_corrected(statement, witness, attached))
        else:
            results.append(verify_witness(witness, attached))
        if progress is not None:
            progress(done, len(jobs))
    return results


def verify_file(path, progress=None, corrected: bool = True) -> list[VerifyResult]:
    """Read a JSON file (numbers kept exact) and verify it (see :func:`verify_document`).

    Raises
    ------
    ModelFileError
        When the file cannot be read or is not JSON (line and column named), or has none of the shapes.
    """
    return verify_document(load_kind(path, "witness", exact_numbers=True), progress=progress, corrected=corrected)
