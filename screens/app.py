"""The forecastle Textual app: a thin shell that shows workspace state and calls domain functions."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker

from questions.session import Session
from screens.commands import BindingCommands
from screens.connections import reader
from screens.home import QuestionsScreen
from screens.worker_messages import WorkDone, WorkFailed, failure


class ForecastleApp(App[None]):
    """Questions home, then a screen per job; ``?`` lists the keys, ctrl+p has every action."""

    TITLE = "forecastle"
    CSS_PATH = "app.tcss"  # beside this module, inside the package: a wheel carries it
    COMMANDS = App.COMMANDS | {BindingCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Keys", key_display="?", id="help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
    ]

    CHECKPOINT_IDLE_SECONDS = 20.0
    """After this long without a key or a click, the WAL is checkpointed (see ``checkpoint``)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.last_input = time.monotonic()

    @property
    def db(self):  # noqa: ANN201 - sqlite_utils.Database
        return self.session.db

    def get_default_screen(self) -> Screen:
        return QuestionsScreen()

    def on_mount(self) -> None:
        self.sub_title = f"{self.session.path.name} · you are {self.session.user}"
        self.set_interval(self.CHECKPOINT_IDLE_SECONDS / 2, self._checkpoint_when_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def _checkpoint_when_idle(self) -> None:
        if time.monotonic() - self.last_input >= self.CHECKPOINT_IDLE_SECONDS:
            self.checkpoint()

    @work(thread=True, group="checkpoint", exclusive=True)
    def checkpoint(self) -> None:
        """Move committed work from the ``-wal`` file into the workspace file (a passive
        checkpoint on a connection of its own: it never waits for or blocks anyone), so a copy
        of the file alone is nearly current; ``forecastle backup`` is the safe copy."""
        from questions.backup import checkpoint

        checkpoint(self.session.path, "PASSIVE")

    def on_unmount(self) -> None:
        """On quit: checkpoint and empty the ``-wal`` file unless someone else is reading (then
        after two seconds it gives up; the next checkpoint does the rest)."""
        from questions.backup import checkpoint

        checkpoint(self.session.path, "TRUNCATE", timeout=2.0)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)

    def export_report(self, fmt: str, path: Path, forecaster: str | None = None) -> None:
        """Build and write a report in a worker; say how it went when done."""
        self.notify(f"writing the {fmt} report…", timeout=2)
        self.write_report(fmt, path, forecaster)

    @work(thread=True, group="export", exit_on_error=False)
    def write_report(self, fmt: str, path: Path, forecaster: str | None) -> None:
        """On a read-only connection of its own; posts where it wrote (or the error) back."""
        from forecast.reports.build import build_report
        from forecast.reports.data import ReportSettings
        from forecast.reports.render import render, write_atomically
        from questions.errors import ForecastleError

        with reader(self.session) as db:
            try:
                report = build_report(db, ReportSettings(forecaster=forecaster))
            except ForecastleError as error:
                self.post_message(WorkFailed("export", str(error)))
                return
        try:
            write_atomically(render(report, fmt), path)
        except ForecastleError as error:
            self.post_message(WorkFailed("export", str(error)))
            return
        self.post_message(WorkDone("export", path))

    @on(WorkDone)
    def _work_done(self, message: WorkDone) -> None:
        if message.job == "export":
            self.notify(f"report written to {message.result}")

    @on(WorkFailed)
    def _work_failed(self, message: WorkFailed) -> None:
        if message.job == "export":
            self.notify(message.text, severity="error")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        text = failure(event)
        if text is not None:
            self.notify(text, severity="error")
