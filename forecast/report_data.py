"""Gather resolved forecasts from the workspace into arrays for scoring.

One query reads every forecast on a resolved question, ordered by question, forecaster and time,
with the day numbers the time-averaged scores need computed by SQLite. Everything after that is
vectorised numpy, so a workspace of 1,000,000 forecasts is scored in about the time it takes to
read it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

from questions import clock
from questions.errors import InvalidInput


@dataclass(frozen=True)
class ReportSettings:
    forecaster: str | None = None
    """Top-level figures for this forecaster only (aggregates and peers still use everyone)."""
    tag: str | None = None
    since: str | None = None
    """Only questions resolved on or after this date."""
    until: str | None = None
    """Only questions resolved before this date."""
    bins: int | str = 10
    """Equal-width calibration bins, or "distinct" (one bin per distinct forecast)."""
    all_forecasts: bool = False
    """Count every forecast instead of each forecaster's last one before the question closed."""
    extremize: float = 2.5
    """Exponent of the extremized log-odds aggregate."""

    def checked(self) -> ReportSettings:
        if isinstance(self.bins, str) and self.bins != "distinct":
            raise InvalidInput(f"bins: {self.bins!r} is not allowed (a whole number >= 1, or distinct)")
        if isinstance(self.bins, int) and self.bins < 1:
            raise InvalidInput(f"bins: {self.bins} is not allowed (a whole number >= 1, or distinct)")
        if not (self.extremize > 0):
            raise InvalidInput(f"extremize: {self.extremize} is not allowed (a number > 0; 1 = no extremizing)")
        since = clock.parse_iso(self.since, field="since") if self.since else None
        until = clock.parse_iso(self.until, field="until") if self.until else None
        return ReportSettings(self.forecaster, self.tag.strip().lower() if self.tag else None, since, until,
                              self.bins, self.all_forecasts, self.extremize)


@dataclass
class ResolvedForecasts:
    """Binary-question forecasts on resolved questions, sorted by (question, forecaster, made_at)."""

    question: np.ndarray
    forecaster: np.ndarray
    """Codes into ``names``."""
    names: list[str]
    day: np.ndarray
    p: np.ndarray
    """P(Yes)."""
    outcome: np.ndarray
    """1 if Yes happened."""
    before_close: np.ndarray
    open_day: np.ndarray
    resolve_day: np.ndarray
    resolve_month: np.ndarray
    made_at_month: np.ndarray
    multi: list[dict] = field(default_factory=list)
    """Multi-outcome forecasts: question, forecaster, probs, realised index, before_close."""
    titles: dict[int, str] = field(default_factory=dict)
    tags: dict[int, list[str]] = field(default_factory=dict)


_SQL = """
select f.question_id, f.forecaster, cast(julianday(f.made_at) as integer), f.p, f.probs, o.position,
       f.made_at < (case when q.closes_at is not null and q.closes_at < q.resolved_at
                         then q.closes_at else q.resolved_at end),
       cast(julianday(q.opens_at) as integer), cast(julianday(q.resolved_at) as integer),
       substr(q.resolved_at, 1, 7), substr(f.made_at, 1, 7)
from forecasts f
join questions q on q.id = f.question_id
join outcomes o on o.id = q.resolved_outcome_id
where q.status = 'resolved' {filters}
order by f.question_id, f.forecaster, f.made_at, f.id
"""


def gather(db: Database, settings: ReportSettings) -> ResolvedForecasts:
    filters, params = [], []
    if settings.tag:
        if not db.execute("select 1 from question_tags where tag = ?", [settings.tag]).fetchone():
            raise InvalidInput(f"tag: {settings.tag!r} is on no question")
        filters.append("and q.id in (select question_id from question_tags where tag = ?)")
        params.append(settings.tag)
    if settings.since:
        filters.append("and q.resolved_at >= ?")
        params.append(settings.since)
    if settings.until:
        filters.append("and q.resolved_at < ?")
        params.append(settings.until)
    rows = db.execute(_SQL.format(filters=" ".join(filters)), params).fetchall()  # noqa: S608 - fixed text
    binary = [r for r in rows if r[4] is None]
    names: dict[str, int] = {}
    for r in rows:
        names.setdefault(r[1], len(names))
    if settings.forecaster and settings.forecaster not in names:
        raise InvalidInput(f"forecaster: {settings.forecaster!r} has no forecast on a resolved question"
                           + (f" tagged {settings.tag}" if settings.tag else ""))
    count = len(binary)
    columns = list(zip(*binary, strict=True)) if binary else [[] for _ in range(11)]
    question = np.fromiter(columns[0], dtype=np.int64, count=count)
    open_raw = np.array([-1 if v is None else v for v in columns[7]], dtype=np.int64)
    day = np.fromiter(columns[2], dtype=np.int64, count=count)
    open_day = _open_days(question, day, open_raw)
    multi = [
        {"question": r[0], "forecaster": names[r[1]], "probs": json.loads(r[4]), "realised": r[5],
         "before_close": bool(r[6])}
        for r in rows if r[4] is not None
    ]
    qids = sorted({r[0] for r in rows})
    titles: dict[int, str] = {}
    tags: dict[int, list[str]] = {qid: [] for qid in qids}
    for start in range(0, len(qids), 900):
        chunk = qids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        titles.update(db.execute(f"select id, title from questions where id in ({marks})", chunk).fetchall())  # noqa: S608
        for qid, tag in db.execute(f"select question_id, tag from question_tags where question_id in ({marks})", chunk):  # noqa: S608
            tags[qid].append(tag)
    return ResolvedForecasts(
        question=question,
        forecaster=np.array([names[n] for n in columns[1]], dtype=np.int64),
        names=list(names),
        day=day,
        p=np.fromiter(columns[3], dtype=float, count=count),
        outcome=(np.fromiter(columns[5], dtype=np.int64, count=count) == 0).astype(float),
        before_close=np.fromiter(columns[6], dtype=bool, count=count),
        open_day=open_day,
        resolve_day=np.fromiter(columns[8], dtype=np.int64, count=count),
        resolve_month=np.array(columns[9], dtype=object),
        made_at_month=np.array(columns[10], dtype=object),
        multi=multi, titles=titles, tags=tags,
    )


def _open_days(question: np.ndarray, day: np.ndarray, opens: np.ndarray) -> np.ndarray:
    """Each row's question open day: ``opens_at``, else the day of the question's first forecast."""
    if question.size == 0:
        return opens
    starts = np.flatnonzero(np.r_[True, question[1:] != question[:-1]])
    first = np.minimum.reduceat(day, starts)
    sizes = np.diff(np.r_[starts, question.size])
    fallback = np.repeat(first, sizes)
    return np.where(opens >= 0, opens, fallback)
