"""The calibration report: who was right, how well calibrated, and why.

``build_report(db, settings)`` returns a JSON-ready dict (``"format": "forecastle-report"``,
``schema_version``); ``forecast.reports.render`` writes it as HTML, Markdown, JSON or CSV. Which
forecast counts is said in every report: by default each forecaster's last forecast made before
the question closed (or resolved); with ``all_forecasts`` every forecast. Multi-outcome questions
count as one binary event per outcome for calibration and carry their own multi-category Brier
(``brier_original``, 0..2). Questions resolved before their scheduled close are reported apart
unless ``include_early`` (see ``sections.EARLY_RULE``).

Every score is computed by ``forecast.scoring.scores`` (Brier, log score, time-averaged means,
Metaculus baseline and peer) and ``forecast.scoring.calibration``; nothing is re-derived here.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from sqlite_utils import Database

from forecast.reports import learning, sections
from forecast.reports.data import ReportSettings, ResolvedForecasts, gather
from forecast.scoring.calibration import analyse as calibration_analysis
from forecast.scoring.scores import (
    baseline_score,
    brier,
    brier_multi_terms,
    brier_terms,
    log_terms,
    metaculus_peer_by_series,
    score_units,
    series_starts,
    time_averaged_by_series,
)
from questions.errors import InvalidInput

REPORT_FORMAT = "forecastle-report"
SCHEMA_VERSION = 2
"""2: ``format``/``schema_version``, ``questions`` as objects, ``early``, ``include_early``;
peer and baseline time-averaged with Metaculus' coverage (days without a forecast count 0)."""


def _unit_rows(data: ResolvedForecasts, all_forecasts: bool) -> np.ndarray:
    """Rows that count: each (question, forecaster)'s last forecast before close, or all."""
    if all_forecasts:
        return np.arange(data.p.size)
    eligible = np.flatnonzero(data.before_close)
    if eligible.size == 0:
        return eligible
    q, f = data.question[eligible], data.forecaster[eligible]
    last = np.r_[(q[1:] != q[:-1]) | (f[1:] != f[:-1]), True]
    return eligible[last]


def _multi_unit(data: ResolvedForecasts, all_forecasts: bool) -> list[dict]:
    if all_forecasts:
        return list(data.multi)
    latest: dict[tuple[int, int], dict] = {}
    for m in data.multi:  # sorted by question, forecaster, made_at
        if m["before_close"]:
            latest[(m["question"], m["forecaster"])] = m
    return list(latest.values())


def _mean_by(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Mean of the finite ``values`` per code (NaN for a code with none)."""
    keep = np.isfinite(values)
    codes, values = codes[keep], values[keep]
    count = np.bincount(codes, minlength=size)
    total = np.bincount(codes, weights=values, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _events(
    data: ResolvedForecasts, rows: np.ndarray, multi: list[dict]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Binary events (p, o) with forecaster codes and question ids: binary rows, then one event
    per outcome of each multi-outcome forecast."""
    p = [data.p[rows]]
    o = [data.outcome[rows]]
    who = [data.forecaster[rows]]
    qid = [data.question[rows]]
    for m in multi:
        k = len(m["probs"])
        p.append(np.asarray(m["probs"], dtype=float))
        o.append((np.arange(k) == m["realised"]).astype(float))
        who.append(np.full(k, m["forecaster"]))
        qid.append(np.full(k, m["question"]))
    return np.concatenate(p), np.concatenate(o), np.concatenate(who), np.concatenate(qid)


def _per_forecast(p: np.ndarray, o: np.ndarray, multi: list[dict]) -> tuple[float, float]:
    """Brier's original score (0..2) and the log score, one term per forecast (not per event):
    a binary forecast's original Brier is twice its binary one."""
    originals = [2.0 * brier_terms(p, o)] if p.size else []
    realised = [np.where(o == 1.0, p, 1.0 - p)]
    if multi:
        originals.append(
            brier_multi_terms([m["probs"] for m in multi], np.array([m["realised"] for m in multi]))
        )
        realised.append(np.array([m["probs"][m["realised"]] for m in multi], dtype=float))
    original = np.concatenate(originals) if originals else np.zeros(0)
    logs = log_terms(np.concatenate(realised))
    if original.size == 0:
        return math.nan, math.nan
    return float(original.mean()), float(logs.mean())


def _time_averaged(data: ResolvedForecasts) -> dict[str, np.ndarray]:
    """Per (question, forecaster) on binary questions, from every forecast with daily
    carry-forward: the time-averaged Brier (over the days a forecast stood) and Metaculus'
    baseline and peer scores (over the question's open days, uncovered days counting 0)."""
    starts = series_starts(data.question, data.forecaster)
    realised = np.where(data.outcome == 1.0, data.p, 1.0 - data.p)
    days, tab = time_averaged_by_series(
        brier_terms(data.p, data.outcome) if data.p.size else data.p,
        data.day,
        data.open_day,
        data.resolve_day,
        starts,
    )
    _, baseline = time_averaged_by_series(
        baseline_score(realised, 2), data.day, data.open_day, data.resolve_day, starts
    )
    window = (data.resolve_day - data.open_day)[starts].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        baseline = np.where(window > 0, baseline * days / np.maximum(window, 1), np.nan)
    _, _, peer = metaculus_peer_by_series(
        data.question, data.forecaster, data.day, realised, data.open_day, data.resolve_day
    )
    return {
        "question": data.question[starts],
        "forecaster": data.forecaster[starts],
        "time_averaged_brier": tab,
        "baseline_score": baseline,
        "peer_score": peer,
    }


def _forecasters(
    data: ResolvedForecasts,
    unit: tuple[np.ndarray, list[dict]],
    events: tuple[np.ndarray, np.ndarray, np.ndarray],
    averaged: dict[str, np.ndarray],
) -> list[dict[str, Any]]:
    rows, multi = unit
    p, o, who = events
    size = len(data.names)
    means = {
        key: _mean_by(averaged["forecaster"], averaged[key], size)
        for key in ("time_averaged_brier", "baseline_score", "peer_score")
    }
    result = []
    for i, name in enumerate(data.names):
        mine = who == i
        if not mine.any():
            continue
        own_rows = rows[data.forecaster[rows] == i]
        own_multi = [m for m in multi if m["forecaster"] == i]
        _, log_per_question = _per_forecast(data.p[own_rows], data.outcome[own_rows], own_multi)
        result.append(
            {
                "name": name,
                "n": int(own_rows.size) + len(own_multi),
                "n_events": int(mine.sum()),
                "brier": brier(p[mine], o[mine]),
                "log_score": log_per_question,
                **{key: _finite(float(means[key][i])) for key in means},
            }
        )
    result.sort(key=lambda f: f["brier"])  # type: ignore[arg-type,return-value]
    return result


def _scores(data: ResolvedForecasts, settings: ReportSettings, db: Database) -> dict[str, Any]:
    """Everything scored on one set of questions (the due ones, or all with include_early)."""
    rows = _unit_rows(data, settings.all_forecasts)
    multi = _multi_unit(data, settings.all_forecasts)
    standing, multi_standing = _unit_rows(data, False), _multi_unit(data, False)
    code = data.names.index(settings.forecaster) if settings.forecaster in data.names else None
    p, o, who, qid = _events(data, rows, multi)
    mask = np.ones(p.size, dtype=bool) if settings.forecaster is None else who == code
    if not mask.any():
        return {}
    analysis = calibration_analysis(p[mask], o[mask], settings.bins)
    own_rows = rows if code is None else rows[data.forecaster[rows] == code]
    own_multi = [m for m in multi if code is None or m["forecaster"] == code]
    brier_original, log_per_forecast = _per_forecast(
        data.p[own_rows], data.outcome[own_rows], own_multi
    )
    averaged = _time_averaged(data)
    tab = averaged["time_averaged_brier"]
    own_tab = tab if code is None else tab[averaged["forecaster"] == code]
    own_tab = own_tab[np.isfinite(own_tab)]
    questions = sorted(set(qid[mask].tolist()))
    report: dict[str, Any] = {
        "n_forecasts": int(own_rows.size) + len(own_multi),
        "n_events": int(mask.sum()),
        "n_questions": len(questions),
        "brier": analysis.brier,
        "brier_original": brier_original,
        "log_score": log_per_forecast,
        "time_averaged_brier": float(own_tab.mean()) if own_tab.size else None,
        **{
            k: v
            for k, v in analysis.to_dict().items()
            if k in ("murphy", "corp", "spiegelhalter", "ece", "bins")
        },
        "forecasters": _forecasters(data, (rows, multi), (p, o, who), averaged),
        "aggregates": sections.aggregates(
            data, standing, multi_standing, float(settings.extremize)
        ),
        "by_tag": sections.by_tag(data, p[mask], o[mask], qid[mask]),
        "questions": sections.questions_table(
            data, standing, multi_standing, p[mask], o[mask], qid[mask]
        ),
        "brier_over_time": sections.brier_over_time(data, own_rows),
        "evidence_attribution": sections.evidence_attribution(db, questions),
        **learning.sections(db, data, rows, standing, float(settings.extremize), questions),
    }
    murphy = report["murphy"]
    murphy["identity_check"] = (
        murphy["reliability"]
        - murphy["resolution"]
        + murphy["uncertainty"]
        + murphy["within_bin_variance"]
        - murphy["within_bin_covariance"]
        - report["brier"]
    )
    return report


def _early(data: ResolvedForecasts, settings: ReportSettings) -> dict[str, Any]:
    """The questions resolved before their scheduled close, apart (or counted, if included)."""
    early = {q for q, info in data.info.items() if info.early}
    part = data.restricted(early)
    rows = _unit_rows(part, settings.all_forecasts)
    multi = _multi_unit(part, settings.all_forecasts)
    p, o, who, qid = _events(part, rows, multi)
    if settings.forecaster is not None:
        keep = np.array([part.names[c] == settings.forecaster for c in who.tolist()], dtype=bool)
        p, o, qid = p[keep], o[keep], qid[keep]
        code = part.names.index(settings.forecaster) if settings.forecaster in part.names else -1
        rows = rows[part.forecaster[rows] == code]
        multi = [m for m in multi if m["forecaster"] == code]
    _, log_per_question = _per_forecast(part.p[rows], part.outcome[rows], multi)
    return {
        "included": settings.include_early,
        "rule": sections.EARLY_INCLUDED if settings.include_early else sections.EARLY_RULE,
        "n_events": int(p.size),
        "brier": brier(p, o) if p.size else None,
        "log_score": _finite(log_per_question) if p.size else None,
        "questions": [
            {**sections.describe_question(part.info[q]), "n_events": int((qid == q).sum())}
            for q in sorted(early)
        ],
    }


def build_report(db: Database, settings: ReportSettings) -> dict[str, Any]:
    settings = settings.checked()
    everything = gather(db, settings)
    early = {q for q, info in everything.info.items() if info.early}
    due = (
        everything
        if settings.include_early
        else everything.restricted(set(everything.info) - early)
    )
    fitted = settings.extremize == "fitted"
    if fitted:
        exponent, why_not = learning.fitted_exponent(due, _unit_rows(due, False))
        if exponent is None:
            raise InvalidInput(f"extremize: fitted is not available: {why_not}")
        settings = dataclasses.replace(settings, extremize=exponent)
    scored = _scores(due, settings, db)
    if not scored:
        if early and not settings.include_early:
            raise InvalidInput(
                "no resolved forecasts on questions that were due match this filter; "
                f"{len(early)} resolved before their scheduled close (--include-early counts them)"
            )
        raise InvalidInput("no resolved forecasts match this filter (forecaster, tag, since/until)")
    return {
        "format": REPORT_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "title": "forecastle calibration report",
        "scope": settings.forecaster or "everyone",
        "unit": "every forecast"
        if settings.all_forecasts
        else "each forecaster's last forecast before the question closed",
        "score_units": score_units(settings.all_forecasts),
        **scored,
        "early": _early(everything, settings),
        "conditional_forecasts": _conditional_counts(db),
        "settings": {
            "forecaster": settings.forecaster,
            "tag": settings.tag,
            "since": settings.since,
            "until": settings.until,
            "bins": settings.bins,
            "all_forecasts": settings.all_forecasts,
            "extremize": settings.extremize,
            "extremize_fitted": fitted,
            "include_early": settings.include_early,
        },
    }


def _conditional_counts(db: Database) -> dict[str, int]:
    """How many conditional forecasts became scored forecasts (their parent resolved to their
    outcome) and how many are void (the parent resolved otherwise or was annulled)."""
    from questions.conditions import conditional_counts

    if "conditional_forecasts" not in db.table_names():
        return {"scored": 0, "void": 0, "pending": 0}
    return conditional_counts(db)
