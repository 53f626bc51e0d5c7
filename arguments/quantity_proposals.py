"""What a quantity or date claim mark proposes: the range of a numeric or date question.

``read_quantity(cue)`` reads a quantity mark's cue (``arguments.claims``: ``750 kilograms``,
``over 100 protestors``, ``up to 1,000 Sunnis``, ``$5 million``, ``30 percent``, ``four US
soldiers``) as its value, its unit (the measure, or the counted noun) and its qualifier.
``suggested_range`` puts a range around it for the analyst to edit (rules below, all
deliberately simple):

- the low end is 0 (the cues are amounts and counts, never negative);
- the high end is the value times 2 for a plain figure (``750 kilograms`` -> 0..1,500), times 5
  after a lower bound (``over``, ``more than``, ``at least``: the figure is a floor and may be far
  exceeded), times 1.5 after an upper bound (``up to``, ``at most``, ``fewer than``, ``less
  than``), rounded up to two significant figures; a percentage is 0..100.

``date_range(cue, today)`` reads a date mark (a year, a month with or without a year, ``by the end
of``, ``next year``, ``within 6 months``, a deadline) as a date range: the named year and the
next (``by 2021`` -> 2021-01-01..2022-12-31), a month without a year: ``today``'s year and the
next; otherwise ``today`` to 730 days on.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a hundred": 100,
    "hundreds": 100,
    "a thousand": 1_000,
    "thousands": 1_000,
    "a dozen": 12,
    "dozens": 24,
    "millions": 1_000_000,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_CURRENCIES = {"$": "US dollars", "€": "euros", "£": "pounds"}
_FLOORS = ("over", "more than", "at least")
_CEILINGS = ("up to", "at most", "fewer than", "less than")
_QUALIFIER = re.compile(
    r"^(over|more than|up to|at least|at most|nearly|almost|about|around|some|roughly"
    r"|fewer than|less than|approximately|an estimated)\s+",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?|\b("
    + "|".join(sorted(_WORDS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    qualifier: str
    """``over``, ``up to``, ... as written (lower case), or ``""``."""


def read_quantity(cue: str) -> Quantity | None:
    """The value, unit and qualifier of a quantity cue; None if it holds no number."""
    text = " ".join(cue.split())
    qualifier = ""
    found = _QUALIFIER.match(text)
    if found:
        qualifier = found.group(1).lower()
        text = text[found.end() :]
    currency = ""
    if text[:1] in _CURRENCIES:
        currency = _CURRENCIES[text[0]]
        text = text[1:].lstrip()
    number = _NUMBER.match(text)
    if number is None:
        return None
    if number.group(3):
        value = float(_WORDS[number.group(3).lower()])
    else:
        value = float(number.group(1).replace(",", "") + (number.group(2) or ""))
    rest = text[number.end() :].strip()
    words = rest.split()
    if words and words[0].lower() in _SCALES:
        value *= _SCALES[words[0].lower()]
        words = words[1:]
    if currency:
        unit = currency
    elif rest.startswith("%") or rest.lower().startswith(("percent", "per cent")):
        unit = "%"
    else:
        unit = " ".join(w for w in words if w.lower() != "of")
    return Quantity(value, unit, qualifier)


def nice_ceiling(x: float) -> float:
    """``x`` rounded up to two significant figures (x > 0): 4,500 -> 4,500, 12.5 -> 13."""
    power = 10.0 ** (math.floor(math.log10(x)) - 1)
    return math.ceil(x / power * (1 - 1e-12)) * power


def suggested_range(quantity: Quantity) -> tuple[float, float]:
    """A range (low, high) around the quantity, for the analyst to edit."""
    if quantity.unit == "%":
        return 0.0, 100.0
    factor = (
        5.0 if quantity.qualifier in _FLOORS else 1.5 if quantity.qualifier in _CEILINGS else 2.0
    )
    return 0.0, nice_ceiling(max(quantity.value * factor, 1.0))


def date_range(cue: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """A date range around a date cue, for the analyst to edit."""
    year = re.search(r"\b(?:1[89]|20)\d\d\b", cue)
    if year:
        start = int(year.group(0))
        return dt.date(start, 1, 1), dt.date(start + 1, 12, 31)
    month = re.search(r"\b(" + "|".join(_MONTHS) + r")\b", cue, re.IGNORECASE)
    if month:
        return dt.date(today.year, 1, 1), dt.date(today.year + 1, 12, 31)
    return today, today + dt.timedelta(days=730)
