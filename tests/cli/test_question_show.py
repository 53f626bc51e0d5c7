"""`question show` with the model, through the CLI, checked against hand-derived numbers."""

import json
import math

import pytest

from tests.conftest import Cli, dump


def setup_binary(cli: Cli) -> None:
    cli.ok("question", "add", "Will troops leave?", "--prior", "0.2")
    cli.ok(
        "evidence",
        "add",
        "Q1",
        "Vote to expel",
        "--lr",
        "3",
        "--observed",
        "2020-01-05",
        "--source",
        "Reuters 5 Jan",
    )
    cli.ok(
        "evidence",
        "add",
        "Q1",
        "Pentagon: staying",
        "--lr",
        "0.5",
        "--range",
        "0.25",
        "1",
        "--observed",
        "2020-01-04",
        "--source",
        "Reuters 5 Jan",
    )


def test_show_json_has_the_model(cli: Cli) -> None:
    setup_binary(cli)
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    yes, no = data["outcomes"]
    assert yes["posterior"] == pytest.approx(0.375 / 1.375)
    assert yes["interval"][0] < yes["posterior"] < yes["interval"][1]
    assert no["posterior"] == pytest.approx(1 - yes["posterior"])
    first, second = data["evidence"]
    assert first["id"] == "E1" and first["lr"] == 3
    assert first["weight_db"] == pytest.approx(10 * math.log10(3))
    assert first["posterior_without"][0] == pytest.approx(1 / 9)
    assert second["swing"] > 0 and first["swing"] == 0
    assert data["flip_lr"] == pytest.approx(1 / 0.375)
    assert any("E1, E2" in w for w in data["warnings"])
    # the timeline replays by observed date: E2 (Jan 4) first, then E1
    assert [step["evidence_id"] for step in data["timeline"]] == ["E2", "E1"]
    assert data["timeline"][0]["posterior"][0] == pytest.approx(0.125 / 1.125)
    assert [h["action"] for h in data["history"]] == [
        "prior set",
        "evidence added",
        "evidence added",
    ]


def test_history_explains_edits_removals_and_prior_changes(cli: Cli) -> None:
    setup_binary(cli)
    cli.ok("evidence", "edit", "E1", "--lr", "6")
    cli.ok("evidence", "remove", "E2")
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    history = data["history"]
    assert [h["action"] for h in history][-2:] == ["evidence edited", "evidence removed"]
    # after the edit: odds 0.25 * 6 * 0.5 = 0.75; after removing E2: odds 1.5
    assert history[-2]["posterior"][0] == pytest.approx(0.75 / 1.75)
    assert history[-1]["posterior"][0] == pytest.approx(1.5 / 2.5)
    assert [e["id"] for e in data["evidence"]] == ["E1"]


def test_multi_outcome_show_and_text(cli: Cli) -> None:
    cli.ok(
        "question",
        "add",
        "State of ISIS",
        "--outcome",
        "Defeated",
        "--outcome",
        "Insurgency",
        "--outcome",
        "Resurgent",
        "--prior",
        "5",
        "--prior",
        "3",
        "--prior",
        "2",
    )
    cli.ok(
        "evidence",
        "add",
        "Q1",
        "Attacks up",
        "--likelihoods",
        "0.2,0.6,0.9",
        "--range",
        "0.1,0.4,0.7",
        "0.3,0.8,1",
    )
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    # 0.5*0.2, 0.3*0.6, 0.2*0.9 = 0.10, 0.18, 0.18
    assert [o["posterior"] for o in data["outcomes"]] == pytest.approx(
        [0.10 / 0.46, 0.18 / 0.46, 0.18 / 0.46]
    )
    assert data["evidence"][0]["likelihoods"] == [0.2, 0.6, 0.9]
    text = cli.ok("question", "show", "Q1")
    assert "90% interval" in text and "Insurgency" in text and "E1" in text


def test_evidence_cli_errors_change_nothing(cli: Cli) -> None:
    setup_binary(cli)
    cli.ok("question", "add", "Other")
    cli.ok("evidence", "add", "Q2", "elsewhere", "--lr", "2")
    with cli.open() as database:
        before = dump(database)
    cases = [
        (["evidence", "add", "Q1", "x", "--lr", "0"], "lr: 0"),
        (["evidence", "add", "Q1", "x", "--lr", "inf"], "lr: inf"),
        (["evidence", "add", "Q1", "x", "--lr", "2", "--credibility", "1.1"], "credibility"),
        (["evidence", "add", "Q1", "x", "--lr", "2", "--range", "3", "4"], "does not contain"),
        (["evidence", "add", "Q1", "x", "--lr", "2", "--redundancy", "0.5"], "--group"),
        (
            ["evidence", "add", "Q1", "x", "--lr", "2", "--group", "g", "--redundancy", "-1"],
            "redundancy",
        ),
        (["evidence", "add", "Q1", "x", "--lr", "2", "--depends-on", "E3"], "same question"),
        (["evidence", "add", "Q1", "x", "--likelihoods", "1,2,3"], "3 values for 2 outcomes"),
        (["evidence", "edit", "E9", "--lr", "2"], "E9"),
    ]
    for args, fragment in cases:
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert fragment in result.stderr, (args, result.stderr)
    with cli.open() as database:
        assert dump(database) == before
    cli.ok("evidence", "edit", "E1", "--depends-on", "E2")
    cycle = cli("evidence", "edit", "E2", "--depends-on", "E1")
    assert cycle.exit_code == 1 and "cycle" in cycle.stderr
    listing = json.loads(cli.ok("evidence", "list", "Q1", "--json"))
    assert [e["depends_on"] for e in listing] == ["E2", None]
    cli.ok("evidence", "edit", "E1", "--no-depends-on")
    assert json.loads(cli.ok("evidence", "list", "Q1", "--json"))[0]["depends_on"] is None
