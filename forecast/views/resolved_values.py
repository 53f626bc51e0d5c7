"""The home list's status for resolved numeric and date questions (``resolved 742``,
``resolved 41%``, ``resolved 2020-05-07``), read with plain SQL so that opening the list does not
import numpy or pydantic when no numeric row is on screen."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

EPOCH = dt.date(1970, 1, 1)
"""Date questions store days since this day (as ``questions.numeric`` does)."""


def compact_number(value: float) -> str:
    """``929``, ``1.2k``, ``45k``, ``2.1M``: a number in at most five characters."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.2g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.0f}k"
    if magnitude >= 1e3:
        return f"{value / 1e3:.2g}k"
    return f"{value:.3g}"


def day_text(value: float) -> str:
    """Days since 1970-01-01 as an ISO date."""
    return (EPOCH + dt.timedelta(days=round(value))).isoformat()


def resolved_labels(db: Database) -> dict[int, str]:
    """Each resolved numeric or date question's value as the home list shows it: compact, with a
    unit of up to three characters (``41%``, ``12 km``; a longer unit is left to the question
    screen), a date in full."""
    labels = {}
    for qid, kind, value, unit in db.execute(
        "select q.id, q.kind, q.resolved_value, coalesce(r.unit, '') from questions q"
        " join numeric_ranges r on r.question_id = q.id"
        " where q.status = 'resolved' and q.kind in ('numeric', 'date')"
        " and q.resolved_value is not null"
    ):
        if kind == "date":
            labels[qid] = day_text(value)
            continue
        text = compact_number(value)
        if unit == "%":
            text += unit
        elif 0 < len(unit) <= 3:
            text = f"{text} {unit}"
        labels[qid] = text
    return labels
