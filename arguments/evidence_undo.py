"""Undo an item's last change through its history: a removal is taken back, an edit (a nudge
is an edit) is replaced by the state before it. The undo is itself a change, kept in the
history, so it can be undone in turn."""

from __future__ import annotations

import json

from sqlite_utils import Database

from questions import clock
from questions.errors import Conflict
from questions.store import bump_version
from questions.workspace import write_transaction

from .evidence import Evidence, EvidenceInputs
from .evidence_store import edit_evidence, evidence_id, record_history


def undo_last_change(
    db: Database, ref: str | int, *, by: str, expected_version: int | None = None
) -> tuple[Evidence, str]:
    """Take back the item's last change; returns the item and what was undone (``removed``
    or ``edited``). Refused when its last change was adding it (remove it instead), or when it
    changed since ``expected_version``."""
    eid = evidence_id(db, ref)
    with write_transaction(db):
        history = db.execute(
            "select action, state from evidence_history where evidence_id = ?"
            " order by id desc limit 2",
            [eid],
        ).fetchall()
        if not history or history[0][0] == "added" or len(history) < 2:
            raise Conflict(f"E{eid}: nothing to undo (its last change added it; d removes it)")
        action = history[0][0]
        if action == "removed":
            now = clock.now_iso()
            bump_version(db, "evidence", eid, expected_version, by, now)
            db.execute(
                "update evidence set removed_at = null, removed_by = null where id = ?", [eid]
            )
            return record_history(db, eid, "edited", now, by), "removed"
        before = json.loads(history[1][1])
        low, high = before.get("range_low"), before.get("range_high")
        inputs = EvidenceInputs(
            text=before["text"],
            quote=before.get("quote") or "",
            source=before.get("source") or "",
            observed_at=before.get("observed_at") or "",
            credibility=before["credibility"],
            likelihoods=list(before["likelihoods"]),
            range_low=None if low is None else list(low),
            range_high=None if high is None else list(high),
            clear_range=low is None,
            depends_on=before.get("depends_on"),
            clear_depends_on=before.get("depends_on") is None,
            group=before.get("group") or "",
        )
        return edit_evidence(db, eid, inputs, by=by, expected_version=expected_version), action
