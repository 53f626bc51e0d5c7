"""The ACH matrix (Heuer, Psychology of Intelligence Analysis, 1999, ch. 8): evidence × hypotheses
with ratings and likelihoods, Heuer's inconsistency score per hypothesis, each item's
diagnosticity, and the Bayesian posterior beside them.

Inconsistency counts against a hypothesis each item rated I (1) or II (2), weighted by the item's
credibility; the hypothesis with the least inconsistency is the one ACH favours. Items entered as
likelihoods without ratings add nothing to the score (they still move the posterior).

Rows come most diagnostic first (Heuer's advice: the items that tell the hypotheses apart are
the ones to weigh; an item consistent with every hypothesis has diagnosticity 0 and sinks),
ties in entry order. Diagnosticity is the spread of the item's log-likelihoods across the
hypotheses (c · 10 log10(max l / min l), in dB; ``engine.bayes``).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from arguments.ach_ratings import rating_table
from forecast.engine.model import question_model

INCONSISTENCY = {"I": 1.0, "II": 2.0}


def ach_matrix(db: Database, question: str | int) -> dict[str, Any]:
    model = question_model(db, question)
    q, analysis = model.question, model.analysis
    scores = [0.0] * len(q.outcomes)
    rows: list[dict[str, Any]] = []
    for row, item in enumerate(model.evidence):
        ratings = list(item.ratings) if item.ratings else None
        if ratings:
            for j, rating in enumerate(ratings):
                scores[j] += INCONSISTENCY.get(rating, 0.0) * item.credibility
        rows.append(
            {
                "id": item.short_id,
                "text": item.text,
                "credibility": item.credibility,
                "ratings": ratings,
                "likelihoods": list(item.likelihoods),
                "diagnosticity": float(analysis.diagnosticity[row]),
                "weight_db": float(analysis.weight_db[row]),
            }
        )
    rows.sort(key=lambda r: -float(r["diagnosticity"]))  # stable: ties keep entry order
    hypotheses = [
        {
            "name": o.name,
            "prior": o.prior,
            "posterior": float(analysis.posterior[j]),
            "interval": [float(analysis.interval[j, 0]), float(analysis.interval[j, 1])],
            "inconsistency": scores[j],
        }
        for j, o in enumerate(q.outcomes)
    ]
    least = min(range(len(scores)), key=scores.__getitem__)
    return {
        "question": q.short_id,
        "title": q.title,
        "hypotheses": hypotheses,
        "evidence": rows,
        "least_inconsistent": q.outcomes[least].name if any(scores) else None,
        "most_probable": q.outcomes[int(analysis.leader)].name,
        "rating_table": rating_table(db),
        "warnings": list(analysis.warnings),
    }
