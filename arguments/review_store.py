"""Team review: comment threads, review status with who set it, and likelihood challenges.

A challenge proposes other likelihoods for an evidence item, with a reason. Accepting one makes it
the item's value through ``edit_evidence`` (so the item's history keeps the change); the challenge
records who decided and when.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from questions import clock
from questions.errors import Conflict, InvalidInput, NotFound
from questions.row_ids import row_number
from questions.store import bump_version, get_question
from questions.workspace import write_transaction

from .evidence import EvidenceInputs, likelihood_vector
from .evidence_store import edit_evidence, get_evidence
from .tree_store import REVIEW_STATUSES, get_node, set_status

TARGET_KINDS = ("question", "outcome", "evidence", "node")


@dataclass(frozen=True)
class Comment:
    id: int
    target: str
    question_id: int
    parent_id: int | None
    body: str
    author: str
    created_at: str


@dataclass(frozen=True)
class Challenge:
    id: int
    evidence_id: int
    question_id: int
    proposer: str
    likelihoods: tuple[float, ...]
    reason: str
    status: str
    created_at: str
    decided_by: str | None
    decided_at: str | None
    decision_reason: str = ""

    @property
    def short_id(self) -> str:
        return f"C{self.id}"


def parse_target(db: Database, ref: str) -> tuple[str, int, int, str]:
    """``Q3``, ``Q3/Yes`` (an outcome), ``E4`` or ``N2`` -> (kind, id, question id, label)."""
    text = ref.strip()
    head = text[:1].upper()
    if "/" in text and head == "Q":
        from questions.store import outcome_index

        qref, _, name = text.partition("/")
        question = get_question(db, qref)
        position = outcome_index(question, name)
        return (
            "outcome",
            position,
            question.id,
            f"{question.short_id}/{question.outcomes[position].name}",
        )
    if head == "Q":
        question = get_question(db, text)
        return "question", question.id, question.id, question.short_id
    if head == "E":
        item = get_evidence(db, text)
        return "evidence", item.id, item.question_id, item.short_id
    if head == "N":
        node = get_node(db, text)
        return "node", node.id, node.question_id, node.short_id
    raise InvalidInput(f"target: {ref!r} is not allowed (Q3, Q3/OUTCOME, E4 or N2)")


def add_comment(
    db: Database, target: str, body: str, *, by: str, reply_to: int | None = None
) -> Comment:
    kind, target_id, question_id, label = parse_target(db, target)
    if not body.strip():
        raise InvalidInput("comment: must not be empty")
    now = clock.now_iso()
    with write_transaction(db):
        if reply_to is not None:
            row = db.execute("select question_id from comments where id = ?", [reply_to]).fetchone()
            if row is None:
                raise NotFound(f"comment {reply_to}: no such comment")
            if row[0] != question_id:
                raise InvalidInput(
                    f"reply_to: comment {reply_to} is on Q{row[0]}, not Q{question_id}"
                    " (reply within the same question)"
                )
        cursor = db.execute(
            "insert into comments (uuid, target_kind, target_id, question_id, parent_id, body, author, created_at)"
            " values (?,?,?,?,?,?,?,?)",
            [str(uuidlib.uuid4()), kind, target_id, question_id, reply_to, body.strip(), by, now],
        )
    return Comment(int(cursor.lastrowid or 0), label, question_id, reply_to, body.strip(), by, now)


def comments_for(db: Database, question: str | int) -> list[Comment]:
    """A question's comments (on it, its outcomes, evidence and nodes) in thread order."""
    q = get_question(db, question)
    rows = db.execute(
        "select id, target_kind, target_id, parent_id, body, author, created_at from comments"
        " where question_id = ? order by id",
        [q.id],
    ).fetchall()
    labels = {
        "question": lambda i: q.short_id,
        "outcome": lambda i: f"{q.short_id}/{q.outcomes[i].name}",
        "evidence": lambda i: f"E{i}",
        "node": lambda i: f"N{i}",
    }
    return [Comment(r[0], labels[r[1]](r[2]), q.id, r[3], r[4], r[5], r[6]) for r in rows]


def set_review_status(db: Database, target: str, status: str, *, by: str) -> str:
    """Set the review status of an evidence item or a tree node; returns a one-line summary."""
    if status not in REVIEW_STATUSES:
        raise InvalidInput(f"status: {status!r} is not allowed ({', '.join(REVIEW_STATUSES)})")
    kind, target_id, _, label = parse_target(db, target)
    if kind == "node":
        set_status(db, target_id, status, by=by)
    elif kind == "evidence":
        now = clock.now_iso()
        with write_transaction(db):
            bump_version(db, "evidence", target_id, None, by, now)
            db.execute(
                "update evidence set review_status = ?, review_by = ?, review_at = ? where id = ?",
                [status, by, now, target_id],
            )
    else:
        raise InvalidInput(
            f"target: {label} has no review status (evidence items and tree nodes do)"
        )
    return f"{label}: {status} ({by})"


def _challenge(row: tuple) -> Challenge:
    return Challenge(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), *row[5:])


_CHALLENGE_COLUMNS = "id, evidence_id, question_id, proposer, likelihoods, reason, status, created_at, decided_by, decided_at, decision_reason"


def challenge(
    db: Database,
    evidence: str | int,
    *,
    by: str,
    reason: str,
    lr: float | None = None,
    likelihoods: list[float] | None = None,
) -> Challenge:
    """Propose other likelihoods for an item, with a reason; the item turns 'challenged'."""
    if not reason.strip():
        raise InvalidInput("reason: say why (a challenge needs a reason)")
    now = clock.now_iso()
    with write_transaction(db):
        item = get_evidence(db, evidence)
        if item.removed_at:
            raise Conflict(f"{item.short_id} was removed")
        vector = likelihood_vector(get_question(db, item.question_id), lr, likelihoods)
        cursor = db.execute(
            "insert into challenges (uuid, evidence_id, question_id, proposer, likelihoods, reason, created_at)"
            " values (?,?,?,?,?,?,?)",
            [
                str(uuidlib.uuid4()),
                item.id,
                item.question_id,
                by,
                json.dumps(list(vector)),
                reason.strip(),
                now,
            ],
        )
        # The challenge changes the item's review state, so it is a new version of the item: a
        # bundle then carries it as newer, and the other side takes it instead of a conflict.
        bump_version(db, "evidence", item.id, None, by, now)
        db.execute(
            "update evidence set review_status = 'challenged', review_by = ?, review_at = ? where id = ?",
            [by, now, item.id],
        )
    return get_challenge(db, int(cursor.lastrowid or 0))


def get_challenge(db: Database, ref: str | int) -> Challenge:
    number = row_number(str(ref), "C")
    row = db.execute(
        f"select {_CHALLENGE_COLUMNS} from challenges where id = ?",  # noqa: S608
        [-1 if number is None else number],
    ).fetchone()
    if row is None:
        raise NotFound(f"challenge {ref}: no such challenge (see `forecastle question show`)")
    return _challenge(row)


def challenges_for(
    db: Database, question: str | int, *, status: str | None = "open"
) -> list[Challenge]:
    q = get_question(db, question)
    sql = f"select {_CHALLENGE_COLUMNS} from challenges where question_id = ?"  # noqa: S608
    params: list[object] = [q.id]
    if status:
        sql += " and status = ?"
        params.append(status)
    return [_challenge(r) for r in db.execute(sql + " order by id", params)]


def _open_challenge(db: Database, ref: str | int) -> Challenge:
    """The challenge, refused as a conflict unless it is still open (call inside the write)."""
    found = get_challenge(db, ref)
    if found.status != "open":
        raise Conflict(
            f"{found.short_id} is already {found.status} ({found.decided_by} at {found.decided_at})"
        )
    return found


def _decide(
    db: Database, found: Challenge, status: str, by: str, now: str, reason: str = ""
) -> None:
    """Record the decision, guarded: only an open challenge is decided, once."""
    decided = db.execute(
        "update challenges set status = ?, decided_by = ?, decided_at = ?, decision_reason = ?"
        " where id = ? and status = 'open'",
        [status, by, now, reason.strip(), found.id],
    )
    if decided.rowcount != 1:
        raise Conflict(f"{found.short_id} was decided by someone else just now")


def _still_open(db: Database, evidence_id: int) -> int:
    return int(
        db.execute(
            "select count(*) from challenges where evidence_id = ? and status = 'open'",
            [evidence_id],
        ).fetchone()[0]
    )


def kept_range(
    current: Sequence[float],
    low: Sequence[float] | None,
    high: Sequence[float] | None,
    proposed: Sequence[float],
) -> tuple[list[float] | None, list[float] | None]:
    """The item's 90% range after its value becomes ``proposed``: kept as it is when it still
    holds the new value, else moved with the value (each end times proposed / current, so its
    width in log terms, the item's uncertainty, is kept). A challenge proposes a value, not a
    range, so it never removes one."""
    if low is None or high is None:
        return None, None
    if all(lo <= v <= hi for lo, v, hi in zip(low, proposed, high, strict=False)):
        return list(low), list(high)
    ratios = [p / c if c > 0 else 1.0 for p, c in zip(proposed, current, strict=False)]
    return (
        [lo * r for lo, r in zip(low, ratios, strict=False)],
        [hi * r for hi, r in zip(high, ratios, strict=False)],
    )


def accept_challenge(db: Database, ref: str | int, *, by: str) -> Challenge:
    """Make a challenge's likelihoods the item's value (kept in the item's history).

    The status check, the edit and the decision are one write transaction, so of two people
    deciding the same challenge at once, the second is refused."""
    now = clock.now_iso()
    with write_transaction(db):
        found = _open_challenge(db, ref)
        item = get_evidence(db, found.evidence_id)
        low, high = kept_range(item.likelihoods, item.range_low, item.range_high, found.likelihoods)
        _decide(db, found, "accepted", by, now)
        edit_evidence(
            db,
            item.id,
            EvidenceInputs(
                likelihoods=list(found.likelihoods),
                range_low=low,
                range_high=high,
                clear_range=low is None,
            ),
            by=by,
        )
        db.execute(
            "update evidence set review_status = ?, review_by = ?, review_at = ? where id = ?",
            ["challenged" if _still_open(db, item.id) else "approved", by, now, item.id],
        )
    return get_challenge(db, found.id)


def reject_challenge(
    db: Database, ref: str | int, *, by: str, withdraw: bool = False, reason: str = ""
) -> Challenge:
    """Decline a challenge (or, for its proposer, withdraw it), with the decider's ``reason``;
    the item keeps its value."""
    now = clock.now_iso()
    with write_transaction(db):
        found = _open_challenge(db, ref)
        if withdraw and by != found.proposer:
            raise InvalidInput(
                f"{found.short_id}: only its proposer ({found.proposer}) can withdraw it"
            )
        _decide(db, found, "withdrawn" if withdraw else "rejected", by, now, reason)
        if not _still_open(db, found.evidence_id):
            bump_version(db, "evidence", found.evidence_id, None, by, now)
            db.execute(
                "update evidence set review_status = 'in review', review_by = ?, review_at = ?"
                " where id = ? and review_status = 'challenged'",
                [by, now, found.evidence_id],
            )
    return get_challenge(db, found.id)


def resolve_thread(db: Database, comment: int) -> int:
    """Mark a comment thread (its first comment and every reply) resolved; returns the thread's root."""
    row = db.execute("select id, parent_id from comments where id = ?", [comment]).fetchone()
    if row is None:
        raise NotFound(f"comment {comment}: no such comment")
    root = row[0]
    while row[1] is not None:
        row = db.execute("select id, parent_id from comments where id = ?", [row[1]]).fetchone()
        root = row[0]
    with write_transaction(db):
        db.execute(
            "with recursive thread(id) as (select ? union all select c.id from comments c join thread t"
            " on c.parent_id = t.id) update comments set resolved = 1 where id in (select id from thread)",
            [root],
        )
    return int(root)
