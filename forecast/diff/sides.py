"""What ``diff`` compares: a workspace file, a bundle, a text directory or ``git:REV[:DIR]``, each
read as the file map of its text form."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from forecast.exchange.bundle_export import build_bundle
from forecast.exchange.bundle_import import MAX_BUNDLE_BYTES, read_bundle
from forecast.exchange.text.directory import directory_files
from forecast.exchange.text.layout import MANIFEST, bundle_files
from questions.errors import InvalidInput
from questions.files import read_user_file

SQLITE_MAGIC = b"SQLite format 3\x00"


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)  # noqa: S607
    except OSError as exc:
        raise InvalidInput(f"git: cannot run ({exc.strerror})") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InvalidInput(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return done.stdout


def git_files(spec: str, cwd: Path) -> dict[str, str]:
    """``git:REV`` (the text directory here, at REV) or ``git:REV:DIR`` (DIR from the repository's top)."""
    rest = spec.removeprefix("git:")
    rev, _, folder = rest.partition(":")
    if not rev:
        raise InvalidInput(f"{spec}: name a revision (git:HEAD, git:main, git:HEAD~1:texts)")
    if not folder:
        folder = _git(["rev-parse", "--show-prefix"], cwd).decode().strip()
    folder = folder.strip("/")
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    archive = _git(["archive", "--format=tar", rev, "--", folder or "."], top)
    prefix = f"{folder}/" if folder else ""
    files: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            relative = member.name[len(prefix) :]
            if relative == MANIFEST or relative.startswith(("questions/", "sources/")):
                handle = tar.extractfile(member)
                if handle is not None:
                    files[relative] = handle.read().decode("utf-8")
    if MANIFEST not in files:
        raise InvalidInput(
            f"{spec}: no forecastle text directory ({MANIFEST}) at {prefix or 'the top'} in {rev}"
        )
    return files


def side_files(spec: str, cwd: Path | None = None) -> dict[str, str]:
    """The text form of one side of a diff."""
    here = Path.cwd() if cwd is None else cwd
    if spec.startswith("git:"):
        return git_files(spec, here)
    path = Path(spec)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:
        raise InvalidInput(f"{spec}: cannot be read ({exc.strerror})") from None
    if is_dir:
        return directory_files(path)
    if not exists:
        raise InvalidInput(
            f"{spec}: no such file or directory (a workspace, a bundle, a text directory or git:REV)"
        )
    raw = read_user_file(path, max_bytes=MAX_BUNDLE_BYTES)
    if raw.startswith(SQLITE_MAGIC):
        from forecast.workspace import open_workspace

        with open_workspace(path) as db:
            return bundle_files(build_bundle(db))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{spec}: byte {exc.start}: neither a workspace nor a UTF-8 bundle"
        ) from None
    return bundle_files(read_bundle(text, spec))
