"""The field types every bundle part shares: a UUID, a stored timestamp, an author."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field


@functools.lru_cache(maxsize=65536)
def _timestamp(value: str) -> str:
    """A real moment in the stored form. The pattern below has fixed the form (UTC, seconds), so
    only the calendar is left to check; cached, since a bundle repeats its timestamps a lot."""
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a stored timestamp (no such date or time)") from None
    return value


Uuid = Annotated[
    str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Timestamp = Annotated[
    str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"), AfterValidator(_timestamp)
]
Author = Annotated[str, Field(min_length=1, max_length=200)]
