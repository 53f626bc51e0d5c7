"""Dialogs of the argument tree: add a claim, link evidence."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from arguments.tree_store import add_node, link_evidence
from forecast.views.tree import filter_choices, link_choices
from questions.errors import InvalidInput
from screens.dialogs.form import FormDialog


class ClaimDialog(FormDialog):
    """Add a claim under the question or a node."""

    def __init__(self, question_id: int, *, under: int | None) -> None:
        super().__init__()
        self.question_id = question_id
        self.under = under
        self.TITLE_TEXT = f"New claim under {'N' + str(under) if under else 'the question'}"

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [
            ("cl-text", "claim", "", "what is argued"),
            ("cl-stance", "stance", "supports", "supports or attacks"),
            ("cl-outcome", "outcome", "", "optional (multi-outcome questions)"),
        ]

    def validate_form(self) -> None:
        if not self.value("cl-text").strip():
            raise InvalidInput("claim: must not be empty")
        if self.value("cl-stance").strip() not in ("supports", "attacks"):
            raise InvalidInput(
                f"stance: {self.value('cl-stance')!r} is not allowed (supports or attacks)"
            )

    def save(self) -> Any:
        return add_node(
            self.db,
            self.question_id,
            self.value("cl-text"),
            by=self.app.session.user,
            under=self.under,
            stance=self.value("cl-stance").strip(),
            outcome=self.value("cl-outcome").strip() or None,
        )


class LinkDialog(FormDialog):
    """Hang an evidence item under a claim, picked from the question's items (id, LR or
    likelihoods, credibility and text); typing filters the list, up/down move in it, enter links
    the highlighted item."""

    BINDINGS = [
        Binding("down", "move_pick(1)", "Next item", show=False),
        Binding("up", "move_pick(-1)", "Previous item", show=False),
    ]

    def __init__(self, node: int) -> None:
        super().__init__()
        self.node = node
        self.TITLE_TEXT = f"Link evidence under N{node}"
        self.choices: list[tuple[int, str]] = []
        self.shown: list[tuple[int, str]] = []
        self._shown_for: str | None = None
        self.chosen: int | None = None

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [("ln-filter", "find", "", "type to filter: an id (E3) or words of the text")]

    def extra(self) -> ComposeResult:
        self.choices = link_choices(self.app.db, self.node)
        yield OptionList(id="ln-picker")

    def on_mount(self) -> None:  # runs besides FormDialog.on_mount
        self._refill()

    def _refill(self) -> None:
        """Show the choices the typed filter leaves (once per filter text)."""
        typed = self.query_one("#ln-filter", Input).value
        if typed == self._shown_for:
            return
        self._shown_for = typed
        self.shown = filter_choices(self.choices, typed)
        picker = self.query_one("#ln-picker", OptionList)
        picker.clear_options()
        picker.add_options([Option(Text(text), id=str(eid)) for eid, text in self.shown])
        picker.highlighted = 0 if self.shown else None

    def highlighted(self) -> int | None:
        picker = self.query_one("#ln-picker", OptionList)
        index = picker.highlighted
        return self.shown[index][0] if index is not None and index < len(self.shown) else None

    def action_move_pick(self, step: int) -> None:
        picker = self.query_one("#ln-picker", OptionList)
        if self.shown:
            picker.highlighted = ((picker.highlighted or 0) + step) % len(self.shown)

    @on(OptionList.OptionSelected, "#ln-picker")
    def _picked(self) -> None:
        self.action_save()

    def validate_form(self) -> None:
        self._refill()
        if not self.choices:
            raise InvalidInput(
                f"evidence: N{self.node}'s question has no item to link that is not already here"
            )
        if self.highlighted() is None:
            raise InvalidInput(
                f"find: no item matches {self.value('ln-filter')!r} (type part of an id or its text)"
            )

    def prepare(self) -> None:
        self.chosen = self.highlighted()

    def save(self) -> Any:
        assert self.chosen is not None
        return link_evidence(self.db, self.node, self.chosen, by=self.app.session.user)
