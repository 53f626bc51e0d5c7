"""The history formats by name, and ``import_history``: parse a file, write it in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from sqlite_utils import Database

from .records import Batch
from .writer import HistorySummary, write_batch

FORMATS = ("fatebook", "metaculus", "predictionbook", "manifold")


def parser(fmt: str) -> Callable[[Path], Batch]:
    if fmt not in FORMATS:
        from questions.errors import InvalidInput

        raise InvalidInput(f"format: {fmt!r}: not a history format ({', '.join(FORMATS)})")
    module = import_module(f"forecast.exchange.history.{fmt}")
    return module.parse  # type: ignore[no-any-return]


def import_history(
    db: Database, fmt: str, path: str | Path, *, author: str, dry_run: bool = False
) -> HistorySummary:
    """Import another tool's export: all of it or nothing; importing it again adds nothing."""
    batch = parser(fmt)(Path(path))
    return write_batch(db, batch, author=author, dry_run=dry_run)
