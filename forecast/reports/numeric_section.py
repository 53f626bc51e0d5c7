"""The report's ``numeric`` block: scores and calibration of distribution forecasts on resolved
numeric and date questions (``forecast.scoring.numeric``), overall, per forecaster and for the
team's two aggregates (the linear pool and quantile averaging, each scored like a forecaster),
and the fan chart's data: each question's forecasts (5/25/50/75/95%) against the resolved value,
as positions in the question's range (0 = lo, 1 = hi, in its scale)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlite_utils import Database

from forecast.scoring.numeric import QuestionForecasts, ScoredForecasts, summary
from questions import numeric as nm
from questions import numeric_store

from .data import ReportSettings

AGGREGATES = {"team: linear pool": "linear_pool", "team: quantile average": "quantile_average"}
FAN_QUESTIONS = 30


def _questions(db: Database, settings: ReportSettings) -> list[tuple[int, str, str | None, str]]:
    sql = (
        "select id, title, closes_at, resolved_at from questions where status = 'resolved'"
        " and kind in ('numeric', 'date') and resolved_value is not null"
    )
    params: list[object] = []
    if settings.tag:
        sql += " and id in (select question_id from question_tags where tag = ?)"
        params.append(settings.tag)
    if settings.since:
        sql += " and resolved_at >= ?"
        params.append(settings.since)
    if settings.until:
        sql += " and resolved_at < ?"
        params.append(settings.until)
    return [tuple(r) for r in db.execute(sql + " order by id", params)]  # type: ignore[misc]


def numeric_report(db: Database, settings: ReportSettings) -> dict[str, Any] | None:
    """The ``numeric`` block, or None when no resolved numeric question has a forecast."""
    if not db["numeric_ranges"].exists():
        return None
    ranges = numeric_store.numeric_ranges(db)
    values = numeric_store.resolved_values(db)
    scored = ScoredForecasts.empty()
    team = {name: ScoredForecasts.empty() for name in AGGREGATES}
    batch: list[QuestionForecasts] = []  # scored at the end, all questions in one pass
    team_batch: dict[str, list[QuestionForecasts]] = {name: [] for name in AGGREGATES}
    fan: list[dict[str, Any]] = []
    for qid, title, closes_at, resolved_at in _questions(db, settings):
        rng, value = ranges[qid], values[qid][0]
        cutoff = (
            min(c for c in (closes_at, resolved_at) if c) if (closes_at or resolved_at) else None
        )
        forecasts = numeric_store.numeric_forecasts(db, qid)
        if settings.all_forecasts:
            chosen = [f for f in forecasts if cutoff is None or f.made_at < cutoff]
        else:
            chosen = list(numeric_store.latest_numeric(forecasts, before=cutoff).values())
        if not chosen:
            continue
        cdfs = np.array([f.cdf for f in chosen])
        stored = [f.score_table for f in chosen]
        tables = None if any(t is None for t in stored) else np.array(stored)
        batch.append(
            QuestionForecasts(rng, qid, [f.forecaster for f in chosen], cdfs, value, tables)
        )
        standing = np.array(
            [f.cdf for f in numeric_store.latest_numeric(forecasts, before=cutoff).values()]
        )
        pooled = {
            "team: linear pool": nm.linear_pool(standing),
            "team: quantile average": nm.quantile_average(rng, standing),
        }
        for name, cdf in pooled.items():
            team_batch[name].append(QuestionForecasts(rng, qid, [name], cdf[None, :], value))
        fan.append(_fan_entry(qid, title, rng, value, chosen, pooled))
    scored.extend_many(batch)
    for name, pending in team_batch.items():
        team[name].extend_many(pending)
    if not scored.forecaster:
        return None
    mine = (
        np.array([f == settings.forecaster for f in scored.forecaster])
        if settings.forecaster
        else None
    )
    block = summary(scored, mine)
    block["forecasters"] = [
        {"forecaster": who, **summary(scored, np.array([f == who for f in scored.forecaster]))}
        for who in sorted(set(scored.forecaster))
    ]
    block["aggregates"] = [{"name": name, **summary(s)} for name, s in team.items()]
    block["fan"] = fan[-FAN_QUESTIONS:]
    return block


def _position(rng: nm.NumericRange, x: float) -> float:
    u = float(rng.to_scale(min(max(x, rng.lo), rng.hi)))
    return round((u - rng.u_lo) / (rng.u_hi - rng.u_lo), 5)


def _fan_entry(
    qid: int,
    title: str,
    rng: nm.NumericRange,
    value: float,
    chosen: list[numeric_store.NumericForecast],
    pooled: dict[str, np.ndarray],
) -> dict[str, Any]:
    rows = [(f.forecaster, f.cdf) for f in chosen] + list(pooled.items())
    entries = []
    for who, cdf in rows:
        q = nm.quantile(rng, cdf, np.array([0.05, 0.25, 0.5, 0.75, 0.95]))
        entries.append({"forecaster": who, "positions": [_position(rng, float(v)) for v in q]})
    return {
        "question": f"Q{qid}",
        "title": title,
        "resolved": nm.value_to_date(value) if rng.is_date else value,
        "resolved_position": _position(rng, value),
        "range": [rng.show(rng.lo), rng.show(rng.hi)],
        "log": rng.log,
        "forecasts": entries,
    }
