"""Accepting a challenge keeps the item's 90% range unless the new value falls outside it; then
the range moves with the value (its width in log terms kept). A challenge never removes it."""

from __future__ import annotations

import pytest

from arguments import review_store
from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, get_evidence
from questions.models import QuestionDraft
from questions.store import add_question


def _item(db):
    add_question(db, QuestionDraft(title="Q"), author="a")
    return add_evidence(
        db, 1, EvidenceInputs(text="x", lr=3, range_low=[1.5], range_high=[6]), by="a"
    )


def test_a_value_inside_the_range_keeps_it(db) -> None:
    item = _item(db)
    made = review_store.challenge(db, item.id, by="b", reason="weaker", lr=2)
    review_store.accept_challenge(db, made.id, by="c")
    after = get_evidence(db, item.id)
    assert after.lr == 2 and after.lr_range == (1.5, 6)


def test_a_value_outside_moves_the_range_with_it(db) -> None:
    item = _item(db)
    made = review_store.challenge(db, item.id, by="b", reason="much stronger", lr=12)
    review_store.accept_challenge(db, made.id, by="c")
    after = get_evidence(db, item.id)
    assert after.lr == 12
    assert after.lr_range == pytest.approx((6, 24))  # x4, as the value moved


def test_reject_keeps_the_reason(db) -> None:
    item = _item(db)
    made = review_store.challenge(db, item.id, by="b", reason="weaker", lr=2)
    done = review_store.reject_challenge(db, made.id, by="c", reason="the vote was binding")
    assert done.status == "rejected" and done.decision_reason == "the vote was binding"
    assert get_evidence(db, item.id).lr == 3
