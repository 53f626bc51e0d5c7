"""What every command module shares: the group class that turns user errors into one line on
stderr (and can load its commands lazily), the session decorator, and output helpers."""

from __future__ import annotations

import functools
import importlib
import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from questions.errors import ForecastleError
from questions.row_ids import MAX_ROW_ID
from questions.session import Session
from questions.text_table import table

__all__ = [
    "ForecastleGroup",
    "emit_json",
    "one_line",
    "parse_floats",
    "pass_session",
    "progress_printer",
    "recorded",
    "table",
    "write_or_echo",
    "write_verb",
    "writes",
]


def one_line(message: str) -> str:
    """``message`` with line breaks and other control characters escaped, so it prints as one
    line whatever a user typed into it."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in message
    )


class OneLineUsageError(click.UsageError):
    """A usage mistake (unknown option, missing argument, bad value) shown as one line that names
    the command and where its help is, instead of click's usage block."""

    def __init__(self, error: click.UsageError, command_path: str) -> None:
        super().__init__(error.format_message(), error.ctx)
        self.command_path = command_path

    def show(self, file: Any = None) -> None:
        click.echo(
            one_line(
                f"error: {self.command_path}: {self.format_message()} "
                f"(see {self.command_path} --help)"
            ),
            err=True,
        )


def _one_line_usage(
    error: click.UsageError, fallback: click.Context | None, subcommand: str | None = None
) -> OneLineUsageError:
    """``error`` as one line naming the command it is about: its own context, else ``fallback``'s
    path followed by the ``subcommand`` being parsed (click's parser leaves some errors bare)."""
    if isinstance(error, OneLineUsageError):
        return error
    if error.ctx is not None:
        path = error.ctx.command_path
    else:
        path = fallback.command_path if fallback is not None else "forecastle"
        if subcommand:
            path = f"{path} {subcommand}"
    return OneLineUsageError(error, path)


class ForecastleGroup(click.Group):
    """A click group whose user errors end as one line on stderr: exit status 1 for a refused
    operation, 2 for a usage mistake (click's usage block folded into one line).

    ``lazy_commands`` names commands as ``module:attribute``, imported only when looked up:
    opening the TUI (no command) then imports no command module.
    """

    group_class = type  # subgroups are ForecastleGroup too

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, _, attribute = self.lazy_commands[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _one_line_usage(exc, parent) from None

    def invoke(self, ctx: click.Context) -> Any:
        pending = [*getattr(ctx, "_protected_args", []), *ctx.args]
        subcommand = pending[0] if pending and pending[0] in self.list_commands(ctx) else None
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line_usage(exc, ctx, subcommand) from None
        except ForecastleError as exc:
            click.echo(one_line(f"error: {exc}"), err=True)
            ctx.exit(1)


pass_session = click.make_pass_decorator(Session)

F = TypeVar("F", bound=Callable[..., Any])


ROW_NUMBER = click.IntRange(0, MAX_ROW_ID)
"""A typed id or version: a whole number that fits SQLite's INTEGER (bigger ones are refused as
usage errors, not an overflow deep in a query)."""


def write_verb(func: F) -> F:
    """Marks a verb that writes (put it above ``pass_session``): it may create a missing workspace
    (saying so once on stderr), where a read-only verb refuses one; and it gains ``--json``
    (passed as ``as_json``) to print the new id and what was recorded."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        session = click.get_current_context().find_object(Session)
        if session is not None:
            session.may_create = True
        return func(*args, **kwargs)

    run.forecastle_writes = True  # type: ignore[attr-defined]
    option = click.option(
        "--json", "as_json", is_flag=True, help="Print the new id and what was recorded as JSON."
    )
    return cast(F, option(run))


def writes(command: click.Command) -> bool:
    """Whether ``command`` was marked with ``write_verb``."""
    return bool(getattr(command.callback, "forecastle_writes", False))


def recorded(as_json: bool, data: Any, text: str) -> None:
    """What a write verb prints: ``data`` as JSON with ``--json``, else the line ``text``."""
    if as_json:
        emit_json(data)
    else:
        click.echo(text)


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


def write_or_echo(text: str, output: Path | None) -> None:
    """To stdout (no ``output``, or ``-``), or atomically to ``output`` (saying so on stderr)."""
    from forecast.reports.render import write_atomically

    if output is None or str(output) == "-":
        click.echo(text, nl=False)
    else:
        write_atomically(text, output)
        click.echo(f"wrote {output}", err=True)
