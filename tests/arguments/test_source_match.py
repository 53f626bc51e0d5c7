"""Typed sources (the evidence dialog's source field, ``--source``) matched to known works, so
same-source detection sees them as it sees anchored items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_anchored_evidence, add_evidence, edit_evidence
from arguments.source_match import known_works, match_works, normalise
from arguments.source_store import import_article
from forecast.engine.model import question_model
from questions import store
from questions.models import QuestionDraft
from tests.conftest import SEED_ARTICLE, Cli

BRIEF = Path(__file__).parent / "fixtures" / "brief.md"
DRY_CANALS = 'Leila Haddad, "Dry Canals of the Middle Euphrates," River Review, May 2, 2021.'


@pytest.fixture
def question(db: Database) -> int:
    return store.add_question(db, QuestionDraft(title="Canals repaired?"), author="ann").id


def typed(db: Database, question: int, source: str, text: str = "item") -> str:
    item = add_evidence(db, question, EvidenceInputs(text=text, lr=2, source=source), by="ann")
    return item.short_id


def same_source_warnings(db: Database, question: int) -> list[str]:
    return [w for w in question_model(db, question).analysis.warnings if "same source" in w]


def test_normalise_ignores_case_punctuation_and_quote_styles() -> None:
    assert normalise("“Iraq’s Future,” The Atlantic") == normalise('"IRAQ\'S future" the  atlantic')


@pytest.mark.parametrize(
    "source",
    [
        DRY_CANALS,  # the citation as written
        "leila haddad, “Dry Canals of the Middle Euphrates”, River Review, May 2 2021",
        "Dry Canals of the Middle Euphrates",  # the title
        "Dry canals of the middle",  # a short form: the title's start, three words or more
        "see Haddad, Dry Canals of the Middle Euphrates (2021), p. 3",  # the title inside
    ],
)
def test_a_typed_source_naming_a_work_shares_it_with_anchored_items(
    db: Database, question: int, source: str
) -> None:
    import_article(db, BRIEF, by="ann")
    add_anchored_evidence(
        db,
        question,
        EvidenceInputs(text="Dry for three summers", lr=0.7),
        passage="S1:1",
        by="ann",
    )
    eid = typed(db, question, source)
    assert same_source_warnings(db, question) == [
        f"E1, {eid} rest on the same source (S1:dry canals of the middle euphrates): "
        "possible double counting"
    ]


@pytest.mark.parametrize(
    ("source", "titles"),
    [
        ("River Review", []),  # the publisher alone
        ("Haddad", []),
        ("Dry", []),
        ("Dry Canals", ["Dry Canals of the Middle Euphrates"]),  # the article's own short form
        ("Budget Lines and Broken", ["Budget Lines and Broken Pipes"]),
        ("wire A", []),
        ("Dry Canals of the Middle Euphrates; Budget Lines and Broken Pipes", "both"),
    ],
)
def test_what_a_typed_source_names(db: Database, source: str, titles: list[str] | str) -> None:
    import_article(db, BRIEF, by="ann")
    works = known_works(db)
    expected = [w.title for w in works] if titles == "both" else titles
    assert [w.title for w in match_works(source, works)] == expected


def test_known_works_of_the_brief(db: Database) -> None:
    import_article(db, BRIEF, by="ann")
    works = known_works(db)
    assert [(w.title, w.citation, w.cited) for w in works] == [
        ("Dry Canals of the Middle Euphrates", 1, 3),
        ("Budget Lines and Broken Pipes", 3, 1),
    ]
    assert works[0].citation_text == DRY_CANALS


def test_sources_typed_before_the_article_is_imported_are_matched_on_import(
    db: Database, question: int
) -> None:
    typed(db, question, "Dry Canals of the Middle Euphrates", "one")
    typed(db, question, DRY_CANALS, "two")
    assert same_source_warnings(db, question) == []  # different texts, no work known yet
    import_article(db, BRIEF, by="ann")
    assert len(same_source_warnings(db, question)) == 1


def test_editing_the_typed_source_moves_the_item(db: Database, question: int) -> None:
    import_article(db, BRIEF, by="ann")
    typed(db, question, DRY_CANALS, "one")
    typed(db, question, "Dry Canals of the Middle Euphrates", "two")
    assert len(same_source_warnings(db, question)) == 1
    edit_evidence(db, "E2", EvidenceInputs(source="Budget Lines and Broken Pipes"), by="ann")
    assert same_source_warnings(db, question) == []
    edit_evidence(db, "E2", EvidenceInputs(source=""), by="ann")
    rows = db.execute("select count(*) from evidence_citations where evidence_id = 2").fetchone()
    assert rows[0] == 0


def test_an_anchored_item_keeps_its_passage_citations(db: Database, question: int) -> None:
    import_article(db, BRIEF, by="ann")
    item = add_anchored_evidence(
        db,
        question,
        EvidenceInputs(
            text="Promised twice", lr=0.6, source="Budget Lines and Broken Pipes", quote="twice"
        ),
        passage="S1:2",
        by="ann",
    )
    assert item.citations == ("S1:dry canals of the middle euphrates",)
    edit_evidence(db, item.id, EvidenceInputs(credibility=0.5), by="ann")
    rows = db.execute("select citation from evidence_citations where evidence_id = ?", [item.id])
    assert [n for (n,) in rows] == [4]


def test_the_seed_citation_typed_with_source(cli: Cli) -> None:
    """The issue's case: a source typed with ``--source``, the exact citation text, is matched."""
    if not SEED_ARTICLE.exists():
        pytest.skip("the shared seed article is not here")
    cli.ok("import", "article", str(SEED_ARTICLE))
    cli.ok("question", "add", "Will coalition troops leave Iraq?")
    cli.ok(
        "evidence",
        "add",
        "Q1",
        "Air support is needed",
        "--lr",
        "0.5",
        "--passage",
        "S1:7",
        "--quote",
        "We cannot defeat ISIS without air support",
    )
    citation = "“Averting an ISIS Resurgence in Iraq and Syria,” Crisis Group, October 22, 2019,"
    cli.ok("evidence", "add", "Q1", "Resurgence risk", "--lr", "2", "--source", citation)
    cli.ok("evidence", "add", "Q1", "Short form", "--lr", "2", "--source", "Averting an ISIS")
    cli.ok("evidence", "add", "Q1", "Other work", "--lr", "2", "--source", "Reuters")
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    shared = [w for w in shown["warnings"] if "same source" in w]
    assert shared == [
        "E1, E2, E3 rest on the same source (S1:averting an isis resurgence in iraq and syria): "
        "possible double counting"
    ]


def test_a_bundled_typed_source_is_matched_where_it_lands(
    db: Database, question: int, tmp_path: Path
) -> None:
    from forecast.exchange.bundle_export import build_bundle, bundle_json
    from forecast.exchange.bundle_import import import_bundle
    from forecast.workspace import open_workspace

    import_article(db, BRIEF, by="ann")
    add_anchored_evidence(
        db, question, EvidenceInputs(text="Dry", lr=0.7), passage="S1:1", by="ann"
    )
    typed(db, question, "Dry Canals of the Middle Euphrates")
    path = tmp_path / "bundle.json"
    path.write_text(bundle_json(build_bundle(db)), encoding="utf-8")
    other = open_workspace(tmp_path / "other.db")
    import_bundle(other, path)
    assert len(same_source_warnings(other, 1)) == 1
    other.close()
