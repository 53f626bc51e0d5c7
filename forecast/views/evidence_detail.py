"""What the question screen's detail pane shows of one evidence item, and the one convention for
"what this item does" that the question and sensitivity screens share.

**Δ from the item** = the headline probability with every item − the same probability without
this one (leave-one-out): positive when the item raised it. The headline probability is P(Yes) for
a binary question and P(leading outcome) for a multi-outcome one, on both screens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlite_utils import Database

from arguments.evidence import Evidence
from questions.models import Question
from questions.workspace import has_table

EFFECT_LEGEND = "Δ = P with the item − P without it (leave-one-out)"


def headline_index(question: Question, leader: int) -> int:
    """The outcome whose probability the screens headline: Yes for binary, else the leader."""
    return 0 if question.kind == "binary" else int(leader)


def headline_label(question: Question, leader: int) -> str:
    j = headline_index(question, leader)
    return "P(Yes)" if question.kind == "binary" else f"P({question.outcomes[j].name[:12]})"


def item_effects(posterior: np.ndarray, posterior_without: np.ndarray, j: int) -> list[float]:
    """Δ from each item on outcome ``j``: P with all items − P without the item."""
    if not len(posterior_without):
        return []
    return (float(posterior[j]) - posterior_without[:, j]).tolist()


@dataclass
class ItemDetail:
    """Everything the pane says about an item beyond its row."""

    passage_ref: str = ""
    passage_before: str = ""
    quote: str = ""
    passage_after: str = ""
    citations: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    """The item's comment threads: each thread's first comment, its replies indented under it."""
    threads: list[tuple[int, int, str]] = field(default_factory=list)
    """(comment id, line in ``comments``, body) of each thread's first comment."""


def _likelihood_text(question: Question, values: Any) -> str:
    if not values:
        return "?"
    if question.kind == "binary":
        return f"LR {float(values[0]) / float(values[1] if len(values) > 1 else 1):.3g}"
    return "likelihoods " + ",".join(f"{float(v):.2g}" for v in values)


def item_detail(db: Database, item: Evidence, question: Question) -> ItemDetail:
    """The item's quote in its passage, its citations (``Ibid.`` shown with what it resolves
    to), its history (who changed its likelihoods when), open challenges and comments."""
    detail = ItemDetail()
    if has_table(db, "evidence_citations"):
        row = db.execute(
            "select source_id, passage, quote_start, quote_end from evidence where id = ?",
            [item.id],
        ).fetchone()
        if row is not None and row[0] is not None and row[1] is not None:
            source, passage, lo, hi = row
            found = db.execute(
                "select text from passages where source_id = ? and number = ?", [source, passage]
            ).fetchone()
            if found is not None:
                text = found[0]
                detail.passage_ref = f"S{source}:{passage}"
                if lo is not None and hi is not None:
                    detail.passage_before, detail.quote = text[:lo], text[lo:hi]
                    detail.passage_after = text[hi:]
                else:
                    detail.passage_before = text
        for label, text, ibid, resolved in db.execute(
            "select c.label, c.text, c.ibid, r.text from evidence_citations ec"
            " join citations c on c.source_id = ec.source_id and c.number = ec.citation"
            " left join citations r on r.source_id = c.source_id and r.number = c.resolves_to"
            " where ec.evidence_id = ? order by ec.citation",
            [item.id],
        ):
            shown = f"{text} → {resolved}" if ibid and resolved else text
            detail.citations.append(f"[{label}] {shown}")
    previous: str | None = None
    for version, action, at, by, state in db.execute(
        "select version, action, at, by, state from evidence_history"
        " where question_id = ? and evidence_id = ? order by id",
        [question.id, item.id],
    ):
        values = json.loads(state).get("likelihoods")
        now = _likelihood_text(question, values)
        if previous is None or previous == now:
            change = now
        else:  # "LR 0.5 → 0.75": the name once, both values
            name, _, value = now.partition(" ")
            change = f"{previous} → {value}" if previous.startswith(name + " ") else now
        detail.history.append(f"v{version} {action} by {by} {at[:16].replace('T', ' ')}: {change}")
        previous = now
    if has_table(db, "challenges"):
        for cid, proposer, likelihoods, reason in db.execute(
            "select id, proposer, likelihoods, reason from challenges"
            " where evidence_id = ? and status = 'open' order by id",
            [item.id],
        ):
            proposed = _likelihood_text(question, json.loads(likelihoods))
            detail.challenges.append(f"C{cid} {proposer} proposes {proposed}: {reason}")
        rows = db.execute(
            "select id, parent_id, author, created_at, body, resolved from comments"
            " where question_id = ? and target_kind = 'evidence' and target_id = ? order by id",
            [question.id, item.id],
        ).fetchall()
        detail.comments, detail.threads = thread_lines(rows)
    return detail


def thread_lines(
    rows: list[tuple[int, int | None, str, str, str, int]],
) -> tuple[list[str], list[tuple[int, int, str]]]:
    """Comments (id, parent id, author, created at, body, resolved) in id order as threads: each
    first comment, then its replies (replies to replies too) indented under it, with author and
    time; and (id, line, body) of each thread's first comment."""
    parent = {cid: parent_id for cid, parent_id, *_ in rows}

    def root(cid: int) -> int:
        while parent.get(cid) is not None:
            cid = parent[cid]  # type: ignore[assignment]
        return cid

    replies: dict[int, list[tuple[int, int | None, str, str, str, int]]] = {}
    for row in rows:
        if row[1] is not None:
            replies.setdefault(root(row[0]), []).append(row)
    lines: list[str] = []
    threads: list[tuple[int, int, str]] = []
    for cid, parent_id, author, at, body, resolved in rows:
        if parent_id is not None:
            continue
        threads.append((cid, len(lines), body))
        mark = " (resolved)" if resolved else ""
        lines.append(f"#{cid} {author} {_when(at)}{mark}: {body}")
        for rid, _, rauthor, rat, rbody, _ in replies.get(cid, []):
            lines.append(f"    ↳ #{rid} {rauthor} {_when(rat)}: {rbody}")
    return lines, threads


def _when(at: str) -> str:
    return at[:16].replace("T", " ")
