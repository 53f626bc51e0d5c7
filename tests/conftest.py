"""Shared fixtures: real SQLite workspaces (in memory or in a temporary file), the CLI, a clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from forecast.workspace import open_workspace
from questions import clock

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The shared folder: beside the clone (``../shared``, as CI lays it out), else the
    workplace's ``/work/shared`` (a worktree sits deeper); tests that need it skip without it."""
    for candidate in (REPO.parent / "shared", Path("/work/shared")):
        if (candidate / "seeds").is_dir():
            return candidate
    return REPO.parent / "shared"


SHARED = shared_dir()
SEED_ARTICLE = SHARED / "seeds" / "000_acc9ee0867641eb0.txt"
FIXED_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Every test runs at 2026-01-15 12:00 UTC as user ``tester`` unless it says otherwise."""
    clock.set_clock(lambda: FIXED_NOW)
    monkeypatch.setenv("FORECASTLE_USER", "tester")
    monkeypatch.delenv("FORECASTLE_DB", raising=False)
    yield FIXED_NOW
    clock.set_clock(None)


@pytest.fixture
def db() -> Iterator[Database]:
    """A fresh in-memory workspace with every layer's tables."""
    database = open_workspace(":memory:")
    yield database
    database.close()


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.db"


@dataclass
class Cli:
    """Runs ``forecastle --db PATH ...`` in-process with click's CliRunner."""

    path: Path

    def __call__(self, *args: str, input: str | None = None) -> Result:
        from tui import main

        runner = CliRunner()
        return runner.invoke(
            main, ["--db", str(self.path), *args], input=input, catch_exceptions=False
        )

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, result.output + result.stderr
        return result.stdout.strip()

    def open(self) -> Database:
        return open_workspace(self.path)


@pytest.fixture
def cli(workspace_path: Path) -> Cli:
    return Cli(workspace_path)


def table_counts(database: Database) -> dict[str, int]:
    """Row counts of every table: a cheap fingerprint for "nothing changed"."""
    return {
        name: database.execute(f"select count(*) from [{name}]").fetchone()[0]  # noqa: S608
        for name in database.table_names()
    }


def dump(database: Database) -> list[str]:
    """Every row of every table, for byte-level "unchanged" checks."""
    return list(database.conn.iterdump())
