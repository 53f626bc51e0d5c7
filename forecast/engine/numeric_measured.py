"""Noisy measurements (``measured V --sd S``) in the numeric engine, and the quantiles of many
posteriors at once.

A measurement's log-likelihood over [lower tail, 200 bins, upper tail] is the log of the normal
likelihood averaged over each bin, (Phi((x_hi - V) / S) - Phi((x_lo - V) / S)) / (x_hi - x_lo),
where S is under 4 bin widths, else the log density at the bin's middle (the two then differ by
under 0.3%); a tail takes the density at its bound. Log-likelihoods are floored at -700.

A wide measurement's log-likelihood is a quadratic in the bins' points p (the bounds for the
tails, the middles for the bins): w log l = -a (p - V)^2 + const with a = w / (2 S^2). So the
sum over any number of them is one quadratic (two sums), and the posterior without one of them
is the posterior's log masses plus a (p - V)^2: the leave-one-out rows are built straight from
the total, with no likelihood row per item. Where a measurement's log-likelihood would reach the
floor somewhere, it stays a dense row instead, so the floor means the same either way.

The leave-one-out rows (log masses, in float64) are exponentiated in float32 after subtracting
each row's maximum: numpy's float64 ``exp`` has no vectorised path on CPUs without AVX-512 and
costs about 7 times as much, and float32 keeps each mass to about 1e-7 of the row's largest,
which moves a quantile by well under 1e-6 of the range (a test checks it against recomputing in
float64); the cumulative masses are summed in float64.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from questions.numeric import Floats, NumericRange

LOG_FLOOR = -700.0
NARROW_BINS = 4.0
"""A measurement whose SD is under this many (widest) bin widths is averaged over each bin."""


def narrow(rng: NumericRange, sds: Floats) -> np.ndarray:
    return np.asarray(sds < NARROW_BINS * np.max(np.diff(rng.grid())))


def points(rng: NumericRange) -> Floats:
    """Where a wide measurement's density is read: [lo, the 200 bins' middles, hi]."""
    x = rng.grid()
    return np.concatenate([x[:1], 0.5 * (x[1:] + x[:-1]), x[-1:]])


def rows(rng: NumericRange, values: Floats, sds: Floats) -> Floats:
    """(items, bins + 2) normal log-likelihoods (not yet floored)."""
    from scipy.special import ndtr  # noqa: PLC0415 - lazy: SciPy is heavy

    sd, value = sds[:, None], values[:, None]
    x = rng.grid()
    norm = np.log(sd * np.sqrt(2 * np.pi))
    out = -0.5 * ((points(rng) - value) / sd) ** 2 - norm
    thin = narrow(rng, sds)
    if thin.any():
        s, v = sd[thin], value[thin]
        mass = ndtr((x[1:] - v) / s) - ndtr((x[:-1] - v) / s)
        with np.errstate(divide="ignore"):
            exact = np.log(mass / (x[1:] - x[:-1]))
        out[thin, 1:-1] = np.where(mass > 1e-300, exact, out[thin, 1:-1])
    return out


def quadratic(rng: NumericRange, values: Floats, sds: Floats) -> np.ndarray:
    """Which measurements are exactly a quadratic: wide, and above the floor at both bounds
    (the farthest points from V)."""
    x = rng.grid()
    far = np.maximum(np.abs(x[0] - values), np.abs(x[-1] - values))
    lowest = -0.5 * (far / sds) ** 2 - np.log(sds * np.sqrt(2 * np.pi))
    return np.asarray(~narrow(rng, sds) & (lowest > LOG_FLOOR))


def curvature(w: Floats, sds: Floats) -> Floats:
    """a = w / (2 S^2): the weighted log-likelihood is -a (p - V)^2 + const."""
    return np.asarray(w / (2.0 * sds * sds), dtype=float)


def total(pts: Floats, values: Floats, a: Floats) -> Floats:
    """sum_e -a_e (p - V_e)^2 up to a constant, as one quadratic (centred on the range, so that
    its two sums stay small)."""
    if not values.size:
        return np.zeros(pts.size)
    centre = 0.5 * (pts[0] + pts[-1])
    d = pts - centre
    return np.asarray(-(a.sum() * d * d - 2.0 * (a @ (values - centre)) * d), dtype=float)


CHUNK = 512
"""Leave-one-out rows are made and read this many at a time (a chunk's arrays stay in cache)."""


def loo_quantiles(
    rng: NumericRange,
    log_total: Floats,
    pts: Floats,
    values: Floats,
    a: Floats,
    probs: Sequence[float],
) -> Floats:
    """Quantiles of the posterior without each wide measurement: log masses log_total +
    a_e (p - V_e)^2, all rows at once (a chunk at a time)."""
    out = np.empty((values.size, len(probs)))
    buffer = np.empty((min(CHUNK, values.size), pts.size))
    for start in range(0, values.size, CHUNK):
        v, curv = values[start : start + CHUNK], a[start : start + CHUNK]
        rows = buffer[: v.size]
        np.subtract(pts[None, :], v[:, None], out=rows)
        rows *= rows
        rows *= curv[:, None]
        rows += log_total
        out[start : start + CHUNK] = log_rows_quantiles(rng, rows, probs)
    return out


def log_rows_quantiles(rng: NumericRange, log_rows: Floats, probs: Sequence[float]) -> Floats:
    """(rows, len(probs)) quantiles of many posteriors given as unnormalised log masses over
    [lower tail, bins, upper tail]."""
    masses = np.empty(log_rows.shape, dtype=np.float32)
    np.subtract(log_rows, log_rows.max(axis=1, keepdims=True), out=masses, casting="same_kind")
    np.exp(masses, out=masses)  # float32: see the module's docstring
    cum = masses.astype(float)  # (summing straight into float64 casts element by element)
    return cum_rows_quantiles(rng, np.cumsum(cum, axis=1, out=cum), probs)


def cum_rows_quantiles(rng: NumericRange, cum: Floats, probs: Sequence[float]) -> Floats:
    """Quantiles from cumulative masses (cum[:, k]: the mass of bins 0..k; the last column the
    total), as ``quantiles_rows`` reads the CDFs cum[:, :-1] / total: the bin where F reaches p
    found by bisection on every row and probability at once, then linear in the scale."""
    n, width = cum.shape
    points_n = width - 1  # grid points: cum[:, :-1] is the CDF at them (times the total)
    p = np.asarray(probs, dtype=float)[None, :]
    whole = cum[:, -1:]
    target = (p * whole).ravel()
    rows_idx = np.repeat(np.arange(n), p.size)
    lo = np.zeros(target.size, dtype=np.intp)
    hi = np.full(target.size, points_n, dtype=np.intp)
    for _ in range(points_n.bit_length()):  # lo: how many grid points have F < p
        active = lo < hi
        mid = (lo + hi) // 2
        less = cum[rows_idx, mid] < target
        lo = np.where(active & less, mid + 1, lo)
        hi = np.where(active & ~less, mid, hi)
    k = np.clip(lo, 1, points_n - 1).reshape(n, p.size)
    lo_f = np.take_along_axis(cum, k - 1, axis=1) / whole
    hi_f = np.take_along_axis(cum, k, axis=1) / whole
    span = np.where(hi_f > lo_f, hi_f - lo_f, 1.0)
    t = np.clip((p - lo_f) / span, 0.0, 1.0)
    u = rng.grid_u()
    return np.asarray(rng.from_scale(u[k - 1] + t * (u[k] - u[k - 1])), dtype=float)
