"""An argument tree written out: an indented text tree, Markdown (a review document), Argdown and
Graphviz DOT. Every export draws the relations the TUI shows (see ``forecast.views.tree``): a
claim supports or attacks its parent, and an evidence leaf supports or attacks the claim it sits
under, by the sign of its weight toward that claim's target times the claim's orientation.
"""

from __future__ import annotations

import json
import math
import textwrap
from typing import Any

from arguments.evidence import Evidence
from forecast.engine.model import QuestionModel
from forecast.views.tree import (
    WeightedNode,
    anchor_outcome,
    citation,
    leaf_weight_text,
    node_weight_text,
    target_name,
)
from questions.models import Question

DOT_WRAP = 36
"""Characters per line of a DOT label."""
DOT_COLOURS = {"supports": "#1b7f3b", "attacks": "#b3261e"}


def _number(value: float, digits: int = 3) -> str:
    """A likelihood or credibility as a person writes it: 4, 0.5, 0.333, 1e+03."""
    return f"{value:.{digits}g}" if math.isfinite(value) else str(value)


def evidence_numbers(question: Question, item: Evidence) -> str:
    """``LR 4 (1.5–6), credibility 0.8`` or ``likelihoods 0.3 / 0.7 / 0.7, credibility 1``."""
    if question.kind == "binary":
        text = f"LR {_number(item.lr)}"
        if item.lr_range is not None:
            low, high = item.lr_range
            text += f" ({_number(low)}–{_number(high)})"
    else:
        text = "likelihoods " + " / ".join(_number(v) for v in item.likelihoods)
    return f"{text}, credibility {_number(item.credibility)}"


# --- text and Markdown --------------------------------------------------------------------------


def to_text(model: QuestionModel, roots: list[WeightedNode]) -> str:
    question = model.question
    lines = [f"{question.short_id} {question.title}"]

    def walk(node: WeightedNode, depth: int) -> None:
        pad = "  " * depth
        sign = "+" if node.node.stance == "supports" else "-"
        lines.append(
            f"{pad}{sign} {node.node.short_id} {node.node.text}  "
            f"[{node_weight_text(question, node)}; {node.node.status}]"
        )
        for row, item in enumerate(node.evidence):
            mark = "+" if node.leaf_relation(row) == "supports" else "-"
            lines.append(
                f"{pad}    {mark} {item.short_id} {item.text}"
                + (f" ({citation(item)})" if citation(item) else "")
                + f"  [{leaf_weight_text(question, node, row)}; {evidence_numbers(question, item)}]"
            )
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 1)
    return "\n".join(lines)


def to_markdown(model: QuestionModel, roots: list[WeightedNode]) -> str:
    """A review document: nested pro/con with weights, review status and citations; each evidence
    item with its LR (or likelihoods), credibility, weight and how it bears on its claim."""
    question, analysis = model.question, model.analysis
    out = [f"# {question.short_id}: {question.title}", ""]
    posterior = ", ".join(
        f"{o.name} {float(p):.1%}"
        for o, p in zip(question.outcomes, analysis.posterior, strict=True)
    )
    out += [f"**Model posterior:** {posterior}", ""]
    if question.criteria:
        out += [f"**Resolves:** {question.criteria}", ""]
    out += [
        "Weights are in decibans (dB): +10 dB is a likelihood ratio of 10 in favour. Each weight "
        "is toward what its line hangs under: + backs it, - undercuts it (an attacking claim whose "
        "evidence holds reads -); a claim also says which way it bears on the question (for or "
        "against Yes, or its outcome), and each evidence item whether it supports or attacks the "
        "claim it sits under.",
        "",
    ]

    def walk(node: WeightedNode, depth: int) -> None:
        pad = "  " * depth
        label = "**Pro**" if node.node.stance == "supports" else "**Con**"
        out.append(
            f"{pad}- {label} ({target_name(question, node.node) if node.node.parent_id is None else 'parent'}) "
            f"{node.node.text} — *{node_weight_text(question, node)}*, {node.node.status} "
            f"({node.node.author})"
        )
        for warning in node.warnings:
            out.append(f"{pad}  - ⚠ {warning}")
        for row, item in enumerate(node.evidence):
            cite = f" — {citation(item)}" if citation(item) else ""
            quote = f" “{item.quote}”" if item.quote else ""
            out.append(
                f"{pad}  - {item.short_id}: {item.text}{quote}{cite} · "
                f"*{evidence_numbers(question, item)}; {leaf_weight_text(question, node, row)}; "
                f"{node.leaf_relation(row)} the claim*"
            )
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    if analysis.warnings:
        out += ["", "## Warnings", ""] + [f"- {w}" for w in analysis.warnings]
    return "\n".join(out) + "\n"


# --- Argdown ------------------------------------------------------------------------------------

ARGDOWN_SPECIAL = "\\[]<>{}#@*_/"
"""Characters the Argdown parser reads as syntax (brackets start titles and links, braces data,
# tags, @ mentions, * and _ emphasis, / comments); each is written with a backslash before it."""


def argdown_escape(text: str) -> str:
    """Text as Argdown reads it back: special characters backslash-escaped, on one line."""
    flat = " ".join(text.split())
    return "".join("\\" + ch if ch in ARGDOWN_SPECIAL else ch for ch in flat)


def _argdown_data(data: dict[str, Any]) -> str:
    """Argdown data (a YAML flow mapping); JSON scalars, lists and mappings are valid YAML."""
    return "{" + ", ".join(f"{key}: {json.dumps(value)}" for key, value in data.items()) + "}"


def _db(value: float) -> float:
    return round(value, 2) if math.isfinite(value) else 0.0


def _node_weight(question: Question, node: WeightedNode) -> float | dict[str, float]:
    toward = node.toward_target(node.weights)
    if toward is not None:
        return _db(toward)
    return {o.name: _db(w) for o, w in zip(question.outcomes, node.weights, strict=True)}


_TITLE_SAFE = str.maketrans("[]<>{}\\#@*_/", "()()()      ")


def outcome_title(question: Question, position: int) -> str:
    """The Argdown title of the statement for one outcome (``Q6: Rural insurgency``). The parser
    keeps escapes in titles as typed, so special characters are left out of a title instead (the
    outcome's exact name is the statement's text and its ``outcome`` data)."""
    name = " ".join(question.outcomes[position].name.translate(_TITLE_SAFE).split())
    return f"{question.short_id}: {name}"


def to_argdown(model: QuestionModel, roots: list[WeightedNode]) -> str:
    """Argdown: the question as a statement (and, for a multi-outcome question, one statement per
    outcome a claim bears on), claims as statements related by + and - to their parent, evidence
    items as statements supporting or attacking their claim. Status, author and weights (dB
    toward the claim's target) are Argdown data; texts are escaped, never altered."""
    question = model.question
    out = [f"===\ntitle: {json.dumps(question.title, ensure_ascii=False)}\n===", ""]

    def walk(node: WeightedNode, depth: int) -> None:
        pad = "    " * depth
        relation = "+" if node.node.stance == "supports" else "-"
        data = {
            "status": node.node.status,
            "author": node.node.author,
            "weight": _node_weight(question, node),
        }
        out.append(
            f"{pad}  {relation} [{node.node.short_id}]: {argdown_escape(node.node.text)} "
            + _argdown_data(data)
        )
        for row, item in enumerate(node.evidence):
            mark = "+" if node.leaf_relation(row) == "supports" else "-"
            toward = node.toward_target(node.evidence_weights[row])
            leaf: dict[str, Any] = {"credibility": item.credibility}
            if question.kind == "binary":
                leaf["lr"] = item.lr
            else:
                leaf["likelihoods"] = list(item.likelihoods)
            leaf["weight"] = (
                _db(toward)
                if toward is not None
                else {
                    o.name: _db(w)
                    for o, w in zip(question.outcomes, node.evidence_weights[row], strict=True)
                }
            )
            out.append(
                f"{pad}      {mark} [{item.short_id}]: {argdown_escape(item.text)} "
                + _argdown_data(leaf)
            )
        for child in node.children:
            walk(child, depth + 1)

    out.append(
        f"[{question.short_id}]: {argdown_escape(question.title)} "
        + _argdown_data({"question": question.short_id})
    )
    for root in roots:
        if anchor_outcome(question, root.node) is None:
            walk(root, 0)
    for position, outcome in enumerate(question.outcomes):
        under = [r for r in roots if anchor_outcome(question, r.node) == position]
        if not under:
            continue
        out += [
            "",
            f"[{outcome_title(question, position)}]: {argdown_escape(outcome.name)} "
            + _argdown_data({"question": question.short_id, "outcome": outcome.name}),
        ]
        for root in under:
            walk(root, 0)
    return "\n".join(out) + "\n"


# --- Graphviz DOT -------------------------------------------------------------------------------


def _dot_label(*lines: str) -> str:
    """A quoted DOT string, each line wrapped at ``DOT_WRAP`` characters. JSON's escaping of
    quotes, backslashes and newlines is DOT's too."""
    wrapped = [textwrap.fill(line, DOT_WRAP, break_long_words=False) for line in lines if line]
    return json.dumps("\n".join(wrapped), ensure_ascii=False)


def _edge(source: str, target: str, relation: str, label: bool) -> str:
    style = "solid" if relation == "supports" else "dashed"
    text = f', label="{relation}", fontcolor="{DOT_COLOURS[relation]}"' if label else ""
    return f'  {source} -> {target} [color="{DOT_COLOURS[relation]}", style={style}{text}];'


def to_dot(model: QuestionModel, roots: list[WeightedNode]) -> str:
    """Graphviz: claims as boxes, evidence as notes with their weight, LR and credibility; edges
    green and solid for supports, red and dashed for attacks; long labels wrapped."""
    question = model.question
    out = [
        "digraph argument {",
        "  rankdir=BT;",
        '  node [shape=box, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        f"  q [label={_dot_label(question.short_id + ': ' + question.title)}, shape=ellipse];",
    ]
    for position, outcome in enumerate(question.outcomes):
        if any(anchor_outcome(question, r.node) == position for r in roots):
            out.append(f"  o{position} [label={_dot_label(outcome.name)}, shape=ellipse];")
            out.append(f'  o{position} -> q [style=dotted, arrowhead=none, color="#888888"];')

    def walk(node: WeightedNode, parent: str) -> None:
        name = node.node.short_id
        label = _dot_label(
            f"{name}: {node.node.text}",
            f"{node_weight_text(question, node)} · {node.node.status}",
        )
        out.append(f"  {name} [label={label}];")
        out.append(_edge(name, parent, node.node.stance, label=True))
        for row, item in enumerate(node.evidence):
            leaf = _dot_label(
                f"{item.short_id}: {item.text}",
                leaf_weight_text(question, node, row),
                evidence_numbers(question, item),
            )
            out.append(f"  {item.short_id} [label={leaf}, shape=note];")
            out.append(_edge(item.short_id, name, node.leaf_relation(row), label=False))
        for child in node.children:
            walk(child, name)

    for root in roots:
        anchor = anchor_outcome(question, root.node)
        walk(root, "q" if anchor is None else f"o{anchor}")
    out.append("}")
    return "\n".join(out) + "\n"
