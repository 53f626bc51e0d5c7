"""Linked questions: the math of conditions and indicators, and their data loaded in bulk.

- A forecaster's implied forecast of CHILD through PARENT:
  P(child) = sum_o P(child | parent = o) * P(parent = o), with P(parent) their own standing
  forecast of PARENT (or, as ``model``, PARENT's model posterior).
- Incoherence: direct and implied forecasts that differ by more than a gap in log-odds
  (default 0.5; the setting ``FORECASTLE_INCOHERENCE_LOGODDS``, or ``--incoherence`` on
  ``question show``). For a multi-outcome question the largest gap over its outcomes counts.
- An indicator with likelihoods a_j implies P(indicator = Yes) = sum_j a_j * P_model(j).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from questions.errors import InvalidInput
from questions.records import chunks

INCOHERENCE_LOGODDS = 0.5
INCOHERENCE_SETTING = "FORECASTLE_INCOHERENCE_LOGODDS"
_CLIP = 1e-6

Vector = tuple[float, ...]


def incoherence_threshold(value: float | None = None) -> float:
    """The log-odds gap above which direct and implied forecasts are flagged: ``value`` if given,
    else ``FORECASTLE_INCOHERENCE_LOGODDS``, else 0.5."""
    if value is None:
        text = os.environ.get(INCOHERENCE_SETTING, "").strip()
        if not text:
            return INCOHERENCE_LOGODDS
        try:
            value = float(text)
        except ValueError:
            raise InvalidInput(
                f"{INCOHERENCE_SETTING}: {text!r} is not a number (a log-odds gap > 0)"
            ) from None
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(f"incoherence: {value!r} is not allowed (a log-odds gap > 0)")
    return value


def implied(branches: Sequence[Sequence[float]], parent: Sequence[float]) -> Vector:
    """sum_o parent[o] * branches[o]: the forecast of CHILD implied by one per parent outcome."""
    k = len(branches[0])
    return tuple(
        math.fsum(parent[o] * branches[o][j] for o in range(len(parent))) for j in range(k)
    )


def logit(p: float) -> float:
    p = min(max(p, _CLIP), 1 - _CLIP)
    return math.log(p / (1 - p))


def logodds_gap(direct: Sequence[float], other: Sequence[float]) -> float:
    """The largest |logit(direct_j) - logit(other_j)| over the outcomes."""
    return max(abs(logit(a) - logit(b)) for a, b in zip(direct, other, strict=True))


def indicator_implied(likelihoods: Sequence[float], posterior: Sequence[float]) -> float:
    """P(indicator = Yes) = sum_j a_j * P_model(j)."""
    return math.fsum(a * p for a, p in zip(likelihoods, posterior, strict=True))


def one_hot(position: int, k: int) -> Vector:
    return tuple(1.0 if j == position else 0.0 for j in range(k))


@dataclass(frozen=True)
class IndicatorLink:
    id: int
    parent: int
    child: int
    likelihoods: Vector
    credibility: float
    group: str | None


@dataclass
class LinkGraph:
    """Every link of the workspace, and (for the questions asked) outcomes, status, standing
    forecasts, complete conditional branches and stored model posteriors."""

    conditions: list[tuple[int, int]] = field(default_factory=list)
    """(parent, child)."""
    indicators: list[IndicatorLink] = field(default_factory=list)
    outcomes: dict[int, list[str]] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    resolved: dict[int, int] = field(default_factory=dict)
    """Question -> position of its resolved outcome."""
    standing: dict[int, dict[str, Vector]] = field(default_factory=dict)
    branches: dict[tuple[int, int], dict[str, list[Vector]]] = field(default_factory=dict)
    """(child, parent) -> forecaster -> their standing forecast of CHILD given each outcome of
    PARENT (only forecasters who have forecast every branch)."""
    model: dict[int, Vector] = field(default_factory=dict)

    _up: dict[int, list[int]] | None = None
    _down: dict[int, list[int]] | None = None

    def _maps(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        if self._up is None or self._down is None:
            up: dict[int, list[int]] = {}
            down: dict[int, list[int]] = {}
            for p, c in sorted(self.conditions):
                up.setdefault(c, []).append(p)
                down.setdefault(p, []).append(c)
            self._up, self._down = up, down
        return self._up, self._down

    def parents(self, child: int) -> list[int]:
        return self._maps()[0].get(child, [])

    def children(self, parent: int) -> list[int]:
        return self._maps()[1].get(parent, [])


def load_links(db: Database) -> LinkGraph:
    """The links alone (conditions and live indicators)."""
    graph = LinkGraph()
    if "question_conditions" in db.table_names():
        graph.conditions = [
            (p, c)
            for p, c in db.execute(
                "select parent_id, child_id from question_conditions order by parent_id, child_id"
            )
        ]
    if "indicators" in db.table_names():
        graph.indicators = [
            IndicatorLink(i, p, c, tuple(json.loads(a)), cred, group)
            for i, p, c, a, cred, group in db.execute(
                "select id, parent_id, child_id, likelihoods, credibility, group_name"
                " from indicators where removed_at is null order by id"
            )
        ]
    return graph


def load_details(db: Database, graph: LinkGraph, question_ids: Iterable[int]) -> LinkGraph:
    """Fill ``graph`` with the numbers of these questions (in a few bulk queries)."""
    ids = sorted(set(question_ids) - set(graph.outcomes))
    tables = set(db.table_names()) if ids else set()
    for chunk in chunks(ids, 900):
        marks = ",".join("?" * len(chunk))
        for qid, status, title, position in db.execute(
            "select q.id, q.status, q.title, o.position from questions q left join outcomes o"  # noqa: S608
            f" on o.id = q.resolved_outcome_id where q.id in ({marks})",
            chunk,
        ):
            graph.status[qid], graph.titles[qid] = status, title
            if status == "resolved" and position is not None:
                graph.resolved[qid] = position
        for qid, name in db.execute(
            f"select question_id, name from outcomes where question_id in ({marks})"  # noqa: S608
            " order by question_id, position",
            chunk,
        ):
            graph.outcomes.setdefault(qid, []).append(name)
        standing = graph.standing
        for qid, who, p, probs in db.execute(
            "select question_id, forecaster, p, probs from forecasts"  # noqa: S608
            f" where question_id in ({marks}) order by made_at, id",
            chunk,
        ):
            mine = standing.get(qid)
            if mine is None:
                mine = standing[qid] = {}
            mine[who] = (p, 1.0 - p) if probs is None else tuple(json.loads(probs))
        if "model_posteriors" in tables:
            rows: dict[int, list[float]] = {}
            for qid, post in db.execute(
                f"select question_id, posterior from model_posteriors where question_id in ({marks})"  # noqa: S608
                " order by question_id, position",
                chunk,
            ):
                rows.setdefault(qid, []).append(post)
            graph.model.update({qid: tuple(v) for qid, v in rows.items()})
        if "conditional_forecasts" in tables:
            _load_branches(db, graph, chunk)
    return graph


def _load_branches(db: Database, graph: LinkGraph, children: list[int]) -> None:
    marks = ",".join("?" * len(children))
    latest: dict[tuple[int, int, str], dict[int, Vector]] = {}
    counts: dict[int, int] = {}
    for child, parent, position, who, p, probs in db.execute(
        "select c.question_id, c.parent_id, o.position, c.forecaster, c.p, c.probs"  # noqa: S608
        " from conditional_forecasts c join outcomes o on o.id = c.parent_outcome_id"
        f" where c.question_id in ({marks}) order by c.made_at, c.id",
        children,
    ):
        key = (child, parent, who)
        given = latest.get(key)
        if given is None:
            given = latest[key] = {}
        given[position] = (p, 1.0 - p) if probs is None else tuple(json.loads(probs))
    parents = sorted({parent for _, parent, _ in latest})
    for chunk in chunks(parents, 900):
        pm = ",".join("?" * len(chunk))
        counts.update(
            db.execute(
                f"select question_id, count(*) from outcomes where question_id in ({pm})"  # noqa: S608
                " group by question_id",
                chunk,
            ).fetchall()
        )
    branches = graph.branches
    for (child, parent, who), given in latest.items():
        mine = branches.get((child, parent))
        if mine is None:
            mine = branches[(child, parent)] = {}
        k = counts[parent]
        if len(given) == k:
            mine[who] = [given[o] for o in range(k)]
