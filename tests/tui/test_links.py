"""Pilot tests of linked questions on the question screen: the links pane, `w` toggling a
hypothetical outcome (marked, written nowhere, dropped by escape), and the new-indicator dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from arguments.indicators import indicators_for
from forecast.workspace import open_workspace
from questions import store
from questions.conditions import add_condition, record_conditional_forecast
from questions.models import QuestionDraft
from questions.session import Session
from screens.widgets.row_list import RowList
from tests.tui.conftest import save


def linked(path: Path) -> None:
    db = open_workspace(path)
    attack = store.add_question(db, QuestionDraft(title="Attack blamed on militias"), author="t").id
    withdraw = store.add_question(db, QuestionDraft(title="US withdraws"), author="t").id
    store.add_question(db, QuestionDraft(title="Prison break"), author="t")
    add_condition(db, withdraw, attack, by="t")
    store.record_forecast(db, attack, forecaster="tester", p_yes=0.3, made_at="2020-01-01")
    for outcome, p in (("Yes", 0.6), ("No", 0.1)):
        record_conditional_forecast(
            db,
            withdraw,
            given=f"Q{attack}={outcome}",
            forecaster="tester",
            p_yes=p,
            made_at="2020-01-02",
        )
    db.close()


@pytest.fixture
def linked_app(tmp_path: Path):
    from screens.app import ForecastleApp

    path = tmp_path / "linked.db"
    linked(path)
    return ForecastleApp(Session(path=path, user="tester", opener=open_workspace)), path


async def open_question(pilot, downs: int) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.press(*(["down"] * downs), "enter")
    await pilot.pause()


async def test_w_toggles_a_hypothetical_and_escape_drops_it(linked_app) -> None:
    app, path = linked_app
    before = path.read_bytes()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_question(pilot, 1)  # Q2, conditional on Q1
        screen = app.screen
        links = screen.query_one("#links", RowList)
        assert links.display and links.row(0)[:2] == ("condition on", "Q1")
        await pilot.press("w")
        await pilot.pause()
        assert screen.hypothetical.assignments == {1: "Yes"}
        mine = screen.query_one("#outcomes", RowList).row(0)[5]
        assert mine == "⇢60.0%"  # my implied forecast if Q1 were Yes
        assert "HYPOTHETICAL if Q1 = Yes" in str(screen.query_one("#question-status").render())
        assert links.row(0)[5] == "⇢= Yes"
        await pilot.press("w")
        await pilot.pause()
        assert screen.hypothetical.assignments == {1: "No"}
        assert screen.query_one("#outcomes", RowList).row(0)[5] == "⇢10.0%"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.hypothetical is None and app.screen is screen
        assert not screen.query_one("#outcomes", RowList).row(0)[5].startswith("⇢")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
    assert path.read_bytes() == before


async def test_home_marks_linked_questions(linked_app) -> None:
    app, _ = linked_app
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one("#questions", RowList)
        assert rows.row(1)[1].startswith("↳ ")
        assert not rows.row(0)[1].startswith("↳")


async def test_new_indicator_dialog(linked_app, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import screens.dialogs.indicator as dialog_module

    app, path = linked_app
    real = dialog_module.add_indicator
    seen: list[tuple[bool, bool]] = []

    def add_indicator(db, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append((threading.current_thread() is threading.main_thread(), db is app.db))
        return real(db, *args, **kwargs)

    monkeypatch.setattr(dialog_module, "add_indicator", add_indicator)
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot, 0)  # Q1
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#ind-child", Input).value = "Q3"
        dialog.query_one("#ind-likelihoods", Input).value = "0.7,1"
        await pilot.pause()
        assert "strictly between 0 and 1" in str(dialog.query_one("#form-error", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        dialog.query_one("#ind-likelihoods", Input).value = "0.7,0.2"
        await pilot.pause()
        await save(pilot)  # the save is a worker: wait for it, not just a pause
        assert app.screen is not dialog
        links = app.screen.query_one("#links", RowList)
        assert ("indicator", "Q3") in [links.row(i)[:2] for i in range(links.row_count)]
    with open_workspace(path) as db:
        (made,) = indicators_for(db, parent=1)
        assert made.child_id == 3 and made.likelihoods == (0.7, 0.2)
    assert seen == [(False, False)]  # saved off the UI thread, on the worker's own connection


async def test_the_hypothetical_keeps_a_proper_90_percent_interval(tmp_path: Path) -> None:
    """Q1's model moves if its indicator Q2 resolved: the outcomes show the hypothetical
    posterior with an interval from the items' LR ranges, not a point."""
    from arguments.evidence import EvidenceInputs
    from arguments.evidence_store import add_evidence
    from arguments.indicators import add_indicator
    from screens.app import ForecastleApp

    path = tmp_path / "indicator.db"
    db = open_workspace(path)
    state = store.add_question(db, QuestionDraft(title="Militias blamed"), author="t").id
    town = store.add_question(db, QuestionDraft(title="Town falls"), author="t").id
    add_evidence(
        db, state, EvidenceInputs(text="Claimed", lr=3, range_low=[1.5], range_high=[6]), by="t"
    )
    add_indicator(db, state, town, [0.8, 0.2], by="t")
    db.close()
    app = ForecastleApp(Session(path=path, user="tester", opener=open_workspace))
    async with app.run_test(size=(140, 40)) as pilot:
        await open_question(pilot, 0)
        from screens.question import QuestionScreen

        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        before = screen.query_one("#outcomes", RowList).row(0)
        await pilot.press("w")
        await pilot.pause()
        assert screen.hypothetical is not None and screen.hypothetical.posterior is not None
        row = screen.query_one("#outcomes", RowList).row(0)
        assert row[2].startswith("⇢") and row[2] != "⇢" + before[2]
        lo, hi = (float(v.rstrip("%")) for v in row[3].split("–"))
        shown = float(row[2].lstrip("⇢").rstrip("%"))
        assert lo < shown < hi, row
        assert screen.hypothetical.interval is not None
