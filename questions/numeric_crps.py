"""A numeric forecast's score table: what scoring it needs, computed once when it is recorded.

For each grid point x_j the table holds F(x_j) (the CDF as stored) and T_j, the CRPS the
forecast would get if the value were x_j: T_j = int_lo^x_j F^2 dx + int_x_j^hi (1 - F)^2 dx,
with F linear in x between grid points (each bin's integral of F^2 is w (f0^2 + f0 f1 + f1^2)/3
for its ends f0, f1 and width w, and the same of 1 - F for (1 - F)^2). Since the CRPS's
derivative in the value is F^2 - (1 - F)^2 = 2F - 1, a value y in the bin [x_k, x_k+1] scores

    CRPS(y) = T_k + (y - x_k) (F(x_k) + F(y) - 1),

exact for the piecewise-linear F: a gather and a few operations per forecast instead of an
integral over 200 bins. The tails are point masses at the bounds and a value beyond an open
bound counts as the bound (so the integral runs over [lo, hi]), as ``forecast.scoring.numeric``
scores them.

Two more columns hold the rest of what scoring reads, so that a forecast's four numbers for a
value in bin k are one 32-byte block of its row (one gather) and scoring takes no logarithm:
M_j = F(x_j+1) - F(x_j), the mass of bin j, and L_j = ln(max(M_j, 1e-9) / (x_j+1 - x_j)), its
log density (constant within the bin), for j < 200; M_200 = 1 - F(x_200), the upper tail's mass,
and L_200 = ln(max(M_200, 1e-9)). The table is stored beside the CDF
(``numeric_forecasts.score_table``: 201 rows (F, T, L, M) as little-endian float64, 6,432
bytes), filled on write and back-filled by a migration.
"""

from __future__ import annotations

import numpy as np

from questions.numeric import GRID_POINTS, Floats, NumericRange

MASS_FLOOR = 1e-9
"""Bin and tail masses are floored at this before the log score takes their log."""
COLUMNS = 4


def score_tables(rng: NumericRange, cdfs: Floats) -> Floats:
    """(forecasts, 201, 4): per grid point, F, the CRPS if the value were that point, and the
    log density and the mass of the bin starting there (the last: of the upper tail)."""
    f = np.atleast_2d(np.asarray(cdfs, dtype=float))
    width = np.diff(rng.grid())
    f0, f1 = f[:, :-1], f[:, 1:]
    below = (f0 * (f0 + f1) + f1 * f1) * (width / 3.0)
    g0, g1 = 1.0 - f0, 1.0 - f1
    above = (g0 * (g0 + g1) + g1 * g1) * (width / 3.0)
    out = np.empty((f.shape[0], GRID_POINTS, COLUMNS))
    out[:, :, 0] = f
    out[:, 0, 1] = 0.0
    np.cumsum(below, axis=1, out=out[:, 1:, 1])
    rest = np.cumsum(above[:, ::-1], axis=1)[:, ::-1]  # rest[:, j]: bins j.. of (1 - F)^2
    out[:, :-1, 1] += rest
    mass, logs = out[:, :, 3], out[:, :, 2]
    np.subtract(f1, f0, out=mass[:, :-1])
    np.subtract(1.0, f[:, -1], out=mass[:, -1])
    np.maximum(mass, MASS_FLOOR, out=logs)
    logs[:, :-1] /= width
    np.log(logs, out=logs)
    return out


def encode_table(table: Floats) -> bytes:
    return np.ascontiguousarray(table, dtype="<f8").tobytes()


def decode_table(blob: bytes | None) -> Floats | None:
    """The stored table, or None when there is none or it has another layout (an earlier
    development build's): scoring then computes it from the CDF."""
    if blob is None or len(blob) != GRID_POINTS * COLUMNS * 8:
        return None
    return np.frombuffer(blob, dtype="<f8").reshape(GRID_POINTS, COLUMNS)


def stored_cdf(text: str) -> Floats:
    """The CDF as the workspace keeps it (its JSON list), which the table is computed from."""
    return np.array([float(v) for v in text.strip("[]").split(",")])
