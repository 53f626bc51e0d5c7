"""Pydantic models of the questions layer: what a question is, its outcomes, forecasts, resolutions.

Models validate at the edge and do no I/O. ``checked()`` turns a pydantic ``ValidationError`` into
one ``InvalidInput`` line naming the field, the value and what is allowed.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import clock
from .errors import InvalidInput
from .records import OutcomeViews


class Model(BaseModel):
    """Base of every forecastle model: validators are built on first validation, not at import,
    so that opening the TUI (which reads stored rows with ``model_construct``) does not pay for them."""

    model_config = ConfigDict(defer_build=True)


Kind = Literal["binary", "multi"]
"""``binary``: outcomes Yes/No; ``multi``: two or more named, mutually exclusive outcomes."""

Status = Literal["open", "closed", "resolved", "annulled"]

Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=300)]

BINARY_OUTCOMES = ("Yes", "No")
SUM_TOLERANCE = 1e-3


class Outcome(Model):
    """One outcome (hypothesis) of a question."""

    model_config = ConfigDict(frozen=True)

    name: Name
    """Shown to users; unique within its question (case-insensitive)."""
    prior: Annotated[float, Field(gt=0.0, lt=1.0, allow_inf_nan=False)]
    """The analyst's probability before any evidence. Priors of a question sum to 1."""
    position: int = 0
    """Order within the question; 0 is Yes for a binary question."""


class QuestionDraft(Model):
    """What a user gives to create a question; builds normalised outcomes."""

    title: Name
    description: str = ""
    criteria: str = ""
    """How the question will be resolved."""
    tags: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(default_factory=list)
    opens_at: str | None = None
    closes_at: str | None = None
    outcome_names: list[Name] = Field(default_factory=list)
    """Empty: a binary question with outcomes Yes/No."""
    priors: list[float] = Field(default_factory=list)
    """Binary: at most one value, P(Yes). Multi: one per outcome, probabilities or weights."""

    @field_validator("title", "description", "criteria")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("opens_at", "closes_at")
    @classmethod
    def _stored_time(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Dates are kept in the stored form (UTC, second precision), whoever made the draft."""
        return clock.parse_iso(value, field=info.field_name or "date") if value else None

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, tags: list[str]) -> list[str]:
        return sorted({t.strip().lower() for t in tags if t.strip()})

    @model_validator(mode="after")
    def _check(self) -> QuestionDraft:
        if not self.title:
            raise ValueError("title: must not be empty")
        if self.outcome_names and len(self.outcome_names) < 2:
            raise ValueError("outcome: a multi-outcome question needs at least 2 outcomes")
        lowered = [n.strip().lower() for n in self.outcome_names]
        if len(set(lowered)) != len(lowered):
            raise ValueError("outcome: names must be distinct")
        if self.opens_at and self.closes_at and self.closes_at < self.opens_at:
            raise ValueError(f"closes: {self.closes_at} is before opens {self.opens_at}")
        self.outcomes()  # validates the priors
        return self

    @property
    def kind(self) -> Kind:
        return "multi" if self.outcome_names else "binary"

    def outcomes(self) -> list[Outcome]:
        """Outcomes with normalised priors."""
        for value in self.priors:
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"prior: {value} is not allowed (use a finite number > 0)")
        if not self.outcome_names:
            if len(self.priors) > 1:
                raise ValueError("prior: a binary question takes one --prior, P(Yes)")
            p_yes = self.priors[0] if self.priors else 0.5
            if not 0 < p_yes < 1:
                raise ValueError(f"prior: {p_yes} is not allowed (P(Yes) must be between 0 and 1)")
            return [
                Outcome(name="Yes", prior=p_yes, position=0),
                Outcome(name="No", prior=1 - p_yes, position=1),
            ]
        names = [n.strip() for n in self.outcome_names]
        weights = self.priors or [1.0] * len(names)
        if len(weights) != len(names):
            raise ValueError(
                f"prior: {len(weights)} values for {len(names)} outcomes (give one per outcome)"
            )
        total = sum(weights)
        return [
            Outcome(name=name, prior=w / total, position=i)
            for i, (name, w) in enumerate(zip(names, weights, strict=True))
        ]


class Question(Model, OutcomeViews):
    """A stored question, with its outcomes."""

    id: int
    short_id: str
    """``Q`` and the number, e.g. ``Q12``: what users type."""
    uuid: str
    """Stable across workspaces; bundles merge on it."""
    title: str
    description: str = ""
    criteria: str = ""
    tags: list[str] = Field(default_factory=list)
    kind: Kind
    status: Status
    opens_at: str | None = None
    closes_at: str | None = None
    outcomes: list[Outcome]
    created_at: str
    created_by: str
    version: int = 1
    """Bumped on every edit; a save based on an older version is refused as a conflict."""
    resolved_outcome: str | None = None
    resolved_at: str | None = None


class Forecast(Model):
    """A forecaster's probability vector for a question at a time. Append-only."""

    question_id: int
    forecaster: Name
    made_at: str
    probs: list[Probability]
    """One per outcome, in outcome order; sums to 1."""
    rationale: str = ""
    adopted_model: bool = False
    """True when the forecaster took the model's posterior as their forecast."""
    took_recalibration: bool = False
    """True when the forecaster took the recalibrated value suggested from their track record."""

    @field_validator("probs")
    @classmethod
    def _sums_to_one(cls, probs: list[float]) -> list[float]:
        if len(probs) < 2:
            raise ValueError("a forecast needs one probability per outcome")
        total = sum(probs)
        if abs(total - 1) > SUM_TOLERANCE:
            shown = ",".join(f"{p:g}" for p in probs)
            raise ValueError(f"{shown} sums to {total:g}; probabilities must sum to 1")
        return [p / total for p in probs]


class Resolution(Model):
    """One entry of a question's resolution audit trail."""

    question_id: int
    action: Literal["resolved", "annulled", "unresolved"]
    outcome: str | None = None
    resolved_at: str | None = None
    recorded_at: str
    recorded_by: str


M = TypeVar("M", bound=BaseModel)


def checked(model: type[M], **data: object) -> M:
    """Validate ``data`` into ``model``; a failure becomes one ``InvalidInput`` line."""
    try:
        return model(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or model.__name__.lower()
        message = str(first["msg"]).removeprefix("Value error, ")
        if ":" in message.split(" ")[0]:
            raise InvalidInput(message) from None
        raise InvalidInput(f"{where}: {first.get('input')!r}: {message}") from None
