"""Pilot tests: press keys as a user would, then assert on the workspace."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from arguments.evidence_store import get_evidence, list_evidence
from forecast.workspace import open_workspace
from questions import store
from screens.home import COLUMNS
from screens.widgets.row_list import RowList
from tests.tui.conftest import save, written


def workspace(path: Path):
    return open_workspace(path)


async def open_first_question(pilot) -> None:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_home_lists_questions_with_model_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = app.screen.query_one("#questions", RowList)
        assert rows.row_count == 3
        first = dict(zip(COLUMNS, rows.row(0), strict=True))
        assert first["id"] == "Q1" and first["mine"] == "35%"
        assert first["model"] != "…"


async def test_nudge_lr_changes_workspace_and_posterior(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first_question(pilot)
        before = float(app.screen.model.analysis.posterior[0])
        await pilot.press("plus")
        await written(pilot)
        after = float(app.screen.model.analysis.posterior[0])
        assert after > before
        await pilot.press("minus")
        await written(pilot)
        await pilot.press("minus")
        await written(pilot)
        assert float(app.screen.model.analysis.posterior[0]) < before
    db = workspace(seeded_path)
    item = get_evidence(db, 1)
    assert abs(item.lr - 3 / 1.5) < 1e-9 and item.version == 4
    assert item.lr_range == (1.5 / 1.5, 6 / 1.5)


async def test_add_evidence_with_inline_validation(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_first_question(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#ev-text", Input).value = "Militia rockets hit a base"
        dialog.query_one("#ev-strength", Input).value = "-2"
        await pilot.pause()
        assert "lr: -2" in str(dialog.query_one("#form-error", Static).render())
        await save(pilot)
        assert app.screen is dialog  # nothing saved while invalid
        dialog.query_one("#ev-strength", Input).value = "2.5"
        dialog.query_one("#ev-observed", Input).value = "2020-03-01"
        await pilot.pause()
        await save(pilot)
        assert app.screen is not dialog
    db = workspace(seeded_path)
    texts = {i.text: i for i in list_evidence(db, 1)}
    assert texts["Militia rockets hit a base"].lr == 2.5
    assert texts["Militia rockets hit a base"].created_by == "tester"


async def test_record_forecast_prefilled_with_model(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first_question(pilot)
        posterior = float(app.screen.model.analysis.posterior[0])
        await pilot.press("f")
        await pilot.pause()
        assert app.screen.query_one("#fc-probs", Input).value == f"{posterior:.3f}"
        await save(pilot)
    db = workspace(seeded_path)
    mine = store.forecasts_for(db, 1, forecaster="tester")
    assert len(mine) == 2 and mine[-1].adopted_model
    assert abs(mine[-1].probs[0] - round(posterior, 3)) < 1e-9


async def test_resolve_and_remove(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await open_first_question(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await written(pilot)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#rs-outcome", Input).value = "maybe"
        await pilot.pause()
        assert "'maybe' is not an outcome" in str(
            app.screen.query_one("#form-error", Static).render()
        )
        app.screen.query_one("#rs-outcome", Input).value = "no"
        app.screen.query_one("#rs-at", Input).value = "2021-01-01"
        await pilot.pause()
        await save(pilot)
    db = workspace(seeded_path)
    question = store.get_question(db, 1)
    assert question.status == "resolved" and question.resolved_outcome == "No"
    assert get_evidence(db, 1).removed_by == "tester"


async def test_filter_by_text_and_tag(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        await pilot.press(*"ISIS")
        await pilot.pause()
        rows = app.screen.query_one("#questions", RowList)
        assert rows.row_count == 1
        app.screen.query_one("#filter-text", Input).value = "#iraq"
        await pilot.pause()
        assert rows.row_count == 1 and rows.row(0)[0] == "Q1"
        await pilot.press("escape")
        await pilot.pause()
        assert rows.row_count == 3


async def test_help_lists_every_shown_binding(make_app) -> None:
    from screens.commands import screen_bindings
    from screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        for keys in ([], ["enter"]):
            await pilot.press(*keys)
            await pilot.pause()
            under = app.screen
            shown = {
                active.binding.description
                for active in under.active_bindings.values()
                if active.binding.show
            }
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            table = app.screen.query_one(DataTable)
            listed = {table.get_row_at(i)[1] for i in range(table.row_count)}
            assert shown <= listed, shown - listed
            assert {b.description for b in screen_bindings(under)} <= listed
            await pilot.press("escape")
            await pilot.pause()


async def test_home_title_column_follows_the_terminal_width(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one("#questions", RowList)
        narrow = rows.column_widths(rows.size.width)[1]
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert rows.column_widths(rows.size.width)[1] == narrow + 40
        title = rows.render_line(1).text
        assert "Will" in title and "…" not in title  # the wider column shows whole titles


async def test_key_bar_shows_the_screen_keys_and_a_click_presses_one(make_app) -> None:
    from screens.widgets.key_bar import KeyBar

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        line = bar.render().plain
        for binding, _enabled in bar.shown():
            assert f" {app.get_key_display(binding)} {binding.description} " in line
        assert line.rstrip().endswith("^p Commands")
        start = line.index(" / Filter")
        await pilot.click(KeyBar, offset=(start + 3, 0))
        await pilot.pause()
        assert app.screen.query("#filter-bar")  # the click pressed "/"
        await pilot.press("escape", "enter")  # close the filter, open the first question
        await pilot.pause()
        keys = app.screen.query_one(KeyBar).render().plain
        assert "+ Stronger" in keys and "n New question" not in keys  # the bar follows the screen


async def test_an_empty_list_says_what_to_do(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"no such question")
        await pilot.pause()
        rows = app.screen.query_one("#questions", RowList)
        assert rows.row_count == 0
        assert "No questions match" in rows.render_line(1).text


async def test_evidence_dialog_picks_a_known_source(make_app, seeded_path: Path) -> None:
    """The evidence dialog offers the works of imported sources; picking one fills the source
    field with its citation, the hint names the work, and the saved item rests on it."""
    from textual.widgets import Select

    from arguments.source_store import import_article

    brief = Path(__file__).parents[1] / "arguments" / "fixtures" / "brief.md"
    with workspace(seeded_path) as db:
        import_article(db, brief, by="tester")
    app = make_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await open_first_question(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        hint = dialog.query_one("#ev-source-match", Static)
        assert str(hint.render()) == ""
        dialog.query_one("#ev-text", Input).value = "Canals dry again"
        dialog.query_one("#ev-strength", Input).value = "2"
        dialog.query_one("#ev-source", Input).value = "Reuters"
        await pilot.pause()
        assert str(hint.render()) == "source: names no known work"
        dialog.query_one("#ev-known-source", Select).value = 0
        await pilot.pause()
        source = dialog.query_one("#ev-source", Input).value
        assert source.startswith('Leila Haddad, "Dry Canals of the Middle Euphrates,"')
        assert str(hint.render()) == "source: S1 · Dry Canals of the Middle Euphrates"
        await save(pilot)
        assert app.screen is not dialog
    db = workspace(seeded_path)
    item = next(i for i in list_evidence(db, 1) if i.text == "Canals dry again")
    assert item.citations == ("S1:dry canals of the middle euphrates",)


async def test_workspace_checkpointed_when_idle_and_on_quit(make_app, seeded_path: Path) -> None:
    """Work committed elsewhere sits in the -wal file; once the TUI has been idle it is in the
    workspace file itself (a copy of that file alone has it), and quitting empties the -wal."""
    import shutil
    import sqlite3

    writer = workspace(seeded_path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    wal = Path(f"{seeded_path}-wal")
    for day in range(1, 11):
        store.record_forecast(writer, 1, forecaster="zoe", p_yes=0.5, made_at=f"2020-02-{day:02d}")

    def zoe_in_file_alone() -> int:
        copy = seeded_path.with_name("copy.db")
        shutil.copyfile(seeded_path, copy)
        with sqlite3.connect(copy) as conn:
            found = conn.execute("select count(*) from forecasts where forecaster = 'zoe'")
            return int(found.fetchone()[0])

    assert zoe_in_file_alone() < 10
    app = make_app()
    app.CHECKPOINT_IDLE_SECONDS = 0.2
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.6)
        await app.workers.wait_for_complete()
        assert zoe_in_file_alone() == 10
        store.record_forecast(writer, 1, forecaster="zoe", p_yes=0.6, made_at="2020-03-01")
        await pilot.press("q")
    assert wal.stat().st_size == 0
    assert zoe_in_file_alone() == 11
    writer.close()


async def test_reader_evidence_from_the_seed_rests_on_its_own_note(
    make_app, seeded_path: Path
) -> None:
    """The issue's case in the reader: selecting "President Trump has ... leaders.[XIV]" and
    pressing e prefills the one citation of note XIV (it used to bring XV along)."""
    import pytest
    from textual.widgets import TextArea
    from textual.widgets.text_area import Selection

    from arguments.source_store import import_article
    from screens.sources import PASSAGE_PREFIX, ReaderScreen
    from tests.conftest import SEED_ARTICLE

    if not SEED_ARTICLE.exists():
        pytest.skip("the shared seed article is not here")
    with workspace(seeded_path) as db:
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
        source = dialog.query_one("#ev-source", Input).value
        assert source.startswith("Missy Ryan, “’They Are Livid’")
        assert "Averting" not in source
        assert len(dialog.quote_anchor.citations) == 1
