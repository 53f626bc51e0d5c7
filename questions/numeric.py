"""The pure math of numeric and date questions: the range, its grid, and a forecast as a CDF on it.

A numeric question has a range [lo, hi] in its *scale*: linear (u = x), log (u = ln x) or date
(u = days since 1970-01-01). The grid is ``GRID_POINTS`` points evenly spaced in u from lo to hi,
so ``GRID_POINTS - 1`` bins. A forecast is stored as its CDF at the grid points: ``cdf[0]`` is the
mass below lo (the lower tail; 0 for a closed lower bound) and ``1 - cdf[-1]`` the mass above hi.
Between grid points the CDF is linear in u (the density is flat in the scale within a bin).

Fitting (``cdf_from_quantiles``): the typed quantiles (u_k, p_k) are moved to a space where the
range's closed bounds are at infinity (t = logit((u - lo) / (hi - lo)) for a closed range, ln(u - lo)
or ln(hi - u) for one closed bound, t = u for open ones) and their probabilities to logits; SciPy's
``PchipInterpolator`` joins the points (monotone, so the CDF never decreases, and local, so one
quantile moves only its neighbours), and beyond the outer quantiles the line of the outermost
segment carries on (logistic tails). The fitted CDF passes through every typed quantile exactly,
is 0 at a closed lower bound and 1 at a closed upper one.

No database here; SciPy is imported only inside the functions that need it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .errors import InvalidInput

GRID_POINTS = 201
"""CDF values stored per forecast: 200 bins over the range, the tails in the end values."""
Z90 = 1.6448536269514722
EPOCH = dt.date(1970, 1, 1)

Floats = NDArray[np.float64]


@dataclass(frozen=True)
class NumericRange:
    """The range of a numeric (or date) question."""

    lo: float
    hi: float
    """In the question's natural units (days since 1970-01-01 for a date question)."""
    log: bool = False
    open_lower: bool = False
    open_upper: bool = False
    unit: str = ""
    is_date: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi)) or self.hi <= self.lo:
            raise InvalidInput(
                f"range: {self.show(self.lo)} .. {self.show(self.hi)} is not allowed "
                "(LO must be below HI, both finite)"
            )
        if self.log and self.lo <= 0:
            raise InvalidInput(f"range: --log needs LO > 0 (got {self.show(self.lo)})")

    # scale <-> natural units
    def to_scale(self, x: Floats | float) -> Floats:
        arr = np.asarray(x, dtype=float)
        if self.log:
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(arr > 0, np.log(np.where(arr > 0, arr, 1.0)), -np.inf)
        return arr

    def from_scale(self, u: Floats | float) -> Floats:
        arr = np.asarray(u, dtype=float)
        return np.exp(arr) if self.log else arr

    @property
    def u_lo(self) -> float:
        return float(self.to_scale(self.lo))

    @property
    def u_hi(self) -> float:
        return float(self.to_scale(self.hi))

    def grid_u(self) -> Floats:
        return np.linspace(self.u_lo, self.u_hi, GRID_POINTS)

    def grid(self) -> Floats:
        """The grid points in natural units (log-spaced for a log question)."""
        x = self.from_scale(self.grid_u())
        x[0], x[-1] = self.lo, self.hi
        return x

    def show(self, x: float) -> str:
        """A value as users read it: an ISO date for a date question, else a short number."""
        if self.is_date:
            return value_to_date(x)
        text = f"{x:.4g}" if abs(x) < 1e6 else f"{x:.3e}"
        return f"{text} {self.unit}".strip() if self.unit else text

    def outside(self, x: float) -> str | None:
        """Why ``x`` cannot be the value (outside a closed bound), or None."""
        if x < self.lo and not self.open_lower:
            return f"{self.show(x)} is below the closed lower bound {self.show(self.lo)}"
        if x > self.hi and not self.open_upper:
            return f"{self.show(x)} is above the closed upper bound {self.show(self.hi)}"
        if self.log and x <= 0:
            return f"{self.show(x)} is not positive (a log-scale question)"
        return None


def date_to_value(text: str, *, field: str) -> float:
    """An ISO date (``2021-10-10``) as days since 1970-01-01."""
    try:
        day = dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise InvalidInput(f"{field}: {text!r} is not an ISO date (YYYY-MM-DD)") from None
    return float((day - EPOCH).days)


def value_to_date(value: float) -> str:
    return (EPOCH + dt.timedelta(days=round(value))).isoformat()


def parse_value(rng: NumericRange, text: str, *, field: str) -> float:
    """A typed value: a number, or an ISO date for a date question."""
    if rng.is_date:
        return date_to_value(text, field=field)
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{field}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise InvalidInput(f"{field}: {text!r} is not a finite number")
    return value


# ---------------------------------------------------------------- fitting a CDF


def parse_quantiles(rng: NumericRange, text: str) -> list[tuple[float, float]]:
    """``0.05:100,0.5:400,0.95:1500`` -> [(0.05, 100.0), ...], checked as the CLI needs."""
    pairs: list[tuple[float, float]] = []
    for part in text.split(","):
        prob, sep, value = part.strip().partition(":")
        if not sep:
            raise InvalidInput(f"--quantiles: {part.strip()!r} is not P:VALUE (e.g. 0.5:400)")
        try:
            p = float(prob)
        except ValueError:
            raise InvalidInput(f"--quantiles: {prob!r} is not a probability") from None
        pairs.append((p, parse_value(rng, value, field="--quantiles")))
    return pairs


def check_quantiles(rng: NumericRange, pairs: Sequence[tuple[float, float]]) -> None:
    if len(pairs) < 2:
        raise InvalidInput("--quantiles: give 2 or more, e.g. 0.05:100,0.5:400,0.95:1500")
    for p, x in pairs:
        if not (0 < p < 1):
            raise InvalidInput(f"--quantiles: probability {p:g} is outside (0, 1)")
        why = rng.outside(x)
        if why:
            raise InvalidInput(f"--quantiles: {p:g}:{rng.show(x)}: {why}")
    for (p0, x0), (p1, x1) in zip(pairs, pairs[1:], strict=False):
        if not p1 > p0:
            raise InvalidInput(f"--quantiles: probabilities must increase ({p0:g} then {p1:g})")
        if not x1 > x0:
            raise InvalidInput(
                f"--quantiles: values must increase ({p0:g}:{rng.show(x0)} then "
                f"{p1:g}:{rng.show(x1)})"
            )
    for _, x in pairs:
        if x in (rng.lo, rng.hi) and not (rng.open_lower and rng.open_upper):
            closed = (x == rng.lo and not rng.open_lower) or (x == rng.hi and not rng.open_upper)
            if closed:
                raise InvalidInput(
                    f"--quantiles: {rng.show(x)} is on a closed bound (put it inside the range)"
                )


def _to_t(rng: NumericRange, u: Floats) -> Floats:
    """Scale -> a space where closed bounds sit at -inf / +inf."""
    lo, hi = rng.u_lo, rng.u_hi
    with np.errstate(divide="ignore", invalid="ignore"):
        if not rng.open_lower and not rng.open_upper:
            s = np.clip((u - lo) / (hi - lo), 0.0, 1.0)
            return np.log(s) - np.log1p(-s)
        if not rng.open_lower:
            return np.log(np.maximum(u - lo, 0.0))
        if not rng.open_upper:
            return -np.log(np.maximum(hi - u, 0.0))
        return np.asarray(u, dtype=float)


def _logit(p: Floats) -> Floats:
    return np.log(p) - np.log1p(-p)


def _expit(z: Floats) -> Floats:
    with np.errstate(over="ignore"):
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)), dtype=float)


def cdf_from_quantiles(rng: NumericRange, pairs: Sequence[tuple[float, float]]) -> Floats:
    """The CDF on the grid through the typed (probability, value) pairs (checked first)."""
    from scipy.interpolate import PchipInterpolator  # noqa: PLC0415 - lazy: SciPy is heavy

    check_quantiles(rng, pairs)
    probs = np.array([p for p, _ in pairs])
    t_k = _to_t(rng, rng.to_scale(np.array([x for _, x in pairs])))
    z_k = _logit(probs)
    t = _to_t(rng, rng.grid_u())
    z = np.empty_like(t)
    inside = (t >= t_k[0]) & (t <= t_k[-1])
    z[inside] = PchipInterpolator(t_k, z_k)(t[inside])
    lo_slope = (z_k[1] - z_k[0]) / (t_k[1] - t_k[0])
    hi_slope = (z_k[-1] - z_k[-2]) / (t_k[-1] - t_k[-2])
    below, above = t < t_k[0], t > t_k[-1]
    with np.errstate(invalid="ignore"):
        z[below] = z_k[0] + lo_slope * (t[below] - t_k[0])
        z[above] = z_k[-1] + hi_slope * (t[above] - t_k[-1])
    return finish_cdf(rng, _expit(z), truncate=False)


def cdf_normal(rng: NumericRange, mean: float, sd: float) -> Floats:
    """A normal in natural units (truncated to a closed range)."""
    from scipy.special import ndtr  # noqa: PLC0415

    if not (math.isfinite(mean) and math.isfinite(sd)) or sd <= 0:
        raise InvalidInput(f"--normal: SD {sd:g} is not allowed (a finite number > 0)")
    return finish_cdf(rng, ndtr((rng.grid() - mean) / sd), truncate=True)


def cdf_lognormal(rng: NumericRange, median: float, p95: float) -> Floats:
    """A lognormal from its median and 95th percentile (truncated to a closed range)."""
    from scipy.special import ndtr  # noqa: PLC0415

    if not (median > 0 and p95 > median and math.isfinite(p95)):
        raise InvalidInput(
            f"--lognormal: MEDIAN {median:g}, P95 {p95:g} not allowed (need 0 < MEDIAN < P95)"
        )
    sigma = (math.log(p95) - math.log(median)) / Z90
    x = rng.grid()
    with np.errstate(divide="ignore"):
        z = np.where(x > 0, (np.log(np.where(x > 0, x, 1.0)) - math.log(median)) / sigma, -np.inf)
    return finish_cdf(rng, ndtr(z), truncate=True)


def finish_cdf(rng: NumericRange, cdf: Floats, *, truncate: bool) -> Floats:
    """Closed bounds get no tail mass (truncating, or exactly 0/1 from the fit); monotone; [0, 1]."""
    cdf = np.clip(np.maximum.accumulate(np.nan_to_num(cdf, nan=0.0)), 0.0, 1.0)
    lo_mass = 0.0 if not rng.open_lower else cdf[0]
    hi_mass = 0.0 if not rng.open_upper else 1.0 - cdf[-1]
    if truncate:
        inner = cdf[-1] - cdf[0]
        if inner < 1e-9:
            raise InvalidInput(
                "forecast: almost all of this distribution lies outside the question's range "
                f"{rng.show(rng.lo)} .. {rng.show(rng.hi)}"
            )
        kept = 1.0 - lo_mass - hi_mass
        cdf = lo_mass + (cdf - cdf[0]) / inner * kept
    cdf[0] = lo_mass
    cdf[-1] = 1.0 - hi_mass
    return np.asarray(np.clip(np.maximum.accumulate(cdf), 0.0, 1.0), dtype=float)


# ---------------------------------------------------------------- reading a CDF


def quantile(rng: NumericRange, cdf: Floats, p: float | Floats) -> Floats:
    """Inverse CDF, linear in the scale within a bin; a quantile in a tail reads as the bound."""
    ps = np.atleast_1d(np.asarray(p, dtype=float))
    u = rng.grid_u()
    # np.interp needs increasing xp: break ties (flat stretches) by a tiny ramp.
    xp = cdf + np.arange(cdf.size) * 1e-15
    out = np.interp(ps, xp, u, left=u[0], right=u[-1])
    return rng.from_scale(out)


def quantiles_rows(rng: NumericRange, cdfs: Floats, probs: Sequence[float]) -> Floats:
    """(rows, len(probs)) quantiles of many CDFs at once (linear in the scale within a bin)."""
    u = rng.grid_u()
    rows = np.atleast_2d(cdfs)
    out = np.empty((rows.shape[0], len(probs)))
    for j, p in enumerate(probs):
        k = np.clip((rows < p).sum(axis=1), 1, u.size - 1)
        lo_f = rows[np.arange(rows.shape[0]), k - 1]
        hi_f = rows[np.arange(rows.shape[0]), k]
        span = np.where(hi_f > lo_f, hi_f - lo_f, 1.0)
        t = np.clip((p - lo_f) / span, 0.0, 1.0)
        out[:, j] = u[k - 1] + t * (u[k] - u[k - 1])
    return np.asarray(rng.from_scale(out), dtype=float)


def pit_value(rng: NumericRange, cdf: Floats, x: float) -> float:
    """F(x), the probability integral transform of a resolved value. A value in a tail (beyond an
    open bound) takes the middle of that tail's mass (the mid-distribution PIT)."""
    if x < rng.lo:
        return float(cdf[0]) / 2
    if x > rng.hi:
        return 1.0 - (1.0 - float(cdf[-1])) / 2
    return float(np.interp(float(rng.to_scale(x)), rng.grid_u(), cdf))


def summary(rng: NumericRange, cdf: Floats) -> dict[str, float]:
    """Median and the central 50% and 90% intervals, in natural units."""
    q = quantile(rng, cdf, np.array([0.05, 0.25, 0.5, 0.75, 0.95]))
    return {
        "median": float(q[2]),
        "q05": float(q[0]),
        "q25": float(q[1]),
        "q75": float(q[3]),
        "q95": float(q[4]),
    }


def shown_summary(rng: NumericRange, cdf: Floats) -> dict[str, object]:
    """``summary`` as JSON wants it: dates as ISO strings, intervals as [low, high]."""
    s = summary(rng, cdf)
    conv = value_to_date if rng.is_date else _rounded
    return {
        "median": conv(s["median"]),
        "interval_50": [conv(s["q25"]), conv(s["q75"])],
        "interval_90": [conv(s["q05"]), conv(s["q95"])],
    }


def _rounded(value: float) -> float:
    return float(f"{value:.6g}")


def bin_masses(cdf: Floats) -> Floats:
    """[lower tail, 200 bins, upper tail]: the forecast as probabilities over the engine's bins."""
    return np.concatenate([[cdf[0]], np.diff(cdf), [1.0 - cdf[-1]]])


def cdf_from_masses(masses: Floats) -> Floats:
    """Inverse of ``bin_masses``."""
    masses = np.asarray(masses, dtype=float)
    return np.asarray(np.cumsum(masses)[:-1], dtype=float)


def density(rng: NumericRange, cdf: Floats) -> Floats:
    """Per-bin density in natural units (mass / bin width), GRID_POINTS - 1 values."""
    return np.asarray(np.diff(cdf) / np.diff(rng.grid()), dtype=float)


# ---------------------------------------------------------------- team aggregates

AGGREGATE_LEVELS = np.linspace(0.0005, 0.9995, 1999)
"""The probability levels at which quantile averaging averages the quantile functions."""


def linear_pool(cdfs: Floats) -> Floats:
    """The mean of the CDFs (rows): a mixture of the forecasters' distributions."""
    return np.asarray(np.mean(np.atleast_2d(cdfs), axis=0), dtype=float)


def quantile_average(rng: NumericRange, cdfs: Floats) -> Floats:
    """The mean of the quantile functions (Vincentization), in the question's scale, as a CDF on
    the grid. Tail masses are averaged as they are (the quantile function is read inside the
    range only)."""
    rows = np.atleast_2d(cdfs)
    u = rng.grid_u()
    steps = np.arange(rows.shape[1]) * 1e-15
    mean_u = np.mean([np.interp(AGGREGATE_LEVELS, row + steps, u) for row in rows], axis=0)
    cdf = np.interp(u, mean_u + np.arange(mean_u.size) * 1e-12, AGGREGATE_LEVELS)
    lo_mass = float(np.mean(rows[:, 0]))
    hi_mass = float(np.mean(1.0 - rows[:, -1]))
    cdf = np.clip(cdf, lo_mass, 1.0 - hi_mass)
    cdf[0], cdf[-1] = lo_mass, 1.0 - hi_mass
    return np.asarray(np.maximum.accumulate(cdf), dtype=float)
