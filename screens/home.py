"""The questions home screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Select, Static
from textual.worker import Worker, get_current_worker

from forecast.views.overview import NAME_WIDTH, SPARK_WIDTH, Overview, question_overview
from forecast.views.resolved_values import resolved_labels
from questions.link_marks import CONDITIONAL_MARK, INDICATOR_MARK, link_marks
from questions.records import STATUS_FILTERS, QuestionRecord, question_records
from screens.connections import reader
from screens.widgets.key_bar import KeyBar
from screens.widgets.row_list import Column, RowList
from screens.worker_messages import WorkDone, failure
from screens.writes import WriteReplies, write_in_worker

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


COLUMNS = ("id", "title", "model", "mine", "team", "trend", "closes", "status")
PENDING = ("…", "…", "…", "…")
MIN_TITLE = 24
NUMERIC_MODEL_WIDTH = 17
"""A numeric question's model cell: ``median [q05–q95]``, e.g. ``929 [120–5k]``."""
DATE_MODEL_WIDTH = 25
"""An open date question's: ``2021-12 [2021-01–2022-06]`` (a resolved one's is cut to fit)."""
MEDIAN_WIDTHS = {"numeric": 5, "date": 7}
"""The mine and team cells: a compact number (``1.2k``) or a month (``2021-12``)."""


def model_cells(line: Overview) -> tuple[str, ...]:
    return line.model, line.mine, line.team, line.spark


def status_text(question: QuestionRecord, resolved_values: dict[int, str]) -> str:
    """The status, with the outcome once resolved (``resolved Yes``, ``resolved 41.1%``)."""
    if question.status == "resolved" and question.resolved_outcome:
        return f"resolved {question.resolved_outcome[:NAME_WIDTH]}"
    if question.status == "resolved" and question.id in resolved_values:
        return f"resolved {resolved_values[question.id]}"
    return question.status


def numeric_resolved_labels(db: Any, questions: list[QuestionRecord]) -> dict[int, str]:
    """Resolved numeric questions' values (read only when the list has any)."""
    if not any(q.kind in ("numeric", "date") and q.status == "resolved" for q in questions):
        return {}
    return resolved_labels(db)


def columns_for(
    questions: list[QuestionRecord], resolved_values: dict[int, str] | None = None
) -> list[Column]:
    """Widths fixed by what the list holds (a binary question shows ``100%``, a multi-outcome one
    its leading outcome's name too), so the model columns fill in later without moving anything;
    the title takes what is left of the screen."""
    headline = max(
        [
            4,
            *(
                min(len(o.name), NAME_WIDTH) + 5
                for q in questions
                if q.kind != "binary"
                for o in q.outcomes
            ),
            *(NUMERIC_MODEL_WIDTH for q in questions if q.kind in ("numeric", "date")),
            *(DATE_MODEL_WIDTH for q in questions if q.kind == "date" and q.status == "open"),
        ]
    )
    median = max([4, *(MEDIAN_WIDTHS.get(q.kind, 4) for q in questions)])
    widths = {
        "id": max([2, *(len(q.short_id) for q in questions)]),
        "title": None,
        "model": headline,
        "mine": median,
        "team": median,
        "trend": SPARK_WIDTH,
        "closes": 10,
        "status": max([6, *(len(status_text(q, resolved_values or {})) for q in questions)]),
    }
    return [Column(name, widths[name], MIN_TITLE) for name in COLUMNS]


class FilterBar(Horizontal):
    """Text or #tag, and status."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: text or #tag", id="filter-text")
        yield Select(
            [(s, s) for s in STATUS_FILTERS], value="all", allow_blank=False, id="filter-status"
        )


class QuestionsScreen(WriteReplies, Screen[None]):
    """Questions: the model's probability, yours and the team's, and how it moved."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("enter", "open", "Open", id="open"),
        Binding("n", "new", "New question", id="new"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("y", "duplicate", "Duplicate", id="duplicate", show=False),
        Binding("d", "remove", "Remove", id="remove", show=False),
        Binding("slash", "filter", "Filter", key_display="/", id="filter"),
        Binding("s", "sources", "Sources", id="sources"),
        Binding("c", "calibration", "Calibration", id="calibration"),
        Binding("r", "review", "Review", id="review"),
        Binding("i", "import", "Import", id="import"),
        Binding("x", "export", "Export", id="export"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown_filters: tuple[str, str | None, str | None] | None = None
        self._resumed_once = False
        self.questions: list[QuestionRecord] = []
        self._marks: dict[int, str] = {}
        self._resolved_values: dict[int, str] = {}
        self._overview: dict[int, Overview] = {}
        self.overview_batches_shown = 0
        """Batches of model columns filled since start (the screen's rows come first)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowList(columns_for([]), id="questions")
        yield Static("", id="home-status", classes="status-line")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#questions", RowList).focus()
        self.call_after_refresh(self.warm_up)

    @work(thread=True, group="warm-up")
    def warm_up(self) -> None:
        """Load the question screen and the validation layer (pydantic) while the list is read:
        the list itself paints without them, and the first question then opens as fast as later ones."""
        import screens.dialogs.evidence  # noqa: F401
        import screens.dialogs.question  # noqa: F401
        import screens.question  # noqa: F401

    def on_screen_resume(self) -> None:
        if self._resumed_once:  # the first resume is the mount itself, which has just loaded
            self.reload()
        self._resumed_once = True

    def _filters(self) -> tuple[str, str | None, str | None]:
        """(status, tag, text) from the filter bar; everything while the bar was never opened."""
        inputs = self.query("#filter-text")
        if not inputs:
            return "all", None, None
        text = inputs.first(Input).value.strip()
        status = str(self.query_one("#filter-status", Select).value)
        tag = None
        if text.startswith("#"):
            tag, text = text[1:], ""
        return status, tag, text or None

    def reload(self) -> None:
        status, tag, text = self._shown_filters = self._filters()
        self.questions = questions = question_records(
            self.app.db, status=status, tag=tag, text=text
        )
        self._marks = link_marks(self.app.db)
        self._resolved_values = numeric_resolved_labels(self.app.db, questions)
        rows = self.query_one("#questions", RowList)
        rows.set_columns(columns_for(questions, self._resolved_values))
        filtered = (status, tag, text) != ("all", None, None)
        rows.empty = (
            "No questions match: escape clears the filter."
            if filtered
            else "No questions yet: n adds one, i imports forecasts, forecastle demo opens the demo."
        )
        # The rows that will be on screen get their model columns now, so the first paint is
        # complete; a worker fills the others (a long list otherwise delays the screen by seconds).
        height = self.app.size.height  # no more rows than this fit on screen
        first = max(0, min(rows.cursor_row, len(questions) - 1) - height + 1)
        self._overview = question_overview(
            self.app.db, questions[first : first + height], self.app.session.user
        )
        rows.set_rows(len(questions), self.row)
        shown = f"{len(questions)} questions" + (f" · filter: {status}" if status != "all" else "")
        if self._marks:
            shown += f" · {CONDITIONAL_MARK} conditional · {INDICATOR_MARK} indicator"
        self.query_one("#home-status", Static).update(shown)
        self.overview_batches_shown += 1
        self.fill_model_columns([q for q in questions if q.id not in self._overview])

    def row(self, index: int) -> tuple[str, ...]:
        """Question ``index`` of the list as its cells (model columns ``…`` until computed)."""
        q = self.questions[index]
        line = self._overview.get(q.id)
        return (
            q.short_id,
            f"{self._marks[q.id]} {q.title}" if q.id in self._marks else q.title,
            *(PENDING if line is None else model_cells(line)),
            (q.closes_at or "")[:10],
            status_text(q, self._resolved_values),
        )

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def fill_model_columns(self, questions: list[QuestionRecord]) -> None:
        """Model columns for rows off screen (exclusive: a newer list cancels an older one), read
        on a connection of the worker's own."""
        worker = get_current_worker()
        if questions:
            with reader(self.app.session) as db:
                overview = question_overview(db, questions, self.app.session.user)
            if not worker.is_cancelled:
                self.post_message(WorkDone("overview", overview))

    @on(WorkDone)
    def _overview_done(self, message: WorkDone) -> None:
        if message.job == "overview":
            self._show_overview(message.result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        text = failure(event)
        if text is not None:
            self.query_one("#home-status", Static).update(f"✗ {text}")

    def _show_overview(self, overview: dict[int, Overview]) -> None:
        self._overview.update(overview)
        self.query_one("#questions", RowList).refresh()
        self.overview_batches_shown += 1

    def selected_question(self) -> int | None:
        rows = self.query_one("#questions", RowList)
        if not rows.row_count:
            return None
        return self.questions[rows.cursor_row].id

    @on(RowList.Selected, "#questions")
    def _row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from screens.question import QuestionScreen

        qid = self.selected_question()
        if qid is None:
            return
        if self.questions[self.query_one("#questions", RowList).cursor_row].kind in (
            "numeric",
            "date",
        ):
            from screens.numeric_question import NumericQuestionScreen

            self.app.push_screen(NumericQuestionScreen(qid))
            return
        self.app.push_screen(QuestionScreen(qid))

    def action_new(self) -> None:
        from screens.dialogs.question import NewQuestionDialog

        def created(qid: int | None) -> None:
            if qid is not None:
                self.reload()
                self.notify(f"Q{qid} created")

        self.app.push_screen(NewQuestionDialog(), created)

    def action_edit(self) -> None:
        from screens.dialogs.question import EditQuestionDialog

        qid = self.selected_question()
        if qid is not None:
            self.app.push_screen(EditQuestionDialog(qid), lambda _: self.reload())

    def action_duplicate(self) -> None:
        from questions.edit import duplicate_question

        qid = self.selected_question()
        if qid is None:
            return
        user = self.app.session.user

        def duplicated(copy: Any) -> None:
            self.reload()
            rows = self.query_one("#questions", RowList)
            at = next((i for i, q in enumerate(self.questions) if q.id == copy.id), None)
            if at is not None:  # a filter may hide the copy
                rows.move_cursor(at)
            self.notify(f"{copy.short_id} copies Q{qid} (e edits it)")

        write_in_worker(
            self, lambda db: duplicate_question(db, qid, by=user), duplicated, self._refused
        )

    def _refused(self, text: str) -> None:
        self.notify(text, severity="error")

    def action_remove(self) -> None:
        from questions.edit import remove_question
        from screens.dialogs.form import ConfirmDialog

        qid = self.selected_question()
        if qid is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            user = self.app.session.user
            write_in_worker(
                self, lambda db: remove_question(db, qid, by=user), removed, self._refused
            )

        def removed(_: object) -> None:
            self.reload()
            self.notify(f"Q{qid} removed (`forecastle question restore Q{qid}` brings it back)")

        self.app.push_screen(
            ConfirmDialog(f"Remove Q{qid}? It leaves lists and scores; its history stays."),
            confirmed,
        )

    async def action_filter(self) -> None:
        if not self.query("#filter-bar"):  # built on first use: it costs start-up time otherwise
            await self.mount(FilterBar(id="filter-bar"), before="#questions")
        self.query_one("#filter-bar").remove_class("hidden")
        self.query_one("#filter-text", Input).focus()

    def action_clear_filter(self) -> None:
        if not self.query("#filter-bar"):
            return
        self.query_one("#filter-text", Input).value = ""
        self.query_one("#filter-status", Select).value = "all"
        self.query_one("#filter-bar").add_class("hidden")
        self.query_one("#questions", RowList).focus()
        self.reload()

    @on(Input.Submitted, "#filter-text")
    def _filter_submitted(self) -> None:
        self.reload()
        self.query_one("#questions", RowList).focus()

    @on(Input.Changed, "#filter-text")
    @on(Select.Changed, "#filter-status")
    def _filter_changed(self) -> None:
        if self._filters() != self._shown_filters:
            self.reload()

    def action_sources(self) -> None:
        self._maybe_push("sources", "SourcesScreen")

    def action_calibration(self) -> None:
        self._maybe_push("calibration", "CalibrationScreen")

    def action_review(self) -> None:
        self._maybe_push("review", "ReviewScreen")

    def action_import(self) -> None:
        from screens.dialogs.files import ImportDialog

        self.app.push_screen(ImportDialog(), lambda _: self.reload())

    def action_export(self) -> None:
        from screens.dialogs.files import ExportDialog

        self.app.push_screen(ExportDialog())

    def _maybe_push(self, module: str, name: str) -> None:
        import importlib

        screen_class = getattr(importlib.import_module(f"screens.{module}"), name)
        self.app.push_screen(screen_class())

    async def action_quit(self) -> None:
        self.app.exit()
