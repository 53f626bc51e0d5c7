"""The numeric and date parts of ``question add``, ``forecast`` and ``resolve``: their options and
what they do, kept here so the verbs' modules only branch to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from questions.errors import InvalidInput
from questions.models import QuestionDraft
from questions.session import Session

from .support import recorded

F = TypeVar("F", bound=Callable[..., Any])


class PriorType(click.ParamType):
    """``--prior``: a number (a categorical question's prior) or ``uniform``/``team`` (a numeric
    question's model prior)."""

    name = "P|uniform|team"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float) or value in ("uniform", "team"):
            return value
        try:
            return float(value)
        except ValueError:
            self.fail(f"{value!r} is not a number, uniform or team", param, ctx)


PRIOR = PriorType()


def range_options(func: F) -> F:
    """``--numeric LO HI``, ``--date LO HI``, ``--unit``, ``--log``, ``--open-lower/-upper``."""
    for option in reversed(
        [
            click.option(
                "--numeric",
                nargs=2,
                type=float,
                default=None,
                metavar="LO HI",
                help="A numeric question over [LO, HI].",
            ),
            click.option(
                "--date",
                "date_range",
                nargs=2,
                default=None,
                metavar="LO HI",
                help="A date question between two ISO dates.",
            ),
            click.option("--unit", default="", help="Unit of a numeric question (e.g. people)."),
            click.option("--log", "log_scale", is_flag=True, help="Log scale (LO > 0)."),
            click.option(
                "--open-lower", is_flag=True, help="The value may fall below LO (a tail bucket)."
            ),
            click.option(
                "--open-upper", is_flag=True, help="The value may fall above HI (a tail bucket)."
            ),
        ]
    ):
        func = option(func)
    return func


def add_numeric_question(
    session: Session,
    draft: QuestionDraft,
    numeric: tuple[float, float] | None,
    date_range: tuple[str, str] | None,
    unit: str,
    log_scale: bool,
    open_lower: bool,
    open_upper: bool,
    as_json: bool,
    *,
    prior: str = "uniform",
) -> None:
    from questions import numeric_store
    from questions.numeric import NumericRange, date_to_value
    from questions.summary import question_summary

    if numeric and date_range:
        raise InvalidInput("range: give --numeric or --date, not both")
    if date_range:
        if log_scale:
            raise InvalidInput("--log: not for a date question")
        lo = date_to_value(date_range[0], field="--date LO")
        hi = date_to_value(date_range[1], field="--date HI")
        rng = NumericRange(lo, hi, open_lower=open_lower, open_upper=open_upper, is_date=True)
    else:
        assert numeric is not None
        rng = NumericRange(
            numeric[0],
            numeric[1],
            log=log_scale,
            open_lower=open_lower,
            open_upper=open_upper,
            unit=unit.strip(),
        )
    created = numeric_store.add_numeric_question(
        session.db, draft, rng, author=session.user, prior=prior
    )
    data = question_summary(created) | {"range": range_json(rng), "prior": prior}
    recorded(as_json, data, created.short_id)


def range_json(rng: Any) -> dict[str, object]:
    from questions.numeric import value_to_date

    show = value_to_date if rng.is_date else float
    return {
        "lo": show(rng.lo),
        "hi": show(rng.hi),
        "unit": rng.unit,
        "log": rng.log,
        "open_lower": rng.open_lower,
        "open_upper": rng.open_upper,
    }


def distribution_options(func: F) -> F:
    for option in reversed(
        [
            click.option(
                "--quantiles",
                help="A numeric/date question: P:VALUE pairs, e.g. 0.05:100,0.5:400,0.95:1500.",
            ),
            click.option(
                "--normal",
                nargs=2,
                type=float,
                default=None,
                metavar="MEAN SD",
                help="A numeric question: a normal distribution.",
            ),
            click.option(
                "--lognormal",
                nargs=2,
                type=float,
                default=None,
                metavar="MEDIAN P95",
                help="A numeric question: a lognormal from its median and 95th percentile.",
            ),
        ]
    ):
        func = option(func)
    return func


def wants_distribution(
    quantiles: str | None,
    normal: tuple[float, float] | None,
    lognormal: tuple[float, float] | None,
) -> bool:
    return bool(quantiles or normal or lognormal)


def record_distribution(
    session: Session,
    ref: str,
    quantiles: str | None,
    normal: tuple[float, float] | None,
    lognormal: tuple[float, float] | None,
    *,
    forecaster: str,
    made_at: str | None,
    rationale: str,
    as_json: bool,
) -> None:
    """Fit and record a distribution forecast on a numeric/date question."""
    from questions import numeric as nm
    from questions import numeric_store

    given = [x for x in (quantiles, normal, lognormal) if x]
    if len(given) != 1:
        raise InvalidInput("forecast: give one of --quantiles, --normal, --lognormal")
    rng = numeric_store.numeric_range(session.db, ref)
    if quantiles:
        cdf = nm.cdf_from_quantiles(rng, nm.parse_quantiles(rng, quantiles))
        typed, method = quantiles.replace(" ", ""), "quantiles"
    elif normal:
        if rng.is_date:
            raise InvalidInput("--normal: a date question takes --quantiles")
        cdf = nm.cdf_normal(rng, *normal)
        typed, method = f"{normal[0]:g} {normal[1]:g}", "normal"
    else:
        assert lognormal is not None
        if rng.is_date:
            raise InvalidInput("--lognormal: a date question takes --quantiles")
        cdf = nm.cdf_lognormal(rng, *lognormal)
        typed, method = f"{lognormal[0]:g} {lognormal[1]:g}", "lognormal"
    made = numeric_store.record_numeric_forecast(
        session.db,
        ref,
        cdf,
        forecaster=forecaster,
        typed=typed,
        method=method,
        made_at=made_at,
        rationale=rationale,
    )
    shown = nm.shown_summary(rng, made.cdf)
    qid = numeric_store.question_id(session.db, ref)
    interval_90: list[object] = list(shown["interval_90"])  # type: ignore[call-overload]
    lo90, hi90 = interval_90
    recorded(
        as_json,
        {
            "question": f"Q{qid}",
            "forecaster": made.forecaster,
            "made_at": made.made_at,
            "typed": made.typed,
            "method": made.method,
            **shown,
        },
        f"Q{qid}: {made.forecaster} median {_show(rng, shown['median'])}, 90% "
        f"{_show(rng, lo90)} .. {_show(rng, hi90)} at {made.made_at}",
    )


def _show(rng: Any, value: object) -> str:
    return str(value) if isinstance(value, str) else rng.show(float(value))  # type: ignore[arg-type]


def resolve_to_value(session: Session, ref: str, text: str, at: str | None, as_json: bool) -> None:
    from questions import numeric_store
    from questions.numeric import parse_value
    from questions.summary import question_summary

    rng = numeric_store.numeric_range(session.db, ref)
    value = parse_value(rng, text, field="value")
    done = numeric_store.resolve_numeric(session.db, ref, value, by=session.user, at=at)
    recorded(
        as_json,
        question_summary(done) | {"resolved_value": text.strip() if rng.is_date else value},
        f"{done.short_id}: resolved {rng.show(value)} at {done.resolved_at}",
    )


def evidence_form_options(func: F) -> F:
    """``evidence add``'s forms over a numeric question's range."""
    for option in reversed(
        [
            click.option("--above", help="Numeric question: the LR applies above X."),
            click.option("--below", help="Numeric question: the LR applies below X."),
            click.option(
                "--between", nargs=2, default=None, help="Numeric question: LR inside [A, B]."
            ),
            click.option("--measured", help="Numeric question: a noisy measurement VALUE."),
            click.option("--sd", type=float, help="The measurement's standard deviation."),
        ]
    ):
        func = option(func)
    return func


def numeric_form_from_options(session: Session, question: str, options: dict[str, Any]) -> Any:
    """The item's form over the range, or None when no numeric option was given."""
    from arguments.numeric_evidence import NumericForm
    from questions import numeric_store
    from questions.numeric import parse_value

    given = [name for name in ("above", "below", "between", "measured") if options.get(name)]
    if not given:
        if options.get("sd") is not None:
            raise InvalidInput("--sd: only with --measured")
        if numeric_store.is_numeric(numeric_store.get_question(session.db, question)):
            raise InvalidInput(
                f"evidence: {question} is a numeric question; give --above X, --below X, "
                "--between A B (each with --lr) or --measured VALUE --sd S"
            )
        return None
    if len(given) > 1:
        raise InvalidInput("evidence: give one of --above, --below, --between, --measured")
    rng = numeric_store.numeric_range(session.db, question)
    form = given[0]
    if form == "between":
        a_text, b_text = options["between"]
        return NumericForm(
            "between",
            parse_value(rng, a_text, field="--between"),
            parse_value(rng, b_text, field="--between"),
        )
    value = parse_value(rng, options[form], field=f"--{form}")
    sd = options.get("sd")
    if form == "measured" and sd is not None and rng.is_date:
        pass  # days
    return NumericForm(form, value, None, sd)
