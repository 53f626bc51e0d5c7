"""Indicators: a binary question's resolution becomes evidence on its parent, exactly as adding the
item by hand would; unresolve and annul remove it (history kept); bad input changes nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence, evidence_history, list_evidence
from arguments.indicators import add_indicator
from forecast.engine.model import question_model
from forecast.views.question import question_show_data
from forecast.workspace import open_workspace
from questions import store
from questions.conditions import add_condition
from questions.errors import InvalidInput
from questions.models import QuestionDraft
from tests.conftest import Cli, dump


def _q(db: Database, title: str, names: list[str] | None = None) -> int:
    return store.add_question(
        db, QuestionDraft(title=title, outcome_names=names or []), author="t"
    ).id


def test_resolution_adds_the_item_and_unresolve_removes_it(db: Database) -> None:
    state = _q(db, "State", ["Defeated", "Insurgency", "Resurgent"])
    town = _q(db, "Town held 7 days")
    add_indicator(db, state, town, [0.05, 0.3, 0.6], by="t", credibility=0.8)
    shown = question_show_data(db, f"Q{town}")
    # a uniform prior: (0.05 + 0.3 + 0.6) / 3
    assert shown["implied_by_model"] == {f"Q{state}": pytest.approx(0.95 / 3)}
    store.resolve(db, town, "no", by="t", at="2020-05-01")
    items = list_evidence(db, state)
    assert len(items) == 1
    assert items[0].likelihoods == pytest.approx((0.95, 0.7, 0.4))
    assert items[0].credibility == 0.8 and items[0].observed_at == "2020-05-01T00:00:00Z"
    data = question_show_data(db, f"Q{state}")
    assert data["evidence"][0]["indicator"] == f"Q{town}"
    assert data["timeline"][0]["text"].startswith(f"indicator Q{town} resolved No: Town held")
    assert data["indicators"][0]["evidence"] == items[0].short_id
    store.unresolve(db, town, by="t")
    assert list_evidence(db, state) == []
    actions = [h["action"] for h in evidence_history(db, state)]
    assert actions == ["added", "removed"]
    store.resolve(db, town, "yes", by="t", at="2020-06-01")
    (item,) = list_evidence(db, state)
    assert item.likelihoods == pytest.approx((0.05, 0.3, 0.6))
    store.resolve(db, town, "no", by="t", at="2020-06-02")  # corrected: the item is replaced
    (item,) = list_evidence(db, state)
    assert item.likelihoods == pytest.approx((0.95, 0.7, 0.4))
    store.annul(db, town, by="t")
    assert list_evidence(db, state) == []


def test_an_indicator_added_after_its_child_resolved_counts_at_once(db: Database) -> None:
    parent, child = _q(db, "P"), _q(db, "C")
    store.resolve(db, child, "yes", by="t", at="2020-01-01")
    add_indicator(db, parent, child, [0.8, 0.2], by="t")
    (item,) = list_evidence(db, parent)
    assert item.lr == pytest.approx(4.0)
    stored = db.execute(
        "select posterior from model_posteriors where question_id = ? order by position", [parent]
    ).fetchall()
    assert stored[0][0] == pytest.approx(0.8)  # the model hook ran in the same write


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.01, 0.99), min_size=3, max_size=3),
    st.floats(0.0, 1.0),
    st.booleans(),
    st.lists(st.floats(0.0025, 1.0), min_size=3, max_size=3),  # likelihoods: in (0, 1]
)
def test_resolution_equals_adding_the_item(
    a: list[float], credibility: float, yes: bool, other: list[float]
) -> None:
    for use_indicator in (True, False):
        database = open_workspace(":memory:")
        parent = _q(database, "P", ["x", "y", "z"])
        child = _q(database, "C")
        add_evidence(database, parent, EvidenceInputs(text="earlier", likelihoods=other), by="t")
        if use_indicator:
            add_indicator(database, parent, child, a, by="t", credibility=credibility, group="g")
            store.resolve(database, child, "yes" if yes else "no", by="t", at="2020-01-01")
        else:
            likelihoods = a if yes else [1 - v for v in a]
            add_evidence(
                database,
                parent,
                EvidenceInputs(
                    text="by hand", likelihoods=likelihoods, credibility=credibility, group="g"
                ),
                by="t",
            )
        posterior = question_model(database, parent).analysis.posterior.tolist()
        database.close()
        if use_indicator:
            via_indicator = posterior
    assert via_indicator == posterior


def test_bad_indicators_are_refused_and_change_nothing(db: Database) -> None:
    state = _q(db, "State", ["a", "b", "c"])
    child, other = _q(db, "C"), _q(db, "D")
    before = dump(db)
    cases = [
        ((state, child, [0.0, 0.5, 0.5]), "strictly between 0 and 1"),
        ((state, child, [0.5, 1.0, 0.5]), "strictly between 0 and 1"),
        ((state, child, [0.5, 0.5]), "2 values for 3 outcomes"),
        ((child, state, [0.5, 0.5]), "not a binary question"),
        ((child, child, [0.5, 0.5]), "linked to itself"),
    ]
    for (p, c, values), message in cases:
        with pytest.raises(InvalidInput, match=message):
            add_indicator(db, p, c, values, by="t")
    assert dump(db) == before
    add_indicator(db, child, other, [0.6, 0.4], by="t")  # D -> C
    with pytest.raises(InvalidInput, match=rf"cycle Q{child} -> Q{other} -> Q{child}"):
        add_condition(db, other, child, by="t")  # C -> D would loop
    with pytest.raises(InvalidInput, match="already an indicator"):
        add_indicator(db, child, other, [0.6, 0.4], by="t")


def test_cli_indicator(cli: Cli) -> None:
    cli.ok("question", "add", "State", "--outcome", "a", "--outcome", "b")
    cli.ok("question", "add", "Prison break")
    assert (
        cli.ok("indicator", "add", "Q1", "Q2", "--likelihoods", "0.2,0.6")
        == "Q2 is an indicator for Q1"
    )
    listed = json.loads(cli.ok("indicator", "list", "--json"))
    assert listed == [
        {
            "parent": "Q1",
            "child": "Q2",
            "likelihoods": [0.2, 0.6],
            "credibility": 1.0,
            "group": None,
        }
    ]
    with cli.open() as database:
        before = dump(database)
    for args, message in (
        (("indicator", "add", "Q1", "Q2", "--likelihoods", "0.2,1"), "strictly between 0 and 1"),
        (("indicator", "add", "Q1", "Q2", "--likelihoods", "0.2"), "1 values for 2 outcomes"),
        (("indicator", "add", "Q2", "Q2", "--likelihoods", "0.2,0.3"), "linked to itself"),
    ):
        result = cli(*args)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr
    with cli.open() as database:
        assert dump(database) == before
    cli.ok("resolve", "Q2", "yes", "--at", "2020-01-01")
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert shown["evidence"][0]["indicator"] == "Q2"
    assert shown["outcomes"][1]["posterior"] == pytest.approx(0.75)
