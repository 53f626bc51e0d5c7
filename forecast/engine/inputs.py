"""A stored evidence item as the engine takes it (``bayes.EvidenceInput``).

Works on the pydantic ``Evidence`` and on the plain ``EvidenceRecord`` alike (both carry these
attributes), so the questions screen can run the engine before the validation layer is loaded."""

from __future__ import annotations

from typing import Protocol

from forecast.engine import bayes


class StoredEvidence(Protocol):
    @property
    def short_id(self) -> str: ...
    @property
    def likelihoods(self) -> tuple[float, ...]: ...
    @property
    def credibility(self) -> float: ...
    @property
    def range_low(self) -> tuple[float, ...] | None: ...
    @property
    def range_high(self) -> tuple[float, ...] | None: ...
    @property
    def group(self) -> str | None: ...
    @property
    def rho(self) -> float | None: ...
    @property
    def citations(self) -> tuple[str, ...]: ...
    @property
    def source(self) -> str: ...
    @property
    def observed_at(self) -> str | None: ...
    @property
    def depends_on(self) -> int | None: ...


def source_keys(item: StoredEvidence) -> tuple[str, ...]:
    """What an item rests on, for double-counting warnings: cited works, else its citation text."""
    if item.citations:
        return item.citations
    text = " ".join(item.source.lower().split())
    return (text,) if text else ()


def engine_input(item: StoredEvidence) -> bayes.EvidenceInput:
    return bayes.EvidenceInput(
        id=item.short_id,
        likelihoods=tuple(item.likelihoods),
        credibility=item.credibility,
        low=tuple(item.range_low) if item.range_low else None,
        high=tuple(item.range_high) if item.range_high else None,
        group=item.group,
        rho=item.rho or 0.0,
        sources=source_keys(item),
        observed=item.observed_at,
        depends_on=f"E{item.depends_on}" if item.depends_on else None,
    )
