"""Sentences of a passage, with the note markers that close them.

A note marker belongs to the sentence it closes: ``forces.”[XIII]  President`` ends the sentence
after ``[XIII]`` (across the closing quote), and ``members. [XI] Worried`` after ``[XI]`` (across
the space). A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets
after it) when the next word starts a sentence: a capital, a digit, an opening quote or bracket, or
the end of the passage. A full stop after a known abbreviation (``Mr.``, ``U.S.``, ``e.g.``) or a
single initial (``George W. Bush``) does not end a sentence unless a note marker follows it.

Spans are ``(start, end)`` offsets into the text: ``end`` is just past the sentence's last
terminator, closing quote or marker; the whitespace between sentences belongs to neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

TERMINATOR = re.compile(r"[.!?…]+")
CLOSERS = "”’\"')]»"
OPENERS = "“‘\"'([«"
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st gen col lt sgt capt cmdr adm maj sen rep gov pres jr sr rev hon
    vs etc al fig figs vol vols pp ed eds approx dept est inc ltd co corp bros
    jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n u.s.a e.u""".split()
)

NUMBER_WORDS = frozenset({"no", "nos"})


def default_markers(text: str) -> list[tuple[int, int]]:
    """Note markers as the article parser recognises them (``[1]``, ``[iv]``, ``^2``, ``[^3]``)."""
    from .article import MARKER

    return [(m.start(), m.end()) for m in MARKER.finditer(text)]


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` closes an abbreviation or an initial."""
    word = re.search(r"[\w.]*$", text[:dot])
    token = word.group(0).lower() if word else ""
    if not token:
        return False
    if len(token) == 1 and token.isalpha():
        return token != "i"  # an initial ("W. Bush"), but not the word "I"
    if token in NUMBER_WORDS:  # "No. 5", not "the answer was no."
        following = text[dot + 1 : dot + 3].strip()
        return following[:1].isdigit()
    return token in ABBREVIATIONS or token.rstrip(".") in ABBREVIATIONS


def sentence_spans(
    text: str, markers: Iterable[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The sentences of ``text`` as ``(start, end)`` spans, each ending after the note markers
    that close it. ``markers`` are the marker spans in ``text`` (default: found by the parser's
    pattern)."""
    spans_of_markers = sorted(default_markers(text) if markers is None else markers)
    marker_at = {start: end for start, end in spans_of_markers}
    inside = [False] * (len(text) + 1)
    for start, end in spans_of_markers:
        for i in range(start, min(end, len(text))):
            inside[i] = True
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in TERMINATOR.finditer(text):
        if match.start() < start or inside[match.start()]:
            continue
        end = match.end()
        while end < len(text) and text[end] in CLOSERS:
            end += 1
        closed_by_marker = False
        probe = end
        while True:
            at = _skip_space(text, probe)
            if at in marker_at:
                end = probe = marker_at[at]
                closed_by_marker = True
                while end < len(text) and text[end] in CLOSERS:
                    end = probe = end + 1
            else:
                break
        following = _skip_space(text, end)
        if following < len(text):
            if not closed_by_marker and following == end:
                continue  # "3.5", "e.g.x": no space after the stop
            nxt = text[following]
            if nxt.islower():
                continue
            if not (nxt.isupper() or nxt.isdigit() or nxt in OPENERS or following in marker_at):
                continue
            if (
                not closed_by_marker
                and match.group(0) == "."
                and _is_abbreviation(text, match.start())
            ):
                continue
        spans.append((start, end))
        start = following
    if start < len(text) and text[start:].strip():
        end = len(text.rstrip())
        spans.append((start, end))
    return spans


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def sentences(text: str, markers: Iterable[tuple[int, int]] | None = None) -> list[str]:
    """The text of each sentence (see ``sentence_spans``)."""
    return [text[a:b] for a, b in sentence_spans(text, markers)]


def covering_span(
    text: str,
    lo: int,
    hi: int,
    markers: Sequence[tuple[int, int]] | None = None,
) -> tuple[int, int]:
    """The stretch of ``text`` whose note markers a quote at ``[lo, hi)`` rests on: the markers in
    the quote, and the first markers after it, up to the end of the last sentence it reaches into.

    So a quote rests on the marker that closes its sentence (``... leaders.[XIV]``, however much of
    the sentence it quotes), or on a marker that closes its clause first (``the spring budget [3],
    but ...``), never on the next sentence's. A sentence the quote only touches with markers,
    quotes, punctuation or spaces (a selection that starts with the previous sentence's
    ``[XIII]``) does not count: the stretch then starts where the quote's words do."""
    marks = sorted(default_markers(text) if markers is None else markers)
    chosen = [
        (a, b)
        for a, b in sentence_spans(text, marks)
        if _has_words(text, max(a, lo), min(b, hi), marks)
    ]
    if not chosen:
        return lo, hi
    start, end = max(lo, chosen[0][0]), max(hi, chosen[-1][1])
    following = [(a, b) for a, b in marks if hi <= a < end]
    if following:
        run_end = following[0][1]
        for a, b in following[1:]:  # [1][2] or [1], [2]: one run
            if text[run_end:a].strip(" ,;\t\n"):
                break
            run_end = b
        end = run_end
    return start, end


def _has_words(text: str, lo: int, hi: int, markers: Sequence[tuple[int, int]]) -> bool:
    if lo >= hi:
        return False
    chars = list(text[lo:hi])
    for start, end in markers:
        for i in range(max(start, lo), min(end, hi)):
            chars[i - lo] = " "
    return any(ch.isalnum() for ch in chars)
