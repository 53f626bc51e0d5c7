"""The demo workspace builds from nothing, once, with everything the product shows."""

import json
from pathlib import Path

from forecast.demo import build_demo
from forecast.demo.build import demo_data
from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft
from tests.conftest import dump


def test_demo_builds_once_with_real_content(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    assert build_demo(path) is True
    db = open_workspace(path)
    questions = store.list_questions(db, status="all")
    open_questions = [q for q in questions if q.status == "open"]
    assert len(open_questions) >= 6 and any(q.kind == "multi" for q in open_questions)
    assert sum(q.status == "resolved" for q in questions) >= 12
    assert db.execute("select count(*) from evidence").fetchone()[0] >= 20
    assert {r[0] for r in db.execute("select distinct forecaster from forecasts")} == {
        "amira",
        "ben",
        "chidi",
    }
    assert db.execute("select count(*) from evidence_groups").fetchone()[0] >= 1
    assert db.execute("select count(*) from evidence_citations").fetchone()[0] >= 15
    assert db.execute("select count(distinct question_id) from tree_nodes").fetchone()[0] == len(
        open_questions
    )
    assert db.execute("select count(*) from sources").fetchone()[0] == 1
    before = dump(db)
    db.close()
    assert build_demo(path) is False
    with open_workspace(path) as again:
        assert dump(again) == before


def test_demo_shows_warnings_and_calibration(tmp_path: Path, cli_factory=None) -> None:
    from click.testing import CliRunner

    from tui import main

    path = tmp_path / "demo.db"
    runner = CliRunner()
    assert runner.invoke(main, ["--db", str(path), "demo", "--no-open"]).exit_code == 0
    warnings = []
    for qid in range(1, 7):
        shown = json.loads(
            runner.invoke(main, ["--db", str(path), "question", "show", f"Q{qid}", "--json"]).stdout
        )
        warnings += shown["warnings"]
    assert any("same source" in w for w in warnings)
    report = json.loads(
        runner.invoke(main, ["--db", str(path), "report", "--format", "json"]).stdout
    )
    assert report["n_questions"] >= 12 and len(report["forecasters"]) == 3


def test_every_resolved_question_has_a_basis() -> None:
    resolved = demo_data()["resolved_questions"]
    assert len(resolved) >= 12
    assert all(q["basis"] and q["outcome"] in ("yes", "no") for q in resolved)


def test_demo_has_the_briefs_chain_of_links(tmp_path: Path) -> None:
    from forecast.views.question import question_show_data

    path = tmp_path / "demo.db"
    build_demo(path)
    with open_workspace(path) as db:
        ids = {q.title: q.id for q in store.list_questions(db, status="all")}
        withdrawal = next(i for t, i in ids.items() if t.startswith("Will the US announce"))
        attack = next(i for t, i in ids.items() if t.startswith("Will the US blame"))
        shown = question_show_data(db, f"Q{withdrawal}")
        assert shown["conditions"][0]["parent"] == f"Q{attack}"
        assert set(shown["implied"]) == {"amira", "ben", "chidi"}
        assert any(w.startswith("incoherent: ben") for w in shown["warnings"])
        state = next(i for t, i in ids.items() if t.startswith("What best describes ISIS"))
        indicators = question_show_data(db, f"Q{state}")["indicators"]
        assert len(indicators) >= 2
        assert sum(i["status"] == "resolved" and i["evidence"] is not None for i in indicators) == 1


def test_rebuild_refuses_a_workspace_the_demo_did_not_make(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tui import main

    path = tmp_path / "team.db"
    with open_workspace(path) as db:
        store.add_question(db, QuestionDraft(title="Ours, not a demo"), author="ann")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["--db", str(path), "demo", "--rebuild", "--no-open"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a demo workspace" in result.stderr
    assert path.read_bytes() == before
    with open_workspace(path) as db:
        assert [q.title for q in store.list_questions(db, status="all")] == ["Ours, not a demo"]


def test_rebuild_refuses_a_file_that_is_not_a_workspace(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tui import main

    path = tmp_path / "notes.db"
    path.write_text("my notes\n")
    result = CliRunner().invoke(main, ["--db", str(path), "demo", "--rebuild", "--no-open"])
    assert result.exit_code == 1 and "not a demo workspace" in result.stderr
    assert path.read_text() == "my notes\n"


def test_rebuild_starts_a_marked_demo_again(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    assert build_demo(path) is True
    with open_workspace(path) as db:
        store.add_question(db, QuestionDraft(title="Added after the build"), author="ann")
    assert build_demo(path, rebuild=True) is True
    with open_workspace(path) as db:
        titles = [q.title for q in store.list_questions(db, status="all")]
        assert "Added after the build" not in titles
    assert build_demo(tmp_path / "fresh.db", rebuild=True) is True
