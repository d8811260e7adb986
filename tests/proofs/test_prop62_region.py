"""Prop. 6.2's "what is true instead": the exact stability region in tau, against the spectrum at nearby tau.

On the reference economy 'constant-prices' the engine reads off a boundary in tau for each map. The test
does not restate it: it takes the boundary the check reports and confirms, with floating-point
eigenvalues of the tangent Jacobian at the fixed point, that the spectral radius is below 1 just inside
the stable side and above 1 just outside. It also checks that sweeps (``explain=False``) get the same
verdicts and witnesses without the region.
"""

from fractions import Fraction

import numpy as np
import sympy as sp

import geo_sym as gs
from proofs.claims.reference import reference_economy


def _radius(econ, tau):
    e = econ.replace(tau=tau)
    fp = gs.find_fixed_point(e)
    ev = gs.tangent_eigenvalues(e, gs.numeric_jacobian(e, fp.state))
    return float(np.max(np.abs(ev)))


def _single_boundary(region) -> Fraction:
    """The one root in tau of the boundary the check reports (a linear condition here)."""
    tau = sp.Symbol("tau")
    (expr,) = {sp.sympify(c.split(">")[0]) for c in region["stable"][0]}
    (root,) = sp.solve(expr, tau)
    return Fraction(str(root))


def test_region_boundary_is_where_the_spectral_radius_crosses_one():
    v = gs.run_checks(["prop-6.2"])[0]
    base = reference_economy("constant-prices")
    seen = 0
    for p in v.parts:
        region = (p.corrected or {}).get("evidence", {}).get("stability_region")
        if region is None:
            continue
        seen += 1
        econ = base.replace(map=p.id.split("/")[-1])
        b = _single_boundary(region)
        stable_above = sp.sympify(region["stable"][0][0].split(">")[0]).subs("tau", sp.Rational(b) + 1) > 0
        inside, outside = (b + Fraction(1, 20), b - Fraction(1, 20))
        if not stable_above:
            inside, outside = outside, inside
        assert _radius(econ, inside) < 1 < _radius(econ, outside), (p.id, b)
    assert seen == 2


def test_sweeps_get_the_same_verdicts_without_the_region():
    full = gs.run_checks(["prop-6.2"])[0]
    lean = gs.run_checks(["prop-6.2"], explain=False)[0]
    assert [p.status for p in full.parts] == [p.status for p in lean.parts]
    assert [p.witness for p in full.parts] == [p.witness for p in lean.parts]
    assert all("stability_region" not in (p.corrected or {}).get("evidence", {}) for p in lean.parts)


def test_corrigendum_draws_the_region_of_each_part(tmp_path):
    from proofs.corrigendum import region_figures

    verdicts = gs.run_checks(["prop-6.2"])
    figures = region_figures(verdicts, tmp_path / "c.tex")
    drawn = figures["prop-6.2"]
    assert [f.label for f in drawn] == ["fig:prop-6.2-simultaneous", "fig:prop-6.2-sequential"]
    for f in drawn:
        assert (tmp_path / f.path).stat().st_size > 1000 and "\\tau" in f.caption
    # no region in the corrected statements: nothing drawn
    assert region_figures(gs.run_checks(["prop-6.2"], explain=False), tmp_path / "d.tex") == {}


def test_documents_leave_the_verifier_data_out_of_the_evidence_tables():
    from proofs.latex_verdict import corrected_latex

    part = gs.run_checks(["prop-6.2"])[0].parts[1]
    tex = corrected_latex(part.corrected)
    assert "$3\\tau-4 > 0$" in tex and "$\\alpha = 1/2$" in tex  # the region, typeset, in the statement
    assert "recheck" not in tex and "params" not in tex


def test_an_engine_contradiction_is_reported_not_dropped(monkeypatch):
    """A region engine that contradicts its own exact check raises through the claim (never 'no region')."""
    import pytest

    import geo_sym.rigorous.regions as rg
    from geo_sym.errors import InconsistencyError
    from geo_sym.rigorous import schur

    def wrong(signs, d):
        got = schur.classify_factor(signs, d)
        return got if got == "boundary" else (got[1], got[0])

    monkeypatch.setattr(rg, "classify_factor", wrong)
    with pytest.raises(InconsistencyError):
        gs.run_checks(["prop-6.2"])


def test_a_region_that_is_the_whole_domain_is_said_so():
    """On a corpus economy whose linearisation is stable for every τ > 0 the statement names the domain
    (an empty conjunction is not an empty sentence), and the spectrum agrees at τ far apart."""
    from pathlib import Path

    path = Path(__file__).resolve().parent / "corpus" / "linear_G_nilpotent.yaml"
    econ = gs.load_economy(path)
    part = gs.run_checks(["prop-6.2"], economy=econ)[0].parts[0]
    region = part.corrected["evidence"]["stability_region"]
    assert region["stable"] == [[]] and region["unstable"] == []
    assert "exactly where τ > 0, the whole domain," in part.corrected["statement"]
    m = econ.replace(map=part.id.rsplit("/", 1)[-1])
    for tau in (Fraction(1, 10), Fraction(1), Fraction(10)):
        assert _radius(m, tau) < 1
