"""What ``question show`` says of a question's links: its conditions with each forecaster's
standing conditional forecasts, the forecasts they imply, incoherence warnings, and its indicators
(as parent: the indicator questions and what each implies; as child: ``implied_by_model``)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from arguments.indicators import indicators_for
from forecast.engine.links import (
    implied,
    incoherence_threshold,
    indicator_implied,
    load_details,
    load_links,
    logodds_gap,
)
from questions.conditions import conditional_forecasts, link_events, standing_conditionals


def _fmt(probs: Any) -> str:
    return " / ".join(f"{p:.3f}" for p in probs)


def links_show_data(db: Database, qid: int, *, threshold: float | None = None) -> dict[str, Any]:
    """The links part of ``question show --json`` (keys ``conditions``, ``implied``,
    ``link_warnings``, ``conditional_children``, ``indicators``, ``indicator_for``,
    ``implied_by_model``, ``link_history``)."""
    gap_limit = incoherence_threshold(threshold)
    graph = load_links(db)
    parents = graph.parents(qid)
    as_parent = indicators_for(db, parent=qid)
    as_child = indicators_for(db, child=qid)
    load_details(
        db,
        graph,
        [qid, *parents, *graph.children(qid), *(i.child_id for i in as_parent)]
        + [i.parent_id for i in as_child],
    )
    standing = standing_conditionals(conditional_forecasts(db, child=qid))
    conditions = []
    implied_by: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    direct = graph.standing.get(qid, {})
    for parent in parents:
        names = graph.outcomes[parent]
        conditions.append(
            {
                "parent": f"Q{parent}",
                "title": graph.titles[parent],
                "status": graph.status[parent],
                "branches": [
                    {
                        "outcome": name,
                        "forecasts": [
                            {
                                "forecaster": c.forecaster,
                                "made_at": c.made_at,
                                "probs": c.probs,
                                "rationale": c.rationale,
                                "scored": c.forecast_id is not None,
                            }
                            for c in standing.get((parent, position), {}).values()
                        ],
                    }
                    for position, name in enumerate(names)
                ],
            }
        )
        model = graph.model.get(parent)
        for who, branches in sorted(graph.branches.get((qid, parent), {}).items()):
            own = graph.standing.get(parent, {}).get(who)
            entry: dict[str, Any] = {
                "probs": list(implied(branches, own)) if own else None,
                "model": list(implied(branches, model)) if model else None,
                "direct": list(direct[who]) if who in direct else None,
            }
            entry["gap_logodds"] = (
                logodds_gap(direct[who], entry["probs"]) if own and who in direct else None
            )
            implied_by.setdefault(who, {})[f"Q{parent}"] = entry
            if entry["gap_logodds"] is not None and entry["gap_logodds"] > gap_limit:
                warnings.append(
                    f"incoherent: {who}'s forecast of Q{qid} ({_fmt(direct[who])}) and the one "
                    f"implied through Q{parent} ({_fmt(entry['probs'])}) differ by "
                    f"{entry['gap_logodds']:.2f} log-odds (more than {gap_limit:g})"
                )
    indicators = []
    for ind in as_parent:
        evidence = db.execute(
            "select id from evidence where indicator_id = ? and removed_at is null", [ind.id]
        ).fetchone()
        post = graph.model.get(qid)
        indicators.append(
            {
                "child": f"Q{ind.child_id}",
                "title": graph.titles[ind.child_id],
                "likelihoods": list(ind.likelihoods),
                "credibility": ind.credibility,
                "group": ind.group,
                "status": graph.status[ind.child_id],
                "evidence": f"E{evidence[0]}" if evidence else None,
                "implied_by_model": indicator_implied(ind.likelihoods, post) if post else None,
            }
        )
    implied_by_model = {
        f"Q{ind.parent_id}": indicator_implied(ind.likelihoods, graph.model[ind.parent_id])
        for ind in as_child
        if ind.parent_id in graph.model
    }
    return {
        "conditions": conditions,
        "implied": implied_by,
        "link_warnings": warnings,
        "conditional_children": [f"Q{c}" for c in graph.children(qid)],
        "indicators": indicators,
        "indicator_for": [
            {
                "parent": f"Q{ind.parent_id}",
                "title": graph.titles[ind.parent_id],
                "likelihoods": list(ind.likelihoods),
                "credibility": ind.credibility,
                "group": ind.group,
            }
            for ind in as_child
        ],
        "implied_by_model": implied_by_model,
        "link_history": link_events(db, qid),
    }


def render_links_text(data: dict[str, Any]) -> list[str]:
    """The readable lines of a question's links (empty when it has none)."""
    lines: list[str] = []
    for condition in data["conditions"]:
        lines.append(f"conditional on {condition['parent']} ({condition['title'][:50]}):")
        for branch in condition["branches"]:
            shown = ", ".join(f"{f['forecaster']} {_fmt(f['probs'])}" for f in branch["forecasts"])
            lines.append(f"  given {branch['outcome']}: {shown or '-'}")
    for who, by_parent in data["implied"].items():
        for parent, entry in by_parent.items():
            own = _fmt(entry["probs"]) if entry["probs"] else "-"
            model = _fmt(entry["model"]) if entry["model"] else "-"
            lines.append(
                f"implied for {who} through {parent}: {own} (with the model of {parent}: {model})"
            )
    if data["conditional_children"]:
        lines.append("conditional children: " + ", ".join(data["conditional_children"]))
    for ind in data["indicators"]:
        likelihoods = ",".join(f"{a:g}" for a in ind["likelihoods"])
        implied_p = ind["implied_by_model"]
        lines.append(
            f"indicator {ind['child']} [{likelihoods}] {ind['status']}"
            + (f" -> {ind['evidence']}" if ind["evidence"] else "")
            + (f"; model implies P(Yes) {implied_p:.3f}" if implied_p is not None else "")
            + f"  {ind['title'][:50]}"
        )
    for parent, p in data["implied_by_model"].items():
        lines.append(f"indicator for {parent}: its model implies P(Yes) = {p:.3f}")
    lines += [f"warning: {w}" for w in data["link_warnings"]]
    lines += [f"{e['at']} {e['by']}: {e['text']}" for e in data["link_history"]]
    return lines
