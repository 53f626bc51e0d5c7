"""The timeline's x axis: evidence observed dates and forecast dates on one readable axis, with
date ticks chosen for the span, and which steps get a label (the item that moved the model).

Two kinds of axis, chosen from the dates themselves:

- **time**: x is the day. Used while the dates spread over the span: ticks fall on round dates
  (days, weeks, months, quarters, years, decades — the finest step whose labels fit the width),
  labelled ``MM-DD``, ``YYYY-MM`` or ``YYYY`` by the step.
- **steps**: x is the rank of the date among the distinct dates (an ordinal axis, not to scale).
  Used when one gap between consecutive dates takes more than half the whole span (``CLUSTER_GAP``) —
  evidence observed in 2014–2019 and forecasts made in 2026 would otherwise squeeze six years of
  evidence into a third of the chart. Ticks are dates at evenly spaced ranks, labelled
  ``YYYY-MM`` (``YYYY-MM-DD`` within a year); the caption says the axis is not to scale.

Days are proleptic Gregorian ordinals (``date.toordinal``) throughout: no date parsing per point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np

CLUSTER_GAP = 0.5
"""A gap between consecutive distinct dates longer than this share of the span: a steps axis."""
TICK_GAP = 3
"""Columns of space at least between two tick labels."""

# (unit, count): the candidate tick steps of a time axis, finest first
TIME_STEPS: tuple[tuple[str, int], ...] = (
    ("day", 1),
    ("day", 2),
    ("day", 7),
    ("day", 14),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    ("year", 1),
    ("year", 2),
    ("year", 5),
    ("year", 10),
    ("year", 20),
    ("year", 50),
    ("year", 100),
)
LABEL_FORMAT = {"day": "%m-%d", "month": "%Y-%m", "year": "%Y"}


@dataclass(frozen=True)
class TimelineAxis:
    kind: Literal["time", "steps", "empty"]
    days: tuple[int, ...] = ()
    """The distinct days on the axis, in order."""
    ticks: tuple[tuple[float, str], ...] = ()
    """(x, label) for each tick."""
    limits: tuple[float, float] = (0.0, 1.0)
    caption: str = ""
    _rank: dict[int, int] = field(default_factory=dict, compare=False, repr=False)

    def x(self, days: Sequence[int] | np.ndarray) -> list[float]:
        """Where each day sits on the axis (every day given must be one of ``days``)."""
        if self.kind == "steps":
            return [float(self._rank[int(d)]) for d in days]
        return [float(d) for d in days]


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def _tick_days(first: int, last: int, unit: str, count: int) -> list[int]:
    """Round dates in [first, last] every ``count`` ``unit``s (days from the first Monday on or
    after ``first`` when counting weeks; month and year steps on the 1st of a round month/year)."""
    out: list[int] = []
    if unit == "day":
        start = first
        if count >= 7:  # weeks start on a Monday
            start = first + (-date.fromordinal(first).weekday()) % 7
        return list(range(start, last + 1, count))
    begin = date.fromordinal(first)
    if unit == "month":
        months = begin.year * 12 + begin.month - 1
        months += (-months) % count
        while True:
            day = date(months // 12, months % 12 + 1, 1).toordinal()
            if day > last:
                return out
            if day >= first:
                out.append(day)
            months += count
    year = begin.year + (-begin.year) % count
    while year <= 9999:
        day = date(year, 1, 1).toordinal()
        if day > last:
            break
        if day >= first:
            out.append(day)
        year += count
    return out


def _time_ticks(first: int, last: int, width: int) -> list[tuple[float, str]]:
    """The finest round step whose labels fit ``width`` columns, at least two ticks if it can."""
    chosen: list[tuple[float, str]] = []
    for unit, count in TIME_STEPS:
        fmt = LABEL_FORMAT[unit]
        days = _tick_days(first, last, unit, count)
        if not days:
            continue
        label_width = len(date.fromordinal(days[0]).strftime(fmt)) + TICK_GAP
        if len(days) * label_width <= width:
            chosen = [(float(d), date.fromordinal(d).strftime(fmt)) for d in days]
            if len(chosen) >= 2 or unit == "year":
                return chosen
    return chosen or [(float(first), _iso(first))]


def _step_ticks(days: Sequence[int], width: int) -> list[tuple[float, str]]:
    """Dates at evenly spaced ranks (the first and the last always), as many as fit."""
    fmt = "%Y-%m" if days[-1] - days[0] > 366 else "%Y-%m-%d"
    label_width = len(date.fromordinal(days[0]).strftime(fmt)) + TICK_GAP
    room = max(2, width // label_width)
    n = len(days)
    ranks = sorted({round(i * (n - 1) / (room - 1)) for i in range(room)}) if n > 1 else [0]
    ticks: list[tuple[float, str]] = []
    for rank in ranks:
        label = date.fromordinal(days[rank]).strftime(fmt)
        if ticks and ticks[-1][1] == label:
            continue  # the same month twice: keep the first
        ticks.append((float(rank), label))
    return ticks


def timeline_axis(days: Sequence[int] | np.ndarray, width: int = 60) -> TimelineAxis:
    """The axis for these days (evidence steps and forecasts together, any order, repeats
    allowed) on a chart ``width`` columns wide."""
    distinct = sorted({int(d) for d in days})
    if not distinct:
        return TimelineAxis("empty")
    first, last = distinct[0], distinct[-1]
    span = last - first
    gaps = np.diff(np.asarray(distinct))
    clustered = len(distinct) >= 3 and span > 0 and float(gaps.max()) > CLUSTER_GAP * span
    if clustered:
        rank = {d: i for i, d in enumerate(distinct)}
        return TimelineAxis(
            "steps",
            tuple(distinct),
            tuple(_step_ticks(distinct, width)),
            (-0.5, len(distinct) - 0.5),
            f"not to scale · {_iso(first)} … {_iso(last)}",
            rank,
        )
    pad = max(1.0, span * 0.02)
    return TimelineAxis(
        "time",
        tuple(distinct),
        tuple(_time_ticks(first, last, width)),
        (first - pad, last + pad),
        f"{_iso(first)} … {_iso(last)}" if span else _iso(first),
    )


def step_labels(
    xs: Sequence[float], names: Sequence[str], limits: tuple[float, float], width: int
) -> list[int]:
    """Which steps to label so that no two labels overlap on a chart ``width`` columns wide:
    left to right, a label is kept when it starts after the previous kept one ends (plus a
    space). Returns the indices kept."""
    lo, hi = limits
    scale = width / (hi - lo) if hi > lo else 0.0
    kept: list[int] = []
    free_from = -1.0
    for i in sorted(range(len(xs)), key=lambda i: xs[i]):
        column = (xs[i] - lo) * scale
        if column >= free_from:
            kept.append(i)
            free_from = column + len(names[i]) + 1
    return kept


def day_names(ids: Sequence[str]) -> str:
    """The label of a day's step: its first item, and how many more moved it that day."""
    return ids[0] if len(ids) == 1 else f"{ids[0]}+{len(ids) - 1}"
