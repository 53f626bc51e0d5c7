"""Conditions and conditional forecasts: declared links, cycles refused, implied forecasts worked
by hand, and what a parent's resolution (and unresolve, and a second resolution) does."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from forecast.engine.links import implied, logodds_gap
from forecast.views.question import question_show_data
from questions import store
from questions.conditions import (
    add_condition,
    conditional_counts,
    record_conditional_forecast,
)
from questions.errors import InvalidInput
from questions.models import QuestionDraft
from tests.conftest import Cli, dump


def _binary(db: Database, title: str) -> int:
    return store.add_question(db, QuestionDraft(title=title), author="t").id


def _multi(db: Database, title: str, names: list[str]) -> int:
    draft = QuestionDraft(title=title, outcome_names=names)
    return store.add_question(db, draft, author="t").id


def test_implied_forecast_worked_by_hand(db: Database) -> None:
    attack, withdraw = _binary(db, "Attack"), _binary(db, "Withdraw")
    add_condition(db, withdraw, attack, by="t")
    store.record_forecast(db, attack, forecaster="ann", p_yes=0.3, made_at="2020-01-01")
    for outcome, p in (("Yes", 0.8), ("No", 0.1)):
        record_conditional_forecast(
            db,
            withdraw,
            given=f"Q{attack}={outcome}",
            forecaster="ann",
            p_yes=p,
            made_at="2020-01-02",
        )
    store.record_forecast(db, withdraw, forecaster="ann", p_yes=0.31, made_at="2020-01-03")
    data = question_show_data(db, f"Q{withdraw}")
    entry = data["implied"]["ann"][f"Q{attack}"]
    # 0.3 * 0.8 + 0.7 * 0.1 = 0.31; with the model's 0.5 for Q1: 0.5 * 0.8 + 0.5 * 0.1 = 0.45
    assert entry["probs"] == pytest.approx([0.31, 0.69])
    assert entry["model"] == pytest.approx([0.45, 0.55])
    assert entry["gap_logodds"] == pytest.approx(0.0, abs=1e-9)
    assert not [w for w in data["warnings"] if w.startswith("incoherent")]
    branches = data["conditions"][0]["branches"]
    assert [b["outcome"] for b in branches] == ["Yes", "No"]
    assert branches[0]["forecasts"][0]["probs"] == pytest.approx([0.8, 0.2])


def test_incoherence_warning_and_its_setting(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = _binary(db, "A"), _binary(db, "B")
    add_condition(db, b, a, by="t")
    store.record_forecast(db, a, forecaster="bo", p_yes=0.5, made_at="2020-01-01")
    record_conditional_forecast(
        db, b, given=f"Q{a}=yes", forecaster="bo", p_yes=0.5, made_at="2020-01-01"
    )
    record_conditional_forecast(
        db, b, given=f"Q{a}=no", forecaster="bo", p_yes=0.5, made_at="2020-01-01"
    )
    store.record_forecast(db, b, forecaster="bo", p_yes=0.65, made_at="2020-01-02")
    # logit(0.65) = 0.619 > 0.5
    warnings = question_show_data(db, f"Q{b}")["warnings"]
    assert any("incoherent: bo's forecast" in w and "0.62 log-odds" in w for w in warnings)
    monkeypatch.setenv("FORECASTLE_INCOHERENCE_LOGODDS", "0.7")
    assert not any("incoherent" in w for w in question_show_data(db, f"Q{b}")["warnings"])
    assert any(
        "incoherent" in w for w in question_show_data(db, f"Q{b}", incoherence=0.6)["warnings"]
    )


def test_multi_outcome_parent_and_child(db: Database) -> None:
    parent = _multi(db, "State", ["Defeated", "Insurgency", "Resurgent"])
    child = _multi(db, "Who leaves", ["US", "All", "None"])
    add_condition(db, child, parent, by="t")
    store.record_forecast(db, parent, forecaster="cy", probs=[0.2, 0.5, 0.3], made_at="2020-01-01")
    given = {
        "Defeated": [0.1, 0.1, 0.8],
        "Insurgency": [0.3, 0.2, 0.5],
        "Resurgent": [0.5, 0.4, 0.1],
    }
    for name, probs in given.items():
        record_conditional_forecast(
            db, child, given=f"Q{parent}={name}", forecaster="cy", probs=probs, made_at="2020-01-02"
        )
    entry = question_show_data(db, f"Q{child}")["implied"]["cy"][f"Q{parent}"]
    expected = [
        0.2 * 0.1 + 0.5 * 0.3 + 0.3 * 0.5,
        0.2 * 0.1 + 0.5 * 0.2 + 0.3 * 0.4,
        0.2 * 0.8 + 0.5 * 0.5 + 0.3 * 0.1,
    ]
    assert entry["probs"] == pytest.approx(expected)
    assert entry["direct"] is None and entry["gap_logodds"] is None


def test_only_forecasters_with_every_branch_are_implied(db: Database) -> None:
    a, b = _binary(db, "A"), _binary(db, "B")
    add_condition(db, b, a, by="t")
    record_conditional_forecast(db, b, given=f"Q{a}=yes", forecaster="di", p_yes=0.5)
    assert question_show_data(db, f"Q{b}")["implied"] == {}


def test_cycles_self_links_and_resolved_parents_are_refused(db: Database) -> None:
    q = [_binary(db, f"Q{i}") for i in range(4)]
    add_condition(db, q[1], q[0], by="t")
    add_condition(db, q[2], q[1], by="t")
    before = dump(db)
    with pytest.raises(InvalidInput, match=rf"cycle Q{q[2]} -> Q{q[0]} -> Q{q[1]} -> Q{q[2]}"):
        add_condition(db, q[0], q[2], by="t")
    with pytest.raises(InvalidInput, match="linked to itself"):
        add_condition(db, q[3], q[3], by="t")
    store.resolve(db, q[3], "yes", by="t")
    before = dump(db)
    with pytest.raises(InvalidInput, match="already resolved"):
        add_condition(db, q[0], q[3], by="t")
    store.unresolve(db, q[3], by="t")
    store.annul(db, q[3], by="t")
    with pytest.raises(InvalidInput, match="already annulled"):
        add_condition(db, q[0], q[3], by="t")
    assert add_condition(db, q[1], q[0], by="t") is False  # declared twice: no change
    assert len(dump(db)) == len(before) + 2  # only the unresolve and annul entries


def test_given_needs_a_declared_condition_and_a_known_outcome(db: Database) -> None:
    a, b = _binary(db, "A"), _binary(db, "B")
    with pytest.raises(InvalidInput, match="not conditional on"):
        record_conditional_forecast(db, b, given=f"Q{a}=yes", forecaster="x", p_yes=0.5)
    add_condition(db, b, a, by="t")
    with pytest.raises(InvalidInput, match=r"given: 'Maybe' is not an outcome of Q1 \(Yes, No\)"):
        record_conditional_forecast(db, b, given=f"Q{a}=Maybe", forecaster="x", p_yes=0.5)
    with pytest.raises(InvalidInput, match="PARENT=OUTCOME"):
        record_conditional_forecast(db, b, given="Q1", forecaster="x", p_yes=0.5)


def _scored(db: Database, qid: int) -> list[tuple[str, str, float]]:
    return [(f.forecaster, f.made_at, round(f.probs[0], 6)) for f in store.forecasts_for(db, qid)]


def test_parent_resolution_scores_the_realised_branch_and_voids_the_rest(db: Database) -> None:
    a, b = _binary(db, "A"), _binary(db, "B")
    add_condition(db, b, a, by="t")
    record_conditional_forecast(
        db, b, given=f"Q{a}=yes", forecaster="ann", p_yes=0.8, made_at="2020-01-02"
    )
    record_conditional_forecast(
        db, b, given=f"Q{a}=no", forecaster="ann", p_yes=0.1, made_at="2020-01-03"
    )
    store.record_forecast(db, b, forecaster="ann", p_yes=0.4, made_at="2020-01-01")
    assert conditional_counts(db) == {"scored": 0, "void": 0, "pending": 2}

    store.resolve(db, a, "yes", by="t", at="2020-02-01")
    assert _scored(db, b) == [
        ("ann", "2020-01-01T00:00:00Z", 0.4),
        ("ann", "2020-01-02T00:00:00Z", 0.8),
    ]
    assert conditional_counts(db) == {"scored": 1, "void": 1, "pending": 0}
    # the realised forecast is the standing one from its own time until a later forecast
    assert store.latest_forecasts(db, b)["ann"].probs[0] == pytest.approx(0.8)
    assert "given Q1=Yes" in store.forecasts_for(db, b)[1].rationale

    store.unresolve(db, a, by="t")
    assert _scored(db, b) == [("ann", "2020-01-01T00:00:00Z", 0.4)]
    assert conditional_counts(db) == {"scored": 0, "void": 0, "pending": 2}

    store.resolve(db, a, "no", by="t", at="2020-02-02")
    assert _scored(db, b) == [
        ("ann", "2020-01-01T00:00:00Z", 0.4),
        ("ann", "2020-01-03T00:00:00Z", 0.1),
    ]
    store.resolve(db, a, "yes", by="t", at="2020-02-03")  # a corrected resolution
    assert _scored(db, b) == [
        ("ann", "2020-01-01T00:00:00Z", 0.4),
        ("ann", "2020-01-02T00:00:00Z", 0.8),
    ]
    store.annul(db, a, by="t")
    assert _scored(db, b) == [("ann", "2020-01-01T00:00:00Z", 0.4)]
    assert conditional_counts(db) == {"scored": 0, "void": 2, "pending": 0}

    history = [e["text"] for e in question_show_data(db, f"Q{b}")["link_history"]]
    assert history[0] == (
        "Q1 resolved Yes: 1 conditional forecast(s) given Yes became forecasts; "
        "1 conditional forecast(s) void (never scored)"
    )
    assert history[1] == "Q1 unresolved: 1 forecast(s) made from conditional forecasts withdrawn"
    assert len(history) == 5


def test_conditional_forecast_on_resolved_parent_is_refused(db: Database) -> None:
    a, b = _binary(db, "A"), _binary(db, "B")
    add_condition(db, b, a, by="t")
    store.resolve(db, a, "yes", by="t")
    with pytest.raises(InvalidInput, match="already resolved"):
        record_conditional_forecast(db, b, given=f"Q{a}=yes", forecaster="x", p_yes=0.5)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.01, 0.99), min_size=2, max_size=4),
    st.floats(0.01, 0.99),
)
def test_implied_is_the_law_of_total_probability(branch_p: list[float], seed: float) -> None:
    k = len(branch_p)
    weights = [seed ** (i + 1) for i in range(k)]
    parent = [w / sum(weights) for w in weights]
    branches = [[p, 1 - p] for p in branch_p]
    result = implied(branches, parent)
    assert sum(result) == pytest.approx(1.0)
    assert min(branch_p) - 1e-12 <= result[0] <= max(branch_p) + 1e-12
    assert logodds_gap(result, result) == 0.0


def test_cli_condition_and_given(cli: Cli) -> None:
    cli.ok("question", "add", "Attack")
    cli.ok("question", "add", "Withdraw")
    assert cli.ok("condition", "Q2", "--on", "Q1") == "Q2 is conditional on Q1"
    cli.ok("forecast", "Q1", "0.4", "--at", "2020-01-01")
    assert cli.ok("forecast", "Q2", "0.7", "--given", "Q1=Yes", "--at", "2020-01-02").startswith(
        "Q2 given Q1=Yes: tester 0.700"
    )
    cli.ok("forecast", "Q2", "--probs", "0.2,0.8", "--given", "Q1=No", "--at", "2020-01-02")
    shown = json.loads(cli.ok("question", "show", "Q2", "--json"))
    assert shown["implied"]["tester"]["Q1"]["probs"] == pytest.approx([0.4, 0.6])
    assert "implied for tester through Q1: 0.400 / 0.600" in cli.ok("question", "show", "Q2")
    with cli.open() as database:
        before = dump(database)
    for args, message in (
        (("forecast", "Q2", "0.5", "--given", "Q1=Maybe"), "given: 'Maybe' is not an outcome"),
        (("condition", "Q1", "--on", "Q2"), "cycle Q2 -> Q1 -> Q2"),
        (("condition", "Q1", "--on", "Q1"), "linked to itself"),
        (("forecast", "Q2", "0.5", "--given", "Q1"), "PARENT=OUTCOME"),
    ):
        result = cli(*args)
        assert result.exit_code == 1, args
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    with cli.open() as database:
        assert dump(database) == before


def test_report_counts_scored_and_void_conditional_forecasts(cli: Cli) -> None:
    cli.ok("question", "add", "Attack")
    cli.ok("question", "add", "Withdraw")
    cli.ok("condition", "Q2", "--on", "Q1")
    cli.ok("forecast", "Q2", "0.7", "--given", "Q1=Yes", "--at", "2020-01-02")
    cli.ok("forecast", "Q2", "0.2", "--given", "Q1=No", "--at", "2020-01-02")
    cli.ok("forecast", "Q1", "0.4", "--at", "2020-01-01")
    cli.ok("resolve", "Q1", "Yes", "--at", "2020-02-01")
    cli.ok("resolve", "Q2", "Yes", "--at", "2020-03-01")
    report = json.loads(cli.ok("report", "--format", "json"))
    assert report["conditional_forecasts"] == {"scored": 1, "void": 1, "pending": 0}
    assert report["n_forecasts"] == 2  # Q1's and Q2's realised conditional forecast
    markdown = cli.ok("report", "--format", "md")
    assert "Conditional forecasts: 1 scored" in markdown and "1 void (never scored)" in markdown
