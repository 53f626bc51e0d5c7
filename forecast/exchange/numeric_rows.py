"""A numeric or date question's rows in and out of a bundle: its range and prior, distribution
forecasts (the stored CDF text, so a round trip is exact), evidence forms and resolved values."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from forecast.exchange.bundle_models import BundleForecast, BundleQuestion
from questions import numeric_store
from questions.numeric import NumericRange

NUMERIC_KINDS = ("numeric", "date")


def range_fields(db: Database, qid: int) -> dict[str, Any]:
    """``numeric`` (the range, or None for a categorical question) and ``resolved_value``."""
    row = db.execute(
        "select r.lo, r.hi, r.unit, r.log, r.open_lower, r.open_upper, r.prior, q.resolved_value"
        " from questions q left join numeric_ranges r on r.question_id = q.id where q.id = ?",
        [qid],
    ).fetchone()
    lo, hi, unit, log, open_lower, open_upper, prior, value = row
    numeric = None
    if lo is not None:
        numeric = {
            "lo": lo,
            "hi": hi,
            "unit": unit,
            "log": bool(log),
            "open_lower": bool(open_lower),
            "open_upper": bool(open_upper),
            "prior": prior,
        }
    return {"numeric": numeric, "resolved_value": value}


def forecasts(db: Database, qid: int) -> list[dict[str, Any]]:
    """A numeric question's forecasts in bundle form (oldest first, as categorical ones)."""
    return [
        {
            "forecaster": who,
            "made_at": at,
            "probs": [],
            "rationale": why,
            "adopted_model": bool(adopted),
            "took_recalibration": bool(took),
            "recorded_at": recorded,
            "origin": origin,
            "cdf": json.loads(cdf),
            "typed": typed,
            "method": method,
        }
        for who, at, why, adopted, took, recorded, origin, cdf, typed, method in db.execute(
            "select f.forecaster, f.made_at, f.rationale, f.adopted_model, f.took_recalibration,"
            " f.recorded_at, f.origin, n.cdf, n.typed, n.method"
            " from forecasts f join numeric_forecasts n on n.forecast_id = f.id"
            " where f.question_id = ? order by f.made_at, f.forecaster",
            [qid],
        )
    ]


def evidence_forms(db: Database, qid: int) -> dict[int, dict[str, Any]]:
    """Each numeric item's form by evidence id."""
    return {
        eid: {"form": form, "a": a, "b": b, "sd": sd}
        for eid, form, a, b, sd in db.execute(
            "select n.evidence_id, n.form, n.a, n.b, n.sd from numeric_evidence n"
            " join evidence e on e.id = n.evidence_id where e.question_id = ?",
            [qid],
        )
    }


# into a workspace ---------------------------------------------------------------------------------


def insert_range(db: Database, qid: int, q: BundleQuestion) -> None:
    rng = q.numeric
    assert rng is not None
    numeric_store.insert_range_row(
        db,
        qid,
        NumericRange(
            lo=rng.lo,
            hi=rng.hi,
            unit=rng.unit,
            log=rng.log,
            open_lower=rng.open_lower,
            open_upper=rng.open_upper,
        ),
        rng.prior,
    )
    db.execute("update questions set resolved_value = ? where id = ?", [q.resolved_value, qid])


def same_range(local: dict[str, Any], incoming: dict[str, Any]) -> bool:
    """Whether the two sides' ranges agree (the prior aside: it is a versioned edit)."""
    mine, theirs = local.get("numeric"), incoming.get("numeric")
    if mine is None or theirs is None:
        return mine is theirs
    return {k: v for k, v in mine.items() if k != "prior"} == {
        k: v for k, v in theirs.items() if k != "prior"
    }


def update_question(db: Database, qid: int, incoming: dict[str, Any]) -> None:
    """The versioned parts of a numeric question taken from a newer bundle row."""
    db.execute(
        "update questions set resolved_value = ? where id = ?", [incoming["resolved_value"], qid]
    )
    if incoming.get("numeric") is not None:
        db.execute(
            "update numeric_ranges set prior = ? where question_id = ?",
            [incoming["numeric"]["prior"], qid],
        )


def insert_forecast(db: Database, qid: int, f: BundleForecast) -> None:
    assert f.cdf is not None
    cursor = db.execute(
        "insert into forecasts (question_id, forecaster, made_at, p, probs, rationale, adopted_model,"
        " took_recalibration, recorded_at, origin) values (?,?,?,null,null,?,?,?,?,?)",
        [
            qid,
            f.forecaster,
            f.made_at,
            f.rationale,
            int(f.adopted_model),
            int(f.took_recalibration),
            f.recorded_at,
            f.origin,
        ],
    )
    import numpy as np  # noqa: PLC0415 - numpy only when a bundle holds numeric forecasts

    numeric_store.insert_numeric_row(
        db,
        qid,
        cursor.lastrowid,
        np.asarray(f.cdf, dtype=float),
        f.typed or "",
        f.method or "quantiles",
    )


def set_form(db: Database, eid: int, form: dict[str, Any] | None) -> None:
    if form is None:
        return
    db.execute(
        "insert into numeric_evidence (evidence_id, form, a, b, sd) values (?,?,?,?,?)"
        " on conflict (evidence_id) do update set form = excluded.form, a = excluded.a,"
        " b = excluded.b, sd = excluded.sd",
        [eid, form["form"], form["a"], form["b"], form["sd"]],
    )
