"""CLI verbs of the forecast layer: the model-aware ``question show``."""

from __future__ import annotations

from pathlib import Path

import click

from questions.cli_support import Session, emit_json, pass_session


@click.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def question_show(session: Session, ref: str, as_json: bool) -> None:
    """Show a question: outcomes with prior, posterior and 90% interval; evidence with weights;
    sensitivity, warnings, timeline; forecasts; resolution."""
    from forecast.views.question import (  # numpy/scipy: only when needed
        question_show_data,
        render_show_text,
    )

    data = question_show_data(session.db, ref)
    if as_json:
        emit_json(data)
    else:
        click.echo(render_show_text(data))


@click.command("ach")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def ach_cmd(session: Session, question: str, as_json: bool) -> None:
    """The ACH matrix: evidence × hypotheses, inconsistency, diagnosticity, posterior."""
    from forecast.views.ach import ach_matrix
    from questions.cli_support import table

    data = ach_matrix(session.db, question)
    if as_json:
        emit_json(data)
        return
    names = [h["name"][:14] for h in data["hypotheses"]]
    rows = []
    for e in data["evidence"]:
        cells = e["ratings"] or [f"{v:.2g}" for v in e["likelihoods"]]
        rows.append([e["id"], *cells, f"{e['diagnosticity']:.1f}", e["text"][:40]])
    rows.append(
        ["inconsistency", *[f"{h['inconsistency']:.1f}" for h in data["hypotheses"]], "", ""]
    )
    rows.append(["posterior", *[f"{h['posterior']:.1%}" for h in data["hypotheses"]], "", ""])
    click.echo(f"{data['question']}  {data['title']}")
    click.echo(table(rows, ["evidence", *names, "diag dB", "text"]))
    if data["least_inconsistent"]:
        click.echo(
            f"least inconsistent (ACH): {data['least_inconsistent']}; most probable (Bayes): {data['most_probable']}"
        )


@click.command("show")
@click.argument("question")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "argdown", "json", "dot"]),
    default="text",
    show_default=True,
)
@pass_session
def tree_show(session: Session, question: str, fmt: str) -> None:
    """Show a question's argument tree with weights, as text, Markdown, Argdown, JSON or DOT."""
    from forecast.views.tree import export_tree

    click.echo(export_tree(session.db, question, fmt), nl=False if fmt != "text" else True)


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
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (default: stdout).",
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
    type=float,
    default=2.5,
    show_default=True,
    help="Exponent of the extremized aggregate.",
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
    extremize: float,
) -> None:
    """A calibration report: scores, bins, decompositions, forecasters, aggregates, attribution."""
    from forecast.reports.build import build_report
    from forecast.reports.data import ReportSettings
    from forecast.reports.render import render
    from questions.errors import InvalidInput

    if bins != "distinct" and not bins.isdigit():
        raise InvalidInput(f"bins: {bins!r} is not allowed (a whole number >= 1, or distinct)")
    settings = ReportSettings(
        forecaster,
        tag,
        since,
        until,
        bins if bins == "distinct" else int(bins),
        all_forecasts,
        extremize,
    )
    text = render(build_report(session.db, settings), fmt)
    _write_or_echo(text, output)


def _write_or_echo(text: str, output: Path | None) -> None:
    """To stdout, or atomically to ``output`` (saying so on stderr)."""
    from forecast.reports.render import write_atomically

    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(text, output)
        click.echo(f"wrote {output}", err=True)


@click.command("bundle")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (default: stdout).",
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
    _write_or_echo(text, output)


@click.command("bundle")
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


def register(root: click.Group) -> None:
    """Add this layer's verbs to the ``forecastle`` command."""
    for group_name, command in (("question", question_show), ("tree", tree_show)):
        group = root.commands[group_name]
        assert isinstance(group, click.Group)
        group.add_command(command)  # the model-aware versions
    root.add_command(ach_cmd)
    root.add_command(report_cmd)
    for group_name, command in (("import", import_bundle_cmd), ("export", export_bundle_cmd)):
        group = root.commands[group_name]
        assert isinstance(group, click.Group)
        group.add_command(command)
