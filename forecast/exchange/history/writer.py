"""Write a history ``Batch`` into the workspace: all of it in one transaction, or nothing.

Each imported question gets a UUID derived from its source key (``uuid5`` of
``FORMAT:KEY``), so importing the same export again finds the questions it made; forecasts are
unique per question, forecaster and time, and comments carry UUIDs derived the same way. A
second import therefore adds nothing; a later export of the same history adds only what is new
(new forecasts, a resolution that came since)."""

from __future__ import annotations

import hashlib
import json
import uuid as uuidlib
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlite_utils import Database

from questions import clock
from questions.errors import Conflict, InvalidInput
from questions.records import chunks
from questions.workspace import model_changed, write_transaction

from .records import ANNULLED, Batch, HistoryQuestion

NAMESPACE = uuidlib.UUID("6b1d6f0e-52c4-4f1e-9a0c-0f7ac3a1e5d2")
TOLERANCE = 1e-6


@dataclass
class HistorySummary:
    format: str
    file: str
    dry_run: bool = False
    questions_created: list[str] = field(default_factory=list)
    questions_present: int = 0
    forecasts_added: int = 0
    forecasts_skipped: int = 0
    resolutions_set: int = 0
    annulled: int = 0
    comments_added: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        verb = "would add" if self.dry_run else "added"
        created = len(self.questions_created)
        return [
            *(f"warning: {w}" for w in self.warnings),
            f"{self.format}: {verb} {created} questions ({self.questions_present} already here), "
            f"{self.forecasts_added} forecasts ({self.forecasts_skipped} already here), "
            f"{self.resolutions_set} resolutions, {self.annulled} annulments, "
            f"{self.comments_added} comments"
            + (" — dry run, nothing written" if self.dry_run else ""),
        ]


class _DryRun(Exception):
    pass


def question_uuid(fmt: str, key: str) -> str:
    return str(uuidlib.uuid5(NAMESPACE, f"{fmt}:{key}"))


def write_batch(
    db: Database, batch: Batch, *, author: str, dry_run: bool = False
) -> HistorySummary:
    summary = HistorySummary(batch.fmt, str(batch.path), dry_run, warnings=list(batch.warnings))
    try:
        with write_transaction(db):
            _write(db, batch, author, summary)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary


def _write(db: Database, batch: Batch, author: str, summary: HistorySummary) -> None:
    now = clock.now_iso()
    uuids = {key: question_uuid(batch.fmt, key) for key in batch.questions}
    found = _existing(db, list(uuids.values()))
    qids: dict[str, int] = {}
    outcome_ids: dict[int, list[tuple[int, str]]] = {}
    created: list[int] = []
    for key, question in batch.questions.items():
        names = question.outcomes or ["Yes", "No"]
        row = found.get(uuids[key])
        if row is None:
            qid = _create(db, question, uuids[key], names, author, now)
            created.append(qid)
            summary.questions_created.append(f"Q{qid}")
        else:
            qid = row
            summary.questions_present += 1
        qids[key] = qid
        db.conn.executemany(
            "insert or ignore into question_tags (question_id, tag) values (?, ?)",
            [(qid, tag) for tag in sorted(question.tags)],
        )
        outcome_ids[qid] = [
            (r[0], r[1])
            for r in db.execute(
                "select id, name from outcomes where question_id = ? order by position", [qid]
            )
        ]
        if [n for _, n in outcome_ids[qid]] != names:
            raise Conflict(
                f"{question.where}: question: {question.title!r}: Q{qid} was imported with "
                f"outcomes {', '.join(n for _, n in outcome_ids[qid])}; the file now has {', '.join(names)}"
            )
    _forecasts(db, batch, qids, summary, now)
    for key, question in batch.questions.items():
        _resolve(db, question, qids[key], outcome_ids[qids[key]], author, now, summary)
    _comments(db, batch, qids, summary)
    model_changed(db, created)


def _existing(db: Database, uuids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(uuids), 900):
        chunk = uuids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for qid, uuid in db.execute(
            f"select id, uuid from questions where uuid in ({marks})",  # noqa: S608
            chunk,
        ):
            found[uuid] = qid
    return found


def _create(
    db: Database, q: HistoryQuestion, uuid: str, names: list[str], author: str, now: str
) -> int:
    kind = "multi" if q.outcomes else "binary"
    cursor = db.execute(
        "insert into questions (uuid, title, description, kind, opens_at, closes_at, created_at,"
        " created_by, updated_at, updated_by) values (?,?,?,?,?,?,?,?,?,?)",
        [uuid, q.title, q.description, kind, q.opens_at, q.closes_at, now, author, now, author],
    )
    qid = int(cursor.lastrowid or 0)
    prior = 1 / len(names)
    db.conn.executemany(
        "insert into outcomes (question_id, position, name, prior) values (?, ?, ?, ?)",
        [(qid, i, name, prior) for i, name in enumerate(names)],
    )
    db.execute(
        "insert into prior_history (question_id, priors, changed_at, changed_by) values (?,?,?,?)",
        [qid, json.dumps([prior] * len(names)), now, author],
    )
    return qid


def _forecasts(
    db: Database, batch: Batch, qids: dict[str, int], summary: HistorySummary, now: str
) -> None:
    stored: dict[tuple[int, str, str], list[float]] = {}
    for chunk in chunks(sorted(set(qids.values())), 900):
        marks = ",".join("?" * len(chunk))
        for qid, forecaster, made_at, p, probs in db.execute(
            "select question_id, forecaster, made_at, p, probs from forecasts"  # noqa: S608
            f" where question_id in ({marks})",
            chunk,
        ):
            stored[(qid, forecaster, made_at)] = json.loads(probs) if probs else [p, 1 - p]
    origin = f"{batch.fmt}:{batch.path.name}"
    fresh: list[tuple[object, ...]] = []
    for f in batch.forecasts:
        qid = qids[f.key]
        key = (qid, f.forecaster, f.made_at)
        probs = f.probs
        if key in stored:
            if any(abs(a - b) > TOLERANCE for a, b in zip(stored[key], probs, strict=False)):
                raise Conflict(
                    f"{f.where}: probability: {probs[0]!r}: {f.forecaster} already has "
                    f"{stored[key][0]!r} on Q{qid} at {f.made_at}; forecasts are append-only"
                )
            summary.forecasts_skipped += 1
            continue
        stored[key] = probs
        binary = len(probs) == 2 and not batch.questions[f.key].outcomes
        fresh.append(
            (
                qid,
                f.forecaster,
                f.made_at,
                probs[0] if binary else None,
                None if binary else json.dumps(probs),
                f.rationale,
                now,
                origin,
            )
        )
    db.conn.executemany(
        "insert into forecasts (question_id, forecaster, made_at, p, probs, rationale, recorded_at,"
        " origin) values (?, ?, ?, ?, ?, ?, ?, ?)",
        fresh,
    )
    summary.forecasts_added = len(fresh)


def _resolve(
    db: Database,
    q: HistoryQuestion,
    qid: int,
    outcomes: list[tuple[int, str]],
    author: str,
    now: str,
    summary: HistorySummary,
) -> None:
    if q.resolution is None:
        return
    status, current, current_at = db.execute(
        "select status, resolved_outcome_id, resolved_at from questions where id = ?", [qid]
    ).fetchone()
    at = q.resolved_at or q.closes_at or now
    if q.resolution == ANNULLED:
        if status == "annulled":
            return
        action, outcome_id, new_status = "annulled", None, "annulled"
        summary.annulled += 1
    else:
        ids = {name: oid for oid, name in outcomes}
        if q.resolution not in ids:
            raise InvalidInput(
                f"{q.where}: resolution: {q.resolution!r}: not an outcome ({', '.join(ids)})"
            )
        outcome_id = ids[q.resolution]
        if status == "resolved" and current == outcome_id and current_at == at:
            return
        action, new_status = "resolved", "resolved"
        summary.resolutions_set += 1
    db.execute(
        "insert into resolutions (question_id, action, outcome_id, resolved_at, recorded_at,"
        " recorded_by) values (?, ?, ?, ?, ?, ?)",
        [qid, action, outcome_id, at, now, author],
    )
    db.execute(
        "update questions set status = ?, resolved_outcome_id = ?, resolved_at = ?, updated_at = ?,"
        " updated_by = ?, version = version + 1 where id = ?",
        [new_status, outcome_id, at, now, author, qid],
    )


def _comments(db: Database, batch: Batch, qids: dict[str, int], summary: HistorySummary) -> None:
    if not batch.comments or "comments" not in db.table_names():
        return
    rows = []
    for c in batch.comments:
        digest = hashlib.sha256(f"{c.key}\x00{c.author}\x00{c.created_at}\x00{c.body}".encode())
        uuid = str(uuidlib.uuid5(NAMESPACE, f"{batch.fmt}:comment:{digest.hexdigest()}"))
        qid = qids[c.key]
        rows.append((uuid, "question", qid, qid, c.body, c.author, c.created_at))
    before = db.execute("select count(*) from comments").fetchone()[0]
    db.conn.executemany(
        "insert or ignore into comments (uuid, target_kind, target_id, question_id, body, author,"
        " created_at) values (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    summary.comments_added = db.execute("select count(*) from comments").fetchone()[0] - before
