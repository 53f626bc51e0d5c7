"""``forecastle git``: set a repository up for text directories, and the commands git runs."""

from __future__ import annotations

from pathlib import Path

import click

from .support import ForecastleGroup


@click.group("git", cls=ForecastleGroup)
def git_group() -> None:
    """Keep a text directory (``export text``) in git: semantic diffs and a three-way merge."""


@git_group.command("install")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def git_install_cmd(directory: Path) -> None:
    """Write DIRECTORY/.gitattributes and this clone's git config: `git diff` shows questions with
    their posteriors (textconv) and `git merge` merges question files with the bundle's rules."""
    from forecast.diff.git_setup import install

    for line in install(directory):
        click.echo(line)


@git_group.command("textconv", hidden=True)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def git_textconv_cmd(file: Path) -> None:
    """What git shows of a question file (run by git)."""
    from forecast.diff.textconv import question_view

    text = file.read_text(encoding="utf-8", errors="replace")
    click.echo(question_view(text, str(file)), nl=False)


@git_group.command("merge-driver", hidden=True)
@click.argument("base", type=click.Path(exists=True, dir_okay=False))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False))
@click.argument("name")
def git_merge_driver_cmd(base: str, ours: str, theirs: str, name: str) -> None:
    """Merge a text directory's file three-way (run by git: %O %A %B %P)."""
    from forecast.exchange.text.git_merge import merge_driver

    raise SystemExit(merge_driver(base, ours, theirs, name))
