"""``forecastle git install``: the text directory's ``.gitattributes`` and the repository's config
for forecastle's textconv (``git diff`` shows the question as read, with its posterior) and merge
driver (``forecast.exchange.text.git_merge``)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from questions.errors import InvalidInput

ATTRIBUTES = (
    "questions/*.toml diff=forecastle merge=forecastle",
    "questions/*.forecasts.csv merge=forecastle",
)


def forecastle_command() -> str:
    """How git should run this forecastle (its own script, so a venv need not be on PATH)."""
    beside = Path(sys.executable).parent / "forecastle"
    found = str(beside) if beside.is_file() else shutil.which("forecastle")
    return shlex.quote(found) if found else "forecastle"


def _git(directory: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["git", "-C", str(directory), *args],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise InvalidInput(f"git {args[0]}: {done.stderr.strip() or 'failed'} (in {directory})")
    return done.stdout


def install(directory: Path) -> list[str]:
    """Set up ``directory`` (a text directory inside a git repository); returns what was done."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InvalidInput(f"{directory}: not a directory")
    _git(directory, "rev-parse", "--git-dir")
    command = forecastle_command()
    done = []
    attributes = directory / ".gitattributes"
    present = attributes.read_text().splitlines() if attributes.is_file() else []
    missing = [line for line in ATTRIBUTES if line not in present]
    if missing:
        attributes.write_text("\n".join([*present, *missing]) + "\n")
        done.append(
            f"{attributes}: {len(missing)} line(s) added (commit it so every clone uses them)"
        )
    settings = {
        "diff.forecastle.textconv": f"{command} git textconv",
        "diff.forecastle.cachetextconv": "false",
        "merge.forecastle.name": "forecastle three-way merge of question files",
        "merge.forecastle.driver": f"{command} git merge-driver %O %A %B %P",
    }
    for name, value in settings.items():
        _git(directory, "config", "--local", name, value)
        done.append(f"git config {name} {value!r}")
    return done
