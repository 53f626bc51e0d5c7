"""The screen of a numeric or date question: the model's posterior as a density chart with the
forecasters' medians and the evidence thresholds, then what ``question show`` says (range,
forecasts with their intervals, the team's aggregates, the model, sensitivity)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from screens.connections import reader
from screens.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from screens.app import ForecastleApp


class NumericQuestionScreen(Screen[None]):
    """Numeric question: distribution, forecasts, model."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="back"),
        Binding("f", "forecast", "Forecast", id="forecast"),
    ]

    if TYPE_CHECKING:
        app: ForecastleApp  # type: ignore[assignment]

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="numeric-chart")
            yield Static(id="numeric-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self, _result: object = None) -> None:
        chart, text = numeric_screen_text(self.app.session, self.question_id)
        self.query_one("#numeric-chart", Static).update(chart)
        self.query_one("#numeric-text", Static).update(text)

    def action_forecast(self) -> None:
        from screens.dialogs.numeric_forecast import NumericForecastDialog

        self.app.push_screen(NumericForecastDialog(self.question_id), self.refresh_text)


def numeric_screen_text(session: object, question_id: int) -> tuple[str, str]:
    """(chart, details) for the screen; the chart shows the model's posterior when the question
    has evidence, else the team's linear pool."""
    import numpy as np

    from forecast.engine.numeric_model import numeric_model
    from forecast.views.numeric_chart import density_chart
    from forecast.views.numeric_question import numeric_show_data, render_numeric_text
    from questions import numeric as nm
    from questions import numeric_store

    with reader(session) as db:  # type: ignore[arg-type]
        data = numeric_show_data(db, question_id)
        rng = numeric_store.numeric_range(db, question_id)
        model = numeric_model(db, question_id)
        latest = numeric_store.latest_numeric(numeric_store.numeric_forecasts(db, question_id))
    medians = {who: nm.summary(rng, f.cdf)["median"] for who, f in latest.items()}
    thresholds = [i.a for i in model.items if i.form != "measured"]
    thresholds += [i.b for i in model.items if i.form == "between" and i.b is not None]
    if model.items:
        title, cdf = "model posterior", model.result.cdf
    elif latest:
        title, cdf = (
            "team (linear pool)",
            nm.linear_pool(np.array([f.cdf for f in latest.values()])),
        )
    else:
        title, cdf = "prior (uniform)", model.result.cdf
    chart = f"{title}\n" + density_chart(rng, cdf, medians, thresholds)
    return chart, render_numeric_text(data)
