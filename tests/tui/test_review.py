"""Pilot tests of the review screen: keys pressed as a reviewer would, then the workspace checked."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable

from arguments import review_store
from arguments.evidence_store import get_evidence
from forecast.workspace import open_workspace
from tests.tui.conftest import save, written


def _with_review_work(path: Path) -> None:
    with open_workspace(path) as db:
        review_store.challenge(db, "E1", by="ben", reason="The vote is non-binding", lr=1.2)
        review_store.challenge(db, "E2", by="chidi", reason="Officials always say that", lr=0.8)
        review_store.add_comment(db, "E3", "Is the drawdown confirmed?", by="ben")


async def _open_review(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    assert type(app.screen).__name__ == "ReviewScreen"


async def test_accept_and_reject_challenges(make_app, seeded_path: Path) -> None:
    _with_review_work(seeded_path)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_review(app, pilot)
        table = app.screen.query_one("#challenges", DataTable)
        assert table.row_count == 2
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("n")  # the confirmation is declined: nothing happens
        await pilot.pause()
        assert table.row_count == 2
        await pilot.press("a", "y")
        await written(pilot)
        assert app.screen.query_one("#challenges", DataTable).row_count == 1
        await pilot.press("x")
        await pilot.pause()
        await save(pilot)  # no reason: refused, the dialog stays
        assert "reason" in str(app.screen.query_one("#form-error").render())
        await pilot.press(*"Officials said so")
        await save(pilot)
        assert app.screen.query_one("#challenges", DataTable).row_count == 0
    with open_workspace(seeded_path) as db:
        statuses = dict(db.execute("select id, status from challenges").fetchall())
        assert statuses == {1: "accepted", 2: "rejected"}
        assert (
            get_evidence(db, 1).likelihoods == (1.2, 1.0)
            and get_evidence(db, 1).updated_by == "tester"
        )
        assert get_evidence(db, 2).likelihoods == (0.5, 1.0)
        decided = db.execute("select decided_by, decision_reason from challenges").fetchall()
        assert decided == [("tester", ""), ("tester", "Officials said so")]


async def test_reply_and_resolve_a_thread(make_app, seeded_path: Path) -> None:
    _with_review_work(seeded_path)
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_review(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Yes, announced")
        await save(pilot)
        assert type(app.screen).__name__ == "ReviewScreen"
        threads = app.screen.query_one("#threads", DataTable)
        assert threads.get_row_at(0)[4] == "1"  # one reply
        await pilot.press("z")
        await written(pilot)
        assert threads.row_count == 0
    with open_workspace(seeded_path) as db:
        rows = db.execute(
            "select parent_id, body, author, resolved from comments order by id"
        ).fetchall()
        assert rows == [
            (None, "Is the drawdown confirmed?", "ben", 1),
            (1, "Yes, announced", "tester", 1),
        ]


async def test_challenge_shows_posteriors_under_each_side(make_app, seeded_path: Path) -> None:
    _with_review_work(seeded_path)
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await _open_review(app, pilot)
        row = app.screen.challenges[0]
        assert (
            row["challenge"] == "C1"
            and row["proposed"] == [1.2, 1.0]
            and row["current"] == [3.0, 1.0]
        )
        # Accepting a weaker LR in favour of Yes lowers whichever side leads accordingly
        assert (row["posterior_proposed"] < row["posterior_current"]) == (row["outcome"] == "Yes")
        low, high = sorted([row["posterior_proposed"], row["posterior_current"]])
        assert low < row["posterior_consensus"] < high
        with open_workspace(seeded_path) as db:
            assert json.loads(
                db.execute("select likelihoods from challenges where id = 1").fetchone()[0]
            ) == [1.2, 1.0]


async def test_a_stale_evidence_save_is_refused_and_can_reload(make_app, seeded_path: Path) -> None:
    """Someone else edits E1 while the dialog is open: the save is refused, naming who and when,
    nothing of theirs is lost; ctrl+r loads their version, which can then be edited and saved."""
    from textual.widgets import Input, Static

    from arguments.evidence import EvidenceInputs
    from arguments.evidence_store import edit_evidence

    app = make_app()
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first question
        await pilot.pause()
        await pilot.press("enter")  # edit its first item
        await pilot.pause()
        dialog = app.screen
        with open_workspace(seeded_path) as other:
            edit_evidence(other, 1, EvidenceInputs(credibility=0.4), by="ben")
        dialog.query_one(
            "#ev-text", Input
        ).value = "Parliament votes to expel foreign forces (non-binding)"
        await pilot.pause()
        await save(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#form-error", Static).render())
        assert "changed by ben at 2026-01-15T12:00:00Z" in error and "ctrl+r" in error
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert dialog.query_one("#ev-credibility", Input).value == "0.4"
        assert (
            dialog.query_one("#ev-text", Input).value == "Parliament votes to expel foreign forces"
        )
        dialog.query_one("#ev-credibility", Input).value = "0.5"
        await pilot.pause()
        await save(pilot)
        assert app.screen is not dialog
    with open_workspace(seeded_path) as db:
        item = get_evidence(db, 1)
        assert (item.credibility, item.version, item.updated_by) == (0.5, 3, "tester")
        trail = db.execute(
            "select by from evidence_history where evidence_id = 1 order by id"
        ).fetchall()
        assert trail == [("amira",), ("ben",), ("tester",)]


async def test_keys_act_on_the_highlighted_thread_after_a_reply_moves_it(
    make_app, seeded_path: Path
) -> None:
    """Threads list newest activity first: a reply moves its thread to the top, and the
    highlight follows it, so `z` then resolves the thread just replied to, not its neighbour."""
    _with_review_work(seeded_path)
    with open_workspace(seeded_path) as db:
        review_store.add_comment(db, "E1", "Which vote?", by="chidi")  # newer: listed first
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await _open_review(app, pilot)
        threads = app.screen.query_one("#threads", DataTable)
        threads.focus()
        await pilot.press("down")  # the older thread, on E3
        await pilot.pause()
        assert threads.get_row_at(threads.cursor_row)[1] == "E3"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Confirmed")
        await save(pilot)
        assert threads.get_row_at(threads.cursor_row)[1] == "E3"  # moved to the top, still lit
        await pilot.press("z")
        await written(pilot)
    with open_workspace(seeded_path) as db:
        resolved = dict(db.execute("select body, resolved from comments where parent_id is null"))
    assert resolved == {"Is the drawdown confirmed?": 1, "Which vote?": 0}


async def test_challenge_and_comment_from_the_question_screen(make_app, seeded_path: Path) -> None:
    from textual.widgets import Input

    from screens.widgets.row_list import RowList

    app = make_app()
    async with app.run_test(size=(160, 44)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        await pilot.press("down")  # E2
        await pilot.press("C")
        await pilot.pause()
        app.screen.query_one("#ch-values", Input).value = "0.9"
        await pilot.pause()
        assert "reason" in str(app.screen.query_one("#form-error").render())
        app.screen.query_one("#ch-reason", Input).value = "Pentagon statements are cheap talk"
        await pilot.pause()
        await save(pilot)
        assert app.screen is screen
        await pilot.pause()
        rows = screen.query_one("#evidence", RowList)
        assert rows.row(1)[-2] == "⚠ 1 open" and rows.row(0)[-2] == "draft"
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"Source?")
        await save(pilot)
    with open_workspace(seeded_path) as db:
        (made,) = review_store.challenges_for(db, 1)
        assert (made.evidence_id, made.likelihoods, made.proposer) == (2, (0.9, 1.0), "tester")
        (comment,) = review_store.comments_for(db, 1)
        assert (comment.target, comment.body) == ("E2", "Source?")


async def test_comment_and_challenge_from_the_tree(make_app, seeded_path: Path) -> None:
    from textual.widgets import Input, Tree

    from arguments.tree_store import add_node, link_evidence

    with open_workspace(seeded_path) as db:
        node = add_node(db, 1, "The vote forces a withdrawal", stance="supports", by="amira")
        link_evidence(db, node.id, 1, by="amira")
    app = make_app()
    async with app.run_test(size=(160, 44)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "t")
        await pilot.pause()
        tree = app.screen.query_one(Tree)
        await pilot.press("down")  # the claim
        await pilot.pause()
        assert tree.cursor_node is not None and tree.cursor_node.data == node.id
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"Is it binding?")
        await save(pilot)
        await pilot.press("down")  # its evidence leaf
        await pilot.pause()
        assert "· draft]" in str(tree.cursor_node.label)
        await pilot.press("C")
        await pilot.pause()
        app.screen.query_one("#ch-values", Input).value = "1.1"
        app.screen.query_one("#ch-reason", Input).value = "non-binding"
        await pilot.pause()
        await save(pilot)
        await pilot.pause()
        leaf = next(n for n in tree.root.children[0].children if n.data == "E1")
        assert "· challenged]" in str(leaf.label)
    with open_workspace(seeded_path) as db:
        assert [c.target for c in review_store.comments_for(db, 1)] == [f"N{node.id}"]
        assert [c.evidence_id for c in review_store.challenges_for(db, 1)] == [1]
