"""``forecastle diff A B``: what changed, per question, and what it does to the model."""

from __future__ import annotations

import click

from questions.errors import ForecastleError

from .support import emit_json, one_line


@click.command("diff")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md"]),
    default="text",
    show_default=True,
    help="md: Markdown to paste into a pull request description.",
)
def diff_cmd(a: str, b: str, as_json: bool, fmt: str) -> None:
    """Compare two workspaces: each a workspace file, a bundle, a text directory, or git:REV (the
    text directory here at a revision; git:REV:DIR names the directory). Per question: priors,
    evidence (LR 2.5 → 3.0, by whom), tree nodes and review status, forecasts, resolutions, and
    the posterior before → after. Exit 0 when equal, 1 when they differ, 2 on error."""
    from forecast.diff.compare import compare_files
    from forecast.diff.render import as_markdown, as_text
    from forecast.diff.sides import side_files

    try:
        diff = compare_files(side_files(a), side_files(b), a, b)
    except ForecastleError as exc:
        click.echo(one_line(f"error: {exc}"), err=True)
        raise SystemExit(2) from None
    if as_json:
        emit_json(diff.as_dict())
    else:
        click.echo(as_markdown(diff) if fmt == "md" else as_text(diff), nl=False)
    raise SystemExit(0 if diff.equal else 1)
