"""Scores and calibration of numeric forecasts (CDFs on a question's grid), vectorised over many
forecasts of one question at a time.

- CRPS (Gneiting & Raftery 2007): the integral over x of (F(x) - 1{x >= y})^2, in the question's
  units. Between grid points F is taken linear in x, so the integral is exact; it is read from
  the forecast's score table (``questions.numeric_crps``: the CRPS at every grid point, stored
  when the forecast is recorded) as T_k + (y - x_k) (F(x_k) + F(y) - 1) for y in bin k. The tails are point masses at the bounds and a value beyond an open bound counts
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

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from questions import numeric as nm
from questions.numeric import Floats, NumericRange
from questions.numeric_crps import score_tables

MASS_FLOOR = 1e-9
PIT_BINS = 10
CHUNK = 16_384


def _rows(cdfs: Floats) -> Floats:
    return np.atleast_2d(np.asarray(cdfs, dtype=float))


def scores(
    rng: NumericRange, tables: Floats, values: Floats | float
) -> tuple[Floats, Floats, Floats]:
    """CRPS, log score and PIT of many forecasts from their score tables ((forecasts, 201, 2):
    F and the CRPS at each grid point, ``questions.numeric_crps``).

    One value for all of them (a question's forecasts against its resolved value, as reports
    score): the bin, the offset in it and the weights are worked out once, and the three numbers
    each forecast needs, F_k, T_k and F_k+1, lie side by side in its row, so all three scores are
    one matrix product of those (forecasts, 3) slices (a strided view, no copy) with a 3 x 3
    matrix. A value per forecast: per forecast the bin that holds the value, three gathers and
    a few operations, a chunk of forecasts at a time."""
    tables = np.asarray(tables, dtype=float)
    n = tables.shape[0]
    grid = _Grid.of(rng)
    if isinstance(values, float | int | np.floating):
        return _scores_one_value(grid, tables, float(values))
    y = np.broadcast_to(np.asarray(values, dtype=float), (n,))
    flat = tables.reshape(-1)
    out = np.empty((3, n))
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        _scores_chunk(grid, flat, start, y[start:stop], out[:, start:stop])
    return out[0], out[1], out[2]


@dataclass(frozen=True)
class _Grid:
    rng: NumericRange
    x: Floats
    width: Floats
    u: Floats
    per_bin: float
    """Bins per unit of the scale (the grid is evenly spaced in it)."""

    @staticmethod
    @functools.lru_cache(maxsize=256)
    def of(rng: NumericRange) -> _Grid:
        x, u = rng.grid(), rng.grid_u()
        width = np.diff(x)
        for kept in (x, u, width):  # shared by every call on this range
            kept.flags.writeable = False
        return _Grid(rng, x, width, u, (u.size - 1) / (u[-1] - u[0]))

    def bins(self, yc: Floats) -> tuple[np.ndarray, Floats]:
        """The bin k (0..199) holding each clipped value, the largest k with u_k <= u(y) (as
        ``searchsorted(u, u(y), 'right') - 1``), from the grid's even spacing: rounded up by
        a hair, then one step down where that overshot; and the value in the scale."""
        uy = yc if not self.rng.log else np.asarray(self.rng.to_scale(yc))
        s = uy - self.u[0]
        s *= self.per_bin
        s += 1e-9
        k = s.astype(np.intp)
        np.minimum(k, self.u.size - 2, out=k)
        k -= self.u.take(k) > uy
        return k, uy

    def bin_of(self, yc: float) -> tuple[int, float]:
        """``bins`` for one value."""
        uy = yc if not self.rng.log else float(self.rng.to_scale(yc))
        k = min(int((uy - self.u[0]) * self.per_bin + 1e-9), self.u.size - 2)
        return k - int(self.u[k] > uy), uy


def _scores_one_value(grid: _Grid, tables: Floats, y: float) -> tuple[Floats, Floats, Floats]:
    """All forecasts against one value: [F_k, T_k, F_k+1] of each row times a 3 x 3 matrix gives
    its CRPS (less the offset d), the density the log score needs (the bin's mass over its width)
    and its PIT."""
    x, rng = grid.x, grid.rng
    yc = min(max(y, float(x[0])), float(x[-1]))
    k, uy = grid.bin_of(yc)
    width = float(grid.width[k])
    d = yc - float(x[k])
    t = d / width
    # CRPS = T_k + d (F_k + F(y) - 1) with F(y) = F_k + t (F_k+1 - F_k)
    crps_w = (d * (2.0 - t), 1.0, d * t)
    density_w = (-1.0 / width, 0.0, 1.0 / width)
    if rng.log:  # F is linear in x for the CRPS but in the scale for the PIT
        u = grid.u
        t = min(max(float((uy - u[k]) / (u[k + 1] - u[k])), 0.0), 1.0)
    pit_w = (1.0 - t, 0.0, t)
    floor = MASS_FLOOR / width
    upper = y > rng.hi
    if y < rng.lo:  # beyond an open bound: the tail's mass (and the middle of it for the PIT)
        density_w, pit_w, floor = (1.0, 0.0, 0.0), (0.5, 0.0, 0.0), MASS_FLOOR
    elif upper:  # the tail 1 - F_200 and 1 - (1 - F_200) / 2: constants added below
        density_w, pit_w, floor = (0.0, 0.0, -1.0), (0.0, 0.0, 0.5), MASS_FLOOR
    n = tables.shape[0]
    ends = tables.reshape(n, -1)[:, 2 * k : 2 * k + 3]
    out = np.matmul(np.array([crps_w, density_w, pit_w]), ends.T)
    crps, logs, pit = out
    crps -= d
    if upper:
        logs += 1.0
        pit += 0.5
    np.maximum(logs, floor, out=logs)
    np.log(logs, out=logs)
    return crps, logs, pit


def _scores_chunk(grid: _Grid, flat: Floats, start: int, y: Floats, out: Floats) -> None:
    x, rng, row = grid.x, grid.rng, 2 * nm.GRID_POINTS
    yc = np.clip(y, x[0], x[-1])
    k, uy = grid.bins(yc)
    at = np.arange(start * row, (start + y.size) * row, row)
    at += 2 * k
    fa = flat.take(at)
    at += 1
    crps_a = flat.take(at)
    at += 1
    mass = flat.take(at)
    mass -= fa
    width = grid.width.take(k)
    d = yc - x.take(k)
    fy = d / width
    fy *= mass
    fy += fa
    np.add(fa, fy, out=out[0])
    out[0] -= 1.0
    out[0] *= d
    out[0] += crps_a
    np.maximum(mass, MASS_FLOOR, out=out[1])
    out[1] /= width
    np.log(out[1], out=out[1])
    if rng.log:  # F is linear in x for the CRPS but in the scale for the PIT
        u = grid.u
        fy = np.clip((uy - u[k]) / (u[k + 1] - u[k]), 0.0, 1.0) * mass + fa
    out[2] = fy
    lower, upper = np.flatnonzero(y < rng.lo), np.flatnonzero(y > rng.hi)
    if lower.size:  # beyond an open bound: the tail's mass (and the middle of it for the PIT)
        tail = flat.take((start + lower) * row)
        out[1, lower] = np.log(np.maximum(tail, MASS_FLOOR))
        out[2, lower] = tail / 2
    if upper.size:
        tail = 1.0 - flat.take((start + upper + 1) * row - 2)
        out[1, upper] = np.log(np.maximum(tail, MASS_FLOOR))
        out[2, upper] = 1.0 - tail / 2


def crps(rng: NumericRange, cdfs: Floats, values: Floats) -> Floats:
    """CRPS of each CDF (row) against its resolved value, in natural units."""
    return scores(rng, score_tables(rng, _rows(cdfs)), values)[0]


def log_score(rng: NumericRange, cdfs: Floats, values: Floats) -> Floats:
    """ln density at the resolved value (natural units), or ln tail mass beyond an open bound."""
    return scores(rng, score_tables(rng, _rows(cdfs)), values)[1]


def pit(rng: NumericRange, cdfs: Floats, values: Floats) -> Floats:
    """F(resolved value) per forecast (a value in a tail: the middle of the tail's mass)."""
    return scores(rng, score_tables(rng, _rows(cdfs)), values)[2]


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
        self,
        rng: NumericRange,
        qid: int,
        who: Sequence[str],
        cdfs: Floats,
        value: float,
        tables: Floats | None = None,
    ) -> None:
        """Score forecasts of one question: from their stored score tables when given, else
        from tables computed from the CDFs here."""
        values = np.full(len(who), value)
        table_rows = score_tables(rng, cdfs) if tables is None else tables
        c, logs, pits = scores(rng, table_rows, value)
        hits50, hits90 = interval_hits(rng, cdfs, values)
        self.forecaster += list(who)
        self.question += [qid] * len(who)
        self.crps = np.concatenate([self.crps, c])
        self.crps_scaled = np.concatenate([self.crps_scaled, c / (rng.hi - rng.lo)])
        self.log_score = np.concatenate([self.log_score, logs])
        self.pit = np.concatenate([self.pit, pits])
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
