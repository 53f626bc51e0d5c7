"""Scoring from stored score tables (``questions.numeric_crps``): equal to integrating the grid
(the implementation it replaced, kept here as the reference), stored on write and back-filled
by the migration."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from forecast.scoring import numeric as ns
from questions import numeric as nm
from questions import numeric_crps, numeric_store
from questions.migrations import m030_numeric_score_tables
from questions.models import QuestionDraft
from questions.numeric_crps import score_tables


def grid_crps(x: np.ndarray, f: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The CRPS integrated bin by bin: w (a^2 + ab + b^2) / 3 for the ends a, b of F - H on each
    bin, the bin that holds y split at y."""
    yc = np.clip(y, x[0], x[-1])
    out = np.empty(y.size)
    for r in range(y.size):
        total = 0.0
        for k in range(x.size - 1):
            a, b, fa, fb = x[k], x[k + 1], f[r, k], f[r, k + 1]
            if yc[r] <= a or yc[r] >= b:
                h = 0.0 if yc[r] >= b else 1.0
                ga, gb = fa - h, fb - h
                total += (b - a) * (ga * ga + ga * gb + gb * gb) / 3
                continue
            fy = fa + (yc[r] - a) / (b - a) * (fb - fa)
            total += (yc[r] - a) * (fa * fa + fa * fy + fy * fy) / 3
            gy, gb = 1 - fy, 1 - fb
            total += (b - yc[r]) * (gy * gy + gy * gb + gb * gb) / 3
        out[r] = total
    return out


def grid_log_and_pit(rng: nm.NumericRange, f: np.ndarray, y: np.ndarray) -> np.ndarray:
    """ln(bin mass / width) and F(y) linear in the scale; a tail: its mass, its middle."""
    u, x = rng.grid_u(), rng.grid()
    out = np.empty((2, y.size))
    for r, value in enumerate(y):
        if value < rng.lo or value > rng.hi:
            mass = f[r, 0] if value < rng.lo else 1 - f[r, -1]
            out[:, r] = np.log(max(mass, 1e-9)), f[r, 0] / 2 if value < rng.lo else 1 - mass / 2
            continue
        uy = float(rng.to_scale(value))
        k = min(int(np.searchsorted(u, uy, side="right")) - 1, u.size - 2)
        mass = f[r, k + 1] - f[r, k]
        t = (uy - u[k]) / (u[k + 1] - u[k])
        out[:, r] = np.log(max(mass, 1e-9) / (x[k + 1] - x[k])), f[r, k] + t * mass
    return out


@st.composite
def forecasts(draw: st.DrawFn) -> tuple[nm.NumericRange, np.ndarray, np.ndarray]:
    log = draw(st.booleans())
    rng = nm.NumericRange(
        1.0 if log else -5.0,
        draw(st.sampled_from([7.0, 1000.0])),
        log=log,
        open_lower=draw(st.booleans()),
        open_upper=draw(st.booleans()),
    )
    n = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    gen = np.random.default_rng(seed)
    steps = gen.exponential(1.0, (n, nm.GRID_POINTS)) * (gen.random((n, nm.GRID_POINTS)) < 0.3)
    cdfs = np.array([nm.finish_cdf(rng, np.cumsum(s) / s.sum(), truncate=False) for s in steps])
    x = rng.grid()
    picks = draw(
        st.lists(
            st.one_of(
                st.floats(rng.lo - 3, rng.hi + 3),
                st.sampled_from([float(x[0]), float(x[1]), float(x[100]), float(x[-1])]),
            ),
            min_size=n,
            max_size=n,
        )
    )
    return rng, cdfs, np.array(picks)


@settings(max_examples=80, deadline=None)
@given(forecasts())
def test_scores_from_tables_equal_integrating_the_grid(
    case: tuple[nm.NumericRange, np.ndarray, np.ndarray],
) -> None:
    rng, cdfs, y = case
    crps, logs, pits = ns.scores(rng, score_tables(rng, cdfs), y)
    want = grid_crps(rng.grid(), cdfs, y)
    assert np.allclose(crps, want, rtol=1e-9, atol=1e-12 * (rng.hi - rng.lo))
    want_log, want_pit = grid_log_and_pit(rng, cdfs, y)
    assert np.allclose(logs, want_log, rtol=1e-9, atol=1e-12)
    assert np.allclose(pits, want_pit, rtol=1e-9, atol=1e-12)


def test_many_forecasts_in_chunks_equal_one_by_one() -> None:
    rng = nm.NumericRange(0, 50, open_upper=True)
    gen = np.random.default_rng(3)
    n = ns.CHUNK * 2 + 17
    mu, sd = gen.uniform(5, 45, n), gen.uniform(1, 9, n)
    from scipy.special import ndtr

    cdfs = ndtr((rng.grid()[None, :] - mu[:, None]) / sd[:, None])
    y = gen.normal(mu, sd * 1.5)
    crps = ns.scores(rng, score_tables(rng, cdfs), y)[0]
    sample = gen.choice(n, 40, replace=False)
    assert np.allclose(crps[sample], grid_crps(rng.grid(), cdfs[sample], y[sample]), rtol=1e-9)


def test_the_table_is_stored_on_write_and_back_filled_by_the_migration(db: Database) -> None:
    rng = nm.NumericRange(10, 5000, log=True, open_upper=True)
    qid = numeric_store.add_numeric_question(db, QuestionDraft(title="Turnout"), rng, author="a").id
    cdf = nm.cdf_from_quantiles(rng, [(0.05, 100), (0.5, 400), (0.95, 1500)])
    numeric_store.record_numeric_forecast(
        db, qid, cdf, forecaster="ana", typed="q", method="quantiles", made_at="2025-01-01"
    )
    stored = numeric_store.numeric_forecasts(db, qid)[0]
    assert stored.score_table is not None
    assert np.array_equal(stored.score_table, score_tables(rng, stored.cdf)[0])
    # A workspace from before m030: the column is gone; the migration puts it back, filled.
    db.execute("alter table numeric_forecasts drop column score_table")
    m030_numeric_score_tables(db)
    again = numeric_store.numeric_forecasts(db, qid)[0]
    assert again.score_table is not None
    assert np.array_equal(again.score_table, stored.score_table)
    assert numeric_crps.decode_table(numeric_crps.encode_table(stored.score_table)) is not None
    assert numeric_crps.decode_table(b"\0" * 201 * 2 * 8) is None  # an earlier layout: recomputed
    value = np.array([742.0])
    assert (
        ns.scores(rng, again.score_table[None], value)[0][0] == (ns.crps(rng, stored.cdf, value)[0])
    )


@settings(max_examples=80, deadline=None)
@given(forecasts())
def test_one_value_for_all_forecasts_scores_as_a_value_each(
    case: tuple[nm.NumericRange, np.ndarray, np.ndarray],
) -> None:
    """A question's forecasts against its resolved value (one matrix product) score as the same
    value given per forecast, and as integrating the grid."""
    rng, cdfs, picks = case
    tables = score_tables(rng, cdfs)
    for value in picks:
        y = np.full(len(cdfs), value)
        one = ns.scores(rng, tables, float(value))
        each = ns.scores(rng, tables, y)
        for got, want in zip(one, each, strict=True):
            assert got.shape == want.shape
            assert np.allclose(got, want, rtol=1e-12, atol=1e-14 * (rng.hi - rng.lo))
        assert np.allclose(
            one[0], grid_crps(rng.grid(), cdfs, y), rtol=1e-9, atol=1e-12 * (rng.hi - rng.lo)
        )
        want_log, want_pit = grid_log_and_pit(rng, cdfs, y)
        assert np.allclose(one[1], want_log, rtol=1e-9, atol=1e-12)
        assert np.allclose(one[2], want_pit, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(forecasts(), min_size=1, max_size=4), st.data())
def test_questions_scored_in_one_pass_as_one_by_one(
    cases: list[tuple[nm.NumericRange, np.ndarray, np.ndarray]], data: st.DataObject
) -> None:
    """Several questions (their own ranges, some without forecasts) in one grouped pass score
    as each question's forecasts against its value, and as integrating the grid."""
    ranges, tables, values, counts, want = [], [], [], [], []
    for rng, cdfs, picks in cases:
        take = data.draw(st.integers(0, len(cdfs)))
        value = float(picks[0])
        y = np.full(take, value)
        ranges.append(rng)
        tables.append(score_tables(rng, cdfs[:take]) if take else np.empty((0, 201, 4)))
        values.append(value)
        counts.append(take)
        log_pit = grid_log_and_pit(rng, cdfs[:take], y)
        want.append(np.stack([grid_crps(rng.grid(), cdfs[:take], y), *log_pit]))
    got = ns.scores_grouped(ranges, np.concatenate(tables), np.array(values), np.array(counts))
    expected = np.concatenate(want, axis=1)
    scale = np.repeat([r.hi - r.lo for r in ranges], counts)
    assert np.all(np.abs(got[0] - expected[0]) <= 1e-9 * np.abs(expected[0]) + 1e-12 * scale)
    assert np.allclose(got[1], expected[1], rtol=1e-9, atol=1e-12)
    assert np.allclose(got[2], expected[2], rtol=1e-9, atol=1e-12)
    start = 0
    for rng, table, value, count in zip(ranges, tables, values, counts, strict=True):
        one = ns.scores(rng, table, np.full(count, value))
        for a, b in zip(got, one, strict=True):
            assert np.array_equal(a[start : start + count], b)
        start += count


def test_grouped_scoring_refuses_counts_that_do_not_add_up() -> None:
    rng = nm.NumericRange(0, 10)
    tables = score_tables(rng, np.linspace(0, 1, nm.GRID_POINTS)[None].repeat(3, axis=0))
    with pytest.raises(ValueError, match="counts"):
        ns.scores_grouped([rng, rng], tables, np.array([1.0, 2.0]), np.array([1, 1]))
