"""Pilot tests: editing, duplicating and removing questions; dates in the forecast and resolve
dialogs; resolution criteria on screen."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from forecast.workspace import open_workspace
from questions import store
from questions.edit import edit_question, question_changes
from screens.widgets.row_list import RowList
from screens.widgets.text_line import TextLine
from tests.tui.conftest import save, written


async def _open_first(pilot) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_edit_question_from_the_question_screen(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await _open_first(pilot)
        screen = app.screen
        assert "no criteria written" in str(screen.query_one("#question-criteria", TextLine).text)
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#eq-title", Input).value = ""
        await pilot.pause()
        assert "title" in str(dialog.query_one("#form-error", Static).render())
        dialog.query_one("#eq-title", Input).value = "Will US troops leave Iraq before 2021?"
        dialog.query_one("#eq-criteria", Input).value = "Pentagon confirms fewer than 100 troops"
        dialog.query_one("#eq-tags", Input).value = "iraq, troops"
        await pilot.pause()
        await save(pilot)
        assert app.screen is screen
        await pilot.pause()
        assert "Pentagon confirms" in str(screen.query_one("#question-criteria", TextLine).text)
    db = open_workspace(seeded_path)
    q = store.get_question(db, 1)
    assert q.title == "Will US troops leave Iraq before 2021?" and q.tags == ["iraq", "troops"]
    assert q.version == 2
    assert [h["action"] for h in question_changes(db, 1)] == ["added", "edited"]


async def test_a_stale_edit_names_who_changed_it(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await _open_first(pilot)
        await pilot.press("E")
        await pilot.pause()
        other = open_workspace(seeded_path)
        edit_question(other, 1, by="ben", criteria="ben's rule")
        other.close()
        app.screen.query_one("#eq-title", Input).value = "Mine"
        await pilot.pause()
        await save(pilot)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "ben" in error and "version 2" in error
    assert store.get_question(open_workspace(seeded_path), 1).title != "Mine"


async def test_multi_outcome_names_are_edited_in_order(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("down", "e")
        await pilot.pause()
        field = app.screen.query_one("#eq-outcomes", Input)
        assert field.value == "Defeated remnant; Rural insurgency; Urban resurgence"
        field.value = "Defeated; Rural insurgency"
        await pilot.pause()
        assert "give 3 names" in str(app.screen.query_one("#form-error", Static).render())
        field.value = "Defeated; Insurgency; Resurgence"
        await pilot.pause()
        await save(pilot)
    q = store.get_question(open_workspace(seeded_path), 2)
    assert q.outcome_names == ["Defeated", "Insurgency", "Resurgence"]


async def test_duplicate_and_remove_from_home(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await written(pilot)
        rows = app.screen.query_one("#questions", RowList)
        assert rows.row_count == 4
        assert app.screen.questions[rows.cursor_row].id == 4  # the cursor is on the copy
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await written(pilot)
        assert rows.row_count == 3
        assert [q.id for q in app.screen.questions] == [1, 2, 3]
    db = open_workspace(seeded_path)
    copy = store.get_question(db, 4)
    assert copy.title.endswith("(copy)") and copy.closes_at == "2021-01-01T00:00:00Z"
    assert [h["action"] for h in question_changes(db, 4)] == ["added", "duplicated", "removed"]


async def test_forecast_dialog_takes_a_date(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await _open_first(pilot)
        await pilot.press("f")
        await pilot.pause()
        at = app.screen.query_one("#fc-at", Input)
        assert at.value == "2026-01-15T12:00:00Z"  # now, by default
        at.value = "2020-12-01"
        await pilot.pause()
        await save(pilot)
    mine = store.forecasts_for(open_workspace(seeded_path), 1, forecaster="tester")
    assert mine[-1].made_at == "2020-12-01T00:00:00Z"


async def test_resolve_dialog_defaults_to_a_passed_close_date_and_shows_criteria(
    make_app, seeded_path: Path
) -> None:
    edit_question(open_workspace(seeded_path), 1, by="amira", criteria="DoD announcement")
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await _open_first(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen.query_one("#rs-at", Input).value == "2021-01-01T00:00:00Z"
        assert "DoD announcement" in str(app.screen.query_one("#rs-criteria", Static).render())
        app.screen.query_one("#rs-outcome", Input).value = "yes"
        await pilot.pause()
        await save(pilot)
    q = store.get_question(open_workspace(seeded_path), 1)
    assert q.resolved_at == "2021-01-01T00:00:00Z"


async def test_anchored_evidence_goes_to_a_closed_question_with_a_warning(
    make_app, seeded_path: Path
) -> None:
    import pytest
    from textual.widgets import Select, TextArea
    from textual.widgets.text_area import Selection

    from arguments.evidence_store import list_evidence
    from arguments.source_store import import_article
    from screens.sources import PASSAGE_PREFIX, ReaderScreen
    from tests.conftest import SEED_ARTICLE

    if not SEED_ARTICLE.exists():
        pytest.skip("the shared seed article is not here")
    with open_workspace(seeded_path) as db:
        import_article(db, SEED_ARTICLE, by="tester")
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        app.push_screen(ReaderScreen(1))
        await pilot.pause()
        reader = app.screen
        passage = next(p for p in reader.detail["passages"] if p["number"] == 7)
        row = next(r for r, n in reader.rows.items() if n == 7)
        prefix = len(PASSAGE_PREFIX.format(n=7))
        start = passage["text"].index("President Trump has")
        end = passage["text"].index("leaders.[XIV]") + len("leaders.[XIV]")
        reader.query_one(TextArea).selection = Selection((row, prefix + start), (row, prefix + end))
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        labels = [label for label, _ in dialog.choices]
        assert any(label.startswith("Q1 ") and "(closed)" in label for label in labels)
        dialog.query_one("#ev-question", Select).value = 1  # Q1 closed on 2021-01-01
        await pilot.pause()  # the LR / likelihood inputs are rebuilt for Q1
        await pilot.pause()
        dialog.query_one("#ev-strength", Input).value = "1.5"
        await pilot.pause()
        await save(pilot)
        assert app.screen is reader
        assert any("Q1 is closed" in str(n.message) for n in app._notifications)
    items = list_evidence(open_workspace(seeded_path), 1)
    assert items[-1].quote.startswith("President Trump has")


async def test_undo_a_nudge_a_removal_and_an_edit(make_app, seeded_path: Path) -> None:
    from arguments.evidence_store import get_evidence

    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await _open_first(pilot)
        await pilot.press("u")  # nothing changed yet: says so, changes nothing
        await pilot.pause()
        await pilot.press("plus")
        await written(pilot)
        await pilot.press("plus")
        await written(pilot)
        await pilot.press("u")
        await written(pilot)
        assert get_evidence(app.db, 1).lr == 3 * 1.5  # one nudge taken back
        await pilot.press("d", "y")
        await written(pilot)
        assert get_evidence(app.db, 1).removed_at is not None
        await pilot.press("u")
        await written(pilot)
        assert get_evidence(app.db, 1).removed_at is None
        assert len(app.screen.model.evidence) == 3
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#ev-text", Input).value = "Parliament votes (non-binding)"
        await pilot.pause()
        await save(pilot)
        await pilot.press("u")
        await written(pilot)
    item = get_evidence(open_workspace(seeded_path), 1)
    assert item.text == "Parliament votes to expel foreign forces" and item.lr == 4.5
