"""The question screen's links pane actions: ``x`` removes the highlighted link after a confirm;
``i`` opens the new-indicator dialog.

A link row of question Q reads from Q's side (``forecast.views.links_pane.LinkRow.kind``), so the
same removal is a condition or an indicator with Q at one end or the other. The write runs in a
worker (``screens.writes``) through the domain functions the CLI uses
(``questions.conditions.remove_condition``, ``arguments.indicators.remove_indicator``): a
condition holding conditional forecasts is refused with their one line, and a resolved
indicator's evidence item leaves the parent with its history kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from sqlite_utils import Database

if TYPE_CHECKING:
    from screens.question import QuestionScreen


def unlink(kind: str, this: int, other: int, by: str) -> tuple[str, Callable[[Database], str]]:
    """The confirm question and the write (returning what it did) for removing the link of
    ``kind`` between question ``this`` (the screen's) and ``other`` (the row's)."""
    if kind in ("condition on", "conditional"):
        child, parent = (this, other) if kind == "condition on" else (other, this)

        def condition(db: Database) -> str:
            from questions.conditions import remove_condition

            remove_condition(db, child, parent, by=by)
            return f"Q{child} is no longer conditional on Q{parent} (kept in the link history)"

        return f"Remove the condition of Q{child} on Q{parent}?", condition

    parent, child = (this, other) if kind == "indicator" else (other, this)

    def indicator(db: Database) -> str:
        from arguments.indicators import remove_indicator

        _, items = remove_indicator(db, parent, child, by=by)
        gone = f"; {', '.join(items)} removed from Q{parent} (history kept)" if items else ""
        return f"Q{child} is no longer an indicator for Q{parent}{gone}"

    return (
        f"Remove Q{child} as an indicator for Q{parent}? If it resolved, its evidence item "
        f"leaves Q{parent} (history kept).",
        indicator,
    )


class LinkPaneActions:
    """Mixed into the question screen: the actions on its links pane."""

    def action_remove_link(self) -> None:
        """``x``: ask, then remove the highlighted link and redraw the screen."""
        from screens.dialogs.form import ConfirmDialog
        from screens.widgets.row_list import RowList
        from screens.writes import write_in_worker

        screen = cast("QuestionScreen", self)
        if not screen._links:
            return
        link = screen._links[
            min(screen.query_one("#links", RowList).cursor_row, len(screen._links) - 1)
        ]
        question, write = unlink(
            link.kind, screen.question_id, link.question_id, screen.app.session.user
        )

        def removed(said: str) -> None:
            screen.refresh_model()
            screen.notify(said)

        def confirmed(yes: bool | None) -> None:
            if yes:
                write_in_worker(screen, write, removed, screen.fail, name="unlink")

        screen.app.push_screen(ConfirmDialog(question), confirmed)

    def action_new_indicator(self) -> None:
        """``i``: the new-indicator dialog, with this question as the parent."""
        from screens.dialogs.indicator import IndicatorDialog

        screen = cast("QuestionScreen", self)
        screen.app.push_screen(IndicatorDialog(screen.question_id), screen._after_dialog)
