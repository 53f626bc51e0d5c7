"""``forecastle import``: forecasts (CSV), articles and bundles."""

from __future__ import annotations

from pathlib import Path

import click

from arguments.source_store import import_article
from questions.csv_import import import_forecasts
from questions.session import Session

from .support import ForecastleGroup, emit_json, pass_session, progress_printer


@click.group("import", cls=ForecastleGroup)
def import_group() -> None:
    """Import forecasts, articles and bundles."""


@import_group.command("forecasts")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_session
def import_forecasts_cmd(session: Session, file: Path) -> None:
    """Import forecasts from a CSV file (all rows or none)."""
    summary = import_forecasts(
        session.db, file, author=session.user, progress=progress_printer("importing")
    )
    created = (
        f", {len(summary.questions_created)} new questions" if summary.questions_created else ""
    )
    click.echo(
        f"{summary.forecasts_added} forecasts added, {summary.forecasts_skipped} already present"
        f"{created}, {summary.resolutions_set} resolutions set ({summary.rows} rows)"
    )


@import_group.command("article")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="Title (default: the first heading or line).")
@click.option("--url", default="", help="Where it was published.")
@click.option("--date", "published", help="Publication date (ISO 8601).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "html"]), help="Default: detected."
)
@pass_session
def import_article_cmd(
    session: Session,
    file: Path,
    title: str | None,
    url: str,
    published: str | None,
    fmt: str | None,
) -> None:
    """Import an article (text, Markdown or HTML) as a source with passages and citations."""
    source = import_article(
        session.db, file, by=session.user, title=title, url=url, published=published, fmt=fmt
    )
    state = "already imported as" if source.already_present else "imported"
    click.echo(
        f"{state} {source.short_id}: {source.title} — {source.passages} passages, {source.citations} "
        f"citations of {source.works} works, {source.skipped} skipped blocks"
    )


@import_group.command("bundle")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Import nothing if any row conflicts.")
@click.option("--json", "as_json", is_flag=True, help="Print the merge report as JSON.")
@pass_session
def import_bundle_cmd(session: Session, file: Path, strict: bool, as_json: bool) -> None:
    """Merge a bundle: new rows are added, newer versions update, nothing is deleted; conflicts
    are reported and this workspace's rows kept. Importing the same bundle twice changes nothing."""
    from forecast.exchange.bundle_import import import_bundle

    report = import_bundle(session.db, file, strict=strict)
    if as_json:
        emit_json(report.as_dict())
        return
    for line in report.lines():
        click.echo(line)
