"""The JSON forms of a question: its summary (``question list --json``) and its detail with
forecasts and resolution trail (the base of ``question show --json``)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from . import store
from .models import Question


def question_summary(question: Question) -> dict[str, Any]:
    """The JSON form of a question (without forecasts)."""
    return {
        "id": question.short_id,
        "uuid": question.uuid,
        "title": question.title,
        "description": question.description,
        "criteria": question.criteria,
        "kind": question.kind,
        "status": question.status,
        "tags": question.tags,
        "opens_at": question.opens_at,
        "closes_at": question.closes_at,
        "resolution": (
            {"outcome": question.resolved_outcome, "at": question.resolved_at}
            if question.status in ("resolved", "annulled")
            else None
        ),
        "outcomes": [{"name": o.name, "prior": o.prior} for o in question.outcomes],
        "version": question.version,
    }


def question_detail(db: Database, question: Question) -> dict[str, Any]:
    """The summary with the question's forecasts and its resolution trail."""
    data = question_summary(question)
    data["forecasts"] = [
        {
            "forecaster": f.forecaster,
            "made_at": f.made_at,
            "probs": f.probs,
            "rationale": f.rationale,
            "adopted_model": f.adopted_model,
            "took_recalibration": f.took_recalibration,
        }
        for f in store.forecasts_for(db, question.id)
    ]
    data["resolution_history"] = [
        r.model_dump(exclude={"question_id"}) for r in store.resolution_history(db, question.id)
    ]
    return data
