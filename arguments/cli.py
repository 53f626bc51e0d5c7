"""CLI verbs of the arguments layer: evidence add/edit/remove/list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from questions.cli_support import (
    ForecastleGroup,
    Session,
    emit_json,
    parse_floats,
    pass_session,
    table,
)

from . import evidence_store
from .evidence import EvidenceInputs, evidence_summary


def _evidence_ref(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip().lstrip("Ee")
    if not text.isdigit():
        raise click.BadParameter(
            f"{value!r} is not an evidence id such as E3", param_hint="--depends-on"
        )
    return int(text)


def evidence_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options shared by ``evidence add`` and ``evidence edit``."""
    options = [
        click.option(
            "--lr", type=float, help="Likelihood ratio P(e|Yes)/P(e|No) (binary questions)."
        ),
        click.option("--likelihoods", help="One likelihood per outcome: A,B,C (multi-outcome)."),
        click.option(
            "--range",
            "range_",
            nargs=2,
            help="90% range: LO HI (binary LR), or LO,.. HI,.. per outcome.",
        ),
        click.option("--credibility", type=float, help="c in [0, 1] (default 1)."),
        click.option("--observed", help="When it was observed (ISO 8601 date)."),
        click.option("--source", help="Citation text."),
        click.option("--quote", help="Exact words from the source."),
        click.option(
            "--depends-on", "depends_on", help="Evidence id its likelihoods are conditional on."
        ),
        click.option("--group", help="Redundancy group name."),
        click.option(
            "--redundancy", type=float, help="The group's redundancy rho in [0, 1] (default 0.5)."
        ),
        click.option(
            "--ratings", help="ACH ratings per outcome: CC,C,N,I,II,NA (mapped to likelihoods)."
        ),
        click.option("--passage", help="Anchor in an imported source: SOURCE:PASSAGE, e.g. S1:4."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def inputs_from_options(options: dict[str, Any], text: str | None) -> EvidenceInputs:
    likelihoods = options.get("likelihoods")
    range_ = options.get("range_")
    low = high = None
    if range_:
        low = parse_floats(range_[0], field_name="--range")
        high = parse_floats(range_[1], field_name="--range")
    return EvidenceInputs(
        text=text,
        quote=options.get("quote"),
        source=options.get("source"),
        observed_at=options.get("observed"),
        credibility=options.get("credibility"),
        lr=options.get("lr"),
        likelihoods=parse_floats(likelihoods, field_name="--likelihoods") if likelihoods else None,
        range_low=low,
        range_high=high,
        clear_range=bool(options.get("no_range")),
        depends_on=_evidence_ref(options.get("depends_on")),
        clear_depends_on=bool(options.get("no_depends_on")),
        group=options.get("group"),
        redundancy=options.get("redundancy"),
    )


@click.group(cls=ForecastleGroup)
def evidence() -> None:
    """Evidence bearing on a question."""


def _apply_ratings(
    session: Session, question: str, inputs: EvidenceInputs, ratings: str | None
) -> EvidenceInputs:
    if not ratings:
        return inputs
    if inputs.lr is not None or inputs.likelihoods is not None:
        raise click.UsageError("give --ratings or --lr/--likelihoods, not both")
    return evidence_store.apply_ratings(session.db, question, inputs, ratings.split(","))


@evidence.command("add")
@click.argument("question")
@click.argument("text")
@evidence_options
@pass_session
def evidence_add(session: Session, question: str, text: str, **options: Any) -> None:
    """Add evidence to QUESTION; prints its id (E1, ...)."""
    inputs = _apply_ratings(
        session, question, inputs_from_options(options, text), options.get("ratings")
    )
    item = evidence_store.add_anchored_evidence(
        session.db, question, inputs, passage=options.get("passage"), by=session.user
    )
    click.echo(item.short_id)


@evidence.command("edit")
@click.argument("eid")
@click.option("--text", help="New statement text.")
@evidence_options
@click.option("--no-range", is_flag=True, help="Drop the 90% range.")
@click.option("--no-depends-on", is_flag=True, help="Drop the dependence.")
@click.option("--expect-version", type=int, help="Refuse if the item changed since this version.")
@pass_session
def evidence_edit(
    session: Session, eid: str, text: str | None, expect_version: int | None, **options: Any
) -> None:
    """Change an item (its history is kept)."""
    if options.get("passage"):
        raise click.UsageError("--passage is set when an item is added")
    current = evidence_store.get_evidence(session.db, eid)
    inputs = _apply_ratings(
        session,
        str(current.question_id),
        inputs_from_options(options, text),
        options.get("ratings"),
    )
    item = evidence_store.edit_evidence(
        session.db, eid, inputs, by=session.user, expected_version=expect_version
    )
    click.echo(f"{item.short_id}: version {item.version}")


@evidence.command("remove")
@click.argument("eid")
@pass_session
def evidence_remove(session: Session, eid: str) -> None:
    """Remove an item from the model (kept in the timeline)."""
    item = evidence_store.remove_evidence(session.db, eid, by=session.user)
    click.echo(f"{item.short_id}: removed")


@evidence.command("list")
@click.argument("question")
@click.option("--all", "include_removed", is_flag=True, help="Include removed items.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def evidence_list(session: Session, question: str, include_removed: bool, as_json: bool) -> None:
    """List a question's evidence."""
    from questions.store import get_question

    kind = get_question(session.db, question).kind
    items = evidence_store.list_evidence(session.db, question, include_removed=include_removed)
    if as_json:
        emit_json([evidence_summary(i, kind) for i in items])
        return
    if not items:
        click.echo("no evidence")
        return
    rows = [
        [
            i.short_id,
            f"{i.lr:.3g}" if kind == "binary" else ",".join(f"{v:g}" for v in i.likelihoods),
            f"{i.credibility:g}",
            i.group or "",
            "removed" if i.removed_at else "",
            i.text[:60],
        ]
        for i in items
    ]
    click.echo(
        table(
            rows, ["id", "LR" if kind == "binary" else "likelihoods", "cred", "group", "", "text"]
        )
    )


@click.command("article")
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
    from .source_store import import_article

    source = import_article(
        session.db, file, by=session.user, title=title, url=url, published=published, fmt=fmt
    )
    state = "already imported as" if source.already_present else "imported"
    click.echo(
        f"{state} {source.short_id}: {source.title} — {source.passages} passages, {source.citations} "
        f"citations of {source.works} works, {source.skipped} skipped blocks"
    )


@click.group(cls=ForecastleGroup)
def source() -> None:
    """Imported sources (articles)."""


@source.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def source_list(session: Session, as_json: bool) -> None:
    """List imported sources."""
    from .source_store import list_sources

    sources = list_sources(session.db)
    if as_json:
        emit_json([{**s.__dict__, "id": s.short_id} for s in sources])
        return
    if not sources:
        click.echo("no sources (forecastle import article FILE)")
        return
    click.echo(
        table(
            [
                [s.short_id, str(s.passages), str(s.citations), str(s.works), s.title[:60]]
                for s in sources
            ],
            ["id", "passages", "citations", "works", "title"],
        )
    )


@source.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def source_show(session: Session, ref: str, as_json: bool) -> None:
    """Show a source: passages with note markers, citations, cited works with counts, skipped text."""
    from .source_store import source_detail

    data = source_detail(session.db, ref)
    if as_json:
        emit_json(data)
        return
    lines = [f"{data['id']}  {data['title']}", ""]
    for passage in data["passages"]:
        marks = " ".join(f"[{m['label']}]→{m['note']}" for m in passage["markers"])
        lines.append(
            f"¶{passage['number']} ({passage['start']}–{passage['end']}) {passage['text'][:90]}"
            + (f"  {marks}" if marks else "")
        )
    lines.append("")
    lines.append(
        table(
            [
                [
                    str(c["number"]),
                    c["label"],
                    "ibid→" + str(c["resolves_to"]) if c["ibid"] else "",
                    c["text"][:70],
                ]
                for c in data["citations"]
            ],
            ["n", "label", "", "citation"],
        )
    )
    lines.append("")
    lines.append(
        table([[str(w["cited"]), w["title"][:80]] for w in data["sources"]], ["cited", "work"])
    )
    if data["skipped"]:
        lines.append("")
        lines += [f"skipped ({s['reason']}): {s['text'][:80]}" for s in data["skipped"]]
    click.echo("\n".join(lines))


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
    from .tree_store import add_node

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
    from .tree_store import link_evidence

    linked = link_evidence(session.db, node, eid, by=session.user)
    click.echo(f"{linked.short_id}: {', '.join(f'E{e}' for e in linked.evidence)}")


@tree.command("move")
@click.argument("node")
@click.option("--under", help="New parent node (none: under the question).")
@pass_session
def tree_move(session: Session, node: str, under: str | None) -> None:
    """Move NODE under another node."""
    from .tree_store import move_node

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
    from .tree_store import set_status

    done = set_status(session.db, node, status, by=session.user)
    click.echo(f"{done.short_id}: {done.status} ({done.status_by})")


def register(root: click.Group) -> None:
    """Add this layer's verbs to the ``forecastle`` command."""
    root.add_command(evidence)
    root.add_command(source)
    root.add_command(tree)
    import_group = root.commands["import"]
    assert isinstance(import_group, click.Group)
    import_group.add_command(import_article_cmd)
    register_review(root)


@click.command("comment")
@click.argument("target")
@click.argument("text")
@click.option("--reply-to", type=int, help="The comment this answers (a thread).")
@pass_session
def comment_cmd(session: Session, target: str, text: str, reply_to: int | None) -> None:
    """Comment on a question (Q3), an outcome (Q3/Yes), evidence (E4) or a tree node (N2)."""
    from .review_store import add_comment

    made = add_comment(session.db, target, text, by=session.user, reply_to=reply_to)
    click.echo(f"comment {made.id} on {made.target}")


@click.command("comments")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def comments_cmd(session: Session, question: str, as_json: bool) -> None:
    """List a question's comment threads."""
    from .review_store import comments_for

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
@pass_session
def review_cmd(session: Session, target: str, status: str) -> None:
    """Set the review status of evidence (E4) or a tree node (N2)."""
    from .review_store import set_review_status

    click.echo(set_review_status(session.db, target, status, by=session.user))


@click.command("challenge")
@click.argument("eid")
@click.option("--lr", type=float, help="The likelihood ratio you propose (binary).")
@click.option("--likelihoods", help="The likelihoods you propose, one per outcome.")
@click.option("--reason", required=True, help="Why.")
@pass_session
def challenge_cmd(
    session: Session, eid: str, lr: float | None, likelihoods: str | None, reason: str
) -> None:
    """Challenge an evidence item's likelihoods; prints the challenge id (C1, ...)."""
    from .review_store import challenge

    made = challenge(
        session.db,
        eid,
        by=session.user,
        reason=reason,
        lr=lr,
        likelihoods=parse_floats(likelihoods, field_name="--likelihoods") if likelihoods else None,
    )
    click.echo(made.short_id)


@click.command("accept")
@click.argument("challenge_id")
@pass_session
def accept_cmd(session: Session, challenge_id: str) -> None:
    """Accept a challenge: its likelihoods become the item's (with history)."""
    from .review_store import accept_challenge

    done = accept_challenge(session.db, challenge_id, by=session.user)
    click.echo(
        f"{done.short_id}: accepted; E{done.evidence_id} now {', '.join(f'{v:g}' for v in done.likelihoods)}"
    )


@click.command("reject")
@click.argument("challenge_id")
@click.option("--withdraw", is_flag=True, help="Withdraw your own challenge instead.")
@pass_session
def reject_cmd(session: Session, challenge_id: str, withdraw: bool) -> None:
    """Reject a challenge (or withdraw your own); the item keeps its value."""
    from .review_store import reject_challenge

    done = reject_challenge(session.db, challenge_id, by=session.user, withdraw=withdraw)
    click.echo(f"{done.short_id}: {done.status}; E{done.evidence_id} keeps its value")


@click.command("resolve-thread")
@click.argument("comment_id", type=int)
@pass_session
def resolve_thread_cmd(session: Session, comment_id: int) -> None:
    """Mark a comment thread resolved (its first comment and every reply)."""
    from .review_store import resolve_thread

    root = resolve_thread(session.db, comment_id)
    click.echo(f"thread #{root}: resolved")


def register_review(root: click.Group) -> None:
    for command in (
        comment_cmd,
        comments_cmd,
        review_cmd,
        challenge_cmd,
        accept_cmd,
        reject_cmd,
        resolve_thread_cmd,
    ):
        root.add_command(command)
