"""The workspace never surprises anyone: someone else's database, a file that is not a database,
and a full disk are each refused with one line, and nothing is changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from forecast.workspace import open_workspace
from questions import store
from questions.errors import WorkspaceError
from questions.models import QuestionDraft


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run(path: Path, *args: str):
    from tui import main

    return CliRunner().invoke(main, ["--db", str(path), *args])


def test_a_database_with_other_tables_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "birds.db"
    conn = sqlite3.connect(path)
    conn.execute("create table sightings (bird text, seen_at text)")
    conn.execute("insert into sightings values ('heron', '2020-01-01')")
    conn.commit()
    conn.close()
    before = dump(path)
    with pytest.raises(WorkspaceError, match="has tables forecastle does not own"):
        open_workspace(path)
    result = run(path, "question", "add", "Will it rain?")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "has tables forecastle does not own (sightings); use a new file" in result.stderr
    assert dump(path) == before


def test_a_foreign_sqlite_utils_migrations_table_is_not_ours(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("create table _sqlite_migrations (migration_set, name, applied_at)")
    conn.execute("insert into _sqlite_migrations values ('someapp', 'm001', 'x')")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="has tables forecastle does not own"):
        open_workspace(path)


@pytest.mark.parametrize("content", [b"x", b"hi", b"shopping list: eggs\n" * 50])
def test_a_file_that_is_not_a_database_is_refused_not_overwritten(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(WorkspaceError, match="not an SQLite database, and not empty"):
        open_workspace(path)
    result = run(path, "question", "add", "Will it rain?")
    assert result.exit_code == 1 and "use a new file" in result.stderr
    assert path.read_bytes() == content
    assert not Path(f"{path}-wal").exists()


def test_an_empty_file_becomes_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    open_workspace(path).close()
    assert open_workspace(path).table_names()


def test_our_own_workspace_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    open_workspace(path).close()
    open_workspace(path).close()


def cap_pages(db: Database, extra: int = 0) -> Database:
    """Make the disk 'full': the database may not grow past its current size (+ extra pages)."""
    pages = db.execute("pragma page_count").fetchone()[0]
    db.execute(f"pragma max_page_count = {pages + extra}")
    return db


def test_a_full_disk_is_reported_as_full_and_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    db = open_workspace(path)
    store.add_question(db, QuestionDraft(title="Will it rain?"), author="ann")
    db.execute("pragma wal_checkpoint(truncate)")
    cap_pages(db)
    before = list(db.conn.iterdump())
    long = "a very long description " * 4000
    with pytest.raises(WorkspaceError) as raised:
        store.add_question(db, QuestionDraft(title="Will it snow?", description=long), author="ann")
    message = str(raised.value)
    assert "the disk is full; nothing was changed" in message
    assert "not a forecastle workspace" not in message
    assert list(db.conn.iterdump()) == before
    db.close()


def test_a_full_disk_through_the_cli_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui

    path = tmp_path / "w.db"
    open_workspace(path).close()
    monkeypatch.setattr(tui, "open_workspace", lambda p: cap_pages(open_workspace(p)))
    before = dump(path)
    result = run(path, "question", "add", "Will it snow?", "--description", "x" * 200_000)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().count("\n") == 0
    assert "the disk is full; nothing was changed" in result.stderr
    assert "Traceback" not in result.output
    assert dump(path) == before


def test_a_full_disk_while_creating_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import questions.workspace as workspace
    from forecast.workspace import LAYERS

    real_connect = workspace.connect

    def tiny_disk(p: str | Path) -> Database:
        db = real_connect(p)
        db.execute("pragma max_page_count = 3")
        return db

    monkeypatch.setattr(workspace, "connect", tiny_disk)
    path = tmp_path / "new.db"
    with pytest.raises(WorkspaceError, match="the disk is full; nothing was changed"):
        workspace.open_db(path, LAYERS)
    assert not path.exists()
