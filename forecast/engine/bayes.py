"""The Bayesian engine: pure functions over plain data (numpy/scipy), no I/O.

For outcomes j with prior pi_j and evidence e with likelihoods l_ej and credibility c_e:

    log posterior_j = log pi_j + sum_e d_e * c_e * log l_ej - logsumexp(...)

A binary likelihood ratio LR is the likelihood pair (LR, 1), so binary and multi-outcome questions
share one path. ``d_e`` discounts redundancy: the n members of a group with redundancy rho count
1 / (1 + rho (n - 1)) each — Kish's design effect (Kish, Survey Sampling, 1965): rho = 0 counts
them as independent, rho = 1 as one average item. Only members with c > 0 count toward n.

Uncertainty: a 90% range on a likelihood is a lognormal with the point value as its median and
sigma = (ln hi - ln lo) / (2 * 1.6449). Each outcome's total log score is then normal with
variance sum_e (d_e c_e sigma_ej)^2; for a binary question the posterior log-odds is normal and its
90% interval exact; for more outcomes a seeded Monte Carlo draws only (draws, k) normals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from questions.errors import InvalidInput

Z90 = 1.6448536269514722  # scipy.stats.norm.ppf(0.95): the 95th percentile of the standard normal
DB_PER_NEPER = 10.0 / math.log(10.0)
DB_CAP = 999.0
"""Weights of an item that rules an outcome out are infinite; they are shown capped at this."""
PRIOR_TOLERANCE = 1e-6


class EngineInputError(InvalidInput):
    """Evidence or priors the engine cannot use; the message is one line."""


@dataclass(frozen=True)
class EvidenceInput:
    id: str
    likelihoods: tuple[float, ...]
    """One per outcome; a binary LR x is given as (x, 1.0)."""
    credibility: float = 1.0
    low: tuple[float, ...] | None = None
    """90% range, lower end per outcome (None = exact)."""
    high: tuple[float, ...] | None = None
    group: str | None = None
    rho: float = 0.0
    sources: tuple[str, ...] = ()
    observed: str | None = None
    depends_on: str | None = None


@dataclass(frozen=True)
class TimelineStep:
    at: str | None
    evidence_id: str
    posterior: tuple[float, ...]


@dataclass(frozen=True)
class Analysis:
    prior: np.ndarray
    posterior: np.ndarray
    """(k,)"""
    interval: np.ndarray
    """(k, 2): the 90% interval of each outcome's posterior."""
    log_weights: np.ndarray
    """(n, k): d_e c_e log l_ej as used (-inf where an item rules an outcome out)."""
    weight_db: np.ndarray
    """(n,): binary, 10 d c log10 LR; multi, d c 10 log10 of the likelihood of the leading outcome
    over the geometric mean of the others'. Capped at ±999."""
    posterior_without: np.ndarray
    """(n, k): the posterior with item e left out (group discounts recomputed)."""
    swing: np.ndarray
    """(n,): the largest change of the leading outcome's posterior as one of the item's
    likelihoods moves between the ends of its 90% range (binary: P(Yes) from LR lo to LR hi)."""
    diagnosticity: np.ndarray
    """(n,): c · 10 log10(max_j l_j / min_j l_j) in dB (Heuer's diagnosticity); capped."""
    flip_lr: float
    """Binary: the LR for Yes a single new item would need to bring P(Yes) to 1/2. Multi: the
    likelihood ratio (runner-up over leader) a new item would need to tie them."""
    leader: int
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Arrays:
    prior: np.ndarray
    log_lik: np.ndarray
    credibility: np.ndarray
    log_sigma: np.ndarray
    group_index: np.ndarray
    group_rho: np.ndarray


def _check_prior(prior: Sequence[float] | np.ndarray) -> np.ndarray:
    values = np.asarray(prior, dtype=float)
    if values.ndim != 1 or values.size < 2:
        raise EngineInputError("prior: needs one probability per outcome (at least 2)")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise EngineInputError(f"prior: {list(values)} has a negative or non-finite value")
    if abs(values.sum() - 1.0) > PRIOR_TOLERANCE:
        raise EngineInputError(f"prior: sums to {values.sum():g}, not 1")
    return values


def _to_arrays(prior: Sequence[float] | np.ndarray, items: Sequence[EvidenceInput]) -> _Arrays:
    pri = _check_prior(prior)
    k, n = pri.size, len(items)
    lik = np.ones((n, k))
    low = np.ones((n, k))
    high = np.ones((n, k))
    cred = np.ones(n)
    groups: dict[str, int] = {}
    rhos: list[float] = []
    index = np.full(n, -1, dtype=np.int64)
    for e, item in enumerate(items):
        if len(item.likelihoods) != k:
            raise EngineInputError(
                f"{item.id}: {len(item.likelihoods)} likelihoods for {k} outcomes"
            )
        lik[e] = item.likelihoods
        if item.low is not None and item.high is not None:
            low[e], high[e] = item.low, item.high
        else:
            low[e] = high[e] = lik[e]
        cred[e] = item.credibility
        if item.group is not None:
            if item.group not in groups:
                groups[item.group] = len(rhos)
                rhos.append(item.rho)
            index[e] = groups[item.group]
    if not np.all(np.isfinite(lik)) or np.any(lik < 0):
        raise EngineInputError("likelihoods: each must be finite and >= 0")
    if n and np.any(lik.max(axis=1) <= 0):
        bad = items[int(np.argmax(lik.max(axis=1) <= 0))].id
        raise EngineInputError(f"{bad}: all likelihoods are 0")
    if np.any((cred < 0) | (cred > 1)) or not np.all(np.isfinite(cred)):
        raise EngineInputError("credibility: each must be in [0, 1]")
    rho = np.asarray(rhos, dtype=float)
    if np.any((rho < 0) | (rho > 1)):
        raise EngineInputError("redundancy: each rho must be in [0, 1]")
    if np.any(low > lik + 1e-12) or np.any(high < lik - 1e-12):
        bad = items[int(np.argmax(np.any((low > lik + 1e-12) | (high < lik - 1e-12), axis=1)))].id
        raise EngineInputError(f"{bad}: a range does not contain its point value")
    with np.errstate(divide="ignore"):
        log_lik = np.log(lik)
        spread = np.where(
            high > low,
            np.log(np.where(high > 0, high, 1.0)) - np.log(np.where(low > 0, low, 1.0)),
            0.0,
        )
    return _Arrays(pri, log_lik, cred, spread / (2 * Z90), index, rho)


def _softmax(scores: np.ndarray) -> np.ndarray:
    """Normalise log scores to probabilities (log-sum-exp with the max shifted out; the same
    as ``exp(scores - scipy.special.logsumexp(scores))`` without its per-call overhead, which
    matters for the (n, k) arrays of leave-one-out and swing)."""
    top = np.max(scores, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    weights = np.exp(scores - top)
    return weights / weights.sum(axis=-1, keepdims=True)


def _normalise(scores: np.ndarray) -> np.ndarray:
    """The posterior from log scores, in log space (scipy.special.logsumexp)."""
    from scipy.special import logsumexp

    return np.exp(scores - logsumexp(scores))


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0


def _discounts(
    cred: np.ndarray, group_index: np.ndarray, group_rho: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per-item discount d_e, and the number of counted members of each group."""
    counted = (group_index >= 0) & (cred > 0)
    members = np.bincount(group_index[counted], minlength=group_rho.size).astype(float)
    d = np.ones(cred.size)
    grouped = group_index >= 0
    if grouped.any():
        n_g = members[group_index[grouped]]
        d[grouped] = 1.0 / (1.0 + group_rho[group_index[grouped]] * np.maximum(n_g - 1.0, 0.0))
    return d, members


def analyse_arrays(
    prior: np.ndarray,
    log_lik: np.ndarray,
    credibility: np.ndarray,
    log_sigma: np.ndarray,
    group_index: np.ndarray,
    group_rho: np.ndarray,
    *,
    seed: int = 0,
    draws: int = 4000,
    interval: bool = True,
    sensitivity: bool = True,
    force_monte_carlo: bool = False,
) -> Analysis:
    """The vectorised core: posterior, 90% interval, leave-one-out, swing, diagnosticity."""
    n, k = log_lik.shape
    active = credibility > 0
    zero = np.isneginf(log_lik) & active[:, None]  # items that rule an outcome out
    finite_log = np.where(np.isneginf(log_lik), 0.0, log_lik)
    d, members = _discounts(credibility, group_index, group_rho)
    cd = credibility * d
    contrib = cd[:, None] * finite_log  # finite part, (n, k)
    with np.errstate(divide="ignore"):
        log_prior = np.log(prior)
    zero_count = zero.sum(axis=0)
    total = log_prior + contrib.sum(axis=0)
    scores = np.where(zero_count > 0, -np.inf, total)
    if not np.any(np.isfinite(scores)):
        raise EngineInputError(
            "the evidence rules out every outcome (each has a likelihood of 0 somewhere)"
        )
    post = _normalise(scores)
    leader = int(np.argmax(post))
    log_weights = np.where(zero, -np.inf, contrib)

    # interval
    sd = np.sqrt(((cd[:, None] * log_sigma) ** 2).sum(axis=0))
    bounds = np.column_stack([post, post])
    if interval and np.any(sd > 0):
        if k == 2 and not force_monte_carlo and np.all(np.isfinite(scores)):
            # log-odds ~ Normal(mu, spread^2) exactly; the logistic map is monotone, so its 5% and
            # 95% quantiles map to the posterior's.
            mu = scores[0] - scores[1]
            spread = math.sqrt(sd[0] ** 2 + sd[1] ** 2)
            lo_yes, hi_yes = _expit(mu - Z90 * spread), _expit(mu + Z90 * spread)
            bounds = np.array([[lo_yes, hi_yes], [1 - hi_yes, 1 - lo_yes]])
        else:
            rng = np.random.default_rng(seed)
            sample = scores + rng.standard_normal((draws, k)) * sd
            probs = _softmax(sample)
            bounds = np.quantile(probs, [0.05, 0.95], axis=0).T
            bounds = np.column_stack(
                [np.minimum(bounds[:, 0], post), np.maximum(bounds[:, 1], post)]
            )

    without = np.tile(post, (n, 1))
    swing = np.zeros(n)
    if sensitivity and n:
        without = _leave_one_out(
            log_prior, contrib, zero, cd, credibility, group_index, group_rho, members, d
        )
        swing = _swing(scores, zero_count, cd, log_sigma, leader)

    weight_db = _weight_db(log_weights, leader, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        span = np.where(
            np.isneginf(log_lik).any(axis=1),
            np.inf,
            log_lik.max(axis=1) - np.where(np.isneginf(log_lik), np.inf, log_lik).min(axis=1),
        )
        diagnosticity = np.where(
            credibility > 0, np.minimum(credibility * span * DB_PER_NEPER, DB_CAP), 0.0
        )
    return Analysis(
        prior=prior,
        posterior=post,
        interval=bounds,
        log_weights=log_weights,
        weight_db=weight_db,
        posterior_without=without,
        swing=swing,
        diagnosticity=diagnosticity,
        flip_lr=_flip_lr(post, leader),
        leader=leader,
    )


def _weight_db(log_weights: np.ndarray, leader: int, k: int) -> np.ndarray:
    if log_weights.shape[0] == 0:
        return np.zeros(0)
    with np.errstate(invalid="ignore"):
        if k == 2:
            raw = log_weights[:, 0] - log_weights[:, 1]
        else:
            others = np.delete(log_weights, leader, axis=1)
            raw = log_weights[:, leader] - others.mean(axis=1)
    raw = np.where(np.isnan(raw), 0.0, raw)
    return np.clip(raw * DB_PER_NEPER, -DB_CAP, DB_CAP)


def _leave_one_out(
    log_prior: np.ndarray,
    contrib: np.ndarray,
    zero: np.ndarray,
    cd: np.ndarray,
    cred: np.ndarray,
    group_index: np.ndarray,
    group_rho: np.ndarray,
    members: np.ndarray,
    d: np.ndarray,
) -> np.ndarray:
    n, k = contrib.shape
    total = contrib.sum(axis=0)
    zero_count = zero.sum(axis=0)
    removed = contrib.copy()  # what leaving e out subtracts from the total
    grouped = group_index >= 0
    if grouped.any():
        # A group's contribution is (sum of its members' c·log l) · d_g; without e it is
        # (that sum − c_e·log l_e) · d_g' with one member fewer.
        raw = np.where(zero, 0.0, cred[:, None] * contrib / np.where(cd > 0, cd, 1.0)[:, None])
        group_sum = np.zeros((group_rho.size, k))
        np.add.at(group_sum, group_index[grouped], raw[grouped])
        g = group_index[grouped]
        n_g = members[g]
        counted = cred[grouped] > 0
        n_after = np.where(counted, n_g - 1.0, n_g)
        d_after = 1.0 / (1.0 + group_rho[g] * np.maximum(n_after - 1.0, 0.0))
        before = group_sum[g] * d[grouped][:, None]
        after = (group_sum[g] - raw[grouped]) * d_after[:, None]
        removed[grouped] = before - after
    scores = log_prior + total - removed
    scores = np.where((zero_count - zero) > 0, -np.inf, scores)
    all_out = ~np.isfinite(scores).any(axis=1)
    scores[all_out] = 0.0  # cannot happen for a valid input set; keeps the array finite
    return _softmax(scores)


def _swing(
    scores: np.ndarray, zero_count: np.ndarray, cd: np.ndarray, log_sigma: np.ndarray, leader: int
) -> np.ndarray:
    """Max over outcomes j of |P(leader) with l_ej at its high end − at its low end|."""
    n, k = log_sigma.shape
    if not np.any(log_sigma > 0):
        return np.zeros(n)
    half = Z90 * log_sigma * cd[:, None]  # ln hi − ln median = Z90·sigma (and symmetrically)
    best = np.zeros(n)
    # P(leader) = 1 / sum_i exp(s_i - s_leader); moving s_j by ±h changes one term of the sum.
    with np.errstate(over="ignore", invalid="ignore"):
        relative = np.exp(scores - scores[leader])
        rest = relative.sum()
        for j in range(k):
            h = half[:, j]
            if not np.any(h > 0):
                continue
            if j == leader:
                others = rest - 1.0
                up, down = 1.0 / (1.0 + others * np.exp(-h)), 1.0 / (1.0 + others * np.exp(h))
            else:
                base = rest - relative[j]
                up = 1.0 / (base + relative[j] * np.exp(h))
                down = 1.0 / (base + relative[j] * np.exp(-h))
            best = np.maximum(best, np.nan_to_num(np.abs(up - down)))
    return best


def _flip_lr(post: np.ndarray, leader: int) -> float:
    if post.size == 2:
        return float(post[1] / post[0]) if post[0] > 0 else math.inf
    order = np.argsort(post)[::-1]
    runner = int(order[1])
    return float(post[leader] / post[runner]) if post[runner] > 0 else math.inf


def _warnings(items: Sequence[EvidenceInput]) -> list[str]:
    found: list[str] = []
    by_source: dict[str, list[str]] = defaultdict(list)
    for item in items:
        for key in dict.fromkeys(item.sources):
            by_source[key].append(item.id)
    for key, ids in by_source.items():
        if len(ids) > 1:
            found.append(
                f"{', '.join(ids)} rest on the same source ({key[:60]}): possible double counting"
            )
    known = {item.id: item for item in items}
    for item in items:
        if item.depends_on and item.depends_on not in known:
            found.append(f"{item.id} depends on {item.depends_on}, which is not in the model")
    for item in items:  # a dependence cycle makes the conditional likelihoods meaningless
        seen, cursor = {item.id}, item.depends_on
        while cursor in known:
            if cursor in seen:
                found.append(f"{item.id}: depends_on forms a cycle")
                break
            seen.add(cursor)
            cursor = known[cursor].depends_on
    return found


@dataclass(frozen=True)
class Prepared:
    """A question's evidence converted for the engine once: the arrays, the observed order and the
    warnings (which depend only on sources and dependencies). ``replace`` swaps one item in at the
    cost of one row, so a nudge on a thousand items does not convert the other 999 again."""

    items: tuple[EvidenceInput, ...]
    arrays: _Arrays
    order: np.ndarray
    """Indices of ``items`` in observed-date order (undated last, in input order)."""
    warnings: tuple[str, ...]

    def replace(self, index: int, item: EvidenceInput) -> Prepared:
        old = self.items[index]
        items = (*self.items[:index], item, *self.items[index + 1 :])
        if _structure(old) != _structure(item):
            return prepare(self.arrays.prior, items)
        one = _to_arrays(self.arrays.prior, [item])  # validates the item as a full conversion would
        arrays = self.arrays
        log_lik, credibility, log_sigma = (
            arrays.log_lik.copy(),
            arrays.credibility.copy(),
            arrays.log_sigma.copy(),
        )
        log_lik[index], credibility[index], log_sigma[index] = (
            one.log_lik[0],
            one.credibility[0],
            one.log_sigma[0],
        )
        changed = _Arrays(
            arrays.prior, log_lik, credibility, log_sigma, arrays.group_index, arrays.group_rho
        )
        return Prepared(items, changed, self.order, self.warnings)


def _structure(item: EvidenceInput) -> tuple[object, ...]:
    """What places an item among the others (groups, order, warnings), as opposed to its strength."""
    return (item.id, item.group, item.rho, item.sources, item.observed, item.depends_on)


def prepare(prior: Sequence[float] | np.ndarray, items: Sequence[EvidenceInput]) -> Prepared:
    items = tuple(items)
    return Prepared(
        items,
        _to_arrays(prior, items),
        np.asarray(_observed_order(items), dtype=np.int64),
        tuple(_warnings(items)),
    )


def analyse_prepared(
    prepared: Prepared,
    *,
    outcomes: Sequence[str] | None = None,
    seed: int = 0,
    draws: int = 4000,
    interval: bool = True,
    sensitivity: bool = True,
    force_monte_carlo: bool = False,
) -> Analysis:
    arrays = prepared.arrays
    if outcomes is not None and len(outcomes) != arrays.prior.size:
        raise EngineInputError(f"outcomes: {len(outcomes)} names for {arrays.prior.size} priors")
    result = analyse_arrays(
        arrays.prior,
        arrays.log_lik,
        arrays.credibility,
        arrays.log_sigma,
        arrays.group_index,
        arrays.group_rho,
        seed=seed,
        draws=draws,
        interval=interval,
        sensitivity=sensitivity,
        force_monte_carlo=force_monte_carlo,
    )
    result.warnings.extend(prepared.warnings)
    return result


def analyse(
    prior: Sequence[float],
    items: Sequence[EvidenceInput],
    *,
    outcomes: Sequence[str] | None = None,
    seed: int = 0,
    draws: int = 4000,
    interval: bool = True,
    sensitivity: bool = True,
    force_monte_carlo: bool = False,
) -> Analysis:
    """Posterior, 90% interval, per-item weights and sensitivity, and warnings for a question."""
    return analyse_prepared(
        prepare(prior, items),
        outcomes=outcomes,
        seed=seed,
        draws=draws,
        interval=interval,
        sensitivity=sensitivity,
        force_monte_carlo=force_monte_carlo,
    )


def posterior(prior: Sequence[float], items: Sequence[EvidenceInput]) -> np.ndarray:
    """The point posterior only."""
    return analyse(prior, items, interval=False, sensitivity=False).posterior


def point_posterior(
    prior: Sequence[float],
    likelihoods: np.ndarray,
    credibility: np.ndarray,
    groups: Sequence[str | None],
    rhos: Sequence[float | None],
) -> np.ndarray:
    """``posterior`` straight from stored columns, without item objects: likelihoods (n, k),
    credibility (n,), each item's group name and its group's redundancy. For values that were
    checked when they were stored (the workspace's ``model_posteriors`` after every change)."""
    pri = _check_prior(prior)
    if not len(credibility):
        return pri
    index = np.full(len(credibility), -1, dtype=np.int64)
    names: dict[str, int] = {}
    group_rho: list[float] = []
    for e, (group, rho) in enumerate(zip(groups, rhos, strict=True)):
        if group is not None:
            if group not in names:
                names[group] = len(group_rho)
                group_rho.append(rho or 0.0)
            index[e] = names[group]
    with np.errstate(divide="ignore"):
        log_lik = np.log(likelihoods)
    return analyse_arrays(
        pri,
        log_lik,
        np.asarray(credibility, dtype=float),
        np.zeros_like(log_lik),
        index,
        np.asarray(group_rho, dtype=float),
        interval=False,
        sensitivity=False,
    ).posterior


def _observed_order(items: Sequence[EvidenceInput]) -> list[int]:
    return sorted(
        range(len(items)), key=lambda i: (items[i].observed is None, items[i].observed or "", i)
    )


def timeline(prior: Sequence[float], items: Sequence[EvidenceInput]) -> list[TimelineStep]:
    """The model posterior replayed in observed-date order (undated items last, in input order):
    one step per item, each the posterior with every item up to it (groups as they stood)."""
    if not items:
        return []
    return timeline_steps(prepare(prior, items))


def timeline_steps(prepared: Prepared) -> list[TimelineStep]:
    """``timeline`` of evidence already prepared."""
    items = prepared.items
    return [
        TimelineStep(items[e].observed, items[e].id, tuple(row))
        for e, row in zip(
            prepared.order.tolist(), timeline_posteriors(prepared).tolist(), strict=True
        )
    ]


def timeline_posteriors(prepared: Prepared) -> np.ndarray:
    """(n, k): row t is the posterior with the first t + 1 items in ``prepared.order``.

    Vectorised: running sums in observed order; a group's running sum is discounted by its running
    size, so step t uses exactly the items observed up to t."""
    arrays, order = prepared.arrays, prepared.order
    with np.errstate(divide="ignore"):
        log_prior = np.log(arrays.prior)
    cred = arrays.credibility[order]
    active = cred > 0
    log_lik = arrays.log_lik[order]
    ruled_out = np.isneginf(log_lik) & active[:, None]
    finite = np.where(np.isneginf(log_lik), 0.0, log_lik) * cred[:, None]
    groups = arrays.group_index[order]
    grouped = (groups >= 0) & active
    scores = log_prior + np.cumsum(np.where(grouped[:, None], 0.0, finite), axis=0)
    for g, rho in enumerate(arrays.group_rho):
        mine = grouped & (groups == g)
        if not mine.any():
            continue
        running = np.cumsum(np.where(mine[:, None], finite, 0.0), axis=0)
        count = np.cumsum(mine)
        scores = scores + running / (1.0 + rho * np.maximum(count - 1.0, 0.0))[:, None]
    scores = np.where(np.cumsum(ruled_out, axis=0) > 0, -np.inf, scores)
    top = scores.max(axis=1, keepdims=True)
    weights = np.exp(scores - top)
    result: np.ndarray = weights / weights.sum(axis=1, keepdims=True)
    return result
