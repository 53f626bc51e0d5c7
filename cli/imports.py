"""``forecastle import``: forecasts (CSV), articles and bundles."""

from __future__ import annotations

from pathlib import Path

import click

from arguments.source_store import import_article
from questions.csv_import import import_forecasts
from questions.session import Session

from .support import (
    ForecastleGroup,
    emit_json,
    pass_session,
    progress_printer,
    recorded,
    write_verb,
)

FILE = click.Path(dir_okay=False, allow_dash=True, path_type=Path)  # - : standard input


@click.group("import", cls=ForecastleGroup)
def import_group() -> None:
    """Import forecasts, articles and bundles."""


@import_group.command("forecasts")
@click.argument("file", type=FILE)
@write_verb
@pass_session
def import_forecasts_cmd(session: Session, file: Path, as_json: bool) -> None:
    """Import forecasts from a CSV file, or - for standard input (all rows or none)."""
    summary = import_forecasts(
        session.db, file, author=session.user, progress=progress_printer("importing")
    )
    created = (
        f", {len(summary.questions_created)} new questions" if summary.questions_created else ""
    )
    recorded(
        as_json,
        summary.__dict__,
        f"{summary.forecasts_added} forecasts added, {summary.forecasts_skipped} already present"
        f"{created}, {summary.resolutions_set} resolutions set ({summary.rows} rows)",
    )


@import_group.command("article")
@click.argument("file", type=FILE)
@click.option("--title", help="Title (default: the first heading or line).")
@click.option("--url", default="", help="Where it was published.")
@click.option("--date", "published", help="Publication date (ISO 8601).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "html"]), help="Default: detected."
)
@write_verb
@pass_session
def import_article_cmd(
    session: Session,
    file: Path,
    title: str | None,
    url: str,
    published: str | None,
    fmt: str | None,
    as_json: bool,
) -> None:
    """Import an article (text, Markdown or HTML; - for standard input) as a source with passages
    and citations."""
    source = import_article(
        session.db, file, by=session.user, title=title, url=url, published=published, fmt=fmt
    )
    state = "already imported as" if source.already_present else "imported"
    recorded(
        as_json,
        {**source.__dict__, "id": source.short_id},
        f"{state} {source.short_id}: {source.title} — {source.passages} passages, "
        f"{source.citations} citations of {source.works} works, {source.skipped} skipped blocks",
    )


@import_group.command("bundle")
@click.argument("file", type=FILE)
@click.option("--strict", is_flag=True, help="Import nothing if any row conflicts.")
@write_verb
@pass_session
def import_bundle_cmd(session: Session, file: Path, strict: bool, as_json: bool) -> None:
    """Merge a bundle (a file, or - for standard input): new rows are added, newer versions update, nothing is deleted; conflicts
    are reported and this workspace's rows kept. Importing the same bundle twice changes nothing."""
    from forecast.exchange.bundle_import import import_bundle

    report = import_bundle(session.db, file, strict=strict)
    if as_json:
        emit_json(report.as_dict())
        return
    for line in report.lines():
        click.echo(line)
