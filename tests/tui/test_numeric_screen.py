"""A numeric question in the TUI: the home row shows the model's median and 90% interval, and
opening it shows the density chart with the forecasters' medians and the evidence thresholds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from arguments.evidence import EvidenceInputs
from arguments.numeric_evidence import NumericForm, add_numeric_evidence
from forecast.views.numeric_chart import density_chart
from forecast.workspace import open_workspace
from questions import numeric as nm
from questions import numeric_store
from questions.models import QuestionDraft
from screens.home import COLUMNS
from screens.widgets.row_list import RowList


def add_numeric(path: Path) -> int:
    db = open_workspace(path)
    rng = nm.NumericRange(0, 2000, unit="people", open_upper=True)
    qid = numeric_store.add_numeric_question(
        db, QuestionDraft(title="Protesters killed"), rng, author="amira"
    ).id
    add_numeric_evidence(
        db,
        qid,
        EvidenceInputs(text="More than a hundred in the first week", lr=5),
        NumericForm("above", 100),
        passage=None,
        by="amira",
    )
    cdf = nm.cdf_from_quantiles(rng, [(0.05, 100), (0.5, 400), (0.95, 1500)])
    numeric_store.record_numeric_forecast(
        db,
        qid,
        cdf,
        forecaster="tester",
        typed="0.05:100,0.5:400,0.95:1500",
        method="quantiles",
        made_at="2026-01-01T00:00:00Z",
    )
    db.close()
    return qid


async def test_numeric_question_on_home_and_its_screen(make_app, seeded_path: Path) -> None:
    qid = add_numeric(seeded_path)
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = app.screen.query_one("#questions", RowList)
        index = next(i for i in range(rows.row_count) if rows.row(i)[0] == f"Q{qid}")
        cells = dict(zip(COLUMNS, rows.row(index), strict=True))
        assert cells["model"].count("[") == 1 and "–" in cells["model"]
        assert cells["mine"] == "400"
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        chart = str(app.screen.query_one("#numeric-chart").render())
        assert "▲ tester 400 people" in chart and "┆" in chart
        # The title and the summary sit above the chart; the evidence lists its thresholds.
        title = str(app.screen.query_one("#numeric-title").render())
        assert "Protesters killed" in title
        summary = str(app.screen.query_one("#numeric-summary").render())
        assert summary.startswith("model posterior: median ") and "people" in summary
        assert "50% " in summary and "90% " in summary
        screen = app.screen
        order = [w.id for w in screen.query("Static") if (w.id or "").startswith("numeric-")]
        assert order.index("numeric-title") < order.index("numeric-chart")
        evidence = str(app.screen.query_one("#numeric-evidence").render())
        assert "above 100 people · LR 5" in evidence and "More than a hundred" in evidence
        text = str(app.screen.query_one("#numeric-text").render())
        assert "Protesters killed" not in text and "tester" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#questions", RowList)


def test_density_chart_draws_a_normal_by_hand() -> None:
    rng = nm.NumericRange(0, 10, open_upper=True)
    cdf = nm.cdf_normal(rng, 5, 1)
    chart = density_chart(rng, cdf, {"ana": 5.0}, [2.0], width=20, height=4)
    lines = chart.splitlines()
    assert len(lines) == 4 + 3 + 2  # bars, rule, axis, marks, legend, tail
    assert lines[0][10] == "█" or lines[0][9] == "█"  # the peak at the middle
    assert lines[0][0] == " " and lines[3][0] == " "  # nothing near 0
    assert lines[6][10] == "▲" and lines[6][4] == "┆"
    assert lines[7] == "▲ ana 5" and lines[8].startswith("above 10:")
    assert np.isclose(cdf[-1], 1.0, atol=1e-6)


async def test_forecast_dialog_draws_as_you_type_and_saves(make_app, seeded_path: Path) -> None:
    from textual.widgets import Input, Static

    from screens.numeric_question import NumericQuestionScreen

    qid = add_numeric(seeded_path)
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.pause()
        app.push_screen(NumericQuestionScreen(qid))
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        box = dialog.query_one("#nf-quantiles", Input)
        assert box.value == "0.05:100,0.5:400,0.95:1500"  # the user's last forecast
        box.value = "0.05:300,0.5:200"
        await pilot.pause()
        assert "values must increase" in str(dialog.query_one("#form-error", Static).render())
        box.value = "0.05:200,0.5:600,0.95:1200"
        await pilot.pause()
        preview = str(dialog.query_one("#nf-preview", Static).render())
        assert "▲ median 600 people" in preview and "90%: 200 people .. 1200 people" in preview
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is not dialog, str(dialog.query_one("#form-error", Static).render())
        assert "600" in str(app.screen.query_one("#numeric-text", Static).render())
    db = open_workspace(seeded_path)
    latest = numeric_store.numeric_forecasts(db, qid, forecaster="tester")[-1]
    assert latest.typed == "0.05:200,0.5:600,0.95:1200" and latest.method == "quantiles"


async def test_home_status_shows_a_resolved_value_and_dates_by_month(
    make_app, seeded_path: Path
) -> None:
    qid = add_numeric(seeded_path)
    db = open_workspace(seeded_path)
    when = nm.NumericRange(
        nm.date_to_value("2019-01-01", field="lo"),
        nm.date_to_value("2023-01-01", field="hi"),
        is_date=True,
    )
    date_q = numeric_store.add_numeric_question(
        db, QuestionDraft(title="New prime minister confirmed"), when, author="amira"
    ).id
    numeric_store.record_numeric_forecast(
        db,
        date_q,
        nm.cdf_normal(when, nm.date_to_value("2020-04-15", field="x"), 30),
        forecaster="tester",
        typed="2020-04-15 30",
        method="normal",
        made_at="2019-12-01T00:00:00Z",
    )
    numeric_store.resolve_numeric(db, qid, 742, by="amira")
    numeric_store.resolve_numeric(db, date_q, nm.date_to_value("2020-05-07", field="x"), by="amira")
    db.close()
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = app.screen.query_one("#questions", RowList)
        cells = {
            rows.row(i)[0]: dict(zip(COLUMNS, rows.row(i), strict=True))
            for i in range(rows.row_count)
        }
        # "people" is longer than three characters: the value alone
        assert cells[f"Q{qid}"]["status"] == "resolved 742"
        assert cells[f"Q{date_q}"]["status"] == "resolved 2020-05-07"
        assert cells[f"Q{date_q}"]["mine"] == "2020-04"
