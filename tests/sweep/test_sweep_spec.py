"""Spec parsing: dotted paths, exact grids, seeded draws, and one clear error for each bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from geo_sym.errors import GeoSymError, ModelFileError, UnknownNameError, ValidationError
from geo_sym.sweep.paths import parse_path, set_values
from geo_sym.sweep.points import chunks, point_values, substitution_value
from geo_sym.sweep.spec import load_spec

MINIMAL = {
    "economy": "../economies/orchestration_taylor.yaml",
    "vary": {"taylor.phi_lat": {"grid": [0, 20, 21]}, "taylor.phi_qual": {"grid": [0, 20, 21]}},
    "compute": ["spectral_radius"],
}


def test_minimal_spec_of_the_issue(write_spec, workdir):
    spec = load_spec(write_spec("minimal", MINIMAL))
    assert spec.kind == "grid" and spec.base_kind == "economy"
    assert spec.base_path == (workdir / "economies" / "orchestration_taylor.yaml").resolve()
    assert spec.shape == (21, 21) and spec.n_points == 441
    assert [e.path for e in spec.vary] == ["taylor.phi_lat", "taylor.phi_qual"]


def test_grid_values_are_exact_rationals(write_spec):
    spec = load_spec(write_spec("g", {**MINIMAL, "vary": {"parameters.tau": {"grid": ["1/10", "1/2", 5]}}}))
    # lo + i (hi - lo)/(n - 1) with hi - lo = 2/5: 1/10, 1/5, 3/10, 2/5, 1/2 exactly
    assert spec.vary[0].values == tuple(Fraction(k, 10) for k in range(1, 6))
    assert substitution_value(spec.vary[0].values[2]) == "3/10"
    assert substitution_value(Fraction(4)) == 4


def test_grid_points_in_c_order(write_spec):
    spec = load_spec(write_spec("g", MINIMAL))
    # point i sits at unravel_index(i, (21, 21)): the last path varies fastest
    assert point_values(spec, 0) == (0, 0)
    assert point_values(spec, 1) == (0, 1)
    assert point_values(spec, 21) == (1, 0)
    assert point_values(spec, 440) == (20, 20)


def test_random_draws_do_not_depend_on_chunking(write_spec):
    data = {
        "economy": "../economies/orchestration_taylor.yaml",
        "vary": {"parameters.tau": {"loguniform": ["1/10", 1]}, "taylor.phi_lat": {"uniform": [0, 20]}},
        "samples": 50,
        "seed": 7,
        "compute": ["spectral_radius"],
    }
    spec = load_spec(write_spec("r", data))
    assert spec.kind == "random"
    vals = [point_values(spec, i) for i in range(50)]
    assert vals == [point_values(spec, i) for i in reversed(range(50))][::-1]  # order of evaluation irrelevant
    taus = np.array([v[0] for v in vals])
    assert np.all((taus >= 0.1) & (taus <= 1.0))
    other = load_spec(write_spec("r2", {**data, "batch": 3}))
    assert [point_values(other, i) for i in range(50)] == vals
    assert sum(len(c.points) for c in chunks(50, 3)) == 50


def test_paths_select_list_elements_by_index_and_name():
    doc = {"agents": [{"name": "a", "demand": [1, 2]}, {"name": "b", "demand": [3, 4]}]}
    out = set_values(
        doc, [(parse_path("agents[b].demand[1]", "f"), "9/2"), (parse_path("agents[0].demand[0]", "f"), 7)]
    )
    assert out["agents"][1]["demand"] == [3, "9/2"] and out["agents"][0]["demand"] == [7, 2]
    assert doc["agents"][1]["demand"] == [3, 4]  # the base document is not changed


BAD = [
    ({"vary": {"taylor.nope.x": {"grid": [0, 1, 2]}}}, UnknownNameError, r"vary\.taylor\.nope\.x"),
    ({"vary": {"agents[9].demand[0]": {"grid": [0, 1, 2]}}}, ValidationError, r"an index below 5"),
    ({"vary": {"agents[zz].demand[0]": [1, 2]}}, UnknownNameError, r"agents\[zz\]"),
    ({"vary": {"parameters.tau": {"grid": [0, 1]}}}, ValidationError, r"\[lo, hi, n\]"),
    ({"vary": {"parameters.tau": {"grid": [0, 1, 0]}}}, ValidationError, r"grid\[2\]"),
    ({"vary": {"parameters.tau": {"uniform": [1, 0]}}, "samples": 3}, ValidationError, r"lo < hi"),
    ({"vary": {"parameters.tau": {"uniform": [0, 1]}}}, ModelFileError, r"samples"),
    ({"vary": {"parameters.tau": {"uniform": [0, 1]}, "parameters.alpha": [0.1]}}, ValidationError, r"all entries"),
    ({"vary": {"parameters.tau": {"normal": [0, 1]}}}, ValidationError, r"grid: \[lo, hi, n\]"),
    ({"vary": {"parameters.tau": [1, 1]}}, ValidationError, r"all different"),
    ({"vary": {"1bad": [1]}}, ValidationError, r"dotted path"),
    ({"compute": ["spectral_radius", "spectral_radius"]}, ValidationError, r"each item once"),
    ({"compute": ["eigenstuff"]}, ValidationError, r"compute\[0\]"),
    ({"compute": [{"verdicts": ["thm-99"]}]}, UnknownNameError, r"thm-99"),
    ({"compute": [{"irf_peak": {"shock": "load"}}]}, ValidationError, r"irf_peak\.variable"),
    ({"compute": [{"spectral_radius": {"policy": "maybe"}}]}, ValidationError, r"policy"),
    ({"compute": []}, ModelFileError, r"compute"),
    ({"economy": "../economies/missing.yaml"}, ModelFileError, r"missing\.yaml"),
    ({"model": "../models/nk3.yaml"}, ModelFileError, r"exactly one of"),
    ({"colour": "red"}, ModelFileError, r"colour"),
    ({"seed": -1}, ValidationError, r"seed"),
    ({"kind": "sideways"}, ValidationError, r"kind"),
]


@pytest.mark.parametrize("change, error, match", BAD)
def test_bad_specs_name_the_field(write_spec, change, error, match):
    with pytest.raises(error, match=match):
        load_spec(write_spec("bad", {**MINIMAL, **change}))


def test_model_specs(write_spec):
    base = {"model": "../models/nk3.yaml", "vary": {"parameters.phi_pi": [1.5]}, "compute": ["bk_status"]}
    assert load_spec(write_spec("m", base)).base_kind == "model"
    with pytest.raises(UnknownNameError, match="a parameter of the model"):
        load_spec(write_spec("m2", {**base, "vary": {"parameters.phi_q": [1]}}))
    with pytest.raises(ValidationError, match="for a DSGE model"):
        load_spec(write_spec("m3", {**base, "compute": ["spectral_radius"]}))


def test_digest_ignores_out_but_not_the_base_file(write_spec, workdir):
    a = load_spec(write_spec("a", MINIMAL))
    b = load_spec(write_spec("b", {**MINIMAL, "out": "elsewhere.zarr"}))
    assert a.digest == b.digest
    path = workdir / "economies" / "orchestration_taylor.yaml"
    path.write_text(path.read_text().replace('tau: "1/5"', 'tau: "1/4"'))
    assert load_spec(write_spec("c", MINIMAL)).digest != a.digest


def test_errors_are_geo_sym_errors(write_spec):
    with pytest.raises(GeoSymError):
        load_spec(write_spec("x", {**MINIMAL, "vary": {}}))
