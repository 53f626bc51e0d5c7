"""PredictionBook's API JSON (``GET /api/my_predictions``: ``{"user": {...}, "predictions":
[...]}``, each prediction as its ``PredictionSerializer`` writes it, with its ``responses``); a
bare list of predictions is read too.

- ``description`` -> title; ``created_at`` -> opens; ``deadline`` -> closes; ``outcome``
  true/false -> resolved Yes/No (at the latest ``judgements`` entry's time if the file has
  them, else ``updated_at``, as the API says no more); ``withdrawn`` -> annulled.
- Each response with a ``confidence`` (0-100) -> a forecast by its ``user_label`` at its
  ``created_at``, with its ``comment`` as the rationale; a response with only a comment -> a
  comment. Errors name the element (``FILE: predictions[3].deadline: ...``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from questions.errors import InvalidInput

from .records import (
    ANNULLED,
    Batch,
    HistoryComment,
    HistoryForecast,
    HistoryQuestion,
    RowError,
    moment,
    probability,
    read_text,
)


def load_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg})") from None


def _text(where: str, field: str, value: object, *, required: bool = False) -> str:
    if value is None or value == "":
        if required:
            raise RowError(where, field, value, "required")
        return ""
    if not isinstance(value, str):
        raise RowError(where, field, value, "not text")
    return value


def parse(path: Path) -> Batch:
    data = load_json(path)
    predictions = data.get("predictions") if isinstance(data, dict) else data
    if not isinstance(predictions, list):
        raise InvalidInput(f"{path}: predictions: not a list (the API's my_predictions response)")
    batch = Batch("predictionbook", path)
    for i, item in enumerate(predictions):
        here = f"{path}: predictions[{i}]"
        if not isinstance(item, dict):
            raise RowError(here, "prediction", item, "not an object")
        key = str(item.get("id") or item.get("uuid") or "")
        if not key:
            raise RowError(here, "id", item.get("id"), "required")
        question = HistoryQuestion(
            key=key,
            title=_text(here, "description", item.get("description"), required=True),
            where=here,
            opens_at=moment(here, "created_at", _text(here, "created_at", item.get("created_at"))),
            closes_at=moment(here, "deadline", _text(here, "deadline", item.get("deadline"))),
            description=f"https://predictionbook.com/predictions/{key}",
            tags={"predictionbook"},
        )
        outcome = item.get("outcome")
        judged = _last_judgement(here, item.get("judgements"))
        if item.get("withdrawn") is True:
            question.resolution = ANNULLED
        elif outcome is not None:
            if not isinstance(outcome, bool):
                raise RowError(here, "outcome", outcome, "not allowed (true, false or null)")
            question.resolution = "Yes" if outcome else "No"
            question.resolved_at = judged or moment(
                here, "updated_at", _text(here, "updated_at", item.get("updated_at"))
            )
        batch.questions[key] = question
        for j, response in enumerate(item.get("responses") or []):
            _response(batch, key, f"{here}.responses[{j}]", response)
    return batch


def _last_judgement(where: str, judgements: object) -> str | None:
    if not isinstance(judgements, list) or not judgements:
        return None
    last = judgements[-1]
    if not isinstance(last, dict):
        raise RowError(f"{where}.judgements[-1]", "judgement", last, "not an object")
    return moment(
        where, "judgements.created_at", _text(where, "created_at", last.get("created_at"))
    )


def _response(batch: Batch, key: str, where: str, response: object) -> None:
    if not isinstance(response, dict):
        raise RowError(where, "response", response, "not an object")
    who = (
        _text(where, "user_label", response.get("user_label"))
        or f"predictionbook user {response.get('user_id')}"
    )
    at = (
        moment(
            where,
            "created_at",
            _text(where, "created_at", response.get("created_at")),
            required=True,
        )
        or ""
    )
    comment = _text(where, "comment", response.get("comment"))
    confidence = response.get("confidence")
    if confidence is None:
        if comment:
            batch.comments.append(HistoryComment(key, who, comment, at))
        return
    p = probability(where, "confidence", confidence, scale=100)
    batch.forecasts.append(HistoryForecast(key, who, at, [p, 1 - p], where, rationale=comment))
