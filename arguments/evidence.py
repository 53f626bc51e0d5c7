"""Evidence: what a user gives (``EvidenceInputs``), how it is checked against its question, and
the stored item (``Evidence``).

Every item carries one likelihood per outcome of its question. A binary question's likelihood
ratio LR is the likelihood pair (LR, 1), so binary and multi-outcome items share one shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import ConfigDict, Field

from questions.errors import InvalidInput
from questions.models import Model, Question

Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
DEFAULT_REDUNDANCY = 0.5


class Evidence(Model):
    """A stored evidence item."""

    model_config = ConfigDict(frozen=True)

    id: int
    uuid: str
    question_id: int
    text: str
    """The statement: what was observed."""
    quote: str = ""
    """Exact words from the source, if any."""
    source: str = ""
    """Citation text (where it comes from)."""
    observed_at: str | None = None
    credibility: Unit = 1.0
    """c in [0, 1]: 0 ignores the item, 1 takes it at face value."""
    likelihoods: tuple[float, ...]
    """One per outcome, in outcome order; binary: (LR, 1)."""
    range_low: tuple[float, ...] | None = None
    range_high: tuple[float, ...] | None = None
    depends_on: int | None = None
    group: str | None = None
    rho: float | None = None
    """The redundancy of its group, when it is in one."""
    ratings: tuple[str, ...] | None = None
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    version: int = 1
    removed_at: str | None = None
    removed_by: str | None = None
    citations: tuple[str, ...] = ()
    """Keys of the cited works (after Ibid resolution), for double-counting warnings."""

    @property
    def short_id(self) -> str:
        return f"E{self.id}"

    @property
    def lr(self) -> float:
        """The likelihood ratio of the first outcome against the second (binary: P(e|Yes)/P(e|No))."""
        return self.likelihoods[0] / self.likelihoods[1] if self.likelihoods[1] else math.inf

    @property
    def lr_range(self) -> tuple[float, float] | None:
        if self.range_low is None or self.range_high is None:
            return None
        return self.range_low[0] / self.range_low[1], self.range_high[0] / self.range_high[1]


class EvidenceInputs(Model):
    """Fields a user may set on an item; ``None`` means "not given" (keep it, on edit)."""

    text: str | None = None
    quote: str | None = None
    source: str | None = None
    observed_at: str | None = None
    credibility: float | None = None
    lr: float | None = None
    likelihoods: list[float] | None = None
    range_low: list[float] | None = None
    range_high: list[float] | None = None
    clear_range: bool = False
    depends_on: int | None = None
    clear_depends_on: bool = False
    group: str | None = None
    redundancy: float | None = None
    ratings: list[str] | None = None


def _finite(value: float, field: str, allowed: str) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{field}: {value!r} is not allowed ({allowed})")
    return float(value)


SINGLE_LR_KINDS = ("binary", "numeric", "date")
"""Kinds whose items carry one likelihood ratio (stored as the pair [LR, 1]): binary questions,
and numeric/date ones (the LR of a step over the range; see ``arguments.numeric_evidence``)."""


def check_unit(value: float, field: str) -> float:
    value = _finite(value, field, "a number from 0 to 1")
    if not 0.0 <= value <= 1.0:
        raise InvalidInput(f"{field}: {value!r} is not allowed (a number from 0 to 1)")
    return value


def check_probabilities(question: Question, values: Sequence[float], field: str) -> None:
    """A multi-outcome item's likelihoods are probabilities P(e | outcome): each in (0, 1]. The
    first one outside is named with its outcome and value."""
    for name, value in zip(question.outcome_names, values, strict=True):
        if not 0 < value <= 1:
            raise InvalidInput(
                f"{field}: {name} {value:g} is not allowed (each likelihood is P(evidence | outcome),"
                " in (0, 1]; scale them all to keep their ratios)"
            )


def likelihood_vector(
    question: Question, lr: float | None, likelihoods: Sequence[float] | None
) -> tuple[float, ...]:
    """Check an LR (binary) or a likelihood per outcome and return the stored vector."""
    if lr is not None and likelihoods is not None:
        raise InvalidInput("lr: give --lr or --likelihoods, not both")
    if lr is not None:
        if question.kind not in SINGLE_LR_KINDS:
            raise InvalidInput(
                f"lr: {question.short_id} has {len(question.outcomes)} outcomes; give one likelihood "
                f"per outcome with --likelihoods ({', '.join(question.outcome_names)})"
            )
        lr = _finite(lr, "lr", "a finite likelihood ratio > 0")
        if lr <= 0:
            raise InvalidInput(f"lr: {lr!r} is not allowed (a finite likelihood ratio > 0)")
        return (lr, 1.0)
    if likelihoods is None:
        raise InvalidInput("lr: give --lr X (binary) or --likelihoods A,B,... (one per outcome)")
    if len(likelihoods) != len(question.outcomes):
        raise InvalidInput(
            f"likelihoods: {len(likelihoods)} values for {len(question.outcomes)} outcomes of "
            f"{question.short_id} ({', '.join(question.outcome_names)})"
        )
    values = tuple(_finite(v, "likelihoods", "finite numbers >= 0") for v in likelihoods)
    if question.kind not in SINGLE_LR_KINDS:
        check_probabilities(question, values, "likelihoods")
    if any(v < 0 for v in values):
        raise InvalidInput(f"likelihoods: {min(values)!r} is not allowed (each >= 0)")
    if not any(v > 0 for v in values):
        raise InvalidInput("likelihoods: all are 0 (at least one must be > 0)")
    return values


def range_vectors(
    question: Question, point: tuple[float, ...], low: Sequence[float], high: Sequence[float]
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Check a 90% range: for binary, LR ends (lo, hi); else one low and one high per outcome.
    The range must contain the point value."""
    if question.kind in SINGLE_LR_KINDS and len(low) == 1 and len(high) == 1:
        lo = _finite(low[0], "range", "finite numbers > 0")
        hi = _finite(high[0], "range", "finite numbers > 0")
        if lo <= 0 or not lo <= point[0] <= hi:
            raise InvalidInput(
                f"range: {lo:g}..{hi:g} does not contain the LR {point[0]:g} (need 0 < LO <= LR <= HI)"
            )
        return (lo, 1.0), (hi, 1.0)
    if len(low) != len(point) or len(high) != len(point):
        raise InvalidInput(
            f"range: give {len(point)} low and {len(point)} high values (one per outcome)"
        )
    lows = tuple(_finite(v, "range", "finite numbers >= 0") for v in low)
    highs = tuple(_finite(v, "range", "finite numbers >= 0") for v in high)
    if question.kind not in SINGLE_LR_KINDS:
        check_probabilities(question, highs, "range high")
    for name, lo, p, hi in zip(question.outcome_names, lows, point, highs, strict=True):
        if not (0 <= lo <= p <= hi) or (p > 0 and lo == 0):
            raise InvalidInput(
                f"range: {name}: {lo:g}..{hi:g} does not contain the likelihood {p:g} "
                "(need 0 < LO <= value <= HI)"
            )
    return lows, highs


def evidence_summary(item: Evidence, kind: str) -> dict[str, Any]:
    """The JSON form of an item (``evidence list --json``), without model numbers; ``kind`` is its
    question's (``binary``: the LR and its range, else the likelihoods and their ranges)."""
    data: dict[str, Any] = {
        "id": item.short_id,
        "uuid": item.uuid,
        "question": f"Q{item.question_id}",
        "text": item.text,
    }
    if kind in SINGLE_LR_KINDS:
        data["lr"] = item.lr
        data["range"] = list(item.lr_range) if item.lr_range else None
    else:
        data["likelihoods"] = list(item.likelihoods)
        data["range"] = (
            [list(item.range_low), list(item.range_high)]
            if item.range_low and item.range_high
            else None
        )
    data.update(
        credibility=item.credibility,
        quote=item.quote,
        source=item.source,
        observed_at=item.observed_at,
        depends_on=f"E{item.depends_on}" if item.depends_on else None,
        group=item.group,
        redundancy=item.rho,
        ratings=list(item.ratings) if item.ratings else None,
        author=item.created_by,
        version=item.version,
        removed_at=item.removed_at,
    )
    return data
