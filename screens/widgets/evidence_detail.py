"""The question screen's detail pane: everything about the highlighted evidence item — the full
statement, its quote in its passage, citations, credibility, range, group, depends-on, author and
version, its history, open challenges and comments. It follows the evidence list's cursor."""

from __future__ import annotations

from rich.text import Text
from sqlite_utils import Database
from textual.containers import VerticalScroll
from textual.widgets import Static

from arguments.evidence import Evidence
from forecast.views.evidence_detail import ItemDetail, item_detail
from questions.models import Question

CONTEXT_CHARS = 160
"""How much of the passage shows on each side of the quote."""


class EvidenceDetailPane(VerticalScroll):
    """A scrolling pane with one Static; ``show`` fills it for one item (cached per item version
    until ``forget`` is called, which a reload of the question does)."""

    DEFAULT_CSS = """
    EvidenceDetailPane {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cache: dict[tuple[int, int], ItemDetail] = {}
        self.shown: tuple[int, int] | None = None

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("", id="evidence-detail-text")

    def forget(self) -> None:
        self._cache.clear()
        self.shown = None

    def clear(self, message: str = "") -> None:
        self.shown = None
        self.query_one(Static).update(message)

    def show(
        self, db: Database, question: Question, item: Evidence, effect: float, label: str
    ) -> None:
        key = (item.id, item.version)
        detail = self._cache.get(key)
        if detail is None:
            detail = self._cache[key] = item_detail(db, item, question)
        self.shown = key
        self.query_one(Static).update(render_detail(question, item, detail, effect, label))
        self.scroll_home(animate=False)


def _strength(question: Question, item: Evidence) -> str:
    if question.kind == "binary":
        text = f"LR {item.lr:.3g}"
        if item.range_low and item.range_high:
            text += f" (90% range {item.range_low[0]:.3g}–{item.range_high[0]:.3g})"
        return text
    text = "likelihoods " + ", ".join(
        f"{o.name} {v:.2g}" for o, v in zip(question.outcomes, item.likelihoods, strict=False)
    )
    if item.range_low and item.range_high:
        text += " (90% ranges given)"
    return text


def render_detail(
    question: Question, item: Evidence, detail: ItemDetail, effect: float, label: str
) -> Text:
    """The pane's text for one item."""
    out = Text()
    facts = [
        f"{item.short_id}",
        f"by {item.created_by}",
        f"v{item.version}",
        _strength(question, item),
        f"credibility {item.credibility:.2g}",
        f"Δ from item {effect:+.1%} ({label} with it − without it)",
    ]
    if item.group:
        facts.append(f"group {item.group}" + (f" (ρ {item.rho:.2g})" if item.rho else ""))
    if item.depends_on:
        facts.append(f"depends on E{item.depends_on}")
    if item.observed_at:
        facts.append(f"observed {item.observed_at[:10]}")
    out.append(" · ".join(facts), style="bold")
    out.append("\n" + item.text + "\n")
    if detail.passage_ref:
        out.append(f"\nQuote in {detail.passage_ref}: ", style="bold")
        before = detail.passage_before[-CONTEXT_CHARS:]
        after = detail.passage_after[:CONTEXT_CHARS]
        out.append(("…" if len(detail.passage_before) > len(before) else "") + before)
        out.append(detail.quote, style="reverse")
        out.append(after + ("…" if len(detail.passage_after) > len(after) else "") + "\n")
    elif item.quote:
        out.append("\nQuote: ", style="bold")
        out.append(item.quote + "\n")
    if item.source:
        out.append("Source: ", style="bold")
        out.append(item.source + "\n")
    for title, lines, empty in (
        ("Citations", detail.citations, ""),
        ("History", detail.history, "none"),
        ("Open challenges", detail.challenges, "none"),
        ("Comments", detail.comments, "none"),
    ):
        if not lines and not empty:
            continue
        out.append(f"{title}: ", style="bold")
        if not lines:
            out.append(empty + "\n", style="dim")
            continue
        out.append("\n")
        for line in lines:
            out.append(f"  {line}\n")
    return out
