"""Writes off the UI thread: a screen's write runs in a thread worker on a connection of its own.

``write_in_worker(screen, write, then)`` runs ``write(db)`` on ``writer(session)`` in a thread
worker (``exit_on_error=False``) and posts the result back to the screen, where ``then(result)``
runs on the UI thread; a refusal (or any other error, on one line) goes to ``refused(text)``.
The screen mixes in ``WriteReplies`` so the replies reach those callbacks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlite_utils import Database
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker

from screens.connections import writer
from screens.worker_messages import one_line


class Written(Message):
    """A write worker finished: ``then(result)`` on the UI thread."""

    def __init__(self, result: Any, then: Callable[[Any], None]) -> None:
        super().__init__()
        self.result = result
        self.then = then


class WriteRefused(Message):
    """A write worker failed: ``refused(text)`` on the UI thread, ``text`` one line."""

    def __init__(self, text: str, refused: Callable[[str], None]) -> None:
        super().__init__()
        self.text = text
        self.refused = refused


class WriteReplies:
    """Mixed into a screen: delivers its write workers' replies to their callbacks."""

    def on_written(self, message: Written) -> None:
        message.stop()
        message.then(message.result)

    def on_write_refused(self, message: WriteRefused) -> None:
        message.stop()
        message.refused(message.text)


def write_in_worker(
    screen: Screen[Any],
    write: Callable[[Database], Any],
    then: Callable[[Any], None],
    refused: Callable[[str], None],
    name: str = "write",
) -> Worker[None]:
    """Run ``write(db)`` in a thread worker on its own connection; reply to ``screen``.

    ``write`` must take everything it needs as arguments (it runs off the UI thread: no widgets,
    no ``app.db``)."""
    session = screen.app.session  # type: ignore[attr-defined]

    def work() -> None:
        try:
            with writer(session) as db:
                result = write(db)
        except Exception as error:  # a refusal, or a bug / locked file: one line, app stays up
            screen.post_message(WriteRefused(one_line(error), refused))
            return
        screen.post_message(Written(result, then))

    return screen.run_worker(work, name=name, group="write", thread=True, exit_on_error=False)
