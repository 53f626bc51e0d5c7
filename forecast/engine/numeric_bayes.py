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

from questions import numeric as nm
from questions.numeric import Floats, NumericRange, quantiles_rows

__all__ = ["Item", "Posterior", "posterior", "quantiles_rows", "uniform_prior"]

OPEN_TAIL_PRIOR = 0.05
"""The uniform prior's mass for each open tail (the rest spread evenly over the 200 bins)."""
LOG_FLOOR = -700.0


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


def log_likelihoods(rng: NumericRange, items: Sequence[Item]) -> Floats:
    """(items, bins + 2) log-likelihoods of each item over the bins."""
    from scipy.special import ndtr  # noqa: PLC0415 - lazy: SciPy is heavy

    n = len(items)
    out = np.zeros((n, nm.GRID_POINTS + 1))
    if not n:
        return out
    forms = np.array([i.form for i in items])
    a = np.array([i.a for i in items], dtype=float)
    b = np.array([i.b if i.b is not None else np.nan for i in items], dtype=float)
    lr = np.array([i.lr for i in items], dtype=float)
    steps = forms != "measured"
    if steps.any():
        above_a = _share_above(rng, a[steps])
        share = above_a.copy()
        below = forms[steps] == "below"
        share[below] = 1.0 - above_a[below]
        between = forms[steps] == "between"
        if between.any():
            share[between] = above_a[between] - _share_above(rng, b[steps][between])
        out[steps] = np.log1p(share * (lr[steps][:, None] - 1.0))
    measured = ~steps
    if measured.any():
        sd = np.array([i.sd or 1.0 for i in items], dtype=float)[measured][:, None]
        value = a[measured][:, None]
        x = rng.grid()
        hi_z, lo_z = (x[1:] - value) / sd, (x[:-1] - value) / sd
        mass = ndtr(hi_z) - ndtr(lo_z)
        with np.errstate(divide="ignore"):
            inner = np.log(mass / (x[1:] - x[:-1]))
        # Far from the value the difference underflows: use the log density at the bin's middle.
        mid_z = (0.5 * (x[1:] + x[:-1]) - value) / sd
        approx = -0.5 * mid_z**2 - np.log(sd * np.sqrt(2 * np.pi))
        inner = np.where(mass > 1e-300, inner, approx)
        tails = [-0.5 * ((x[0] - value) / sd) ** 2, -0.5 * ((x[-1] - value) / sd) ** 2]
        norm = np.log(sd * np.sqrt(2 * np.pi))
        out[measured] = np.concatenate([tails[0] - norm, inner, tails[1] - norm], axis=1)
    return np.maximum(out, LOG_FLOOR)


def weights(items: Sequence[Item]) -> tuple[Floats, Floats, Floats]:
    """Per item: its weight now, its group's size and its group's rho (0 outside a group)."""
    counts: dict[str, int] = {}
    for item in items:
        if item.group:
            counts[item.group] = counts.get(item.group, 0) + 1
    size = np.array([counts.get(i.group, 1) if i.group else 1 for i in items], dtype=float)
    rho = np.array([(i.rho if i.rho is not None else 0.5) if i.group else 0.0 for i in items])
    cred = np.array([i.credibility for i in items], dtype=float)
    return cred / (1.0 + rho * (size - 1.0)), size, rho


def _normalise(log_post: Floats, allowed: np.ndarray) -> Floats:
    log_post = np.where(allowed, log_post, -np.inf)
    top = np.max(log_post, axis=-1, keepdims=True)
    post = np.exp(log_post - top)
    return np.asarray(post / post.sum(axis=-1, keepdims=True), dtype=float)


@dataclass(frozen=True)
class Posterior:
    masses: Floats
    """[lower tail, 200 bins, upper tail]."""
    cdf: Floats
    loo_cdfs: Floats
    """(items, GRID_POINTS): the CDF without each item."""


def posterior(
    rng: NumericRange, prior: Floats, items: Sequence[Item], *, leave_one_out: bool = True
) -> Posterior:
    logl = log_likelihoods(rng, items)
    return posterior_from_log_likelihoods(prior, logl, items, leave_one_out=leave_one_out)


def posterior_from_log_likelihoods(
    prior: Floats, logl: Floats, items: Sequence[Item], *, leave_one_out: bool = True
) -> Posterior:
    allowed = prior > 0
    with np.errstate(divide="ignore"):
        log_prior = np.log(prior)
    w, size, rho = weights(items)
    total = log_prior + w @ logl
    masses = _normalise(total, allowed)
    cdf = nm.cdf_from_masses(masses)
    loo = np.empty((0, cdf.size))
    if leave_one_out and len(items):
        cred = np.array([i.credibility for i in items], dtype=float)
        # Without item e, the rest of its group (n - 1 items) is weighted 1 / (1 + rho (n - 2)).
        group_names = [i.group for i in items]
        sums: dict[str, Floats] = {}
        for k, name in enumerate(group_names):
            if name:
                sums[name] = sums.get(name, 0.0) + cred[k] * logl[k]
        loo_log = total - (w[:, None] * logl)
        grouped = np.array([bool(name) for name in group_names])
        if grouped.any():
            idx = np.flatnonzero(grouped)
            group_sum = np.array([sums[group_names[k]] for k in idx])  # type: ignore[index]
            old = 1.0 / (1.0 + rho[idx] * (size[idx] - 1.0))
            new = 1.0 / (1.0 + rho[idx] * np.maximum(size[idx] - 2.0, 0.0))
            rest = group_sum - cred[idx, None] * logl[idx]
            loo_log[idx] = log_prior + w @ logl - old[:, None] * group_sum + new[:, None] * rest
        loo = np.cumsum(_normalise(loo_log, allowed), axis=1)[:, :-1]
    return Posterior(masses, cdf, loo)
