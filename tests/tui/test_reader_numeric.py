"""``h`` on a quantity mark in the source reader proposes a numeric question (a range around the
quantity, its unit, the sentence and citation as description); on a date mark, a date question.
Nothing is created until the analyst saves; the saved question is numeric in the workspace."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from arguments.source_store import import_article
from forecast.workspace import open_workspace
from questions import numeric_store, store
from tests.tui.conftest import save
from tests.tui.test_snapshots import SIZE, demo_app, demo_file, settle  # noqa: F401

ARTICLE = """Smuggling on the border

Customs seized 750 kilograms of hashish at the crossing.[1] Officials expect a new wall by 2021.

1. Border agency, press release.
"""


async def open_reader(pilot, path: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    from screens.sources import ReaderScreen

    article = tmp_path / "border.txt"
    article.write_text(ARTICLE)
    with open_workspace(path) as db:
        import_article(db, article, by="tester", published="2020-01-10")
        source = db.execute("select max(id) from sources").fetchone()[0]
    await pilot.pause()
    pilot.app.push_screen(ReaderScreen(source))
    await pilot.pause()
    return pilot.app.screen


async def go_to(pilot, reader, kind: str) -> None:  # noqa: ANN001
    index = next(i for i, m in enumerate(reader.marks) if m.kind == kind)
    await pilot.press(*(["n"] * (index + 1)))
    assert reader.current_mark.kind == kind


def value(screen, field: str) -> str:  # noqa: ANN001
    return screen.query_one(f"#{field}", Input).value


async def test_h_on_a_quantity_proposes_a_numeric_question(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 44)) as pilot:
        reader = await open_reader(pilot, seeded_path, tmp_path)
        await go_to(pilot, reader, "quantity")
        assert reader.current_mark.cue == "750 kilograms"
        before = len(store.list_questions(app.db))
        await pilot.press("h")
        await pilot.pause()
        dialog = app.screen
        assert (value(dialog, "nn-low"), value(dialog, "nn-high")) == ("0", "1500")
        assert value(dialog, "nn-unit") == "kilograms"
        assert value(dialog, "nn-title") == (
            "How many kilograms: Customs seized 750 kilograms of hashish at the crossing?"
        )
        description = value(dialog, "nn-description")
        assert "Border agency, press release" in description and ":1" in description
        assert "“750 kilograms”" in value(dialog, "nn-criteria")
        assert len(store.list_questions(app.db)) == before  # a proposal, not a question
        # the analyst edits before saving: a bad range is named inline and blocks the save
        dialog.query_one("#nn-high", Input).value = "-5"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and len(store.list_questions(app.db)) == before
        dialog.query_one("#nn-high", Input).value = "2000"
        dialog.query_one("#nn-title", Input).value = "How much hashish will customs seize in 2020?"
        await pilot.pause()
        await save(pilot)
        assert app.screen is reader
    with open_workspace(seeded_path) as db:
        created = store.list_questions(db)[-1]
        assert created.kind == "numeric"
        assert created.title == "How much hashish will customs seize in 2020?"
        assert "Border agency, press release" in created.description
        rng = numeric_store.numeric_range(db, created.id)
        assert (rng.lo, rng.hi, rng.unit, rng.is_date) == (0, 2000, "kilograms", False)


async def test_h_on_a_date_proposes_a_date_question(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 44)) as pilot:
        reader = await open_reader(pilot, seeded_path, tmp_path)
        await go_to(pilot, reader, "date")
        await pilot.press("h")
        await pilot.pause()
        dialog = app.screen
        assert (value(dialog, "nn-low"), value(dialog, "nn-high")) == ("2021-01-01", "2022-12-31")
        assert not dialog.query("#nn-unit")
        await save(pilot)
    with open_workspace(seeded_path) as db:
        created = store.list_questions(db)[-1]
        assert created.kind == "date" and created.title.startswith("When: Officials expect")
        rng = numeric_store.numeric_range(db, created.id)
        assert rng.is_date and rng.show(rng.lo) == "2021-01-01"


def test_numeric_proposal_dialog(snap_compare, demo_app) -> None:  # noqa: F811
    """The dialog ``h`` opens on the demo article's first quantity mark."""

    async def run_before(pilot) -> None:  # noqa: ANN001
        await settle(pilot)
        await pilot.press("s", "enter")
        await settle(pilot)
        reader = pilot.app.screen
        index = next(i for i, m in enumerate(reader.marks) if m.kind == "quantity")
        await pilot.press(*(["n"] * (index + 1)), "h")
        await settle(pilot)

    assert snap_compare(demo_app, run_before=run_before, terminal_size=SIZE)
