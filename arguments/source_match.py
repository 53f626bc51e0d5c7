"""Typed sources matched to the works the workspace knows.

An evidence item not anchored to a passage names its source as text (the evidence dialog's source
field, ``evidence add --source``). When that text names a work cited by an imported article, the
item rests on that work as an anchored item would (a row in ``evidence_citations``), so items
resting on one work are flagged as possible double counting however they were entered.

Texts are compared normalised (lower case, punctuation and quote styles ignored, spaces
collapsed). A typed source names a work when it is the work's title or one of its citations, when
it contains one of them (a reference typed with more around it, or several joined with ``;``), or
when it is the start of the title, at least three words long (a short form such as "Averting an
ISIS Resurgence"). Items anchored to a passage keep the citations of their passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from .source_store import work_key

MIN_WORDS = 3
"""A contained title or a short form must be at least this many words (or the whole text)."""


def normalise(text: str) -> str:
    """Lower case, every punctuation mark and quote style a space, spaces collapsed."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


@dataclass(frozen=True)
class KnownWork:
    """A work an imported source cites."""

    source_id: int
    key: str
    """The work's key within its source (``work_key`` makes it workspace-wide)."""
    title: str
    citation: int
    """The number of the work's first full citation."""
    citation_text: str
    cited: int
    texts: tuple[str, ...]
    """Normalised: the title and the text of each full (not Ibid.) citation of the work."""

    @property
    def workspace_key(self) -> str:
        return work_key(self.source_id, self.key)

    @property
    def label(self) -> str:
        return f"S{self.source_id} · {self.title}"


def known_works(db: Database) -> list[KnownWork]:
    """Every work cited by an imported source, most cited first."""
    texts: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for sid, number, text, key in db.execute(
        "select source_id, number, text, work_key from citations where ibid = 0 order by source_id, number"
    ):
        texts.setdefault((sid, key), []).append((number, text))
    works = []
    for sid, key, title, cited in db.execute(
        "select source_id, key, title, cited from works order by source_id, cited desc, key"
    ):
        full = texts.get((sid, key), [])
        if not full:
            continue
        number, citation_text = full[0]
        normalised = (normalise(title), *(normalise(text) for _, text in full))
        works.append(
            KnownWork(
                sid,
                key,
                title,
                number,
                citation_text,
                cited,
                tuple(t for t in dict.fromkeys(normalised) if t),
            )
        )
    return works


def _names(typed: str, text: str) -> bool:
    if typed == text:
        return True
    if len(text.split()) >= MIN_WORDS and f" {text} " in f" {typed} ":
        return True
    return len(typed.split()) >= MIN_WORDS and text.startswith(typed + " ")


def match_works(typed: str, works: list[KnownWork]) -> list[KnownWork]:
    """The known works a typed source names (see the module's doc), in the order given."""
    wanted = normalise(typed)
    if not wanted:
        return []
    return [work for work in works if any(_names(wanted, text) for text in work.texts)]


def link_typed_source(db: Database, evidence: int, works: list[KnownWork] | None = None) -> None:
    """Make an unanchored item rest on the known works its typed source names (replacing what it
    rested on before); an item anchored to a passage is left as it is. Call inside the write."""
    row = db.execute("select source, passage from evidence where id = ?", [evidence]).fetchone()
    if row is None or row[1] is not None:
        return
    db.execute("delete from evidence_citations where evidence_id = ?", [evidence])
    matched = match_works(row[0] or "", known_works(db) if works is None else works)
    db.conn.executemany(
        "insert or ignore into evidence_citations (evidence_id, source_id, citation, work_key)"
        " values (?,?,?,?)",
        [(evidence, w.source_id, w.citation, w.workspace_key) for w in matched],
    )


def link_all_typed_sources(db: Database) -> int:
    """After an import: match every unanchored item with a typed source again. Returns how many
    items now rest on a known work."""
    works = known_works(db)
    ids = [
        eid
        for (eid,) in db.execute(
            "select id from evidence where passage is null and source != '' order by id"
        )
    ]
    for eid in ids:
        link_typed_source(db, eid, works)
    if not ids:
        return 0
    return int(
        db.execute(
            "select count(distinct c.evidence_id) from evidence_citations c"
            " join evidence e on e.id = c.evidence_id where e.passage is null"
        ).fetchone()[0]
    )
