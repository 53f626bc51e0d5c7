"""Every check a decision makes runs inside its own write transaction.

Each test lets another session make its change at the worst moment — after this session has
looked at the row, just before its write transaction begins — and shows the second change is
refused as a conflict instead of applying on top of the first. (``test_many_writers.py`` runs the
same collisions between two real processes.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlite_utils import Database

import arguments.evidence_store as evidence_store
import arguments.review_store as review_store
from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, evidence_history, get_evidence, remove_evidence
from arguments.review_store import accept_challenge, challenge, get_challenge, reject_challenge
from forecast.workspace import open_workspace
from questions import store
from questions.errors import Conflict
from questions.models import QuestionDraft


@pytest.fixture
def sessions(workspace_path: Path) -> Iterator[tuple[Database, Database]]:
    """Two sessions (ann's and bob's) on one workspace with a question Q1 and an item E1."""
    setup = open_workspace(workspace_path)
    qid = store.add_question(
        setup, QuestionDraft(title="Will the ceasefire hold?"), author="ann"
    ).id
    add_evidence(setup, qid, EvidenceInputs(text="Artillery withdrawn", lr=3), by="ann")
    setup.close()
    ann, bob = open_workspace(workspace_path), open_workspace(workspace_path)
    yield ann, bob
    ann.close()
    bob.close()


def just_before_the_write(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, db: Database, other: Callable[[], object]
) -> None:
    """Run ``other`` (another session's change) when ``db`` first opens a write transaction in
    ``module``: after everything ``db`` read before it."""
    real = module.write_transaction
    fired: list[bool] = []

    def transaction(target: Database):  # noqa: ANN202
        if target is db and not fired:
            fired.append(True)
            other()
        return real(target)

    monkeypatch.setattr(module, "write_transaction", transaction)


def test_accept_and_reject_at_once_decide_once(
    sessions: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = sessions
    made = challenge(ann, 1, by="cat", lr=0.5, reason="too strong")
    just_before_the_write(
        monkeypatch, review_store, ann, lambda: reject_challenge(bob, made.id, by="bob")
    )
    with pytest.raises(Conflict, match=r"^C1 is already rejected \(bob at "):
        accept_challenge(ann, made.id, by="ann")
    found = get_challenge(ann, made.id)
    assert (found.status, found.decided_by) == ("rejected", "bob")
    assert get_evidence(ann, 1).likelihoods == (3.0, 1.0)
    assert [h["action"] for h in evidence_history(ann, 1)] == ["added"]


def test_reject_after_an_accept_slipped_in_is_refused(
    sessions: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = sessions
    made = challenge(ann, 1, by="cat", lr=0.5, reason="too strong")
    just_before_the_write(
        monkeypatch, review_store, ann, lambda: accept_challenge(bob, made.id, by="bob")
    )
    with pytest.raises(Conflict, match="already accepted"):
        reject_challenge(ann, made.id, by="ann")
    assert get_challenge(ann, made.id).status == "accepted"
    assert get_evidence(ann, 1).likelihoods == (0.5, 1.0)


def test_remove_twice_at_once_removes_once(
    sessions: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = sessions
    just_before_the_write(
        monkeypatch, evidence_store, ann, lambda: remove_evidence(bob, 1, by="bob")
    )
    with pytest.raises(Conflict, match="already removed by bob"):
        remove_evidence(ann, 1, by="ann")
    assert [h["action"] for h in evidence_history(ann, 1)] == ["added", "removed"]
    assert get_evidence(ann, 1).removed_by == "bob"


def test_remove_while_a_dependent_is_added_is_refused(
    sessions: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = sessions
    just_before_the_write(
        monkeypatch,
        evidence_store,
        ann,
        lambda: add_evidence(bob, 1, EvidenceInputs(text="Follows", lr=2, depends_on=1), by="bob"),
    )
    with pytest.raises(Conflict, match="E2 depend on it"):
        remove_evidence(ann, 1, by="ann")
    assert get_evidence(ann, 1).removed_at is None


def test_resolve_while_annulled_is_refused(
    sessions: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = sessions
    just_before_the_write(monkeypatch, store, ann, lambda: store.annul(bob, 1, by="bob"))
    with pytest.raises(Conflict, match="Q1 is annulled"):
        store.resolve(ann, 1, "yes", by="ann")
    assert [r.action for r in store.resolution_history(ann, 1)] == ["annulled"]
    assert store.get_question(ann, 1).status == "annulled"


def test_two_unresolves_at_once_reopen_once(
    sessions: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = sessions
    store.resolve(ann, 1, "yes", by="ann")
    just_before_the_write(monkeypatch, store, ann, lambda: store.unresolve(bob, 1, by="bob"))
    with pytest.raises(Conflict, match="Q1 is not resolved"):
        store.unresolve(ann, 1, by="ann")
    assert [r.action for r in store.resolution_history(ann, 1)] == ["resolved", "unresolved"]


def test_two_annuls_at_once_annul_once(
    sessions: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = sessions
    just_before_the_write(monkeypatch, store, ann, lambda: store.annul(bob, 1, by="bob"))
    with pytest.raises(Conflict, match="already annulled"):
        store.annul(ann, 1, by="ann")
    assert [r.action for r in store.resolution_history(ann, 1)] == ["annulled"]
