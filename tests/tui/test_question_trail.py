"""Pilot tests of the question screen's history pane (``h``: question edits, evidence edits,
resolution trail), its timeline's step labels, and replies to an item's threads (``c``, ``]``)."""

from __future__ import annotations

from pathlib import Path

from arguments import review_store
from arguments.evidence import EvidenceInputs
from arguments.evidence_store import edit_evidence
from forecast.workspace import open_workspace
from questions import store
from questions.edit import edit_question
from tests.tui.conftest import save

SIZE = (120, 40)


async def open_question(pilot, qid: int = 1) -> None:
    from screens.question import QuestionScreen

    await pilot.pause()
    pilot.app.push_screen(QuestionScreen(qid))
    await pilot.pause()


def pane(app, kind: str) -> str:
    from screens.widgets.evidence_detail import EvidenceDetailPane
    from screens.widgets.trail_pane import TrailPane

    widget = app.screen.query_one(TrailPane if kind == "trail" else EvidenceDetailPane)
    return widget.plain


async def test_h_shows_edits_and_the_resolution_trail(make_app, seeded_path: Path) -> None:
    with open_workspace(seeded_path) as db:
        edit_question(db, 1, by="ben", title="Will all coalition troops leave Iraq?")
        edit_evidence(db, 2, EvidenceInputs(lr=0.4), by="chidi")
        store.resolve(db, 1, "Yes", by="ben", at="2021-01-01")
        store.unresolve(db, 1, by="amira")
        store.resolve(db, 1, "No", by="chidi", at="2021-02-01")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_question(pilot)
        from screens.widgets.evidence_detail import EvidenceDetailPane
        from screens.widgets.trail_pane import TrailPane

        trail = app.screen.query_one(TrailPane)
        assert not trail.display
        await pilot.press("h")
        await pilot.pause()
        assert trail.display and not app.screen.query_one(EvidenceDetailPane).display
        text = pane(app, "trail")
        # newest first in each section
        assert "Question edits:\n  v2 edited by ben 2026-01-15 12:00: title → Will all" in text
        assert "E2 v2 edited by chidi 2026-01-15 12:00: LR 0.5 → 0.4 (credibility 0.8)" in text
        resolution = text.split("Resolution trail:\n", 1)[1].splitlines()
        assert resolution[:3] == [
            "  2026-01-15 12:00 re-resolved No (as of 2021-02-01) by chidi",
            "  2026-01-15 12:00 unresolved by amira",
            "  2026-01-15 12:00 resolved Yes (as of 2021-01-01) by ben",
        ]
        # it fits a 120x40 terminal: the pane has rows to show its text in
        assert trail.region.height >= 8 and trail.region.bottom <= 40
        await pilot.press("h")  # back to the detail pane
        await pilot.pause()
        assert not trail.display and app.screen.query_one(EvidenceDetailPane).display


async def test_timeline_steps_are_labelled_by_their_items(make_app) -> None:
    from screens.widgets.timeline_chart import TimelineChart

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_question(pilot)
        chart = app.screen.query_one(TimelineChart)
        # E1 2020-01-05, E2 2020-01-07, E3 2020-09-09 and a forecast... of none: three dated
        # steps, the third 8 months after the second: a steps axis (not to scale)
        assert chart.labels == ["E1", "E2", "E3"]
        assert chart.caption.startswith("not to scale · 2020-01-05 … ")


async def test_reply_to_the_marked_thread_from_the_question_screen(
    make_app, seeded_path: Path
) -> None:
    with open_workspace(seeded_path) as db:
        first = review_store.add_comment(db, "E2", "Which briefing was this?", by="carla")
        review_store.add_comment(db, "E2", "The 7 Jan one.", by="ben", reply_to=first.id)
        second = review_store.add_comment(db, "E2", "Is 0.5 too strong?", by="dana")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_question(pilot)
        await pilot.press("down")  # E2
        await pilot.pause()
        lines = pane(app, "detail").splitlines()
        start = lines.index("Comments (c replies to ▸, ] next thread): ")
        assert lines[start + 1 : start + 4] == [
            "  ▸ #1 carla 2026-01-15 12:00: Which briefing was this?",
            "      ↳ #2 ben 2026-01-15 12:00: The 7 Jan one.",
            "  #3 dana 2026-01-15 12:00: Is 0.5 too strong?",
        ]
        await pilot.press("right_square_bracket")  # the mark moves to dana's thread
        await pilot.pause()
        assert "  ▸ #3 dana" in pane(app, "detail")
        await pilot.press("c")
        await pilot.pause()
        assert "Reply on E2: Is 0.5 too strong?" in str(
            app.screen.query_one(".dialog-title").render()
        )
        await pilot.press(*"About right")
        await save(pilot)
        await pilot.pause()
        lines = pane(app, "detail").splitlines()
        assert "  ▸ #3 dana 2026-01-15 12:00: Is 0.5 too strong?" in lines
        assert lines[lines.index("  ▸ #3 dana 2026-01-15 12:00: Is 0.5 too strong?") + 1] == (
            "      ↳ #4 tester 2026-01-15 12:00: About right"
        )
    with open_workspace(seeded_path) as db:
        reply = review_store.comments_for(db, 1)[-1]
        assert (reply.parent_id, reply.target, reply.body, reply.author) == (
            second.id,
            "E2",
            "About right",
            "tester",
        )
