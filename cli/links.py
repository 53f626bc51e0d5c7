"""``forecastle indicator`` (indicator questions whose resolution becomes evidence on a parent)
and ``forecastle whatif`` (hypothetical resolutions followed through the links; writes nothing)."""

from __future__ import annotations

from typing import Any

import click

from questions.session import Session

from .support import (
    ForecastleGroup,
    emit_json,
    parse_floats,
    pass_session,
    recorded,
    table,
    write_verb,
)


@click.group(cls=ForecastleGroup)
def indicator() -> None:
    """Indicators: binary questions whose resolution is evidence on another question."""


@indicator.command("add")
@click.argument("parent")
@click.argument("child")
@click.option(
    "--likelihoods",
    required=True,
    help="P(CHILD = Yes | each outcome of PARENT), each strictly between 0 and 1: 0.6,0.2.",
)
@click.option("--credibility", type=float, default=1.0, show_default=True, help="c in [0, 1].")
@click.option("--group", help="Redundancy group of PARENT's evidence the item joins.")
@write_verb
@pass_session
def indicator_add(
    session: Session,
    parent: str,
    child: str,
    likelihoods: str,
    credibility: float,
    group: str | None,
    as_json: bool,
) -> None:
    """Make binary question CHILD an indicator for PARENT's outcomes."""
    from arguments.indicators import add_indicator

    values = parse_floats(likelihoods, field_name="--likelihoods")
    made = add_indicator(
        session.db,
        parent,
        child,
        values,
        by=session.user,
        credibility=credibility,
        group=group,
    )
    recorded(
        as_json,
        {
            "parent": f"Q{made.parent_id}",
            "child": f"Q{made.child_id}",
            "likelihoods": list(made.likelihoods),
            "credibility": made.credibility,
            "group": made.group,
        },
        f"Q{made.child_id} is an indicator for Q{made.parent_id}",
    )


@indicator.command("list")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def indicator_list(session: Session, question: str | None, as_json: bool) -> None:
    """List indicators (of one QUESTION as parent or child, or all)."""
    from arguments.indicators import indicators_for
    from questions.store import question_id

    found = indicators_for(session.db)
    if question:
        qid = question_id(session.db, question)
        found = [i for i in found if qid in (i.parent_id, i.child_id)]
    rows: list[dict[str, Any]] = [
        {
            "parent": f"Q{i.parent_id}",
            "child": f"Q{i.child_id}",
            "likelihoods": list(i.likelihoods),
            "credibility": i.credibility,
            "group": i.group,
        }
        for i in found
    ]
    if as_json:
        emit_json(rows)
        return
    click.echo(
        table(
            [
                [
                    r["parent"],
                    r["child"],
                    ",".join(f"{a:g}" for a in r["likelihoods"]),
                    f"{r['credibility']:g}",
                    r["group"] or "",
                ]
                for r in rows
            ],
            ["parent", "indicator", "likelihoods", "cred", "group"],
        )
        if rows
        else "no indicators"
    )


@click.command("whatif")
@click.argument("assignments", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def whatif_cmd(session: Session, assignments: tuple[str, ...], as_json: bool) -> None:
    """Resolve questions hypothetically (Q9=Yes Q3=No ...) and show every linked question's model
    posterior and each forecaster's implied forecast before and after. Writes nothing."""
    from forecast.engine.whatif import parse_assignments, whatif
    from forecast.views.whatif import render_whatif_text

    result = whatif(session.db, parse_assignments(session.db, list(assignments)))
    if as_json:
        emit_json(result)
    else:
        click.echo(render_whatif_text(result))
