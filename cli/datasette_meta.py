"""``forecastle datasette-metadata``: Datasette metadata for the workspace."""

from __future__ import annotations

import click

from forecast.exchange.datasette import as_yaml, metadata
from questions.session import Session

from .support import emit_json, pass_session


@click.command("datasette-metadata")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of YAML.")
@click.option("--name", help="Database name in Datasette (default: the workspace file's stem).")
@pass_session
def datasette_metadata_cmd(session: Session, as_json: bool, name: str | None) -> None:
    """Print Datasette metadata (table and column descriptions, facets, canned queries):
    forecastle datasette-metadata > metadata.yml && datasette workspace.db -m metadata.yml"""
    data = metadata(name or session.path.stem)
    if as_json:
        emit_json(data)
    else:
        click.echo(as_yaml(data))
