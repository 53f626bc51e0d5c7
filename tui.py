"""The ``forecastle`` command: the TUI when run bare, and every package's CLI verbs.

Textual is imported only when a screen is about to open, so scripted CLI verbs start fast.
"""

from __future__ import annotations

from pathlib import Path

import click

import arguments.cli
import forecast.cli
import questions.cli
from forecast.workspace import open_workspace
from questions.cli_support import ForecastleGroup, Session, default_user
from questions.workspace import default_path


@click.group(cls=ForecastleGroup, invoke_without_command=True)
@click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path),
    help="Workspace file (default: FORECASTLE_DB, else the user data dir).",
)
@click.option("--as", "user", help="Act as NAME (default: FORECASTLE_USER, else the login name).")
@click.version_option(package_name="forecastle")
@click.pass_context
def main(ctx: click.Context, db: Path | None, user: str | None) -> None:
    """forecastle: structured argument and forecasting in the terminal.

    Run without a command to open the TUI on the workspace.
    """
    ctx.obj = Session(
        path=db or default_path(), user=user or default_user(), opener=open_workspace,
        explicit_path=db is not None,
    )
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj)


@main.command("demo")
@click.option("--rebuild", is_flag=True, help="Build the demo workspace again from nothing.")
@click.option("--no-open", is_flag=True, help="Build it, print where, do not open the TUI.")
@click.pass_obj
def demo(session: Session, rebuild: bool, no_open: bool) -> None:
    """Build (once) and open the demo workspace."""
    from forecast.demo import build_demo, demo_path

    if not session.explicit_path:
        session.path = demo_path()
    created = build_demo(session.path, rebuild=rebuild)
    if no_open:
        click.echo(f"{'built' if created else 'using'} demo workspace {session.path}")
        return
    run_app(session)


def run_app(session: Session) -> None:
    """Open the TUI on the session's workspace."""
    from screens.app import ForecastleApp

    ForecastleApp(session).run()


questions.cli.register(main)
arguments.cli.register(main)
forecast.cli.register(main)
