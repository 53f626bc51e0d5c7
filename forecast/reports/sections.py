"""The report's tables beside the scores: team aggregates, by tag, Brier over time, the questions
table, the questions resolved early, and evidence attribution. Every score comes from
``forecast.scoring.scores``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from sqlite_utils import Database

from forecast.reports.data import QuestionInfo, ResolvedForecasts
from forecast.scoring import aggregate
from forecast.scoring.scores import brier, brier_terms, log_terms, series_starts

EARLY_RULE = (
    "A question resolved on a day before its scheduled close date is left out of the scores and "
    "calibration and listed apart: questions that can resolve early nearly always do so because "
    "the event happened, so counting them would bias calibration toward Yes."
)
EARLY_INCLUDED = (
    "Questions resolved before their scheduled close are counted like the others (--include-early)."
)


def aggregates(
    data: ResolvedForecasts, standing: np.ndarray, multi: list[dict], a: float
) -> list[dict[str, Any]]:
    """Each team aggregate, formed per question from the forecasts standing at close, scored
    like a person: Brier per event (one per binary question, one per outcome otherwise; ``n``
    events), log score per question (``n_questions``)."""
    scored: dict[str, list[tuple[float, float]]] = defaultdict(list)
    realised: dict[str, list[float]] = defaultdict(list)  # p(outcome), one per question
    q = data.question[standing]
    starts = series_starts(q)
    ends = np.r_[starts[1:], q.size] if starts.size else starts
    for start, end in zip(starts, ends, strict=True):
        probs = data.p[standing][start:end]
        outcome = data.outcome[standing][start]
        for name, value in aggregate.aggregate_all(probs, a).items():
            scored[name].append((float(value[0]), float(outcome)))
            realised[name].append(float(value[0]) if outcome == 1.0 else 1.0 - float(value[0]))
    for group in _multi_by_question(multi).values():
        matrix = np.array([m["probs"] for m in group])
        outcome = (np.arange(matrix.shape[1]) == group[0]["realised"]).astype(float)
        for name, value in aggregate.aggregate_all(matrix, a).items():
            scored[name].extend(zip(value.tolist(), outcome.tolist(), strict=True))
            realised[name].append(float(value[group[0]["realised"]]))
    result = []
    for name in aggregate.AGGREGATES:
        pairs = np.array(scored.get(name, []))
        if pairs.size == 0:
            continue
        result.append(
            {
                "name": name + (f" (a = {a:g})" if name == "extremized" else ""),
                "n": int(pairs.shape[0]),
                "n_questions": len(realised[name]),
                "brier": brier(pairs[:, 0], pairs[:, 1]),
                "log_score": float(log_terms(realised[name]).mean()),
            }
        )
    return result


def _multi_by_question(multi: list[dict]) -> dict[int, list[dict]]:
    by_question: dict[int, list[dict]] = defaultdict(list)
    for m in multi:
        by_question[m["question"]].append(m)
    return by_question


def by_tag(
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
                    "brier": brier(p[mask], o[mask]),
                }
            )
    return result


def brier_over_time(data: ResolvedForecasts, rows: np.ndarray) -> list[dict[str, Any]]:
    """Brier by month of resolution (binary questions)."""
    months = data.resolve_month[rows]
    errors = brier_terms(data.p[rows], data.outcome[rows]) if rows.size else np.zeros(0)
    result = []
    for month in sorted(set(months.tolist())):
        mask = months == month
        result.append({"month": month, "n": int(mask.sum()), "brier": float(errors[mask].mean())})
    return result


def questions_table(
    data: ResolvedForecasts,
    standing: np.ndarray,
    multi_standing: list[dict],
    event_p: np.ndarray,
    event_o: np.ndarray,
    event_q: np.ndarray,
) -> list[dict[str, Any]]:
    """One object per question: its outcome, resolution date, the team's forecast at close (the
    mean of the forecasts standing then) and the Brier score (0..1) of the counted events."""
    team: dict[int, tuple[int, list[float]]] = {}
    q = data.question[standing]
    starts = series_starts(q)
    ends = np.r_[starts[1:], q.size] if starts.size else starts
    for start, end in zip(starts, ends, strict=True):
        mean = float(np.mean(data.p[standing][start:end]))
        team[int(q[start])] = (int(end - start), [mean, 1.0 - mean])
    for question, group in _multi_by_question(multi_standing).items():
        matrix = np.array([m["probs"] for m in group], dtype=float)
        team[question] = (len(group), aggregate.mean_prob(matrix).tolist())
    result = []
    for question in sorted(set(event_q.tolist())):
        info: QuestionInfo = data.info[question]
        mask = event_q == question
        count, probs = team.get(question, (0, []))
        result.append(
            {
                **describe_question(info),
                "forecasters": count,
                "team_forecast": dict(zip(info.outcomes, probs, strict=True)) if probs else None,
                "team_p_outcome": probs[info.realised] if probs else None,
                "n_events": int(mask.sum()),
                "brier": brier(event_p[mask], event_o[mask]),
            }
        )
    return result


def describe_question(info: QuestionInfo) -> dict[str, Any]:
    return {
        "id": f"Q{info.id}",
        "title": info.title,
        "kind": info.kind,
        "outcome": info.outcomes[info.realised],
        "resolved_at": info.resolved_at[:10],
        "closes_at": info.closes_at[:10] if info.closes_at else None,
        "early": info.early,
    }


def evidence_attribution(db: Database, question_ids: list[int]) -> dict[str, Any]:
    """For every resolved question with evidence: each item's contribution to the model's log
    score, ln p(realised | all evidence) − ln p(realised | all but this item), totalled by item,
    by cited source and by author. Positive: it pushed the model toward what happened."""
    items: list[dict[str, Any]] = []
    by_source: dict[str, float] = defaultdict(float)
    by_author: dict[str, float] = defaultdict(float)
    with_evidence = {
        qid
        for (qid,) in db.execute(
            "select distinct question_id from evidence where removed_at is null"
        )
    }
    wanted = [qid for qid in question_ids if qid in with_evidence]
    if wanted:  # the model (and with it pydantic) is loaded only when there is evidence to weigh
        from forecast.engine.inputs import source_keys
        from forecast.engine.model import question_model
    for qid in wanted:
        model = question_model(db, qid)
        question = model.question
        realised = (
            question.outcome_names.index(question.resolved_outcome)
            if question.resolved_outcome
            else None
        )
        if realised is None:
            continue
        with_all = -float(log_terms(model.analysis.posterior[realised]))
        for row, item in enumerate(model.evidence):
            without = -float(log_terms(model.analysis.posterior_without[row][realised]))
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
