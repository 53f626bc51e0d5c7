"""``?``: every key of the screen underneath, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from screens.commands import screen_bindings


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static(
                f"Keys — {self.under.__class__.__doc__.splitlines()[0] if self.under.__class__.__doc__ else ''}",
                classes="dialog-title",
            )
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static("ctrl+p: every action by name · escape: close", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "action")
        for binding in screen_bindings(self.under):
            table.add_row(binding.key_display or binding.key, binding.description)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
