"""Sensitivity: which items the conclusion rests on — ranked by their influence if removed
(``forecast.views.sensitivity``), with the swing across their 90% range, a tornado of how far each
moved the headline outcome, and the flip LR."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from forecast.engine.model import QuestionModel
from forecast.views.evidence_detail import EFFECT_LEGEND, headline_index, headline_label
from forecast.views.sensitivity import flip_text, sensitivity_rows
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


TORNADO_WIDTH = 30


def tornado(without: float, with_item: float, width: int = TORNADO_WIDTH) -> str:
    """A 0..1 scale with the span this item moved the probability drawn solid."""
    lo, hi = sorted((without, with_item))
    start, end = round(lo * width), max(round(hi * width), round(lo * width) + 1)
    return "".join("█" if start <= i < end else "·" for i in range(width))


class SensitivityScreen(Screen[None]):
    """Sensitivity: what the leading outcome rests on."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    def __init__(self, model: QuestionModel) -> None:
        super().__init__()
        self.model = model

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="sensitivity-summary", classes="title")
        yield DataTable(id="sensitivity", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        question, items, analysis = self.model.question, self.model.evidence, self.model.analysis
        leader = int(analysis.leader)
        name = question.outcomes[leader].name
        # one convention with the question screen: Δ on P(Yes) (binary) or P(leader) (multi)
        label = headline_label(question, leader)
        flip = flip_text(question, analysis)
        self.query_one("#sensitivity-summary", Static).update(
            f"{question.short_id}: P({name}) = {float(analysis.posterior[leader]):.1%} leads. One "
            f"new item would need {flip} to change the leader. {EFFECT_LEGEND}, on {label}; "
            "items by influence if removed."
        )
        table = self.query_one(DataTable)
        table.add_columns(
            "id", f"Δ {label} from item", "swing (90% range)", f"{label} without → with", "text"
        )
        rows = sensitivity_rows(self.model)
        headline = float(analysis.posterior[headline_index(question, leader)])
        for r in rows:
            table.add_row(
                items[r.row].short_id,
                f"{r.effect:+.1%}",
                f"{r.swing:.1%}",
                tornado(r.without, headline),
                items[r.row].text[:50],
            )
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
