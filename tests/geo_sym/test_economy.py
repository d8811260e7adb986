"""The economy file, the state file and exact numbers: round trips and a table of bad inputs.

Every bad input must raise the documented class with a message naming the field
(python-control style ``pytest.raises(..., match=...)`` tables).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
import yaml

from geo_sym.economy.numbers import parse_number, to_json_number
from geo_sym.economy.spec import Economy, LinearPriceMechanism, Tatonnement, load_economy
from geo_sym.economy.state import State, load_state
from geo_sym.errors import (
    CycleError,
    DomainError,
    GeoSymError,
    ModelFileError,
    NumberFormatError,
    ShapeError,
    UnknownNameError,
    ValidationError,
)

R = sp.Rational
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "economies"

BASE = {
    "name": "base",
    "agents": [
        {"name": "a", "demand": [1], "box": [[0, 1]]},
        {"name": "b", "demand": ["1/2"], "box": [["-1/2", 1]]},
        {"name": "c", "demand": [2], "box": [[0, "3/2"]]},
    ],
    "edges": [["a", "b"], ["a", "c"]],
    "map": "simultaneous",
    "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 10},
    "price_mechanism": {"kind": "tatonnement"},
}


def mutate(**paths):
    """A deep copy of BASE with dotted paths set (``None`` as value deletes unless ``keep_none``)."""
    d = copy.deepcopy(BASE)
    for path, value in paths.items():
        keys = path.split("__")
        cur = d
        for k in keys[:-1]:
            cur = cur[int(k)] if k.isdigit() else cur[k]
        last = keys[-1]
        if value is _DELETE:
            del cur[last]
        else:
            cur[int(last) if last.isdigit() else last] = value
    return d


_DELETE = object()
SEQ_LINEAR = dict(
    map="sequential", price_mechanism={"kind": "linear", "G": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "b": [0, 0, 0]}
)

SLO1 = {"weights": {"latency": 2, "quality": 0}, "readouts": {"latency": [1]}}

BAD = [
    # graph
    ("cycle", dict(edges=[["a", "b"], ["b", "c"], ["c", "a"]]), CycleError, r"a -> b -> c -> a"),
    ("self-loop", dict(edges=[["b", "b"]]), CycleError, r"b -> b"),
    ("unknown-agent", dict(edges=[["a", "zz"]]), UnknownNameError, r"edges\[0\].*'zz'"),
    ("repeated-edge", dict(edges=[["a", "b"], ["a", "b"]]), ValidationError, r"edges\[1\]"),
    ("edge-not-pair", dict(edges=[["a", "b", "c"]]), ModelFileError, r"edges\[0\]"),
    ("edges-not-list", dict(edges="a->b"), ModelFileError, r"edges"),
    ("duplicate-names", dict(agents__1__name="a"), ValidationError, r"agents\[1\]\.name.*different"),
    ("no-agents", dict(agents=[]), ModelFileError, r"agents"),
    ("agent-not-mapping", dict(agents__0="a"), ModelFileError, r"agents\[0\]"),
    # parameters
    ("tau-zero", dict(parameters__tau=0), ValidationError, r"parameters\.tau.*positive"),
    ("tau-negative", dict(parameters__tau="-1/2"), ValidationError, r"parameters\.tau.*-1/2"),
    ("alpha-zero", dict(parameters__alpha=0), ValidationError, r"parameters\.alpha.*\(0, 1\)"),
    ("alpha-one", dict(parameters__alpha=1), ValidationError, r"parameters\.alpha.*\(0, 1\)"),
    ("alpha-1.5", dict(parameters__alpha=1.5), ValidationError, r"parameters\.alpha.*3/2"),
    ("alpha-neg", dict(parameters__alpha=-0.1), ValidationError, r"parameters\.alpha.*-1/10"),
    ("beta-zero", dict(parameters__beta=0), ValidationError, r"parameters\.beta"),
    ("beta-neg", dict(parameters__beta="-3"), ValidationError, r"parameters\.beta"),
    ("missing-tau", dict(parameters__tau=_DELETE), ModelFileError, r"parameters\.tau"),
    ("missing-alpha", dict(parameters__alpha=_DELETE), ModelFileError, r"parameters\.alpha"),
    ("missing-beta-tatonnement", dict(parameters__beta=_DELETE), ModelFileError, r"parameters\.beta"),
    ("unknown-parameter", dict(parameters__gamma=1), ModelFileError, r"parameters\.gamma"),
    ("parameters-not-mapping", dict(parameters=[1, 2]), ModelFileError, r"parameters"),
    ("missing-parameters", dict(parameters=_DELETE), ModelFileError, r"parameters"),
    # production sets and demand
    ("box-without-0", dict(agents__0__box=[[1, 2]]), ValidationError, r"agents\[0\]\.box\[0\].*containing 0"),
    ("box-negative", dict(agents__0__box=[[-2, -1]]), ValidationError, r"containing 0"),
    ("lo-gt-hi", dict(agents__2__box=[[1, 0]]), ValidationError, r"agents\[2\]\.box\[0\].*lo <= hi"),
    (
        "ball-center-out",
        dict(agents__1={"name": "b", "demand": [1], "ball": {"center": [2], "radius": 1}}),
        ValidationError,
        r"agents\[1\]\.ball\.center",
    ),
    (
        "ball-radius-0",
        dict(agents__1={"name": "b", "demand": [1], "ball": {"center": [0], "radius": 0}}),
        ValidationError,
        r"radius",
    ),
    (
        "ball-extra-key",
        dict(agents__1={"name": "b", "demand": [1], "ball": {"center": [0], "radius": 1, "x": 1}}),
        ModelFileError,
        r"agents\[1\]\.ball",
    ),
    (
        "box-and-ball",
        dict(agents__1={"name": "b", "demand": [1], "box": [[0, 1]], "ball": {"center": [0], "radius": 1}}),
        ModelFileError,
        r"agents\[1\]",
    ),
    ("no-set", dict(agents__1={"name": "b", "demand": [1]}), ModelFileError, r"agents\[1\]"),
    (
        "demand-box-mismatch",
        dict(agents__0={"name": "a", "demand": [1, 1], "box": [[0, 1]]}),
        ShapeError,
        r"agents\[0\]\.box",
    ),
    ("demand-length-differs", dict(agents__1__demand=[1, 2]), ShapeError, r"agents\[1\]\.demand"),
    ("box-row-length", dict(agents__0__box=[[0, 1, 2]]), ShapeError, r"agents\[0\]\.box\[0\]"),
    ("empty-demand", dict(agents=[{"name": "a", "demand": [], "box": []}]), ShapeError, r"demand"),
    ("missing-demand", dict(agents__0={"name": "a", "box": [[0, 1]]}), ModelFileError, r"agents\[0\]\.demand"),
    ("missing-name", dict(agents__0={"demand": [1], "box": [[0, 1]]}), ModelFileError, r"agents\[0\]\.name"),
    # price mechanism
    (
        "G-wrong-shape",
        dict(SEQ_LINEAR, price_mechanism={"kind": "linear", "G": [[1, 0], [0, 1]], "b": [0, 0, 0]}),
        ShapeError,
        r"price_mechanism\.G",
    ),
    (
        "G-ragged",
        dict(SEQ_LINEAR, price_mechanism={"kind": "linear", "G": [[1, 0, 0], [0, 1], [0, 0, 1]]}),
        ShapeError,
        r"price_mechanism\.G\[1\]",
    ),
    (
        "b-wrong-length",
        dict(SEQ_LINEAR, price_mechanism={"kind": "linear", "G": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "b": [0, 0]}),
        ShapeError,
        r"price_mechanism\.b",
    ),
    (
        "G-and-gamma",
        dict(SEQ_LINEAR, price_mechanism={"kind": "linear", "gamma": 1, "G": [[1]]}),
        ModelFileError,
        r"price_mechanism",
    ),
    ("unknown-mechanism", dict(price_mechanism={"kind": "auction"}), ValidationError, r"price_mechanism\.kind"),
    (
        "tatonnement-extra",
        dict(price_mechanism={"kind": "tatonnement", "gamma": 1}),
        ModelFileError,
        r"price_mechanism\.gamma",
    ),
    ("bad-map", dict(map="parallel"), ValidationError, r"map.*'parallel'"),
    ("bad-revenue", dict(sequential_revenue="newest"), ValidationError, r"sequential_revenue"),
    # malformed numbers
    *[
        (f"tau-{name}", dict(parameters__tau=val), NumberFormatError, r"parameters\.tau")
        for name, val in [
            ("1/0", "1/0"),
            ("abc", "abc"),
            ("1e", "1e"),
            ("true", True),
            ("null", None),
            ("list", [1]),
            ("nan", float("nan")),
            ("inf", float("inf")),
            ("dict", {"a": 1}),
            ("empty", ""),
            ("expr", "1+1"),
            ("frac-frac", "1/2/3"),
        ]
    ],
    ("demand-1/0", dict(agents__2__demand=["1/0"]), NumberFormatError, r"agents\[2\]\.demand\[0\].*nonzero"),
    ("box-abc", dict(agents__1__box=[["abc", 1]]), NumberFormatError, r"agents\[1\]\.box\[0\]\[0\]"),
    (
        "code-in-number",
        dict(parameters__alpha="__import__('os').system('true')"),
        NumberFormatError,
        r"parameters\.alpha",
    ),
    # unknown keys
    ("unknown-top-key", dict(colour="blue"), ModelFileError, r"colour"),
    ("unknown-agent-key", dict(agents__0__latency=3), ModelFileError, r"agents\[0\]\.latency"),
    ("metrics-mismatch", dict(metrics={"names": ["latency", "quality"], "stats": 1}), ShapeError, r"metrics"),
    ("metrics-stats-0", dict(metrics={"names": ["latency"], "stats": 0}), ValidationError, r"metrics\.stats"),
    ("slo-negative", dict(slo={"weights": {"latency": -1}, "readouts": {"latency": [1]}}), ValidationError, r"slo"),
    ("slo-no-readout", dict(slo={"weights": {"latency": 1}}), ModelFileError, r"slo\.readouts\.latency"),
    (
        "slo-readout-length",
        dict(slo={"weights": {"latency": 1}, "readouts": {"latency": [1, 2]}}),
        ShapeError,
        r"slo\.readouts\.latency",
    ),
    ("slo-unknown-key", dict(slo={"weights": {}, "targets": {}}), ModelFileError, r"slo\.targets"),
    # the taylor section (eq. (18)-(19)) and shock channels
    ("taylor-without-slo", dict(taylor={"phi_lat": 1}), ModelFileError, r"^slo:"),
    ("taylor-unknown-key", dict(slo=SLO1, taylor={"phi": 1}), ModelFileError, r"taylor\.phi"),
    ("taylor-phi-text", dict(slo=SLO1, taylor={"phi_lat": "fast"}), NumberFormatError, r"taylor\.phi_lat"),
    ("taylor-targets-half", dict(slo=SLO1, taylor={"targets": {"latency": 1}}), ModelFileError, r"taylor\.targets"),
    ("taylor-floor-negative", dict(slo=SLO1, taylor={"floor": "-1/10"}), ValidationError, r"taylor\.floor\.latency"),
    (
        "taylor-floor-above-weight",
        dict(slo=SLO1, taylor={"floor": {"latency": 3}}),
        ValidationError,
        r"floor\.latency.*\[0, 2\]",
    ),
    ("taylor-floor-unknown", dict(slo=SLO1, taylor={"floor": {"cost": 1}}), ModelFileError, r"taylor\.floor\.cost"),
    (
        "shock-kind",
        dict(shocks=[{"name": "s", "kind": "earthquake", "agent": "a"}]),
        ValidationError,
        r"shocks\[0\]\.kind",
    ),
    (
        "shock-agent",
        dict(shocks=[{"name": "s", "kind": "failure", "agent": "zz"}]),
        UnknownNameError,
        r"shocks\[0\]\.agent",
    ),
    ("shock-no-agent", dict(shocks=[{"name": "s", "kind": "failure"}]), ModelFileError, r"shocks\[0\]\.agent"),
    ("shock-no-readout", dict(shocks=[{"name": "s", "kind": "latency", "agent": "a"}]), ModelFileError, r"read-out"),
    (
        "shock-twice",
        dict(shocks=[{"name": "s", "kind": "load"}, {"name": "s", "kind": "load"}]),
        ValidationError,
        r"shocks",
    ),
]


@pytest.mark.parametrize("changes, exc, match", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_economy_dict(changes, exc, match):
    with pytest.raises(exc, match=match) as info:
        Economy.from_dict(mutate(**changes))
    assert isinstance(info.value, ValueError) and isinstance(info.value, GeoSymError)
    assert info.value.field  # names the offending field


@pytest.mark.parametrize(
    "changes, exc, match",
    [
        b[1:]
        for b in BAD
        if b[0]
        in (
            "cycle",
            "tau-zero",
            "alpha-1.5",
            "G-wrong-shape",
            "tau-1e",
            "unknown-top-key",
            "box-without-0",
            "duplicate-names",
        )
    ],
    ids=lambda v: None,
)
def test_bad_economy_file(tmp_path, changes, exc, match):
    f = tmp_path / "econ.yaml"
    f.write_text(yaml.safe_dump(mutate(**changes)))
    with pytest.raises(exc, match=match):
        load_economy(f)


def test_message_names_field_value_and_expectation():
    with pytest.raises(ValidationError) as info:
        Economy.from_dict(mutate(parameters__alpha="3/2"))
    msg = str(info.value)
    assert "parameters.alpha" in msg and "3/2" in msg and "(0, 1)" in msg
    assert info.value.field == "parameters.alpha" and info.value.value == R(3, 2)


def test_python_code_in_number_field_is_never_run(tmp_path):
    target = tmp_path / "pwned"
    code = f"__import__('os').system('touch {target}')"
    f = tmp_path / "econ.yaml"
    d = mutate(parameters__tau=code)
    f.write_text(yaml.safe_dump(d))
    with pytest.raises(NumberFormatError, match=r"parameters\.tau"):
        load_economy(f)
    with pytest.raises(NumberFormatError):
        Economy.from_dict(d)
    econ = Economy.from_dict(BASE)
    with pytest.raises(NumberFormatError, match=r"pi\[0\]"):
        State.from_dict(econ, {"y": [[0], [0], [0]], "p": [["1/3"], ["1/3"], ["1/3"]], "pi": [code, "1/2"]})
    assert not target.exists()


def test_yaml_python_tag_is_refused(tmp_path):
    target = tmp_path / "pwned"
    text = yaml.safe_dump(BASE) + f"description: !!python/object/apply:os.system ['touch {target}']\n"
    f = tmp_path / "econ.yaml"
    f.write_text(text)
    with pytest.raises(ModelFileError, match="valid YAML"):
        load_economy(f)
    f.write_text("!!python/object:geo_sym.economy.spec.Tatonnement {}\n")
    with pytest.raises(ModelFileError):
        load_economy(f)
    assert not target.exists()


@pytest.mark.parametrize(
    "text, match",
    [
        ("agents: [", "valid YAML"),
        ("- 1\n- 2\n", "mapping"),
        ("", "mapping"),
    ],
)
def test_malformed_yaml(tmp_path, text, match):
    f = tmp_path / "econ.yaml"
    f.write_text(text)
    with pytest.raises(ModelFileError, match=match):
        load_economy(f)


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="readable"):
        load_economy(tmp_path / "nope.yaml")


# ----------------------------------------------------------------------------- good inputs
def test_example_two_by_two():
    econ = load_economy(EXAMPLES / "two_by_two.yaml")
    assert (econ.A, econ.K, econ.n_paths, econ.depth) == (4, 1, 4, 2)
    assert econ.paths == ((0, 2), (0, 3), (1, 2), (1, 3))
    assert econ.alpha == R(1, 10) and econ.beta == R(1, 10) and econ.tau == 10
    assert isinstance(econ.price_mechanism, Tatonnement) and econ.prices_on_simplex
    assert econ.state_size() == 2 * 4 + 4 and econ.reduced_state_size() == 2 * 4 + 4
    st = load_state(econ, EXAMPLES / "two_by_two_state.json")
    assert list(st.y.ravel()) == [R(1, 2), R(1, 4), R(1, 3), R(1, 5)]
    assert list(st.pi) == [R(1, 4)] * 4


def test_round_trip_is_exact(gen):
    rng = np.random.default_rng(4)
    for k in range(12):
        mech = "linear" if k % 2 else "tatonnement"
        d = gen.random_economy_dict(
            rng,
            sets=("box", "ball", "mixed")[k % 3],
            mechanism=mech,
            map_kind="sequential" if k % 4 == 1 else "simultaneous",
            seq_rev="new" if k % 8 == 1 else "old",
            slo=k % 3 == 0,
        )
        econ = Economy.from_dict(d)
        again = Economy.from_dict(econ.to_dict())
        assert again == econ
        assert Economy.from_dict(yaml.safe_load(econ.to_yaml())) == econ
        # exact numbers survive: every number in to_dict is an int or a "p/q" string
        assert "." not in json.dumps(econ.to_dict())


def test_slo_readouts_not_a_mapping():
    with pytest.raises(ModelFileError, match=r"slo\.readouts"):
        Economy.from_dict(mutate(slo={"weights": {"latency": 1}, "readouts": [1]}))


def test_round_trip_gamma_with_offset():
    econ = Economy.from_dict(
        dict(BASE, map="sequential", price_mechanism={"kind": "linear", "gamma": "1/2", "b": [1, 0, 0]})
    )
    assert Economy.from_dict(econ.to_dict()) == econ


def test_edges_empty_and_absent():
    d = mutate(edges=[])
    econ = Economy.from_dict(d)
    assert econ.paths == ((0,), (1,), (2,)) and econ.depth == 1
    d.pop("edges")
    assert Economy.from_dict(d).paths == ((0,), (1,), (2,))


def test_linear_mechanism_gamma_and_norm():
    econ = Economy.from_dict(dict(BASE, map="sequential", price_mechanism={"kind": "linear", "gamma": "-3/4"}))
    pm = econ.price_mechanism
    assert isinstance(pm, LinearPriceMechanism) and pm.gamma == R(-3, 4)
    assert pm.G == tuple(tuple(R(-3, 4) if i == j else 0 for j in range(3)) for i in range(3))
    assert econ.gamma_A == pytest.approx(0.75, rel=1e-15) and pm.spectral_norm_exact == R(3, 4)
    # ||G||_2 of [[1, 1], [0, 1]] (one agent, K = 2) is the golden ratio (1 + sqrt 5)/2
    e2 = Economy.from_dict(
        {
            "agents": [{"name": "a", "demand": [1, 1], "box": [[0, 1], [0, 1]]}],
            "map": "sequential",
            "parameters": {"alpha": "1/2", "tau": 1},
            "price_mechanism": {"kind": "linear", "G": [[1, 1], [0, 1]], "b": [0, 1]},
        }
    )
    assert e2.gamma_A == pytest.approx((1 + math.sqrt(5)) / 2, rel=1e-14)
    assert e2.price_mechanism.spectral_norm_exact is None
    assert e2.beta is None and not e2.prices_on_simplex


def test_replace_revalidates():
    econ = Economy.from_dict(BASE)
    assert econ.replace(tau=R(1, 3)).tau == R(1, 3)
    assert econ.replace(tau="2/7").tau == R(2, 7)
    with pytest.raises(ValidationError, match="tau"):
        econ.replace(tau=0)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("27/10", R(27, 10)),
        (0.1, R(1, 10)),
        ("0.25", R(1, 4)),
        ("1.5e-3", R(3, 2000)),
        (-3, R(-3)),
        (" -7 / 21 ", R(-1, 3)),
        ("+5", R(5)),
        (2.5, R(5, 2)),
        (10**30, R(10**30)),
        (np.int64(7), R(7)),
    ],
)
def test_parse_number_exact(value, expected):
    assert parse_number(value, "x") == expected


def test_parse_number_numpy_float():
    assert parse_number(np.float64(0.2), "x") == R(1, 5)


def test_replace_with_numpy_float():
    econ = Economy.from_dict(BASE)
    assert econ.replace(tau=np.linspace(1.0, 2.0, 5)[1]).tau == R(5, 4)


def test_json_numbers():
    assert to_json_number(R(6, 3)) == 2 and to_json_number(R(-2, 6)) == "-1/3"


# ----------------------------------------------------------------------------- state files
GOOD_STATE = {"y": [["1/2"], [0], [1]], "p": [["1/4"], ["1/4"], ["1/2"]], "pi": ["1/3", "2/3"]}


@pytest.mark.parametrize(
    "state, exc, match",
    [
        (dict(GOOD_STATE, y=[["1/2"], [0]]), ShapeError, r"\.y"),
        (dict(GOOD_STATE, y=[["1/2", 0], [0], [1]]), ShapeError, r"\.y"),
        (dict(GOOD_STATE, p="1/3"), ShapeError, r"\.p"),
        (dict(GOOD_STATE, pi=["1/3", "1/3", "1/3"]), ShapeError, r"\.pi"),
        ({"y": GOOD_STATE["y"], "p": GOOD_STATE["p"]}, ShapeError, r"\.pi"),
        (dict(GOOD_STATE, pi=["1/3", "1/3"]), DomainError, r"pi.*sum"),
        (dict(GOOD_STATE, pi=["3/2", "-1/2"]), DomainError, r"pi"),
        (dict(GOOD_STATE, y=[["1/2"], [0], ["2"]]), DomainError, r"y\[2\].*outside"),
        (dict(GOOD_STATE, y=[["-1"], [0], [1]]), DomainError, r"y\[0\]"),
        (dict(GOOD_STATE, p=[["-1/4"], ["3/4"], ["1/2"]]), DomainError, r"p.*non-negative"),
        (dict(GOOD_STATE, p=[["1/4"], ["1/4"], ["1/4"]]), DomainError, r"p.*sum"),
        (dict(GOOD_STATE, p=[["1/0"], ["1/4"], ["1/2"]]), NumberFormatError, r"p\[0\]\[0\]"),
        (dict(GOOD_STATE, pi=[True, 0]), NumberFormatError, r"pi\[0\]"),
        (dict(GOOD_STATE, w=[1]), ModelFileError, r"\.w"),
    ],
)
def test_bad_state_file(tmp_path, state, exc, match):
    econ = Economy.from_dict(BASE)
    f = tmp_path / "state.json"
    f.write_text(json.dumps(state))
    with pytest.raises(exc, match=match):
        load_state(econ, f)


def test_state_file_good_and_exact(tmp_path):
    econ = Economy.from_dict(BASE)
    f = tmp_path / "state.json"
    f.write_text(json.dumps(dict(GOOD_STATE, pi=[0.25, 0.75])))
    st = load_state(econ, f)
    assert st.exact and list(st.pi) == [R(1, 4), R(3, 4)]  # JSON floats read by their decimal text
    assert State.from_dict(econ, st.to_dict()).flat().tolist() == st.flat().tolist()
    x = st.flat()
    assert list(State.from_flat(econ, x).flat()) == list(x)
    with pytest.raises(ShapeError):
        State.from_flat(econ, x[:-1])
    f.write_text("{not json")
    with pytest.raises(ModelFileError, match="valid JSON"):
        load_state(econ, f)


def test_linear_mechanism_allows_negative_prices(tmp_path):
    econ = Economy.from_dict(dict(BASE, **SEQ_LINEAR))
    st = State.from_dict(econ, dict(GOOD_STATE, p=[[-5], [0], ["7/3"]]))
    assert st.p[0, 0] == -5


# ----------------------------------------------------------------------------- hashing, §7 sections, the tangent chart
def test_every_economy_hashes_and_equal_ones_hash_equal(gen):
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert any("taylor" in yaml.safe_load(f.read_text()) for f in files)
    for f in files:
        econ = load_economy(f)
        again = Economy.from_dict(econ.to_dict())
        assert econ == again and hash(econ) == hash(again), f.name
    rng = np.random.default_rng(3)
    for _ in range(5):
        d = gen.random_economy_dict(rng, slo=True)
        d["taylor"] = {"phi_lat": "1/2", "phi_qual": 3, "floor": 0}
        e1, e2 = Economy.from_dict(d), Economy.from_dict(copy.deepcopy(d))
        assert hash(e1) == hash(e2) and {e1: 1}[e2] == 1
        d["taylor"]["phi_qual"] = 4
        assert Economy.from_dict(d) != e1


def test_taylor_section_round_trip_and_defaults():
    from geo_sym.economy.policy import TaylorRule

    d = copy.deepcopy(BASE)
    d["slo"] = {"weights": {"latency": 2, "quality": "1/2"}, "readouts": {"latency": [1], "quality": [1]}}
    d["taylor"] = {"phi_lat": "3/2", "phi_qual": -1}
    econ = Economy.from_dict(d)
    assert econ.taylor == TaylorRule(R(3, 2), -1, None, None, 0, 0)  # targets at the steady state, floor 0
    d["taylor"] = {
        "phi_lat": 2,
        "phi_qual": 1,
        "targets": {"latency": "1/3", "quality": "0.25"},
        "floor": {"latency": "1/2", "quality": 0},
    }
    econ = Economy.from_dict(d)
    assert (econ.taylor.lat_target, econ.taylor.qual_target) == (R(1, 3), R(1, 4))
    assert (econ.taylor.floor_lat, econ.taylor.floor_qual) == (R(1, 2), 0)
    assert Economy.from_dict(econ.to_dict()).taylor == econ.taylor
    assert Economy.from_dict(yaml.safe_load(econ.to_yaml())) == econ
    d["taylor"]["floor"] = "1/2"  # one number for both weights: above λ2* = 1/2? equal is allowed
    assert Economy.from_dict(d).taylor.floor_qual == R(1, 2)


def _random_J(n, rng):
    return rng.normal(size=(n, n))


@pytest.mark.parametrize("mech", ["tatonnement", "linear"])
def test_tangent_chart_views_of_one_basis(gen, mech):
    from geo_sym.economy.state import TangentChart, tangent_basis, tangent_chart

    _, econ, _, _ = gen.make_case(11, "sequential", mech, "old", "box", False, dag="diamond", A=4, K=2)
    rng = np.random.default_rng(0)
    for reduced in (False, True):
        chart = tangent_chart(econ, reduced)
        assert chart is tangent_chart(econ, reduced)  # built once
        n = econ.reduced_state_size() if reduced else econ.state_size()
        T, Tp = chart.T.toarray(), chart.Tplus.toarray()
        assert T.shape[0] == n and (Tp @ T == np.eye(chart.m)).all()
        # exact view: the same integers
        Tp_s, T_s = chart.exact()
        assert np.array(T_s.tolist(), dtype=int).tolist() == T.tolist()
        assert np.array(Tp_s.tolist(), dtype=int).tolist() == Tp.tolist()
        # restriction by index arithmetic = T⁺ J T, for floats and for SymPy matrices
        J = _random_J(n, rng)
        np.testing.assert_allclose(chart.restrict(J), Tp @ J @ T, atol=1e-12)
        Js = sp.Matrix(3, 3, list(range(9))) if n < 3 else sp.Matrix(n, n, lambda i, j: R(i - 2 * j, 1 + i + j))
        assert chart.restrict(Js) == Tp_s * Js * T_s
        # x = T u + e: the affine chart, the generic lift (any number type) and back
        x = rng.random(n)
        u = chart.to_tangent(x)
        lifted = chart.lift(list(u))
        np.testing.assert_allclose(chart.from_tangent(u), lifted)
        np.testing.assert_allclose(chart.from_tangent(u), T @ u + chart.offset)
        if chart.dropped:  # exact numbers: the dropped coordinate is 1 − Σ of its block
            j, block = chart.dropped[-1]
            assert chart.lift([R(1, 3)] * chart.m, R(1))[j] == 1 - R(len(block), 3)
        # the orthonormal view: T = Q R with R upper triangular
        Q = chart.orthonormal()
        np.testing.assert_allclose(Q.T @ Q, np.eye(chart.m), atol=1e-13)
        Rm = Q.T @ T
        np.testing.assert_allclose(Q @ Rm, T, atol=1e-13)
        np.testing.assert_allclose(np.tril(Rm, -1), 0, atol=1e-13)
        np.testing.assert_array_equal(tangent_basis(econ, reduced), Q)
    full = TangentChart.build(econ, coordinates="full")
    assert full.m == full.n == econ.state_size() and not full.dropped


def test_tangent_chart_blocks():
    from geo_sym.economy.state import tangent_chart

    econ = Economy.from_dict(copy.deepcopy(BASE))  # tâtonnement: prices and routing on simplices
    AK, P = econ.A * econ.K, econ.n_paths
    chart = tangent_chart(econ)
    assert [j for j, _ in chart.dropped] == [2 * AK - 1, 2 * AK + P - 1]
    assert chart.m == econ.state_size() - 2
    reduced = tangent_chart(econ, reduced=True)
    assert [j for j, _ in reduced.dropped] == [2 * AK - 1]  # w is kept whole
    assert reduced.labels[-1].startswith("w[")


def test_routing_dp_layers_precomputed_identical_results():
    """The per-layer edge index arrays are computed once; products are bitwise those of per-call masks."""
    from geo_sym.economy.graph import AgentGraph, routing_marginals

    rng = np.random.default_rng(1)
    layers, width = 5, 7
    names = [f"n{i}" for i in range(layers * width)]
    edges = [
        (i * width + a, (i + 1) * width + b)
        for i in range(layers - 1)
        for a in range(width)
        for b in range(width)
        if rng.random() < 0.6
    ]
    g = AgentGraph(names, edges)
    marg = routing_marginals(g, rng.normal(size=len(names)), 0.7)
    assert g._height_layers is g._height_layers and len(g._height_layers) == int(g._heights.max())
    v = rng.normal(size=len(names))
    # reference: the masks rebuilt per call (the former implementation)
    src, dst = g._edge_arrays
    n = g.n_agents
    down = np.zeros(n)
    for h in range(1, int(g._heights.max()) + 1):
        mask = g._heights[src] == h
        down += np.bincount(src[mask], weights=marg.transition[mask] * (v[dst[mask]] + down[dst[mask]]), minlength=n)
    up = np.zeros(n)
    for lev in range(1, int(g._levels.max()) + 1):
        mask = g._levels[dst] == lev
        if np.any(mask):
            flow = marg.w[src[mask]] * marg.transition[mask]
            num = np.bincount(dst[mask], weights=flow * (v[src[mask]] + up[src[mask]]), minlength=n)
            sel = g._levels == lev
            up[sel] = np.where(marg.w[sel] > 0, num[sel] / np.where(marg.w[sel] > 0, marg.w[sel], 1.0), 0.0)
    ref = marg.w * (v + up + down - float(marg.w @ v))
    assert np.array_equal(marg.covariance_matvec(v), ref)
    np.testing.assert_allclose(marg.covariance() @ v, ref, atol=1e-12)


def test_economy_files_use_the_c_yaml_loader():
    from geo_sym.economy import files

    if getattr(yaml, "CSafeLoader", None) is None:
        pytest.skip("PyYAML built without libyaml")
    assert issubclass(files._safe_loader(), yaml.CSafeLoader)
