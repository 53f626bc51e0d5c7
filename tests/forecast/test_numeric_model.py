"""The numeric engine: worked examples by hand, leave-one-out equals recomputing, and the model
through the CLI (evidence add --above/--below/--between/--measured, question show --json)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.engine.numeric_bayes import Item, log_likelihoods, posterior, uniform_prior
from questions import numeric as nm
from tests.conftest import Cli

RNG = nm.NumericRange(0, 10)


def p_above(cdf: np.ndarray, x: float, rng: nm.NumericRange = RNG) -> float:
    return 1 - nm.pit_value(rng, cdf, x)


def test_step_above_with_lr_3_on_a_uniform_prior() -> None:
    """P(above 5) = 3 / (3 + 1); the median sits a third of the way into [5, 10]."""
    result = posterior(RNG, uniform_prior(RNG), [Item("above", 5.0, lr=3.0)])
    assert p_above(result.cdf, 5.0) == pytest.approx(0.75)
    assert nm.summary(RNG, result.cdf)["median"] == pytest.approx(5 + 5 / 3)


def test_below_and_between_and_credibility() -> None:
    below = posterior(RNG, uniform_prior(RNG), [Item("below", 2.0, lr=0.5)])
    # mass below 2: 0.2 * 0.5 / (0.2 * 0.5 + 0.8)
    assert nm.pit_value(RNG, below.cdf, 2.0) == pytest.approx(0.1 / 0.9)
    between = posterior(RNG, uniform_prior(RNG), [Item("between", 2.0, 4.0, lr=2.0)])
    assert nm.pit_value(RNG, between.cdf, 4.0) - nm.pit_value(RNG, between.cdf, 2.0) == (
        pytest.approx(0.4 / 1.2)
    )
    half = posterior(RNG, uniform_prior(RNG), [Item("above", 5.0, lr=4.0, credibility=0.5)])
    assert p_above(half.cdf, 5.0) == pytest.approx(2 / 3)  # 4 ** 0.5 = 2


def test_a_cut_bin_takes_the_average() -> None:
    """X = 5.025 cuts the bin [5.0, 5.05] in half: it gets (3 + 1) / 2. Weights: 0.5 below 5,
    0.005 * 2 in the cut bin (prior 1/200), 0.495 * 3 above it; half the cut bin lies above X."""
    result = posterior(RNG, uniform_prior(RNG), [Item("above", 5.025, lr=3.0)])
    assert p_above(result.cdf, 5.025) == pytest.approx((1.485 + 0.005) / 1.995)


def test_fully_redundant_group_counts_once() -> None:
    one = posterior(RNG, uniform_prior(RNG), [Item("above", 5.0, lr=3.0)])
    group = [Item("above", 5.0, lr=3.0, group="g", rho=1.0) for _ in range(3)]
    assert np.allclose(posterior(RNG, uniform_prior(RNG), group).cdf, one.cdf)


def test_a_measurement_gives_a_normal_posterior() -> None:
    rng = nm.NumericRange(0, 2000)
    result = posterior(rng, uniform_prior(rng), [Item("measured", 700.0, sd=80.0)])
    s = nm.summary(rng, result.cdf)
    assert s["median"] == pytest.approx(700, abs=0.5)
    assert s["q05"] == pytest.approx(700 - 1.6449 * 80, abs=1.0)
    assert s["q95"] == pytest.approx(700 + 1.6449 * 80, abs=1.0)


def test_open_tails_get_prior_mass_and_closed_ones_none() -> None:
    rng = nm.NumericRange(0, 10, open_upper=True)
    prior = uniform_prior(rng)
    assert prior[0] == 0 and prior[-1] == pytest.approx(0.05) and prior.sum() == pytest.approx(1)
    result = posterior(rng, prior, [Item("above", 9.0, lr=10.0)])
    assert result.masses[0] == 0
    # by hand: weights 0.855 (below 9) + 0.95 (9..10, x10) + 0.5 (tail, x10) -> tail 0.5 / 2.305
    assert result.masses[-1] == pytest.approx(0.5 / 2.305)


items_strategy = st.lists(
    st.builds(
        Item,
        form=st.sampled_from(["above", "below", "measured"]),
        a=st.floats(0.5, 9.5),
        lr=st.floats(0.1, 10),
        sd=st.floats(0.3, 5),
        credibility=st.floats(0, 1),
        group=st.sampled_from([None, "g", "h"]),
        rho=st.floats(0, 1),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(items_strategy)
def test_leave_one_out_equals_recomputing_without_the_item(items: list[Item]) -> None:
    # One rho per group, as stored.
    rhos = {i.group: i.rho for i in items if i.group}
    items = [
        Item(i.form, i.a, None, i.lr, i.sd, i.credibility, i.group, rhos.get(i.group or ""))
        for i in items
    ]
    rng = nm.NumericRange(0, 10, open_lower=True, open_upper=True)
    prior = uniform_prior(rng)
    result = posterior(rng, prior, items)
    for k in range(len(items)):
        alone = posterior(rng, prior, items[:k] + items[k + 1 :], leave_one_out=False)
        expected = nm.quantile(rng, alone.cdf, np.array([0.05, 0.5, 0.95]))
        assert np.allclose(result.loo_quantiles[k], expected, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["above", "below", "between"]),
            st.floats(0.01, 9.99),
            st.floats(0.0, 5.0),
            st.floats(0.05, 20),
            st.floats(0, 1),
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_step_items_fast_path_equals_dense_rows(
    raw: list[tuple[str, float, float, float, float]], log_scale: bool
) -> None:
    """Ungrouped steps are summed and left out as structure; the same items as dense rows
    (``log_likelihoods``) give the same posterior, and each leave-one-out equals recomputing."""
    rng = nm.NumericRange(0.5, 10, log=log_scale, open_upper=True)
    items = [
        Item(
            form,
            max(a, 0.5),
            min(max(a, 0.5) + gap, 10.0) if form == "between" else None,
            lr=lr,
            credibility=c,
        )
        for form, a, gap, lr, c in raw
        if form != "between" or min(max(a, 0.5) + gap, 10.0) > max(a, 0.5)
    ]
    if not items:
        return
    prior = uniform_prior(rng)
    result = posterior(rng, prior, items)
    dense = log_likelihoods(rng, items)
    w = np.array([i.credibility for i in items])
    log_post = np.log(np.where(prior > 0, prior, 1e-300)) + w @ dense
    expected = np.exp(log_post - log_post.max()) * (prior > 0)
    assert np.allclose(result.masses, expected / expected.sum(), atol=1e-9)
    for k in range(len(items)):
        alone = posterior(rng, prior, items[:k] + items[k + 1 :], leave_one_out=False)
        want = nm.quantile(rng, alone.cdf, np.array([0.05, 0.5, 0.95]))
        assert np.allclose(result.loo_quantiles[k], want, rtol=1e-6, atol=1e-6)


def test_model_through_the_cli(cli: Cli) -> None:
    cli.ok("question", "add", "Killed", "--numeric", "0", "10")
    assert cli.ok("evidence", "add", "Q1", "More than half", "--above", "5", "--lr", "3") == "E1"
    cli.ok("evidence", "add", "Q1", "A count", "--measured", "6", "--sd", "20")
    data = json.loads(cli.ok("question", "show", "Q1", "--json"))
    model = data["model"]
    assert model["evidence_items"] == 2 and model["prior"] == "uniform"
    assert model["thresholds"][0]["value"] == 5.0
    assert 0.74 < model["thresholds"][0]["p_above"] < 0.78
    e1 = model["sensitivity"][0]
    assert e1["id"] == "E1"
    assert e1["median_without"] == pytest.approx(5.0, abs=0.1)
    text = cli.ok("question", "show", "Q1")
    assert "model (2 evidence items)" in text and "P(below 5) = " in text
    assert "E1     above" in text
    cli.ok("evidence", "remove", "E2")
    model = json.loads(cli.ok("question", "show", "Q1", "--json"))["model"]
    assert model["posterior"]["median"] == pytest.approx(5 + 5 / 3, rel=1e-4)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--above", "50", "--lr", "2"], "outside the question's range"),
        (["--above", "5"], "--lr: give the likelihood ratio"),
        (["--measured", "5"], "--sd: give the measurement's standard deviation"),
        (["--measured", "5", "--sd", "1", "--lr", "2"], "a --measured item has no LR"),
        (["--between", "6", "4", "--lr", "2"], "A must be below B"),
        (["--lr", "2"], "is a numeric question"),
        (["--above", "5", "--lr", "-1"], "lr"),
    ],
)
def test_bad_numeric_evidence_is_refused(cli: Cli, args: list[str], message: str) -> None:
    cli.ok("question", "add", "Killed", "--numeric", "0", "10")
    result = cli("evidence", "add", "Q1", "text", *args)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "evidence" not in json.loads(cli.ok("question", "show", "Q1", "--json")).get("model", {})


def test_categorical_views_refuse_a_numeric_question_in_one_line(cli: Cli) -> None:
    cli.ok("question", "add", "Killed", "--numeric", "0", "10", "--unit", "people")
    cli.ok("evidence", "add", "Q1", "More than half", "--above", "5", "--lr", "3")
    cli.ok("evidence", "add", "Q1", "A count", "--measured", "6", "--sd", "2")
    listed = cli.ok("evidence", "list", "Q1")
    assert "above 5 people ×3" in listed and "measured 6 people ±2" in listed
    for args in (["tree", "show", "Q1", "--format", "json"], ["ach", "Q1"]):
        result = cli(*args)
        assert result.exit_code == 1
        assert "Q1 is a numeric question" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def reference_posterior(rng: nm.NumericRange, prior: np.ndarray, items: list[Item]) -> np.ndarray:
    """Straight from the definition: a dense log-likelihood row per item, weights per group."""
    if not items:
        return prior
    sizes = {g: sum(1 for i in items if i.group == g) for g in {i.group for i in items}}
    w = np.array(
        [
            i.credibility / (1 + (i.rho or 0.0) * (sizes[i.group] - 1))
            if i.group
            else i.credibility
            for i in items
        ]
    )
    with np.errstate(divide="ignore"):
        log_post = np.log(prior) + w @ log_likelihoods(rng, items)
    masses = np.exp(log_post - log_post.max())
    return np.asarray(masses / masses.sum())


measurement_mix = st.lists(
    st.builds(
        Item,
        form=st.sampled_from(["above", "below", "measured", "measured"]),
        a=st.floats(0.5, 9.5),
        lr=st.floats(0.1, 10),
        sd=st.sampled_from([0.05, 0.12, 0.21, 0.5, 2.0]) | st.floats(0.05, 6),
        credibility=st.floats(0, 1),
        group=st.sampled_from([None, None, "g"]),
        rho=st.just(0.4),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=80, deadline=None)
@given(measurement_mix, st.booleans())
def test_fast_paths_equal_dense_rows_and_recomputing(items: list[Item], open_lower: bool) -> None:
    """Ungrouped measurements summed as one quadratic (or dense rows where narrow or floored),
    left out from the total in float32: the posterior equals the reference's to 1e-9 and each
    leave-one-out quantile the reference recomputed without the item to 1e-6 of the range."""
    rng = nm.NumericRange(0, 10, open_lower=open_lower, open_upper=True)
    prior = uniform_prior(rng)
    result = posterior(rng, prior, items)
    assert np.allclose(result.masses, reference_posterior(rng, prior, items), rtol=0, atol=1e-9)
    for k in range(len(items)):
        alone = reference_posterior(rng, prior, items[:k] + items[k + 1 :])
        want = nm.quantile(rng, nm.cdf_from_masses(alone), np.array([0.05, 0.5, 0.95]))
        assert np.allclose(result.loo_quantiles[k], want, rtol=0, atol=1e-6 * (rng.hi - rng.lo))
