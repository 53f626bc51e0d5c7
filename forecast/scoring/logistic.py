"""Maximum-likelihood logistic regression for the learning features (recalibration, the fitted
extremizer, calibration of likelihood ratios): y ~ Bernoulli(sigmoid(offset + X theta)).

The mean negative log-likelihood is minimised by ``scipy.optimize.minimize`` (trust-exact) with
its analytic gradient X'(sigmoid - y) / n and Hessian X' W X / n, W = sigmoid (1 - sigmoid); the
standard errors come from the inverse of the observed information (the Hessian of the summed
negative log-likelihood at the estimate). ``profile_interval`` gives a likelihood-ratio interval
for a one-parameter model, which stays honest when the estimate runs to a bound (every event the
same way). SciPy is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

Z90 = 1.6448536269514722
"""The 0.95 quantile of the standard normal: a 90% interval is estimate +- Z90 * se."""
CHI2_90 = 2.705543454095404
"""The 0.90 quantile of chi-squared with one degree of freedom (= Z90 ** 2)."""


@dataclass(frozen=True)
class LogisticFit:
    theta: np.ndarray
    covariance: np.ndarray
    """Inverse observed information; NaN where the information is singular."""
    log_likelihood: float
    converged: bool

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(np.diag(self.covariance))

    def interval(self, index: int) -> tuple[float, float]:
        """Wald 90% interval of one coefficient."""
        centre, half = float(self.theta[index]), Z90 * float(self.se[index])
        return centre - half, centre + half


def logit(p: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """ln(p / (1 - p)) with p clipped to [eps, 1 - eps] (a stated 0 or 1 would be infinite)."""
    clipped = np.clip(np.asarray(p, dtype=float), eps, 1.0 - eps)
    return np.log(clipped) - np.log1p(-clipped)


def sigmoid(x: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return np.asarray(expit(x))


def _objective(
    x: np.ndarray, events: np.ndarray, trials: np.ndarray, offset: np.ndarray | float
) -> tuple[Any, Any, float]:
    """The mean negative log-likelihood with its gradient, and its Hessian, as functions of theta
    (the Hessian reuses the sigmoid of the last evaluation at the same theta)."""
    from scipy.special import expit

    total = float(trials.sum())
    cache: dict[str, np.ndarray] = {}

    def value_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        eta = offset + x @ theta
        s = expit(eta)
        cache["theta"], cache["s"] = theta.copy(), s
        value = float(trials @ np.logaddexp(0.0, eta) - events @ eta) / total
        return value, x.T @ (trials * s - events) / total

    def hessian(theta: np.ndarray) -> np.ndarray:
        if "theta" in cache and np.array_equal(cache["theta"], theta):
            s = cache["s"]
        else:
            s = expit(offset + x @ theta)
        return (x.T * (trials * s * (1.0 - s))) @ x / total

    return value_and_gradient, hessian, total


def fit(
    x: np.ndarray,
    y: np.ndarray,
    offset: np.ndarray | float = 0.0,
    start: np.ndarray | None = None,
    trials: np.ndarray | None = None,
) -> LogisticFit:
    """MLE of theta in y ~ Bernoulli(sigmoid(offset + x @ theta)); x is (n, k). With ``trials``,
    row i stands for trials[i] events with the same x, y[i] of which happened (a binomial
    count: the same likelihood as the rows written out one by one)."""
    from scipy.optimize import minimize

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    counts = np.ones(y.size) if trials is None else np.asarray(trials, dtype=float)
    value_and_gradient, hessian, total = _objective(x, y, counts, offset)
    theta0 = np.zeros(x.shape[1]) if start is None else np.asarray(start, dtype=float)
    result = minimize(
        value_and_gradient,
        theta0,
        jac=True,
        hess=hessian,
        method="trust-exact",
        options={"gtol": 1e-10, "maxiter": 200},
    )
    theta = np.asarray(result.x, dtype=float)
    information = hessian(theta) * total
    try:
        covariance = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        covariance = np.full_like(information, np.nan)
    if not np.all(np.isfinite(covariance)) or np.any(np.diag(covariance) < 0):
        covariance = np.full_like(information, np.nan)
    return LogisticFit(
        theta=theta,
        covariance=covariance,
        log_likelihood=-float(result.fun) * total,
        converged=bool(result.success),
    )


def log_likelihood_1d(x: np.ndarray, y: np.ndarray, offset: np.ndarray, theta: float) -> float:
    eta = offset + x * theta
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


@dataclass(frozen=True)
class ProfileEstimate:
    """A one-parameter estimate with its 90% likelihood-ratio interval. A bound that the data do
    not rule out (the interval runs past ``limit``) is None."""

    estimate: float
    low: float | None
    high: float | None
    at_limit: bool
    """The estimate itself sits at +-limit: every event went the way the model pushes."""


def profile_fit(x: np.ndarray, y: np.ndarray, offset: np.ndarray, limit: float) -> ProfileEstimate:
    """MLE of theta in y ~ Bernoulli(sigmoid(offset + x theta)) within [-limit, limit]
    (``minimize`` L-BFGS-B with the analytic gradient), and the 90% profile-likelihood interval
    {theta : 2 (l(hat) - l(theta)) <= chi2_1(0.90)} found with ``brentq``."""
    from scipy.optimize import brentq, minimize
    from scipy.special import expit

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    offset = np.asarray(offset, dtype=float)
    n = y.size

    def value_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        eta = offset + x * theta[0]
        value = float(np.sum(np.logaddexp(0.0, eta) - y * eta)) / n
        return value, np.array([float(np.dot(x, expit(eta) - y)) / n])

    result = minimize(
        value_and_gradient,
        np.zeros(1),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-limit, limit)],
        options={"gtol": 1e-12, "ftol": 1e-15},
    )
    best = float(result.x[0])
    top = log_likelihood_1d(x, y, offset, best)

    def excess(theta: float) -> float:
        return 2.0 * (top - log_likelihood_1d(x, y, offset, theta)) - CHI2_90

    def end(bound: float) -> float | None:
        if excess(bound) < 0:
            return None
        if math.isclose(best, bound):
            return bound
        return float(brentq(excess, min(best, bound), max(best, bound), xtol=1e-10))

    return ProfileEstimate(
        estimate=best,
        low=end(-limit),
        high=end(limit),
        at_limit=math.isclose(abs(best), limit, rel_tol=1e-6),
    )
