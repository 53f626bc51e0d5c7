"""The same score is the same on every surface (issue 16): the report's forecaster table,
``report --forecaster``, Datasette's ``forecaster_scores`` view and the calibration screen, each
against ``forecast.scoring.scores.standing_scores`` on the demo workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forecast.demo import build_demo
from forecast.reports.build import build_report
from forecast.reports.data import ReportSettings
from forecast.scoring.scores import standing_scores
from forecast.workspace import open_workspace
from questions.session import Session
from tests.conftest import Cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("agree") / "demo.db"
    build_demo(path)
    return path


def _reference(db, name: str) -> dict:
    """Each due question's last forecast by ``name`` before the close, scored by scores.py."""
    triples = []
    for qid, kind, realised, closes, resolved in db.execute(
        "select q.id, q.kind, o.position, q.closes_at, q.resolved_at from questions q"
        " join outcomes o on o.id = q.resolved_outcome_id where q.status = 'resolved'"
        " and (q.closes_at is null or date(q.resolved_at) >= date(q.closes_at))"
    ):
        cutoff = min(closes, resolved) if closes else resolved
        row = db.execute(
            "select p, probs from forecasts where question_id = ? and forecaster = ?"
            " and made_at < ? order by made_at desc, id desc limit 1",
            [qid, name, cutoff],
        ).fetchone()
        if row:
            probs = [row[0], 1 - row[0]] if kind == "binary" else json.loads(row[1])
            triples.append((probs, realised, kind == "binary"))
    return standing_scores(triples)


def test_every_surface_gives_each_forecaster_the_same_scores(demo: Path) -> None:
    db = open_workspace(demo)
    table = {f["name"]: f for f in build_report(db, ReportSettings())["forecasters"]}
    view = {r["forecaster"]: r for r in db.query("select * from forecaster_scores")}
    assert table and set(table) == set(view)
    cli = Cli(demo)
    for name, row in table.items():
        expected = _reference(db, name)
        own = json.loads(cli.ok("report", "--forecaster", name, "--format", "json"))
        for surface, brier, log, questions, events in (
            ("report table", row["brier"], row["log_score"], row["n"], row["n_events"]),
            (
                "report --forecaster",
                own["brier"],
                own["log_score"],
                own["n_forecasts"],
                own["n_events"],
            ),
            (
                "forecaster_scores",
                view[name]["brier_per_event"],
                view[name]["log_score_per_question"],
                view[name]["questions"],
                view[name]["events"],
            ),
        ):
            assert brier == pytest.approx(expected["brier"]), (surface, name)
            assert log == pytest.approx(expected["log_score"]), (surface, name)
            assert (questions, events) == (expected["n_questions"], expected["n_events"]), (
                surface,
                name,
            )
        assert own["score_units"] == {
            "brier": "per event",
            "log_score": "per question",
            "brier_original": "per question",
        }


async def test_the_calibration_screen_shows_the_report_table(demo: Path, tmp_path: Path) -> None:
    from textual.widgets import DataTable

    from screens.app import ForecastleApp

    copy = tmp_path / "demo.db"
    copy.write_bytes(demo.read_bytes())
    db = open_workspace(copy)
    table = build_report(db, ReportSettings())["forecasters"]
    app = ForecastleApp(Session(path=copy, user="amira", opener=open_workspace))
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        people = app.screen.query_one("#people", DataTable)
        headers = [str(c.label) for c in people.columns.values()]
        assert headers[1:5] == ["questions", "events", "Brier/event", "log/question"]
        shown = {
            str(people.get_row_at(i)[0]): people.get_row_at(i) for i in range(people.row_count)
        }
        for f in table:
            cells = shown[f["name"]]
            assert list(cells[1:5]) == [
                str(f["n"]),
                str(f["n_events"]),
                f"{f['brier']:.3f}",
                f"{f['log_score']:.3f}",
            ]
