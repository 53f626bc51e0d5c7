"""Argument trees with the engine's weights, and their JSON export (the text, Markdown, Argdown
and Graphviz DOT exports are in ``forecast.views.tree_exports``).

A node's weight is the combined weight of the evidence below it (its own leaves and its
descendants'), from the engine's effective log-likelihoods (credibility and redundancy applied):
for a binary question 10·log10 of the combined LR for Yes, in decibans; for a multi-outcome
question one figure per outcome, 10·log10 of that outcome's combined likelihood over the
geometric mean of all outcomes' (so the figures sum to zero across outcomes).

Directions follow the tree as the TUI draws it. A node's stance is relative to its parent, so its
``orientation`` relative to its target (Yes, or the outcome the claim bears on) is the product of
the stances on its path: a claim that supports an attacking claim argues against the target. An
evidence leaf supports its node when its weight toward the target, times the node's orientation,
is >= 0 (so under "Iraqi forces still need the coalition", which attacks "troops leave", an item
favouring No supports the claim). A multi-outcome claim bearing on no one outcome has no direction:
its leaves are drawn as its grounds (supporting it).

A node's shown weight follows its stance: ``toward_parent`` is its subtree's weight toward what it
hangs under (the target's weight times its parent's orientation), so a claim backed by its
evidence reads positive when it supports its parent and negative when it attacks it, at any depth.
Under an attacking claim a supporting claim whose evidence favours No reads +, not - (the weight
toward Yes is the same number with the parent's orientation taken out). Every leaf likewise reads
toward the claim it sits under (``leaf_toward_claim``). A claim whose weight points against its
own stance carries a warning.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlite_utils import Database

from arguments.evidence import Evidence
from arguments.tree_store import Node, question_tree
from forecast.engine.model import QuestionModel, question_model
from forecast.views.tree_links import LINKS_JSON_SCHEMA, links_markdown, links_text, tree_links
from questions.errors import InvalidInput
from questions.models import Question
from questions.store import get_question, question_id

DB_PER_NEPER = 10 / math.log(10)


@dataclass
class WeightedNode:
    node: Node
    weights: list[float]
    """dB: one value (binary, for Yes) or one per outcome."""
    evidence: list[Evidence]
    children: list[WeightedNode] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    orientation: int = 1
    """+1 if this claim argues for its target (Yes, or its outcome), -1 if against."""
    evidence_weights: list[list[float]] = field(default_factory=list)
    """dB of each leaf in ``evidence``, like ``weights``: one value (binary) or one per outcome."""
    parent_orientation: int = 1
    """The orientation of what this claim hangs under: its parent claim's, or the target's own
    (+1; -1 for a binary claim hung from No)."""

    @property
    def toward_parent(self) -> float | None:
        """dB this claim's subtree adds to what it hangs under (+ backs it, - undercuts it), or
        None for a multi-outcome claim on no one outcome."""
        toward = self.toward_target(self.weights)
        return None if toward is None else toward * self.parent_orientation

    def leaf_toward_claim(self, row: int) -> float | None:
        """dB the ``row``-th leaf adds to this claim (+ supports it, - attacks it), or None."""
        toward = self.toward_target(self.evidence_weights[row])
        return None if toward is None else toward * self.orientation

    def toward_target(self, weights: list[float]) -> float | None:
        """The part of ``weights`` that bears on this claim's target: for Yes (binary), for the
        claim's outcome (multi), or None for a multi-outcome claim on no one outcome."""
        if len(weights) == 1:
            return weights[0]
        return None if self.node.outcome is None else weights[self.node.outcome]

    def leaf_relation(self, row: int) -> str:
        """``supports`` or ``attacks``: how the ``row``-th evidence leaf bears on this claim."""
        toward = self.toward_target(self.evidence_weights[row])
        return "attacks" if toward is not None and toward * self.orientation < 0 else "supports"

    def argues(self, question: Question) -> str:
        """Which way the claim bears on the question, the product of the stances on its path:
        ``for Yes``, ``against Yes``, ``for Rural insurgency``; empty for a claim on no outcome."""
        if question.kind != "binary" and self.node.outcome is None:
            return ""
        name = (
            "Yes" if question.kind == "binary" else question.outcomes[self.node.outcome or 0].name
        )
        return f"{'for' if self.orientation > 0 else 'against'} {name}"


def evidence_weights_db(model: QuestionModel) -> dict[int, np.ndarray]:
    """Each live item's effective weight in dB: shape (1,) for binary, (k,) for multi."""
    log_w = np.asarray(model.analysis.log_weights, dtype=float)
    result: dict[int, np.ndarray] = {}
    for row, item in enumerate(model.evidence):
        vector = log_w[row]
        if model.question.kind == "binary":
            result[item.id] = np.array([(vector[0] - vector[1]) * DB_PER_NEPER])
        else:
            finite = np.where(np.isfinite(vector), vector, np.nan)
            result[item.id] = (finite - np.nanmean(finite)) * DB_PER_NEPER
    return result


def weighted_tree(db: Database, question: str | int) -> tuple[QuestionModel, list[WeightedNode]]:
    model = question_model(db, question)
    weights = evidence_weights_db(model)
    items = {i.id: i for i in model.evidence}
    size = 1 if model.question.kind == "binary" else len(model.question.outcomes)

    def build(node: Node, above: int) -> WeightedNode:
        orientation = above * (1 if node.stance == "supports" else -1)
        children = [build(c, orientation) for c in node.children]
        own = [items[e] for e in node.evidence if e in items]
        leaves = [np.nan_to_num(weights[item.id], nan=0.0) for item in own]
        total = np.zeros(size)
        for leaf in leaves:
            total += leaf
        for child in children:
            total += np.asarray(child.weights)
        weighted = WeightedNode(
            node,
            [float(v) for v in total],
            own,
            children,
            orientation=orientation,
            evidence_weights=[[float(v) for v in leaf] for leaf in leaves],
            parent_orientation=above,
        )
        weighted.warnings += stance_warnings(model.question, weighted)
        return weighted

    binary = model.question.kind == "binary"
    return model, [
        build(
            root, -1 if binary and root.outcome == 1 else 1
        )  # a binary claim on No argues against Yes
        for root in question_tree(db, question)
    ]


STANCE_SLACK_DB = 0.5
"""A claim's weight may point against its stance by this much before it is flagged."""


def stance_warnings(question: Question, node: WeightedNode) -> list[str]:
    """A claim whose evidence pushes against its own stance: a root on a binary question whose
    evidence favours the other answer, or a claim whose subtree backs the parent it attacks (or
    undercuts the parent it supports)."""
    weight = node.toward_parent
    if weight is None or not (node.evidence or node.children):
        return []
    supports = node.node.stance == "supports"
    if (weight < -STANCE_SLACK_DB) if supports else (weight > STANCE_SLACK_DB):
        if node.node.parent_id is None and question.kind == "binary":
            other = "No" if (weight * node.parent_orientation) < 0 else "Yes"
            return [f"{node.node.stance} but its evidence favours {other}"]
        parent = (
            f"N{node.node.parent_id}" if node.node.parent_id else target_name(question, node.node)
        )
        verb = "undercuts" if supports else "backs"
        return [f"{node.node.stance} {parent} but its evidence {verb} it"]
    return []


def node_weight_text(question: Question, node: WeightedNode) -> str:
    """A claim's weight as the tree shows it: ``-4.6 dB, for Yes`` (toward its parent, signed by
    its stance, with which way it bears on the question), or every outcome's for a claim on no
    one outcome."""
    weight = node.toward_parent
    if weight is None:
        return weight_text(question, node.weights)
    return f"{weight:+.1f} dB, {node.argues(question)}"


def leaf_weight_text(question: Question, node: WeightedNode, row: int) -> str:
    """A leaf's weight toward the claim it sits under (``+2.4 dB``), or every outcome's."""
    weight = node.leaf_toward_claim(row)
    if weight is None:
        return weight_text(question, node.evidence_weights[row])
    return f"{weight:+.1f} dB"


def anchor_outcome(question: Question, node: Node) -> int | None:
    """The outcome a root claim hangs from in the exports, or None for the question itself (a
    claim on no one outcome, or on Yes of a binary question)."""
    if node.outcome is None or (question.kind == "binary" and node.outcome == 0):
        return None
    return node.outcome


def weight_text(question: Question, weights: list[float]) -> str:
    if question.kind == "binary":
        return f"{weights[0]:+.1f} dB"
    return (
        ", ".join(f"{o.name} {w:+.1f}" for o, w in zip(question.outcomes, weights, strict=True))
        + " dB"
    )


def target_name(question: Question, node: Node) -> str:
    if node.outcome is not None:
        return question.outcomes[node.outcome].name
    return "Yes" if question.kind == "binary" else "the question"


def citation(item: Evidence) -> str:
    return item.source or ", ".join(item.citations)


def evidence_db(model: QuestionModel, item: Evidence) -> float:
    row = [i.id for i in model.evidence].index(item.id)
    return float(model.analysis.weight_db[row])


def to_json(model: QuestionModel, roots: list[WeightedNode]) -> dict[str, Any]:
    question = model.question

    def node_json(node: WeightedNode) -> dict[str, Any]:
        return {
            "id": node.node.short_id,
            "text": node.node.text,
            "stance": node.node.stance,
            "outcome": question.outcomes[node.node.outcome].name
            if node.node.outcome is not None
            else None,
            "status": node.node.status,
            "status_by": node.node.status_by,
            "author": node.node.author,
            "weight_db": node.weights if question.kind != "binary" else node.weights[0],
            "toward_parent_db": node.toward_parent,
            "argues": node.argues(question) or None,
            "evidence": [
                {
                    "id": i.short_id,
                    "text": i.text,
                    "weight_db": evidence_db(model, i),
                    "source": citation(i),
                    "relation": node.leaf_relation(row),
                }
                for row, i in enumerate(node.evidence)
            ],
            "children": [node_json(c) for c in node.children],
            "warnings": node.warnings,
        }

    return {
        "question": question.short_id,
        "title": question.title,
        "outcomes": [o.name for o in question.outcomes],
        "posterior": [float(p) for p in model.analysis.posterior],
        "nodes": [node_json(r) for r in roots],
    }


TREE_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["question", "title", "outcomes", "posterior", "nodes"],
    "properties": {
        "question": {"type": "string", "pattern": "^Q[0-9]+$"},
        "title": {"type": "string"},
        "outcomes": {"type": "array", "items": {"type": "string"}, "minItems": 2},
        "posterior": {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}},
        "nodes": {"type": "array", "items": {"$ref": "#/$defs/node"}},
        "links": LINKS_JSON_SCHEMA,
    },
    "$defs": {
        "node": {
            "type": "object",
            "required": ["id", "text", "stance", "status", "weight_db", "evidence", "children"],
            "properties": {
                "id": {"type": "string", "pattern": "^N[0-9]+$"},
                "text": {"type": "string"},
                "stance": {"enum": ["supports", "attacks"]},
                "outcome": {"type": ["string", "null"]},
                "status": {"enum": ["draft", "in review", "approved", "challenged"]},
                "weight_db": {
                    "oneOf": [{"type": "number"}, {"type": "array", "items": {"type": "number"}}]
                },
                "toward_parent_db": {"type": ["number", "null"]},
                "argues": {"type": ["string", "null"]},
                "evidence": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "text", "weight_db"],
                        "properties": {
                            "id": {"type": "string", "pattern": "^E[0-9]+$"},
                            "relation": {"enum": ["supports", "attacks"]},
                        },
                    },
                },
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
        }
    },
}


def _numeric_tree(db: Database, question: str | int, fmt: str) -> str:
    from forecast.views import numeric_tree_exports

    if fmt in ("md", "text"):
        return numeric_tree_exports.to_markdown(db, question)
    if fmt == "argdown":
        return numeric_tree_exports.to_argdown(db, question)
    qid = question_id(db, question)
    kind = db.execute("select kind from questions where id = ?", [qid]).fetchone()[0]
    raise InvalidInput(
        f"Q{qid} is a {kind} question: its tree exports as text, md or argdown "
        f"(--format {fmt} is for categorical questions)"
    )


@dataclass(frozen=True)
class IndicatorLeaf:
    """An evidence item an indicator question's resolution made, as the tree shows it."""

    item: Evidence
    child: str
    """The indicator question (``Q9``)."""
    outcome: str
    """What it resolved to (``Yes`` / ``No``)."""
    weights: list[float]
    """dB like ``WeightedNode.weights``: toward Yes (binary) or one per outcome."""

    def label(self) -> str:
        """``indicator Q9 resolved Yes: <its title>`` (the item's text, when it still says so)."""
        said = f"indicator {self.child} resolved {self.outcome}"
        return self.item.text if self.item.text.startswith(said) else f"{said} · {self.item.text}"


def indicator_leaves(db: Database, model: QuestionModel) -> dict[int, IndicatorLeaf]:
    """Evidence id -> its indicator leaf, for the question's live items that an indicator's
    resolution made (the items ``export tree`` lists under "Linked questions")."""
    ids = [item.id for item in model.evidence]
    if not ids or "indicators" not in db.table_names():
        return {}
    marks = ",".join("?" * len(ids))
    found = db.execute(
        "select e.id, i.child_id, e.indicator_outcome from evidence e"  # noqa: S608
        f" join indicators i on i.id = e.indicator_id where e.id in ({marks})",
        ids,
    ).fetchall()
    weights = evidence_weights_db(model)
    items = {item.id: item for item in model.evidence}
    return {
        eid: IndicatorLeaf(
            items[eid],
            f"Q{child}",
            outcome or "",
            [float(v) for v in np.nan_to_num(weights[eid], nan=0.0)],
        )
        for eid, child, outcome in found
    }


def linked_ids(roots: list[WeightedNode]) -> set[int]:
    """Every evidence id hung somewhere in the tree."""
    found: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        found.update(item.id for item in node.evidence)
        stack.extend(node.children)
    return found


def link_choices(db: Database, node: int) -> list[tuple[int, str]]:
    """What the link picker offers under ``node``: the question's live items not already under
    it, each as (id, ``E3  LR 2, credibility 1  text``)."""
    from arguments.evidence_store import list_evidence
    from arguments.tree_store import get_node
    from forecast.views.tree_exports import evidence_numbers

    target = get_node(db, node)
    question = get_question(db, target.question_id)
    return [
        (item.id, f"{item.short_id}  {evidence_numbers(question, item)}  {item.text}")
        for item in list_evidence(db, target.question_id)
        if item.id not in target.evidence
    ]


def filter_choices(choices: list[tuple[int, str]], typed: str) -> list[tuple[int, str]]:
    """The choices whose text holds every typed word (case-insensitive; ``e3`` finds E3)."""
    words = typed.lower().split()
    return [choice for choice in choices if all(w in choice[1].lower() for w in words)]


def export_tree(db: Database, question: str | int, fmt: str) -> str:
    from forecast.views import tree_exports

    kind = db.execute(
        "select kind from questions where id = ?", [question_id(db, question)]
    ).fetchone()[0]
    if kind in ("numeric", "date"):
        return _numeric_tree(db, question, fmt)
    model, roots = weighted_tree(db, question)
    links = tree_links(db, model.question.id)
    if fmt == "json":
        data = to_json(model, roots)
        data["links"] = links
        return json.dumps(data, indent=2, ensure_ascii=False)
    writers = {
        "text": tree_exports.to_text,
        "md": tree_exports.to_markdown,
        "argdown": tree_exports.to_argdown,
        "dot": tree_exports.to_dot,
    }
    if fmt not in writers:
        raise ValueError(fmt)
    text = writers[fmt](model, roots)
    if fmt in ("md", "text"):
        extra = (links_markdown if fmt == "md" else links_text)(links)
        if extra:
            text = text.rstrip("\n") + "\n" + "\n".join(extra) + "\n"
    return text
