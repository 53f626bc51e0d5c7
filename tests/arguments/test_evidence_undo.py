"""Undo through an item's history: an edit and a removal are taken back, and the undo is kept."""

from __future__ import annotations

import pytest

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import (
    add_evidence,
    edit_evidence,
    evidence_history,
    get_evidence,
    remove_evidence,
)
from arguments.evidence_undo import undo_last_change
from questions.errors import Conflict
from questions.models import QuestionDraft
from questions.store import add_question


def _item(db):
    add_question(db, QuestionDraft(title="Q"), author="a")
    return add_evidence(
        db,
        1,
        EvidenceInputs(text="x", lr=3, range_low=[1.5], range_high=[6], observed_at="2020-01-01"),
        by="a",
    )


def test_undo_an_edit_and_a_removal(db) -> None:
    item = _item(db)
    with pytest.raises(Conflict, match="nothing to undo"):
        undo_last_change(db, item.id, by="a")
    edit_evidence(db, item.id, EvidenceInputs(lr=5, clear_range=True, text="y"), by="b")
    back, what = undo_last_change(db, item.id, by="b")
    assert what == "edited"
    assert (back.text, back.lr, back.lr_range, back.observed_at) == (
        "x",
        3,
        (1.5, 6),
        "2020-01-01T00:00:00Z",
    )
    remove_evidence(db, item.id, by="b")
    back, what = undo_last_change(db, item.id, by="b")
    assert what == "removed" and back.removed_at is None
    assert [h["action"] for h in evidence_history(db, 1)] == [
        "added",
        "edited",
        "edited",
        "removed",
        "edited",
    ]
    assert get_evidence(db, item.id).version == 5


def test_a_stale_undo_is_refused(db) -> None:
    item = _item(db)
    edit_evidence(db, item.id, EvidenceInputs(lr=5), by="b")
    with pytest.raises(Conflict):
        undo_last_change(db, item.id, by="c", expected_version=1)
    assert get_evidence(db, item.id).lr == 5
