"""Reading a file a user named: one clear line for every way it can fail, never a traceback."""

from __future__ import annotations

from pathlib import Path

from .errors import InvalidInput


def read_user_file(path: Path, *, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path``; a missing, unreadable or (given ``max_bytes``) too large file is
    refused with the path and the reason."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InvalidInput(f"{path}: larger than {max_bytes // 1024 // 1024} MB")
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None
