"""Disputed likelihoods: for each challenged evidence item, every analyst's numbers, how far apart
they are, their consensus (the geometric mean of the likelihoods), and the question's posterior
under each analyst's numbers and under the consensus."""

from __future__ import annotations

import math
from typing import Any

from sqlite_utils import Database

from arguments.review_store import challenges_for
from forecast.engine.model import QuestionModel, analyse, question_model


def _db_spread(vectors: list[tuple[float, ...]]) -> float:
    """Dispute level: the widest disagreement, in dB, about any outcome's likelihood relative to
    the last outcome (for binary: 10·log10 of the largest over the smallest LR)."""
    spread = 0.0
    for j in range(len(vectors[0]) - 1):
        ratios = [10 * math.log10(v[j] / v[-1]) for v in vectors if v[j] > 0 and v[-1] > 0]
        if len(ratios) > 1:
            spread = max(spread, max(ratios) - min(ratios))
    return spread


def geometric_consensus(vectors: list[tuple[float, ...]]) -> tuple[float, ...]:
    size = len(vectors)
    return tuple(
        math.exp(sum(math.log(v[j]) for v in vectors) / size)
        if all(v[j] > 0 for v in vectors)
        else 0.0
        for j in range(len(vectors[0]))
    )


def _value_author(db: Database, evidence_id: int) -> str:
    """Who gave the item its current numbers: the author of its last recorded add or edit (a
    challenge or a review makes a new version too, but does not change the numbers)."""
    row = db.execute(
        "select by from evidence_history where evidence_id = ? order by id desc limit 1",
        [evidence_id],
    ).fetchone()
    return str(row[0])


def disputes(
    db: Database, question: str | int, *, model: QuestionModel | None = None
) -> list[dict[str, Any]]:
    """Each item under open challenge with every analyst's numbers and what they imply
    (``model``: the question's model when the caller has it already)."""
    open_challenges = challenges_for(db, model.question.id if model else question)
    if not open_challenges:
        return []
    if model is None:
        model = question_model(db, question, sensitivity=False)
    result = []
    for item in model.evidence:
        mine = [c for c in open_challenges if c.evidence_id == item.id]
        if not mine:
            continue
        # (analyst, likelihoods, reason, challenge id): the item as it stands, then each challenge
        views: list[tuple[str, tuple[float, ...], str, str | None]] = [
            (_value_author(db, item.id), item.likelihoods, "current value", None)
        ]
        views += [(c.proposer, c.likelihoods, c.reason, c.short_id) for c in mine]
        vectors = [v for _, v, _, _ in views]
        consensus = geometric_consensus(vectors)

        def posterior_with(vector: tuple[float, ...], target: int = item.id) -> list[float]:
            changed = [
                i.model_copy(update={"likelihoods": vector, "range_low": None, "range_high": None})
                if i.id == target
                else i
                for i in model.evidence
            ]
            return [float(p) for p in analyse(model.question, changed, sensitivity=False).posterior]

        result.append(
            {
                "evidence_id": item.short_id,
                "text": item.text,
                "analysts": [
                    {
                        "name": name,
                        "likelihoods": list(vector),
                        "reason": reason,
                        "challenge": challenge_id,
                        "posterior": posterior_with(vector),
                    }
                    for name, vector, reason, challenge_id in views
                ],
                "dispute_db": _db_spread(vectors),
                "consensus": list(consensus),
                "posterior_consensus": posterior_with(consensus),
            }
        )
    return result
