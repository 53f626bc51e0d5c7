"""Scores and calibration of numeric forecasts (CDFs on a question's grid), vectorised over many
forecasts of one question at a time.

- CRPS (Gneiting & Raftery 2007): the integral over x of (F(x) - 1{x >= y})^2, in the question's
  units. Between grid points F is taken linear in x, so each bin's part is exact:
  w (a^2 + a b + b^2) / 3 for the ends a, b of (F - H) on a bin of width w, the bin that holds y
  split there. The tails are point masses at the bounds and a value beyond an open bound counts
  as the bound (as Metaculus does), so the integral runs over [lo, hi]. ``crps_scaled`` divides by
  hi - lo, so that questions can be averaged.
- Log score: ln of the density at the resolved value (the bin's mass over its width in natural
  units), or ln of the tail's mass for a value beyond an open bound; masses are floored at 1e-9.
- PIT: F(resolved value) (a value in a tail takes the middle of that tail's mass); the histogram
  has 10 equal bins and a chi-square test of uniformity.
- Interval coverage at 50% and 90%: whether the value fell inside [q25, q75] and [q05, q95],
  with 90% Jeffreys intervals on the rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from questions import numeric as nm
from questions.numeric import Floats, NumericRange

MASS_FLOOR = 1e-9
PIT_BINS = 10
CHUNK = 20_000


def _rows(cdfs: Floats) -> Floats:
    return np.atleast_2d(np.asarray(cdfs, dtype=float))


def crps(rng: NumericRange, cdfs: Floats, values: Floats) -> Floats:
    """CRPS of each CDF (row) against its resolved value, in natural units."""
    rows = _rows(cdfs)
    y = np.broadcast_to(np.asarray(values, dtype=float), (rows.shape[0],))
    x = rng.grid()
    out = np.empty(rows.shape[0])
    for start in range(0, rows.shape[0], CHUNK):
        out[start : start + CHUNK] = _crps_chunk(
            x, rows[start : start + CHUNK], y[start : start + CHUNK]
        )
    return out


def _crps_chunk(x: Floats, f: Floats, y: Floats) -> Floats:
    """Per bin, with H = 0 below y and 1 above: A = w (f0² + f0 f1 + f1²) / 3 is the bin's
    integral of F², and the integral of (1 - F)² is A + w (1 - f0 - f1); so the CRPS is the sum of
    A over every bin but the cut one, plus w (1 - f0 - f1) over the bins above y, plus the cut bin
    split at y."""
    yc = np.clip(y, x[0], x[-1])
    width = np.diff(x)
    f0, f1 = f[:, :-1], f[:, 1:]
    area = (f0 * (f0 + f1) + f1 * f1) * (width / 3.0)
    rows = np.arange(f.shape[0])
    k = np.clip(np.searchsorted(x, yc, side="right") - 1, 0, width.size - 1)  # the cut bin
    above = x[:-1][None, :] > yc[:, None]
    rest = np.where(above, (1.0 - f0 - f1) * width, 0.0).sum(axis=1)
    total = area.sum(axis=1) - area[rows, k] + rest
    a, b = x[k], x[k + 1]
    fa, fb = f[rows, k], f[rows, k + 1]
    t = (yc - a) / (b - a)
    fy = fa + t * (fb - fa)
    left = (yc - a) * (fa * fa + fa * fy + fy * fy) / 3.0
    gy, gb = 1.0 - fy, 1.0 - fb
    right = (b - yc) * (gy * gy + gy * gb + gb * gb) / 3.0
    return np.asarray(total + left + right, dtype=float)


def log_score(rng: NumericRange, cdfs: Floats, values: Floats) -> Floats:
    """ln density at the resolved value (natural units), or ln tail mass beyond an open bound."""
    rows = _rows(cdfs)
    y = np.broadcast_to(np.asarray(values, dtype=float), (rows.shape[0],))
    u = rng.grid_u()
    x = rng.grid()
    uy = np.asarray(rng.to_scale(np.clip(y, x[0], x[-1])))
    k = np.clip(np.searchsorted(u, uy, side="right") - 1, 0, u.size - 2)
    idx = np.arange(rows.shape[0])
    mass = rows[idx, k + 1] - rows[idx, k]
    out = np.log(np.maximum(mass, MASS_FLOOR) / (x[k + 1] - x[k]))
    lower, upper = y < rng.lo, y > rng.hi
    out[lower] = np.log(np.maximum(rows[lower, 0], MASS_FLOOR))
    out[upper] = np.log(np.maximum(1.0 - rows[upper, -1], MASS_FLOOR))
    return np.asarray(out, dtype=float)


def pit(rng: NumericRange, cdfs: Floats, values: Floats) -> Floats:
    """F(resolved value) per forecast (a value in a tail: the middle of the tail's mass)."""
    rows = _rows(cdfs)
    y = np.broadcast_to(np.asarray(values, dtype=float), (rows.shape[0],))
    u = rng.grid_u()
    uy = np.asarray(rng.to_scale(np.clip(y, rng.lo, rng.hi)))
    k = np.clip(np.searchsorted(u, uy, side="right") - 1, 0, u.size - 2)
    idx = np.arange(rows.shape[0])
    t = np.clip((uy - u[k]) / (u[k + 1] - u[k]), 0.0, 1.0)
    out = rows[idx, k] + t * (rows[idx, k + 1] - rows[idx, k])
    out = np.where(y < rng.lo, rows[:, 0] / 2, out)
    out = np.where(y > rng.hi, 1.0 - (1.0 - rows[:, -1]) / 2, out)
    return np.asarray(out, dtype=float)


def interval_hits(rng: NumericRange, cdfs: Floats, values: Floats) -> tuple[np.ndarray, np.ndarray]:
    """Whether each value fell in the forecast's central 50% and 90% intervals."""
    rows = _rows(cdfs)
    y = np.broadcast_to(np.asarray(values, dtype=float), (rows.shape[0],))
    q = nm.quantiles_rows(rng, rows, [0.05, 0.25, 0.75, 0.95])
    return (q[:, 1] <= y) & (y <= q[:, 2]), (q[:, 0] <= y) & (y <= q[:, 3])


@dataclass
class ScoredForecasts:
    """Per-forecast scores of many forecasts (over any number of questions)."""

    forecaster: list[str]
    question: list[int]
    crps: Floats
    crps_scaled: Floats
    log_score: Floats
    pit: Floats
    in_50: Floats
    in_90: Floats

    @staticmethod
    def empty() -> ScoredForecasts:
        e = np.empty(0)
        return ScoredForecasts([], [], e, e, e, e, e.astype(bool), e.astype(bool))

    def extend(
        self, rng: NumericRange, qid: int, who: Sequence[str], cdfs: Floats, value: float
    ) -> None:
        values = np.full(len(who), value)
        c = crps(rng, cdfs, values)
        hits50, hits90 = interval_hits(rng, cdfs, values)
        self.forecaster += list(who)
        self.question += [qid] * len(who)
        self.crps = np.concatenate([self.crps, c])
        self.crps_scaled = np.concatenate([self.crps_scaled, c / (rng.hi - rng.lo)])
        self.log_score = np.concatenate([self.log_score, log_score(rng, cdfs, values)])
        self.pit = np.concatenate([self.pit, pit(rng, cdfs, values)])
        self.in_50 = np.concatenate([self.in_50, hits50])
        self.in_90 = np.concatenate([self.in_90, hits90])


def pit_histogram(pits: Floats, bins: int = PIT_BINS) -> tuple[list[dict[str, Any]], float | None]:
    """Counts in equal bins over [0, 1] and the chi-square test's p-value against uniform."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts = np.bincount(
        np.clip((np.asarray(pits) * bins).astype(int), 0, bins - 1), minlength=bins
    )
    table = [
        {"lower": round(float(lo), 4), "upper": round(float(hi), 4), "n": int(n)}
        for lo, hi, n in zip(edges[:-1], edges[1:], counts, strict=True)
    ]
    if len(pits) < 2:
        return table, None
    from scipy.stats import chisquare  # noqa: PLC0415 - lazy: SciPy is heavy

    return table, float(chisquare(counts).pvalue)


def coverage(hits: Floats, nominal: float) -> dict[str, Any]:
    from forecast.scoring.calibration import jeffreys_interval  # noqa: PLC0415

    n, k = int(hits.size), int(np.sum(hits))
    if not n:
        return {"nominal": nominal, "n": 0, "hits": 0, "rate": None, "interval": None}
    low, high = jeffreys_interval(k, n)
    return {
        "nominal": nominal,
        "n": n,
        "hits": k,
        "rate": k / n,
        "interval": [float(low), float(high)],
    }


def summary(scored: ScoredForecasts, mask: Floats | None = None) -> dict[str, Any]:
    """The report's ``numeric`` block for the forecasts in ``mask`` (all by default)."""
    keep = np.ones(len(scored.forecaster), dtype=bool) if mask is None else mask
    n = int(keep.sum())
    table, p_value = pit_histogram(scored.pit[keep])

    def mean(values: Floats) -> float | None:
        return float(np.mean(values[keep])) if n else None

    return {
        "n": n,
        "questions": len({q for q, k in zip(scored.question, keep, strict=True) if k}),
        "crps": mean(scored.crps),
        "crps_scaled": mean(scored.crps_scaled),
        "log_score": mean(scored.log_score),
        "pit": table,
        "pit_uniformity_p": p_value,
        "coverage": {
            "50": coverage(scored.in_50[keep], 0.5),
            "90": coverage(scored.in_90[keep], 0.9),
        },
    }
