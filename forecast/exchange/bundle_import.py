"""Merging a bundle into a workspace, all in one transaction.

The rules, per row named by UUID (forecasts by question, forecaster and time):

- not in the workspace: added;
- in the workspace with the same content: skipped;
- in the bundle with a newer version: the workspace's row is updated (and the change reported);
- in the workspace with a newer version: the workspace's row is kept (reported);
- the same version with different content on each side: a conflict, named in the report, and the
  workspace's row is kept. Forecasts are append-only, so a differing forecast is a conflict too.

Nothing is deleted. Audit trails (prior history, resolutions) and tree links are merged as unions.
A bundle that is malformed, written by a newer forecastle, or cites a source neither it nor the
workspace has, is refused whole: the workspace is left as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from arguments.evidence_store import record_history as record_evidence_history
from arguments.source_store import work_key
from forecast.exchange.bundle_export import export_question
from forecast.exchange.bundle_models import (
    FORMAT,
    SCHEMA_VERSION,
    Bundle,
    Comment,
    Evidence,
    Node,
    Question,
    Source,
)
from questions.errors import InvalidInput
from questions.files import display_name, read_user_file
from questions.workspace import write_transaction

MAX_BUNDLE_BYTES = 512 * 1024 * 1024


@dataclass
class MergeReport:
    added: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    updated: list[str] = field(default_factory=list)
    kept_local: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or self.updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": dict(sorted(self.added.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "updated": self.updated,
            "kept_local": self.kept_local,
            "conflicts": self.conflicts,
        }

    def lines(self) -> list[str]:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items()) if n) or "nothing"

        out = [f"added: {counts(self.added)}", f"unchanged: {counts(self.skipped)}"]
        out += [f"updated: {line}" for line in self.updated]
        out += [f"kept this workspace's newer: {line}" for line in self.kept_local]
        out += [f"conflict: {line}" for line in self.conflicts]
        return out


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "bundle"


def read_bundle(text: str, where: str) -> Bundle:
    """Parse and check bundle text; every refusal is one line naming where and what is allowed."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{where}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    except RecursionError:
        raise InvalidInput(f"{where}: nested too deeply to be a forecastle bundle") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(
            f'{where}: not a forecastle bundle (a JSON object with "format": "{FORMAT}")'
        )
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(
            f"{where}: schema_version: {version!r} is not allowed (a whole number, {SCHEMA_VERSION} here)"
        )
    if version > SCHEMA_VERSION:
        raise InvalidInput(
            f"{where}: written by a newer forecastle (schema_version {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade forecastle to import it"
        )
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"{where}: contains text that is not valid Unicode (a lone surrogate escape)"
        ) from None
    try:
        return Bundle.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        value = repr(error.get("input"))
        shown = value if len(value) <= 60 else value[:57] + "..."
        message = str(error["msg"]).removeprefix("Value error, ")
        raise InvalidInput(
            f"{where}: {_location(error['loc'])}: {message} (value {shown})"
        ) from None


def import_bundle(db: Database, path: str | Path, *, strict: bool = False) -> MergeReport:
    """Read a bundle file and merge it (see the module's rules). ``strict``: refuse the whole
    bundle, changing nothing, if any row conflicts."""
    path = Path(path)
    raw = read_user_file(path, max_bytes=MAX_BUNDLE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{display_name(path)}: byte {exc.start}: not UTF-8 text") from None
    return merge_bundle(db, read_bundle(text, display_name(path)), strict=strict)


class _Refused(Exception):
    def __init__(self, report: MergeReport) -> None:
        self.report = report


def merge_bundle(db: Database, bundle: Bundle, *, strict: bool = False) -> MergeReport:
    report = MergeReport()
    try:
        with write_transaction(db):
            merger = _Merger(db, report)
            sources = {s.uuid: merger.source(s) for s in bundle.sources}
            for question in bundle.questions:
                merger.question(question, sources)
            if strict and report.conflicts:
                raise _Refused(report)
    except _Refused:
        raise InvalidInput(
            f"bundle: {len(report.conflicts)} conflict(s), nothing imported (--strict); first: {report.conflicts[0]}"
        ) from None
    except (
        sqlite3.IntegrityError
    ) as exc:  # a clash the checks above did not foresee: still refuse whole
        raise InvalidInput(
            f"bundle: does not fit this workspace ({exc}); nothing imported"
        ) from None
    return report


def _compare(local: dict[str, Any], incoming: dict[str, Any], skip: tuple[str, ...] = ()) -> bool:
    return {k: v for k, v in local.items() if k not in skip} == {
        k: v for k, v in incoming.items() if k not in skip
    }


class _Merger:
    def __init__(self, db: Database, report: MergeReport) -> None:
        self.db = db
        self.report = report

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        cursor = self.db.execute(
            f"insert into {table} ({columns}) values ({marks})",  # noqa: S608
            list(row.values()),
        )
        return int(cursor.lastrowid or 0)

    def _verdict(
        self,
        kind: str,
        label: str,
        local: dict[str, Any],
        incoming: dict[str, Any],
        skip: tuple[str, ...],
    ) -> bool:
        """Whether to apply the incoming row over the local one; reports the decision."""
        if _compare(local, incoming, skip):
            self.report.skipped[kind] += 1
            return False
        if incoming["version"] > local["version"]:
            self.report.updated.append(
                f"{label} to version {incoming['version']} (by {incoming['updated_by']} at {incoming['updated_at']})"
            )
            return True
        if incoming["version"] < local["version"]:
            self.report.kept_local.append(
                f"{label}: version {local['version']} here (by {local['updated_by']} at {local['updated_at']}), "
                f"{incoming['version']} in the bundle"
            )
        else:
            self.report.conflicts.append(
                f"{label}: changed here (by {local['updated_by']} at {local['updated_at']}) and in the bundle "
                f"(by {incoming['updated_by']} at {incoming['updated_at']}) from version {local['version']}; "
                "kept this workspace's"
            )
        return False

    # sources -------------------------------------------------------------------------------------

    def source(self, source: Source) -> int:
        row = self.db.execute("select id from sources where uuid = ?", [source.uuid]).fetchone()
        if row:
            self.report.skipped["sources"] += 1
            return int(row[0])
        same = self.db.execute(
            "select id from sources where content_hash = ?", [source.content_hash]
        ).fetchone()
        if same:  # the same article, imported separately on each side
            self.report.skipped["sources"] += 1
            return int(same[0])
        head = source.model_dump(exclude={"passages", "markers", "citations", "works", "skipped"})
        sid = self._insert("sources", head)
        conn = self.db.conn
        conn.executemany(
            "insert into passages (source_id, number, start, end, text) values (?,?,?,?,?)",
            [(sid, p.number, p.start, p.end, p.text) for p in source.passages],
        )
        conn.executemany(
            "insert into note_markers (source_id, position, label, note, start, end, passage) values (?,?,?,?,?,?,?)",
            [(sid, m.position, m.label, m.note, m.start, m.end, m.passage) for m in source.markers],
        )
        conn.executemany(
            "insert into citations (source_id, number, label, text, ibid, resolves_to, work_key) values (?,?,?,?,?,?,?)",
            [
                (sid, c.number, c.label, c.text, int(c.ibid), c.resolves_to, c.work_key)
                for c in source.citations
            ],
        )
        conn.executemany(
            "insert into works (source_id, key, title, cited) values (?,?,?,?)",
            [(sid, w.key, w.title, w.cited) for w in source.works],
        )
        conn.executemany(
            "insert into skipped_text (source_id, start, end, text, reason) values (?,?,?,?,?)",
            [(sid, s.start, s.end, s.text, s.reason) for s in source.skipped],
        )
        self.report.added["sources"] += 1
        return sid

    # questions -----------------------------------------------------------------------------------

    def question(self, question: Question, sources: dict[str, int]) -> None:
        row = self.db.execute("select id from questions where uuid = ?", [question.uuid]).fetchone()
        incoming = question.model_dump()
        if row is None:
            qid = self._new_question(question)
            local: dict[str, Any] = {
                "evidence": [],
                "tree": [],
                "comments": [],
                "challenges": [],
                "forecasts": [],
                "prior_history": [],
                "resolutions": [],
            }
            self.report.added["questions"] += 1
        else:
            qid = int(row[0])
            local = Question.model_validate(export_question(self.db, qid)).model_dump()
            if (local["kind"], [o["name"] for o in local["outcomes"]]) != (
                incoming["kind"],
                [o["name"] for o in incoming["outcomes"]],
            ):
                self.report.conflicts.append(
                    f"Q{qid} {question.title[:40]!r}: the bundle gives it other outcomes; kept this workspace's"
                    " question and left out what the bundle attaches to it"
                )
                return
            self._existing_question(qid, local, incoming)
        outcome_ids = [
            r[0]
            for r in self.db.execute(
                "select id from outcomes where question_id = ? order by position", [qid]
            )
        ]
        outcome_names = [
            r[0]
            for r in self.db.execute(
                "select name from outcomes where question_id = ? order by position", [qid]
            )
        ]
        self._audit_trails(qid, question, local, dict(zip(outcome_names, outcome_ids, strict=True)))
        self._forecasts(qid, question, local)
        evidence_ids = self._evidence(qid, question, local, sources)
        node_ids = self._tree(qid, question, local, evidence_ids)
        self._comments(qid, question, local, outcome_names, evidence_ids, node_ids)
        self._challenges(qid, question, local, evidence_ids)

    def _new_question(self, q: Question) -> int:
        qid = self._insert(
            "questions",
            {
                "uuid": q.uuid,
                "title": q.title,
                "description": q.description,
                "criteria": q.criteria,
                "kind": q.kind,
                "status": q.status,
                "opens_at": q.opens_at,
                "closes_at": q.closes_at,
                "resolved_at": q.resolved_at,
                "created_at": q.created_at,
                "created_by": q.created_by,
                "updated_at": q.updated_at,
                "updated_by": q.updated_by,
                "version": q.version,
            },
        )
        self.db.conn.executemany(
            "insert into outcomes (question_id, position, name, prior) values (?,?,?,?)",
            [(qid, i, o.name, o.prior) for i, o in enumerate(q.outcomes)],
        )
        self.db.conn.executemany(
            "insert into question_tags (question_id, tag) values (?, ?)",
            [(qid, tag) for tag in dict.fromkeys(q.tags)],
        )
        self.db.conn.executemany(
            "insert into evidence_groups (question_id, name, rho) values (?,?,?)",
            [(qid, name, rho) for name, rho in q.groups.items()],
        )
        self._set_resolved_outcome(qid, q.resolved_outcome)
        return qid

    def _set_resolved_outcome(self, qid: int, name: str | None) -> None:
        self.db.execute(
            "update questions set resolved_outcome_id = (select id from outcomes where question_id = ?"
            " and name = ? collate nocase) where id = ?",
            [qid, name, qid],
        )

    _QUESTION_CHILDREN = (
        "prior_history",
        "resolutions",
        "forecasts",
        "evidence",
        "tree",
        "comments",
        "challenges",
    )

    def _existing_question(self, qid: int, local: dict[str, Any], incoming: dict[str, Any]) -> None:
        label = f"Q{qid} {incoming['title'][:40]!r}"
        if not self._verdict("questions", label, local, incoming, self._QUESTION_CHILDREN):
            return
        self.db.execute(
            "update questions set title = ?, description = ?, criteria = ?, status = ?, opens_at = ?,"
            " closes_at = ?, resolved_at = ?, updated_at = ?, updated_by = ?, version = ? where id = ?",
            [
                incoming["title"],
                incoming["description"],
                incoming["criteria"],
                incoming["status"],
                incoming["opens_at"],
                incoming["closes_at"],
                incoming["resolved_at"],
                incoming["updated_at"],
                incoming["updated_by"],
                incoming["version"],
                qid,
            ],
        )
        self._set_resolved_outcome(qid, incoming["resolved_outcome"])
        self.db.conn.executemany(
            "update outcomes set prior = ? where question_id = ? and position = ?",
            [(o["prior"], qid, i) for i, o in enumerate(incoming["outcomes"])],
        )
        self.db.conn.executemany(
            "insert or ignore into question_tags (question_id, tag) values (?, ?)",
            [(qid, tag) for tag in incoming["tags"]],
        )
        self.db.conn.executemany(
            "insert into evidence_groups (question_id, name, rho) values (?,?,?)"
            " on conflict (question_id, name) do update set rho = excluded.rho",
            [(qid, name, rho) for name, rho in incoming["groups"].items()],
        )

    def _audit_trails(
        self, qid: int, q: Question, local: dict[str, Any], outcome_ids: dict[str, int]
    ) -> None:
        known = [json.dumps(p, sort_keys=True) for p in local["prior_history"]]
        for change in q.prior_history:
            if json.dumps(change.model_dump(), sort_keys=True) not in known:
                self.db.execute(
                    "insert into prior_history (question_id, priors, changed_at, changed_by) values (?,?,?,?)",
                    [qid, json.dumps(change.priors), change.changed_at, change.changed_by],
                )
        known = [json.dumps(r, sort_keys=True) for r in local["resolutions"]]
        for event in q.resolutions:
            if json.dumps(event.model_dump(), sort_keys=True) not in known:
                self.db.execute(
                    "insert into resolutions (question_id, action, outcome_id, resolved_at, recorded_at, recorded_by)"
                    " values (?,?,?,?,?,?)",
                    [
                        qid,
                        event.action,
                        outcome_ids.get(event.outcome) if event.outcome else None,
                        event.resolved_at,
                        event.recorded_at,
                        event.recorded_by,
                    ],
                )

    def _forecasts(self, qid: int, q: Question, local: dict[str, Any]) -> None:
        mine = {(f["forecaster"], f["made_at"]): f for f in local["forecasts"]}
        rows = []
        for forecast in q.forecasts:
            incoming = forecast.model_dump()
            existing = mine.get((forecast.forecaster, forecast.made_at))
            if existing is None:
                binary = q.kind == "binary"
                rows.append(
                    (
                        qid,
                        forecast.forecaster,
                        forecast.made_at,
                        forecast.probs[0] if binary else None,
                        None if binary else json.dumps(forecast.probs),
                        forecast.rationale,
                        int(forecast.adopted_model),
                        forecast.recorded_at,
                        forecast.origin,
                    )
                )
            elif existing == incoming:
                self.report.skipped["forecasts"] += 1
            else:
                self.report.conflicts.append(
                    f"Q{qid}: {forecast.forecaster}'s forecast at {forecast.made_at} differs here and in the "
                    "bundle; forecasts are append-only, kept this workspace's"
                )
        self.db.conn.executemany(
            "insert into forecasts (question_id, forecaster, made_at, p, probs, rationale, adopted_model,"
            " recorded_at, origin) values (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self.report.added["forecasts"] += len(rows)

    # evidence ------------------------------------------------------------------------------------

    def _evidence_columns(
        self, qid: int, item: Evidence, sources: dict[str, int]
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

    def _set_citations(self, eid: int, columns: dict[str, Any], item: Evidence) -> None:
        self.db.execute("delete from evidence_citations where evidence_id = ?", [eid])
        if item.anchor is None:
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
        self, qid: int, q: Question, local: dict[str, Any], sources: dict[str, int]
    ) -> dict[str, int]:
        ids = {
            uuid: eid
            for eid, uuid in self.db.execute(
                "select id, uuid from evidence where question_id = ?", [qid]
            )
        }
        mine = {e["uuid"]: e for e in local["evidence"]}
        applied: list[Evidence] = []
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
        self, qid: int, q: Question, local: dict[str, Any], evidence_ids: dict[str, int]
    ) -> dict[str, int]:
        ids = {
            uuid: nid
            for nid, uuid in self.db.execute(
                "select id, uuid from tree_nodes where question_id = ?", [qid]
            )
        }
        mine = {n["uuid"]: n for n in local["tree"]}
        applied: list[Node] = []
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
        q: Question,
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
        new: list[Comment] = []
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
        comment: Comment,
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
        self, qid: int, q: Question, local: dict[str, Any], evidence_ids: dict[str, int]
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
                    },
                )
                self.report.added["challenges"] += 1
            elif here == incoming:
                self.report.skipped["challenges"] += 1
            elif (
                here["status"] == "open"
                and challenge.status != "open"
                and _compare(here, incoming, ("status", "decided_by", "decided_at"))
            ):
                self.db.execute(
                    "update challenges set status = ?, decided_by = ?, decided_at = ? where uuid = ?",
                    [challenge.status, challenge.decided_by, challenge.decided_at, challenge.uuid],
                )
                self.report.updated.append(
                    f"challenge by {challenge.proposer}: {challenge.status} by {challenge.decided_by}"
                )
            elif (
                here["status"] != "open"
                and challenge.status == "open"
                and _compare(here, incoming, ("status", "decided_by", "decided_at"))
            ):
                self.report.skipped["challenges"] += 1
            else:
                self.report.conflicts.append(
                    f"challenge {challenge.uuid} by {challenge.proposer}: decided differently here and in the bundle;"
                    " kept this workspace's"
                )
