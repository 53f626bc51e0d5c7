"""Store functions for numeric and date questions: their range, distribution forecasts (a CDF on
the grid beside the ``forecasts`` row) and resolution to a value.

Tables are described in ``questions.migrations.m020_numeric_questions``. Every write is one
transaction; SQL takes user values only as parameters.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from . import clock
from .errors import Conflict, InvalidInput
from .models import Question, QuestionDraft
from .numeric import GRID_POINTS, Floats, NumericRange
from .numeric_crps import decode_table, encode_table, score_tables, stored_cdf
from .question_history import record_question_history
from .store import bump_version, get_question, latest_by_forecaster, question_id
from .workspace import model_changed, write_transaction

NUMERIC_KINDS = ("numeric", "date")


@dataclass(frozen=True)
class NumericForecast:
    forecaster: str
    made_at: str
    cdf: Floats
    typed: str
    method: str
    rationale: str = ""
    score_table: Floats | None = None
    """Per grid point (F, CRPS if the value were there, log density and mass of the bin from
    there): ``questions.numeric_crps``."""


def is_numeric(question: Question | str) -> bool:
    kind = question if isinstance(question, str) else question.kind
    return kind in NUMERIC_KINDS


PRIORS = ("uniform", "team")
"""A numeric question's model prior: uniform in its scale, or the team's linear pool."""


def check_prior(prior: str) -> str:
    if prior not in PRIORS:
        raise InvalidInput(
            f"--prior: {prior!r} is not allowed for a numeric question (uniform or team)"
        )
    return prior


def add_numeric_question(
    db: Database, draft: QuestionDraft, rng: NumericRange, *, author: str, prior: str = "uniform"
) -> Question:
    """Create a numeric (or date, when ``rng.is_date``) question with its range and model prior."""
    check_prior(prior)
    now = clock.now_iso()
    kind = "date" if rng.is_date else "numeric"
    with write_transaction(db):
        cursor = db.execute(
            "insert into questions (uuid, title, description, criteria, kind, opens_at, closes_at,"
            " created_at, created_by, updated_at, updated_by) values (?,?,?,?,?,?,?,?,?,?,?)",
            [
                str(uuidlib.uuid4()),
                draft.title,
                draft.description,
                draft.criteria,
                kind,
                draft.opens_at,
                draft.closes_at,
                now,
                author,
                now,
                author,
            ],
        )
        qid = int(cursor.lastrowid or 0)
        insert_range_row(db, qid, rng, prior)
        db.conn.executemany(
            "insert into question_tags (question_id, tag) values (?, ?)",
            [(qid, tag) for tag in draft.tags],
        )
    return get_question(db, qid)


def insert_range_row(db: Database, qid: int, rng: NumericRange, prior: str) -> None:
    """The ``numeric_ranges`` row of question ``qid`` (every writer of one goes through here)."""
    db.execute(
        "insert into numeric_ranges (question_id, lo, hi, unit, log, open_lower, open_upper,"
        " prior) values (?,?,?,?,?,?,?,?)",
        [
            qid,
            rng.lo,
            rng.hi,
            rng.unit,
            int(rng.log),
            int(rng.open_lower),
            int(rng.open_upper),
            prior,
        ],
    )


def numeric_range(db: Database, ref: str | int) -> NumericRange:
    """The range of a numeric or date question (refused for a categorical one)."""
    qid = question_id(db, ref)
    row = db.execute(
        "select r.lo, r.hi, r.unit, r.log, r.open_lower, r.open_upper, q.kind"
        " from numeric_ranges r join questions q on q.id = r.question_id where r.question_id = ?",
        [qid],
    ).fetchone()
    if row is None:
        raise InvalidInput(f"Q{qid}: not a numeric or date question")
    lo, hi, unit, log, open_lower, open_upper, kind = row
    return NumericRange(
        lo=lo,
        hi=hi,
        unit=unit,
        log=bool(log),
        open_lower=bool(open_lower),
        open_upper=bool(open_upper),
        is_date=kind == "date",
    )


def numeric_prior(db: Database, ref: str | int) -> str:
    """The model prior a numeric question is set to (``uniform`` or ``team``)."""
    qid = question_id(db, ref)
    row = db.execute("select prior from numeric_ranges where question_id = ?", [qid]).fetchone()
    if row is None:
        raise InvalidInput(f"Q{qid}: not a numeric or date question")
    return str(row[0])


def set_numeric_prior(
    db: Database, ref: str | int, prior: str, *, by: str, expected_version: int | None = None
) -> Question:
    """Set a numeric question's model prior; the question's version moves and its history keeps
    the state before (a stale ``expected_version`` is refused)."""
    check_prior(prior)
    now = clock.now_iso()
    with write_transaction(db):
        question = get_question(db, ref)
        numeric_range(db, question.id)  # refuses a categorical question
        try:
            bump_version(db, "questions", question.id, expected_version, by, now)
        except Conflict as exc:
            raise Conflict(f"{question.short_id}: {exc}") from None
        db.execute(
            "update numeric_ranges set prior = ? where question_id = ?", [prior, question.id]
        )
        record_question_history(db, question.id, "edited", now, by)
        model_changed(db, [question.id])
    return get_question(db, question.id)


def numeric_ranges(db: Database) -> dict[int, NumericRange]:
    """Every numeric/date question's range by question id."""
    return {
        qid: NumericRange(
            lo=lo,
            hi=hi,
            unit=unit,
            log=bool(log),
            open_lower=bool(ol),
            open_upper=bool(ou),
            is_date=kind == "date",
        )
        for qid, lo, hi, unit, log, ol, ou, kind in db.execute(
            "select r.question_id, r.lo, r.hi, r.unit, r.log, r.open_lower, r.open_upper, q.kind"
            " from numeric_ranges r join questions q on q.id = r.question_id"
        )
    }


def record_numeric_forecast(
    db: Database,
    ref: str | int,
    cdf: Sequence[float] | Floats,
    *,
    forecaster: str,
    typed: str,
    method: str,
    made_at: str | None = None,
    rationale: str = "",
    origin: str = "cli",
) -> NumericForecast:
    """Append a distribution forecast (its CDF on the question's grid)."""
    qid = question_id(db, ref)
    values = np.asarray(cdf, dtype=float)
    if values.shape != (GRID_POINTS,) or np.any(np.diff(values) < -1e-12):
        raise InvalidInput(f"forecast: a CDF of {GRID_POINTS} non-decreasing values is needed")
    who = forecaster.strip()
    if not who:
        raise InvalidInput("forecaster: must not be empty")
    when = clock.parse_iso(made_at, field="at") if made_at else clock.now_iso()
    try:
        with write_transaction(db):
            cursor = db.execute(
                "insert into forecasts (question_id, forecaster, made_at, p, probs, rationale,"
                " adopted_model, recorded_at, origin) values (?,?,?,null,null,?,?,?,?)",
                [qid, who, when, rationale, int(method == "model"), clock.now_iso(), origin],
            )
            insert_numeric_row(db, qid, cursor.lastrowid, values, typed, method)
    except sqlite3.IntegrityError:
        raise Conflict(
            f"forecast: {who} already has a forecast on Q{qid} at {when}; "
            "forecasts are append-only (use another --at)"
        ) from None
    return NumericForecast(who, when, values, typed, method, rationale)


def insert_numeric_row(
    db: Database, qid: int, forecast_id: int | None, cdf: Floats, typed: str, method: str
) -> None:
    """The ``numeric_forecasts`` row of forecast ``forecast_id``: its CDF as stored and the score
    table built from that stored CDF (every writer goes through here, so none is left without)."""
    text = encode_cdf(cdf)
    table = score_tables(numeric_range(db, qid), stored_cdf(text))[0]
    db.execute(
        "insert into numeric_forecasts (forecast_id, cdf, typed, method, score_table)"
        " values (?,?,?,?,?)",
        [forecast_id, text, typed, method, encode_table(table)],
    )


def encode_cdf(cdf: Floats) -> str:
    return "[" + ",".join(f"{v:.7g}" for v in cdf) + "]"


def numeric_forecasts(
    db: Database, ref: str | int, *, forecaster: str | None = None
) -> list[NumericForecast]:
    """Distribution forecasts on a question in time order."""
    qid = question_id(db, ref)
    sql = (
        "select f.forecaster, f.made_at, n.cdf, n.typed, n.method, f.rationale, n.score_table"
        " from forecasts f join numeric_forecasts n on n.forecast_id = f.id"
        " where f.question_id = ?"
    )
    params: list[object] = [qid]
    if forecaster:
        sql += " and f.forecaster = ?"
        params.append(forecaster)
    sql += " order by f.made_at, f.id"
    return [
        NumericForecast(
            who,
            at,
            np.array(json.loads(cdf), dtype=float),
            typed,
            method,
            why,
            decode_table(table),
        )
        for who, at, cdf, typed, method, why, table in db.execute(sql, params)
    ]


def latest_numeric(
    forecasts: Sequence[NumericForecast], *, before: str | None = None
) -> dict[str, NumericForecast]:
    """Each forecaster's standing forecast among ``forecasts`` (time order)."""
    return latest_by_forecaster(forecasts, before=before)


def resolve_numeric(
    db: Database, ref: str | int, value: float, *, by: str, at: str | None = None
) -> Question:
    """Resolve a numeric/date question to a value (in natural units; days for a date)."""
    rng = numeric_range(db, ref)
    why = rng.outside(value)
    if why:
        raise InvalidInput(f"value: {why}")
    when = clock.parse_iso(at, field="at") if at else clock.now_iso()
    now = clock.now_iso()
    with write_transaction(db):
        question = get_question(db, ref)
        if question.status == "annulled":
            raise Conflict(
                f"{question.short_id} is annulled; `forecastle unresolve {question.short_id}` first"
            )
        updated = db.execute(
            "update questions set status = 'resolved', resolved_outcome_id = null,"
            " resolved_value = ?, resolved_at = ?, updated_at = ?, updated_by = ?,"
            " version = version + 1 where id = ? and version = ?",
            [value, when, now, by, question.id, question.version],
        )
        if updated.rowcount != 1:
            raise Conflict(f"{question.short_id} changed while this was saved; try again")
        db.execute(
            "insert into resolutions (question_id, action, outcome_id, value, resolved_at,"
            " recorded_at, recorded_by) values (?,'resolved',null,?,?,?,?)",
            [question.id, value, when, now, by],
        )
    return get_question(db, question.id)


def resolved_value(db: Database, ref: str | int) -> float | None:
    """The value a resolved numeric question resolved to (None while it is not resolved)."""
    row = db.execute(
        "select resolved_value from questions where id = ? and status = 'resolved'",
        [question_id(db, ref)],
    ).fetchone()
    return None if row is None or row[0] is None else float(row[0])


def resolved_values(db: Database) -> dict[int, tuple[float, str | None]]:
    """Every resolved numeric question's (value, resolved_at) by question id."""
    return {
        qid: (float(value), at)
        for qid, value, at in db.execute(
            "select id, resolved_value, resolved_at from questions"
            " where status = 'resolved' and kind in ('numeric', 'date')"
            " and resolved_value is not null"
        )
    }
