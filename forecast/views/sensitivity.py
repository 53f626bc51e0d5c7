"""Sensitivity, and what the question screens' weight and flip figures are about.

- **Influence if removed**: |P − P without the item| on the headline outcome (P(Yes) for a binary
  question, P(leader) for a multi-outcome one; ``evidence_detail.headline_index``). Sensitivity
  lists items by it, most influential first: an item with no 90% range has a swing of 0 but may
  carry the conclusion. Ties keep the larger swing first, then entry order.
- **The dB column** is an item's weight for one outcome: the first (Yes) when there are two
  outcomes, else the leading outcome against the mean of the others (``engine.bayes``). Its label
  names that outcome: ``dB(Yes)``, ``dB(Rural insurgency)``.
- **The flip figure**: the likelihood ratio one new item would need to change the leader — for
  Yes over No (binary: it brings P(Yes) to 1/2), or for the runner-up over the leader (multi).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.engine.bayes import Analysis
from forecast.engine.model import QuestionModel
from forecast.views.evidence_detail import headline_index, item_effects
from questions.models import Question


def weight_outcome(question: Question, leader: int) -> str:
    """The outcome an item's dB weight is about."""
    return question.outcomes[0 if len(question.outcomes) == 2 else leader].name


def weight_label(question: Question, analysis: Analysis, width: int = 14) -> str:
    """``dB(Yes)``, ``dB(Rural ins…)``: cut to ``width`` characters."""
    label = f"dB({weight_outcome(question, int(analysis.leader))})"
    return label if len(label) <= width else label[: width - 2] + "…)"


def flip_outcomes(question: Question, posterior: np.ndarray, leader: int) -> tuple[str, str]:
    """(for, over): the flip LR is for the first outcome over the second."""
    names = question.outcome_names
    if len(names) == 2:
        return names[0], names[1]
    runner = int(np.argsort(posterior)[::-1][1])
    return names[runner], names[leader]


def flip_text(question: Question, analysis: Analysis) -> str:
    """``LR 4 for Yes over No``: what one new item would need to change the leader."""
    favoured, over = flip_outcomes(question, analysis.posterior, int(analysis.leader))
    return f"LR {float(analysis.flip_lr):.3g} for {favoured} over {over}"


@dataclass(frozen=True)
class SensitivityRow:
    row: int
    """The item's position in ``model.evidence``."""
    effect: float
    """P(headline) with every item − without this one."""
    influence: float
    """|effect|: what sensitivity sorts by."""
    swing: float
    without: float
    """P(headline) without the item."""


def sensitivity_rows(model: QuestionModel) -> list[SensitivityRow]:
    """Every item, most influential if removed first (then larger swing, then entry order)."""
    analysis = model.analysis
    j = headline_index(model.question, int(analysis.leader))
    effects = item_effects(analysis.posterior, analysis.posterior_without, j)
    rows = [
        SensitivityRow(
            row=i,
            effect=effects[i],
            influence=abs(effects[i]),
            swing=float(analysis.swing[i]),
            without=float(analysis.posterior_without[i][j]),
        )
        for i in range(len(model.evidence))
    ]
    return sorted(rows, key=lambda r: (-round(r.influence, 12), -r.swing, r.row))
