"""The datasette views ``current_probability`` and ``forecaster_scores`` on a real workspace built
with the store functions; expected numbers worked by hand, Brier cross-checked with forecast.scoring.scores."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from forecast.migrations import MIGRATIONS as FORECAST
from forecast.scoring.scores import standing_scores
from forecast.workspace import LAYERS, open_workspace
from questions.models import QuestionDraft
from questions.store import add_question, record_forecast, resolve
from questions.workspace import connect, schema_version

VIEWS = ("current_probability", "forecaster_scores")


def build(db: Database) -> None:
    """Five questions, three forecasters.

    Q1 binary "Rain", closes 2025-06-30, resolved Yes on 2025-07-01:
        alice 0.6 (06-01), updates to 0.8 (06-20), then 0.1 after the close (07-05)
        bob   0.3 (06-10)
    Q2 multi A/B/C, closes 2025-08-31, resolved B on 2025-09-01:
        alice (0.2, 0.5, 0.3) (08-01)
        bob   (0.6, 0.3, 0.1) (08-01), then (0, 1, 0) after the close (09-02)
    Q3 binary, still open: alice 0.9, carol 0.5
    Q4 binary, no closes_at, resolved No on 2025-10-01:
        bob 0.2 (09-15), then 0.9 after the resolution (10-02)
    Q5 binary, nobody has forecast.
    """
    add_question(
        db, QuestionDraft(title="Rain", priors=[0.4], closes_at="2025-06-30"), author="alice"
    )
    add_question(
        db,
        QuestionDraft(
            title="Winner",
            outcome_names=["A", "B", "C"],
            priors=[0.5, 0.3, 0.2],
            closes_at="2025-08-31",
        ),
        author="alice",
    )
    add_question(db, QuestionDraft(title="Still open"), author="bob")
    add_question(db, QuestionDraft(title="No close date", priors=[0.25]), author="bob")
    add_question(db, QuestionDraft(title="Nobody forecast"), author="carol")

    record_forecast(db, "Q1", forecaster="alice", p_yes=0.6, made_at="2025-06-01")
    record_forecast(db, "Q1", forecaster="alice", p_yes=0.8, made_at="2025-06-20")
    record_forecast(db, "Q1", forecaster="alice", p_yes=0.1, made_at="2025-07-05")
    record_forecast(db, "Q1", forecaster="bob", p_yes=0.3, made_at="2025-06-10")
    record_forecast(db, "Q2", forecaster="alice", probs=[0.2, 0.5, 0.3], made_at="2025-08-01")
    record_forecast(db, "Q2", forecaster="bob", probs=[0.6, 0.3, 0.1], made_at="2025-08-01")
    record_forecast(db, "Q2", forecaster="bob", probs=[0.0, 1.0, 0.0], made_at="2025-09-02")
    record_forecast(db, "Q3", forecaster="alice", p_yes=0.9, made_at="2025-11-01")
    record_forecast(db, "Q3", forecaster="carol", p_yes=0.5, made_at="2025-11-02")
    record_forecast(db, "Q4", forecaster="bob", p_yes=0.2, made_at="2025-09-15")
    record_forecast(db, "Q4", forecaster="bob", p_yes=0.9, made_at="2025-10-02")

    resolve(db, "Q1", "Yes", by="alice", at="2025-07-01")
    resolve(db, "Q2", "B", by="alice", at="2025-09-01")
    resolve(db, "Q4", "No", by="bob", at="2025-10-01")


def rows(db: Database, sql: str) -> list[dict]:
    return [dict(r) for r in db.query(sql)]


def test_views_exist_after_migration(db: Database) -> None:
    assert set(VIEWS) <= set(db.view_names())
    applied = {
        name
        for (name,) in db.execute(
            "select name from _sqlite_migrations where migration_set = 'forecastle.forecast'"
        )
    }
    assert {"m001_team_views", "m002_scores_only_due_questions", "m003_model_posteriors"} <= applied
    # empty workspace: the views run and are empty
    assert rows(db, "select * from current_probability") == []
    assert rows(db, "select * from forecaster_scores") == []


def test_fresh_file_workspace_gets_the_views(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    db = open_workspace(path)
    assert set(VIEWS) <= set(db.view_names())
    assert FORECAST.pending(db) == []
    assert schema_version(db) == sum(len(s._migrations) for s in LAYERS)
    db.close()
    # readable by a plain sqlite3 connection (what datasette uses), and reopening changes nothing
    raw = sqlite3.connect(path)
    assert raw.execute("select count(*) from forecaster_scores").fetchone() == (0,)
    raw.close()
    open_workspace(path).close()
    assert list(tmp_path.glob("workspace.db.backup-*")) == []


def test_workspace_from_before_the_views_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = connect(path)
    for migrations in LAYERS:
        if migrations is not FORECAST:
            migrations.apply(old)
    add_question(old, QuestionDraft(title="Old question", priors=[0.4]), author="alice")
    record_forecast(old, "Q1", forecaster="alice", p_yes=0.7, made_at="2025-01-01")
    old.close()
    db = open_workspace(path)
    assert set(VIEWS) <= set(db.view_names())
    assert db.execute(
        "select mean_probability from current_probability where short_id = 'Q1' and position = 0"
    ).fetchone()[0] == pytest.approx(0.7)
    db.close()


def test_current_probability_by_hand(db: Database) -> None:
    build(db)
    got = {(r["short_id"], r["outcome"]): r for r in rows(db, "select * from current_probability")}
    # one row per question and outcome: 2 + 3 + 2 + 2 + 2
    assert len(got) == 11
    # Latest forecast of each forecaster, whatever the close (this view is "now"):
    #   Q1 Yes: alice 0.1 (her 07-05 forecast), bob 0.3 -> (0.1 + 0.3) / 2 = 0.2; No: (0.9 + 0.7) / 2 = 0.8
    #   Q2: alice (0.2, 0.5, 0.3), bob (0, 1, 0) -> A 0.1, B 0.75, C 0.15
    #   Q3: alice 0.9, carol 0.5 -> Yes 0.7, No 0.3
    #   Q4: bob 0.9 alone -> Yes 0.9, No 0.1
    #   Q5: nobody -> 0 forecasters, no mean
    expected = {
        ("Q1", "Yes"): (2, 0.2),
        ("Q1", "No"): (2, 0.8),
        ("Q2", "A"): (2, 0.1),
        ("Q2", "B"): (2, 0.75),
        ("Q2", "C"): (2, 0.15),
        ("Q3", "Yes"): (2, 0.7),
        ("Q3", "No"): (2, 0.3),
        ("Q4", "Yes"): (1, 0.9),
        ("Q4", "No"): (1, 0.1),
    }
    for key, (forecasters, mean) in expected.items():
        assert got[key]["forecasters"] == forecasters, key
        assert got[key]["mean_probability"] == pytest.approx(mean), key
    assert got[("Q5", "Yes")]["forecasters"] == 0
    assert got[("Q5", "Yes")]["mean_probability"] is None

    q1_yes, q2_c = got[("Q1", "Yes")], got[("Q2", "C")]
    assert (q1_yes["title"], q1_yes["status"], q1_yes["position"]) == ("Rain", "resolved", 0)
    assert got[("Q1", "No")]["position"] == 1
    assert q1_yes["prior"] == pytest.approx(0.4)
    assert got[("Q1", "No")]["prior"] == pytest.approx(0.6)
    assert (q2_c["position"], q2_c["prior"]) == (2, pytest.approx(0.2))
    assert got[("Q3", "Yes")]["status"] == "open"
    # each question's means add up to 1
    for short_id in ("Q1", "Q2", "Q3", "Q4"):
        total = sum(r["mean_probability"] for (q, _), r in got.items() if q == short_id)
        assert total == pytest.approx(1.0), short_id


def test_forecaster_scores_by_hand(db: Database) -> None:
    build(db)
    got = {r["forecaster"]: r for r in rows(db, "select * from forecaster_scores")}
    # Only resolved Q1, Q2, Q4 count; the open Q3 is excluded, so carol (only on Q3) has no row.
    # alice: Q1 her last forecast by the 06-30 close is 0.8 (0.6 was updated, 0.1 came after the
    #          close): (0.8 - 1)^2 = 0.04
    #        Q2 (0.2, 0.5, 0.3), B happened: 0.2^2 + (0.5 - 1)^2 + 0.3^2 = 0.04 + 0.25 + 0.09 = 0.38
    # Per event (a binary question is one event, Q2 three): alice (0.04 + 0.38) / 4 = 0.105
    # Log per question: alice -ln 0.8 and -ln 0.5 (B happened): (0.22314 + 0.69315) / 2
    # bob:   Q1 0.3: (0.3 - 1)^2 = 0.49
    #        Q2 (0.6, 0.3, 0.1) ((0, 1, 0) came after the close): 0.36 + 0.49 + 0.01 = 0.86
    #        Q4 no close date, so the cutoff is the 10-01 resolution: 0.2 (not 0.9), No happened:
    #        (0.2 - 0)^2 = 0.04
    #        per event (0.49 + 0.86 + 0.04) / 5 = 0.278; log per question
    #        (-ln 0.3 - ln 0.3 - ln 0.8) / 3
    assert set(got) == {"alice", "bob"}
    assert got["alice"]["brier_per_event"] == pytest.approx(0.42 / 4)
    assert got["bob"]["brier_per_event"] == pytest.approx(1.39 / 5)
    assert got["alice"]["log_score_per_question"] == pytest.approx(
        -(math.log(0.8) + math.log(0.5)) / 2
    )
    assert got["bob"]["log_score_per_question"] == pytest.approx(
        -(2 * math.log(0.3) + math.log(0.8)) / 3
    )
    assert (got["alice"]["events"], got["bob"]["events"]) == (4, 5)
    assert (
        got["alice"]["questions"],
        got["alice"]["binary_questions"],
        got["alice"]["multi_questions"],
    ) == (2, 1, 1)
    assert (
        got["bob"]["questions"],
        got["bob"]["binary_questions"],
        got["bob"]["multi_questions"],
    ) == (3, 2, 1)


def test_forecaster_scores_match_python_scoring(db: Database) -> None:
    build(db)
    got = {r["forecaster"]: r for r in rows(db, "select * from forecaster_scores")}
    # The same standing forecasts scored by forecast.scoring.scores.standing_scores; binary
    # realised index 0 for Yes (Q1), 1 for No (Q4); multi realised index 1 (B) for Q2.
    alice = standing_scores([([0.8, 0.2], 0, True), ([0.2, 0.5, 0.3], 1, False)])
    bob = standing_scores(
        [([0.3, 0.7], 0, True), ([0.6, 0.3, 0.1], 1, False), ([0.2, 0.8], 1, True)]
    )
    for name, expected in (("alice", alice), ("bob", bob)):
        assert got[name]["brier_per_event"] == pytest.approx(expected["brier"])
        assert got[name]["log_score_per_question"] == pytest.approx(expected["log_score"])
        assert got[name]["events"] == expected["n_events"]
        assert got[name]["questions"] == expected["n_questions"]


def test_forecast_made_exactly_at_close_does_not_count(db: Database) -> None:
    add_question(db, QuestionDraft(title="Edge", closes_at="2025-03-01T12:00"), author="alice")
    record_forecast(db, "Q1", forecaster="alice", p_yes=0.5, made_at="2025-02-01")
    record_forecast(db, "Q1", forecaster="alice", p_yes=0.9, made_at="2025-03-01T12:00")
    record_forecast(db, "Q1", forecaster="alice", p_yes=0.2, made_at="2025-03-01T12:00:01")
    resolve(db, "Q1", "Yes", by="alice", at="2025-03-02")
    # "before the close", as the report counts: 0.5 stands, (0.5 - 1)^2 = 0.25
    (score,) = db.execute("select brier_per_event from forecaster_scores").fetchone()
    assert score == pytest.approx(0.25)


def test_forecaster_scores_leave_out_questions_resolved_early(db: Database) -> None:
    """As the report does by default: a question resolved before its scheduled close is not
    scored (ann: only Q1's (0.3 - 0)^2 = 0.09 counts; Q2, resolved early, is left out)."""
    add_question(db, QuestionDraft(title="Due", closes_at="2025-03-01"), author="alice")
    add_question(db, QuestionDraft(title="Early", closes_at="2025-03-01"), author="alice")
    record_forecast(db, "Q1", forecaster="ann", p_yes=0.3, made_at="2025-01-01")
    record_forecast(db, "Q2", forecaster="ann", p_yes=0.9, made_at="2025-01-01")
    resolve(db, "Q1", "No", by="alice", at="2025-03-01")
    resolve(db, "Q2", "Yes", by="alice", at="2025-02-10")
    (row,) = rows(db, "select * from forecaster_scores")
    assert row["questions"] == 1 and row["brier_per_event"] == pytest.approx(0.09)
