"""Sentences and the note markers that close them: written cases, the seed article's 17 markers
(each on the sentence before it), and quotes anchored in the seed through the store."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from arguments.article import parse_article
from arguments.sentences import ABBREVIATIONS, covering_span, sentence_spans, sentences
from arguments.source_store import anchor_quote, store_article
from tests.conftest import SEED_ARTICLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a marker after a closing quote closes the sentence inside the quote
        (
            "He said, “We cannot win.”[XIII]  President Trump left.[XIV]",
            ["He said, “We cannot win.”[XIII]", "President Trump left.[XIV]"],
        ),
        # a marker after a space still closes the sentence before it
        (
            "Free the members. [XI] Worried, Iraq agreed.[XII]",
            ["Free the members. [XI]", "Worried, Iraq agreed.[XII]"],
        ),
        # plain quotes, a closing quote after a marker, several markers
        (
            'He said "no." [1][2] Then "yes".[3]" Later.',
            ['He said "no." [1][2]', 'Then "yes".[3]"', "Later."],
        ),
        # abbreviations and initials do not end a sentence; the following lowercase word neither
        (
            "U.S. troops met Mr. Smith and George W. Bush. They left at 3 p.m. on Friday.",
            ["U.S. troops met Mr. Smith and George W. Bush.", "They left at 3 p.m. on Friday."],
        ),
        # ... unless a note marker follows the stop
        (
            "It force out U.S. troops.[V] These protests grew.",
            ["It force out U.S. troops.[V]", "These protests grew."],
        ),
        # numbers, a question inside a quote followed by lowercase, and a final sentence
        # without a stop
        (
            "It cost 3.5 million. “Why?” he asked. And then nothing",
            ["It cost 3.5 million.", "“Why?” he asked.", "And then nothing"],
        ),
        ("Wait... what? Yes! Done.^4", ["Wait... what?", "Yes!", "Done.^4"]),
        # "No." before a number is an abbreviation; "no." ending a sentence is not; nor is "I."
        (
            "See No. 5 for it. The answer was no. So did I. Then we left.",
            ["See No. 5 for it.", "The answer was no.", "So did I.", "Then we left."],
        ),
        ("", []),
        ("   ", []),
    ],
)
def test_written_cases(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_a_marker_mid_sentence_stays_in_its_sentence() -> None:
    text = "Militias[1] fired on crowds. They denied it.[2]"
    assert sentences(text) == ["Militias[1] fired on crowds.", "They denied it.[2]"]


def test_covering_span_ignores_a_leading_marker_of_the_sentence_before() -> None:
    text = "Air support matters.”[XIII]  President Trump left.[XIV] Others stayed.[XV]"
    lo = text.index("[XIII]")
    hi = text.index("left.") + len("left.")
    a, b = covering_span(text, lo, hi)
    assert text[a:b] == "President Trump left.[XIV]"
    # a quote in the middle of a sentence reaches its closing marker, not the next sentence's
    lo = text.index("Trump")
    a, b = covering_span(text, lo, lo + 5)
    assert text[a:b] == "Trump left.[XIV]"


# words of two letters or more that are not abbreviations ("Fig." and "Dec." do not end one)
words = st.text(alphabet="abcdefghij", min_size=2, max_size=6).filter(
    lambda w: w not in ABBREVIATIONS
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(words, min_size=1, max_size=6),
            st.sampled_from([".", "?", "!", ".”", ".'", '."']),
            st.sampled_from(["", " "]),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_generated_sentences_split_where_written(parts) -> None:
    """Sentences built from parts (capitalised words, a stop, maybe a quote, maybe a space and a
    marker) split back into exactly those parts, markers with the sentence before them."""
    built = []
    for i, (ws, stop, gap, marked) in enumerate(parts):
        sentence = " ".join([ws[0].capitalize(), *ws[1:]]) + stop
        if marked:
            sentence += f"{gap}[{i + 1}]"
        built.append(sentence)
    assert sentences("  ".join(built)) == built
    assert sentences(" ".join(built) + " ") == built


@pytest.fixture
def seed_text() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip("the shared seed article is not here")
    return SEED_ARTICLE.read_text(encoding="utf-8")


def test_every_seed_marker_closes_the_sentence_before_it(seed_text: str) -> None:
    article = parse_article(seed_text)
    assert len(article.markers) == 17
    for passage in article.passages:
        marks = [(m.start - passage.start, m.end - passage.start) for m in passage.markers]
        spans = sentence_spans(passage.text, marks)
        for start, end in marks:
            holder = [(a, b) for a, b in spans if a <= start < b]
            assert len(holder) == 1, passage.text[start:end]
            a, b = holder[0]
            assert b == end, passage.text[a:b]  # the marker is the sentence's last thing
            before = passage.text[a:start].rstrip()
            assert re.search(r"[.!?][”\"’']?$", before), before
        # nothing is lost between sentences but whitespace
        gaps = [passage.text[b:a] for (_, b), (a, _) in zip(spans, spans[1:], strict=False)]
        assert all(not gap.strip() for gap in gaps)


@pytest.fixture
def seed_db(db: Database, seed_text: str) -> Database:
    store_article(db, parse_article(seed_text), by="tester")
    return db


def test_seed_quotes_rest_on_the_marker_after_them_only(seed_db: Database) -> None:
    """For each of the 17 markers: the words just before it rest on exactly its note; the words
    just after it (the next sentence) never do."""
    rows = seed_db.execute(
        "select m.label, m.note, m.passage, m.start - p.start, m.end - p.start, p.text"
        " from note_markers m join passages p on p.source_id = m.source_id"
        " and p.number = m.passage order by m.position"
    ).fetchall()
    assert len(rows) == 17
    for label, note, passage, start, end, text in rows:
        before = text[max(0, start - 40) : start].strip()
        before = before[before.index(" ") + 1 :]  # whole words only
        anchor = anchor_quote(seed_db, f"S1:{passage}", before)
        assert [n for n, _, _ in anchor.citations] == [note], (label, before)
        after = text[end : end + 40].strip()
        if after:
            after = after[: after.rindex(" ")]
            anchor = anchor_quote(seed_db, f"S1:{passage}", after)
            assert note not in [n for n, _, _ in anchor.citations], (label, after)


def test_the_issues_selection_attaches_one_citation(seed_db: Database) -> None:
    """Selecting "President Trump has ... leaders.[XIV]" used to attach XIV and XV."""
    text = seed_db.execute("select text from passages where number = 7").fetchone()[0]
    start = text.index("President Trump has")
    end = text.index("leaders.[XIV]") + len("leaders.[XIV]")
    anchor = anchor_quote(seed_db, "S1:7", text[start:end])
    assert [n for n, _, _ in anchor.citations] == [14]
    assert "They Are Livid" in anchor.citation_text
    # the same selection starting at the previous sentence's marker
    start = text.index("[XIII]")
    anchor = anchor_quote(seed_db, "S1:7", text[start:end])
    assert [n for n, _, _ in anchor.citations] == [14]
    # the sentence ending in a closing quote keeps its own marker
    anchor = anchor_quote(seed_db, "S1:7", "We cannot defeat ISIS without air support")
    assert [n for n, _, _ in anchor.citations] == [13]


def test_a_quote_rests_on_the_marker_that_closes_its_clause() -> None:
    text = "A council promised repairs in the budget [3], but it had promised twice before.[^4]"
    for quote, expected in [
        ("promised repairs in the budget", "[3]"),
        ("A council promised", "[3]"),
        ("it had promised twice", "[^4]"),
        ("repairs in the budget [3], but it had", "[3] ... [^4]"),
    ]:
        lo = text.index(quote)
        a, b = covering_span(text, lo, lo + len(quote))
        found = [m for m in ("[3]", "[^4]") if a <= text.index(m) < b]
        assert " ... ".join(found) == expected, quote
    text = "Fighters returned.[1][2] Others stayed.[3]"
    a, b = covering_span(text, 0, len("Fighters"))
    assert text[a:b] == "Fighters returned.[1][2]"
