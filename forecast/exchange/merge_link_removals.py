"""Removed links in a bundle merge: the later action wins.

- A condition's tombstone (``removed_conditions``) removes the live condition here on the same
  pair if that was declared no later than the removal; one declared here after the removal stays.
  A condition that has conditional forecasts here is never removed by an import (they would be
  lost): a named conflict, and the condition stays.
- A live condition in the bundle is not added back when this workspace removed the pair's
  condition at or after the bundle's declaration (reported as kept), unless the bundle brings
  conditional forecasts given it: then it is re-added (forecasts are never dropped), and the
  conflict is named.
- An indicator travels with its ``removed_at``/``removed_by``: removed in the bundle and live
  here (the same UUID), it is removed here as ``indicator remove`` does; removed here and live in
  the bundle, it stays removed. A live indicator for a pair whose indicator this workspace removed
  at or after the bundle's one was made is not added.

Every removal an import makes is written to both questions' ``link_events`` (``link_history`` in
``question show``), at the removal's own time and by its own author.
"""

from __future__ import annotations

from sqlite_utils import Database

from arguments.evidence_store import remove_evidence
from forecast.exchange.bundle_models import BundleCondition, BundleIndicator, BundleQuestion
from forecast.exchange.merge_base import MergeReport
from questions.errors import Conflict


def _event(db: Database, qids: tuple[int, ...], at: str, by: str, text: str) -> None:
    db.conn.executemany(
        "insert into link_events (question_id, at, by, text) values (?, ?, ?, ?)",
        [(qid, at, by, text) for qid in qids],
    )


def _held(db: Database, child: int, parent: int) -> int:
    return int(
        db.execute(
            "select count(*) from conditional_forecasts where question_id = ? and parent_id = ?",
            [child, parent],
        ).fetchone()[0]
    )


def apply_condition_removals(
    db: Database, child: int, question: BundleQuestion, parents: dict[str, int], report: MergeReport
) -> None:
    """The bundle's tombstones for CHILD's conditions (``parents``: parent UUID -> id here; a
    tombstone whose parent is not here has nothing to remove and is left out)."""
    for removal in question.removed_conditions:
        parent = parents.get(removal.parent)
        if (
            parent is None
            or db.execute(
                "select 1 from condition_removals where uuid = ?", [removal.uuid]
            ).fetchone()
        ):
            report.skipped["condition_removals"] += 1
            continue
        live = db.execute(
            "select created_at from question_conditions where child_id = ? and parent_id = ?",
            [child, parent],
        ).fetchone()
        label = f"Q{child}: condition on Q{parent}"
        if live is not None and live[0] <= removal.removed_at:
            held = _held(db, child, parent)
            if held:
                report.conflicts.append(
                    f"{label}: removed in the bundle (by {removal.removed_by} at {removal.removed_at})"
                    f" but it has {held} conditional forecast(s) here; kept the condition"
                )
                continue
            db.execute(
                "delete from question_conditions where child_id = ? and parent_id = ?",
                [child, parent],
            )
            declared = f"declared by {removal.created_by} at {removal.created_at}; from a bundle"
            _event(
                db,
                (child,),
                removal.removed_at,
                removal.removed_by,
                f"condition on Q{parent} removed ({declared})",
            )
            _event(
                db,
                (parent,),
                removal.removed_at,
                removal.removed_by,
                f"condition of Q{child} on this question removed ({declared})",
            )
            report.updated.append(
                f"{label} removed (by {removal.removed_by} at {removal.removed_at})"
            )
        elif live is not None:
            report.kept_local.append(
                f"{label}: declared here at {live[0]}, after the bundle's removal at"
                f" {removal.removed_at}; kept"
            )
        db.execute(
            "insert into condition_removals (uuid, child_id, parent_id, created_at, created_by,"
            " removed_at, removed_by) values (?, ?, ?, ?, ?, ?, ?)",
            [
                removal.uuid,
                child,
                parent,
                removal.created_at,
                removal.created_by,
                removal.removed_at,
                removal.removed_by,
            ],
        )
        report.added["condition_removals"] += 1


def condition_removed_here(
    db: Database,
    child: int,
    parent: int,
    cond: BundleCondition,
    question: BundleQuestion,
    report: MergeReport,
) -> bool:
    """Whether this workspace removed CHILD's condition on PARENT at or after the bundle's
    declaration (so it is not added back). With conditional forecasts given it in the bundle it
    is added back, its tombstones here dropped (the removal stays in ``link_events``)."""
    removed = db.execute(
        "select removed_at, removed_by from condition_removals where child_id = ? and parent_id = ?"
        " and removed_at >= ? order by removed_at desc",
        [child, parent, cond.created_at],
    ).fetchone()
    if removed is None:
        return False
    label = f"Q{child}: condition on Q{parent}"
    if any(cf.parent == cond.parent for cf in question.conditional_forecasts):
        report.conflicts.append(
            f"{label}: removed here (by {removed[1]} at {removed[0]}) but the bundle has"
            " conditional forecasts given it; added it back (forecasts are never dropped)"
        )
        db.execute(
            "delete from condition_removals where child_id = ? and parent_id = ? and removed_at >= ?",
            [child, parent, cond.created_at],
        )
        _event(
            db,
            (child, parent),
            removed[0],
            "bundle",
            f"condition of Q{child} on Q{parent} added back: a bundle has conditional"
            " forecasts given it",
        )
        return False
    report.kept_local.append(
        f"{label}: removed here (by {removed[1]} at {removed[0]}); the bundle's declaration"
        f" ({cond.created_at}) is older, not added back"
    )
    return True


def known_indicator(
    db: Database, child: int, parent: int, ind: BundleIndicator, report: MergeReport
) -> bool:
    """An indicator this workspace already has (by UUID): its removal applied here if the
    bundle removed it; True when handled."""
    row = db.execute(
        "select id, removed_at, removed_by from indicators where uuid = ?", [ind.uuid]
    ).fetchone()
    if row is None:
        return False
    iid, removed_at, removed_by = row
    label = f"Q{child}: indicator for Q{parent}"
    if removed_at is not None and ind.removed_at is None:
        report.kept_local.append(f"{label}: removed here (by {removed_by} at {removed_at}); kept")
    elif removed_at is None and ind.removed_at is not None and ind.removed_by is not None:
        items = []
        for (eid,) in db.execute(
            "select id from evidence where indicator_id = ? and removed_at is null", [iid]
        ).fetchall():
            try:
                items.append(remove_evidence(db, eid, by=ind.removed_by).short_id)
            except Conflict as exc:
                report.conflicts.append(f"{label}: its evidence E{eid} stays ({exc})")
        db.execute(
            "update indicators set removed_at = ?, removed_by = ? where id = ?",
            [ind.removed_at, ind.removed_by, iid],
        )
        made = f"; its evidence {', '.join(items)} removed (history kept)" if items else ""
        _event(
            db,
            (parent, child),
            ind.removed_at,
            ind.removed_by,
            f"indicator Q{child} for Q{parent} removed (from a bundle){made}",
        )
        report.updated.append(f"{label} removed (by {ind.removed_by} at {ind.removed_at})")
    else:
        report.skipped["indicators"] += 1
    return True


def indicator_held_here(
    db: Database, child: int, parent: int, ind: BundleIndicator, report: MergeReport
) -> bool:
    """Whether a new live indicator from the bundle must stay out: this workspace has its own
    live one for the pair (a conflict, kept), or removed the pair's at or after it was made."""
    label = f"Q{child}: indicator for Q{parent}"
    if db.execute(
        "select 1 from indicators where parent_id = ? and child_id = ? and removed_at is null",
        [parent, child],
    ).fetchone():
        report.conflicts.append(
            f"{label}: declared here and in the bundle separately; kept this workspace's"
        )
        return True
    removed = db.execute(
        "select removed_at, removed_by from indicators where parent_id = ? and child_id = ?"
        " and removed_at >= ? order by removed_at desc",
        [parent, child, ind.created_at],
    ).fetchone()
    if removed is not None:
        report.kept_local.append(
            f"{label}: removed here (by {removed[1]} at {removed[0]}); the bundle's"
            f" ({ind.created_at}) is older, not added back"
        )
        return True
    return False
