"""The region engine on closed forms derived by hand: AR(1), a second-order difference equation, a triangular 2×2."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from dsge.model.parser import parse_formula, to_sympy
from geo_sym.errors import SolverError, ValidationError
from geo_sym.rigorous.regions import root_regions, saddle_path_region, stability_labeler, stability_region

a, b, rho = sp.symbols("a b rho", real=True)


def _same_inequalities(term, expected):
    """The strict inequalities of ``term`` are positive multiples of ``expected``, one each."""
    assert all(q.strict for q in term)
    got = [q.expr for q in term]
    assert len(got) == len(expected)
    for e in expected:
        ratios = [sp.cancel(g / e) for g in got]
        assert sum(1 for r in ratios if r.is_number and r > 0) == 1, (e, got)


def _rationals(rng, n, lo, hi):
    return [sp.Rational(int(rng.integers(lo * 60, hi * 60)), 60) for _ in range(n)]


def test_ar1():
    """x_{t+1} = ρ x_t: stable iff -1 < ρ < 1; boundary ρ = ±1; unstable otherwise."""
    r = stability_region(sp.Matrix([[rho]]), [rho])
    assert len(r.regions["stable"]) == 1
    _same_inequalities(r.regions["stable"][0], [1 - rho, 1 + rho])
    assert r.classify(rho=1) == "boundary" and r.classify(rho=-1) == "boundary"
    assert r.classify(rho=sp.Rational(99, 100)) == "stable" and r.classify(rho=sp.Rational(-101, 100)) == "unstable"
    assert r.check.agreed > 150 and r.check.points == 200


def _second_order_truth(av, bv):
    """λ² - aλ - b by hand: p(1) = 1 - a - b, p(-1) = 1 + a - b, product of roots -b."""
    p1, pm1 = 1 - av - bv, 1 + av - bv
    if p1 == 0 or pm1 == 0 or (bv == -1 and abs(av) <= 2):
        return "boundary"
    return "stable" if (p1 > 0 and pm1 > 0 and 1 + bv > 0) else "unstable"


def test_second_order_difference_equation_triangle():
    """x_{t+1} = a x_t + b x_{t-1}: the stability triangle 1 - a - b > 0, 1 + a - b > 0, 1 + b > 0 (Jury)."""
    r = stability_region(sp.Matrix([[a, b], [1, 0]]), [a, b])
    assert len(r.regions["stable"]) == 1
    _same_inequalities(r.regions["stable"][0], [1 - a - b, 1 + a - b, 1 + b])
    rng = np.random.default_rng(3)
    pts = list(zip(_rationals(rng, 300, -3, 3), _rationals(rng, 300, -2, 2)))
    pts += [(0, -1), (2, -1), (3, -1), (sp.Rational(1, 2), sp.Rational(1, 2)), (-1, 0), (sp.Rational(5, 2), -1)]
    for av, bv in pts:  # on the lines too (rational points are hit exactly)
        assert r.classify(a=av, b=bv) == _second_order_truth(av, bv), (av, bv)


def test_triangular_system_by_hand():
    """[[a, 1], [0, b]] has eigenvalues a and b: stable iff |a| < 1 and |b| < 1."""
    r = stability_region(sp.Matrix([[a, 1], [0, b]]), [a, b])
    assert len(r.regions["stable"]) == 1
    _same_inequalities(r.regions["stable"][0], [1 - a, 1 + a, 1 - b, 1 + b])
    rng = np.random.default_rng(5)
    for av, bv in zip(_rationals(rng, 200, -2, 2), _rationals(rng, 200, -2, 2)):
        truth = "boundary" if abs(av) == 1 or abs(bv) == 1 else "stable" if abs(av) < 1 and abs(bv) < 1 else "unstable"
        assert r.classify(a=av, b=bv) == truth


def test_bounds_simplify_and_strings_parse_back():
    """Within a ≥ 0, b ≥ 0 the condition 1 + b > 0 is implied and dropped; every string re-parses to the same polynomial."""
    r = stability_region(sp.Matrix([[a, b], [1, 0]]), [a, b], bounds={"a": (0, None), "b": (0, None)})
    (term,) = r.regions["stable"]
    _same_inequalities(term, [1 - a - b])
    names = {"a": a, "b": b}
    for alts in list(r.regions.values()) + [r.boundary]:
        for t in alts:
            for q in t:
                text, op = str(q).rsplit(" ", 2)[0], str(q).split()[-2]
                tree = parse_formula(text, parameters=["a", "b"])
                assert sp.expand(to_sympy(tree, {("par", k, 0): v for k, v in names.items()}) - q.expr) == 0
                assert op == (">" if q.strict else ">=")
    d = r.to_dict()
    assert set(d) >= {"params", "fixed", "regions", "boundary"} and set(d["regions"]) == {"stable", "unstable"}


def test_excluded_points_where_the_matrix_is_undefined():
    r = stability_region(sp.Matrix([[1 / b, 0], [0, sp.Rational(1, 2)]]), [b])
    assert [[str(q) for q in t] for t in r.excluded] == [["b >= 0", "-b >= 0"]]
    assert (
        r.classify(b=2) == "stable" and r.classify(b=sp.Rational(1, 2)) == "unstable" and r.classify(b=0) == "excluded"
    )


def test_a_wrong_numeric_classifier_is_caught():
    """The check can fail: a classifier that always says "stable" disagrees with the exact regions."""
    lam = sp.Symbol("lambda")
    with pytest.raises(SolverError, match="disagree"):
        root_regions(
            lam - rho,
            lam,
            [rho],
            labeler=stability_labeler,
            labels=("stable", "unstable"),
            kind="stability",
            numeric_classifier=lambda pt: "stable",
        )


@pytest.mark.parametrize(
    "matrix, params, match",
    [
        (sp.Matrix([[a + b + rho]]), [a, b, rho], "one or two parameter"),
        (sp.Matrix([[sp.exp(a)]]), [a], "rational functions"),
        (sp.Matrix([[sp.Float(0.5) * a]]), [a], "rational functions"),
        (sp.Matrix([[a * sp.Symbol("c")]]), [a], "rational functions"),
        (sp.Matrix([[a, 1]]), [a], "square"),
        (sp.Matrix([[a]]), [a, a], "distinct"),
    ],
)
def test_bad_input(matrix, params, match):
    with pytest.raises(ValidationError, match=match):
        stability_region(matrix, params)


def test_result_object_surface():
    r = stability_region(sp.Matrix([[rho]]), [rho], check_points=20)
    assert repr(r).startswith("RegionResult(stability") and "\n" not in repr(r)
    frame = r.to_frame()
    assert list(frame.columns) == ["region", "alternative", "inequality"]
    assert set(frame["region"]) >= {"stable", "unstable", "boundary"}
    with pytest.raises(ValidationError):
        r.classify(rho=1, a=2)


def test_saddle_path_region_on_the_new_keynesian_matrix_by_hand():
    """E_t z_{t+1} = M1⁻¹ M0 z_t for z = (x, π) (docstring of test_regions_determinacy): two jumps."""
    fp, fy = sp.symbols("phi_pi phi_y", real=True)
    sigma, beta, kappa = sp.Integer(1), sp.Rational(99, 100), sp.Rational(1, 10)
    M0 = sp.Matrix([[1 + fy / sigma, fp / sigma], [-kappa, 1]])
    M1 = sp.Matrix([[1, 1 / sigma], [0, beta]])
    r = saddle_path_region(M1.inv() * M0, [fp, fy], 2, bounds={"phi_pi": (0, None), "phi_y": (0, None)})
    (term,) = r.regions["determinate"]
    _same_inequalities(term, [kappa * (fp - 1) + (1 - beta) * fy])
    assert r.regions["no-stable-solution"] == ()


def test_polynomial_input_with_its_default_numeric_check():
    lam = sp.Symbol("lambda")
    r = root_regions(
        lam**2 - rho, lam, [rho], labeler=stability_labeler, labels=("stable", "unstable"), kind="stability"
    )
    (term,) = r.regions["stable"]
    _same_inequalities(term, [1 - rho, 1 + rho])  # roots ±√ρ (real or imaginary): inside iff |ρ| < 1
    assert r.check.agreed > 150


def test_interpolated_characteristic_polynomial_equals_berkowitz(monkeypatch):
    import geo_sym.rigorous.charpoly as cp

    M = sp.Matrix([[a / b, 1, 0], [b, a**2, 1 / (a + 1)], [1, 2, a * b]])
    lam = sp.Symbol("lambda")
    direct = cp.cleared_charpoly(M, (a, b), lam)
    monkeypatch.setattr(cp, "_max_bits", lambda M: 10**6)  # force evaluation + interpolation
    assert sp.expand(cp.cleared_charpoly(M, (a, b), lam) - direct) == 0
    # and it is (row denominators) x det(lambda I - M)
    assert sp.cancel(direct / (M.charpoly(lam).as_expr() * b * (a + 1))) == 1


def test_a_wrong_sign_reading_is_caught_by_exact_root_location(monkeypatch):
    """The per-cell exact recomputation can fail: a sign reading that swaps the classes is refused."""
    import geo_sym.rigorous.regions as rg
    from geo_sym.rigorous import schur

    def wrong(signs, d):
        got = schur.classify_factor(signs, d)
        return got if got == "boundary" else (got[1], got[0])

    monkeypatch.setattr(rg, "classify_factor", wrong)
    with pytest.raises(SolverError, match="internal inconsistency"):
        stability_region(sp.Matrix([[a, b], [1, 0]]), [a, b], check_points=10)


def test_third_order_equation_against_numpy_roots():
    """x' = a x + b x(-1) + x(-2)/3: a cubic factor, curved boundaries, irrational cell coordinates."""
    c = sp.Rational(1, 3)
    r = stability_region(sp.Matrix([[a, b, c], [1, 0, 0], [0, 1, 0]]), [a, b], bounds={"a": (-4, 4), "b": (-4, 4)})
    assert r.n_cells > 100
    rng = np.random.default_rng(8)
    for av, bv in zip(_rationals(rng, 300, -4, 4), _rationals(rng, 300, -4, 4)):
        mods = np.abs(np.roots([1, -float(av), -float(bv), -float(c)]))
        if np.any(np.abs(mods - 1) < 1e-9):
            continue
        assert r.classify(a=av, b=bv) == ("stable" if np.all(mods < 1) else "unstable"), (av, bv)


def test_a_wrong_sign_reading_is_caught_on_algebraic_cells(monkeypatch):
    """With the rational-cell check off, the 50-digit check of the irrational cells still catches a wrong reading."""
    import geo_sym.rigorous.regions as rg
    from geo_sym.rigorous import schur

    def wrong(signs, d):
        got = schur.classify_factor(signs, d)
        return got if got == "boundary" else (got[1], got[0])

    monkeypatch.setattr(rg, "classify_factor", wrong)
    monkeypatch.setattr(rg, "check_rational_cells", lambda *args: None)
    with pytest.raises(SolverError, match="50-digit"):
        stability_region(sp.Matrix([[a, b, sp.Rational(1, 3)], [1, 0, 0], [0, 1, 0]]), [a, b], check_points=5)


def test_inequalities_read_as_prose():
    """``Inequality.text``: Greek names as letters, implicit products only after a standalone number."""
    from geo_sym.rigorous.region_result import Inequality, unicode_name

    tau, alpha, phi, x1 = sp.symbols("tau alpha phi_lat x1", real=True)
    assert Inequality(3 * tau - 4, True).text() == "3τ − 4 > 0"
    assert Inequality(-alpha + 8 * tau, True).text() == "−α + 8τ > 0"
    assert Inequality(alpha * tau**2 - 3 * phi, False).text() == "α·τ^2 − 3φ_lat ≥ 0"
    assert Inequality(x1 * tau - 2, True).text() == "x1·τ − 2 > 0"  # the 1 of x1 is not a coefficient
    assert [unicode_name(n) for n in ("phi_qual", "kappa", "y")] == ["φ_qual", "κ", "y"]
