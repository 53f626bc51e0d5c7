"""The calibration report: who was right, how well calibrated, and why.

``build_report(db, settings)`` returns a JSON-ready dict; ``forecast.reports.render`` writes it as
HTML, Markdown, JSON or CSV. Which forecast counts is said in every report: by default each
forecaster's last forecast made before the question closed (or resolved); with ``all_forecasts``
every forecast. Multi-outcome questions count as one binary event per outcome for calibration and
carry their own multi-category Brier (``brier_original``, 0..2).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
from sqlite_utils import Database

from forecast.reports.data import ReportSettings, ResolvedForecasts, gather
from forecast.scoring import aggregate
from forecast.scoring.calibration import analyse as calibration_analysis
from forecast.scoring.scores import LOG_CLIP
from questions.errors import InvalidInput

METACULUS_CLIP = 0.001
"""Metaculus accepts forecasts between 0.1% and 99.9%; its scores are computed on that range."""


def _group_starts(*keys: np.ndarray) -> np.ndarray:
    """Indices where any key changes (rows sorted by the keys)."""
    n = keys[0].size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(change)


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


def _time_weights(data: ResolvedForecasts) -> np.ndarray:
    """Days each forecast stood: from its day (or the open day) to the next forecast by the same
    forecaster on the question (or the resolution day), resolution day excluded."""
    n = data.p.size
    if n == 0:
        return np.zeros(0)
    same_pair_next = np.r_[
        (data.question[1:] == data.question[:-1]) & (data.forecaster[1:] == data.forecaster[:-1]),
        False,
    ]
    next_day = np.where(same_pair_next, np.r_[data.day[1:], 0], data.resolve_day)
    end = np.minimum(next_day, data.resolve_day)
    start = np.maximum(data.day, data.open_day)
    return np.maximum(end - start, 0).astype(float)


def _pair_means(
    data: ResolvedForecasts, weights: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time-weighted mean of ``values`` per (question, forecaster); returns (question, forecaster,
    mean) for the pairs with at least one scored day."""
    starts = _group_starts(data.question, data.forecaster)
    if starts.size == 0:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty
    total = np.add.reduceat(weights, starts)
    weighted = np.add.reduceat(weights * values, starts)
    keep = total > 0
    return data.question[starts][keep], data.forecaster[starts][keep], weighted[keep] / total[keep]


def _mean_by(codes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    count = np.bincount(codes, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            count > 0,
            np.bincount(codes, weights=values, minlength=size) / np.maximum(count, 1),
            np.nan,
        )


def _finite(value: float) -> float | None:
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


def _multi_unit(data: ResolvedForecasts, all_forecasts: bool) -> list[dict]:
    if all_forecasts:
        return list(data.multi)
    latest: dict[tuple[int, int], dict] = {}
    for m in data.multi:  # sorted by question, forecaster, made_at
        if m["before_close"]:
            latest[(m["question"], m["forecaster"])] = m
    return list(latest.values())


def _original_brier(p: np.ndarray, o: np.ndarray, multi: list[dict]) -> tuple[float, float]:
    """Brier's original score (0..2) and the mean log score, per forecast (not per event)."""
    binary = 2 * (p - o) ** 2
    realised = np.clip(np.where(o > 0.5, p, 1 - p), LOG_CLIP, 1 - LOG_CLIP)
    scores = list(binary)
    logs = list(-np.log(realised))
    for m in multi:
        probs = np.asarray(m["probs"], dtype=float)
        outcome = (np.arange(probs.size) == m["realised"]).astype(float)
        scores.append(float(((probs - outcome) ** 2).sum()))
        logs.append(float(-math.log(min(max(probs[m["realised"]], LOG_CLIP), 1 - LOG_CLIP))))
    return float(np.mean(scores)) if scores else float("nan"), float(
        np.mean(logs)
    ) if logs else float("nan")


def build_report(db: Database, settings: ReportSettings) -> dict[str, Any]:
    settings = settings.checked()
    data = gather(db, settings)
    rows = _unit_rows(data, settings.all_forecasts)
    multi = _multi_unit(data, settings.all_forecasts)
    code = data.names.index(settings.forecaster) if settings.forecaster else None
    p, o, who, qid = _events(data, rows, multi)
    mask = np.ones(p.size, dtype=bool) if code is None else who == code
    if not mask.any():
        raise InvalidInput("no resolved forecasts match this filter (forecaster, tag, since/until)")
    analysis = calibration_analysis(p[mask], o[mask], settings.bins)
    binary_mask = np.ones(rows.size, dtype=bool) if code is None else data.forecaster[rows] == code
    own_multi = [m for m in multi if code is None or m["forecaster"] == code]
    brier_original, log_per_forecast = _original_brier(
        data.p[rows][binary_mask], data.outcome[rows][binary_mask], own_multi
    )

    weights = _time_weights(data)
    tab_q, tab_f, tab = _pair_means(data, weights, (data.p - data.outcome) ** 2)
    realised = np.clip(
        np.where(data.outcome > 0.5, data.p, 1 - data.p), METACULUS_CLIP, 1 - METACULUS_CLIP
    )
    _, _, baseline = _pair_means(data, weights, 100 * (np.log2(realised) + 1))
    size = len(data.names)
    tab_by = _mean_by(tab_f, tab, size)
    baseline_by = _mean_by(tab_f, baseline, size)
    peer_by = _peer_scores(data, rows, size)

    forecasters = []
    for i, name in enumerate(data.names):
        mine = who == i
        if not mine.any():
            continue
        n_forecasts = int((data.forecaster[rows] == i).sum()) + sum(
            1 for m in multi if m["forecaster"] == i
        )
        ev_p, ev_o = p[mine], o[mine]
        forecasters.append(
            {
                "name": name,
                "n": n_forecasts,
                "n_events": int(mine.sum()),
                "brier": float(np.mean((ev_p - ev_o) ** 2)),
                "log_score": float(
                    -np.mean(
                        np.log(
                            np.clip(np.where(ev_o > 0.5, ev_p, 1 - ev_p), LOG_CLIP, 1 - LOG_CLIP)
                        )
                    )
                ),
                "time_averaged_brier": _finite(tab_by[i]),
                "baseline_score": _finite(baseline_by[i]),
                "peer_score": _finite(peer_by[i]),
            }
        )
    forecasters.sort(key=lambda f: float(f["brier"]))  # type: ignore[arg-type]

    n_questions = len(set(qid[mask].tolist()))
    report: dict[str, Any] = {
        "title": "forecastle calibration report",
        "scope": settings.forecaster or "everyone",
        "unit": "every forecast"
        if settings.all_forecasts
        else "each forecaster's last forecast before the question closed",
        "n_forecasts": int(binary_mask.sum()) + len(own_multi),
        "n_events": int(mask.sum()),
        "n_questions": n_questions,
        "brier": analysis.brier,
        "brier_original": brier_original,
        "log_score": log_per_forecast,
        "time_averaged_brier": _finite(
            float(np.mean(tab if code is None else tab[tab_f == code]))
            if tab.size and (code is None or (tab_f == code).any())
            else float("nan")
        ),
        **{
            k: v
            for k, v in analysis.to_dict().items()
            if k in ("murphy", "corp", "spiegelhalter", "ece", "bins")
        },
        "forecasters": forecasters,
        "aggregates": _aggregates(data, rows, multi, settings.extremize),
        "by_tag": _by_tag(data, p[mask], o[mask], qid[mask]),
        "questions": [f"Q{q} {data.titles.get(q, '')}" for q in sorted(set(qid[mask].tolist()))],
        "brier_over_time": _brier_over_time(data, rows if code is None else rows[binary_mask]),
        "evidence_attribution": evidence_attribution(db, sorted(set(qid[mask].tolist()))),
        "settings": {
            "forecaster": settings.forecaster,
            "tag": settings.tag,
            "since": settings.since,
            "until": settings.until,
            "bins": settings.bins,
            "all_forecasts": settings.all_forecasts,
            "extremize": settings.extremize,
        },
    }
    report["murphy"]["identity_check"] = (
        report["murphy"]["reliability"]
        - report["murphy"]["resolution"]
        + report["murphy"]["uncertainty"]
        + report["murphy"]["within_bin_variance"]
        - report["murphy"]["within_bin_covariance"]
        - report["brier"]
    )
    return report


def _peer_scores(data: ResolvedForecasts, rows: np.ndarray, size: int) -> np.ndarray:
    """Metaculus' peer score on the standing forecasts at close: 100 (ln p_i − mean of the others'
    ln p) for questions with two or more forecasters, averaged over each forecaster's questions."""
    if rows.size == 0:
        return np.full(size, np.nan)
    q = data.question[rows]
    realised = np.clip(
        np.where(data.outcome[rows] > 0.5, data.p[rows], 1 - data.p[rows]),
        METACULUS_CLIP,
        1 - METACULUS_CLIP,
    )
    logs = np.log(realised)
    starts = _group_starts(q)
    counts = np.diff(np.r_[starts, q.size])
    sums = np.add.reduceat(logs, starts)
    n_q = np.repeat(counts, counts)
    s_q = np.repeat(sums, counts)
    has_peers = n_q > 1
    peer = 100 * (logs - (s_q - logs) / np.maximum(n_q - 1, 1))
    return _mean_by(data.forecaster[rows][has_peers], peer[has_peers], size)


def _aggregates(
    data: ResolvedForecasts, rows: np.ndarray, multi: list[dict], a: float
) -> list[dict[str, Any]]:
    """Each team aggregate, formed per question from the standing forecasts, scored like a person."""
    scored: dict[str, list[tuple[float, float]]] = defaultdict(list)
    q = data.question[rows]
    starts = _group_starts(q)
    ends = np.r_[starts[1:], q.size] if starts.size else starts
    for start, end in zip(starts, ends, strict=True):
        probs = data.p[rows][start:end]
        outcome = data.outcome[rows][start]
        for name, value in aggregate.aggregate_all(probs, a).items():
            scored[name].append((float(value[0]), float(outcome)))
    by_question: dict[int, list[dict]] = defaultdict(list)
    for m in multi:
        by_question[m["question"]].append(m)
    for group in by_question.values():
        matrix = np.array([m["probs"] for m in group])
        outcome = (np.arange(matrix.shape[1]) == group[0]["realised"]).astype(float)
        for name, value in aggregate.aggregate_all(matrix, a).items():
            scored[name].extend(zip(value.tolist(), outcome.tolist(), strict=True))
    result = []
    for name in aggregate.AGGREGATES:
        pairs = np.array(scored.get(name, []))
        if pairs.size == 0:
            continue
        ev_p, ev_o = pairs[:, 0], pairs[:, 1]
        result.append(
            {
                "name": name + (f" (a = {a:g})" if name == "extremized" else ""),
                "n": int(ev_p.size),
                "brier": float(np.mean((ev_p - ev_o) ** 2)),
                "log_score": float(
                    -np.mean(np.log(np.clip(np.where(ev_o > 0.5, ev_p, 1 - ev_p), LOG_CLIP, 1)))
                ),
            }
        )
    return result


def _by_tag(
    data: ResolvedForecasts, p: np.ndarray, o: np.ndarray, qid: np.ndarray
) -> list[dict[str, Any]]:
    tags: dict[str, list[int]] = defaultdict(list)
    for question, names in data.tags.items():
        for tag in names:
            tags[tag].append(question)
    result = []
    for tag, questions in sorted(tags.items()):
        mask = np.isin(qid, questions)
        if mask.any():
            result.append(
                {
                    "tag": tag,
                    "n": int(mask.sum()),
                    "questions": len(questions),
                    "brier": float(np.mean((p[mask] - o[mask]) ** 2)),
                }
            )
    return result


def _brier_over_time(data: ResolvedForecasts, rows: np.ndarray) -> list[dict[str, Any]]:
    """Brier by month of resolution."""
    months = data.resolve_month[rows]
    errors = (data.p[rows] - data.outcome[rows]) ** 2
    result = []
    for month in sorted(set(months.tolist())):
        mask = months == month
        result.append({"month": month, "n": int(mask.sum()), "brier": float(errors[mask].mean())})
    return result


def evidence_attribution(db: Database, question_ids: list[int]) -> dict[str, Any]:
    """For every resolved question with evidence: each item's contribution to the model's log
    score, ln p(realised | all evidence) − ln p(realised | all but this item), totalled by item,
    by cited source and by author. Positive: it pushed the model toward what happened."""
    from forecast.engine.inputs import source_keys
    from forecast.engine.model import question_model

    items: list[dict[str, Any]] = []
    by_source: dict[str, float] = defaultdict(float)
    by_author: dict[str, float] = defaultdict(float)
    for qid in question_ids:
        if not db.execute(
            "select 1 from evidence where question_id = ? and removed_at is null", [qid]
        ).fetchone():
            continue
        model = question_model(db, qid)
        question = model.question
        realised = (
            question.outcome_names.index(question.resolved_outcome)
            if question.resolved_outcome
            else None
        )
        if realised is None:
            continue
        with_all = math.log(max(float(model.analysis.posterior[realised]), LOG_CLIP))
        for row, item in enumerate(model.evidence):
            without = math.log(
                max(float(model.analysis.posterior_without[row][realised]), LOG_CLIP)
            )
            contribution = with_all - without
            items.append(
                {
                    "id": item.short_id,
                    "question": question.short_id,
                    "text": item.text,
                    "author": item.created_by,
                    "contribution": contribution,
                }
            )
            for key in source_keys(item) or ("(no source)",):
                by_source[key] += contribution
            by_author[item.created_by] += contribution
    items.sort(key=lambda i: -i["contribution"])
    return {
        "explanation": "ln p(realised | all evidence) − ln p(realised | without the item); positive moved the model toward the truth",
        "items": items,
        "by_source": [
            {"source": k, "contribution": v}
            for k, v in sorted(by_source.items(), key=lambda kv: -kv[1])
        ],
        "by_author": [
            {"author": k, "contribution": v}
            for k, v in sorted(by_author.items(), key=lambda kv: -kv[1])
        ],
    }
