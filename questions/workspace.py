"""The workspace: one SQLite file, opened through sqlite-utils.

Opening a workspace sets WAL, foreign keys and a busy timeout, refuses a file written by a newer
forecastle, a file that is neither empty nor an SQLite database, and a database with tables
forecastle does not own (it never adds its tables to someone else's file), backs up an older
workspace beside itself, and applies each layer's named migration set in
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
SQLITE_HEADER = b"SQLite format 3\x00"
OWN_SET_PREFIX = "forecastle."
"""Migration sets forecastle applies are named ``forecastle.<layer>``."""


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
        refuse_not_a_database(Path(target))
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA foreign_keys = ON")
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        if is_disk_full(exc):
            raise WorkspaceError(disk_full_message(target)) from None
        raise WorkspaceError(f"{target}: not a forecastle workspace ({exc})") from None
    return Database(conn, execute_plugins=False)


def refuse_not_a_database(path: Path) -> None:
    """Refuse a file that is neither empty nor an SQLite database (SQLite would otherwise take a
    one-byte file for an empty database and write over it)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise WorkspaceError(f"{path}: is a folder; name the workspace file") from None
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot read it ({exc.strerror})") from None
    if head and head != SQLITE_HEADER:
        raise WorkspaceError(
            f"{path}: not a forecastle workspace (not an SQLite database, and not empty); "
            "use a new file"
        )


def refuse_foreign(db: Database, path: str | Path) -> None:
    """Refuse a database that has tables but no forecastle schema steps: someone else's file."""
    tables = [
        name
        for (name,) in db.execute("select name from sqlite_master where type = 'table'")
        if not name.startswith("sqlite_")
    ]
    if not tables:
        return
    owned = (
        MIGRATIONS_TABLE in tables
        and db.execute(
            "select 1 from _sqlite_migrations where migration_set like ? limit 1",
            [OWN_SET_PREFIX + "%"],
        ).fetchone()
    )
    if not owned:
        shown = ", ".join(sorted(t for t in tables if t != MIGRATIONS_TABLE)[:3]) or tables[0]
        raise WorkspaceError(
            f"{path}: has tables forecastle does not own ({shown}); use a new file"
        )


def is_disk_full(exc: BaseException) -> bool:
    """Whether SQLite refused a write because the disk (or the database's page limit) is full."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "disk is full" in str(exc)


def disk_full_message(path: str | Path) -> str:
    return f"{path}: the disk is full; nothing was changed (free some space and try again)"


def open_db(path: str | Path, migration_sets: Sequence[Migrations]) -> Database:
    """Open (creating if needed) a workspace and bring it to the schema of ``migration_sets``.

    A file this call created is removed again when opening fails, so a refusal changes nothing."""
    fresh = str(path) != ":memory:" and not Path(path).exists()
    try:
        return _open_and_migrate(path, migration_sets)
    except WorkspaceError:
        if fresh:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    Path(f"{path}{suffix}").unlink()
        raise


def _open_and_migrate(path: str | Path, migration_sets: Sequence[Migrations]) -> Database:
    db = connect(path)
    try:
        refuse_foreign(db, path)
        refuse_newer(db, migration_sets, path)
        pending = [m for s in migration_sets for m in s.pending(db)]
        if pending and str(path) != ":memory:" and _has_user_tables(db):
            backup(db, path)
        for migrations in migration_sets:
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        if is_disk_full(exc):
            raise WorkspaceError(disk_full_message(path)) from None
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
        db.conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if is_disk_full(exc):
            raise WorkspaceError(disk_full_message(_main_file(db))) from None
        raise
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


def _main_file(db: Database) -> str:
    row = db.execute("pragma database_list").fetchone()
    return (row[2] if row else "") or "workspace"


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
