"""Regression pins: the results of the rigorous, region, SFSL, Blanchard–Kahn and Theorem 8.1(v) code, as recorded.

The values in ``tests/pins/*.json`` were computed by the code *before* it was split into smaller modules and
functions (issue 10's size rule), so these tests check that the split changed no result: every field of each
result (strings, counts, flags and ``None`` exactly; floats to a relative 1e-12, since BLAS builds may differ in
the last bits of the float choices that steer a search), and the type and message of the error each bad input
raises. They are not evidence that the results are right —
the other tests derive facts independently — only that a refactor left them as they were.

Regenerate a file only when a change of results is intended, and say why in the commit::

    PYTHONPATH=. python tests/test_result_pins.py --write rigorous regions sfsl klein consolidated errors
"""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "tests" / "pins"
BOX1 = [[0, 1]]
REL = 1e-12


# ----------------------------------------------------------------------------- plain JSON
def plain(x):
    """A JSON-ready copy: tuples as lists, NumPy and exact numbers as Python floats or strings."""
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return plain(x.tolist())
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        return v if math.isfinite(v) else repr(v)
    if isinstance(x, complex):
        return {"re": plain(x.real), "im": plain(x.imag)}
    if isinstance(x, (Fraction, sp.Basic)):
        return str(x)
    return x


def mismatches(want, got, path="$") -> list[str]:
    """Where ``got`` differs from ``want`` (floats to a relative ``REL``, everything else exactly)."""
    if isinstance(want, float) and isinstance(got, (float, int)) and not isinstance(got, bool):
        ok = math.isclose(want, got, rel_tol=REL, abs_tol=1e-300)
        return [] if ok else [f"{path}: {want!r} != {got!r}"]
    if type(want) is not type(got):
        return [f"{path}: type {type(want).__name__} != {type(got).__name__} ({got!r})"]
    if isinstance(want, dict):
        if set(want) != set(got):
            return [f"{path}: keys {sorted(set(want) ^ set(got))} differ"]
        return [m for k in want for m in mismatches(want[k], got[k], f"{path}.{k}")]
    if isinstance(want, list):
        if len(want) != len(got):
            return [f"{path}: length {len(want)} != {len(got)}"]
        return [m for i, (a, b) in enumerate(zip(want, got)) for m in mismatches(a, b, f"{path}[{i}]")]
    return [] if want == got else [f"{path}: {want!r} != {got!r}"]


# ----------------------------------------------------------------------------- economies
def _economy(**kw):
    from geo_sym.economy.spec import Economy

    return Economy.build(**kw)


def positive_feedback():
    """Two parallel agents, sequential map, prices γ y with γ = -4: three fixed points."""
    return _economy(
        name="positive-feedback",
        agents=[{"name": "a1", "demand": [1], "box": BOX1}, {"name": "a2", "demand": [1], "box": BOX1}],
        map="sequential",
        parameters={"alpha": "1/10", "tau": 1},
        price_mechanism={"kind": "linear", "gamma": -4},
    )


def ball_tatonnement():
    """A ball and a box agent on a chain, tâtonnement prices, K = 2."""
    return _economy(
        name="ball-tatonnement",
        agents=[
            {"name": "a", "demand": ["3/5", "4/5"], "ball": {"center": ["1/2", "1/2"], "radius": 1}},
            {"name": "b", "demand": ["1/2", "1/3"], "box": [[0, 1], [0, "3/4"]]},
            {"name": "c", "demand": [1, "1/2"], "box": [[0, 1], [0, 1]]},
        ],
        edges=[["a", "b"], ["a", "c"]],
        map="simultaneous",
        parameters={"alpha": "1/5", "beta": "1/3", "tau": "1/2"},
        price_mechanism={"kind": "tatonnement"},
    )


def ball_linear():
    """A ball agent and a box agent in parallel, sequential map, a general linear price mechanism."""
    return _economy(
        name="ball-linear",
        agents=[
            {"name": "a", "demand": ["1/2", "1/4"], "ball": {"center": [0, 0], "radius": 1}},
            {"name": "b", "demand": ["1/3", 1], "box": [[-1, 1], [0, 2]]},
        ],
        edges=[],
        map="sequential",
        parameters={"alpha": "1/4", "tau": 2},
        price_mechanism={
            "kind": "linear",
            "G": [["1/2", 0, "1/4", 0], [0, "1/3", 0, 0], ["-1/5", 0, "1/2", 0], [0, 0, "1/7", "1/3"]],
            "b": ["1/10", 0, "1/5", "-1/10"],
        },
    )


def _reference(name):
    from proofs.claims.reference import reference_economy

    return reference_economy(name)


# ----------------------------------------------------------------------------- rigorous
def _bounds(balls):
    from geo_sym.rigorous.arb import float_down, float_up

    return [[float_down(b), float_up(b)] for b in balls]


def _image(img) -> dict:
    out = {"ok": img.ok, "reason": img.reason}
    if img.ok:
        out["value"] = _bounds(img.value)
        out["tangent_value"] = _bounds(img.tangent_value)
    if img.slope is not None:
        m = img.slope.nrows()
        out["slope"] = [_bounds([img.slope[i, j] for j in range(m)]) for i in range(m)]
    return out


def _interval_cases() -> dict:
    from geo_sym.rigorous.boxes import TangentBox
    from geo_sym.rigorous.interval import interval_map
    from geo_sym.solve.fixed_point import center_state

    out = {}
    econs = [
        _reference("example-6.3"),
        _reference("two-by-two"),
        _reference("large-beta"),
        _reference("one-agent-overdemand"),
        positive_feedback(),
        ball_tatonnement(),
        ball_linear(),
    ]
    for econ in econs:
        im = interval_map(econ)
        u = im.chart.to_tangent(center_state(econ).to_float().flat())
        dom = im.state_space_box()
        out[econ.name] = {
            "state_space": _image(im.evaluate(dom)),
            "state_space_value_only": _image(im.evaluate(dom, jacobian=False)),
            "around_center": _image(im.evaluate(TangentBox.around(u, 0.05))),
            "point": _image(im.evaluate(TangentBox(u.copy(), u.copy()))),
            "full_coordinates": _image(interval_map(econ, "full").evaluate(TangentBox.around(econ_flat(econ), 0.01))),
        }
    return out


def econ_flat(econ):
    from geo_sym.solve.fixed_point import center_state

    return center_state(econ).to_float().flat()


def _without_time(d: dict) -> dict:
    return {k: v for k, v in d.items() if k != "elapsed_seconds"}


def _rigorous_cases() -> dict:
    from geo_sym.rigorous.boxes import TangentBox
    from geo_sym.rigorous.contraction import contraction_certificate
    from geo_sym.rigorous.fixed_points import certify_fixed_points, find_all_fixed_points
    from geo_sym.rigorous.interval import interval_map
    from geo_sym.rigorous.krawczyk import certify_fixed_point, krawczyk_test
    from geo_sym.solve.fixed_point import find_fixed_point

    ex = _reference("example-6.3")
    pf = positive_feedback()
    tp = _reference("two-parallel")
    st = find_fixed_point(ex).state
    u = interval_map(ex).chart.to_tangent(st.to_float().flat())
    out = {"interval": _interval_cases()}
    out["krawczyk"] = {
        "example-6.3 r=1e-6": certify_fixed_point(ex, st, radius=1e-6).to_dict(),
        "example-6.3 r=1e-2 unpolished": certify_fixed_point(ex, st, radius=1e-2, polish=False).to_dict(),
        "example-6.3 off by 0.1": krawczyk_test(ex, TangentBox.around(u + 0.1, 1e-3)).to_dict(),
        "example-6.3 flat box": krawczyk_test(ex, TangentBox(u.copy(), u.copy())).to_dict(),
        "two-parallel continuum": certify_fixed_point(tp, find_fixed_point(tp).state, radius=1e-6).to_dict(),
        "large-beta state space": krawczyk_test(
            _reference("large-beta"), interval_map(_reference("large-beta")).state_space_box()
        ).to_dict(),
    }
    out["contraction"] = {
        "example-6.3": contraction_certificate(ex, max_boxes=3000).to_dict(),
        "example-6.3 inf": contraction_certificate(ex, norm="inf", max_boxes=200).to_dict(),
        "example-6.3 around": contraction_certificate(ex, center=st, radius=1e-2).to_dict(),
        "example-6.3 weights": contraction_certificate(
            ex, weights=np.linspace(1.0, 2.0, interval_map(ex).m), max_boxes=100
        ).to_dict(),
        "two-parallel": contraction_certificate(tp, max_boxes=300).to_dict(),
        "two-parallel fine": contraction_certificate(tp, max_boxes=400, min_width=0.2, max_reported=3).to_dict(),
        "positive-feedback": contraction_certificate(pf, max_boxes=500).to_dict(),
        "ball-linear": contraction_certificate(ball_linear(), max_boxes=300).to_dict(),
    }
    out["fixed_points"] = {
        "positive-feedback": _without_time(find_all_fixed_points(pf, max_boxes=3000).to_dict()),
        "two-parallel": _without_time(find_all_fixed_points(tp, max_boxes=1200).to_dict()),
        "two-parallel small budget": _without_time(find_all_fixed_points(tp, max_boxes=40, max_listed=3).to_dict()),
        "one-agent-overdemand": _without_time(find_all_fixed_points(_reference("one-agent-overdemand")).to_dict()),
        "three-equilibria min width": _without_time(
            find_all_fixed_points(_three_equilibria(), max_boxes=400, min_width=1e-2).to_dict()
        ),
        "numeric example-6.3": _without_time(certify_fixed_points(ex, n_starts=2).to_dict()),
        "numeric positive-feedback": _without_time(certify_fixed_points(pf, n_starts=4, seed=3).to_dict()),
    }
    return out


def _three_equilibria():
    from geo_sym.economy.spec import load_economy

    return load_economy(ROOT / "examples" / "economies" / "three_equilibria.yaml")


# ----------------------------------------------------------------------------- regions
def _regions_cases() -> dict:
    from dsge.solution.determinacy import determinacy_region
    from geo_sym.economy.spec import load_economy
    from geo_sym.rigorous.economy_region import economy_region
    from geo_sym.rigorous.regions import root_regions, stability_labeler, stability_region

    models = ROOT / "examples" / "models"
    econs = ROOT / "examples" / "economies"
    z, a, b = sp.symbols("z a b", real=True)
    out = {
        "nk3 phi_pi phi_y": determinacy_region(
            models / "nk3.yaml", ["phi_pi", "phi_y"], bounds={"phi_pi": (0, None), "phi_y": (0, None)}
        ).to_dict(),
        "nk3 phi_pi kappa": determinacy_region(
            models / "nk3.mod", ["phi_pi", "kappa"], bounds={"phi_pi": (0, 3), "kappa": (0, 1)}, check_points=50
        ).to_dict(),
        "rbc rho": determinacy_region(models / "rbc.yaml", ["rho"], check_points=40).to_dict(),
        "example-6.3 alpha tau": economy_region(
            load_economy(econs / "example_6_3.yaml"), ["alpha", "tau"], check_points=60
        ).to_dict(),
        "example-6.3 gamma": economy_region(load_economy(econs / "example_6_3.yaml"), ["gamma"]).to_dict(),
        "two-by-two beta": economy_region(load_economy(econs / "two_by_two.yaml"), ["beta"], check_points=60).to_dict(),
        "taylor phi_lat": economy_region(
            load_economy(econs / "orchestration_taylor.yaml"), ["phi_lat"], check_points=40
        ).to_dict(),
        "polynomial": root_regions(
            z**3 - a * z**2 + b * z - sp.Rational(1, 4),
            z,
            [a, b],
            labeler=stability_labeler,
            labels=("stable", "unstable"),
            kind="stability",
            bounds={"a": (-3, 3), "b": (-3, 3)},
            constraints=[(a + 3, True)],
            excluded=[b - 2],
            check_points=80,
        ).to_dict(),
        "matrix": stability_region(
            sp.Matrix([[a, 1], [0, sp.Rational(1, 2) / (b + 2)]]), [a, b], bounds={"b": (-1, 1)}, check_points=60
        ).to_dict(),
    }
    return out


# ----------------------------------------------------------------------------- SFSL, Klein, Theorem 8.1(v)
def _sfsl_cases() -> dict:
    from geo_sym.economy.sfsl import SFSLOperator, arithmetic_rates
    from geo_sym.economy.sfsl_family import operator_projection_errors, projection_errors

    t = np.linspace(0.0, 1.0, 201)
    two = np.column_stack([np.sin(3 * t), (t > 0.4).astype(float)])
    op = SFSLOperator(T=2.0, n_grid=101, decay_rates=[0.0, 0.5, 1.5, 3.0], n_metrics=2)
    out = {
        "sin default": projection_errors(np.sin(3 * t)),
        "two metrics": projection_errors(two, K_values=[2, 6, 4], T=1.0, rate_step=0.5),
        "given rates": projection_errors(np.exp(-t), T=1.0, decay_rates=arithmetic_rates(10)),
        "zero": projection_errors(np.zeros((50, 1)), K_values=3),
        "operator": operator_projection_errors(op, np.column_stack([np.cos(np.linspace(0, 2, 101))] * 2)),
    }
    return {k: {f: getattr(v, f) for f in v.__dataclass_fields__} for k, v in out.items()}


def _klein_cases() -> dict:
    from dsge.solution.blanchard_kahn import klein
    from geo_sym.errors import SolverError

    rng = np.random.default_rng(7)

    def case(a, b, nk, **kw):
        try:
            bk, f, p = klein(a, b, nk, **kw)
        except SolverError as exc:
            return {"error": str(exc)}
        d = {k: getattr(bk, k) for k in bk.__dataclass_fields__}
        return {"bk": d, "f": f, "p": p}

    a4, b4 = rng.normal(size=(4, 4)), rng.normal(size=(4, 4))
    return {
        "determinate": case(np.eye(2), np.diag([0.5, 2.0]), 1, state_names=["k"]),
        "indeterminate": case(np.eye(2), np.diag([0.5, 0.8]), 1),
        "no stable solution": case(np.eye(2), np.diag([1.5, 2.0]), 1),
        "boundary": case(np.eye(2), np.diag([0.5, 1.0 + 1e-9]), 1),
        "rank failure": case(np.eye(2), np.array([[2.0, 0.0], [1.0, 0.5]]), 1, state_names=["k"]),
        "static jump": case(
            np.diag([1.0, 1.0, 0.0]), np.array([[0.9, 0, 0], [0.3, 1.5, 0.2], [1, 0, -1.0]]), 1, n_forward=1
        ),
        "random 4x4": case(a4, b4, 2),
        "random 4x4 no transition": case(a4, b4, 2, transition=False, balance=False, tol=1e-8),
        "singular": case(np.zeros((2, 2)), np.zeros((2, 2)), 1),
        "not finite": case(np.full((1, 1), np.nan), np.eye(1), 1),
    }


def _consolidated_cases() -> dict:
    from geo_sym.economy.spec import load_economy
    from proofs.claims.consolidated import Consolidated
    from proofs.claims.context import CheckContext

    corpus = ROOT / "tests" / "proofs" / "corpus"
    out = {}
    ctx = CheckContext(seed=0)
    for label, econ in ctx.economies(Consolidated.reference_economies):
        out[label] = Consolidated()._v(ctx, label, econ).to_dict()
    linear = [p.stem for p in sorted(corpus.glob("*.yaml")) if "kind: linear" in p.read_text(encoding="utf-8")]
    for name in ["one_interior", *linear]:
        econ = load_economy(corpus / f"{name}.yaml")
        ctx = CheckContext(economy=econ, seed=0)
        out[name] = Consolidated()._v(ctx, econ.name, econ).to_dict()
    return out


def _error_cases() -> dict:
    """Type and message of the error each bad input raises (the same exceptions and messages after a refactor)."""
    import geo_sym as gs
    from dsge.solution.determinacy import determinacy_region
    from geo_sym.economy.sfsl_family import projection_errors
    from geo_sym.economy.spec import load_economy
    from geo_sym.economy.state import State
    from geo_sym.rigorous.economy_region import economy_region
    from geo_sym.rigorous.regions import root_regions, stability_labeler, stability_region
    from geo_sym.solve.fixed_point import find_fixed_point

    ex, tp = _reference("example-6.3"), _reference("two-parallel")
    st = find_fixed_point(ex, max_iter=5, newton=False).state
    z, a, b, c = sp.symbols("z a b c", real=True)
    nk3, rbc = ROOT / "examples" / "models" / "nk3.yaml", ROOT / "examples" / "models" / "rbc.yaml"
    two = load_economy(ROOT / "examples" / "economies" / "two_by_two.yaml")
    lab = {"labeler": stability_labeler, "labels": ("stable", "unstable"), "kind": "stability"}
    t = np.linspace(0, 1, 11)
    cases = {
        "radius 0": lambda: gs.certify_fixed_point(ex, st, radius=0),
        "radius nan": lambda: gs.certify_fixed_point(ex, st, radius=float("nan")),
        "radius text": lambda: gs.certify_fixed_point(ex, st, radius="abc"),
        "state type": lambda: gs.certify_fixed_point(ex, st.to_dict()),
        "state shape": lambda: gs.certify_fixed_point(ex, State(st.y[:2], st.p[:2], st.pi), 1e-6),
        "search too large": lambda: gs.find_all_fixed_points(ex),
        "max_boxes 0": lambda: gs.find_all_fixed_points(tp, max_boxes=0),
        "max_boxes bool": lambda: gs.find_all_fixed_points(tp, max_boxes=True),
        "norm": lambda: gs.contraction_certificate(ex, norm="l2"),
        "weights shape": lambda: gs.contraction_certificate(tp, weights=[1.0]),
        "weights sign": lambda: gs.contraction_certificate(tp, weights=[1.0, -1.0, 1.0]),
        "contraction max_boxes": lambda: gs.contraction_certificate(tp, max_boxes=-3),
        "contraction radius": lambda: gs.contraction_certificate(ex, center=st, radius=0),
        "three parameters": lambda: root_regions(z - a - b - c, z, [a, b, c], **lab),
        "repeated parameter": lambda: root_regions(z - a, z, [a, a], **lab),
        "not polynomial": lambda: root_regions(z - 1 / a, z, [a], **lab),
        "irrational": lambda: root_regions(z - sp.sqrt(2) * a, z, [a], **lab),
        "degree": lambda: root_regions(z**7 - a * z - 1, z, [a], **lab),
        "reciprocal": lambda: root_regions(z**2 - a * z + 1, z, [a], **lab),
        "bounds": lambda: root_regions(z - a, z, [a], bounds={"a": (2, 1)}, **lab),
        "matrix shape": lambda: stability_region(sp.Matrix([[a, 1]]), [a]),
        "determinacy unknown": lambda: determinacy_region(nk3, ["nope"]),
        "determinacy three": lambda: determinacy_region(nk3, ["phi_pi", "phi_y", "kappa"]),
        "steady state moves": lambda: determinacy_region(rbc, ["rho", "delta"]),
        "economy unknown": lambda: economy_region(ex, ["nope"]),
        "economy beta": lambda: economy_region(ex, ["beta"]),
        "economy policy": lambda: economy_region(ex, ["alpha"], policy=True),
        "economy phi": lambda: economy_region(two, ["phi_lat"]),
        "trajectory text": lambda: projection_errors("abc"),
        "trajectory 3-D": lambda: projection_errors(np.zeros((3, 3, 3))),
        "K multiples": lambda: projection_errors(np.column_stack([t, t]), K_values=[3]),
        "K empty": lambda: projection_errors(t, K_values=[]),
        "K too large": lambda: projection_errors(t, K_values=[4], decay_rates=[0.0, 1.0]),
        "n_metrics": lambda: projection_errors(t, n_metrics=0),
    }
    out = {}
    for name, call in cases.items():
        try:
            call()
        except (ValueError, ArithmeticError, RuntimeError, TypeError, KeyError) as exc:
            out[name] = [type(exc).__name__, str(exc)]
        else:
            out[name] = None
    return out


GROUPS = {
    "rigorous": _rigorous_cases,
    "regions": _regions_cases,
    "sfsl": _sfsl_cases,
    "klein": _klein_cases,
    "consolidated": _consolidated_cases,
    "errors": _error_cases,
}
SLOW = {"rigorous", "regions"}


@pytest.mark.parametrize(
    "group", [pytest.param(g, marks=pytest.mark.slow) if g in SLOW else g for g in GROUPS], ids=list(GROUPS)
)
def test_results_are_as_pinned(group):
    pytest.importorskip("flint")
    want = json.loads((PINS / f"{group}.json").read_text(encoding="utf-8"))
    got = plain(GROUPS[group]())
    problems = mismatches(want, json.loads(json.dumps(got)))
    assert not problems, f"{len(problems)} difference(s) from tests/pins/{group}.json:\n" + "\n".join(problems[:40])


def test_the_comparison_bites():
    """A flipped flag, a changed count, a float off in the 10th digit and a missing key are all reported."""
    want = {"a": [1, 2.5, True], "b": {"c": "x"}}
    assert mismatches(want, {"a": [1, 2.5 * (1 + 1e-14), True], "b": {"c": "x"}}) == []
    assert mismatches(want, {"a": [1, 2.5, False], "b": {"c": "x"}})
    assert mismatches(want, {"a": [2, 2.5, True], "b": {"c": "x"}})
    assert mismatches(want, {"a": [1, 2.5 * (1 + 1e-10), True], "b": {"c": "x"}})
    assert mismatches(want, {"a": [1, 2.5, True], "b": {}})
    assert mismatches(want, {"a": [1, 2.5], "b": {"c": "x"}})


if __name__ == "__main__":  # pragma: no cover - regenerates pins on purpose
    if sys.argv[1:2] != ["--write"] or not set(sys.argv[2:]) <= set(GROUPS):
        raise SystemExit(f"usage: python tests/test_result_pins.py --write {' '.join(GROUPS)}")
    PINS.mkdir(exist_ok=True)
    for name in sys.argv[2:]:
        data = json.loads(json.dumps(plain(GROUPS[name]())))
        (PINS / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
