"""The screen of a numeric or date question: at the top its title and what is shown (median, 50%
and 90% intervals, unit), then the density chart with the forecasters' medians and the evidence
thresholds, the evidence items with their thresholds, then what ``question show`` says (range,
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
    from forecast.engine.numeric_bayes import Item
    from questions.numeric import NumericRange
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
            yield Static(id="numeric-title")
            yield Static(id="numeric-summary")
            yield Static(id="numeric-chart")
            yield Static(id="numeric-evidence")
            yield Static(id="numeric-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_text()

    def refresh_text(self, _result: object = None) -> None:
        parts = numeric_screen_text(self.app.session, self.question_id)
        for name, text in zip(
            ("title", "summary", "chart", "evidence", "text"), parts, strict=True
        ):
            self.query_one(f"#numeric-{name}", Static).update(text)

    def action_forecast(self) -> None:
        from screens.dialogs.numeric_forecast import NumericForecastDialog

        self.app.push_screen(NumericForecastDialog(self.question_id), self.refresh_text)


def numeric_screen_text(session: object, question_id: int) -> tuple[str, str, str, str, str]:
    """(title, summary, chart, evidence, details) for the screen; the chart and the summary
    show the model's posterior when the question has evidence, else the team's linear pool."""
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
        texts = dict(
            db.execute(
                "select id, text from evidence where question_id = ? and removed_at is null",
                [question_id],
            ).fetchall()
        )
    medians = {who: nm.summary(rng, f.cdf)["median"] for who, f in latest.items()}
    thresholds = [i.a for i in model.items if i.form != "measured"]
    thresholds += [i.b for i in model.items if i.form == "between" and i.b is not None]
    if model.items:
        label, cdf = "model posterior", model.result.cdf
    elif latest:
        label, cdf = (
            "team (linear pool)",
            nm.linear_pool(np.array([f.cdf for f in latest.values()])),
        )
    else:
        label, cdf = "prior (uniform)", model.result.cdf
    s = nm.summary(rng, cdf)
    summary = (
        f"{label}: median [b]{rng.show(s['median'])}[/b] · "
        f"50% {rng.show(s['q25'])} – {rng.show(s['q75'])} · "
        f"90% {rng.show(s['q05'])} – {rng.show(s['q95'])}"
    )
    title = f"[b]{data['id']}  {data['title']}[/b]"
    evidence = _evidence_lines(rng, model.item_ids, model.items, texts)
    # The title is on top already and the evidence listed above the details.
    details = render_numeric_text({**data, "evidence": []}).split("\n", 1)[1]
    chart = density_chart(rng, cdf, medians, thresholds)
    return title, summary + "\n", chart, "\n" + evidence, "\n" + details


def _evidence_lines(
    rng: NumericRange, ids: list[int], items: list[Item], texts: dict[int, str]
) -> str:
    """One line per live evidence item: its id, form and threshold(s) (┆ on the chart), LR or
    measurement, credibility, and its text."""
    from rich.markup import escape

    if not items:
        return "evidence: none yet"
    lines = [f"evidence ({len(items)}):"]
    for eid, i in zip(ids, items, strict=True):
        if i.form == "measured":
            what = f"measured {rng.show(i.a)} ± {rng.show(i.sd or 0.0)}"
        elif i.form == "between":
            what = f"between {rng.show(i.a)} and {rng.show(i.b or i.a)} · LR {i.lr:.3g}"
        else:
            what = f"{i.form} {rng.show(i.a)} · LR {i.lr:.3g}"
        cred = f" · cred {i.credibility:.2g}" if i.credibility < 1 else ""
        lines.append(f"  E{eid:<5} {what}{cred}  {escape(texts.get(eid, '')[:70])}")
    return "\n".join(lines)
