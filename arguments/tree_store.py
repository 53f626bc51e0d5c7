"""Argument trees: claim nodes that support or attack their parent (a question, one of its
outcomes, or another node), with evidence items as leaves and a review status."""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Literal

from sqlite_utils import Database

from questions import clock
from questions.errors import InvalidInput, NotFound
from questions.row_ids import row_number
from questions.store import bump_version, get_question, outcome_index
from questions.workspace import write_transaction

ReviewStatus = Literal["draft", "in review", "approved", "challenged"]
REVIEW_STATUSES: tuple[str, ...] = ("draft", "in review", "approved", "challenged")


@dataclass
class Node:
    id: int
    question_id: int
    parent_id: int | None
    outcome: int | None
    stance: str
    text: str
    status: str
    status_by: str
    status_at: str
    author: str
    version: int
    evidence: list[int] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)

    @property
    def short_id(self) -> str:
        return f"N{self.id}"


def node_id(db: Database, ref: str | int) -> int:
    number = row_number(str(ref), "N")
    if (
        number is not None
        and db.execute("select 1 from tree_nodes where id = ?", [number]).fetchone()
    ):
        return number
    raise NotFound(f"node {ref}: no such tree node (see `forecastle tree show QUESTION`)")


def add_node(
    db: Database,
    question: str | int,
    text: str,
    *,
    by: str,
    under: str | int | None = None,
    stance: str = "supports",
    outcome: str | None = None,
) -> Node:
    """Add a claim under a question (or one of its outcomes) or under another node."""
    target = get_question(db, question)
    if not text.strip():
        raise InvalidInput("text: must not be empty (the claim)")
    if stance not in ("supports", "attacks"):
        raise InvalidInput(f"stance: {stance!r} is not allowed (supports or attacks)")
    parent: int | None = None
    position: int | None = None
    if under is not None:
        parent = node_id(db, under)
        parent_question, position = db.execute(
            "select question_id, outcome from tree_nodes where id = ?", [parent]
        ).fetchone()
        if parent_question != target.id:
            raise InvalidInput(
                f"under: N{parent} belongs to Q{parent_question}, not {target.short_id}"
            )
        if outcome is not None and outcome_index(target, outcome) != position:
            raise InvalidInput(
                f"outcome: N{parent} is under another outcome; a child shares its parent's"
            )
    elif outcome is not None:
        position = outcome_index(target, outcome)
    now = clock.now_iso()
    with write_transaction(db):
        cursor = db.execute(
            "insert into tree_nodes (uuid, question_id, parent_id, outcome, stance, text, status_by,"
            " status_at, created_at, created_by, updated_at, updated_by) values (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                str(uuidlib.uuid4()),
                target.id,
                parent,
                position,
                stance,
                text.strip(),
                by,
                now,
                now,
                by,
                now,
                by,
            ],
        )
    return get_node(db, int(cursor.lastrowid or 0))


def get_node(db: Database, ref: str | int) -> Node:
    nid = node_id(db, ref)
    row = db.execute(
        "select id, question_id, parent_id, outcome, stance, text, status, status_by, status_at, created_by,"
        " version from tree_nodes where id = ?",
        [nid],
    ).fetchone()
    node = Node(*row)
    node.evidence = [
        e
        for (e,) in db.execute(
            "select l.evidence_id from tree_links l join evidence e on e.id = l.evidence_id"
            " where l.node_id = ? and e.removed_at is null order by l.evidence_id",
            [nid],
        )
    ]
    return node


def move_node(db: Database, ref: str | int, under: str | int | None, *, by: str) -> Node:
    """Put a node under another (refusing cycles)."""
    node = get_node(db, ref)
    parent = node_id(db, under) if under is not None else None
    cursor = parent
    while cursor is not None:
        if cursor == node.id:
            raise InvalidInput(f"under: N{parent} is inside N{node.id}; that would make a cycle")
        cursor = db.execute("select parent_id from tree_nodes where id = ?", [cursor]).fetchone()[0]
    if parent is not None:
        parent_question = db.execute(
            "select question_id from tree_nodes where id = ?", [parent]
        ).fetchone()[0]
        if parent_question != node.question_id:
            raise InvalidInput(
                f"under: N{parent} belongs to Q{parent_question}, not Q{node.question_id}"
            )
    with write_transaction(db):
        bump_version(db, "tree_nodes", node.id, None, by, clock.now_iso())
        db.execute("update tree_nodes set parent_id = ? where id = ?", [parent, node.id])
    return get_node(db, node.id)


def link_evidence(db: Database, node: str | int, evidence: str | int, *, by: str) -> Node:
    """Hang an evidence item under a node as a leaf (same question only)."""
    from .evidence_store import get_evidence

    target = get_node(db, node)
    item = get_evidence(db, evidence)
    if item.question_id != target.question_id:
        raise InvalidInput(
            f"evidence: {item.short_id} bears on Q{item.question_id}, not Q{target.question_id} (same question only)"
        )
    if item.removed_at:
        raise InvalidInput(f"evidence: {item.short_id} was removed")
    with write_transaction(db):
        db.execute(
            "insert or ignore into tree_links (node_id, evidence_id, linked_at, linked_by) values (?,?,?,?)",
            [target.id, item.id, clock.now_iso(), by],
        )
    return get_node(db, target.id)


def set_status(
    db: Database, node: str | int, status: str, *, by: str, expected_version: int | None = None
) -> Node:
    """Set a node's review status (who and when are kept)."""
    if status not in REVIEW_STATUSES:
        raise InvalidInput(f"status: {status!r} is not allowed ({', '.join(REVIEW_STATUSES)})")
    target = get_node(db, node)
    now = clock.now_iso()
    with write_transaction(db):
        bump_version(db, "tree_nodes", target.id, expected_version, by, now)
        db.execute(
            "update tree_nodes set status = ?, status_by = ?, status_at = ? where id = ?",
            [status, by, now, target.id],
        )
    return get_node(db, target.id)


def question_tree(db: Database, question: str | int) -> list[Node]:
    """The roots of a question's tree, each with its children and evidence filled in."""
    qid = get_question(db, question).id
    nodes = {
        row[0]: Node(*row)
        for row in db.execute(
            "select id, question_id, parent_id, outcome, stance, text, status, status_by, status_at,"
            " created_by, version from tree_nodes where question_id = ? order by id",
            [qid],
        )
    }
    for nid, eid in db.execute(
        "select l.node_id, l.evidence_id from tree_links l join tree_nodes n on n.id = l.node_id"
        " join evidence e on e.id = l.evidence_id"
        " where n.question_id = ? and e.removed_at is null order by l.evidence_id",
        [qid],
    ):
        nodes[nid].evidence.append(eid)
    roots = []
    for node in nodes.values():
        if node.parent_id is None:
            roots.append(node)
        else:
            nodes[node.parent_id].children.append(node)
    return roots
