"""Gather resolved forecasts from the workspace into arrays for scoring.

One query reads every forecast on a resolved question, ordered by question, forecaster and time,
with the day numbers the time-averaged scores need computed by SQLite. Everything after that is
vectorised numpy, so a workspace of 1,000,000 forecasts is scored in about the time it takes to
read it.
"""

from __future__ import annotations

import itertools
import json
import math
import uuid
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
    extremize: float | str = 2.5
    """Exponent of the extremized log-odds aggregate, or "fitted" (fitted on the questions in
    scope, ``forecast.reports.learning.fitted_exponent``)."""
    include_early: bool = False
    """Count questions resolved before their scheduled close in the scores and calibration too
    (by default they are reported apart: an early resolution is nearly always the event
    happening, so counting them biases calibration toward "Yes")."""

    def checked(self) -> ReportSettings:
        if isinstance(self.bins, str) and self.bins != "distinct":
            raise InvalidInput(
                f"bins: {self.bins!r} is not allowed (a whole number >= 1, or distinct)"
            )
        if isinstance(self.bins, int) and self.bins < 1:
            raise InvalidInput(
                f"bins: {self.bins} is not allowed (a whole number >= 1, or distinct)"
            )
        if self.extremize != "fitted" and (
            isinstance(self.extremize, str) or not (self.extremize > 0)
        ):
            raise InvalidInput(
                f"extremize: {self.extremize} is not allowed"
                " (a number > 0, 1 = no extremizing, or fitted)"
            )
        since = clock.parse_iso(self.since, field="since") if self.since else None
        until = clock.parse_iso(self.until, field="until") if self.until else None
        return ReportSettings(
            self.forecaster,
            self.tag.strip().lower() if self.tag else None,
            since,
            until,
            self.bins,
            self.all_forecasts,
            self.extremize,
            self.include_early,
        )


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
    multi: list[dict] = field(default_factory=list)
    """Multi-outcome forecasts: question, forecaster, probs, realised index, before_close."""
    titles: dict[int, str] = field(default_factory=dict)
    tags: dict[int, list[str]] = field(default_factory=dict)
    info: dict[int, QuestionInfo] = field(default_factory=dict)
    """Every resolved question in scope, by id."""
    made_jd: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """When each forecast was made (Julian day, fractional)."""
    resolved_jd: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """When each forecast's question resolved (Julian day, fractional)."""
    cutoff_jd: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """Each forecast's question's close, or its resolution if earlier (Julian day)."""

    def restricted(self, keep: set[int]) -> ResolvedForecasts:
        """The same forecasts, on the questions in ``keep`` only."""
        rows = np.isin(self.question, np.array(sorted(keep), dtype=np.int64))
        return ResolvedForecasts(
            question=self.question[rows],
            forecaster=self.forecaster[rows],
            names=self.names,
            day=self.day[rows],
            p=self.p[rows],
            outcome=self.outcome[rows],
            before_close=self.before_close[rows],
            open_day=self.open_day[rows],
            resolve_day=self.resolve_day[rows],
            resolve_month=self.resolve_month[rows],
            multi=[m for m in self.multi if m["question"] in keep],
            titles={q: t for q, t in self.titles.items() if q in keep},
            tags={q: t for q, t in self.tags.items() if q in keep},
            info={q: i for q, i in self.info.items() if q in keep},
            made_jd=self.made_jd[rows],
            resolved_jd=self.resolved_jd[rows],
            cutoff_jd=self.cutoff_jd[rows],
        )


@dataclass(frozen=True)
class QuestionInfo:
    """What the report says about one resolved question."""

    id: int
    title: str
    kind: str
    outcomes: list[str]
    realised: int
    resolved_at: str
    closes_at: str | None
    early: bool
    """Resolved on a day before its scheduled close date."""


_QUESTIONS_SQL = """
select q.id, o.position, julianday(q.resolved_at), julianday(q.opens_at), julianday(q.closes_at),
       substr(q.resolved_at, 1, 7), q.title, q.kind, q.resolved_at, q.closes_at
from questions q join outcomes o on o.id = q.resolved_outcome_id
where q.status = 'resolved' and q.removed_at is null {filters}
"""

# One scan of the whole table in storage order (much faster than walking an index by question,
# which is what a join on questions makes SQLite do), all numeric so numpy takes it in one go;
# forecaster names become integer codes through a temporary table. Rows of resolved questions
# are picked and sorted in numpy.
# The temporary table's name is new for every build (``{codes}``), so two builds never share it.
_CODES_SQL = (
    "insert into temp.{codes} select forecaster, row_number() over () - 1"
    " from (select distinct forecaster from forecasts)"
)
_FORECASTS_SQL = (
    "select f.question_id, c.code, julianday(f.made_at), coalesce(f.p, -1.0) from forecasts f"
    " cross join temp.{codes} c on c.name = f.forecaster"
)
_MULTI_SQL = (
    "select question_id, forecaster, julianday(made_at), probs from forecasts"
    " where question_id = ? order by forecaster, made_at, id"
)


def _read_forecasts(db: Database) -> tuple[np.ndarray, list[str]]:
    """(n, 4) array of question id, forecaster code, Julian day, P(Yes) (-1 for multi), and names."""
    codes = f"report_forecasters_{uuid.uuid4().hex}"  # made here, never from user input
    db.execute(f"create temp table {codes} (name text primary key, code integer)")
    try:
        db.execute(_CODES_SQL.format(codes=codes))
        names = [n for (n,) in db.execute(f"select name from temp.{codes} order by code")]  # noqa: S608
        rows = db.execute(_FORECASTS_SQL.format(codes=codes)).fetchall()
    finally:
        db.execute(f"drop table if exists temp.{codes}")
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=float, count=4 * len(rows))
    return flat.reshape(-1, 4), names


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
    where = " ".join(filters)  # fixed clauses; values travel as parameters
    questions = {
        r[0]: r
        for r in db.execute(_QUESTIONS_SQL.format(filters=where), params)  # noqa: S608
    }
    ids = np.array(sorted(questions), dtype=np.int64)
    table_all, all_names = _read_forecasts(db)
    keep = np.isin(table_all[:, 0].astype(np.int64), ids) & (table_all[:, 3] >= 0)
    picked = table_all[keep]
    multi_rows = [
        row
        for qid in ids.tolist()
        if questions[qid][7] == "multi"
        for row in db.execute(_MULTI_SQL, [qid]).fetchall()
    ]
    used = np.unique(picked[:, 1].astype(np.int64))
    names = {all_names[c]: i for i, c in enumerate(used.tolist())}
    for r in multi_rows:
        names.setdefault(r[1], len(names))
    if settings.forecaster and settings.forecaster not in names:
        raise InvalidInput(
            f"forecaster: {settings.forecaster!r} has no forecast on a resolved question"
            + (f" tagged {settings.tag}" if settings.tag else "")
        )
    recode = np.zeros(len(all_names), dtype=np.int64)
    recode[used] = np.arange(used.size)
    question = picked[:, 0].astype(np.int64)
    forecaster = recode[picked[:, 1].astype(np.int64)]
    moment = picked[:, 2]
    order = np.lexsort((moment, forecaster, question))
    question, forecaster, moment = question[order], forecaster[order], moment[order]
    p = picked[:, 3][order]

    lookup = np.searchsorted(ids, question)
    table = [questions[int(i)] for i in ids]
    realised = np.array([r[1] for r in table], dtype=np.int64)
    resolved = np.array([r[2] for r in table], dtype=float)
    opens = np.array([np.nan if r[3] is None else r[3] for r in table], dtype=float)
    closes = np.array([np.nan if r[4] is None else r[4] for r in table], dtype=float)
    cutoff = np.where(np.isnan(closes), resolved, np.fmin(closes, resolved))
    day = np.floor(moment).astype(np.int64)
    open_raw = np.where(np.isnan(opens[lookup]), -1, np.floor(np.nan_to_num(opens[lookup]))).astype(
        np.int64
    )
    months = np.array([r[5] for r in table], dtype=object)
    multi = []
    for qid, name, moment_multi, probs in multi_rows:
        index = int(np.searchsorted(ids, qid))
        multi.append(
            {
                "question": qid,
                "forecaster": names[name],
                "probs": json.loads(probs),
                "realised": int(realised[index]),
                "before_close": moment_multi < cutoff[index],
            }
        )
    tags: dict[int, list[str]] = {int(qid): [] for qid in ids}
    outcome_names: dict[int, list[str]] = {int(qid): [] for qid in ids}
    for start in range(0, ids.size, 900):
        chunk = ids[start : start + 900].tolist()
        marks = ",".join("?" * len(chunk))
        for qid, tag in db.execute(
            f"select question_id, tag from question_tags where question_id in ({marks})",  # noqa: S608
            chunk,
        ):
            tags[qid].append(tag)
        for qid, name in db.execute(
            f"select question_id, name from outcomes where question_id in ({marks})"  # noqa: S608
            " order by question_id, position",
            chunk,
        ):
            outcome_names[qid].append(name)
    info = {
        int(r[0]): QuestionInfo(
            id=int(r[0]),
            title=r[6],
            kind=r[7],
            outcomes=outcome_names[int(r[0])],
            realised=int(r[1]),
            resolved_at=r[8],
            closes_at=r[9],
            early=r[4] is not None and math.floor(r[2] + 0.5) < math.floor(r[4] + 0.5),
        )
        for r in table
    }
    return ResolvedForecasts(
        question=question,
        forecaster=forecaster,
        names=list(names),
        day=day,
        p=p,
        outcome=(realised[lookup] == 0).astype(float),
        before_close=moment < cutoff[lookup],
        open_day=_open_days(question, day, open_raw),
        resolve_day=np.floor(resolved[lookup]).astype(np.int64),
        resolve_month=months[lookup],
        multi=multi,
        titles={int(r[0]): r[6] for r in table},
        tags=tags,
        info=info,
        made_jd=moment,
        resolved_jd=resolved[lookup],
        cutoff_jd=cutoff[lookup],
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
