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
from questions.store import question_id

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
        )
        if model.question.kind == "binary" and own:
            sign = total[0]
            if node.stance == "attacks" and node.parent_id is None and sign > 0.5:
                weighted.warnings.append("attacks but its evidence favours Yes")
            if node.stance == "supports" and node.parent_id is None and sign < -0.5:
                weighted.warnings.append("supports but its evidence favours No")
        return weighted

    binary = model.question.kind == "binary"
    return model, [
        build(
            root, -1 if binary and root.outcome == 1 else 1
        )  # a binary claim on No argues against Yes
        for root in question_tree(db, question)
    ]


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
