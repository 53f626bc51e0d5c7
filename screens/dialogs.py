"""Modal dialogs. Each validates through the domain functions as you type, names what is wrong
inline, saves nothing until it is fixed, and dismisses with a truthy value when it changed data."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, check_evidence, edit_evidence, get_evidence
from questions import clock, store
from questions.errors import Conflict, ForecastleError, InvalidInput
from questions.models import QuestionDraft, checked


def floats(text: str, field: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InvalidInput(
            f"{field}: {text!r} is not a number (or comma-separated numbers)"
        ) from None


def optional_float(text: str, field: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    values = floats(text, field)
    if len(values) != 1:
        raise InvalidInput(f"{field}: {text!r} is not one number")
    return values[0]


class FormDialog(ModalScreen[Any]):
    """A dialog with labelled inputs, an inline error line, ctrl+s to save and escape to cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]
    TITLE_TEXT = ""

    def fields(self) -> list[tuple[str, str, str, str]]:
        """(id, label, value, placeholder) for each input."""
        return []

    def compose(self) -> ComposeResult:
        fields = self.fields()  # may set the title from what it loads
        with Vertical(classes="dialog"):
            yield Static(self.TITLE_TEXT, classes="dialog-title")
            with VerticalScroll(classes="dialog-fields"), Grid(classes="form"):
                for field_id, label, value, placeholder in fields:
                    yield Label(label, classes="form-label")
                    yield Input(value=value, placeholder=placeholder, id=field_id)
            yield from self.extra()
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def extra(self) -> ComposeResult:
        yield from ()

    def value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value

    def validate_form(self) -> None:
        """Raise ``ForecastleError`` if the form cannot be saved."""

    def save(self) -> Any:
        """Write; return the dismiss value."""
        return True

    def show_problem(self) -> bool:
        try:
            self.validate_form()
        except ForecastleError as error:
            self.query_one("#form-error", Static).update(f"✗ {error}")
            self.query_one("#save", Button).disabled = True
            return False
        self.query_one("#form-error", Static).update("")
        self.query_one("#save", Button).disabled = False
        return True

    def on_mount(self) -> None:
        self.show_problem()
        inputs = self.query(Input)
        if inputs:  # the scrolling field list would take the focus otherwise
            inputs.first().focus()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.show_problem()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if not self.show_problem():
            return
        try:
            result = self.save()
        except ForecastleError as error:
            self.query_one("#form-error", Static).update(f"✗ {error}")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EvidenceDialog(FormDialog):
    """Add or edit an evidence item. An edit is saved only over the version it started from."""

    BINDINGS = [Binding("ctrl+r", "reload", "Reload", show=False)]

    def __init__(
        self,
        question_id: int,
        *,
        evidence_id: int | None = None,
        prefill: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.question_id = question_id
        self.evidence_id = evidence_id
        self.prefill = prefill or {}

    def fields(self) -> list[tuple[str, str, str, str]]:
        question = store.get_question(self.app.db, self.question_id)
        self.binary = question.kind == "binary"
        item = get_evidence(self.app.db, self.evidence_id) if self.evidence_id else None
        self.loaded_version = item.version if item else None  # a save is checked against this
        self.TITLE_TEXT = (
            f"Edit {item.short_id}" if item else "Add evidence"
        ) + f" · {question.short_id} {question.title[:50]}"

        def fmt(values: tuple[float, ...] | None, binary_end: bool = False) -> str:
            if values is None:
                return ""
            return f"{values[0]:g}" if self.binary else ",".join(f"{v:g}" for v in values)

        strength = ""
        if item:
            strength = (
                f"{item.lr:g}" if self.binary else ",".join(f"{v:g}" for v in item.likelihoods)
            )
        names = ", ".join(question.outcome_names)
        pre = self.prefill
        return [
            (
                "ev-text",
                "statement",
                item.text if item else pre.get("text", ""),
                "what was observed",
            ),
            (
                "ev-strength",
                "LR" if self.binary else "likelihoods",
                strength,
                "P(e|Yes)/P(e|No), e.g. 3" if self.binary else f"one per outcome: {names}",
            ),
            ("ev-low", "90% range low", fmt(item.range_low) if item else "", "optional"),
            ("ev-high", "90% range high", fmt(item.range_high) if item else "", "optional"),
            ("ev-credibility", "credibility", f"{item.credibility:g}" if item else "1", "0 to 1"),
            (
                "ev-observed",
                "observed",
                (item.observed_at or "")[:10] if item else pre.get("observed", ""),
                "YYYY-MM-DD",
            ),
            ("ev-source", "source", item.source if item else pre.get("source", ""), "citation"),
            ("ev-quote", "quote", item.quote if item else pre.get("quote", ""), "exact words"),
            (
                "ev-depends",
                "depends on",
                f"E{item.depends_on}" if item and item.depends_on else "",
                "E3",
            ),
            ("ev-group", "redundancy group", (item.group or "") if item else "", "name"),
            (
                "ev-redundancy",
                "group redundancy",
                f"{item.rho:g}" if item and item.rho is not None else "",
                "0 to 1",
            ),
        ]

    def inputs(self) -> EvidenceInputs:
        strength = self.value("ev-strength").strip()
        lr = likelihoods = None
        if strength:
            if self.binary:
                lr = optional_float(strength, "LR")
            else:
                likelihoods = floats(strength, "likelihoods")
        low, high = self.value("ev-low").strip(), self.value("ev-high").strip()
        depends = self.value("ev-depends").strip().lstrip("Ee")
        if depends and not depends.isdigit():
            raise InvalidInput(
                f"depends on: {self.value('ev-depends')!r} is not an evidence id such as E3"
            )
        observed = self.value("ev-observed").strip()
        return EvidenceInputs(
            text=self.value("ev-text"),
            lr=lr,
            likelihoods=likelihoods,
            range_low=floats(low, "range low") if low else None,
            range_high=floats(high, "range high") if high else None,
            clear_range=not low and not high,
            credibility=optional_float(self.value("ev-credibility"), "credibility"),
            observed_at=observed or ("" if self.evidence_id else None),
            source=self.value("ev-source"),
            quote=self.value("ev-quote"),
            depends_on=int(depends) if depends else None,
            clear_depends_on=not depends,
            group=self.value("ev-group"),
            redundancy=optional_float(self.value("ev-redundancy"), "redundancy"),
        )

    def validate_form(self) -> None:
        check_evidence(self.app.db, self.question_id, self.inputs(), evidence=self.evidence_id)

    def save(self) -> Any:
        if self.evidence_id is None:
            return add_evidence(
                self.app.db, self.question_id, self.inputs(), by=self.app.session.user
            )
        try:
            return edit_evidence(
                self.app.db,
                self.evidence_id,
                self.inputs(),
                by=self.app.session.user,
                expected_version=self.loaded_version,
            )
        except Conflict as conflict:
            raise Conflict(
                f"{conflict} — ctrl+r reloads their version (your changes here are dropped)"
            ) from None

    def action_reload(self) -> None:
        """After a conflict: load the item as it now stands."""
        for field_id, _, value, _ in self.fields():
            self.query_one(f"#{field_id}", Input).value = value
        self.show_problem()
        self.notify(f"reloaded E{self.evidence_id} (version {self.loaded_version})")


class ForecastDialog(FormDialog):
    """Record a forecast, prefilled with the model's posterior."""

    def __init__(self, question_id: int, posterior: list[float]) -> None:
        super().__init__()
        self.question_id = question_id
        self.posterior = posterior

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
        ]

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
            made_at=clock.now_iso(),
            probs=vector,
        )

    def save(self) -> Any:
        vector = self.vector()
        adopted = all(abs(a - b) < 5e-4 for a, b in zip(vector, self.posterior, strict=False))
        return store.record_forecast(
            self.app.db,
            self.question_id,
            forecaster=self.app.session.user,
            probs=vector,
            rationale=self.value("fc-rationale"),
            adopted_model=adopted,
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
            self.app.db,
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
        return [
            ("rs-outcome", "outcome", "", " / ".join(self.question.outcome_names) + " or annul"),
            ("rs-at", "resolved at", clock.now_iso()[:10], "YYYY-MM-DD"),
        ]

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
                self.app.db, self.question_id, by=self.app.session.user, at=self.value("rs-at")
            )
        return store.resolve(
            self.app.db, self.question_id, outcome, by=self.app.session.user, at=self.value("rs-at")
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
        return store.add_question(self.app.db, self.draft(), author=self.app.session.user).id


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.question, classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ImportDialog(FormDialog):
    """Import a forecasts CSV (article and bundle imports join when they exist)."""

    TITLE_TEXT = "Import"

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [("im-path", "file", "", "path to a forecasts .csv or an article .txt/.md/.html")]

    def extra(self) -> ComposeResult:
        yield Select(
            [("forecasts CSV", "forecasts"), ("article", "article")],
            value="forecasts",
            allow_blank=False,
            id="im-kind",
        )

    def validate_form(self) -> None:
        from pathlib import Path

        path = Path(self.value("im-path").strip()).expanduser()
        if not self.value("im-path").strip():
            raise InvalidInput("file: give a path")
        if not path.is_file():
            raise InvalidInput(f"file: {path} does not exist")

    def save(self) -> Any:
        from pathlib import Path

        from questions.csv_import import import_forecasts

        path = Path(self.value("im-path").strip()).expanduser()
        kind = self.query_one("#im-kind", Select).value
        if kind == "article":
            from arguments.source_store import import_article  # type: ignore[import-not-found]

            source = import_article(self.app.db, path, by=self.app.session.user)
            self.app.notify(f"imported {source.short_id}: {source.title}")
            return source
        summary = import_forecasts(self.app.db, path, author=self.app.session.user)
        self.app.notify(
            f"{summary.forecasts_added} forecasts added, {summary.forecasts_skipped} already present"
        )
        return summary


class ExportDialog(FormDialog):
    """Export a calibration report (written in a worker; the screen stays responsive)."""

    TITLE_TEXT = "Export a calibration report"

    def __init__(self, forecaster: str | None = None) -> None:
        super().__init__()
        self.forecaster = forecaster

    def fields(self) -> list[tuple[str, str, str, str]]:
        scope = f" for {self.forecaster}" if self.forecaster else ""
        self.TITLE_TEXT = f"Export a calibration report{scope}"
        return [
            ("ex-format", "format", "html", "html, md, json or csv"),
            ("ex-path", "write to", "forecastle-report.html", "path"),
        ]

    def validate_form(self) -> None:
        if self.value("ex-format").strip() not in ("html", "md", "json", "csv"):
            raise InvalidInput(
                f"format: {self.value('ex-format')!r} is not allowed (html, md, json or csv)"
            )
        if not self.value("ex-path").strip():
            raise InvalidInput("write to: give a path")
        from pathlib import Path

        folder = Path(self.value("ex-path").strip()).expanduser().parent
        if not folder.is_dir():
            raise InvalidInput(f"write to: folder {folder} does not exist")

    def save(self) -> Any:
        from pathlib import Path

        path = Path(self.value("ex-path").strip()).expanduser()
        self.app.export_report(self.value("ex-format").strip(), path, self.forecaster)
        return path
