"""Merging a bundle question's history (``question_history``) into a workspace: entries are
identified by (version, action, at, by), so an import adds only the ones this workspace lacks and
a second import of the same bundle adds none. When entries join a history that already had some,
the question's entries are rewritten in time order (then version), so ``question history`` reads
as it happened on both sides."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from forecast.exchange.bundle_models import BundleQuestion
from forecast.exchange.bundle_removals import change_key
from forecast.exchange.merge_base import MergeReport


def merge_history(
    db: Database, qid: int, q: BundleQuestion, local: dict[str, Any], report: MergeReport
) -> None:
    known = {change_key(c) for c in local["history"]}
    new = []
    for change in q.history:
        entry = change.model_dump()
        if change_key(entry) in known:
            report.skipped["question_history"] += 1
            continue
        known.add(change_key(entry))
        new.append(entry)
    if not new:
        return
    rows = [
        (version, action, at, by, state)
        for version, action, at, by, state in db.execute(
            "select version, action, at, by, state from question_history where question_id = ?"
            " order by id",
            [qid],
        )
    ]
    rows += [
        (e["version"], e["action"], e["at"], e["by"], json.dumps(e["state"], sort_keys=True))
        for e in new
    ]
    if len(rows) > len(new):  # joining an existing history: keep it in the order it happened
        rows.sort(key=lambda r: (r[2], r[0]))
        db.execute("delete from question_history where question_id = ?", [qid])
    db.conn.executemany(
        "insert into question_history (question_id, version, action, at, by, state)"
        " values (?, ?, ?, ?, ?, ?)",
        [(qid, *row) for row in rows],
    )
    report.added["question_history"] += len(new)
