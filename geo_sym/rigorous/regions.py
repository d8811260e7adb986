r"""Exact stability and determinacy regions in one or two parameters.

Input: a polynomial in a root variable whose coefficients are polynomials in the parameters
(typically the characteristic polynomial of a Jacobian, eq. (17), or the determinant of a
Blanchard–Kahn pencil), the parameter bounds, and a rule turning root counts into a class
(``stable``/``unstable``, or ``determinate``/``indeterminate``/``no-stable-solution``). Output:
for every class, the exact set of parameters in it, as a union of conjunctions of polynomial
inequalities ``p > 0`` / ``p >= 0``; the *boundary* (some root on the unit circle) as a set of
its own; and the points where the input is undefined (``excluded``).

How it is exact:

1. the polynomial is factored over ``Q(θ)``; each parametric factor contributes the polynomials
   of :func:`geo_sym.rigorous.schur.derived_polynomials`, whose signs decide where its roots lie
   at *every* parameter point (:func:`geo_sym.rigorous.schur.classify_factor`);
2. their irreducible factors (the *atoms*), with the bounds, get a cylindrical decomposition
   (:func:`geo_sym.rigorous.cad.decompose`), which lists every realizable sign vector of the
   atoms in the domain; each is classified by the rule of step 1 (exactly, at any point);
3. each class is written as a short union of conjunctions that covers exactly its sign vectors
   and no realizable other one (:func:`geo_sym.rigorous.region_logic.minimize`): a condition is
   left out only when the remaining ones imply it on every realizable sign vector.

Two independent checks run before a result is returned, and a disagreement raises
:class:`~geo_sym.errors.SolverError`: on every full-dimensional cell the class is recomputed by
exact root location of the specialized rational polynomial (:func:`~geo_sym.rigorous.schur.exact_location`),
and at seeded random points away from the boundary the published inequalities are evaluated in
floating point and compared with the class given by a numeric classifier (eigenvalues in floating
point, or QZ for a pencil).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from geo_sym.errors import SolverError, ValidationError
from geo_sym.rigorous.cad import decompose
from geo_sym.rigorous.charpoly import cleared_charpoly, rational_entries, screen_factor_degrees
from geo_sym.rigorous.region_checks import check_algebraic_cells, check_rational_cells, numeric_check
from geo_sym.rigorous.region_logic import ALL_SIGNS, AtomTable, minimize
from geo_sym.rigorous.region_result import EXCLUDED, Inequality, RegionCheck, RegionResult
from geo_sym.rigorous.schur import BOUNDARY, classify_factor, derived_polynomials, exact_location

__all__ = [
    "Inequality",
    "RegionCheck",
    "RegionResult",
    "root_regions",
    "stability_region",
    "saddle_path_region",
    "stability_labeler",
    "determinacy_labeler",
    "MAX_PARAMETERS",
    "MAX_FACTOR_DEGREE",
    "NEAR_CIRCLE",
]

#: the exact decomposition is carried out in at most this many parameters
MAX_PARAMETERS = 2
#: numeric check: a point whose numeric moduli come this close to 1 is too near the boundary to compare
NEAR_CIRCLE = 1e-4
#: largest degree (in the root variable) of a parameter-dependent irreducible factor that is located exactly
MAX_FACTOR_DEGREE = 6


# ------------------------------------------------------------------------------------------ engine
def _symbols(params, pool=()):
    by_name = {str(s): s for s in pool}
    out = []
    for p in params:
        if isinstance(p, sp.Symbol):
            out.append(p)
        else:
            out.append(by_name.get(str(p), sp.Symbol(str(p), real=True)))
    return tuple(out)


def _check_params(syms):
    if not 1 <= len(syms) <= MAX_PARAMETERS:
        raise ValidationError(
            "params",
            [str(s) for s in syms],
            f"one or two parameter names (the exact decomposition is in at most {MAX_PARAMETERS} parameters)",
        )
    if len(set(syms)) != len(syms):
        raise ValidationError("params", [str(s) for s in syms], "distinct parameter names")


def _bound_literals(syms, bounds):
    out = []
    for s in syms:
        lo, hi = (bounds or {}).get(str(s), (None, None))
        if lo is not None and hi is not None and sp.Rational(lo) > sp.Rational(hi):
            raise ValidationError(f"bounds.{s}", (lo, hi), "a lower bound <= the upper bound")
        if lo is not None:
            out.append(Inequality(s - sp.Rational(lo), False))
        if hi is not None:
            out.append(Inequality(sp.Rational(hi) - s, False))
    return out


def stability_labeler(inside: int, outside: int) -> str:
    """``stable`` when no root is outside the unit circle, else ``unstable``."""
    return "stable" if outside == 0 else "unstable"


@dataclass
class _Factor:
    coeffs: list
    multiplicity: int
    derived: dict


def root_regions(
    polynomial,
    variable,
    params,
    *,
    labeler,
    labels,
    kind: str,
    numeric_classifier=None,
    bounds=None,
    constraints=(),
    excluded=(),
    fixed=None,
    window=None,
    notes=(),
    context=None,
    check_points: int = 200,
    seed: int = 0,
    progress=None,
    max_factor_degree: int = MAX_FACTOR_DEGREE,
) -> RegionResult:
    """Exact regions where the roots of ``polynomial`` are in each class.

    Parameters
    ----------
    polynomial : sympy.Expr
        Polynomial in ``variable`` whose coefficients are polynomials in ``params`` with rational
        coefficients. Its formal degree is its degree in ``variable``; a root at infinity (a
        vanishing leading coefficient) counts as outside the unit circle.
    variable : sympy.Symbol
    params : sequence of sympy.Symbol or str
        One or two parameters.
    labeler : callable
        ``labeler(inside, outside) -> label`` from root counts (multiplicities included).
    labels : sequence of str
        Every label ``labeler`` can return, in display order.
    kind : str
    numeric_classifier : callable, optional
        ``f(point: dict name -> float) -> label or None`` (``None``: too close to the boundary
        to tell in floating point), independent of this engine: used for the check. Default: the
        roots of ``polynomial`` by NumPy at the point.
    bounds : dict, optional
        Name -> ``(lo, hi)`` closed bounds (``None`` for unbounded).
    constraints : sequence of (sympy.Expr, bool)
        Further domain conditions ``expr > 0`` (``True``) or ``expr >= 0``.
    excluded : sequence of sympy.Expr
        Polynomials whose zeros are outside the domain (denominators of the input).
    fixed : dict, optional
        Name -> exact value of the parameters held fixed (reported).
    window : dict, optional
        Name -> (lo, hi) floats for the numeric check and plots (default: the bounds, else ±10).
    notes, context : optional
        Reported with the result.
    check_points : int
        Seeded random points of the numeric check.
    seed : int
    progress : callable, optional
        ``progress(stage, done, total)`` while the decomposition and the checks run.
    max_factor_degree : int
        Largest degree in ``variable`` of a parameter-dependent irreducible factor that is decided
        (default :data:`MAX_FACTOR_DEGREE`); a larger one raises :class:`SolverError` before the
        subresultants, whose cost grows quickly with the degree. Callers that need an answer in
        seconds rather than minutes pass a smaller one.

    Returns
    -------
    RegionResult

    Raises
    ------
    ValidationError
        Too many parameters, an input that is not polynomial in them, inconsistent bounds.
    SolverError
        A degenerate case the exact reading does not decide, or a disagreement with the exact
        per-cell recomputation or the numeric check.
    """
    syms, poly = _parametric_polynomial(polynomial, variable, params)
    report = progress or (lambda stage, done, total: None)
    if numeric_classifier is None:
        numeric_classifier = _polynomial_classifier(poly, variable, syms, labeler)
    cells = _decompose(poly, variable, syms, labeler, bounds, constraints, excluded, report, max_factor_degree)
    result = _region_result(cells, labels, kind, numeric_classifier, seed, fixed, window, notes, context)
    return replace(result, check=numeric_check(result, cells.domain, check_points, seed, report))


def _parametric_polynomial(polynomial, variable, params):
    """The parameter symbols and ``polynomial`` as a polynomial in the root variable and them, over ``Q``."""
    syms = _symbols(params, sp.sympify(polynomial).free_symbols)
    _check_params(syms)
    try:
        poly = sp.Poly(polynomial, variable, *syms)
    except sp.PolynomialError as exc:
        raise ValidationError(
            "polynomial", sp.sstr(polynomial), "a polynomial in the root variable and the parameters"
        ) from exc
    if not (poly.domain.is_QQ or poly.domain.is_ZZ):
        raise ValidationError(
            "polynomial", poly.domain, "coefficients that are polynomials in the parameters with rational coefficients"
        )
    return syms, poly


@dataclass
class _Cells:
    """Steps 1–2: the atoms, the domain, and the class of every realizable sign vector (checked exactly)."""

    syms: tuple
    poly: sp.Poly
    variable: sp.Symbol
    bounds: dict | None
    table: AtomTable
    constant_counts: tuple
    domain: list
    sign_table: dict
    dims: dict


def _decompose(
    poly, variable, syms, labeler, bounds, constraints, excluded, report, max_factor_degree: int = MAX_FACTOR_DEGREE
) -> _Cells:
    """Factor, register the atoms, decompose, classify every cell and recompute each class exactly."""
    report("factoring", 0, 1)
    table = AtomTable(syms)
    factors, constant_counts = _factor(poly, variable, syms, table, max_factor_degree)
    domain = _bound_literals(syms, bounds) + [Inequality(sp.expand(e), bool(s)) for e, s in constraints]
    domain_f = [(table.factor(q.expr), q.strict) for q in domain]
    excluded_f = [table.factor(e) for e in excluded]
    for c in sp.factor_list(poly.as_expr(), variable, *syms)[1]:
        if variable not in c[0].free_symbols:
            excluded_f.append(table.factor(c[0]))  # content: the polynomial vanishes identically there
    atoms = [a.as_expr() for a in table.atoms]
    cells = decompose(atoms, syms, progress=lambda d, t: report("decomposition", d, t)) if atoms else []
    sign_table, dims = _classify_cells(cells, factors, constant_counts, labeler, domain_f, excluded_f, poly, syms)
    report("exact checks", 0, 1)
    check_rational_cells(cells, sign_table, factors, constant_counts, syms, labeler)
    check_algebraic_cells(cells, sign_table, factors, constant_counts, syms, labeler)
    return _Cells(syms, poly, variable, bounds, table, constant_counts, domain, sign_table, dims)


def _region_result(cells: _Cells, labels, kind, classifier, seed, fixed, window, notes, context) -> RegionResult:
    """Step 3: each class, the boundary and the excluded set as short unions of conjunctions."""
    syms, poly, variable, table, sign_table = cells.syms, cells.poly, cells.variable, cells.table, cells.sign_table
    order = sorted(
        range(len(table.atoms)), key=lambda i: (-table.atoms[i].total_degree(), -len(table.atoms[i].terms()))
    )
    inside = [s for s, lab in sign_table.items() if lab != EXCLUDED]

    def region(label, universe):
        terms = minimize(universe, [s for s in universe if sign_table[s] == label], order)
        return tuple(_term_literals(t, table) for t in terms)

    regions = {lab: region(lab, inside) for lab in labels}
    notes = list(notes)
    if cells.constant_counts[1]:
        notes.append(
            f"{cells.constant_counts[1]} root(s) on the unit circle come from factors that do not depend on the "
            "parameters (e.g. a unit eigenvalue of a continuum of fixed points): every point of the domain is on the "
            "boundary"
        )
    return RegionResult(
        kind=kind,
        params=tuple(str(s) for s in syms),
        labels=tuple(labels),
        regions=regions,
        boundary=region(BOUNDARY, inside),
        excluded=region(EXCLUDED, list(sign_table)),
        domain=tuple(cells.domain),
        fixed=dict(fixed or {}),
        polynomial=poly.as_expr(),
        variable=variable,
        factors=tuple((f, m) for f, m in _display_factors(poly, variable, syms)),
        n_cells=sum(cells.dims.values()),
        check=RegionCheck(0, 0, 0, seed),
        notes=tuple(notes),
        context=dict(context or {}),
        window=_window(syms, cells.bounds, window),
        symbols=syms,
        atoms=tuple(table.atoms),
        sign_table=sign_table,
        classifier=classifier,
    )


def _polynomial_classifier(poly, variable, syms, labeler):
    coeffs = [sp.lambdify(syms, c, "math") for c in sp.Poly(poly.as_expr(), variable).all_coeffs()]
    degree = len(coeffs) - 1

    def numeric(pt):
        a = np.array([float(c(*[pt[str(s)] for s in syms])) for c in coeffs])
        nz = np.flatnonzero(a)
        if nz.size == 0:
            return None
        roots = np.roots(a[nz[0] :])
        mod = np.abs(roots)
        if np.any(np.abs(mod - 1.0) < NEAR_CIRCLE):
            return None
        return labeler(int(np.sum(mod < 1)), int(np.sum(mod > 1)) + int(nz[0]))

    return numeric if degree >= 0 else None


def _factor(poly, variable, syms, table, max_factor_degree: int = MAX_FACTOR_DEGREE):
    """Parametric factors (with their derived polynomials registered as atoms) and constant root counts."""
    _, flist = sp.factor_list(poly.as_expr(), variable, *syms)
    factors = []
    constant = [0, 0, 0]
    for f, m in flist:
        if variable not in f.free_symbols:
            continue
        coeffs = list(reversed(sp.Poly(f, variable).all_coeffs()))
        if not (f.free_symbols & set(syms)):
            i, o, u = exact_location(coeffs)
            constant = [constant[0] + m * i, constant[1] + m * o, constant[2] + m * u]
            continue
        if len(coeffs) - 1 > max_factor_degree:
            raise SolverError(
                f"the characteristic polynomial has an irreducible factor of degree {len(coeffs) - 1} that depends on "
                f"the parameters; exact regions are computed for such factors up to degree {max_factor_degree}"
            )
        derived = derived_polynomials([sp.expand(c) for c in coeffs], syms)
        if len(coeffs) > 2 and all(sp.expand(derived[f"e{k}"]) == 0 for k in range(len(coeffs) - 1)):
            raise SolverError(
                f"the factor {sp.sstr(f)} equals its reciprocal polynomial for every parameter value (its roots "
                "come in pairs z, 1/z); the exact root location does not support such factors"
            )
        factors.append(_Factor(coeffs, m, {k: table.factor(v) for k, v in derived.items()}))
    return factors, tuple(constant)


def _display_factors(poly, variable, syms):
    _, flist = sp.factor_list(poly.as_expr(), variable, *syms)
    return [(f, m) for f, m in flist if variable in f.free_symbols]


def _cell_class(signs, factors, constant, labeler):
    if constant[1] > 0:
        return BOUNDARY
    inside, outside = constant[0], constant[2]
    for fac in factors:
        d = len(fac.coeffs) - 1
        got = classify_factor({k: v.sign_at(signs) for k, v in fac.derived.items()}, d)
        if got == BOUNDARY:
            return BOUNDARY
        inside += fac.multiplicity * got[0]
        outside += fac.multiplicity * got[1]
    return labeler(inside, outside)


def _classify_cells(cells, factors, constant, labeler, domain_f, excluded_f, poly, syms):
    sign_table: dict = {}
    dims: dict = {}
    cells_iter = [c.signs for c in cells] if cells else [()]  # no atom at all: one class everywhere
    for signs in cells_iter:
        if not all((f.sign_at(signs) > 0) if strict else (f.sign_at(signs) >= 0) for f, strict in domain_f):
            continue
        if any(f.sign_at(signs) == 0 for f in excluded_f):
            label = EXCLUDED
        else:
            label = _cell_class(signs, factors, constant, labeler)
        prev = sign_table.get(signs)
        if prev is not None and prev != label:  # pragma: no cover - the atoms decide the class
            raise SolverError(f"one sign condition holds points of two classes ({prev}, {label}): internal error")
        sign_table[signs] = label
        dims[signs] = dims.get(signs, 0) + 1
    return sign_table, dims


def _term_literals(term, table) -> tuple:
    out = []
    for i, allowed in enumerate(term):
        if allowed == ALL_SIGNS:
            continue
        p = table.expr(i)
        if allowed == frozenset({1}):
            out.append(Inequality(p, True))
        elif allowed == frozenset({-1}):
            out.append(Inequality(sp.expand(-p), True))
        elif allowed == frozenset({0, 1}):
            out.append(Inequality(p, False))
        elif allowed == frozenset({-1, 0}):
            out.append(Inequality(sp.expand(-p), False))
        else:  # {0}
            out.extend([Inequality(p, False), Inequality(sp.expand(-p), False)])
    return tuple(out)


def _window(syms, bounds, window) -> dict:
    out = {}
    for s in syms:
        name = str(s)
        if window and name in window:
            lo, hi = window[name]
        else:
            lo, hi = (bounds or {}).get(name, (None, None))
            lo = -10.0 if lo is None else float(lo)
            hi = (lo + 20.0 if lo > -10 else 10.0) if hi is None else float(hi)
            if lo >= hi:
                hi = lo + 1.0
        out[name] = (float(lo), float(hi))
    return out


def stability_region(matrix, params, **kw) -> RegionResult:
    """Exact parameter regions where every eigenvalue of ``matrix`` lies inside the unit circle.

    Parameters
    ----------
    matrix : sympy.Matrix
        Square; entries rational functions of ``params`` with rational coefficients (e.g. the
        tangent Jacobian ``DΦ_K(x*)`` of eq. (17)).
    params : sequence of sympy.Symbol or str
    **kw
        ``bounds``, ``constraints``, ``fixed``, ``window``, ``notes``, ``context``,
        ``check_points``, ``seed``, ``progress`` as in :func:`root_regions`;
        ``numeric_classifier`` (default: the eigenvalues of ``matrix`` in floating point).

    Returns
    -------
    RegionResult
        Classes ``stable`` (spectral radius < 1) and ``unstable`` (some eigenvalue outside the
        unit circle), the boundary (an eigenvalue on it) and the points where an entry is undefined.
    """
    return _matrix_regions(matrix, params, stability_labeler, ("stable", "unstable"), "stability", **kw)


def determinacy_labeler(n_forward: int):
    """Blanchard–Kahn from the count of roots outside the unit circle: ``n_forward`` of them is determinate."""

    def label(inside: int, outside: int) -> str:
        if outside == n_forward:
            return "determinate"
        return "indeterminate" if outside < n_forward else "no-stable-solution"

    return label


def saddle_path_region(matrix, params, n_forward: int, **kw) -> RegionResult:
    """Exact regions where exactly ``n_forward`` eigenvalues of ``matrix`` lie outside the unit circle.

    For ``E_t z_{t+1} = A z_t`` with ``n_forward`` jump variables (Blanchard–Kahn 1980): classes
    ``determinate`` (exactly ``n_forward`` outside, none on the circle), ``indeterminate`` (fewer)
    and ``no-stable-solution`` (more). Keywords as in :func:`stability_region`.
    """
    labels = ("determinate", "indeterminate", "no-stable-solution")
    return _matrix_regions(matrix, params, determinacy_labeler(int(n_forward)), labels, "determinacy", **kw)


def _matrix_regions(matrix, params, labeler, labels, kind, *, numeric_classifier=None, **kw) -> RegionResult:
    M = sp.Matrix(matrix)
    if M.rows != M.cols or M.rows == 0:
        raise ValidationError("matrix", M.shape, "a non-empty square matrix")
    syms = _symbols(params, M.free_symbols)
    _check_params(syms)
    rational_entries(M, syms)
    lam = sp.Symbol("lambda" if "lambda" not in {str(s) for s in syms} else "z")
    dens = set()
    for e in M:
        d = sp.fraction(sp.cancel(sp.together(e)))[1]
        if d.free_symbols:
            dens.add(sp.expand(d))
    screen_factor_degrees(M, syms, kw.get("max_factor_degree", MAX_FACTOR_DEGREE))
    P = cleared_charpoly(M, syms, lam)
    f = sp.lambdify(syms, M, "numpy")

    def numeric(pt):
        A = np.array(f(*[pt[str(s)] for s in syms]), dtype=float)
        if not np.all(np.isfinite(A)):
            return None
        mod = np.abs(np.linalg.eigvals(A))
        if np.any(np.abs(mod - 1.0) < NEAR_CIRCLE):
            return None
        return labeler(int(np.sum(mod < 1)), int(np.sum(mod > 1)))

    excluded = sorted(dens, key=sp.default_sort_key) + list(kw.pop("excluded", ()))
    return root_regions(
        P,
        lam,
        syms,
        labeler=labeler,
        labels=labels,
        kind=kind,
        numeric_classifier=numeric if numeric_classifier is None else numeric_classifier,
        excluded=excluded,
        **kw,
    )
