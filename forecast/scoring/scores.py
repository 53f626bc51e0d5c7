"""Proper scores for probability forecasts (design.md, "Scoring"). Pure functions, no I/O.

- ``brier``: binary Brier score on the 0..1 scale, mean (p - o)^2.
- ``brier_multi``: Brier's original multi-category score (Brier 1950), 0..2, mean over forecasts of
  sum_j (p_j - o_j)^2. For a binary event it is exactly twice ``brier``.
- ``log_score``: mean -ln p(realised outcome), natural log, lower is better. Probabilities are
  clipped to [eps, 1 - eps] (eps = 1e-15 by default) so that a forecast of 0 on what happened
  costs -ln(1e-15) = 34.54 rather than infinity. (scikit-learn's log_loss clips at the machine
  epsilon instead, so the two differ only for forecasts within 1e-15 of 0 or 1.)
- ``time_averaged_brier``: one forecaster, one question, daily carry-forward (Good Judgment style).
  The question is scored on each day from ``opens`` up to, not including, ``resolved``; on each day
  the standing forecast is the forecaster's latest made on or before that day (forecasts made
  before ``opens`` stand from ``opens``); days before their first forecast are left out; the
  score is the mean over the scored days, or None when no day was scored.
- ``metaculus_baseline_score`` / ``metaculus_peer_score``: Metaculus' log-based scores, averaged
  over the same days with the same carry-forward (see their docstrings for coverage).

Units (one definition everywhere: the report's tables, ``report --forecaster``, the calibration
screen and the ``forecaster_scores`` view; ``score_units`` names them for column headers):

- Brier is **per event**: a binary question is one event (p = P(Yes)); a multi-outcome question
  is one event per outcome (p_j against o_j). The mean is over events.
- The log score (and the original multi-category Brier) is **per question**: one term per scored
  forecast, -ln p(realised outcome); by default each forecaster's last forecast before the close,
  so one per question (``per forecast`` when every forecast is counted).

Dates are ``datetime.date`` (a ``datetime`` counts for its own calendar date; several forecasts on
one day: the latest by time of day, then by position in the input, is the one that stands).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from datetime import date, datetime, time
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike

LOG_CLIP = 1e-15
METACULUS_CLIP = 1e-3
"""Metaculus accepts binary forecasts only within [0.1%, 99.9%]; we clip to the same bounds before
taking logs for its scores, so a stored 0 or 1 scores as the platform's most extreme forecast."""


def score_units(all_forecasts: bool = False) -> dict[str, str]:
    """The unit each headline score is averaged over, as column headers name it."""
    per = "per forecast" if all_forecasts else "per question"
    return {"brier": "per event", "log_score": per, "brier_original": per}


def standing_scores(
    forecasts: Sequence[tuple[Sequence[float], int, bool]],
) -> dict[str, float | int]:
    """One forecaster's scores over (probability vector, realised index, binary question?)
    triples, one per question: ``brier`` per event and ``log_score`` per question, with their
    counts. The reference the report, the calibration screen and the ``forecaster_scores`` view
    agree with (a test compares them on the demo)."""
    p: list[float] = []
    o: list[float] = []
    for probs, realised, binary in forecasts:
        outcomes = 1 if binary else len(probs)  # a binary question is one event, P(Yes)
        p += [float(x) for x in probs[:outcomes]]
        o += [float(j == realised) for j in range(outcomes)]
    return {
        "n_questions": len(forecasts),
        "n_events": len(p),
        "brier": brier(p, o),
        "log_score": float(log_terms([v[r] for v, r, _ in forecasts]).mean()),
    }


K = TypeVar("K", bound=Hashable)
Probability = float | Sequence[float]


def binary_arrays(p: ArrayLike, o: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Checked float arrays: 1-D, same length, not empty, p in [0, 1], o in {0, 1}."""
    p_arr = np.asarray(p, dtype=float)
    o_arr = np.asarray(o, dtype=float)
    if p_arr.ndim != 1 or p_arr.shape != o_arr.shape:
        raise ValueError(
            f"forecasts and outcomes must be 1-D and the same length, got {p_arr.shape} and {o_arr.shape}"
        )
    if p_arr.size == 0:
        raise ValueError("no forecasts to score")
    if not (np.all(p_arr >= 0.0) and np.all(p_arr <= 1.0)):  # also rejects NaN
        raise ValueError("forecast probabilities must lie in [0, 1]")
    if not np.all((o_arr == 0.0) | (o_arr == 1.0)):
        raise ValueError("binary outcomes must be 0 or 1")
    return p_arr, o_arr


def brier_terms(p: ArrayLike, o: ArrayLike) -> np.ndarray:
    """Each forecast's binary Brier score (p - o)^2, 0 .. 1 (p = P(event), o in {0, 1})."""
    p_arr, o_arr = binary_arrays(p, o)
    return (p_arr - o_arr) ** 2


def brier(p: ArrayLike, o: ArrayLike) -> float:
    """Binary Brier score, 0 (perfect) .. 1: mean (p - o)^2, p = P(event), o in {0, 1}."""
    return float(np.mean(brier_terms(p, o)))


def brier_multi_terms(probs: ArrayLike, realised: ArrayLike) -> np.ndarray:
    """Each forecast's original multi-category Brier score sum_j (P_j - o_j)^2, 0 .. 2.

    ``probs`` is (n, k), one probability vector per forecast; ``realised`` the (n,) index of the
    outcome that happened.
    """
    matrix = np.asarray(probs, dtype=float)
    index = np.asarray(realised)
    if matrix.ndim != 2 or index.shape != (matrix.shape[0],):
        raise ValueError(
            f"expected probs (n, k) and realised (n,), got {matrix.shape} and {index.shape}"
        )
    if matrix.shape[0] == 0:
        raise ValueError("no forecasts to score")
    if (
        not np.issubdtype(index.dtype, np.integer)
        or index.min() < 0
        or index.max() >= matrix.shape[1]
    ):
        raise ValueError("realised must hold outcome indices 0 .. k-1")
    outcome = np.zeros_like(matrix)
    outcome[np.arange(matrix.shape[0]), index] = 1.0
    return ((matrix - outcome) ** 2).sum(axis=1)


def brier_multi(probs: ArrayLike, realised: ArrayLike) -> float:
    """Brier's original multi-category score, 0 .. 2: mean over rows of sum_j (P_j - o_j)^2."""
    return float(np.mean(brier_multi_terms(probs, realised)))


def log_terms(p_realised: ArrayLike, eps: float = LOG_CLIP) -> np.ndarray:
    """Each forecast's log score -ln p, natural log, from the probability ``p_realised`` it gave
    to what happened, clipped to [eps, 1 - eps] (the one clipping every log score here uses)."""
    return -np.log(np.clip(np.asarray(p_realised, dtype=float), eps, 1.0 - eps))


def log_score(p: ArrayLike, o: ArrayLike, eps: float = LOG_CLIP) -> float:
    """Mean -ln p(realised) for binary events, natural log (p = P(event), o in {0, 1}).

    The probability given to what happened is clipped to [eps, 1 - eps] first.
    """
    p_arr, o_arr = binary_arrays(p, o)
    return float(np.mean(log_terms(np.where(o_arr == 1.0, p_arr, 1.0 - p_arr), eps)))


# --- daily carry-forward ------------------------------------------------------------------------


def carry_forward_days(
    made: ArrayLike, opens: ArrayLike, resolved: ArrayLike, group: ArrayLike | None = None
) -> np.ndarray:
    """How many scored days each forecast is the standing one, vectorised over many series.

    All arguments are day numbers (e.g. ``date.toordinal()``). ``made`` holds one entry per
    forecast, sorted chronologically within each series; ``group`` (same length, optional) labels
    the series (e.g. one per question and forecaster) and must be contiguous; ``opens`` and
    ``resolved`` are scalars or per-forecast arrays. Forecast i stands from
    max(made_i, opens) until the next forecast of its series (or ``resolved``), and never past
    ``resolved``; a forecast superseded on the same day stands for 0 days.
    """
    days = np.asarray(made, dtype=np.int64)
    start_of_window = np.broadcast_to(np.asarray(opens, dtype=np.int64), days.shape)
    end_of_window = np.broadcast_to(np.asarray(resolved, dtype=np.int64), days.shape)
    following = np.empty_like(days)
    following[:-1] = days[1:]
    last_of_series = np.zeros(days.shape, dtype=bool)
    if days.size:
        last_of_series[-1] = True
    if group is not None:
        labels = np.asarray(group)
        last_of_series[:-1] = labels[1:] != labels[:-1]
    until = np.minimum(np.where(last_of_series, end_of_window, following), end_of_window)
    return np.maximum(until - np.maximum(days, start_of_window), 0)


def series_starts(*keys: np.ndarray) -> np.ndarray:
    """Indices where a new series begins in rows sorted by ``keys`` (e.g. question, forecaster)."""
    n = keys[0].size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(change)


def time_averaged_by_series(
    values: ArrayLike,
    made: ArrayLike,
    opens: ArrayLike,
    resolved: ArrayLike,
    starts: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Daily carry-forward means of per-forecast ``values`` (a Brier term, a baseline score...)
    over many series at once: the vectorised ``time_averaged_brier``.

    Rows are sorted chronologically within each series; ``starts`` (from ``series_starts``) says
    where each series begins; ``made``, ``opens`` and ``resolved`` are day numbers per row.
    Returns (scored days, mean) per series; the mean is NaN where no day was scored.
    """
    if starts.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    label = np.zeros(np.asarray(made).size, dtype=np.int64)
    label[starts[1:]] = 1
    days = carry_forward_days(made, opens, resolved, np.cumsum(label))
    total = np.add.reduceat(days, starts)
    weighted = np.add.reduceat(days * np.asarray(values, dtype=float), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total, np.where(total > 0, weighted / np.maximum(total, 1), np.nan)


def _moment(made: date) -> tuple[int, time]:
    if isinstance(made, datetime):
        return made.toordinal(), made.time()
    return made.toordinal(), time.min


def _chronological(
    forecasts: Sequence[tuple[date, Probability]],
) -> tuple[np.ndarray, list[Probability]]:
    ordered = sorted(
        forecasts, key=lambda pair: _moment(pair[0])
    )  # stable: input order breaks ties
    return np.array([made.toordinal() for made, _ in ordered], dtype=np.int64), [
        value for _, value in ordered
    ]


def _standing_days(
    opens: date, resolved: date, forecasts: Sequence[tuple[date, Probability]]
) -> tuple[np.ndarray, list[Probability]]:
    made, values = _chronological(forecasts)
    return carry_forward_days(made, opens.toordinal(), resolved.toordinal()), values


def _weighted_mean(days: np.ndarray, scores: np.ndarray) -> float | None:
    total = int(days.sum())
    return float(np.dot(days, scores) / total) if total > 0 else None


def _probabilities(values: Sequence[float]) -> np.ndarray:
    p = np.asarray(values, dtype=float)
    if not (np.all(p >= 0.0) and np.all(p <= 1.0)):
        raise ValueError("forecast probabilities must lie in [0, 1]")
    return p


def time_averaged_brier(
    opens: date, resolved: date, forecasts: Sequence[tuple[date, float]], outcome: int
) -> float | None:
    """Daily carry-forward Brier (0..1) of one forecaster on one binary event.

    ``forecasts`` are (made, P(event)) pairs in any order; ``outcome`` is 1 if the event happened.
    Mean over the scored days (see the module docstring); None if no day was scored.
    """
    if outcome not in (0, 1):
        raise ValueError("outcome must be 0 or 1")
    days, values = _standing_days(opens, resolved, forecasts)
    if not values:
        return None
    p = _probabilities([float(value) for value in values])  # type: ignore[arg-type]
    return _weighted_mean(days, brier_terms(p, np.full(p.shape, float(outcome))))


def time_averaged_brier_multi(
    opens: date, resolved: date, forecasts: Sequence[tuple[date, Sequence[float]]], realised: int
) -> float | None:
    """Daily carry-forward original multi-category Brier (0..2) of one forecaster on one question.

    ``forecasts`` are (made, probability vector) pairs; ``realised`` is the index of the outcome
    that happened. Same days and carry-forward as ``time_averaged_brier``.
    """
    days, values = _standing_days(opens, resolved, forecasts)
    if not values:
        return None
    matrix = _probabilities(values)  # type: ignore[arg-type]
    if matrix.ndim != 2 or not 0 <= realised < matrix.shape[1]:
        raise ValueError(
            "forecasts must be probability vectors of one length, realised an index into them"
        )
    return _weighted_mean(
        days, brier_multi_terms(matrix, np.full(matrix.shape[0], realised, dtype=np.int64))
    )


def coverage(
    opens: date, resolved: date, forecasts: Sequence[tuple[date, Probability]]
) -> float | None:
    """Share of the days from ``opens`` up to ``resolved`` on which a forecast was standing."""
    window = resolved.toordinal() - opens.toordinal()
    if window <= 0:
        return None
    days, _ = _standing_days(opens, resolved, forecasts)
    return float(days.sum() / window)


# --- Metaculus ----------------------------------------------------------------------------------
# Formulas as Metaculus publishes them (Scores FAQ, https://www.metaculus.com/help/scores-faq/,
# "What is the Baseline score?" / "What is the Peer score?"; the same in their open-source
# scoring/score_math.py): for a question with N options, a forecast giving p to the realised one
#   baseline = 100 * (ln p / ln N + 1)           (binary: 100 * (log2 p + 1))
#   peer_i   = 100 * mean_{j != i} (ln p_i - ln p_j) = 100 * (ln p_i - mean_{j != i} ln p_j)
# Metaculus averages over the question's lifetime, time-weighted, with time before a user's first
# forecast counting 0 (their "coverage"). Here, per day with carry-forward as above.


def baseline_score(
    p_realised: ArrayLike, n_outcomes: ArrayLike, eps: float = METACULUS_CLIP
) -> np.ndarray:
    """Metaculus' baseline score of each forecast: 100 (ln p / ln N + 1), p clipped to [eps, 1-eps].

    ``n_outcomes`` (N) is the number of options of the question, a scalar or one per forecast.
    """
    n = np.asarray(n_outcomes, dtype=float)
    if np.any(n < 2):
        raise ValueError("a question has at least two outcomes")
    p = np.clip(np.asarray(p_realised, dtype=float), eps, 1.0 - eps)
    return 100.0 * (np.log(p) / np.log(n) + 1.0)


def peer_scores(p_realised: ArrayLike, eps: float = METACULUS_CLIP) -> np.ndarray:
    """Metaculus' peer score of each of several simultaneous forecasts on one question:
    100 (ln p_i - mean over the others of ln p_j). They sum to zero; NaN with fewer than two."""
    logs = np.log(np.clip(np.asarray(p_realised, dtype=float), eps, 1.0 - eps))
    if logs.size < 2:
        return np.full(logs.shape, np.nan)
    others = (logs.sum() - logs) / (logs.size - 1)
    return 100.0 * (logs - others)


def _realised(value: Probability, outcome: int) -> tuple[float, int]:
    """P(realised outcome) and the number of outcomes. A number is P(event) of a binary question
    (outcome 1 = it happened); a vector is one probability per outcome (outcome = its index)."""
    if not isinstance(value, Sequence | np.ndarray):
        if outcome not in (0, 1):
            raise ValueError("for a binary forecast the outcome must be 0 or 1")
        p = float(value)
        return (p if outcome == 1 else 1.0 - p), 2
    vector = [float(x) for x in value]
    if not 0 <= outcome < len(vector):
        raise ValueError(
            f"outcome {outcome} is not an index into a forecast of {len(vector)} outcomes"
        )
    return float(vector[outcome]), len(vector)


def _window(opens: date, resolved: date) -> int:
    return resolved.toordinal() - opens.toordinal()


def metaculus_baseline_score(
    opens: date,
    resolved: date,
    forecasts: Sequence[tuple[date, Probability]],
    outcome: int,
    *,
    eps: float = METACULUS_CLIP,
    coverage_weighted: bool = False,
) -> float | None:
    """Metaculus' baseline score of one forecaster on one question, averaged per day.

    ``forecasts`` are (made, P(event)) for a binary question or (made, probability vector);
    ``outcome`` is 1/0 (binary) or the realised index. Days and carry-forward as
    ``time_averaged_brier``. By default: the mean over the days the forecaster had a standing
    forecast (coverage ignored). ``coverage_weighted=True``: Metaculus' own figure, where days
    without a standing forecast count 0, i.e. that mean times the coverage. None if no day scored.
    """
    days, values = _standing_days(opens, resolved, forecasts)
    if not values:
        return None
    p, n = zip(*(_realised(value, outcome) for value in values), strict=True)
    mean = _weighted_mean(days, baseline_score(p, n, eps))
    if mean is None or not coverage_weighted:
        return mean
    return mean * float(days.sum()) / _window(opens, resolved)


def metaculus_peer_score(
    opens: date,
    resolved: date,
    forecasts: Mapping[K, Sequence[tuple[date, Probability]]],
    outcome: int,
    *,
    eps: float = METACULUS_CLIP,
    coverage_weighted: bool = False,
) -> dict[K, float | None]:
    """Metaculus' peer score of every forecaster on one question, averaged per day.

    ``forecasts`` maps each forecaster to their (made, forecast) pairs (as in
    ``metaculus_baseline_score``). On each day from ``opens`` up to ``resolved`` every forecaster
    with a standing forecast is compared with all the others who have one that day; a day on
    which nobody else has a forecast gives no peer score and is left out. By default the result
    is the mean over the days a forecaster was compared; ``coverage_weighted=True`` divides the
    same sum by all the days of the window instead (Metaculus' convention: uncovered days count
    0). None for a forecaster never compared.
    """
    names = list(forecasts)
    result: dict[K, float | None] = dict.fromkeys(names)
    made_parts, logs_parts, who_parts = [], [], []
    for column, name in enumerate(names):
        made, values = _chronological(forecasts[name])
        made_parts.append(made)
        logs_parts.append(np.array([_realised(v, outcome)[0] for v in values], dtype=float))
        who_parts.append(np.full(made.size, column, dtype=np.int64))
    if not names:
        return result
    who = np.concatenate(who_parts)
    _, pairs, scores = metaculus_peer_by_series(
        np.zeros(who.size, dtype=np.int64),
        who,
        np.concatenate(made_parts),
        np.concatenate(logs_parts),
        opens.toordinal(),
        resolved.toordinal(),
        eps=eps,
        coverage_weighted=coverage_weighted,
    )
    for column, score in zip(pairs.tolist(), scores.tolist(), strict=True):
        if math.isfinite(score):
            result[names[column]] = score
    return result


def metaculus_peer_by_series(
    question: np.ndarray,
    forecaster: np.ndarray,
    made: ArrayLike,
    p_realised: ArrayLike,
    opens: ArrayLike,
    resolved: ArrayLike,
    *,
    eps: float = METACULUS_CLIP,
    coverage_weighted: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Metaculus' time-averaged peer score of every (question, forecaster) at once.

    Rows are sorted by question, forecaster and ``made`` (day numbers); ``p_realised`` is the
    probability each forecast gave to what happened; ``opens`` and ``resolved`` are day numbers
    (scalars or per row). On each day of the question's window a forecaster with a standing
    forecast scores 100 (ln p_i - mean of ln p_j over the *other* forecasters standing that day);
    a day on which nobody else stands gives no peer score. ``coverage_weighted`` (Metaculus'
    convention, the default here): the sum over the days compared divided by all the days of
    the window, so days without a standing forecast, or without a peer, count 0; otherwise the
    mean over the days compared. Returns (question, forecaster, score) per pair, NaN for a pair
    never compared (a lone forecaster has no peer score).

    Computed without walking days: the standing forecasts change only on forecast days, so the
    count n(d) and the sum S(d) of the standing ln p are step functions; a row standing on
    [s, e) scores sum_d [n >= 2] (ln p_i n / (n - 1) - S / (n - 1)), read off prefix integrals.
    """
    question = np.asarray(question, dtype=np.int64)
    forecaster = np.asarray(forecaster, dtype=np.int64)
    day = np.asarray(made, dtype=np.int64)
    window_start = np.broadcast_to(np.asarray(opens, dtype=np.int64), day.shape)
    window_end = np.broadcast_to(np.asarray(resolved, dtype=np.int64), day.shape)
    logs = np.log(np.clip(np.asarray(p_realised, dtype=float), eps, 1.0 - eps))
    starts = series_starts(question, forecaster)
    if starts.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    label = np.zeros(day.size, dtype=np.int64)
    label[starts[1:]] = 1
    stands = carry_forward_days(day, window_start, window_end, np.cumsum(label))
    begin = np.maximum(day, window_start)
    finish = begin + stands
    live = stands > 0
    # events: a forecast starts standing (+1, +ln p) and stops (-1, -ln p); keys order by question, day
    span = np.int64(1) << np.int64(32)
    offset = min(int(begin.min()), 0)
    key_begin = question * span + (begin - offset)
    key_finish = question * span + (finish - offset)
    keys = np.concatenate([key_begin[live], key_finish[live]])
    count_step = np.concatenate([np.ones(live.sum()), -np.ones(live.sum())])
    log_step = np.concatenate([logs[live], -logs[live]])
    order = np.argsort(keys, kind="stable")
    keys, count_step, log_step = keys[order], count_step[order], log_step[order]
    unique, last = np.unique(keys[::-1], return_index=True)
    last = keys.size - 1 - last  # the last event of each key: the state after all of them
    standing_n = np.cumsum(count_step)[last]
    standing_sum = np.cumsum(log_step)[last]
    same_question = np.r_[(unique[1:] // span) == (unique[:-1] // span), False]
    length = np.where(same_question, np.r_[np.diff(unique), 0], 0).astype(float)
    compared = standing_n >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(compared, standing_n / (standing_n - 1) * length, 0.0)
        b = np.where(compared, standing_sum / (standing_n - 1) * length, 0.0)
    c = np.where(compared, length, 0.0)
    prefix = [np.r_[0.0, np.cumsum(x)] for x in (a, b, c)]
    lo = np.searchsorted(unique, key_begin)
    hi = np.searchsorted(unique, key_finish)
    lo, hi = np.where(live, lo, 0), np.where(live, hi, 0)
    peer_sum = 100.0 * (logs * (prefix[0][hi] - prefix[0][lo]) - (prefix[1][hi] - prefix[1][lo]))
    compared_days = prefix[2][hi] - prefix[2][lo]
    pair_sum = np.add.reduceat(peer_sum, starts)
    pair_days = np.add.reduceat(compared_days, starts)
    window = (window_end - window_start)[starts].astype(float)
    divisor = window if coverage_weighted else pair_days
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(pair_days > 0, pair_sum / np.where(divisor > 0, divisor, 1.0), np.nan)
    return question[starts], forecaster[starts], score
