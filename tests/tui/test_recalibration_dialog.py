"""Pilot test: the forecast dialog shows the recalibration line and can take the suggestion."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from textual.widgets import Input, Static

from forecast.scoring import logistic
from forecast.scoring.recalibration import fit_recalibration
from forecast.scoring.track_record import track_record
from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft


def _history(path: Path) -> tuple[int, float]:
    """30 resolved questions on which tester was too extreme; an open question; the value
    recalibration suggests for 0.8."""
    db = open_workspace(path)
    rng = np.random.default_rng(5)
    truth = rng.uniform(0.1, 0.9, 30)
    outcome = (rng.random(30) < truth).astype(float)
    stated = np.clip(np.round(logistic.sigmoid(2 * logistic.logit(truth)), 2), 0.01, 0.99)
    for i in range(30):
        q = store.add_question(db, QuestionDraft(title=f"Old {i}"), author="lead").id
        store.record_forecast(
            db, q, forecaster="tester", p_yes=float(stated[i]), made_at="2020-01-01"
        )
        store.resolve(db, q, "yes" if outcome[i] else "no", by="lead", at="2020-06-01")
    open_q = store.add_question(db, QuestionDraft(title="New one"), author="lead").id
    record = track_record(db, "tester")  # these 30, and any the seed resolved
    db.close()
    fit = fit_recalibration(record.p, record.outcome)
    assert fit is not None and record.p.size >= 30
    return open_q, float(fit.apply(np.array([0.8]))[0])


async def test_forecast_dialog_takes_the_recalibrated_value(make_app, seeded_path: Path) -> None:
    from screens.dialogs.question import ForecastDialog

    question, expected = _history(seeded_path)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ForecastDialog(question, [0.8, 0.2]))
        await pilot.pause()
        line = str(app.screen.query_one("#fc-recalibration", Static).render())
        assert "your 80%s have come true" in line
        assert line.endswith(f"recalibrated: {100 * expected:.0f}%")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen.query_one("#fc-probs", Input).value == f"{expected:.3f}"
        await pilot.press("ctrl+s")
        await pilot.pause()
    db = open_workspace(seeded_path)
    (made,) = store.forecasts_for(db, question)
    assert made.took_recalibration and abs(made.probs[0] - round(expected, 3)) < 1e-9


async def test_forecast_typed_by_hand_does_not_claim_the_suggestion(
    make_app, seeded_path: Path
) -> None:
    from screens.dialogs.question import ForecastDialog

    question, _ = _history(seeded_path)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ForecastDialog(question, [0.8, 0.2]))
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        app.screen.query_one("#fc-probs", Input).value = "0.7"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    db = open_workspace(seeded_path)
    (made,) = store.forecasts_for(db, question)
    assert not made.took_recalibration and made.probs[0] == 0.7
