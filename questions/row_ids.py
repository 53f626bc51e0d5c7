"""Row numbers typed by a user (``Q12``, ``E4``, ``7``): ASCII digits that fit an SQLite INTEGER;
anything else names no row (so ``Q99999999999999999999`` is "no such question", not an overflow)."""

from __future__ import annotations

MAX_ROW_ID = 2**63 - 1


def row_number(text: str, prefix: str = "") -> int | None:
    """``text`` (optionally starting with ``prefix``, any case, spaces around) as a row number, or
    None when it is not one."""
    body = text.strip()
    if prefix and body[:1].upper() == prefix.upper():
        body = body[1:]
    if not body.isascii() or not body.isdigit():
        return None
    number = int(body)
    return number if number <= MAX_ROW_ID else None
