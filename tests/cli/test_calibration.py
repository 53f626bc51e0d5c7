"""``forecastle calibration NAME`` and the recalibration line of ``forecastle forecast``, on a real
temporary workspace."""

from __future__ import annotations

import json

import numpy as np
import pytest

from forecast.scoring import logistic
from forecast.scoring.recalibration import fit_recalibration
from questions import store
from questions.models import QuestionDraft
from tests.conftest import Cli


def _history(cli: Cli, n: int, forecaster: str = "ann", seed: int = 4) -> tuple[list, list]:
    """n binary questions, one forecast each (too extreme: twice the true log-odds, rounded to
    whole percentages), made in 2020 and resolved a month later."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0.1, 0.9, n)
    outcomes = (rng.random(n) < truth).astype(float)
    stated = np.clip(np.round(logistic.sigmoid(2 * logistic.logit(truth)), 2), 0.01, 0.99)
    db = cli.open()
    for i in range(n):
        q = store.add_question(db, QuestionDraft(title=f"Question {i}"), author="lead").id
        day = f"2020-01-{1 + i % 28:02d}T{i // 28:02d}:00:00Z"
        store.record_forecast(db, q, forecaster=forecaster, p_yes=float(stated[i]), made_at=day)
        store.resolve(db, q, "yes" if outcomes[i] else "no", by="lead", at="2020-03-01")
    db.close()
    return stated.tolist(), outcomes.tolist()


def test_calibration_json_reports_the_fit_and_the_curve(cli: Cli) -> None:
    stated, outcomes = _history(cli, 60)
    out = json.loads(cli.ok("calibration", "ann", "--json"))
    fit = fit_recalibration(np.array(stated), np.array(outcomes))
    assert fit is not None
    assert out["n"] == 60 and out["fit"]["b"] == pytest.approx(fit.b)
    assert out["fit"]["b_interval"][0] < out["fit"]["b"] < out["fit"]["b_interval"][1]
    assert sum(step["n"] for step in out["curve"]) == 60
    observed = [step["observed"] for step in out["curve"]]
    assert observed == sorted(observed)  # isotonic
    text = cli.ok("calibration", "ann")
    assert "b = " in text and "calibration curve (CORP, isotonic)" in text


def test_calibration_with_fewer_than_twenty_events_says_so(cli: Cli) -> None:
    _history(cli, 12)
    out = json.loads(cli.ok("calibration", "ann", "--json"))
    assert out["fit"] is None
    assert out["not_fitted"] == "only 12 resolved forecasts; recalibration needs at least 20"
    assert "no fit: only 12 resolved forecasts" in cli.ok("calibration", "ann")


def test_calibration_of_an_unknown_forecaster_is_one_line(cli: Cli) -> None:
    cli.ok("question", "add", "Will it rain?")
    result = cli("calibration", "nobody")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: forecaster: 'nobody' has no forecast on a resolved binary question"
    )


def test_forecast_shows_the_line_and_records_whether_the_suggestion_was_taken(cli: Cli) -> None:
    stated, outcomes = _history(cli, 40)
    cli.ok("question", "add", "Will it snow?")
    db = cli.open()
    qid = db.execute("select max(id) from questions").fetchone()[0]
    db.close()
    fit = fit_recalibration(np.array(stated), np.array(outcomes))
    assert fit is not None
    expected = float(fit.apply(np.array([0.8]))[0])
    typed = cli.ok("forecast", f"Q{qid}", "0.8", "--by", "ann")
    assert "your 80%s have come true" in typed
    assert typed.splitlines()[0].endswith(f"recalibrated: {100 * expected:.0f}%")
    taken = cli.ok(
        "forecast", f"Q{qid}", "0.8", "--by", "ann", "--recalibrated", "--at", "2026-01-16"
    )
    assert taken.endswith("(recalibrated, as suggested)")
    db = cli.open()
    rows = db.execute(
        "select p, took_recalibration from forecasts where question_id = ? order by made_at", [qid]
    ).fetchall()
    assert rows[0] == (pytest.approx(0.8), 0)
    assert rows[1] == (pytest.approx(expected), 1)
    assert [f.took_recalibration for f in store.forecasts_for(db, qid)] == [False, True]


def test_recalibrated_without_a_fit_is_refused_and_changes_nothing(cli: Cli) -> None:
    cli.ok("question", "add", "Will it snow?")
    result = cli("forecast", "Q1", "0.8", "--recalibrated")
    assert result.exit_code == 1
    assert "no recalibration yet: only 0 resolved forecasts" in result.stdout
    assert result.stderr.strip() == "error: --recalibrated: there is no recalibration to take yet"
    db = cli.open()
    assert db.execute("select count(*) from forecasts").fetchone()[0] == 0
