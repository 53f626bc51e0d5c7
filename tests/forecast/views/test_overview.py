"""The home screen's one line per question, on a real workspace; numbers worked by hand."""

from __future__ import annotations

from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import (
    add_evidence,
    evidence_by_question,
    list_evidence,
    remove_evidence,
)
from forecast.views.overview import question_overview, sparkline, standing_forecasts
from questions import store
from questions.models import QuestionDraft


def build(db: Database) -> tuple[int, int, int]:
    """Q1 binary, prior 0.3, one item LR 3: posterior 0.9 / (0.9 + 0.7) = 0.5625.
    Q2 A/B/C, priors (0.5, 0.3, 0.2), one item with likelihoods (0.1, 0.9, 0.5):
    (0.05, 0.27, 0.10) / 0.42, so B leads with 0.642857...
    Q3 binary, prior 0.5, no evidence and no forecasts."""
    q1 = store.add_question(db, QuestionDraft(title="Rain", priors=[0.3]), author="alice").id
    q2 = store.add_question(
        db,
        QuestionDraft(title="Winner", outcome_names=["A", "B", "C"], priors=[0.5, 0.3, 0.2]),
        author="alice",
    ).id
    q3 = store.add_question(db, QuestionDraft(title="Quiet"), author="alice").id
    add_evidence(db, q1, EvidenceInputs(text="Clouds", lr=3), by="alice")
    add_evidence(db, q2, EvidenceInputs(text="Form", likelihoods=[0.1, 0.9, 0.5]), by="alice")
    # alice's later forecast is recorded first: "latest" means made_at, not insertion order
    store.record_forecast(db, q1, forecaster="alice", p_yes=0.6, made_at="2025-03-01")
    store.record_forecast(db, q1, forecaster="alice", p_yes=0.2, made_at="2025-02-01")
    store.record_forecast(db, q1, forecaster="bob", p_yes=0.4, made_at="2025-01-01")
    store.record_forecast(db, q2, forecaster="alice", probs=[0.2, 0.5, 0.3], made_at="2025-02-01")
    store.record_forecast(db, q2, forecaster="bob", probs=[0.6, 0.1, 0.3], made_at="2025-02-01")
    store.record_forecast(db, q2, forecaster="carol", probs=[0.3, 0.3, 0.4], made_at="2025-02-01")
    return q1, q2, q3


def test_standing_forecasts_are_each_forecasters_latest(db: Database) -> None:
    q1, q2, _ = build(db)
    standing = standing_forecasts(db)
    assert standing[q1] == {"alice": [0.6, 0.4], "bob": [0.4, 0.6]}
    assert standing[q2]["bob"] == [0.6, 0.1, 0.3]
    assert standing_forecasts(db, [q2]) == {q2: standing[q2]}
    assert standing_forecasts(db, []) == {}


def test_overview_lines_worked_by_hand(db: Database) -> None:
    q1, q2, q3 = build(db)
    lines = question_overview(db, store.list_questions(db, status="all"), "alice")
    # Q1: model 0.5625; alice's latest 0.6; team median of (0.6, 0.4) = 0.5; trail 0.3 -> 0.5625
    assert (lines[q1].model, lines[q1].mine, lines[q1].team) == ("56%", "60%", "50%")
    assert lines[q1].spark == "▃▅"  # int(0.3 * 8) = 2, int(0.5625 * 8) = 4
    # Q2 follows the model's leader B in every column: medians (0.3, 0.3, 0.3) renormalise to 1/3 each
    assert (lines[q2].model, lines[q2].mine, lines[q2].team) == ("B 64%", "50%", "33%")
    assert lines[q2].spark == "▃▆"  # B: 0.3 -> 0.643
    # Q3: the prior, nobody's forecast, and no trend without evidence
    assert (lines[q3].model, lines[q3].mine, lines[q3].team, lines[q3].spark) == (
        "50%",
        "–",
        "–",
        "",
    )


def test_removed_evidence_leaves_the_overview(db: Database) -> None:
    q1, _, _ = build(db)
    remove_evidence(db, list_evidence(db, q1)[0].id, by="alice")
    assert evidence_by_question(db, [q1]) == {q1: []}
    assert question_overview(db, [store.get_question(db, q1)], "alice")[q1].model == "30%"


def test_evidence_by_question_matches_list_evidence(db: Database) -> None:
    ids = build(db)
    for qid in ids:
        add_evidence(
            db,
            qid,
            EvidenceInputs(text="More", lr=2)
            if qid != ids[1]
            else EvidenceInputs(text="More", likelihoods=[0.2, 0.2, 0.6]),
            by="bob",
        )
    assert evidence_by_question(db, list(ids)) == {qid: list_evidence(db, qid) for qid in ids}


def test_sparkline_keeps_the_last_values_and_clamps() -> None:
    assert sparkline([0.0, 0.5, 1.0]) == "▁▅█"
    assert sparkline([i / 20 for i in range(20)], width=3) == "▇██"  # 0.85, 0.90, 0.95
