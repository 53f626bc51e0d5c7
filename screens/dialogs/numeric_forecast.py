"""Record a distribution forecast on a numeric or date question: quantiles (``0.05:100,0.5:400,
0.95:1500``) or ``normal MEAN SD`` / ``lognormal MEDIAN P95``; the CDF is fitted and drawn (the
density, the median and the 50%/90% intervals) as you type."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from forecast.views.numeric_chart import density_chart
from questions import numeric as nm
from questions import numeric_store
from questions.errors import InvalidInput
from screens.dialogs.form import FormDialog


def parse_distribution(rng: nm.NumericRange, text: str) -> tuple[object, str, str]:
    """(cdf, typed, method) from what was typed."""
    words = text.strip().split()
    if words and words[0].lower() in ("normal", "lognormal"):
        if len(words) != 3:
            raise InvalidInput(f"{words[0]}: give two numbers, e.g. {words[0]} 500 100")
        try:
            a, b = float(words[1]), float(words[2])
        except ValueError:
            raise InvalidInput(f"{words[0]}: {words[1]!r} {words[2]!r} are not numbers") from None
        if rng.is_date:
            raise InvalidInput(f"{words[0]}: a date question takes quantiles")
        fit = nm.cdf_normal if words[0].lower() == "normal" else nm.cdf_lognormal
        return fit(rng, a, b), f"{a:g} {b:g}", words[0].lower()
    pairs = nm.parse_quantiles(rng, text)
    return nm.cdf_from_quantiles(rng, pairs), text.replace(" ", ""), "quantiles"


class NumericForecastDialog(FormDialog):
    """Forecast a numeric question: quantiles, drawn as you type."""

    def __init__(self, question_id: int) -> None:
        super().__init__()
        self.question_id = question_id

    def fields(self) -> list[tuple[str, str, str, str]]:
        self.rng = numeric_store.numeric_range(self.app.db, self.question_id)
        mine = numeric_store.numeric_forecasts(
            self.app.db, self.question_id, forecaster=self.app.session.user
        )
        self.TITLE_TEXT = f"Forecast Q{self.question_id} as {self.app.session.user}"
        typed = mine[-1].typed if mine and mine[-1].method == "quantiles" else ""
        example = "2021-01-01" if self.rng.is_date else "100"
        return [
            ("nf-quantiles", "quantiles", typed, f"0.05:{example},0.5:…,0.95:… or normal MEAN SD"),
            ("nf-rationale", "rationale", "", "why (optional)"),
        ]

    def extra(self) -> ComposeResult:
        yield Static("", id="nf-preview")

    def validate_form(self) -> None:
        preview = self.query_one("#nf-preview", Static)
        try:
            cdf, _, _ = parse_distribution(self.rng, self.value("nf-quantiles"))
        except InvalidInput:
            preview.update("")
            raise
        s = nm.summary(self.rng, cdf)  # type: ignore[arg-type]
        show = self.rng.show
        preview.update(
            density_chart(self.rng, cdf, {"median": s["median"]}, width=56, height=6)  # type: ignore[arg-type]
            + f"\n50%: {show(s['q25'])} .. {show(s['q75'])}   90%: {show(s['q05'])} .. {show(s['q95'])}"
        )

    def save(self) -> object:
        cdf, typed, method = parse_distribution(self.rng, self.value("nf-quantiles"))
        return numeric_store.record_numeric_forecast(
            self.db,
            self.question_id,
            cdf,  # type: ignore[arg-type]
            forecaster=self.app.session.user,
            typed=typed,
            method=method,
            rationale=self.value("nf-rationale"),
            origin="tui",
        )

    def saved(self, result: object) -> None:
        self.app.notify(f"Q{self.question_id}: forecast recorded")
