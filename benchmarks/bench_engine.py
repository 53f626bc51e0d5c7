"""Engine speed: posterior + 90% interval + leave-one-out for a question with 10,000 evidence
items (with ranges, a few redundancy groups, some credibility < 1), against a bare-numpy
computation of the same numbers in the same run.

Bars (design.md): <= 20 ms, and <= 10x the bare-numpy anchor.
Usage: python benchmarks/bench_engine.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from forecast.engine.bayes import Z90, EvidenceInput, analyse, analyse_arrays

N = 10_000
RUNS = 30


def make_inputs(
    k: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    lik = np.exp(rng.normal(0, 0.05, (N, k)))
    if k == 2:
        lik[:, 1] = 1.0
    sigma = np.full((N, k), np.log(1.5) / Z90)  # ranges of x/1.5 .. x*1.5
    if k == 2:
        sigma[:, 1] = 0.0
    credibility = rng.uniform(0.5, 1.0, N)
    groups = np.full(N, -1)
    groups[:200] = np.arange(200) // 10  # 20 groups of 10
    rho = np.full(20, 0.5)
    prior = np.full(k, 1.0 / k)
    return prior, np.log(lik), credibility, sigma, groups, rho


def bare_numpy(
    prior, log_lik, cred, sigma, groups, rho
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same numbers written straight in numpy: no validation, no zero-likelihood handling."""
    members = np.bincount(groups[groups >= 0], minlength=rho.size).astype(float)
    d = np.ones(cred.size)
    grouped = groups >= 0
    d[grouped] = 1 / (1 + rho[groups[grouped]] * (members[groups[grouped]] - 1))
    w = (cred * d)[:, None] * log_lik
    score = np.log(prior) + w.sum(0)
    post = np.exp(score - score.max())
    post /= post.sum()
    sd = np.sqrt((((cred * d)[:, None] * sigma) ** 2).sum(0))
    if prior.size == 2:
        mu, s = score[0] - score[1], np.hypot(sd[0], sd[1])
        yes = 1 / (1 + np.exp(-(mu + np.array([-Z90, Z90]) * s)))
        interval = np.array([yes, 1 - yes[::-1]])
    else:
        draws = score + np.random.default_rng(0).standard_normal((4000, prior.size)) * sd
        p = np.exp(draws - draws.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        interval = np.quantile(p, [0.05, 0.95], axis=0).T
    raw = cred[:, None] * log_lik
    gsum = np.zeros((rho.size, prior.size))
    np.add.at(gsum, groups[grouped], raw[grouped])
    removed = w.copy()
    g = groups[grouped]
    d_after = 1 / (1 + rho[g] * np.maximum(members[g] - 2, 0))
    removed[grouped] = gsum[g] * d[grouped][:, None] - (gsum[g] - raw[grouped]) * d_after[:, None]
    loo = score - removed
    loo = np.exp(loo - loo.max(1, keepdims=True))
    loo /= loo.sum(1, keepdims=True)
    return post, interval, loo


def median_ms(func: Callable[[], object]) -> float:
    func()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    ok = True
    for k in (2, 3):
        arrays = make_inputs(k)
        ours = median_ms(partial(analyse_arrays, *arrays))
        anchor = median_ms(partial(bare_numpy, *arrays))
        result = analyse_arrays(*arrays)
        post, _, loo = bare_numpy(*arrays)
        assert np.allclose(result.posterior, post) and np.allclose(result.posterior_without, loo)
        ratio = ours / anchor
        passed = ours <= 20 and ratio <= 10
        ok &= passed
        print(
            f"{k} outcomes, {N} items: engine {ours:.1f} ms, bare numpy {anchor:.1f} ms, "
            f"ratio {ratio:.1f}x (bars <= 20 ms, <= 10x) {'PASS' if passed else 'FAIL'}"
        )
    prior, log_lik, cred, sigma, groups, rho = make_inputs(2)
    items = [
        EvidenceInput(
            f"E{i}",
            (float(np.exp(log_lik[i, 0])), 1.0),
            credibility=float(cred[i]),
            group=f"g{groups[i]}" if groups[i] >= 0 else None,
            rho=0.5,
        )
        for i in range(N)
    ]
    print(
        f"from 10,000 EvidenceInput objects (analyse): {median_ms(lambda: analyse(list(prior), items)):.1f} ms"
    )
    print("PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
