"""Pilot tests of ``x`` on the question screen's links pane: a confirm, then the highlighted link
is removed in the workspace (a resolved indicator's evidence item with it, history kept); ``n``
changes nothing; a condition holding conditional forecasts is refused on one line."""

from __future__ import annotations

from pathlib import Path

from arguments.evidence_store import evidence_history, list_evidence
from arguments.indicators import add_indicator, indicators_for
from forecast.workspace import open_workspace
from questions import store
from questions.conditions import parents_of
from questions.session import Session
from screens.dialogs.form import ConfirmDialog
from screens.widgets.row_list import RowList
from tests.conftest import dump
from tests.tui.test_links import linked, open_question


def _app(path: Path):  # noqa: ANN202
    from screens.app import ForecastleApp

    return ForecastleApp(Session(path=path, user="tester", opener=open_workspace))


def _with_resolved_indicator(path: Path) -> None:
    """Q1 attack, Q2 withdrawal conditional on it (with conditional forecasts), Q3 a prison
    break that indicates Q1 and has resolved Yes (so Q1 holds its evidence item)."""
    linked(path)
    with open_workspace(path) as db:
        add_indicator(db, 1, 3, [0.8, 0.3], by="amira")
        store.resolve(db, 3, "yes", by="amira", at="2020-03-01")


async def _highlight(pilot, kind: str, qid: str) -> RowList:  # noqa: ANN001
    links = pilot.app.screen.query_one("#links", RowList)
    rows = [links.row(i)[:2] for i in range(links.row_count)]
    links.focus()
    await pilot.pause()
    await pilot.press(*(["down"] * rows.index((kind, qid))))
    await pilot.pause()
    return links


async def _wait(pilot) -> None:  # noqa: ANN001
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_x_removes_the_highlighted_indicator_after_a_confirm(tmp_path: Path) -> None:
    path = tmp_path / "links.db"
    _with_resolved_indicator(path)
    with open_workspace(path) as db:
        (item,) = list_evidence(db, 1)
    app = _app(path)
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot, 0)  # Q1: Q2 conditional on it, Q3 its indicator
        screen = app.screen
        links = await _highlight(pilot, "indicator", "Q3")
        assert links.row(links.cursor_row)[:2] == ("indicator", "Q3")
        with open_workspace(path) as db:
            before = dump(db)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing changes
        await _wait(pilot)
        assert app.screen is screen
        with open_workspace(path) as db:
            assert dump(db) == before
        await pilot.press("x")
        await pilot.pause()
        assert "indicator for Q1" in str(app.screen.question)  # type: ignore[attr-defined]
        await pilot.press("y")
        await _wait(pilot)
        assert app.screen is screen
        kinds = [links.row(i)[:2] for i in range(links.row_count)]
        assert kinds == [("conditional", "Q2")]
        assert screen.model is not None and screen.model.evidence == []
    with open_workspace(path) as db:
        assert indicators_for(db, parent=1) == []
        assert list_evidence(db, 1) == []
        history = evidence_history(db, 1)
        assert [(h["evidence_id"], h["action"], h["by"]) for h in history][-1] == (
            item.id,
            "removed",
            "tester",
        )


async def test_x_on_a_condition_with_forecasts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "links.db"
    linked(path)  # Q2 conditional on Q1, with conditional forecasts given each outcome
    with open_workspace(path) as db:
        before = dump(db)
    app = _app(path)
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot, 1)  # Q2
        links = await _highlight(pilot, "condition on", "Q1")
        await pilot.press("x", "y")
        await _wait(pilot)
        status = str(app.screen.query_one("#question-status").render())
        assert "Q2 has 2 conditional forecast(s) given Q1" in status
        assert links.row(0)[:2] == ("condition on", "Q1")
    with open_workspace(path) as db:
        assert dump(db) == before
        assert parents_of(db, 2) == [1]


async def test_x_removes_a_condition_without_forecasts(tmp_path: Path) -> None:
    path = tmp_path / "links.db"
    linked(path)
    with open_workspace(path) as db:
        from questions.conditions import add_condition

        add_condition(db, 3, 1, by="amira")  # Q3 conditional on Q1, no forecasts
    app = _app(path)
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot, 0)  # Q1
        await _highlight(pilot, "conditional", "Q3")
        await pilot.press("x", "y")
        await _wait(pilot)
        links = app.screen.query_one("#links", RowList)
        assert [links.row(i)[:2] for i in range(links.row_count)] == [("conditional", "Q2")]
    with open_workspace(path) as db:
        assert parents_of(db, 3) == []
