"""The forecastle Textual app."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header

from questions import store
from questions.cli_support import Session


class ForecastleApp(App[None]):
    TITLE = "forecastle"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="questions", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("id", "status", "title")
        for q in store.list_questions(self.session.db):
            table.add_row(q.short_id, q.status, q.title)
