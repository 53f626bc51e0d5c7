"""A bundle question's model posterior, computed by the engine as ``question show`` does: the
live (not removed) items with their credibility, ranges, redundancy groups and dependencies."""

from __future__ import annotations

from forecast.engine import bayes
from forecast.exchange.bundle_models import BundleEvidence, BundleQuestion


def engine_items(question: BundleQuestion) -> list[bayes.EvidenceInput]:
    live: list[BundleEvidence] = [e for e in question.evidence if e.removed_at is None]
    return [
        bayes.EvidenceInput(
            id=item.uuid,
            likelihoods=tuple(item.likelihoods),
            credibility=item.credibility,
            low=tuple(item.range_low) if item.range_low else None,
            high=tuple(item.range_high) if item.range_high else None,
            group=item.group,
            rho=question.groups.get(item.group, 0.0) if item.group else 0.0,
            observed=item.observed_at,
            depends_on=item.depends_on,
        )
        for item in live
    ]


def model_posterior(question: BundleQuestion) -> tuple[list[float] | None, str]:
    """The point posterior per outcome (the priors when there is no live evidence), or None and
    why the engine cannot use the evidence (an LR outside its own 90% range, say). A numeric or
    date question gives [median, 5%, 95%] of its posterior (``numeric_posterior``)."""
    if question.numeric is not None:
        from forecast.diff.numeric_posterior import numeric_posterior

        return numeric_posterior(question), ""
    priors = [o.prior for o in question.outcomes]
    items = engine_items(question)
    if not items:
        return priors, ""
    try:
        return [float(p) for p in bayes.posterior(priors, items)], ""
    except bayes.EngineInputError as exc:
        return None, str(exc)
