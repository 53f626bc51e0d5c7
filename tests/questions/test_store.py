import pytest
from sqlite_utils import Database

from questions import store
from questions.errors import Conflict, InvalidInput, NotFound
from questions.models import QuestionDraft
from tests.conftest import dump


def add(db: Database, title: str = "Will it happen?", **kw: object) -> int:
    return store.add_question(db, QuestionDraft(title=title, **kw), author="ann").id  # type: ignore[arg-type]


def test_ids_are_short_and_sequential(db: Database) -> None:
    first, second = add(db), add(db, "Another")
    assert store.get_question(db, first).short_id == "Q1"
    assert store.get_question(db, "q2").id == second
    assert store.get_question(db, "2").title == "Another"
    with pytest.raises(NotFound, match="Q9"):
        store.get_question(db, "Q9")


def test_list_filters_by_status_tag_and_text(db: Database) -> None:
    add(db, "Rain in Basra", tags=["Weather"])
    add(db, "Troops leave", tags=["military"], closes_at="2020-01-01T00:00:00Z")
    done = add(db, "Prison break")
    store.resolve(db, done, "no", by="ann")
    assert [q.short_id for q in store.list_questions(db, status="open")] == ["Q1"]
    assert [q.status for q in store.list_questions(db, status="closed")] == ["closed"]
    assert [q.short_id for q in store.list_questions(db, status="resolved")] == ["Q3"]
    assert [q.short_id for q in store.list_questions(db, tag="weather")] == ["Q1"]
    assert [q.short_id for q in store.list_questions(db, text="prison")] == ["Q3"]
    assert store.list_questions(db, text="%") == []
    with pytest.raises(InvalidInput, match="status"):
        store.list_questions(db, status="bogus")


def test_forecasts_are_append_only(db: Database) -> None:
    qid = add(db)
    store.record_forecast(db, qid, forecaster="ann", p_yes=0.3, made_at="2020-01-01")
    store.record_forecast(db, qid, forecaster="ann", p_yes=0.6, made_at="2020-02-01")
    store.record_forecast(db, qid, forecaster="bob", p_yes=0.1, made_at="2020-01-15")
    history = store.forecasts_for(db, qid, forecaster="ann")
    assert [f.probs[0] for f in history] == [0.3, 0.6]
    latest = store.latest_forecasts(db, qid)
    assert latest["ann"].probs == pytest.approx([0.6, 0.4])
    before = store.latest_forecasts(db, qid, before="2020-01-20T00:00:00Z")
    assert before["ann"].probs[0] == 0.3
    with pytest.raises(Conflict, match="append-only"):
        store.record_forecast(db, qid, forecaster="ann", p_yes=0.9, made_at="2020-01-01")


def test_multi_outcome_forecast_needs_one_probability_per_outcome(db: Database) -> None:
    qid = add(db, "Who", outcome_names=["a", "b", "c"])
    before = dump(db)
    with pytest.raises(InvalidInput, match="2 values for 3 outcomes"):
        store.record_forecast(db, qid, forecaster="x", probs=[0.5, 0.5])
    with pytest.raises(InvalidInput, match="--probs"):
        store.record_forecast(db, qid, forecaster="x", p_yes=0.5)
    with pytest.raises(InvalidInput, match="sums to"):
        store.record_forecast(db, qid, forecaster="x", probs=[0.5, 0.5, 0.5])
    assert dump(db) == before
    stored = store.record_forecast(db, qid, forecaster="x", probs=[0.2, 0.5, 0.3])
    assert store.forecasts_for(db, qid)[0].probs == pytest.approx(stored.probs)


def test_resolution_audit_trail(db: Database) -> None:
    qid = add(db)
    store.resolve(db, qid, "yes", by="ann", at="2021-05-01")
    store.resolve(db, qid, "No", by="bob", at="2021-05-02")  # a correction
    store.unresolve(db, qid, by="ann")
    store.annul(db, qid, by="ann")
    with pytest.raises(Conflict, match="annulled"):
        store.resolve(db, qid, "yes", by="ann")
    trail = store.resolution_history(db, qid)
    assert [(r.action, r.outcome, r.recorded_by) for r in trail] == [
        ("resolved", "Yes", "ann"),
        ("resolved", "No", "bob"),
        ("unresolved", None, "ann"),
        ("annulled", None, "ann"),
    ]
    assert store.get_question(db, qid).status == "annulled"


def test_unknown_outcome_changes_nothing(db: Database) -> None:
    qid = add(db, "Who", outcome_names=["Status quo", "Surge"])
    before = dump(db)
    with pytest.raises(
        InvalidInput, match="'Maybe' is not an outcome of Q1 \\(Status quo, Surge\\)"
    ):
        store.resolve(db, qid, "Maybe", by="ann")
    with pytest.raises(InvalidInput, match="date"):
        store.resolve(db, qid, "surge", by="ann", at="2020-13-45")
    assert dump(db) == before


def test_stale_prior_edit_is_a_conflict(db: Database) -> None:
    qid = add(db)
    version = store.get_question(db, qid).version
    store.set_priors(db, qid, [0.2, 0.8], by="ann", expected_version=version)
    with pytest.raises(Conflict, match="changed by ann"):
        store.set_priors(db, qid, [0.4, 0.6], by="bob", expected_version=version)
    assert store.get_question(db, qid).priors == pytest.approx([0.2, 0.8])
