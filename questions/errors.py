"""Errors a user can cause. Each carries one line that says where and what is allowed.

The CLI prints ``str(error)`` on stderr and exits 1; the TUI shows it inline.
Anything that is not a ``ForecastleError`` is a bug, not a user's mistake.
"""


class ForecastleError(Exception):
    """A user's mistake or a refused operation, with a one-line message."""


class InvalidInput(ForecastleError):
    """A value the user gave is not allowed (names the field, the value and what is allowed)."""


class NotFound(ForecastleError):
    """An id that names nothing in the workspace."""


class Conflict(ForecastleError):
    """A save based on a stale version, or a row that contradicts one already stored."""


class WorkspaceError(ForecastleError):
    """The workspace file cannot be used (newer schema, not a database, unwritable)."""
