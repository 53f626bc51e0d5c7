"""Scores and calibration of numeric forecasts (CDFs on a question's grid), vectorised over many
forecasts: of one question (``scores``) or of many questions in one pass (``scores_grouped``).

- CRPS (Gneiting & Raftery 2007): the integral over x of (F(x) - 1{x >= y})^2, in the question's
  units. Between grid points F is taken linear in x, so the integral is exact; it is read from
  the forecast's score table (``questions.numeric_crps``: the CRPS at every grid point, stored
  when the forecast is recorded) as T_k + (y - x_k) (F(x_k) + F(y) - 1) for y in bin k. The
  tails are point masses at the bounds and a value beyond an open bound counts as the bound (as
  Metaculus does), so the integral runs over [lo, hi]. ``crps_scaled`` divides by
  hi - lo, so that questions can be averaged.
- Log score: ln of the density at the resolved value (the bin's mass over its width in natural
  units), or ln of the tail's mass for a value beyond an open bound; masses are floored at 1e-9.
  The table holds each bin's log density, so scoring reads it and takes no logarithm.
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
from questions import numeric_crps
from questions.numeric import Floats, NumericRange
from questions.numeric_crps import score_tables

MASS_FLOOR = numeric_crps.MASS_FLOOR
PIT_BINS = 10
CHUNK = 32_768


def _rows(cdfs: Floats) -> Floats:
    return np.atleast_2d(np.asarray(cdfs, dtype=float))


def scores(
    rng: NumericRange, tables: Floats, values: Floats | float
) -> tuple[Floats, Floats, Floats]:
    """CRPS, log score and PIT of many forecasts from their score tables ((forecasts, 201, 4):
    per grid point F, the CRPS there, and the log density and mass of the bin starting there,
    ``questions.numeric_crps``), against one value for all (a question's forecasts against its
    resolved value) or a value each. Per forecast the bin k that holds the value, then the four
    numbers it needs, F_k, T_k, L_k and M_k, one 32-byte block of its row, gathered a chunk of
    forecasts at a time: the log score is L_k, and the CRPS and PIT a few operations."""
    if isinstance(values, float | int | np.floating):
        return scores_grouped([rng], tables, np.array([float(values)]), np.array([len(tables)]))
    tables = np.asarray(tables, dtype=float)
    n = tables.shape[0]
    grid = _Grid.of(rng)
    y = np.broadcast_to(np.asarray(values, dtype=float), (n,))
    blocks = tables.reshape(-1, numeric_crps.COLUMNS)
    out = np.empty((3, n))
    below = bool(n) and bool(y.min() < rng.lo)  # any value beyond a bound at all
    above = bool(n) and bool(y.max() > rng.hi)
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        w = _Weights.of(grid, y[start:stop])
        lower, upper = w.lower if below else None, w.upper if above else None
        _score_rows(blocks, start, w, lower, upper, out[:, start:stop])
    return out[0], out[1], out[2]


def scores_grouped(
    ranges: Sequence[NumericRange],
    tables: Floats,
    values: Floats | Sequence[float],
    counts: np.ndarray | Sequence[int],
) -> tuple[Floats, Floats, Floats]:
    """``scores`` of many questions' forecasts in one pass, as reports score: question q (range
    ``ranges[q]``, resolved value ``values[q]``) has ``counts[q]`` forecasts, the next rows of
    ``tables`` (forecasts grouped by question, in order). The bin, offset and weights are worked
    out once per question (one vectorised step per distinct range) and spread over its rows a
    chunk of whole questions at a time."""
    tables = np.asarray(tables, dtype=float)
    sizes: np.ndarray = np.asarray(counts, dtype=np.intp)
    y = np.asarray(values, dtype=float)
    if int(sizes.sum()) != tables.shape[0] or not len(ranges) == sizes.size == y.size:
        raise ValueError("scores_grouped: counts must add up to the rows of tables, one a question")
    w = _Weights.per_question(ranges, y)
    offsets = np.zeros(sizes.size + 1, dtype=np.intp)
    np.cumsum(sizes, out=offsets[1:])
    blocks = tables.reshape(-1, numeric_crps.COLUMNS)
    out = np.empty((3, tables.shape[0]))
    qa = 0
    while qa < sizes.size:
        qb = max(int(np.searchsorted(offsets, offsets[qa] + CHUNK, "right")) - 1, qa + 1)
        start, stop, part = int(offsets[qa]), int(offsets[qb]), sizes[qa:qb]
        lower = np.repeat(w.lower[qa:qb], part) if w.lower[qa:qb].any() else None
        upper = np.repeat(w.upper[qa:qb], part) if w.upper[qa:qb].any() else None
        _score_rows(blocks, start, w.spread(qa, qb, part), lower, upper, out[:, start:stop])
        qa = qb
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


@dataclass
class _Weights:
    """Per value: its bin k (the block of a table row it reads), its offset d = y - x_k in
    the bin (y clipped to the range), the fraction tx = d / width for the CRPS and tp for the
    PIT (the same but in the scale for a log range), and whether it lies beyond a bound."""

    col: np.ndarray
    d: Floats
    tx: Floats
    tp: Floats
    lower: np.ndarray
    upper: np.ndarray

    @staticmethod
    def of(grid: _Grid, y: Floats) -> _Weights:
        x, rng = grid.x, grid.rng
        yc = np.maximum(y, x[0])
        np.minimum(yc, x[-1], out=yc)
        k, uy = grid.bins(yc)
        d = yc - x.take(k)
        tx = d / grid.width.take(k)
        tp = tx
        if rng.log:  # F is linear in x for the CRPS but in the scale for the PIT
            u = grid.u
            tp = np.clip((uy - u.take(k)) / (u.take(k + 1) - u.take(k)), 0.0, 1.0)
        return _Weights(k, d, tx, tp, y < rng.lo, y > rng.hi)

    @staticmethod
    def per_question(ranges: Sequence[NumericRange], values: Floats) -> _Weights:
        """``of`` for each question's value on its own range, one step per distinct range."""
        by_range: dict[NumericRange, list[int]] = {}
        for q, rng in enumerate(ranges):
            by_range.setdefault(rng, []).append(q)
        if len(by_range) == 1:
            return _Weights.of(_Grid.of(ranges[0]), values)
        n = values.size
        floats = (np.empty(n), np.empty(n), np.empty(n))
        w = _Weights(np.empty(n, np.intp), *floats, np.empty(n, bool), np.empty(n, bool))
        for rng, qs in by_range.items():
            part = _Weights.of(_Grid.of(rng), values[qs])
            for name in ("col", "d", "tx", "tp", "lower", "upper"):
                getattr(w, name)[qs] = getattr(part, name)
        return w

    def spread(self, qa: int, qb: int, counts: np.ndarray) -> _Weights:
        """Questions qa..qb-1's weights repeated over their forecasts."""
        col, d, tx = (np.repeat(a[qa:qb], counts) for a in (self.col, self.d, self.tx))
        tp = tx if self.tp is self.tx else np.repeat(self.tp[qa:qb], counts)
        return _Weights(col, d, tx, tp, self.lower, self.upper)


def _score_rows(
    blocks: Floats,
    start: int,
    w: _Weights,
    lower: np.ndarray | None,
    upper: np.ndarray | None,
    out: Floats,
) -> None:
    """Scores of rows start.. (one per entry of w) into out (3, rows): one gather of each row's
    block k, (F_k, T_k, L_k, M_k), then CRPS = T_k + d (F_k + F(y) - 1), log score L_k and PIT
    F(y), with F(y) = F_k + t M_k. Beyond a bound: the tail's log mass and the middle of its
    mass for the PIT."""
    rows = w.col.size
    at = np.arange(start * nm.GRID_POINTS, (start + rows) * nm.GRID_POINTS, nm.GRID_POINTS)
    at += w.col
    got = blocks.take(at, axis=0)
    f0, crps_k, mass = got[:, 0], got[:, 1], got[:, 3]
    out[1] = got[:, 2]
    pit, crps = out[2], out[0]
    np.multiply(w.tp, mass, out=pit)
    pit += f0
    fy = pit
    if w.tp is not w.tx:
        fy = w.tx * mass
        fy += f0
    np.add(f0, fy, out=crps)
    crps -= 1.0
    crps *= w.d
    crps += crps_k
    if lower is not None and lower.any():  # k = 0, so F_k is F_0, the lower tail's mass
        low = np.flatnonzero(lower)
        out[1, low] = np.log(np.maximum(f0[low], MASS_FLOOR))
        out[2, low] = f0[low] / 2
    if upper is not None and upper.any():  # block 200: L_200 and M_200 = 1 - F_200
        up = np.flatnonzero(upper)
        tail = blocks.take(at[up] + 1, axis=0)
        out[1, up] = tail[:, 2]
        out[2, up] = 1.0 - tail[:, 3] / 2


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
        """Score forecasts of one question (``extend_many`` of one)."""
        self.extend_many([QuestionForecasts(rng, qid, who, cdfs, value, tables)])

    def extend_many(self, questions: Sequence[QuestionForecasts]) -> None:
        """Score the forecasts of many questions, in order, in one pass (``scores_grouped``):
        from their stored score tables where given, else from tables computed here."""
        if not questions:
            return
        counts = np.array([len(q.who) for q in questions], dtype=np.intp)
        tables = np.concatenate(
            [score_tables(q.rng, q.cdfs) if q.tables is None else q.tables for q in questions]
        )
        c, logs, pits = scores_grouped(
            [q.rng for q in questions], tables, np.array([q.value for q in questions]), counts
        )
        hits = [interval_hits(q.rng, q.cdfs, np.full(len(q.who), q.value)) for q in questions]
        self.forecaster += [who for q in questions for who in q.who]
        self.question += [q.qid for q in questions for _ in q.who]
        span = np.repeat([q.rng.hi - q.rng.lo for q in questions], counts)
        self.crps = np.concatenate([self.crps, c])
        self.crps_scaled = np.concatenate([self.crps_scaled, c / span])
        self.log_score = np.concatenate([self.log_score, logs])
        self.pit = np.concatenate([self.pit, pits])
        self.in_50 = np.concatenate([self.in_50, *(h[0] for h in hits)])
        self.in_90 = np.concatenate([self.in_90, *(h[1] for h in hits)])


@dataclass(frozen=True)
class QuestionForecasts:
    """One question's forecasts to score: its range, id, the forecasters, their CDFs (rows),
    the resolved value and the stored score tables (None: computed from the CDFs)."""

    rng: NumericRange
    qid: int
    who: Sequence[str]
    cdfs: Floats
    value: float
    tables: Floats | None = None


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
