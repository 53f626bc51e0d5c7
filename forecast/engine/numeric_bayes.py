"""Bayes over the bins of a numeric question (pure numpy; no database).

The outcomes are the bins of the question's grid: the lower tail (if the bound is open), the 200
bins between grid points, the upper tail (if open). Each evidence item gives a likelihood per bin:

- a step ``above X`` with ratio LR: LR on the part of each bin above X, 1 on the rest (a bin that
  X cuts gets the average, weighted by the share of the bin in the scale on each side);
- ``below X``: the same for the part below; ``between A B``: for the part inside [A, B];
- ``measured V`` with standard deviation S: the normal likelihood averaged over the bin,
  (Phi((x_hi - V) / S) - Phi((x_lo - V) / S)) / (x_hi - x_lo); a tail takes the density at its
  bound.

As for categorical questions (``forecast.engine.bayes``): log posterior = log prior +
sum_e w_e log l_e - logsumexp, with w_e = credibility x 1 / (1 + rho (n - 1)) for an item in a
redundancy group of n items. Leave-one-out posteriors (sensitivity) are computed for all items at
once from the total, each removal also changing its group's weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from forecast.engine import numeric_measured as measured
from questions import numeric as nm
from questions.numeric import Floats, NumericRange, quantiles_rows

__all__ = ["Columns", "Item", "Posterior", "posterior", "quantiles_rows", "uniform_prior"]

OPEN_TAIL_PRIOR = 0.05
"""The uniform prior's mass for each open tail (the rest spread evenly over the 200 bins)."""
LOG_FLOOR = measured.LOG_FLOOR


@dataclass(frozen=True)
class Item:
    form: str
    a: float
    b: float | None = None
    lr: float = 1.0
    sd: float | None = None
    credibility: float = 1.0
    group: str | None = None
    rho: float | None = None


FORMS = ("above", "below", "between", "measured")
ABOVE, BELOW, BETWEEN, MEASURED = range(4)


@dataclass(frozen=True)
class Columns:
    """Items as arrays (one entry per item): what the engine computes with. ``group`` is -1
    outside a group, else the group's number; ``b`` is ``a`` where there is none."""

    form: np.ndarray
    a: Floats
    b: Floats
    lr: Floats
    sd: Floats
    credibility: Floats
    group: np.ndarray
    rho: Floats

    def __len__(self) -> int:
        return int(self.form.size)

    def take(self, idx: np.ndarray) -> Columns:
        return Columns(*(getattr(self, f)[idx] for f in self.__dataclass_fields__))

    @staticmethod
    def of(items: Sequence[Item] | Columns) -> Columns:
        if isinstance(items, Columns):
            return items
        groups: dict[str, int] = {}
        return Columns(
            np.array([FORMS.index(i.form) for i in items], dtype=np.int8),
            np.array([i.a for i in items], dtype=float),
            np.array([i.b if i.b is not None else i.a for i in items], dtype=float),
            np.array([i.lr for i in items], dtype=float),
            np.array([i.sd or 1.0 for i in items], dtype=float),
            np.array([i.credibility for i in items], dtype=float),
            np.array(
                [groups.setdefault(i.group, len(groups)) if i.group else -1 for i in items],
                dtype=np.int64,
            ),
            np.array([(i.rho if i.rho is not None else 0.5) if i.group else 0.0 for i in items]),
        )


def uniform_prior(rng: NumericRange) -> Floats:
    """[lower tail, 200 bins, upper tail]: uniform in the question's scale."""
    lower = OPEN_TAIL_PRIOR if rng.open_lower else 0.0
    upper = OPEN_TAIL_PRIOR if rng.open_upper else 0.0
    inner = np.full(nm.GRID_POINTS - 1, (1.0 - lower - upper) / (nm.GRID_POINTS - 1))
    return np.concatenate([[lower], inner, [upper]])


def _share_above(rng: NumericRange, x: Floats) -> Floats:
    """(items, bins + 2): the share of each bin above each x (in the scale)."""
    u = rng.grid_u()
    ux = np.asarray(rng.to_scale(np.asarray(x, dtype=float)))[:, None]
    inner = np.clip((u[1:] - ux) / (u[1:] - u[:-1]), 0.0, 1.0)
    lower = (ux < u[0]).astype(float)
    upper = np.ones_like(lower)
    return np.concatenate([lower, inner, upper], axis=1)


def log_likelihoods(rng: NumericRange, items: Sequence[Item] | Columns) -> Floats:
    """(items, bins + 2) log-likelihoods of each item over the bins."""
    cols = Columns.of(items)
    out = np.zeros((len(cols), nm.GRID_POINTS + 1))
    if not len(cols):
        return out
    steps = cols.form != MEASURED
    if steps.any():
        above_a = _share_above(rng, cols.a[steps])
        share = above_a.copy()
        form = cols.form[steps]
        below = form == BELOW
        share[below] = 1.0 - above_a[below]
        between = form == BETWEEN
        if between.any():
            share[between] = above_a[between] - _share_above(rng, cols.b[steps][between])
        out[steps] = np.log1p(share * (cols.lr[steps][:, None] - 1.0))
    noisy = ~steps
    if noisy.any():
        out[noisy] = measured.rows(rng, cols.a[noisy], cols.sd[noisy])
    return np.maximum(out, LOG_FLOOR)


def weights(items: Sequence[Item] | Columns) -> tuple[Floats, Floats, Floats]:
    """Per item: its weight now, its group's size and its group's rho (0 outside a group)."""
    cols = Columns.of(items)
    grouped = cols.group >= 0
    counts = np.bincount(cols.group[grouped], minlength=1) if grouped.any() else np.zeros(1)
    size = np.where(grouped, counts[np.where(grouped, cols.group, 0)], 1).astype(float)
    rho = np.where(grouped, cols.rho, 0.0)
    return cols.credibility / (1.0 + rho * (size - 1.0)), size, rho


def _normalise(log_post: Floats, allowed: np.ndarray) -> Floats:
    if not allowed.all():  # (log_post is already -inf there when it came from log prior)
        log_post = np.where(allowed, log_post, -np.inf)
    top = np.max(log_post, axis=-1, keepdims=True)
    post = np.exp(log_post - top)
    return np.asarray(post / post.sum(axis=-1, keepdims=True), dtype=float)


LOO_PROBS = (0.05, 0.5, 0.95)
"""The quantiles of each leave-one-out posterior that sensitivity reports."""


@dataclass(frozen=True)
class Posterior:
    masses: Floats
    """[lower tail, 200 bins, upper tail]."""
    cdf: Floats
    loo_quantiles: Floats
    """(items, 3): q05, median and q95 of the posterior without each item (natural units)."""


@dataclass(frozen=True)
class _Steps:
    """Ungrouped step items as structure, not rows: bins [a, b) take log L in full, and up to two
    cut bins c1, c2 take their partial log-likelihoods l1, l2 (0 where there is no cut)."""

    a: np.ndarray
    b: np.ndarray
    log_lr: Floats
    c1: np.ndarray
    l1: Floats
    c2: np.ndarray
    l2: Floats


def _cut(rng: NumericRange, x: Floats) -> tuple[np.ndarray, Floats]:
    """The bin (1..200 in the [tail, bins, tail] vector) that holds x, and its share above x."""
    u = rng.grid_u()
    ux = np.asarray(rng.to_scale(np.asarray(x, dtype=float)))
    c = np.clip(np.searchsorted(u, ux, side="right"), 1, u.size - 1)
    share = np.clip((u[c] - ux) / (u[c] - u[c - 1]), 0.0, 1.0)
    return c, share


def _steps(rng: NumericRange, cols: Columns) -> _Steps:
    forms, lr = cols.form, cols.lr
    ca, sa = _cut(rng, cols.a)
    cb, sb = _cut(rng, cols.b)
    end = nm.GRID_POINTS + 1
    a = np.where(forms == BELOW, 0, ca + 1)
    b = np.where(forms == ABOVE, end, np.where(forms == BELOW, ca, np.maximum(cb, ca + 1)))
    s1 = np.where(forms == BELOW, 1.0 - sa, sa)
    same = (forms == BETWEEN) & (ca == cb)
    s1 = np.where(same, sa - sb, s1)
    s2 = np.where((forms == BETWEEN) & ~same, 1.0 - sb, 0.0)
    return _Steps(a, b, np.log(lr), ca, np.log1p(s1 * (lr - 1.0)), cb, np.log1p(s2 * (lr - 1.0)))


def _step_total(steps: _Steps, w: Floats, size: int) -> Floats:
    weighted = w * steps.log_lr
    diff = np.bincount(steps.a, weighted, minlength=size + 1) - np.bincount(
        steps.b, weighted, minlength=size + 1
    )
    total = np.cumsum(diff)[:size]
    total += np.bincount(steps.c1, w * steps.l1, minlength=size)[:size]
    total += np.bincount(steps.c2, w * steps.l2, minlength=size)[:size]
    return np.asarray(total, dtype=float)


def _step_loo_quantiles(
    rng: NumericRange, masses: Floats, steps: _Steps, w: Floats, probs: Sequence[float]
) -> Floats:
    """Quantiles of the posterior without each step item, from the posterior's cumulative masses:
    without item e the masses are m_j f_j, f = L^-w on [a, b), the cut bins' own factors, 1
    elsewhere; the cumulative reweighted mass is a closed form of the posterior's, searched by
    bisection for every item at once."""
    cum = np.concatenate([[0.0], np.cumsum(masses)])  # cum[k]: mass of bins < k
    size = masses.size
    r = np.exp(-w * steps.log_lr)
    f1 = np.exp(-w * steps.l1)
    f2 = np.exp(-w * steps.l2)
    m1, m2 = masses[steps.c1], masses[steps.c2]

    def below(k: np.ndarray) -> Floats:
        inside = cum[np.clip(k, steps.a, steps.b)] - cum[steps.a]
        value = cum[k] + (r - 1.0) * inside
        value = value + m1 * (f1 - 1.0) * (steps.c1 < k)
        return np.asarray(value + m2 * (f2 - 1.0) * ((steps.c2 < k) & (steps.c2 != steps.c1)))

    total = below(np.full(r.size, size))
    u = rng.grid_u()
    out = np.empty((r.size, len(probs)))
    for j, p in enumerate(probs):
        target = p * total
        lo, hi = np.zeros(r.size, dtype=int), np.full(r.size, size)
        for _ in range(int(np.ceil(np.log2(size))) + 1):  # invariant: below(lo) <= target
            mid = (lo + hi) // 2
            ok = below(mid) <= target
            lo, hi = np.where(ok, mid, lo), np.where(ok, hi, mid)
        k = np.minimum(lo, size - 1)  # the bin where the target falls
        start = below(k)
        in_bin = below(k + 1) - start
        t = np.clip((target - start) / np.where(in_bin > 0, in_bin, 1.0), 0.0, 1.0)
        inner = np.clip(k, 1, size - 2)
        value = u[inner - 1] + t * (u[inner] - u[inner - 1])
        out[:, j] = np.where(k == 0, u[0], np.where(k == size - 1, u[-1], value))
    return np.asarray(rng.from_scale(out), dtype=float)


def posterior(
    rng: NumericRange,
    prior: Floats,
    items: Sequence[Item] | Columns,
    *,
    leave_one_out: bool = True,
) -> Posterior:
    """The posterior over the bins and, per item, the quantiles of the posterior without it.
    Ungrouped steps are kept as structure (a region, two cut bins) and ungrouped wide
    measurements as a quadratic in the bins' points: their sums need no row per item. The rest
    (grouped items, narrow measurements) are dense rows."""
    cols = Columns.of(items)
    with np.errstate(divide="ignore"):
        log_prior = np.log(prior)  # -inf where the prior is 0, so no mask is needed below
    w, size, rho = weights(cols)
    ungrouped = cols.group < 0
    fast = ungrouped & (cols.form != MEASURED)
    gauss = ungrouped & (cols.form == MEASURED) & measured.quadratic(rng, cols.a, cols.sd)
    fast_idx, gauss_idx = np.flatnonzero(fast), np.flatnonzero(gauss)
    dense_idx = np.flatnonzero(~(fast | gauss))
    steps = _steps(rng, cols.take(fast_idx))
    dense = cols.take(dense_idx)
    logl = log_likelihoods(rng, dense)
    points = measured.points(rng)
    v, a = cols.a[gauss_idx], measured.curvature(w[gauss_idx], cols.sd[gauss_idx])
    total = log_prior + _step_total(steps, w[fast_idx], prior.size) + w[dense_idx] @ logl
    total += measured.total(points, v, a)
    masses = _normalise(total, np.ones(prior.size, dtype=bool))
    cdf = nm.cdf_from_masses(masses)
    loo = np.empty((len(cols), len(LOO_PROBS)))
    if leave_one_out and len(cols):
        loo[fast_idx] = _step_loo_quantiles(rng, masses, steps, w[fast_idx], LOO_PROBS)
        if gauss_idx.size:
            loo[gauss_idx] = measured.loo_quantiles(rng, total, points, v, a, LOO_PROBS)
        if dense_idx.size:
            loo_log = _dense_loo(total, logl, dense, w[dense_idx], size[dense_idx], rho[dense_idx])
            loo[dense_idx] = measured.log_rows_quantiles(rng, loo_log, LOO_PROBS)
    return Posterior(masses, cdf, loo)


def _dense_loo(
    total: Floats, logl: Floats, cols: Columns, w: Floats, size: Floats, rho: Floats
) -> Floats:
    """Log posteriors (unnormalised) without each dense item; removing a grouped item also
    re-weights the rest of its group: 1 / (1 + rho (n - 2)) for its n - 1 remaining items."""
    loo_log = total - w[:, None] * logl
    grouped = cols.group >= 0
    if grouped.any():
        idx = np.flatnonzero(grouped)
        codes = cols.group[idx]
        weighted = cols.credibility[idx, None] * logl[idx]
        sums = np.zeros((int(codes.max()) + 1, logl.shape[1]))
        np.add.at(sums, codes, weighted)
        group_sum = sums[codes]
        old = 1.0 / (1.0 + rho[idx] * (size[idx] - 1.0))
        new = 1.0 / (1.0 + rho[idx] * np.maximum(size[idx] - 2.0, 0.0))
        loo_log[idx] = total - old[:, None] * group_sum + new[:, None] * (group_sum - weighted)
    return loo_log
