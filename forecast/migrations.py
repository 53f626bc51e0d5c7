"""The forecast layer's tables, as the named migration set ``forecastle.forecast``."""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("forecastle.forecast")
