"""Time: parsing user dates, formatting stored timestamps, and an injectable clock.

Stored timestamps are UTC, ISO 8601, second precision, with a ``Z``: ``2020-01-05T00:00:00Z``.
Strings in that form sort chronologically, so SQL can order and compare them directly.
A date without a time means midnight UTC of that day.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime

from .errors import InvalidInput

_clock: Callable[[], datetime] | None = None


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Replace the clock (tests, snapshots); ``None`` restores the real one."""
    global _clock
    _clock = clock


def now() -> datetime:
    """The current time in UTC: the injected clock, else ``FORECASTLE_NOW``, else the system."""
    if _clock is not None:
        return _clock().astimezone(UTC)
    fixed = os.environ.get("FORECASTLE_NOW")
    if fixed:
        return parse_datetime(fixed, field="FORECASTLE_NOW")
    return datetime.now(UTC).replace(microsecond=0)


def now_iso() -> str:
    return to_iso(now())


def to_iso(moment: datetime) -> str:
    """Format an aware or naive-UTC datetime as the stored form."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str | datetime | date, *, field: str = "date") -> datetime:
    """Parse an ISO 8601 date or datetime (naive means UTC) into an aware UTC datetime."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise InvalidInput(
                f"{field}: {value!r} is not a date (use ISO 8601: 2020-01-31 or 2020-01-31T14:00)"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def parse_iso(value: str | datetime | date, *, field: str = "date") -> str:
    """Parse a user's date or datetime and return the stored form."""
    return to_iso(parse_datetime(value, field=field))


def day_of(stored: str) -> date:
    """The UTC calendar day of a stored timestamp."""
    return date.fromisoformat(stored[:10])
