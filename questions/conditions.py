"""Conditions between questions and conditional forecasts.

``add_condition(db, CHILD, PARENT)`` says CHILD may be forecast given each outcome of PARENT.
``record_conditional_forecast`` stores a forecast of CHILD given PARENT = an outcome (append-only,
as ordinary forecasts). When PARENT resolves to o, each conditional forecast given o is copied into
``forecasts`` at its own time (so it is scored like any forecast made then); those given another
outcome are kept but void. ``sync_conditionals`` reconciles this with PARENT's current resolution,
so an unresolve (or a corrected resolution) undoes it; ``link_events`` says what happened.

Links between questions never form a cycle: the information-flow graph (a condition runs from
PARENT to CHILD; an indicator, kept by the arguments layer in table ``indicators``, from its CHILD
to the PARENT whose evidence it becomes) is checked on every new link.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from . import clock
from .errors import InvalidInput
from .store import checked_forecast, get_question, outcome_index, question_id
from .workspace import write_transaction


@dataclass(frozen=True)
class ConditionalForecast:
    id: int
    question_id: int
    parent_id: int
    parent_position: int
    parent_outcome: str
    forecaster: str
    made_at: str
    probs: list[float]
    rationale: str
    forecast_id: int | None


def info_edges(db: Database) -> dict[int, set[int]]:
    """Where information flows between questions: PARENT -> CHILD for a condition, CHILD -> PARENT
    for an indicator (its resolution becomes PARENT's evidence)."""
    edges: dict[int, set[int]] = {}
    for parent, child in db.execute("select parent_id, child_id from question_conditions"):
        edges.setdefault(parent, set()).add(child)
    if "indicators" in db.table_names():
        for parent, child in db.execute(
            "select parent_id, child_id from indicators where removed_at is null"
        ):
            edges.setdefault(child, set()).add(parent)
    return edges


def path_between(edges: dict[int, set[int]], start: int, goal: int) -> list[int] | None:
    """A shortest path ``start`` -> ... -> ``goal`` along ``edges``, or None."""
    back: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while back[path[-1]] is not None:
                path.append(back[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for nxt in sorted(edges.get(node, ())):
            if nxt not in back:
                back[nxt] = node
                queue.append(nxt)
    return None


def check_new_edge(db: Database, source: int, target: int, *, field: str) -> None:
    """Refuse a link that would make information flow ``source`` -> ``target`` if that closes a
    cycle (or links a question to itself); the message names the cycle."""
    if source == target:
        raise InvalidInput(f"{field}: Q{source} cannot be linked to itself")
    path = path_between(info_edges(db), target, source)
    if path is not None:
        cycle = " -> ".join(f"Q{q}" for q in [source, *path])
        raise InvalidInput(f"{field}: this link would make a cycle {cycle} (links may not loop)")


def check_open_parent(db: Database, parent: int, *, field: str) -> None:
    status = db.execute("select status from questions where id = ?", [parent]).fetchone()[0]
    if status in ("resolved", "annulled"):
        raise InvalidInput(
            f"{field}: Q{parent} is already {status}; a link needs an unresolved parent"
        )


def add_condition(db: Database, child_ref: str | int, parent_ref: str | int, *, by: str) -> bool:
    """Declare that CHILD may be forecast given each outcome of PARENT. Returns False if it was
    already declared."""
    child, parent = question_id(db, child_ref), question_id(db, parent_ref)
    with write_transaction(db):
        if db.execute(
            "select 1 from question_conditions where child_id = ? and parent_id = ?",
            [child, parent],
        ).fetchone():
            return False
        check_new_edge(db, parent, child, field="condition")
        check_open_parent(db, parent, field="on")
        db.execute(
            "insert into question_conditions (child_id, parent_id, uuid, created_at, created_by)"
            " values (?, ?, ?, ?, ?)",
            [child, parent, str(uuidlib.uuid4()), clock.now_iso(), by],
        )
    return True


def remove_condition(db: Database, child_ref: str | int, parent_ref: str | int, *, by: str) -> None:
    """Withdraw the declaration that CHILD may be forecast given PARENT.

    Refused (one line, nothing changed) while conditional forecasts of CHILD given PARENT exist:
    forecasts are append-only, and without the link they could neither be scored nor shown. The
    removal is audited: ``link_events`` of CHILD and PARENT say who declared it, when, and who
    removed it, and ``condition_removals`` keeps its tombstone (bundles carry it)."""
    child, parent = question_id(db, child_ref), question_id(db, parent_ref)
    with write_transaction(db):
        row = db.execute(
            "select created_at, created_by, uuid from question_conditions"
            " where child_id = ? and parent_id = ?",
            [child, parent],
        ).fetchone()
        if row is None:
            raise InvalidInput(
                f"condition: Q{child} is not conditional on Q{parent} (nothing to remove)"
            )
        held = db.execute(
            "select count(*), count(forecast_id) from conditional_forecasts"
            " where question_id = ? and parent_id = ?",
            [child, parent],
        ).fetchone()
        if held[0]:
            scored = f", {held[1]} already scored" if held[1] else ""
            raise InvalidInput(
                f"condition: Q{child} has {held[0]} conditional forecast(s) given Q{parent}"
                f"{scored}; a condition with forecasts stays (they would be lost)"
            )
        db.execute(
            "delete from question_conditions where child_id = ? and parent_id = ?", [child, parent]
        )
        now = clock.now_iso()
        db.execute(
            "insert into condition_removals (uuid, child_id, parent_id, created_at, created_by,"
            " removed_at, removed_by) values (?, ?, ?, ?, ?, ?, ?) on conflict (uuid) do update"
            " set removed_at = excluded.removed_at, removed_by = excluded.removed_by",
            [row[2], child, parent, row[0], row[1], now, by],
        )
        declared = f"declared by {row[1]} at {row[0]}"
        for qid, text in (
            (child, f"condition on Q{parent} removed ({declared})"),
            (parent, f"condition of Q{child} on this question removed ({declared})"),
        ):
            db.execute(
                "insert into link_events (question_id, at, by, text) values (?, ?, ?, ?)",
                [qid, now, by, text],
            )


def condition_rows(db: Database, qid: int | None = None) -> list[dict[str, object]]:
    """Every condition (or those with ``qid`` as child or parent), with who declared it and how
    many conditional forecasts it holds."""
    clause = " where c.child_id = ?1 or c.parent_id = ?1" if qid is not None else ""
    rows = db.execute(
        "select c.child_id, c.parent_id, c.created_at, c.created_by,"  # noqa: S608
        " (select count(*) from conditional_forecasts f"
        "  where f.question_id = c.child_id and f.parent_id = c.parent_id)"
        f" from question_conditions c{clause} order by c.child_id, c.parent_id",
        [qid] if qid is not None else [],
    ).fetchall()
    return [
        {
            "child": f"Q{child}",
            "parent": f"Q{parent}",
            "created_at": at,
            "created_by": who,
            "conditional_forecasts": n,
        }
        for child, parent, at, who, n in rows
    ]


def parents_of(db: Database, child: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "select parent_id from question_conditions where child_id = ? order by parent_id",
            [child],
        )
    ]


def children_of(db: Database, parent: int) -> list[int]:
    return [
        r[0]
        for r in db.execute(
            "select child_id from question_conditions where parent_id = ? order by child_id",
            [parent],
        )
    ]


def parse_given(text: str) -> tuple[str, str]:
    """``Q3=Yes`` -> ("Q3", "Yes")."""
    ref, sep, outcome = text.partition("=")
    if not sep or not ref.strip() or not outcome.strip():
        raise InvalidInput(f"given: {text!r} is not PARENT=OUTCOME (e.g. Q3=Yes)")
    return ref.strip(), outcome.strip()


def record_conditional_forecast(
    db: Database,
    ref: str | int,
    *,
    given: str,
    forecaster: str,
    p_yes: float | None = None,
    probs: Sequence[float] | None = None,
    made_at: str | None = None,
    rationale: str = "",
    origin: str = "cli",
) -> ConditionalForecast:
    """Append a forecast of ``ref`` given ``PARENT=OUTCOME`` (a declared, unresolved condition)."""
    question = get_question(db, ref)
    parent_ref, outcome = parse_given(given)
    parent = get_question(db, parent_ref)
    if parent.id not in parents_of(db, question.id):
        raise InvalidInput(
            f"given: {question.short_id} is not conditional on {parent.short_id} "
            f"(`forecastle condition {question.short_id} --on {parent.short_id}` first)"
        )
    try:
        position = outcome_index(parent, outcome)
    except InvalidInput as exc:
        raise InvalidInput(f"given: {str(exc).removeprefix('outcome: ')}") from None
    if parent.status in ("resolved", "annulled"):
        raise InvalidInput(
            f"given: {parent.short_id} is already {parent.status}; forecast "
            f"{question.short_id} directly"
        )
    forecast = checked_forecast(
        question,
        forecaster=forecaster,
        p_yes=p_yes,
        probs=probs,
        made_at=made_at,
        rationale=rationale,
    )
    when = forecast.made_at
    binary = question.kind == "binary"
    outcome_row = db.execute(
        "select id from outcomes where question_id = ? and position = ?", [parent.id, position]
    ).fetchone()[0]
    try:
        with write_transaction(db):
            cursor = db.execute(
                "insert into conditional_forecasts (question_id, parent_id, parent_outcome_id,"
                " forecaster, made_at, p, probs, rationale, recorded_at, origin)"
                " values (?,?,?,?,?,?,?,?,?,?)",
                [
                    question.id,
                    parent.id,
                    outcome_row,
                    forecast.forecaster,
                    when,
                    forecast.probs[0] if binary else None,
                    None if binary else json.dumps(forecast.probs),
                    rationale,
                    clock.now_iso(),
                    origin,
                ],
            )
    except sqlite3.IntegrityError:
        raise InvalidInput(
            f"forecast: {forecast.forecaster} already has a forecast on {question.short_id} given "
            f"{parent.short_id}={parent.outcomes[position].name} at {when} (use another --at)"
        ) from None
    return ConditionalForecast(
        id=int(cursor.lastrowid or 0),
        question_id=question.id,
        parent_id=parent.id,
        parent_position=position,
        parent_outcome=parent.outcomes[position].name,
        forecaster=forecast.forecaster,
        made_at=when,
        probs=list(forecast.probs),
        rationale=rationale,
        forecast_id=None,
    )


_SELECT = (
    "select c.id, c.question_id, c.parent_id, o.position, o.name, c.forecaster, c.made_at, c.p,"
    " c.probs, c.rationale, c.forecast_id from conditional_forecasts c"
    " join outcomes o on o.id = c.parent_outcome_id"
)


def _conditional(row: Sequence[object]) -> ConditionalForecast:
    p, probs = row[7], row[8]
    return ConditionalForecast(
        id=int(row[0]),  # type: ignore[call-overload]
        question_id=int(row[1]),  # type: ignore[call-overload]
        parent_id=int(row[2]),  # type: ignore[call-overload]
        parent_position=int(row[3]),  # type: ignore[call-overload]
        parent_outcome=str(row[4]),
        forecaster=str(row[5]),
        made_at=str(row[6]),
        probs=json.loads(str(probs)) if probs is not None else [float(p), 1 - float(p)],  # type: ignore[arg-type]
        rationale=str(row[9]),
        forecast_id=row[10],  # type: ignore[arg-type]
    )


def conditional_forecasts(
    db: Database, *, child: int | None = None, parent: int | None = None
) -> list[ConditionalForecast]:
    """Conditional forecasts (of one child, or given one parent) in time order."""
    clauses, params = [], []
    if child is not None:
        clauses.append("c.question_id = ?")
        params.append(child)
    if parent is not None:
        clauses.append("c.parent_id = ?")
        params.append(parent)
    where = (" where " + " and ".join(clauses)) if clauses else ""
    return [
        _conditional(r)
        for r in db.execute(f"{_SELECT}{where} order by c.made_at, c.id", params)  # noqa: S608
    ]


def standing_conditionals(
    rows: Sequence[ConditionalForecast],
) -> dict[tuple[int, int], dict[str, ConditionalForecast]]:
    """(parent, parent outcome position) -> forecaster -> their latest conditional forecast."""
    standing: dict[tuple[int, int], dict[str, ConditionalForecast]] = {}
    for row in rows:
        standing.setdefault((row.parent_id, row.parent_position), {})[row.forecaster] = row
    return standing


def sync_conditionals(db: Database, parent: int, *, by: str) -> None:
    """Make the forecasts realised from conditional forecasts given ``parent`` agree with its
    current resolution (call inside the write that changed it)."""
    status, outcome_id = db.execute(
        "select status, resolved_outcome_id from questions where id = ?", [parent]
    ).fetchone()
    rows = db.execute(
        "select c.id, c.question_id, c.parent_outcome_id, o.name, c.forecaster, c.made_at, c.p,"
        " c.probs, c.rationale, c.forecast_id from conditional_forecasts c"
        " join outcomes o on o.id = c.parent_outcome_id where c.parent_id = ? order by c.id",
        [parent],
    ).fetchall()
    if not rows:
        return
    now = clock.now_iso()
    made: dict[int, int] = {}
    withdrawn: dict[int, int] = {}
    void: dict[int, int] = {}
    for cid, child, oid, name, who, at, p, probs, why, forecast_id in rows:
        wanted = status == "resolved" and oid == outcome_id
        if wanted and forecast_id is None:
            try:
                with db.atomic():
                    cursor = db.execute(
                        "insert into forecasts (question_id, forecaster, made_at, p, probs,"
                        " rationale, adopted_model, recorded_at, origin)"
                        " values (?,?,?,?,?,?,0,?,?)",
                        [
                            child,
                            who,
                            at,
                            p,
                            probs,
                            f"given Q{parent}={name}" + (f": {why}" if why else ""),
                            now,
                            f"condition:Q{parent}={name}",
                        ],
                    )
            except sqlite3.IntegrityError:  # a direct forecast at the very same instant wins
                void[child] = void.get(child, 0) + 1
                continue
            db.execute(
                "update conditional_forecasts set forecast_id = ? where id = ?",
                [cursor.lastrowid, cid],
            )
            made[child] = made.get(child, 0) + 1
        elif not wanted and forecast_id is not None:
            db.execute("update conditional_forecasts set forecast_id = null where id = ?", [cid])
            db.execute("delete from forecasts where id = ?", [forecast_id])
            withdrawn[child] = withdrawn.get(child, 0) + 1
        elif not wanted and status in ("resolved", "annulled"):
            void[child] = void.get(child, 0) + 1
    what = {"resolved": "resolved", "annulled": "annulled", "open": "unresolved"}.get(
        status, status
    )
    resolved_name = (
        db.execute("select name from outcomes where id = ?", [outcome_id]).fetchone()[0]
        if outcome_id
        else None
    )
    head = f"Q{parent} {what}" + (f" {resolved_name}" if resolved_name else "")
    for child in sorted({*made, *withdrawn, *void}):
        parts = []
        if withdrawn.get(child):
            parts.append(
                f"{withdrawn[child]} forecast(s) made from conditional forecasts withdrawn"
            )
        if made.get(child):
            parts.append(
                f"{made[child]} conditional forecast(s) given {resolved_name} became forecasts"
            )
        if void.get(child):
            parts.append(f"{void[child]} conditional forecast(s) void (never scored)")
        db.execute(
            "insert into link_events (question_id, at, by, text) values (?, ?, ?, ?)",
            [child, now, by, f"{head}: " + "; ".join(parts)],
        )


def link_events(db: Database, qid: int) -> list[dict[str, str]]:
    """The audit trail of what resolutions did to this question through its links."""
    return [
        {"at": at, "by": by, "text": text}
        for at, by, text in db.execute(
            "select at, by, text from link_events where question_id = ? order by id", [qid]
        )
    ]


def conditional_counts(db: Database, question_ids: Sequence[int] | None = None) -> dict[str, int]:
    """How many conditional forecasts were scored (their parent resolved to their outcome and they
    became forecasts), void (the parent resolved otherwise, or was annulled) and pending."""
    rows = db.execute(
        "select c.question_id, c.forecast_id, q.status, q.resolved_outcome_id = c.parent_outcome_id"
        " from conditional_forecasts c join questions q on q.id = c.parent_id"
    ).fetchall()
    wanted = None if question_ids is None else set(question_ids)
    counts = {"scored": 0, "void": 0, "pending": 0}
    for child, forecast_id, status, _matches in rows:
        if wanted is not None and child not in wanted:
            continue
        if forecast_id is not None:
            counts["scored"] += 1
        elif status in ("resolved", "annulled"):
            counts["void"] += 1
        else:
            counts["pending"] += 1
    return counts
