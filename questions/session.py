"""The session a command or the TUI works in: which workspace, opened when first needed, and who
is acting."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database


def default_user() -> str:
    """``FORECASTLE_USER``, else the login name."""
    configured = os.environ.get("FORECASTLE_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


@dataclass
class Session:
    """The workspace a command works on and the name it acts as."""

    path: Path
    user: str
    opener: Callable[[str | Path], Database]
    explicit_path: bool = False
    """True when ``--db`` named the workspace (``demo`` then builds there)."""
    _db: Database | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = self.opener(self.path)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
