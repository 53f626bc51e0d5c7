"""A numeric or date question's argument tree as Markdown (a review document) and Argdown.

A numeric question's evidence has no direction toward an outcome, so a leaf is written under its
claim as what it says about the value: ``above 100 (LR 3, 90% 1.5–6)``, ``between 300 and 900
(LR 2)``, ``measured 742 ± 50``. The header gives the range and unit, the model's prior, and the
posterior median with its 50% and 90% intervals; items in no claim are listed after the tree.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from arguments.evidence import Evidence
from arguments.evidence_store import list_evidence
from arguments.numeric_evidence import NumericForm, numeric_form
from arguments.tree_store import Node, question_tree
from forecast.engine.numeric_model import numeric_model
from forecast.views.tree_exports import _argdown_data, _number, argdown_escape
from questions import numeric as nm
from questions.models import Question
from questions.numeric import NumericRange
from questions.numeric_store import numeric_range
from questions.store import get_question


def range_text(rng: NumericRange) -> str:
    """``50 to 5000 people, log scale, open above``."""
    bare = NumericRange(rng.lo, rng.hi, log=rng.log, is_date=rng.is_date)
    text = f"{bare.show(rng.lo)} to {bare.show(rng.hi)}" + (f" {rng.unit}" if rng.unit else "")
    notes = ["log scale"] if rng.log else []
    notes += ["open below"] if rng.open_lower else []
    notes += ["open above"] if rng.open_upper else []
    return ", ".join([text, *notes])


def form_words(rng: NumericRange, form: NumericForm, item: Evidence) -> str:
    """What an item says about the value, with its LR (and 90% range) or its standard deviation."""
    if form.form == "measured":
        return f"measured {rng.show(form.a)} ± {_number(form.sd or 0.0)}"
    where = rng.show(form.a)
    if form.form == "between" and form.b is not None:
        where = f"{rng.show(form.a)} and {rng.show(form.b)}"
    lr = f"LR {_number(item.lr)}"
    if item.lr_range is not None:
        lr += f", 90% {_number(item.lr_range[0])}–{_number(item.lr_range[1])}"
    return f"{form.form} {where} ({lr})"


def _posterior_lines(db: Database, question: Question, rng: NumericRange) -> list[str]:
    model = numeric_model(db, question.id)
    if not model.items:
        return [f"**Model:** no evidence yet; the prior is {model.prior_kind}."]
    s = nm.summary(rng, model.result.cdf)
    return [
        f"**Model posterior** ({model.prior_kind} prior, {len(model.items)} items): median "
        f"{rng.show(s['median'])}; 50% {rng.show(s['q25'])} – {rng.show(s['q75'])}; "
        f"90% {rng.show(s['q05'])} – {rng.show(s['q95'])}"
    ]


def _parts(
    db: Database, ref: str | int
) -> tuple[Question, NumericRange, list[Node], dict[int, tuple[Evidence, NumericForm]]]:
    question = get_question(db, ref)
    rng = numeric_range(db, question.id)
    items = {}
    for item in list_evidence(db, question.id):
        form = numeric_form(db, item.id)
        if form is not None:
            items[item.id] = (item, form)
    return question, rng, question_tree(db, question.id), items


def _linked(roots: list[Node]) -> set[int]:
    found: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        found.update(node.evidence)
        stack.extend(node.children)
    return found


def to_markdown(db: Database, ref: str | int) -> str:
    question, rng, roots, items = _parts(db, ref)
    out = [f"# {question.short_id}: {question.title}", ""]
    out += [f"**Range:** {range_text(rng)}", ""]
    out += [*_posterior_lines(db, question, rng), ""]
    if question.criteria:
        out += [f"**Resolves:** {question.criteria}", ""]

    def leaf(pad: str, eid: int) -> None:
        item, form = items[eid]
        quote = f" “{item.quote}”" if item.quote else ""
        out.append(
            f"{pad}- {item.short_id}: {item.text}{quote} · *{form_words(rng, form, item)}, "
            f"credibility {_number(item.credibility)}*"
        )

    def walk(node: Node, depth: int) -> None:
        pad = "  " * depth
        label = "**Pro**" if node.stance == "supports" else "**Con**"
        out.append(f"{pad}- {label} {node.text} — {node.status} ({node.author})")
        for eid in node.evidence:
            if eid in items:
                leaf(pad + "  ", eid)
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    loose = [eid for eid in items if eid not in _linked(roots)]
    if loose:
        out += ["", "## Evidence in no claim", ""]
        for eid in loose:
            leaf("", eid)
    return "\n".join(out) + "\n"


def _leaf_data(rng: NumericRange, item: Evidence, form: NumericForm) -> dict[str, Any]:
    show = nm.value_to_date if rng.is_date else float
    data: dict[str, Any] = {"form": form.form, "value": show(form.a)}
    if form.b is not None:
        data["upper"] = show(form.b)
    if form.form == "measured":
        data["sd"] = form.sd
    else:
        data["lr"] = item.lr
        if item.lr_range is not None:
            data["lr_range"] = list(item.lr_range)
    data["credibility"] = item.credibility
    data["says"] = form_words(rng, form, item)
    return data


def to_argdown(db: Database, ref: str | int) -> str:
    """The question as a statement (its range, unit and posterior as data), claims related by +
    and - to their parent, evidence items as statements supporting their claim (or, in no claim,
    the question) with their form, value, LR or sd and credibility as Argdown data."""
    question, rng, roots, items = _parts(db, ref)
    model = numeric_model(db, question.id)
    head: dict[str, Any] = {"question": question.short_id, "range": range_text(rng)}
    if model.items:
        head |= nm.shown_summary(rng, model.result.cdf)
    out = [f"===\ntitle: {_quoted(question.title)}\n===", ""]
    out.append(f"[{question.short_id}]: {argdown_escape(question.title)} " + _argdown_data(head))

    def leaf(pad: str, eid: int) -> None:
        item, form = items[eid]
        out.append(
            f"{pad}+ [{item.short_id}]: {argdown_escape(item.text)} "
            + _argdown_data(_leaf_data(rng, item, form))
        )

    def walk(node: Node, depth: int) -> None:
        pad = "    " * depth
        relation = "+" if node.stance == "supports" else "-"
        data = {"status": node.status, "author": node.author}
        out.append(
            f"{pad}  {relation} [{node.short_id}]: {argdown_escape(node.text)} "
            + _argdown_data(data)
        )
        for eid in node.evidence:
            if eid in items:
                leaf(pad + "      ", eid)
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    for eid in items:
        if eid not in _linked(roots):
            leaf("  ", eid)
    return "\n".join(out) + "\n"


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
