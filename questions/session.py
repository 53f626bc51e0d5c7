"""The session a command or the TUI works in: which workspace, opened when first needed, and who
is acting."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from .errors import WorkspaceError


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
    may_create: bool = False
    """True for work that writes: a missing workspace is then created (and ``announce`` told);
    otherwise it is refused with one line naming the path, and nothing is created."""
    announce: Callable[[str], None] | None = field(default=None, repr=False)
    _db: Database | None = field(default=None, repr=False)

    @property
    def db(self) -> Database:
        if self._db is None:
            fresh = str(self.path) != ":memory:" and not Path(self.path).exists()
            if fresh and not self.may_create:
                raise WorkspaceError(
                    f"{self.path}: no workspace there (check --db or FORECASTLE_DB; "
                    "a command that writes creates one)"
                )
            self._db = self.opener(self.path)
            if fresh and self.announce is not None:
                self.announce(f"created workspace {self.path}")
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
