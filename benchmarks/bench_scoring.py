"""Full calibration analysis of 1,000,000 resolved binary forecasts (Brier, log score, bins with
Jeffreys intervals, Murphy with within-bin terms, CORP, Spiegelhalter, ECE) against
scikit-learn's brier_score_loss + log_loss + calibration_curve on the same arrays, same run.

Bar (design.md): ratio < 1.0.
Usage: python benchmarks/bench_scoring.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from forecast.scoring.calibration import analyse

N = 1_000_000
RUNS = 5


def main() -> None:
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss, log_loss

    rng = np.random.default_rng(11)
    p = np.round(rng.beta(2, 2, N), 3)  # realistic: forecasts given to 0.1%, with many ties
    o = (rng.uniform(size=N) < p).astype(float)

    def ours() -> None:
        analyse(p, o, 10)

    def sklearn() -> None:
        brier_score_loss(o, p)
        log_loss(o, p)
        calibration_curve(o, p, n_bins=10)

    def median(func) -> float:
        func()
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    mine, theirs = median(ours), median(sklearn)
    ratio = mine / theirs
    print(
        f"{N:,} forecasts: forecastle full analysis {mine * 1000:.0f} ms; scikit-learn brier+log_loss+"
        f"calibration_curve {theirs * 1000:.0f} ms"
    )
    print(f"ratio: {ratio:.2f}x (bar < 1.0)  {'PASS' if ratio < 1.0 else 'FAIL'}")


if __name__ == "__main__":
    main()
