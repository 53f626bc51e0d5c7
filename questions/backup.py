"""A workspace that can be copied: a consistent single-file backup, and WAL checkpoints.

In WAL mode recent work sits in ``workspace.db-wal`` until a checkpoint moves it into the main
file, so copying ``workspace.db`` alone while forecastle is open copies little of it.
``backup_workspace`` uses SQLite's online backup API instead: it reads one consistent snapshot of
everything committed (the main file and the WAL together; a transaction another process has not
committed yet is not in it), while other processes keep reading and writing, and writes it as one
self-contained file (rollback-journal mode, no ``-wal`` beside it), renamed into place only once it
is complete and checked. ``checkpoint`` moves the WAL's pages into the main file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlite_utils import Database

from .errors import InvalidInput, WorkspaceError
from .workspace import BUSY_TIMEOUT_SECONDS, MIGRATIONS_TABLE

CheckpointMode = Literal["PASSIVE", "FULL", "RESTART", "TRUNCATE"]


@dataclass(frozen=True)
class BackupResult:
    workspace: str
    backup: str
    bytes: int
    tables: dict[str, int] = field(default_factory=dict)
    """Rows in each table of the copy."""
    integrity: str = "ok"

    def to_dict(self) -> dict[str, object]:
        return {
            "workspace": self.workspace,
            "backup": self.backup,
            "bytes": self.bytes,
            "tables": self.tables,
            "integrity": self.integrity,
        }


def _check_target(source: Path, target: Path, force: bool) -> None:
    if target.is_dir():
        raise InvalidInput(f"backup: {target} is a folder; name the file to write")
    if not target.parent.is_dir():
        raise InvalidInput(f"backup: {target}: folder {target.parent} does not exist")
    if target.exists():
        if source.resolve() == target.resolve():
            raise InvalidInput(f"backup: {target} is the workspace itself; name another file")
        if not force:
            raise InvalidInput(f"backup: {target} exists; add --force to overwrite it")
    for suffix in ("-wal", "-shm", "-journal"):
        if target.resolve() == Path(f"{source.resolve()}{suffix}"):
            raise InvalidInput(f"backup: {target} is one of the workspace's own files")


def backup_workspace(
    source: str | Path, target: str | Path, *, force: bool = False
) -> BackupResult:
    """Copy the workspace at ``source`` to ``target`` as one consistent, self-contained file.

    Safe while other processes (the TUI, the CLI) use the workspace. Refuses to overwrite an
    existing ``target`` unless ``force``; the target appears only when the copy is complete and
    passes SQLite's quick check.
    """
    source, target = Path(source), Path(target)
    if str(source) == ":memory:" or not source.is_file():
        raise WorkspaceError(f"{source}: no workspace there (nothing to back up)")
    _check_target(source, target, force)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    try:
        with contextlib.closing(
            sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        ) as src:
            _require_workspace(src, source)
            with contextlib.closing(sqlite3.connect(str(partial), isolation_level=None)) as dst:
                src.backup(dst)  # all pages in one step: one consistent snapshot
                dst.execute("PRAGMA journal_mode = DELETE")  # one file, nothing beside it
                integrity = dst.execute("PRAGMA quick_check").fetchone()[0]
                if integrity != "ok":
                    raise WorkspaceError(f"backup: the copy failed SQLite's check ({integrity})")
                tables = _table_counts(dst)
        os.replace(partial, target)
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{source}: cannot back up ({exc})") from None
    except OSError as exc:
        raise WorkspaceError(f"backup: {target}: cannot write ({exc.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return BackupResult(str(source), str(target), target.stat().st_size, tables, integrity)


def _require_workspace(conn: sqlite3.Connection, path: Path) -> None:
    try:
        found = conn.execute(
            "select 1 from sqlite_master where type = 'table' and name = ?", [MIGRATIONS_TABLE]
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path}: not a forecastle workspace ({exc})") from None
    if not found:
        raise WorkspaceError(f"{path}: not a forecastle workspace (it has no schema version table)")


def _table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        name
        for (name,) in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
            " order by name"
        )
    ]
    return {
        name: conn.execute(f'select count(*) from "{name}"').fetchone()[0]  # noqa: S608 - names from sqlite_master
        for name in names
    }


def checkpoint(
    workspace: Database | str | Path,
    mode: CheckpointMode = "PASSIVE",
    *,
    timeout: float = 2.0,
) -> tuple[int, int, int]:
    """Move the WAL's committed pages into the main file; returns SQLite's (busy, WAL frames,
    frames checkpointed). ``PASSIVE`` never waits for or blocks anyone; ``TRUNCATE`` also empties
    the ``-wal`` file when no reader needs it (waiting up to ``timeout`` seconds for readers when
    given a path). A workspace given as a path gets a connection of its own, so this is safe from
    a worker thread. A busy workspace is not an error: the next checkpoint does the rest."""
    if mode not in ("PASSIVE", "FULL", "RESTART", "TRUNCATE"):
        raise InvalidInput(f"checkpoint: mode {mode!r} is not PASSIVE, FULL, RESTART or TRUNCATE")
    if isinstance(workspace, Database):
        if workspace.conn.in_transaction:
            return (1, -1, -1)  # never inside the caller's own transaction
        row = workspace.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        return (int(row[0]), int(row[1]), int(row[2]))
    path = Path(workspace)
    if str(path) == ":memory:" or not path.is_file():
        return (0, -1, -1)
    try:
        with contextlib.closing(sqlite3.connect(str(path), timeout=timeout)) as conn:
            row = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    except sqlite3.OperationalError:
        return (1, -1, -1)
    return (int(row[0]), int(row[1]), int(row[2]))
