"""The workspace: one SQLite file, opened through sqlite-utils.

Opening a workspace sets WAL, foreign keys and a busy timeout, refuses a file written by a newer
forecastle, backs up an older one beside itself, and applies each layer's named migration set in
layer order. Every multi-row change runs in ``write_transaction`` (``BEGIN IMMEDIATE``), so a
writer waits for the lock up front instead of failing half-way.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from .errors import WorkspaceError

BUSY_TIMEOUT_SECONDS = 30.0
MIGRATIONS_TABLE = Migrations.migrations_table


def default_path() -> Path:
    """``FORECASTLE_DB``, else ``workspace.db`` in the platform's user data dir."""
    configured = os.environ.get("FORECASTLE_DB")
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("forecastle", appauthor=False)) / "workspace.db"


def connect(path: str | Path) -> Database:
    """A sqlite-utils Database with forecastle's connection settings (no migrations)."""
    target = str(path)
    if target != ":memory:":
        parent = Path(target).parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"{target}: cannot create its folder ({exc.strerror})") from None
    try:
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA foreign_keys = ON")
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{target}: not a forecastle workspace ({exc})") from None
    return Database(conn, execute_plugins=False)


def open_db(path: str | Path, migration_sets: Sequence[Migrations]) -> Database:
    """Open (creating if needed) a workspace and bring it to the schema of ``migration_sets``."""
    db = connect(path)
    try:
        refuse_newer(db, migration_sets, path)
        pending = [m for s in migration_sets for m in s.pending(db)]
        if pending and str(path) != ":memory:" and _has_user_tables(db):
            backup(db, path)
        for migrations in migration_sets:
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise WorkspaceError(f"{path}: not a forecastle workspace ({exc})") from None
    except WorkspaceError:
        db.close()
        raise
    return db


def schema_version(db: Database) -> int:
    """How many migrations this workspace has applied (all sets together)."""
    if not db[MIGRATIONS_TABLE].exists():
        return 0
    return db.execute("select count(*) from _sqlite_migrations").fetchone()[0]


def refuse_newer(db: Database, migration_sets: Sequence[Migrations], path: str | Path) -> None:
    """Refuse a workspace that has applied migrations this forecastle does not know."""
    if not db[MIGRATIONS_TABLE].exists():
        return
    known = {(s.name, m.name) for s in migration_sets for m in s._migrations}
    ours = {s.name for s in migration_sets}
    rows = db.execute("select migration_set, name from _sqlite_migrations").fetchall()
    unknown = [f"{s}:{n}" for s, n in rows if s in ours and (s, n) not in known]
    foreign = sorted({s for s, _ in rows if s not in ours and s.startswith("forecastle.")})
    if unknown or foreign:
        what = unknown[0] if unknown else foreign[0]
        raise WorkspaceError(
            f"{path}: written by a newer forecastle (schema step {what} is unknown here); "
            "upgrade forecastle to open it"
        )


def backup(db: Database, path: str | Path) -> Path:
    """Copy the workspace beside itself before an upgrade; returns the copy's path."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = Path(f"{path}.backup-{stamp}")
    counter = 1
    while target.exists():
        target = Path(f"{path}.backup-{stamp}-{counter}")
        counter += 1
    copy = sqlite3.connect(str(target))
    try:
        db.conn.backup(copy)
    finally:
        copy.close()
    return target


def set_meta(db: Database, key: str, value: str) -> None:
    """Record a fact about the workspace itself in ``workspace_meta``."""
    db.execute(
        "insert into workspace_meta (key, value) values (?, ?) "
        "on conflict (key) do update set value = excluded.value",
        [key, value],
    )


def read_meta(path: str | Path, key: str) -> str | None:
    """``workspace_meta[key]`` of the file at ``path``, read without changing it (opened read-only,
    no migrations); None when the file is missing, not a workspace, or has no such key."""
    if not Path(path).is_file():
        return None
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("select value from workspace_meta where key = ?", [key]).fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return None if row is None else str(row[0])


_KNOWN_TABLES: weakref.WeakKeyDictionary[Database, set[str]] = weakref.WeakKeyDictionary()


def has_table(db: Database, name: str) -> bool:
    """Whether the workspace has table ``name``; a table once seen is remembered for this
    connection (tables are never dropped), so a hot path asks SQLite at most until it exists."""
    known = _KNOWN_TABLES.setdefault(db, set())
    if name in known:
        return True
    if db.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [name]
    ).fetchone():
        known.add(name)
        return True
    return False


def _has_user_tables(db: Database) -> bool:
    return any(not name.startswith(("_", "sqlite_")) for name in db.table_names())


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One atomic change: ``BEGIN IMMEDIATE`` (waits for other writers), or a savepoint if nested.

    Everything inside commits together or not at all.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    _begin_immediate(db)
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def _begin_immediate(db: Database) -> None:
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS * 4
    while True:
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise WorkspaceError(
                    "workspace is busy: another forecastle has held it for over 2 minutes"
                ) from None
            time.sleep(0.05)


ModelHook = Callable[[Database, Sequence[int]], None]
_model_hooks: weakref.WeakKeyDictionary[Database, list[ModelHook]] = weakref.WeakKeyDictionary()


def on_model_change(db: Database, hook: ModelHook) -> None:
    """Register ``hook(db, question_ids)``, called inside the writing transaction whenever what a
    question's model depends on (its priors, its evidence) changes. The forecast layer registers
    the refresh of the stored model posterior here, so the stores below it need not import it."""
    hooks = _model_hooks.setdefault(db, [])
    if hook not in hooks:
        hooks.append(hook)


def model_changed(db: Database, question_ids: Iterable[int]) -> None:
    """Tell the registered hooks that these questions' models changed (call inside the write)."""
    hooks = _model_hooks.get(db)
    if not hooks:
        return
    ids = sorted(set(question_ids))
    if ids:
        for hook in hooks:
            hook(db, ids)


ResolutionHook = Callable[[Database, int, str], None]
_resolution_hooks: weakref.WeakKeyDictionary[Database, list[ResolutionHook]] = (
    weakref.WeakKeyDictionary()
)


def on_resolution_change(db: Database, hook: ResolutionHook) -> None:
    """Register ``hook(db, question_id, by)``, called inside the writing transaction whenever a
    question is resolved, annulled or unresolved. The arguments layer registers its indicators
    here (a resolved indicator becomes evidence on its parent question)."""
    hooks = _resolution_hooks.setdefault(db, [])
    if hook not in hooks:
        hooks.append(hook)


def resolution_changed(db: Database, question_id: int, by: str) -> None:
    """Tell the registered hooks that this question's resolution changed (call inside the write)."""
    for hook in _resolution_hooks.get(db, ()):
        hook(db, question_id, by)
