"""``forecastle forecast``, ``resolve`` and ``unresolve``: forecasts and resolutions."""

from __future__ import annotations

import click

from questions import store
from questions.errors import InvalidInput
from questions.session import Session
from questions.summary import question_summary

from .numeric_verbs import (
    distribution_options,
    record_distribution,
    resolve_to_value,
    wants_distribution,
)
from .support import parse_floats, pass_session, recorded, write_verb


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
@click.option(
    "--given",
    help="PARENT=OUTCOME: a conditional forecast (see `forecastle condition CHILD --on PARENT`).",
)
@distribution_options
@write_verb
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
    given: str | None,
    quantiles: str | None,
    normal: tuple[float, float] | None,
    lognormal: tuple[float, float] | None,
    as_json: bool,
) -> None:
    """Record a forecast: P(Yes) for a binary question, or --probs for a multi-outcome one, or a
    distribution (--quantiles, --normal, --lognormal) for a numeric or date question; with
    --given PARENT=OUTCOME, a forecast conditional on PARENT resolving to OUTCOME.

    For a binary question, one line first says how your forecasts near this one have come true
    and what recalibration from your track record suggests; --recalibrated takes it."""
    if wants_distribution(quantiles, normal, lognormal) or _is_numeric(session, ref):
        if probability is not None or probs is not None or given or recalibrated:
            raise InvalidInput(
                f"forecast: {ref} is a numeric question; it takes --quantiles, --normal or"
                " --lognormal (not P(Yes), --probs, --given or --recalibrated)"
            )
        record_distribution(
            session,
            ref,
            quantiles,
            normal,
            lognormal,
            forecaster=by or session.user,
            made_at=made_at,
            rationale=rationale,
            as_json=as_json,
        )
        return
    if probability is None and probs is None:
        raise click.UsageError("give P(Yes) (e.g. 0.7) or --probs 0.2,0.5,0.3")
    vector = parse_floats(probs, field_name="--probs") if probs else None
    if given is not None:
        if recalibrated:
            raise InvalidInput("--recalibrated: not with --given (a conditional forecast)")
        from questions.conditions import record_conditional_forecast

        conditional = record_conditional_forecast(
            session.db,
            ref,
            given=given,
            forecaster=by or session.user,
            p_yes=probability,
            probs=vector,
            made_at=made_at,
            rationale=rationale,
        )
        shown = " / ".join(f"{p:.3f}" for p in conditional.probs)
        recorded(
            as_json,
            {
                "question": f"Q{conditional.question_id}",
                "given": f"Q{conditional.parent_id}={conditional.parent_outcome}",
                "forecaster": conditional.forecaster,
                "made_at": conditional.made_at,
                "probs": conditional.probs,
                "rationale": conditional.rationale,
            },
            f"Q{conditional.question_id} given Q{conditional.parent_id}="
            f"{conditional.parent_outcome}: {conditional.forecaster} {shown} at {conditional.made_at}",
        )
        return
    forecaster = by or session.user
    took = False
    line, suggested = None, None
    if probability is not None and 0.0 <= probability <= 1.0:
        line, suggested = _suggestion(session, ref, forecaster, probability, made_at)
        if line is not None and not as_json:
            click.echo(line)
        if recalibrated:
            if suggested is None:
                raise InvalidInput("--recalibrated: there is no recalibration to take yet")
            probability, took = suggested, True
    elif recalibrated:
        raise InvalidInput("--recalibrated: give P(Yes) for a binary question")
    made = store.record_forecast(
        session.db,
        ref,
        forecaster=forecaster,
        p_yes=probability,
        probs=vector,
        made_at=made_at,
        rationale=rationale,
        took_recalibration=took,
    )
    shown = " / ".join(f"{p:.3f}" for p in made.probs)
    taken = " (recalibrated, as suggested)" if took else ""
    recorded(
        as_json,
        {
            "question": f"Q{made.question_id}",
            "forecaster": made.forecaster,
            "made_at": made.made_at,
            "probs": made.probs,
            "rationale": made.rationale,
            "recalibration": line,
            "recalibrated": suggested,
            "took_recalibration": took,
        },
        f"Q{made.question_id}: {made.forecaster} {shown} at {made.made_at}{taken}",
    )


def _suggestion(
    session: Session, ref: str, forecaster: str, p: float, made_at: str | None
) -> tuple[str | None, float | None]:
    """The recalibration line for a binary question (None for others) and the suggested value."""
    from forecast.scoring.recalibration import suggestion
    from forecast.scoring.track_record import track_record
    from questions import clock

    if store.get_question(session.db, ref).kind != "binary":
        return None, None
    before = clock.parse_iso(made_at, field="at") if made_at else clock.now_iso()
    record = track_record(session.db, forecaster, before=before)
    return suggestion(p, record.p, record.outcome)


@click.command("resolve")
@click.argument("ref")
@click.argument("outcome", required=False)
@click.option("--annul", is_flag=True, help="Annul instead: the question will not be scored.")
@click.option("--at", "at", help="Resolution date (ISO 8601; default now).")
@write_verb
@pass_session
def resolve_cmd(
    session: Session, ref: str, outcome: str | None, annul: bool, at: str | None, as_json: bool
) -> None:
    """Resolve a question to OUTCOME, or annul it."""
    if annul == (outcome is not None):
        raise click.UsageError("give an OUTCOME or --annul (not both)")
    if annul:
        done = store.annul(session.db, ref, by=session.user, at=at)
        recorded(as_json, question_summary(done), f"{done.short_id}: annulled")
    elif _is_numeric(session, ref):
        assert outcome is not None
        resolve_to_value(session, ref, outcome, at, as_json)
    else:
        assert outcome is not None
        done = store.resolve(session.db, ref, outcome, by=session.user, at=at)
        recorded(
            as_json,
            question_summary(done),
            f"{done.short_id}: resolved {done.resolved_outcome} at {done.resolved_at}",
        )


@click.command("unresolve")
@click.argument("ref")
@write_verb
@pass_session
def unresolve_cmd(session: Session, ref: str, as_json: bool) -> None:
    """Reopen a resolved or annulled question (kept in the audit trail)."""
    done = store.unresolve(session.db, ref, by=session.user)
    recorded(as_json, question_summary(done), f"{done.short_id}: open")


def _is_numeric(session: Session, ref: str) -> bool:
    return store.get_question(session.db, ref).kind in ("numeric", "date")
