"""``forecastle import``: forecasts (CSV), articles and bundles."""

from __future__ import annotations

from pathlib import Path

import click

from arguments.source_store import import_article
from questions.csv_import import CsvOptions, import_forecasts
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
FILE_OR_FOLDER = click.Path(allow_dash=True, path_type=Path)  # a Metaculus export may be a folder


@click.group("import", cls=ForecastleGroup)
def import_group() -> None:
    """Import forecasts, articles and bundles."""


HISTORY_FORMATS = ("fatebook", "metaculus", "predictionbook", "manifold")


def _history(session: Session, fmt: str, file: Path, dry_run: bool, as_json: bool) -> None:
    from forecast.exchange.history.formats import import_history

    summary = import_history(session.db, fmt, file, author=session.user, dry_run=dry_run)
    if as_json:
        emit_json(summary.as_dict())
        return
    for line in summary.lines():
        click.echo(line, err=line.startswith("warning:"))


@import_group.command("history")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(HISTORY_FORMATS))
@click.argument("file", type=click.Path(exists=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would be added.")
@write_verb
@pass_session
def import_history_cmd(
    session: Session, fmt: str, file: Path, dry_run: bool, as_json: bool
) -> None:
    """Import your history from another tool's export (all of it or nothing; importing the
    same export again adds nothing). See the README's "Coming from another tool"."""
    _history(session, fmt, file, dry_run, as_json)


@import_group.command("forecasts")
@click.argument("file", type=FILE_OR_FOLDER)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("native", "spreadsheet", *HISTORY_FORMATS)),
    default="native",
    show_default=True,
    help="native/spreadsheet: forecastle's CSV columns (or --map); others: that tool's export.",
)
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Read FIELD (question, forecaster, probability, made_at, ...) from COLUMN.",
)
@click.option("--date-format", help="strftime format of the dates, e.g. %d.%m.%Y.")
@click.option("--dayfirst", is_flag=True, help="Read 3/5/2024 as 3 May (default: 5 March).")
@click.option("--strict", is_flag=True, help="Refuse a file with columns it does not use.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would be added.")
@write_verb
@pass_session
def import_forecasts_cmd(
    session: Session,
    file: Path,
    fmt: str,
    mapping: tuple[str, ...],
    date_format: str | None,
    dayfirst: bool,
    strict: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import forecasts from a CSV file (all rows or none)."""
    if fmt in HISTORY_FORMATS:
        _history(session, fmt, file, dry_run, as_json)
        return
    from questions.numeric_csv import sniff_numeric

    if not mapping and sniff_numeric(file):  # q05,q50,q95 columns: distribution forecasts
        _numeric(session, file, dry_run, as_json)
        return
    options = CsvOptions.from_cli(
        mapping, date_format=date_format, dayfirst=dayfirst, strict=strict, dry_run=dry_run
    )
    summary = import_forecasts(
        session.db,
        file,
        author=session.user,
        progress=None if as_json else progress_printer("importing"),
        options=options,
    )
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        emit_json(summary.as_dict())
        return
    created = (
        f", {len(summary.questions_created)} new questions" if summary.questions_created else ""
    )
    click.echo(
        f"{summary.forecasts_added} forecasts added, {summary.forecasts_skipped} already present"
        f"{created}, {summary.resolutions_set} resolutions set ({summary.rows} rows)"
        + (" — dry run, nothing written" if dry_run else "")
    )


def _numeric(session: Session, file: Path, dry_run: bool, as_json: bool) -> None:
    from questions.numeric_csv import import_numeric_forecasts

    summary = import_numeric_forecasts(session.db, file, dry_run=dry_run)
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        emit_json(summary.as_dict())
        return
    click.echo(
        f"{summary.forecasts_added} numeric forecasts added, {summary.forecasts_skipped} already"
        f" present, {summary.resolutions_set} resolutions set ({summary.rows} rows)"
        + (" — dry run, nothing written" if dry_run else "")
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


@import_group.command("text")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Import nothing if any row conflicts.")
@write_verb
@pass_session
def import_text_cmd(session: Session, directory: Path, strict: bool, as_json: bool) -> None:
    """Merge a text directory (``export text``) with the bundle's rules, in one transaction; a
    file with a mistake is named by FILE:LINE:COLUMN and nothing changes."""
    from forecast.exchange.text.directory import import_text

    report = import_text(session.db, directory, strict=strict)
    if as_json:
        emit_json(report.as_dict())
        return
    for line in report.lines():
        click.echo(line)
