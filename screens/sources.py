"""Sources: the list of imported articles, and the reader, where a selected span (or a claim mark:
a forecastable sentence, stepped through with n / N) becomes evidence (with its quote and
citations) or a question. Nothing is created until the dialog is saved."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Select, Static, TextArea
from textual.widgets.text_area import Selection

from arguments.claims import ClaimMark, conditional_parts, source_claims
from arguments.source_store import anchor_quote, attach_anchor, list_sources, source_detail
from questions import clock, store
from questions.errors import ForecastleError, InvalidInput
from questions.models import QuestionDraft, checked
from screens.dialogs.evidence import EvidenceDialog
from screens.dialogs.form import FormDialog
from screens.dialogs.numeric_question import NumericQuestionDialog
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


MARK_HINT = "n / N: next / previous mark · e: evidence from it · h: question from it"


class ReaderScreen(Screen[None]):
    """Source reader: step through the marked sentences (or select words), then make them
    evidence or a question."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("n", "next_mark", "Next mark", id="next-mark"),
        Binding("N", "previous_mark", "Previous mark", id="previous-mark"),
        Binding("e", "evidence", "Evidence", id="evidence"),
        Binding("h", "question", "Question", id="question"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, source_id: int) -> None:
        super().__init__()
        self.source_id = source_id
        self.rows: dict[int, int] = {}
        self.marks: list[ClaimMark] = []
        self.mark_index: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="reader-title", classes="title")
        with Horizontal(id="reader-body"):
            yield TextArea(
                "", id="reader-text", read_only=True, soft_wrap=True, show_line_numbers=False
            )
            with Vertical(id="reader-side"):
                yield DataTable(id="reader-marks", cursor_type="row", zebra_stripes=True)
                yield DataTable(id="reader-citations", cursor_type="row", zebra_stripes=True)
        yield Static(
            "select words with shift+arrows or the mouse, then e (evidence) or h (question); "
            + MARK_HINT,
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
        self.show_marks()
        area.focus()

    def show_marks(self) -> None:
        """The marks table: one row per mark, its kind, its cue (a word of estimative
        probability with its range) and its passage."""
        _, self.marks = source_claims(self.app.db, self.source_id)
        table = self.query_one("#reader-marks", DataTable)
        table.add_columns("kind", "cue", "¶")
        for mark in self.marks:
            table.add_row(mark.kind, self.cue_text(mark)[:24], str(mark.passage))

    @staticmethod
    def cue_text(mark: ClaimMark) -> str:
        if mark.estimative is None:
            return mark.cue
        meaning = mark.estimative
        return f"{mark.cue} {meaning.low:.0%}–{meaning.high:.0%}"

    @property
    def current_mark(self) -> ClaimMark | None:
        return None if self.mark_index is None else self.marks[self.mark_index]

    def action_next_mark(self) -> None:
        self.step_mark(1)

    def action_previous_mark(self) -> None:
        self.step_mark(-1)

    def step_mark(self, step: int) -> None:
        if not self.marks:
            self.query_one("#reader-status", Static).update("no marks in this source")
            return
        if self.mark_index is None:
            index = 0 if step > 0 else len(self.marks) - 1
        else:
            index = (self.mark_index + step) % len(self.marks)
        self.go_to_mark(index)

    def go_to_mark(self, index: int) -> None:
        """Select the mark's sentence in the text and say what kind of mark it is."""
        self.mark_index = index
        mark = self.marks[index]
        row = next(r for r, n in self.rows.items() if n == mark.passage)
        prefix = len(PASSAGE_PREFIX.format(n=mark.passage))
        area = self.query_one(TextArea)
        area.selection = Selection((row, prefix + mark.start), (row, prefix + mark.end))
        area.scroll_cursor_visible(center=True)
        table = self.query_one("#reader-marks", DataTable)
        if table.cursor_row != index:
            table.move_cursor(row=index)
        meaning = f" ({mark.estimative.label()})" if mark.estimative else ""
        self.query_one("#reader-status", Static).update(
            f"mark {index + 1}/{len(self.marks)} · {mark.kind} · “{mark.cue}”{meaning} · "
            f"{self.detail['id']}:{mark.passage} — {MARK_HINT}"
        )

    @on(DataTable.RowSelected, "#reader-marks")
    def _mark_chosen(self, event: DataTable.RowSelected) -> None:
        self.go_to_mark(event.cursor_row)
        self.query_one(TextArea).focus()

    def selection(self) -> tuple[int, str, int, int]:
        """(passage number, selected text, start, end) within one passage; with nothing
        selected, the current mark's sentence."""
        area = self.query_one(TextArea)
        (row_a, col_a), (row_b, col_b) = sorted(area.selection)
        if area.selection.is_empty:
            mark = self.current_mark
            if mark is None:
                raise InvalidInput("selection: select some words in a passage, or press n")
            passage = next(p for p in self.detail["passages"] if p["number"] == mark.passage)
            return mark.passage, passage["text"][mark.start : mark.end], mark.start, mark.end
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
            number, text, start, end = self.selection()
            mark = self.current_mark
            if mark is not None and (mark.passage, mark.start, mark.end) == (number, start, end):
                prefill = self.proposal(mark, text)
            else:
                prefill = {"title": text.strip()[:200]}
        except ForecastleError as error:
            self.query_one("#reader-status", Static).update(f"✗ {error}")
            return
        dialog: FormDialog = ProposedQuestionDialog(prefill=prefill)
        if "low" in prefill:  # a quantity or date mark: a numeric or date question
            dialog = NumericQuestionDialog(prefill, is_date=prefill.get("kind") == "date")
        self.app.push_screen(dialog, lambda qid: self.notify(f"Q{qid} created") if qid else None)

    def proposal(self, mark: ClaimMark, quote: str) -> dict[str, str]:
        """What ``h`` proposes from a mark: a binary question whose description is the sentence
        and its citation; a conditional pair from an if-then; a prior from a word of
        estimative probability (the middle of its conventional range)."""
        where = f"{self.detail['id']}:{mark.passage}"
        anchor = anchor_quote(self.app.db, where, quote)
        cited = f" — {anchor.citation_text}" if anchor.citations else ""
        statement = mark.plain.rstrip(" .")
        prefill = {
            "title": f"{statement}?"[:200],
            "description": f"“{mark.sentence}” ({self.detail['title']}, {where}{cited})",
        }
        if mark.kind in ("quantity", "date"):
            return prefill | self.range_proposal(mark, where)
        parts = conditional_parts(mark.plain) if mark.kind == "conditional" else None
        if parts is not None:
            condition, consequence = parts
            prefill["title"] = f"If {condition[:1].lower()}{condition[1:]}: {consequence}?"[:200]
            prefill["criteria"] = f"Condition: {condition}. Consequence: {consequence}."
        if mark.estimative is not None:
            middle = (mark.estimative.low + mark.estimative.high) / 2
            prefill["priors"] = f"{middle:.3g}"
        return prefill

    def range_proposal(self, mark: ClaimMark, where: str) -> dict[str, str]:
        """From a quantity mark, a numeric question's range around the quantity and its unit;
        from a date mark, a date question's range (``arguments.quantity_proposals``)."""
        from arguments import quantity_proposals as proposals

        statement = mark.plain.rstrip(" .")
        if mark.kind == "date":
            published = self.detail.get("published")
            today = dt.date.fromisoformat((published or clock.now_iso())[:10])
            low, high = proposals.date_range(mark.cue, today)
            return {
                "kind": "date",
                "title": f"When: {statement}?"[:200],
                "low": low.isoformat(),
                "high": high.isoformat(),
                "criteria": f"The article's date: “{mark.cue}” ({where}).",
            }
        quantity = proposals.read_quantity(mark.cue)
        if quantity is None:
            return {}
        lo, hi = proposals.suggested_range(quantity)
        what = f"How many {quantity.unit}" if quantity.unit not in ("", "%") else "What value"
        return {
            "kind": "numeric",
            "title": f"{what}: {statement}?"[:200],
            "low": f"{lo:g}",
            "high": f"{hi:g}",
            "unit": quantity.unit,
            "criteria": f"The article's figure: “{mark.cue}” ({where}).",
        }

    def action_back(self) -> None:
        self.app.pop_screen()


class ProposedQuestionDialog(NewQuestionDialog):
    """A new question proposed from the reader, with a description (the sentence and where it
    comes from) and, from a mark, priors and criteria the analyst edits before saving."""

    def fields(self) -> list[tuple[str, str, str, str]]:
        fields = super().fields()
        values = {"nq-priors": "priors", "nq-criteria": "criteria"}
        fields = [
            (fid, label, self.prefill.get(values[fid], value) if fid in values else value, hint)
            for fid, label, value, hint in fields
        ]
        description = ("nq-description", "description", self.prefill.get("description", ""), "")
        return [fields[0], description, *fields[1:]]

    def draft(self) -> QuestionDraft:
        base = super().draft()
        return checked(
            QuestionDraft, **{**base.model_dump(), "description": self.value("nq-description")}
        )


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
    async def _question_changed(self, event: Select.Changed) -> None:
        chosen = int(str(event.value))
        if chosen != self.question_id:
            self.question_id = chosen  # the LR / likelihood inputs follow its outcomes
            await self.follow_question()

    def save(self) -> Any:
        from questions.workspace import write_transaction

        with write_transaction(self.db):  # the save's own connection (it runs in a worker)
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
