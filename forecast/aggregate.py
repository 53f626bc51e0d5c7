"""Team aggregates of forecasts on one question (rows = forecasters, columns = outcomes).

Log-odds and geometric means clip probabilities to [0.001, 0.999]: a single forecaster's 0 or 1
would otherwise decide the aggregate alone.
"""

from __future__ import annotations

import numpy as np

CLIP = 1e-3


def _matrix(probs: np.ndarray) -> np.ndarray:
    matrix = np.asarray(probs, dtype=float)
    return matrix[:, None] if matrix.ndim == 1 else matrix


def mean_prob(probs: np.ndarray) -> np.ndarray:
    return _matrix(probs).mean(axis=0)


def median_prob(probs: np.ndarray) -> np.ndarray:
    median = np.median(_matrix(probs), axis=0)
    return median / median.sum() if median.size > 1 else median


def geo_mean_odds(probs: np.ndarray) -> np.ndarray:
    """Binary (a column of P(Yes)): the geometric mean of the odds. Multi: the normalised geometric
    mean of the probabilities (the same thing for two outcomes)."""
    matrix = np.clip(_matrix(probs), CLIP, 1 - CLIP)
    if matrix.shape[1] == 1:
        log_odds = np.log(matrix / (1 - matrix)).mean(axis=0)
        return 1 / (1 + np.exp(-log_odds))
    geo = np.exp(np.log(matrix).mean(axis=0))
    return geo / geo.sum()


def extremized(probs: np.ndarray, a: float = 2.5) -> np.ndarray:
    """The mean log-odds times ``a`` (Baron et al. 2014, Decision Analysis 11; Satopää et al. 2014,
    Int. J. Forecasting 30). Multi: the normalised geometric mean of probabilities raised to a."""
    matrix = np.clip(_matrix(probs), CLIP, 1 - CLIP)
    if matrix.shape[1] == 1:
        log_odds = np.log(matrix / (1 - matrix)).mean(axis=0) * a
        return 1 / (1 + np.exp(-log_odds))
    powered = np.exp(a * np.log(matrix).mean(axis=0))
    return powered / powered.sum()


AGGREGATES = ("mean", "median", "geometric mean of odds", "extremized")


def aggregate_all(probs: np.ndarray, a: float = 2.5) -> dict[str, np.ndarray]:
    return {
        "mean": mean_prob(probs),
        "median": median_prob(probs),
        "geometric mean of odds": geo_mean_odds(probs),
        "extremized": extremized(probs, a),
    }
