"""Team review: ``comment``, ``comments``, ``review``, ``challenge``, ``accept``, ``reject`` and
``resolve-thread``."""

from __future__ import annotations

from typing import Any

import click

from arguments.review_store import (
    accept_challenge,
    add_comment,
    challenge,
    comments_for,
    reject_challenge,
    resolve_thread,
    set_review_status,
)
from questions.session import Session

from .support import ROW_NUMBER, emit_json, parse_floats, pass_session, recorded, write_verb


def _challenge_json(made: Any) -> dict[str, Any]:
    return {
        **made.__dict__,
        "id": made.short_id,
        "evidence": f"E{made.evidence_id}",
        "question": f"Q{made.question_id}",
        "likelihoods": list(made.likelihoods),
    }


@click.command("comment")
@click.argument("target")
@click.argument("text")
@click.option("--reply-to", type=ROW_NUMBER, help="The comment this answers (a thread).")
@write_verb
@pass_session
def comment_cmd(
    session: Session, target: str, text: str, reply_to: int | None, as_json: bool
) -> None:
    """Comment on a question (Q3), an outcome (Q3/Yes), evidence (E4) or a tree node (N2)."""
    made = add_comment(session.db, target, text, by=session.user, reply_to=reply_to)
    recorded(as_json, made.__dict__, f"comment {made.id} on {made.target}")


@click.command("comments")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def comments_cmd(session: Session, question: str, as_json: bool) -> None:
    """List a question's comment threads."""
    found = comments_for(session.db, question)
    if as_json:
        emit_json([c.__dict__ for c in found])
        return
    for c in found:
        indent = "    " if c.parent_id else ""
        click.echo(f"{indent}#{c.id} {c.target} {c.author} {c.created_at}: {c.body}")


@click.command("review")
@click.argument("target")
@click.argument("status", type=click.Choice(["draft", "in review", "approved", "challenged"]))
@write_verb
@pass_session
def review_cmd(session: Session, target: str, status: str, as_json: bool) -> None:
    """Set the review status of evidence (E4) or a tree node (N2)."""
    said = set_review_status(session.db, target, status, by=session.user)
    data = {"target": target.strip().upper(), "status": status, "by": session.user}
    recorded(as_json, data, said)


@click.command("challenge")
@click.argument("eid")
@click.option("--lr", type=float, help="The likelihood ratio you propose (binary).")
@click.option("--likelihoods", help="The likelihoods you propose, one per outcome.")
@click.option("--reason", required=True, help="Why.")
@write_verb
@pass_session
def challenge_cmd(
    session: Session,
    eid: str,
    lr: float | None,
    likelihoods: str | None,
    reason: str,
    as_json: bool,
) -> None:
    """Challenge an evidence item's likelihoods; prints the challenge id (C1, ...)."""
    made = challenge(
        session.db,
        eid,
        by=session.user,
        reason=reason,
        lr=lr,
        likelihoods=parse_floats(likelihoods, field_name="--likelihoods") if likelihoods else None,
    )
    recorded(as_json, _challenge_json(made), made.short_id)


@click.command("accept")
@click.argument("challenge_id")
@write_verb
@pass_session
def accept_cmd(session: Session, challenge_id: str, as_json: bool) -> None:
    """Accept a challenge: its likelihoods become the item's (with history)."""
    done = accept_challenge(session.db, challenge_id, by=session.user)
    now = ", ".join(f"{v:g}" for v in done.likelihoods)
    recorded(
        as_json, _challenge_json(done), f"{done.short_id}: accepted; E{done.evidence_id} now {now}"
    )


@click.command("reject")
@click.argument("challenge_id")
@click.option("--withdraw", is_flag=True, help="Withdraw your own challenge instead.")
@click.option("--reason", default="", help="Why (kept with the decision).")
@write_verb
@pass_session
def reject_cmd(
    session: Session, challenge_id: str, withdraw: bool, reason: str, as_json: bool
) -> None:
    """Reject a challenge (or withdraw your own), with a reason; the item keeps its value."""
    done = reject_challenge(
        session.db, challenge_id, by=session.user, withdraw=withdraw, reason=reason
    )
    recorded(
        as_json,
        _challenge_json(done),
        f"{done.short_id}: {done.status}; E{done.evidence_id} keeps its value",
    )


@click.command("resolve-thread")
@click.argument("comment_id", type=ROW_NUMBER)
@write_verb
@pass_session
def resolve_thread_cmd(session: Session, comment_id: int, as_json: bool) -> None:
    """Mark a comment thread resolved (its first comment and every reply)."""
    root = resolve_thread(session.db, comment_id)
    recorded(as_json, {"thread": root, "status": "resolved"}, f"thread #{root}: resolved")
