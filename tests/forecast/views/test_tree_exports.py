"""Tree exports say what the tree says: relations as the TUI draws them (an evidence leaf relative to
the claim it sits under), read back by the reference Argdown parser and by pydot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forecast.demo import build_demo
from tests.conftest import Cli
from tests.forecast.views.argdown import parse_argdown

ODD = "Odd {braces} [brackets] <angle> #tag @who *stars* _under_ a/b // c /* d */ back\\slash"


def nested_tree(cli: Cli) -> None:
    """Q1 with claims two deep under a supporting and an attacking root.

    N1 supports Q1 (E3 LR 2)              N3 attacks Q1 (E2 LR 0.5, E5 LR 3)
      N2 supports N1 (E1 LR 4)              N4 supports N3 (E4 LR 0.25, odd text)
                                            N5 attacks N3 (E6 LR 0.8)
    """
    cli.ok("question", "add", "Will troops leave?", "--prior", "0.3")
    for text, *extra in (
        ("Parliament votes to expel", "--lr", "4", "--source", "wire A"),
        ("Pentagon says it stays", "--lr", "0.5", "--credibility", "0.8"),
        ("Drawdown announced", "--lr", "2"),
        (ODD, "--lr", "0.25"),
        ("Basing deal lapses", "--lr", "3"),
        ("Advisers rotate in", "--lr", "0.8"),
    ):
        cli.ok("evidence", "add", "Q1", text, *extra)
    cli.ok("tree", "add", "Q1", "Iraqi politics push them out")  # N1
    cli.ok("tree", "add", "Q1", "Parliament acted", "--under", "N1")  # N2
    cli.ok("tree", "add", "Q1", "Washington resists", "--attacks")  # N3
    cli.ok("tree", "add", "Q1", "The Pentagon wants bases", "--under", "N3")  # N4
    cli.ok("tree", "add", "Q1", "Congress is tired of it", "--under", "N3", "--attacks")  # N5
    for node, item in (("N1", "E3"), ("N2", "E1"), ("N3", "E2"), ("N3", "E5"), ("N4", "E4")):
        cli.ok("tree", "link", node, item)
    cli.ok("tree", "link", "N5", "E6")
    cli.ok("tree", "status", "N2", "in review")


# Worked out by hand from the stances and the LRs: a leaf supports its claim when it pushes the
# way the claim argues (N3, N4 argue against Yes; N5 attacks N3, so argues for Yes).
NESTED_RELATIONS = {
    ("N1", "support", "Q1"),
    ("N2", "support", "N1"),
    ("E3", "support", "N1"),
    ("E1", "support", "N2"),
    ("N3", "attack", "Q1"),
    ("E2", "support", "N3"),  # LR 0.5 favours No, which N3 argues for
    ("E5", "attack", "N3"),  # LR 3 favours Yes
    ("N4", "support", "N3"),
    ("E4", "support", "N4"),  # LR 0.25 favours No; N4 argues for No
    ("N5", "attack", "N3"),
    ("E6", "attack", "N5"),  # LR 0.8 favours No; N5 argues for Yes
}


def relations(parsed: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in parsed["relations"]}  # type: ignore[misc]


def json_relations(tree: dict[str, Any], anchor: str) -> set[tuple[str, str, str]]:
    """Relations as the JSON export states them (node stance, leaf ``relation``)."""
    found: set[tuple[str, str, str]] = set()

    def walk(node: dict[str, Any], parent: str) -> None:
        found.add((node["id"], node["stance"][:-1], parent))
        for item in node["evidence"]:
            found.add((item["id"], item["relation"][:-1], node["id"]))
        for child in node["children"]:
            walk(child, node["id"])

    for root in tree["nodes"]:
        walk(root, anchor if root["outcome"] in (None, "Yes") else f"{anchor}: {root['outcome']}")
    return found


def test_argdown_relations_follow_the_tree(cli: Cli, tmp_path: Path) -> None:
    nested_tree(cli)
    parsed = parse_argdown(cli.ok("tree", "show", "Q1", "--format", "argdown"), tmp_path)
    assert parsed["errors"] == []
    assert relations(parsed) == NESTED_RELATIONS
    tree = json.loads(cli.ok("tree", "show", "Q1", "--format", "json"))
    assert json_relations(tree, "Q1") == NESTED_RELATIONS


def test_argdown_keeps_odd_text_and_puts_status_and_weight_in_data(
    cli: Cli, tmp_path: Path
) -> None:
    nested_tree(cli)
    parsed = parse_argdown(cli.ok("tree", "show", "Q1", "--format", "argdown"), tmp_path)
    statements = parsed["statements"]
    assert statements["E4"]["text"] == [ODD]
    assert statements["N2"]["text"] == ["Parliament acted"]  # no status or weight in the label
    assert statements["N2"]["data"] == {"status": "in review", "author": "tester", "weight": 6.02}
    assert statements["N3"]["data"]["weight"] == pytest.approx(-2.41 - 6.02 + 4.77 - 0.97, abs=0.02)
    assert statements["E2"]["data"] == {"credibility": 0.8, "lr": 0.5, "weight": -2.41}
    assert statements["Q1"]["data"] == {"question": "Q1"}


def test_argdown_multi_outcome_claims_keep_their_outcome(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "State of ISIS", "--outcome", "Remnant", "--outcome",
           "Insurgency [rural]", "--outcome", "Resurgence")  # fmt: skip
    cli.ok("evidence", "add", "Q1", "Night attacks", "--likelihoods", "0.2,0.8,0.5")
    cli.ok("evidence", "add", "Q1", "Towns quiet", "--likelihoods", "0.6,0.3,0.1")
    cli.ok("evidence", "add", "Q1", "Cells recruit", "--likelihoods", "0.3,0.6,0.9")
    cli.ok("tree", "add", "Q1", "Violence looks rural", "--outcome", "Insurgency [rural]")  # N1
    cli.ok("tree", "add", "Q1", "Cities are calm", "--under", "N1", "--attacks")  # N2
    cli.ok("tree", "add", "Q1", "General mood", "--attacks")  # N3, on no one outcome
    cli.ok("tree", "link", "N1", "E1")
    cli.ok("tree", "link", "N1", "E2")
    cli.ok("tree", "link", "N2", "E3")
    cli.ok("tree", "link", "N3", "E3")
    parsed = parse_argdown(cli.ok("tree", "show", "Q1", "--format", "argdown"), tmp_path)
    assert parsed["errors"] == []
    # weight toward "Insurgency" = ln l_Insurgency - mean_j ln l_j:
    # E1 -0.22 - (-0.93) > 0 and E2 -1.20 - (-1.34) > 0: both support N1;
    # E3 -0.51 - (-0.61) > 0, but N2 attacks N1 (argues against Insurgency): E3 attacks N2
    outcome = "Q1: Insurgency (rural)"
    assert relations(parsed) == {
        ("N1", "support", outcome),
        ("E1", "support", "N1"),
        ("E2", "support", "N1"),
        ("N2", "attack", "N1"),
        ("E3", "attack", "N2"),
        ("N3", "attack", "Q1"),
        ("E3", "support", "N3"),  # a claim on no one outcome: its leaves are its grounds
    }
    assert parsed["statements"][outcome]["data"] == {
        "question": "Q1",
        "outcome": "Insurgency [rural]",
    }
    assert parsed["statements"][outcome]["text"] == ["Insurgency [rural]"]
    assert set(parsed["statements"]["N3"]["data"]["weight"]) == {
        "Remnant",
        "Insurgency [rural]",
        "Resurgence",
    }


def test_a_binary_claim_on_no_argues_against_yes(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "Will it rain?")
    cli.ok("evidence", "add", "Q1", "Dry front", "--lr", "0.5")
    cli.ok("tree", "add", "Q1", "It stays dry", "--outcome", "No")
    cli.ok("tree", "link", "N1", "E1")
    parsed = parse_argdown(cli.ok("tree", "show", "Q1", "--format", "argdown"), tmp_path)
    assert relations(parsed) == {("N1", "support", "Q1: No"), ("E1", "support", "N1")}


def test_demo_argdown_agrees_with_the_tree(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path)
    cli = Cli(path)
    for question in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q6"):
        parsed = parse_argdown(cli.ok("tree", "show", question, "--format", "argdown"), tmp_path)
        assert parsed["errors"] == []
        tree = json.loads(cli.ok("tree", "show", question, "--format", "json"))
        assert relations(parsed) == json_relations(tree, question), question
        if question == "Q1":
            # "Iraqi units still depend on coalition air support" backs "Iraqi forces still need
            # the coalition", which attacks "troops leave"
            assert ("E22", "support", "N3") in relations(parsed)
            assert ("N3", "attack", "Q1") in relations(parsed)


def test_markdown_tree_gives_each_item_its_lr_and_credibility(cli: Cli) -> None:
    nested_tree(cli)
    text = cli.ok("tree", "show", "Q1", "--format", "md")
    assert (
        "E1: Parliament votes to expel — wire A · *LR 4, credibility 1; +6.0 dB; supports" in text
    )
    assert (
        "E2: Pentagon says it stays · *LR 0.5, credibility 0.8; +2.4 dB; supports the claim*"
        in text
    )
    assert "E5: Basing deal lapses · *LR 3, credibility 1; -4.8 dB; attacks the claim*" in text


def test_a_claims_weight_follows_its_stance(cli: Cli, workspace_path: Path) -> None:
    """Worked by hand on ``nested_tree`` (dB toward Yes = 10 log10 LR, times credibility):
    E1 +6.02, E2 0.8 * -3.01 = -2.41, E3 +3.01, E4 -6.02, E5 +4.77, E6 -0.97.

    Orientation toward Yes is the product of the stances on the path: N1 +, N2 +, N3 -, N4 - (it
    supports N3), N5 + (it attacks N3). A claim shows its subtree's weight toward what it hangs
    under (toward Yes times its parent's orientation):
      N2 = +6.02 (supports N1)             N1 = 3.01 + 6.02 = +9.03
      N4 = -6.02 * -1 = +6.02 (it backs N3, though its evidence favours No)
      N5 = -0.97 * -1 = +0.97 (it attacks N3 but its evidence backs N3: flagged)
      N3 = -2.41 + 4.77 - 6.02 - 0.97 = -4.63 (an attacking claim whose evidence holds reads -)
    """
    from sqlite_utils import Database

    from forecast.views.tree import WeightedNode, node_weight_text, weighted_tree

    nested_tree(cli)
    model, roots = weighted_tree(Database(workspace_path), "Q1")
    nodes: dict[str, WeightedNode] = {}

    def walk(node: WeightedNode) -> None:
        nodes[node.node.short_id] = node
        for child in node.children:
            walk(child)

    for root in roots:
        walk(root)
    expected = {"N1": 9.03, "N2": 6.02, "N3": -4.63, "N4": 6.02, "N5": 0.97}
    for short_id, weight in expected.items():
        assert nodes[short_id].toward_parent == pytest.approx(weight, abs=0.01), short_id
    argues = {k: n.argues(model.question) for k, n in nodes.items()}
    assert argues == {
        "N1": "for Yes",
        "N2": "for Yes",
        "N3": "against Yes",
        "N4": "against Yes",
        "N5": "for Yes",
    }
    assert nodes["N4"].leaf_toward_claim(0) == pytest.approx(6.02, abs=0.01)  # E4 backs N4
    assert nodes["N5"].leaf_toward_claim(0) == pytest.approx(-0.97, abs=0.01)  # E6 undercuts N5
    assert node_weight_text(model.question, nodes["N4"]) == "+6.0 dB, against Yes"
    assert nodes["N5"].warnings == ["attacks N3 but its evidence backs it"]
    assert nodes["N4"].warnings == [] and nodes["N3"].warnings == []
    text = cli.ok("tree", "show", "Q1")
    assert "+ N4 The Pentagon wants bases  [+6.0 dB, against Yes; draft]" in text
    assert "- N3 Washington resists  [-4.6 dB, against Yes; draft]" in text


def test_dot_colours_relations_wraps_labels_and_weighs_leaves(cli: Cli) -> None:
    import pydot

    nested_tree(cli)
    graphs = pydot.graph_from_dot_data(cli.ok("tree", "show", "Q1", "--format", "dot"))
    assert graphs
    graph: Any = graphs[0]
    colour = {(e.get_source(), e.get_destination()): e.get_color() for e in graph.get_edges()}
    green, red = '"#1b7f3b"', '"#b3261e"'
    assert colour[("E2", "N3")] == green and colour[("E5", "N3")] == red
    assert colour[("N3", "q")] == red and colour[("N1", "q")] == green
    assert colour[("E6", "N5")] == red and colour[("E4", "N4")] == green
    labels = {n.get_name(): n.get_label() for n in graph.get_nodes()}
    assert "+2.4 dB" in labels["E2"] and "LR 0.5, credibility 0.8" in labels["E2"]
    odd = labels["E4"].strip('"').split("\\n")
    assert len(odd) > 3 and max(len(line) for line in odd) <= 40
