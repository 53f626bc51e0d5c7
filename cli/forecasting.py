"""``forecastle forecast``, ``resolve`` and ``unresolve``: forecasts and resolutions."""

from __future__ import annotations

import click

from questions import store
from questions.errors import InvalidInput
from questions.session import Session

from .support import parse_floats, pass_session


@click.command("forecast")
@click.argument("ref")
@click.argument("probability", required=False, type=float)
@click.option("--probs", help="One probability per outcome: 0.2,0.5,0.3 (multi-outcome questions).")
@click.option("--by", help="Forecaster (default: --as, FORECASTLE_USER, login name).")
@click.option("--at", "made_at", help="When (ISO 8601; default now).")
@click.option("--rationale", default="", help="Why.")
@click.option(
    "--recalibrated",
    is_flag=True,
    help="Record the value recalibrated from your own track record instead (binary questions).",
)
@pass_session
def forecast_cmd(
    session: Session,
    ref: str,
    probability: float | None,
    probs: str | None,
    by: str | None,
    made_at: str | None,
    rationale: str,
    recalibrated: bool,
) -> None:
    """Record a forecast: P(Yes) for a binary question, or --probs for a multi-outcome one.

    For a binary question, one line first says how your forecasts near this one have come true
    and what recalibration from your track record suggests; --recalibrated takes it."""
    if probability is None and probs is None:
        raise click.UsageError("give P(Yes) (e.g. 0.7) or --probs 0.2,0.5,0.3")
    vector = parse_floats(probs, field_name="--probs") if probs else None
    forecaster = by or session.user
    took = False
    if probability is not None and 0.0 <= probability <= 1.0:
        suggested = _suggest(session, ref, forecaster, probability, made_at)
        if recalibrated:
            if suggested is None:
                raise InvalidInput("--recalibrated: there is no recalibration to take yet")
            probability, took = suggested, True
    elif recalibrated:
        raise InvalidInput("--recalibrated: give P(Yes) for a binary question")
    recorded = store.record_forecast(
        session.db,
        ref,
        forecaster=forecaster,
        p_yes=probability,
        probs=vector,
        made_at=made_at,
        rationale=rationale,
        took_recalibration=took,
    )
    shown = " / ".join(f"{p:.3f}" for p in recorded.probs)
    taken = " (recalibrated, as suggested)" if took else ""
    click.echo(f"Q{recorded.question_id}: {recorded.forecaster} {shown} at {recorded.made_at}{taken}")


def _suggest(
    session: Session, ref: str, forecaster: str, p: float, made_at: str | None
) -> float | None:
    """Echo the recalibration line for a binary question; the recalibrated value, if any."""
    from forecast.scoring.recalibration import suggestion
    from forecast.scoring.track_record import track_record
    from questions import clock

    if store.get_question(session.db, ref).kind != "binary":
        return None
    before = clock.parse_iso(made_at, field="at") if made_at else clock.now_iso()
    record = track_record(session.db, forecaster, before=before)
    line, value = suggestion(p, record.p, record.outcome)
    click.echo(line)
    return value


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
