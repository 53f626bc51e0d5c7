"""Recalibration fits (logit p' = a + b logit p, maximum likelihood with standard errors) for
1,000 forecasters over 1,000,000 resolved forecasts, against a bare SciPy fit of the same models:
``scipy.optimize.minimize`` (trust-exact, analytic gradient and Hessian) on each forecaster's raw
rows, nothing else (no standard errors, no checks).

Forecasts are typed as whole percentages (1%..99%), as forecasters type them; forecastle's fit
pools tied values into counts, the anchor does not. Both see the same arrays, in the same run.

Bar (design.md): <= 2 s, and <= 3x the bare fit.
Usage: python benchmarks/bench_learn.py [FORECASTERS] [PER_FORECASTER]
"""

from __future__ import annotations

import sys
import time

import numpy as np


def data(forecasters: int, per: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(19)
    truth = rng.uniform(0.03, 0.97, (forecasters, per))
    outcome = (rng.random((forecasters, per)) < truth).astype(float)
    stretch = rng.uniform(0.5, 2.0, (forecasters, 1))  # each forecaster over- or under-confident
    log_odds = stretch * np.log(truth / (1 - truth))
    stated = np.clip(np.round(1 / (1 + np.exp(-log_odds)), 2), 0.01, 0.99)
    return stated, outcome


def bare(p: np.ndarray, o: np.ndarray) -> np.ndarray:
    from scipy.optimize import minimize
    from scipy.special import expit

    x = np.column_stack([np.ones(p.size), np.log(p / (1 - p))])
    n = p.size

    def value_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        eta = x @ theta
        return float(np.sum(np.logaddexp(0, eta) - o * eta)) / n, x.T @ (expit(eta) - o) / n

    def hessian(theta: np.ndarray) -> np.ndarray:
        s = expit(x @ theta)
        return (x.T * (s * (1 - s))) @ x / n

    return minimize(
        value_and_gradient,
        np.array([0.0, 1.0]),
        jac=True,
        hess=hessian,
        method="trust-exact",
        options={"gtol": 1e-10},
    ).x


def main() -> None:
    forecasters = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    per = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    from forecast.scoring.recalibration import fit_recalibration

    stated, outcome = data(forecasters, per)
    bare(stated[0], outcome[0])  # warm both paths (imports)
    fit_recalibration(stated[0], outcome[0])
    results = {}
    for name, run in (
        ("forecastle", lambda i: fit_recalibration(stated[i], outcome[i])),
        ("bare scipy", lambda i: bare(stated[i], outcome[i])),
    ):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for i in range(forecasters):
                run(i)
            best = min(best, time.perf_counter() - start)
        results[name] = best
    ours, anchor = results["forecastle"], results["bare scipy"]
    check = fit_recalibration(stated[0], outcome[0])
    assert check is not None and np.allclose(
        [check.a, check.b], bare(stated[0], outcome[0]), atol=1e-6
    )
    print(f"{forecasters} forecasters x {per} forecasts = {forecasters * per:,} (best of 3)")
    print(f"forecastle fits (with standard errors): {ours:.3f} s  (bar: <= 2 s)")
    print(f"bare SciPy fits of the same models:     {anchor:.3f} s")
    print(f"ratio: {ours / anchor:.2f}x  (bar: <= 3x)")


if __name__ == "__main__":
    main()
