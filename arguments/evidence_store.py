"""Store functions for evidence: add, edit (keeping history), soft-remove, list.

Every change writes the item's full state to ``evidence_history`` in the same transaction.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from arguments.ach_ratings import ratings_to_likelihoods
from questions import clock
from questions.errors import Conflict, InvalidInput, NotFound
from questions.models import Question
from questions.row_ids import row_number
from questions.store import bump_version, get_question
from questions.workspace import model_changed, write_transaction

from .evidence import (
    DEFAULT_REDUNDANCY,
    Evidence,
    EvidenceInputs,
    check_unit,
    likelihood_vector,
    range_vectors,
)
from .evidence_records import (
    COLUMNS,
    FROM,
    EvidenceRecord,
    citation_keys,
    evidence_record,
    records_by_question,
)
from .source_match import link_typed_source
from .source_store import anchor_quote, attach_anchor


def evidence_id(db: Database, ref: str | int) -> int:
    """The row id of an item named ``E12``, ``e12`` or ``12``."""
    number = row_number(str(ref), "E")
    if (
        number is not None
        and db.execute("select 1 from evidence where id = ?", [number]).fetchone()
    ):
        return number
    raise NotFound(f"evidence {ref}: no such item (see `forecastle evidence list QUESTION`)")


def _row_to_evidence(row: Sequence[Any], citations: dict[int, tuple[str, ...]]) -> Evidence:
    return evidence_from_record(evidence_record(row, citations))


def evidence_from_record(record: EvidenceRecord) -> Evidence:
    return Evidence.model_construct(**vars(record))


def get_evidence(db: Database, ref: str | int) -> Evidence:
    eid = evidence_id(db, ref)
    row = db.execute(f"select {COLUMNS}{FROM} where e.id = ?", [eid]).fetchone()  # noqa: S608
    return _row_to_evidence(row, citation_keys(db, [eid]))


def list_evidence(
    db: Database, question: str | int, *, include_removed: bool = False
) -> list[Evidence]:
    """A question's evidence in id order (removed items only when asked)."""
    qid = get_question(db, question).id
    return evidence_by_question(db, [qid], include_removed=include_removed)[qid]


def evidence_by_question(
    db: Database, question_ids: Sequence[int], *, include_removed: bool = False
) -> dict[int, list[Evidence]]:
    """The evidence of many questions at once (``evidence_records.records_by_question``)."""
    found = records_by_question(db, question_ids, include_removed=include_removed)
    return {qid: [evidence_from_record(r) for r in records] for qid, records in found.items()}


def _checked_fields(
    question: Question, inputs: EvidenceInputs, current: Evidence | None
) -> dict[str, Any]:
    """Merge inputs over the current item (if editing) and check every field."""

    def pick(name: str) -> Any:
        value = getattr(inputs, name)
        return value if value is not None else (getattr(current, name) if current else None)

    text = (inputs.text if inputs.text is not None else (current.text if current else "")).strip()
    if not text:
        raise InvalidInput("text: must not be empty (what was observed)")
    if inputs.lr is not None or inputs.likelihoods is not None:
        likelihoods = likelihood_vector(question, inputs.lr, inputs.likelihoods)
    elif current is not None:
        likelihoods = current.likelihoods
    else:
        likelihoods = likelihood_vector(question, None, None)
    credibility = check_unit(
        pick("credibility") if pick("credibility") is not None else 1.0, "credibility"
    )
    low, high = (None, None) if inputs.clear_range else (pick("range_low"), pick("range_high"))
    if (low is None) != (high is None):
        raise InvalidInput("range: give both ends, LO and HI")
    if low is not None and high is not None:
        single = question.kind in ("binary", "numeric", "date")
        if len(low) == 2 and single and low[1] == 1.0 and high[1] == 1.0:
            low, high = [low[0]], [high[0]]  # a stored binary range: back to LR ends
        try:
            low, high = range_vectors(question, likelihoods, low, high)
        except InvalidInput as exc:
            if inputs.range_low is None:  # the kept range no longer fits the new value
                raise InvalidInput(f"{exc}; give a new --range or --no-range") from None
            raise
    observed = pick("observed_at")
    if inputs.observed_at is not None:
        observed = (
            clock.parse_iso(inputs.observed_at, field="observed") if inputs.observed_at else None
        )
    depends_on = None if inputs.clear_depends_on else pick("depends_on")
    group = pick("group")
    if group is not None:
        group = group.strip() or None
    if inputs.redundancy is not None:
        check_unit(inputs.redundancy, "redundancy")
        if group is None:
            raise InvalidInput("redundancy: give --group NAME too (redundancy belongs to a group)")
    ratings = pick("ratings")
    return {
        "text": text,
        "quote": (pick("quote") or "").strip(),
        "source": (pick("source") or "").strip(),
        "observed_at": observed,
        "credibility": credibility,
        "likelihoods": json.dumps(list(likelihoods)),
        "range_low": None if low is None else json.dumps(list(low)),
        "range_high": None if high is None else json.dumps(list(high)),
        "depends_on": depends_on,
        "group_name": group,
        "ratings": None if ratings is None else json.dumps(list(ratings)),
    }


def check_evidence(
    db: Database, question: str | int, inputs: EvidenceInputs, *, evidence: str | int | None = None
) -> None:
    """Validate a would-be add (or edit of ``evidence``) without writing; raises ``InvalidInput``."""
    target = get_question(db, question)
    current = get_evidence(db, evidence) if evidence is not None else None
    fields = _checked_fields(target, inputs, current)
    _check_depends_on(db, target, current.id if current else None, fields["depends_on"])


def _check_depends_on(
    db: Database, question: Question, eid: int | None, depends_on: int | None
) -> None:
    if depends_on is None:
        return
    row = db.execute(
        "select question_id, removed_at from evidence where id = ?", [depends_on]
    ).fetchone()
    if row is None:
        raise InvalidInput(f"depends_on: E{depends_on} is not an evidence item")
    if row[0] != question.id:
        raise InvalidInput(
            f"depends_on: E{depends_on} bears on Q{row[0]}, not {question.short_id} (same question only)"
        )
    if row[1] is not None:
        raise InvalidInput(f"depends_on: E{depends_on} was removed")
    seen = {depends_on}
    cursor: int | None = depends_on
    while cursor is not None:
        if cursor == eid:
            raise InvalidInput(f"depends_on: E{depends_on} would make a cycle through E{eid}")
        cursor = db.execute("select depends_on from evidence where id = ?", [cursor]).fetchone()[0]
        if cursor in seen:
            break
        if cursor is not None:
            seen.add(cursor)


def _set_group(
    db: Database, question: Question, group: str | None, redundancy: float | None
) -> None:
    if group is None:
        return
    if redundancy is not None:
        db.execute(
            "insert into evidence_groups (question_id, name, rho) values (?, ?, ?)"
            " on conflict (question_id, name) do update set rho = excluded.rho",
            [question.id, group, redundancy],
        )
    else:
        db.execute(
            "insert or ignore into evidence_groups (question_id, name, rho) values (?, ?, ?)",
            [question.id, group, DEFAULT_REDUNDANCY],
        )


def record_history(db: Database, eid: int, action: str, at: str, by: str) -> Evidence:
    item = get_evidence(db, eid)
    state = item.model_dump(mode="json", exclude={"citations"})
    db.execute(
        "insert into evidence_history (evidence_id, question_id, version, action, at, by, state)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [eid, item.question_id, item.version, action, at, by, json.dumps(state, sort_keys=True)],
    )
    model_changed(db, [item.question_id])
    return item


def add_evidence(db: Database, question: str | int, inputs: EvidenceInputs, *, by: str) -> Evidence:
    """Add an item to a question; returns it as stored."""
    target = get_question(db, question)
    fields = _checked_fields(target, inputs, None)
    now = clock.now_iso()
    with write_transaction(db):
        _check_depends_on(db, target, None, fields["depends_on"])
        _set_group(db, target, fields["group_name"], inputs.redundancy)
        columns = [
            "uuid",
            "question_id",
            *fields,
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
        ]
        values = [str(uuidlib.uuid4()), target.id, *fields.values(), now, by, now, by]
        cursor = db.execute(
            f"insert into evidence ({', '.join(columns)}) values ({', '.join('?' * len(values))})",  # noqa: S608
            values,
        )
        eid = int(cursor.lastrowid or 0)
        link_typed_source(db, eid)
        return record_history(db, eid, "added", now, by)


def add_anchored_evidence(
    db: Database, question: str | int, inputs: EvidenceInputs, *, passage: str | None, by: str
) -> Evidence:
    """Add an item anchored to a passage of an imported source (``S1:4``; ``None``: no anchor).

    The item's quote, if given, must occur in the passage (whitespace-insensitive); the item
    rests on the citations whose markers fall in the quoted sentence, or in the whole passage
    without a quote, and their text becomes its source unless one is given. The item and its
    anchor are written in one transaction. Returns the item as stored.
    """
    if not passage:
        return add_evidence(db, question, inputs, by=by)
    anchor = anchor_quote(db, passage, inputs.quote)
    update: dict[str, Any] = {"quote": anchor.quote or inputs.quote}
    if not inputs.source and anchor.citations:
        update["source"] = anchor.citation_text
    with write_transaction(db):
        item = add_evidence(db, question, inputs.model_copy(update=update), by=by)
        attach_anchor(db, item.id, anchor)
    return get_evidence(db, item.id)


def apply_ratings(
    db: Database, question: str | int, inputs: EvidenceInputs, ratings: Sequence[str]
) -> EvidenceInputs:
    """The inputs with the likelihoods that ACH ratings (CC, C, N, I, II, NA; one per outcome)
    map to through the workspace's ``ach_ratings`` table; the ratings are kept with the item."""
    if inputs.lr is not None or inputs.likelihoods is not None:
        raise InvalidInput("ratings: give ratings or likelihoods, not both")
    labels = [r.strip().upper() for r in ratings]
    outcomes = len(get_question(db, question).outcomes)
    likelihoods = ratings_to_likelihoods(db, labels, outcomes)
    return inputs.model_copy(update={"likelihoods": likelihoods, "ratings": labels})


def edit_evidence(
    db: Database,
    ref: str | int,
    inputs: EvidenceInputs,
    *,
    by: str,
    expected_version: int | None = None,
) -> Evidence:
    """Change an item; the previous state stays in its history. A stale ``expected_version`` is
    refused as a conflict. Fields not given keep their value as it is when the write happens
    (read inside the write transaction), so another writer's change to them is never undone."""
    with write_transaction(db):
        current = get_evidence(db, ref)
        if current.removed_at is not None:
            raise Conflict(
                f"{current.short_id} was removed by {current.removed_by} at {current.removed_at}"
            )
        target = get_question(db, current.question_id)
        fields = _checked_fields(target, inputs, current)
        now = clock.now_iso()
        _check_depends_on(db, target, current.id, fields["depends_on"])
        _set_group(db, target, fields["group_name"], inputs.redundancy)
        try:
            bump_version(db, "evidence", current.id, expected_version, by, now)
        except Conflict as exc:
            raise Conflict(f"{current.short_id}: {exc}") from None
        assignments = ", ".join(f"{name} = ?" for name in fields)
        db.execute(
            f"update evidence set {assignments} where id = ?",  # noqa: S608
            [*fields.values(), current.id],
        )
        link_typed_source(db, current.id)
        return record_history(db, current.id, "edited", now, by)


def remove_evidence(
    db: Database, ref: str | int, *, by: str, expected_version: int | None = None
) -> Evidence:
    """Soft-remove an item: it leaves the model, and the timeline still explains it.

    The checks (not removed yet, nothing depends on it) run inside the write transaction."""
    now = clock.now_iso()
    with write_transaction(db):
        current = get_evidence(db, ref)
        if current.removed_at is not None:
            raise Conflict(f"{current.short_id} was already removed by {current.removed_by}")
        dependents = [
            f"E{r[0]}"
            for r in db.execute(
                "select id from evidence where depends_on = ? and removed_at is null",
                [current.id],
            )
        ]
        if dependents:
            raise Conflict(
                f"{current.short_id}: {', '.join(dependents)} depend on it; edit or remove them first"
            )
        bump_version(db, "evidence", current.id, expected_version, by, now)
        removed = db.execute(
            "update evidence set removed_at = ?, removed_by = ? where id = ? and removed_at is null",
            [now, by, current.id],
        )
        if removed.rowcount != 1:
            raise Conflict(f"{current.short_id} was removed by someone else just now")
        return record_history(db, current.id, "removed", now, by)


def evidence_history(db: Database, question: str | int) -> list[dict[str, Any]]:
    """Every add/edit/remove on a question's evidence, oldest first, with the state after it."""
    qid = get_question(db, question).id
    return [
        {
            "evidence_id": eid,
            "version": version,
            "action": action,
            "at": at,
            "by": who,
            "state": json.loads(state),
        }
        for eid, version, action, at, who, state in db.execute(
            "select evidence_id, version, action, at, by, state from evidence_history"
            " where question_id = ? order by id",
            [qid],
        )
    ]


def group_rhos(db: Database, question_id: int) -> dict[str, float]:
    return dict(
        db.execute(
            "select name, rho from evidence_groups where question_id = ?", [question_id]
        ).fetchall()
    )
