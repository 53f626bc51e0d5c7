"""The report's "learning from the track record" sections: each forecaster's recalibration (fitted
on everything, and its time-ordered out-of-sample effect), the team's fitted extremizing exponent,
and the calibration of the stated likelihood ratios. The estimators are in
``forecast.scoring.recalibration``, ``extremize_fit`` and ``lr_calibration``."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlite_utils import Database

from forecast.reports.data import ResolvedForecasts
from forecast.scoring import extremize_fit
from forecast.scoring.lr_calibration import lr_calibration
from forecast.scoring.recalibration import fit_recalibration, out_of_sample, why_not_fitted
from forecast.scoring.scores import series_starts

RECALIBRATION_RULE = (
    "Out of sample, in time order: each forecast is recalibrated (logit p' = a + b logit p) by a "
    "fit on that forecaster's forecasts whose questions resolved before it was made; scores are "
    "of the forecasts that had such a fit (20 resolved events or more)."
)


def recalibration(data: ResolvedForecasts, rows: np.ndarray) -> list[dict[str, Any]]:
    """Per forecaster (binary questions, the counted forecasts): the full fit and the
    out-of-sample Brier and log score before and after recalibration."""
    who = data.forecaster[rows]
    result = []
    for code, name in enumerate(data.names):
        mine = rows[who == code]
        if mine.size == 0:
            continue
        p, o = data.p[mine], data.outcome[mine]
        fit = fit_recalibration(p, o)
        result.append(
            {
                "name": name,
                "n": int(mine.size),
                "fit": fit.to_dict() if fit else None,
                "not_fitted": why_not_fitted(o),
                "out_of_sample": out_of_sample(p, o, data.made_jd[mine], data.resolved_jd[mine]),
            }
        )
    return result


def _questions(data: ResolvedForecasts, standing: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per binary question: mean log-odds at close, outcome, when formed, when resolved."""
    q = data.question[standing]
    starts = series_starts(q)
    ends = np.r_[starts[1:], q.size] if starts.size else starts
    p = data.p[standing]
    x = np.array([extremize_fit.mean_log_odds(p[s:e]) for s, e in zip(starts, ends, strict=True)])
    pick = standing[starts]
    return x, data.outcome[pick], data.cutoff_jd[pick], data.resolved_jd[pick]


def fitted_exponent(data: ResolvedForecasts, standing: np.ndarray) -> tuple[float | None, str]:
    """The exponent fitted on every question in scope, or None and why not."""
    x, y, _, _ = _questions(data, standing)
    fit = extremize_fit.fit_exponent(x, y)
    if fit is None:
        reason = extremize_fit.why_not_fitted(y) or "the fit found no exponent above 0"
        return None, reason
    return float(fit["a"]), ""


def extremizer(data: ResolvedForecasts, standing: np.ndarray, fixed: float) -> dict[str, Any]:
    x, y, formed, resolved = _questions(data, standing)
    fit = extremize_fit.fit_exponent(x, y)
    return {
        "fixed": fixed,
        "fitted": fit,
        "not_fitted": None if fit else (extremize_fit.why_not_fitted(y) or "no exponent > 0"),
        "out_of_sample": extremize_fit.out_of_sample(x, y, formed, resolved, fixed),
        "rule": "a fitted by maximum likelihood on the questions in scope; out of sample, each "
        "question's aggregate uses an a fitted on questions resolved before it closed",
    }


def sections(
    db: Database,
    data: ResolvedForecasts,
    rows: np.ndarray,
    standing: np.ndarray,
    fixed: float,
    question_ids: list[int],
) -> dict[str, Any]:
    return {
        "recalibration": {"rule": RECALIBRATION_RULE, "forecasters": recalibration(data, rows)},
        "extremizer": extremizer(data, standing, fixed),
        "lr_calibration": lr_calibration(db, question_ids),
    }
