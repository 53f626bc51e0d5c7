"""One line per question for the home screen: the model's probability, my latest forecast, the
team's aggregate and a sparkline of the model's timeline. Batched so that 1,000 questions with
100,000 forecasts and 10,000 evidence items stay quick."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from arguments.evidence_records import records_by_question
from forecast.engine import bayes
from forecast.engine.inputs import engine_input
from forecast.scoring.aggregate import median_prob
from questions.records import QuestionRecord

if TYPE_CHECKING:
    from questions.models import Question

SPARK = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 12


@dataclass(frozen=True)
class Overview:
    model: str
    """P(Yes), or the model's leading outcome and its probability."""
    mine: str
    """The user's latest probability for that same outcome (``–`` when none)."""
    team: str
    """The median of every forecaster's latest forecast, renormalised, for that outcome."""
    spark: str
    """That outcome's probability after each evidence item, in observation order."""


def sparkline(values: list[float], width: int = SPARK_WIDTH) -> str:
    """Probabilities 0..1 as block characters (the last ``width`` values)."""
    tail = values[-width:]
    return "".join(SPARK[min(int(v * len(SPARK)), len(SPARK) - 1)] for v in tail)


NAME_WIDTH = 12
"""Characters of the leading outcome's name shown in the ``model`` column."""


def _percent(p: float) -> str:
    return f"{p:.0%}"


def standing_forecasts(
    db: Database, question_ids: Sequence[int] | None = None
) -> dict[int, dict[str, list[float]]]:
    """Each forecaster's latest forecast per question (all questions, or those named), in one query
    per 900 questions. SQLite takes the bare columns of a ``max()`` aggregate from the row holding
    the maximum; (question, forecaster, made_at) is unique, so that row is the latest forecast,
    found by walking the unique index."""
    standing: dict[int, dict[str, list[float]]] = defaultdict(dict)
    sql = "select question_id, forecaster, p, probs, max(made_at) from forecasts"
    if question_ids is None:
        batches: list[tuple[str, list[int]]] = [(sql, [])]
    else:
        ids = list(question_ids)
        batches = [
            (f"{sql} where question_id in ({','.join('?' * len(chunk))})", chunk)
            for chunk in (ids[i : i + 900] for i in range(0, len(ids), 900))
        ]
    for query, params in batches:
        for qid, forecaster, p, probs, _ in db.execute(
            f"{query} group by question_id, forecaster", params
        ):
            if p is None and probs is None:
                continue  # a numeric forecast (its CDF is in numeric_forecasts)
            standing[qid][forecaster] = [p, 1 - p] if probs is None else json.loads(probs)
    return standing


def question_overview(
    db: Database, questions: Sequence[QuestionRecord | Question], user: str
) -> dict[int, Overview]:
    ids = [q.id for q in questions]
    standing = standing_forecasts(db, ids)
    evidence = records_by_question(db, ids)
    result: dict[int, Overview] = {}
    for question in questions:
        if question.kind in ("numeric", "date"):
            from forecast.views.numeric_overview import numeric_cells

            result[question.id] = Overview(*numeric_cells(db, question.id, user), "")
            continue
        items = [engine_input(i) for i in evidence[question.id]]
        # the posterior after each item in observed order: no Python object per step on this hot path
        steps = bayes.timeline_posteriors(bayes.prepare(question.priors, items)) if items else None
        posterior = question.priors if steps is None else steps[-1].tolist()
        # The row follows one outcome: P(Yes), or the model's leading outcome, for every column.
        lead = (
            0
            if question.kind == "binary"
            else max(range(len(posterior)), key=posterior.__getitem__)
        )
        trail = [question.priors[lead]] + ([] if steps is None else steps[:, lead].tolist())
        model = _percent(posterior[lead])
        if question.kind != "binary":
            model = f"{question.outcomes[lead].name[:NAME_WIDTH]} {model}"
        people = standing.get(question.id, {})
        mine = _percent(people[user][lead]) if user in people else "–"
        team = "–"
        if people:
            team = _percent(float(median_prob(list(people.values()))[lead]))
        result[question.id] = Overview(
            model, mine, team, sparkline(trail) if steps is not None else ""
        )
    return result
