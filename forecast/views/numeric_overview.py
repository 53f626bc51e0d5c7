"""The home list's cells for a numeric or date question: the model's median and 90% interval,
the user's and the team's medians (compact: ``929``, ``1.2k``, ``2021-12`` for December 2021), and
a resolved question's value for its status (``resolved 41.1%``)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlite_utils import Database

from questions import numeric as nm
from questions import numeric_store


def compact(rng: nm.NumericRange, value: float) -> str:
    if rng.is_date:
        return nm.value_to_date(value)[:7]
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.2g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if magnitude >= 1e3:
        return f"{value / 1e3:.2g}k"
    return f"{value:.3g}"


def numeric_cells(db: Database, question_id: int, user: str) -> tuple[str, str, str]:
    """(model, mine, team): the model as ``median [q05–q95]`` (``–`` without evidence)."""
    from forecast.engine.numeric_model import numeric_model

    rng = numeric_store.numeric_range(db, question_id)
    model = numeric_model(db, question_id)
    shown = "–"
    if model.items:
        s = nm.summary(rng, model.result.cdf)
        shown = f"{compact(rng, s['median'])} [{compact(rng, s['q05'])}–{compact(rng, s['q95'])}]"
    latest = numeric_store.latest_numeric(numeric_store.numeric_forecasts(db, question_id))
    mine = compact(rng, nm.summary(rng, latest[user].cdf)["median"]) if user in latest else "–"
    team = "–"
    if latest:
        pooled: Any = nm.linear_pool(np.array([f.cdf for f in latest.values()]))
        team = compact(rng, nm.summary(rng, pooled)["median"])
    return shown, mine, team


def resolved_labels(db: Database) -> dict[int, str]:
    """Each resolved numeric or date question's value as the home list shows it: compact, with a
    unit of up to three characters (``41.1%``, ``12 km``; a longer unit is left to the question
    screen), a date in full (``2021-12-09``)."""
    ranges = numeric_store.numeric_ranges(db)
    labels = {}
    for qid, (value, _at) in numeric_store.resolved_values(db).items():
        rng = ranges[qid]
        if rng.is_date:
            labels[qid] = nm.value_to_date(value)
            continue
        text, unit = compact(rng, value), rng.unit
        if unit == "%":
            text += unit
        elif 0 < len(unit) <= 3:
            text = f"{text} {unit}"
        labels[qid] = text
    return labels
