"""Reading a workspace's rows into a bundle, and writing a bundle as stable JSON.

The JSON is pretty-printed with sorted keys and lists in a fixed order (by creation time, then
UUID; audit trails in the order they were recorded), so the same content always gives the same
bytes: a bundle diffs cleanly and reads well in a pull request.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from forecast.exchange import numeric_rows
from forecast.exchange.bundle_models import (
    FORMAT,
    SCHEMA_VERSION,
    Bundle,
    BundleQuestion,
    BundleSource,
)
from forecast.exchange.merge_links import with_links
from questions.store import question_id


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def question_ids(db: Database, refs: Sequence[str]) -> list[int]:
    """The row ids of the named questions, or of every question when none are named."""
    if refs:
        return list(dict.fromkeys(question_id(db, ref) for ref in refs))
    return [r[0] for r in db.execute("select id from questions order by created_at, uuid")]


def export_question(db: Database, qid: int) -> dict[str, Any]:
    """One question with everything attached to it, in bundle form (no local ids)."""
    (
        uuid,
        title,
        description,
        criteria,
        kind,
        status,
        opens,
        closes,
        resolved_outcome_id,
        resolved_at,
        created_at,
        created_by,
        updated_at,
        updated_by,
        version,
        removed_at,
        removed_by,
    ) = db.execute(
        "select uuid, title, description, criteria, kind, status, opens_at, closes_at, resolved_outcome_id,"
        " resolved_at, created_at, created_by, updated_at, updated_by, version, removed_at, removed_by"
        " from questions where id = ?",
        [qid],
    ).fetchone()
    outcomes = db.execute(
        "select id, name, prior from outcomes where question_id = ? order by position", [qid]
    ).fetchall()
    outcome_name = {oid: name for oid, name, _ in outcomes}
    evidence_uuid = dict(
        db.execute("select id, uuid from evidence where question_id = ?", [qid]).fetchall()
    )
    node_uuid = dict(
        db.execute("select id, uuid from tree_nodes where question_id = ?", [qid]).fetchall()
    )
    data: dict[str, Any] = {
        "uuid": uuid,
        "title": title,
        "description": description,
        "criteria": criteria,
        "kind": kind,
        "status": status,
        "opens_at": opens,
        "closes_at": closes,
        "resolved_outcome": outcome_name.get(resolved_outcome_id),
        "resolved_at": resolved_at,
        "tags": [
            r[0]
            for r in db.execute(
                "select tag from question_tags where question_id = ? order by tag", [qid]
            )
        ],
        "outcomes": [{"name": name, "prior": prior} for _, name, prior in outcomes],
        "groups": dict(
            db.execute(
                "select name, rho from evidence_groups where question_id = ?", [qid]
            ).fetchall()
        ),
        "created_at": created_at,
        "created_by": created_by,
        "updated_at": updated_at,
        "updated_by": updated_by,
        "version": version,
        "removed_at": removed_at,
        "removed_by": removed_by,
        "history": _history(db, qid),
        "prior_history": [
            {"priors": json.loads(priors), "changed_at": at, "changed_by": by}
            for priors, at, by in db.execute(
                "select priors, changed_at, changed_by from prior_history where question_id = ? order by id",
                [qid],
            )
        ],
        "resolutions": [
            {
                "action": action,
                "outcome": outcome_name.get(oid),
                "resolved_at": at,
                "recorded_at": rec,
                "recorded_by": by,
                "value": value,
            }
            for action, oid, at, rec, by, value in db.execute(
                "select action, outcome_id, resolved_at, recorded_at, recorded_by, value from resolutions"
                " where question_id = ? order by id",
                [qid],
            )
        ],
        "forecasts": numeric_rows.forecasts(db, qid)
        if kind in numeric_rows.NUMERIC_KINDS
        else _forecasts(db, qid),
        "evidence": _evidence(db, qid, evidence_uuid),
        "tree": _tree(db, qid, node_uuid, evidence_uuid),
        "comments": _comments(db, qid, [name for _, name, _ in outcomes], evidence_uuid, node_uuid),
        "challenges": [
            {
                "uuid": u,
                "evidence": evidence_uuid[eid],
                "proposer": who,
                "likelihoods": json.loads(liks),
                "reason": reason,
                "status": status,
                "created_at": at,
                "decided_by": dby,
                "decided_at": dat,
                "decision_reason": why,
            }
            for u, eid, who, liks, reason, status, at, dby, dat, why in db.execute(
                "select uuid, evidence_id, proposer, likelihoods, reason, status, created_at, decided_by,"
                " decided_at, decision_reason from challenges where question_id = ?"
                " order by created_at, uuid",
                [qid],
            )
        ],
        **numeric_rows.range_fields(db, qid),
    }
    return with_links(db, qid, data)


def _history(db: Database, qid: int) -> list[dict[str, Any]]:
    """The question's history in recorded order; a state's fields with no value are left out
    (TOML has no null, and the bundle and the text form must carry the same entry)."""
    return [
        {
            "version": version,
            "action": action,
            "at": at,
            "by": by,
            "state": {k: v for k, v in json.loads(state).items() if v is not None},
        }
        for version, action, at, by, state in db.execute(
            "select version, action, at, by, state from question_history where question_id = ?"
            " order by id",
            [qid],
        )
    ]


def _forecasts(db: Database, qid: int) -> list[dict[str, Any]]:
    return [
        {
            "forecaster": who,
            "made_at": at,
            "probs": [p, 1 - p] if probs is None else json.loads(probs),
            "rationale": why,
            "adopted_model": bool(adopted),
            "took_recalibration": bool(took),
            "recorded_at": recorded,
            "origin": origin,
        }
        for who, at, p, probs, why, adopted, took, recorded, origin in db.execute(
            "select forecaster, made_at, p, probs, rationale, adopted_model, took_recalibration,"
            " recorded_at, origin"
            " from forecasts where question_id = ? order by made_at, forecaster",
            [qid],
        )
    ]


def _evidence(db: Database, qid: int, evidence_uuid: dict[int, str]) -> list[dict[str, Any]]:
    citations: dict[int, list[int]] = defaultdict(list)
    for eid, number in db.execute(
        "select c.evidence_id, c.citation from evidence_citations c join evidence e on e.id = c.evidence_id"
        " where e.question_id = ? order by c.citation",
        [qid],
    ):
        citations[eid].append(number)
    forms = numeric_rows.evidence_forms(db, qid)
    rows = db.execute(
        "select e.id, e.uuid, e.text, e.quote, e.source, e.observed_at, e.credibility, e.likelihoods,"
        " e.range_low, e.range_high, e.depends_on, e.group_name, e.ratings, s.uuid, e.passage, e.quote_start,"
        " e.quote_end, e.review_status, e.review_by, e.review_at, e.created_at, e.created_by, e.updated_at,"
        " e.updated_by, e.version, e.removed_at, e.removed_by"
        " from evidence e left join sources s on s.id = e.source_id where e.question_id = ?"
        " order by e.created_at, e.uuid",
        [qid],
    ).fetchall()
    items = []
    for (
        eid,
        uuid,
        text,
        quote,
        source,
        observed,
        cred,
        liks,
        low,
        high,
        depends,
        group,
        ratings,
        suuid,
        passage,
        qstart,
        qend,
        rstatus,
        rby,
        rat,
        cat,
        cby,
        uat,
        uby,
        version,
        removed_at,
        removed_by,
    ) in rows:
        anchor = None
        if suuid is not None and passage is not None:
            anchor = {
                "source": suuid,
                "passage": passage,
                "quote_start": qstart,
                "quote_end": qend,
                "citations": citations.get(eid, []),
            }
        items.append(
            {
                "uuid": uuid,
                "text": text,
                "quote": quote,
                "source_note": source,
                "observed_at": observed,
                "credibility": cred,
                "likelihoods": json.loads(liks),
                "range_low": _loads(low),
                "range_high": _loads(high),
                "depends_on": evidence_uuid.get(depends) if depends else None,
                "group": group,
                "ratings": _loads(ratings),
                "anchor": anchor,
                "review": {"status": rstatus, "by": rby, "at": rat},
                "created_at": cat,
                "created_by": cby,
                "updated_at": uat,
                "updated_by": uby,
                "version": version,
                "removed_at": removed_at,
                "removed_by": removed_by,
                "numeric": forms.get(eid),
            }
        )
    return items


def _tree(
    db: Database, qid: int, node_uuid: dict[int, str], evidence_uuid: dict[int, str]
) -> list[dict[str, Any]]:
    links: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for nid, eid, at, by in db.execute(
        "select l.node_id, l.evidence_id, l.linked_at, l.linked_by from tree_links l"
        " join tree_nodes n on n.id = l.node_id where n.question_id = ?",
        [qid],
    ):
        links[nid].append({"evidence": evidence_uuid[eid], "linked_at": at, "linked_by": by})
    return [
        {
            "uuid": uuid,
            "parent": node_uuid.get(parent) if parent else None,
            "outcome": outcome,
            "stance": stance,
            "text": text,
            "status": status,
            "status_by": sby,
            "status_at": sat,
            "evidence": sorted(
                links.get(nid, []), key=lambda link: (link["linked_at"], link["evidence"])
            ),
            "created_at": cat,
            "created_by": cby,
            "updated_at": uat,
            "updated_by": uby,
            "version": version,
        }
        for nid, uuid, parent, outcome, stance, text, status, sby, sat, cat, cby, uat, uby, version in db.execute(
            "select id, uuid, parent_id, outcome, stance, text, status, status_by, status_at, created_at,"
            " created_by, updated_at, updated_by, version from tree_nodes where question_id = ?"
            " order by created_at, uuid",
            [qid],
        )
    ]


def _comments(
    db: Database,
    qid: int,
    outcome_names: list[str],
    evidence_uuid: dict[int, str],
    node_uuid: dict[int, str],
) -> list[dict[str, Any]]:
    rows = db.execute(
        "select id, uuid, target_kind, target_id, parent_id, body, author, created_at, resolved from comments"
        " where question_id = ? order by created_at, uuid",
        [qid],
    ).fetchall()
    comment_uuid = {r[0]: r[1] for r in rows}
    targets = {
        "question": lambda _: None,
        "outcome": lambda i: outcome_names[i],
        "evidence": lambda i: evidence_uuid[i],
        "node": lambda i: node_uuid[i],
    }
    return [
        {
            "uuid": uuid,
            "target_kind": kind,
            "target": targets[kind](target),
            "parent": comment_uuid.get(parent),
            "body": body,
            "author": author,
            "created_at": at,
            "resolved": bool(resolved),
        }
        for _, uuid, kind, target, parent, body, author, at, resolved in rows
    ]


def export_source(db: Database, sid: int) -> dict[str, Any]:
    """An imported source with its passages, note markers, citations, works and skipped text."""
    columns = "uuid, title, url, published, format, filename, text, content_hash, imported_at, imported_by"
    row = db.execute(f"select {columns} from sources where id = ?", [sid]).fetchone()  # noqa: S608
    source: dict[str, Any] = dict(zip([c.strip() for c in columns.split(",")], row, strict=True))

    def rows(sql: str, names: str) -> list[dict[str, Any]]:
        keys = [n.strip() for n in names.split(",")]
        return [dict(zip(keys, r, strict=True)) for r in db.execute(sql, [sid])]

    source["passages"] = rows(
        "select number, start, end, text from passages where source_id = ? order by number",
        "number, start, end, text",
    )
    source["markers"] = rows(
        "select position, label, note, start, end, passage from note_markers where source_id = ? order by position",
        "position, label, note, start, end, passage",
    )
    source["citations"] = [
        {**c, "ibid": bool(c["ibid"])}
        for c in rows(
            "select number, label, text, ibid, resolves_to, work_key from citations where source_id = ?"
            " order by number",
            "number, label, text, ibid, resolves_to, work_key",
        )
    ]
    source["works"] = rows(
        "select key, title, cited from works where source_id = ? order by key", "key, title, cited"
    )
    source["skipped"] = rows(
        "select start, end, text, reason from skipped_text where source_id = ? order by start, end",
        "start, end, text, reason",
    )
    return source


def build_bundle(db: Database, refs: Sequence[str] = ()) -> Bundle:
    """The bundle of the named questions (all when none), with the sources their evidence cites;
    a whole-workspace bundle also carries sources no evidence cites yet."""
    qids = question_ids(db, refs)
    questions = [BundleQuestion.model_validate(export_question(db, qid)) for qid in qids]
    if refs:
        marks = ",".join("?" * len(qids))
        sql = f"select distinct source_id from evidence where source_id is not null and question_id in ({marks})"  # noqa: S608
        sids = [r[0] for r in db.execute(sql, qids)]
    else:
        sids = [r[0] for r in db.execute("select id from sources")]
    sources = sorted(
        (BundleSource.model_validate(export_source(db, sid)) for sid in sids),
        key=lambda s: (s.imported_at, s.uuid),
    )
    return Bundle(
        format=FORMAT, schema_version=SCHEMA_VERSION, sources=sources, questions=questions
    )


def bundle_json(bundle: Bundle) -> str:
    """Stable, pretty, key-sorted JSON text of a bundle (ends with a newline)."""
    return (
        json.dumps(bundle.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False)
        + "\n"
    )
