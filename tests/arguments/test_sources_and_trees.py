"""Sources, evidence from passages, argument trees with their exports, and the ACH matrix,
through the CLI on real workspaces."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLE, Cli, dump

FIXTURES = Path(__file__).parent / "fixtures"


def import_brief(cli: Cli) -> None:
    assert "imported S1" in cli.ok("import", "article", str(FIXTURES / "brief.md"))


def test_import_article_and_show(cli: Cli) -> None:
    import_brief(cli)
    assert "already imported as S1" in cli.ok("import", "article", str(FIXTURES / "brief.md"))
    listed = json.loads(cli.ok("source", "list", "--json"))
    assert [s["id"] for s in listed] == ["S1"] and listed[0]["citations"] == 4
    shown = json.loads(cli.ok("source", "show", "S1", "--json"))
    assert [p["number"] for p in shown["passages"]] == [1, 2]
    assert shown["sources"][0] == {
        "key": shown["citations"][0]["work"],
        "title": "Dry Canals of the Middle Euphrates",
        "cited": 3,
    }
    assert shown["citations"][1]["ibid"] and shown["citations"][1]["resolves_to"] == 1
    assert "Dry Canals" in cli.ok("source", "show", "S1")


def test_seed_article_through_the_cli(cli: Cli) -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip("the shared seed article is not here")
    cli.ok("import", "article", str(SEED_ARTICLE))
    shown = json.loads(cli.ok("source", "show", "S1", "--json"))
    assert len(shown["citations"]) == 17
    assert shown["sources"][0]["cited"] == 5


def test_bad_article_files_change_nothing(cli: Cli, tmp_path: Path) -> None:
    import_brief(cli)
    with cli.open() as database:
        before = dump(database)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01")
    dangling = tmp_path / "d.txt"
    dangling.write_text("Title\n\nA claim.[1] Another.[7]\n\n[1] Note.\n")
    for path, fragment in (
        (empty, "empty"),
        (binary, "not text"),
        (dangling, "d.txt:3:21: marker [7] has no note"),
        (tmp_path / "missing.txt", "cannot read"),
    ):
        result = cli("import", "article", str(path))
        assert result.exit_code == 1 and fragment in result.stderr, result.stderr
    with cli.open() as database:
        assert dump(database) == before


def test_evidence_from_a_passage_carries_its_citations(cli: Cli) -> None:
    import_brief(cli)
    cli.ok("question", "add", "Will the canals be repaired by 2022?")
    eid = cli.ok(
        "evidence",
        "add",
        "Q1",
        "Council promised repairs",
        "--lr",
        "1.5",
        "--passage",
        "S1:2",
        "--quote",
        "promised repairs in the spring budget",
    )
    assert eid == "E1"
    item = json.loads(cli.ok("evidence", "list", "Q1", "--json"))[0]
    assert item["quote"] == "promised repairs in the spring budget"
    assert "Budget Lines" in item["source"]
    cli.ok(
        "evidence", "add", "Q1", "Canals dry for three summers", "--lr", "0.7", "--passage", "S1:1"
    )
    cli.ok(
        "evidence",
        "add",
        "Q1",
        "Promised twice before",
        "--lr",
        "0.6",
        "--passage",
        "S1:2",
        "--quote",
        "had promised them twice before",
    )
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert any("E2, E3" in w and "dry canals" in w for w in shown["warnings"])
    bad = cli(
        "evidence", "add", "Q1", "x", "--lr", "2", "--passage", "S1:2", "--quote", "never written"
    )
    assert bad.exit_code == 1 and "does not occur in passage S1:2" in bad.stderr
    assert cli("evidence", "add", "Q1", "x", "--lr", "2", "--passage", "S1:9").exit_code == 1
    assert len(json.loads(cli.ok("evidence", "list", "Q1", "--json"))) == 3


def build_tree(cli: Cli) -> None:
    cli.ok("question", "add", "Will troops leave?", "--prior", "0.3")
    cli.ok("evidence", "add", "Q1", "Parliament votes to expel", "--lr", "4", "--source", "wire A")
    cli.ok("evidence", "add", "Q1", "Pentagon says it stays", "--lr", "0.5", "--credibility", "0.8")
    cli.ok("evidence", "add", "Q1", "Drawdown announced", "--lr", "2")
    assert cli.ok("tree", "add", "Q1", "Iraqi politics push them out") == "N1"
    assert cli.ok("tree", "add", "Q1", "Parliament acted", "--under", "N1") == "N2"
    assert cli.ok("tree", "add", "Q1", "Washington resists", "--attacks") == "N3"
    cli.ok("tree", "link", "N2", "E1")
    cli.ok("tree", "link", "N1", "E3")
    cli.ok("tree", "link", "N3", "E2")
    cli.ok("tree", "status", "N2", "approved")


def test_tree_weights_equal_the_engine(cli: Cli) -> None:
    build_tree(cli)
    tree = json.loads(cli.ok("tree", "show", "Q1", "--format", "json"))
    evidence = {
        e["id"]: e for e in json.loads(cli.ok("question", "show", "Q1", "--json"))["evidence"]
    }
    n1, n3 = tree["nodes"]
    assert n1["weight_db"] == pytest.approx(
        evidence["E1"]["weight_db"] + evidence["E3"]["weight_db"]
    )
    assert n1["children"][0]["weight_db"] == pytest.approx(10 * math.log10(4))
    assert (
        n3["weight_db"] == pytest.approx(10 * 0.8 * math.log10(0.5)) and n3["stance"] == "attacks"
    )
    assert n1["children"][0]["status"] == "approved"
    import jsonschema

    from forecast.views.tree import TREE_JSON_SCHEMA

    jsonschema.validate(tree, TREE_JSON_SCHEMA)


def test_tree_errors(cli: Cli) -> None:
    build_tree(cli)
    cli.ok("question", "add", "Other")
    cli.ok("evidence", "add", "Q2", "elsewhere", "--lr", "2")
    cross = cli("tree", "link", "N1", "E4")
    assert cross.exit_code == 1 and "same question only" in cross.stderr
    cycle = cli("tree", "move", "N1", "--under", "N2")
    assert cycle.exit_code == 1 and "cycle" in cycle.stderr
    assert cli("tree", "add", "Q1", "x", "--under", "N9").exit_code == 1


def test_markdown_export_reads_as_a_review_document(cli: Cli) -> None:
    build_tree(cli)
    text = cli.ok("tree", "show", "Q1", "--format", "md")
    assert text.startswith("# Q1: Will troops leave?")
    assert "- **Pro** (Yes) Iraqi politics push them out" in text
    assert "  - **Pro** (parent) Parliament acted — *+6.0 dB, for Yes*, approved" in text
    assert "- **Con** (Yes) Washington resists" in text
    assert "E1: Parliament votes to expel — wire A" in text


def test_dot_export_parses(cli: Cli, tmp_path: Path) -> None:
    build_tree(cli)
    dot = cli.ok("tree", "show", "Q1", "--format", "dot")
    import pydot

    graphs = pydot.graph_from_dot_data(dot)
    assert graphs and {e.get_source() for e in graphs[0].get_edges()} >= {"N1", "N2", "N3", "E1"}
    if shutil.which("dot"):
        path = tmp_path / "tree.dot"
        path.write_text(dot)
        subprocess.run(["dot", "-Tsvg", str(path), "-o", str(tmp_path / "tree.svg")], check=True)


def test_argdown_export_parses_back(cli: Cli, tmp_path: Path) -> None:
    from tests.forecast.views.argdown import parse_argdown

    build_tree(cli)
    parsed = parse_argdown(cli.ok("tree", "show", "Q1", "--format", "argdown"), tmp_path)
    assert parsed["errors"] == []
    assert set(parsed["statements"]) == {"Q1", "N1", "N2", "N3", "E1", "E2", "E3"}
    assert ["N3", "attack", "Q1"] in parsed["relations"] and ["N2", "support", "N1"] in parsed[
        "relations"
    ]


def test_ach_matrix_with_ratings(cli: Cli) -> None:
    cli.ok(
        "question",
        "add",
        "State of ISIS",
        "--outcome",
        "Remnant",
        "--outcome",
        "Insurgency",
        "--outcome",
        "Resurgence",
    )
    cli.ok("evidence", "add", "Q1", "Night attacks on checkpoints", "--ratings", "I,C,C")
    cli.ok("evidence", "add", "Q1", "No towns held", "--ratings", "C,C,II", "--credibility", "0.5")
    matrix = json.loads(cli.ok("ach", "Q1", "--json"))
    # inconsistency: Remnant 1 (I), Insurgency 0, Resurgence 2 * 0.5 = 1
    assert [h["inconsistency"] for h in matrix["hypotheses"]] == [1.0, 0.0, 1.0]
    assert matrix["least_inconsistent"] == "Insurgency"
    rows = {e["id"]: e for e in matrix["evidence"]}
    assert rows["E1"]["likelihoods"] == [0.3, 0.7, 0.7]
    # most diagnostic first: E2 0.5 * 10 log10(0.7 / 0.1) = 4.2 dB over E1 10 log10(0.7 / 0.3) = 3.7
    assert [e["id"] for e in matrix["evidence"]] == ["E2", "E1"]
    # posterior: priors 1/3 each; 0.3*0.7^.5... item 2 with c = 0.5: (0.7^.5, 0.7^.5, 0.1^.5)
    raw = [0.3 * 0.7**0.5, 0.7 * 0.7**0.5, 0.7 * 0.1**0.5]
    assert [h["posterior"] for h in matrix["hypotheses"]] == pytest.approx(
        [r / sum(raw) for r in raw]
    )
    assert "least inconsistent (ACH): Insurgency" in cli.ok("ach", "Q1")
    bad = cli("evidence", "add", "Q1", "x", "--ratings", "C,Q,C")
    assert bad.exit_code == 1 and "ratings: 'Q'" in bad.stderr
