"""A bundle's numeric or date question run through the numeric engine, as ``question show`` runs
it: the live items' forms with their LR, credibility and groups, over a uniform prior or the team's
linear pool (the question's ``prior``). The diff shows the posterior's median and 90% interval."""

from __future__ import annotations

import numpy as np

from forecast.engine.numeric_bayes import Item, posterior, uniform_prior
from forecast.engine.numeric_model import pooled_prior
from forecast.exchange.bundle_models import BundleQuestion
from questions import numeric as nm
from questions.numeric import NumericRange
from questions.store import latest_by_forecaster

LABELS = ["median", "5%", "95%"]


def bundle_range(question: BundleQuestion) -> NumericRange:
    rng = question.numeric
    assert rng is not None
    return NumericRange(
        rng.lo,
        rng.hi,
        log=rng.log,
        open_lower=rng.open_lower,
        open_upper=rng.open_upper,
        unit=rng.unit,
        is_date=question.kind == "date",
    )


def numeric_items(question: BundleQuestion) -> list[Item]:
    return [
        Item(
            e.numeric.form,
            e.numeric.a,
            e.numeric.b,
            e.likelihoods[0],
            e.numeric.sd,
            e.credibility,
            e.group,
            question.groups.get(e.group) if e.group else None,
        )
        for e in question.evidence
        if e.removed_at is None and e.numeric is not None
    ]


def numeric_posterior(question: BundleQuestion) -> list[float]:
    """[median, 5%, 95%] of the model's posterior (of the prior while there is no live item)."""
    rng = bundle_range(question)
    prior = None
    if question.numeric is not None and question.numeric.prior == "team":
        standing = latest_by_forecaster(question.forecasts)
        cdfs = [np.asarray(f.cdf, dtype=float) for f in standing.values() if f.cdf is not None]
        prior = pooled_prior(rng, cdfs)
    if prior is None:
        prior = uniform_prior(rng)
    cdf = posterior(rng, prior, numeric_items(question), leave_one_out=False).cdf
    q05, q50, q95 = nm.quantile(rng, cdf, np.array([0.05, 0.5, 0.95]))
    return [float(q50), float(q05), float(q95)]
