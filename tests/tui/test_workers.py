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


async def test_a_dialog_saves_off_the_ui_thread_on_its_own_connection(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.dialogs.evidence as dialog_module
    from tests.tui.conftest import save

    real = dialog_module.add_evidence
    seen: list[tuple[bool, bool]] = []

    def add_evidence(db, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append((threading.current_thread() is threading.main_thread(), db is app.db))
        return real(db, *args, **kwargs)

    monkeypatch.setattr(dialog_module, "add_evidence", add_evidence)
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        from textual.widgets import Input

        dialog.query_one("#ev-text", Input).value = "Militia rockets hit a base"
        dialog.query_one("#ev-strength", Input).value = "2"
        await pilot.pause()
        await save(pilot)
        assert app.screen is not dialog
        assert any(i.text == "Militia rockets hit a base" for i in app.screen.model.evidence)
    assert seen == [(False, False)]


async def test_opening_a_question_and_saving_a_dialog_compute_the_model_once_each(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.question as question_screen
    from tests.tui.conftest import save

    calls: list[int] = []
    real = question_screen.question_model

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(question_screen, "question_model", counted)
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert len(calls) == 1, "opening a question"
        await pilot.press("p")  # the prior dialog
        await pilot.pause()
        from textual.widgets import Input

        app.screen.query_one(Input).value = "0.4"
        await pilot.pause()
        await save(pilot)
        assert len(calls) == 2, "saving a dialog"


async def test_a_nudge_writes_off_the_ui_thread_on_its_own_connection(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    import screens.question as question_screen
    from tests.tui.conftest import written

    real = question_screen.edit_evidence
    seen: list[tuple[bool, bool]] = []

    def edit_evidence(db, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append((threading.current_thread() is threading.main_thread(), db is app.db))
        return real(db, *args, **kwargs)

    monkeypatch.setattr(question_screen, "edit_evidence", edit_evidence)
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        eid = screen.selected_evidence()
        before = next(i for i in screen.model.evidence if i.id == eid)
        await pilot.press("plus")
        await written(pilot)
        after = next(i for i in screen.model.evidence if i.id == eid)
        assert after.version == before.version + 1
        assert after.lr == pytest.approx(before.lr * 1.5)
    assert seen == [(False, False)]


async def test_rapid_nudges_add_up_without_a_conflict(make_app) -> None:
    """Presses while a nudge is being written wait and add up: every one lands, none conflicts."""
    from arguments.evidence_store import get_evidence
    from tests.tui.conftest import written

    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        eid = screen.selected_evidence()
        before = get_evidence(app.db, eid)
        await pilot.press("plus", "plus", "plus", "minus", "plus")  # net three steps stronger
        await written(pilot)
        await written(pilot)
        after = get_evidence(app.db, eid)
        assert after.lr == pytest.approx(before.lr * 1.5**3)
        assert next(i for i in screen.model.evidence if i.id == eid).version == after.version
        status = str(screen.query_one("#question-status").render())
        assert "✗" not in status
