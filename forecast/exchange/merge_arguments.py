"""Merging a bundle's evidence, argument trees, comments and challenges into a workspace."""

from __future__ import annotations

import json
from typing import Any

from arguments.evidence_store import record_history as record_evidence_history
from arguments.source_match import link_typed_source
from arguments.source_store import work_key
from forecast.exchange.bundle_models import (
    BundleComment,
    BundleEvidence,
    BundleNode,
    BundleQuestion,
)
from forecast.exchange.merge_base import MergeBase, same_content
from forecast.exchange.numeric_rows import set_form
from questions.errors import InvalidInput

_DECISION = ("status", "decided_by", "decided_at", "decision_reason")
"""What deciding a challenge sets: an open challenge here takes a decided one's."""


class ArgumentMerger(MergeBase):
    # evidence ------------------------------------------------------------------------------------

    def _evidence_columns(
        self, qid: int, item: BundleEvidence, sources: dict[str, int]
    ) -> dict[str, Any]:
        anchor = item.anchor
        source_id = None
        if anchor is not None:
            source_id = sources.get(anchor.source)
            if source_id is None:
                row = self.db.execute(
                    "select id from sources where uuid = ?", [anchor.source]
                ).fetchone()
                if row is None:
                    raise InvalidInput(
                        f"bundle: evidence {item.uuid}: anchor.source {anchor.source} is neither in the bundle "
                        "nor in this workspace"
                    )
                source_id = int(row[0])
            passages = self.db.execute(
                "select count(*) from passages where source_id = ?", [source_id]
            ).fetchone()[0]
            if anchor.passage > passages:
                raise InvalidInput(
                    f"bundle: evidence {item.uuid}: anchor.passage {anchor.passage} is not in its source "
                    f"(passages 1..{passages})"
                )

        def dumped(value: Any) -> str | None:
            return None if value is None else json.dumps(value)

        return {
            "question_id": qid,
            "text": item.text,
            "quote": item.quote,
            "source": item.source_note,
            "observed_at": item.observed_at,
            "credibility": item.credibility,
            "likelihoods": json.dumps(item.likelihoods),
            "range_low": dumped(item.range_low),
            "range_high": dumped(item.range_high),
            "group_name": item.group,
            "ratings": dumped(item.ratings),
            "source_id": source_id,
            "passage": anchor.passage if anchor else None,
            "quote_start": anchor.quote_start if anchor else None,
            "quote_end": anchor.quote_end if anchor else None,
            "review_status": item.review.status,
            "review_by": item.review.by,
            "review_at": item.review.at,
            "created_at": item.created_at,
            "created_by": item.created_by,
            "updated_at": item.updated_at,
            "updated_by": item.updated_by,
            "version": item.version,
            "removed_at": item.removed_at,
            "removed_by": item.removed_by,
        }

    def _set_citations(self, eid: int, columns: dict[str, Any], item: BundleEvidence) -> None:
        self.db.execute("delete from evidence_citations where evidence_id = ?", [eid])
        if item.anchor is None:
            link_typed_source(self.db, eid)  # a typed source names a work this workspace knows
            return
        sid = columns["source_id"]
        for number in item.anchor.citations:
            row = self.db.execute(
                "select work_key from citations where source_id = ? and number = ?", [sid, number]
            ).fetchone()
            if row is None:
                raise InvalidInput(
                    f"bundle: evidence {item.uuid}: anchor.citations: note {number} is not in its source"
                )
            self.db.execute(
                "insert or ignore into evidence_citations (evidence_id, source_id, citation, work_key) values (?,?,?,?)",
                [eid, sid, number, work_key(sid, row[0])],
            )

    def _evidence(
        self, qid: int, q: BundleQuestion, local: dict[str, Any], sources: dict[str, int]
    ) -> dict[str, int]:
        ids = {
            uuid: eid
            for eid, uuid in self.db.execute(
                "select id, uuid from evidence where question_id = ?", [qid]
            )
        }
        mine = {e["uuid"]: e for e in local["evidence"]}
        applied: list[BundleEvidence] = []
        for item in q.evidence:
            columns = self._evidence_columns(qid, item, sources)
            if item.uuid not in mine:
                elsewhere = self.db.execute(
                    "select question_id from evidence where uuid = ?", [item.uuid]
                ).fetchone()
                if elsewhere:
                    self.report.conflicts.append(
                        f"evidence {item.uuid}: bears on Q{elsewhere[0]} here, not Q{qid}; kept this workspace's"
                    )
                    continue
                ids[item.uuid] = self._insert("evidence", {"uuid": item.uuid, **columns})
                self.report.added["evidence"] += 1
            else:
                eid = ids[item.uuid]
                if not self._verdict("evidence", f"E{eid}", mine[item.uuid], item.model_dump(), ()):
                    continue
                assignments = ", ".join(f"{name} = ?" for name in columns)
                self.db.execute(
                    f"update evidence set {assignments} where id = ?",  # noqa: S608
                    [*columns.values(), eid],
                )
            self._set_citations(ids[item.uuid], columns, item)
            set_form(self.db, ids[item.uuid], item.numeric.model_dump() if item.numeric else None)
            applied.append(item)
        for item in applied:
            self.db.execute(
                "update evidence set depends_on = ? where id = ?",
                [ids.get(item.depends_on) if item.depends_on else None, ids[item.uuid]],
            )
        for item in applied:  # history after depends_on is set, so the recorded state is whole
            new = item.uuid not in mine
            action = (
                "added"
                if new
                else (
                    "removed" if item.removed_at and not mine[item.uuid]["removed_at"] else "edited"
                )
            )
            at, by = (
                (item.created_at, item.created_by) if new else (item.updated_at, item.updated_by)
            )
            record_evidence_history(self.db, ids[item.uuid], action, at, by)
        return ids

    # trees, comments, challenges ----------------------------------------------------------------

    def _tree(
        self, qid: int, q: BundleQuestion, local: dict[str, Any], evidence_ids: dict[str, int]
    ) -> dict[str, int]:
        ids = {
            uuid: nid
            for nid, uuid in self.db.execute(
                "select id, uuid from tree_nodes where question_id = ?", [qid]
            )
        }
        mine = {n["uuid"]: n for n in local["tree"]}
        applied: list[BundleNode] = []
        for node in q.tree:
            columns = {
                "question_id": qid,
                "outcome": node.outcome,
                "stance": node.stance,
                "text": node.text,
                "status": node.status,
                "status_by": node.status_by,
                "status_at": node.status_at,
                "created_at": node.created_at,
                "created_by": node.created_by,
                "updated_at": node.updated_at,
                "updated_by": node.updated_by,
                "version": node.version,
            }
            if node.uuid not in mine:
                if self.db.execute(
                    "select 1 from tree_nodes where uuid = ?", [node.uuid]
                ).fetchone():
                    self.report.conflicts.append(
                        f"node {node.uuid}: belongs to another question here; kept"
                    )
                    continue
                ids[node.uuid] = self._insert("tree_nodes", {"uuid": node.uuid, **columns})
                self.report.added["tree nodes"] += 1
                applied.append(node)
            elif self._verdict(
                "tree nodes",
                f"N{ids[node.uuid]}",
                mine[node.uuid],
                node.model_dump(),
                ("evidence",),
            ):
                assignments = ", ".join(f"{name} = ?" for name in columns)
                self.db.execute(
                    f"update tree_nodes set {assignments} where id = ?",  # noqa: S608
                    [*columns.values(), ids[node.uuid]],
                )
                applied.append(node)
        for node in applied:
            self.db.execute(
                "update tree_nodes set parent_id = ? where id = ?",
                [ids.get(node.parent) if node.parent else None, ids[node.uuid]],
            )
        for node in q.tree:
            if node.uuid not in ids:
                continue
            for link in node.evidence:
                if link.evidence in evidence_ids:
                    cursor = self.db.execute(
                        "insert or ignore into tree_links (node_id, evidence_id, linked_at, linked_by) values (?,?,?,?)",
                        [
                            ids[node.uuid],
                            evidence_ids[link.evidence],
                            link.linked_at,
                            link.linked_by,
                        ],
                    )
                    self.report.added["tree links"] += cursor.rowcount
        return ids

    def _comments(
        self,
        qid: int,
        q: BundleQuestion,
        local: dict[str, Any],
        outcome_names: list[str],
        evidence_ids: dict[str, int],
        node_ids: dict[str, int],
    ) -> None:
        ids = {
            uuid: cid
            for cid, uuid in self.db.execute(
                "select id, uuid from comments where question_id = ?", [qid]
            )
        }
        mine = {c["uuid"]: c for c in local["comments"]}
        new: list[BundleComment] = []
        for comment in q.comments:
            if comment.uuid in mine:
                here = mine[comment.uuid]
                if here == comment.model_dump():
                    self.report.skipped["comments"] += 1
                elif {**here, "resolved": True} == {
                    **comment.model_dump(),
                    "resolved": True,
                } and comment.resolved:
                    self.db.execute(
                        "update comments set resolved = 1 where id = ?", [ids[comment.uuid]]
                    )
                    self.report.updated.append(
                        f"comment by {comment.author} at {comment.created_at}: resolved"
                    )
                elif (
                    here["resolved"]
                    and not comment.resolved
                    and {**here, "resolved": False} == comment.model_dump()
                ):
                    self.report.skipped["comments"] += 1
                else:
                    self.report.conflicts.append(
                        f"comment {comment.uuid} by {comment.author}: differs here and in the bundle; kept this workspace's"
                    )
                continue
            target = self._comment_target(comment, qid, outcome_names, evidence_ids, node_ids)
            if self.db.execute("select 1 from comments where uuid = ?", [comment.uuid]).fetchone():
                self.report.conflicts.append(
                    f"comment {comment.uuid}: belongs to another question here; kept"
                )
                continue
            if target is None:
                self.report.conflicts.append(
                    f"comment {comment.uuid}: its target was not imported; left out"
                )
                continue
            ids[comment.uuid] = self._insert(
                "comments",
                {
                    "uuid": comment.uuid,
                    "target_kind": comment.target_kind,
                    "target_id": target,
                    "question_id": qid,
                    "body": comment.body,
                    "author": comment.author,
                    "created_at": comment.created_at,
                    "resolved": int(comment.resolved),
                },
            )
            new.append(comment)
            self.report.added["comments"] += 1
        for comment in new:
            if comment.parent:
                self.db.execute(
                    "update comments set parent_id = ? where id = ?",
                    [ids.get(comment.parent), ids[comment.uuid]],
                )

    @staticmethod
    def _comment_target(
        comment: BundleComment,
        qid: int,
        outcome_names: list[str],
        evidence_ids: dict[str, int],
        node_ids: dict[str, int],
    ) -> int | None:
        if comment.target_kind == "question":
            return qid
        if comment.target_kind == "outcome":
            return outcome_names.index(comment.target) if comment.target in outcome_names else None
        table = evidence_ids if comment.target_kind == "evidence" else node_ids
        return table.get(comment.target or "")

    def _challenges(
        self, qid: int, q: BundleQuestion, local: dict[str, Any], evidence_ids: dict[str, int]
    ) -> None:
        mine = {c["uuid"]: c for c in local["challenges"]}
        for challenge in q.challenges:
            incoming = challenge.model_dump()
            here = mine.get(challenge.uuid)
            if here is None:
                if self.db.execute(
                    "select 1 from challenges where uuid = ?", [challenge.uuid]
                ).fetchone():
                    self.report.conflicts.append(
                        f"challenge {challenge.uuid}: belongs to another question here; kept"
                    )
                    continue
                if challenge.evidence not in evidence_ids:
                    self.report.conflicts.append(
                        f"challenge {challenge.uuid}: its evidence item was not imported"
                    )
                    continue
                self._insert(
                    "challenges",
                    {
                        "uuid": challenge.uuid,
                        "evidence_id": evidence_ids[challenge.evidence],
                        "question_id": qid,
                        "proposer": challenge.proposer,
                        "likelihoods": json.dumps(challenge.likelihoods),
                        "reason": challenge.reason,
                        "status": challenge.status,
                        "created_at": challenge.created_at,
                        "decided_by": challenge.decided_by,
                        "decided_at": challenge.decided_at,
                        "decision_reason": challenge.decision_reason,
                    },
                )
                self.report.added["challenges"] += 1
            elif here == incoming:
                self.report.skipped["challenges"] += 1
            elif (
                here["status"] == "open"
                and challenge.status != "open"
                and same_content(here, incoming, _DECISION)
            ):
                self.db.execute(
                    "update challenges set status = ?, decided_by = ?, decided_at = ?,"
                    " decision_reason = ? where uuid = ?",
                    [
                        challenge.status,
                        challenge.decided_by,
                        challenge.decided_at,
                        challenge.decision_reason,
                        challenge.uuid,
                    ],
                )
                self.report.updated.append(
                    f"challenge by {challenge.proposer}: {challenge.status} by {challenge.decided_by}"
                )
            elif (
                here["status"] != "open"
                and challenge.status == "open"
                and same_content(here, incoming, _DECISION)
            ):
                self.report.skipped["challenges"] += 1
            else:
                self.report.conflicts.append(
                    f"challenge {challenge.uuid} by {challenge.proposer}: decided differently here and in the bundle;"
                    " kept this workspace's"
                )
