"""Links in bundles: export a question's conditions, conditional forecasts and indicators (as the
child), and merge them into a workspace after every question of the bundle is in.

A link whose parent is neither in the bundle nor in the workspace refuses the whole bundle, and so
does one that would close a cycle with the workspace's links. Removed links travel too (removed
indicators with their ``removed_at``, removed conditions as tombstones); how they merge is in
``merge_link_removals``. Forecasts that a resolved parent
made of conditional forecasts are not exported: the importing workspace makes them itself from the
conditional forecasts and the parent's resolution (``sync_conditionals``).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from forecast.exchange.bundle_models import Bundle
from forecast.exchange.merge_base import MergeReport
from forecast.exchange.merge_link_removals import (
    apply_condition_removals,
    condition_removed_here,
    indicator_held_here,
    known_indicator,
)
from questions.conditions import check_new_edge, sync_conditionals
from questions.errors import InvalidInput


def export_links(db: Database, qid: int) -> dict[str, Any]:
    """This question's links as the child, in bundle form."""
    if "question_conditions" not in db.table_names():
        return {}
    data: dict[str, Any] = {
        "conditions": [
            {"uuid": u, "parent": p, "created_at": at, "created_by": by}
            for u, p, at, by in db.execute(
                "select c.uuid, q.uuid, c.created_at, c.created_by from question_conditions c"
                " join questions q on q.id = c.parent_id where c.child_id = ? order by q.uuid",
                [qid],
            )
        ],
        "conditional_forecasts": [
            {
                "parent": parent,
                "parent_outcome": outcome,
                "forecaster": who,
                "made_at": at,
                "probs": [p, 1 - p] if probs is None else json.loads(probs),
                "rationale": why,
                "recorded_at": recorded,
                "origin": origin,
            }
            for parent, outcome, who, at, p, probs, why, recorded, origin in db.execute(
                "select q.uuid, o.name, c.forecaster, c.made_at, c.p, c.probs, c.rationale,"
                " c.recorded_at, c.origin from conditional_forecasts c"
                " join questions q on q.id = c.parent_id join outcomes o on o.id = c.parent_outcome_id"
                " where c.question_id = ? order by c.made_at, c.forecaster, q.uuid, o.position",
                [qid],
            )
        ],
    }
    if "indicators" in db.table_names():
        data["indicators"] = [
            {
                "uuid": u,
                "parent": p,
                "likelihoods": json.loads(a),
                "credibility": c,
                "group": g,
                "created_at": at,
                "created_by": by,
                "removed_at": rat,
                "removed_by": rby,
            }
            for u, p, a, c, g, at, by, rat, rby in db.execute(
                "select i.uuid, q.uuid, i.likelihoods, i.credibility, i.group_name, i.created_at,"
                " i.created_by, i.removed_at, i.removed_by from indicators i"
                " join questions q on q.id = i.parent_id where i.child_id = ? order by i.uuid",
                [qid],
            )
        ]
    if "condition_removals" in db.table_names():
        data["removed_conditions"] = [
            {
                "uuid": u,
                "parent": p,
                "created_at": at,
                "created_by": by,
                "removed_at": rat,
                "removed_by": rby,
            }
            for u, p, at, by, rat, rby in db.execute(
                "select r.uuid, q.uuid, r.created_at, r.created_by, r.removed_at, r.removed_by"
                " from condition_removals r join questions q on q.id = r.parent_id"
                " where r.child_id = ? order by r.removed_at, r.uuid",
                [qid],
            )
        ]
    return data


def with_links(db: Database, qid: int, data: dict[str, Any]) -> dict[str, Any]:
    """An exported question with its links, its evidence's indicators, and without the forecasts
    its parents' resolutions made of conditional forecasts."""
    data.update(export_links(db, qid))
    realised = realised_forecast_ids(db, qid)
    if realised:
        marks = ",".join("?" * len(realised))
        made = set(
            db.execute(
                f"select forecaster, made_at from forecasts where id in ({marks})",  # noqa: S608
                sorted(realised),
            ).fetchall()
        )
        data["forecasts"] = [
            f for f in data["forecasts"] if (f["forecaster"], f["made_at"]) not in made
        ]
    made_by = evidence_indicators(db, qid)
    for item in data["evidence"]:
        if item["uuid"] in made_by:
            item["indicator"], item["indicator_outcome"] = made_by[item["uuid"]]
    return data


def realised_forecast_ids(db: Database, qid: int) -> set[int]:
    """Forecasts a parent's resolution made of conditional forecasts (left out of bundles)."""
    if "conditional_forecasts" not in db.table_names():
        return set()
    return {
        r[0]
        for r in db.execute(
            "select forecast_id from conditional_forecasts where question_id = ?"
            " and forecast_id is not null",
            [qid],
        )
    }


def evidence_indicators(db: Database, qid: int) -> dict[str, tuple[str, str]]:
    """Evidence UUID -> (indicator UUID, outcome) for the items indicators made."""
    if "indicators" not in db.table_names():
        return {}
    return {
        e: (i, outcome)
        for e, i, outcome in db.execute(
            "select e.uuid, i.uuid, e.indicator_outcome from evidence e"
            " join indicators i on i.id = e.indicator_id where e.question_id = ?",
            [qid],
        )
    }


def _question(db: Database, uuid: str, where: str) -> int:
    row = db.execute("select id from questions where uuid = ?", [uuid]).fetchone()
    if row is None:
        raise InvalidInput(
            f"bundle: {where}: question {uuid} is neither in the bundle nor in this workspace; "
            "nothing imported"
        )
    return int(row[0])


def merge_links(db: Database, bundle: Bundle, report: MergeReport) -> None:
    """Add the bundle's links (inside the import's transaction, after its questions)."""
    parents_with_forecasts: set[int] = set()
    for question in bundle.questions:
        child = _question(db, question.uuid, "question")
        parents = {
            r.parent: row[0]
            for r in question.removed_conditions
            if (row := db.execute("select id from questions where uuid = ?", [r.parent]).fetchone())
        }
        apply_condition_removals(db, child, question, parents, report)
        for i, cond in enumerate(question.conditions):
            parent = _question(db, cond.parent, f"Q{child}.conditions[{i}].parent")
            if db.execute(
                "select 1 from question_conditions where child_id = ? and parent_id = ?",
                [child, parent],
            ).fetchone():
                report.skipped["conditions"] += 1
                continue
            if condition_removed_here(db, child, parent, cond, question, report):
                continue
            check_new_edge(db, parent, child, field=f"bundle: Q{child}.conditions[{i}]")
            db.execute(
                "insert into question_conditions (child_id, parent_id, uuid, created_at, created_by)"
                " values (?, ?, ?, ?, ?)",
                [child, parent, cond.uuid, cond.created_at, cond.created_by],
            )
            report.added["conditions"] += 1
        for i, cf in enumerate(question.conditional_forecasts):
            parent = _question(db, cf.parent, f"Q{child}.conditional_forecasts[{i}].parent")
            outcome = db.execute(
                "select id from outcomes where question_id = ? and name = ? collate nocase",
                [parent, cf.parent_outcome],
            ).fetchone()
            if outcome is None:
                raise InvalidInput(
                    f"bundle: Q{child}.conditional_forecasts[{i}].parent_outcome: "
                    f"{cf.parent_outcome!r} is not an outcome of Q{parent}; nothing imported"
                )
            binary = question.kind == "binary"
            if db.execute(
                "select 1 from conditional_forecasts where question_id = ? and parent_id = ? and"
                " parent_outcome_id = ? and forecaster = ? and made_at = ?",
                [child, parent, outcome[0], cf.forecaster, cf.made_at],
            ).fetchone():
                report.skipped["conditional_forecasts"] += 1
                continue
            db.execute(
                "insert into conditional_forecasts (question_id, parent_id,"
                " parent_outcome_id, forecaster, made_at, p, probs, rationale, recorded_at, origin)"
                " values (?,?,?,?,?,?,?,?,?,?)",
                [
                    child,
                    parent,
                    outcome[0],
                    cf.forecaster,
                    cf.made_at,
                    cf.probs[0] if binary else None,
                    None if binary else json.dumps(cf.probs),
                    cf.rationale,
                    cf.recorded_at,
                    cf.origin,
                ],
            )
            report.added["conditional_forecasts"] += 1
            parents_with_forecasts.add(parent)
        for i, ind in enumerate(question.indicators):
            parent = _question(db, ind.parent, f"Q{child}.indicators[{i}].parent")
            if known_indicator(db, child, parent, ind, report):
                continue
            outcomes = db.execute(
                "select count(*) from outcomes where question_id = ?", [parent]
            ).fetchone()[0]
            if len(ind.likelihoods) != outcomes:
                raise InvalidInput(
                    f"bundle: Q{child}.indicators[{i}].likelihoods: {len(ind.likelihoods)} values for "
                    f"{outcomes} outcomes of Q{parent}; nothing imported"
                )
            if ind.removed_at is None:
                if indicator_held_here(db, child, parent, ind, report):
                    continue
                check_new_edge(db, child, parent, field=f"bundle: Q{child}.indicators[{i}]")
            db.execute(
                "insert into indicators (uuid, parent_id, child_id, likelihoods, credibility,"
                " group_name, created_at, created_by, removed_at, removed_by)"
                " values (?,?,?,?,?,?,?,?,?,?)",
                [
                    ind.uuid,
                    parent,
                    child,
                    json.dumps(ind.likelihoods),
                    ind.credibility,
                    ind.group,
                    ind.created_at,
                    ind.created_by,
                    ind.removed_at,
                    ind.removed_by,
                ],
            )
            report.added["indicators"] += 1
    for question in bundle.questions:
        for item in question.evidence:
            if item.indicator is None:
                continue
            db.execute(
                "update evidence set indicator_id = (select id from indicators where uuid = ?),"
                " indicator_outcome = ? where uuid = ?",
                [item.indicator, item.indicator_outcome, item.uuid],
            )
    for parent in sorted(parents_with_forecasts):
        sync_conditionals(db, parent, by="bundle")
