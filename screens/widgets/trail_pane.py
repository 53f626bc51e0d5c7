"""The question screen's history pane (``h``, in place of the detail pane): the question's own
edits, its evidence's edits (who changed an item's likelihoods, from what, when) and the
resolution trail, as ``question show`` prints them (``forecast.views.question_trail``)."""

from __future__ import annotations

from rich.text import Text
from sqlite_utils import Database
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from forecast.views.question_trail import trail_data, trail_sections
from questions.models import Question


def trail_text(db: Database, question: Question) -> Text:
    out = Text()
    for title, lines in trail_sections(question.kind, trail_data(db, question.id)):
        out.append(f"{title[:1].upper()}{title[1:]}:", style="bold")
        if not lines:
            out.append(" none\n", style="dim")
            continue
        out.append("\n")
        for line in reversed(lines):  # newest first: what changed last reads first
            out.append(f"  {line}\n")
    return out


class TrailPane(VerticalScroll):
    DEFAULT_CSS = """
    TrailPane {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        padding: 0 1;
    }
    TrailPane > Static {
        width: 100%;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="trail-text")

    def show(self, db: Database, question: Question) -> None:
        """Read the trail again (when the pane is open)."""
        if self.display:
            self.text = trail_text(db, question)
            self.query_one("#trail-text", Static).update(self.text)

    @property
    def plain(self) -> str:
        return getattr(self, "text", Text()).plain
