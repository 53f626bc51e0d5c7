"""The questions home screen."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from questions import store
from questions.models import Question

COLUMNS = ("id", "title", "model", "mine", "team", "trend", "closes", "status")


class QuestionsScreen(Screen[None]):
    """Questions: the model's probability, yours and the team's, and how it moved."""

    BINDINGS = [
        Binding("enter", "open", "Open", id="open"),
        Binding("n", "new", "New question", id="new"),
        Binding("slash", "filter", "Filter", key_display="/", id="filter"),
        Binding("s", "sources", "Sources", id="sources"),
        Binding("c", "calibration", "Calibration", id="calibration"),
        Binding("r", "review", "Review", id="review"),
        Binding("i", "import", "Import", id="import"),
        Binding("x", "export", "Export", id="export"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar", classes="hidden"):
            yield Input(placeholder="filter: text or #tag", id="filter-text")
            yield Select(
                [(s, s) for s in store.STATUS_FILTERS], value="all", allow_blank=False, id="filter-status"
            )
        yield DataTable(id="questions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="home-status", classes="status-line")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#questions", DataTable)
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def _filters(self) -> tuple[str, str | None, str | None]:
        text = self.query_one("#filter-text", Input).value.strip()
        status = str(self.query_one("#filter-status", Select).value)
        tag = None
        if text.startswith("#"):
            tag, text = text[1:], ""
        return status, tag, text or None

    def reload(self) -> None:
        status, tag, text = self._filters()
        questions = store.list_questions(self.app.db, status=status, tag=tag, text=text)
        table = self.query_one("#questions", DataTable)
        selected = table.cursor_row
        table.clear()
        for q in questions:
            table.add_row(
                q.short_id, q.title[:70], "…", "…", "…", "", (q.closes_at or "")[:10], q.status, key=str(q.id)
            )
        if questions:
            table.move_cursor(row=min(selected, len(questions) - 1))
        shown = f"{len(questions)} questions" + (f" · filter: {status}" if status != "all" else "")
        self.query_one("#home-status", Static).update(shown)
        self.fill_model_columns(questions)

    @work(thread=True, exclusive=True, group="overview")
    def fill_model_columns(self, questions: list[Question]) -> None:
        from forecast.overview import question_overview

        overview = question_overview(self.app.db, questions, self.app.session.user)
        self.app.call_from_thread(self._show_overview, overview)

    def _show_overview(self, overview: dict) -> None:
        """Fill the model columns by rebuilding the rows once: updating cells one by one with width
        updates re-measures the whole column for each cell (minutes for 1,000 questions)."""
        table = self.query_one("#questions", DataTable)
        row = table.cursor_row
        rows = []
        for key in list(table.rows):
            cells = table.get_row(key)
            line = overview.get(int(str(key.value)))
            if line is not None:
                cells[2:6] = [line.model, line.mine, line.team, line.spark]
            rows.append((key.value, cells))
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if rows:
            table.move_cursor(row=min(row, len(rows) - 1))

    def selected_question(self) -> int | None:
        table = self.query_one("#questions", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(str(key.value))

    @on(DataTable.RowSelected, "#questions")
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from .question import QuestionScreen

        qid = self.selected_question()
        if qid is not None:
            self.app.push_screen(QuestionScreen(qid))

    def action_new(self) -> None:
        from .dialogs import NewQuestionDialog

        def created(qid: int | None) -> None:
            if qid is not None:
                self.reload()
                self.notify(f"Q{qid} created")

        self.app.push_screen(NewQuestionDialog(), created)

    def action_filter(self) -> None:
        bar = self.query_one("#filter-bar")
        bar.remove_class("hidden")
        self.query_one("#filter-text", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter-text", Input).value = ""
        self.query_one("#filter-status", Select).value = "all"
        self.query_one("#filter-bar").add_class("hidden")
        self.query_one("#questions", DataTable).focus()
        self.reload()

    @on(Input.Submitted, "#filter-text")
    def _filter_submitted(self) -> None:
        self.reload()
        self.query_one("#questions", DataTable).focus()

    @on(Input.Changed, "#filter-text")
    @on(Select.Changed, "#filter-status")
    def _filter_changed(self) -> None:
        self.reload()

    def action_sources(self) -> None:
        self._maybe_push("sources", "SourcesScreen")

    def action_calibration(self) -> None:
        self._maybe_push("calibration", "CalibrationScreen")

    def action_review(self) -> None:
        self._maybe_push("review", "ReviewScreen")

    def action_import(self) -> None:
        from .dialogs import ImportDialog

        self.app.push_screen(ImportDialog(), lambda _: self.reload())

    def action_export(self) -> None:
        from .dialogs import ExportDialog

        self.app.push_screen(ExportDialog())

    def _maybe_push(self, module: str, name: str) -> None:
        import importlib

        screen_class = getattr(importlib.import_module(f"screens.{module}"), name)
        self.app.push_screen(screen_class())

    async def action_quit(self) -> None:
        self.app.exit()
