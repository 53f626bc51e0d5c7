"""How each evidence item's review state reads in the question screen's ``review`` column."""

from __future__ import annotations

from sqlite_utils import Database

REVIEW_MARKS = {"draft": "draft", "in review": "in review", "approved": "✓ approved"}
"""How an item's review status reads in its row (``challenged`` reads ``⚠ N open``)."""


def review_states(db: Database, question_id: int) -> dict[int, tuple[str, int]]:
    """Each item's review status and its number of open challenges."""
    return {
        eid: (status, int(challenges))
        for eid, status, challenges in db.execute(
            "select e.id, e.review_status, (select count(*) from challenges c"
            " where c.evidence_id = e.id and c.status = 'open')"
            " from evidence e where e.question_id = ?",
            [question_id],
        )
    }


def review_mark(states: dict[int, tuple[str, int]], eid: int) -> str:
    status, open_challenges = states.get(eid, ("draft", 0))
    if status == "challenged" or open_challenges:
        return f"⚠ {open_challenges} open" if open_challenges else "⚠ challenged"
    return REVIEW_MARKS.get(status, status)
