"""Links between questions: ``forecastle condition`` / ``conditions`` (CHILD forecast given each
outcome of PARENT), ``forecastle indicator`` (indicator questions whose resolution becomes
evidence on a parent) and ``forecastle whatif`` (hypothetical resolutions followed through the
links; writes nothing)."""

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


@click.command("condition")
@click.argument("child")
@click.option("--on", "parent", required=True, help="The PARENT question CHILD is conditional on.")
@click.option(
    "--remove",
    is_flag=True,
    help="Withdraw the condition instead (refused while it holds conditional forecasts).",
)
@write_verb
@pass_session
def condition_cmd(session: Session, child: str, parent: str, remove: bool, as_json: bool) -> None:
    """Declare that CHILD may be forecast given each outcome of PARENT (--remove: withdraw it)."""
    from questions import store
    from questions.conditions import add_condition, remove_condition

    c, p = store.get_question(session.db, child), store.get_question(session.db, parent)
    if remove:
        remove_condition(session.db, c.id, p.id, by=session.user)
        recorded(
            as_json,
            {"child": c.short_id, "parent": p.short_id, "removed": True},
            f"{c.short_id} is no longer conditional on {p.short_id}",
        )
        return
    added = add_condition(session.db, child, parent, by=session.user)
    recorded(
        as_json,
        {"child": c.short_id, "parent": p.short_id, "added": added},
        f"{c.short_id} is conditional on {p.short_id}" + ("" if added else " (already)"),
    )


@click.command("conditions")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def conditions_cmd(session: Session, question: str | None, as_json: bool) -> None:
    """List conditions (of one QUESTION as child or parent, or all)."""
    from questions.conditions import condition_rows
    from questions.store import question_id

    rows = condition_rows(session.db, question_id(session.db, question) if question else None)
    if as_json:
        emit_json(rows)
        return
    click.echo(
        table(
            [
                [
                    str(r["child"]),
                    str(r["parent"]),
                    str(r["conditional_forecasts"]),
                    str(r["created_by"]),
                ]
                for r in rows
            ],
            ["child", "on", "conditional forecasts", "by"],
        )
        if rows
        else "no conditions"
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


@indicator.command("remove")
@click.argument("parent")
@click.argument("child")
@write_verb
@pass_session
def indicator_remove(session: Session, parent: str, child: str, as_json: bool) -> None:
    """Stop CHILD being an indicator for PARENT (its evidence item, if CHILD resolved, is removed
    from PARENT with its history kept)."""
    from arguments.indicators import remove_indicator

    gone, items = remove_indicator(session.db, parent, child, by=session.user)
    recorded(
        as_json,
        {
            "parent": f"Q{gone.parent_id}",
            "child": f"Q{gone.child_id}",
            "removed": True,
            "evidence_removed": items,
        },
        f"Q{gone.child_id} is no longer an indicator for Q{gone.parent_id}"
        + (f" ({', '.join(items)} removed from Q{gone.parent_id})" if items else ""),
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
