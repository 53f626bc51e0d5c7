"""Dialogs on one question: a forecast, the priors, a resolution, a new question, an edit."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static

from questions import clock, store
from questions.errors import InvalidInput
from questions.models import QuestionDraft, checked
from screens.dialogs.form import FormDialog, floats


class ForecastDialog(FormDialog):
    """Record a forecast, prefilled with the model's posterior. On a binary question one line
    says how the forecaster's forecasts near the typed one have come true and what recalibration
    suggests; ctrl+r (or the button) takes the suggestion, and the forecast records whether it
    did. Nothing changes the number unless asked."""

    BINDINGS = [*FormDialog.BINDINGS, Binding("ctrl+r", "take_recalibrated", "Take recalibrated")]

    def __init__(self, question_id: int, posterior: list[float]) -> None:
        super().__init__()
        self.question_id = question_id
        self.posterior = posterior
        self.suggested: float | None = None
        self.taken: float | None = None

    def extra(self) -> ComposeResult:
        if self.question.kind != "binary":
            return
        from forecast.scoring.track_record import track_record

        self.record = track_record(self.app.db, self.app.session.user, before=clock.now_iso())
        with Horizontal(classes="recalibration"):
            yield Static("", id="fc-recalibration")
            yield Button("Take it (ctrl+r)", id="fc-take", disabled=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._show_recalibration()

    @on(Input.Changed, "#fc-probs")
    def _show_recalibration(self) -> None:
        if self.question.kind != "binary":
            return
        from forecast.scoring.recalibration import suggestion

        try:
            (p, _) = self.vector()
        except InvalidInput:
            line, self.suggested = "", None
        else:
            line, self.suggested = suggestion(p, self.record.p, self.record.outcome)
        self.query_one("#fc-recalibration", Static).update(line)
        self.query_one("#fc-take", Button).disabled = self.suggested is None

    @on(Button.Pressed, "#fc-take")
    def action_take_recalibrated(self) -> None:
        if self.suggested is None:
            return
        self.taken = round(self.suggested, 3)
        self.query_one("#fc-probs", Input).value = f"{self.taken:.3f}"

    def fields(self) -> list[tuple[str, str, str, str]]:
        question = store.get_question(self.app.db, self.question_id)
        self.question = question
        self.TITLE_TEXT = (
            f"Forecast {question.short_id} as {self.app.session.user} (model: "
            + ", ".join(
                f"{o.name} {p:.1%}" for o, p in zip(question.outcomes, self.posterior, strict=True)
            )
            + ")"
        )
        if question.kind == "binary":
            probs = f"{self.posterior[0]:.3f}"
            label = "P(Yes)"
        else:
            probs = ",".join(f"{p:.3f}" for p in self.posterior)
            label = "probabilities"
        return [
            (
                "fc-probs",
                label,
                probs,
                "0..1" if question.kind == "binary" else ", ".join(question.outcome_names),
            ),
            ("fc-rationale", "rationale", "", "why (optional)"),
            ("fc-at", "made at", clock.now_iso(), "YYYY-MM-DD[THH:MM] (default now)"),
        ]

    def made_at(self) -> str:
        text = self.value("fc-at").strip()
        return clock.parse_iso(text, field="made at") if text else clock.now_iso()

    def vector(self) -> list[float]:
        values = floats(self.value("fc-probs"), "probability")
        if self.question.kind == "binary":
            if len(values) != 1:
                raise InvalidInput("probability: give one number, P(Yes)")
            if not 0 <= values[0] <= 1:
                raise InvalidInput(
                    f"probability: {values[0]:g} is not allowed (a probability in [0, 1])"
                )
            return [values[0], 1 - values[0]]
        return values

    def validate_form(self) -> None:
        from questions.models import Forecast

        vector = store.probabilities_for(self.question, None, self.vector())
        checked(
            Forecast,
            question_id=self.question_id,
            forecaster=self.app.session.user,
            made_at=self.made_at(),
            probs=vector,
        )

    def save(self) -> Any:
        vector = self.vector()
        adopted = all(abs(a - b) < 5e-4 for a, b in zip(vector, self.posterior, strict=False))
        return store.record_forecast(
            self.db,
            self.question_id,
            forecaster=self.app.session.user,
            probs=vector,
            rationale=self.value("fc-rationale"),
            adopted_model=adopted,
            took_recalibration=self.taken is not None and abs(vector[0] - self.taken) < 5e-4,
            made_at=self.made_at(),
        )


class PriorDialog(FormDialog):
    """Change a question's prior."""

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def fields(self) -> list[tuple[str, str, str, str]]:
        self.question = store.get_question(self.app.db, self.question_id)
        self.TITLE_TEXT = f"Prior of {self.question.short_id}"
        if self.question.kind == "binary":
            return [("pr-values", "P(Yes)", f"{self.question.priors[0]:.3g}", "0..1")]
        return [
            (
                "pr-values",
                "weights",
                ",".join(f"{p:.3g}" for p in self.question.priors),
                ", ".join(self.question.outcome_names),
            )
        ]

    def priors(self) -> list[float]:
        values = floats(self.value("pr-values"), "prior")
        return (
            values
            if self.question.kind != "binary" or len(values) != 1
            else [values[0], 1 - values[0]]
        )

    def validate_form(self) -> None:
        values = floats(self.value("pr-values"), "prior")
        checked(
            QuestionDraft,
            title="x",
            outcome_names=[] if self.question.kind == "binary" else self.question.outcome_names,
            priors=values,
        )

    def save(self) -> Any:
        return store.set_priors(
            self.db,
            self.question_id,
            self.priors(),
            by=self.app.session.user,
            expected_version=self.question.version,
        )


class ResolveDialog(FormDialog):
    """Resolve (or annul) a question."""

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def fields(self) -> list[tuple[str, str, str, str]]:
        self.question = store.get_question(self.app.db, self.question_id)
        self.TITLE_TEXT = (
            f"Resolve {self.question.short_id}: "
            + " / ".join(self.question.outcome_names)
            + " / annul"
        )
        now = clock.now_iso()
        closes = self.question.closes_at
        default_at = closes if closes and closes <= now else now
        return [
            ("rs-outcome", "outcome", "", " / ".join(self.question.outcome_names) + " or annul"),
            (
                "rs-at",
                "resolved at",
                default_at,
                "YYYY-MM-DD[THH:MM] (default: close date if passed)",
            ),
        ]

    def extra(self):  # type: ignore[override]
        criteria = self.question.criteria or "(none written: E on the question screen adds them)"
        yield Static(f"Resolution criteria: {criteria}", id="rs-criteria", classes="dialog-note")

    def validate_form(self) -> None:
        outcome = self.value("rs-outcome").strip()
        if not outcome:
            raise InvalidInput(
                "outcome: required (" + ", ".join(self.question.outcome_names) + ", or annul)"
            )
        if outcome.lower() != "annul":
            store.outcome_index(self.question, outcome)
        clock.parse_iso(self.value("rs-at"), field="resolved at")

    def save(self) -> Any:
        outcome = self.value("rs-outcome").strip()
        if outcome.lower() == "annul":
            return store.annul(
                self.db, self.question_id, by=self.app.session.user, at=self.value("rs-at")
            )
        return store.resolve(
            self.db, self.question_id, outcome, by=self.app.session.user, at=self.value("rs-at")
        )


class NewQuestionDialog(FormDialog):
    """Create a question (no outcomes = binary Yes/No)."""

    TITLE_TEXT = "New question"

    def __init__(self, prefill: dict[str, str] | None = None) -> None:
        super().__init__()
        self.prefill = prefill or {}

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [
            ("nq-title", "title", self.prefill.get("title", ""), "Will ... by ...?"),
            (
                "nq-outcomes",
                "outcomes",
                self.prefill.get("outcomes", ""),
                "blank = Yes/No; else A; B; C",
            ),
            ("nq-priors", "priors", "", "P(Yes), or weights per outcome"),
            ("nq-closes", "closes", "", "YYYY-MM-DD"),
            ("nq-tags", "tags", "", "comma-separated"),
            ("nq-criteria", "resolution criteria", "", "how it resolves"),
        ]

    def draft(self) -> QuestionDraft:
        outcomes = [o.strip() for o in self.value("nq-outcomes").split(";") if o.strip()]
        closes = self.value("nq-closes").strip()
        return checked(
            QuestionDraft,
            title=self.value("nq-title"),
            outcome_names=outcomes,
            priors=floats(self.value("nq-priors"), "priors"),
            closes_at=clock.parse_iso(closes, field="closes") if closes else None,
            tags=[t for t in self.value("nq-tags").split(",") if t.strip()],
            criteria=self.value("nq-criteria"),
        )

    def validate_form(self) -> None:
        self.draft()

    def save(self) -> Any:
        return store.add_question(self.db, self.draft(), author=self.app.session.user).id


class EditQuestionDialog(FormDialog):
    """Edit a question's words, close date, tags and outcome names (versioned; a stale save is
    refused naming who changed it)."""

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def fields(self) -> list[tuple[str, str, str, str]]:
        self.question = q = store.get_question(self.app.db, self.question_id)
        self.TITLE_TEXT = f"Edit {q.short_id} (version {q.version})"
        fields = [
            ("eq-title", "title", q.title, "Will ... by ...?"),
            ("eq-description", "description", q.description, "background"),
            ("eq-criteria", "resolution criteria", q.criteria, "how it resolves"),
            ("eq-closes", "closes", q.closes_at or "", "YYYY-MM-DD (blank: no close date)"),
            ("eq-tags", "tags", ", ".join(q.tags), "comma-separated"),
        ]
        if q.kind != "binary":
            fields.append(("eq-outcomes", "outcomes", "; ".join(q.outcome_names), "A; B; C"))
        return fields

    def changes(self) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "title": self.value("eq-title"),
            "description": self.value("eq-description"),
            "criteria": self.value("eq-criteria"),
            "closes_at": self.value("eq-closes").strip(),
            "tags": [t for t in self.value("eq-tags").split(",") if t.strip()],
        }
        if self.question.kind != "binary":
            changes["outcome_names"] = [
                o.strip() for o in self.value("eq-outcomes").split(";") if o.strip()
            ]
        return changes

    def validate_form(self) -> None:
        from questions.edit import check_question_edit

        check_question_edit(self.app.db, self.question_id, **self.changes())

    def save(self) -> Any:
        from questions.edit import edit_question

        return edit_question(
            self.db,
            self.question_id,
            by=self.app.session.user,
            expected_version=self.question.version,
            **self.changes(),
        )
