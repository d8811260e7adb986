r"""One verdict in LaTeX: its statement, the verdict and its reason, its parts, what is true instead,
the counterexample and the evidence — for the check report, the corrigendum and notebooks.

Statements come from the claim's ``statement_latex`` (a LaTeX paragraph, printed once); every other
sentence — reasons, hypotheses, corrected statements, methods — is geo-sym's Unicode prose, typeset by
:func:`geo_sym.render.mathtext.prose_latex` (documents) or :func:`~geo_sym.render.mathtext.prose_mathjax`
(notebooks). Nothing run-dependent (seconds, dates) appears here.
"""

from __future__ import annotations

from geo_sym.render.latex_blocks import longtable, math_block
from geo_sym.render.latex_text import mathjax_text, tex_text, tt_text
from geo_sym.render.mathtext import paragraph_mathjax, prose_latex, prose_mathjax, sentence
from proofs.latex_values import label_latex, pairs_table, records_table, value_latex

__all__ = ["CLAIM_TITLES", "claim_title", "statement_latex", "verdict_section", "witness_latex", "evidence_latex"]

CLAIM_TITLES = {
    "thm-3.1": "Theorem 3.1 (functional Walras law)",
    "lem-4.2": "Lemma 4.2 (the state space)",
    "lem-4.3": "Lemma 4.3 (the equilibrium map)",
    "thm-4.4": "Theorem 4.4 (existence)",
    "thm-4.6": r"Theorem 4.6 (existence in $\mathcal H$)",
    "thm-5.2": "Theorem 5.2 (first welfare theorem)",
    "thm-5.4": "Theorem 5.4 (second welfare theorem)",
    "thm-6.1": "Theorem 6.1 (uniqueness and geometric convergence)",
    "prop-6.2": "Proposition 6.2 (the contraction condition)",
    "ex-6.3": "Example 6.3",
    "sec-7.1": "Section 7.1 (the DSGE reading)",
    "thm-8.1": "Theorem 8.1 (consolidated statement)",
}
STATUS_WORDS = {s: s for s in ("proved", "certified", "supported", "inconclusive", "refuted")}


def claim_title(cid: str) -> str:
    """The paper's name of a claim (LaTeX), or its id in typewriter type."""
    return CLAIM_TITLES.get(cid, tt_text(cid))


def status_latex(status: str) -> str:
    """A status, bold when it is decided (proved, certified, refuted)."""
    word = STATUS_WORDS.get(status, status)
    return r"\textbf{%s}" % word if status in ("proved", "certified", "refuted") else tex_text(word)


def statement_latex(v) -> str:
    """The statement once: the claim's ``statement_latex`` paragraph, else its text typeset."""
    return v.statement_latex or prose_latex(v.statement)


# ----------------------------------------------------------------------------- witness
_WITNESS_KINDS = {
    "walras_value": "prices at which the functional Walras law fails",
    "undefined_map": r"a state of $\Omega_K$ where the map needs $\operatorname{normalize}(0)$",
    "no_equilibrium": "a certificate that no equilibrium exists",
    "fixed_point_condition": "a fixed point of $\\Phi_K$ that is not an equilibrium",
    "not_decentralizable": "a Pareto optimum that no price decentralises",
    "operator_norm": "a state and a direction where the operator norm exceeds the bound",
    "spectral_radius": "an eigenvalue of the linearisation at a fixed point",
    "multiple_fixed_points": "distinct fixed points",
    "iteration_count": "a start whose iterates are still far from the fixed point",
    "a_priori_bound": "iterates that exceed the a-priori bound (14)",
}
_STATE_KEYS = (("state", "State"), ("fixed_point", "Fixed point"), ("start", "Start"), ("allocation", "Allocation"))
_SKIP = {"kind", "claim", "economy", "claimed", "observed", "exact", "states", "fixed_points"} | {
    k for k, _ in _STATE_KEYS
}


def _economy_latex(data: dict) -> str:
    """A witness's economy (file format) as a sentence and an agent table; the raw file when it does not load."""
    from geo_sym.economy.spec import Economy
    from geo_sym.errors import GeoSymError
    from geo_sym.render.economy_tex import production_set_latex, vector_latex
    from geo_sym.render.printer import GeoSymLatexPrinter, latex_name

    try:
        econ = Economy.from_dict(data)
    except (GeoSymError, TypeError, ValueError, KeyError):  # verify says why; show what was given
        return tt_text(str(data)[:600])
    pr = GeoSymLatexPrinter(econ)
    edges = ", ".join(r"$%s \to %s$" % (pr.agent_label(i), pr.agent_label(j)) for i, j in econ.graph.edges[:40])
    params = [r"\alpha = %s" % pr.doprint(econ.alpha), r"\tau = %s" % pr.doprint(econ.tau)]
    if econ.beta is not None:
        params.insert(1, r"\beta = %s" % pr.doprint(econ.beta))
    pm = econ.price_mechanism
    if pm.kind == "linear":
        g = pm.spectral_norm_exact
        pm_text = r"a linear $\mathcal{A}_K$ with $\gamma_{\mathcal{A}} = %s$" % (
            pr.doprint(g) if g is not None else "%.6g" % pm.spectral_norm
        )
    else:
        pm_text = r"the t\^atonnement (11)"
    text = r"The economy %s: $A = %d$, $K = %d$, the %s map, %s, $%s$; edges: %s." % (
        tt_text(econ.name),
        econ.A,
        econ.K,
        econ.map_kind,
        pm_text,
        r",\ ".join(params),
        edges or "none (every agent is a one-agent path)",
    )
    if econ.A > 12:
        return text
    rows = [
        r"$%s$ & $%s$ & $%s$ \\" % (latex_name(n), vector_latex(pr, u), production_set_latex(pr, s))
        for n, u, s in zip(econ.agent_names, econ.demand, econ.production_sets)
    ]
    return text + "\n" + longtable("lll", r"agent & $u_a$ & $Y_a$", rows)


def _unwrap(state: dict) -> dict:
    return state["state"] if isinstance(state.get("state"), dict) else state


def _unwrap(state: dict) -> dict:
    return state["state"] if isinstance(state.get("state"), dict) else state


def _state_latex(state: dict, label: str) -> str:
    """A state ``{"y", "p", "pi"}`` (or a wrapped one) as a table headed by its label (``State``)."""
    state = _unwrap(state)
    if "enclosure" in state or "box" in state:
        box = (state.get("enclosure") or state).get("box", [])
        return r"\emph{%s:} an enclosure (a box of %d intervals; the JSON gives every endpoint)." % (label, len(box))
    pairs = [
        (sym, value_latex(state[key], key))
        for key, sym in (("y", "$y$"), ("p", "$p$"), ("pi", r"$\pi$"))
        if key in state
    ]
    return pairs_table(pairs, head=r"\emph{%s} & values" % label) if pairs else ""


def _states_latex(w: dict) -> list[str]:
    """The states of a witness, each once (a start that is also listed in ``states`` is shown once)."""
    out, shown = [], []
    named = [(w.get(key), label) for key, label in _STATE_KEYS]
    for name, label in (("states", "State"), ("fixed_points", "Fixed point")):
        named += [(st, "%s %d" % (label, k + 1)) for k, st in enumerate((w.get(name) or [])[:4])]
    for st, label in named:
        if not isinstance(st, dict) or _unwrap(st) in shown:
            continue
        shown.append(_unwrap(st))
        out.append(_state_latex(st, label))
    return out


def _compare_table(w: dict) -> str:
    claimed, observed = w.get("claimed") or {}, w.get("observed") or {}
    keys = list(claimed) + [k for k in observed if k not in claimed]
    rows = [
        r"%s & %s & %s \\"
        % (
            label_latex(k),
            value_latex(claimed[k], k) if k in claimed else "",
            value_latex(observed[k], k) if k in observed else "",
        )
        for k in keys
    ]
    spec = r">{\raggedright}p{4.6cm}>{\raggedright}p{4.4cm}>{\raggedright\arraybackslash}p{6.6cm}"
    return longtable(spec, "figure & the paper claims & geo-sym observes", rows) if rows else ""


def witness_latex(w: dict) -> str:
    """A counterexample: what it is, its economy, its states, claimed against observed, and the rest labelled."""
    if not w:
        return ""
    kind = str(w.get("kind", ""))
    exact = (
        "All its numbers are exact."
        if w.get("exact", True)
        else "Its numbers are high-precision decimals (labelled, not exact)."
    )
    out = [
        r"The counterexample is %s (witness kind %s). %s"
        % (_WITNESS_KINDS.get(kind, "a witness"), tt_text(kind), exact)
    ]
    if isinstance(w.get("economy"), dict):
        out.append(_economy_latex(w["economy"]))
    out += _states_latex(w)
    out.append(_compare_table(w))
    rest = [(label_latex(k), value_latex(v, k)) for k, v in w.items() if k not in _SKIP]
    if rest:
        out.append(pairs_table(rest, head="further data & value"))
    return "\n\n".join(s for s in out if s)


# ----------------------------------------------------------------------------- evidence
def evidence_latex(evidence: dict, title: str = "") -> str:
    """The evidence of a check: scalar figures in one labelled table, lists of records as their own tables.

    ``title`` (e.g. ``\\textbf{Evidence.}``) heads the first table, inside it, so it never stands alone.
    """
    if not evidence:
        return ""
    pairs, records = [], []
    for k, v in evidence.items():
        if isinstance(v, list) and v and all(isinstance(r, dict) for r in v):
            records.append((label_latex(k), v))
        else:
            pairs.append((label_latex(k), value_latex(v, k)))
    out = [pairs_table(pairs, title=title)] if pairs else []
    for k, (label, v) in enumerate(records):
        heading = (title + " " if title and not out and k == 0 else "") + label + ":"
        out.append(records_table(v, title=heading))
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- one verdict
def parts_latex(v) -> str:
    """The readings of a claim with parts: a description list, each with its status and reason."""
    if not v.parts:
        return ""
    items = [
        r"\item[%s] %s. %s"
        % (tt_text(p.id.removeprefix(v.id).lstrip("/")), status_latex(p.status), prose_latex(sentence(p.reason)))
        for p in v.parts
    ]
    n = "one reading" if len(v.parts) == 1 else "%d readings, each decided separately" % len(v.parts)
    return "It has %s:\n\\begin{description}\n%s\n\\end{description}" % (n, "\n".join(items))


#: evidence entries written for ``geo-sym verify`` (what to re-check, the region as inequality strings, which the
#: statement already gives in words): in the JSON, not in a document's evidence table
_MACHINE_EVIDENCE = ("recheck", "stability_region")


def corrected_latex(c: dict | None) -> str:
    """What is true instead: the corrected statement, its status, proof or certificate, and its evidence."""
    if not c:
        return ""
    out = [
        r"\paragraph{What is true instead (%s).} %s"
        % (status_latex(c["status"]), prose_latex(sentence(c["statement"])))
    ]
    if c.get("method"):
        out.append(r"\emph{Proof or certificate:} %s." % prose_latex(c["method"]))
    shown = {k: v for k, v in (c.get("evidence") or {}).items() if k not in _MACHINE_EVIDENCE}
    ev = evidence_latex(shown, title=r"\emph{Its evidence.}")
    if ev:
        out.append(ev)
    return "\n\n".join(out)


def verdict_section(v, *, level: str = "subsection*") -> str:
    """A verdict as a document section: statement, verdict and reason, parts, holds-under, correction,
    derivation, counterexample (for a refutation) and evidence."""
    out = [
        r"\%s{%s}\label{claim:%s}" % (level, claim_title(v.id), v.id),
        r"\paragraph{Statement.} " + statement_latex(v),
    ]
    if v.hypotheses:
        out.append(r"\emph{Hypotheses as written:} " + "; ".join(prose_latex(h) for h in v.hypotheses) + ".")
    reason = prose_latex(sentence(v.reason)) if not v.parts else ""
    method = r" (Method: %s; checked on %s.)" % (prose_latex(v.method or "by parts"), tt_text(v.economy or "-"))
    out.append(r"\paragraph{Verdict: %s.} %s%s" % (status_latex(v.status), reason, method))
    out.append(parts_latex(v))
    if v.holds_under:
        out.append(
            r"\emph{It holds under:}"
            + "\n\\begin{itemize}\n"
            + "\n".join(r"\item " + prose_latex(h) for h in v.holds_under)
            + "\n\\end{itemize}"
        )
    out.append(corrected_latex(v.corrected or next((p.corrected for p in v.parts if p.corrected), None)))
    if v.derivation:
        out.append(r"\paragraph{Derivation.}" + "\n" + math_block(v.derivation))
    refutation = v.refutation
    if refutation is not None and refutation.witness:
        where = "" if refutation is v else r" (for the reading %s)" % tt_text(refutation.id)
        out.append(
            r"\paragraph{Counterexample%s.} %s Re-check it with independent exact code: \texttt{geo-sym verify}."
            % (where, witness_latex(refutation.witness))
        )
    ev = evidence_latex(v.evidence, title=r"\textbf{Evidence.}")
    if ev:
        out.append(ev)
    return "\n\n".join(s for s in out if s)


# ----------------------------------------------------------------------------- notebooks (MathJax)
def verdict_mathjax(v, width: int = 90) -> str:
    r"""A verdict for notebooks: one ``$$\begin{array}{l} … \end{array}$$`` that MathJax renders.

    Text is in ``\text{}`` pieces without macros inside, the mathematics in math mode (``γ_A`` is
    ``\gamma_{\mathcal{A}}``, never ``\text{γ\_A}``).
    """
    rows = [r"\textbf{%s}\quad %s" % (v.id, mathjax_text(v.status))]
    statement = paragraph_mathjax(v.statement_latex, width) if v.statement_latex else prose_mathjax(v.statement, width)
    rows += _labelled("Statement. ", statement)
    rows += _labelled("Verdict. ", prose_mathjax(v.reason, width))
    for h in v.holds_under:
        rows += _labelled("Holds under: ", prose_mathjax(h, width))
    c = v.corrected or next((p.corrected for p in v.parts if p.corrected), None)
    if c:
        rows += _labelled("What is true instead (%s): " % c["status"], prose_mathjax(c["statement"], width))
    return "$$\n\\begin{array}{l}\n%s\n\\end{array}\n$$" % " \\\\\n".join(rows)


def _labelled(label: str, rows: list[str]) -> list[str]:
    if not rows:
        return [mathjax_text(label)]
    return [r"\textit{%s}" % label.strip() + r"\ " + rows[0]] + rows[1:]


def verdict_list_mathjax(verdicts, width: int = 70) -> str:
    """A list of verdicts for notebooks: claim, status and reason (wrapped) in one MathJax array."""
    rows = []
    for v in verdicts:
        reason = prose_mathjax(v.reason if not v.parts else _summary(v), width)
        cell = reason[0] if len(reason) == 1 else "\\begin{array}{l}%s\\end{array}" % " \\\\ ".join(reason)
        rows.append(r"\texttt{%s} & %s & %s" % (v.id, mathjax_text(v.status), cell))
    head = r"\text{claim} & \text{status} & \text{reason} \\ \hline"
    return "$$\n\\begin{array}{lll}\n%s\n%s\n\\end{array}\n$$" % (head, " \\\\\n".join(rows))


def _summary(v) -> str:
    by: dict[str, list[str]] = {}
    for p in v.parts:
        by.setdefault(p.status, []).append(p.id.removeprefix(v.id).lstrip("/"))
    return "; ".join(f"{status}: {', '.join(ids)}" for status, ids in by.items())
