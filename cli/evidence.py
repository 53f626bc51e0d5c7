"""``forecastle evidence``: add, edit, remove, list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from arguments import evidence_store
from arguments.evidence import EvidenceInputs, evidence_summary
from questions.row_ids import row_number
from questions.session import Session
from questions.store import get_question

from .numeric_verbs import evidence_form_options, numeric_form_from_options
from .support import (
    ROW_NUMBER,
    ForecastleGroup,
    emit_json,
    parse_floats,
    pass_session,
    recorded,
    table,
    write_verb,
)


def _evidence_ref(value: str | None) -> int | None:
    if value is None:
        return None
    number = row_number(value, "E")
    if number is None:
        raise click.BadParameter(
            f"{value!r} is not an evidence id such as E3", param_hint="--depends-on"
        )
    return number


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
@evidence_form_options
@write_verb
@pass_session
def evidence_add(session: Session, question: str, text: str, as_json: bool, **options: Any) -> None:
    """Add evidence to QUESTION; prints its id (E1, ...). On a numeric or date question: --above
    X, --below X or --between A B with --lr, or --measured VALUE --sd S."""
    form = numeric_form_from_options(session, question, options)
    if form is not None:
        from arguments.numeric_evidence import add_numeric_evidence

        item = add_numeric_evidence(
            session.db,
            question,
            inputs_from_options(options, text),
            form,
            passage=options.get("passage"),
            by=session.user,
        )
        recorded(as_json, _item_json(session, item), item.short_id)
        return
    inputs = _apply_ratings(
        session, question, inputs_from_options(options, text), options.get("ratings")
    )
    item = evidence_store.add_anchored_evidence(
        session.db, question, inputs, passage=options.get("passage"), by=session.user
    )
    recorded(as_json, _item_json(session, item), item.short_id)


@evidence.command("edit")
@click.argument("eid")
@click.option("--text", help="New statement text.")
@evidence_options
@click.option("--no-range", is_flag=True, help="Drop the 90% range.")
@click.option("--no-depends-on", is_flag=True, help="Drop the dependence.")
@click.option(
    "--expect-version", type=ROW_NUMBER, help="Refuse if the item changed since this version."
)
@write_verb
@pass_session
def evidence_edit(
    session: Session,
    eid: str,
    text: str | None,
    expect_version: int | None,
    as_json: bool,
    **options: Any,
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
    recorded(as_json, _item_json(session, item), f"{item.short_id}: version {item.version}")


@evidence.command("remove")
@click.argument("eid")
@write_verb
@pass_session
def evidence_remove(session: Session, eid: str, as_json: bool) -> None:
    """Remove an item from the model (kept in the timeline)."""
    item = evidence_store.remove_evidence(session.db, eid, by=session.user)
    recorded(as_json, _item_json(session, item), f"{item.short_id}: removed")


def _item_json(session: Session, item: Any) -> dict[str, Any]:
    """An item as ``evidence list --json`` shows it."""
    return evidence_summary(item, get_question(session.db, item.question_id).kind)


@evidence.command("list")
@click.argument("question")
@click.option("--all", "include_removed", is_flag=True, help="Include removed items.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def evidence_list(session: Session, question: str, include_removed: bool, as_json: bool) -> None:
    """List a question's evidence."""
    kind = get_question(session.db, question).kind
    items = evidence_store.list_evidence(session.db, question, include_removed=include_removed)
    if as_json:
        emit_json([evidence_summary(i, kind) for i in items])
        return
    if not items:
        click.echo("no evidence")
        return
    if kind in ("numeric", "date"):
        from arguments.numeric_evidence import form_text

        shown = {i.id: form_text(session.db, i.id) for i in items}
    rows = [
        [
            i.short_id,
            shown[i.id]
            if kind in ("numeric", "date")
            else f"{i.lr:.3g}"
            if kind == "binary"
            else ",".join(f"{v:g}" for v in i.likelihoods),
            f"{i.credibility:g}",
            i.group or "",
            "removed" if i.removed_at else "",
            i.text[:60],
        ]
        for i in items
    ]
    click.echo(
        table(
            rows,
            [
                "id",
                {"binary": "LR", "multi": "likelihoods"}.get(kind, "form"),
                "cred",
                "group",
                "",
                "text",
            ],
        )
    )
