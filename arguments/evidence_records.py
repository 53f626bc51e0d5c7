"""Stored evidence as plain records: the one place an evidence row is read and mapped.

``evidence_store`` builds its pydantic ``Evidence`` from these records; the TUI's questions screen
runs the engine on them directly, so that opening forecastle does not import pydantic before the
first screen (see ``questions.records``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from questions.workspace import has_table

if TYPE_CHECKING:
    from sqlite_utils import Database

COLUMNS = (
    "e.id, e.uuid, e.question_id, e.text, e.quote, e.source, e.observed_at, e.credibility,"
    " e.likelihoods, e.range_low, e.range_high, e.depends_on, e.group_name, g.rho, e.ratings,"
    " e.created_at, e.created_by, e.updated_at, e.updated_by, e.version, e.removed_at, e.removed_by"
)
FROM = (
    " from evidence e left join evidence_groups g"
    " on g.question_id = e.question_id and g.name = e.group_name"
)


@dataclass(frozen=True)
class EvidenceRecord:
    """The fields of ``arguments.evidence.Evidence``, as stored."""

    id: int
    uuid: str
    question_id: int
    text: str
    quote: str
    source: str
    observed_at: str | None
    credibility: float
    likelihoods: tuple[float, ...]
    range_low: tuple[float, ...] | None
    range_high: tuple[float, ...] | None
    depends_on: int | None
    group: str | None
    rho: float | None
    ratings: tuple[str, ...] | None
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    version: int
    removed_at: str | None
    removed_by: str | None
    citations: tuple[str, ...]

    @property
    def short_id(self) -> str:
        return f"E{self.id}"


def evidence_record(row: Sequence[Any], citations: dict[int, tuple[str, ...]]) -> EvidenceRecord:
    """A row of ``select COLUMNS FROM`` as a record."""

    def vector(text: str | None) -> tuple[float, ...] | None:
        return None if text is None else tuple(json.loads(text))

    return EvidenceRecord(
        id=row[0],
        uuid=row[1],
        question_id=row[2],
        text=row[3],
        quote=row[4],
        source=row[5],
        observed_at=row[6],
        credibility=row[7],
        likelihoods=tuple(json.loads(row[8])),
        range_low=vector(row[9]),
        range_high=vector(row[10]),
        depends_on=row[11],
        group=row[12],
        rho=row[13],
        ratings=None if row[14] is None else tuple(json.loads(row[14])),
        created_at=row[15],
        created_by=row[16],
        updated_at=row[17],
        updated_by=row[18],
        version=row[19],
        removed_at=row[20],
        removed_by=row[21],
        citations=citations.get(row[0], ()),
    )


def citation_keys(db: Database, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Work keys cited by each item (filled by the sources layer once it exists)."""
    if not has_table(db, "evidence_citations"):
        return {}
    keys: dict[int, list[str]] = {}
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        marks = ",".join("?" * len(chunk))
        for eid, key in db.execute(
            f"select evidence_id, work_key from evidence_citations where evidence_id in ({marks})"  # noqa: S608
            " order by evidence_id, work_key",
            chunk,
        ):
            keys.setdefault(eid, []).append(key)
    return {eid: tuple(dict.fromkeys(values)) for eid, values in keys.items()}


def records_by_question(
    db: Database, question_ids: Sequence[int], *, include_removed: bool = False
) -> dict[int, list[EvidenceRecord]]:
    """The evidence of many questions at once, each list in id order (removed items only when
    asked): one query per 900 questions instead of one per question (the home screen reads every
    question)."""
    found: dict[int, list[EvidenceRecord]] = {qid: [] for qid in question_ids}
    for start in range(0, len(question_ids), 900):
        chunk = list(question_ids[start : start + 900])
        marks = ",".join("?" * len(chunk))
        live = "" if include_removed else " and e.removed_at is null"
        rows = db.execute(
            f"select {COLUMNS}{FROM} where e.question_id in ({marks}){live} order by e.id",  # noqa: S608
            chunk,
        ).fetchall()
        citations = citation_keys(db, [r[0] for r in rows])
        for row in rows:
            found[row[2]].append(evidence_record(row, citations))
    return found
