"""How uncertain LRs widen a numeric posterior: a 90% range on a step item's LR (``evidence add Q
TEXT --above X --lr 3 --range 1.5 6``) is a lognormal, sigma = (ln hi - ln lo) / (2 x 1.6449)
around ln LR, as for categorical items (``forecast.engine.bayes``).

A numeric posterior has no closed form under that spread, so a seeded Monte Carlo (Latin
hypercube: stratified normals) draws every ranged item's LR together (``DRAWS`` draws) and reads each draw's posterior median and 5% / 95%
quantiles; their 5th and 95th percentiles are the 90% intervals of those summaries. Only the
ranged items are recomputed: each draw is the point posterior with those items' point
log-likelihoods swapped for the drawn ones (an item's share of each bin above, below or between
its thresholds does not depend on its LR, so it is computed once).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlite_utils import Database

from questions import numeric as nm
from questions.numeric import Floats, NumericRange

from .numeric_bayes import Columns, Item, log_likelihoods, weights

DRAWS = 500
SEED = 0
Z90 = 1.6448536269514722


@dataclass(frozen=True)
class Spread:
    """90% intervals (5th, 95th percentile over the draws) of the posterior's summaries."""

    median: tuple[float, float]
    q05: tuple[float, float]
    q95: tuple[float, float]
    items: int
    draws: int


def lr_ranges(db: Database, qid: int, item_ids: Sequence[int]) -> list[tuple[float, float] | None]:
    """Each of the question's items' LR range (low, high), or None, in the order of ``item_ids``."""
    found: dict[int, tuple[float, float]] = {}
    for eid, low, high in db.execute(
        "select e.id, e.range_low, e.range_high from evidence e join numeric_evidence n"
        " on n.evidence_id = e.id where e.question_id = ? and e.range_low is not null"
        " and n.form != 'measured'",
        [qid],
    ):
        lo, hi = json.loads(low), json.loads(high)
        found[eid] = (lo[0] / lo[1], hi[0] / hi[1])
    return [found.get(eid) for eid in item_ids]


def _latin_normals(draws: int, columns: int, seed: int) -> Floats:
    """(draws, columns) standard normals by Latin hypercube sampling: each column takes every
    stratum (k + 1/2) / draws once, in its own seeded order, so a few hundred draws place the
    percentiles of a single item's LR almost exactly."""
    from scipy.special import ndtri  # noqa: PLC0415 - lazy: SciPy is heavy

    generator = np.random.default_rng(seed)
    levels = ndtri((np.arange(draws) + 0.5) / draws)
    return np.column_stack([generator.permutation(levels) for _ in range(columns)])


def posterior_spread(
    rng: NumericRange,
    masses: Floats,
    items: Sequence[Item],
    ranges: Sequence[tuple[float, float] | None],
    *,
    draws: int = DRAWS,
    seed: int = SEED,
) -> Spread | None:
    """The spread of the posterior's median, 5% and 95% quantiles under the items' LR ranges
    (``masses`` is the point posterior over the bins); None when no step item has a range."""
    ranged = [
        i
        for i, (item, r) in enumerate(zip(items, ranges, strict=True))
        if r is not None and item.form != "measured" and r[1] > r[0] > 0
    ]
    if not ranged:
        return None
    w = weights(Columns.of(items))[0][ranged]
    chosen = [items[i] for i in ranged]
    point = log_likelihoods(rng, chosen)
    share = np.expm1(log_likelihoods(rng, [replace(item, lr=2.0) for item in chosen]))
    log_lr = np.log([item.lr for item in chosen])
    sigma = np.array([np.log(ranges[i][1] / ranges[i][0]) for i in ranged]) / (2 * Z90)  # type: ignore[index]
    with np.errstate(divide="ignore"):
        base = np.log(masses) - w @ point
    drawn = np.exp(log_lr + sigma * _latin_normals(draws, len(ranged), seed))
    total = np.tile(base, (draws, 1))
    for j in range(len(ranged)):
        total += w[j] * np.log1p(share[j][None, :] * (drawn[:, j : j + 1] - 1.0))
    top = np.max(total, axis=1, keepdims=True)
    post = np.exp(total - top)
    post /= post.sum(axis=1, keepdims=True)
    cdfs = np.cumsum(post, axis=1)[:, :-1]
    summaries = nm.quantiles_rows(rng, cdfs, [0.05, 0.5, 0.95])
    low, high = np.quantile(summaries, [0.05, 0.95], axis=0)
    at_point = nm.quantiles_rows(rng, nm.cdf_from_masses(masses), [0.05, 0.5, 0.95])[0]
    low, high = np.minimum(low, at_point), np.maximum(high, at_point)  # the point lies inside
    return Spread(
        median=(float(low[1]), float(high[1])),
        q05=(float(low[0]), float(high[0])),
        q95=(float(low[2]), float(high[2])),
        items=len(ranged),
        draws=draws,
    )
