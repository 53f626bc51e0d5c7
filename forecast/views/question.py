"""``question show``: the question with its model — posterior, interval, evidence weights,
sensitivity, warnings, timeline and change history — as JSON-ready data and as readable text."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from arguments.indicators import indicator_of_evidence
from arguments.review_store import comments_for
from forecast.engine.model import model_history, question_model
from forecast.views.disputes import disputes
from forecast.views.links import links_show_data, render_links_text
from forecast.views.question_trail import render_trail_text, timeline_text, trail_data
from forecast.views.sensitivity import flip_outcomes, sensitivity_rows, weight_outcome
from questions.summary import question_detail
from questions.text_table import table


def question_show_data(
    db: Database, ref: str, *, incoherence: float | None = None
) -> dict[str, Any]:
    """``question show --json``: the question's detail with its model and its links
    (``forecast.views.links``; incoherence warnings join ``warnings``)."""
    model = question_model(db, ref)
    question, analysis = model.question, model.analysis
    data = question_detail(db, question)
    data["outcomes"] = [
        {
            "name": o.name,
            "prior": o.prior,
            "posterior": float(analysis.posterior[i]),
            "interval": [float(analysis.interval[i, 0]), float(analysis.interval[i, 1])],
        }
        for i, o in enumerate(question.outcomes)
    ]
    binary = question.kind == "binary"
    indicator_items = indicator_of_evidence(db, [item.id for item in model.evidence])
    evidence = []
    for row, item in enumerate(model.evidence):
        entry: dict[str, Any] = {"id": item.short_id, "text": item.text}
        if binary:
            entry["lr"] = item.lr
        else:
            entry["likelihoods"] = list(item.likelihoods)
        entry.update(
            credibility=item.credibility,
            weight_db=float(analysis.weight_db[row]),
            posterior_without=[float(p) for p in analysis.posterior_without[row]],
            swing=float(analysis.swing[row]),
            diagnosticity=float(analysis.diagnosticity[row]),
            range=[list(item.range_low or ()), list(item.range_high or ())]
            if item.range_low
            else None,
            group=item.group,
            depends_on=f"E{item.depends_on}" if item.depends_on else None,
            source=item.source,
            observed_at=item.observed_at,
            author=item.created_by,
            version=item.version,
            indicator=indicator_items.get(item.id),
        )
        evidence.append(entry)
    data["evidence"] = evidence
    data["leading"] = question.outcomes[int(analysis.leader)].name
    data["flip_lr"] = float(analysis.flip_lr)
    leader = int(analysis.leader)
    data["flip_outcomes"] = list(flip_outcomes(question, analysis.posterior, leader))
    data["weight_db_outcome"] = weight_outcome(question, leader)
    data["sensitivity"] = [
        {
            "id": model.evidence[r.row].short_id,
            "influence": r.influence,
            "effect": r.effect,
            "swing": r.swing,
        }
        for r in sensitivity_rows(model)
    ]
    data["warnings"] = list(analysis.warnings)
    texts = {item.short_id: item.text for item in model.evidence}
    data["timeline"] = [
        {
            "at": step.at,
            "evidence_id": step.evidence_id,
            "text": texts.get(step.evidence_id, ""),
            "posterior": [float(p) for p in step.posterior],
        }
        for step in model.timeline()
    ]
    data["history"] = model_history(db, question.id)
    data["disputes"] = disputes(db, question.id, model=model)
    data["comments"] = [c.__dict__ for c in comments_for(db, question.id)]
    data.update(trail_data(db, question.id))
    links = links_show_data(db, question.id, threshold=incoherence)
    data["warnings"] += links.pop("link_warnings")
    data.update(links)
    return data


def render_question_header(data: dict[str, Any]) -> str:
    """Id, title, status, tags, dates, criteria and resolution as readable lines."""
    lines = [f"{data['id']}  {data['title']}", f"status: {data['status']}   kind: {data['kind']}"]
    if data["tags"]:
        lines.append("tags: " + ", ".join(data["tags"]))
    if data["opens_at"] or data["closes_at"]:
        lines.append(f"opens: {data['opens_at'] or '-'}   closes: {data['closes_at'] or '-'}")
    if data["criteria"]:
        lines.append(f"resolution criteria: {data['criteria']}")
    if data["resolution"]:
        res = data["resolution"]
        lines.append(f"resolved: {res['outcome'] or 'annulled'} at {res['at']}")
    return "\n".join(lines)


def render_forecasts(forecasts: list[dict[str, Any]]) -> str:
    rows = [
        [
            f["made_at"],
            f["forecaster"],
            " / ".join(f"{p:.3f}" for p in f["probs"]),
            f["rationale"][:50],
        ]
        for f in forecasts
    ]
    return table(rows, ["made at", "forecaster", "probabilities", "rationale"])


def render_show_text(data: dict[str, Any]) -> str:
    """The readable form of ``question show``."""
    lines = [render_question_header(data), ""]
    lines.append(
        table(
            [
                [
                    o["name"],
                    f"{o['prior']:.3f}",
                    f"{o['posterior']:.3f}",
                    f"{o['interval'][0]:.3f} – {o['interval'][1]:.3f}",
                ]
                for o in data["outcomes"]
            ],
            ["outcome", "prior", "posterior", "90% interval"],
        )
    )
    if data["evidence"]:
        lines.append("")
        binary = data["kind"] == "binary"
        rows = []
        for e in data["evidence"]:
            strength = f"{e['lr']:.3g}" if binary else ",".join(f"{v:g}" for v in e["likelihoods"])
            without = e["posterior_without"][0] if binary else max(e["posterior_without"])
            rows.append(
                [
                    e["id"],
                    strength,
                    f"{e['credibility']:g}",
                    f"{e['weight_db']:+.1f}",
                    f"{without:.3f}",
                    f"{e['swing']:.3f}",
                    e["text"][:48],
                ]
            )
        lines.append(
            table(
                rows,
                [
                    "id",
                    "LR" if binary else "likelihoods",
                    "cred",
                    f"dB({data['weight_db_outcome']})",
                    "P(Yes) without" if binary else "leader without",
                    "swing",
                    "text",
                ],
            )
        )
        lines.append("")
        favoured, over = data["flip_outcomes"]
        lines.append(
            f"leading: {data['leading']}; one new item would need LR {data['flip_lr']:.3g} for "
            f"{favoured} over {over} to change it"
        )
        ranked = ", ".join(f"{s['id']} {s['effect']:+.1%}" for s in data["sensitivity"][:5])
        lines.append(f"rests most on (Δ if removed): {ranked}")
    for warning in data["warnings"]:
        lines.append(f"warning: {warning}")
    for dispute in data["disputes"]:
        lines.append("")
        lines.append(
            f"disputed {dispute['evidence_id']} (spread {dispute['dispute_db']:.1f} dB): {dispute['text'][:60]}"
        )
        for analyst in dispute["analysts"]:
            shown = ",".join(f"{v:g}" for v in analyst["likelihoods"])
            label = f"{analyst['challenge']} " if analyst["challenge"] else ""
            lines.append(
                f"  {label}{analyst['name']}: {shown} -> posterior {analyst['posterior'][0]:.3f}  {analyst['reason'][:50]}"
            )
        consensus = ",".join(f"{v:.3g}" for v in dispute["consensus"])
        lines.append(
            f"  consensus (geometric mean): {consensus} -> posterior {dispute['posterior_consensus'][0]:.3f}"
        )
    if data["comments"]:
        lines.append("")
        lines += [
            f"{'    ' if c['parent_id'] else ''}#{c['id']} {c['target']} {c['author']}: {c['body'][:80]}"
            for c in data["comments"]
        ]
    if data["forecasts"]:
        lines += ["", render_forecasts(data["forecasts"])]
    lines += timeline_text(data)
    lines += render_trail_text(data["kind"], data)
    link_lines = render_links_text({**data, "link_warnings": []})
    if link_lines:
        lines += ["", *link_lines]
    return "\n".join(lines)
