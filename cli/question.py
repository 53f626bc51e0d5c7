"""``forecastle question``: add, edit, duplicate, remove, restore, list and show (with the model:
posterior, interval, evidence weights, sensitivity, timeline, edit history)."""

from __future__ import annotations

import click

from questions import clock, store
from questions.models import QuestionDraft, checked
from questions.records import STATUS_FILTERS
from questions.session import Session
from questions.summary import question_summary

from .numeric_verbs import PRIOR, add_numeric_question, range_options
from .support import (
    ROW_NUMBER,
    ForecastleGroup,
    emit_json,
    pass_session,
    recorded,
    table,
    write_verb,
)


@click.group(cls=ForecastleGroup)
def question() -> None:
    """Questions and their outcomes."""


@question.command("add")
@click.argument("title")
@click.option(
    "--outcome", "outcomes", multiple=True, help="An outcome name (repeat; none = Yes/No)."
)
@click.option(
    "--prior",
    "priors",
    multiple=True,
    type=PRIOR,
    help="P(Yes), or one weight per outcome; a numeric question: uniform (default) or team.",
)
@click.option("--opens", help="Open date (ISO 8601).")
@click.option("--closes", help="Close date (ISO 8601).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat).")
@click.option("--criteria", default="", help="Resolution criteria.")
@click.option("--description", default="", help="Background.")
@range_options
@write_verb
@pass_session
def question_add(
    session: Session,
    title: str,
    outcomes: tuple[str, ...],
    priors: tuple[float | str, ...],
    opens: str | None,
    closes: str | None,
    tags: tuple[str, ...],
    criteria: str,
    description: str,
    numeric: tuple[float, float] | None,
    date_range: tuple[str, str] | None,
    unit: str,
    log_scale: bool,
    open_lower: bool,
    open_upper: bool,
    as_json: bool,
) -> None:
    """Add a question; prints its id (Q1, Q2, ...). With --numeric LO HI or --date LO HI, a
    question whose answer is a value in that range."""
    numeric_prior = [p for p in priors if isinstance(p, str)]
    if numeric_prior and not (numeric or date_range):
        raise click.UsageError(f"--prior {numeric_prior[0]}: only for a numeric or date question")
    if numeric or date_range:
        if outcomes or len(numeric_prior) != len(priors) or len(priors) > 1:
            raise click.UsageError(
                "--outcome/--prior P: for categorical questions (a numeric one takes --prior"
                " uniform or --prior team)"
            )
    draft = checked(
        QuestionDraft,
        title=title,
        outcome_names=list(outcomes),
        priors=[p for p in priors if not isinstance(p, str)],
        opens_at=clock.parse_iso(opens, field="opens") if opens else None,
        closes_at=clock.parse_iso(closes, field="closes") if closes else None,
        tags=list(tags),
        criteria=criteria,
        description=description,
    )
    if numeric or date_range:
        add_numeric_question(
            session,
            draft,
            numeric,
            date_range,
            unit,
            log_scale,
            open_lower,
            open_upper,
            as_json,
            prior=numeric_prior[0] if numeric_prior else "uniform",
        )
        return
    created = store.add_question(session.db, draft, author=session.user)
    recorded(as_json, question_summary(created), created.short_id)


@question.command("list")
@click.option("--status", type=click.Choice(STATUS_FILTERS), default="open", show_default=True)
@click.option("--tag", help="Only questions with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def question_list(session: Session, status: str, tag: str | None, as_json: bool) -> None:
    """List questions."""
    questions = store.list_questions(session.db, status=status, tag=tag)
    if as_json:
        emit_json([question_summary(q) for q in questions])
        return
    if not questions:
        click.echo(f"no {status if status != 'all' else ''} questions".replace("  ", " "))
        return
    rows = [
        [q.short_id, q.status, q.kind, (q.closes_at or "")[:10], ",".join(q.tags), q.title[:60]]
        for q in questions
    ]
    click.echo(table(rows, ["id", "status", "kind", "closes", "tags", "title"]))


@question.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--incoherence",
    type=float,
    help="Log-odds gap that flags direct vs implied forecasts as incoherent "
    "(default: FORECASTLE_INCOHERENCE_LOGODDS, else 0.5).",
)
@pass_session
def question_show(session: Session, ref: str, as_json: bool, incoherence: float | None) -> None:
    """Show a question: outcomes with prior, posterior and 90% interval; evidence with weights;
    sensitivity, warnings, timeline; forecasts; resolution."""
    if store.get_question(session.db, ref).kind in ("numeric", "date"):
        from forecast.views.numeric_question import numeric_show_data, render_numeric_text

        shown = numeric_show_data(session.db, ref)
        emit_json(shown) if as_json else click.echo(render_numeric_text(shown))
        return
    from forecast.views.question import (  # numpy/scipy: only when needed
        question_show_data,
        render_show_text,
    )

    data = question_show_data(session.db, ref, incoherence=incoherence)
    if as_json:
        emit_json(data)
    else:
        click.echo(render_show_text(data))


@question.command("edit")
@click.argument("ref")
@click.option("--title", help="New title.")
@click.option("--description", help="New background.")
@click.option("--criteria", help="New resolution criteria.")
@click.option("--closes", help="New close date (ISO 8601; '' clears it).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat; replaces all tags).")
@click.option("--no-tags", is_flag=True, help="Remove every tag.")
@click.option(
    "--outcome", "outcomes", multiple=True, help="Outcome names in order (repeat; renames them)."
)
@click.option(
    "--prior",
    "numeric_prior",
    type=click.Choice(["uniform", "team"]),
    help="A numeric/date question's model prior: uniform in its scale, or the team's linear pool.",
)
@click.option(
    "--expect-version", type=ROW_NUMBER, help="Refuse if the question changed since this version."
)
@write_verb
@pass_session
def question_edit(
    session: Session,
    ref: str,
    title: str | None,
    description: str | None,
    criteria: str | None,
    closes: str | None,
    tags: tuple[str, ...],
    no_tags: bool,
    outcomes: tuple[str, ...],
    numeric_prior: str | None,
    expect_version: int | None,
    as_json: bool,
) -> None:
    """Edit a question (the state before is kept in its history)."""
    from questions.edit import edit_question

    if numeric_prior is not None:
        from questions.numeric_store import set_numeric_prior

        changed = set_numeric_prior(
            session.db, ref, numeric_prior, by=session.user, expected_version=expect_version
        )
        expect_version = None if expect_version is None else changed.version
        others = (title, description, criteria, closes, tags, no_tags, outcomes)
        if not any(others):
            recorded(
                as_json, question_summary(changed), f"{changed.short_id}: version {changed.version}"
            )
            return
    changed = edit_question(
        session.db,
        ref,
        by=session.user,
        expected_version=expect_version,
        title=title,
        description=description,
        criteria=criteria,
        closes_at=closes,
        tags=[] if no_tags else (list(tags) or None),
        outcome_names=list(outcomes) or None,
    )
    recorded(as_json, question_summary(changed), f"{changed.short_id}: version {changed.version}")


@question.command("duplicate")
@click.argument("ref")
@write_verb
@pass_session
def question_duplicate(session: Session, ref: str, as_json: bool) -> None:
    """Copy a question's words, outcomes, priors, tags and dates into a new question."""
    from questions.edit import duplicate_question

    copy = duplicate_question(session.db, ref, by=session.user)
    recorded(as_json, question_summary(copy), copy.short_id)


@question.command("remove")
@click.argument("ref")
@click.option(
    "--expect-version", type=ROW_NUMBER, help="Refuse if the question changed since this version."
)
@write_verb
@pass_session
def question_remove(session: Session, ref: str, expect_version: int | None, as_json: bool) -> None:
    """Soft-remove a question: it leaves lists and scores (`question restore` brings it back)."""
    from questions.edit import remove_question

    gone = remove_question(session.db, ref, by=session.user, expected_version=expect_version)
    recorded(as_json, question_summary(gone), f"{gone.short_id}: removed")


@question.command("restore")
@click.argument("ref")
@write_verb
@pass_session
def question_restore(session: Session, ref: str, as_json: bool) -> None:
    """Bring back a removed question."""
    from questions.edit import restore_question

    back = restore_question(session.db, ref, by=session.user)
    recorded(as_json, question_summary(back), f"{back.short_id}: restored")
