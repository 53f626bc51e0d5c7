"""Sources: the list of imported articles, and the reader, where a selected span becomes evidence
(with its quote and citations) or a question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Select, Static, TextArea

from arguments.source_store import anchor_quote, attach_anchor, list_sources, source_detail
from questions import store
from questions.errors import ForecastleError, InvalidInput
from screens.dialogs.evidence import EvidenceDialog
from screens.dialogs.question import NewQuestionDialog
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


PASSAGE_PREFIX = "¶{n:<3} "


class SourcesScreen(Screen[None]):
    """Sources: imported articles."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("enter", "open", "Read", id="read"),
        Binding("i", "import", "Import", id="import"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="sources", cursor_type="row", zebra_stripes=True)
        yield Static("", id="sources-status", classes="status-line")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("id", "title", "passages", "citations", "works", "skipped")
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        sources = list_sources(self.app.db)
        for s in sources:
            table.add_row(
                s.short_id,
                s.title[:60],
                str(s.passages),
                str(s.citations),
                str(s.works),
                str(s.skipped),
                key=str(s.id),
            )
        self.query_one("#sources-status", Static).update(
            f"{len(sources)} sources" if sources else "no sources yet: press i to import an article"
        )

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.push_screen(ReaderScreen(int(str(key))))

    def action_import(self) -> None:
        from screens.dialogs.files import ImportDialog

        self.app.push_screen(ImportDialog(), lambda _: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()


class ReaderScreen(Screen[None]):
    """Source reader: select words, then make them evidence or a question."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("e", "evidence", "Evidence from selection", id="evidence"),
        Binding("h", "question", "Question from selection", id="question"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, source_id: int) -> None:
        super().__init__()
        self.source_id = source_id
        self.rows: dict[int, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="reader-title", classes="title")
        with Horizontal(id="reader-body"):
            yield TextArea(
                "", id="reader-text", read_only=True, soft_wrap=True, show_line_numbers=False
            )
            yield DataTable(id="reader-citations", cursor_type="row", zebra_stripes=True)
        yield Static(
            "select words with shift+arrows or the mouse, then e (evidence) or h (question)",
            id="reader-status",
            classes="status-line",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        self.detail = source_detail(self.app.db, self.source_id)
        self.query_one("#reader-title", Static).update(
            f"{self.detail['id']}  {self.detail['title']}"
        )
        lines: list[str] = []
        for passage in self.detail["passages"]:
            self.rows[len(lines)] = passage["number"]
            lines.append(
                PASSAGE_PREFIX.format(n=passage["number"]) + passage["text"].replace("\n", " ")
            )
            lines.append("")
        for skipped in self.detail["skipped"]:
            lines.append(
                f"[skipped: {skipped['reason']}] {skipped['text'][:200]}".replace("\n", " ")
            )
        area = self.query_one(TextArea)
        area.load_text("\n".join(lines))
        table = self.query_one("#reader-citations", DataTable)
        table.add_columns("note", "citation")
        for citation in self.detail["citations"]:
            text = (
                citation["text"]
                if not citation["ibid"]
                else f"{citation['text']} → note {citation['resolves_to']}"
            )
            table.add_row(citation["label"], text[:60])
        area.focus()

    def selection(self) -> tuple[int, str, int, int]:
        """(passage number, selected text, start, end) within one passage."""
        area = self.query_one(TextArea)
        (row_a, col_a), (row_b, col_b) = sorted(area.selection)
        if area.selection.is_empty:
            raise InvalidInput("selection: select some words in a passage first")
        if row_a != row_b or row_a not in self.rows:
            raise InvalidInput("selection: keep the selection inside one passage")
        number = self.rows[row_a]
        prefix = len(PASSAGE_PREFIX.format(n=number))
        start, end = max(col_a - prefix, 0), max(col_b - prefix, 0)
        passage = next(p for p in self.detail["passages"] if p["number"] == number)
        return number, passage["text"][start:end], start, end

    def action_evidence(self) -> None:
        try:
            number, quote, _, _ = self.selection()
            anchor = anchor_quote(self.app.db, f"S{self.source_id}:{number}", quote)
        except ForecastleError as error:
            self.query_one("#reader-status", Static).update(f"✗ {error}")
            return
        if not evidence_targets(self.app.db):
            self.query_one("#reader-status", Static).update(
                "✗ no question to add to: press h to make one first"
            )
            return
        prefill = {"quote": anchor.quote, "source": anchor.citation_text, "text": anchor.quote}
        self.app.push_screen(
            SourceEvidenceDialog(anchor, prefill=prefill),
            lambda item: (
                self.notify(f"{item.short_id} added with {len(anchor.citations)} citations")
                if item
                else None
            ),
        )

    def action_question(self) -> None:
        try:
            _, text, _, _ = self.selection()
        except ForecastleError as error:
            self.query_one("#reader-status", Static).update(f"✗ {error}")
            return
        self.app.push_screen(
            NewQuestionDialog(prefill={"title": text.strip()[:200]}),
            lambda qid: self.notify(f"Q{qid} created") if qid else None,
        )

    def action_back(self) -> None:
        self.app.pop_screen()


def evidence_targets(db: Any) -> list[Any]:
    """Questions a passage's evidence can go to: open ones first, then closed and resolved ones
    (an analyst may still record what an article said about them); never annulled ones."""
    questions = [q for q in store.list_questions(db, status="all") if q.status != "annulled"]
    return sorted(questions, key=lambda q: (q.status != "open", q.id))


class SourceEvidenceDialog(EvidenceDialog):
    """Evidence from a selected span: choose the question; the quote and citations come along."""

    def __init__(self, anchor: Any, prefill: dict[str, str]) -> None:
        self.quote_anchor = anchor  # not self.anchor: that is Widget.anchor()
        self.choices: list[tuple[str, int]] = []
        super().__init__(0, prefill=prefill)

    def fields(self) -> list[tuple[str, str, str, str]]:
        questions = evidence_targets(self.app.db)
        self.closed = {q.id: q.status for q in questions if q.status != "open"}
        self.choices = [
            (
                f"{q.short_id} {q.title[:60]}" + (f" ({q.status})" if q.id in self.closed else ""),
                q.id,
            )
            for q in questions
        ]
        if not self.choices:
            raise InvalidInput(
                "no question to add to: press h to make one from the selection first"
            )
        if not self.question_id:
            self.question_id = self.choices[0][1]
        return super().fields()

    def extra(self):  # type: ignore[override]
        yield Select(self.choices, value=self.question_id, allow_blank=False, id="ev-question")

    @on(Select.Changed, "#ev-question")
    def _question_changed(self, event: Select.Changed) -> None:
        self.question_id = int(str(event.value))
        question = store.get_question(self.app.db, self.question_id)
        self.binary = question.kind == "binary"
        self.show_problem()

    def save(self) -> Any:
        from questions.workspace import write_transaction

        with write_transaction(self.db):
            item = super().save()
            attach_anchor(self.db, item.id, self.quote_anchor)
        return item

    def saved(self, result: Any) -> None:
        status = self.closed.get(self.question_id)
        if status is not None:
            self.app.notify(
                f"Q{self.question_id} is {status}: the item is added, but forecasts made after "
                "the close date do not count in scores",
                severity="warning",
            )
