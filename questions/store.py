"""Store functions for questions, outcomes, forecasts and resolutions.

Each takes the workspace ``Database`` as its first argument; none keeps a global connection.
Writes run in one transaction each; SQL takes user values only as parameters.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import uuid as uuidlib
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from sqlite_utils import Database

from . import clock
from .errors import Conflict, InvalidInput, NotFound
from .models import Forecast, Outcome, Question, QuestionDraft, Resolution, checked
from .question_history import record_question_history
from .records import QuestionRecord, load_question_records, question_records
from .row_ids import row_number
from .workspace import model_changed, resolution_changed, write_transaction


def question_id(db: Database, ref: str | int) -> int:
    """The row id of a question named ``Q12``, ``q12`` or ``12``."""
    number = row_number(str(ref), "Q")
    if number is not None:
        if db.execute("select 1 from questions where id = ?", [number]).fetchone():
            return number
    raise NotFound(f"question {ref}: no such question (see `forecastle question list`)")


def add_question(db: Database, draft: QuestionDraft, *, author: str) -> Question:
    """Create a question with its outcomes and tags; returns it as stored."""
    now = clock.now_iso()
    with write_transaction(db):
        cursor = db.execute(
            "insert into questions (uuid, title, description, criteria, kind, opens_at, closes_at,"
            " created_at, created_by, updated_at, updated_by) values (?,?,?,?,?,?,?,?,?,?,?)",
            [
                str(uuidlib.uuid4()),
                draft.title,
                draft.description,
                draft.criteria,
                draft.kind,
                draft.opens_at,
                draft.closes_at,
                now,
                author,
                now,
                author,
            ],
        )
        qid = int(cursor.lastrowid or 0)
        _insert_outcomes(db, qid, draft.outcomes())
        _record_priors(db, qid, [o.prior for o in draft.outcomes()], now, author)
        db.conn.executemany(
            "insert into question_tags (question_id, tag) values (?, ?)",
            [(qid, tag) for tag in draft.tags],
        )
        record_question_history(db, qid, "added", now, author)
        model_changed(db, [qid])
    return get_question(db, qid)


def _insert_outcomes(db: Database, qid: int, outcomes: Iterable[Outcome]) -> None:
    db.conn.executemany(
        "insert into outcomes (question_id, position, name, prior) values (?, ?, ?, ?)",
        [(qid, o.position, o.name, o.prior) for o in outcomes],
    )


def _record_priors(db: Database, qid: int, priors: Sequence[float], at: str, by: str) -> None:
    db.execute(
        "insert into prior_history (question_id, priors, changed_at, changed_by) values (?, ?, ?, ?)",
        [qid, json.dumps(list(priors)), at, by],
    )


def prior_history(db: Database, ref: str | int) -> list[tuple[str, str, list[float]]]:
    """Every prior the question has had: (changed_at, changed_by, priors), oldest first."""
    qid = question_id(db, ref)
    return [
        (at, by, json.loads(priors))
        for at, by, priors in db.execute(
            "select changed_at, changed_by, priors from prior_history where question_id = ? order by id",
            [qid],
        )
    ]


def get_question(db: Database, ref: str | int) -> Question:
    """One question with outcomes, tags and current resolution."""
    qid = question_id(db, ref)
    return _load_questions(db, "where q.id = ?", [qid])[0]


def list_questions(
    db: Database, *, status: str = "all", tag: str | None = None, text: str | None = None
) -> list[Question]:
    """Questions in id order, filtered by status (``closed`` = open but past its close date),
    tag and a case-insensitive text match on the title."""
    return [
        question_from_record(r) for r in question_records(db, status=status, tag=tag, text=text)
    ]


def _load_questions(db: Database, where: str, params: Sequence[object]) -> list[Question]:
    return [question_from_record(r) for r in load_question_records(db, where, params)]


def question_from_record(record: QuestionRecord) -> Question:
    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    fields["outcomes"] = [
        Outcome.model_construct(name=o.name, prior=o.prior, position=o.position)
        for o in record.outcomes
    ]
    return Question.model_construct(**fields)


def outcome_index(question: Question, name: str) -> int:
    """The position of an outcome named by the user (case-insensitive; yes/no/1/0/true/false
    for binary questions)."""
    wanted = name.strip().lower()
    if question.kind == "binary":
        wanted = {"1": "yes", "true": "yes", "y": "yes", "0": "no", "false": "no", "n": "no"}.get(
            wanted, wanted
        )
    for i, outcome in enumerate(question.outcomes):
        if outcome.name.lower() == wanted:
            return i
    allowed = ", ".join(question.outcome_names)
    raise InvalidInput(f"outcome: {name!r} is not an outcome of {question.short_id} ({allowed})")


def probabilities_for(
    question: Question, p_yes: float | None, probs: Sequence[float] | None
) -> list[float]:
    """Turn a user's P(Yes) or probability vector into a validated vector for ``question``."""
    if probs is not None:
        if len(probs) != len(question.outcomes):
            raise InvalidInput(
                f"probs: {len(probs)} values for {len(question.outcomes)} outcomes of "
                f"{question.short_id} ({', '.join(question.outcome_names)})"
            )
        return list(probs)
    if p_yes is None:
        raise InvalidInput("probability: give P(Yes) or --probs")
    if question.kind != "binary":
        raise InvalidInput(
            f"probability: {question.short_id} has {len(question.outcomes)} outcomes; "
            "give one per outcome with --probs 0.2,0.5,0.3"
        )
    return [p_yes, 1 - p_yes]


def checked_forecast(
    question: Question,
    *,
    forecaster: str,
    p_yes: float | None,
    probs: Sequence[float] | None,
    made_at: str | None,
    rationale: str,
    adopted_model: bool = False,
    took_recalibration: bool = False,
) -> Forecast:
    """A forecast on ``question`` checked as every writer checks it (a probability in [0, 1] or
    one per outcome summing to 1, a named forecaster, an ISO time, default now), not stored."""
    if p_yes is not None and not (0.0 <= p_yes <= 1.0):
        raise InvalidInput(f"probability: {p_yes!r} is not allowed (a probability in [0, 1])")
    return checked(
        Forecast,
        question_id=question.id,
        forecaster=forecaster.strip(),
        made_at=clock.parse_iso(made_at, field="at") if made_at else clock.now_iso(),
        probs=probabilities_for(question, p_yes, probs),
        rationale=rationale,
        adopted_model=adopted_model,
        took_recalibration=took_recalibration,
    )


def record_forecast(
    db: Database,
    ref: str | int,
    *,
    forecaster: str,
    p_yes: float | None = None,
    probs: Sequence[float] | None = None,
    made_at: str | None = None,
    rationale: str = "",
    adopted_model: bool = False,
    took_recalibration: bool = False,
    origin: str = "cli",
) -> Forecast:
    """Append a forecast. A forecast never replaces an earlier one."""
    question = get_question(db, ref)
    forecast = checked_forecast(
        question,
        forecaster=forecaster,
        p_yes=p_yes,
        probs=probs,
        made_at=made_at,
        rationale=rationale,
        adopted_model=adopted_model,
        took_recalibration=took_recalibration,
    )
    when = forecast.made_at
    binary = question.kind == "binary"
    try:
        with write_transaction(db):
            db.execute(
                "insert into forecasts (question_id, forecaster, made_at, p, probs, rationale,"
                " adopted_model, took_recalibration, recorded_at, origin)"
                " values (?,?,?,?,?,?,?,?,?,?)",
                [
                    question.id,
                    forecast.forecaster,
                    when,
                    forecast.probs[0] if binary else None,
                    None if binary else json.dumps(forecast.probs),
                    rationale,
                    int(adopted_model),
                    int(took_recalibration),
                    clock.now_iso(),
                    origin,
                ],
            )
    except sqlite3.IntegrityError:
        raise Conflict(
            f"forecast: {forecast.forecaster} already has a forecast on {question.short_id} "
            f"at {when}; forecasts are append-only (use another --at)"
        ) from None
    return forecast


def forecasts_for(db: Database, ref: str | int, *, forecaster: str | None = None) -> list[Forecast]:
    """All forecasts on a question in time order (optionally one forecaster's)."""
    question = get_question(db, ref)
    sql = (
        "select forecaster, made_at, p, probs, rationale, adopted_model, took_recalibration"
        " from forecasts"
        " where question_id = ? and (p is not null or probs is not null)"
    )
    params: list[object] = [question.id]
    if forecaster:
        sql += " and forecaster = ?"
        params.append(forecaster)
    sql += " order by made_at, id"
    return [
        Forecast.model_construct(
            question_id=question.id,
            forecaster=f,
            made_at=at,
            probs=[p, 1 - p] if probs is None else json.loads(probs),
            rationale=why,
            adopted_model=bool(adopted),
            took_recalibration=bool(took),
        )
        for f, at, p, probs, why, adopted, took in db.execute(sql, params)
    ]


def latest_forecasts(
    db: Database, ref: str | int, *, before: str | None = None
) -> dict[str, Forecast]:
    """Each forecaster's standing forecast (their latest, optionally made before a time)."""
    return latest_by_forecaster(forecasts_for(db, ref), before=before)


class _Dated(Protocol):
    @property
    def forecaster(self) -> str: ...
    @property
    def made_at(self) -> str: ...


_F = TypeVar("_F", bound=_Dated)


def latest_by_forecaster(forecasts: Sequence[_F], *, before: str | None = None) -> dict[str, _F]:
    """Each forecaster's latest among ``forecasts`` (in time order, as ``forecasts_for`` gives
    them); categorical and numeric forecasts alike."""
    latest: dict[str, _F] = {}
    for forecast in forecasts:
        if before is None or forecast.made_at < before:
            latest[forecast.forecaster] = forecast
    return latest


def _set_resolution(
    db: Database, question: Question, action: str, outcome_id: int | None, at: str | None, by: str
) -> None:
    """Append to the audit trail and set the question's status; call inside the write
    transaction that checked ``question``. The update is guarded by the version that was
    checked, so a change that slipped in between is refused, never overwritten."""
    status = {"resolved": "resolved", "annulled": "annulled", "unresolved": "open"}[action]
    now = clock.now_iso()
    with write_transaction(db):
        updated = db.execute(
            "update questions set status = ?, resolved_outcome_id = ?, resolved_at = ?,"
            " updated_at = ?, updated_by = ?, version = version + 1 where id = ? and version = ?",
            [status, outcome_id, at, now, by, question.id, question.version],
        )
        if updated.rowcount != 1:
            raise Conflict(f"{question.short_id} changed while this was saved; try again")
        db.execute(
            "insert into resolutions (question_id, action, outcome_id, resolved_at, recorded_at,"
            " recorded_by) values (?,?,?,?,?,?)",
            [question.id, action, outcome_id, at, now, by],
        )
        from .conditions import sync_conditionals  # conditions reads questions through this module

        sync_conditionals(db, question.id, by=by)
        resolution_changed(db, question.id, by)


def resolve(
    db: Database, ref: str | int, outcome: str, *, by: str, at: str | None = None
) -> Question:
    """Resolve a question to one of its outcomes (a correction of an earlier resolution is kept
    in the audit trail). An annulled question must be unresolved first."""
    when = clock.parse_iso(at, field="at") if at else clock.now_iso()
    with write_transaction(db):
        question = get_question(db, ref)
        if question.status == "annulled":
            raise Conflict(
                f"{question.short_id} is annulled; `forecastle unresolve {question.short_id}` first"
            )
        index = outcome_index(question, outcome)
        row = db.execute(
            "select id from outcomes where question_id = ? and position = ?", [question.id, index]
        ).fetchone()
        _set_resolution(db, question, "resolved", row[0], when, by)
    return get_question(db, question.id)


def annul(db: Database, ref: str | int, *, by: str, at: str | None = None) -> Question:
    """Annul a question: it will not be scored."""
    when = clock.parse_iso(at, field="at") if at else clock.now_iso()
    with write_transaction(db):
        question = get_question(db, ref)
        if question.status == "annulled":
            raise Conflict(f"{question.short_id} is already annulled")
        _set_resolution(db, question, "annulled", None, when, by)
    return get_question(db, question.id)


def unresolve(db: Database, ref: str | int, *, by: str) -> Question:
    """Reopen a resolved or annulled question."""
    with write_transaction(db):
        question = get_question(db, ref)
        if question.status not in ("resolved", "annulled"):
            raise Conflict(f"{question.short_id} is not resolved")
        _set_resolution(db, question, "unresolved", None, None, by)
    return get_question(db, question.id)


def resolution_history(db: Database, ref: str | int) -> list[Resolution]:
    """The audit trail of a question's resolution, oldest first."""
    qid = question_id(db, ref)
    return [
        Resolution(
            question_id=qid,
            action=action,
            outcome=name,
            resolved_at=at,
            recorded_at=recorded_at,
            recorded_by=by,
        )
        for action, name, at, recorded_at, by in db.execute(
            "select r.action, o.name, r.resolved_at, r.recorded_at, r.recorded_by"
            " from resolutions r left join outcomes o on o.id = r.outcome_id"
            " where r.question_id = ? order by r.id",
            [qid],
        )
    ]


def set_priors(
    db: Database,
    ref: str | int,
    priors: Sequence[float],
    *,
    by: str,
    expected_version: int | None = None,
) -> Question:
    """Replace a question's priors (normalised weights). Refused as a conflict if the question
    changed since ``expected_version``."""
    question = get_question(db, ref)
    draft = checked(
        QuestionDraft,
        title=question.title,
        outcome_names=[] if question.kind == "binary" else question.outcome_names,
        priors=[priors[0]] if question.kind == "binary" and len(priors) == 2 else list(priors),
    )
    now = clock.now_iso()
    with write_transaction(db):
        bump_version(db, "questions", question.id, expected_version, by, now)
        db.conn.executemany(
            "update outcomes set prior = ? where question_id = ? and position = ?",
            [(o.prior, question.id, o.position) for o in draft.outcomes()],
        )
        _record_priors(db, question.id, [o.prior for o in draft.outcomes()], now, by)
        model_changed(db, [question.id])
    return get_question(db, question.id)


def bump_version(
    db: Database, table: str, row_id: int, expected: int | None, by: str, now: str
) -> None:
    """Bump a versioned row; refuse if ``expected`` is stale. ``table`` is a fixed name from code."""
    params: list[object] = [now, by, row_id]
    sql = f"update [{table}] set version = version + 1, updated_at = ?, updated_by = ? where id = ?"  # noqa: S608
    if expected is not None:
        sql += " and version = ?"
        params.append(expected)
    if db.execute(sql, params).rowcount == 0:
        who = db.execute(
            f"select updated_by, updated_at, version from [{table}] where id = ?",  # noqa: S608
            [row_id],
        ).fetchone()
        raise Conflict(
            f"changed by {who[0]} at {who[1]} (now version {who[2]}, you edited version "
            f"{expected}); reload and try again"
        )
