"""Removals and history travel: a removed condition or indicator, a removed question, its edit
history and a challenge's decision reason go through bundles and text directories; an older
export does not bring back what this workspace removed, a newer one removes it here, and a
second import of the same bundle changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from forecast.exchange.bundle_export import build_bundle, bundle_json
from forecast.exchange.bundle_import import import_bundle
from forecast.exchange.text.directory import export_text, import_text
from forecast.views.question import question_show_data
from forecast.workspace import open_workspace
from questions import clock
from tests.conftest import Cli, dump


@pytest.fixture
def at() -> Iterator[list[datetime]]:
    """The workspace's clock, moved by the test (``at[0] += ...``)."""
    now = [datetime(2024, 3, 1, 12, tzinfo=UTC)]
    clock.set_clock(lambda: now[0])
    yield now
    clock.set_clock(None)


def later(now: list[datetime], minutes: int = 1) -> None:
    now[0] += timedelta(minutes=minutes)


def export(path: Path, to: Path) -> Path:
    with open_workspace(path) as db:
        to.write_text(bundle_json(build_bundle(db)))
    return to


def imported(path: Path, bundle: Path) -> tuple[list[str], list[str]]:
    """Import; the report's updated and kept lines. A second import changes nothing."""
    with open_workspace(path) as db:
        report = import_bundle(db, bundle)
        before = dump(db)
        again = import_bundle(db, bundle)
        assert dump(db) == before and not again.changed
    return report.updated, report.kept_local + report.conflicts


def history(path: Path, ref: str) -> list[str]:
    with open_workspace(path) as db:
        return [e["text"] for e in question_show_data(db, ref)["link_history"]]


def text_round_trip(path: Path, tmp: Path) -> None:
    with open_workspace(path) as db:
        export_text(db, tmp / "a")
    with open_workspace(tmp / "copy.db") as db:
        import_text(db, tmp / "a")
        export_text(db, tmp / "b")
    files = sorted(p.relative_to(tmp / "a") for p in (tmp / "a").rglob("*") if p.is_file())
    for name in files:
        assert (tmp / "a" / name).read_bytes() == (tmp / "b" / name).read_bytes(), name
    with open_workspace(path) as a, open_workspace(tmp / "copy.db") as b:
        assert bundle_json(build_bundle(a)) == bundle_json(build_bundle(b))


def condition_count(path: Path) -> int:
    with open_workspace(path) as db:
        return int(db.execute("select count(*) from question_conditions").fetchone()[0])


def test_a_removed_condition_stays_removed_and_travels(
    cli: Cli, tmp_path: Path, at: list[datetime]
) -> None:
    cli.ok("question", "add", "Attack")
    later(at)
    cli.ok("question", "add", "Withdraw")
    cli.ok("condition", "Q2", "--on", "Q1")
    old = export(cli.path, tmp_path / "old.json")
    other = tmp_path / "other.db"
    imported(other, old)
    later(at)
    cli.ok("--as", "ann", "condition", "Q2", "--on", "Q1", "--remove")
    events = history(cli.path, "Q2")
    updated, kept = imported(cli.path, old)  # the older export does not resurrect it
    assert condition_count(cli.path) == 0 and not updated
    assert any("removed here (by ann" in line for line in kept)
    assert history(cli.path, "Q2") == events
    new = export(cli.path, tmp_path / "new.json")
    (removal,) = next(
        q for q in json.loads(new.read_text())["questions"] if q["title"] == "Withdraw"
    )["removed_conditions"]
    assert removal["removed_by"] == "ann"
    updated, _ = imported(other, new)  # the newer export removes it there
    assert condition_count(other) == 0 and any("condition on Q1 removed" in u for u in updated)
    assert "condition on Q1 removed" in history(other, "Q2")[-1]
    imported(other, old)
    assert condition_count(other) == 0
    assert export(other, tmp_path / "o.json").read_text() == new.read_text()
    text_round_trip(cli.path, tmp_path / "text")


def test_a_condition_declared_again_after_the_removal_wins(
    cli: Cli, tmp_path: Path, at: list[datetime]
) -> None:
    cli.ok("question", "add", "Attack")
    later(at)
    cli.ok("question", "add", "Withdraw")
    cli.ok("condition", "Q2", "--on", "Q1")
    other = tmp_path / "other.db"
    imported(other, export(cli.path, tmp_path / "old.json"))
    later(at)
    cli.ok("condition", "Q2", "--on", "Q1", "--remove")
    removed = export(cli.path, tmp_path / "removed.json")
    later(at)
    Cli(other).ok("condition", "Q2", "--on", "Q1", "--remove")
    Cli(other).ok("condition", "Q2", "--on", "Q1")  # declared again, after both removals
    imported(other, removed)
    assert condition_count(other) == 1
    imported(cli.path, export(other, tmp_path / "again.json"))
    assert condition_count(cli.path) == 1  # the later declaration travels back


def test_a_condition_with_forecasts_here_is_a_named_conflict(
    cli: Cli, tmp_path: Path, at: list[datetime]
) -> None:
    cli.ok("question", "add", "Attack")
    later(at)
    cli.ok("question", "add", "Withdraw")
    cli.ok("condition", "Q2", "--on", "Q1")
    other = tmp_path / "other.db"
    imported(other, export(cli.path, tmp_path / "old.json"))
    later(at)
    cli.ok("condition", "Q2", "--on", "Q1", "--remove")
    Cli(other).ok("forecast", "Q2", "0.7", "--given", "Q1=Yes", "--by", "ann")
    _, conflicts = imported(other, export(cli.path, tmp_path / "removed.json"))
    assert condition_count(other) == 1
    assert any("1 conditional forecast(s) here; kept the condition" in c for c in conflicts)
    # and the other way: the forecasts bring the condition back, named
    _, conflicts = imported(cli.path, export(other, tmp_path / "held.json"))
    assert condition_count(cli.path) == 1
    assert any("added it back" in c for c in conflicts)


def test_a_removed_indicator_travels_and_stays_removed(
    cli: Cli, tmp_path: Path, at: list[datetime]
) -> None:
    cli.ok("question", "add", "State", "--outcome", "D", "--outcome", "R")
    later(at)
    cli.ok("question", "add", "Prison break")
    cli.ok("indicator", "add", "Q1", "Q2", "--likelihoods", "0.2,0.7")
    cli.ok("resolve", "Q2", "Yes")
    old = export(cli.path, tmp_path / "old.json")
    other = tmp_path / "other.db"
    imported(other, old)
    later(at)
    cli.ok("--as", "cy", "indicator", "remove", "Q1", "Q2")
    imported(cli.path, old)

    def live(path: Path) -> tuple[int, int]:
        with open_workspace(path) as db:
            return (
                db.execute("select count(*) from indicators where removed_at is null").fetchone()[
                    0
                ],
                db.execute("select count(*) from evidence where removed_at is null").fetchone()[0],
            )

    assert live(cli.path) == (0, 0)
    new = export(cli.path, tmp_path / "new.json")
    (ind,) = next(
        q for q in json.loads(new.read_text())["questions"] if q["title"] == "Prison break"
    )["indicators"]
    assert ind["removed_by"] == "cy"
    updated, _ = imported(other, new)
    assert live(other) == (0, 0) and any("indicator for Q1 removed" in u for u in updated)
    assert "indicator Q2 for Q1 removed" in history(other, "Q1")[-1]
    assert export(other, tmp_path / "o.json").read_text() == new.read_text()
    with open_workspace(tmp_path / "fresh.db") as db:  # a removed indicator arrives removed
        import_bundle(db, new)
        assert db.execute("select removed_by from indicators").fetchall() == [("cy",)]
    text_round_trip(cli.path, tmp_path / "text")


def test_question_removal_and_history_follow_the_version(
    cli: Cli, tmp_path: Path, at: list[datetime]
) -> None:
    cli.ok("question", "add", "Attack")
    later(at)
    cli.ok("question", "add", "Withdraw")
    old = export(cli.path, tmp_path / "old.json")
    other = tmp_path / "other.db"
    imported(other, old)
    later(at)
    cli.ok("--as", "ann", "question", "edit", "Q1", "--title", "Attack by June")
    later(at)
    cli.ok("--as", "ann", "question", "remove", "Q1")
    imported(cli.path, old)  # older: the question stays removed here

    def state(path: Path) -> tuple[str, str | None, list[str]]:
        with open_workspace(path) as db:
            title, removed = db.execute(
                "select title, removed_by from questions where uuid = (select uuid from questions"
                " order by created_at, uuid limit 1)"
            ).fetchone()
            actions = [
                r[0]
                for r in db.execute(
                    "select action from question_history where question_id = 1 order by id"
                )
            ]
        return title, removed, actions

    assert state(cli.path) == ("Attack by June", "ann", ["added", "edited", "removed"])
    new = export(cli.path, tmp_path / "new.json")
    updated, _ = imported(other, new)
    assert updated and state(other) == state(cli.path)
    later(at)
    cli.ok("--as", "bo", "question", "restore", "Q1")
    imported(other, export(cli.path, tmp_path / "restored.json"))
    assert state(other) == ("Attack by June", None, ["added", "edited", "removed", "restored"])
    assert (
        export(other, tmp_path / "o.json").read_text()
        == export(cli.path, tmp_path / "c.json").read_text()
    )
    text_round_trip(cli.path, tmp_path / "text")


def test_a_removal_on_the_same_version_elsewhere_is_a_conflict(
    cli: Cli, tmp_path: Path, at: list[datetime]
) -> None:
    cli.ok("question", "add", "Attack")
    later(at)
    other = tmp_path / "other.db"
    imported(other, export(cli.path, tmp_path / "old.json"))
    later(at)
    cli.ok("question", "remove", "Q1")
    Cli(other).ok("question", "edit", "Q1", "--title", "Attack soon")
    _, conflicts = imported(other, export(cli.path, tmp_path / "removed.json"))
    assert any("kept this workspace's" in c for c in conflicts)
    with open_workspace(other) as db:
        assert db.execute("select removed_at from questions").fetchone() == (None,)


def test_a_challenge_keeps_its_decision_reason(
    cli: Cli, tmp_path: Path, at: list[datetime]
) -> None:
    cli.ok("question", "add", "Attack")
    later(at)
    cli.ok("evidence", "add", "Q1", "Troops massing", "--lr", "3")
    old = tmp_path / "old.json"
    cli.ok("--as", "ben", "challenge", "E1", "--lr", "1", "--reason", "Routine drill")
    export(cli.path, old)
    other = tmp_path / "other.db"
    imported(other, old)
    later(at)
    cli.ok("--as", "ana", "reject", "C1", "--reason", "Satellite images show ammunition")
    new = export(cli.path, tmp_path / "new.json")
    imported(other, new)
    with open_workspace(other) as db:
        assert db.execute("select status, decision_reason from challenges").fetchall() == [
            ("rejected", "Satellite images show ammunition")
        ]
    assert export(other, tmp_path / "o.json").read_text() == new.read_text()
    text_round_trip(cli.path, tmp_path / "text")


def test_the_migration_back_fills_tombstones_from_earlier_removals(
    cli: Cli, at: list[datetime]
) -> None:
    from questions.migrations import m040_condition_removals

    cli.ok("question", "add", "Attack")
    later(at)
    cli.ok("question", "add", "Withdraw")
    cli.ok("--as", "ann", "condition", "Q2", "--on", "Q1")
    later(at)
    cli.ok("--as", "bo", "condition", "Q2", "--on", "Q1", "--remove")
    with open_workspace(cli.path) as db:
        columns = "child_id, parent_id, created_at, created_by, removed_at, removed_by"
        made = db.execute(f"select {columns} from condition_removals").fetchall()  # noqa: S608
        db.execute("drop table condition_removals")
        m040_condition_removals(db)
        assert db.execute(f"select {columns} from condition_removals").fetchall() == made  # noqa: S608
        assert made == [(2, 1, "2024-03-01T12:01:00Z", "ann", "2024-03-01T12:02:00Z", "bo")]
