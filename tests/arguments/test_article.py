"""The article parser: the seed article, Markdown and HTML with footnotes, Ibid chains, marker
positions, furniture, bad input, and fuzzing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arguments.article import ArticleError, find_quote, parse_article, roman_to_int
from tests.conftest import SEED_ARTICLE

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def seed() -> bytes:
    if not SEED_ARTICLE.exists():
        pytest.skip("the shared seed article is not here")
    return SEED_ARTICLE.read_bytes()


def test_seed_article(seed: bytes) -> None:
    article = parse_article(seed, filename=SEED_ARTICLE.name)
    assert len(article.citations) == 17
    by_label = {c.label: c for c in article.citations}
    assert by_label["II"].ibid and by_label["II"].resolves_to == by_label["i"].number
    report = next(w for w in article.works if w.key == by_label["i"].work_key)
    assert report.count == 5 and sorted(report.citation_numbers) == [1, 2, 7, 13, 15]
    # every body paragraph is a passage: the non-empty lines between the photo credit and the notes
    lines = [line.strip() for line in seed.decode("utf-8").splitlines()]
    notes_start = next(i for i, line in enumerate(lines) if line.startswith("[i]"))
    body = [line for line in lines[1:notes_start] if line and "Photo Credit" not in line]
    assert [p.text for p in article.passages] == body
    skipped = {s.text: s.reason for s in article.skipped}
    assert skipped["Leave a Reply"] == "comment form"
    assert any("Akismet" in text and reason == "comment form" for text, reason in skipped.items())
    assert any("Photo Credit" in text for text in skipped)
    for marker in article.markers:
        assert re.fullmatch(r"\[[ivxlcdmIVXLCDM\d]+\]", article.text[marker.start : marker.end])
    assert sorted(m.number for m in article.markers) == list(range(1, 18))


SEED_WORKS = {
    "Averting an ISIS Resurgence in Iraq and Syria": [1, 2, 7, 13, 15],
    "Iraqi Pilgrims Protest Corruption During Arbaeen March": [3],
    "Powerful Cleric Urges Iraq Government to Quit as Protests Rage": [4],
    "The Man Who Could Shape Iraq’s Future": [5],
    "Death Toll in Iraq Soars to More than 100 as pro-Iran Gunmen Accused of Shooting Protesters": [
        8
    ],
    "Exclusive: Iran-Backed Militias Deployed Snipers in Iraq Protests – Sources": [9],
    "Iraqi Forces Foil Suspected ISIS Attack on Shia Pilgrims South of Baghdad": [10],
    "Islamic State’s Reclusive Leader Issues New Call for Action": [11],
    "FM: Iraq Will Only Repatriate IS Fighters Who Are Iraqis": [12],
    "’They Are Livid’: Trump’s Withdrawal from Syria Prompts Rare Public Criticism from Current,"
    " Former Military Officials": [14],
    "The Flash Point Between America and Iran Could Be Iraq’s Militias": [16],
    "4 Americans Killed in Syria Attack. ISIS Claims Responsibility": [17],
}


def test_seed_works_keep_whole_titles(seed: bytes) -> None:
    """The seed's 13 works: titles are not cut at typographic apostrophes (State’s, Iraq’s) nor
    at a quote inside the title; the one note without a quoted title is its own work."""
    article = parse_article(seed, filename=SEED_ARTICLE.name)
    works = {w.title: sorted(w.citation_numbers) for w in article.works}
    assert len(works) == 13
    byman = [title for title in works if title.startswith("Daniel Byman")]
    assert len(byman) == 1 and works.pop(byman[0]) == [6]
    assert works == SEED_WORKS


@pytest.mark.parametrize(
    ("note", "title"),
    [
        ("Ann Lee, “Iraq’s Future,” Press, 2020.", "Iraq’s Future"),
        ('Ann Lee, "Iraq\'s Future," Press, 2020.', "Iraq's Future"),
        ("Ann Lee, ‘Iraq’s Future’, Press, 2020.", "Iraq’s Future"),
        ("Ann Lee, 'Iraq's Future', Press, 2020.", "Iraq's Future"),
        ("O'Brien, “The Leaders’ Meeting.” Daily, 2019.", "The Leaders’ Meeting"),
        ("Ann Lee, “’Livid’: Officials React.” Post, 2019.", "’Livid’: Officials React"),
    ],
)
def test_titles_inside_typographic_and_plain_quotes(note: str, title: str) -> None:
    article = parse_article(f"Title\n\nA claim.[1]\n\n[1] {note}\n")
    assert [w.title for w in article.works] == [title]


def test_works_sharing_a_word_before_an_apostrophe_stay_apart() -> None:
    text = (
        "Title\n\nOne.[1] Two.[2] Three.[3]\n\n[1] A, “Iraq’s Future,” X, 2020.\n\n"
        "[2] B, “Iraq’s Militias,” Y, 2019.\n\n[3] “Iraq’s Future.”\n"
    )
    article = parse_article(text)
    assert {w.title: w.citation_numbers for w in article.works} == {
        "Iraq’s Future": [1, 3],
        "Iraq’s Militias": [2],
    }


def test_markdown_footnotes_and_short_forms() -> None:
    article = parse_article((FIXTURES / "brief.md").read_bytes(), filename="brief.md")
    assert article.title == "Water and Power on the Euphrates"
    assert [article.text[m.start : m.end] for m in article.markers] == ["^1", "[^2]", "[3]", "[^4]"]
    assert [(c.ibid, c.resolves_to) for c in article.citations] == [
        (False, 1),
        (True, 1),
        (False, 3),
        (False, 1),
    ]
    assert {w.title: w.count for w in article.works} == {
        "Dry Canals of the Middle Euphrates": 3,
        "Budget Lines and Broken Pipes": 1,
    }
    assert ("heading", "## What changed") in [(s.reason, s.text) for s in article.skipped]


def test_html_sup_markers_and_ordered_notes() -> None:
    article = parse_article((FIXTURES / "brief.html").read_bytes(), filename="brief.html")
    assert article.title == "Night Markets of Mosul"
    assert len(article.passages) == 2 and "not text" not in article.text
    assert [c.resolves_to for c in article.citations] == [1, 1, 1]
    assert article.works[0].count == 3
    assert {s.reason for s in article.skipped} >= {"photo credit", "sharing"}


def test_ibid_chain() -> None:
    text = 'Title\n\nA claim.[1] Another.[2] More.[3]\n\n[1] Ann Lee, "Rivers," Press, 2020.\n\n[2] Ibid.\n\n[3] Ibid., 4.\n'
    article = parse_article(text)
    assert [c.resolves_to for c in article.citations] == [1, 1, 1]
    assert article.works[0].count == 3


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (b"\x00\x01binary", "not text"),
        (b"\xff\xfe\xfa", "not UTF-8"),
        (b"   \n\n  ", "empty"),
        (b"Title\n\nA claim.[1] And [5].\n\n[1] A note.\n", "3:17: marker [5] has no note"),
        (
            b"Title\n\nA claim.[1] And [1 unfinished.\n\n[1] A note.\n",
            "3:17: marker '[1' is not closed",
        ),
        (b"Title\n\nA claim.[2]\n", "marker [2] has no note"),
        (b"Title\n\nText.[1]\n\n[1] A.\n\n[1] B.\n", "appears twice"),
    ],
)
def test_bad_articles(text: bytes, fragment: str) -> None:
    with pytest.raises(ArticleError, match=re.escape(fragment)):
        parse_article(text)


def test_brackets_that_are_not_markers() -> None:
    article = parse_article(
        "Title\n\nHe said [sic] in [2019] that it was over.[1]\n\n[1] A note.\n"
    )
    assert [m.label for m in article.markers] == ["1"]


def test_roman_numerals() -> None:
    assert [roman_to_int(x) for x in ("i", "iv", "IX", "xvii", "XL", "q")] == [
        1,
        4,
        9,
        17,
        40,
        None,
    ]


def test_find_quote_tolerates_whitespace_and_quote_styles() -> None:
    passage = "The council said \u201cno more delays\u201d \u2014 again."
    assert find_quote(passage, "council said") == (4, 16)
    span = find_quote(passage, 'said  "no more delays" - again')
    assert span is not None
    start, end = span
    assert passage[start:end] == "said \u201cno more delays\u201d \u2014 again"
    assert find_quote(passage, "never said") is None


words = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu")), min_size=1, max_size=8)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(words, min_size=1, max_size=8), min_size=1, max_size=5), st.data())
def test_marker_positions_round_trip(paragraphs, data) -> None:
    notes, body, number = [], [], 0
    for words_ in paragraphs:
        parts = []
        for word in words_:
            parts.append(word)
            if data.draw(st.booleans()):
                number += 1
                style = data.draw(st.sampled_from(["[{n}]", "[^{n}]", "^{n}", "roman"]))
                roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
                parts[-1] += (
                    f"[{roman[(number - 1) % 10]}]"
                    if style == "roman" and number <= 10
                    else (style.format(n=number) if style != "roman" else f"[{number}]")
                )
                notes.append(f'[{number}] Author {number}, "Work {number}," 2020.')
        body.append(" ".join(parts))
    text = "Title\n\n" + "\n\n".join(body) + ("\n\n" + "\n\n".join(notes) if notes else "") + "\n"
    article = parse_article(text)
    assert len(article.markers) == number
    for marker in article.markers:
        written = article.text[marker.start : marker.end]
        assert marker.label in written
        passage = article.passages[marker.passage - 1]
        assert passage.start <= marker.start < marker.end <= passage.end
    for passage in article.passages:
        assert article.text[passage.start : passage.end] == passage.text


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(alphabet='[]^ivx0123 \n."“Ibid<p>sup/', max_size=300),
        st.text(max_size=200),
    )
)
def test_fuzzed_input_never_raises_anything_else(raw) -> None:
    try:
        parse_article(raw)
    except ArticleError as exc:
        assert "\n" not in str(exc)
