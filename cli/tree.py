"""``forecastle tree``: argument trees (add, link, move, status) and their exports (show)."""

from __future__ import annotations

from typing import Any

import click

from arguments.tree_store import Node, add_node, link_evidence, move_node, set_status
from questions.session import Session

from .support import ForecastleGroup, pass_session, recorded, write_verb


def _node_json(node: Node) -> dict[str, Any]:
    """A claim as recorded: its id, place in the tree, stance, review status and evidence."""
    return {
        "id": node.short_id,
        "question": f"Q{node.question_id}",
        "parent": f"N{node.parent_id}" if node.parent_id else None,
        "outcome": node.outcome,
        "stance": node.stance,
        "text": node.text,
        "status": node.status,
        "status_by": node.status_by,
        "status_at": node.status_at,
        "author": node.author,
        "version": node.version,
        "evidence": [f"E{e}" for e in node.evidence],
    }


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
@write_verb
@pass_session
def tree_add(
    session: Session,
    question: str,
    text: str,
    under: str | None,
    stance: str,
    outcome: str | None,
    as_json: bool,
) -> None:
    """Add a claim; prints its id (N1, ...)."""
    node = add_node(
        session.db, question, text, by=session.user, under=under, stance=stance, outcome=outcome
    )
    recorded(as_json, _node_json(node), node.short_id)


@tree.command("link")
@click.argument("node")
@click.argument("eid")
@write_verb
@pass_session
def tree_link(session: Session, node: str, eid: str, as_json: bool) -> None:
    """Hang evidence EID under NODE."""
    linked = link_evidence(session.db, node, eid, by=session.user)
    recorded(
        as_json,
        _node_json(linked),
        f"{linked.short_id}: {', '.join(f'E{e}' for e in linked.evidence)}",
    )


@tree.command("move")
@click.argument("node")
@click.option("--under", help="New parent node (none: under the question).")
@write_verb
@pass_session
def tree_move(session: Session, node: str, under: str | None, as_json: bool) -> None:
    """Move NODE under another node."""
    moved = move_node(session.db, node, under, by=session.user)
    parent = f"N{moved.parent_id}" if moved.parent_id else "the question"
    recorded(as_json, _node_json(moved), f"{moved.short_id}: under {parent}")


@tree.command("status")
@click.argument("node")
@click.argument("status", type=click.Choice(["draft", "in review", "approved", "challenged"]))
@write_verb
@pass_session
def tree_status(session: Session, node: str, status: str, as_json: bool) -> None:
    """Set a node's review status."""
    done = set_status(session.db, node, status, by=session.user)
    recorded(as_json, _node_json(done), f"{done.short_id}: {done.status} ({done.status_by})")


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
