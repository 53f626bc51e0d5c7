"""A question's history: every state it has had (added, edited, removed, restored,
duplicated), written in the same transaction as the change."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database


def question_state(db: Database, qid: int) -> dict[str, Any]:
    """What a user can change on a question, as stored now."""
    row = db.execute(
        "select title, description, criteria, opens_at, closes_at, version, removed_at"
        " from questions where id = ?",
        [qid],
    ).fetchone()
    title, description, criteria, opens_at, closes_at, version, removed_at = row
    return {
        "title": title,
        "description": description,
        "criteria": criteria,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "version": version,
        "removed_at": removed_at,
        "tags": [
            t
            for (t,) in db.execute(
                "select tag from question_tags where question_id = ? order by tag", [qid]
            )
        ],
        "outcomes": [
            n
            for (n,) in db.execute(
                "select name from outcomes where question_id = ? order by position", [qid]
            )
        ],
    }


def record_question_history(
    db: Database, qid: int, action: str, at: str, by: str, **extra: str
) -> None:
    """Append the question's state after ``action`` (call inside the change's transaction);
    ``extra`` facts (``copied_from``) are kept with it."""
    state = {**question_state(db, qid), **extra}
    db.execute(
        "insert into question_history (question_id, version, action, at, by, state)"
        " values (?, ?, ?, ?, ?, ?)",
        [qid, state["version"], action, at, by, json.dumps(state, sort_keys=True)],
    )


def question_history(db: Database, qid: int) -> list[dict[str, Any]]:
    """Every recorded change of a question, oldest first, with the state after it and the
    fields it changed (``changed``: names, against the state before)."""
    entries: list[dict[str, Any]] = []
    before: dict[str, Any] | None = None
    for version, action, at, by, state in db.execute(
        "select version, action, at, by, state from question_history where question_id = ?"
        " order by id",
        [qid],
    ):
        after = json.loads(state)
        changed = (
            []
            if before is None
            else [k for k in after if k not in ("version",) and after[k] != before.get(k)]
        )
        entries.append(
            {
                "version": version,
                "action": action,
                "at": at,
                "by": by,
                "changed": changed,
                "state": after,
            }
        )
        before = after
    return entries
