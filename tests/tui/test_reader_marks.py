"""The source reader's claim marks: shown with their kind, stepped with n / N, and h / e propose
a question or evidence from a mark — nothing is created until the dialog is saved."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static, TextArea

from arguments.evidence_store import list_evidence
from arguments.source_store import import_article
from forecast.workspace import open_workspace
from questions import store
from tests.tui.conftest import save

ARTICLE = """Floods on the Tigris

The dam upstream is old. Engineers said it could fail this winter.[1]

If the dam fails, up to 3,000 families would lose their homes.[2] A repair seems unlikely before spring.

1. Water ministry, annual report.
2. Ibid.
"""


async def open_reader(pilot, seeded_path: Path, tmp_path: Path):
    from screens.sources import ReaderScreen

    article = tmp_path / "floods.txt"
    article.write_text(ARTICLE)
    db = open_workspace(seeded_path)
    import_article(db, article, by="tester")
    db.close()
    await pilot.pause()
    pilot.app.push_screen(ReaderScreen(1))
    await pilot.pause()
    return pilot.app.screen


def status(screen) -> str:
    return str(screen.query_one("#reader-status", Static).render())


async def test_marks_are_listed_with_their_kind_and_n_steps_through_them(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_reader(pilot, seeded_path, tmp_path)
        table = reader.query_one("#reader-marks", DataTable)
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert ("claim", "could", "1") in rows
        assert ("conditional", "If", "2") in rows
        assert ("quantity", "up to 3,000 families", "2") in rows
        assert ("claim", "unlikely 20%–45%", "2") in rows
        await pilot.press("n")
        assert reader.mark_index == 0
        area = reader.query_one(TextArea)
        assert area.selected_text == "Engineers said it could fail this winter.[1]"
        assert "mark 1/" in status(reader) and "claim" in status(reader)
        await pilot.press("n", "n")
        assert reader.mark_index == 2 and table.cursor_row == 2
        await pilot.press("N")
        assert reader.mark_index == 1
        await pilot.press("N", "N")  # wraps round to the last mark
        assert reader.mark_index == len(reader.marks) - 1
        assert "unlikely: 20%–45% (ICD 203)" in status(reader)


async def test_h_proposes_a_conditional_pair_and_creates_nothing_until_saved(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_reader(pilot, seeded_path, tmp_path)
        conditional = next(i for i, m in enumerate(reader.marks) if m.kind == "conditional")
        for _ in range(conditional + 1):
            await pilot.press("n")
        before = len(store.list_questions(app.db))
        await pilot.press("h")
        await pilot.pause()
        dialog = app.screen
        title = dialog.query_one("#nq-title", Input).value
        assert title == "If the dam fails: Up to 3,000 families would lose their homes?"
        assert "Condition: The dam fails." in dialog.query_one("#nq-criteria", Input).value
        description = dialog.query_one("#nq-description", Input).value
        assert "Water ministry, annual report" in description and "S1:2" in description
        assert len(store.list_questions(app.db)) == before  # a proposal, not a question
        await pilot.press("escape")
        await pilot.pause()
        assert len(store.list_questions(app.db)) == before
        await pilot.press("h")
        await pilot.pause()
        await save(pilot)
        created = store.list_questions(app.db)[-1]
        assert created.title == title and "S1:2" in created.description


async def test_h_on_an_estimative_word_proposes_its_prior(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_reader(pilot, seeded_path, tmp_path)
        await pilot.press("N")  # the last mark: "A repair seems unlikely before spring."
        assert reader.current_mark.cue == "unlikely"
        await pilot.press("h")
        await pilot.pause()
        assert app.screen.query_one("#nq-priors", Input).value == "0.325"
        assert app.screen.query_one("#nq-title", Input).value == (
            "A repair seems unlikely before spring?"
        )


async def test_e_proposes_evidence_with_the_sentence_anchored(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 40)) as pilot:
        reader = await open_reader(pilot, seeded_path, tmp_path)
        await pilot.press("n")
        reader.query_one(TextArea).move_cursor((0, 0))  # no selection: the mark is used
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        question = dialog.question_id
        before = len(list_evidence(app.db, question))
        assert dialog.query_one("#ev-quote", Input).value == (
            "Engineers said it could fail this winter.[1]"
        )
        assert dialog.quote_anchor.citations and dialog.quote_anchor.passage == 1
        assert len(list_evidence(app.db, question)) == before
        outcomes = store.get_question(app.db, question).outcome_names
        if dialog.binary:
            dialog.query_one("#ev-strength", Input).value = "2"
        else:  # one input per outcome
            for j, value in enumerate(["0.5"] * (len(outcomes) - 1) + ["0.2"]):
                dialog.query_one(f"#ev-lk-{j}", Input).value = value
        await save(pilot)
        items = list_evidence(app.db, question)
        assert len(items) == before + 1
        assert items[-1].quote == "Engineers said it could fail this winter.[1]"
