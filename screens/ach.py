"""The ACH matrix: evidence × hypotheses with ratings or likelihoods, inconsistency, posterior."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from forecast.views.ach import ach_matrix
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from textual import getters

    from screens.app import ForecastleApp


RATING_CLASS = {"CC": "++", "C": "+", "N": "·", "I": "−", "II": "−−", "NA": " "}


class AchScreen(Screen[None]):
    """ACH matrix: which hypothesis the evidence is least inconsistent with."""

    if TYPE_CHECKING:
        app = getters.app(ForecastleApp)  # self.app typed as forecastle's App

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="ach-summary", classes="title")
        yield DataTable(id="ach", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        data = ach_matrix(self.app.db, self.question_id)
        table = self.query_one(DataTable)
        hypotheses = data["hypotheses"]
        table.add_columns(
            "evidence", *[h["name"][:16] for h in hypotheses], "diag dB", "cred", "text"
        )
        for e in data["evidence"]:
            if e["ratings"]:
                cells = [
                    Text(
                        f"{r} {RATING_CLASS.get(r, '')}",
                        style="reverse" if r in ("I", "II") else "",
                    )
                    for r in e["ratings"]
                ]
            else:
                top = max(e["likelihoods"]) or 1.0
                cells = [
                    Text(f"{v:.2g}", style="bold" if v == top else "") for v in e["likelihoods"]
                ]
            table.add_row(
                e["id"],
                *cells,
                f"{e['diagnosticity']:.1f}",
                f"{e['credibility']:.2g}",
                e["text"][:40],
            )
        table.add_row(
            "inconsistency", *[f"{h['inconsistency']:.1f}" for h in hypotheses], "", "", ""
        )
        table.add_row("posterior", *[f"{h['posterior']:.1%}" for h in hypotheses], "", "", "")
        summary = f"{data['question']} {data['title']} — most probable: {data['most_probable']}"
        if data["least_inconsistent"]:
            summary += f" · least inconsistent (Heuer): {data['least_inconsistent']}"
        self.query_one("#ach-summary", Static).update(summary)
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()
