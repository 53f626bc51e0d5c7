"""A new numeric or date question (as ``question add --numeric LO HI --unit U`` or ``--date LO
HI``), prefilled from a prefill dict: the reader proposes one from a quantity or date mark with a
range around it, the sentence as its description, and the analyst edits before saving."""

from __future__ import annotations

from typing import Any

from questions import clock
from questions.errors import InvalidInput
from questions.models import QuestionDraft, checked
from questions.numeric import NumericRange, date_to_value
from screens.dialogs.form import FormDialog, optional_float


class NumericQuestionDialog(FormDialog):
    """Create a numeric question (``kind`` numeric) or a date question (``kind`` date)."""

    def __init__(self, prefill: dict[str, str], *, is_date: bool = False) -> None:
        super().__init__()
        self.prefill = prefill
        self.is_date = is_date
        self.TITLE_TEXT = "New date question" if is_date else "New numeric question"

    def fields(self) -> list[tuple[str, str, str, str]]:
        get = self.prefill.get
        bound_hint = "YYYY-MM-DD" if self.is_date else "a number"
        fields = [
            ("nn-title", "title", get("title", ""), "How many ... by ...?"),
            ("nn-description", "description", get("description", ""), "background"),
            ("nn-low", "range low", get("low", ""), bound_hint),
            ("nn-high", "range high", get("high", ""), bound_hint),
        ]
        if not self.is_date:
            fields.append(("nn-unit", "unit", get("unit", ""), "kilograms, people, % ..."))
        return [
            *fields,
            ("nn-closes", "closes", get("closes", ""), "YYYY-MM-DD"),
            ("nn-tags", "tags", get("tags", ""), "comma-separated"),
            ("nn-criteria", "resolution criteria", get("criteria", ""), "how it resolves"),
        ]

    def draft(self) -> QuestionDraft:
        closes = self.value("nn-closes").strip()
        return checked(
            QuestionDraft,
            title=self.value("nn-title"),
            description=self.value("nn-description"),
            closes_at=clock.parse_iso(closes, field="closes") if closes else None,
            tags=[t for t in self.value("nn-tags").split(",") if t.strip()],
            criteria=self.value("nn-criteria"),
        )

    def range(self) -> NumericRange:
        if self.is_date:
            low = date_to_value(self.value("nn-low"), field="range low")
            high = date_to_value(self.value("nn-high"), field="range high")
            return NumericRange(low, high, is_date=True)
        ends = [optional_float(self.value(f"nn-{end}"), f"range {end}") for end in ("low", "high")]
        if ends[0] is None or ends[1] is None:
            raise InvalidInput("range: give both ends, LO below HI")
        return NumericRange(ends[0], ends[1], unit=self.value("nn-unit").strip())

    def validate_form(self) -> None:
        self.draft()
        self.range()

    def save(self) -> Any:
        from questions.numeric_store import add_numeric_question

        return add_numeric_question(
            self.db, self.draft(), self.range(), author=self.app.session.user
        ).id
