"""The TUI's workers each work on a connection of their own and report back by message, so two
report builds at once (the calibration screen loading while a report is exported) neither trip
over each other nor close the app."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import sqlite_utils
from textual.widgets import Static


@pytest.fixture
def builds_meet(monkeypatch: pytest.MonkeyPatch) -> threading.Barrier:
    """Hold each report build just after it made its table of forecaster codes, until the other
    build has made its own: the two builds then certainly overlap at their worst moment."""
    barrier = threading.Barrier(2, timeout=20)
    real = sqlite_utils.Database.execute

    def execute(self, sql, parameters=None):  # noqa: ANN001, ANN202
        if sql.startswith("insert into temp.report_forecasters"):
            barrier.wait()
        return real(self, sql, parameters)

    monkeypatch.setattr(sqlite_utils.Database, "execute", execute)
    return barrier


async def test_two_overlapping_report_builds_both_finish(
    make_app, tmp_path: Path, builds_meet: threading.Barrier
) -> None:
    target = tmp_path / "report.json"
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("c")  # the calibration screen starts building its report
        await pilot.pause()
        app.export_report("json", target)  # and an export builds another at the same time
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        summary = str(app.screen.query_one("#calibration-summary", Static).render())
        assert summary.startswith("1 forecasts on 1 resolved questions"), summary
    assert json.loads(target.read_text())["n_questions"] == 1


async def test_a_failing_worker_shows_one_line_and_the_app_stays(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    import forecast.reports.build as build

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(build, "build_report", broken)
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        summary = str(app.screen.query_one("#calibration-summary", Static).render())
        assert summary == "✗ RuntimeError: disk on fire"
