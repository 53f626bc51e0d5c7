"""Calibration of binary forecasts: bins with Jeffreys intervals, ECE, Spiegelhalter's test, and two
exact decompositions of the Brier score. Pure functions on arrays (p = P(event), o in {0, 1}).

- Bins: ``bins=N`` gives N equal-width, right-closed bins (a, b], the first one [0, b]. A value
  within 1e-9 of a bin width above an edge counts as on that edge, so 0.3 and
  0.30000000000000004 (= 0.1 * 3) both land in (0.2, 0.3]. ``bins="distinct"``: one bin per
  distinct forecast value (lower = upper = that value).
- Every bin is reported, empty ones too: n = 0 and None for the mean forecast, observed
  frequency and interval.
- Interval: Jeffreys 90%, the 0.05 and 0.95 quantiles of Beta(k + 1/2, n - k + 1/2) for k events
  in n forecasts (Brown, Cai & DasGupta 2001), without their k = 0 / k = n adjustment.
- ECE: sum over bins of (n_k / n) |mean forecast - observed frequency|.
- Spiegelhalter (1986, Statistics in Medicine 5): z = sum (o - p)(1 - 2p) / sqrt(sum (1 - 2p)^2
  p (1 - p)), the standardised Brier score; z > 0 means a worse Brier than calibrated forecasts
  would give. Two-sided p-value. Undefined (NaN) when every forecast is 0, 1/2 or 1.
- Murphy with the within-bin terms (Stephenson, Coelho & Jolliffe 2008, Weather and Forecasting
  23): BS = REL - RES + UNC + WBV - WBC exactly, with
  WBV = (1/n) sum_k sum_i (f_ki - fbar_k)^2 and WBC = (2/n) sum_k sum_i (f_ki - fbar_k)(o_ki - obar_k).
- CORP (Dimitriadis, Gneiting & Jordan 2021, PNAS 118 e2016191118): the recalibrated forecast f*
  is the isotonic (non-decreasing) regression of o on p, tied forecasts pooled first; with S the
  mean Brier score, MCB = S(f) - S(f*), DSC = S(obar) - S(f*), UNC = S(obar) = obar (1 - obar),
  so BS = MCB - DSC + UNC exactly, MCB >= 0 and DSC >= 0.

Speed: everything is computed from per-distinct-value counts (how many forecasts gave each value,
and how many of those events happened), found with a single sort; bins, Murphy, CORP, scores and
the test then cost O(number of distinct values).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from forecast.scoring.scores import binary_arrays, brier_terms, log_terms

EDGE_TOLERANCE = 1e-9
"""In units of a bin width: how far above an edge a value may be and still count as on it."""

PAV_IN_PYTHON_UP_TO = 50_000
"""Up to this many distinct forecasts our own pool-adjacent-violators is quicker than importing
scipy.optimize (about 0.2 s the first time); above it scipy's compiled one is."""

Bins = int | str


@dataclass(frozen=True)
class CalibrationBin:
    """One row of the calibration table."""

    lower: float
    upper: float
    n: int
    mean_forecast: float | None
    observed_frequency: float | None
    interval: tuple[float, float] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": self.lower,
            "upper": self.upper,
            "n": self.n,
            "mean_forecast": self.mean_forecast,
            "observed_frequency": self.observed_frequency,
            "interval": list(self.interval) if self.interval is not None else None,
        }


@dataclass(frozen=True)
class CalibrationAnalysis:
    """Everything ``analyse`` computes for one set of resolved binary forecasts."""

    n: int
    brier: float
    log_score: float
    murphy: dict[str, float]
    corp: dict[str, float]
    spiegelhalter: dict[str, float]
    ece: float
    bins: list[CalibrationBin]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain floats, lists for intervals, None for undefined (NaN) figures."""
        return {
            "n": self.n,
            "brier": self.brier,
            "log_score": self.log_score,
            "murphy": dict(self.murphy),
            "corp": dict(self.corp),
            "spiegelhalter": {k: _finite_or_none(v) for k, v in self.spiegelhalter.items()},
            "ece": self.ece,
            "bins": [b.to_dict() for b in self.bins],
        }


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


# --- bins ---------------------------------------------------------------------------------------


def _check_bins(bins: Bins) -> None:
    if bins == "distinct":
        return
    if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or bins < 1:
        raise ValueError(f"bins must be a whole number >= 1 or 'distinct', not {bins!r}")


def bin_index(p: ArrayLike, bins: int) -> np.ndarray:
    """Index of each forecast's bin among ``bins`` equal-width right-closed bins (a, b], the first
    [0, b]; values within float noise above an edge count as on it."""
    _check_bins(bins)
    scaled = np.asarray(p, dtype=float) * bins
    index = np.ceil(scaled - EDGE_TOLERANCE).astype(np.int64) - 1
    return np.clip(index, 0, int(bins) - 1)


def bin_edges(bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper edges of ``bins`` equal-width bins, rounded so that 0.3 reads 0.3."""
    edges = np.round(np.linspace(0.0, 1.0, int(bins) + 1), 12)
    return edges[:-1], edges[1:]


def jeffreys_interval(
    k: ArrayLike, n: ArrayLike, level: float = 0.90
) -> tuple[np.ndarray, np.ndarray]:
    """Jeffreys interval for k successes in n trials: Beta(k + 1/2, n - k + 1/2) quantiles."""
    from scipy.special import betaincinv

    k_arr, n_arr = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    tail = (1.0 - level) / 2.0
    a, b = k_arr + 0.5, n_arr - k_arr + 0.5
    return betaincinv(a, b, tail), betaincinv(a, b, 1.0 - tail)


# --- per-distinct-value counts ------------------------------------------------------------------


@dataclass(frozen=True)
class _Counts:
    """Sufficient statistics: the distinct forecast values (sorted), how many forecasts gave
    each, and how many of those events happened."""

    values: np.ndarray
    forecasts: np.ndarray
    events: np.ndarray

    @property
    def n(self) -> int:
        return int(self.forecasts.sum())

    @property
    def base_rate(self) -> float:
        return float(self.events.sum() / self.forecasts.sum())

    def mean_brier(self, f: np.ndarray) -> float:
        """Brier score of forecasting f[i] wherever the forecast was values[i] (``brier_terms``
        of each distinct value against a hit and a miss, weighted by how often each happened)."""
        misses = self.forecasts - self.events
        hit, miss = brier_terms(f, np.ones(f.size)), brier_terms(f, np.zeros(f.size))
        return float((np.dot(self.events, hit) + np.dot(misses, miss)) / self.n)


def _count(p: ArrayLike, o: ArrayLike) -> _Counts:
    p_arr, o_arr = binary_arrays(p, o)
    # One sort of a uint64 key: the bits of a non-negative double order like the double itself, so
    # (bits << 1) | outcome sorts by forecast, then outcome. (+ 0.0 turns -0.0 into 0.0.)
    key = (p_arr + 0.0).view(np.uint64) << np.uint64(1)
    key |= (o_arr == 1.0).view(np.uint8)
    runs, run_length = np.unique(key, return_counts=True)
    bits = runs >> np.uint64(1)
    new_value = np.ones(runs.size, dtype=bool)
    new_value[1:] = bits[1:] != bits[:-1]
    which = np.cumsum(new_value) - 1
    happened = (runs & np.uint64(1)).astype(bool)
    return _Counts(
        values=bits[new_value].view(np.float64),
        forecasts=np.bincount(which, weights=run_length).astype(np.float64),
        events=np.bincount(
            which, weights=np.where(happened, run_length, 0), minlength=which[-1] + 1
        ),
    )


@dataclass(frozen=True)
class _Binned:
    """Which bin each distinct value falls in, and the per-bin totals."""

    of_value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    count: np.ndarray
    sum_forecast: np.ndarray
    sum_events: np.ndarray


def _bin(counts: _Counts, bins: Bins) -> _Binned:
    _check_bins(bins)
    if bins == "distinct":
        of_value = np.arange(counts.values.size)
        lower = upper = counts.values
    else:
        of_value = bin_index(counts.values, int(bins))
        lower, upper = bin_edges(int(bins))
    size = lower.size
    return _Binned(
        of_value,
        lower,
        upper,
        count=np.bincount(of_value, weights=counts.forecasts, minlength=size),
        sum_forecast=np.bincount(
            of_value, weights=counts.forecasts * counts.values, minlength=size
        ),
        sum_events=np.bincount(of_value, weights=counts.events, minlength=size),
    )


# --- the pieces ---------------------------------------------------------------------------------


def _table(binned: _Binned) -> list[CalibrationBin]:
    filled = binned.count > 0
    n = binned.count[filled]
    low, high = jeffreys_interval(binned.sum_events[filled], n)
    stats = iter(
        zip(
            (binned.sum_forecast[filled] / n).tolist(),
            (binned.sum_events[filled] / n).tolist(),
            low.tolist(),
            high.tolist(),
            strict=True,
        )
    )
    table = []
    for lower, upper, count, has in zip(
        binned.lower.tolist(),
        binned.upper.tolist(),
        binned.count.tolist(),
        filled.tolist(),
        strict=True,
    ):
        if has:
            mean, observed, lo, hi = next(stats)
            table.append(CalibrationBin(lower, upper, int(count), mean, observed, (lo, hi)))
        else:
            table.append(CalibrationBin(lower, upper, 0, None, None, None))
    return table


def _ece(counts: _Counts, binned: _Binned) -> float:
    return float(np.abs(binned.sum_forecast - binned.sum_events).sum() / counts.n)


def _murphy(counts: _Counts, binned: _Binned) -> dict[str, float]:
    n, base = counts.n, counts.base_rate
    with np.errstate(invalid="ignore", divide="ignore"):
        f_bar = np.where(binned.count > 0, binned.sum_forecast / binned.count, 0.0)
        o_bar = np.where(binned.count > 0, binned.sum_events / binned.count, 0.0)
    spread = counts.values - f_bar[binned.of_value]  # f - fbar_k, the same for every tied forecast
    excess = (
        counts.events - counts.forecasts * o_bar[binned.of_value]
    )  # sum of (o - obar_k) over them
    return {
        "reliability": float(np.dot(binned.count, (f_bar - o_bar) ** 2) / n),
        "resolution": float(np.dot(binned.count, (o_bar - base) ** 2) / n),
        "uncertainty": base * (1.0 - base),
        "within_bin_variance": float(np.dot(counts.forecasts, spread**2) / n),
        "within_bin_covariance": float(2.0 * np.dot(spread, excess) / n),
    }


def _pool_adjacent_violators(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted least-squares non-decreasing fit to y (pool-adjacent-violators, a stack of blocks:
    each new point starts a block, merged backwards while the block before has a larger mean)."""
    means: list[float] = []
    weights: list[float] = []
    lengths: list[int] = []
    for value, weight in zip(y.tolist(), w.tolist(), strict=True):
        mean, total, length = value, weight, 1
        while means and means[-1] > mean:
            pooled = weights[-1] + total
            mean = (means[-1] * weights[-1] + mean * total) / pooled
            total, length = pooled, length + lengths[-1]
            means.pop(), weights.pop(), lengths.pop()
        means.append(mean)
        weights.append(total)
        lengths.append(length)
    return np.repeat(np.array(means, dtype=float), lengths)


def isotonic_fit(y: ArrayLike, w: ArrayLike) -> np.ndarray:
    """Weighted isotonic (non-decreasing) regression of y in the given order."""
    y_arr, w_arr = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    if y_arr.size <= PAV_IN_PYTHON_UP_TO:
        return _pool_adjacent_violators(y_arr, w_arr)
    from scipy.optimize import isotonic_regression

    return np.asarray(isotonic_regression(y_arr, weights=w_arr, increasing=True).x)


def _corp(counts: _Counts, score: float) -> dict[str, float]:
    recalibrated = isotonic_fit(counts.events / counts.forecasts, counts.forecasts)
    score_star = counts.mean_brier(recalibrated)
    base = counts.base_rate
    uncertainty = base * (1.0 - base)
    return {
        "miscalibration": score - score_star,
        "discrimination": uncertainty - score_star,
        "uncertainty": uncertainty,
    }


def _spiegelhalter(counts: _Counts) -> tuple[float, float]:
    v = counts.values
    slope = 1.0 - 2.0 * v
    variance = float(np.dot(counts.forecasts, slope**2 * v * (1.0 - v)))
    if variance <= 0.0:
        return math.nan, math.nan
    z = float(np.dot(counts.events - counts.forecasts * v, slope)) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2.0))


def _log_score(counts: _Counts) -> float:
    """``scores.log_score`` from the counts: ``log_terms`` of each distinct value for a hit and
    for a miss, weighted by how often each happened."""
    misses = counts.forecasts - counts.events
    hit, miss = log_terms(counts.values), log_terms(1.0 - counts.values)
    return float((np.dot(counts.events, hit) + np.dot(misses, miss)) / counts.n)


# --- public API ---------------------------------------------------------------------------------


def calibration_table(p: ArrayLike, o: ArrayLike, bins: Bins = 10) -> list[CalibrationBin]:
    """Per bin: edges, n, mean forecast, observed frequency and Jeffreys 90% interval."""
    return _table(_bin(_count(p, o), bins))


def ece(p: ArrayLike, o: ArrayLike, bins: Bins = 10) -> float:
    """Expected calibration error: sum over bins of (n_k / n) |mean forecast - observed frequency|."""
    counts = _count(p, o)
    return _ece(counts, _bin(counts, bins))


def spiegelhalter(p: ArrayLike, o: ArrayLike) -> tuple[float, float]:
    """Spiegelhalter's z (positive: worse Brier than calibration predicts) and two-sided p-value."""
    return _spiegelhalter(_count(p, o))


def murphy(p: ArrayLike, o: ArrayLike, bins: Bins = 10) -> dict[str, float]:
    """Murphy's decomposition with Stephenson et al.'s within-bin terms:
    brier = reliability - resolution + uncertainty + within_bin_variance - within_bin_covariance."""
    counts = _count(p, o)
    return _murphy(counts, _bin(counts, bins))


def corp(p: ArrayLike, o: ArrayLike) -> dict[str, float]:
    """CORP decomposition: brier = miscalibration - discrimination + uncertainty."""
    counts = _count(p, o)
    return _corp(counts, counts.mean_brier(counts.values))


def analyse(p: ArrayLike, o: ArrayLike, bins: Bins = 10) -> CalibrationAnalysis:
    """Scores, calibration table, Murphy, CORP, Spiegelhalter and ECE in one pass over the data."""
    _check_bins(bins)
    counts = _count(p, o)
    binned = _bin(counts, bins)
    score = counts.mean_brier(counts.values)
    z, p_value = _spiegelhalter(counts)
    return CalibrationAnalysis(
        n=counts.n,
        brier=score,
        log_score=_log_score(counts),
        murphy=_murphy(counts, binned),
        corp=_corp(counts, score),
        spiegelhalter={"z": z, "p_value": p_value},
        ece=_ece(counts, binned),
        bins=_table(binned),
    )


@dataclass(frozen=True)
class CurveStep:
    """One block of the CORP (isotonic) recalibration curve: the forecasts in [lower, upper]
    were all recalibrated to ``observed``, the share of their events that happened."""

    lower: float
    upper: float
    n: int
    observed: float

    def to_dict(self) -> dict[str, Any]:
        return {"lower": self.lower, "upper": self.upper, "n": self.n, "observed": self.observed}


def corp_curve(p: ArrayLike, o: ArrayLike) -> list[CurveStep]:
    """The isotonic regression of outcomes on forecasts (the CORP curve), one step per block of
    pooled forecast values."""
    counts = _count(p, o)
    fitted = isotonic_fit(counts.events / counts.forecasts, counts.forecasts)
    new_block = np.r_[True, fitted[1:] != fitted[:-1]]
    starts = np.flatnonzero(new_block)
    ends = np.r_[starts[1:], fitted.size] - 1
    sizes = np.add.reduceat(counts.forecasts, starts)
    return [
        CurveStep(float(counts.values[s]), float(counts.values[e]), int(size), float(fitted[s]))
        for s, e, size in zip(starts.tolist(), ends.tolist(), sizes.tolist(), strict=True)
    ]
