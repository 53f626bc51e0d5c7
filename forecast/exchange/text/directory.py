"""A text directory on disk: ``export_text`` writes a workspace into it, ``import_text`` merges it
into a workspace with the bundle's rules (one transaction; a bad file changes nothing)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database

from forecast.exchange.bundle_export import build_bundle
from forecast.exchange.bundle_import import merge_bundle
from forecast.exchange.bundle_models import Bundle
from forecast.exchange.merge_base import MergeReport
from forecast.exchange.text.layout import FORECASTS_SUFFIX, MANIFEST, bundle_files, read_files
from questions.errors import InvalidInput
from questions.files import read_user_file

MAX_FILE_BYTES = 64 * 1024 * 1024


def _write(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    try:
        if path.is_file() and path.read_bytes() == data:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot write ({exc.strerror})") from None


def write_files(directory: Path, files: dict[str, str]) -> int:
    """Write each file whose bytes differ; files not named are left alone (never deleted)."""
    if directory.exists() and not directory.is_dir():
        raise InvalidInput(f"{directory}: not a directory")
    for relative, text in files.items():
        _write(directory / relative, text)
    return len(files)


def export_text(db: Database, directory: Path, refs: Sequence[str] = ()) -> int:
    """Write the named questions (all when none) and their sources as text; returns files written."""
    return write_files(Path(directory), bundle_files(build_bundle(db, refs)))


def _read(path: Path) -> str:
    raw = read_user_file(path, max_bytes=MAX_FILE_BYTES)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}:1:1: file: byte {exc.start}: UTF-8 text") from None


def directory_files(directory: Path) -> dict[str, str]:
    """The text directory's files that forecastle reads, by relative path."""
    directory = Path(directory)
    if not (directory / MANIFEST).is_file():
        raise InvalidInput(f"{directory}: not a forecastle text directory (no {MANIFEST})")
    files = {MANIFEST: _read(directory / MANIFEST)}
    for folder, patterns in (
        ("sources", ("*.toml",)),
        ("questions", ("*.toml", f"*{FORECASTS_SUFFIX}")),
    ):
        for pattern in patterns:
            for path in (directory / folder).glob(pattern):
                files[f"{folder}/{path.name}"] = _read(path)
    return files


def read_text_dir(directory: Path) -> Bundle:
    return read_files(directory_files(directory), str(directory))


def import_text(db: Database, directory: Path, *, strict: bool = False) -> MergeReport:
    """Read and check every file first, then merge with the bundle's rules in one transaction."""
    return merge_bundle(db, read_text_dir(Path(directory)), strict=strict)
