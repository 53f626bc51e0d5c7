"""Imported sources: store a parsed article (passages, markers, citations, works, skipped text)
and read it back; anchor evidence quotes in passages and attach the citations they rest on."""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from questions import clock
from questions.errors import InvalidInput, NotFound
from questions.files import base_name, display_name, read_user_file
from questions.row_ids import row_number
from questions.workspace import write_transaction

if TYPE_CHECKING:
    from .article import ParsedArticle

MAX_ARTICLE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    id: int
    uuid: str
    title: str
    url: str
    published: str | None
    format: str
    imported_at: str
    imported_by: str
    passages: int = 0
    citations: int = 0
    works: int = 0
    skipped: int = 0
    already_present: bool = False

    @property
    def short_id(self) -> str:
        return f"S{self.id}"


@dataclass(frozen=True)
class Anchor:
    """Where an evidence quote sits in a source, and the citations it rests on."""

    source_id: int
    passage: int
    start: int | None
    end: int | None
    quote: str
    citations: list[tuple[int, str, str]] = field(default_factory=list)
    """(citation number, work key, citation text)"""

    @property
    def citation_text(self) -> str:
        """The texts of the citations it rests on, each once, joined with ``; ``."""
        return "; ".join(dict.fromkeys(text for _, _, text in self.citations))


def source_id(db: Database, ref: str | int) -> int:
    number = row_number(str(ref), "S")
    if number is not None and db.execute("select 1 from sources where id = ?", [number]).fetchone():
        return number
    raise NotFound(f"source {ref}: no such source (see `forecastle source list`)")


def work_key(source: int, key: str) -> str:
    """Work keys are per source; prefixing the source id makes them unique in the workspace."""
    return f"S{source}:{key}"


def import_article(
    db: Database,
    path: str | Path,
    *,
    by: str,
    title: str | None = None,
    url: str = "",
    published: str | None = None,
    fmt: str | None = None,
) -> Source:
    """Parse and store an article. The same content imported again returns the stored source."""
    from .article import ArticleError, parse_article

    path = Path(path)
    raw = read_user_file(path, max_bytes=MAX_ARTICLE_BYTES)
    try:
        article = parse_article(raw, fmt=fmt, title=title, filename=base_name(path))  # type: ignore[arg-type]
    except ArticleError as exc:
        raise InvalidInput(f"{display_name(path)}:{exc}") from None
    when = clock.parse_iso(published, field="date") if published else None
    return store_article(
        db, article, by=by, url=url, published=when, filename=base_name(path), raw=raw
    )


def store_article(
    db: Database,
    article: ParsedArticle,
    *,
    by: str,
    url: str = "",
    published: str | None = None,
    filename: str = "",
    raw: bytes | None = None,
) -> Source:
    digest = hashlib.sha256(raw if raw is not None else article.text.encode()).hexdigest()
    row = db.execute("select id from sources where content_hash = ?", [digest]).fetchone()
    if row:
        existing = get_source(db, row[0])
        return Source(**{**existing.__dict__, "already_present": True})
    now = clock.now_iso()
    with write_transaction(db):
        cursor = db.execute(
            "insert into sources (uuid, title, url, published, format, filename, text, content_hash,"
            " imported_at, imported_by) values (?,?,?,?,?,?,?,?,?,?)",
            [
                str(uuidlib.uuid4()),
                article.title,
                url,
                published,
                article.format,
                filename,
                article.text,
                digest,
                now,
                by,
            ],
        )
        sid = int(cursor.lastrowid or 0)
        db.conn.executemany(
            "insert into passages (source_id, number, start, end, text) values (?,?,?,?,?)",
            [(sid, p.number, p.start, p.end, p.text) for p in article.passages],
        )
        db.conn.executemany(
            "insert into note_markers (source_id, position, label, note, start, end, passage)"
            " values (?,?,?,?,?,?,?)",
            [
                (sid, i, m.label, m.number, m.start, m.end, m.passage)
                for i, m in enumerate(article.markers)
            ],
        )
        db.conn.executemany(
            "insert into citations (source_id, number, label, text, ibid, resolves_to, work_key)"
            " values (?,?,?,?,?,?,?)",
            [
                (sid, c.number, c.label, c.text, int(c.ibid), c.resolves_to, c.work_key)
                for c in article.citations
            ],
        )
        db.conn.executemany(
            "insert into works (source_id, key, title, cited) values (?,?,?,?)",
            [(sid, w.key, w.title, w.count) for w in article.works],
        )
        db.conn.executemany(
            "insert into skipped_text (source_id, start, end, text, reason) values (?,?,?,?,?)",
            [(sid, s.start, s.end, s.text, s.reason) for s in article.skipped],
        )
        from .source_match import link_all_typed_sources

        link_all_typed_sources(db)  # typed sources written before the article now name its works
    return get_source(db, sid)


def get_source(db: Database, ref: str | int) -> Source:
    sid = source_id(db, ref)
    row = db.execute(
        "select id, uuid, title, url, published, format, imported_at, imported_by,"
        " (select count(*) from passages where source_id = s.id),"
        " (select count(*) from citations where source_id = s.id),"
        " (select count(*) from works where source_id = s.id),"
        " (select count(*) from skipped_text where source_id = s.id)"
        " from sources s where id = ?",
        [sid],
    ).fetchone()
    return Source(*row)


def list_sources(db: Database) -> list[Source]:
    return [get_source(db, sid) for (sid,) in db.execute("select id from sources order by id")]


def source_detail(db: Database, ref: str | int) -> dict[str, Any]:
    """Everything about a source: passages with their markers, citations, works, skipped text."""
    source = get_source(db, ref)
    sid = source.id
    markers: dict[int, list[dict[str, Any]]] = {}
    for label, note, start, end, passage in db.execute(
        "select label, note, start, end, passage from note_markers where source_id = ? order by position",
        [sid],
    ):
        markers.setdefault(passage or 0, []).append(
            {"label": label, "note": note, "start": start, "end": end}
        )
    return {
        "id": source.short_id,
        "uuid": source.uuid,
        "title": source.title,
        "url": source.url,
        "published": source.published,
        "format": source.format,
        "imported_at": source.imported_at,
        "imported_by": source.imported_by,
        "passages": [
            {"number": n, "start": s, "end": e, "text": t, "markers": markers.get(n, [])}
            for n, s, e, t in db.execute(
                "select number, start, end, text from passages where source_id = ? order by number",
                [sid],
            )
        ],
        "citations": [
            {
                "number": n,
                "label": label,
                "text": t,
                "ibid": bool(ibid),
                "resolves_to": to,
                "work": key,
            }
            for n, label, t, ibid, to, key in db.execute(
                "select number, label, text, ibid, resolves_to, work_key from citations"
                " where source_id = ? order by number",
                [sid],
            )
        ],
        "sources": [
            {"key": key, "title": title, "cited": cited}
            for key, title, cited in db.execute(
                "select key, title, cited from works where source_id = ? order by cited desc, key",
                [sid],
            )
        ],
        "skipped": [
            {"start": s, "end": e, "text": t, "reason": r}
            for s, e, t, r in db.execute(
                "select start, end, text, reason from skipped_text where source_id = ? order by start",
                [sid],
            )
        ],
    }


def passage_text(db: Database, source: int, number: int) -> tuple[int, str]:
    row = db.execute(
        "select start, text from passages where source_id = ? and number = ?", [source, number]
    ).fetchone()
    if row is None:
        count = db.execute(
            "select count(*) from passages where source_id = ?", [source]
        ).fetchone()[0]
        raise InvalidInput(
            f"passage: S{source}:{number} does not exist (S{source} has passages 1..{count})"
        )
    return row[0], row[1]


def anchor_quote(db: Database, ref: str, quote: str | None) -> Anchor:
    """Resolve ``SID:N`` and an optional quote to an anchor with the citations in that span."""
    head, _, tail = ref.partition(":")
    number = row_number(tail)
    if number is None:
        raise InvalidInput(f"passage: {ref!r} is not SOURCE:PASSAGE (e.g. S1:4)")
    sid = source_id(db, head)
    from .article import find_quote
    from .sentences import covering_span

    start, text = passage_text(db, sid, number)
    span: tuple[int, int] | None = None
    if quote:
        span = find_quote(text, quote)
        if span is None:
            raise InvalidInput(f"quote: {quote[:60]!r} does not occur in passage S{sid}:{number}")
    markers = [
        (m_start - start, m_end - start)
        for m_start, m_end in db.execute(
            "select start, end from note_markers where source_id = ? and passage = ?",
            [sid, number],
        )
    ]
    if span:
        # A quote rests on the markers that close the sentences it reaches into (a marker after
        # a closing quote or a space still closes the sentence before it), and on those in the
        # quoted words themselves.
        lo, hi = covering_span(text, span[0], span[1], markers)
    else:
        lo, hi = 0, len(text)
    rows = db.execute(
        "select m.note, c.work_key, coalesce(p.text, c.text) from note_markers m"
        " join citations c on c.source_id = m.source_id and c.number = m.note"
        # Ibid. and short forms read as the full citation they stand for
        " left join citations p on p.source_id = c.source_id and p.number = c.resolves_to"
        " where m.source_id = ? and m.passage = ? and m.start >= ? and m.start < ? order by m.start",
        [sid, number, start + lo, start + hi],
    ).fetchall()
    citations = list(dict.fromkeys((n, work_key(sid, key), t) for n, key, t in rows))
    return Anchor(
        sid,
        number,
        span[0] if span else None,
        span[1] if span else None,
        text[span[0] : span[1]] if span else "",
        citations,
    )


def attach_anchor(db: Database, evidence: int, anchor: Anchor) -> None:
    """Record an item's place in its source and the citations it rests on (in place of any it
    rested on before, such as a known work its typed source named)."""
    with write_transaction(db):
        db.execute("delete from evidence_citations where evidence_id = ?", [evidence])
        db.execute(
            "update evidence set source_id = ?, passage = ?, quote_start = ?, quote_end = ? where id = ?",
            [anchor.source_id, anchor.passage, anchor.start, anchor.end, evidence],
        )
        db.conn.executemany(
            "insert or ignore into evidence_citations (evidence_id, source_id, citation, work_key) values (?,?,?,?)",
            [(evidence, anchor.source_id, n, key) for n, key, _ in anchor.citations],
        )
