"""Claim marks: the cues of each kind on text written here, and on the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arguments.claims import (
    ClaimMark,
    conditional_parts,
    estimative_words,
    passage_marks,
)
from tests.conftest import SEED_ARTICLE, Cli


def kinds(text: str) -> dict[str, str]:
    return {m.kind: m.cue for m in passage_marks(1, text)}


@pytest.mark.parametrize(
    ("sentence", "kind", "cue"),
    [
        ("The ceasefire could collapse.", "claim", "could"),
        ("Turnout may fall sharply.", "claim", "may"),
        ("The bank is likely to raise rates.", "claim", "likely"),
        ("The bank would likely raise rates.", "claim", "likely"),
        ("A deal seems unlikely this spring.", "claim", "unlikely"),
        ("The talks are expected to resume.", "claim", "expected to"),
        ("If the dam breaks, the town floods.", "conditional", "If"),
        ("The strike could result in shortages.", "conditional", "could result in"),
        ("Aid stops unless the road reopens.", "conditional", "unless"),
        ("Customs seized 750 kilograms of cocaine.", "quantity", "750 kilograms"),
        ("Police arrested over 100 protestors.", "quantity", "over 100 protestors"),
        ("Floods displaced up to 1,000 families.", "quantity", "up to 1,000 families"),
        ("Prices rose 12 percent.", "quantity", "12 percent"),
        ("The storm sank four boats.", "quantity", "four boats"),
        ("The vote is set for mid-January.", "date", "mid-January"),
        ("Troops must leave by 2021.", "date", "by 2021"),
        ("The budget is due by the end of the year.", "date", "by the end of"),
        ("Results come within 6 months.", "date", "within 6 months"),
        ("Parliament meets in May 2020.", "date", "May 2020"),
    ],
)
def test_each_kind_of_cue(sentence: str, kind: str, cue: str) -> None:
    assert kinds(sentence).get(kind) == cue, passage_marks(1, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The committee met on Tuesday and published its minutes.",
        "In 2019 the ministry moved to a new building.",  # a year is a date, not a count
        "The minister spoke as if nothing had happened.",  # "as if" is no condition
    ],
)
def test_plain_sentences_carry_no_mark(sentence: str) -> None:
    found = kinds(sentence)
    assert not ({"claim", "quantity", "conditional"} & set(found)), found


def test_may_the_month_is_no_hedge() -> None:
    assert "claim" not in kinds("Elections were held in May and June.")
    assert kinds("May the vote be fair.").get("claim") == "May"  # at the start, a modal


def test_estimative_words_carry_their_conventional_range() -> None:
    words = {
        m.term: (m.low, m.high, m.scale)
        for _, _, m in estimative_words(
            "It is very likely, though almost certainly not soon; unlikely now, likely later, "
            "and almost certainly by 2030."
        )
    }
    assert words["very likely"] == (0.80, 0.95, "ICD 203")
    assert words["almost certainly not"] == (0.02, 0.12, "Kent 1964")
    assert words["unlikely"] == (0.20, 0.45, "ICD 203")
    assert words["likely"] == (0.55, 0.80, "ICD 203")
    assert words["almost certain"] == (0.95, 0.99, "ICD 203")


def test_the_claim_cue_prefers_a_word_with_a_range() -> None:
    (mark,) = [
        m for m in passage_marks(1, "It could happen, but it seems unlikely.") if m.kind == "claim"
    ]
    assert mark.cue == "unlikely" and mark.estimative is not None
    assert mark.estimative.label() == "unlikely: 20%–45% (ICD 203)"


def test_a_note_marker_closes_the_sentence_and_is_no_number() -> None:
    text = "Rebels hold the pass.[12] Talks could resume."
    marks = passage_marks(3, text, [(21, 25)])
    assert [(m.kind, m.cue, text[m.start : m.end]) for m in marks] == [
        ("claim", "could", "Talks could resume.")
    ]


def test_spans_point_into_the_passage() -> None:
    text = "Calm first. If talks fail, up to 300 families could flee by June."
    for mark in passage_marks(2, text):
        assert text[mark.cue_start : mark.cue_end] == mark.cue
        assert mark.start <= mark.cue_start < mark.cue_end <= mark.end
        assert (
            text[mark.start : mark.end] == "If talks fail, up to 300 families could flee by June."
        )
    assert {m.kind for m in passage_marks(2, text)} == {"claim", "conditional", "quantity", "date"}


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        ("If the dam breaks, the town floods.", ("The dam breaks", "The town floods")),
        ("Even if talks resume, then fighting goes on.", ("Talks resume", "Fighting goes on")),
        ("Prices rise if the port closes.", ("The port closes", "Prices rise")),
        ("A strike could lead to shortages.", ("A strike", "Shortages")),
        ("Nothing conditional here.", None),
    ],
)
def test_conditional_parts(sentence: str, parts: tuple[str, str] | None) -> None:
    assert conditional_parts(sentence) == parts


@given(st.text(max_size=300))
def test_marks_on_any_text_stay_inside_it(text: str) -> None:
    for mark in passage_marks(1, text):
        assert isinstance(mark, ClaimMark)
        assert 0 <= mark.start <= mark.cue_start < mark.cue_end <= mark.end <= len(text)


@pytest.fixture
def seed() -> Path:
    if not SEED_ARTICLE.exists():
        pytest.skip("the seed article (../shared/seeds) is not here")
    return SEED_ARTICLE


def test_cues_on_the_seed_article(cli: Cli, seed: Path) -> None:
    cli.ok("import", "article", str(seed))
    marks = json.loads(cli.ok("source", "claims", "S1", "--json"))
    assert set(marks[0]) >= {"passage", "span", "kind", "cue"}
    found = {(m["kind"], m["cue"]) for m in marks}
    for expected in [
        ("quantity", "750 kilograms"),
        ("quantity", "over 100 protestors"),
        ("quantity", "up to 1,000 Sunnis"),
        ("quantity", "four US soldiers"),
        ("claim", "unlikely"),
        ("claim", "likely"),
        ("claim", "could"),
        ("claim", "may"),
        ("conditional", "If"),
        ("date", "mid-January"),
        ("date", "September"),
    ]:
        assert expected in found, expected
    unlikely = next(m for m in marks if m["cue"] == "unlikely")
    assert unlikely["range"] == {"term": "unlikely", "low": 0.2, "high": 0.45, "scale": "ICD 203"}
    assert unlikely["passage"].startswith("S1:")
    # every span is a whole sentence of its passage, and no cue is a note marker's number
    passages = {
        f"S1:{p['number']}": p
        for p in json.loads(cli.ok("source", "show", "S1", "--json"))["passages"]
    }
    for mark in marks:
        passage = passages[mark["passage"]]
        a, b = mark["span"]
        assert " ".join(passage["text"][a:b].split()) == mark["sentence"]
        for marker in passage["markers"]:
            lo, hi = marker["start"] - passage["start"], marker["end"] - passage["start"]
            assert not (mark["cue_span"][0] < hi and lo < mark["cue_span"][1]), mark


def test_claims_cli_text_and_refusal(cli: Cli, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Will the dam hold?\n\nThe dam is likely to hold until June.\n")
    cli.ok("import", "article", str(article))
    out = cli.ok("source", "claims", "S1")
    assert "likely: 55%–80% (ICD 203)" in out and "date" in out
    missing = cli("source", "claims", "S9")
    assert missing.exit_code == 1 and "no such source" in missing.stderr


def test_a_year_before_a_comma_is_no_count() -> None:
    found = kinds("Since October 2019, mass protests filled the squares.")
    assert "quantity" not in found and found["date"] == "October 2019"
    assert kinds("Up to 1,000 families fled.")["quantity"] == "Up to 1,000 families"
