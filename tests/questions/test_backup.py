"""``forecastle backup``: a copy made while other connections hold committed work in the WAL
(not yet checkpointed) and an uncommitted transaction has everything committed, and nothing else;
refusals; and checkpoints."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from forecast.workspace import open_workspace
from questions import store
from questions.backup import backup_workspace, checkpoint
from questions.errors import InvalidInput, WorkspaceError
from questions.models import QuestionDraft
from tests.conftest import Cli, dump


def fill(path: Path) -> sqlite3.Connection:
    """Commit work through a connection that never checkpoints, so it stays in the WAL; the
    connection is returned open (closing the last connection would checkpoint)."""
    db = open_workspace(path)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    for i in range(5):
        q = store.add_question(db, QuestionDraft(title=f"Question {i}?"), author="ann")
        for day in range(1, 21):
            store.record_forecast(
                db, q.id, forecaster="ann", p_yes=day / 25, made_at=f"2020-01-{day:02d}"
            )
    return db.conn


def rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {
            name: conn.execute(f"select count(*) from [{name}]").fetchone()[0]  # noqa: S608
            for (name,) in conn.execute(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
            )
        }


def test_the_copy_has_everything_committed_while_others_write(cli: Cli, tmp_path: Path) -> None:
    writer = fill(cli.path)
    wal = Path(f"{cli.path}-wal")
    assert wal.stat().st_size > 0
    # the problem: the main file alone does not have the work yet
    naive = tmp_path / "naive.db"
    shutil.copyfile(cli.path, naive)
    assert rows(naive).get("forecasts", 0) < 100
    # another process is in the middle of a write it has not committed
    other = sqlite3.connect(cli.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("update questions set title = 'not committed' where id = 1")
    other.execute("delete from forecasts where question_id = 2")

    result = cli("backup", str(tmp_path / "copy.db"), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"workspace", "backup", "bytes", "tables", "integrity"}
    assert report["tables"]["forecasts"] == 100 and report["tables"]["questions"] == 5
    assert report["integrity"] == "ok" and report["backup"] == str(tmp_path / "copy.db")

    other.execute("ROLLBACK")
    other.close()
    # the copy stands alone: one file, nothing beside it, whatever happens to the workspace
    moved = tmp_path / "elsewhere" / "moved.db"
    moved.parent.mkdir()
    shutil.move(tmp_path / "copy.db", moved)
    assert not Path(f"{tmp_path / 'copy.db'}-wal").exists()
    copy = open_workspace(moved)
    source = open_workspace(cli.path)
    assert dump(copy) == dump(source)  # every committed row, none of the uncommitted change
    assert store.get_question(copy, 1).title == "Question 0?"
    copy.close()
    source.close()
    writer.close()


def test_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    cli.ok("question", "add", "Will it rain?")
    target = tmp_path / "copy.db"
    target.write_bytes(b"precious")
    refused = cli("backup", str(target))
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"error: backup: {target} exists; add --force to overwrite it"
    assert target.read_bytes() == b"precious"
    out = cli.ok("backup", str(target), "--force")
    assert out.startswith(f"backed up {cli.path} to {target} (") and "1 questions" in out
    assert rows(target)["questions"] == 1
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


@pytest.mark.parametrize(
    ("make_target", "message"),
    [
        (lambda tmp, ws: tmp, "is a folder; name the file to write"),
        (lambda tmp, ws: tmp / "missing" / "copy.db", "does not exist"),
        (lambda tmp, ws: ws, "is the workspace itself"),
        (lambda tmp, ws: Path(f"{ws}-wal"), "one of the workspace's own files"),
    ],
)
def test_bad_targets(cli: Cli, tmp_path: Path, make_target, message: str) -> None:
    cli.ok("question", "add", "Will it rain?")
    before = cli.path.read_bytes()
    result = cli("backup", str(make_target(tmp_path, cli.path)), "--force")
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "\n" not in result.stderr.strip()
    assert cli.path.read_bytes() == before


def test_no_workspace_or_not_a_workspace(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no workspace there"):
        backup_workspace(tmp_path / "none.db", tmp_path / "copy.db")
    assert not (tmp_path / "none.db").exists()  # nothing created
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    with pytest.raises(WorkspaceError, match="not a forecastle workspace"):
        backup_workspace(other, tmp_path / "copy.db")
    text = tmp_path / "notes.txt"
    text.write_text("hello, this is not a database at all" * 10)
    with pytest.raises(WorkspaceError, match="not a forecastle workspace"):
        backup_workspace(text, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_checkpoint_moves_the_wal_into_the_main_file(tmp_path: Path) -> None:
    path = tmp_path / "ws.db"
    writer = fill(path)
    naive = tmp_path / "naive.db"
    busy, frames, done = checkpoint(path, "PASSIVE")
    assert busy == 0 and frames > 0 and done == frames
    shutil.copyfile(path, naive)
    assert rows(naive)["forecasts"] == 100
    assert checkpoint(path, "TRUNCATE")[0] == 0
    assert Path(f"{path}-wal").stat().st_size == 0
    writer.close()
    assert checkpoint(tmp_path / "none.db") == (0, -1, -1)
    with pytest.raises(InvalidInput, match="mode"):
        checkpoint(path, "NOW")  # type: ignore[arg-type]


def test_checkpoint_on_an_open_workspace_skips_its_own_transaction(tmp_path: Path) -> None:
    db = open_workspace(tmp_path / "ws.db")
    db.conn.execute("BEGIN")
    assert checkpoint(db) == (1, -1, -1)
    db.conn.execute("ROLLBACK")
    assert checkpoint(db, "TRUNCATE")[0] == 0
    db.close()
