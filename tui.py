"""The ``forecastle`` command: the TUI when run bare, ``demo`` and ``serve``, and the verbs of
``cli/`` (each command module imported only when its verb is looked up).

Textual is imported only when a screen is about to open, so scripted CLI verbs start fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from cli import COMMANDS
from cli.support import ForecastleGroup
from forecast.workspace import open_workspace
from questions.session import Session, default_user
from questions.workspace import default_path


@click.group(cls=ForecastleGroup, lazy_commands=COMMANDS, invoke_without_command=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
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
        path=db or default_path(),
        user=user or default_user(),
        opener=open_workspace,
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


@main.command("serve")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default, loopback, keeps it to this machine.",
)
@click.pass_obj
def serve(session: Session, port: int, host: str) -> None:
    """Serve the TUI to a web browser (textual-serve): each browser tab runs its own forecastle
    on this workspace, as this user."""
    import shlex
    import socket
    import sys

    from questions.errors import InvalidInput

    session.db  # noqa: B018  (open it now: a bad workspace is refused here, not in each browser tab)
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise InvalidInput(
            f"port: cannot listen on {host}:{port} ({exc.strerror}); choose another with --port"
        ) from None
    from textual_serve.server import Server

    command = shlex.join(
        [sys.executable, "-m", "tui", "--db", str(session.path), "--as", session.user]
    )
    Server(command, host=host, port=port, title="forecastle").serve()


def run_app(session: Session) -> None:
    """Open the TUI on the session's workspace; exit with the app's status (non-zero when it
    crashed, e.g. on a stylesheet it could not read)."""
    import sys

    from screens.app import ForecastleApp

    app = ForecastleApp(session)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


if __name__ == "__main__":  # ``python -m tui``: what ``forecastle serve`` runs per browser tab
    main()
