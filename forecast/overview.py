"""One line per question for the home screen: the model's probability, my latest forecast, the
team's aggregate and a sparkline of the model's timeline. Batched so that 1,000 questions with
100,000 forecasts and 10,000 evidence items stay quick."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from arguments.evidence_store import list_evidence
from questions.models import Question

from . import bayes
from .model import engine_input

SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Overview:
    model: str
    """Leading outcome and its probability (multi), or P(Yes) (binary)."""
    mine: str
    team: str
    spark: str


def sparkline(values: list[float], width: int = 12) -> str:
    """Probabilities 0..1 as block characters (the last ``width`` values)."""
    tail = values[-width:]
    return "".join(SPARK[min(int(v * len(SPARK)), len(SPARK) - 1)] for v in tail)


def _headline(question: Question, probs: list[float]) -> str:
    if question.kind == "binary":
        return f"{probs[0]:.0%}"
    leader = max(range(len(probs)), key=probs.__getitem__)
    return f"{question.outcomes[leader].name[:14]} {probs[leader]:.0%}"


def standing_forecasts(db: Database) -> dict[int, dict[str, list[float]]]:
    """Each forecaster's latest forecast per question, in one query."""
    standing: dict[int, dict[str, list[float]]] = defaultdict(dict)
    for qid, forecaster, p, probs in db.execute(
        "select question_id, forecaster, p, probs from ("
        " select question_id, forecaster, p, probs, row_number() over ("
        "  partition by question_id, forecaster order by made_at desc, id desc) as rn"
        " from forecasts) where rn = 1"
    ):
        standing[qid][forecaster] = [p, 1 - p] if probs is None else json.loads(probs)
    return standing


def question_overview(db: Database, questions: list[Question], user: str) -> dict[int, Overview]:
    standing = standing_forecasts(db)
    result: dict[int, Overview] = {}
    for question in questions:
        items = [engine_input(i) for i in list_evidence(db, question.id)]
        steps = bayes.timeline(question.priors, items) if items else []
        posterior = list(steps[-1].posterior) if steps else question.priors
        trail = [question.priors[0]] + [s.posterior[0] for s in steps]
        if question.kind != "binary":
            leader = max(range(len(posterior)), key=posterior.__getitem__)
            trail = [question.priors[leader]] + [s.posterior[leader] for s in steps]
        people = standing.get(question.id, {})
        mine = _headline(question, people[user]) if user in people else "–"
        team = "–"
        if people:
            median = [statistics.median(v[j] for v in people.values()) for j in range(len(question.outcomes))]
            total = sum(median) or 1.0
            team = _headline(question, [m / total for m in median])
        result[question.id] = Overview(_headline(question, posterior), mine, team, sparkline(trail))
    return result
