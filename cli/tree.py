"""``forecastle tree``: argument trees (add, link, move, status) and their exports (show)."""

from __future__ import annotations

import click

from arguments.tree_store import add_node, link_evidence, move_node, set_status
from questions.session import Session

from .support import ForecastleGroup, pass_session


@click.group(cls=ForecastleGroup)
def tree() -> None:
    """Argument trees: pro/con claims with evidence as leaves."""


@tree.command("add")
@click.argument("question")
@click.argument("text")
@click.option("--under", help="Parent node (default: the question itself).")
@click.option(
    "--supports",
    "stance",
    flag_value="supports",
    default=True,
    help="Supports its parent (default).",
)
@click.option("--attacks", "stance", flag_value="attacks", help="Attacks its parent.")
@click.option("--outcome", help="The outcome it argues about (multi-outcome questions).")
@pass_session
def tree_add(
    session: Session, question: str, text: str, under: str | None, stance: str, outcome: str | None
) -> None:
    """Add a claim; prints its id (N1, ...)."""
    node = add_node(
        session.db, question, text, by=session.user, under=under, stance=stance, outcome=outcome
    )
    click.echo(node.short_id)


@tree.command("link")
@click.argument("node")
@click.argument("eid")
@pass_session
def tree_link(session: Session, node: str, eid: str) -> None:
    """Hang evidence EID under NODE."""
    linked = link_evidence(session.db, node, eid, by=session.user)
    click.echo(f"{linked.short_id}: {', '.join(f'E{e}' for e in linked.evidence)}")


@tree.command("move")
@click.argument("node")
@click.option("--under", help="New parent node (none: under the question).")
@pass_session
def tree_move(session: Session, node: str, under: str | None) -> None:
    """Move NODE under another node."""
    moved = move_node(session.db, node, under, by=session.user)
    click.echo(
        f"{moved.short_id}: under {'N' + str(moved.parent_id) if moved.parent_id else 'the question'}"
    )


@tree.command("status")
@click.argument("node")
@click.argument("status", type=click.Choice(["draft", "in review", "approved", "challenged"]))
@pass_session
def tree_status(session: Session, node: str, status: str) -> None:
    """Set a node's review status."""
    done = set_status(session.db, node, status, by=session.user)
    click.echo(f"{done.short_id}: {done.status} ({done.status_by})")


@tree.command("show")
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
