"""A question's trail: its own edit history, its evidence's edit history (who changed an item's
likelihoods, from what, when) and its resolution trail (resolved / unresolved / annulled /
re-resolved, with who and when), as JSON-ready data and as readable lines — for the plain text of
``question show`` and the question screen's history pane — and the text form of the timeline
(evidence steps and forecasts in one date order)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from arguments.evidence_store import evidence_history
from questions import store
from questions.question_history import question_history

QUESTION_FIELDS = ("title", "description", "criteria", "opens_at", "closes_at", "tags", "outcomes")


def _when(at: str | None) -> str:
    return (at or "")[:16].replace("T", " ")


def likelihood_text(kind: str, values: list[float] | None) -> str:
    """``LR 3`` for a binary item (stored as the pair (LR, 1)), else ``likelihoods 0.2,0.5``."""
    if not values:
        return "?"
    if kind == "binary":
        return f"LR {values[0] / (values[1] if len(values) > 1 and values[1] else 1):.3g}"
    return "likelihoods " + ",".join(f"{v:.3g}" for v in values)


def evidence_changes(db: Database, question_id: int) -> list[dict[str, Any]]:
    """Every add / edit / remove of the question's evidence, oldest first: who, when, the item's
    likelihoods and credibility after it, and its likelihoods before it (``None`` when added)."""
    before: dict[int, list[float]] = {}
    out = []
    for entry in evidence_history(db, question_id):
        state, eid = entry["state"], entry["evidence_id"]
        out.append(
            {
                "evidence_id": f"E{eid}",
                "version": entry["version"],
                "action": entry["action"],
                "at": entry["at"],
                "by": entry["by"],
                "likelihoods": state.get("likelihoods"),
                "previous_likelihoods": before.get(eid),
                "credibility": state.get("credibility"),
            }
        )
        before[eid] = state.get("likelihoods")
    return out


def resolution_trail(db: Database, question_id: int) -> list[dict[str, Any]]:
    """The resolution audit trail, oldest first, each entry named as the analyst reads it: a
    resolution after an earlier one (a correction, or after an unresolve) is ``re-resolved``."""
    out = []
    resolved_before = False
    for entry in store.resolution_history(db, question_id):
        shown: str = entry.action
        if entry.action == "resolved":
            shown = "re-resolved" if resolved_before else "resolved"
            resolved_before = True
        out.append({**entry.model_dump(exclude={"question_id"}), "shown": shown})
    return out


def trail_data(db: Database, question_id: int) -> dict[str, Any]:
    """``question_history``, ``evidence_history`` and ``resolution_trail`` of a question."""
    return {
        "question_history": [
            {k: v for k, v in entry.items() if k != "state"}
            | {"state": {k: entry["state"].get(k) for k in QUESTION_FIELDS}}
            for entry in question_history(db, question_id)
        ],
        "evidence_history": evidence_changes(db, question_id),
        "resolution_trail": resolution_trail(db, question_id),
    }


def question_history_lines(entries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in entries:
        line = f"v{entry['version']} {entry['action']} by {entry['by']} {_when(entry['at'])}"
        changed = [k for k in entry["changed"] if k != "removed_at"]
        if changed:
            shown = []
            for key in changed:
                value = entry["state"].get(key)
                text = ", ".join(value) if isinstance(value, list) else str(value or "")
                shown.append(f"{key} → {text[:60]}" if key != "description" else key)
            line += ": " + "; ".join(shown)
        lines.append(line)
    return lines


def evidence_history_lines(kind: str, entries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in entries:
        now = likelihood_text(kind, entry["likelihoods"])
        previous = entry["previous_likelihoods"]
        change = now
        if previous is not None and previous != entry["likelihoods"]:
            name, _, value = now.partition(" ")
            change = f"{likelihood_text(kind, previous)} → {value}"
        lines.append(
            f"{entry['evidence_id']} v{entry['version']} {entry['action']} by {entry['by']}"
            f" {_when(entry['at'])}: {change} (credibility {entry['credibility']:g})"
        )
    return lines


def resolution_lines(entries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in entries:
        what = entry["shown"]
        if entry["action"] == "resolved":
            what += f" {entry['outcome']}"
        if entry["resolved_at"]:
            what += f" (as of {entry['resolved_at'][:10]})"
        lines.append(f"{_when(entry['recorded_at'])} {what} by {entry['recorded_by']}")
    return lines


def trail_sections(kind: str, trail: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(title, lines) for the resolution trail, the question's edits and its evidence's edits
    (the longest last: a short pane shows the other two whole)."""
    return [
        ("resolution trail", resolution_lines(trail["resolution_trail"])),
        ("question edits", question_history_lines(trail["question_history"])),
        ("evidence edits", evidence_history_lines(kind, trail["evidence_history"])),
    ]


def render_trail_text(kind: str, trail: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for title, section in trail_sections(kind, trail):
        lines += ["", f"{title}:"]
        lines += [f"  {line}" for line in section] or ["  none"]
    return lines


def timeline_text(data: dict[str, Any]) -> list[str]:
    """The timeline as dated lines, evidence steps and forecasts in one order: each evidence step
    with the model's headline probability after it, each forecast with the forecaster's."""
    binary = data["kind"] == "binary"
    names = [o["name"] for o in data["outcomes"]]
    j = 0 if binary else names.index(data["leading"])
    label = "P(Yes)" if binary else f"P({names[j]})"
    rows: list[tuple[str, int, str]] = []
    for order, step in enumerate(data["timeline"]):
        text = f"{step['evidence_id']} {step['text'][:48]}"
        rows.append((step["at"] or "~", order, f"model {step['posterior'][j]:.3f}  {text}"))
    for order, forecast in enumerate(data["forecasts"]):
        rows.append(
            (
                forecast["made_at"],
                len(rows) + order,
                f"{forecast['forecaster']} {forecast['probs'][j]:.3f}  forecast",
            )
        )
    if not rows:
        return []
    rows.sort(key=lambda r: (r[0] == "~", r[0][:10], r[1]))
    lines = ["", f"timeline ({label}; evidence by observed date, forecasts by date made):"]
    lines += [f"  {(at[:10] if at != '~' else 'undated'):<10}  {what}" for at, _, what in rows]
    return lines
