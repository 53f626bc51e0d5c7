"""Reading a file a user named: one clear line for every way it can fail, never a traceback.

``-`` names standard input (read once, under the same size cap as a file)."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import InvalidInput

STDIN = "-"


def is_stdin(path: str | Path) -> bool:
    return str(path) == STDIN


def display_name(path: str | Path) -> str:
    """How messages name the file: its path, or ``stdin`` for ``-``."""
    return "stdin" if is_stdin(path) else str(path)


def base_name(path: str | Path) -> str:
    """The file's name without folders (``stdin`` for ``-``), as stored with what it brought."""
    return "stdin" if is_stdin(path) else Path(path).name


def read_user_file(path: Path, *, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path`` (standard input for ``-``); a missing, unreadable or (given
    ``max_bytes``) too large file is refused with the path and the reason."""
    if is_stdin(path):
        return _read_stdin(max_bytes)
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InvalidInput(f"{path}: larger than {_size(max_bytes)}")
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None


def _read_stdin(max_bytes: int | None) -> bytes:
    stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
    if stream is None:
        raise InvalidInput("stdin: cannot read (no standard input)")
    try:
        raw = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    except OSError as exc:
        raise InvalidInput(f"stdin: cannot read ({exc.strerror})") from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise InvalidInput(f"stdin: larger than {_size(max_bytes)}")
    return raw


def _size(limit: int) -> str:
    return f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
