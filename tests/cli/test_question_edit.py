"""``question edit / duplicate / remove / restore``: versioned, history kept, conflicts named."""

import json

from questions.edit import edit_question
from tests.conftest import Cli, dump


def _multi(cli: Cli) -> None:
    cli.ok(
        "question",
        "add",
        "Which?",
        "--outcome",
        "A",
        "--outcome",
        "B",
        "--outcome",
        "C",
        "--prior",
        "3",
        "--prior",
        "2",
        "--prior",
        "1",
        "--tag",
        "iraq",
        "--criteria",
        "old rule",
    )


def test_edit_changes_fields_keeps_history_and_priors(cli: Cli) -> None:
    _multi(cli)
    out = cli.ok(
        "question",
        "edit",
        "Q1",
        "--title",
        "Which one?",
        "--criteria",
        "new rule",
        "--closes",
        "2030-06-01",
        "--tag",
        "ISIS",
        "--tag",
        "syria",
        "--outcome",
        "B",
        "--outcome",
        "A",
        "--outcome",
        "Cee",
        "--expect-version",
        "1",
    )
    assert out == "Q1: version 2"
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert shown["title"] == "Which one?"
    assert shown["criteria"] == "new rule"
    assert shown["closes_at"].startswith("2030-06-01")
    assert shown["tags"] == ["isis", "syria"]
    # renamed in order (a swap included); the priors stay with their positions
    assert [(o["name"], round(o["prior"], 3)) for o in shown["outcomes"]] == [
        ("B", 0.5),
        ("A", 0.333),
        ("Cee", 0.167),
    ]
    with cli.open() as db:
        from questions.edit import question_changes

        history = question_changes(db, "Q1")
    assert [h["action"] for h in history] == ["added", "edited"]
    assert history[0]["state"]["title"] == "Which?"
    assert set(history[1]["changed"]) == {"title", "criteria", "closes_at", "tags", "outcomes"}


def test_stale_version_is_a_named_conflict_and_changes_nothing(cli: Cli) -> None:
    _multi(cli)
    with cli.open() as db:
        edit_question(db, "Q1", by="alice", title="Alice's title")
        before = dump(db)
    result = cli("question", "edit", "Q1", "--title", "Mine", "--expect-version", "1")
    assert result.exit_code == 1
    assert "alice" in result.stderr and "version 2" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with cli.open() as db:
        assert dump(db) == before


def test_bad_edits_name_the_field(cli: Cli) -> None:
    _multi(cli)
    cli.ok("question", "add", "Binary")
    cases = {
        ("Q1", "--outcome", "A", "--outcome", "B"): "outcomes: give 3 names",
        ("Q1", "--outcome", "A", "--outcome", "a", "--outcome", "C"): "distinct",
        ("Q2", "--outcome", "Up", "--outcome", "Down"): "yes/no question",
        ("Q1", "--title", "  "): "title",
        ("Q1", "--closes", "soon"): "closes",
        ("Q1",): "nothing to change",
    }
    for args, message in cases.items():
        result = cli("question", "edit", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)


def test_duplicate_remove_restore(cli: Cli) -> None:
    _multi(cli)
    assert cli.ok("question", "duplicate", "Q1") == "Q2"
    copy = json.loads(cli.ok("question", "show", "Q2", "--json"))
    assert copy["title"] == "Which? (copy)"
    assert [o["name"] for o in copy["outcomes"]] == ["A", "B", "C"]
    assert copy["tags"] == ["iraq"] and copy["criteria"] == "old rule"
    assert cli.ok("question", "remove", "Q1") == "Q1: removed"
    listed = json.loads(cli.ok("question", "list", "--status", "all", "--json"))
    assert [q["id"] for q in listed] == ["Q2"]
    again = cli("question", "remove", "Q1")
    assert again.exit_code == 1 and "removed by tester" in again.stderr
    assert cli("question", "edit", "Q1", "--title", "x").exit_code == 1
    assert cli.ok("question", "restore", "Q1") == "Q1: restored"
    listed = json.loads(cli.ok("question", "list", "--status", "all", "--json"))
    assert [q["id"] for q in listed] == ["Q1", "Q2"]
    with cli.open() as db:
        from questions.edit import question_changes

        assert [h["action"] for h in question_changes(db, "Q1")] == ["added", "removed", "restored"]
        assert question_changes(db, "Q2")[-1]["state"]["copied_from"] == "Q1"
