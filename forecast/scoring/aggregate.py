"""Team aggregates of the standing forecasts on one question. Pure functions, no I/O.

Input: a 1-D array of P(Yes), one per forecaster (a binary question), or a matrix with one row per
forecaster and one column per outcome (each row sums to 1). Output: an array with one probability
per column: shape (1,) for a binary question (the aggregate P(Yes)), (k,) for k outcomes.

- mean: the plain mean of the probabilities.
- median: the per-outcome median; for several outcomes renormalised to sum to 1.
- geometric mean of odds: binary, exp(mean ln(p / (1 - p))) as odds; several outcomes: the
  geometric mean of each outcome's probabilities, renormalised (for two outcomes the two agree).
- extremized: the mean log-odds times a (Baron, Mellers, Tetlock, Stone & Ungar 2014, "Two reasons
  to make aggregated probability forecasts more extreme", Decision Analysis 11(2); Satopää,
  Baron, Foster, Mellers, Tetlock & Ungar 2014, "Combining multiple probability predictions using
  a simple logit model", Int. J. Forecasting 30(2)); several outcomes: the geometric mean of the
  probabilities raised to a, renormalised (the binary rule again for two outcomes). a = 1 is the
  geometric mean of odds; a > 1 pushes away from 1/2.

Logs need probabilities away from 0 and 1: they are clipped to [eps, 1 - eps] first (eps = 0.001,
the bounds Metaculus puts on binary forecasts), otherwise one forecaster's 0 or 1 would decide the
aggregate alone. Mean and median use the probabilities as given.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

CLIP = 1e-3
AGGREGATES = ("mean", "median", "geometric mean of odds", "extremized")


def _matrix(probs: ArrayLike) -> np.ndarray:
    matrix = np.asarray(probs, dtype=float)
    if matrix.ndim == 1:
        matrix = matrix[:, None]
    if matrix.ndim != 2 or matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ValueError(
            f"expected forecasts as (forecasters,) or (forecasters, outcomes), got shape {np.shape(probs)}"
        )
    if not (np.all(matrix >= 0.0) and np.all(matrix <= 1.0)):
        raise ValueError("forecast probabilities must lie in [0, 1]")
    return matrix


def _normalised(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum() if weights.size > 1 else weights


def _mean_log_odds(column: np.ndarray, eps: float) -> np.ndarray:
    clipped = np.clip(column, eps, 1.0 - eps)
    return np.log(clipped / (1.0 - clipped)).mean(axis=0)


def _logistic(log_odds: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-log_odds))


def mean_prob(probs: ArrayLike) -> np.ndarray:
    """Mean of the forecasters' probabilities, per outcome."""
    return _matrix(probs).mean(axis=0)


def median_prob(probs: ArrayLike) -> np.ndarray:
    """Median per outcome, renormalised to sum to 1 when there are several outcomes (if every
    outcome's median is 0, which takes forecasters who each put everything elsewhere, the mean)."""
    matrix = _matrix(probs)
    # Sorting rather than np.median, which imports numpy.ma (80 ms) the first time it runs: this
    # runs while the TUI's first screen is being drawn.
    ordered = np.sort(matrix, axis=0)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    if median.size > 1 and median.sum() == 0.0:
        return matrix.mean(axis=0)
    return _normalised(median)


def geo_mean_odds(probs: ArrayLike, eps: float = CLIP) -> np.ndarray:
    """Geometric mean of odds (binary) or normalised geometric mean of probabilities (several)."""
    return extremized(probs, 1.0, eps)


def extremized(probs: ArrayLike, a: float = 2.5, eps: float = CLIP) -> np.ndarray:
    """Mean log-odds times ``a``, back to a probability (several outcomes: the normalised
    geometric mean of probabilities to the power a)."""
    matrix = _matrix(probs)
    if matrix.shape[1] == 1:
        return _logistic(a * _mean_log_odds(matrix, eps))
    log_geo = np.log(np.clip(matrix, eps, 1.0 - eps)).mean(axis=0) * a
    powered = np.exp(log_geo - log_geo.max())  # shifted so the largest is 1: no overflow
    return powered / powered.sum()


def aggregate_all(probs: ArrayLike, a: float = 2.5, eps: float = CLIP) -> dict[str, np.ndarray]:
    """Every aggregate in ``AGGREGATES`` order, keyed by name."""
    return {
        "mean": mean_prob(probs),
        "median": median_prob(probs),
        "geometric mean of odds": geo_mean_odds(probs, eps),
        "extremized": extremized(probs, a, eps),
    }
