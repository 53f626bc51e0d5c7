"""The links an argument-tree export carries: the question's conditions (parents and conditional
children) and indicators (the questions that indicate it, with the evidence item a resolved one
made, and the questions it indicates)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from forecast.views.links import links_show_data

LINKS_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["conditional_on", "conditional_children", "indicators", "indicator_for"],
    "properties": {
        "conditional_on": {"type": "array", "items": {"type": "string", "pattern": "^Q[0-9]+$"}},
        "conditional_children": {
            "type": "array",
            "items": {"type": "string", "pattern": "^Q[0-9]+$"},
        },
        "indicators": {"type": "array", "items": {"type": "object", "required": ["question"]}},
        "indicator_for": {"type": "array", "items": {"type": "object", "required": ["question"]}},
    },
}


def tree_links(db: Database, qid: int) -> dict[str, Any]:
    data = links_show_data(db, qid)
    return {
        "conditional_on": [c["parent"] for c in data["conditions"]],
        "conditional_children": data["conditional_children"],
        "indicators": [
            {
                "question": i["child"],
                "title": i["title"],
                "likelihoods": i["likelihoods"],
                "credibility": i["credibility"],
                "status": i["status"],
                "evidence": i["evidence"],
            }
            for i in data["indicators"]
        ],
        "indicator_for": [
            {"question": i["parent"], "title": i["title"], "likelihoods": i["likelihoods"]}
            for i in data["indicator_for"]
        ],
    }


def links_markdown(links: dict[str, Any]) -> list[str]:
    """A "Linked questions" section (empty when there are none)."""
    lines: list[str] = []
    if links["conditional_on"]:
        lines.append(f"- Conditional on: {', '.join(links['conditional_on'])}")
    if links["conditional_children"]:
        lines.append(f"- Conditional children: {', '.join(links['conditional_children'])}")
    for ind in links["indicators"]:
        likelihoods = ", ".join(f"{a:g}" for a in ind["likelihoods"])
        made = f", became evidence {ind['evidence']}" if ind["evidence"] else ""
        lines.append(
            f"- Indicator {ind['question']} ({ind['title']}): P(Yes | each outcome) = "
            f"{likelihoods}, credibility {ind['credibility']:g}, {ind['status']}{made}"
        )
    for ind in links["indicator_for"]:
        likelihoods = ", ".join(f"{a:g}" for a in ind["likelihoods"])
        lines.append(f"- Indicator for {ind['question']} ({ind['title']}): {likelihoods}")
    return ["", "## Linked questions", "", *lines] if lines else []


def links_text(links: dict[str, Any]) -> list[str]:
    return [line.replace("## ", "").removeprefix("- ") for line in links_markdown(links)]
