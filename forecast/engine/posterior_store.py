"""The stored model posterior (table ``model_posteriors``): the engine's point posterior per
question and outcome, refreshed inside the transaction that changed a prior or an item of
evidence, so that SQL tools (Datasette, sqlite-utils) read the number the tool shows.

``forecast.workspace.open_workspace`` registers ``refresh`` as the workspace's model hook
(``questions.workspace.on_model_change``); the stores below call the hook, never this module."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlite_utils import Database

from forecast.engine import bayes
from questions import clock
from questions.records import chunks
from questions.workspace import has_table

TABLE = "model_posteriors"


def refresh(db: Database, question_ids: Sequence[int]) -> None:
    """Recompute and store the posterior of these questions (call inside the write)."""
    if not question_ids or not has_table(db, TABLE):
        return
    now = clock.now_iso()
    priors: dict[int, list[tuple[int, str, float]]] = {}
    for chunk in chunks(list(question_ids), 900):
        marks = ",".join("?" * len(chunk))
        for qid, position, name, prior in db.execute(
            f"select question_id, position, name, prior from outcomes where question_id in ({marks})"  # noqa: S608
            " order by question_id, position",
            chunk,
        ):
            priors.setdefault(qid, []).append((position, name, prior))
    evidence = _engine_columns(db, list(priors)) if _has_evidence(db) else {}
    rows: list[tuple[int, int, str, float, float, int, str]] = []
    for qid, outcomes in priors.items():
        prior = [p for _, _, p in outcomes]
        columns = evidence.get(qid)
        if columns:
            likelihoods = np.array(json.loads("[" + ",".join(columns[0]) + "]"), dtype=float)
            posterior = bayes.point_posterior(
                prior, likelihoods, np.array(columns[1], dtype=float), columns[2], columns[3]
            ).tolist()
        else:
            posterior = prior
        count = len(columns[0]) if columns else 0
        rows.extend(
            (qid, position, name, p0, post, count, now)
            for (position, name, p0), post in zip(outcomes, posterior, strict=True)
        )
    stored = _stored(db, list(priors))
    changed = sorted(
        {r[0] for r in rows if stored.get((r[0], r[1])) != r[2:6]} | set(stored_only(stored, rows))
    )
    rows = [r for r in rows if r[0] in set(changed)]
    for chunk in chunks(changed, 900):
        marks = ",".join("?" * len(chunk))
        db.execute(f"delete from {TABLE} where question_id in ({marks})", chunk)  # noqa: S608
    db.conn.executemany(
        f"insert into {TABLE} (question_id, position, outcome, prior, posterior, evidence_items,"  # noqa: S608
        " updated_at) values (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def refresh_missing(db: Database) -> None:
    """Fill the rows of questions that have none (a workspace upgraded to this table)."""
    if not has_table(db, TABLE):
        return
    missing = [
        r[0]
        for r in db.execute(
            f"select id from questions where id not in (select question_id from {TABLE})"  # noqa: S608
        )
    ]
    if missing:
        from questions.workspace import write_transaction

        with write_transaction(db):
            refresh(db, missing)


def _stored(db: Database, question_ids: list[int]) -> dict[tuple[int, int], tuple[object, ...]]:
    found: dict[tuple[int, int], tuple[object, ...]] = {}
    for chunk in chunks(question_ids, 900):
        marks = ",".join("?" * len(chunk))
        for qid, position, *values in db.execute(
            f"select question_id, position, outcome, prior, posterior, evidence_items from {TABLE}"  # noqa: S608
            f" where question_id in ({marks})",
            chunk,
        ):
            found[(qid, position)] = tuple(values)
    return found


def stored_only(
    stored: dict[tuple[int, int], tuple[object, ...]], rows: Sequence[tuple[Any, ...]]
) -> set[int]:
    """Questions with a stored row for an outcome they no longer have."""
    fresh = {(r[0], r[1]) for r in rows}
    return {key[0] for key in stored if key not in fresh}


def _engine_columns(db: Database, question_ids: list[int]) -> dict[int, tuple[list[Any], ...]]:
    """Per question, the live items' likelihoods (JSON text), credibility, group and redundancy:
    only what the point posterior needs, read without building an item object per row (a nudge
    on a question with 1,000 items refreshes its row inside the edit's transaction)."""
    found: dict[int, tuple[list[Any], ...]] = {}
    for chunk in chunks(question_ids, 900):
        marks = ",".join("?" * len(chunk))
        for qid, likelihoods, credibility, group, rho in db.execute(
            "select e.question_id, e.likelihoods, e.credibility, e.group_name, g.rho"  # noqa: S608
            " from evidence e left join evidence_groups g"
            " on g.question_id = e.question_id and g.name = e.group_name"
            f" where e.question_id in ({marks}) and e.removed_at is null"
            " order by e.question_id, e.id",
            chunk,
        ):
            columns = found.setdefault(qid, ([], [], [], []))
            columns[0].append(likelihoods)
            columns[1].append(credibility)
            columns[2].append(group)
            columns[3].append(rho)
    return found


def _has_evidence(db: Database) -> bool:
    return has_table(db, "evidence")
