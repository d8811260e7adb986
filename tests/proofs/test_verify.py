"""``geo-sym verify``: documents and files, one result per witness, the error table for malformed input,
the command line, and the verifier's independence from the code that produces verdicts.

The hand-built witnesses of every kind, confirmed and corrupted, are in ``tests/proofs/verify/``.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import sys
from pathlib import Path

import pytest

from geo_sym.errors import ModelFileError
from proofs.verify import KINDS, VerifyResult, verify_document, verify_file, verify_witness

VERIFY_DIR = Path(__file__).resolve().parents[2] / "proofs" / "verify"
DROP = object()


def tamper(w: dict, path: tuple, value) -> dict:
    """A deep copy of ``w`` with ``w[path[0]]...[path[-1]] = value`` (``DROP`` deletes the key)."""
    out = copy.deepcopy(w)
    node = out
    for key in path[:-1]:
        node = node[key]
    if value is DROP:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


def one_agent(demand):
    """One agent ``a``, Y = [0, 1], one path, tâtonnement, α = β = 1/10, τ = 1."""
    return {
        "name": "one",
        "agents": [{"name": "a", "demand": list(demand), "box": [[0, 1]]}],
        "edges": [],
        "parameters": {"alpha": "1/10", "beta": "1/10", "tau": 1},
    }


# One agent, Y = [0, 1], u = 1/2, p = 1: supply 1, value −1/2 (tests/proofs/verify/test_verify_static.py)
WALRAS = {
    "kind": "walras_value",
    "claim": "thm-3.1",
    "economy": one_agent(["1/2"]),
    "prices": [[1]],
    "supply": [[1]],
    "claimed": {"value": 0},
    "observed": {"value": "-1/2"},
}
# One agent, Y = [0, 1], u = 2: <h, d> = 2 ≥ c = 2 > max_Y <h, y> = 1
SEPARATION = {
    "kind": "no_equilibrium",
    "claim": "thm-4.4/existence",
    "economy": one_agent([2]),
    "certificate": {"kind": "separation", "h": [[1]], "c": 2},
}


def messages(results):
    return [(r.ok, r.message) for r in results]


# ============================================================================ documents
def test_list_of_verdicts_verifies_every_refuted_verdict_and_part(tmp_path):
    doc = [
        {"id": "thm-3.1", "status": "refuted", "witness": WALRAS},
        {"id": "lem-4.2", "status": "proved", "witness": {}},
        {
            "id": "thm-4.4",
            "status": "refuted",
            "parts": [
                {"id": "thm-4.4/existence", "status": "refuted", "witness": SEPARATION},
                {"id": "thm-4.4/fixed-points-are-equilibria", "status": "supported"},
            ],
        },
        {
            "id": "thm-8.1",
            "status": "refuted",
            "parts": [{"id": "thm-8.1(i)", "status": "refuted", "witness": SEPARATION}],
        },
    ]
    results = verify_document(doc)
    assert [(r.id, r.claim, r.ok) for r in results] == [
        ("thm-3.1", "thm-3.1", True),
        ("thm-4.4/existence", "thm-4.4/existence", True),
        ("thm-8.1(i)", "thm-4.4/existence", True),  # a consolidated part carries the existence witness
    ]
    path = tmp_path / "verdicts.json"
    path.write_text(json.dumps(doc))
    assert [r.ok for r in verify_file(path)] == [True, True, True]


def test_a_verdict_repeating_its_part_witness_is_verified_once():
    doc = [
        {
            "id": "thm-4.4",
            "status": "refuted",
            "witness": SEPARATION,
            "parts": [{"id": "thm-4.4/existence", "status": "refuted", "witness": SEPARATION}],
        }
    ]
    assert [(r.id, r.ok) for r in verify_document(doc)] == [("thm-4.4/existence", True)]


def test_one_bad_witness_never_stops_the_others():
    doc = [
        {"id": "thm-3.1", "status": "refuted", "witness": tamper(WALRAS, ("prices",), [["x"]])},
        "not a verdict",
        {"id": "x"},
        {"id": "thm-8.1", "status": "refuted"},
        {"id": "thm-5.4", "status": "refuted", "witness": {"kind": "bogus", "claim": "thm-5.4"}},
        {"id": "thm-4.4", "status": "refuted", "witness": SEPARATION},
    ]
    results = verify_document(doc)
    assert [r.ok for r in results] == [False, False, False, False, False, True]
    assert "prices[0][0]" in results[0].message
    assert "verdict object" in results[1].message
    assert "status" in results[2].message
    assert "no witness" in results[3].message
    assert "unknown witness kind 'bogus'" in results[4].message


def test_single_witness_and_single_verdict_whatever_the_status():
    assert [r.ok for r in verify_document(WALRAS)] == [True]
    assert [r.ok for r in verify_document({"id": "thm-3.1", "status": "supported", "witness": WALRAS})] == [True]
    assert [r.ok for r in verify_document({"id": "thm-3.1", "status": "proved"})] == [False]


def test_witness_attached_to_another_claim_is_rejected():
    r = verify_document([{"id": "thm-5.2", "status": "refuted", "witness": WALRAS}])[0]
    assert not r.ok and "attached to thm-5.2" in r.message


def test_kind_that_cannot_refute_the_claim_is_rejected():
    r = verify_witness(tamper(WALRAS, ("claim",), "thm-5.4"))
    assert not r.ok and "does not refute thm-5.4" in r.message
    r = verify_witness(tamper(WALRAS, ("claim",), "thm-9.9"))
    assert not r.ok and "not a claim" in r.message


def test_document_of_no_known_shape_raises(tmp_path):
    with pytest.raises(ModelFileError, match="document"):
        verify_document("text")
    with pytest.raises(ModelFileError, match="document"):
        verify_document({"economy": {}})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ModelFileError, match="line 1, column 2"):
        verify_file(bad)
    with pytest.raises(ModelFileError, match="readable witness file"):
        verify_file(tmp_path / "absent.json")


def test_floats_in_files_are_read_by_their_decimal_text(tmp_path):
    # α = 0.1 and p = 1.0 as JSON floats: read exactly (1/10, 1)
    w = tamper(tamper(WALRAS, ("economy", "parameters", "alpha"), 0.1), ("prices",), [[1.0]])
    path = tmp_path / "w.json"
    path.write_text(json.dumps(w))
    assert [r.ok for r in verify_file(path)] == [True]


# ============================================================================ error table
@pytest.mark.parametrize(
    "path,value,field",
    [
        (("kind",), DROP, "no 'kind'"),
        (("kind",), 3, "unknown witness kind 3"),
        (("claim",), DROP, "no 'claim'"),
        (("economy",), DROP, "economy"),
        (("economy",), "two-by-two", "economy"),
        (("economy", "parameters", "alpha"), 2, "economy.parameters.alpha"),
        (("economy", "edges"), [["a", "zz"]], "economy.edges[0]"),
        (("economy", "agents", 0, "box"), [[1, 0]], "economy"),
        (("prices",), DROP, "prices"),
        (("prices",), [[1, 2]], "prices[0]"),
        (("prices",), [["1/0"]], "prices[0][0]"),
        (("prices",), [[True]], "prices[0][0]"),
        (("prices",), "p", "prices"),
        (("supply",), [[None]], "supply[0][0]"),
        (("claimed",), DROP, "claimed"),
        (("claimed",), [0], "claimed"),
        (("claimed", "value"), DROP, "claimed.value"),
        (("claimed", "value"), ["1", "0"], "claimed.value"),  # lo > hi
        (("claimed", "value"), {"minpoly": [0, 1], "re": [0, 1]}, "claimed.value.minpoly"),
        (("observed", "value"), "nan", "observed.value"),
    ],
)
def test_malformed_input_names_the_field(path, value, field):
    r = verify_witness(tamper(WALRAS, path, value))
    assert isinstance(r, VerifyResult) and not r.ok
    assert field in r.message and "\n" not in r.message


def test_not_an_object():
    r = verify_witness(["a", "list"])
    assert not r.ok and "witness object" in r.message and r.kind == "?"


INJECTIONS = [
    "__import__('os').system('touch /tmp/geo_sym_pwned')",
    "exp(1)",
    "1/0",
    "lambda: 1",
    "1e999999",
    "Rational(1, 2)",
    "2**1000000",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_code_in_numbers_is_rejected_never_evaluated(text):
    for path, value in [
        (("prices",), [[text]]),
        (("observed", "value"), text),
        (("economy", "parameters", "tau"), text),
        (("claimed", "value"), {"minpoly": [1, text], "re": [0, 1]}),
    ]:
        r = verify_witness(tamper(WALRAS, path, value))
        assert not r.ok
    assert not Path("/tmp/geo_sym_pwned").exists()


# ============================================================================ command line
def test_cli_lines_name_claim_and_kind_aligned(tmp_path, capsys, monkeypatch):
    from geo_sym.cli.main import main

    monkeypatch.setenv("COLUMNS", "200")
    doc = [
        {"id": "thm-3.1", "status": "refuted", "witness": WALRAS},
        {"id": "thm-4.4/existence", "status": "refuted", "witness": SEPARATION},
    ]
    f = tmp_path / "v.json"
    f.write_text(json.dumps(doc))
    assert main(["verify", str(f)]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("confirmed", "not confirmed"))]
    assert "thm-3.1" in out[0] and "walras_value" in out[0]
    assert out[1].index("no_equilibrium") == out[0].index("walras_value")  # aligned columns
    assert "thm-4.4/existence" in out[1]
    doc[0]["witness"] = tamper(WALRAS, ("supply",), [["1/2"]])
    f.write_text(json.dumps(doc))
    assert main(["verify", str(f)]) == 1
    assert "\nnot confirmed  thm-3.1" in capsys.readouterr().out
    assert main(["verify", str(f), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [(d["claim"], d["kind"], d["ok"]) for d in data] == [
        ("thm-3.1", "walras_value", False),
        ("thm-4.4/existence", "no_equilibrium", True),
    ]


def test_cli_wraps_to_a_narrow_terminal(tmp_path, capsys, monkeypatch):
    from geo_sym.cli.main import main

    monkeypatch.setenv("COLUMNS", "50")
    f = tmp_path / "v.json"
    f.write_text(json.dumps(WALRAS))
    assert main(["verify", str(f)]) == 0
    assert all(len(line) <= 50 for line in capsys.readouterr().out.splitlines())


def test_cli_bad_file_is_one_line_and_exit_2(tmp_path, capsys):
    from geo_sym.cli.main import main

    f = tmp_path / "v.json"
    f.write_text("[1,")
    assert main(["verify", str(f)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("geo-sym: error:")


# ============================================================================ independence
FORBIDDEN = ("proofs.claims", "proofs.report", "geo_sym.maps", "geo_sym.solve", "geo_sym.rigorous", "geo_sym.render")
ALLOWED_GEO_SYM = {"geo_sym.economy.files", "geo_sym.economy.numbers", "geo_sym.economy.spec", "geo_sym.errors"}
ALLOWED_THIRD_PARTY = {
    "sympy",
    "mpmath",
    "flint",
    "numpy",
    "__future__",
    "dataclasses",
    "contextlib",
    "functools",
    "math",
}


def _imports(path: Path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


@pytest.mark.parametrize("path", sorted(VERIFY_DIR.glob("*.py")), ids=lambda p: p.name)
def test_verifier_module_imports_nothing_that_produces_verdicts(path):
    names = _imports(path)
    assert not any(n.startswith(".") for n in names), names  # absolute imports only
    assert not any(n.startswith(FORBIDDEN) for n in names), names
    for n in names:
        top = n.split(".")[0]
        if top == "geo_sym":
            assert n in ALLOWED_GEO_SYM, n
        elif top == "proofs":
            assert n.startswith("proofs.verify"), n
        else:
            assert top in ALLOWED_THIRD_PARTY or top in sys.stdlib_module_names, n
    text = path.read_text()
    for pattern in (r"(?<![.\w])eval\(", r"(?<![.\w])exec\(", "sympify", "parse_expr", r"(?<![.\w])print\("):
        assert not re.search(pattern, text), (path.name, pattern)


def test_import_contract_is_in_pyproject():
    text = (VERIFY_DIR.parents[1] / "pyproject.toml").read_text()
    assert 'source_modules = ["proofs.verify"]' in text
    for name in FORBIDDEN:
        assert f'"{name}"' in text


def test_every_kind_of_the_format_is_implemented():
    doc = (VERIFY_DIR.parents[1] / "docs" / "witness-format.md").read_text()
    table = doc.split("## Kinds")[1].split("## Claims and kinds")[0]
    documented = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
    assert documented == set(KINDS)
