"""The form dialog every editor builds on, and a yes/no confirmation. A form validates through
the domain functions as you type, names what is wrong inline and saves nothing until it is fixed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from questions.errors import ForecastleError, InvalidInput

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
    """A dialog with labelled inputs, an inline error line, ctrl+s to save and escape to cancel."""

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
