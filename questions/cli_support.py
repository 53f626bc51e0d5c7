"""What every package's CLI verbs share: the session (workspace + who is acting), the group
class that turns user errors into one line on stderr, and output helpers.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from .errors import ForecastleError
from .session import Session
from .text_table import table  # noqa: F401  (the CLI's tables)


class ForecastleGroup(click.Group):
    """A click group whose user errors end as one line on stderr and exit status 1, and whose
    commands can come from modules imported only when a command is looked up: opening the TUI
    (no command) then skips importing every package's CLI."""

    group_class = type  # subgroups are ForecastleGroup too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: list[str] = []

    def register_later(self, *modules: str) -> None:
        """Modules with a ``register(group)`` function, imported in this order when needed."""
        self._pending.extend(modules)

    def load_commands(self) -> None:
        while self._pending:
            importlib.import_module(self._pending.pop(0)).register(self)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self.load_commands()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_commands()
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ForecastleError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)


def session(ctx: click.Context) -> Session:
    obj = ctx.find_object(Session)
    if obj is None:  # a command invoked without the root group (tests of one package)
        raise click.UsageError("no workspace session")
    return obj


pass_session = click.make_pass_decorator(Session)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def parse_floats(text: str, *, field_name: str) -> list[float]:
    """``0.2,0.5,0.3`` -> floats, with a one-line message naming the bad value."""
    values = []
    for part in text.split(","):
        try:
            values.append(float(part))
        except ValueError:
            raise click.BadParameter(
                f"{part.strip()!r} is not a number", param_hint=field_name
            ) from None
    return values


def progress_printer(label: str) -> Callable[[int, int], None]:
    """A progress callback that draws on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return lambda done, total: None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * min(done, total) / max(total, 1))
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
