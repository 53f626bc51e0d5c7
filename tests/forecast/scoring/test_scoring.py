"""Proper scores, the daily carry-forward and Metaculus' scores: hand-worked cases, properties, and
scikit-learn as an independent oracle for Brier and log loss."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.scoring.scores import (
    baseline_score,
    brier,
    brier_multi,
    carry_forward_days,
    coverage,
    log_score,
    metaculus_baseline_score,
    metaculus_peer_score,
    peer_scores,
    time_averaged_brier,
    time_averaged_brier_multi,
)

JAN = [date(2023, 12, 31) + timedelta(days=d) for d in range(32)]  # JAN[d] is January d, 2024


# --- single-time scores -------------------------------------------------------------------------


def test_brier_and_log_score_by_hand() -> None:
    # 0.9 on what happened, 0.3 on what did not: Brier ((0.9-1)^2 + (0.3-0)^2)/2 = (0.01+0.09)/2 = 0.05
    p, o = [0.9, 0.3], [1, 0]
    assert brier(p, o) == pytest.approx(0.05)
    # log: the probabilities given to what happened are 0.9 and 0.7: -(ln 0.9 + ln 0.7)/2 = 0.23101
    assert log_score(p, o) == pytest.approx(-(math.log(0.9) + math.log(0.7)) / 2)
    assert log_score(p, o) == pytest.approx(0.231018, abs=1e-6)


def test_log_score_clips_certain_misses() -> None:
    # 0 on an event that happened: clipped to 1e-15, -ln(1e-15) = 15 ln 10 = 34.5388
    assert log_score([0.0], [1]) == pytest.approx(15 * math.log(10))
    assert log_score([1.0], [0]) == pytest.approx(15 * math.log(10))
    assert log_score([1.0, 0.0], [1, 0]) == pytest.approx(-math.log(1 - 1e-15))
    assert log_score([0.0], [1], eps=1e-3) == pytest.approx(-math.log(1e-3))


def test_brier_multi_by_hand() -> None:
    # (0.2, 0.5, 0.3), outcome 1: 0.2^2 + 0.5^2 + 0.3^2 = 0.04 + 0.25 + 0.09 = 0.38
    assert brier_multi([[0.2, 0.5, 0.3]], [1]) == pytest.approx(0.38)
    # a certain right forecast scores 0, a certain wrong one 1 + 1 = 2
    assert brier_multi([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [1, 2]) == pytest.approx(1.0)
    # binary events as two categories: (0.01+0.01 + 0.09+0.09)/2 = 0.1, twice the binary 0.05
    assert brier_multi([[0.9, 0.1], [0.3, 0.7]], [0, 1]) == pytest.approx(
        2 * brier([0.9, 0.3], [1, 0])
    )


@pytest.mark.parametrize(
    ("p", "o"),
    [
        ([0.5], [2]),
        ([1.5], [1]),
        ([float("nan")], [1]),
        ([0.5, 0.5], [1]),
        ([], []),
        ([[0.5]], [[1]]),
    ],
)
def test_bad_binary_input_is_refused(p: list, o: list) -> None:
    with pytest.raises(ValueError):
        brier(p, o)
    with pytest.raises(ValueError):
        log_score(p, o)


def test_bad_multi_input_is_refused() -> None:
    with pytest.raises(ValueError):
        brier_multi([[0.5, 0.5]], [2])
    with pytest.raises(ValueError):
        brier_multi([[0.5, 0.5]], [0.0])
    with pytest.raises(ValueError):
        brier_multi([0.5, 0.5], [0, 1])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 300))
def test_scores_agree_with_sklearn(seed: int, n: int) -> None:
    from sklearn.metrics import brier_score_loss, log_loss

    rng = np.random.default_rng(seed)
    p = np.round(rng.uniform(1e-6, 1 - 1e-6, n), rng.integers(2, 8))
    p = np.clip(p, 1e-6, 1 - 1e-6)  # away from the ends, where the two clip differently
    o = (rng.uniform(size=n) < p).astype(int)
    assert brier(p, o) == pytest.approx(brier_score_loss(o, p, labels=[0, 1]), rel=1e-12)
    assert log_score(p, o) == pytest.approx(log_loss(o, p, labels=[0, 1]), rel=1e-12)
    # multi-category form of the same events, with scikit-learn's multi-class log loss
    matrix = np.c_[1 - p, p]
    assert brier_multi(matrix, o) == pytest.approx(
        2 * brier_score_loss(o, p, labels=[0, 1]), rel=1e-12
    )


# --- daily carry-forward ------------------------------------------------------------------------


def test_time_averaged_brier_hand_worked() -> None:
    # Opens Jan 1; 0.6 on Jan 2, 0.9 on Jan 4; resolves Yes on Jan 6. Scored days Jan 2..5 (Jan 1
    # is before the first forecast, Jan 6 is the resolution date): 0.6, 0.6, 0.9, 0.9 ->
    # ((0.4)^2 + (0.4)^2 + (0.1)^2 + (0.1)^2)/4 = (0.16 + 0.16 + 0.01 + 0.01)/4 = 0.085
    forecasts = [(JAN[4], 0.9), (JAN[2], 0.6)]  # any order
    assert time_averaged_brier(JAN[1], JAN[6], forecasts, 1) == pytest.approx(0.085)
    # same forecasts, resolves No: (0.36 + 0.36 + 0.81 + 0.81)/4 = 0.585
    assert time_averaged_brier(JAN[1], JAN[6], forecasts, 0) == pytest.approx(0.585)
    # coverage: 4 of the 5 days Jan 1..5
    assert coverage(JAN[1], JAN[6], forecasts) == pytest.approx(0.8)


def test_forecasts_before_opening_and_after_resolution() -> None:
    # Opens Jan 10, resolves (No) Jan 14: days Jan 10..13. Jan 1 (0.2) is superseded by Jan 5 (0.4)
    # before the question opens, so 0.4 stands on Jan 10 and 11, 0.7 (Jan 12) on Jan 12 and 13;
    # the Jan 20 forecast comes after resolution: (0.16 + 0.16 + 0.49 + 0.49)/4 = 0.325
    forecasts = [(JAN[1], 0.2), (JAN[5], 0.4), (JAN[12], 0.7), (JAN[20], 0.0)]
    assert time_averaged_brier(JAN[10], JAN[14], forecasts, 0) == pytest.approx(0.325)


def test_latest_forecast_of_a_day_stands() -> None:
    # two forecasts on Jan 2 given out of order: the 17:00 one (0.8) stands on Jan 2, the only
    # scored day of a question open Jan 1 .. Jan 3 that resolved Yes: (1 - 0.8)^2 = 0.04
    forecasts = [(datetime(2024, 1, 2, 17), 0.8), (datetime(2024, 1, 2, 9), 0.2)]
    assert time_averaged_brier(JAN[1], JAN[3], forecasts, 1) == pytest.approx(0.04)
    # plain dates on one day: the later in the input stands
    assert time_averaged_brier(JAN[1], JAN[3], [(JAN[2], 0.2), (JAN[2], 0.8)], 1) == pytest.approx(
        0.04
    )


def test_nothing_to_score_is_none() -> None:
    assert time_averaged_brier(JAN[5], JAN[5], [(JAN[1], 0.5)], 1) is None
    assert time_averaged_brier(JAN[1], JAN[5], [(JAN[5], 0.5), (JAN[9], 0.5)], 1) is None
    assert time_averaged_brier(JAN[1], JAN[5], [], 1) is None
    assert time_averaged_brier_multi(JAN[1], JAN[5], [], 0) is None
    assert coverage(JAN[5], JAN[1], []) is None
    with pytest.raises(ValueError):
        time_averaged_brier(JAN[1], JAN[5], [(JAN[1], 0.5)], 2)


def test_time_averaged_brier_multi_hand_worked() -> None:
    # Opens Jan 1, resolves Jan 5 with outcome 1. Jan 1-2: (0.5, 0.3, 0.2) -> 0.25 + 0.49 + 0.04
    # = 0.78; Jan 3-4: (0.2, 0.7, 0.1) -> 0.04 + 0.09 + 0.01 = 0.14; mean (2*0.78 + 2*0.14)/4 = 0.46
    forecasts = [(JAN[1], [0.5, 0.3, 0.2]), (JAN[3], [0.2, 0.7, 0.1])]
    assert time_averaged_brier_multi(JAN[1], JAN[5], forecasts, 1) == pytest.approx(0.46)


def test_carry_forward_days_over_many_series() -> None:
    # series a: made days 1, 3 in window [2, 6) -> 1 stands 2..2 (1 day), 3 stands 3..5 (3 days)
    # series b: made days 4, 4, 9 in window [0, 8) -> 0, 4 (days 4..7), 0
    made = [1, 3, 4, 4, 9]
    group = ["a", "a", "b", "b", "b"]
    opens = [2, 2, 0, 0, 0]
    resolved = [6, 6, 8, 8, 8]
    assert carry_forward_days(made, opens, resolved, group).tolist() == [1, 3, 0, 4, 0]
    assert carry_forward_days([], 0, 5).tolist() == []


def brute_force_days(
    opens: date, resolved: date, forecasts: list[tuple[date, float]]
) -> list[float]:
    """The standing forecast on every scored day, by walking the days one at a time."""
    standing = []
    day = opens
    while day < resolved:
        made = [value for when, value in forecasts if when <= day]  # forecasts are in time order
        if made:
            standing.append(made[-1])
        day += timedelta(days=1)
    return standing


history = st.lists(
    st.tuples(st.integers(0, 40), st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])), max_size=8
)


@settings(max_examples=100, deadline=None)
@given(history, st.integers(0, 30), st.integers(0, 30), st.integers(0, 1))
def test_time_averaged_brier_matches_a_day_by_day_walk(pairs, start, length, outcome) -> None:
    origin = date(2024, 1, 1)
    forecasts = sorted(((origin + timedelta(days=d), p) for d, p in pairs), key=lambda x: x[0])
    opens, resolved = origin + timedelta(days=start), origin + timedelta(days=start + length)
    standing = brute_force_days(opens, resolved, forecasts)
    result = time_averaged_brier(opens, resolved, forecasts, outcome)
    if not standing:
        assert result is None
    else:
        assert result == pytest.approx(float(np.mean([(p - outcome) ** 2 for p in standing])))
        assert coverage(opens, resolved, forecasts) == pytest.approx(len(standing) / length)


# --- Metaculus ----------------------------------------------------------------------------------


def test_baseline_score_by_hand() -> None:
    # binary, 0.8 on what happened: 100 (log2 0.8 + 1) = 100 (1 - 0.321928) = 67.8072
    assert baseline_score(0.8, 2) == pytest.approx(67.8072, abs=1e-4)
    # chance scores 0: 1/2 of 2, 1/4 of 4
    assert baseline_score([0.5, 0.25], [2, 4]) == pytest.approx([0.0, 0.0])
    # certainty is clipped to 0.999: 100 (ln 0.999 / ln 4 + 1) = 99.9278
    assert baseline_score(1.0, 4) == pytest.approx(100 * (math.log(0.999) / math.log(4) + 1))
    with pytest.raises(ValueError):
        baseline_score(0.5, 1)


def test_time_averaged_baseline_score_hand_worked() -> None:
    # the Brier example again: 0.6 on Jan 2-3, 0.9 on Jan 4-5, Yes. Daily baselines
    # 100 (log2 0.6 + 1) = 26.303 and 100 (log2 0.9 + 1) = 84.800; mean over the 4 covered
    # days 55.552; Metaculus' coverage-weighted figure divides the same sum by all 5 days: 44.441
    forecasts = [(JAN[2], 0.6), (JAN[4], 0.9)]
    daily = [100 * (math.log2(0.6) + 1)] * 2 + [100 * (math.log2(0.9) + 1)] * 2
    assert metaculus_baseline_score(JAN[1], JAN[6], forecasts, 1) == pytest.approx(sum(daily) / 4)
    assert metaculus_baseline_score(
        JAN[1], JAN[6], forecasts, 1, coverage_weighted=True
    ) == pytest.approx(sum(daily) / 5)
    assert sum(daily) / 4 == pytest.approx(55.552, abs=1e-3)
    # multi-outcome: 0.5 on the realised one of 4 options, all 5 days: 100 (ln 0.5 / ln 4 + 1) = 50
    assert metaculus_baseline_score(
        JAN[1], JAN[6], [(JAN[1], [0.5, 0.2, 0.2, 0.1])], 0
    ) == pytest.approx(50.0)
    assert metaculus_baseline_score(JAN[1], JAN[6], [], 1) is None
    with pytest.raises(ValueError):
        metaculus_baseline_score(JAN[1], JAN[6], [(JAN[1], [0.5, 0.5])], 2)


def test_peer_scores_by_hand() -> None:
    # ln 0.8 = -0.22314, ln 0.5 = -0.69315, ln 0.2 = -1.60944
    # A: 100 (-0.22314 - (-0.69315 - 1.60944)/2) = 100 (-0.22314 + 1.15129) = 92.815
    scores = peer_scores([0.8, 0.5, 0.2])
    assert scores[0] == pytest.approx(100 * (math.log(0.8) - (math.log(0.5) + math.log(0.2)) / 2))
    assert scores[0] == pytest.approx(92.815, abs=1e-3)
    assert scores.sum() == pytest.approx(0.0, abs=1e-9)
    assert np.isnan(peer_scores([0.7])).all()


def test_time_averaged_peer_score_hand_worked() -> None:
    # Open Jan 1 .. Jan 5 (4 days), Yes. A says 0.8 from Jan 1; B says 0.5 from Jan 3. On Jan 1-2
    # A is alone: no peer score. On Jan 3-4: A 100 (ln 0.8 - ln 0.5) = 47.000, B -47.000.
    # Mean over compared days: A 47.000, B -47.000. Coverage-weighted (sum / 4 days): +-23.500.
    forecasts = {"A": [(JAN[1], 0.8)], "B": [(JAN[3], 0.5)], "C": []}
    expected = 100 * math.log(0.8 / 0.5)
    scores = metaculus_peer_score(JAN[1], JAN[5], forecasts, 1)
    assert scores["A"] == pytest.approx(expected) and scores["B"] == pytest.approx(-expected)
    assert scores["C"] is None
    weighted = metaculus_peer_score(JAN[1], JAN[5], forecasts, 1, coverage_weighted=True)
    assert weighted["A"] == pytest.approx(expected / 2) and weighted["B"] == pytest.approx(
        -expected / 2
    )
    # resolved No: the probabilities of what happened are 0.2 and 0.5
    assert metaculus_peer_score(JAN[1], JAN[5], forecasts, 0)["A"] == pytest.approx(
        100 * math.log(0.2 / 0.5)
    )
    assert metaculus_peer_score(JAN[5], JAN[5], forecasts, 1) == {"A": None, "B": None, "C": None}


people = st.dictionaries(st.sampled_from("ABCD"), history, min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(people, st.integers(0, 30), st.integers(1, 30), st.integers(0, 1))
def test_peer_score_matches_a_day_by_day_walk(by_person, start, length, outcome) -> None:
    origin = date(2024, 1, 1)
    forecasts = {
        name: sorted(((origin + timedelta(days=d), p) for d, p in pairs), key=lambda x: x[0])
        for name, pairs in by_person.items()
    }
    opens, resolved = origin + timedelta(days=start), origin + timedelta(days=start + length)
    sums = dict.fromkeys(forecasts, 0.0)
    days = dict.fromkeys(forecasts, 0)
    for offset in range(length):
        day = opens + timedelta(days=offset)
        standing = {}
        for name, series in forecasts.items():
            made = [p for when, p in series if when <= day]
            if made:
                standing[name] = made[-1] if outcome == 1 else 1 - made[-1]
        if len(standing) < 2:
            continue
        daily = peer_scores(list(standing.values()))
        assert daily.sum() == pytest.approx(0.0, abs=1e-8)
        for name, score in zip(standing, daily, strict=True):
            sums[name] += score
            days[name] += 1
    result = metaculus_peer_score(opens, resolved, forecasts, outcome)
    weighted = metaculus_peer_score(opens, resolved, forecasts, outcome, coverage_weighted=True)
    for name in forecasts:
        if days[name] == 0:
            assert result[name] is None
        else:
            assert result[name] == pytest.approx(sums[name] / days[name])
            assert weighted[name] == pytest.approx(sums[name] / length)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(people, st.integers(0, 20), st.integers(1, 20), st.integers(0, 1)),
        min_size=1,
        max_size=4,
    )
)
def test_peer_scores_of_many_questions_at_once_equal_one_at_a_time(questions) -> None:
    """The report's vectorised peer score over several questions equals the per-question one."""
    from forecast.scoring.scores import metaculus_peer_by_series

    origin = date(2024, 1, 1)
    rows, expected = [], {}
    for q, (by_person, start, length, outcome) in enumerate(questions):
        opens, resolved = origin + timedelta(days=start), origin + timedelta(days=start + length)
        forecasts = {
            name: sorted(((origin + timedelta(days=d), p) for d, p in pairs), key=lambda x: x[0])
            for name, pairs in by_person.items()
        }
        one = metaculus_peer_score(opens, resolved, forecasts, outcome, coverage_weighted=True)
        for f, name in enumerate(sorted(forecasts)):
            expected[(q, f)] = one[name]
            for when, p in forecasts[name]:
                realised = p if outcome == 1 else 1 - p
                rows.append(
                    (q, f, when.toordinal(), realised, opens.toordinal(), resolved.toordinal())
                )
    if not rows:
        return
    columns = [np.array(c) for c in zip(*rows, strict=True)]
    qs, fs, scores = metaculus_peer_by_series(*columns)
    for question_code, forecaster_code, score in zip(
        qs.tolist(), fs.tolist(), scores.tolist(), strict=True
    ):
        want = expected[(question_code, forecaster_code)]
        assert (want is None and math.isnan(score)) or score == pytest.approx(want, abs=1e-9)
