"""What ``question show`` says of a numeric or date question: its range, each forecaster's
standing distribution (median, 50% and 90% intervals), the team's aggregates, the model's posterior
when it has evidence, and the resolution."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlite_utils import Database

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
    model = _model_json(db, question.id)
    if model is not None:
        data["model"] = model
    return data


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
    if data["resolution"]:
        lines.append(
            f"resolved: {data['resolution']['value']} at {data['resolution']['resolved_at']}"
        )
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
    return "\n".join(lines)
