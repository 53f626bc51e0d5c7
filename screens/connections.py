"""Connections for the app's workers: each worker opens its own, never the app's.

A sqlite3 connection is not for two threads at once: a worker building a report while another
builds one (or while the screen reads) on the app's connection interleaves their statements.
``reader`` opens the workspace read-only (``file:...?mode=ro``) for a worker that only reads;
``writer`` opens it with forecastle's connection settings for one that writes (dialog saves).
An in-memory workspace (tests only) cannot be opened twice, so its workers share the app's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from questions.session import Session
from questions.workspace import BUSY_TIMEOUT_SECONDS, connect


def _in_memory(session: Session) -> bool:
    return str(session.path) == ":memory:"


@contextmanager
def reader(session: Session) -> Iterator[Database]:
    """A read-only connection of this worker's own, closed after."""
    if _in_memory(session):
        yield session.db
        return
    uri = f"{Path(session.path).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
    try:
        yield Database(conn, execute_plugins=False)
    finally:
        conn.close()


@contextmanager
def writer(session: Session) -> Iterator[Database]:
    """A read-write connection of this worker's own (WAL, foreign keys, busy timeout), closed after."""
    if _in_memory(session):
        yield session.db
        return
    db = connect(session.path)
    try:
        yield db
    finally:
        db.close()
