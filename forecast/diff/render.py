"""A workspace diff as text (a terminal, ``git diff``) or Markdown (a pull request's description)."""

from __future__ import annotations

import json
from typing import Any

from forecast.diff.compare import Change, FieldChange, QuestionDiff, WorkspaceDiff
from questions.numeric import value_to_date

SHOWN_WHEN_ADDED = {
    "evidence": ("numeric", "likelihoods", "credibility"),
    "node": ("stance", "status"),
}


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _number(value: float) -> str:
    return f"{value:.4g}"


def value_text(name: str, value: Any, question: QuestionDiff) -> str:
    if value is None:
        return "none"
    if name in ("likelihoods", "range_low", "range_high") and isinstance(value, list):
        if question.kind in ("binary", "numeric", "date") and len(value) == 2 and value[1]:
            return "LR " + _number(value[0] / value[1])
        return "[" + ", ".join(_number(v) for v in value) + "]"
    if (
        name in ("probs", "priors")
        and isinstance(value, list)
        and len(value) == len(question.outcomes)
    ):
        return ", ".join(f"{o} {_number(p)}" for o, p in zip(question.outcomes, value, strict=True))
    if name == "numeric" and isinstance(value, dict):
        return form_text(value, question)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(_short(value), ensure_ascii=False)
    return _short(json.dumps(value, ensure_ascii=False, sort_keys=True))


def _value(value: float, question: QuestionDiff) -> str:
    return value_to_date(value) if question.kind == "date" else _number(value)


def form_text(form: dict[str, Any], question: QuestionDiff) -> str:
    """A numeric item's form as read: ``above 100``, ``between 2 5``, ``measured 742 ± 50``."""
    text = f"{form['form']} {_value(form['a'], question)}"
    if form.get("b") is not None:
        text += f" {_value(form['b'], question)}"
    if form.get("sd") is not None:
        text += f" ± {_number(form['sd'])}"
    return text


def _field(change: FieldChange, question: QuestionDiff) -> str:
    label = "" if change.field in ("likelihoods", "probs", "priors") else f"{change.field} "
    if change.before is None:
        return label + value_text(change.field, change.after, question)
    before = value_text(change.field, change.before, question)
    after = value_text(change.field, change.after, question)
    if before.startswith("LR ") and after.startswith("LR "):
        after = after.removeprefix("LR ")
    return f"{label}{before} → {after}"


def change_text(change: Change, question: QuestionDiff | None) -> str:
    head = f"{change.kind} {change.action}: {json.dumps(_short(change.what), ensure_ascii=False)}"
    fields = change.fields
    if change.action == "added" and change.kind in SHOWN_WHEN_ADDED:
        order = SHOWN_WHEN_ADDED[change.kind]
        fields = sorted((f for f in fields if f.field in order), key=lambda f: order.index(f.field))
    if change.kind == "forecast":
        head = f"forecast {change.action}: {change.by} at {change.what}"
    if question is not None and fields:
        head += " " + "; ".join(_field(f, question) for f in fields)
    elif fields:
        head += " " + "; ".join(f"{f.field} {f.before!r} → {f.after!r}" for f in fields)
    if change.by and change.kind != "forecast":
        head += f" (by {change.by})"
    return head


def posterior_text(question: QuestionDiff) -> str:
    before, after = question.before, question.after
    parts = []
    for i, name in enumerate(question.outcomes):
        old = _value(before[i], question) if before else "—"
        new = _value(after[i], question) if after else "—"
        parts.append(f"{name} {old} → {new}")
    return "posterior: " + "; ".join(parts)


def as_text(diff: WorkspaceDiff) -> str:
    if diff.equal:
        return "no differences\n"
    lines: list[str] = []
    for question in diff.questions:
        lines.append(f"{question.status} question {json.dumps(question.title, ensure_ascii=False)}")
        lines += [f"  {change_text(c, question)}" for c in question.changes]
        lines.append(f"  {posterior_text(question)}")
        lines += [f"  model not computable in {problem}" for problem in question.problems]
    lines += [change_text(c, None) for c in diff.other]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def as_markdown(diff: WorkspaceDiff) -> str:
    if diff.equal:
        return "No differences.\n"
    out = [f"## forecastle diff: {len(diff.questions)} question(s) changed", ""]
    for question in diff.questions:
        out += [f"### {_md_escape(question.title)} ({question.status})", ""]
        out += [f"- {_md_escape(change_text(c, question))}" for c in question.changes]
        out += ["", "| outcome | before | after |", "| --- | ---: | ---: |"]
        for i, name in enumerate(question.outcomes):
            old = _value(question.before[i], question) if question.before else "—"
            new = _value(question.after[i], question) if question.after else "—"
            out.append(f"| {_md_escape(name)} | {old} | {new} |")
        out += ["", *(f"Model not computable in {_md_escape(p)}." for p in question.problems)]
        out.append("")
    if diff.other:
        out += ["### Sources and workspace", ""]
        out += [f"- {_md_escape(change_text(c, None))}" for c in diff.other]
        out.append("")
    return "\n".join(out)
