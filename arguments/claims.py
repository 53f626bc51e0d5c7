"""Claim marks: the sentences of a source that carry something forecastable.

Each sentence (split by ``arguments.sentences``, which keeps a note marker with the sentence it
closes) is read for four kinds of cue; a sentence gets at most one mark per kind, whose ``cue`` is
the first match (for a claim, a word of estimative probability wins over a bare modal):

- ``claim``: a hedged or predictive statement: the modals ``could``, ``may``, ``might``, ``will``,
  ``would``, ``should``; ``likely``/``unlikely`` and their kin (``is likely to``, ``would likely``,
  ``seems unlikely``, ``almost certainly``, ``probably``); ``possible``/``possibly``, ``expected
  to``, ``poised to``, ``on track to``, ``threatens to``, ``risk of``.
- ``conditional``: ``if``/``even if``/``unless``/``in the event that``/``provided that``, and a
  consequence named by ``(could|would|will|may|might) (result in|lead to|trigger|cause)``.
- ``quantity``: a number with a unit (``750 kilograms``, ``30 percent``, ``$5 million``) or a
  count (``over 100 protestors``, ``up to 1,000 Sunnis``, ``four US soldiers``), with its
  qualifier (``over``, ``up to``, ``at least``, ``nearly``, ...). A bare four-digit year is a date.
- ``date``: a month (``in mid-January``, ``September``), a year (``by 2021``), ``by the end of``,
  ``next``/``this`` year/month/week, ``within 6 months``, ``deadline``.

Words of estimative probability are shown with the range they conventionally stand for: the
ranges of ICD 203, *Analytic Standards* (Office of the Director of National Intelligence, 2015,
section D.6.e(2)(a)), and, for the terms ICD 203 does not list, Sherman Kent, "Words of Estimative
Probability", *Studies in Intelligence* 8(4), 1964. Hedges without a convention (``could``,
``may``, ``possible``) have no range: they say something might happen, not how likely it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from .sentences import sentence_spans

KINDS = ("claim", "conditional", "quantity", "date")


@dataclass(frozen=True)
class Estimative:
    """A word of estimative probability and the probability range it conventionally means."""

    term: str
    low: float
    high: float
    scale: str

    def label(self) -> str:
        return f"{self.term}: {self.low:.0%}–{self.high:.0%} ({self.scale})"


# (pattern, canonical term, low, high, scale). Longest phrases first: "almost certainly not"
# before "almost certainly", "very unlikely" before "unlikely" before "likely".
_ESTIMATIVE: list[tuple[str, str, float, float, str]] = [
    (r"almost certainly not", "almost certainly not", 0.02, 0.12, "Kent 1964"),
    (
        r"almost no chance|remote(?:ly)? (?:chance|possibility)",
        "almost no chance",
        0.01,
        0.05,
        "ICD 203",
    ),
    (r"(?:very|highly) (?:unlikely|improbable)", "very unlikely", 0.05, 0.20, "ICD 203"),
    (r"probably not", "probably not", 0.20, 0.40, "Kent 1964"),
    (r"unlikely|improbable", "unlikely", 0.20, 0.45, "ICD 203"),
    (
        r"(?:roughly |about )?even (?:chance|odds)|chances about even",
        "roughly even chance",
        0.45,
        0.55,
        "ICD 203",
    ),
    (r"(?:very|highly) (?:likely|probable)", "very likely", 0.80, 0.95, "ICD 203"),
    (
        r"almost certain(?:ly)?|nearly certain(?:ly)?|virtually certain",
        "almost certain",
        0.95,
        0.99,
        "ICD 203",
    ),
    (r"likely|probable|probably", "likely", 0.55, 0.80, "ICD 203"),
]
ESTIMATIVE = [
    (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), Estimative(term, low, high, scale))
    for pattern, term, low, high, scale in _ESTIMATIVE
]

_HEDGES = re.compile(
    r"\b(?:could|may|might|will|would|should|possib(?:le|ly)|expected to|poised to|on track to"
    r"|threatens? to|risk of|seems? to|appears? to)\b",
    re.IGNORECASE,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_CONDITIONALS = re.compile(
    r"\b(?:(?:even )?(?<!as )if|unless|in the event (?:that|of)|provided that)\b"
    r"|\b(?:could|would|will|may|might) (?:also )?(?:result in|lead to|trigger|cause)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty"
    "|fifty|sixty|seventy|eighty|ninety|a hundred|hundreds|a thousand|thousands|dozens|a dozen"
    "|millions"
)
_UNITS = (
    r"%|percent|per cent|kilograms?|kg|grams?|tons?|tonnes?|km|kilomet(?:er|re)s?|miles?"
    r"|met(?:er|re)s?|barrels?|litres?|liters?|dollars?|euros?|dinars?|billion|million|thousand"
)
_QUANTITY = re.compile(
    r"(?:\b(?:over|more than|up to|at least|at most|nearly|almost|about|around|some|roughly"
    r"|fewer than|less than|approximately|an estimated)\s+)?"
    r"(?:[$€£]\s?)?"
    rf"(?:\b(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\b(?:{_NUMBER_WORDS})\b)"
    rf"(?:\s*(?:{_UNITS})\b|(?:\s+(?:(?-i:[A-Z][\w-]*)|of))?\s+[a-z][a-z-]*s\b)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_DATES = re.compile(
    rf"\b(?:(?:early|mid|late)[- ])?(?:{_MONTHS})\b(?:\s+\d{{1,2}}\b)?(?:,?\s+(?:1[89]|20)\d\d)?"
    r"|\b(?:by|before|until|after|in|since|from|during) (?:(?:early|mid|late)[- ])?(?:1[89]|20)\d\d\b"
    r"|\bby the end of\b|\b(?:next|this|last) (?:year|month|week|decade|spring|summer|autumn"
    r"|fall|winter)\b|\bwithin (?:\d+|a|one|two|three|six|a few) (?:days?|weeks?|months?|years?)\b"
    r"|\bdeadline\b|\b\d{4}-\d{2}-\d{2}\b",
)


@dataclass(frozen=True)
class ClaimMark:
    """One forecastable sentence of a passage, of one kind: ``start``/``end`` are the sentence's
    offsets in the passage, ``cue_start``/``cue_end`` the cue's."""

    passage: int
    start: int
    end: int
    kind: str
    cue: str
    cue_start: int
    cue_end: int
    sentence: str
    estimative: Estimative | None = None
    plain: str = ""
    """The sentence without its note markers (what a proposed question's title starts from)."""

    def as_dict(self, source: str = "") -> dict[str, Any]:
        where = f"{source}:{self.passage}" if source else str(self.passage)
        return {
            "passage": where,
            "span": [self.start, self.end],
            "kind": self.kind,
            "cue": self.cue,
            "cue_span": [self.cue_start, self.cue_end],
            "sentence": self.sentence,
            "range": None
            if self.estimative is None
            else {
                "term": self.estimative.term,
                "low": self.estimative.low,
                "high": self.estimative.high,
                "scale": self.estimative.scale,
            },
        }


def estimative_words(text: str) -> list[tuple[int, int, Estimative]]:
    """Every word of estimative probability in ``text``, longest phrase first where they
    overlap, as (start, end, meaning)."""
    found: list[tuple[int, int, Estimative]] = []
    taken: list[tuple[int, int]] = []
    for pattern, meaning in ESTIMATIVE:
        for match in pattern.finditer(text):
            a, b = match.span()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            found.append((a, b, meaning))
    return sorted(found, key=lambda hit: hit[0])


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with ``spans`` (note markers) replaced by spaces, offsets kept."""
    chars = list(text)
    for a, b in spans:
        for i in range(max(a, 0), min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


def _first_hedge(sentence: str) -> re.Match[str] | None:
    for match in _HEDGES.finditer(sentence):
        word = match.group(0)
        if word == "May" and _is_month(sentence, match.start()):
            continue
        return match
    return None


def _is_month(sentence: str, at: int) -> bool:
    """``May`` capitalised inside a sentence, or followed by a day or a year, is the month."""
    after = sentence[at + 3 : at + 9]
    return at > 0 or bool(re.match(r"\s+\d", after))


def _quantity(sentence: str) -> re.Match[str] | None:
    for match in _QUANTITY.finditer(sentence):
        digits = re.search(r"\d[\d,]*\d|\d", match.group(0))
        if digits and _YEAR.match(digits.group(0)) and not re.search(_UNITS, match.group(0)):
            continue  # "in 2019 elections" is a year, not a count
        return match
    return None


def _date(sentence: str) -> re.Match[str] | None:
    for match in _DATES.finditer(sentence):
        if match.group(0) == "May" and not _is_month(sentence, match.start()):
            continue
        return match
    return None


def sentence_marks(
    passage: int, text: str, start: int, end: int, shown: str | None = None
) -> list[ClaimMark]:
    """The marks of the sentence ``text[start:end]`` (note markers already blanked in ``text``;
    ``shown`` is the passage as written, whose sentence the mark quotes)."""
    sentence = text[start:end]
    quoted = " ".join((text if shown is None else shown)[start:end].split())
    marks: list[ClaimMark] = []

    def add(kind: str, a: int, b: int, estimative: Estimative | None = None) -> None:
        marks.append(
            ClaimMark(
                passage,
                start,
                end,
                kind,
                sentence[a:b].strip(),
                start + a,
                start + b,
                quoted,
                estimative,
                " ".join(sentence.split()),
            )
        )

    words = estimative_words(sentence)
    hedge = _first_hedge(sentence)
    if words:
        a, b, meaning = words[0]
        add("claim", a, b, meaning)
    elif hedge:
        add("claim", *hedge.span())
    for kind, found in (
        ("conditional", _CONDITIONALS.search(sentence)),
        ("quantity", _quantity(sentence)),
        ("date", _date(sentence)),
    ):
        if found:
            add(kind, *found.span())
    return marks


def passage_marks(
    passage: int, text: str, markers: Sequence[tuple[int, int]] = ()
) -> list[ClaimMark]:
    """The marks of one passage, in reading order (by sentence, then kind in ``KINDS`` order).
    ``markers`` are note-marker spans in ``text`` (passage offsets): they close sentences and are
    never read as numbers."""
    plain = _blank(text, markers)
    marks: list[ClaimMark] = []
    for a, b in sentence_spans(text, markers):
        marks += sentence_marks(passage, plain, a, b, text)
    return marks


def conditional_parts(sentence: str) -> tuple[str, str] | None:
    """A conditional sentence as (condition, consequence), or None when it has no if-then shape.

    ``If A, B.`` and ``B if A.`` and ``A could lead to B.`` (also ``result in``, ``trigger``)."""
    text = " ".join(sentence.split()).rstrip(' .!?”"')
    lead = re.match(r"^(?:even )?if\s+(.+?),\s*(?:then\s+)?(.+)$", text, re.IGNORECASE)
    if lead:
        return _tidy(lead.group(1)), _tidy(lead.group(2))
    inner = re.search(r"^(.+?)\s+(?:even )?if\s+(.+)$", text, re.IGNORECASE)
    if inner:
        return _tidy(inner.group(2)), _tidy(inner.group(1))
    leads = re.search(
        r"^(.+?)\s+(?:could|would|will|may|might) (?:also )?(?:result in|lead to|trigger|cause)\s+(.+)$",
        text,
        re.IGNORECASE,
    )
    if leads:
        return _tidy(leads.group(1)), _tidy(leads.group(2))
    return None


def _tidy(part: str) -> str:
    part = part.strip(" ,;")
    return part[:1].upper() + part[1:]


def source_claims(db: Database, ref: str | int) -> tuple[str, list[ClaimMark]]:
    """Every mark of a source's passages, in reading order, with the source's short id."""
    from .source_store import get_source

    source = get_source(db, ref)
    markers: dict[int, list[tuple[int, int]]] = {}
    for passage, start, end in db.execute(
        "select passage, start, end from note_markers where source_id = ? and passage is not null",
        [source.id],
    ):
        markers.setdefault(passage, []).append((start, end))
    marks: list[ClaimMark] = []
    for number, offset, text in db.execute(
        "select number, start, text from passages where source_id = ? order by number",
        [source.id],
    ):
        local = [(a - offset, b - offset) for a, b in markers.get(number, [])]
        marks += passage_marks(number, text, local)
    return source.short_id, marks
