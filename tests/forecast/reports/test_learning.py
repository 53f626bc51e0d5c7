"""The report's learning sections and ``report --extremize fitted``, on real workspaces."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlite_utils import Database

from forecast.reports.build import build_report
from forecast.reports.data import ReportSettings
from forecast.reports.render import render
from forecast.scoring import extremize_fit
from questions import store
from questions.errors import InvalidInput
from questions.models import QuestionDraft
from tests.conftest import Cli


def _workspace(db: Database, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    xs, ys = [], []
    for i in range(n):
        q = store.add_question(db, QuestionDraft(title=f"Q{i}"), author="lead").id
        truth = rng.uniform(0.1, 0.9)
        yes = bool(rng.random() < truth)
        ps = [float(np.clip(np.round(truth + d, 2), 0.02, 0.98)) for d in (-0.05, 0.05)]
        for name, p in zip(("ann", "bob"), ps, strict=True):
            store.record_forecast(
                db, q, forecaster=name, p_yes=p, made_at=f"2020-{1 + i // 28:02d}-{1 + i % 28:02d}"
            )
        store.resolve(db, q, "yes" if yes else "no", by="lead", at=f"2021-01-{1 + i % 28:02d}")
        xs.append(extremize_fit.mean_log_odds(ps))
        ys.append(float(yes))
    return np.array(xs), np.array(ys)


def test_report_carries_the_learning_sections(db: Database) -> None:
    x, y = _workspace(db, 30)
    report = build_report(db, ReportSettings())
    people = {f["name"]: f for f in report["recalibration"]["forecasters"]}
    assert people["ann"]["n"] == 30 and people["ann"]["fit"] is not None
    # every forecast was made before any question resolved: nothing is scored out of sample
    assert people["ann"]["out_of_sample"]["n_scored"] == 0
    fit = extremize_fit.fit_exponent(x, y)
    assert fit is not None
    assert report["extremizer"]["fitted"]["a"] == pytest.approx(fit["a"])
    assert report["lr_calibration"]["n_items"] == 0
    fitted = build_report(db, ReportSettings(extremize="fitted"))
    assert fitted["settings"]["extremize"] == pytest.approx(fit["a"])
    assert fitted["settings"]["extremize_fitted"] is True
    assert any(a["name"] == f"extremized (a = {fit['a']:g})" for a in fitted["aggregates"])
    for fmt in ("md", "html", "json", "csv"):
        assert render(fitted, fmt)
    md = render(fitted, "md")
    assert "## Recalibration" in md and "## Fitted extremizing exponent" in md


def test_fitted_extremizer_needs_twenty_questions(db: Database) -> None:
    _workspace(db, 12)
    with pytest.raises(InvalidInput, match="only 12 resolved binary questions"):
        build_report(db, ReportSettings(extremize="fitted"))


def test_cli_extremize_fitted_and_bad_values(cli: Cli) -> None:
    db = cli.open()
    _workspace(db, 25)
    db.close()
    out = json.loads(cli.ok("report", "--format", "json", "--extremize", "fitted"))
    assert out["settings"]["extremize_fitted"] is True
    bad = cli("report", "--format", "json", "--extremize", "lots")
    assert bad.exit_code == 1
    assert bad.stderr.strip() == "error: extremize: 'lots' is not allowed (a number > 0, or fitted)"
