"""Snapshot tests of every screen, on the demo workspace at a fixed size and a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from forecast.demo import build_demo
from forecast.workspace import open_workspace
from questions.session import Session

SIZE = (130, 42)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    return path


@pytest.fixture
def demo_app(demo_file: Path, tmp_path: Path):
    from screens.app import ForecastleApp

    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_file.read_bytes())
    return ForecastleApp(Session(path=copy, user="amira", opener=open_workspace))


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.05)  # charts draw at their final size after the layout settles
    # A DataTable measures new rows when its queue is idle; on a busy machine that can come after
    # Pilot's idle check, and the snapshot would show columns at their header widths.
    for _ in range(50):
        tables = pilot.app.screen.query(DataTable)
        if not any(t._require_update_dimensions or t._updated_cells for t in tables):
            break
        await pilot.pause(0.02)
    await pilot.pause()


def snap(snap_compare, app, keys: list[str]) -> bool:
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_home(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, [])


def test_question(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["enter"])


def test_multi_outcome_question(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["down"] * 5 + ["enter"])


def test_evidence_dialog(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["enter", "enter"])


def test_multi_outcome_evidence_dialog(snap_compare, demo_app) -> None:
    """One likelihood input per outcome, each labelled with its outcome."""
    assert snap(snap_compare, demo_app, ["down"] * 5 + ["enter", "e"])


def test_forecast_dialog(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["enter", "f"])


def test_argument_tree(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["enter", "t"])


def test_multi_outcome_tree_with_indicator(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["down"] * 5 + ["enter", "t"])


def test_tree_link_picker(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["enter", "t", "down", "l"])


def test_ach_matrix(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["down"] * 5 + ["enter", "a"])


def test_sensitivity(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["enter", "v"])


def test_sources(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["s"])


def test_question_detail_pane(snap_compare, demo_app) -> None:
    """The question screen with the detail pane on the second item: its statement, its quote in
    the passage, citations and history."""
    assert snap(snap_compare, demo_app, ["enter", "down"])


def test_question_history_pane(snap_compare, demo_app) -> None:
    """The question screen with ``h``: the question's edits, its evidence's edits and its
    resolution trail in place of the detail pane."""
    assert snap(snap_compare, demo_app, ["enter", "h"])


def test_question_thread_replies(snap_compare, demo_app) -> None:
    """The detail pane on E21 after ben replies to its comment thread: the reply indented under
    the thread, which is marked ▸ as the one ``c`` replies to."""

    async def run_before(pilot) -> None:
        from arguments.review_store import add_comment, comments_for
        from screens.widgets.evidence_detail import EvidenceDetailPane

        await settle(pilot)
        db = pilot.app.db
        (thread,) = [c for c in comments_for(db, 1) if c.target == "E21"]
        add_comment(db, "E21", "2.5 is what the vote alone is worth.", by="ben", reply_to=thread.id)
        for key in ["enter", "down", "down"]:
            await pilot.press(key)
            await settle(pilot)
        pilot.app.screen.query_one(EvidenceDetailPane).scroll_end(animate=False, immediate=True)
        await settle(pilot)

    assert snap_compare(demo_app, run_before=run_before, terminal_size=SIZE)


def test_question_timeline_years_apart(snap_compare, demo_app) -> None:
    """A question whose evidence was observed in 2014-2019 and whose forecasts were made in
    2026: the timeline's steps axis (not to scale), date ticks, each step labelled by its item."""

    async def run_before(pilot) -> None:
        from arguments.evidence import EvidenceInputs
        from arguments.evidence_store import add_evidence
        from questions import store
        from questions.models import QuestionDraft
        from screens.question import QuestionScreen

        await settle(pilot)
        db = pilot.app.db
        qid = store.add_question(
            db,
            QuestionDraft(title="Will the dam on the Tigris fail by 2030?", priors=[0.2]),
            author="amira",
        ).id
        for observed, lr in (
            ("2014-03-10", 1.5),
            ("2015-06-01", 2.0),
            ("2016-11-20", 0.7),
            ("2019-02-01", 1.8),
            ("2019-07-15", 1.4),
        ):
            add_evidence(
                db,
                qid,
                EvidenceInputs(text=f"report of {observed}", lr=lr, observed_at=observed),
                by="amira",
            )
        for made_at, who, p in (
            ("2026-01-05T09:00:00Z", "ben", 0.45),
            ("2026-02-10T09:00:00Z", "amira", 0.55),
        ):
            store.record_forecast(db, qid, forecaster=who, p_yes=p, made_at=made_at)
        pilot.app.push_screen(QuestionScreen(qid))
        await settle(pilot)

    assert snap_compare(demo_app, run_before=run_before, terminal_size=SIZE)


def test_reader(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["s", "enter"])


def test_reader_with_marks(snap_compare, demo_app) -> None:
    """The reader on its third claim mark: the sentence selected, the marks table's cursor on it,
    the status line naming its kind and cue."""
    assert snap(snap_compare, demo_app, ["s", "enter", "n", "n", "n"])


def test_calibration(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["c"])


def test_calibration_learning_view(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["c", "l"])


def test_help(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["enter", "question_mark"])


def test_new_question_dialog(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["n"])


def test_review(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["r"])


def test_linked_question_hypothetical(snap_compare, demo_app) -> None:
    """Q23 (the withdrawal, conditional on Q22): its links pane, with `w` setting Q22 = Yes."""
    assert snap(snap_compare, demo_app, ["down"] * 22 + ["enter", "w"])


def test_indicator_dialog(snap_compare, demo_app) -> None:
    assert snap(snap_compare, demo_app, ["down"] * 5 + ["enter", "i"])


def test_numeric_question(snap_compare, demo_app) -> None:
    """The demo's first numeric question: the model's density with medians and thresholds."""
    assert snap(snap_compare, demo_app, ["down"] * 24 + ["enter"])
