"""Changing a question after it was made: edit (versioned, every state kept in
``question_history``), duplicate, soft-remove and restore."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from . import clock
from .errors import Conflict, InvalidInput
from .models import Question, QuestionDraft, checked
from .question_history import question_history, record_question_history
from .store import add_question, bump_version, get_question, question_id
from .workspace import model_changed, write_transaction

__all__ = [
    "duplicate_question",
    "edit_question",
    "question_changes",
    "remove_question",
    "restore_question",
]


def _draft(question: Question, changes: dict[str, Any]) -> QuestionDraft:
    """The question as a draft with ``changes`` over it: every field checked as when adding."""
    names = changes.get("outcome_names")
    if names is not None:
        names = [n.strip() for n in names]
        if question.kind == "binary":
            if [n.lower() for n in names] != ["yes", "no"]:
                raise InvalidInput(
                    f"outcomes: {question.short_id} is a yes/no question; its outcomes stay Yes and No"
                )
            names = None
        elif len(names) != len(question.outcomes):
            raise InvalidInput(
                f"outcomes: give {len(question.outcomes)} names, one per outcome in order "
                f"({', '.join(question.outcome_names)}); outcomes are renamed, not added or removed"
            )
    return checked(
        QuestionDraft,
        title=changes.get("title", question.title),
        description=changes.get("description", question.description),
        criteria=changes.get("criteria", question.criteria),
        tags=changes.get("tags", question.tags),
        opens_at=question.opens_at,
        closes_at=changes.get("closes_at", question.closes_at),
        outcome_names=([] if question.kind == "binary" else (names or question.outcome_names)),
        priors=question.priors if question.kind != "binary" else [question.priors[0]],
    )


def check_question_edit(db: Database, ref: str | int, **changes: Any) -> None:
    """Validate an edit without writing; raises ``InvalidInput`` naming the field."""
    _draft(get_question(db, ref), _given(changes))


def _given(changes: dict[str, Any]) -> dict[str, Any]:
    given = {k: v for k, v in changes.items() if v is not None}
    if "closes_at" in given:
        given["closes_at"] = (
            clock.parse_iso(given["closes_at"], field="closes") if given["closes_at"] else None
        )
    return given


def edit_question(
    db: Database,
    ref: str | int,
    *,
    by: str,
    expected_version: int | None = None,
    title: str | None = None,
    description: str | None = None,
    criteria: str | None = None,
    closes_at: str | None = None,
    tags: Sequence[str] | None = None,
    outcome_names: Sequence[str] | None = None,
) -> Question:
    """Change a question's words, close date (``""`` clears it), tags (replaced) or outcome
    names (renamed in order). Fields not given keep their value as it is when the write happens;
    the state before stays in the history. A stale ``expected_version`` is refused, naming who
    changed it."""
    given = _given(
        {
            "title": title,
            "description": description,
            "criteria": criteria,
            "closes_at": closes_at,
            "tags": None if tags is None else list(tags),
            "outcome_names": None if outcome_names is None else list(outcome_names),
        }
    )
    if not given:
        raise InvalidInput(
            "question edit: nothing to change (give --title, --description, --criteria, --closes,"
            " --tag or --outcome)"
        )
    now = clock.now_iso()
    with write_transaction(db):
        question = get_question(db, ref)
        _refuse_removed(db, question)
        draft = _draft(question, given)
        try:
            bump_version(db, "questions", question.id, expected_version, by, now)
        except Conflict as exc:
            raise Conflict(f"{question.short_id}: {exc}") from None
        db.execute(
            "update questions set title = ?, description = ?, criteria = ?, closes_at = ?"
            " where id = ?",
            [draft.title, draft.description, draft.criteria, draft.closes_at, question.id],
        )
        if "tags" in given:
            db.execute("delete from question_tags where question_id = ?", [question.id])
            db.conn.executemany(
                "insert into question_tags (question_id, tag) values (?, ?)",
                [(question.id, tag) for tag in draft.tags],
            )
        if question.kind != "binary" and "outcome_names" in given:
            _rename_outcomes(db, question.id, [o.name for o in draft.outcomes()])
        record_question_history(db, question.id, "edited", now, by)
        model_changed(db, [question.id])
    return get_question(db, question.id)


def _rename_outcomes(db: Database, qid: int, names: list[str]) -> None:
    """Rename in two passes: names are unique per question, so a swap (A, B -> B, A) would
    collide midway."""
    db.execute("update outcomes set name = '~renaming~' || position where question_id = ?", [qid])
    db.conn.executemany(
        "update outcomes set name = ? where question_id = ? and position = ?",
        [(name, qid, i) for i, name in enumerate(names)],
    )


def _refuse_removed(db: Database, question: Question) -> None:
    row = db.execute(
        "select removed_at, removed_by from questions where id = ?", [question.id]
    ).fetchone()
    if row[0] is not None:
        raise Conflict(f"{question.short_id} was removed by {row[1]} at {row[0]}")


def duplicate_question(db: Database, ref: str | int, *, by: str) -> Question:
    """A new question with this one's words, outcomes, priors, tags and dates (not its evidence,
    forecasts or resolution); its history says which question it copies."""
    question = get_question(db, ref)
    draft = _draft(question, {"title": f"{question.title} (copy)"[:300]})
    with write_transaction(db):
        copy = add_question(db, draft, author=by)
        record_question_history(
            db, copy.id, "duplicated", clock.now_iso(), by, copied_from=question.short_id
        )
    return copy


def remove_question(
    db: Database, ref: str | int, *, by: str, expected_version: int | None = None
) -> Question:
    """Soft-remove a question: it leaves lists, the model board and scores; its rows stay and
    ``restore_question`` brings it back."""
    now = clock.now_iso()
    with write_transaction(db):
        question = get_question(db, ref)
        _refuse_removed(db, question)
        bump_version(db, "questions", question.id, expected_version, by, now)
        db.execute(
            "update questions set removed_at = ?, removed_by = ? where id = ?",
            [now, by, question.id],
        )
        record_question_history(db, question.id, "removed", now, by)
        model_changed(db, [question.id])
    return get_question(db, question.id)


def restore_question(db: Database, ref: str | int, *, by: str) -> Question:
    """Bring back a removed question."""
    now = clock.now_iso()
    with write_transaction(db):
        qid = question_id(db, ref)
        if db.execute("select removed_at from questions where id = ?", [qid]).fetchone()[0] is None:
            raise Conflict(f"Q{qid} is not removed")
        bump_version(db, "questions", qid, None, by, now)
        db.execute("update questions set removed_at = null, removed_by = null where id = ?", [qid])
        record_question_history(db, qid, "restored", now, by)
        model_changed(db, [qid])
    return get_question(db, qid)


def question_changes(db: Database, ref: str | int) -> list[dict[str, Any]]:
    """The question's edit history, oldest first (see ``question_history``)."""
    return question_history(db, question_id(db, ref))
