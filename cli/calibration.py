"""``forecastle calibration NAME``: a forecaster's recalibration fit and CORP curve."""

from __future__ import annotations

import json
from typing import Any

import click

from questions.errors import InvalidInput
from questions.session import Session

from .support import pass_session


def calibration_summary(session: Session, name: str, all_forecasts: bool) -> dict[str, Any]:
    from forecast.scoring.calibration import corp_curve
    from forecast.scoring.recalibration import MIN_EVENTS, fit_recalibration, why_not_fitted
    from forecast.scoring.track_record import track_record

    record = track_record(session.db, name, all_forecasts=all_forecasts)
    if record.p.size == 0:
        raise InvalidInput(f"forecaster: {name!r} has no forecast on a resolved binary question")
    fit = fit_recalibration(record.p, record.outcome)
    return {
        "forecaster": name,
        "unit": "every forecast"
        if all_forecasts
        else "each question's last forecast before it closed",
        "n": int(record.p.size),
        "min_events": MIN_EVENTS,
        "fit": fit.to_dict() if fit else None,
        "not_fitted": why_not_fitted(record.outcome),
        "curve": [step.to_dict() for step in corp_curve(record.p, record.outcome)],
        "curve_method": "CORP: isotonic regression of outcomes on forecasts",
    }


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _text(summary: dict[str, Any]) -> list[str]:
    lines = [f"{summary['forecaster']}: {summary['n']} resolved forecasts ({summary['unit']})"]
    fit = summary["fit"]
    if fit is None:
        lines.append(f"no fit: {summary['not_fitted']}")
    else:
        a_lo, a_hi = fit["a_interval"]
        b_lo, b_hi = fit["b_interval"]
        lines += [
            "logit p' = a + b logit p (maximum likelihood, 90% intervals)",
            f"  a = {fit['a']:.3f}  [{a_lo:.3f}, {a_hi:.3f}]",
            f"  b = {fit['b']:.3f}  [{b_lo:.3f}, {b_hi:.3f}]",
            fit["meaning"],
        ]
    lines += ["", "calibration curve (CORP, isotonic):", "  forecasts     n  came true"]
    for step in summary["curve"]:
        span = (
            _pct(step["lower"])
            if step["lower"] == step["upper"]
            else f"{_pct(step['lower'])}–{_pct(step['upper'])}"
        )
        lines.append(f"  {span:<10} {step['n']:>4}  {_pct(step['observed']):>9}")
    return lines


@click.command("calibration")
@click.argument("name")
@click.option("--all-forecasts", is_flag=True, help="Every forecast, not each question's last.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def calibration_cmd(session: Session, name: str, all_forecasts: bool, as_json: bool) -> None:
    """NAME's recalibration: logit p' = a + b logit p with 90% intervals, and the CORP curve."""
    summary = calibration_summary(session, name, all_forecasts)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo("\n".join(_text(summary)))
