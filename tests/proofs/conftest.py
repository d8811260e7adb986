"""Checks every verdict of ``geo-sym check`` must pass, whatever the economy (docs/claims.md §2).

Shared by ``test_corpus.py`` (hand-derived economies) and ``test_properties.py`` (seeded random
economies) through the ``verdict_rules`` fixture. Nothing here reads the code that produces verdicts:
verdicts are inspected through their public attributes (``id``, ``status``, ``reason``, ``witness``,
``evidence``, ``parts``, ``to_dict()``) and refutations are handed to the independent verifier.

The rules, and the contract they assume where docs/claims.md leaves the format open:

* **Parts rule** — with parts, the top level is ``refuted`` iff a part is; otherwise it is the weakest
  status among the applicable parts (``proved`` > ``certified`` > ``supported`` > ``inconclusive``),
  ``inconclusive`` when none applies. A part may say it does not apply with ``applicable = False``;
  when a verdict does not say, an ``inconclusive`` part may or may not apply, so the top level must be
  the weakest non-inconclusive part or ``inconclusive``.
* **Witness** — a ``refuted`` verdict without refuted parts carries a non-empty witness with a ``kind``.
* **Verifier** — every refuted verdict or part with a witness is CONFIRMED by ``verify_document`` on its
  JSON text, alone and as part of the whole list. A typed error of the verifier (malformed witness) counts as not
  confirmed; any other exception propagates.
* **Supported evidence** — a ``supported`` verdict's ``evidence`` contains (at any depth) a comparison
  ``{"quantity": str, "value": v, "bound": b, "relation": r}`` (``comparison`` is accepted for
  ``relation``), ``v``/``b`` numbers, ``"p/q"`` or decimal strings or ``[lo, hi]`` enclosures,
  ``r`` one of ``< <= ≤ > >= ≥ = == != ≠``; every such comparison must hold (for enclosures, rigorously).
* **Literal parameters** — a reason that writes ``α = x``, ``β = x``, ``τ = x`` or ``γ = x``
  (also ``alpha``/``beta``/``tau``/``gamma``) names the economy's own value (a decimal rounding of it is
  accepted); ``ex-6.3/arithmetic`` is exempt (its figures are the paper's example, by definition).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from types import SimpleNamespace

import pytest

STATUS_RANK = {"inconclusive": 1, "supported": 2, "certified": 3, "proved": 4}
STATUSES = ("proved", "refuted", "certified", "supported", "inconclusive")


# ------------------------------------------------------------------------------ access to verdicts
def _get(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def as_dict(v) -> dict:
    """The JSON form of a verdict (``to_dict()``), or the dict itself."""
    return v if isinstance(v, dict) else v.to_dict()


def parts_of(v) -> list:
    return list(_get(v, "parts", None) or [])


def flatten(v) -> list:
    """``[v, part, sub-part, ...]`` depth first."""
    out = [v]
    for p in parts_of(v):
        out.extend(flatten(p))
    return out


def index(verdicts) -> dict:
    """Map every verdict and part id to its object; a repeated id is an error of the producer."""
    out = {}
    for v in verdicts:
        for item in flatten(v):
            ident = _get(item, "id")
            if ident in out:
                raise AssertionError(f"verdict id {ident!r} appears twice")
            out[ident] = item
    return out


def _applies(part):
    flag = _get(part, "applicable", None)
    return None if flag is None else bool(flag)


# ------------------------------------------------------------------------------ the rules
def parts_rule_violations(v) -> list[str]:
    """The top-level status of ``v`` (and of every part with parts) follows docs/claims.md §2."""
    problems = []
    for item in flatten(v):
        parts = parts_of(item)
        if not parts:
            continue
        ident, top = _get(item, "id"), _get(item, "status")
        statuses = [_get(p, "status") for p in parts]
        if "refuted" in statuses:
            if top != "refuted":
                problems.append(f"{ident}: a part is refuted but the claim is {top}")
            continue
        if top == "refuted":
            problems.append(f"{ident}: refuted although no part is refuted")
            continue
        flags = [_applies(p) for p in parts]
        if all(f is not None for f in flags):
            applicable = [s for s, f in zip(statuses, flags) if f]
            want = min(applicable, key=STATUS_RANK.__getitem__) if applicable else "inconclusive"
            if top != want:
                problems.append(
                    f"{ident}: parts {dict(zip([_get(p, 'id') for p in parts], statuses))} give {want}, not {top}"
                )
            continue
        decided = [s for s in statuses if s != "inconclusive"]
        allowed = {"inconclusive"} | ({min(decided, key=STATUS_RANK.__getitem__)} if decided else set())
        if top not in allowed:
            problems.append(f"{ident}: parts {statuses} allow {sorted(allowed)}, not {top}")
    return problems


def witness_violations(v) -> list[str]:
    """Every refuted verdict or part without refuted parts carries a non-empty witness with a kind."""
    problems = []
    for item in flatten(v):
        if _get(item, "status") not in STATUSES:
            problems.append(f"{_get(item, 'id')}: unknown status {_get(item, 'status')!r}")
        if _get(item, "status") != "refuted":
            continue
        if any(_get(p, "status") == "refuted" for p in parts_of(item)):
            continue
        w = _get(item, "witness")
        if not isinstance(w, dict) or not w or not w.get("kind"):
            problems.append(f"{_get(item, 'id')}: refuted with a witness lacking a kind: {str(w)[:80]}")
    return problems


def _verify(doc) -> tuple[list, str | None]:
    """The verifier's results on the JSON text of ``doc`` (as ``geo-sym check --json | geo-sym verify`` sees
    it), or why there are none: not JSON-serialisable, or a typed geo-sym error (malformed input). Any other
    exception propagates: it is a defect of the verifier, not data."""
    from geo_sym.errors import GeoSymError
    from proofs.verify.core import verify_document

    try:
        doc = json.loads(json.dumps(doc))
    except (TypeError, ValueError) as exc:
        return [], f"not JSON: {exc}"
    try:
        return list(verify_document(doc)), None
    except GeoSymError as exc:
        return [], f"{type(exc).__name__}: {exc}"


def unconfirmed_refutations(verdicts) -> list[str]:
    """Every refutation is confirmed by the verifier, witness by witness and in the whole document."""
    problems = []
    n_witnesses = 0
    for v in verdicts:
        for item in flatten(v):
            if _get(item, "status") != "refuted":
                continue
            w = _get(item, "witness")
            if not (isinstance(w, dict) and w):
                continue
            n_witnesses += 1
            results, error = _verify(as_dict(item))
            ident = _get(item, "id")
            if error:
                problems.append(f"{ident}: not verifiable: {error}")
            elif not results:
                problems.append(f"{ident}: the verifier checked nothing")
            for r in results:
                if r.failed:  # a witness or a corrected figure found wrong (not re-checked ones do not fail)
                    problems.append(f"{ident}: NOT CONFIRMED ({r.kind}): {r.message}")
    if n_witnesses:
        results, error = _verify([as_dict(v) for v in verdicts])
        if error:
            problems.append(f"whole document: not verifiable: {error}")
        elif not results:
            problems.append("whole document: the verifier checked nothing although refutations exist")
        problems.extend(f"whole document: NOT CONFIRMED ({r.kind}): {r.message}" for r in results if r.failed)
    return problems


# ------------------------------------------------------------------------------ supported evidence
_NUMBER = re.compile(r"^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$")
_RATIO = re.compile(r"^\s*[+-]?\d+\s*/\s*\d+\s*$")
_RELATIONS = {
    "<": "<",
    "<=": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "≥": ">=",
    "=": "=",
    "==": "=",
    "!=": "!=",
    "≠": "!=",
}


def as_interval(x):
    """``(lo, hi)`` as Fractions for a number, a ``"p/q"``/decimal string or an enclosure ``[lo, hi]``."""
    if isinstance(x, bool) or x is None:
        raise ValueError(f"not a number: {x!r}")
    if isinstance(x, (list, tuple)) and len(x) == 2:
        lo, hi = (as_interval(e) for e in x)
        return lo[0], hi[1]
    if isinstance(x, dict) and {"lo", "hi"} <= set(x):
        return as_interval([x["lo"], x["hi"]])
    if isinstance(x, int):
        return Fraction(x), Fraction(x)
    if isinstance(x, float):
        f = Fraction(repr(x))
        return f, f
    if isinstance(x, str) and (_RATIO.match(x) or _NUMBER.match(x)):
        f = Fraction(x.replace(" ", ""))
        return f, f
    raise ValueError(f"not a number: {x!r}")


def comparison_holds(value, relation, bound) -> bool:
    (vl, vh), (bl, bh) = as_interval(value), as_interval(bound)
    rel = _RELATIONS[relation]
    return {
        "<": vh < bl,
        "<=": vh <= bl,
        ">": vl > bh,
        ">=": vl >= bh,
        "=": vl == vh == bl == bh,
        "!=": vh < bl or vl > bh,
    }[rel]


def _comparisons(obj):
    if isinstance(obj, dict):
        if {"quantity", "value", "bound"} <= set(obj):
            yield obj
        for val in obj.values():
            yield from _comparisons(val)
    elif isinstance(obj, (list, tuple)):
        for val in obj:
            yield from _comparisons(val)


def evidence_violations(v) -> list[str]:
    """Every supported verdict or part names a comparison that holds (see the module docstring)."""
    problems = []
    for item in flatten(v):
        if _get(item, "status") != "supported":
            continue
        ident = _get(item, "id")
        found = list(_comparisons(_get(item, "evidence") or {}))
        if not found:
            problems.append(f"{ident}: supported, but its evidence names no {{quantity, value, bound, relation}}")
        for c in found:
            rel = c.get("relation", c.get("comparison"))
            if rel not in _RELATIONS:
                problems.append(f"{ident}: comparison of {c.get('quantity')!r} has no relation (got {rel!r})")
                continue
            try:
                ok = comparison_holds(c["value"], rel, c["bound"])
            except (ValueError, TypeError, ZeroDivisionError) as exc:
                problems.append(f"{ident}: comparison of {c.get('quantity')!r} is not numeric: {exc}")
                continue
            if not ok:
                problems.append(
                    f"{ident}: evidence says {c['quantity']} = {c['value']} {rel} {c['bound']}, which is false"
                )
    return problems


# ------------------------------------------------------------------------------ literal parameters
_SYMBOLS = {
    "α": "alpha",
    "alpha": "alpha",
    "β": "beta",
    "beta": "beta",
    "τ": "tau",
    "tau": "tau",
    "γ": "gamma",
    "gamma": "gamma",
}
# a symbol not glued to other name characters (so γ_A, τ₀, alpha2 are not matched), "=", a number
_LITERAL = re.compile(
    r"(?<![\w])(α|β|τ|γ|alpha|beta|tau|gamma)(?![\w⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉])\s*=\s*([+-]?\d+(?:\.\d+)?(?:\s*/\s*\d+)?)"
)


def _matches(text: str, exact: Fraction) -> bool:
    text = text.replace(" ", "")
    if "/" in text:
        return Fraction(text) == exact
    f = Fraction(text)
    if f == exact:
        return True
    digits = len(text.split(".")[1]) if "." in text else 0
    return abs(f - exact) <= Fraction(1, 2 * 10**digits)


def literal_parameter_violations(v, params: dict) -> list[str]:
    """``params``: the economy's exact ``alpha``, ``beta``, ``tau`` and (for ``G = γI``) ``gamma``."""
    problems = []
    for item in flatten(v):
        ident = _get(item, "id")
        if ident == "ex-6.3/arithmetic":
            continue
        reason = _get(item, "reason") or ""
        for sym, lit in _LITERAL.findall(reason):
            name = _SYMBOLS[sym]
            exact = params.get(name)
            if exact is None:
                problems.append(
                    f"{ident}: reason writes {sym} = {lit}, a parameter this economy does not have: {reason[:120]}"
                )
            elif not _matches(lit, exact):
                problems.append(
                    f"{ident}: reason writes {sym} = {lit}, but the economy's {name} is {exact}: {reason[:120]}"
                )
    return problems


def economy_parameters(data: dict) -> dict:
    """Exact ``alpha``, ``beta``, ``tau`` and ``gamma`` of an economy file's mapping."""
    out = {k: Fraction(str(v)) for k, v in data["parameters"].items()}
    pm = data.get("price_mechanism") or {}
    if "gamma" in pm:
        out["gamma"] = Fraction(str(pm["gamma"]))
    return out


@pytest.fixture(scope="session")
def verdict_rules():
    """The rule checkers above, as one namespace (each returns a list of problems; empty is good)."""
    return SimpleNamespace(
        as_dict=as_dict,
        parts_of=parts_of,
        flatten=flatten,
        index=index,
        parts_rule_violations=parts_rule_violations,
        witness_violations=witness_violations,
        unconfirmed_refutations=unconfirmed_refutations,
        evidence_violations=evidence_violations,
        literal_parameter_violations=literal_parameter_violations,
        economy_parameters=economy_parameters,
        comparison_holds=comparison_holds,
        STATUSES=STATUSES,
    )
