"""Review: the open likelihood challenges (what each side's numbers do to the posterior) and the
open comment threads, with accept / reject, reply and resolve."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import RowDoesNotExist

from arguments.review_store import accept_challenge, add_comment, reject_challenge, resolve_thread
from forecast.views.review import open_challenges, open_threads
from questions.errors import ForecastleError
from screens.dialogs.form import ConfirmDialog, FormDialog
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


def _numbers(values: list[float]) -> str:
    return ", ".join(
        f"{v:.3g}" for v in (values[:1] if len(values) == 2 and values[1] == 1.0 else values)
    )


class ReplyDialog(FormDialog):
    """Reply to a comment thread."""

    TITLE_TEXT = "Reply"

    def __init__(self, thread: dict[str, Any]) -> None:
        super().__init__()
        self.thread = thread
        self.TITLE_TEXT = (
            f"Reply to {thread['author']} on {thread['target']}: {thread['body'][:60]}"
        )

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [("reply-text", "reply", "", "what you want to say")]

    def validate_form(self) -> None:
        from questions.errors import InvalidInput

        if not self.value("reply-text").strip():
            raise InvalidInput("reply: must not be empty")

    def save(self) -> Any:
        return add_comment(
            self.db,
            self.thread["target"],
            self.value("reply-text"),  # type: ignore[attr-defined]
            by=self.app.session.user,
            reply_to=self.thread["id"],
        )  # type: ignore[attr-defined]


class ReviewScreen(Screen[None]):
    """Review: challenges and comment threads across the workspace."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [
        Binding("a", "accept", "Accept", id="accept"),
        Binding("x", "reject", "Reject (say why)", id="reject"),
        Binding("c", "reply", "Reply", id="reply"),
        Binding("z", "resolve", "Resolve thread", id="resolve"),
        Binding("enter", "open", "Open question", id="open-question"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="challenges-title", classes="section-title")
        yield DataTable(id="challenges", cursor_type="row", zebra_stripes=True)
        yield Static("", id="threads-title", classes="section-title")
        yield DataTable(id="threads", cursor_type="row", zebra_stripes=True)
        yield Static("", id="review-detail", classes="meta")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#challenges", DataTable).add_columns(
            "id",
            "question",
            "item",
            "current",
            "proposed",
            "by",
            "outcome",
            "now",
            "if accepted",
            "consensus",
            "spread dB",
            "reason",
        )
        self.query_one("#threads", DataTable).add_columns(
            "#", "on", "by", "when", "replies", "comment"
        )
        self.reload()
        self.query_one("#challenges", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.challenges = open_challenges(self.app.db)  # type: ignore[attr-defined]
        self.threads = open_threads(self.app.db)  # type: ignore[attr-defined]
        table = self.query_one("#challenges", DataTable)
        row = table.cursor_row
        was = self._key_at(table)
        table.clear()
        for c in self.challenges:
            table.add_row(
                c["challenge"],
                c["question"],
                f"{c['evidence']} {c['text'][:28]}",
                _numbers(c["current"]),
                _numbers(c["proposed"]),
                c["proposer"],
                c["outcome"][:14],
                f"{c['posterior_current']:.1%}",
                f"{c['posterior_proposed']:.1%}",
                f"{c['posterior_consensus']:.1%}",
                f"{c['dispute_db']:.1f}",
                c["reason"][:40],
                key=c["challenge"],
            )
        if self.challenges:
            table.move_cursor(row=self._row_of(table, was, row))
        threads = self.query_one("#threads", DataTable)
        trow = threads.cursor_row
        thread_was = self._key_at(threads)
        threads.clear()
        for t in self.threads:
            threads.add_row(
                f"#{t['id']}",
                t["target"],
                t["author"],
                t["last_at"][:10],
                str(len(t["replies"])),
                t["body"][:70],
                key=str(t["id"]),
            )
        if self.threads:
            # the same thread stays highlighted, even when a reply moved it in the list, so a
            # key pressed next acts on the thread the reviewer is looking at
            threads.move_cursor(row=self._row_of(threads, thread_was, trow))
        self.query_one("#challenges-title", Static).update(
            f"Open challenges ({len(self.challenges)})"
            + ("" if self.challenges else ": none waiting")
        )
        self.query_one("#threads-title", Static).update(
            f"Open comment threads ({len(self.threads)})"
            + ("" if self.threads else ": none waiting")
        )
        self._show_detail()

    @staticmethod
    def _key_at(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value

    @staticmethod
    def _row_of(table: DataTable, key: str | None, fallback: int) -> int:
        if key is not None:
            try:
                return table.get_row_index(key)
            except RowDoesNotExist:  # the row left the list (decided, resolved)
                pass
        return min(fallback, table.row_count - 1)

    def _focused_table(self) -> str:
        focused = self.focused
        return focused.id if isinstance(focused, DataTable) and focused.id else "challenges"

    def _selected(self, table_id: str) -> dict[str, Any] | None:
        rows = self.challenges if table_id == "challenges" else self.threads
        table = self.query_one(f"#{table_id}", DataTable)
        if not rows or table.cursor_row >= len(rows):
            return None
        return rows[table.cursor_row]

    def on_descendant_focus(self) -> None:
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#review-detail", Static)
        table_id = self._focused_table()
        chosen = self._selected(table_id)
        if chosen is None:
            detail.update("")
        elif table_id == "challenges":
            detail.update(
                f"{chosen['challenge']} on {chosen['evidence']} ({chosen['question']} {chosen['title'][:50]})\n"
                f"{chosen['current_by']}: {_numbers(chosen['current'])}   {chosen['proposer']}: "
                f"{_numbers(chosen['proposed'])} — {chosen['reason']}\n"
                f"P({chosen['outcome']}): {chosen['posterior_current']:.1%} now, {chosen['posterior_proposed']:.1%} if "
                f"accepted, {chosen['posterior_consensus']:.1%} under the consensus · a accept · x reject"
            )
        else:
            lines = [
                f"#{chosen['id']} {chosen['author']} on {chosen['target']} ({chosen['created_at'][:10]}): {chosen['body']}"
            ]
            lines += [
                f"  ↳ {r['author']} ({r['created_at'][:10]}): {r['body']}"
                for r in chosen["replies"]
            ]
            detail.update("\n".join(lines + ["c reply · z resolve"]))

    def _decide(self, accept: bool) -> None:
        chosen = self._selected("challenges")
        if chosen is None:
            self.notify("no open challenge selected", severity="warning")
            return
        verb = "Accept" if accept else "Reject"
        effect = (
            f"{chosen['evidence']} becomes {_numbers(chosen['proposed'])}"
            if accept
            else f"{chosen['evidence']} keeps {_numbers(chosen['current'])}"
        )

        def decided(yes: bool | None) -> None:
            if not yes:
                return
            try:
                done = (accept_challenge if accept else reject_challenge)(
                    self.app.db, chosen["challenge"], by=self.app.session.user
                )  # type: ignore[attr-defined]
            except ForecastleError as error:
                self.notify(str(error), severity="error")
                return
            self.notify(f"{done.short_id}: {done.status}")
            self.reload()

        self.app.push_screen(
            ConfirmDialog(f"{verb} {chosen['challenge']} by {chosen['proposer']}? {effect}"),
            decided,
        )

    def action_accept(self) -> None:
        self._decide(True)

    def action_reject(self) -> None:
        from screens.dialogs.review import RejectDialog

        chosen = self._selected("challenges")
        if chosen is None:
            self.notify("no open challenge selected", severity="warning")
            return

        def rejected(done: Any) -> None:
            if done:
                self.notify(f"{done.short_id}: {done.status}")
                self.reload()

        self.app.push_screen(RejectDialog(chosen), rejected)

    def action_reply(self) -> None:
        chosen = self._selected("threads")
        if chosen is None:
            self.notify("no open comment thread", severity="warning")
            return
        self.app.push_screen(ReplyDialog(chosen), lambda saved: self.reload() if saved else None)

    def action_resolve(self) -> None:
        chosen = self._selected("threads")
        if chosen is None:
            return
        resolve_thread(self.app.db, chosen["id"])  # type: ignore[attr-defined]
        self.notify(f"thread #{chosen['id']} resolved")
        self.reload()

    def action_open(self) -> None:
        from screens.question import QuestionScreen

        chosen = self._selected(self._focused_table())
        if chosen is not None:
            self.app.push_screen(QuestionScreen(int(chosen["question"][1:])))

    def action_back(self) -> None:
        self.app.pop_screen()
