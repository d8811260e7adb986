r"""The figures of a verdict in LaTeX: witness values, evidence, labelled tables (for pdflatex documents).

A witness or an evidence dictionary is data for ``geo-sym verify`` and for scripts; in a document
each figure gets a label a reader understands (``ratio_squared`` is
:math:`\lVert D\Phi\,t\rVert^2/\lVert t\rVert^2`), exact rationals are fractions — or, when they run to
dozens of digits, a ten-digit decimal marked :math:`\approx` (the exact value is in the JSON) —
enclosures are intervals, algebraic numbers are "the root of … in …", and lists of records are tables.
"""

from __future__ import annotations

import re

import sympy as sp

from geo_sym.render.latex_blocks import longtable
from geo_sym.render.latex_text import decimal_latex, float_latex, tex_text, tt_text
from geo_sym.render.mathtext import prose_latex

__all__ = ["LABELS", "label_latex", "value_latex", "number_latex", "records_table", "pairs_table"]

#: Labels of witness and evidence keys (LaTeX, text mode). Keys not listed are spelled out in words.
LABELS = {
    "accuracy": "accuracy",
    "agent": "agent",
    "assumption_3_projection_errors_sin3t": r"projection errors of $\sin 3t$ as $K$ grows (Assumption 3)",
    "at_the_counterexample": "at the counterexample",
    "beta_times_max_slack": r"$\beta \cdot {}$max slack",
    "bound": "bound",
    "bound_is_the_maximum": "the bound is the maximum",
    "certificate": "certificate",
    "claimed_bound": "claimed bound",
    "condition": "condition",
    "coordinates": "coordinates",
    "count_at_least": "fixed points (at least)",
    "decentralizable": "decentralisable",
    "decisive": "decisive comparison",
    "defined": r"$\Phi_K$ defined on all of $\Omega_K$",
    "dimension": "dimension",
    "dimension_of_Omega_K": r"dimension of $\Omega_K$",
    "distance": r"$\lVert x_n - x^* \rVert$",
    "economies": "economies checked",
    "economy": "economy",
    "eigenvalue": "eigenvalue",
    "equilibrium_exists": "an equilibrium exists",
    "exact": "exact",
    "exact_equilibria_found": "exact equilibria found",
    "exceeded_numerically": "exceeded (numerically)",
    "family": "the SFSL family",
    "figure": "the bound compared",
    "firm": "firm",
    "fixed_points": "fixed points",
    "fixed_points_found": "fixed points found",
    "formula": "formula",
    "from": "taken from",
    "hypothesis": "hypothesis",
    "identity_cancels": "the identity cancels exactly",
    "iterations": "iterations",
    "iterations_at_that_rate": r"iterations needed at the rate $\rho$",
    "K": "$K$",
    "lambda": r"$\lambda$",
    "largest_sampled_norm": "largest sampled norm",
    "map": "map",
    "max_gap": r"largest budget gap $t^*$",
    "n": "$n$",
    "no_equilibrium": "no equilibrium",
    "norm": "norm",
    "p": "$p$",
    "pi": r"$\pi$",
    "prices": "prices $p$",
    "prices_tested": "price vectors tested",
    "production_sets": "production sets",
    "profit_gap": r"profit gap $\Pi_a(p) - \langle p_a, y_a \rangle$",
    "proof_bound": "the proof's bound against sampled norms",
    "q": r"$q = p + \beta(d - y)$",
    "rate": r"rate $\lambda$",
    "ratio_squared": r"$\lVert D\Phi\, t \rVert^2 / \lVert t \rVert^2$",
    "ratio_squared_at_least": r"lower bound of $\lVert D\Phi\, t \rVert^2 / \lVert t \rVert^2$",
    "reading": "reading",
    "reference_prices": "reference prices $p^0$",
    "relation": "relation",
    "roots_inside_unit_circle": "roots inside the unit circle",
    "routing_approx": r"routing $\pi$ (decimals)",
    "rows": "rows",
    "seed": "seed",
    "spectral_radius": r"spectral radius $\rho$",
    "state_note": "note",
    "supply": "supply $y$",
    "tangent": "tangent vector $t$",
    "tried": "allocations tried",
    "unique": "unique",
    "value": "value",
    "value_approx": "value (decimals)",
    "weighted_norm_certificate": "certificate in a weighted norm",
    "y": "$y$",
}

#: Significant digits above which an exact rational is shown as a decimal (the exact value is in the JSON).
MAX_DIGITS = 14


def label_latex(key) -> str:
    """The label of a key (text mode): from :data:`LABELS`, else the key in words."""
    key = str(key)
    if key in LABELS:
        return LABELS[key]
    return prose_latex(key.replace("_", " "))


# ----------------------------------------------------------------------------- numbers
_RATIONAL = re.compile(r"[-+]?\d+(/\d+)?\Z")


def number_latex(value) -> str | None:
    """A JSON number or a number written as a string, as LaTeX math; None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return float_latex(value, 6)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**MAX_DIGITS else r"\approx %s" % float_latex(value, 10)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _RATIONAL.match(text):
        q = sp.Rational(text)
        if len(str(abs(q.p))) + len(str(q.q)) > MAX_DIGITS + 2:
            return r"\approx %s" % float_latex(float(q), 10)
        return sp.latex(q)
    dec = decimal_latex(text)
    if dec is None:
        return None
    digits = re.sub(r"\D", "", text.lower().split("e")[0]).lstrip("0")
    if len(digits) > MAX_DIGITS:
        return r"\approx %s" % float_latex(float(text), 10)
    return dec


def _interval(pair) -> str | None:
    """``[lo, hi]`` of two numbers as an interval (one number when ``lo == hi``).

    Endpoints too long to print exactly are shown with as many digits as it takes to tell them apart.
    """
    if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
        return None
    lo, hi = (number_latex(v) for v in pair)
    if lo is None or hi is None:
        return None
    if str(pair[0]).strip() == str(pair[1]).strip():
        return lo
    if lo.startswith(r"\approx") or hi.startswith(r"\approx") or lo == hi:
        a, b = (sp.Rational(str(v).strip()) for v in pair)
        digits = next((d for d in range(6, 11) if float_latex(float(a), d) != float_latex(float(b), d)), None)
        if digits is None:  # a tight enclosure: its midpoint and radius
            radius = float((b - a) / 2)
            rtex = float_latex(radius, 2) if radius > 0 else r"10^{-300}"
            return r"%s \pm %s" % (float_latex(float((a + b) / 2), 12), rtex)
        lo, hi = float_latex(float(a), digits), float_latex(float(b), digits)
    return r"\left[%s,\ %s\right]" % (lo, hi)


def _algebraic(d: dict) -> str | None:
    """``{"minpoly", "re", "im"}``: a rational root exactly, else the root of the polynomial in the rectangle."""
    if "minpoly" not in d:
        return None
    x = sp.Symbol("x")
    try:
        coeffs = [sp.Rational(str(c)) for c in d["minpoly"]]
    except (TypeError, ValueError):
        return None
    poly = sp.Poly(coeffs, x)
    im = d.get("im", [0, 0])
    real = all(str(v).strip() in ("0", "0/1") for v in im)
    if poly.degree() == 1 and real:
        return "$%s$ (the root of $%s$)" % (sp.latex(-coeffs[1] / coeffs[0]), sp.latex(poly.as_expr()))
    re_part = _interval(d.get("re", [0, 0])) or "?"
    rel = r"\approx" if r"\pm" in re_part else ("=" if not re_part.startswith(r"\left[") else r"\in")
    if real:
        return r"the root of $%s$ with $x %s %s$" % (sp.latex(poly.as_expr()), rel, re_part)
    return r"the root of $%s$ with $\operatorname{Re} x %s %s$, $\operatorname{Im} x \in %s$" % (
        sp.latex(poly.as_expr()),
        rel,
        re_part,
        _interval(im) or "?",
    )


# ----------------------------------------------------------------------------- values
def value_latex(value, key: str = "", depth: int = 0) -> str:
    """A witness or evidence value as LaTeX text mode (numbers in math, words through the prose converter)."""
    num = number_latex(value)
    if num is not None:
        return "$%s$" % num
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "none"
    if isinstance(value, str):
        return prose_latex(value if len(value) <= 400 else value[:400] + " …")
    if isinstance(value, dict):
        return _dict_latex(value, depth)
    if isinstance(value, (list, tuple)):
        return _list_latex(value, key, depth)
    return tex_text(str(value))


def _dict_latex(value: dict, depth: int) -> str:
    alg = _algebraic(value)
    if alg is not None:
        return alg
    if {"quantity", "value", "bound", "relation"} <= set(value):
        rel = {"<": "<", "<=": r"\le", ">": ">", ">=": r"\ge", "==": "="}.get(value["relation"], value["relation"])
        q = prose_latex(str(value["quantity"]))
        return r"%s: %s $%s$ %s" % (
            q,
            value_latex(value["value"], depth=depth + 1),
            rel,
            value_latex(value["bound"], depth=depth + 1),
        )
    if depth > 2:
        return tt_text(str(value)[:200])
    return "; ".join(r"%s: %s" % (label_latex(k), value_latex(v, k, depth + 1)) for k, v in value.items())


def _list_latex(value, key: str, depth: int) -> str:
    items = list(value)
    if not items:
        return "none"
    if all(isinstance(v, list) for v in items) and all(number_latex(x) is not None for r in items for x in r):
        flat = [x for r in items for x in r]  # a matrix given by rows (prices per agent): one vector
        items = flat
    if all(number_latex(v) is not None for v in items):
        iv = _interval(items) if key in _INTERVAL_KEYS else None
        if iv is not None:
            return "$%s$" % iv
        shown = [number_latex(v).replace(r"\approx ", "") for v in items[:12]]
        more = r",\allowbreak\ \dots\ (%d\ \text{in all})" % len(items) if len(items) > 12 else ""
        return r"$(%s%s)$" % (r",\allowbreak\ ".join(shown), more)
    return "; ".join(value_latex(v, key, depth + 1) for v in items[:12]) + (
        r"; \dots{} (%d in all)" % len(items) if len(items) > 12 else ""
    )


_INTERVAL_KEYS = {"value", "spectral_radius", "ratio_squared", "re", "im", "distance"}


# ----------------------------------------------------------------------------- tables
def pairs_table(pairs: list[tuple[str, str]], head: str = "quantity & value", title: str = "") -> str:
    """A two-column table of ``(label, value)`` in text mode, wrapped in paragraph columns."""
    rows = [r"%s & %s \\" % (label, value) for label, value in pairs]
    return longtable(r">{\raggedright}p{5.2cm}>{\raggedright\arraybackslash}p{10.6cm}", head, rows, title=title)


def records_table(records: list[dict], title: str = "") -> str:
    """A list of records (dicts) as a table: one column per key (labelled), one row per record."""
    keys: list[str] = []
    for r in records:
        keys += [k for k in r if k not in keys]
    keys = keys[:6]
    width = 15.8 / max(1, len(keys))
    spec = "".join(
        r">{\raggedright%s}p{%.1fcm}" % ("\\arraybackslash" if i == len(keys) - 1 else "", width - 0.25)
        for i in range(len(keys))
    )
    rows = [" & ".join(value_latex(r.get(k, ""), k, 1) if k in r else "" for k in keys) + r" \\" for r in records[:30]]
    out = longtable(spec, " & ".join(label_latex(k) for k in keys), rows, size=r"\small", title=title)
    if len(records) > 30:
        out += "\n\n(%d records in all; the JSON output lists every one.)" % len(records)
    return out
