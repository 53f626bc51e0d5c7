"""Indicators (Heuer's step 9, made live): binary question CHILD indicates PARENT's outcomes.

An indicator carries a_j = P(CHILD resolves Yes | PARENT's outcome j), each in (0, 1), with an
optional credibility and redundancy group as for evidence. When CHILD resolves, PARENT gets an
evidence item with likelihoods (a_j) on Yes or (1 - a_j) on No, observed at the resolution date;
an unresolve or annulment of CHILD removes it again (soft removal: its history stays).
``sync_indicators`` is registered as the workspace's resolution hook by
``forecast.workspace.open_workspace``.
"""

from __future__ import annotations

import json
import math
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from questions import clock
from questions.conditions import check_new_edge, check_open_parent
from questions.errors import InvalidInput
from questions.store import get_question
from questions.workspace import write_transaction

from .evidence import EvidenceInputs, check_unit
from .evidence_store import add_evidence, remove_evidence


@dataclass(frozen=True)
class Indicator:
    id: int
    parent_id: int
    child_id: int
    likelihoods: tuple[float, ...]
    credibility: float
    group: str | None
    created_at: str
    created_by: str

    def likelihoods_given(self, outcome_yes: bool) -> tuple[float, ...]:
        """The evidence a resolution of CHILD gives PARENT: (a_j) on Yes, (1 - a_j) on No."""
        return self.likelihoods if outcome_yes else tuple(1.0 - a for a in self.likelihoods)


def check_indicator_likelihoods(
    values: Sequence[float], outcomes: Sequence[str], parent: str
) -> None:
    """Each a_j strictly between 0 and 1, one per outcome of PARENT."""
    if len(values) != len(outcomes):
        raise InvalidInput(
            f"likelihoods: {len(values)} values for {len(outcomes)} outcomes of {parent} "
            f"({', '.join(outcomes)})"
        )
    for name, value in zip(outcomes, values, strict=True):
        if not math.isfinite(value) or not 0.0 < value < 1.0:
            raise InvalidInput(
                f"likelihoods: {name}: {value!r} is not allowed (P(CHILD = Yes | {name}), "
                "strictly between 0 and 1)"
            )


def add_indicator(
    db: Database,
    parent_ref: str | int,
    child_ref: str | int,
    likelihoods: Sequence[float],
    *,
    by: str,
    credibility: float = 1.0,
    group: str | None = None,
) -> Indicator:
    """Make binary CHILD an indicator for PARENT. If CHILD is already resolved, PARENT gets its
    evidence item at once."""
    parent, child = get_question(db, parent_ref), get_question(db, child_ref)
    if child.kind != "binary":
        raise InvalidInput(f"indicator: {child.short_id} is not a binary question (Yes/No)")
    check_indicator_likelihoods(likelihoods, parent.outcome_names, parent.short_id)
    check_unit(credibility, "credibility")
    group = (group or "").strip() or None
    with write_transaction(db):
        if db.execute(
            "select 1 from indicators where parent_id = ? and child_id = ? and removed_at is null",
            [parent.id, child.id],
        ).fetchone():
            raise InvalidInput(
                f"indicator: {child.short_id} is already an indicator for {parent.short_id}"
            )
        check_new_edge(db, child.id, parent.id, field="indicator")
        check_open_parent(db, parent.id, field="indicator")
        cursor = db.execute(
            "insert into indicators (uuid, parent_id, child_id, likelihoods, credibility,"
            " group_name, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                str(uuidlib.uuid4()),
                parent.id,
                child.id,
                json.dumps([float(a) for a in likelihoods]),
                credibility,
                group,
                clock.now_iso(),
                by,
            ],
        )
        sync_indicators(db, child.id, by)
    return indicators_for(db, ids=[int(cursor.lastrowid or 0)])[0]


def remove_indicator(
    db: Database, parent_ref: str | int, child_ref: str | int, *, by: str
) -> tuple[Indicator, list[str]]:
    """Soft-remove the live indicator CHILD -> PARENT (``removed_at``/``removed_by``; the row
    stays). If CHILD has resolved, PARENT's evidence item from it is removed as an unresolve
    removes it (soft, its history kept). Returns the indicator and the removed items' ids; the
    removal is written to both questions' ``link_events``."""
    parent, child = get_question(db, parent_ref), get_question(db, child_ref)
    with write_transaction(db):
        found = [i for i in indicators_for(db, parent=parent.id) if i.child_id == child.id]
        if not found:
            raise InvalidInput(
                f"indicator: {child.short_id} is not an indicator for {parent.short_id} "
                "(nothing to remove)"
            )
        indicator = found[0]
        removed = []
        for (eid,) in db.execute(
            "select id from evidence where indicator_id = ? and removed_at is null", [indicator.id]
        ).fetchall():
            removed.append(remove_evidence(db, eid, by=by).short_id)
        now = clock.now_iso()
        db.execute(
            "update indicators set removed_at = ?, removed_by = ? where id = ?",
            [now, by, indicator.id],
        )
        items = f"; its evidence {', '.join(removed)} removed (history kept)" if removed else ""
        text = f"indicator {child.short_id} for {parent.short_id} removed{items}"
        for qid in (parent.id, child.id):
            db.execute(
                "insert into link_events (question_id, at, by, text) values (?, ?, ?, ?)",
                [qid, now, by, text],
            )
    return indicator, removed


def indicators_for(
    db: Database,
    *,
    parent: int | None = None,
    child: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[Indicator]:
    """Live indicators (for one parent, one child, or these ids) in id order."""
    if "indicators" not in db.table_names():
        return []
    clauses, params = ["removed_at is null"], []
    for column, value in (("parent_id", parent), ("child_id", child)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if ids is not None:
        clauses.append(f"id in ({','.join('?' * len(ids))})")
        params.extend(ids)
    return [
        Indicator(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6], r[7])
        for r in db.execute(
            "select id, parent_id, child_id, likelihoods, credibility, group_name, created_at,"  # noqa: S608
            f" created_by from indicators where {' and '.join(clauses)} order by id",
            params,
        )
    ]


def sync_indicators(db: Database, child: int, by: str) -> None:
    """Make the evidence CHILD's indicators gave their parents agree with CHILD's resolution
    (call inside the write that changed it): add an item for a resolution, remove it (softly) on
    an unresolve or annulment, or replace it if the resolution was corrected."""
    found = indicators_for(db, child=child)
    if not found:
        return
    status, outcome, resolved_at, title = db.execute(
        "select q.status, o.name, q.resolved_at, q.title from questions q"
        " left join outcomes o on o.id = q.resolved_outcome_id where q.id = ?",
        [child],
    ).fetchone()
    wanted = outcome if status == "resolved" else None
    for indicator in found:
        live = db.execute(
            "select id, indicator_outcome from evidence where indicator_id = ? and removed_at is null",
            [indicator.id],
        ).fetchall()
        for eid, was in live:
            if was != wanted:
                remove_evidence(db, eid, by=by)
        if wanted is not None and not any(was == wanted for _, was in live):
            yes = wanted.lower() == "yes"
            inputs = EvidenceInputs(
                text=f"indicator Q{child} resolved {wanted}: {title}",
                likelihoods=list(indicator.likelihoods_given(yes)),
                credibility=indicator.credibility,
                observed_at=resolved_at,
                source=f"resolution of Q{child} ({wanted}, {resolved_at[:10]})",
                group=indicator.group,
            )
            item = add_evidence(db, indicator.parent_id, inputs, by=by)
            db.execute(
                "update evidence set indicator_id = ?, indicator_outcome = ? where id = ?",
                [indicator.id, wanted, item.id],
            )


def indicator_of_evidence(db: Database, evidence_ids: Sequence[int]) -> dict[int, str]:
    """Evidence id -> ``Q9`` for the items an indicator's resolution made."""
    if not evidence_ids or "indicators" not in db.table_names():
        return {}
    marks = ",".join("?" * len(evidence_ids))
    return {
        eid: f"Q{child}"
        for eid, child in db.execute(
            "select e.id, i.child_id from evidence e join indicators i on i.id = e.indicator_id"  # noqa: S608
            f" where e.id in ({marks})",
            list(evidence_ids),
        )
    }
