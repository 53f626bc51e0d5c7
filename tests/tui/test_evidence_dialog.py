"""The evidence dialog saves what the user changed and keeps everything else as stored: the form
shows dates without their time and numbers to six digits, and must not write those back."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import edit_evidence, evidence_history, get_evidence
from forecast.workspace import open_workspace
from tests.tui.conftest import save


def store_precise_item(path: Path) -> None:
    with open_workspace(path) as db:
        edit_evidence(
            db,
            1,
            EvidenceInputs(
                observed_at="2020-01-05T14:30:00Z",
                range_low=[1.23456789],
                range_high=[6.00000001],
                credibility=0.123456789,
            ),
            by="amira",
        )


async def open_edit_dialog(app, pilot) -> None:
    await pilot.pause()
    await pilot.press("enter")  # the first question
    await pilot.pause()
    await pilot.press("enter")  # edit its first item
    await pilot.pause()


async def test_saving_an_unchanged_item_writes_nothing(make_app, seeded_path: Path) -> None:
    store_precise_item(seeded_path)
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_edit_dialog(app, pilot)
        dialog = app.screen
        assert dialog.query_one("#ev-observed", Input).value == "2020-01-05"
        await save(pilot)
        assert app.screen is not dialog
    with open_workspace(seeded_path) as db:
        item = get_evidence(db, 1)
        assert item.version == 2 and item.observed_at == "2020-01-05T14:30:00Z"
        assert [h["version"] for h in evidence_history(db, 1) if h["evidence_id"] == 1] == [1, 2]


async def test_changing_one_field_keeps_the_others_as_stored(make_app, seeded_path: Path) -> None:
    store_precise_item(seeded_path)
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_edit_dialog(app, pilot)
        app.screen.query_one("#ev-text", Input).value = "Parliament votes 170-0 to expel"
        await pilot.pause()
        await save(pilot)
    with open_workspace(seeded_path) as db:
        item = get_evidence(db, 1)
        assert item.version == 3 and item.text == "Parliament votes 170-0 to expel"
        assert item.observed_at == "2020-01-05T14:30:00Z"
        assert item.credibility == 0.123456789
        assert item.range_low == (1.23456789, 1.0) and item.range_high == (6.00000001, 1.0)
        assert item.lr == 3


async def test_a_changed_date_is_saved(make_app, seeded_path: Path) -> None:
    store_precise_item(seeded_path)
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_edit_dialog(app, pilot)
        app.screen.query_one("#ev-observed", Input).value = "2020-01-06"
        await pilot.pause()
        await save(pilot)
    with open_workspace(seeded_path) as db:
        assert get_evidence(db, 1).observed_at == "2020-01-06T00:00:00Z"
