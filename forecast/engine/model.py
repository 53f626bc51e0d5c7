"""A question's model: its stored evidence run through the Bayesian engine.

The CLI (`question show`), the TUI and reports call these functions; each loads from the
workspace and hands plain data to ``forecast.engine.bayes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlite_utils import Database

from arguments.evidence import Evidence
from arguments.evidence_store import evidence_history, list_evidence
from forecast.engine import bayes, history
from forecast.engine.inputs import engine_input
from questions import store
from questions.errors import InvalidInput
from questions.models import Question


@dataclass(frozen=True)
class QuestionModel:
    """A question, its live evidence and what the engine makes of them."""

    question: Question
    evidence: list[Evidence]
    analysis: bayes.Analysis
    prepared: bayes.Prepared
    """``evidence`` as the engine takes it, kept so that a change to one item converts only that one."""

    def timeline(self) -> list[bayes.TimelineStep]:
        return bayes.timeline_steps(self.prepared)

    def timeline_posteriors(self) -> np.ndarray:
        """(n, k): the posterior after each item in observed order (``prepared.order``), as
        ``timeline`` without a Python object per step."""
        return bayes.timeline_posteriors(self.prepared)

    def with_item(self, updated: Evidence) -> QuestionModel:
        """The model after one of its items changed (an LR nudge on a thousand items stays quick)."""
        index = next(i for i, item in enumerate(self.evidence) if item.id == updated.id)
        evidence = [*self.evidence[:index], updated, *self.evidence[index + 1 :]]
        prepared = self.prepared.replace(index, engine_input(updated))
        return QuestionModel(self.question, evidence, _analyse(self.question, prepared), prepared)


def _analyse(
    question: Question, prepared: bayes.Prepared, *, sensitivity: bool = True
) -> bayes.Analysis:
    return bayes.analyse_prepared(
        prepared, outcomes=question.outcome_names, sensitivity=sensitivity
    )


def analyse(
    question: Question, items: Sequence[Evidence], *, sensitivity: bool = True
) -> bayes.Analysis:
    return _analyse(
        question,
        bayes.prepare(question.priors, [engine_input(i) for i in items]),
        sensitivity=sensitivity,
    )


def refuse_numeric(question: Question) -> None:
    """The categorical model, trees and ACH are not for numeric questions: one clear line."""
    if question.kind in ("numeric", "date"):
        raise InvalidInput(
            f"{question.short_id} is a {question.kind} question: its model is in `forecastle "
            f"question show {question.short_id}` (this view is for categorical questions)"
        )


def question_model(db: Database, ref: str | int, *, sensitivity: bool = True) -> QuestionModel:
    """Load a question and its live evidence and analyse them."""
    question = store.get_question(db, ref)
    refuse_numeric(question)
    items = list_evidence(db, question.id)
    prepared = bayes.prepare(question.priors, [engine_input(i) for i in items])
    return QuestionModel(
        question, items, _analyse(question, prepared, sensitivity=sensitivity), prepared
    )


def model_history(db: Database, ref: str | int) -> list[dict[str, Any]]:
    """Every recorded change to a question's model (prior changed, evidence added/edited/removed),
    oldest first, each with who, when and the posterior the model gave right after it
    (``forecast.engine.history``: running sums, one step per change)."""
    question = store.get_question(db, ref)
    refuse_numeric(question)
    return history.replay(
        store.prior_history(db, question.id),
        evidence_history(db, question.id),
        question.priors,
        state_input,
    )


def state_input(state: dict[str, Any]) -> bayes.EvidenceInput:
    """An item's state as ``evidence_history`` stores it, as the engine takes it (for the
    posterior: its likelihoods, credibility and group)."""
    return bayes.EvidenceInput(
        id=f"E{state['id']}",
        likelihoods=tuple(state["likelihoods"]),
        credibility=state["credibility"],
        group=state.get("group"),
        rho=state.get("rho") or 0.0,
    )
