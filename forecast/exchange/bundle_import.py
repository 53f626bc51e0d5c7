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
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from forecast.exchange import numeric_rows
from forecast.exchange.bundle_export import export_question
from forecast.exchange.bundle_models import (
    FORMAT,
    SCHEMA_VERSION,
    Bundle,
    BundleQuestion,
    BundleSource,
    migrate_bundle,
)
from forecast.exchange.merge_arguments import ArgumentMerger
from forecast.exchange.merge_base import MergeReport
from forecast.exchange.merge_history import merge_history
from forecast.exchange.merge_links import merge_links
from questions.errors import InvalidInput
from questions.files import display_name, read_user_file
from questions.workspace import model_changed, write_transaction

MAX_BUNDLE_BYTES = 512 * 1024 * 1024


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, str) and not part.isprintable():  # a key holding a line break
            part = part.encode("unicode_escape").decode("ascii")
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
    data = migrate_bundle(data)
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
            merge_links(db, bundle, report)
            uuids = [q.uuid for q in bundle.questions]
            model_changed(db, _question_ids(db, uuids))
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


def _question_ids(db: Database, uuids: list[str]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(uuids), 900):
        chunk = uuids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        ids.extend(
            r[0]
            for r in db.execute(f"select id from questions where uuid in ({marks})", chunk)  # noqa: S608
        )
    return ids


class _Merger(ArgumentMerger):
    """Sources and questions here; evidence, trees, comments and challenges in ArgumentMerger."""

    # sources -------------------------------------------------------------------------------------

    def source(self, source: BundleSource) -> int:
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

    def question(self, question: BundleQuestion, sources: dict[str, int]) -> None:
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
                "history": [],
            }
            self.report.added["questions"] += 1
        else:
            qid = int(row[0])
            local = BundleQuestion.model_validate(export_question(self.db, qid)).model_dump()
            if (local["kind"], [o["name"] for o in local["outcomes"]]) != (
                incoming["kind"],
                [o["name"] for o in incoming["outcomes"]],
            ) or not numeric_rows.same_range(local, incoming):
                what = "range" if local["numeric"] else "outcomes"
                self.report.conflicts.append(
                    f"Q{qid} {question.title[:40]!r}: the bundle gives it another {what}; kept this"
                    " workspace's question and left out what the bundle attaches to it"
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

    def _new_question(self, q: BundleQuestion) -> int:
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
                "removed_at": q.removed_at,
                "removed_by": q.removed_by,
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
        if q.numeric is not None:
            numeric_rows.insert_range(self.db, qid, q)
        return qid

    def _set_resolved_outcome(self, qid: int, name: str | None) -> None:
        self.db.execute(
            "update questions set resolved_outcome_id = (select id from outcomes where question_id = ?"
            " and name = ? collate nocase) where id = ?",
            [qid, name, qid],
        )

    _QUESTION_CHILDREN = (
        "history",
        "removed_conditions",
        "prior_history",
        "resolutions",
        "forecasts",
        "evidence",
        "tree",
        "comments",
        "challenges",
        "conditions",
        "conditional_forecasts",
        "indicators",
    )

    def _existing_question(self, qid: int, local: dict[str, Any], incoming: dict[str, Any]) -> None:
        label = f"Q{qid} {incoming['title'][:40]!r}"
        if not self._verdict("questions", label, local, incoming, self._QUESTION_CHILDREN):
            return
        self.db.execute(
            "update questions set title = ?, description = ?, criteria = ?, status = ?, opens_at = ?,"
            " closes_at = ?, resolved_at = ?, updated_at = ?, updated_by = ?, version = ?,"
            " removed_at = ?, removed_by = ? where id = ?",
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
                incoming["removed_at"],
                incoming["removed_by"],
                qid,
            ],
        )
        self._set_resolved_outcome(qid, incoming["resolved_outcome"])
        numeric_rows.update_question(self.db, qid, incoming)
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
        self, qid: int, q: BundleQuestion, local: dict[str, Any], outcome_ids: dict[str, int]
    ) -> None:
        merge_history(self.db, qid, q, local, self.report)
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
                    "insert into resolutions (question_id, action, outcome_id, resolved_at, recorded_at,"
                    " recorded_by, value) values (?,?,?,?,?,?,?)",
                    [
                        qid,
                        event.action,
                        outcome_ids.get(event.outcome) if event.outcome else None,
                        event.resolved_at,
                        event.recorded_at,
                        event.recorded_by,
                        event.value,
                    ],
                )

    def _forecasts(self, qid: int, q: BundleQuestion, local: dict[str, Any]) -> None:
        mine = {(f["forecaster"], f["made_at"]): f for f in local["forecasts"]}
        rows = []
        for forecast in q.forecasts:
            incoming = forecast.model_dump()
            existing = mine.get((forecast.forecaster, forecast.made_at))
            if existing is None and forecast.cdf is not None:
                numeric_rows.insert_forecast(self.db, qid, forecast)
                self.report.added["forecasts"] += 1
            elif existing is None:
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
                        int(forecast.took_recalibration),
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
            " took_recalibration, recorded_at, origin) values (?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        self.report.added["forecasts"] += len(rows)
