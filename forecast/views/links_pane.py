"""The question screen's links pane: the question's parents, children and indicators with their
numbers now, and — for a hypothetical outcome of one of them — what every number on the screen
would become (``whatif``; nothing is written)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from forecast.engine.links import indicator_implied, load_details, load_links
from forecast.engine.whatif import interval_after, whatif


@dataclass(frozen=True)
class LinkRow:
    kind: str
    """``condition on`` (a parent), ``conditional`` (a child), ``indicator`` (a question that
    indicates this one), ``indicates`` (a question this one indicates)."""
    question_id: int
    title: str
    outcomes: list[str]
    status: str
    numbers: str


@dataclass(frozen=True)
class Hypothetical:
    assignments: dict[int, str]
    posterior: list[float] | None
    """This question's model posterior if it were so (None: it would not move)."""
    mine: list[float] | None
    """The user's implied forecast of this question if it were so (through a condition)."""
    rows: dict[int, str] = field(default_factory=dict)
    """Linked question -> its numbers if it were so."""
    interval: list[tuple[float, float]] | None = None
    """The 90% interval of each outcome of this question's model if it were so (with
    ``posterior``), from its items' LR ranges."""

    @property
    def label(self) -> str:
        given = ", ".join(f"Q{q} = {o}" for q, o in sorted(self.assignments.items()))
        return f"HYPOTHETICAL if {given} (w: next outcome · escape: drop)"


def _model_text(outcomes: list[str], posterior: Any) -> str:
    if posterior is None:
        return "model –"
    if len(outcomes) == 2 and outcomes[0].lower() == "yes":
        return f"model {posterior[0]:.0%}"
    j = max(range(len(posterior)), key=lambda i: posterior[i])
    return f"{outcomes[j][:14]} {posterior[j]:.0%}"


def link_rows(db: Database, qid: int) -> list[LinkRow]:
    """The linked questions of ``qid`` in a fixed order: parents, children, indicators, indicated."""
    graph = load_links(db)
    found: list[tuple[str, int, str]] = [("condition on", p, "") for p in graph.parents(qid)]
    found += [("conditional", c, "") for c in graph.children(qid)]
    found += [("indicator", i.child, "") for i in graph.indicators if i.parent == qid]
    found += [("indicates", i.parent, "") for i in graph.indicators if i.child == qid]
    if not found:
        return []
    load_details(db, graph, [qid, *(q for _, q, _ in found)])
    rows = []
    for kind, other, _ in found:
        outcomes = graph.outcomes[other]
        if kind == "indicator":
            ind = next(i for i in graph.indicators if i.parent == qid and i.child == other)
            post = graph.model.get(qid)
            numbers = f"implied {indicator_implied(ind.likelihoods, post):.0%}" if post else "–"
        elif kind == "indicates":
            ind = next(i for i in graph.indicators if i.child == qid and i.parent == other)
            numbers = _model_text(outcomes, graph.model.get(other))
        else:
            numbers = _model_text(outcomes, graph.model.get(other))
        status = graph.status[other]
        if other in graph.resolved:
            status = f"resolved {outcomes[graph.resolved[other]]}"
        rows.append(LinkRow(kind, other, graph.titles[other], outcomes, status, numbers))
    return rows


def hypothetical_view(
    db: Database, qid: int, assignments: Mapping[int, str], user: str, rows: list[LinkRow]
) -> Hypothetical:
    """What the screen of ``qid`` would show if ``assignments`` were the outcomes."""
    result = whatif(db, assignments, targets={qid, *(r.question_id for r in rows)})
    by_id = {int(r["id"][1:]): r for r in result["questions"]}
    mine_row = by_id.get(qid)
    posterior = mine_row["model"]["after"] if mine_row else None
    mine = None
    if mine_row and user in mine_row["forecasters"]:
        mine = mine_row["forecasters"][user]["after"]
    after: dict[int, str] = {}
    for row in rows:
        found = by_id.get(row.question_id)
        if found is None:
            continue
        if row.question_id in assignments:
            after[row.question_id] = f"= {assignments[row.question_id]}"
        elif row.kind == "indicator" and f"Q{qid}" in found["implied_by_model"]:
            after[row.question_id] = f"implied {found['implied_by_model'][f'Q{qid}']['after']:.0%}"
        else:
            after[row.question_id] = _model_text(row.outcomes, found["model"]["after"])
    if mine_row is not None and posterior is not None and mine_row["model"]["before"] == posterior:
        posterior = None  # the model of this question does not move
    bounds = interval_after(db, qid, assignments) if posterior is not None else None
    interval = None if bounds is None else [(float(lo), float(hi)) for lo, hi in bounds]
    return Hypothetical(dict(assignments), posterior, mine, after, interval)
