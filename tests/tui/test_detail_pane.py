"""The question screen's detail pane (follows the cursor; quote in its passage, citations after
Ibid., history, challenges, comments), the one "Δ from item" convention on the question and
sensitivity screens, and the ``?`` guide."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_anchored_evidence, add_evidence
from arguments.review_store import add_comment, challenge
from arguments.source_store import import_article
from forecast.views.evidence_detail import item_effects
from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft
from screens.widgets.row_list import RowList

ARTICLE = """Floods on the Tigris

The dam upstream is old. Engineers said it could fail this winter.[1] The ministry denies it.[2]

1. Water ministry, annual report.
2. Ibid.
"""


def pane_text(app) -> str:
    from screens.widgets.evidence_detail import EvidenceDetailPane

    return app.screen.query_one(EvidenceDetailPane).plain


async def open_question(pilot, qid: int = 1) -> None:
    from screens.question import QuestionScreen

    await pilot.pause()
    pilot.app.push_screen(QuestionScreen(qid))
    await pilot.pause()


async def test_the_pane_follows_the_cursor(make_app, seeded_path: Path) -> None:
    db = open_workspace(seeded_path)
    challenge(db, "E2", by="ben", reason="the Pentagon said so before", lr=0.9)
    add_comment(db, "E2", "Which briefing was this?", by="carla")
    db.close()
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot)
        text = pane_text(app)
        assert "E1 · by amira · v1 · LR 3 (90% range 1.5–6)" in text
        assert "Parliament votes to expel foreign forces" in text
        assert "v1 added by amira" in text
        await pilot.press("down")
        await pilot.pause()
        text = pane_text(app)
        assert "Pentagon says no plan to leave" in text and "credibility 0.8" in text
        assert "C1 ben proposes LR 0.9: the Pentagon said so before" in text
        assert "▸ #1 carla 2026-01-15 12:00: Which briefing was this?" in text
        await pilot.press("plus")  # the history says who changed the LR, from what, when
        await pilot.pause()
        assert "by tester 2026-01-15 12:00: LR 0.5 → 0.75" in pane_text(app)
        await pilot.press("up")
        await pilot.pause()
        assert "E1 · by amira" in pane_text(app)


async def test_the_pane_shows_the_quote_in_its_passage_and_ibid_resolved(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    article = tmp_path / "floods.txt"
    article.write_text(ARTICLE)
    db = open_workspace(seeded_path)
    import_article(db, article, by="tester")
    qid = store.add_question(db, QuestionDraft(title="Will the dam fail?"), author="amira").id
    add_anchored_evidence(
        db,
        qid,
        EvidenceInputs(text="The ministry denies a risk", lr=0.5, quote="The ministry denies it."),
        passage="S1:1",
        by="amira",
    )
    db.close()
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot, qid)
        text = pane_text(app)
        assert "Quote in S1:1: The dam upstream is old. Engineers said it could fail this " in text
        assert "[2] Ibid. → Water ministry, annual report." in text
        await pilot.press("o")
        await pilot.pause()
        assert not app.screen.query_one("#evidence-detail").display
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.query_one("#evidence-detail").display


def test_item_effects_are_with_minus_without() -> None:
    posterior = np.array([0.25, 0.75])
    without = np.array([[0.10, 0.90], [0.75, 0.25]])
    assert item_effects(posterior, without, 0) == pytest.approx([0.15, -0.50])
    assert item_effects(posterior, without, 1) == pytest.approx([-0.15, 0.50])


async def test_one_convention_for_what_an_item_does(make_app, seeded_path: Path) -> None:
    """Worked by hand: prior 0.5, E LR 3 and E LR 1/9 -> odds 1/3, P(Yes) 25% (No leads).
    Without the LR-3 item P(Yes) = 10%, so it does +15.0%; without the LR-1/9 item P(Yes) = 75%,
    so it does -50.0%. Both screens say so, on P(Yes), with the same sign."""
    db = open_workspace(seeded_path)
    qid = store.add_question(db, QuestionDraft(title="Coin?", priors=[0.5]), author="amira").id
    add_evidence(db, qid, EvidenceInputs(text="for", lr=3), by="amira")
    add_evidence(db, qid, EvidenceInputs(text="against", lr=1 / 9), by="amira")
    db.close()
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot, qid)
        rows = app.screen.query_one("#evidence", RowList)
        header = [c.label for c in rows.columns]
        delta = header.index("Δ from item")
        assert [rows.row(i)[delta] for i in range(rows.row_count)] == ["+15.0%", "-50.0%"]
        assert "Δ from item +15.0% (P(Yes) with it − without it)" in pane_text(app)
        await pilot.press("v")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert "Δ P(Yes) from item" in labels
        column = labels.index("Δ P(Yes) from item")
        found = {
            str(table.get_row_at(i)[0]): str(table.get_row_at(i)[column])
            for i in range(table.row_count)
        }
        assert found == {"E5": "+15.0%", "E6": "-50.0%"}
        summary = str(app.screen.query_one("#sensitivity-summary", Static).render())
        assert "Δ = P with the item − P without it" in summary and "on P(Yes)" in summary


def test_every_screen_names_where_to_go_next() -> None:
    import importlib
    import pkgutil

    import screens
    from screens.help import NEXT

    names = set()
    for module in pkgutil.iter_modules(screens.__path__):
        loaded = importlib.import_module(f"screens.{module.name}")
        for name, value in inspect.getmembers(loaded, inspect.isclass):
            if (
                issubclass(value, Screen)
                and not issubclass(value, ModalScreen)  # dialogs and help
                and value.__module__ == loaded.__name__
            ):
                names.add(name)
    assert names and names <= set(NEXT), names - set(NEXT)


async def test_help_is_a_guide_and_names_the_next_step(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await open_question(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        guide = str(app.screen.query_one("#help-guide", Static).render())
        assert "import an article" in guide and "calibration" in guide
        assert "mark claims" in guide and "evidence with LRs" in guide
        nxt = str(app.screen.query_one("#help-next", Static).render())
        assert nxt.startswith("Next: e adds evidence")
