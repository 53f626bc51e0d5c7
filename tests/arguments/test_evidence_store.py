from pathlib import Path

import pytest
from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import (
    add_anchored_evidence,
    add_evidence,
    apply_ratings,
    edit_evidence,
    evidence_history,
    get_evidence,
    list_evidence,
    remove_evidence,
)
from arguments.source_store import import_article
from questions import store
from questions.errors import Conflict, InvalidInput, NotFound
from questions.models import QuestionDraft
from tests.conftest import dump

BRIEF = Path(__file__).parent / "fixtures" / "brief.md"


@pytest.fixture
def binary(db: Database) -> int:
    return store.add_question(
        db, QuestionDraft(title="Troops leave?", priors=[0.3]), author="ann"
    ).id


@pytest.fixture
def multi(db: Database) -> int:
    draft = QuestionDraft(
        title="State of ISIS", outcome_names=["Defeated", "Insurgency", "Resurgent"]
    )
    return store.add_question(db, draft, author="ann").id


def test_binary_lr_is_stored_as_likelihood_pair(db: Database, binary: int) -> None:
    item = add_evidence(
        db,
        binary,
        EvidenceInputs(text="Vote to expel", lr=3, range_low=[1.5], range_high=[6]),
        by="ann",
    )
    assert item.short_id == "E1"
    assert item.likelihoods == (3.0, 1.0)
    assert item.lr == 3.0 and item.lr_range == (1.5, 6.0)
    assert item.created_by == "ann" and item.version == 1


def test_multi_likelihoods_and_ranges(db: Database, multi: int) -> None:
    item = add_evidence(
        db,
        multi,
        EvidenceInputs(
            text="Attacks up",
            likelihoods=[0.2, 0.6, 0.9],
            range_low=[0.1, 0.4, 0.7],
            range_high=[0.3, 0.8, 1.0],
        ),
        by="bob",
    )
    assert get_evidence(db, "e1").range_high == (0.3, 0.8, 1.0)
    assert [i.id for i in list_evidence(db, multi)] == [item.id]


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"text": "x", "lr": 0}, "lr: 0"),
        ({"text": "x", "lr": -2}, "lr: -2"),
        ({"text": "x", "lr": float("inf")}, "lr: inf"),
        ({"text": "x", "lr": float("nan")}, "lr: nan"),
        ({"text": "x"}, "give --lr"),
        ({"text": "", "lr": 2}, "text"),
        ({"text": "x", "lr": 2, "credibility": 1.2}, "credibility: 1.2"),
        ({"text": "x", "lr": 2, "range_low": [3], "range_high": [4]}, "does not contain"),
        ({"text": "x", "lr": 2, "range_low": [1]}, "both ends"),
        ({"text": "x", "lr": 2, "group": "g", "redundancy": 2}, "redundancy: 2"),
        ({"text": "x", "lr": 2, "redundancy": 0.5}, "--group"),
        ({"text": "x", "lr": 2, "depends_on": 99}, "E99 is not an evidence item"),
        ({"text": "x", "likelihoods": [0.5, 0.5, 0.1]}, "3 values for 2 outcomes"),
    ],
)
def test_bad_binary_input_is_named_and_changes_nothing(
    db: Database, binary: int, inputs: dict, fragment: str
) -> None:
    before = dump(db)
    with pytest.raises(InvalidInput, match=fragment.replace("(", r"\(")):
        add_evidence(db, binary, EvidenceInputs(**inputs), by="ann")
    assert dump(db) == before


@pytest.mark.parametrize(
    ("inputs", "fragment"),
    [
        ({"text": "x", "lr": 2}, "3 outcomes"),
        ({"text": "x", "likelihoods": [0.5, 0.5]}, "2 values for 3 outcomes"),
        ({"text": "x", "likelihoods": [0, 0, 0]}, "Defeated 0 is not allowed"),
        ({"text": "x", "likelihoods": [0.5, -0.1, 0.2]}, "-0.1"),
        # likelihoods are probabilities: each in (0, 1], named with its outcome
        (
            {"text": "x", "likelihoods": [0.5, 1.5, 0.2]},
            r"Insurgency 1\.5 is not allowed .*\(0, 1\]",
        ),
        ({"text": "x", "likelihoods": [0.5, 0.2, 0]}, "0 is not allowed"),
        (
            {
                "text": "x",
                "likelihoods": [0.2, 0.6, 0.9],
                "range_low": [0.1, 0.5, 0.8],
                "range_high": [0.3, 0.7, 1.2],
            },
            "range high: .* 1.2 is not allowed",
        ),
        (
            {
                "text": "x",
                "likelihoods": [0.2, 0.6, 0.9],
                "range_low": [0.1, 0.7, 0.7],
                "range_high": [0.3, 0.8, 1],
            },
            "Insurgency",
        ),
    ],
)
def test_bad_multi_input(db: Database, multi: int, inputs: dict, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        add_evidence(db, multi, EvidenceInputs(**inputs), by="ann")
    assert list_evidence(db, multi) == []


def test_edits_keep_history_and_stale_versions_conflict(db: Database, binary: int) -> None:
    item = add_evidence(db, binary, EvidenceInputs(text="Vote", lr=3), by="ann")
    edited = edit_evidence(
        db, item.id, EvidenceInputs(lr=4, credibility=0.5), by="bob", expected_version=1
    )
    assert (
        edited.version == 2
        and edited.lr == 4
        and edited.text == "Vote"
        and edited.updated_by == "bob"
    )
    with pytest.raises(Conflict, match="changed by bob"):
        edit_evidence(db, item.id, EvidenceInputs(lr=9), by="ann", expected_version=1)
    removed = remove_evidence(db, item.id, by="ann")
    assert removed.removed_by == "ann"
    assert list_evidence(db, binary) == []
    assert [i.id for i in list_evidence(db, binary, include_removed=True)] == [item.id]
    history = evidence_history(db, binary)
    assert [(h["action"], h["version"], h["state"]["likelihoods"][0]) for h in history] == [
        ("added", 1, 3.0),
        ("edited", 2, 4.0),
        ("removed", 3, 4.0),
    ]
    with pytest.raises(Conflict, match="removed"):
        edit_evidence(db, item.id, EvidenceInputs(lr=2), by="ann")


def test_kept_range_must_fit_a_new_value(db: Database, binary: int) -> None:
    item = add_evidence(
        db, binary, EvidenceInputs(text="x", lr=3, range_low=[2], range_high=[4]), by="a"
    )
    with pytest.raises(InvalidInput, match="--no-range"):
        edit_evidence(db, item.id, EvidenceInputs(lr=10), by="a")
    assert (
        edit_evidence(db, item.id, EvidenceInputs(lr=10, clear_range=True), by="a").range_low
        is None
    )


def test_depends_on_same_question_and_no_cycles(db: Database, binary: int, multi: int) -> None:
    first = add_evidence(db, binary, EvidenceInputs(text="a", lr=2), by="a")
    second = add_evidence(db, binary, EvidenceInputs(text="b", lr=2, depends_on=first.id), by="a")
    other = add_evidence(db, multi, EvidenceInputs(text="c", likelihoods=[0.1, 0.2, 0.3]), by="a")
    with pytest.raises(InvalidInput, match="cycle"):
        edit_evidence(db, first.id, EvidenceInputs(depends_on=second.id), by="a")
    with pytest.raises(InvalidInput, match="same question"):
        edit_evidence(db, first.id, EvidenceInputs(depends_on=other.id), by="a")
    with pytest.raises(Conflict, match="depend on it"):
        remove_evidence(db, first.id, by="a")
    with pytest.raises(NotFound):
        get_evidence(db, "E77")


def test_group_redundancy_is_shared(db: Database, binary: int) -> None:
    add_evidence(db, binary, EvidenceInputs(text="a", lr=2, group="wires", redundancy=0.8), by="a")
    second = add_evidence(db, binary, EvidenceInputs(text="b", lr=3, group="wires"), by="a")
    assert second.rho == 0.8
    edit_evidence(db, second.id, EvidenceInputs(group="wires", redundancy=0.2), by="a")
    assert {i.rho for i in list_evidence(db, binary)} == {0.2}


def test_anchored_evidence_takes_its_quote_and_citations_from_the_passage(
    db: Database, binary: int
) -> None:
    import_article(db, BRIEF, by="ann")
    quoted = add_anchored_evidence(
        db,
        binary,
        EvidenceInputs(text="Repairs promised", lr=1.5, quote="promised   repairs in the spring"),
        passage="S1:2",
        by="ann",
    )
    assert quoted.quote == "promised repairs in the spring"
    assert "Budget Lines" in quoted.source and quoted.citations
    assert db.execute(
        "select source_id, passage from evidence where id = ?", [quoted.id]
    ).fetchone() == (1, 2)
    own = add_anchored_evidence(
        db, binary, EvidenceInputs(text="x", lr=2, source="my notes"), passage="S1:2", by="ann"
    )
    assert own.source == "my notes" and own.citations
    plain = add_anchored_evidence(db, binary, EvidenceInputs(text="y", lr=2), passage=None, by="a")
    assert plain.citations == () and plain.source == ""
    before = dump(db)
    with pytest.raises(InvalidInput, match="does not occur in passage S1:2"):
        add_anchored_evidence(
            db,
            binary,
            EvidenceInputs(text="z", lr=2, quote="never written"),
            passage="S1:2",
            by="a",
        )
    with pytest.raises(InvalidInput, match="S1:9 does not exist"):
        add_anchored_evidence(db, binary, EvidenceInputs(text="z", lr=2), passage="S1:9", by="a")
    with pytest.raises(InvalidInput, match="credibility"):
        add_anchored_evidence(
            db, binary, EvidenceInputs(text="z", lr=2, credibility=3), passage="S1:2", by="a"
        )
    assert dump(db) == before


def test_ratings_map_to_likelihoods_through_the_table(db: Database, multi: int) -> None:
    inputs = apply_ratings(db, multi, EvidenceInputs(text="x"), ["i", " C", "CC"])
    assert inputs.ratings == ["I", "C", "CC"]
    table = dict(db.execute("select rating, likelihood from ach_ratings").fetchall())
    assert inputs.likelihoods == [table["I"], table["C"], table["CC"]]
    assert add_evidence(db, multi, inputs, by="a").ratings == ("I", "C", "CC")
    with pytest.raises(InvalidInput, match="2 values for 3 outcomes"):
        apply_ratings(db, multi, EvidenceInputs(text="x"), ["C", "C"])
    with pytest.raises(InvalidInput, match="'Q' is not allowed"):
        apply_ratings(db, multi, EvidenceInputs(text="x"), ["C", "Q", "C"])
    with pytest.raises(InvalidInput, match="not both"):
        apply_ratings(
            db, multi, EvidenceInputs(text="x", likelihoods=[0.1, 0.2, 0.3]), ["C", "C", "C"]
        )


def test_citation_lookups_check_for_their_table_once_per_workspace(db: Database) -> None:
    from arguments.evidence_store import edit_evidence, get_evidence

    qid = store.add_question(db, QuestionDraft(title="Will the ceasefire hold?"), author="ann").id
    add_evidence(db, qid, EvidenceInputs(text="Artillery withdrawn", lr=3), by="ann")
    get_evidence(db, 1)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        for step in range(3):  # what a nudge does: edit the item, read it back
            edit_evidence(db, 1, EvidenceInputs(lr=3 + step), by="ann")
            get_evidence(db, 1)
    finally:
        db.conn.set_trace_callback(None)
    assert not [s for s in statements if "sqlite_master" in s], statements
