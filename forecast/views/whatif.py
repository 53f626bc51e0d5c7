"""``forecastle whatif`` as readable text."""

from __future__ import annotations

from typing import Any


def _fmt(probs: Any) -> str:
    return "-" if probs is None else " / ".join(f"{p:.3f}" for p in probs)


def render_whatif_text(result: dict[str, Any]) -> str:
    """One block per question reached: model before -> after, each forecaster's implied forecast."""
    given = ", ".join(f"{q}={o}" for q, o in result["hypothetical"].items())
    lines = [f"what if {given} (hypothetical; nothing is written)"]
    for row in result["questions"]:
        lines.append("")
        mark = f"  [hypothetically {row['hypothetical']}]" if row["hypothetical"] else ""
        lines.append(f"{row['id']}  {row['title'][:60]}{mark}")
        lines.append(f"  outcomes: {' / '.join(row['outcomes'])}")
        lines.append(f"  model: {_fmt(row['model']['before'])} -> {_fmt(row['model']['after'])}")
        for parent, entry in row["implied_by_model"].items():
            lines.append(
                f"  implied by {parent}'s model: P(Yes) {entry['before']:.3f} -> {entry['after']:.3f}"
            )
        for who, entry in row["forecasters"].items():
            lines.append(f"  {who}: {_fmt(entry['before'])} -> {_fmt(entry['after'])}")
        for who, by_parent in row["model_implied"].items():
            for parent, entry in by_parent.items():
                lines.append(
                    f"  {who} with {parent}'s model: {_fmt(entry['before'])} -> {_fmt(entry['after'])}"
                )
    return "\n".join(lines)
