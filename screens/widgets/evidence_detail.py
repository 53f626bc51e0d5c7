"""The question screen's detail pane: everything about the highlighted evidence item — the full
statement, its quote in its passage, citations, credibility, range, group, depends-on, author and
version, its history, open challenges and comments. It follows the evidence list's cursor."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from sqlite_utils import Database
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from arguments.evidence import Evidence
from forecast.engine.model import QuestionModel
from forecast.views.evidence_detail import ItemDetail, headline_label, item_detail
from questions.models import Question

PREPARE_DELAY = 0.03
"""Seconds after a cursor move before the pane prepares the neighbouring items' text."""
CONTEXT_CHARS = 160
"""How much of the passage shows on each side of the quote."""


class EvidenceDetailPane(ScrollView):
    """A scrolling pane of wrapped text; ``show`` fills it for one item (the item's detail is
    cached per item version until ``forget``, which a reload of the question calls).

    It draws its own lines, like ``RowList``: a ``Static`` asks for a layout of the whole screen on
    every update, which on the question screen cost more than the pane's text. Its scrollable
    height is set without a layout pass (only the pane and its scroll bar change)."""

    DEFAULT_CSS = """
    EvidenceDetailPane {
        height: 1fr;
        border-top: solid $panel-lighten-2;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: scroll;  /* a scroll bar that comes and goes would re-lay the whole screen */
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cache: dict[tuple[int, int], ItemDetail] = {}
        self.shown: tuple[int, int] | None = None
        self.text = Text()
        self._strips: list[Strip] = []
        self._wrapped_for = -1
        self._base = Style()
        self._prepare_timer: Timer | None = None
        self.thread, self._thread_item = 0, 0
        """Which of the shown item's threads ``c`` replies to (marked ▸; ``]`` moves it)."""
        self._drawn: dict[tuple[object, ...], tuple[Text, list[Strip]]] = {}
        """Wrapped lines per (item, version, effect, label, width): ``prepare`` fills it ahead."""

    def forget(self) -> None:
        self._cache.clear()
        self._drawn.clear()
        self.shown = None

    def clear(self, message: str = "") -> None:
        self.shown = None
        self._set_text(Text(message, style="dim"))

    def follow(
        self,
        db: Database,
        model: QuestionModel,
        effects: list[float],
        cursor: int,
        prepare_next: bool = False,
    ) -> None:
        """Show the item at ``cursor`` of ``model`` (when the pane is open); after a cursor move
        (``prepare_next``), prepare its neighbours' text a moment later, off the repaint."""
        if not self.display:
            return
        evidence, question = model.evidence, model.question
        if not evidence:
            self.clear("The highlighted item's statement, quote, citations and history show here.")
            return
        index = min(cursor, len(evidence) - 1)
        label = headline_label(question, int(model.analysis.leader))
        self.show(db, question, evidence[index], effects[index], label)
        if not prepare_next:
            return

        def prepare_neighbours() -> None:  # the next move finds them ready
            for near in (index + 1, index - 1):
                if 0 <= near < len(evidence) and near < len(effects):
                    self.prepare(db, question, evidence[near], effects[near], label)

        if self._prepare_timer is not None:
            self._prepare_timer.stop()
        self._prepare_timer = self.set_timer(PREPARE_DELAY, prepare_neighbours)

    def prepare(
        self, db: Database, question: Question, item: Evidence, effect: float, label: str
    ) -> tuple[Text, list[Strip]] | None:
        """The item's text and wrapped lines at the pane's width, from the cache or made now
        (the question screen prepares the neighbours of the highlighted item after a repaint)."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return None
        key = (item.id, item.version, f"{effect:+.4f}", label, width, self.thread)
        drawn = self._drawn.get(key)
        if drawn is None:
            detail = self._cache.get((item.id, item.version))
            if detail is None:
                detail = self._cache[(item.id, item.version)] = item_detail(db, item, question)
            text = render_detail(question, item, detail, effect, label, self.thread)
            if len(self._drawn) > 256:
                self._drawn.clear()
            drawn = self._drawn[key] = (text, self._lines(text, width))
        return drawn

    def show(
        self, db: Database, question: Question, item: Evidence, effect: float, label: str
    ) -> None:
        if self._thread_item != item.id:
            self.thread, self._thread_item = 0, item.id  # another item: its first thread
        self.shown = (item.id, item.version)
        drawn = self.prepare(db, question, item, effect, label)
        if drawn is None:  # not laid out yet: wrap when it is
            detail = item_detail(db, item, question)
            self._set_text(render_detail(question, item, detail, effect, label, self.thread))
        else:
            self._set_text(*drawn)

    def _set_text(self, text: Text, strips: list[Strip] | None = None) -> None:
        self.text = text
        self._wrapped_for = -1
        if self.scroll_y:
            self.scroll_to(y=0, animate=False, immediate=True)
        if strips is not None:
            self._use(strips, self.scrollable_content_region.width)
        else:
            self._wrap()
        self.refresh()

    def on_resize(self) -> None:
        self._wrapped_for = -1
        self._wrap()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_for:
            return
        self._use(self._lines(self.text, width), width)

    def _lines(self, text: Text, width: int) -> list[Strip]:
        console = self.app.console
        base = self._base = self.rich_style
        strips = []
        for line in text.wrap(console, width):
            segments = list(Segment.apply_style(line.render(console), base))
            used = line.cell_len
            if used < width:
                segments.append(Segment(" " * (width - used), base))
            strips.append(Strip(segments, max(used, width)))
        return strips

    def _use(self, strips: list[Strip], width: int) -> None:
        self._strips = strips
        self._wrapped_for = width
        size = Size(width, len(self._strips))
        if size != self.virtual_size:
            # the scrollable height, without the layout pass setting ``virtual_size`` asks for
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    def render_line(self, y: int) -> Strip:
        self._wrap()
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if 0 <= index < len(self._strips):
            return self._strips[index]
        return Strip.blank(width, self._base)

    def threads(self) -> list[tuple[int, int, str]]:
        """(comment id, line, body) of the shown item's threads."""
        detail = self._cache.get(self.shown) if self.shown else None
        return detail.threads if detail is not None else []

    def selected_thread(self) -> tuple[int, str] | None:
        """(comment id, body) of the thread ``c`` replies to, if the shown item has threads."""
        threads = self.threads() if self.display else []
        if not threads:
            return None
        cid, _, body = threads[min(self.thread, len(threads) - 1)]
        return cid, body

    @property
    def plain(self) -> str:
        return self.text.plain


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
    question: Question,
    item: Evidence,
    detail: ItemDetail,
    effect: float,
    label: str,
    thread: int = 0,
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
    comments = list(detail.comments)
    if detail.threads:  # the thread c replies to
        marked = detail.threads[min(thread, len(detail.threads) - 1)][1]
        comments[marked] = "▸ " + comments[marked]
    for title, lines, empty in (
        ("Citations", detail.citations, ""),
        ("History", detail.history, "none"),
        ("Open challenges", detail.challenges, "none"),
        (
            "Comments (c replies to ▸, ] next thread)" if detail.threads else "Comments",
            comments,
            "none",
        ),
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
