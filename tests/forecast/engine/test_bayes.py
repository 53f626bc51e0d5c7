"""The engine: worked examples derived by hand, and properties checked with hypothesis."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.engine.bayes import (
    EngineInputError,
    EvidenceInput,
    analyse,
    analyse_prepared,
    posterior,
    prepare,
    timeline,
    timeline_posteriors,
)


def lr(name: str, value: float, **kw: object) -> EvidenceInput:
    return EvidenceInput(name, (value, 1.0), **kw)  # type: ignore[arg-type]


# ----- worked examples ---------------------------------------------------------------------------


def test_binary_odds_form() -> None:
    # prior 0.2 -> odds 0.25; LR 3 and LR 0.5 -> odds 0.25 * 3 * 0.5 = 0.375 -> p = 0.375/1.375
    result = analyse([0.2, 0.8], [lr("E1", 3), lr("E2", 0.5)])
    assert result.posterior[0] == pytest.approx(0.375 / 1.375)
    assert result.weight_db == pytest.approx([10 * math.log10(3), 10 * math.log10(0.5)])
    # leave E1 out: odds 0.25 * 0.5 = 0.125 -> 1/9; leave E2 out: odds 0.75 -> 3/7
    assert result.posterior_without[:, 0] == pytest.approx([1 / 9, 3 / 7])
    # leader is No (p = 0.2727); an item with LR = P(No)/P(Yes) = 1/0.375 ties them
    assert result.leader == 1 and result.flip_lr == pytest.approx(1 / 0.375)


def test_three_hypothesis_sequence() -> None:
    # priors 0.5, 0.3, 0.2; e1 likelihoods (0.2, 0.6, 0.9) -> 0.10, 0.18, 0.18 (sum 0.46)
    # e2 likelihoods (0.5, 0.5, 0.1) -> 0.05, 0.09, 0.018 (sum 0.158)
    items = [EvidenceInput("E1", (0.2, 0.6, 0.9)), EvidenceInput("E2", (0.5, 0.5, 0.1))]
    result = analyse([0.5, 0.3, 0.2], items)
    assert result.posterior == pytest.approx(np.array([0.05, 0.09, 0.018]) / 0.158)
    assert result.leader == 1
    steps = timeline([0.5, 0.3, 0.2], items)
    assert steps[0].posterior == pytest.approx(np.array([0.10, 0.18, 0.18]) / 0.46)
    # diagnosticity of E1: 10 log10(0.9 / 0.2) dB
    assert result.diagnosticity[0] == pytest.approx(10 * math.log10(4.5))


def test_credibility_half_of_lr_4_is_lr_2() -> None:
    # 4 ** 0.5 = 2
    half = analyse([0.5, 0.5], [lr("E1", 4, credibility=0.5)])
    assert half.posterior[0] == pytest.approx(2 / 3)
    assert half.weight_db[0] == pytest.approx(10 * 0.5 * math.log10(4))


def test_redundancy_group_rho_one_counts_once() -> None:
    # two identical LR 3 items with rho = 1: each counts 1/(1 + 1) -> one LR 3 in all
    grouped = analyse(
        [0.5, 0.5], [lr("E1", 3, group="g", rho=1.0), lr("E2", 3, group="g", rho=1.0)]
    )
    single = analyse([0.5, 0.5], [lr("E1", 3)])
    assert grouped.posterior == pytest.approx(single.posterior)
    # rho = 0.5 with 3 items: each counts 1/(1 + 0.5 * 2) = 1/2 -> LR 3^(3/2)
    half = analyse([0.5, 0.5], [lr(f"E{i}", 3, group="g", rho=0.5) for i in range(3)])
    assert half.posterior[0] == pytest.approx(3**1.5 / (1 + 3**1.5))


def test_binary_interval_by_hand() -> None:
    # prior 0.5, LR 2 with range 1..4: sigma = ln 4 / (2 * 1.6449); the 90% log-odds interval is
    # ln 2 ± ln 2, i.e. odds 1..4 -> P(Yes) 0.5..0.8
    result = analyse([0.5, 0.5], [lr("E1", 2, low=(1.0, 1.0), high=(4.0, 1.0))])
    assert result.interval[0] == pytest.approx([0.5, 0.8])
    assert result.interval[1] == pytest.approx([0.2, 0.5])
    assert result.swing[0] == pytest.approx(0.3)


def test_zero_likelihood_rules_out_an_outcome() -> None:
    result = analyse(
        [0.4, 0.3, 0.3],
        [EvidenceInput("E1", (0.0, 1.0, 0.5)), EvidenceInput("E2", (1.0, 1.0, 1.0))],
    )
    assert result.posterior == pytest.approx([0.0, 2 / 3, 1 / 3])
    assert result.posterior_without[0] == pytest.approx([0.4, 0.3, 0.3])
    ignored = analyse([0.4, 0.3, 0.3], [EvidenceInput("E1", (0.0, 1.0, 0.5), credibility=0.0)])
    assert ignored.posterior == pytest.approx([0.4, 0.3, 0.3])


def test_same_source_and_dependence_warnings() -> None:
    result = analyse(
        [0.5, 0.5],
        [
            lr("E1", 2, sources=("crisis group",)),
            lr("E2", 3, sources=("crisis group",)),
            lr("E3", 2, depends_on="E9"),
        ],
    )
    assert any("E1, E2" in w and "double counting" in w for w in result.warnings)
    assert any("E9" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("prior", "items", "fragment"),
    [
        ([0.5, 0.6], [], "sums to"),
        ([0.5, 0.5], [EvidenceInput("E1", (1.0, 2.0, 3.0))], "3 likelihoods"),
        ([0.5, 0.5], [EvidenceInput("E1", (0.0, 0.0))], "all likelihoods are 0"),
        ([0.5, 0.5], [lr("E1", 2, credibility=1.5)], "credibility"),
        ([0.5, 0.5], [lr("E1", 2, low=(3.0, 1.0), high=(4.0, 1.0))], "range"),
        (
            [0.5, 0.5],
            [EvidenceInput("E1", (0.0, 1.0)), EvidenceInput("E2", (1.0, 0.0))],
            "every outcome",
        ),
    ],
)
def test_bad_inputs_are_refused(prior, items, fragment) -> None:
    with pytest.raises(EngineInputError, match=fragment):
        analyse(prior, items)


# ----- properties --------------------------------------------------------------------------------

lrs = st.floats(min_value=0.05, max_value=20)
creds = st.floats(min_value=0.0, max_value=1.0)
priors = st.floats(min_value=0.02, max_value=0.98)


@st.composite
def binary_items(draw: st.DrawFn, max_size: int = 8) -> list[EvidenceInput]:
    count = draw(st.integers(0, max_size))
    items = []
    for i in range(count):
        value = draw(lrs)
        spread = draw(st.floats(min_value=1.0, max_value=4.0))
        group = draw(st.sampled_from([None, "a", "b"]))
        items.append(
            lr(
                f"E{i}",
                value,
                credibility=draw(creds),
                low=(value / spread, 1.0),
                high=(value * spread, 1.0),
                group=group,
                rho={"a": 0.5, "b": 1.0}.get(group or "", 0.0),
            )
        )
    return items


@settings(max_examples=100, deadline=None)
@given(st.data(), priors, binary_items())
def test_order_does_not_matter(data, p, items) -> None:
    shuffled = data.draw(st.permutations(items))
    assert posterior([p, 1 - p], items) == pytest.approx(posterior([p, 1 - p], shuffled))


@settings(max_examples=100, deadline=None)
@given(priors, binary_items(), lrs, creds)
def test_lr_one_and_zero_credibility_change_nothing(p, items, other, c) -> None:
    base = posterior([p, 1 - p], items)
    assert posterior([p, 1 - p], [*items, lr("X", 1.0, credibility=c)]) == pytest.approx(base)
    assert posterior([p, 1 - p], [*items, lr("X", other, credibility=0.0)]) == pytest.approx(base)


@settings(max_examples=100, deadline=None)
@given(priors, binary_items())
def test_binary_equals_two_outcomes_with_likelihood_pairs(p, items) -> None:
    # the same items written as likelihood pairs (LR·t, t) for an arbitrary scale t
    scaled = [
        EvidenceInput(
            i.id, (i.likelihoods[0] * 0.3, 0.3), credibility=i.credibility, group=i.group, rho=i.rho
        )
        for i in items
    ]
    assert posterior([p, 1 - p], items) == pytest.approx(posterior([p, 1 - p], scaled))


@settings(max_examples=100, deadline=None)
@given(priors, binary_items())
def test_leave_one_out_equals_rebuilding_without_the_item(p, items) -> None:
    result = analyse([p, 1 - p], items)
    for e in range(len(items)):
        rest = items[:e] + items[e + 1 :]
        assert result.posterior_without[e] == pytest.approx(posterior([p, 1 - p], rest), abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=0.05, max_value=5), min_size=3, max_size=3),
    st.integers(1, 6),
    st.data(),
)
def test_multi_leave_one_out(prior_weights, count, data) -> None:
    prior = np.array(prior_weights) / sum(prior_weights)
    items = [
        EvidenceInput(
            f"E{i}",
            tuple(data.draw(st.lists(st.floats(0.01, 1), min_size=3, max_size=3))),
            credibility=data.draw(creds),
            group=data.draw(st.sampled_from([None, "g"])),
            rho=0.7,
        )
        for i in range(count)
    ]
    result = analyse(prior, items)
    for e in range(count):
        assert result.posterior_without[e] == pytest.approx(
            posterior(prior, items[:e] + items[e + 1 :]), abs=1e-9
        )


@settings(max_examples=60, deadline=None)
@given(priors, binary_items())
def test_interval_contains_point_and_narrows_with_ranges(p, items) -> None:
    result = analyse([p, 1 - p], items)
    assert np.all(result.interval[:, 0] <= result.posterior + 1e-12)
    assert np.all(result.posterior <= result.interval[:, 1] + 1e-12)
    narrow = [
        EvidenceInput(
            i.id,
            i.likelihoods,
            credibility=i.credibility,
            group=i.group,
            rho=i.rho,
            low=(i.likelihoods[0] / 1.0001, 1.0),
            high=(i.likelihoods[0] * 1.0001, 1.0),
        )
        for i in items
    ]
    tight = analyse([p, 1 - p], narrow)
    assert tight.interval[:, 0] == pytest.approx(tight.posterior, abs=1e-3)
    assert tight.interval[:, 1] == pytest.approx(tight.posterior, abs=1e-3)


@settings(max_examples=20, deadline=None)
@given(priors, binary_items(max_size=5))
def test_monte_carlo_agrees_with_exact_binary_interval(p, items) -> None:
    exact = analyse([p, 1 - p], items)
    simulated = analyse([p, 1 - p], items, force_monte_carlo=True, draws=40_000, seed=3)
    assert simulated.interval == pytest.approx(exact.interval, abs=0.015)


@settings(max_examples=60, deadline=None)
@given(priors, binary_items())
def test_timeline_ends_at_the_posterior(p, items) -> None:
    steps = timeline([p, 1 - p], items)
    assert len(steps) == len(items)
    if steps:
        assert steps[-1].posterior == pytest.approx(tuple(posterior([p, 1 - p], items)))


@settings(max_examples=60, deadline=None)
@given(priors, binary_items(), st.data())
def test_each_timeline_step_is_the_posterior_of_the_items_observed_so_far(p, items, data) -> None:
    days = [
        data.draw(st.sampled_from([None, "2020-01-01", "2020-02-01", "2020-03-01"])) for _ in items
    ]
    dated = [dataclasses.replace(i, observed=day) for i, day in zip(items, days, strict=True)]
    steps = timeline([p, 1 - p], dated)
    order = sorted(
        range(len(dated)), key=lambda i: (dated[i].observed is None, dated[i].observed or "", i)
    )
    assert [s.evidence_id for s in steps] == [dated[i].id for i in order]
    for t, step in enumerate(steps):
        expected = posterior([p, 1 - p], [dated[i] for i in order[: t + 1]])
        assert step.posterior == pytest.approx(tuple(expected), abs=1e-9)


def _same_analysis(a, b) -> None:
    for name in (
        "posterior",
        "interval",
        "weight_db",
        "posterior_without",
        "swing",
        "diagnosticity",
    ):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=1e-12, err_msg=name)
    assert a.warnings == b.warnings and a.leader == b.leader


@settings(max_examples=80, deadline=None)
@given(priors, binary_items(), st.data())
def test_replacing_one_item_equals_preparing_them_all_again(p, items, data) -> None:
    """A nudge swaps one item into the prepared arrays; the result must be exactly what a full
    conversion of the changed list gives, whether or not the change moves the item's group."""
    if not items:
        return
    index = data.draw(st.integers(0, len(items) - 1))
    value = data.draw(lrs)
    changed = dataclasses.replace(
        items[index], likelihoods=(value, 1.0), low=None, high=None, credibility=data.draw(creds)
    )
    if data.draw(st.booleans()):  # sometimes a structural change: another group
        changed = dataclasses.replace(
            changed, group=data.draw(st.sampled_from([None, "a", "b", "c"]))
        )
    after = [*items[:index], changed, *items[index + 1 :]]
    swapped = prepare([p, 1 - p], items).replace(index, changed)
    fresh = prepare([p, 1 - p], after)
    _same_analysis(analyse_prepared(swapped), analyse_prepared(fresh))
    np.testing.assert_allclose(timeline_posteriors(swapped), timeline_posteriors(fresh), atol=1e-12)


def test_replacing_with_an_invalid_item_is_refused_like_a_full_conversion() -> None:
    prepared = prepare([0.5, 0.5], [lr("E1", 2.0), lr("E2", 3.0)])
    with pytest.raises(EngineInputError, match="E2: all likelihoods are 0"):
        prepared.replace(1, EvidenceInput("E2", (0.0, 0.0)))
    with pytest.raises(EngineInputError, match="credibility"):
        prepared.replace(0, lr("E1", 2.0, credibility=1.5))


def test_timeline_posteriors_by_hand() -> None:
    """Prior 1:1; E1 (LR 3, observed second) and E2 (LR 2, first): after E2 the odds are 2:1,
    after both 6:1."""
    prepared = prepare(
        [0.5, 0.5], [lr("E1", 3.0, observed="2020-02-01"), lr("E2", 2.0, observed="2020-01-01")]
    )
    assert prepared.order.tolist() == [1, 0]
    np.testing.assert_allclose(timeline_posteriors(prepared), [[2 / 3, 1 / 3], [6 / 7, 1 / 7]])


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda k: st.tuples(
            st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k),
            st.lists(
                st.tuples(
                    st.lists(st.floats(0.0, 50.0), min_size=k, max_size=k).filter(
                        lambda row: max(row) > 0
                    ),
                    st.floats(0.0, 1.0),
                    st.sampled_from([None, "a", "b"]),
                ),
                max_size=12,
            ),
            st.floats(0.0, 1.0),
        )
    )
)
def test_point_posterior_from_columns_equals_the_posterior_of_items(case) -> None:
    from forecast.engine.bayes import EngineInputError, point_posterior, posterior

    weights, rows, rho = case
    prior = np.array(weights) / sum(weights)
    items = [
        EvidenceInput(id=f"E{i}", likelihoods=tuple(lik), credibility=c, group=g, rho=rho)
        for i, (lik, c, g) in enumerate(rows)
    ]
    try:
        expected = posterior(prior, items)
    except EngineInputError:
        return  # every outcome ruled out: nothing is stored for such a question either
    got = point_posterior(
        prior,
        np.array([lik for lik, _, _ in rows], dtype=float).reshape(len(rows), len(weights)),
        np.array([c for _, c, _ in rows], dtype=float),
        [g for _, _, g in rows],
        [rho if g is not None else None for _, _, g in rows],
    )
    assert got == pytest.approx(expected, abs=1e-12)
