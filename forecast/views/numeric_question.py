"""What ``question show`` says of a numeric or date question: its range, description and
resolution criteria, each forecaster's standing distribution (median, 50% and 90% intervals), the
team's aggregates, the evidence, the model's posterior when it has evidence, and the resolution
with each standing forecast's scores."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlite_utils import Database

from arguments.evidence_store import list_evidence
from arguments.numeric_evidence import form_text
from forecast.scoring.numeric import ScoredForecasts
from questions import numeric as nm
from questions import numeric_store
from questions.store import get_question


def numeric_show_data(db: Database, ref: str | int) -> dict[str, Any]:
    question = get_question(db, ref)
    rng = numeric_store.numeric_range(db, question.id)
    latest = numeric_store.latest_numeric(numeric_store.numeric_forecasts(db, question.id))
    forecasts = [
        {
            "forecaster": f.forecaster,
            "made_at": f.made_at,
            "method": f.method,
            "typed": f.typed,
            **nm.shown_summary(rng, f.cdf),
        }
        for f in latest.values()
    ]
    aggregate: dict[str, Any] = {}
    if latest:
        cdfs = np.array([f.cdf for f in latest.values()])
        aggregate = {
            "forecasters": len(latest),
            "linear_pool": nm.shown_summary(rng, nm.linear_pool(cdfs)),
            "quantile_average": nm.shown_summary(rng, nm.quantile_average(rng, cdfs)),
        }
    value = numeric_store.resolved_value(db, question.id)
    data: dict[str, Any] = {
        "id": question.short_id,
        "uuid": question.uuid,
        "title": question.title,
        "kind": question.kind,
        "status": question.status,
        "tags": question.tags,
        "description": question.description,
        "criteria": question.criteria,
        "closes_at": question.closes_at,
        "range": _range_json(rng) | {"prior": numeric_store.numeric_prior(db, question.id)},
        "forecasts": forecasts,
        "aggregate": aggregate,
        "resolution": None
        if value is None
        else {
            "value": nm.value_to_date(value) if rng.is_date else value,
            "resolved_at": question.resolved_at,
        },
    }
    data["evidence"] = _evidence_json(db, question.id)
    if value is not None:
        data["scores"] = _scores_json(db, question, rng, value)
    model = _model_json(db, question.id)
    if model is not None:
        data["model"] = model
    return data


def _evidence_json(db: Database, qid: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"E{e.id}",
            "text": e.text,
            "form": form_text(db, e.id),
            "credibility": e.credibility,
            "group": e.group,
            "source": e.source,
            "observed_at": e.observed_at,
            "by": e.created_by,
            "version": e.version,
        }
        for e in list_evidence(db, qid)
    ]


def _scores_json(
    db: Database, question: Any, rng: nm.NumericRange, value: float
) -> list[dict[str, Any]]:
    """Each forecaster's standing forecast at close (or at resolution, if earlier) scored as the
    report scores it: CRPS in the question's units and scaled by its range, the log score, the
    PIT and whether the value fell in the 50% and 90% intervals."""
    cutoffs = [c for c in (question.closes_at, question.resolved_at) if c]
    standing = numeric_store.latest_numeric(
        numeric_store.numeric_forecasts(db, question.id), before=min(cutoffs) if cutoffs else None
    )
    if not standing:
        return []
    scored = ScoredForecasts.empty()
    scored.extend(
        rng, question.id, list(standing), np.array([f.cdf for f in standing.values()]), value
    )
    return [
        {
            "forecaster": who,
            "made_at": standing[who].made_at,
            "crps": round(float(scored.crps[i]), 6),
            "crps_scaled": round(float(scored.crps_scaled[i]), 6),
            "log_score": round(float(scored.log_score[i]), 6),
            "pit": round(float(scored.pit[i]), 6),
            "in_50": bool(scored.in_50[i]),
            "in_90": bool(scored.in_90[i]),
        }
        for i, who in enumerate(scored.forecaster)
    ]


def _range_json(rng: nm.NumericRange) -> dict[str, Any]:
    show = nm.value_to_date if rng.is_date else float
    return {
        "lo": show(rng.lo),
        "hi": show(rng.hi),
        "unit": rng.unit,
        "log": rng.log,
        "open_lower": rng.open_lower,
        "open_upper": rng.open_upper,
    }


def _model_json(db: Database, qid: int) -> dict[str, Any] | None:
    try:
        from forecast.engine.numeric_model import model_json
    except ImportError:  # pragma: no cover - the model arrives with the engine step
        return None
    return model_json(db, qid)


def _v(value: Any) -> str:
    return value if isinstance(value, str) else f"{value:.4g}"


def _interval(values: list[Any]) -> str:
    return f"{_v(values[0])} .. {_v(values[1])}"


def render_numeric_text(data: dict[str, Any]) -> str:
    rng = data["range"]
    lo = ("(" if rng["open_lower"] else "[") + _v(rng["lo"])
    hi = _v(rng["hi"]) + (")" if rng["open_upper"] else "]")
    scale = " log scale" if rng["log"] else ""
    unit = f" {rng['unit']}" if rng["unit"] else ""
    lines = [
        f"{data['id']}  {data['title']}",
        f"{data['kind']} · {data['status']} · range {lo}, {hi}{unit}{scale}",
    ]
    if data["description"]:
        lines.append(data["description"])
    if data["criteria"]:
        lines.append(f"resolves: {data['criteria']}")
    if data["resolution"]:
        lines.append(
            f"resolved: {data['resolution']['value']} at {data['resolution']['resolved_at']}"
        )
    if data["evidence"]:
        lines += ["", "evidence:"]
        for e in data["evidence"]:
            lines.append(f"  {e['id']:<6} {e['form']:<28} cred {e['credibility']:<4g} {e['text']}")
    if data.get("model"):
        post = data["model"]["posterior"]
        lines += [
            "",
            f"model ({data['model']['evidence_items']} evidence items): median {_v(post['median'])}, "
            f"50% {_interval(post['interval_50'])}, 90% {_interval(post['interval_90'])}",
        ]
        spread = data["model"].get("lr_ranges")
        if spread:
            lines.append(
                f"  with the 90% ranges of {spread['items']} items' LRs: median "
                f"{_interval(spread['median_90'])} (90%)"
            )
        for t in data["model"]["thresholds"]:
            lines.append(
                f"  P(below {_v(t['value'])}) = {t['p_below']:.3f}   P(above) = {t['p_above']:.3f}"
            )
        lines.append("  without each item (median; 90%):")
        for item in data["model"]["sensitivity"]:
            lines.append(
                f"    {item['id']:<6} {item['form']:<9} {_v(item['median_without']):>10}; "
                f"{_interval(item['interval_90_without'])}"
            )
    lines += ["", "forecasts (median; 50%; 90%):"]
    if not data["forecasts"]:
        lines.append("  none yet")
    for f in data["forecasts"]:
        lines.append(
            f"  {f['forecaster']:<16} {_v(f['median']):>12}; {_interval(f['interval_50'])}; "
            f"{_interval(f['interval_90'])}  ({f['method']} {f['typed']})"
        )
    for name, key in (("linear pool", "linear_pool"), ("quantile average", "quantile_average")):
        agg = data["aggregate"].get(key)
        if agg:
            lines.append(
                f"  team {name}: median {_v(agg['median'])}; 50% {_interval(agg['interval_50'])};"
                f" 90% {_interval(agg['interval_90'])}"
            )
    if data.get("scores"):
        unit = "days" if data["kind"] == "date" else rng["unit"] or "the question's units"
        heading = f"scores of the standing forecasts at close (CRPS in {unit}; scaled; log; PIT):"
        lines += ["", heading]
        for sc in data["scores"]:
            inside = "in 50%" if sc["in_50"] else "in 90%" if sc["in_90"] else "outside 90%"
            lines.append(
                f"  {sc['forecaster']:<16} {sc['crps']:>10.4g}  {sc['crps_scaled']:.4f}  "
                f"{sc['log_score']:+.3f}  {sc['pit']:.3f}  {inside}"
            )
    return "\n".join(lines)
