"""Open a whole workspace: every layer's migration set, applied in layer order."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from arguments.migrations import MIGRATIONS as ARGUMENTS
from forecast.migrations import MIGRATIONS as FORECAST
from questions.migrations import MIGRATIONS as QUESTIONS
from questions.workspace import open_db

LAYERS = (QUESTIONS, ARGUMENTS, FORECAST)


def open_workspace(path: str | Path) -> Database:
    """Open (or create) the workspace at ``path`` with every layer's tables."""
    return open_db(path, LAYERS)
