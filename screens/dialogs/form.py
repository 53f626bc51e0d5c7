"""The form dialog every editor builds on, and a yes/no confirmation. A form validates through
the domain functions as you type, names what is wrong inline and saves nothing until it is fixed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker

from questions.errors import ForecastleError, InvalidInput
from screens.connections import writer
from screens.worker_messages import WorkDone, WorkFailed, failure

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


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
    """A dialog with labelled inputs, an inline error line, ctrl+s to save and escape to cancel.

    ``save`` runs in a worker on a connection of its own (``self.db``), off the UI thread, over
    the values the form held when the save began; it posts its result (the dialog then closes)
    or its one-line error (shown inline, the form stays) back as a message. A dialog whose save
    only starts other work sets ``SAVE_IN_WORKER = False``.
    """

    SAVE_IN_WORKER = True
    _values: dict[str, str] | None = None
    _write_db: Any = None
    _saving = False

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

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
        if self._values is not None:  # a save in progress reads what the form held
            return self._values[field_id]
        return self.query_one(f"#{field_id}", Input).value

    @property
    def db(self) -> Any:
        """The saving worker's connection while it saves, else the app's (for reading)."""
        return self._write_db if self._write_db is not None else self.app.db

    def prepare(self) -> None:
        """Read anything else ``save`` needs from the widgets (on the UI thread, before it)."""

    def saved(self, result: Any) -> None:
        """Say how the save went (on the UI thread, before the dialog closes)."""

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
        if self._saving or not self.show_problem():
            return
        if not self.SAVE_IN_WORKER:
            try:
                result = self.save()
            except ForecastleError as error:
                self._save_failed(str(error))
                return
            self.saved(result)
            self.dismiss(result)
            return
        self.prepare()
        self._values = {str(i.id): i.value for i in self.query(Input) if i.id}
        self._saving = True
        self.query_one("#save", Button).disabled = True
        self._save_in_worker()

    @work(thread=True, group="save", exit_on_error=False)
    def _save_in_worker(self) -> None:
        with writer(self.app.session) as db:
            self._write_db = db
            try:
                result = self.save()
            except ForecastleError as error:
                self.post_message(WorkFailed("save", str(error)))
                return
            finally:
                self._write_db = None
        self.post_message(WorkDone("save", result))

    @on(WorkDone)
    def _save_done(self, message: WorkDone) -> None:
        if message.job == "save":
            message.stop()
            self._values, self._saving = None, False
            self.saved(message.result)
            self.dismiss(message.result)

    @on(WorkFailed)
    def _save_refused(self, message: WorkFailed) -> None:
        if message.job == "save":
            message.stop()
            self._save_failed(message.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        text = failure(event)
        if text is not None:
            self._save_failed(text)

    def _save_failed(self, text: str) -> None:
        self._values, self._saving = None, False
        self.query_one("#form-error", Static).update(f"✗ {text}")
        self.query_one("#save", Button).disabled = False

    def action_cancel(self) -> None:
        self.dismiss(None)


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
