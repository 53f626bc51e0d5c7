"""``forecastle report``: the calibration report."""

from __future__ import annotations

from pathlib import Path

import click

from questions.errors import InvalidInput
from questions.session import Session

from .support import pass_session, write_or_echo


@click.command("report")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md", "json", "csv"]),
    default="html",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write here (default, or -: stdout).",
)
@click.option("--forecaster", help="Top-level figures for this forecaster.")
@click.option("--tag", help="Only questions with this tag.")
@click.option("--since", help="Only questions resolved on or after this date.")
@click.option("--until", help="Only questions resolved before this date.")
@click.option("--bins", default="10", show_default=True, help="Equal-width bins, or 'distinct'.")
@click.option(
    "--all-forecasts",
    is_flag=True,
    help="Count every forecast, not each forecaster's last before close.",
)
@click.option(
    "--extremize",
    default="2.5",
    show_default=True,
    help="Exponent of the extremized aggregate, or 'fitted' (fitted on the resolved questions).",
)
@click.option(
    "--include-early",
    is_flag=True,
    help="Count questions resolved before their scheduled close (default: reported apart).",
)
@pass_session
def report_cmd(
    session: Session,
    fmt: str,
    output: Path | None,
    forecaster: str | None,
    tag: str | None,
    since: str | None,
    until: str | None,
    bins: str,
    all_forecasts: bool,
    extremize: str,
    include_early: bool,
) -> None:
    """A calibration report: scores, bins, decompositions, forecasters, aggregates, attribution."""
    from forecast.reports.build import build_report
    from forecast.reports.data import ReportSettings
    from forecast.reports.render import render

    if bins != "distinct" and not bins.isdigit():
        raise InvalidInput(f"bins: {bins!r} is not allowed (a whole number >= 1, or distinct)")
    exponent: float | str = extremize
    if extremize != "fitted":
        try:
            exponent = float(extremize)
        except ValueError:
            raise InvalidInput(
                f"extremize: {extremize!r} is not allowed (a number > 0, or fitted)"
            ) from None
    settings = ReportSettings(
        forecaster,
        tag,
        since,
        until,
        bins if bins == "distinct" else int(bins),
        all_forecasts,
        exponent,
        include_early,
    )
    text = render(build_report(session.db, settings), fmt)
    write_or_echo(text, output)
