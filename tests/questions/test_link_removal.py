"""Removing links: `condition CHILD --on PARENT --remove` (audited; refused while conditional
forecasts hang on it) and `indicator remove PARENT CHILD` (soft; a resolved indicator's evidence
item leaves the parent as an unresolve takes it, history kept). Bad input: one line, exit 1,
nothing changed."""

from __future__ import annotations

import json

import pytest

from arguments.evidence_store import evidence_history
from tests.conftest import Cli, dump


def _unchanged_refusal(cli: Cli, args: tuple[str, ...], message: str) -> None:
    with cli.open() as database:
        before = dump(database)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    with cli.open() as database:
        assert dump(database) == before


def test_condition_remove_and_list(cli: Cli) -> None:
    cli.ok("question", "add", "Attack blamed on militias")
    cli.ok("question", "add", "US withdraws")
    cli.ok("question", "add", "Prison break")
    assert cli.ok("condition", "Q2", "--on", "Q1") == "Q2 is conditional on Q1"
    cli.ok("--as", "amira", "condition", "Q3", "--on", "Q1")
    listed = json.loads(cli.ok("conditions", "--json"))
    assert [(r["child"], r["parent"], r["created_by"]) for r in listed] == [
        ("Q2", "Q1", listed[0]["created_by"]),
        ("Q3", "Q1", "amira"),
    ]
    assert [r["child"] for r in json.loads(cli.ok("conditions", "Q3", "--json"))] == ["Q3"]
    assert "Q3" in cli.ok("conditions", "Q1") and "amira" in cli.ok("conditions")
    removed = json.loads(
        cli.ok("--as", "ben", "condition", "Q3", "--on", "Q1", "--remove", "--json")
    )
    assert removed == {"child": "Q3", "parent": "Q1", "removed": True}
    assert [r["child"] for r in json.loads(cli.ok("conditions", "--json"))] == ["Q2"]
    assert cli.ok("conditions", "Q3") == "no conditions"
    # audited on both ends: who declared it, when, and who removed it
    shown = json.loads(cli.ok("question", "show", "Q3", "--json"))
    (event,) = shown["link_history"]
    assert event["by"] == "ben" and "condition on Q1 removed (declared by amira" in event["text"]
    parent = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert "condition of Q3 on this question removed" in parent["link_history"][-1]["text"]
    # the existing contract still holds: declaring it again works
    assert cli.ok("condition", "Q3", "--on", "Q1") == "Q3 is conditional on Q1"


def test_condition_remove_refusals(cli: Cli) -> None:
    cli.ok("question", "add", "Attack blamed on militias")
    cli.ok("question", "add", "US withdraws")
    cli.ok("question", "add", "Prison break")
    cli.ok("condition", "Q2", "--on", "Q1")
    _unchanged_refusal(
        cli, ("condition", "Q3", "--on", "Q1", "--remove"), "Q3 is not conditional on Q1"
    )
    _unchanged_refusal(cli, ("condition", "Q9", "--on", "Q1", "--remove"), "Q9")
    # a conditional forecast hangs on the link: removing it would lose it silently, so refuse
    cli.ok("forecast", "Q2", "0.7", "--given", "Q1=Yes", "--at", "2020-01-01")
    _unchanged_refusal(
        cli,
        ("condition", "Q2", "--on", "Q1", "--remove"),
        "Q2 has 1 conditional forecast(s) given Q1; a condition with forecasts stays",
    )
    # still refused once the forecast was scored (the parent resolved to its outcome)
    cli.ok("resolve", "Q1", "yes", "--at", "2020-02-01")
    _unchanged_refusal(cli, ("condition", "Q2", "--on", "Q1", "--remove"), "1 already scored")


def test_indicator_remove_before_resolution(cli: Cli) -> None:
    cli.ok("question", "add", "State", "--outcome", "a", "--outcome", "b")
    cli.ok("question", "add", "Prison break")
    cli.ok("indicator", "add", "Q1", "Q2", "--likelihoods", "0.2,0.6")
    _unchanged_refusal(cli, ("indicator", "remove", "Q2", "Q1"), "Q1 is not an indicator for Q2")
    _unchanged_refusal(cli, ("indicator", "remove", "Q1", "Q7"), "Q7")
    done = json.loads(cli.ok("indicator", "remove", "Q1", "Q2", "--json"))
    assert done == {"parent": "Q1", "child": "Q2", "removed": True, "evidence_removed": []}
    assert json.loads(cli.ok("indicator", "list", "--json")) == []
    assert cli.ok("indicator", "list", "Q1") == "no indicators"
    with cli.open() as database:  # soft: the row stays, marked removed
        (row,) = database.execute("select removed_at, removed_by from indicators").fetchall()
    assert row[0] is not None and row[1]
    # its resolution no longer reaches the parent
    cli.ok("resolve", "Q2", "yes", "--at", "2020-01-01")
    assert json.loads(cli.ok("question", "show", "Q1", "--json"))["evidence"] == []
    _unchanged_refusal(cli, ("indicator", "remove", "Q1", "Q2"), "nothing to remove")


def test_indicator_remove_after_resolution_takes_its_evidence_item(cli: Cli) -> None:
    cli.ok("question", "add", "State", "--outcome", "a", "--outcome", "b")
    cli.ok("question", "add", "Prison break")
    cli.ok("indicator", "add", "Q1", "Q2", "--likelihoods", "0.2,0.6")
    cli.ok("resolve", "Q2", "yes", "--at", "2020-01-01")
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    (item,) = shown["evidence"]
    assert item["indicator"] == "Q2"
    line = cli.ok("--as", "ben", "indicator", "remove", "Q1", "Q2")
    assert line == f"Q2 is no longer an indicator for Q1 ({item['id']} removed from Q1)"
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert shown["evidence"] == []
    assert shown["outcomes"][1]["posterior"] == pytest.approx(0.5)
    with cli.open() as database:
        history = evidence_history(database, "Q1")
    assert [h["action"] for h in history] == ["added", "removed"]
    assert history[-1]["by"] == "ben"
    assert "indicator Q2 for Q1 removed; its evidence" in shown["link_history"][-1]["text"]
    # unresolving the child afterwards does nothing more (the link is gone)
    cli.ok("unresolve", "Q2")
    with cli.open() as database:
        assert len(evidence_history(database, "Q1")) == 2
