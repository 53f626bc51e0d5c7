"""``forecastle export``: bundles."""

from __future__ import annotations

from pathlib import Path

import click

from questions.session import Session

from .support import ForecastleGroup, pass_session, write_or_echo


@click.group("export", cls=ForecastleGroup)
def export_group() -> None:
    """Export bundles, argument trees and reports."""


@export_group.command("bundle")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write here (default, or -: stdout).",
)
@click.option(
    "--question", "questions", multiple=True, metavar="ID", help="Only this question (repeatable)."
)
@pass_session
def export_bundle_cmd(session: Session, output: Path | None, questions: tuple[str, ...]) -> None:
    """Export questions with their forecasts, evidence, trees, comments and challenges as a bundle:
    stable, key-sorted JSON to share with a team (see docs/bundle.schema.json)."""
    from forecast.exchange.bundle_export import build_bundle, bundle_json

    text = bundle_json(build_bundle(session.db, questions))
    write_or_echo(text, output)


@export_group.command("text")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--question", "questions", multiple=True, metavar="ID", help="Only this question (repeatable)."
)
@pass_session
def export_text_cmd(session: Session, directory: Path, questions: tuple[str, ...]) -> None:
    """Write the workspace as a plain-text directory for git: a TOML file per question and source,
    a forecasts CSV per question. Same content, same bytes; files not written are left alone."""
    from forecast.exchange.text.directory import export_text

    count = export_text(session.db, directory, questions)
    click.echo(f"wrote {count} files to {directory}", err=True)
