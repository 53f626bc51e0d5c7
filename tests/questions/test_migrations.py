"""An older workspace is backed up and upgraded in place; a newer one is refused."""

import sqlite3
from pathlib import Path

import pytest

from forecast.workspace import LAYERS, open_workspace
from questions.errors import WorkspaceError
from questions.migrations import MIGRATIONS
from questions.workspace import connect, schema_version


def make_old_workspace(path: Path) -> None:
    """A workspace as the first release wrote it: only the first schema step applied."""
    db = connect(path)
    MIGRATIONS.apply(db, stop_before="m002_browse_views")
    db.execute(
        "insert into questions (uuid, title, kind, created_at, created_by, updated_at, updated_by)"
        " values ('u1', 'Old question', 'binary', 'x', 'a', 'x', 'a')"
    )
    db.close()


def test_older_workspace_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_workspace(path)
    db = open_workspace(path)
    assert "question_current" in db.view_names()
    assert db.execute("select title from questions").fetchone()[0] == "Old question"
    assert schema_version(db) == sum(len(s._migrations) for s in LAYERS)
    db.close()
    backups = list(tmp_path.glob("old.db.backup-*"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("select title from questions").fetchone()[0] == "Old question"
    assert (
        copy.execute(
            "select count(*) from sqlite_master where name = 'question_current'"
        ).fetchone()[0]
        == 0
    )
    copy.close()


def test_current_workspace_is_not_backed_up_again(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    open_workspace(path).close()
    open_workspace(path).close()
    assert list(tmp_path.glob("w.db.backup-*")) == []


def test_newer_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_workspace(path).close()
    raw = sqlite3.connect(path)
    raw.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at) values"
        " ('forecastle.questions', 'm999_from_the_future', 'x')"
    )
    raw.commit()
    raw.close()
    with pytest.raises(WorkspaceError, match="newer forecastle .*m999_from_the_future"):
        open_workspace(path)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list: eggs\n" * 100)
    with pytest.raises(WorkspaceError, match="not a forecastle workspace"):
        open_workspace(path)


def test_newer_workspace_via_cli_is_one_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tui import main

    path = tmp_path / "new.db"
    open_workspace(path).close()
    raw = sqlite3.connect(path)
    raw.execute(
        "insert into _sqlite_migrations (migration_set, name, applied_at) values"
        " ('forecastle.reviews', 'm001', 'x')"
    )
    raw.commit()
    raw.close()
    result = CliRunner().invoke(main, ["--db", str(path), "question", "list"])
    assert result.exit_code == 1
    assert "newer forecastle" in result.stderr


def test_pragmas(tmp_path: Path) -> None:
    db = open_workspace(tmp_path / "p.db")
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1
    assert db.execute("pragma busy_timeout").fetchone()[0] >= 5000
    db.close()
