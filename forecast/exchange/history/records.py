"""What a history importer produces (a ``Batch`` of questions, forecasts and comments, each named
by a key stable in its source), and the parsing helpers every format shares.

Errors name the place in the file: ``FILE:LINE: field: value: what is allowed`` (JSON formats name
the element, ``FILE: predictions[3].deadline: ...``)."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from questions.errors import InvalidInput
from questions.files import read_user_file

ANNULLED = "\x00annulled"
"""``HistoryQuestion.resolution`` for an annulled (ambiguous, cancelled) question."""


@dataclass
class HistoryQuestion:
    key: str
    title: str
    where: str
    outcomes: list[str] = field(default_factory=list)
    """Empty: binary (Yes/No)."""
    opens_at: str | None = None
    closes_at: str | None = None
    description: str = ""
    tags: set[str] = field(default_factory=set)
    resolution: str | None = None
    """An outcome name, ``ANNULLED``, or None (unresolved)."""
    resolved_at: str | None = None


@dataclass
class HistoryForecast:
    key: str
    forecaster: str
    made_at: str
    probs: list[float]
    where: str
    rationale: str = ""


@dataclass
class HistoryComment:
    key: str
    author: str
    body: str
    created_at: str


@dataclass
class Batch:
    fmt: str
    path: Path
    questions: dict[str, HistoryQuestion] = field(default_factory=dict)
    forecasts: list[HistoryForecast] = field(default_factory=list)
    comments: list[HistoryComment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class RowError(InvalidInput):
    """``FILE:LINE: field: value: what is allowed``."""

    def __init__(self, where: str, column: str, value: object, allowed: str) -> None:
        super().__init__(f"{where}: {column}: {value!r}: {allowed}")


def read_text(path: Path) -> str:
    raw = read_user_file(path)
    if b"\x00" in raw:
        raise InvalidInput(f"{path}: not a text file (it contains NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {exc.start})") from None


def csv_rows(path: Path, text: str, required: tuple[str, ...]) -> tuple[dict[str, int], Any]:
    """The header (exact names -> index) and a reader positioned after it; every required
    column must be there."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(f"{path}:1: the file is empty (needs a header)") from None
    except csv.Error as exc:
        raise InvalidInput(f"{path}:1: {exc}") from None
    columns = {name.strip(): i for i, name in enumerate(header)}
    missing = [name for name in required if name not in columns]
    if missing:
        raise InvalidInput(
            f"{path}:1: header: missing column {missing[0]!r} (this format has: {', '.join(required)})"
        )
    return columns, reader


_LOOSE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_moment(value: str) -> str | None:
    """A stored timestamp from ISO 8601 or its loose variants (unpadded fields, as Fatebook
    writes ``2024-03-05 14:07:5``; a space for the ``T``; Python's ``str(datetime)``); naive
    means UTC. None when it is not one of them."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        match = _LOOSE.match(text)
        if not match:
            return None
        y, mo, d, h, mi, s, zone = match.groups()
        try:
            moment = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError:
            return None
        if zone:
            try:
                moment = datetime.fromisoformat(moment.isoformat() + zone.replace("Z", "+00:00"))
            except ValueError:
                return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def moment(where: str, column: str, value: str, *, required: bool = False) -> str | None:
    if not value.strip():
        if required:
            raise RowError(where, column, value, "required (a date and time, 2024-03-05 14:07:05)")
        return None
    parsed = parse_moment(value)
    if parsed is None:
        raise RowError(
            where, column, value, "not a date and time (2024-03-05 14:07:05 or ISO 8601)"
        )
    return parsed


def epoch_ms(where: str, column: str, value: object, *, required: bool = False) -> str | None:
    """A JavaScript timestamp (milliseconds since 1970, UTC) as a stored timestamp."""
    if value is None:
        if required:
            raise RowError(where, column, value, "required (milliseconds since 1970)")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise RowError(where, column, value, "not a timestamp (milliseconds since 1970)")
    try:
        return datetime.fromtimestamp(value / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        raise RowError(where, column, value, "out of range (milliseconds since 1970)") from None


def probability(where: str, column: str, value: object, *, scale: float = 1.0) -> float:
    """A probability from a number or text (``0.7``, ``70%``); ``scale`` 100 for percentages."""
    text = str(value).strip() if not isinstance(value, int | float) else value
    try:
        if isinstance(text, str) and text.endswith("%"):
            p = float(text[:-1]) / 100
        else:
            if isinstance(text, bool):
                raise ValueError
            p = float(text) / scale
    except (TypeError, ValueError):
        raise RowError(
            where, column, value, f"not a number (a probability, 0..{scale:g})"
        ) from None
    if not (0.0 <= p <= 1.0) or math.isnan(p):
        raise RowError(where, column, value, f"outside 0..{scale:g} (a probability)")
    return p
