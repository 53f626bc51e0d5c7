"""Calibration of binary forecasts: bins with Jeffreys intervals, ECE, Spiegelhalter's test, and
two exact decompositions of the Brier score.

- Bins: equal-width and right-closed, (a, b], with the first bin [0, b]; an edge value such as
  0.3 (or 0.30000000000000004) lands in the bin it closes. ``bins="distinct"``: a bin per value.
- Jeffreys 90% interval of a bin's observed frequency: Beta(k + 1/2, n - k + 1/2) quantiles.
- Murphy's decomposition with the within-bin terms (Stephenson, Coelho & Jolliffe 2008, Weather
  and Forecasting 23): BS = REL - RES + UNC + WBV - WBC, exactly, where
  WBV = (1/n) sum_k sum_i (f_ki - fbar_k)^2 and WBC = (2/n) sum_k sum_i (f_ki - fbar_k)(o_ki - obar_k).
- CORP (Dimitriadis, Gneiting & Jordan 2021, PNAS 118): recalibrate by isotonic regression of the
  outcomes on the forecasts (pool-adjacent-violators, tied forecasts pooled first); then
  MCB = S(f) - S(f*), DSC = S(obar) - S(f*), UNC = S(obar), and BS = MCB - DSC + UNC exactly.
- Spiegelhalter (1986): z = sum (o - p)(1 - 2p) / sqrt(sum (1 - 2p)^2 p (1 - p)), two-sided p.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .scoring import brier, log_score

EDGE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CalibrationBin:
    lower: float
    upper: float
    n: int
    mean_forecast: float | None
    observed_frequency: float | None
    interval: tuple[float, float] | None


@dataclass
class CalibrationAnalysis:
    n: int
    brier: float
    log_score: float
    murphy: dict[str, float]
    corp: dict[str, float]
    spiegelhalter: dict[str, float]
    ece: float
    bins: list[CalibrationBin] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["bins"] = [
            {**asdict(b), "interval": list(b.interval) if b.interval else None} for b in self.bins
        ]
        return data


def bin_index(p: np.ndarray, bins: int) -> np.ndarray:
    """Equal-width right-closed bins: index of (a, b] (first bin [0, b]), robust at the edges."""
    scaled = np.asarray(p, dtype=float) * bins
    return np.clip(np.ceil(scaled - EDGE_TOLERANCE).astype(np.int64) - 1, 0, bins - 1)


def _assign(p: np.ndarray, bins: int | str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bin index per forecast and each bin's (lower, upper) edges."""
    if bins == "distinct":
        values, index = np.unique(p, return_inverse=True)
        return index, values, values
    if not isinstance(bins, int) or bins < 1:
        raise ValueError(f"bins: {bins!r} is not allowed (a whole number >= 1, or distinct)")
    edges = np.round(np.linspace(0.0, 1.0, bins + 1), 12)
    return bin_index(p, bins), edges[:-1], edges[1:]


def jeffreys_interval(k: np.ndarray, n: np.ndarray, level: float = 0.90) -> tuple[np.ndarray, np.ndarray]:
    from scipy.special import betaincinv

    tail = (1 - level) / 2
    a, b = k + 0.5, n - k + 0.5
    return betaincinv(a, b, tail), betaincinv(a, b, 1 - tail)


def spiegelhalter(p: np.ndarray, o: np.ndarray) -> tuple[float, float]:
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    spread = 1 - 2 * p
    variance = float(np.sum(spread**2 * p * (1 - p)))
    if variance <= 0:
        return float("nan"), float("nan")
    z = float(np.sum((o - p) * spread)) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def _bin_sums(p: np.ndarray, o: np.ndarray, index: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    count = np.bincount(index, minlength=size).astype(float)
    sum_f = np.bincount(index, weights=p, minlength=size)
    sum_o = np.bincount(index, weights=o, minlength=size)
    return count, sum_f, sum_o


def murphy(p: np.ndarray, o: np.ndarray, bins: int | str = 10) -> dict[str, float]:
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    index, lower, _ = _assign(p, bins)
    return _murphy(p, o, index, lower.size)


def _murphy(p: np.ndarray, o: np.ndarray, index: np.ndarray, size: int) -> dict[str, float]:
    n = p.size
    count, sum_f, sum_o = _bin_sums(p, o, index, size)
    with np.errstate(invalid="ignore", divide="ignore"):
        f_bar = np.where(count > 0, sum_f / count, 0.0)
        o_bar = np.where(count > 0, sum_o / count, 0.0)
    base = o.mean()
    df = p - f_bar[index]
    do = o - o_bar[index]
    return {
        "reliability": float(np.sum(count * (f_bar - o_bar) ** 2) / n),
        "resolution": float(np.sum(count * (o_bar - base) ** 2) / n),
        "uncertainty": float(base * (1 - base)),
        "within_bin_variance": float(np.sum(df * df) / n),
        "within_bin_covariance": float(2 * np.sum(df * do) / n),
    }


def corp(p: np.ndarray, o: np.ndarray) -> dict[str, float]:
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    values, index, counts = np.unique(p, return_inverse=True, return_counts=True)
    return _corp(p, o, values, index, counts)


PAV_IN_PYTHON_UP_TO = 50_000
"""Below this many distinct forecasts our own pool-adjacent-violators loop is quicker than
importing scipy.optimize (half a second); above it, scipy's compiled one is."""


def _pool_adjacent_violators(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted isotonic (non-decreasing) regression of y, by pool-adjacent-violators."""
    means: list[float] = []
    weights: list[float] = []
    sizes: list[int] = []
    for value, weight in zip(y.tolist(), w.tolist(), strict=True):
        means.append(value)
        weights.append(weight)
        sizes.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            total = weights[-2] + weights[-1]
            means[-2] = (means[-2] * weights[-2] + means[-1] * weights[-1]) / total
            weights[-2] = total
            sizes[-2] += sizes[-1]
            del means[-1], weights[-1], sizes[-1]
    return np.repeat(np.array(means), sizes)


def isotonic_fit(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    if y.size <= PAV_IN_PYTHON_UP_TO:
        return _pool_adjacent_violators(y, w)
    from scipy.optimize import isotonic_regression

    return isotonic_regression(y, weights=w, increasing=True).x


def _corp(p: np.ndarray, o: np.ndarray, values: np.ndarray, index: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    hits = np.bincount(index, weights=o, minlength=values.size)
    fitted = isotonic_fit(hits / counts, counts.astype(float))
    recalibrated = fitted[index]
    base = o.mean()
    score = brier(p, o)
    score_star = float(np.mean((recalibrated - o) ** 2))
    uncertainty = float(np.mean((base - o) ** 2))
    return {
        "miscalibration": score - score_star,
        "discrimination": uncertainty - score_star,
        "uncertainty": uncertainty,
    }


def ece(p: np.ndarray, o: np.ndarray, bins: int | str = 10) -> float:
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    index, lower, _ = _assign(p, bins)
    count, sum_f, sum_o = _bin_sums(p, o, index, lower.size)
    return float(np.sum(np.abs(sum_f - sum_o)) / p.size)


def calibration_table(p: np.ndarray, o: np.ndarray, bins: int | str = 10) -> list[CalibrationBin]:
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    index, lower, upper = _assign(p, bins)
    return _table(*_bin_sums(p, o, index, lower.size), lower, upper)


def _table(count: np.ndarray, sum_f: np.ndarray, sum_o: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> list[CalibrationBin]:
    """Every bin, empty ones included (n = 0, no statistics)."""
    lo, hi = jeffreys_interval(sum_o, count)
    table = []
    for i in range(count.size):
        n = int(count[i])
        if n == 0:
            table.append(CalibrationBin(float(lower[i]), float(upper[i]), 0, None, None, None))
            continue
        table.append(CalibrationBin(
            float(lower[i]), float(upper[i]), n, float(sum_f[i] / n), float(sum_o[i] / n),
            (float(lo[i]), float(hi[i])),
        ))
    return table


def analyse(p: np.ndarray, o: np.ndarray, bins: int | str = 10) -> CalibrationAnalysis:
    """Everything at once, sharing the work: scores, bins, Murphy, CORP, Spiegelhalter, ECE."""
    p, o = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    if p.size == 0:
        raise ValueError("no forecasts to analyse")
    values, unique_index, counts = np.unique(p, return_inverse=True, return_counts=True)
    if bins == "distinct":
        index, lower, upper = unique_index, values, values
    else:
        index, lower, upper = _assign(p, bins)
    count, sum_f, sum_o = _bin_sums(p, o, index, lower.size)
    z, p_value = spiegelhalter(p, o)
    return CalibrationAnalysis(
        n=int(p.size), brier=brier(p, o), log_score=log_score(p, o),
        murphy=_murphy(p, o, index, lower.size), corp=_corp(p, o, values, unique_index, counts),
        spiegelhalter={"z": z, "p_value": p_value},
        ece=float(np.sum(np.abs(sum_f - sum_o)) / p.size),
        bins=_table(count, sum_f, sum_o, lower, upper),
    )
