"""Team review through the CLI: comments and threads, review status, LR challenges with the dispute
each one opens, accept / reject / withdraw, and clear refusals that change nothing."""

from __future__ import annotations

import json
import math

import pytest

from tests.conftest import Cli, dump


@pytest.fixture
def reviewed(cli: Cli) -> Cli:
    cli.ok("--as", "ana", "question", "add", "Will the ceasefire hold?")
    cli.ok("--as", "ana", "evidence", "add", "Q1", "Both sides withdrew artillery", "--lr", "4")
    return cli


def test_threads_and_review_status(reviewed: Cli) -> None:
    assert reviewed.ok("--as", "ben", "comment", "E1", "Who verified this?") == "comment 1 on E1"
    assert (
        reviewed.ok("--as", "ana", "comment", "E1", "UN monitors", "--reply-to", "1")
        == "comment 2 on E1"
    )
    reviewed.ok("--as", "cy", "comment", "Q1/No", "Spoilers are active")
    threads = json.loads(reviewed.ok("comments", "Q1", "--json"))
    assert [(c["target"], c["author"], c["parent_id"]) for c in threads] == [
        ("E1", "ben", None),
        ("E1", "ana", 1),
        ("Q1/No", "cy", None),
    ]
    assert reviewed.ok("--as", "lee", "review", "E1", "approved") == "E1: approved (lee)"
    with reviewed.open() as db:
        assert db.execute("select review_status, review_by, version from evidence").fetchone() == (
            "approved",
            "lee",
            2,
        )
    assert reviewed.ok("resolve-thread", "2") == "thread #1: resolved"
    with reviewed.open() as db:
        assert [r[0] for r in db.execute("select resolved from comments order by id")] == [1, 1, 0]


def test_challenge_opens_a_dispute_with_each_analysts_posterior(reviewed: Cli) -> None:
    assert (
        reviewed.ok(
            "--as", "ben", "challenge", "E1", "--lr", "1", "--reason", "Withdrawals are routine"
        )
        == "C1"
    )
    shown = json.loads(reviewed.ok("question", "show", "Q1", "--json"))
    (dispute,) = shown["disputes"]
    # Prior 1:1. ana's LR 4 gives odds 4 (P = 0.8); ben's LR 1 leaves 0.5; the consensus is the
    # geometric mean sqrt(4 * 1) = 2, odds 2 (P = 2/3). Spread: 10 log10(4 / 1) = 6.02 dB.
    by = {a["name"]: a for a in dispute["analysts"]}
    assert by["ana"]["posterior"][0] == pytest.approx(0.8)
    assert by["ben"]["posterior"][0] == pytest.approx(0.5) and by["ben"]["challenge"] == "C1"
    assert dispute["consensus"] == pytest.approx([2.0, 1.0])
    assert dispute["posterior_consensus"][0] == pytest.approx(2 / 3)
    assert dispute["dispute_db"] == pytest.approx(10 * math.log10(4))
    with reviewed.open() as db:
        assert db.execute("select review_status from evidence").fetchone()[0] == "challenged"


def test_accept_makes_it_the_value_with_history(reviewed: Cli) -> None:
    reviewed.ok(
        "--as", "ben", "challenge", "E1", "--lr", "2", "--reason", "Partial withdrawal only"
    )
    assert reviewed.ok("--as", "lee", "accept", "C1") == "C1: accepted; E1 now 2, 1"
    shown = json.loads(reviewed.ok("question", "show", "Q1", "--json"))
    assert shown["outcomes"][0]["posterior"] == pytest.approx(2 / 3) and shown["disputes"] == []
    (item,) = json.loads(reviewed.ok("evidence", "list", "Q1", "--json"))
    assert item["lr"] == 2.0 and item["version"] == 3  # added, challenged, accepted
    with reviewed.open() as db:
        trail = db.execute(
            "select action, by, json_extract(state, '$.likelihoods') from evidence_history order by id"
        ).fetchall()
        assert trail == [("added", "ana", "[4.0,1.0]"), ("edited", "lee", "[2.0,1.0]")]
        assert db.execute("select status, decided_by from challenges").fetchone() == (
            "accepted",
            "lee",
        )
    again = reviewed("accept", "C1")
    assert again.exit_code == 1 and again.stderr.startswith(
        "error: C1 is already accepted (lee at "
    )


def test_reject_and_withdraw(reviewed: Cli) -> None:
    reviewed.ok("--as", "ben", "challenge", "E1", "--lr", "1", "--reason", "Routine")
    reviewed.ok("--as", "cy", "challenge", "E1", "--lr", "3", "--reason", "Slightly weaker")
    refused = reviewed("--as", "ana", "reject", "C2", "--withdraw")
    assert refused.exit_code == 1 and "only its proposer (cy) can withdraw it" in refused.stderr
    assert (
        reviewed.ok("--as", "cy", "reject", "C2", "--withdraw")
        == "C2: withdrawn; E1 keeps its value"
    )
    assert reviewed.ok("--as", "ana", "reject", "C1") == "C1: rejected; E1 keeps its value"
    with reviewed.open() as db:
        assert db.execute("select likelihoods, review_status from evidence").fetchone() == (
            "[4.0, 1.0]",
            "in review",
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("comment", "E9", "hello"), "error: evidence E9: no such"),
        (
            ("comment", "X1", "hello"),
            "error: target: 'X1' is not allowed (Q3, Q3/OUTCOME, E4 or N2)",
        ),
        (("comment", "Q1", "  "), "error: comment: must not be empty"),
        (("challenge", "E1", "--lr", "-1", "--reason", "r"), "error: lr: -1.0 is not allowed"),
        (("challenge", "E1", "--lr", "2", "--reason", " "), "error: reason: say why"),
        (("review", "Q1", "approved"), "error: target: Q1 has no review status"),
        (("accept", "C7"), "error: challenge C7: no such challenge"),
    ],
)
def test_bad_review_input_is_one_line_and_changes_nothing(
    reviewed: Cli, args: tuple[str, ...], message: str
) -> None:
    with reviewed.open() as db:
        before = dump(db)
    result = reviewed(*args)
    assert result.exit_code == 1 and result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1
    with reviewed.open() as db:
        assert dump(db) == before


def test_reply_to_a_comment_on_another_question_is_refused(reviewed: Cli) -> None:
    reviewed.ok("--as", "ana", "question", "add", "Will talks resume?")
    reviewed.ok("--as", "ben", "comment", "Q2", "Not before spring")
    before = dump(reviewed.open())
    result = reviewed("--as", "ana", "comment", "E1", "Agreed", "--reply-to", "1")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: reply_to: comment 1 is on Q2, not Q1 (reply within the same question)\n"
    )
    assert dump(reviewed.open()) == before
