"""Open a whole workspace: every layer's migration set, applied in layer order, and the stored
model posterior kept current (``forecast.engine.posterior_store`` registered as the model hook)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from arguments.migrations import MIGRATIONS as ARGUMENTS
from forecast.engine import posterior_store
from forecast.migrations import MIGRATIONS as FORECAST
from questions.migrations import MIGRATIONS as QUESTIONS
from questions.workspace import on_model_change, on_resolution_change, open_db

LAYERS = (QUESTIONS, ARGUMENTS, FORECAST)


def open_workspace(path: str | Path) -> Database:
    """Open (or create) the workspace at ``path`` with every layer's tables; every change to a
    question's priors or evidence refreshes its row of ``model_posteriors`` in the same write, and
    every resolution of an indicator question updates the evidence it gives its parent."""
    db = open_db(path, LAYERS)
    on_model_change(db, posterior_store.refresh)
    on_resolution_change(db, _sync_indicators)
    posterior_store.refresh_missing(db)
    return db


def _sync_indicators(db: Database, question_id: int, by: str) -> None:
    from arguments.indicators import sync_indicators  # pydantic: not before the TUI's first paint

    sync_indicators(db, question_id, by)
