"""The new-indicator dialog: a binary question whose resolution becomes evidence on this one."""

from __future__ import annotations

from typing import Any

from arguments.evidence import check_unit
from arguments.indicators import add_indicator, check_indicator_likelihoods
from questions import store
from questions.errors import InvalidInput
from screens.dialogs.form import FormDialog, floats, optional_float


class IndicatorDialog(FormDialog):
    """Make a binary question an indicator for this question's outcomes."""

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def fields(self) -> list[tuple[str, str, str, str]]:
        question = store.get_question(self.app.db, self.question_id)
        self.outcome_names = question.outcome_names
        self.TITLE_TEXT = f"New indicator for {question.short_id}"
        return [
            ("ind-child", "indicator question", "", "Q9 (a binary question)"),
            (
                "ind-likelihoods",
                "P(Yes | outcome)",
                "",
                f"{len(self.outcome_names)} values in (0, 1): "
                + ", ".join(name[:12] for name in self.outcome_names),
            ),
            ("ind-credibility", "credibility", "1", "0..1"),
            ("ind-group", "group", "", "optional redundancy group"),
        ]

    def validate_form(self) -> None:
        ref = self.value("ind-child").strip()
        if not ref:
            raise InvalidInput("indicator question: give a binary question's id (e.g. Q9)")
        child = store.get_question(self.app.db, ref)
        if child.kind != "binary":
            raise InvalidInput(f"indicator: {child.short_id} is not a binary question (Yes/No)")
        if child.id == self.question_id:
            raise InvalidInput(f"indicator: Q{child.id} cannot be linked to itself")
        values = floats(self.value("ind-likelihoods"), "likelihoods")
        check_indicator_likelihoods(values, self.outcome_names, f"Q{self.question_id}")
        credibility = optional_float(self.value("ind-credibility"), "credibility")
        check_unit(1.0 if credibility is None else credibility, "credibility")

    def save(self) -> Any:
        credibility = optional_float(self.value("ind-credibility"), "credibility")
        return add_indicator(
            self.app.db,
            self.question_id,
            self.value("ind-child").strip(),
            floats(self.value("ind-likelihoods"), "likelihoods"),
            by=self.app.session.user,
            credibility=1.0 if credibility is None else credibility,
            group=self.value("ind-group").strip() or None,
        )
