"""Turn an article (plain text, Markdown or HTML) into addressable parts: a title, numbered body
passages with character spans, note markers with their positions, the notes list parsed into
citations (``Ibid.`` resolved to the work before it), citations of one work grouped as a source,
and page furniture kept visibly as skipped text.

Everything indexes into ``ParsedArticle.text``: the document with newlines normalised (for HTML,
the text of its blocks), so ``text[m.start:m.end]`` is each marker as written.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .article_html import html_to_text

Format = Literal["text", "markdown", "html"]


class ArticleError(ValueError):
    """An article that cannot be imported; the message starts with ``LINE:COLUMN:`` where it can."""


@dataclass(frozen=True)
class Marker:
    label: str
    """As written: ``iv``, ``XVII``, ``1``."""
    number: int
    """The note it refers to."""
    start: int
    end: int
    passage: int


@dataclass(frozen=True)
class Passage:
    number: int
    start: int
    end: int
    text: str
    markers: list[Marker] = field(default_factory=list)


@dataclass(frozen=True)
class Citation:
    number: int
    label: str
    text: str
    ibid: bool
    resolves_to: int
    """The number of the citation whose work this is (itself unless Ibid or a short form)."""
    work_key: str


@dataclass(frozen=True)
class Work:
    key: str
    title: str
    count: int
    """How many markers in the body cite it."""
    citation_numbers: list[int]


@dataclass(frozen=True)
class Skipped:
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    text: str
    format: str
    passages: list[Passage]
    markers: list[Marker]
    citations: list[Citation]
    works: list[Work]
    skipped: list[Skipped]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_LABEL = r"(?:\d{1,3}|[ivxlcdm]{1,8}|[IVXLCDM]{1,8})"
MARKER = re.compile(rf"\[\^?({_LABEL})\]|\^(\d{{1,3}})\b|<sup>\s*({_LABEL})\s*</sup>")
UNBALANCED = re.compile(rf"\[\^?({_LABEL})(?=[\s.,;:]|$)")
NOTE_LINE = re.compile(
    rf"^\s*(?:\[\^?({_LABEL})\]:?|\^(\d{{1,3}})[.:)]?|({_LABEL})\.\s)\s*(.*)$", re.S
)
NOTES_HEADING = re.compile(r"^\W*(notes|endnotes|footnotes|references|sources)\W*$", re.I)
IBID = re.compile(r"^\W*(ibid|ibidem|id)\b\.?", re.I)
DOUBLE_QUOTES = '“”„"'
SINGLE_QUOTES = "‘’'"
FURNITURE = [
    (re.compile(r"photo credit|image credit|photograph:|\(photo:", re.I), "photo credit"),
    (
        re.compile(
            r"^leave a (reply|comment)|cancel reply|post comment|comment data is processed|"
            r"akismet|you must be logged in|^\s*(name|email|website)\s*\*?\s*$",
            re.I,
        ),
        "comment form",
    ),
    (re.compile(r"^share (this|on)\b|^(tweet|like this:?)$|^click to share", re.I), "sharing"),
    (
        re.compile(r"^(posted|filed) (in|under|on)\b|^tags?:|^related( posts| articles)?:?$", re.I),
        "page furniture",
    ),
]


def roman_to_int(label: str) -> int | None:
    text = label.lower()
    if not text or any(ch not in ROMAN for ch in text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = ROMAN[ch]
        total += -value if i + 1 < len(text) and ROMAN[text[i + 1]] > value else value
    return total


def label_number(label: str) -> int | None:
    return int(label) if label.isdigit() else roman_to_int(label)


def decode(raw: bytes | str, where: str = "file") -> str:
    if isinstance(raw, bytes):
        if b"\x00" in raw[:65536] or b"\x00" in raw:
            raise ArticleError(f"1:1: {where} is not text (it contains NUL bytes)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ArticleError(f"{line}:1: {where} is not UTF-8 text (byte {exc.start})") from None
    else:
        text = raw
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ArticleError(f"1:1: {where} is not text (it contains NUL characters)")
    if not text.strip():
        raise ArticleError("1:1: the file is empty (an article needs a title and paragraphs)")
    return text


def detect_format(text: str, filename: str | None) -> Format:
    name = (filename or "").lower()
    if name.endswith((".html", ".htm")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    head = text.lstrip()[:200].lower()
    if head.startswith(("<!doctype html", "<html")) or ("<p>" in head and "</" in text):
        return "html"
    return "text"


def position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{column}"


def _blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of non-blank lines, stripped."""
    spans = []
    for match in re.finditer(r"[^\n]+(?:\n[ \t]*[^\s\n][^\n]*)*", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


def _furniture(block: str) -> str | None:
    for pattern, reason in FURNITURE:
        if pattern.search(block) and len(block) < 400:
            return reason
    return None


def _note_lines(text: str, start: int, end: int) -> list[tuple[str, int, str]]:
    """Split a notes block into (label, offset, text) notes; continuation lines join the note."""
    notes: list[tuple[str, int, str]] = []
    offset = start
    for line in text[start:end].split("\n"):
        match = NOTE_LINE.match(line)
        label = next((g for g in match.groups()[:3] if g), None) if match else None
        if match and label and label_number(label):
            notes.append((label, offset, match.group(4).strip()))
        elif notes and line.strip():
            label_, at, body = notes[-1]
            notes[-1] = (label_, at, f"{body} {line.strip()}".strip())
        offset += len(line) + 1
    return notes


def _is_note_block(text: str, start: int, end: int) -> bool:
    first = text[start:end].split("\n", 1)[0]
    match = NOTE_LINE.match(first)
    if not match:
        return False
    label = next((g for g in match.groups()[:3] if g), None)
    return bool(label and label_number(label)) and not MARKER.fullmatch(first.strip())


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _closing_quote(text: str, at: int, opener: str) -> int | None:
    """Where the quote opened just before ``at`` closes: the next double quote mark of any style
    for a double opener; for a single one, the next single mark that is not an apostrophe (one
    inside a word, as in ``State’s``, or after a space)."""
    for i in range(at, len(text)):
        ch = text[i]
        if opener in DOUBLE_QUOTES and ch in DOUBLE_QUOTES:
            return i
        if opener in SINGLE_QUOTES and ch in SINGLE_QUOTES:
            after = text[i + 1] if i + 1 < len(text) else " "
            if i > at and not text[i - 1].isspace() and not after.isalnum():
                return i
    return None


def _work_title(text: str) -> str | None:
    """The first quoted title in a note, inside typographic (“…”, ‘…’) or plain ("…", '…') quotes.

    Apostrophes (``Islamic State’s``, ``O'Brien``) neither open nor close a title, and quotes
    inside a double-quoted title (“’They Are Livid’: …”) stay part of it."""
    for i, ch in enumerate(text):
        if ch not in DOUBLE_QUOTES and ch not in SINGLE_QUOTES:
            continue
        if ch in "”’" or (ch in SINGLE_QUOTES and i > 0 and text[i - 1].isalnum()):
            continue  # a closing mark or an apostrophe cannot open a title
        end = _closing_quote(text, i + 1, ch)
        if end is None:
            continue
        title = text[i + 1 : end].strip().rstrip(",.;:").strip()
        if any(c.isalnum() for c in title):
            return title
    return None


def parse_article(
    raw: bytes | str,
    *,
    fmt: Format | None = None,
    title: str | None = None,
    filename: str | None = None,
) -> ParsedArticle:
    """Parse an article; raises ``ArticleError`` (one line, with line:column) on bad input."""
    source = decode(raw, filename or "file")
    kind = fmt or detect_format(source, filename)
    text = html_to_text(source) if kind == "html" else source
    if not text.strip():
        raise ArticleError("1:1: the document has no text")
    blocks = _blocks(text)
    skipped: list[Skipped] = []
    first = blocks[0]
    doc_title = title.strip() if title else text[first[0] : first[1]].lstrip("#").strip()
    body_blocks = (
        blocks[1:]
        if not title or text[first[0] : first[1]].lstrip("# ").strip() == doc_title
        else blocks
    )
    if title and body_blocks is blocks and text[first[0] : first[1]].startswith("#"):
        skipped.append(Skipped(first[0], first[1], text[first[0] : first[1]], "heading"))
        body_blocks = blocks[1:]

    # the notes list: from the first note definition (or a Notes heading) that only notes,
    # furniture and blank lines follow
    first_note: int | None = None
    for i in range(len(body_blocks) - 1, -1, -1):
        start, end = body_blocks[i]
        block = text[start:end]
        if _is_note_block(text, start, end) or NOTES_HEADING.match(block):
            first_note = i
        elif not _furniture(block):
            break
    notes_from = first_note if first_note is not None else len(body_blocks)
    notes: list[tuple[str, int, str]] = []
    passages: list[Passage] = []
    for i, (start, end) in enumerate(body_blocks):
        block = text[start:end]
        if i >= notes_from:
            if _is_note_block(text, start, end):
                notes.extend(_note_lines(text, start, end))
            elif NOTES_HEADING.match(block):
                skipped.append(Skipped(start, end, block, "notes heading"))
            else:
                skipped.append(Skipped(start, end, block, _furniture(block) or "after the notes"))
            continue
        reason = _furniture(block)
        if reason is None and re.match(r"^#{1,6}\s", block):
            reason = "heading"
        if reason:
            skipped.append(Skipped(start, end, block, reason))
            continue
        passages.append(Passage(len(passages) + 1, start, end, block))

    citations = _citations(notes, text)
    numbers = {c.number for c in citations}
    markers: list[Marker] = []
    final_passages = []
    for passage in passages:
        found = []
        for match in MARKER.finditer(text, passage.start, passage.end):
            label = next(g for g in match.groups() if g)
            number = label_number(label)
            if number is None:
                continue
            if number not in numbers:
                if label.isdigit() and not citations and match.group(0).startswith("["):
                    # "[3]" in an article with no notes at all: a dangling reference
                    raise ArticleError(
                        f"{position(text, match.start())}: marker {match.group(0)} has no note "
                        "(no notes list found at the end)"
                    )
                if not citations:
                    continue
                raise ArticleError(
                    f"{position(text, match.start())}: marker {match.group(0)} has no note "
                    f"(the notes list has {len(citations)})"
                )
            found.append(Marker(label, number, match.start(), match.end(), passage.number))
        if citations:
            for match in UNBALANCED.finditer(text, passage.start, passage.end):
                if label_number(match.group(1)) in numbers and not text.startswith(
                    "]", match.end()
                ):
                    raise ArticleError(
                        f"{position(text, match.start())}: marker {match.group(0)!r} is not closed "
                        "(write it as [n])"
                    )
        markers.extend(found)
        final_passages.append(
            Passage(passage.number, passage.start, passage.end, passage.text, found)
        )
    if not final_passages:
        raise ArticleError("1:1: no body paragraphs found (an article needs paragraphs of text)")
    cited = {m.number for m in markers}
    warnings = [
        f"note {c.label} is not cited in the text" for c in citations if c.number not in cited
    ]
    return ParsedArticle(
        doc_title[:300],
        text,
        kind,
        final_passages,
        markers,
        citations,
        _works(citations, markers),
        skipped,
        warnings,
    )


def _citations(notes: list[tuple[str, int, str]], text: str) -> list[Citation]:
    citations: list[Citation] = []
    keys: dict[int, str] = {}
    titles: list[tuple[str, str, int]] = []  # (normalised title, key, number)
    seen: set[int] = set()
    for ordinal, (label, offset, body) in enumerate(notes, start=1):
        number = label_number(label) or ordinal
        if number in seen:
            raise ArticleError(
                f"{position(text, offset)}: note [{label}] appears twice in the notes list"
            )
        seen.add(number)
        if IBID.match(body) and citations:
            previous = citations[-1]
            citations.append(
                Citation(number, label, body, True, previous.resolves_to, previous.work_key)
            )
            continue
        quoted = _work_title(body)
        resolves_to, key = number, None
        if quoted:
            short = _normal(quoted)
            for full, earlier_key, earlier_number in titles:
                if short and (full == short or full.startswith(short)):
                    key, resolves_to = earlier_key, earlier_number
                    break
            if key is None:
                key = short[:80] or _normal(body)[:80]
                titles.append((short, key, number))
        else:
            key = _normal(body)[:80] or f"note-{number}"
        keys[number] = key
        citations.append(Citation(number, label, body, False, resolves_to, key))
    return citations


def _works(citations: list[Citation], markers: list[Marker]) -> list[Work]:
    by_key: dict[str, list[Citation]] = {}
    for citation in citations:
        by_key.setdefault(citation.work_key, []).append(citation)
    cite_key = {c.number: c.work_key for c in citations}
    counts: dict[str, int] = {}
    for marker in markers:
        key = cite_key[marker.number]
        counts[key] = counts.get(key, 0) + 1
    works = []
    for key, group in by_key.items():
        principal = next((c for c in group if not c.ibid), group[0])
        title = _work_title(principal.text) or principal.text
        works.append(Work(key, title, counts.get(key, 0), [c.number for c in group]))
    return sorted(works, key=lambda w: (-w.count, w.key))


def _quote_pattern(quote: str) -> re.Pattern[str]:
    parts: list[str] = []
    for ch in quote.strip():
        if ch.isspace():
            if not parts or parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif ch in '"“”':
            parts.append('["“”]')
        elif ch in "'‘’":
            parts.append("['‘’]")
        elif ch in "-–—":
            parts.append("[-–—]")
        else:
            parts.append(re.escape(ch))
    return re.compile("".join(parts))


def find_quote(passage_text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` occurs in a passage: exactly, else ignoring whitespace runs and the style of
    quote marks and dashes. Offsets are into ``passage_text``."""
    quote = quote.strip()
    if not quote:
        return None
    at = passage_text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    match = _quote_pattern(quote).search(passage_text)
    return (match.start(), match.end()) if match else None
