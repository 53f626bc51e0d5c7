"""Argument trees with the engine's weights, and their exports: text, Markdown (a review
document), Argdown, JSON and Graphviz DOT.

A node's weight is the combined weight of the evidence below it (its own leaves and its
descendants'), from the engine's effective log-likelihoods (credibility and redundancy applied):
for a binary question 10·log10 of the combined LR for Yes, in decibans; for a multi-outcome
question one figure per outcome, 10·log10 of that outcome's combined likelihood over the
geometric mean of all outcomes' (so the figures sum to zero across outcomes).
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
from questions.models import Question

DB_PER_NEPER = 10 / math.log(10)


@dataclass
class WeightedNode:
    node: Node
    weights: list[float]
    """dB: one value (binary, for Yes) or one per outcome."""
    evidence: list[Evidence]
    children: list[WeightedNode] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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

    def build(node: Node) -> WeightedNode:
        children = [build(c) for c in node.children]
        own = [items[e] for e in node.evidence if e in items]
        total = np.zeros(size)
        for item in own:
            total += np.nan_to_num(weights[item.id], nan=0.0)
        for child in children:
            total += np.asarray(child.weights)
        weighted = WeightedNode(node, [float(v) for v in total], own, children)
        if model.question.kind == "binary" and own:
            sign = total[0]
            if node.stance == "attacks" and node.parent_id is None and sign > 0.5:
                weighted.warnings.append("attacks but its evidence favours Yes")
            if node.stance == "supports" and node.parent_id is None and sign < -0.5:
                weighted.warnings.append("supports but its evidence favours No")
        return weighted

    return model, [build(root) for root in question_tree(db, question)]


def _weight_text(question: Question, weights: list[float]) -> str:
    if question.kind == "binary":
        return f"{weights[0]:+.1f} dB"
    return (
        ", ".join(f"{o.name} {w:+.1f}" for o, w in zip(question.outcomes, weights, strict=True))
        + " dB"
    )


def _target(question: Question, node: Node) -> str:
    if node.outcome is not None:
        return question.outcomes[node.outcome].name
    return "Yes" if question.kind == "binary" else "the question"


def _citation(item: Evidence) -> str:
    return item.source or ", ".join(item.citations)


def to_text(model: QuestionModel, roots: list[WeightedNode]) -> str:
    question = model.question
    lines = [f"{question.short_id} {question.title}"]

    def walk(node: WeightedNode, depth: int) -> None:
        pad = "  " * depth
        sign = "+" if node.node.stance == "supports" else "-"
        lines.append(
            f"{pad}{sign} {node.node.short_id} {node.node.text}  [{_weight_text(question, node.weights)}; {node.node.status}]"
        )
        for item in node.evidence:
            lines.append(
                f"{pad}    · {item.short_id} {item.text}"
                + (f" ({_citation(item)})" if _citation(item) else "")
            )
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 1)
    return "\n".join(lines)


def to_markdown(model: QuestionModel, roots: list[WeightedNode]) -> str:
    """A review document: nested pro/con with weights, review status and citations."""
    question, analysis = model.question, model.analysis
    out = [f"# {question.short_id}: {question.title}", ""]
    posterior = ", ".join(
        f"{o.name} {float(p):.1%}"
        for o, p in zip(question.outcomes, analysis.posterior, strict=True)
    )
    out += [f"**Model posterior:** {posterior}", ""]
    if question.criteria:
        out += [f"**Resolves:** {question.criteria}", ""]
    out += ["Weights are in decibans (dB): +10 dB is a likelihood ratio of 10 in favour.", ""]

    def walk(node: WeightedNode, depth: int) -> None:
        pad = "  " * depth
        label = "**Pro**" if node.node.stance == "supports" else "**Con**"
        out.append(
            f"{pad}- {label} ({_target(question, node.node) if node.node.parent_id is None else 'parent'}) "
            f"{node.node.text} — *{_weight_text(question, node.weights)}*, {node.node.status} "
            f"({node.node.author})"
        )
        for warning in node.warnings:
            out.append(f"{pad}  - ⚠ {warning}")
        for item in node.evidence:
            cite = f" — {_citation(item)}" if _citation(item) else ""
            quote = f" “{item.quote}”" if item.quote else ""
            out.append(f"{pad}  - {item.short_id}: {item.text}{quote}{cite}")
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    if analysis.warnings:
        out += ["", "## Warnings", ""] + [f"- {w}" for w in analysis.warnings]
    return "\n".join(out) + "\n"


def _argdown_text(text: str) -> str:
    # Argdown treats brackets, angle brackets and a few marks specially; keep statements plain.
    return " ".join(
        text.replace("[", "(").replace("]", ")").replace("<", "(").replace(">", ")").split()
    )


def to_argdown(model: QuestionModel, roots: list[WeightedNode]) -> str:
    """Argdown: the question's thesis as a statement, claims as statements related by + and -,
    evidence items as supporting/attacking statements of their node."""
    question = model.question
    out = [f"===\ntitle: {_argdown_text(question.title)}\n===", ""]
    thesis = f"[{question.short_id}]: {_argdown_text(question.title)}"
    out.append(thesis)

    def walk(node: WeightedNode, depth: int) -> None:
        pad = "    " * depth
        relation = "+" if node.node.stance == "supports" else "-"
        out.append(
            f"{pad}  {relation} [{node.node.short_id}]: {_argdown_text(node.node.text)} "
            f"#({node.node.status.replace(' ', '-')})"
        )
        for item in node.evidence:
            weight = evidence_db(model, item)
            item_relation = "+" if weight >= 0 else "-"
            out.append(f"{pad}      {item_relation} [{item.short_id}]: {_argdown_text(item.text)}")
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return "\n".join(out) + "\n"


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
                    "source": _citation(i),
                }
                for i in node.evidence
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
                        "properties": {"id": {"type": "string", "pattern": "^E[0-9]+$"}},
                    },
                },
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
        }
    },
}


def _dot_label(text: str) -> str:
    """A quoted DOT string: JSON's escaping of quotes, backslashes and newlines is DOT's too."""
    return json.dumps(text, ensure_ascii=False)


def to_dot(model: QuestionModel, roots: list[WeightedNode]) -> str:
    question = model.question
    out = [
        "digraph argument {",
        "  rankdir=BT;",
        '  node [shape=box, fontname="Helvetica"];',
        f"  q [label={_dot_label(question.short_id + ': ' + question.title)}, shape=ellipse];",
    ]

    def walk(node: WeightedNode, parent: str) -> None:
        name = node.node.short_id
        label = (
            f"{name}: {node.node.text}\n{_weight_text(question, node.weights)} · {node.node.status}"
        )
        out.append(f"  {name} [label={_dot_label(label)}];")  # json escapes the newline as DOT's \n
        style = "solid" if node.node.stance == "supports" else "dashed"
        out.append(f'  {name} -> {parent} [style={style}, label="{node.node.stance}"];')
        for item in node.evidence:
            out.append(
                f"  {item.short_id} [label={_dot_label(item.short_id + ': ' + item.text)}, shape=note];"
            )
            out.append(f"  {item.short_id} -> {name};")
        for child in node.children:
            walk(child, name)

    for root in roots:
        walk(root, "q")
    out.append("}")
    return "\n".join(out) + "\n"


def export_tree(db: Database, question: str | int, fmt: str) -> str:
    model, roots = weighted_tree(db, question)
    if fmt == "text":
        return to_text(model, roots)
    if fmt == "md":
        return to_markdown(model, roots)
    if fmt == "argdown":
        return to_argdown(model, roots)
    if fmt == "json":
        return json.dumps(to_json(model, roots), indent=2, ensure_ascii=False)
    if fmt == "dot":
        return to_dot(model, roots)
    raise ValueError(fmt)
