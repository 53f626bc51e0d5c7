"""Numeric questions' speed, each against an anchor measured in the same run:

1. Engine: 200 bins x 10,000 evidence items (steps and measurements, some grouped), posterior +
   90% interval + leave-one-out, vs bare numpy computing the same numbers. Bars: <= 30 ms, <= 10x.
2. Scoring N numeric forecasts (CRPS on the grid, log score, PIT) vs scoringrules' CRPS of the same
   forecasts as normals (closed form) and as samples (ensembles of M members). Bar: ratio < 1.0.
   Two cases: by question (as reports score: questions of P forecasts each, every question's
   forecasts against its one resolved value, all questions in one ``scores_grouped`` call;
   P = 1,000 by default), and every forecast with a value of its own (one call for all).
   Measured (3 runs, 2-core machine, load 1.1-1.2): by question 23-26 ms, 0.70-0.81x
   crps_normal (met); a value each 35-37 ms, 1.11-1.29x (not met); crps_ensemble 0.004-0.005x.
3. Fitting a CDF to typed quantiles: <= 1 ms per forecast.

Usage: python benchmarks/bench_numeric.py [--forecasts N] [--members M] [--per-question P]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from forecast.engine.numeric_bayes import (
    Columns,
    Item,
    log_likelihoods,
    posterior,
    uniform_prior,
)
from forecast.scoring import numeric as ns
from questions import numeric as nm
from questions.numeric_crps import COLUMNS

ITEMS = 10_000


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def engine_items(measured: bool = True) -> list[Item]:
    """Steps above/below with LRs near 1, some credibility < 1, 200 items in 20 groups; with
    ``measured``, every fourth item a noisy measurement instead."""
    gen = np.random.default_rng(5)
    items = []
    for k in range(ITEMS):
        group = f"g{k // 10}" if k < 200 else None
        if measured and k % 4 == 3:
            items.append(
                Item(
                    "measured",
                    gen.uniform(300, 700),
                    sd=gen.uniform(100, 400),
                    group=group,
                    rho=0.5,
                )
            )
        else:
            items.append(
                Item(
                    "above" if k % 2 else "below",
                    gen.uniform(50, 1950),
                    lr=float(np.exp(gen.normal(0, 0.02))),
                    credibility=gen.uniform(0.5, 1),
                    group=group,
                    rho=0.5,
                )
            )
    return items


def bare_engine(rng: nm.NumericRange, prior: np.ndarray, items: Columns) -> np.ndarray:
    """The same numbers straight in numpy (likelihoods, weights, posterior, leave-one-out, the
    quantiles), without the group re-weighting of a removed item."""
    logl = log_likelihoods(rng, items)
    w = items.credibility
    total = np.log(np.where(prior > 0, prior, 1e-300)) + w @ logl
    loo = total - w[:, None] * logl
    loo = np.exp(loo - loo.max(axis=1, keepdims=True))
    cdf = np.cumsum(loo / loo.sum(axis=1, keepdims=True), axis=1)
    post = np.exp(total - total.max())
    post_cdf = np.cumsum(post / post.sum())
    k = (cdf < 0.5).sum(axis=1)
    return np.concatenate([np.searchsorted(post_cdf, [0.05, 0.5, 0.95]), k])


def bench_engine(measured: bool) -> None:
    rng = nm.NumericRange(0, 2000, open_upper=True)
    prior = uniform_prior(rng)
    items = engine_items(measured)
    cols = Columns.of(items)  # as numeric_model reads them: columns straight from the rows

    def ours() -> None:
        result = posterior(rng, prior, cols)
        nm.quantile(rng, result.cdf, np.array([0.05, 0.5, 0.95]))
        assert result.loo_quantiles.shape == (ITEMS, 3)

    ours()
    t_ours = best_of(15, ours)
    t_bare = best_of(15, lambda: bare_engine(rng, prior, cols))
    mix = "a quarter measurements" if measured else "steps only"
    print(
        f"engine  200 bins x {ITEMS:,} items ({mix}): {t_ours * 1000:.1f} ms (bar 30 ms); "
        f"bare numpy {t_bare * 1000:.1f} ms; ratio {t_ours / t_bare:.2f}x (bar 10x)"
    )


def stored_tables(rng: nm.NumericRange, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """The score tables of normal CDFs on the grid, as the workspace stores them (built a block
    at a time to keep the memory down)."""
    from scipy.special import ndtr

    from questions.numeric_crps import score_tables

    grid = rng.grid()
    tables = np.empty((mu.size, nm.GRID_POINTS, COLUMNS))
    for start in range(0, mu.size, 50_000):
        part = slice(start, start + 50_000)
        z = (grid[None, :] - mu[part, None]) / sigma[part, None]
        tables[part] = score_tables(rng, ndtr(z))
    return tables


def bench_scoring(n: int, members: int, per_question: int) -> None:
    """Scoring reads what the workspace stores for each forecast: its score table (per grid
    point F and the CRPS there, ``questions.numeric_crps``), computed when it was recorded;
    that one-off cost is timed too, per forecast, beside the cost of fitting the CDF.

    Two cases over the same forecasts: by question (what reports do: the forecasts grouped in
    questions of ``per_question`` each, every question scored against its one resolved value,
    all questions in one ``scores_grouped`` pass) and every forecast with its own value (one
    call for all)."""
    import scoringrules as sr

    from questions.numeric_crps import score_tables

    rng = nm.NumericRange(-10, 10, open_lower=True, open_upper=True)
    gen = np.random.default_rng(9)
    mu, sigma = gen.uniform(-2, 2, n), gen.uniform(0.5, 2, n)
    y = gen.normal(mu, sigma)
    tables = stored_tables(rng, mu, sigma)
    starts = range(0, n, per_question)
    resolved = y[::per_question]  # each question's value (its first forecast's draw)
    y_question = np.repeat(resolved, per_question)[:n]
    counts = np.diff(np.append(np.arange(0, n, per_question), n))
    ranges = [rng] * len(starts)

    def by_question() -> None:
        ns.scores_grouped(ranges, tables, resolved, counts)

    t_question = best_of(5, by_question)
    t_normal_q = best_of(5, lambda: sr.crps_normal(y_question, mu, sigma))
    t_each = best_of(5, lambda: ns.scores(rng, tables, y))
    t_normal = best_of(5, lambda: sr.crps_normal(y, mu, sigma))
    samples = gen.normal(mu[:, None], sigma[:, None], (n, members))
    t_samples = best_of(1, lambda: sr.crps_ensemble(y, samples))
    print(
        f"scoring {n:,} forecasts (CRPS + log + PIT from stored score tables) in "
        f"{len(starts):,} questions of {per_question:,} (one grouped pass): "
        f"{t_question * 1000:.0f} ms; "
        f"scoringrules crps_normal {t_normal_q * 1000:.0f} ms (ratio "
        f"{t_question / t_normal_q:.2f}); bar < 1.0"
    )
    print(
        f"scoring {n:,} forecasts, each with its own value: {t_each * 1000:.0f} ms; "
        f"crps_normal {t_normal * 1000:.0f} ms (ratio {t_each / t_normal:.2f}); "
        f"crps_ensemble of {members} members {t_samples:.2f} s (ratio "
        f"{t_each / t_samples:.3f}); bar < 1.0"
    )
    cdf = tables[0, :, 0]
    per_table = best_of(200, lambda: score_tables(rng, cdf))
    per_fit = best_of(200, lambda: nm.cdf_normal(rng, 0.5, 1.2))
    print(
        f"write   a score table: {per_table * 1e6:.0f} us per forecast "
        f"(fitting its CDF with --normal: {per_fit * 1e6:.0f} us)"
    )


def bench_fit() -> None:
    rng = nm.NumericRange(0, 2000, open_upper=True)
    pairs = [(0.05, 100.0), (0.5, 400.0), (0.95, 1500.0)]
    nm.cdf_from_quantiles(rng, pairs)
    per = best_of(200, lambda: nm.cdf_from_quantiles(rng, pairs))
    print(f"fit     a CDF to 3 typed quantiles: {per * 1000:.3f} ms per forecast (bar 1 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forecasts", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--per-question", type=int, default=1_000)
    args = parser.parse_args()
    bench_fit()
    bench_engine(measured=False)
    bench_engine(measured=True)
    bench_scoring(args.forecasts, args.members, args.per_question)


if __name__ == "__main__":
    main()
