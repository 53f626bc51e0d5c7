"""Stored questions as plain records: the one place a question row is read and mapped.

Rows in the workspace were validated when they were written, so reading them needs no validation
layer. ``store`` builds its pydantic ``Question`` from these records; the TUI's questions screen
uses them directly, so that opening forecastle does not import pydantic before the first screen
(about a tenth of a second; a test checks the import stays out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from . import clock
from .errors import InvalidInput

if TYPE_CHECKING:
    from sqlite_utils import Database

STATUS_FILTERS = ("open", "closed", "resolved", "annulled", "all")


@dataclass(frozen=True)
class OutcomeRecord:
    name: str
    prior: float
    position: int


class _Outcome(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def prior(self) -> float: ...


class OutcomeViews:
    """``priors`` and ``outcome_names`` of anything with ``outcomes`` (the record and the model)."""

    if TYPE_CHECKING:
        outcomes: Sequence[_Outcome]

    @property
    def priors(self) -> list[float]:
        return [o.prior for o in self.outcomes]

    @property
    def outcome_names(self) -> list[str]:
        return [o.name for o in self.outcomes]


@dataclass(frozen=True)
class QuestionRecord(OutcomeViews):
    """The fields of ``questions.models.Question``, as stored."""

    id: int
    short_id: str
    uuid: str
    title: str
    description: str
    criteria: str
    kind: str
    status: str
    """As shown: an open question past its close date reads ``closed``."""
    opens_at: str | None
    closes_at: str | None
    created_at: str
    created_by: str
    version: int
    resolved_outcome: str | None
    resolved_at: str | None
    outcomes: list[OutcomeRecord] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def question_filter(
    status: str = "all", tag: str | None = None, text: str | None = None
) -> tuple[str, list[object]]:
    """The ``where`` clause and its parameters for a status (``closed`` = open but past its close
    date), a tag and a case-insensitive text match on the title; soft-removed questions never."""
    if status not in STATUS_FILTERS:
        raise InvalidInput(f"status: {status!r} is not allowed ({', '.join(STATUS_FILTERS)})")
    clauses: list[str] = ["q.removed_at is null"]
    params: list[object] = []
    now = clock.now_iso()
    if status == "open":
        clauses.append("q.status = 'open' and (q.closes_at is null or q.closes_at > ?)")
        params.append(now)
    elif status == "closed":
        clauses.append("q.status = 'open' and q.closes_at <= ?")
        params.append(now)
    elif status != "all":
        clauses.append("q.status = ?")
        params.append(status)
    if tag:
        clauses.append("q.id in (select question_id from question_tags where tag = ?)")
        params.append(tag.strip().lower())
    if text:
        clauses.append("q.title like ? escape '\\'")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    return "where " + " and ".join(clauses), params


def question_records(
    db: Database, *, status: str = "all", tag: str | None = None, text: str | None = None
) -> list[QuestionRecord]:
    """Questions in id order, filtered as ``question_filter`` says."""
    where, params = question_filter(status, tag, text)
    return load_question_records(db, where, params)


def load_question_records(
    db: Database, where: str, params: Sequence[object]
) -> list[QuestionRecord]:
    # ``where`` is built only from fixed clauses (``question_filter``); values travel as parameters.
    sql = (
        "select q.id, q.uuid, q.title, q.description, q.criteria, q.kind, q.status, q.opens_at,"  # noqa: S608
        " q.closes_at, q.created_at, q.created_by, q.version, o.name, q.resolved_at"
        f" from questions q left join outcomes o on o.id = q.resolved_outcome_id {where}"
        " order by q.id"
    )
    rows = db.execute(sql, list(params)).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    outcomes: dict[int, list[OutcomeRecord]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids, 900):
        marks = ",".join("?" * len(chunk))
        for qid, name, prior, position in db.execute(
            f"select question_id, name, prior, position from outcomes where question_id in ({marks})"  # noqa: S608
            " order by question_id, position",
            chunk,
        ):
            outcomes[qid].append(OutcomeRecord(name, prior, position))
        for qid, tag in db.execute(
            f"select question_id, tag from question_tags where question_id in ({marks})"  # noqa: S608
            " order by tag",
            chunk,
        ):
            tags[qid].append(tag)
    now = clock.now_iso()
    result = []
    for r in rows:
        status = r[6]
        if status == "open" and r[8] is not None and r[8] <= now:
            status = "closed"
        result.append(
            QuestionRecord(
                id=r[0],
                short_id=f"Q{r[0]}",
                uuid=r[1],
                title=r[2],
                description=r[3],
                criteria=r[4],
                kind=r[5],
                status=status,
                opens_at=r[7],
                closes_at=r[8],
                created_at=r[9],
                created_by=r[10],
                version=r[11],
                resolved_outcome=r[12],
                resolved_at=r[13],
                outcomes=outcomes[r[0]],
                tags=tags[r[0]],
            )
        )
    return result


def chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
