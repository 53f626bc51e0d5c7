"""git's merge driver for a text directory: ``forecastle git merge-driver %O %A %B %P``.

Question files and forecasts CSVs are merged with ``merge3``; any other file (a source, the
manifest), or a question file that is not valid TOML on some side, falls back to git's own
line merge (``git merge-file``). The merged text replaces ours (%A); the exit status is 0 when
clean, 1 when a conflict is left in the file (each named on stderr).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from forecast.exchange.text.layout import FORECASTS_SUFFIX
from forecast.exchange.text.merge3 import merge_forecasts_text, merge_question_text


def _text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _toml(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _line_merge(base: str, ours: str, theirs: str) -> int:
    done = subprocess.run(  # noqa: S603
        ["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", ours, base, theirs],  # noqa: S607
        check=False,
        capture_output=True,
        text=True,
    )
    # git's own words (a conflict count, "Cannot merge binary files"), through our stderr
    sys.stderr.write(done.stderr)
    return 0 if done.returncode == 0 else 1


def merge_driver(base: str, ours: str, theirs: str, name: str) -> int:
    texts = _text(base), _text(ours), _text(theirs)
    if name.endswith(FORECASTS_SUFFIX):
        merged, conflicts = merge_forecasts_text(*texts)
    elif name.endswith(".toml") and "questions/" in name:
        base_data, ours_data, theirs_data = (_toml(t) for t in texts)
        if ours_data is None or theirs_data is None or (texts[0] and base_data is None):
            return _line_merge(base, ours, theirs)
        merged, conflicts = merge_question_text(base_data, ours_data, theirs_data)
    else:
        return _line_merge(base, ours, theirs)
    Path(ours).write_text(merged, encoding="utf-8")
    for conflict in conflicts:
        print(f"forecastle merge: conflict: {conflict.line(name)}", file=sys.stderr)
    return 1 if conflicts else 0
