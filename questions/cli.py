"""CLI verbs of the questions layer: question add/list/show, forecast, resolve, unresolve,
import forecasts. ``register(root)`` adds them to the ``forecastle`` command."""

from __future__ import annotations

from pathlib import Path

import click

from . import clock, store
from .cli_support import (
    ForecastleGroup,
    Session,
    emit_json,
    parse_floats,
    pass_session,
    progress_printer,
    table,
)
from .csv_import import import_forecasts
from .models import QuestionDraft, checked
from .records import STATUS_FILTERS
from .summary import question_summary


@click.group(cls=ForecastleGroup)
def question() -> None:
    """Questions and their outcomes."""


@question.command("add")
@click.argument("title")
@click.option(
    "--outcome", "outcomes", multiple=True, help="An outcome name (repeat; none = Yes/No)."
)
@click.option(
    "--prior", "priors", multiple=True, type=float, help="P(Yes), or one weight per outcome."
)
@click.option("--opens", help="Open date (ISO 8601).")
@click.option("--closes", help="Close date (ISO 8601).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat).")
@click.option("--criteria", default="", help="Resolution criteria.")
@click.option("--description", default="", help="Background.")
@pass_session
def question_add(
    session: Session,
    title: str,
    outcomes: tuple[str, ...],
    priors: tuple[float, ...],
    opens: str | None,
    closes: str | None,
    tags: tuple[str, ...],
    criteria: str,
    description: str,
) -> None:
    """Add a question; prints its id (Q1, Q2, ...)."""
    draft = checked(
        QuestionDraft,
        title=title,
        outcome_names=list(outcomes),
        priors=list(priors),
        opens_at=clock.parse_iso(opens, field="opens") if opens else None,
        closes_at=clock.parse_iso(closes, field="closes") if closes else None,
        tags=list(tags),
        criteria=criteria,
        description=description,
    )
    created = store.add_question(session.db, draft, author=session.user)
    click.echo(created.short_id)


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


@click.command("forecast")
@click.argument("ref")
@click.argument("probability", required=False, type=float)
@click.option("--probs", help="One probability per outcome: 0.2,0.5,0.3 (multi-outcome questions).")
@click.option("--by", help="Forecaster (default: --as, FORECASTLE_USER, login name).")
@click.option("--at", "made_at", help="When (ISO 8601; default now).")
@click.option("--rationale", default="", help="Why.")
@pass_session
def forecast_cmd(
    session: Session,
    ref: str,
    probability: float | None,
    probs: str | None,
    by: str | None,
    made_at: str | None,
    rationale: str,
) -> None:
    """Record a forecast: P(Yes) for a binary question, or --probs for a multi-outcome one."""
    if probability is None and probs is None:
        raise click.UsageError("give P(Yes) (e.g. 0.7) or --probs 0.2,0.5,0.3")
    vector = parse_floats(probs, field_name="--probs") if probs else None
    recorded = store.record_forecast(
        session.db,
        ref,
        forecaster=by or session.user,
        p_yes=probability,
        probs=vector,
        made_at=made_at,
        rationale=rationale,
    )
    shown = " / ".join(f"{p:.3f}" for p in recorded.probs)
    click.echo(f"Q{recorded.question_id}: {recorded.forecaster} {shown} at {recorded.made_at}")


@click.command("resolve")
@click.argument("ref")
@click.argument("outcome", required=False)
@click.option("--annul", is_flag=True, help="Annul instead: the question will not be scored.")
@click.option("--at", "at", help="Resolution date (ISO 8601; default now).")
@pass_session
def resolve_cmd(
    session: Session, ref: str, outcome: str | None, annul: bool, at: str | None
) -> None:
    """Resolve a question to OUTCOME, or annul it."""
    if annul == (outcome is not None):
        raise click.UsageError("give an OUTCOME or --annul (not both)")
    if annul:
        done = store.annul(session.db, ref, by=session.user, at=at)
        click.echo(f"{done.short_id}: annulled")
    else:
        assert outcome is not None
        done = store.resolve(session.db, ref, outcome, by=session.user, at=at)
        click.echo(f"{done.short_id}: resolved {done.resolved_outcome} at {done.resolved_at}")


@click.command("unresolve")
@click.argument("ref")
@pass_session
def unresolve_cmd(session: Session, ref: str) -> None:
    """Reopen a resolved or annulled question (kept in the audit trail)."""
    done = store.unresolve(session.db, ref, by=session.user)
    click.echo(f"{done.short_id}: open")


@click.command("forecasts")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_session
def import_forecasts_cmd(session: Session, file: Path) -> None:
    """Import forecasts from a CSV file (all rows or none)."""
    summary = import_forecasts(
        session.db, file, author=session.user, progress=progress_printer("importing")
    )
    created = (
        f", {len(summary.questions_created)} new questions" if summary.questions_created else ""
    )
    click.echo(
        f"{summary.forecasts_added} forecasts added, {summary.forecasts_skipped} already present"
        f"{created}, {summary.resolutions_set} resolutions set ({summary.rows} rows)"
    )


@click.group("import", cls=ForecastleGroup)
def import_group() -> None:
    """Import forecasts, articles and bundles."""


@click.group("export", cls=ForecastleGroup)
def export_group() -> None:
    """Export bundles, argument trees and reports."""


def register(root: click.Group) -> None:
    """Add this layer's verbs to the ``forecastle`` command."""
    root.add_command(question)
    root.add_command(forecast_cmd)
    root.add_command(resolve_cmd)
    root.add_command(unresolve_cmd)
    import_group.add_command(import_forecasts_cmd)
    root.add_command(import_group)
    root.add_command(export_group)
