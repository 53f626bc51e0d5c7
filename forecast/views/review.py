"""What waits for review across the workspace: open likelihood challenges, with the posterior each
side's numbers give, and open comment threads."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from arguments.review_store import comments_for
from forecast.views.disputes import disputes


def open_challenges(db: Database) -> list[dict[str, Any]]:
    """Every open challenge, oldest question first: the item, both sides' likelihoods, and the
    leading outcome's posterior under the item as it stands, under the challenge and under the
    consensus (geometric mean of everyone's numbers)."""
    rows = []
    questions = db.execute(
        "select distinct q.id, q.title from challenges c join questions q on q.id = c.question_id"
        " where c.status = 'open' order by q.id"
    ).fetchall()
    for qid, title in questions:
        outcomes = [
            r[0]
            for r in db.execute(
                "select name from outcomes where question_id = ? order by position", [qid]
            )
        ]
        for dispute in disputes(db, qid):
            current = dispute["analysts"][0]
            lead = max(range(len(outcomes)), key=lambda j: current["posterior"][j])
            for analyst in dispute["analysts"][1:]:
                rows.append(
                    {
                        "challenge": analyst["challenge"],
                        "question": f"Q{qid}",
                        "title": title,
                        "evidence": dispute["evidence_id"],
                        "text": dispute["text"],
                        "proposer": analyst["name"],
                        "reason": analyst["reason"],
                        "proposed": analyst["likelihoods"],
                        "current": current["likelihoods"],
                        "current_by": current["name"],
                        "outcome": outcomes[lead],
                        "posterior_current": current["posterior"][lead],
                        "posterior_proposed": analyst["posterior"][lead],
                        "posterior_consensus": dispute["posterior_consensus"][lead],
                        "dispute_db": dispute["dispute_db"],
                    }
                )
    return rows


def _root(parent: dict[int, int | None], cid: int) -> int:
    step = parent.get(cid)
    while step is not None:
        cid, step = step, parent.get(step)
    return cid


def open_threads(db: Database) -> list[dict[str, Any]]:
    """Unresolved comment threads, newest activity first, each with its replies in order."""
    qids = [
        r[0]
        for r in db.execute(
            "select distinct question_id from comments where resolved = 0 and parent_id is null"
        )
    ]
    threads = []
    for qid in qids:
        comments = comments_for(db, qid)
        resolved = {
            r[0]
            for r in db.execute(
                "select id from comments where question_id = ? and resolved = 1", [qid]
            )
        }
        parent = {c.id: c.parent_id for c in comments}
        for comment in comments:
            if comment.parent_id is None and comment.id not in resolved:
                replies = [
                    c for c in comments if c.id != comment.id and _root(parent, c.id) == comment.id
                ]
                threads.append(
                    {
                        "id": comment.id,
                        "question": f"Q{qid}",
                        "target": comment.target,
                        "author": comment.author,
                        "created_at": comment.created_at,
                        "body": comment.body,
                        "last_at": max([comment.created_at, *(r.created_at for r in replies)]),
                        "replies": [
                            {
                                "id": r.id,
                                "author": r.author,
                                "created_at": r.created_at,
                                "body": r.body,
                            }
                            for r in replies
                        ],
                    }
                )
    threads.sort(key=lambda t: (t["last_at"], t["id"]), reverse=True)
    return threads
