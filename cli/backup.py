"""``forecastle backup PATH``: copy the workspace safely, even while it is open elsewhere."""

from __future__ import annotations

from pathlib import Path

import click

from questions.backup import backup_workspace
from questions.session import Session

from .support import emit_json, pass_session


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def backup_cmd(session: Session, path: Path, force: bool, as_json: bool) -> None:
    """Copy the workspace to PATH as one consistent, self-contained file (SQLite's online backup:
    safe while the TUI or other commands are using it; refuses to overwrite PATH without --force)."""
    result = backup_workspace(session.path, path, force=force)
    if as_json:
        emit_json(result.to_dict())
        return
    counts = ", ".join(
        f"{result.tables.get(name, 0)} {name}" for name in ("questions", "forecasts", "evidence")
    )
    click.echo(f"backed up {result.workspace} to {result.backup} ({result.bytes} bytes; {counts})")
