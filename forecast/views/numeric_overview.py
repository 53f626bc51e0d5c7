"""The home list's cells for a numeric or date question: the model's median and 90% interval,
the user's and the team's medians (compact: ``929``, ``1.2k``, ``2021-12`` for December 2021)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlite_utils import Database

from forecast.views.resolved_values import compact_number
from questions import numeric as nm
from questions import numeric_store


def compact(rng: nm.NumericRange, value: float) -> str:
    return nm.value_to_date(value)[:7] if rng.is_date else compact_number(value)


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
