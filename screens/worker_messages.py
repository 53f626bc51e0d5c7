"""How a worker reports back: its result or its one-line error, as a message to its screen.

Workers run with ``exit_on_error=False``: an unexpected error (a bug, a locked file) is not a
user's mistake, but it must not close the app either; the screen shows it on one line.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.worker import Worker, WorkerState

from questions.errors import ForecastleError


class WorkDone(Message):
    """A worker finished: ``result`` is what it made, ``job`` says which job it was."""

    def __init__(self, job: str, result: Any) -> None:
        super().__init__()
        self.job = job
        self.result = result


class WorkFailed(Message):
    """A worker failed: ``text`` is one line to show."""

    def __init__(self, job: str, text: str) -> None:
        super().__init__()
        self.job = job
        self.text = text


def one_line(error: BaseException) -> str:
    """A user's mistake as its own message; anything else with its kind, first line only."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else ""
    if isinstance(error, ForecastleError):
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def failure(event: Worker.StateChanged) -> str | None:
    """The one-line error of a worker that just failed, else None."""
    if event.state != WorkerState.ERROR or event.worker.error is None:
        return None
    return one_line(event.worker.error)
