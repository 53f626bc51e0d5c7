"""The demo's linked questions: the brief's chain of conditionals (an attack on US personnel blamed
on Iran-backed militias; a US withdrawal conditional on it, with each forecaster's conditional
forecasts) and indicators for the question about ISIS's state (a prison break, a town held for
seven days, and a resolved one: a deadly ISIS-claimed bombing in Baghdad)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from arguments.indicators import add_indicator
from arguments.tree_store import add_node
from questions import clock, store
from questions.conditions import add_condition, record_conditional_forecast
from questions.models import QuestionDraft


def add_links(
    db: Database, data: dict[str, Any], questions: dict[str, int], *, at: Any, lead: str
) -> dict[str, int]:
    """Add the linked questions and links of ``data["links"]``; returns every key's question id."""
    known = dict(questions)
    with at("2020-01-16T08:00:00"):
        for q in data["questions"]:
            draft = QuestionDraft(
                title=q["title"],
                tags=q["tags"],
                criteria=q["criteria"],
                closes_at=clock.parse_iso(q["closes"]),
                opens_at="2019-07-01T00:00:00Z",
                priors=[q["prior"]],
            )
            known[q["key"]] = store.add_question(db, draft, author=lead).id
            claim = q["claim"]
            add_node(db, known[q["key"]], claim["text"], by=lead, stance=claim["stance"])
        for link in data["conditions"]:
            add_condition(db, known[link["child"]], known[link["parent"]], by=lead)
    day = data["forecast_day"]
    for key, by_forecaster in data["forecasts"].items():
        for hour, (name, p) in enumerate(sorted(by_forecaster.items())):
            store.record_forecast(
                db, known[key], forecaster=name, p_yes=p, made_at=f"{day}T{9 + hour:02d}:00:00"
            )
    for key, spec in data["conditional_forecasts"].items():
        parent = known[spec["parent"]]
        for hour, name in enumerate(sorted(n for n in spec if n != "parent")):
            for outcome, p in spec[name].items():
                record_conditional_forecast(
                    db,
                    known[key],
                    given=f"Q{parent}={outcome}",
                    forecaster=name,
                    p_yes=p,
                    made_at=f"{day}T{9 + hour:02d}:30:00",
                )
    resolved = data["resolved_indicator"]
    with at(resolved["opens"] + "T08:00:00"):
        known[resolved["key"]] = store.add_question(
            db,
            QuestionDraft(
                title=resolved["title"],
                tags=resolved["tags"],
                criteria=resolved["basis"],
                opens_at=clock.parse_iso(resolved["opens"]),
                closes_at=clock.parse_iso(resolved["resolved"]),
            ),
            author=lead,
        ).id
        for link in data["indicators"]:
            add_indicator(
                db,
                known[link["parent"]],
                known[link["child"]],
                link["likelihoods"],
                by=lead,
                credibility=link.get("credibility", 1.0),
            )
    with at(resolved["resolved"] + "T12:00:00"):
        store.resolve(
            db, known[resolved["key"]], resolved["outcome"], by=lead, at=resolved["resolved"]
        )
    return known
