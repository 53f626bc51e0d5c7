"""The stored model posterior follows every prior and evidence change, in the same transaction."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, edit_evidence, remove_evidence
from forecast.engine.model import question_model
from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft
from questions.workspace import write_transaction


def stored(db: Database, qid: int) -> list[float]:
    return [
        r[0]
        for r in db.execute(
            "select posterior from model_posteriors where question_id = ? order by position", [qid]
        )
    ]


def test_posterior_follows_priors_and_evidence(db: Database) -> None:
    q = store.add_question(db, QuestionDraft(title="Will it rain?", priors=[0.2]), author="ann")
    assert stored(db, q.id) == pytest.approx([0.2, 0.8])
    item = add_evidence(db, q.id, EvidenceInputs(text="clouds", lr=4), by="ann")
    # prior odds 1:4 times LR 4 = 1:1 (worked by hand)
    assert stored(db, q.id) == pytest.approx([0.5, 0.5])
    edit_evidence(db, item.id, EvidenceInputs(lr=16), by="ann")
    assert stored(db, q.id) == pytest.approx([0.8, 0.2])
    assert stored(db, q.id) == pytest.approx(list(question_model(db, q.id).analysis.posterior))
    store.set_priors(db, q.id, [0.5, 0.5], by="ann")
    assert stored(db, q.id) == pytest.approx([16 / 17, 1 / 17])
    remove_evidence(db, item.id, by="ann")
    assert stored(db, q.id) == pytest.approx([0.5, 0.5])


def test_multi_outcome_rows_name_each_outcome(db: Database) -> None:
    q = store.add_question(
        db,
        QuestionDraft(title="Who wins?", outcome_names=["A", "B", "C"], priors=[1, 1, 2]),
        author="ann",
    )
    add_evidence(db, q.id, EvidenceInputs(text="poll", likelihoods=[1, 0.5, 0.5]), by="ann")
    rows = db.execute(
        "select outcome, posterior, evidence_items from model_posteriors where question_id = ?"
        " order by position",
        [q.id],
    ).fetchall()
    assert [r[0] for r in rows] == ["A", "B", "C"]
    assert [r[1] for r in rows] == pytest.approx([0.4, 0.2, 0.4])
    assert {r[2] for r in rows} == {1}


def test_a_failed_change_leaves_the_stored_posterior(db: Database) -> None:
    q = store.add_question(db, QuestionDraft(title="Will it rain?", priors=[0.2]), author="ann")
    with pytest.raises(RuntimeError), write_transaction(db):
        add_evidence(db, q.id, EvidenceInputs(text="clouds", lr=4), by="ann")
        raise RuntimeError("killed")
    assert stored(db, q.id) == pytest.approx([0.2, 0.8])


def test_an_upgraded_workspace_gets_its_rows_on_open(tmp_path) -> None:
    path = tmp_path / "w.db"
    with open_workspace(path) as db:
        q = store.add_question(db, QuestionDraft(title="Old?", priors=[0.3]), author="ann")
        db.execute("delete from model_posteriors")
    with open_workspace(path) as db:
        assert stored(db, q.id) == pytest.approx([0.3, 0.7])
